//! Vocabulary-only GGUF files (llama.cpp's `ggml-vocab-*.gguf`) read into Hugging Face
//! tokenizers: the metadata holds the tokens, merges or scores, and the name of the
//! pre-tokenizer, which is rebuilt here as the HF `tokenizer.json` of that model family has it.

use tokenizers::decoders::{self, DecoderWrapper};
use tokenizers::models::bpe::{Vocab as BpeVocab, BPE};
use tokenizers::normalizers::{NormalizerWrapper, Prepend, Replace, Sequence as Normalizers, NFC};
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::digits::Digits;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::{AddedToken, SplitDelimiterBehavior};

use crate::hf::Cuts;

/// The tokenizer part of a GGUF file's metadata.
#[derive(Debug, Default)]
pub struct Vocab {
    /// `llama` (SentencePiece BPE with scores) or `gpt2` (byte-level BPE with merges).
    pub model: String,
    /// The pre-tokenizer's name (`starcoder`, `deepseek-coder`, `qwen2`, `gpt-2`, `default`).
    pub pre: String,
    pub tokens: Vec<String>,
    pub scores: Vec<f32>,
    pub token_types: Vec<i32>,
    pub merges: Vec<String>,
}

/// llama.cpp's token types: control and user-defined tokens are added tokens in HF terms.
const CONTROL: i32 = 3;
const USER_DEFINED: i32 = 4;

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

enum Value {
    Str(String),
    Strs(Vec<String>),
    F32s(Vec<f32>),
    I32s(Vec<i32>),
    Other,
}

impl Reader<'_> {
    fn take(&mut self, n: usize) -> Result<&[u8], String> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len());
        let Some(end) = end else {
            return Err(format!("truncated at byte {}", self.at));
        };
        let slice = &self.bytes[self.at..end];
        self.at = end;
        Ok(slice)
    }

    fn u32(&mut self) -> Result<u32, String> {
        Ok(u32::from_le_bytes(
            self.take(4)?.try_into().expect("4 bytes"),
        ))
    }

    fn u64(&mut self) -> Result<u64, String> {
        Ok(u64::from_le_bytes(
            self.take(8)?.try_into().expect("8 bytes"),
        ))
    }

    fn string(&mut self) -> Result<String, String> {
        let len = self.u64()? as usize;
        let bytes = self.take(len)?;
        Ok(String::from_utf8_lossy(bytes).into_owned())
    }

    /// Size in bytes of a scalar of GGUF type `t`.
    fn scalar_size(t: u32) -> Result<usize, String> {
        Ok(match t {
            0 | 1 | 7 => 1,
            2 | 3 => 2,
            4..=6 => 4,
            10..=12 => 8,
            other => return Err(format!("unknown GGUF value type {other}")),
        })
    }

    fn value(&mut self, t: u32) -> Result<Value, String> {
        match t {
            8 => Ok(Value::Str(self.string()?)),
            9 => {
                let item = self.u32()?;
                let count = self.u64()? as usize;
                match item {
                    8 => (0..count)
                        .map(|_| self.string())
                        .collect::<Result<_, _>>()
                        .map(Value::Strs),
                    6 => (0..count)
                        .map(|_| Ok(f32::from_le_bytes(self.take(4)?.try_into().expect("4"))))
                        .collect::<Result<_, String>>()
                        .map(Value::F32s),
                    5 => (0..count)
                        .map(|_| Ok(i32::from_le_bytes(self.take(4)?.try_into().expect("4"))))
                        .collect::<Result<_, String>>()
                        .map(Value::I32s),
                    9 => Err("nested GGUF arrays are not supported".into()),
                    other => {
                        let size = Self::scalar_size(other)?;
                        self.take(size.saturating_mul(count))?;
                        Ok(Value::Other)
                    }
                }
            }
            other => {
                self.take(Self::scalar_size(other)?)?;
                Ok(Value::Other)
            }
        }
    }
}

