//! The `simpy` binary end to end: output formats and exit codes.

mod support;

use std::path::Path;
use support::{cpython_dump, simpy, text, write};

#[test]
fn dump_ast_prints_what_cpython_prints() {
    let dir = tempfile::tempdir().expect("tempdir");
    let source =
        b"import os\n\ndef f(a, *, b=1):\n    return f'{a!r:>{b}}' if a else [x for x in b]\n";
    let path = write(dir.path(), "sample.py", source);
    let out = simpy(&["dump-ast", path.to_str().expect("utf-8 path")], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), cpython_dump(&path));

    let from_stdin = simpy(&["dump-ast", "-"], Some(source));
    assert_eq!(text(&from_stdin.stdout), cpython_dump(&path));
}

#[test]
fn dump_ast_reports_invalid_input_with_a_caret() {
    let out = simpy(&["dump-ast", "-"], Some(b"x = 1\nprint 'hi'\n"));
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        text(&out.stderr),
        "<stdin>:2:1: error: Python 2 print statement; use print(...)\n  |\n2 | print 'hi'\n  | ^\n"
    );
}

#[test]
fn check_reports_each_failure_and_a_summary() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a/good.py", b"x = 1\n");
    write(dir.path(), "a/b/also_good.py", b"def f():\n    return 2\n");
    write(dir.path(), "a/py2.py", b"print 'x'\n");
    write(dir.path(), "bad_bytes.py", b"x = '\xff'\n");
    write(dir.path(), "notes.txt", b"not python");
    let root = dir.path().to_str().expect("utf-8 path");
    let out = simpy(&["check", root], None);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            format!("{root}/a/py2.py:1:1: error: Python 2 print statement; use print(...)"),
            format!("{root}/bad_bytes.py:1:6: error: source is not valid utf-8"),
            "4 files: 2 ok, 2 failed".to_owned(),
        ]
    );
}

#[test]
fn check_jsonl_gives_one_object_per_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "ok.py", b"x = 1\n");
    write(dir.path(), "bad.py", b"x = (\n");
    let out = simpy(
        &["check", "--jsonl", dir.path().to_str().expect("utf-8 path")],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    let rows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["ok"], false);
    assert_eq!(rows[0]["line"], 1);
    assert_eq!(rows[0]["message"], "'(' was never closed");
    assert_eq!(rows[1]["ok"], true);
}

