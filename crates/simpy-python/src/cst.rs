//! Small helpers over tree-sitter's concrete syntax tree, and the one pass that collects
//! comments and finds the first ERROR or MISSING node.

use crate::error::{ParseError, ParseErrorKind};
use crate::flat::{FlatTree, Node};
use simpy_ast::{Comment, Comments, TextRange};
use smallvec::SmallVec;
use std::ops::Range;
use std::sync::LazyLock;

pub(crate) fn range(node: Node<'_>) -> TextRange {
    TextRange::new(node.start_byte() as u32, node.end_byte() as u32)
}

/// tree-sitter-python's grammar, which the parser reads and the tables below are built from.
pub(crate) fn language() -> &'static tree_sitter::Language {
    static LANGUAGE: LazyLock<tree_sitter::Language> = LazyLock::new(|| {
        let language: tree_sitter::Language = tree_sitter_python::LANGUAGE.into();
        // The flat tree (`csrc/flatten.c`) keeps a node's field id in a byte.
        assert!(language.field_count() <= usize::from(u8::MAX));
        language
    });
    &LANGUAGE
}

/// The grammar's name for `node`'s kind, from a table built once (`tree_sitter::Node::kind`
/// measures and checks the name's C string on every call).
pub(crate) fn kind<'t>(node: Node<'t>) -> &'static str {
    static NAMES: LazyLock<Vec<Box<str>>> = LazyLock::new(|| {
        let language = language();
        (0..language.node_kind_count() as u16)
            .map(|id| language.node_kind_for_id(id).unwrap_or("").into())
            .collect()
    });
    match NAMES.get(usize::from(node.kind_id())) {
        Some(name) => name,
        // tree-sitter's `ERROR` is a symbol past the table's end.
        None => "ERROR",
    }
}

/// Nodes that may appear anywhere and carry no syntax.
pub(crate) fn is_trivia(node: Node<'_>) -> bool {
    // Asked of every child listed: kind ids, not names.
    static TRIVIA: LazyLock<[u16; 2]> = LazyLock::new(|| {
        let language = language();
        ["comment", "line_continuation"].map(|name| {
            let id = language.id_for_node_kind(name, true);
            assert_ne!(id, 0, "tree-sitter-python has no {name}");
            id
        })
    });
    TRIVIA.contains(&node.kind_id())
}

/// A node's children, as the lowering lists them: most nodes have few, kept on the stack.
pub(crate) type Children<'t> = SmallVec<[Node<'t>; 8]>;

/// All children, named and anonymous, without comments and line continuations.
pub(crate) fn children<'t>(node: Node<'t>) -> Children<'t> {
    collect_children(node, false)
}

/// Named children only, without comments and line continuations.
pub(crate) fn named_children<'t>(node: Node<'t>) -> Children<'t> {
    collect_children(node, true)
}

fn collect_children(node: Node<'_>, named_only: bool) -> Children<'_> {
    node.children()
        .filter(|c| (!named_only || c.is_named()) && !is_trivia(*c))
        .collect()
}

/// Defines [`Field`], each with the grammar's name for it.
macro_rules! fields {
    ($($variant:ident = $name:literal,)*) => {
        /// A field of tree-sitter-python's grammar that the lowering reads.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub(crate) enum Field {
            $($variant,)*
        }

        impl Field {
            const ALL: &[Field] = &[$(Field::$variant,)*];

            /// The grammar's name.
            pub(crate) fn name(self) -> &'static str {
                match self {
                    $(Field::$variant => $name,)*
                }
            }
        }
    };
}

fields! {
    Alias = "alias",
    Alternative = "alternative",
    Argument = "argument",
    Arguments = "arguments",
    Attribute = "attribute",
    Body = "body",
    Cause = "cause",
    Condition = "condition",
    Consequence = "consequence",
    Definition = "definition",
    Expression = "expression",
    FormatSpecifier = "format_specifier",
    Function = "function",
    Guard = "guard",
    Key = "key",
    Left = "left",
    ModuleName = "module_name",
    Name = "name",
    Object = "object",
    Operator = "operator",
    Parameters = "parameters",
    ReturnType = "return_type",
    Right = "right",
    Subject = "subject",
    Subscript = "subscript",
    Superclasses = "superclasses",
    Type = "type",
    TypeConversion = "type_conversion",
    TypeParameters = "type_parameters",
    Value = "value",
}

impl Field {
    /// tree-sitter's id for the field, from a table built once (tree-sitter looks a name up
    /// by comparing it with every field's).
    fn id(self) -> u16 {
        static IDS: LazyLock<Vec<u16>> = LazyLock::new(|| {
            let language = language();
            Field::ALL
                .iter()
                .map(|f| {
                    language
                        .field_id_for_name(f.name())
                        .expect("the grammar has each field Field names")
                        .get()
                })
                .collect()
        });
        IDS[self as usize]
    }
}

