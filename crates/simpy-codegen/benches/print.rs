//! Printing throughput over the machine's CPython standard library, one core, counted in
//! bytes of the original Python source, for each printer. `cargo bench -p simpy-codegen --bench print`.

use simpy_testkit::cpython as support;

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
        let files = support::stdlib_files();
        files
            .iter()
            .filter_map(|p| simpy_python::parse_module(&std::fs::read(p).expect("readable")).ok())
            .collect()
    })
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

#[divan::bench(sample_count = 5, sample_size = 1)]
fn print_simpy(bencher: divan::Bencher) {
    let bytes = corpus().iter().map(|p| p.source.len()).sum::<usize>();
    bencher
        .counter(divan::counter::BytesCount::new(bytes))
        .bench(|| {
            for parsed in corpus() {
                divan::black_box(simpy_codegen::print_simpy(&parsed.module, &parsed.comments));
            }
        });
}
