//! `simpy report`: token counts of Python, of the same program normalized, and of its SimPy,
//! for each tokenizer, with and without comments, beside the paper's published reductions.
//!
//! Files are counted in parallel and summed as they finish, so memory stays flat however many
//! files or JSONL records there are; files that fail to parse are counted and listed.

mod render;

use crate::files;
use anyhow::{bail, Context};
use clap::{Args, ValueEnum};
use rayon::prelude::*;
use simpy_tokens::Tokenizer;
use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct ReportArgs {
    /// Python files, directories (searched recursively for *.py), `-` for standard input, and
    /// JSONL files (`*.jsonl`: one JSON object per line, the source in `--jsonl-field`)
    paths: Vec<PathBuf>,
    /// Report on the local CPython standard library (with its site-packages)
    #[arg(long)]
    stdlib: bool,
    /// Comma-separated tokenizer names; `all` is every embedded one (gpt4, gpt35, gpt4o,
    /// codex, gpt2, codebert), `gguf` the ones read from fetched GGUF vocabularies (codellama,
    /// starcoder2, deepseek-coder, qwen2.5-coder: run `bash scripts/fetch_tokenizers.sh` once)
    #[arg(long, default_value = "all", value_delimiter = ',')]
    tokenizers: Vec<String>,
    /// Another tokenizer from files: `NAME=PATH`, where PATH is a tokenizer.json, or a vocab.json
    /// with merges.txt beside it, or a directory holding either (for example CodeT5's)
    #[arg(long, value_name = "NAME=PATH")]
    tokenizer_file: Vec<String>,
    /// The JSON field of each JSONL record that holds the Python source
    #[arg(long, default_value = "content")]
    jsonl_field: String,
    /// How to write the report
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Write the report to this file instead of standard output
    #[arg(short, long)]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Format {
    /// Aligned text, the skipped inputs listed after it
    Table,
    /// One object: totals per tokenizer, with and without comments, and the skipped inputs
    Json,
    /// One row per tokenizer and comment setting
    Csv,
    /// One self-contained page with an inline SVG chart
    Html,
}

/// Characters and tokens (one count per tokenizer) of one kind of text.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub chars: u64,
    pub tokens: Vec<u64>,
}

impl Counts {
    fn zero(tokenizers: usize) -> Counts {
        Counts {
            chars: 0,
            tokens: vec![0; tokenizers],
        }
    }

    fn add(&mut self, other: &Counts) {
        self.chars += other.chars;
        for (a, b) in self.tokens.iter_mut().zip(&other.tokens) {
            *a += b;
        }
    }
}

/// The three texts compared, with comments kept or stripped.
#[derive(Clone, Debug)]
pub struct Side {
    pub original: Counts,
    pub normalized: Counts,
    pub simpy: Counts,
}

impl Side {
    fn zero(tokenizers: usize) -> Side {
        Side {
            original: Counts::zero(tokenizers),
            normalized: Counts::zero(tokenizers),
            simpy: Counts::zero(tokenizers),
        }
    }

    fn add(&mut self, other: &Side) {
        self.original.add(&other.original);
        self.normalized.add(&other.normalized);
        self.simpy.add(&other.simpy);
    }
}

/// Everything a report shows.
pub struct Report {
    pub tokenizers: Vec<String>,
    pub files: u64,
    pub bytes: u64,
    pub with_comments: Side,
    pub without_comments: Side,
    /// (input name, reason) for every input that was not counted.
    pub failures: Vec<(String, String)>,
}

impl Report {
    fn empty(tokenizers: Vec<String>) -> Report {
        let n = tokenizers.len();
        Report {
            tokenizers,
            files: 0,
            bytes: 0,
            with_comments: Side::zero(n),
            without_comments: Side::zero(n),
            failures: Vec::new(),
        }
    }

    fn add(&mut self, one: Result<FileCounts, (String, String)>) {
        match one {
            Ok(f) => {
                self.files += 1;
                self.bytes += f.bytes;
                self.with_comments.add(&f.with_comments);
                self.without_comments.add(&f.without_comments);
            }
            Err(failure) => self.failures.push(failure),
        }
    }
}

