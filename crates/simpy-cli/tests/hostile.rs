//! Hostile input to the CLI (README, "Reliability"): binary files and bad bytes, links that
//! loop or lead nowhere, FIFOs, sockets and unreadable files in a tree, files over the size limit, devices as
//! outputs, a full device, Ctrl-C in the middle of a tree. Nothing hangs, nothing is lost, no
//! output is half-written, and every refusal says where and why.

mod support;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};
use support::{simpy, text, write};

fn arg(path: &Path) -> &str {
    path.to_str().expect("utf-8 path")
}

/// Waits for `child`, failing the test (not hanging it) after a minute.
fn finish(mut child: Child) -> Output {
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().expect("waitable").is_none() {
        if Instant::now() > deadline {
            child.kill().expect("killable");
            panic!("simpy hung");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("finished")
}

fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_simpy"))
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("simpy runs")
}

fn names_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn bad_bytes_in_a_tree_are_located_shown_safely_and_the_rest_converted() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    write(&src, "good.py", b"x = 1\n");
    let binary: Vec<u8> = (0..=255u8).cycle().take(4096).collect();
    write(&src, "binary.py", &binary);
    write(&src, "nul.py", b"x = 1\x00\n");
    write(&src, "latin1_as_utf8.py", b"name = '\xe9t\xe9'\n");
    write(&src, "escape_codes.py", b"x = 1\x1b[2J\x1b[31m\n");
    let out = dir.path().join("out");
    let run = simpy(&["encode", arg(&src), "-o", arg(&out)], None);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert_eq!(names_in(&out), ["good.simpy"]);
    for (file, line) in [
        (
            "binary.py",
            "binary.py:2:118: error: source is not valid utf-8",
        ),
        ("nul.py", "nul.py:1:6: error: source contains a null byte"),
        (
            "latin1",
            "latin1_as_utf8.py:1:9: error: source is not valid utf-8",
        ),
        (
            "escape",
            "escape_codes.py:1:6: error: invalid non-printable character U+001B",
        ),
    ] {
        assert!(stderr.contains(line), "{file}: {stderr}");
    }
    // The caret lines show the bad bytes as pictures, never raw to the terminal.
    assert!(
        !stderr.chars().any(|c| c.is_control() && c != '\n'),
        "{stderr:?}"
    );
    assert!(stderr.contains("x = 1␛[2J␛[31m"), "{stderr}");
}

#[test]
fn links_fifos_and_sockets_in_a_tree_are_reported_and_nothing_hangs() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    write(&src, "good.py", b"x = 1\n");
    std::fs::create_dir_all(src.join("sub")).expect("mkdir");
    std::os::unix::fs::symlink("..", src.join("sub/loop")).expect("symlink");
    std::os::unix::fs::symlink("nowhere.py", src.join("dangling.py")).expect("symlink");
    let mkfifo = Command::new("mkfifo")
        .arg(src.join("fifo.py"))
        .status()
        .expect("mkfifo runs");
    assert!(mkfifo.success());
    let _socket = std::os::unix::net::UnixListener::bind(src.join("socket.py")).expect("bind");
    // A file whose reading fails, even for root, whom permissions do not stop.
    std::os::unix::fs::symlink("/proc/self/mem", src.join("unreadable.py")).expect("symlink");
    let out = dir.path().join("out");
    let run = finish(spawn(&["encode", arg(&src), "-o", arg(&out)]));
    let stderr = text(&run.stderr);
    // Links that lead nowhere or in a loop exit 2, as documented; the rest is converted.
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert_eq!(names_in(&out), ["good.simpy"]);
    for expected in [
        "dangling.py: error: a link to nothing (dangling symlink)",
        "loop: error: a symlink loop",
        "fifo.py: error: not a regular file (a FIFO, socket or device); skipped",
        "socket.py: error: not a regular file (a FIFO, socket or device); skipped",
        "unreadable.py: Input/output error",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    // A pipe named on the command line is read, as `simpy encode <(…)` needs.
    let fifo = src.join("fifo.py");
    let writer = std::thread::spawn(move || std::fs::write(fifo, b"y = 2\n"));
    let run = finish(spawn(&["encode", arg(&src.join("fifo.py"))]));
    writer.join().expect("writer").expect("written");
    assert_eq!(text(&run.stdout), "y=2\n", "{}", text(&run.stderr));
}

