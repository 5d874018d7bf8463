//! What a new user does in the first hour: several trees into one output, `-o` with one file,
//! directories with .gitignore, links and virtualenvs, notebooks, pipes, reports that count
//! nothing, non-canonical SimPy. Each outcome is the documented one.

mod support;

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use support::{simpy, text, write};

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Every file under `dir`, relative, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("readable dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path.strip_prefix(dir).expect("under dir");
                out.push(rel.display().to_string());
            }
        }
    }
    out.sort();
    out
}

#[test]
fn several_trees_keep_their_own_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let pkg = dir.path().join("pkg");
    let em = dir.path().join("em");
    write(&pkg, "__init__.py", b"x = 1\n");
    write(&pkg, "sub/m.py", b"y = 2\n");
    write(&em, "__init__.py", b"z = 3\n");
    let out_dir = dir.path().join("out");
    let out = simpy(&["encode", arg(&pkg), arg(&em), "-o", arg(&out_dir)], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "3 files: 3 encoded, 0 failed\n");
    assert_eq!(
        files_under(&out_dir),
        ["em/__init__.simpy", "pkg/__init__.simpy", "pkg/sub/m.simpy"]
    );
    assert_eq!(
        std::fs::read_to_string(out_dir.join("em/__init__.simpy")).unwrap(),
        "z=3\n"
    );
}

/// Outputs are written to a temporary file and renamed; they must still get an ordinary new
/// file's mode (0666 less the umask), not the temporary file's private 0600.
#[cfg(unix)]
#[test]
fn outputs_get_the_mode_of_an_ordinary_new_file() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    write(&src, "m.py", b"x = 1\n");
    let reference = dir.path().join("reference");
    std::fs::File::create(&reference).expect("create");
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    let out = simpy(
        &["encode", arg(&src), "-o", arg(&dir.path().join("tree"))],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let one = dir.path().join("one.simpy");
    let out = simpy(&["encode", arg(&src.join("m.py")), "-o", arg(&one)], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mode(&dir.path().join("tree/m.simpy")), mode(&reference));
    assert_eq!(mode(&one), mode(&reference));
}

#[test]
fn stubs_keep_their_own_extension() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    write(&src, "m.py", b"def f(x):\n    return x\n");
    write(&src, "m.pyi", b"def f(x: int) -> int: ...\n");
    let encoded = dir.path().join("encoded");
    let out = simpy(&["encode", arg(&src), "-o", arg(&encoded)], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(files_under(&encoded), ["m.simpy", "m.simpyi"]);
    let decoded = dir.path().join("decoded");
    let out = simpy(&["decode", arg(&encoded), "-o", arg(&decoded)], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(files_under(&decoded), ["m.py", "m.pyi"]);
    assert_eq!(
        std::fs::read_to_string(decoded.join("m.pyi")).unwrap(),
        "def f(x: int) -> int:\n    ...\n"
    );
}

#[test]
fn two_inputs_bound_for_one_output_are_refused_before_anything_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let a = write(dir.path(), "a/util.py", b"x = 1\n");
    let b = write(dir.path(), "b/util.py", b"y = 2\n");
    let out_dir = dir.path().join("out");
    let out = simpy(&["encode", arg(&a), arg(&b), "-o", arg(&out_dir)], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("would both be written to"),
        "{}",
        text(&out.stderr)
    );
    assert!(!out_dir.exists(), "nothing written");
}

#[test]
fn an_output_never_replaces_its_input() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "app.py", b"x=1\n");
    let out = simpy(&["normalize", arg(&file), "-o", arg(&file)], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("over its own input"));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "x=1\n");
}

#[test]
fn one_input_with_o_writes_into_a_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = write(dir.path(), "two_sum.py", b"x = 1\n");
    let new_dir = dir.path().join("newdir");
    let out = simpy(
        &["encode", arg(&file), "-o", &format!("{}/", arg(&new_dir))],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        std::fs::read_to_string(new_dir.join("two_sum.simpy")).unwrap(),
        "x=1\n"
    );
    let existing = dir.path().join("existing");
    std::fs::create_dir(&existing).unwrap();
    for command in ["decode", "normalize"] {
        let input = if command == "decode" {
            write(dir.path(), "two_sum.simpy", b"x=1\n")
        } else {
            file.clone()
        };
        let out = simpy(&[command, arg(&input), "-o", arg(&existing)], None);
        assert!(out.status.success(), "{command}: {}", text(&out.stderr));
        assert!(existing.join("two_sum.py").is_file(), "{command}");
    }
    let out = simpy(&["encode", arg(&file), "-o", arg(&existing)], None);
    assert!(out.status.success());
    assert!(existing.join("two_sum.simpy").is_file());
}

