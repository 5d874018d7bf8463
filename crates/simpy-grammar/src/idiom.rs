//! Idioms: runs of a dialect's code written as one token, `<@N>`, learnt from a corpus
//! (`mine`) so that a tokenizer given them as added tokens counts fewer tokens.
//!
//! An idiom joins two units, each a lexeme's text or an earlier idiom, so applying idioms is
//! BPE: in each segment the pair with the earliest idiom is joined, until no pair is an idiom.
//! A segment is a run of code between literals (strings and numbers longer than
//! [`SHORT_LITERAL`] bytes, f-strings, comments and what follows a comment), cut before each
//! layout token; so an idiom holds no long literal, and a prompt's segments all end where the
//! whole file's do, but the last. `expand` writes
//! each idiom as the text it replaced, so `expand(apply(s)) == s`, and `apply` is a function
//! of `s`, so re-encoding is byte-identical.

use crate::dialect::Spelling;
use crate::error::{SimpyError, SimpyErrorKind};
use crate::lexer::{scan_spelled, Lexeme, Spanned, TextLayout};
use crate::token::{Special, Tok};
use simpy_ast::{idiom_number, idiom_token, TextRange};
use std::collections::HashMap;
use std::ops::Range;

/// One side of an idiom: a lexeme's text, or an earlier idiom.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Piece {
    Text(String),
    Idiom(u32),
}

impl Piece {
    /// `<@N>` is idiom `N`; anything else is a lexeme's text.
    pub fn parse(text: &str) -> Piece {
        idiom_number(text).map_or_else(|| Piece::Text(text.to_owned()), Piece::Idiom)
    }

    /// How a dialect file writes it.
    pub fn spelling(&self) -> String {
        match self {
            Piece::Text(text) => text.clone(),
            Piece::Idiom(n) => idiom_token(*n),
        }
    }
}

/// A dialect's idioms, in the order they were learnt (which is the order they apply in).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Idioms {
    pairs: Vec<[Piece; 2]>,
    /// What each idiom stands for.
    texts: Vec<String>,
    /// Unit ids: a lexeme text's from `plain`, idiom `k`'s is `plain.len() + k`.
    plain: HashMap<String, u32>,
    joins: HashMap<(u32, u32), u32>,
}

/// A unit that is no idiom's side.
const OTHER: u32 = u32::MAX;

impl Idioms {
    /// Idioms from their pairs; an idiom may only use earlier ones.
    pub fn new(pairs: Vec<[Piece; 2]>) -> Result<Idioms, String> {
        let mut idioms = Idioms::default();
        for (k, pair) in pairs.iter().enumerate() {
            for piece in pair {
                match piece {
                    Piece::Idiom(n) if *n as usize >= k => {
                        return Err(format!(
                            "idiom {k} uses {}, which is not an earlier idiom",
                            idiom_token(*n)
                        ))
                    }
                    Piece::Text(t) if t.is_empty() => {
                        return Err(format!("idiom {k} has an empty side"))
                    }
                    Piece::Text(t) => {
                        let next = idioms.plain.len() as u32;
                        idioms.plain.entry(t.clone()).or_insert(next);
                    }
                    Piece::Idiom(_) => {}
                }
            }
        }
        for (k, [a, b]) in pairs.iter().enumerate() {
            let (ia, ib) = (idioms.id(a), idioms.id(b));
            idioms.joins.entry((ia, ib)).or_insert(k as u32);
            let text = idioms.piece_text(a) + &idioms.piece_text(b);
            idioms.texts.push(text);
        }
        idioms.pairs = pairs;
        Ok(idioms)
    }

    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    pub fn pairs(&self) -> &[[Piece; 2]] {
        &self.pairs
    }

    /// The first `n` idioms (a dialect learnt with fewer).
    pub fn first(&self, n: usize) -> Idioms {
        Idioms::new(self.pairs[..n.min(self.len())].to_vec())
            .expect("a prefix of valid idioms is valid")
    }

    /// What idiom `k` stands for.
    pub fn text(&self, k: usize) -> &str {
        &self.texts[k]
    }

