//! `case` patterns.

use super::expr::ExprWriter;
use simpy_ast::precedence::Prec;
use simpy_ast::*;

impl ExprWriter<'_> {
    /// The pattern of a `case`: an open sequence `case a, b:` is written bare.
    pub(crate) fn pattern_top(&mut self, p: &Pattern) {
        self.pattern(p, false);
    }

    /// `nested` patterns inside `|` or `as` need parentheses around `|` and `as` forms.
    fn pattern(&mut self, p: &Pattern, nested: bool) {
        match p {
            Pattern::MatchValue(v) => self.expr(&v.value, Prec::Or),
            Pattern::MatchSingleton(s) => self.push(match s.value {
                Constant::True => "True",
                Constant::False => "False",
                _ => "None",
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
                        w.push(": ");
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
                    self.push(" as ");
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
                        self.push(" | ");
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
