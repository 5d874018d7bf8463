//! Fixtures: one Python file per bug of the reference converter (SIMPY.md §5), each shown not to
//! happen here, and one-line tables of encodings, of the non-canonical input the decoder accepts
//! (grammar/SPEC.md), and of errors. Per-construct SimPy fixtures, ok and malformed, are the
//! grammar's (`crates/simpy-grammar/tests/fixtures.rs`).

use simpy_testkit::cpython as support;

use simpy_ast::dump;

/// Python → SimPy → Python keeps the AST, and encoding again changes nothing.
#[track_caller]
fn check_roundtrip(python: &str, judge_with_cpython: bool) -> (String, String) {
    let simpy = simpy::encode(python).unwrap_or_else(|e| panic!("encode failed: {e}"));
    let decoded = simpy::decode(&simpy).unwrap_or_else(|e| panic!("decode failed: {e}\n{simpy}"));
    let again = simpy::encode(&decoded).expect("decoded Python parses");
    assert_eq!(
        again, simpy,
        "encoding the decoded Python changed the SimPy"
    );
    if judge_with_cpython {
        let verdicts = support::cpython_parse(&[python.as_bytes(), decoded.as_bytes()]);
        assert!(
            verdicts[0].is_ok(),
            "CPython rejects the fixture: {:?}",
            verdicts[0]
        );
        assert_eq!(
            verdicts[0], verdicts[1],
            "CPython sees a different AST in:\n{decoded}"
        );
    } else {
        let before = simpy_python::parse_str(python).expect("fixture parses");
        let after = simpy_python::parse_str(&decoded).expect("decoded Python parses");
        assert_eq!(dump(&before.module), dump(&after.module));
    }
    (simpy, decoded)
}

#[test]
fn reference_bugs_do_not_happen_here() {
    insta::glob!("fixtures/reference_bugs/*.py", |path| {
        let python = std::fs::read_to_string(path).expect("readable fixture");
        // 3.12 syntax cannot be judged by the machine's CPython 3.11.
        let modern = path.file_name() == Some("modern_python.py".as_ref());
        let (simpy, decoded) = check_roundtrip(&python, !modern);
        insta::assert_snapshot!(format!("{simpy}\n---- decoded ----\n{decoded}"));
    });
}

#[test]
fn two_sum_encodes_exactly_as_the_paper_shows() {
    let python = "\
def two_sum(nums: list[int], target: int) -> list[int]:
    num_dict = {}
    for i, num in enumerate(nums):
        if target - num in num_dict:
            return [num_dict[target - num], i]
        num_dict[num] = i
    return []
";
    let expected = "<def_stmt>two_sum nums:list[int] target:int<arrow>list[int]<block_start>num_dict={}<for_stmt>i,num enumerate(nums)<block_start><if_stmt>target-num<in>num_dict<block_start><return>[num_dict[target-num] i]<block_end>num_dict[num]=i<block_end><return>[]<block_end>";
    assert_eq!(simpy::encode(python).unwrap(), expected);
    assert_eq!(simpy::decode(expected).unwrap(), python);
}

#[track_caller]
fn check_encode(python: &str, simpy: &str) {
    assert_eq!(simpy::encode(python).unwrap(), simpy, "encoding {python:?}");
}

#[test]
fn canonical_forms() {
    check_encode("a, b = b, a\n", "a,b=b a");
    check_encode("print(x - 1, -y)\n", "print(x-1 -y)");
    check_encode("t = 1,\n", "t=(1 )");
    check_encode("x[a,]\n", "x[a ]");
    check_encode("x[*a]\n", "x[*a]");
    check_encode("return_ = lambda: 0\n", "return_=<lambda>:0");
    check_encode("x = a if b else c\n", "x=a<if>b<else>c");
    check_encode(
        "x is not None and y not in z\n",
        "x<is><not><none><and>y<not><in>z",
    );
    check_encode("a = 6 .real\n", "a=(6).real");
    check_encode("x = 2 * 3 ** 4 // 5\n", "x=2<times>3<power>4<floordiv>5");
    check_encode("x += 1\ny <<= 2\n", "x<augadd>1<line_sep>y<auglshift>2");
    check_encode(
        "import os, sys\nfrom . import x\n",
        "<import_stmt>os sys<import_from_stmt>. x",
    );
    check_encode(
        "from __future__ import annotations\n",
        "<import_from_future_stmt>annotations",
    );
    check_encode(
        "def f(): pass\n",
        "<def_stmt>f <block_start><pass><block_end>",
    );
    check_encode("x = 1  # one\ny = 2\n", "x=1# one\n<line_sep>y=2");
    check_encode("x = 1\n# two\ny = 2\n", "x=1<line_sep># two\ny=2");
    check_encode("'a' 'b'\n", "'a'<concat>'b'");
    check_encode("f'{a == b = }'\n", "f'{a<eq>b=\"a == b = \"}'");
    check_encode("async def f():\n    async for x in y: await x\n", "<async_keyword><def_stmt>f <block_start><async_keyword><for_stmt>x y<block_start><await>x<block_end><block_end>");
    check_encode("x = [*a, *b]\n", "x=[*a *b]");
    check_encode(
        "def f():\n    return *a, b\n",
        "<def_stmt>f <block_start><return>*a b<block_end>",
    );
}