    /// What each idiom stands for, in order.
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    fn id(&self, piece: &Piece) -> u32 {
        match piece {
            Piece::Text(t) => self.plain[t],
            Piece::Idiom(n) => self.plain.len() as u32 + n,
        }
    }

    fn piece_text(&self, piece: &Piece) -> String {
        match piece {
            Piece::Text(t) => t.clone(),
            Piece::Idiom(n) => self.texts[*n as usize].clone(),
        }
    }

    /// A dialect's text (as `respell` writes it) with its idioms. `open_ended` for a prompt:
    /// the last segment, which what follows may extend, is left as it is.
    pub fn apply(
        &self,
        text: &str,
        spelling: Spelling,
        open_ended: bool,
    ) -> Result<String, SimpyError> {
        if self.is_empty() {
            return Ok(text.to_owned());
        }
        let lexemes = scan_spelled(text, spelling.text_layout())?;
        let mut out = String::with_capacity(text.len());
        let mut copied = 0;
        for segment in segments(&lexemes) {
            if open_ended && segment.end == lexemes.len() {
                break;
            }
            let mut units: Vec<(u32, u32, u32)> = lexemes[segment]
                .iter()
                .map(|l| {
                    let unit = &text[l.start as usize..l.end as usize];
                    (*self.plain.get(unit).unwrap_or(&OTHER), l.start, l.end)
                })
                .collect();
            self.join(&mut units);
            let base = self.plain.len() as u32;
            for &(id, start, end) in units.iter().filter(|u| u.0 != OTHER && u.0 >= base) {
                out.push_str(&text[copied..start as usize]);
                out.push_str(&idiom_token(id - base));
                copied = end as usize;
            }
        }
        out.push_str(&text[copied..]);
        Ok(out)
    }

    /// Joins the pair with the earliest idiom, everywhere from the left, until none is left.
    fn join(&self, units: &mut Vec<(u32, u32, u32)>) {
        let base = self.plain.len() as u32;
        while let Some(k) = units
            .windows(2)
            .filter_map(|w| self.joins.get(&(w[0].0, w[1].0)))
            .min()
            .copied()
        {
            let [a, b] = &self.pairs[k as usize];
            let (a, b) = (self.id(a), self.id(b));
            join_pair(units, (a, b), base + k, |x, y| (x.1, y.2));
        }
    }

    /// A dialect's text with its idioms written out, and where each came from.
    pub fn expand(&self, text: &str, spelling: Spelling) -> Result<Expanded, SimpyError> {
        if self.texts.is_empty() && !text.contains("<@") {
            // Nothing to write out, and no idiom token to refuse: no need to scan.
            return Ok(Expanded {
                text: text.to_owned(),
                idioms: Vec::new(),
            });
        }
        let layout = TextLayout {
            idioms: true,
            ..spelling.text_layout()
        };
        let mut expanded = Expanded {
            text: String::with_capacity(text.len() * 2),
            idioms: Vec::new(),
        };
        let mut copied = 0;
        for l in scan_spelled(text, layout)? {
            let Lexeme::Idiom(n) = l.tok else { continue };
            let given = TextRange::new(l.start, l.end);
            let Some(idiom) = self.texts.get(n as usize) else {
                return Err(SimpyError::new(
                    SimpyErrorKind::UnknownIdiom(n, self.len()),
                    given,
                ));
            };
            expanded.text.push_str(&text[copied..l.start as usize]);
            let start = expanded.text.len() as u32;
            expanded.text.push_str(idiom);
            expanded
                .idioms
                .push((start, expanded.text.len() as u32, given));
            copied = l.end as usize;
        }
        expanded.text.push_str(&text[copied..]);
        Ok(expanded)
    }
}

/// Joins each `pair` of ids in `units`, from the left, into `joined`.
fn join_pair<T: Copy>(
    units: &mut Vec<(u32, T, T)>,
    pair: (u32, u32),
    joined: u32,
    span: impl Fn(&(u32, T, T), &(u32, T, T)) -> (T, T),
) {
    let mut out = Vec::with_capacity(units.len());
    let mut i = 0;
    while i < units.len() {
        if i + 1 < units.len() && (units[i].0, units[i + 1].0) == pair {
            let (start, end) = span(&units[i], &units[i + 1]);
            out.push((joined, start, end));
            i += 2;
        } else {
            out.push(units[i]);
            i += 1;
        }
    }
    *units = out;
}

