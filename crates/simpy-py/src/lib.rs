//! The extension module `simpy_grammar._native`: the `simpy` library for Python.
//!
//! Thin on purpose: each function converts its arguments, releases the GIL for the Rust work
//! and converts the result. The package's Python layer (`python/simpy_grammar`) holds the
//! result types and the exception, so that they pickle and type-check as plain Python; this
//! module builds them through `types`.

mod batch;
mod stream;
mod vocabularies;

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::PyType;
use simpy::{CompleteOptions, Dialect, Stop};

/// As in the `simpy` command: trees are many small nodes, which mimalloc builds and frees at
/// about twice the speed of the system allocator (tree-sitter's C core too: `native`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Python source as the package takes it: text, or bytes in any PEP 263 encoding.
#[derive(FromPyObject)]
pub(crate) enum Source {
    Text(String),
    Bytes(Vec<u8>),
}

impl Source {
    fn encode(&self, strip_comments: bool, dialect: &Dialect) -> Result<String, simpy::Error> {
        let options = simpy::EncodeOptions {
            strip_comments,
            ..Default::default()
        };
        match self {
            Source::Text(text) => dialect.encode(text, &options),
            Source::Bytes(bytes) => dialect.encode_bytes(bytes, &options),
        }
    }

    fn normalize(&self, strip_comments: bool) -> Result<String, simpy::Error> {
        let options = simpy::NormalizeOptions { strip_comments };
        match self {
            Source::Text(text) => simpy::normalize_with(text, &options),
            Source::Bytes(bytes) => simpy::normalize_bytes(bytes, &options),
        }
    }
}

/// SimPy as the package takes it: text, or UTF-8 bytes.
#[derive(FromPyObject)]
pub(crate) enum SimpyText {
    Text(String),
    Bytes(Vec<u8>),
}

impl SimpyText {
    fn decode(&self, strip_comments: bool, dialect: &Dialect) -> Result<String, simpy::Error> {
        let options = simpy::DecodeOptions { strip_comments };
        match self {
            SimpyText::Text(text) => dialect.decode_with(text, &options),
            SimpyText::Bytes(bytes) => dialect.decode_bytes(bytes, &options),
        }
    }
}

/// A `dialect=` argument: a built-in name (`"simpy"`, `"compact"`) or a dialect file's path.
pub(crate) fn dialect(value: &str) -> PyResult<Dialect> {
    Dialect::resolve(value, |path| std::fs::read_to_string(path)).map_err(PyValueError::new_err)
}

/// The package's Python types (`simpy_grammar._types`), looked up once.
pub(crate) mod types {
    use super::*;

    fn class<'py>(
        py: Python<'py>,
        cell: &'static PyOnceLock<Py<PyType>>,
        name: &str,
    ) -> PyResult<Bound<'py, PyType>> {
        cell.import(py, "simpy_grammar._types", name).cloned()
    }

    macro_rules! python_type {
        ($fn:ident, $name:literal) => {
            pub fn $fn(py: Python<'_>) -> PyResult<Bound<'_, PyType>> {
                static CELL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
                class(py, &CELL, $name)
            }
        };
    }

    python_type!(simpy_error, "SimpyError");
    python_type!(completion_error, "CompletionError");
    python_type!(prompt, "Prompt");
    python_type!(left_out, "LeftOut");
    python_type!(completion, "Completion");
    python_type!(dropped, "Dropped");
}

/// The error's `kind` as Python spells it.
fn kind_name(kind: simpy::ErrorKind) -> &'static str {
    match kind {
        simpy::ErrorKind::InvalidPython => "invalid_python",
        simpy::ErrorKind::InvalidSimpy => "invalid_simpy",
        simpy::ErrorKind::Limit => "limit",
        simpy::ErrorKind::Internal => "internal",
    }
}

/// `SimpyError`'s arguments for an error: kind, line, col, message, hint, row.
type ErrorArgs<'e> = (
    &'static str,
    u32,
    u32,
    &'e str,
    Option<&'e str>,
    Option<usize>,
);

