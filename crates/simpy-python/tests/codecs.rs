//! Coding declarations read as CPython reads them (`codecs_table.rs`, written by
//! `scripts/python_codecs.py`), held to the machine's python3: every name CPython's codec
//! lookup knows resolves to the same codec here or is refused as one simpy does not read, and
//! every one-byte and two-byte sequence of every codec simpy reads (and gb18030's four-byte
//! ones of the plane's start, EUC-JP's three-byte ones) decodes to CPython's text, or is
//! refused, never read otherwise.

use simpy_python::{decode_source, ParseErrorKind};
use simpy_testkit::cpython::run_python;

/// The generator run with no argument: CPython's codec for each name it knows (and a few it
/// does not), and what each codec reads the sequences on its standard input as.
const ORACLE: &str = include_str!("../../../scripts/python_codecs.py");

fn sequences() -> Vec<Vec<u8>> {
    let mut seqs: Vec<Vec<u8>> = (0x80..=0xffu8).map(|b| vec![b]).collect();
    for lead in 0x81..=0xfeu8 {
        for trail in 0x30..=0xfeu8 {
            seqs.push(vec![lead, trail]);
        }
    }
    for a in 0x81..=0x84u8 {
        for b in 0x30..=0x39u8 {
            for c in 0x81..=0xfeu8 {
                for d in 0x30..=0x39u8 {
                    seqs.push(vec![a, b, c, d]);
                }
            }
        }
    }
    for b in 0xa1..=0xfeu8 {
        for c in 0xa1..=0xfeu8 {
            seqs.push(vec![0x8f, b, c]);
        }
    }
    seqs
}

/// The text of `bytes` under a coding declaration of `label`, or why it is refused.
fn ours(label: &str, bytes: &[u8]) -> Result<String, ParseErrorKind> {
    let head = format!("# coding: {label}\n");
    let mut source = head.clone().into_bytes();
    source.extend_from_slice(bytes);
    decode_source(&source)
        .map(|text| text[head.len()..].to_owned())
        .map_err(|e| e.kind)
}

#[test]
fn coding_declarations_read_as_cpython_reads_them() {
    let seqs = sequences();
    let hex: Vec<String> = seqs
        .iter()
        .map(|s| s.iter().map(|b| format!("{b:02x}")).collect())
        .collect();
    let answer = run_python(ORACLE, serde_json::to_string(&hex).unwrap().as_bytes());
    let answer: serde_json::Value = serde_json::from_slice(&answer).expect("the oracle's JSON");
    let lookup = answer["lookup"].as_object().expect("lookup");
    let mut read_here = std::collections::BTreeMap::new();
    for (label, codec) in lookup {
        let here = ours(label, b"");
        match (codec.as_str(), &here) {
            (None, Err(ParseErrorKind::UnknownEncoding(_))) => {}
            (None, _) => {
                panic!("{label}: CPython knows no such text codec, simpy reads it: {here:?}")
            }
            (Some(_), Err(ParseErrorKind::UnknownEncoding(_))) => {
                panic!("{label}: a codec CPython knows is unknown here")
            }
            (Some(codec), Ok(_)) => {
                read_here.entry(codec.to_owned()).or_insert(label.clone());
            }
            (Some(_), Err(_)) => {}
        }
    }
    // The codecs simpy must read: every text one a coding declaration names in the stdlib's
    // own tests aside, the ones people write.
    for must in [
        "utf-8",
        "iso8859-1",
        "cp1252",
        "shift_jis",
        "euc_jp",
        "gbk",
        "gb2312",
        "big5",
        "euc_kr",
        "koi8-r",
        "iso8859-15",
    ] {
        assert!(read_here.contains_key(must), "{must} is not read here");
    }
    let mut more = Vec::new();
    for (codec, label) in &read_here {
        let cpython = answer["reads"][codec.as_str()].as_array().expect("reads");
        let mut refused = 0;
        for (seq, want) in seqs.iter().zip(cpython) {
            if seq.len() > 2 && !(codec.starts_with("gb18030") || codec.starts_with("euc_jp")) {
                continue;
            }
            match (ours(label, seq), want.as_str()) {
                (Ok(text), Some(want)) => assert_eq!(text, want, "{codec}: {seq:02x?}"),
                (Err(ParseErrorKind::ReadDifferently(_)), Some(_)) => refused += 1,
                (Err(kind), Some(_)) => {
                    panic!("{codec}: {seq:02x?} refused ({kind}), CPython reads it")
                }
                (Ok(text), None) => {
                    panic!("{codec}: {seq:02x?} read as {text:?}, CPython refuses it")
                }
                (Err(_), None) => {}
            }
        }
        if refused > 0 {
            more.push(format!("{codec}: {refused} sequences refused"));
        }
    }
    println!(
        "{} codecs read as CPython reads them, some sequences refused in {}:\n{}",
        read_here.len(),
        more.len(),
        more.join("\n")
    );
}