/// A dialect's text with its idioms written out.
#[derive(Clone, Debug)]
pub struct Expanded {
    pub text: String,
    /// Each idiom written: its range in `text`, and the token's range in the text given.
    idioms: Vec<(u32, u32, TextRange)>,
}

impl Expanded {
    /// An offset of `text` as one of the text given; `None` inside an idiom's text.
    pub fn source_offset(&self, offset: u32) -> Option<u32> {
        let i = self.idioms.partition_point(|&(start, ..)| start < offset);
        match i.checked_sub(1).map(|i| self.idioms[i]) {
            Some((_, stop, _)) if offset < stop => None,
            Some((_, stop, given)) => Some(given.end + (offset - stop)),
            None => Some(offset),
        }
    }

    /// A range of `text` as a range of the text given: a part of an idiom is the whole token.
    pub fn source_range(&self, range: TextRange) -> TextRange {
        let at = |offset: u32, end: bool| {
            let i = self.idioms.partition_point(|&(start, ..)| start <= offset);
            match i.checked_sub(1).map(|i| self.idioms[i]) {
                None => offset,
                Some((start, stop, given)) if offset < stop || (end && offset == stop) => {
                    if end && offset > start {
                        given.end
                    } else {
                        given.start
                    }
                }
                Some((_, stop, given)) => given.end + (offset - stop),
            }
        };
        let start = at(range.start, false);
        TextRange::new(start, at(range.end, true).max(start))
    }
}

/// A string or number of at most this many bytes (`0`, `''`, `'utf-8'`, `1024`) is a unit
/// like a name: `[0]` or `=''` may be an idiom. Measured (cl100k, stdlib, 500 idioms): the
/// held-out split −17.1% with every literal a segment's edge, −17.5% with literals up to 3
/// bytes as units, −17.6% up to 8, 16 or 40; longer literals are rarely repeated.
pub const SHORT_LITERAL: u32 = 8;

/// The runs of lexemes an idiom may join (see the module's comment).
fn segments(lexemes: &[Spanned]) -> Vec<Range<usize>> {
    let mut segments = Vec::new();
    let mut start = None;
    let mut fstrings = 0u32;
    let mut after_comment = false;
    for (i, l) in lexemes.iter().enumerate() {
        let literal = match l.tok {
            Lexeme::Tok(Tok::FStart(_)) => {
                fstrings += 1;
                true
            }
            Lexeme::Tok(Tok::FEnd) => {
                fstrings -= 1;
                true
            }
            Lexeme::Tok(Tok::Str(_) | Tok::Number(_)) if l.end - l.start > SHORT_LITERAL => true,
            Lexeme::Comment(_) | Lexeme::Idiom(_) => true,
            // A short literal is a unit like a name; in an f-string's field it is the
            // f-string's text, and after a comment it holds the comment's line break.
            _ => fstrings > 0 || after_comment,
        };
        after_comment = matches!(l.tok, Lexeme::Comment(_));
        let layout = matches!(
            l.tok,
            Lexeme::Tok(Tok::Special(
                Special::LineSep | Special::BlockStart | Special::BlockEnd
            ))
        );
        if literal || layout {
            if let Some(s) = start.take() {
                segments.push(s..i);
            }
        }
        if !literal && start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        segments.push(s..lexemes.len());
    }
    segments
}

