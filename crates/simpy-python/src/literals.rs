//! Number and string literal values, decoded from their source text exactly as CPython does.

use crate::error::{NewerConstruct, ParseErrorKind, Python2Construct};
use num_bigint::BigInt;
use simpy_ast::{
    Constant, Expr, ExprConstant, ExprFString, FString, FStringPart, PyStr, Spelling,
    StringLiteral, StringPiece, TextRange,
};

/// Where a string literal's body ends: `Ok(n)` when its closing quote ends at byte `n` of
/// `body` (the text after the opening quote), `Err(n)` when it never closes, `n` being where
/// the scan stopped (the line break that ends a one-line string, or the end). A backslash
/// always takes the next byte along, in raw strings too (`r'\''`). Python and SimPy quote
/// strings alike, so every scanner of either uses this one.
pub fn string_body_end(body: &[u8], quote: u8, triple: bool) -> Result<usize, usize> {
    if triple {
        return triple_body_end(body, quote);
    }
    let mut i = 0;
    while i < body.len() {
        match body[i] {
            b'\n' | b'\r' if !triple => return Err(i),
            b if b == quote && (!triple || body[i..].starts_with(&[quote; 3])) => {
                return Ok(i + if triple { 3 } else { 1 });
            }
            _ => i = body_char_end(body, i),
        }
    }
    Err(body.len())
}

/// Where the string literal whose opening quote is at `at` ends, its prefix being the letters
/// before it: `Ok(n)` just past its closing quote, `Err(n)` where an unclosed one stops. An
/// f-string's replacement fields are read as PEP 701 reads them (any string inside, its own
/// quote too: `f"{'":'}"`, `f"{f"a"}"`), which [`string_body_end`] alone cannot.
pub fn string_end(bytes: &[u8], at: usize) -> Result<usize, usize> {
    crate::format_specs::string_end(bytes, at)
}

/// [`string_body_end`] of a triple-quoted body, from each quote or backslash to the next
/// (`memchr`): a docstring has few of either, and a stream scans each one as it closes.
fn triple_body_end(body: &[u8], quote: u8) -> Result<usize, usize> {
    let mut i = 0;
    while let Some(found) = body
        .get(i..)
        .and_then(|rest| memchr::memchr2(quote, b'\\', rest))
    {
        let at = i + found;
        if body[at] != quote {
            i = body_char_end(body, at);
        } else if body[at..].starts_with(&[quote; 3]) {
            return Ok(at + 3);
        } else {
            i = at + 1;
        }
    }
    Err(body.len())
}

/// Where a scan of a body that has not closed yet, and may go on, can start again when more
/// has arrived: `string_body_end(&body[n..])`, moved by `n`, then finds what a scan of the
/// whole body finds. It is a character's start that no backslash escapes, before any quotes
/// at the end that may begin the closing run (and before a backslash whose byte is to come).
/// For a stream, so that a long string is not scanned again from its start at every quote.
pub fn string_body_resume(body: &[u8], quote: u8) -> usize {
    let (mut i, mut resume) = (0, 0);
    while i < body.len() {
        // Each byte before the next backslash or quote is a character of its own.
        match memchr::memchr2(b'\\', quote, &body[i..]) {
            None => return body.len(),
            Some(plain) if plain > 0 => {
                i += plain;
                resume = i;
            }
            Some(_) => {}
        }
        if body[i] == b'\\' && matches!(body[i + 1..], [] | [b'\r']) {
            break;
        }
        let next = body_char_end(body, i);
        if body[i] != quote {
            resume = next;
        }
        i = next;
    }
    resume
}

/// The end of the string body's character at `i`: a backslash takes the next byte along, and
/// continues a line, a Windows one too.
pub(crate) fn body_char_end(body: &[u8], i: usize) -> usize {
    match body[i] {
        b'\\' if body[i + 1..].starts_with(b"\r\n") => i + 3,
        b'\\' => i + 2,
        _ => i + 1,
    }
}

