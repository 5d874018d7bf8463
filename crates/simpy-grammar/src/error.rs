//! Every error the SimPy parser reports, and every message it shows (lowercase, no period).

use simpy_ast::{Special, TextRange};
use std::fmt;

/// Why a SimPy text has no AST.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct SimpyError {
    pub kind: SimpyErrorKind,
    /// Where, in bytes of the SimPy text.
    pub range: TextRange,
}

impl SimpyError {
    pub fn new(kind: SimpyErrorKind, range: TextRange) -> Self {
        SimpyError { kind, range }
    }

    /// `path:line:col: error: message`, the line of `src` with a caret, and the fix if known:
    /// every diagnostic's layout (`simpy_ast::render_diagnostic`).
    pub fn render(&self, src: &str, path: &str) -> String {
        let (location, line_text) = simpy_ast::locate(src, self.range.start);
        let message = self.kind.to_string();
        let hint = self.hint(src);
        simpy_ast::render_diagnostic(
            "error",
            path,
            location,
            line_text,
            &message,
            hint.as_deref(),
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SimpyErrorKind {
    UnknownCharacter(char),
    UnknownSpecial(String),
    PythonKeyword(String),
    Python2(String),
    UnterminatedString {
        triple: bool,
    },
    UnterminatedFString,
    SingleBraceInFString,
    InvalidConversion,
    CommentInField,
    /// `{x='y='}`: the debug text is not the field's expression.
    DebugTextMismatch(String),
    /// A token the grammar has no place for; `expected` lists what would have fitted.
    Unexpected {
        found: String,
        expected: Vec<String>,
    },
    /// The input ended inside a construct, such as a block without its `<block_end>`.
    Truncated {
        expected: Vec<String>,
        /// The innermost block still open, if the input ended inside one.
        open_block: Option<OpenBlock>,
    },
    /// A line break between two tokens, where `<line_sep>` or a space belongs.
    LineBreak,
    /// A literal whose text Python rejects (bad escape, bad number).
    InvalidLiteral(String),
    MixedBytes,
    /// A target Python cannot assign to or delete; the message is the Python front end's.
    InvalidTarget(String),
    InvalidAugTarget(&'static str),
    /// A rule of SimPy's own (a block holds a statement, an f-string's debug text).
    Order(&'static str),
    /// A rule of Python's, checked on SimPy too: the Python front end's kind and message, so
    /// the same mistake reads the same from `encode` and from `decode`.
    Rule(simpy_python::ParseErrorKind),
    StarredNotAllowed(&'static str),
    TooDeep,
    /// An idiom token `<@N>` the dialect does not have: the number, and how many it has.
    UnknownIdiom(u32, usize),
}

impl fmt::Display for SimpyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SimpyErrorKind::*;
        match self {
            UnknownCharacter(c) => write!(f, "unexpected character {c:?}"),
            UnknownSpecial(t) => write!(f, "unknown special token `{t}`"),
            UnknownIdiom(n, 0) => write!(f, "idiom token `<@{n}>`, but the dialect has no idioms"),
            UnknownIdiom(n, count) => write!(
                f,
                "unknown idiom token `<@{n}>`: the dialect's idioms are `<@0>` to `<@{}>`",
                count - 1
            ),
            PythonKeyword(k) => write!(
                f,
                "`{k}` is a Python keyword; SimPy spells it with a special token"
            ),
            Python2(t) => write!(f, "`{t}` is Python 2, which SimPy does not support"),
            UnterminatedString { triple: false } => f.write_str("unterminated string literal"),
            UnterminatedString { triple: true } => {
                f.write_str("unterminated triple-quoted string literal")
            }
            UnterminatedFString => f.write_str("unterminated f-string"),
            SingleBraceInFString => f.write_str("f-string: single '}' is not allowed"),
            InvalidConversion => f.write_str("f-string: expected 'r', 's' or 'a' after '!'"),
            CommentInField => f.write_str("f-string: a field cannot contain a comment"),
            DebugTextMismatch(text) => write!(
                f,
                "f-string: the debug text {text:?} is not the field's expression"
            ),
            Unexpected { found, expected } => {
                write!(f, "unexpected {found}")?;
                write_expected(f, expected)
            }
            Truncated {
                open_block: Some(block),
                ..
            } => {
                write!(
                    f,
                    "input ends inside a block: missing <block_end> for `{}` (its block began at {}:{}",
                    block.header, block.line, block.col
                )?;
                match block.open {
                    1 => f.write_str(")"),
                    n => write!(f, "; {n} blocks are open in all)"),
                }
            }
            Truncated { expected, .. } => {
                if expected.iter().any(|e| e == "<block_end>") {
                    f.write_str("input ends inside a block: missing <block_end>")
                } else {
                    f.write_str("input ends in the middle of a statement")?;
                    write_expected(f, expected)
                }
            }
            InvalidLiteral(m) => f.write_str(m),
            MixedBytes => f.write_str("cannot mix bytes and nonbytes literals"),
            InvalidTarget(message) => f.write_str(message),
            InvalidAugTarget(what) => {
                write!(
                    f,
                    "'{what}' is an illegal expression for augmented assignment"
                )
            }
            Order(message) => f.write_str(message),
            Rule(kind) => write!(f, "{kind}"),
            StarredNotAllowed(place) => write!(f, "a starred expression is not allowed {place}"),
            TooDeep => f.write_str("too deeply nested"),
            LineBreak => f.write_str(
                "a line break is not a separator in SimPy: statements are separated by <line_sep>",
            ),
        }
    }
}

/// `, expected a space or `]``, as a person would say it (at most six alternatives).
fn write_expected(f: &mut fmt::Formatter<'_>, expected: &[String]) -> fmt::Result {
    let shown: Vec<String> = expected
        .iter()
        .take(6)
        .map(|e| match e.as_str() {
            "space" => "a space".to_owned(),
            "name" | "number" | "string" => format!("a {e}"),
            "f-string" => "an f-string".to_owned(),
            _ => e.clone(),
        })
        .collect();
    match shown.as_slice() {
        [] => Ok(()),
        [one] => write!(f, ", expected {one}"),
        [init @ .., last] if expected.len() <= 6 => {
            write!(f, ", expected {} or {last}", init.join(", "))
        }
        all => write!(f, ", expected {} or others", all.join(", ")),
    }
}

/// The innermost block still open where the input ended, for "missing <block_end>".
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenBlock {
    /// The header that opened it, as written (`<def_stmt>f x`), shortened if long.
    pub header: String,
    /// 1-based line and column (in characters) of the header.
    pub line: u32,
    pub col: u32,
    /// How many blocks are open in all.
    pub open: usize,
}

impl SimpyError {
    /// How to fix the error, when a fixed table knows: the SimPy token for a Python operator
    /// or keyword, the special token meant by a misspelt one, the separator that replaces a
    /// comma or a line break. `src` is the text that was parsed.
    pub fn hint(&self, src: &str) -> Option<String> {
        use SimpyErrorKind::*;
        let at = (self.range.start as usize).min(src.len());
        match &self.kind {
            LineBreak => Some(
                "write <line_sep> between statements and a space between list elements; \
                 SimPy is one line (only a comment ends with a line break)"
                    .into(),
            ),
            UnknownSpecial(text) if text.bytes().any(|b| b.is_ascii_alphabetic()) => {
                special_hint(text)
            }
            UnknownSpecial(_) => operator_hint(src, at),
            UnknownCharacter(_) => operator_hint(src, at),
            PythonKeyword(k) => keyword_hint(k),
            Unexpected { found, expected } => {
                if found == "`,`" && !expected.iter().any(|e| e == "`,`") {
                    return Some(
                        "SimPy separates elements with one space, not a comma: `f(a b)` is \
                         Python's `f(a, b)` (only assignment and `for` targets keep commas)"
                            .into(),
                    );
                }
                if found == "`:`" && expected.iter().any(|e| e == "<block_start>") {
                    return Some(
                        "SimPy headers have no `:`; a block is <block_start> … <block_end>".into(),
                    );
                }
                operator_hint(src, at)
            }
            _ => None,
        }
    }
}

/// Python operators that SimPy spells with a special token.
const PYTHON_OPERATORS: &[(&str, Special)] = &[
    ("==", Special::Eq),
    ("!=", Special::NotEq),
    ("<>", Special::NotEq),
    ("<=", Special::LtE),
    (">=", Special::GtE),
    ("<", Special::Lt),
    (">", Special::Gt),
    ("<<", Special::LShift),
    (">>", Special::RShift),
    ("//", Special::FloorDiv),
    ("*", Special::Times),
    ("**", Special::Power),
    ("->", Special::Arrow),
    ("+=", Special::AugAdd),
    ("-=", Special::AugSub),
    ("*=", Special::AugMul),
    ("/=", Special::AugDiv),
    ("@=", Special::AugMatMul),
    ("//=", Special::AugFloorDiv),
    ("%=", Special::AugMod),
    ("**=", Special::AugPow),
    (">>=", Special::AugRShift),
    ("<<=", Special::AugLShift),
    ("&=", Special::AugAnd),
    ("^=", Special::AugXor),
    ("|=", Special::AugOr),
];

/// The run of operator characters around byte `at`, if it is a Python operator SimPy spells
/// with a token.
fn operator_hint(src: &str, at: usize) -> Option<String> {
    const OPERATOR_CHARS: &[u8] = b"=!<>/*-+@%&^|";
    let bytes = src.as_bytes();
    let is_op = |i: usize| bytes.get(i).is_some_and(|b| OPERATOR_CHARS.contains(b));
    if !(is_op(at) || at > 0 && is_op(at - 1)) {
        return None;
    }
    let mut start = at.min(bytes.len());
    while start > 0 && is_op(start - 1) {
        start -= 1;
    }
    let mut end = at;
    while is_op(end) {
        end += 1;
    }
    let run = &src[start..end];
    let (python, token) = PYTHON_OPERATORS.iter().find(|(p, _)| *p == run)?;
    let note = match *python {
        "*" => " (a `*` before an operand is unpacking: `f(*args)`)",
        "**" => " (a `**` before an operand is unpacking: `f(**kwargs)`)",
        _ => "",
    };
    Some(format!(
        "SimPy writes Python's `{python}` as {}{note}",
        token.text()
    ))
}

/// `<retrun>` → did you mean `<return>`; `<def>` → `<def_stmt>`.
fn special_hint(text: &str) -> Option<String> {
    let word = text.trim_start_matches('<').trim_end_matches('>');
    if let Some(hint) = keyword_hint(word) {
        return Some(hint);
    }
    let (best, distance) = Special::ALL
        .iter()
        .map(|s| (s.text(), strsim::levenshtein(text, s.text())))
        .min_by_key(|&(_, d)| d)?;
    (distance <= 3 && distance < text.len() / 2).then(|| format!("did you mean `{best}`?"))
}

/// The SimPy token for a Python keyword.
fn keyword_hint(keyword: &str) -> Option<String> {
    use Special::*;
    let token = |s: Special| s.text().to_owned();
    let two = |first: Special, a: &str, second: Special, b: &str| {
        format!("{} ({a}) or {} ({b})", first.text(), second.text())
    };
    let written = match keyword {
        "True" => token(True),
        "False" => token(False),
        "None" => token(None),
        "return" => token(Return),
        "raise" => token(Raise),
        "pass" => token(Pass),
        "break" => token(Break),
        "continue" => token(Continue),
        "global" => token(Global),
        "nonlocal" => token(Nonlocal),
        "yield" => token(Yield),
        "await" => token(Await),
        "lambda" => token(Lambda),
        "as" => token(As),
        "in" => token(In),
        "is" => token(Is),
        "not" => token(Not),
        "and" => token(And),
        "or" => token(Or),
        "def" => token(DefStmt),
        "class" => token(ClassStmt),
        "elif" => token(ElifStmt),
        "while" => token(WhileStmt),
        "try" => token(TryStmt),
        "except" => token(ExceptStmt),
        "finally" => token(FinallyStmt),
        "with" => token(WithStmt),
        "assert" => token(AssertStmt),
        "del" => token(DelStmt),
        "match" => token(MatchStmt),
        "case" => token(CaseStmt),
        "async" => token(AsyncKeyword),
        "import" => two(
            ImportStmt,
            "`import a`",
            ImportFromStmt,
            "`from a import b`",
        ),
        "from" => two(
            ImportFromStmt,
            "`from a import b`",
            From,
            "`yield from`, `raise … from`",
        ),
        "if" => two(IfStmt, "a statement", If, "inside an expression"),
        "else" => two(ElseStmt, "a statement", Else, "inside an expression"),
        "for" => two(ForStmt, "a statement", For, "inside an expression"),
        _ => return Option::None,
    };
    Some(format!("SimPy writes Python's `{keyword}` as {written}"))
}
