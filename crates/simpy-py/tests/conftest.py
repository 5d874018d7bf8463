"""Shared data for the package's tests: the machine's standard library and HumanEval."""

import ast
import gzip
import json
import os
import pathlib
import sysconfig

import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[3]


def stdlib_files(every=1, limit=None):
    """The standard library's .py files (sorted; every `every`th), CPython being the oracle."""
    root = pathlib.Path(sysconfig.get_paths()["stdlib"])
    files = sorted(p for p in root.rglob("*.py") if "site-packages" not in p.parts)
    return files[::every][:limit]


@pytest.fixture(scope="session")
def stdlib_sample():
    """About 120 stdlib files as (path, bytes)."""
    return [(p, p.read_bytes()) for p in stdlib_files(every=15)]


def simpy_cache():
    """Where the fetch scripts keep test data: $XDG_CACHE_HOME/simpy, else ~/.cache/simpy."""
    return pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache")) / "simpy"


def gguf_vocabulary(model):
    """llama.cpp's vocabulary-only GGUF of `model` (`qwen2`, `starcoder`, …), where
    scripts/fetch_tokenizers.sh puts it and `simpy` reads it."""
    folder = pathlib.Path(os.environ.get("SIMPY_TOKENIZERS", simpy_cache() / "tokenizers"))
    path = folder / f"ggml-vocab-{model}.gguf"
    assert path.exists(), f"{path} is missing: run `bash scripts/fetch_tokenizers.sh`"
    return path


@pytest.fixture(scope="session")
def humaneval():
    """HumanEval's 164 problems (`bash scripts/fetch_test_data.sh` puts them in the cache)."""
    path = pathlib.Path(os.environ.get("SIMPY_HUMANEVAL", simpy_cache() / "HumanEval.jsonl.gz"))
    assert path.exists(), f"{path} is missing: run `bash scripts/fetch_test_data.sh`"
    with gzip.open(path, "rt") as f:
        return [json.loads(line) for line in f]


@pytest.fixture(scope="session")
def simpy_cli():
    """Runs the `simpy` command (scripts/python_tests.sh builds it and names it in $SIMPY_BIN)."""
    binary = os.environ.get("SIMPY_BIN", str(REPO / "target" / "release" / "simpy"))
    assert pathlib.Path(binary).is_file(), f"{binary} is missing: cargo build --release -p simpy-cli"

    def run(*args, check=True):
        return subprocess.run([binary, *map(str, args)], capture_output=True, text=True, check=check)

    return run


PY2_ROW = "print 'a Python 2 file'\n"


def stack_table(sources):
    """A table laid out like The Stack's shards: `content` and the columns around it."""
    import hashlib

    import pyarrow as pa

    return pa.table(
        {
            "hexsha": [hashlib.sha1((s or "").encode()).hexdigest() for s in sources],
            "size": pa.array([len((s or "").encode()) for s in sources], pa.int64()),
            "ext": ["py"] * len(sources),
            "lang": ["Python"] * len(sources),
            "max_stars_repo_path": [f"lib/file_{i}.py" for i in range(len(sources))],
            "max_stars_count": pa.array([i if i % 3 else None for i in range(len(sources))], pa.int64()),
            "content": sources,
            "avg_line_length": [float(len(s or "")) / max(1, (s or "").count("\n")) for s in sources],
        }
    )


@pytest.fixture(scope="session")
def stack_shard(tmp_path_factory, stdlib_sample):
    """A shard of stdlib files (and a Python 2 row and a null row), row groups of 32 rows."""
    import pyarrow.parquet as pq

    sources = []
    for _, data in stdlib_sample:
        try:
            ast.parse(data.decode())
        except (UnicodeDecodeError, SyntaxError):
            continue  # lib2to3's Python 2 test data: one Python 2 row is put in on purpose
        sources.append(data.decode())
    sources[5] = PY2_ROW
    sources[9] = None
    path = tmp_path_factory.mktemp("shards") / "train-00000-of-00001.parquet"
    pq.write_table(stack_table(sources), path, row_group_size=32, compression="snappy")
    return path


@pytest.fixture(scope="session")
def tokenizer_json(tmp_path_factory, simpy_cli):
    out = tmp_path_factory.mktemp("gpt4-simpy")
    simpy_cli("tokenizer", "export", "--base", "gpt4", "-o", out)
    return (out / "tokenizer.json").read_text()


def gbnf_tool(name):
    """A program of tools/gbnf-check, built by scripts/build_gbnf_check.sh (python_tests.sh runs
    it and names gbnf_check in $GBNF_CHECK; the others are beside it)."""
    default = REPO / "target" / "gbnf-check" / "gbnf_check"
    binary = pathlib.Path(os.environ.get("GBNF_CHECK", default)).with_name(name)
    assert binary.is_file(), f"{binary} is missing: bash scripts/build_gbnf_check.sh"
    return binary


@pytest.fixture(scope="session")
def gbnf_check():
    """llama.cpp's own GBNF engine (scripts/build_gbnf_check.sh, run by python_tests.sh), on
    grammar/simpy.gbnf or, with `grammar=`, another."""
    binary = gbnf_tool("gbnf_check")

    def verdicts(*paths, timeout=3600, grammar=REPO / "grammar" / "simpy.gbnf"):
        """Each file's verdict: `ok`, `refused at byte N`, or `unfinished` if the run took
        longer than `timeout` seconds (what it finished is kept)."""
        import subprocess

        command = [binary, grammar, *paths]
        try:
            run = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
            assert run.returncode == 0, f"llama.cpp refuses {grammar}: {run.stderr}"
            out = run.stdout
        except subprocess.TimeoutExpired as expired:
            out = expired.stdout or ""
            out = out.decode() if isinstance(out, bytes) else out
        found = {pathlib.Path(p).stem: v for p, v in (line.split("\t") for line in out.splitlines())}
        return {pathlib.Path(p).stem: found.get(pathlib.Path(p).stem, "unfinished") for p in paths}

    return verdicts
