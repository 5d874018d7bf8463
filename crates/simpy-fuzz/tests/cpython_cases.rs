//! CPython's own hard cases, read from the local standard library's `test/` package: the
//! `badsyntax_*.py` and `bad_coding*.py` files, the doctest examples of `test_syntax.py` that
//! expect a `SyntaxError`, and the code strings `test_syntax.py` and `test_grammar.py` pass to
//! `_check_error` and `check_syntax_error` (exec mode). What `ast.parse` rejects is rejected
//! with a located error; what CPython compiles round-trips; what only its compiler rejects
//! (`*a = b`, a misplaced `from __future__`) may go either way. The counts are printed (README).

use simpy_testkit::cpython::stdlib_root;

const SCRIPT: &str = r#"
import ast, doctest, json, os, sys
test = os.path.join(sys.argv[1], "test")
cases = []

def verdict(source):
    try:
        ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "parse"
    try:
        compile(source, "<case>", "exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return "compile"
    return "valid"

def add(origin, data):
    cases.append({"origin": origin, "bytes": data.decode("latin-1"), "cpython": verdict(data)})

for root, _, files in os.walk(test):
    for name in sorted(files):
        if name.startswith(("badsyntax_", "bad_coding")) and name.endswith(".py"):
            path = os.path.join(root, name)
            with open(path, "rb") as f:
                add(os.path.relpath(path, test), f.read())

def text(name):
    with open(os.path.join(test, name), encoding="utf-8") as f:
        return f.read()

doc = ast.get_docstring(ast.parse(text("test_syntax.py")), clean=False)
errors = ("SyntaxError", "IndentationError", "TabError")
for n, example in enumerate(doctest.DocTestParser().get_examples(doc)):
    if example.exc_msg and example.exc_msg.startswith(errors):
        add(f"test_syntax.py doctest {n}", example.source.encode("utf-8"))

for name in ("test_syntax.py", "test_grammar.py"):
    for node in ast.walk(ast.parse(text(name))):
        if not isinstance(node, ast.Call):
            continue
        func = getattr(node.func, "attr", getattr(node.func, "id", None))
        at = {"_check_error": 0, "check_syntax_error": 1}.get(func)
        if at is None or len(node.args) <= at:
            continue
        mode = [k.value for k in node.keywords if k.arg == "mode"]
        if mode and not (isinstance(mode[0], ast.Constant) and mode[0].value == "exec"):
            continue
        try:
            code = ast.literal_eval(node.args[at])
        except ValueError:
            continue
        if isinstance(code, str):
            add(f"{name}:{node.lineno}", code.encode("utf-8"))
json.dump(cases, sys.stdout)
"#;

struct Case {
    origin: String,
    bytes: Vec<u8>,
    cpython: String,
}

fn cases() -> Vec<Case> {
    let out = std::process::Command::new("python3")
        .args(["-c", SCRIPT])
        .arg(stdlib_root())
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let values: Vec<serde_json::Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    values
        .into_iter()
        .map(|v| Case {
            origin: v["origin"].as_str().expect("origin").to_owned(),
            // Latin-1 carries the bytes through JSON.
            bytes: v["bytes"]
                .as_str()
                .expect("bytes")
                .chars()
                .map(|c| c as u8)
                .collect(),
            cpython: v["cpython"].as_str().expect("verdict").to_owned(),
        })
        .collect()
}

#[test]
fn cpython_syntax_errors_are_rejected_and_its_valid_cases_round_trip() {
    let cases = cases();
    let [mut parse_rejected, mut valid, mut compile_only_rejected, mut compile_only_accepted] =
        [0usize; 4];
    let mut failures = Vec::new();
    for case in &cases {
        let result = simpy::encode_bytes(&case.bytes, &simpy::EncodeOptions::default());
        let source = String::from_utf8_lossy(&case.bytes);
        match (case.cpython.as_str(), &result) {
            (_, Err(e)) if e.kind == simpy::ErrorKind::Internal => {
                failures.push(format!("{}: internal error {e}\n{source}", case.origin))
            }
            ("parse", Ok(simpy)) => failures.push(format!(
                "{}: CPython's parser rejects it, we accept it as\n{simpy}\n{source}",
                case.origin
            )),
            ("parse", Err(e)) => {
                assert!(e.location.line >= 1, "{}: no location", case.origin);
                parse_rejected += 1;
            }
            ("valid", Err(e)) => {
                failures.push(format!("{}: valid, rejected: {e}\n{source}", case.origin))
            }
            ("valid", Ok(_)) => {
                simpy_fuzz::encode(&case.bytes);
                valid += 1;
            }
            (_, Err(_)) => compile_only_rejected += 1,
            (_, Ok(_)) => {
                simpy_fuzz::encode(&case.bytes);
                compile_only_accepted += 1;
            }
        }
    }
    eprintln!(
        "{} cases: {parse_rejected} rejected by CPython's parser, all rejected here with a \
         location; {valid} valid, all round-trip; {} rejected only by CPython's compiler: \
         {compile_only_rejected} rejected here, {compile_only_accepted} accepted and round-trip",
        cases.len(),
        compile_only_rejected + compile_only_accepted
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(
        parse_rejected > 300,
        "only {parse_rejected} parser errors found"
    );
}
