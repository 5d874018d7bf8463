//! `case` patterns.

use crate::expr::Writer;
use simpy_ast::precedence::Prec;
use simpy_ast::*;

impl Writer<'_> {
    /// `nested` patterns inside `|` or `as` need parentheses around `|` and `as` forms.
    pub(crate) fn pattern(&mut self, p: &Pattern, nested: bool) {
        match p {
            Pattern::MatchValue(v) => self.expr(&v.value, Prec::Or),
            Pattern::MatchSingleton(s) => self.token(match s.value {
                Constant::True => Special::True,
                Constant::False => Special::False,
                _ => Special::None,
            }),
            Pattern::MatchSequence(s) => {
                self.group("[", "]", &s.patterns, true, |w, p| w.pattern(p, false));
            }
            Pattern::MatchMapping(m) => {
                enum Item<'a> {
                    Pair(&'a Expr, &'a Pattern),
                    Rest(&'a Identifier),
                }
                let mut items: Vec<Item<'_>> = m
                    .keys
                    .iter()
                    .zip(&m.patterns)
                    .map(|(k, p)| Item::Pair(k, p))
                    .collect();
                if let Some(rest) = &m.rest {
                    items.push(Item::Rest(rest));
                }
                self.group("{", "}", &items, true, |w, item| match item {
                    Item::Pair(k, p) => {
                        w.expr(k, Prec::Or);
                        w.push(":");
                        w.space();
                        w.pattern(p, false);
                    }
                    Item::Rest(name) => {
                        w.push("**");
                        w.push(&name.id);
                    }
                });
            }
            Pattern::MatchClass(c) => {
                enum Arg<'a> {
                    Positional(&'a Pattern),
                    Keyword(&'a Identifier, &'a Pattern),
                }
                self.expr(&c.cls, Prec::Atom);
                let args: Vec<Arg<'_>> = c
                    .patterns
                    .iter()
                    .map(Arg::Positional)
                    .chain(
                        c.kwd_attrs
                            .iter()
                            .zip(&c.kwd_patterns)
                            .map(|(k, p)| Arg::Keyword(k, p)),
                    )
                    .collect();
                self.group("(", ")", &args, true, |w, arg| match arg {
                    Arg::Positional(p) => w.pattern(p, false),
                    Arg::Keyword(name, p) => {
                        w.push(&name.id);
                        w.push("=");
                        w.pattern(p, false);
                    }
                });
            }
            Pattern::MatchStar(s) => {
                self.push("*");
                self.push(s.name.as_ref().map_or("_", |n| &n.id));
            }
            Pattern::MatchAs(a) => match (&a.pattern, &a.name) {
                (None, None) => self.push("_"),
                (None, Some(name)) => self.push(&name.id),
                (Some(inner), name) => {
                    if nested {
                        self.push("(");
                    }
                    self.pattern(inner, true);
                    self.space();
                    self.token(Special::As);
                    self.space();
                    self.push(name.as_ref().map_or("_", |n| &n.id));
                    if nested {
                        self.push(")");
                    }
                }
            },
            Pattern::MatchOr(o) => {
                if nested {
                    self.push("(");
                }
                for (i, p) in o.patterns.iter().enumerate() {
                    if i > 0 {
                        self.space();
                        self.push("|");
                        self.space();
                    }
                    self.pattern(p, true);
                }
                if nested {
                    self.push(")");
                }
            }
        }
    }
}
