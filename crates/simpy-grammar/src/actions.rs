//! What the grammar's actions build: AST nodes, and the checks Python's own parser makes
//! that a context-free grammar cannot (targets, argument order, literal text), so that no
//! accepted SimPy decodes to Python that CPython would reject.

use crate::error::{SimpyError, SimpyErrorKind};
use crate::token::Tok;
use lalrpop_util::ParseError;
use simpy_ast::*;
use simpy_python::literals::{decode_bytes, decode_str, parse_number, parse_prefix, split_opening};
use simpy_python::normalize_newlines;
use simpy_python::ParseErrorKind;
use simpy_python::TargetAction;
use unicode_normalization::UnicodeNormalization;

pub type Fallible<'a, T> = Result<T, ParseError<usize, Tok<'a>, SimpyError>>;

pub fn range(l: usize, r: usize) -> TextRange {
    TextRange::new(l as u32, r as u32)
}

pub fn fail<'a, T>(kind: SimpyErrorKind, at: TextRange) -> Fallible<'a, T> {
    Err(ParseError::User {
        error: SimpyError::new(kind, at),
    })
}

/// A name as CPython stores it: NFKC-normalised.
pub fn identifier(l: usize, text: &str, r: usize) -> Identifier {
    let id: Box<str> = if text.is_ascii() {
        text.into()
    } else {
        text.nfkc().collect::<String>().into()
    };
    Identifier {
        range: range(l, r),
        id,
    }
}

pub fn name(l: usize, text: &str, r: usize) -> Expr {
    let ident = identifier(l, text, r);
    Expr::Name(ExprName {
        range: ident.range,
        id: ident.id,
        ctx: ExprContext::Load,
    })
}

pub fn constant(l: usize, value: Constant, r: usize) -> Expr {
    Expr::Constant(ExprConstant {
        range: range(l, r),
        value,
        kind: None,
        spelling: Spelling::Canonical,
    })
}

pub fn number<'a>(l: usize, text: &str, r: usize) -> Fallible<'a, Expr> {
    let value = match parse_number(text) {
        Ok(v) => v,
        Err(kind) => {
            return fail(
                SimpyErrorKind::InvalidLiteral(kind.to_string()),
                range(l, r),
            )
        }
    };
    Ok(Expr::Constant(ExprConstant {
        range: range(l, r),
        value,
        kind: None,
        spelling: Spelling::Number(text.into()),
    }))
}

pub fn binop(l: usize, left: Expr, op: Operator, right: Expr, r: usize) -> Expr {
    Expr::BinOp(ExprBinOp {
        range: range(l, r),
        left: Box::new(left),
        op,
        right: Box::new(right),
    })
}

pub fn await_expr(l: usize, value: Expr, r: usize) -> Expr {
    Expr::Await(ExprAwait {
        range: range(l, r),
        value: Box::new(value),
    })
}

pub fn unary(l: usize, op: UnaryOp, operand: Expr, r: usize) -> Expr {
    Expr::UnaryOp(ExprUnaryOp {
        range: range(l, r),
        op,
        operand: Box::new(operand),
    })
}

pub fn compare(l: usize, left: Expr, rest: Vec<(CmpOp, Expr)>, r: usize) -> Expr {
    if rest.is_empty() {
        return left;
    }
    let (ops, comparators) = rest.into_iter().unzip();
    Expr::Compare(ExprCompare {
        range: range(l, r),
        left: Box::new(left),
        ops,
        comparators,
    })
}

pub fn tuple(l: usize, elts: Vec<Expr>, parenthesized: bool, r: usize) -> Expr {
    Expr::Tuple(ExprTuple {
        range: range(l, r),
        elts,
        ctx: ExprContext::Load,
        parenthesized,
    })
}

/// Space-separated elements: one element without a trailing space is itself, else a tuple.
pub fn elements(l: usize, mut elts: Vec<Expr>, trailing: bool, r: usize) -> Expr {
    if elts.len() == 1 && !trailing && !matches!(elts[0], Expr::Starred(_)) {
        return elts.pop().expect("one element");
    }
    tuple(l, elts, false, r)
}

/// `(a)` is `a`; `(a )` and `(a b)` are tuples; `(*a)` is an error.
pub fn parenthesized_elements<'a>(
    l: usize,
    mut elts: Vec<Expr>,
    trailing: bool,
    r: usize,
) -> Fallible<'a, Expr> {
    if elts.len() == 1 && !trailing {
        return no_starred(elts.pop().expect("one element"), "here");
    }
    Ok(tuple(l, elts, true, r))
}

