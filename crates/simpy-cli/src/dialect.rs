//! `--dialect NAME|FILE` and `simpy dialect`: which spelling of SimPy to write and read.

use clap::Subcommand;
use simpy::Dialect;
use std::io::Write;
use std::process::ExitCode;

/// `--dialect`'s value: a built-in name, or a dialect file (`simpy dialect show compact`
/// prints one to start from).
pub fn parse(value: &str) -> Result<Dialect, String> {
    Dialect::resolve(value, |path| std::fs::read_to_string(path))
}

#[derive(Subcommand)]
pub enum DialectCommand {
    /// The built-in dialects and the choices a dialect file can make
    List,
    /// Print a dialect as a dialect file, to edit and pass to `--dialect FILE`
    Show {
        /// A built-in name or a dialect file
        #[arg(value_parser = parse)]
        dialect: Dialect,
    },
    /// Learn a dialect for a tokenizer: spellings and idioms that minimise its count, measured
    /// on directories held out
    Train(crate::train::TrainArgs),
}

pub fn run(command: &DialectCommand, quiet: bool) -> anyhow::Result<ExitCode> {
    let mut out = std::io::stdout().lock();
    match command {
        DialectCommand::List => {
            writeln!(out, "dialects built in:")?;
            for name in Dialect::BUILT_IN {
                let dialect = Dialect::built_in(name).expect("a built-in name");
                let on = dialect.choices_made();
                let on = if on.is_empty() {
                    "canonical SimPy".to_owned()
                } else {
                    on.join(", ")
                };
                writeln!(out, "  {name:<9} {on}")?;
            }
            writeln!(
                out,
                "choices of a dialect file (`simpy dialect show compact`):"
            )?;
            for (key, what) in Dialect::choices() {
                writeln!(out, "  {key:<21} {what}")?;
            }
            writeln!(
                out,
                "and `\"literals\"`: `\"kept\"` (the default: as written) or `\"normalized\"` \
                 (numbers, bytes and strings from their values, as Python's repr writes them; \
                 triple-quoted strings and f-strings as written; the same AST)"
            )?;
        }
        DialectCommand::Show { dialect } => write!(out, "{}", dialect.to_json())?,
        DialectCommand::Train(args) => return crate::train::run(args, quiet),
    }
    Ok(ExitCode::SUCCESS)
}
