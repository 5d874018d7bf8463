//! Expressions tree-sitter-python cannot read where they stand, read alone.
//!
//! - Annotations, return types and type alias values: its grammar reads them with a type
//!   grammar of its own, not as the expressions Python allows there: `x: l[T] + a`,
//!   `x: b[1:2]`, `def f() -> T[int] or None` are errors to it (upstream issue #252).
//! - The operand of a starred element of an unbracketed tuple: it takes only a name, an
//!   attribute, a subscript or a call there (`x = a, *(b or c)`, `return *3, a` are errors).
//!
//! Found by a scan of the text, each region is blanked in the text tree-sitter reads again to
//! something it reads in that place (`( … )`, `_( … )`), and read alone, all regions at their
//! own offsets as the elements of one list; the lowering takes each region's expression from
//! there.

use crate::format_specs;
use crate::repair::skip_string;
use std::ops::Range;

/// Where a region stands, which decides what it is blanked to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Place {
    Annotation,
    StarredOperand,
    /// The operand of a starred slice of a subscript (PEP 646): any expression (`y[*a or b]`).
    SliceOperand,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Region {
    pub range: Range<usize>,
    pub place: Place,
}

/// The regions of `src` in order: every annotation, return type and type alias value at least
/// two bytes long (a shorter one is a name or a digit, which tree-sitter reads), and every
/// operand of a starred element of an unbracketed tuple.
pub(crate) fn regions(src: &str) -> Vec<Region> {
    let statements = tokens(src, 0..src.len());
    let mut annotations = Vec::new();
    let (mut operands, mut slice_operands) = (Vec::new(), Vec::new());
    for statement in statements.split(|t| t.depth == 0 && matches!(t.byte, b'\n' | b';')) {
        scan_statement(src, statement, &mut annotations);
        starred_operands(src, statement, &mut operands);
        // A subscript's slices are elements as an unbracketed tuple's are (PEP 646):
        // `x[*~c]`, `x[a, *(b)] = d`.
        for slices in subscripts(src, statement) {
            starred_operands(src, slices, &mut slice_operands);
        }
    }
    // A replacement field holds an unbracketed tuple as a statement does: `f"{*0,}"`.
    // (Its line breaks, in a triple-quoted f-string, are inside the field's braces.)
    for field in format_specs::field_expressions(src) {
        let mut field = tokens(src, field);
        field.retain(|t| t.byte != b'\n');
        starred_operands(src, &field, &mut operands);
    }
    annotations.retain(|r| r.len() >= 2);
    // (A starred operand inside an annotation, `type A = *b, c`, is the annotation's.)
    let outside_annotations = |o: &Range<usize>| {
        !annotations
            .iter()
            .any(|a| a.start < o.end && o.start < a.end)
    };
    operands.retain(outside_annotations);
    slice_operands.retain(outside_annotations);
    let mut found: Vec<Region> = annotations
        .into_iter()
        .map(|range| Region {
            range,
            place: Place::Annotation,
        })
        .chain(operands.into_iter().map(|range| Region {
            range,
            place: Place::StarredOperand,
        }))
        .chain(slice_operands.into_iter().map(|range| Region {
            range,
            place: Place::SliceOperand,
        }))
        .collect();
    found.sort_by_key(|r| r.range.start);
    // Regions never overlap (`*a in *b, c`: the second star is inside the first operand).
    let mut end = 0;
    found.retain(|r| {
        let apart = r.range.start >= end;
        if apart {
            end = r.range.end;
        }
        apart
    });
    found
}

/// `src` with each region blanked (line breaks kept) to what tree-sitter reads in its place:
/// an annotation to `(`, spaces and `)`; a starred operand to `_`, or `_(`, spaces and `)`.
pub(crate) fn blanked(src: &str, regions: &[Region]) -> String {
    let mut out = src.as_bytes().to_vec();
    for Region { range: r, place } in regions {
        blank(&mut out[r.clone()]);
        match place {
            Place::Annotation => out[r.start] = b'(',
            Place::StarredOperand | Place::SliceOperand => {
                out[r.start] = b'_';
                if r.len() >= 3 {
                    out[r.start + 1] = b'(';
                }
            }
        }
        if *place == Place::Annotation || r.len() >= 3 {
            out[r.end - 1] = b')';
        }
    }
    // Whole bytes became ASCII, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| src.to_owned())
}

