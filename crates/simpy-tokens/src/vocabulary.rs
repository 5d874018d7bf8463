//! A tokenizer that carries SimPy's special tokens as single ids, and the decoding of ids
//! back to text one at a time, for a model's output as it is sampled.
//!
//! The special tokens are numbered after the tokenizer's own vocabulary (its special tokens
//! included), in the order of [`Special::ALL`], as `add_special_tokens` appends them to a
//! Hugging Face tokenizer; a dialect's idioms (`<@0>`, `<@1>`, …) come after them, so a
//! token keeps its id in every dialect. Decoding writes each exactly as it is spelt, with no
//! space around it: a serving stack that "skips" special tokens or puts spaces between them
//! breaks SimPy.

use crate::{Backend, Tokenizer, TokenizerError};
use simpy_ast::Special;

/// A tokenizer with SimPy's special tokens as single ids after its own.
pub struct SimpyVocabulary {
    tokenizer: Tokenizer,
    first: u32,
    /// How many idiom tokens follow SimPy's (a dialect's idioms; none for canonical SimPy).
    idioms: u32,
}

/// One of the tokens a [`SimpyVocabulary`] adds to its tokenizer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SimpyToken {
    Special(Special),
    /// A dialect's idiom `<@N>`.
    Idiom(u32),
}

impl SimpyToken {
    pub fn text(self) -> std::borrow::Cow<'static, str> {
        match self {
            SimpyToken::Special(token) => token.text().into(),
            SimpyToken::Idiom(n) => simpy_ast::idiom_token(n).into(),
        }
    }
}

impl Tokenizer {
    /// This tokenizer with SimPy's special tokens added as single ids after its vocabulary.
    pub fn with_simpy_tokens(self) -> SimpyVocabulary {
        let first = match &self.backend {
            // Ours come after tiktoken's own special tokens, and after any rank above them
            // (p50k's runs of spaces come after `<|endoftext|>`).
            Backend::Tiktoken { bpe, .. } => {
                let specials: Vec<&str> = bpe.special_tokens().into_iter().collect();
                let mut first = specials
                    .iter()
                    .flat_map(|s| bpe.encode_with_special_tokens(s))
                    .max()
                    .map_or(0, |id| id + 1);
                while bpe.decode_bytes(&[first]).is_ok() {
                    first += 1;
                }
                first
            }
            Backend::HuggingFace(t) => t.tokenizer.get_vocab_size(true) as u32,
        };
        SimpyVocabulary {
            tokenizer: self,
            first,
            idioms: 0,
        }
    }
}

impl SimpyVocabulary {
    /// The tokenizer named `name` (aliases and any case, as `--tokenizers` takes them) with
    /// SimPy's tokens added.
    pub fn named(name: &str) -> Result<SimpyVocabulary, TokenizerError> {
        let canonical =
            crate::canonical_name(name).ok_or_else(|| TokenizerError::Unknown(name.to_owned()))?;
        Ok(Tokenizer::builtin(canonical)?.with_simpy_tokens())
    }

    /// This vocabulary with `count` idiom tokens (`<@0>`..) after SimPy's tokens: a dialect's.
    pub fn with_idioms(self, count: usize) -> SimpyVocabulary {
        SimpyVocabulary {
            idioms: u32::try_from(count).expect("a dialect has fewer idioms than ids"),
            ..self
        }
    }

    pub fn name(&self) -> &str {
        self.tokenizer.name()
    }

    /// The tokenizer without SimPy's tokens (counting through it counts each as one).
    pub fn tokenizer(&self) -> &Tokenizer {
        &self.tokenizer
    }

    /// The id of a special token.
    pub fn id(&self, token: Special) -> u32 {
        let index = Special::ALL
            .iter()
            .position(|t| *t == token)
            .expect("every token is in the table");
        self.first + index as u32
    }

    /// The special token an id stands for, if it stands for one.
    pub fn special(&self, id: u32) -> Option<Special> {
        let index = id.checked_sub(self.first)?;
        Special::ALL.get(index as usize).copied()
    }

