//! Huge and deeply nested SimPy: a clear error or a tree, never a stack overflow or a hang.
//! Test threads have 2 MiB stacks, less than a command-line tool's main thread.

use simpy_ast::{Expr, Stmt};
use simpy_grammar::{parse_simpy, SimpyErrorKind};

#[track_caller]
fn check_too_deep(simpy: &str) {
    match parse_simpy(simpy) {
        Ok(_) => panic!("accepted a tree deeper than the limit"),
        Err(e) => assert_eq!(e.kind, SimpyErrorKind::TooDeep, "{e}"),
    }
}

const N: usize = 100_000;

#[test]
fn deep_nesting_is_a_limit_not_a_crash() {
    check_too_deep(&format!("x={}1", "-".repeat(N)));
    check_too_deep(&format!("x={}1", "<not>".repeat(N)));
    check_too_deep(&format!("x=a{}", ".b".repeat(N)));
    check_too_deep(&format!("x=a{}", "-a".repeat(N)));
    check_too_deep(&format!("x=a{}", "[0]".repeat(N)));
    check_too_deep(&format!(
        "{}<pass>{}",
        "<if_stmt>x<block_start>".repeat(N / 10),
        "<block_end>".repeat(N / 10)
    ));
}

#[test]
fn deep_nesting_that_is_malformed_is_an_error() {
    // The tree under construction is dropped when the parse fails; that must not overflow.
    assert!(parse_simpy(&format!("x=a{}<", ".b".repeat(N))).is_err());
    assert!(parse_simpy(&"(".repeat(N)).is_err());
    assert!(parse_simpy(&"<if_stmt>x<block_start>".repeat(N)).is_err());
}

/// The value of the one assignment of `simpy`.
fn assigned(simpy: &str) -> Expr {
    let parsed = parse_simpy(simpy).expect("parses");
    match parsed.module.body.into_iter().next() {
        Some(Stmt::Assign(a)) => *a.value,
        other => panic!("not an assignment: {other:?}"),
    }
}

#[test]
fn nesting_below_the_limit_parses() {
    // Parentheses make no tree nodes.
    let value = assigned(&format!("x={}1{}", "(".repeat(N), ")".repeat(N)));
    assert!(matches!(value, Expr::Constant(_)), "{value:?}");
    match assigned(&format!("x=[{}]", "a ".repeat(N).trim_end())) {
        Expr::List(list) => assert_eq!(list.elts.len(), N),
        other => panic!("not a list: {other:?}"),
    }
}
