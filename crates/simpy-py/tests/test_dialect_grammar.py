"""Issue #16: the grammar of a dialect (`simpy grammar --dialect compact`, grammar/simpy.compact.*)
accepts what `encode --dialect compact` writes and refuses what decode in the dialect refuses,
as closely as its header says, checked with the engines themselves: lark and llguidance on
stdlib files (every other one; SIMPY_DIALECT_GRAMMAR_FILES=all takes them all), llama.cpp on
a sample, and one-edit mutants both ways."""

import multiprocessing
import os
import random
import time

import pytest

import simpy_grammar as sg
from conftest import stdlib_files
from grammar_engines import Engines, grammar_file, lark_parser, mutants, refused_mutants

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
    for text in ["<if_stmt>a:\n<pass><else_stmt>b=1<block_end>", "<if_stmt>a<block_start><pass><block_end>"]:
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


def test_masks_complete_in_the_dialect_with_llguidances_item_limit_raised(engines):
    """Line breaks as text cost mask items: vocabulary tokens such as `)\n` or `,\n` cross into
    a statement's start, one row of Earley items each, so masks pass llguidance's default
    `step_max_items` (50,000) where the canonical grammar stays under it (README, "Grammars of
    a dialect"). With the limit at 500,000 every mask of 8 stdlib files completes; how many
    files stop under the default is printed, not asserted (it is the known miss)."""
    import llguidance
    from llguidance.numpy import allocate_token_bitmask, fill_next_token_bitmask

    def first_stop(ids, limits):
        matcher = engines.matcher(limits)
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
    raised = llguidance.LLParserLimits(step_max_items=500_000)
    stops = {name: first_stop(ids, None) for name, ids in texts}
    print(f"\nunder the default limits, {sum(s is not None for s in stops.values())} of 8 files stop:")
    for name, stop in stops.items():
        print(f"  {name}: {'completes' if stop is None else f'token {stop[0]}: {stop[1][:90]}'}")
    assert {name: first_stop(ids, raised) for name, ids in texts} == dict.fromkeys(stops)


def test_mutants_in_the_dialect_decode_refuses_are_refused_by_the_grammars(engines):
    files = [p for p in stdlib_files(every=60) if p.stat().st_size > 2000][:25]
    refused = caught_by_lark = caught_by_llguidance = 0
    missed = {}
    for mutant, reason in refused_mutants(files, random.Random(12), 40, dialect=DIALECT):
        refused += 1
        lark_error, _ = engines.lark(mutant)
        llg_error = engines.llguidance(engines.ids(mutant))
        caught_by_lark += lark_error is not None
        caught_by_llguidance += llg_error is not None
        if lark_error is None or llg_error is None:
            missed[reason] = missed.get(reason, 0) + 1
    print(f"\n{refused} mutants decode refuses; lark refuses {caught_by_lark}, llguidance "
          f"{caught_by_llguidance}; missed, by decode's message:")
    for reason, count in sorted(missed.items(), key=lambda kv: -kv[1]):
        print(f"  {count:4}  {reason}")
    assert refused > 500
    assert caught_by_lark >= 0.95 * refused
    assert caught_by_llguidance >= 0.95 * refused


def test_mutants_in_the_dialect_decode_accepts_are_accepted_by_every_engine(
    engines, gbnf_check, tmp_path
):
    files = [p for p in stdlib_files(every=60) if 2000 < p.stat().st_size < 8000][:25]
    paths = []
    for path in files:
        text = sg.encode(path.read_bytes(), dialect=DIALECT)
        for mutant in dict.fromkeys(mutants(text, random.Random(11), 40)):
            if mutant == text:
                continue
            try:
                sg.decode(mutant, dialect=DIALECT)
            except sg.SimpyError:
                continue
            lark_error, spans = engines.lark(mutant)
            assert lark_error is None, f"lark refuses what decode accepts: {mutant!r}"
            assert engines.llguidance(engines.ids(mutant, spans)) is None, mutant
            paths.append(tmp_path / f"{len(paths)}.simpy")
            paths[-1].write_text(mutant)
    print(f"\n{len(paths)} mutants decode accepts in {DIALECT}: every engine accepts them")
    assert len(paths) > 100
    gbnf = grammar_file("gbnf", DIALECT)
    assert gbnf_check(*paths, grammar=gbnf) == {p.stem: "ok" for p in paths}


def test_stdlib_files_in_the_dialect_are_accepted_by_llama_cpp(tmp_path, gbnf_check):
    """llama.cpp's engine (about 17 KB/s) on every 40th stdlib file in the dialect."""
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
    gbnf = grammar_file("gbnf", DIALECT)
    with ThreadPoolExecutor(2) as pool:
        verdicts = {}
        for verdict in pool.map(lambda p: gbnf_check(p, timeout=600, grammar=gbnf), paths):
            verdicts.update(verdict)
    refused = {name: v for name, v in verdicts.items() if v != "ok"}
    assert len(verdicts) == len(paths) > 1500 // 40
    assert refused == {}, refused
