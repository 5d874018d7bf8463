//! The parser's rules for a dialect's spelling choices (`crate::dialect`, SPEC.md "Dialects"):
//! where a choice leaves a token out or adds a form, the rules say so. Layout spelt as text
//! (`<line_sep>` as a line break) changes no rule; `terminals.rs` spells it. Every rewrite
//! keeps the canonical form beside the dialect's, as `decode` in a dialect reads both.

use super::reader::{Alternative, Grammar, Item, Rule};
use crate::dialect::Spelling;
use std::collections::{BTreeMap, BTreeSet};

/// The tokens that continue a statement after one of its blocks.
const CLAUSES: [&str; 6] = [
    "<elif_stmt>",
    "<else_stmt>",
    "<except_stmt>",
    "<except_group_stmt>",
    "<finally_stmt>",
    "<case_stmt>",
];

/// The tokens whose block may go without `<block_start>` (`clause_opens_block`).
const OPENERS: [&str; 3] = ["<else_stmt>", "<try_stmt>", "<finally_stmt>"];

/// How a block before a clause (`<else_stmt>` …) is written when the clause may close it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClauseBlocks {
    /// Its `<block_end>` left out exactly where `decode` puts one back: after a simple
    /// statement or a `<line_sep>`, never after a nested block's end.
    Exact,
    /// `<block_start> Stmts <block_end>?`: one path through the block, for engines without
    /// a lexer that follow every alternative at once. llama.cpp's GBNF engine keeps a stack
    /// per alternative through the whole block, so the exact alternatives, nested, cost it
    /// exponential time (13.6 KB of `json/encoder.py`: over 30 s, against 0.6 s).
    OnePath,
}

/// `grammar` accepting what `spelling` writes as well as canonical SimPy (but stray
/// `<line_sep>`s where both layouts are line breaks: [`without_stray_line_seps`]).
pub fn respelled(mut grammar: Grammar, spelling: Spelling, clause_blocks: ClauseBlocks) -> Grammar {
    if spelling.implicit_concat {
        // `"a""b"`: two literals that touch are joined.
        rewrite_items(&mut grammar, &|item| match item {
            Item::Terminal(t) if t == "<concat>" => vec![Item::Optional(Box::new(item.clone()))],
            other => vec![other.clone()],
        });
    }
    if spelling.method_implies_self {
        // `<def_stmt>.f x`: the method's `self` parameter implied.
        rewrite_items(&mut grammar, &|item| match item {
            Item::Terminal(t) if t == "<def_stmt>" => {
                vec![item.clone(), Item::Optional(Box::new(dot()))]
            }
            other => vec![other.clone()],
        });
    }
    if spelling.implicit_self {
        // `.x` where an operand starts is `self.x`, in expressions and in patterns.
        for rule in ["Atom", "NameOrAttribute"] {
            rule_mut(&mut grammar, rule).alternatives.push(Alternative {
                items: vec![dot(), Item::Rule("Name".into())],
                check: None,
            });
        }
    }
    if spelling.clause_closes_block || spelling.clause_opens_block {
        grammar = with_block_variants(grammar, spelling, clause_blocks);
    }
    if takes_no_stray_line_sep(spelling) {
        grammar = without_stray_line_seps(grammar);
    }
    grammar
}

/// Whether the rules for `spelling` leave out stray `<line_sep>`s ([`without_stray_line_seps`]):
/// where both layouts are line breaks.
fn takes_no_stray_line_sep(spelling: Spelling) -> bool {
    spelling.line_sep_as_newline && spelling.block_end_as_blank_line
}

/// `grammar` without a `<line_sep>` where no statement ends (after a block's end, at the start
/// of a block or file), which `decode` takes and `encode` never writes. With `<line_sep>` a line
/// break and `<block_end>` two, a run of line breaks then has one reading (`\n\n` a block's
/// end, never two separators closing nothing). llama.cpp's GBNF engine, which has no lexer and
/// follows every reading at once, would otherwise carry both readings of each blank line to
/// the end of the file (exponential time: 3.8 s for 195 bytes, over a minute for 570);
/// llguidance, which has a lexer, computes masks in far fewer Earley items (README, "Grammars of
/// a dialect").
fn without_stray_line_seps(mut grammar: Grammar) -> Grammar {
    let stray = [
        Item::Rule("Closed".into()),
        Item::Terminal("<line_sep>".into()),
    ];
    let closed = rule_mut(&mut grammar, "Closed");
    let before = closed.alternatives.len();
    closed.alternatives.retain(|alt| alt.items != stray);
    assert_eq!(
        closed.alternatives.len(),
        before - 1,
        "grammar.lalrpop: `Closed` has no `<Closed> \"<line_sep>\"` (export/spelled.rs)"
    );
    grammar
}

