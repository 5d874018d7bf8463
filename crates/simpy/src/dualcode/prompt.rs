//! Prompt encoding: the SimPy a model continues, for Python cut at a cursor.
//!
//! The rule: the prompt's SimPy is the longest prefix that the SimPy of *every* way to go on
//! from the cursor starts with. It is found by encoding the prompt followed by probes that go
//! on in every way that changes SimPy differently — a statement starting with a name and one
//! starting with its own token (`<line_sep>x` against `<if_stmt>`) at each indentation the
//! next line may take (which decides where a trailing comment goes, and whether `else: if`
//! folds into `<elif_stmt>`), or the body a header or decorator needs — and keeping their
//! longest common prefix. An unfinished last line is first cut back to a token boundary that
//! typing more cannot change (its last token is dropped unless whitespace, `)`, `]`, `}` or `,`
//! ends it: `x = 1` may become `x = 12`, `+` may become `+=`), then completed by fillers that
//! close its brackets and strings in ways that differ right after the cut (`(a` may keep or
//! lose its parenthesis).
//!
//! Only the last top-level statement is probed: the statements before it are complete and
//! encode alone, so a long prompt costs one encode plus a few of its last statement.
//!
//! The rule's one exception: SimPy writes a comment inside brackets before its statement, so
//! a comment typed later inside brackets of the statement the cursor is in changes SimPy
//! before the cursor. With a bracket open at the cursor, the probes wait for one; inside a line
//! with none open (`x = ` then `(  # c`), they do not, or no unfinished line would be encoded
//! at all. At line boundaries there is no exception.

use super::lines::{self, Line};
use super::scope::Scope;
use crate::Error;
use simpy_ast::Special;
use std::collections::BTreeSet;

/// The name probes use; a prompt that uses it gets a longer one. Its first letter starts no
/// other filler: probes that part only after it would leave it in the prompt's SimPy (with
/// `_`, `from os.` kept the `_` that it shares with `__future__`).
const PROBE: &str = "simpy_probe_";

/// A prompt's SimPy and what of the prompt it leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// The SimPy prefix a SimPy model continues: `encode(F)` starts with it for every valid
    /// file `F` that starts with the prompt (inside a line, unless a comment inside brackets
    /// comes later in the cursor's statement: see the module's rule).
    pub simpy: String,
    /// The cursor is inside a logical line that has code (an unfinished line, an open bracket
    /// or string), not at the start of a line.
    pub inside_line: bool,
    /// What of the prompt is not in `simpy` because what follows the cursor decides it, and
    /// why; `None` when the prompt is fully encoded.
    pub left_out: Option<LeftOut>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LeftOut {
    /// The SimPy the prompt would add if the file ended at the cursor (blocks it leaves open
    /// not closed), which `simpy` stops short of.
    pub simpy: String,
    /// The Python text of an unfinished last line that was not encoded at all, if any.
    pub python: String,
    pub reason: String,
}

/// The SimPy a model continues for `python` cut at a cursor: blocks open at the end stay
/// open, and what cannot be determined yet is left out and said, never guessed.
pub fn encode_prompt(python: &str) -> Result<Prompt, Error> {
    encode_prompt_with(python, Shortcuts::ALL)
}

/// Ways to probe less, each giving the same prompt as probing all (a test holds them
/// together), only faster.
#[derive(Clone, Copy, Debug)]
struct Shortcuts {
    /// Probes run on the cursor's path, the statements beside it stubbed (`Scope`).
    scope: bool,
    /// With a bracket of a simple statement open at the cursor at the start of a line, one
    /// probe: a comment typed next. It moves before the statement, so no probe can keep more
    /// than the SimPy before it, and the bracket closed at once spells the same without that
    /// comment. (Whenever the comment makes the statement valid; else every probe runs.)
    comment_lands: bool,
    /// With a long string left open (not an f-string), its earlier lines are checked once on
    /// their own, and the probes go on from its last line: the prompt never holds any of an
    /// open string, and its text is valid or not whatever comes around it.
    long_string: bool,
    /// A header's probes give its body as one statement only: an `if` as the whole body
    /// changes what comes before it only after `else` (into `<elif_stmt>`).
    one_body: bool,
    /// An empty prompt is not probed: so a stream decoding a whole file (`decode --stream`)
    /// starts, and the probes' cost would be most of a small file's.
    empty: bool,
    /// After complete lines, the next line is probed in the innermost block (beside a header
    /// waiting for its body) and in `else` bodies, one way where it can: the statement as it
    /// stands, which the probes include, parts from a line of the innermost block right after
    /// the code (or, at the top level, after the comment lines that follow it, which go
    /// before the next statement), and so does any outer block. What else follows can change
    /// before the cursor only whether an `else:` holding one `if` folds into `<elif_stmt>` (a
    /// statement beside that `if` unfolds it). With the cursor deep in a class, most probes
    /// were of outer blocks. (When the statement as it stands is not valid, every probe runs.)
    innermost: bool,
    /// Comment lines after the last code, when they are many (a licence after a module's
    /// docstring), are probed as one comment: comment lines in a row spell the same wherever
    /// they go, and go there together (before the next statement).
    comment_run: bool,
    /// A header of a compound statement (its first word a keyword, not `match` or `case`) is
    /// not probed as a whole one-line statement while it has no `:` outside brackets and the
    /// probe adds none: such a line is never Python. An invalid probe costs tree-sitter's
    /// error recovery, several valid ones' time; a header's brackets left open got a third of
    /// its probes so.
    headers_need_colons: bool,
}

impl Shortcuts {
    const ALL: Shortcuts = Shortcuts {
        scope: true,
        comment_lands: true,
        long_string: true,
        one_body: true,
        empty: true,
        innermost: true,
        comment_run: true,
        headers_need_colons: true,
    };
    /// Every probe, on the whole statement (what the tests hold the shortcuts to).
    #[cfg(test)]
    const NONE: Shortcuts = Shortcuts {
        scope: false,
        comment_lands: false,
        long_string: false,
        one_body: false,
        empty: false,
        innermost: false,
        comment_run: false,
        headers_need_colons: false,
    };
}