/// Reads the tokenizer metadata of a GGUF file (tensors, if any, are not read).
pub fn read_vocab(bytes: &[u8]) -> Result<Vocab, String> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4)? != b"GGUF" {
        return Err("not a GGUF file".into());
    }
    let version = r.u32()?;
    if version < 2 {
        return Err(format!("GGUF version {version} is not supported"));
    }
    let _tensors = r.u64()?;
    let entries = r.u64()?;
    let mut v = Vocab::default();
    for _ in 0..entries {
        let key = r.string()?;
        let t = r.u32()?;
        match (key.as_str(), r.value(t)?) {
            ("tokenizer.ggml.model", Value::Str(s)) => v.model = s,
            ("tokenizer.ggml.pre", Value::Str(s)) => v.pre = s,
            ("tokenizer.ggml.tokens", Value::Strs(s)) => v.tokens = s,
            ("tokenizer.ggml.scores", Value::F32s(s)) => v.scores = s,
            ("tokenizer.ggml.token_type", Value::I32s(s)) => v.token_types = s,
            ("tokenizer.ggml.merges", Value::Strs(s)) => v.merges = s,
            _ => {}
        }
    }
    if v.tokens.is_empty() {
        return Err("the file has no tokenizer.ggml.tokens".into());
    }
    Ok(v)
}

/// The HF tokenizer the vocabulary came from, as far as counting tokens goes, and where its
/// texts may be cut for counting.
pub fn tokenizer(v: &Vocab) -> Result<(tokenizers::Tokenizer, Cuts), String> {
    let vocab: BpeVocab = v
        .tokens
        .iter()
        .enumerate()
        .map(|(i, t)| (t.clone(), i as u32))
        .collect();
    let (mut tokenizer, cuts) = match v.model.as_str() {
        "gpt2" => byte_level(v, vocab)?,
        "llama" => (sentencepiece(v, vocab)?, Cuts::SentencePieceSpaces),
        other => return Err(format!("GGUF tokenizer model `{other}` is not supported")),
    };
    let added: Vec<AddedToken> = v
        .tokens
        .iter()
        .zip(&v.token_types)
        .filter(|(_, t)| matches!(**t, CONTROL | USER_DEFINED))
        .map(|(text, _)| AddedToken::from(text.clone(), true))
        .collect();
    tokenizer
        .add_special_tokens(added)
        .map_err(|e| e.to_string())?;
    Ok((tokenizer, cuts))
}

fn isolated(pattern: &str) -> Result<PreTokenizerWrapper, String> {
    Split::new(
        SplitPattern::Regex(pattern.to_owned()),
        SplitDelimiterBehavior::Isolated,
        false,
    )
    .map(PreTokenizerWrapper::Split)
    .map_err(|e| e.to_string())
}

