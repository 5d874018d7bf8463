//! Printers: the simpy AST back to text.
//!
//! [`print_python`] writes clean PEP 8 Python: the fewest parentheses that keep the tree, literal
//! spellings as they were written, every comment kept, long lines split at brackets as black
//! does. One precedence table (`simpy_ast::precedence`) serves every printer and the Python front end.
//!
//! This crate parses nothing and does no IO.

mod python;
mod simpy;

pub use python::{print_python, print_python_with, PythonOptions};
pub use simpy::print_simpy;
