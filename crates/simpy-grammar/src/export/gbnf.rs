//! GBNF for llama.cpp. It has no lexer, so every terminal is a rule of characters (layout and
//! comments folded in as for Lark), and its engine refuses left recursion, which the LR grammar
//! is full of: that is removed by the textbook substitution (Paull's algorithm), each
//! `A → A α | β` becoming `A → β A-tail*`.

use super::lark::folded;
use super::reader::{Alternative, Grammar, Item, Rule};
use super::terminals::{file_edge, terminal};
use super::{ebnf, snake, split_key, terminal_name};
use crate::lexer::TextLayout;
use simpy_python::KEYWORDS;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write;

pub fn write(grammar: &Grammar, header: &str, layout: TextLayout) -> String {
    let rules = without_left_recursion(right_linear(grammar.rules.clone()));
    let by_name: BTreeMap<String, Rule> =
        rules.iter().map(|r| (r.name.clone(), r.clone())).collect();
    let rules = left_factored(rules, |rule| opened(rule, &by_name));
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let _ = writeln!(
        out,
        "\nroot ::= tok-edge? {} tok-edge?",
        kebab(&snake(&grammar.start))
    );
    let mut terminals = BTreeMap::new();
    for rule in &rules {
        let mut alternatives: Vec<String> = rule
            .alternatives
            .iter()
            .map(|a| sequence(&a.items, layout, &mut terminals))
            .collect();
        // An empty alternative last would let llama.cpp read on into the next line.
        alternatives.sort_by_key(|a| !a.is_empty());
        let _ = writeln!(
            out,
            "{} ::= {}",
            kebab(&snake(&rule.name)),
            // llama.cpp reads a line break as the end of a rule unless inside parentheses.
            alternatives.join(" | ")
        );
    }
    out.push('\n');
    let _ = writeln!(out, "tok-edge ::= {}", file_edge().gbnf());
    for (name, body) in terminals.values() {
        let _ = writeln!(out, "{name} ::= {body}");
    }
    out.push_str(&name_rules());
    out
}

fn kebab(name: &str) -> String {
    name.replace('_', "-")
}

fn sequence(
    items: &[Item],
    layout: TextLayout,
    terminals: &mut BTreeMap<String, (String, String)>,
) -> String {
    let mut spell = |key: &str| {
        if let Some((name, _)) = terminals.get(key) {
            return name.clone();
        }
        let mut name = format!("tok-{}", kebab(&terminal_name(key).to_ascii_lowercase()));
        // `...` and `<ellipsis>` are both ELLIPSIS: llama.cpp keeps only a rule's last
        // definition, so the second needs a name of its own.
        while terminals.values().any(|(taken, _)| *taken == name) {
            name.push_str("-2");
        }
        let (base, kind) = split_key(key);
        let t = terminal(base, kind, layout);
        let Some(pattern) = t.pattern() else {
            return name; // a name: the rules of name_rules
        };
        let body = folded(&t, pattern).gbnf();
        terminals.insert(key.to_owned(), (name.clone(), body));
        name
    };
    ebnf(items, &mut spell, &|r| kebab(&snake(r)))
}

/// A name that is not a keyword, as a trie of rules (GBNF has no subtraction): at each prefix
/// of a keyword, either the next letter of some keyword or any other name character.
fn name_rules() -> String {
    let mut prefixes: BTreeSet<&str> = BTreeSet::from([""]);
    for k in KEYWORDS {
        for end in 1..=k.len() {
            prefixes.insert(&k[..end]);
        }
    }
    // Numbered, not named by prefix: converters fold case (`F` of False, `f` of for).
    let number: BTreeMap<&str, usize> = prefixes.iter().enumerate().map(|(i, p)| (*p, i)).collect();
    let rule = |prefix: &str| match number[prefix] {
        0 => "tok-name".to_owned(),
        n => format!("tok-name-{n}"),
    };
    let mut out = String::from(
        "tok-name-rest ::= [a-zA-Z0-9_]* | [a-zA-Z0-9_]* [^\\x00-\\x7F] tok-name-rest\n",
    );
    for prefix in &prefixes {
        let next: BTreeSet<char> = prefixes
            .iter()
            .filter_map(|p| p.strip_prefix(prefix))
            .filter_map(|rest| {
                (rest.chars().count() == 1)
                    .then(|| rest.chars().next())
                    .flatten()
            })
            .collect();
        let mut alternatives = Vec::new();
        if !prefix.is_empty() && !KEYWORDS.contains(prefix) {
            alternatives.push("\"\"".to_owned());
        }
        for c in &next {
            alternatives.push(format!("\"{c}\" {}", rule(&format!("{prefix}{c}"))));
        }
        let allowed = |c: char| {
            c.is_ascii_alphabetic() || c == '_' || (!prefix.is_empty() && c.is_ascii_digit())
        };
        let others: String = (0u8..128)
            .map(char::from)
            .filter(|c| allowed(*c) && !next.contains(c))
            .collect();
        if !others.is_empty() {
            alternatives.push(format!("[{others}] tok-name-rest"));
        }
        alternatives.push("[^\\x00-\\x7F] tok-name-rest".to_owned());
        let _ = writeln!(out, "{} ::= {}", rule(prefix), alternatives.join(" | "));
    }
    out
}

