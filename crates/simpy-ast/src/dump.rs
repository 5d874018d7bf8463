//! `dump`: the tree as CPython 3.11's `ast.dump(tree)` prints it, byte for byte.
//!
//! This is both a debugging aid and the definition of AST equality: two trees are the same
//! program exactly when their dumps are equal (ranges, spellings and comments take no part).
//! Fields that only newer Pythons have (`type_params`) are printed only when non-empty.

use crate::nodes::*;
use crate::pystr::{bytes_repr, PyStr};
use std::fmt::Write;

/// `ast.dump(module)` as CPython 3.11 prints it.
pub fn dump(module: &ModModule) -> String {
    let mut d = Dumper::default();
    d.out.push_str("Module(body=");
    d.stmts(&module.body);
    d.out.push_str(", type_ignores=[])");
    d.out
}

/// `ast.dump` of one statement.
pub fn dump_stmt(stmt: &Stmt) -> String {
    let mut d = Dumper::default();
    d.stmt(stmt);
    d.out
}

/// `ast.dump` of one expression.
pub fn dump_expr(expr: &Expr) -> String {
    let mut d = Dumper::default();
    d.expr(expr);
    d.out
}

/// Whether two modules are the same program: equal ASTs, ignoring ranges, spellings and comments.
pub fn same_ast(a: &ModModule, b: &ModModule) -> bool {
    dump(a) == dump(b)
}

#[derive(Default)]
struct Dumper {
    out: String,
}

/// Separates the fields of one node: `Name(` … `, ` … `)`.
struct Node {
    first: bool,
}

impl Dumper {
    fn open(&mut self, name: &str) -> Node {
        self.out.push_str(name);
        self.out.push('(');
        Node { first: true }
    }

    fn field(&mut self, node: &mut Node, name: &str) {
        if !node.first {
            self.out.push_str(", ");
        }
        node.first = false;
        self.out.push_str(name);
        self.out.push('=');
    }

    fn close(&mut self) {
        self.out.push(')');
    }