#[test]
fn a_missing_input_says_so() {
    for command in ["encode", "decode", "normalize", "check"] {
        let out = simpy(&[command, "nosuch.py"], None);
        assert_eq!(out.status.code(), Some(2), "{command}");
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(
            said.contains("nosuch.py: error: no such file or directory"),
            "{command}: {said}"
        );
    }
}

#[test]
fn check_reports_a_missing_path_and_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.py", b"x = 1\n");
    let out = simpy(&["check", "--jsonl", arg(&good), "nosuch"], None);
    assert_eq!(out.status.code(), Some(2));
    let records: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(records.len(), 2);
    assert_eq!(records[0]["ok"], true);
    assert_eq!(records[1]["path"], "nosuch");
    assert_eq!(records[1]["family"], "Unreadable");
}

/// A tree as a project has it: ignored files, hidden folders, a virtualenv, stubs, links.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    write(root, "app.py", b"x = 1\n");
    write(root, "stubs/app.pyi", b"x: int\n");
    write(root, "generated.py", b"print 'old'\n");
    write(root, ".gitignore", b"generated.py\n");
    write(root, ".hidden/secret.py", b"print 'old'\n");
    write(root, "venv/pyvenv.cfg", b"home = /usr\n");
    write(root, "venv/lib/site.py", b"print 'old'\n");
    write(root, "tests/test_app.py", b"y = 2\n");
    write(root, "nb.ipynb", b"{\"cells\": []}\n");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(root.join("app.py"), root.join("linked.py")).unwrap();
        std::os::unix::fs::symlink(root.join("nowhere.py"), root.join("dangling.py")).unwrap();
        std::fs::create_dir(root.join("loop")).unwrap();
        std::os::unix::fs::symlink(root, root.join("loop/back")).unwrap();
    }
    dir
}

#[test]
fn trees_are_walked_as_ruff_walks_them() {
    let dir = project();
    let root = dir.path();
    let out = simpy(&["check", "--jsonl", arg(root)], None);
    let mut seen: Vec<(String, bool)> = text(&out.stdout)
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("JSON");
            let path = v["path"].as_str().unwrap().to_owned();
            let rel = Path::new(&path)
                .strip_prefix(root)
                .map_or(path.clone(), |p| p.display().to_string());
            (rel, v["ok"].as_bool().unwrap())
        })
        .collect();
    seen.sort();
    let expected: Vec<(String, bool)> = [
        ("app.py", true),
        ("dangling.py", false),
        ("linked.py", true),
        ("loop/back", false),
        ("stubs/app.pyi", true),
        ("tests/test_app.py", true),
    ]
    .iter()
    .map(|(p, ok)| (p.to_string(), *ok))
    .collect();
    assert_eq!(seen, expected, "{}", text(&out.stdout));
    assert_eq!(
        out.status.code(),
        Some(2),
        "unreadable links are tool failures"
    );

    let out = simpy(
        &[
            "check",
            arg(root),
            "--exclude",
            "tests/",
            "--exclude",
            "*link*",
        ],
        None,
    );
    assert!(!text(&out.stdout).contains("test_app"));
    assert!(
        text(&out.stdout).contains("4 files"),
        "{}",
        text(&out.stdout)
    );

    let out = simpy(&["check", "--no-ignore", arg(root)], None);
    for python2 in ["generated.py", ".hidden/secret.py", "venv/lib/site.py"] {
        assert!(
            text(&out.stdout).contains(python2),
            "--no-ignore walks {python2}: {}",
            text(&out.stdout)
        );
    }
}

#[test]
fn a_second_run_never_reads_its_own_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", b"x=1\n");
    let out_dir = dir.path().join("out");
    for _ in 0..2 {
        let out = simpy(&["normalize", arg(dir.path()), "-o", arg(&out_dir)], None);
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(text(&out.stdout), "1 file: 1 normalized, 0 failed\n");
    }
    assert_eq!(files_under(&out_dir), ["a.py"]);
}

#[test]
fn what_is_not_python_is_refused() {
    let dir = project();
    let notebook = dir.path().join("nb.ipynb");
    for command in ["encode", "normalize", "dump-ast", "check"] {
        let out = simpy(&[command, arg(&notebook)], None);
        assert_eq!(out.status.code(), Some(1), "{command}");
        let said = format!("{}{}", text(&out.stdout), text(&out.stderr));
        assert!(said.contains("is a Jupyter notebook"), "{command}: {said}");
    }
    let json = write(dir.path(), "data.json", b"{}\n");
    let out = simpy(&["report", "--tokenizers", "gpt4", arg(&json)], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("is JSON, not Python"));
}