fn error_args(error: &simpy::Error, row: Option<usize>) -> ErrorArgs<'_> {
    let at = error.location;
    let hint = error.hint.as_deref();
    (
        kind_name(error.kind),
        at.line,
        at.col,
        &error.message,
        hint,
        row,
    )
}

/// A `SimpyError` instance (not raised), for a batch row or to raise.
pub(crate) fn error_value<'py>(
    py: Python<'py>,
    error: &simpy::Error,
    row: Option<usize>,
) -> PyResult<Bound<'py, PyAny>> {
    types::simpy_error(py)?.call1(error_args(error, row))
}

/// The exception to raise: `value`, or the error met while making it.
fn raised(value: PyResult<Bound<'_, PyAny>>) -> PyErr {
    match value {
        Ok(value) => PyErr::from_value(value),
        Err(e) => e,
    }
}

pub(crate) fn to_py_err(py: Python<'_>, error: &simpy::Error) -> PyErr {
    raised(error_value(py, error, None))
}

pub(crate) fn completion_value<'py>(
    py: Python<'py>,
    completion: &simpy::Completion,
) -> PyResult<Bound<'py, PyAny>> {
    let dropped = match completion.dropped {
        Some(d) => Some(types::dropped(py)?.call1((d.at, d.bytes))?),
        None => None,
    };
    types::completion(py)?.call1((
        &completion.python,
        completion.used,
        completion.stopped_at,
        dropped,
    ))
}

/// A continuation's error, as `CompletionError` (a `SimpyError`) with what decoded before it.
pub(crate) fn completion_err(py: Python<'_>, error: &simpy::CompletionError) -> PyErr {
    raised((|| {
        let kept = match &error.kept {
            Some(kept) => Some(completion_value(py, kept)?),
            None => None,
        };
        let (kind, line, col, message, hint, row) = error_args(&error.error, None);
        types::completion_error(py)?.call1((kind, line, col, message, hint, row, kept))
    })())
}

pub(crate) fn stop_rule(stop: &str) -> PyResult<Stop> {
    Ok(match stop {
        "block" => Stop::Block,
        "top-level" | "top_level" => Stop::TopLevel,
        "none" => Stop::None,
        "paper" => Stop::Paper,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown stop rule {other:?}; known: \"block\", \"top-level\", \"none\", \"paper\""
            )))
        }
    })
}

pub(crate) fn complete_options(stop: &str, max_bytes: Option<usize>) -> PyResult<CompleteOptions> {
    Ok(CompleteOptions {
        stop: stop_rule(stop)?,
        max_bytes,
    })
}

/// Python to canonical SimPy, or to SimPy in another dialect.
///
/// `src` is text, or bytes in any PEP 263 encoding. Comments are kept unless
/// `strip_comments`. `dialect` is a built-in name (`"simpy"`, `"compact"`) or a dialect
/// file's path (ValueError if neither). Raises `SimpyError` (kind "invalid_python" or
/// "limit") with the line and column of the problem. The GIL is released while it works.
#[pyfunction]
#[pyo3(signature = (src, *, strip_comments = false, dialect = "simpy"))]
fn encode(py: Python<'_>, src: Source, strip_comments: bool, dialect: &str) -> PyResult<String> {
    let dialect = self::dialect(dialect)?;
    py.detach(|| src.encode(strip_comments, &dialect))
        .map_err(|e| to_py_err(py, &e))
}

/// SimPy to clean (PEP 8) Python.
///
/// `simpy` is text or UTF-8 bytes. Malformed SimPy raises `SimpyError` (kind
/// "invalid_simpy") at the offending token, with a hint when one is known; it is never
/// guessed at. `dialect` as for `encode`.
#[pyfunction]
#[pyo3(signature = (simpy, *, strip_comments = false, dialect = "simpy"))]
fn decode(
    py: Python<'_>,
    simpy: SimpyText,
    strip_comments: bool,
    dialect: &str,
) -> PyResult<String> {
    let dialect = self::dialect(dialect)?;
    py.detach(|| simpy.decode(strip_comments, &dialect))
        .map_err(|e| to_py_err(py, &e))
}