/// The child in field `field`.
pub(crate) fn field(node: Node<'_>, field: Field) -> Option<Node<'_>> {
    let id = field.id();
    node.children().find(|c| c.field_id() == id)
}

/// Every child in field `field`.
pub(crate) fn field_children(node: Node<'_>, field: Field) -> Children<'_> {
    let id = field.id();
    node.children().filter(|c| c.field_id() == id).collect()
}

/// Whether `node` has an anonymous child token `token` (such as `,` or `*`). Anonymous
/// children are never trivia, so none need to be set aside (nor listed).
pub(crate) fn has_token(node: Node<'_>, token: &str) -> bool {
    node.children().any(|c| !c.is_named() && kind(c) == token)
}

/// Whether `node`'s first token is `token` (`async` of `async for`): one child read, where
/// `has_token` reads them all when it is absent.
pub(crate) fn starts_with_token(node: Node<'_>, token: &str) -> bool {
    node.children()
        .find(|c| !is_trivia(*c))
        .is_some_and(|c| !c.is_named() && kind(c) == token)
}

/// Every comment of the bytes `within`, in order. Comments are found from the text: each `#`
/// is looked up in the tree, which is far cheaper than walking every node, since most lines
/// have no `#`; or in `blanked`, the comments the tree was parsed without
/// (`repair::join_bracketed_lines`).
pub(crate) fn comments(
    tree: &FlatTree,
    src: &str,
    within: Range<usize>,
    blanked: &[Range<usize>],
) -> Comments {
    let root = tree.root();
    let mut items = Vec::new();
    let mut covered_to = 0;
    let hashes = src[within.clone()].match_indices('#');
    for at in hashes.map(|(at, _)| within.start + at) {
        if at < covered_to {
            continue; // a `#` inside a comment
        }
        // (`blanked` is in order.)
        let span = match blanked.binary_search_by_key(&at, |c| c.start) {
            Ok(found) => blanked[found].clone(),
            Err(_) => match root.descendant_for_byte_range(at, at + 1) {
                Some(node) if kind(node) == "comment" && node.start_byte() == at => {
                    node.byte_range()
                }
                _ => continue,
            },
        };
        covered_to = span.end;
        let line_start = src[..at].rfind('\n').map_or(0, |i| i + 1);
        items.push(Comment {
            range: TextRange::new(span.start as u32, span.end as u32),
            text: src[span].trim_end().into(),
            own_line: src[line_start..at].trim().is_empty(),
            line_start: line_start as u32,
        });
    }
    Comments { items }
}

/// The first ERROR or MISSING node that lowering cannot recover from, found by walking the
/// tree without recursion; tree-sitter says in O(1) whether there is one at all.
pub(crate) fn first_error<'t>(
    tree: &'t FlatTree,
    recoverable: impl Fn(Node<'t>, &[Node<'t>]) -> bool,
) -> Option<Node<'t>> {
    let root = tree.root();
    if !root.has_error() {
        return None;
    }
    // The nodes above the one looked at, outermost first, and the index of each one's child
    // to look at next.
    let mut ancestors: Vec<Node<'t>> = Vec::new();
    let mut next_child: Vec<usize> = Vec::new();
    let mut node = root;
    loop {
        if (node.is_missing() || node.is_error()) && !recoverable(node, &ancestors) {
            return Some(node);
        }
        // Only subtrees that hold an error are worth entering.
        if node.has_error() && node.child_count() > 0 {
            ancestors.push(node);
            next_child.push(0);
        }
        loop {
            let (Some(parent), Some(i)) = (ancestors.last(), next_child.last_mut()) else {
                return None;
            };
            if let Some(child) = parent.child(*i) {
                *i += 1;
                node = child;
                break;
            }
            ancestors.pop();
            next_child.pop();
        }
    }
}

/// The error to report for an ERROR or MISSING node. tree-sitter says only where it gave up,
/// so this looks at the tokens it skipped for the likeliest reason, as CPython would name it.
pub(crate) fn syntax_error(node: Node<'_>, src: &str) -> ParseError {
    // (`Node::parent` walks down from the root: callers that hold the tree pass its root.)
    let mut root = node;
    while let Some(parent) = root.parent() {
        root = parent;
    }
    syntax_error_in(node, root, src)
}