#[test]
fn jsonl_is_recognised_in_any_case_and_as_ndjson() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = b"{\"content\": \"x = 1\\n\"}\n{\"content\": \"y = [1, 2]\\n\"}\n";
    for name in ["data.JSONL", "data.ndjson"] {
        let path = write(dir.path(), name, record);
        let out = simpy(
            &[
                "report",
                "--tokenizers",
                "gpt4",
                "--format",
                "json",
                arg(&path),
            ],
            None,
        );
        assert!(out.status.success(), "{name}: {}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(json["files"], 2, "{name}");
    }
}

#[test]
fn a_report_that_counts_nothing_says_why_and_fails() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = write(
        dir.path(),
        "data.jsonl",
        b"{\"path\": \"a.py\", \"code\": \"x = 1\"}\n{\"path\": \"b.py\", \"code\": \"y\"}\n",
    );
    let out = simpy(&["report", "--tokenizers", "gpt4", arg(&data)], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains(
            "no record has a string field `content`; fields seen: code, path (choose one with --column)"
        ),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("n/a"), "{}", text(&out.stdout));
    assert!(text(&out.stdout).starts_with("0 files counted (0 B of Python), 1 skipped"));

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = simpy(&["report", "--tokenizers", "gpt4", arg(&empty)], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("no Python files (*.py, *.pyi) found"));
    let out = simpy(&["check", arg(&empty)], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stdout).contains("no Python files (*.py, *.pyi) found"));
}

#[test]
fn a_report_checks_its_output_path_first_and_infers_the_format() {
    let dir = tempfile::tempdir().expect("tempdir");
    let code = write(dir.path(), "src/a.py", b"x = [1, 2]\n");
    let blocker = write(dir.path(), "blocker", b"");
    let started = std::time::Instant::now();
    let out = simpy(
        &[
            "report",
            "--stdlib",
            "-o",
            &format!("{}/r.txt", arg(&blocker)),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("cannot create"),
        "{}",
        text(&out.stderr)
    );
    // It failed before counting the standard library (minutes), not after.
    assert!(started.elapsed().as_secs() < 60);

    let html = dir.path().join("new/dir/r.html");
    let out = simpy(
        &[
            "report",
            "--tokenizers",
            "gpt4",
            arg(&code),
            "-o",
            arg(&html),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(std::fs::read_to_string(&html)
        .unwrap()
        .starts_with("<!DOCTYPE html>"));
    let json = dir.path().join("r.json");
    simpy(
        &[
            "report",
            "--tokenizers",
            "gpt4",
            arg(&code),
            "-o",
            arg(&json),
        ],
        None,
    );
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).expect("JSON");
    assert_eq!(value["files"], 1);
}

#[test]
fn tokenizer_names_are_forgiving_and_counted_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let code = write(dir.path(), "a.py", b"x = 1\n");
    let out = simpy(
        &[
            "report",
            "--tokenizers",
            "gpt4,gpt4,GPT4,cl100k_base,o200k_base",
            "--format",
            "csv",
            arg(&code),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let names: Vec<String> = text(&out.stdout)
        .lines()
        .skip(1)
        .filter(|l| l.contains(",kept,"))
        .map(|l| l.split(',').next().unwrap().to_owned())
        .collect();
    assert_eq!(names, ["gpt4", "gpt4o", "characters"]);
    let out = simpy(&["report", "--tokenizers", "gpt5", arg(&code)], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("unknown tokenizer `gpt5`; known: gpt4"));
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let big: String = (0..30_000)
        .map(|i| format!("x{i} = [{i}, {i}]\n"))
        .collect();
    let file = write(dir.path(), "big.py", big.as_bytes());
    for command in ["dump-ast", "encode", "normalize"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_simpy"))
            .args([command, arg(&file)])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("simpy runs");
        let mut first = [0u8; 16];
        child
            .stdout
            .take()
            .expect("stdout")
            .read_exact(&mut first)
            .expect("some output");
        // The reader is gone, as `| head` leaves it.
        let out = child.wait_with_output().expect("finishes");
        assert_eq!(
            out.status.code(),
            Some(0),
            "{command}: {}",
            text(&out.stderr)
        );
        assert_eq!(text(&out.stderr), "", "{command}");
    }
}

#[test]
fn normalize_check_and_diff_write_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let ugly = write(dir.path(), "ugly.py", b"def f( a ):\n  return a\n");
    let clean = write(dir.path(), "clean.py", b"x = 1\n");
    let out = simpy(&["normalize", "--check", arg(&ugly), arg(&clean)], None);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("would change"));
    let out = simpy(&["normalize", "--diff", arg(&ugly)], None);
    assert_eq!(out.status.code(), Some(0));
    let diff = text(&out.stdout);
    assert!(diff.contains("\n-  return a\n"), "{diff}");
    assert!(diff.contains("\n+    return a\n"), "{diff}");
    assert_eq!(
        std::fs::read_to_string(&ugly).unwrap(),
        "def f( a ):\n  return a\n"
    );
    let out = simpy(&["normalize", "--check", arg(&clean)], None);
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn quiet_jobs_version_and_completions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    write(&src, "a.py", b"x = 1\n");
    let out = simpy(
        &[
            "-q",
            "-j",
            "1",
            "encode",
            arg(&src),
            "-o",
            arg(&dir.path().join("o")),
        ],
        None,
    );
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "");
    let out = simpy(&["--version"], None);
    assert!(text(&out.stdout).contains("SimPy grammar"));
    assert!(text(&out.stdout).contains("Tokenizers built in: gpt4"));
    let out = simpy(&["completions", "bash"], None);
    assert!(text(&out.stdout).contains("complete -F _simpy"));
}

