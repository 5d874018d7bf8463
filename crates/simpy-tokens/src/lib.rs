//! Named tokenizers and token counting, with every SimPy special token counted as exactly one
//! token, as the paper counted them (added to the vocabulary as special tokens).
//!
//! Built in, embedded, no files needed: OpenAI's `cl100k_base` (`gpt4`, `gpt35`), `o200k_base`
//! (`gpt4o`), `p50k_base` (`codex`), `r50k_base` (`gpt2`), and `codebert` (RoBERTa uses GPT-2's
//! byte-level BPE, so its count is `gpt2`'s plus `<s>` and `</s>`). Any other byte-level BPE
//! loads from a `tokenizer.json`, or a `vocab.json` with its `merges.txt` ([`Tokenizer::from_files`]).
//! CodeLlama, StarCoder, deepseek-coder and Qwen2.5-Coder ([`GGUF`]) are read from llama.cpp's
//! vocabulary-only GGUF files, which `scripts/fetch_tokenizers.sh` fetches once; they reproduce
//! the reference ids Hugging Face gives for llama.cpp's test strings.
//!
//! Special tokens are matched anywhere in the text, inside string literals too, exactly as an
//! added token of a Hugging Face tokenizer is; the text between them is counted as plain text.
//!
//! This crate reads tokenizer files when asked to and does no other IO.

mod export;
mod fast;
mod gguf;
mod hf;
mod vocabulary;

pub use export::{spellable, ExportFile, Exported};
pub use vocabulary::{IdDecoder, SimpyToken, SimpyVocabulary};

use hf::Cuts;
use simpy_ast::Special;
use std::path::Path;
use std::sync::OnceLock;

/// Why a tokenizer is not available.
#[derive(Debug, thiserror::Error)]
pub enum TokenizerError {
    #[error("unknown tokenizer `{0}`; known: {known}", known = known_names())]
    Unknown(String),
    #[error("token id {0} is not in the vocabulary")]
    UnknownId(u32),
    #[error("cannot decode token ids: {0}")]
    Decode(String),
    #[error("cannot load tokenizer from {path}: {message}")]
    Load { path: String, message: String },
    #[error(
        "tokenizer `{name}` needs {file} in {dir}. It ships in the llama-cpp-python 0.3.36 \
         source package: `pip download --no-deps --no-binary llama-cpp-python \
         llama-cpp-python==0.3.36`, then copy vendor/llama.cpp/models/{file} from it into {dir} \
         (or set SIMPY_TOKENIZERS to the folder that holds it); in a checkout of simpy, \
         `bash scripts/fetch_tokenizers.sh` does both"
    )]
    NotFetched {
        name: String,
        file: String,
        dir: String,
    },
    #[error("cannot export tokenizer `{name}`: {message}")]
    Export { name: String, message: String },
}

/// The tokenizers built in, with what each stands for.
pub const BUILTIN: &[(&str, &str)] = &[
    ("gpt4", "GPT-4 (tiktoken cl100k_base)"),
    ("gpt35", "GPT-3.5 (tiktoken cl100k_base)"),
    ("gpt4o", "GPT-4o (tiktoken o200k_base)"),
    ("codex", "Codex (tiktoken p50k_base)"),
    ("gpt2", "GPT-2/3 (tiktoken r50k_base)"),
    (
        "codebert",
        "CodeBERT (RoBERTa: GPT-2's BPE, +2 for <s> </s>)",
    ),
];

/// Tokenizers read from llama.cpp's vocabulary-only GGUF files, fetched once by
/// `scripts/fetch_tokenizers.sh`: (name, GGUF model name, what it stands for).
pub const GGUF: &[(&str, &str, &str)] = &[
    (
        "codellama",
        "llama-spm",
        "CodeLlama (Llama-2 SentencePiece, 32k)",
    ),
    ("starcoder2", "starcoder", "StarCoder (49k byte-level BPE)"),
    (
        "deepseek-coder",
        "deepseek-coder",
        "deepseek-coder (32k byte-level BPE)",
    ),
    (
        "qwen2.5-coder",
        "qwen2",
        "Qwen2/2.5-Coder (152k byte-level BPE)",
    ),
];

