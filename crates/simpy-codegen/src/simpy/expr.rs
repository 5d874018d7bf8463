//! SimPy expressions, simple statements and patterns: no spaces around operators, a single
//! space between list elements, the fewest parentheses that keep the tree.

use crate::python::{has_top_level_colon, is_decimal_int, parameter_items, Param};
use simpy_ast::precedence::{expr_prec, operator_prec, Prec};
use simpy_ast::*;

#[derive(Default)]
pub(super) struct Writer {
    pub out: String,
}

impl Writer {
    pub fn push(&mut self, s: &str) {
        self.out.push_str(s);
    }

    /// `expr` where at least `min` binding strength is needed, parenthesised otherwise.
    pub fn expr(&mut self, expr: &Expr, min: Prec) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            // A tuple brings its own parentheses.
            let tuple = matches!(expr, Expr::Tuple(_));
            if !tuple && (expr_prec(expr) < min || matches!(expr, Expr::NamedExpr(_))) {
                self.push("(");
                self.expr_inner(expr);
                self.push(")");
            } else {
                self.expr_inner(expr);
            }
        })
    }

    /// Space-separated items: the comma of Python.
    fn spaced<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push(" ");
            }
            each(self, item);
        }
    }

    fn bracketed<T>(
        &mut self,
        open: &str,
        close: &str,
        items: &[T],
        each: impl FnMut(&mut Self, &T),
    ) {
        self.push(open);
        self.spaced(items, each);
        self.push(close);
    }

    /// An element of a display, a call, a subscript or a bare tuple.
    fn element(&mut self, e: &Expr) {
        match e {
            Expr::Starred(_) => self.expr_inner(e),
            _ => self.expr(e, Prec::Lambda),
        }
    }

    fn expr_inner(&mut self, expr: &Expr) {
        match expr {
            Expr::BoolOp(e) => {
                let (word, prec) = match e.op {
                    BoolOp::And => (Special::And.text(), Prec::And),
                    BoolOp::Or => (Special::Or.text(), Prec::Or),
                };
                for (i, value) in e.values.iter().enumerate() {
                    if i > 0 {
                        self.push(word);
                    }
                    self.expr(value, prec.next());
                }
            }
            Expr::NamedExpr(e) => {
                self.expr(&e.target, Prec::Atom);
                self.push(":=");
                self.expr(&e.value, Prec::Lambda);
            }
            Expr::BinOp(e) => {
                let prec = operator_prec(e.op);
                let (left_min, right_min) = if e.op == Operator::Pow {
                    (Prec::Await, Prec::Factor)
                } else {
                    (prec, prec.next())
                };
                self.expr(&e.left, left_min);
                self.push(operator_token(e.op));
                self.expr(&e.right, right_min);
            }
            Expr::UnaryOp(e) => {
                self.push(match e.op {
                    UnaryOp::Not => Special::Not.text(),
                    UnaryOp::Invert => "~",
                    UnaryOp::UAdd => "+",
                    UnaryOp::USub => "-",
                });
                let min = if e.op == UnaryOp::Not {
                    Prec::Not
                } else {
                    Prec::Factor
                };
                self.expr(&e.operand, min);
            }
            Expr::Lambda(e) => {
                self.push(Special::Lambda.text());
                self.parameters(&e.args, false);
                self.push(":");
                self.expr(&e.body, Prec::Lambda);
            }
            Expr::IfExp(e) => {
                self.expr(&e.body, Prec::Or);
                self.push(Special::If.text());
                self.expr(&e.test, Prec::Or);
                self.push(Special::Else.text());
                self.expr(&e.orelse, Prec::Lambda);
            }
            Expr::Dict(e) => {
                let pairs: Vec<(Option<&Expr>, &Expr)> =
                    e.keys.iter().map(Option::as_ref).zip(&e.values).collect();
                self.bracketed("{", "}", &pairs, |w, (key, value)| match key {
                    Some(k) => {
                        w.expr(k, Prec::IfExp);
                        w.push(":");
                        w.expr(value, Prec::IfExp);
                    }
                    None => {
                        w.push("**");
                        w.expr(value, Prec::BitOr);
                    }
                });
            }
            Expr::Set(e) => self.bracketed("{", "}", &e.elts, |w, e| w.element(e)),
            Expr::ListComp(e) => self.comprehension("[", &e.elt, None, &e.generators, "]"),
            Expr::SetComp(e) => self.comprehension("{", &e.elt, None, &e.generators, "}"),
            Expr::DictComp(e) => {
                self.comprehension("{", &e.key, Some(&e.value), &e.generators, "}")
            }
            Expr::GeneratorExp(e) => self.comprehension("(", &e.elt, None, &e.generators, ")"),
            Expr::Await(e) => {
                self.push(Special::Await.text());
                self.expr(&e.value, Prec::Atom);
            }
            Expr::Yield(e) => {
                self.push(Special::Yield.text());
                if let Some(v) = &e.value {
                    self.expr_or_bare_tuple(v);
                }
            }
            Expr::YieldFrom(e) => {
                self.push(Special::Yield.text());
                self.push(Special::From.text());
                self.expr(&e.value, Prec::IfExp);
            }
            Expr::Compare(e) => {
                self.expr(&e.left, Prec::BitOr);
                for (op, right) in e.ops.iter().zip(&e.comparators) {
                    for token in cmpop_tokens(*op) {
                        self.push(token.text());
                    }
                    self.expr(right, Prec::BitOr);
                }
            }
            Expr::Call(e) => {
                self.expr(&e.func, Prec::Atom);
                self.call_arguments(&e.args, &e.keywords);
            }
            Expr::FString(e) => self.fstring(e),
            Expr::Constant(e) => self.constant(e),
            Expr::Attribute(e) => {
                // `1 .real` would read as two elements and `1.real` as a float.
                if is_decimal_int(&e.value) {
                    self.push("(");
                    self.expr_inner(&e.value);
                    self.push(")");
                } else {
                    self.expr(&e.value, Prec::Atom);
                }
                self.push(".");
                self.push(&e.attr.id);
            }
            Expr::Subscript(e) => {
                self.expr(&e.value, Prec::Atom);
                self.push("[");
                match &*e.slice {
                    // `x[a,]` keeps its trailing space; `x[*a]` is a tuple by itself.
                    Expr::Tuple(t) if !t.parenthesized && !t.elts.is_empty() => {
                        self.spaced(&t.elts, |w, e| w.element(e));
                        if t.elts.len() == 1 && !matches!(t.elts[0], Expr::Starred(_)) {
                            self.push(" ");
                        }
                    }
                    slice => self.element(slice),
                }
                self.push("]");
            }
            Expr::Starred(e) => {
                self.push("*");
                self.expr(&e.value, Prec::BitOr);
            }
            Expr::Name(e) => self.push(&e.id),
            Expr::List(e) => self.bracketed("[", "]", &e.elts, |w, e| w.element(e)),
            Expr::Tuple(e) => self.parenthesized_tuple(&e.elts),
            Expr::Slice(e) => {
                if let Some(lower) = &e.lower {
                    self.expr(lower, Prec::Lambda);
                }
                self.push(":");
                if let Some(upper) = &e.upper {
                    self.expr(upper, Prec::Lambda);
                }
                if let Some(step) = &e.step {
                    self.push(":");
                    self.expr(step, Prec::Lambda);
                }
            }
        }
    }

    /// `(a b)`, `(a )`, `()`.
    fn parenthesized_tuple(&mut self, elts: &[Expr]) {
        self.bracketed("(", ")", elts, |w, e| w.element(e));
        if elts.len() == 1 {
            self.out.insert(self.out.len() - 1, ' ');
        }
    }

    /// A tuple written bare (`<return>a b`), as the value of a statement. A one-element tuple
    /// keeps its parentheses: its trailing space would be read as layout.
    pub fn expr_or_bare_tuple(&mut self, e: &Expr) {
        match e {
            Expr::Tuple(t) if t.elts.len() > 1 => self.spaced(&t.elts, |w, e| w.element(e)),
            Expr::Tuple(t) => self.parenthesized_tuple(&t.elts),
            _ => self.expr(e, Prec::Lambda),
        }
    }

    /// The value of an expression statement or an assignment, where a bare `yield` may stand too.
    pub fn statement_value(&mut self, e: &Expr) {
        match e {
            Expr::Yield(_) | Expr::YieldFrom(_) => self.expr_inner(e),
            _ => self.expr_or_bare_tuple(e),
        }
    }

    /// An assignment or `for` target: a tuple keeps Python's commas (`a,b=b a`).
    pub fn target_list(&mut self, e: &Expr) {
        match e {
            Expr::Tuple(t) if !t.elts.is_empty() => {
                for (i, elt) in t.elts.iter().enumerate() {
                    if i > 0 {
                        self.push(",");
                    }
                    self.target_element(elt);
                }
                if t.elts.len() == 1 {
                    self.push(",");
                }
            }
            _ => self.target_element(e),
        }
    }

    fn target_element(&mut self, e: &Expr) {
        match e {
            Expr::Starred(_) => self.expr_inner(e),
            _ => self.expr(e, Prec::BitOr),
        }
    }

    fn comprehension(
        &mut self,
        open: &str,
        elt: &Expr,
        value: Option<&Expr>,
        generators: &[Comprehension],
        close: &str,
    ) {
        self.push(open);
        self.expr(elt, Prec::Lambda);
        if let Some(v) = value {
            self.push(":");
            self.expr(v, Prec::IfExp);
        }
        for g in generators {
            if g.is_async {
                self.push(Special::AsyncKeyword.text());
            }
            self.push(Special::For.text());
            self.target_list(&g.target);
            self.push(" ");
            self.expr(&g.iter, Prec::Or);
            for test in &g.ifs {
                self.push(Special::If.text());
                self.expr(test, Prec::Or);
            }
        }
        self.push(close);
    }

    pub fn call_arguments(&mut self, args: &[Expr], keywords: &[Keyword]) {
        enum Arg<'a> {
            Positional(&'a Expr),
            Keyword(&'a Keyword),
        }
        if let ([Expr::GeneratorExp(g)], []) = (args, keywords) {
            if !g.parenthesized {
                self.comprehension("(", &g.elt, None, &g.generators, ")");
                return;
            }
        }
        // Keywords and `*args` may interleave; source order is by position.
        let mut all: Vec<Arg<'_>> = args
            .iter()
            .map(Arg::Positional)
            .chain(keywords.iter().map(Arg::Keyword))
            .collect();
        all.sort_by_key(|a| match a {
            Arg::Positional(e) => e.range().start,
            Arg::Keyword(k) => k.range.start,
        });
        self.bracketed("(", ")", &all, |w, a| match a {
            Arg::Positional(e) => w.element(e),
            Arg::Keyword(k) => match &k.arg {
                Some(name) => {
                    w.push(&name.id);
                    w.push("=");
                    w.expr(&k.value, Prec::Lambda);
                }
                None => {
                    w.push("**");
                    w.expr(&k.value, Prec::BitOr);
                }
            },
        });
    }

    /// Parameters of a `def` (`annotated`) or `lambda`, space-separated, without brackets.
    pub fn parameters(&mut self, args: &Arguments, annotated: bool) {
        self.spaced(&parameter_items(args), |w, item| match item {
            Param::Slash => w.push("/"),
            Param::Star => w.push("*"),
            Param::Arg {
                prefix,
                arg,
                default,
            } => {
                w.push(prefix);
                w.push(&arg.arg.id);
                if let Some(a) = arg.annotation.as_deref().filter(|_| annotated) {
                    w.push(":");
                    let min = if matches!(a, Expr::Starred(_)) {
                        Prec::Yield
                    } else {
                        Prec::Lambda
                    };
                    w.expr(a, min);
                }
                if let Some(d) = default {
                    w.push("=");
                    w.expr(d, Prec::Lambda);
                }
            }
        });
    }

    pub fn type_params(&mut self, params: &[TypeParam]) {
        if params.is_empty() {
            return;
        }
        self.bracketed("[", "]", params, |w, p| {
            let (star, name, bound, default) = p.parts();
            w.push(star);
            w.push(&name.id);
            if let Some(bound) = bound {
                w.push(":");
                w.expr(bound, Prec::IfExp);
            }
            if let Some(default) = default {
                w.push("=");
                w.expr(default, Prec::IfExp);
            }
        });
    }

    pub fn simple_statement(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Expr(s) => self.statement_value(&s.value),
            Stmt::Assign(s) => {
                for target in &s.targets {
                    self.target_list(target);
                    self.push("=");
                }
                self.statement_value(&s.value);
            }
            Stmt::AugAssign(s) => {
                self.expr(&s.target, Prec::Atom);
                self.push(augmented_token(s.op));
                self.statement_value(&s.value);
            }
            Stmt::AnnAssign(s) => {
                if !s.simple && matches!(*s.target, Expr::Name(_)) {
                    self.push("(");
                    self.expr(&s.target, Prec::Atom);
                    self.push(")");
                } else {
                    self.expr(&s.target, Prec::Atom);
                }
                self.push(":");
                self.expr(&s.annotation, Prec::Lambda);
                if let Some(value) = &s.value {
                    self.push("=");
                    self.statement_value(value);
                }
            }
            Stmt::Return(s) => {
                self.push(Special::Return.text());
                if let Some(value) = &s.value {
                    self.expr_or_bare_tuple(value);
                }
            }
            Stmt::Delete(s) => {
                self.push(Special::DelStmt.text());
                self.spaced(&s.targets, |w, t| w.expr(t, Prec::BitOr));
            }
            Stmt::Raise(s) => {
                self.push(Special::Raise.text());
                if let Some(exc) = &s.exc {
                    self.expr(exc, Prec::IfExp);
                }
                if let Some(cause) = &s.cause {
                    self.push(Special::From.text());
                    self.expr(cause, Prec::IfExp);
                }
            }
            Stmt::Assert(s) => {
                self.push(Special::AssertStmt.text());
                self.expr(&s.test, Prec::IfExp);
                if let Some(msg) = &s.msg {
                    self.push(" ");
                    self.expr(msg, Prec::IfExp);
                }
            }
            Stmt::Import(s) => {
                self.push(Special::ImportStmt.text());
                self.spaced(&s.names, alias);
            }
            Stmt::ImportFrom(s) => {
                let future =
                    s.level == 0 && s.module.as_ref().is_some_and(|m| &*m.id == "__future__");
                if future {
                    self.push(Special::ImportFromFutureStmt.text());
                } else {
                    self.push(Special::ImportFromStmt.text());
                    self.push(&".".repeat(s.level as usize));
                    if let Some(module) = &s.module {
                        self.push(&module.id);
                    }
                    self.push(" ");
                }
                self.spaced(&s.names, alias);
            }
            Stmt::Global(s) => {
                self.push(Special::Global.text());
                self.spaced(&s.names, |w, n| w.push(&n.id));
            }
            Stmt::Nonlocal(s) => {
                self.push(Special::Nonlocal.text());
                self.spaced(&s.names, |w, n| w.push(&n.id));
            }
            Stmt::TypeAlias(s) => {
                self.push(Special::TypeStmt.text());
                self.expr(&s.name, Prec::Atom);
                self.type_params(&s.type_params);
                self.push("=");
                self.expr(&s.value, Prec::Lambda);
            }
            Stmt::Pass(_) => self.push(Special::Pass.text()),
            Stmt::Break(_) => self.push(Special::Break.text()),
            Stmt::Continue(_) => self.push(Special::Continue.text()),
            Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::If(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::With(_)
            | Stmt::Try(_)
            | Stmt::Match(_) => unreachable!("compound statements are printed by `Printer`"),
        }
    }

    fn constant(&mut self, c: &ExprConstant) {
        match (&c.value, &c.spelling) {
            (Constant::None, _) => self.push(Special::None.text()),
            (Constant::True, _) => self.push(Special::True.text()),
            (Constant::False, _) => self.push(Special::False.text()),
            (Constant::Ellipsis, _) => self.push(Special::Ellipsis.text()),
            (_, Spelling::Number(text)) => self.push(text),
            (_, Spelling::Strings(pieces)) if !pieces.is_empty() => {
                for (i, piece) in pieces.iter().enumerate() {
                    if i > 0 {
                        self.push(Special::Concat.text());
                    }
                    self.push(&piece.prefix);
                    self.push(&piece.quote);
                    self.push(&piece.body);
                    self.push(&piece.quote);
                }
            }
            // Trees built without source: Python's canonical spelling is SimPy's too.
            _ => {
                let mut line = crate::python::Line::default();
                crate::python::ExprWriter::new(&mut line).constant(c);
                self.push(&line.text);
            }
        }
    }

    fn fstring(&mut self, e: &ExprFString) {
        for (i, part) in e.parts.iter().enumerate() {
            if i > 0 {
                self.push(Special::Concat.text());
            }
            match part {
                FStringPart::Literal(lit) => match &lit.spelling {
                    Some(piece) => {
                        self.push(&piece.prefix);
                        self.push(&piece.quote);
                        self.push(&piece.body);
                        self.push(&piece.quote);
                    }
                    None => self.push(&lit.value.repr()),
                },
                FStringPart::FString(f) => {
                    self.push(&f.prefix);
                    self.push(&f.quote);
                    self.fstring_elements(&f.elements, &f.quote);
                    self.push(&f.quote);
                }
            }
        }
    }

    fn fstring_elements(&mut self, elements: &[FStringElement], quote: &str) {
        for element in elements {
            match element {
                FStringElement::Literal(lit) => match &lit.raw {
                    Some(raw) => self.push(raw),
                    None => self.push(&crate::python::escape_fstring_text(&lit.value, quote)),
                },
                FStringElement::Field(field) => self.fstring_field(field, quote),
            }
        }
    }

    /// `{expr}` with the expression in SimPy; `{expr='x = '}` carries `{x = }`'s debug text,
    /// which is Python as written and so cannot be derived from the SimPy expression.
    fn fstring_field(&mut self, field: &FStringField, quote: &str) {
        self.push("{");
        let mut inner = Writer::default();
        inner.statement_value(&field.expression);
        if has_top_level_colon(&inner.out) {
            self.push("(");
            self.push(&inner.out);
            self.push(")");
        } else {
            // `{{` would be an escaped brace.
            if inner.out.starts_with('{') {
                self.push(" ");
            }
            self.push(&inner.out);
        }
        if let Some(text) = &field.debug_text {
            self.push("=");
            self.push(&debug_text_literal(text, quote));
        }
        match field.conversion {
            Conversion::None => {}
            Conversion::Str => self.push("!s"),
            Conversion::Repr => self.push("!r"),
            Conversion::Ascii => self.push("!a"),
        }
        if let Some(spec) = &field.format_spec {
            self.push(":");
            self.fstring_elements(spec, quote);
        }
        self.push("}");
    }

    /// A `case` pattern; `nested` patterns inside `|` or `as` parenthesise `|` and `as` forms.
    pub fn pattern(&mut self, p: &Pattern, nested: bool) {
        match p {
            Pattern::MatchValue(v) => self.expr(&v.value, Prec::Or),
            Pattern::MatchSingleton(s) => self.push(match s.value {
                Constant::True => Special::True.text(),
                Constant::False => Special::False.text(),
                _ => Special::None.text(),
            }),
            Pattern::MatchSequence(s) => {
                self.bracketed("[", "]", &s.patterns, |w, p| w.pattern(p, false));
            }
            Pattern::MatchMapping(m) => {
                self.push("{");
                for (i, (k, p)) in m.keys.iter().zip(&m.patterns).enumerate() {
                    if i > 0 {
                        self.push(" ");
                    }
                    self.expr(k, Prec::Or);
                    self.push(":");
                    self.pattern(p, false);
                }
                if let Some(rest) = &m.rest {
                    if !m.keys.is_empty() {
                        self.push(" ");
                    }
                    self.push("**");
                    self.push(&rest.id);
                }
                self.push("}");
            }
            Pattern::MatchClass(c) => {
                self.expr(&c.cls, Prec::Atom);
                self.push("(");
                self.spaced(&c.patterns, |w, p| w.pattern(p, false));
                for (i, (name, p)) in c.kwd_attrs.iter().zip(&c.kwd_patterns).enumerate() {
                    if i > 0 || !c.patterns.is_empty() {
                        self.push(" ");
                    }
                    self.push(&name.id);
                    self.push("=");
                    self.pattern(p, false);
                }
                self.push(")");
            }
            Pattern::MatchStar(s) => {
                self.push("*");
                self.push(s.name.as_ref().map_or("_", |n| &n.id));
            }
            Pattern::MatchAs(a) => match (&a.pattern, &a.name) {
                (None, None) => self.push("_"),
                (None, Some(name)) => self.push(&name.id),
                (Some(inner), name) => {
                    if nested {
                        self.push("(");
                    }
                    self.pattern(inner, true);
                    self.push(Special::As.text());
                    self.push(name.as_ref().map_or("_", |n| &n.id));
                    if nested {
                        self.push(")");
                    }
                }
            },
            Pattern::MatchOr(o) => {
                if nested {
                    self.push("(");
                }
                for (i, p) in o.patterns.iter().enumerate() {
                    if i > 0 {
                        self.push("|");
                    }
                    self.pattern(p, true);
                }
                if nested {
                    self.push(")");
                }
            }
        }
    }
}