#[track_caller]
fn check_decode(simpy: &str, python: &str) {
    match simpy::decode(simpy) {
        Ok(got) => assert_eq!(got, python, "decoding {simpy:?}"),
        Err(e) => panic!("decoding {simpy:?}: {e}"),
    }
}

#[test]
fn accepted_non_canonical_input_has_one_meaning() {
    // A space beside `-` that follows an operand: both sides → subtraction, one side → separator.
    check_decode("x=[a - b]", "x = [a - b]\n");
    check_decode("x=[a -b]", "x = [a, -b]\n");
    check_decode("x=[a- b]", "x = [a - b]\n");
    check_decode("x=[a  -b]", "x = [a, -b]\n");
    // Spaces beside operators that cannot start an operand are layout.
    check_decode("x = a <eq> b", "x = a == b\n");
    check_decode("<return> a<if>b <else> c", "return a if b else c\n");
    // Spaces next to structure are layout; a line break at the end of the input too.
    check_decode("x=1 <line_sep> y=2\n", "x = 1\ny = 2\n");
    check_decode(
        "<if_stmt>a <block_start> <pass> <block_end>",
        "if a:\n    pass\n",
    );
    // Extra separators.
    check_decode(
        "<line_sep>x=1<line_sep><line_sep>y=2<line_sep>",
        "x = 1\ny = 2\n",
    );
    check_decode(
        "@a<line_sep><def_stmt>f <block_start><pass><block_end>",
        "@a\ndef f():\n    pass\n",
    );
    // One-token spellings the reference never writes.
    check_decode("a<isnot>b<line_sep>a<notin>b", "a is not b\na not in b\n");
    check_decode("x=...", "x = ...\n");
    // Two strings without `<concat>` are two elements.
    check_decode("x=\"a\" \"b\"", "x = \"a\", \"b\"\n");
    // `@a@b` is one decorator, a matrix product, as in Python.
    check_decode(
        "@a@b<def_stmt>f <block_start><pass><block_end>",
        "@a @ b\ndef f():\n    pass\n",
    );
    // Bare tuples with complex starred elements keep parentheses (tree-sitter misreads them bare).
    check_decode("*f\"{x}\" y", "(*f\"{x}\", y)\n");
    check_decode("x=*(a b) c", "x = (*(a, b), c)\n");
    // Open sequence patterns.
    check_decode(
        "<match_stmt>x<block_start><case_stmt>a b<block_start><pass><block_end><block_end>",
        "match x:\n    case [a, b]:\n        pass\n",
    );
}

#[track_caller]
fn check_error(simpy: &str, message: &str, hint: Option<&str>) {
    match simpy::decode(simpy) {
        Ok(got) => panic!("{simpy:?} decoded to {got:?}, expected an error"),
        Err(e) => {
            assert_eq!(e.message, message, "decoding {simpy:?}");
            assert_eq!(e.hint.as_deref(), hint, "decoding {simpy:?}");
        }
    }
}

/// Valid SimPy that `encode` would not write decodes, with a warning naming the first
/// difference, what it means and what was likely meant.
#[track_caller]
fn check_warning(simpy: &str, python: &str, warning: &str) {
    let decoded = simpy::decode_checked(simpy, &Default::default())
        .unwrap_or_else(|e| panic!("decoding {simpy:?}: {e}"));
    assert_eq!(decoded.python, python, "decoding {simpy:?}");
    let w = decoded
        .non_canonical
        .unwrap_or_else(|| panic!("{simpy:?} should be reported as non-canonical"));
    assert_eq!(w.message, warning, "decoding {simpy:?}");
}

