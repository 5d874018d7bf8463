//! How a diagnostic is shown to people; the one renderer of every error and warning, Python
//! or SimPy. Pure formatting; callers do the printing.

use crate::LineCol;

/// How many characters of the offending line to show on each side of the column: SimPy files
/// are often one long line.
const CONTEXT_CHARS: usize = 60;

/// `path:line:col: severity: message`, the part of the line around the column with a caret,
/// and `= help: …`. The one renderer of every diagnostic, Python or SimPy.
pub fn render_diagnostic(
    severity: &str,
    path: &str,
    location: LineCol,
    line_text: &str,
    message: &str,
    hint: Option<&str>,
) -> String {
    let message: String = message.chars().map(shown_char).collect();
    let mut out = format!(
        "{path}:{}:{}: {severity}: {message}\n",
        location.line, location.col
    );
    let line_no = location.line.to_string();
    let pad = " ".repeat(line_no.len());
    if !line_text.is_empty() {
        let col = location.col.saturating_sub(1) as usize;
        let skip = col.saturating_sub(CONTEXT_CHARS);
        let shown: String = line_text
            .chars()
            .skip(skip)
            .take(2 * CONTEXT_CHARS)
            .map(shown_char)
            .collect();
        let cut_before = if skip > 0 { "…" } else { "" };
        let cut_after = if line_text.chars().count() > skip + 2 * CONTEXT_CHARS {
            "…"
        } else {
            ""
        };
        let indent: String = shown
            .chars()
            .take(col - skip)
            .map(|c| if c == '\t' { '\t' } else { ' ' })
            .collect();
        let caret_pad = " ".repeat(cut_before.chars().count());
        out.push_str(&format!("{pad} |\n"));
        out.push_str(&format!("{line_no} | {cut_before}{shown}{cut_after}\n"));
        out.push_str(&format!("{pad} | {caret_pad}{indent}^\n"));
    }
    if let Some(hint) = hint {
        let hint: String = hint.chars().map(shown_char).collect();
        out.push_str(&format!("{pad} = help: {hint}\n"));
    }
    out
}

/// How a character of the message or the offending line is shown: control characters as
/// their Unicode control pictures (`␀`, `␛`) and other characters Python's `repr` escapes as
/// `�`, so a binary or hostile line cannot drive the terminal; one column each, so the caret
/// stays under its column.
fn shown_char(c: char) -> char {
    match c {
        '\t' => '\t',
        '\0'..='\x1f' => char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}'),
        '\x7f' => '\u{2421}',
        c if !crate::is_printable(c as u32) => '\u{fffd}',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_shown_as_pictures_and_the_caret_stays_under_its_column() {
        let at = LineCol { line: 1, col: 5 };
        let shown = render_diagnostic("error", "f", at, "a\0\x1b[\u{202e}x", "bad", None);
        assert_eq!(shown, "f:1:5: error: bad\n  |\n1 | a␀␛[�x\n  |     ^\n");
    }
}