/// Learns up to `max` idioms from dialect texts (as `respell` writes them): each time, the
/// pair of units whose joining saves the most tokens, as `cost` counts a text's tokens, over
/// all its uses; a pair seen fewer than `min_uses` times is never joined.
///
/// A pair's saving is first guessed from its two texts alone, then counted exactly before it is
/// taken: `cost` of each segment it is in, with the text on either side of the segment, before
/// and after the joining (lazy greedy: a count stays a pair's guess until others overtake it).
/// The guess alone is far off: an idiom is a token the tokenizer never merges with its
/// neighbours, so one that starts with a line break costs the `)\n` that break merged into.
pub fn mine<'t>(
    texts: impl IntoIterator<Item = &'t str>,
    spelling: Spelling,
    kinds: IdiomKinds,
    max: usize,
    min_uses: u64,
    cost: impl Fn(&str) -> usize,
) -> Result<Idioms, SimpyError> {
    let mut miner = Miner::default();
    for text in texts {
        let lexemes = scan_spelled(text, spelling.text_layout())?;
        let lexeme_text = |l: &Spanned| &text[l.start as usize..l.end as usize];
        let mut words = segments(&lexemes);
        if kinds == IdiomKinds::TextOnly {
            // A SimPy token is then a segment's edge, as a long literal is.
            let is_token = |i: usize| Special::from_text(lexeme_text(&lexemes[i])).is_some();
            words = words
                .into_iter()
                .flat_map(|s| split_at(s, is_token))
                .collect();
        }
        for segment in words {
            let word: Vec<u32> = lexemes[segment.clone()]
                .iter()
                .map(|l| miner.intern(lexeme_text(l)))
                .collect();
            if word.len() > 1 {
                let before = segment.start.checked_sub(1).map(|i| &lexemes[i]);
                let after = lexemes.get(segment.end);
                let side = [
                    before.map_or(NO_SIDE, |l| miner.side(lexeme_text(l), Side::Left)),
                    after.map_or(NO_SIDE, |l| miner.side(lexeme_text(l), Side::Right)),
                ];
                *miner.counts.entry((word, side)).or_default() += 1;
            }
        }
    }
    miner.count_pairs(&cost);
    let mut pairs = Vec::new();
    while pairs.len() < max {
        let Some(pair) = miner.best(min_uses, pairs.len() as u32, &cost) else {
            break;
        };
        let piece = |id: u32| match miner.idiom_of[id as usize] {
            Some(k) => Piece::Idiom(k),
            None => Piece::Text(miner.texts[id as usize].clone()),
        };
        pairs.push([piece(pair.0), piece(pair.1)]);
        miner.join(pair, pairs.len() as u32 - 1, &cost);
    }
    Idioms::new(pairs).map_err(|e| unreachable!("mined idioms are valid: {e}"))
}

/// Which idioms [`mine`] may learn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdiomKinds {
    /// Any run of units.
    All,
    /// Only runs whose text holds no SimPy token as the dialect spells it (`<return>`; a line
    /// break spelling `<line_sep>` is text): a tokenizer can add these as their text, which a
    /// grammar of the dialect's spellings then holds (`simpy tokenizer export --spell-out-idioms`).
    TextOnly,
}

/// The runs of `range` between the indices where `edge` holds, those left out.
fn split_at(range: Range<usize>, edge: impl Fn(usize) -> bool) -> Vec<Range<usize>> {
    let mut runs = Vec::new();
    let mut start = range.start;
    for i in range.clone() {
        if edge(i) {
            runs.push(start..i);
            start = i + 1;
        }
    }
    runs.push(start..range.end);
    runs.retain(|r| !r.is_empty());
    runs
}

fn has_pair(units: &[u32], pair: (u32, u32)) -> bool {
    units.windows(2).any(|p| (p[0], p[1]) == pair)
}

/// A segment with nothing before or after it (the start or end of a file).
const NO_SIDE: u32 = u32::MAX;

#[derive(Clone, Copy)]
enum Side {
    Left,
    Right,
}

/// A segment as units, with the texts just outside it (`NO_SIDE`: none that a tokenizer could
/// merge with).
type Word = (Vec<u32>, [u32; 2]);

#[derive(Default)]
struct Miner {
    /// Each unit's text (an idiom's written out), and which idiom it is.
    texts: Vec<String>,
    idiom_of: Vec<Option<u32>>,
    ids: HashMap<String, u32>,
    /// Segments as units, and how often each is seen.
    counts: HashMap<Word, u64>,
    words: Vec<(Word, u64)>,
    /// Each word's tokens, once counted (forgotten when the word changes).
    word_cost: Vec<Option<u64>>,
    pairs: HashMap<(u32, u32), PairStats>,
    /// The words a pair may be in (some no longer are).
    in_words: HashMap<(u32, u32), Vec<u32>>,
}

