//! Is a SimPy text what `encode` writes for its tree? Where it is not, the first difference,
//! what the text means there, and what was likely meant.
//!
//! Every accepted spelling has one meaning (grammar/SPEC.md), but a space is SimPy's comma:
//! `print (x)` is the tuple `print, x`, `d[ "k" ]` is `d["k",]`. Such input is valid, and
//! exactly the slip a model or a person trained on Python makes, so it is reported rather than
//! decoded in silence.

use crate::{Error, ErrorKind};
use simpy_ast::{Comments, LineCol, ModModule, Stmt, TextRange};
use simpy_grammar::{parse_simpy, ParsedSimpy};

/// Where a valid SimPy text first differs from the canonical text of its tree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NonCanonical {
    /// Byte range of the input that differs (up to the next token).
    pub range: TextRange,
    pub location: LineCol,
    pub line_text: String,
    /// What the input has there, and what `encode` would write.
    pub found: String,
    pub canonical: String,
    /// The difference and what it means, for people.
    pub message: String,
}

impl NonCanonical {
    /// `path:line:col: warning: …` with the line and a caret.
    pub fn render(&self, path: &str) -> String {
        crate::render_diagnostic(
            "warning",
            path,
            self.location,
            &self.line_text,
            &self.message,
            None,
        )
    }

    /// The same as an error (`decode --strict`).
    pub fn render_as_error(&self, path: &str) -> String {
        self.as_error().render(path)
    }

    /// The same as an [`Error`] of kind [`ErrorKind::InvalidSimpy`].
    pub fn as_error(&self) -> Error {
        Error {
            kind: ErrorKind::InvalidSimpy,
            range: self.range,
            location: self.location,
            line_text: self.line_text.clone(),
            message: format!("non-canonical SimPy: {}", self.message),
            hint: None,
        }
    }
}

/// `None` when `text` is exactly what `encode` writes for `parsed` (trailing whitespace aside).
pub fn first_difference(text: &str, parsed: &ParsedSimpy) -> Option<NonCanonical> {
    let canonical = simpy_codegen::print_simpy(&parsed.module, &parsed.comments);
    let (input, expected) = (text.trim_end(), canonical.trim_end());
    let mut at = input
        .bytes()
        .zip(expected.bytes())
        .position(|(a, b)| a != b)
        .unwrap_or(input.len().min(expected.len()));
    if at == input.len() && at == expected.len() {
        return None;
    }
    while !input.is_char_boundary(at) || !expected.is_char_boundary(at) {
        at -= 1;
    }
    if !input[at..].starts_with([' ', '\t']) {
        at = token_start(input, at);
    }
    let found = snippet(input, at);
    let wanted = snippet(expected, at);
    let meaning = statement_at(&parsed.module.body, at as u32)
        .map(|stmt| format!("; it means `{}`", python_line(stmt)))
        .unwrap_or_default();
    // A difference right after whitespace is about that whitespace (`print (x)`).
    let before = input[..at].trim_end_matches([' ', '\t']).len();
    let space_at = if input[at..].starts_with([' ', '\t']) {
        Some(at)
    } else {
        (before < at).then_some(before)
    };
    let message = match space_at {
        Some(space) if separates(input, space, parsed) => {
            at = space;
            let alternative = without_space(input, space)
                .and_then(|t| parse_simpy(&t).ok())
                .and_then(|p| statement_at(&p.module.body, space as u32).map(python_line));
            let intent = alternative
                .map(|a| format!("; if `{a}` was meant, remove the space"))
                .unwrap_or_default();
            format!("this space separates two elements (a space is SimPy's comma){meaning}{intent}")
        }
        Some(space) if space == at => {
            format!("this space is ignored, and `encode` writes none here{meaning}")
        }
        _ => format!("`encode` writes `{wanted}` here, not `{found}`{meaning}"),
    };
    let found = snippet(input, at);
    let range = TextRange::new(at as u32, (at + found.len().max(1)).min(input.len()) as u32);
    let (location, line_text) = simpy_ast::locate(text, range.start);
    let line_text = line_text.to_owned();
    Some(NonCanonical {
        range,
        location,
        line_text,
        found,
        canonical: wanted,
        message,
    })
}

/// The start of the special token or word that byte `at` is inside, so that a difference is
/// shown from a whole token (`<isnot>`, not `not>`). Both texts agree before `at`.
fn token_start(text: &str, at: usize) -> usize {
    let before = &text[..at];
    if let Some(lt) = before.rfind('<') {
        if before[lt + 1..]
            .bytes()
            .all(|b| b.is_ascii_alphabetic() || b == b'_')
        {
            return lt;
        }
    }
    before
        .char_indices()
        .rev()
        .take_while(|&(_, c)| c.is_alphanumeric() || c == '_')
        .last()
        .map_or(at, |(i, _)| i)
}

/// Up to 24 characters of `text` from byte `at`.
fn snippet(text: &str, at: usize) -> String {
    text[at..].chars().take(24).collect()
}

/// The input without the whitespace run at `at`.
fn without_space(text: &str, at: usize) -> Option<String> {
    let end = at + text[at..].find(|c: char| c != ' ' && c != '\t')?;
    Some(format!("{}{}", &text[..at], &text[end..]))
}

/// Whether the whitespace at `at` carries meaning: without it the text fails to parse or
/// parses to another tree.
fn separates(text: &str, at: usize, parsed: &ParsedSimpy) -> bool {
    match without_space(text, at).map(|t| parse_simpy(&t)) {
        Some(Ok(other)) => simpy_ast::dump(&other.module) != simpy_ast::dump(&parsed.module),
        _ => true,
    }
}

/// The innermost statement whose range holds `pos`.
fn statement_at(body: &[Stmt], pos: u32) -> Option<&Stmt> {
    let stmt = body
        .iter()
        .find(|s| s.range().start <= pos && pos < s.range().end)?;
    let inner: Vec<&[Stmt]> = match stmt {
        Stmt::FunctionDef(s) => vec![&s.body],
        Stmt::ClassDef(s) => vec![&s.body],
        Stmt::If(s) => vec![&s.body, &s.orelse],
        Stmt::For(s) => vec![&s.body, &s.orelse],
        Stmt::While(s) => vec![&s.body, &s.orelse],
        Stmt::With(s) => vec![&s.body],
        Stmt::Try(s) => {
            let mut bodies: Vec<&[Stmt]> = vec![&s.body, &s.orelse, &s.finalbody];
            bodies.extend(s.handlers.iter().map(|h| &h.body[..]));
            bodies
        }
        Stmt::Match(s) => s.cases.iter().map(|c| &c.body[..]).collect(),
        _ => Vec::new(),
    };
    inner
        .into_iter()
        .find_map(|b| statement_at(b, pos))
        .or(Some(stmt))
}

/// The first line of a statement printed as Python.
fn python_line(stmt: &Stmt) -> String {
    let module = ModModule {
        range: TextRange::default(),
        body: vec![stmt.clone()],
    };
    let python = simpy_codegen::print_python(&module, &Comments::default());
    python.lines().next().unwrap_or_default().to_owned()
}
