//! Lowering: tree-sitter's concrete tree to the shared AST, with the checks CPython's parser
//! makes that tree-sitter's grammar does not (targets, argument order, literals, Python 2).
//!
//! Recursion is bounded by `MAX_DEPTH` and runs on a stack that grows on demand (`stacker`),
//! so deeply nested input is an error, never a stack overflow.

mod args;
mod expr;
mod pattern;
pub(crate) mod starred;
mod stmt;
mod strings;
pub(crate) mod targets;

use crate::cst::{self, kind, range, Field};
use crate::error::{ParseError, ParseErrorKind};
use crate::flat::Node;
use simpy_ast::{Expr, ModModule, TextRange};
use std::cell::Cell;
use std::collections::HashMap;

/// How deep the AST may nest. CPython 3.11 gives up between 1,000 and 5,000 levels.
pub const MAX_DEPTH: u32 = 3000;

pub(crate) type Result<T> = std::result::Result<T, ParseError>;

pub(crate) struct Lowerer<'s> {
    src: &'s str,
    /// Whether the text lowered is all ASCII (most files are): then no identifier needs the
    /// check for characters to normalise, one branchy loop per name.
    ascii: bool,
    depth: u32,
    /// The first name spelled `async` or `await`, which tree-sitter allows and Python 3.7+ not.
    keyword_name: Cell<Option<TextRange>>,
    /// Text tree-sitter misread, with a respelling of the same length that it reads right;
    /// see `Lowered`.
    respell: Vec<Respelling>,
    /// While lowering a `with` item: where tree-sitter put its `as` target inside the
    /// expression (`with a if b else c as d:` reads as `… else (c as d)`); see `with_statement`.
    with_target: Option<Option<TextRange>>,
    /// A walrus tree-sitter bound too tightly (`w := a if b else c` read as `(w := a) if …`):
    /// lowered as its value alone, the walrus then wrapping the whole expression.
    unwrap_walrus: Option<usize>,
    /// What the repairs blanked out of the text and read alone.
    alone: ReadAlone,
}

/// What the repairs blanked out of the text tree-sitter reads, read alone as expressions.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReadAlone {
    /// PEP 696 defaults (see `repair.rs`), by where their parameter's own text ends: the `=`'s
    /// offset and the value.
    pub type_param_defaults: HashMap<u32, (u32, Expr)>,
    /// Annotations, return types, type alias values and starred operands (see `alone.rs`), by
    /// where they start.
    pub expressions: HashMap<u32, Expr>,
}

/// A lowered module, unless tree-sitter misread some text: then the module is meaningless
/// and the caller parses again with `respell` applied (byte offsets stay put).
pub(crate) struct Lowered {
    pub module: ModModule,
    pub respell: Vec<Respelling>,
}

/// Replace the bytes at `at` with `with`, which has the same length.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Respelling {
    pub at: usize,
    pub with: &'static str,
}

pub(crate) fn lower_module(root: Node<'_>, src: &str, alone: ReadAlone) -> Result<Lowered> {
    let mut lowerer = Lowerer {
        src,
        ascii: src[root.byte_range()].is_ascii(),
        depth: 0,
        keyword_name: Cell::new(None),
        respell: Vec::new(),
        with_target: None,
        unwrap_walrus: None,
        alone,
    };
    // `x = 1\` at the end of the file: the line it continues onto is missing.
    if let Some(last) = root.child(root.child_count().saturating_sub(1)) {
        if kind(last) == "line_continuation" && last.end_byte() == src.len() {
            return Err(ParseError::new(ParseErrorKind::UnexpectedEof, range(last)));
        }
    }
    let body = lowerer.statements(root)?;
    let module = ModModule {
        range: range(root),
        body,
    };
    // Misread statements are not lowered (nor what was read alone for them): the text is read
    // again with their breaks respelled, and checked then.
    if !lowerer.respell.is_empty() {
        return Ok(Lowered {
            module,
            respell: lowerer.respell,
        });
    }
    // A default that no type parameter took, an expression read alone that no place took: the text was
    // not what the repair assumed.
    let unused_default = lowerer.alone.type_param_defaults.values().map(|d| d.0);
    let unused_expression = lowerer.alone.expressions.keys().copied();
    if let Some(at) = unused_default.chain(unused_expression).min() {
        let found = format!("'{}'", src[at as usize..].chars().next().unwrap_or(' '));
        let range = TextRange::new(at, at + 1);
        return Err(ParseError::new(
            ParseErrorKind::InvalidSyntax { found },
            range,
        ));
    }
    if let Some(at) = lowerer.keyword_name.get() {
        let found = format!("'{}'", &src[at.start as usize..at.end as usize]);
        return Err(ParseError::new(ParseErrorKind::InvalidSyntax { found }, at));
    }
    starred::check_source(&module, src)?;
    Ok(Lowered {
        module,
        respell: lowerer.respell,
    })
}

