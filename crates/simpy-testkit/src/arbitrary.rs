//! Random trees for property tests: expressions of every kind, and statements that hold them,
//! with canonical spellings and empty ranges. Shared by the printers' and the facade's tests.

use num_bigint::BigInt;
use proptest::prelude::*;
use simpy_ast::*;

fn r() -> TextRange {
    TextRange::default()
}

fn ident(name: &str) -> Identifier {
    Identifier {
        range: r(),
        id: name.into(),
    }
}

fn name(id: &str) -> Expr {
    Expr::Name(ExprName {
        range: r(),
        id: id.into(),
        ctx: ExprContext::Load,
    })
}

fn constant(value: Constant) -> Expr {
    Expr::Constant(ExprConstant {
        range: r(),
        value,
        kind: None,
        spelling: Spelling::Canonical,
    })
}

fn leaf() -> impl Strategy<Value = Expr> {
    prop_oneof![
        prop::sample::select(vec!["a", "b", "c", "d"]).prop_map(name),
        (0u32..1000).prop_map(|i| constant(Constant::Int(BigInt::from(i)))),
        prop::sample::select(vec!["", "s", "it's", "\"q\"", "a\nb", "é"])
            .prop_map(|s| constant(Constant::Str(s.into()))),
        (0.0f64..1e20).prop_map(|f| constant(Constant::Float(f))),
        prop::sample::select(vec![
            Constant::None,
            Constant::True,
            Constant::False,
            Constant::Ellipsis
        ])
        .prop_map(constant),
    ]
}

fn operator() -> impl Strategy<Value = Operator> {
    prop::sample::select(vec![
        Operator::Add,
        Operator::Sub,
        Operator::Mult,
        Operator::MatMult,
        Operator::Div,
        Operator::Mod,
        Operator::Pow,
        Operator::LShift,
        Operator::RShift,
        Operator::BitOr,
        Operator::BitXor,
        Operator::BitAnd,
        Operator::FloorDiv,
    ])
}

fn cmpop() -> impl Strategy<Value = CmpOp> {
    prop::sample::select(vec![
        CmpOp::Eq,
        CmpOp::NotEq,
        CmpOp::Lt,
        CmpOp::LtE,
        CmpOp::Gt,
        CmpOp::GtE,
        CmpOp::Is,
        CmpOp::IsNot,
        CmpOp::In,
        CmpOp::NotIn,
    ])
}

fn starred(value: Expr) -> Expr {
    Expr::Starred(ExprStarred {
        range: r(),
        value: Box::new(value),
        ctx: ExprContext::Load,
    })
}