fn encode_prompt_with(python: &str, shortcuts: Shortcuts) -> Result<Prompt, Error> {
    if shortcuts.empty && python.is_empty() {
        return Ok(Prompt {
            simpy: String::new(),
            inside_line: false,
            left_out: None,
        });
    }
    let scanned = lines::scan(python);
    let start = last_statement_start(python, &scanned.lines, scanned.tail);
    let before = encode_part(python, 0, start)?;
    let probe = probe_name(python);
    let tail = &python[scanned.tail.max(start)..];
    let in_text = scanned.open.string.is_some() || scanned.open.comment || scanned.open.spec;
    let (mut kept_tail, growth) = stable_tail(tail, in_text);
    let body_end = python.len() - tail.len();
    let statement_text = &python[start..body_end];
    let untouched_tail = tail.to_owned();
    let mut cut_reason = match growth {
        Growth::None => None,
        Growth::Keyword => Some("its last word may still become a keyword"),
        Growth::Operator => Some("its last operator may still grow into a longer one"),
        Growth::Normalised => Some(
            "its last name may still change: names are normalised (NFKC), and a combining mark \
             typed next may reorder the marks before it",
        ),
        Growth::Backslash => Some("it ends in a backslash that joins the next line"),
        Growth::Number => Some("its last number is not a whole number yet"),
    };
    let statement_lines = lines::scan(statement_text);
    let blocks = Blocks::of(statement_text, &statement_lines.lines);
    let scope = shortcuts
        .scope
        .then(|| Scope::of(python, statement_text, &statement_lines))
        .flatten();
    // Probes of the typed line as it is and as its last operator may grow: whether any of
    // them is valid Python, and the error found furthest on.
    let probes_of = |line: &str| {
        let indent = &line[..line.len() - line.trim_start().len()];
        let open = lines::scan(&format!("{statement_text}{line}")).open;
        tail_probes(line, indent, &open, &probe, &blocks, shortcuts)
    };
    let probe_line = |line: &str| {
        let probes = probes_of(line);
        let at_line_start = line.ends_with(['\n', '\r']);
        let comment_next = probes.iter().find(|p| p.comment_next);
        if let Some(comment) = comment_next.filter(|_| shortcuts.comment_lands && at_line_start) {
            if let Some(probed) = where_a_comment_lands(statement_text, line, comment, &probe) {
                return probed;
            }
        }
        run_probes(statement_text, scope.as_ref(), line, probes)
    };
    if growth == Growth::Operator
        && !grown_tails(tail)
            .iter()
            .skip(1)
            .any(|g| probe_line(g).valid)
    {
        // The operator cannot grow into anything valid here: it is final.
        kept_tail = tail;
        cut_reason = None;
    }
    if lines::unfinished_code(kept_tail) {
        let shorter = (shortcuts.long_string && kept_tail.len() == tail.len())
            .then(|| shorter_open_string(python, tail, &scanned.open))
            .flatten();
        let probed = shorter
            .and_then(|shorter| {
                let mut probed = probe_line(&shorter);
                let as_it_stands = probes_of(tail)
                    .into_iter()
                    .filter(|p| !p.text.contains(&probe));
                as_it_stands_from(&mut probed, statement_text, tail, &probe, as_it_stands)
                    .then_some(probed)
            })
            .unwrap_or_else(|| probe_line(kept_tail));
        if !probed.encodings.is_empty() {
            let untouched = &tail[kept_tail.len()..];
            return Ok(finish(
                python,
                &before,
                start,
                probed.encodings,
                &probe,
                untouched,
                cut_reason,
            ));
        }
        // No way found to finish the line. If no way makes the line as typed valid either,
        // and it fails at its last token, what was typed is a mistake: an error
        // (`def f(:`). Otherwise the probes fell short, and the line is left out.
        let as_typed = if kept_tail.len() == tail.len() {
            probed
        } else {
            probe_line(tail)
        };
        let typed_end = (statement_text.len() + tail.trim_end().len()) as u32;
        let last_token = typed_end - last_token_len(tail.trim_end()) as u32;
        // A word that may still become a keyword proves nothing yet (`async d` → `async def`),
        // nor a number that may still become a valid one (`09` → `09.5`), nor an open string,
        // whose fields the probes do not close.
        let typed = tail.trim_end();
        let number =
            typed[typed.len() - last_token_len(typed)..].starts_with(|c: char| c.is_ascii_digit());
        if let Some(e) = as_typed.earliest.filter(|e| {
            matches!(growth, Growth::None | Growth::Operator)
                && !number
                && scanned.open.string.is_none()
                && !as_typed.valid
                && (last_token..typed_end).contains(&e.range.start)
        }) {
            return Err(shifted(e, python, start));
        }
        cut_reason = Some("no way to finish it was found among the probes");
    }
    let run = shortcuts
        .comment_run
        .then(|| CommentRun::of(statement_text, &statement_lines.lines, &probe))
        .flatten();
    let probed = run
        .and_then(|run| {
            let lines = lines::scan(&run.shortened);
            let scope = shortcuts
                .scope
                .then(|| Scope::of(python, &run.shortened, &lines))
                .flatten();
            let probed = probe_next_line(
                &run.shortened,
                &lines.lines,
                scope.as_ref(),
                &probe,
                shortcuts,
            );
            run.widen(probed)
        })
        .unwrap_or_else(|| {
            probe_next_line(
                statement_text,
                &statement_lines.lines,
                scope.as_ref(),
                &probe,
                shortcuts,
            )
        });
    if !probed.valid && !statement_text.trim().is_empty() {
        // A prompt no continuation makes valid: say where it goes wrong.
        return Err(shifted(
            probed.earliest.expect("a probe ran"),
            python,
            start,
        ));
    }
    let encodings = probed.encodings;
    Ok(finish(
        python,
        &before,
        start,
        encodings,
        &probe,
        &untouched_tail,
        cut_reason,
    ))
}

/// After complete lines (`statement`, its `lines`): every way to go on with the next line.
fn probe_next_line(
    statement: &str,
    lines: &[Line],
    scope: Option<&Scope>,
    probe: &str,
    shortcuts: Shortcuts,
) -> Probed {
    let probed = |innermost| {
        let mut probes = line_probes(statement, lines, probe, innermost);
        if !statement.trim().is_empty() {
            let way = probes.len();
            probes.push(Probe {
                way,
                text: String::new(),
                comment_next: false,
            });
        }
        run_probes(statement, scope, "", probes)
    };
    let first = probed(shortcuts.innermost);
    if shortcuts.innermost && first.encodings.is_empty() {
        // Fewer than two ways were valid: the outer blocks' may be.
        return probed(false);
    }
    first
}

/// `Shortcuts::comment_run`: a statement whose code is followed by a long run of comment
/// lines, probed with one marker comment in their place.
struct CommentRun {
    shortened: String,
    /// The marker's SimPy, and the run's.
    marker: String,
    simpy: String,
}

impl CommentRun {
    fn of(statement: &str, lines: &[Line], probe: &str) -> Option<CommentRun> {
        const WORTH_IT: usize = 256;
        let after_code = lines.iter().rev().take_while(|l| !l.code).count();
        let first_comment = lines[lines.len() - after_code..]
            .iter()
            .find(|l| statement[l.code_start..].starts_with('#'))?;
        let run = &statement[first_comment.start..];
        // (An encoding declaration means something on the first two lines of a file only.)
        if after_code == lines.len() || run.len() < WORTH_IT || run.contains("coding") {
            return None;
        }
        let marker = format!("# {probe}\n");
        let indent = first_comment.indentation(statement);
        Some(CommentRun {
            shortened: format!("{}{indent}{marker}", &statement[..first_comment.start]),
            simpy: crate::encode(run).ok()?,
            marker,
        })
    }

