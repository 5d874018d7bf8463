"""`simpy encode|decode|report` on Parquet shards laid out like The Stack's (written here with
pyarrow from the standard library)."""

import ast
import json

import pyarrow.parquet as pq
import pytest

import simpy_grammar as sg
from conftest import PY2_ROW, stack_table


def test_encode_keeps_every_column_and_adds_the_simpy_and_error_columns(stack_shard, tmp_path, simpy_cli):
    out = tmp_path / "encoded.parquet"
    run = simpy_cli("encode", stack_shard, "-o", out, check=False)
    assert run.returncode == 1, run.stderr  # one row failed
    assert "1 failed" in run.stderr and "row 5: 1:1:" in run.stderr
    source = pq.read_table(stack_shard)
    encoded = pq.read_table(out)
    assert encoded.column_names == source.column_names + ["simpy", "simpy_error"]
    for name in source.column_names:
        assert encoded[name].equals(source[name]), name
    # Row groups are streamed: one out for each in.
    assert pq.ParquetFile(out).num_row_groups == pq.ParquetFile(stack_shard).num_row_groups
    contents = source["content"].to_pylist()
    simpy = encoded["simpy"].to_pylist()
    errors = encoded["simpy_error"].to_pylist()
    for row, (content, text, error) in enumerate(zip(contents, simpy, errors)):
        if content is None:
            assert text is None and error is None
        elif content == PY2_ROW:
            assert text is None and error.startswith("1:1: ") and "print" in error
        else:
            assert error is None and text == sg.encode(content), row


def test_decode_of_the_encoded_shard_gives_the_same_programs(stack_shard, tmp_path, simpy_cli):
    encoded, decoded = tmp_path / "e.parquet", tmp_path / "d.parquet"
    simpy_cli("encode", stack_shard, "-o", encoded, "--quiet", check=False)
    simpy_cli("decode", encoded, "--column", "simpy", "-o", decoded, "--quiet")
    table = pq.read_table(decoded)
    assert table.column_names[-2:] == ["python", "python_error"]
    checked = 0
    for content, python, error in zip(
        table["content"].to_pylist(), table["python"].to_pylist(), table["python_error"].to_pylist()
    ):
        assert error is None
        if content is not None and content != PY2_ROW:
            assert ast.dump(ast.parse(python)) == ast.dump(ast.parse(content))
            checked += 1
    assert checked > 100


def test_a_zstd_shard_with_a_binary_column_converts(stdlib_sample, tmp_path, simpy_cli):
    import pyarrow as pa

    latin1 = "# -*- coding: latin-1 -*-\nname = 'café'\n".encode("latin-1")
    table = pa.table({"content": pa.array([latin1, b"x = 1\n"], pa.binary())})
    shard = tmp_path / "binary.parquet"
    pq.write_table(table, shard, compression="zstd")
    simpy_cli("encode", shard, "-o", f"{tmp_path / 'out'}/", "--quiet")  # a folder
    simpy = pq.read_table(tmp_path / "out" / "binary.parquet")["simpy"].to_pylist()
    assert simpy == [sg.encode(latin1), "x=1"]


def test_report_counts_a_shard_as_it_counts_the_same_rows_as_jsonl(stack_shard, tmp_path, simpy_cli):
    rows = [r for r in pq.read_table(stack_shard)["content"].to_pylist() if r is not None]
    jsonl = tmp_path / "same.jsonl"
    jsonl.write_text("".join(json.dumps({"content": r}) + "\n" for r in rows))
    report = lambda path: json.loads(
        simpy_cli("report", path, "--column", "content", "--format", "json", "--tokenizers", "gpt4", check=False).stdout
    )
    from_parquet, from_jsonl = report(stack_shard), report(jsonl)
    assert from_parquet["files"] == from_jsonl["files"] == len(rows) - 1
    for key in ["bytes", "comments_kept", "comments_stripped"]:
        assert from_parquet[key] == from_jsonl[key], key
    assert len(from_parquet["skipped"]) == 1 and ":row 5" in json.dumps(from_parquet["skipped"])


def test_shards_are_never_overwritten_and_bad_columns_are_named(stack_shard, tmp_path, simpy_cli):
    same = simpy_cli("encode", stack_shard, "-o", stack_shard, check=False)
    assert same.returncode == 2 and "over its own input" in same.stderr
    missing = simpy_cli("encode", stack_shard, "--column", "code", "-o", tmp_path / "x.parquet", check=False)
    assert missing.returncode == 2 and "no column `code`" in missing.stderr and "content" in missing.stderr
    assert not (tmp_path / "x.parquet").exists()
    taken = simpy_cli(
        "encode", stack_shard, "--output-column", "lang", "-o", tmp_path / "y.parquet", check=False
    )
    assert taken.returncode == 2 and "already has a column `lang`" in taken.stderr
    assert not (tmp_path / "y.parquet").exists() and not list(tmp_path.iterdir())
    not_text = simpy_cli("encode", stack_shard, "--column", "size", "-o", tmp_path / "z.parquet", check=False)
    assert not_text.returncode == 2 and "not text" in not_text.stderr


def test_corrupt_and_truncated_shards_are_refused_and_nothing_is_written(stack_shard, tmp_path, simpy_cli):
    data = stack_shard.read_bytes()
    bad = {"truncated.parquet": data[: len(data) // 2], "junk.parquet": bytes(range(256)) * 8}
    for name, content in bad.items():
        shard = tmp_path / name
        shard.write_bytes(content)
        out = tmp_path / f"out-{name}"
        run = simpy_cli("encode", shard, "-o", out, check=False)
        assert run.returncode == 2 and f"{name} is not a Parquet file" in run.stderr, run.stderr
        assert "panicked" not in run.stderr and not out.exists()
        report = simpy_cli("report", shard, "--tokenizers", "gpt4", check=False)
        assert report.returncode == 1 and "not a Parquet file" in report.stdout + report.stderr


def test_a_shard_written_by_datasets_reads_back_in_datasets(tmp_path, simpy_cli, monkeypatch):
    """`datasets` keeps its features in the schema metadata; the new columns are added there."""
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    import datasets

    shard, out = tmp_path / "hf.parquet", tmp_path / "hf-simpy.parquet"
    datasets.Dataset.from_dict({"content": ["x = 1\n", PY2_ROW], "stars": [3, 4]}).to_parquet(shard)
    assert b"huggingface" in pq.read_schema(shard).metadata
    simpy_cli("encode", shard, "-o", out, "--quiet", check=False)
    encoded = datasets.Dataset.from_parquet(str(out), cache_dir=str(tmp_path / "cache"))
    assert list(encoded.features) == ["content", "stars", "simpy", "simpy_error"]
    assert encoded["simpy"] == ["x=1", None] and encoded["stars"] == [3, 4]
