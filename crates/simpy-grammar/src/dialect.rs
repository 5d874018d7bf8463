//! Dialects: canonical SimPy respelt token by token, and read back.
//!
//! A dialect keeps SimPy's grammar and changes only spellings, each a bijection on valid
//! SimPy, so `unspell(respell(s)) == s` for every canonical `s` (the stdlib test holds every
//! dialect to it) and the parser, printers and checks stay the canonical ones. Each choice is
//! decided from the canonical tokens on either side, which both directions see alike: `respell`
//! reads them from its input, `unspell` from what it has written so far and the next token.
//! Why each is safe is in SPEC.md ("Dialects").

use crate::error::SimpyError;
use crate::lexer::{scan, scan_spelled, Lexeme, Spanned, TextLayout};
use crate::token::{Punct, Special, Tok};
use simpy_ast::TextRange;

/// The spelling choices of a dialect; `Spelling::default()` is canonical SimPy.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spelling {
    /// `<line_sep>` as a line break.
    pub line_sep_as_newline: bool,
    /// `<block_end>` as two line breaks (a blank line).
    pub block_end_as_blank_line: bool,
    /// `<block_start>` as `:` and a line break.
    pub block_start_as_colon: bool,
    /// `<def_stmt>f self x` as `<def_stmt>.f x`: a method's `self` parameter implied.
    pub method_implies_self: bool,
    /// `self.x` as `.x` where no operand ends before the `.`.
    pub implicit_self: bool,
    /// No `<block_end>` right before `elif`, `else`, `except`, `finally` or `case` when a
    /// token other than `<block_end>` ends the block.
    pub clause_closes_block: bool,
    /// No `<block_start>` after `else`, `try` and `finally` when a token follows.
    pub clause_opens_block: bool,
    /// `<is><not>` as `<isnot>`, `<not><in>` as `<notin>`.
    pub fused_negations: bool,
    /// `"a"<concat>"b"` as `"a""b"`, as Python writes it, where the two still read apart.
    pub implicit_concat: bool,
}

impl Spelling {
    pub(crate) fn text_layout(self) -> TextLayout {
        TextLayout {
            line_sep: self.line_sep_as_newline,
            block_end: self.block_end_as_blank_line,
            block_start: self.block_start_as_colon,
            idioms: false,
        }
    }
}

/// Canonical SimPy (as `encode` writes it) spelt in a dialect.
pub fn respell(canonical: &str, spelling: Spelling) -> Result<String, SimpyError> {
    Ok(respell_in(canonical, spelling, false)?.0)
}

/// The start of canonical SimPy that more may follow (a prompt's), spelt as far as what
/// follows cannot change it: the dialect's text, and the length of the canonical SimPy it
/// spells. `respell` of any text that starts with `canonical` starts with that text.
pub fn respell_prefix(canonical: &str, spelling: Spelling) -> Result<(String, usize), SimpyError> {
    respell_in(canonical, spelling, true)
}

