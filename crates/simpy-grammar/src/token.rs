//! The tokens the parser sees, and the raw tokens logos recognises.

use logos::Logos;
pub use simpy_ast::Special;

/// A token of SimPy as the grammar sees it: spaces already reduced to the meaningful ones
/// ([`Tok::Space`]), comments already set aside.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tok<'a> {
    Name(&'a str),
    Number(&'a str),
    /// A whole string or bytes literal, prefix and quotes included.
    Str(&'a str),
    /// The opening of an f-string: prefix and quote (`f'''`).
    FStart(&'a str),
    /// Literal text of an f-string or of a format spec, as written.
    FMiddle(&'a str),
    /// The quote that ends an f-string.
    FEnd,
    /// `{` and `}` around a replacement field.
    FieldOpen,
    FieldClose,
    /// `!r`, `!s` or `!a`.
    FConversion(char),
    /// The `:` that starts a format spec.
    FSpec,
    Space,
    Special(Special),
    Punct(Punct),
}

/// Plain-text punctuation that SimPy keeps from Python.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Punct {
    Plus,
    Minus,
    Slash,
    Percent,
    At,
    Amp,
    Pipe,
    Caret,
    Tilde,
    Equal,
    ColonEqual,
    Dot,
    Colon,
    Comma,
    Star,
    DoubleStar,
    LParen,
    RParen,
    LBracket,
    RBracket,
    LBrace,
    RBrace,
    /// `...`: accepted for `<ellipsis>`.
    Ellipsis,
}

impl Punct {
    pub fn text(self) -> &'static str {
        match self {
            Punct::Plus => "+",
            Punct::Minus => "-",
            Punct::Slash => "/",
            Punct::Percent => "%",
            Punct::At => "@",
            Punct::Amp => "&",
            Punct::Pipe => "|",
            Punct::Caret => "^",
            Punct::Tilde => "~",
            Punct::Equal => "=",
            Punct::ColonEqual => ":=",
            Punct::Dot => ".",
            Punct::Colon => ":",
            Punct::Comma => ",",
            Punct::Star => "*",
            Punct::DoubleStar => "**",
            Punct::LParen => "(",
            Punct::RParen => ")",
            Punct::LBracket => "[",
            Punct::RBracket => "]",
            Punct::LBrace => "{",
            Punct::RBrace => "}",
            Punct::Ellipsis => "...",
        }
    }
}

impl std::fmt::Display for Tok<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Tok::Name(s) => write!(f, "name `{s}`"),
            Tok::Number(s) => write!(f, "number `{s}`"),
            Tok::Str(_) => f.write_str("string"),
            Tok::FStart(_) => f.write_str("f-string"),
            Tok::FMiddle(_) => f.write_str("f-string text"),
            Tok::FEnd => f.write_str("end of f-string"),
            Tok::FieldOpen => f.write_str("`{`"),
            Tok::FieldClose => f.write_str("`}`"),
            Tok::FConversion(c) => write!(f, "`!{c}`"),
            Tok::FSpec => f.write_str("format spec"),
            Tok::Space => f.write_str("space"),
            Tok::Special(s) => f.write_str(s.text()),
            Tok::Punct(p) => write!(f, "`{}`", p.text()),
        }
    }
}

/// What logos recognises; the driver in `lexer.rs` turns these into [`Tok`]s, scanning
/// f-strings itself because their fields nest.
#[derive(Logos, Clone, Copy, Debug, PartialEq, Eq)]
#[logos(error = RawError)]
pub enum Raw {
    #[regex(r"[ \t\n\r\x0c]+")]
    Whitespace,
    #[regex(r"#[^\r\n]*(\r\n|\r|\n)?")]
    Comment,
    #[regex(r"<[A-Za-z_]*>?")]
    Special,
    #[regex(r"[\p{XID_Start}_][\p{XID_Continue}]*")]
    Name,
    #[regex(r"[0-9][0-9_]*(\.[0-9_]*)?([eE][+-]?[0-9_]+)?[jJ]?")]
    #[regex(r"\.[0-9][0-9_]*([eE][+-]?[0-9_]+)?[jJ]?")]
    #[regex(r"0[xXoObB][0-9a-fA-F_]+")]
    Number,
    #[regex(r#"([rRbBuU]|[rR][bB]|[bB][rR])?('|"|'''|""")"#, scan_string)]
    Str,
    #[regex(r#"([fF]|[fF][rR]|[rR][fF])('|"|'''|""")"#)]
    FStart,
    #[token("+")]
    Plus,
    #[token("-")]
    Minus,
    #[token("/")]
    Slash,
    #[token("%")]
    Percent,
    #[token("@")]
    At,
    #[token("&")]
    Amp,
    #[token("|")]
    Pipe,
    #[token("^")]
    Caret,
    #[token("~")]
    Tilde,
    #[token("=")]
    Equal,
    #[token(":=")]
    ColonEqual,
    #[token(".")]
    Dot,
    #[token("...")]
    Ellipsis,
    #[token(":")]
    Colon,
    #[token(",")]
    Comma,
    #[token("*")]
    Star,
    #[token("**")]
    DoubleStar,
    #[token("(")]
    LParen,
    #[token(")")]
    RParen,
    #[token("[")]
    LBracket,
    #[token("]")]
    RBracket,
    #[token("{")]
    LBrace,
    #[token("}")]
    RBrace,
    #[token("!")]
    Bang,
}

/// Why logos stopped.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RawError {
    #[default]
    UnknownCharacter,
    UnterminatedString {
        triple: bool,
    },
}

/// Finds the end of a string literal whose opening logos just matched.
fn scan_string(lex: &mut logos::Lexer<'_, Raw>) -> Result<(), RawError> {
    let opening = lex.slice();
    let quote = &opening[opening.find(['\'', '"']).unwrap_or(0)..];
    match string_body_len(lex.remainder(), quote) {
        Some(len) => {
            lex.bump(len);
            Ok(())
        }
        None => Err(RawError::UnterminatedString {
            triple: quote.len() == 3,
        }),
    }
}

/// The length of a string's body and closing quote in `rest`, or `None` if it never closes
/// (`simpy_python::literals::string_body_end`: SimPy quotes strings as Python does).
pub fn string_body_len(rest: &str, quote: &str) -> Option<usize> {
    let triple = quote.len() == 3;
    simpy_python::literals::string_body_end(rest.as_bytes(), quote.as_bytes()[0], triple).ok()
}
