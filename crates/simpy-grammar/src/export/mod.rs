//! The SimPy grammar for constrained decoding: `grammar.lalrpop` — the parser's own rules —
//! written out as Lark (for the `lark` package), as llguidance's Lark dialect (special tokens as
//! single token ids) and as llama.cpp's GBNF. Nothing is kept by hand: the rules are read from
//! the lalrpop source, the spellings from its extern block and the lexer, and layout from
//! `layout.rs` (see `terminals.rs` for the lexemes written again as patterns).
//!
//! A context-free grammar cannot make every check `decode` makes; the ones the parser's actions
//! make are listed in each file's header, from the grammar itself ([`checks_outside`]).

mod earley;
mod gbnf;
mod lark;
mod reader;
mod regex;
mod spelled;
mod terminals;

use crate::dialect::Spelling;
use reader::{Alternative, Grammar, Item, Rule};
use std::collections::BTreeSet;
use terminals::FKINDS;

/// The grammar formats `simpy grammar` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GrammarFormat {
    /// Lark for the `lark` package: special tokens as text, Python `re` patterns.
    Lark,
    /// llguidance's Lark dialect: special tokens as `<token>` (one id each), Rust regexes.
    Llguidance,
    /// llama.cpp's GBNF: special tokens as text, no left recursion.
    Gbnf,
}

impl GrammarFormat {
    pub const ALL: [GrammarFormat; 3] = [Self::Lark, Self::Llguidance, Self::Gbnf];

    /// The file name under `grammar/` of the grammar of `dialect` (a built-in name):
    /// `simpy.lark`, `simpy.compact.lark`.
    pub fn file_name_of(self, dialect: &str) -> String {
        match dialect {
            "simpy" => self.file_name().to_owned(),
            other => self
                .file_name()
                .replacen("simpy.", &format!("simpy.{other}."), 1),
        }
    }

    /// The file name under `grammar/`.
    pub fn file_name(self) -> &'static str {
        match self {
            Self::Lark => "simpy.lark",
            Self::Llguidance => "simpy.llguidance.lark",
            Self::Gbnf => "simpy.gbnf",
        }
    }
}

/// The grammar in `format`, with a header naming what it leaves to `decode`.
pub fn export_grammar(format: GrammarFormat) -> String {
    export(format, None)
}

/// The grammar of a dialect's spelling choices, `name` naming it in the header. It accepts what
/// the dialect writes with its idioms written out, and canonical SimPy. No rule names an idiom:
/// one stands for a run of lexemes across the grammar's terminals (`self.assertEqual`,
/// `<block_end><def_stmt>`). A tokenizer that spells an idiom out as its text
/// (`simpy_tokens::spellable`) lets an engine that reads tokens' bytes take it; with `idioms`
/// (how many the dialect has) the header says so.
///
/// Where both `<line_sep>` and `<block_end>` are line breaks, the grammar takes no `<line_sep>`
/// where no statement ends (see `spelled::without_stray_line_seps`).
pub fn export_spelled_grammar(
    format: GrammarFormat,
    spelling: Spelling,
    name: &str,
    idioms: usize,
) -> String {
    export(format, Some((spelling, name, idioms)))
}