#[test]
fn decode_warns_on_non_canonical_simpy_and_strict_refuses_it() {
    let out = simpy(&["decode", "-"], Some(b"print (x)"));
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "print, x\n");
    assert!(
        text(&out.stderr).starts_with("<stdin>:1:6: warning: this space separates two elements"),
        "{}",
        text(&out.stderr)
    );
    let out = simpy(&["decode", "--strict", "-"], Some(b"print (x)"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("error: non-canonical SimPy"));
    let out = simpy(&["decode", "-"], Some(b"x=1\nprint(x)"));
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("statements are separated by <line_sep>"));
    // What `encode` writes decodes without a word, BOM and final newline included.
    let out = simpy(
        &["decode", "-"],
        Some(b"\xef\xbb\xbfx=1<line_sep>y=[1 2]\n"),
    );
    assert!(out.status.success());
    assert_eq!(text(&out.stdout), "x = 1\ny = [1, 2]\n");
    assert_eq!(text(&out.stderr), "");
}

#[test]
fn python_errors_read_as_cpython_reads_them() {
    for (python, said) in [
        (
            "if name == \"y\"\n    pass\n",
            "<stdin>:1:15: error: expected ':'",
        ),
        (
            "for c in \"abc\"\n    pass\n",
            "<stdin>:1:15: error: expected ':'",
        ),
        ("if x == 1\n    pass\n", "<stdin>:1:10: error: expected ':'"),
        (
            "x = {\"a\": 1 \"b\": 2}\n",
            "<stdin>:1:11: error: invalid syntax. Perhaps you forgot a comma?",
        ),
        (
            "print(a b)\n",
            "<stdin>:1:7: error: invalid syntax. Perhaps you forgot a comma?",
        ),
        (
            "x = [1,\ny = 2\n",
            "<stdin>:1:5: error: '[' was never closed",
        ),
        (
            "x = a b\ny = \"abc\n",
            "<stdin>:2:5: error: unterminated string literal",
        ),
        (
            "def f():\n    x = 1    return x\n",
            "<stdin>:2:14: error: invalid syntax: unexpected 'return'",
        ),
        (
            "from a import b,\n",
            "<stdin>:1:17: error: trailing comma not allowed without surrounding parentheses",
        ),
    ] {
        let out = simpy(&["check", "-"], Some(python.as_bytes()));
        assert_eq!(out.status.code(), Some(1), "{python:?}");
        assert_eq!(text(&out.stdout).lines().next(), Some(said), "{python:?}");
    }
}

/// `-o -` is standard output, as with most tools, not a file named `-` (as it was).
#[test]
fn dash_output_is_standard_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", b"x = 1\n");
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_simpy"))
            .args(args)
            .current_dir(dir.path())
            .output()
            .expect("simpy runs")
    };
    let encoded = run(&["encode", "a.py", "-o", "-"]);
    assert!(encoded.status.success(), "{}", text(&encoded.stderr));
    assert_eq!(text(&encoded.stdout), "x=1\n");
    let grammar = run(&["grammar", "--format", "lark", "-o", "-"]);
    assert!(grammar.status.success(), "{}", text(&grammar.stderr));
    assert!(text(&grammar.stdout).contains("start:"));
    let report = run(&[
        "report",
        "a.py",
        "--tokenizers",
        "gpt4",
        "--format",
        "json",
        "-o",
        "-",
    ]);
    assert!(report.status.success(), "{}", text(&report.stderr));
    assert!(text(&report.stdout).starts_with('{'));
    assert!(
        !dir.path().join("-").exists(),
        "a file named `-` was written"
    );
    // Several inputs still need a directory.
    let several = run(&["encode", "a.py", "a.py", "-o", "-"]);
    assert_eq!(several.status.code(), Some(2), "{}", text(&several.stderr));
}
