//! Streaming: the completion as the model's SimPy arrives, in chunks of any size.
//!
//! A scan of the arriving SimPy follows its structure (strings, comments, brackets, the
//! special tokens outside them) and knows when a simple statement is complete. Its Python is
//! then decoded in a small *window* and emitted, never to change:
//!
//! - the window is the SimPy that opens every block around the statement (each enclosing
//!   header, earlier clauses of the same compound statement stubbed), a stub standing for the
//!   statement emitted before it, and the new text; blocks are closed after it. The stub gives
//!   the printer what decides the blank lines and comments before the new text; what the stub
//!   prints is dropped. The first window is the prompt's own SimPy and the cursor marker, as in
//!   [`complete`](super::complete);
//! - text whose Python a later token can still change is held back: a `try` body until its
//!   first handler (`try:` alone is not Python), and an `else:` block whose only statement is an
//!   `if` (it prints as `elif`).
//!
//! Each byte is decoded in one window, so the work per chunk is bounded by the statements it
//! completes. At the end the rest is settled as `complete` does (a cut-off statement is
//! dropped). The first window is checked as `complete` checks its result (the prompt followed
//! by it parses to the tree decoded); the tests hold every stream to `complete`.

use super::complete::{
    cannot_follow, close_blocks, completable, continues_compound, decode_window, first_window,
    internal, marks, printed_after, starts_with_clause, After, CompleteOptions, Completion,
    CompletionError, Cursor, Dropped, Indents, StopRule,
};
use super::utf8::Utf8Chunks;
use crate::Error;
use simpy_ast::Special;
use simpy_python::literals::{string_body_end, string_body_resume, string_end};

/// What a window puts where the emitted text was: a name statement. Code may spell it too
/// (`decode_window` cuts at the last one the context holds); short, as every window parses it.
const STUB: &str = "S_";

/// A stream decoder: feed it the model's SimPy as it arrives, get Python deltas back.
///
/// ```
/// use simpy::{CompleteOptions, CompletionStream};
/// let prompt = "def add(a, b):\n    \"\"\"Add.\"\"\"\n";
/// let mut stream = CompletionStream::new(prompt, &CompleteOptions::default()).unwrap();
/// let mut python = String::new();
/// for byte in "<return>a+b<block_end><def_stmt>g<block_start><pass><block_end>".bytes() {
///     python += &stream.push(&[byte]).unwrap();
/// }
/// let (last, completion) = stream.finish().unwrap();
/// python += &last;
/// assert_eq!(python, "    return a + b\n");
/// assert_eq!(python, completion.python);
/// ```
pub struct CompletionStream {
    prompt: String,
    indents: Indents,
    /// Where the completion goes, and how the first window finds it.
    cursor: Cursor,
    options: CompleteOptions,
    /// Where the continuation begins in `full`: after the prompt's SimPy and the marker.
    head_len: usize,
    /// The head and the continuation as far as it has arrived (a leading `<line_sep>` removed,
    /// as `complete` removes it).
    full: String,
    /// Bytes of the continuation taken, and how many of them were that `<line_sep>`.
    taken: usize,
    stripped: usize,
    /// The continuation's first bytes, until it is known whether they are a `<line_sep>`.
    start_buffer: Option<String>,
    /// `full` may grow by bytes that take no step (`takes_without_a_step`) while it is shorter
    /// than this: set after each step from what the step left (0 once the stream has ended,
    /// while its first bytes may be a `<line_sep>` or a character is unfinished, and at the
    /// byte budget), so that such a byte pays for one comparison, not one for each.
    quick_below: usize,
    /// `full`'s length when the step before set `quick_below`: the bytes after it took no
    /// step, and are counted (`taken`, `utf8`) at the next.
    quick_from: usize,
    utf8: Utf8Chunks,
    scan: Scan,
    /// The last complete statement whose Python has not been emitted.
    ready: Option<Ready>,
    /// Where the next window's own text begins.
    pending: Pending,
    emitted: String,
    /// The Python emitted since the last push or `finish` returned: the delta it returns.
    delta: String,
    /// Set when the stop rule, the byte budget, `finish` or an error ends the stream; a
    /// completion here has no Python yet (it is `emitted`).
    ended: Option<Result<Completion, ()>>,
}

/// The structure of the SimPy scanned so far: the blocks open, the statement in progress.
struct Scan {
    at: usize,
    brackets: i32,
    /// An item (a comment, a string, a special token) is unfinished: only these bytes can end
    /// it (one byte twice where only one can).
    waiting_for: Option<[u8; 2]>,
    /// The string unfinished at the end: where it starts, and where in its body the scan goes
    /// on (`string_body_resume`), so that each quote in a long docstring does not scan it all.
    open_string: Option<(usize, usize)>,
    blocks: Vec<Block>,
    /// Blocks opened so far.
    opened: usize,
    statement: Statement,
    /// A `try` body has closed and no statement of its first handler is complete yet.
    awaiting_handler: bool,
    stop: StopRule,
    stop_at: Option<usize>,
    /// Statement boundaries in the continuation (where `complete` may cut it off).
    boundaries: Vec<usize>,
    /// The statement the last step completed.
    completed: Option<Ready>,
}

struct Block {
    /// Tells this block from one opened later at the same depth.
    serial: usize,
    /// SimPy that opens this block and every block around it.
    context: String,
    /// The compound statement last begun in this block, its finished blocks stubbed: what a
    /// clause of it (`else`, `except` …) goes after.
    skeleton: String,
    statements: usize,
    /// Its first statement starts a line of the SimPy text, which decides where comments at
    /// the block's end go (`Printer::body`): a window puts its stub at a line start too.
    first_at_line_start: bool,
    first_is_if: bool,
    else_block: bool,
    try_body: bool,
}

#[derive(Default)]
struct Statement {
    start: Option<usize>,
    code_end: usize,
    first: Option<Special>,
    /// Decorators, or `<async_keyword>`, so far: the statement goes on past separators.
    prefix_only: bool,
}

