//! How a located parse error is shown to people: `simpy_ast::render_diagnostic`, the renderer
//! every diagnostic shares. Pure formatting; callers do the printing.

use crate::LocatedError;

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
        simpy_ast::render_diagnostic(
            "error",
            path,
            self.location,
            &self.line_text,
            &self.error.to_string(),
            None,
        )
    }
}
