//! Finding and reading inputs: files, `-` for stdin, directories searched for `*.py`.

use anyhow::{bail, Context};
use indicatif::{ProgressBar, ProgressStyle};
use std::io::{IsTerminal, Read};
use std::path::{Path, PathBuf};

pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

pub fn display_name(path: &Path) -> String {
    if is_stdin(path) {
        "<stdin>".into()
    } else {
        path.display().to_string()
    }
}

pub fn read_input(path: &Path) -> anyhow::Result<Vec<u8>> {
    if is_stdin(path) {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        return Ok(bytes);
    }
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Every file named in `paths`, directories expanded to the files under them whose names end
/// in `.{extension}`, sorted so output is stable.
pub fn collect(paths: &[PathBuf], extension: &str) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        if is_stdin(path) || path.is_file() {
            out.push(path.clone());
            continue;
        }
        if !path.is_dir() {
            bail!("no such file or directory: {}", path.display());
        }
        let mut found = Vec::new();
        for entry in walkdir::WalkDir::new(path) {
            let entry = entry.with_context(|| format!("cannot walk {}", path.display()))?;
            let is_match = entry.file_type().is_file()
                && entry.path().extension().is_some_and(|e| e == extension);
            if is_match {
                found.push(entry.into_path());
            }
        }
        found.sort();
        out.extend(found);
    }
    Ok(out)
}

/// A progress bar on a terminal; hidden when stderr is redirected or for a handful of files.
pub fn progress_bar(len: u64) -> ProgressBar {
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

/// A spinner with a count, for inputs of unknown length (JSONL); hidden off a terminal.
pub fn spinner() -> ProgressBar {
    if !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new_spinner();
    bar.set_style(
        ProgressStyle::with_template("{spinner} {pos} records {elapsed_precise} {per_sec}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    bar
}
