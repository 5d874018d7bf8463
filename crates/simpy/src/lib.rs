//! Python ⇄ SimPy through one shared AST.
//!
//! [`encode`] parses Python (tree-sitter front end) and prints canonical SimPy; [`decode`]
//! parses SimPy (logos + lalrpop) and prints clean Python. Both keep comments and literal
//! spellings; `decode(encode(x))` has the same CPython AST as `x`. Errors are structured:
//! a kind, a byte range into the input, a line and column, and a message.
//!
//! For a DualCode wrapper, encode the person's Python for the model and decode the model's
//! SimPy for the person; [`Error::kind`] tells bad input from a limit or a bug here.
//!
//! This crate does no IO.

mod canonical;
mod dialect;
mod dualcode;

pub use simpy_ast::render_diagnostic;
use simpy_ast::Comments;
use simpy_ast::{LineCol, TextRange};
pub use simpy_codegen::Literals;
use simpy_codegen::{print_python, print_python_with, print_simpy_with, PythonOptions, SimpyParts};

pub use canonical::NonCanonical;
pub use dialect::{Dialect, DIALECT_FORMAT};
pub use dualcode::{
    complete, encode_prompt, CompleteOptions, Completion, CompletionError, CompletionStream,
    DialectStream, Dropped, LeftOut, Prompt, Stop,
};
pub use simpy_ast as ast;
pub use simpy_grammar::{
    export_grammar, parse_simpy, GrammarFormat, IdiomKinds, ParsedSimpy, SimpyError, SimpyErrorKind,
};
pub use simpy_python::{
    parse_module, parse_str, tree_sitter_allocates_with_mimalloc, ErrorFamily, LocatedError, Parsed,
};

/// How to encode Python to SimPy.
#[derive(Clone, Copy, Debug, Default)]
pub struct EncodeOptions {
    /// Drop comments (lossy; for comparisons with tools that drop them).
    pub strip_comments: bool,
    /// Literal spellings kept (the default) or written from their values (same AST).
    pub literals: Literals,
}

/// How to decode SimPy to Python.
#[derive(Clone, Copy, Debug, Default)]
pub struct DecodeOptions {
    /// Drop comments from the Python written.
    pub strip_comments: bool,
}

/// Which side of the conversion failed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// The Python given to [`encode`] is not valid Python (or cannot be read).
    InvalidPython,
    /// The SimPy given to [`decode`] is malformed.
    InvalidSimpy,
    /// Valid input this tool cannot take (too deeply nested, not yet supported).
    Limit,
    /// A bug here: an unexpected parser state.
    Internal,
}

/// A conversion failure: what kind, where in the input, and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{line}:{col}: {message}", line = location.line, col = location.col)]
pub struct Error {
    pub kind: ErrorKind,
    /// Byte range into the input text.
    pub range: TextRange,
    /// 1-based line and column (in characters) of the range's start.
    pub location: LineCol,
    /// The input line the error is on, for showing with a caret.
    pub line_text: String,
    pub message: String,
    /// How to fix it, when a fixed table knows (`x==1`: SimPy writes `==` as `<eq>`).
    pub hint: Option<String>,
}

impl Error {
    /// A Python front-end error as a conversion error.
    pub fn from_python(e: LocatedError) -> Error {
        let kind = match e.error.kind.family() {
            ErrorFamily::InvalidInput => ErrorKind::InvalidPython,
            ErrorFamily::Limit => ErrorKind::Limit,
            ErrorFamily::Internal => ErrorKind::Internal,
        };
        Error {
            kind,
            range: e.error.range,
            location: e.location,
            line_text: e.line_text,
            message: e.error.kind.to_string(),
            hint: None,
        }
    }

    fn from_simpy(e: SimpyError, text: &str) -> Error {
        let kind = match e.kind {
            SimpyErrorKind::TooDeep => ErrorKind::Limit,
            _ => ErrorKind::InvalidSimpy,
        };
        let (location, line_text) = simpy_ast::locate(text, e.range.start);
        let line_text = line_text.to_owned();
        Error {
            kind,
            range: e.range,
            location,
            line_text,
            message: e.kind.to_string(),
            hint: e.hint(text),
        }
    }
}

/// Python source text to canonical SimPy.
pub fn encode(python: &str) -> Result<String, Error> {
    encode_with(python, &EncodeOptions::default())
}

/// [`encode`] with options.
pub fn encode_with(python: &str, options: &EncodeOptions) -> Result<String, Error> {
    let parsed = parse_str(python).map_err(Error::from_python)?;
    Ok(encode_parsed(&parsed, options))
}

/// Python source bytes (any PEP 263 encoding) to canonical SimPy.
pub fn encode_bytes(python: &[u8], options: &EncodeOptions) -> Result<String, Error> {
    // A big file is printed a part at a time, as it is read: its whole tree is never held.
    let mut parts = SimpyParts::default();
    parts.literals = options.literals;
    let read = simpy_python::parse_module_in_parts(python, |body, comments| {
        let comments = Comments { items: comments };
        parts.push(body, &kept(&comments, options.strip_comments).items);
    })
    .map_err(Error::from_python)?;
    match read {
        simpy_python::Read::InParts => Ok(parts.finish()),
        simpy_python::Read::Whole(parsed) => Ok(encode_parsed(&parsed, options)),
    }
}

