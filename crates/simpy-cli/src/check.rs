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
}

/// What happened to one file.
enum Outcome {
    Ok,
    Invalid(LocatedError),
    Unreadable(String),
}

pub fn run(args: &CheckArgs) -> anyhow::Result<ExitCode> {
    let paths = files::collect(&args.paths, "py")?;
    let progress = progress_bar(paths.len() as u64);
    let outcomes: Vec<Outcome> = paths
        .par_iter()
        .map(|path| {
            let outcome = match files::read_input(path) {
                Ok(bytes) => match simpy_python::parse_module(&bytes) {
                    Ok(_) => Outcome::Ok,
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
            Outcome::Unreadable(_) => {
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
    }
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
