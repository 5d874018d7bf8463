"""examples/ray_encode.py with 1 and 2 workers on a local Ray, side by side (--rounds rounds).

    target/py-venv/bin/python crates/simpy-py/bench/ray_scaling.py [--rounds 3] [--cpus 2]

The input is the standard library's files (those `batch.py` takes) as 8 Parquet shards laid out
like The Stack's. Each run is a fresh process (Ray started and stopped).
"""

import argparse
import json
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile

import pyarrow.parquet as pq

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
import batch  # noqa: E402
from conftest import stack_table  # noqa: E402

EXAMPLE = HERE.parents[2] / "examples" / "ray_encode.py"
# Read and write tasks need a CPU beside the workers (see the example's --cpus-per-worker).
CPUS_PER_WORKER = {1: 1.0, 2: 0.5}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpus", type=int, default=2)
    args = parser.parse_args()
    sources = [text for _, text in batch.stdlib_sources()]
    with tempfile.TemporaryDirectory() as tmp:
        shards = pathlib.Path(tmp) / "shards"
        shards.mkdir()
        for i in range(8):
            pq.write_table(stack_table(sources[i::8]), shards / f"part-{i:02d}.parquet", row_group_size=64)
        runs = {1: [], 2: []}
        for _ in range(args.rounds):
            for workers in runs:
                out = pathlib.Path(tmp) / f"out-{workers}-{len(runs[workers])}"
                command = [
                    sys.executable, EXAMPLE, shards, "--output", out, "--num-cpus", str(args.cpus),
                    "--workers", str(workers), "--cpus-per-worker", str(CPUS_PER_WORKER[workers]),
                    "--read-blocks", "16",
                ]
                run = subprocess.run(
                    command, capture_output=True, text=True, check=True,
                    env={**os.environ, "RAY_USAGE_STATS_ENABLED": "0"},
                )
                runs[workers].append(json.loads(run.stdout.strip().splitlines()[-1]))
    print(f"{len(sources)} files, {runs[1][0]['input_mb']} MB, local Ray with {args.cpus} CPUs")
    print("| workers | seconds | median MB/s |\n|---|---|---|")
    for workers, results in runs.items():
        seconds = " / ".join(f"{r['seconds']:.2f}" for r in results)
        print(f"| {workers} | {seconds} | {statistics.median(r['mb_per_s'] for r in results):.2f} |")


if __name__ == "__main__":
    main()
