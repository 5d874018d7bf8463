//! `--stream`: SimPy read as it arrives, Python written as soon as it is final (`simpy decode
//! --stream`, `simpy complete --stream`). Nothing written is ever taken back.

use crate::files;
use anyhow::Context;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// Streams the SimPy in `dialect` read from `input` as the completion of `prompt` to standard
/// output; with `token_ids` (a tokenizer's name), the input is token ids of that tokenizer
/// with SimPy's tokens and the dialect's idioms added, separated by spaces, commas or line
/// breaks.
pub fn run(
    prompt: &str,
    dialect: &simpy::Dialect,
    options: &simpy::CompleteOptions,
    input: &Path,
    token_ids: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let vocabulary = token_ids
        .map(|name| {
            simpy_tokens::SimpyVocabulary::named(name).map(|v| v.with_idioms(dialect.idioms.len()))
        })
        .transpose()?;
    let mut ids = vocabulary.as_ref().map(|v| IdReader {
        decoder: v.decoder(),
        partial: String::new(),
    });
    let name = files::display_name(input);
    let mut reader: Box<dyn Read> = if files::is_stdin(input) {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(input)
                .with_context(|| format!("cannot read {}", input.display()))?,
        )
    };
    let mut stream = match simpy::DialectStream::new(dialect, prompt, options) {
        Ok(stream) => stream,
        Err(e) => {
            eprintln!("{name}: error: the prompt: {}", e.error.message);
            return Ok(ExitCode::from(1));
        }
    };
    let mut out = std::io::stdout().lock();
    let mut buffer = vec![0u8; 1 << 14];
    let mut first = true;
    let mut written = 0;
    loop {
        let n = match reader.read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot read {name}")),
        };
        let mut chunk = &buffer[..n];
        // A byte-order mark, as `decode` accepts one.
        if std::mem::take(&mut first) {
            chunk = chunk.strip_prefix(b"\xef\xbb\xbf").unwrap_or(chunk);
        }
        let decoded;
        if let Some(ids) = &mut ids {
            decoded = match ids.push(chunk, false) {
                Ok(bytes) => bytes,
                Err(e) => return Ok(bad_ids(&name, &e)),
            };
            chunk = &decoded;
        }
        match stream.push(chunk) {
            Ok(delta) => {
                written += delta.len();
                write(&mut out, &delta)?;
            }
            Err(e) => return failed(&mut out, written, &name, &e),
        }
        if stream.is_done() {
            break;
        }
    }
    if let Some(ids) = &mut ids {
        let last = match ids.push(b"", true) {
            Ok(bytes) => bytes,
            Err(e) => return Ok(bad_ids(&name, &e)),
        };
        if let Err(e) = stream.push(&last).map(|delta| write(&mut out, &delta)) {
            return failed(&mut out, written, &name, &e);
        }
    }
    match stream.finish() {
        Ok((delta, completion)) => {
            write(&mut out, &delta)?;
            if let Some(d) = completion.dropped {
                eprintln!("{}", crate::complete::dropped_note(&name, "the input", d));
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => failed(&mut out, written, &name, &e),
    }
}

fn write(out: &mut impl Write, delta: &str) -> std::io::Result<()> {
    if delta.is_empty() {
        return Ok(());
    }
    out.write_all(delta.as_bytes())?;
    out.flush()
}

/// The Python emitted before the error that is not written yet, then the error.
fn failed(
    out: &mut impl Write,
    written: usize,
    name: &str,
    e: &simpy::CompletionError,
) -> anyhow::Result<ExitCode> {
    if let Some(kept) = &e.kept {
        write(out, kept.python.get(written..).unwrap_or_default())?;
    }
    eprintln!("{name}: error: {}", e.error.message);
    Ok(ExitCode::from(1))
}

fn bad_ids(name: &str, e: &anyhow::Error) -> ExitCode {
    eprintln!("{name}: error: token ids: {e:#}");
    ExitCode::from(1)
}

/// Token ids as text, turned into the bytes they stand for as they arrive.
struct IdReader<'a> {
    decoder: simpy_tokens::IdDecoder<'a>,
    /// Digits of an id that may go on in the next chunk.
    partial: String,
}

impl IdReader<'_> {
    fn push(&mut self, chunk: &[u8], last: bool) -> anyhow::Result<Vec<u8>> {
        self.partial
            .push_str(std::str::from_utf8(chunk).context("not UTF-8")?);
        let complete = if last {
            self.partial.len()
        } else {
            self.partial
                .rfind(|c: char| !c.is_ascii_digit())
                .map_or(0, |i| i + 1)
        };
        let text: String = self.partial.drain(..complete).collect();
        let mut bytes = Vec::new();
        for word in text.split(|c: char| c.is_whitespace() || c == ',' || c == '[' || c == ']') {
            if word.is_empty() {
                continue;
            }
            let id: u32 = word
                .parse()
                .with_context(|| format!("`{word}` is not a token id"))?;
            bytes.extend(self.decoder.push(id)?);
        }
        Ok(bytes)
    }
}