fn respell_in(
    canonical: &str,
    spelling: Spelling,
    open_ended: bool,
) -> Result<(String, usize), SimpyError> {
    let lexemes = scan(canonical)?;
    let layout = spelling.text_layout();
    let as_text = |s| layout.text_of(s).expect("a choice spells it as text");
    let mut out = String::with_capacity(canonical.len());
    // The ` self` of a method written `<def_stmt>.f`: the index of its space.
    let mut implied_self = None;
    let mut i = 0;
    while let Some(l) = lexemes.get(i) {
        let at = |j: usize| lexemes.get(j).map(|l| l.tok);
        let prev = i.checked_sub(1).and_then(at);
        let before_prev = i.checked_sub(2).and_then(at);
        let next = at(i + 1);
        // Layout spelt as text must not end the file, where it would read as its end.
        let after = &lexemes[i + 1..];
        let more = || after.iter().any(|l| l.tok != Lexeme::Whitespace);
        let text = &canonical[l.start as usize..l.end as usize];
        i += 1;
        if implied_self == Some(i - 1) {
            i += 1; // the space and `self`
            continue;
        }
        if open_ended && undecided(&lexemes, i - 1, spelling) {
            return Ok((out, l.start as usize));
        }
        match l.tok {
            Lexeme::Tok(Tok::Special(Special::BlockEnd))
                if spelling.clause_closes_block
                    && next.is_some_and(is_clause)
                    && prev.is_some_and(ends_block_itself) => {}
            Lexeme::Tok(Tok::Special(Special::BlockEnd))
                if spelling.block_end_as_blank_line && more() =>
            {
                out.push_str(as_text(Special::BlockEnd));
            }
            Lexeme::Tok(Tok::Special(Special::BlockStart))
                if spelling.clause_opens_block
                    && prev.is_some_and(opens_block_itself)
                    && matches!(next, Some(Lexeme::Tok(_))) => {}
            Lexeme::Tok(Tok::Special(Special::BlockStart)) if spelling.block_start_as_colon => {
                out.push_str(as_text(Special::BlockStart));
            }
            // Before a `<block_end>` spelt as line breaks, the two would read the other way.
            Lexeme::Tok(Tok::Special(Special::LineSep))
                if spelling.line_sep_as_newline
                    && more()
                    && !(spelling.block_end_as_blank_line
                        && next == Some(Lexeme::Tok(Tok::Special(Special::BlockEnd)))) =>
            {
                out.push_str(as_text(Special::LineSep));
            }
            Lexeme::Tok(Tok::Special(Special::DefStmt)) if spelling.method_implies_self => {
                out.push_str(text);
                if let Some(space) = self_parameter(&lexemes, i) {
                    out.push('.');
                    implied_self = Some(space);
                }
            }
            Lexeme::Tok(Tok::Special(Special::Concat))
                if spelling.implicit_concat && concat_is_implicit(&lexemes, i - 1, canonical) => {}
            Lexeme::Tok(Tok::Special(first)) if spelling.fused_negations => match (first, next) {
                (Special::Is, Some(Lexeme::Tok(Tok::Special(Special::Not)))) => {
                    out.push_str(Special::IsNot.text());
                    i += 1;
                }
                (Special::Not, Some(Lexeme::Tok(Tok::Special(Special::In)))) => {
                    out.push_str(Special::NotIn.text());
                    i += 1;
                }
                _ => out.push_str(text),
            },
            Lexeme::Tok(Tok::Name("self"))
                if spelling.implicit_self
                    && next == Some(Lexeme::Tok(Tok::Punct(Punct::Dot)))
                    && starts_operand(prev, before_prev) => {}
            _ => out.push_str(text),
        }
    }
    Ok((out, canonical.len()))
}

/// Whether the spelling of the lexeme at `at` depends on tokens after the last one.
fn undecided(lexemes: &[Spanned], at: usize, spelling: Spelling) -> bool {
    let tok = |j: usize| lexemes.get(j).map(|l| l.tok);
    let last = at + 1 == lexemes.len();
    let nothing_after = lexemes[at + 1..]
        .iter()
        .all(|l| l.tok == Lexeme::Whitespace);
    match lexemes[at].tok {
        Lexeme::Tok(Tok::Special(Special::BlockEnd)) => {
            (spelling.clause_closes_block && last)
                || (spelling.block_end_as_blank_line && nothing_after)
        }
        Lexeme::Tok(Tok::Special(Special::BlockStart)) => {
            spelling.clause_opens_block
                && last
                && at
                    .checked_sub(1)
                    .and_then(tok)
                    .is_some_and(opens_block_itself)
        }
        Lexeme::Tok(Tok::Special(Special::LineSep)) => {
            spelling.line_sep_as_newline && nothing_after
        }
        Lexeme::Tok(Tok::Special(Special::Is | Special::Not)) => spelling.fused_negations && last,
        Lexeme::Tok(Tok::Special(Special::Concat)) => spelling.implicit_concat && last,
        // Whether `self` is the first parameter is known once the header is.
        Lexeme::Tok(Tok::Special(Special::DefStmt)) => {
            spelling.method_implies_self
                && !lexemes[at..]
                    .iter()
                    .any(|l| l.tok == Lexeme::Tok(Tok::Special(Special::BlockStart)))
        }
        Lexeme::Tok(Tok::Name("self")) => {
            spelling.implicit_self
                && last
                && starts_operand(
                    at.checked_sub(1).and_then(tok),
                    at.checked_sub(2).and_then(tok),
                )
        }
        _ => false,
    }
}

