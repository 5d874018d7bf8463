//! `--dialect` and `simpy dialect` end to end.

mod support;

use support::{simpy, text, write};

const SOURCE: &[u8] = b"class A:\n    def f(self, x):\n        if x is not None:\n            return self.y\n        else:\n            return [x]  # why\n";

#[test]
fn compact_encodes_in_fewer_bytes_and_decodes_to_the_same_python() {
    let canonical = simpy(&["encode", "-"], Some(SOURCE));
    let compact = simpy(&["encode", "--dialect", "compact", "-"], Some(SOURCE));
    assert!(compact.status.success(), "{}", text(&compact.stderr));
    assert!(compact.stdout.len() < canonical.stdout.len());
    assert!(
        text(&compact.stdout).contains("<return>.y"),
        "{}",
        text(&compact.stdout)
    );
    let decoded = simpy(
        &["decode", "--dialect", "compact", "-"],
        Some(&compact.stdout),
    );
    let normal = simpy(&["decode", "-"], Some(&canonical.stdout));
    assert!(decoded.status.success(), "{}", text(&decoded.stderr));
    assert_eq!(text(&decoded.stdout), text(&normal.stdout));
    // Read as canonical SimPy, compact is an error, not other Python.
    let misread = simpy(&["decode", "-"], Some(&compact.stdout));
    assert_eq!(misread.status.code(), Some(1), "{}", text(&misread.stdout));
}

#[test]
fn an_error_in_a_dialect_points_into_its_text() {
    let out = simpy(
        &["decode", "--dialect", "compact", "-"],
        Some(b"<def_stmt>f x:\n<return>.y+)\n"),
    );
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).starts_with("<stdin>:2:12: error: unexpected `)`"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_dialect_file_from_show_is_read_back_and_bad_files_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let shown = simpy(&["dialect", "show", "compact"], None);
    assert!(shown.status.success());
    let no_self =
        text(&shown.stdout).replace("\"implicit_self\": true", "\"implicit_self\": false");
    let file = write(dir.path(), "mine.json", no_self.as_bytes());
    let file = file.to_str().expect("utf-8 path");
    let out = simpy(&["encode", "--dialect", file, "-"], Some(SOURCE));
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("<return>self.y:")
            || text(&out.stdout).contains("<return>self.y<")
    );
    let back = simpy(&["decode", "--dialect", file, "-"], Some(&out.stdout));
    assert!(back.status.success(), "{}", text(&back.stderr));

    let bad = write(
        dir.path(),
        "bad.json",
        br#"{"simpy_dialect": 1, "name": "x", "choices": {"selfless": true}}"#,
    );
    // Not from standard input: the command stops before reading it.
    let source = write(dir.path(), "a.py", SOURCE);
    let source = source.to_str().expect("utf-8 path");
    let out = simpy(
        &["encode", "--dialect", bad.to_str().expect("utf-8"), source],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr)
        .contains("unknown choice `selfless`; the choices are line_sep_as_newline"));
    let out = simpy(&["encode", "--dialect", "nope", source], None);
    assert!(text(&out.stderr).contains("no dialect named `nope` (built in: simpy, compact)"));
}

