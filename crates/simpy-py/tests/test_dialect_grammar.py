"""Issue #16: the grammar of a dialect (`simpy grammar --dialect compact`, grammar/simpy.compact.*)
accepts what `encode --dialect compact` writes and refuses what decode in the dialect refuses,
as closely as its header says, checked with the engines themselves: lark and llguidance on
stdlib files (every other one; SIMPY_DIALECT_GRAMMAR_FILES=all takes them all) and one-edit
mutants both ways; and llama.cpp's GBNF engine on stdlib files and mutants, against the GBNF
grammar, which takes no stray `<line_sep>` so that a run of line breaks has one reading."""

import multiprocessing
import os
import random
import re
import time

import pytest

import simpy_grammar as sg
from conftest import stdlib_files
from grammar_engines import (
    Engines,
    grammar_file,
    judged_mutants,
    lark_parser,
    refused_by_lark_and_llguidance,
    report_missed,
)

DIALECT = "compact"
ENGINES = None


def _start(tokenizer_json):
    global ENGINES
    ENGINES = Engines(tokenizer_json, dialect=DIALECT)


def _check_file(path):
    try:
        text = sg.encode(path.read_bytes(), dialect=DIALECT)
    except sg.SimpyError:
        return path, None, None, 0
    lark_error, spans = ENGINES.lark(text)
    ids = ENGINES.ids(text, spans) if lark_error is None else ENGINES.ids(text)
    return path, lark_error, ENGINES.llguidance(ids), len(text.encode())


@pytest.fixture(scope="session")
def engines(tokenizer_json):
    return Engines(tokenizer_json, dialect=DIALECT)


def test_the_dialects_grammars_are_accepted_by_each_engines_own_loader(engines):
    import llguidance

    conflicts = []
    lark_parser(conflicts, dialect=DIALECT)
    # The canonical grammar's one conflict (a file of only comments), and no other.
    assert conflicts == ["Shift/Reduce conflict for terminal EDGE: (resolving as shift)"], conflicts
    assert llguidance.LLMatcher.validate_grammar_with_warnings(
        engines.grammar, engines.llg_tokenizer
    ) == (False, [])
    # Layout as text and as the special token's id, both.
    # A block before a clause may lose its end after a `<line_sep>` too (decode puts it back).
    texts = [
        "<if_stmt>a:\n<pass><else_stmt>b=1<block_end>",
        "<if_stmt>a<block_start><pass><block_end>",
        "<try_stmt>x=1\n<except_stmt>E:\n<pass><block_end>",
    ]
    for text in texts:
        sg.decode(text, dialect=DIALECT)
        lark_error, spans = engines.lark(text)
        assert lark_error is None, lark_error
        assert engines.llguidance(engines.ids(text, spans)) is None, text


def test_stdlib_files_in_the_dialect_are_accepted_by_lark_and_llguidance(tokenizer_json):
    every = 1 if os.environ.get("SIMPY_DIALECT_GRAMMAR_FILES") == "all" else 2
    files = stdlib_files(every=every)
    started = time.perf_counter()
    with multiprocessing.get_context("fork").Pool(2, _start, (tokenizer_json,)) as pool:
        results = pool.map(_check_file, files, chunksize=8)
    seconds = time.perf_counter() - started
    checked = [r for r in results if r[3]]
    refused = [(str(p), lark, llg) for p, lark, llg, _ in checked if lark or llg]
    megabytes = sum(r[3] for r in checked) / 1e6
    print(f"\n{len(checked)} stdlib files in {DIALECT}, {megabytes:.1f} MB: "
          f"{len(refused)} refused, {seconds:.0f} s on 2 processes")
    for path, lark_error, llguidance_error in refused:
        print(f"  {path}\n    lark: {lark_error}\n    llguidance: {llguidance_error}")
    assert len(checked) > 1500 // every
    assert refused == []


