//! Writes seed inputs for each fuzz target into `OUT/<target>/`: the hard Python of `corpus/`
//! and the tests' fixtures as files (`encode`), their SimPy and the SimPy fixtures (`decode`),
//! and each valid file behind a few choices of cut, chunk size and stop rule (`prompt`,
//! `stream`), and its SimPy in each dialect `dialect` chooses from. `scripts/fuzz.sh` calls it;
//! the fuzzer keeps what adds coverage.
//!
//! Usage: fuzz-seeds REPO OUT

use std::path::{Path, PathBuf};

use simpy::Stop;
use simpy_fuzz::Choices;

fn main() -> std::io::Result<()> {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let [repo, out] = args.as_slice() else {
        eprintln!("usage: fuzz-seeds REPO OUT");
        std::process::exit(2);
    };
    let mut files = Vec::new();
    for root in ["corpus", "crates"] {
        walk(&repo.join(root), &mut files)?;
    }
    files.retain(|f| root_of_seeds(f));
    files.sort();
    let mut written = [0usize; 5];
    for (i, file) in files.iter().enumerate() {
        let bytes = std::fs::read(file)?;
        let name = format!("{i:04}");
        if file.extension().is_some_and(|e| e == "simpy") {
            write(out, "decode", &name, &bytes, &mut written[1])?;
            continue;
        }
        write(out, "encode", &name, &bytes, &mut written[0])?;
        let Ok(python) = std::str::from_utf8(&bytes) else {
            continue;
        };
        let Ok(simpy) = simpy::encode(python) else {
            continue;
        };
        write(out, "decode", &name, simpy.as_bytes(), &mut written[1])?;
        for choice in [0, 1] {
            let Ok(spelt) = simpy_fuzz::dialect_of(choice).respell(&simpy) else {
                continue;
            };
            let mut seed = vec![choice];
            seed.extend_from_slice(spelt.as_bytes());
            let name = format!("{name}-{choice}");
            write(out, "dialect", &name, &seed, &mut written[4])?;
        }
        // Cuts at a third and two thirds of the file, and at the end.
        let len = python.len() as u16;
        for (k, (cut, chunk, stop)) in [
            (len / 3, 1, Stop::None),
            (len / 3 * 2, 7, Stop::Block),
            (len, 64, Stop::TopLevel),
        ]
        .into_iter()
        .enumerate()
        {
            let mut seed = Choices::prefix(cut, chunk, stop).to_vec();
            seed.extend_from_slice(python.as_bytes());
            write(
                out,
                "prompt",
                &format!("{name}-{k}"),
                &seed,
                &mut written[2],
            )?;
            write(
                out,
                "stream",
                &format!("{name}-{k}"),
                &seed,
                &mut written[3],
            )?;
        }
        let mut seed = Choices::prefix_in_compact(len / 2, 3).to_vec();
        seed.extend_from_slice(python.as_bytes());
        write(
            out,
            "stream",
            &format!("{name}-compact"),
            &seed,
            &mut written[3],
        )?;
    }
    eprintln!(
        "seeds: encode {}, decode {}, prompt {}, stream {}, dialect {}",
        written[0], written[1], written[2], written[3], written[4]
    );
    Ok(())
}

/// Python and SimPy files of `corpus/` and of the crates' test fixtures.
fn root_of_seeds(file: &Path) -> bool {
    let text = file.to_string_lossy();
    let is_source = file.extension().is_some_and(|e| e == "py" || e == "simpy");
    is_source && (text.contains("/corpus/") || text.contains("/fixtures/"))
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, files)?;
        } else {
            files.push(path);
        }
    }
    Ok(())
}

fn write(
    out: &Path,
    target: &str,
    name: &str,
    bytes: &[u8],
    count: &mut usize,
) -> std::io::Result<()> {
    let dir = out.join(target);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join(name), bytes)?;
    *count += 1;
    Ok(())
}
