//! A tokenizer with SimPy's tokens, written out for training and serving: a Hugging Face
//! `tokenizer.json` for every base, and for tiktoken bases also the ranks and the
//! `special_tokens` map `tiktoken.Encoding(...)` takes.
//!
//! SimPy's tokens, and a dialect's idioms after them, are added tokens with the ids
//! [`SimpyVocabulary::added`] gives (the stream decoder's ids): not normalized, no
//! `lstrip`/`rstrip`, and not `special`, so that serving stacks which skip special tokens when
//! they detokenize keep them.
//!
//! A tiktoken base becomes a byte-level BPE as Hugging Face converts tiktoken models (Llama 3's
//! `tokenizer.json` was made so): the encoding's split pattern, the ranks as the vocabulary, a
//! merge for every split of a token into two tokens, ranked by the token's rank, and
//! `ignore_merges` (tiktoken takes a piece whole when it is a token).

use crate::vocabulary::{SimpyToken, SimpyVocabulary};
use crate::{Backend, TokenizerError};
use base64::Engine;
use simpy_ast::Special;
use std::collections::{BTreeMap, HashMap};
use tokenizers::decoders::DecoderWrapper;
use tokenizers::models::bpe::BPE;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::pre_tokenizers::PreTokenizerWrapper;
use tokenizers::{AddedToken, SplitDelimiterBehavior};

/// tiktoken's encodings: (name, split pattern), as `tiktoken_ext/openai_public.py` has them
/// (the Python package's tests compare them with it).
const ENCODINGS: &[(&str, &str)] = &[
    (
        "r50k_base",
        "'(?:[sdmt]|ll|ve|re)| ?\\p{L}++| ?\\p{N}++| ?[^\\s\\p{L}\\p{N}]++|\\s++$|\\s+(?!\\S)|\\s",
    ),
    (
        "p50k_base",
        "'(?:[sdmt]|ll|ve|re)| ?\\p{L}++| ?\\p{N}++| ?[^\\s\\p{L}\\p{N}]++|\\s++$|\\s+(?!\\S)|\\s",
    ),
    (
        "cl100k_base",
        "'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}++|\\p{N}{1,3}+| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*+|\\s++$|\\s*[\\r\\n]|\\s+(?!\\S)|\\s",
    ),
    ("o200k_base", tiktoken_rs::O200K_BASE_PAT_STR),
];

/// What an export writes: file name and contents.
pub struct ExportFile {
    pub name: String,
    pub contents: String,
}

/// An export's files, and how many idioms it spelled out (see [`SimpyVocabulary::export`]).
pub struct Exported {
    pub files: Vec<ExportFile>,
    pub spelled_out: usize,
}

impl SimpyVocabulary {
    /// The files of this tokenizer with SimPy's tokens: `tokenizer.json`,
    /// `tokenizer_config.json`, and for a tiktoken base `<encoding>.tiktoken` and `tiktoken.json`.
    ///
    /// With `idiom_texts` (what each idiom stands for), an idiom is added with its text as
    /// its content rather than `<@N>` where [`spellable`] and where the text is no token of
    /// the base's yet and decodes back as itself: a grammar engine then reads the token's bytes,
    /// so the grammar of the dialect's spellings holds a model that writes it. Ids are the same.
    pub fn export(&self, idiom_texts: Option<&[String]>) -> Result<Exported, TokenizerError> {
        let mut spelled = BTreeMap::new();
        if let Some(texts) = idiom_texts {
            let base_has = self.base_keys();
            for (n, text) in (0u32..).zip(texts) {
                let fresh = !spelled.values().any(|t| t == text) && !base_has(text);
                if spellable(text) && fresh {
                    spelled.insert(n, text.clone());
                }
            }
        }
        loop {
            let (files, loaded) = self.export_with(&spelled)?;
            // A decoder may rewrite an added token's text (a byte-level one maps `Ġ` to a
            // space); such an idiom stays `<@N>`. After `<line_sep>`, as in a stream.
            let anchor = self.id(Special::LineSep);
            let changed: Vec<u32> = spelled
                .iter()
                .filter(|(n, text)| {
                    let ids = [anchor, self.idiom_id(**n)];
                    loaded.decode(&ids, false).ok() != Some(format!("<line_sep>{text}"))
                })
                .map(|(n, _)| *n)
                .collect();
            if changed.is_empty() {
                return Ok(Exported {
                    files,
                    spelled_out: spelled.len(),
                });
            }
            for n in changed {
                spelled.remove(&n);
            }
        }
    }

