//! Literals: numbers and strings as they were written, f-strings piece by piece; trees built
//! without source text get canonical spellings.

use crate::expr::Writer;
use crate::Literals;
use simpy_ast::*;

impl Writer<'_> {
    pub(crate) fn constant(&mut self, c: &ExprConstant) {
        // In an f-string's field a repr's quote could be the f-string's own, which Python
        // before 3.12 refuses.
        let kept = match &c.spelling {
            Spelling::Strings(pieces) => {
                self.in_fstring || pieces.iter().any(|p| p.quote.len() == 3)
            }
            _ => false,
        };
        let spelling = match self.literals {
            Literals::Normalized if !kept => &Spelling::Canonical,
            _ => &c.spelling,
        };
        match (&c.value, spelling) {
            (Constant::None, _) => self.token(Special::None),
            (Constant::True, _) => self.token(Special::True),
            (Constant::False, _) => self.token(Special::False),
            (Constant::Ellipsis, _) => self.token(Special::Ellipsis),
            (_, Spelling::Number(text)) => self.push(text),
            (_, Spelling::Strings(pieces)) if !pieces.is_empty() => {
                for (i, piece) in pieces.iter().enumerate() {
                    if i > 0 {
                        self.token(Special::Concat);
                    }
                    self.string_piece(piece);
                }
            }
            (Constant::Int(i), _) => self.push(&i.to_string()),
            (Constant::Float(f), _) => self.push(&canonical_float(*f)),
            (Constant::Complex { imag }, _) => {
                // As Python's `repr`: `2j`, not `2.0j`.
                let imag = canonical_float(*imag);
                self.push(imag.strip_suffix(".0").unwrap_or(&imag));
                self.push("j");
            }
            (Constant::Str(s), _) => {
                if c.kind.is_some() {
                    self.push("u");
                }
                self.push(&s.repr());
            }
            (Constant::Bytes(b), _) => self.push(&bytes_repr(b)),
        }
    }

    #[inline]
    fn string_piece(&mut self, piece: &StringPiece) {
        self.push(&piece.prefix);
        self.push(&piece.quote);
        self.push(&piece.body);
        self.push(&piece.quote);
    }

    pub(crate) fn fstring(&mut self, e: &ExprFString) {
        for (i, part) in e.parts.iter().enumerate() {
            if i > 0 {
                self.token(Special::Concat);
            }
            match part {
                FStringPart::Literal(lit) => match &lit.spelling {
                    Some(piece) => self.string_piece(piece),
                    None => self.push(&lit.value.repr()),
                },
                FStringPart::FString(f) => {
                    self.push(&f.prefix);
                    self.push(&f.quote);
                    self.fstring_elements(&f.elements, &f.quote);
                    self.push(&f.quote);
                }
            }
        }
    }

    fn fstring_elements(&mut self, elements: &[FStringElement], quote: &str) {
        for element in elements {
            match element {
                FStringElement::Literal(lit) => match &lit.raw {
                    Some(raw) => self.push(raw),
                    None => self.push(&escape_fstring_text(&lit.value, quote)),
                },
                FStringElement::Field(field) => self.fstring_field(field, quote),
            }
        }
    }

    fn fstring_field(&mut self, field: &FStringField, quote: &str) {
        self.push("{");
        self.fstring_field_expression(field, quote);
        match field.conversion {
            Conversion::None => {}
            Conversion::Str => self.push("!s"),
            Conversion::Repr => self.push("!r"),
            Conversion::Ascii => self.push("!a"),
        }
        if let Some(spec) = &field.format_spec {
            self.push(":");
            self.fstring_elements(spec, quote);
        }
        self.push("}");
    }
}

/// Whether `code` has a `:` outside brackets and string literals.
pub(crate) fn has_top_level_colon(code: &str) -> bool {
    let mut depth = 0i32;
    let mut quote: Option<char> = None;
    let mut chars = code.chars();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (Some(_), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '(' | '[' | '{') => depth += 1,
            (None, ')' | ']' | '}') => depth -= 1,
            (None, ':') if depth == 0 => return true,
            _ => {}
        }
    }
    false
}

/// Literal text of an f-string, escaped for a canonical print: braces doubled, and the
/// quote, backslashes and line breaks escaped as in `repr`.
pub(crate) fn escape_fstring_text(value: &PyStr, quote: &str) -> String {
    let repr = value.repr();
    let inner = &repr[1..repr.len() - 1];
    let quote_char = quote.chars().next().unwrap_or('"');
    let repr_quote = repr.chars().next().unwrap_or('\'');
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' => out.push_str("{{"),
            '}' => out.push_str("}}"),
            '\\' if chars.peek() == Some(&repr_quote) && repr_quote != quote_char => {
                // `repr` escaped its own quote, which this f-string's quote does not need.
                out.push(repr_quote);
                chars.next();
            }
            c if c == quote_char && repr_quote != quote_char => {
                out.push('\\');
                out.push(c);
            }
            '\\' => {
                out.push('\\');
                if let Some(next) = chars.next() {
                    out.push(next);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// A float as a literal that reads back to the same value: `repr`, with `inf` as `1e309`.
fn canonical_float(f: f64) -> String {
    if f.is_infinite() {
        return "1e309".into();
    }
    float_repr(f)
}
