//! Lark, in two dialects. Python's `lark` reads special tokens as text and tries terminals in
//! turn (longest pattern first), so a name must not swallow an f-string's `f` (a lookahead);
//! llguidance matches special tokens as token ids (`<line_sep>`), lexes longest-match, and
//! has no lookaround but `&`/`~` on terminals.

use super::reader::{Grammar, Item};
use super::regex::{lit, seq, Re};
use super::terminals::{comment, escaped_braces, file_edge, gap, spaces, terminal, Core, Terminal};
use super::{ebnf, snake, split_key, terminal_name};
use crate::lexer::TextLayout;
use simpy_ast::Special;
use simpy_python::KEYWORDS;
use std::collections::BTreeMap;
use std::fmt::Write;

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Lark,
    Llguidance,
}

pub fn write(grammar: &Grammar, header: &str, dialect: Dialect, layout: TextLayout) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "// {line}");
    }
    if dialect == Dialect::Llguidance {
        out.push_str("%llguidance {}\n");
    }
    let mut names = Names {
        layout,
        ..Names::default()
    };
    let line_breaks_are_layout = layout.line_sep || layout.block_end;
    if dialect == Dialect::Llguidance && line_breaks_are_layout {
        // llguidance's lexer takes the longest match and never backs off: an edge lexeme
        // after the last statement would swallow a line break and the comments after it
        // (`⏎# c⏎`) before another statement. The file ends in lexemes of their own instead.
        let _ = writeln!(
            out,
            "\nstart: EDGE? {} file_end?\nfile_end: (SP | {} | {})+",
            snake(&grammar.start),
            names.define("CMT", &comment_lexeme(true)),
            names.define("LINE_BREAK", &lit("\n")),
        );
    } else {
        let _ = writeln!(out, "\nstart: EDGE? {} EDGE?", snake(&grammar.start));
    }
    for rule in &grammar.rules {
        let alternatives: Vec<String> = rule
            .alternatives
            .iter()
            .map(|a| sequence(&a.items, dialect, &mut names))
            .collect();
        let _ = writeln!(
            out,
            "{}: {}",
            snake(&rule.name),
            alternatives.join("\n    | ")
        );
    }
    for (name, body) in &names.gaps {
        let _ = writeln!(out, "{name}: {body}");
    }
    out.push('\n');
    names.define("EDGE", &file_edge());
    for (name, pattern) in &names.definitions {
        match names.priorities.get(name) {
            Some(priority) => {
                let _ = writeln!(out, "{name}.{priority}: {pattern}");
            }
            None => {
                let _ = writeln!(out, "{name}: {pattern}");
            }
        }
    }
    out
}

/// Terminal names in order of first use, one per distinct pattern.
#[derive(Default)]
struct Names {
    by_key: BTreeMap<String, String>,
    by_pattern: BTreeMap<String, String>,
    definitions: Vec<(String, String)>,
    /// Lark tries a terminal of higher priority first: layout spelt as text is read as the
    /// longer token (`:` and a line break as `<block_start>`, not `:`; two line breaks as
    /// `<block_end>`, not two `<line_sep>`), as the dialect's reader does.
    priorities: BTreeMap<String, u8>,
    /// llguidance: the optional spaces and comments around special tokens, one rule for each
    /// kind, in order of first use.
    gaps: Vec<(String, String)>,
    layout: TextLayout,
}

impl Names {
    /// A rule that matches `body` or nothing. One rule shared by every special token: Earley
    /// predicts it once for a row, where a group inline in each keyword's rule (`(CMT? <if>)`)
    /// costs items for each keyword that may come next, after every statement.
    fn gap(&mut self, name: &str, body: String) -> String {
        if !self.gaps.iter().any(|(n, _)| n == name) {
            self.gaps.push((name.to_owned(), format!("{body}?")));
        }
        name.to_owned()
    }

    fn define(&mut self, name: &str, re: &Re) -> String {
        self.define_pattern(name, format!("/{}/", re.regex()))
    }

    fn define_pattern(&mut self, name: &str, pattern: String) -> String {
        if let Some(existing) = self.by_pattern.get(&pattern) {
            return existing.clone();
        }
        // `<ellipsis>` and `...` would both be ELLIPSIS.
        let mut unique = name.to_owned();
        while self.definitions.iter().any(|(n, _)| *n == unique) {
            unique.push('_');
        }
        self.by_pattern.insert(pattern.clone(), unique.clone());
        self.definitions.push((unique.clone(), pattern));
        unique
    }

