//! `simpy dialect train`: a dialect learnt for one tokenizer, measured on files it kept aside.
//!
//! The files are split by directory (whole directories held out, never single files, so a
//! package's tests and code do not leak into each other); the spellings are chosen one by one
//! from `compact` by the training files' token count, then idioms are mined on them.

use crate::files::{self, WalkArgs};
use anyhow::{bail, Context};
use clap::Args;
use rayon::prelude::*;
use simpy::Dialect;
use simpy_tokens::Tokenizer;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
#[command(after_help = "Example:\n  \
    simpy dialect train src/ tests/ --tokenizer gpt4 --idioms 200 -o gpt4.dialect.json\n  \
    simpy encode --dialect gpt4.dialect.json app.py\n\n\
    Train on a corpus like the one the model will see; the held-out reduction is the one to expect.")]
pub struct TrainArgs {
    /// Python files and directories to learn from
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// The tokenizer whose count the dialect minimises (a built-in name, a tokenizer.json, or
    /// a folder with vocab.json and merges.txt)
    #[arg(long)]
    tokenizer: String,
    /// At most this many idioms (0 learns spellings only)
    #[arg(long, default_value_t = 200)]
    idioms: usize,
    /// An idiom must be seen this many times in the training files
    #[arg(long, default_value_t = 8)]
    min_uses: u64,
    /// Learn only idioms whose text holds no SimPy token (`.assertEqual`, `:\nself`, not
    /// `=<none>`): served under `simpy grammar` with `simpy tokenizer export
    /// --spell-out-idioms`, a model can then write every one (the others the grammar refuses)
    #[arg(long)]
    text_idioms: bool,
    /// The share of the bytes held out to measure on, by whole directories
    #[arg(long, default_value_t = 0.2)]
    held_out: f64,
    /// `normalized`: the dialect writes numbers, bytes and strings from their values, as
    /// Python's `repr` does (`0xFF` as `255`, `"a" "b"` as `'ab'`; triple-quoted strings and
    /// f-strings as written): the same AST, comments kept, the author's literal spellings not
    #[arg(long, value_enum, default_value_t = LiteralsArg::Kept)]
    literals: LiteralsArg,
    /// The dialect's name (default: the output file's name up to its first dot)
    #[arg(long)]
    name: Option<String>,
    /// The dialect file to write
    #[arg(short, long)]
    output: PathBuf,
    #[command(flatten)]
    walk: WalkArgs,
}

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum LiteralsArg {
    /// As written
    Kept,
    /// From their values
    Normalized,
}

/// A file read and encoded: its Python, its canonical SimPy with literals kept and (if the
/// dialect normalizes them) normalized, and whether it is held out.
struct Sample {
    python: String,
    canonical: Encoded,
    held_out: bool,
}

struct Encoded {
    kept: String,
    normalized: Option<String>,
}

impl Sample {
    /// The canonical SimPy a dialect with these literals respells.
    fn canonical(&self, literals: simpy::Literals) -> &str {
        match (literals, &self.canonical.normalized) {
            (simpy::Literals::Normalized, Some(normalized)) => normalized,
            _ => &self.canonical.kept,
        }
    }
}