    fn list<T>(&mut self, items: &[T], mut each: impl FnMut(&mut Self, &T)) {
        self.out.push('[');
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                self.out.push_str(", ");
            }
            each(self, item);
        }
        self.out.push(']');
    }

    fn stmts(&mut self, body: &[Stmt]) {
        self.list(body, |d, s| d.stmt(s));
    }

    fn exprs(&mut self, items: &[Expr]) {
        self.list(items, |d, e| d.expr(e));
    }

    fn str_value(&mut self, s: &str) {
        self.out.push_str(&PyStr::from(s).repr());
    }

    fn ident(&mut self, node: &mut Node, name: &str, id: &Identifier) {
        self.field(node, name);
        self.str_value(&id.id);
    }

    fn opt_ident(&mut self, node: &mut Node, name: &str, id: &Option<Identifier>) {
        if let Some(id) = id {
            self.ident(node, name, id);
        }
    }

    fn expr_field(&mut self, node: &mut Node, name: &str, e: &Expr) {
        self.field(node, name);
        self.expr(e);
    }

    fn opt_expr_field(&mut self, node: &mut Node, name: &str, e: &Option<Box<Expr>>) {
        if let Some(e) = e {
            self.expr_field(node, name, e);
        }
    }

    fn exprs_field(&mut self, node: &mut Node, name: &str, items: &[Expr]) {
        self.field(node, name);
        self.exprs(items);
    }

    fn body_field(&mut self, node: &mut Node, name: &str, body: &[Stmt]) {
        self.field(node, name);
        self.stmts(body);
    }

    fn raw_field(&mut self, node: &mut Node, name: &str, value: &str) {
        self.field(node, name);
        self.out.push_str(value);
    }

    fn type_params_field(&mut self, node: &mut Node, params: &[TypeParam]) {
        if !params.is_empty() {
            self.field(node, "type_params");
            self.list(params, |d, p| d.type_param(p));
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.stmt_inner(stmt))
    }

    fn stmt_inner(&mut self, stmt: &Stmt) {
        match stmt {
            Stmt::FunctionDef(s) => {
                let mut n = self.open(if s.is_async {
                    "AsyncFunctionDef"
                } else {
                    "FunctionDef"
                });
                self.ident(&mut n, "name", &s.name);
                self.field(&mut n, "args");
                self.arguments(&s.args);
                self.body_field(&mut n, "body", &s.body);
                self.exprs_field(&mut n, "decorator_list", &s.decorator_list);
                self.opt_expr_field(&mut n, "returns", &s.returns);
                self.type_params_field(&mut n, &s.type_params);
            }
            Stmt::ClassDef(s) => {
                let mut n = self.open("ClassDef");
                self.ident(&mut n, "name", &s.name);
                self.exprs_field(&mut n, "bases", &s.bases);
                self.field(&mut n, "keywords");
                self.list(&s.keywords, |d, k| d.keyword(k));
                self.body_field(&mut n, "body", &s.body);
                self.exprs_field(&mut n, "decorator_list", &s.decorator_list);
                self.type_params_field(&mut n, &s.type_params);
            }
            Stmt::Return(s) => {
                let mut n = self.open("Return");
                self.opt_expr_field(&mut n, "value", &s.value);
            }
            Stmt::Delete(s) => {
                let mut n = self.open("Delete");
                self.exprs_field(&mut n, "targets", &s.targets);
            }
            Stmt::Assign(s) => {
                let mut n = self.open("Assign");
                self.exprs_field(&mut n, "targets", &s.targets);
                self.expr_field(&mut n, "value", &s.value);
            }
            Stmt::TypeAlias(s) => {
                let mut n = self.open("TypeAlias");
                self.expr_field(&mut n, "name", &s.name);
                self.field(&mut n, "type_params");
                self.list(&s.type_params, |d, p| d.type_param(p));
                self.expr_field(&mut n, "value", &s.value);
            }
            Stmt::AugAssign(s) => {
                let mut n = self.open("AugAssign");
                self.expr_field(&mut n, "target", &s.target);
                self.raw_field(&mut n, "op", &format!("{}()", operator_name(s.op)));
                self.expr_field(&mut n, "value", &s.value);
            }
            Stmt::AnnAssign(s) => {
                let mut n = self.open("AnnAssign");
                self.expr_field(&mut n, "target", &s.target);
                self.expr_field(&mut n, "annotation", &s.annotation);
                self.opt_expr_field(&mut n, "value", &s.value);
                self.raw_field(&mut n, "simple", if s.simple { "1" } else { "0" });
            }
            Stmt::For(s) => {
                let mut n = self.open(if s.is_async { "AsyncFor" } else { "For" });
                self.expr_field(&mut n, "target", &s.target);
                self.expr_field(&mut n, "iter", &s.iter);
                self.body_field(&mut n, "body", &s.body);
                self.body_field(&mut n, "orelse", &s.orelse);
            }
            Stmt::While(s) => {
                let mut n = self.open("While");
                self.expr_field(&mut n, "test", &s.test);
                self.body_field(&mut n, "body", &s.body);
                self.body_field(&mut n, "orelse", &s.orelse);
            }
            Stmt::If(s) => {
                let mut n = self.open("If");
                self.expr_field(&mut n, "test", &s.test);
                self.body_field(&mut n, "body", &s.body);
                self.body_field(&mut n, "orelse", &s.orelse);
            }
            Stmt::With(s) => {
                let mut n = self.open(if s.is_async { "AsyncWith" } else { "With" });
                self.field(&mut n, "items");
                self.list(&s.items, |d, item| {
                    let mut n = d.open("withitem");
                    d.expr_field(&mut n, "context_expr", &item.context_expr);
                    d.opt_expr_field(&mut n, "optional_vars", &item.optional_vars);
                    d.close();
                });
                self.body_field(&mut n, "body", &s.body);
            }
            Stmt::Match(s) => {
                let mut n = self.open("Match");
                self.expr_field(&mut n, "subject", &s.subject);
                self.field(&mut n, "cases");
                self.list(&s.cases, |d, case| {
                    let mut n = d.open("match_case");
                    d.field(&mut n, "pattern");
                    d.pattern(&case.pattern);
                    d.opt_expr_field(&mut n, "guard", &case.guard);
                    d.body_field(&mut n, "body", &case.body);
                    d.close();
                });
            }
            Stmt::Raise(s) => {
                let mut n = self.open("Raise");
                self.opt_expr_field(&mut n, "exc", &s.exc);
                self.opt_expr_field(&mut n, "cause", &s.cause);
            }
            Stmt::Try(s) => {
                let mut n = self.open(if s.is_star { "TryStar" } else { "Try" });
                self.body_field(&mut n, "body", &s.body);
                self.field(&mut n, "handlers");
                self.list(&s.handlers, |d, h| {
                    let mut n = d.open("ExceptHandler");
                    d.opt_expr_field(&mut n, "type", &h.type_);
                    d.opt_ident(&mut n, "name", &h.name);
                    d.body_field(&mut n, "body", &h.body);
                    d.close();
                });
                self.body_field(&mut n, "orelse", &s.orelse);
                self.body_field(&mut n, "finalbody", &s.finalbody);
            }
            Stmt::Assert(s) => {
                let mut n = self.open("Assert");
                self.expr_field(&mut n, "test", &s.test);
                self.opt_expr_field(&mut n, "msg", &s.msg);
            }
            Stmt::Import(s) => {
                let mut n = self.open("Import");
                self.aliases_field(&mut n, &s.names);
            }
            Stmt::ImportFrom(s) => {
                let mut n = self.open("ImportFrom");
                self.opt_ident(&mut n, "module", &s.module);
                self.aliases_field(&mut n, &s.names);
                self.raw_field(&mut n, "level", &s.level.to_string());
            }
            Stmt::Global(s) => {
                let mut n = self.open("Global");
                self.names_field(&mut n, &s.names);
            }
            Stmt::Nonlocal(s) => {
                let mut n = self.open("Nonlocal");
                self.names_field(&mut n, &s.names);
            }
            Stmt::Expr(s) => {
                let mut n = self.open("Expr");
                self.expr_field(&mut n, "value", &s.value);
            }
            Stmt::Pass(_) => {
                self.open("Pass");
            }
            Stmt::Break(_) => {
                self.open("Break");
            }
            Stmt::Continue(_) => {
                self.open("Continue");
            }
        }
        self.close();
    }

    fn aliases_field(&mut self, n: &mut Node, names: &[Alias]) {
        self.field(n, "names");
        self.list(names, |d, a| {
            let mut n = d.open("alias");
            d.ident(&mut n, "name", &a.name);
            d.opt_ident(&mut n, "asname", &a.asname);
            d.close();
        });
    }

    fn names_field(&mut self, n: &mut Node, names: &[Identifier]) {
        self.field(n, "names");
        self.list(names, |d, id| d.str_value(&id.id));
    }

    fn keyword(&mut self, k: &Keyword) {
        let mut n = self.open("keyword");
        self.opt_ident(&mut n, "arg", &k.arg);
        self.expr_field(&mut n, "value", &k.value);
        self.close();
    }

    fn arguments(&mut self, a: &Arguments) {
        let mut n = self.open("arguments");
        self.field(&mut n, "posonlyargs");
        self.list(&a.posonlyargs, |d, arg| d.arg(arg));
        self.field(&mut n, "args");
        self.list(&a.args, |d, arg| d.arg(arg));
        if let Some(v) = &a.vararg {
            self.field(&mut n, "vararg");
            self.arg(v);
        }
        self.field(&mut n, "kwonlyargs");
        self.list(&a.kwonlyargs, |d, arg| d.arg(arg));
        self.field(&mut n, "kw_defaults");
        self.list(&a.kw_defaults, |d, e| match e {
            Some(e) => d.expr(e),
            None => d.out.push_str("None"),
        });
        if let Some(k) = &a.kwarg {
            self.field(&mut n, "kwarg");
            self.arg(k);
        }
        self.exprs_field(&mut n, "defaults", &a.defaults);
        self.close();
    }

    fn arg(&mut self, a: &Arg) {
        let mut n = self.open("arg");
        self.ident(&mut n, "arg", &a.arg);
        self.opt_expr_field(&mut n, "annotation", &a.annotation);
        self.close();
    }

    fn type_param(&mut self, p: &TypeParam) {
        match p {
            TypeParam::TypeVar(p) => {
                let mut n = self.open("TypeVar");
                self.ident(&mut n, "name", &p.name);
                self.opt_expr_field(&mut n, "bound", &p.bound);
                self.opt_expr_field(&mut n, "default_value", &p.default_value);
            }
            TypeParam::ParamSpec(p) => {
                let mut n = self.open("ParamSpec");
                self.ident(&mut n, "name", &p.name);
                self.opt_expr_field(&mut n, "default_value", &p.default_value);
            }
            TypeParam::TypeVarTuple(p) => {
                let mut n = self.open("TypeVarTuple");
                self.ident(&mut n, "name", &p.name);
                self.opt_expr_field(&mut n, "default_value", &p.default_value);
            }
        }
        self.close();
    }

    fn ctx_field(&mut self, n: &mut Node, ctx: ExprContext) {
        let name = match ctx {
            ExprContext::Load => "Load()",
            ExprContext::Store => "Store()",
            ExprContext::Del => "Del()",
        };
        self.raw_field(n, "ctx", name);
    }

    fn comprehension(&mut self, c: &Comprehension) {
        let mut n = self.open("comprehension");
        self.expr_field(&mut n, "target", &c.target);
        self.expr_field(&mut n, "iter", &c.iter);
        self.exprs_field(&mut n, "ifs", &c.ifs);
        self.raw_field(&mut n, "is_async", if c.is_async { "1" } else { "0" });
        self.close();
    }

    fn generators_field(&mut self, n: &mut Node, generators: &[Comprehension]) {
        self.field(n, "generators");
        self.list(generators, |d, c| d.comprehension(c));
    }

    fn expr(&mut self, expr: &Expr) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.expr_inner(expr))
    }

    fn expr_inner(&mut self, expr: &Expr) {
        match expr {
            Expr::BoolOp(e) => {
                let mut n = self.open("BoolOp");
                let op = match e.op {
                    BoolOp::And => "And()",
                    BoolOp::Or => "Or()",
                };
                self.raw_field(&mut n, "op", op);
                self.exprs_field(&mut n, "values", &e.values);
            }
            Expr::NamedExpr(e) => {
                let mut n = self.open("NamedExpr");
                self.expr_field(&mut n, "target", &e.target);
                self.expr_field(&mut n, "value", &e.value);
            }
            Expr::BinOp(e) => {
                let mut n = self.open("BinOp");
                self.expr_field(&mut n, "left", &e.left);
                self.raw_field(&mut n, "op", &format!("{}()", operator_name(e.op)));
                self.expr_field(&mut n, "right", &e.right);
            }
            Expr::UnaryOp(e) => {
                let mut n = self.open("UnaryOp");
                let op = match e.op {
                    UnaryOp::Invert => "Invert()",
                    UnaryOp::Not => "Not()",
                    UnaryOp::UAdd => "UAdd()",
                    UnaryOp::USub => "USub()",
                };
                self.raw_field(&mut n, "op", op);
                self.expr_field(&mut n, "operand", &e.operand);
            }
            Expr::Lambda(e) => {
                let mut n = self.open("Lambda");
                self.field(&mut n, "args");
                self.arguments(&e.args);
                self.expr_field(&mut n, "body", &e.body);
            }
            Expr::IfExp(e) => {
                let mut n = self.open("IfExp");
                self.expr_field(&mut n, "test", &e.test);
                self.expr_field(&mut n, "body", &e.body);
                self.expr_field(&mut n, "orelse", &e.orelse);
            }
            Expr::Dict(e) => {
                let mut n = self.open("Dict");
                self.field(&mut n, "keys");
                self.list(&e.keys, |d, k| match k {
                    Some(k) => d.expr(k),
                    None => d.out.push_str("None"),
                });
                self.exprs_field(&mut n, "values", &e.values);
            }
            Expr::Set(e) => {
                let mut n = self.open("Set");
                self.exprs_field(&mut n, "elts", &e.elts);
            }
            Expr::ListComp(e) => {
                let mut n = self.open("ListComp");
                self.expr_field(&mut n, "elt", &e.elt);
                self.generators_field(&mut n, &e.generators);
            }
            Expr::SetComp(e) => {
                let mut n = self.open("SetComp");
                self.expr_field(&mut n, "elt", &e.elt);
                self.generators_field(&mut n, &e.generators);
            }
            Expr::DictComp(e) => {
                let mut n = self.open("DictComp");
                self.expr_field(&mut n, "key", &e.key);
                self.expr_field(&mut n, "value", &e.value);
                self.generators_field(&mut n, &e.generators);
            }
            Expr::GeneratorExp(e) => {
                let mut n = self.open("GeneratorExp");
                self.expr_field(&mut n, "elt", &e.elt);
                self.generators_field(&mut n, &e.generators);
            }
            Expr::Await(e) => {
                let mut n = self.open("Await");
                self.expr_field(&mut n, "value", &e.value);
            }
            Expr::Yield(e) => {
                let mut n = self.open("Yield");
                self.opt_expr_field(&mut n, "value", &e.value);
            }
            Expr::YieldFrom(e) => {
                let mut n = self.open("YieldFrom");
                self.expr_field(&mut n, "value", &e.value);
            }
            Expr::Compare(e) => {
                let mut n = self.open("Compare");
                self.expr_field(&mut n, "left", &e.left);
                self.field(&mut n, "ops");
                self.list(&e.ops, |d, op| {
                    d.out.push_str(cmpop_name(*op));
                    d.out.push_str("()");
                });
                self.exprs_field(&mut n, "comparators", &e.comparators);
            }
            Expr::Call(e) => {
                let mut n = self.open("Call");
                self.expr_field(&mut n, "func", &e.func);
                self.exprs_field(&mut n, "args", &e.args);
                self.field(&mut n, "keywords");
                self.list(&e.keywords, |d, k| d.keyword(k));
            }
            Expr::FString(e) => {
                self.joined_str(&joined_values(e));
                return;
            }
            Expr::Constant(e) => {
                let mut n = self.open("Constant");
                self.field(&mut n, "value");
                self.constant(&e.value);
                if let Some(kind) = &e.kind {
                    self.field(&mut n, "kind");
                    self.str_value(kind);
                }
            }
            Expr::Attribute(e) => {
                let mut n = self.open("Attribute");
                self.expr_field(&mut n, "value", &e.value);
                self.ident(&mut n, "attr", &e.attr);
                self.ctx_field(&mut n, e.ctx);
            }
            Expr::Subscript(e) => {
                let mut n = self.open("Subscript");
                self.expr_field(&mut n, "value", &e.value);
                self.expr_field(&mut n, "slice", &e.slice);
                self.ctx_field(&mut n, e.ctx);
            }
            Expr::Starred(e) => {
                let mut n = self.open("Starred");
                self.expr_field(&mut n, "value", &e.value);
                self.ctx_field(&mut n, e.ctx);
            }
            Expr::Name(e) => {
                let mut n = self.open("Name");
                self.field(&mut n, "id");
                self.str_value(&e.id);
                self.ctx_field(&mut n, e.ctx);
            }
            Expr::List(e) => {
                let mut n = self.open("List");
                self.exprs_field(&mut n, "elts", &e.elts);
                self.ctx_field(&mut n, e.ctx);
            }
            Expr::Tuple(e) => {
                let mut n = self.open("Tuple");
                self.exprs_field(&mut n, "elts", &e.elts);
                self.ctx_field(&mut n, e.ctx);
            }
            Expr::Slice(e) => {
                let mut n = self.open("Slice");
                self.opt_expr_field(&mut n, "lower", &e.lower);
                self.opt_expr_field(&mut n, "upper", &e.upper);
                self.opt_expr_field(&mut n, "step", &e.step);
            }
        }
        self.close();
    }

    fn constant(&mut self, value: &Constant) {
        match value {
            Constant::None => self.out.push_str("None"),
            Constant::True => self.out.push_str("True"),
            Constant::False => self.out.push_str("False"),
            Constant::Ellipsis => self.out.push_str("Ellipsis"),
            Constant::Int(i) => write!(self.out, "{i}").unwrap(),
            Constant::Float(f) => self.out.push_str(&float_repr(*f)),
            Constant::Complex { imag } => {
                self.out.push_str(&float_repr_no_dot_zero(*imag));
                self.out.push('j');
            }
            Constant::Str(s) => self.out.push_str(&s.repr()),
            Constant::Bytes(b) => self.out.push_str(&bytes_repr(b)),
        }
    }

    fn joined_str(&mut self, values: &[Joined<'_>]) {
        let mut n = self.open("JoinedStr");
        self.field(&mut n, "values");
        self.list(values, |d, v| match v {
            Joined::Constant { value, kind_u } => {
                d.out.push_str("Constant(value=");
                d.out.push_str(&value.repr());
                if *kind_u {
                    d.out.push_str(", kind='u'");
                }
                d.out.push(')');
            }
            Joined::Formatted {
                value,
                conversion,
                format_spec,
            } => {
                let mut n = d.open("FormattedValue");
                d.expr_field(&mut n, "value", value);
                d.raw_field(&mut n, "conversion", &conversion.to_string());
                if let Some(spec) = format_spec {
                    d.field(&mut n, "format_spec");
                    d.joined_str(spec);
                }
                d.close();
            }
        });
        self.close();
    }

    fn pattern(&mut self, p: &Pattern) {
        stacker::maybe_grow(64 * 1024, 1024 * 1024, || self.pattern_inner(p))
    }

    fn pattern_inner(&mut self, p: &Pattern) {
        match p {
            Pattern::MatchValue(p) => {
                let mut n = self.open("MatchValue");
                self.expr_field(&mut n, "value", &p.value);
            }
            Pattern::MatchSingleton(p) => {
                let mut n = self.open("MatchSingleton");
                self.field(&mut n, "value");
                self.constant(&p.value);
            }
            Pattern::MatchSequence(p) => {
                let mut n = self.open("MatchSequence");
                self.field(&mut n, "patterns");
                self.list(&p.patterns, |d, p| d.pattern(p));
            }
            Pattern::MatchMapping(p) => {
                let mut n = self.open("MatchMapping");
                self.exprs_field(&mut n, "keys", &p.keys);
                self.field(&mut n, "patterns");
                self.list(&p.patterns, |d, p| d.pattern(p));
                self.opt_ident(&mut n, "rest", &p.rest);
            }
            Pattern::MatchClass(p) => {
                let mut n = self.open("MatchClass");
                self.expr_field(&mut n, "cls", &p.cls);
                self.field(&mut n, "patterns");
                self.list(&p.patterns, |d, p| d.pattern(p));
                self.field(&mut n, "kwd_attrs");
                self.list(&p.kwd_attrs, |d, id| d.str_value(&id.id));
                self.field(&mut n, "kwd_patterns");
                self.list(&p.kwd_patterns, |d, p| d.pattern(p));
            }
            Pattern::MatchStar(p) => {
                let mut n = self.open("MatchStar");
                self.opt_ident(&mut n, "name", &p.name);
            }
            Pattern::MatchAs(p) => {
                let mut n = self.open("MatchAs");
                if let Some(inner) = &p.pattern {
                    self.field(&mut n, "pattern");
                    self.pattern(inner);
                }
                self.opt_ident(&mut n, "name", &p.name);
            }
            Pattern::MatchOr(p) => {
                let mut n = self.open("MatchOr");
                self.field(&mut n, "patterns");
                self.list(&p.patterns, |d, p| d.pattern(p));
            }
        }
        self.close();
    }
}