    /// The probes' encodings with the run's SimPy in place of the marker's; `None` if the
    /// marker is not in each once.
    fn widen(self, mut probed: Probed) -> Option<Probed> {
        for encoding in &mut probed.encodings {
            let at = encoding.find(&self.marker)?;
            if encoding[at + 1..].contains(&self.marker) {
                return None;
            }
            encoding.replace_range(at..at + self.marker.len(), &self.simpy);
        }
        Some(probed)
    }
}

/// `Shortcuts::long_string`: the unfinished line `tail` of `python` with the earlier lines of
/// the string open at its end left out, when they are long and valid in a string on their own.
fn shorter_open_string(python: &str, tail: &str, open: &lines::Open) -> Option<String> {
    const WORTH_IT: usize = 512;
    let (quote, text_start) = (open.string?, open.plain_string_text?);
    let tail_start = python.len() - tail.len();
    let text = &python[text_start..];
    let earlier = &text[..text.rfind('\n')? + 1];
    if text_start < tail_start || earlier.len() < WORTH_IT {
        return None;
    }
    let opening = &python[..text_start];
    let prefix_len = opening[..opening.len() - quote.len()]
        .bytes()
        .rev()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    let opening = &opening[opening.len() - quote.len() - prefix_len..];
    crate::encode(&format!("{opening}{earlier}{quote}\n")).ok()?;
    let at = text_start - tail_start;
    Some(format!("{}{}", &tail[..at], &text[earlier.len()..]))
}

/// After probing a shorter line (`Shortcuts::long_string`): the encoding of the statement as it
/// stands (the first valid probe without the probe's name, which says what is left out) made
/// again with the whole `tail`, so that it holds the string as typed. `false` if it fails.
fn as_it_stands_from(
    probed: &mut Probed,
    statement: &str,
    tail: &str,
    probe: &str,
    mut as_it_stands: impl Iterator<Item = Probe>,
) -> bool {
    let Some(slot) = probed.encodings.iter().position(|e| !e.contains(probe)) else {
        return true;
    };
    match as_it_stands.find_map(|p| crate::encode(&format!("{statement}{tail}{}", p.text)).ok()) {
        Some(whole) => {
            probed.encodings[slot] = whole;
            true
        }
        None => false,
    }
}

/// A way to go on from the cursor. Probes of the same `way` start alike right after the
/// cursor, so only probes of different ways can show where SimPy stops being determined.
struct Probe {
    way: usize,
    text: String,
    /// A comment typed next in the open bracket of a simple statement, the bracket then closed
    /// (`Shortcuts::comment_lands`).
    comment_next: bool,
}

/// What probing found.
struct Probed {
    /// The encodings of `text` followed by each probe that makes it valid; none unless two
    /// different ways did.
    encodings: Vec<String>,
    /// Whether any probe made it valid.
    valid: bool,
    /// Of the errors, the one found earliest: if no probe is valid and that one is already
    /// inside what was typed, no continuation may help.
    earliest: Option<Error>,
}

impl Probed {
    /// What the valid probes' `encodings` (of the probes' `ways`) and the earliest error show.
    fn new(mut encodings: Vec<String>, ways: &BTreeSet<usize>, earliest: Option<Error>) -> Probed {
        let valid = !encodings.is_empty();
        if ways.len() < 2 {
            encodings.clear();
        }
        Probed {
            encodings,
            valid,
            earliest,
        }
    }
}

/// `statement` followed by `line` (an unfinished line, or nothing) and each probe, encoded:
/// on the text reduced to the cursor's path where that holds (`Scope`), else whole.
fn run_probes(statement: &str, scope: Option<&Scope>, line: &str, probes: Vec<Probe>) -> Probed {
    if let Some(probed) = scope.and_then(|s| run_scoped(statement, s, line, &probes)) {
        return probed;
    }
    let text = format!("{statement}{line}");
    let mut encodings = Vec::new();
    let mut ways = BTreeSet::new();
    let mut earliest: Option<Error> = None;
    for probe in &probes {
        match crate::encode(&format!("{text}{}", probe.text)) {
            Ok(simpy) => {
                encodings.push(simpy);
                ways.insert(probe.way);
            }
            Err(e)
                if earliest
                    .as_ref()
                    .is_none_or(|f| f.range.start > e.range.start) =>
            {
                earliest = Some(e);
            }
            Err(_) => {}
        }
    }
    Probed::new(encodings, &ways, earliest)
}

/// `Shortcuts::comment_lands`: `statement` followed by `line` and a comment typed next, encoded
/// once. The comment moves before the statement, so no probe keeps more than the SimPy before
/// it; taken out, it leaves the SimPy of the bracket closed at once. Those two are all the
/// probes would keep. `None` when the comment does not make the statement valid, or an
/// `<elif_stmt>` comes before it: that may be an `else:` holding one `if`, which a statement
/// typed after that `if` unfolds, parting earlier.
fn where_a_comment_lands(
    statement: &str,
    line: &str,
    comment: &Probe,
    probe: &str,
) -> Option<Probed> {
    let simpy = crate::encode(&format!("{statement}{line}{}", comment.text)).ok()?;
    let spelt = format!("# {probe}\n");
    let at = simpy.find(&spelt)?;
    if simpy[..at].contains(Special::ElifStmt.text()) {
        return None;
    }
    let (head, rest) = (&simpy[..at], &simpy[at + spelt.len()..]);
    // The comment follows code after a `<line_sep>`, which the statement alone may not need.
    let closed = match head.strip_suffix(Special::LineSep.text()) {
        Some(code) => join(code, rest),
        None => format!("{head}{rest}"),
    };
    Some(Probed {
        encodings: vec![closed, simpy],
        valid: true,
        earliest: None,
    })
}

/// The probes on the reduced statement, widened to the whole statement's SimPy; `None` when
/// none is valid (the whole statement then finds the error) or the reduction does not hold.
fn run_scoped(statement: &str, scope: &Scope, line: &str, probes: &[Probe]) -> Option<Probed> {
    let text = scope.reduced(line);
    let mut valid = Vec::new();
    let mut reduced = Vec::new();
    for probe in probes {
        if let Ok(simpy) = crate::encode(&format!("{text}{}", probe.text)) {
            valid.push(probe);
            reduced.push(simpy);
        }
    }
    let first = valid.first()?;
    let whole_first = crate::encode(&format!("{statement}{line}{}", first.text)).ok()?;
    let encodings = scope.widen(&reduced, &whole_first)?;
    let ways = valid.iter().map(|p| p.way).collect();
    Some(Probed::new(encodings, &ways, None))
}

