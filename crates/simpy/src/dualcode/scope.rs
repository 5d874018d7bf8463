//! Probes scoped to the cursor's path: the prompt's last statement with the complete
//! statements beside that path replaced by one stub line in each block.
//!
//! Every probe of a prompt goes on from the same text, and what it changes in the SimPy lies
//! after the statements already complete. Those cost most of each probe's encode when the
//! cursor is deep in a long class, yet only their SimPy matters, which is the same for every
//! probe. So the probes encode the reduced text, and one encode of the whole text supplies
//! what the stubs stand for: the whole text's SimPy must end with the probe's SimPy after the
//! last stub, or the reduction is not used at all.
//!
//! The headers on the path are written short too, `def simpy_stub_():` for a `def` and its
//! decorators, `if simpy_stub_:` for an `if` (also `class`, `elif`, `while`, `for`, `with`):
//! their SimPy comes from the whole text like the stubs', and what follows a header does not
//! depend on its name, parameters, decorators or condition (a long signature, a decorated test
//! method, is most of what is left when the cursor is deep in a class). Comments between a
//! header and the path's next statement go, before the last stub or short header. The probes'
//! SimPy is kept after the last stub or short header.
//!
//! (The complete items of an open bracket are not stubbed: a comment inside brackets moves
//! before its statement, so the probes that end in one part from the others before those
//! stubs, where no single encode of the whole text can say what they stand for.)

use super::lines::{Line, Lines, CLAUSES};
use simpy_ast::Special;

/// The prompt's last statement, reduced.
pub(super) struct Scope {
    /// The statement's text with stubs in place of complete statements.
    reduced: String,
    /// The stub's name: a name the prompt does not use.
    stub: String,
}

impl Scope {
    /// `statement` (one top-level statement, complete lines; `scanned` its lines) of the
    /// prompt `python`, reduced; `None` when nothing is beside the cursor's path, or the
    /// block structure is not plain enough to cut.
    pub fn of(python: &str, statement: &str, scanned: &Lines) -> Option<Scope> {
        let mut regions = statement_regions(statement, scanned)?;
        // Comments go only before the last stub or short header, whose SimPy is the whole
        // text's; after it, they are the probes'.
        let last_anchor = regions
            .iter()
            .filter(|r| r.kind != Kind::Comments)
            .map(|r| r.from)
            .max()?;
        regions.retain(|r| r.kind != Kind::Comments || r.to <= last_anchor);
        let mut stub = "simpy_stub_".to_owned();
        while python.contains(&stub) {
            stub.push('_');
        }
        regions.sort_unstable();
        let mut reduced = String::with_capacity(statement.len() / 4);
        let mut copied = 0;
        for region in regions {
            reduced.push_str(&statement[copied..region.from]);
            reduced.push_str(region.indent);
            match region.kind {
                Kind::Header(header) => reduced.push_str(&header.written(&stub)),
                Kind::Stub => {
                    reduced.push_str(&stub);
                    reduced.push('\n');
                }
                Kind::Comments => {}
            }
            copied = region.to;
        }
        reduced.push_str(&statement[copied..]);
        // Each probe encodes the reduced text, and one more encode the whole: worth it only
        // when the reduced text is much shorter.
        (reduced.len() * 4 <= statement.len() * 3).then_some(Scope { reduced, stub })
    }

    /// The reduced statement followed by the unfinished `line` (or nothing).
    pub fn reduced(&self, line: &str) -> String {
        format!("{}{line}", self.reduced)
    }

    /// The whole text's SimPy for each probe, from the probes' SimPy of the reduced text
    /// (`reduced`) and the whole text's SimPy for the first of them (`whole_first`): `None`
    /// unless the whole text's SimPy ends as the first probe's does after its last stub, and
    /// every probe is alike up to there.
    pub fn widen(&self, reduced: &[String], whole_first: &str) -> Option<Vec<String>> {
        let first = reduced.first()?;
        let mut after_stubs = first.rfind(&self.stub)? + self.stub.len();
        if first[after_stubs..].starts_with(Special::LineSep.text()) {
            after_stubs += Special::LineSep.text().len();
        } else if first[after_stubs..].starts_with(' ') {
            // `<def_stmt>simpy_stub_ <block_start>`: a stubbed header's empty parameters.
            after_stubs += 1;
        }
        let tail = &first[after_stubs..];
        let stubbed = whole_first.strip_suffix(tail)?;
        reduced
            .iter()
            .map(|r| {
                (r.get(..after_stubs) == Some(&first[..after_stubs]))
                    .then(|| format!("{stubbed}{}", &r[after_stubs..]))
            })
            .collect()
    }
}

/// A part of the statement to write shorter.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Region<'t> {
    from: usize,
    to: usize,
    /// The indentation of the line that replaces it.
    indent: &'t str,
    kind: Kind,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// Complete statements: one stub line.
    Stub,
    /// A header on the path (with its decorators): the same keyword, nothing else.
    Header(Header),
    /// Comment lines after a header on the path: nothing.
    Comments,
}

