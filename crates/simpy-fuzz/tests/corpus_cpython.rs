//! The fuzzer's Python inputs (`fuzz/corpus/encode/` and `fuzz/corpus/prompt/`, thousands of
//! mutated files) and the Python its SimPy inputs (`fuzz/corpus/decode/`) decode to, held to
//! CPython's `ast.parse` on the machine's python3: where both read a
//! file, the same tree; where CPython reads it, so does simpy, but for what simpy refuses on
//! purpose; where CPython refuses it, so does simpy. Comparing them found a misread f-string
//! escape, a misread star in patterns and characters tree-sitter reads as spaces.

use simpy_testkit::cpython::cpython_parse;
use std::path::{Path, PathBuf};

/// What simpy refuses although `ast.parse` reads it: a starred assignment target (CPython's
/// compiler refuses it, and SimPy has no spelling for it), and bytes that are not UTF-8 in a
/// comment (`ast.parse` of bytes does not decode comments; the interpreter, reading the file,
/// refuses them).
const REFUSED_ON_PURPOSE: [&str; 3] = [
    "starred assignment target must be in a list or tuple",
    "cannot use starred expression here",
    "source is not valid utf-8",
];

/// Whether a file simpy reads and CPython 3.11 (the oracle) refuses holds syntax of a later
/// Python that simpy reads (`simpy_python::PYTHON_VERSION`): PEP 695 and 696 type parameters
/// and `type` statements, which the tree shows, or PEP 701 f-strings, which 3.11 refuses with
/// an f-string error.
fn newer_than_the_oracle(dump: &str, cpython: &str) -> bool {
    let type_params = dump.replace("type_params=[]", "").contains("type_params=[");
    dump.contains("TypeAlias(") || type_params || cpython.starts_with("f-string")
}

#[test]
fn the_fuzz_corpora_read_as_cpython_reads_them() {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz/corpus");
    let corpus = |target: &str| {
        let mut files: Vec<PathBuf> = std::fs::read_dir(fuzz.join(target))
            .expect("the corpus")
            .map(|entry| entry.expect("readable").path())
            .collect();
        files.sort();
        files
            .into_iter()
            .map(|f| (std::fs::read(&f).expect("readable"), f))
    };
    // The Python inputs as they are, and the Python that the SimPy inputs decode to.
    let mut inputs: Vec<(Vec<u8>, PathBuf)> = corpus("encode").chain(corpus("prompt")).collect();
    inputs.extend(corpus("decode").filter_map(|(simpy, file)| {
        let python = simpy::decode(std::str::from_utf8(&simpy).ok()?).ok()?;
        Some((python.into_bytes(), file))
    }));
    assert!(inputs.len() > 8000, "{} corpus inputs", inputs.len());
    let (sources, files): (Vec<Vec<u8>>, Vec<PathBuf>) = inputs.into_iter().unzip();
    let cpython = cpython_parse(&sources.iter().map(Vec::as_slice).collect::<Vec<_>>());
    let (mut same, mut both_refuse, mut on_purpose, mut newer, mut deep) = (0, 0, 0, 0, 0);
    for ((file, source), verdict) in files.iter().zip(&sources).zip(cpython) {
        let ours = simpy::parse_module(source);
        match (verdict, ours) {
            (Ok(dump), Ok(parsed)) => {
                assert_eq!(simpy_ast::dump(&parsed.module), dump, "{}", file.display());
                same += 1;
            }
            (Err(_), Err(_)) => both_refuse += 1,
            (Ok(_), Err(e)) => {
                let why = e.to_string();
                assert!(
                    REFUSED_ON_PURPOSE.iter().any(|r| why.contains(r)),
                    "{}: CPython reads it, simpy refuses it: {why}",
                    file.display()
                );
                on_purpose += 1;
            }
            // A resource limit of CPython's, not a rule of Python's.
            (Err(cpython), Ok(_)) if cpython.starts_with("maximum recursion depth") => deep += 1,
            (Err(cpython), Ok(parsed)) => {
                assert!(
                    newer_than_the_oracle(&simpy_ast::dump(&parsed.module), &cpython),
                    "{}: CPython refuses it ({cpython}), simpy reads it",
                    file.display()
                );
                newer += 1;
            }
        }
    }
    println!(
        "{same} read alike, {both_refuse} refused by both, {on_purpose} refused on purpose, \
         {newer} newer than Python 3.11, {deep} too deep for CPython's recursion limit"
    );
}