/// Where `scripts/fetch_tokenizers.sh` puts the GGUF vocabularies: `$SIMPY_TOKENIZERS`, else
/// `$XDG_CACHE_HOME/simpy/tokenizers`, else `~/.cache/simpy/tokenizers`.
pub fn gguf_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("SIMPY_TOKENIZERS") {
        return dir.into();
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| ".cache".into());
    cache.join("simpy").join("tokenizers")
}

/// The tokenizer a user means: names are case-insensitive, and tiktoken encoding names and
/// common model spellings stand for the built-in tokenizer of that vocabulary.
pub fn canonical_name(name: &str) -> Option<&'static str> {
    let lower = name.trim().to_ascii_lowercase();
    let alias = match lower.as_str() {
        "cl100k_base" | "cl100k" | "gpt-4" => "gpt4",
        "gpt-3.5" | "gpt-3.5-turbo" => "gpt35",
        "o200k_base" | "o200k" | "gpt-4o" => "gpt4o",
        "p50k_base" | "p50k" => "codex",
        "r50k_base" | "r50k" | "gpt-2" | "gpt3" | "gpt-3" => "gpt2",
        "starcoder" => "starcoder2",
        "qwen2" | "qwen2.5" | "qwen-coder" => "qwen2.5-coder",
        "deepseek" => "deepseek-coder",
        "llama" | "llama2" | "code-llama" => "codellama",
        other => other,
    };
    BUILTIN
        .iter()
        .map(|(n, _)| *n)
        .chain(GGUF.iter().map(|(n, _, _)| *n))
        .find(|n| *n == alias)
}

fn known_names() -> String {
    BUILTIN
        .iter()
        .map(|(name, _)| *name)
        .chain(GGUF.iter().map(|(name, _, _)| *name))
        .collect::<Vec<_>>()
        .join(", ")
}

enum Backend {
    /// OpenAI's vocabularies: `tiktoken-rs` gives the ids, the faster exact [`fast`] counts.
    Tiktoken {
        bpe: &'static tiktoken_rs::CoreBPE,
        counter: &'static bpe_openai::Tokenizer,
    },
    /// Any other: the Hugging Face tokenizer, counted by [`hf::Counter`].
    HuggingFace(Box<hf::Counter>),
}

/// A tokenizer that counts tokens of a text.
pub struct Tokenizer {
    name: String,
    backend: Backend,
    /// Tokens every document gets besides its text (`<s>` and `</s>` for RoBERTa models).
    per_document: usize,
}

macro_rules! shared_bpe {
    ($name:ident, $load:path) => {
        fn $name() -> &'static tiktoken_rs::CoreBPE {
            static BPE: OnceLock<tiktoken_rs::CoreBPE> = OnceLock::new();
            BPE.get_or_init(|| $load().expect("tiktoken-rs embeds its rank files"))
        }
    };
}

shared_bpe!(cl100k, tiktoken_rs::cl100k_base);
shared_bpe!(o200k, tiktoken_rs::o200k_base);
shared_bpe!(p50k, tiktoken_rs::p50k_base);
shared_bpe!(r50k, tiktoken_rs::r50k_base);

impl Tokenizer {
    /// A built-in tokenizer by name (see [`BUILTIN`]).
    pub fn builtin(name: &str) -> Result<Tokenizer, TokenizerError> {
        let (bpe, counter, per_document) = match name {
            "gpt4" | "gpt35" => (cl100k(), bpe_openai::cl100k_base(), 0),
            "gpt4o" => (o200k(), bpe_openai::o200k_base(), 0),
            "codex" => (p50k(), fast::p50k(), 0),
            "gpt2" => (r50k(), fast::r50k(), 0),
            "codebert" => (r50k(), fast::r50k(), 2),
            other => return Self::fetched(other),
        };
        Ok(Tokenizer {
            name: name.to_owned(),
            backend: Backend::Tiktoken { bpe, counter },
            per_document,
        })
    }