/// [`syntax_error`] for a node of the tree whose root is `root`.
pub(crate) fn syntax_error_in<'t>(node: Node<'t>, root: Node<'t>, src: &str) -> ParseError {
    let mut found = syntax_error_here(node, src);
    // tree-sitter often gives up a line late (`if x == 1` without its colon is reported at the
    // body) or early (at a string it has not closed yet); two slips are common enough to look
    // for directly, and CPython names them.
    let tokens = leaves(root);
    if node.is_missing()
        && matches!(
            found.kind,
            ParseErrorKind::Expected(_) | ParseErrorKind::EmptyBlock
        )
    {
        // A missing token sits where the previous one ended; CPython points at the token it
        // could not take, the next one.
        if let Some(next) = tokens.iter().find(|t| {
            t.start_byte() >= node.end_byte() && !t.is_missing() && t.end_byte() > t.start_byte()
        }) {
            if kind(node) == "identifier" {
                found.kind = ParseErrorKind::InvalidSyntax {
                    found: quoted(&src[next.byte_range()]),
                };
            }
            found.range = range(*next);
        }
    }
    match common_slip(&tokens, src) {
        Some(slip) if slip.range.start <= found.range.end.max(line_end(src, found.range.start)) => {
            slip
        }
        _ => found,
    }
}

/// The byte where the line holding `at` ends.
pub(crate) fn line_end(src: &str, at: u32) -> u32 {
    let at = (at as usize).min(src.len());
    src[at..].find('\n').map_or(src.len(), |i| at + i) as u32
}

