//! Random trees survive SimPy: printed as SimPy and parsed back, they are the same tree; and
//! decoded to Python, they are still the same tree.
//! `PROPTEST_CASES=10000 cargo test -p simpy --test properties` runs more cases.

#[path = "../../simpy-codegen/tests/support/arbitrary.rs"]
mod arbitrary;

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
