//! Byte ranges into the (decoded, newline-normalised) source text, and line/column lookup.

/// A half-open byte range `start..end` into the source text a tree was built from.
///
/// Trees built without source text (for example from SimPy) use ranges into *their* source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TextRange {
    pub start: u32,
    pub end: u32,
}

impl TextRange {
    pub fn new(start: u32, end: u32) -> Self {
        debug_assert!(start <= end, "inverted range {start}..{end}");
        TextRange { start, end }
    }

    /// The smallest range covering both.
    pub fn cover(self, other: TextRange) -> TextRange {
        TextRange::new(self.start.min(other.start), self.end.max(other.end))
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// A 1-based line and a 1-based column counted in characters, as editors and CPython show them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct LineCol {
    pub line: u32,
    pub col: u32,
}

/// Maps byte offsets to lines and columns; built once per source text.
#[derive(Clone, Debug)]
pub struct LineIndex {
    line_starts: Vec<u32>,
}

impl LineIndex {
    pub fn new(text: &str) -> Self {
        let mut line_starts = vec![0];
        line_starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i as u32 + 1),
        );
        LineIndex { line_starts }
    }

    /// Line and column of `offset`; an offset past the end clamps to the end.
    pub fn line_col(&self, text: &str, offset: u32) -> LineCol {
        let offset = (offset as usize).min(text.len());
        let line = self.line_starts.partition_point(|&s| s as usize <= offset) - 1;
        let start = self.line_starts[line] as usize;
        let col = text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count());
        LineCol {
            line: line as u32 + 1,
            col: col as u32 + 1,
        }
    }

    /// The text of the 1-based line `line`, without its newline.
    pub fn line_text<'a>(&self, text: &'a str, line: u32) -> &'a str {
        let Some(&start) = self.line_starts.get(line as usize - 1) else {
            return "";
        };
        let end = self
            .line_starts
            .get(line as usize)
            .map_or(text.len(), |&e| e as usize - 1);
        &text[start as usize..end]
    }
}

/// The 1-based line and column of `offset` in `text`, and the text of that line (without its
/// line break): what a diagnostic shows. An offset past the end is taken as the end, and one
/// inside a character as that character's start.
pub fn locate(text: &str, offset: u32) -> (LineCol, &str) {
    let offset = text.floor_char_boundary((offset as usize).min(text.len()));
    let location = LineIndex::new(text).line_col(text, offset as u32);
    let start = text[..offset].rfind('\n').map_or(0, |i| i + 1);
    let end = text[start..].find('\n').map_or(text.len(), |i| start + i);
    (location, &text[start..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_past_the_end_or_inside_a_character_is_located_without_a_panic() {
        assert_eq!(locate("", 6), (LineCol { line: 1, col: 1 }, ""));
        assert_eq!(locate("a\nçd", 3).0, LineCol { line: 2, col: 1 });
        assert_eq!(locate("a\nçd", 9).0, LineCol { line: 2, col: 3 });
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ab\nçd = 1\n";
        let index = LineIndex::new(text);
        assert_eq!(index.line_col(text, 0), LineCol { line: 1, col: 1 });
        assert_eq!(index.line_col(text, 3), LineCol { line: 2, col: 1 });
        // 'd' follows a two-byte character
        assert_eq!(index.line_col(text, 5), LineCol { line: 2, col: 2 });
        assert_eq!(index.line_text(text, 2), "çd = 1");
        assert_eq!(index.line_col(text, 100), LineCol { line: 3, col: 1 });
    }
}
