//! Every place where SimPy is not a respelling of Python: the one list. The walk (`walk.rs`,
//! `expr.rs`, `pattern.rs`, `literals.rs`) is shared and never looks at the flavor; it asks one
//! of these. Keywords and operators are respelt through the token table (`Special::text` for
//! SimPy, `Special::python` for Python), which is not a difference of structure.
//!
//! Expressions:
//! 1. `separator`: Python's `, ` is a single space in SimPy.
//! 2. `space`: the spaces PEP 8 puts around operators and after keywords are not written.
//! 3. `needs_parentheses`, `tuple_is_bare`: a tuple always brings its own parentheses, `(a b)`,
//!    except where a bare tuple stands (`bare_tuple_stands`: more than one element).
//! 4. `mark_one_element_tuple`, `mark_one_element_bare_tuple`: `(a,)` is `(a )`, `x[a,]` is
//!    `x[a ]`, and `x[*a]` is a tuple by itself.
//! 5. `target`: assignment and `for` targets keep Python's commas, without spaces: `a,b=b a`.
//! 6. `in_of_for`: the `in` of `for` is a space.
//! 7. `yield_value`: `<yield>a b`, as at statement level.
//! 8. `def_parameters`: no parentheses around a `def`'s parameters: `<def_stmt>f a b=1`.
//! 9. `import_from_head`: `<import_from_stmt>m a`, and `from __future__ import` is one token.
//! 10. `fstring_field_expression`: the field is SimPy; `{x = }`'s debug text is kept as a string
//!     literal after the field, `{x='x = '}`, since it cannot be derived from SimPy.
//! 11. `records_groups`: SimPy is one line per statement, never split.
//!
//! Layout (the `Printer`):
//! 12. `separate`: statements are written back to back; `<line_sep>` only between two that
//!     would otherwise touch, none before a line whose first token delimits (`emit_line`,
//!     `Special::starts_a_statement`).
//! 13. `open_block` / `close_block`: `<block_start>` … `<block_end>` instead of `:`, newline and
//!     indentation; `end_header` writes the `:`.
//! 14. `emit_line`: Python splits long lines at brackets and writes a trailing comment after
//!     two spaces; SimPy writes the comment and a newline right after the code.
//! 15. `own_line_comment`: SimPy writes `<line_sep>` first, so the comment reads as on its
//!     own line; Python indents it.
//! 16. `blank_lines`: SimPy keeps none (and does not count them).
//! 17. `may_declare_coding`: a coding declaration is rewritten to say UTF-8 where Python or SimPy
//!     would read it as one.
//! 18. `split_long_import`: a long `from … import` gets parentheses in Python so it can split.

use crate::expr::{parameter_items, Writer};
use crate::line::{Line, LINE_LENGTH};
use crate::walk::Printer;
use simpy_ast::precedence::{expr_prec, Prec};
use simpy_ast::*;

/// Which language a walk writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    Python,
    Simpy,
}

