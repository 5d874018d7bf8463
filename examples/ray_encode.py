"""Encode a Parquet corpus to SimPy on Ray Data: read_parquet -> map_batches -> write_parquet.

Every input column is kept; `simpy` (the SimPy, or null) and `simpy_error` (why a row failed,
or null) are added. A bad row (Python 2, a broken file) never fails a batch.

Locally (Ray starts on this machine):

    python examples/ray_encode.py shards/ --output out/ --workers 2

On a cluster, from a checkout of this repository:

    ray job submit --address http://HEAD:8265 --working-dir . \
        --runtime-env-json '{"pip": ["simpy-grammar"]}' \
        -- python examples/ray_encode.py s3://bucket/the-stack/python/ \
           --output s3://bucket/the-stack-simpy/ --workers 64

It prints one JSON line: rows, failed rows, input MB, seconds and MB/s.
"""

import argparse
import json
import time

import pyarrow as pa
import pyarrow.compute as pc
import ray

import simpy_grammar as sg


class Encode:
    """One per Ray worker (a callable class: its state is built once, not per batch)."""

    def __init__(self, column: str, strip_comments: bool = False):
        self.column = column
        self.strip_comments = strip_comments

    def __call__(self, batch: pa.Table) -> pa.Table:
        # One thread per worker: Ray runs one worker per CPU it was given.
        results = sg.encode_batch(
            batch[self.column].to_pylist(),
            strip_comments=self.strip_comments,
            threads=1,
            errors="return",
        )
        simpy = [r if isinstance(r, str) else None for r in results]
        errors = [str(r) if isinstance(r, sg.SimpyError) else None for r in results]
        return batch.append_column("simpy", pa.array(simpy, pa.large_string())).append_column(
            "simpy_error", pa.array(errors, pa.large_string())
        )


def _counts(batch: pa.Table) -> pa.Table:
    return pa.table(
        {
            "rows": [batch.num_rows],
            "failed": [batch.num_rows - batch["simpy_error"].null_count],
            "bytes": [pc.sum(pc.binary_length(batch["content"])).as_py() or 0],
        }
    )


def encode(
    inputs,
    output,
    column="content",
    workers=2,
    batch_size=256,
    strip_comments=False,
    cpus_per_worker=1.0,
    read_blocks=None,
):
    """Runs the pipeline; returns the summary (rows, failed, input bytes, seconds)."""
    start = time.perf_counter()
    (
        ray.data.read_parquet(inputs, override_num_blocks=read_blocks)
        .map_batches(
            Encode,
            fn_constructor_args=(column, strip_comments),
            batch_format="pyarrow",
            batch_size=batch_size,
            concurrency=workers,
            num_cpus=cpus_per_worker,
        )
        .write_parquet(output)
    )
    seconds = time.perf_counter() - start
    written = ray.data.read_parquet(output, columns=[column, "simpy_error"])
    if column != "content":
        written = written.rename_columns({column: "content"})
    totals = written.map_batches(_counts, batch_format="pyarrow").sum(["rows", "failed", "bytes"])
    return {
        "rows": totals["sum(rows)"],
        "failed": totals["sum(failed)"],
        "input_mb": round(totals["sum(bytes)"] / 1e6, 3),
        "seconds": round(seconds, 2),
        "mb_per_s": round(totals["sum(bytes)"] / 1e6 / seconds, 2),
        "workers": workers,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("inputs", nargs="+", help="Parquet files or folders (local, s3://, gs://)")
    parser.add_argument("--output", required=True, help="the folder to write Parquet files into")
    parser.add_argument("--column", default="content", help="the column of Python sources")
    parser.add_argument("--workers", type=int, default=2, help="Ray workers (one CPU each)")
    parser.add_argument(
        "--cpus-per-worker",
        type=float,
        default=1.0,
        help="CPUs Ray reserves per worker; Ray Data's read and write tasks need a CPU too, so "
        "as many workers as CPUs need less than 1 each (0.5 on a 2-CPU local Ray)",
    )
    parser.add_argument(
        "--read-blocks",
        type=int,
        default=None,
        help="split the input into this many blocks (Ray reads a small input as one block, "
        "which only one worker gets; a big one is split by Ray)",
    )
    parser.add_argument("--batch-size", type=int, default=256, help="rows per batch")
    parser.add_argument("--strip-comments", action="store_true", help="drop comments (lossy)")
    parser.add_argument(
        "--num-cpus", type=int, default=None, help="start a local Ray with this many CPUs"
    )
    args = parser.parse_args()
    # Under `ray job submit` this joins the cluster; otherwise it starts Ray here.
    ray.init(num_cpus=args.num_cpus, include_dashboard=False, log_to_driver=False)
    summary = encode(
        args.inputs,
        args.output,
        args.column,
        args.workers,
        args.batch_size,
        args.strip_comments,
        args.cpus_per_worker,
        args.read_blocks,
    )
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
