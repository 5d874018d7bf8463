//! What each terminal of the grammar matches as text. Spellings come from the extern block
//! (special tokens and punctuation are their own keys), which spaces are layout from
//! `layout.rs`, and the token itself from the lexer, so none of it is restated here; only the
//! lexemes logos and the f-string scanner recognise by code (names, numbers, strings, f-string
//! text) are written again as patterns, and the stdlib acceptance tests hold them to the lexer.
//!
//! Layout and comments are folded into the terminals they may touch, as the lexer allows them:
//! spaces beside a token after or before which a space cannot separate, and comments (each
//! ending its line) before a statement token and around `<line_sep>`, `<block_start>` and
//! `<block_end>` — the only places the printer writes them.

use super::regex::{alt, lit, not_set, seq, set, Re};
use crate::layout::{drops_space_after, drops_space_before};
use crate::lexer::{scan, Lexeme, TextLayout};
use crate::token::{Punct, Special, Tok};

/// A terminal: its pattern, and what may surround it.
#[derive(Clone, Debug)]
pub struct Terminal {
    pub core: Core,
    pub layout_before: bool,
    pub layout_after: bool,
    pub comments_before: bool,
    pub comments_after: bool,
    /// The text a dialect spells this special token as, beside the token itself.
    pub spelt_as: Option<&'static str>,
    /// Whether line breaks are a dialect's layout: then a comment ends at its own.
    pub line_breaks_are_layout: bool,
}

#[derive(Clone, Debug)]
pub enum Core {
    /// A SimPy special token: one token id for a tokenizer that carries it.
    Special(&'static str),
    Pattern(Re),
    /// A name that is not a Python keyword (written per format: each has its own way to
    /// subtract a set of words).
    Name,
}

/// The quote and prefix kinds of an f-string; its text, end and fields depend on them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FKind {
    pub quote: &'static str,
    pub raw: bool,
    /// The text of a format spec (after `:` in a field) rather than of the string.
    pub spec: bool,
}

pub const FKINDS: [FKind; 8] = {
    const fn k(quote: &'static str, raw: bool) -> FKind {
        FKind {
            quote,
            raw,
            spec: false,
        }
    }
    [
        k("'", false),
        k("\"", false),
        k("'''", false),
        k("\"\"\"", false),
        k("'", true),
        k("\"", true),
        k("'''", true),
        k("\"\"\"", true),
    ]
};

impl FKind {
    pub fn suffix(self) -> String {
        let q = match self.quote {
            "'" => "sq",
            "\"" => "dq",
            "'''" => "tsq",
            _ => "tdq",
        };
        let raw = if self.raw { "_raw" } else { "" };
        let spec = if self.spec { "_spec" } else { "" };
        format!("{q}{raw}{spec}")
    }

    fn start(self) -> Re {
        let prefix = if self.raw {
            alt(vec![
                seq(vec![set("fF"), set("rR")]),
                seq(vec![set("rR"), set("fF")]),
            ])
        } else {
            set("fF")
        };
        seq(vec![prefix, lit(self.quote)])
    }

    /// Literal text up to a brace, the closing quote or (in a spec) the `}`: a backslash takes
    /// the next character (`\N{…}` whole when not raw) and may end the text before a field
    /// (`\{x}`). Doubled braces and, in triple quotes, quotes are lexemes of their own. A spec
    /// holds no quote of its string's kind (a quote there could end the string).
    fn middle(self) -> Re {
        let q = &self.quote[..1];
        let single_line = self.quote.len() == 1;
        let plain = not_set(&format!(
            "{{}}\\\\{q}{}",
            if single_line { "\n" } else { "" }
        ));
        let mut element = vec![plain, seq(vec![lit("\\"), not_set("{}")])];
        if !self.raw {
            element.insert(0, seq(vec![lit("\\N{"), not_set("}").star(), lit("}")]));
        }
        alt(vec![
            seq(vec![alt(element).plus(), lit("\\").opt()]),
            lit("\\"),
        ])
    }
}

