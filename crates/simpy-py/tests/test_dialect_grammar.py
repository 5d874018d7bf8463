"""Issue #16: the grammar of a dialect (`simpy grammar --dialect compact`, grammar/simpy.compact.*)
accepts what `encode --dialect compact` writes and refuses what decode in the dialect refuses,
as closely as its header says, checked with the engines themselves: lark and llguidance on
stdlib files (every other one; SIMPY_DIALECT_GRAMMAR_FILES=all takes them all) and one-edit
mutants both ways. `compact` has no GBNF grammar (llama.cpp would take exponential time on its
line breaks), so llama.cpp runs the GBNF of `compact` without blank lines as block ends."""

import multiprocessing
import os
import random
import time

import pytest

import simpy_grammar as sg
from conftest import stdlib_files
from grammar_engines import (
    Engines,
    grammar_file,
    lark_parser,
    mutants,
    refused_by_lark_and_llguidance,
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
    refused, caught = refused_by_lark_and_llguidance(
        engines, files, random.Random(12), 60, dialect=DIALECT
    )
    assert refused > 500
    assert caught["lark"] >= 0.95 * refused
    assert caught["llguidance"] >= 0.95 * refused


def test_mutants_in_the_dialect_decode_accepts_are_accepted_by_lark_and_llguidance(engines):
    files = [p for p in stdlib_files(every=60) if 2000 < p.stat().st_size < 8000][:25]
    accepted = 0
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
            accepted += 1
    print(f"\n{accepted} mutants decode accepts in {DIALECT}: lark and llguidance accept them")
    assert accepted > 100


def test_gbnf_is_refused_for_compact(simpy_cli):
    refused = simpy_cli("grammar", "--format", "gbnf", "--dialect", DIALECT, check=False)
    assert refused.returncode == 1 and "GBNF engine" in refused.stderr, refused.stderr
    assert not grammar_file("gbnf", DIALECT).exists()


def test_stdlib_files_without_blank_lines_are_accepted_by_llama_cpp(simpy_cli, tmp_path, gbnf_check):
    """llama.cpp's engine on every 40th stdlib file in `compact` with `<block_end>` kept as a
    token (its other eight choices on), against the GBNF grammar `simpy grammar` writes for it."""
    import json
    from concurrent.futures import ThreadPoolExecutor

    dialect = json.loads(simpy_cli("dialect", "show", DIALECT).stdout)
    dialect["name"] = "no-blank-lines"
    dialect["choices"]["block_end_as_blank_line"] = False
    dialect_file = tmp_path / "no-blank-lines.json"
    dialect_file.write_text(json.dumps(dialect))
    gbnf = tmp_path / "no-blank-lines.gbnf"
    simpy_cli("grammar", "--format", "gbnf", "--dialect", dialect_file, "-o", gbnf)
    paths = []
    for i, path in enumerate(stdlib_files(every=40)):
        try:
            text = sg.encode(path.read_bytes(), dialect=str(dialect_file))
        except sg.SimpyError:
            continue
        paths.append(tmp_path / f"{i}.simpy")
        paths[-1].write_text(text)
    paths.sort(key=lambda p: p.stat().st_size)
    started = time.perf_counter()
    with ThreadPoolExecutor(2) as pool:
        verdicts = {}
        for verdict in pool.map(lambda p: gbnf_check(p, timeout=600, grammar=gbnf), paths):
            verdicts.update(verdict)
    kilobytes = sum(p.stat().st_size for p in paths) / 1e3
    print(f"\nllama.cpp: {len(paths)} files, {kilobytes:.0f} KB, {time.perf_counter() - started:.0f} s on 2 threads")
    refused = {name: v for name, v in verdicts.items() if v != "ok"}
    assert len(verdicts) == len(paths) > 1500 // 40
    assert refused == {}, refused
