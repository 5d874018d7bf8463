//! `simpy complete`: the Python to append to a prompt for a model's SimPy continuation.

use crate::files;
use clap::{Args, ValueEnum};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct CompleteArgs {
    /// The Python prompt: the code up to the cursor (what `simpy encode --prompt` encoded)
    #[arg(long)]
    prompt: PathBuf,
    /// The model's SimPy continuation of that prompt's SimPy; `-` (the default) reads
    /// standard input
    #[arg(default_value = "-")]
    continuation: PathBuf,
    /// Where to stop: where the block open at the cursor closes (`block`), before the next
    /// top-level statement (`top-level`), nowhere (`none`), or as the paper's harness does
    /// with string searches (`paper`, for comparison; not with --stream)
    #[arg(long, value_enum, default_value_t = StopRule::Block)]
    stop: StopRule,
    /// Use at most this many bytes of the continuation (as a token budget would cut it)
    #[arg(long, value_name = "BYTES")]
    max_bytes: Option<usize>,
    /// Print the whole file (the prompt and the completion) instead of the completion alone
    #[arg(long)]
    whole: bool,
    /// Print the completion as the continuation arrives (read it from a pipe), each line as
    /// soon as the SimPy that decides it is in
    #[arg(long)]
    stream: bool,
    /// With --stream: the continuation is token ids of this tokenizer with SimPy's tokens
    /// added after its vocabulary (`gpt4`, `codellama` …), separated by spaces or commas
    #[arg(long, value_name = "TOKENIZER", requires = "stream")]
    token_ids: Option<String>,
    /// The dialect the continuation is in, as `simpy encode --prompt --dialect` wrote the
    /// prompt; with --token-ids, the tokenizer carries its idioms
    #[arg(long, value_name = "NAME|FILE", default_value = "simpy", value_parser = crate::dialect::parse)]
    dialect: simpy::Dialect,
}

#[derive(Clone, Copy, ValueEnum)]
enum StopRule {
    Block,
    TopLevel,
    None,
    Paper,
}

pub fn run(args: &CompleteArgs) -> anyhow::Result<ExitCode> {
    let prompt_name = files::display_name(&args.prompt);
    let prompt_bytes = files::read_input(&args.prompt)?;
    let Ok(prompt) = String::from_utf8(prompt_bytes) else {
        eprintln!("{prompt_name}: error: a prompt must be UTF-8");
        return Ok(ExitCode::from(1));
    };
    let options = simpy::CompleteOptions {
        stop: match args.stop {
            StopRule::Block => simpy::Stop::Block,
            StopRule::TopLevel => simpy::Stop::TopLevel,
            StopRule::None => simpy::Stop::None,
            StopRule::Paper => simpy::Stop::Paper,
        },
        max_bytes: args.max_bytes,
    };
    if args.stream {
        if args.whole {
            files::write_stdout(prompt.as_bytes())?;
        }
        return crate::stream::run(
            &prompt,
            &args.dialect,
            &options,
            &args.continuation,
            args.token_ids.as_deref(),
        );
    }
    let cont_name = files::display_name(&args.continuation);
    let cont_bytes = files::read_input(&args.continuation)?;
    let continuation = match simpy::simpy_text(&cont_bytes) {
        Ok(text) => text,
        Err(e) => {
            eprint!("{}", e.render(&cont_name));
            return Ok(ExitCode::from(1));
        }
    };
    let print = |completion: &simpy::Completion| -> std::io::Result<()> {
        if let Some(d) = completion.dropped {
            eprintln!("{}", dropped_note(&cont_name, "the continuation", d));
        }
        let text = if args.whole {
            format!("{prompt}{}", completion.python)
        } else {
            completion.python.clone()
        };
        files::write_stdout(text.as_bytes())
    };
    match args.dialect.complete(&prompt, continuation, &options) {
        Ok(completion) => {
            print(&completion)?;
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            if let Some(kept) = &e.kept {
                print(kept)?;
            }
            eprintln!("{cont_name}: error: {}", e.error.message);
            Ok(ExitCode::from(1))
        }
    }
}

/// The note for a statement cut off at the end of `what` (read from `name`), whose bytes are
/// dropped.
pub(crate) fn dropped_note(name: &str, what: &str, dropped: simpy::Dropped) -> String {
    let (bytes, at) = (dropped.bytes, dropped.at);
    let plural = if bytes == 1 { "byte was" } else { "bytes were" };
    format!("{name}: note: {what} was cut off inside a statement: {bytes} {plural} dropped from byte {at}")
}
