"""Encode a Parquet corpus to SimPy with Hugging Face `datasets`: `Dataset.map(batched=True)`.

    python examples/datasets_encode.py shards/*.parquet --output out/ --num-proc 2

The map function is a plain module-level function, so `datasets` fingerprints it and a second
run with the same inputs is read from its cache instead of being computed again. With
`num_proc`, `datasets` forks workers; each converts its rows on its own thread
(`simpy_grammar` runs batches on the calling thread in a forked child).
"""

import argparse

import datasets

import simpy_grammar as sg


def encode_rows(batch, column="content"):
    """A batch of rows in, the `simpy` and `simpy_error` columns out."""
    results = sg.encode_batch(batch[column], errors="return")
    return {
        "simpy": [r if isinstance(r, str) else None for r in results],
        "simpy_error": [str(r) if isinstance(r, sg.SimpyError) else None for r in results],
    }


def encode(files, column="content", num_proc=None, cache_dir=None):
    dataset = datasets.Dataset.from_parquet(files, cache_dir=cache_dir)
    return dataset.map(
        encode_rows,
        batched=True,
        batch_size=256,
        num_proc=num_proc,
        fn_kwargs={"column": column},
        desc="simpy encode",
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", help="Parquet files")
    parser.add_argument("--output", required=True, help="the folder to save the dataset into")
    parser.add_argument("--column", default="content")
    parser.add_argument("--num-proc", type=int, default=None)
    args = parser.parse_args()
    encoded = encode(args.files, args.column, args.num_proc)
    encoded.save_to_disk(args.output)
    failed = sum(e is not None for e in encoded["simpy_error"])
    print(f"{encoded.num_rows} rows, {failed} failed, saved to {args.output}")


if __name__ == "__main__":
    main()