struct FileCounts {
    bytes: u64,
    with_comments: Side,
    without_comments: Side,
}

/// The tokenizers of a report; those that count plain text alike share the work.
pub struct TokenizerSet {
    tokenizers: Vec<Tokenizer>,
    /// For each tokenizer, the index of the first one with the same counting key.
    same_as: Vec<usize>,
}

impl TokenizerSet {
    pub fn new(tokenizers: Vec<Tokenizer>) -> TokenizerSet {
        let keys: Vec<String> = tokenizers.iter().map(Tokenizer::counting_key).collect();
        let same_as = keys
            .iter()
            .map(|k| keys.iter().position(|other| other == k).unwrap_or(0))
            .collect();
        TokenizerSet {
            tokenizers,
            same_as,
        }
    }

    pub fn names(&self) -> Vec<String> {
        self.tokenizers
            .iter()
            .map(|t| t.name().to_owned())
            .collect()
    }

    fn count(&self, text: &str) -> Counts {
        let mut plain = vec![0u64; self.tokenizers.len()];
        for (i, t) in self.tokenizers.iter().enumerate() {
            plain[i] = if self.same_as[i] == i {
                t.count_text(text) as u64
            } else {
                plain[self.same_as[i]]
            };
        }
        Counts {
            chars: text.chars().count() as u64,
            tokens: plain
                .iter()
                .zip(&self.tokenizers)
                .map(|(n, t)| n + t.per_document() as u64)
                .collect(),
        }
    }
}

/// Counts one Python source; an error is the reason it was skipped.
fn count_source(bytes: &[u8], set: &TokenizerSet) -> Result<FileCounts, String> {
    let parsed = simpy_python::parse_module(bytes)
        .map_err(|e| format!("{}:{}: {}", e.location.line, e.location.col, e.error))?;
    let source = &parsed.source;
    let python = |comments: &simpy_ast::Comments| {
        let options = simpy_codegen::PythonOptions {
            source: Some(source),
        };
        simpy_codegen::print_python_with(&parsed.module, comments, &options)
    };
    let simpy = |strip_comments: bool| {
        simpy::encode_parsed(&parsed, &simpy::EncodeOptions { strip_comments })
    };
    let no_comments = simpy_ast::Comments::default();
    Ok(FileCounts {
        bytes: bytes.len() as u64,
        with_comments: Side {
            original: set.count(source),
            normalized: set.count(&python(&parsed.comments)),
            simpy: set.count(&simpy(false)),
        },
        without_comments: Side {
            original: set.count(&simpy::remove_comments(source, &parsed.comments)),
            normalized: set.count(&python(&no_comments)),
            simpy: set.count(&simpy(true)),
        },
    })
}