struct PairStats {
    uses: u64,
    /// Tokens one joining saves, guessed from the pair's two texts alone.
    gain: u64,
    /// Tokens all its joinings save, counted in the words (may be negative), and when: the
    /// number of idioms taken by then.
    counted: Option<(i64, u32)>,
}

impl PairStats {
    fn score(&self) -> i64 {
        self.counted
            .map_or((self.uses * self.gain) as i64, |(saved, _)| saved)
    }
}

impl Miner {
    fn intern(&mut self, text: &str) -> u32 {
        if let Some(&id) = self.ids.get(text) {
            return id;
        }
        let id = self.texts.len() as u32;
        self.texts.push(text.to_owned());
        self.idiom_of.push(None);
        self.ids.insert(text.to_owned(), id);
        id
    }

    /// The part of a lexeme beside a segment that a tokenizer may merge across the edge: its
    /// last (or first) character; nothing for a special token, which never merges.
    fn side(&mut self, text: &str, side: Side) -> u32 {
        if Special::from_text(text).is_some() {
            return NO_SIDE;
        }
        let edge = match side {
            Side::Left => text.chars().next_back(),
            Side::Right => text.chars().next(),
        };
        edge.map_or(NO_SIDE, |c| self.intern(c.encode_utf8(&mut [0; 4])))
    }

    /// The text a tokenizer sees for a word: idioms as their tokens, the sides around it.
    /// `next` is the number of the idiom `OTHER` stands for (one being weighed).
    fn render(&self, (units, side): &Word, next: u32) -> String {
        let mut text = String::new();
        let plain = |id: u32, text: &mut String| {
            if id != NO_SIDE {
                text.push_str(&self.texts[id as usize]);
            }
        };
        plain(side[0], &mut text);
        for &u in units {
            match self.idiom_of.get(u as usize) {
                Some(Some(k)) => text.push_str(&idiom_token(*k)),
                Some(None) => plain(u, &mut text),
                None => text.push_str(&idiom_token(next)),
            }
        }
        plain(side[1], &mut text);
        text
    }

    /// The pair to join next: the best by its counted saving, counted since the last joining.
    fn best(
        &mut self,
        min_uses: u64,
        round: u32,
        cost: &impl Fn(&str) -> usize,
    ) -> Option<(u32, u32)> {
        loop {
            let (&pair, stats) = self
                .pairs
                .iter()
                .filter(|(_, s)| s.uses >= min_uses && s.score() > 0)
                .max_by_key(|&(&(a, b), s)| (s.score(), std::cmp::Reverse((a, b))))?;
            if stats.counted.is_some_and(|(_, when)| when == round) {
                return Some(pair);
            }
            let saved = self.saving(pair, round, cost);
            self.pairs
                .get_mut(&pair)
                .expect("a pair just found")
                .counted = Some((saved, round));
        }
    }

    /// Tokens joining `pair` saves over all the words it is in.
    fn saving(&mut self, pair: (u32, u32), next: u32, cost: &impl Fn(&str) -> usize) -> i64 {
        let mut words = self.in_words.get(&pair).cloned().unwrap_or_default();
        words.sort_unstable();
        words.dedup();
        let mut saved = 0;
        for w in words {
            let w = w as usize;
            if !has_pair(&self.words[w].0 .0, pair) {
                continue;
            }
            let before = match self.word_cost[w] {
                Some(c) => c,
                None => {
                    let c = cost(&self.render(&self.words[w].0, next)) as u64;
                    self.word_cost[w] = Some(c);
                    c
                }
            };
            let ((units, side), uses) = &self.words[w];
            let joined = (Self::joined(units, pair, OTHER), *side);
            // `OTHER` stands for the idiom to be: a token, like any idiom.
            let after = cost(&self.render(&joined, next)) as u64;
            saved += (before as i64 - after as i64) * *uses as i64;
        }
        saved
    }