struct Ready {
    /// Just past the statement's code and a comment on its last line.
    end: usize,
    /// The outermost `else:` block around it that holds only an `if` so far: while it is
    /// open, its Python (`else: if` or `elif`) is not decided.
    in_lone_if_of: Option<usize>,
    code_end: usize,
    /// The window text that stands for everything before `code_end`.
    context: String,
    /// Where in `context` each block open there begins, outermost first (the module's at 0).
    block_starts: Vec<usize>,
}

impl Ready {
    /// Blocks open at `end`, the module's aside.
    fn open(&self) -> usize {
        self.block_starts.len() - 1
    }
}

struct Pending {
    code_end: usize,
    /// `None` until the first emission, whose window is the head itself.
    context: Option<String>,
    block_starts: Vec<usize>,
}

impl Block {
    fn new(serial: usize, context: String, first: Option<Special>) -> Block {
        Block {
            serial,
            context,
            skeleton: String::new(),
            statements: 0,
            first_at_line_start: false,
            first_is_if: false,
            else_block: first == Some(Special::ElseStmt),
            try_body: first == Some(Special::TryStmt),
        }
    }

    /// What goes before a window's first statement in this block.
    fn line_start(&self) -> &'static str {
        if self.first_at_line_start && !self.context.is_empty() {
            "#\n"
        } else {
            ""
        }
    }
}

impl CompletionStream {
    /// A stream completing `prompt` (Python cut at the cursor, at a line boundary).
    pub fn new(prompt: &str, options: &CompleteOptions) -> Result<Self, Box<CompletionError>> {
        Ok(Self::with_prompt(prompt, options)?.0)
    }

    /// [`new`](Self::new), and the prompt's SimPy as [`completable`] checked and encoded it.
    pub(super) fn with_prompt(
        prompt: &str,
        options: &CompleteOptions,
    ) -> Result<(Self, super::Prompt), Box<CompletionError>> {
        if options.stop == super::Stop::Paper {
            return Err(Box::new(CompletionError {
                error: internal(
                    "the paper's stop words need the whole continuation (its last \
                     `<block_end>`): use `complete`",
                ),
                kept: None,
            }));
        }
        let encoded = completable(prompt)?;
        let cursor = Cursor::of(prompt, &encoded);
        // Room for a few KB of continuation, which arrives a byte or a token at a time.
        let mut full = String::with_capacity(cursor.head.len() + 4096);
        full.push_str(&cursor.head);
        // Inside a line the continuation goes on with it: a `<line_sep>` stays.
        let start_buffer = cursor.typed.is_none().then(String::new);
        let head_len = full.len();
        let mut scan = Scan {
            at: 0,
            brackets: 0,
            waiting_for: None,
            open_string: None,
            blocks: vec![Block::new(0, String::new(), None)],
            opened: 0,
            statement: Statement::default(),
            awaiting_handler: false,
            stop: StopRule::new(&encoded, &cursor, options.stop),
            stop_at: None,
            boundaries: Vec::new(),
            completed: None,
        };
        // The head is scanned for its blocks; nothing in it is emitted.
        // (An unfinished line's string or token waits for the continuation.)
        while scan.step(&full, head_len, false) {}
        scan.completed = None;
        let mut stream = CompletionStream {
            prompt: prompt.to_owned(),
            indents: Indents::of(prompt),
            cursor,
            options: *options,
            head_len,
            full,
            taken: 0,
            stripped: 0,
            start_buffer,
            quick_below: 0,
            quick_from: 0,
            utf8: Utf8Chunks::default(),
            scan,
            ready: None,
            pending: Pending {
                code_end: head_len,
                context: None,
                block_starts: Vec::new(),
            },
            emitted: String::new(),
            delta: String::new(),
            ended: None,
        };
        stream.allow_quick_bytes();
        Ok((stream, encoded))
    }

    /// The Python emitted so far.
    pub fn python(&self) -> &str {
        &self.emitted
    }

    /// Whether the stop rule, the byte budget or an error has ended the stream: what is pushed
    /// after is ignored.
    pub fn is_done(&self) -> bool {
        self.ended.is_some()
    }

    /// Takes the next chunk of the continuation; returns the Python it makes final. On an
    /// error, `kept` holds all the Python emitted, also what this call could not return.
    // Inlined, so that a byte that takes the fast path costs no call.
    #[inline]
    pub fn push(&mut self, chunk: &[u8]) -> Result<String, Box<CompletionError>> {
        if self.takes_without_a_step(chunk) {
            return Ok(String::new());
        }
        self.step_chunk(chunk)
    }

    /// [`push`](Self::push) past its fast path: kept out of line, so that the byte that
    /// takes the fast path (most bytes, streamed one at a time) pays for no more than it.
    #[inline(never)]
    fn step_chunk(&mut self, chunk: &[u8]) -> Result<String, Box<CompletionError>> {
        if self.ended.is_some() {
            return Ok(String::new());
        }
        self.count_quick_bytes();
        let delta = self.take_chunk(chunk);
        self.allow_quick_bytes();
        delta
    }

    /// Where `full` may grow by bytes that take no step: see `quick_below`.
    fn allow_quick_bytes(&mut self) {
        let open = self.ended.is_none() && self.start_buffer.is_none() && !self.utf8.is_waiting();
        // The budget: a byte that takes no step leaves room for another (as `step_chunk`
        // settles the stream on the byte that reaches it).
        let room = self.options.max_bytes.map_or(usize::MAX, |max| {
            max.saturating_sub(self.taken).saturating_sub(1)
        });
        self.quick_below = if open {
            self.full.len().saturating_add(room)
        } else {
            0
        };
        self.quick_from = self.full.len();
    }

    /// Counts the bytes that took no step since the last one.
    fn count_quick_bytes(&mut self) {
        let quick = self.full.len() - self.quick_from;
        self.taken += quick;
        self.utf8.passed_ascii(quick);
        self.quick_from = self.full.len();
    }

