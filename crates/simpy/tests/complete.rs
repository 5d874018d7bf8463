//! Completion: the prompt followed by the completion means what the prompt's SimPy followed by
//! the continuation decodes to; stop rules are structural; a cut-off continuation keeps its
//! complete statements and says what was dropped.

use simpy::{complete, encode, encode_prompt, CompleteOptions, Stop};

const PROMPT: &str = "from typing import List\n\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n    \"\"\" Check if in given list of numbers, are any two numbers closer to each other than\n    given threshold.\n    >>> has_close_elements([1.0, 2.0, 3.0], 0.5)\n    False\n    \"\"\"\n";
const SOLUTION: &str = "    for idx, elem in enumerate(numbers):\n        for idx2, elem2 in enumerate(numbers):\n            if idx != idx2:\n                distance = abs(elem - elem2)\n                if distance < threshold:\n                    return True\n\n    return False\n";

/// The model's continuation: the rest of the solved file's SimPy, then what models append.
fn continuation(extra: &str) -> String {
    let prompt = encode_prompt(PROMPT).expect("prompt encodes").simpy;
    let whole = encode(&format!("{PROMPT}{SOLUTION}{extra}")).expect("solution encodes");
    assert!(whole.starts_with(&prompt));
    whole[prompt.len()..].to_owned()
}

#[test]
fn a_block_stop_gives_the_function_body_and_nothing_after() {
    let cont = continuation("\n\ndef check(candidate):\n    assert candidate([1.0], 0.5) is False\n\n\nif __name__ == '__main__':\n    print(has_close_elements([1.0], 0.5))\n");
    let options = CompleteOptions {
        stop: Stop::Block,
        max_bytes: None,
    };
    let completion = complete(PROMPT, &cont, &options).expect("completes");
    assert_eq!(completion.python, SOLUTION.replace("\n\n", "\n"));
    assert!(completion.stopped_at.is_some());
    assert_eq!(completion.dropped, None);
    // The prompt followed by the completion is the solved function.
    let glued = format!("{PROMPT}{}", completion.python);
    assert_eq!(
        encode(&glued).unwrap(),
        encode(&format!("{PROMPT}{SOLUTION}")).unwrap()
    );
}

#[test]
fn top_level_and_none_go_further() {
    let cont = continuation("\n\ndef check(candidate):\n    pass\n\n\nx = 1\n");
    let top = complete(
        PROMPT,
        &cont,
        &CompleteOptions {
            stop: Stop::TopLevel,
            max_bytes: None,
        },
    )
    .unwrap();
    assert_eq!(top.python, SOLUTION.replace("\n\n", "\n"));
    let all = complete(
        PROMPT,
        &cont,
        &CompleteOptions {
            stop: Stop::None,
            max_bytes: None,
        },
    )
    .unwrap();
    assert!(
        all.python
            .ends_with("def check(candidate):\n    pass\n\n\nx = 1\n"),
        "{}",
        all.python
    );
    assert_eq!(all.stopped_at, None);
}

#[test]
fn a_cut_off_continuation_keeps_its_complete_statements() {
    let cont = continuation("");
    let budget = cont.find("<return><true>").expect("has a return") + "<return><tr".len();
    let options = CompleteOptions {
        stop: Stop::Block,
        max_bytes: Some(budget),
    };
    let completion = complete(PROMPT, &cont, &options).expect("a cut-off is no error");
    let dropped = completion.dropped.expect("something was dropped");
    assert_eq!(dropped.at + dropped.bytes, budget);
    assert!(
        completion
            .python
            .ends_with("distance = abs(elem - elem2)\n"),
        "{}",
        completion.python
    );
    // What is kept parses after the prompt.
    simpy::parse_str(&format!("{PROMPT}{}", completion.python)).expect("kept part parses");
}

#[test]
fn a_continuation_that_cannot_follow_is_an_error_with_what_came_before() {
    let cont = "<line_sep>x=1<line_sep>y=)<line_sep>z=2<block_end>";
    let e = complete(PROMPT, cont, &CompleteOptions::default()).expect_err("`y=)` is wrong");
    assert!(
        e.error.message.contains("cannot follow"),
        "{}",
        e.error.message
    );
    let kept = e.kept.expect("x=1 decodes");
    assert_eq!(kept.python, "    x = 1\n");
}