/// The prompt from the SimPy of what precedes the last statement and the encodings of the
/// last statement's probes.
fn finish(
    python: &str,
    before: &str,
    start: usize,
    encodings: Vec<String>,
    probe: &str,
    untouched_tail: &str,
    cut_reason: Option<&'static str>,
) -> Prompt {
    let statement = if encodings.is_empty() {
        ""
    } else {
        trim_to_token(common_prefix(&encodings), probe)
    };
    let simpy = join(before, statement);
    let as_it_stands = encodings.iter().find(|e| !e.contains(probe));
    let left_out = describe(
        &simpy,
        before,
        as_it_stands.map(String::as_str),
        &python[start..],
        untouched_tail,
        cut_reason,
    );
    let scanned = lines::scan(python);
    let inside_line = lines::unfinished_code(&python[scanned.tail..]);
    Prompt {
        simpy,
        inside_line,
        left_out,
    }
}

/// Where the last top-level statement starts (its first decorator, if any): what comes before
/// is complete whatever follows.
fn last_statement_start(python: &str, lines: &[Line], tail: usize) -> usize {
    let mut start = 0;
    let mut after_decorator = false;
    let mut top_level_lines = lines
        .iter()
        .filter(|l| l.code && l.indent == 0)
        .map(|l| (l.start, l.first_word(python), l.is_decorator(python)))
        .collect::<Vec<_>>();
    let tail_text = &python[tail..];
    let tail_has_code = lines::unfinished_code(tail_text) && !tail_text.starts_with([' ', '\t']);
    let mut tail_word = "";
    if tail_has_code {
        let word_end = tail_text
            .find(|c: char| !(c.is_alphanumeric() || c == '_'))
            .unwrap_or(tail_text.len());
        tail_word = &tail_text[..word_end];
        // Only a word the cursor ends can still grow.
        if word_end < tail_text.trim_end().len() {
            tail_word = "";
        }
        top_level_lines.push((tail, &tail_text[..word_end], tail_text.starts_with('@')));
    }
    let last = top_level_lines.len().saturating_sub(1);
    for (i, (line_start, word, decorator)) in top_level_lines.into_iter().enumerate() {
        // On the unfinished line, a word may still grow into a clause (`e` → `except`).
        let clause = if i == last && tail_has_code && word == tail_word {
            lines::CLAUSES.iter().any(|c| c.starts_with(word))
        } else {
            lines::CLAUSES.contains(&word)
        };
        if !clause && !after_decorator {
            start = line_start;
        }
        after_decorator = decorator;
    }
    start
}

/// The SimPy of `python[from..to]`, complete statements; errors located in the whole prompt.
fn encode_part(python: &str, from: usize, to: usize) -> Result<String, Error> {
    crate::encode(&python[from..to]).map_err(|e| shifted(e, python, from))
}

/// An error in `python[from..]` located in `python`.
fn shifted(mut error: Error, python: &str, from: usize) -> Error {
    let at = from as u32 + error.range.start;
    error.range = simpy_ast::TextRange::new(at, from as u32 + error.range.end);
    let (location, line_text) = simpy_ast::locate(python, at.min(python.len() as u32));
    error.location = location;
    error.line_text = line_text.to_owned();
    error
}

fn probe_name(python: &str) -> String {
    let mut name = PROBE.to_owned();
    while python.contains(&name) {
        name.push('_');
    }
    name
}

/// How the last token of an unfinished line may still change its SimPy.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Growth {
    /// It cannot: typing more only appends to its SimPy (a name, a number, a string).
    None,
    /// A name that may still become a keyword, which SimPy spells with a token of its own.
    Keyword,
    /// An operator that may still become a longer one (`-` of `->`, `:` of `:=`).
    Operator,
    /// A name with a character outside ASCII, whose normal form may still change.
    Normalised,
    /// A number literal not whole yet (`0x`, `1e`).
    Number,
    /// A backslash that joins the next line.
    Backslash,
}

/// Words SimPy writes as tokens of their own: Python's keywords and the soft keywords that
/// start statements.
fn spelt_as_token(word: &str) -> bool {
    simpy_python::KEYWORDS
        .iter()
        .chain(&["match", "case", "type"])
        .any(|k| k.starts_with(word))
}

/// The unfinished line cut back to a boundary typing more cannot move, and how the token cut
/// off might grow. `in_text`: it ends in a string or a comment, which typing only extends.
fn stable_tail(tail: &str, in_text: bool) -> (&str, Growth) {
    let trimmed = tail.trim_end_matches([' ', '\t']);
    if in_text {
        return (tail, Growth::None);
    }
    if let Some(joined) = tail.strip_suffix('\\') {
        return (joined, Growth::Backslash);
    }
    if trimmed.len() < tail.len() {
        return (tail, Growth::None);
    }
    let Some(last) = trimmed.chars().last() else {
        return (tail, Growth::None);
    };
    let word = is_name_char;
    if word(last) {
        let start = trimmed.trim_end_matches(word);
        let token = &trimmed[start.len()..];
        // `from __future__` is a statement of its own (`<import_from_future_stmt>`): while the
        // module may still become `__future__`, nothing of the line is determined.
        let line = trimmed.trim_start();
        if start.trim() == "from" && line.starts_with("from") && "__future__".starts_with(token) {
            return (&trimmed[..trimmed.len() - line.len()], Growth::Keyword);
        }
        let number = token.starts_with(|c: char| c.is_ascii_digit());
        if !number && spelt_as_token(token) {
            return (start, Growth::Keyword);
        }
        // `0x`, `1e`, `0_`: only digits or letters the probes cannot guess make it a number.
        if number && simpy_python::literals::parse_number(token).is_err() {
            return (start, Growth::Number);
        }
        // A name is normalised (NFKC): a combining mark typed next may reorder the marks
        // already typed.
        if !token.is_ascii() {
            return (start, Growth::Normalised);
        }
        return (tail, Growth::None);
    }
    let cut = trimmed.trim_end_matches(|c: char| "+-*/%@&|^<>=!:~.".contains(c));
    if cut.len() == trimmed.len() {
        (tail, Growth::None)
    } else {
        (cut, Growth::Operator)
    }
}

/// The runs of name characters in `text`, split at every other character.
fn words(text: &str) -> impl Iterator<Item = &str> {
    text.split(|c: char| !is_name_char(c))
}

/// Whether `c` may be part of a name (or a number): combining marks outside ASCII are too.
fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_' || !c.is_ascii()
}

/// The length of the last token of `text`: a word, or a run of operator characters.
fn last_token_len(text: &str) -> usize {
    let word = is_name_char;
    let rest = match text.chars().last() {
        Some(c) if word(c) => text.trim_end_matches(word),
        Some(_) => text.trim_end_matches(|c: char| !(word(c) || c.is_whitespace())),
        None => text,
    };
    (text.len() - rest.len()).max(text.chars().last().map_or(0, char::len_utf8))
}

