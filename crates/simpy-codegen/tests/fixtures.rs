//! Printer fixtures: each file is parsed, printed, checked (CPython sees the same AST, a
//! second print changes nothing, comments survive) and the printed text snapshotted.

use simpy_testkit::cpython as support;

use simpy_codegen::{print_python_with, PythonOptions};

#[test]
fn printed_fixtures() {
    insta::glob!("fixtures/*.py", |path| {
        let bytes = std::fs::read(path).expect("readable fixture");
        let parsed = simpy_python::parse_module(&bytes)
            .unwrap_or_else(|e| panic!("{}", e.render("fixture")));
        let options = PythonOptions {
            source: Some(&parsed.source),
        };
        let printed = print_python_with(&parsed.module, &parsed.comments, &options);
        let verdicts = support::cpython_parse(&[&bytes, printed.as_bytes()]);
        assert_eq!(
            verdicts[0], verdicts[1],
            "CPython sees another tree in:\n{printed}"
        );
        assert!(verdicts[1].is_ok(), "{:?}", verdicts[1]);
        let again = simpy_python::parse_str(&printed).expect("printed code parses");
        assert_eq!(
            again.comments.len(),
            parsed.comments.len(),
            "comments lost:\n{printed}"
        );
        let twice = print_python_with(
            &again.module,
            &again.comments,
            &PythonOptions {
                source: Some(&again.source),
            },
        );
        assert_eq!(twice, printed, "not idempotent");
        for line in printed.lines() {
            assert!(!line.ends_with(' '), "trailing whitespace: {line:?}");
        }
        insta::assert_snapshot!(printed);
    });
}

#[track_caller]
fn check_print(source: &str, want: &str) {
    let parsed = simpy_python::parse_str(source).unwrap_or_else(|e| panic!("{source}: {e}"));
    assert_eq!(
        simpy_codegen::print_python(&parsed.module, &parsed.comments),
        want
    );
}

#[test]
fn fewest_parentheses() {
    check_print("x = -(x**2)\n", "x = -x ** 2\n");
    check_print("x = (-x) ** 2\n", "x = (-x) ** 2\n");
    check_print("x = a ** (b ** c)\n", "x = a ** b ** c\n");
    check_print("x = (a ** b) ** c\n", "x = (a ** b) ** c\n");
    check_print("x = (a if b else c)[0]\n", "x = (a if b else c)[0]\n");
    check_print("x = not (a == b)\n", "x = not a == b\n");
    check_print("x = (not a) == b\n", "x = (not a) == b\n");
    check_print("x = (yield)\n", "x = yield\n");
    check_print("f((yield))\n", "f((yield))\n");
    check_print(
        "x = (lambda: 1) if a else (lambda: 2)\n",
        "x = (lambda: 1) if a else lambda: 2\n",
    );
    check_print("x = a < b < c\n", "x = a < b < c\n");
    check_print("x = (a < b) < c\n", "x = (a < b) < c\n");
    check_print("x = [*a, *(b or c)]\n", "x = [*a, *(b or c)]\n");
    check_print(
        "x = [y := f(z) for z in w]\n",
        "x = [(y := f(z)) for z in w]\n",
    );
    check_print("x = a - (b - c)\n", "x = a - (b - c)\n");
    check_print("x = (a - b) - c\n", "x = a - b - c\n");
    check_print(
        "x = (1).real + 1.5.real + 0x1 .real\n",
        "x = (1).real + 1.5.real + 0x1.real\n",
    );
    check_print("x = (a, )\n", "x = (a,)\n");
    check_print("x = a,\n", "x = a,\n");
    check_print("x = f(x for x in y)\n", "x = f(x for x in y)\n");
    check_print("x = f((x for x in y), 1)\n", "x = f((x for x in y), 1)\n");
    check_print("return_ = lambda: (yield)\n", "return_ = lambda: (yield)\n");
    check_print(
        "def f():\n    return (yield)\n",
        "def f():\n    return (yield)\n",
    );
    check_print(
        "x = f'{(lambda: 1)()}' f'{a!r:>{w}}'\n",
        "x = f'{(lambda: 1)()}' f'{a!r:>{w}}'\n",
    );
    check_print("x = await_(a)\n", "x = await_(a)\n");
    check_print(
        "async def f():\n    return (await a) ** -b\n",
        "async def f():\n    return await a ** -b\n",
    );
}

#[test]
fn pep8_layout() {
    check_print(
        "def f(a,b = 1,*c,d:int=2,**e)->int:return a\n",
        "def f(a, b=1, *c, d: int = 2, **e) -> int:\n    return a\n",
    );
    check_print("import os\ndef f(): pass\nclass C:\n  def a(self): pass\n  def b(self): pass\nx = 1\n",
        "import os\n\n\ndef f():\n    pass\n\n\nclass C:\n    def a(self):\n        pass\n\n    def b(self):\n        pass\n\n\nx = 1\n");
    check_print("x = 1 ;y = 2\n", "x = 1\ny = 2\n");
    check_print(
        "if a: pass\nelif b: pass\nelse:\n  if c: pass\n",
        "if a:\n    pass\nelif b:\n    pass\nelif c:\n    pass\n",
    );
}

#[test]
fn comments_stay_in_place() {
    check_print("# lead\nx = 1  # trail\n", "# lead\nx = 1  # trail\n");
    check_print("if a:  # header\n    pass\n", "if a:  # header\n    pass\n");
    check_print("x = [\n    1,  # one\n    2,\n]\n", "# one\nx = [1, 2]\n");
    check_print("def f():\n    pass\n# end\n", "def f():\n    pass\n# end\n");
}

#[test]
fn long_lines_split_at_brackets() {
    let long = format!(
        "result = function_name({})\n",
        (0..12)
            .map(|i| format!("argument_{i}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    let want = format!(
        "result = function_name(\n{}\n)\n",
        (0..12)
            .map(|i| format!("    argument_{i},"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    check_print(&long, &want);
    let hug = "result = function_name(argument_one, argument_two, argument_three, argument_four_wxyz_abc)\n";
    check_print(hug, "result = function_name(\n    argument_one, argument_two, argument_three, argument_four_wxyz_abc\n)\n");
}
