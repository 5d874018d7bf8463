//! Streaming: the deltas a `CompletionStream` emits, fed in chunks of any size down to one
//! byte, concatenate to what `complete` gives for the whole continuation — on HumanEval's
//! continuations, on continuations cut off anywhere, and on standard-library files cut at line
//! boundaries (whose completion with the rest of the file's SimPy has the file's AST).

use simpy::{complete, encode, encode_prompt, CompleteOptions, CompletionStream, Stop};
use simpy_testkit::cpython::stdlib_files;
use simpy_testkit::humaneval::{problems, RUN_ON};

/// Streams `continuation` in chunks of `size` bytes; the deltas and the final completion.
fn stream(
    prompt: &str,
    continuation: &str,
    options: &CompleteOptions,
    size: usize,
) -> Result<(String, simpy::Completion), String> {
    let mut s = CompletionStream::new(prompt, options).map_err(|e| e.to_string())?;
    let mut deltas = String::new();
    for chunk in continuation.as_bytes().chunks(size) {
        deltas += &s.push(chunk).map_err(|e| format!("push: {e}"))?;
    }
    let (last, completion) = s.finish().map_err(|e| format!("finish: {e}"))?;
    deltas += &last;
    Ok((deltas, completion))
}

/// The stream agrees with `complete`, chunked at each of `sizes`.
#[track_caller]
fn check(name: &str, prompt: &str, continuation: &str, options: &CompleteOptions, sizes: &[usize]) {
    let whole = complete(prompt, continuation, options);
    for &size in sizes {
        let streamed = stream(prompt, continuation, options, size);
        match (&whole, streamed) {
            (Ok(want), Ok((deltas, got))) => {
                assert_eq!(
                    deltas, want.python,
                    "{name}, chunks of {size}: deltas differ"
                );
                assert_eq!(&got, want, "{name}, chunks of {size}");
            }
            (Err(e), Ok((deltas, _))) => {
                panic!("{name}, chunks of {size}: complete fails ({e}), the stream gives\n{deltas}")
            }
            (Ok(want), Err(e)) => panic!(
                "{name}, chunks of {size}: the stream fails ({e}), complete gives\n{}",
                want.python
            ),
            (Err(_), Err(_)) => {}
        }
    }
}

fn options(stop: Stop) -> CompleteOptions {
    CompleteOptions {
        stop,
        max_bytes: None,
    }
}

#[test]
fn humaneval_continuations_stream_byte_by_byte_as_they_complete() {
    for p in problems() {
        let prompt = encode_prompt(&p.prompt).expect("prompt encodes").simpy;
        let run_on = encode(&format!("{}{}{RUN_ON}", p.prompt, p.solution)).expect("encodes");
        let continuation = &run_on[prompt.len()..];
        for stop in [Stop::Block, Stop::None] {
            check(
                &p.task_id,
                &p.prompt,
                continuation,
                &options(stop),
                &[1, 4, 13],
            );
        }
    }
}

#[test]
fn a_continuation_cut_off_anywhere_streams_what_complete_keeps() {
    for p in problems().iter().step_by(8) {
        let prompt = encode_prompt(&p.prompt).expect("prompt encodes").simpy;
        let run_on = encode(&format!("{}{}{RUN_ON}", p.prompt, p.solution)).expect("encodes");
        let continuation = &run_on[prompt.len()..];
        for cut in (0..=continuation.len()).filter(|c| continuation.is_char_boundary(*c)) {
            let name = format!("{} cut at {cut}", p.task_id);
            check(
                &name,
                &p.prompt,
                &continuation[..cut],
                &options(Stop::None),
                &[1],
            );
        }
    }
}

