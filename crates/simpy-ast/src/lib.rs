//! The shared Python AST: the one tree both front ends build and both printers read.
//!
//! Nodes follow CPython's `ast` module (Python 3.13). Every node carries a [`TextRange`];
//! literal spellings the value does not determine are kept beside the value; comments live in a
//! side table ([`Comments`]); a [`Visitor`] walks it. [`dump`] prints a tree exactly as CPython 3.11's `ast.dump` does
//! and [`same_ast`] compares trees through it, ignoring ranges, spellings and comments.
//!
//! This crate parses nothing (but [`coding`]'s pattern in a comment), prints no source code
//! and does no IO.

pub mod coding;
mod comments;
mod diagnostic;
mod dump;
mod nodes;
mod nonprintable;
pub mod precedence;
mod pystr;
mod special;
mod text;
mod visitor;

pub use comments::{Comment, Comments};
pub use diagnostic::render_diagnostic;
pub use dump::{cmpop_name, dump, dump_expr, dump_stmt, float_repr, operator_name, same_ast};
pub use nodes::*;
pub use pystr::{bytes_repr, is_printable, PyStr};
pub use special::{idiom_number, idiom_token, Special};
pub use text::{locate, LineCol, LineIndex, TextRange};
pub use visitor::{walk_expr, walk_module, walk_pattern, walk_stmt, Visitor};