impl Writer<'_> {
    /// A keyword or operator that SimPy writes as a special token.
    pub fn token(&mut self, token: Special) {
        self.push(match self.flavor {
            Flavor::Python => token.python(),
            Flavor::Simpy => token.text(),
        });
    }

    pub fn separator(&mut self) {
        self.push(match self.flavor {
            Flavor::Python => ", ",
            Flavor::Simpy => " ",
        });
    }

    pub fn space(&mut self) {
        if self.flavor == Flavor::Python {
            self.push(" ");
        }
    }

    pub fn records_groups(&self) -> bool {
        self.flavor == Flavor::Python && !self.in_fstring
    }

    pub fn needs_parentheses(&self, expr: &Expr, min: Prec) -> bool {
        if self.flavor == Flavor::Simpy && matches!(expr, Expr::Tuple(_)) {
            return false;
        }
        // A walrus is always parenthesised: bare, it is valid only in a few places.
        expr_prec(expr) < min || matches!(expr, Expr::NamedExpr(_))
    }

    pub fn tuple_is_bare(&self, t: &ExprTuple) -> bool {
        self.flavor == Flavor::Python && !t.parenthesized && !t.elts.is_empty()
    }

    /// Whether a statement's value (`return a, b`) is written as a bare tuple.
    pub fn bare_tuple_stands(&self, t: &ExprTuple) -> bool {
        match self.flavor {
            Flavor::Python => !t.parenthesized && !t.elts.is_empty() && !opens_with_star_paren(t),
            // One element would end in a space, which reads as layout.
            Flavor::Simpy => t.elts.len() > 1,
        }
    }

    /// After the group of a parenthesised one-element tuple was written.
    pub fn mark_one_element_tuple(&mut self) {
        let mark = match self.flavor {
            Flavor::Python => ',',
            Flavor::Simpy => ' ',
        };
        let close = self.line.text.len() - 1;
        self.line.text.insert(close, mark);
        if self.records_groups() {
            if let Some(g) = self.line.groups.last_mut() {
                g.close += 1;
            }
        }
    }

    pub fn mark_one_element_bare_tuple(&mut self, only: &Expr) {
        match self.flavor {
            Flavor::Python => self.push(","),
            Flavor::Simpy if !matches!(only, Expr::Starred(_)) => self.push(" "),
            Flavor::Simpy => {}
        }
    }

    /// An assignment target, or the target of a `for` (`in_comprehension` or statement).
    pub fn target(&mut self, e: &Expr, in_comprehension: bool) {
        match (self.flavor, e) {
            (Flavor::Simpy, Expr::Tuple(t)) if !t.elts.is_empty() => {
                for (i, elt) in t.elts.iter().enumerate() {
                    if i > 0 {
                        self.push(",");
                    }
                    self.target_element(elt);
                }
                if t.elts.len() == 1 {
                    self.push(",");
                }
            }
            (Flavor::Simpy, _) => self.target_element(e),
            // A comprehension's target binds tighter than its `in`.
            (Flavor::Python, Expr::Tuple(t))
                if in_comprehension && !t.parenthesized && !t.elts.is_empty() =>
            {
                self.bare_tuple(&t.elts)
            }
            (Flavor::Python, _) if in_comprehension => self.expr(e, Prec::BitOr),
            (Flavor::Python, _) => self.expr_or_bare_tuple(e),
        }
    }

    fn target_element(&mut self, e: &Expr) {
        match e {
            Expr::Starred(_) => self.expr_inner(e),
            _ => self.expr(e, Prec::BitOr),
        }
    }

    pub fn in_of_for(&mut self) {
        match self.flavor {
            Flavor::Python => self.push(" in "),
            Flavor::Simpy => self.push(" "),
        }
    }

    pub fn yield_value(&mut self, value: &Expr) {
        match self.flavor {
            Flavor::Python => self.expr(value, Prec::Tuple),
            Flavor::Simpy => self.expr_or_bare_tuple(value),
        }
    }

    pub fn def_parameters(&mut self, args: &Arguments) {
        match self.flavor {
            Flavor::Python => {
                let items = parameter_items(args);
                self.group("(", ")", &items, true, |w, item| w.parameter(item, true));
            }
            Flavor::Simpy => {
                self.push(" ");
                self.parameters(args, true);
            }
        }
    }

    /// `from m import ` before the names.
    pub fn import_from_head(&mut self, s: &StmtImportFrom) {
        let future = s.level == 0 && s.module.as_ref().is_some_and(|m| &*m.id == "__future__");
        if self.flavor == Flavor::Simpy && future {
            self.token(Special::ImportFromFutureStmt);
            return;
        }
        self.token(Special::ImportFromStmt);
        self.space();
        self.push(&".".repeat(s.level as usize));
        if let Some(module) = &s.module {
            self.push(&module.id);
        }
        match self.flavor {
            Flavor::Python => self.push(" import "),
            Flavor::Simpy => self.push(" "),
        }
    }

    /// What stands between `{` and the conversion of a replacement field.
    pub fn fstring_field_expression(&mut self, field: &FStringField, quote: &str) {
        match (self.flavor, &field.debug_text) {
            // The debug text holds the expression as written, `=` and spacing included.
            (Flavor::Python, Some(text)) => self.push(text),
            (Flavor::Python, None) => {
                self.field_expression(&field.expression, |w, e| w.expr(e, Prec::Tuple))
            }
            (Flavor::Simpy, debug_text) => {
                self.field_expression(&field.expression, |w, e| w.statement_value(e));
                if let Some(text) = debug_text {
                    self.push("=");
                    self.push(&debug_text_literal(text, quote));
                }
            }
        }
    }

    /// The expression of a replacement field, written by `write` into a line of its own.
    fn field_expression(&mut self, e: &Expr, write: impl FnOnce(&mut Writer<'_>, &Expr)) {
        let mut inner = Line::default();
        write(
            &mut Writer {
                line: &mut inner,
                flavor: self.flavor,
                literals: self.literals,
                in_fstring: true,
            },
            e,
        );
        // A `:` outside brackets would start the format spec (`{yield lambda: 1}`).
        if crate::literals::has_top_level_colon(&inner.text) {
            self.push("(");
            self.push(&inner.text);
            self.push(")");
        } else {
            // `{{` would be an escaped brace.
            if inner.text.starts_with('{') {
                self.push(" ");
            }
            self.push(&inner.text);
        }
    }
}

/// `x = *(a), b`, `return *a, *[b] * c` and `*f"{x}",` are valid Python that
/// tree-sitter-python misreads; a bare tuple with a starred element other than a name, an
/// attribute, a subscript or a call keeps parentheses: `x = (*(a), b)`.
fn opens_with_star_paren(t: &ExprTuple) -> bool {
    t.elts.iter().any(|e| match e {
        Expr::Starred(s) => !matches!(
            *s.value,
            Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::Call(_)
        ),
        _ => false,
    })
}

/// The debug text of `{x = }` as a string literal, in the quote the f-string does not use
/// when that needs no escapes.
fn debug_text_literal(text: &str, fstring_quote: &str) -> String {
    let quote = if fstring_quote.starts_with('"') {
        '\''
    } else {
        '"'
    };
    if text.contains([quote, '\\', '\n', '\r']) {
        PyStr::from(text).repr()
    } else {
        format!("{quote}{text}{quote}")
    }
}

