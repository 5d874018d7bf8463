//! `simpy grammar`: the SimPy grammar for constrained decoding (llguidance, lark, llama.cpp).

use crate::files;
use clap::{Args, ValueEnum};
use simpy::GrammarFormat;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args, Debug)]
pub struct GrammarArgs {
    /// lark: for Python's `lark` (special tokens as text); llguidance: llguidance's Lark
    /// dialect, special tokens as single token ids (Outlines, vLLM, SGLang, llama.cpp built
    /// with llguidance); gbnf: llama.cpp's `--grammar-file` (special tokens as text)
    #[arg(long, value_enum, default_value = "llguidance")]
    format: Format,
    /// The grammar of a dialect's spellings (`simpy dialect list` or a file): it accepts what
    /// `simpy encode --dialect` writes, idioms written out, and canonical SimPy. A model that
    /// writes idioms is held to it through `simpy tokenizer export --spell-out-idioms`
    #[arg(long, value_name = "NAME|FILE", default_value = "simpy", value_parser = crate::dialect::parse)]
    dialect: simpy::Dialect,
    /// Write to FILE (atomically) instead of standard output (`-`)
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
enum Format {
    Lark,
    Llguidance,
    Gbnf,
}

pub fn run(args: &GrammarArgs) -> anyhow::Result<ExitCode> {
    let format = match args.format {
        Format::Lark => GrammarFormat::Lark,
        Format::Llguidance => GrammarFormat::Llguidance,
        Format::Gbnf => GrammarFormat::Gbnf,
    };
    let text = args.dialect.grammar(format);
    match files::named_output(&args.output) {
        Some(path) => files::write_atomically(path, text.as_bytes())?,
        None => files::write_stdout(text.as_bytes())?,
    }
    Ok(ExitCode::SUCCESS)
}