#[test]
fn indentation_follows_the_cursor_block() {
    let prompt = "class A:\n  def f(self):\n    '''Doc.'''\n";
    let cont =
        "<line_sep><if_stmt>self<block_start><return>1<block_end><return>2<block_end><block_end>";
    let completion = complete(prompt, cont, &CompleteOptions::default()).unwrap();
    assert_eq!(
        completion.python,
        "    if self:\n        return 1\n    return 2\n"
    );
    simpy::parse_str(&format!("{prompt}{}", completion.python)).expect("parses");
}

/// At the start of a line in a `match` body the SimPy already holds `<case_stmt>`: refused as
/// a limit, not an internal error (found by the `stream` fuzz target); after `case` it works.
#[test]
fn a_cursor_before_case_is_a_limit() {
    let err = complete(
        "match x:\n    ",
        "1<block_start><pass>",
        &CompleteOptions::default(),
    )
    .expect_err("refused");
    assert_eq!(err.error.kind, simpy::ErrorKind::Limit, "{}", err.error);
    let completion = complete(
        "match x:\n    case",
        " 1<block_start><pass>",
        &CompleteOptions::default(),
    )
    .unwrap();
    simpy::parse_str(&format!("match x:\n    case{}", completion.python)).expect("parses");
}

/// A form feed resets the column: the header after one is at the indentation that follows it
/// (found by the fuzzer: `\x0cclass A:` is at the top level).
#[test]
fn indentation_counts_from_a_form_feed() {
    for (prompt, want) in [
        ("\x0cclass A:\n", "    x  # c\n"),
        ("if a:\n    b\n\x0c    def f():\n", "        x  # c\n"),
    ] {
        let completion = complete(prompt, "x# c\n", &CompleteOptions::default()).unwrap();
        assert_eq!(completion.python, want, "{prompt:?}");
        simpy::parse_str(&format!("{prompt}{}", completion.python)).expect("parses");
    }
}

/// At the top level, a decorated or `async` definition is one statement: the stops take it
/// whole (decorators, `async`, the body) and end before what follows it; so does the stream.
#[test]
fn top_level_stops_take_a_decorated_or_async_definition_whole() {
    assert_top_level_stops(&[
        (
            "x = 1\n",
            "@a<line_sep>@b<def_stmt>f <block_start><pass><block_end>y=2",
            "@a\n@b\ndef f():\n    pass\n",
        ),
        (
            "x = 1\n",
            "<async_keyword><def_stmt>g <block_start><pass><block_end>y=2",
            "async def g():\n    pass\n",
        ),
        // `async` typed: its token is in the prompt, `def` comes with the continuation.
        (
            "x = 1\nasync de",
            "<def_stmt>g <block_start><pass><block_end>y=2",
            "f g():\n    pass\n",
        ),
        // The prompt ends in a decorator: the continuation's decorators and `def` go on
        // with it.
        (
            "x = 1\n@d\n",
            "<line_sep>@a.b<def_stmt>f <block_start><pass><block_end>y=2",
            "@a.b\ndef f():\n    pass\n",
        ),
        // A new statement starting with `async` ends the one before.
        (
            "x = 1\n",
            "y=2<async_keyword><def_stmt>g <block_start><pass><block_end>",
            "y = 2\n",
        ),
    ]);
}

/// A statement may begin with a bracket: the top-level stops end after it as after any other
/// (the completion took one statement more than the stream: found by the `stream` fuzz target,
/// with the cursor inside a comment).
#[test]
fn top_level_stops_end_after_a_statement_that_starts_with_a_bracket() {
    assert_top_level_stops(&[
        ("x = 1\n", "<line_sep>[a b]=c<line_sep>y=2", "[a, b] = c\n"),
        ("x = 1\n", "<line_sep>(f)()<line_sep>y=2", "f()\n"),
        ("x = 1\n", "<line_sep>{}<line_sep>y=2", "{}\n"),
        (
            "# a comment typed",
            "# a comment typed\n[]<line_sep>y=2",
            "\n# a comment typed\n[]\n",
        ),
    ]);
}

