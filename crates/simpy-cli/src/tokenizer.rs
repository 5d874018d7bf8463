//! `simpy tokenizer export`: a tokenizer with SimPy's tokens, for training and serving.

use crate::files;
use anyhow::{bail, Context};
use clap::{Args, Subcommand};
use simpy_tokens::Tokenizer;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Subcommand, Debug)]
pub enum TokenizerCommand {
    /// Write a Hugging Face tokenizer.json (and, for tiktoken bases, the ranks and the
    /// special_tokens map for tiktoken.Encoding) with SimPy's tokens as added tokens.
    ///
    /// Examples:
    ///   simpy tokenizer export --base gpt4 -o tok-gpt4
    ///   simpy tokenizer export --base path/to/tokenizer.json -o tok-mine
    ///
    /// SimPy's tokens get the ids after the base's vocabulary (the ids `--token-ids` uses):
    /// added tokens, not normalized, no lstrip/rstrip, and not special, so that a serving stack
    /// that skips special tokens keeps them. With --dialect, the dialect's idioms (<@0>, <@1>,
    /// …) follow them, so every SimPy token keeps its id in every dialect. Resize a model's
    /// embeddings for the new rows only (README: "Resizing a model for the new tokens").
    ///
    ///   simpy tokenizer export --base gpt4 --dialect cl100k.dialect.json -o tok-gpt4-dialect
    ///
    /// To serve such a model under `simpy grammar --dialect` (llguidance), export
    /// again with --spell-out-idioms: the ids stay, and an idiom whose text holds no SimPy
    /// token (`.assertEqual`, ` 1`) gets that text as its content, so the engine reads its bytes
    /// and the grammar lets the model write it; the others stay `<@N>`, which the grammar
    /// refuses (the model writes their pieces instead).
    #[command(verbatim_doc_comment)]
    Export(ExportArgs),
}

#[derive(Args, Debug)]
pub struct ExportArgs {
    /// A built-in tokenizer (gpt4, gpt4o, codex, gpt2, codellama, starcoder2, deepseek-coder,
    /// qwen2.5-coder) or a path: a tokenizer.json, a vocab.json with merges.txt, or a folder
    #[arg(long, value_name = "NAME|PATH")]
    base: String,
    /// The folder to write into (made if missing)
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// Replace files already in DIR (without it, an existing file is an error)
    #[arg(long)]
    force: bool,
    /// A dialect whose idioms become added tokens after SimPy's (a built-in dialect adds none)
    #[arg(long, value_name = "NAME|FILE", default_value = "simpy", value_parser = crate::dialect::parse)]
    dialect: simpy::Dialect,
    /// Add each idiom whose text holds no SimPy token with that text (not `<@N>`) as its
    /// content, for serving under a grammar. Hugging Face then matches that text anywhere in
    /// text it tokenizes (inside strings too): give such a tokenizer token ids
    /// (`simpy encode --token-ids`), not text, and train with the export without this flag
    #[arg(long, requires = "dialect")]
    spell_out_idioms: bool,
}

pub fn run(command: &TokenizerCommand, quiet: bool) -> anyhow::Result<ExitCode> {
    let TokenizerCommand::Export(args) = command;
    let vocabulary = Tokenizer::named_or_path(&args.base)?
        .with_simpy_tokens()
        .with_idioms(args.dialect.idioms.len());
    if args.spell_out_idioms && args.dialect.idioms.is_empty() {
        eprintln!(
            "simpy: warning: the dialect `{}` has no idioms; --spell-out-idioms changes nothing",
            args.dialect.name
        );
    }
    let exported = vocabulary.export(args.spell_out_idioms.then(|| args.dialect.idioms.texts()))?;
    if !args.force {
        let existing: Vec<String> = exported
            .files
            .iter()
            .map(|f| args.output.join(&f.name))
            .filter(|p| p.exists())
            .map(|p| p.display().to_string())
            .collect();
        if !existing.is_empty() {
            bail!(
                "{} already exist(s); pass --force to replace",
                existing.join(", ")
            );
        }
    }
    std::fs::create_dir_all(&args.output)
        .with_context(|| format!("cannot make {}", args.output.display()))?;
    for file in &exported.files {
        files::write_atomically(&args.output.join(&file.name), file.contents.as_bytes())?;
    }
    if !quiet {
        let idioms = match (args.dialect.idioms.len(), args.spell_out_idioms) {
            (0, _) => String::new(),
            (n, false) => format!(" and {n} idioms of {}", args.dialect.name),
            (n, true) => format!(
                " and {n} idioms of {} ({} spelt out as their text)",
                args.dialect.name, exported.spelled_out
            ),
        };
        eprintln!(
            "simpy: {} with SimPy's {} tokens{idioms} (ids {}..{}) in {}: {}",
            vocabulary.name(),
            simpy_ast::Special::ALL.len(),
            vocabulary.id(simpy_ast::Special::ALL[0]),
            vocabulary.len() - 1,
            args.output.display(),
            exported
                .files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