    /// A tokenizer from a Hugging Face `tokenizer.json`, or from a byte-level BPE's
    /// `vocab.json` + `merges.txt` (GPT-2/RoBERTa style, such as CodeT5's). Its post-processor
    /// (for example RoBERTa's `<s>` … `</s>`) is applied, so counts match `len(tokenizer(text).input_ids)`.
    pub fn from_files(
        name: &str,
        path: &Path,
        merges: Option<&Path>,
    ) -> Result<Tokenizer, TokenizerError> {
        let load_error = |message: String| TokenizerError::Load {
            path: path.display().to_string(),
            message,
        };
        let tokenizer = match merges {
            None => {
                tokenizers::Tokenizer::from_file(path).map_err(|e| load_error(e.to_string()))?
            }
            Some(merges) => byte_level_bpe(path, merges).map_err(load_error)?,
        };
        // The post-processor's tokens (`<s>` … `</s>`) are added once per document.
        let per_document = tokenizer
            .get_post_processor()
            .map_or(0, |p| tokenizers::PostProcessor::added_tokens(p, false));
        Ok(Tokenizer {
            name: name.to_owned(),
            backend: Backend::HuggingFace(Box::new(hf::Counter::new(tokenizer, Cuts::Unknown))),
            per_document,
        })
    }

    /// A tokenizer by name (as [`canonical_name`] reads it) or, failing that, by path (as
    /// [`Tokenizer::from_path`] reads it, named after the file or folder).
    pub fn named_or_path(spec: &str) -> Result<Tokenizer, TokenizerError> {
        if let Some(name) = canonical_name(spec) {
            return Tokenizer::builtin(name);
        }
        let path = Path::new(spec);
        if !path.exists() {
            return Err(TokenizerError::Unknown(spec.to_owned()));
        }
        let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or(spec);
        Tokenizer::from_path(stem, path)
    }

    /// A tokenizer from a path: a `tokenizer.json`, a `vocab.json` (with `merges.txt` beside
    /// it), or a folder that holds either.
    pub fn from_path(name: &str, path: &Path) -> Result<Tokenizer, TokenizerError> {
        let (file, dir) = if path.is_dir() {
            let json = path.join("tokenizer.json");
            let file = if json.is_file() {
                json
            } else {
                path.join("vocab.json")
            };
            (file, path.to_path_buf())
        } else {
            let dir = path.parent().unwrap_or(Path::new("."));
            (path.to_path_buf(), dir.to_path_buf())
        };
        let merges = file
            .file_name()
            .is_some_and(|f| f == "vocab.json")
            .then(|| dir.join("merges.txt"));
        if let Some(m) = merges.as_ref().filter(|m| !m.is_file()) {
            return Err(TokenizerError::Load {
                path: file.display().to_string(),
                message: format!("it needs merges.txt beside it ({} is missing)", m.display()),
            });
        }
        Tokenizer::from_files(name, &file, merges.as_deref())
    }

    /// One of [`GGUF`], from the directory `scripts/fetch_tokenizers.sh` fills.
    fn fetched(name: &str) -> Result<Tokenizer, TokenizerError> {
        let Some((_, model, _)) = GGUF.iter().find(|(n, _, _)| *n == name) else {
            return Err(TokenizerError::Unknown(name.to_owned()));
        };
        let dir = gguf_dir();
        let file = format!("ggml-vocab-{model}.gguf");
        let path = dir.join(&file);
        if !path.is_file() {
            return Err(TokenizerError::NotFetched {
                name: name.to_owned(),
                file,
                dir: dir.display().to_string(),
            });
        }
        Tokenizer::from_gguf(name, &path)
    }

    /// A tokenizer from a vocabulary-only GGUF file (llama.cpp's `ggml-vocab-*.gguf`).
    pub fn from_gguf(name: &str, path: &Path) -> Result<Tokenizer, TokenizerError> {
        let load_error = |message: String| TokenizerError::Load {
            path: path.display().to_string(),
            message,
        };
        let bytes = std::fs::read(path).map_err(|e| load_error(e.to_string()))?;
        let vocab = gguf::read_vocab(&bytes).map_err(load_error)?;
        let (tokenizer, cuts) = gguf::tokenizer(&vocab).map_err(load_error)?;
        Ok(Tokenizer {
            name: name.to_owned(),
            backend: Backend::HuggingFace(Box::new(hf::Counter::new(tokenizer, cuts))),
            per_document: 0,
        })
    }

