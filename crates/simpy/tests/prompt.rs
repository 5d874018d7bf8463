//! Prompt encoding keeps its defining property: for a valid file `F` cut anywhere, `encode(F)`
//! starts with `encode_prompt(F[..cut])`. Cuts at every character of small files; line cuts
//! over the standard library, a sample of files and of their lines (`SIMPY_PROMPT_FILES=all`
//! takes every file and every line: `cargo test --release -p simpy --test prompt`).

use simpy_testkit::cpython::stdlib_files;

/// Whether the prompt of `python` cut at `cut` keeps the property; what went wrong if not.
fn cut_keeps_the_property(name: &str, python: &str, whole: &str, cut: usize) -> Result<(), String> {
    let prefix = &python[..cut];
    match simpy::encode_prompt(prefix) {
        Ok(prompt) if whole.starts_with(&prompt.simpy) => Ok(()),
        Ok(prompt) => Err(format!(
            "{name} cut at byte {cut} ({:?}):\nprompt SimPy: {}\nfile SimPy:   {}",
            &python[python.floor_char_boundary(cut.saturating_sub(40))..cut],
            &prompt.simpy[prompt
                .simpy
                .floor_char_boundary(prompt.simpy.len().saturating_sub(120))..],
            &whole[whole.floor_char_boundary(prompt.simpy.len().saturating_sub(120))
                ..whole.floor_char_boundary((prompt.simpy.len() + 40).min(whole.len()))],
        )),
        Err(e) => Err(format!("{name} cut at byte {cut}: {e}\n{prefix}")),
    }
}

#[track_caller]
fn check_cut(name: &str, python: &str, whole: &str, cut: usize) {
    if let Err(why) = cut_keeps_the_property(name, python, whole, cut) {
        panic!("{why}");
    }
}

fn line_cuts(python: &str) -> impl Iterator<Item = usize> + '_ {
    std::iter::once(0).chain(python.match_indices('\n').map(|(i, _)| i + 1))
}

const SMALL: &[&str] = &[
    "import os\n\n\ndef f(a, b=1, *args, **kw) -> int:\n    \"\"\"Doc.\"\"\"\n    x = (a + b) * 2  # note\n    if x > 1:\n        return [i for i in args if i]\n    elif x:\n        pass\n    else:\n        if b:\n            y = {'k': a, **kw}\n    # trailing\n    return x\n\n\n@decorator(1)\nclass C(Base):\n    a: int = 1\n\n    async def m(self):\n        async with a as b, c:\n            await b\n        try:\n            raise E from None\n        except* (E, F) as e:\n            del e\n        finally:\n            ...\n\n\nmatch p:\n    case [1, *rest] if rest:\n        print(f\"{rest!r:>10} {p=}\")\n    case {'x': X(y=1)} | None:\n        pass\n",
    "from typing import List\n\n\ndef has_close_elements(numbers: List[float], threshold: float) -> bool:\n    \"\"\" Check if in given list of numbers, are any two numbers closer to each other than\n    given threshold.\n    >>> has_close_elements([1.0, 2.0, 3.0], 0.5)\n    False\n    \"\"\"\n    for idx, elem in enumerate(numbers):\n        for idx2, elem2 in enumerate(numbers):\n            if idx != idx2:\n                distance = abs(elem - elem2)\n                if distance < threshold:\n                    return True\n\n    return False\n",
    "x = 'a' 'b' + \"\"\"c\nd\"\"\"\nwhile not x:\n    x -= 1; y = x ** -2 // 3\nelse:\n    lambda q, *r: q\nfor (a, b) in c: a, b = b, a\nwith open(p) as f: f.read()\n",
];

#[test]
fn every_cut_of_small_files_keeps_the_property() {
    for (i, python) in SMALL.iter().enumerate() {
        let whole = simpy::encode(python).expect("fixture encodes");
        for cut in (0..=python.len()).filter(|&c| python.is_char_boundary(c)) {
            check_cut(&format!("small[{i}]"), python, &whole, cut);
        }
    }
}

