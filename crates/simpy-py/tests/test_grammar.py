"""Issue #12: the exported grammars accept what `decode` accepts, as closely as a context-free
grammar can, checked with the engines themselves: `lark` and llguidance on every stdlib file,
the malformed-SimPy fixtures, and mutated SimPy. Runs on two processes (about four minutes)."""

import multiprocessing
import random
import time

import pytest

import simpy_grammar as sg
from conftest import REPO, stdlib_files
from grammar_engines import (
    LLGUIDANCE,
    Engines,
    lark_parser,
    mutants,
    refused_by_lark_and_llguidance,
    refused_mutants,
    report_missed,
)

ENGINES = None


def _start(tokenizer_json):
    global ENGINES
    ENGINES = Engines(tokenizer_json)


def _check_file(path):
    try:
        text = sg.encode(path.read_bytes())
    except sg.SimpyError:
        return path, None, None, 0, 0  # not Python 3 (CPython refuses it too)
    lark_error, spans = ENGINES.lark(text)
    ids = ENGINES.ids(text, spans) if lark_error is None else ENGINES.ids(text)
    return path, lark_error, ENGINES.llguidance(ids), len(text.encode()), len(ids)


@pytest.fixture(scope="session")
def engines(tokenizer_json):
    return Engines(tokenizer_json)


def test_the_grammars_are_accepted_by_each_engines_own_loader(engines):
    import llguidance

    conflicts = []
    lark_parser(conflicts)
    # The one conflict: a file of only comments, read as leading or trailing (same text).
    assert conflicts == ["Shift/Reduce conflict for terminal EDGE: (resolving as shift)"], conflicts
    is_error, messages = llguidance.LLMatcher.validate_grammar_with_warnings(
        LLGUIDANCE.read_text(), engines.llg_tokenizer
    )
    assert (is_error, messages) == (False, [])
    # Its special tokens are the tokenizer's single ids, not text.
    matcher = engines.matcher()
    assert matcher.consume_tokens([engines.simpy_ids["<pass>"]]) and matcher.is_accepting()
    matcher = engines.matcher()
    assert not matcher.consume_tokens(engines.plain.encode("<pass>", add_special_tokens=False).ids)


def test_every_stdlib_file_is_accepted_by_lark_and_llguidance(tokenizer_json):
    files = stdlib_files()
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2, _start, (tokenizer_json,)) as pool:
        results = pool.map(_check_file, files, chunksize=8)
    seconds = time.perf_counter() - started
    checked = [r for r in results if r[3]]
    refused = [(str(p), lark, llg) for p, lark, llg, _, _ in checked if lark or llg]
    megabytes = sum(r[3] for r in checked) / 1e6
    tokens = sum(r[4] for r in checked)
    print(f"\n{len(checked)} stdlib files, {megabytes:.1f} MB of SimPy, {tokens} gpt4 tokens: "
          f"{len(refused)} refused, {seconds:.0f} s on 2 processes")
    for path, lark_error, llguidance_error in refused:
        print(f"  {path}\n    lark: {lark_error}\n    llguidance: {llguidance_error}")
    assert len(checked) > 1500
    assert refused == []


def test_masks_stay_within_llguidances_default_limits(engines):
    """A serving stack computes a mask at every step under llguidance's default limits
    (`step_max_items` 50,000; llama.cpp's llguidance build cannot raise it): no mask over 8
    stdlib files, every token of each, stops with "Too many items" (`earley.rs` keeps the
    grammar within them)."""
    from llguidance.numpy import allocate_token_bitmask, fill_next_token_bitmask

    texts = engines.stdlib_sample(every=40, count=8)
    assert len(texts) == 8
    bitmask = allocate_token_bitmask(1, engines.n_vocab)
    for name, ids in texts:
        matcher = engines.matcher()
        for k, token in enumerate(ids):
            fill_next_token_bitmask(matcher, bitmask)
            assert not matcher.is_error(), f"{name}, token {k}: {matcher.get_error()}"
            assert matcher.consume_token(token), f"{name}, token {k}: {matcher.get_error()}"
        assert matcher.is_accepting()