pub fn starred(l: usize, value: Expr, r: usize) -> Expr {
    Expr::Starred(ExprStarred {
        range: range(l, r),
        value: Box::new(value),
        ctx: ExprContext::Load,
    })
}

/// `(*a)` is not an expression: a starred element needs a tuple or a list around it.
pub fn no_starred<'a>(e: Expr, place: &'static str) -> Fallible<'a, Expr> {
    if let Expr::Starred(s) = &e {
        return fail(SimpyErrorKind::StarredNotAllowed(place), s.range);
    }
    Ok(e)
}

pub fn comprehension(
    l: usize,
    is_async: bool,
    target: Expr,
    iter: Expr,
    ifs: Vec<Expr>,
    r: usize,
) -> Fallible<'static, Comprehension> {
    Ok(Comprehension {
        range: range(l, r),
        target: store(target, "assign to")?,
        iter,
        ifs,
        is_async,
    })
}

pub fn no_starred_element<'a>(e: &Expr) -> Fallible<'a, ()> {
    if let Expr::Starred(s) = e {
        return fail(
            SimpyErrorKind::StarredNotAllowed("as a comprehension's element"),
            s.range,
        );
    }
    Ok(())
}

// ---- Targets -------------------------------------------------------------------------------

/// Gives a target its `Store` context, rejecting what cannot be assigned (`f()=1`) with the
/// Python front end's rule and message.
pub fn store<'a>(mut e: Expr, action: &'static str) -> Fallible<'a, Expr> {
    let action = match action {
        "delete" => TargetAction::Delete,
        _ => TargetAction::Assign,
    };
    target_context(&mut e, action)?;
    Ok(e)
}

pub fn delete<'a>(mut e: Expr) -> Fallible<'a, Expr> {
    target_context(&mut e, TargetAction::Delete)?;
    Ok(e)
}

fn target_context<'a>(e: &mut Expr, action: TargetAction) -> Fallible<'a, ()> {
    simpy_python::set_target_context(e, action).or_else(|err| {
        fail(
            SimpyErrorKind::InvalidTarget(err.kind.to_string()),
            err.range,
        )
    })
}

pub fn aug_target<'a>(mut e: Expr) -> Fallible<'a, Expr> {
    let what = match &e {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => None,
        Expr::Tuple(_) => Some("tuple"),
        Expr::List(_) => Some("list"),
        _ => Some("expression"),
    };
    if let Some(what) = what {
        return fail(SimpyErrorKind::InvalidAugTarget(what), e.range());
    }
    target_context(&mut e, TargetAction::Assign)?;
    Ok(e)
}

// ---- Calls and parameters -------------------------------------------------------------------

pub enum CallArg {
    Positional(Expr),
    Keyword(Box<Keyword>),
}

pub fn keyword(l: usize, arg: Option<Identifier>, value: Expr, r: usize) -> CallArg {
    CallArg::Keyword(Box::new(Keyword {
        range: range(l, r),
        arg,
        value,
    }))
}

/// Splits call arguments as CPython does, with its rules on their order.
pub fn call_arguments<'a>(items: Vec<CallArg>) -> Fallible<'a, (Vec<Expr>, Vec<Keyword>)> {
    let mut args = Vec::new();
    let mut keywords: Vec<Keyword> = Vec::new();
    for item in items {
        match item {
            CallArg::Positional(e) => {
                let starred = matches!(e, Expr::Starred(_));
                if keywords.iter().any(|k| k.arg.is_none()) {
                    let rule = if starred {
                        ParseErrorKind::UnpackingAfterKeywordUnpacking
                    } else {
                        ParseErrorKind::PositionalAfterKeywordUnpacking
                    };
                    return fail(SimpyErrorKind::Rule(rule), e.range());
                }
                if !starred && !keywords.is_empty() {
                    return fail(
                        SimpyErrorKind::Rule(ParseErrorKind::PositionalAfterKeyword),
                        e.range(),
                    );
                }
                args.push(e);
            }
            CallArg::Keyword(k) => keywords.push(*k),
        }
    }
    Ok((args, keywords))
}

pub fn call(l: usize, func: Expr, (args, keywords): (Vec<Expr>, Vec<Keyword>), r: usize) -> Expr {
    Expr::Call(ExprCall {
        range: range(l, r),
        func: Box::new(func),
        args,
        keywords,
    })
}

