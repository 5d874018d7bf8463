//! DualCode: a model works in SimPy while a person works in Python. The person's code is a
//! prompt cut at the cursor (`encode_prompt`).

mod lines;
mod prompt;

pub use prompt::{encode_prompt, LeftOut, Prompt};
