//! Compiles `csrc/flatten.c` against the tree-sitter sources cargo already holds: the crate
//! says where its headers are (`links = "tree-sitter"` gives `DEP_TREE_SITTER_INCLUDE`), and
//! its private headers sit beside them in `src/`.

use std::path::PathBuf;

fn main() {
    let include = PathBuf::from(
        std::env::var("DEP_TREE_SITTER_INCLUDE").expect("tree-sitter's build script says this"),
    );
    let private = include.with_file_name("src");
    println!("cargo:rerun-if-changed=csrc/flatten.c");
    cc::Build::new()
        .std("c11")
        .include(&include)
        .include(&private)
        .warnings(false)
        .opt_level(3)
        .file("csrc/flatten.c")
        .compile("simpy_flatten");
}