/// The debug text of `{x = }` as a string literal, in the quote the f-string does not use
/// when that needs no escapes.
fn debug_text_literal(text: &str, fstring_quote: &str) -> String {
    let quote = if fstring_quote.starts_with('"') {
        '\''
    } else {
        '"'
    };
    if text.contains([quote, '\\', '\n', '\r']) {
        PyStr::from(text).repr()
    } else {
        format!("{quote}{text}{quote}")
    }
}

fn alias(w: &mut Writer, a: &Alias) {
    w.push(&a.name.id);
    if let Some(asname) = &a.asname {
        w.push(Special::As.text());
        w.push(&asname.id);
    }
}

/// The SimPy spelling of a binary operator: a special token where the plain text would
/// be ambiguous (`*` is also a splat, `<<` contains `<`).
pub fn operator_token(op: Operator) -> &'static str {
    match op {
        Operator::Add => "+",
        Operator::Sub => "-",
        Operator::Mult => Special::Times.text(),
        Operator::MatMult => "@",
        Operator::Div => "/",
        Operator::Mod => "%",
        Operator::Pow => Special::Power.text(),
        Operator::LShift => Special::LShift.text(),
        Operator::RShift => Special::RShift.text(),
        Operator::BitOr => "|",
        Operator::BitXor => "^",
        Operator::BitAnd => "&",
        Operator::FloorDiv => Special::FloorDiv.text(),
    }
}

