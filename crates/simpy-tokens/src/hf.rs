//! Token counts from a Hugging Face tokenizer without building an `Encoding`: the tokenizer's
//! own added-token split, normalizer and pre-tokenizer, then its model on each piece. A report
//! counts the same pieces over and over (names, indentation, punctuation), so each piece's
//! count is kept; a count is the model's, so it is the same as `encode`'s length.
//! `cargo test -p simpy-tokens --test gguf` holds it to `encode` on stdlib files (every 7th,
//! or every one with `SIMPY_GGUF_FILES=all`).

use rustc_hash::FxHashMap;
use std::sync::RwLock;
use tokenizers::{Model, OffsetReferential, OffsetType, PreTokenizer};

/// What the kept counts may hold, keys and bookkeeping. The whole stdlib holds more distinct
/// parts than that; kept once and never again, the first files' parts filled it and the report
/// ran 2x slower than forgetting them all when full (by hand, `simpy report --tokenizers
/// gpt4,gguf` over the stdlib: 115-119 s against 51-56 s, with 4 MiB 58-59 s).
const KEPT_BYTES: usize = 16 << 20;

/// A piece longer than this is not kept: long pieces seldom come back.
const LONGEST_KEPT: usize = 256;

/// Where a text may be cut so that the tokens of the parts are the tokens of the whole, by
/// what the tokenizer's normalizer and pre-tokenizer do ([`crate::gguf`] says which applies
/// to each family). Cutting lets a part's count be kept and found again before the
/// tokenizer's pre-tokenizer, which is most of the time, runs at all.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Cuts {
    /// Nowhere known: the pieces the pre-tokenizer makes are kept.
    Unknown,
    /// Before and after each `\r` and `\n`, and before other whitespace after an ASCII letter
    /// or punctuation mark (`\p{P}`): deepseek-coder's pre-tokenizer, which isolates line
    /// breaks first, then runs of letters and of punctuation, each with one whitespace before
    /// it; such a run ends before the whitespace, and the next starts with it or after it. (A
    /// gap between runs holds whitespace after other characters: `+ =` is one piece.)
    AroundLineBreaksBeforeSpacesAfterWords,
    /// Before whitespace that follows another character: a pre-tokenizer none of whose pieces
    /// holds other characters followed by whitespace (GPT-2's pattern).
    BeforeWhitespace,
    /// Before a space or tab that follows another character: as above, but punctuation may
    /// take the line breaks after it (Qwen2's pattern); NFC never joins a character with a
    /// space or tab after it.
    BeforeSpacesAndTabs,
    /// SentencePiece without a pre-tokenizer: the normalized text (spaces as `▁`) cut before
    /// each `▁` that follows another character, which is safe when no token of the vocabulary
    /// holds a `▁` after another character (checked when the counter is made): then no merge
    /// joins across such a cut.
    SentencePieceSpaces,
}

pub(crate) struct Counter {
    pub(crate) tokenizer: tokenizers::Tokenizer,
    cuts: Cuts,
    kept: RwLock<Kept>,
}

#[derive(Default)]
struct Kept {
    counts: FxHashMap<Box<str>, u32>,
    bytes: usize,
}

impl Kept {
    fn keep(&mut self, text: &str, count: u32, budget: usize) {
        // The key, and about what a map entry costs besides.
        let cost = text.len() + 32;
        if self.bytes + cost > budget {
            // Full: start again from what the texts now being counted hold (files of one
            // directory share their names), rather than keep the first ones' forever.
            self.counts.clear();
            self.bytes = 0;
        }
        self.bytes += cost;
        self.counts.insert(text.into(), count);
    }
}

const SPACE: char = '▁';

/// The ASCII characters of Unicode's punctuation (`\p{P}`); `$`, `+`, `<`, `=`, `>`, `^`,
/// `` ` ``, `|` and `~` are symbols.
const ASCII_PUNCTUATION: &str = "!\"#%&'()*,-./:;?@[\\]_{}";

impl Counter {
    /// A counter that cuts texts as `cuts` says where it is safe for this vocabulary; where
    /// it is not, it cuts nowhere.
    pub(crate) fn new(tokenizer: tokenizers::Tokenizer, cuts: Cuts) -> Counter {
        let safe = match cuts {
            Cuts::Unknown => true,
            Cuts::SentencePieceSpaces => tokenizer
                .get_vocab(true)
                .keys()
                .all(|token| cut(token, space_after_other).nth(1).is_none()),
            // The cuts are made before added tokens are matched, so none may span one.
            _ => tokenizer
                .get_added_tokens_decoder()
                .values()
                .all(|t| !t.content.contains(char::is_whitespace)),
        };
        Counter {
            tokenizer,
            cuts: if safe { cuts } else { Cuts::Unknown },
            kept: RwLock::new(Kept::default()),
        }
    }

