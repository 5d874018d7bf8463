"""The Python package's throughput beside the CLI's, in one run (median of --repeat rounds).

    target/py-venv/bin/python crates/simpy-py/bench/batch.py [--repeat 3] [--simpy target/release/simpy]

Measures, on the standard library's files that CPython parses (UTF-8):
- `simpy encode DIR -o OUT --jobs 1` (the CLI, one core, reading and writing files);
- `encode_batch(rows, threads=1)` and `threads=None` (all cores), on the same texts in memory;
- one `encode` call per row, against one `encode_batch` call, on the same rows, and on
  HumanEval-sized snippets (0.45 KB on average) where the cost per call shows most.
"""

import argparse
import ast
import os
import pathlib
import shutil
import statistics
import subprocess
import sysconfig
import tempfile
import time

import simpy_grammar as sg


def stdlib_sources():
    root = pathlib.Path(sysconfig.get_paths()["stdlib"])
    out = []
    for path in sorted(root.rglob("*.py")):
        if "site-packages" in path.parts:
            continue
        data = path.read_bytes()
        try:
            text = data.decode()
            ast.parse(text)
            sg.encode(data)  # as the CLI reads it: a bad coding line fails
        except (UnicodeDecodeError, SyntaxError, ValueError):
            continue
        out.append((path.relative_to(root), text))
    return out


def median_seconds(run, repeat):
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--simpy", default="target/release/simpy")
    args = parser.parse_args()

    sources = stdlib_sources()
    rows = [text for _, text in sources]
    mb = sum(len(t.encode()) for t in rows) / 1e6
    print(f"{len(rows)} stdlib files, {mb:.1f} MB; median of {args.repeat}; {os.cpu_count()} CPUs")

    with tempfile.TemporaryDirectory() as tmp:
        tree = pathlib.Path(tmp) / "lib"
        for rel, text in sources:
            (tree / rel).parent.mkdir(parents=True, exist_ok=True)
            (tree / rel).write_text(text)
        out = pathlib.Path(tmp) / "out"

        def cli():
            shutil.rmtree(out, ignore_errors=True)
            subprocess.run(
                [args.simpy, "--jobs", "1", "--quiet", "encode", tree, "-o", out],
                check=True,
                capture_output=True,
            )

        cli_s = median_seconds(cli, args.repeat)
    one_s = median_seconds(lambda: sg.encode_batch(rows, threads=1), args.repeat)
    all_s = median_seconds(lambda: sg.encode_batch(rows), args.repeat)
    per_row_s = median_seconds(lambda: [sg.encode(t) for t in rows], args.repeat)
    print(f"| simpy encode --jobs 1 (CLI, files) | {mb / cli_s:.2f} MB/s | 100% |")
    print(f"| encode_batch(threads=1) | {mb / one_s:.2f} MB/s | {cli_s / one_s:.0%} |")
    print(
        f"| encode_batch() ({sg.default_threads()} threads) | {mb / all_s:.2f} MB/s | {cli_s / all_s:.0%} |"
    )
    print(f"| encode() once per row | {mb / per_row_s:.2f} MB/s | {cli_s / per_row_s:.0%} |")

    # Short rows, where a call's own cost shows: HumanEval-sized snippets.
    snippet = 'def add(a, b):\n    """Add two numbers."""\n    return a + b\n' * 7
    snippets = [snippet] * 20000
    snippet_mb = len(snippet.encode()) * len(snippets) / 1e6
    batch_s = median_seconds(lambda: sg.encode_batch(snippets, threads=1), args.repeat)
    calls_s = median_seconds(lambda: [sg.encode(s) for s in snippets], args.repeat)
    print(
        f"20,000 snippets of {len(snippet)} bytes: one batch {batch_s / len(snippets) * 1e6:.1f} µs/row "
        f"({snippet_mb / batch_s:.2f} MB/s), one call per row {calls_s / len(snippets) * 1e6:.1f} µs/row "
        f"({snippet_mb / calls_s:.2f} MB/s): {(calls_s - batch_s) / len(snippets) * 1e6:+.1f} µs per call"
    )


if __name__ == "__main__":
    main()
