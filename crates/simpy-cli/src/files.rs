//! Finding, reading and writing files: inputs named on the command line, trees walked as ruff
//! and ripgrep walk them (the `ignore` crate), outputs written whole or not at all.

use anyhow::{bail, Context};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::diagnostics::BadInput;

pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// The file `-o` names: `None` for standard output, which `-o -` names too.
pub fn named_output(output: &Option<PathBuf>) -> Option<&Path> {
    output.as_deref().filter(|out| !is_stdin(out))
}

pub fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

/// The largest input read (`--max-file-size`): a pathological file costs memory out of
/// proportion (a 100 MB list literal takes 20 GB), and real source files are far smaller.
static MAX_FILE_SIZE: AtomicU64 = AtomicU64::new(DEFAULT_MAX_FILE_SIZE);
pub const DEFAULT_MAX_FILE_SIZE: u64 = 32 << 20;

pub fn set_max_file_size(bytes: u64) {
    MAX_FILE_SIZE.store(bytes, Ordering::Relaxed);
}

/// A record of a dataset (where no file is read whole) is not over `--max-file-size`; the
/// refusal says why.
pub fn check_size(len: usize) -> Result<(), String> {
    if len as u64 > MAX_FILE_SIZE.load(Ordering::Relaxed) {
        return Err(too_large("", Some(len as u64)).0);
    }
    Ok(())
}

/// An input over `--max-file-size` (`bytes`: its size if known, else found over by reading):
/// bad input for this run (exit 1), not the tool failing.
fn too_large(name: &str, bytes: Option<u64>) -> BadInput {
    let mib = |n: u64| match n {
        0..1024 => format!("{n} B"),
        1024..0x10_0000 => format!("{:.1} KiB", n as f64 / 1024.0),
        0x10_0000..0x4000_0000 => format!("{:.1} MiB", n as f64 / f64::from(0x10_0000)),
        _ => format!("{:.2} GiB", n as f64 / f64::from(0x4000_0000)),
    };
    let max = MAX_FILE_SIZE.load(Ordering::Relaxed);
    let size = bytes.map_or_else(|| format!("more than {}", mib(max)), mib);
    let name = if name.is_empty() {
        String::new()
    } else {
        format!("{name}: ")
    };
    BadInput(format!(
        "{name}{size}, over the {} limit (--max-file-size raises it; a source file that \
         large is usually generated data)",
        mib(max)
    ))
}

/// The bytes of a file or of standard input (`-`), at most `--max-file-size` of them.
pub fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    let max = MAX_FILE_SIZE.load(Ordering::Relaxed);
    let name = display_name(path);
    let reader: Box<dyn Read> = if is_stdin(path) {
        Box::new(std::io::stdin())
    } else {
        let file = std::fs::File::open(path).with_context(|| format!("cannot read {name}"))?;
        // A regular file is judged by its size before a byte is read; a pipe as it is read.
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if len > max {
            return Err(too_large(&name, Some(len)).into());
        }
        Box::new(file)
    };
    let mut bytes = Vec::new();
    reader
        .take(max.saturating_add(1))
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > max {
        return Err(too_large(&name, None).into());
    }
    Ok(bytes)
}

/// How directories are walked; shared by every command that takes paths.
#[derive(Args, Clone, Debug, Default)]
pub struct WalkArgs {
    /// Skip files and folders matching this glob (gitignore syntax, repeatable),
    /// for example `--exclude 'tests/' --exclude '*_pb2.py'`
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Also walk hidden folders, virtualenvs and what .gitignore/.ignore files exclude
    /// (skipped by default, as ruff and ripgrep do)
    #[arg(long)]
    pub no_ignore: bool,
}

/// Which files a command reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `*.py` and `*.pyi`.
    Python,
    /// `*.simpy`, and `*.simpyi` for stubs.
    Simpy,
}

impl Kind {
    fn matches(self, path: &Path) -> bool {
        let ext = extension(path);
        match self {
            Kind::Python => ext == "py" || ext == "pyi",
            Kind::Simpy => ext == "simpy" || ext == "simpyi",
        }
    }
}