/// Whether the `<concat>` at `at` may be left out: it joins two literals, and they read
/// apart without it (an empty literal before one that starts with its quote would not:
/// `""` and `"x"` read as `"""x"`).
fn concat_is_implicit(lexemes: &[Spanned], at: usize, canonical: &str) -> bool {
    let text = |l: &Spanned| &canonical[l.start as usize..l.end as usize];
    let (Some(before), Some(after)) = (at.checked_sub(1).map(|b| &lexemes[b]), lexemes.get(at + 1))
    else {
        return false;
    };
    let empty_quote = match before.tok {
        Lexeme::Tok(Tok::Str(_)) => {
            let quotes = text(before).trim_start_matches(|c: char| c.is_ascii_alphabetic());
            (quotes == "''" || quotes == "\"\"").then(|| quotes.as_bytes()[0])
        }
        Lexeme::Tok(Tok::FEnd) => at
            .checked_sub(2)
            .filter(|&s| matches!(lexemes[s].tok, Lexeme::Tok(Tok::FStart(_))))
            .map(|_| text(before).as_bytes()[0]),
        _ => return false,
    };
    matches!(after.tok, Lexeme::Tok(Tok::Str(_) | Tok::FStart(_)))
        && empty_quote.is_none_or(|q| text(after).as_bytes()[0] != q)
}

/// Where the parameters of the `def` whose name is at `name` start with a bare `self` (the
/// first of more, or alone): the index of the space before it.
fn self_parameter(lexemes: &[Spanned], name: usize) -> Option<usize> {
    let tok = |j: usize| lexemes.get(j).map(|l| l.tok);
    let Some(Lexeme::Tok(Tok::Name(_))) = tok(name) else {
        return None;
    };
    let mut space = name + 1;
    // Type parameters: `<def_stmt>f[T] self`.
    if tok(space) == Some(Lexeme::Tok(Tok::Punct(Punct::LBracket))) {
        let mut depth = 0;
        loop {
            match tok(space)? {
                Lexeme::Tok(Tok::Punct(Punct::LBracket)) => depth += 1,
                Lexeme::Tok(Tok::Punct(Punct::RBracket)) => depth -= 1,
                _ => {}
            }
            space += 1;
            if depth == 0 {
                break;
            }
        }
    }
    let after = tok(space + 2);
    (tok(space) == Some(Lexeme::Whitespace)
        && tok(space + 1) == Some(Lexeme::Tok(Tok::Name("self")))
        && matches!(
            after,
            Some(
                Lexeme::Whitespace
                    | Lexeme::Tok(Tok::Special(Special::BlockStart | Special::Arrow))
            )
        ))
    .then_some(space)
}

/// SimPy in a dialect read back as canonical SimPy, with where each part came from.
pub fn unspell(text: &str, spelling: Spelling) -> Result<Unspelt, SimpyError> {
    Ok(unspell_from(text, spelling, Resume::default(), false)?.0)
}

/// A point where reading a dialect's text back may start again: after a lexeme outside
/// f-strings and outside a method's `<def_stmt>.f…`, with what the reader knows there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resume {
    /// The end of the lexeme in the text read.
    pub source: u32,
    /// The end of what was written for it (and for the next lexeme's kind) in canonical SimPy.
    pub canonical: u32,
    /// The last two canonical lexemes written, the last first: their kinds, texts left out.
    last: [Option<Lexeme<'static>>; 2],
}