def test_masks_complete_in_the_dialect_under_llguidances_item_limit(engines):
    """Line breaks as text cost mask items: vocabulary tokens such as `)\n` or `,\n` cross into
    a statement's start, one row of Earley items each. With no stray `<line_sep>` in the
    grammar, no space before `<line_sep>` or `<block_end>`, and one rule for the comment a
    keyword may follow, every mask of the 8 stdlib files stays under llguidance's default
    `step_max_items` (50,000); with a stray `<line_sep>` allowed after each statement none
    did, and with the other two 7 of 8."""
    from llguidance.numpy import allocate_token_bitmask, fill_next_token_bitmask

    def first_stop(ids):
        matcher = engines.matcher()
        for k, token in enumerate(ids):
            fill_next_token_bitmask(matcher, bitmask)
            if matcher.is_error():
                return k, matcher.get_error()
            assert matcher.consume_token(token), f"token {k}: {matcher.get_error()}"
        assert matcher.is_accepting()
        return None

    texts = engines.stdlib_sample(every=40, count=8)
    assert len(texts) == 8
    bitmask = allocate_token_bitmask(1, engines.n_vocab)
    stops = {name: first_stop(ids) for name, ids in texts}
    assert stops == dict.fromkeys(stops), {n: (s[0], s[1][:90]) for n, s in stops.items() if s}


def test_mutants_in_the_dialect_decode_refuses_are_refused_by_the_grammars(engines):
    files = [p for p in stdlib_files(every=60) if p.stat().st_size > 2000][:25]
    refused, caught = refused_by_lark_and_llguidance(
        engines, files, random.Random(12), 60, dialect=DIALECT
    )
    assert refused > 500
    assert caught["lark"] >= 0.95 * refused
    assert caught["llguidance"] >= 0.95 * refused


def test_mutants_in_the_dialect_decode_accepts_are_accepted_by_lark_and_llguidance(engines):
    files = [p for p in stdlib_files(every=60) if 2000 < p.stat().st_size < 8000][:25]
    accepted = stray = 0
    for mutant, refused in judged_mutants(files, random.Random(11), 40, dialect=DIALECT):
        if refused:
            continue
        if has_stray_line_sep(mutant):
            stray += 1  # refused by the grammars (their header says so)
            continue
        lark_error, spans = engines.lark(mutant)
        assert lark_error is None, f"lark refuses what decode accepts: {mutant!r}"
        assert engines.llguidance(engines.ids(mutant, spans)) is None, mutant
        accepted += 1
    print(f"\n{accepted} mutants decode accepts in {DIALECT}: lark and llguidance accept them "
          f"(and {stray} with a stray `<line_sep>` left out)")
    assert accepted > 100


def test_stdlib_files_in_the_dialect_are_accepted_by_llama_cpp(tmp_path, gbnf_check):
    """llama.cpp's engine on every 40th stdlib file in `compact` (both layouts line breaks),
    against grammar/simpy.compact.gbnf, in two processes."""
    from concurrent.futures import ThreadPoolExecutor

    paths = []
    for i, path in enumerate(stdlib_files(every=40)):
        try:
            text = sg.encode(path.read_bytes(), dialect=DIALECT)
        except sg.SimpyError:
            continue
        paths.append(tmp_path / f"{i}.simpy")
        paths[-1].write_text(text)
    paths.sort(key=lambda p: p.stat().st_size)
    started = time.perf_counter()
    grammar = grammar_file("gbnf", DIALECT)
    with ThreadPoolExecutor(2) as pool:
        verdicts = {}
        for verdict in pool.map(lambda p: gbnf_check(p, timeout=600, grammar=grammar), paths):
            verdicts.update(verdict)
    kilobytes = sum(p.stat().st_size for p in paths) / 1e3
    print(f"\nllama.cpp: {len(paths)} files in {DIALECT}, {kilobytes:.0f} KB, "
          f"{time.perf_counter() - started:.0f} s on 2 threads")
    refused = {name: v for name, v in verdicts.items() if v != "ok"}
    assert len(verdicts) == len(paths) > 1500 // 40
    assert refused == {}, refused