    fn take_chunk(&mut self, chunk: &[u8]) -> Result<String, Box<CompletionError>> {
        let mut chunk = chunk;
        let mut budget_reached = false;
        if let Some(max) = self.options.max_bytes {
            let room = max.saturating_sub(self.taken);
            budget_reached = chunk.len() >= room;
            chunk = &chunk[..chunk.len().min(room)];
        }
        self.taken += chunk.len();
        let (text, not_utf8) = self.utf8.text(chunk);
        self.take_text(&text)?;
        if let Some(bad) = not_utf8.filter(|_| self.ended.is_none()) {
            return Err(self.cut_off_by(bad.error()));
        }
        if budget_reached && self.ended.is_none() {
            self.settle()?;
        }
        Ok(std::mem::take(&mut self.delta))
    }

    /// Takes `chunk` if it is one ASCII byte that decides nothing: inside a comment or string
    /// that it cannot end (most bytes of a docstring), or more code of the statement in
    /// progress (`Scan::passes_plain`). It is only kept, without a chunk's work.
    // Always inlined: on a long string or comment fed a byte at a time, a call here cost a
    // third of the stream.
    #[inline(always)]
    fn takes_without_a_step(&mut self, chunk: &[u8]) -> bool {
        let &[byte] = chunk else {
            return false;
        };
        if !byte.is_ascii() || self.full.len() >= self.quick_below {
            return false;
        }
        let taken = self.scan.passes(byte, self.full.as_bytes());
        if taken {
            self.full.push(char::from(byte));
        }
        taken
    }

    /// [`push`](Self::push) for text.
    pub fn push_str(&mut self, chunk: &str) -> Result<String, Box<CompletionError>> {
        self.push(chunk.as_bytes())
    }

    /// Ends the stream: the Python still to emit (a statement cut off at the end is dropped,
    /// as [`complete`](super::complete) does), and the whole completion.
    pub fn finish(mut self) -> Result<(String, Completion), Box<CompletionError>> {
        self.count_quick_bytes();
        if let Some(error) = self.utf8.unfinished().filter(|_| self.ended.is_none()) {
            return Err(self.cut_off_by(error));
        }
        if self.ended.is_none() {
            self.settle()?;
        }
        match self.ended {
            Some(Ok(mut completion)) => {
                completion.python = self.emitted;
                Ok((self.delta, completion))
            }
            _ => Err(Box::new(CompletionError {
                error: internal("the stream had already failed"),
                kept: Some(self.completion(self.used_before(self.pending.code_end))),
            })),
        }
    }

    fn take_text(&mut self, text: &str) -> Result<(), Box<CompletionError>> {
        let mut text = text;
        let joined;
        if let Some(mut start) = self.start_buffer.take() {
            start.push_str(text);
            let separator = Special::LineSep.text();
            if start.len() < separator.len() && separator.starts_with(start.as_str()) {
                self.start_buffer = Some(start);
                return Ok(());
            }
            if start.starts_with(separator) {
                self.stripped = separator.len();
                start.drain(..separator.len());
            }
            joined = start;
            text = &joined;
        }
        // A long comment or string ends only with a byte this chunk may not hold.
        let resumes = self
            .scan
            .waiting_for
            .is_none_or(|ends| text.bytes().any(|b| ends.contains(&b)));
        self.full.push_str(text);
        if resumes {
            self.run(false)?;
        }
        Ok(())
    }

    /// Scans what has arrived, emitting each statement it completes that nothing holds back.
    fn run(&mut self, last: bool) -> Result<(), Box<CompletionError>> {
        while self.scan.step(&self.full, self.head_len, last) {
            if let Some(stop) = self.scan.stop_at {
                self.full.truncate(stop);
                return self.settle();
            }
            if let Some(ready) = self.scan.completed.take() {
                self.ready = Some(ready);
            }
            if self.ready.as_ref().is_some_and(|r| !self.scan.holds(r)) {
                self.emit_ready()?;
            }
        }
        Ok(())
    }

    /// Emits the Python of the statements up to the last complete one.
    fn emit_ready(&mut self) -> Result<(), Box<CompletionError>> {
        let Some(ready) = self.ready.take() else {
            return Ok(());
        };
        match self.window(ready.end, Some(ready.open())) {
            Ok(python) => {
                self.emit(python);
                self.pending = Pending {
                    code_end: ready.code_end,
                    context: Some(ready.context),
                    block_starts: ready.block_starts,
                };
                self.scan.boundaries.retain(|&b| b > ready.code_end);
                Ok(())
            }
            Err((error, at)) => {
                let error = match at {
                    Some(at) => cannot_follow(error, self.continuation_offset(at)),
                    None => error,
                };
                Err(self.fail(error))
            }
        }
    }

    /// Adds a window's Python to what is emitted and to the delta returned next; the first
    /// of a delta is moved there, not copied (a docstring's Python may be most of a file).
    fn emit(&mut self, python: String) {
        self.emitted.push_str(&python);
        if self.delta.is_empty() {
            self.delta = python;
        } else {
            self.delta.push_str(&python);
        }
    }

    /// Ends the stream with `error`: all the Python emitted is kept.
    fn fail(&mut self, error: Error) -> Box<CompletionError> {
        let kept = self.emitted_so_far();
        self.ended = Some(Err(()));
        Box::new(CompletionError {
            error,
            kept: Some(kept),
        })
    }

    /// The completion of the Python emitted so far: what an error keeps.
    pub(super) fn emitted_so_far(&self) -> Completion {
        self.completion(self.used_before(self.pending.code_end))
    }

    /// Ends the stream at `error`, where input stops that cannot be read on (a byte that is
    /// not UTF-8): what came before is completed as a continuation cut off there, and kept.
    fn cut_off_by(&mut self, error: Error) -> Box<CompletionError> {
        match self.cut_off() {
            Ok(kept) => Box::new(CompletionError {
                error,
                kept: Some(kept),
            }),
            Err(earlier) => earlier,
        }
    }