/// An unfinished line as typed, and as it may grow when its last token is an operator that
/// begins a longer one (`-` of `->`, `:` of `:=`).
fn grown_tails(tail: &str) -> Vec<String> {
    const LONGER: &[&str] = &[
        "->", ":=", "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "+=", "-=", "*=", "/=", "%=",
        "@=", "&=", "|=", "^=", "**=", "//=", "<<=", ">>=", "...",
    ];
    let mut grown = vec![tail.to_owned()];
    let trimmed = tail.trim_end();
    for op in LONGER {
        for split in 1..op.len() {
            if trimmed.ends_with(&op[..split]) {
                grown.push(format!("{trimmed}{}", &op[split..]));
            }
        }
    }
    grown
}

/// Ways to go on after complete lines: a statement starting with a name and one starting
/// with a token of its own, at each indentation the next line may take.
/// `innermost`: see `Shortcuts`.
fn line_probes(text: &str, block_lines: &[Line], probe: &str, innermost: bool) -> Vec<Probe> {
    let texts = line_probe_texts(text, block_lines, probe, innermost);
    texts
        .into_iter()
        .enumerate()
        .map(|(way, text)| Probe {
            way,
            text,
            comment_next: false,
        })
        .collect()
}

/// The blocks open after complete lines, outermost first: the indentation of each one's body
/// and the word of the header that opened it; and a header still waiting for its body.
struct Blocks<'t> {
    levels: Vec<(String, &'t str)>,
    waiting: Option<(&'t str, &'t str)>,
    decorator_last: bool,
    /// The indentation of a `try` with no clause yet: what comes next at its level is one.
    try_without_clause: Option<&'t str>,
}

