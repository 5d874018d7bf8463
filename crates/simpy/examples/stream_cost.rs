//! What streaming costs beside decoding once, for a profiler: a SimPy file decoded once, or
//! streamed to `CompletionStream` one byte at a time (no prompt), `REPEAT` times;
//! `compact-decode` and `compact` do the same with the file respelt in the `compact` dialect
//! (`Dialect::decode_with`, `DialectStream`).
//!
//! ```sh
//! cargo build --release -p simpy --example stream_cost
//! target/release/simpy encode "$STDLIB/ctypes/test/test_internals.py" -o f.simpy
//! valgrind --tool=callgrind target/release/examples/stream_cost decode f.simpy
//! valgrind --tool=callgrind target/release/examples/stream_cost stream f.simpy
//! target/release/examples/stream_cost stream f.simpy 2000   # µs per run on stderr
//! target/release/examples/stream_cost ratio f.simpy 100      # stream ÷ decode, 21 rounds
//! target/release/examples/stream_cost ratio f.simpy 100 stream-each
//! ```

// As the `simpy` command and the dualcode bench allocate.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(mode), Some(path)) = (args.get(1), args.get(2)) else {
        return Err(
            "usage: stream_cost decode|stream|stream-each|compact-decode|compact|ratio \
             FILE.simpy [REPEAT] [the mode `ratio` times against decode, stream by default]"
                .into(),
        );
    };
    let simpy_text = std::fs::read_to_string(path)?;
    let repeat: u32 = args.get(3).map_or(Ok(1), |n| n.parse())?;
    // `ratio` times this mode against `decode`.
    let stream_mode = args.get(4).map_or("stream", String::as_str);
    let options = simpy::CompleteOptions {
        stop: simpy::Stop::None,
        max_bytes: None,
    };
    let compact = simpy::Dialect::compact();
    let compact_text = compact.respell(&simpy_text)?;
    let run = |mode: &str| -> Result<(), Box<dyn std::error::Error>> {
        match mode {
            "decode" => {
                std::hint::black_box(simpy::decode(&simpy_text)?);
            }
            "stream" => {
                // The deltas appended to the text shown, as an editor (and the bench) does.
                let mut stream = simpy::CompletionStream::new("", &options)?;
                let mut shown = String::new();
                for byte in simpy_text.as_bytes().chunks(1) {
                    shown.push_str(&stream.push(byte)?);
                }
                shown.push_str(&stream.finish()?.0);
                std::hint::black_box(shown);
            }
            "stream-each" => {
                // Each push's result kept from the optimizer: stored to memory at every byte.
                let mut stream = simpy::CompletionStream::new("", &options)?;
                for byte in simpy_text.as_bytes().chunks(1) {
                    std::hint::black_box(stream.push(byte)?);
                }
                std::hint::black_box(stream.finish()?);
            }
            "compact-decode" => {
                let decoded = compact.decode_with(&compact_text, &Default::default());
                std::hint::black_box(decoded?);
            }
            "compact" => {
                let mut stream = simpy::DialectStream::new(&compact, "", &options)?;
                let mut shown = String::new();
                for byte in compact_text.as_bytes().chunks(1) {
                    shown.push_str(&stream.push(byte)?);
                }
                shown.push_str(&stream.finish()?.0);
                std::hint::black_box(shown);
            }
            _ => {
                return Err(format!(
                    "no mode {mode:?}: decode, stream, stream-each, compact-decode, compact or \
                     ratio"
                )
                .into())
            }
        }
        Ok(())
    };
    let micros_per_run = |mode: &str, repeat: u32| -> Result<f64, Box<dyn std::error::Error>> {
        let start = std::time::Instant::now();
        for _ in 0..repeat {
            run(mode)?;
        }
        Ok(start.elapsed().as_secs_f64() * 1e6 / f64::from(repeat))
    };
    if mode == "ratio" {
        // On a shared machine whose speed drifts, each stream is timed right after a decode:
        // the median of the rounds' ratios, and the fastest round of each.
        let (mut ratios, mut decodes, mut streams) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..21 {
            let decode = micros_per_run("decode", repeat)?;
            let stream = micros_per_run(stream_mode, repeat)?;
            ratios.push(stream / decode);
            decodes.push(decode);
            streams.push(stream);
        }
        for times in [&mut ratios, &mut decodes, &mut streams] {
            times.sort_by(f64::total_cmp);
        }
        eprintln!(
            "stream / decode: median {:.2}× (fastest: decode {:.1} µs, stream {:.1} µs)",
            ratios[ratios.len() / 2],
            decodes[0],
            streams[0]
        );
        return Ok(());
    }
    let micros = micros_per_run(mode, repeat)?;
    eprintln!("{mode}: {micros:.1} µs per run");
    Ok(())
}