#[test]
fn the_byte_budget_cuts_the_stream_as_it_cuts_complete() {
    let p = &problems()[0];
    let prompt = encode_prompt(&p.prompt).expect("prompt encodes").simpy;
    let run_on = encode(&format!("{}{}{RUN_ON}", p.prompt, p.solution)).expect("encodes");
    let continuation = &run_on[prompt.len()..];
    for max in 0..continuation.len() {
        let options = CompleteOptions {
            stop: Stop::None,
            max_bytes: Some(max),
        };
        check(
            &format!("budget {max}"),
            &p.prompt,
            continuation,
            &options,
            &[1, 5],
        );
    }
}

/// Line cuts of standard-library files: the completion of the rest of `encode(F)` has F's
/// AST, and streaming it gives the same text. A sample in CI; `SIMPY_STREAM_FILES=all` takes
/// every file under 20 KB.
#[test]
fn stdlib_files_cut_at_lines_complete_to_their_own_tree_and_stream_alike() {
    use rayon::prelude::*;
    let all = std::env::var("SIMPY_STREAM_FILES").as_deref() == Ok("all");
    let (every_file, cuts_per_file) = if all { (1, 6) } else { (23, 3) };
    let files: Vec<_> = stdlib_files().into_iter().step_by(every_file).collect();
    let counts: Vec<[usize; 3]> = files
        .par_iter()
        .map(|path| {
            // [completed and streamed, refused as not completable yet, prompt not a prefix]
            let mut counts = [0; 3];
            let Ok(python) = std::fs::read_to_string(path) else {
                return counts;
            };
            if python.len() > 20_000 {
                return counts;
            }
            let Ok(whole) = encode(&python) else {
                return counts;
            };
            let want = simpy::parse_str(&python).expect("encodes, so parses");
            let cuts: Vec<usize> = std::iter::once(0)
                .chain(python.match_indices('\n').map(|(i, _)| i + 1))
                .collect();
            let step = cuts.len().div_ceil(cuts_per_file).max(1);
            let name = path.display().to_string();
            for &cut in cuts.iter().step_by(step) {
                let prompt = &python[..cut];
                let Ok(encoded) = encode_prompt(prompt) else {
                    panic!("{name} cut at {cut}: the prompt does not encode");
                };
                if !whole.starts_with(&encoded.simpy) {
                    counts[2] += 1; // prompt.rs tests the prompt itself
                    continue;
                }
                let rest = &whole[encoded.simpy.len()..];
                let completion = match complete(prompt, rest, &options(Stop::None)) {
                    Ok(completion) => completion,
                    // Its last lines are not in its SimPy yet (an `else:` holding an `if`), or
                    // the printer respells the unfinished line typed.
                    Err(e) if e.error.kind == simpy::ErrorKind::Limit => {
                        counts[1] += 1;
                        continue;
                    }
                    Err(e) => panic!("{name} cut at {cut}: {e}"),
                };
                let glued = simpy::parse_str(&format!("{prompt}{}", completion.python))
                    .unwrap_or_else(|e| panic!("{name} cut at {cut}: {e}"));
                assert_eq!(
                    simpy::ast::dump(&glued.module),
                    simpy::ast::dump(&want.module),
                    "{name} cut at {cut}: the completion does not give the file's tree"
                );
                check(
                    &format!("{name} cut at {cut}"),
                    prompt,
                    rest,
                    &options(Stop::None),
                    &[1],
                );
                counts[0] += 1;
            }
            counts
        })
        .collect();
    let total = |i: usize| counts.iter().map(|c| c[i]).sum::<usize>();
    eprintln!(
        "{} cuts completed and streamed, {} refused (`Limit`), {} skipped (prompt property, \
         see prompt.rs); {} files",
        total(0),
        total(1),
        total(2),
        files.len()
    );
    assert!(total(0) > 150, "only {} cuts checked", total(0));
    assert!(total(1) * 10 < total(0), "too many refused: {}", total(1));
}

