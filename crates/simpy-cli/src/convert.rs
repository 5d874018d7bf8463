//! `simpy encode`, `simpy decode` and `simpy normalize`: one input to stdout or a file, or
//! directory trees to a mirrored tree (`a/b.py` → `OUT/a/b.simpy`), failures reported and
//! skipped, everything else converted.

use crate::files;
use anyhow::Context;
use clap::Args;
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct ConvertArgs {
    /// Files or directories (searched recursively); `-` reads standard input
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output: a file for one input, a directory mirroring the inputs for directories.
    /// Without it a single input goes to standard output
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Leave comments out (lossy: for comparisons with tools that drop them)
    #[arg(long)]
    strip_comments: bool,
}

/// Which conversion, and the file names it reads and writes.
#[derive(Clone, Copy)]
pub enum Direction {
    Encode,
    Decode,
    Normalize,
}

impl Direction {
    fn input_extension(self) -> &'static str {
        match self {
            Direction::Encode | Direction::Normalize => "py",
            Direction::Decode => "simpy",
        }
    }

    fn output_extension(self) -> &'static str {
        match self {
            Direction::Decode | Direction::Normalize => "py",
            Direction::Encode => "simpy",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Direction::Encode => "encoded",
            Direction::Decode => "decoded",
            Direction::Normalize => "normalized",
        }
    }

    /// The converted text, or the rendered error for people.
    fn convert(self, bytes: &[u8], name: &str, strip_comments: bool) -> Result<String, String> {
        match self {
            Direction::Encode => {
                let options = simpy::EncodeOptions { strip_comments };
                simpy::encode_bytes(bytes, &options).map_err(|e| e.render(name))
            }
            Direction::Decode => {
                let text = std::str::from_utf8(bytes)
                    .map_err(|e| format!("{name}: error: SimPy must be UTF-8: {e}\n"))?;
                let options = simpy::DecodeOptions { strip_comments };
                simpy::decode_with(text, &options).map_err(|e| e.render(name))
            }
            Direction::Normalize => {
                let parsed = simpy_python::parse_module(bytes).map_err(|e| e.render(name))?;
                let mut comments = parsed.comments.clone();
                if strip_comments {
                    comments.items.clear();
                }
                let options = simpy_codegen::PythonOptions {
                    source: Some(&parsed.source),
                };
                Ok(simpy_codegen::print_python_with(
                    &parsed.module,
                    &comments,
                    &options,
                ))
            }
        }
    }
}

pub fn run(args: &ConvertArgs, direction: Direction) -> anyhow::Result<ExitCode> {
    let single =
        args.paths.len() == 1 && (files::is_stdin(&args.paths[0]) || args.paths[0].is_file());
    if single {
        let path = &args.paths[0];
        let bytes = files::read_input(path)?;
        return match direction.convert(&bytes, &files::display_name(path), args.strip_comments) {
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
    let mut jobs = Vec::new();
    for root in &args.paths {
        if files::is_stdin(root) {
            anyhow::bail!("`-` (standard input) cannot be mixed with other inputs");
        }
        for file in files::collect(std::slice::from_ref(root), direction.input_extension())? {
            let relative = relative_to(&file, root).with_extension(direction.output_extension());
            jobs.push((file, out_dir.join(relative)));
        }
    }
    let progress = files::progress_bar(jobs.len() as u64);
    let results: Vec<anyhow::Result<Result<(), String>>> = jobs
        .par_iter()
        .map(|(input, output)| {
            let bytes = files::read_input(input)?;
            let result = match direction.convert(
                &bytes,
                &input.display().to_string(),
                args.strip_comments,
            ) {
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
            };
            progress.inc(1);
            Ok(result)
        })
        .collect();
    progress.finish_and_clear();
    let mut failed = 0;
    for result in results {
        if let Err(message) = result? {
            failed += 1;
            eprint!("{message}");
        }
    }
    println!(
        "{} files: {} {}, {failed} failed",
        jobs.len(),
        jobs.len() - failed,
        direction.verb()
    );
    Ok(if failed > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// `file` relative to the input `root` it was found under (a file root maps to its name).
fn relative_to(file: &Path, root: &Path) -> PathBuf {
    match file.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => PathBuf::from(file.file_name().unwrap_or_default()),
    }
}
