//! A small byte-level BPE vocabulary in CodeT5's layout (`vocab.json` + `merges.txt`, RoBERTa's
//! `<s>` `</s>` around each text), written by the tests themselves: CodeT5's own files are in
//! no package registry, so the tests that load such a vocabulary make one.

use serde_json::{Map, Value};
use std::path::Path;

/// GPT-2's byte-to-character table: each byte as the printable character byte-level BPE uses.
fn byte_chars() -> Vec<char> {
    let printable =
        |b: u32| (33..=126).contains(&b) || (161..=172).contains(&b) || (174..=255).contains(&b);
    let mut shifted = 0;
    (0..=255u32)
        .map(|b| {
            if printable(b) {
                char::from_u32(b).expect("a Latin-1 character")
            } else {
                shifted += 1;
                char::from_u32(255 + shifted).expect("a character")
            }
        })
        .collect()
}

/// Writes `vocab.json` and `merges.txt` into `dir`: the special tokens `<pad>` `<s>` `</s>`
/// `<unk>` `<mask>` (ids 0–4, as CodeT5's), every byte, and the merges `d e`, `de f`, `Ġ f`,
/// so that `def f` is two pieces, `def` and `Ġf`.
pub fn write_small_vocabulary(dir: &Path) {
    let mut vocab = Map::new();
    let mut add = |piece: String| {
        let id = vocab.len();
        vocab.entry(piece).or_insert(Value::from(id));
    };
    for special in ["<pad>", "<s>", "</s>", "<unk>", "<mask>"] {
        add(special.to_owned());
    }
    for c in byte_chars() {
        add(c.to_string());
    }
    for merged in ["de", "def", "Ġf"] {
        add(merged.to_owned());
    }
    std::fs::create_dir_all(dir).expect("a folder for the vocabulary");
    std::fs::write(dir.join("vocab.json"), Value::Object(vocab).to_string()).expect("vocab.json");
    std::fs::write(dir.join("merges.txt"), "#version: 0.2\nd e\nde f\nĠ f\n").expect("merges.txt");
}
