//! `simpy check`: parse many files in parallel and report each failure.

use crate::files;
use clap::Args;
use rayon::prelude::*;
use simpy_python::{ErrorFamily, LocatedError};
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct CheckArgs {
    /// Files or directories (searched recursively for *.py); `-` reads standard input
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Print one JSON object per file instead of error lines and a summary
    #[arg(long)]
    jsonl: bool,
    /// Also convert each file and parse the result: `python` prints Python back and checks
    /// the AST (ranges ignored) and that a second print changes nothing; `simpy` encodes to
    /// SimPy, decodes, and checks the AST, the comment count, and that encoding the decoded
    /// Python gives the same SimPy byte for byte
    #[arg(long, value_enum, value_name = "LANGUAGE")]
    roundtrip: Option<Roundtrip>,
    /// With `--roundtrip simpy`: also spell the SimPy in this dialect (`simpy dialect list`,
    /// or a dialect file) and check that it reads back to the same SimPy byte for byte
    #[arg(long, value_name = "NAME|FILE", default_value = "simpy", value_parser = crate::dialect::parse)]
    dialect: simpy::Dialect,
    #[command(flatten)]
    walk: files::WalkArgs,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Roundtrip {
    Python,
    Simpy,
}

/// What happened to one file.
enum Outcome {
    Ok,
    Invalid(LocatedError),
    Unreadable(String),
    /// Not Python (a notebook, JSON), or a folder with no Python files.
    Refused(String),
    /// Parsed, but the round trip changed something: a bug of ours.
    RoundtripFailed(String),
}

pub fn run(args: &CheckArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let inputs = files::collect(
        &args.paths,
        files::Kind::Python,
        &args.walk,
        None,
        files::not_python,
    )?;
    let paths: Vec<PathBuf> = inputs.files.into_iter().map(|f| f.path).collect();
    let progress = files::progress_bar(paths.len() as u64, quiet);
    let mut outcomes: Vec<Outcome> = paths
        .par_iter()
        .map(|path| {
            let outcome = match files::read_input(path) {
                Ok(bytes) => match simpy_python::parse_module(&bytes) {
                    Ok(parsed) => match args.roundtrip {
                        Some(Roundtrip::Python) => python_roundtrip(&parsed),
                        Some(Roundtrip::Simpy) => simpy_roundtrip(&parsed, &args.dialect),
                        None => Outcome::Ok,
                    },
                    Err(err) => Outcome::Invalid(err),
                },
                Err(err) => Outcome::Unreadable(format!("{err:#}")),
            };
            progress.inc(1);
            outcome
        })
        .collect();
    progress.finish_and_clear();
    // Paths that could not be used are reported with the files, and the run goes on.
    let mut names: Vec<String> = paths.iter().map(|p| files::display_name(p)).collect();
    for problem in inputs.problems {
        names.push(problem.name);
        outcomes.push(if problem.unreadable {
            Outcome::Unreadable(problem.why)
        } else {
            Outcome::Refused(problem.why)
        });
    }

    let mut stdout = Vec::new();
    let (mut ok, mut failed, mut tool_failures) = (0usize, 0usize, 0usize);
    for (name, outcome) in names.iter().zip(&outcomes) {
        let name = name.as_str();
        match outcome {
            Outcome::Ok => ok += 1,
            Outcome::Invalid(err) => {
                failed += 1;
                tool_failures += usize::from(err.kind().family() == ErrorFamily::Internal);
            }
            Outcome::Unreadable(_) | Outcome::RoundtripFailed(_) => {
                failed += 1;
                tool_failures += 1;
            }
            Outcome::Refused(_) => failed += 1,
        }
        if args.jsonl {
            writeln!(stdout, "{}", json_line(name, outcome))?;
        } else {
            match outcome {
                Outcome::Ok => {}
                Outcome::Invalid(err) => writeln!(stdout, "{}", err.headline(name))?,
                Outcome::Unreadable(message) | Outcome::Refused(message) => {
                    writeln!(stdout, "{name}: error: {message}")?
                }
                Outcome::RoundtripFailed(message) => {
                    writeln!(stdout, "{name}: error: round trip: {message}")?
                }
            }
        }
    }
    if !args.jsonl && !quiet {
        let total = files::count(names.len(), "file", "files");
        writeln!(stdout, "{total}: {ok} ok, {failed} failed")?;
    }
    files::write_stdout(&stdout)?;
    Ok(if tool_failures > 0 {
        ExitCode::from(2)
    } else if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

fn json_line(name: &str, outcome: &Outcome) -> serde_json::Value {
    match outcome {
        Outcome::Ok => serde_json::json!({ "path": name, "ok": true }),
        Outcome::Invalid(err) => serde_json::json!({
            "path": name,
            "ok": false,
            "line": err.location.line,
            "col": err.location.col,
            "family": format!("{:?}", err.kind().family()),
            "message": err.error.to_string(),
        }),
        Outcome::Unreadable(message) => serde_json::json!({
            "path": name,
            "ok": false,
            "family": "Unreadable",
            "message": message,
        }),
        Outcome::Refused(message) => serde_json::json!({
            "path": name,
            "ok": false,
            "family": "NotPython",
            "message": message,
        }),
        Outcome::RoundtripFailed(message) => serde_json::json!({
            "path": name,
            "ok": false,
            "family": "Roundtrip",
            "message": message,
        }),
    }
}

/// Python → AST → Python → AST: the trees must match and a second print must change nothing.
fn python_roundtrip(parsed: &simpy_python::Parsed) -> Outcome {
    let print = |p: &simpy_python::Parsed| {
        let options = simpy_codegen::PythonOptions {
            source: Some(&p.source),
        };
        simpy_codegen::print_python_with(&p.module, &p.comments, &options)
    };
    let printed = print(parsed);
    let again = match simpy_python::parse_str(&printed) {
        Ok(again) => again,
        Err(err) => return Outcome::RoundtripFailed(format!("printed code does not parse: {err}")),
    };
    let (before, after) = (
        simpy_ast::dump(&parsed.module),
        simpy_ast::dump(&again.module),
    );
    if before != after {
        return Outcome::RoundtripFailed(format!(
            "the AST changed: {}",
            first_difference(&before, &after)
        ));
    }
    if again.comments.len() != parsed.comments.len() {
        let (was, now) = (parsed.comments.len(), again.comments.len());
        return Outcome::RoundtripFailed(format!("{was} comments became {now}"));
    }
    if print(&again) != printed {
        return Outcome::RoundtripFailed("printing the printed code changes it again".into());
    }
    Outcome::Ok
}

/// Python → SimPy → AST: the trees must match, comments survive, and encoding the decoded
/// Python must give the same SimPy; in a dialect, its spelling must read back to that SimPy.
fn simpy_roundtrip(parsed: &simpy_python::Parsed, dialect: &simpy::Dialect) -> Outcome {
    let options = dialect.encode_options(&Default::default());
    let encoded = simpy::encode_parsed(parsed, &options);
    let read_back = dialect
        .respell(&encoded)
        .and_then(|spelt| dialect.canonical(&spelt));
    match read_back {
        Ok(back) if back == encoded => {}
        Ok(back) => {
            return Outcome::RoundtripFailed(format!(
                "the dialect `{}` reads back differently: {}",
                dialect.name,
                first_difference(&encoded, &back)
            ))
        }
        Err(err) => {
            return Outcome::RoundtripFailed(format!(
                "the dialect `{}` does not read back: {err}",
                dialect.name
            ))
        }
    }
    let decoded = match simpy::parse_simpy(&encoded) {
        Ok(decoded) => decoded,
        Err(err) => return Outcome::RoundtripFailed(format!("the SimPy does not parse: {err}")),
    };
    let (before, after) = (
        simpy_ast::dump(&parsed.module),
        simpy_ast::dump(&decoded.module),
    );
    if before != after {
        return Outcome::RoundtripFailed(format!(
            "the AST changed: {}",
            first_difference(&before, &after)
        ));
    }
    if decoded.comments.len() != parsed.comments.len() {
        let (was, now) = (parsed.comments.len(), decoded.comments.len());
        return Outcome::RoundtripFailed(format!("{was} comments became {now}"));
    }
    let python = simpy_codegen::print_python(&decoded.module, &decoded.comments);
    match simpy::encode_with(&python, &options) {
        Ok(again) if again == encoded => Outcome::Ok,
        Ok(again) => Outcome::RoundtripFailed(format!(
            "encoding the decoded Python gives different SimPy: {}",
            first_difference(&encoded, &again)
        )),
        Err(err) => Outcome::RoundtripFailed(format!("the decoded Python does not parse: {err}")),
    }
}

/// Where two dumps first differ, with some context on each side.
fn first_difference(before: &str, after: &str) -> String {
    let at = before
        .bytes()
        .zip(after.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(before.len().min(after.len()));
    let window = |s: &str| {
        let from = s.floor_char_boundary(at.saturating_sub(60));
        let to = s.ceil_char_boundary((at + 60).min(s.len()));
        s[from..to].to_owned()
    };
    format!("was …{}… now …{}…", window(before), window(after))
}