#[test]
fn a_prompt_in_compact_completes_whole_and_streamed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let python = "class A:\n    def f(self, x):\n        if x:\n            return self.y\n";
    let prompt = write(
        dir.path(),
        "prompt.py",
        &python.as_bytes()[..python.find("        if").unwrap()],
    );
    let prompt = prompt.to_str().expect("utf-8 path");
    let spelt = simpy(
        &["encode", "--prompt", "--dialect", "compact", prompt],
        None,
    );
    assert!(spelt.status.success(), "{}", text(&spelt.stderr));
    assert_eq!(text(&spelt.stdout), "<class_stmt>A:\n<def_stmt>.f x:\n");
    let whole = simpy(
        &["encode", "--dialect", "compact", "-"],
        Some(python.as_bytes()),
    );
    let rest = text(&whole.stdout)[spelt.stdout.len()..].to_owned();
    assert_eq!(rest, "<if_stmt>x:\n<return>.y\n\n\n\n<block_end>\n");
    // `simpy complete` of a compact continuation, whole and streamed.
    let complete = |continuation: &[u8]| {
        let both = ["", "--stream"].map(|stream| {
            let mut args = vec!["complete", "--dialect", "compact", "--prompt", prompt, "-"];
            if !stream.is_empty() {
                args.push(stream);
            }
            simpy(&args, Some(continuation))
        });
        let [whole, streamed] = both;
        assert_eq!(
            whole.stdout, streamed.stdout,
            "streamed, the Python is the same"
        );
        (whole, streamed)
    };
    let (done, streamed) = complete(rest.as_bytes());
    assert!(done.status.success(), "{}", text(&done.stderr));
    assert!(streamed.status.success(), "{}", text(&streamed.stderr));
    assert_eq!(
        text(&done.stdout),
        "        if x:\n            return self.y\n"
    );
    // A line break that ends the continuation ends its last statement, no more.
    let (ended, _) = complete(b"<if_stmt>x:\n<return>.y\nz=1\n");
    assert!(ended.status.success(), "{}", text(&ended.stderr));
    assert_eq!(
        text(&ended.stdout),
        "        if x:\n            return self.y\n            z = 1\n"
    );
    // What a cut-off continuation drops is said in the continuation's own bytes.
    for cut in <[_; 2]>::from(complete(b"<if_stmt>x:\n<return>.y\nz+)")) {
        assert!(cut.status.success(), "{}", text(&cut.stderr));
        assert!(
            text(&cut.stderr).contains("4 bytes were dropped from byte 22"),
            "{}",
            text(&cut.stderr)
        );
    }
    // A mistake before the last statement is an error at its token, in the text as given
    // (`complete` also writes what it kept).
    let (whole, wrong) = complete(b"<if_stmt>x:\n<return>.y+)\nz=1");
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        text(&wrong.stderr).contains("cannot follow the prompt at byte 23 of it: unexpected `)`"),
        "{}",
        text(&wrong.stderr)
    );
    assert!(
        text(&whole.stderr).ends_with(&text(&wrong.stderr)),
        "{}",
        text(&whole.stderr)
    );
    // A byte that is not UTF-8 is an error at it, streamed; what came before is written.
    let mut args = vec![
        "complete",
        "--stream",
        "--dialect",
        "compact",
        "--prompt",
        prompt,
        "-",
    ];
    let bad = simpy(&args, Some(b"<if_stmt>x:\n<return>.y\nz=\xff"));
    assert_eq!(bad.status.code(), Some(1));
    assert_eq!(
        text(&bad.stdout),
        "        if x:\n            return self.y\n"
    );
    assert!(
        text(&bad.stderr).contains("byte 0xff (byte 25 of the continuation) is not"),
        "{}",
        text(&bad.stderr)
    );
    args[3] = "simpy";
    let canonical = simpy(&args, Some(b"<return>self<line_sep>z=\xff"));
    assert!(
        text(&canonical.stderr).contains("byte 0xff (byte 24 of the continuation) is not"),
        "{}",
        text(&canonical.stderr)
    );
    let source = std::str::from_utf8(SOURCE).expect("utf-8");
    let compact = simpy(&["encode", "--dialect", "compact", "-"], Some(SOURCE));
    let out = simpy(
        &["decode", "--stream", "--dialect", "compact", "-"],
        Some(&compact.stdout),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), source);
}

#[test]
fn report_counts_the_dialect_it_is_given() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "a.py", SOURCE);
    let root = dir.path().to_str().expect("utf-8 path");
    let count = |dialect: &str| {
        let out = simpy(
            &[
                "report",
                "-q",
                "--tokenizers",
                "gpt4",
                "--format",
                "json",
                "--dialect",
                dialect,
                root,
            ],
            None,
        );
        assert!(out.status.success(), "{}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        assert_eq!(json["dialect"], dialect);
        json
    };
    let tokens = |j: serde_json::Value| {
        j["comments_kept"]["gpt4"]["simpy"]
            .as_u64()
            .expect("a count")
    };
    let (canonical, compact) = (tokens(count("simpy")), tokens(count("compact")));
    assert!(compact < canonical, "compact {compact}, simpy {canonical}");
}

