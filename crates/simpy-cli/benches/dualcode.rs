//! DualCode latency: `encode_prompt` for prompts of about 0.5, 2 and 8 KB (HumanEval prompts
//! average 0.45 KB) beside tokenizing the same text with cl100k, each prompt's time the median
//! of three calls; the cost of each 4-byte chunk pushed to a stream (about one token) beside
//! cl100k's time per token; and streaming whole
//! standard-library files one byte at a time against decoding them once — both in canonical
//! SimPy and in the `compact` dialect.
//! p50 and p99 over many inputs from the standard library, one core.
//! `cargo bench -p simpy-cli --bench dualcode` (`SIMPY_BENCH_SLOWEST=N`: the N slowest prompts and
//! streamed files on stderr; `SIMPY_BENCH_ONLY=prompts|streams`: one half, as for a profiler;
//! `SIMPY_BENCH_STREAM_FILES=N|all`: stream N files of 1-100 KB, or every one, not 120;
//! `SIMPY_BENCH_PASSES=N`: passes over those files, 3 by default).

use simpy_testkit::cpython::stdlib_files;
use std::time::{Duration, Instant};

/// The allocator the `simpy` command and the Python package use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Prompts of about `size` bytes: each file cut at the line boundary nearest `size`.
fn prompts(size: usize, count: usize) -> Vec<String> {
    let mut out = Vec::new();
    for path in stdlib_files() {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if text.len() < size * 2 || simpy::encode(&text).is_err() {
            continue;
        }
        let cut = text[..size].rfind('\n').map_or(size, |i| i + 1);
        out.push(text[..cut].to_owned());
        if out.len() == count {
            break;
        }
    }
    out
}

/// The median of three timings of `run`: a prompt's cost, not the machine's hiccup.
fn median_of_three(mut run: impl FnMut()) -> Duration {
    let mut times = [(); 3].map(|()| {
        let start = Instant::now();
        run();
        start.elapsed()
    });
    times.sort();
    times[1]
}

/// With `SIMPY_BENCH_SLOWEST=N` (3 if not a number), names on stderr the N inputs of highest
/// `cost`, each as `describe` says: to see what the tail is made of.
fn print_slowest(count: usize, cost: impl Fn(usize) -> f64, describe: impl Fn(usize) -> String) {
    let Ok(slowest) = std::env::var("SIMPY_BENCH_SLOWEST") else {
        return;
    };
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_by(|&a, &b| cost(b).total_cmp(&cost(a)));
    for &i in order.iter().take(slowest.parse().unwrap_or(3)) {
        eprintln!("  {}", describe(i));
    }
}

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

/// SimPy of standard-library files between `min` and `max` bytes of Python.
fn simpy_files(min: usize, max: usize, count: usize) -> Vec<String> {
    stdlib_files()
        .into_iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|python| (min..max).contains(&python.len()))
        .filter_map(|python| simpy::encode(&python).ok())
        .take(count)
        .collect()
}

fn stream_options() -> simpy::CompleteOptions {
    simpy::CompleteOptions {
        stop: simpy::Stop::None,
        max_bytes: None,
    }
}

/// The files' SimPy spelt in `dialect`.
fn spelt(files: Vec<String>, dialect: &simpy::Dialect) -> Vec<String> {
    files
        .iter()
        .map(|simpy| dialect.respell(simpy).expect("respells"))
        .collect()
}

