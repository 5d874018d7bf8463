//! A second chance for valid Python that tree-sitter-python misreads.
//!
//! Its scanner emits indentation tokens for a continuation line inside brackets when the line
//! is dedented after a token that cannot be followed by a closing bracket (`(bar.\n  baz)`),
//! which Python ignores, and after a comment line inside brackets when the next line is
//! dedented (`("a" +\n  # c\n  b)` in a function). Joining the lines inside brackets, as
//! Python's tokenizer does, fixes that: newlines become spaces, and comments inside brackets
//! blanks, so every byte offset stays where it was; the comments are kept aside.

use std::ops::Range;

/// `src` with each newline inside brackets replaced by a space and each comment inside brackets
/// by blanks, and where those comments are; `None` if nothing is inside brackets. Lines ending
/// in a backslash keep their newline.
pub(crate) fn join_bracketed_lines(src: &str) -> Option<(String, Vec<Range<usize>>)> {
    let bytes = src.as_bytes();
    let mut out = bytes.to_vec();
    let mut comments = Vec::new();
    let mut depth = 0usize;
    let mut changed = false;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                let start = i;
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                if depth > 0 {
                    out[start..i].fill(b' ');
                    comments.push(start..i);
                    changed = true;
                }
                continue;
            }
            quote @ (b'\'' | b'"') => {
                i = skip_string(bytes, i, quote);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' if depth > 0 && (i == 0 || out[i - 1] != b'\\') => {
                out[i] = b' ';
                changed = true;
            }
            _ => {}
        }
        i += 1;
    }
    // Newlines and whole comments were replaced by ASCII spaces, so the text is still UTF-8.
    changed.then(|| {
        (
            String::from_utf8(out).unwrap_or_else(|_| src.to_owned()),
            comments,
        )
    })
}

/// Where a statement's text breaks a line outside brackets: tree-sitter sometimes reads two
/// statements as one (`x = a, 0` then `(b).c` as a call of `0`). Returns the offset to respell
/// as `;` (the line break, or the space before a comment ending that line), or `Err(())` if
/// there is a break but no byte to respell.
pub(crate) fn statement_break(text: &str) -> Option<Result<usize, ()>> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut comment_start = None;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'#' => {
                comment_start = Some(i);
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            quote @ (b'\'' | b'"') => {
                i = skip_string(bytes, i, quote);
                continue;
            }
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            b'\\' => i += 1,
            b'\n' if depth == 0 => {
                return Some(match comment_start {
                    None => Ok(i),
                    Some(c) if c > 0 && matches!(bytes[c - 1], b' ' | b'\t') => Ok(c - 1),
                    Some(_) => Err(()),
                });
            }
            b'\n' => comment_start = None,
            _ => {}
        }
        i += 1;
    }
    None
}

/// A PEP 696 default in a type parameter list (`class A[T = int]`), which
/// tree-sitter-python 0.25 cannot read: the `=` at `equals`, the default's text at `value`, and
/// `param_end`, where the parameter's own text (`T`, `T: bound`, `*Ts`) ends.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct TypeParamDefault {
    pub param_end: usize,
    pub equals: usize,
    pub value: std::ops::Range<usize>,
}