/// A header that [`Kind::Header`] writes short: its keyword.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Header {
    Class,
    /// `def` or `async def`.
    Def(&'static str),
    /// `if`, `elif` or `while`.
    Condition(&'static str),
    /// `for` or `async for`.
    For(&'static str),
    /// `with` or `async with`.
    With(&'static str),
}

impl Header {
    /// The header line, short, after its indentation.
    fn written(self, stub: &str) -> String {
        match self {
            Header::Class => format!("class {stub}:\n"),
            Header::Def(keyword) => format!("{keyword} {stub}():\n"),
            Header::Condition(keyword) | Header::With(keyword) => format!("{keyword} {stub}:\n"),
            Header::For(keyword) => format!("{keyword} {stub} in {stub}:\n"),
        }
    }

    /// The header that code line `line` is, if it is one written short.
    fn of(text: &str, line: &Line) -> Option<Header> {
        if !line.opens_block {
            return None;
        }
        Some(match line.first_word(text) {
            "class" => Header::Class,
            "def" => Header::Def("def"),
            "if" => Header::Condition("if"),
            "elif" => Header::Condition("elif"),
            "while" => Header::Condition("while"),
            "for" => Header::For("for"),
            "with" => Header::With("with"),
            "async" => {
                let rest = text[line.code_start + "async".len()..].trim_start_matches([' ', '\t']);
                match rest
                    .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .next()
                {
                    Some("def") => Header::Def("async def"),
                    Some("for") => Header::For("async for"),
                    Some("with") => Header::With("async with"),
                    _ => return None,
                }
            }
            _ => return None,
        })
    }
}

/// The regions of `text` (one statement, complete lines) to write shorter: stubs for the
/// statements before the cursor's path in each block it is in and the bodies of its
/// statements' earlier clauses, the headers on the path (`Header`), and comment lines between a
/// path header and the next path statement. `None` when there are none, or the block structure
/// is not plain enough to cut.
fn statement_regions<'t>(text: &'t str, scanned: &Lines) -> Option<Vec<Region<'t>>> {
    let code: Vec<&Line> = scanned.lines.iter().filter(|l| l.code).collect();
    let mut regions = Vec::new();
    let mut at = code.len().checked_sub(1)?;
    // A header on the path, written short (a `def` or `class` with its decorators).
    let short_header = |at: usize| -> Option<Option<Region<'t>>> {
        let Some(header) = Header::of(text, code[at]) else {
            return Some(None);
        };
        // An `if` first in an `else:` block prints as `<elif_stmt>` or not by what follows, so
        // the probes' SimPy parts at its header: that may not come from the whole text.
        let in_else = (0..at)
            .rev()
            .find(|&i| code[i].indent < code[at].indent)
            .is_some_and(|i| code[i].first_word(text) == "else");
        if header == Header::Condition("if") && in_else {
            return Some(None);
        }
        let first = match header {
            Header::Class | Header::Def(_) => statement_start(text, &code, at)?,
            _ => at,
        };
        Some(Some(Region {
            from: code[first].start,
            to: code[at].end,
            indent: code[at].indentation(text),
            kind: Kind::Header(header),
        }))
    };
    // The last line may open the block the cursor is in: then it is a header on the path too.
    regions.extend(short_header(at)?);
    loop {
        let indent = code[at].indent;
        let start = statement_start(text, &code, at)?;
        // Earlier clauses' bodies of the cursor's statement (`try:` before `except:`).
        let mut header = start;
        for i in start + 1..=at {
            if code[i].indent == indent {
                if i > header + 1 {
                    regions.push(body(text, &code, header, i));
                }
                header = i;
            }
        }
        // The statements before it in its block, up to the block's header.
        let Some(parent) = (0..start).rev().find(|&i| code[i].indent < indent) else {
            break;
        };
        if !code[parent].opens_block || code[parent].first_word(text) == "match" {
            return None;
        }
        if start > parent + 1 {
            regions.push(body(text, &code, parent, start));
        } else if code[parent].end < code[start].start {
            regions.push(Region {
                from: code[parent].end,
                to: code[start].start,
                indent: "",
                kind: Kind::Comments,
            });
        }
        regions.extend(short_header(parent)?);
        at = parent;
    }
    (!regions.is_empty()).then_some(regions)
}

/// The first code line of the statement that code line `at` belongs to at its indentation:
/// back over the clauses before it (and their bodies), then the decorators above it.
fn statement_start(text: &str, code: &[&Line], at: usize) -> Option<usize> {
    let indent = code[at].indent;
    let mut i = at;
    if !code[i].is_decorator(text) {
        while CLAUSES.contains(&code[i].first_word(text)) {
            // The line the clause belongs to: the previous one at its indentation.
            i = (0..i).rev().find(|&j| code[j].indent <= indent)?;
            if code[i].indent < indent {
                return None;
            }
        }
    }
    while i > 0 && code[i - 1].indent == indent && code[i - 1].is_decorator(text) {
        i -= 1;
    }
    Some(i)
}