#[test]
fn inputs_over_the_size_limit_are_refused_before_they_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    write(&src, "good.py", b"x = 1\n");
    // A 100 MB single line: a list literal this long would take about 20 GB to convert.
    let mut line = b"x = [".to_vec();
    line.resize(100 << 20, b'1');
    line.extend_from_slice(b"]\n");
    write(&src, "huge_line.py", &line);
    let out = dir.path().join("out");
    let run = simpy(&["encode", arg(&src), "-o", arg(&out)], None);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("huge_line.py: 100.0 MiB, over the 32.0 MiB limit (--max-file-size"),
        "{stderr}"
    );
    assert_eq!(names_in(&out), ["good.simpy"]);
    // Standard input is cut off at the limit, not read whole first.
    let run = simpy(
        &["--max-file-size", "1K", "encode", "-"],
        Some(&[b' '; 4096]),
    );
    assert_eq!(run.status.code(), Some(1));
    assert!(text(&run.stderr).contains("<stdin>: more than 1.0 KiB, over the 1.0 KiB limit"));
    // A dataset's records are judged one by one.
    let big = format!("x = [{}]\\n", "1, ".repeat(1000));
    let jsonl = format!("{{\"content\": \"{big}\"}}\n{{\"content\": \"y = 2\\n\"}}\n");
    let data = write(dir.path(), "data.jsonl", jsonl.as_bytes());
    let run = simpy(
        &[
            "--max-file-size",
            "1K",
            "report",
            arg(&data),
            "--tokenizers",
            "gpt4",
        ],
        None,
    );
    let stdout = text(&run.stdout);
    assert!(
        stdout.contains("data.jsonl:1: 2.9 KiB, over the 1.0 KiB limit"),
        "{stdout}"
    );
    assert!(!stdout.contains("data.jsonl:2"), "{stdout}");
    let run = simpy(&["--max-file-size", "lots", "encode", "-"], Some(b""));
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("write a size such as 32M or 1G"));
}

#[test]
fn devices_are_written_in_place_and_a_full_one_is_an_error() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let good = write(dir.path(), "good.py", b"x = 1\n");
    let run = simpy(&["encode", arg(&good), "-o", "/dev/null"], None);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    // Renaming a temporary file over it would have replaced the device itself.
    let null = std::fs::metadata("/dev/null").expect("exists");
    assert!(null.file_type().is_char_device());
    let run = simpy(&["encode", arg(&good), "-o", "/dev/full"], None);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("cannot write /dev/full: No space left on device"),
        "{}",
        text(&run.stderr)
    );
    let full = std::fs::File::create("/dev/full").expect("opens");
    let run = Command::new(env!("CARGO_BIN_EXE_simpy"))
        .args(["encode", arg(&good)])
        .stdout(full)
        .output()
        .expect("runs");
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("No space left on device"));
}

#[test]
fn an_existing_output_is_replaced_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    write(&src, "a.py", b"x = 1\n");
    let out = dir.path().join("out");
    write(
        &out,
        "a.simpy",
        b"stale output from an earlier run, longer than the new one\n",
    );
    let run = simpy(&["encode", arg(&src), "-o", arg(&out)], None);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        std::fs::read(out.join("a.simpy")).expect("written"),
        b"x=1\n"
    );
    assert_eq!(names_in(&out), ["a.simpy"]);
}

#[test]
fn ctrl_c_in_a_tree_finishes_the_files_being_written_and_leaves_no_temporary_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let src = dir.path().join("src");
    let python: String = (0..300)
        .map(|i| format!("def f{i}(a, b=1):\n    return [a * b for _ in range({i})]\n\n\n"))
        .collect();
    let files = 4000;
    for i in 0..files {
        write(&src, &format!("f{i:04}.py"), python.as_bytes());
    }
    let want = simpy(&["encode", "-"], Some(python.as_bytes())).stdout;
    let out = dir.path().join("out");
    let child = spawn(&["-j", "1", "encode", arg(&src), "-o", arg(&out)]);
    let deadline = Instant::now() + Duration::from_secs(60);
    while names_in(&out).is_empty() {
        assert!(Instant::now() < deadline, "no output appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let run = finish(child);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("simpy: interrupted: "), "{stderr}");
    let written = names_in(&out);
    assert!(written.len() < files, "the run finished before Ctrl-C");
    for name in &written {
        assert!(name.ends_with(".simpy"), "a temporary file is left: {name}");
        let text = std::fs::read(out.join(name)).expect("readable");
        assert_eq!(text, want, "{name} is not whole");
    }
}