fn export(format: GrammarFormat, dialect: Option<(Spelling, &str, usize)>) -> String {
    let canonical = expand_fstrings(reader::read(include_str!("../grammar.lalrpop")));
    let format_name = match format {
        GrammarFormat::Lark => "lark",
        GrammarFormat::Llguidance => "llguidance",
        GrammarFormat::Gbnf => "gbnf",
    };
    let spelling = dialect.map(|(s, ..)| s).unwrap_or_default();
    let layout = spelling.text_layout();
    let mut header = match dialect {
        None => format!(
            "SimPy, generated from crates/simpy-grammar/src/grammar.lalrpop by `simpy grammar --format {format_name}`; do not edit.\n\
             It accepts SimPy with canonical layout (what `simpy encode` writes). Left to `decode`:\n"
        ),
        Some((_, name, idioms)) => {
            let rest = match idioms {
                0 => ", and canonical SimPy".to_owned(),
                n => format!(
                    " with {} written out, and canonical\n\
                     SimPy. No rule names an idiom: exported with `simpy tokenizer export --dialect {name}\n\
                     --spell-out-idioms`, a tokenizer adds each idiom whose text holds no SimPy token as that\n\
                     text, which an engine reading tokens' bytes holds to this grammar; the others, `<@N>`,\n\
                     are refused (the model writes their pieces)",
                    if n == 1 { "its idiom".to_owned() } else { format!("its {n} idioms") }
                ),
            };
            format!(
                "SimPy in the dialect `{name}`, generated from crates/simpy-grammar/src/grammar.lalrpop by\n\
                 `simpy grammar --format {format_name} --dialect {name}`; do not edit. It accepts what\n\
                 `simpy encode --dialect {name}` writes{rest}. Left to `decode`:\n"
            )
        }
    };
    for (rule, check) in checks_outside(&canonical) {
        header.push_str(&format!("  {rule}: {check}\n"));
    }
    for approximation in APPROXIMATIONS {
        header.push_str(&format!("  {approximation}\n"));
    }
    for approximation in spelled::approximations(spelling, format == GrammarFormat::Gbnf) {
        header.push_str(&format!("  {approximation}\n"));
    }
    if format == GrammarFormat::Llguidance {
        // What keeps llguidance's parser within its default limits (lark::special_token).
        header.push_str(
            "  refused here: a space after a special token, or before one but `<block_start>`\n  \
             and `<arrow>` (encode writes none)\n",
        );
    }
    let clause_blocks = match format {
        GrammarFormat::Gbnf => spelled::ClauseBlocks::OnePath,
        _ => spelled::ClauseBlocks::Exact,
    };
    let grammar = spelled::respelled(canonical, spelling, clause_blocks);
    match format {
        GrammarFormat::Lark => lark::write(&grammar, &header, lark::Dialect::Lark, layout),
        GrammarFormat::Llguidance => lark::write(
            &earley::reshaped(grammar),
            &header,
            lark::Dialect::Llguidance,
            layout,
        ),
        GrammarFormat::Gbnf => gbnf::write(&grammar, &header, layout),
    }
}

/// What the grammar accepts beyond the parser, each too rare to spell out: token patterns wider
/// than the lexer, and the checks `parse_simpy` makes on the finished tree.
const APPROXIMATIONS: [&str; 5] = [
    "starred expressions: only where Python's compiler takes them (`*a=b`, a starred target\n  \
     alone, is refused)",
    "f-strings: a comment or a line break inside a field;\n  \
     refused: a quote of the string's kind in a format spec",
    "layout: a line break only at the ends of the file and after a comment; `..` read as `...`;\n  \
     refused: `a - b` with spaces (canonical `a-b`; `a -b` is two elements), which needs a lookahead",
    "numbers and strings: the value (`0777`, an unknown `\\N{…}`, non-ASCII bytes)",
    "names: any non-ASCII character may be part of a name; NFKC is not checked",
];

/// Each rule whose action can refuse what the grammar accepted, with what it checks.
pub fn checks_outside(grammar: &Grammar) -> Vec<(String, &'static str)> {
    let mut out: Vec<(String, &'static str)> = Vec::new();
    for rule in &grammar.rules {
        for alt in &rule.alternatives {
            if let Some(identifiers) = &alt.check {
                let what = identifiers
                    .iter()
                    .find_map(|i| describe(&rule.name, i))
                    .unwrap_or_else(|| {
                        panic!("grammar.lalrpop: describe one of {identifiers:?} in export/mod.rs")
                    });
                let name = rule.name.split('#').next().unwrap_or(&rule.name).to_owned();
                if !out.iter().any(|(r, w)| *r == name && *w == what) {
                    out.push((name, what));
                }
            }
        }
    }
    out
}

fn describe(rule: &str, check: &str) -> Option<&'static str> {
    Some(match check {
        "fail" if rule == "ClassDef" => "an unparenthesized generator as a base class",
        "fail" if rule == "Pattern" => "`_` as the target of `as`",
        "fail" if rule == "LiteralValue" => "an f-string as a pattern",
        "block" => "a block holds at least one statement",
        "assignment" | "store" | "aug_target" | "ann_assign" => {
            "assignment targets (names, attributes, subscripts, unpacking)"
        }
        "delete" => "what `del` may take",
        "try_statement" => "a `try` has a handler or `finally`; `except` and `except*` do not mix",
        "arguments" => "parameter order, defaults and duplicates",
        "call_arguments" => "argument order (positional, keyword, `*`, `**`)",
        "no_starred_element" => "no starred element in a comprehension",
        "comprehension" => "comprehension targets",
        "parenthesized_elements" => "a starred element alone in parentheses",
        "parenthesized_patterns" => "a parenthesized pattern list",
        "match_mapping" | "match_class" => "mapping and class patterns (keys, order)",
        "number" => "the number's value",
        "string_piece" | "strings" => "string escapes; bytes not mixed with str",
        "fstring" => "the `{x=}` debug text equals its expression",
        _ => return None,
    })
}

