//! A read-only walk over the tree: override the `visit_*` methods you care about and call the
//! matching `walk_*` function inside them to keep descending.

use crate::nodes::*;

pub trait Visitor<'a> {
    fn visit_stmt(&mut self, stmt: &'a Stmt) {
        walk_stmt(self, stmt);
    }

    fn visit_expr(&mut self, expr: &'a Expr) {
        walk_expr(self, expr);
    }

    fn visit_pattern(&mut self, pattern: &'a Pattern) {
        walk_pattern(self, pattern);
    }
}

pub fn walk_module<'a, V: Visitor<'a> + ?Sized>(v: &mut V, module: &'a ModModule) {
    walk_body(v, &module.body);
}

fn walk_body<'a, V: Visitor<'a> + ?Sized>(v: &mut V, body: &'a [Stmt]) {
    for stmt in body {
        v.visit_stmt(stmt);
    }
}

fn walk_exprs<'a, V: Visitor<'a> + ?Sized>(v: &mut V, exprs: &'a [Expr]) {
    for expr in exprs {
        v.visit_expr(expr);
    }
}

fn walk_opt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, expr: &'a Option<Box<Expr>>) {
    if let Some(e) = expr {
        v.visit_expr(e);
    }
}

fn walk_arguments<'a, V: Visitor<'a> + ?Sized>(v: &mut V, args: &'a Arguments) {
    let all = args
        .posonlyargs
        .iter()
        .chain(&args.args)
        .chain(args.vararg.as_deref())
        .chain(&args.kwonlyargs);
    for arg in all.chain(args.kwarg.as_deref()) {
        walk_opt(v, &arg.annotation);
    }
    walk_exprs(v, &args.defaults);
    for default in args.kw_defaults.iter().flatten() {
        v.visit_expr(default);
    }
}

fn walk_type_params<'a, V: Visitor<'a> + ?Sized>(v: &mut V, params: &'a [TypeParam]) {
    for param in params {
        match param {
            TypeParam::TypeVar(t) => {
                walk_opt(v, &t.bound);
                walk_opt(v, &t.default_value);
            }
            TypeParam::ParamSpec(p) => walk_opt(v, &p.default_value),
            TypeParam::TypeVarTuple(p) => walk_opt(v, &p.default_value),
        }
    }
}

pub fn walk_stmt<'a, V: Visitor<'a> + ?Sized>(v: &mut V, stmt: &'a Stmt) {
    match stmt {
        Stmt::FunctionDef(s) => {
            walk_exprs(v, &s.decorator_list);
            walk_type_params(v, &s.type_params);
            walk_arguments(v, &s.args);
            walk_opt(v, &s.returns);
            walk_body(v, &s.body);
        }
        Stmt::ClassDef(s) => {
            walk_exprs(v, &s.decorator_list);
            walk_type_params(v, &s.type_params);
            walk_exprs(v, &s.bases);
            for k in &s.keywords {
                v.visit_expr(&k.value);
            }
            walk_body(v, &s.body);
        }
        Stmt::Return(s) => walk_opt(v, &s.value),
        Stmt::Delete(s) => walk_exprs(v, &s.targets),
        Stmt::Assign(s) => {
            walk_exprs(v, &s.targets);
            v.visit_expr(&s.value);
        }
        Stmt::TypeAlias(s) => {
            v.visit_expr(&s.name);
            walk_type_params(v, &s.type_params);
            v.visit_expr(&s.value);
        }
        Stmt::AugAssign(s) => {
            v.visit_expr(&s.target);
            v.visit_expr(&s.value);
        }
        Stmt::AnnAssign(s) => {
            v.visit_expr(&s.target);
            v.visit_expr(&s.annotation);
            walk_opt(v, &s.value);
        }
        Stmt::For(s) => {
            v.visit_expr(&s.target);
            v.visit_expr(&s.iter);
            walk_body(v, &s.body);
            walk_body(v, &s.orelse);
        }
        Stmt::While(s) => {
            v.visit_expr(&s.test);
            walk_body(v, &s.body);
            walk_body(v, &s.orelse);
        }
        Stmt::If(s) => {
            v.visit_expr(&s.test);
            walk_body(v, &s.body);
            walk_body(v, &s.orelse);
        }
        Stmt::With(s) => {
            for item in &s.items {
                v.visit_expr(&item.context_expr);
                walk_opt(v, &item.optional_vars);
            }
            walk_body(v, &s.body);
        }
        Stmt::Match(s) => {
            v.visit_expr(&s.subject);
            for case in &s.cases {
                v.visit_pattern(&case.pattern);
                walk_opt(v, &case.guard);
                walk_body(v, &case.body);
            }
        }
        Stmt::Raise(s) => {
            walk_opt(v, &s.exc);
            walk_opt(v, &s.cause);
        }
        Stmt::Try(s) => {
            walk_body(v, &s.body);
            for h in &s.handlers {
                walk_opt(v, &h.type_);
                walk_body(v, &h.body);
            }
            walk_body(v, &s.orelse);
            walk_body(v, &s.finalbody);
        }
        Stmt::Assert(s) => {
            v.visit_expr(&s.test);
            walk_opt(v, &s.msg);
        }
        Stmt::Expr(s) => v.visit_expr(&s.value),
        Stmt::Import(_)
        | Stmt::ImportFrom(_)
        | Stmt::Global(_)
        | Stmt::Nonlocal(_)
        | Stmt::Pass(_)
        | Stmt::Break(_)
        | Stmt::Continue(_) => {}
    }
}