impl<'t> Blocks<'t> {
    fn of(text: &'t str, block_lines: &[Line]) -> Blocks<'t> {
        let mut blocks = Blocks {
            levels: vec![(String::new(), "")],
            waiting: None,
            decorator_last: false,
            try_without_clause: None,
        };
        for l in block_lines.iter().filter(|l| l.code) {
            let indent = l.indentation(text);
            while blocks.levels.len() > 1
                && blocks
                    .levels
                    .last()
                    .is_some_and(|(top, _)| top.len() > indent.len())
            {
                blocks.levels.pop();
            }
            if let Some((header_indent, word)) = blocks.waiting.take() {
                if indent.len() > header_indent.len() {
                    blocks.levels.push((indent.to_owned(), word));
                }
            }
            if l.opens_block {
                blocks.waiting = Some((indent, l.first_word(text)));
            }
            match l.first_word(text) {
                "try" => blocks.try_without_clause = Some(indent),
                "except" | "finally" if blocks.try_without_clause == Some(indent) => {
                    blocks.try_without_clause = None;
                }
                _ => {}
            }
            blocks.decorator_last = l.is_decorator(text);
        }
        blocks
    }

    /// The clauses that close every `try` whose body is deeper than `indent`, innermost first:
    /// what a line dedenting to `indent` needs before it.
    fn clauses_before(&self, indent: &str) -> String {
        // (A `try` still waiting for its body gets its clause where that body is written.)
        let mut before = String::new();
        for i in (1..self.levels.len()).rev() {
            let (body, word) = &self.levels[i];
            let header = &self.levels[i - 1].0;
            // A `try` at `indent` itself gets its clause from the line there.
            let own = self.try_without_clause == Some(header.as_str());
            if *word == "try" && body.len() > indent.len() && !(own && header == indent) {
                before.push_str(&format!("{header}finally:\n{header}    pass\n"));
            }
        }
        before
    }

    /// The clauses that close every `try` whose body encloses a line indented by `indent`
    /// (a `try` needs one before anything dedents past it).
    fn clauses_closing(&self, indent: &str) -> String {
        let mut after = match self.waiting {
            Some((header, "try")) if header.len() < indent.len() => {
                format!("{header}finally:\n{header}    pass\n")
            }
            _ => String::new(),
        };
        for i in 1..self.levels.len() {
            let (body, word) = &self.levels[i];
            if *word == "try" && body.len() <= indent.len() {
                let header = &self.levels[i - 1].0;
                after = format!("{header}finally:\n{header}    pass\n{after}");
            }
        }
        after
    }
}

/// Ways to go on after complete lines: a statement starting with a name and one starting
/// with a token of its own, at each indentation the next line may take (a `case` in a
/// `match`, a definition after a decorator); after a header, its body, then each enclosing
/// block going on.
fn line_probe_texts(text: &str, block_lines: &[Line], probe: &str, innermost: bool) -> Vec<String> {
    let newline = if text.ends_with(['\n', '\r']) || text.is_empty() {
        ""
    } else {
        "\n"
    };
    let blocks = Blocks::of(text, block_lines);
    let ways_at = |indent: &str, word: &str| -> Vec<String> {
        if blocks.decorator_last {
            vec![
                format!("{indent}def {probe}():\n{indent}    pass\n"),
                format!("{indent}class {probe}:\n{indent}    pass\n"),
                format!("{indent}@{probe}\n{indent}def {probe}():\n{indent}    pass\n"),
            ]
        } else if blocks.try_without_clause == Some(indent) {
            vec![
                format!("{indent}except:\n{indent}    pass\n"),
                format!("{indent}finally:\n{indent}    pass\n"),
            ]
        } else if word == "match" {
            vec![
                format!("{indent}case {probe}:\n{indent}    pass\n"),
                format!("{indent}case [{probe}]:\n{indent}    pass\n"),
            ]
        } else {
            vec![
                format!("{indent}{probe} = 0\n"),
                format!("{indent}if {probe}:\n{indent}    pass\n"),
            ]
        }
    };
    let Some((header, word)) = blocks.waiting else {
        let innermost_level = blocks.levels.len() - 1;
        let mut probes = Vec::new();
        for (level, (indent, word)) in blocks.levels.iter().enumerate() {
            // (A `try`'s clauses are kept: they are the ways that finish the statement as
            // it stands, which says what is left out.)
            let try_clause = blocks.try_without_clause == Some(indent.as_str());
            let wanted = level == innermost_level || *word == "else" || try_clause;
            if innermost && !wanted {
                continue;
            }
            let after = blocks.clauses_closing(indent);
            let before = blocks.clauses_before(indent);
            let ways = ways_at(indent, word);
            // The statement as it stands (the empty probe, which the caller adds) parts from
            // a line of the innermost block right after the code: a second way there shows
            // nothing more. (If it is not valid, every probe runs.)
            let plain = !blocks.decorator_last && !try_clause && *word != "match";
            let one_way = innermost && plain && level == innermost_level;
            let count = if one_way { 1 } else { ways.len() };
            for way in ways.into_iter().take(count) {
                probes.push(format!("{newline}{before}{way}{after}"));
            }
        }
        return probes;
    };
    // A header waiting for its body: the body, then (a `try`'s clause and) each enclosing
    // block going on, which decides, say, whether an `else:` holding this `if` folds into
    // `<elif_stmt>`.
    let body = format!("{header}    ");
    let own_clause = if word == "try" {
        format!("{header}finally:\n{header}    pass\n")
    } else {
        String::new()
    };
    let after = blocks.clauses_closing(header);
    let mut probes: Vec<String> = ways_at(&body, word)
        .into_iter()
        .map(|way| format!("{newline}{way}{own_clause}{after}"))
        .collect();
    let first = format!("{body}{probe} = 0\n");
    for (indent, word) in &blocks.levels {
        // Only a statement beside the header, or in an `else` body around it, unfolds an
        // `else:` holding one `if` (see `Shortcuts::innermost`).
        if innermost && indent != header && *word != "else" {
            continue;
        }
        let after = blocks.clauses_closing(indent);
        let before = blocks.clauses_before(indent);
        probes.push(format!(
            "{newline}{first}{own_clause}{before}{indent}{probe} = 0\n{after}"
        ));
    }
    probes
}

/// Ways to finish an unfinished line (`kept` is what of it was kept): fillers that go on
/// differently right after it, then whatever closes its string and brackets, then a body if
/// it is a header (one body only with `one_body`, see `Shortcuts`).
fn tail_probes(
    kept: &str,
    indent: &str,
    open: &lines::Open,
    probe: &str,
    blocks: &Blocks<'_>,
    shortcuts: Shortcuts,
) -> Vec<Probe> {
    let word = kept.trim_start();
    let first_word = words(word).next().unwrap_or("");
    // A `try` around the line needs its clause after it.
    let after = &blocks.clauses_closing(indent);
    let fillers = [
        String::new(),
        probe.to_owned(),
        format!(" {probe}"),
        "0".to_owned(),
        format!("({probe})"),
        format!("[{probe}]"),
        ".a".to_owned(),
        format!(" + {probe}"),
        format!(" * {probe}"),
        format!(", {probe}"),
        // A trailing comma makes a one-element tuple, which SimPy parenthesises: `x` → `(x )`.
        ",".to_owned(),
        format!("{probe},"),
        format!("{probe} else {probe}"),
        format!(" if {probe} else {probe}"),
        format!(" else {probe}"),
        format!(" -> {probe}"),
        format!(" for {probe} in {probe}"),
        format!(" = {probe}"),
        format!(": {probe}"),
        format!(" as {probe}"),
        format!(" in {probe}"),
        format!(" import {probe}"),
        format!("{probe} import {probe}"),
        format!("__future__ import {probe}"),
        format!("def {probe}()"),
        format!("for {probe} in {probe}"),
        format!("with {probe}"),
        format!("{probe}()"),
        format!("{probe}({probe})"),
        format!("{probe} in {probe}"),
        format!("*{probe}"),
        format!("**{probe}"),
        format!("{probe}: {probe}"),
        format!("{probe}: {probe},"),
        format!("{probe}={probe}"),
    ];
    let closers: String = open.brackets.iter().rev().map(|&b| b as char).collect();
    let comment = format!("  # {probe}\n");
    let mut fillers = fillers.to_vec();
    if first_word == "case" {
        // Patterns take literals where expressions take names: a complex number (`-5 - 6j`)
        // and a mapping key (`{-1: x}`), each starting with a digit the filler `0` does not.
        fillers.push("1j".to_owned());
        fillers.push(format!("1: {probe}"));
    }
    if kept.ends_with(|c: char| c.is_ascii_digit()) {
        // An integer takes an attribute only after a space (`5.a` is a float then a name), and
        // SimPy parenthesises it then: `5` → `(5).a`.
        fillers.push(" .a".to_owned());
    }
    if !closers.is_empty() && !open.spec {
        // A comment inside brackets moves before its statement: one more may still come. (In
        // a format spec, `#` is text.)
        fillers.push(comment.clone());
        fillers.push(format!("\n# {probe}\n"));
        // (After an operator or a comma, an operand follows the comment.)
        fillers.push(format!("  # {probe}\n{probe}"));
    }
    // An unterminated string is closed right away or after one of two more characters, so
    // that the probes part inside it: its text so far is all that is determined.
    let starts: Vec<String> = match open.string {
        Some(quote) if !closers.is_empty() => vec![
            quote.to_owned(),
            format!("y{quote}"),
            format!("z{quote}"),
            format!("{quote}  # {probe}\n"),
        ],
        Some(quote) => vec![quote.to_owned(), format!("y{quote}"), format!("z{quote}")],
        None => fillers,
    };
    let header = matches!(
        first_word,
        "def"
            | "class"
            | "if"
            | "elif"
            | "else"
            | "for"
            | "while"
            | "with"
            | "try"
            | "except"
            | "finally"
            | "async"
            | "match"
            | "case"
    );
    // (`match` and `case` are names too: `match(a)` is a call.)
    let keyword_header = header && !matches!(first_word, "match" | "case");
    let own_clause = if first_word == "try" {
        format!("{indent}finally:\n{indent}    pass\n")
    } else {
        String::new()
    };
    // A comment typed in the brackets of a simple statement moves before it; in a header's
    // or a decorator's, after it (`Shortcuts::comment_lands` holds for the first only).
    let simple = !header && !word.starts_with('@');
    let ends_with_colon = kept.trim_end().ends_with(':');
    // `def f[T` closes its type parameters, then needs its parameters.
    let defines = first_word == "def" || word.starts_with("async def");
    // `for (a` closes its target, then needs `in`.
    let iterates = first_word == "for" || word.starts_with("async for");
    let parameters = if defines && open.brackets.first() == Some(&b']') {
        "()".to_owned()
    } else if iterates && !closers.is_empty() && !word.split_whitespace().any(|w| w == "in") {
        format!(" in {probe}")
    } else {
        String::new()
    };
    // (A conditional typed up to its `else`: see below.)
    let typed_if = words(kept).any(|w| w == "if");
    let mut probes = Vec::new();
    for (way, start) in starts.iter().enumerate() {
        // After a bracket closes, an operator that binds tighter may keep a parenthesis that
        // `(a + b` would otherwise lose: one variant per bracket.
        let mut lines = vec![format!("{start}{closers}{parameters}")];
        // A conditional typed up to its `else` is finished by no other way, and may then end a
        // one-element tuple too: `y = a if b` → `y=(a<if>b<else>c )`, `(a if b` likewise.
        let conditional = typed_if && start.contains(" else ");
        if conditional && !closers.is_empty() {
            lines.push(format!("{start},{closers}"));
        }
        if way == 0 || open.string.is_some() || conditional {
            // A trailing comma after the brackets close makes a one-element tuple, which SimPy
            // parenthesises from its start: `x = f(a` may become `x=(f(a) )`. (After every way
            // of closing a string: what was typed may end in a quote.)
            lines.push(format!("{start}{closers},"));
            if open.string.is_some() {
                // (A starred expression before it takes a second element, or is refused.)
                lines.push(format!("{start}{closers}, {probe}"));
            }
        }
        if start.starts_with(" + ") || start.is_empty() {
            for k in 1..=closers.len() {
                lines.push(format!("{start}{} % a{}", &closers[..k], &closers[k..]));
            }
        }
        for (line_index, line) in lines.into_iter().enumerate() {
            let mut push = |rest: String| {
                probes.push(Probe {
                    way,
                    text: format!("{line}{rest}{after}"),
                    comment_next: simple && line_index == 0 && *start == comment && rest == "\n",
                })
            };
            if word.starts_with('@') {
                push(format!("\n{indent}def {probe}():\n{indent}    {probe}\n"));
            } else if header {
                let colon = if ends_with_colon && start.is_empty() && closers.is_empty() {
                    ""
                } else {
                    ":"
                };
                // The body is the probe itself, so that no common prefix reaches into it; an
                // `if` as the whole body of an `else:` folds into `<elif_stmt>`.
                push(format!("{colon}\n{indent}    {probe}\n{own_clause}"));
                if !shortcuts.one_body || first_word == "else" {
                    push(format!(
                        "{colon}\n{indent}    if {probe}:\n{indent}        {probe}\n{own_clause}"
                    ));
                }
                if first_word == "match" {
                    push(format!(
                        "{colon}\n{indent}    case {probe}:\n{indent}        {probe}\n"
                    ));
                }
                // A one-line compound statement (`for x in y: x()`), or `match` as a name.
                let has_colon = open.colon || (closers.is_empty() && start.contains(':'));
                if !(shortcuts.headers_need_colons && keyword_header && !has_colon) {
                    push(format!("\n{own_clause}"));
                }
            } else {
                push("\n".to_owned());
                if first_word == "type" {
                    // `type A[T` closes its parameters, then needs its value.
                    push(format!(" = {probe}\n"));
                }
            }
        }
    }
    // The line done, each enclosing block may go on, which decides, say, whether an `else:`
    // holding the `if` this line is in folds into `<elif_stmt>`.
    let firsts: Vec<String> = starts
        .iter()
        .take(3)
        .filter_map(|start| probes.iter().find(|p| starts[p.way] == *start))
        .map(|p| p.text.clone())
        .collect();
    for first in firsts {
        let line = first.strip_suffix(after).unwrap_or(&first).to_owned();
        let own = std::iter::once(indent);
        let shallower = blocks
            .levels
            .iter()
            .map(|(i, _)| i.as_str())
            .filter(|i| i.len() < indent.len());
        for (level, level_indent) in own.chain(shallower).enumerate() {
            let way = starts.len() + level;
            let closing = blocks.clauses_closing(level_indent);
            // The `try` this line is the first of, and those around it, need their clauses.
            let waiting_try = match blocks.waiting {
                // (Not after brackets or a string: those probes close them first.)
                Some((header, "try"))
                    if header.len() >= level_indent.len()
                        && open.brackets.is_empty()
                        && open.string.is_none() =>
                {
                    format!("{header}finally:\n{header}    pass\n")
                }
                _ => String::new(),
            };
            let before = blocks.clauses_before(level_indent);
            let text = format!("{line}{waiting_try}{before}{level_indent}{probe} = 0\n{closing}");
            probes.push(Probe {
                way,
                text,
                comment_next: false,
            });
        }
    }
    probes
}

/// The longest common prefix of every encoding.
fn common_prefix(encodings: &[String]) -> &str {
    let first = &encodings[0];
    let mut len = first.len();
    for other in &encodings[1..] {
        len = first
            .bytes()
            .zip(other.bytes())
            .take(len)
            .take_while(|(a, b)| a == b)
            .count();
    }
    while !first.is_char_boundary(len) {
        len -= 1;
    }
    &first[..len]
}

/// A common prefix never keeps a probe's own text, nor the start of a special token it ends
/// inside (`<if` of `<if_stmt>` and `<if>`).
fn trim_to_token<'s>(simpy: &'s str, probe: &str) -> &'s str {
    let simpy = simpy.find(probe).map_or(simpy, |at| &simpy[..at]);
    match (simpy.rfind('<'), simpy.rfind('>')) {
        (Some(open), close) if close.is_none_or(|c| c < open) && looks_special(&simpy[open..]) => {
            &simpy[..open]
        }
        _ => simpy,
    }
}

