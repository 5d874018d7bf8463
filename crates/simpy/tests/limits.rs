//! Huge and deeply nested SimPy: a clear error or a result, never a stack overflow or a hang.
//! Test threads have 2 MiB stacks, less than a command-line tool's main thread.

#[track_caller]
fn check_too_deep(simpy: &str) {
    match simpy::decode(simpy) {
        Ok(_) => panic!("accepted a tree deeper than the limit"),
        Err(e) => assert!(
            e.message == "too deeply nested" && e.kind == simpy::ErrorKind::Limit,
            "{e}"
        ),
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
    assert!(simpy::decode(&format!("x=a{}<", ".b".repeat(N))).is_err());
    assert!(simpy::decode(&"(".repeat(N)).is_err());
    assert!(simpy::decode(&"<if_stmt>x<block_start>".repeat(N)).is_err());
}

#[test]
fn nesting_below_the_limit_decodes() {
    // Parentheses make no tree nodes.
    let python = simpy::decode(&format!("x={}1{}", "(".repeat(N), ")".repeat(N))).unwrap();
    assert_eq!(python, "x = 1\n");
    let python = simpy::decode(&format!("x=[{}]", "a ".repeat(N).trim_end())).unwrap();
    assert!(python.len() > 3 * N);
}