/// What the rules of `spelling` accept that `decode` in the dialect refuses, or refuse that it
/// takes, for the header (`gbnf`: llama.cpp's engine, which has no lexer).
pub fn approximations(spelling: Spelling, gbnf: bool) -> Vec<&'static str> {
    let mut out = Vec::new();
    if spelling.clause_closes_block || spelling.clause_opens_block {
        out.push(
            "dialect: a clause's `<block_end>` left out after a comment, a block's `<block_start>`\n  \
             left out before one (the dialect keeps both there)",
        );
    }
    let layout = spelling.text_layout();
    if layout.line_sep || layout.block_end {
        out.push(
            "dialect: refused: a line break of the layout written `\\r\\n` (encode writes `\\n`)",
        );
    }
    if takes_no_stray_line_sep(spelling) {
        out.push(
            "dialect: refused: a `<line_sep>` after a block's end or at the start of a block or\n  \
             of the file (decode takes one; encode writes none)",
        );
    }
    if gbnf && spelling.clause_closes_block {
        out.push(
            "dialect: a clause right after a nested compound statement, with the enclosing\n  \
             block's `<block_end>` left out (decode reads the clause as the nested one's)",
        );
    }
    if spelling.implicit_self {
        out.push("dialect: refused: `import self.x` written `<import_stmt>.x`");
    }
    out
}

fn dot() -> Item {
    Item::Terminal(".".into())
}

fn rule_mut<'g>(grammar: &'g mut Grammar, name: &str) -> &'g mut Rule {
    grammar
        .rules
        .iter_mut()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("grammar.lalrpop: no rule {name} (export/spelled.rs)"))
}

/// Every item of every alternative, at any depth, replaced by what `f` makes of it.
fn rewrite_items(grammar: &mut Grammar, f: &dyn Fn(&Item) -> Vec<Item>) {
    fn sequence(items: &[Item], f: &dyn Fn(&Item) -> Vec<Item>) -> Vec<Item> {
        items.iter().flat_map(|i| f(&inner(i, f))).collect()
    }
    fn inner(item: &Item, f: &dyn Fn(&Item) -> Vec<Item>) -> Item {
        let one = |i: &Item| match sequence(std::slice::from_ref(i), f).as_slice() {
            [single] => single.clone(),
            many => Item::Group(many.to_vec()),
        };
        match item {
            Item::Group(items) => Item::Group(sequence(items, f)),
            Item::Optional(i) => Item::Optional(Box::new(one(i))),
            Item::Star(i) => Item::Star(Box::new(one(i))),
            Item::Plus(i) => Item::Plus(Box::new(one(i))),
            other => other.clone(),
        }
    }
    for rule in &mut grammar.rules {
        for alt in &mut rule.alternatives {
            alt.items = sequence(&alt.items, f);
        }
    }
}

/// What comes after an item, as far as a block before it is concerned.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Next {
    Clause,
    Other,
    /// An optional item that may or may not be there.
    Either,
}