def test_mutants_in_the_dialect_are_judged_by_llama_cpp_as_by_decode(tmp_path, gbnf_check):
    """One-edit mutants of small stdlib files in `compact`: llama.cpp refuses nearly all that
    decode refuses, and accepts every one decode accepts but those with a stray `<line_sep>`
    (a line break where no statement ends), which the GBNF grammar refuses (its header says so)."""
    from concurrent.futures import ThreadPoolExecutor

    files = [p for p in stdlib_files(every=20) if 2000 < p.stat().st_size < 6000][:15]
    decode_says = {}
    for mutant, refused in judged_mutants(files, random.Random(7), 30, dialect=DIALECT):
        out = tmp_path / f"{len(decode_says)}.simpy"
        out.write_text(mutant)
        decode_says[out.stem] = (refused or "accepted", mutant)
    paths = sorted(tmp_path.glob("*.simpy"))
    grammar = grammar_file("gbnf", DIALECT)
    with ThreadPoolExecutor(2) as pool:
        verdicts = {}
        for part in pool.map(lambda chunk: gbnf_check(*chunk, grammar=grammar), [paths[0::2], paths[1::2]]):
            verdicts.update(part)
    refused = {n for n, (v, _) in decode_says.items() if v != "accepted"}
    missed = {}
    for name in refused:
        if verdicts[name] == "ok":
            missed[decode_says[name][0]] = missed.get(decode_says[name][0], 0) + 1
    caught = len(refused) - sum(missed.values())
    report_missed(len(refused), {"llama.cpp": caught}, missed)
    accepted = set(decode_says) - refused
    not_taken = {n: decode_says[n][1] for n in accepted if verdicts[n] != "ok"}
    stray = {n for n, m in not_taken.items() if has_stray_line_sep(m)}
    print(f"{len(accepted)} mutants decode accepts: llama.cpp refuses {len(not_taken)}, "
          f"{len(stray)} of them with a stray `<line_sep>`")
    assert len(refused) > 120 and len(accepted) > 100
    assert caught >= 0.9 * len(refused)
    # What llama.cpp misses is what the grammar's header leaves to decode.
    left_to_decode = re.compile("a block needs at least one statement|cannot assign to|"
                                "cannot delete|invalid escape sequence|cannot mix bytes")
    assert [m for m in missed if not left_to_decode.search(m)] == []
    assert not_taken.keys() <= stray, [not_taken[n] for n in not_taken.keys() - stray][:3]


def test_llama_cpp_refuses_a_stray_line_sep_that_decode_takes(tmp_path, gbnf_check):
    texts = {
        "token_after_a_block": "<if_stmt>a<block_start><pass><block_end><line_sep>y=2",
        "token_at_the_start": "<line_sep>y=2",
        # Three line breaks read as `<line_sep>` and a block's end, which the grammar takes.
        "three_line_breaks": "<if_stmt>a:\nx=1\n\n\ny=2",
        "two_line_breaks": "<if_stmt>a:\nx=1\n\ny=2",
    }
    for name, text in texts.items():
        sg.decode(text, dialect=DIALECT)
        (tmp_path / f"{name}.simpy").write_text(text)
    verdicts = gbnf_check(*sorted(tmp_path.glob("*.simpy")), grammar=grammar_file("gbnf", DIALECT))
    assert {name: v.split(" at ")[0] for name, v in verdicts.items()} == {
        "token_after_a_block": "refused",
        "token_at_the_start": "refused",
        "three_line_breaks": "ok",
        "two_line_breaks": "ok",
    }
    assert all(has_stray_line_sep(t) for t in list(texts.values())[:3])
    assert not has_stray_line_sep(texts["two_line_breaks"])


def has_stray_line_sep(text):
    """Whether `compact` text has a `<line_sep>` where no statement ends: a line break (or the
    token) at the start, or after a block's start or end, read as `decode --dialect compact`
    reads runs of line breaks (two a block's end, one a `<line_sep>`)."""
    layout = re.sub(r"#[^\n]*\n", "", text)  # a comment holds its own line break
    layout = re.sub(r"\n\n", "<block_end>", layout.replace(":\n", "<block_start>"))
    layout = layout.replace("\n", "<line_sep>")
    return re.search(r"(^|<block_start>|<block_end>|<line_sep>)<line_sep>", layout) is not None