/// The f-string rules, once per quote kind: the text, the end and the fields inside depend on
/// the opening. An alternative with `FSTART` picks the kind; rules using `FMIDDLE`/`FEND` (or
/// such rules) are copied per kind as `Rule#k`, their terminals as `FMIDDLE#k`. After `FSPEC`
/// the text is a format spec's (`{{` is not a brace there): each such rule has a spec copy,
/// `Rule#ks`, so that an LALR parser's states (and so a contextual lexer) keep them apart.
fn expand_fstrings(mut grammar: Grammar) -> Grammar {
    let mut dependent = BTreeSet::new();
    loop {
        let before = dependent.len();
        for rule in &grammar.rules {
            let depends = rule.alternatives.iter().any(|a| {
                !mentions(&a.items, &|t| t == "FSTART", &BTreeSet::new())
                    && mentions(&a.items, &|t| t == "FMIDDLE" || t == "FEND", &dependent)
            });
            if depends {
                dependent.insert(rule.name.clone());
            }
        }
        if dependent.len() == before {
            break;
        }
    }
    let direct: BTreeSet<String> = grammar
        .rules
        .iter()
        .filter(|r| {
            r.alternatives
                .iter()
                .any(|a| mentions(&a.items, &|t| t == "FMIDDLE", &BTreeSet::new()))
        })
        .map(|r| r.name.clone())
        .collect();
    let kinds = Kinds { dependent, direct };
    let mut rules = Vec::new();
    for rule in grammar.rules {
        if kinds.dependent.contains(&rule.name) {
            for spec in [false, true] {
                for (k, kind) in FKINDS.iter().enumerate() {
                    let mut alternatives: Vec<Alternative> = rule
                        .alternatives
                        .iter()
                        .map(|a| kinds.alternative(a, k, spec))
                        .collect();
                    // Escaped braces and (in triple quotes) a quote or two are lexemes of their
                    // own beside the text: a longest-match lexer that has read `{` or `"` cannot
                    // take it back when it turns out to open a field or end the string.
                    if kinds.direct.contains(&rule.name) && !spec {
                        let mut extra = vec!["FBRACES".to_owned()];
                        if kind.quote.len() == 3 {
                            extra.push(format!("FQUOTES#{k}"));
                        }
                        alternatives.extend(extra.into_iter().map(|t| Alternative {
                            items: vec![Item::Terminal(t)],
                            check: None,
                        }));
                    }
                    rules.push(Rule {
                        name: format!("{}#{}", rule.name, kinds.suffix(k, spec)),
                        alternatives,
                    });
                }
            }
        } else {
            let mut alternatives = Vec::new();
            for a in rule.alternatives {
                if mentions(&a.items, &|t| t == "FSTART", &BTreeSet::new()) {
                    alternatives.extend((0..FKINDS.len()).map(|k| kinds.alternative(&a, k, false)));
                    // `f''` whole: a longest-match lexer that has read `f''` is on its way to
                    // a triple quote and cannot go back to `f'` and `'`.
                    alternatives.extend(
                        (0..FKINDS.len())
                            .filter(|&k| FKINDS[k].quote.len() == 1)
                            .map(|k| Alternative {
                                items: vec![Item::Terminal(format!("FEMPTY#{k}"))],
                                check: None,
                            }),
                    );
                } else {
                    alternatives.push(a);
                }
            }
            rules.push(Rule {
                name: rule.name,
                alternatives,
            });
        }
    }
    grammar.rules = rules;
    grammar
}

/// Whether `items` hold a terminal `terminal` picks or one of `rules`.
fn mentions(items: &[Item], terminal: &dyn Fn(&str) -> bool, rules: &BTreeSet<String>) -> bool {
    items.iter().any(|i| match i {
        Item::Terminal(t) => terminal(t),
        Item::Rule(r) => rules.contains(r),
        Item::Group(inner) => mentions(inner, terminal, rules),
        Item::Optional(i) | Item::Star(i) | Item::Plus(i) => {
            mentions(std::slice::from_ref(i), terminal, rules)
        }
    })
}

