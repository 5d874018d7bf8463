//! Reads `grammar.lalrpop` — the parser's own source — into plain rules: the symbols of each
//! alternative, with bindings, locations and actions dropped and macros instantiated. Only the
//! lalrpop this grammar uses is understood; anything else is a panic at export time, caught by
//! the tests (the file is compiled into the binary, so it cannot change under a user).

use std::collections::BTreeMap;

/// A grammar symbol, as the exporters see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    /// A terminal of the extern block: its key (`NAME`, `"<block_start>"` without quotes, `+`).
    Terminal(String),
    /// A nonterminal, macros already instantiated (`SepList<Elem>` becomes `SepList_Elem`).
    Rule(String),
    Group(Vec<Item>),
    Optional(Box<Item>),
    Star(Box<Item>),
    Plus(Box<Item>),
}

/// One alternative: its symbols and, when its action can fail (`=>? block(…)`), the action's
/// identifiers, among which the check made outside the grammar.
#[derive(Clone, Debug)]
pub struct Alternative {
    pub items: Vec<Item>,
    pub check: Option<Vec<String>>,
}

#[derive(Clone, Debug)]
pub struct Rule {
    pub name: String,
    pub alternatives: Vec<Alternative>,
}

/// The grammar: its rules in file order (instantiated macros after their first use), the start
/// rule, and the extern block's terminal keys.
#[derive(Clone, Debug)]
pub struct Grammar {
    pub rules: Vec<Rule>,
    pub start: String,
    #[allow(dead_code)] // read by the tests: every terminal a rule uses is declared
    pub terminals: Vec<String>,
}

pub fn read(source: &str) -> Grammar {
    let tokens = lex(source);
    let mut p = Reader { tokens, pos: 0 };
    let mut terminals = Vec::new();
    let mut templates = BTreeMap::new();
    let mut rules = Vec::new();
    let mut start = None;
    while let Some(tok) = p.peek() {
        match tok {
            T::Ident(w) if w == "use" || w == "grammar" => p.skip_past(&T::Punct(";")),
            T::Ident(w) if w == "extern" => terminals = p.extern_block(),
            T::Ident(w) if w == "pub" => {
                p.pos += 1;
                let rule = p.rule_definition();
                start = Some(rule.name.clone());
                rules.push(rule);
            }
            T::Ident(_) => {
                let rule = p.rule_definition();
                if rule.params.is_empty() {
                    rules.push(rule);
                } else {
                    templates.insert(rule.name.clone(), rule);
                }
            }
            other => panic!("grammar.lalrpop: unexpected {other:?} at top level"),
        }
    }
    let rules = instantiate(rules, &templates);
    Grammar {
        rules,
        start: start.expect("grammar.lalrpop has a `pub` start rule"),
        terminals,
    }
}

/// A rule as read, before macro instantiation.
struct RawRule {
    name: String,
    params: Vec<String>,
    alternatives: Vec<(Vec<RawItem>, Option<Vec<String>>)>,
}

#[derive(Clone, Debug)]
enum RawItem {
    Terminal(String),
    Rule(String, Vec<RawItem>),
    Group(Vec<RawItem>),
    Optional(Box<RawItem>),
    Star(Box<RawItem>),
    Plus(Box<RawItem>),
}

fn instantiate(rules: Vec<RawRule>, templates: &BTreeMap<String, RawRule>) -> Vec<Rule> {
    let mut out: Vec<Rule> = Vec::new();
    let mut pending: Vec<(String, String, Vec<RawItem>)> = Vec::new();
    let mut done = std::collections::BTreeSet::new();
    for rule in rules {
        let alternatives = lower_rule(&rule, &BTreeMap::new(), &mut pending);
        out.push(Rule {
            name: rule.name,
            alternatives,
        });
        while let Some((name, template, args)) = pending.pop() {
            if !done.insert(name.clone()) {
                continue;
            }
            let t = &templates[&template];
            let bindings: BTreeMap<String, RawItem> =
                t.params.iter().cloned().zip(args.iter().cloned()).collect();
            let alternatives = lower_rule(t, &bindings, &mut pending);
            out.push(Rule { name, alternatives });
        }
    }
    out
}