#[track_caller]
fn check_canonical(simpy: &str, python: &str) {
    let decoded = simpy::decode_checked(simpy, &Default::default())
        .unwrap_or_else(|e| panic!("decoding {simpy:?}: {e}"));
    assert_eq!(decoded.python, python, "decoding {simpy:?}");
    assert_eq!(decoded.non_canonical, None, "{simpy:?} is canonical");
}

const LINE_BREAK: &str =
    "a line break is not a separator in SimPy: statements are separated by <line_sep>";
const LINE_BREAK_HINT: &str = "write <line_sep> between statements and a space between list \
    elements; SimPy is one line (only a comment ends with a line break)";

#[test]
fn stray_whitespace_never_changes_a_program_silently() {
    // A line break where <line_sep> belongs is an error (it used to make a tuple).
    check_error("x=1\nprint(x)", LINE_BREAK, Some(LINE_BREAK_HINT));
    check_error("print(a)\nprint(b)", LINE_BREAK, Some(LINE_BREAK_HINT));
    check_error("x=1\n<line_sep>\ny=2", LINE_BREAK, Some(LINE_BREAK_HINT));
    check_error(
        "<if_stmt>a<block_start>\r\n<pass><block_end>",
        LINE_BREAK,
        Some(LINE_BREAK_HINT),
    );
    // A comment ends its line; what follows the comment's line break is not a second one.
    check_canonical("x=1# one\n<line_sep>y=2", "x = 1  # one\ny = 2\n");
    // Spaces that separate where `encode` writes none are reported with their meaning.
    check_warning(
        "print (x)",
        "print, x\n",
        "this space separates two elements (a space is SimPy's comma); it means `print, x`; \
         if `print(x)` was meant, remove the space",
    );
    check_warning(
        "y=d[ \"k\" ]",
        "y = d[\"k\",]\n",
        "this space is ignored, and `encode` writes none here; it means `y = d[\"k\",]`",
    );
    check_warning(
        "f( a )",
        "f(a)\n",
        "this space is ignored, and `encode` writes none here; it means `f(a)`",
    );
    check_warning(
        "x=[a - b]",
        "x = [a - b]\n",
        "this space is ignored, and `encode` writes none here; it means `x = [a - b]`",
    );
    check_warning(
        "a<isnot>b",
        "a is not b\n",
        "`encode` writes `<is><not>b` here, not `<isnot>b`; it means `a is not b`",
    );
    // These two are exactly what `encode` writes for the tuples they mean, so they are
    // canonical and cannot be told from a slip: a space is a separator (grammar/SPEC.md).
    check_canonical("y=d [\"k\"]", "y = d, [\"k\"]\n");
    check_canonical("y=x[1 : 2]", "y = x[1, :, 2]\n");
}

