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
    /// Bytes of indentation.
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
}

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
        let code = &src[self.start + self.indent..self.end];
        let end = code
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(code.len());
        &code[..end]
    }
}

/// Just past the line break that ends the comment starting at `start`.
pub(crate) fn comment_end(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| start + p + 1)
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

/// Just past the string literal whose opening quote is at `start` (the end of the text if it
/// is unterminated).
pub(crate) fn string_end(bytes: &[u8], start: usize) -> usize {
    let quote = bytes[start];
    let triple = bytes.get(start..start + 3) == Some(&[quote; 3][..]);
    let body = start + if triple { 3 } else { 1 };
    let rest = &bytes[body.min(bytes.len())..];
    body + string_body_end(rest, quote, triple).unwrap_or_else(|end| end)
}

pub(crate) fn scan(src: &str) -> Lines {
    let bytes = src.as_bytes();
    let mut lines = Vec::new();
    let mut start = 0;
    let mut brackets: Vec<u8> = Vec::new();
    let mut last_code: Option<u8> = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            quote @ (b'\'' | b'"') => {
                let triple = bytes.get(i..i + 3) == Some(&[quote; 3][..]);
                let body = i + if triple { 3 } else { 1 };
                match string_body_end(&bytes[body.min(bytes.len())..], quote, triple) {
                    Ok(end) => {
                        i = body + end;
                        last_code = Some(quote);
                        continue;
                    }
                    Err(_) => {
                        let string = match (quote, triple) {
                            (b'"', true) => "\"\"\"",
                            (b'"', false) => "\"",
                            (_, true) => "'''",
                            _ => "'",
                        };
                        let open = Open {
                            brackets,
                            string: Some(string),
                        };
                        return Lines {
                            lines,
                            tail: start,
                            open,
                        };
                    }
                }
            }
            b'(' => brackets.push(b')'),
            b'[' => brackets.push(b']'),
            b'{' => brackets.push(b'}'),
            b')' | b']' | b'}' => {
                brackets.pop();
            }
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => {
                i += 2;
                continue;
            }
            b'\n' if brackets.is_empty() => {
                let text = &src[start..i];
                let indent = text.len() - text.trim_start_matches([' ', '\t', '\x0c']).len();
                lines.push(Line {
                    start,
                    end: i + 1,
                    indent,
                    code: last_code.is_some(),
                    opens_block: last_code == Some(b':'),
                });
                start = i + 1;
                last_code = None;
                i += 1;
                continue;
            }
            _ => {}
        }
        if !bytes[i].is_ascii_whitespace() {
            last_code = Some(bytes[i]);
        }
        i += 1;
    }
    let open = Open {
        brackets,
        string: None,
    };
    Lines {
        lines,
        tail: start,
        open,
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
}
