//! Streaming in a dialect: the model's text read back to canonical SimPy as it arrives, and
//! that streamed on to a [`CompletionStream`].
//!
//! Reading back decides each lexeme by the one after it (`unspell_from`), and the last two
//! lexemes of text that goes on may still change, so each chunk is read again from the last
//! *resume point* — a lexeme boundary outside f-strings up to which everything is final — with
//! the reader's state there. The text read again is a few lexemes (or an f-string still open),
//! so the work per chunk stays bounded. What is read for good is checked against the prompt's
//! canonical SimPy, then streamed: the Python is the stream's, offsets are moved back into the
//! continuation as given, and the result is [`Dialect::complete`]'s.

use super::complete::{internal, restated, CompleteOptions, Completion, CompletionError, Dropped};
use super::stream::CompletionStream;
use super::utf8::Utf8Chunks;
use crate::{Dialect, Error, ErrorKind};
use simpy_ast::{Special, TextRange};
use simpy_grammar::{unspell_from, Resume, SimpyError, SimpyErrorKind, SourceMap};
use simpy_python::literals::{string_body_end, string_body_resume};

/// A stream decoder for a continuation in any dialect: [`CompletionStream`] for text that
/// [`Dialect::encode_prompt`]'s prompt goes on with (canonical SimPy goes to it as it is).
///
/// ```
/// use simpy::{CompleteOptions, Dialect, DialectStream};
/// let prompt = "def add(a, b):\n    \"\"\"Add.\"\"\"\n";
/// let compact = Dialect::compact();
/// let mut stream = DialectStream::new(&compact, prompt, &CompleteOptions::default()).unwrap();
/// let mut python = String::new();
/// for byte in "<return>a+b\n\n<def_stmt>g:\n<pass><block_end>".bytes() {
///     python += &stream.push(&[byte]).unwrap();
/// }
/// let (last, completion) = stream.finish().unwrap();
/// python += &last;
/// assert_eq!(python, "    return a + b\n");
/// assert_eq!(python, completion.python);
/// ```
pub struct DialectStream {
    /// `None` for canonical SimPy, which goes to the stream as it is.
    reader: Option<Reader>,
    /// `None` once an error ended the stream.
    inner: Option<CompletionStream>,
    utf8: Utf8Chunks,
}

impl DialectStream {
    /// A stream completing `prompt` (Python cut at the cursor) with a continuation in
    /// `dialect`; the byte budget counts canonical SimPy, as [`Dialect::complete`]'s does.
    pub fn new(
        dialect: &Dialect,
        prompt: &str,
        options: &CompleteOptions,
    ) -> Result<Self, Box<CompletionError>> {
        let (inner, encoded) = CompletionStream::with_prompt(prompt, options)?;
        let reader = (!dialect.is_canonical())
            .then(|| Reader::new(dialect, encoded.simpy))
            .transpose()
            .map_err(|error| Box::new(CompletionError { error, kept: None }))?;
        Ok(DialectStream {
            reader,
            inner: Some(inner),
            utf8: Utf8Chunks::default(),
        })
    }

    /// The stream reading its text again at every chunk (see `Reader::can_wait`).
    #[cfg(test)]
    fn reading_every_chunk(mut self) -> Self {
        if let Some(reader) = &mut self.reader {
            reader.waits = false;
        }
        self
    }

    /// The Python emitted so far.
    pub fn python(&self) -> &str {
        self.inner.as_ref().map_or("", CompletionStream::python)
    }

    /// Whether the stop rule, the byte budget or an error has ended the stream: what is pushed
    /// after is ignored.
    pub fn is_done(&self) -> bool {
        self.inner.as_ref().is_none_or(CompletionStream::is_done)
    }

    /// Takes the next chunk of the continuation; returns the Python it makes final. On an
    /// error, `kept` holds all the Python emitted.
    // Inlined, so that canonical SimPy, streamed a byte at a time, takes the inner stream's
    // fast path in the caller's loop.
    #[inline]
    pub fn push(&mut self, chunk: &[u8]) -> Result<String, Box<CompletionError>> {
        match (&self.reader, &mut self.inner) {
            (None, Some(inner)) => inner.push(chunk),
            _ => self.push_read(chunk),
        }
    }

