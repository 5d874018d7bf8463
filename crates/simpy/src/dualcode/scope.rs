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
        for (from, to, indent) in regions {
            reduced.push_str(&statement[copied..from]);
            reduced.push_str(indent);
            reduced.push_str(&stub);
            reduced.push('\n');
            copied = to;
        }
        reduced.push_str(&statement[copied..]);
        Some(Scope { reduced, stub })
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

/// The regions of `text` (one statement, complete lines) to stub, with each stub line's
/// indentation: the statements before the cursor's path in each block it is in, and the
/// bodies of its statements' earlier clauses. `None` when there are none, or the block
/// structure is not plain enough to cut.
fn statement_regions<'t>(text: &'t str, scanned: &Lines) -> Option<Vec<(usize, usize, &'t str)>> {
    let code: Vec<&Line> = scanned.lines.iter().filter(|l| l.code).collect();
    let mut regions = Vec::new();
    let mut at = code.len().checked_sub(1)?;
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
fn body<'t>(text: &'t str, code: &[&Line], header: usize, next: usize) -> (usize, usize, &'t str) {
    let first = code[header + 1];
    (code[header].end, code[next].start, first.indentation(text))
}

#[cfg(test)]
mod tests {
    use super::super::lines;
    use super::*;

    #[test]
    fn complete_statements_off_the_path_become_stubs() {
        let text = "class A:\n    x = 1\n    # c\n    @d\n    def f(self):\n        try:\n            \
                    g()\n            h()\n        except E:\n            a = 1\n            if a:\n";
        let scope = Scope::of(text, text, &lines::scan(text)).expect("reduced");
        assert_eq!(
            scope.reduced,
            "class A:\n    simpy_stub_\n    @d\n    def f(self):\n        try:\n            \
             simpy_stub_\n        except E:\n            simpy_stub_\n            if a:\n"
        );
        // One top-level statement with nothing beside the cursor's path: nothing to stub.
        let flat = "def f():\n    if a:\n        b()\n";
        assert!(Scope::of(flat, flat, &lines::scan(flat)).is_none());
    }

    #[test]
    fn widening_puts_back_what_the_stubs_stand_for() {
        let text = "class A:\n    x = 1\n    y = 2\n    def f(self):\n";
        let scope = Scope::of(text, text, &lines::scan(text)).expect("reduced");
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
