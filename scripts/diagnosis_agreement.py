#!/usr/bin/env python3
"""How often `simpy check` puts a Python syntax error on the line CPython does.

Mutates real files of the local standard library by one token (a deletion, or an insertion of
a copy of another token of the same file), keeps the mutants CPython's `ast.parse` rejects, and
compares the line `simpy check --jsonl` reports with CPython's, overall and per class of
CPython message; for the common classes it also compares the wording.

usage: scripts/diagnosis_agreement.py SIMPY_BINARY [MUTANTS] [SEED]
"""

import ast
import io
import json
import random
import subprocess
import sys
import sysconfig
import tempfile
import tokenize
from collections import Counter
from pathlib import Path

SKIP = {tokenize.ENCODING, tokenize.ENDMARKER, tokenize.COMMENT, tokenize.NL,
        tokenize.INDENT, tokenize.DEDENT}

# CPython message → class; the wording simpy must match for that class.
CLASSES = [
    ("expected ':'", "missing colon"),
    ("Perhaps you forgot a comma?", "missing comma"),
    ("was never closed", "unclosed bracket"),
    ("unterminated string literal", "unterminated string"),
    ("unterminated triple-quoted string literal", "unterminated string"),
    ("unmatched", "unmatched bracket"),
    ("does not match opening parenthesis", "mismatched bracket"),
    ("indent", "indentation"),
]
WORDING = {"missing colon", "missing comma", "unclosed bracket", "unterminated string"}


def classify(message):
    for needle, name in CLASSES:
        if needle in message:
            return name
    return "other"


def mutants(files, count, rng):
    """(source bytes, CPython line, CPython message, what was done) for `count` rejected mutants."""
    out = []
    while len(out) < count:
        path = rng.choice(files)
        try:
            source = path.read_text(encoding="utf-8")
            tokens = [t for t in tokenize.generate_tokens(io.StringIO(source).readline)
                      if t.type not in SKIP]
        except (SyntaxError, UnicodeDecodeError, tokenize.TokenError, IndentationError):
            continue
        if len(tokens) < 2:
            continue
        lines = source.splitlines(keepends=True)
        offsets = [0]
        for line in lines:
            offsets.append(offsets[-1] + len(line))

        def at(pos):
            return offsets[pos[0] - 1] + pos[1]

        victim = rng.choice(tokens)
        if rng.random() < 0.5:
            mutated = source[:at(victim.start)] + source[at(victim.end):]
            what = f"deleted {victim.string!r}"
        else:
            other = rng.choice(tokens)
            if other.type == tokenize.NEWLINE:
                continue
            mutated = source[:at(victim.start)] + other.string + " " + source[at(victim.start):]
            what = f"inserted {other.string!r}"
        try:
            ast.parse(mutated)
            continue
        except SyntaxError as e:
            if e.lineno is None:
                continue
            out.append((mutated.encode("utf-8"), e.lineno, e.msg, f"{path.name}: {what}"))
        except (ValueError, RecursionError, MemoryError):
            continue
    return out


def main():
    binary = sys.argv[1]
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    seed = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    rng = random.Random(seed)
    stdlib = Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in stdlib.glob("*.py") if p.stat().st_size < 200_000)
    cases = mutants(files, count, rng)
    with tempfile.TemporaryDirectory() as tmp:
        for i, (source, *_rest) in enumerate(cases):
            Path(tmp, f"m{i:06}.py").write_bytes(source)
        result = subprocess.run([binary, "check", "--jsonl", tmp], capture_output=True, text=True)
        ours = {}
        for line in result.stdout.splitlines():
            record = json.loads(line)
            ours[Path(record["path"]).name] = record
    same_line = Counter()
    total = Counter()
    worded = Counter()
    misses = []
    for i, (_, line, message, what) in enumerate(cases):
        cls = classify(message)
        total[cls] += 1
        record = ours.get(f"m{i:06}.py", {})
        if record.get("ok", True):
            misses.append(f"accepted: {what} (CPython: {line}: {message})")
            continue
        if record.get("line") == line:
            same_line[cls] += 1
        else:
            misses.append(f"line {record.get('line')} not {line}: {what}: "
                          f"ours {record.get('message')!r}, CPython {message!r}")
        if cls in WORDING and classify(record.get("message", "")) == cls:
            worded[cls] += 1
        elif cls in WORDING:
            misses.append(f"wording: {what}: ours {record.get('message')!r}, CPython {message!r}")
    n = sum(total.values())
    agree = sum(same_line.values())
    print(f"{n} mutants CPython rejects (seed {seed}): same line as CPython in {agree} "
          f"({100 * agree / n:.1f}%)")
    for cls, k in total.most_common():
        wording = f", CPython's wording in {worded[cls]}" if cls in WORDING else ""
        print(f"  {cls:<20} {k:>5}: same line {same_line[cls]:>5} "
              f"({100 * same_line[cls] / k:.1f}%){wording}")
    if "-v" in sys.argv:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
