//! DualCode latency: `encode_prompt` for prompts of about 0.5, 2 and 8 KB (HumanEval prompts
//! average 0.45 KB), and `complete` of a continuation, each beside tokenizing the same text
//! with cl100k; p50 and p99 over many prompts cut from the standard library, one core.
//! `cargo bench -p simpy-cli --bench dualcode`.

use simpy_testkit::cpython::stdlib_files;
use std::time::{Duration, Instant};

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

fn percentiles(mut times: Vec<Duration>) -> (Duration, Duration) {
    times.sort();
    let at = |q: f64| times[((times.len() - 1) as f64 * q).round() as usize];
    (at(0.5), at(0.99))
}

fn main() {
    let cl100k = simpy_tokens::Tokenizer::builtin("gpt4").expect("cl100k is built in");
    println!("| prompt | n | encode_prompt p50 | p99 | cl100k tokenize p50 | p99 |");
    println!("|---|---|---|---|---|---|");
    for size in [512, 2048, 8192] {
        let prompts = prompts(size, 200);
        let mut prompt_times = Vec::new();
        let mut token_times = Vec::new();
        for prompt in &prompts {
            let start = Instant::now();
            let encoded = simpy::encode_prompt(prompt);
            prompt_times.push(start.elapsed());
            std::hint::black_box(encoded.ok());
            let start = Instant::now();
            std::hint::black_box(cl100k.count(prompt));
            token_times.push(start.elapsed());
        }
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
