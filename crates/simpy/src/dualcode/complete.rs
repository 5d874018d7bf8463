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
use simpy_ast::{dump, Special};

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
    let fail = |error| Box::new(CompletionError { error, kept: None });
    let encoded = encode_prompt(prompt).map_err(fail)?;
    if encoded.inside_line {
        return Err(fail(internal(
            "completion inside an unfinished line is not supported yet: end the prompt at a \
             line boundary",
        )));
    }
    let simpy = encoded.simpy;
    let mut cont = continuation;
    if let Some(max) = options.max_bytes.filter(|&m| m < cont.len()) {
        let mut end = max;
        while !cont.is_char_boundary(end) {
            end -= 1;
        }
        cont = &cont[..end];
    }
    let depth = open_blocks(&simpy);
    let stopped_at = stop_point(cont, depth, options.stop);
    let cont = &cont[..stopped_at.unwrap_or(cont.len())];
    // The last complete statement: try the whole, then each statement boundary backwards.
    let boundaries = boundaries(cont);
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
        match decode_with_marker(prompt, &simpy, &cont[..end]) {
            Ok(python) => {
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
            Err((e, Some(at)))
                if first_error.is_none() && end == cont.len() && at < last_boundary =>
            {
                // An error before the continuation's last statement is the continuation's; in
                // that statement, or in the blocks closed after it, it was cut off.
                let mut e = e;
                e.message = format!(
                    "the continuation cannot follow the prompt at byte {at} of it: {}",
                    e.message
                );
                first_error = Some(e);
            }
            Err(_) => {}
        }
    }
    Err(fail(first_error.unwrap_or_else(|| {
        internal("nothing of the continuation decodes")
    })))
}

fn internal(message: &str) -> Error {
    Error {
        kind: ErrorKind::Internal,
        range: Default::default(),
        location: simpy_ast::LineCol { line: 1, col: 1 },
        line_text: String::new(),
        message: message.to_owned(),
        hint: None,
    }
}

/// Decodes the prompt's SimPy and `cont` with a marker comment between them, and returns the
/// Python after the marker, as it goes at the end of `prompt`; or the error and, if it lies
/// inside `cont`, where.
fn decode_with_marker(
    prompt: &str,
    simpy: &str,
    cont: &str,
) -> Result<String, (Error, Option<usize>)> {
    // The marker is a comment on its own line: after a `<line_sep>` where code ends.
    let open_code = super::prompt::ends_open(simpy);
    let cont_rest = cont.strip_prefix(Special::LineSep.text()).unwrap_or(cont);
    let separator = if open_code {
        Special::LineSep.text()
    } else {
        ""
    };
    let body = format!("{simpy}{separator}{MARKER}\n{cont_rest}");
    let closers = Special::BlockEnd.text().repeat(open_blocks(&body));
    let whole = format!("{body}{closers}");
    let decoded = crate::decode(&whole).map_err(|e| {
        let at = e.range.start as usize;
        let cont_start = body.len() - cont_rest.len();
        let inside = (cont_start..body.len())
            .contains(&at)
            .then(|| at - cont_start + (cont.len() - cont_rest.len()));
        (e, inside)
    })?;
    let internal = |message: &str| (internal(message), None);
    let after = match decoded.find(MARKER) {
        Some(at) => &decoded[at + MARKER.len()..],
        None => return Err(internal("the cursor marker was lost")),
    };
    let after = after.strip_prefix('\n').unwrap_or(after);
    let mut completion = reindent(prompt, after);
    // The cursor at the end of a line that has no line break yet.
    if !prompt.is_empty() && !prompt.ends_with('\n') && !completion.is_empty() {
        completion.insert(0, '\n');
    }
    // The prompt followed by the completion must mean what was decoded.
    let glued = format!("{prompt}{completion}");
    let check = crate::parse_str(&glued).map_err(|_| {
        internal("the completion does not fit after the prompt (its last line may be unfinished)")
    })?;
    let want = crate::parse_simpy(&whole).map_err(|e| internal(&e.to_string()))?;
    if dump(&check.module) != dump(&want.module) {
        return Err(internal("the completion does not fit after the prompt"));
    }
    Ok(completion)
}

