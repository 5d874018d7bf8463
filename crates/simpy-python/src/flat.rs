//! tree-sitter's tree as an array of its visible nodes, read with O(1) steps.
//!
//! Walking tree-sitter's own node API costs more than the lowering itself: a cursor visit of
//! each node adds 18% to the parse, `Node::child(i)` steps over hidden nodes from the first
//! child each call, `child_by_field_id` scans the field map. `csrc/flatten.c` walks the tree's
//! subtrees once and writes each visible node with its range, rows, kind, field and flags, a
//! node's children next to each other; [`Node`] offers the reads the lowering makes.

use std::ops::Range;
use std::sync::LazyLock;
use tree_sitter::Tree;

/// One visible node, as `csrc/flatten.c` writes it (`SimpyFlatNode` there).
#[repr(C)]
#[derive(Clone, Copy, Debug)]
struct FlatNode {
    start_byte: u32,
    end_byte: u32,
    start_row: u32,
    end_row: u32,
    parent: u32,
    first_child: u32,
    child_count: u32,
    kind: u16,
    field: u8,
    flags: u8,
}

/// What a production says of one of its children (`SimpyChildRule` there).
#[repr(C)]
#[derive(Clone, Copy, Default)]
struct ChildRule {
    alias: u16,
    field: u8,
    unused: u8,
}

/// The language's rules, a row of `width` per production (`SimpyChildRules` there).
#[repr(C)]
#[derive(Clone, Copy)]
struct ChildRules {
    rules: *const ChildRule,
    width: u32,
}

/// tree-sitter-python's rules, made once: they are read for every child of every parse.
struct RulesTable {
    rules: Vec<ChildRule>,
    width: u32,
}

static RULES: LazyLock<RulesTable> = LazyLock::new(|| {
    #[allow(unsafe_code)]
    // SAFETY: `raw` is tree-sitter-python's language, static data that lives for the whole
    // process, as `cst::language` makes it; the table has the room `simpy_child_rules` writes,
    // `productions` rows of `width`, zeroed.
    unsafe {
        let raw = tree_sitter_python::LANGUAGE.into_raw()().cast();
        let productions = ffi::simpy_production_count(raw) as usize;
        let width = ffi::simpy_child_rules_width(raw);
        let mut rules = vec![ChildRule::default(); productions * width as usize];
        ffi::simpy_child_rules(raw, rules.as_mut_ptr(), width);
        RulesTable { rules, width }
    }
});

/// A node the C walk has still to expand (`SimpyPending` there); its entries are scratch.
#[repr(C)]
struct Pending {
    subtree: usize,
    node: u32,
}

const NAMED: u8 = 1;
const MISSING: u8 = 2;
const HAS_ERROR: u8 = 4;
#[cfg(test)]
const EXTRA: u8 = 8;
/// tree-sitter's `ts_builtin_sym_error`.
const ERROR_KIND: u16 = u16::MAX;

const NO_PARENT: u32 = u32::MAX;

#[allow(unsafe_code)]
mod ffi {
    unsafe extern "C" {
        pub(super) fn simpy_child_rules_width(language: *const tree_sitter::ffi::TSLanguage)
            -> u32;
        pub(super) fn simpy_child_rules(
            language: *const tree_sitter::ffi::TSLanguage,
            out: *mut super::ChildRule,
            width: u32,
        );
        pub(super) fn simpy_production_count(language: *const tree_sitter::ffi::TSLanguage) -> u32;
        pub(super) fn simpy_flatten(
            tree: *const tree_sitter::ffi::TSTree,
            rules: super::ChildRules,
            out: *mut super::FlatNode,
            capacity: u32,
            pending: *mut super::Pending,
        ) -> u32;
    }
}

/// A tree-sitter tree's visible nodes; the root is node 0.
pub(crate) struct FlatTree {
    nodes: Vec<FlatNode>,
}

impl FlatTree {
    pub(crate) fn new(tree: &Tree) -> Self {
        // A guess that is right for trees without aliases; the walk says when it was short.
        let mut capacity = tree.root_node().descendant_count() + 1;
        loop {
            let mut nodes: Vec<FlatNode> = Vec::with_capacity(capacity);
            let mut pending: Vec<Pending> = Vec::with_capacity(capacity);
            let room = u32::try_from(capacity).expect("fewer nodes than bytes, and bytes are u32");
            #[allow(unsafe_code)]
            // SAFETY: `tree` is alive for the call and tree-sitter-python's (the only language
            // this crate parses), whose rules `RULES` holds; `simpy_flatten` writes at most
            // `room` nodes to the array and at most `room` entries to `pending`, which have room
            // for them, and returns how many nodes it counted.
            let needed = unsafe {
                let tree = tree.root_node().into_raw().tree;
                let rules = ChildRules {
                    rules: RULES.rules.as_ptr(),
                    width: RULES.width,
                };
                let count =
                    ffi::simpy_flatten(tree, rules, nodes.as_mut_ptr(), room, pending.as_mut_ptr());
                if count <= room {
                    nodes.set_len(count as usize);
                }
                count as usize
            };
            if needed <= capacity {
                return FlatTree { nodes };
            }
            capacity = needed.max(capacity * 2);
        }
    }

