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
//! A `def` or `class` on the path is written `def simpy_stub_():` (`class simpy_stub_:`), without
//! its decorators: its SimPy comes from the whole text like the stubs', and what follows it does
//! not depend on its name, parameters or decorators (a long header, a decorated test method, is
//! most of what is left when the cursor is deep in a class). The probes' SimPy is kept after the
//! last stub or stubbed header.
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
                Kind::Header("class") => reduced.push_str(&format!("class {stub}:\n")),
                Kind::Header(keyword) => reduced.push_str(&format!("{keyword} {stub}():\n")),
                Kind::Stub => {
                    reduced.push_str(&stub);
                    reduced.push('\n');
                }
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
    /// A `def`, `async def` or `class` header on the path, with its decorators: the same
    /// keyword, no decorators, no parameters.
    Header(&'static str),
}

/// The regions of `text` (one statement, complete lines) to write shorter: stubs for the
/// statements before the cursor's path in each block it is in and the bodies of its
/// statements' earlier clauses, and the headers of the `def`s and `class`es on the path.
/// `None` when there are none, or the block structure is not plain enough to cut.
fn statement_regions<'t>(text: &'t str, scanned: &Lines) -> Option<Vec<Region<'t>>> {
    let code: Vec<&Line> = scanned.lines.iter().filter(|l| l.code).collect();
    let mut regions = Vec::new();
    let mut at = code.len().checked_sub(1)?;
    // The last line may open the block the cursor is in: then it is a header on the path too.
    let definition_header = |at: usize| -> Option<Option<Region<'t>>> {
        let Some(keyword) = definition(text, code[at]).filter(|_| code[at].opens_block) else {
            return Some(None);
        };
        let first = statement_start(text, &code, at)?;
        Some(Some(Region {
            from: code[first].start,
            to: code[at].end,
            indent: code[at].indentation(text),
            kind: Kind::Header(keyword),
        }))
    };
    regions.extend(definition_header(at)?);
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
        }
        regions.extend(definition_header(parent)?);
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

/// The keyword a `def`, `async def` or `class` header line starts with.
fn definition(text: &str, line: &Line) -> Option<&'static str> {
    match line.first_word(text) {
        "def" => Some("def"),
        "class" => Some("class"),
        "async" => {
            let rest = text[line.code_start + "async".len()..].trim_start_matches([' ', '\t']);
            rest.starts_with("def")
                .then_some("async def")
                .filter(|_| !rest[3..].starts_with(|c: char| c.is_alphanumeric() || c == '_'))
        }
        _ => None,
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
             if a:\n"
        );
        let scope = Scope::of(&text, &text, &lines::scan(&text)).expect("reduced");
        assert_eq!(
            scope.reduced,
            "class simpy_stub_:\n    simpy_stub_\n    async def simpy_stub_():\n        try:\n            \
             simpy_stub_\n        except E:\n            simpy_stub_\n            if a:\n"
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