/// Each `Block` replaced by the variant its place needs: after `<else_stmt>`, `<try_stmt>` or
/// `<finally_stmt>` its `<block_start>` may be left out (`clause_opens_block`); before a clause
/// its `<block_end>` may be, when its last statement is a simple one (`clause_closes_block`:
/// the `<block_end>` stays after another, so a nested block cannot take the clause). Optional
/// and repeated clauses are written out, there or not, so that the place is always known; a
/// rule that ends in a block gets a copy for places before a clause (`Handler_Clause`).
fn with_block_variants(
    grammar: Grammar,
    spelling: Spelling,
    clause_blocks: ClauseBlocks,
) -> Grammar {
    let originals: BTreeMap<String, Rule> = grammar
        .rules
        .iter()
        .map(|r| (r.name.clone(), r.clone()))
        .collect();
    let mut blocks = Blocks {
        rules: &originals,
        ends_in_block: BTreeMap::new(),
        wanted: BTreeSet::new(),
    };
    let mut rules: Vec<Rule> = grammar
        .rules
        .iter()
        .map(|rule| blocks.rule(rule, &rule.name, Next::Other))
        .collect();
    let mut made = BTreeSet::new();
    while let Some(name) = blocks.wanted.pop_first() {
        if made.insert(name.clone()) {
            let rule = &originals[&name];
            let copy = blocks.rule(rule, &clause_copy(&name), Next::Clause);
            rules.push(copy);
        }
    }
    for opened in [false, true] {
        for clause in [false, true] {
            if (opened, clause) == (false, false) {
                continue; // `Block` itself, unchanged
            }
            rules.push(block_rule(opened, clause, spelling, clause_blocks));
        }
    }
    Grammar { rules, ..grammar }
}

fn clause_copy(rule: &str) -> String {
    format!("{rule}_Clause")
}

/// The name of a block's variant.
fn block_name(opened: bool, clause: bool) -> String {
    let mut name = "Block".to_owned();
    if opened {
        name.push_str("_Opened");
    }
    if clause {
        name.push_str("_Clause");
    }
    name
}

fn block_rule(opened: bool, clause: bool, spelling: Spelling, clause_blocks: ClauseBlocks) -> Rule {
    let start = Item::Terminal("<block_start>".into());
    let start = if opened && spelling.clause_opens_block {
        Item::Optional(Box::new(start))
    } else {
        start
    };
    let mut alternatives = vec![Alternative {
        items: vec![
            start.clone(),
            Item::Rule("Stmts".into()),
            Item::Terminal("<block_end>".into()),
        ],
        check: Some(vec!["block".into()]),
    }];
    if clause && spelling.clause_closes_block && clause_blocks == ClauseBlocks::OnePath {
        alternatives[0].items[2] = Item::Optional(Box::new(Item::Terminal("<block_end>".into())));
    } else if clause && spelling.clause_closes_block {
        // Its end is left out after any token but `<block_end>` (a compound's last): after a
        // simple statement (`Open`) or a `<line_sep>` (`Closed`'s own two ways to end in one).
        for ending in [
            vec![Item::Rule("Open".into())],
            vec![
                Item::Rule("Closed".into()),
                Item::Terminal("<line_sep>".into()),
            ],
            vec![
                Item::Rule("Open".into()),
                Item::Terminal("<line_sep>".into()),
            ],
        ] {
            alternatives.push(Alternative {
                items: [vec![start.clone()], ending].concat(),
                check: Some(vec!["block".into()]),
            });
        }
    }
    Rule {
        name: block_name(opened, clause),
        alternatives,
    }
}

struct Blocks<'g> {
    rules: &'g BTreeMap<String, Rule>,
    ends_in_block: BTreeMap<String, bool>,
    /// Rules a clause follows somewhere, whose `_Clause` copy is still to be written.
    wanted: BTreeSet<String>,
}

