//! SimPy dialects: the canonical grammar with other spellings (`simpy_grammar::Spelling`),
//! named or read from a versioned JSON file. Encoding writes canonical SimPy and respells it;
//! decoding reads the spelling back to canonical SimPy first, so a dialect is exactly as
//! lossless as canonical SimPy, and errors point into the text as given.

use crate::dualcode::complete::{completable, complete_encoded};
use crate::dualcode::dialect_stream::Reader;
use crate::{
    complete, decode_checked, decode_with, encode_bytes, encode_prompt, CompleteOptions,
    Completion, CompletionError, DecodeOptions, Decoded, EncodeOptions, Error, ErrorKind, Literals,
    Prompt,
};
use simpy_ast::{LineCol, TextRange};
use simpy_grammar::{
    respell, respell_prefix, unspell, Expanded, Idioms, Piece, SimpyError, SimpyErrorKind,
    Spelling, Unspelt,
};

/// A dialect: a name, its spelling choices, its idioms, and how it spells literals.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dialect {
    pub name: String,
    pub spelling: Spelling,
    pub idioms: Idioms,
    /// Kept as written unless the dialect's file says `"literals": "normalized"`: the one
    /// choice that is no respelling of canonical SimPy, so it is made when encoding.
    pub literals: Literals,
}

/// The version of the dialect file format this build reads and writes.
pub const DIALECT_FORMAT: u64 = 1;

/// Each choice's key in a dialect file, its setter, and what it does (for `--help` and errors).
type Choice = (&'static str, fn(&mut Spelling) -> &mut bool, &'static str);
const CHOICES: [Choice; 9] = [
    (
        "line_sep_as_newline",
        |s| &mut s.line_sep_as_newline,
        "<line_sep> as a line break",
    ),
    (
        "block_end_as_blank_line",
        |s| &mut s.block_end_as_blank_line,
        "<block_end> as two line breaks",
    ),
    (
        "block_start_as_colon",
        |s| &mut s.block_start_as_colon,
        "<block_start> as `:` and a line break",
    ),
    (
        "implicit_self",
        |s| &mut s.implicit_self,
        "`self.x` as `.x` where no operand ends before the `.`",
    ),
    (
        "method_implies_self",
        |s| &mut s.method_implies_self,
        "`<def_stmt>f self x` as `<def_stmt>.f x`",
    ),
    (
        "clause_closes_block",
        |s| &mut s.clause_closes_block,
        "no <block_end> before elif/else/except/finally/case after a token",
    ),
    (
        "clause_opens_block",
        |s| &mut s.clause_opens_block,
        "no <block_start> after else/try/finally before a token",
    ),
    (
        "implicit_concat",
        |s| &mut s.implicit_concat,
        "\"a\"<concat>\"b\" as \"a\"\"b\" where the two still read apart",
    ),
    (
        "fused_negations",
        |s| &mut s.fused_negations,
        "<is><not> as <isnot>, <not><in> as <notin>",
    ),
];