/// Paull's algorithm: in rule order, substitute earlier rules of the same left-recursive cycle
/// at the left edge, then turn direct left recursion into repetition.
fn without_left_recursion(rules: Vec<Rule>) -> Vec<Rule> {
    let reaches = left_reach(&rules);
    let in_cycle = |from: &str, to: &str| reaches.get(from).is_some_and(|r| r.contains(to));
    let mut done: Vec<Rule> = Vec::new();
    let mut tails: Vec<Rule> = Vec::new();
    for mut rule in rules {
        let mut pending = std::mem::take(&mut rule.alternatives);
        let mut alternatives = Vec::new();
        while let Some(alt) = pending.pop() {
            let earlier = match alt.items.first() {
                Some(Item::Rule(first)) if in_cycle(first, &rule.name) => {
                    done.iter().find(|r| r.name == *first)
                }
                _ => None,
            };
            match earlier {
                Some(earlier) => {
                    for e in &earlier.alternatives {
                        let mut items = e.items.clone();
                        items.extend(alt.items[1..].iter().cloned());
                        pending.push(Alternative {
                            items,
                            check: alt.check.clone(),
                        });
                    }
                }
                None => alternatives.push(alt),
            }
        }
        alternatives.reverse();
        let (recursive, base): (Vec<_>, Vec<_>) = alternatives
            .into_iter()
            .partition(|a| a.items.first() == Some(&Item::Rule(rule.name.clone())));
        if recursive.is_empty() {
            rule.alternatives = base;
        } else {
            let tail = derived_name(&rule.name, "tail");
            tails.push(rests(tail.clone(), &recursive));
            rule.alternatives = base
                .into_iter()
                .map(|mut a| {
                    a.items.push(Item::Star(Box::new(Item::Rule(tail.clone()))));
                    a
                })
                .collect();
        }
        done.push(rule);
    }
    done.extend(tails);
    assert_no_left_recursion(&done);
    done
}

