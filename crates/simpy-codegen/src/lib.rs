//! Printers: the simpy AST back to text, Python or SimPy, by one walk.
//!
//! [`print_python`] writes clean PEP 8 Python: the fewest parentheses that keep the tree, literal
//! spellings as they were written, every comment kept, long lines split at brackets as black
//! does. [`print_simpy`] writes the paper's canonical SimPy (grammar/SPEC.md) with comments kept.
//! Both are the same walk (`walk.rs`, `expr.rs`, `pattern.rs`, `literals.rs`); every place where
//! SimPy is not a respelling of Python is listed in `differences.rs`. One precedence table
//! (`simpy_ast::precedence`) serves every printer and the Python front end.
//!
//! This crate parses nothing and does no IO.

mod differences;
mod expr;
mod line;
mod literals;
mod pattern;
mod walk;

use differences::Flavor;
use simpy_ast::{Comments, ModModule};
pub use walk::SimpyParts;

/// Prints a module as clean Python; every comment of `comments` appears in the output.
pub fn print_python(module: &ModModule, comments: &Comments) -> String {
    print_python_with(module, comments, &PythonOptions::default())
}

/// How to print Python.
#[derive(Clone, Copy, Debug, Default)]
pub struct PythonOptions<'s> {
    /// The text the tree was parsed from. With it, blank lines between statements are kept
    /// (at most two at the top level, one inside) and a comment that ends a block stays in it.
    pub source: Option<&'s str>,
}

/// [`print_python`] with options.
pub fn print_python_with(
    module: &ModModule,
    comments: &Comments,
    options: &PythonOptions<'_>,
) -> String {
    let out = walk::print(Flavor::Python, module, comments, options.source, 0);
    ended_with_one_newline(out)
}

/// [`print_python`] of statements that stand inside `levels` blocks, as they print there:
/// indented so, with a block's blank lines (one around a definition, not two). What prints
/// a statement without the headers around it (a stream's window) prints the same lines.
pub fn print_python_nested(module: &ModModule, comments: &Comments, levels: usize) -> String {
    ended_with_one_newline(walk::print(Flavor::Python, module, comments, None, levels))
}

/// The blank lines [`print_python_nested`] puts before `stmt`, `levels` blocks deep, after a
/// statement that is a definition or not, where the source has none between them: what a
/// stream's window that prints `stmt` without the statement before it puts first.
pub fn blank_lines_after(
    previous_is_definition: bool,
    stmt: &simpy_ast::Stmt,
    levels: usize,
) -> usize {
    walk::blank_lines_around_definitions(previous_is_definition, stmt, levels).unwrap_or(0)
}

fn ended_with_one_newline(mut out: String) -> String {
    let trimmed = out.trim_end_matches('\n').len();
    out.truncate(trimmed);
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

/// Prints a module as canonical SimPy with `comments` (pass none to leave them out).
pub fn print_simpy(module: &ModModule, comments: &Comments) -> String {
    print_simpy_with(module, comments, Literals::Kept)
}

/// [`print_simpy`], its literals spelt as `literals` says.
pub fn print_simpy_with(module: &ModModule, comments: &Comments, literals: Literals) -> String {
    let mut printer = walk::Printer::new(Flavor::Simpy, &comments.items, None);
    printer.literals = literals;
    printer.module(module)
}

/// How SimPy spells literals.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Literals {
    /// As they were written: the author's spellings are kept (`0xFF`, `"a" "b"`, `"x"`).
    #[default]
    Kept,
    /// Numbers, bytes and strings from their values, as Python's `repr` writes them (`255`,
    /// `'ab'`, `'x'`): the same AST, and fewer tokens where a file is a table of literals.
    /// Triple-quoted strings (docstrings: their line breaks would become `\n`), f-strings and
    /// the strings in their fields (where the repr's quote may be the f-string's own, which
    /// Python before 3.12 refuses) keep their spellings. A function of the value and of where
    /// and how it was written, so encoding what decoding wrote gives the same SimPy again.
    Normalized,
}

impl Literals {
    /// The name a dialect file gives this setting.
    pub fn name(self) -> &'static str {
        match self {
            Literals::Kept => "kept",
            Literals::Normalized => "normalized",
        }
    }

    /// The setting a dialect file names, if `name` is one.
    pub fn from_name(name: &str) -> Option<Literals> {
        [Literals::Kept, Literals::Normalized]
            .into_iter()
            .find(|l| l.name() == name)
    }
}
