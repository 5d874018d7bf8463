//! What the front end adds to tree-sitter's parse, for counting instructions: one pass over
//! every `step`-th stdlib file, doing one thing per file. Run it under callgrind and read
//! `callgrind_annotate --inclusive=yes` (README, *Speed of the front end*):
//!
//! ```sh
//! cargo build --release -p simpy-python --example front_cost
//! valgrind --tool=callgrind target/release/examples/front_cost front 5
//! ```
//!
//! - `parse`: tree-sitter's parse, and the tree dropped: the floor;
//! - `walk`: `parse`, then a cursor visiting each node once: the least any lowering costs;
//! - `flat`: `parse`, then the tree flattened as the front end reads it (`flat.rs`);
//! - `front`: `parse_str`, the whole front end;
//! - `hash`: a hash of each file's `parse_str` result (`Debug`, errors included), one per
//!   line: two builds print the same lines when a change keeps every tree.

use std::hash::{Hash, Hasher};

/// The allocator the `simpy` command and the Python package use.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> Result<(), String> {
    #[allow(unsafe_code)]
    // SAFETY: first thing in `main`: no thread and no tree-sitter object exists yet.
    unsafe {
        simpy_python::tree_sitter_allocates_with_mimalloc();
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = "usage: front_cost parse|walk|flat|front|hash STEP";
    let [mode, step] = args.as_slice() else {
        return Err(usage.into());
    };
    let step: usize = step.parse().map_err(|_| usage.to_string())?;
    let texts: Vec<String> = simpy_testkit::cpython::stdlib_files()
        .iter()
        .step_by(step.max(1))
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .collect();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut nodes = 0u64;
    for text in &texts {
        match mode.as_str() {
            "parse" => drop(std::hint::black_box(simpy_python::tree_sitter_parse(text))),
            "walk" => nodes += walk(text),
            "flat" => nodes += simpy_python::tree_sitter_parse_flat(text).unwrap_or(0) as u64,
            "front" => drop(std::hint::black_box(simpy_python::parse_str(text))),
            "hash" => {
                let mut hasher = std::collections::hash_map::DefaultHasher::new();
                format!("{:?}", simpy_python::parse_str(text)).hash(&mut hasher);
                println!("{:016x}", hasher.finish());
            }
            _ => return Err(usage.into()),
        }
    }
    eprintln!("{} files, {bytes} bytes, {nodes} nodes walked", texts.len());
    Ok(())
}

/// Visits every node of `text`'s tree once, in order; returns how many.
fn walk(text: &str) -> u64 {
    let Some(tree) = simpy_python::tree_sitter_parse(text) else {
        return 0;
    };
    let mut cursor = tree.walk();
    let mut visited = 0;
    loop {
        visited += 1;
        if cursor.goto_first_child() {
            continue;
        }
        while !cursor.goto_next_sibling() {
            if !cursor.goto_parent() {
                return visited;
            }
        }
    }
}
