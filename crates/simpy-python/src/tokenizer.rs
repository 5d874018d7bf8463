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
    /// The first line indented deeper than the one before although that one opened no block
    /// (a parser error in CPython, so it only counts when nothing fails before it).
    pub unexpected_indent: Option<usize>,
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
        unexpected_indent: None,
    };
    // Indentation of the enclosing blocks, in columns (tabs to multiples of 8, as CPython).
    let mut indents: Vec<usize> = vec![0];
    let mut line_start = true;
    let mut last_code = b'\n';
    let mut unexpected_indent = None;
    while i < bytes.len() {
        if line_start {
            line_start = false;
            let (col, text_at) = indentation(bytes, i);
            let blank = matches!(bytes.get(text_at), None | Some(b'\n' | b'\r' | b'#'));
            if !blank {
                let top = *indents.last().unwrap_or(&0);
                if col > top {
                    if last_code != b':' && unexpected_indent.is_none() {
                        unexpected_indent = Some(text_at);
                    }
                    indents.push(col);
                } else if col < top {
                    while indents.last().is_some_and(|&t| t > col) {
                        indents.pop();
                    }
                    if indents.last() != Some(&col) {
                        return error(ParseErrorKind::UnmatchedDedent, text_at, text_at + 1);
                    }
                }
            }
            i = text_at;
            continue;
        }
        let byte = bytes[i];
        if !matches!(byte, b' ' | b'\t' | b'\r' | b'\n' | b'#' | b'\x0c') {
            last_code = byte;
        }
        match byte {
            b'\n' => {
                line_start = open.is_empty();
                i += 1;
            }
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
                let body = i + if triple { 3 } else { 1 };
                let rest = &bytes[body.min(bytes.len())..];
                // PEP 701: a field may hold any string, the f-string's own quote too, and
                // line breaks and comments where the f-string is single-quoted.
                if let Some(end) = crate::format_specs::fstring_end(bytes, start) {
                    i = end;
                    continue;
                }
                match crate::literals::string_body_end(rest, q, triple) {
                    Ok(end) => i = body + end,
                    Err(_) => {
                        let kind = ParseErrorKind::UnterminatedString { triple };
                        return error(kind, from, from + 1);
                    }
                }
            }
            c if (c < 0x20 && !matches!(c, b'\t' | b'\r' | b'\x0c')) || c == 0x7f => {
                return error(ParseErrorKind::InvalidCharacter(char::from(c)), i, i + 1);
            }
            // (A lead byte: `i` is at a character's start.)
            0xe2 | 0xef => {
                if let Some(c) = crate::read_as_space(&src[i..]) {
                    return error(ParseErrorKind::InvalidCharacter(c), i, i + c.len_utf8());
                }
                i += 1;
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
        unexpected_indent,
    }
}

/// The column of the first non-blank byte of the line starting at `at`, and its offset.
fn indentation(bytes: &[u8], at: usize) -> (usize, usize) {
    let mut col = 0;
    let mut i = at;
    while let Some(&b) = bytes.get(i) {
        match b {
            b' ' => col += 1,
            b'\t' => col = (col / 8 + 1) * 8,
            b'\x0c' => col = 0,
            _ => break,
        }
        i += 1;
    }
    (col, i)
}

/// The error CPython would report instead of `found`, a syntax error from the parser: a
/// tokenizer error anywhere in the text, or the innermost unclosed bracket `found` is inside.
pub(crate) fn prefer_tokenizer_error(src: &str, found: ParseError) -> ParseError {
    let scan = scan(src);
    if let Some(error) = scan.error {
        return error;
    }
    if let Some(&at) = scan
        .unclosed
        .iter()
        .rev()
        .find(|&&at| at <= found.range.start as usize)
    {
        return ParseError::new(
            ParseErrorKind::NeverClosed(src[at..at + 1].into()),
            TextRange::new(at as u32, at as u32 + 1),
        );
    }
    let found_line_end = crate::cst::line_end(src, found.range.start) as usize;
    match scan.unexpected_indent {
        Some(at) if at <= found_line_end && found.kind != ParseErrorKind::UnexpectedIndent => {
            ParseError::new(
                ParseErrorKind::UnexpectedIndent,
                TextRange::new(at as u32, at as u32 + 1),
            )
        }
        _ => found,
    }
}
