//! Throughput over the machine's CPython standard library, one core:
//! tree-sitter's raw parse next to the full front end (decode + parse + checks + lowering).
//!
//! `cargo bench -p simpy-python --bench throughput`; throughput is printed as bytes/s per
//! benchmark, and the process's peak RSS at the end.

use simpy_testkit::cpython as support;

/// The allocator the `simpy` command and the Python package use: the front end is measured as
/// it runs there.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // tree-sitter's C core allocates as in the `simpy` command; SIMPY_BENCH_TS_MALLOC=libc
    // keeps glibc's, to compare the two.
    if std::env::var_os("SIMPY_BENCH_TS_MALLOC").is_none_or(|v| v != "libc") {
        #[allow(unsafe_code)]
        // SAFETY: first thing in `main`: no thread and no tree-sitter object exists yet.
        unsafe {
            simpy_python::tree_sitter_allocates_with_mimalloc();
        }
    }
    let corpus = corpus();
    let total: usize = corpus.iter().map(Vec::len).sum();
    eprintln!(
        "corpus: {} files, {:.1} MB of Python",
        corpus.len(),
        total as f64 / 1e6
    );
    divan::main();
    if let Some(rss) = peak_rss_kib() {
        eprintln!("peak RSS: {:.1} MiB", rss as f64 / 1024.0);
    }
}

/// The standard library files CPython itself parses, read once.
fn corpus() -> &'static [Vec<u8>] {
    static CORPUS: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let files = support::stdlib_files();
        files
            .iter()
            .map(|p| std::fs::read(p).expect("readable"))
            .filter(|bytes| simpy_python::parse_module(bytes).is_ok())
            .collect()
    })
}

fn bytes() -> divan::counter::BytesCount {
    divan::counter::BytesCount::new(corpus().iter().map(Vec::len).sum::<usize>())
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn tree_sitter_parse_only(bencher: divan::Bencher) {
    let texts: Vec<String> = corpus()
        .iter()
        .map(|b| simpy_python::decode_source(b).expect("decodes"))
        .collect();
    bencher.counter(bytes()).bench(|| {
        for text in &texts {
            divan::black_box(simpy_python::tree_sitter_parse(text));
        }
    });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn parse_module_full(bencher: divan::Bencher) {
    bencher.counter(bytes()).bench(|| {
        for source in corpus() {
            divan::black_box(simpy_python::parse_module(source).expect("parses"));
        }
    });
}

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