/// A text holding only the regions, at their own offsets, as the elements of one list: `[` at
/// the start, a `,` after each region and `]` at the end. (Every region has a byte before it:
/// its `:`, `>`, `=` or `*`.)
pub(crate) fn alone(src: &str, regions: &[Region]) -> String {
    let mut out = src.as_bytes().to_vec();
    out.extend_from_slice(b"  ");
    let mut at = 0;
    for Region { range: r, .. } in regions {
        blank(&mut out[at..r.start]);
        at = r.end + 1;
        out[r.end] = b',';
    }
    let end = out.len();
    blank(&mut out[at.min(end)..]);
    out[0] = b'[';
    out[end - 1] = b']';
    String::from_utf8(out).unwrap_or_else(|_| src.to_owned())
}

fn blank(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| **b != b'\n') {
        *b = b' ';
    }
}

/// A token of the scan: a word, a string, or one byte of anything else; a line break only
/// where it ends a logical line.
#[derive(Clone, Copy, Debug)]
struct Token {
    start: usize,
    end: usize,
    /// The first byte (`"` for any string).
    byte: u8,
    /// Brackets open before it.
    depth: usize,
}

/// The tokens of `src[range]`, at their offsets in `src`.
fn tokens(src: &str, range: Range<usize>) -> Vec<Token> {
    let bytes = &src.as_bytes()[..range.end];
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    let mut tokens = Vec::new();
    let mut depth = 0usize;
    let mut i = range.start;
    while i < bytes.len() {
        let start = i;
        let byte = bytes[i];
        match byte {
            b'#' => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            // A backslash joining lines; any other is an error tree-sitter reports.
            b'\\' => {
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                continue;
            }
            b' ' | b'\t' | b'\x0c' | b'\r' => {
                i += 1;
                continue;
            }
            b'\n' if depth > 0 => {
                i += 1;
                continue;
            }
            b'\'' | b'"' => i = skip_string(bytes, i, byte),
            b if is_word(b) => {
                while i < bytes.len() && is_word(bytes[i]) {
                    i += 1;
                }
            }
            _ => i += 1,
        }
        if matches!(byte, b')' | b']' | b'}') {
            depth = depth.saturating_sub(1);
        }
        tokens.push(Token {
            start,
            end: i,
            byte: if byte == b'\'' { b'"' } else { byte },
            depth,
        });
        if matches!(byte, b'(' | b'[' | b'{') {
            depth += 1;
        }
    }
    tokens
}

/// The annotations of one statement (its tokens, up to its `;` or line break), and of the
/// statement after its header's colon when it is a compound statement on one line.
fn scan_statement(src: &str, mut tokens: &[Token], found: &mut Vec<Range<usize>>) {
    let word = |t: Option<&Token>| t.map_or("", |t| &src[t.start..t.end]);
    if word(tokens.first()) == "async" {
        tokens = &tokens[1..];
    }
    let Some(first) = tokens.first() else {
        return;
    };
    let depth = first.depth;
    match word(Some(first)) {
        "def" => {
            let Some(open) = tokens
                .iter()
                .position(|t| t.byte == b'(' && t.depth == depth)
            else {
                return;
            };
            let close = tokens[open..]
                .iter()
                .position(|t| t.byte == b')' && t.depth == depth)
                .map_or(tokens.len(), |c| open + c);
            for parameter in
                tokens[open + 1..close].split(|t| t.byte == b',' && t.depth == depth + 1)
            {
                let inside = |t: &Token| t.depth == depth + 1;
                let end = parameter
                    .iter()
                    .position(|t| inside(t) && single_equals(parameter, t))
                    .unwrap_or(parameter.len());
                if let Some(colon) = parameter[..end]
                    .iter()
                    .position(|t| inside(t) && t.byte == b':')
                {
                    push(found, &parameter[colon + 1..end]);
                }
            }
            let rest = &tokens[(close + 1).min(tokens.len())..];
            let Some(colon) = header_colon(src, rest, depth) else {
                return;
            };
            if let [minus, greater, ..] = rest {
                if (minus.byte, greater.byte) == (b'-', b'>') {
                    push(found, &rest[2..colon]);
                }
            }
            scan_statement(src, &rest[colon + 1..], found);
        }
        "class" | "if" | "elif" | "else" | "while" | "for" | "with" | "try" | "except"
        | "finally" => {
            if let Some(colon) = header_colon(src, tokens, depth) {
                scan_statement(src, &tokens[colon + 1..], found);
            }
        }
        "type" if tokens.get(1).is_some_and(|t| is_name(src, t)) => {
            if let Some(equals) = tokens
                .iter()
                .position(|t| t.depth == depth && single_equals(tokens, t))
            {
                push(found, &tokens[equals + 1..]);
            }
        }
        // A simple statement (or a `match` or `case` header, whose annotation would be empty):
        // an annotation follows a colon at its top level that comes before any `=`.
        _ => {
            let Some(colon) = header_colon(src, tokens, depth) else {
                return;
            };
            if tokens[..colon]
                .iter()
                .any(|t| t.depth == depth && t.byte == b'=')
            {
                return;
            }
            let rest = &tokens[colon + 1..];
            let end = rest
                .iter()
                .position(|t| t.depth == depth && single_equals(rest, t))
                .unwrap_or(rest.len());
            push(found, &rest[..end]);
        }
    }
}

