//! Python → SimPy → Python over the whole standard library, CPython as the judge: the decoded
//! Python has the same `ast.dump` as the original, encoding it again gives the same SimPy
//! byte for byte, `decode` finds it canonical, and no comment is lost. With literal spellings
//! kept, and written from their values (`Literals::Normalized`, a dialect's choice).

use simpy::{EncodeOptions, Literals};
use simpy_testkit::cpython as support;

use rayon::prelude::*;

struct RoundTrip {
    name: String,
    original: Vec<u8>,
    decoded: String,
    problems: Vec<String>,
}

#[test]
fn every_stdlib_file_survives_encode_and_decode() {
    survive_encode_and_decode(Literals::Kept);
}

#[test]
fn every_stdlib_file_with_literals_normalized_survives_encode_and_decode() {
    survive_encode_and_decode(Literals::Normalized);
}

/// Every stdlib file, encoded with `literals`.
fn survive_encode_and_decode(literals: Literals) {
    let options = EncodeOptions {
        literals,
        ..Default::default()
    };
    let files = support::stdlib_files();
    let results: Vec<RoundTrip> = files
        .par_iter()
        .filter_map(|path| {
            let original = std::fs::read(path).expect("readable stdlib file");
            let parsed = simpy_python::parse_module(&original).ok()?;
            let name = path.display().to_string();
            let mut problems = Vec::new();
            let encoded = simpy::encode_parsed(&parsed, &options);
            let decoded = match simpy::decode_checked(&encoded, &Default::default()) {
                Ok(d) => {
                    if let Some(w) = d.non_canonical {
                        problems.push(format!("{name}: encode's own output reads as non-canonical: {}", w.message));
                    }
                    d.python
                }
                Err(e) => {
                    let context: String = e.line_text.chars().skip(e.location.col.saturating_sub(60) as usize).take(120).collect();
                    problems.push(format!("{name}: decode failed: {e}\n    {context}"));
                    String::new()
                }
            };
            if problems.is_empty() {
                match simpy::encode_with(&decoded, &options) {
                    Ok(again) if again == encoded => {}
                    Ok(again) => {
                        let at = again
                            .bytes()
                            .zip(encoded.bytes())
                            .position(|(a, b)| a != b)
                            .unwrap_or(again.len().min(encoded.len()));
                        let from = at.saturating_sub(80);
                        problems.push(format!(
                            "{name}: encoding the decoded Python differs at byte {at}:\n  first:  {}\n  second: {}",
                            encoded.get(from..(at + 80).min(encoded.len())).unwrap_or(""),
                            again.get(from..(at + 80).min(again.len())).unwrap_or("")
                        ));
                    }
                    Err(e) => problems.push(format!("{name}: decoded Python does not parse: {e}")),
                }
                let comments = simpy::parse_simpy(&encoded).map(|p| p.comments.len());
                if comments != Ok(parsed.comments.len()) {
                    problems.push(format!(
                        "{name}: {} comments, {:?} after encoding",
                        parsed.comments.len(),
                        comments
                    ));
                }
            }
            Some(RoundTrip {
                name,
                original,
                decoded,
                problems,
            })
        })
        .collect();
    assert!(
        results.len() > 1000,
        "only {} files converted",
        results.len()
    );

    let mut sources: Vec<&[u8]> = Vec::with_capacity(results.len() * 2);
    for r in &results {
        sources.push(&r.original);
        sources.push(r.decoded.as_bytes());
    }
    let verdicts = support::cpython_parse(&sources);
    let mut problems: Vec<String> = results.iter().flat_map(|r| r.problems.clone()).collect();
    let mut same = 0;
    for (r, pair) in results.iter().zip(verdicts.chunks(2)) {
        match (&pair[0], &pair[1]) {
            (Ok(want), Ok(got)) if want == got => same += 1,
            (Ok(_), Ok(_)) => problems.push(format!("{}: CPython sees a different AST", r.name)),
            (Ok(_), Err(e)) if r.problems.is_empty() => {
                problems.push(format!("{}: CPython rejects the decoded code: {e}", r.name))
            }
            _ => {}
        }
    }
    eprintln!(
        "{} files: {same} with identical ASTs after decode(encode(x)), {} problems",
        results.len(),
        problems.len()
    );
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