pub enum Param {
    Plain(Arg, Option<Box<Expr>>),
    Slash(TextRange),
    Star(TextRange),
    VarArg(Arg),
    KwArg(Arg),
}

pub fn arg(l: usize, name: Identifier, annotation: Option<Expr>, r: usize) -> Arg {
    Arg {
        range: range(l, r),
        arg: name,
        annotation: annotation.map(Box::new),
    }
}

/// Parameters in written order to CPython's `arguments`, with its rules on their order.
pub fn arguments<'a>(l: usize, items: Vec<Param>, r: usize) -> Fallible<'a, Arguments> {
    let mut a = Arguments {
        range: range(l, r),
        posonlyargs: Vec::new(),
        args: Vec::new(),
        vararg: None,
        kwonlyargs: Vec::new(),
        kw_defaults: Vec::new(),
        kwarg: None,
        defaults: Vec::new(),
    };
    let mut star_seen = false;
    let mut bare_star: Option<TextRange> = None;
    let order = |rule, at| fail(SimpyErrorKind::Rule(rule), at);
    for item in items {
        if let Some(k) = &a.kwarg {
            return order(ParseErrorKind::AfterVarKeyword, k.range);
        }
        match item {
            Param::Plain(arg, default) if star_seen => {
                bare_star = None;
                a.kwonlyargs.push(arg);
                a.kw_defaults.push(default.map(|d| *d));
            }
            Param::Plain(arg, default) => {
                match default {
                    Some(d) => a.defaults.push(*d),
                    None if !a.defaults.is_empty() => {
                        return order(ParseErrorKind::NonDefaultAfterDefault, arg.range)
                    }
                    None => {}
                }
                a.args.push(arg);
            }
            Param::Slash(at) => {
                if star_seen {
                    return order(ParseErrorKind::SlashAfterStar, at);
                }
                if !a.posonlyargs.is_empty() {
                    return order(ParseErrorKind::DuplicateSlash, at);
                }
                if a.args.is_empty() {
                    return order(ParseErrorKind::NothingBeforeSlash, at);
                }
                a.posonlyargs = std::mem::take(&mut a.args);
            }
            Param::Star(at) | Param::VarArg(Arg { range: at, .. }) if star_seen => {
                return order(ParseErrorKind::DuplicateStar, at);
            }
            Param::Star(at) => {
                star_seen = true;
                bare_star = Some(at);
            }
            Param::VarArg(arg) => {
                star_seen = true;
                a.vararg = Some(Box::new(arg));
            }
            Param::KwArg(arg) => a.kwarg = Some(Box::new(arg)),
        }
    }
    if let Some(at) = bare_star {
        return order(ParseErrorKind::BareStarWithoutNames, at);
    }
    Ok(a)
}

pub fn empty_arguments(at: usize) -> Arguments {
    Arguments {
        range: range(at, at),
        posonlyargs: Vec::new(),
        args: Vec::new(),
        vararg: None,
        kwonlyargs: Vec::new(),
        kw_defaults: Vec::new(),
        kwarg: None,
        defaults: Vec::new(),
    }
}

// ---- Strings -------------------------------------------------------------------------------

pub use simpy_python::literals::LiteralPiece as Piece;

/// One string or bytes token, decoded; its text is prefix, quotes and body as written.
pub fn string_piece<'a>(l: usize, text: &str, r: usize) -> Fallible<'a, Piece> {
    let (prefix, rest) = split_opening(text);
    let quote_len = if rest.len() >= 6 && (rest.starts_with("'''") || rest.starts_with("\"\"\"")) {
        3
    } else {
        1
    };
    let quote = &rest[..quote_len];
    let body = &rest[quote_len..rest.len() - quote_len];
    let at = range(l, r);
    let invalid = |kind: simpy_python::ParseErrorKind| {
        fail::<Piece>(SimpyErrorKind::InvalidLiteral(kind.to_string()), at)
    };
    let flags = match parse_prefix(prefix) {
        Ok(flags) => flags,
        Err(kind) => return invalid(kind),
    };
    let spelling = StringPiece {
        range: at,
        prefix: prefix.into(),
        quote: quote.into(),
        body: body.into(),
    };
    // A line end inside a literal means what Python's tokenizer makes of it (`\r\n` is `\n`).
    if flags.bytes {
        match decode_bytes(&normalize_newlines(body), flags.raw) {
            Ok(value) => Ok(Piece::Bytes(value, spelling)),
            Err(kind) => invalid(kind),
        }
    } else {
        match decode_str(&normalize_newlines(body), flags.raw, false) {
            Ok(value) => Ok(Piece::Str(value, spelling)),
            Err(kind) => invalid(kind),
        }
    }
}