/// Every default in the type parameter lists of `def`, `class` and `type` statements.
pub(crate) fn type_param_defaults(src: &str) -> Vec<TypeParamDefault> {
    let bytes = src.as_bytes();
    let mut found = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(after) = skip_comment_or_string(bytes, i) {
            i = after;
            continue;
        }
        match bytes[i] {
            b if is_name_byte(b) && (i == 0 || !is_name_byte(bytes[i - 1])) => {
                let end = i + bytes[i..].iter().take_while(|&&b| is_name_byte(b)).count();
                if matches!(&src[i..end], "def" | "class" | "type") {
                    let after_name = skip_blanks_and_continuations(bytes, end);
                    let name_end = after_name
                        + bytes[after_name..]
                            .iter()
                            .take_while(|&&b| is_name_byte(b))
                            .count();
                    let open = skip_blanks_and_continuations(bytes, name_end);
                    if name_end > after_name && bytes.get(open) == Some(&b'[') {
                        defaults_in_list(bytes, open + 1, &mut found);
                    }
                }
                i = end;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    found
}

/// The defaults of the bracketed list whose first byte is at `start`.
fn defaults_in_list(bytes: &[u8], start: usize, found: &mut Vec<TypeParamDefault>) {
    let trim_end = |from: usize, mut to: usize| {
        while to > from && bytes[to - 1].is_ascii_whitespace() {
            to -= 1;
        }
        to
    };
    let (mut param_start, mut equals, mut depth) = (start, None::<usize>, 0usize);
    let mut i = start;
    while i < bytes.len() {
        if let Some(after) = skip_comment_or_string(bytes, i) {
            i = after;
            continue;
        }
        match bytes[i] {
            b'(' | b'[' | b'{' => depth += 1,
            b',' | b']' | b')' | b'}' if depth == 0 => {
                if let Some(eq) = equals.take() {
                    let mut value_start = eq + 1;
                    while value_start < i && bytes[value_start].is_ascii_whitespace() {
                        value_start += 1;
                    }
                    found.push(TypeParamDefault {
                        param_end: trim_end(param_start, eq),
                        equals: eq,
                        value: value_start..trim_end(value_start, i),
                    });
                }
                if bytes[i] != b',' {
                    return;
                }
                param_start = i + 1;
            }
            b')' | b']' | b'}' => depth -= 1,
            // Not `==`, `<=`, `>=`, `!=`, `:=` or the first of `==`.
            b'=' if depth == 0
                && equals.is_none()
                && !matches!(bytes.get(i + 1), Some(b'='))
                && !matches!(bytes[i - 1], b'=' | b'<' | b'>' | b'!' | b':') =>
            {
                equals = Some(i)
            }
            _ => {}
        }
        i += 1;
    }
}

/// `src` with each default's `= value` blanked to spaces (line breaks kept), which
/// tree-sitter reads as a list without defaults; byte offsets stay put.
pub(crate) fn without_type_param_defaults(src: &str, defaults: &[TypeParamDefault]) -> String {
    let mut out = src.as_bytes().to_vec();
    for d in defaults {
        blank(&mut out[d.equals..d.value.end]);
    }
    // Whole bytes became ASCII spaces, so the text is still UTF-8.
    String::from_utf8(out).unwrap_or_else(|_| src.to_owned())
}

/// A text of `src`'s length holding only `d`'s value, as the one element of a list that
/// opens at the start of the `=`'s line: a module tree-sitter reads with the value at its
/// own offsets.
pub(crate) fn type_param_default_alone(src: &str, d: &TypeParamDefault) -> String {
    let mut out = src.as_bytes().to_vec();
    blank(&mut out[..d.value.start]);
    blank(&mut out[d.value.end..]);
    let line_start = src[..d.equals].rfind('\n').map_or(0, |n| n + 1);
    out[line_start] = b'[';
    out[d.value.end] = b']';
    String::from_utf8(out).unwrap_or_else(|_| src.to_owned())
}

fn blank(bytes: &mut [u8]) {
    for b in bytes.iter_mut().filter(|b| **b != b'\n') {
        *b = b' ';
    }
}

/// `src` with the `*` of each `from __future__ import *` respelt `_`, or `None` if it has none.
/// CPython's parser takes the statement (its compiler refuses it); tree-sitter-python has no rule
/// for it and, when a line follows, reads the `*` with that line (`*x = 1`). Respelt, it is a
/// future import, and the lowering, which reads names from the original text, finds `*`.
pub(crate) fn future_star_imports(src: &str) -> Option<String> {
    const FUTURE: &[u8] = b"__future__";
    let bytes = src.as_bytes();
    let mut stars = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if let Some(end) = skip_comment_or_string(bytes, i) {
            i = end;
            continue;
        }
        if bytes[i..].starts_with(FUTURE)
            && word_before(bytes, i) == b"from"
            && !bytes
                .get(i + FUTURE.len())
                .is_some_and(|&b| is_name_byte(b))
        {
            let import = skip_blanks_and_continuations(bytes, i + FUTURE.len());
            if bytes[import..].starts_with(b"import")
                && !bytes.get(import + 6).is_some_and(|&b| is_name_byte(b))
            {
                let star = skip_blanks_and_continuations(bytes, import + 6);
                if bytes.get(star) == Some(&b'*') {
                    stars.push(star);
                }
            }
        }
        i += 1;
    }
    if stars.is_empty() {
        return None;
    }
    let mut out = bytes.to_vec();
    for star in stars {
        out[star] = b'_';
    }
    // One ASCII byte replaced by another: still UTF-8.
    String::from_utf8(out).ok()
}

/// `src` with the backslash of each `\\N`, `\\u` and `\\U` in a bytes literal that is not raw
/// respelt as a space, or `None` if it has none. In bytes these are no escapes (`b"\\U\\""` is
/// `b'\\\\U"'`), and tree-sitter-python 0.25's scanner misreads what follows them; respelt,
/// the literal reads as plain bytes, and its value is read from the original text.
pub(crate) fn bytes_non_escapes(src: &str) -> Option<String> {
    let bytes = src.as_bytes();
    let mut out: Option<Vec<u8>> = None;
    let mut i = 0;
    while i < bytes.len() {
        let Some(end) = skip_comment_or_string(bytes, i) else {
            i += 1;
            continue;
        };
        // `b` or `B` alone: `br`/`rb` are raw, where a backslash escapes nothing either.
        if bytes[i] != b'#' && prefix_of(bytes, i).is_some_and(|p| p.eq_ignore_ascii_case(b"b")) {
            let mut j = i + 1;
            while j + 1 < end {
                if bytes[j] == b'\\' {
                    if matches!(bytes[j + 1], b'N' | b'u' | b'U') {
                        out.get_or_insert_with(|| bytes.to_vec())[j] = b' ';
                    }
                    j += 2;
                } else {
                    j += 1;
                }
            }
        }
        i = end;
    }
    // ASCII bytes replaced by a space: still UTF-8.
    out.and_then(|out| String::from_utf8(out).ok())
}

/// The letters of the string prefix just before the quote at `quote`, if they are one word.
fn prefix_of(bytes: &[u8], quote: usize) -> Option<&[u8]> {
    let start = bytes[..quote]
        .iter()
        .rposition(|&b| !is_name_byte(b))
        .map_or(0, |p| p + 1);
    let prefix = &bytes[start..quote];
    prefix.iter().all(u8::is_ascii_alphabetic).then_some(prefix)
}

/// The name that ends, blanks and line continuations aside, just before `end`.
fn word_before(bytes: &[u8], end: usize) -> &[u8] {
    let mut stop = end;
    loop {
        match bytes[..stop] {
            [.., b' ' | b'\t' | b'\x0c'] => stop -= 1,
            [.., b'\\', b'\n'] => stop -= 2,
            [.., b'\\', b'\r', b'\n'] => stop -= 3,
            _ => break,
        }
    }
    let start = bytes[..stop]
        .iter()
        .rposition(|&b| !is_name_byte(b))
        .map_or(0, |p| p + 1);
    &bytes[start..stop]
}

/// Past the spaces, tabs, form feeds and line continuations from `i`.
fn skip_blanks_and_continuations(bytes: &[u8], mut i: usize) -> usize {
    loop {
        match bytes.get(i..).unwrap_or_default() {
            [b' ' | b'\t' | b'\x0c', ..] => i += 1,
            [b'\\', b'\n', ..] => i += 2,
            [b'\\', b'\r', b'\n', ..] => i += 3,
            _ => return i,
        }
    }
}

fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Past the comment (up to its line break) or string literal that starts at `i`, if one does.
fn skip_comment_or_string(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes[i] {
        b'#' => Some(
            i + bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(bytes.len() - i),
        ),
        quote @ (b'\'' | b'"') => Some(skip_string(bytes, i, quote)),
        _ => None,
    }
}

/// The index just past the string literal whose opening quote is at `start`.
pub(crate) fn skip_string(bytes: &[u8], start: usize, quote: u8) -> usize {
    // An f-string's fields may hold strings in its own quote (PEP 701): `f"{'":'}"`, and line
    // breaks where it is single-quoted.
    let triple = bytes.get(start..start + 3) == Some(&[quote; 3][..]);
    if let Some(end) = crate::format_specs::fstring_end(bytes, start) {
        return end;
    }
    let body = start + if triple { 3 } else { 1 };
    match crate::literals::string_body_end(&bytes[body.min(bytes.len())..], quote, triple) {
        Ok(end) | Err(end) => body + end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn respells_the_star_of_future_star_imports() {
        assert_eq!(
            future_star_imports("from __future__ import *\nx = 1\n").as_deref(),
            Some("from __future__ import _\nx = 1\n")
        );
        assert_eq!(
            future_star_imports("if a:\n from \\\n __future__  import\t*;x\n").as_deref(),
            Some("if a:\n from \\\n __future__  import\t_;x\n")
        );
        // In a string or comment, after another word, or another module: left alone.
        for src in [
            "x = 'from __future__ import *'\n",
            "# from __future__ import *\n",
            "import __future__ import *\n",
            "from __future__x import *\n",
            "from __future__ imports *\n",
            "from x.__future__ import *\n",
            "from __future__ import (a, b)\n",
        ] {
            assert_eq!(future_star_imports(src), None, "{src:?}");
        }
    }

    #[test]
    fn respells_backslashes_that_are_no_escapes_in_bytes() {
        assert_eq!(
            bytes_non_escapes(r#"x = b"\U\"" + B'\N{a}\u' + b"\\u""#).as_deref(),
            Some(r#"x = b" U\"" + B' N{a} u' + b"\\u""#)
        );
        for src in [
            r#"x = "\U0001f600""#,
            r#"x = br"\u""#,
            "# b'\\u'",
            r#"x = ab"\u""#,
        ] {
            assert_eq!(bytes_non_escapes(src), None, "{src:?}");
        }
    }

    #[test]
    fn finds_line_breaks_outside_brackets() {
        assert_eq!(statement_break("x = a, 0\n(b).c"), Some(Ok(8)));
        assert_eq!(statement_break("b,  # c\nx = a"), Some(Ok(3)));
        assert_eq!(statement_break("b,# c\nx = a"), Some(Err(())));
        assert_eq!(statement_break("x = (1,\n 2)"), None);
        assert_eq!(statement_break("x = '''a\nb'''"), None);
        assert_eq!(statement_break("x = 1 + \\\n 2"), None);
    }

    #[test]
    fn finds_type_parameter_defaults() {
        let src = "class A[T: int = str, *Ts = *tuple[int, ...], U]: pass\n";
        let found = type_param_defaults(src);
        let texts: Vec<(&str, &str)> = found
            .iter()
            .map(|d| (&src[..d.param_end], &src[d.value.clone()]))
            .collect();
        assert_eq!(
            texts,
            [
                ("class A[T: int", "str"),
                ("class A[T: int = str, *Ts", "*tuple[int, ...]")
            ]
        );
        let blanked = without_type_param_defaults(src, &found);
        assert_eq!(
            blanked,
            "class A[T: int      , *Ts                   , U]: pass\n"
        );
        let alone = type_param_default_alone(src, &found[0]);
        assert_eq!(alone.len(), src.len());
        assert_eq!(alone.trim(), "[                str]");
        // `==` in a bound, `=` in a string or a call, and subscripts are no defaults.
        for src in [
            "def f[T: (a == b)](): pass",
            "x = '[T = 1]'",
            "f(type, x)[a]",
            "type X = A[B]",
        ] {
            assert_eq!(type_param_defaults(src), [], "{src}");
        }
    }

    #[test]
    fn joins_only_lines_inside_brackets() {
        let src = "def f():\n    (bar.\nbaz)\n    x = '(\\n'\n    y = (1, # c\n2)  # d\n";
        let want = "def f():\n    (bar. baz)\n    x = '(\\n'\n    y = (1,     2)  # d\n";
        let comment = src.find("# c").expect("a comment");
        let (joined, comments) = join_bracketed_lines(src).expect("lines to join");
        assert_eq!(joined, want);
        assert_eq!(comments.len(), 1);
        assert_eq!(comments[0], comment..comment + 3);
        assert_eq!(join_bracketed_lines("x = '''(\n'''\n"), None);
    }
}
