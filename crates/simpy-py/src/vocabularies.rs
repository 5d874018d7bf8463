//! Tokenizers with SimPy's tokens: `count_tokens` and the `Vocabulary` class.
//!
//! Each tokenizer is loaded once per process and kept for its life (as tiktoken's encodings
//! are): a stream decoding ids borrows it, and there are as many as names and paths asked for.

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use simpy_tokens::{SimpyVocabulary, Tokenizer};
use std::collections::HashMap;
use std::sync::Mutex;

/// The vocabulary a name (any alias, any case) or a path to a `tokenizer.json` stands for,
/// with `idioms` idiom tokens after SimPy's (a dialect's).
pub(crate) fn vocabulary(
    py: Python<'_>,
    spec: &str,
    idioms: usize,
) -> PyResult<&'static SimpyVocabulary> {
    type Key = (String, usize);
    static LOADED: Mutex<Option<HashMap<Key, &'static SimpyVocabulary>>> = Mutex::new(None);
    let name = simpy_tokens::canonical_name(spec)
        .unwrap_or(spec)
        .to_owned();
    let key = (name, idioms);
    if let Some(v) = LOADED
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get_or_insert_default()
        .get(&key)
    {
        return Ok(v);
    }
    // Loading can take a second (a GGUF vocabulary): without the GIL, and without the lock, so
    // two threads may both load one; the first kept wins.
    let loaded = py
        .detach(|| Tokenizer::named_or_path(&key.0))
        .map_err(|e| PyValueError::new_err(e.to_string()))?
        .with_simpy_tokens()
        .with_idioms(idioms);
    let mut guard = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    let map = guard.get_or_insert_default();
    Ok(*map
        .entry(key)
        .or_insert_with(|| Box::leak(Box::new(loaded))))
}

/// Tokens of `text` for a tokenizer, each of SimPy's tokens counted as one (as a tokenizer
/// that carries them as added tokens counts them; `simpy report` counts the same way).
///
/// `tokenizer`: gpt4, gpt35, gpt4o, codex, gpt2, codebert, codellama, starcoder2,
/// deepseek-coder, qwen2.5-coder (aliases such as "cl100k_base" too), or a path to a
/// tokenizer.json. The last four need `scripts/fetch_tokenizers.sh`'s vocabularies.
#[pyfunction]
#[pyo3(signature = (text, tokenizer = "gpt4"))]
fn count_tokens(py: Python<'_>, text: &str, tokenizer: &str) -> PyResult<usize> {
    let vocabulary = vocabulary(py, tokenizer, 0)?;
    Ok(py.detach(|| vocabulary.tokenizer().count(text)))
}

/// A tokenizer with SimPy's tokens as single ids after its own: the ids of
/// `simpy tokenizer export`, and of `CompletionStream(..., tokenizer=...)`.
///
/// `encode(text)` gives ids (each SimPy token one id), `decode(ids)` the text back byte for
/// byte, `token_id("<block_start>")` one token's id. With `dialect` (a name or a dialect
/// file), the dialect's idioms `<@0>`, `<@1>`, … are single ids after SimPy's tokens, as
/// `simpy tokenizer export --dialect` writes them. Picklable.
#[pyclass(frozen, module = "simpy_grammar")]
pub(crate) struct Vocabulary {
    /// What it was asked for by (kept for pickling).
    spec: String,
    /// The dialect asked for (kept for pickling and messages).
    pub(crate) dialect: Option<String>,
    /// That dialect as read, so a stream need not read its file again.
    pub(crate) read: Option<simpy::Dialect>,
    pub(crate) inner: &'static SimpyVocabulary,
}

#[pymethods]
impl Vocabulary {
    #[new]
    #[pyo3(signature = (tokenizer = "gpt4", dialect = None))]
    fn new(py: Python<'_>, tokenizer: &str, dialect: Option<String>) -> PyResult<Self> {
        let read = dialect.as_deref().map(crate::dialect).transpose()?;
        let idioms = read.as_ref().map_or(0, |d| d.idioms.len());
        Ok(Vocabulary {
            spec: tokenizer.to_owned(),
            inner: vocabulary(py, tokenizer, idioms)?,
            dialect,
            read,
        })
    }

    #[getter]
    fn name(&self) -> &str {
        self.inner.name()
    }

    /// Every id is below this: the base's ids, then SimPy's, then the dialect's idioms.
    fn __len__(&self) -> usize {
        self.inner.len() as usize
    }

    /// The ids of SimPy text: each SimPy token one id, the text between as the base splits it.
    fn encode(&self, py: Python<'_>, text: &str) -> Vec<u32> {
        py.detach(|| self.inner.encode(text))
    }

    /// The text of ids, SimPy's tokens written exactly as spelt (no spaces around them).
    fn decode(&self, ids: Vec<u32>) -> PyResult<String> {
        self.inner
            .decode(&ids)
            .map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// `count_tokens(text, this tokenizer)`.
    fn count(&self, text: &str) -> usize {
        self.inner.tokenizer().count(text)
    }

    /// The id of one of SimPy's tokens or the dialect's idioms, spelt as in SimPy
    /// (`"<block_start>"`, `"<@3>"`).
    fn token_id(&self, token: &str) -> PyResult<u32> {
        self.inner
            .added_id(token)
            .ok_or_else(|| PyValueError::new_err(format!("{token:?} is not a SimPy token")))
    }

    /// Every SimPy token (and idiom of the dialect) with its id.
    fn simpy_token_ids(&self) -> Vec<(String, u32)> {
        self.inner
            .added()
            .map(|(t, id)| (t.text().into_owned(), id))
            .collect()
    }

    #[allow(clippy::type_complexity)]
    fn __reduce__<'py>(
        slf: &Bound<'py, Self>,
    ) -> PyResult<(Bound<'py, PyAny>, (String, Option<String>))> {
        let this = slf.get();
        Ok((
            slf.get_type().into_any(),
            (this.spec.clone(), this.dialect.clone()),
        ))
    }

    fn __repr__(&self) -> String {
        match &self.dialect {
            Some(d) => format!("Vocabulary({:?}, dialect={d:?})", self.spec),
            None => format!("Vocabulary({:?})", self.spec),
        }
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(count_tokens, m)?)?;
    m.add_class::<Vocabulary>()?;
    Ok(())
}