#[test]
fn errors_name_the_fix() {
    let comma = "SimPy separates elements with one space, not a comma: `f(a b)` is Python's \
        `f(a, b)` (only assignment and `for` targets keep commas)";
    check_error(
        "print(a, b)",
        "unexpected `,`, expected a space, <async_keyword>, <in>, <is>, <not>, <and> or others",
        Some(comma),
    );
    for (python, token, simpy) in [
        ("<", "<l>", "x<1"),
        (">", "<g>", "x>1"),
        ("!=", "<ne>", "x!=1"),
        (">=", "<ge>", "x>=1"),
        ("<=", "<le>", "x<=1"),
        ("==", "<eq>", "x==1"),
        ("+=", "<augadd>", "x+=1"),
        ("//", "<floordiv>", "x=a//b"),
        ("<<", "<lshift>", "x=a<<b"),
    ] {
        let e = simpy::decode(simpy).expect_err(simpy);
        assert_eq!(
            e.hint.as_deref(),
            Some(format!("SimPy writes Python's `{python}` as {token}").as_str()),
            "{simpy}: {}",
            e.message
        );
    }
    let e = simpy::decode("x=a*b").expect_err("binary *");
    assert_eq!(
        e.hint.as_deref(),
        Some("SimPy writes Python's `*` as <times> (a `*` before an operand is unpacking: `f(*args)`)")
    );
    check_error(
        "x=True",
        "`True` is a Python keyword; SimPy spells it with a special token",
        Some("SimPy writes Python's `True` as <true>"),
    );
    check_error(
        "<retrun>x",
        "unknown special token `<retrun>`",
        Some("did you mean `<return>`?"),
    );
    check_error(
        "<def>f <block_start><pass><block_end>",
        "unknown special token `<def>`",
        Some("SimPy writes Python's `def` as <def_stmt>"),
    );
    check_error(
        "<if_stmt>x:<block_start><pass><block_end>",
        "unexpected `:`, expected <block_start>",
        Some("SimPy headers have no `:`; a block is <block_start> … <block_end>"),
    );
    check_error(
        "<def_stmt>f <block_start><if_stmt>x<block_start><pass><block_end>y=1",
        "input ends inside a block: missing <block_end> for `<def_stmt>f` (its block began at 1:1)",
        None,
    );
    check_error(
        "<class_stmt>A<block_start><def_stmt>f self<block_start><if_stmt>x<block_start><pass>",
        "input ends inside a block: missing <block_end> for `<if_stmt>x` (its block began at 1:56; \
         3 blocks are open in all)",
        None,
    );
    check_error(
        "x=[a b",
        "input ends in the middle of a statement, expected a space or `]`",
        None,
    );
}

#[test]
fn simpy_bytes_are_utf8_with_an_optional_bom() {
    assert_eq!(simpy::simpy_text(b"\xef\xbb\xbfx=1").unwrap(), "x=1");
    let e = simpy::simpy_text(b"x=1<line_sep>y=\xff").expect_err("not UTF-8");
    assert_eq!(e.message, "SimPy must be UTF-8; byte 0xff is not");
    assert_eq!((e.location.line, e.location.col), (1, 16));
}

#[test]
fn type_parameter_defaults_decode() {
    check_decode(
        "<class_stmt>A[*Ts=int]<block_start><pass><block_end>",
        "class A[*Ts = int]:\n    pass\n",
    );
    check_decode(
        "<class_stmt>A[T:str=int]<block_start><pass><block_end>",
        "class A[T: str = int]:\n    pass\n",
    );
    check_decode(
        "<def_stmt>f[**P=[int]] <block_start><pass><block_end>",
        "def f[**P = [int]]():\n    pass\n",
    );
    check_decode(
        "<type_stmt>X[**P=[int]]=Callable[P int]",
        "type X[**P = [int]] = Callable[P, int]\n",
    );
}

/// PEP 696 defaults, which tree-sitter-python cannot read, come through a repair
/// (`simpy_python`'s `repair.rs`): encode writes them, decode gives them back.
#[test]
fn type_parameter_defaults_encode() {
    let cases = [
        (
            "class A[T = int]: pass\n",
            "<class_stmt>A[T=int]<block_start><pass><block_end>",
            "class A[T = int]:\n    pass\n",
        ),
        (
            "def f[*Ts = *tuple[int, ...], **P = [int, str]](): pass\n",
            "<def_stmt>f[*Ts=*tuple[int <ellipsis>] **P=[int str]] <block_start><pass><block_end>",
            "def f[*Ts = *tuple[int, ...], **P = [int, str]]():\n    pass\n",
        ),
        (
            "type X[T: (a == b) = dict[str, 'x = 1'], U] = list[T]\n",
            "<type_stmt>X[T:a<eq>b=dict[str 'x = 1'] U]=list[T]",
            "type X[T: a == b = dict[str, 'x = 1'], U] = list[T]\n",
        ),
        (
            "class A[\n    T = int,  # the default\n    U = str,\n]:\n    pass\n",
            "<class_stmt>A[T=int U=str]# the default\n<block_start><pass><block_end>",
            "class A[T = int, U = str]:  # the default\n    pass\n",
        ),
    ];
    for (python, simpy, decoded) in cases {
        assert_eq!(simpy::encode(python).expect(python), simpy, "{python:?}");
        assert_eq!(simpy::decode(simpy).expect(simpy), decoded, "{simpy:?}");
    }
    // A default that is not an expression is still a located error, not a guess.
    let e = simpy::encode("class A[T = ]: pass\n").expect_err("no default");
    assert_eq!((e.location.line, e.location.col), (1, 11));
}