/// Every push of 4-byte chunks (about one token each) of whole files as a continuation.
fn chunk_latency(cl100k: &simpy_tokens::Tokenizer, dialect: &simpy::Dialect) {
    let files = spelt(simpy_files(2_000, 40_000, 60), dialect);
    let mut push_times = Vec::new();
    let (mut token_time, mut tokens) = (Duration::ZERO, 0);
    for simpy in &files {
        let mut stream =
            simpy::DialectStream::new(dialect, "", &stream_options()).expect("no prompt");
        for chunk in simpy.as_bytes().chunks(4) {
            let start = Instant::now();
            std::hint::black_box(stream.push(chunk).expect("streams"));
            push_times.push(start.elapsed());
        }
        let start = Instant::now();
        std::hint::black_box(stream.finish().expect("finishes"));
        push_times.push(start.elapsed());
        let start = Instant::now();
        tokens += cl100k.count(simpy);
        token_time += start.elapsed();
    }
    let n = push_times.len();
    let (p50, p99) = percentiles(push_times);
    println!();
    println!("| stream, 4-byte chunks | chunks | p50 | p99 | cl100k per token (mean) |");
    println!("|---|---|---|---|---|");
    println!(
        "| {} files, 2-40 KB, `{}` | {n} | {:.1} µs | {:.1} µs | {:.2} µs |",
        files.len(),
        dialect.name,
        p50.as_secs_f64() * 1e6,
        p99.as_secs_f64() * 1e6,
        token_time.as_secs_f64() * 1e6 / tokens as f64,
    );
}

/// Streaming a whole file one byte at a time, against decoding it once: five rounds of a
/// decode and a stream, the file's ratio in a pass the median of the rounds' (each stream
/// timed right after its decode, so that the host's drift, often 2× over minutes, cancels).
/// `SIMPY_BENCH_PASSES` passes (3 by default) go over all the files one after the other, and
/// a file's cost is the median of its passes' ratios: a pass is a minute or more, and the
/// host's state moved one file's ratio from 2.4× to 3.2× between two such runs, the same for
/// every round of a pass (2026-12-06). Each pass's own row is printed too.
fn whole_file_cost(dialect: &simpy::Dialect) {
    let count = match std::env::var("SIMPY_BENCH_STREAM_FILES").as_deref() {
        Ok("all") => usize::MAX,
        Ok(n) => n
            .parse()
            .expect("SIMPY_BENCH_STREAM_FILES is a number or `all`"),
        Err(_) => 120,
    };
    let passes = std::env::var("SIMPY_BENCH_PASSES").map_or(3, |n| {
        let n: std::num::NonZeroUsize = n.parse().expect("SIMPY_BENCH_PASSES is a number above 0");
        n.get()
    });
    let files = spelt(simpy_files(1_000, 100_000, count), dialect);
    let mut pass_ratios = Vec::new();
    println!();
    println!("| byte-by-byte stream / decode once | files | median | p90 | max | all files |");
    println!("|---|---|---|---|---|---|");
    for pass in 1..=passes {
        let (ratios, total) = stream_pass(&files, dialect);
        print_ratios(&format!("pass {pass}"), dialect, &ratios, Some(total));
        pass_ratios.push(ratios);
    }
    let medians: Vec<f64> = (0..files.len())
        .map(|file| {
            let mut ratios: Vec<f64> = pass_ratios.iter().map(|pass| pass[file]).collect();
            ratios.sort_by(f64::total_cmp);
            ratios[ratios.len() / 2]
        })
        .collect();
    print_ratios("each file's median of the passes", dialect, &medians, None);
    print_slowest(
        files.len(),
        |i| medians[i],
        |i| {
            let first = files[i]
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("");
            let first = first.chars().take(80).collect::<String>();
            let passes: Vec<String> = pass_ratios.iter().map(|p| format!("{:.2}", p[i])).collect();
            format!(
                "{:.2}× (passes {}), {} bytes: {first:?}",
                medians[i],
                passes.join(", "),
                files[i].len()
            )
        },
    );
}