/// `decode --stream`: a whole file pushed as chunks gives what `decode` gives. A sample in
/// 7-byte chunks in CI; `SIMPY_STREAM_FILES=all` takes every standard-library file, one byte at
/// a time (6 s in release on 2 cores).
#[test]
fn decoding_a_whole_file_as_a_stream_gives_decode() {
    use rayon::prelude::*;
    let all = std::env::var("SIMPY_STREAM_FILES").as_deref() == Ok("all");
    let (every_file, chunk) = if all { (1, 1) } else { (97, 7) };
    let files: Vec<_> = stdlib_files().into_iter().step_by(every_file).collect();
    let streamed: usize = files
        .par_iter()
        .map(|path| {
            let Ok(python) = std::fs::read_to_string(path) else {
                return 0;
            };
            let Ok(simpy) = encode(&python) else { return 0 };
            let (deltas, _) = stream("", &simpy, &options(Stop::None), chunk)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(deltas, simpy::decode(&simpy).unwrap(), "{}", path.display());
            1
        })
        .sum();
    eprintln!("{streamed} files streamed in chunks of {chunk} bytes");
    assert!(streamed * 2 > files.len());
}

/// A cursor inside a line: HumanEval solutions cut at every 5th character, continued with the
/// rest of the solved file's SimPy. The completion, appended to the prompt, gives the solved
/// file; the stream gives the same text.
#[test]
fn a_cursor_inside_a_line_completes_to_the_solved_function() {
    let (mut completed, mut refused) = (0, 0);
    for p in problems().iter().step_by(3) {
        let solved = format!("{}{}", p.prompt, p.solution);
        let want = simpy::ast::dump(&simpy::parse_str(&solved).expect("parses").module);
        let whole = encode(&solved).expect("encodes");
        for cut in (p.prompt.len()..solved.len()).step_by(5) {
            if !solved.is_char_boundary(cut) {
                continue;
            }
            let prompt = &solved[..cut];
            let encoded = encode_prompt(prompt).expect("a prefix of a valid file");
            assert!(
                whole.starts_with(&encoded.simpy),
                "{} cut at {cut}",
                p.task_id
            );
            let rest = &whole[encoded.simpy.len()..];
            let before: String = {
                let tail: Vec<char> = prompt.chars().rev().take(20).collect();
                tail.into_iter().rev().collect()
            };
            let name = format!("{} cut at {cut} ({before:?})", p.task_id);
            let completion = match complete(prompt, rest, &options(Stop::None)) {
                Ok(completion) => completion,
                Err(e) if e.error.kind == simpy::ErrorKind::Limit => {
                    refused += 1;
                    continue;
                }
                Err(e) => panic!("{name}: {e}"),
            };
            let glued = simpy::parse_str(&format!("{prompt}{}", completion.python))
                .unwrap_or_else(|e| panic!("{name}: {e}\n{prompt}|{}", completion.python));
            assert_eq!(simpy::ast::dump(&glued.module), want, "{name}");
            check(&name, prompt, rest, &options(Stop::None), &[1]);
            completed += 1;
        }
    }
    // Refused: the printer writes the line its own way (`(c == '7')` loses its parentheses),
    // so the typed part cannot be found in it.
    eprintln!("{completed} cursors inside lines completed, {refused} refused");
    assert!(completed > 500, "{completed} completed");
    assert!(refused * 10 < completed, "{refused} refused");
}

/// Code may spell the comment that marks the cursor and the name that stands for emitted
/// statements inside a stream's windows (`# simpy-cursor-7f3a`, `S_`), alone or inside longer
/// names and strings: the completion is still the continuation's own text, found by position,
/// not by name.
#[test]
fn code_that_spells_the_internal_marker_and_stub_completes_as_any_code() {
    let file = "x = '# simpy-cursor-7f3a'\n\
                def S_():\n    \
                    S_ = 1\n    \
                    if S_:\n        \
                        y = '# simpy-cursor-7f3a'  # simpy-cursor-7f3a\n        \
                        S_()\n    \
                    elif IS_S_:\n        \
                        S_S_ = 'S_'  # S_\n    \
                    return S_\n";
    let whole = encode(file).expect("encodes");
    for cut in file.match_indices('\n').map(|(i, _)| i + 1) {
        let prompt = &file[..cut];
        let encoded = encode_prompt(prompt).expect("a prefix of a valid file");
        let rest = whole
            .strip_prefix(encoded.simpy.as_str())
            .expect("the prompt's SimPy starts the file's");
        let completion = complete(prompt, rest, &options(Stop::None)).expect("completes");
        assert_eq!(
            format!("{prompt}{}", completion.python),
            file,
            "cut at {cut}"
        );
        check(
            &format!("cut at {cut}"),
            prompt,
            rest,
            &options(Stop::None),
            &[1, 3, 64],
        );
    }
}