/// How many lexemes other than whitespace may still change at the end of a text that goes on:
/// the last may grow (`sel` → `self`, `:` → `:` and a line break) and merge with the one
/// before (`..` → `...`); the one before those is final, and so is every choice that looks at it.
const UNSETTLED: usize = 2;

/// [`unspell`] of a text that starts at `from` (an earlier reading's resume point; offsets are
/// then in `text`), and the points from which reading may start again, in order. With
/// `open_ended`, `text` may go on, and only points up to which what was read is final, whatever
/// follows, are given.
pub fn unspell_from(
    text: &str,
    spelling: Spelling,
    from: Resume,
    open_ended: bool,
) -> Result<(Unspelt, Vec<Resume>), SimpyError> {
    let lexemes = scan_spelled(text, spelling.text_layout())?;
    // With more to come, lexemes from the first unsettled one on are not read for good.
    let settled = if open_ended {
        lexemes
            .iter()
            .enumerate()
            .rev()
            .filter(|(_, l)| l.tok != Lexeme::Whitespace)
            .nth(UNSETTLED)
            .map_or(0, |(i, _)| i)
    } else {
        lexemes.len()
    };
    let mut w = Writer {
        out: String::with_capacity(text.len() + text.len() / 4),
        // A part and at most one resume point a lexeme: no growing on the way (a stream reads a
        // few lexemes at each byte).
        from: SourceMap(Vec::with_capacity(lexemes.len() + 2)),
        last: from.last,
    };
    let mut resumes = Vec::with_capacity(lexemes.len());
    let mut fstrings = 0u32;
    // Inside `<def_stmt>.f[…]`: the depth of brackets until ` self` is written.
    let mut method: Option<u32> = None;
    let mut lexemes = lexemes.iter().enumerate().peekable();
    while let Some((i, &Spanned { tok, start, end })) = lexemes.next() {
        let source = TextRange::new(start, end);
        let mut next = lexemes.peek().map(|(_, n)| n.tok);
        match tok {
            Lexeme::Tok(Tok::FStart(_)) => fstrings += 1,
            Lexeme::Tok(Tok::FEnd) => fstrings = fstrings.saturating_sub(1),
            _ => {}
        }
        match tok {
            Lexeme::Tok(Tok::Special(Special::DefStmt))
                if spelling.method_implies_self
                    && next == Some(Lexeme::Tok(Tok::Punct(Punct::Dot))) =>
            {
                w.special(Special::DefStmt, source);
                lexemes.next();
                next = lexemes.peek().map(|(_, n)| n.tok);
                method = Some(0);
                continue;
            }
            Lexeme::Tok(Tok::Special(clause))
                if spelling.clause_closes_block
                    && is_clause(tok)
                    && w.last[0].is_some_and(ends_block_itself) =>
            {
                w.special(Special::BlockEnd, source);
                w.special(clause, source);
            }
            Lexeme::Tok(Tok::Special(Special::IsNot)) if spelling.fused_negations => {
                w.special(Special::Is, source);
                w.special(Special::Not, source);
            }
            Lexeme::Tok(Tok::Special(Special::NotIn)) if spelling.fused_negations => {
                w.special(Special::Not, source);
                w.special(Special::In, source);
            }
            Lexeme::Tok(Tok::Punct(Punct::Dot))
                if spelling.implicit_self && starts_operand(w.last[0], w.last[1]) =>
            {
                w.write(Lexeme::Tok(Tok::Name("self")), "self", source);
                w.write(tok, ".", source);
            }
            Lexeme::Tok(Tok::Special(special)) => w.special(special, source),
            Lexeme::Tok(Tok::Str(_) | Tok::FStart(_))
                if spelling.implicit_concat
                    && matches!(w.last[0], Some(Lexeme::Tok(Tok::Str(_) | Tok::FEnd))) =>
            {
                w.special(Special::Concat, source);
                w.write(tok, &text[start as usize..end as usize], source);
            }
            _ => w.write(tok, &text[start as usize..end as usize], source),
        }
        if let Some(depth) = &mut method {
            match tok {
                Lexeme::Tok(Tok::Punct(Punct::LBracket)) => *depth += 1,
                Lexeme::Tok(Tok::Punct(Punct::RBracket)) => *depth = depth.saturating_sub(1),
                _ => {}
            }
            let type_params = next == Some(Lexeme::Tok(Tok::Punct(Punct::LBracket)));
            if *depth == 0 && !type_params {
                w.write(Lexeme::Whitespace, " ", source);
                w.write(Lexeme::Tok(Tok::Name("self")), "self", source);
                method = None;
            }
        }
        if spelling.clause_opens_block
            && w.last[0].is_some_and(opens_block_itself)
            && matches!(next, Some(Lexeme::Tok(t)) if t != Tok::Special(Special::BlockStart))
        {
            w.special(Special::BlockStart, source);
        }
        // What was written for this lexeme looked at the next one's kind: final only if the
        // next one is settled too.
        if fstrings == 0 && method.is_none() && i + 1 < settled {
            resumes.push(Resume {
                source: end,
                canonical: w.out.len() as u32,
                last: w.last.map(|l| l.map(detached)),
            });
        }
    }
    let unspelt = Unspelt {
        canonical: w.out,
        from: w.from,
    };
    Ok((unspelt, resumes))
}