    /// The export with `spelled` idioms (by number) added as their text, and the tokenizer as
    /// a reader loads its `tokenizer.json`.
    fn export_with(
        &self,
        spelled: &BTreeMap<u32, String>,
    ) -> Result<(Vec<ExportFile>, tokenizers::Tokenizer), TokenizerError> {
        let export_error = |message: String| TokenizerError::Export {
            name: self.name().to_owned(),
            message,
        };
        let contents: Vec<(String, u32)> = self
            .added()
            .map(|(token, id)| match token {
                SimpyToken::Idiom(n) if spelled.contains_key(&n) => (spelled[&n].clone(), id),
                _ => (token.text().into_owned(), id),
            })
            .collect();
        let mut files = Vec::new();
        let mut tokenizer = match &self.tokenizer().backend {
            Backend::HuggingFace(t) => t.tokenizer.clone(),
            Backend::Tiktoken { bpe, .. } => {
                let encoding = self.tiktoken_encoding()?;
                let ranks = self.ranks(bpe);
                files.push(ExportFile {
                    name: format!("{encoding}.tiktoken"),
                    contents: tiktoken_file(&ranks.plain),
                });
                files.push(ExportFile {
                    name: "tiktoken.json".to_owned(),
                    contents: self.tiktoken_spec(encoding, &ranks, &contents)?,
                });
                byte_level_bpe(&ranks, &contents, &oniguruma_pattern(pattern(encoding)))
                    .map_err(export_error)?
            }
        };
        let added: Vec<AddedToken> = contents
            .iter()
            .map(|(content, _)| {
                AddedToken::from(content.clone(), false)
                    .normalized(false)
                    .lstrip(false)
                    .rstrip(false)
                    .single_word(false)
            })
            .collect();
        tokenizer
            .add_tokens(added)
            .map_err(|e| export_error(e.to_string()))?;
        let json = tokenizer
            .to_string(true)
            .map_err(|e| export_error(e.to_string()))?;
        // Loading renumbers added tokens (a token not in the model's vocabulary gets the next
        // free id, whatever the file says), so the ids are checked on the file as loaded.
        let loaded: tokenizers::Tokenizer = json
            .parse()
            .map_err(|e: tokenizers::Error| export_error(e.to_string()))?;
        for (content, expected) in &contents {
            let id = loaded.token_to_id(content);
            if id != Some(*expected) {
                return Err(export_error(format!(
                    "{content:?} got id {id:?}, not {expected}"
                )));
            }
        }
        files.insert(
            0,
            ExportFile {
                name: "tokenizer.json".to_owned(),
                contents: json,
            },
        );
        files.insert(
            1,
            ExportFile {
                name: "tokenizer_config.json".to_owned(),
                contents: tokenizer_config(),
            },
        );
        Ok((files, loaded))
    }

