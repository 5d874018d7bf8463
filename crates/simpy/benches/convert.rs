//! Encode and decode throughput over the machine's CPython standard library, one core, next to
//! tree-sitter's own parse of the same Python (the floor for encode).
//!
//! `cargo bench -p simpy --bench convert`. Encode counts bytes of Python in; decode counts bytes
//! of SimPy in (`decode_python_bytes` counts the same run in bytes of Python out, for comparison
//! with encode). Peak RSS is printed at the end.

use simpy_testkit::cpython as support;

/// The allocator the `simpy` command and the Python package use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Corpus {
    python: Vec<String>,
    simpy: Vec<String>,
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
    let corpus = corpus();
    let python: usize = corpus.python.iter().map(String::len).sum();
    let simpy: usize = corpus.simpy.iter().map(String::len).sum();
    eprintln!(
        "corpus: {} files, {:.1} MB of Python, {:.1} MB of SimPy",
        corpus.python.len(),
        python as f64 / 1e6,
        simpy as f64 / 1e6
    );
    divan::main();
    if let Some(rss) = peak_rss_kib() {
        eprintln!("peak RSS: {:.1} MiB", rss as f64 / 1024.0);
    }
}

/// Every stdlib file our front end parses, as text, and its SimPy.
fn corpus() -> &'static Corpus {
    static CORPUS: std::sync::OnceLock<Corpus> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let mut python = Vec::new();
        let mut simpy = Vec::new();
        for path in support::stdlib_files() {
            let bytes = std::fs::read(&path).expect("readable");
            if let Ok(parsed) = simpy_python::parse_module(&bytes) {
                simpy.push(simpy::encode_parsed(&parsed, &Default::default()));
                python.push(parsed.source);
            }
        }
        Corpus { python, simpy }
    })
}

fn python_bytes() -> divan::counter::BytesCount {
    divan::counter::BytesCount::new(corpus().python.iter().map(String::len).sum::<usize>())
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn tree_sitter_parse_only(bencher: divan::Bencher) {
    bencher.counter(python_bytes()).bench(|| {
        for text in &corpus().python {
            divan::black_box(simpy_python::tree_sitter_parse(text));
        }
    });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn encode(bencher: divan::Bencher) {
    bencher.counter(python_bytes()).bench(|| {
        for text in &corpus().python {
            divan::black_box(simpy::encode(text).expect("encodes"));
        }
    });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn decode(bencher: divan::Bencher) {
    let simpy_bytes = corpus().simpy.iter().map(String::len).sum::<usize>();
    bencher
        .counter(divan::counter::BytesCount::new(simpy_bytes))
        .bench(|| {
            for text in &corpus().simpy {
                divan::black_box(simpy::decode(text).expect("decodes"));
            }
        });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn decode_python_bytes(bencher: divan::Bencher) {
    bencher.counter(python_bytes()).bench(|| {
        for text in &corpus().simpy {
            divan::black_box(simpy::decode(text).expect("decodes"));
        }
    });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn parse_simpy_only(bencher: divan::Bencher) {
    let simpy_bytes = corpus().simpy.iter().map(String::len).sum::<usize>();
    bencher
        .counter(divan::counter::BytesCount::new(simpy_bytes))
        .bench(|| {
            for text in &corpus().simpy {
                divan::black_box(simpy::parse_simpy(text).expect("parses"));
            }
        });
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