/// Eight files of test-like methods in two folders, `lib` (6) and `tests` (2).
fn method_corpus(dir: &std::path::Path) {
    let method = "    def m{i}(self, x):\n        self.assertEqual(self.value{i}, x)\n        return self.value{i}\n";
    for (folder, n) in [("lib", 6), ("tests", 2)] {
        for f in 0..n {
            let body: String = (0..8)
                .map(|i| method.replace("{i}", &i.to_string()))
                .collect();
            let source = format!("class T{f}:\n{body}");
            std::fs::create_dir_all(dir.join(folder)).expect("mkdir");
            write(&dir.join(folder), &format!("m{f}.py"), source.as_bytes());
        }
    }
}

#[test]
fn text_idioms_hold_no_simpy_token() {
    let dir = tempfile::tempdir().expect("tempdir");
    method_corpus(dir.path());
    let root = dir.path().to_str().expect("utf-8");
    // How many of the idioms learnt with `flags` have a side that is one of SimPy's tokens
    // (a side that is an earlier idiom is checked as that idiom).
    let holding_tokens = |flags: &[&str]| -> usize {
        let file = dir.path().join("d.json");
        let file = file.to_str().expect("utf-8");
        let mut args = vec!["dialect", "train", root, "--tokenizer", "gpt4"];
        args.extend(["--idioms", "20", "--min-uses", "2", "-o", file, "--quiet"]);
        args.extend(flags);
        let out = simpy(&args, None);
        assert!(out.status.success(), "{}", text(&out.stderr));
        let dialect: serde_json::Value =
            serde_json::from_slice(&std::fs::read(file).expect("written")).expect("JSON");
        let idioms = dialect["idioms"].as_array().expect("idioms").clone();
        assert!(idioms.len() > 5, "{idioms:?}");
        idioms
            .iter()
            .filter(|pair| {
                let sides = pair.as_array().expect("a pair");
                sides.iter().any(|side| {
                    simpy::ast::Special::from_text(side.as_str().expect("text")).is_some()
                })
            })
            .count()
    };
    assert!(holding_tokens(&[]) > 0);
    assert_eq!(holding_tokens(&["--text-idioms"]), 0);
}

