//! Source bytes to text, as CPython reads a file: UTF-8 by default, a UTF-8 BOM, or a PEP 263
//! coding declaration on one of the first two lines. Line breaks are normalised to `\n`, as
//! CPython's tokenizer does before it reads anything, so string values never hold `\r\n`.

use crate::error::{ParseError, ParseErrorKind};
use encoding_rs::Encoding;
use simpy_ast::TextRange;
use std::borrow::Cow;

const BOM: &[u8] = b"\xef\xbb\xbf";

/// Decodes `bytes` to the text the parser sees.
pub fn decode_source(bytes: &[u8]) -> Result<String, ParseError> {
    let (body, has_bom) = match bytes.strip_prefix(BOM) {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    let declared = coding_declaration(body);
    let text: Cow<'_, str> = match &declared {
        Some((name, range)) => {
            let canonical = normalize_encoding_name(name);
            if has_bom && canonical != "utf-8" {
                return Err(ParseError::new(
                    ParseErrorKind::BomWithOtherEncoding(name.clone()),
                    *range,
                ));
            }
            decode_with(body, name, &canonical, *range)?
        }
        None => decode_utf8(body)?,
    };
    if let Some(at) = text.find('\0') {
        return Err(ParseError::new(ParseErrorKind::NullByte, range_at(at)));
    }
    Ok(normalize_newlines(&text).into_owned())
}

fn range_at(offset: usize) -> TextRange {
    TextRange::new(offset as u32, offset as u32 + 1)
}

fn decode_utf8(body: &[u8]) -> Result<Cow<'_, str>, ParseError> {
    std::str::from_utf8(body).map(Cow::Borrowed).map_err(|e| {
        ParseError::new(
            ParseErrorKind::Undecodable {
                encoding: "utf-8".into(),
            },
            range_at(e.valid_up_to()),
        )
    })
}