    /// [`push`](Self::push) of a dialect's text, read back to canonical SimPy.
    #[inline(never)]
    fn push_read(&mut self, chunk: &[u8]) -> Result<String, Box<CompletionError>> {
        if self.is_done() {
            return Ok(String::new());
        }
        let (text, not_utf8) = self.utf8.text(chunk);
        let delta = self.take(&text, true)?;
        match (not_utf8, &self.reader) {
            (Some(bad), Some(reader)) if !self.is_done() => {
                let error = reader.placed(bad.error());
                Err(self.cut_off_by(error))
            }
            _ => Ok(delta),
        }
    }

    /// [`push`](Self::push) for text.
    pub fn push_str(&mut self, chunk: &str) -> Result<String, Box<CompletionError>> {
        self.push(chunk.as_bytes())
    }

    /// Ends the stream: the Python still to emit (a statement cut off at the end is dropped,
    /// as [`Dialect::complete`] drops it), and the whole completion, its offsets in the
    /// continuation as given.
    pub fn finish(mut self) -> Result<(String, Completion), Box<CompletionError>> {
        let mut delta = String::new();
        if let Some(reader) = self.reader.as_ref().filter(|_| !self.is_done()) {
            if let Some(error) = self.utf8.unfinished() {
                let error = reader.placed(error);
                return Err(self.cut_off_by(error));
            }
            delta = self.take("", false)?;
        }
        let inner = self.inner.take().ok_or_else(|| {
            Box::new(CompletionError {
                error: internal("the stream had already failed"),
                kept: None,
            })
        })?;
        match inner.finish() {
            Ok((last, completion)) => Ok((delta + &last, self.moved(completion))),
            Err(e) => Err(self.moved_error(*e)),
        }
    }

    /// Reads `text` back with what came before it and streams what is final.
    fn take(&mut self, text: &str, open_ended: bool) -> Result<String, Box<CompletionError>> {
        let reader = self.reader.as_mut().expect("a dialect's stream");
        let canonical = match reader.push(text, open_ended) {
            Ok(canonical) => canonical,
            Err(error) => return Err(self.fail(error)),
        };
        let Some(inner) = &mut self.inner else {
            return Ok(String::new());
        };
        if canonical.is_empty() {
            return Ok(String::new());
        }
        match inner.push_str(&canonical) {
            Ok(delta) => Ok(delta),
            Err(e) => {
                self.inner = None;
                Err(self.moved_error(*e))
            }
        }
    }

    fn moved(&self, completion: Completion) -> Completion {
        match &self.reader {
            Some(reader) => reader.moved(completion),
            None => completion,
        }
    }

    fn moved_error(&self, e: CompletionError) -> Box<CompletionError> {
        match &self.reader {
            Some(reader) => reader.moved_error(e),
            None => Box::new(e),
        }
    }

    /// Ends the stream with `error` (located in the continuation): the Python emitted is
    /// kept. (Not more: the canonical text read so far may end inside a statement that would
    /// decode, as `<return>` of `return x`.)
    fn fail(&mut self, error: Error) -> Box<CompletionError> {
        let kept = self
            .inner
            .take()
            .map(|inner| self.moved(inner.emitted_so_far()));
        Box::new(CompletionError { error, kept })
    }

    /// Ends the stream at `error` (located in the continuation), where input stops that cannot
    /// be read on: what came before is read to its end and completed as a continuation cut
    /// off there, for the error to keep.
    fn cut_off_by(&mut self, error: Error) -> Box<CompletionError> {
        if let Err(earlier) = self.take("", false) {
            return earlier;
        }
        let Some(mut inner) = self.inner.take() else {
            return Box::new(CompletionError { error, kept: None });
        };
        match inner.cut_off() {
            Ok(kept) => Box::new(CompletionError {
                error,
                kept: Some(self.moved(kept)),
            }),
            Err(earlier) => self.moved_error(*earlier),
        }
    }
}