/// A cursor inside a line none of which is in the prompt's SimPy yet (`ab` may still become a
/// keyword): the continuation starts with the `<line_sep>` before that line's statement, which
/// ends no statement (the top-level stop fired there: `complete` refused, the stream gave
/// nothing). Found by the `stream` fuzz target.
#[test]
fn top_level_stops_wait_for_the_statement_a_left_out_line_begins() {
    assert_top_level_stops(&[
        ("x = 1\nab", "<line_sep>abc=2<line_sep>y=3", "c = 2\n"),
        ("ab", "abc=2<line_sep>y=3", "c = 2\n"),
    ]);
}

/// An f-string whose fields hold strings in its own quote (PEP 701) hid the statement breaks
/// after it from `complete`'s scan, which then ran past the top-level stop (found with the
/// one above).
#[test]
fn top_level_stops_see_past_fstrings_that_nest_their_own_quote() {
    assert_top_level_stops(&[
        (
            "x = f\"{n, *f\"*'\":',}\"\n",
            "<line_sep>y=2<line_sep>z=3",
            "y = 2\n",
        ),
        (
            "x = 1\n",
            "<line_sep>y=f\"{'\":'}\"<concat>f\"{f\"a\"}\"<line_sep>z=3",
            "y = f\"{'\":'}\" f\"{f\"a\"}\"\n",
        ),
    ]);
}

/// Each (prompt, continuation, completion) completed and streamed with the `block` and
/// `top-level` stops.
fn assert_top_level_stops(cases: &[(&str, &str, &str)]) {
    for &(prompt, continuation, want) in cases {
        for stop in [Stop::Block, Stop::TopLevel] {
            let options = CompleteOptions {
                stop,
                max_bytes: None,
            };
            let completion = complete(prompt, continuation, &options).expect("completes");
            assert_eq!(
                completion.python, want,
                "{prompt:?} {continuation:?} {stop:?}"
            );
            let streamed = streamed_byte_by_byte(prompt, continuation, &options);
            assert_eq!(
                streamed, want,
                "{prompt:?} {continuation:?} {stop:?}, streamed"
            );
        }
    }
}

/// A `try` body cannot end the code before its handler: a block stop with a `try` body open
/// at the cursor (the cursor's own block, or one around it) waits for the `try`'s clauses,
/// then stops at whatever is not one. (It used to stop at the body's end, where nothing
/// decodes: found by the `stream` fuzz target.)
#[test]
fn a_block_stop_inside_a_try_body_takes_its_clauses() {
    let handlers = "<block_end><except_stmt>E<block_start><pass><block_end>\
                    <finally_stmt><block_start><pass><block_end>";
    for (prompt, continuation, want) in [
        (
            "try:\n",
            format!("x=1{handlers}y=2"),
            "    x = 1\nexcept E:\n    pass\nfinally:\n    pass\n",
        ),
        (
            "def f():\n    try:\n        if a:\n",
            format!("x=1<block_end>z=3{handlers}<line_sep>y=2<block_end>g()"),
            "            x = 1\n        z = 3\n    except E:\n        pass\n    finally:\n        pass\n",
        ),
    ] {
        let options = CompleteOptions {
            stop: Stop::Block,
            max_bytes: None,
        };
        let completion = complete(prompt, &continuation, &options).expect("completes");
        assert_eq!(completion.python, want, "{prompt:?}");
        assert!(completion.stopped_at.is_some(), "{prompt:?}");
        let streamed = streamed_byte_by_byte(prompt, &continuation, &options);
        assert_eq!(streamed, want, "{prompt:?}, streamed");
    }
}

/// The Python a stream emits for `continuation` pushed one byte at a time.
fn streamed_byte_by_byte(prompt: &str, continuation: &str, options: &CompleteOptions) -> String {
    let mut stream = simpy::CompletionStream::new(prompt, options).expect("streams");
    let mut streamed = String::new();
    for byte in continuation.as_bytes().chunks(1) {
        streamed += &stream.push(byte).expect("takes the byte");
    }
    streamed + &stream.finish().expect("finishes").0
}

