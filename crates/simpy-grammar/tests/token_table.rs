//! `simpy_ast::Special` is the one table of special tokens: the grammar's extern block and
//! SPEC.md's list must say exactly what it says.

use simpy_ast::Special;
use std::collections::BTreeSet;

fn read(relative: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Python 2 spellings: the lexer refuses them with a message, so the grammar never sees them.
fn refused_by_the_lexer(s: Special) -> bool {
    matches!(s, Special::Print | Special::Exec | Special::LtGt)
}

#[test]
fn the_grammar_extern_block_is_the_table() {
    let grammar = read("src/grammar.lalrpop");
    let mut seen = BTreeSet::new();
    for line in grammar.lines().map(str::trim) {
        let Some((text, rest)) = line.split_once(" => Tok::Special(Special::") else {
            continue;
        };
        let text = text.trim_matches('"');
        let variant = rest.trim_end_matches("),");
        let special = Special::from_text(text)
            .unwrap_or_else(|| panic!("the grammar names `{text}`, which the table lacks"));
        assert_eq!(format!("{special:?}"), variant, "`{text}` in the grammar");
        assert!(seen.insert(text), "`{text}` twice in the grammar");
    }
    let table: BTreeSet<&str> = Special::ALL
        .iter()
        .filter(|s| !refused_by_the_lexer(**s))
        .map(|s| s.text())
        .collect();
    assert_eq!(seen, table);
}

#[test]
fn spec_lists_every_token_of_the_table() {
    let spec = read("../../grammar/SPEC.md");
    let section = spec
        .split("## Special tokens")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("SPEC.md has a section on special tokens");
    let mut listed = BTreeSet::new();
    for row in section.lines().filter(|l| l.starts_with("| `<")) {
        let first_column = row.split(" | ").next().unwrap_or_default();
        for token in first_column.split('`').filter(|t| t.starts_with('<')) {
            assert!(listed.insert(token.to_owned()), "{token} listed twice");
        }
    }
    let table: BTreeSet<String> = Special::ALL.iter().map(|s| s.text().to_owned()).collect();
    assert_eq!(listed, table);
}