/// A file's extension, lowercase (empty when it has none).
pub fn extension(path: &Path) -> String {
    path.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

/// Whether `path` names a JSON Lines dataset (`.jsonl` or `.ndjson`, any case).
pub fn is_jsonl(path: &Path) -> bool {
    matches!(extension(path).as_str(), "jsonl" | "ndjson")
}

/// Why a file named on the command line is not Python, judged by its extension.
pub fn not_python(path: &Path) -> Option<String> {
    let name = path.display();
    Some(match extension(path).as_str() {
        "ipynb" => format!(
            "{name} is a Jupyter notebook (JSON), not Python; export its code first, for example \
             `jupyter nbconvert --to script {name}`"
        ),
        "json" | "jsonl" | "ndjson" => format!(
            "{name} is JSON, not Python; `simpy report` reads JSON Lines datasets \
             (`.jsonl`/`.ndjson`, the source in --column)"
        ),
        "simpy" => format!("{name} is SimPy, not Python; `simpy decode` reads it"),
        _ => return None,
    })
}

/// One input file and the command-line path it was found under.
#[derive(Clone, Debug)]
pub struct Found {
    pub path: PathBuf,
    /// Index of the command-line path it came from.
    pub root: usize,
}

/// A path that could not be used, and why.
#[derive(Clone, Debug)]
pub struct Problem {
    pub name: String,
    pub why: String,
    /// Missing, or a link to nothing or in a loop (exit 2), rather than the wrong kind of
    /// input (exit 1).
    pub unreadable: bool,
}

/// The inputs of a run: the files found, and each path that could not be used.
#[derive(Debug, Default)]
pub struct Inputs {
    pub files: Vec<Found>,
    pub problems: Vec<Problem>,
}

impl Inputs {
    fn problem(&mut self, name: String, why: String, unreadable: bool) {
        self.problems.push(Problem {
            name,
            why,
            unreadable,
        });
    }
}

/// Every file named in `paths`, directories walked for files of `kind` (sorted, so output is
/// stable). Named files are taken whatever their extension (refused by `refuse`, if it says
/// why); a missing path, a symlink loop or a dangling link is a problem, never the end of the
/// run. Nothing under `skip` (the run's own output folder) is read.
pub fn collect(
    paths: &[PathBuf],
    kind: Kind,
    walk: &WalkArgs,
    skip: Option<&Path>,
    refuse: impl Fn(&Path) -> Option<String>,
) -> anyhow::Result<Inputs> {
    let skip = skip.and_then(|s| s.canonicalize().ok());
    let mut inputs = Inputs::default();
    for (root, path) in paths.iter().enumerate() {
        if is_stdin(path) {
            inputs.files.push(Found {
                path: path.clone(),
                root,
            });
            continue;
        }
        // Not only regular files: `simpy encode <(…)` names a pipe.
        if path.exists() && !path.is_dir() {
            match refuse(path) {
                Some(why) => inputs.problem(display_name(path), why, false),
                None => inputs.files.push(Found {
                    path: path.clone(),
                    root,
                }),
            }
            continue;
        }
        if !path.is_dir() {
            let why = if is_dangling(path) {
                DANGLING
            } else {
                "no such file or directory"
            };
            inputs.problem(display_name(path), why.into(), true);
            continue;
        }
        let before = inputs.files.len();
        walk_dir(path, root, kind, walk, skip.as_deref(), &mut inputs)?;
        inputs.files[before..].sort_by(|a, b| a.path.cmp(&b.path));
        if inputs.files.len() == before {
            let what = match kind {
                Kind::Python => "Python files (*.py, *.pyi)",
                Kind::Simpy => "SimPy files (*.simpy, *.simpyi)",
            };
            inputs.problem(display_name(path), format!("no {what} found"), false);
        }
    }
    Ok(inputs)
}

fn walk_dir(
    dir: &Path,
    root: usize,
    kind: Kind,
    args: &WalkArgs,
    skip: Option<&Path>,
    inputs: &mut Inputs,
) -> anyhow::Result<()> {
    let mut overrides = ignore::overrides::OverrideBuilder::new(dir);
    for glob in &args.exclude {
        overrides
            .add(&format!("!{glob}"))
            .with_context(|| format!("--exclude {glob}: not a valid glob"))?;
    }
    let mut builder = ignore::WalkBuilder::new(dir);
    builder
        .standard_filters(!args.no_ignore)
        // A git repository is not needed for its .gitignore to count.
        .require_git(false)
        .follow_links(true)
        .overrides(overrides.build()?);
    let skip = skip.map(Path::to_path_buf);
    let no_ignore = args.no_ignore;
    builder.filter_entry(move |entry| {
        let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
        if !is_dir {
            return true;
        }
        if skip
            .as_deref()
            .is_some_and(|s| entry.path().canonicalize().is_ok_and(|c| c == s))
        {
            return false;
        }
        // Virtualenvs hold other people's code; `__pycache__` holds no sources.
        no_ignore
            || !(entry.path().join("pyvenv.cfg").is_file() || entry.file_name() == "__pycache__")
    });
    for entry in builder.build() {
        match entry {
            Ok(entry) if kind.matches(entry.path()) => match entry.file_type() {
                Some(t) if t.is_file() => inputs.files.push(Found {
                    path: entry.into_path(),
                    root,
                }),
                // Reading a FIFO in a tree would wait for a writer forever.
                Some(t) if !t.is_dir() => inputs.problem(
                    entry.path().display().to_string(),
                    "not a regular file (a FIFO, socket or device); skipped".into(),
                    false,
                ),
                _ => {}
            },
            Ok(_) => {}
            Err(err) => {
                let (name, why) = walk_problem(&err);
                inputs.problem(name, why, true);
            }
        }
    }
    Ok(())
}

const DANGLING: &str = "a link to nothing (dangling symlink)";

/// A symlink whose target does not exist.
fn is_dangling(path: &Path) -> bool {
    std::fs::metadata(path).is_err() && path.symlink_metadata().is_ok()
}

/// A walking error as (path, reason) in plain words.
fn walk_problem(err: &ignore::Error) -> (String, String) {
    match err {
        ignore::Error::WithPath { path, err } => {
            let (_, why) = walk_problem(err);
            let why = if is_dangling(path) {
                DANGLING.into()
            } else {
                why
            };
            (path.display().to_string(), why)
        }
        ignore::Error::Loop { child, ancestor } => (
            child.display().to_string(),
            format!(
                "a symlink loop (it leads back to {}); not followed",
                ancestor.display()
            ),
        ),
        ignore::Error::WithDepth { err, .. } | ignore::Error::WithLineNumber { err, .. } => {
            walk_problem(err)
        }
        other => (String::new(), other.to_string()),
    }
}

/// Writes `text` to `path` whole or not at all (see [`write_atomically_with`]).
pub fn write_atomically(path: &Path, text: &[u8]) -> anyhow::Result<()> {
    write_atomically_with(path, |file| {
        file.write_all(text)
            .with_context(|| format!("cannot write {}", path.display()))
    })
}

/// `write` fills a temporary file beside `path`, which is then renamed over it, so an
/// interrupted run, a full disk or a failed `write` never leaves half a file.
pub fn write_atomically_with<T>(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> anyhow::Result<T>,
) -> anyhow::Result<T> {
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        // `-o /dev/stdout`, `-o /dev/null`, a FIFO: written in place, as a rename would replace
        // the device or pipe itself.
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        let written = write(&mut file)?;
        file.flush()
            .with_context(|| format!("cannot write {}", path.display()))?;
        return Ok(written);
    }
    let dir = created_parent(path)?;
    let mut file = temporary_file(dir)?;
    let written = write(file.as_file_mut())?;
    file.flush()
        .with_context(|| format!("cannot write {}", path.display()))?;
    file.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(written)
}

