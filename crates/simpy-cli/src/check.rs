//! `simpy check`: parse many files in parallel and report each failure.

use crate::files;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use rayon::prelude::*;
use simpy_python::{ErrorFamily, LocatedError};
use std::io::{IsTerminal, Write};
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
    /// Also print each file back and parse it again: `python` checks that the printed Python
    /// has the same AST (ranges ignored) and prints identically a second time
    #[arg(long, value_enum, value_name = "LANGUAGE")]
    roundtrip: Option<Roundtrip>,
}

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Roundtrip {
    Python,
}

/// What happened to one file.
enum Outcome {
    Ok,
    Invalid(LocatedError),
    Unreadable(String),
    /// Parsed, but the round trip changed something: a bug of ours.
    RoundtripFailed(String),
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let paths = files::collect(&args.paths, "py")?;
    let progress = progress_bar(paths.len() as u64);
    let outcomes: Vec<Outcome> = paths
        .par_iter()
        .map(|path| {
            let outcome = match files::read_input(path) {
                Ok(bytes) => match simpy_python::parse_module(&bytes) {
                    Ok(parsed) => match args.roundtrip {
                        Some(Roundtrip::Python) => python_roundtrip(&parsed),
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

    let mut stdout = std::io::stdout().lock();
    let (mut ok, mut failed, mut tool_failures) = (0usize, 0usize, 0usize);
    for (path, outcome) in paths.iter().zip(&outcomes) {
        let name = files::display_name(path);
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
        }
        if args.jsonl {
            writeln!(stdout, "{}", json_line(&name, outcome))?;
        } else {
            match outcome {
                Outcome::Ok => {}
                Outcome::Invalid(err) => writeln!(stdout, "{}", err.headline(&name))?,
                Outcome::Unreadable(message) => writeln!(stdout, "{name}: error: {message}")?,
                Outcome::RoundtripFailed(message) => {
                    writeln!(stdout, "{name}: error: round trip: {message}")?
                }
            }
        }
    }
    if !args.jsonl {
        writeln!(stdout, "{} files: {ok} ok, {failed} failed", paths.len())?;
    }
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

/// A progress bar on a terminal; hidden when stderr is redirected or for a handful of files.
fn progress_bar(len: u64) -> ProgressBar {
    if !std::io::stderr().is_terminal() || len < 50 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed_precise} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}
