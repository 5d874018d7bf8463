//! Broken input never panics: random edits of valid fixtures either parse or fail with a
//! located error. `PROPTEST_CASES=20000 cargo test -p simpy-python --test mutations` for more.

use proptest::prelude::*;

const SOURCES: &[&str] = &[
    include_str!("fixtures/ok/assignments.py"),
    include_str!("fixtures/ok/functions.py"),
    include_str!("fixtures/ok/fstrings.py"),
    include_str!("fixtures/ok/match.py"),
    include_str!("fixtures/ok/operators.py"),
    include_str!("fixtures/ok/try_with.py"),
    include_str!("fixtures/ok/tree_sitter_misreads.py"),
];

/// Snippets that break things in interesting ways.
const INSERTS: &[&str] = &[
    "(", ")", "[", "]", "{", "}", ":", ",", "\n", "    ", "\t", "'", "\"", "\"\"\"", "f'{", "#",
    "\\", "*", "=", "lambda", "yield", "async ", "not ", "é", "\0",
];

proptest! {
    #[test]
    fn edited_sources_never_panic(
        source in 0..SOURCES.len(),
        edits in prop::collection::vec((0.0f64..1.0, 0..INSERTS.len(), 0usize..4), 1..6),
    ) {
        let mut text = SOURCES[source].to_owned();
        for (at, insert, delete) in edits {
            let mut pos = ((text.len() as f64) * at) as usize;
            while !text.is_char_boundary(pos) {
                pos -= 1;
            }
            let mut end = (pos + delete).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            text.replace_range(pos..end, INSERTS[insert]);
        }
        match simpy_python::parse_module(text.as_bytes()) {
            Ok(parsed) => {
                // Whatever parses dumps without trouble.
                let _ = simpy_ast::dump(&parsed.module);
            }
            Err(err) => {
                prop_assert!(err.location.line >= 1 && err.location.col >= 1);
                prop_assert!(
                    err.kind().family() != simpy_python::ErrorFamily::Internal,
                    "internal error on:\n{}\n{}", text, err
                );
            }
        }
    }
}