#[test]
fn a_continuation_ending_in_line_breaks_or_a_comment_keeps_its_last_statement() {
    let prompt = "def f(x):\n";
    let options = CompleteOptions {
        stop: Stop::None,
        max_bytes: None,
    };
    for (continuation, want) in [
        // A model's text often ends in a line break, which `decode` reads as the end.
        ("<return>x<line_sep>y=2\n", "    return x\n    y = 2\n"),
        ("<return>x<line_sep>y=2 \r\n\n", "    return x\n    y = 2\n"),
        // A comment at the end must not run on over the blocks a window closes.
        ("<return>x  # c", "    return x  # c\n"),
        ("<return>x  # c\n", "    return x  # c\n"),
    ] {
        let completion = complete(prompt, continuation, &options).expect("completes");
        assert_eq!(completion.python, want, "{continuation:?}");
        assert_eq!(completion.used, continuation.len(), "{continuation:?}");
        assert_eq!(completion.dropped, None, "{continuation:?}");
        let streamed = streamed_byte_by_byte(prompt, continuation, &options);
        assert_eq!(streamed, want, "{continuation:?}, streamed");
    }
    // A line break inside the continuation is still its mistake, after what came before it.
    let e = complete(prompt, "<return>x<line_sep>y=2\n<line_sep>z", &options)
        .expect_err("a line break is no separator");
    assert!(
        e.error.message.contains("at byte 22"),
        "{}",
        e.error.message
    );
    assert_eq!(e.kept.expect("kept").python, "    return x\n    y = 2\n");
}

/// A blank line a backslash joins to the next (` \` then a line break) decides nothing: the
/// file may go on with a blank line there, so the prompt leaves its blocks open, and the
/// completion ends that line before its code (appended to it, `x` would be indented) and
/// before the file ends (a backslash may not end a file). Found by the `stream` fuzz target.
#[test]
fn a_blank_line_joined_by_a_backslash_is_ended_before_the_completion() {
    for (file, cut) in [
        (" \\\n\n", 3),
        (" \\\n\nx = None\n", 3),
        ("if x:\n    y = 1\n  \\\n\n    z = 2\n", 18),
        ("if x:\n    y = 1\n\\\n\nz = 2\n", 16),
        ("def f():\n    \\\n    return 1\n", 15),
        ("x = 1\n\\\n\\\n  \n\ny = 2\n", 12),
    ] {
        let glued = format!("{}{}", &file[..cut], completion_of_the_rest(file, cut));
        assert_eq!(
            encode(&glued).map_err(|e| e.to_string()),
            Ok(encode(file).expect("valid")),
            "{file:?} cut at {cut}: {glued:?}"
        );
    }
}

/// A prompt that ends in decorators and the start of what they decorate (`c` of `class`,
/// which the prompt leaves out, or `async def f(`): the completion goes on with the header,
/// not with the body's first line (was: refused, or, where that line starts with the typed
/// word, `cl = 1` taken for `class` and the whole continuation dropped). Found by the `stream`
/// fuzz target.
#[test]
fn a_header_begun_after_decorators_is_the_completions_first_line() {
    for (file, cut) in [
        ("@dataclass\nclass A:\n    cl = 1\n", 12),
        ("@dataclass\nclass A:\n    pass\n", 13),
        (
            "class B:\n    @property\n    def f(self):\n        return 1\n",
            28,
        ),
        ("@a\n@b\nasync def f():\n    pass\n", 18),
    ] {
        assert_eq!(
            completion_of_the_rest(file, cut),
            file[cut..],
            "{file:?} cut at {cut}"
        );
    }
}

/// `file` cut at `cut`: the completion of the rest of its SimPy with no stop, which streaming
/// that rest byte by byte gives too.
fn completion_of_the_rest(file: &str, cut: usize) -> String {
    let options = CompleteOptions {
        stop: Stop::None,
        max_bytes: None,
    };
    let (prompt, whole) = (&file[..cut], encode(file).expect("valid"));
    let simpy = encode_prompt(prompt).expect("the prompt encodes").simpy;
    let rest = whole
        .strip_prefix(&simpy)
        .unwrap_or_else(|| panic!("{file:?}: the file's SimPy {whole:?} starts with {simpy:?}"));
    let completion =
        complete(prompt, rest, &options).unwrap_or_else(|e| panic!("{file:?} cut at {cut}: {e}"));
    assert_eq!(
        streamed_byte_by_byte(prompt, rest, &options),
        completion.python,
        "{file:?} cut at {cut}, streamed"
    );
    completion.python
}
