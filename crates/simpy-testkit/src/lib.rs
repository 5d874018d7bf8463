//! Test support shared by the simpy crates (a dev-dependency only): [`cpython`] runs the
//! machine's `python3` as the oracle and finds its standard library; [`arbitrary`] generates
//! random trees for property tests; [`bpe`] writes a small byte-level BPE vocabulary;
//! [`humaneval`] loads HumanEval's problems.
//!
//! It does IO (it runs `python3`) and panics on a broken oracle: it is for tests.

pub mod arbitrary;
pub mod bpe;
pub mod cpython;
pub mod humaneval;
