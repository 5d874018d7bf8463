//! Random trees survive SimPy: printed as SimPy and parsed back, they are the same tree; and
//! decoded to Python, they are still the same tree.
//! `PROPTEST_CASES=10000 cargo test -p simpy --test properties` runs more cases.

use simpy_testkit::arbitrary;

use proptest::prelude::*;
use simpy_ast::{dump, Comments};

proptest! {
    #[test]
    fn simpy_of_a_tree_parses_back_to_it(module in arbitrary::module_with_blocks()) {
        let simpy = simpy_codegen::print_simpy(&module, &Comments::default());
        let parsed = simpy::parse_simpy(&simpy)
            .map_err(|e| TestCaseError::fail(format!("{e} at {:?}\n{simpy}", e.range)))?;
        prop_assert_eq!(dump(&parsed.module), dump(&module), "SimPy:\n{}", simpy);
        // The Python decoded from it means the same too.
        let python = simpy_codegen::print_python(&parsed.module, &parsed.comments);
        let reparsed = simpy_python::parse_str(&python)
            .map_err(|e| TestCaseError::fail(format!("{e}\nSimPy:\n{simpy}\nPython:\n{python}")))?;
        prop_assert_eq!(dump(&reparsed.module), dump(&module), "Python:\n{}", python);
    }
}

proptest! {
    /// PEP 696 defaults survive SimPy both ways, and the Python printer writes every one (the
    /// Python front end cannot parse them yet: tree-sitter-python 0.25 has no grammar for them).
    #[test]
    fn type_parameter_defaults_survive(module in arbitrary::module_with_type_param_defaults()) {
        let simpy = simpy_codegen::print_simpy(&module, &Comments::default());
        let parsed = simpy::parse_simpy(&simpy)
            .map_err(|e| TestCaseError::fail(format!("{e} at {:?}\n{simpy}", e.range)))?;
        prop_assert_eq!(dump(&parsed.module), dump(&module), "SimPy:\n{}", simpy);
        let python = simpy_codegen::print_python(&parsed.module, &parsed.comments);
        for written in written_type_params(&module.body) {
            prop_assert!(python.contains(&written), "{} missing from:\n{}", written, python);
        }
    }
}

/// Each type parameter with a default as the Python printer must write it (`*Ts0 = a`).
fn written_type_params(body: &[simpy_ast::Stmt]) -> Vec<String> {
    use simpy_ast::{Stmt, TypeParam};
    let expr = |e: &simpy_ast::Expr| {
        let statement = Stmt::Expr(simpy_ast::StmtExpr {
            range: Default::default(),
            value: Box::new(e.clone()),
        });
        let module = simpy_ast::ModModule {
            range: Default::default(),
            body: vec![statement],
        };
        let text = simpy_codegen::print_python(&module, &Comments::default());
        text.trim_end().to_owned()
    };
    let mut out = Vec::new();
    for stmt in body {
        let (params, inner): (&[TypeParam], Vec<&[Stmt]>) = match stmt {
            Stmt::FunctionDef(f) => (&f.type_params, vec![&f.body]),
            Stmt::ClassDef(c) => (&c.type_params, vec![&c.body]),
            Stmt::TypeAlias(t) => (&t.type_params, vec![]),
            Stmt::If(s) => (&[], vec![&s.body, &s.orelse]),
            Stmt::While(s) => (&[], vec![&s.body, &s.orelse]),
            Stmt::For(s) => (&[], vec![&s.body, &s.orelse]),
            Stmt::With(s) => (&[], vec![&s.body]),
            Stmt::Try(s) => (&[], vec![&s.body, &s.handlers[0].body]),
            _ => (&[], vec![]),
        };
        for p in params {
            out.extend(match p {
                TypeParam::TypeVar(t) => t.default_value.as_ref().map(|d| match &t.bound {
                    Some(b) => format!("{}: {} = {}", t.name.id, expr(b), expr(d)),
                    None => format!("{} = {}", t.name.id, expr(d)),
                }),
                TypeParam::ParamSpec(p) => p
                    .default_value
                    .as_ref()
                    .map(|d| format!("**{} = {}", p.name.id, expr(d))),
                TypeParam::TypeVarTuple(p) => p
                    .default_value
                    .as_ref()
                    .map(|d| format!("*{} = {}", p.name.id, expr(d))),
            });
        }
        for block in inner {
            out.extend(written_type_params(block));
        }
    }
    out
}