fn lower_rule(
    rule: &RawRule,
    bindings: &BTreeMap<String, RawItem>,
    pending: &mut Vec<(String, String, Vec<RawItem>)>,
) -> Vec<Alternative> {
    rule.alternatives
        .iter()
        .map(|(items, check)| Alternative {
            items: items.iter().map(|i| lower(i, bindings, pending)).collect(),
            check: check.clone(),
        })
        .collect()
}

/// An item with template parameters substituted; a macro use becomes a reference to its
/// instance, queued in `pending`.
fn lower(
    item: &RawItem,
    bindings: &BTreeMap<String, RawItem>,
    pending: &mut Vec<(String, String, Vec<RawItem>)>,
) -> Item {
    match item {
        // A template parameter (`T`) reads like a terminal until it is bound.
        RawItem::Terminal(t) => match bindings.get(t) {
            Some(bound) => lower(bound, &BTreeMap::new(), pending),
            None => Item::Terminal(t.clone()),
        },
        RawItem::Rule(name, args) if args.is_empty() => match bindings.get(name) {
            Some(bound) => lower(bound, &BTreeMap::new(), pending),
            None => Item::Rule(name.clone()),
        },
        RawItem::Rule(name, args) => {
            let args: Vec<RawItem> = args
                .iter()
                .map(|a| match a {
                    RawItem::Rule(n, inner) if inner.is_empty() => {
                        bindings.get(n).cloned().unwrap_or_else(|| a.clone())
                    }
                    RawItem::Terminal(n) => bindings.get(n).cloned().unwrap_or_else(|| a.clone()),
                    _ => a.clone(),
                })
                .collect();
            let instance = format!("{name}_{}", args.iter().map(item_name).collect::<String>());
            pending.push((instance.clone(), name.clone(), args));
            Item::Rule(instance)
        }
        RawItem::Group(items) => {
            Item::Group(items.iter().map(|i| lower(i, bindings, pending)).collect())
        }
        RawItem::Optional(i) => Item::Optional(Box::new(lower(i, bindings, pending))),
        RawItem::Star(i) => Item::Star(Box::new(lower(i, bindings, pending))),
        RawItem::Plus(i) => Item::Plus(Box::new(lower(i, bindings, pending))),
    }
}

