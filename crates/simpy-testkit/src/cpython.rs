//! CPython as the oracle: the machine's `python3` (3.11) parses what we parse.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Runs `python3 -c script` with `input` on stdin and returns its stdout.
pub fn run_python(script: &str, input: &[u8]) -> Vec<u8> {
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 must be installed: it is the oracle for these tests");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().expect("python3 runs");
    writer
        .join()
        .expect("writer thread")
        .expect("python3 reads its input");
    assert!(output.status.success(), "python3 failed");
    output.stdout
}

/// What `ast.parse` says of a source: `Ok(ast.dump(tree))` or `Err(message)`.
pub type Verdict = Result<String, String>;

fn verdicts(json: &[u8]) -> Vec<Verdict> {
    let values: Vec<serde_json::Value> =
        serde_json::from_slice(json).expect("oracle output is JSON");
    values
        .into_iter()
        .map(|v| match (v.get("dump"), v.get("error")) {
            (Some(serde_json::Value::String(d)), _) => Ok(d.clone()),
            (_, Some(serde_json::Value::String(e))) => Err(e.clone()),
            _ => panic!("unexpected oracle answer {v}"),
        })
        .collect()
}

/// CPython's verdict on each source.
pub fn cpython_parse(sources: &[&[u8]]) -> Vec<Verdict> {
    const SCRIPT: &str = r#"
import ast, json, sys
out = []
for text in json.load(sys.stdin):
    try:
        out.append({"dump": ast.dump(ast.parse(text.encode("latin-1")))})
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        out.append({"error": str(e)})
json.dump(out, sys.stdout)
"#;
    // Latin-1 carries arbitrary bytes through JSON.
    let texts: Vec<String> = sources
        .iter()
        .map(|s| s.iter().map(|&b| b as char).collect())
        .collect();
    let input = serde_json::to_vec(&texts).expect("serialisable");
    verdicts(&run_python(SCRIPT, &input))
}

/// CPython's verdict on each file, computed in parallel.
pub fn cpython_parse_files(files: &[PathBuf]) -> Vec<Verdict> {
    const SCRIPT: &str = r#"
import ast, json, sys
from multiprocessing import Pool
def verdict(path):
    try:
        return {"dump": ast.dump(ast.parse(open(path, "rb").read()))}
    except (SyntaxError, ValueError, RecursionError, MemoryError) as e:
        return {"error": str(e)}
if __name__ == "__main__":
    with Pool() as pool:
        json.dump(pool.map(verdict, json.load(sys.stdin), chunksize=16), sys.stdout)
"#;
    let paths: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let input = serde_json::to_vec(&paths).expect("serialisable");
    verdicts(&run_python(SCRIPT, &input))
}

/// The machine's CPython standard library, as `sysconfig` reports it.
pub fn stdlib_root() -> PathBuf {
    let out = run_python(
        "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
        b"",
    );
    PathBuf::from(String::from_utf8(out).expect("utf-8 path").trim())
}

/// Every `.py` file of the standard library outside `site-packages`, sorted.
pub fn stdlib_files() -> Vec<PathBuf> {
    let mut files = Vec::new();
    collect_py(&stdlib_root(), &mut files);
    files.sort();
    files
}

fn collect_py(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable stdlib directory") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            if path
                .file_name()
                .is_some_and(|n| n != "site-packages" && n != "__pycache__")
            {
                collect_py(&path, out);
            }
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}