/// Bytes that are not UTF-8 are an error at the byte, in every dialect, with what was emitted
/// before it kept; a character split between chunks is whole again.
#[test]
fn a_byte_that_is_not_utf8_is_an_error_at_it_and_a_split_character_waits() {
    let prompt = "def f(x):\n";
    let options = options(Stop::None);
    for dialect in [simpy::Dialect::simpy(), simpy::Dialect::compact()] {
        let spell = |canonical: &str| dialect.respell(canonical).expect("respells");
        let good = spell("<return>x<line_sep>y='é'");
        let mut s = simpy::DialectStream::new(&dialect, prompt, &options).expect("streams");
        let mut python = String::new();
        for byte in good.as_bytes().chunks(1) {
            python += &s.push(byte).expect("a split character waits");
        }
        python += &s.finish().expect("finishes").0;
        assert_eq!(python, "    return x\n    y = 'é'\n", "{}", dialect.name);

        let start = spell("<return>x<line_sep>y=");
        let mut bad = start.clone().into_bytes();
        bad.extend_from_slice(b"\xff1");
        for size in [1, bad.len()] {
            let mut s = simpy::DialectStream::new(&dialect, prompt, &options).expect("streams");
            let error = bad
                .chunks(size)
                .find_map(|chunk| s.push(chunk).err())
                .expect("0xff is no UTF-8");
            assert_eq!(
                error.error.range.start as usize,
                start.len(),
                "{}",
                dialect.name
            );
            assert!(error.error.message.contains("byte 0xff"), "{}", error.error);
            let kept = error.kept.expect("what came before is kept");
            assert_eq!(kept.python, "    return x\n", "{}", dialect.name);
        }

        let mut cut = start.clone().into_bytes();
        cut.push("é".as_bytes()[0]);
        let mut s = simpy::DialectStream::new(&dialect, prompt, &options).expect("streams");
        s.push(&cut).expect("the character may still end");
        let error = s.finish().expect_err("it did not");
        assert!(
            error.error.message.contains("inside a UTF-8 character"),
            "{}",
            error.error
        );
        assert_eq!(
            error.error.range.start as usize,
            start.len(),
            "{}",
            dialect.name
        );
    }
}

/// The windows under a long chain of clauses stand for the earlier clauses of a kind by one
/// (`stream.rs`, `Scan::open`): the Python is still `complete`'s at every cut, and the file's
/// tree, with comments between the clauses, an `else:` holding one `if` (`elif`), and nested
/// chains.
#[test]
fn long_clause_chains_stream_as_they_complete() {
    let mut file = String::from("def f(x):\n    if x == 0:\n        return 0\n");
    for i in 1..12 {
        file += &format!("    # case {i}\n    elif x == {i}:\n        y = {i}\n");
        if i % 4 == 0 {
            file += "        if y:\n            pass\n        elif x:\n            y = 1\n";
        }
    }
    file += "    else:\n        if x:\n            y = -1\n\n\n\
             try:\n    f(1)\n";
    for name in ["KeyError", "IndexError", "ValueError", "OSError"] {
        file += &format!("except {name}:\n    # {name}\n    pass\n");
    }
    file += "else:\n    pass\nfinally:\n    f(2)\n\n\nmatch f(3):\n";
    for i in 0..6 {
        file += &format!("    case {i}:\n        z = {i}\n");
    }
    file += "    case _:\n        z = None\n";
    let want = simpy::ast::dump(&simpy::parse_str(&file).expect("parses").module);
    let whole = encode(&file).expect("encodes");
    for cut in file.match_indices('\n').map(|(i, _)| i + 1) {
        let prompt = &file[..cut];
        let Ok(encoded) = encode_prompt(prompt) else {
            continue;
        };
        let rest = whole
            .strip_prefix(encoded.simpy.as_str())
            .expect("the prompt's SimPy starts the file's");
        let name = format!("cut at {cut}");
        check(&name, prompt, rest, &options(Stop::None), &[1, 7]);
        let completion = match complete(prompt, rest, &options(Stop::None)) {
            Ok(completion) => completion,
            // A cut just after `else:` when the file goes on with `if` (SimPy's `elif`).
            Err(e) if e.error.kind == simpy::ErrorKind::Limit => continue,
            Err(e) => panic!("{name}: {e}"),
        };
        let glued = simpy::parse_str(&format!("{prompt}{}", completion.python)).expect(&name);
        assert_eq!(simpy::ast::dump(&glued.module), want, "{name}");
    }
}