/// The value of a number literal (`integer` or `float` token).
pub fn parse_number(text: &str) -> Result<Constant, ParseErrorKind> {
    let invalid = |reason| ParseErrorKind::InvalidNumber {
        literal: text.to_owned(),
        reason,
    };
    // Most literals are small plain decimals (`0`, `1`, `10`): read without the copies the
    // general path makes (lowercased, underscores removed, then the big-integer parse's own).
    // Nineteen digits always fit a `u64`.
    let plain = text.len() <= 19 && text.bytes().all(|b| b.is_ascii_digit());
    if plain && (text.len() == 1 || !text.starts_with('0')) {
        if let Ok(value) = text.parse::<u64>() {
            return Ok(Constant::Int(BigInt::from(value)));
        }
    }
    if text.ends_with(['l', 'L']) {
        return Err(ParseErrorKind::Python2(Python2Construct::LongSuffix));
    }
    let lower = text.to_ascii_lowercase();
    if let Some((radix, digits)) = radix_digits(&lower) {
        // An underscore may follow the base prefix: `0x_ff`.
        let digits = digits.strip_prefix('_').unwrap_or(digits);
        let clean = strip_underscores(digits).ok_or_else(|| invalid("misplaced '_'"))?;
        return BigInt::parse_bytes(clean.as_bytes(), radix)
            .map(Constant::Int)
            .ok_or_else(|| invalid("invalid digit for its base"));
    }
    if let Some(mantissa) = lower.strip_suffix('j') {
        let clean = strip_float_underscores(mantissa).ok_or_else(|| invalid("misplaced '_'"))?;
        let imag = clean.parse::<f64>().map_err(|_| invalid("not a number"))?;
        return Ok(Constant::Complex { imag });
    }
    if lower.contains(['.', 'e']) {
        let clean = strip_float_underscores(&lower).ok_or_else(|| invalid("misplaced '_'"))?;
        return clean
            .parse::<f64>()
            .map(Constant::Float)
            .map_err(|_| invalid("not a number"));
    }
    let clean = strip_underscores(&lower).ok_or_else(|| invalid("misplaced '_'"))?;
    if clean.len() > 1 && clean.starts_with('0') && clean.bytes().any(|b| b != b'0') {
        return Err(if clean.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
            ParseErrorKind::Python2(Python2Construct::OctalLiteral)
        } else {
            ParseErrorKind::LeadingZeros
        });
    }
    BigInt::parse_bytes(clean.as_bytes(), 10)
        .map(Constant::Int)
        .ok_or_else(|| invalid("not a number"))
}

fn radix_digits(lower: &str) -> Option<(u32, &str)> {
    let radix = match lower.get(..2)? {
        "0x" => 16,
        "0o" => 8,
        "0b" => 2,
        _ => return None,
    };
    Some((radix, &lower[2..]))
}

/// Digits with single underscores between them, underscores removed; `None` if misplaced.
fn strip_underscores(digits: &str) -> Option<String> {
    if digits.is_empty()
        || digits.starts_with('_')
        || digits.ends_with('_')
        || digits.contains("__")
    {
        return None;
    }
    Some(digits.replace('_', ""))
}

/// A float's text with underscores checked group by group (`1_0.0_1e1_0`) and removed.
fn strip_float_underscores(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut group = String::new();
    for c in text.chars() {
        if c.is_ascii_digit() || c == '_' {
            group.push(c);
        } else {
            if !group.is_empty() {
                out.push_str(&strip_underscores(&group)?);
                group.clear();
            }
            out.push(c);
        }
    }
    if !group.is_empty() {
        out.push_str(&strip_underscores(&group)?);
    }
    Some(out)
}

/// The prefix letters a string token may have, lowercased and sorted.
#[derive(Clone, Copy, Debug, Default)]
pub struct Prefix {
    pub raw: bool,
    pub bytes: bool,
    pub format: bool,
    pub unicode: bool,
}