/// One entry of CPython 3.11's `JoinedStr.values`.
enum Joined<'a> {
    Constant {
        value: PyStr,
        kind_u: bool,
    },
    Formatted {
        value: &'a Expr,
        conversion: i32,
        format_spec: Option<Vec<Joined<'a>>>,
    },
}

/// CPython 3.11's view of an f-string: adjacent literal text merged into one `Constant`, empty
/// text dropped, `{x=}` turned into the constant `"x="` plus a field with `!r` by default.
fn joined_values(e: &ExprFString) -> Vec<Joined<'_>> {
    let kind_u = match e.parts.first() {
        Some(FStringPart::Literal(lit)) => lit.spelling.as_ref().is_some_and(|s| &*s.prefix == "u"),
        _ => false,
    };
    let mut out = Joined::builder(kind_u);
    for part in &e.parts {
        match part {
            FStringPart::Literal(lit) => out.text(&lit.value),
            FStringPart::FString(f) => out.elements(&f.elements),
        }
    }
    out.finish()
}

struct JoinedBuilder<'a> {
    values: Vec<Joined<'a>>,
    pending: PyStr,
    kind_u: bool,
}

impl<'a> Joined<'a> {
    fn builder(kind_u: bool) -> JoinedBuilder<'a> {
        JoinedBuilder {
            values: Vec::new(),
            pending: PyStr::default(),
            kind_u,
        }
    }
}