fn expr() -> impl Strategy<Value = Expr> {
    leaf().prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            (inner.clone(), operator(), inner.clone()).prop_map(|(left, op, right)| Expr::BinOp(
                ExprBinOp {
                    range: r(),
                    left: Box::new(left),
                    op,
                    right: Box::new(right),
                }
            )),
            (
                prop::sample::select(vec![
                    UnaryOp::Not,
                    UnaryOp::USub,
                    UnaryOp::UAdd,
                    UnaryOp::Invert
                ]),
                inner.clone()
            )
                .prop_map(|(op, operand)| Expr::UnaryOp(ExprUnaryOp {
                    range: r(),
                    op,
                    operand: Box::new(operand),
                })),
            (prop::bool::ANY, prop::collection::vec(inner.clone(), 2..4)).prop_map(
                |(and, values)| Expr::BoolOp(ExprBoolOp {
                    range: r(),
                    op: if and { BoolOp::And } else { BoolOp::Or },
                    values,
                })
            ),
            (
                inner.clone(),
                prop::collection::vec((cmpop(), inner.clone()), 1..3)
            )
                .prop_map(|(left, rest)| {
                    let (ops, comparators) = rest.into_iter().unzip();
                    Expr::Compare(ExprCompare {
                        range: r(),
                        left: Box::new(left),
                        ops,
                        comparators,
                    })
                }),
            (inner.clone(), inner.clone(), inner.clone()).prop_map(|(test, body, orelse)| {
                Expr::IfExp(ExprIfExp {
                    range: r(),
                    test: Box::new(test),
                    body: Box::new(body),
                    orelse: Box::new(orelse),
                })
            }),
            inner.clone().prop_map(|body| Expr::Lambda(ExprLambda {
                range: r(),
                args: Box::default(),
                body: Box::new(body),
            })),
            (
                inner.clone(),
                prop::collection::vec(inner.clone(), 0..3),
                prop::option::of(inner.clone())
            )
                .prop_map(|(func, args, keyword)| Expr::Call(ExprCall {
                    range: r(),
                    func: Box::new(func),
                    args,
                    keywords: keyword
                        .map(|value| Keyword {
                            range: r(),
                            arg: Some(ident("k")),
                            value,
                        })
                        .into_iter()
                        .collect(),
                })),
            inner
                .clone()
                .prop_map(|value| Expr::Attribute(ExprAttribute {
                    range: r(),
                    value: Box::new(value),
                    attr: ident("attr"),
                    ctx: ExprContext::Load,
                })),
            (inner.clone(), inner.clone()).prop_map(|(value, slice)| Expr::Subscript(
                ExprSubscript {
                    range: r(),
                    value: Box::new(value),
                    slice: Box::new(slice),
                    ctx: ExprContext::Load,
                }
            )),
            (
                prop::collection::vec(inner.clone(), 0..3),
                prop::option::of(inner.clone())
            )
                .prop_map(|(mut elts, star)| {
                    elts.extend(star.map(starred));
                    Expr::List(ExprList {
                        range: r(),
                        elts,
                        ctx: ExprContext::Load,
                    })
                }),
            (prop::collection::vec(inner.clone(), 0..3), prop::bool::ANY).prop_map(
                |(elts, parenthesized)| Expr::Tuple(ExprTuple {
                    range: r(),
                    elts,
                    ctx: ExprContext::Load,
                    parenthesized,
                })
            ),
            prop::collection::vec((inner.clone(), inner.clone()), 0..3).prop_map(|pairs| {
                let (keys, values): (Vec<_>, Vec<_>) =
                    pairs.into_iter().map(|(k, v)| (Some(k), v)).unzip();
                Expr::Dict(ExprDict {
                    range: r(),
                    keys,
                    values,
                })
            }),
            inner
                .clone()
                .prop_map(|value| Expr::NamedExpr(ExprNamedExpr {
                    range: r(),
                    target: Box::new(Expr::Name(ExprName {
                        range: r(),
                        id: "w".into(),
                        ctx: ExprContext::Store,
                    })),
                    value: Box::new(value),
                })),
            inner.clone().prop_map(|value| Expr::Await(ExprAwait {
                range: r(),
                value: Box::new(value),
            })),
            (inner.clone(), inner.clone()).prop_map(|(elt, iter)| Expr::ListComp(ExprListComp {
                range: r(),
                elt: Box::new(elt),
                generators: vec![Comprehension {
                    range: r(),
                    target: Expr::Name(ExprName {
                        range: r(),
                        id: "v".into(),
                        ctx: ExprContext::Store,
                    }),
                    iter,
                    ifs: Vec::new(),
                    is_async: false,
                }],
            })),
        ]
    })
}

/// A module of simple statements whose values are random expressions.
pub fn module() -> impl Strategy<Value = ModModule> {
    prop::collection::vec(
        (expr(), prop::bool::ANY).prop_map(|(value, assign)| {
            if assign {
                Stmt::Assign(StmtAssign {
                    range: r(),
                    targets: vec![Expr::Name(ExprName {
                        range: r(),
                        id: "x".into(),
                        ctx: ExprContext::Store,
                    })],
                    value: Box::new(value),
                })
            } else {
                Stmt::Expr(StmtExpr {
                    range: r(),
                    value: Box::new(value),
                })
            }
        }),
        1..4,
    )
    .prop_map(|body| ModModule { range: r(), body })
}

