//! SimPy text to tokens, in two passes.
//!
//! `scan` runs logos over the text and scans f-strings itself: their literal text, fields and
//! format specs nest, so it keeps a stack of modes. Literals (strings, bytes, f-string text,
//! comments) are recognised whole before anything else, so `'<py_compile>'` inside a string is
//! never a special token. `layout` (in `layout.rs`) then decides which spaces mean something.

use crate::error::{SimpyError, SimpyErrorKind};
use crate::token::{Punct, Raw, RawError, Special, Tok};
use logos::Logos;
use simpy_ast::TextRange;

/// A token with its byte range.
#[derive(Clone, Copy, Debug)]
pub struct Spanned<'a> {
    pub tok: Lexeme<'a>,
    pub start: u32,
    pub end: u32,
}

/// What the first pass yields: tokens, plus whitespace and comments for the second pass.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lexeme<'a> {
    Tok(Tok<'a>),
    Whitespace,
    /// The comment's text from `#`, without its line break.
    Comment(&'a str),
    /// A dialect's idiom token `<@N>` (`crate::idiom`), read only where `TextLayout::idioms`.
    Idiom(u32),
}

enum Mode {
    /// Code; inside an f-string field, `depth` counts brackets opened in the field.
    Code { field: bool, depth: u32 },
    /// The literal text of an f-string.
    FString { quote: &'static str, raw: bool },
    /// The format spec of a field, up to its `}`.
    Spec { raw: bool },
}

const QUOTES: [&str; 4] = ["'''", "\"\"\"", "'", "\""];

pub fn scan(src: &str) -> Result<Vec<Spanned<'_>>, SimpyError> {
    scan_spelled(src, TextLayout::default())
}

/// Which layout tokens a dialect spells as text (`crate::dialect`), in code outside f-strings:
/// a line break is `<line_sep>`, two are `<block_end>` (a run of them read two by two, an odd
/// one out last), and `:` before a line break is `<block_start>`. Line breaks are free in
/// canonical SimPy, where one only ends a comment or the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TextLayout {
    pub line_sep: bool,
    pub block_end: bool,
    pub block_start: bool,
    /// `<@N>` is an idiom token: in code outside f-strings, where `<` followed by `@` is
    /// never valid SimPy.
    pub idioms: bool,
}

impl TextLayout {
    /// The text that spells `special` in this layout, if it is spelt as text.
    pub fn text_of(self, special: Special) -> Option<&'static str> {
        match special {
            Special::LineSep if self.line_sep => Some("\n"),
            Special::BlockEnd if self.block_end => Some("\n\n"),
            Special::BlockStart if self.block_start => Some(":\n"),
            _ => None,
        }
    }
}

pub fn scan_spelled(src: &str, text_layout: TextLayout) -> Result<Vec<Spanned<'_>>, SimpyError> {
    Scanner {
        src,
        text_layout,
        pos: 0,
        out: Vec::with_capacity(src.len() / 3),
        modes: vec![Mode::Code {
            field: false,
            depth: 0,
        }],
    }
    .run()
}

struct Scanner<'a> {
    src: &'a str,
    text_layout: TextLayout,
    pos: usize,
    out: Vec<Spanned<'a>>,
    modes: Vec<Mode>,
}

