//! Exit codes for parse failures.

use simpy_python::{ErrorFamily, LocatedError};
use std::process::ExitCode;

/// 1 for bad input, 2 when the failure is the tool's own.
pub fn exit_code_for(err: &LocatedError) -> ExitCode {
    match err.kind().family() {
        ErrorFamily::Internal => ExitCode::from(2),
        ErrorFamily::InvalidInput | ErrorFamily::Limit => ExitCode::from(1),
    }
}

/// A run refused because of what the user asked for (two inputs bound for one output): exit 1,
/// as for bad input, not 2.
#[derive(Debug)]
pub struct BadInput(pub String);

impl std::fmt::Display for BadInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for BadInput {}