/// Whether `text` (starting at `<`) is the start of a special token rather than `<` itself.
fn looks_special(text: &str) -> bool {
    !text.is_empty()
        && Special::ALL
            .iter()
            .any(|s| s.text().starts_with(text) && s.text() != text)
}

/// Whether SimPy text ends where a statement not starting with its own token needs a
/// `<line_sep>`: after code or a comment trailing code, not after a block or an own-line
/// comment (which the printer writes after `<line_sep>`, a block token or another comment).
pub(crate) fn ends_open(simpy: &str) -> bool {
    if !simpy.ends_with('\n') {
        return !simpy.is_empty()
            && !simpy.ends_with(Special::BlockEnd.text())
            && !simpy.ends_with(Special::BlockStart.text());
    }
    let before_comment = &simpy[..last_comment_start(simpy)];
    !(before_comment.is_empty()
        || before_comment.ends_with('\n')
        || [Special::LineSep, Special::BlockStart, Special::BlockEnd]
            .iter()
            .any(|t| before_comment.ends_with(t.text())))
}

/// Where the last comment of SimPy text starts: its `#`, outside strings.
fn last_comment_start(simpy: &str) -> usize {
    let bytes = simpy.as_bytes();
    let (mut i, mut last) = (0, simpy.len());
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                last = i;
                i += bytes[i..]
                    .iter()
                    .position(|&b| b == b'\n')
                    .unwrap_or(bytes.len() - i);
            }
            b'\'' | b'"' => {
                i = super::lines::string_end(bytes, i);
            }
            _ => i += 1,
        }
    }
    last
}

/// The SimPy of the statements before the last one, then that of the last one's determined
/// part, with the separator the whole file would have between them.
fn join(before: &str, last: &str) -> String {
    if before.is_empty() || last.is_empty() {
        return format!("{before}{last}");
    }
    let open = ends_open(before);
    let delimits = Special::ALL
        .iter()
        .any(|s| s.starts_statement() && last.starts_with(s.text()));
    if open && !delimits {
        format!("{before}{}{last}", Special::LineSep.text())
    } else {
        format!("{before}{last}")
    }
}

