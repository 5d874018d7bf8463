//! Batches: rows converted on a rayon pool with the GIL released. A bad row never fails the
//! batch (corpora hold Python 2 and broken files); `errors` says what stands in its place.
//!
//! The pools are the module's own, not rayon's global one, and are never used across a
//! `fork`: a forked child (`datasets.map(num_proc=…)`, `multiprocessing`) inherits a pool whose
//! threads it does not have, and waiting on them would hang. As Hugging Face `tokenizers`
//! does, a child forked after its parent ran a batch in parallel runs batches on the calling
//! thread unless `threads` asks for more, in which case it builds a pool of its own.

use crate::{error_value, SimpyText, Source};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

struct Pools {
    /// The process these pools' threads live in.
    pid: u32,
    by_threads: HashMap<usize, Arc<rayon::ThreadPool>>,
    /// This process was forked from one that had run batches in parallel.
    forked_after_parallel: bool,
}

static POOLS: Mutex<Option<Pools>> = Mutex::new(None);

/// `f` on this process's pools: those inherited through a `fork` are dropped first.
fn with_pools<R>(f: impl FnOnce(&mut Pools) -> R) -> R {
    // Taken with the GIL held and never held across a call into Python, so no fork (which
    // needs the GIL) happens while it is locked.
    let mut guard = POOLS.lock().unwrap_or_else(|e| e.into_inner());
    let pid = std::process::id();
    let pools = guard.get_or_insert_with(|| Pools {
        pid,
        by_threads: HashMap::new(),
        forked_after_parallel: false,
    });
    if pools.pid != pid {
        let inherited = std::mem::take(&mut pools.by_threads);
        pools.forked_after_parallel |= !inherited.is_empty();
        pools.pid = pid;
        // Their threads are the parent's; dropping them would signal threads that are not here.
        std::mem::forget(inherited);
    }
    f(pools)
}

/// The threads a batch asking for `threads` runs on here (`None`: one per core, or one in a
/// child forked after a parallel batch).
fn thread_count(pools: &Pools, threads: Option<usize>) -> PyResult<usize> {
    Ok(match threads {
        Some(0) => return Err(PyValueError::new_err("threads must be at least 1")),
        Some(n) => n,
        None if pools.forked_after_parallel => 1,
        None => std::thread::available_parallelism().map_or(1, |n| n.get()),
    })
}

/// The pool for `threads`, or `None` to run on the calling thread.
fn pool(threads: Option<usize>) -> PyResult<Option<Arc<rayon::ThreadPool>>> {
    with_pools(|pools| {
        let threads = thread_count(pools, threads)?;
        if threads == 1 {
            return Ok(None);
        }
        if let Some(pool) = pools.by_threads.get(&threads) {
            return Ok(Some(pool.clone()));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .thread_name(|i| format!("simpy-grammar-{i}"))
            .build()
            .map_err(|e| PyValueError::new_err(format!("cannot start {threads} threads: {e}")))?;
        let pool = Arc::new(pool);
        pools.by_threads.insert(threads, pool.clone());
        Ok(Some(pool))
    })
}

/// `f` over the rows, in order, with the GIL released.
fn run<T: Sync, R: Send>(
    py: Python<'_>,
    rows: &[T],
    threads: Option<usize>,
    f: impl Fn(&T) -> R + Sync + Send,
) -> PyResult<Vec<R>> {
    let pool = pool(threads)?;
    Ok(py.detach(|| match pool {
        Some(pool) => pool.install(|| rows.par_iter().map(&f).collect()),
        None => rows.iter().map(&f).collect(),
    }))
}

/// What a failed row becomes.
#[derive(Clone, Copy)]
enum OnError {
    /// `None`.
    None,
    /// The `SimpyError` itself (not raised), with its `row`.
    Return,
    /// The first failed row's error is raised.
    Raise,
}

impl OnError {
    fn parse(errors: &str) -> PyResult<OnError> {
        match errors {
            "none" => Ok(OnError::None),
            "return" => Ok(OnError::Return),
            "raise" => Ok(OnError::Raise),
            other => Err(PyValueError::new_err(format!(
                "errors must be \"none\", \"return\" or \"raise\", not {other:?}"
            ))),
        }
    }
}

/// The Python list of a batch's results. A row that was `None` stays `None`.
fn results(
    py: Python<'_>,
    results: Vec<Option<Result<String, simpy::Error>>>,
    errors: OnError,
) -> PyResult<Vec<Py<PyAny>>> {
    let mut out = Vec::with_capacity(results.len());
    for (row, result) in results.into_iter().enumerate() {
        out.push(match result {
            None => py.None(),
            Some(Ok(text)) => text.into_pyobject(py)?.into_any().unbind(),
            Some(Err(e)) => match errors {
                OnError::None => py.None(),
                OnError::Return => error_value(py, &e, Some(row))?.unbind(),
                OnError::Raise => {
                    let value = error_value(py, &e, Some(row))?;
                    return Err(PyErr::from_value(value));
                }
            },
        });
    }
    Ok(out)
}

/// `encode` of many sources at once, on `threads` threads (default: one per core) with the
/// GIL released, results in order.
///
/// A row that fails never fails the batch: with `errors="none"` it is `None`, with
/// `errors="return"` its `SimpyError` (with `.row`), with `errors="raise"` the first failed
/// row's error is raised. A `None` row gives `None`. In a child forked after a parallel batch
/// (`datasets.map(num_proc=…)`), batches run on the calling thread unless `threads` is given.
/// `dialect` as for `encode`.
#[pyfunction]
#[pyo3(signature = (sources, *, strip_comments = false, threads = None, errors = "none", dialect = "simpy"))]
fn encode_batch(
    py: Python<'_>,
    sources: Vec<Option<Source>>,
    strip_comments: bool,
    threads: Option<usize>,
    errors: &str,
    dialect: &str,
) -> PyResult<Vec<Py<PyAny>>> {
    let errors = OnError::parse(errors)?;
    let dialect = crate::dialect(dialect)?;
    let converted = run(py, &sources, threads, |row| {
        row.as_ref().map(|src| src.encode(strip_comments, &dialect))
    })?;
    results(py, converted, errors)
}

/// `decode` of many SimPy texts at once; rows, threads, `errors` and `dialect` as in
/// `encode_batch`.
#[pyfunction]
#[pyo3(signature = (texts, *, strip_comments = false, threads = None, errors = "none", dialect = "simpy"))]
fn decode_batch(
    py: Python<'_>,
    texts: Vec<Option<SimpyText>>,
    strip_comments: bool,
    threads: Option<usize>,
    errors: &str,
    dialect: &str,
) -> PyResult<Vec<Py<PyAny>>> {
    let errors = OnError::parse(errors)?;
    let dialect = crate::dialect(dialect)?;
    let converted = run(py, &texts, threads, |row| {
        row.as_ref()
            .map(|simpy| simpy.decode(strip_comments, &dialect))
    })?;
    results(py, converted, errors)
}

/// How many threads a batch with `threads=None` would use in this process now (1 in a child
/// forked after its parent ran a batch in parallel).
#[pyfunction]
fn default_threads() -> PyResult<usize> {
    with_pools(|pools| thread_count(pools, None))
}

pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(encode_batch, m)?)?;
    m.add_function(wrap_pyfunction!(decode_batch, m)?)?;
    m.add_function(wrap_pyfunction!(default_threads, m)?)?;
    Ok(())
}