/// The terminal for an extern key, or for an f-string key with its kind (`FMIDDLE`, kind), in
/// a dialect that spells `layout` as text.
pub fn terminal(key: &str, kind: Option<FKind>, layout: TextLayout) -> Terminal {
    let tok = token(key);
    let core = match (key, kind) {
        ("NAME", _) => Core::Name,
        ("NUMBER", _) => Core::Pattern(number()),
        ("STRING", _) => Core::Pattern(string()),
        ("FSTART", Some(k)) => Core::Pattern(k.start()),
        ("FMIDDLE", Some(k)) => Core::Pattern(k.middle()),
        ("FEND", Some(k)) => Core::Pattern(lit(k.quote)),
        ("FEMPTY", Some(k)) => Core::Pattern(seq(vec![k.start(), lit(k.quote)])),
        ("FQUOTES", Some(k)) => {
            Core::Pattern(seq(vec![lit(&k.quote[..1]), lit(&k.quote[..1]).opt()]))
        }
        ("FBRACES", None) => Core::Pattern(escaped_braces(true)),
        ("FIELD_OPEN", _) => Core::Pattern(lit("{")),
        ("FIELD_CLOSE", _) => Core::Pattern(lit("}")),
        ("FCONV", _) => Core::Pattern(seq(vec![lit("!"), set("rsa")])),
        ("FSPEC", _) => Core::Pattern(lit(":")),
        ("SP", _) => Core::Pattern(spaces().plus()),
        (_, _) => match tok {
            Tok::Special(s) => Core::Special(s.text()),
            // `from .. import x`: a longest-match lexer that has read `..` cannot fall back to
            // two `.`, so `..` is a lexeme too (accepted where `...` is).
            Tok::Punct(Punct::Ellipsis) => Core::Pattern(seq(vec![lit(".."), lit(".").opt()])),
            Tok::Punct(p) => Core::Pattern(lit(p.text())),
            other => panic!("grammar.lalrpop: no pattern for terminal {key} ({other:?})"),
        },
    };
    let delimiter = matches!(
        tok,
        Tok::Special(Special::LineSep | Special::BlockStart | Special::BlockEnd)
    );
    Terminal {
        core,
        layout_before: drops_space_before(tok),
        layout_after: drops_space_after(tok),
        comments_before: delimiter || matches!(tok, Tok::Special(s) if s.starts_statement()),
        comments_after: delimiter,
        spelt_as: match tok {
            Tok::Special(s) => layout.text_of(s),
            _ => None,
        },
        line_breaks_are_layout: layout.line_sep || layout.block_end,
    }
}

impl Terminal {
    /// The text of the terminal without layout: a special token also as its dialect's text.
    /// `None` for a name, which each format writes its own way.
    pub fn pattern(&self) -> Option<Re> {
        match &self.core {
            Core::Special(text) => Some(match self.spelt_as {
                Some(spelt) => alt(vec![lit(text), lit(spelt)]),
                None => lit(text),
            }),
            Core::Pattern(re) => Some(re.clone()),
            Core::Name => None,
        }
    }
}

/// The token a key stands for: the lexer's reading of the key itself, or a sample of the kind.
fn token(key: &str) -> Tok<'_> {
    match key {
        "NAME" => Tok::Name("x"),
        "NUMBER" => Tok::Number("1"),
        "STRING" => Tok::Str("''"),
        "FSTART" => Tok::FStart("f'"),
        "FMIDDLE" | "FQUOTES" | "FBRACES" | "FEMPTY" => Tok::FMiddle("x"),
        "FEND" => Tok::FEnd,
        "FIELD_OPEN" => Tok::FieldOpen,
        "FIELD_CLOSE" => Tok::FieldClose,
        "FCONV" => Tok::FConversion('r'),
        "FSPEC" => Tok::FSpec,
        "SP" => Tok::Space,
        _ => match scan(key).as_deref() {
            Ok([one]) => match one.tok {
                Lexeme::Tok(tok) => tok,
                other => panic!("grammar.lalrpop: terminal {key} lexes as {other:?}"),
            },
            other => panic!("grammar.lalrpop: terminal {key} lexes as {other:?}"),
        },
    }
}