/// A continuation in a dialect read back to canonical SimPy as it arrives, after the
/// prompt's SimPy in that dialect.
pub(crate) struct Reader {
    dialect: Dialect,
    /// The prompt's canonical SimPy, which what is read back must start with.
    canonical_prompt: String,
    /// The prompt's SimPy in the dialect, then the continuation as far as it has arrived.
    text: String,
    spelt_prompt_len: usize,
    /// Where in `text` the next reading starts, and the reader's state there.
    read_to: usize,
    resume: Resume,
    /// Canonical SimPy read for good so far, and where each part of it came from in `text`.
    canonical_len: usize,
    sources: SourceMap,
    /// At the end: the bytes of a token or string cut off there, never read back.
    cut_off: usize,
    /// The text read last ends in a string still open: until a quote arrives, reading it
    /// again finds the same (so a long docstring is not read again at each byte).
    in_open_string: bool,
    /// That string, if it is no f-string: a quote that arrives is looked for from where its
    /// scan stopped, not by reading it all again (each quote inside a docstring did).
    open_string: Option<OpenString>,
    /// The text read last was read to its end, nothing cut off.
    read_to_the_end: bool,
    /// `text[read_to..no_layout_to]` holds no layout (see [`Reader::layout_ahead`]).
    no_layout_to: usize,
    /// The text read last ended in a comment, and no line break has come since.
    in_comment_read: bool,
    /// Where the run of name or number bytes that ends `text` starts (its length if none).
    word_start: usize,
    /// Whether reading waits where it can ([`Reader::can_wait`]); tests read at every byte to
    /// see that waiting changes nothing the stream emits.
    waits: bool,
}

impl Reader {
    /// A reader of what follows a prompt's canonical SimPy in `dialect`.
    pub(crate) fn new(dialect: &Dialect, canonical_prompt: String) -> Result<Reader, Error> {
        let spelt = dialect.respell_prefix(&canonical_prompt)?.0;
        let word = spelt.bytes().rev().take_while(|&b| is_word_byte(b)).count();
        let mut reader = Reader {
            dialect: dialect.clone(),
            canonical_prompt,
            spelt_prompt_len: spelt.len(),
            word_start: spelt.len() - word,
            text: spelt,
            read_to: 0,
            resume: Resume::default(),
            canonical_len: 0,
            sources: SourceMap::default(),
            cut_off: 0,
            in_open_string: false,
            open_string: None,
            read_to_the_end: false,
            no_layout_to: 0,
            in_comment_read: false,
            waits: false,
        };
        let rest = reader.push("", true)?;
        debug_assert!(rest.is_empty(), "the prompt alone reads back as itself");
        reader.waits = true;
        Ok(reader)
    }

    /// The continuation as far as it has arrived.
    pub(crate) fn continuation(&self) -> &str {
        &self.text[self.spelt_prompt_len..]
    }

