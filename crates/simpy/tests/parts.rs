//! A big file is encoded a part at a time (`simpy_python::parse_module_in_parts`,
//! `simpy_codegen::SimpyParts`): the same SimPy as encoding its whole tree.

use simpy::{EncodeOptions, Literals};
use simpy_codegen::SimpyParts;
use simpy_python::Read;

/// The SimPy of `bytes` read in parts of at least `part_bytes`; `None` if it was read whole.
fn in_parts(bytes: &[u8], part_bytes: usize, options: &EncodeOptions) -> Option<String> {
    let mut parts = SimpyParts::default();
    parts.literals = options.literals;
    let read = simpy_python::parse_module_in_parts_of(bytes, part_bytes, |body, comments| {
        parts.push(
            body,
            if options.strip_comments {
                &[]
            } else {
                &comments
            },
        )
    })
    .ok()?;
    matches!(read, Read::InParts).then(|| parts.finish())
}

/// Every third standard library file cut before each top-level statement (and, with comments
/// left out, every seventh; with literals normalized, every fifth): the SimPy of its whole tree.
#[test]
fn stdlib_files_encoded_a_statement_at_a_time_are_encoded_as_whole() {
    let files = simpy_testkit::cpython::stdlib_files();
    let mut cut = 0;
    for (i, path) in files.iter().enumerate().step_by(3) {
        let bytes = std::fs::read(path).expect("readable");
        let options = EncodeOptions {
            strip_comments: i % 7 == 0,
            literals: if i % 5 == 0 {
                Literals::Normalized
            } else {
                Literals::Kept
            },
        };
        let Ok(whole) = simpy::encode_bytes(&bytes, &options) else {
            continue;
        };
        if let Some(parts) = in_parts(&bytes, 1, &options) {
            assert_eq!(parts, whole, "{}", path.display());
            cut += 1;
        }
    }
    assert!(cut > 400, "{cut} files cut");
}

/// A file over the front end's part size is encoded in parts by `encode_bytes` itself: the
/// same text as its parts put together at the smallest cut.
#[test]
fn a_big_file_is_encoded_in_parts_as_whole() {
    let mut text = String::new();
    for path in simpy_testkit::cpython::stdlib_files() {
        if text.len() > 1 << 20 {
            break;
        }
        let bytes = std::fs::read(&path).expect("readable");
        let Ok(source) = std::str::from_utf8(&bytes) else {
            continue;
        };
        if source.contains("__future__") || source.contains('\r') || simpy::encode(source).is_err()
        {
            continue;
        }
        text.push_str(source);
        if !text.ends_with('\n') {
            text.push('\n');
        }
    }
    let encoded = simpy::encode_bytes(text.as_bytes(), &EncodeOptions::default()).expect("encodes");
    let whole = simpy::encode(&text).expect("encodes");
    assert_eq!(encoded, whole);
    assert_eq!(
        in_parts(text.as_bytes(), 1, &EncodeOptions::default()).as_deref(),
        Some(whole.as_str())
    );
}