impl<'a> JoinedBuilder<'a> {
    fn text(&mut self, s: &PyStr) {
        self.pending.push_py_str(s);
    }

    fn flush(&mut self) {
        if !self.pending.is_empty() {
            let value = std::mem::take(&mut self.pending);
            self.values.push(Joined::Constant {
                value,
                kind_u: self.kind_u,
            });
        }
    }

    fn elements(&mut self, elements: &'a [FStringElement]) {
        for element in elements {
            match element {
                FStringElement::Literal(lit) => self.text(&lit.value),
                FStringElement::Field(field) => {
                    if let Some(debug) = &field.debug_text {
                        self.pending.push_str(debug);
                    }
                    self.flush();
                    let conversion = match field.conversion {
                        Conversion::None
                            if field.debug_text.is_some() && field.format_spec.is_none() =>
                        {
                            'r' as i32
                        }
                        Conversion::None => -1,
                        Conversion::Str => 's' as i32,
                        Conversion::Repr => 'r' as i32,
                        Conversion::Ascii => 'a' as i32,
                    };
                    let format_spec = field.format_spec.as_ref().map(|spec| {
                        let mut inner = Joined::builder(false);
                        inner.elements(spec);
                        inner.finish()
                    });
                    self.values.push(Joined::Formatted {
                        value: &field.expression,
                        conversion,
                        format_spec,
                    });
                }
            }
        }
    }

