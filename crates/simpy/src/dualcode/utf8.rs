//! A stream's bytes as text: chunks may split a character, and a byte that is not UTF-8 ends the
//! stream with an error at that byte, as [`crate::simpy_text`] refuses it in a whole input.

use crate::{Error, ErrorKind};
use simpy_ast::TextRange;
use std::borrow::Cow;

/// A byte that is not UTF-8, at `at` in all the bytes given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct NotUtf8 {
    byte: u8,
    at: usize,
}

impl NotUtf8 {
    pub fn error(self) -> Error {
        let NotUtf8 { byte, at } = self;
        not_utf8(
            at,
            format!(
                "SimPy must be UTF-8; byte 0x{byte:02x} (byte {at} of the continuation) is not"
            ),
        )
    }
}

/// Every ASCII character in order: the text of a one-byte chunk is a slice of it, without
/// the cost of checking it as UTF-8 (a stream may be fed a byte at a time).
const ASCII: &str = match std::str::from_utf8(&ASCII_BYTES) {
    Ok(text) => text,
    Err(_) => panic!("ASCII is UTF-8"),
};

const ASCII_BYTES: [u8; 128] = {
    let mut bytes = [0u8; 128];
    let mut i = 0;
    while i < bytes.len() {
        bytes[i] = i as u8;
        i += 1;
    }
    bytes
};

/// The characters a chunk completes; an unfinished one at its end waits for the next chunk.
#[derive(Default)]
pub(super) struct Utf8Chunks {
    waiting: Vec<u8>,
    /// Bytes given back as text so far.
    passed: usize,
}

impl Utf8Chunks {
    /// The text `chunk` completes, and its first byte that is not UTF-8, if any (the text
    /// ends before it, and nothing after it is read). Most chunks are whole characters: this
    /// runs for every byte a model streams, so the error is made only when there is one.
    pub fn text<'a>(&mut self, chunk: &'a [u8]) -> (Cow<'a, str>, Option<NotUtf8>) {
        if self.waiting.is_empty() {
            if let &[byte] = chunk {
                if byte.is_ascii() {
                    self.passed += 1;
                    let at = usize::from(byte);
                    return (Cow::Borrowed(&ASCII[at..=at]), None);
                }
            }
            if let Ok(text) = std::str::from_utf8(chunk) {
                self.passed += text.len();
                return (Cow::Borrowed(text), None);
            }
        }
        self.waiting.extend_from_slice(chunk);
        let (valid, bad) = match std::str::from_utf8(&self.waiting) {
            Ok(_) => (self.waiting.len(), None),
            // An unfinished character at the end: it waits.
            Err(e) if e.error_len().is_none() => (e.valid_up_to(), None),
            Err(e) => (e.valid_up_to(), Some(self.waiting[e.valid_up_to()])),
        };
        let rest = self.waiting.split_off(valid);
        let text = String::from_utf8(std::mem::replace(&mut self.waiting, rest))
            .expect("valid up to here");
        self.passed += text.len();
        let bad = bad.map(|byte| {
            self.waiting.clear();
            NotUtf8 {
                byte,
                at: self.passed,
            }
        });
        (Cow::Owned(text), bad)
    }

    /// Whether a character begun in an earlier chunk waits for its end.
    pub fn is_waiting(&self) -> bool {
        !self.waiting.is_empty()
    }

    /// Counts ASCII bytes taken as text without [`text`](Self::text).
    pub fn passed_ascii(&mut self, bytes: usize) {
        self.passed += bytes;
    }

    /// The error for a continuation that ends here, inside a character, if it does.
    pub fn unfinished(&self) -> Option<Error> {
        (!self.waiting.is_empty()).then(|| {
            let at = self.passed;
            not_utf8(
                at,
                format!("the continuation ends inside a UTF-8 character, from byte {at}"),
            )
        })
    }
}

fn not_utf8(at: usize, message: String) -> Error {
    Error {
        kind: ErrorKind::InvalidSimpy,
        range: TextRange::new(at as u32, at as u32 + 1),
        message,
        ..super::complete::internal("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_split_character_waits_and_a_bad_byte_ends_the_text() {
        let mut chunks = Utf8Chunks::default();
        let e_acute = "é".as_bytes();
        for byte in 0..128u8 {
            assert_eq!(chunks.text(&[byte]).0, char::from(byte).to_string());
        }
        let mut chunks = Utf8Chunks::default();
        assert_eq!(chunks.text(b"x=\"").0, "x=\"");
        let (text, bad) = chunks.text(&e_acute[..1]);
        assert!(text.is_empty() && bad.is_none());
        assert_eq!(
            chunks.unfinished().map(|e| e.range),
            Some(TextRange::new(3, 4))
        );
        assert_eq!(chunks.text(&e_acute[1..]).0, "é");
        assert!(chunks.unfinished().is_none());
        let (text, bad) = chunks.text(b"a\xffb");
        assert_eq!(text, "a");
        let bad = bad.expect("0xff is not UTF-8").error();
        assert_eq!(bad.range, TextRange::new(6, 7));
        assert!(
            bad.message.contains("byte 0xff (byte 6 "),
            "{}",
            bad.message
        );
    }
}
