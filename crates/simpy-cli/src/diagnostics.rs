//! How parse errors are shown to people: `path:line:col: error: message`, the line, a caret.

use simpy_python::{ErrorFamily, LocatedError};
use std::fmt::Write;
use std::process::ExitCode;

pub fn headline(path: &str, err: &LocatedError) -> String {
    format!("{path}:{}:{}: error: {}", err.location.line, err.location.col, err.error)
}

/// The headline, then the offending line with a caret under the column.
pub fn render(path: &str, err: &LocatedError) -> String {
    let mut out = headline(path, err);
    out.push('\n');
    if !err.line_text.is_empty() {
        let line_no = err.location.line.to_string();
        let pad = " ".repeat(line_no.len());
        let indent: String = err
            .line_text
            .chars()
            .take(err.location.col.saturating_sub(1) as usize)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        writeln!(out, "{pad} |").unwrap();
        writeln!(out, "{line_no} | {}", err.line_text).unwrap();
        writeln!(out, "{pad} | {indent}^").unwrap();
    }
    out
}

/// 1 for bad input, 2 when the failure is the tool's own.
pub fn exit_code_for(err: &LocatedError) -> ExitCode {
    match err.kind().family() {
        ErrorFamily::Internal => ExitCode::from(2),
        ErrorFamily::InvalidInput | ErrorFamily::Limit => ExitCode::from(1),
    }
}
