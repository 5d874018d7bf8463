//! One logical line of output, with the bracket groups it contains, so that a line too long
//! can be split at bracket boundaries after it was printed flat.

/// A bracketed, comma-separated list inside a line: call arguments, parameters, a display.
#[derive(Clone, Debug)]
pub(crate) struct Group {
    /// Byte offset of the opening bracket.
    pub open: usize,
    /// Byte offset of the closing bracket.
    pub close: usize,
    /// Byte spans of the elements, without the commas between them.
    pub elements: Vec<(usize, usize)>,
    /// Whether a comma may follow the last element (not after a bare generator argument).
    pub trailing_comma: bool,
}

#[derive(Default, Debug)]
pub(crate) struct Line {
    pub text: String,
    pub groups: Vec<Group>,
}

/// Longest line we aim for, as black and ruff.
pub(crate) const LINE_LENGTH: usize = 88;
const INDENT: &str = "    ";

impl Line {
    /// The line split so that each physical line fits `LINE_LENGTH` where a bracket allows,
    /// every physical line prefixed with `indent` levels of indentation.
    pub fn render(&self, indent: usize) -> String {
        let mut out = String::new();
        self.render_span(0, self.text.len(), indent, indent * INDENT.len(), &mut out);
        out
    }

    /// Renders `text[from..to]` starting at `column`; splits its last top-level group if the
    /// span does not fit, first trying all elements on one indented line, then one per line.
    fn render_span(&self, from: usize, to: usize, indent: usize, column: usize, out: &mut String) {
        let flat = &self.text[from..to];
        let first_line_len = flat.find('\n').unwrap_or(flat.len());
        let Some(group) = self
            .last_group_within(from, to)
            .filter(|_| column + first_line_len > LINE_LENGTH)
        else {
            push_indented(out, indent, flat);
            return;
        };
        push_indented(out, indent, &self.text[from..=group.open]);
        out.push('\n');
        let inner_indent = indent + 1;
        let inner_column = inner_indent * INDENT.len();
        let (first, last) = (
            group.elements[0].0,
            group.elements[group.elements.len() - 1].1,
        );
        let hugged = &self.text[first..last];
        let has_trailing_comma = self.text[last..group.close].contains(',');
        if inner_column + hugged.len() <= LINE_LENGTH
            && !hugged.contains('\n')
            && !has_trailing_comma
        {
            push_indented(out, inner_indent, hugged);
            out.push('\n');
        } else {
            for (i, &(start, end)) in group.elements.iter().enumerate() {
                self.render_span(start, end, inner_indent, inner_column, out);
                if group.trailing_comma || i + 1 < group.elements.len() {
                    out.push(',');
                }
                out.push('\n');
            }
        }
        self.render_span(group.close, to, indent, indent * INDENT.len(), out);
    }

    /// The outermost group inside `from..to` that closes last: black's right-hand split.
    fn last_group_within(&self, from: usize, to: usize) -> Option<&Group> {
        self.groups
            .iter()
            .filter(|g| g.open >= from && g.close < to && !g.elements.is_empty())
            .filter(|g| {
                !self
                    .groups
                    .iter()
                    .any(|o| o.open < g.open && o.close > g.close && o.open >= from)
            })
            .max_by_key(|g| g.close)
    }
}

/// Appends `text`, indenting it if it starts a physical line.
fn push_indented(out: &mut String, indent: usize, text: &str) {
    if out.is_empty() || out.ends_with('\n') {
        for _ in 0..indent {
            out.push_str(INDENT);
        }
    }
    out.push_str(text);
}
