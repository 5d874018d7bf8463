//! The operators from `or` down to `*` as one flat chain: the grammar reads an operand and
//! then any number of (operator, operand) links (`OrTest`, `BitOr` in grammar.lalrpop), and
//! [`chain`] builds the tree by Python's precedence. A ladder of one rule per level would
//! cost a reduction per level for every operand; those reductions were most of the parser's
//! time (ARCHITECTURE.md). Everything else is as the ladder built it: each node's range runs
//! from its first operand's first token (a parenthesis included) to its last operand's last.

use crate::actions::{binop, compare, range, unary};
use simpy_ast::{BoolOp, CmpOp, Expr, ExprBoolOp, Operator, UnaryOp};

/// An operand with its span and the `not`s before it (in the order written; only the first
/// operand of an `and`/`or` term may have any).
pub struct Operand {
    nots: Option<Vec<usize>>,
    l: usize,
    expr: Expr,
    r: usize,
}

impl Operand {
    pub fn new(nots: Option<Vec<usize>>, l: usize, expr: Expr, r: usize) -> Operand {
        Operand { nots, l, expr, r }
    }
}

#[derive(Clone, Copy)]
pub enum LinkOp {
    Bool(BoolOp),
    Compare(CmpOp),
    Binary(Operator),
}

/// An operator and the operand after it.
pub struct Link {
    op: LinkOp,
    operand: Operand,
}

impl Link {
    pub fn new(op: LinkOp, nots: Option<Vec<usize>>, l: usize, expr: Expr, r: usize) -> Link {
        Link {
            op,
            operand: Operand::new(nots, l, expr, r),
        }
    }
}

/// The expression `first` and `links` spell: `or` binds loosest, then `and`, `not`, the
/// comparisons (chained, as Python chains them), and the binary operators by [`precedence`],
/// each left-associative.
pub fn chain(first: Operand, links: Vec<Link>) -> Expr {
    if links.is_empty() && first.nots.is_none() {
        return first.expr;
    }
    let mut ors = Vec::new();
    let mut ands = Vec::new();
    let mut term = Term::new(first);
    for Link { op, operand } in links {
        match op {
            LinkOp::Binary(op) => term.binary(op, operand),
            LinkOp::Compare(op) => term.compare(op, operand),
            LinkOp::Bool(op) => {
                ands.push(std::mem::replace(&mut term, Term::new(operand)).finish());
                if op == BoolOp::Or {
                    ors.push(bool_op(BoolOp::And, std::mem::take(&mut ands)));
                }
            }
        }
    }
    ands.push(term.finish());
    ors.push(bool_op(BoolOp::And, ands));
    bool_op(BoolOp::Or, ors).expr
}

/// Binds tighter the higher it is; the comparisons are below all of them.
fn precedence(op: Operator) -> u8 {
    match op {
        Operator::BitOr => 1,
        Operator::BitXor => 2,
        Operator::BitAnd => 3,
        Operator::LShift | Operator::RShift => 4,
        Operator::Add | Operator::Sub => 5,
        Operator::Mult | Operator::MatMult | Operator::Div | Operator::Mod | Operator::FloorDiv => {
            6
        }
        // `**` is read by the grammar (`Factor`), never in a chain.
        Operator::Pow => 7,
    }
}

/// One operand of `and`/`or`: `not`s, then operands joined by comparisons and binary operators.
struct Term {
    nots: Vec<usize>,
    /// What the comparisons compare, each complete, and the comparisons between them.
    compared: Vec<Operand>,
    comparisons: Vec<CmpOp>,
    /// The binary operators not applied yet (each binds tighter than the one before it), and
    /// their operands.
    operands: Vec<Operand>,
    operators: Vec<Operator>,
}

impl Term {
    fn new(mut first: Operand) -> Term {
        Term {
            nots: first.nots.take().unwrap_or_default(),
            compared: Vec::new(),
            comparisons: Vec::new(),
            operands: vec![first],
            operators: Vec::new(),
        }
    }

    fn binary(&mut self, op: Operator, operand: Operand) {
        self.apply_while(|top| precedence(top) >= precedence(op));
        self.operators.push(op);
        self.operands.push(operand);
    }

    fn compare(&mut self, op: CmpOp, operand: Operand) {
        self.apply_while(|_| true);
        self.compared.extend(self.operands.pop());
        self.comparisons.push(op);
        self.operands.push(operand);
    }