/// SimPy for an already parsed Python file.
pub fn encode_parsed(parsed: &Parsed, options: &EncodeOptions) -> String {
    print_simpy_with(
        &parsed.module,
        kept(&parsed.comments, options.strip_comments),
        options.literals,
    )
}

/// The comments a conversion prints: all of them, or none under `strip_comments`. The one
/// place where any conversion drops comments.
fn kept(comments: &Comments, strip_comments: bool) -> &Comments {
    static NONE: Comments = Comments { items: Vec::new() };
    if strip_comments {
        &NONE
    } else {
        comments
    }
}

/// SimPy text to clean Python.
pub fn decode(simpy: &str) -> Result<String, Error> {
    decode_with(simpy, &DecodeOptions::default())
}

/// [`decode`] with options.
pub fn decode_with(simpy: &str, options: &DecodeOptions) -> Result<String, Error> {
    let parsed = parse_simpy(simpy).map_err(|e| Error::from_simpy(e, simpy))?;
    Ok(print_python(
        &parsed.module,
        kept(&parsed.comments, options.strip_comments),
    ))
}

/// [`decode_with`] of SimPy bytes ([`simpy_text`]: UTF-8, a leading byte-order mark dropped).
pub fn decode_bytes(simpy: &[u8], options: &DecodeOptions) -> Result<String, Error> {
    decode_with(simpy_text(simpy)?, options)
}

/// SimPy bytes as text: UTF-8, a leading byte-order mark dropped.
pub fn simpy_text(bytes: &[u8]) -> Result<&str, Error> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
        let at = valid.len() as u32;
        let (location, line_text) = simpy_ast::locate(valid, at);
        let line_text = line_text.to_owned();
        Error {
            kind: ErrorKind::InvalidSimpy,
            range: TextRange::new(at, at + 1),
            location,
            line_text,
            message: format!(
                "SimPy must be UTF-8; byte 0x{:02x} is not",
                bytes[e.valid_up_to()]
            ),
            hint: None,
        }
    })
}

/// What [`decode_checked`] gives: the Python, and whether the SimPy was canonical.
#[derive(Clone, Debug)]
pub struct Decoded {
    pub python: String,
    /// Where the SimPy differs from what [`encode`] writes for the same tree, if it does.
    pub non_canonical: Option<NonCanonical>,
}

/// [`decode_with`], and a check that the input is canonical SimPy: valid SimPy that `encode`
/// would never write (a stray space, a spelling SPEC.md accepts but does not prefer) is where
/// a model's or a person's slip changes a program silently, so it is reported.
pub fn decode_checked(simpy: &str, options: &DecodeOptions) -> Result<Decoded, Error> {
    let parsed = parse_simpy(simpy).map_err(|e| Error::from_simpy(e, simpy))?;
    let non_canonical = canonical::first_difference(simpy, &parsed);
    Ok(Decoded {
        python: print_python(
            &parsed.module,
            kept(&parsed.comments, options.strip_comments),
        ),
        non_canonical,
    })
}

/// How to normalize Python.
#[derive(Clone, Copy, Debug, Default)]
pub struct NormalizeOptions {
    /// Drop comments (lossy; for comparisons with tools that drop them).
    pub strip_comments: bool,
}

/// Python as the Python printer writes it (same AST, same comments): the "normalized"
/// baseline that SimPy is compared with.
pub fn normalize(python: &str) -> Result<String, Error> {
    normalize_with(python, &NormalizeOptions::default())
}

/// [`normalize`] with options.
pub fn normalize_with(python: &str, options: &NormalizeOptions) -> Result<String, Error> {
    let parsed = parse_str(python).map_err(Error::from_python)?;
    Ok(normalize_parsed(&parsed, options))
}

/// [`normalize`] of source bytes (any PEP 263 encoding), with options.
pub fn normalize_bytes(python: &[u8], options: &NormalizeOptions) -> Result<String, Error> {
    let parsed = parse_module(python).map_err(Error::from_python)?;
    Ok(normalize_parsed(&parsed, options))
}

/// [`normalize`] of an already parsed Python file; the source's blank lines are kept.
pub fn normalize_parsed(parsed: &Parsed, options: &NormalizeOptions) -> String {
    let python_options = PythonOptions {
        source: Some(&parsed.source),
    };
    print_python_with(
        &parsed.module,
        kept(&parsed.comments, options.strip_comments),
        &python_options,
    )
}

impl Error {
    /// `path:line:col: error: message`.
    pub fn headline(&self, path: &str) -> String {
        format!(
            "{path}:{}:{}: error: {}",
            self.location.line, self.location.col, self.message
        )
    }

    /// The headline, then the part of the offending line around the error with a caret under
    /// the column, then how to fix it if known; each line ends in a newline.
    pub fn render(&self, path: &str) -> String {
        render_diagnostic(
            "error",
            path,
            self.location,
            &self.line_text,
            &self.message,
            self.hint.as_deref(),
        )
    }
}

/// The source text with each comment cut out, and the spaces that separated a trailing comment
/// from its code; line breaks stay. The "original, comments stripped" text of a token report.
pub fn remove_comments(source: &str, comments: &ast::Comments) -> String {
    let mut out = String::with_capacity(source.len());
    let mut at = 0;
    for c in &comments.items {
        let start = c.range.start as usize;
        let code_end = source[..start].trim_end_matches([' ', '\t']).len().max(at);
        out.push_str(&source[at..code_end]);
        at = c.range.end as usize;
    }
    out.push_str(&source[at..]);
    out
}
