//! The Python printer over the whole standard library, CPython as the judge: the printed
//! code parses to the same `ast.dump`, printing it again changes nothing, no comment is lost.

use simpy_testkit::cpython as support;

use rayon::prelude::*;
use simpy_codegen::{print_python, print_python_with, PythonOptions};

struct Printed {
    name: String,
    original: Vec<u8>,
    with_source: String,
    problems: Vec<String>,
}

#[test]
fn normalized_stdlib_keeps_every_ast_and_comment() {
    let files = support::stdlib_files();
    let printed: Vec<Printed> = files
        .par_iter()
        .filter_map(|path| {
            let original = std::fs::read(path).expect("readable stdlib file");
            let parsed = simpy_python::parse_module(&original).ok()?;
            let options = PythonOptions {
                source: Some(&parsed.source),
            };
            let with_source = print_python_with(&parsed.module, &parsed.comments, &options);
            let mut problems = Vec::new();
            let name = path.display().to_string();
            match simpy_python::parse_str(&with_source) {
                Ok(again) => {
                    if again.comments.len() != parsed.comments.len() {
                        problems.push(format!(
                            "{name}: {} comments became {}",
                            parsed.comments.len(),
                            again.comments.len()
                        ));
                    }
                    let twice = print_python_with(
                        &again.module,
                        &again.comments,
                        &PythonOptions {
                            source: Some(&again.source),
                        },
                    );
                    if twice != with_source {
                        problems.push(format!("{name}: printing is not idempotent"));
                    }
                }
                Err(err) => {
                    problems.push(format!("{name}: printed code does not parse here: {err}"))
                }
            }
            // Without the source (as for trees from SimPy) the tree must survive too.
            let bare = print_python(&parsed.module, &parsed.comments);
            match simpy_python::parse_str(&bare) {
                Ok(again) if simpy_ast::same_ast(&again.module, &parsed.module) => {}
                Ok(_) => problems.push(format!("{name}: printing without source changed the AST")),
                Err(err) => problems.push(format!(
                    "{name}: printed without source does not parse: {err}"
                )),
            }
            Some(Printed {
                name,
                original,
                with_source,
                problems,
            })
        })
        .collect();
    assert!(printed.len() > 1000, "only {} files printed", printed.len());

    // CPython compares the original with the printed code.
    let mut sources: Vec<&[u8]> = Vec::with_capacity(printed.len() * 2);
    for p in &printed {
        sources.push(&p.original);
        sources.push(p.with_source.as_bytes());
    }
    let verdicts = support::cpython_parse(&sources);
    let mut problems: Vec<String> = printed.iter().flat_map(|p| p.problems.clone()).collect();
    for (p, pair) in printed.iter().zip(verdicts.chunks(2)) {
        match (&pair[0], &pair[1]) {
            (Ok(want), Ok(got)) if want == got => {}
            (Ok(_), Ok(_)) => problems.push(format!("{}: CPython sees a different AST", p.name)),
            (Ok(_), Err(e)) => {
                problems.push(format!("{}: CPython rejects the printed code: {e}", p.name))
            }
            (Err(_), _) => {}
        }
    }
    eprintln!(
        "{} files printed, {} problems",
        printed.len(),
        problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
