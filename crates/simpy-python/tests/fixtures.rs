//! Fixtures per construct: `fixtures/ok` must parse (and match CPython wherever CPython 3.11
//! parses the file too); `fixtures/err` must be rejected, by CPython as well, with the message
//! in the snapshot.

use simpy_testkit::cpython as support;

use std::path::Path;

fn read(path: &Path) -> Vec<u8> {
    std::fs::read(path).expect("readable fixture")
}

fn name(path: &Path) -> String {
    format!(
        "fixtures/{}",
        path.strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(path)
            .display()
    )
    .replace("fixtures/tests/fixtures/", "fixtures/")
}

#[test]
fn ok_fixtures_parse_and_match_cpython() {
    insta::glob!("fixtures/ok/*.py", |path| {
        let bytes = read(path);
        let parsed = simpy_python::parse_module(&bytes)
            .unwrap_or_else(|err| panic!("{}", err.render(&name(path))));
        let dump = simpy_ast::dump(&parsed.module);
        // `modern.py` holds Python 3.12+ syntax that the oracle (3.11) cannot read.
        if path.file_stem().is_some_and(|s| s != "modern") {
            let want = support::cpython_parse(&[&bytes]).remove(0);
            assert_eq!(
                Ok(dump.clone()),
                want,
                "{} differs from CPython",
                name(path)
            );
        }
        // A second parse of the same text is the same tree.
        let again = simpy_python::parse_module(&bytes).expect("parses twice");
        assert!(simpy_ast::same_ast(&parsed.module, &again.module));
        let per_statement: Vec<String> = parsed
            .module
            .body
            .iter()
            .map(simpy_ast::dump_stmt)
            .collect();
        insta::assert_snapshot!(per_statement.join("\n"));
    });
}

#[test]
fn err_fixtures_are_rejected_with_their_message() {
    insta::glob!("fixtures/err/*.py", |path| {
        let bytes = read(path);
        let err = match simpy_python::parse_module(&bytes) {
            Ok(_) => panic!("{} was accepted", name(path)),
            Err(err) => err,
        };
        let want = support::cpython_parse(&[&bytes]).remove(0);
        let Err(cpython) = want else {
            panic!("{} is rejected here but CPython accepts it", name(path));
        };
        // The error is on the line CPython puts it on (`… (<unknown>, line N)`).
        if let Some(line) = cpython
            .rsplit_once("line ")
            .and_then(|(_, n)| n.trim_end_matches(')').parse::<u32>().ok())
        {
            assert_eq!(
                err.location.line,
                line,
                "{}: CPython says {cpython}, we say {err}",
                name(path)
            );
        }
        assert_ne!(
            err.kind().family(),
            simpy_python::ErrorFamily::Internal,
            "{}: internal error {}",
            name(path),
            err
        );
        let file_name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        insta::assert_snapshot!(err.render(&file_name));
    });
}

#[test]
fn comments_are_collected_in_order() {
    let parsed =
        simpy_python::parse_module(include_bytes!("fixtures/ok/comments.py")).expect("parses");
    let texts: Vec<&str> = parsed.comments.items.iter().map(|c| &*c.text).collect();
    assert_eq!(
        texts,
        [
            "#!/usr/bin/env python3",
            "# -*- coding: utf-8 -*-",
            "# trailing",
            "# leading comment",
            "# after a",
            "# inside",
            "# in brackets",
            "# one",
            "# between",
            "# final",
        ]
    );
    for comment in &parsed.comments.items {
        let range = comment.range.start as usize..comment.range.end as usize;
        assert_eq!(&parsed.source[range], &*comment.text);
    }
}

/// The visitor reaches every expression: it counts as many names as the dump shows.
#[test]
fn visitor_reaches_every_name() {
    struct CountNames(usize);
    impl<'a> simpy_ast::Visitor<'a> for CountNames {
        fn visit_expr(&mut self, expr: &'a simpy_ast::Expr) {
            if matches!(expr, simpy_ast::Expr::Name(_)) {
                self.0 += 1;
            }
            simpy_ast::walk_expr(self, expr);
        }
    }
    insta::glob!("fixtures/ok/*.py", |path| {
        let parsed = simpy_python::parse_module(&read(path)).expect("parses");
        let mut counter = CountNames(0);
        simpy_ast::walk_module(&mut counter, &parsed.module);
        let in_dump = simpy_ast::dump(&parsed.module).matches("Name(id=").count();
        assert_eq!(counter.0, in_dump, "{}", name(path));
    });
}