impl<'s> Lowerer<'s> {
    fn text(&self, node: Node<'_>) -> &'s str {
        &self.src[node.byte_range()]
    }

    /// Runs `f` one level deeper, failing past `MAX_DEPTH` and growing the stack as needed.
    fn nested<T>(&mut self, at: Node<'_>, f: impl FnOnce(&mut Self) -> Result<T>) -> Result<T> {
        if self.depth >= MAX_DEPTH {
            return Err(ParseError::new(
                ParseErrorKind::TooDeep { limit: MAX_DEPTH },
                range(at),
            ));
        }
        self.depth += 1;
        let result = stacker::maybe_grow(64 * 1024, 2 * 1024 * 1024, || f(self));
        self.depth -= 1;
        result
    }

    fn error<T>(&self, kind: ParseErrorKind, at: Node<'_>) -> Result<T> {
        Err(ParseError::new(kind, range(at)))
    }

    fn error_at<T>(&self, kind: ParseErrorKind, at: TextRange) -> Result<T> {
        Err(ParseError::new(kind, at))
    }

    /// tree-sitter takes `f(,)`, `f(a,,b)` and `{,}`; in Python a comma follows an item.
    /// `all` is the node's children without trivia (`cst::children`), which the caller then
    /// filters for its items: one walk of the children for both.
    fn check_commas(&self, all: &[Node<'_>]) -> Result<()> {
        let mut previous = "";
        for &child in all {
            if kind(child) == "," && matches!(previous, "(" | "{" | ",") {
                return self.error(
                    ParseErrorKind::InvalidSyntax {
                        found: "','".into(),
                    },
                    child,
                );
            }
            previous = kind(child);
        }
        Ok(())
    }

    /// A node where the lowering expects none of its kind. tree-sitter's grammar is looser than
    /// Python's, and no valid file of the standard library reaches here, so this is invalid input.
    fn unexpected<T>(&self, node: Node<'_>, context: &str) -> Result<T> {
        if node.is_error() || node.is_missing() {
            return Err(cst::syntax_error(node, self.src));
        }
        let text = self.text(node);
        let found = match text.chars().count() {
            0 => format!("{} in {context}", kind(node).replace('_', " ")),
            n if n > 40 => format!(
                "'{}…' in {context}",
                text.chars().take(40).collect::<String>()
            ),
            _ => format!("'{text}' in {context}"),
        };
        self.error(ParseErrorKind::InvalidSyntax { found }, node)
    }

    fn required<'t>(&self, node: Node<'t>, field: Field) -> Result<Node<'t>> {
        match cst::field(node, field) {
            Some(child) => Ok(child),
            None => self.error(
                ParseErrorKind::Internal(format!(
                    "'{}' node without '{}'",
                    kind(node),
                    field.name()
                )),
                node,
            ),
        }
    }
}

/// ERROR nodes (`ancestors` the nodes above, outermost first) that lowering turns into valid
/// syntax anyway.
pub(crate) fn is_recoverable_error(node: Node<'_>, ancestors: &[Node<'_>], src: &str) -> bool {
    stmt::is_future_star_import(node, src) || strings::is_inside_colon_equals_spec(node, ancestors)
}