/// A lexeme's kind without its text, to carry from one reading to the next.
fn detached(lexeme: Lexeme) -> Lexeme<'static> {
    let tok = match lexeme {
        Lexeme::Tok(tok) => tok,
        Lexeme::Whitespace => return Lexeme::Whitespace,
        Lexeme::Comment(_) => return Lexeme::Comment(""),
        Lexeme::Idiom(n) => return Lexeme::Idiom(n),
    };
    Lexeme::Tok(match tok {
        Tok::Name(_) => Tok::Name(""),
        Tok::Number(_) => Tok::Number(""),
        Tok::Str(_) => Tok::Str(""),
        Tok::FStart(_) => Tok::FStart(""),
        Tok::FMiddle(_) => Tok::FMiddle(""),
        Tok::FEnd => Tok::FEnd,
        Tok::FieldOpen => Tok::FieldOpen,
        Tok::FieldClose => Tok::FieldClose,
        Tok::FConversion(c) => Tok::FConversion(c),
        Tok::FSpec => Tok::FSpec,
        Tok::Space => Tok::Space,
        Tok::Special(s) => Tok::Special(s),
        Tok::Punct(p) => Tok::Punct(p),
    })
}

/// Canonical SimPy read from a dialect's text.
#[derive(Clone, Debug)]
pub struct Unspelt {
    pub canonical: String,
    pub from: SourceMap,
}

impl Unspelt {
    /// A range of `canonical` as a range of the dialect's text (for errors).
    pub fn source_range(&self, range: TextRange) -> TextRange {
        self.from.source_range(range)
    }
}

/// Where the parts of a text written from another came from: for each part, its start in the
/// text written and the range of the text read.
#[derive(Clone, Debug, Default)]
pub struct SourceMap(Vec<(u32, TextRange)>);

impl SourceMap {
    /// The next part starts at `start` and came from `source`.
    pub fn push(&mut self, start: u32, source: TextRange) {
        self.0.push((start, source));
    }

    /// The parts, in order.
    pub fn parts(&self) -> &[(u32, TextRange)] {
        &self.0
    }

    /// A range of the text written as a range of the text read.
    pub fn source_range(&self, range: TextRange) -> TextRange {
        let at = |offset: u32| {
            let i = self.0.partition_point(|&(start, _)| start <= offset);
            let Some(&(start, source)) = i.checked_sub(1).and_then(|i| self.0.get(i)) else {
                return 0;
            };
            (source.start + (offset - start)).min(source.end)
        };
        let start = at(range.start);
        TextRange::new(start, at(range.end).max(start))
    }
}