    /// Ends the stream as if the continuation stopped here: its completion (or an error
    /// before here), for an error that ends it to keep.
    pub(super) fn cut_off(&mut self) -> Result<Completion, Box<CompletionError>> {
        // The stream ends here even where settling fails: no byte may be kept after it.
        self.quick_below = 0;
        self.settle()?;
        match self.ended.replace(Err(())) {
            Some(Ok(completion)) => Ok(Completion {
                python: self.emitted.clone(),
                ..completion
            }),
            _ => Ok(self.emitted_so_far()),
        }
    }

    /// The Python of the text from the last emitted statement to `end` (a position in
    /// `full`), as it goes after what was emitted; an error is located in `full` when it lies
    /// in that text. `open`: the blocks open at `end`, if known. The first window is checked
    /// as `complete` checks its result; later windows print pieces of the same tree with the
    /// same printer (the tests hold them to `complete`).
    fn window(&self, end: usize, open: Option<usize>) -> Result<String, (Error, Option<usize>)> {
        let from = self.pending.code_end;
        let region = &self.full[from..end];
        let located = |(e, at): (Error, Option<usize>)| (e, at.map(|at| at + from));
        match &self.pending.context {
            None => first_window(&self.prompt, &self.indents, &self.cursor, region, open)
                .map_err(located),
            Some(context) => {
                let block_starts = &self.pending.block_starts;
                let in_block = open
                    .and_then(|open| {
                        window_alone(context, block_starts, region, open)
                            .or_else(|| nested_window(context, block_starts, region, open))
                    })
                    .map(Ok);
                in_block
                    .unwrap_or_else(|| decode_window(context, region, open, After::Stub(STUB)))
                    .map(|printed| self.indents.apply(printed))
                    .map_err(located)
            }
        }
    }

    /// The end of the stream: the rest is decoded as `complete` decodes a whole continuation
    /// (back to its last complete statement if it was cut off) and the whole is checked.
    fn settle(&mut self) -> Result<(), Box<CompletionError>> {
        if let Some(start) = self.start_buffer.take() {
            self.full.push_str(&start);
        }
        if self.scan.stop_at.is_none() {
            self.run(true)?;
            if self.ended.is_some() {
                return Ok(());
            }
        }
        let end = self.full.len();
        // The scan has read all of it: the blocks open at its end are the scan's (a window
        // that is not told counts them again, from the start of its text).
        let open_at_end = (self.scan.at == end && self.scan.stop_at.is_none())
            .then(|| self.scan.blocks.len() - 1);
        let last_boundary = self
            .scan
            .boundaries
            .iter()
            .copied()
            .filter(|&b| b < end)
            .max()
            .unwrap_or(0);
        let mut candidates = vec![end];
        candidates.extend(
            self.scan
                .boundaries
                .iter()
                .rev()
                .copied()
                .filter(|&b| b < end && b > self.pending.code_end),
        );
        let mut first_error = None;
        let mut used = None;
        for candidate in candidates {
            let open = open_at_end.filter(|_| candidate == end);
            match self.window(candidate, open) {
                Ok(python) => {
                    self.emit(python);
                    used = Some(candidate);
                    break;
                }
                Err((e, Some(at))) if candidate == end && at < last_boundary => {
                    // Before the last statement, the continuation's mistake; in it, a cut-off.
                    first_error = Some(cannot_follow(e, self.continuation_offset(at)));
                }
                Err(_) => {}
            }
        }
        let used = match used {
            Some(end) => self.continuation_offset(end),
            None => self.used_before(self.pending.code_end),
        };
        if let Some(error) = first_error {
            self.ended = Some(Err(()));
            return Err(Box::new(CompletionError {
                error,
                kept: Some(self.completion(used)),
            }));
        }
        // Its Python is `emitted`, moved in by `finish` (a docstring's text is not copied
        // once more), copied by `cut_off`.
        self.ended = Some(Ok(self.outcome(used)));
        Ok(())
    }

    /// Where a position in `full` is in the continuation as it was pushed.
    fn continuation_offset(&self, at: usize) -> usize {
        at.saturating_sub(self.head_len) + self.stripped
    }

    /// The continuation's bytes before `at` (in `full`); none if nothing after the head.
    fn used_before(&self, at: usize) -> usize {
        if at > self.head_len {
            self.continuation_offset(at)
        } else {
            0
        }
    }

    /// The completion so far, having used `used` bytes of the continuation.
    fn completion(&self, used: usize) -> Completion {
        Completion {
            python: self.emitted.clone(),
            ..self.outcome(used)
        }
    }

    /// [`completion`](Self::completion) without its Python.
    fn outcome(&self, used: usize) -> Completion {
        let cut = self.continuation_offset(self.full.len());
        Completion {
            python: String::new(),
            used,
            stopped_at: self.scan.stop_at.map(|s| self.continuation_offset(s)),
            dropped: (used < cut).then(|| Dropped {
                at: used,
                bytes: cut - used,
            }),
        }
    }
}

impl Scan {
    /// Whether a later token can still change the Python of `ready`: a `try` body before its
    /// first handler (`try:` alone is not Python), an `else:` that holds only an `if` (printed
    /// `elif`) while it is open.
    fn holds(&self, ready: &Ready) -> bool {
        self.awaiting_handler
            || self
                .blocks
                .iter()
                .any(|b| b.try_body || ready.in_lone_if_of == Some(b.serial))
    }

