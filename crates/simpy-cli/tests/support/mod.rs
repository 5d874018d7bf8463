//! Running the `simpy` binary from tests.

#![allow(dead_code)] // each test file uses some of these

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub fn simpy(args: &[&str], stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_simpy"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("simpy runs");
    let mut pipe = child.stdin.take().expect("stdin");
    if let Some(bytes) = stdin {
        pipe.write_all(bytes).expect("stdin accepts input");
    }
    drop(pipe);
    child.wait_with_output().expect("simpy finishes")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn cpython_dump(path: &Path) -> String {
    let out = Command::new("python3")
        .args([
            "-c",
            "import ast,sys; print(ast.dump(ast.parse(open(sys.argv[1],'rb').read())))",
        ])
        .arg(path)
        .output()
        .expect("python3 runs");
    assert!(out.status.success());
    text(&out.stdout)
}

pub fn write(dir: &Path, name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let path = dir.join(name);
    std::fs::create_dir_all(path.parent().expect("has a parent")).expect("mkdir");
    std::fs::write(&path, bytes).expect("write");
    path
}
