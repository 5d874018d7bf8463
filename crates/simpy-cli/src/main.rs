//! The `simpy` command-line tool: Python ⇄ SimPy conversion and its checks.
//!
//! Exit codes: 0 when every input was fine, 1 when some input was bad, 2 when the tool itself
//! failed (unreadable paths, internal errors).

mod check;
mod complete;
mod convert;
mod diagnostics;
mod dialect;
mod files;
mod grammar;
mod interrupt;
mod parquet;
mod report;
mod stream;
mod tokenizer;
mod train;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

/// Trees are many small nodes: mimalloc builds and frees them at about twice the speed of the
/// system allocator (README, "Speed"). The benchmarks use it too, and tree-sitter's C core
/// (`main`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
        simpy normalize src/ -o out/     normalize a tree into a mirrored tree\n  \
        simpy normalize --check --diff . what normalize would change, writing nothing\n  \
        simpy encode --prompt cut.py     the SimPy a model continues for Python cut at a cursor\n  \
        model | simpy complete --stream --prompt cut.py -   the Python for the cursor, line by line\n  \
        model | simpy decode --stream -  SimPy to Python as it arrives\n\n\
        Directories are walked as ruff and ripgrep walk them: .gitignore respected, hidden folders\n\
        and virtualenvs skipped (--no-ignore walks everything), --exclude GLOB skips more.\n\n\
        Exit status: 0 all inputs ok, 1 some input is invalid, 2 the tool failed."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print only errors and warnings: no summary line, no progress bar
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Worker threads for commands that take many files (default: one per core)
    #[arg(short = 'j', long, global = true, value_name = "N")]
    jobs: Option<usize>,
    /// Refuse inputs larger than this (for example 100M or 1G): memory grows with a file's
    /// size, up to 200 times it for a long list literal
    #[arg(long, global = true, value_name = "SIZE", default_value = "32M", value_parser = parse_size)]
    max_file_size: u64,
}

fn parse_size(text: &str) -> Result<u64, String> {
    parse_size::Config::new()
        .with_binary()
        .parse_size(text)
        .map_err(|e| format!("{e}: write a size such as 32M or 1G"))
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
    /// Print the Python to append to a prompt for a model's SimPy continuation of
    /// `simpy encode --prompt PROMPT` (DualCode): `simpy complete --prompt f.py cont.simpy`
    Complete(complete::CompleteArgs),
    /// Write the SimPy grammar for constrained decoding: llguidance's Lark (Outlines, vLLM,
    /// SGLang), Lark, or llama.cpp's GBNF, generated from the parser's own rules
    ///
    /// Examples:
    ///   simpy grammar --format gbnf -o simpy.gbnf     # llama-cli --grammar-file simpy.gbnf
    ///   simpy grammar --format llguidance -o simpy.lark
    ///
    /// Each file's header lists the checks `decode` makes that a context-free grammar cannot
    /// (assignment targets, argument order, the `{x=}` debug text, …). README: "Constrained
    /// decoding".
    #[command(verbatim_doc_comment)]
    Grammar(grammar::GrammarArgs),
    /// Dialects of SimPy: the same grammar spelt in fewer tokens (`--dialect` of encode,
    /// decode and report)
    #[command(subcommand)]
    Dialect(dialect::DialectCommand),
    /// Tokenizers that carry SimPy's tokens, for training and serving
    #[command(subcommand)]
    Tokenizer(tokenizer::TokenizerCommand),
    /// Print a shell completion script, for example `simpy completions bash > /etc/bash_completion.d/simpy`
    Completions {
        /// The shell to complete in
        shell: clap_complete::Shell,
    },
}