    /// Scans `full` from where it stopped up to and including the next structural token;
    /// false when the text ends first or an item in it is unfinished (`last`: it will stay
    /// so). Positions before `head_len` are the prompt's: they feed no stop rule.
    fn step(&mut self, full: &str, head_len: usize, last: bool) -> bool {
        let bytes = full.as_bytes();
        self.waiting_for = None;
        while self.at < bytes.len() {
            let i = self.at;
            match bytes[i] {
                b'#' => match full[i..].find('\n') {
                    Some(p) => self.at = i + p + 1,
                    None if last => self.at = bytes.len(),
                    None => {
                        self.waiting_for = Some([b'\n'; 2]);
                        return false;
                    }
                },
                b'\'' | b'"' => {
                    let quote = bytes[i];
                    let available = &bytes[i..bytes.len().min(i + 3)];
                    if !last && available.len() < 3 && available.iter().all(|&b| b == quote) {
                        return false;
                    }
                    let triple = available == [quote; 3];
                    // Its fields may hold strings in its own quote (PEP 701): read whole
                    // each time, not resumed as a plain string is.
                    if super::lines::is_fstring(bytes, i) {
                        match string_end(bytes, i) {
                            Ok(end) => self.code(full, i, end, head_len),
                            Err(end) if end < bytes.len() => self.code(full, i, end, head_len),
                            Err(_) if last => self.code(full, i, bytes.len(), head_len),
                            Err(_) => {
                                // Only its quote can close it, a line break end it.
                                self.waiting_for = Some([quote, b'\n']);
                                return false;
                            }
                        }
                    } else {
                        let body = i + if triple { 3 } else { 1 };
                        let from = match self.open_string.take() {
                            Some((start, from)) if start == i => from,
                            _ => body,
                        };
                        match string_body_end(&bytes[from..], quote, triple).map_err(|n| from + n) {
                            Ok(n) => self.code(full, i, from + n, head_len),
                            // An unterminated one-line string: the decoder reports it.
                            Err(end) if !triple && end < bytes.len() => {
                                self.code(full, i, end, head_len)
                            }
                            Err(_) if last => self.code(full, i, bytes.len(), head_len),
                            Err(_) => {
                                let resume = from + string_body_resume(&bytes[from..], quote);
                                self.open_string = Some((i, resume));
                                // A one-line string also ends (unterminated) at a line break.
                                self.waiting_for = Some(match (quote, triple) {
                                    (_, true) => [quote; 2],
                                    (_, false) => [quote, b'\n'],
                                });
                                return false;
                            }
                        }
                    }
                }
                b'(' | b'[' | b'{' => {
                    self.brackets += 1;
                    self.code(full, i, i + 1, head_len);
                }
                b')' | b']' | b'}' => {
                    self.brackets = (self.brackets - 1).max(0);
                    self.code(full, i, i + 1, head_len);
                }
                b'<' if self.brackets == 0 => {
                    let window = &bytes[i..bytes.len().min(i + 32)];
                    let token = window
                        .iter()
                        .position(|&b| b == b'>')
                        .and_then(|p| Special::from_text(&full[i..=i + p]));
                    match token {
                        Some(t) if is_structural(t) => {
                            self.at = i + t.text().len();
                            self.mark(full, i, t, head_len);
                            return true;
                        }
                        Some(t) => self.code(full, i, i + t.text().len(), head_len),
                        None if !last && window.len() < 32 && !window.contains(&b'>') => {
                            // Only a `>` can make it a token (or show it is none).
                            self.waiting_for = Some([b'>'; 2]);
                            return false;
                        }
                        None => self.code(full, i, i + 1, head_len),
                    }
                }
                b if b.is_ascii_whitespace() => self.at += 1,
                _ => self.code(full, i, i + 1, head_len),
            }
            if self.stop_at.is_some() {
                return true;
            }
        }
        false
    }

    /// Passes `byte`, arriving after `full`, as `step` would, when that is all `step` would
    /// do: a byte that cannot end the item the scan waits for, a comment's `#` and the line
    /// break that ends it, a quote in a triple-quoted string that is not a third in a row,
    /// or a plain byte of code (`passes_plain`).
    #[inline(always)]
    fn passes(&mut self, byte: u8, full: &[u8]) -> bool {
        let at = full.len();
        match self.waiting_for {
            Some([end, other]) => byte != end && byte != other || self.passes_end(byte, full),
            None if byte == b'#' && self.at == at => {
                self.waiting_for = Some([b'\n'; 2]);
                true
            }
            None => self.passes_plain(byte, at),
        }
    }

    /// Passes a byte that the item the scan waits for may end at, arriving after `full`, when
    /// it does not end it: the line break that ends a comment is passed, the comment done
    /// (only a comment waits for a line break alone, and `step` waits at its `#`); a quote
    /// of a triple-quoted string (the only string that waits for its quote alone) is passed
    /// unless the two bytes before it in its body are that quote (escapes and all, `step`
    /// decides the third from the string's resume point). Kept out of line: the bytes before
    /// it pay nothing for it.
    #[cold]
    #[inline(never)]
    fn passes_end(&mut self, byte: u8, full: &[u8]) -> bool {
        let at = full.len();
        match self.waiting_for {
            Some([b'\n', b'\n']) => {
                self.at = at + 1;
                self.waiting_for = None;
                true
            }
            Some([quote, other]) if quote == other && matches!(quote, b'"' | b'\'') => {
                let Some((start, _)) = self.open_string else {
                    return false;
                };
                let body = start + 3;
                debug_assert_eq!(byte, quote);
                at < body + 2 || full[at - 2..at] != [quote; 2]
            }
            _ => false,
        }
    }

    /// [`passes`](Self::passes) outside an item: a space, or a byte of code that no item or
    /// token starts (no quote, `#`, bracket, `<` or `@`), after code of the statement in
    /// progress (so the stop rule has seen its code).
    #[inline]
    fn passes_plain(&mut self, byte: u8, at: usize) -> bool {
        let plain = !matches!(
            byte,
            b'<' | b'\'' | b'"' | b'#' | b'(' | b')' | b'[' | b']' | b'{' | b'}' | b'@'
        );
        let code_seen = self
            .statement
            .start
            .is_some_and(|start| self.statement.code_end > start);
        let passes = plain && code_seen && self.at == at && self.waiting_for.is_none();
        if passes {
            self.at += 1;
            if !byte.is_ascii_whitespace() {
                self.statement.code_end = self.at;
            }
        }
        passes
    }

