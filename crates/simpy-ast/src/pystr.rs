//! Python `str` values, which unlike Rust strings may hold lone surrogates (`"\ud800"`).

use std::fmt::Write;

/// A Python string value. Almost always valid Unicode (`Utf8`); `CodePoints` only when the
/// literal spells a lone surrogate, which a Rust `String` cannot hold.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PyStr {
    Utf8(String),
    CodePoints(Vec<u32>),
}

impl Default for PyStr {
    fn default() -> Self {
        PyStr::Utf8(String::new())
    }
}

impl From<String> for PyStr {
    fn from(s: String) -> Self {
        PyStr::Utf8(s)
    }
}

impl From<&str> for PyStr {
    fn from(s: &str) -> Self {
        PyStr::Utf8(s.to_owned())
    }
}

impl PyStr {
    /// The value as Rust text, or `None` if it holds a lone surrogate.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            PyStr::Utf8(s) => Some(s),
            PyStr::CodePoints(_) => None,
        }
    }

    pub fn is_empty(&self) -> bool {
        match self {
            PyStr::Utf8(s) => s.is_empty(),
            PyStr::CodePoints(c) => c.is_empty(),
        }
    }

    pub fn code_points(&self) -> Box<dyn Iterator<Item = u32> + '_> {
        match self {
            PyStr::Utf8(s) => Box::new(s.chars().map(u32::from)),
            PyStr::CodePoints(c) => Box::new(c.iter().copied()),
        }
    }

    pub fn push_str(&mut self, s: &str) {
        match self {
            PyStr::Utf8(v) => v.push_str(s),
            PyStr::CodePoints(c) => c.extend(s.chars().map(u32::from)),
        }
    }

    /// Appends one code point; a surrogate switches the value to `CodePoints`.
    pub fn push_code_point(&mut self, cp: u32) {
        match (self as &mut PyStr, char::from_u32(cp)) {
            (PyStr::Utf8(v), Some(c)) => v.push(c),
            (PyStr::CodePoints(c), _) => c.push(cp),
            (this @ PyStr::Utf8(_), None) => {
                let mut points: Vec<u32> = this.code_points().collect();
                points.push(cp);
                *this = PyStr::CodePoints(points);
            }
        }
    }

    pub fn push_py_str(&mut self, other: &PyStr) {
        match other {
            PyStr::Utf8(s) => self.push_str(s),
            PyStr::CodePoints(c) => c.iter().for_each(|&cp| self.push_code_point(cp)),
        }
    }

    /// Python's `repr(self)`, byte for byte as CPython 3.11 writes it.
    pub fn repr(&self) -> String {
        let has_single = self.code_points().any(|c| c == u32::from('\''));
        let has_double = self.code_points().any(|c| c == u32::from('"'));
        let quote = if has_single && !has_double { '"' } else { '\'' };
        let mut out = String::new();
        out.push(quote);
        for cp in self.code_points() {
            match char::from_u32(cp) {
                Some(c) if c == quote || c == '\\' => {
                    out.push('\\');
                    out.push(c);
                }
                Some('\n') => out.push_str("\\n"),
                Some('\r') => out.push_str("\\r"),
                Some('\t') => out.push_str("\\t"),
                Some(c) if is_printable(cp) => out.push(c),
                _ if cp <= 0xff => write!(out, "\\x{cp:02x}").unwrap(),
                _ if cp <= 0xffff => write!(out, "\\u{cp:04x}").unwrap(),
                _ => write!(out, "\\U{cp:08x}").unwrap(),
            }
        }
        out.push(quote);
        out
    }
}

/// CPython's `str.isprintable()` for one code point (Unicode 14.0, as CPython 3.11).
pub fn is_printable(cp: u32) -> bool {
    if cp < 0x80 {
        return (0x20..0x7f).contains(&cp);
    }
    let table = crate::nonprintable::NON_PRINTABLE;
    let i = table.partition_point(|&(_, hi)| hi < cp);
    table.get(i).is_none_or(|&(lo, _)| lo > cp)
}

/// Python's `repr(bytes)`.
pub fn bytes_repr(bytes: &[u8]) -> String {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::from("b");
    out.push(quote as char);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            _ if b == quote => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => write!(out, "\\x{b:02x}").unwrap(),
        }
    }
    out.push(quote as char);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repr_matches_cpython() {
        assert_eq!(PyStr::from("it's").repr(), r#""it's""#);
        assert_eq!(PyStr::from("a'\"b").repr(), r#"'a\'"b'"#);
        assert_eq!(
            PyStr::from("\u{7f}\u{85}é\u{200b}\u{e000}😀").repr(),
            r"'\x7f\x85é\u200b\ue000😀'"
        );
        let mut s = PyStr::from("x");
        s.push_code_point(0xd800);
        assert_eq!(s.repr(), r"'x\ud800'");
        assert_eq!(bytes_repr(b"a'\x00\xff"), r#"b"a'\x00\xff""#);
    }
}