def malformed_fixtures():
    root = REPO / "crates" / "simpy-grammar" / "tests" / "fixtures" / "err"
    return sorted(root.glob("*.simpy"))


# What decode refuses and a context-free grammar accepts: each is one of the checks the
# grammar files' headers list as left to decode.
OUTSIDE_THE_GRAMMAR = {
    "assign_to_call": "assignment targets",
    "debug_text_brace": "the `{x=}` debug text equals its expression",
    "debug_text_mismatch": "the `{x=}` debug text equals its expression",
    "debug_text_with_comment": "the `{x=}` debug text equals its expression",
    "delete_starred": "what `del` may take",
    "empty_block": "a block holds at least one statement",
    "non_ascii_bytes": "string escapes; bytes not mixed with str",
    "non_default_after_default": "parameter order, defaults and duplicates",
    "positional_after_keyword": "argument order",
    "starred_alone": "a starred element alone in parentheses",
    "try_without_handler": "a `try` has a handler or `finally`",
}


@pytest.mark.parametrize("path", malformed_fixtures(), ids=lambda p: p.stem)
def test_malformed_simpy_is_refused_unless_its_fault_is_a_named_check(engines, path):
    text = path.read_text()
    with pytest.raises(sg.SimpyError):
        sg.decode(text)
    lark_error, _ = engines.lark(text)
    llg_error = engines.llguidance(engines.ids(text))
    if path.stem in OUTSIDE_THE_GRAMMAR:
        header = LLGUIDANCE.read_text().split("\n\n")[0]
        assert OUTSIDE_THE_GRAMMAR[path.stem].split(" (")[0] in header
        assert (lark_error, llg_error) == (None, None), "accepted: the check is decode's"
    else:
        assert lark_error is not None and llg_error is not None


def test_mutated_simpy_that_decode_refuses_is_refused_by_the_grammars(engines):
    files = [p for p in stdlib_files(every=60) if p.stat().st_size > 2000][:25]
    decode_refused, caught = refused_by_lark_and_llguidance(engines, files, random.Random(12), 40)
    assert decode_refused > 500
    assert caught["lark"] >= 0.95 * decode_refused
    assert caught["llguidance"] >= 0.95 * decode_refused


def test_llama_cpp_reads_the_gbnf_and_agrees_on_the_fixtures(gbnf_check):
    root = REPO / "crates" / "simpy-grammar" / "tests" / "fixtures"
    valid = sorted((root / "ok").glob("*.simpy"))
    assert gbnf_check(*valid) == {p.stem: "ok" for p in valid}
    malformed = gbnf_check(*malformed_fixtures())
    accepted = {name for name, verdict in malformed.items() if verdict == "ok"}
    assert accepted == set(OUTSIDE_THE_GRAMMAR)
    assert all(v.startswith("refused at byte") for n, v in malformed.items() if n not in accepted)


# SimPy that decode accepts though encode never writes it, so the stdlib cannot show it.
DECODE_ALSO_ACCEPTS = {
    "python_ellipsis": "x=...",  # decode warns that encode writes <ellipsis>
    "relative_dots": "<import_from_stmt>... x<line_sep><import_from_stmt>.... y",
}


def test_what_decode_accepts_beyond_encode_is_accepted_by_every_engine(engines, gbnf_check, tmp_path):
    paths = []
    for name, text in DECODE_ALSO_ACCEPTS.items():
        sg.decode(text)
        lark_error, spans = engines.lark(text)
        assert lark_error is None, f"{name}: lark: {lark_error}"
        assert engines.llguidance(engines.ids(text, spans)) is None, name
        paths.append(tmp_path / f"{name}.simpy")
        paths[-1].write_text(text)
    # llama.cpp once read `...` as `<ellipsis>`: both were named tok-ellipsis, and a second
    # definition of a GBNF rule replaces the first.
    assert gbnf_check(*paths) == {name: "ok" for name in DECODE_ALSO_ACCEPTS}


