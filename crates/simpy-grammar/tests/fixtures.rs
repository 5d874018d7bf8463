//! Per-construct fixtures of the grammar: canonical SimPy, one file per area of the language,
//! and malformed SimPy, one file per mistake, with its exact error.

use simpy_codegen::{print_python, print_simpy};
use simpy_grammar::parse_simpy;
use simpy_testkit::cpython;

/// Canonical SimPy parses, prints back to itself, and gives Python that reads back as the same
/// SimPy and that CPython takes (3.12+ syntax aside).
#[test]
fn canonical_simpy_decodes_and_comes_back() {
    insta::glob!("fixtures/ok/*.simpy", |path| {
        let simpy = std::fs::read_to_string(path).expect("readable fixture");
        let name = path.file_name().expect("a file").to_string_lossy();
        let parsed = parse_simpy(&simpy).unwrap_or_else(|e| panic!("{}", e.render(&simpy, &name)));
        let printed = print_simpy(&parsed.module, &parsed.comments);
        assert_eq!(
            printed.trim_end(),
            simpy.trim_end(),
            "{name} is not canonical"
        );
        let python = print_python(&parsed.module, &parsed.comments);
        let reparsed = simpy_python::parse_str(&python)
            .unwrap_or_else(|e| panic!("{name}: the decoded Python does not parse: {e}"));
        let again = print_simpy(&reparsed.module, &reparsed.comments);
        assert_eq!(
            again.trim_end(),
            simpy.trim_end(),
            "{name}: encoding the decoded Python"
        );
        if name != "modern.simpy" {
            let verdict = cpython::cpython_parse(&[python.as_bytes()]).remove(0);
            assert!(
                verdict.is_ok(),
                "{name}: CPython rejects the decoded Python: {verdict:?}"
            );
        }
        insta::assert_snapshot!(python);
    });
}

#[test]
fn malformed_simpy_gets_a_located_error() {
    insta::glob!("fixtures/err/*.simpy", |path| {
        let simpy = std::fs::read_to_string(path).expect("readable fixture");
        let name = path.file_name().expect("a file").to_string_lossy();
        match parse_simpy(&simpy) {
            Ok(parsed) => panic!(
                "{name} parsed to:\n{}",
                print_python(&parsed.module, &parsed.comments)
            ),
            Err(e) => {
                assert!(e.range.end as usize <= simpy.len());
                insta::assert_snapshot!(e.render(&simpy, &name));
            }
        }
    });
}
