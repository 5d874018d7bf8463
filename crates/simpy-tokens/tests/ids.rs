//! SimPy as token ids: with SimPy's special tokens added to a tokenizer, each is one id, ids
//! decode back to the very text (no space around a special token), and a `CompletionStream`
//! fed the ids one at a time gives what `decode` gives — for every built-in tokenizer and the
//! fetched GGUF ones (`bash scripts/fetch_tokenizers.sh`).

use simpy_ast::Special;
use simpy_testkit::cpython::stdlib_files;
use simpy_tokens::Tokenizer;

fn names() -> impl Iterator<Item = &'static str> {
    let builtin = simpy_tokens::BUILTIN.iter().map(|(n, _)| *n);
    builtin.chain(simpy_tokens::GGUF.iter().map(|(n, _, _)| *n))
}

/// SimPy of a few standard-library files, small enough for every tokenizer.
fn samples() -> Vec<String> {
    stdlib_files()
        .into_iter()
        .step_by(150)
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .filter(|python| python.len() < 30_000)
        .filter_map(|python| simpy::encode(&python).ok())
        .collect()
}

#[test]
fn every_special_token_is_one_id_after_the_vocabulary() {
    for name in names() {
        let vocabulary = Tokenizer::builtin(name)
            .unwrap_or_else(|e| panic!("{e}"))
            .with_simpy_tokens();
        for token in Special::ALL {
            let ids = vocabulary.encode(token.text());
            assert_eq!(ids, [vocabulary.id(*token)], "{name}: {}", token.text());
            assert_eq!(vocabulary.special(ids[0]), Some(*token));
        }
        assert_eq!(
            vocabulary.len(),
            vocabulary.id(Special::ALL[0]) + Special::ALL.len() as u32
        );
        assert!(
            vocabulary.decoder().push(vocabulary.len()).is_err(),
            "{name}"
        );
    }
}

#[test]
fn ids_decode_to_the_same_text_and_stream_to_decode() {
    let samples = samples();
    assert!(samples.len() > 10, "{} samples", samples.len());
    for name in names() {
        let vocabulary = Tokenizer::builtin(name)
            .unwrap_or_else(|e| panic!("{e}"))
            .with_simpy_tokens();
        for simpy in &samples {
            let ids = vocabulary.encode(simpy);
            let specials = simpy_tokens::special_tokens(simpy).count();
            let special_ids = ids.iter().filter(|&&id| vocabulary.special(id).is_some());
            assert_eq!(special_ids.count(), specials, "{name}");
            assert_eq!(&vocabulary.decode(&ids).expect("decodes"), simpy, "{name}");

            let options = simpy::CompleteOptions {
                stop: simpy::Stop::None,
                max_bytes: None,
            };
            let mut stream = simpy::CompletionStream::new("", &options).expect("empty prompt");
            let mut decoder = vocabulary.decoder();
            let mut python = String::new();
            for &id in &ids {
                python += &stream
                    .push(&decoder.push(id).expect("known id"))
                    .expect("streams");
            }
            python += &stream.finish().expect("finishes").0;
            assert_eq!(python, simpy::decode(simpy).expect("decodes"), "{name}");
        }
    }
}

#[test]
fn a_dialects_idioms_are_one_id_each_after_simpys_tokens() {
    let dialect = simpy::Dialect::from_json(
        r#"{"simpy_dialect": 1, "name": "idioms", "choices": {"line_sep_as_newline": true},
            "idioms": [["self", "."], ["<return>", "<@0>"], ["\n", "<@0>"]]}"#,
    )
    .expect("a dialect");
    let samples = samples();
    for name in names() {
        let vocabulary = Tokenizer::builtin(name)
            .unwrap_or_else(|e| panic!("{e}"))
            .with_simpy_tokens()
            .with_idioms(2);
        let after_simpy = vocabulary.id(Special::ALL[0]) + Special::ALL.len() as u32;
        assert_eq!(vocabulary.encode("<@1>"), [after_simpy + 1], "{name}");
        assert_eq!(vocabulary.len(), after_simpy + 2, "{name}");
        // An idiom the vocabulary lacks is text, so it still decodes to itself.
        let beyond = vocabulary.encode("<@2>");
        assert!(beyond.iter().all(|&id| id < vocabulary.id(Special::ALL[0])));
        assert_eq!(vocabulary.decode(&beyond).expect("decodes"), "<@2>");

        let vocabulary = vocabulary.with_idioms(dialect.idioms.len());
        for python in samples.iter().map(|s| simpy::decode(s).expect("decodes")) {
            let spelt = dialect
                .encode_bytes(python.as_bytes(), &Default::default())
                .expect("encodes");
            let ids = vocabulary.encode(&spelt);
            let idioms = ids.iter().filter(|&&id| id >= after_simpy).count();
            assert_eq!(idioms, spelt.matches("<@").count(), "{name}");
            assert_eq!(vocabulary.decode(&ids).expect("decodes"), spelt, "{name}");
        }
    }
}
