//! A big file is parsed in chunks of whole top-level statements, one tree-sitter tree at a time:
//! tree-sitter's tree takes about 18 times the text for real code and 140 times for short
//! statements (`x = 1`), and only the chunk's own tree need be held. Each chunk is parsed
//! within the whole text (tree-sitter's included ranges), so every offset is the file's own.
//!
//! Where chunks start is an optimisation, never a reading of the code: a line is taken for the
//! start of a top-level statement by a light scan (brackets, strings, comments, `\`), and a
//! wrong guess leaves a chunk that does not parse (an open bracket or string, a decorator
//! without its definition, an `else` without its `if`). So if any chunk fails, the caller
//! parses the whole file as one, and errors are exactly those of the unchunked parse.

use tree_sitter::{Point, Range};

/// Files longer than this are parsed in chunks of at least this many bytes.
pub(crate) const CHUNK_BYTES: usize = 64 * 1024;

/// The chunks of `src`, each at least `min_len` bytes long but the last, cut where a top-level
/// statement seems to start; `None` if `src` makes one chunk.
pub(crate) fn chunks(src: &str, min_len: usize) -> Option<Vec<Range>> {
    // A cut leaves at least `min_len` bytes before it and more after it: spare every smaller
    // file (every file a parse usually sees) the scan.
    if src.len() <= 2 * min_len {
        return None;
    }
    let starts = statement_starts(src, min_len);
    if starts.is_empty() {
        return None;
    }
    let mut chunks = Vec::with_capacity(starts.len() + 1);
    let (mut start, mut start_row) = (0, 0);
    for (end, end_row) in starts.into_iter().chain([end_of(src)]) {
        chunks.push(Range {
            start_byte: start,
            end_byte: end,
            start_point: Point::new(start_row, 0),
            end_point: if end == src.len() {
                Point::new(end_row, src.len() - src.rfind('\n').map_or(0, |i| i + 1))
            } else {
                Point::new(end_row, 0)
            },
        });
        (start, start_row) = (end, end_row);
    }
    Some(chunks)
}

fn end_of(src: &str) -> (usize, usize) {
    (src.len(), src.bytes().filter(|&b| b == b'\n').count())
}

/// Line starts (byte offset, row) that seem to begin a top-level statement, at least `min_len`
/// bytes apart, the first at least `min_len` from the start and the last more than `min_len`
/// from the end.
fn statement_starts(src: &str, min_len: usize) -> Vec<(usize, usize)> {
    let bytes = src.as_bytes();
    let mut starts = Vec::new();
    let (mut depth, mut row, mut last) = (0usize, 0, 0);
    // The first byte of the last line at column 0 that began code: a decorator's `@` means the
    // next such line is its definition, not a statement of its own.
    let mut previous_first = bytes.first().copied().unwrap_or_default();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = memchr_newline(bytes, i),
            quote @ (b'\'' | b'"') => i = string_end(bytes, i, quote, &mut row),
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => {
                row += 1;
                i += 2;
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                i += 1;
            }
            b')' | b']' | b'}' => {
                depth = depth.saturating_sub(1);
                i += 1;
            }
            b'\n' => {
                row += 1;
                i += 1;
                let Some(&first) = bytes.get(i) else { break };
                if depth > 0 || b" \t\x0c\r\n#".contains(&first) {
                    continue;
                }
                let continues = ["else", "elif", "except", "finally"].iter().any(|word| {
                    src[i..].starts_with(word)
                        && !bytes
                            .get(i + word.len())
                            .is_some_and(|&b| b == b'_' || b.is_ascii_alphanumeric())
                });
                if !continues
                    && previous_first != b'@'
                    && i - last >= min_len
                    && src.len() - i > min_len
                {
                    starts.push((i, row));
                    last = i;
                }
                previous_first = first;
            }
            _ => i += 1,
        }
    }
    starts
}

fn memchr_newline(bytes: &[u8], from: usize) -> usize {
    bytes[from..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |n| from + n)
}

