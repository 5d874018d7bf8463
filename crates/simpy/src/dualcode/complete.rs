//! Completion: the Python to insert at the cursor for a model's SimPy continuation.
//!
//! The prompt's SimPy and the continuation (cut by the stop rule and, if it was cut off, back
//! to its last complete statement) are decoded together with a marker comment where the
//! prompt ends; the Python printed after the marker is the completion, indented as the
//! cursor's block is. The person's own text is never reprinted: an unfinished line they typed
//! is matched against the printed one and only the rest is returned. The result is checked:
//! the prompt followed by the completion parses to the decoded tree, or this is an error.

use super::prompt::encode_prompt;
use crate::{Error, ErrorKind};
use simpy_ast::{dump, Special, TextRange};

/// Where a completion stops.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Stop {
    /// Where the block open at the cursor closes: the `<block_end>` back past the cursor's
    /// depth (at the top level, the end of the statement).
    #[default]
    Block,
    /// Before the next top-level statement.
    TopLevel,
    /// Never: everything that decodes.
    None,
    /// The paper's harness, for comparison: the continuation up to its last `<block_end>`,
    /// cut at the first `<def_stmt>`, `<class_stmt>` or `@`; the Python cut at the first
    /// `\nif`, `\nprint` or `\nassert`. String searches, blind to structure (`complete`
    /// only: the last `<block_end>` needs the whole continuation).
    Paper,
}

/// The paper's cut of a continuation (SimPy side): where it ends.
fn paper_cut(cont: &str) -> usize {
    let last_block_end = cont
        .rfind(Special::BlockEnd.text())
        .map_or(0, |i| i + Special::BlockEnd.text().len());
    let kept = &cont[..last_block_end];
    [Special::DefStmt.text(), Special::ClassStmt.text(), "@"]
        .iter()
        .filter_map(|word| kept.find(word))
        .min()
        .unwrap_or(kept.len())
}

/// The paper's cut of the Python completion: where it ends.
fn paper_cut_python(python: &str) -> usize {
    ["\nif", "\nprint", "\nassert"]
        .iter()
        .filter_map(|word| python.find(word).map(|i| i + 1))
        .min()
        .unwrap_or(python.len())
}

#[derive(Clone, Copy, Debug, Default)]
pub struct CompleteOptions {
    pub stop: Stop,
    /// Use at most this many bytes of the continuation (a token budget, in bytes).
    pub max_bytes: Option<usize>,
}

/// The Python to insert at the cursor, and what of the continuation was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Completion {
    pub python: String,
    /// Bytes of the continuation the completion holds.
    pub used: usize,
    /// Where the stop rule ended the continuation, if it did (a byte offset in it).
    pub stopped_at: Option<usize>,
    /// A continuation cut off inside a statement: its last complete statement ends at `at`,
    /// and the `bytes` after it (up to the stop or the end) were dropped.
    pub dropped: Option<Dropped>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Dropped {
    pub at: usize,
    pub bytes: usize,
}

/// A continuation that cannot follow the prompt: the error (located in the continuation) and
/// what decoded before it.
#[derive(Debug)]
pub struct CompletionError {
    pub error: Error,
    pub kept: Option<Completion>,
}

impl std::fmt::Display for CompletionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.error.fmt(f)
    }
}

impl std::error::Error for CompletionError {}

const MARKER: &str = "# simpy-cursor-7f3a";

/// The Python to insert at the end of `prompt` (Python cut at the cursor) for a model's SimPy
/// `continuation` of `encode_prompt(prompt)`.
pub fn complete(
    prompt: &str,
    continuation: &str,
    options: &CompleteOptions,
) -> Result<Completion, Box<CompletionError>> {
    complete_encoded(prompt, &completable(prompt)?, continuation, options)
}

