//! Exact token counts for OpenAI's vocabularies with the `bpe` crate (GitHub's `bpe-openai`),
//! about three times faster than `tiktoken-rs`. `bpe-openai` ships cl100k and o200k; p50k and
//! r50k are built here once, from `tiktoken-rs`'s own ranks, with their pre-tokenizer pattern.
//! The test `fast_counts` holds every one to `tiktoken-rs`'s count on every stdlib file.

use bpe_openai::byte_pair_encoding::BytePairEncoding;
use std::sync::OnceLock;

/// GPT-2's pattern (r50k and p50k), `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+|
/// ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`, with the look-ahead written as `bpe-openai` writes it for
/// cl100k: a second pattern whose last character the splitter gives back.
const GPT2_PATTERNS: [(&str, bool); 3] = [
    (
        "'(?:[sdmt]|ll|ve|re)| ?\\p{L}+| ?\\p{N}+| ?[^\\s\\p{L}\\p{N}]+|\\s+$",
        false,
    ),
    ("\\s+\\s", true),
    ("\\s+", false),
];

/// The hash factor `bpe-openai` uses; with it no two tokens of p50k or r50k share a hash
/// either (`from_dictionary` asserts it).
const HASH_FACTOR: u64 = 17846336922010275747;

pub(crate) fn p50k() -> &'static bpe_openai::Tokenizer {
    static FAST: OnceLock<bpe_openai::Tokenizer> = OnceLock::new();
    FAST.get_or_init(|| gpt2_style(super::p50k()))
}

pub(crate) fn r50k() -> &'static bpe_openai::Tokenizer {
    static FAST: OnceLock<bpe_openai::Tokenizer> = OnceLock::new();
    FAST.get_or_init(|| gpt2_style(super::r50k()))
}

/// The byte-pair encoding of `bpe`'s ordinary tokens in rank order, for counting only: p50k's
/// special `<|endoftext|>` (rank 50256, below its whitespace runs) is left out, which shifts
/// the ids above it but keeps the merge order, and so every count.
fn gpt2_style(bpe: &tiktoken_rs::CoreBPE) -> bpe_openai::Tokenizer {
    let specials = bpe.special_tokens();
    let tokens = (0..)
        .map_while(|rank| bpe.decode_bytes(&[rank]).ok())
        .filter(|bytes| !std::str::from_utf8(bytes).is_ok_and(|s| specials.contains(s)));
    let encoding = BytePairEncoding::from_dictionary(tokens, Some(HASH_FACTOR));
    bpe_openai::Tokenizer::new_lookahead(encoding, &GPT2_PATTERNS, false)
        .expect("the pattern compiles")
}
