//! Each GGUF-based tokenizer reproduces the Hugging Face reference ids shipped beside its GGUF
//! file (`.inp` strings, `.out` ids). The files come from `scripts/fetch_tokenizers.sh`.

use simpy_tokens::Tokenizer;
use std::path::PathBuf;

fn vocab_dir() -> PathBuf {
    simpy_tokens::gguf_dir()
}

#[track_caller]
fn check_reference_ids(model: &str) {
    let dir = vocab_dir();
    let gguf = dir.join(format!("ggml-vocab-{model}.gguf"));
    let tokenizer = Tokenizer::from_gguf(model, &gguf)
        .unwrap_or_else(|e| panic!("{e}; run `bash scripts/fetch_tokenizers.sh` first"));
    let inputs = std::fs::read_to_string(dir.join(format!("ggml-vocab-{model}.gguf.inp"))).unwrap();
    let outputs =
        std::fs::read_to_string(dir.join(format!("ggml-vocab-{model}.gguf.out"))).unwrap();
    let inputs: Vec<&str> = inputs.split("\n__ggml_vocab_test__\n").collect();
    let outputs: Vec<&str> = outputs.lines().collect();
    let mut mismatches = Vec::new();
    for (text, expected) in inputs.iter().zip(&outputs) {
        let expected: Vec<u32> = expected
            .split_whitespace()
            .map(|n| n.parse().unwrap())
            .collect();
        let got = tokenizer.ids(text);
        if got != expected {
            mismatches.push(format!("{text:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(inputs.len() >= 40, "{} reference strings", inputs.len());
    assert!(
        mismatches.is_empty(),
        "{model}: {} of {} differ:\n{}",
        mismatches.len(),
        inputs.len(),
        mismatches.join("\n")
    );
}

#[test]
fn gpt2_gguf_matches_reference_ids() {
    check_reference_ids("gpt-2");
}

#[test]
fn starcoder_gguf_matches_reference_ids() {
    check_reference_ids("starcoder");
}

#[test]
fn deepseek_coder_gguf_matches_reference_ids() {
    check_reference_ids("deepseek-coder");
}

#[test]
fn qwen2_gguf_matches_reference_ids() {
    check_reference_ids("qwen2");
}

#[test]
fn llama_spm_gguf_matches_reference_ids() {
    check_reference_ids("llama-spm");
}

/// Texts a report counts: the file, and its SimPy (plain text between special tokens).
fn report_texts(bytes: &[u8]) -> Vec<String> {
    let python = String::from_utf8_lossy(bytes).into_owned();
    let simpy = simpy::encode(&python).ok();
    std::iter::once(python).chain(simpy).collect()
}

/// A count is the model's on each piece, pieces kept and (SentencePiece) cut before runs of
/// spaces; so it must be the length of the tokenizer's own ids, on whitespace shapes and on
/// stdlib files and their SimPy (every 7th file; `SIMPY_GGUF_FILES=all` for every one).
#[track_caller]
fn counts_are_the_length_of_the_ids(name: &str) {
    let tokenizer = Tokenizer::builtin(name)
        .unwrap_or_else(|e| panic!("{e}; run `bash scripts/fetch_tokenizers.sh` first"));
    // Whitespace of every kind after every kind of character, line breaks among spaces,
    // contractions, digits, added tokens, combining marks and CJK: where cuts could go wrong.
    let edges = [
        "",
        " ",
        "    x",
        "x    ",
        "\n",
        "\n\n    \n",
        "a\t\t b",
        "a \u{a0} b",
        "x\r\n\r\n  y",
        "if x:\n\n        \n    y  \n",
        "é  ü\n\t",
        "<s>a</s> <unk>",
        "  <s>  ",
        "def f(self):\n    return 12345 ** 2\n",
        "🦀  🦀\n",
        "a\u{3000}b\u{85}c\u{2028}d",
        "e\u{301} \u{301}x\t\u{301}",
        "f(a)\n\n  b):\r\n\tc",
        "1 2  3\t4\n5",
        "x  \n  y",
        "don't  stop 'll 's",
        "你好 世界\n한국 어",
        "<|endoftext|> x <|im_start|>\n",
        "õ ÷x Á",
        "x+ =",
        "a, b",
        "1 2",
        "$ x",
        "x\u{85}y",
        "é b",
        "a_ b",
        "`  ~ |\t^",
        "\t\t\n\r\r y",
        "x,\n    y",
        "\"\"\"doc\n    string\"\"\"",
    ];
    let all = std::env::var("SIMPY_GGUF_FILES").is_ok_and(|v| v == "all");
    let files = simpy_testkit::cpython::stdlib_files();
    let step = if all { 1 } else { 7 };
    let file_texts = files
        .iter()
        .step_by(step)
        .flat_map(|path| report_texts(&std::fs::read(path).expect("readable")));
    let mut checked = 0;
    for text in edges.iter().map(|e| e.to_string()).chain(file_texts) {
        // Twice: the second count comes from the kept pieces.
        for _ in 0..2 {
            let expected = simpy_tokens::count_with_specials(&text, |p| tokenizer.ids(p).len());
            assert_eq!(tokenizer.count(&text), expected, "{name} on {text:?}");
        }
        checked += 1;
    }
    assert!(checked > 200, "{checked} texts");
}

#[test]
fn codellama_counts_are_the_length_of_its_ids() {
    counts_are_the_length_of_the_ids("codellama");
}

#[test]
fn starcoder2_counts_are_the_length_of_its_ids() {
    counts_are_the_length_of_the_ids("starcoder2");
}

#[test]
fn deepseek_coder_counts_are_the_length_of_its_ids() {
    counts_are_the_length_of_the_ids("deepseek-coder");
}

#[test]
fn qwen25_coder_counts_are_the_length_of_its_ids() {
    counts_are_the_length_of_the_ids("qwen2.5-coder");
}
