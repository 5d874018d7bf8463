//! Malformed SimPy, as a model may write it: random edits of valid SimPy never panic, and
//! whatever the decoder accepts decodes to Python that means exactly what the parser read
//! (the decoded Python's AST is the tree the SimPy parsed to).
//! `PROPTEST_CASES=20000 cargo test -p simpy --test mutations` runs more cases.

use simpy_testkit::cpython as support;

use proptest::prelude::*;
use simpy_ast::dump;

const PYTHON: &[&str] = &[
    include_str!("../../simpy-python/tests/fixtures/ok/assignments.py"),
    include_str!("../../simpy-python/tests/fixtures/ok/functions.py"),
    include_str!("../../simpy-python/tests/fixtures/ok/fstrings.py"),
    include_str!("../../simpy-python/tests/fixtures/ok/match.py"),
    include_str!("../../simpy-python/tests/fixtures/ok/operators.py"),
    include_str!("../../simpy-python/tests/fixtures/ok/try_with.py"),
];

/// Edits a model's output might contain.
const INSERTS: &[&str] = &[
    " ",
    "  ",
    "\n",
    "-",
    "+",
    "*",
    ",",
    "=",
    ":",
    ".",
    "(",
    ")",
    "[",
    "]",
    "{",
    "}",
    "'",
    "\"",
    "f'{",
    "#",
    "\\",
    "<line_sep>",
    "<block_start>",
    "<block_end>",
    "<if>",
    "<else>",
    "<not>",
    "<in>",
    "<is>",
    "<concat>",
    "<return>",
    "<lambda>",
    "<for>",
    "<as>",
    "<def_stmt>",
    "<bogus>",
    "if",
    "é",
    "...",
];

fn simpy_sources() -> Vec<String> {
    PYTHON
        .iter()
        .map(|p| simpy::encode(p).expect("fixtures are valid Python"))
        .collect()
}

proptest! {
    #[test]
    fn edited_simpy_never_panics_and_never_means_something_else(
        source in 0..PYTHON.len(),
        edits in prop::collection::vec((0.0f64..1.0, 0..INSERTS.len(), 0usize..3), 1..5),
    ) {
        let mut text = simpy_sources()[source].clone();
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
        match simpy::parse_simpy(&text) {
            Ok(parsed) => {
                let python = simpy_codegen::print_python(&parsed.module, &parsed.comments);
                let reread = match simpy_python::parse_str(&python) {
                    Ok(reread) => dump(&reread.module),
                    // tree-sitter misreads some valid Python (`f"{x:=*^1-}"`); CPython decides.
                    Err(e) => support::cpython_parse(&[python.as_bytes()]).remove(0).map_err(|cpython| {
                        TestCaseError::fail(format!("decoded Python does not parse: {e} ({cpython})\nSimPy:\n{text}\nPython:\n{python}"))
                    })?,
                };
                prop_assert_eq!(reread, dump(&parsed.module), "SimPy:\n{}\nPython:\n{}", text, python);
            }
            Err(e) => {
                prop_assert!(e.range.end as usize <= text.len(), "error range past the end: {:?}", e);
                prop_assert!(!e.to_string().is_empty());
            }
        }
    }
}
