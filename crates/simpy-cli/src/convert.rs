//! `simpy encode`, `simpy decode` and `simpy normalize`: one input to stdout or a file, or
//! trees to a mirrored tree (`a/b.py` → `OUT/a/b.simpy`), failures reported and skipped,
//! everything else converted. No output ever replaces an input or another output of the run.

use crate::diagnostics::BadInput;
use crate::files::{self, Found, Kind};
use anyhow::bail;
use clap::Args;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(Args)]
pub struct ConvertArgs {
    /// Files or directories (searched recursively); `-` reads standard input
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Output: for one input a file, or a directory to write it into (an existing one, or a
    /// path ending in `/`); for several inputs or a directory, a directory that mirrors them
    /// (with several inputs, each keeps its own folder: `OUT/pkg/…`, `OUT/lib/…`).
    /// Without it (or with `-o -`) a single input goes to standard output
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Leave comments out (lossy: for comparisons with tools that drop them)
    #[arg(long)]
    strip_comments: bool,
    /// Refuse valid but non-canonical SimPy (a stray space or a spelling `encode` never
    /// writes) instead of warning about it
    #[arg(long)]
    strict: bool,
    /// The input is a prompt: Python cut at a cursor (encode only, one input). Blocks open at
    /// the end stay open, and what only the rest of the file can decide is left out and said
    /// on standard error; the output is the SimPy a model continues, with no newline added
    #[arg(long)]
    prompt: bool,
    /// Write the Python as soon as the SimPy that decides it has arrived, while the input is
    /// still arriving (decode only, one input to standard output): for a model's output piped
    /// in token by token
    #[arg(long)]
    stream: bool,
    /// SimPy as token ids of this tokenizer with SimPy's tokens added after its vocabulary
    /// (`gpt4`, `codellama` …), as a model reads and samples them: `encode` writes them
    /// (one input, to standard output), `decode --stream` reads them, separated by spaces or
    /// commas
    #[arg(long, value_name = "TOKENIZER")]
    token_ids: Option<String>,
    /// The column of a Parquet shard (`*.parquet`) that holds the sources
    #[arg(long, default_value = "content", value_name = "NAME")]
    column: String,
    /// The column a Parquet shard's conversion adds (default `simpy` for encode, `python` for
    /// decode, `normalized` for normalize); `NAME_error` beside it holds each failed row's error
    #[arg(long, value_name = "NAME")]
    output_column: Option<String>,
    /// Write nothing; exit 1 if any file would change (normalize only)
    #[arg(long)]
    check: bool,
    /// Write nothing; print a unified diff of what would change (normalize only)
    #[arg(long)]
    diff: bool,
    /// The spelling of SimPy to write or read: `simpy` (the paper's) or `compact` (fewer
    /// tokens, same grammar; `simpy dialect list`), or a dialect file
    #[arg(long, value_name = "NAME|FILE", default_value = "simpy", value_parser = crate::dialect::parse)]
    dialect: simpy::Dialect,
    #[command(flatten)]
    walk: files::WalkArgs,
}

/// Which conversion, and the file names it reads and writes.
impl ConvertArgs {
    /// Where `-o` writes: `None` for standard output, which `-o -` names too.
    fn output(&self) -> Option<&Path> {
        files::named_output(&self.output)
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Encode,
    Decode,
    Normalize,
}

/// A converted text, and warnings about its input that did not stop the conversion.
struct Converted {
    text: String,
    warnings: String,
}

impl Direction {
    fn input_kind(self) -> Kind {
        match self {
            Direction::Encode | Direction::Normalize => Kind::Python,
            Direction::Decode => Kind::Simpy,
        }
    }

    /// Stubs keep their own extension both ways (`a.pyi` ⇄ `a.simpyi`), so that `a.py` and
    /// `a.pyi` side by side never meet in one output.
    fn output_extension(self, input: &Path) -> &'static str {
        let stub = matches!(files::extension(input).as_str(), "pyi" | "simpyi");
        match (self, stub) {
            (Direction::Decode | Direction::Normalize, true) => "pyi",
            (Direction::Decode | Direction::Normalize, false) => "py",
            (Direction::Encode, true) => "simpyi",
            (Direction::Encode, false) => "simpy",
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Direction::Encode => "encoded",
            Direction::Decode => "decoded",
            Direction::Normalize => "normalized",
        }
    }