struct Writer<'a> {
    out: String,
    from: SourceMap,
    /// The last two canonical lexemes written, the last first.
    last: [Option<Lexeme<'a>>; 2],
}

impl<'a> Writer<'a> {
    fn special(&mut self, special: Special, source: TextRange) {
        self.write(Lexeme::Tok(Tok::Special(special)), special.text(), source);
    }

    fn write(&mut self, lexeme: Lexeme<'a>, text: &str, source: TextRange) {
        self.from.push(self.out.len() as u32, source);
        self.out.push_str(text);
        self.last = [Some(lexeme), self.last[0]];
    }
}

/// A clause that continues a compound statement after a block.
fn is_clause(lexeme: Lexeme) -> bool {
    use Special::*;
    matches!(
        lexeme,
        Lexeme::Tok(Tok::Special(
            ElifStmt | ElseStmt | ExceptStmt | ExceptGroupStmt | FinallyStmt | CaseStmt
        ))
    )
}

/// Whether a `<block_end>` after this lexeme may be left to the clause that follows: a token
/// ends the block's last statement (not a comment, nor another `<block_end>`, which the
/// reader could not tell from the one left out).
fn ends_block_itself(lexeme: Lexeme) -> bool {
    matches!(lexeme, Lexeme::Tok(t)
        if !matches!(t, Tok::Special(Special::BlockEnd | Special::BlockStart)))
}

/// A clause whose block always starts right after it.
fn opens_block_itself(lexeme: Lexeme) -> bool {
    matches!(
        lexeme,
        Lexeme::Tok(Tok::Special(
            Special::ElseStmt | Special::TryStmt | Special::FinallyStmt
        ))
    )
}

