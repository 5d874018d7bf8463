//! Where a starred expression may stand. tree-sitter reads `*a` as an operand anywhere
//! (`a + *b`, `x = *a`, `*a = b`); Python takes it only as an element of a tuple, list or set,
//! an argument of a call or class, and the annotation of `*args`. `ast.parse` itself lets a few
//! of the rest through and leaves them to the compiler (`*a`, `x = *a`, `for x in *a:`); no
//! program holds them and SimPy has no spelling for them, so they are refused here too, with
//! the compiler's message.

use simpy_ast::*;

use super::Result;
use crate::error::{ParseError, ParseErrorKind};

pub(crate) fn check(module: &ModModule) -> Result<()> {
    let mut check = Check {
        allowed: false,
        vararg_annotations: Vec::new(),
        error: None,
    };
    walk_module(&mut check, module);
    check.error.map_or(Ok(()), Err)
}

struct Check<'a> {
    /// Whether the expression being visited is an element or argument that may be starred.
    allowed: bool,
    /// The annotations of `*args` in the functions being visited (`*args: *Ts`, PEP 646).
    vararg_annotations: Vec<&'a Expr>,
    error: Option<ParseError>,
}

impl<'a> Visitor<'a> for Check<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        let annotation = match stmt {
            Stmt::FunctionDef(StmtFunctionDef { args, .. }) => {
                args.vararg.as_ref().and_then(|v| v.annotation.as_deref())
            }
            _ => None,
        };
        let pushed = annotation
            .map(|a| self.vararg_annotations.push(a))
            .is_some();
        let outer = std::mem::replace(&mut self.allowed, matches!(stmt, Stmt::ClassDef(_)));
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || walk_stmt(self, stmt));
        self.allowed = outer;
        if pushed {
            self.vararg_annotations.pop();
        }
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        if self.error.is_some() {
            return;
        }
        if let Expr::Starred(starred) = expr {
            let annotation = self
                .vararg_annotations
                .iter()
                .any(|a| std::ptr::eq(*a, expr));
            if !self.allowed && !annotation {
                let kind = match starred.ctx {
                    ExprContext::Store => ParseErrorKind::StarredTarget,
                    _ => ParseErrorKind::StarredHere,
                };
                self.error = Some(ParseError::new(kind, starred.range));
                return;
            }
        }
        let elements = matches!(
            expr,
            Expr::Tuple(_) | Expr::List(_) | Expr::Set(_) | Expr::Call(_)
        );
        let outer = std::mem::replace(&mut self.allowed, elements);
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || walk_expr(self, expr));
        self.allowed = outer;
    }
}
