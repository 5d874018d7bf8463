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
