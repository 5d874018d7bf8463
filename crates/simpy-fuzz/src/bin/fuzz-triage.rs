//! `fuzz-triage TARGET PATH...`: runs a fuzz target's check on each input file (or each file
//! of a folder) and prints a line per input: `ok`, or `FAIL` and the first line of what failed.
//! For sorting the inputs of `fuzz/open/` and the fuzzer's artifacts; exit status 1 if any
//! input fails.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(check) = args.first().and_then(|target| simpy_fuzz::check(target)) else {
        eprintln!(
            "usage: fuzz-triage TARGET PATH...  (TARGET: {})",
            simpy_fuzz::TARGETS.join(", ")
        );
        return ExitCode::from(2);
    };
    // The checks fail by panicking; their messages are printed here, one line each.
    std::panic::set_hook(Box::new(|_| {}));
    let mut failed = 0;
    for input in args[1..].iter().flat_map(|path| files(Path::new(path))) {
        let data = match std::fs::read(&input) {
            Ok(data) => data,
            Err(e) => {
                eprintln!("{}: {e}", input.display());
                return ExitCode::from(2);
            }
        };
        match simpy_fuzz::failure(check, &data) {
            None => println!("ok    {}", input.display()),
            Some(why) => {
                failed += 1;
                let first = why.lines().next().unwrap_or_default();
                println!("FAIL  {}: {first}", input.display());
            }
        }
    }
    if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The file itself, or a folder's files in order.
fn files(path: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(path) else {
        return vec![path.to_owned()];
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    files
}