/// [`complete`] for a prompt already checked and encoded by [`completable`].
pub(crate) fn complete_encoded(
    prompt: &str,
    encoded: &super::Prompt,
    continuation: &str,
    options: &CompleteOptions,
) -> Result<Completion, Box<CompletionError>> {
    let cursor = Cursor::of(prompt, encoded);
    let indents = Indents::of(prompt);
    let simpy = &encoded.simpy;
    let mut cont = continuation;
    if let Some(max) = options.max_bytes.filter(|&m| m < cont.len()) {
        let mut end = max;
        while !cont.is_char_boundary(end) {
            end -= 1;
        }
        cont = &cont[..end];
    }
    let cont_marks = marks_after(&format!("{simpy}{cont}"), simpy.len());
    let stopped_at = match options.stop {
        Stop::Paper => Some(paper_cut(cont)).filter(|&cut| cut < cont.len()),
        _ => stop_point(
            cont,
            &cont_marks,
            &mut StopRule::new(encoded, &cursor, options.stop),
        ),
    };
    let cont = &cont[..stopped_at.unwrap_or(cont.len())];
    // The last complete statement: try the whole, then each statement boundary backwards.
    let boundaries = boundaries(&cont_marks);
    let last_boundary = boundaries
        .iter()
        .copied()
        .filter(|&b| b < cont.len())
        .max()
        .unwrap_or(0);
    let mut first_error = None;
    let mut candidates = vec![cont.len()];
    candidates.extend(boundaries.iter().rev().copied().filter(|&b| b < cont.len()));
    candidates.push(0);
    for end in candidates {
        match decode_with_marker(prompt, &indents, &cursor, &cont[..end]) {
            Ok(mut python) => {
                if options.stop == Stop::Paper {
                    python.truncate(paper_cut_python(&python));
                }
                let dropped = (end < cont.len()).then(|| Dropped {
                    at: end,
                    bytes: cont.len() - end,
                });
                let completion = Completion {
                    python,
                    used: end,
                    stopped_at,
                    dropped,
                };
                return match first_error {
                    // A real mistake, not a cut-off: an error, with what came before it.
                    Some(error) => Err(Box::new(CompletionError {
                        error,
                        kept: Some(completion),
                    })),
                    None => Ok(completion),
                };
            }
            // What this tool cannot do yet, whatever the continuation.
            Err((error, _)) if error.kind == ErrorKind::Limit => {
                return Err(Box::new(CompletionError { error, kept: None }));
            }
            Err((e, Some(at)))
                if first_error.is_none() && end == cont.len() && at < last_boundary =>
            {
                // An error before the continuation's last statement is the continuation's; in
                // that statement, or in the blocks closed after it, it was cut off.
                first_error = Some(cannot_follow(e, at));
            }
            Err(_) => {}
        }
    }
    // Not even the prompt alone decodes (a block it opens is still empty): nothing of the
    // continuation is complete, and all of it is dropped, as a stream drops it.
    let completion = Completion {
        python: String::new(),
        used: 0,
        stopped_at,
        dropped: (!cont.is_empty()).then_some(Dropped {
            at: 0,
            bytes: cont.len(),
        }),
    };
    match first_error {
        Some(error) => Err(Box::new(CompletionError {
            error,
            kept: Some(completion),
        })),
        None => Ok(completion),
    }
}

/// The prompt's SimPy, if a completion can follow it: the cursor at a line boundary, and every
/// line typed (comments aside) in the SimPy.
pub(crate) fn completable(prompt: &str) -> Result<super::Prompt, Box<CompletionError>> {
    let fail = |error| Box::new(CompletionError { error, kept: None });
    let encoded = encode_prompt(prompt).map_err(fail)?;
    let tail = super::lines::scan(prompt).tail;
    // At a line boundary in a `match` body, the SimPy already holds the next line's
    // `<case_stmt>`, which the marker the completion is found by cannot follow.
    if !encoded.inside_line && encoded.simpy.ends_with(Special::CaseStmt.text()) {
        return Err(fail(limit(
            "completion at the start of a line in a `match` body, before its `case`, is not \
             supported yet: end the prompt after `case`",
        )));
    }
    if prompt[tail..].trim_start().starts_with('@') {
        return Err(fail(limit(
            "completion inside an unfinished decorator is not supported yet: end the prompt \
             before it or after its line",
        )));
    }
    // Lines typed but not in the SimPy yet (an `else:` holding one `if` may still become
    // `elif`): the model would write them again.
    // (An unfinished line may be left out: the continuation goes on from its SimPy.)
    // (No complete line, nothing beyond: `decode --stream` has an empty prompt, and an encode
    // costs a stream of a small file a tenth of its work, a parser made for nothing.)
    let typed_beyond = in_lone_if_of_else(prompt)
        || tail > 0
            && crate::encode(&prompt[..tail]).is_ok_and(|whole| {
                let mut whole = whole.trim_end();
                while let Some(w) = whole.strip_suffix(Special::BlockEnd.text()) {
                    whole = w;
                }
                // The SimPy holds the complete lines, and some of the unfinished one perhaps.
                if encoded.simpy.starts_with(whole) {
                    return false;
                }
                let rest = whole.strip_prefix(encoded.simpy.as_str()).unwrap_or(whole);
                let rest = rest
                    .replace(Special::BlockEnd.text(), " ")
                    .replace(Special::LineSep.text(), " ");
                super::lines::has_code(rest.as_bytes())
            });
    if typed_beyond {
        return Err(fail(limit(
            "the prompt's last lines are not in its SimPy yet (an `else:` holding one `if` may \
             still become `elif`): a completion would write them again; end the prompt a line \
             later or before the `else:`",
        )));
    }
    Ok(encoded)
}