    /// Tokens of `text`, as `encode` without special tokens would give them.
    pub(crate) fn count(&self, text: &str) -> usize {
        let is_cut: fn(Option<char>, char) -> bool = match self.cuts {
            Cuts::Unknown | Cuts::SentencePieceSpaces => return self.count_pieces(text),
            Cuts::AroundLineBreaksBeforeSpacesAfterWords => |before, c| {
                let line_break = |c| matches!(c, '\r' | '\n');
                line_break(c)
                    || before.is_some_and(line_break)
                    || (c.is_whitespace()
                        && before.is_some_and(|b| {
                            b.is_ascii_alphabetic() || ASCII_PUNCTUATION.contains(b)
                        }))
            },
            Cuts::BeforeWhitespace => {
                |before, c| c.is_whitespace() && before.is_some_and(|b| !b.is_whitespace())
            }
            Cuts::BeforeSpacesAndTabs => {
                |before, c| matches!(c, ' ' | '\t') && before.is_some_and(|b| !b.is_whitespace())
            }
        };
        cut(text, is_cut)
            .map(|part| self.kept_count(part, |part| self.count_pieces(part)))
            .sum()
    }

    /// Tokens of `text` through the tokenizer's own added-token split, normalizer and
    /// pre-tokenizer, each piece counted by the model (and kept, where no cut comes first).
    fn count_pieces(&self, text: &str) -> usize {
        let t = &self.tokenizer;
        let mut pieces = t
            .get_added_vocabulary()
            .extract_and_normalize(t.get_normalizer(), text);
        if let Some(pre) = t.get_pre_tokenizer() {
            if pre.pre_tokenize(&mut pieces).is_err() {
                return self.count_by_encoding(text);
            }
        }
        let model = |piece: &str| {
            t.get_model()
                .tokenize(piece)
                .map_or(0, |tokens| tokens.len())
        };
        let mut total = 0;
        for (piece, _, tokens) in pieces.get_splits(OffsetReferential::Normalized, OffsetType::None)
        {
            total += match (tokens, self.cuts) {
                (Some(added), _) => added.len(),
                (None, Cuts::Unknown) => self.kept_count(piece, model),
                (None, Cuts::SentencePieceSpaces) => cut(piece, space_after_other)
                    .map(|part| self.kept_count(part, model))
                    .sum(),
                (None, _) => model(piece),
            };
        }
        total
    }

    /// `count(text)`, kept for the next time `text` comes.
    fn kept_count(&self, text: &str, count: impl Fn(&str) -> usize) -> usize {
        if let Some(&n) = self.kept.read().expect("not poisoned").counts.get(text) {
            return n as usize;
        }
        let n = count(text);
        if text.len() <= LONGEST_KEPT {
            let mut kept = self.kept.write().expect("not poisoned");
            kept.keep(text, n as u32, KEPT_BYTES);
        }
        n
    }

    /// What `count` stands for, the long way (a pre-tokenizer that fails gives no tokens there
    /// either).
    fn count_by_encoding(&self, text: &str) -> usize {
        self.tokenizer
            .encode_fast(text, false)
            .map_or(0, |e| e.len())
    }
}

/// Whether `c` is a SentencePiece space (`▁`) after another character: where a SentencePiece
/// text is cut, and what no token of its vocabulary may hold for the cut to be safe.
fn space_after_other(before: Option<char>, c: char) -> bool {
    c == SPACE && before.is_some_and(|b| b != SPACE)
}

/// `text` cut before each character `c` for which `is_cut(character before, c)` holds.
fn cut(text: &str, is_cut: impl Fn(Option<char>, char) -> bool) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let mut before = None;
        let at = rest
            .char_indices()
            .find(|&(at, c)| {
                let here = at > 0 && is_cut(before, c);
                before = Some(c);
                here
            })
            .map_or(rest.len(), |(at, _)| at);
        let (part, tail) = rest.split_at(at);
        rest = tail;
        Some(part)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_is_cut_before_each_character_the_rule_names() {
        let parts: Vec<_> = cut("▁def▁▁f(x):\n▁▁▁▁return▁x▁", space_after_other).collect();
        assert_eq!(parts, ["▁def", "▁▁f(x):\n", "▁▁▁▁return", "▁x", "▁"]);
        assert_eq!(cut("", space_after_other).count(), 0);
        assert_eq!(cut("ab", space_after_other).collect::<Vec<_>>(), ["ab"]);
        let lines: Vec<_> = cut("a\r\n\nb", |b, c| c == '\n' || b == Some('\n')).collect();
        assert_eq!(lines, ["a\r", "\n", "\n", "b"]);
    }

    #[test]
    fn kept_counts_start_again_when_full() {
        let mut kept = Kept::default();
        kept.keep("a", 1, 100);
        kept.keep("bb", 2, 100);
        assert_eq!(kept.counts.len(), 2);
        kept.keep("ccc", 3, 100);
        assert_eq!(kept.counts.len(), 1);
        assert_eq!(kept.counts.get("ccc"), Some(&3));
        assert_eq!(kept.bytes, 35);
    }

    #[test]
    fn only_a_space_after_another_character_forbids_the_cuts() {
        let holds_a_cut = |token| cut(token, space_after_other).nth(1).is_some();
        assert!(!holds_a_cut("▁▁▁"));
        assert!(!holds_a_cut("▁the"));
        assert!(holds_a_cut("e▁"));
        assert!(holds_a_cut("▁a▁b"));
    }
}
