//! DualCode: a model works in SimPy while a person works in Python. The person's code is a
//! prompt cut at the cursor (`encode_prompt`); the model's SimPy continuation becomes the
//! Python to insert there (`complete`).

pub(crate) mod complete;
pub(crate) mod dialect_stream;
mod lines;
mod prompt;
mod scope;
mod stream;
mod utf8;

pub use complete::{complete, CompleteOptions, Completion, CompletionError, Dropped, Stop};
pub use dialect_stream::DialectStream;
pub use prompt::{encode_prompt, LeftOut, Prompt};
pub use stream::CompletionStream;