    fn terminal(&mut self, key: &str, dialect: Dialect) -> String {
        if let Some(name) = self.by_key.get(key) {
            return name.clone();
        }
        let (base, kind) = split_key(key);
        let t = terminal(base, kind, self.layout);
        let name = terminal_name(key);
        let defined = match (&t.core, dialect) {
            (Core::Name, Dialect::Lark) => self.define_pattern(&name, lark_name()),
            (Core::Name, Dialect::Llguidance) => self.define_pattern(&name, llguidance_name()),
            (Core::Special(text), Dialect::Llguidance) => {
                let inline = special_token(text, &name, &t, self);
                self.by_key.insert(key.to_owned(), inline.clone());
                return inline;
            }
            (Core::Special(text), Dialect::Lark) => {
                let pattern = t.pattern().expect("a special token has a pattern");
                let defined = self.define(&name, &folded(&t, pattern));
                if t.spelt_as.is_some() && *text != Special::LineSep.text() {
                    self.priorities.insert(defined.clone(), 1);
                }
                defined
            }
            (Core::Pattern(_), Dialect::Llguidance) if base == "FBRACES" => {
                self.define(&name, &escaped_braces(false))
            }
            (Core::Pattern(re), _) => self.define(&name, &folded(&t, re.clone())),
        };
        self.by_key.insert(key.to_owned(), defined.clone());
        defined
    }
}

/// A terminal's pattern with the spaces and comments it may carry.
pub fn folded(t: &Terminal, core: Re) -> Re {
    let mut parts = Vec::new();
    parts.extend(gap(
        t.layout_before,
        t.comments_before,
        t.line_breaks_are_layout,
    ));
    parts.push(core);
    parts.extend(gap(
        t.layout_after,
        t.comments_after,
        t.line_breaks_are_layout,
    ));
    if parts.len() == 1 {
        parts.pop().expect("one part")
    } else {
        seq(parts)
    }
}

/// `<line_sep>` as a token id (or the dialect's text for it), with its layout and comments as
/// lexemes of their own.
fn special_token(text: &str, name: &str, t: &Terminal, names: &mut Names) -> String {
    let side = |layout: bool, comments: bool, names: &mut Names| -> Option<String> {
        let cmt = names.define("CMT", &comment_lexeme(t.line_breaks_are_layout));
        match (layout, comments) {
            (true, true) => Some(names.gap("space_or_comment_gap", format!("(SP | {cmt})"))),
            (true, false) => Some(names.gap("space_gap", "SP".to_owned())),
            (false, true) => Some(names.gap("comment_gap", cmt)),
            (false, false) => None,
        }
    };
    // No space after a special token, nor before one but where encode writes it: after a
    // definition's name when it has no parameters (`<def_stmt>f <block_start>`, `f <arrow>`).
    // Allowed after one, every space-led token of the vocabulary (half of cl100k) could follow
    // it, at a parser step apiece; allowed before an operator, each is a rule of its own
    // (`SP? <or>`), and the items they add to every row after a lexeme pass llguidance's
    // default limit. Before `<line_sep>` and `<block_end>`, which end every statement, a space
    // cost `compact` a tenth of the items of a mask after a statement's first name.
    let space_before = text == Special::BlockStart.text() || text == Special::Arrow.text();
    let core = match t.spelt_as {
        Some(spelt) => format!(
            "({text} | {})",
            names.define(&format!("{name}_TEXT"), &lit(spelt))
        ),
        None => text.to_owned(),
    };
    let parts: Vec<String> = side(t.layout_before && space_before, t.comments_before, names)
        .into_iter()
        .chain(std::iter::once(core.clone()))
        .chain(side(false, t.comments_after, names))
        .collect();
    if parts.len() == 1 {
        core
    } else {
        format!("({})", parts.join(" "))
    }
}

/// llguidance's lexeme for comments, each ending its line, and what follows them (blank lines
/// too, unless line breaks are layout).
fn comment_lexeme(line_breaks_are_layout: bool) -> Re {
    let comment = if line_breaks_are_layout {
        comment(true)
    } else {
        seq(vec![
            lit("#"),
            super::regex::not_set("\n").star(),
            lit("\n"),
            super::regex::set(" \t\x0c\r\n").star(),
        ])
    };
    seq(vec![spaces().star(), comment.plus()])
}

fn sequence(items: &[Item], dialect: Dialect, names: &mut Names) -> String {
    ebnf(items, &mut |key| names.terminal(key, dialect), &snake)
}

fn keyword_alternation() -> String {
    format!("(?:{})", KEYWORDS.join("|"))
}

/// A name: a letter or `_`, then letters, digits and `_`; any non-ASCII character counts as a
/// letter (Python's `re` has no XID classes, and llguidance's lexer pays for big classes).
const NAME: &str = r"(?:[a-zA-Z_]|[^\x00-\x7f])(?:[a-zA-Z0-9_]|[^\x00-\x7f])*";

/// Not a keyword, not the prefix of a string (`f` in `f"…"`), by lookahead: Python `re`.
fn lark_name() -> String {
    format!(
        r"/(?!{}(?!\w)){NAME}(?![\w\x27\x22])/",
        keyword_alternation()
    )
}

/// Not a keyword, by llguidance's `&` and `~` (its lexer takes the longest match, so `f"`
/// is an f-string's start without a lookahead).
fn llguidance_name() -> String {
    format!(r"/{NAME}/ & ~/{}/", keyword_alternation())
}
