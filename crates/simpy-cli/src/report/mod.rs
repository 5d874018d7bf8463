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
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct ReportArgs {
    /// Python files, directories (searched recursively for *.py and *.pyi), `-` for standard
    /// input, JSON Lines datasets (`*.jsonl`, `*.ndjson`: one JSON object per line, the
    /// source in the field `--column` names) and Parquet shards (`*.parquet`, the source in
    /// the column `--column` names)
    paths: Vec<PathBuf>,
    /// Report on the local CPython standard library (with its site-packages)
    #[arg(long)]
    stdlib: bool,
    /// Comma-separated tokenizer names; `all` is every embedded one (gpt4, gpt35, gpt4o,
    /// codex, gpt2, codebert), `gguf` the ones read from fetched GGUF vocabularies (codellama,
    /// starcoder2, deepseek-coder, qwen2.5-coder: llama.cpp's ggml-vocab-*.gguf files from the
    /// llama-cpp-python 0.3.36 source package, in $SIMPY_TOKENIZERS or ~/.cache/simpy/tokenizers);
    /// names are case-insensitive and encoding names work too (`cl100k_base`)
    #[arg(long, default_value = "all", value_delimiter = ',')]
    tokenizers: Vec<String>,
    /// Another tokenizer from files: `NAME=PATH`, where PATH is a tokenizer.json, or a vocab.json
    /// with merges.txt beside it, or a directory holding either (for example CodeT5's)
    #[arg(long, value_name = "NAME=PATH")]
    tokenizer_file: Vec<String>,
    /// The field of each JSONL record, or the column of each Parquet shard, that holds the
    /// Python source
    #[arg(
        long,
        visible_alias = "jsonl-field",
        default_value = "content",
        value_name = "NAME"
    )]
    column: String,
    /// How to write the report (default: from the extension of -o, else a table)
    #[arg(long, value_enum)]
    format: Option<Format>,
    /// Write the report to this file instead of standard output (`-`; checked before counting)
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Count the SimPy in this dialect: `simpy` (the paper's spelling) or `compact`
    /// (`simpy dialect list`), or a dialect file
    #[arg(long, value_name = "NAME|FILE", default_value = "simpy", value_parser = crate::dialect::parse)]
    dialect: simpy::Dialect,
    #[command(flatten)]
    walk: files::WalkArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
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
    /// The dialect of the SimPy counted (`simpy` unless `--dialect` names another).
    pub dialect: String,
    /// How that dialect spells literals (`kept`, or `normalized`: the author's spellings lost).
    pub literals: simpy::Literals,
    pub files: u64,
    pub bytes: u64,
    pub with_comments: Side,
    pub without_comments: Side,
    /// (input name, reason) for every input that was not counted.
    pub failures: Vec<(String, String)>,
}