/// A rule that is a choice among the rules of a left-linear group (`Stmts: Closed | Open`,
/// where every alternative of `Closed` and `Open` is empty or one of them followed by an item)
/// is an automaton over items; it is written right-linear, one rule per state, so that each
/// text has one derivation (the left-linear form, once its left recursion is removed, has
/// many, and llama.cpp's stacks double at each nested block).
fn right_linear(rules: Vec<Rule>) -> Vec<Rule> {
    let find = |name: &str| rules.iter().find(|r| r.name == name);
    let mut replaced: Vec<(String, Vec<Rule>, BTreeSet<String>)> = Vec::new();
    for union in &rules {
        let members: BTreeSet<String> = union
            .alternatives
            .iter()
            .filter_map(|a| match a.items.as_slice() {
                [Item::Rule(m)] => Some(m.clone()),
                _ => None,
            })
            .collect();
        if members.len() < 2 || members.len() != union.alternatives.len() {
            continue;
        }
        let left_linear = members.iter().all(|m| {
            find(m).is_some_and(|r| {
                r.alternatives.iter().all(|a| match a.items.as_slice() {
                    [] => true,
                    [Item::Rule(g), item] => members.contains(g) && !mentions_any(item, &members),
                    _ => false,
                })
            })
        });
        let used_elsewhere = rules.iter().any(|r| {
            r.name != union.name
                && !members.contains(&r.name)
                && r.alternatives
                    .iter()
                    .any(|a| a.items.iter().any(|i| mentions_any(i, &members)))
        });
        let starts: Vec<&String> = members
            .iter()
            .filter(|m| find(m).is_some_and(|r| r.alternatives.iter().any(|a| a.items.is_empty())))
            .collect();
        if !left_linear || used_elsewhere || starts.len() != 1 {
            continue;
        }
        let state = |m: &str| format!("{}_{m}", union.name);
        let mut states: Vec<Rule> = members
            .iter()
            .map(|m| Rule {
                name: state(m),
                alternatives: vec![Alternative {
                    items: Vec::new(),
                    check: None,
                }],
            })
            .collect();
        for m in &members {
            for a in &find(m).expect("a member").alternatives {
                if let [Item::Rule(from), item] = a.items.as_slice() {
                    let from = states
                        .iter_mut()
                        .find(|s| s.name == state(from))
                        .expect("a state");
                    from.alternatives.push(Alternative {
                        items: vec![item.clone(), Item::Rule(state(m))],
                        check: a.check.clone(),
                    });
                }
            }
        }
        states.push(Rule {
            name: union.name.clone(),
            alternatives: vec![Alternative {
                items: vec![Item::Rule(state(starts[0]))],
                check: None,
            }],
        });
        replaced.push((union.name.clone(), states, members));
    }
    let mut out = Vec::new();
    for rule in rules {
        if let Some((_, states, _)) = replaced.iter().find(|(u, _, _)| *u == rule.name) {
            out.extend(states.iter().cloned());
        } else if !replaced
            .iter()
            .any(|(_, _, members)| members.contains(&rule.name))
        {
            out.push(rule);
        }
    }
    out
}

/// `Rule_suffix`, before an f-string kind's `#k` (which names parse).
fn derived_name(rule: &str, suffix: &str) -> String {
    match rule.split_once('#') {
        Some((base, kind)) => format!("{base}_{suffix}#{kind}"),
        None => format!("{rule}_{suffix}"),
    }
}

/// A rule of what follows the first item of each alternative.
fn rests<'a>(name: String, alternatives: impl IntoIterator<Item = &'a Alternative>) -> Rule {
    Rule {
        name,
        alternatives: alternatives
            .into_iter()
            .map(|a| Alternative {
                items: a.items[1..].to_vec(),
                check: a.check.clone(),
            })
            .collect(),
    }
}

fn mentions_any(item: &Item, rules: &BTreeSet<String>) -> bool {
    super::mentions(std::slice::from_ref(item), &|_| false, rules)
}

/// Alternatives that begin alike share their beginning (`A → x b | x c` becomes `A → x A-1`,
/// `A-1 → b | c`): llama.cpp's engine keeps one stack per way a text can go on, and alternatives
/// with a common start multiply them at every level of nesting.
///
/// Each rule, and each rule of rests it makes, passes through `prepare` first.
pub(super) fn left_factored(rules: Vec<Rule>, prepare: impl Fn(Rule) -> Rule) -> Vec<Rule> {
    let mut pending: Vec<Rule> = rules.into_iter().rev().collect();
    let mut out = Vec::new();
    while let Some(rule) = pending.pop() {
        let rule = prepare(rule);
        let mut alternatives = Vec::new();
        let mut firsts: Vec<&Item> = Vec::new();
        for alt in &rule.alternatives {
            let Some(first) = alt.items.first() else {
                alternatives.push(alt.clone());
                continue;
            };
            if firsts.contains(&first) {
                continue; // in the group of the first alternative that starts so
            }
            firsts.push(first);
            let group: Vec<&Alternative> = rule
                .alternatives
                .iter()
                .filter(|a| a.items.first() == Some(first))
                .collect();
            if group.len() == 1 {
                alternatives.push(alt.clone());
                continue;
            }
            let name = derived_name(&rule.name, &firsts.len().to_string());
            pending.push(rests(name.clone(), group));
            alternatives.push(Alternative {
                items: vec![first.clone(), Item::Rule(name)],
                check: None,
            });
        }
        out.push(Rule {
            name: rule.name,
            alternatives,
        });
    }
    out
}

/// How many rules deep [`opened`] looks for a shared beginning (`[` begins a list through
/// `SepList_Elem`, `Elem`, `NamedExprTest`): deeper would copy the rest of an alternative once
/// for every rule on the way, for beginnings that part after one token anyway.
const OPENING_DEPTH: usize = 3;