    fn joined(units: &[u32], pair: (u32, u32), joined: u32) -> Vec<u32> {
        let mut out: Vec<(u32, (), ())> = units.iter().map(|&u| (u, (), ())).collect();
        join_pair(&mut out, pair, joined, |_, _| ((), ()));
        out.into_iter().map(|u| u.0).collect()
    }

    fn count_pairs(&mut self, cost: &impl Fn(&str) -> usize) {
        let mut words: Vec<_> = std::mem::take(&mut self.counts).into_iter().collect();
        words.sort_unstable();
        self.words = words;
        self.word_cost = vec![None; self.words.len()];
        for w in 0..self.words.len() {
            self.add_pairs(w, None, cost);
        }
    }

    /// Counts the pairs of word `w` (only those with `only` in them, if given).
    fn add_pairs(&mut self, w: usize, only: Option<u32>, cost: &impl Fn(&str) -> usize) {
        let ((word, _), uses) = self.words[w].clone();
        for pair in word.windows(2).map(|p| (p[0], p[1])) {
            self.count(pair, uses as i64, cost);
            if only.is_none_or(|o| pair.0 == o || pair.1 == o) {
                self.in_words.entry(pair).or_default().push(w as u32);
            }
        }
    }

    fn count(&mut self, pair: (u32, u32), uses: i64, cost: &impl Fn(&str) -> usize) {
        let (texts, idiom_of) = (&self.texts, &self.idiom_of);
        let stats = self.pairs.entry(pair).or_insert_with(|| {
            // Tokens the two take side by side: an idiom is one, plain text is counted together.
            let (a, b) = (pair.0 as usize, pair.1 as usize);
            let apart = match (idiom_of[a].is_some(), idiom_of[b].is_some()) {
                (false, false) => cost(&format!("{}{}", texts[a], texts[b])),
                (true, false) => 1 + cost(&texts[b]),
                (false, true) => cost(&texts[a]) + 1,
                (true, true) => 2,
            };
            PairStats {
                uses: 0,
                gain: apart.saturating_sub(1) as u64,
                counted: None,
            }
        });
        stats.uses = stats.uses.saturating_add_signed(uses);
        if stats.uses == 0 {
            self.pairs.remove(&pair);
        }
    }