    fn finish(mut self) -> Vec<Joined<'a>> {
        self.flush();
        self.values
    }
}

pub fn operator_name(op: Operator) -> &'static str {
    match op {
        Operator::Add => "Add",
        Operator::Sub => "Sub",
        Operator::Mult => "Mult",
        Operator::MatMult => "MatMult",
        Operator::Div => "Div",
        Operator::Mod => "Mod",
        Operator::Pow => "Pow",
        Operator::LShift => "LShift",
        Operator::RShift => "RShift",
        Operator::BitOr => "BitOr",
        Operator::BitXor => "BitXor",
        Operator::BitAnd => "BitAnd",
        Operator::FloorDiv => "FloorDiv",
    }
}

pub fn cmpop_name(op: CmpOp) -> &'static str {
    match op {
        CmpOp::Eq => "Eq",
        CmpOp::NotEq => "NotEq",
        CmpOp::Lt => "Lt",
        CmpOp::LtE => "LtE",
        CmpOp::Gt => "Gt",
        CmpOp::GtE => "GtE",
        CmpOp::Is => "Is",
        CmpOp::IsNot => "IsNot",
        CmpOp::In => "In",
        CmpOp::NotIn => "NotIn",
    }
}

/// Python's `repr(float)`: shortest round-trip digits, exponent form outside `1e-4 <= |x| < 1e16`.
pub fn float_repr(x: f64) -> String {
    format_float(x, true)
}