    pub(crate) fn root(&self) -> Node<'_> {
        Node {
            tree: &self.nodes,
            data: &self.nodes[0],
        }
    }

    /// Every node's reads, for comparing two trees.
    #[cfg(test)]
    pub(crate) fn reads(&self) -> Vec<impl PartialEq + std::fmt::Debug> {
        let reads = |n: &FlatNode| {
            let (bytes, rows) = ((n.start_byte, n.end_byte), (n.start_row, n.end_row));
            (
                n.kind,
                bytes,
                rows,
                n.field,
                n.flags,
                n.parent,
                n.first_child,
                n.child_count,
            )
        };
        self.nodes.iter().map(reads).collect()
    }

    /// How many visible nodes the tree has.
    pub(crate) fn len(&self) -> usize {
        self.nodes.len()
    }
}

/// A visible node of a [`FlatTree`]: the reads of `tree_sitter::Node` that the front end makes,
/// named as there, each a field read (the node's own, without an index checked).
#[derive(Clone, Copy)]
pub(crate) struct Node<'t> {
    tree: &'t [FlatNode],
    data: &'t FlatNode,
}

impl PartialEq for Node<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.data, other.data)
    }
}

impl Eq for Node<'_> {}

impl std::fmt::Debug for Node<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{{Node {} {:?}}}", self.kind_id(), self.byte_range())
    }
}