    fn finish(mut self) -> Operand {
        self.apply_while(|_| true);
        self.compared.extend(self.operands.pop());
        let mut compared = self.compared.into_iter();
        let first = compared.next().expect("a term has an operand");
        let mut done = if self.comparisons.is_empty() {
            first
        } else {
            let mut rest = Vec::with_capacity(self.comparisons.len());
            let mut r = first.r;
            for (op, operand) in self.comparisons.into_iter().zip(compared) {
                r = operand.r;
                rest.push((op, operand.expr));
            }
            Operand::new(None, first.l, compare(first.l, first.expr, rest, r), r)
        };
        for l in self.nots.into_iter().rev() {
            done = Operand::new(None, l, unary(l, UnaryOp::Not, done.expr, done.r), done.r);
        }
        done
    }

    /// Applies the operators on top of the stack while `applies` says so of the top one.
    fn apply_while(&mut self, applies: impl Fn(Operator) -> bool) {
        while let Some(&op) = self.operators.last().filter(|&&op| applies(op)) {
            self.operators.pop();
            let right = self.operands.pop().expect("an operand after each operator");
            let left = self
                .operands
                .pop()
                .expect("an operand before each operator");
            let expr = binop(left.l, left.expr, op, right.expr, right.r);
            self.operands
                .push(Operand::new(None, left.l, expr, right.r));
        }
    }
}

/// `values` joined by `op` (one value is itself).
fn bool_op(op: BoolOp, mut values: Vec<Operand>) -> Operand {
    if values.len() == 1 {
        return values.pop().expect("one value");
    }
    let (l, r) = (values[0].l, values[values.len() - 1].r);
    let values = values.into_iter().map(|v| v.expr).collect();
    let expr = Expr::BoolOp(ExprBoolOp {
        range: range(l, r),
        op,
        values,
    });
    Operand::new(None, l, expr, r)
}

#[cfg(test)]
mod tests {
    use simpy_ast::{walk_expr, Expr, Stmt, Visitor};

    /// Each operator node of the statement's value, outermost first, as its kind and the text
    /// its range spans.
    fn nodes(simpy: &str) -> Vec<String> {
        struct Spans<'s>(&'s str, Vec<String>);
        impl<'a> Visitor<'a> for Spans<'_> {
            fn visit_expr(&mut self, expr: &'a Expr) {
                let kind = match expr {
                    Expr::BoolOp(e) => format!("{:?}", e.op),
                    Expr::BinOp(e) => format!("{:?}", e.op),
                    Expr::UnaryOp(e) => format!("{:?}", e.op),
                    Expr::Compare(e) => format!("{:?}", e.ops),
                    Expr::Await(_) => "Await".into(),
                    _ => String::new(),
                };
                if !kind.is_empty() {
                    let r = expr.range();
                    let text = &self.0[r.start as usize..r.end as usize];
                    self.1.push(format!("{kind} {text}"));
                }
                walk_expr(self, expr);
            }
        }
        let module = crate::parse_simpy(simpy).expect("parses").module;
        let [Stmt::Expr(statement)] = &module.body[..] else {
            panic!("one expression statement");
        };
        let mut spans = Spans(simpy, Vec::new());
        spans.visit_expr(&statement.value);
        spans.1
    }

    #[test]
    fn builds_by_precedence_with_the_ranges_the_ladder_gave() {
        assert_eq!(
            nodes("a<or><not><not>(b)+c<times>d<l>e<is><not>f<and>g<or>h"),
            [
                "Or a<or><not><not>(b)+c<times>d<l>e<is><not>f<and>g<or>h",
                "And <not><not>(b)+c<times>d<l>e<is><not>f<and>g",
                "Not <not><not>(b)+c<times>d<l>e<is><not>f",
                "Not <not>(b)+c<times>d<l>e<is><not>f",
                "[Lt, IsNot] (b)+c<times>d<l>e<is><not>f",
                "Add (b)+c<times>d",
                "Mult c<times>d",
            ]
        );
        assert_eq!(
            nodes("a|b^c&d<lshift>e-f/g-h"),
            [
                "BitOr a|b^c&d<lshift>e-f/g-h",
                "BitXor b^c&d<lshift>e-f/g-h",
                "BitAnd c&d<lshift>e-f/g-h",
                "LShift d<lshift>e-f/g-h",
                "Sub e-f/g-h",
                "Sub e-f/g",
                "Div f/g",
            ]
        );
        assert_eq!(
            nodes("-<await>a<power>-b<power>c<not><in>d"),
            [
                "[NotIn] -<await>a<power>-b<power>c<not><in>d",
                "USub -<await>a<power>-b<power>c",
                "Pow <await>a<power>-b<power>c",
                "Await <await>a",
                "USub -b<power>c",
                "Pow b<power>c",
            ]
        );
    }
}