impl Blocks<'_> {
    fn rule(&mut self, rule: &Rule, name: &str, next: Next) -> Rule {
        let alternatives = rule
            .alternatives
            .iter()
            .flat_map(|alt| {
                self.sequences(&alt.items, next)
                    .into_iter()
                    .map(|items| Alternative {
                        items,
                        check: alt.check.clone(),
                    })
            })
            .collect();
        Rule {
            name: name.to_owned(),
            alternatives,
        }
    }

    /// `items` with blocks replaced; several sequences where an optional clause is written
    /// out both ways.
    fn sequences(&mut self, items: &[Item], next: Next) -> Vec<Vec<Item>> {
        let spliced = splice_groups(items);
        let optional_clause = spliced.iter().position(|i| match i {
            Item::Optional(x) | Item::Star(x) => self.starts_with_clause(x),
            _ => false,
        });
        if let Some(at) = optional_clause {
            let present = match &spliced[at] {
                Item::Optional(x) => (**x).clone(),
                Item::Star(x) => Item::Plus(x.clone()),
                _ => unreachable!("found above"),
            };
            let mut with = spliced.clone();
            with[at] = present;
            let mut without = spliced;
            without.remove(at);
            let mut out = self.sequences(&with, next);
            out.extend(self.sequences(&without, next));
            return out;
        }
        let mut out = Vec::with_capacity(spliced.len());
        let mut next = next;
        for (i, item) in spliced.iter().enumerate().rev() {
            let opened = i > 0
                && matches!(&spliced[i - 1], Item::Terminal(t) if OPENERS.contains(&t.as_str()));
            let clause = next == Next::Clause;
            let ends_in_block = self.item_ends_in_block(item);
            assert!(
                !(ends_in_block && next == Next::Either),
                "export/spelled.rs: a block before an optional item in {items:?}"
            );
            let replaced: Vec<Item> = match item {
                Item::Rule(r) if r == "Block" => vec![Item::Rule(block_name(opened, clause))],
                Item::Rule(r) if clause && ends_in_block => vec![self.clause_rule(r)],
                Item::Plus(x) if ends_in_block => {
                    let Item::Rule(r) = &**x else {
                        panic!("export/spelled.rs: a repeated group ending in a block: {x:?}")
                    };
                    // Each but the last is followed by the next one.
                    match (self.starts_with_clause(x), clause) {
                        (true, true) => vec![Item::Plus(Box::new(self.clause_rule(r)))],
                        (true, false) => {
                            vec![Item::Star(Box::new(self.clause_rule(r))), (**x).clone()]
                        }
                        (false, true) => vec![Item::Star(x.clone()), self.clause_rule(r)],
                        (false, false) => vec![item.clone()],
                    }
                }
                _ => vec![item.clone()],
            };
            out.extend(replaced.into_iter().rev());
            next = match item {
                Item::Optional(_) | Item::Star(_) if next == Next::Other => Next::Other,
                Item::Optional(_) | Item::Star(_) => Next::Either,
                other if self.starts_with_clause(other) => Next::Clause,
                _ => Next::Other,
            };
        }
        out.reverse();
        vec![out]
    }

    fn clause_rule(&mut self, rule: &str) -> Item {
        self.wanted.insert(rule.to_owned());
        Item::Rule(clause_copy(rule))
    }

    fn starts_with_clause(&self, item: &Item) -> bool {
        self.starts_with_clause_in(item, &mut BTreeSet::new())
    }

    fn starts_with_clause_in<'a>(&'a self, item: &'a Item, seen: &mut BTreeSet<&'a str>) -> bool {
        match item {
            Item::Terminal(t) => CLAUSES.contains(&t.as_str()),
            Item::Rule(r) => {
                seen.insert(r)
                    && self.rules.get(r).is_some_and(|rule| {
                        rule.alternatives.iter().all(|a| {
                            a.items
                                .first()
                                .is_some_and(|i| self.starts_with_clause_in(i, seen))
                        })
                    })
            }
            Item::Group(items) => items
                .first()
                .is_some_and(|i| self.starts_with_clause_in(i, seen)),
            Item::Plus(i) => self.starts_with_clause_in(i, seen),
            Item::Optional(_) | Item::Star(_) => false,
        }
    }

    fn item_ends_in_block(&mut self, item: &Item) -> bool {
        match item {
            Item::Terminal(_) => false,
            Item::Rule(r) if r == "Block" => true,
            Item::Rule(r) => self.rule_ends_in_block(r),
            Item::Group(items) => self.sequence_ends_in_block(items),
            Item::Optional(i) | Item::Star(i) | Item::Plus(i) => self.item_ends_in_block(i),
        }
    }

    fn sequence_ends_in_block(&mut self, items: &[Item]) -> bool {
        for item in items.iter().rev() {
            if self.item_ends_in_block(item) {
                return true;
            }
            if !matches!(item, Item::Optional(_) | Item::Star(_)) {
                return false;
            }
        }
        false
    }

    fn rule_ends_in_block(&mut self, name: &str) -> bool {
        if let Some(known) = self.ends_in_block.get(name) {
            return *known;
        }
        // A cycle back here adds nothing.
        self.ends_in_block.insert(name.to_owned(), false);
        let rules = self.rules;
        let ends = rules.get(name).is_some_and(|rule| {
            rule.alternatives
                .iter()
                .any(|a| self.sequence_ends_in_block(&a.items))
        });
        self.ends_in_block.insert(name.to_owned(), ends);
        ends
    }
}

