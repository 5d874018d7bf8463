"""The per-token cost of constraining a model to SimPy with llguidance: for each token of real
SimPy (stdlib files), the time to compute the next-token mask over the whole vocabulary, then
to consume the token, as a serving stack does at each step.

    target/py-venv/bin/python crates/simpy-py/bench/grammar_mask.py [--base gpt4] [--files 20]
        [--dialect compact]

The vocabulary is `simpy tokenizer export --base BASE` (gpt4: cl100k + SimPy, 100,356 ids;
gpt4o: o200k + SimPy, 200,098 ids); the grammar grammar/simpy.llguidance.lark (or the
dialect's). Reports the Earley items each mask takes (llguidance's own count, from its
`LLInterpreter` step statistics; it stops a mask at `step_max_items`, 50,000 by default), the
median, p99 and mean time over all tokens of the median of --repeat passes, and the time to
build the matcher. llguidance publishes about 50 µs per token on a 128k vocabulary.
"""

import argparse
import json
import pathlib
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests"))

from conftest import REPO  # noqa: E402
from grammar_engines import Engines  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="gpt4")
    parser.add_argument("--dialect", default="simpy", help="a built-in dialect (its grammar/ file)")
    parser.add_argument("--files", type=int, default=20)
    parser.add_argument("--every", type=int, default=40, help="take every N-th stdlib file")
    parser.add_argument("--repeat", type=int, default=3,
                        help="timed passes (0: only the pass under llguidance's own limits)")
    parser.add_argument("--simpy", default=str(REPO / "target" / "release" / "simpy"))
    parser.add_argument("--grammar", help="another llguidance grammar (default: grammar/)")
    parser.add_argument("--max-items", type=int, default=1_000_000,
                        help="llguidance's step_max_items (its own default: 50,000)")
    args = parser.parse_args()

    import numpy as np
    from llguidance.numpy import allocate_token_bitmask, fill_next_token_bitmask

    with tempfile.TemporaryDirectory() as out:
        subprocess.run([args.simpy, "tokenizer", "export", "--base", args.base, "--dialect",
                        args.dialect, "-o", out], check=True, capture_output=True)
        engines = Engines((pathlib.Path(out) / "tokenizer.json").read_text(), dialect=args.dialect)
    if args.grammar:
        engines.grammar = pathlib.Path(args.grammar).read_text()
    texts = [ids for _, ids in engines.stdlib_sample(args.every, args.files)]

    import llguidance

    limits = llguidance.LLParserLimits(step_max_items=args.max_items)
    bitmask = allocate_token_bitmask(1, engines.n_vocab)
    # With llguidance's own limits, a mask can stop with "Too many items" (the matcher is then
    # in error): count the files where that happens.
    stopped = 0
    for ids in texts:
        matcher = engines.matcher()
        for token in ids:
            fill_next_token_bitmask(matcher, bitmask)
            if matcher.is_error():
                stopped += 1
                break
            matcher.consume_token(token)
    print(f"with llguidance's default limits, {stopped} of {len(texts)} files "
          f"({sum(map(len, texts))} tokens) stop with 'Too many items'")
    items = np.array([n for ids in texts for n in mask_items(engines, ids, limits)])
    print(f"Earley items per mask: p50 {np.percentile(items, 50):.0f}, "
          f"p99 {np.percentile(items, 99):.0f}, max {items.max()}, mean {items.mean():.0f}; "
          f"{(items > 40_000).sum()} masks over 40,000")
    if args.repeat == 0:
        return
    passes, builds = [], []
    for _ in range(args.repeat):
        per_token = []
        for ids in texts:
            started = time.perf_counter()
            matcher = engines.matcher(limits)
            builds.append(time.perf_counter() - started)
            for token in ids:
                started = time.perf_counter()
                fill_next_token_bitmask(matcher, bitmask)
                per_token.append(time.perf_counter() - started)
                assert matcher.consume_token(token), matcher.get_error()
            assert matcher.is_accepting()
        passes.append(np.array(per_token) * 1e6)
    median = np.median(np.stack(passes), axis=0)
    tokens = len(median)
    print(f"{args.base}: {engines.n_vocab} ids, {len(texts)} stdlib files, {tokens} tokens, "
          f"median of {args.repeat} passes")
    print(f"mask per token: p50 {np.percentile(median, 50):.1f} µs, "
          f"p99 {np.percentile(median, 99):.1f} µs, mean {median.mean():.1f} µs, "
          f"max {median.max():.0f} µs")
    print(f"matcher build: median {statistics.median(builds) * 1e3:.1f} ms")
    print(f"(the timings above use step_max_items={args.max_items})")


def mask_items(engines, ids, limits):
    """The Earley items llguidance creates for the mask before each of `ids`."""
    import llguidance

    grammar = json.dumps({"grammars": [{"lark_grammar": engines.grammar}]})
    interpreter = llguidance.LLInterpreter(engines.llg_tokenizer, grammar, enable_backtrack=False,
                                           enable_ff_tokens=False, log_level=0, limits=limits)
    interpreter.start_without_prompt()
    for token in ids:
        _, report = interpreter.compute_mask()
        steps = json.loads(report)["progress"]
        yield max((step["stats"]["all_items"] for step in steps if "stats" in step), default=0)
        interpreter.commit_token(token)


if __name__ == "__main__":
    main()