/// Whether the cursor is inside an `else:` block whose only statement so far is an `if`: its
/// SimPy (`<else_stmt>` with an `<if_stmt>`, or `<elif_stmt>`) waits for what follows.
fn in_lone_if_of_else(prompt: &str) -> bool {
    let lines: Vec<_> = super::lines::scan(prompt)
        .lines
        .into_iter()
        .filter(|l| l.code)
        .collect();
    let mut innermost = usize::MAX;
    for (i, line) in lines.iter().enumerate().rev() {
        // Every line after it is deeper: a header of a block the cursor is in.
        if line.indent >= innermost {
            continue;
        }
        innermost = line.indent;
        if line.opens_block && line.first_word(prompt) == "else" {
            let Some(first) = lines.get(i + 1) else {
                continue;
            };
            let statements = lines[i + 1..]
                .iter()
                .filter(|l| l.indent == first.indent)
                .filter(|l| !matches!(l.first_word(prompt), "elif" | "else" | "except" | "finally"))
                .count();
            if first.first_word(prompt) == "if" && statements == 1 {
                return true;
            }
        }
    }
    false
}

pub(super) fn internal(message: &str) -> Error {
    Error {
        kind: ErrorKind::Internal,
        range: Default::default(),
        location: simpy_ast::LineCol { line: 1, col: 1 },
        line_text: String::new(),
        message: message.to_owned(),
        hint: None,
    }
}

/// What this tool cannot do yet, whatever the continuation.
fn limit(message: &str) -> Error {
    Error {
        kind: ErrorKind::Limit,
        ..internal(message)
    }
}

/// A decoding error at byte `at` of the continuation: the continuation's mistake.
pub(super) fn cannot_follow(mut error: Error, at: usize) -> Error {
    error.message = format!("{} {}", cannot_follow_at(at), error.message);
    error.range = TextRange::new(at as u32, (at + error.range.len() as usize) as u32);
    error
}

fn cannot_follow_at(at: usize) -> String {
    format!("the continuation cannot follow the prompt at byte {at} of it:")
}

/// An error's message with the offset [`cannot_follow`] put in it moved from `from` to `to`
/// (the same place in a dialect's text).
pub(super) fn restated(message: &str, from: usize, to: usize) -> String {
    match message.strip_prefix(&cannot_follow_at(from)) {
        Some(rest) => format!("{}{rest}", cannot_follow_at(to)),
        None => message.to_owned(),
    }
}

/// Decodes the prompt's SimPy and `cont` with a marker comment at the cursor, and returns the
/// Python that goes at the end of `prompt`; or the error and, if it lies inside `cont`, where.
fn decode_with_marker(
    prompt: &str,
    indents: &Indents,
    cursor: &Cursor,
    cont: &str,
) -> Result<String, (Error, Option<usize>)> {
    let cont_rest = match cursor.typed {
        None => cont.strip_prefix(Special::LineSep.text()).unwrap_or(cont),
        Some(_) => cont,
    };
    first_window(prompt, indents, cursor, cont_rest, None)
        .map_err(|(e, at)| (e, at.map(|at| at + (cont.len() - cont_rest.len()))))
}

/// The completion `cont_rest` (the continuation, a leading `<line_sep>` removed) gives after
/// the prompt's head, checked: the prompt followed by it parses to the tree decoded. `open`:
/// the blocks open at its end, if known.
pub(super) fn first_window(
    prompt: &str,
    indents: &Indents,
    cursor: &Cursor,
    cont_rest: &str,
    open: Option<usize>,
) -> Result<String, (Error, Option<usize>)> {
    let printed = decode_window(&cursor.head, cont_rest, open, cursor.after)?;
    let completion = cursor
        .completion(prompt, indents, &printed)
        .map_err(|e| (e, None))?;
    verify(prompt, &completion, &format!("{}{cont_rest}", cursor.head)).map_err(|e| (e, None))?;
    Ok(completion)
}

/// Where the completion goes in the prompt's SimPy, and how it is found in what decodes.
pub(super) struct Cursor {
    /// The prompt's SimPy with the marker comment: at its end when the cursor is at a line
    /// boundary; before the statement of the unfinished line when it is inside one.
    pub head: String,
    pub after: After,
    /// Inside a line: the logical line typed so far, which the printed one starts with.
    pub typed: Option<String>,
    /// Inside a line whose statement is in the prompt's SimPy already (in part): the
    /// continuation goes on with it. When none of the line is (`ab`, which may yet become a
    /// keyword), the continuation starts before it, with the `<line_sep>` after the statement
    /// before, as at a line boundary.
    pub line_begun: bool,
    /// At a line boundary: the prompt ends on a blank line a backslash joins to the next,
    /// which the completion must end before any code (` \` then `x` is `x` indented) and
    /// before the file does.
    pub joined_blank: bool,
}