#[test]
fn check_exit_codes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.py", b"x = 1\n");
    let out = simpy(&["check", good.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(text(&out.stdout), "1 file: 1 ok, 0 failed\n");

    let missing = dir.path().join("missing");
    let out = simpy(&["check", missing.to_str().expect("utf-8 path")], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stdout).contains("missing: error: no such file or directory"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn help_teaches_by_example() {
    let out = simpy(&["--help"], None);
    let help = text(&out.stdout);
    assert!(help.contains("simpy dump-ast app.py"), "{help}");
    assert!(help.contains("Exit status"), "{help}");
}

#[test]
fn normalize_prints_clean_python() {
    let out = simpy(
        &["normalize", "-"],
        Some(b"import os\ndef f( a,b ):\n  return a+b # sum\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "import os\n\n\ndef f(a, b):\n    return a + b  # sum\n"
    );
}

#[test]
fn normalize_mirrors_a_directory_and_reports_bad_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "src/pkg/a.py", b"x=1\n");
    write(dir.path(), "src/b.py", b"print 'x'\n");
    let src = dir.path().join("src");
    let out_dir = dir.path().join("out");
    let out = simpy(
        &[
            "normalize",
            src.to_str().expect("utf-8"),
            "-o",
            out_dir.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(out_dir.join("pkg/a.py")).expect("written"),
        "x = 1\n"
    );
    assert!(!out_dir.join("b.py").exists());
    assert!(
        text(&out.stderr).contains("b.py:1:1: error: Python 2 print statement"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout), "2 files: 1 normalized, 1 failed\n");
}

#[test]
fn check_roundtrip_python() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.py",
        b"# c\nx = [1,\n  2]  # t\nif x:  # h\n    y = (a if b else c)[0]\n",
    );
    let out = simpy(
        &[
            "check",
            "--roundtrip",
            "python",
            dir.path().to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert_eq!(text(&out.stdout), "1 file: 1 ok, 0 failed\n");
}

#[test]
fn encode_and_decode_a_file_through_stdin_and_stdout() {
    let python = b"def f(a, b=1):\n    # say hi\n    return a - b  # difference\n";
    let encoded = simpy(&["encode", "-"], Some(python));
    assert!(encoded.status.success(), "{}", text(&encoded.stderr));
    assert_eq!(
        text(&encoded.stdout),
        "<def_stmt>f a b=1<block_start># say hi\n<return>a-b# difference\n<block_end>\n"
    );
    let decoded = simpy(&["decode", "-"], Some(&encoded.stdout));
    assert!(decoded.status.success(), "{}", text(&decoded.stderr));
    assert_eq!(text(&decoded.stdout), text(python));
}

#[test]
fn decode_points_into_the_simpy_line() {
    let out = simpy(&["decode", "-"], Some(b"x=[a b"));
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.starts_with("<stdin>:1:7: error: input ends in the middle of a statement"),
        "{err}"
    );
    assert!(err.contains("1 | x=[a b\n"), "{err}");
    assert!(err.contains("  |       ^"), "{err}");
}

#[test]
fn encode_mirrors_a_directory_and_decode_mirrors_it_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    write(&src, "a.py", b"x = 1\n");
    write(
        &src,
        "pkg/b.py",
        b"for i in range(3):\n    print(i)\nelse:\n    pass\n",
    );
    write(&src, "pkg/bad.py", b"print 'python 2'\n");
    let simpy_dir = dir.path().join("simpy");
    let out = simpy(
        &[
            "encode",
            src.to_str().unwrap(),
            "-o",
            simpy_dir.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "one input is bad");
    assert!(text(&out.stderr).contains("bad.py:1:1: error: Python 2 print statement"));
    assert!(text(&out.stdout).contains("3 files: 2 encoded, 1 failed"));
    assert_eq!(
        std::fs::read_to_string(simpy_dir.join("a.simpy")).unwrap(),
        "x=1\n"
    );
    assert!(simpy_dir.join("pkg/b.simpy").is_file());
    assert!(!simpy_dir.join("pkg/bad.simpy").exists());

    let back = dir.path().join("back");
    let out = simpy(
        &[
            "decode",
            simpy_dir.to_str().unwrap(),
            "-o",
            back.to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 files: 2 decoded, 0 failed"));
    assert_eq!(
        cpython_dump(&back.join("pkg/b.py")),
        cpython_dump(&src.join("pkg/b.py"))
    );
}

#[test]
fn encode_can_strip_comments() {
    let out = simpy(
        &["encode", "--strip-comments", "-"],
        Some(b"# c\nx = 1  # d\n"),
    );
    assert_eq!(text(&out.stdout), "x=1\n");
}

#[test]
fn check_roundtrip_simpy() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "ok.py",
        b"@a\n@b\ndef f(*, k=...):\n    return f'{k = }'\n",
    );
    let out = simpy(
        &[
            "check",
            "--roundtrip",
            "simpy",
            dir.path().to_str().unwrap(),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("1 file: 1 ok, 0 failed"));
}

fn fixtures() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The report on a small corpus, every built-in tokenizer plus a byte-level BPE from files (in
/// CodeT5's layout; the test writes a small one); the bad file is listed, not fatal.
#[test]
fn report_table_on_a_fixture_corpus() {
    let corpus = fixtures().join("corpus");
    let vocabulary = tempfile::tempdir().expect("tempdir");
    simpy_testkit::bpe::write_small_vocabulary(vocabulary.path());
    let codet5 = vocabulary.path();
    let out = simpy(
        &[
            "report",
            corpus.to_str().unwrap(),
            "--tokenizer-file",
            &format!("codet5={}", codet5.display()),
        ],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "a skipped input: {}",
        text(&out.stderr)
    );
    let report = text(&out.stdout).replace(&corpus.display().to_string(), "<corpus>");
    assert!(report
        .contains("<corpus>/pkg/python2.py: not valid Python 3: 1:1: Python 2 print statement"));
    insta::assert_snapshot!(report);
}

#[test]
fn report_json_and_csv_parse() {
    let corpus = fixtures().join("corpus");
    let out = simpy(
        &[
            "report",
            corpus.to_str().unwrap(),
            "--tokenizers",
            "gpt4,codex",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["files"], 2);
    assert_eq!(json["skipped"].as_array().map(Vec::len), Some(1));
    assert_eq!(
        json["comments_stripped"]["gpt4"]["paper_reduction_percent"],
        serde_json::Value::Null
    );
    let gpt4 = &json["comments_kept"]["gpt4"];
    assert!(gpt4["simpy"].as_u64() < gpt4["original"].as_u64());
    assert_eq!(gpt4["paper_reduction_percent"], 10.4);

    let out = simpy(
        &[
            "report",
            corpus.to_str().unwrap(),
            "--tokenizers",
            "gpt4,codex",
            "--format",
            "csv",
        ],
        None,
    );
    let csv = text(&out.stdout);
    let rows: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    assert_eq!(rows[0].len(), 8);
    assert!(rows.iter().all(|r| r.len() == 8), "{csv}");
    // gpt4, codex and characters, with comments kept and stripped.
    assert_eq!(rows.len(), 1 + 2 * 3);
    let simpy_tokens: u64 = rows[1][4].parse().expect("a count");
    assert!(simpy_tokens > 0);
}

#[test]
fn report_reads_jsonl_and_lists_bad_records() {
    let jsonl = fixtures().join("corpus.jsonl");
    let out = simpy(
        &[
            "report",
            jsonl.to_str().unwrap(),
            "--tokenizers",
            "gpt4",
            "--format",
            "json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
    assert_eq!(json["files"], 2);
    let reasons: Vec<String> = json["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            format!(
                "{}: {}",
                s["input"].as_str().unwrap().rsplit('/').next().unwrap(),
                s["reason"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons[0].starts_with("corpus.jsonl:2: not valid Python 3: 1:1: Python 2 print statement"),
        "{reasons:?}"
    );
    assert!(
        reasons[1].starts_with("corpus.jsonl:3: not JSON"),
        "{reasons:?}"
    );
    assert_eq!(reasons[2], "corpus.jsonl:4: no string field `content`");
}

#[test]
fn report_html_is_one_page_with_a_chart() {
    let corpus = fixtures().join("corpus");
    let dir = tempfile::tempdir().expect("tempdir");
    let page = dir.path().join("report.html");
    let out = simpy(
        &[
            "report",
            corpus.to_str().unwrap(),
            "--tokenizers",
            "gpt4,codebert",
            "-o",
            page.to_str().unwrap(),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let html = std::fs::read_to_string(&page).expect("written");
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("<svg") && html.contains("</svg>"));
    assert!(
        !html.contains("<script") && !html.contains("src=\"http"),
        "self-contained"
    );
    assert_eq!(html.matches("<table>").count(), 2);
}

/// DualCode through the binary: a prompt's SimPy, then the Python for a continuation of it.
#[test]
fn encode_prompt_and_complete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prompt = write(dir.path(), "p.py", b"def f(x):\n    \"\"\"Doc.\"\"\"\n");
    let prompt = prompt.to_str().expect("utf-8 path");
    let out = simpy(&["encode", "--prompt", prompt], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "<def_stmt>f x<block_start>\"\"\"Doc.\"\"\""
    );

    let continuation =
        b"<line_sep><return>x+1<block_end><def_stmt>g <block_start><pass><block_end>";
    let out = simpy(&["complete", "--prompt", prompt], Some(continuation));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "    return x + 1\n");
    let out = simpy(
        &[
            "complete", "--prompt", prompt, "--stop", "none", "--whole", "-",
        ],
        Some(continuation),
    );
    assert_eq!(
        text(&out.stdout),
        "def f(x):\n    \"\"\"Doc.\"\"\"\n    return x + 1\n\n\ndef g():\n    pass\n"
    );

    // Cut off: the complete statements, and a note of what was dropped.
    let out = simpy(
        &["complete", "--prompt", prompt],
        Some(b"<line_sep>y=1<line_sep><return>x+"),
    );
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "    y = 1\n");
    assert!(
        text(&out.stderr).contains("20 bytes were dropped from byte 13"),
        "{}",
        text(&out.stderr)
    );
    let out = simpy(&["complete", "--prompt", prompt], Some(b"("));
    assert!(out.status.success());
    assert!(
        text(&out.stderr).contains("1 byte was dropped from byte 0"),
        "{}",
        text(&out.stderr)
    );

    // A prompt no Python can continue is an error with a location; so is a bad continuation.
    let out = simpy(&["encode", "--prompt", "-"], Some(b"def f(:"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("<stdin>:1:7: error:"),
        "{}",
        text(&out.stderr)
    );
    let out = simpy(
        &["complete", "--prompt", prompt],
        Some(b"<line_sep>y=)<line_sep>z=1"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("cannot follow the prompt"),
        "{}",
        text(&out.stderr)
    );
}

/// `decode --stream` writes a line while its input is still open: the first statement comes
/// out before the rest is written, and the whole output is `decode`'s.
#[test]
fn decode_stream_writes_lines_before_the_input_ends() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_simpy"))
        .args(["decode", "--stream", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("simpy runs");
    let mut stdin = child.stdin.take().expect("stdin");
    let mut stdout = BufReader::new(child.stdout.take().expect("stdout"));
    stdin
        .write_all(b"<def_stmt>f x<block_start><return>x+1<line_sep>")
        .expect("write");
    stdin.flush().expect("flush");
    let mut first = String::new();
    stdout.read_line(&mut first).expect("a line");
    assert_eq!(first, "def f(x):\n");
    let mut second = String::new();
    stdout.read_line(&mut second).expect("a line");
    assert_eq!(second, "    return x + 1\n");
    stdin
        .write_all(b"y=2<block_end><if_stmt>a<block_start>b<block_end>")
        .expect("write");
    drop(stdin);
    let mut rest = String::new();
    std::io::Read::read_to_string(&mut stdout, &mut rest).expect("the rest");
    assert!(child.wait().expect("exits").success());
    let whole = format!("{first}{second}{rest}");
    let once = simpy(
        &["decode", "-"],
        Some(b"<def_stmt>f x<block_start><return>x+1<line_sep>y=2<block_end><if_stmt>a<block_start>b<block_end>"),
    );
    assert_eq!(whole, text(&once.stdout));
}

/// `complete --stream` gives what `complete` gives; a bad continuation is exit 1 with a
/// message, after the lines before it.
#[test]
fn complete_stream_agrees_with_complete() {
    let dir = tempfile::tempdir().expect("tempdir");
    let prompt = write(dir.path(), "p.py", b"def f(x):\n    \"\"\"Doc.\"\"\"\n");
    let prompt = prompt.to_str().expect("utf-8 path");
    let continuation: &[u8] =
        b"<line_sep>y=1<line_sep><return>x+y<block_end><def_stmt>g <block_start><pass><block_end>";
    let once = simpy(&["complete", "--prompt", prompt], Some(continuation));
    let streamed = simpy(
        &["complete", "--stream", "--prompt", prompt],
        Some(continuation),
    );
    assert!(streamed.status.success(), "{}", text(&streamed.stderr));
    assert_eq!(text(&streamed.stdout), text(&once.stdout));
    assert_eq!(text(&streamed.stdout), "    y = 1\n    return x + y\n");

    let bad = simpy(
        &["complete", "--stream", "--prompt", prompt],
        Some(b"<line_sep>y=1<line_sep>z=<return><line_sep>w=2<block_end>"),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(text(&bad.stdout), "    y = 1\n");
    assert!(
        text(&bad.stderr).contains("cannot follow the prompt"),
        "{}",
        text(&bad.stderr)
    );
}

/// `encode --token-ids` writes one id per special token; `decode --stream --token-ids` reads
/// them back (chunks split inside an id too) to what `decode` gives.
#[test]
fn token_ids_round_trip_through_the_stream() {
    let python = b"def f(x):\n    return x + 1\n\n\nclass C:\n    y = 'caf\xc3\xa9'\n";
    let ids = simpy(&["encode", "--token-ids", "gpt4", "-"], Some(python));
    assert!(ids.status.success(), "{}", text(&ids.stderr));
    let ids = text(&ids.stdout);
    let first: u32 = ids
        .split(' ')
        .next()
        .expect("an id")
        .parse()
        .expect("a number");
    assert!(
        first > 100_276,
        "<def_stmt> comes after cl100k's own tokens: {first}"
    );
    let streamed = simpy(
        &["decode", "--stream", "--token-ids", "gpt4", "-"],
        Some(ids.as_bytes()),
    );
    assert!(streamed.status.success(), "{}", text(&streamed.stderr));
    assert_eq!(text(&streamed.stdout), text(python));

    let bad = simpy(
        &["decode", "--stream", "--token-ids", "gpt4", "-"],
        Some(b"12 x"),
    );
    assert_eq!(bad.status.code(), Some(1));
    assert!(
        text(&bad.stderr).contains("`x` is not a token id"),
        "{}",
        text(&bad.stderr)
    );
}

#[test]
fn grammar_prints_or_writes_each_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    for (format, file) in [
        ("lark", "simpy.lark"),
        ("llguidance", "simpy.llguidance.lark"),
        ("gbnf", "simpy.gbnf"),
    ] {
        let committed = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("../../grammar")
                .join(file),
        )
        .expect("grammar/ holds the exported grammars");
        let printed = simpy(&["grammar", "--format", format], None);
        assert!(printed.status.success(), "{}", text(&printed.stderr));
        assert_eq!(text(&printed.stdout), committed, "{format} on stdout");
        let out = dir.path().join(file);
        let written = simpy(
            &[
                "grammar",
                "--format",
                format,
                "-o",
                out.to_str().expect("utf-8"),
            ],
            None,
        );
        assert!(written.status.success(), "{}", text(&written.stderr));
        assert_eq!(std::fs::read_to_string(&out).expect("written"), committed);
    }
    let bad = simpy(&["grammar", "--format", "ebnf"], None);
    assert_eq!(bad.status.code(), Some(2), "clap's usage error");
    assert!(text(&bad.stderr).contains("possible values: lark, llguidance, gbnf"));
}

/// The process keeps off transparent huge pages (each page mimalloc touches would hold 2 MiB
/// resident: `main`), as the kernel reports it while `simpy` waits for its input.
#[cfg(target_os = "linux")]
#[test]
fn the_process_is_kept_off_transparent_huge_pages() {
    use std::io::Write;
    use std::process::{Command, Stdio};
    use std::time::{Duration, Instant};

    let mut child = Command::new(env!("CARGO_BIN_EXE_simpy"))
        .args(["decode", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("simpy runs");
    let status = format!("/proc/{}/status", child.id());
    let thp = || {
        let status = std::fs::read_to_string(&status).expect("the kernel reports the process");
        let line = status.lines().find(|l| l.starts_with("THP_enabled:"));
        line.expect("Linux 5.0 or later reports THP_enabled")
            .to_owned()
    };
    // `main` sets it first thing: a moment after the start at most.
    let deadline = Instant::now() + Duration::from_secs(20);
    while thp().ends_with('1') && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    let seen = thp();
    let mut stdin = child.stdin.take().expect("piped");
    stdin.write_all(b"x=1").expect("simpy reads");
    drop(stdin);
    let out = child.wait_with_output().expect("finished");
    assert!(seen.ends_with('0'), "{seen}");
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "x = 1\n");
}