#[test]
fn line_cuts_of_the_standard_library_keep_the_property() {
    use rayon::prelude::*;
    let all = std::env::var("SIMPY_PROMPT_FILES").as_deref() == Ok("all");
    // A cut costs an encode of what precedes it, so every line of a file costs its size
    // squared: files over 20 KB are left out; CI (a debug build) takes a sample.
    let (every_file, cuts_per_file) = if all { (1, usize::MAX) } else { (8, 12) };
    let files: Vec<_> = stdlib_files().into_iter().step_by(every_file).collect();
    let results: Vec<(usize, Vec<String>)> = files
        .par_iter()
        .map(|path| {
            let Ok(python) = std::fs::read_to_string(path) else {
                return (0, Vec::new());
            };
            if python.len() > 20_000 {
                return (0, Vec::new());
            }
            let Ok(whole) = simpy::encode(&python) else {
                return (0, Vec::new());
            };
            let cuts: Vec<usize> = line_cuts(&python).collect();
            let step = cuts.len().div_ceil(cuts_per_file.min(cuts.len()).max(1));
            let name = path.display().to_string();
            let failures = cuts
                .iter()
                .step_by(step.max(1))
                .filter_map(|&cut| cut_keeps_the_property(&name, &python, &whole, cut).err())
                .collect();
            (cuts.iter().step_by(step.max(1)).count(), failures)
        })
        .collect();
    let checked: usize = results.iter().map(|r| r.0).sum();
    let failures: Vec<&String> = results.iter().flat_map(|r| &r.1).collect();
    eprintln!(
        "{checked} cuts of {} files checked, {} fail",
        files.len(),
        failures.len()
    );
    assert!(checked > 1000, "only {checked} cuts checked");
    assert!(
        failures.is_empty(),
        "{} cuts fail; the first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(5)
            .map(|f| f.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Cuts the standard library once got wrong, kept as fixtures of the rule.
#[test]
fn cuts_that_were_wrong() {
    let cases = [
        // The line inside an `if` in an `else:`: more may follow in the `else:`.
        "def f():\n    if a:\n        pass\n    else:\n        if b:\n            raise E(\"x\"\n                    \"y\")\n        c = 1\n",
        // A parenthesis `(a + b` keeps once an operator follows it.
        "f((\"a\" +\n   \"b\") % c)\n",
        // A cut inside a `try` body needs the clause after the probes.
        "try:\n    x = (1,\n         2)\nexcept E:\n    pass\n",
        // After a one-line `try`, and after a comment ending a `try` body, comes a clause
        // (which takes the comment into its block).
        "def f():\n    try: return g()\n    except E: pass\n",
        "try:\n    f = g()\n    # a comment\nexcept E:\n    pass\n",
        // Inside a `try` in the only `if` of an `else:` so far: a line dedenting past the `try`
        // (after its clause) may follow in the `else:`, which then is not `elif`.
        "if a:\n    x\nelse:\n    if b:\n        try:\n            y = 1\n        except E:\n            pass\n    z = 2\n",
        // Found by the fuzzer: a trailing comma makes a one-element tuple, `(x )` in SimPy.
        "s,\nx = a,\nreturn_ = f(a),\n",
        // The same after brackets, a string and a lambda close; a `match` header cut at its
        // colon.
        "lam = lambda a, *c, d: a,\nx = f(a\n      ),\ny = '''s''',\nmatch f(c):\n    case [a]:\n        pass\n",
        // PEP 701: a string inside an f-string's field with the f-string's own quote.
        "y = f\"{'a' + \"quote\"} {x:{w}}\"\nz = 1\n",
        // Lone carriage returns end lines and comments.
        "x = 1  # c\rif x:\r    y = (1,\r         2)\r",
        // Found by the fuzzer: an integer takes an attribute after a space, `(5).j` in SimPy.
        "x = 1.5, 5 .j, 0 .real\n",
        // Found by the fuzzer: patterns take a complex number and a literal mapping key; a
        // `for` target in brackets needs its `in`; a backslash joins the next line; a
        // combining mark typed next reorders those before it (NFKC).
        "match x:\n    case -5 - 6j | {-1: z}:\n        pass\n",
        "for (a, b) in c: pass\nx = 1 + \\\n    2\nae\u{315}\u{329} = 1\n",
        // A starred element with a string open at the cursor takes a second element too.
        "*a * \"bc\", d\n",
        // An unfinished number (`0x`) may end a one-element tuple, `(a%0x_f )` in SimPy.
        "a % 0x_f,\nb = 1e5,\nc = 5, 0_1e1_0, 0O17, 0b1\n",
        // Found by the fuzzer: a conditional cut before its `else` may still end a one-element
        // tuple, at the top level, in brackets, after `return`, `yield` or a lambda.
        "y = a if bcd else c,\nz = (a if bcd else c,)\nreturn a if bcd else c,\n",
        "y = yield a if bcd else c,\nw = (lambda x: a if bcd else c,)\n",
        // Found by the fuzzer: a format spec is text, whose last character is final.
        "e = f\"\"\"{x:\n=a]}\"\"\"\nw = f\"{x:>{w}.{p}f}\"\n",
        // A backslash ending a comment joins nothing.
        "x = 1  # a \\\nif x:\n    y = 2  # \\\\\n",
    ];
    for python in cases {
        let whole = simpy::encode(python).expect("fixture encodes");
        for cut in (0..=python.len()).filter(|&c| python.is_char_boundary(c)) {
            check_cut("fixture", python, &whole, cut);
        }
    }
}

/// A backslash in a comment is comment text: a prompt ending in one keeps it, as it keeps any
/// comment text typed so far.
#[test]
fn a_backslash_ending_a_comment_is_kept() {
    let prompt = simpy::encode_prompt("if x:\n    y = 2  # a \\").expect("encodes");
    assert!(prompt.simpy.ends_with("# a \\"), "{}", prompt.simpy);
}

/// A comment line inside brackets moves before its statement (idlelib/colorizer.py): every
/// line cut keeps the property. Inside a line with no bracket open, a comment typed later is
/// not waited for: the one exception the rule states (`encode_prompt`).
#[test]
fn comments_inside_brackets() {
    let python =
        "def f():\n    m = (\n        \"a\" +  # one\n        \"b\" +\n  # two\n        \"c\")\n";
    let whole = simpy::encode(python).expect("fixture encodes");
    for cut in line_cuts(python) {
        check_cut("comments", python, &whole, cut);
    }
    let cut = python.find("(\n").expect("a bracket");
    let prompt = simpy::encode_prompt(&python[..cut]).expect("encodes").simpy;
    assert!(!whole.starts_with(&prompt), "{prompt}");
    let without = python.replace("# one", "").replace("# two", "");
    let whole_without = simpy::encode(&without).expect("encodes");
    assert!(
        whole_without.starts_with(&prompt),
        "{prompt}\n{whole_without}"
    );
}
