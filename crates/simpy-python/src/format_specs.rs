//! Format specs tree-sitter-python misreads. Python reads a replacement field's format spec as
//! text up to the field's `}` (nested fields aside); tree-sitter lexes it as code, so a spec
//! starting with `=` reads as a walrus (`f"{x:=10)}"`, `f"{x:={w}}"`) and brackets or quotes
//! in a spec (`f"{x:[}"`) derail the rest of the file. Every byte of every spec's text is
//! respelled `a` for a second parse, which reads them as plain specs; the lowering takes their
//! text from the original at the same offsets.

use crate::literals::string_body_end;
use std::ops::Range;

/// `src` with the text of each f-string's format specs respelled `a` (line breaks and nested
/// fields kept), or `None` if it has none.
pub(crate) fn respelled(src: &str) -> Option<String> {
    let scan = Scan::of(src);
    // Whole bytes became ASCII, so the text is still UTF-8.
    scan.out
        .map(|out| String::from_utf8(out).unwrap_or_else(|_| src.to_owned()))
}

/// The expression of each replacement field of `src`'s f-strings, nested ones included: from
/// after the field's `{` to its spec's `:`, or its `}`.
pub(crate) fn field_expressions(src: &str) -> Vec<Range<usize>> {
    Scan::of(src).fields
}

/// Just past the closing quote of the f-string whose opening quote is at `at`, its fields read
/// as PEP 701 reads them (any string inside, the f-string's own quote too); `None` if it is
/// not closed.
pub(crate) fn fstring_end(bytes: &[u8], at: usize) -> Option<usize> {
    string_end(bytes, at)
        .ok()
        .filter(|_| is_fstring_at(bytes, at))
}

/// Just past the string literal whose opening quote is at `at` (its prefix the letters before
/// it), an f-string's fields read as PEP 701 reads them; `Err` where an unclosed one stops.
pub(crate) fn string_end(bytes: &[u8], at: usize) -> Result<usize, usize> {
    let mut scan = Scan::new(bytes);
    scan.respell = false;
    let end = scan.string(at);
    if scan.closed {
        Ok(end)
    } else {
        Err(end)
    }
}

/// Whether the string whose quote is at `at` is an f-string, by the letters before it.
fn is_fstring_at(bytes: &[u8], at: usize) -> bool {
    has_letter(prefix_at(bytes, at), b'f')
}

/// The letters just before the quote at `at`: the string's prefix.
fn prefix_at(bytes: &[u8], at: usize) -> &[u8] {
    let start = bytes[..at]
        .iter()
        .rposition(|b| !b.is_ascii_alphabetic())
        .map_or(0, |p| p + 1);
    &bytes[start..at]
}

fn has_letter(prefix: &[u8], letter: u8) -> bool {
    prefix.iter().any(|b| b.eq_ignore_ascii_case(&letter))
}

struct Scan<'a> {
    bytes: &'a [u8],
    /// The text with its specs respelled, copied at the first spec: `fstring_end` runs once
    /// per f-string, and must not copy the text each time.
    out: Option<Vec<u8>>,
    fields: Vec<Range<usize>>,
    /// Whether the string scanned last (the outermost, as nested ones end first) was closed.
    closed: bool,
    /// Whether specs are respelled into `out` (not when only a string's end is wanted).
    respell: bool,
}

