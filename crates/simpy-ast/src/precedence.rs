//! How tightly each expression binds, from Python's grammar: the one table for the printers
//! (parentheses exactly where the tree needs them) and the Python front end (regrouping the
//! operator chains tree-sitter ranks wrongly).

use crate::{BoolOp, Expr, Operator, UnaryOp};

/// Binding strength, weakest first. An operand printed where a stronger level is required
/// gets parentheses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Prec {
    /// A bare tuple `a, b`.
    Tuple,
    /// `yield`, `x := y`, `*x` in a tuple.
    Yield,
    Lambda,
    IfExp,
    Or,
    And,
    Not,
    Compare,
    BitOr,
    BitXor,
    BitAnd,
    Shift,
    Arith,
    Term,
    /// Unary `+`, `-`, `~`.
    Factor,
    Power,
    Await,
    /// Names, literals, displays, calls, attributes, subscripts.
    Atom,
}

impl Prec {
    /// The next stronger level (for the right operand of a left-associative operator).
    pub fn next(self) -> Prec {
        use Prec::*;
        match self {
            Tuple => Yield,
            Yield => Lambda,
            Lambda => IfExp,
            IfExp => Or,
            Or => And,
            And => Not,
            Not => Compare,
            Compare => BitOr,
            BitOr => BitXor,
            BitXor => BitAnd,
            BitAnd => Shift,
            Shift => Arith,
            Arith => Term,
            Term => Factor,
            Factor => Power,
            Power => Await,
            Await | Atom => Atom,
        }
    }
}

pub fn operator_prec(op: Operator) -> Prec {
    match op {
        Operator::BitOr => Prec::BitOr,
        Operator::BitXor => Prec::BitXor,
        Operator::BitAnd => Prec::BitAnd,
        Operator::LShift | Operator::RShift => Prec::Shift,
        Operator::Add | Operator::Sub => Prec::Arith,
        Operator::Mult | Operator::MatMult | Operator::Div | Operator::FloorDiv | Operator::Mod => {
            Prec::Term
        }
        Operator::Pow => Prec::Power,
    }
}

/// The level at which `expr` binds when printed without parentheses of its own.
pub fn expr_prec(expr: &Expr) -> Prec {
    match expr {
        Expr::Tuple(t) if !t.parenthesized => Prec::Tuple,
        Expr::Yield(_) | Expr::YieldFrom(_) | Expr::NamedExpr(_) | Expr::Starred(_) => Prec::Yield,
        Expr::Lambda(_) => Prec::Lambda,
        Expr::IfExp(_) => Prec::IfExp,
        Expr::BoolOp(b) => match b.op {
            BoolOp::Or => Prec::Or,
            BoolOp::And => Prec::And,
        },
        Expr::UnaryOp(u) => match u.op {
            UnaryOp::Not => Prec::Not,
            _ => Prec::Factor,
        },
        Expr::Compare(_) => Prec::Compare,
        Expr::BinOp(b) => operator_prec(b.op),
        Expr::Await(_) => Prec::Await,
        _ => Prec::Atom,
    }
}

pub fn operator_text(op: Operator) -> &'static str {
    match op {
        Operator::Add => "+",
        Operator::Sub => "-",
        Operator::Mult => "*",
        Operator::MatMult => "@",
        Operator::Div => "/",
        Operator::Mod => "%",
        Operator::Pow => "**",
        Operator::LShift => "<<",
        Operator::RShift => ">>",
        Operator::BitOr => "|",
        Operator::BitXor => "^",
        Operator::BitAnd => "&",
        Operator::FloorDiv => "//",
    }
}