fn simple_statement() -> impl Strategy<Value = Stmt> {
    prop_oneof![
        expr().prop_map(|value| Stmt::Expr(StmtExpr {
            range: r(),
            value: Box::new(value),
        })),
        (target(), expr()).prop_map(|(target, value)| Stmt::Assign(StmtAssign {
            range: r(),
            targets: vec![target],
            value: Box::new(value),
        })),
        (operator(), expr()).prop_map(|(op, value)| Stmt::AugAssign(StmtAugAssign {
            range: r(),
            target: Box::new(store("x")),
            op,
            value: Box::new(value),
        })),
        prop::option::of(expr()).prop_map(|value| Stmt::Return(StmtReturn {
            range: r(),
            value: value.map(Box::new),
        })),
        Just(Stmt::Pass(r())),
        Just(Stmt::Break(r())),
        (expr(), prop::option::of(expr())).prop_map(|(test, msg)| Stmt::Assert(StmtAssert {
            range: r(),
            test: Box::new(test),
            msg: msg.map(Box::new),
        })),
    ]
}

fn store(id: &str) -> Expr {
    Expr::Name(ExprName {
        range: r(),
        id: id.into(),
        ctx: ExprContext::Store,
    })
}

fn target() -> impl Strategy<Value = Expr> {
    prop_oneof![
        Just(store("x")),
        Just(Expr::Tuple(ExprTuple {
            range: r(),
            elts: vec![store("x"), store("y")],
            ctx: ExprContext::Store,
            parenthesized: false,
        })),
        Just(Expr::Tuple(ExprTuple {
            range: r(),
            elts: vec![store("x")],
            ctx: ExprContext::Store,
            parenthesized: false,
        })),
    ]
}

fn plain_arguments(names: Vec<&'static str>) -> Arguments {
    Arguments {
        range: r(),
        posonlyargs: Vec::new(),
        args: names
            .into_iter()
            .map(|n| Arg {
                range: r(),
                arg: ident(n),
                annotation: None,
            })
            .collect(),
        vararg: None,
        kwonlyargs: Vec::new(),
        kw_defaults: Vec::new(),
        kwarg: None,
        defaults: Vec::new(),
    }
}

/// PEP 695 type parameters of every kind, distinct names; with `defaults`, PEP 696 defaults
/// too, any expression.
pub fn type_params(defaults: bool) -> impl Strategy<Value = Vec<TypeParam>> {
    let default = move || {
        prop::option::of(expr().prop_map(Box::new)).prop_map(move |d| d.filter(|_| defaults))
    };
    let one = prop_oneof![
        (prop::option::of(leaf().prop_map(Box::new)), default()).prop_map(
            |(bound, default_value)| TypeParam::TypeVar(TypeParamTypeVar {
                range: r(),
                name: ident("T"),
                bound,
                default_value,
            })
        ),
        default().prop_map(|default_value| TypeParam::ParamSpec(TypeParamParamSpec {
            range: r(),
            name: ident("P"),
            default_value,
        })),
        default().prop_map(
            |default_value| TypeParam::TypeVarTuple(TypeParamTypeVarTuple {
                range: r(),
                name: ident("Ts"),
                default_value,
            })
        ),
    ];
    prop::collection::vec(one, 0..4).prop_map(|params| {
        // Names must differ; a default may not be followed by a parameter without one.
        let mut seen_default = false;
        params
            .into_iter()
            .enumerate()
            .filter_map(|(i, mut p)| {
                let (name, default) = match &mut p {
                    TypeParam::TypeVar(t) => (&mut t.name, &t.default_value),
                    TypeParam::ParamSpec(t) => (&mut t.name, &t.default_value),
                    TypeParam::TypeVarTuple(t) => (&mut t.name, &t.default_value),
                };
                if seen_default && default.is_none() {
                    return None;
                }
                seen_default |= default.is_some();
                name.id = format!("{}{i}", name.id).into();
                Some(p)
            })
            .collect()
    })
}