    /// Why a file named on the command line is the wrong kind of input.
    fn refuse(self, path: &Path) -> Option<String> {
        match self {
            Direction::Encode | Direction::Normalize => files::not_python(path),
            Direction::Decode => (files::extension(path) == "py").then(|| {
                format!(
                    "{} is Python, not SimPy; `simpy encode` reads it",
                    path.display()
                )
            }),
        }
    }

    /// The column a Parquet shard's conversion adds, unless `--output-column` names another.
    fn output_column(self) -> &'static str {
        match self {
            Direction::Encode => "simpy",
            Direction::Decode => "python",
            Direction::Normalize => "normalized",
        }
    }

    /// The library's conversion alone, without what a file adds (`--prompt`, the final
    /// newline, canonical-form warnings): a Parquet row's, and a file's under the rest.
    fn convert_row(
        self,
        bytes: &[u8],
        strip_comments: bool,
        dialect: &simpy::Dialect,
    ) -> Result<String, simpy::Error> {
        if let Err(why) = files::check_size(bytes.len()) {
            return Err(simpy::Error {
                kind: simpy::ErrorKind::Limit,
                range: Default::default(),
                location: simpy::ast::LineCol { line: 1, col: 1 },
                line_text: String::new(),
                message: why,
                hint: None,
            });
        }
        match self {
            Direction::Encode => {
                let options = simpy::EncodeOptions {
                    strip_comments,
                    ..Default::default()
                };
                dialect.encode_bytes(bytes, &options)
            }
            Direction::Decode => {
                dialect.decode_bytes(bytes, &simpy::DecodeOptions { strip_comments })
            }
            Direction::Normalize => {
                simpy::normalize_bytes(bytes, &simpy::NormalizeOptions { strip_comments })
            }
        }
    }

    /// The converted text, or the rendered error for people.
    fn convert(self, bytes: &[u8], name: &str, args: &ConvertArgs) -> Result<Converted, String> {
        let plain = |text| Converted {
            text,
            warnings: String::new(),
        };
        match self {
            Direction::Encode if args.prompt => {
                let python = std::str::from_utf8(bytes)
                    .map_err(|e| format!("{name}: error: a prompt must be UTF-8 ({e})\n"))?;
                let prompt = (args.dialect)
                    .encode_prompt(python)
                    .map_err(|e| e.render(name))?;
                let warnings = prompt.left_out.map_or_else(String::new, |left| {
                    format!("{name}: note: left out of the prompt: {}\n", left.reason)
                });
                Ok(Converted {
                    text: prompt.simpy,
                    warnings,
                })
            }
            Direction::Encode => {
                let mut text = self
                    .convert_row(bytes, args.strip_comments, &args.dialect)
                    .map_err(|e| e.render(name))?;
                // A text file ends with a newline; decode reads it as the end of the input.
                if !text.is_empty() && !text.ends_with('\n') {
                    text.push('\n');
                }
                Ok(plain(text))
            }
            Direction::Decode => {
                let text = simpy::simpy_text(bytes).map_err(|e| e.render(name))?;
                let options = simpy::DecodeOptions {
                    strip_comments: args.strip_comments,
                };
                let decoded = (args.dialect)
                    .decode_checked(text, &options)
                    .map_err(|e| e.render(name))?;
                let warnings = match decoded.non_canonical {
                    Some(w) if args.strict => return Err(w.render_as_error(name)),
                    Some(w) => w.render(name),
                    None => String::new(),
                };
                Ok(Converted {
                    text: decoded.python,
                    warnings,
                })
            }
            Direction::Normalize => self
                .convert_row(bytes, args.strip_comments, &args.dialect)
                .map(plain)
                .map_err(|e| e.render(name)),
        }
    }
}

/// One file's work: where it comes from and where it goes (nowhere under `--check`/`--diff`).
struct Job {
    input: PathBuf,
    output: Option<PathBuf>,
}

/// `decode --stream`: the whole input is the continuation of an empty prompt.
fn run_stream(args: &ConvertArgs, direction: Direction) -> anyhow::Result<ExitCode> {
    if direction != Direction::Decode {
        bail!("--stream is an option of `simpy decode` (and `simpy complete`)");
    }
    if args.paths.len() != 1 || args.output().is_some() || args.strip_comments || args.strict {
        bail!(
            "--stream decodes one input (a file or `-`) to standard output, without other options"
        );
    }
    let options = simpy::CompleteOptions {
        stop: simpy::Stop::None,
        max_bytes: None,
    };
    crate::stream::run(
        "",
        &args.dialect,
        &options,
        &args.paths[0],
        args.token_ids.as_deref(),
    )
}

