//! String, bytes and f-string literals, implicit concatenation included.
//!
//! Literal text is decoded from the source between tree-sitter's nodes rather than from its
//! `string_content` nodes, because parts of a format spec are not nodes at all.

use super::{Lowerer, Result};
use crate::cst::{children, field, kind, named_children, range, Field};
use crate::error::{ParseErrorKind, Python2Construct};
use crate::flat::Node;
use crate::literals::{
    body_char_end, decode_bytes, decode_str, parse_prefix, split_opening, string_body_end, Prefix,
};
use simpy_ast::*;

use crate::literals::{concatenate, LiteralPiece as Piece};

impl<'s> Lowerer<'s> {
    /// A `string` or `concatenated_string` node.
    #[inline(never)]
    pub(super) fn string(&mut self, node: Node<'_>) -> Result<Expr> {
        let nodes = if kind(node) == "concatenated_string" {
            children(node)
        } else {
            smallvec::smallvec![node]
        };
        let mut pieces = Vec::with_capacity(nodes.len());
        for n in &nodes {
            pieces.push(self.string_piece(*n)?);
        }
        match concatenate(range(node), pieces) {
            Some(expr) => Ok(expr),
            None => self.error(ParseErrorKind::MixedBytes, node),
        }
    }

    fn string_piece(&mut self, node: Node<'_>) -> Result<Piece> {
        let parts = children(node);
        let (Some(start), Some(end)) = (parts.first(), parts.last()) else {
            return self.unexpected(node, "a string");
        };
        if kind(*start) != "string_start" || kind(*end) != "string_end" {
            return self.unexpected(node, "a string");
        }
        let (prefix, quote) = split_opening(self.text(*start));
        if self.text(*start).starts_with('`') {
            return self.error(ParseErrorKind::Python2(Python2Construct::Backquotes), node);
        }
        let flags = parse_prefix(prefix).or_else(|kind| self.error(kind, *start))?;
        // The body ends where the closing quote starts; tree-sitter's `string_end` token can
        // swallow trailing backslashes of a raw string (`r'\\'`), so count from the node's end.
        let body_end = (node.end_byte() - quote.len()).max(start.end_byte());
        let body_range = TextRange::new(start.end_byte() as u32, body_end as u32);
        let body = &self.src[body_range.start as usize..body_range.end as usize];
        if !flags.format {
            // The body holds no closing quote, as CPython's tokenizer reads it: tree-sitter lets
            // a string nested in an f-string's field run across lines, and reads a bytes
            // literal's `\u"` as an escape of the quote (`b"\u"a"` is `b"\u"` then `a"`), or
            // `\u\` as one escape, so that the quote after it closes (`B'\u\'` never closes).
            let triple = quote.len() == 3;
            let escapes_its_quote = body.bytes().rev().take_while(|&b| b == b'\\').count() % 2 == 1;
            let stop = match string_body_end(body.as_bytes(), quote.as_bytes()[0], triple) {
                Err(at) if at < body.len() => Some(at),
                Ok(end) if end < body.len() => Some(end),
                Err(_) if escapes_its_quote => Some(body.len() - 1),
                _ => None,
            };
            if let Some(at) = stop {
                let at = body_range.start + at as u32;
                return self.error_at(
                    ParseErrorKind::UnterminatedString { triple },
                    TextRange::new(at, at + 1),
                );
            }
        }
        if flags.format {
            let elements = self.fstring_elements(&parts[1..parts.len() - 1], body_range, flags)?;
            if let Some(at) = quote_in_spec(&elements, quote, false) {
                return self.error_at(ParseErrorKind::QuoteInFormatSpec, at);
            }
            if quote.len() == 1 && line_break_in_text(&elements) {
                return self.error_at(
                    ParseErrorKind::UnterminatedString { triple: false },
                    TextRange::new(range(node).start, range(node).start + 1),
                );
            }
            return Ok(Piece::FString(FString {
                range: range(node),
                prefix: prefix.into(),
                quote: quote.into(),
                elements,
            }));
        }
        let spelling = StringPiece {
            range: range(node),
            prefix: prefix.into(),
            quote: quote.into(),
            body: body.into(),
        };
        if flags.bytes {
            let value = decode_bytes(body, flags.raw).or_else(|kind| self.error(kind, node))?;
            Ok(Piece::Bytes(value, spelling))
        } else {
            let value =
                decode_str(body, flags.raw, false).or_else(|kind| self.error(kind, node))?;
            Ok(Piece::Str(value, spelling))
        }
    }

