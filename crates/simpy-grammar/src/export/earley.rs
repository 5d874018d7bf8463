//! The grammar reshaped for llguidance's Earley parser. At every lexeme boundary inside a
//! vocabulary token (`x.`, `)(`, `]=`) it adds a row holding an item for each rule the lexeme
//! completes and each alternative the next one may start, and it stops a mask at 50,000 items by
//! default (`step_max_items`); after a name at a statement's start, the grammar as the parser
//! writes it passes that. Two rewrites that keep the accepted texts cut the items per row:
//!
//! - **Operator levels flattened.** Precedence does not change which texts are accepted:
//!   `R → R x S | S` and `S → S y T | T` accept the strings of `T` joined by `x` or `y`, so
//!   `R → T (R_op T)*` with `R_op → x | y` (`R → T (x T)*` for one operator). Levels are read
//!   in both shapes the grammar writes: left recursion and a repetition (`R → S (x S)*`).
//! - **Alternatives that begin alike left-factored** ([`left_factored`], shared with GBNF).

use super::gbnf::left_factored;
use super::reader::{Alternative, Grammar, Item, Rule};
use std::collections::{BTreeMap, BTreeSet};

/// `grammar` with the two rewrites above.
pub fn reshaped(grammar: Grammar) -> Grammar {
    let mut grammar = flattened(grammar);
    grammar.rules = left_factored(grammar.rules, |rule| rule);
    grammar
}

/// A binary level: its operand and the operator sequences between operands.
struct Level {
    operand: String,
    operators: Vec<Vec<Item>>,
}

/// `grammar` with every binary level written as its lowest operand and every operator above
/// it; rules no longer reached from the start are dropped.
fn flattened(mut grammar: Grammar) -> Grammar {
    let levels: BTreeMap<String, Level> = grammar
        .rules
        .iter()
        .filter_map(|rule| level(rule).map(|l| (rule.name.clone(), l)))
        .collect();
    let mut op_rules = Vec::new();
    for rule in &mut grammar.rules {
        let Some(top) = levels.get(&rule.name) else {
            continue;
        };
        let mut operators = top.operators.clone();
        let mut operand = &top.operand;
        // A chain of levels ends at an operand that is not one (the bound guards a cycle).
        for _ in 0..levels.len() {
            let Some(below) = levels.get(operand) else {
                break;
            };
            for op in &below.operators {
                if !operators.contains(op) {
                    operators.push(op.clone());
                }
            }
            operand = &below.operand;
        }
        // One operator is written in place (`SP` between list items); several get a rule.
        let mut between = if let [only] = operators.as_slice() {
            only.clone()
        } else {
            let op_rule = format!("{}Op", rule.name);
            op_rules.push(Rule {
                name: op_rule.clone(),
                alternatives: operators
                    .into_iter()
                    .map(|items| Alternative { items, check: None })
                    .collect(),
            });
            vec![Item::Rule(op_rule)]
        };
        between.push(Item::Rule(operand.clone()));
        rule.alternatives = vec![Alternative {
            items: vec![
                Item::Rule(operand.clone()),
                Item::Star(Box::new(Item::Group(between))),
            ],
            check: None,
        }];
    }
    grammar.rules.extend(op_rules);
    let reached = reached(&grammar);
    grammar.rules.retain(|r| reached.contains(&r.name));
    grammar
}

/// `rule` as a binary level, if it is one; levels whose actions check something are left alone.
fn level(rule: &Rule) -> Option<Level> {
    if rule.alternatives.iter().any(|a| a.check.is_some()) {
        return None;
    }
    let own = Item::Rule(rule.name.clone());
    match rule.alternatives.as_slice() {
        // R → S (x S)*
        [only] => match only.items.as_slice() {
            [Item::Rule(operand), Item::Star(repeated)] => match repeated.as_ref() {
                Item::Group(inner) if inner.len() > 1 => {
                    let (last, op) = inner.split_last()?;
                    (*last == Item::Rule(operand.clone()) && !mentions(op, &rule.name)).then(|| {
                        Level {
                            operand: operand.clone(),
                            operators: vec![op.to_vec()],
                        }
                    })
                }
                _ => None,
            },
            _ => None,
        },
        // R → R x S | … | S
        alternatives => {
            let operand = alternatives.iter().find_map(|a| match a.items.as_slice() {
                [Item::Rule(s)] if *s != rule.name => Some(s.clone()),
                _ => None,
            })?;
            let mut operators = Vec::new();
            for a in alternatives {
                match a.items.as_slice() {
                    [Item::Rule(s)] if *s == operand => {}
                    [first, op @ .., Item::Rule(last)]
                        if *first == own
                            && *last == operand
                            && !op.is_empty()
                            && !mentions(op, &rule.name) =>
                    {
                        operators.push(op.to_vec())
                    }
                    _ => return None,
                }
            }
            (!operators.is_empty()).then_some(Level { operand, operators })
        }
    }
}