/// `items` in the EBNF Lark and GBNF share (`(…)`, `?`, `*`, `+`, juxtaposition), each
/// terminal spelled by `terminal` and each rule by `rule`.
fn ebnf(
    items: &[Item],
    terminal: &mut dyn FnMut(&str) -> String,
    rule: &dyn Fn(&str) -> String,
) -> String {
    let mut item = |i: &Item| -> String {
        match i {
            Item::Terminal(key) => terminal(key),
            Item::Rule(r) => rule(r),
            Item::Group(inner) => format!("({})", ebnf(inner, terminal, rule)),
            Item::Optional(inner) => format!("{}?", ebnf_atom(inner, terminal, rule)),
            Item::Star(inner) => format!("{}*", ebnf_atom(inner, terminal, rule)),
            Item::Plus(inner) => format!("{}+", ebnf_atom(inner, terminal, rule)),
        }
    };
    items.iter().map(&mut item).collect::<Vec<_>>().join(" ")
}

/// One item as the operand of a postfix operator: bracketed unless it is one symbol already.
fn ebnf_atom(
    i: &Item,
    terminal: &mut dyn FnMut(&str) -> String,
    rule: &dyn Fn(&str) -> String,
) -> String {
    let s = ebnf(std::slice::from_ref(i), terminal, rule);
    if s.contains(' ') && !s.starts_with('(') {
        format!("({s})")
    } else {
        s
    }
}

struct Kinds {
    dependent: BTreeSet<String>,
    direct: BTreeSet<String>,
}

impl Kinds {
    fn suffix(&self, k: usize, spec: bool) -> String {
        format!("{k}{}", if spec { "s" } else { "" })
    }

    fn alternative(&self, alt: &Alternative, k: usize, spec: bool) -> Alternative {
        Alternative {
            items: self.sequence(&alt.items, k, spec),
            check: alt.check.clone(),
        }
    }

    fn sequence(&self, items: &[Item], k: usize, mut spec: bool) -> Vec<Item> {
        let mut out = Vec::new();
        for i in items {
            out.push(self.item(i, k, spec));
            spec |= *i == Item::Terminal("FSPEC".into());
        }
        out
    }

    fn item(&self, i: &Item, k: usize, spec: bool) -> Item {
        match i {
            Item::Terminal(t) if t == "FMIDDLE" => {
                Item::Terminal(format!("{t}#{}", self.suffix(k, spec)))
            }
            Item::Terminal(t) if t == "FSTART" || t == "FEND" => Item::Terminal(format!("{t}#{k}")),
            Item::Rule(r) if self.dependent.contains(r) => {
                Item::Rule(format!("{r}#{}", self.suffix(k, spec)))
            }
            Item::Group(inner) => Item::Group(self.sequence(inner, k, spec)),
            Item::Optional(i) => Item::Optional(Box::new(self.item(i, k, spec))),
            Item::Star(i) => Item::Star(Box::new(self.item(i, k, spec))),
            Item::Plus(i) => Item::Plus(Box::new(self.item(i, k, spec))),
            other => other.clone(),
        }
    }
}

/// A terminal key split into the extern key and its f-string kind (`FMIDDLE#3`, `FMIDDLE#3s`).
fn split_key(key: &str) -> (&str, Option<terminals::FKind>) {
    match key.split_once('#') {
        Some((key, k)) => {
            let spec = k.ends_with('s');
            let kind = k
                .trim_end_matches('s')
                .parse::<usize>()
                .ok()
                .map(|i| terminals::FKind { spec, ..FKINDS[i] });
            (key, kind)
        }
        None => (key, None),
    }
}

/// `NamedExprTest` → `named_expr_test`; `FElement#2` → `f_element_tsq`.
fn snake(name: &str) -> String {
    let (base, kind) = split_key(name);
    let chars: Vec<char> = base.chars().collect();
    let mut out = String::new();
    for (i, &c) in chars.iter().enumerate() {
        let boundary = i > 0
            && c.is_ascii_uppercase()
            && (chars[i - 1].is_ascii_lowercase()
                || chars[i - 1].is_ascii_digit()
                || (chars[i - 1].is_ascii_uppercase()
                    && chars.get(i + 1).is_some_and(char::is_ascii_lowercase)));
        if boundary {
            out.push('_');
        }
        out.push(c.to_ascii_lowercase());
    }
    if let Some(k) = kind {
        out.push('_');
        out.push_str(&k.suffix());
    }
    out
}

