// tree-sitter's tree, flattened into an array of its visible nodes, each node's children
// contiguous. The public API reaches a node's children through a cursor or `ts_node_child`,
// which recompute positions and step over hidden nodes on every call (a cursor visit alone
// costs 18% of the parse); this walks the subtrees once. It reads tree-sitter's private
// structures, so the workspace pins tree-sitter's exact version, and `flat.rs`'s test checks
// every node against the public API on the standard library.

#include "tree_sitter/api.h"
#include "./language.h"
#include "./subtree.h"
#include "./tree.h"

// Keep in step with `FlatNode` in src/flat.rs.
// 32 bytes, two to a cache line: the flat tree is written and read once per parse.
typedef struct {
  uint32_t start_byte, end_byte;
  uint32_t start_row, end_row;
  uint32_t parent;
  uint32_t first_child;
  uint32_t child_count;
  uint16_t kind;
  uint8_t field;  // (tree-sitter-python has fewer than 256 fields; `cst::language` checks)
  uint8_t flags;
} SimpyFlatNode;

// A node still to expand, and its subtree. Keep in step with `Pending` in src/flat.rs.
typedef struct {
  const Subtree *subtree;
  uint32_t node;
} SimpyPending;

enum { NAMED = 1, MISSING = 2, HAS_ERROR = 4, EXTRA = 8 };

// What a production says of its `index`-th structural child: the symbol it is aliased to (0:
// none) and the field it fills (0: the field of the hidden node stepped through, if any).
// Keep in step with `ChildRule` in src/flat.rs.
typedef struct {
  TSSymbol alias;
  uint8_t field;
  uint8_t unused;
} SimpyChildRule;

// The language's rules as one table, a row of `width` per production: a lookup for each child
// in place of a scan of the production's field map and aliases, whose branches the processor
// mispredicts (about half of the walk's mispredictions, by callgrind's branch simulation).
typedef struct {
  const SimpyChildRule *rules;
  uint32_t width;
} SimpyChildRules;

// Where a node starts: bytes and rows (tree-sitter's `Length` also keeps columns, which
// nothing here reads).
typedef struct {
  uint32_t bytes, row;
} Position;

// What the `ts_subtree_*` accessors read, with one test of where the subtree keeps it.
typedef struct {
  Position padding, size;
  uint32_t child_count;
  TSSymbol symbol;
  bool visible, named, extra, missing, has_error;
} Facts;

static inline Facts facts_of(Subtree tree) {
  if (tree.data.is_inline) {
    return (Facts) {
      .padding = {tree.data.padding_bytes, tree.data.padding_rows},
      .size = {tree.data.size_bytes, 0},
      .child_count = 0,
      .symbol = tree.data.symbol,
      .visible = tree.data.visible,
      .named = tree.data.named,
      .extra = tree.data.extra,
      .missing = tree.data.is_missing,
      .has_error = tree.data.is_missing,
    };
  }
  const SubtreeHeapData *data = tree.ptr;
  return (Facts) {
    .padding = {data->padding.bytes, data->padding.extent.row},
    .size = {data->size.bytes, data->size.extent.row},
    .child_count = data->child_count,
    .symbol = data->symbol,
    .visible = data->visible,
    .named = data->named,
    .extra = data->extra,
    .missing = data->is_missing,
    .has_error = data->is_missing || data->error_cost > 0,
  };
}

static inline Position advance(Position at, Position by) {
  return (Position) {at.bytes + by.bytes, at.row + by.row};
}

uint32_t simpy_production_count(const TSLanguage *language) {
  return language->production_id_count;
}

// The row width the language's rules need: its longest production's children.
uint32_t simpy_child_rules_width(const TSLanguage *language) {
  uint32_t width = language->max_alias_sequence_length;
  for (uint32_t p = 0; p < language->production_id_count; p++) {
    const TSFieldMapEntry *map, *end;
    ts_language_field_map(language, p, &map, &end);
    for (; map < end; map++) {
      if (map->child_index >= width) width = map->child_index + 1u;
    }
  }
  return width;
}

// Writes the language's rules to `out`, which has room for `production_id_count` rows of
// `width` (from `simpy_child_rules_width`), zeroed. A child takes the first field its
// production names it with that is not inherited, as `ts_tree_cursor_current_field_id` does.
void simpy_child_rules(const TSLanguage *language, SimpyChildRule *out, uint32_t width) {
  for (uint32_t p = 0; p < language->production_id_count; p++) {
    SimpyChildRule *row = &out[p * width];
    const TSSymbol *aliases = ts_language_alias_sequence(language, p);
    for (uint32_t i = 0; aliases && i < language->max_alias_sequence_length; i++) {
      row[i].alias = aliases[i];
    }
    const TSFieldMapEntry *map, *end;
    ts_language_field_map(language, p, &map, &end);
    for (; map < end; map++) {
      if (!map->inherited && row[map->child_index].field == 0) {
        row[map->child_index].field = (uint8_t) map->field_id;
      }
    }
  }
}