pub fn parse_prefix(prefix: &str) -> Result<Prefix, ParseErrorKind> {
    let mut p = Prefix::default();
    let lower = prefix.to_ascii_lowercase();
    if matches!(lower.as_str(), "t" | "tr" | "rt") {
        return Err(ParseErrorKind::NewerPython(NewerConstruct::TemplateString));
    }
    for c in lower.chars() {
        let seen = match c {
            'r' => std::mem::replace(&mut p.raw, true),
            'b' => std::mem::replace(&mut p.bytes, true),
            'f' => std::mem::replace(&mut p.format, true),
            'u' => std::mem::replace(&mut p.unicode, true),
            _ => true,
        };
        if seen {
            return Err(ParseErrorKind::InvalidStringPrefix(prefix.to_owned()));
        }
    }
    if p.unicode && p.raw {
        return Err(ParseErrorKind::Python2(Python2Construct::StringPrefixUr));
    }
    if (p.unicode && (p.bytes || p.format)) || (p.bytes && p.format) {
        return Err(ParseErrorKind::InvalidStringPrefix(prefix.to_owned()));
    }
    Ok(p)
}

/// Splits the opening of a string token (`rb'''`) into prefix and quote.
pub fn split_opening(opening: &str) -> (&str, &str) {
    let at = opening.find(['\'', '"']).unwrap_or(opening.len());
    opening.split_at(at)
}

/// Decodes a `str` body (or an f-string's literal text, `in_fstring` folding `{{` and `}}`).
pub fn decode_str(body: &str, raw: bool, in_fstring: bool) -> Result<PyStr, ParseErrorKind> {
    // Most literals hold nothing to decode.
    let escapes = !raw && body.contains('\\');
    let braces = in_fstring && body.contains(['{', '}']);
    if !(escapes || braces) {
        return Ok(PyStr::from(body));
    }
    let mut out = PyStr::default();
    let mut chars = body.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        match c {
            '{' | '}' if in_fstring => {
                // `{{` and `}}` stand for one brace; the lexer guarantees they come in pairs.
                if chars.peek().map(|&(_, n)| n) == Some(c) {
                    chars.next();
                }
                out.push_code_point(u32::from(c));
            }
            // A backslash escapes no brace: in `f'\\{{'` it stays, and `{{` is one brace.
            '\\' if !raw && in_fstring && matches!(chars.peek(), Some((_, '{' | '}'))) => {
                out.push_str("\\");
            }
            '\\' if !raw => {
                let Some((_, esc)) = chars.next() else {
                    out.push_str("\\");
                    break;
                };
                match esc {
                    '\n' => {}
                    '\\' | '\'' | '"' => out.push_code_point(u32::from(esc)),
                    'a' => out.push_str("\x07"),
                    'b' => out.push_str("\x08"),
                    'f' => out.push_str("\x0c"),
                    'n' => out.push_str("\n"),
                    'r' => out.push_str("\r"),
                    't' => out.push_str("\t"),
                    'v' => out.push_str("\x0b"),
                    '0'..='7' => out.push_code_point(octal_escape(esc, &mut chars)),
                    'x' => out.push_code_point(hex_escape(&mut chars, 2, "\\x")?),
                    'u' => out.push_code_point(hex_escape(&mut chars, 4, "\\u")?),
                    'U' => {
                        let cp = hex_escape(&mut chars, 8, "\\U")?;
                        if cp > 0x10ffff {
                            return Err(ParseErrorKind::InvalidEscape(format!("\\U{cp:08x}")));
                        }
                        out.push_code_point(cp);
                    }
                    'N' => out.push_code_point(named_escape(&mut chars)?),
                    other => {
                        // Unknown escapes stay as written (CPython warns but keeps them).
                        out.push_str("\\");
                        out.push_code_point(u32::from(other));
                    }
                }
            }
            _ => out.push_code_point(u32::from(c)),
        }
    }
    Ok(out)
}