fn walk_generators<'a, V: Visitor<'a> + ?Sized>(v: &mut V, generators: &'a [Comprehension]) {
    for g in generators {
        v.visit_expr(&g.target);
        v.visit_expr(&g.iter);
        walk_exprs(v, &g.ifs);
    }
}

fn walk_fstring_elements<'a, V: Visitor<'a> + ?Sized>(v: &mut V, elements: &'a [FStringElement]) {
    for element in elements {
        if let FStringElement::Field(field) = element {
            v.visit_expr(&field.expression);
            if let Some(spec) = &field.format_spec {
                walk_fstring_elements(v, spec);
            }
        }
    }
}

pub fn walk_expr<'a, V: Visitor<'a> + ?Sized>(v: &mut V, expr: &'a Expr) {
    match expr {
        Expr::BoolOp(e) => walk_exprs(v, &e.values),
        Expr::NamedExpr(e) => {
            v.visit_expr(&e.target);
            v.visit_expr(&e.value);
        }
        Expr::BinOp(e) => {
            v.visit_expr(&e.left);
            v.visit_expr(&e.right);
        }
        Expr::UnaryOp(e) => v.visit_expr(&e.operand),
        Expr::Lambda(e) => {
            walk_arguments(v, &e.args);
            v.visit_expr(&e.body);
        }
        Expr::IfExp(e) => {
            v.visit_expr(&e.test);
            v.visit_expr(&e.body);
            v.visit_expr(&e.orelse);
        }
        Expr::Dict(e) => {
            for (key, value) in e.keys.iter().zip(&e.values) {
                if let Some(k) = key {
                    v.visit_expr(k);
                }
                v.visit_expr(value);
            }
        }
        Expr::Set(e) => walk_exprs(v, &e.elts),
        Expr::ListComp(e) => {
            v.visit_expr(&e.elt);
            walk_generators(v, &e.generators);
        }
        Expr::SetComp(e) => {
            v.visit_expr(&e.elt);
            walk_generators(v, &e.generators);
        }
        Expr::DictComp(e) => {
            v.visit_expr(&e.key);
            v.visit_expr(&e.value);
            walk_generators(v, &e.generators);
        }
        Expr::GeneratorExp(e) => {
            v.visit_expr(&e.elt);
            walk_generators(v, &e.generators);
        }
        Expr::Await(e) => v.visit_expr(&e.value),
        Expr::Yield(e) => walk_opt(v, &e.value),
        Expr::YieldFrom(e) => v.visit_expr(&e.value),
        Expr::Compare(e) => {
            v.visit_expr(&e.left);
            walk_exprs(v, &e.comparators);
        }
        Expr::Call(e) => {
            v.visit_expr(&e.func);
            walk_exprs(v, &e.args);
            for k in &e.keywords {
                v.visit_expr(&k.value);
            }
        }
        Expr::FString(e) => {
            for part in &e.parts {
                if let FStringPart::FString(f) = part {
                    walk_fstring_elements(v, &f.elements);
                }
            }
        }
        Expr::Attribute(e) => v.visit_expr(&e.value),
        Expr::Subscript(e) => {
            v.visit_expr(&e.value);
            v.visit_expr(&e.slice);
        }
        Expr::Starred(e) => v.visit_expr(&e.value),
        Expr::List(e) => walk_exprs(v, &e.elts),
        Expr::Tuple(e) => walk_exprs(v, &e.elts),
        Expr::Slice(e) => {
            walk_opt(v, &e.lower);
            walk_opt(v, &e.upper);
            walk_opt(v, &e.step);
        }
        Expr::Constant(_) | Expr::Name(_) => {}
    }
}

pub fn walk_pattern<'a, V: Visitor<'a> + ?Sized>(v: &mut V, pattern: &'a Pattern) {
    match pattern {
        Pattern::MatchValue(p) => v.visit_expr(&p.value),
        Pattern::MatchSingleton(_) | Pattern::MatchStar(_) => {}
        Pattern::MatchSequence(p) => p.patterns.iter().for_each(|p| v.visit_pattern(p)),
        Pattern::MatchMapping(p) => {
            walk_exprs(v, &p.keys);
            p.patterns.iter().for_each(|p| v.visit_pattern(p));
        }
        Pattern::MatchClass(p) => {
            v.visit_expr(&p.cls);
            p.patterns
                .iter()
                .chain(&p.kwd_patterns)
                .for_each(|p| v.visit_pattern(p));
        }
        Pattern::MatchAs(p) => {
            if let Some(inner) = &p.pattern {
                v.visit_pattern(inner);
            }
        }
        Pattern::MatchOr(p) => p.patterns.iter().for_each(|p| v.visit_pattern(p)),
    }
}
