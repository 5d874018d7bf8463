fn main() {
    // The parser is generated into OUT_DIR; only the .lalrpop source is committed.
    lalrpop::Configuration::new()
        .use_cargo_dir_conventions()
        .emit_rerun_directives(true)
        .process()
        .expect("the SimPy grammar compiles");
}