impl Cursor {
    pub fn of(python: &str, prompt: &super::Prompt) -> Cursor {
        let tail = super::lines::scan(python).tail;
        if !prompt.inside_line {
            return Cursor {
                head: head(&prompt.simpy),
                after: After::first_window(python, prompt),
                typed: None,
                line_begun: false,
                joined_blank: super::lines::joined_blank(&python[tail..]),
            };
        }
        let typed = Some(python[tail..].to_owned());
        // Nothing of the unfinished line in the SimPy yet: the marker goes at its end.
        let lines_before = encode_prompt(&python[..tail]).map(|p| p.simpy);
        // (A statement's token that is already determined, as `<case_stmt>` in a `match` or
        // the `<async_keyword>` of `async de`, is the unfinished line's: the marker goes
        // before it, as below.)
        let ends_in_statement_token = marks(&prompt.simpy).last().is_some_and(|m| {
            (m.token.starts_statement() || m.token == Special::AsyncKeyword)
                && m.at + m.token.text().len() == prompt.simpy.len()
        });
        if lines_before.as_deref() == Ok(prompt.simpy.as_str()) && !ends_in_statement_token {
            return Cursor {
                head: head(&prompt.simpy),
                after: After::Marker {
                    // (`@d` then `c`, which may yet be `class`: the header is the line's.)
                    decorated: ends_in_decorators(&prompt.simpy),
                    header_typed: false,
                    clause: false,
                },
                typed,
                line_begun: false,
                joined_blank: false,
            };
        }
        // The unfinished line's statement starts after the last statement boundary.
        let simpy = &prompt.simpy;
        let start = marks(simpy)
            .iter()
            .filter_map(|m| match m.token {
                // A header typed whole (`if x:` with no line break yet) is the line's own.
                Special::BlockStart
                    if m.at + m.token.text().len() == simpy.len()
                        && python.trim_end().ends_with(':') =>
                {
                    None
                }
                Special::LineSep | Special::BlockStart | Special::BlockEnd => {
                    Some(m.at + m.token.text().len())
                }
                t if t.starts_statement() => Some(m.at),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        // `async` belongs to the statement its token follows.
        let async_token = Special::AsyncKeyword.text();
        let start = start
            - if simpy[..start].ends_with(async_token) {
                async_token.len()
            } else {
                0
            };
        let line = &simpy[start..];
        let clause = starts_with_clause(line);
        Cursor {
            head: format!("{}{line}", head(&simpy[..start])),
            after: After::Marker {
                decorated: ends_in_decorators(&simpy[..start]),
                header_typed: false,
                clause,
            },
            typed,
            line_begun: true,
            joined_blank: false,
        }
    }

    /// The completion in the Python printed after the marker (`printed`).
    pub fn completion(
        &self,
        prompt: &str,
        indents: &Indents,
        printed: &str,
    ) -> Result<String, Error> {
        let mut piece = indents.apply(printed.to_owned());
        match &self.typed {
            None => {
                // The cursor at the end of a line that has no line break yet, or on a blank
                // line joined to the next (`joined_blank`).
                if self.joined_blank
                    || !prompt.is_empty() && !prompt.ends_with('\n') && !piece.is_empty()
                {
                    piece.insert(0, '\n');
                }
                Ok(piece)
            }
            Some(typed) => match line_up(typed, &piece) {
                Some(cut) => Ok(piece.split_off(cut)),
                None => Err(limit(&format!(
                    "the completed line does not start with the line typed: `{}` is printed `{}`",
                    typed.trim(),
                    piece.lines().next().unwrap_or_default().trim()
                ))),
            },
        }
    }
}

/// Where `typed` ends in `printed` when both are read without the whitespace between tokens
/// (the printer spaces a line its own way; inside strings every character counts); `None` if
/// `printed` does not go on from `typed`.
fn line_up(typed: &str, printed: &str) -> Option<usize> {
    let (t, p) = (typed.as_bytes(), printed.as_bytes());
    let skip = |text: &[u8], mut i: usize| {
        while i < text.len() {
            match text[i] {
                b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => i += 1,
                b'\\' if matches!(text.get(i + 1), Some(b'\n' | b'\r')) => i += 2,
                _ => break,
            }
        }
        i
    };
    // The quote of the string being read, and whether it is tripled.
    let mut string: Option<(u8, bool)> = None;
    let (mut i, mut j) = (skip(t, 0), skip(p, 0));
    while i < t.len() {
        if j >= p.len() || t[i] != p[j] {
            return None;
        }
        let byte = t[i];
        // How many bytes both sides take as they are, or 0 for one compared above.
        let exact = match string {
            None if byte == b'\'' || byte == b'"' => {
                let triple = t.get(i..i + 3) == Some(&[byte; 3][..]);
                string = Some((byte, triple));
                if triple {
                    3
                } else {
                    1
                }
            }
            // An escape and what it escapes.
            Some(_) if byte == b'\\' => 2.min(t.len() - i),
            Some((quote, triple)) if byte == quote => {
                let len = if triple { 3 } else { 1 };
                if t.get(i..i + len)
                    .is_some_and(|q| q.iter().all(|&b| b == quote))
                {
                    string = None;
                    len
                } else {
                    1
                }
            }
            Some(_) => 1,
            None => 0,
        };
        if exact == 0 {
            i = skip(t, i + 1);
            j = skip(p, j + 1);
            continue;
        }
        if t.get(i..i + exact) != p.get(j..j + exact) {
            return None;
        }
        i += exact;
        j += exact;
        if string.is_none() {
            i = skip(t, i);
            j = skip(p, j);
        }
    }
    if string.is_some() {
        return Some(j);
    }
    // After a typed space, the printed text goes on from its next word; else right after
    // the last character typed.
    let last_matched = p[..j].iter().rposition(|b| !b.is_ascii_whitespace());
    let mut cut = last_matched.map_or(0, |k| k + 1);
    if typed.ends_with([' ', '\t']) {
        while cut < p.len() && matches!(p[cut], b' ' | b'\t') {
            cut += 1;
        }
    }
    Some(cut)
}

/// The text a completion's SimPy goes after: the prompt's SimPy and the marker comment, on its
/// own line (after a `<line_sep>` where code ends).
fn head(simpy: &str) -> String {
    let separator = if super::prompt::ends_open(simpy) {
        Special::LineSep.text()
    } else {
        ""
    };
    format!("{simpy}{separator}{MARKER}\n")
}

/// Where a window's own Python begins in what it prints.
#[derive(Clone, Copy)]
pub(super) enum After {
    /// After the marker comment's line; `decorated`: the context ends in decorators, and the
    /// printer puts the marker inside the body of the definition they decorate, whose header
    /// (the logical line before the marker) is the completion's first. So it is for a
    /// continuation that begins with a clause, unless its header was typed (`header_typed`:
    /// the prompt ends in a header left out of its SimPy).
    /// `clause`: the text after the marker starts with a clause of a statement before it.
    Marker {
        decorated: bool,
        header_typed: bool,
        clause: bool,
    },
    /// After the line of the last `stub` statement.
    Stub(&'static str),
}

impl After {
    /// How the completion's start is found after the prompt's SimPy.
    pub fn first_window(python: &str, prompt: &super::Prompt) -> After {
        // The prompt's last line is a header (`else:`) its SimPy does not hold yet.
        let last_opens_block = super::lines::scan(python)
            .lines
            .iter()
            .rev()
            .find(|l| l.code)
            .is_some_and(|l| l.opens_block);
        After::Marker {
            clause: false,
            decorated: ends_in_decorators(&prompt.simpy),
            header_typed: last_opens_block
                && !prompt
                    .simpy
                    .trim_end()
                    .ends_with(Special::BlockStart.text()),
        }
    }
}

/// Decodes `context` followed by `region` (the `open` blocks still open closed: counted if
/// not given), and returns the Python
/// printed after the context: after the marker or the stub the context ends with. An error is
/// located in `region` when it lies there.
pub(super) fn decode_window(
    context: &str,
    region: &str,
    open: Option<usize>,
    after: After,
) -> Result<String, (Error, Option<usize>)> {
    let mut text = String::with_capacity(context.len() + region.len() + 64);
    text.push_str(context);
    text.push_str(region);
    let body_len = text.len();
    let open = open.unwrap_or_else(|| open_blocks(&text));
    close_blocks(&mut text, open);
    let decoded = crate::decode(&text).map_err(|e| {
        let at = e.range.start as usize;
        let inside = (context.len()..body_len)
            .contains(&at)
            .then(|| at - context.len());
        (e, inside)
    })?;
    printed_after(context, region, &decoded, after)
}

/// The Python of `region` in `decoded`, the Python of `context` and `region`: what prints
/// after the marker or the stub that `context` ends with.
pub(super) fn printed_after(
    context: &str,
    region: &str,
    decoded: &str,
    after: After,
) -> Result<String, (Error, Option<usize>)> {
    // The context ends in the marker or the stub, and may spell it before (a prompt's string,
    // an emitted name): its printed Python holds as many, in the same order.
    let ends_in = match after {
        After::Marker { .. } => MARKER,
        After::Stub(stub) => stub,
    };
    let nth = context.matches(ends_in).count();
    let cut = nth
        .checked_sub(1)
        .and_then(|n| decoded.match_indices(ends_in).nth(n))
        .map(|(at, _)| at);
    let Some(cut) = cut else {
        return Err((internal("the cursor marker was lost"), None));
    };
    let rest = &decoded[cut..];
    let line_end = cut + rest.find('\n').map_or(rest.len(), |i| i + 1);
    let line_start = decoded[..cut].rfind('\n').map_or(0, |i| i + 1);
    match after {
        After::Marker {
            header_typed: true, ..
        } if past_block_ends(region).starts_with(Special::ElifStmt.text()) => {
            let error = limit(
                "the continuation writes `elif` after the `else:` typed at the end of the prompt \
                 (SimPy's spelling of `else:` holding one `if`): not supported yet",
            );
            Err((error, Some(0)))
        }
        // A clause of a statement of the prompt (`<block_end><else_stmt>…`) puts the marker at
        // the start of its body, as decorators do.
        After::Marker {
            decorated,
            header_typed,
            clause,
        } if decorated || clause || (!header_typed && starts_with_clause(region)) => {
            // The marker went into the body of a header the completion writes: that header
            // (the logical line before the marker) is the completion's first.
            let before = super::lines::scan(&decoded[..line_start]);
            match before.lines.iter().rev().find(|l| l.code) {
                Some(header) if header.opens_block => Ok(format!(
                    "{}{}",
                    &decoded[header.start..line_start],
                    &decoded[line_end..]
                )),
                _ => Ok(decoded[line_end..].to_owned()),
            }
        }
        _ => Ok(decoded[line_end..].to_owned()),
    }
}

/// SimPy text past the `<block_end>`s it starts with.
fn past_block_ends(simpy: &str) -> &str {
    let mut rest = simpy.trim_start();
    while let Some(r) = rest.strip_prefix(Special::BlockEnd.text()) {
        rest = r.trim_start();
    }
    rest
}

/// Whether SimPy text, past the blocks it closes, starts with a clause (`<else_stmt>` …) of
/// the compound statement before it.
pub(super) fn starts_with_clause(simpy: &str) -> bool {
    let rest = past_block_ends(simpy);
    Special::ALL
        .iter()
        .any(|t| continues_compound(*t) && rest.starts_with(t.text()))
}

/// Whether SimPy ends in decorators, waiting for the definition they decorate.
fn ends_in_decorators(simpy: &str) -> bool {
    let last = marks(simpy)
        .iter()
        .rev()
        .find(|m| {
            m.token == Special::LineSep
                || m.token.starts_statement()
                || matches!(m.token, Special::BlockStart | Special::BlockEnd)
        })
        .map_or(0, |m| m.at + m.token.text().len());
    let bytes = simpy.as_bytes();
    let mut i = last;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => i = super::lines::comment_end(bytes, i),
            b if b.is_ascii_whitespace() => i += 1,
            b => return b == b'@',
        }
    }
    false
}

/// Checks that the prompt followed by the completion means what the SimPy `whole` (the head
/// and the continuation used) decodes to. With no prompt there is no seam to check: the
/// completion is what `decode` prints, which `decode` does not check either.
fn verify(prompt: &str, completion: &str, whole: &str) -> Result<(), Error> {
    if prompt.is_empty() {
        return Ok(());
    }
    let glued = format!("{prompt}{completion}");
    let check = crate::parse_str(&glued).map_err(|_| {
        internal("the completion does not fit after the prompt (its last line may be unfinished)")
    })?;
    let mut closed = whole.to_owned();
    close_blocks(&mut closed, open_blocks(whole));
    let want = crate::parse_simpy(&closed).map_err(|e| internal(&e.to_string()))?;
    if dump(&check.module) != dump(&want.module) {
        return Err(internal("the completion does not fit after the prompt"));
    }
    Ok(())
}

/// `text` closed by `open` `<block_end>`s. The spaces and line breaks that end it go first: a
/// model's text often ends in a line break, which `decode` reads as the end of the input, but
/// before more text it would be a mistake. A comment at its end is then ended by a line break,
/// or it would run on over the `<block_end>`s.
pub(super) fn close_blocks(text: &mut String, open: usize) {
    if open == 0 {
        return;
    }
    text.truncate(text.trim_end_matches([' ', '\t', '\n', '\r', '\x0c']).len());
    if ends_in_comment(text) {
        text.push('\n');
    }
    for _ in 0..open {
        text.push_str(Special::BlockEnd.text());
    }
}

/// Whether SimPy text ends inside a comment (scanned only when its last line has a `#`).
fn ends_in_comment(text: &str) -> bool {
    let last_line = text.rfind(['\n', '\r']).map_or(text, |i| &text[i..]);
    last_line.contains('#') && super::lines::scan(text).open.comment
}

/// The indentation of the prompt's blocks, outermost first: the printed Python's level `k`
/// (4k spaces) becomes the indentation of the prompt's `k`-th open block; deeper levels add
/// four spaces.
pub(super) struct Indents(Vec<String>);

impl Indents {
    pub fn of(prompt: &str) -> Indents {
        let mut levels: Vec<String> = vec![String::new()];
        let scanned = super::lines::scan(prompt);
        // Logical lines: a string's or a bracket's continuation lines are not blocks. An
        // unfinished last line is indented as its block is.
        let tail = &prompt[scanned.tail..];
        // (A comment is no code: its indentation is not its block's.)
        let unfinished =
            super::lines::unfinished_code(tail).then(|| &tail[super::lines::indentation(tail)]);
        let indents = scanned
            .lines
            .iter()
            .filter(|l| l.code)
            .map(|l| l.indentation(prompt))
            .chain(unfinished);
        for indent in indents {
            while levels.last().is_some_and(|l| l.len() > indent.len()) {
                levels.pop();
            }
            if levels.last().is_some_and(|l| l.len() < indent.len()) {
                levels.push(indent.to_owned());
            }
        }
        Indents(levels)
    }