/// Byte-level BPE with the pre-tokenizer of its family (llama.cpp's `tokenizer.ggml.pre`), and
/// the cuts that pre-tokenizer allows.
fn byte_level(v: &Vocab, vocab: BpeVocab) -> Result<(tokenizers::Tokenizer, Cuts), String> {
    let merges = v
        .merges
        .iter()
        .map(|m| {
            m.split_once(' ')
                .map(|(a, b)| (a.to_owned(), b.to_owned()))
                .ok_or_else(|| format!("bad merge `{m}`"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let model = BPE::builder()
        .vocab_and_merges(vocab, merges)
        .build()
        .map_err(|e| e.to_string())?;
    let bytes_only = PreTokenizerWrapper::ByteLevel(ByteLevel::new(false, true, false));
    let gpt2 = PreTokenizerWrapper::ByteLevel(ByteLevel::new(false, true, true));
    // GPT-2's pattern ends each match of other characters before whitespace, and digits
    // split one by one only cut more; deepseek-coder's isolates line breaks first, and its
    // gaps between matches hold whitespace after symbols and digits; Qwen2's punctuation
    // takes the line breaks after it.
    let (pre, cuts) = match v.pre.as_str() {
        "gpt-2" | "default" => (gpt2, Cuts::BeforeWhitespace),
        "starcoder" => (
            PreTokenizerWrapper::Sequence(Sequence::new(vec![
                PreTokenizerWrapper::Digits(Digits::new(true)),
                gpt2,
            ])),
            Cuts::BeforeWhitespace,
        ),
        "deepseek-coder" => (
            PreTokenizerWrapper::Sequence(Sequence::new(vec![
                isolated("[\r\n]")?,
                isolated("\\s?\\p{L}+")?,
                isolated("\\s?\\p{P}+")?,
                isolated("[一-龥ࠀ-一가-퟿]+")?,
                PreTokenizerWrapper::Digits(Digits::new(true)),
                bytes_only,
            ])),
            Cuts::AroundLineBreaksBeforeSpacesAfterWords,
        ),
        "qwen2" => (
            PreTokenizerWrapper::Sequence(Sequence::new(vec![
                isolated(
                    "(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\\r\\n\\p{L}\\p{N}]?\\p{L}+|\\p{N}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+",
                )?,
                bytes_only,
            ])),
            Cuts::BeforeSpacesAndTabs,
        ),
        other => return Err(format!("pre-tokenizer `{other}` is not supported")),
    };
    let mut tokenizer = tokenizers::Tokenizer::new(model);
    tokenizer
        .with_pre_tokenizer(Some(pre))
        .with_decoder(Some(DecoderWrapper::ByteLevel(ByteLevel::default())));
    if v.pre == "qwen2" {
        tokenizer
            .with_normalizer(Some(NFC))
            .map_err(|e| e.to_string())?;
    }
    Ok((tokenizer, cuts))
}

/// Llama's SentencePiece BPE as HF's `LlamaTokenizerFast` runs it: `▁` for spaces and before the
/// text, byte fallback, and merges ranked by the merged piece's score (HF's
/// `SentencePieceExtractor`).
fn sentencepiece(v: &Vocab, vocab: BpeVocab) -> Result<tokenizers::Tokenizer, String> {
    let mut merges: Vec<(String, String, f32)> = Vec::new();
    for (piece, score) in v.tokens.iter().zip(&v.scores) {
        let mut local: Vec<(u32, u32, String, String)> = Vec::new();
        for (split, _) in piece.char_indices().skip(1) {
            let (left, right) = piece.split_at(split);
            if let (Some(&l), Some(&r)) = (vocab.get(left), vocab.get(right)) {
                local.push((l, r, left.to_owned(), right.to_owned()));
            }
        }
        local.sort_by_key(|m| (m.0, m.1));
        merges.extend(local.into_iter().map(|(_, _, l, r)| (l, r, *score)));
    }
    // Stable: pieces of equal score keep the order above.
    merges.sort_by(|a, b| b.2.total_cmp(&a.2));
    let model = BPE::builder()
        .vocab_and_merges(vocab, merges.into_iter().map(|(l, r, _)| (l, r)).collect())
        .unk_token("<unk>".into())
        .fuse_unk(true)
        .byte_fallback(true)
        .build()
        .map_err(|e| e.to_string())?;
    let mut tokenizer = tokenizers::Tokenizer::new(model);
    let normalizer = Normalizers::new(vec![
        NormalizerWrapper::Prepend(Prepend::new("▁".into())),
        NormalizerWrapper::Replace(Replace::new(" ", "▁").map_err(|e| e.to_string())?),
    ]);
    tokenizer
        .with_normalizer(Some(normalizer))
        .map_err(|e| e.to_string())?;
    // As `LlamaTokenizerFast` decodes: spaces back, bytes joined, the prepended space gone.
    tokenizer.with_decoder(Some(DecoderWrapper::Sequence(
        decoders::sequence::Sequence::new(vec![
            DecoderWrapper::Replace(Replace::new("▁", " ").map_err(|e| e.to_string())?),
            DecoderWrapper::ByteFallback(decoders::byte_fallback::ByteFallback::new()),
            DecoderWrapper::Fuse(decoders::fuse::Fuse::new()),
            DecoderWrapper::Strip(decoders::strip::Strip::new(' ', 1, 0)),
        ]),
    )));
    Ok(tokenizer)
}