    fn code(&mut self, full: &str, start: usize, end: usize, head_len: usize) {
        if start >= head_len {
            // (A decorator after the prompt's decorators goes on with their statement.)
            let decorator = (self.statement.start.is_none() || self.statement.prefix_only)
                && full.as_bytes()[start] == b'@';
            if let Some(stop) = self.stop.code(decorator) {
                self.stop_at = Some(stop);
                return;
            }
        }
        if self.statement.start.is_none() {
            self.begin(full[..start].ends_with('\n'), start, None);
            self.statement.prefix_only = full.as_bytes()[start] == b'@';
        }
        self.statement.code_end = end;
        self.at = end;
    }

    /// A structural token at `at`.
    fn mark(&mut self, full: &str, at: usize, token: Special, head_len: usize) {
        let end = at + token.text().len();
        let in_continuation = at >= head_len;
        if in_continuation {
            if let Some(stop) = self.stop.token(at, token) {
                // The statement in progress ends where the continuation does.
                self.complete(full, stop.min(at), head_len);
                self.stop_at = Some(stop);
                return;
            }
        }
        match token {
            Special::BlockStart => self.open(full, at, end),
            Special::BlockEnd => {
                self.complete(full, at, head_len);
                if self.blocks.len() > 1 {
                    let closed = self.blocks.pop().expect("more than one block");
                    self.awaiting_handler |= closed.try_body;
                    let parent = self.blocks.last_mut().expect("the module's block");
                    parent.skeleton.push_str(STUB);
                    parent.skeleton.push_str(token.text());
                }
                self.statement = Statement::default();
                if in_continuation {
                    self.boundaries.push(at);
                    self.boundaries.push(end);
                }
            }
            Special::LineSep => {
                if !self.statement.prefix_only {
                    self.complete(full, at, head_len);
                    self.statement = Statement::default();
                }
                if in_continuation {
                    self.boundaries.push(at);
                }
            }
            _ => {
                // A statement's own token, or a clause's; decorators and `<async_keyword>` go
                // on to the statement they are for.
                if self.statement.prefix_only {
                    self.statement.first = Some(token);
                } else {
                    self.complete(full, at, head_len);
                    if continues_compound(token) {
                        self.statement = Statement {
                            start: Some(at),
                            code_end: at,
                            first: Some(token),
                            prefix_only: false,
                        };
                    } else {
                        self.begin(full[..at].ends_with('\n'), at, Some(token));
                    }
                }
                self.statement.prefix_only = token == Special::AsyncKeyword;
                if in_continuation {
                    self.boundaries.push(at);
                }
            }
        }
    }

    /// A statement begins at `at` in the innermost block.
    fn begin(&mut self, at_line_start: bool, at: usize, first: Option<Special>) {
        let block = self.blocks.last_mut().expect("the module's block");
        block.statements += 1;
        if block.statements == 1 {
            block.first_at_line_start = at_line_start;
            block.first_is_if = first == Some(Special::IfStmt);
        }
        self.statement = Statement {
            start: Some(at),
            code_end: at,
            first,
            prefix_only: false,
        };
    }

    /// A header's `<block_start>` at `at`: its block opens.
    fn open(&mut self, full: &str, at: usize, end: usize) {
        let start = self.statement.start.unwrap_or(at);
        let first = self.statement.first;
        // Only the kind of a header matters to what its body prints; a short one of the same
        // kind parses faster in every window under it.
        let header = first.and_then(short_header).unwrap_or(&full[start..end]);
        let parent = self.blocks.last_mut().expect("the module's block");
        let line_start = parent.line_start();
        let context = if first.is_some_and(continues_compound) {
            // A clause after one of its own kind (the tenth `elif`) prints as after the
            // first: one stands for them all, or the windows under a long chain would grow.
            let same_before = format!("{header}{STUB}{}", Special::BlockEnd.text());
            if parent.skeleton.ends_with(&same_before) {
                let kept = parent.skeleton.len() - same_before.len();
                parent.skeleton.truncate(kept);
            }
            parent.skeleton.push_str(header);
            format!("{}{line_start}{}", parent.context, parent.skeleton)
        } else {
            // A statement stands for those before the header: an `else:` holding only an
            // `if` would print as `elif`.
            parent.skeleton = if parent.else_block && parent.statements > 1 {
                format!("{STUB}{}{header}", Special::LineSep.text())
            } else {
                header.to_owned()
            };
            format!("{}{line_start}{}", parent.context, parent.skeleton)
        };
        self.opened += 1;
        self.blocks.push(Block::new(self.opened, context, first));
        self.statement = Statement::default();
    }

    /// The statement in progress ends before the token at `at`.
    fn complete(&mut self, full: &str, at: usize, head_len: usize) {
        let Some(start) = self.statement.start else {
            return;
        };
        let code_end = self.statement.code_end.max(start);
        if self.statement.prefix_only || code_end <= start || code_end <= head_len {
            return;
        }
        // A comment on the statement's last line goes with it.
        let after = &full[code_end..at];
        let comment = after.trim_start_matches([' ', '\t']);
        let end = if comment.starts_with('#') {
            let line_end = comment.find('\n').map_or(comment.len(), |i| i + 1);
            code_end + (after.len() - comment.len()) + line_end
        } else {
            code_end
        };
        let block = self.blocks.last().expect("the module's block");
        let in_lone_if_of = self
            .blocks
            .iter()
            .find(|b| b.else_block && b.statements == 1 && b.first_is_if)
            .map(|b| b.serial);
        self.completed = Some(Ready {
            end,
            in_lone_if_of,
            code_end,
            context: format!("{}{}{STUB}", block.context, block.line_start()),
            block_starts: self.blocks.iter().map(|b| b.context.len()).collect(),
        });
        self.awaiting_handler = false;
    }
}