/// Just past the string that opens with `quote` at `at` (where it breaks off if it does not
/// close: a one-line string's line break is the caller's), counting the lines it spans; an
/// f-string's fields read as PEP 701 reads them (`repair::skip_string`).
fn string_end(bytes: &[u8], at: usize, quote: u8, row: &mut usize) -> usize {
    let end = crate::repair::skip_string(bytes, at, quote);
    *row += memchr::memchr_iter(b'\n', &bytes[at..end]).count();
    end
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{lower_chunks, lower_text_once, normalize_newlines};

    /// The tree and comments of `src` cut before every statement the scan finds, if every
    /// piece parses; then they must be the whole text's, byte offsets and all.
    fn chunked_as_whole(src: &str) -> Option<bool> {
        let chunks = chunks(src, 1)?;
        let whole = lower_text_once(src, None);
        let Some((module, comments)) = lower_chunks(src, &chunks) else {
            return Some(false);
        };
        let (whole_module, whole_comments) = whole.expect("the chunks parsed, so the whole does");
        assert_eq!(format!("{module:?}"), format!("{whole_module:?}"), "{src}");
        assert_eq!(comments, whole_comments, "{src}");
        Some(true)
    }

    /// The first letter of each line the scan takes for a statement's start.
    fn starts(src: &str) -> String {
        let starts = statement_starts(src, 1);
        starts.iter().map(|&(at, _)| &src[at..=at]).collect()
    }

    #[test]
    fn the_scan_skips_strings_brackets_continuations_clauses_and_decorated_definitions() {
        assert_eq!(starts("a = '''\nb\n'''\nc\n"), "c");
        assert_eq!(starts("a = 'x\\'y'\nb\n"), "b");
        assert_eq!(starts("a = [\nb]\nc\n"), "c");
        assert_eq!(starts("a = 1 + \\\nb\nc\n"), "c");
        assert_eq!(starts("@d\ndef f(): pass\nc\n"), "c");
        assert_eq!(starts("if a:\n    b\nelse:\n    c\nd\n"), "d");
        assert_eq!(starts("a  # it's\nb\n"), "b");
        assert_eq!(starts("a\nelsewhere\nfinally_\nb\n"), "efb");
        // Rows count the lines that strings and continuations span.
        let src = "a = '''\n\n'''\nb = 1 + \\\n2\nc\n";
        let rows: Vec<usize> = statement_starts(src, 1).iter().map(|s| s.1).collect();
        assert_eq!(rows, [3, 5]);
    }

    /// Lines at column 0 that are no statement's start: every wrong cut must fail its chunk.
    #[test]
    fn lines_that_continue_a_statement() {
        for src in [
            "x = '''\ny = 1\n'''\nz = 2\n",
            "x = \"\"\"a\\\"\"\"\ny = 1\n\"\"\"\nz = 2\n",
            "@d\ndef f(): pass\nx = 1\n",
            "@d(\n1)\nclass C: pass\nx = 1\n",
            "if a:\n    b\nelse:\n    c\nx = 1\n",
            "try:\n    a\nexcept E:\n    b\nfinally:\n    c\nx = 1\n",
            "x = 1 + \\\n2\ny = 3\n",
            "x = [\n1,\n]\ny = 2\n",
            "x = f\"{a[\"k\"]}\"\ny = 1\n",
            // PEP 701 nesting of the same triple quote: the scan reads strings inside out.
            "x = f\"\"\"{\"\"\"a\n\"\"\"}\"\"\"\ny = '''\nz = 1\n'''\nw = 2\n",
            "x = 1  # a ' quote \\\ny = 2\n",
            "elsewhere = 1\nfinally_ = 2\n",
        ] {
            let cut = chunked_as_whole(src);
            assert!(cut.is_some(), "no cut in {src:?}");
        }
        // Cuts that are statements' starts give the whole tree.
        assert_eq!(chunked_as_whole("x = 1\n# c\ny = 2\n\nz = 3"), Some(true));
    }

    /// Every third file of the standard library cut before each top-level statement: the same
    /// tree and comments as the whole file, and nearly every file cut that finely still parses.
    #[test]
    fn stdlib_files_cut_at_every_statement_parse_as_whole() {
        let files = simpy_testkit::cpython::stdlib_files();
        let (mut cut, mut fell_back) = (0, 0);
        for path in files.iter().step_by(3) {
            let bytes = std::fs::read(path).expect("readable");
            let Ok(text) = crate::decode_source(&bytes) else {
                continue;
            };
            let text = normalize_newlines(&text).into_owned();
            if lower_text_once(&text, None).is_err() {
                continue;
            }
            match chunked_as_whole(&text) {
                Some(true) => cut += 1,
                Some(false) => fell_back += 1,
                None => {}
            }
        }
        assert!(cut > 400, "{cut} files cut");
        assert!(
            fell_back * 50 < cut,
            "{fell_back} of {cut} files parsed whole again"
        );
    }

    /// At the size the front end uses: standard library files joined into one text of over
    /// 1 MiB, cut in at least three chunks, whose chunked parse must be the whole one.
    #[test]
    fn a_big_file_is_cut_at_the_chunk_size_and_parses_as_whole() {
        let mut text = String::new();
        for path in simpy_testkit::cpython::stdlib_files() {
            if text.len() > 4 * CHUNK_BYTES {
                break;
            }
            let Ok(source) = crate::decode_source(&std::fs::read(&path).expect("readable")) else {
                continue;
            };
            let source = normalize_newlines(&source);
            if source.contains("__future__") || lower_text_once(&source, None).is_err() {
                continue;
            }
            text.push_str(&source);
            if !text.ends_with('\n') {
                text.push('\n');
            }
        }
        let chunks = chunks(&text, CHUNK_BYTES).expect("a big text is cut");
        assert!(chunks.len() >= 3, "{} chunks", chunks.len());
        let (module, comments) = lower_chunks(&text, &chunks).expect("every chunk parses");
        let (whole_module, whole_comments) = lower_text_once(&text, None).expect("parses");
        assert_eq!(format!("{module:?}"), format!("{whole_module:?}"));
        assert_eq!(comments, whole_comments);
    }
}