typedef struct {
  const TSLanguage *language;
  SimpyChildRules rules;
  SimpyFlatNode *out;
  uint32_t capacity;
  uint32_t count;
  // Nodes with children still to expand, the next on top; each node is pushed at most once.
  SimpyPending *pending;
  uint32_t depth;
} Flattener;

static inline void push(
  Flattener *self, const Subtree *subtree, const Facts *facts, Position start, TSSymbol alias,
  uint16_t field, uint32_t parent
) {
  uint32_t at = self->count++;
  if (at >= self->capacity) return;  // counted: the caller grows the array and asks again
  TSSymbol symbol = alias ? alias : facts->symbol;
  bool named = alias ? ts_language_symbol_metadata(self->language, alias).named : facts->named;
  Position end = advance(start, facts->size);
  if (facts->child_count > 0) self->pending[self->depth++] = (SimpyPending) {subtree, at};
  self->out[at] = (SimpyFlatNode) {
    .start_byte = start.bytes,
    .end_byte = end.bytes,
    .start_row = start.row,
    .end_row = end.row,
    .parent = parent,
    .first_child = self->count,  // (a leaf's: no children there)
    .child_count = 0,
    .kind = symbol == ts_builtin_sym_error ? symbol : self->language->public_symbol_map[symbol],
    .field = field,
    .flags = (named ? NAMED : 0) | (facts->missing ? MISSING : 0) |
             (facts->has_error ? HAS_ERROR : 0) | (facts->extra ? EXTRA : 0),
  };
}

// Pushes the visible children of `tree` (which has children and starts at `start`),
// stepping into hidden ones as a cursor does; `inherited` is the field of the hidden node
// being stepped through, which its children take when their own production names none
// (`ts_tree_cursor_current_field_id`).
static void push_children(
  Flattener *self, Subtree tree, Position start, uint16_t inherited, uint32_t parent
) {
  uint32_t count = tree.ptr->child_count;
  const SimpyChildRule *rules = &self->rules.rules[tree.ptr->production_id * self->rules.width];
  const Subtree *children = ts_subtree_children(tree);
  Position position = start;
  uint32_t structural = 0;
  for (uint32_t i = 0; i < count; i++) {
    const Subtree *child = &children[i];
    Facts facts = facts_of(*child);
    if (i > 0) position = advance(position, facts.padding);
    bool visible = facts.visible;
    TSSymbol alias = 0;
    uint16_t field = 0;
    if (!facts.extra) {
      SimpyChildRule none = {0};
      SimpyChildRule rule = structural < self->rules.width ? rules[structural] : none;
      alias = rule.alias;
      visible |= alias != 0;
      field = rule.field ? rule.field : inherited;
      structural++;
    }
    if (visible) {
      push(self, child, &facts, position, alias, field, parent);
    } else if (facts.child_count > 0) {
      push_children(self, *child, position, field, parent);
    }
    position = advance(position, facts.size);
  }
}

// Writes up to `capacity` nodes of `tree` to `out`, the root first; returns how many there are
// (more than `capacity`: call again with room for them all). Each node's children are written
// side by side, and the nodes are expanded depth first, so a statement's nodes lie together, as
// the lowering reads them, and the subtrees are read again soon after their parents, while they
// are still in cache. `rules` are the tree's language's (`simpy_child_rules`); `pending` has
// room for `capacity` entries.
uint32_t simpy_flatten(
  const TSTree *tree, SimpyChildRules rules, SimpyFlatNode *out, uint32_t capacity,
  SimpyPending *pending
) {
  Flattener self = {tree->language, rules, out, capacity, 0, pending, 0};
  Facts root = facts_of(tree->root);
  push(&self, &tree->root, &root, root.padding, 0, 0, UINT32_MAX);
  while (self.depth > 0) {
    SimpyPending next = self.pending[--self.depth];
    uint32_t first = self.count, below = self.depth;
    Position start = {self.out[next.node].start_byte, self.out[next.node].start_row};
    push_children(&self, *next.subtree, start, 0, next.node);
    if (self.count > self.capacity) break;
    self.out[next.node].first_child = first;
    self.out[next.node].child_count = self.count - first;
    // The children were pushed first to last: the first goes on top.
    for (uint32_t low = below, high = self.depth; low + 1 < high; low++, high--) {
      SimpyPending swap = self.pending[low];
      self.pending[low] = self.pending[high - 1];
      self.pending[high - 1] = swap;
    }
  }
  return self.count;
}