/// Alternatives that begin with different rules, one of which can begin the other
/// (`A → B x | C y` with `B → C z | w`), have the outer one opened (`A → C z x | w x | C y`) so
/// that [`left_factored`] shares `C`. Without it llama.cpp reads `C` once for each, and the
/// stacks multiply at every level of nesting: eight nested lists took it minutes.
fn opened(mut rule: Rule, by_name: &BTreeMap<String, Rule>) -> Rule {
    let first_rule = |a: &Alternative| match a.items.first() {
        Some(Item::Rule(r)) => Some(r.clone()),
        _ => None,
    };
    // The rules that can begin `name` within OPENING_DEPTH steps of first items.
    let begins = |name: &str| {
        let mut seen = BTreeSet::new();
        let mut layer = vec![name.to_owned()];
        for _ in 0..OPENING_DEPTH {
            layer = layer
                .iter()
                .flat_map(|r| by_name[r].alternatives.iter().filter_map(first_rule))
                .filter(|r| seen.insert(r.clone()))
                .collect();
        }
        seen
    };
    while let Some(i) = rule.alternatives.iter().position(|a| {
        first_rule(a).is_some_and(|outer| {
            let inside = begins(&outer);
            rule.alternatives
                .iter()
                .filter_map(first_rule)
                .any(|other| other != outer && inside.contains(&other))
        })
    }) {
        let alt = rule.alternatives.remove(i);
        let outer = &by_name[&first_rule(&alt).expect("begins with a rule")];
        let spliced = outer.alternatives.iter().map(|o| Alternative {
            items: o.items.iter().chain(&alt.items[1..]).cloned().collect(),
            check: alt.check.clone(),
        });
        rule.alternatives.splice(i..i, spliced);
    }
    rule
}

/// For each rule, the rules that can begin it (through any chain of left edges).
fn left_reach(rules: &[Rule]) -> BTreeMap<String, BTreeSet<String>> {
    let nullable = nullable_rules(rules);
    let by_name: BTreeMap<&str, &Rule> = rules.iter().map(|r| (r.name.as_str(), r)).collect();
    let mut out = BTreeMap::new();
    for r in rules {
        let mut seen: BTreeSet<String> = BTreeSet::new();
        let mut stack = vec![r.name.as_str()];
        while let Some(name) = stack.pop() {
            for a in &by_name[name].alternatives {
                for first in left_edge(&a.items, &nullable) {
                    if seen.insert(first.to_owned()) {
                        stack.push(by_name[first].name.as_str());
                    }
                }
            }
        }
        out.insert(r.name.clone(), seen);
    }
    out
}

fn nullable_rules(rules: &[Rule]) -> BTreeSet<&str> {
    let mut nullable: BTreeSet<&str> = BTreeSet::new();
    loop {
        let before = nullable.len();
        for r in rules {
            if r.alternatives
                .iter()
                .any(|a| a.items.iter().all(|i| nullable_item(i, &nullable)))
            {
                nullable.insert(&r.name);
            }
        }
        if nullable.len() == before {
            return nullable;
        }
    }
}

fn assert_no_left_recursion(rules: &[Rule]) {
    for (name, reach) in left_reach(rules) {
        assert!(
            !reach.contains(&name),
            "GBNF export: left recursion remains at {name}"
        );
    }
}

fn nullable_item(i: &Item, nullable: &BTreeSet<&str>) -> bool {
    match i {
        Item::Terminal(_) => false,
        Item::Rule(r) => nullable.contains(r.as_str()),
        Item::Group(inner) => inner.iter().all(|i| nullable_item(i, nullable)),
        Item::Optional(_) | Item::Star(_) => true,
        Item::Plus(inner) => nullable_item(inner, nullable),
    }
}

/// The rules that can come first in `items`.
fn left_edge<'a>(items: &'a [Item], nullable: &BTreeSet<&str>) -> Vec<&'a str> {
    let mut out = Vec::new();
    for i in items {
        match i {
            Item::Terminal(_) => return out,
            Item::Rule(r) => out.push(r.as_str()),
            Item::Group(inner) => out.extend(left_edge(inner, nullable)),
            Item::Optional(inner) | Item::Star(inner) | Item::Plus(inner) => {
                out.extend(left_edge(std::slice::from_ref(inner), nullable))
            }
        }
        if !nullable_item(i, nullable) {
            return out;
        }
    }
    out
}