impl Report {
    fn empty(tokenizers: Vec<String>, dialect: &simpy::Dialect) -> Report {
        let n = tokenizers.len();
        Report {
            tokenizers,
            dialect: dialect.name.clone(),
            literals: dialect.literals,
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

/// The tokenizers of a report, those that count plain text alike sharing the work, and the
/// dialect the SimPy is spelt in.
pub struct TokenizerSet {
    tokenizers: Vec<Tokenizer>,
    dialect: simpy::Dialect,
    /// For each tokenizer, the index of the first one with the same counting key.
    same_as: Vec<usize>,
}

impl TokenizerSet {
    pub fn new(tokenizers: Vec<Tokenizer>, dialect: simpy::Dialect) -> TokenizerSet {
        let keys: Vec<String> = tokenizers.iter().map(Tokenizer::counting_key).collect();
        let same_as = keys
            .iter()
            .map(|k| keys.iter().position(|other| other == k).unwrap_or(0))
            .collect();
        TokenizerSet {
            tokenizers,
            dialect,
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
    files::check_size(bytes.len())?;
    let parsed = simpy_python::parse_module(bytes).map_err(|e| {
        format!(
            "not valid Python 3: {}:{}: {}",
            e.location.line, e.location.col, e.error
        )
    })?;
    let source = &parsed.source;
    let python = |strip_comments: bool| {
        simpy::normalize_parsed(&parsed, &simpy::NormalizeOptions { strip_comments })
    };
    let simpy = |strip_comments: bool| {
        let options = simpy::EncodeOptions {
            strip_comments,
            ..Default::default()
        };
        (set.dialect.encode_parsed(&parsed, &options)).map_err(|e| e.to_string())
    };
    Ok(FileCounts {
        bytes: bytes.len() as u64,
        with_comments: Side {
            original: set.count(source),
            normalized: set.count(&python(false)),
            simpy: set.count(&simpy(false)?),
        },
        without_comments: Side {
            original: set.count(&simpy::remove_comments(source, &parsed.comments)),
            normalized: set.count(&python(true)),
            simpy: set.count(&simpy(true)?),
        },
    })
}

pub fn run(args: &ReportArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    let format = args.format.unwrap_or_else(|| {
        match files::named_output(&args.output)
            .map(files::extension)
            .as_deref()
        {
            Some("json") => Format::Json,
            Some("csv") => Format::Csv,
            Some("html" | "htm") => Format::Html,
            _ => Format::Table,
        }
    });
    // A long run must not be lost to an output path that cannot be written.
    if let Some(out) = files::named_output(&args.output) {
        files::check_writable(out)?;
    }
    let set = TokenizerSet::new(tokenizers(args)?, args.dialect.clone());
    let mut paths = args.paths.clone();
    if args.stdlib {
        paths.push(stdlib_path()?);
    }
    if paths.is_empty() {
        bail!(
            "nothing to report on: give PATH arguments, or --stdlib for the local standard library"
        );
    }
    let (parquet, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths
        .into_iter()
        .partition(|p| crate::parquet::is_parquet(p));
    let (jsonl, python): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.into_iter().partition(|p| files::is_jsonl(p));
    let inputs = files::collect(
        &python,
        files::Kind::Python,
        &args.walk,
        files::named_output(&args.output),
        files::not_python,
    )?;

    let mut report = Report::empty(set.names(), &set.dialect);
    report
        .failures
        .extend(inputs.problems.into_iter().map(|p| (p.name, p.why)));
    let progress = files::progress_bar(inputs.files.len() as u64, quiet);
    let counted: Vec<Result<FileCounts, (String, String)>> = inputs
        .files
        .par_iter()
        .map(|found| {
            let name = files::display_name(&found.path);
            let result = match files::read_input(&found.path) {
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
        count_jsonl(path, &args.column, &set, &mut report, quiet)?;
    }
    for path in &parquet {
        count_parquet(path, &args.column, &set, &mut report, quiet);
    }

    let text = match format {
        Format::Table => render::table(&report),
        Format::Json => render::json(&report),
        Format::Csv => render::csv(&report),
        Format::Html => render::html(&report),
    };
    match files::named_output(&args.output) {
        Some(out) => files::write_atomically(out, text.as_bytes())?,
        None => files::write_stdout(text.as_bytes())?,
    }
    if report.files == 0 {
        eprintln!(
            "simpy: error: nothing was counted{}",
            nothing_counted_why(&report)
        );
        return Ok(ExitCode::from(1));
    }
    if !report.failures.is_empty() {
        if format != Format::Table || files::named_output(&args.output).is_some() {
            eprintln!(
                "simpy: {} not counted (listed in the report)",
                files::count(report.failures.len(), "input was", "inputs were")
            );
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Why a report counted nothing, from the reasons its inputs were skipped.
fn nothing_counted_why(report: &Report) -> String {
    match report.failures.as_slice() {
        [] => ": no input".into(),
        [(name, why)] => format!(": {name}: {why}"),
        all => format!("; all {} inputs were skipped", all.len()),
    }
}

/// Streams a JSONL file: records are counted in parallel batches, never all held at once.
fn count_jsonl(
    path: &Path,
    field: &str,
    set: &TokenizerSet,
    report: &mut Report,
    quiet: bool,
) -> anyhow::Result<()> {
    const BATCH: usize = 1024;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) => {
            report
                .failures
                .push((path.display().to_string(), format!("cannot read: {e}")));
            return Ok(());
        }
    };
    let name = path.display().to_string();
    let spinner = files::spinner(quiet);
    // Which fields the records have, and how many lack `field`, to say so once when none has it.
    let fields_seen = std::sync::Mutex::new(std::collections::BTreeSet::new());
    let without_field = std::sync::atomic::AtomicUsize::new(0);
    let mut records = 0usize;
    let failures_before = report.failures.len();
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
                    without_field.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    if let (Some(object), Ok(mut seen)) = (record.as_object(), fields_seen.lock()) {
                        seen.extend(object.keys().take(20).cloned());
                    }
                    return Err((at, format!("no string field `{field}`")));
                };
                count_source(source.as_bytes(), set).map_err(|why| (at, why))
            })
            .collect();
        spinner.inc(counted.len() as u64);
        records += counted.len();
        for one in counted {
            report.add(one);
        }
    }
    spinner.finish_and_clear();
    let skipped = report.failures.len() - failures_before;
    if records > 0 && without_field.into_inner() == records {
        // One line says it all; the same reason per record would bury it.
        report.failures.truncate(failures_before);
        let seen = fields_seen.into_inner().unwrap_or_default();
        let seen: Vec<String> = seen.into_iter().collect();
        let why = if seen.is_empty() {
            format!("no record has a string field `{field}` ({skipped} records)")
        } else {
            format!(
                "no record has a string field `{field}`; fields seen: {} (choose one with --column)",
                seen.join(", ")
            )
        };
        report.failures.push((name, why));
    }
    Ok(())
}

/// Streams a Parquet shard row group by row group; a shard that cannot be read, or has no
/// such column, is one failure of the report.
fn count_parquet(path: &Path, column: &str, set: &TokenizerSet, report: &mut Report, quiet: bool) {
    let name = path.display().to_string();
    let shard = match crate::parquet::Shard::open(path, column) {
        Ok(shard) => shard,
        Err(e) => {
            report.failures.push((name, format!("{e:#}")));
            return;
        }
    };
    let progress = files::progress_bar(shard.rows(), quiet);
    let mut row = 0usize;
    let read = shard.for_each_batch(
        |_, texts| {
            let counted: Vec<Result<FileCounts, (String, String)>> = texts
                .par_iter()
                .enumerate()
                .filter_map(|(i, text)| {
                    let text = (*text)?;
                    let at = format!("{name}:row {}", row + i);
                    Some(count_source(text, set).map_err(|why| (at, why)))
                })
                .collect();
            row += texts.len();
            progress.inc(texts.len() as u64);
            for one in counted {
                report.add(one);
            }
            Ok(())
        },
        || Ok(()),
    );
    progress.finish_and_clear();
    if let Err(e) = read {
        report.failures.push((name, format!("{e:#}")));
    }
}

fn tokenizers(args: &ReportArgs) -> anyhow::Result<Vec<Tokenizer>> {
    let mut names: Vec<&str> = Vec::new();
    for name in &args.tokenizers {
        let wanted: Vec<&str> = match name.to_ascii_lowercase().as_str() {
            "all" => simpy_tokens::BUILTIN.iter().map(|(n, _)| *n).collect(),
            "gguf" => simpy_tokens::GGUF.iter().map(|(n, _, _)| *n).collect(),
            "" => Vec::new(),
            _ => vec![simpy_tokens::canonical_name(name)
                .ok_or_else(|| simpy_tokens::TokenizerError::Unknown(name.clone()))?],
        };
        for n in wanted {
            // `--tokenizers gpt4,all` counts gpt4 once.
            if !names.contains(&n) {
                names.push(n);
            }
        }
    }
    // Loading a vocabulary takes up to half a second, before any file is counted: on all cores.
    let mut out = names
        .into_par_iter()
        .map(Tokenizer::builtin)
        .collect::<Result<Vec<_>, _>>()?;
    for spec in &args.tokenizer_file {
        let Some((name, path)) = spec.split_once('=') else {
            bail!(
                "--tokenizer-file takes NAME=PATH, for example codet5=path/to/codet5 (a folder with vocab.json and merges.txt)"
            );
        };
        out.push(Tokenizer::from_path(name, Path::new(path))?);
    }
    if out.is_empty() {
        bail!("no tokenizer selected");
    }
    Ok(out)
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