    /// Takes `text`, and returns the canonical continuation it makes final: with
    /// `open_ended`, as far as what may follow cannot change it; else all of it, but a token or
    /// string cut off at the end.
    pub(crate) fn push(&mut self, text: &str, open_ended: bool) -> Result<String, Error> {
        let last_non_word = text.bytes().rposition(|b| !is_word_byte(b));
        let grows_a_name = !text.is_empty() && last_non_word.is_none() && self.ends_in_a_name();
        if let Some(at) = last_non_word {
            self.word_start = self.text.len() + at + 1;
        }
        self.text.push_str(text);
        if open_ended && self.waits && self.can_wait(text, grows_a_name) {
            return Ok(String::new());
        }
        self.in_open_string = false;
        self.open_string = None;
        self.read_to_the_end = false;
        let mut end = self.text.len();
        loop {
            let part = &self.text[self.read_to..end];
            let reading = match (open_ended, end < self.text.len()) {
                (true, _) => Reading::OpenEnded,
                (false, false) => Reading::ToTheEnd,
                (false, true) => Reading::BeforeCutOff,
            };
            match self.read_back(part, reading) {
                Ok((canonical, sources, read)) => {
                    let mut canonical = self.forward(canonical, sources, read)?;
                    self.read_to_the_end = open_ended && end == self.text.len();
                    self.in_comment_read = open_ended && self.ends_in_comment();
                    match reading {
                        Reading::BeforeCutOff => canonical += &self.cut_off_at(end),
                        // Line breaks that end a dialect's text are no layout but would read
                        // as a line break inside the statement before them: not passed on.
                        Reading::ToTheEnd => canonical.truncate(canonical.trim_end().len()),
                        Reading::OpenEnded => {}
                    }
                    return Ok(canonical);
                }
                // The text from the error on may yet read well, or be cut off: read up to it.
                // (An error at the placeholder of a cut: the text is unfinished there.)
                Err(e)
                    if unfinished(part, &e, open_ended)
                        || (reading == Reading::BeforeCutOff
                            && e.range.start as usize >= part.len()) =>
                {
                    self.in_open_string |= matches!(
                        e.kind,
                        SimpyErrorKind::UnterminatedString { .. }
                            | SimpyErrorKind::UnterminatedFString
                    );
                    if let (true, &SimpyErrorKind::UnterminatedString { triple }) =
                        (open_ended, &e.kind)
                    {
                        let start = self.read_to + e.range.start as usize;
                        self.open_string = OpenString::at(&self.text, start, triple);
                    }
                    if open_ended && e.range.start == 0 {
                        return Ok(String::new());
                    }
                    let cut = self.read_to + e.range.start as usize;
                    // Cut off in an f-string, the text before the cut may read as unfinished at
                    // the same place (in a format spec, or a field): go back to where the
                    // f-string opens, and on to the next one out.
                    let before = if cut < end {
                        cut
                    } else {
                        super::lines::last_fstring_start(&self.text, end)
                            .filter(|&start| start < end)
                            .unwrap_or(self.read_to)
                            .max(self.read_to)
                    };
                    if before >= end {
                        let mut error = Error::from_simpy(e, part);
                        error.range = shifted(error.range, self.read_to);
                        return Err(self.located(error));
                    }
                    end = before;
                }
                Err(e) => {
                    let mut error = Error::from_simpy(e, part);
                    error.range = shifted(error.range, self.read_to);
                    return Err(self.located(error));
                }
            }
        }
    }

    /// Whether reading now, with `text` just come, can wait for a later byte: it would make
    /// final nothing the stream emits a line on, or nothing at all. (Most bytes a model streams
    /// are such, and reading again at each cost several times the decoding.)
    fn can_wait(&mut self, text: &str, grows_a_name: bool) -> bool {
        // A name that grows is still the last lexeme, and every lexeme before it still has the
        // same one after it. (Not a number: `0x` reads as `0` and a name until a digit comes.)
        if grows_a_name {
            return true;
        }
        if self.in_open_string {
            let still_open = match &mut self.open_string {
                Some(string) => !string.may_close(text) || string.still_open(&self.text),
                None => !text.contains(['"', '\'']),
            };
            if still_open {
                return true;
            }
            self.in_open_string = false;
            self.open_string = None;
        }
        // Spaces after text read to its end: what is final is all but the last lexemes that
        // are not whitespace, and those are the same.
        if text.bytes().all(|b| b == b' ') && self.read_to_the_end {
            return true;
        }
        self.read_to_the_end = false;
        // A comment a reading saw begin stays one lexeme until its line ends.
        if self.in_comment_read {
            if !text.contains(['\n', '\r']) {
                return true;
            }
            self.in_comment_read = false;
        }
        // A special or idiom token still arriving settles no more than its end will, a few
        // bytes on (a `<` that turns out an operator is read with the byte after its name).
        self.ends_in_token_begun() || !self.layout_ahead()
    }

    /// Whether the text ends in a comment: a `#` on its last line with no quote before it in
    /// the text not yet final (which might open a string it is in).
    fn ends_in_comment(&self) -> bool {
        let tail = &self.text[self.read_to..];
        let line = tail.rfind(['\n', '\r']).map_or(0, |at| at + 1);
        tail[line..]
            .find('#')
            .is_some_and(|at| !tail[..line + at].contains(['\'', '"']))
    }