impl Dialect {
    /// The built-in dialects' names, the default first.
    pub const BUILT_IN: [&'static str; 2] = ["simpy", "compact"];

    /// The paper's spelling: canonical SimPy.
    pub fn simpy() -> Dialect {
        Dialect {
            name: "simpy".to_owned(),
            spelling: Spelling::default(),
            idioms: Idioms::default(),
            literals: Literals::Kept,
        }
    }

    /// Every choice on (SPEC.md, "Dialects", says why each is safe).
    pub fn compact() -> Dialect {
        let mut spelling = Spelling::default();
        for (_, choice, _) in CHOICES {
            *choice(&mut spelling) = true;
        }
        Dialect {
            name: "compact".to_owned(),
            spelling,
            idioms: Idioms::default(),
            literals: Literals::Kept,
        }
    }

    /// A built-in dialect by name.
    pub fn built_in(name: &str) -> Option<Dialect> {
        match name {
            "simpy" => Some(Dialect::simpy()),
            "compact" => Some(Dialect::compact()),
            _ => None,
        }
    }

    /// `--dialect`'s value: a built-in name, or the path of a dialect file, which `read` reads
    /// (`std::fs::read_to_string`; this crate does no IO itself).
    pub fn resolve(
        value: &str,
        read: impl FnOnce(&str) -> std::io::Result<String>,
    ) -> Result<Dialect, String> {
        if let Some(dialect) = Dialect::built_in(value) {
            return Ok(dialect);
        }
        match read(value) {
            Ok(text) => Dialect::from_json(&text).map_err(|e| format!("{value}: {e}")),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
                "no dialect named `{value}` (built in: {}) and no such file",
                Dialect::BUILT_IN.join(", ")
            )),
            Err(e) => Err(format!("{value}: {e}")),
        }
    }

    /// Whether this is canonical SimPy (nothing to respell).
    pub fn is_canonical(&self) -> bool {
        self.spelling == Spelling::default() && self.idioms.is_empty()
    }

    /// A dialect file: `{"simpy_dialect": 1, "name": …, "choices": {"implicit_self": true, …},
    /// "idioms": [["<line_sep>", "self"], ["<@0>", "."], …], "literals": "kept"}`: each idiom
    /// joins two lexemes' texts or earlier idioms (`<@N>`), in the order they apply;
    /// `"literals"` is `"kept"` (so when left out) or `"normalized"` ([`Literals`]).
    pub fn from_json(text: &str) -> Result<Dialect, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|e| format!("not JSON: {e}"))?;
        let field = |key: &str| value.get(key);
        match field("simpy_dialect").and_then(serde_json::Value::as_u64) {
            Some(DIALECT_FORMAT) => {}
            Some(v) => {
                return Err(format!(
                    "dialect format {v}; this simpy reads format {DIALECT_FORMAT}"
                ))
            }
            None => return Err("no `\"simpy_dialect\": 1` (the format version)".to_owned()),
        }
        let name = field("name")
            .and_then(serde_json::Value::as_str)
            .ok_or("no `\"name\"` (a string)")?
            .to_owned();
        let idioms = idioms_from_json(field("idioms"))?;
        let choices = match field("choices") {
            None => Default::default(),
            Some(c) => c
                .as_object()
                .ok_or("`\"choices\"` is not an object")?
                .clone(),
        };
        let literals = match field("literals") {
            None => Literals::Kept,
            Some(v) => v.as_str().and_then(Literals::from_name).ok_or_else(|| {
                format!(
                    "`\"literals\"` is {v}; it is \"kept\" (the spellings as written) or \
                     \"normalized\" (numbers, bytes and strings from their values)"
                )
            })?,
        };
        let mut dialect = Dialect {
            name,
            spelling: Spelling::default(),
            idioms,
            literals,
        };
        for (key, on) in choices {
            let on = on
                .as_bool()
                .ok_or_else(|| format!("choice `{key}` is not true or false"))?;
            dialect.set_choice(&key, on)?;
        }
        Ok(dialect)
    }

    /// Makes the choice `key` (a dialect file's key) or not.
    pub fn set_choice(&mut self, key: &str, on: bool) -> Result<(), String> {
        let (_, choice, _) = CHOICES.iter().find(|(k, ..)| *k == key).ok_or_else(|| {
            let known: Vec<&str> = CHOICES.iter().map(|(k, ..)| *k).collect();
            format!(
                "unknown choice `{key}`; the choices are {}",
                known.join(", ")
            )
        })?;
        *choice(&mut self.spelling) = on;
        Ok(())
    }

    /// This dialect as a dialect file (every choice written out, so a file documents itself).
    pub fn to_json(&self) -> String {
        let mut spelling = self.spelling;
        let choices: serde_json::Map<String, serde_json::Value> = CHOICES
            .iter()
            .map(|(key, choice, _)| (key.to_string(), (*choice(&mut spelling)).into()))
            .collect();
        let file = serde_json::json!({
            "simpy_dialect": DIALECT_FORMAT,
            "name": self.name,
            "choices": choices,
            "idioms": self.idioms.pairs().iter().map(|pair| pair.each_ref().map(Piece::spelling)).collect::<Vec<_>>(),
            "literals": self.literals.name(),
        });
        serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
    }

    /// Learns up to `max` idioms of `kinds` for this dialect's spellings from canonical SimPy
    /// (as `encode` writes it), replacing its own: each the pair of units whose joining saves
    /// the most tokens as `cost` counts a text's tokens, seen at least `min_uses` times.
    pub fn learn_idioms<'t>(
        &mut self,
        canonical: impl IntoIterator<Item = &'t str>,
        kinds: simpy_grammar::IdiomKinds,
        max: usize,
        min_uses: u64,
        cost: impl Fn(&str) -> usize,
    ) -> Result<(), Error> {
        let spelt = canonical
            .into_iter()
            .map(|c| respell(c, self.spelling).map_err(|e| respell_failed(e, c)))
            .collect::<Result<Vec<_>, _>>()?;
        self.idioms = simpy_grammar::mine(
            spelt.iter().map(String::as_str),
            self.spelling,
            kinds,
            max,
            min_uses,
            cost,
        )
        .map_err(|e| Error {
            kind: ErrorKind::Internal,
            message: format!(
                "a dialect's text did not read back to learn idioms: {}",
                e.kind
            ),
            ..Error::from_simpy(e, "")
        })?;
        Ok(())
    }

    /// The choices a dialect file can make, with what each does.
    pub fn choices() -> impl Iterator<Item = (&'static str, &'static str)> {
        CHOICES.iter().map(|(key, _, what)| (*key, *what))
    }

    /// The keys of the choices this dialect makes.
    pub fn choices_made(&self) -> Vec<&'static str> {
        let mut spelling = self.spelling;
        CHOICES
            .iter()
            .filter(|(_, choice, _)| *choice(&mut spelling))
            .map(|(key, ..)| *key)
            .collect()
    }

    /// The grammar of this dialect for constrained decoding (`simpy grammar --dialect`): the
    /// parser's rules with its spellings, accepting canonical SimPy too. Its idioms are no
    /// rule's (see [`simpy_grammar::export_spelled_grammar`]).
    pub fn grammar(&self, format: simpy_grammar::GrammarFormat) -> String {
        if self.is_canonical() {
            simpy_grammar::export_grammar(format)
        } else {
            simpy_grammar::export_spelled_grammar(
                format,
                self.spelling,
                &self.name,
                self.idioms.len(),
            )
        }
    }

    /// The options that encode Python for this dialect: `options` with its literals.
    pub fn encode_options(&self, options: &EncodeOptions) -> EncodeOptions {
        EncodeOptions {
            literals: self.literals,
            ..*options
        }
    }

    /// Python bytes to SimPy in this dialect.
    pub fn encode_bytes(&self, python: &[u8], options: &EncodeOptions) -> Result<String, Error> {
        let canonical = encode_bytes(python, &self.encode_options(options))?;
        self.respell(&canonical)
    }

    /// Python text to SimPy in this dialect.
    pub fn encode(&self, python: &str, options: &EncodeOptions) -> Result<String, Error> {
        let canonical = crate::encode_with(python, &self.encode_options(options))?;
        self.respell(&canonical)
    }

    /// An already parsed Python file to SimPy in this dialect.
    pub fn encode_parsed(
        &self,
        parsed: &simpy_python::Parsed,
        options: &EncodeOptions,
    ) -> Result<String, Error> {
        self.respell(&crate::encode_parsed(parsed, &self.encode_options(options)))
    }

    /// Canonical SimPy (as `encode` writes it) in this dialect.
    pub fn respell(&self, canonical: &str) -> Result<String, Error> {
        if self.is_canonical() {
            return Ok(canonical.to_owned());
        }
        let spelt = respell(canonical, self.spelling).map_err(|e| respell_failed(e, canonical))?;
        self.idioms
            .apply(&spelt, self.spelling, false)
            .map_err(|e| respell_failed(e, &spelt))
    }

    /// The start of canonical SimPy that more may follow, in this dialect as far as what
    /// follows cannot change it (`respell_prefix`; the last run of code an idiom could join
    /// with what follows is left without idioms, which reads back the same).
    pub(crate) fn respell_prefix(&self, canonical: &str) -> Result<(String, usize), Error> {
        // A prompt may end inside a string, which cannot be read as a token: the code before
        // it is spelt, and the string, the same in every dialect, follows as typed if that
        // code is spelt to its end. An f-string's fields are code: one cut off is left out.
        let mut code = canonical;
        let mut as_typed = true;
        let (spelt, used) = loop {
            match respell_prefix(code, self.spelling) {
                Err(SimpyError {
                    kind: SimpyErrorKind::UnterminatedString { triple },
                    range,
                }) => {
                    let rest = &code[range.start as usize..];
                    // (Cut off, it runs to the end: triple-quoted, or on the last line.)
                    as_typed &= triple || !rest.contains(['\n', '\r']);
                    code = &code[..range.start as usize];
                }
                Err(SimpyError {
                    kind: SimpyErrorKind::UnterminatedFString,
                    range,
                }) => {
                    as_typed = false;
                    code = &code[..range.start as usize];
                }
                done => break done.map_err(|e| respell_failed(e, canonical))?,
            }
        };
        let mut spelt = self
            .idioms
            .apply(&spelt, self.spelling, true)
            .map_err(|e| respell_failed(e, &spelt))?;
        if as_typed && used == code.len() && code.len() < canonical.len() {
            spelt.push_str(&canonical[code.len()..]);
            return Ok((spelt, canonical.len()));
        }
        Ok((spelt, used))
    }

    /// This dialect's `text` read back as canonical SimPy, with where each part came from.
    fn read_back(&self, text: &str) -> Result<ReadBack, Error> {
        let expanded = self
            .idioms
            .expand(text, self.spelling)
            .map_err(|e| Error::from_simpy(e, text))?;
        let unspelt = unspell(&expanded.text, self.spelling).map_err(|e| {
            let range = expanded.source_range(e.range);
            let mut error = Error::from_simpy(e, &expanded.text);
            relocate(
                &mut error.range,
                &mut error.location,
                &mut error.line_text,
                text,
                range,
            );
            error
        })?;
        Ok(ReadBack { unspelt, expanded })
    }

    /// [`encode_prompt`] in this dialect: the prompt's canonical SimPy spelt as far as what the
    /// model writes next cannot change its spelling (a last `<block_end>` may yet be left out
    /// before an `else`, a last `<line_sep>` be a line break or its token); the model writes
    /// the rest, and [`Dialect::complete`] expects it.
    pub fn encode_prompt(&self, python: &str) -> Result<Prompt, Error> {
        let mut prompt = encode_prompt(python)?;
        if !self.is_canonical() {
            prompt.simpy = self.respell_prefix(&prompt.simpy)?.0;
        }
        Ok(prompt)
    }

    /// [`complete`] for a continuation in this dialect of [`Dialect::encode_prompt`]'s SimPy:
    /// the two are read back to canonical SimPy together, so the continuation's first tokens
    /// are spelt as they follow the prompt (a token or string cut off at the end is dropped
    /// with its statement). Offsets in the result and errors are in `continuation`.
    pub fn complete(
        &self,
        prompt: &str,
        continuation: &str,
        options: &CompleteOptions,
    ) -> Result<Completion, Box<CompletionError>> {
        if self.is_canonical() {
            return complete(prompt, continuation, options);
        }
        let fail = |error| Box::new(CompletionError { error, kept: None });
        let encoded = completable(prompt)?;
        let mut reader = Reader::new(self, encoded.simpy.clone()).map_err(fail)?;
        let rest = reader.push(continuation, false).map_err(fail)?;
        complete_encoded(prompt, &encoded, &rest, options)
            .map(|c| reader.moved(c))
            .map_err(|e| reader.moved_error(*e))
    }

    /// SimPy in this dialect read back as canonical SimPy (what `decode` then parses).
    pub fn canonical(&self, text: &str) -> Result<String, Error> {
        if self.is_canonical() {
            return Ok(text.to_owned());
        }
        Ok(self.read_back(text)?.unspelt.canonical)
    }

    /// SimPy in this dialect to Python.
    pub fn decode_with(&self, text: &str, options: &DecodeOptions) -> Result<String, Error> {
        if self.is_canonical() {
            return decode_with(text, options);
        }
        self.through_canonical(text, |canonical| decode_with(canonical, options))
    }

    /// [`Dialect::decode_with`], and where the input is not canonical in this dialect.
    pub fn decode_checked(&self, text: &str, options: &DecodeOptions) -> Result<Decoded, Error> {
        if self.is_canonical() {
            return decode_checked(text, options);
        }
        self.through_canonical(text, |canonical| decode_checked(canonical, options))
    }

    /// SimPy bytes in this dialect to Python.
    pub fn decode_bytes(&self, text: &[u8], options: &DecodeOptions) -> Result<String, Error> {
        self.decode_with(crate::simpy_text(text)?, options)
    }

    /// `decode` run on the canonical SimPy `text` reads back as, with the ranges of its error
    /// or warning moved back into `text`.
    fn through_canonical<T: Located>(
        &self,
        text: &str,
        decode: impl FnOnce(&str) -> Result<T, Error>,
    ) -> Result<T, Error> {
        let read = self.read_back(text)?;
        let mut result = decode(&read.unspelt.canonical);
        let moved = |range: &mut TextRange, location: &mut LineCol, line_text: &mut String| {
            let source = read.source_range(*range);
            relocate(range, location, line_text, text, source);
        };
        match &mut result {
            Ok(value) => value.move_location(moved),
            Err(e) => moved(&mut e.range, &mut e.location, &mut e.line_text),
        }
        result
    }
}