/// `items` with each group written in place.
fn splice_groups(items: &[Item]) -> Vec<Item> {
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Item::Group(inner) => out.extend(splice_groups(inner)),
            other => out.push(other.clone()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::export::reader;

    fn compact() -> Spelling {
        Spelling {
            clause_closes_block: true,
            clause_opens_block: true,
            ..Spelling::default()
        }
    }

    fn alternatives(g: &Grammar, name: &str) -> Vec<Vec<Item>> {
        g.rules
            .iter()
            .find(|r| r.name == name)
            .unwrap_or_else(|| panic!("no {name}"))
            .alternatives
            .iter()
            .map(|a| a.items.clone())
            .collect()
    }

    fn r(name: &str) -> Item {
        Item::Rule(name.into())
    }

    fn t(key: &str) -> Item {
        Item::Terminal(key.into())
    }

    #[test]
    fn a_block_before_a_clause_may_lose_its_end_and_one_after_else_its_start() {
        let g = respelled(
            reader::read(include_str!("../grammar.lalrpop")),
            compact(),
            ClauseBlocks::Exact,
        );
        let ifs = alternatives(&g, "If");
        assert!(ifs.contains(&vec![
            t("<if_stmt>"),
            r("NamedExprTest"),
            r("Block_Clause"),
            r("IfTail")
        ]));
        assert!(ifs.contains(&vec![t("<if_stmt>"), r("NamedExprTest"), r("Block")]));
        let tails = alternatives(&g, "IfTail");
        assert!(tails.contains(&vec![t("<else_stmt>"), r("Block_Opened")]));
        let tries = alternatives(&g, "Try");
        assert_eq!(
            tries.len(),
            8,
            "handlers, else and finally each there or not"
        );
        assert!(tries.contains(&vec![
            t("<try_stmt>"),
            r("Block_Opened_Clause"),
            Item::Plus(Box::new(r("Handler_Clause"))),
            t("<finally_stmt>"),
            r("Block_Opened"),
        ]));
        assert!(tries.contains(&vec![
            t("<try_stmt>"),
            r("Block_Opened_Clause"),
            Item::Star(Box::new(r("Handler_Clause"))),
            r("Handler"),
        ]));
        assert!(alternatives(&g, "Handler_Clause")
            .iter()
            .all(|a| a.last() == Some(&r("Block_Clause"))));
        let cases = alternatives(&g, "Match");
        assert!(cases[0].contains(&Item::Star(Box::new(r("Case_Clause")))));
        assert_eq!(
            alternatives(&g, "Block_Opened_Clause"),
            vec![
                vec![
                    Item::Optional(Box::new(t("<block_start>"))),
                    r("Stmts"),
                    t("<block_end>")
                ],
                vec![Item::Optional(Box::new(t("<block_start>"))), r("Open")],
                vec![
                    Item::Optional(Box::new(t("<block_start>"))),
                    r("Closed"),
                    t("<line_sep>")
                ],
                vec![
                    Item::Optional(Box::new(t("<block_start>"))),
                    r("Open"),
                    t("<line_sep>")
                ],
            ]
        );
    }

    #[test]
    fn for_gbnf_a_block_before_a_clause_is_one_path_with_its_end_optional() {
        let g = respelled(
            reader::read(include_str!("../grammar.lalrpop")),
            compact(),
            ClauseBlocks::OnePath,
        );
        assert_eq!(
            alternatives(&g, "Block_Clause"),
            vec![vec![
                t("<block_start>"),
                r("Stmts"),
                Item::Optional(Box::new(t("<block_end>")))
            ]]
        );
    }

    #[test]
    fn canonical_spelling_leaves_the_rules_alone() {
        let g = reader::read(include_str!("../grammar.lalrpop"));
        let same = respelled(g.clone(), Spelling::default(), ClauseBlocks::Exact);
        assert_eq!(format!("{:?}", same.rules), format!("{:?}", g.rules));
    }
}