/// The printed Python re-indented to the prompt's blocks: printed level `k` (4k spaces)
/// becomes the indentation of the prompt's `k`-th open block, deeper levels add four spaces.
fn reindent(prompt: &str, printed: &str) -> String {
    let mut levels: Vec<String> = vec![String::new()];
    for line in prompt.lines() {
        let code = line.trim_start();
        if code.is_empty() || code.starts_with('#') {
            continue;
        }
        let indent = &line[..line.len() - code.len()];
        while levels.last().is_some_and(|l| l.len() > indent.len()) {
            levels.pop();
        }
        if levels.last().is_some_and(|l| l.len() < indent.len()) {
            levels.push(indent.to_owned());
        }
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
    let scanned = super::lines::scan(printed);
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

/// A special token of SimPy outside strings, comments and brackets, and whether code came
/// before it since the last one.
struct Mark {
    at: usize,
    token: Special,
    code_before: bool,
}

/// SimPy's structure: its special tokens outside strings, comments and brackets.
fn marks(text: &str) -> Vec<Mark> {
    let bytes = text.as_bytes();
    let mut marks = Vec::new();
    let (mut brackets, mut code, mut i) = (0i32, false, 0);
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                i = super::lines::comment_end(bytes, i);
                continue;
            }
            b'\'' | b'"' => {
                code = true;
                i = super::lines::string_end(bytes, i);
                continue;
            }
            b'(' | b'[' | b'{' => brackets += 1,
            b')' | b']' | b'}' => brackets = (brackets - 1).max(0),
            b'<' if brackets == 0 => {
                let token = bytes[i..]
                    .iter()
                    .take(32)
                    .position(|&b| b == b'>')
                    .and_then(|len| Special::from_text(&text[i..=i + len]));
                if let Some(token) = token {
                    marks.push(Mark {
                        at: i,
                        token,
                        code_before: code,
                    });
                    code = false;
                    i += token.text().len();
                    continue;
                }
            }
            b if !b.is_ascii_whitespace() => code = true,
            _ => {}
        }
        i += 1;
    }
    marks
}

/// The offsets where a statement of SimPy text may end: before `<line_sep>`, a statement's
/// own token or `<block_end>`, and after `<block_end>`.
fn boundaries(text: &str) -> Vec<usize> {
    let mut boundaries = Vec::new();
    for m in marks(text) {
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

/// How many blocks SimPy text leaves open.
fn open_blocks(text: &str) -> usize {
    let depth: i32 = marks(text)
        .iter()
        .map(|m| match m.token {
            Special::BlockStart => 1,
            Special::BlockEnd => -1,
            _ => 0,
        })
        .sum();
    depth.max(0) as usize
}

/// Tokens that go on a compound statement rather than start one.
fn is_clause(token: Special) -> bool {
    matches!(
        token,
        Special::ElifStmt
            | Special::ElseStmt
            | Special::ExceptStmt
            | Special::ExceptGroupStmt
            | Special::FinallyStmt
            | Special::CaseStmt
    )
}

fn starts_clause(simpy: &str) -> bool {
    Special::ALL
        .iter()
        .any(|t| is_clause(*t) && simpy.starts_with(t.text()))
}

/// Where the stop rule ends the continuation, if anywhere before its end.
fn stop_point(cont: &str, depth: usize, stop: Stop) -> Option<usize> {
    if stop == Stop::None {
        return None;
    }
    let mut level = depth as i32;
    let mut seen_code = false;
    for m in marks(cont) {
        seen_code |= m.code_before;
        match m.token {
            Special::BlockStart => level += 1,
            Special::BlockEnd => {
                level -= 1;
                // The block open at the cursor closes here.
                if stop == Stop::Block && depth > 0 && level < depth as i32 {
                    return Some(m.at);
                }
                // Back at the top level, whatever follows but a clause is a new statement
                // (one starting with a name has no token before it).
                let after = m.at + Special::BlockEnd.text().len();
                let rest = cont[after..].trim_start();
                if level == 0 && seen_code && !rest.is_empty() && !starts_clause(rest) {
                    return Some(after);
                }
            }
            t if level == 0
                && seen_code
                && (t == Special::LineSep || t.starts_statement())
                && !is_clause(t) =>
            {
                // A new statement at the top level.
                return Some(m.at);
            }
            _ => {}
        }
        seen_code |= m.token != Special::LineSep && m.token != Special::BlockEnd;
    }
    None
}