impl Printer<'_> {
    /// Before a statement, or a comment on its own line, in SimPy: a `<line_sep>` if the last
    /// thing written was a simple statement.
    pub fn separate(&mut self) {
        if self.flavor == Flavor::Simpy && self.open {
            self.out.push_str(Special::LineSep.text());
            self.open = false;
        }
    }

    pub fn blank_lines(&mut self, previous: &Stmt, stmt: &Stmt) {
        if self.flavor == Flavor::Simpy || self.out.is_empty() {
            return;
        }
        let count = self.blank_lines_between(previous, stmt);
        let have = self.out.len() - self.out.trim_end_matches('\n').len();
        for _ in have..count + 1 {
            self.out.push('\n');
        }
    }

    pub fn open_block(&mut self) {
        match self.flavor {
            Flavor::Python => self.indent += 1,
            Flavor::Simpy => self.out.push_str(Special::BlockStart.text()),
        }
        self.open = false;
    }

    pub fn close_block(&mut self) {
        match self.flavor {
            Flavor::Python => self.indent -= 1,
            Flavor::Simpy => self.out.push_str(Special::BlockEnd.text()),
        }
        self.open = false;
    }

    pub fn end_header(&mut self, line: &mut Line) {
        if self.flavor == Flavor::Python {
            line.text.push(':');
        }
    }

    /// Writes a logical line (split if too long in Python) and, if the next comment trails
    /// code on the line this one ends (`trails`), that comment after it.
    pub fn emit_line(&mut self, line: &Line, trails: impl Fn(&Comment) -> bool) {
        match self.flavor {
            Flavor::Python => self.out.push_str(&line.render(self.indent)),
            Flavor::Simpy => {
                if !Special::starts_a_statement(&line.text) {
                    self.separate();
                }
                self.out.push_str(&line.text);
            }
        }
        let trailing = self
            .comments
            .get(self.next_comment)
            .filter(|c| !c.own_line && trails(c));
        match (self.flavor, trailing) {
            (Flavor::Python, Some(c)) => {
                self.out.push_str("  ");
                self.comment(c, false);
            }
            (Flavor::Python, None) => self.out.push('\n'),
            (Flavor::Simpy, Some(c)) => self.comment(c, false),
            (Flavor::Simpy, None) => {}
        }
        self.open = true;
    }

    pub fn own_line_comment(&mut self, c: &Comment) {
        match self.flavor {
            Flavor::Python => {
                for _ in 0..self.indent {
                    self.out.push_str("    ");
                }
            }
            Flavor::Simpy => self.separate(),
        }
        self.comment(c, true);
    }

    /// The next comment, which is `c`, and the end of its line.
    fn comment(&mut self, c: &Comment, own_line: bool) {
        let declaration = own_line && self.may_declare_coding();
        if declaration {
            self.out.push_str(&declare_utf8(&c.text));
        } else {
            self.out.push_str(&c.text);
        }
        self.out.push('\n');
        self.next_comment += 1;
        if declaration {
            self.leading_comments_end = self.out.len();
        }
    }

    /// Whether an own-line comment written next is where a coding declaration is read: the
    /// first line of Python, or its second after a blank or comment line (as CPython reads
    /// it); the first two comments of SimPy if no code comes before.
    fn may_declare_coding(&self) -> bool {
        match self.flavor {
            Flavor::Python => match self.out.matches('\n').take(2).count() {
                0 => true,
                1 => {
                    let first = self.out.trim_start_matches([' ', '\t', '\x0c']);
                    first.starts_with(['#', '\n'])
                }
                _ => false,
            },
            Flavor::Simpy => {
                self.comments_before + self.next_comment < 2
                    && self.out.len() == self.leading_comments_end
            }
        }
    }

    /// A simple statement's line; in Python a long `from … import` gets parentheses so that
    /// it can split.
    pub fn split_long_import(&self, stmt: &Stmt, line: Line) -> Line {
        let Stmt::ImportFrom(s) = stmt else {
            return line;
        };
        let star = s.names.iter().any(|a| &*a.name.id == "*");
        if self.flavor == Flavor::Simpy || star || self.indent * 4 + line.text.len() <= LINE_LENGTH
        {
            return line;
        }
        let mut line = Line::default();
        let mut w = Writer::new(&mut line, self.flavor);
        w.import_from_head(s);
        w.group("(", ")", &s.names, true, Writer::alias);
        line
    }
}

/// A PEP 263 coding declaration rewritten to name UTF-8; any other comment unchanged.
fn declare_utf8(comment: &str) -> std::borrow::Cow<'_, str> {
    use simpy_ast::coding;
    match coding::declared_name(comment.as_bytes()) {
        Some(name) if coding::normal_name(&comment[name.clone()]) != "utf-8" => {
            format!("{}utf-8{}", &comment[..name.start], &comment[name.end..]).into()
        }
        _ => comment.into(),
    }
}