/// The region of the body of code line `header` up to code line `next` (exclusive), comments
/// and blank lines included, and the indentation of its first statement.
fn body<'t>(text: &'t str, code: &[&Line], header: usize, next: usize) -> Region<'t> {
    Region {
        from: code[header].end,
        to: code[next].start,
        indent: code[header + 1].indentation(text),
        kind: Kind::Stub,
    }
}

#[cfg(test)]
mod tests {
    use super::super::lines;
    use super::*;

    /// A statement long enough to be worth a stub.
    const LONG: &str = "result = compute(first_argument, second_argument, third_argument)";

    #[test]
    fn complete_statements_off_the_path_become_stubs() {
        let text = format!(
            "@dataclass\nclass A(\n    B,\n):\n    {LONG}\n    # c\n    @d\n    async  def f(self):\n        \
             try:\n            {LONG}\n            {LONG}\n        except E:\n            a = 1\n            \
             for x in a:  # c\n\n                # d\n                if x:\n"
        );
        let scope = Scope::of(&text, &text, &lines::scan(&text)).expect("reduced");
        assert_eq!(
            scope.reduced,
            "class simpy_stub_:\n    simpy_stub_\n    async def simpy_stub_():\n        try:\n            \
             simpy_stub_\n        except E:\n            simpy_stub_\n            for simpy_stub_ in \
             simpy_stub_:\n                if simpy_stub_:\n"
        );
        // An `if` in an `else:` block stays: it may print as `<elif_stmt>`.
        let elif =
            format!("def f():\n    {LONG}\n    if a:\n        {LONG}\n    else:\n        if b:\n");
        let scope = Scope::of(&elif, &elif, &lines::scan(&elif)).expect("reduced");
        assert_eq!(
            scope.reduced,
            "def simpy_stub_():\n    simpy_stub_\n    if a:\n        simpy_stub_\n    else:\n        if b:\n"
        );
        // Comments after the last short header are the probes' SimPy: they stay.
        let after = format!("class A:\n    {LONG}\n    {LONG}\n    while True:\n        # c\n");
        let scope = Scope::of(&after, &after, &lines::scan(&after)).expect("reduced");
        assert_eq!(
            scope.reduced,
            "class simpy_stub_:\n    simpy_stub_\n    while simpy_stub_:\n        # c\n"
        );
        // The last statement stays, unless it opens the block the cursor is in.
        let last = format!("class A:\n    {LONG}\n    {LONG}\n    f(self, a, b)\n");
        let scope = Scope::of(&last, &last, &lines::scan(&last)).expect("reduced");
        assert_eq!(
            scope.reduced,
            "class simpy_stub_:\n    simpy_stub_\n    f(self, a, b)\n"
        );
        let opening =
            "@decorated\ndef function(first_argument, second_argument, *rest, **options):\n";
        let scope = Scope::of(opening, opening, &lines::scan(opening)).expect("reduced");
        assert_eq!(scope.reduced, "def simpy_stub_():\n");
        // Not worth it: the reduced text would be as long.
        let flat = "def f():\n    if a:\n        b()\n";
        assert!(Scope::of(flat, flat, &lines::scan(flat)).is_none());
    }

    #[test]
    fn widening_puts_back_what_the_stubs_stand_for() {
        let stubbed = format!("class A:\n    {LONG}\n    {LONG}\n    def f(self):\n");
        let header = "@decorator(with_an_argument)\ndef function(first_argument, second_argument, *rest):\n    \
             if condition:\n"
            .to_owned();
        let opening =
            "class Holder:\n    @decorator(with_an_argument)\n    def function(first_argument, \
                       second_argument, *rest):\n"
                .to_owned();
        for text in [stubbed, header, opening] {
            let scope = Scope::of(&text, &text, &lines::scan(&text)).expect("reduced");
            let reduced = scope.reduced("");
            let probe = |rest: &str| crate::encode(&format!("{reduced}{rest}")).unwrap();
            let (a, b) = ("        p = 0\n", "        if p:\n            pass\n");
            let whole_a = crate::encode(&format!("{text}{a}")).unwrap();
            let widened = scope.widen(&[probe(a), probe(b)], &whole_a).expect("holds");
            assert_eq!(widened[0], whole_a);
            assert_eq!(widened[1], crate::encode(&format!("{text}{b}")).unwrap());
            // A whole statement that does not end as the probe does is not widened.
            assert!(scope.widen(&[probe(a)], "<pass>").is_none());
        }
    }
}
