//! Random trees survive SimPy: printed as SimPy and parsed back, they are the same tree; and
//! decoded to Python, they are still the same tree.
//! `PROPTEST_CASES=10000 cargo test -p simpy --test properties` runs more cases.

use simpy_testkit::arbitrary;

use proptest::prelude::*;
use simpy_ast::{dump, Comments, ModModule};

/// SimPy of `module` parses back to it, and the Python decoded from that parses to it too.
fn survives_both_ways(module: &ModModule) -> Result<(), TestCaseError> {
    let simpy = simpy_codegen::print_simpy(module, &Comments::default());
    let parsed = simpy::parse_simpy(&simpy)
        .map_err(|e| TestCaseError::fail(format!("{e} at {:?}\n{simpy}", e.range)))?;
    prop_assert_eq!(dump(&parsed.module), dump(module), "SimPy:\n{}", simpy);
    let python = simpy_codegen::print_python(&parsed.module, &parsed.comments);
    let reparsed = simpy_python::parse_str(&python)
        .map_err(|e| TestCaseError::fail(format!("{e}\nSimPy:\n{simpy}\nPython:\n{python}")))?;
    prop_assert_eq!(dump(&reparsed.module), dump(module), "Python:\n{}", python);
    Ok(())
}

proptest! {
    #[test]
    fn simpy_of_a_tree_parses_back_to_it(module in arbitrary::module_with_blocks()) {
        survives_both_ways(&module)?;
    }

    /// PEP 696 defaults: the Python front end reads them through a repair of tree-sitter's
    /// parse (`simpy_python`'s `repair.rs`).
    #[test]
    fn type_parameter_defaults_survive(module in arbitrary::module_with_type_param_defaults()) {
        survives_both_ways(&module)?;
    }
}
