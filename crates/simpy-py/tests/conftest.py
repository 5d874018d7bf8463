"""Shared data for the package's tests: the machine's standard library and HumanEval."""

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


@pytest.fixture(scope="session")
def humaneval():
    """HumanEval's 164 problems (`bash scripts/fetch_test_data.sh` puts them in the cache)."""
    default = pathlib.Path(os.environ.get("XDG_CACHE_HOME", pathlib.Path.home() / ".cache"))
    path = pathlib.Path(os.environ.get("SIMPY_HUMANEVAL", default / "simpy" / "HumanEval.jsonl.gz"))
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
