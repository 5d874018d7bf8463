//! The whole CPython standard library of this machine, with CPython's own `ast` as the judge:
//! every file CPython parses dumps identically here, and every file it rejects is rejected.

use simpy_testkit::cpython as support;

use rayon::prelude::*;

#[test]
fn every_stdlib_file_matches_cpython() {
    let files = support::stdlib_files();
    assert!(
        files.len() > 1000,
        "found only {} stdlib files",
        files.len()
    );
    let verdicts = support::cpython_parse_files(&files);
    let problems: Vec<String> = files
        .par_iter()
        .zip(verdicts.par_iter())
        .filter_map(|(path, want)| {
            let bytes = std::fs::read(path).expect("readable stdlib file");
            let got = simpy_python::parse_module(&bytes);
            let name = path.display();
            match (got, want) {
                (Ok(parsed), Ok(want)) => {
                    let dump = simpy_ast::dump(&parsed.module);
                    (dump != *want)
                        .then(|| format!("{name}: dump differs\n{}", first_difference(&dump, want)))
                }
                (Err(err), Ok(_)) => Some(format!("{name}: rejected valid file: {}", err)),
                (Ok(_), Err(why)) => {
                    Some(format!("{name}: accepted a file CPython rejects ({why})"))
                }
                (Err(_), Err(_)) => None,
            }
        })
        .collect();
    let rejected = verdicts.iter().filter(|v| v.is_err()).count();
    eprintln!(
        "{} stdlib files, {rejected} rejected by CPython, {} disagreements",
        files.len(),
        problems.len()
    );
    assert!(
        problems.is_empty(),
        "{} of {} files disagree:\n{}",
        problems.len(),
        files.len(),
        problems.join("\n")
    );
}

fn first_difference(got: &str, want: &str) -> String {
    let at = got
        .bytes()
        .zip(want.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(got.len().min(want.len()));
    let from = at.saturating_sub(120);
    let window = |s: &str| {
        s.get(from..(at + 120).min(s.len()))
            .unwrap_or("")
            .to_owned()
    };
    format!("  got:  …{}\n  want: …{}", window(got), window(want))
}
