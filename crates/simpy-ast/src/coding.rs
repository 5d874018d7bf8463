//! PEP 263 coding declarations: which comment declares an encoding, and which names CPython
//! reads as UTF-8. The front end decodes a file by them; the printers, which write UTF-8,
//! rewrite a declaration of any other encoding to name UTF-8.

use std::ops::Range;

/// Where the encoding's name is in `comment` (from its `#`), if the comment declares one:
/// PEP 263's `coding[:=][ \t]*([-\w.]+)` at its first match, as CPython's tokenizer finds it
/// (ASCII letters and digits only). Only the first two lines of a file can declare.
pub fn declared_name(comment: &[u8]) -> Option<Range<usize>> {
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
                return Some(i..i + name_len);
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
pub fn normal_name(name: &str) -> String {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_first_name_that_follows_coding() {
        let name = |c: &str| declared_name(c.as_bytes()).map(|r| c[r].to_owned());
        assert_eq!(name("# -*- coding: latin-1 -*-"), Some("latin-1".into()));
        assert_eq!(
            name("# vim: set fileencoding=koi8-r :"),
            Some("koi8-r".into())
        );
        // `coding` not followed by `:` or `=`, or by no name, is passed over.
        assert_eq!(
            name("# -*- coding coding:ututf-8 -*-"),
            Some("ututf-8".into())
        );
        assert_eq!(name("# coding: , coding=cp1252"), Some("cp1252".into()));
        assert_eq!(name("# coding"), None);
        assert_eq!(normal_name("UTF_8-sig"), "utf-8");
        assert_eq!(normal_name("Latin-1-x"), "iso-8859-1");
    }
}
