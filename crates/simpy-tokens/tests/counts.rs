//! Known counts for each tokenizer, and SimPy's special tokens counted as one.

use simpy_tokens::Tokenizer;

#[track_caller]
fn check(name: &str, text: &str, expected: usize) {
    let t = Tokenizer::builtin(name).expect("built in");
    assert_eq!(t.count(text), expected, "{name} on {text:?}");
}

/// Token ids published by OpenAI's tiktoken (README and cookbook): `hello world` is
/// [15339, 1917] in cl100k_base and [31373, 995] in r50k_base and p50k_base;
/// `tiktoken is great!` is [83, 1609, 5963, 374, 2294, 0] in cl100k_base.
#[test]
fn tiktoken_counts() {
    check("gpt4", "hello world", 2);
    check("gpt35", "tiktoken is great!", 6);
    check("gpt4o", "hello world", 2);
    check("gpt2", "hello world", 2);
    check("codex", "hello world", 2);
    // p50k_base has tokens for runs of spaces; r50k_base has none, so 8 spaces and `x` are
    // seven single spaces and ` x`.
    check("codex", "        x", 2);
    check("gpt2", "        x", 8);
    // RoBERTa wraps every document in <s> … </s>.
    check("codebert", "hello world", 4);
}

#[test]
fn special_tokens_count_one_each() {
    let t = Tokenizer::builtin("gpt4").unwrap();
    assert_eq!(t.count("<line_sep>"), 1);
    assert_eq!(
        t.count("<import_from_future_stmt><block_start><block_end>"),
        3
    );
    assert_eq!(t.count("x<line_sep>y"), t.count("x") + 1 + t.count("y"));
    // Text that only looks like a special token is plain text.
    assert!(t.count("<py_compile>") > 1);
}

/// A byte-level BPE from vocab.json + merges.txt, as CodeT5 ships its vocabulary (a small one
/// the test writes: CodeT5's own files are in no registry); RobertaTokenizer adds <s> </s>.
#[test]
fn codet5_from_vocab_and_merges() {
    let dir = tempfile::tempdir().expect("tempdir");
    simpy_testkit::bpe::write_small_vocabulary(dir.path());
    let t = Tokenizer::from_files(
        "codet5",
        &dir.path().join("vocab.json"),
        Some(&dir.path().join("merges.txt")),
    )
    .expect("loads");
    // `def` and ` f` are single pieces in the vocabulary; <s> and </s> are added.
    assert_eq!(t.count("def f"), 4);
    assert_eq!(t.count("<def_stmt>f"), t.count("f") + 1);
}

#[test]
fn unknown_names_list_the_known_ones() {
    let err = Tokenizer::builtin("gpt5").err().expect("unknown");
    assert_eq!(
        err.to_string(),
        "unknown tokenizer `gpt5`; known: gpt4, gpt35, gpt4o, codex, gpt2, codebert, codellama, \
         starcoder2, deepseek-coder, qwen2.5-coder"
    );
}

#[test]
fn gguf_tokenizers_by_name() {
    // `scripts/fetch_tokenizers.sh` (run by .ci/run) puts the files in place.
    for (name, _, _) in simpy_tokens::GGUF {
        let t = Tokenizer::builtin(name).unwrap_or_else(|e| panic!("{e}"));
        assert!(t.count("def f(x):\n    return x") > 4, "{name}");
        assert_eq!(
            t.count("<def_stmt>f x<block_start><return>x<block_end>"),
            4 + t.count("f x") + t.count("x"),
            "{name}"
        );
    }
}

#[test]
fn a_missing_vocabulary_names_the_setup_step() {
    let err = simpy_tokens::TokenizerError::NotFetched {
        name: "codellama".into(),
        file: "ggml-vocab-llama-spm.gguf".into(),
        dir: "/nowhere".into(),
    };
    let message = err.to_string();
    assert!(
        message.contains(
            "`pip download --no-deps --no-binary llama-cpp-python llama-cpp-python==0.3.36`"
        ),
        "{message}"
    );
    assert!(
        message.starts_with("tokenizer `codellama` needs ggml-vocab-llama-spm.gguf in /nowhere"),
        "{message}"
    );
}
