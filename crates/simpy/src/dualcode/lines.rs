//! Python text cut into logical lines, as far as the block structure needs: where each line
//! starts and ends, its indentation, whether it holds code and opens a block, and what is still
//! open (brackets, a string) in an unfinished last line. A scan of strings, comments and
//! brackets; no parse.

use simpy_python::literals::string_body_end;

/// One logical line: physical lines joined by brackets, strings or backslashes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Line {
    pub start: usize,
    /// Just past its line break.
    pub end: usize,
    /// Where its code (or comment) starts, past its indentation.
    pub code_start: usize,
    /// Bytes of indentation as Python counts it: the blanks before `code_start` after the last
    /// form feed, which resets the column.
    pub indent: usize,
    /// Holds code, not only a comment or blanks.
    pub code: bool,
    /// Its code ends with `:`: a header whose body is on the lines that follow.
    pub opens_block: bool,
}

/// What an unfinished last line leaves open.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Open {
    /// Closing brackets, innermost last.
    pub brackets: Vec<u8>,
    /// The quote of an unterminated string (`"`, `'''`, …).
    pub string: Option<&'static str>,
    /// Where the text of that string begins, unless it is an f-string (whose fields are code).
    pub plain_string_text: Option<usize>,
    /// The text ends in a comment.
    pub comment: bool,
    /// The text ends in an f-string field's format spec, which is text (`f"{x:>1`).
    pub spec: bool,
    /// The unfinished last line has a `:` outside brackets, strings and comments (a compound
    /// statement's header needs one there).
    pub colon: bool,
}

/// The clause words that continue a compound statement at its own indentation.
pub(crate) const CLAUSES: [&str; 4] = ["else", "elif", "except", "finally"];

pub(crate) struct Lines {
    /// The complete logical lines.
    pub lines: Vec<Line>,
    /// Where the unfinished last line starts (the text's length if there is none).
    pub tail: usize,
    pub open: Open,
}

impl Line {
    /// The first word of the line's code.
    pub fn first_word<'s>(&self, src: &'s str) -> &'s str {
        let code = &src[self.code_start..self.end];
        let end = code
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(code.len());
        &code[..end]
    }

    /// Whether the line is a decorator.
    pub fn is_decorator(&self, src: &str) -> bool {
        src[self.code_start..].starts_with('@')
    }

    /// Its indentation as Python counts it.
    pub fn indentation<'s>(&self, src: &'s str) -> &'s str {
        &src[self.code_start - self.indent..self.code_start]
    }
}

/// The indentation Python counts at the start of `line`, as a range of it: the blanks after
/// the last form feed among the leading ones (`\x0cclass` is at column 0).
pub(crate) fn indentation(line: &str) -> std::ops::Range<usize> {
    let end = line.len() - line.trim_start_matches([' ', '\t', '\x0c']).len();
    let start = line[..end].rfind('\x0c').map_or(0, |f| f + 1);
    start..end
}

/// Just past the line break that ends the comment starting at `start`.
pub(crate) fn comment_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| matches!(b, b'\n' | b'\r'))
        .map_or(bytes.len(), |p| {
            start + p + line_break_len(bytes, start + p)
        })
}

/// Whether an unfinished last line holds code: more than blanks, a comment and backslashes
/// that join lines. (` \` and a line break is a blank line so far: what follows may end it,
/// or put code on it at its indentation.)
pub(crate) fn unfinished_code(tail: &str) -> bool {
    let rest = past_blank_joins(tail).0;
    !rest.is_empty() && !rest.starts_with('#')
}

/// Whether an unfinished last line is blank and joined to the next by a backslash: text
/// appended goes on with that logical line, at its indentation.
pub(crate) fn joined_blank(tail: &str) -> bool {
    past_blank_joins(tail) == ("", true)
}

/// `text` past its leading blanks and the backslashes among them that join lines, and
/// whether there was such a backslash.
fn past_blank_joins(text: &str) -> (&str, bool) {
    let (mut rest, mut joined) = (text.trim_start(), false);
    while let Some(after) = rest.strip_prefix('\\') {
        if !after.starts_with(['\n', '\r']) {
            break;
        }
        (rest, joined) = (after.trim_start(), true);
    }
    (rest, joined)
}

/// Whether text holds anything but whitespace and comments.
pub(crate) fn has_code(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = comment_end(bytes, i),
            b if b.is_ascii_whitespace() => i += 1,
            _ => return true,
        }
    }
    false
}

/// Just past the string literal whose opening quote is at `start` (where it stops if it is
/// unterminated); an f-string's fields read as PEP 701 reads them.
pub(crate) fn string_end(bytes: &[u8], start: usize) -> usize {
    if is_fstring(bytes, start) {
        return simpy_python::literals::string_end(bytes, start).unwrap_or_else(|end| end);
    }
    let quote = bytes[start];
    let triple = bytes.get(start..start + 3) == Some(&[quote; 3][..]);
    let body = start + if triple { 3 } else { 1 };
    let rest = &bytes[body.min(bytes.len())..];
    body + string_body_end(rest, quote, triple).unwrap_or_else(|end| end)
}