/// Python as this package's Python printer writes it: the same AST and comments, PEP 8
/// layout, the source's blank lines kept. The baseline SimPy's token savings are measured
/// against.
#[pyfunction]
#[pyo3(signature = (src, *, strip_comments = false))]
fn normalize(py: Python<'_>, src: Source, strip_comments: bool) -> PyResult<String> {
    py.detach(|| src.normalize(strip_comments))
        .map_err(|e| to_py_err(py, &e))
}

/// The SimPy a model continues, for Python cut at the cursor (DualCode).
///
/// Blocks open at the cursor stay open (no `<block_end>` for them); an unfinished last line
/// is encoded as far as it is determined, and what is not yet is left out and said in
/// `Prompt.left_out`. For a valid file F cut at a line boundary, `encode(F)` starts with
/// `encode_prompt(F[:cut]).simpy`. A prompt no valid Python starts with raises `SimpyError`.
/// In a `dialect` (as for `encode`), the SimPy stops where what follows could still change
/// its spelling; the model writes the rest.
#[pyfunction]
#[pyo3(signature = (src, *, dialect = "simpy"))]
fn encode_prompt<'py>(py: Python<'py>, src: &str, dialect: &str) -> PyResult<Bound<'py, PyAny>> {
    let dialect = self::dialect(dialect)?;
    let prompt = py
        .detach(|| dialect.encode_prompt(src))
        .map_err(|e| to_py_err(py, &e))?;
    let left_out = match &prompt.left_out {
        Some(l) => Some(types::left_out(py)?.call1((&l.simpy, &l.python, &l.reason))?),
        None => None,
    };
    types::prompt(py)?.call1((prompt.simpy, prompt.inside_line, left_out))
}

/// The Python to insert at the end of `prompt` for a model's SimPy `continuation` of
/// `encode_prompt(prompt).simpy`, indented for the cursor's block.
///
/// `stop`: "block" ends where the block open at the cursor closes, "top-level" before the
/// next top-level statement, "none" never, "paper" by the paper's string stop words (for
/// comparison). `max_bytes` uses only that much of the continuation. A cut-off continuation
/// keeps its complete statements (`Completion.dropped` says what was lost); one that cannot
/// follow the prompt raises `CompletionError` with what decoded before it in `.kept`.
/// `dialect`: the continuation's, as `encode_prompt(prompt, dialect=…)` spelt the prompt.
#[pyfunction]
#[pyo3(signature = (prompt, continuation, *, stop = "block", max_bytes = None, dialect = "simpy"))]
fn complete<'py>(
    py: Python<'py>,
    prompt: &str,
    continuation: &str,
    stop: &str,
    max_bytes: Option<usize>,
    dialect: &str,
) -> PyResult<Bound<'py, PyAny>> {
    let options = complete_options(stop, max_bytes)?;
    let dialect = self::dialect(dialect)?;
    let completion = py
        .detach(|| dialect.complete(prompt, continuation, &options))
        .map_err(|e| completion_err(py, &e))?;
    completion_value(py, &completion)
}

#[pymodule]
#[pyo3(name = "_native")]
fn native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    #[allow(unsafe_code)]
    // SAFETY: the module's first code, run once: it has made no tree-sitter object, and any
    // other extension using tree-sitter holds its own copy of the C library.
    unsafe {
        simpy::tree_sitter_allocates_with_mimalloc();
    }
    m.add_function(wrap_pyfunction!(encode, m)?)?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add_function(wrap_pyfunction!(normalize, m)?)?;
    m.add_function(wrap_pyfunction!(encode_prompt, m)?)?;
    m.add_function(wrap_pyfunction!(complete, m)?)?;
    batch::register(m)?;
    vocabularies::register(m)?;
    stream::register(m)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