enum Outcome {
    Written,
    Unchanged,
    WouldChange(String),
    Failed(String),
}

pub fn run(args: &ConvertArgs, direction: Direction, quiet: bool) -> anyhow::Result<ExitCode> {
    if (args.check || args.diff) && direction != Direction::Normalize {
        bail!("--check and --diff are options of `simpy normalize`");
    }
    if args.strict && direction != Direction::Decode {
        bail!("--strict is an option of `simpy decode`");
    }
    if args.prompt && direction != Direction::Encode {
        bail!("--prompt is an option of `simpy encode`");
    }
    if !args.dialect.is_canonical() && direction == Direction::Normalize {
        bail!("--dialect is an option of `simpy encode` and `simpy decode`");
    }
    if args.stream {
        return run_stream(args, direction);
    }
    if args.token_ids.is_some() && direction != Direction::Encode {
        bail!("--token-ids is an option of `simpy encode` and of `simpy decode --stream`");
    }
    if args.paths.iter().any(|p| crate::parquet::is_parquet(p)) {
        return run_parquet(args, direction, quiet);
    }
    let dry = args.check || args.diff;
    let inputs = files::collect(
        &args.paths,
        direction.input_kind(),
        &args.walk,
        args.output(),
        |p| direction.refuse(p),
    )?;
    let single = args.paths.len() == 1
        && inputs.files.len() == 1
        && (files::is_stdin(&args.paths[0]) || !args.paths[0].is_dir());
    if inputs.files.iter().any(|f| files::is_stdin(&f.path)) && args.paths.len() > 1 {
        bail!("`-` (standard input) cannot be mixed with other inputs");
    }
    if single && !dry {
        return run_single(args, direction, &inputs.files[0].path);
    }
    if args.prompt {
        bail!("--prompt takes one file (or `-`): a prompt is code up to one cursor");
    }
    let jobs = plan(args, direction, &inputs.files, dry)?;
    let progress = files::progress_bar(jobs.len() as u64, quiet);
    let graceful = crate::interrupt::Graceful::new();
    let outcomes: Vec<Option<anyhow::Result<Outcome>>> = jobs
        .par_iter()
        .map(|job| {
            if crate::interrupt::stopped() {
                return None;
            }
            let outcome = convert_one(args, direction, job);
            progress.inc(1);
            Some(outcome)
        })
        .collect();
    drop(graceful);
    progress.finish_and_clear();
    if crate::interrupt::stopped() {
        let done = outcomes.iter().filter(|o| o.is_some()).count();
        eprintln!(
            "simpy: interrupted: {done} of {} done, the rest not started; every output written \
             is whole",
            files::count(jobs.len(), "file", "files")
        );
        return Ok(ExitCode::from(crate::interrupt::EXIT_CODE));
    }
    let outcomes = outcomes.into_iter().flatten();

    // Inputs that could not be used, then files that did not convert.
    let mut failed = inputs.problems.len();
    let mut changed = 0;
    let mut stdout = Vec::new();
    for problem in &inputs.problems {
        eprintln!("{}: error: {}", problem.name, problem.why);
    }
    // A file that cannot be read or written is reported with the rest, never ends the report.
    let mut tool_failed = inputs.problems.iter().any(|p| p.unreadable);
    for (job, outcome) in jobs.iter().zip(outcomes) {
        let outcome = match outcome {
            Ok(outcome) => outcome,
            Err(err) => {
                failed += 1;
                tool_failed |= err.downcast_ref::<crate::diagnostics::BadInput>().is_none();
                eprintln!("simpy: error: {err:#}");
                continue;
            }
        };
        match outcome {
            Outcome::Written | Outcome::Unchanged => {}
            Outcome::WouldChange(diff) => {
                changed += 1;
                if args.diff {
                    stdout.extend_from_slice(diff.as_bytes());
                } else {
                    eprintln!("would change {}", job.input.display());
                }
            }
            Outcome::Failed(message) => {
                failed += 1;
                eprint!("{message}");
            }
        }
    }
    let total = jobs.len() + inputs.problems.len();
    if !quiet {
        let done = if dry {
            format!("{changed} would change")
        } else {
            format!("{} {}", total - failed, direction.verb())
        };
        let summary = format!(
            "{}: {done}, {failed} failed\n",
            files::count(total, "file", "files")
        );
        // The summary goes beside the output, unless the output is a diff on stdout.
        if args.diff {
            eprint!("{summary}");
        } else {
            stdout.extend_from_slice(summary.as_bytes());
        }
    }
    files::write_stdout(&stdout)?;
    Ok(if tool_failed {
        ExitCode::from(2)
    } else if failed > 0 || (args.check && changed > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// Parquet shards, each to a shard with every input column, the converted column and an
/// error column (`simpy encode shard.parquet -o out.parquet`, or several into a directory).
fn run_parquet(args: &ConvertArgs, direction: Direction, quiet: bool) -> anyhow::Result<ExitCode> {
    if let Some(other) = args.paths.iter().find(|p| !crate::parquet::is_parquet(p)) {
        bail!(
            "{} is not a Parquet shard: convert shards and files in separate runs",
            other.display()
        );
    }
    if args.prompt || args.check || args.diff || args.token_ids.is_some() {
        bail!("--prompt, --check, --diff and --token-ids take files, not Parquet shards");
    }
    let Some(out) = args.output() else {
        bail!("a Parquet shard converts into another: name it with -o OUT.parquet (or -o DIR/)");
    };
    let into_dir =
        args.paths.len() > 1 || out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/');
    let into = args
        .output_column
        .clone()
        .unwrap_or_else(|| direction.output_column().to_owned());
    let convert = |bytes: &[u8]| direction.convert_row(bytes, args.strip_comments, &args.dialect);
    let mut failed_rows = 0;
    for input in &args.paths {
        let output = if into_dir {
            out.join(input.file_name().unwrap_or_default())
        } else {
            out.to_path_buf()
        };
        refuse_own_input(&output, input)?;
        let shard = crate::parquet::Shard::open(input, &args.column)?;
        let progress = files::progress_bar(shard.rows(), quiet);
        let done = crate::parquet::convert(&shard, &output, &into, convert, &progress)?;
        progress.finish_and_clear();
        failed_rows += done.failed;
        for example in &done.examples {
            eprintln!("{}: {example}", input.display());
        }
        if !quiet {
            eprintln!(
                "{}: {} rows {} into {} (column `{into}`), {} failed (column `{into}_error`), {} null",
                input.display(),
                done.rows,
                direction.verb(),
                output.display(),
                done.failed,
                done.null
            );
        }
    }
    Ok(if failed_rows > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// One named file (or standard input) to standard output, a file, or into a directory.
fn run_single(args: &ConvertArgs, direction: Direction, path: &Path) -> anyhow::Result<ExitCode> {
    let name = files::display_name(path);
    let bytes = files::read_input(path)?;
    let converted = match direction.convert(&bytes, &name, args) {
        Ok(converted) => converted,
        Err(message) => {
            eprint!("{message}");
            return Ok(ExitCode::from(1));
        }
    };
    eprint!("{}", converted.warnings);
    if let Some(name) = &args.token_ids {
        if args.output().is_some() {
            bail!("--token-ids writes to standard output");
        }
        let vocabulary =
            simpy_tokens::SimpyVocabulary::named(name)?.with_idioms(args.dialect.idioms.len());
        let ids = vocabulary.encode(converted.text.strip_suffix('\n').unwrap_or(&converted.text));
        let line: Vec<String> = ids.iter().map(u32::to_string).collect();
        files::write_stdout(format!("{}\n", line.join(" ")).as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    }
    let Some(out) = args.output() else {
        files::write_stdout(converted.text.as_bytes())?;
        return Ok(ExitCode::SUCCESS);
    };
    let into_dir = out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/');
    let target = if into_dir {
        let stem = if files::is_stdin(path) {
            PathBuf::from("stdin")
        } else {
            PathBuf::from(path.file_name().unwrap_or_default())
        };
        out.join(stem.with_extension(direction.output_extension(path)))
    } else {
        out.to_path_buf()
    };
    refuse_own_input(&target, path)?;
    files::write_atomically(&target, converted.text.as_bytes())?;
    Ok(ExitCode::SUCCESS)
}

/// Where each input goes. One directory root mirrors into OUT; with several roots each keeps
/// its own folder under OUT. Two inputs bound for one output, or an output that would replace
/// an input, stop the run before anything is written.
fn plan(
    args: &ConvertArgs,
    direction: Direction,
    found: &[Found],
    dry: bool,
) -> anyhow::Result<Vec<Job>> {
    if dry {
        return Ok(found
            .iter()
            .map(|f| Job {
                input: f.path.clone(),
                output: None,
            })
            .collect());
    }
    let Some(out_dir) = args.output() else {
        if found.is_empty() {
            return Ok(Vec::new());
        }
        bail!(
            "several inputs or a directory need -o OUTPUT_DIRECTORY (or `simpy {} FILE` for one file)",
            match direction {
                Direction::Encode => "encode",
                Direction::Decode => "decode",
                Direction::Normalize => "normalize",
            }
        );
    };
    if out_dir.is_file() {
        bail!(
            "{} is a file; several inputs need an output directory",
            out_dir.display()
        );
    }
    let several_roots = args.paths.len() > 1;
    let mut jobs = Vec::with_capacity(found.len());
    let mut claimed: HashMap<PathBuf, &Path> = HashMap::new();
    for f in found {
        let root = &args.paths[f.root];
        let mut relative = relative_to(&f.path, root);
        if several_roots && root.is_dir() {
            relative = root_name(root).join(relative);
        }
        let output = out_dir.join(relative.with_extension(direction.output_extension(&f.path)));
        if let Some(first) = claimed.insert(output.clone(), &f.path) {
            return Err(BadInput(format!(
                "{} and {} would both be written to {}; nothing was written (convert them \
                 separately or into different output directories)",
                first.display(),
                f.path.display(),
                output.display()
            ))
            .into());
        }
        if same_file(&output, &f.path) {
            return Err(BadInput(format!(
                "{} would be written over its own input; nothing was written (choose an output \
                 directory outside the inputs)",
                f.path.display()
            ))
            .into());
        }
        jobs.push(Job {
            input: f.path.clone(),
            output: Some(output),
        });
    }
    Ok(jobs)
}

fn convert_one(args: &ConvertArgs, direction: Direction, job: &Job) -> anyhow::Result<Outcome> {
    let bytes = files::read_input(&job.input)?;
    let name = job.input.display().to_string();
    let converted = match direction.convert(&bytes, &name, args) {
        Ok(converted) => converted,
        Err(message) => return Ok(Outcome::Failed(message)),
    };
    eprint!("{}", converted.warnings);
    match &job.output {
        Some(output) => {
            files::write_atomically(output, converted.text.as_bytes())?;
            Ok(Outcome::Written)
        }
        None => {
            let before = String::from_utf8_lossy(&bytes);
            if before == converted.text {
                return Ok(Outcome::Unchanged);
            }
            let diff = similar::TextDiff::from_lines(before.as_ref(), converted.text.as_str())
                .unified_diff()
                .header(&name, &name)
                .to_string();
            Ok(Outcome::WouldChange(diff))
        }
    }
}

/// `file` relative to the input `root` it was found under (a file root maps to its name).
fn relative_to(file: &Path, root: &Path) -> PathBuf {
    match file.strip_prefix(root) {
        Ok(rel) if !rel.as_os_str().is_empty() => rel.to_path_buf(),
        _ => PathBuf::from(file.file_name().unwrap_or_default()),
    }
}

/// The folder name a root keeps under OUT when there are several (`.` is named after the
/// folder it stands for).
fn root_name(root: &Path) -> PathBuf {
    root.file_name()
        .map(PathBuf::from)
        .or_else(|| {
            root.canonicalize()
                .ok()
                .and_then(|c| c.file_name().map(PathBuf::from))
        })
        .unwrap_or_else(|| PathBuf::from("root"))
}

/// One output named for one input: never the input itself.
fn refuse_own_input(output: &Path, input: &Path) -> anyhow::Result<()> {
    if same_file(output, input) {
        bail!(
            "refusing to write {} over its own input; name another output",
            output.display()
        );
    }
    Ok(())
}

fn same_file(a: &Path, b: &Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(a), Ok(b)) => a == b,
        _ => false,
    }
}
