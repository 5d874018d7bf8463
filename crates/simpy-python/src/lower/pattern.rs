//! `match` statements: case clauses and patterns.
//!
//! tree-sitter leaves some pattern tokens bare (`-` before a number, `_`), so patterns are
//! built from runs of sibling nodes rather than from single nodes.

use super::{Lowerer, Result};
use crate::cst::{children, field, field_children, kind, named_children, range, Field};
use crate::error::ParseErrorKind;
use crate::flat::Node;
use simpy_ast::*;

impl<'s> Lowerer<'s> {
    pub(super) fn match_case(&mut self, node: Node<'_>) -> Result<MatchCase> {
        let patterns: Vec<_> = named_children(node)
            .into_iter()
            .filter(|c| kind(*c) == "case_pattern")
            .collect();
        let pattern = if patterns.len() > 1 || crate::cst::has_token(node, ",") {
            // `case a, b:` is an open sequence pattern.
            let items = patterns
                .iter()
                .map(|p| self.pattern(*p))
                .collect::<Result<Vec<_>>>()?;
            let r = range(patterns[0]).cover(range(*patterns.last().unwrap_or(&patterns[0])));
            Pattern::MatchSequence(PatternMatchSequence {
                range: r,
                patterns: items,
            })
        } else if let Some(p) = patterns.first() {
            self.pattern(*p)?
        } else {
            return self.unexpected(node, "a case clause");
        };
        let guard = match field(node, Field::Guard) {
            Some(g) => Some(Box::new(self.expr(named_children(g)[0])?)),
            None => None,
        };
        let consequence = self.required(node, Field::Consequence)?;
        let body = self.statements(consequence)?;
        if body.is_empty() {
            return self.error(ParseErrorKind::EmptyBlock, consequence);
        }
        Ok(MatchCase {
            range: range(node),
            pattern,
            guard,
            body,
        })
    }

    fn pattern(&mut self, node: Node<'_>) -> Result<Pattern> {
        self.nested(node, |l| l.pattern_inner(node))
    }

