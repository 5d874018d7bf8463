//! How deep a tree is, counted without overflowing the stack.

use simpy_ast::{walk_expr, walk_pattern, walk_stmt, Expr, ModModule, Pattern, Stmt, Visitor};

/// Whether any path from the root is longer than `limit` nodes.
pub fn exceeds(module: &ModModule, limit: u32) -> bool {
    let mut d = Depth {
        current: 0,
        deepest: 0,
    };
    for stmt in &module.body {
        d.visit_stmt(stmt);
    }
    d.deepest > limit as usize
}

struct Depth {
    current: usize,
    deepest: usize,
}

impl Depth {
    fn nested(&mut self, f: impl FnOnce(&mut Self)) {
        self.current += 1;
        self.deepest = self.deepest.max(self.current);
        stacker::maybe_grow(32 * 1024, 1024 * 1024, || f(self));
        self.current -= 1;
    }
}

impl<'a> Visitor<'a> for Depth {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        self.nested(|d| walk_stmt(d, stmt));
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        self.nested(|d| walk_expr(d, expr));
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        self.nested(|d| walk_pattern(d, pattern));
    }
}
