//! `grammar/` holds the exported grammars; they must be what the export writes today, so a
//! change to `grammar.lalrpop`, the lexer or the layout rules that forgets them fails here.
//! Their languages are checked against the stdlib with the engines themselves (lark,
//! llguidance) by the Python package's tests (`crates/simpy-py/tests/test_grammar.py`).

use simpy_grammar::{export_grammar, GrammarFormat};

#[test]
fn the_files_in_grammar_are_up_to_date() {
    for format in GrammarFormat::ALL {
        let path = format!(
            "{}/../../grammar/{}",
            env!("CARGO_MANIFEST_DIR"),
            format.file_name()
        );
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == export_grammar(format),
            "{path} is stale: run `bash scripts/export_grammars.sh`"
        );
    }
}

#[test]
fn every_special_token_is_in_every_grammar() {
    for format in GrammarFormat::ALL {
        let text = export_grammar(format);
        for special in simpy_grammar::Special::ALL {
            // `<print>`, `<exec>` and `<lgne>` are Python 2's: decode refuses them.
            let python2 = matches!(special.text(), "<print>" | "<exec>" | "<lgne>");
            assert_eq!(
                text.contains(special.text()),
                !python2,
                "{} in {}",
                special.text(),
                format.file_name()
            );
        }
    }
}

#[test]
fn the_gbnf_has_one_rule_per_line_each_defined_once() {
    let gbnf = export_grammar(GrammarFormat::Gbnf);
    let mut defined = std::collections::BTreeSet::new();
    for line in gbnf
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
    {
        let (name, _) = line
            .split_once(" ::= ")
            .unwrap_or_else(|| panic!("a rule continued on a new line: {line}"));
        // llama.cpp keeps only the last definition of a name.
        assert!(defined.insert(name), "{name} is defined twice");
    }
    assert!(defined.contains("root"));
}