    /// Whether a text is already a token of the base (as its `tokenizer.json` keys it): an
    /// added token of that text would take the base's id, or, for a tiktoken base whose
    /// vocabulary holds SimPy's tokens, overwrite it.
    fn base_keys(&self) -> Box<dyn Fn(&str) -> bool + '_> {
        match &self.tokenizer().backend {
            Backend::HuggingFace(t) => Box::new(|text| t.tokenizer.token_to_id(text).is_some()),
            Backend::Tiktoken { bpe, .. } => {
                let ranks = self.ranks(bpe);
                let chars = byte_chars();
                let keys: std::collections::HashSet<String> = ranks
                    .plain
                    .iter()
                    .map(|(bytes, _)| spell(&chars, bytes))
                    .chain(ranks.special.into_keys())
                    .collect();
                Box::new(move |text| keys.contains(text))
            }
        }
    }

    /// The tiktoken encoding of a tiktoken base.
    fn tiktoken_encoding(&self) -> Result<&'static str, TokenizerError> {
        Ok(match self.name() {
            "gpt4" | "gpt35" => "cl100k_base",
            "gpt4o" => "o200k_base",
            "codex" => "p50k_base",
            "gpt2" => "r50k_base",
            "codebert" => {
                return Err(TokenizerError::Export {
                    name: "codebert".to_owned(),
                    message: "its counts are GPT-2's BPE plus <s> and </s>, but its ids are \
                              RoBERTa's (another numbering of those tokens, not built in): \
                              pass CodeBERT's tokenizer.json as --base"
                        .to_owned(),
                })
            }
            other => {
                return Err(TokenizerError::Export {
                    name: other.to_owned(),
                    message: "not a tiktoken encoding".to_owned(),
                })
            }
        })
    }

    /// Every id below SimPy's first, as bytes: the BPE ranks and tiktoken's special tokens.
    fn ranks(&self, bpe: &tiktoken_rs::CoreBPE) -> Ranks {
        let specials: Vec<&str> = bpe.special_tokens().into_iter().collect();
        let first_simpy = self.id(Special::ALL[0]);
        let mut ranks = Ranks::default();
        for id in 0..first_simpy {
            let Ok(bytes) = bpe.decode_bytes(&[id]) else {
                ranks.unused.push(id); // a gap of the numbering (cl100k's reserved range)
                continue;
            };
            match std::str::from_utf8(&bytes) {
                Ok(text) if specials.contains(&text) => {
                    ranks.special.insert(text.to_owned(), id);
                }
                _ => ranks.plain.push((bytes, id)),
            }
        }
        ranks
    }

    /// `tiktoken.json`: what `tiktoken.Encoding(...)` takes besides the ranks file.
    fn tiktoken_spec(
        &self,
        encoding: &str,
        ranks: &Ranks,
        added: &[(String, u32)],
    ) -> Result<String, TokenizerError> {
        let mut special: BTreeMap<String, u32> = ranks.special.clone();
        special.extend(added.iter().cloned());
        let spec = serde_json::json!({
            "name": format!("{encoding}_simpy"),
            "pat_str": pattern(encoding),
            "mergeable_ranks": format!("{encoding}.tiktoken"),
            "special_tokens": special,
        });
        serde_json::to_string_pretty(&spec).map_err(|e| TokenizerError::Export {
            name: self.name().to_owned(),
            message: e.to_string(),
        })
    }
}

#[derive(Default)]
struct Ranks {
    plain: Vec<(Vec<u8>, u32)>,
    special: BTreeMap<String, u32>,
    /// Ids tiktoken leaves unused (cl100k's 100260..=100275).
    unused: Vec<u32>,
}

fn pattern(encoding: &str) -> &'static str {
    ENCODINGS
        .iter()
        .find(|(name, _)| *name == encoding)
        .map(|(_, pattern)| *pattern)
        .expect("every encoding has its pattern")
}

/// A tiktoken pattern as Hugging Face `tokenizers` reads it. Its Python wheels match with
/// Oniguruma, where `{1,3}+` is not possessive but "one or more of up to three", so cl100k's
/// `\p{N}{1,3}+` would take `5322` whole. Greedy is the same there: nothing follows it in its
/// alternative to backtrack for.
fn oniguruma_pattern(pattern: &str) -> String {
    pattern.replace("{1,3}+", "{1,3}")
}

/// tiktoken's rank file: one `base64(bytes) rank` per line.
fn tiktoken_file(ranks: &[(Vec<u8>, u32)]) -> String {
    let mut out = String::new();
    for (bytes, rank) in ranks {
        out += &base64::engine::general_purpose::STANDARD.encode(bytes);
        out += &format!(" {rank}\n");
    }
    out
}

/// For `transformers.AutoTokenizer`: no space clean-up on decode, which would change SimPy.
fn tokenizer_config() -> String {
    let config = serde_json::json!({
        "tokenizer_class": "PreTrainedTokenizerFast",
        "clean_up_tokenization_spaces": false,
        "model_max_length": 1_000_000_000_000_000_000u64,
    });
    serde_json::to_string_pretty(&config).expect("a fixed object serializes")
}

/// Bytes as a byte-level `tokenizer.json` keys them, `chars` being [`byte_chars`].
fn spell(chars: &[char; 256], bytes: &[u8]) -> String {
    bytes.iter().map(|&b| chars[b as usize]).collect()
}

