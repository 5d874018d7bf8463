//! Expressions, written flat into a `Line` with the fewest parentheses that keep the tree.

use super::line::{Group, Line};
use simpy_ast::precedence::{expr_prec, operator_prec, operator_text, Prec};
use simpy_ast::*;

/// Writes expressions into one line, recording bracket groups for later splitting.
pub(crate) struct ExprWriter<'l> {
    pub line: &'l mut Line,
    /// Inside an f-string replacement field: no groups, never split.
    in_fstring: bool,
}

impl<'l> ExprWriter<'l> {
    pub fn new(line: &'l mut Line) -> Self {
        ExprWriter {
            line,
            in_fstring: false,
        }
    }

    pub fn push(&mut self, s: &str) {
        self.line.text.push_str(s);
    }

    /// `expr` where at least `min` binding strength is needed, parenthesised otherwise.
    pub fn expr(&mut self, expr: &Expr, min: Prec) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || {
            // A walrus is always parenthesised: bare, it is valid only in a few places.
            if expr_prec(expr) < min || matches!(expr, Expr::NamedExpr(_)) {
                self.push("(");
                self.expr_inner(expr);
                self.push(")");
            } else {
                self.expr_inner(expr);
            }
        })
    }

    /// A comma-separated, bracketed list recorded as a group.
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
        let mut elements = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            let start = self.line.text.len();
            each(self, item);
            elements.push((start, self.line.text.len()));
        }
        let close_at = self.line.text.len();
        self.push(close);
        if !self.in_fstring {
            self.line.groups.push(Group {
                open: open_at,
                close: close_at,
                elements,
                trailing_comma,
            });
        }
    }

    /// An element of a display, a call or a subscript, where `*x` may stand unparenthesised.
    fn element(&mut self, e: &Expr) {
        match e {
            Expr::Starred(_) => self.expr_inner(e),
            _ => self.expr(e, Prec::Lambda),
        }
    }

    pub(crate) fn expr_inner(&mut self, expr: &Expr) {
        match expr {
            Expr::BoolOp(e) => {
                let (word, prec) = match e.op {
                    BoolOp::And => (" and ", Prec::And),
                    BoolOp::Or => (" or ", Prec::Or),
                };
                for (i, value) in e.values.iter().enumerate() {
                    if i > 0 {
                        self.push(word);
                    }
                    self.expr(value, prec.next());
                }
            }
            Expr::NamedExpr(e) => {
                self.expr(&e.target, Prec::Atom);
                self.push(" := ");
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
                self.push(" ");
                self.push(operator_text(e.op));
                self.push(" ");
                self.expr(&e.right, right_min);
            }
            Expr::UnaryOp(e) => match e.op {
                UnaryOp::Not => {
                    self.push("not ");
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
                self.push("lambda");
                if !arguments_empty(&e.args) {
                    self.push(" ");
                    self.parameters(&e.args, false);
                }
                self.push(": ");
                self.expr(&e.body, Prec::Lambda);
            }
            Expr::IfExp(e) => {
                self.expr(&e.body, Prec::Or);
                self.push(" if ");
                self.expr(&e.test, Prec::Or);
                self.push(" else ");
                self.expr(&e.orelse, Prec::Lambda);
            }
            Expr::Dict(e) => {
                let pairs: Vec<(Option<&Expr>, &Expr)> = e
                    .keys
                    .iter()
                    .map(Option::as_ref)
                    .zip(e.values.iter())
                    .collect();
                self.group("{", "}", &pairs, true, |w, (key, value)| match key {
                    Some(k) => {
                        w.expr(k, Prec::IfExp);
                        w.push(": ");
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
                self.push("await ");
                self.expr(&e.value, Prec::Atom);
            }
            Expr::Yield(e) => {
                self.push("yield");
                if let Some(v) = &e.value {
                    self.push(" ");
                    self.expr(v, Prec::Tuple);
                }
            }
            Expr::YieldFrom(e) => {
                self.push("yield from ");
                self.expr(&e.value, Prec::IfExp);
            }
            Expr::Compare(e) => {
                self.expr(&e.left, Prec::BitOr);
                for (op, right) in e.ops.iter().zip(&e.comparators) {
                    self.push(cmpop_text(*op));
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
                self.slice(&e.slice);
                self.push("]");
            }
            Expr::Starred(e) => {
                self.push("*");
                self.expr(&e.value, Prec::BitOr);
            }
            Expr::Name(e) => self.push(&e.id),
            Expr::List(e) => self.group("[", "]", &e.elts, true, |w, e| w.element(e)),
            Expr::Tuple(e) => self.tuple(e),
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

    fn tuple(&mut self, t: &ExprTuple) {
        if t.parenthesized || t.elts.is_empty() {
            // `(a,)` needs its comma; a longer tuple split over lines gets one anyway.
            let single = t.elts.len() == 1;
            self.group("(", ")", &t.elts, true, |w, e| w.element(e));
            if single {
                let close = self.line.text.len() - 1;
                self.line.text.insert(close, ',');
                if let Some(g) = self.line.groups.last_mut().filter(|_| !self.in_fstring) {
                    g.close += 1;
                }
            }
        } else {
            self.bare_tuple(&t.elts);
        }
    }

    /// `a, b` without parentheses, as in `return a, b`; one element keeps its comma.
    pub fn bare_tuple(&mut self, elts: &[Expr]) {
        for (i, e) in elts.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.element(e);
        }
        if elts.len() == 1 {
            self.push(",");
        }
    }

    /// An expression where a bare tuple may stand: `return`, `for` targets and iterables.
    pub fn expr_or_bare_tuple(&mut self, e: &Expr) {
        match e {
            Expr::Tuple(t)
                if !t.parenthesized && !t.elts.is_empty() && !opens_with_star_paren(t) =>
            {
                self.bare_tuple(&t.elts)
            }
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

    /// The index of a subscript: `x[a, b]`, `x[1:2]`, `x[*a]`.
    fn slice(&mut self, slice: &Expr) {
        match slice {
            Expr::Tuple(t) if !t.parenthesized && !t.elts.is_empty() => self.bare_tuple(&t.elts),
            _ => self.element(slice),
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
            self.push(": ");
            self.expr(v, Prec::IfExp);
        }
        for g in generators {
            self.push(if g.is_async { " async for " } else { " for " });
            self.expr_or_bare_tuple_target(&g.target);
            self.push(" in ");
            self.expr(&g.iter, Prec::Or);
            for test in &g.ifs {
                self.push(" if ");
                self.expr(test, Prec::Or);
            }
        }
        self.push(close);
    }

    /// A comprehension's `for` target, which binds tighter than `in`.
    fn expr_or_bare_tuple_target(&mut self, e: &Expr) {
        match e {
            Expr::Tuple(t) if !t.parenthesized && !t.elts.is_empty() => self.bare_tuple(&t.elts),
            _ => self.expr(e, Prec::BitOr),
        }
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
        // Keywords and `*args` may interleave; source order is by position.
        let mut all: Vec<Arg<'_>> = args
            .iter()
            .map(Arg::Positional)
            .chain(keywords.iter().map(Arg::Keyword))
            .collect();
        all.sort_by_key(|a| match a {
            Arg::Positional(e) => e.range().start,
            Arg::Keyword(k) => k.range.start,
        });
        // Trees built without positions keep positional arguments first.
        if all.iter().all(|a| match a {
            Arg::Positional(e) => e.range().start == 0,
            Arg::Keyword(k) => k.range.start == 0,
        }) {
            all = args
                .iter()
                .map(Arg::Positional)
                .chain(keywords.iter().map(Arg::Keyword))
                .collect();
        }
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

    /// Parameters of a `def` (`annotated`) or `lambda`, without the parentheses.
    pub fn parameters(&mut self, args: &Arguments, annotated: bool) {
        let items = parameter_items(args);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.parameter(item, annotated);
        }
    }

    /// `(a, b=1, *args)` recorded as a group, for `def`.
    pub fn parameter_group(&mut self, args: &Arguments) {
        let items = parameter_items(args);
        self.group("(", ")", &items, true, |w, item| w.parameter(item, true));
    }

    fn parameter(&mut self, item: &Param<'_>, annotated: bool) {
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
                    self.push(": ");
                    // `*args: *Ts` is the one annotation that may be starred.
                    self.expr(
                        a,
                        if matches!(a, Expr::Starred(_)) {
                            Prec::Yield
                        } else {
                            Prec::Lambda
                        },
                    );
                }
                if let Some(d) = default {
                    self.push(if annotation.is_some() { " = " } else { "=" });
                    self.expr(d, Prec::Lambda);
                }
            }
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

pub(crate) fn arguments_empty(args: &Arguments) -> bool {
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

/// `x = *(a), b`, `return *a, *[b] * c` and `*f"{x}",` are valid Python that
/// tree-sitter-python misreads; a bare tuple with a starred element other than a name, an
/// attribute, a subscript or a call keeps parentheses: `x = (*(a), b)`.
fn opens_with_star_paren(t: &ExprTuple) -> bool {
    t.elts.iter().any(|e| match e {
        Expr::Starred(s) => !matches!(
            *s.value,
            Expr::Name(_) | Expr::Attribute(_) | Expr::Subscript(_) | Expr::Call(_)
        ),
        _ => false,
    })
}

fn cmpop_text(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => " == ",
        CmpOp::NotEq => " != ",
        CmpOp::Lt => " < ",
        CmpOp::LtE => " <= ",
        CmpOp::Gt => " > ",
        CmpOp::GtE => " >= ",
        CmpOp::Is => " is ",
        CmpOp::IsNot => " is not ",
        CmpOp::In => " in ",
        CmpOp::NotIn => " not in ",
    }
}

impl ExprWriter<'_> {
    /// A writer for the expression inside an f-string field.
    pub(crate) fn nested_in_fstring(line: &mut Line) -> ExprWriter<'_> {
        ExprWriter {
            line,
            in_fstring: true,
        }
    }
}