/// The operand of each starred element of the statement's unbracketed tuples: after a `*`
/// that starts an element (at the start, or after `,`, `=`, `return`, `yield` or `in`), up to
/// the `,`, `=`, `:` or `!` (a field's conversion) that ends the element.
fn starred_operands(src: &str, tokens: &[Token], found: &mut Vec<Range<usize>>) {
    let Some(depth) = tokens.first().map(|t| t.depth) else {
        return;
    };
    let top: Vec<&Token> = tokens.iter().filter(|t| t.depth == depth).collect();
    for (i, star) in top.iter().enumerate() {
        let touches = |o: Option<&&Token>| {
            o.is_some_and(|o| o.byte == b'*' && (o.end == star.start || o.start == star.end))
        };
        if star.byte != b'*' || touches(top.get(i + 1)) || (i > 0 && touches(top.get(i - 1))) {
            continue;
        }
        let starts_element = i == 0
            || matches!(top[i - 1].byte, b',' | b'=')
            || matches!(
                &src[top[i - 1].start..top[i - 1].end],
                "return" | "yield" | "in"
            );
        if !starts_element {
            continue;
        }
        let end = top[i + 1..]
            .iter()
            .position(|t| matches!(t.byte, b',' | b'=' | b':' | b'!'))
            .map_or(top.len(), |p| i + 1 + p);
        if end == i + 1 {
            continue;
        }
        let first = top[i + 1];
        // The last token before the end, at any depth.
        let last = tokens
            .iter()
            .take_while(|t| top.get(end).is_none_or(|e| t.start < e.start))
            .last()
            .expect("the operand's first token");
        found.push(first.start..last.end);
    }
}

/// The tokens inside each subscript's brackets: a `[` after an operand (a name that is not a
/// keyword, a number, a string or a closing bracket) up to its `]`.
fn subscripts<'t>(src: &str, tokens: &'t [Token]) -> Vec<&'t [Token]> {
    let mut found = Vec::new();
    for (i, open) in tokens.iter().enumerate() {
        let Some(before) = i.checked_sub(1).map(|b| &tokens[b]) else {
            continue;
        };
        let word = &src[before.start..before.end];
        let operand = matches!(before.byte, b')' | b']' | b'}' | b'"')
            || is_name(src, before) && !crate::KEYWORDS.contains(&word)
            || matches!(word, "None" | "True" | "False")
            || before.byte.is_ascii_digit();
        if open.byte != b'[' || before.depth != open.depth || !operand {
            continue;
        }
        let inside = &tokens[i + 1..];
        let end = inside
            .iter()
            .position(|t| t.depth == open.depth && t.byte == b']')
            .unwrap_or(inside.len());
        found.push(&inside[..end]);
    }
    found
}

