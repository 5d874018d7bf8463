//! Assignment, deletion and augmented-assignment targets: lowered as expressions, then given
//! their context, rejecting what CPython's parser rejects (`f() = 1`, `del *a`, `(a, b) += 1`).

use super::{Lowerer, Result};
use crate::error::{ParseError, ParseErrorKind, TargetAction};
use crate::flat::Node;
use simpy_ast::*;

impl<'s> Lowerer<'s> {
    pub(super) fn target(&mut self, node: Node<'_>, action: TargetAction) -> Result<Expr> {
        let mut expr = self.expressions(node)?;
        let ctx = match action {
            TargetAction::Delete => ExprContext::Del,
            TargetAction::Assign | TargetAction::NamedExpr => ExprContext::Store,
        };
        set_context(&mut expr, ctx, action)?;
        Ok(expr)
    }

    pub(super) fn aug_target(&mut self, node: Node<'_>) -> Result<Expr> {
        let mut expr = self.expressions(node)?;
        let what = match &expr {
            Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) => None,
            Expr::Tuple(_) => Some("tuple"),
            Expr::List(_) => Some("list"),
            _ => Some("expression"),
        };
        if let Some(what) = what {
            return Err(ParseError::new(
                ParseErrorKind::IllegalAugTarget(what),
                expr.range(),
            ));
        }
        set_context(&mut expr, ExprContext::Store, TargetAction::Assign)?;
        Ok(expr)
    }
}

/// Gives a target expression its context (`Store`, or `Del` for `del`), rejecting what CPython's
/// parser rejects as a target, with its message. Shared with the SimPy parser.
pub fn set_target_context(expr: &mut Expr, action: TargetAction) -> Result<()> {
    let ctx = match action {
        TargetAction::Delete => ExprContext::Del,
        TargetAction::Assign | TargetAction::NamedExpr => ExprContext::Store,
    };
    set_context(expr, ctx, action)
}

fn set_context(expr: &mut Expr, ctx: ExprContext, action: TargetAction) -> Result<()> {
    let range = expr.range();
    let invalid = |what| {
        Err(ParseError::new(
            ParseErrorKind::InvalidTarget { what, action },
            range,
        ))
    };
    match expr {
        Expr::Name(e) => e.ctx = ctx,
        Expr::Attribute(e) => e.ctx = ctx,
        Expr::Subscript(e) => e.ctx = ctx,
        Expr::Starred(_) if action == TargetAction::Delete => return invalid("starred"),
        Expr::Starred(e) => {
            e.ctx = ctx;
            set_context(&mut e.value, ctx, action)?;
        }
        Expr::Tuple(e) => {
            e.ctx = ctx;
            for elt in &mut e.elts {
                set_context(elt, ctx, action)?;
            }
        }
        Expr::List(e) => {
            e.ctx = ctx;
            for elt in &mut e.elts {
                set_context(elt, ctx, action)?;
            }
        }
        other => return invalid(describe(other)),
    }
    Ok(())
}

/// How CPython's messages name an expression that cannot be a target.
fn describe(expr: &Expr) -> &'static str {
    match expr {
        Expr::Call(_) => "function call",
        Expr::BinOp(_) | Expr::UnaryOp(_) | Expr::BoolOp(_) => "expression",
        Expr::Compare(_) => "comparison",
        Expr::IfExp(_) => "conditional expression",
        Expr::Lambda(_) => "lambda",
        Expr::Constant(c) => match c.value {
            Constant::None => "None",
            Constant::True => "True",
            Constant::False => "False",
            Constant::Ellipsis => "ellipsis",
            _ => "literal",
        },
        Expr::FString(_) => "f-string expression",
        Expr::Dict(_) => "dict literal",
        Expr::Set(_) => "set display",
        Expr::ListComp(_) => "list comprehension",
        Expr::SetComp(_) => "set comprehension",
        Expr::DictComp(_) => "dict comprehension",
        Expr::GeneratorExp(_) => "generator expression",
        Expr::Yield(_) | Expr::YieldFrom(_) => "yield expression",
        Expr::Await(_) => "await expression",
        Expr::NamedExpr(_) => "named expression",
        Expr::Slice(_) => "slice",
        Expr::Name(_)
        | Expr::Attribute(_)
        | Expr::Subscript(_)
        | Expr::Starred(_)
        | Expr::Tuple(_)
        | Expr::List(_) => "expression",
    }
}