/// The length of the line break at `i`: `\n`, `\r\n` or a lone `\r` (Python reads all three),
/// or 0.
fn line_break_len(bytes: &[u8], i: usize) -> usize {
    match bytes.get(i..).unwrap_or_default() {
        [b'\r', b'\n', ..] => 2,
        [b'\r' | b'\n', ..] => 1,
        _ => 0,
    }
}

/// An f-string replacement field being scanned (PEP 701: its code may hold any string, the
/// f-string's own quote too).
struct Field {
    quote: u8,
    triple: bool,
    /// `brackets.len()` once its `}` is pushed: the field's own level.
    depth: usize,
    /// It is nested in another field's format spec (`{x:{width}}`), which goes on after it.
    in_spec: bool,
}

/// What the scan is reading.
#[derive(Clone, Copy)]
enum Mode {
    Code,
    /// A string's text: an f-string's between its fields, or any string left unterminated.
    Text {
        quote: u8,
        triple: bool,
    },
    /// The format spec of the innermost field.
    Spec,
}

/// The quote that closes a string, as `Open::string` holds it.
fn quote_text(quote: u8, triple: bool) -> &'static str {
    match (quote, triple) {
        (b'"', true) => "\"\"\"",
        (b'"', false) => "\"",
        (_, true) => "'''",
        _ => "'",
    }
}

/// Where the last f-string that opens before `end` starts (its prefix included), if one does.
pub(crate) fn last_fstring_start(text: &str, end: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    (1..end)
        .rev()
        .find(|&q| matches!(bytes[q], b'"' | b'\'') && is_fstring(bytes, q))
        .map(|q| {
            q - bytes[..q]
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_alphabetic())
                .count()
        })
}

/// Whether the string whose quote is at `quote_at` has an `f` in its prefix.
pub(crate) fn is_fstring(bytes: &[u8], quote_at: usize) -> bool {
    let prefix = bytes[..quote_at]
        .iter()
        .rev()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'_' || **b >= 0x80)
        .count();
    let letters = &bytes[quote_at - prefix..quote_at];
    prefix <= 2
        && letters.iter().all(|b| b"rRbBuUfF".contains(b))
        && letters.iter().any(|b| matches!(b, b'f' | b'F'))
}

pub(crate) fn scan(src: &str) -> Lines {
    let bytes = src.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    // What closes the brackets open now, outermost first; an f-string field adds its quote
    // and its `}`.
    let mut brackets: Vec<u8> = Vec::new();
    let mut fields: Vec<Field> = Vec::new();
    let mut mode = Mode::Code;
    let mut last_code: Option<u8> = None;
    let mut comment = false;
    let mut plain_string_text = None;
    let mut colon = false;
    let mut i = 0;
    while i < bytes.len() {
        match mode {
            Mode::Text { quote, triple } => {
                match bytes[i] {
                    b'\\' if bytes.get(i + 1) == Some(&b'{') => i += 1,
                    b'\\' => i += 1 + line_break_len(bytes, i + 1).max(1),
                    b'\r' | b'\n' if !triple => break,
                    b'{' | b'}' if bytes.get(i + 1) == Some(&bytes[i]) => i += 2,
                    b'{' => {
                        brackets.extend(std::iter::repeat_n(quote, if triple { 3 } else { 1 }));
                        brackets.push(b'}');
                        fields.push(Field {
                            quote,
                            triple,
                            depth: brackets.len(),
                            in_spec: false,
                        });
                        mode = Mode::Code;
                        i += 1;
                    }
                    b if b == quote && (!triple || bytes[i..].starts_with(&[quote; 3])) => {
                        i += if triple { 3 } else { 1 };
                        last_code = Some(quote);
                        mode = Mode::Code;
                    }
                    _ => i += 1,
                }
                continue;
            }
            Mode::Spec => {
                match bytes[i] {
                    b'{' => {
                        let outer = fields.last().expect("a spec is a field's");
                        let (quote, triple) = (outer.quote, outer.triple);
                        brackets.push(b'}');
                        fields.push(Field {
                            quote,
                            triple,
                            depth: brackets.len(),
                            in_spec: true,
                        });
                        mode = Mode::Code;
                    }
                    b'}' => mode = close_field(&mut brackets, &mut fields),
                    _ => {}
                }
                i += 1;
                continue;
            }
            Mode::Code => {}
        }
        let at_field_level = fields.last().is_some_and(|f| f.depth == brackets.len());
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && !matches!(bytes[i], b'\n' | b'\r') {
                    i += 1;
                }
                comment = i == bytes.len();
                continue;
            }
            quote @ (b'\'' | b'"') => {
                let triple = bytes.get(i..i + 3) == Some(&[quote; 3][..]);
                let body = i + if triple { 3 } else { 1 };
                if is_fstring(bytes, i) {
                    mode = Mode::Text { quote, triple };
                    i = body;
                    continue;
                }
                match string_body_end(&bytes[body.min(bytes.len())..], quote, triple) {
                    Ok(end) => {
                        i = body + end;
                        last_code = Some(quote);
                        continue;
                    }
                    Err(_) => {
                        // The string is the last thing open; nothing after it counts.
                        mode = Mode::Text { quote, triple };
                        if fields.is_empty() {
                            plain_string_text = Some(body);
                        }
                        break;
                    }
                }
            }
            b'}' if at_field_level => {
                mode = close_field(&mut brackets, &mut fields);
                i += 1;
                continue;
            }
            b':' if at_field_level => {
                mode = Mode::Spec;
                i += 1;
                continue;
            }
            b':' if brackets.is_empty() => colon = true,
            b'(' => brackets.push(b')'),
            b'[' => brackets.push(b']'),
            b'{' => brackets.push(b'}'),
            // (Never a field's own `}` or quote, which only their field closes.)
            b')' | b']' | b'}' if !at_field_level => {
                brackets.pop();
            }
            b'\\' if line_break_len(bytes, i + 1) > 0 => {
                i += 1 + line_break_len(bytes, i + 1);
                continue;
            }
            b'\r' | b'\n' if brackets.is_empty() => {
                let indent = indentation(&src[start..i]);
                let end = i + line_break_len(bytes, i);
                lines.push(Line {
                    start,
                    end,
                    code_start: start + indent.end,
                    indent: indent.len(),
                    code: last_code.is_some(),
                    opens_block: last_code == Some(b':'),
                });
                start = end;
                last_code = None;
                colon = false;
                i = end;
                continue;
            }
            _ => {}
        }
        if !bytes[i].is_ascii_whitespace() {
            last_code = Some(bytes[i]);
        }
        i += 1;
    }
    // An unterminated string (an f-string's text, or any string left by `break`) is open.
    let string = match mode {
        Mode::Text { quote, triple } => Some(quote_text(quote, triple)),
        _ => None,
    };
    Lines {
        lines,
        tail: start,
        open: Open {
            brackets,
            string,
            plain_string_text,
            comment,
            spec: matches!(mode, Mode::Spec),
            colon,
        },
    }
}