    /// A pattern spelled by a run of sibling nodes: `_`, `- 1`, or one pattern node.
    fn pattern_run(&mut self, nodes: &[Node<'_>], at: Node<'_>) -> Result<Pattern> {
        match nodes {
            [single] if kind(*single) == "_" => Ok(Pattern::MatchAs(PatternMatchAs {
                range: range(*single),
                pattern: None,
                name: None,
            })),
            [single] => self.pattern(*single),
            [minus, number] if kind(*minus) == "-" => {
                let value = self.signed_number(Some(*minus), *number)?;
                Ok(Pattern::MatchValue(PatternMatchValue {
                    range: value.range(),
                    value: Box::new(value),
                }))
            }
            _ => self.error(
                ParseErrorKind::InvalidPattern("unexpected tokens".into()),
                at,
            ),
        }
    }

    fn pattern_inner(&mut self, node: Node<'_>) -> Result<Pattern> {
        let r = range(node);
        Ok(match kind(node) {
            "case_pattern" => {
                let parts = children(node);
                if parts.is_empty() {
                    return self
                        .error(ParseErrorKind::InvalidPattern("empty pattern".into()), node);
                }
                self.pattern_run(&parts, node)?
            }
            "union_pattern" => {
                let mut alternatives = Vec::new();
                self.union_alternatives(node, &mut alternatives)?;
                Pattern::MatchOr(PatternMatchOr {
                    range: r,
                    patterns: alternatives,
                })
            }
            "as_pattern" => {
                let parts = named_children(node);
                let inner = self.pattern(parts[0])?;
                let name_node = *parts.last().unwrap_or(&node);
                let name = self.identifier(name_node);
                if &*name.id == "_" {
                    return self.error(ParseErrorKind::WildcardTarget, name_node);
                }
                Pattern::MatchAs(PatternMatchAs {
                    range: r,
                    pattern: Some(Box::new(inner)),
                    name: Some(name),
                })
            }
            "list_pattern" | "tuple_pattern" => {
                let items = named_children(node);
                if kind(node) == "tuple_pattern"
                    && items.len() == 1
                    && !crate::cst::has_token(node, ",")
                {
                    return self.pattern(items[0]);
                }
                let patterns = items
                    .iter()
                    .map(|p| self.pattern(*p))
                    .collect::<Result<_>>()?;
                Pattern::MatchSequence(PatternMatchSequence { range: r, patterns })
            }
            "splat_pattern" => {
                self.check_stars(node, "*")?;
                let name = named_children(node).first().map(|n| self.identifier(*n));
                Pattern::MatchStar(PatternMatchStar { range: r, name })
            }
            "dict_pattern" => self.mapping_pattern(node)?,
            "class_pattern" => self.class_pattern(node)?,
            "dotted_name" => {
                let parts = named_children(node);
                if parts.len() == 1 {
                    Pattern::MatchAs(PatternMatchAs {
                        range: r,
                        pattern: None,
                        name: Some(self.identifier(parts[0])),
                    })
                } else {
                    Pattern::MatchValue(PatternMatchValue {
                        range: r,
                        value: Box::new(self.dotted_expr(node)?),
                    })
                }
            }
            "identifier" => Pattern::MatchAs(PatternMatchAs {
                range: r,
                pattern: None,
                name: Some(self.identifier(node)),
            }),
            "none" | "true" | "false" => Pattern::MatchSingleton(PatternMatchSingleton {
                range: r,
                value: match kind(node) {
                    "none" => Constant::None,
                    "true" => Constant::True,
                    _ => Constant::False,
                },
            }),
            "integer" | "float" => Pattern::MatchValue(PatternMatchValue {
                range: r,
                value: Box::new(self.signed_number(None, node)?),
            }),
            "string" | "concatenated_string" => Pattern::MatchValue(PatternMatchValue {
                range: r,
                value: Box::new(self.expr(node)?),
            }),
            "complex_pattern" => Pattern::MatchValue(PatternMatchValue {
                range: r,
                value: Box::new(self.complex_literal(node)?),
            }),
            _ => return self.unexpected(node, "a pattern"),
        })
    }

    fn union_alternatives(&mut self, node: Node<'_>, out: &mut Vec<Pattern>) -> Result<()> {
        let parts = children(node);
        for group in parts.split(|p| kind(*p) == "|") {
            match group {
                [nested] if kind(*nested) == "union_pattern" => {
                    self.union_alternatives(*nested, out)?
                }
                _ => out.push(self.pattern_run(group, node)?),
            }
        }
        Ok(())
    }

    /// `-1`, `2.5`: a number, negated when `minus` is given.
    fn signed_number(&mut self, minus: Option<Node<'_>>, number: Node<'_>) -> Result<Expr> {
        let value = self.expr(number)?;
        Ok(match minus {
            Some(m) => Expr::UnaryOp(ExprUnaryOp {
                range: range(m).cover(range(number)),
                op: UnaryOp::USub,
                operand: Box::new(value),
            }),
            None => value,
        })
    }

    /// `1 + 2j`, `-1 - 2j`: a real part, a sign and an imaginary part.
    fn complex_literal(&mut self, node: Node<'_>) -> Result<Expr> {
        let parts = children(node);
        let (minus, rest) = match parts.first() {
            Some(m) if kind(*m) == "-" => (Some(*m), &parts[1..]),
            _ => (None, &parts[..]),
        };
        let [real, op, imag] = rest else {
            return self.error(
                ParseErrorKind::InvalidPattern("malformed complex literal".into()),
                node,
            );
        };
        let left = self.signed_number(minus, *real)?;
        let right = self.expr(*imag)?;
        let is_imaginary = |e: &Expr| matches!(e, Expr::Constant(c) if matches!(c.value, Constant::Complex { .. }));
        if !is_imaginary(&right) {
            return self.error(ParseErrorKind::ComplexLiteralNeedsImaginary, *imag);
        }
        if is_imaginary(&left) {
            return self.error(
                ParseErrorKind::InvalidPattern("real number required in complex literal".into()),
                *real,
            );
        }
        Ok(Expr::BinOp(ExprBinOp {
            range: range(node),
            left: Box::new(left),
            op: if kind(*op) == "-" {
                Operator::Sub
            } else {
                Operator::Add
            },
            right: Box::new(right),
        }))
    }

    /// `a.b.c` as a chain of attribute loads.
    fn dotted_expr(&mut self, node: Node<'_>) -> Result<Expr> {
        let parts = named_children(node);
        let mut expr = self.name_expr(parts[0], ExprContext::Load);
        for part in &parts[1..] {
            expr = Expr::Attribute(ExprAttribute {
                range: range(parts[0]).cover(range(*part)),
                value: Box::new(expr),
                attr: self.identifier(*part),
                ctx: ExprContext::Load,
            });
        }
        Ok(expr)
    }

    /// tree-sitter takes `*` and `**` before a capture in any pattern; Python takes `*rest`
    /// in a sequence and `**rest` in a mapping only (`[1, **r]` was read as `[1, *r]`).
    fn check_stars(&self, splat: Node<'_>, stars: &str) -> Result<()> {
        match children(splat).first() {
            Some(&token) if kind(token) != stars => {
                let found = format!("'{}'", kind(token));
                self.error(ParseErrorKind::InvalidSyntax { found }, token)
            }
            _ => Ok(()),
        }
    }

    fn mapping_pattern(&mut self, node: Node<'_>) -> Result<Pattern> {
        let mut keys = Vec::new();
        let mut patterns = Vec::new();
        let mut rest = None;
        let key_ids: Vec<_> = field_children(node, Field::Key)
            .iter()
            .map(|k| k.id())
            .collect();
        let mut pending_minus = None;
        for child in children(node) {
            if rest.is_some() && child.is_named() {
                return self.error(
                    ParseErrorKind::InvalidPattern(
                        "'**' must come last in a mapping pattern".into(),
                    ),
                    child,
                );
            }
            if key_ids.contains(&child.id()) {
                if kind(child) == "-" {
                    pending_minus = Some(child);
                    continue;
                }
                keys.push(match kind(child) {
                    "integer" | "float" => self.signed_number(pending_minus.take(), child)?,
                    "complex_pattern" => self.complex_literal(child)?,
                    "dotted_name" => self.dotted_expr(child)?,
                    "string" | "concatenated_string" => self.expr(child)?,
                    "none" | "true" | "false" => self.expr(child)?,
                    _ => {
                        return self.error(
                            ParseErrorKind::InvalidPattern(
                                "mapping keys must be literals or dotted names".into(),
                            ),
                            child,
                        )
                    }
                });
            } else if kind(child) == "case_pattern" {
                patterns.push(self.pattern(child)?);
            } else if kind(child) == "splat_pattern" {
                self.check_stars(child, "**")?;
                // `**_`: tree-sitter gives the wildcard no node of its own.
                let Some(name) = named_children(child).first().copied() else {
                    return self.error(ParseErrorKind::WildcardTarget, child);
                };
                rest = Some(self.identifier(name));
            }
        }
        Ok(Pattern::MatchMapping(PatternMatchMapping {
            range: range(node),
            keys,
            patterns,
            rest,
        }))
    }

    fn class_pattern(&mut self, node: Node<'_>) -> Result<Pattern> {
        let parts = named_children(node);
        let cls = self.dotted_expr(parts[0])?;
        let mut patterns = Vec::new();
        let mut kwd_attrs = Vec::new();
        let mut kwd_patterns = Vec::new();
        for arg in &parts[1..] {
            // Keyword patterns arrive wrapped in a `case_pattern`.
            let arg = &match named_children(*arg)[..] {
                [inner] if kind(inner) == "keyword_pattern" => inner,
                _ => *arg,
            };
            if kind(*arg) == "keyword_pattern" {
                let items = children(*arg);
                let Some(eq) = items.iter().position(|c| kind(*c) == "=") else {
                    return self.unexpected(*arg, "a keyword pattern");
                };
                kwd_attrs.push(self.identifier(items[0]));
                kwd_patterns.push(self.pattern_run(&items[eq + 1..], *arg)?);
            } else {
                if !kwd_attrs.is_empty() {
                    return self.error(ParseErrorKind::PositionalPatternAfterKeyword, *arg);
                }
                patterns.push(self.pattern(*arg)?);
            }
        }
        Ok(Pattern::MatchClass(PatternMatchClass {
            range: range(node),
            cls: Box::new(cls),
            patterns,
            kwd_attrs,
            kwd_patterns,
        }))
    }
}