/// Whether a `.` after these lexemes (the last first) starts an operand, so is `self.`
/// written short: no operand ends before it (`x.y`, `f().y`, `None.y`), it is not in a
/// relative import (`from ..a import b`), and it is not `1 .real`.
fn starts_operand(last: Option<Lexeme>, before: Option<Lexeme>) -> bool {
    match last {
        None | Some(Lexeme::Comment(_)) => true,
        // Never here: idioms are expanded before a dialect's text is read back.
        Some(Lexeme::Idiom(_)) => false,
        Some(Lexeme::Whitespace) => !matches!(before, Some(Lexeme::Tok(Tok::Number(_)))),
        Some(Lexeme::Tok(t)) => !matches!(
            t,
            Tok::Name(_)
                | Tok::Number(_)
                | Tok::Str(_)
                | Tok::FEnd
                | Tok::FieldClose
                | Tok::Punct(Punct::RParen | Punct::RBracket | Punct::RBrace)
                | Tok::Punct(Punct::Dot | Punct::Ellipsis)
                | Tok::Special(
                    Special::True
                        | Special::False
                        | Special::None
                        | Special::Ellipsis
                        | Special::ImportFromStmt
                )
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: Spelling = Spelling {
        line_sep_as_newline: true,
        block_end_as_blank_line: true,
        block_start_as_colon: true,
        implicit_self: true,
        method_implies_self: true,
        clause_closes_block: true,
        clause_opens_block: true,
        fused_negations: true,
        implicit_concat: true,
    };

    /// `canonical` respells to `spelt` and reads back.
    #[track_caller]
    fn spells(canonical: &str, spelt: &str) {
        assert_eq!(respell(canonical, ALL).unwrap(), spelt);
        assert_eq!(unspell(spelt, ALL).unwrap().canonical, canonical);
    }

    #[test]
    fn each_choice_respells_and_reads_back() {
        spells("x=1<line_sep>y=2", "x=1\ny=2");
        spells(
            "<def_stmt>f<block_start><pass><block_end>",
            "<def_stmt>f:\n<pass><block_end>",
        );
        spells("<return>self.x+f(self)", "<return>.x+f(self)");
        spells(
            "<if_stmt>a<block_start><pass><block_end><elif_stmt>b<block_start><pass><block_end>",
            "<if_stmt>a:\n<pass><elif_stmt>b:\n<pass><block_end>",
        );
        spells(
            "<try_stmt><block_start>x<block_end><finally_stmt><block_start>y<block_end>",
            "<try_stmt>x<finally_stmt>y<block_end>",
        );
        spells("a<is><not>b<and>c<not><in>d", "a<isnot>b<and>c<notin>d");
    }

    #[test]
    fn a_dot_after_an_operand_or_in_an_import_is_not_self() {
        for kept in [
            "x=a.self.b",
            "x=f(a).b+[1].c+{}.d+'s'.e+<none>.f+<true>.g",
            "<import_from_stmt>.self a<import_from_stmt>...self b",
            "x=1 .real",
        ] {
            spells(kept, kept);
        }
        spells("f self.x 1 self.y", "f .x 1 self.y");
        spells("x=f\"{self.x:>{self.w}}\"", "x=f\"{.x:>{.w}}\"");
        spells("# c\nself.x=1", "# c\n.x=1");
    }

    #[test]
    fn a_block_end_is_left_out_only_where_reading_back_finds_it() {
        // After another `<block_end>` or a comment, a clause keeps its `<block_end>`.
        for kept in [
            "<if_stmt>a<block_start><if_stmt>b<block_start>x<block_end><block_end><else_stmt><block_start>y",
            "<if_stmt>a<block_start>x# c\n<block_end><else_stmt><block_start>y",
            "<match_stmt>a<block_start><case_stmt>1<block_start>x<block_end># c\n<case_stmt>2",
        ] {
            let spelt = respell(kept, ALL).unwrap();
            assert!(spelt.contains("\n\n<else_stmt>") || spelt.contains("\n\n#"), "{spelt:?}");
            assert_eq!(unspell(&spelt, ALL).unwrap().canonical, kept);
        }
        // The first case follows the match's `<block_start>`.
        spells(
            "<match_stmt>a<block_start><case_stmt>1<block_start>x<block_end><case_stmt>2",
            "<match_stmt>a:\n<case_stmt>1:\nx<case_stmt>2",
        );
    }

    #[test]
    fn block_ends_are_blank_lines_read_two_by_two() {
        spells(
            "<if_stmt>a<block_start><if_stmt>b<block_start>x<block_end><block_end>y<line_sep>z",
            "<if_stmt>a:\n<if_stmt>b:\nx\n\n\n\ny\nz",
        );
        // A comment's own line break is not one of them.
        spells(
            "<if_stmt>a<block_start>x# c\n<block_end>y",
            "<if_stmt>a:\nx# c\n\n\ny",
        );
        // Before a `<block_end>`, a `<line_sep>` keeps its token.
        spells("x<line_sep><block_end>y", "x<line_sep>\n\ny");
    }

    #[test]
    fn a_method_implies_its_bare_self_parameter() {
        spells("<def_stmt>f self x<block_start>", "<def_stmt>.f x:\n");
        spells(
            "<def_stmt>f self<arrow>int<block_start>",
            "<def_stmt>.f<arrow>int:\n",
        );
        spells(
            "<def_stmt>f[T:(A B)] self<block_start>",
            "<def_stmt>.f[T:(A B)]:\n",
        );
        for kept in [
            "<def_stmt>f self:int<block_start>",
            "<def_stmt>f self=1<block_start>",
            "<def_stmt>f x self<block_start>",
            "<def_stmt>f<block_start>",
        ] {
            spells(kept, &kept.replace("<block_start>", ":\n"));
        }
    }

    #[test]
    fn literals_side_by_side_concatenate_unless_they_would_read_as_one() {
        spells(
            r#"x='a'<concat>"b"<concat>f'{c}'<concat>b'd'<concat>'''e'''"#,
            r#"x='a'"b"f'{c}'b'd''''e'''"#,
        );
        for kept in [
            "x=''<concat>'b'",
            "x=f''<concat>'b'",
            r#"x=b""<concat>"""c""""#,
        ] {
            spells(kept, kept);
        }
        spells(r#"x=''<concat>"b""#, r#"x=''"b""#);
        spells("f(x<concat>'a')", "f(x<concat>'a')");
    }

    #[test]
    fn a_block_start_before_a_comment_is_kept() {
        spells(
            "<try_stmt><block_start># c\nx<block_end><finally_stmt># d\n<block_start>y",
            "<try_stmt>:\n# c\nx<finally_stmt># d\n:\ny",
        );
    }

    #[test]
    fn line_breaks_ending_comments_and_the_file_are_not_separators() {
        spells("x=1# c\n<line_sep>y=2\n", "x=1# c\n\ny=2\n");
        // A `<line_sep>` before the end of the text keeps its token.
        spells("x=1<line_sep>\n", "x=1<line_sep>\n");
        assert_eq!(
            unspell("x=1  \ny=2", ALL).unwrap().canonical,
            "x=1  <line_sep>y=2"
        );
    }

    #[test]
    fn strings_keep_their_line_breaks_and_colons() {
        spells(
            "x='''a:\nb\n'''<line_sep>y=f'''{x:\n}'''",
            "x='''a:\nb\n'''\ny=f'''{x:\n}'''",
        );
    }

    /// Read up to every cut as text that goes on, then on from its last resume point: the
    /// two readings together are the whole reading, whatever the cut.
    #[test]
    fn reading_resumes_where_an_earlier_reading_stopped() {
        let canonicals = [
            "x=1<line_sep>y=2<line_sep><return>self.x+f(self)",
            "<class_stmt>A<block_start><def_stmt>f self x<block_start><if_stmt>a<block_start><pass><block_end><elif_stmt>b<block_start><pass><block_end><block_end><def_stmt>g[T] self<block_start><pass><block_end><block_end>x=1",
            "<try_stmt><block_start>x<block_end><finally_stmt><block_start>y<block_end>z=f\"a{self.b}\"<concat>\"c\"<concat>'d'",
            "a<is><not>b<and>c<not><in>d<line_sep># c\nself.e=...",
        ];
        for canonical in canonicals {
            let spelt = respell(canonical, ALL).unwrap();
            let mut resumed = 0;
            for cut in (0..=spelt.len()).filter(|&c| spelt.is_char_boundary(c)) {
                let Ok((first, resumes)) =
                    unspell_from(&spelt[..cut], ALL, Resume::default(), true)
                else {
                    continue; // a token or string cut in two
                };
                let Some(r) = resumes.last() else { continue };
                resumed += 1;
                let rest = unspell_from(&spelt[r.source as usize..], ALL, *r, false).unwrap();
                let read = format!(
                    "{}{}",
                    &first.canonical[..r.canonical as usize],
                    rest.0.canonical
                );
                assert_eq!(read, canonical, "cut at {cut} of {spelt:?}");
            }
            assert!(resumed > 4, "only {resumed} cuts of {spelt:?} resumed");
        }
    }

    #[test]
    fn ranges_of_the_canonical_text_map_back_to_the_dialect_text() {
        let spelt = "<def_stmt>f x:\n<return>.y+)";
        let back = unspell(spelt, ALL).unwrap();
        let close = back.canonical.find(')').unwrap() as u32;
        let range = back.source_range(TextRange::new(close, close + 1));
        assert_eq!(&spelt[range.start as usize..range.end as usize], ")");
        let block = back.canonical.find("<block_start>").unwrap() as u32;
        let range = back.source_range(TextRange::new(block, block + 13));
        assert_eq!(&spelt[range.start as usize..range.end as usize], ":\n");
    }
}
