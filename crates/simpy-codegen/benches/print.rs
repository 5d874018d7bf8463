//! Printing throughput over the machine's CPython standard library, one core, counted in
//! bytes of the original Python source. `cargo bench -p simpy-codegen --bench print`.

use std::path::{Path, PathBuf};
use std::process::Command;

fn main() {
    let corpus = corpus();
    let total: usize = corpus.iter().map(|p| p.source.len()).sum();
    eprintln!(
        "corpus: {} files, {:.1} MB of Python",
        corpus.len(),
        total as f64 / 1e6
    );
    divan::main();
}

fn corpus() -> &'static [simpy_python::Parsed] {
    static CORPUS: std::sync::OnceLock<Vec<simpy_python::Parsed>> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| {
        let out = Command::new("python3")
            .args([
                "-c",
                "import sysconfig; print(sysconfig.get_paths()['stdlib'])",
            ])
            .output()
            .expect("python3 locates the standard library");
        let root = PathBuf::from(String::from_utf8_lossy(&out.stdout).trim());
        let mut files = Vec::new();
        collect(&root, &mut files);
        files.sort();
        files
            .iter()
            .filter_map(|p| simpy_python::parse_module(&std::fs::read(p).expect("readable")).ok())
            .collect()
    })
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable directory") {
        let path = entry.expect("entry").path();
        if path.is_dir() && path.file_name().is_some_and(|n| n != "site-packages") {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "py") {
            out.push(path);
        }
    }
}

#[divan::bench(sample_count = 5, sample_size = 1)]
fn print_python(bencher: divan::Bencher) {
    let bytes = corpus().iter().map(|p| p.source.len()).sum::<usize>();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| {
            for parsed in corpus() {
                let options = simpy_codegen::PythonOptions {
                    source: Some(&parsed.source),
                };
                divan::black_box(simpy_codegen::print_python_with(
                    &parsed.module,
                    &parsed.comments,
                    &options,
                ));
            }
        });
}