#[test]
fn a_trained_dialect_has_idioms_that_encode_and_decode_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    method_corpus(dir.path());
    let file = dir.path().join("gpt4.dialect.json");
    let root = dir.path().to_str().expect("utf-8");
    let out = simpy(
        &[
            "dialect",
            "train",
            root,
            "--tokenizer",
            "gpt4",
            "--idioms",
            "20",
            "--min-uses",
            "2",
            "-o",
            file.to_str().expect("utf-8"),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let table = text(&out.stdout);
    assert!(
        table.contains("held out") && table.contains("gpt4 (20 idioms)"),
        "{table}"
    );
    let dialect: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("written")).expect("JSON");
    assert_eq!(dialect["name"], "gpt4");
    assert_eq!(dialect["idioms"].as_array().map(Vec::len), Some(20));
    let (training, held_out) = (
        &dialect["trained"]["training_files"],
        &dialect["trained"]["held_out_files"],
    );
    assert!(
        [(2, 6), (6, 2)].contains(&(
            training.as_u64().unwrap_or(0),
            held_out.as_u64().unwrap_or(0)
        )),
        "whole directories are held out: {training} {held_out}"
    );
    // The folders held out are named, relative to the path given.
    let held_folder = if held_out.as_u64() == Some(2) {
        "tests"
    } else {
        "lib"
    };
    assert_eq!(
        dialect["trained"]["held_out_folders"],
        serde_json::json!([held_folder])
    );

    let dialect = file.to_str().expect("utf-8");
    let source = dir.path().join("tests/m0.py");
    let encoded = simpy(
        &[
            "encode",
            "--dialect",
            dialect,
            source.to_str().expect("utf-8"),
        ],
        None,
    );
    assert!(encoded.status.success(), "{}", text(&encoded.stderr));
    assert!(
        text(&encoded.stdout).contains("<@"),
        "{}",
        text(&encoded.stdout)
    );
    // As token ids, each idiom is one id after cl100k's and SimPy's (gpt4).
    let first_idiom = simpy_tokens::SimpyVocabulary::named("gpt4")
        .expect("built in")
        .len();
    let ids = simpy(
        &[
            "encode",
            "--dialect",
            dialect,
            "--token-ids",
            "gpt4",
            source.to_str().expect("utf-8"),
        ],
        None,
    );
    assert!(ids.status.success(), "{}", text(&ids.stderr));
    let idiom_ids = text(&ids.stdout)
        .split_whitespace()
        .filter(|id| id.parse::<u32>().expect("an id") >= first_idiom)
        .count();
    assert_eq!(idiom_ids, text(&encoded.stdout).matches("<@").count());
    let decoded = simpy(
        &["decode", "--dialect", dialect, "-"],
        Some(&encoded.stdout),
    );
    let plain = simpy(&["normalize", source.to_str().expect("utf-8")], None);
    assert_eq!(text(&decoded.stdout), text(&plain.stdout));
    // The ids read back as they arrive, idioms included.
    let streamed = simpy(
        &[
            "decode",
            "--stream",
            "--dialect",
            dialect,
            "--token-ids",
            "gpt4",
            "-",
        ],
        Some(&ids.stdout),
    );
    assert!(streamed.status.success(), "{}", text(&streamed.stderr));
    assert_eq!(text(&streamed.stdout), text(&plain.stdout));
    // An idiom the dialect does not have is an error at its token.
    let out = simpy(&["decode", "--dialect", dialect, "-"], Some(b"x=<@99>"));
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("1:3: error: unknown idiom token `<@99>`"),
        "{}",
        text(&out.stderr)
    );
    // One directory cannot be split by directory.
    let lib = dir.path().join("lib");
    let out = simpy(
        &[
            "dialect",
            "train",
            lib.to_str().expect("utf-8"),
            "--tokenizer",
            "gpt4",
            "-o",
            file.to_str().expect("utf-8"),
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("all in one directory"),
        "{}",
        text(&out.stderr)
    );
}

/// `--literals normalized`: the dialect file says so, encode writes literals from their values
/// (a table's concatenated strings as one), decode gives the same AST (CPython's `ast.dump`)
/// and report says the spellings are not the author's.
#[test]
fn a_dialect_trained_to_normalize_literals_writes_them_from_their_values() {
    let dir = tempfile::tempdir().expect("tempdir");
    let table =
        "TABLE = (\n    '\\x00'  # NULL\n    '\\x01'  # START\n    \"\\x02\"\n)\nMASK = 0xFF\n";
    for folder in ["codecs", "more"] {
        std::fs::create_dir_all(dir.path().join(folder)).expect("mkdir");
        write(&dir.path().join(folder), "t.py", table.as_bytes());
    }
    let file = dir.path().join("n.dialect.json");
    let out = simpy(
        &[
            "dialect",
            "train",
            dir.path().to_str().expect("utf-8"),
            "--tokenizer",
            "gpt4",
            "--idioms",
            "0",
            "--literals",
            "normalized",
            "-o",
            file.to_str().expect("utf-8"),
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("simpy, literals normalized"),
        "{}",
        text(&out.stdout)
    );
    let dialect: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&file).expect("written")).expect("JSON");
    assert_eq!(dialect["literals"], "normalized");

    let dialect = file.to_str().expect("utf-8");
    let source = dir.path().join("codecs/t.py");
    let source = source.to_str().expect("utf-8");
    let encoded = simpy(&["encode", "--dialect", dialect, source, "-o", "-"], None);
    assert!(encoded.status.success(), "{}", text(&encoded.stderr));
    let spelt = text(&encoded.stdout);
    assert!(
        spelt.contains(r"'\x00\x01\x02'") && spelt.contains("255") && spelt.contains("# START"),
        "{spelt}"
    );
    let decoded = simpy(
        &["decode", "--dialect", dialect, "-"],
        Some(&encoded.stdout),
    );
    assert!(decoded.status.success(), "{}", text(&decoded.stderr));
    let dump = |python: &[u8]| simpy_testkit::cpython::cpython_parse(&[python]).remove(0);
    assert_eq!(dump(&decoded.stdout), dump(table.as_bytes()));
    assert!(dump(table.as_bytes()).is_ok());

    let report = simpy(
        &[
            "report",
            "--tokenizers",
            "gpt4",
            "--dialect",
            dialect,
            source,
        ],
        None,
    );
    assert!(report.status.success(), "{}", text(&report.stderr));
    assert!(
        text(&report.stdout).contains("its literals normalized"),
        "{}",
        text(&report.stdout)
    );
}