    /// Whether the text ends in a name (a run of word bytes that no digit starts).
    fn ends_in_a_name(&self) -> bool {
        self.text
            .as_bytes()
            .get(self.word_start)
            .is_some_and(|b| !b.is_ascii_digit())
    }

    /// Whether the text ends in `<`, or `<@`, and the letters, digits or `_` of a token not
    /// yet closed.
    fn ends_in_token_begun(&self) -> bool {
        let before = &self.text.as_bytes()[..self.word_start];
        before.ends_with(b"<") || before.ends_with(b"<@")
    }

    /// Whether the text not yet read for good holds layout: a line break, a layout token, a
    /// token that starts a statement (no `<line_sep>` comes before one), or an idiom (which
    /// may hold any of them). A line of Python is emitted on the layout after its
    /// statement, so until layout arrives a read settles nothing the stream shows: the line is
    /// read once, when it ends, not again at each lexeme (which cost a few lexemes' reading
    /// at each). Errors in it are found then too, with the same Python emitted before them.
    fn layout_ahead(&mut self) -> bool {
        // The text never ends inside a token here (one still arriving waits first), so none
        // straddles `no_layout_to`: the look goes on from there.
        let text = &self.text[self.no_layout_to.max(self.read_to)..];
        let bytes = text.as_bytes();
        let first = (0..bytes.len())
            .filter(|&at| matches!(bytes[at], b'\n' | b'\r' | b'<'))
            .find_map(|at| {
                let rest = &text[at..];
                if !rest.starts_with('<') {
                    return Some(at + 1);
                }
                let layout = ["<line_sep>", "<block_start>", "<block_end>", "<@"]
                    .iter()
                    .any(|token| rest.starts_with(token));
                (layout || Special::starts_a_statement(rest))
                    .then(|| at + rest.find('>').map_or(rest.len(), |end| end + 1))
            });
        let Some(after) = first else {
            self.no_layout_to = self.text.len();
            return false;
        };
        // Reading back makes no lexeme final before three that are not whitespace follow it
        // (`unspell_from`; the test below fails if five are asked for): until then a read
        // cannot settle the layout either.
        lexemes_at_most(&text[after..], 3) >= 3
    }

    /// A string or special token cut off at the end (from `end`), as it is: every dialect
    /// spells them as canonical SimPy does, and the completion drops them with their
    /// statement. A cut idiom token is no canonical SimPy: it is left out, and counted as
    /// dropped by [`Reader::moved`].
    fn cut_off_at(&mut self, end: usize) -> String {
        let tail = &self.text[end..];
        if tail.starts_with("<@") {
            self.cut_off = tail.len();
            return String::new();
        }
        let source = TextRange::new(end as u32, self.text.len() as u32);
        self.sources.push(self.canonical_len as u32, source);
        self.canonical_len += tail.len();
        self.read_to = self.text.len();
        tail.to_owned()
    }

