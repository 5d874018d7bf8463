//! `--stream`: SimPy read as it arrives, Python written as soon as it is final (`simpy decode
//! --stream`, `simpy complete --stream`). Nothing written is ever taken back.

use crate::files;
use anyhow::Context;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;

/// Streams the SimPy read from `input` as the completion of `prompt` to standard output.
pub fn run(
    prompt: &str,
    options: &simpy::CompleteOptions,
    input: &Path,
) -> anyhow::Result<ExitCode> {
    let name = files::display_name(input);
    let mut reader: Box<dyn Read> = if files::is_stdin(input) {
        Box::new(std::io::stdin().lock())
    } else {
        Box::new(
            std::fs::File::open(input)
                .with_context(|| format!("cannot read {}", input.display()))?,
        )
    };
    let mut stream = match simpy::CompletionStream::new(prompt, options) {
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
    match stream.finish() {
        Ok((delta, completion)) => {
            write(&mut out, &delta)?;
            if let Some(d) = completion.dropped {
                eprintln!(
                    "{name}: note: the input was cut off inside a statement: {} bytes from byte {} \
                     were dropped",
                    d.bytes, d.at
                );
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