fn augmented_token(op: Operator) -> &'static str {
    match op {
        Operator::Add => Special::AugAdd.text(),
        Operator::Sub => Special::AugSub.text(),
        Operator::Mult => Special::AugMul.text(),
        Operator::MatMult => Special::AugMatMul.text(),
        Operator::Div => Special::AugDiv.text(),
        Operator::Mod => Special::AugMod.text(),
        Operator::Pow => Special::AugPow.text(),
        Operator::LShift => Special::AugLShift.text(),
        Operator::RShift => Special::AugRShift.text(),
        Operator::BitOr => Special::AugOr.text(),
        Operator::BitXor => Special::AugXor.text(),
        Operator::BitAnd => Special::AugAnd.text(),
        Operator::FloorDiv => Special::AugFloorDiv.text(),
    }
}

/// The reference writes `is not` and `not in` as two tokens; so do we, for comparable counts.
fn cmpop_tokens(op: CmpOp) -> &'static [Special] {
    match op {
        CmpOp::Eq => &[Special::Eq],
        CmpOp::NotEq => &[Special::NotEq],
        CmpOp::Lt => &[Special::Lt],
        CmpOp::LtE => &[Special::LtE],
        CmpOp::Gt => &[Special::Gt],
        CmpOp::GtE => &[Special::GtE],
        CmpOp::Is => &[Special::Is],
        CmpOp::IsNot => &[Special::Is, Special::Not],
        CmpOp::In => &[Special::In],
        CmpOp::NotIn => &[Special::Not, Special::In],
    }
}