/// One pass over `files`: each file's ratio (the median of five paired rounds), and the ratio
/// of all the files' streams to all their decodes.
fn stream_pass(files: &[String], dialect: &simpy::Dialect) -> (Vec<f64>, f64) {
    let mut ratios = Vec::new();
    let (mut total_stream, mut total_decode) = (Duration::ZERO, Duration::ZERO);
    for simpy in files {
        let decode = || {
            let start = Instant::now();
            let decoded = dialect.decode_with(simpy, &simpy::DecodeOptions::default());
            std::hint::black_box(decoded.expect("decodes"));
            start.elapsed()
        };
        // The deltas are appended to the text shown, as an editor does with them (a
        // `black_box` of each push's result would store it to memory at every byte: about
        // a nanosecond each, 0.4 of a decode on `test_unpack_ex`, mostly one string).
        let stream = || {
            let start = Instant::now();
            let mut stream =
                simpy::DialectStream::new(dialect, "", &stream_options()).expect("no prompt");
            let mut shown = String::new();
            for byte in simpy.as_bytes().chunks(1) {
                shown.push_str(&stream.push(byte).expect("streams"));
            }
            shown.push_str(&stream.finish().expect("finishes").0);
            std::hint::black_box(shown);
            start.elapsed()
        };
        let mut rounds = [(); 5].map(|()| (decode(), stream()));
        let mut round_ratios = rounds.map(|(d, s)| s.as_secs_f64() / d.as_secs_f64());
        round_ratios.sort_by(f64::total_cmp);
        ratios.push(round_ratios[2]);
        rounds.sort_by_key(|&(d, _)| d);
        total_decode += rounds[2].0;
        rounds.sort_by_key(|&(_, s)| s);
        total_stream += rounds[2].1;
    }
    (
        ratios,
        total_stream.as_secs_f64() / total_decode.as_secs_f64(),
    )
}

/// A row of the whole-file table: `ratios`' median, p90 and max, and the all-files ratio.
fn print_ratios(what: &str, dialect: &simpy::Dialect, ratios: &[f64], total: Option<f64>) {
    let mut ratios = ratios.to_vec();
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((ratios.len() - 1) as f64 * q).round() as usize];
    println!(
        "| 1-100 KB, `{}`, {what} | {} | {:.2}× | {:.2}× | {:.2}× | {} |",
        dialect.name,
        ratios.len(),
        at(0.5),
        at(0.9),
        at(1.0),
        total.map_or("".into(), |t| format!("{t:.2}×")),
    );
}

fn main() {
    // tree-sitter's C core allocates as in the `simpy` command; SIMPY_BENCH_TS_MALLOC=libc
    // keeps glibc's, to compare the two.
    if std::env::var_os("SIMPY_BENCH_TS_MALLOC").is_none_or(|v| v != "libc") {
        #[allow(unsafe_code)]
        // SAFETY: first thing in `main`: no thread and no tree-sitter object exists yet.
        unsafe {
            simpy::tree_sitter_allocates_with_mimalloc();
        }
    }
    let cl100k = simpy_tokens::Tokenizer::builtin("gpt4").expect("cl100k is built in");
    let only = std::env::var("SIMPY_BENCH_ONLY").unwrap_or_default();
    if only != "streams" {
        prompt_latency(&cl100k);
    }
    if only != "prompts" {
        for dialect in [simpy::Dialect::simpy(), simpy::Dialect::compact()] {
            chunk_latency(&cl100k, &dialect);
            whole_file_cost(&dialect);
        }
    }
}

fn prompt_latency(cl100k: &simpy_tokens::Tokenizer) {
    println!("| prompt | n | encode_prompt p50 | p99 | cl100k tokenize p50 | p99 |");
    println!("|---|---|---|---|---|---|");
    for size in [512, 2048, 8192] {
        let prompts = prompts(size, 200);
        let mut prompt_times = Vec::new();
        let mut token_times = Vec::new();
        for prompt in &prompts {
            prompt_times.push(median_of_three(|| {
                std::hint::black_box(simpy::encode_prompt(prompt).ok());
            }));
            token_times.push(median_of_three(|| {
                std::hint::black_box(cl100k.count(prompt));
            }));
        }
        print_slowest(
            prompts.len(),
            |i| prompt_times[i].as_secs_f64(),
            |i| {
                let last = prompts[i].trim_end().lines().last().unwrap_or("");
                format!("{:.3} ms: {last:?}", prompt_times[i].as_secs_f64() * 1e3)
            },
        );
        let (p50, p99) = percentiles(prompt_times);
        let (t50, t99) = percentiles(token_times);
        println!(
            "| {:.1} KB | {} | {:.3} ms | {:.3} ms | {:.3} ms | {:.3} ms |",
            size as f64 / 1024.0,
            prompts.len(),
            p50.as_secs_f64() * 1e3,
            p99.as_secs_f64() * 1e3,
            t50.as_secs_f64() * 1e3,
            t99.as_secs_f64() * 1e3,
        );
    }
}
