//! Random trees print to Python that parses back to the same tree.
//! `PROPTEST_CASES=10000 cargo test -p simpy-codegen --test properties` runs more cases.

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

fn module() -> impl Strategy<Value = ModModule> {
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

proptest! {
    #[test]
    fn printed_trees_parse_back_to_themselves(module in module()) {
        let printed = simpy_codegen::print_python(&module, &Comments::default());
        let parsed = simpy_python::parse_str(&printed)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{printed}")))?;
        prop_assert_eq!(simpy_ast::dump(&parsed.module), simpy_ast::dump(&module), "printed:\n{}", printed);
    }
}
