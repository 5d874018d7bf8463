// tree-sitter's tree, flattened into an array of its visible nodes, each node's children
// contiguous. The public API reaches a node's children through a cursor or `ts_node_child`,
// which recompute positions and step over hidden nodes on every call (a cursor visit alone
// costs 18% of the parse); this walks the subtrees once. It reads tree-sitter's private
// structures, so the workspace pins tree-sitter's exact version, and `tests/flat.rs` checks
// every field against the public API on the standard library.

#include "tree_sitter/api.h"
#include "./language.h"
#include "./subtree.h"
#include "./tree.h"

// Keep in step with `FlatNode` in src/flat.rs.
typedef struct {
  const Subtree *subtree;  // private to this file: the subtree expanded next
  uint32_t start_byte, end_byte;
  uint32_t start_row, end_row;
  uint32_t parent;
  uint32_t first_child;
  uint32_t child_count;
  uint16_t kind;
  uint16_t field;
  uint8_t flags;
} SimpyFlatNode;

enum { NAMED = 1, MISSING = 2, HAS_ERROR = 4, EXTRA = 8 };

typedef struct {
  const TSLanguage *language;
  SimpyFlatNode *out;
  uint32_t capacity;
  uint32_t count;
} Flattener;

static inline void push(
  Flattener *self, const Subtree *subtree, Length start, TSSymbol alias,
  uint16_t field, uint32_t parent
) {
  uint32_t at = self->count++;
  if (at >= self->capacity) return;  // counted: the caller grows the array and asks again
  // What the `ts_subtree_*` accessors read, with one test of where the subtree keeps it.
  Subtree tree = *subtree;
  TSSymbol symbol;
  bool named, missing, extra, has_error;
  Length end;
  if (tree.data.is_inline) {
    symbol = tree.data.symbol;
    named = tree.data.named;
    missing = tree.data.is_missing;
    extra = tree.data.extra;
    has_error = missing;
    end = (Length) {start.bytes + tree.data.size_bytes, {start.extent.row, 0}};
  } else {
    const SubtreeHeapData *data = tree.ptr;
    symbol = data->symbol;
    named = data->named;
    missing = data->is_missing;
    extra = data->extra;
    has_error = missing || data->error_cost > 0;
    end = length_add(start, data->size);
  }
  if (alias) {
    symbol = alias;
    named = ts_language_symbol_metadata(self->language, alias).named;
  }
  self->out[at] = (SimpyFlatNode) {
    .subtree = subtree,
    .start_byte = start.bytes,
    .end_byte = end.bytes,
    .start_row = start.extent.row,
    .end_row = end.extent.row,
    .parent = parent,
    .first_child = 0,
    .child_count = 0,
    .kind = symbol == ts_builtin_sym_error ? symbol : self->language->public_symbol_map[symbol],
    .field = field,
    .flags = (named ? NAMED : 0) | (missing ? MISSING : 0) | (has_error ? HAS_ERROR : 0) |
             (extra ? EXTRA : 0),
  };
}

// Pushes the visible children of `tree` (which starts at `start`), stepping into hidden ones
// as a cursor does; `inherited` is the field of the hidden node being stepped through, which
// its children take when their own production names none (`ts_tree_cursor_current_field_id`).
static void push_children(
  Flattener *self, Subtree tree, Length start, uint16_t inherited, uint32_t parent
) {
  uint32_t count = ts_subtree_child_count(tree);
  if (count == 0) return;
  uint16_t production = tree.ptr->production_id;
  const TSSymbol *aliases = ts_language_alias_sequence(self->language, production);
  const TSFieldMapEntry *fields, *fields_end;
  ts_language_field_map(self->language, production, &fields, &fields_end);
  const Subtree *children = ts_subtree_children(tree);
  Length position = start;
  uint32_t structural = 0;
  for (uint32_t i = 0; i < count; i++) {
    const Subtree *child = &children[i];
    if (i > 0) position = length_add(position, ts_subtree_padding(*child));
    bool visible = ts_subtree_visible(*child);
    TSSymbol alias = 0;
    uint16_t field = 0;
    if (!ts_subtree_extra(*child)) {
      if (aliases && aliases[structural]) {
        alias = aliases[structural];
        visible = true;
      }
      field = inherited;
      for (const TSFieldMapEntry *map = fields; map < fields_end; map++) {
        if (!map->inherited && map->child_index == structural) {
          field = map->field_id;
          break;
        }
      }
      structural++;
    }
    if (visible) {
      push(self, child, position, alias, field, parent);
    } else {
      push_children(self, *child, position, field, parent);
    }
    position = length_add(position, ts_subtree_size(*child));
  }
}

// Writes up to `capacity` nodes of `tree` to `out`, the root first, in breadth-first order;
// returns how many there are (more than `capacity`: call again with room for them all).
uint32_t simpy_flatten(const TSTree *tree, SimpyFlatNode *out, uint32_t capacity) {
  Flattener self = {tree->language, out, capacity, 0};
  push(&self, &tree->root, ts_subtree_padding(tree->root), 0, 0, UINT32_MAX);
  for (uint32_t at = 0; at < self.count && at < self.capacity; at++) {
    SimpyFlatNode *node = &self.out[at];
    uint32_t first = self.count;
    if (ts_subtree_child_count(*node->subtree) == 0) {
      node->first_child = first;  // a leaf, the most common node
      continue;
    }
    Length start = {node->start_byte, {node->start_row, 0}};
    push_children(&self, *node->subtree, start, 0, at);
    if (self.count > self.capacity) break;
    node = &self.out[at];
    node->first_child = first;
    node->child_count = self.count - first;
  }
  return self.count;
}
