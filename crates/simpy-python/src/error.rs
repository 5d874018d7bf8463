//! Every error the Python front end reports, and every message it shows (lowercase, no period).

use simpy_ast::{LineCol, LineIndex, TextRange};
use std::fmt;

/// Why a source text has no AST.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind}")]
pub struct ParseError {
    pub kind: ParseErrorKind,
    /// Where, in bytes of the decoded text (or of the raw bytes for encoding errors).
    pub range: TextRange,
}

/// Which of the three families an error belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorFamily {
    /// The input is not valid Python (bad bytes, bad syntax, Python 2).
    InvalidInput,
    /// The input may be valid, but this front end cannot take it (too deep, not yet supported).
    Limit,
    /// The tree-sitter tree had a shape the lowering does not know: a bug here.
    Internal,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParseErrorKind {
    // Source bytes.
    UnknownEncoding(String),
    /// A codec CPython has and simpy does not read (`cp437`, `utf-7` …).
    UnsupportedEncoding(String),
    /// A character simpy cannot read as CPython's codec does (`codecs_table.rs`).
    ReadDifferently(String),
    Undecodable {
        encoding: String,
    },
    BomWithOtherEncoding(String),
    NullByte,
    // Syntax.
    InvalidSyntax {
        found: String,
    },
    InvalidCharacter(char),
    NeverClosed(String),
    Unmatched(String),
    /// `(]`: a closing bracket of another kind than the one open.
    MismatchedBracket {
        close: char,
        open: char,
        /// The line of the opening bracket, when it is not the closing one's.
        open_line: Option<u32>,
    },
    UnterminatedString {
        triple: bool,
    },
    /// A line continuation at the end of the file.
    UnexpectedEof,
    /// The f-string's own quote inside a format spec (`f"{x:"}"`), where it ends the string.
    QuoteInFormatSpec,
    MissingElse,
    /// Two expressions side by side inside brackets (`[a b]`).
    ForgotComma,
    /// `from a import b,` without parentheses.
    ImportTrailingComma,
    Expected(String),
    EmptyBlock,
    UnexpectedIndent,
    UnmatchedDedent,
    InconsistentTabs,
    UnparenthesizedWalrus,
    UnparenthesizedLambda,
    TryWithoutHandlers,
    Python2(Python2Construct),
    /// Valid Python newer than [`crate::PYTHON_VERSION`], which this front end does not read.
    NewerPython(NewerConstruct),
    InvalidTarget {
        what: &'static str,
        action: TargetAction,
    },
    IllegalAugTarget(&'static str),
    AnnotatedMultiTarget(&'static str),
    InvalidNumber {
        literal: String,
        reason: &'static str,
    },
    LeadingZeros,
    InvalidStringPrefix(String),
    NonAsciiBytes,
    MixedBytes,
    InvalidEscape(String),
    UnknownUnicodeName(String),
    EmptyFStringExpression,
    InvalidConversion(String),
    FStringTooDeep,
    PositionalAfterKeyword,
    PositionalAfterKeywordUnpacking,
    UnpackingAfterKeywordUnpacking,
    UnparenthesizedGenerator,
    /// `(*x)`, `a + *b`, `x = *a`: a starred expression where it cannot stand.
    StarredHere,
    /// `*a = b`, `for *a in b:`: a starred target outside a list or tuple.
    StarredTarget,
    NonDefaultAfterDefault,
    BareStarWithoutNames,
    AfterVarKeyword,
    ParenthesizedParameter,
    DuplicateSlash,
    SlashAfterStar,
    NothingBeforeSlash,
    DuplicateStar,
    MixedExceptStar,
    PositionalPatternAfterKeyword,
    WildcardTarget,
    ComplexLiteralNeedsImaginary,
    InvalidPattern(String),
    // Limits and bugs.
    TooDeep {
        limit: u32,
    },
    /// Valid Python that tree-sitter misreads in a way we cannot repair.
    MisreadStatements,
    /// A nested field in a format spec that starts with `=` (`{x:={w}}`): tree-sitter reads
    /// `x:=` as a walrus and the spec as plain text.
    MisreadEqualsSpec,
    Internal(String),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetAction {
    Assign,
    Delete,
    NamedExpr,
}

/// Python 3.14's new syntax, refused by name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NewerConstruct {
    /// `except A, B:` (PEP 758).
    UnparenthesizedExceptTypes,
    /// `t"…"` (PEP 750).
    TemplateString,
}

impl NewerConstruct {
    /// What it is, its PEP, and what to write instead.
    fn describe(self) -> (&'static str, u32, Option<&'static str>) {
        match self {
            NewerConstruct::UnparenthesizedExceptTypes => (
                "'except A, B:' without parentheses",
                758,
                Some("write 'except (A, B):' ('except A as B' if it is Python 2)"),
            ),
            NewerConstruct::TemplateString => ("a t-string", 750, None),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Python2Construct {
    PrintStatement,
    ExecStatement,
    Backquotes,
    NotEqualDiamond,
    LongSuffix,
    OctalLiteral,
    StringPrefixUr,
    RaiseComma,
    TupleParameter,
}

impl ParseErrorKind {
    pub fn family(&self) -> ErrorFamily {
        match self {
            ParseErrorKind::TooDeep { .. }
            | ParseErrorKind::MisreadStatements
            | ParseErrorKind::MisreadEqualsSpec
            | ParseErrorKind::UnsupportedEncoding(_)
            | ParseErrorKind::ReadDifferently(_)
            | ParseErrorKind::NewerPython(_) => ErrorFamily::Limit,
            ParseErrorKind::Internal(_) => ErrorFamily::Internal,
            _ => ErrorFamily::InvalidInput,
        }
    }
}

impl fmt::Display for ParseErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ParseErrorKind::*;
        match self {
            UnknownEncoding(name) => write!(f, "unknown encoding '{name}' in the coding declaration"),
            UnsupportedEncoding(name) => write!(
                f,
                "CPython reads encoding '{name}', simpy does not: convert the file to UTF-8 \
                 (`iconv -f {name} -t utf-8`) and drop the coding declaration"
            ),
            ReadDifferently(name) => write!(
                f,
                "simpy cannot read this character as CPython's '{name}' codec does: convert the \
                 file to UTF-8 (`iconv -f {name} -t utf-8`)"
            ),
            Undecodable { encoding } => write!(f, "source is not valid {encoding}"),
            BomWithOtherEncoding(name) => {
                write!(f, "file starts with a UTF-8 byte order mark but declares encoding '{name}'")
            }
            NullByte => write!(f, "source contains a null byte"),
            InvalidSyntax { found } if found.is_empty() => write!(f, "invalid syntax"),
            InvalidSyntax { found } => write!(f, "invalid syntax: unexpected {found}"),
            InvalidCharacter(c) if !simpy_ast::is_printable(u32::from(*c)) => {
                write!(f, "invalid non-printable character U+{:04X}", u32::from(*c))
            }
            InvalidCharacter(c) => write!(f, "invalid character '{c}' (U+{:04X})", u32::from(*c)),
            NeverClosed(bracket) => write!(f, "'{bracket}' was never closed"),
            Unmatched(bracket) => write!(f, "unmatched '{bracket}'"),
            MismatchedBracket {
                close,
                open,
                open_line,
            } => {
                write!(
                    f,
                    "closing parenthesis '{close}' does not match opening parenthesis '{open}'"
                )?;
                match open_line {
                    Some(line) => write!(f, " on line {line}"),
                    None => Ok(()),
                }
            }
            UnterminatedString { triple: false } => write!(f, "unterminated string literal"),
            UnterminatedString { triple: true } => write!(f, "unterminated triple-quoted string literal"),
            UnexpectedEof => write!(f, "unexpected EOF while parsing"),
            QuoteInFormatSpec => write!(
                f,
                "f-string: the format spec holds the string's own quote, which ends the string: \
                 expecting '}}'"
            ),
            MissingElse => write!(f, "expected 'else' after 'if' expression"),
            ForgotComma => write!(f, "invalid syntax. Perhaps you forgot a comma?"),
            ImportTrailingComma => {
                write!(f, "trailing comma not allowed without surrounding parentheses")
            }
            Expected(what) => write!(f, "expected {what}"),
            EmptyBlock => write!(f, "expected an indented block"),
            UnexpectedIndent => write!(f, "unexpected indent"),
            UnmatchedDedent => write!(f, "unindent does not match any outer indentation level"),
            InconsistentTabs => write!(f, "inconsistent use of tabs and spaces in indentation"),
            UnparenthesizedLambda => write!(f, "f-string: lambda expressions are not allowed without parentheses"),
            TryWithoutHandlers => write!(f, "expected 'except' or 'finally' block"),
            UnparenthesizedWalrus => write!(f, "an assignment expression ':=' needs parentheses here"),
            Python2(construct) => write!(f, "{construct}"),
            NewerPython(construct) => {
                let (what, pep, instead) = construct.describe();
                let version = crate::PYTHON_VERSION;
                write!(f, "{what} is Python 3.14 syntax (PEP {pep}); simpy reads Python up to {version}")?;
                match instead {
                    Some(instead) => write!(f, ": {instead}"),
                    None => Ok(()),
                }
            }
            InvalidTarget { what, action } => match action {
                TargetAction::Assign => write!(f, "cannot assign to {what}"),
                TargetAction::Delete => write!(f, "cannot delete {what}"),
                TargetAction::NamedExpr => write!(f, "cannot use assignment expressions with {what}"),
            },
            IllegalAugTarget(what) => write!(f, "{what} is an illegal target for augmented assignment"),
            AnnotatedMultiTarget(what) => write!(f, "only a single target (not {what}) can be annotated"),
            InvalidNumber { literal, reason } => write!(f, "invalid number literal '{literal}': {reason}"),
            LeadingZeros => write!(
                f,
                "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"
            ),
            InvalidStringPrefix(prefix) => write!(f, "invalid string prefix '{prefix}'"),
            NonAsciiBytes => write!(f, "bytes can only contain ASCII literal characters"),
            MixedBytes => write!(f, "cannot mix bytes and nonbytes literals"),
            InvalidEscape(esc) => write!(f, "invalid escape sequence '{esc}'"),
            UnknownUnicodeName(name) => write!(f, "unknown Unicode character name '{name}'"),
            EmptyFStringExpression => write!(f, "f-string: empty expression not allowed"),
            InvalidConversion(c) => {
                write!(f, "f-string: invalid conversion character '{c}': expected 's', 'r', or 'a'")
            }
            FStringTooDeep => write!(f, "f-string: expressions nested too deeply"),
            PositionalAfterKeyword => write!(f, "positional argument follows keyword argument"),
            PositionalAfterKeywordUnpacking => write!(f, "positional argument follows keyword argument unpacking"),
            UnpackingAfterKeywordUnpacking => {
                write!(f, "iterable argument unpacking follows keyword argument unpacking")
            }
            UnparenthesizedGenerator => write!(f, "generator expression must be parenthesized"),
            StarredHere => write!(f, "cannot use starred expression here"),
            StarredTarget => write!(f, "starred assignment target must be in a list or tuple"),
            NonDefaultAfterDefault => write!(f, "parameter without a default follows parameter with a default"),
            BareStarWithoutNames => write!(f, "named parameters must follow bare *"),
            AfterVarKeyword => write!(f, "parameters cannot follow the ** parameter"),
            ParenthesizedParameter => write!(f, "function parameters cannot be parenthesized"),
            DuplicateSlash => write!(f, "/ may appear only once"),
            SlashAfterStar => write!(f, "/ must be ahead of *"),
            NothingBeforeSlash => write!(f, "at least one argument must precede /"),
            DuplicateStar => write!(f, "* argument may appear only once"),
            MixedExceptStar => write!(f, "cannot have both 'except' and 'except*' on the same 'try'"),
            PositionalPatternAfterKeyword => write!(f, "positional patterns follow keyword patterns"),
            WildcardTarget => write!(f, "cannot use '_' as a target"),
            ComplexLiteralNeedsImaginary => write!(f, "imaginary number required in complex literal"),
            InvalidPattern(what) => write!(f, "invalid pattern: {what}"),
            TooDeep { limit } => write!(f, "too deeply nested: more than {limit} levels"),
            MisreadStatements => write!(
                f,
                "tree-sitter-python misreads these lines as one statement; \
                 end the first with a newline, not ',' and a comment"
            ),
            MisreadEqualsSpec => write!(
                f,
                "a replacement field inside a format spec that starts with '=' ('{{x:={{w}}}}') \
                 is not supported: tree-sitter-python reads 'x:=' as a walrus"
            ),
            Internal(what) => write!(f, "internal error: {what}"),
        }
    }
}

impl fmt::Display for Python2Construct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = match self {
            Python2Construct::PrintStatement => "Python 2 print statement; use print(...)",
            Python2Construct::ExecStatement => "Python 2 exec statement; use exec(...)",
            Python2Construct::Backquotes => "Python 2 backquotes; use repr(...)",
            Python2Construct::NotEqualDiamond => "Python 2 operator '<>'; use '!='",
            Python2Construct::LongSuffix => "Python 2 long integer suffix 'L'; drop it",
            Python2Construct::OctalLiteral => "Python 2 octal literal; use an 0o prefix",
            Python2Construct::StringPrefixUr => "Python 2 string prefix 'ur'; use 'r'",
            Python2Construct::RaiseComma => "Python 2 'raise E, V'; use 'raise E(V)'",
            Python2Construct::TupleParameter => {
                "Python 2 tuple parameter; function parameters cannot be parenthesized"
            }
        };
        f.write_str(text)
    }
}

impl ParseError {
    pub fn new(kind: ParseErrorKind, range: TextRange) -> Self {
        ParseError { kind, range }
    }

    /// Where the error starts, as a line and a character column (both 1-based).
    pub fn line_col(&self, text: &str) -> LineCol {
        LineIndex::new(text).line_col(text, self.range.start)
    }
}