    /// Every token this vocabulary adds, with its id, in the order of the ids.
    pub fn added(&self) -> impl Iterator<Item = (SimpyToken, u32)> + '_ {
        let specials = Special::ALL.iter().map(|&t| SimpyToken::Special(t));
        let idioms = (0..self.idioms).map(SimpyToken::Idiom);
        specials.chain(idioms).zip(self.first..)
    }

    /// The added token an id stands for, if it stands for one.
    pub fn added_token(&self, id: u32) -> Option<SimpyToken> {
        if let Some(token) = self.special(id) {
            return Some(SimpyToken::Special(token));
        }
        let idiom = id.checked_sub(self.first_idiom())?;
        (idiom < self.idioms).then_some(SimpyToken::Idiom(idiom))
    }

    /// The id of an added token's text (`<line_sep>`, `<@3>`), if this vocabulary has it.
    pub fn added_id(&self, text: &str) -> Option<u32> {
        if let Some(token) = Special::from_text(text) {
            return Some(self.id(token));
        }
        let idiom = simpy_ast::idiom_number(text).filter(|&n| n < self.idioms)?;
        Some(self.idiom_id(idiom))
    }

    /// The id of `<@0>`: idioms come after SimPy's tokens, which keep their ids in every dialect.
    fn first_idiom(&self) -> u32 {
        self.first + Special::ALL.len() as u32
    }

    /// The id of idiom `n`.
    pub(crate) fn idiom_id(&self, n: u32) -> u32 {
        self.first_idiom() + n
    }

    /// Every id of the vocabulary is below this.
    pub fn len(&self) -> u32 {
        self.first_idiom() + self.idioms
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The ids of SimPy text: each added token one id, the text between them as the
    /// tokenizer splits it (an idiom this vocabulary lacks is text too).
    pub fn encode(&self, text: &str) -> Vec<u32> {
        let mut ids = Vec::new();
        let mut plain_start = 0;
        for (at, len) in crate::special_tokens(text) {
            let Some(id) = self.added_id(&text[at..at + len]) else {
                continue;
            };
            ids.extend(self.tokenizer.ids(&text[plain_start..at]));
            ids.push(id);
            plain_start = at + len;
        }
        ids.extend(self.tokenizer.ids(&text[plain_start..]));
        ids
    }

    /// A decoder taking ids one at a time.
    pub fn decoder(&self) -> IdDecoder<'_> {
        IdDecoder {
            vocabulary: self,
            plain: None,
        }
    }

    /// The text of ids (all at once).
    pub fn decode(&self, ids: &[u32]) -> Result<String, TokenizerError> {
        let mut decoder = self.decoder();
        let mut bytes = Vec::new();
        for &id in ids {
            bytes.extend(decoder.push(id)?);
        }
        String::from_utf8(bytes).map_err(|e| TokenizerError::Decode(e.to_string()))
    }
}

type HfDecodeStream<'a> = tokenizers::DecodeStream<
    'a,
    tokenizers::ModelWrapper,
    tokenizers::NormalizerWrapper,
    tokenizers::PreTokenizerWrapper,
    tokenizers::PostProcessorWrapper,
    tokenizers::DecoderWrapper,
>;

/// Turns ids into bytes as they are sampled. A character split over several ids comes out
/// whole with the last of them (Hugging Face tokenizers) or byte by byte (tiktoken, whose ids
/// are bytes): a consumer of the bytes, such as `CompletionStream`, joins them.
pub struct IdDecoder<'a> {
    vocabulary: &'a SimpyVocabulary,
    /// The text since the last special token, decoded as the tokenizer decodes a whole text.
    plain: Option<HfDecodeStream<'a>>,
}

impl IdDecoder<'_> {
    /// The bytes one more id adds.
    pub fn push(&mut self, id: u32) -> Result<Vec<u8>, TokenizerError> {
        if let Some(token) = self.vocabulary.added_token(id) {
            // Text after an added token is decoded afresh, as it was encoded apart.
            self.plain = None;
            return Ok(token.text().as_bytes().to_vec());
        }
        match &self.vocabulary.tokenizer.backend {
            Backend::Tiktoken { bpe, .. } => bpe
                .decode_bytes(&[id])
                .map_err(|_| TokenizerError::UnknownId(id)),
            Backend::HuggingFace(t) => {
                if id >= self.vocabulary.first {
                    return Err(TokenizerError::UnknownId(id));
                }
                let stream = self
                    .plain
                    .get_or_insert_with(|| t.tokenizer.decode_stream(false));
                let text = stream
                    .step(id)
                    .map_err(|e| TokenizerError::Decode(e.to_string()))?;
                Ok(text.unwrap_or_default().into_bytes())
            }
        }
    }
}
