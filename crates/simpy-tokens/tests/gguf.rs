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
