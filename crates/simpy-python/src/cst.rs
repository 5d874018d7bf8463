//! Small helpers over tree-sitter's concrete syntax tree, and the one pass that collects
//! comments and finds the first ERROR or MISSING node.

use crate::error::{ParseError, ParseErrorKind};
use simpy_ast::{Comment, Comments, TextRange};
use tree_sitter::{Node, Tree};

pub(crate) fn range(node: Node<'_>) -> TextRange {
    TextRange::new(node.start_byte() as u32, node.end_byte() as u32)
}

/// Nodes that may appear anywhere and carry no syntax.
fn is_trivia(node: Node<'_>) -> bool {
    matches!(node.kind(), "comment" | "line_continuation")
}

/// All children, named and anonymous, without comments and line continuations.
pub(crate) fn children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.children(&mut cursor).filter(|c| !is_trivia(*c)).collect()
}

/// Named children only, without comments and line continuations.
pub(crate) fn named_children<'t>(node: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.named_children(&mut cursor).filter(|c| !is_trivia(*c)).collect()
}

/// Every child that has the field name `field`.
pub(crate) fn field_children<'t>(node: Node<'t>, field: &str) -> Vec<Node<'t>> {
    let mut cursor = node.walk();
    node.children_by_field_name(field, &mut cursor).collect()
}

/// Whether `node` has an anonymous child token `token` (such as `async` or `,`).
pub(crate) fn has_token(node: Node<'_>, token: &str) -> bool {
    let mut cursor = node.walk();
    let found = node.children(&mut cursor).any(|c| !c.is_named() && c.kind() == token);
    found
}

/// The first and last leaf tokens under `node`, if it has any.
fn first_leaf(node: Node<'_>) -> Node<'_> {
    let mut n = node;
    while let Some(c) = n.child(0) {
        n = c;
    }
    n
}

fn last_leaf(node: Node<'_>) -> Node<'_> {
    let mut n = node;
    while n.child_count() > 0 {
        match n.child(n.child_count() as u32 - 1) {
            Some(c) => n = c,
            None => break,
        }
    }
    n
}

/// What the comment scan found.
pub(crate) struct Scan<'t> {
    pub comments: Comments,
    /// The first ERROR or MISSING node that lowering cannot recover from.
    pub error: Option<Node<'t>>,
    /// Offsets of `type` soft keywords that tree-sitter took for a type alias statement
    /// although no alias name follows (`type(x).attr = 1`).
    pub misread_type_keywords: Vec<usize>,
}

/// Walks the whole tree once, without recursion: collects comments and the first error node.
/// `recoverable` says which ERROR nodes the lowering knows how to take anyway.
pub(crate) fn scan<'t>(tree: &'t Tree, src: &str, recoverable: impl Fn(Node<'t>) -> bool) -> Scan<'t> {
    let mut comments = Vec::new();
    let mut error = None;
    let mut misread_type_keywords = Vec::new();
    let check_errors = tree.root_node().has_error();
    let mut cursor = tree.walk();
    'walk: loop {
        let node = cursor.node();
        if node.kind() == "type_alias_statement" && !has_alias_name(node) {
            misread_type_keywords.push(node.start_byte());
        }
        if node.kind() == "comment" {
            comments.push(Comment {
                range: range(node),
                text: src[node.byte_range()].trim_end().into(),
            });
        } else if check_errors && error.is_none() && (node.is_missing() || node.is_error()) {
            if node.is_missing() || !recoverable(node) {
                error = Some(node);
            }
        } else if error.is_none() && node.kind() == "identifier" && matches!(&src[node.byte_range()], "async" | "await") {
            // tree-sitter lets these keywords be names, as Python 3.6 did.
            error = Some(node);
        }
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                break 'walk;
            }
        }
    }
    Scan {
        comments: Comments { items: comments },
        error,
        misread_type_keywords,
    }
}

/// Whether a `type_alias_statement` names an alias: `type X = …` or `type X[T] = …`.
fn has_alias_name(node: Node<'_>) -> bool {
    let Some(left) = node.child_by_field_name("left") else {
        return false;
    };
    match left.named_child(0) {
        Some(name) if name.kind() == "identifier" => true,
        Some(generic) if generic.kind() == "generic_type" => {
            generic.named_child(0).is_some_and(|n| n.kind() == "identifier")
        }
        _ => false,
    }
}

/// The error to report for an ERROR or MISSING node.
pub(crate) fn syntax_error(node: Node<'_>, src: &str) -> ParseError {
    if node.is_missing() {
        let what = match node.kind() {
            k if k.len() <= 3 || !node.is_named() => format!("'{k}'"),
            "_indent" | "block" => return ParseError::new(ParseErrorKind::EmptyBlock, range(node)),
            k => k.replace('_', " "),
        };
        return ParseError::new(ParseErrorKind::Expected(what), range(node));
    }
    // The token tree-sitter could not place is usually the last one it swallowed.
    let leaf = if node.child_count() == 0 { node } else { last_leaf(node) };
    let leaf = if leaf.byte_range().is_empty() { first_leaf(node) } else { leaf };
    let text = &src[leaf.byte_range()];
    let found = match text.chars().next() {
        None => String::new(),
        Some(_) if text.len() > 40 => format!("'{}…'", text.chars().take(40).collect::<String>()),
        Some(_) => format!("'{text}'"),
    };
    ParseError::new(ParseErrorKind::InvalidSyntax { found }, range(leaf))
}
