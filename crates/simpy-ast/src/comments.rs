//! Comments live beside the tree, not in it: a table of (range, text) in source order.

use crate::TextRange;

/// One `# …` comment; `text` starts with `#` and has no line break.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Comment {
    pub range: TextRange,
    pub text: Box<str>,
    /// Alone on its line (only whitespace before it), rather than after code.
    pub own_line: bool,
    /// Where the comment's line starts: code that ends at or after it shares the line.
    pub line_start: u32,
}

/// Every comment of a source file, sorted by position.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Comments {
    pub items: Vec<Comment>,
}

impl Comments {
    pub fn len(&self) -> usize {
        self.items.len()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The comments that start inside `range`.
    pub fn within(&self, range: TextRange) -> &[Comment] {
        let from = self.items.partition_point(|c| c.range.start < range.start);
        let to = self.items.partition_point(|c| c.range.start < range.end);
        &self.items[from..to.max(from)]
    }
}