/// `{{` or `}}`. As a run for Lark, which tries longer patterns first and must try this before a
/// field's `{`; one pair for llguidance, whose longest-match lexer cannot take back the third
/// `{` of `{{{x}` when it turns out to open a field.
pub fn escaped_braces(run: bool) -> Re {
    let pair = alt(vec![lit("{{"), lit("}}")]);
    if run {
        pair.plus()
    } else {
        pair
    }
}

pub fn spaces() -> Re {
    set(" \t\x0c")
}

/// A comment, which ends its line, with the blank lines after it unless line breaks are layout.
pub fn comment(line_breaks_are_layout: bool) -> Re {
    if line_breaks_are_layout {
        let line_break = alt(vec![lit("\r\n"), set("\r\n")]);
        seq(vec![lit("#"), not_set("\r\n").star(), line_break])
    } else {
        seq(vec![
            lit("#"),
            not_set("\r\n").star(),
            set("\r\n"),
            set(" \t\x0c\r\n").star(),
        ])
    }
}

/// Spaces and whole-line comments a terminal may carry on one side.
pub fn gap(layout: bool, comments: bool, line_breaks_are_layout: bool) -> Option<Re> {
    let comment = comment(line_breaks_are_layout);
    match (layout, comments) {
        (true, true) => Some(seq(vec![spaces().star(), comment.star()])),
        (true, false) => Some(spaces().star()),
        (false, true) => Some(seq(vec![spaces().star(), comment]).star()),
        (false, false) => None,
    }
}

/// Comments and blank lines before the first token or after the last (with the line break
/// that ends the file). It starts with a line break or a comment, so it is never a separator.
pub fn file_edge() -> Re {
    let comment = seq(vec![lit("#"), not_set("\r\n").star()]);
    seq(vec![
        spaces().star(),
        alt(vec![seq(vec![lit("\r").opt(), lit("\n")]), comment.clone()]),
        alt(vec![set(" \t\x0c\r\n"), comment]).star(),
    ])
}

/// As logos reads numbers (`token.rs`); the hex form first, for first-match regex engines.
fn number() -> Re {
    let digits = || set("0-9_").star();
    let exponent = seq(vec![set("eE"), set("+\\-").opt(), set("0-9_").plus()]);
    alt(vec![
        seq(vec![lit("0"), set("xXoObB"), set("0-9a-fA-F_").plus()]),
        seq(vec![
            set("0-9"),
            digits(),
            seq(vec![lit("."), digits()]).opt(),
            exponent.clone().opt(),
            set("jJ").opt(),
        ]),
        seq(vec![
            lit("."),
            set("0-9"),
            digits(),
            exponent.opt(),
            set("jJ").opt(),
        ]),
    ])
}

/// A string or bytes literal, prefix and quotes included; triple quotes first.
fn string() -> Re {
    let prefix = alt(vec![
        seq(vec![set("rR"), set("bB")]),
        seq(vec![set("bB"), set("rR")]),
        set("rRbBuU"),
    ])
    .opt();
    let bodies = ["'''", "\"\"\"", "'", "\""].map(|quote| {
        let q = &quote[..1];
        let escape = seq(vec![lit("\\"), Re::Any]);
        if quote.len() == 1 {
            let plain = not_set(&format!("{q}\\\\\n"));
            seq(vec![lit(q), alt(vec![plain, escape]).star(), lit(q)])
        } else {
            let char = alt(vec![not_set(&format!("{q}\\\\")), escape]);
            let inner = alt(vec![
                char.clone(),
                seq(vec![lit(q), char.clone()]),
                seq(vec![lit(q), lit(q), char]),
            ]);
            seq(vec![lit(quote), inner.star(), lit(quote)])
        }
    });
    seq(vec![prefix, alt(bodies.to_vec())])
}