    /// Token ids of `text` as the underlying tokenizer gives them, without special-token
    /// handling or per-document tokens (for checking against reference ids).
    pub fn ids(&self, text: &str) -> Vec<u32> {
        match &self.backend {
            Backend::Tiktoken { bpe, .. } => bpe.encode_ordinary(text),
            Backend::HuggingFace(t) => t
                .tokenizer
                .encode_fast(text, false)
                .map(|e| e.get_ids().to_vec())
                .unwrap_or_default(),
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// Tokenizers with the same key count plain text the same (`gpt4` and `gpt35`; `gpt2` and
    /// `codebert` up to [`Tokenizer::per_document`]), so a report counts each text once per key.
    pub fn counting_key(&self) -> String {
        match &self.backend {
            Backend::Tiktoken { bpe, .. } => format!("tiktoken:{:p}", *bpe),
            Backend::HuggingFace(_) => format!("file:{}", self.name),
        }
    }

    /// Tokens every document gets besides its text.
    pub fn per_document(&self) -> usize {
        self.per_document
    }

    /// Tokens of `text` without the per-document tokens, special tokens counted as one.
    pub fn count_text(&self, text: &str) -> usize {
        self.count(text) - self.per_document
    }

    /// Tokens of `text`, each SimPy special token counted as one.
    pub fn count(&self, text: &str) -> usize {
        self.per_document + count_with_specials(text, |plain| self.count_plain(plain))
    }

    /// Tokens of text that holds no special token, without per-document tokens.
    fn count_plain(&self, text: &str) -> usize {
        if text.is_empty() {
            return 0;
        }
        match &self.backend {
            Backend::Tiktoken { counter, .. } => counter.count(text),
            Backend::HuggingFace(t) => t.count(text),
        }
    }
}

/// A GPT-2-style tokenizer: byte-level pre-tokenizer and decoder, BPE from the two files, and
/// RoBERTa's post-processor, which CodeT5 and CodeBERT share.
fn byte_level_bpe(vocab: &Path, merges: &Path) -> Result<tokenizers::Tokenizer, String> {
    use tokenizers::models::bpe::BPE;
    use tokenizers::pre_tokenizers::byte_level::ByteLevel;
    use tokenizers::processors::roberta::RobertaProcessing;
    let (vocab, merges) = (
        vocab.to_str().ok_or("the path is not UTF-8")?,
        merges.to_str().ok_or("the path is not UTF-8")?,
    );
    let model = BPE::from_file(vocab, merges)
        .build()
        .map_err(|e| e.to_string())?;
    let mut tokenizer = tokenizers::Tokenizer::new(model);
    tokenizer
        .with_pre_tokenizer(Some(ByteLevel::new(false, true, true)))
        .with_decoder(Some(ByteLevel::default()))
        .with_post_processor(Some(RobertaProcessing::default()));
    Ok(tokenizer)
}

/// Tokens of `text` with each SimPy special token counted as one and the plain text between
/// them counted by `count_plain` (which never sees a special token's spelling).
pub fn count_with_specials(text: &str, mut count_plain: impl FnMut(&str) -> usize) -> usize {
    let mut total = 0;
    let mut plain_start = 0;
    for (at, len) in special_tokens(text) {
        total += count_plain(&text[plain_start..at]) + 1;
        plain_start = at + len;
    }
    total + count_plain(&text[plain_start..])
}

/// Where SimPy's special tokens are in `text`, a dialect's idiom tokens (`<@N>`) among them:
/// (byte offset, length) pairs.
pub fn special_tokens(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut from = 0;
    std::iter::from_fn(move || {
        while let Some(i) = memchr_lt(&bytes[from..]).map(|i| from + i) {
            // The longest special token is `<import_from_future_stmt>` (25 bytes).
            let window = &bytes[i..bytes.len().min(i + 32)];
            if let Some(close) = window.iter().position(|&b| b == b'>') {
                let candidate = &text[i..=i + close];
                if Special::from_text(candidate).is_some()
                    || simpy_ast::idiom_number(candidate).is_some()
                {
                    from = i + close + 1;
                    return Some((i, close + 1));
                }
            }
            from = i + 1;
        }
        None
    })
}

fn memchr_lt(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|&b| b == b'<')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn special_tokens_are_found_whole() {
        let found: Vec<_> =
            special_tokens("a<line_sep>b<<if>c<nope>d<import_from_future_stmt><@12><@>").collect();
        assert_eq!(found, vec![(1, 10), (13, 4), (25, 25), (50, 5)]);
    }
}