pub fn run(args: &TrainArgs, quiet: bool) -> anyhow::Result<ExitCode> {
    if !(0.0..1.0).contains(&args.held_out) || args.held_out == 0.0 {
        bail!("--held-out is a share of the bytes between 0 and 1, for example 0.2");
    }
    files::check_writable(&args.output)?;
    let tokenizer = Tokenizer::named_or_path(&args.tokenizer)?;
    let inputs = files::collect(&args.paths, files::Kind::Python, &args.walk, None, |_| None)?;
    for p in &inputs.problems {
        eprintln!("simpy: skipped {}: {}", p.name, p.why);
    }
    let progress = files::progress_bar(inputs.files.len() as u64, quiet);
    let read: Vec<_> = inputs
        .files
        .par_iter()
        .map(|found| {
            progress.inc(1);
            let name = files::display_name(&found.path);
            let bytes =
                files::read_input(&found.path).map_err(|e| (name.clone(), format!("{e:#}")))?;
            let encode = |literals| {
                let options = simpy::EncodeOptions {
                    literals,
                    ..Default::default()
                };
                simpy::encode_bytes(&bytes, &options).map_err(|e| (name.clone(), e.to_string()))
            };
            let canonical = Encoded {
                kept: encode(simpy::Literals::Kept)?,
                normalized: match args.literals {
                    LiteralsArg::Kept => None,
                    LiteralsArg::Normalized => Some(encode(simpy::Literals::Normalized)?),
                },
            };
            let python = String::from_utf8_lossy(&bytes).into_owned();
            // Held out by directory: the folder below the path it was found under.
            let root = &args.paths[found.root];
            let folder = found.path.parent().unwrap_or(root);
            let folder = folder.strip_prefix(root).unwrap_or(folder).to_owned();
            Ok((folder, python, canonical))
        })
        .collect();
    progress.finish_and_clear();
    let mut by_folder: BTreeMap<PathBuf, Vec<(String, Encoded)>> = BTreeMap::new();
    let mut skipped = 0;
    for one in read {
        match one {
            Ok((folder, python, canonical)) => by_folder
                .entry(folder)
                .or_default()
                .push((python, canonical)),
            Err((name, why)) => {
                skipped += 1;
                eprintln!("simpy: skipped {name}: {why}");
            }
        }
    }
    let (samples, held_folders) = split(by_folder, args.held_out)?;
    let (train, held): (Vec<&Sample>, Vec<&Sample>) = samples.iter().partition(|s| !s.held_out);
    let bytes = |set: &[&Sample]| set.iter().map(|s| s.python.len()).sum::<usize>();
    let mut log = std::io::stderr().lock();
    if !quiet {
        writeln!(
            log,
            "training on {} ({}), holding out {} ({}) in other directories{}",
            files::count(train.len(), "file", "files"),
            files::size(bytes(&train) as u64),
            files::count(held.len(), "file", "files"),
            files::size(bytes(&held) as u64),
            if skipped > 0 {
                format!("; {skipped} skipped")
            } else {
                String::new()
            }
        )?;
    }
    let count = |dialect: &Dialect, set: &[&Sample]| -> anyhow::Result<u64> {
        set.par_iter()
            .map(|s| {
                let text = dialect.respell(s.canonical(dialect.literals))?;
                Ok(tokenizer.count_text(&text) as u64)
            })
            .sum()
    };

    // Spellings: from `compact`, each choice dropped where the training files say it costs.
    let mut dialect = Dialect::compact();
    if args.literals == LiteralsArg::Normalized {
        dialect.literals = simpy::Literals::Normalized;
    }
    dialect.name = args
        .name
        .clone()
        .unwrap_or_else(|| default_name(&args.output));
    let mut best = count(&dialect, &train)?;
    for (key, _) in Dialect::choices() {
        let mut without = dialect.clone();
        without.set_choice(key, false).map_err(anyhow::Error::msg)?;
        let tokens = count(&without, &train)?;
        if tokens < best {
            (dialect, best) = (without, tokens);
            if !quiet {
                writeln!(log, "  without {key}: fewer tokens, left out")?;
            }
        }
    }
    let spelt_only = dialect.clone();
    if args.idioms > 0 {
        if !quiet {
            writeln!(log, "mining up to {} idioms…", args.idioms)?;
        }
        let literals = dialect.literals;
        let canonical = train.iter().map(|s| s.canonical(literals));
        let kinds = match args.text_idioms {
            true => simpy::IdiomKinds::TextOnly,
            false => simpy::IdiomKinds::All,
        };
        dialect.learn_idioms(canonical, kinds, args.idioms, args.min_uses, |t| {
            tokenizer.count_text(t)
        })?;
    }

    // The measure: each split, against the original Python.
    let original = |set: &[&Sample]| -> u64 {
        set.par_iter()
            .map(|s| tokenizer.count_text(&s.python) as u64)
            .sum()
    };
    let mut ladder: Vec<(String, Dialect)> = vec![("simpy".into(), Dialect::simpy())];
    if dialect.literals == simpy::Literals::Normalized {
        let mut normalized = Dialect::simpy();
        normalized.literals = dialect.literals;
        ladder.push(("simpy, literals normalized".into(), normalized));
    }
    ladder.push(("spellings only".into(), spelt_only));
    for k in [50, 200, 500, 1000]
        .into_iter()
        .filter(|&k| k < dialect.idioms.len())
    {
        let mut fewer = dialect.clone();
        fewer.idioms = dialect.idioms.first(k);
        ladder.push((format!("{k} idioms"), fewer));
    }
    ladder.push((
        format!("{} ({} idioms)", dialect.name, dialect.idioms.len()),
        dialect.clone(),
    ));
    let mut out = std::io::stdout().lock();
    let (train_original, held_original) = (original(&train), original(&held));
    writeln!(
        out,
        "{} tokens, against the original Python:",
        tokenizer.name()
    )?;
    writeln!(out, "  {:<28} {:>18} {:>18}", "", "training", "held out")?;
    writeln!(
        out,
        "  {:<28} {:>18} {:>18}",
        "original", train_original, held_original
    )?;
    let mut measured = serde_json::Map::new();
    for (label, d) in &ladder {
        let (t, h) = (count(d, &train)?, count(d, &held)?);
        let cell = |n: u64, of: u64| format!("{n} {:+.1}%", change(n, of));
        writeln!(
            out,
            "  {label:<28} {:>18} {:>18}",
            cell(t, train_original),
            cell(h, held_original)
        )?;
        measured.insert(
            label.clone(),
            serde_json::json!({"training": t, "held_out": h}),
        );
    }
    let mut file: serde_json::Value = serde_json::from_str(&dialect.to_json())?;
    file["trained"] = serde_json::json!({
        "tokenizer": tokenizer.name(),
        "training_files": train.len(),
        "held_out_files": held.len(),
        // Relative to the path each was found under: for measuring on the same split later.
        "held_out_folders": held_folders,
        "tokens": {"original": {"training": train_original, "held_out": held_original}, "dialects": measured},
    });
    let text = serde_json::to_string_pretty(&file)? + "\n";
    files::write_atomically(&args.output, text.as_bytes())
        .with_context(|| format!("writing {}", args.output.display()))?;
    if !quiet {
        writeln!(
            log,
            "wrote {} ({} idioms)",
            args.output.display(),
            dialect.idioms.len()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The change from `of` to `n`, in percent.
fn change(n: u64, of: u64) -> f64 {
    if of == 0 {
        return 0.0;
    }
    (n as f64 - of as f64) * 100.0 / of as f64
}

/// `gpt4.dialect.json` is the dialect `gpt4`.
fn default_name(output: &std::path::Path) -> String {
    let file = output
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    file.split('.')
        .next()
        .filter(|n| !n.is_empty())
        .unwrap_or("trained")
        .to_owned()
}

/// Whole directories held out, in an order fixed by their names' hash, until they hold
/// `share` of the bytes: the samples, and the folders held out.
fn split(
    by_folder: BTreeMap<PathBuf, Vec<(String, Encoded)>>,
    share: f64,
) -> anyhow::Result<(Vec<Sample>, Vec<PathBuf>)> {
    if by_folder.len() < 2 {
        bail!(
            "the files are all in one directory; the held-out split needs files in two or more \
             (whole directories are held out, so tests and code do not leak into each other)"
        );
    }
    let total: usize = by_folder.values().flatten().map(|(p, _)| p.len()).sum();
    let mut folders: Vec<_> = by_folder.into_iter().collect();
    // FNV-1a: the same order on every machine and Rust release.
    let hash = |folder: &PathBuf| {
        folder
            .to_string_lossy()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3)
            })
    };
    folders.sort_by_key(|(folder, _)| (hash(folder), folder.clone()));
    let mut held_bytes = 0;
    let mut samples = Vec::new();
    let mut held_folders = Vec::new();
    let last = folders.len() - 1;
    for (i, (folder, files)) in folders.into_iter().enumerate() {
        let bytes: usize = files.iter().map(|(p, _)| p.len()).sum();
        // The first folder is always held out and the last never, so neither split is empty.
        let held_out = i == 0
            || (i < last
                && (held_bytes as f64) < share * total as f64
                && held_bytes + bytes <= (share * 1.5 * total as f64) as usize);
        if held_out {
            held_bytes += bytes;
            held_folders.push(folder);
        }
        samples.extend(files.into_iter().map(|(python, canonical)| Sample {
            python,
            canonical,
            held_out,
        }));
    }
    held_folders.sort();
    Ok((samples, held_folders))
}