/// Where an f-string's literal text must be decoded: raw or not.
pub fn fstring_is_raw(opening: &str) -> bool {
    opening.contains(['r', 'R'])
}

pub fn fstring_literal<'a>(
    l: usize,
    text: &str,
    raw: bool,
    r: usize,
) -> Fallible<'a, FStringElement> {
    match decode_str(&normalize_newlines(text), raw, true) {
        Ok(value) => Ok(FStringElement::Literal(FStringLiteral {
            range: range(l, r),
            value,
            raw: Some(text.into()),
        })),
        Err(kind) => fail(
            SimpyErrorKind::InvalidLiteral(kind.to_string()),
            range(l, r),
        ),
    }
}

/// The elements of an f-string as parsed carry raw text but not yet rawness; the grammar
/// parses them before it knows, so literal pieces arrive as (range, text) to decode here.
pub enum RawElement<'a> {
    Text(usize, &'a str, usize),
    Field(Box<RawField<'a>>),
}

pub struct RawField<'a> {
    pub range: TextRange,
    pub expression: Expr,
    pub debug: Option<(usize, &'a str, usize)>,
    pub conversion: Conversion,
    pub spec: Option<Vec<RawElement<'a>>>,
}

pub fn fstring<'a>(
    l: usize,
    opening: &str,
    elements: Vec<RawElement<'_>>,
    r: usize,
) -> Fallible<'a, Piece> {
    let (prefix, quote) = split_opening(opening);
    let raw = fstring_is_raw(prefix);
    if let Err(kind) = parse_prefix(prefix) {
        return fail(
            SimpyErrorKind::InvalidLiteral(kind.to_string()),
            range(l, r),
        );
    }
    Ok(Piece::FString(FString {
        range: range(l, r),
        prefix: prefix.into(),
        quote: quote.into(),
        elements: fstring_elements(elements, raw, quote)?,
    }))
}

fn fstring_elements<'a>(
    elements: Vec<RawElement<'_>>,
    raw: bool,
    quote: &str,
) -> Fallible<'a, Vec<FStringElement>> {
    let mut out = Vec::with_capacity(elements.len());
    for element in elements {
        out.push(match element {
            RawElement::Text(l, text, r) => fstring_literal(l, text, raw, r)?,
            RawElement::Field(f) => {
                let debug_text = match f.debug {
                    None => None,
                    Some((l, text, r)) => match string_piece(l, text, r)? {
                        Piece::Str(value, _) if value.as_str().is_some() => {
                            value.as_str().map(Box::from)
                        }
                        _ => {
                            return fail(
                                SimpyErrorKind::InvalidLiteral(
                                    "an f-string's debug text must be a plain string".into(),
                                ),
                                range(l, r),
                            )
                        }
                    },
                };
                if let Some(text) = &debug_text {
                    check_debug_text(text, &f.expression, quote, f.range)?;
                }
                let format_spec = match f.spec {
                    Some(spec) => Some(fstring_elements(spec, raw, quote)?),
                    None => None,
                };
                FStringElement::Field(FStringField {
                    range: f.range,
                    expression: Box::new(f.expression),
                    debug_text,
                    conversion: f.conversion,
                    format_spec,
                })
            }
        });
    }
    Ok(out)
}

/// `{x = }` keeps the expression twice: as SimPy code and, in the debug text, as the Python
/// that is printed. They must agree, or the decoded Python would mean something else: the
/// field `decode` prints, `{` and the text, must read back as this text and expression (since
/// Python 3.12 a field may hold backslashes, line breaks and the f-string's own quote; CPython
/// leaves comments out of the text, and `{{` would be a brace).
fn check_debug_text<'a>(
    text: &str,
    expression: &Expr,
    quote: &str,
    at: TextRange,
) -> Fallible<'a, ()> {
    let printed = format!("f{quote}{{{text}}}{quote}");
    let agrees = simpy_python::parse_str(&printed).is_ok_and(|parsed| {
        let [Stmt::Expr(statement)] = &parsed.module.body[..] else {
            return false;
        };
        let Expr::FString(fstring) = &*statement.value else {
            return false;
        };
        match &fstring.parts[..] {
            [FStringPart::FString(piece)] => match &piece.elements[..] {
                [FStringElement::Field(field)] => {
                    field.debug_text.as_deref() == Some(text)
                        && dump_expr(&field.expression) == dump_expr(expression)
                }
                _ => false,
            },
            _ => false,
        }
    });
    if agrees {
        Ok(())
    } else {
        fail(SimpyErrorKind::DebugTextMismatch(text.to_owned()), at)
    }
}