/// The first colon at `depth` that neither a `lambda` before it takes nor a walrus spells.
fn header_colon(src: &str, tokens: &[Token], depth: usize) -> Option<usize> {
    let mut lambdas = 0;
    for (i, t) in tokens.iter().enumerate() {
        if t.depth != depth {
            continue;
        }
        if &src[t.start..t.end] == "lambda" {
            lambdas += 1;
        } else if t.byte == b':'
            && tokens
                .get(i + 1)
                .is_none_or(|n| n.byte != b'=' || n.start > t.end)
        {
            if lambdas == 0 {
                return Some(i);
            }
            lambdas -= 1;
        }
    }
    None
}

/// Whether `t` is an `=` on its own, not part of `==`, `<=`, `+=`, `:=` ….
fn single_equals(tokens: &[Token], t: &Token) -> bool {
    if t.byte != b'=' {
        return false;
    }
    let touching = |o: &&Token| o.end == t.start || o.start == t.end;
    !tokens
        .iter()
        .filter(|o| !std::ptr::eq(*o, t))
        .filter(touching)
        .any(|o| b"=!<>:+-*/%@&|^".contains(&o.byte))
}

fn is_name(src: &str, t: &Token) -> bool {
    src[t.start..t.end]
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_alphabetic() || b == b'_' || b >= 0x80)
}

fn push(found: &mut Vec<Range<usize>>, tokens: &[Token]) {
    if let (Some(first), Some(last)) = (tokens.first(), tokens.last()) {
        found.push(first.start..last.end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(src: &str) -> Vec<&str> {
        regions(src).into_iter().map(|r| &src[r.range]).collect()
    }

    #[test]
    fn finds_annotations_return_types_and_alias_values() {
        assert_eq!(texts("x: l[T] + a = 1\n"), ["l[T] + a"]);
        assert_eq!(texts("x: a == b\ny = {a: bc}\n"), ["a == b"]);
        assert_eq!(
            texts("def f(ab, cd: b[:c]=1, *ef: gh, **ij: kl  # c\n) -> T[int] or None: return\n"),
            ["b[:c]", "gh", "kl", "T[int] or None"]
        );
        assert_eq!(texts("if a: bc: de\nclass C[T: int]: pass\n"), ["de"]);
        assert_eq!(
            texts("type A[T] = l[T] + a\nf = lambda ab: ab\n"),
            ["l[T] + a"]
        );
        assert_eq!(
            texts("x = lambda: 1; yz: \\\n  ab\nmatch x:\n    case y:\n"),
            ["ab"]
        );
        assert_eq!(texts("if (x := 1): ab: cd = f'{x:>10}'\n"), ["cd"]);
    }

    #[test]
    fn finds_starred_operands_of_unbracketed_tuples() {
        assert_eq!(
            texts("x = a, *(b or c), *d\nreturn *3(a), *-b\nprint(*a, b * c, **d)\n"),
            ["(b or c)", "d", "3(a)", "-b"]
        );
        assert_eq!(texts("for x in *a + b, c: pass\n*,\n"), ["a + b"]);
        assert_eq!(texts("type A = *b, c\n"), ["*b, c"]);
        assert_eq!(texts("*a in *(1, 2), c\n"), ["a in *(1, 2)"]);
        assert_eq!(
            texts("x[*~c] = d\ny = [*a, b[*-e, *(f)]]\n"),
            ["~c", "-e", "(f)"]
        );
        assert_eq!(
            texts("f'{*0,!r:>{*a, *-b}} {f\"{*1,=}\"}'\n"),
            ["0", "a", "-b", "1"]
        );
    }

    #[test]
    fn blanks_and_reads_alone_at_the_same_offsets() {
        let src = "x: l[T] + a = 1\ndef f(a: b[:c]) -> de: pass\ny = *-1, *4, *(a)";
        let found = regions(src);
        assert_eq!(
            blanked(src, &found),
            "x: (      ) = 1\ndef f(a: (   )) -> (): pass\ny = *_ , *_, *_()"
        );
        assert_eq!(
            alone(src, &found),
            "[  l[T] + a,   \n         b[:c],    de,     \n     -1,  4,  (a),]"
        );
    }
}
