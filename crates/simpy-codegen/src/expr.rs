//! Expressions and simple statements, written flat into a `Line` with the fewest parentheses
//! that keep the tree. The walk is the same for Python and SimPy; what differs is asked of
//! `differences.rs`.

use crate::differences::Flavor;
use crate::line::{Group, Line};
use crate::Literals;
use simpy_ast::precedence::{operator_prec, operator_text, Prec};
use simpy_ast::*;

/// Writes expressions into one line, recording bracket groups for later splitting.
pub(crate) struct Writer<'l> {
    pub line: &'l mut Line,
    pub flavor: Flavor,
    pub literals: Literals,
    /// Inside an f-string replacement field: no groups, never split.
    pub in_fstring: bool,
}

impl<'l> Writer<'l> {
    pub fn new(line: &'l mut Line, flavor: Flavor) -> Self {
        Writer {
            line,
            flavor,
            literals: Literals::Kept,
            in_fstring: false,
        }
    }

    #[inline]
    pub fn push(&mut self, s: &str) {
        self.line.text.push_str(s);
    }

    /// `expr` where at least `min` binding strength is needed, parenthesised otherwise.
    pub fn expr(&mut self, expr: &Expr, min: Prec) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            if self.needs_parentheses(expr, min) {
                self.push("(");
                self.expr_inner(expr);
                self.push(")");
            } else {
                self.expr_inner(expr);
            }
        })
    }

    /// A separated, bracketed list, recorded as a group where lines may split.
    pub fn group<T>(
        &mut self,
        open: &str,
        close: &str,
        items: &[T],
        trailing_comma: bool,
        mut each: impl FnMut(&mut Self, &T),
    ) {
        self.push(open);
        let open_at = self.line.text.len() - 1;
        let records = self.records_groups();
        let mut elements = Vec::with_capacity(if records { items.len() } else { 0 });
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.separator();
            }
            let start = self.line.text.len();
            each(self, item);
            if records {
                elements.push((start, self.line.text.len()));
            }
        }
        let close_at = self.line.text.len();
        self.push(close);
        if records {
            self.line.groups.push(Group {
                open: open_at,
                close: close_at,
                elements,
                trailing_comma,
            });
        }
    }

    /// Items with separators and no brackets.
    pub fn separated<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.separator();
            }
            each(self, item);
        }
    }

    /// An element of a display, a call or a subscript, where `*x` may stand unparenthesised.
    pub fn element(&mut self, e: &Expr) {
        match e {
            Expr::Starred(_) => self.expr_inner(e),
            _ => self.expr(e, Prec::Lambda),
        }
    }

    fn operator(&mut self, op: Operator) {
        match operator_token(op) {
            Some(token) => self.token(token),
            None => self.push(operator_text(op)),
        }
    }

    /// ` and `, ` if `: a keyword between two operands.
    fn infix(&mut self, token: Special) {
        self.space();
        self.token(token);
        self.space();
    }

    pub(crate) fn expr_inner(&mut self, expr: &Expr) {
        match expr {
            Expr::BoolOp(e) => {
                let (word, prec) = match e.op {
                    BoolOp::And => (Special::And, Prec::And),
                    BoolOp::Or => (Special::Or, Prec::Or),
                };
                for (i, value) in e.values.iter().enumerate() {
                    if i > 0 {
                        self.infix(word);
                    }
                    self.expr(value, prec.next());
                }
            }
            Expr::NamedExpr(e) => {
                self.expr(&e.target, Prec::Atom);
                self.space();
                self.push(":=");
                self.space();
                self.expr(&e.value, Prec::Lambda);
            }
            Expr::BinOp(e) => {
                let prec = operator_prec(e.op);
                // `**` groups to the right and binds tighter than a unary operator on its left.
                let (left_min, right_min) = if e.op == Operator::Pow {
                    (Prec::Await, Prec::Factor)
                } else {
                    (prec, prec.next())
                };
                self.expr(&e.left, left_min);
                self.space();
                self.operator(e.op);
                self.space();
                self.expr(&e.right, right_min);
            }
            Expr::UnaryOp(e) => match e.op {
                UnaryOp::Not => {
                    self.token(Special::Not);
                    self.space();
                    self.expr(&e.operand, Prec::Not);
                }
                op => {
                    self.push(match op {
                        UnaryOp::Invert => "~",
                        UnaryOp::UAdd => "+",
                        _ => "-",
                    });
                    self.expr(&e.operand, Prec::Factor);
                }
            },
            Expr::Lambda(e) => {
                self.token(Special::Lambda);
                if !arguments_empty(&e.args) {
                    self.space();
                    self.parameters(&e.args, false);
                }
                self.push(":");
                self.space();
                self.expr(&e.body, Prec::Lambda);
            }
            Expr::IfExp(e) => {
                self.expr(&e.body, Prec::Or);
                self.infix(Special::If);
                self.expr(&e.test, Prec::Or);
                self.infix(Special::Else);
                self.expr(&e.orelse, Prec::Lambda);
            }
            Expr::Dict(e) => {
                let pairs: Vec<(Option<&Expr>, &Expr)> =
                    e.keys.iter().map(Option::as_ref).zip(&e.values).collect();
                self.group("{", "}", &pairs, true, |w, (key, value)| match key {
                    Some(k) => {
                        w.expr(k, Prec::IfExp);
                        w.push(":");
                        w.space();
                        w.expr(value, Prec::IfExp);
                    }
                    None => {
                        w.push("**");
                        w.expr(value, Prec::BitOr);
                    }
                });
            }
            Expr::Set(e) => self.group("{", "}", &e.elts, true, |w, e| w.element(e)),
            Expr::ListComp(e) => self.comprehension("[", &e.elt, None, &e.generators, "]"),
            Expr::SetComp(e) => self.comprehension("{", &e.elt, None, &e.generators, "}"),
            Expr::DictComp(e) => {
                self.comprehension("{", &e.key, Some(&e.value), &e.generators, "}")
            }
            Expr::GeneratorExp(e) => self.comprehension("(", &e.elt, None, &e.generators, ")"),
            Expr::Await(e) => {
                self.token(Special::Await);
                self.space();
                self.expr(&e.value, Prec::Atom);
            }
            Expr::Yield(e) => {
                self.token(Special::Yield);
                if let Some(v) = &e.value {
                    self.space();
                    self.yield_value(v);
                }
            }
            Expr::YieldFrom(e) => {
                self.token(Special::Yield);
                self.space();
                self.token(Special::From);
                self.space();
                self.expr(&e.value, Prec::IfExp);
            }
            Expr::Compare(e) => {
                self.expr(&e.left, Prec::BitOr);
                for (op, right) in e.ops.iter().zip(&e.comparators) {
                    for token in comparison_tokens(*op) {
                        self.space();
                        self.token(*token);
                    }
                    self.space();
                    self.expr(right, Prec::BitOr);
                }
            }
            Expr::Call(e) => {
                self.expr(&e.func, Prec::Atom);
                self.call_arguments(&e.args, &e.keywords);
            }
            Expr::FString(e) => self.fstring(e),
            Expr::Constant(e) => self.constant(e),
            Expr::Attribute(e) => {
                // `1 .real`: a decimal integer followed by `.` would read as a float.
                if is_decimal_int(&e.value) {
                    self.push("(");
                    self.expr(&e.value, Prec::Atom);
                    self.push(")");
                } else {
                    self.expr(&e.value, Prec::Atom);
                }
                self.push(".");
                self.push(&e.attr.id);
            }
            Expr::Subscript(e) => {
                self.expr(&e.value, Prec::Atom);
                self.push("[");
                match &*e.slice {
                    Expr::Tuple(t) if !t.parenthesized && !t.elts.is_empty() => {
                        self.bare_tuple(&t.elts)
                    }
                    slice => self.element(slice),
                }
                self.push("]");
            }
            Expr::Starred(e) => {
                self.push("*");
                self.expr(&e.value, Prec::BitOr);
            }
            Expr::Name(e) => self.push(&e.id),
            Expr::List(e) => self.group("[", "]", &e.elts, true, |w, e| w.element(e)),
            Expr::Tuple(t) if self.tuple_is_bare(t) => self.bare_tuple(&t.elts),
            Expr::Tuple(t) => {
                self.group("(", ")", &t.elts, true, |w, e| w.element(e));
                if t.elts.len() == 1 {
                    self.mark_one_element_tuple();
                }
            }
            Expr::Slice(e) => {
                if let Some(lower) = &e.lower {
                    self.expr(lower, Prec::Lambda);
                }
                self.push(":");
                if let Some(upper) = &e.upper {
                    self.expr(upper, Prec::Lambda);
                }
                if let Some(step) = &e.step {
                    self.push(":");
                    self.expr(step, Prec::Lambda);
                }
            }
        }
    }

    /// `a, b` without parentheses, as in `return a, b` or `x[a, b]`.
    pub fn bare_tuple(&mut self, elts: &[Expr]) {
        self.separated(elts, |w, e| w.element(e));
        if let [only] = elts {
            self.mark_one_element_bare_tuple(only);
        }
    }

    /// An expression where a bare tuple may stand: `return`, `for` iterables.
    pub fn expr_or_bare_tuple(&mut self, e: &Expr) {
        match e {
            Expr::Tuple(t) if self.bare_tuple_stands(t) => self.bare_tuple(&t.elts),
            _ => self.expr(e, Prec::Lambda),
        }
    }

    /// The value of an expression statement or an assignment, where a bare `yield` may stand too.
    pub fn statement_value(&mut self, e: &Expr) {
        match e {
            Expr::Yield(_) | Expr::YieldFrom(_) => self.expr_inner(e),
            _ => self.expr_or_bare_tuple(e),
        }
    }

    fn comprehension(
        &mut self,
        open: &str,
        elt: &Expr,
        value: Option<&Expr>,
        generators: &[Comprehension],
        close: &str,
    ) {
        self.push(open);
        self.expr(elt, Prec::Lambda);
        if let Some(v) = value {
            self.push(":");
            self.space();
            self.expr(v, Prec::IfExp);
        }
        for g in generators {
            self.space();
            if g.is_async {
                self.token(Special::AsyncKeyword);
                self.space();
            }
            self.token(Special::For);
            self.space();
            self.target(&g.target, true);
            self.in_of_for();
            self.expr(&g.iter, Prec::Or);
            for test in &g.ifs {
                self.infix(Special::If);
                self.expr(test, Prec::Or);
            }
        }
        self.push(close);
    }

    pub fn call_arguments(&mut self, args: &[Expr], keywords: &[Keyword]) {
        enum Arg<'a> {
            Positional(&'a Expr),
            Keyword(&'a Keyword),
        }
        // `f(x for x in y)`: the generator shares the call's parentheses.
        if let ([Expr::GeneratorExp(g)], []) = (args, keywords) {
            if !g.parenthesized {
                let items = [g];
                self.group("(", ")", &items, false, |w, g| {
                    w.comprehension("", &g.elt, None, &g.generators, "");
                });
                return;
            }
        }
        // Keywords and `*args` may interleave; source order is by position (a stable sort, so
        // trees built without positions keep positional arguments first).
        let mut all: Vec<Arg<'_>> = args
            .iter()
            .map(Arg::Positional)
            .chain(keywords.iter().map(Arg::Keyword))
            .collect();
        all.sort_by_key(|a| match a {
            Arg::Positional(e) => e.range().start,
            Arg::Keyword(k) => k.range.start,
        });
        self.group("(", ")", &all, true, |w, a| match a {
            Arg::Positional(e) => w.element(e),
            Arg::Keyword(k) => match &k.arg {
                Some(name) => {
                    w.push(&name.id);
                    w.push("=");
                    w.expr(&k.value, Prec::Lambda);
                }
                None => {
                    w.push("**");
                    w.expr(&k.value, Prec::BitOr);
                }
            },
        });
    }

    /// Parameters of a `def` (`annotated`) or `lambda`, without brackets.
    pub fn parameters(&mut self, args: &Arguments, annotated: bool) {
        self.separated(&parameter_items(args), |w, item| {
            w.parameter(item, annotated)
        });
    }

    pub fn parameter(&mut self, item: &Param<'_>, annotated: bool) {
        match item {
            Param::Slash => self.push("/"),
            Param::Star => self.push("*"),
            Param::Arg {
                prefix,
                arg,
                default,
            } => {
                self.push(prefix);
                self.push(&arg.arg.id);
                let annotation = arg.annotation.as_deref().filter(|_| annotated);
                if let Some(a) = annotation {
                    self.push(":");
                    self.space();
                    // `*args: *Ts` is the one annotation that may be starred.
                    let min = if matches!(a, Expr::Starred(_)) {
                        Prec::Yield
                    } else {
                        Prec::Lambda
                    };
                    self.expr(a, min);
                }
                if let Some(d) = default {
                    // PEP 8: `x: int = 1` but `x=1`.
                    if annotation.is_some() {
                        self.space();
                    }
                    self.push("=");
                    if annotation.is_some() {
                        self.space();
                    }
                    self.expr(d, Prec::Lambda);
                }
            }
        }
    }

    pub fn type_params(&mut self, params: &[TypeParam]) {
        if params.is_empty() {
            return;
        }
        self.group("[", "]", params, true, |w, p| {
            let (star, name, bound, default) = p.parts();
            w.push(star);
            w.push(&name.id);
            if let Some(bound) = bound {
                w.push(":");
                w.space();
                w.expr(bound, Prec::IfExp);
            }
            if let Some(default) = default {
                w.space();
                w.push("=");
                w.space();
                // `*Ts = *tuple[int, ...]` may be starred.
                w.element(default);
            }
        });
    }

    /// Every statement that is not compound, on its line.
    pub fn simple_statement(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::Expr(s) => self.statement_value(&s.value),
            Stmt::Assign(s) => {
                for target in &s.targets {
                    self.target(target, false);
                    self.space();
                    self.push("=");
                    self.space();
                }
                self.statement_value(&s.value);
            }
            Stmt::AugAssign(s) => {
                self.expr(&s.target, Prec::Atom);
                self.space();
                self.token(augmented_token(s.op));
                self.space();
                self.statement_value(&s.value);
            }
            Stmt::AnnAssign(s) => {
                // `simple` is false for a parenthesised name: `(x): int`.
                if !s.simple && matches!(*s.target, Expr::Name(_)) {
                    self.push("(");
                    self.expr(&s.target, Prec::Atom);
                    self.push(")");
                } else {
                    self.expr(&s.target, Prec::Atom);
                }
                self.push(":");
                self.space();
                self.expr(&s.annotation, Prec::Lambda);
                if let Some(value) = &s.value {
                    self.space();
                    self.push("=");
                    self.space();
                    self.statement_value(value);
                }
            }
            Stmt::Return(s) => {
                self.token(Special::Return);
                if let Some(value) = &s.value {
                    self.space();
                    self.expr_or_bare_tuple(value);
                }
            }
            Stmt::Delete(s) => {
                self.token(Special::DelStmt);
                self.space();
                self.separated(&s.targets, |w, t| w.expr(t, Prec::BitOr));
            }
            Stmt::Raise(s) => {
                self.token(Special::Raise);
                if let Some(exc) = &s.exc {
                    self.space();
                    self.expr(exc, Prec::IfExp);
                }
                if let Some(cause) = &s.cause {
                    self.infix(Special::From);
                    self.expr(cause, Prec::IfExp);
                }
            }
            Stmt::Assert(s) => {
                self.token(Special::AssertStmt);
                self.space();
                self.expr(&s.test, Prec::IfExp);
                if let Some(msg) = &s.msg {
                    self.separator();
                    self.expr(msg, Prec::IfExp);
                }
            }
            Stmt::Import(s) => {
                self.token(Special::ImportStmt);
                self.space();
                self.separated(&s.names, Writer::alias);
            }
            Stmt::ImportFrom(s) => {
                self.import_from_head(s);
                self.separated(&s.names, Writer::alias);
            }
            Stmt::Global(s) => self.names(Special::Global, &s.names),
            Stmt::Nonlocal(s) => self.names(Special::Nonlocal, &s.names),
            Stmt::TypeAlias(s) => {
                self.token(Special::TypeStmt);
                self.space();
                self.expr(&s.name, Prec::Atom);
                self.type_params(&s.type_params);
                self.space();
                self.push("=");
                self.space();
                self.expr(&s.value, Prec::Lambda);
            }
            Stmt::Pass(_) => self.token(Special::Pass),
            Stmt::Break(_) => self.token(Special::Break),
            Stmt::Continue(_) => self.token(Special::Continue),
            Stmt::FunctionDef(_)
            | Stmt::ClassDef(_)
            | Stmt::If(_)
            | Stmt::For(_)
            | Stmt::While(_)
            | Stmt::With(_)
            | Stmt::Try(_)
            | Stmt::Match(_) => unreachable!("compound statements are printed by `Printer`"),
        }
    }

    fn names(&mut self, keyword: Special, names: &[Identifier]) {
        self.token(keyword);
        self.space();
        self.separated(names, |w, n| w.push(&n.id));
    }

    pub fn alias(&mut self, a: &Alias) {
        self.push(&a.name.id);
        if let Some(asname) = &a.asname {
            self.infix(Special::As);
            self.push(&asname.id);
        }
    }
}