/// The window of `region` after `context` (whose blocks begin at `block_starts`; `open` blocks
/// open at the region's end) without the headers of the blocks the region stays in: from the
/// block its statement goes in (the stub's, or an outer one that its leading `<block_end>`s go
/// back to), parsed as statements that deep and printed so. It prints what the whole window
/// prints (held to it by every stream test: a difference shows as a stream that differs from
/// `complete`) and parses fewer tokens. `None` at the top level, where the two are one, and
/// where the text is refused (a region that leaves that block, say): the whole window decides.
fn nested_window(
    context: &str,
    block_starts: &[usize],
    region: &str,
    open: usize,
) -> Option<String> {
    // The blocks the region closes first, past comments (one may trail the stub's line).
    let mut rest = region.trim_start();
    let mut depth = block_starts.len().checked_sub(1)?;
    loop {
        if let Some(after) = rest.strip_prefix(Special::BlockEnd.text()) {
            depth = depth.checked_sub(1)?;
            rest = after.trim_start();
        } else if let Some(line_end) = rest.starts_with('#').then(|| rest.find('\n')).flatten() {
            rest = rest[line_end..].trim_start();
        } else {
            break;
        }
    }
    if depth == 0 {
        return None;
    }
    let stub_block = &context[block_starts[depth]..];
    let mut text = String::with_capacity(stub_block.len() + region.len() + 64);
    text.push_str(stub_block);
    text.push_str(region);
    close_blocks(&mut text, open.checked_sub(depth)?);
    // A block's header is one node or two (an `elif` is an `if` inside an `else`): twice the
    // depth refuses whatever the whole window would refuse as too deep.
    let levels = u32::try_from(2 * depth).ok()?;
    let parsed = simpy_grammar::parse_simpy_nested(&text, levels).ok()?;
    let python = simpy_codegen::print_python_nested(&parsed.module, &parsed.comments, depth);
    printed_after(stub_block, region, &python, After::Stub(STUB)).ok()
}

/// The Python of a region that starts a statement of its own (after a `<line_sep>`, or the
/// `<block_end>`s back to an outer block, or at a token that starts a statement), printed
/// alone as deep as it stands: the statement before it decides only the blank lines between
/// them, which the printer puts around definitions, and the context's SimPy says whether it
/// is one. Without the stub and the header of the block it was in, a window under a method
/// parses and prints about half as much (a method's short header alone costs as much as a
/// short docstring). `None` where more decides: a comment or a clause (`else`, `except` …)
/// first, text the parse refuses (the windows with the stub find the error and its place).
fn window_alone(
    context: &str,
    block_starts: &[usize],
    region: &str,
    open: usize,
) -> Option<String> {
    let innermost = block_starts.len().checked_sub(1)?;
    let mut rest = region
        .strip_prefix(Special::LineSep.text())
        .unwrap_or(region);
    let mut depth = innermost;
    if rest.len() == region.len() {
        while let Some(after) = rest.strip_prefix(Special::BlockEnd.text()) {
            depth = depth.checked_sub(1)?;
            rest = after;
        }
    }
    let closing = open.checked_sub(depth)?;
    // Only the ends of blocks (the stream's last `<block_end>`s and line breaks): Python
    // prints nothing for them, and a parse would cost as much as a short statement's.
    if closing == 0 && rest.bytes().all(|b| b.is_ascii_whitespace()) {
        return Some(String::new());
    }
    let token = rest
        .starts_with('<')
        .then(|| {
            rest.find('>')
                .and_then(|end| Special::from_text(&rest[..=end]))
        })
        .flatten();
    let starts_a_statement = match token {
        Some(token) => !is_structural(token) || token.starts_statement() && !is_clause(token),
        None => rest.starts_with(|c: char| !c.is_whitespace() && c != '#'),
    };
    if !starts_a_statement {
        return None;
    }
    // What the region leaves the statement before in: the stub (a simple statement), or the
    // compound statement on the context's path whose blocks it closed.
    let previous_is_definition = depth < innermost && {
        let block = &context[block_starts[depth]..];
        starts_a_definition(&block[last_statement_start(block)..])
    };
    // Blocks the statement opens are closed after it (a copy only then: a docstring
    // statement is its whole text).
    let closed;
    let text = if closing == 0 {
        rest
    } else {
        let mut text = String::with_capacity(rest.len() + 16 * closing + 2);
        text.push_str(rest);
        close_blocks(&mut text, closing);
        closed = text;
        &closed
    };
    let levels = u32::try_from(2 * depth).ok()?;
    let parsed = simpy_grammar::parse_simpy_nested(text, levels).ok()?;
    let first = parsed.module.body.first()?;
    let blank_lines = simpy_codegen::blank_lines_after(previous_is_definition, first, depth);
    let python = simpy_codegen::print_python_nested(&parsed.module, &parsed.comments, depth);
    Some(match blank_lines {
        0 => python,
        n => "\n".repeat(n) + &python,
    })
}

/// A token that goes on with the compound statement before it.
fn is_clause(token: Special) -> bool {
    continues_compound(token) || token == Special::CaseStmt
}

/// Where the last statement of SimPy text's outermost block starts (a window's context holds
/// stubs before the statement on its path: `S_<line_sep><def_stmt>f<block_start>S_`).
fn last_statement_start(simpy: &str) -> usize {
    let mut level = 0usize;
    let mut start = 0;
    for mark in marks(simpy) {
        match mark.token {
            Special::BlockStart => level += 1,
            Special::BlockEnd => {
                level = level.saturating_sub(1);
                let after = mark.at + Special::BlockEnd.text().len();
                if level == 0 && !starts_with_clause(&simpy[after..]) {
                    start = after;
                }
            }
            Special::LineSep if level == 0 => start = mark.at + Special::LineSep.text().len(),
            token if level == 0 && token.starts_statement() && !is_clause(token) => {
                start = mark.at;
            }
            _ => {}
        }
    }
    start
}