pub fn run(args: &ReportArgs) -> anyhow::Result<ExitCode> {
    let set = TokenizerSet::new(tokenizers(args)?);
    let mut paths = args.paths.clone();
    if args.stdlib {
        paths.push(stdlib_path()?);
    }
    if paths.is_empty() {
        bail!(
            "nothing to report on: give PATH arguments, or --stdlib for the local standard library"
        );
    }
    let (jsonl, python): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .into_iter()
        .partition(|p| p.extension().is_some_and(|e| e == "jsonl"));
    let python = files::collect(&python, "py")?;

    let mut report = Report::empty(set.names());
    let progress = files::progress_bar(python.len() as u64);
    let counted: Vec<Result<FileCounts, (String, String)>> = python
        .par_iter()
        .map(|path| {
            let name = files::display_name(path);
            let result = match files::read_input(path) {
                Ok(bytes) => count_source(&bytes, &set).map_err(|why| (name, why)),
                Err(e) => Err((name, format!("{e:#}"))),
            };
            progress.inc(1);
            result
        })
        .collect();
    progress.finish_and_clear();
    for one in counted {
        report.add(one);
    }
    for path in &jsonl {
        count_jsonl(path, &args.jsonl_field, &set, &mut report)?;
    }

    let text = match args.format {
        Format::Table => render::table(&report),
        Format::Json => render::json(&report),
        Format::Csv => render::csv(&report),
        Format::Html => render::html(&report),
    };
    match &args.output {
        Some(out) => {
            std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?
        }
        None => std::io::stdout().write_all(text.as_bytes())?,
    }
    if !matches!(args.format, Format::Table) && !report.failures.is_empty() {
        eprintln!(
            "simpy: {} inputs could not be parsed and were not counted (listed in the report)",
            report.failures.len()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Streams a JSONL file: records are counted in parallel batches, never all held at once.
fn count_jsonl(
    path: &Path,
    field: &str,
    set: &TokenizerSet,
    report: &mut Report,
) -> anyhow::Result<()> {
    const BATCH: usize = 1024;
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot read {}", path.display()))?;
    let name = path.display().to_string();
    let spinner = files::spinner();
    let mut lines = std::io::BufReader::new(file).lines().enumerate();
    loop {
        let batch: Vec<(usize, std::io::Result<String>)> = lines.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let counted: Vec<Result<FileCounts, (String, String)>> = batch
            .into_par_iter()
            .filter(|(_, line)| !matches!(line, Ok(l) if l.trim().is_empty()))
            .map(|(i, line)| {
                let at = format!("{name}:{}", i + 1);
                let line = line.map_err(|e| (at.clone(), format!("cannot read: {e}")))?;
                let record: serde_json::Value = serde_json::from_str(&line)
                    .map_err(|e| (at.clone(), format!("not JSON: {e}")))?;
                let Some(source) = record.get(field).and_then(|v| v.as_str()) else {
                    return Err((at, format!("no string field `{field}`")));
                };
                count_source(source.as_bytes(), set).map_err(|why| (at, why))
            })
            .collect();
        spinner.inc(counted.len() as u64);
        for one in counted {
            report.add(one);
        }
    }
    spinner.finish_and_clear();
    Ok(())
}

fn tokenizers(args: &ReportArgs) -> anyhow::Result<Vec<Tokenizer>> {
    let mut out = Vec::new();
    for name in &args.tokenizers {
        if name == "all" {
            for (builtin, _) in simpy_tokens::BUILTIN {
                out.push(Tokenizer::builtin(builtin)?);
            }
        } else if name == "gguf" {
            for (fetched, _, _) in simpy_tokens::GGUF {
                out.push(Tokenizer::builtin(fetched)?);
            }
        } else if !name.is_empty() {
            out.push(Tokenizer::builtin(name)?);
        }
    }
    for spec in &args.tokenizer_file {
        let Some((name, path)) = spec.split_once('=') else {
            bail!(
                "--tokenizer-file takes NAME=PATH, for example codet5=../shared/tokenizers/codet5"
            );
        };
        out.push(tokenizer_from_path(name, Path::new(path))?);
    }
    if out.is_empty() {
        bail!("no tokenizer selected");
    }
    Ok(out)
}

/// `tokenizer.json`, `vocab.json` (with `merges.txt` beside it), or a directory with either.
fn tokenizer_from_path(name: &str, path: &Path) -> anyhow::Result<Tokenizer> {
    let (file, dir) = if path.is_dir() {
        let json = path.join("tokenizer.json");
        let file = if json.is_file() {
            json
        } else {
            path.join("vocab.json")
        };
        (file, path.to_path_buf())
    } else {
        (
            path.to_path_buf(),
            path.parent().unwrap_or(Path::new(".")).to_path_buf(),
        )
    };
    let merges = file
        .file_name()
        .is_some_and(|f| f == "vocab.json")
        .then(|| dir.join("merges.txt"));
    if let Some(m) = &merges {
        if !m.is_file() {
            bail!(
                "{} needs merges.txt beside it ({} is missing)",
                file.display(),
                m.display()
            );
        }
    }
    Ok(Tokenizer::from_files(name, &file, merges.as_deref())?)
}

fn stdlib_path() -> anyhow::Result<PathBuf> {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        ])
        .output()
        .context("--stdlib asks python3 where its standard library is; python3 did not run")?;
    if !out.status.success() {
        bail!("python3 could not name its standard library");
    }
    Ok(PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
}