/// What `--version` says: the tool, the SimPy it reads and writes, the tokenizers it carries,
/// from the tables that define them.
fn long_version() -> String {
    let builtin: Vec<&str> = simpy_tokens::BUILTIN.iter().map(|(n, _)| *n).collect();
    let gguf: Vec<&str> = simpy_tokens::GGUF.iter().map(|(n, _, _)| *n).collect();
    format!(
        "{}\nSimPy grammar: canonical SimPy of Sun et al. (ISSTA 2024), {} special tokens \
         (grammar/SPEC.md)\n\
         Python accepted: up to {} (CPython 3.11's ast, plus PEPs 695, 696 and 701); 3.14's \
         forms are refused by name\n\
         Tokenizers built in: {}\n\
         Tokenizers from files: {} (GGUF), any tokenizer.json or vocab.json + merges.txt",
        env!("CARGO_PKG_VERSION"),
        simpy_ast::Special::ALL.len(),
        simpy_python::PYTHON_VERSION,
        builtin.join(", "),
        gguf.join(", ")
    )
}

/// Keeps mimalloc's arena on 4 KiB pages: with transparent huge pages each page it touches
/// holds 2 MiB resident, so encoding 1 MB of real code took 30 MiB of RSS (22 MiB without), at
/// no measured cost in speed (README, "One big file"). Set before `main` allocates much (what
/// the runtime allocated before stays on huge pages). A kernel that refuses it is no error.
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    let _ = rustix::thread::disable_transparent_huge_pages(true);
}

fn main() -> ExitCode {
    no_transparent_huge_pages();
    #[allow(unsafe_code)]
    // SAFETY: first thing in `main`: no thread and no tree-sitter object exists yet.
    unsafe {
        simpy::tree_sitter_allocates_with_mimalloc();
    }
    let matches = Cli::command().long_version(long_version()).get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    if let Some(jobs) = cli.jobs {
        if let Err(err) = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
        {
            eprintln!("simpy: error: cannot start {jobs} threads: {err}");
            return ExitCode::from(2);
        }
    }
    files::set_max_file_size(cli.max_file_size);
    interrupt::install();
    let quiet = cli.quiet;
    let result = match cli.command {
        Command::DumpAst { file } => dump_ast(&file),
        Command::Check(args) => check::run(&args, quiet),
        Command::Report(args) => report::run(&args, quiet),
        Command::Encode(args) => convert::run(&args, convert::Direction::Encode, quiet),
        Command::Decode(args) => convert::run(&args, convert::Direction::Decode, quiet),
        Command::Normalize(args) => convert::run(&args, convert::Direction::Normalize, quiet),
        Command::Complete(args) => complete::run(&args),
        Command::Grammar(args) => grammar::run(&args),
        Command::Dialect(command) => dialect::run(&command, quiet),
        Command::Tokenizer(command) => tokenizer::run(&command, quiet),
        Command::Completions { shell } => {
            let mut script = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "simpy", &mut script);
            files::write_stdout(&script)
                .map(|()| ExitCode::SUCCESS)
                .map_err(Into::into)
        }
    };
    match result {
        Ok(code) => code,
        // `simpy … | head`: the reader has what it wanted; end quietly.
        Err(err) if is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) if err.downcast_ref::<diagnostics::BadInput>().is_some() => {
            eprintln!("simpy: error: {err:#}");
            ExitCode::from(1)
        }
        Err(err) => {
            eprintln!("simpy: error: {err:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn dump_ast(file: &std::path::Path) -> anyhow::Result<ExitCode> {
    if let Some(why) = files::not_python(file) {
        eprintln!("simpy: error: {why}");
        return Ok(ExitCode::from(1));
    }
    let bytes = files::read_input(file)?;
    match simpy_python::parse_module(&bytes) {
        Ok(parsed) => {
            let mut text = simpy_ast::dump(&parsed.module);
            text.push('\n');
            files::write_stdout(text.as_bytes())?;
            Ok(ExitCode::SUCCESS)
        }
        Err(err) => {
            eprint!("{}", err.render(&files::display_name(file)));
            Ok(diagnostics::exit_code_for(&err))
        }
    }
}
