"""Compares `simpy dump-ast` with CPython's `ast.dump` on every .py file of the standard library.

Usage: python3 scripts/compare_stdlib.py SIMPY_BINARY [ROOT]
Prints each mismatch and a summary; exits 1 if any file differs or is wrongly accepted/rejected.
"""
import ast, os, subprocess, sys, sysconfig
from concurrent.futures import ThreadPoolExecutor

binary = sys.argv[1]
root = sys.argv[2] if len(sys.argv) > 2 else sysconfig.get_paths()["stdlib"]

def files():
    for d, dirs, names in os.walk(root):
        dirs[:] = sorted(x for x in dirs if x != "site-packages")
        for n in sorted(names):
            if n.endswith(".py"):
                yield os.path.join(d, n)

def check(path):
    try:
        want = ast.dump(ast.parse(open(path, "rb").read()))
    except (SyntaxError, ValueError):
        want = None
    got = subprocess.run([binary, "dump-ast", path], capture_output=True)
    if want is None:
        return None if got.returncode == 1 else f"ACCEPTED invalid: {path}"
    if got.returncode != 0:
        return f"REJECTED valid: {got.stderr.decode(errors='replace').splitlines()[0]}"
    text = got.stdout.decode().rstrip("\n")
    if text != want:
        i = next((k for k in range(min(len(text), len(want))) if text[k] != want[k]), min(len(text), len(want)))
        return f"DIFF {path} at {i}:\n  got:  {text[max(0,i-150):i+150]}\n  want: {want[max(0,i-150):i+150]}"
    return None

paths = list(files())
with ThreadPoolExecutor(os.cpu_count()) as pool:
    results = list(pool.map(check, paths))
bad = [r for r in results if r]
for r in bad:
    print(r)
print(f"{len(paths)} files, {len(paths) - len(bad)} agree, {len(bad)} disagree")
sys.exit(1 if bad else 0)