/// Every rule of Python's that both front ends check reads the same from `encode` (Python in)
/// and from `decode` (SimPy in).
#[test]
fn the_same_mistake_gets_the_same_message_both_ways() {
    let block = "<block_start><pass><block_end>";
    let cases = [
        ("def f(a=1, b): pass\n", format!("<def_stmt>f a=1 b{block}")),
        ("f(a=1, b)\n", "f(a=1 b)".to_owned()),
        ("f(**k, b)\n", "f(**k b)".to_owned()),
        ("f(**k, *a)\n", "f(**k *a)".to_owned()),
        ("def f(**k, a): pass\n", format!("<def_stmt>f **k a{block}")),
        (
            "def f(a, /, b, /): pass\n",
            format!("<def_stmt>f a / b /{block}"),
        ),
        ("def f(*): pass\n", format!("<def_stmt>f *{block}")),
        (
            "match x:\n    case C(a=1, b): pass\n",
            format!("<match_stmt>x<block_start><case_stmt>C(a=1 b){block}<block_end>"),
        ),
        (
            "match x:\n    case {**r, 'a': 1}: pass\n",
            format!("<match_stmt>x<block_start><case_stmt>{{**r 'a':1}}{block}<block_end>"),
        ),
        (
            "match x:\n    case a as _: pass\n",
            format!("<match_stmt>x<block_start><case_stmt>a<as>_{block}<block_end>"),
        ),
        (
            "try:\n    pass\nexcept E:\n    pass\nexcept* F:\n    pass\n",
            format!("<try_stmt>{block}<except_stmt>E{block}<except_group_stmt>F{block}"),
        ),
        (
            "try:\n    pass\nelse:\n    pass\n",
            format!("<try_stmt>{block}<else_stmt>{block}"),
        ),
    ];
    for (python, simpy) in cases {
        let from_python = simpy::encode(python).expect_err(python).message;
        let from_simpy = simpy::decode(&simpy).expect_err(&simpy).message;
        assert_eq!(from_python, from_simpy, "{python:?} and {simpy:?}");
    }
    // A bare `except:` before others is the compiler's error, not the parser's: both take it.
    let python = "try:\n    pass\nexcept:\n    pass\nexcept E:\n    pass\n";
    let simpy = simpy::encode(python).expect("ast.parse takes it");
    assert_eq!(simpy::decode(&simpy).expect("so does decode"), python);
}

/// A PEP 701 comment inside a debug field (`f"{1+2 = # c\n}"`): CPython 3.13 leaves it out of
/// the debug text (its `ast.dump`, run by hand, is below), and the SimPy decodes. The comment
/// itself is kept, before its statement.
#[test]
fn a_comment_in_an_fstring_debug_field_is_not_debug_text() {
    // Inside brackets, as CPython 3.13's test_fstring.py has it.
    let python = "print(f\"{1+2 = # my comment\n  }\")\n";
    let parsed = simpy_python::parse_str(python).expect("parses");
    let dumped = dump(&parsed.module);
    assert!(
        dumped.contains(
            "JoinedStr(values=[Constant(value='1+2 = \\n  '), FormattedValue(value=BinOp(\
             left=Constant(value=1), op=Add(), right=Constant(value=2)), conversion=114)])"
        ),
        "{dumped}"
    );
    let (_, decoded) = check_roundtrip(python, false);
    assert!(decoded.contains("# my comment"), "{decoded}");
}

#[test]
fn a_coding_declaration_is_rewritten_to_name_utf8_where_cpython_finds_it() {
    // Decoding writes UTF-8, so a declaration of another encoding would have CPython read the
    // file otherwise, or refuse it (an unknown name: found by the dialect fuzz target).
    check_decode(
        "# -*- coding: latin-1 -*-\nx=1",
        "# -*- coding: utf-8 -*-\nx = 1\n",
    );
    check_decode(
        "# -*- coding coding:ututf-8 -*-\nx=1",
        "# -*- coding coding:utf-8 -*-\nx = 1\n",
    );
    check_decode("# coding: UTF_8\nx=1", "# coding: UTF_8\nx = 1\n");
    check_decode("x=1<line_sep># coding: cp1252", "x = 1\n# coding: cp1252\n");
}