    /// The literal text and replacement fields in `span`; `nodes` are the children inside it.
    fn fstring_elements(
        &mut self,
        nodes: &[Node<'_>],
        span: TextRange,
        flags: Prefix,
    ) -> Result<Vec<FStringElement>> {
        let mut elements = Vec::new();
        let mut cursor = span.start;
        for node in nodes {
            if !matches!(kind(*node), "interpolation" | "format_expression") {
                continue;
            }
            let field_range = range(*node);
            self.fstring_literal(
                TextRange::new(cursor, field_range.start),
                flags,
                &mut elements,
            )?;
            elements.push(FStringElement::Field(self.fstring_field(*node, flags)?));
            cursor = field_range.end;
        }
        self.fstring_literal(TextRange::new(cursor, span.end), flags, &mut elements)?;
        Ok(elements)
    }

    fn fstring_literal(
        &mut self,
        at: TextRange,
        flags: Prefix,
        out: &mut Vec<FStringElement>,
    ) -> Result<()> {
        if at.is_empty() {
            return Ok(());
        }
        let raw = &self.src[at.start as usize..at.end as usize];
        let value = decode_str(raw, flags.raw, true).or_else(|kind| self.error_at(kind, at))?;
        out.push(FStringElement::Literal(FStringLiteral {
            range: at,
            value,
            raw: Some(raw.into()),
        }));
        Ok(())
    }

    fn fstring_field(&mut self, node: Node<'_>, flags: Prefix) -> Result<FStringField> {
        let parts = children(node);
        let Some(expression) = field(node, Field::Expression) else {
            return self.error(ParseErrorKind::EmptyFStringExpression, node);
        };
        // `{x:=0,}`: read by tree-sitter as a tuple holding a walrus.
        let first = named_children(expression).first().copied();
        match kind(expression) {
            "named_expression" => return self.colon_equals_spec(node, expression, flags),
            "expression_list" if first.is_some_and(|f| kind(f) == "named_expression") => {
                return self.colon_equals_spec(node, first.expect("checked"), flags)
            }
            "lambda" => return self.error(ParseErrorKind::UnparenthesizedLambda, expression),
            _ => {}
        }
        let conversion_node = field(node, Field::TypeConversion);
        let spec_node = field(node, Field::FormatSpecifier);
        let debug_text = parts.iter().find(|p| kind(**p) == "=").map(|_| {
            let from = node.start_byte() + 1;
            let to = conversion_node
                .or(spec_node)
                .map_or(node.end_byte() - 1, |n| n.start_byte());
            self.without_comments(node, from, to)
        });
        let conversion = match conversion_node.map(|c| self.text(c)) {
            None => Conversion::None,
            Some("!s") => Conversion::Str,
            Some("!r") => Conversion::Repr,
            Some("!a") => Conversion::Ascii,
            Some(other) => {
                let c = other.trim_start_matches('!').to_owned();
                return self.error(
                    ParseErrorKind::InvalidConversion(c),
                    conversion_node.unwrap_or(node),
                );
            }
        };
        let format_spec = match spec_node {
            Some(spec) => {
                let spec_parts = children(spec);
                // The spec's text starts after its ':' and ends at the field's '}' (tree-sitter
                // leaves a line break before it out of the spec: `f"""{x:\n}"""`).
                let closing = node.end_byte() - 1;
                let end = if self.src.as_bytes()[closing] == b'}' {
                    closing.max(spec.end_byte())
                } else {
                    spec.end_byte()
                };
                let span = TextRange::new(spec.start_byte() as u32 + 1, end as u32);
                Some(self.fstring_elements(&spec_parts, span, flags)?)
            }
            None => None,
        };
        Ok(FStringField {
            range: range(node),
            expression: Box::new(self.expressions(expression)?),
            debug_text,
            conversion,
            format_spec,
        })
    }

    /// The source of `from..to` inside `node` without its comments: CPython 3.12+ leaves a
    /// PEP 701 comment out of a field's debug text (`f"{x = # c\n}"` prints `x = \n` and `x`).
    fn without_comments(&self, node: Node<'_>, from: usize, to: usize) -> Box<str> {
        let mut comments = Vec::new();
        let mut stack = vec![node];
        while let Some(n) = stack.pop() {
            if kind(n) == "comment" {
                comments.push(n.byte_range());
            } else {
                stack.extend((0..n.child_count()).filter_map(|i| n.child(i)));
            }
        }
        comments.sort_by_key(|c| c.start);
        let mut text = String::new();
        let mut at = from;
        for comment in comments.iter().filter(|c| c.start >= from && c.end <= to) {
            text.push_str(&self.src[at..comment.start]);
            at = comment.end;
        }
        text.push_str(&self.src[at..to]);
        text.into()
    }

    /// `{x:=10}` inside an f-string is `x` with the format spec `=10`, not a walrus
    /// (a walrus needs parentheses there); tree-sitter reads it as a walrus.
    fn colon_equals_spec(
        &mut self,
        node: Node<'_>,
        walrus: Node<'_>,
        flags: Prefix,
    ) -> Result<FStringField> {
        let name = self.required(walrus, Field::Name)?;
        let colon = name.end_byte()
            + self.src[name.end_byte()..walrus.end_byte()]
                .find(':')
                .unwrap_or(0);
        let spec_range = TextRange::new(colon as u32 + 1, node.end_byte() as u32 - 1);
        let raw = &self.src[spec_range.start as usize..spec_range.end as usize];
        // Read as plain text, a nested field (`{x:={w}}`) would be lost, and a brace left
        // open by a field cut short would end up in the spec's text.
        if raw.contains(['{', '}']) {
            return self.error(ParseErrorKind::MisreadEqualsSpec, node);
        }
        let value = decode_str(raw, flags.raw, true).or_else(|kind| self.error(kind, node))?;
        Ok(FStringField {
            range: range(node),
            expression: Box::new(self.name_expr(name, ExprContext::Load)),
            debug_text: None,
            conversion: Conversion::None,
            format_spec: Some(vec![FStringElement::Literal(FStringLiteral {
                range: spec_range,
                value,
                raw: Some(raw.into()),
            })]),
        })
    }
}

/// Where the f-string's own quote is in a format spec of `elements` (`in_spec`: they are one):
/// tree-sitter reads the spec on past it, CPython ends the string there.
fn quote_in_spec(elements: &[FStringElement], quote: &str, in_spec: bool) -> Option<TextRange> {
    elements.iter().find_map(|element| match element {
        FStringElement::Literal(literal) if in_spec => {
            let raw = literal.raw.as_deref()?.as_bytes();
            // A quote ends the string where a scan of a string body would (`\"` does not).
            let end = string_body_end(raw, quote.as_bytes()[0], quote.len() == 3).ok()?;
            let at = (end - quote.len()) as u32 + literal.range.start;
            Some(TextRange::new(at, at + 1))
        }
        FStringElement::Literal(_) => None,
        FStringElement::Field(field) => quote_in_spec(field.format_spec.as_deref()?, quote, true),
    })
}

/// Whether the text of `elements` or of a format spec in them has a line break no backslash
/// escapes: a single-quoted f-string ends there for CPython (unterminated), while tree-sitter
/// can read on to a quote lines later (one nested in a spec misleads it).
fn line_break_in_text(elements: &[FStringElement]) -> bool {
    elements.iter().any(|element| match element {
        FStringElement::Literal(literal) => {
            let raw = literal.raw.as_deref().unwrap_or_default().as_bytes();
            let mut i = 0;
            while i < raw.len() {
                if matches!(raw[i], b'\n' | b'\r') {
                    return true;
                }
                i = body_char_end(raw, i);
            }
            false
        }
        FStringElement::Field(field) => {
            field.format_spec.as_deref().is_some_and(line_break_in_text)
        }
    })
}

/// Whether an ERROR (or MISSING) node (`ancestors` the nodes above it, outermost first) sits
/// in the "value" of an `{x:=…}` field, whose text lowering reads as a format spec anyway
/// (`f"{x:=^10}"`, `f"{x:=}"`).
pub(crate) fn is_inside_colon_equals_spec(node: Node<'_>, ancestors: &[Node<'_>]) -> bool {
    // Walk up to the field the node is in: the walrus must be the field's whole expression.
    let mut child = node;
    for &parent in ancestors.iter().rev() {
        if kind(parent) == "interpolation" {
            return kind(child) == "named_expression";
        }
        child = parent;
    }
    false
}