/// The innermost f-string field closes: its `}` (and its quote, unless it was in a spec) leave
/// the brackets, and the scan goes on with what held it.
fn close_field(brackets: &mut Vec<u8>, fields: &mut Vec<Field>) -> Mode {
    let field = fields.pop().expect("a field to close");
    brackets.pop();
    if field.in_spec {
        return Mode::Spec;
    }
    brackets.truncate(brackets.len() - if field.triple { 3 } else { 1 });
    Mode::Text {
        quote: field.quote,
        triple: field.triple,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logical_lines_and_what_stays_open() {
        let src = "def f(a,\n      b):  # c\n    '''x\n    y'''\n\n    return (a +\n";
        let scanned = scan(src);
        let summary: Vec<(usize, bool, bool)> = scanned
            .lines
            .iter()
            .map(|l| (l.indent, l.code, l.opens_block))
            .collect();
        assert_eq!(
            summary,
            [(0, true, true), (4, true, false), (0, false, false)]
        );
        assert_eq!(&src[scanned.tail..], "    return (a +\n");
        assert_eq!(scanned.open.brackets, b")");
        let scanned = scan("x = f'''a\n");
        assert_eq!((scanned.tail, scanned.open.string), (0, Some("'''")));
    }

    #[test]
    fn lone_carriage_returns_end_lines_and_comments() {
        let scanned = scan("# c\rx = 1\r\ny = (\r");
        let starts: Vec<usize> = scanned.lines.iter().map(|l| l.start).collect();
        assert_eq!(starts, [0, 4]);
        assert_eq!(
            (scanned.tail, scanned.open.brackets.as_slice()),
            (11, &b")"[..])
        );
    }

    #[test]
    fn f_string_fields_hold_any_string() {
        // PEP 701: the field's `"` opens a string of its own; the cursor is inside it.
        let scanned = scan("y = f\"{'a' + \"quo");
        assert_eq!(scanned.open.string, Some("\""));
        assert_eq!(scanned.open.brackets, b"\"}");
        // Closed, with a spec holding a field, and a doubled brace: nothing stays open.
        let scanned = scan("y = f\"{\"a\"}{x:{w}}{{\"\nz = 1\n");
        assert_eq!((scanned.lines.len(), scanned.open), (2, Open::default()));
        // Inside a spec's nested field, then inside a field of a triple-quoted f-string.
        assert_eq!(scan("f'{x:{w").open.brackets, b"'}}");
        assert_eq!(scan("f\"\"\"a{(1,").open.brackets, b"\"\"\"})");
    }
}