/// A temporary file in `dir` to rename over the output. Made with the mode an ordinary new file
/// gets (0666 less the umask), not `tempfile`'s private 0600, which the rename would keep.
fn temporary_file(dir: &Path) -> anyhow::Result<tempfile::NamedTempFile> {
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    builder
        .tempfile_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))
}

/// The folder `path` goes in (`.` for a bare name), created if it is missing.
fn created_parent(path: &Path) -> anyhow::Result<&Path> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    Ok(dir)
}

/// Writes to standard output; a closed pipe (`simpy … | head`) surfaces as an error that
/// `main` ends quietly on.
pub fn write_stdout(text: &[u8]) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text)?;
    out.flush()
}

/// Fails early, before a long run, when `path` cannot be written.
pub fn check_writable(path: &Path) -> anyhow::Result<()> {
    if path.is_dir() {
        bail!("{} is a directory; name a file to write", path.display());
    }
    let dir = created_parent(path)?;
    tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// A progress bar on a terminal; hidden when stderr is redirected, under `--quiet`, or for a
/// handful of files.
pub fn progress_bar(len: u64, quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() || len < 50 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} files {elapsed_precise} eta {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar
}

/// A spinner with a count, for inputs of unknown length (JSONL); hidden off a terminal.
pub fn spinner(quiet: bool) -> ProgressBar {
    if quiet || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} records {elapsed_precise} {per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}

/// `1 file`, `2 files`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A size for people: `512 B`, `3.4 kB`, `12.0 MB`.
pub fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => format!("{bytes} B"),
        1_000..1_000_000 => format!("{:.1} kB", bytes as f64 / 1e3),
        1_000_000..1_000_000_000 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.2} GB", bytes as f64 / 1e9),
    }
}