/// The declared encoding and where its name is, if line 1 (or line 2 after a comment or blank
/// line 1) matches PEP 263's `^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)`.
fn coding_declaration(body: &[u8]) -> Option<(String, TextRange)> {
    let mut start = 0;
    for _ in 0..2 {
        let end = body[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(body.len(), |i| start + i);
        let line = &body[start..end];
        let trimmed_at = line
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\x0c' | b'\r'));
        match trimmed_at {
            Some(i) if line[i] == b'#' => {
                if let Some((name, at)) = find_coding(&line[i..]) {
                    let offset = (start + i + at) as u32;
                    return Some((name, TextRange::new(offset, offset + 1)));
                }
            }
            // Only a comment or blank first line lets the second line declare.
            Some(_) => return None,
            None => {}
        }
        if end >= body.len() {
            return None;
        }
        start = end + 1;
    }
    None
}

fn find_coding(comment: &[u8]) -> Option<(String, usize)> {
    let mut from = 0;
    while let Some(pos) = find(&comment[from..], b"coding") {
        let after = from + pos + b"coding".len();
        if matches!(comment.get(after), Some(b':' | b'=')) {
            let mut i = after + 1;
            while matches!(comment.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            let name_len = comment[i..]
                .iter()
                .take_while(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
                .count();
            if name_len > 0 {
                return Some((
                    String::from_utf8_lossy(&comment[i..i + name_len]).into_owned(),
                    i,
                ));
            }
        }
        from = after;
    }
    None
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// CPython's `get_normal_name`: the spellings of UTF-8 and Latin-1 it folds, lowercased.
fn normalize_encoding_name(name: &str) -> String {
    let lower = name.to_ascii_lowercase().replace('_', "-");
    if lower == "utf-8" || lower.starts_with("utf-8-") {
        "utf-8".into()
    } else if ["latin-1", "iso-8859-1", "iso-latin-1"]
        .iter()
        .any(|l| lower == *l || lower.starts_with(&format!("{l}-")))
    {
        "iso-8859-1".into()
    } else {
        lower
    }
}

fn decode_with<'a>(
    body: &'a [u8],
    declared: &str,
    canonical: &str,
    at: TextRange,
) -> Result<Cow<'a, str>, ParseError> {
    let undecodable = |offset: usize| {
        ParseError::new(
            ParseErrorKind::Undecodable {
                encoding: declared.to_owned(),
            },
            range_at(offset),
        )
    };
    match canonical {
        "utf-8" | "utf8" => decode_utf8(body),
        // encoding_rs follows WHATWG, where "latin1" and "ascii" mean windows-1252; Python's do not.
        "iso-8859-1" | "latin1" | "l1" | "iso8859-1" | "8859" | "cp819" => {
            Ok(Cow::Owned(body.iter().map(|&b| b as char).collect()))
        }
        "ascii" | "us-ascii" | "646" => match body.iter().position(|b| !b.is_ascii()) {
            Some(at) => Err(undecodable(at)),
            None => decode_utf8(body),
        },
        _ => {
            let encoding = Encoding::for_label(canonical.as_bytes())
                .or_else(|| Encoding::for_label(canonical.replace('-', "").as_bytes()))
                .ok_or_else(|| {
                    ParseError::new(ParseErrorKind::UnknownEncoding(declared.to_owned()), at)
                })?;
            let (text, had_errors) = encoding.decode_without_bom_handling(body);
            if had_errors {
                let at = text.find('\u{fffd}').unwrap_or(0);
                return Err(undecodable(at));
            }
            Ok(text)
        }
    }
}

/// `text` with `\r\n` and a lone `\r` as `\n`, as CPython's tokenizer reads every line end
/// before anything else (SimPy's string literals are read the same way).
pub fn normalize_newlines(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains('\r') {
        return text.into();
    }
    text.replace("\r\n", "\n").replace('\r', "\n").into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check_decodes(bytes: &[u8], want: &str) {
        assert_eq!(decode_source(bytes).expect("decodes"), want);
    }

    #[track_caller]
    fn check_rejects(bytes: &[u8], want: &str) {
        assert_eq!(decode_source(bytes).expect_err("rejects").to_string(), want);
    }

    #[test]
    fn decodes_as_cpython_does() {
        check_decodes(b"x = 1\r\ny = 2\r", "x = 1\ny = 2\n");
        check_decodes(b"\xef\xbb\xbfx = '\xc3\xa9'", "x = 'é'");
        check_decodes(
            b"# -*- coding: latin-1 -*-\nx = '\xe9\x80'",
            "# -*- coding: latin-1 -*-\nx = 'é\u{80}'",
        );
        check_decodes(
            b"#!/usr/bin/python\n# vim: set fileencoding=koi8-r :\nx = '\xc1'",
            "#!/usr/bin/python\n# vim: set fileencoding=koi8-r :\nx = 'а'",
        );
        check_decodes(b"# coding: cp1252\nx = '\x80'", "# coding: cp1252\nx = '€'");
        // A declaration on line 2 counts only after a comment or blank line 1.
        check_rejects(
            b"x = 1\n# coding: latin-1\ny = '\xe9'",
            "source is not valid utf-8",
        );
        check_decodes(
            b"\n# coding: latin-1\ny = '\xe9'",
            "\n# coding: latin-1\ny = 'é'",
        );
    }

    #[test]
    fn rejects_what_cpython_rejects() {
        check_rejects(
            b"# coding: uft-8\n",
            "unknown encoding 'uft-8' in the coding declaration",
        );
        check_rejects(
            b"\xef\xbb\xbf# coding: latin-1\n",
            "file starts with a UTF-8 byte order mark but declares encoding 'latin-1'",
        );
        check_rejects(b"print('b\xf6se')", "source is not valid utf-8");
        check_rejects(b"# coding: ascii\nx = '\xe9'", "source is not valid ascii");
        check_rejects(b"x = 1\0", "source contains a null byte");
    }
}