/// The first missing `:` of a compound statement's header or missing `,` between two
/// expressions inside brackets, from the tokens of the whole tree.
fn common_slip(tokens: &[Node<'_>], src: &str) -> Option<ParseError> {
    let text = |n: &Node<'_>| &src[n.byte_range()];
    // Open brackets; a header's colon must be outside all of them.
    let mut depth = 0usize;
    let mut line_first: Option<usize> = None;
    let mut has_colon = false;
    let mut previous: Option<Node<'_>> = None;
    for (i, token) in tokens.iter().enumerate() {
        let new_line = depth == 0
            && previous.is_some_and(|p| {
                token.start_row() > p.end_row()
                    && !src[p.end_byte()..token.start_byte()].contains('\\')
            });
        if new_line {
            if let (Some(first), Some(last)) = (line_first, previous) {
                if starts_header(&tokens[first..i], src) && !has_colon {
                    return Some(ParseError::new(
                        ParseErrorKind::Expected("':'".into()),
                        TextRange::new(last.end_byte() as u32, last.end_byte() as u32),
                    ));
                }
            }
            line_first = None;
            has_colon = false;
        }
        if line_first.is_none() || text(token) == ";" {
            line_first = Some(i + usize::from(text(token) == ";"));
            has_colon = false;
        }
        // Kinds, not texts: a string's content may be `(`.
        match kind(*token) {
            "(" | "[" | "{" => depth += 1,
            ")" | "]" | "}" => depth = depth.saturating_sub(1),
            ":" if depth == 0 => has_colon = true,
            _ => {}
        }
        if let Some(p) = previous {
            let concatenation = kind(p) == "string_end" && kind(*token) == "string_start";
            if depth > 0 && ends_operand(&p, src) && starts_operand(token, src) && !concatenation {
                return Some(ParseError::new(ParseErrorKind::ForgotComma, range(p)));
            }
        }
        previous = Some(*token);
    }
    None
}

/// A logical line that starts a compound statement (and so needs a `:` at bracket depth 0).
fn starts_header(line: &[Node<'_>], src: &str) -> bool {
    let words: Vec<&str> = line.iter().take(2).map(|t| &src[t.byte_range()]).collect();
    match words.as_slice() {
        ["async", second, ..] => matches!(*second, "def" | "for" | "with"),
        [first, ..] => matches!(
            *first,
            "if" | "elif"
                | "else"
                | "while"
                | "for"
                | "def"
                | "class"
                | "with"
                | "try"
                | "except"
                | "finally"
        ),
        [] => false,
    }
}

/// A name (not a keyword), a number or a constant: a whole operand in one token.
fn is_atom(token: &Node<'_>, src: &str) -> bool {
    match kind(*token) {
        "identifier" => !crate::KEYWORDS.contains(&&src[token.byte_range()]),
        "integer" | "float" | "true" | "false" | "none" | "True" | "False" | "None" => true,
        _ => false,
    }
}

/// A token that ends an operand: an atom, a closed string or bracket.
fn ends_operand(token: &Node<'_>, src: &str) -> bool {
    is_atom(token, src) || matches!(kind(*token), "string_end" | ")" | "]" | "}")
}

/// A token that can only start a new operand after another: an atom or a string (not a
/// bracket, which would be a call or a subscript; a string after a string is concatenation,
/// which the caller rules out).
fn starts_operand(token: &Node<'_>, src: &str) -> bool {
    is_atom(token, src) || kind(*token) == "string_start"
}

/// What tree-sitter's own error node says, read as CPython would name it.
fn syntax_error_here(node: Node<'_>, src: &str) -> ParseError {
    if node.is_missing() {
        return missing_error(node);
    }
    let leaves = leaves(node);
    let text = |n: Node<'_>| &src[n.byte_range()];
    // A character no token can start with (`€ = 2`, a control character) is an ERROR leaf of
    // its own.
    for leaf in leaves.iter().filter(|l| l.is_error()) {
        if let Some(c) = text(*leaf).chars().find(|&c| {
            (!c.is_ascii() && !c.is_alphanumeric())
                || (c.is_ascii_control() && !c.is_ascii_whitespace())
        }) {
            return ParseError::new(ParseErrorKind::InvalidCharacter(c), range(*leaf));
        }
    }
    // Brackets and strings are judged by `tokenizer::scan`, over the whole text.
    // `f() = 1`: an expression, then `=`, which tree-sitter cannot take as an assignment.
    let named: Vec<Node<'_>> = children(node)
        .into_iter()
        .filter(|c| c.is_named())
        .collect();
    if let (Some(last), Some(target)) = (children(node).last(), named.first()) {
        if kind(*last) == "="
            || kind(*last).ends_with("=") && kind(*last).len() > 1 && !last.is_named()
        {
            if let Some(what) = describe_target(kind(*target)) {
                let kind = if kind(*last) == "=" {
                    ParseErrorKind::InvalidTarget {
                        what,
                        action: crate::error::TargetAction::Assign,
                    }
                } else {
                    ParseErrorKind::IllegalAugTarget(what)
                };
                return ParseError::new(kind, range(*target));
            }
        }
    }
    let statement_start = node
        .parent()
        .is_some_and(|p| matches!(kind(p), "module" | "block"));
    let has = |token: &str| leaves.iter().any(|l| !l.is_named() && kind(*l) == token);
    // A conditional expression's `if` follows an operand on its line; a statement's does not.
    let conditional_if = leaves.windows(2).any(|w| {
        kind(w[1]) == "if"
            && !w[1].is_named()
            && w[0].end_row() == w[1].start_row()
            && ends_operand(&w[0], src)
    });
    if !statement_start && conditional_if && !has("else") {
        return ParseError::new(ParseErrorKind::MissingElse, range(node));
    }
    // A statement that starts with a keyword that cannot start one (`else:` alone).
    let first = leaves.first().copied().unwrap_or(node);
    let continues_a_statement = matches!(kind(first), "else" | "elif" | "except" | "finally");
    let leaf = if statement_start && !first.is_named() && continues_a_statement {
        first
    } else {
        leaves
            .iter()
            .rev()
            .find(|l| !l.byte_range().is_empty())
            .copied()
            .unwrap_or(node)
    };
    ParseError::new(
        ParseErrorKind::InvalidSyntax {
            found: quoted(text(leaf)),
        },
        range(leaf),
    )
}

fn missing_error(node: Node<'_>) -> ParseError {
    let in_fstring = node.parent().is_some_and(|p| kind(p) == "interpolation");
    let kind = match kind(node) {
        "identifier" if in_fstring => ParseErrorKind::EmptyFStringExpression,
        "_indent" | "block" => ParseErrorKind::EmptyBlock,
        k if k.len() <= 3 || !node.is_named() => ParseErrorKind::Expected(format!("'{k}'")),
        k => ParseErrorKind::Expected(k.replace('_', " ")),
    };
    ParseError::new(kind, range(node))
}

/// How CPython names an expression that cannot be assigned to, by tree-sitter node kind.
fn describe_target(kind: &str) -> Option<&'static str> {
    Some(match kind {
        "call" => "function call",
        "binary_operator" | "unary_operator" | "boolean_operator" | "not_operator" => "expression",
        "comparison_operator" => "comparison",
        "conditional_expression" => "conditional expression",
        "lambda" => "lambda",
        "integer" | "float" | "string" | "concatenated_string" => "literal",
        "none" => "None",
        "true" => "True",
        "false" => "False",
        "ellipsis" => "ellipsis",
        "dictionary" => "dict literal",
        "set" => "set display",
        "list_comprehension" => "list comprehension",
        "set_comprehension" => "set comprehension",
        "dictionary_comprehension" => "dict comprehension",
        "generator_expression" => "generator expression",
        "await" => "await expression",
        "yield" => "yield expression",
        _ => return None,
    })
}

fn quoted(text: &str) -> String {
    match text.chars().count() {
        0 => String::new(),
        n if n > 40 => format!("'{}…'", text.chars().take(40).collect::<String>()),
        _ => format!("'{text}'"),
    }
}

/// The leaf tokens under `node`, in order, without comments.
fn leaves(node: Node<'_>) -> Vec<Node<'_>> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(current) = stack.pop() {
        if current.child_count() == 0 {
            if !is_trivia(current) {
                out.push(current);
            }
        } else {
            stack.extend(current.children().rev());
        }
    }
    out
}