#[test]
fn grammar_takes_a_dialect_with_or_without_idioms() {
    let dir = tempfile::tempdir().expect("tempdir");
    let no_blank_lines = write(
        dir.path(),
        "no-blank-lines.json",
        br#"{"simpy_dialect": 1, "name": "no-blank-lines", "choices": {"line_sep_as_newline": true, "block_start_as_colon": true}}"#,
    );
    let path = no_blank_lines.to_str().expect("utf-8 path");
    let out = simpy(&["grammar", "--format", "gbnf", "--dialect", path], None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let gbnf = text(&out.stdout);
    assert!(
        gbnf.starts_with("# SimPy in the dialect `no-blank-lines`"),
        "{gbnf}"
    );
    // `<block_start>` may be written as `:` and a line break.
    assert!(gbnf.contains(r#"("<block_start>" | ":\x0A")"#), "{gbnf}");
    // Both layouts as line breaks: no stray `<line_sep>` in GBNF, so that a run of line
    // breaks has one reading.
    let out = simpy(
        &["grammar", "--format", "gbnf", "--dialect", "compact"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("refused: a `<line_sep>` after a block's end"),
        "{}",
        text(&out.stdout)
    );
    let out = simpy(
        &["grammar", "--format", "llguidance", "--dialect", "compact"],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    // A dialect with idioms: the grammar of its spellings (here the canonical ones), the
    // header saying how a model that writes idioms is held to it.
    let file = write(
        dir.path(),
        "idioms.json",
        br#"{"simpy_dialect": 1, "name": "mine", "idioms": [["<line_sep>", "<return>"], ["x", "="]]}"#,
    );
    let with_idioms = simpy(
        &["grammar", "--dialect", file.to_str().expect("utf-8 path")],
        None,
    );
    assert!(
        with_idioms.status.success(),
        "{}",
        text(&with_idioms.stderr)
    );
    let header = text(&with_idioms.stdout);
    assert!(
        header.contains("with its 2 idioms written out") && header.contains("--spell-out-idioms"),
        "{header}"
    );
    let rules = |grammar: &[u8]| -> String {
        text(grammar)
            .lines()
            .filter(|line| !line.starts_with("//"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let canonical = simpy(&["grammar"], None);
    assert_eq!(rules(&with_idioms.stdout), rules(&canonical.stdout));
}

#[test]
fn spelling_out_idioms_needs_a_dialect_with_idioms() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out_dir = dir.path().join("tok");
    let out_dir = out_dir.to_str().expect("utf-8 path");
    let out = simpy(
        &[
            "tokenizer",
            "export",
            "--base",
            "gpt4",
            "--spell-out-idioms",
            "-o",
            out_dir,
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("--dialect"),
        "{}",
        text(&out.stderr)
    );
    let out = simpy(
        &[
            "tokenizer",
            "export",
            "--base",
            "gpt4",
            "--dialect",
            "compact",
            "--spell-out-idioms",
            "-o",
            out_dir,
        ],
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("has no idioms; --spell-out-idioms changes nothing"),
        "{}",
        text(&out.stderr)
    );
}