/// GPT-2's printable stand-in for each byte (the byte-level alphabet of `tokenizer.json`).
fn byte_chars() -> [char; 256] {
    let mut chars = ['\0'; 256];
    let mut next = 256u32;
    for (byte, slot) in chars.iter_mut().enumerate() {
        let printable = matches!(byte, 0x21..=0x7e | 0xa1..=0xac | 0xae..=0xff);
        *slot = if printable {
            char::from(byte as u8)
        } else {
            let c = char::from_u32(next).expect("below the surrogates");
            next += 1;
            c
        };
    }
    chars
}

/// Whether an idiom's text may be its added token's content in place of `<@N>`: it holds no
/// SimPy token (a grammar names those by their ids, which the idiom would hide) and no `<@`,
/// and it is not written `<…>`, which llguidance takes for a special token whatever the file
/// says (its Hugging Face reader), so a grammar would have to name it.
pub fn spellable(text: &str) -> bool {
    let shaped_special = text.starts_with('<') && text.ends_with('>');
    !text.is_empty()
        && !shaped_special
        && !text.contains("<@")
        && !Special::ALL.iter().any(|s| text.contains(s.text()))
}

/// tiktoken's ranks as a Hugging Face byte-level BPE. Its special tokens and `simpy` (SimPy's
/// tokens with their ids) are in the model's vocabulary, so that they keep their ids when the
/// file is loaded: tiktoken's numbering has gaps, which loading would fill. The gaps are filled
/// with reserved special tokens (`<|reserved_100260|>`), as Llama 3's are: tools that size a
/// vocabulary by counting its entries (llguidance) would otherwise miss the last ids.
fn byte_level_bpe(
    ranks: &Ranks,
    simpy: &[(String, u32)],
    pattern: &str,
) -> Result<tokenizers::Tokenizer, String> {
    let chars = byte_chars();
    let spell = |bytes: &[u8]| spell(&chars, bytes);
    let rank_of: HashMap<&[u8], u32> = ranks
        .plain
        .iter()
        .map(|(b, r)| (b.as_slice(), *r))
        .collect();
    let mut merges: Vec<(u32, u32, u32, String, String)> = Vec::new();
    for (bytes, rank) in &ranks.plain {
        for split in 1..bytes.len() {
            let (left, right) = bytes.split_at(split);
            if let (Some(&l), Some(&r)) = (rank_of.get(left), rank_of.get(right)) {
                merges.push((*rank, l, r, spell(left), spell(right)));
            }
        }
    }
    merges.sort_unstable_by_key(|(rank, l, r, _, _)| (*rank, *l, *r));
    let mut vocab: tokenizers::models::bpe::Vocab =
        ranks.plain.iter().map(|(b, r)| (spell(b), *r)).collect();
    let reserved: Vec<(String, u32)> = ranks
        .unused
        .iter()
        .map(|id| (format!("<|reserved_{id}|>"), *id))
        .collect();
    vocab.extend(ranks.special.iter().map(|(t, id)| (t.clone(), *id)));
    vocab.extend(reserved.iter().cloned());
    vocab.extend(simpy.iter().cloned());
    let model = BPE::builder()
        .vocab_and_merges(
            vocab,
            merges.into_iter().map(|(_, _, _, l, r)| (l, r)).collect(),
        )
        .ignore_merges(true)
        .build()
        .map_err(|e| e.to_string())?;
    let split = Split::new(
        SplitPattern::Regex(pattern.to_owned()),
        SplitDelimiterBehavior::Isolated,
        false,
    )
    .map_err(|e| e.to_string())?;
    let mut tokenizer = tokenizers::Tokenizer::new(model);
    tokenizer
        .with_pre_tokenizer(Some(PreTokenizerWrapper::Sequence(Sequence::new(vec![
            PreTokenizerWrapper::Split(split),
            PreTokenizerWrapper::ByteLevel(ByteLevel::new(false, false, false)),
        ]))))
        .with_decoder(Some(DecoderWrapper::ByteLevel(ByteLevel::default())));
    let specials: Vec<AddedToken> = ranks
        .special
        .keys()
        .chain(reserved.iter().map(|(t, _)| t))
        .map(|t| AddedToken::from(t.clone(), true))
        .collect();
    tokenizer
        .add_special_tokens(specials)
        .map_err(|e| e.to_string())?;
    Ok(tokenizer)
}