/// Decodes a `bytes` body; every literal character must be ASCII.
pub fn decode_bytes(body: &str, raw: bool) -> Result<Vec<u8>, ParseErrorKind> {
    if !body.is_ascii() {
        return Err(ParseErrorKind::NonAsciiBytes);
    }
    if raw {
        return Ok(body.as_bytes().to_vec());
    }
    let mut out = Vec::with_capacity(body.len());
    let mut chars = body.char_indices().peekable();
    while let Some((_, c)) = chars.next() {
        if c != '\\' {
            out.push(c as u8);
            continue;
        }
        let Some((_, esc)) = chars.next() else {
            out.push(b'\\');
            break;
        };
        match esc {
            '\n' => {}
            '\\' | '\'' | '"' => out.push(esc as u8),
            'a' => out.push(0x07),
            'b' => out.push(0x08),
            'f' => out.push(0x0c),
            'n' => out.push(b'\n'),
            'r' => out.push(b'\r'),
            't' => out.push(b'\t'),
            'v' => out.push(0x0b),
            // Octal escapes above \377 wrap, as CPython 3.11 does.
            '0'..='7' => out.push(octal_escape(esc, &mut chars) as u8),
            'x' => out.push(hex_escape(&mut chars, 2, "\\x")? as u8),
            other => {
                out.push(b'\\');
                out.push(other as u8);
            }
        }
    }
    Ok(out)
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

fn octal_escape(first: char, chars: &mut Chars<'_>) -> u32 {
    let mut value = first.to_digit(8).unwrap_or(0);
    for _ in 0..2 {
        match chars.peek().and_then(|&(_, c)| c.to_digit(8)) {
            Some(d) => {
                value = value * 8 + d;
                chars.next();
            }
            None => break,
        }
    }
    value
}

fn hex_escape(chars: &mut Chars<'_>, len: usize, kind: &str) -> Result<u32, ParseErrorKind> {
    let mut value = 0u32;
    let mut seen = String::new();
    for _ in 0..len {
        match chars.peek().copied() {
            Some((_, c)) if c.is_ascii_hexdigit() => {
                value = value * 16 + c.to_digit(16).unwrap_or(0);
                seen.push(c);
                chars.next();
            }
            _ => return Err(ParseErrorKind::InvalidEscape(format!("{kind}{seen}"))),
        }
    }
    Ok(value)
}

fn named_escape(chars: &mut Chars<'_>) -> Result<u32, ParseErrorKind> {
    if chars.next_if(|&(_, c)| c == '{').is_none() {
        return Err(ParseErrorKind::InvalidEscape("\\N".into()));
    }
    let mut name = String::new();
    for (_, c) in chars.by_ref() {
        if c == '}' {
            return unicode_names2::character(&name)
                .map(u32::from)
                .ok_or(ParseErrorKind::UnknownUnicodeName(name));
        }
        name.push(c);
    }
    Err(ParseErrorKind::InvalidEscape(format!("\\N{{{name}")))
}

/// One literal token of an implicit concatenation, decoded.
pub enum LiteralPiece {
    Str(PyStr, StringPiece),
    Bytes(Vec<u8>, StringPiece),
    FString(FString),
}

/// Adjacent literals (`"a" f"b"`) as one expression, joined as CPython joins them; `None` when
/// bytes and str are mixed. Shared by both front ends.
pub fn concatenate(range: TextRange, pieces: Vec<LiteralPiece>) -> Option<Expr> {
    let bytes_count = pieces
        .iter()
        .filter(|p| matches!(p, LiteralPiece::Bytes(..)))
        .count();
    if bytes_count > 0 && bytes_count < pieces.len() {
        return None;
    }
    // CPython sets `kind` only for a lowercase `u`.
    let kind = match pieces.first() {
        Some(LiteralPiece::Str(_, spelling)) if &*spelling.prefix == "u" => Some("u".into()),
        _ => None,
    };
    if bytes_count > 0 {
        let mut value = Vec::new();
        let mut spellings = Vec::new();
        for piece in pieces {
            if let LiteralPiece::Bytes(b, s) = piece {
                value.extend(b);
                spellings.push(s);
            }
        }
        return Some(Expr::Constant(ExprConstant {
            range,
            value: Constant::Bytes(value),
            kind: None,
            spelling: Spelling::Strings(spellings),
        }));
    }
    if pieces.iter().any(|p| matches!(p, LiteralPiece::FString(_))) {
        let parts = pieces
            .into_iter()
            .filter_map(|p| match p {
                LiteralPiece::Str(value, spelling) => Some(FStringPart::Literal(StringLiteral {
                    range: spelling.range,
                    value,
                    spelling: Some(spelling),
                })),
                LiteralPiece::FString(f) => Some(FStringPart::FString(f)),
                LiteralPiece::Bytes(..) => None,
            })
            .collect();
        return Some(Expr::FString(ExprFString { range, parts }));
    }
    let mut value = PyStr::default();
    let mut spellings = Vec::with_capacity(pieces.len());
    for piece in pieces {
        if let LiteralPiece::Str(v, s) = piece {
            // The first piece is taken as it is, not copied (most strings have one).
            match v {
                PyStr::Utf8(_) if value.is_empty() => value = v,
                _ => value.push_py_str(&v),
            }
            spellings.push(s);
        }
    }
    Some(Expr::Constant(ExprConstant {
        range,
        value: Constant::Str(value),
        kind,
        spelling: Spelling::Strings(spellings),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use simpy_ast::float_repr;

    /// Every body of up to seven bytes of quotes, backslashes, line breaks and a letter, cut
    /// anywhere it has not closed yet: scanning on from `string_body_resume` finds what one
    /// scan of the whole body finds, one-line and triple-quoted.
    #[test]
    fn a_string_scan_resumed_finds_the_end_a_whole_scan_finds() {
        let alphabet = *b"a'\"\\\r\n";
        let mut checked = 0;
        for len in 0..=7u32 {
            for mut code in 0..alphabet.len().pow(len) {
                let body: Vec<u8> = (0..len)
                    .map(|_| {
                        let byte = alphabet[code % alphabet.len()];
                        code /= alphabet.len();
                        byte
                    })
                    .collect();
                for (quote, triple) in [(b'\'', false), (b'\'', true), (b'"', true)] {
                    let whole = string_body_end(&body, quote, triple);
                    for cut in 0..=body.len() {
                        if string_body_end(&body[..cut], quote, triple) != Err(cut) {
                            continue;
                        }
                        let from = string_body_resume(&body[..cut], quote);
                        assert!(from <= cut);
                        let resumed = string_body_end(&body[from..], quote, triple)
                            .map(|n| n + from)
                            .map_err(|n| n + from);
                        assert_eq!(resumed, whole, "{body:?} cut at {cut}, {triple}");
                        checked += 1;
                    }
                }
            }
        }
        assert!(checked > 100_000, "{checked}");
    }

    #[track_caller]
    fn check_int(text: &str, want: &str) {
        match parse_number(text) {
            Ok(Constant::Int(i)) => assert_eq!(i.to_string(), want),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[track_caller]
    fn check_float(text: &str, want: &str) {
        match parse_number(text) {
            Ok(Constant::Float(f)) => assert_eq!(float_repr(f), want),
            other => panic!("{text}: {other:?}"),
        }
    }

    #[track_caller]
    fn check_number_error(text: &str, want: &str) {
        assert_eq!(parse_number(text).expect_err(text).to_string(), want);
    }

    #[test]
    fn numbers() {
        check_int("0x_fF", "255");
        check_int("0o777", "511");
        check_int("0b1_0", "2");
        check_int("1_000", "1000");
        check_int("00", "0");
        check_int(
            "123456789012345678901234567890",
            "123456789012345678901234567890",
        );
        check_float("1.e5", "100000.0");
        check_float(".5", "0.5");
        check_float("1_0.0_1e1_0", "100100000000.0");
        check_float("09.5", "9.5");
        check_float("1e400", "inf");
        assert!(matches!(parse_number("1_0J"), Ok(Constant::Complex { imag }) if imag == 10.0));
        check_number_error("0777", "Python 2 octal literal; use an 0o prefix");
        check_number_error("0778", "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers");
        check_number_error("10L", "Python 2 long integer suffix 'L'; drop it");
        check_number_error("1__0", "invalid number literal '1__0': misplaced '_'");
        check_number_error("1_", "invalid number literal '1_': misplaced '_'");
    }

    #[track_caller]
    fn check_str(body: &str, want: &str) {
        assert_eq!(
            decode_str(body, false, false).expect(body),
            PyStr::from(want)
        );
    }

    #[test]
    fn string_escapes() {
        check_str(r"a\n\t\\\'\x41\101\u00e9\U0001F600", "a\n\t\\'AAé😀");
        check_str(r"\q\N{EM DASH}", "\\q\u{2014}");
        check_str("a\\\nb", "ab");
        check_str(r"\777", "\u{1ff}");
        assert_eq!(
            decode_str(r"\ud800", false, false).unwrap().repr(),
            r"'\ud800'"
        );
        assert_eq!(
            decode_str("{{a}}", false, true).unwrap(),
            PyStr::from("{a}")
        );
        assert_eq!(
            decode_str(r"\{{a\}}", false, true).unwrap(),
            PyStr::from(r"\{a\}")
        );
        assert_eq!(decode_str(r"\n", true, false).unwrap(), PyStr::from(r"\n"));
        assert_eq!(
            decode_bytes(r"\u1234\xff\777", false).unwrap(),
            b"\\u1234\xff\xff"
        );
        assert_eq!(
            decode_bytes("é", false).unwrap_err(),
            ParseErrorKind::NonAsciiBytes
        );
        assert_eq!(
            decode_str(r"\x4", false, false).unwrap_err().to_string(),
            r"invalid escape sequence '\x4'"
        );
        assert_eq!(
            decode_str(r"\N{NOPE}", false, false)
                .unwrap_err()
                .to_string(),
            "unknown Unicode character name 'NOPE'"
        );
    }

    #[test]
    fn prefixes() {
        assert!(parse_prefix("Rb").unwrap().bytes);
        assert!(parse_prefix("fR").unwrap().format);
        assert_eq!(
            parse_prefix("ur").unwrap_err().to_string(),
            "Python 2 string prefix 'ur'; use 'r'"
        );
        assert_eq!(
            parse_prefix("bf").unwrap_err().to_string(),
            "invalid string prefix 'bf'"
        );
        assert_eq!(split_opening("rb'''"), ("rb", "'''"));
    }

    /// Every body of up to six bytes drawn from what matters to a string scan: quotes,
    /// backslashes, line breaks, a character of two bytes.
    fn small_bodies() -> Vec<Vec<u8>> {
        let pieces: [&[u8]; 7] = [b"'", b"\"", b"\\", b"\r", b"\n", b"a", "\u{e9}".as_bytes()];
        let mut bodies: Vec<Vec<u8>> = vec![Vec::new()];
        for _ in 0..6 {
            let longer: Vec<Vec<u8>> = bodies
                .iter()
                .filter(|b| b.len() < 6)
                .flat_map(|b| pieces.iter().map(move |p| [b.as_slice(), p].concat()))
                .collect();
            bodies.extend(longer);
            bodies.sort();
            bodies.dedup();
        }
        bodies
    }

    /// The jump from quote to quote finds what a scan of every byte finds, on every small
    /// body.
    #[test]
    fn a_triple_quoted_body_ends_where_a_byte_scan_ends_it() {
        fn byte_scan(body: &[u8], quote: u8) -> Result<usize, usize> {
            let mut i = 0;
            while i < body.len() {
                if body[i] == quote && body[i..].starts_with(&[quote; 3]) {
                    return Ok(i + 3);
                }
                i = body_char_end(body, i);
            }
            Err(body.len())
        }
        let bodies = small_bodies();
        assert!(bodies.len() > 50_000);
        for body in &bodies {
            for quote in [b'\'', b'"'] {
                assert_eq!(
                    string_body_end(body, quote, true),
                    byte_scan(body, quote),
                    "{:?}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }

    /// The resume point, found by jumping to backslashes and quotes, is where the byte loop
    /// it replaced put it.
    #[test]
    fn a_resume_point_is_where_a_byte_scan_puts_it() {
        fn byte_scan(body: &[u8], quote: u8) -> usize {
            let (mut i, mut resume) = (0, 0);
            while i < body.len() {
                if body[i] == b'\\' && matches!(body[i + 1..], [] | [b'\r']) {
                    break;
                }
                let next = body_char_end(body, i);
                if body[i] != quote {
                    resume = next;
                }
                i = next;
            }
            resume
        }
        for body in &small_bodies() {
            for quote in [b'\'', b'"'] {
                assert_eq!(
                    string_body_resume(body, quote),
                    byte_scan(body, quote),
                    "{:?}",
                    String::from_utf8_lossy(body)
                );
            }
        }
    }
}