/// One entry of a parameter list, in written order.
pub(crate) enum Param<'a> {
    Slash,
    Star,
    Arg {
        prefix: &'static str,
        arg: &'a Arg,
        default: Option<&'a Expr>,
    },
}

pub(crate) fn parameter_items(args: &Arguments) -> Vec<Param<'_>> {
    let mut items = Vec::new();
    let positional: Vec<&Arg> = args.posonlyargs.iter().chain(&args.args).collect();
    let first_default = positional.len() - args.defaults.len().min(positional.len());
    for (i, arg) in positional.iter().enumerate() {
        let default = i.checked_sub(first_default).map(|d| &args.defaults[d]);
        items.push(Param::Arg {
            prefix: "",
            arg,
            default,
        });
        if i + 1 == args.posonlyargs.len() {
            items.push(Param::Slash);
        }
    }
    match &args.vararg {
        Some(v) => items.push(Param::Arg {
            prefix: "*",
            arg: v,
            default: None,
        }),
        None if !args.kwonlyargs.is_empty() => items.push(Param::Star),
        None => {}
    }
    for (arg, default) in args.kwonlyargs.iter().zip(&args.kw_defaults) {
        items.push(Param::Arg {
            prefix: "",
            arg,
            default: default.as_ref(),
        });
    }
    if let Some(k) = &args.kwarg {
        items.push(Param::Arg {
            prefix: "**",
            arg: k,
            default: None,
        });
    }
    items
}

