//! Every error the SimPy parser reports, and every message it shows (lowercase, no period).

use simpy_ast::TextRange;
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
    },
    /// A literal whose text Python rejects (bad escape, bad number).
    InvalidLiteral(String),
    MixedBytes,
    /// A target Python cannot assign to or delete; the message is the Python front end's.
    InvalidTarget(String),
    InvalidAugTarget(&'static str),
    /// A Python rule on the order of arguments or parameters.
    Order(&'static str),
    StarredNotAllowed(&'static str),
    TooDeep,
}

impl fmt::Display for SimpyErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use SimpyErrorKind::*;
        match self {
            UnknownCharacter(c) => write!(f, "unexpected character {c:?}"),
            UnknownSpecial(t) => write!(f, "unknown special token `{t}`"),
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
            Truncated { expected } => {
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
            StarredNotAllowed(place) => write!(f, "a starred expression is not allowed {place}"),
            TooDeep => f.write_str("too deeply nested"),
        }
    }
}

fn write_expected(f: &mut fmt::Formatter<'_>, expected: &[String]) -> fmt::Result {
    match expected {
        [] => Ok(()),
        [one] => write!(f, ", expected {one}"),
        many if many.len() <= 6 => write!(f, ", expected one of {}", many.join(" ")),
        many => write!(f, ", expected one of {} …", many[..6].join(" ")),
    }
}