/// Statements nested up to a few blocks deep: `if`, `while`, `for`, `def`, `class`, `with`,
/// `try`, and `type` aliases, with type parameters (PEP 696 defaults under `defaults`).
pub fn statement() -> impl Strategy<Value = Stmt> {
    statement_with(false)
}

/// [`statement`], with PEP 696 type-parameter defaults when `defaults` is set.
pub fn statement_with(defaults: bool) -> impl Strategy<Value = Stmt> {
    let alias = (type_params(defaults), leaf()).prop_map(|(type_params, value)| {
        Stmt::TypeAlias(StmtTypeAlias {
            range: r(),
            name: Box::new(store("X")),
            type_params,
            value: Box::new(value),
        })
    });
    prop_oneof![3 => statement_tree(defaults), 1 => alias]
}

/// Statements nested up to a few blocks deep: `if`, `while`, `for`, `def`, `with`, `try`.
fn statement_tree(defaults: bool) -> impl Strategy<Value = Stmt> {
    simple_statement().prop_recursive(3, 24, 3, move |inner| {
        let block = prop::collection::vec(inner, 1..3);
        prop_oneof![
            (
                expr(),
                block.clone(),
                prop::collection::vec(simple_statement(), 0..2)
            )
                .prop_map(|(test, body, orelse)| Stmt::If(StmtIf {
                    range: r(),
                    test: Box::new(test),
                    body,
                    orelse,
                })),
            (expr(), block.clone()).prop_map(|(test, body)| Stmt::While(StmtWhile {
                range: r(),
                test: Box::new(test),
                body,
                orelse: Vec::new(),
            })),
            (
                target(),
                expr(),
                block.clone(),
                prop::collection::vec(simple_statement(), 0..2)
            )
                .prop_map(|(target, iter, body, orelse)| Stmt::For(StmtFor {
                    range: r(),
                    is_async: false,
                    target: Box::new(target),
                    iter: Box::new(iter),
                    body,
                    orelse,
                })),
            (
                prop::sample::subsequence(vec!["a", "b", "c"], 0..3),
                block.clone(),
                prop::collection::vec(expr(), 0..2),
                type_params(defaults),
            )
                .prop_map(|(params, body, decorator_list, type_params)| {
                    Stmt::FunctionDef(StmtFunctionDef {
                        range: r(),
                        is_async: false,
                        decorator_list,
                        name: ident("f"),
                        type_params,
                        args: Box::new(plain_arguments(params)),
                        returns: None,
                        body,
                    })
                }),
            (
                block.clone(),
                prop::collection::vec(leaf(), 0..2),
                type_params(defaults)
            )
                .prop_map(|(body, bases, type_params)| {
                    Stmt::ClassDef(StmtClassDef {
                        range: r(),
                        decorator_list: Vec::new(),
                        name: ident("C"),
                        type_params,
                        bases,
                        keywords: Vec::new(),
                        body,
                    })
                }),
            (expr(), block.clone()).prop_map(|(context_expr, body)| Stmt::With(StmtWith {
                range: r(),
                is_async: false,
                items: vec![WithItem {
                    range: r(),
                    context_expr,
                    optional_vars: Some(Box::new(store("v"))),
                }],
                body,
            })),
            (block.clone(), block).prop_map(|(body, handler)| Stmt::Try(StmtTry {
                range: r(),
                is_star: false,
                body,
                handlers: vec![ExceptHandler {
                    range: r(),
                    type_: Some(Box::new(name("E"))),
                    name: Some(ident("e")),
                    body: handler,
                }],
                orelse: Vec::new(),
                finalbody: Vec::new(),
            })),
        ]
    })
}

/// A module of a few statements, compound ones included.
pub fn module_with_blocks() -> impl Strategy<Value = ModModule> {
    prop::collection::vec(statement(), 1..4).prop_map(|body| ModModule { range: r(), body })
}

/// [`module_with_blocks`] with PEP 696 type-parameter defaults.
pub fn module_with_type_param_defaults() -> impl Strategy<Value = ModModule> {
    prop::collection::vec(statement_with(true), 1..4)
        .prop_map(|body| ModModule { range: r(), body })
}