/// A dialect's text read back: idioms written out, then spellings undone.
struct ReadBack {
    unspelt: Unspelt,
    expanded: Expanded,
}

impl ReadBack {
    /// A range of the canonical SimPy as a range of the dialect's text.
    fn source_range(&self, range: TextRange) -> TextRange {
        self.expanded.source_range(self.unspelt.source_range(range))
    }
}

/// Points an error or warning at `range` of `text`.
fn relocate(
    range: &mut TextRange,
    location: &mut LineCol,
    line_text: &mut String,
    text: &str,
    to: TextRange,
) {
    *range = to;
    let (at, line) = simpy_ast::locate(text, to.start);
    (*location, *line_text) = (at, line.to_owned());
}

/// A dialect file's idioms: pairs of pieces, each a lexeme's text or `<@N>`.
fn idioms_from_json(value: Option<&serde_json::Value>) -> Result<Idioms, String> {
    let Some(value) = value else {
        return Ok(Idioms::default());
    };
    let bad = |k: usize| format!("idiom {k} is not a pair of strings");
    let pairs = value
        .as_array()
        .ok_or("`\"idioms\"` is not a list")?
        .iter()
        .enumerate()
        .map(|(k, pair)| match pair.as_array().map(Vec::as_slice) {
            Some([a, b]) => match (a.as_str(), b.as_str()) {
                (Some(a), Some(b)) => Ok([Piece::parse(a), Piece::parse(b)]),
                _ => Err(bad(k)),
            },
            _ => Err(bad(k)),
        })
        .collect::<Result<Vec<_>, _>>()?;
    Idioms::new(pairs)
}

/// Canonical SimPy this build wrote and cannot read back: a bug here.
fn respell_failed(e: simpy_grammar::SimpyError, canonical: &str) -> Error {
    Error {
        kind: ErrorKind::Internal,
        message: format!(
            "canonical SimPy did not read back to respell it: {}",
            e.kind
        ),
        ..Error::from_simpy(e, canonical)
    }
}

/// What holds a location in the text decoded: an error, or a warning about it.
trait Located {
    fn move_location(&mut self, to: impl FnOnce(&mut TextRange, &mut LineCol, &mut String));
}

impl Located for String {
    fn move_location(&mut self, _: impl FnOnce(&mut TextRange, &mut LineCol, &mut String)) {}
}

impl Located for Decoded {
    fn move_location(&mut self, to: impl FnOnce(&mut TextRange, &mut LineCol, &mut String)) {
        if let Some(w) = &mut self.non_canonical {
            to(&mut w.range, &mut w.location, &mut w.line_text);
        }
    }
}