pub fn conversion(c: char) -> Conversion {
    match c {
        's' => Conversion::Str,
        'r' => Conversion::Repr,
        _ => Conversion::Ascii,
    }
}

/// Adjacent literals (`<concat>`) to one expression, as CPython joins them.
pub fn strings<'a>(l: usize, pieces: Vec<Piece>, r: usize) -> Fallible<'a, Expr> {
    match simpy_python::literals::concatenate(range(l, r), pieces) {
        Some(expr) => Ok(expr),
        None => fail(SimpyErrorKind::MixedBytes, range(l, r)),
    }
}

// ---- Statements ----------------------------------------------------------------------------

/// A block must hold a statement; Python has no empty blocks.
pub fn block<'a>(l: usize, body: Vec<Stmt>, r: usize) -> Fallible<'a, Vec<Stmt>> {
    if body.is_empty() {
        return fail(
            SimpyErrorKind::Order("a block needs at least one statement"),
            range(l, r),
        );
    }
    Ok(body)
}

pub fn dotted_name(l: usize, parts: Vec<&str>, r: usize) -> Identifier {
    identifier(l, &parts.join("."), r)
}

pub fn alias(l: usize, name: Identifier, asname: Option<Identifier>, r: usize) -> Alias {
    Alias {
        range: range(l, r),
        name,
        asname,
    }
}

pub fn assignment<'a>(l: usize, first: Expr, rest: Vec<Expr>, r: usize) -> Fallible<'a, Stmt> {
    // `rest` holds further targets and, last, the value.
    let mut all = rest;
    let value = all.pop().expect("an assignment has a value");
    let mut targets = Vec::with_capacity(all.len() + 1);
    targets.push(store(first, "assign to")?);
    for t in all {
        targets.push(store(t, "assign to")?);
    }
    Ok(Stmt::Assign(StmtAssign {
        range: range(l, r),
        targets,
        value: Box::new(value),
    }))
}

pub fn ann_assign<'a>(
    l: usize,
    target: Expr,
    annotation: Expr,
    value: Option<Expr>,
    r: usize,
) -> Fallible<'a, Stmt> {
    let what = match &target {
        Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => None,
        Expr::Tuple(_) => Some("tuple"),
        Expr::List(_) => Some("list"),
        _ => Some("expression"),
    };
    if let Some(what) = what {
        return fail(
            SimpyErrorKind::InvalidTarget(format!(
                "only a single target (not a {what}) can be annotated"
            )),
            target.range(),
        );
    }
    // CPython's `simple` is false for a parenthesised name: the grammar widens its range.
    let simple = matches!(&target, Expr::Name(n) if n.range.start as usize == l);
    Ok(Stmt::AnnAssign(StmtAnnAssign {
        range: range(l, r),
        target: Box::new(store(target, "assign to")?),
        annotation: Box::new(annotation),
        value: value.map(Box::new),
        simple,
    }))
}

pub fn try_statement<'a>(
    l: usize,
    body: Vec<Stmt>,
    handlers: Vec<(bool, ExceptHandler)>,
    orelse: Option<Vec<Stmt>>,
    finalbody: Option<Vec<Stmt>>,
    r: usize,
) -> Fallible<'a, Stmt> {
    let is_star = handlers.first().is_some_and(|h| h.0);
    if let Some((_, h)) = handlers.iter().find(|h| h.0 != is_star) {
        return fail(
            SimpyErrorKind::Rule(ParseErrorKind::MixedExceptStar),
            h.range,
        );
    }
    // A bare `except:` before others is the compiler's error, not the parser's: `ast.parse`
    // and the Python front end take it, so decoding does too.
    if handlers.is_empty() && (finalbody.is_none() || orelse.is_some()) {
        return fail(
            SimpyErrorKind::Rule(ParseErrorKind::TryWithoutHandlers),
            range(l, r),
        );
    }
    Ok(Stmt::Try(StmtTry {
        range: range(l, r),
        is_star,
        body,
        handlers: handlers.into_iter().map(|h| h.1).collect(),
        orelse: orelse.unwrap_or_default(),
        finalbody: finalbody.unwrap_or_default(),
    }))
}

// ---- Patterns ------------------------------------------------------------------------------