fn arguments_empty(args: &Arguments) -> bool {
    args.posonlyargs.is_empty()
        && args.args.is_empty()
        && args.vararg.is_none()
        && args.kwonlyargs.is_empty()
        && args.kwarg.is_none()
}

pub(crate) fn is_decimal_int(e: &Expr) -> bool {
    match e {
        Expr::Constant(c) => match (&c.value, &c.spelling) {
            (Constant::Int(_), Spelling::Number(text)) => {
                text.bytes().all(|b| b.is_ascii_digit() || b == b'_')
            }
            (Constant::Int(_), _) => true,
            _ => false,
        },
        _ => false,
    }
}

/// `is not` and `not in` are two tokens each, as the reference writes them, for comparable counts.
fn comparison_tokens(op: CmpOp) -> &'static [Special] {
    match op {
        CmpOp::Eq => &[Special::Eq],
        CmpOp::NotEq => &[Special::NotEq],
        CmpOp::Lt => &[Special::Lt],
        CmpOp::LtE => &[Special::LtE],
        CmpOp::Gt => &[Special::Gt],
        CmpOp::GtE => &[Special::GtE],
        CmpOp::Is => &[Special::Is],
        CmpOp::IsNot => &[Special::Is, Special::Not],
        CmpOp::In => &[Special::In],
        CmpOp::NotIn => &[Special::Not, Special::In],
    }
}

fn augmented_token(op: Operator) -> Special {
    match op {
        Operator::Add => Special::AugAdd,
        Operator::Sub => Special::AugSub,
        Operator::Mult => Special::AugMul,
        Operator::MatMult => Special::AugMatMul,
        Operator::Div => Special::AugDiv,
        Operator::Mod => Special::AugMod,
        Operator::Pow => Special::AugPow,
        Operator::LShift => Special::AugLShift,
        Operator::RShift => Special::AugRShift,
        Operator::BitOr => Special::AugOr,
        Operator::BitXor => Special::AugXor,
        Operator::BitAnd => Special::AugAnd,
        Operator::FloorDiv => Special::AugFloorDiv,
    }
}

/// The special token a binary operator is written with in SimPy, where the plain text would
/// be ambiguous there (`*` is also a splat, `<<` contains `<`); Python spells the same.
pub(crate) fn operator_token(op: Operator) -> Option<Special> {
    match op {
        Operator::Mult => Some(Special::Times),
        Operator::Pow => Some(Special::Power),
        Operator::LShift => Some(Special::LShift),
        Operator::RShift => Some(Special::RShift),
        Operator::FloorDiv => Some(Special::FloorDiv),
        _ => None,
    }
}