    /// `part` (from `read_to`) read back: its canonical SimPy as far as it is final, where
    /// each piece came from (in `part`), the length of `part` read, and the state there.
    #[allow(clippy::type_complexity)]
    fn read_back(
        &self,
        part: &str,
        reading: Reading,
    ) -> Result<(String, Vec<(u32, TextRange)>, (usize, Resume)), SimpyError> {
        let spelling = self.dialect.spelling;
        let open_ended = reading == Reading::OpenEnded;
        let mut expanded = self.dialect.idioms.expand(part, spelling)?;
        // Text goes on after a cut-off token: a comment stands for it, which no choice looks at
        // but as something that follows (line breaks before it are layout, not the file's end).
        let placeholder = expanded.text.len() as u32;
        if reading == Reading::BeforeCutOff {
            expanded.text.push('#');
        }
        let (unspelt, resumes) = unspell_from(&expanded.text, spelling, self.resume, open_ended)
            .map_err(|mut e| {
                e.range = expanded.source_range(e.range);
                e
            })?;
        let (canonical_end, read, resume) = if reading == Reading::BeforeCutOff {
            let parts = unspelt.from.parts();
            let before = parts.partition_point(|(_, source)| source.start < placeholder);
            let end = parts
                .get(before)
                .map_or(unspelt.canonical.len(), |p| p.0 as usize);
            (end, part.len(), self.resume)
        } else if open_ended {
            // The last resume point that is not inside an idiom.
            let Some((r, at)) = resumes
                .iter()
                .rev()
                .find_map(|r| Some((r, expanded.source_offset(r.source)?)))
            else {
                return Ok((String::new(), Vec::new(), (0, self.resume)));
            };
            (r.canonical as usize, at as usize, *r)
        } else {
            (unspelt.canonical.len(), part.len(), self.resume)
        };
        let sources = unspelt
            .from
            .parts()
            .iter()
            .take_while(|(start, _)| (*start as usize) < canonical_end)
            .map(|&(start, range)| (start, expanded.source_range(range)))
            .collect();
        let mut canonical = unspelt.canonical;
        canonical.truncate(canonical_end);
        Ok((canonical, sources, (read, resume)))
    }

    /// Canonical SimPy read for good: checked against the prompt's; what follows that.
    fn forward(
        &mut self,
        mut canonical: String,
        sources: Vec<(u32, TextRange)>,
        (read, resume): (usize, Resume),
    ) -> Result<String, Error> {
        let base = self.canonical_len as u32;
        for (start, range) in sources {
            self.sources
                .push(base + start, shifted(range, self.read_to));
        }
        let at = self.canonical_len;
        self.canonical_len += canonical.len();
        self.read_to += read;
        self.resume = resume;
        let prompt = self
            .canonical_prompt
            .as_bytes()
            .get(at..)
            .unwrap_or_default();
        let in_prompt = prompt.len().min(canonical.len());
        if canonical.as_bytes()[..in_prompt] != prompt[..in_prompt] {
            let spelt = &self.text[..self.spelt_prompt_len];
            let error = Error {
                kind: ErrorKind::InvalidSimpy,
                message: format!(
                    "the continuation does not go on from the prompt: in the dialect `{}` the \
                     prompt's SimPy ends with `{}`",
                    self.dialect.name,
                    &spelt[spelt.floor_char_boundary(spelt.len().saturating_sub(40))..]
                ),
                ..internal("")
            };
            return Err(self.located(error));
        }
        Ok(canonical.split_off(in_prompt))
    }

    /// `error` (its range in the prompt's SimPy and the continuation) located in the
    /// continuation.
    pub(crate) fn located(&self, mut error: Error) -> Error {
        let at = |o: u32| (o as usize).saturating_sub(self.spelt_prompt_len) as u32;
        error.range = TextRange::new(at(error.range.start), at(error.range.end));
        self.placed(error)
    }

    /// `error`, its range already in the continuation, with its line and column there.
    pub(crate) fn placed(&self, mut error: Error) -> Error {
        let text = self.continuation();
        let at = (error.range.start as usize).min(text.len());
        let (location, line) = simpy_ast::locate(text, text.floor_char_boundary(at) as u32);
        (error.location, error.line_text) = (location, line.to_owned());
        error
    }

    /// An offset in the canonical continuation as one in the continuation as given.
    fn offset(&self, canonical: usize) -> usize {
        let point = (self.canonical_prompt.len() + canonical) as u32;
        let source = self
            .sources
            .source_range(TextRange::new(point, point))
            .start as usize;
        source
            .saturating_sub(self.spelt_prompt_len)
            .min(self.continuation().len())
    }

