//! Prints tree-sitter-python's tree of a file, for finding where it misreads valid Python:
//! `cargo run -p simpy-python --example cst FILE`.

fn main() {
    let path = std::env::args().nth(1).expect("usage: cst FILE");
    let src = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
    let mut parser = tree_sitter::Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .expect("the grammar loads");
    let tree = parser.parse(&src, None).expect("a tree");
    println!("{}", tree.root_node().to_sexp());
}
