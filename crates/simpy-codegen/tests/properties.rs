//! Random trees print to Python that parses back to the same tree.
//! `PROPTEST_CASES=10000 cargo test -p simpy-codegen --test properties` runs more cases.

use simpy_testkit::arbitrary;

use arbitrary::module;
use proptest::prelude::*;
use simpy_ast::*;

proptest! {
    #[test]
    fn printed_trees_parse_back_to_themselves(module in module()) {
        let printed = simpy_codegen::print_python(&module, &Comments::default());
        let parsed = simpy_python::parse_str(&printed)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{printed}")))?;
        prop_assert_eq!(simpy_ast::dump(&parsed.module), simpy_ast::dump(&module), "printed:\n{}", printed);
    }
}