/// The name of a terminal, upper snake case: `<block_start>` → `BLOCK_START`, `(` → `L_PAREN`.
fn terminal_name(key: &str) -> String {
    let (base, kind) = split_key(key);
    let name = if let Some(inner) = base.strip_prefix('<').and_then(|k| k.strip_suffix('>')) {
        inner.to_ascii_uppercase()
    } else if base.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
        base.to_owned()
    } else {
        let punct = crate::lexer::scan(base)
            .ok()
            .and_then(|t| t.first().map(|s| s.tok))
            .map(|t| match t {
                crate::lexer::Lexeme::Tok(crate::token::Tok::Punct(p)) => format!("{p:?}"),
                other => panic!("grammar.lalrpop: terminal {base} is {other:?}"),
            })
            .unwrap_or_default();
        snake(&punct).to_ascii_uppercase()
    };
    match kind {
        Some(k) => format!("{name}_{}", k.suffix().to_ascii_uppercase()),
        None => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_and_terminal_of_the_parser_is_read() {
        let g = reader::read(include_str!("../grammar.lalrpop"));
        let names: Vec<&str> = g.rules.iter().map(|r| r.name.as_str()).collect();
        for expected in [
            "Module",
            "Closed",
            "Compound",
            "Field",
            "SepList_Elem",
            "CompFor",
        ] {
            assert!(
                names.contains(&expected),
                "{expected} missing from {names:?}"
            );
        }
        assert_eq!(g.start, "Module");
        assert!(g.terminals.iter().any(|t| t == "<block_start>"));
        assert!(g.terminals.iter().any(|t| t == "FMIDDLE"));
        // Every symbol used is defined.
        fn uses(items: &[Item], out: &mut Vec<Item>) {
            for i in items {
                match i {
                    Item::Group(inner) => uses(inner, out),
                    Item::Optional(i) | Item::Star(i) | Item::Plus(i) => {
                        uses(std::slice::from_ref(i), out)
                    }
                    other => out.push(other.clone()),
                }
            }
        }
        let mut used = Vec::new();
        for r in &g.rules {
            for a in &r.alternatives {
                uses(&a.items, &mut used);
            }
        }
        for u in used {
            match u {
                Item::Rule(r) => assert!(names.contains(&r.as_str()), "rule {r} used, not read"),
                Item::Terminal(t) => assert!(g.terminals.contains(&t), "terminal {t} undeclared"),
                _ => unreachable!("flattened"),
            }
        }
    }

    #[test]
    fn the_checks_outside_the_grammar_are_the_fallible_actions() {
        let g = reader::read(include_str!("../grammar.lalrpop"));
        let checks = checks_outside(&g);
        let rules: Vec<&str> = checks.iter().map(|(r, _)| r.as_str()).collect();
        for expected in [
            "Block",
            "SimpleStmt",
            "Try",
            "DefParams",
            "CallTail",
            "StringPiece",
            "Number",
        ] {
            assert!(rules.contains(&expected), "{expected} not in {rules:?}");
        }
    }

    #[test]
    fn names() {
        assert_eq!(snake("NamedExprTest"), "named_expr_test");
        assert_eq!(snake("SepList_Elem"), "sep_list_elem");
        assert_eq!(snake("FElement#2"), "f_element_tsq");
        assert_eq!(terminal_name("<block_start>"), "BLOCK_START");
        assert_eq!(terminal_name("("), "L_PAREN");
        assert_eq!(terminal_name("FMIDDLE#5"), "FMIDDLE_DQ_RAW");
    }

    #[test]
    fn no_stray_line_sep_when_both_layouts_are_line_breaks() {
        let both = Spelling {
            line_sep_as_newline: true,
            block_end_as_blank_line: true,
            ..Spelling::default()
        };
        let one = Spelling {
            block_end_as_blank_line: false,
            ..both
        };
        // `stmts-closed` may start with `<line_sep>` only where a stray one is taken.
        let stray = "stmts-closed ::=  | tok-line-sep stmts-closed";
        let gbnf = |spelling| export_spelled_grammar(GrammarFormat::Gbnf, spelling, "d", 0);
        assert!(!gbnf(both).contains(stray), "{}", gbnf(both));
        assert!(gbnf(one).contains(stray), "{}", gbnf(one));
        assert!(export_grammar(GrammarFormat::Gbnf).contains(stray));
        for format in GrammarFormat::ALL {
            let header = "a `<line_sep>` after a block's end";
            assert!(export_spelled_grammar(format, both, "d", 0).contains(header));
            assert!(!export_spelled_grammar(format, one, "d", 0).contains(header));
        }
    }
}