fn describe(
    simpy: &str,
    before: &str,
    as_it_stands: Option<&str>,
    last_statement: &str,
    untouched_tail: &str,
    cut_reason: Option<&'static str>,
) -> Option<LeftOut> {
    let untouched = untouched_tail.trim();
    let whole = as_it_stands.map(|last| join(before, last));
    let pending = whole
        .as_deref()
        .and_then(|w| w.strip_prefix(simpy))
        .map(|rest| rest.trim_end_matches(Special::BlockEnd.text()).to_owned())
        .unwrap_or_default();
    if untouched.is_empty() && pending.is_empty() {
        return None;
    }
    let reason = match (cut_reason, untouched.is_empty()) {
        (Some(why), _) => format!("the unfinished line `{untouched}`: {why}"),
        (None, false) => format!("the unfinished line `{untouched}` is not determined yet"),
        (None, true) if lines::scan(last_statement).tail < last_statement.len() => {
            "the line goes on: what is typed next decides the SimPy after this (a comment inside \
             brackets, for one, moves before its statement)"
                .to_owned()
        }
        (None, true) if last_statement.trim_end().ends_with(':') => {
            "the block just opened: its first statement decides what follows".to_owned()
        }
        (None, true) => "what follows decides it: the next line's indentation places trailing \
                         comments and closes blocks, and `else:` holding one `if` prints as \
                         `<elif_stmt>` only if nothing follows it"
            .to_owned(),
    };
    Some(LeftOut {
        simpy: pending,
        python: untouched_tail.to_owned(),
        reason,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_header_cut_after_its_parameters() {
        let prompt = encode_prompt("import os\n\n\ndef f(a, b=1, *args, **kw) -").unwrap();
        assert_eq!(prompt.simpy, "<import_stmt>os<def_stmt>f a b=1 *args **kw");
    }

    /// Probing less changes nothing: every character cut of a file with nested blocks,
    /// clauses, decorators and brackets, every third of one with long strings, and line cuts of
    /// a sample of the standard library.
    /// `SIMPY_SHORTCUT_FILES=all cargo test --release -p simpy --lib shortcuts`: every line cut
    /// inside brackets of every stdlib file under 20 KB (where `comment_lands` probes less);
    /// `SIMPY_SHORTCUT_STEP=N`: every line cut of every Nth stdlib file under 20 KB.
    #[test]
    fn the_shortcuts_give_the_same_prompt() {
        let all = std::env::var("SIMPY_SHORTCUT_FILES").is_ok_and(|v| v == "all");
        // Every line cut of every `step`th file under 20 KB (`SIMPY_SHORTCUT_STEP=5`).
        let step = std::env::var("SIMPY_SHORTCUT_STEP")
            .ok()
            .map(|s| s.parse::<usize>().expect("SIMPY_SHORTCUT_STEP is a number"));
        let nested = r#"class A(B,
        metaclass=M):
    x = 1

    @d
    def f(self, a):  # c
        try:
            g(a)
        except E:
            if a:
                return [
                    1,
                    2,
                ]
            else:
                h = {
                    'k': a,  # inner
                }

        # between
        for i in a:
            pass
        else:
            if i:
                y = i

    options = [
        ('name=', None,
         'the name'),  # c
        ('group=', 'g',
         'the group'),
        {'k': (1, 2), 'v': [3,
                            4], **more,
         'w': 5},
    ]

    @d(1,
       2)
    async def h(self, a,
                b):
        x = 1
        await g(a)
        if a:
            pass

    def g(self):
        return self.x

        # A run of comment lines after the last code, long enough to be
    # probed as one (`Shortcuts::comment_run`): they go before the next
            # statement together, whatever its indentation.
        #
        # Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do
        # eiusmod tempor incididunt ut labore et dolore magna aliqua.
"#;
        crate::encode(nested).expect("the example is valid Python");
        let stdlib = simpy_testkit::cpython::stdlib_files();
        let sample: Vec<String> = stdlib
            .iter()
            .step_by(step.unwrap_or(if all { 1 } else { 151 }))
            .filter_map(|p| std::fs::read_to_string(p).ok())
            .filter(|text| text.len() < if all || step.is_some() { 20_000 } else { 8_000 })
            .collect();
        // Long strings left open, with escapes, a backslash at a line's end, bytes.
        let line = "    Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod.\n";
        let long_strings = format!(
            "def f(a):\n    r\"\"\"Doc \\N{{x}}.\n{}    \\\n    tail\"\"\"\n    x = [b'''\n{}'''\n         ]\n    \
             y = u'''\\N{{BULLET}} \\t\n{}'''\n",
            line.repeat(9),
            line.repeat(8),
            line.repeat(8)
        );
        crate::encode(&long_strings).expect("the example is valid Python");
        let cuts = |text: &str, every: usize| -> Vec<usize> {
            if every > 0 {
                (0..=text.len())
                    .step_by(every)
                    .filter(|&c| text.is_char_boundary(c))
                    .collect()
            } else {
                let lines = text.match_indices('\n').map(|(i, _)| i + 1);
                std::iter::once(0).chain(lines).collect()
            }
        };
        let files = [(nested, 1), (long_strings.as_str(), 3)]
            .into_iter()
            .chain(sample.iter().map(|t| (t.as_str(), 0)));
        let mut compared = 0;
        for (text, every) in files {
            for cut in cuts(text, every) {
                let prefix = &text[..cut];
                if all && lines::scan(prefix).open.brackets.is_empty() {
                    continue;
                }
                assert_eq!(
                    encode_prompt_with(prefix, Shortcuts::ALL),
                    encode_prompt_with(prefix, Shortcuts::NONE),
                    "cut at {cut}: {:?}",
                    &prefix[prefix.floor_char_boundary(cut.saturating_sub(80))..]
                );
                compared += 1;
            }
        }
        assert!(compared > 1_000, "{compared} cuts compared");
        // A long open string whose earlier lines are not valid: the same as probing it all.
        for bad in [
            format!("x = b'''\n{}é\n{}  ", line.repeat(8), line),
            format!("x = '''\\N{{NOT A NAME}}\n{}  ", line.repeat(8)),
            format!("x = '''\\x4\n{}", line.repeat(8)),
        ] {
            assert_eq!(
                encode_prompt_with(&bad, Shortcuts::ALL),
                encode_prompt_with(&bad, Shortcuts::NONE),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_type_alias_cut_in_its_parameters() {
        let file = "type A[T = str] = list[T]\n";
        let whole = crate::encode(file).unwrap();
        for cut in ["type A[T", "type A[T ", "type A[T = str"] {
            let prompt = encode_prompt(cut).unwrap();
            assert!(whole.starts_with(&prompt.simpy), "{cut:?}: {prompt:?}");
        }
    }
}