    /// A completion of the canonical continuation as one of the continuation as given; what
    /// was cut off at the end is dropped (unless the stop rule ended the continuation first).
    pub(crate) fn moved(&self, completion: Completion) -> Completion {
        let mut completion = Completion {
            used: self.offset(completion.used),
            stopped_at: completion.stopped_at.map(|s| self.offset(s)),
            dropped: completion.dropped.map(|d| Dropped {
                at: self.offset(d.at),
                bytes: self.offset(d.at + d.bytes) - self.offset(d.at),
            }),
            ..completion
        };
        let end = self.continuation().len();
        if self.cut_off > 0 && completion.stopped_at.is_none() {
            let at = completion.dropped.map_or(end - self.cut_off, |d| d.at);
            completion.dropped = Some(Dropped {
                at,
                bytes: end - at,
            });
        }
        completion
    }

    /// An error of the canonical continuation's completion, located in the continuation.
    pub(crate) fn moved_error(&self, e: CompletionError) -> Box<CompletionError> {
        let CompletionError { mut error, kept } = e;
        let start = self.offset(error.range.start as usize) as u32;
        error.message = restated(&error.message, error.range.start as usize, start as usize);
        error.range = TextRange::new(
            start,
            (self.offset(error.range.end as usize) as u32).max(start),
        );
        let (location, line) = simpy_ast::locate(self.continuation(), start);
        (error.location, error.line_text) = (location, line.to_owned());
        Box::new(CompletionError {
            error,
            kept: kept.map(|k| self.moved(k)),
        })
    }
}

/// A string literal open at the end of the text, and where a scan of its body can go on.
struct OpenString {
    quote: u8,
    triple: bool,
    /// Where in the text (`string_body_resume`).
    resume: usize,
}

impl OpenString {
    /// The string that starts at `start` of `text` (its prefix first), if it is open at the end.
    fn at(text: &str, start: usize, triple: bool) -> Option<OpenString> {
        let quote_at = start + text[start..].find(['\'', '"'])?;
        let mut string = OpenString {
            quote: text.as_bytes()[quote_at],
            triple,
            resume: quote_at + if triple { 3 } else { 1 },
        };
        string.still_open(text).then_some(string)
    }

    /// Whether `chunk` may close the string: it holds its quote, or a line break that ends a
    /// one-line string. (Without either it stays open, and the next scan goes on from where
    /// the last one stopped.)
    fn may_close(&self, chunk: &str) -> bool {
        chunk
            .bytes()
            .any(|b| b == self.quote || (!self.triple && matches!(b, b'\n' | b'\r')))
    }

    /// Whether the string is still open at the end of `text` (which has grown); where to scan
    /// on from next time.
    fn still_open(&mut self, text: &str) -> bool {
        let body = &text.as_bytes()[self.resume..];
        match string_body_end(body, self.quote, self.triple) {
            Ok(_) => false,
            // A one-line string that a line break ended.
            Err(stop) if stop < body.len() => false,
            Err(_) => {
                self.resume += string_body_resume(body, self.quote);
                true
            }
        }
    }
}

/// How far text read back is final.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// More may come: only what it cannot change.
    OpenEnded,
    /// The text ends here.
    ToTheEnd,
    /// A token or string was cut off after it, at the end.
    BeforeCutOff,
}

fn shifted(range: TextRange, by: usize) -> TextRange {
    TextRange::new(range.start + by as u32, range.end + by as u32)
}

/// Whether the error reading `part` back may be only that `part` stops short: an unfinished
/// string, special token or idiom token at its end, or (while more may come) its last lexeme.
fn unfinished(part: &str, e: &SimpyError, open_ended: bool) -> bool {
    let from = &part[e.range.start as usize..];
    let partial_token = from.starts_with('<')
        && !from.contains('>')
        && from[1..]
            .bytes()
            .all(|b| b == b'@' || b == b'_' || b.is_ascii_alphanumeric());
    matches!(
        e.kind,
        SimpyErrorKind::UnterminatedString { .. } | SimpyErrorKind::UnterminatedFString
    ) || partial_token
        || (open_ended && e.range.end as usize >= part.len())
}

