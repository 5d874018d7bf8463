//! The built-in tokenizers count with the `bpe` crate (`bpe-openai`), which is faster than
//! `tiktoken-rs` and exact by construction; the two differ only if their pre-tokenizers split a text differently, and runs
//! of spaces (Python's indentation) are where such splitters have differed. So every file of
//! the standard library must count the same under both, and so must the whitespace shapes below.

use simpy_testkit::cpython::stdlib_files;
use simpy_tokens::Tokenizer;

/// Whitespace at the edges of a text and between lines: the look-ahead `\s+(?!\S)` of
/// tiktoken's pattern, which `bpe-openai` emulates.
const EDGES: &[&str] = &[
    "",
    " ",
    "    ",
    "x ",
    "x    ",
    "    x",
    "\n",
    "\n\n    \n",
    "def f():\n    return 1\n    ",
    "a\t\t b",
    "a \u{a0} b",
    "x\r\n\r\n  y",
    "if x:\n\n        \n    y  \n",
    "é  ü\n\t",
];

fn same_counts(name: &str, bpe: &tiktoken_rs::CoreBPE) {
    let fast = Tokenizer::builtin(name).expect("built in");
    for text in EDGES {
        assert_eq!(
            fast.count(text),
            bpe.count_ordinary(text),
            "{name} on {text:?}"
        );
    }
    let files = stdlib_files();
    assert!(files.len() > 1000, "the standard library has its files");
    for path in &files {
        let bytes = std::fs::read(path).expect("readable");
        let text = String::from_utf8_lossy(&bytes);
        // A stdlib file may hold text that spells a SimPy token (`<line_sep>`), which a
        // report counts as one; compare the plain text between them.
        let expected = simpy_tokens::count_with_specials(&text, |p| bpe.count_ordinary(p));
        assert_eq!(fast.count(&text), expected, "{name} on {}", path.display());
    }
}

#[test]
fn cl100k_counts_as_tiktoken_on_the_stdlib() {
    same_counts("gpt4", &tiktoken_rs::cl100k_base().unwrap());
}

#[test]
fn o200k_counts_as_tiktoken_on_the_stdlib() {
    same_counts("gpt4o", &tiktoken_rs::o200k_base().unwrap());
}

#[test]
fn p50k_counts_as_tiktoken_on_the_stdlib() {
    same_counts("codex", &tiktoken_rs::p50k_base().unwrap());
}

#[test]
fn r50k_counts_as_tiktoken_on_the_stdlib() {
    same_counts("gpt2", &tiktoken_rs::r50k_base().unwrap());
}