    /// The printed Python re-indented to the prompt's blocks.
    pub fn apply(&self, printed: String) -> String {
        let levels = &self.0;
        // A prompt indented four spaces a level, as the printer indents: nothing to change.
        if levels
            .iter()
            .enumerate()
            .all(|(k, l)| l.len() == 4 * k && !l.contains('\t'))
        {
            return printed;
        }
        let indent_of = |level: usize| match levels.get(level) {
            Some(i) => i.clone(),
            None => format!(
                "{}{}",
                levels.last().cloned().unwrap_or_default(),
                "    ".repeat(level + 1 - levels.len())
            ),
        };
        // Only a logical line's first physical line is indentation; string bodies are kept.
        let mut out = String::with_capacity(printed.len());
        let scanned = super::lines::scan(&printed);
        let mut starts: Vec<usize> = scanned.lines.iter().map(|l| l.start).collect();
        if scanned.tail < printed.len() {
            starts.push(scanned.tail);
        }
        let mut at = 0;
        for start in starts {
            out.push_str(&printed[at..start]);
            let line = &printed[start..];
            let spaces = line.len() - line.trim_start_matches(' ').len();
            out.push_str(&indent_of(spaces / 4));
            at = start + spaces;
        }
        out.push_str(&printed[at..]);
        out
    }
}

/// A special token of SimPy outside strings, comments and brackets, and the first byte of the
/// code before it since the last one, if any (`@`: a decorator).
pub(super) struct Mark {
    pub(super) at: usize,
    pub(super) token: Special,
    code_before: Option<u8>,
}

/// SimPy's structure: its special tokens outside strings, comments and brackets.
pub(super) fn marks(text: &str) -> Vec<Mark> {
    marks_after(text, 0)
}

/// The marks of `text[from..]`, located in it, found by scanning `text` from its start: a
/// continuation may begin inside the prompt's string or comment. Code before `from` does not
/// count, as the stop rule is told only the continuation's.
fn marks_after(text: &str, from: usize) -> Vec<Mark> {
    let bytes = text.as_bytes();
    let mut marks = Vec::new();
    let (mut brackets, mut code, mut i) = (0i32, None, 0);
    let mut reached = from == 0;
    while i < bytes.len() {
        if !reached && i >= from {
            reached = true;
            code = None;
        }
        match bytes[i] {
            b'#' => {
                i = super::lines::comment_end(bytes, i);
                continue;
            }
            b'\'' | b'"' => {
                code = code.or(Some(bytes[i]));
                i = super::lines::string_end(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => {
                // A statement may start with a bracket (`[a, b] = c`, `(yield)`).
                code = code.or(Some(bytes[i]));
                brackets += 1;
            }
            b')' | b']' | b'}' => brackets = (brackets - 1).max(0),
            b'<' if brackets == 0 => {
                let token = bytes[i..]
                    .iter()
                    .take(32)
                    .position(|&b| b == b'>')
                    .and_then(|len| Special::from_text(&text[i..=i + len]));
                if let Some(token) = token.filter(|_| reached) {
                    marks.push(Mark {
                        at: i - from,
                        token,
                        code_before: code,
                    });
                    code = None;
                    i += token.text().len();
                    continue;
                }
            }
            b if !b.is_ascii_whitespace() => code = code.or(Some(b)),
            _ => {}
        }
        i += 1;
    }
    marks
}

/// The offsets where a statement of SimPy text may end: before `<line_sep>`, a statement's
/// own token or `<block_end>`, and after `<block_end>`.
fn boundaries(marks: &[Mark]) -> Vec<usize> {
    let mut boundaries = Vec::new();
    for m in marks {
        match m.token {
            Special::BlockEnd => {
                boundaries.push(m.at);
                boundaries.push(m.at + m.token.text().len());
            }
            t if t == Special::LineSep || t.starts_statement() => boundaries.push(m.at),
            _ => {}
        }
    }
    boundaries
}

/// For each block open at the end of `text`, outermost first, whether it is a `try` body: a
/// body that cannot end the code before its handler.
fn open_try_bodies(text: &str) -> Vec<bool> {
    let mut open = Vec::new();
    let mut header = None;
    for m in marks(text) {
        match m.token {
            Special::BlockStart => open.push(header.take() == Some(Special::TryStmt)),
            Special::BlockEnd => {
                open.pop();
            }
            t if t.starts_statement() => header = Some(t),
            _ => {}
        }
    }
    open
}

/// How many blocks SimPy text leaves open.
pub(super) fn open_blocks(text: &str) -> usize {
    open_try_bodies(text).len()
}

/// Tokens that go on a compound statement rather than start one.
fn is_clause(token: Special) -> bool {
    token == Special::CaseStmt || continues_compound(token)
}

/// Clauses that continue the compound statement before them (a `case` is one of its `match`).
pub(super) fn continues_compound(token: Special) -> bool {
    matches!(
        token,
        Special::ElifStmt
            | Special::ElseStmt
            | Special::ExceptStmt
            | Special::ExceptGroupStmt
            | Special::FinallyStmt
    )
}

/// Where the stop rule ends the continuation (its marks given), if anywhere before its end.
fn stop_point(cont: &str, marks: &[Mark], rule: &mut StopRule) -> Option<usize> {
    for m in marks {
        let stopped = m.code_before.and_then(|first| rule.code(first == b'@'));
        if let Some(at) = stopped.or_else(|| rule.token(m.at, m.token)) {
            return Some(at);
        }
    }
    // Code after a last top-level `<block_end>` is a new statement.
    rule.after_block_end
        .filter(|&after| super::lines::has_code(&cont.as_bytes()[after..]))
}

/// The stop rule, told the continuation's code and special tokens (outside strings, comments
/// and brackets) in order; `complete` runs it over the whole, the stream as tokens arrive.
pub(super) struct StopRule {
    stop: Stop,
    /// Blocks open at the cursor, and now.
    depth: i32,
    level: i32,
    /// The block stop fires when the level falls below this: the cursor's depth, or less when
    /// a `try` body is open at the cursor (it needs its handler, so the stop waits for the
    /// outermost such `try` to end, clauses and all).
    block_stop_depth: i32,
    /// The block stop waits for clauses (a `try`'s `except`, `else`, `finally`).
    block_stop_takes_clauses: bool,
    seen_code: bool,
    /// The statement so far is decorators or `async`: the definition (or `for`, `with`) token
    /// after it is its own, not a new statement's.
    prefix: bool,
    /// Just past a `<block_end>` back at the top level: the continuation stops here unless a
    /// clause (`else`, `except` …) comes next.
    pub after_block_end: Option<usize>,
}

impl StopRule {
    /// The rule for a continuation of `prompt`. A cursor inside a line whose statement is in
    /// the prompt's SimPy is inside that statement already: at the top level, the next
    /// `<line_sep>` ends it.
    pub fn new(prompt: &super::Prompt, cursor: &Cursor, stop: Stop) -> StopRule {
        let try_bodies = open_try_bodies(&prompt.simpy);
        let depth = try_bodies.len() as i32;
        let outermost_try = try_bodies.iter().position(|&is_try| is_try);
        StopRule {
            stop,
            depth,
            level: depth,
            block_stop_depth: outermost_try.map_or(depth, |at| at as i32 + 1),
            block_stop_takes_clauses: outermost_try.is_some(),
            seen_code: cursor.line_begun,
            prefix: prompt.simpy.ends_with(Special::AsyncKeyword.text())
                || ends_in_decorators(&prompt.simpy),
            after_block_end: None,
        }
    }

    /// Code that is not a special token (`decorator`: it starts with `@`): returns where the
    /// continuation stops, if it does.
    pub fn code(&mut self, decorator: bool) -> Option<usize> {
        self.seen_code = true;
        self.prefix |= decorator;
        self.after_block_end.take()
    }

    /// A special token at `at`: returns where the continuation stops, if it does.
    pub fn token(&mut self, at: usize, token: Special) -> Option<usize> {
        if let Some(after) = self.after_block_end.take() {
            if !is_clause(token) {
                return Some(after);
            }
        }
        if self.stop == Stop::None {
            return None;
        }
        match token {
            Special::BlockStart => self.level += 1,
            Special::BlockEnd => {
                self.level -= 1;
                // The block open at the cursor closes here (or the `try` around it, which
                // then stops here unless a clause comes next).
                if self.stop == Stop::Block && self.depth > 0 && self.level < self.block_stop_depth
                {
                    if !self.block_stop_takes_clauses {
                        return Some(at);
                    }
                    self.after_block_end = Some(at + token.text().len());
                    return None;
                }
                // Back at the top level, whatever follows but a clause is a new statement
                // (one starting with a name has no token before it).
                if self.level == 0 && self.seen_code {
                    self.after_block_end = Some(at + token.text().len());
                }
            }
            // The decorated or `async` statement goes on (`@a<line_sep>@b<def_stmt>`).
            t if self.prefix && (t == Special::LineSep || t.starts_statement()) => {}
            t if self.level == 0
                && self.seen_code
                && (t == Special::LineSep
                    || t.starts_statement()
                    || t == Special::AsyncKeyword)
                && !is_clause(t) =>
            {
                // A new statement at the top level.
                return Some(at);
            }
            _ => {}
        }
        self.prefix = match token {
            Special::AsyncKeyword => true,
            t if t.starts_statement() => false,
            _ => self.prefix,
        };
        self.seen_code |= token != Special::LineSep && token != Special::BlockEnd;
        None
    }
}
