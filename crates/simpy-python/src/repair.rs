//! A second chance for valid Python that tree-sitter-python misreads.
//!
//! Its scanner emits indentation tokens for a continuation line inside brackets when the line
//! is dedented after a token that cannot be followed by a closing bracket (`(bar.\n  baz)`),
//! which Python ignores. Joining the lines inside brackets, as Python's tokenizer does, fixes
//! that. Newlines become spaces so every byte offset stays where it was.

/// `src` with each newline inside brackets replaced by a space, or `None` if there is none.
/// Lines ending in a comment or a backslash keep their newline.
pub(crate) fn join_bracketed_lines(src: &str) -> Option<String> {
    let bytes = src.as_bytes();
    let mut out = bytes.to_vec();
    let mut depth = 0usize;
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                // A comment runs to the end of the line, which must stay a line end.
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            quote @ (b'\'' | b'"') => {
                i = skip_string(bytes, i, quote);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' if depth > 0 && (i == 0 || bytes[i - 1] != b'\\') => {
                out[i] = b' ';
                changed = true;
            }
            _ => {}
        }
        i += 1;
    }
    // Only ASCII newlines were replaced by ASCII spaces, so the text is still UTF-8.
    changed.then(|| String::from_utf8(out).unwrap_or_else(|_| src.to_owned()))
}

/// Where a statement's text breaks a line outside brackets: tree-sitter sometimes reads two
/// statements as one (`x = a, 0` then `(b).c` as a call of `0`). Returns the offset to respell
/// as `;` (the line break, or the space before a comment ending that line), or `Err(())` if
/// there is a break but no byte to respell.
pub(crate) fn statement_break(text: &str) -> Option<Result<usize, ()>> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut comment_start = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                comment_start = Some(i);
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            quote @ (b'\'' | b'"') => {
                i = skip_string(bytes, i, quote);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\\' => i += 1,
            b'\n' if depth == 0 => {
                return Some(match comment_start {
                    None => Ok(i),
                    Some(c) if c > 0 && matches!(bytes[c - 1], b' ' | b'\t') => Ok(c - 1),
                    Some(_) => Err(()),
                });
            }
            b'\n' => comment_start = None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index just past the string literal whose opening quote is at `start`.
fn skip_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    let triple = bytes.get(start..start + 3) == Some(&[quote; 3][..]);
    let body = start + if triple { 3 } else { 1 };
    match crate::literals::string_body_end(&bytes[body.min(bytes.len())..], quote, triple) {
        Ok(end) | Err(end) => body + end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_line_breaks_outside_brackets() {
        assert_eq!(statement_break("x = a, 0\n(b).c"), Some(Ok(8)));
        assert_eq!(statement_break("b,  # c\nx = a"), Some(Ok(3)));
        assert_eq!(statement_break("b,# c\nx = a"), Some(Err(())));
        assert_eq!(statement_break("x = (1,\n 2)"), None);
        assert_eq!(statement_break("x = '''a\nb'''"), None);
        assert_eq!(statement_break("x = 1 + \\\n 2"), None);
    }

    #[test]
    fn joins_only_lines_inside_brackets() {
        let src = "def f():\n    (bar.\nbaz)\n    x = '(\\n'\n    y = (1, # c\n2)\n";
        let want = "def f():\n    (bar. baz)\n    x = '(\\n'\n    y = (1, # c\n2)\n";
        assert_eq!(join_bracketed_lines(src).as_deref(), Some(want));
        assert_eq!(join_bracketed_lines("x = '''(\n'''\n"), None);
    }
}
