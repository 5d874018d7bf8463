//! Dialects over the whole standard library: every choice alone and all together, and
//! `compact` with idioms learnt from a twentieth of it, read back to the canonical SimPy byte
//! for byte, and decode to Python that encodes back to the same canonical SimPy, comments and
//! all.

use rayon::prelude::*;
use simpy::{Dialect, EncodeOptions, IdiomKinds};
use simpy_testkit::cpython as support;

fn dialects() -> Vec<Dialect> {
    let mut dialects = vec![Dialect::compact()];
    for (choice, _) in Dialect::choices() {
        let file = format!(
            r#"{{"simpy_dialect": 1, "name": "{choice}", "choices": {{"{choice}": true}}}}"#
        );
        dialects.push(Dialect::from_json(&file).expect("a dialect of one choice"));
    }
    dialects.push(learnt());
    dialects
}

/// `compact` with idioms learnt from every 20th stdlib file (a token is about four bytes).
fn learnt() -> Dialect {
    let mut dialect = Dialect::compact();
    dialect.name = "learnt".to_owned();
    let canonical: Vec<String> = support::stdlib_files()
        .iter()
        .step_by(20)
        .filter_map(|p| simpy::encode(&std::fs::read_to_string(p).ok()?).ok())
        .collect();
    dialect
        .learn_idioms(
            canonical.iter().map(String::as_str),
            IdiomKinds::All,
            300,
            4,
            |t| t.len().div_ceil(4),
        )
        .expect("idioms are learnt");
    assert_eq!(dialect.idioms.len(), 300);
    dialect
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
                match dialect.canonical(&spelt) {
                    Ok(back) if back == canonical => {}
                    Ok(back) => {
                        let at = first_difference(&back, &canonical);
                        problems.push(format!(
                            "{name}, {}: reads back differently at byte {at}:\n  read:      {:?}\n  canonical: {:?}",
                            dialect.name,
                            around(&back, at),
                            around(&canonical, at)
                        ));
                    }
                    Err(e) => problems.push(format!("{name}, {}: does not read back: {e}", dialect.name)),
                }
            }
            for dialect in [&dialects[0], dialects.last().expect("learnt")] {
                let spelt = dialect.respell(&canonical).expect("respells");
                let d = &dialect.name;
                match dialect.decode_checked(&spelt, &Default::default()) {
                    Ok(decoded) => {
                        if let Some(w) = decoded.non_canonical {
                            problems.push(format!("{name}: {d} reads as non-canonical: {}", w.message));
                        }
                        let python = &decoded.python;
                        if dialect.encode_bytes(python.as_bytes(), &EncodeOptions::default()).as_deref() != Ok(spelt.as_str()) {
                            problems.push(format!("{name}: {d} decodes to Python that encodes differently"));
                        }
                    }
                    Err(e) => problems.push(format!("{name}: {d} does not decode: {e}")),
                }
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

/// DualCode in `compact`: stdlib files cut at line boundaries (every 25th file, 8 cuts each):
/// the file's compact SimPy starts with the prompt's, and the completion of the rest gives
/// the file's AST, as for canonical SimPy (`Limit` refusals are the canonical ones); the rest
/// streamed byte by byte and in 5-byte chunks gives the same completion.
#[test]
fn compact_prompts_are_prefixes_and_their_completions_give_the_file() {
    let compact = Dialect::compact();
    let files: Vec<_> = support::stdlib_files().into_iter().step_by(25).collect();
    let results: Vec<(usize, Vec<String>)> = files
        .par_iter()
        .filter_map(|path| {
            let source = std::fs::read_to_string(path).ok()?;
            let whole = compact.respell(&simpy::encode(&source).ok()?).ok()?;
            let want = simpy_ast::dump(&simpy::parse_str(&source).ok()?.module);
            let breaks: Vec<usize> = source.match_indices('\n').map(|(i, _)| i + 1).collect();
            let mut problems = Vec::new();
            let mut cuts = 0;
            for cut in breaks.iter().step_by((breaks.len() / 8).max(1)) {
                let prompt = &source[..*cut];
                let Ok(spelt) = compact.encode_prompt(prompt) else {
                    continue;
                };
                let name = format!("{}:{cut}", path.display());
                let Some(rest) = whole.strip_prefix(&spelt.simpy) else {
                    problems.push(format!(
                        "{name}: not a prefix: {:?}",
                        spelt.simpy.get(spelt.simpy.len().saturating_sub(60)..)
                    ));
                    continue;
                };
                let options = simpy::CompleteOptions {
                    stop: simpy::Stop::None,
                    max_bytes: None,
                };
                let done = compact.complete(prompt, rest, &options);
                if done.is_ok() {
                    for size in [1, 5] {
                        if let Err(e) =
                            streams_as_completed(&compact, prompt, rest, &options, size, &done)
                        {
                            problems.push(format!("{name}: in chunks of {size}: {e}"));
                        }
                    }
                }
                match done {
                    Ok(done) => {
                        let glued = format!("{prompt}{}", done.python);
                        match simpy::parse_str(&glued) {
                            Ok(p) if simpy_ast::dump(&p.module) == want => cuts += 1,
                            _ => problems
                                .push(format!("{name}: prompt and completion are not the file")),
                        }
                    }
                    Err(e) if e.error.kind == simpy::ErrorKind::Limit => {}
                    Err(e) => problems.push(format!("{name}: {e}")),
                }
            }
            Some((cuts, problems))
        })
        .collect();
    let cuts = passed_without_problems(&results);
    assert!(cuts > 300, "only {cuts} cuts completed");
}

/// The number of passes of each file's (passes, problems), once no file has a problem.
fn passed_without_problems(results: &[(usize, Vec<String>)]) -> usize {
    let problems: Vec<&String> = results.iter().flat_map(|(_, p)| p).collect();
    assert!(
        problems.is_empty(),
        "{} problems:\n{:?}",
        problems.len(),
        &problems[..problems.len().min(8)]
    );
    results.iter().map(|(c, _)| c).sum()
}

/// `continuation` pushed to a [`simpy::DialectStream`] in chunks of `size` bytes gives what
/// `complete` gave: the same Python, delta by delta, and the same offsets; or the same error.
fn streams_as_completed(
    dialect: &Dialect,
    prompt: &str,
    continuation: &str,
    options: &simpy::CompleteOptions,
    size: usize,
    done: &Result<simpy::Completion, Box<simpy::CompletionError>>,
) -> Result<(), String> {
    let streamed = stream(dialect, prompt, continuation, options, size);
    let (python, streamed) = match (streamed, done) {
        (Ok(streamed), Ok(_)) => streamed,
        (Err(e), Err(want)) if e == want.error.message => return Ok(()),
        (streamed, done) => {
            let done = done.as_ref().map_err(|e| &e.error.message);
            return Err(format!("streamed {streamed:?}, complete gave {done:?}"));
        }
    };
    let done = done.as_ref().expect("matched above");
    if python != streamed.python || streamed != *done {
        let at = first_difference(&python, &done.python);
        return Err(format!(
            "streamed {:?} (used {}, dropped {:?}), complete gave {:?} (used {}, dropped {:?})",
            around(&python, at),
            streamed.used,
            streamed.dropped,
            around(&done.python, at),
            done.used,
            done.dropped
        ));
    }
    Ok(())
}

/// The deltas of a stream fed `continuation` in chunks of `size` bytes, and its completion;
/// or its error's message.
fn stream(
    dialect: &Dialect,
    prompt: &str,
    continuation: &str,
    options: &simpy::CompleteOptions,
    size: usize,
) -> Result<(String, simpy::Completion), String> {
    let message = |e: Box<simpy::CompletionError>| e.error.message;
    let mut stream = simpy::DialectStream::new(dialect, prompt, options).map_err(message)?;
    let mut python = String::new();
    for chunk in continuation.as_bytes().chunks(size) {
        python += &stream.push(chunk).map_err(message)?;
        if stream.python() != python {
            return Err("the deltas are not what the stream says it emitted".to_owned());
        }
    }
    let (last, completion) = stream.finish().map_err(message)?;
    Ok((python + &last, completion))
}

/// Streaming in a dialect with idioms (learnt from the stdlib): every 40th stdlib file cut at
/// 4 line boundaries, the rest of its SimPy in that dialect streamed byte by byte and in
/// 3-byte chunks (idiom tokens split across chunks) gives what `complete` gives, and so do
/// the same continuations cut off at a third of their length.
#[test]
fn a_dialect_with_idioms_streams_as_it_completes() {
    let learnt = learnt();
    let files: Vec<_> = support::stdlib_files().into_iter().step_by(40).collect();
    let results: Vec<(usize, Vec<String>)> = files
        .par_iter()
        .filter_map(|path| {
            let source = std::fs::read_to_string(path).ok()?;
            // The prompt's idioms stop short of its last run of code, so the continuation is
            // the rest of the file's spelling with idioms applied to it alone.
            let spelling = learnt.spelling;
            let whole = simpy_grammar::respell(&simpy::encode(&source).ok()?, spelling).ok()?;
            let want = simpy_ast::dump(&simpy::parse_str(&source).ok()?.module);
            let breaks: Vec<usize> = source.match_indices('\n').map(|(i, _)| i + 1).collect();
            let mut problems = Vec::new();
            let mut streams = 0;
            for cut in breaks.iter().step_by((breaks.len() / 4).max(1)) {
                let prompt = &source[..*cut];
                let Ok(canonical) = simpy::encode_prompt(prompt) else {
                    continue;
                };
                let name = format!("{}:{cut}", path.display());
                let spelt = simpy_grammar::respell_prefix(&canonical.simpy, spelling)
                    .expect("respells")
                    .0;
                let Some(rest) = whole.strip_prefix(&spelt) else {
                    problems.push(format!("{name}: not a prefix"));
                    continue;
                };
                let rest = learnt
                    .idioms
                    .apply(rest, spelling, false)
                    .expect("idioms apply");
                let rest = rest.as_str();
                let third = rest.floor_char_boundary(rest.len() / 3);
                for (rest, stop) in [
                    (rest, simpy::Stop::None),
                    (&rest[..third], simpy::Stop::Block),
                ] {
                    let options = simpy::CompleteOptions {
                        stop,
                        max_bytes: None,
                    };
                    // The whole rest completes to the file; cut off, it may also fail to (a block
                    // left with nothing in it), and the stream must fail alike.
                    let done = learnt.complete(prompt, rest, &options);
                    match &done {
                        Err(e) if e.error.kind == simpy::ErrorKind::Limit => continue,
                        Err(e) if stop == simpy::Stop::None => {
                            problems.push(format!("{name}: {e}"));
                            continue;
                        }
                        Err(_) => {}
                        Ok(done) => {
                            let glued = simpy::parse_str(&format!("{prompt}{}", done.python));
                            if stop == simpy::Stop::None
                                && glued.map(|p| simpy_ast::dump(&p.module)).ok()
                                    != Some(want.clone())
                            {
                                problems.push(format!(
                                    "{name}: prompt and completion are not the file"
                                ));
                            }
                        }
                    }
                    for size in [1, 3] {
                        match streams_as_completed(&learnt, prompt, rest, &options, size, &done) {
                            Ok(()) => streams += 1,
                            Err(e) => {
                                problems.push(format!("{name} ({stop:?}, chunks of {size}): {e}"))
                            }
                        }
                    }
                }
            }
            Some((streams, problems))
        })
        .collect();
    let streams = passed_without_problems(&results);
    assert!(streams > 200, "only {streams} streams compared");
}

/// A prompt that ends inside a string (its SimPy holds the string so far): in every dialect
/// the code before it is spelt and the string follows as typed; a cut-off f-string, whose
/// fields are code, is left out. The continuation completes it as in canonical SimPy.
#[test]
fn a_prompt_ending_inside_a_string_is_spelt_up_to_it_in_every_dialect() {
    for dialect in dialects() {
        for (prompt, continuation, want) in [
            ("x = 'a', U\"", "b\"", "b\"\n"),
            ("x = 'a', \"b", "c\"", "c\"\n"),
            ("x = 'a', \"\"\"b\n\nc", "d\"\"\"", "d\"\"\"\n"),
        ] {
            let spelt = dialect
                .encode_prompt(prompt)
                .unwrap_or_else(|e| panic!("{}: {prompt:?}: {e}", dialect.name))
                .simpy;
            let canonical = simpy::encode_prompt(prompt).expect("encodes").simpy;
            let string = &canonical[canonical.rfind(' ').expect("after the space") + 1..];
            assert!(spelt.ends_with(string), "{}: {spelt:?}", dialect.name);
            let options = simpy::CompleteOptions::default();
            let completion = dialect
                .complete(prompt, continuation, &options)
                .unwrap_or_else(|e| panic!("{}: {prompt:?}: {e}", dialect.name));
            assert_eq!(completion.python, want, "{}: {prompt:?}", dialect.name);
        }
        let spelt = dialect
            .encode_prompt("x = 'a', f\"b{x")
            .unwrap_or_else(|e| panic!("{}: {e}", dialect.name));
        assert!(!spelt.simpy.contains("f\""), "{}: {spelt:?}", dialect.name);
    }
}

/// A continuation cut off inside an f-string's format spec is dropped with its statement, as
/// in canonical SimPy (reading it back used to loop for ever: the text before the cut read
/// as unterminated at the same place again). Found by the `stream` fuzz target.
#[test]
fn a_continuation_cut_in_a_format_spec_is_dropped_in_every_dialect() {
    let prompt = "x = 1\n";
    let options = simpy::CompleteOptions {
        stop: simpy::Stop::None,
        max_bytes: None,
    };
    for dialect in dialects() {
        for continuation in ["z=f\"{x:m<line_s", "z=f\"{x:{w}.", "z=f\"{f'{x:"] {
            let whole = dialect
                .complete(prompt, continuation, &options)
                .unwrap_or_else(|e| panic!("{}: {continuation:?}: {e}", dialect.name));
            assert_eq!(whole.python, "", "{}: {continuation:?}", dialect.name);
            let dropped = whole.dropped.expect("the statement is dropped");
            assert_eq!((dropped.at, dropped.bytes), (0, continuation.len()));
            let mut stream =
                simpy::DialectStream::new(&dialect, prompt, &options).expect("streams");
            for byte in continuation.as_bytes().chunks(1) {
                assert_eq!(stream.push(byte).expect("takes the byte"), "");
            }
            let (_, streamed) = stream.finish().expect("finishes");
            assert_eq!(streamed, whole, "{}: {continuation:?}", dialect.name);
        }
    }
}

/// `grammar/simpy.compact.*` are what the export writes for `compact` today (`bash
/// scripts/export_grammars.sh`); the engines run them in `crates/simpy-py/tests`.
#[test]
fn the_grammars_of_compact_in_grammar_are_up_to_date() {
    for format in simpy::GrammarFormat::ALL {
        let path = format!(
            "{}/../../grammar/{}",
            env!("CARGO_MANIFEST_DIR"),
            format.file_name_of("compact")
        );
        let written = Dialect::compact().grammar(format);
        assert!(
            std::fs::read_to_string(&path).is_ok_and(|committed| committed == written),
            "{path} is stale: run `bash scripts/export_grammars.sh`"
        );
        assert_eq!(
            Dialect::simpy().grammar(format),
            simpy::export_grammar(format),
            "the canonical dialect's grammar is the canonical grammar"
        );
    }
}

#[test]
fn a_dialect_with_idioms_has_the_grammar_of_its_spellings() {
    let mut dialect = Dialect::compact();
    dialect.idioms = simpy::Dialect::from_json(
        r#"{"simpy_dialect": 1, "name": "mine", "idioms": [["<line_sep>", "<return>"]]}"#,
    )
    .expect("a dialect file")
    .idioms;
    let rules = |grammar: &str| -> Vec<String> {
        grammar
            .lines()
            .filter(|line| !line.starts_with("//"))
            .map(str::to_owned)
            .collect()
    };
    let format = simpy::GrammarFormat::Llguidance;
    let with_idioms = dialect.grammar(format);
    assert_eq!(
        rules(&with_idioms),
        rules(&Dialect::compact().grammar(format))
    );
    assert!(
        with_idioms.contains("with its idiom written out"),
        "{with_idioms}"
    );
}

/// `"literals": "normalized"`: numbers, bytes and strings written from their values (the
/// same AST by CPython's `ast.dump`), triple-quoted strings and f-strings as written, and
/// encoding the decoded Python gives the same text again.
#[test]
fn a_dialect_that_normalizes_literals_writes_them_from_their_values() {
    let dialect = Dialect::from_json(
        r#"{"simpy_dialect": 1, "name": "n", "choices": {"line_sep_as_newline": true}, "literals": "normalized"}"#,
    )
    .expect("a dialect file");
    assert_eq!(dialect.literals, simpy::Literals::Normalized);
    assert_eq!(Dialect::from_json(&dialect.to_json()), Ok(dialect.clone()));
    let source = "x = 0xFF + 1_000 + 1E3 + 2J + 0o17\n\
                  s = ('a'  # one\n     \"b\")\n\
                  b = b\"x\" b'\\x00'\n\
                  u = u\"q\"\n\
                  def f():\n    \"\"\"Doc\n    more\"\"\"\n    return f\"{x!r:>{w}}\" \"t\"\n";
    let spelt = dialect
        .encode(source, &Default::default())
        .expect("encodes");
    for normalized in [
        "255",
        "1000",
        "1000.0",
        "2j",
        "15",
        "'ab'",
        r"b'x\x00'",
        "u'q'",
    ] {
        assert!(spelt.contains(normalized), "no {normalized} in {spelt}");
    }
    for kept in ["\"\"\"Doc\n    more\"\"\"", "f\"{x!r:>{w}}\"", "# one"] {
        assert!(spelt.contains(kept), "no {kept} in {spelt}");
    }
    assert!(
        !spelt.contains("0xFF") && !spelt.contains("1_000"),
        "{spelt}"
    );
    let python = dialect
        .decode_with(&spelt, &Default::default())
        .expect("decodes");
    let verdicts = support::cpython_parse(&[source.as_bytes(), python.as_bytes()]);
    assert!(verdicts[0].is_ok(), "{:?}", verdicts[0]);
    assert_eq!(verdicts[0], verdicts[1], "{python}");
    assert_eq!(dialect.encode(&python, &Default::default()), Ok(spelt));

    let kept = Dialect::from_json(r#"{"simpy_dialect": 1, "name": "k"}"#).expect("a dialect");
    assert_eq!(kept.literals, simpy::Literals::Kept);
    let error = Dialect::from_json(r#"{"simpy_dialect": 1, "name": "k", "literals": "repr"}"#)
        .expect_err("not a literals setting");
    assert!(
        error.contains("\"kept\"") && error.contains("\"normalized\""),
        "{error}"
    );
}