fn item_name(item: &RawItem) -> String {
    match item {
        RawItem::Rule(name, args) if args.is_empty() => name.clone(),
        other => panic!("grammar.lalrpop: macro argument {other:?} is not a rule name"),
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum T {
    Ident(String),
    Str(String),
    Punct(&'static str),
    /// `@L` / `@R`: a location, not a symbol.
    Location,
}

const PUNCTS: [&str; 18] = [
    "=>?", "=>", "::", "{", "}", "(", ")", "[", "]", "<", ">", ":", ";", ",", "?", "*", "+", "=",
];

/// Tokens of the lalrpop file. Rust inside actions and types is tokenized too, just well
/// enough to be skipped: strings, brackets and separators are what matter there.
fn lex(source: &str) -> Vec<T> {
    let mut out = Vec::new();
    let mut rest = source;
    while let Some(c) = rest.chars().next() {
        if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if rest.starts_with("//") {
            rest = rest.find('\n').map_or("", |n| &rest[n..]);
        } else if let Some(r) = rest.strip_prefix("#[inline]") {
            // How lalrpop builds the parser, not what it reads.
            rest = r;
        } else if c == '"' {
            let end = string_end(rest);
            out.push(T::Str(rest[1..end - 1].to_owned()));
            rest = &rest[end..];
        } else if c == '@' {
            out.push(T::Location);
            rest = &rest[2..];
        } else if c.is_alphanumeric() || c == '_' || c == '\'' {
            let len = rest[1..]
                .find(|c: char| !(c.is_alphanumeric() || c == '_'))
                .map_or(rest.len(), |n| n + 1);
            out.push(T::Ident(rest[..len].to_owned()));
            rest = &rest[len..];
        } else if let Some(p) = PUNCTS.iter().find(|p| rest.starts_with(**p)) {
            out.push(T::Punct(p));
            rest = &rest[p.len()..];
        } else {
            // Rust punctuation inside an action (`.`, `!`, `&`, `|`, `[`, …): nothing to read.
            out.push(T::Punct("other"));
            rest = &rest[c.len_utf8()..];
        }
    }
    out
}

/// The byte after the closing quote of the Rust or lalrpop string at the start of `s`.
fn string_end(s: &str) -> usize {
    let bytes = s.as_bytes();
    let mut i = 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => i += 2,
            b'"' => return i + 1,
            _ => i += 1,
        }
    }
    panic!("grammar.lalrpop: unterminated string")
}

struct Reader {
    tokens: Vec<T>,
    pos: usize,
}

impl Reader {
    fn peek(&self) -> Option<&T> {
        self.tokens.get(self.pos)
    }

    fn next(&mut self) -> T {
        let t = self.tokens[self.pos].clone();
        self.pos += 1;
        t
    }

    fn eat(&mut self, t: &T) -> bool {
        let found = self.peek() == Some(t);
        if found {
            self.pos += 1;
        }
        found
    }

    fn expect(&mut self, t: &T) {
        assert!(
            self.eat(t),
            "grammar.lalrpop: expected {t:?}, found {:?}",
            self.peek()
        );
    }

    fn skip_past(&mut self, t: &T) {
        while self.next() != *t {}
    }

    /// `extern { type …; enum Tok<'input> { KEY => Tok::Variant(…), … } }`.
    fn extern_block(&mut self) -> Vec<String> {
        self.pos += 1;
        while self.peek() != Some(&T::Ident("enum".into())) {
            self.pos += 1;
        }
        self.skip_past(&T::Punct("{"));
        let mut terminals = Vec::new();
        while !self.eat(&T::Punct("}")) {
            let key = match self.next() {
                T::Str(s) | T::Ident(s) => s,
                other => panic!("grammar.lalrpop: terminal key {other:?}"),
            };
            self.expect(&T::Punct("=>"));
            self.skip_balanced_until(&[",", "}"]);
            self.eat(&T::Punct(","));
            terminals.push(key);
        }
        self.expect(&T::Punct("}"));
        terminals
    }

    /// `Name<Params>: Type = alternatives;` (or `= { alt, … };`).
    fn rule_definition(&mut self) -> RawRule {
        let T::Ident(name) = self.next() else {
            panic!("grammar.lalrpop: expected a rule name")
        };
        let mut params = Vec::new();
        if self.eat(&T::Punct("<")) {
            while !self.eat(&T::Punct(">")) {
                if let T::Ident(p) = self.next() {
                    params.push(p);
                }
            }
        }
        self.expect(&T::Punct(":"));
        // The Rust type, up to the `=` that starts the alternatives.
        self.skip_balanced_until(&["="]);
        self.expect(&T::Punct("="));
        let mut alternatives = Vec::new();
        if self.eat(&T::Punct("{")) {
            while !self.eat(&T::Punct("}")) {
                alternatives.push(self.alternative(&["}", ","]));
                self.eat(&T::Punct(","));
            }
            self.eat(&T::Punct(";"));
        } else {
            alternatives.push(self.alternative(&[";"]));
            self.expect(&T::Punct(";"));
        }
        RawRule {
            name,
            params,
            alternatives,
        }
    }

    /// Symbols up to `=>`/`=>?` (then the action, skipped) or an end token.
    fn alternative(&mut self, ends: &[&str]) -> (Vec<RawItem>, Option<Vec<String>>) {
        let mut items = Vec::new();
        loop {
            match self.peek() {
                Some(T::Punct("=>")) => {
                    self.pos += 1;
                    self.skip_balanced_until(ends);
                    return (items, None);
                }
                Some(T::Punct("=>?")) => {
                    self.pos += 1;
                    let check = self.action_identifiers();
                    self.skip_balanced_until(ends);
                    return (items, Some(check));
                }
                Some(T::Punct(p)) if ends.contains(p) => return (items, None),
                _ => {
                    if let Some(item) = self.symbol() {
                        items.push(item);
                    }
                }
            }
        }
    }

    /// The lowercase identifiers of a fallible action, in order: the functions that can
    /// refuse are among them (`block(…)`, `map(delete)`).
    fn action_identifiers(&self) -> Vec<String> {
        let mut probe = Reader {
            tokens: self.tokens.clone(),
            pos: self.pos,
        };
        probe.skip_balanced_until(&[",", ";", "}"]);
        self.tokens[self.pos..probe.pos]
            .iter()
            .filter_map(|t| match t {
                T::Ident(w) if w.starts_with(|c: char| c.is_ascii_lowercase()) => Some(w.clone()),
                _ => None,
            })
            .collect()
    }

    /// One symbol with its suffix, or `None` for a location marker.
    fn symbol(&mut self) -> Option<RawItem> {
        let item = match self.next() {
            T::Location => return None,
            T::Str(s) => RawItem::Terminal(s),
            T::Ident(s) if s.chars().all(|c| c.is_ascii_uppercase() || c == '_') => {
                RawItem::Terminal(s)
            }
            T::Ident(s) => {
                let mut args = Vec::new();
                if self.eat(&T::Punct("<")) {
                    while !self.eat(&T::Punct(">")) {
                        if let Some(a) = self.symbol() {
                            args.push(a);
                        }
                        self.eat(&T::Punct(","));
                    }
                }
                RawItem::Rule(s, args)
            }
            // `<name:Symbol>`, `<mut name:Symbol>`, `<Symbol>`, `<@L>`: the binding goes.
            T::Punct("<") => {
                let mut inner = Vec::new();
                if matches!(self.tokens.get(self.pos + 1), Some(T::Punct(":")))
                    || matches!(self.tokens.get(self.pos + 2), Some(T::Punct(":")))
                {
                    self.skip_past(&T::Punct(":"));
                }
                while !self.eat(&T::Punct(">")) {
                    inner.extend(self.symbol());
                }
                match inner.len() {
                    0 => return None,
                    1 => inner.pop().expect("one item"),
                    _ => RawItem::Group(inner),
                }
            }
            T::Punct("(") => {
                let mut inner = Vec::new();
                while !self.eat(&T::Punct(")")) {
                    inner.extend(self.symbol());
                }
                RawItem::Group(inner)
            }
            other => panic!("grammar.lalrpop: unexpected {other:?} in an alternative"),
        };
        Some(match self.peek() {
            Some(T::Punct("?")) => {
                self.pos += 1;
                RawItem::Optional(Box::new(item))
            }
            Some(T::Punct("*")) => {
                self.pos += 1;
                RawItem::Star(Box::new(item))
            }
            Some(T::Punct("+")) => {
                self.pos += 1;
                RawItem::Plus(Box::new(item))
            }
            _ => item,
        })
    }

    /// Skips Rust (a type or an action) up to one of `ends` outside brackets.
    fn skip_balanced_until(&mut self, ends: &[&str]) {
        let mut depth = 0usize;
        while let Some(t) = self.peek() {
            match t {
                T::Punct(p) if depth == 0 && ends.contains(p) => return,
                T::Punct("(" | "{" | "[") => depth += 1,
                T::Punct(")" | "}" | "]") => depth = depth.saturating_sub(1),
                _ => {}
            }
            self.pos += 1;
        }
    }
}
