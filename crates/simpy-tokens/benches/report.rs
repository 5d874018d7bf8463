//! What a `simpy report` spends its time on, one core: converting each file (normalized Python
//! and SimPy, with and without comments) against tokenizing the six texts, with one tokenizer
//! and with every built-in one. Over the first 400 standard library files (sorted by path), so
//! that a run stays near two minutes.
//!
//! `cargo bench -p simpy-tokens --bench report`; every benchmark counts bytes of Python.

use simpy_testkit::cpython as support;

use simpy_tokens::Tokenizer;

fn main() {
    let texts = texts();
    let python: usize = sources().iter().map(Vec::len).sum();
    eprintln!(
        "corpus: {} files, {:.1} MB of Python, {:.1} MB of text to tokenize",
        sources().len(),
        python as f64 / 1e6,
        texts.iter().flatten().map(String::len).sum::<usize>() as f64 / 1e6
    );
    divan::main();
}

fn sources() -> &'static [Vec<u8>] {
    static SOURCES: std::sync::OnceLock<Vec<Vec<u8>>> = std::sync::OnceLock::new();
    SOURCES.get_or_init(|| {
        let mut files = support::stdlib_files();
        files.sort();
        files
            .iter()
            .map(|p| std::fs::read(p).expect("readable"))
            .filter(|b| simpy_python::parse_module(b).is_ok())
            .take(400)
            .collect()
    })
}

/// The six texts a report tokenizes for one file.
fn convert(bytes: &[u8]) -> Vec<String> {
    let parsed = simpy_python::parse_module(bytes).expect("parses");
    let normalize = |strip_comments| {
        simpy::normalize_parsed(&parsed, &simpy::NormalizeOptions { strip_comments })
    };
    vec![
        normalize(false),
        normalize(true),
        simpy::encode_parsed(
            &parsed,
            &simpy::EncodeOptions {
                strip_comments: false,
                ..Default::default()
            },
        ),
        simpy::encode_parsed(
            &parsed,
            &simpy::EncodeOptions {
                strip_comments: true,
                ..Default::default()
            },
        ),
        simpy::remove_comments(&parsed.source, &parsed.comments),
        parsed.source,
    ]
}

fn texts() -> &'static [Vec<String>] {
    static TEXTS: std::sync::OnceLock<Vec<Vec<String>>> = std::sync::OnceLock::new();
    TEXTS.get_or_init(|| sources().iter().map(|b| convert(b)).collect())
}

fn python_bytes() -> divan::counter::BytesCount {
    divan::counter::BytesCount::new(sources().iter().map(Vec::len).sum::<usize>())
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn conversion(bencher: divan::Bencher) {
    bencher.counter(python_bytes()).bench(|| {
        for source in sources() {
            divan::black_box(convert(source));
        }
    });
}

/// Each sample counts with tokenizers made for it, as a report does once: the counts a
/// Hugging Face tokenizer keeps (pieces met before) start empty.
fn tokenize(bencher: divan::Bencher, names: &[&str]) {
    let make = || -> Vec<Tokenizer> {
        names
            .iter()
            .map(|n| Tokenizer::builtin(n).expect("built in"))
            .collect()
    };
    bencher
        .counter(python_bytes())
        .with_inputs(make)
        .bench_local_values(|tokenizers| {
            for file in texts() {
                for text in file {
                    for t in &tokenizers {
                        divan::black_box(t.count(text));
                    }
                }
            }
        });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn tokenize_gpt4(bencher: divan::Bencher) {
    tokenize(bencher, &["gpt4"]);
}

/// `gpt4`'s count as `tiktoken-rs` makes it (what `tokenize_gpt4` did before `bpe-openai`),
/// special tokens split out the same way: the two side by side in one run.
#[divan::bench(sample_count = 3, sample_size = 1)]
fn tokenize_gpt4_tiktoken_rs(bencher: divan::Bencher) {
    let bpe = tiktoken_rs::cl100k_base().expect("embedded");
    bencher.counter(python_bytes()).bench(|| {
        for file in texts() {
            for text in file {
                let count = simpy_tokens::count_with_specials(text, |p| bpe.count_ordinary(p));
                divan::black_box(count);
            }
        }
    });
}

/// Every built-in tokenizer with distinct vocabularies (gpt35 and codebert reuse gpt4's and
/// gpt2's counts in a report).
#[divan::bench(sample_count = 3, sample_size = 1)]
fn tokenize_all_builtin(bencher: divan::Bencher) {
    tokenize(bencher, &["gpt4", "gpt4o", "codex", "gpt2"]);
}

/// Each GGUF tokenizer alone (after `bash scripts/fetch_tokenizers.sh`).
#[divan::bench(sample_count = 3, sample_size = 1, args = ["codellama", "starcoder2", "deepseek-coder", "qwen2.5-coder"])]
fn tokenize_gguf(bencher: divan::Bencher, name: &str) {
    tokenize(bencher, &[name]);
}
