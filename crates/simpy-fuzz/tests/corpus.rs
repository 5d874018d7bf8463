//! `corpus/`, the project's own hard Python (also the fuzzers' seeds). `python/` is valid: it
//! encodes, round-trips, and parses to CPython 3.11's tree wherever CPython 3.11 reads it
//! (`python/newer/` is 3.12 and 3.13 syntax, which it must not). `rejected/` is refused with a
//! located error that is not a bug here, by CPython 3.11 too unless only its compiler refuses
//! it; the messages are in `snapshots/`.

use std::path::{Path, PathBuf};

use simpy_testkit::cpython::{cpython_parse, Verdict};

fn corpus(dir: &str) -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../corpus")
        .join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|entry| entry.expect("a readable directory").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// Each file, its bytes and CPython 3.11's verdict on them.
fn with_verdicts(files: Vec<PathBuf>) -> Vec<(PathBuf, Vec<u8>, Verdict)> {
    let sources: Vec<Vec<u8>> = files
        .iter()
        .map(|f| std::fs::read(f).expect("readable"))
        .collect();
    let oracle = cpython_parse(&sources.iter().map(Vec::as_slice).collect::<Vec<_>>());
    files
        .into_iter()
        .zip(sources)
        .zip(oracle)
        .map(|((file, bytes), verdict)| (file, bytes, verdict))
        .collect()
}

fn name(path: &Path) -> String {
    path.file_name()
        .expect("a file")
        .to_string_lossy()
        .into_owned()
}

fn valid(dir: &str, newer: bool) {
    let cases = with_verdicts(corpus(dir));
    assert!(cases.len() >= 3, "{dir}: {} files", cases.len());
    for (file, bytes, cpython) in &cases {
        let parsed =
            simpy::parse_module(bytes).unwrap_or_else(|e| panic!("{}", e.render(&name(file))));
        let dump = simpy::ast::dump(&parsed.module);
        match (newer, cpython) {
            (false, Ok(want)) => assert_eq!(&dump, want, "{} differs from CPython", name(file)),
            (false, Err(e)) => panic!("{}: CPython 3.11 refuses it: {e}", name(file)),
            (true, Ok(_)) => panic!("{}: CPython 3.11 reads it; move it up", name(file)),
            (true, Err(_)) => {}
        }
        // Encodes, decodes to the same tree, and encodes again to the same SimPy.
        simpy_fuzz::encode(bytes);
    }
}

#[test]
fn valid_python_round_trips_and_matches_cpython() {
    valid("python", false);
}

#[test]
fn newer_python_round_trips() {
    valid("python/newer", true);
}

#[test]
fn rejected_python_gets_a_located_error() {
    let cases = with_verdicts(corpus("rejected"));
    assert!(cases.len() >= 30, "{} files", cases.len());
    // What `ast.parse` takes and only CPython's compiler refuses.
    let compile_errors = ["starred_alone.py", "starred_target.py"];
    for (file, bytes, cpython) in &cases {
        let name = name(file);
        let error = match simpy::encode_bytes(bytes, &simpy::EncodeOptions::default()) {
            Ok(simpy) => panic!("{name} is accepted:\n{simpy}"),
            Err(e) => e,
        };
        assert_ne!(error.kind, simpy::ErrorKind::Internal, "{name}: {error}");
        assert_eq!(
            cpython.is_ok(),
            compile_errors.contains(&name.as_str()),
            "{name}: CPython 3.11's verdict: {cpython:?}"
        );
        insta::assert_snapshot!(name.clone(), error.render(&name));
    }
}