impl<'a> Scan<'a> {
    fn new(bytes: &'a [u8]) -> Scan<'a> {
        Scan {
            bytes,
            out: None,
            fields: Vec::new(),
            closed: false,
            respell: true,
        }
    }

    fn of(src: &'a str) -> Scan<'a> {
        let bytes = src.as_bytes();
        let mut scan = Scan::new(bytes);
        let mut i = 0;
        while i < bytes.len() {
            i = match bytes[i] {
                b'#' => comment_end(bytes, i),
                b'\'' | b'"' => scan.string(i),
                _ => i + 1,
            };
        }
        scan
    }
}

/// How a string is quoted.
#[derive(Clone, Copy)]
struct Quote {
    byte: u8,
    triple: bool,
    raw: bool,
}

impl Quote {
    fn len(self) -> usize {
        if self.triple {
            3
        } else {
            1
        }
    }

    fn closes_at(self, bytes: &[u8], i: usize) -> bool {
        bytes[i..].starts_with(&[self.byte; 3][..self.len()])
    }
}

impl Scan<'_> {
    /// Past the string whose opening quote is at `at`.
    fn string(&mut self, at: usize) -> usize {
        let bytes = self.bytes;
        let quote = bytes[at];
        let prefix = prefix_at(bytes, at);
        let triple = bytes[at..].starts_with(&[quote; 3]);
        let q = Quote {
            byte: quote,
            triple,
            raw: has_letter(prefix, b'r'),
        };
        let body = at + q.len();
        if !has_letter(prefix, b'f') {
            let end = string_body_end(&bytes[body.min(bytes.len())..], quote, triple);
            self.closed = end.is_ok();
            return match end {
                Ok(end) | Err(end) => body + end,
            };
        }
        self.fstring_body(body, q)
    }

    /// Past an f-string's closing quote (or where it breaks off), from its body's start.
    fn fstring_body(&mut self, mut i: usize, q: Quote) -> usize {
        let bytes = self.bytes;
        while i < bytes.len() {
            if q.closes_at(bytes, i) {
                self.closed = true;
                return i + q.len();
            }
            match bytes[i] {
                // (A backslash ending the text escapes nothing: the scan ends there.)
                b'\\' => i = (i + 2).min(bytes.len()),
                b'\n' if !q.triple => break,
                b'{' if bytes.get(i + 1) == Some(&b'{') => i += 2,
                b'{' => i = self.field(i + 1, q),
                _ => i += 1,
            }
        }
        self.closed = false;
        i
    }

    /// Past a replacement field's `}`, from just after its `{`.
    fn field(&mut self, start: usize, q: Quote) -> usize {
        let bytes = self.bytes;
        let mut depth = 0usize;
        let mut i = start;
        while i < bytes.len() {
            match bytes[i] {
                b'\'' | b'"' => {
                    i = self.string(i);
                    continue;
                }
                b'#' => i = comment_end(bytes, i) - 1,
                b'(' | b'[' | b'{' => depth += 1,
                b'}' if depth == 0 => {
                    self.fields.push(start..i);
                    return i + 1;
                }
                b')' | b']' | b'}' => depth = depth.saturating_sub(1),
                b':' if depth == 0 => {
                    self.fields.push(start..i);
                    return self.spec(i + 1, q);
                }
                _ => {}
            }
            i += 1;
        }
        self.fields.push(start..i);
        i
    }

    /// Past a field's `}`, from the start of its format spec: its text respelled, its nested
    /// fields scanned.
    fn spec(&mut self, mut i: usize, q: Quote) -> usize {
        let bytes = self.bytes;
        while i < bytes.len() && !q.closes_at(bytes, i) {
            let len = match bytes[i] {
                b'}' => return i + 1,
                b'{' => {
                    i = self.field(i + 1, q);
                    continue;
                }
                b'\n' if !q.triple => return i,
                // A line continued inside the string: no text of the spec, and respelling the
                // backslash would leave the line break bare.
                b'\\' if bytes.get(i + 1) == Some(&b'\n') => {
                    i += 2;
                    continue;
                }
                // `\N{…}` names a character; its braces are no field.
                b'\\' if !q.raw && bytes[i + 1..].starts_with(b"N{") => bytes[i..]
                    .iter()
                    .position(|&b| b == b'}')
                    .map_or(1, |p| p + 1),
                b'\\' if i + 1 < bytes.len() && !b"{}\n".contains(&bytes[i + 1]) => 2,
                _ => 1,
            };
            if self.respell {
                let out = self.out.get_or_insert_with(|| bytes.to_vec());
                for b in &mut out[i..i + len] {
                    if *b != b'\n' {
                        *b = b'a';
                    }
                }
            }
            i += len;
        }
        i
    }
}

fn comment_end(bytes: &[u8], i: usize) -> usize {
    i + bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .unwrap_or(bytes.len() - i)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Found by the prompt fuzzer: an f-string field whose inner f-string ends in a backslash,
    /// the text's last byte, gave a field past the text's end (a panic where it was read).
    #[test]
    fn fields_end_within_the_text() {
        for src in ["s = f\"{f'\\", "s = f\"{(*0 f'a\\", "f'{x:{f\"\\"] {
            for field in field_expressions(src) {
                assert!(field.end <= src.len(), "{src:?}: {field:?}");
            }
            assert!(crate::parse_str(src).is_err(), "{src:?}");
        }
    }

    #[test]
    fn respells_the_text_of_format_specs() {
        let respell = |s: &str| respelled(s).unwrap_or_default();
        assert_eq!(respell("f'{x:=10)}'"), "f'{x:aaaa}'");
        assert_eq!(
            respell("f\"{x:={w}} {y!r:>{a[1:2]}.[}\""),
            "f\"{x:a{w}} {y!r:a{a[1:2]}aa}\""
        );
        assert_eq!(
            respell("x = f'{ {a: 1}[a]:\\N{DASH}}' + '{x:y}'"),
            "x = f'{ {a: 1}[a]:aaaaaaaa}' + '{x:y}'"
        );
        assert_eq!(respelled("f'{x}' # {y:z}\nrf'{x!r}'"), None);
        // Found by the dialect fuzz target: a line continued in a spec stays one.
        assert_eq!(respell("f\"{x:\\\n}{x:===}\""), "f\"{x:\\\n}{x:aaa}\"");
    }
}
