//! The `simpy` command-line tool: Python ⇄ SimPy conversion and its checks.
//!
//! Exit codes: 0 when every input was fine, 1 when some input was bad, 2 when the tool itself
//! failed (unreadable paths, internal errors).

mod check;
mod convert;
mod diagnostics;
mod files;
mod report;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "simpy",
    version,
    about = "Python ⇄ SimPy, the AI-oriented grammar of Python (Sun et al., ISSTA 2024)",
    long_about = "Python ⇄ SimPy, the AI-oriented grammar of Python (Sun et al., ISSTA 2024).\n\n\
        Python is parsed with tree-sitter-python and checked against the rules of CPython's parser, \
        so anything `python3 -c 'import ast; ast.parse(...)'` rejects is rejected here too.",
    after_help = "Examples:\n  \
        simpy encode app.py              print app.py as SimPy\n  \
        simpy encode src/ -o out/        encode a tree: src/a/b.py becomes out/a/b.simpy\n  \
        simpy decode model.simpy         print SimPy as Python (errors point into the SimPy)\n  \
        simpy report --stdlib            token counts over the local standard library, every built-in tokenizer\n  \
        simpy report data.jsonl --format html -o r.html   a dataset shipped as JSONL, as one HTML page\n  \
        simpy dump-ast app.py            print the AST exactly as CPython 3.11's ast.dump does\n  \
        simpy check src/ tests/          parse every *.py file and report the ones that fail\n  \
        simpy check --jsonl corpus/ > r  one JSON object per file, for scripts\n  \
        simpy check --roundtrip python . parse, print and parse again; report any change\n  \
        simpy check --roundtrip simpy .  Python → SimPy → Python; report any AST change\n  \
        simpy normalize app.py           print app.py back as clean Python\n  \
        simpy normalize src/ -o out/     normalize a tree into a mirrored tree\n\n\
        Exit status: 0 all inputs ok, 1 some input is invalid, 2 the tool failed."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Count tokens of Python, normalized Python and SimPy for each tokenizer (with and without
    /// comments), beside the paper's published reductions
    Report(report::ReportArgs),
    /// Print a file's AST in the format of CPython 3.11's `ast.dump(ast.parse(source))`
    #[command(name = "dump-ast")]
    DumpAst {
        /// A Python source file, or `-` for standard input
        file: PathBuf,
    },
    /// Parse Python files and report every one that fails, with line and column
    Check(check::CheckArgs),
    /// Convert Python to SimPy (`*.py` → `*.simpy`); comments and literal spellings are kept
    Encode(convert::ConvertArgs),
    /// Convert SimPy to clean Python (`*.simpy` → `*.py`); malformed SimPy is an error, never a guess
    Decode(convert::ConvertArgs),
    /// Print Python files back as clean PEP 8 Python (same AST, comments and literals kept)
    Normalize(convert::ConvertArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::DumpAst { file } => dump_ast(&file),
        Command::Check(args) => check::run(&args),
        Command::Report(args) => report::run(&args),
        Command::Encode(args) => convert::run(&args, convert::Direction::Encode),
        Command::Decode(args) => convert::run(&args, convert::Direction::Decode),
        Command::Normalize(args) => convert::run(&args, convert::Direction::Normalize),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("simpy: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn dump_ast(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    let bytes = files::read_input(file)?;
    match simpy_python::parse_module(&bytes) {
        Ok(parsed) => {
            println!("{}", simpy_ast::dump(&parsed.module));
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprint!("{}", err.render(&files::display_name(file)));
            Ok(diagnostics::exit_code_for(&err))
        }
    }
}