/// `file`, a function `f`, completes after `def f():` as `complete` does, byte by byte and in a
/// few chunk sizes; the Python of its first statement ends with `first_ends` as soon as the
/// `<line_sep>` after it has arrived (no string ran on past its end); the completion has
/// `file`'s AST.
#[track_caller]
fn streams_strings_on_time(name: &str, file: &str, first_ends: &str) {
    let prompt = "def f():\n";
    let whole = encode(file).expect("encodes");
    let encoded = encode_prompt(prompt).expect("a prefix");
    let rest = whole
        .strip_prefix(encoded.simpy.as_str())
        .expect("a prefix");
    check(name, prompt, rest, &options(Stop::None), &[1, 2, 3, 5]);
    let mut stream = CompletionStream::new(prompt, &options(Stop::None)).expect("streams");
    let separator = "<line_sep>";
    let first_end = rest.find(separator).expect("statements follow") + separator.len();
    for byte in rest.as_bytes()[..first_end].chunks(1) {
        stream.push(byte).expect("pushes");
    }
    assert!(
        stream.python().ends_with(first_ends),
        "{name}: {}",
        stream.python()
    );
    let completion = complete(prompt, rest, &options(Stop::None)).expect("completes");
    let glued = simpy::parse_str(&format!("{prompt}{}", completion.python)).expect("parses");
    let want = simpy::parse_str(file).expect("parses");
    assert_eq!(
        simpy::ast::dump(&glued.module),
        simpy::ast::dump(&want.module),
        "{name}"
    );
}

/// A string still open goes on being scanned from where its scan stopped (`open_string`):
/// quotes, escaped quotes, backslashes and quote runs short of the closing one, cut at every
/// byte, stream as `complete` gives them.
#[test]
fn strings_with_quotes_inside_stream_as_they_complete() {
    let file = "def f():\n    '''It's ''quoted'', \\''' and \\\\' not closed '' yet.\n\n\
                    A \"line\" \\\n    goes on.'''\n    x = 'a\\'b' + \"c\\\"\"\n    \
                    return r\"\"\"\\\"\"\" \"\"\" + '''\"''' + x\n";
    streams_strings_on_time("a docstring", file, "goes on.'''\n");
}

/// A quote inside a triple-quoted string, pushed alone, is passed without a step unless the
/// two bytes before it in the body are that quote: quotes at the body's start and end, runs
/// of two, an escaped quote before the closing ones, empty strings.
#[test]
fn quotes_in_a_row_end_triple_quoted_strings_where_decode_ends_them() {
    let file = "def f():\n    x = \"\"\"\"\"x\"\" \"\"\\\"\"\"\" + '''''' + \"\"\"a\\\"\"\"\" + \
                \"\"\"\"b\"\"\"\n    return x\n";
    streams_strings_on_time("quotes in a row", file, "\"\"\"\"b\"\"\"\n");
}