/// Whether SimPy text starts with a definition (`def`, `class`, a decorator), past the
/// comment lines a window's context may put first.
fn starts_a_definition(simpy: &str) -> bool {
    let mut rest = simpy.trim_start();
    while rest.starts_with('#') {
        rest = rest.find('\n').map_or("", |i| rest[i + 1..].trim_start());
    }
    let rest = rest
        .strip_prefix(Special::AsyncKeyword.text())
        .unwrap_or(rest);
    rest.starts_with('@')
        || rest.starts_with(Special::DefStmt.text())
        || rest.starts_with(Special::ClassStmt.text())
}

/// A header of the kind `first` opens, as short as SimPy spells one.
fn short_header(first: Special) -> Option<&'static str> {
    use Special::*;
    Some(match first {
        IfStmt => "<if_stmt>x<block_start>",
        ElifStmt => "<elif_stmt>x<block_start>",
        ElseStmt => "<else_stmt><block_start>",
        ForStmt => "<for_stmt>x x<block_start>",
        WhileStmt => "<while_stmt>x<block_start>",
        TryStmt => "<try_stmt><block_start>",
        ExceptStmt => "<except_stmt>x<block_start>",
        ExceptGroupStmt => "<except_group_stmt>x<block_start>",
        FinallyStmt => "<finally_stmt><block_start>",
        WithStmt => "<with_stmt>x<block_start>",
        MatchStmt => "<match_stmt>x<block_start>",
        // A value pattern: it makes no later case unreachable.
        CaseStmt => "<case_stmt>x.y<block_start>",
        DefStmt => "<def_stmt>f<block_start>",
        ClassStmt => "<class_stmt>C<block_start>",
        _ => return Option::None,
    })
}

/// Tokens that shape statements and blocks, as opposed to tokens inside an expression.
fn is_structural(token: Special) -> bool {
    matches!(
        token,
        Special::BlockStart | Special::BlockEnd | Special::LineSep
    ) || token.starts_statement()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_window_without_the_headers_around_it_prints_what_the_whole_window_prints() {
        let class = "<class_stmt>C<block_start>";
        let method = format!("{class}<def_stmt>f<block_start>");
        let context = format!("{method}{STUB}");
        let block_starts = [0, class.len(), method.len()];
        for (region, open) in [
            ("<line_sep>x=1", 2),
            ("<line_sep># a note\nx=f(a b)", 2),
            ("<line_sep><if_stmt>a<block_start>b", 3),
            ("<block_end><def_stmt>g self<block_start><return>1", 2),
            ("<block_end>x=2", 1),
            ("# trails the stub\n<block_end>x=3", 1),
        ] {
            let whole = decode_window(&context, region, Some(open), After::Stub(STUB)).unwrap();
            let nested = nested_window(&context, &block_starts, region, open);
            assert_eq!(nested.as_deref(), Some(whole.as_str()), "{region}");
        }
        // Back at the top level the two windows are one; a `<block_end>` too many is the
        // whole window's error to report.
        for (region, open) in [
            ("<block_end><block_end>x=1", 0),
            ("<line_sep>x=1<block_end><block_end><block_end>", 0),
        ] {
            assert_eq!(nested_window(&context, &block_starts, region, open), None);
        }
    }

    #[test]
    fn a_statement_printed_alone_prints_what_the_window_with_the_stub_prints() {
        // The stub's block holds a stub for statements before the one on the path, so the
        // statement a region's `<block_end>` leaves it after is the block's last.
        let class = "<class_stmt>C<block_start>";
        let after_a_stub = format!("{STUB}<line_sep><def_stmt>f<block_start>");
        for (block, definition) in [
            ("<def_stmt>f<block_start>", true),
            (after_a_stub.as_str(), true),
            ("@d<line_sep><async_keyword><def_stmt>f<block_start>", true),
            (
                "<def_stmt>f<block_start>S_<block_end><if_stmt>x<block_start>",
                false,
            ),
            ("<async_keyword><for_stmt>x x<block_start>", false),
            (
                "<try_stmt><block_start>S_<block_end><except_stmt><block_start>",
                false,
            ),
        ] {
            let context = format!("{class}{block}{STUB}");
            let block_starts = [0, class.len(), class.len() + block.len()];
            assert_eq!(
                starts_a_definition(&block[last_statement_start(block)..]),
                definition,
                "{block}"
            );
            for (region, open) in [
                ("<line_sep>x=1", 2),
                ("<def_stmt>g<block_start><pass>", 3),
                ("<block_end>x=2", 1),
                ("<block_end><def_stmt>g self<block_start><return>1", 2),
                ("<block_end>@d<line_sep><class_stmt>D<block_start><pass>", 2),
                ("<block_end><block_end>x=3", 0),
                (
                    "<block_end><block_end><class_stmt>D<block_start>'''doc'''",
                    1,
                ),
            ] {
                let whole = decode_window(&context, region, Some(open), After::Stub(STUB)).unwrap();
                let alone = window_alone(&context, &block_starts, region, open);
                assert_eq!(alone.as_deref(), Some(whole.as_str()), "{block} {region}");
            }
        }
        // Where the stub decides more than blank lines, the windows with it print.
        let context = format!("{class}<if_stmt>x<block_start>{STUB}");
        let block_starts = [
            0,
            class.len(),
            class.len() + "<if_stmt>x<block_start>".len(),
        ];
        for region in [
            "<block_end><else_stmt><block_start>x=1",
            "# a note\n<block_end>x=1",
            "<line_sep># a note\nx=1",
            "<block_end><block_end><block_end>x=1",
            " x=1",
        ] {
            assert_eq!(
                window_alone(&context, &block_starts, region, 2),
                None,
                "{region}"
            );
        }
    }
}