def test_mutated_simpy_that_decode_accepts_is_accepted_by_every_engine(engines, gbnf_check, tmp_path):
    """The other direction: one-edit mutants that still decode (a name respelled, a token
    doubled where the language allows it) must not be refused by any grammar."""
    files = [p for p in stdlib_files(every=60) if 2000 < p.stat().st_size < 8000][:25]
    paths = []
    for path in files:
        text = sg.encode(path.read_bytes())
        for mutant in dict.fromkeys(mutants(text, random.Random(11), 40)):
            if mutant == text:
                continue
            try:
                sg.decode(mutant)
            except sg.SimpyError:
                continue
            lark_error, spans = engines.lark(mutant)
            assert lark_error is None, f"lark refuses what decode accepts: {mutant!r}"
            assert engines.llguidance(engines.ids(mutant, spans)) is None, mutant
            paths.append(tmp_path / f"{len(paths)}.simpy")
            paths[-1].write_text(mutant)
    print(f"\n{len(paths)} mutants decode accepts: lark, llguidance and llama.cpp accept them all")
    assert len(paths) > 100
    assert gbnf_check(*paths) == {p.stem: "ok" for p in paths}


def test_stdlib_files_are_accepted_by_llama_cpp(tmp_path, gbnf_check):
    """llama.cpp's own engine, in two processes, on every 10th stdlib file (about 17 KB/s per
    process); `SIMPY_GBNF_FILES=all` takes them all (15 minutes here)."""
    import os
    from concurrent.futures import ThreadPoolExecutor

    every = 1 if os.environ.get("SIMPY_GBNF_FILES") == "all" else 10
    paths = []
    for i, path in enumerate(stdlib_files(every=every)):
        try:
            text = sg.encode(path.read_bytes())
        except sg.SimpyError:
            continue  # not Python 3
        out = tmp_path / f"{i}.simpy"
        out.write_text(text)
        paths.append(out)
    started = time.perf_counter()
    # A process per file, smallest first, so that a slow file costs only its own time.
    paths.sort(key=lambda p: p.stat().st_size)
    with ThreadPoolExecutor(2) as pool:
        verdicts = {}
        for verdict in pool.map(lambda path: gbnf_check(path, timeout=600), paths):
            verdicts.update(verdict)
    seconds = time.perf_counter() - started
    refused = {name: v for name, v in verdicts.items() if v != "ok"}
    megabytes = sum(p.stat().st_size for p in paths) / 1e6
    print(f"\nllama.cpp: {len(verdicts)} stdlib files, {megabytes:.1f} MB: "
          f"{len(refused)} not accepted, {seconds:.0f} s on 2 processes")
    for name, verdict in refused.items():
        print(f"  {name}: {verdict}")
    assert len(verdicts) == len(paths) > 1500 // every
    assert refused == {}


def test_mutated_simpy_that_decode_refuses_is_refused_by_llama_cpp(tmp_path, gbnf_check):
    """llama.cpp's engine on one-edit mutants of small stdlib files (about 17 KB/s, so
    small ones), in two processes."""
    from concurrent.futures import ThreadPoolExecutor

    files = [p for p in stdlib_files(every=20) if 2000 < p.stat().st_size < 6000][:15]
    reasons = {}
    for i, (mutant, reason) in enumerate(refused_mutants(files, random.Random(7), 30)):
        path = tmp_path / f"{i}.simpy"
        path.write_text(mutant)
        reasons[path.stem] = reason
    paths = sorted(tmp_path.glob("*.simpy"))
    with ThreadPoolExecutor(2) as pool:
        verdicts = {}
        for part in pool.map(lambda chunk: gbnf_check(*chunk), [paths[0::2], paths[1::2]]):
            verdicts.update(part)
    missed = {}
    for name, verdict in verdicts.items():
        if verdict == "ok":
            missed[reasons[name]] = missed.get(reasons[name], 0) + 1
    caught = len(verdicts) - sum(missed.values())
    report_missed(len(verdicts), {"llama.cpp": caught}, missed)
    assert len(verdicts) == len(reasons) > 150
    assert caught >= 0.95 * len(verdicts)