fn mentions(items: &[Item], rule: &str) -> bool {
    let rules = BTreeSet::from([rule.to_owned()]);
    super::mentions(items, &|_| false, &rules)
}

/// The rules reached from the start rule.
fn reached(grammar: &Grammar) -> BTreeSet<String> {
    let by_name: BTreeMap<&str, &Rule> =
        grammar.rules.iter().map(|r| (r.name.as_str(), r)).collect();
    let mut seen = BTreeSet::from([grammar.start.clone()]);
    let mut todo = vec![grammar.start.clone()];
    while let Some(name) = todo.pop() {
        let Some(rule) = by_name.get(name.as_str()) else {
            continue;
        };
        for alternative in &rule.alternatives {
            let mut found = Vec::new();
            rules_in(&alternative.items, &mut found);
            for r in found {
                if seen.insert(r.clone()) {
                    todo.push(r);
                }
            }
        }
    }
    seen
}

fn rules_in(items: &[Item], out: &mut Vec<String>) {
    for i in items {
        match i {
            Item::Terminal(_) => {}
            Item::Rule(r) => out.push(r.clone()),
            Item::Group(inner) => rules_in(inner, out),
            Item::Optional(i) | Item::Star(i) | Item::Plus(i) => {
                rules_in(std::slice::from_ref(i), out)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grammar(text: &str) -> Grammar {
        super::super::reader::read(text)
    }

    fn rule<'g>(g: &'g Grammar, name: &str) -> &'g Rule {
        g.rules.iter().find(|r| r.name == name).expect("rule kept")
    }

    #[test]
    fn left_recursive_and_repeated_levels_join_their_operators() {
        let g = flattened(grammar(
            r#"
            grammar;
            extern { enum Tok { "or" => X, "+" => X, "*" => X, "-" => X, N => X, "(" => X, ")" => X } }
            pub Top: () = { Or };
            Or: () = Sum ("or" Sum)*;
            Sum: () = { Sum "+" Product, Sum "-" Product, Product };
            Product: () = { Product "*" Atom, Atom };
            Atom: () = { N, "(" Or ")" };
            "#,
        ));
        let or = rule(&g, "Or");
        assert_eq!(or.alternatives.len(), 1);
        assert!(
            matches!(or.alternatives[0].items.as_slice(), [Item::Rule(a), Item::Star(_)] if a == "Atom")
        );
        let ops: Vec<Vec<Item>> = rule(&g, "OrOp")
            .alternatives
            .iter()
            .map(|a| a.items.clone())
            .collect();
        let t = |s: &str| vec![Item::Terminal(s.to_owned())];
        assert_eq!(ops, vec![t("or"), t("+"), t("-"), t("*")]);
        // Sum and Product are no longer reached; Atom is.
        assert!(!g
            .rules
            .iter()
            .any(|r| r.name == "Sum" || r.name == "Product"));
        rule(&g, "Atom");
    }

    #[test]
    fn a_rule_whose_right_operand_differs_is_not_a_level() {
        let g = flattened(grammar(
            r#"
            grammar;
            extern { enum Tok { "**" => X, N => X } }
            pub Top: () = { Power };
            Power: () = { Atom "**" Power, Atom };
            Atom: () = { N };
            "#,
        ));
        assert_eq!(rule(&g, "Power").alternatives.len(), 2);
        assert!(!g.rules.iter().any(|r| r.name == "PowerOp"));
    }
}
