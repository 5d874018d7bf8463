//! `simpy normalize`: parse Python and print it back as clean Python.

use crate::files;
use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct NormalizeArgs {
    /// Files or directories (searched recursively for *.py); `-` reads standard input
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output: a file for one input, a directory mirroring the inputs for directories.
    /// Without it a single file goes to standard output
    #[arg(short, long)]
    output: Option<PathBuf>,
}

pub fn run(args: &NormalizeArgs) -> anyhow::Result<ExitCode> {
    let single =
        args.paths.len() == 1 && (files::is_stdin(&args.paths[0]) || args.paths[0].is_file());
    if single {
        let path = &args.paths[0];
        return match normalize_file(path)? {
            Ok(text) => {
                match &args.output {
                    Some(out) => std::fs::write(out, text)
                        .with_context(|| format!("cannot write {}", out.display()))?,
                    None => std::io::stdout().write_all(text.as_bytes())?,
                }
                Ok(ExitCode::SUCCESS)
            }
            Err(message) => {
                eprint!("{message}");
                Ok(ExitCode::from(1))
            }
        };
    }
    let Some(out_dir) = &args.output else {
        anyhow::bail!("several inputs or a directory need -o OUTPUT_DIRECTORY");
    };
    let mut failed = 0;
    let mut jobs = Vec::new();
    for root in &args.paths {
        for file in files::collect(std::slice::from_ref(root), "py")? {
            let relative = relative_to(&file, root);
            jobs.push((file, out_dir.join(relative)));
        }
    }
    let results: Vec<anyhow::Result<Result<(), String>>> = jobs
        .par_iter()
        .map(|(input, output)| {
            Ok(match normalize_file(input)? {
                Ok(text) => {
                    if let Some(parent) = output.parent() {
                        std::fs::create_dir_all(parent)
                            .with_context(|| format!("cannot create {}", parent.display()))?;
                    }
                    std::fs::write(output, text)
                        .with_context(|| format!("cannot write {}", output.display()))?;
                    Ok(())
                }
                Err(message) => Err(message),
            })
        })
        .collect();
    for result in results {
        if let Err(message) = result? {
            failed += 1;
            eprint!("{message}");
        }
    }
    println!(
        "{} files: {} normalized, {failed} failed",
        jobs.len(),
        jobs.len() - failed
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// The normalized text, or the rendered parse error.
fn normalize_file(path: &Path) -> anyhow::Result<Result<String, String>> {
    let bytes = files::read_input(path)?;
    Ok(match simpy_python::parse_module(&bytes) {
        Ok(parsed) => {
            let options = simpy_codegen::PythonOptions {
                source: Some(&parsed.source),
            };
            Ok(simpy_codegen::print_python_with(
                &parsed.module,
                &parsed.comments,
                &options,
            ))
        }
        Err(err) => Err(err.render(&files::display_name(path))),
    })
}

/// `file` relative to the input `root` it was found under (a file root maps to its name).
fn relative_to(file: &Path, root: &Path) -> PathBuf {
    match file.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => PathBuf::from(file.file_name().unwrap_or_default()),
    }
}
