"""Peak RSS of `simpy encode SHARD.parquet` on the standard library once and 8 times over.

    target/py-venv/bin/python crates/simpy-py/bench/parquet_memory.py [--simpy target/release/simpy]

Shards laid out like The Stack's, row groups of 256 rows, zstd; peak RSS by /usr/bin/time.
"""

import argparse
import pathlib
import subprocess
import sys
import tempfile

import pyarrow.parquet as pq

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
import batch  # noqa: E402
from conftest import stack_table  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--simpy", default="target/release/simpy")
    args = parser.parse_args()
    sources = [text for _, text in batch.stdlib_sources()]
    mb = sum(len(s.encode()) for s in sources) / 1e6
    with tempfile.TemporaryDirectory() as tmp:
        for times in (1, 8):
            shard = pathlib.Path(tmp) / f"x{times}.parquet"
            pq.write_table(stack_table(sources * times), shard, row_group_size=256, compression="zstd")
            run = subprocess.run(
                ["/usr/bin/time", "-f", "%e %M", args.simpy, "encode", shard, "-o", shard.with_suffix(".out"), "-q"],
                capture_output=True, text=True, check=True,
            )
            seconds, kb = run.stderr.strip().splitlines()[-1].split()
            print(
                f"stdlib x{times}: {mb * times:.1f} MB of source ({shard.stat().st_size / 1e6:.1f} MB zstd): "
                f"peak RSS {int(kb) / 1000:.1f} MB, {float(seconds):.1f} s"
            )


if __name__ == "__main__":
    main()