impl<'a> Scanner<'a> {
    fn run(mut self) -> Result<Vec<Spanned<'a>>, SimpyError> {
        while self.pos < self.src.len() {
            match self.modes.last() {
                Some(Mode::Code { .. }) => self.code()?,
                Some(&Mode::FString { quote, raw }) => self.fstring_text(Some(quote), raw)?,
                Some(&Mode::Spec { raw }) => self.fstring_text(None, raw)?,
                None => unreachable!("the code mode at the bottom is never popped"),
            }
        }
        if self.modes.len() > 1 {
            let start = self
                .out
                .iter()
                .rev()
                .find(|t| matches!(t.tok, Lexeme::Tok(Tok::FStart(_))))
                .map_or(0, |t| t.start as usize);
            return Err(self.error_at(SimpyErrorKind::UnterminatedFString, start, self.pos));
        }
        Ok(self.out)
    }

    fn error_at(&self, kind: SimpyErrorKind, start: usize, end: usize) -> SimpyError {
        SimpyError::new(kind, TextRange::new(start as u32, end as u32))
    }

    fn push(&mut self, tok: Lexeme<'a>, start: usize, end: usize) {
        self.out.push(Spanned {
            tok,
            start: start as u32,
            end: end as u32,
        });
        self.pos = end;
    }

    fn code(&mut self) -> Result<(), SimpyError> {
        let rest = &self.src[self.pos..];
        if self.modes.len() == 1 {
            if let Some((number, len)) = self.idiom(rest) {
                self.push(Lexeme::Idiom(number), self.pos, self.pos + len);
                return Ok(());
            }
            if let Some((special, len)) = self.layout_as_text(rest) {
                self.push(Lexeme::Tok(Tok::Special(special)), self.pos, self.pos + len);
                return Ok(());
            }
        }
        let mut lex = Raw::lexer(rest);
        let Some(raw) = lex.next() else {
            self.pos = self.src.len();
            return Ok(());
        };
        let (start, end) = (self.pos + lex.span().start, self.pos + lex.span().end);
        let text = &self.src[start..end];
        let raw = match raw {
            Ok(raw) => raw,
            Err(RawError::UnterminatedString { triple }) => {
                return Err(self.error_at(
                    SimpyErrorKind::UnterminatedString { triple },
                    start,
                    end,
                ))
            }
            Err(RawError::UnknownCharacter) => {
                let c = text.chars().next().unwrap_or('\u{fffd}');
                return Err(self.error_at(SimpyErrorKind::UnknownCharacter(c), start, end));
            }
        };
        if matches!(raw, Raw::Whitespace) && self.modes.len() == 1 {
            // Spaces up to a line break the next call reads as `<line_sep>`.
            let at = text.find(['\n', '\r']).unwrap_or(0);
            if at > 0 && self.layout_as_text(&self.src[start + at..]).is_some() {
                self.push(Lexeme::Whitespace, start, start + at);
                return Ok(());
            }
        }
        let in_field = matches!(self.modes.last(), Some(Mode::Code { field: true, .. }));
        let tok = match raw {
            Raw::Whitespace => {
                // A line break where `<line_sep>` belongs would otherwise read as a separating
                // space (`x=1⏎f(x)` as a tuple): refuse it, except after a comment (which ends
                // its line) and at the end of the input.
                let follows_code =
                    matches!(self.out.last(), Some(s) if matches!(s.tok, Lexeme::Tok(_)));
                if text.contains(['\n', '\r'])
                    && follows_code
                    && self.modes.len() == 1
                    && end < self.src.len()
                {
                    let at = start + text.find(['\n', '\r']).unwrap_or(0);
                    return Err(self.error_at(SimpyErrorKind::LineBreak, at, at + 1));
                }
                Lexeme::Whitespace
            }
            Raw::Comment if in_field => {
                return Err(self.error_at(SimpyErrorKind::CommentInField, start, end))
            }
            Raw::Comment => Lexeme::Comment(text.trim_end_matches(['\r', '\n'])),
            Raw::Special => Lexeme::Tok(Tok::Special(self.special(text, start, end)?)),
            Raw::Name => {
                // Python's keywords: SimPy writes each as a special token, so as plain text they are
                // errors rather than names (`x=if` would decode to invalid Python).
                if simpy_python::KEYWORDS.contains(&text) {
                    return Err(self.error_at(
                        SimpyErrorKind::PythonKeyword(text.to_owned()),
                        start,
                        end,
                    ));
                }
                Lexeme::Tok(Tok::Name(text))
            }
            Raw::Number => Lexeme::Tok(Tok::Number(text)),
            Raw::Str => Lexeme::Tok(Tok::Str(text)),
            Raw::FStart => {
                let quote = QUOTES
                    .into_iter()
                    .find(|q| text.ends_with(q))
                    .unwrap_or("'");
                let raw = text.contains(['r', 'R']);
                self.modes.push(Mode::FString { quote, raw });
                Lexeme::Tok(Tok::FStart(text))
            }
            other => return self.punct(other, start, end),
        };
        self.push(tok, start, end);
        Ok(())
    }

    /// A layout token spelt as text at the start of `rest`, and its length.
    /// An idiom token at the start of `rest`: its number and length.
    fn idiom(&self, rest: &str) -> Option<(u32, usize)> {
        let digits = rest
            .strip_prefix("<@")
            .filter(|_| self.text_layout.idioms)?;
        let len = digits.bytes().take_while(u8::is_ascii_digit).count();
        let number = digits[..len].parse().ok()?;
        (digits.as_bytes().get(len) == Some(&b'>')).then_some((number, len + 3))
    }

    fn layout_as_text(&self, rest: &str) -> Option<(Special, usize)> {
        let TextLayout {
            line_sep,
            block_end,
            block_start,
            ..
        } = self.text_layout;
        if !line_sep && !block_end && !block_start {
            return None;
        }
        let line_break = |s: &str| ["\n", "\r\n"].into_iter().find(|b| s.starts_with(b));
        if block_start {
            if let Some(b) = rest.strip_prefix(':').and_then(line_break) {
                return Some((Special::BlockStart, 1 + b.len()));
            }
        }
        let first = line_break(rest)?.len();
        // Line breaks that end the file are not layout.
        if rest.trim_start().is_empty() {
            return None;
        }
        if let Some(second) = line_break(&rest[first..]).filter(|_| block_end) {
            return Some((Special::BlockEnd, first + second.len()));
        }
        line_sep.then_some((Special::LineSep, first))
    }

    fn special(&self, text: &str, start: usize, end: usize) -> Result<Special, SimpyError> {
        match Special::from_text(text) {
            Some(Special::Print | Special::Exec | Special::LtGt) => {
                Err(self.error_at(SimpyErrorKind::Python2(text.to_owned()), start, end))
            }
            Some(s) => Ok(s),
            None => Err(self.error_at(SimpyErrorKind::UnknownSpecial(text.to_owned()), start, end)),
        }
    }

    /// Punctuation; inside an f-string field, brackets are counted and `}`, `:` and `!` at
    /// depth 0 end the expression.
    fn punct(&mut self, raw: Raw, start: usize, end: usize) -> Result<(), SimpyError> {
        if let Some(Mode::Code { field: true, depth }) = self.modes.last_mut() {
            match raw {
                Raw::LParen | Raw::LBracket | Raw::LBrace => *depth += 1,
                Raw::RParen | Raw::RBracket => *depth = depth.saturating_sub(1),
                Raw::RBrace if *depth > 0 => *depth -= 1,
                Raw::RBrace => {
                    self.modes.pop();
                    self.push(Lexeme::Tok(Tok::FieldClose), start, end);
                    return Ok(());
                }
                // `{x:=10}`: the spec is `=10`, as in Python.
                Raw::Colon | Raw::ColonEqual if *depth == 0 => {
                    let raw = self.modes.iter().rev().find_map(|m| match m {
                        Mode::FString { raw, .. } => Some(*raw),
                        _ => None,
                    });
                    self.modes.push(Mode::Spec {
                        raw: raw.unwrap_or(false),
                    });
                    self.push(Lexeme::Tok(Tok::FSpec), start, start + 1);
                    return Ok(());
                }
                Raw::Bang if *depth == 0 => {
                    let conversion = self.src[end..].chars().next();
                    return match conversion {
                        Some(c @ ('r' | 's' | 'a')) => {
                            self.push(Lexeme::Tok(Tok::FConversion(c)), start, end + 1);
                            Ok(())
                        }
                        _ => Err(self.error_at(SimpyErrorKind::InvalidConversion, start, end + 1)),
                    };
                }
                _ => {}
            }
        }
        let p = match raw {
            Raw::Plus => Punct::Plus,
            Raw::Minus => Punct::Minus,
            Raw::Slash => Punct::Slash,
            Raw::Percent => Punct::Percent,
            Raw::At => Punct::At,
            Raw::Amp => Punct::Amp,
            Raw::Pipe => Punct::Pipe,
            Raw::Caret => Punct::Caret,
            Raw::Tilde => Punct::Tilde,
            Raw::Equal => Punct::Equal,
            Raw::ColonEqual => Punct::ColonEqual,
            Raw::Dot => Punct::Dot,
            Raw::Ellipsis => Punct::Ellipsis,
            Raw::Colon => Punct::Colon,
            Raw::Comma => Punct::Comma,
            Raw::Star => Punct::Star,
            Raw::DoubleStar => Punct::DoubleStar,
            Raw::LParen => Punct::LParen,
            Raw::RParen => Punct::RParen,
            Raw::LBracket => Punct::LBracket,
            Raw::RBracket => Punct::RBracket,
            Raw::LBrace => Punct::LBrace,
            Raw::RBrace => Punct::RBrace,
            Raw::Bang => {
                return Err(self.error_at(SimpyErrorKind::UnknownCharacter('!'), start, end))
            }
            Raw::Whitespace
            | Raw::Comment
            | Raw::Special
            | Raw::Name
            | Raw::Number
            | Raw::Str
            | Raw::FStart => unreachable!("handled by `code`"),
        };
        self.push(Lexeme::Tok(Tok::Punct(p)), start, end);
        Ok(())
    }

    /// Literal text of an f-string (`quote` given) or of a format spec (`quote` is `None`),
    /// up to the next field, the closing quote or the `}` that ends the spec.
    fn fstring_text(&mut self, quote: Option<&'static str>, raw: bool) -> Result<(), SimpyError> {
        let start = self.pos;
        let bytes = self.src.as_bytes();
        let in_spec = quote.is_none();
        let single_line = self.in_single_line_fstring();
        let mut i = start;
        let unterminated = |i: usize| self.error_at(SimpyErrorKind::UnterminatedFString, start, i);
        loop {
            let Some(&b) = bytes.get(i) else {
                return Err(unterminated(i));
            };
            match b {
                b'\\' => {
                    let next = bytes.get(i + 1).copied();
                    if !raw && next == Some(b'N') && bytes.get(i + 2) == Some(&b'{') {
                        // `\N{DASH}`: the braces belong to the escape.
                        let close = self.src[i..].find('}').ok_or_else(|| unterminated(i))?;
                        i += close + 1;
                    } else if matches!(next, Some(b'{' | b'}')) || next.is_none() {
                        i += 1;
                    } else if bytes[i + 1..].starts_with(b"\r\n") {
                        i += 3;
                    } else {
                        i += 1 + self.src[i + 1..].chars().next().map_or(1, char::len_utf8);
                    }
                }
                b'\n' | b'\r' if single_line => return Err(unterminated(i)),
                b'{' if !in_spec && bytes.get(i + 1) == Some(&b'{') => i += 2,
                b'}' if !in_spec && bytes.get(i + 1) == Some(&b'}') => i += 2,
                b'{' => {
                    self.middle(start, i);
                    self.modes.push(Mode::Code {
                        field: true,
                        depth: 0,
                    });
                    self.push(Lexeme::Tok(Tok::FieldOpen), i, i + 1);
                    return Ok(());
                }
                b'}' if in_spec => {
                    self.middle(start, i);
                    self.modes.pop(); // the spec
                    self.modes.pop(); // its field
                    self.push(Lexeme::Tok(Tok::FieldClose), i, i + 1);
                    return Ok(());
                }
                b'}' => {
                    return Err(self.error_at(SimpyErrorKind::SingleBraceInFString, i, i + 1));
                }
                _ => match quote {
                    Some(q) if bytes[i..].starts_with(q.as_bytes()) => {
                        self.middle(start, i);
                        self.modes.pop();
                        self.push(Lexeme::Tok(Tok::FEnd), i, i + q.len());
                        return Ok(());
                    }
                    _ if in_spec && (b == b'\'' || b == b'"') && self.closes_enclosing(i) => {
                        return Err(unterminated(i));
                    }
                    _ => i += 1,
                },
            }
        }
    }

    /// Whether the innermost f-string around the position is single-quoted: it cannot span
    /// lines, its fields' strings and format specs included (Python 3.11).
    fn in_single_line_fstring(&self) -> bool {
        self.modes.iter().rev().find_map(|m| match m {
            Mode::FString { quote, .. } => Some(quote.len() == 1),
            _ => None,
        }) == Some(true)
    }

    /// Whether a quote inside a format spec closes the f-string around it (a missing `}`).
    fn closes_enclosing(&self, i: usize) -> bool {
        self.modes.iter().rev().any(|m| match m {
            Mode::FString { quote, .. } => self.src.as_bytes()[i..].starts_with(quote.as_bytes()),
            _ => false,
        })
    }

    fn middle(&mut self, start: usize, end: usize) {
        if end > start {
            self.push(Lexeme::Tok(Tok::FMiddle(&self.src[start..end])), start, end);
        } else {
            self.pos = end;
        }
    }
}