impl<'t> Node<'t> {
    fn at(&self, index: u32) -> Node<'t> {
        Node {
            tree: self.tree,
            data: &self.tree[index as usize],
        }
    }

    /// The node's place in its tree, unique there.
    pub(crate) fn id(&self) -> usize {
        (self.data as *const FlatNode as usize - self.tree.as_ptr() as usize)
            / size_of::<FlatNode>()
    }

    pub(crate) fn kind_id(&self) -> u16 {
        self.data.kind
    }

    pub(crate) fn start_byte(&self) -> usize {
        self.data.start_byte as usize
    }

    pub(crate) fn end_byte(&self) -> usize {
        self.data.end_byte as usize
    }

    pub(crate) fn byte_range(&self) -> Range<usize> {
        self.start_byte()..self.end_byte()
    }

    /// The rows (counted from 0) the node starts and ends on.
    pub(crate) fn start_row(&self) -> usize {
        self.data.start_row as usize
    }

    pub(crate) fn end_row(&self) -> usize {
        self.data.end_row as usize
    }

    pub(crate) fn is_named(&self) -> bool {
        self.data.flags & NAMED != 0
    }

    pub(crate) fn is_missing(&self) -> bool {
        self.data.flags & MISSING != 0
    }

    #[cfg(test)]
    pub(crate) fn is_extra(&self) -> bool {
        self.data.flags & EXTRA != 0
    }

    pub(crate) fn is_error(&self) -> bool {
        self.data.kind == ERROR_KIND
    }

    /// Whether the node is or holds an ERROR or MISSING node.
    pub(crate) fn has_error(&self) -> bool {
        self.data.flags & HAS_ERROR != 0
    }

    /// The field the node fills in its parent, 0 if none (`TreeCursor::field_id`).
    pub(crate) fn field_id(&self) -> u16 {
        self.data.field.into()
    }

    pub(crate) fn parent(&self) -> Option<Node<'t>> {
        let parent = self.data.parent;
        (parent != NO_PARENT).then(|| self.at(parent))
    }

    pub(crate) fn child_count(&self) -> usize {
        self.data.child_count as usize
    }

    pub(crate) fn child(&self, i: usize) -> Option<Node<'t>> {
        self.children_data().get(i).map(|data| Node {
            tree: self.tree,
            data,
        })
    }

    /// All children, named and anonymous, trivia included.
    pub(crate) fn children(&self) -> impl DoubleEndedIterator<Item = Node<'t>> + use<'t> {
        let tree = self.tree;
        self.children_data()
            .iter()
            .map(move |data| Node { tree, data })
    }

    fn children_data(&self) -> &'t [FlatNode] {
        let first = self.data.first_child as usize;
        &self.tree[first..first + self.data.child_count as usize]
    }

    pub(crate) fn named_child_count(&self) -> usize {
        self.children().filter(Node::is_named).count()
    }

    pub(crate) fn named_child(&self, i: usize) -> Option<Node<'t>> {
        self.children().filter(Node::is_named).nth(i)
    }

    /// The deepest node that holds the bytes `start..end`, as
    /// `tree_sitter::Node::descendant_for_byte_range` finds it.
    pub(crate) fn descendant_for_byte_range(&self, start: usize, end: usize) -> Option<Node<'t>> {
        if start > end {
            return None;
        }
        let mut node = *self;
        'descend: loop {
            // Children end in order: those that end before `end` are skipped by bisection
            // (a module's statements are many).
            let children = node.children_data();
            let from = children.partition_point(|c| (c.end_byte as usize) < end);
            for data in &children[from..] {
                let child = Node {
                    tree: self.tree,
                    data,
                };
                let child_end = child.end_byte();
                let empty = child.start_byte() == child_end;
                if if empty {
                    child_end < start
                } else {
                    child_end <= start
                } {
                    continue;
                }
                if start < child.start_byte() {
                    break;
                }
                node = child;
                continue 'descend;
            }
            return Some(node);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rayon::prelude::*;

    /// Every read of every node agrees with tree-sitter's own API (a cursor for the walk and
    /// `field_id`, `Node::child_by_field_id` for fields), on stdlib files as they are and cut
    /// short with a stray bracket, so that ERROR and MISSING nodes are compared too.
    #[test]
    fn agrees_with_tree_sitters_api() {
        let files = simpy_testkit::cpython::stdlib_files();
        let checked: usize = files
            .par_iter()
            .step_by(4)
            .filter_map(|path| std::fs::read_to_string(path).ok())
            .map(|text| {
                let cut = (0..=text.len() / 2)
                    .rev()
                    .find(|&at| text.is_char_boundary(at))
                    .unwrap_or(0);
                let broken = format!("{})\n{}", &text[..cut], &text[cut..]);
                [text, broken]
                    .iter()
                    .map(|text| {
                        let tree = crate::tree_sitter_parse(text).expect("a tree");
                        let flat = FlatTree::new(&tree);
                        let mut cursor = tree.walk();
                        compare(&mut cursor, flat.root(), None);
                        assert!(!cursor.goto_next_sibling());
                        flat.len()
                    })
                    .sum::<usize>()
            })
            .sum();
        assert!(checked > 1_000_000, "{checked} nodes");
    }

    fn compare(cursor: &mut tree_sitter::TreeCursor<'_>, flat: Node<'_>, parent: Option<Node<'_>>) {
        let node = cursor.node();
        let at = format!("{node:?}");
        assert_eq!(flat.kind_id(), node.kind_id(), "{at}");
        assert_eq!(flat.byte_range(), node.byte_range(), "{at}");
        assert_eq!(flat.start_row(), node.start_position().row, "{at}");
        assert_eq!(flat.end_row(), node.end_position().row, "{at}");
        assert_eq!(flat.is_named(), node.is_named(), "{at}");
        assert_eq!(flat.is_missing(), node.is_missing(), "{at}");
        assert_eq!(flat.is_error(), node.is_error(), "{at}");
        assert_eq!(flat.has_error(), node.has_error(), "{at}");
        assert_eq!(flat.is_extra(), node.is_extra(), "{at}");
        assert_eq!(flat.parent(), parent, "{at}");
        let field = cursor.field_id().map_or(0, |f| f.get());
        assert_eq!(flat.field_id(), field, "{at}");
        assert_eq!(flat.child_count(), node.child_count() as usize, "{at}");
        // The front end reads a field as the first child the cursor names so. Where
        // `child_by_field_id` finds a child of this node, it is that child (it may also find
        // a grandchild, inside a node aliased from a hidden one, such as a `match`
        // statement's case clauses inside its block).
        let children: Vec<_> = node.children(&mut node.walk()).map(|c| c.id()).collect();
        for id in 1..=node.language().field_count() as u16 {
            let Some(theirs) = node.child_by_field_id(id) else {
                continue;
            };
            if children.contains(&theirs.id()) {
                let ours = flat.children().find(|c| c.field_id() == id);
                assert_eq!(
                    ours.map(|c| c.byte_range()),
                    Some(theirs.byte_range()),
                    "field {id} of {at}"
                );
            }
        }
        if cursor.goto_first_child() {
            for child in flat.children() {
                compare(cursor, child, Some(flat));
                if !cursor.goto_next_sibling() {
                    break;
                }
            }
            assert!(!cursor.goto_next_sibling(), "{at}: more children than ours");
            cursor.goto_parent();
        }
    }
}
