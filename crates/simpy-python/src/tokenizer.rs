//! The errors CPython's tokenizer finds, found the same way: a scan of strings, comments and
//! brackets over the whole text.
//!
//! CPython reports a tokenizer error (an unterminated string, an unmatched or mismatched
//! bracket) wherever it is in the file, in preference to a parser error before it, and an
//! unclosed bracket when the parser failed inside it. tree-sitter's error recovery says only
//! where it gave up, so a syntax error is checked against this scan before it is reported.
//! Runs only on the error path.

use crate::error::{ParseError, ParseErrorKind};
use simpy_ast::TextRange;

/// What the scan found.
pub(crate) struct Scan {
    /// The first tokenizer error of the text.
    pub error: Option<ParseError>,
    /// Byte offsets of the brackets still open at the end, outermost first.
    pub unclosed: Vec<usize>,
}

pub(crate) fn scan(src: &str) -> Scan {
    let bytes = src.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut i = 0;
    let error = |kind, start: usize, end: usize| Scan {
        error: Some(ParseError::new(
            kind,
            TextRange::new(start as u32, end as u32),
        )),
        unclosed: Vec::new(),
    };
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = src[i..].find('\n').map_or(bytes.len(), |n| i + n),
            b'\\' => i += 2,
            q @ (b'\'' | b'"') => {
                let triple = bytes[i..].starts_with(&[q, q, q]);
                let start = i;
                // The prefix (`rb`, `f`) is part of the literal CPython points at.
                let prefix = src[..start]
                    .bytes()
                    .rev()
                    .take_while(u8::is_ascii_alphabetic)
                    .count();
                let from = start - if prefix <= 2 { prefix } else { 0 };
                match string_end(bytes, i, q, triple) {
                    Some(end) => i = end,
                    None => {
                        return error(ParseErrorKind::UnterminatedString { triple }, from, from + 1)
                    }
                }
            }
            b'(' | b'[' | b'{' => {
                open.push(i);
                i += 1;
            }
            close @ (b')' | b']' | b'}') => {
                let Some(opening) = open.pop() else {
                    return error(ParseErrorKind::Unmatched((close as char).into()), i, i + 1);
                };
                let expected = match bytes[opening] {
                    b'(' => b')',
                    b'[' => b']',
                    _ => b'}',
                };
                if close != expected {
                    let same_line = !src[opening..i].contains('\n');
                    let line = src[..opening].matches('\n').count() as u32 + 1;
                    return error(
                        ParseErrorKind::MismatchedBracket {
                            close: close as char,
                            open: bytes[opening] as char,
                            open_line: (!same_line).then_some(line),
                        },
                        i,
                        i + 1,
                    );
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    Scan {
        error: None,
        unclosed: open,
    }
}

/// Where the string whose quote is at `at` ends, or `None` if it never does. A backslash takes
/// the next character along (raw strings too: `r'\''`).
fn string_end(bytes: &[u8], at: usize, quote: u8, triple: bool) -> Option<usize> {
    let mut i = at + if triple { 3 } else { 1 };
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'\n' if !triple => return None,
            b if b == quote && (!triple || bytes[i..].starts_with(&[quote, quote, quote])) => {
                return Some(i + if triple { 3 } else { 1 });
            }
            _ => i += 1,
        }
    }
    None
}

/// The error CPython would report instead of `found`, a syntax error from the parser: a
/// tokenizer error anywhere in the text, or the innermost unclosed bracket `found` is inside.
pub(crate) fn prefer_tokenizer_error(src: &str, found: ParseError) -> ParseError {
    let scan = scan(src);
    if let Some(error) = scan.error {
        return error;
    }
    match scan
        .unclosed
        .iter()
        .rev()
        .find(|&&at| at < found.range.start as usize)
    {
        Some(&at) => ParseError::new(
            ParseErrorKind::NeverClosed(src[at..at + 1].into()),
            TextRange::new(at as u32, at as u32 + 1),
        ),
        None => found,
    }
}
