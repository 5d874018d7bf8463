//! Dialects over the whole standard library: every choice alone and all together read back
//! to the canonical SimPy byte for byte, and `compact` decodes to Python that encodes back to
//! the same canonical SimPy, comments and all.

use rayon::prelude::*;
use simpy::{Dialect, EncodeOptions};
use simpy_testkit::cpython as support;

fn dialects() -> Vec<Dialect> {
    let mut dialects = vec![Dialect::compact()];
    for (choice, _) in Dialect::choices() {
        let file = format!(
            r#"{{"simpy_dialect": 1, "name": "{choice}", "choices": {{"{choice}": true}}}}"#
        );
        dialects.push(Dialect::from_json(&file).expect("a dialect of one choice"));
    }
    dialects
}

#[test]
fn every_dialect_reads_back_as_the_canonical_simpy_of_every_stdlib_file() {
    let dialects = dialects();
    let files = support::stdlib_files();
    let problems: Vec<String> = files
        .par_iter()
        .filter_map(|path| {
            let original = std::fs::read(path).expect("readable stdlib file");
            let canonical = simpy::encode_bytes(&original, &EncodeOptions::default()).ok()?;
            let name = path.display();
            let mut problems = Vec::new();
            for dialect in &dialects {
                let spelt = dialect.respell(&canonical).expect("canonical SimPy respells");
                match simpy_grammar::unspell(&spelt, dialect.spelling) {
                    Ok(back) if back.canonical == canonical => {}
                    Ok(back) => {
                        let at = first_difference(&back.canonical, &canonical);
                        problems.push(format!(
                            "{name}, {}: reads back differently at byte {at}:\n  read:      {:?}\n  canonical: {:?}",
                            dialect.name,
                            around(&back.canonical, at),
                            around(&canonical, at)
                        ));
                    }
                    Err(e) => problems.push(format!("{name}, {}: does not read back: {e:?}", dialect.name)),
                }
            }
            let compact = &dialects[0];
            let spelt = compact.respell(&canonical).expect("respells");
            match compact.decode_checked(&spelt, &Default::default()) {
                Ok(decoded) => {
                    if let Some(w) = decoded.non_canonical {
                        problems.push(format!("{name}: compact reads as non-canonical: {}", w.message));
                    }
                    if simpy::encode(&decoded.python).as_deref() != Ok(canonical.as_str()) {
                        problems.push(format!("{name}: compact decodes to Python that encodes differently"));
                    }
                }
                Err(e) => problems.push(format!("{name}: compact does not decode: {e}")),
            }
            (!problems.is_empty()).then(|| problems.join("\n"))
        })
        .collect();
    assert!(
        problems.is_empty(),
        "{} of {} files:\n{}",
        problems.len(),
        files.len(),
        problems
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

fn first_difference(a: &str, b: &str) -> usize {
    a.bytes()
        .zip(b.bytes())
        .position(|(x, y)| x != y)
        .unwrap_or(a.len().min(b.len()))
}

fn around(text: &str, at: usize) -> &str {
    let start = text.floor_char_boundary(at.saturating_sub(60));
    let end = text.floor_char_boundary((at + 60).min(text.len()));
    &text[start..end]
}