pub fn match_as(l: usize, pattern: Option<Pattern>, name: Option<Identifier>, r: usize) -> Pattern {
    Pattern::MatchAs(PatternMatchAs {
        range: range(l, r),
        pattern: pattern.map(Box::new),
        name,
    })
}

/// A bare name in a pattern: `_` is the wildcard, anything else a capture.
pub fn capture(l: usize, text: &str, r: usize) -> Pattern {
    let name = (text != "_").then(|| identifier(l, text, r));
    match_as(l, None, name, r)
}

pub fn match_or(l: usize, mut patterns: Vec<Pattern>, r: usize) -> Pattern {
    if patterns.len() == 1 {
        return patterns.pop().expect("one pattern");
    }
    Pattern::MatchOr(PatternMatchOr {
        range: range(l, r),
        patterns,
    })
}

pub fn match_sequence(l: usize, patterns: Vec<Pattern>, r: usize) -> Pattern {
    Pattern::MatchSequence(PatternMatchSequence {
        range: range(l, r),
        patterns,
    })
}

/// `(p)` groups a pattern; `(p )` and `(p q)` are sequences.
pub fn parenthesized_patterns<'a>(
    l: usize,
    mut patterns: Vec<Pattern>,
    trailing: bool,
    r: usize,
) -> Fallible<'a, Pattern> {
    if patterns.len() == 1 && !trailing {
        let p = patterns.pop().expect("one pattern");
        if let Pattern::MatchStar(s) = &p {
            return fail(SimpyErrorKind::StarredNotAllowed("here"), s.range);
        }
        return Ok(p);
    }
    Ok(match_sequence(l, patterns, r))
}

pub fn match_value(l: usize, value: Expr, r: usize) -> Pattern {
    Pattern::MatchValue(PatternMatchValue {
        range: range(l, r),
        value: Box::new(value),
    })
}

pub fn match_singleton(l: usize, value: Constant, r: usize) -> Pattern {
    Pattern::MatchSingleton(PatternMatchSingleton {
        range: range(l, r),
        value,
    })
}

pub enum MappingItem {
    Pair(Box<(Expr, Pattern)>),
    Rest(Identifier),
}

pub fn match_mapping<'a>(l: usize, items: Vec<MappingItem>, r: usize) -> Fallible<'a, Pattern> {
    let mut keys = Vec::new();
    let mut patterns = Vec::new();
    let mut rest: Option<Identifier> = None;
    for item in items {
        if let Some(rest) = &rest {
            return fail(
                SimpyErrorKind::Rule(ParseErrorKind::InvalidPattern(
                    "'**' must come last in a mapping pattern".into(),
                )),
                rest.range,
            );
        }
        match item {
            MappingItem::Pair(pair) => {
                let (k, p) = *pair;
                keys.push(k);
                patterns.push(p);
            }
            MappingItem::Rest(name) if &*name.id == "_" => {
                return fail(
                    SimpyErrorKind::Rule(ParseErrorKind::WildcardTarget),
                    name.range,
                )
            }
            MappingItem::Rest(name) => rest = Some(name),
        }
    }
    Ok(Pattern::MatchMapping(PatternMatchMapping {
        range: range(l, r),
        keys,
        patterns,
        rest,
    }))
}

pub enum ClassArg {
    Positional(Pattern),
    Keyword(Identifier, Box<Pattern>),
}

pub fn match_class<'a>(
    l: usize,
    cls: Expr,
    args: Vec<ClassArg>,
    r: usize,
) -> Fallible<'a, Pattern> {
    let mut patterns = Vec::new();
    let mut kwd_attrs = Vec::new();
    let mut kwd_patterns = Vec::new();
    for arg in args {
        match arg {
            ClassArg::Positional(p) if !kwd_attrs.is_empty() => {
                return fail(
                    SimpyErrorKind::Rule(ParseErrorKind::PositionalPatternAfterKeyword),
                    p.range(),
                )
            }
            ClassArg::Positional(p) => patterns.push(p),
            ClassArg::Keyword(name, p) => {
                kwd_attrs.push(name);
                kwd_patterns.push(*p);
            }
        }
    }
    Ok(Pattern::MatchClass(PatternMatchClass {
        range: range(l, r),
        cls: Box::new(cls),
        patterns,
        kwd_attrs,
        kwd_patterns,
    }))
}

pub fn match_star(l: usize, text: &str, r: usize) -> Pattern {
    Pattern::MatchStar(PatternMatchStar {
        range: range(l, r),
        name: (text != "_").then(|| identifier(l + 1, text, r)),
    })
}
