"""examples/: the Ray Data pipeline on a local Ray, and `datasets.map` with two processes."""

import importlib.util
import json
import os
import subprocess
import sys

import pyarrow.parquet as pq

import simpy_grammar as sg
from conftest import PY2_ROW, REPO

EXAMPLES = REPO / "examples"
OFFLINE = {"HF_DATASETS_OFFLINE": "1", "HF_HUB_OFFLINE": "1", "RAY_USAGE_STATS_ENABLED": "0"}


def check_encoded(table, source):
    by_path = dict(zip(table["max_stars_repo_path"].to_pylist(), zip(table["simpy"].to_pylist(), table["simpy_error"].to_pylist())))
    assert len(by_path) == source.num_rows
    for path, content in zip(source["max_stars_repo_path"].to_pylist(), source["content"].to_pylist()):
        simpy, error = by_path[path]
        if content is None:
            assert simpy is None and error is None
        elif content == PY2_ROW:
            assert simpy is None and "print" in error
        else:
            assert error is None and simpy == sg.encode(content)


def test_the_ray_example_encodes_a_shard_on_a_local_ray(stack_shard, tmp_path):
    out = tmp_path / "ray-out"
    run = subprocess.run(
        [sys.executable, EXAMPLES / "ray_encode.py", stack_shard, "--output", out, "--num-cpus", "2", "--workers", "2", "--cpus-per-worker", "0.5", "--read-blocks", "4"],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, **OFFLINE},
    )
    assert run.returncode == 0, run.stderr[-3000:]
    # Ray's raylet prints its own warnings to the driver's stdout even with log_to_driver=False.
    summary = json.loads([line for line in run.stdout.splitlines() if line.startswith("{")][-1])
    source = pq.read_table(stack_shard)
    assert summary["rows"] == source.num_rows and summary["failed"] == 1
    check_encoded(pq.read_table(out), source)


def load_example(name):
    spec = importlib.util.spec_from_file_location(name, EXAMPLES / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_datasets_example_maps_in_two_processes_and_caches(stack_shard, tmp_path, monkeypatch):
    for key, value in OFFLINE.items():
        monkeypatch.setenv(key, value)
    example = load_example("datasets_encode")
    sg.encode_batch(["x = 1\n"] * 8, threads=2)  # the parent has run a parallel batch: then forks
    first = example.encode([str(stack_shard)], num_proc=2, cache_dir=str(tmp_path))
    check_encoded(first.data.table, pq.read_table(stack_shard))
    # The same map again is found in the cache: the function and its arguments fingerprint.
    again = example.encode([str(stack_shard)], num_proc=2, cache_dir=str(tmp_path))
    assert again._fingerprint == first._fingerprint
    assert {f["filename"] for f in again.cache_files} == {f["filename"] for f in first.cache_files}
