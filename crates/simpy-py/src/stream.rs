//! The stream decoder behind `simpy_grammar.CompletionStream` (which adds pickling).

use crate::vocabularies::Vocabulary;
use crate::{complete_options, completion_err, completion_value, Source};
use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use simpy_tokens::IdDecoder;
use std::sync::Mutex;

struct State {
    /// `None` once finished.
    stream: Option<simpy::DialectStream>,
    ids: Option<IdDecoder<'static>>,
}

/// The native stream decoder; use `simpy_grammar.CompletionStream`, which wraps it.
#[pyclass(frozen, module = "simpy_grammar._native")]
struct Stream {
    state: Mutex<State>,
}

impl Stream {
    fn with<R>(&self, f: impl FnOnce(&mut State) -> PyResult<R>) -> PyResult<R> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        f(&mut state)
    }
}

fn finished() -> PyErr {
    PyRuntimeError::new_err("the stream is finished")
}

#[pymethods]
impl Stream {
    #[new]
    #[pyo3(signature = (prompt, stop, max_bytes, vocabulary, dialect))]
    fn new(
        py: Python<'_>,
        prompt: &str,
        stop: &str,
        max_bytes: Option<usize>,
        vocabulary: Option<PyRef<'_, Vocabulary>>,
        dialect: Option<&str>,
    ) -> PyResult<Self> {
        let options = complete_options(stop, max_bytes)?;
        // The tokenizer's dialect, unless another is named: its idioms are the tokenizer's ids.
        let carried = vocabulary.as_ref().and_then(|v| v.read.clone());
        let dialect = match (dialect.map(crate::dialect).transpose()?, carried) {
            (Some(named), Some(carried)) if named != carried => {
                return Err(PyValueError::new_err(format!(
                    "the tokenizer carries the dialect {:?}, not {:?}: its ids are that \
                     dialect's text",
                    carried.name, named.name
                )))
            }
            (named, carried) => named.or(carried).unwrap_or_else(simpy::Dialect::simpy),
        };
        let stream = py
            .detach(|| simpy::DialectStream::new(&dialect, prompt, &options))
            .map_err(|e| completion_err(py, &e))?;
        Ok(Stream {
            state: Mutex::new(State {
                stream: Some(stream),
                ids: vocabulary.map(|v| v.inner.decoder()),
            }),
        })
    }

    /// The Python the chunk (text or UTF-8 bytes) makes final.
    fn push(&self, py: Python<'_>, chunk: Source) -> PyResult<String> {
        let bytes = match &chunk {
            Source::Text(text) => text.as_bytes(),
            Source::Bytes(bytes) => bytes.as_slice(),
        };
        self.with(|state| {
            let stream = state.stream.as_mut().ok_or_else(finished)?;
            stream.push(bytes).map_err(|e| completion_err(py, &e))
        })
    }

    /// The Python the token ids make final.
    fn push_ids(&self, py: Python<'_>, ids: Vec<u32>) -> PyResult<String> {
        self.with(|state| {
            let (Some(stream), Some(decoder)) = (state.stream.as_mut(), state.ids.as_mut()) else {
                return Err(match state.stream {
                    None => finished(),
                    Some(_) => PyValueError::new_err(
                        "this stream has no tokenizer: pass tokenizer= to take token ids",
                    ),
                });
            };
            let mut bytes = Vec::new();
            for id in ids {
                bytes.extend(
                    decoder
                        .push(id)
                        .map_err(|e| PyValueError::new_err(e.to_string()))?,
                );
            }
            stream.push(&bytes).map_err(|e| completion_err(py, &e))
        })
    }

    /// (the last Python, the whole `Completion`).
    fn finish<'py>(&self, py: Python<'py>) -> PyResult<(String, Bound<'py, PyAny>)> {
        self.with(|state| {
            let stream = state.stream.take().ok_or_else(finished)?;
            let (last, completion) = stream.finish().map_err(|e| completion_err(py, &e))?;
            Ok((last, completion_value(py, &completion)?))
        })
    }

    #[getter]
    fn done(&self) -> PyResult<bool> {
        self.with(|state| Ok(state.stream.as_ref().is_none_or(|s| s.is_done())))
    }
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Stream>()
}
