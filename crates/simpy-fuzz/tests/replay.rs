//! The fuzz targets' committed inputs, replayed on stable: `fuzz/corpus/<target>/` (what the
//! fuzzer kept, minimized) and `fuzz/regressions/<target>/` (each input that once failed, kept
//! after its fix). A failure names the file; `cargo fuzz run <target> <file>` replays it too.

use std::path::{Path, PathBuf};

fn inputs(target: &str) -> Vec<PathBuf> {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fuzz");
    let mut files: Vec<PathBuf> = ["corpus", "regressions"]
        .iter()
        .filter_map(|kind| std::fs::read_dir(fuzz.join(kind).join(target)).ok())
        .flatten()
        .map(|entry| entry.expect("a readable directory").path())
        .collect();
    files.sort();
    files
}

/// Runs `check` on every input of `target`; at least `min` of them, so a moved folder fails.
fn replay(target: &str, min: usize, check: fn(&[u8])) {
    let files = inputs(target);
    assert!(
        files.len() >= min,
        "{target}: {} inputs, want {min}",
        files.len()
    );
    for file in &files {
        let data = std::fs::read(file).expect("readable");
        if let Some(why) = simpy_fuzz::failure(check, &data) {
            panic!("{target}: {} fails: {why}", file.display());
        }
    }
    eprintln!("{target}: {} inputs replayed", files.len());
}

#[test]
fn every_target() {
    for target in simpy_fuzz::TARGETS {
        let check = simpy_fuzz::check(target).expect("a target");
        replay(target, 100, check);
    }
}
