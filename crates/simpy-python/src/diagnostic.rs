//! How a located parse error is shown to people: `path:line:col: error: message`, then the
//! offending line with a caret under the column. Pure formatting; callers do the printing.

use crate::LocatedError;
use std::fmt::Write;

impl LocatedError {
    /// `path:line:col: error: message`.
    pub fn headline(&self, path: &str) -> String {
        format!(
            "{path}:{}:{}: error: {}",
            self.location.line, self.location.col, self.error
        )
    }

    /// The headline, the offending line and a caret, each line ending in a newline.
    pub fn render(&self, path: &str) -> String {
        let mut out = self.headline(path);
        out.push('\n');
        if self.line_text.is_empty() {
            return out;
        }
        let line_no = self.location.line.to_string();
        let pad = " ".repeat(line_no.len());
        // Keep tabs so the caret lines up under tab-indented code.
        let indent: String = self
            .line_text
            .chars()
            .take(self.location.col.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        writeln!(out, "{pad} |").unwrap();
        writeln!(out, "{line_no} | {}", self.line_text).unwrap();
        writeln!(out, "{pad} | {indent}^").unwrap();
        out
    }
}