/// How many lexemes that are not whitespace `text` holds, at most (counting stops at `max`):
/// each begins at a byte that is not a space or tab and does not go on a name or number, or
/// at a letter after a digit (a number still arriving, `0x`, reads as `0` and a name).
fn lexemes_at_most(text: &str, max: usize) -> usize {
    let mut count = 0;
    let mut last = b' ';
    for byte in text.bytes() {
        let goes_on = is_word_byte(byte)
            && is_word_byte(last)
            && !(byte.is_ascii_alphabetic() && last.is_ascii_digit());
        if !matches!(byte, b' ' | b'\t') && !goes_on {
            count += 1;
            if count == max {
                break;
            }
        }
        last = byte;
    }
    count
}

/// A byte of an ASCII name or number.
fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || byte == b'_'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reading waits where a read would make final nothing the stream emits a line on: every
    /// 60th stdlib file, in `compact` and in a dialect that keeps the layout tokens, streamed
    /// byte by byte (whole, and after a prompt of its first half of lines), emits the same
    /// Python at the same byte as a stream that reads at each.
    #[test]
    fn a_stream_that_waits_emits_each_line_at_the_byte_one_that_reads_at_every_byte_does() {
        let mut tokens = Dialect::compact();
        for choice in [
            "line_sep_as_newline",
            "block_start_as_colon",
            "block_end_as_blank_line",
        ] {
            tokens.set_choice(choice, false).expect("a choice");
        }
        let options = CompleteOptions {
            stop: crate::Stop::None,
            max_bytes: None,
        };
        // Each delta and the byte it came at; an error ends them (a prompt may end where
        // `complete` refuses to go on, in a bracket holding comments).
        let deltas = |dialect: &Dialect, prompt: &str, text: &str, eager: bool| {
            let mut deltas: Vec<(usize, Result<String, String>)> = Vec::new();
            let mut stream = match DialectStream::new(dialect, prompt, &options) {
                Ok(stream) => stream,
                Err(e) => return vec![(0, Err(e.error.message))],
            };
            if eager {
                stream = stream.reading_every_chunk();
            }
            for (at, byte) in text.as_bytes().chunks(1).enumerate() {
                match stream.push(byte) {
                    Ok(delta) if delta.is_empty() => {}
                    delta => deltas.push((at, delta.map_err(|e| e.error.message))),
                }
                if deltas.last().is_some_and(|d| d.1.is_err()) {
                    return deltas;
                }
            }
            let last = stream.finish().map(|f| f.0).map_err(|e| e.error.message);
            deltas.push((text.len(), last));
            deltas
        };
        let mut streamed = 0;
        for path in simpy_testkit::cpython::stdlib_files().iter().step_by(60) {
            let Ok(python) = std::fs::read_to_string(path) else {
                continue;
            };
            let Ok(canonical) = crate::encode(&python) else {
                continue; // not Python 3
            };
            let lines: Vec<&str> = python.split_inclusive('\n').collect();
            let prompt = lines[..lines.len() / 2].concat();
            for dialect in [&Dialect::compact(), &tokens] {
                let text = dialect.respell(&canonical).expect("respells");
                let spelt_prompt = dialect.encode_prompt(&prompt).expect("a prompt").simpy;
                let continuation = text.strip_prefix(&spelt_prompt).expect("a prefix");
                for (prompt, text) in [("", text.as_str()), (prompt.as_str(), continuation)] {
                    let waiting = deltas(dialect, prompt, text, false);
                    let eager = deltas(dialect, prompt, text, true);
                    if let Some((w, e)) = waiting.iter().zip(&eager).find(|(w, e)| w != e) {
                        panic!(
                            "{} in {}, {} bytes of prompt: at byte {} emitted {:?}, reading at \
                             every byte: at byte {} {:?}",
                            path.display(),
                            dialect.name,
                            prompt.len(),
                            w.0,
                            w.1.as_ref().map(|d| d.lines().next()),
                            e.0,
                            e.1.as_ref().map(|d| d.lines().next())
                        );
                    }
                    assert_eq!(waiting.len(), eager.len(), "{}", path.display());
                    streamed += usize::from(waiting.iter().all(|d| d.1.is_ok()));
                }
            }
        }
        assert!(streamed > 80, "only {streamed} streams compared");
    }
}