    /// Makes `pair` idiom `k` in every word that has it.
    fn join(&mut self, pair: (u32, u32), k: u32, cost: &impl Fn(&str) -> usize) {
        let joined = self.texts.len() as u32;
        let text = format!(
            "{}{}",
            self.texts[pair.0 as usize], self.texts[pair.1 as usize]
        );
        self.texts.push(text);
        self.idiom_of.push(Some(k));
        let mut words = self.in_words.remove(&pair).unwrap_or_default();
        words.sort_unstable();
        words.dedup();
        for w in words {
            let w = w as usize;
            let ((word, _), uses) = self.words[w].clone();
            if !has_pair(&word, pair) {
                continue;
            }
            let uses = uses as i64;
            for old in word.windows(2) {
                self.count((old[0], old[1]), -uses, cost);
            }
            self.words[w].0 .0 = Self::joined(&word, pair, joined);
            self.word_cost[w] = None;
            self.add_pairs(w, Some(joined), cost);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dialect::respell;

    fn compact() -> Spelling {
        Spelling {
            line_sep_as_newline: true,
            block_end_as_blank_line: true,
            block_start_as_colon: true,
            ..Spelling::default()
        }
    }

    fn idioms(pairs: &[[&str; 2]]) -> Idioms {
        Idioms::new(pairs.iter().map(|p| p.map(Piece::parse)).collect()).unwrap()
    }

    #[test]
    fn idioms_apply_outside_literals_and_expand_back() {
        let idioms = idioms(&[["self", "."], ["<@0>", "x"], ["<line_sep>", "<@1>"]]);
        let text = "<def_stmt>f self<block_start>'self.x'<line_sep>self.x=1<line_sep>self.y=f'{self.x}'# self.x\nself.x";
        let applied = idioms.apply(text, Spelling::default(), false).unwrap();
        assert_eq!(
            applied,
            "<def_stmt>f self<block_start>'self.x'<@2>=1<line_sep><@0>y=f'{self.x}'# self.x\nself.x"
        );
        let expanded = idioms.expand(&applied, Spelling::default()).unwrap();
        assert_eq!(expanded.text, text);
        // An error in the written-out text points at the idiom token it came from.
        let at = text.find("<line_sep>self.x=").unwrap() as u32 + 12;
        let given = applied.find("<@2>").unwrap() as u32;
        assert_eq!(
            expanded.source_range(TextRange::new(at, at + 1)),
            TextRange::new(given, given + 4)
        );
        let after = text.find("=1").unwrap() as u32;
        let given_after = applied.find("=1").unwrap() as u32;
        assert_eq!(
            expanded.source_range(TextRange::new(after, after + 2)),
            TextRange::new(given_after, given_after + 2)
        );
    }

    /// Up to 10 idioms seen twice, from canonical SimPy, each lexeme costing one token.
    fn mine_by_lexemes(texts: &[&str], kinds: IdiomKinds) -> Idioms {
        mine(
            texts.iter().copied(),
            Spelling::default(),
            kinds,
            10,
            2,
            lexeme_count,
        )
        .unwrap()
    }

    /// A cost under which every lexeme is one token, an idiom too.
    fn lexeme_count(text: &str) -> usize {
        let layout = TextLayout {
            idioms: true,
            ..TextLayout::default()
        };
        scan_spelled(text, layout).map_or(99, |l| l.len())
    }

    #[test]
    fn text_only_mining_learns_no_idiom_that_holds_a_simpy_token() {
        let texts = ["<return>x<line_sep><return>x<line_sep>y.z(w)<line_sep>y.z(w)"; 4];
        let holds_token = |idioms: &Idioms| {
            (0..idioms.len())
                .filter(|&k| {
                    Special::ALL
                        .iter()
                        .any(|s| idioms.text(k).contains(s.text()))
                })
                .count()
        };
        let all = mine_by_lexemes(&texts, IdiomKinds::All);
        assert!(holds_token(&all) > 0, "{:?}", all.pairs());
        let text_only = mine_by_lexemes(&texts, IdiomKinds::TextOnly);
        assert_eq!(holds_token(&text_only), 0, "{:?}", text_only.pairs());
        assert!(
            (0..text_only.len()).any(|k| text_only.text(k) == "y.z(w)"),
            "{:?}",
            text_only.pairs()
        );
    }

    #[test]
    fn short_literals_join_like_names_and_long_ones_end_a_segment() {
        let idioms = idioms(&[
            ["[", "0"],
            ["<@0>", "]"],
            ["x", "<@1>"],
            ["=", "''"],
            ["[", "123456789"],
        ]);
        let text = "y=x[0]<line_sep>y=''<line_sep>y=x[123456789]<line_sep>y=f'{x[0]}'";
        let applied = idioms.apply(text, Spelling::default(), false).unwrap();
        // `123456789` is nine bytes, a segment's edge: a dialect file's idiom that holds it
        // never applies. In an f-string's field `x[0]` is the f-string's own text.
        assert_eq!(
            applied,
            "y=<@2><line_sep>y<@3><line_sep>y=x[123456789]<line_sep>y=f'{x[0]}'"
        );
        assert_eq!(
            idioms.expand(&applied, Spelling::default()).unwrap().text,
            text
        );
        // Mined from text, a short literal is joined where it repeats; a long one never.
        let texts = ["a[0]<line_sep>b[0]<line_sep>c['a long string'](d)"; 4];
        let mined = mine_by_lexemes(&texts, IdiomKinds::All);
        let learnt: Vec<&str> = (0..mined.len()).map(|k| mined.text(k)).collect();
        assert!(learnt.contains(&"[0]"), "{learnt:?}");
        assert!(learnt.iter().all(|t| !t.contains("long")), "{learnt:?}");
    }

    #[test]
    fn a_prompt_leaves_its_last_segment_as_it_is() {
        let idioms = idioms(&[["self", "."]]);
        let text = "<return>self.x<line_sep>self.";
        assert_eq!(
            idioms.apply(text, Spelling::default(), true).unwrap(),
            "<return><@0>x<line_sep>self."
        );
        assert_eq!(
            idioms.apply(text, Spelling::default(), false).unwrap(),
            "<return><@0>x<line_sep><@0>"
        );
    }

    #[test]
    fn text_layout_tokens_join_and_read_back() {
        let spelling = compact();
        let idioms = idioms(&[["\n", "<return>"], [":\n", "<return>"]]);
        let canonical = "<if>x<block_start><return>1<block_end><return>2<line_sep><return>3";
        let spelt = respell(canonical, spelling).unwrap();
        let applied = idioms.apply(&spelt, spelling, false).unwrap();
        assert_eq!(applied, "<if>x<@1>1\n\n<return>2<@0>3");
        assert_eq!(idioms.expand(&applied, spelling).unwrap().text, spelt);
    }

    #[test]
    fn a_comment_keeps_its_line_break() {
        let idioms = idioms(&[["\n", "x"]]);
        let text = "x=1# c\nx=2\nx=3";
        let applied = idioms.apply(text, compact(), false).unwrap();
        assert_eq!(applied, "x=1# c\nx=2<@0>=3");
        assert_eq!(idioms.expand(&applied, compact()).unwrap().text, text);
    }

    #[test]
    fn unknown_idioms_are_located_errors() {
        let idioms = idioms(&[["self", "."]]);
        let e = idioms
            .expand("x=<@0>y+<@7>", Spelling::default())
            .unwrap_err();
        assert_eq!(e.kind, SimpyErrorKind::UnknownIdiom(7, 1));
        assert_eq!(e.range, TextRange::new(8, 12));
        assert!(Idioms::new(vec![[Piece::Idiom(0), Piece::parse("x")]]).is_err());
        // In a string, `<@7>` is text.
        let expanded = idioms.expand("x='<@7>'", Spelling::default()).unwrap();
        assert_eq!(expanded.text, "x='<@7>'");
    }

    #[test]
    fn mining_joins_what_saves_most_and_never_a_long_literal() {
        let texts = ["self.assertEqual(a b)<line_sep>self.assertEqual(c 'self.assertEqual')"; 3];
        let idioms = mine_by_lexemes(&texts, IdiomKinds::All);
        assert!(!idioms.is_empty());
        for k in 0..idioms.len() {
            assert!(!idioms.text(k).contains('\''), "{}", idioms.text(k));
        }
        assert!((0..idioms.len()).any(|k| idioms.text(k).starts_with("self.assertEqual(")));
        let applied = idioms.apply(texts[0], Spelling::default(), false).unwrap();
        assert!(applied.len() < texts[0].len());
        assert_eq!(
            idioms.expand(&applied, Spelling::default()).unwrap().text,
            texts[0]
        );
    }

    #[test]
    fn mining_counts_the_merges_an_idiom_would_break() {
        // A tokenizer that writes `)` and the line break after it as one token, as cl100k does.
        let layout = TextLayout {
            idioms: true,
            ..compact().text_layout()
        };
        let cost =
            |t: &str| scan_spelled(t, layout).map_or(99, |l| l.len()) - t.matches(")\n").count();
        let learnt = |text: &str| {
            let idioms = mine([text; 10], compact(), IdiomKinds::All, 10, 2, cost).unwrap();
            (0..idioms.len())
                .map(|k| idioms.text(k).to_owned())
                .collect::<Vec<_>>()
        };
        // After `)`, an idiom starting with the line break saves nothing: `)` no longer merges.
        let after_bracket = learnt("f(x)\n<return>y");
        assert!(
            after_bracket.iter().all(|t| !t.starts_with('\n')),
            "{after_bracket:?}"
        );
        assert!(
            after_bracket.iter().any(|t| t == "<return>y"),
            "{after_bracket:?}"
        );
        // After a name, it saves one token a use, as its two texts alone would say.
        let after_name = learnt("x=y\n<return>z");
        assert!(
            after_name.iter().any(|t| t.starts_with("\n<return>")),
            "{after_name:?}"
        );
    }
}