/// The imaginary part as `repr(complex)` writes it: like `repr(float)` but `1j`, not `1.0j`.
fn float_repr_no_dot_zero(x: f64) -> String {
    format_float(x, false)
}

fn format_float(x: f64, add_dot_zero: bool) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    let sign = if x.is_sign_negative() { "-" } else { "" };
    // `{:e}` gives the shortest round-trip digits: "1.5e-5", "1e16", "0e0". Where two digit
    // strings of that length both round-trip, Python takes the one nearest the exact value,
    // ties to even; the exact `{:.N e}` rounding gives that one.
    let shortest = format!("{:e}", x.abs());
    let significant = shortest
        .split('e')
        .next()
        .map_or(1, |m| m.len() - usize::from(m.contains('.')));
    let nearest = format!("{:.*e}", significant - 1, x.abs());
    let sci = if nearest.parse::<f64>() == Ok(x.abs()) {
        nearest
    } else {
        shortest
    };
    let (mantissa, exp) = sci
        .split_once('e')
        .expect("`{:e}` always writes an exponent");
    let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
    let exp: i32 = exp.parse().expect("`{:e}` writes an integer exponent");
    let decpt = exp + 1;
    let body = if !(-3..=16).contains(&decpt) {
        let (first, rest) = digits.split_at(1);
        let frac = if rest.is_empty() {
            String::new()
        } else {
            format!(".{rest}")
        };
        let e = decpt - 1;
        format!(
            "{first}{frac}e{}{:02}",
            if e < 0 { '-' } else { '+' },
            e.abs()
        )
    } else if decpt <= 0 {
        format!("0.{}{digits}", "0".repeat((-decpt) as usize))
    } else if decpt as usize >= digits.len() {
        let zeros = "0".repeat(decpt as usize - digits.len());
        if add_dot_zero {
            format!("{digits}{zeros}.0")
        } else {
            format!("{digits}{zeros}")
        }
    } else {
        let (int, frac) = digits.split_at(decpt as usize);
        format!("{int}.{frac}")
    };
    format!("{sign}{body}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float_repr_matches_cpython() {
        for (x, want) in [
            (1e16, "1e+16"),
            (1e15, "1000000000000000.0"),
            (1.5e-5, "1.5e-05"),
            (0.0001, "0.0001"),
            (0.1, "0.1"),
            (0.0, "0.0"),
            (123.456, "123.456"),
            (1e300, "1e+300"),
            (2.5e-310, "2.5e-310"),
            (f64::INFINITY, "inf"),
            (5e-324, "5e-324"),
            (1.7976931348623157e308, "1.7976931348623157e+308"),
        ] {
            assert_eq!(float_repr(x), want, "repr({x:e})");
        }
        // Two 17-digit strings round-trip here; Python takes the nearer, ties to even.
        let tie: f64 = "1429035198630573.2463".parse().unwrap();
        assert_eq!(float_repr(tie), "1429035198630573.2");
        assert_eq!(float_repr_no_dot_zero(1.0), "1");
        assert_eq!(float_repr_no_dot_zero(1e16), "1e+16");
        assert_eq!(float_repr_no_dot_zero(0.5), "0.5");
    }
}
