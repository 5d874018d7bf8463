"""`simpy tokenizer export`, checked with the real `tokenizers` and `tiktoken` from PyPI."""

import json
import pathlib
import sysconfig

import pytest
import tiktoken
import tiktoken.load
import tiktoken_ext.openai_public as openai_public
from tokenizers import Tokenizer
from tokenizers import models, pre_tokenizers, decoders, trainers

import simpy_grammar as sg

TIKTOKEN_BASES = {"gpt4": "cl100k_base", "gpt4o": "o200k_base", "codex": "p50k_base", "gpt2": "r50k_base"}
BYTE_LEVEL_GGUF = ["starcoder2", "deepseek-coder", "qwen2.5-coder"]


@pytest.fixture(scope="session")
def simpy_texts(stdlib_sample):
    return [sg.encode(data) for _, data in stdlib_sample[:25]]


@pytest.fixture(scope="session")
def exported(tmp_path_factory, simpy_cli):
    root = tmp_path_factory.mktemp("tokenizers")

    def export(base, name=None):
        out = root / (name or base.replace("/", "_"))
        if not out.exists():
            simpy_cli("tokenizer", "export", "--base", base, "-o", out, "--quiet")
        return out

    return export


def check_added_tokens(tokenizer, vocabulary):
    added = {t.content: (i, t) for i, t in tokenizer.get_added_tokens_decoder().items()}
    for token, id_ in vocabulary.simpy_token_ids():
        got_id, t = added[token]
        assert got_id == id_, token
        assert not t.special and not t.normalized and not t.lstrip and not t.rstrip, token


@pytest.mark.parametrize("base", list(TIKTOKEN_BASES) + BYTE_LEVEL_GGUF)
def test_a_byte_level_export_counts_and_decodes_as_simpy_does(base, exported, simpy_texts):
    tokenizer = Tokenizer.from_file(str(exported(base) / "tokenizer.json"))
    vocabulary = sg.Vocabulary(base)
    check_added_tokens(tokenizer, vocabulary)
    for text in simpy_texts:
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        assert ids == vocabulary.encode(text)
        assert len(ids) == sg.count_tokens(text, base)  # what `simpy report` counts
        # Byte for byte, no space put around SimPy's tokens, also when "skipping" specials.
        assert tokenizer.decode(ids, skip_special_tokens=True) == text


@pytest.mark.parametrize("base", list(TIKTOKEN_BASES))
def test_a_tiktoken_export_builds_a_tiktoken_encoding(base, exported, simpy_texts):
    folder = exported(base)
    spec = json.loads((folder / "tiktoken.json").read_text())
    ranks = tiktoken.load.load_tiktoken_bpe(str(folder / spec["mergeable_ranks"]))
    # tiktoken's own definition of the encoding, with the exported ranks in place of the
    # download: the same split pattern, and its special tokens kept at their ids.
    original = tiktoken.load.load_tiktoken_bpe
    tiktoken.load.load_tiktoken_bpe = lambda *args, **kwargs: ranks
    openai_public.load_tiktoken_bpe = tiktoken.load.load_tiktoken_bpe
    try:
        reference = getattr(openai_public, TIKTOKEN_BASES[base])()
    finally:
        tiktoken.load.load_tiktoken_bpe = original
        openai_public.load_tiktoken_bpe = original
    assert spec["pat_str"] == reference["pat_str"]
    for token, id_ in reference["special_tokens"].items():
        assert spec["special_tokens"][token] == id_
    encoding = tiktoken.Encoding(
        spec["name"],
        pat_str=spec["pat_str"],
        mergeable_ranks=ranks,
        special_tokens=spec["special_tokens"],
    )
    vocabulary = sg.Vocabulary(base)
    for text in simpy_texts:
        ids = encoding.encode(text, allowed_special="all")
        assert ids == vocabulary.encode(text)
        assert len(ids) == sg.count_tokens(text, base)
        assert encoding.decode(ids) == text


def test_the_sentencepiece_export_adds_a_space_after_each_simpy_token(exported, simpy_texts):
    """CodeLlama's SentencePiece marks a word start with ▁ and drops the first one when it
    decodes; after an added token the text goes on as a new word, so a space comes back."""
    tokenizer = Tokenizer.from_file(str(exported("codellama") / "tokenizer.json"))
    vocabulary = sg.Vocabulary("codellama")
    check_added_tokens(tokenizer, vocabulary)
    text = "<def_stmt>f x<block_start><return>x+1<block_end>"
    ids = tokenizer.encode(text, add_special_tokens=False).ids
    assert ids == vocabulary.encode(text)
    assert len(ids) == sg.count_tokens(text, "codellama")
    decoded = tokenizer.decode(ids)
    assert decoded != text and decoded.replace("> ", ">") == text
    # The stream decoder (the ids one at a time) gives the text back exactly.
    assert vocabulary.decode(ids) == text


def test_a_tokenizer_json_path_is_a_base(tmp_path, exported, simpy_texts):
    """A tokenizer of one's own (here trained with `tokenizers` on SimPy text) as --base."""
    own = Tokenizer(models.BPE())
    own.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    own.decoder = decoders.ByteLevel()
    own.train_from_iterator(simpy_texts, trainers.BpeTrainer(vocab_size=2000, show_progress=False))
    path = tmp_path / "own.json"
    own.save(str(path))
    tokenizer = Tokenizer.from_file(str(exported(str(path), "own") / "tokenizer.json"))
    vocabulary = sg.Vocabulary(str(path))
    check_added_tokens(tokenizer, vocabulary)
    for text in simpy_texts:
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        assert ids == vocabulary.encode(text)
        assert tokenizer.decode(ids) == text


def test_export_refuses_to_overwrite_and_explains_codebert(tmp_path, simpy_cli):
    simpy_cli("tokenizer", "export", "--base", "gpt2", "-o", tmp_path, "--quiet")
    again = simpy_cli("tokenizer", "export", "--base", "gpt2", "-o", tmp_path, check=False)
    assert again.returncode != 0 and "--force" in again.stderr
    simpy_cli("tokenizer", "export", "--base", "gpt2", "-o", tmp_path, "--force", "--quiet")
    codebert = simpy_cli("tokenizer", "export", "--base", "codebert", "-o", tmp_path / "cb", check=False)
    assert codebert.returncode != 0 and "RoBERTa" in codebert.stderr


@pytest.mark.parametrize("base", list(TIKTOKEN_BASES) + BYTE_LEVEL_GGUF + ["codellama"])
def test_the_exported_count_equals_simpy_report_on_the_same_files(base, exported, stdlib_sample, simpy_cli):
    files = []
    for path, data in stdlib_sample[:25]:
        try:
            files.append((path, sg.encode(data)))
        except sg.SimpyError:
            pass  # Python 2 test data: report skips it too
    report = json.loads(
        simpy_cli("report", *[p for p, _ in files], "--format", "json", "--tokenizers", base).stdout
    )
    assert report["files"] == len(files)
    tokenizer = Tokenizer.from_file(str(exported(base) / "tokenizer.json"))
    counted = sum(len(tokenizer.encode(simpy, add_special_tokens=False).ids) for _, simpy in files)
    assert counted == report["comments_kept"][base]["simpy"]


def test_a_vocab_and_merges_folder_is_a_base_as_codet5s_is(tmp_path, exported, simpy_texts):
    """CodeT5's form (vocab.json + merges.txt, RoBERTa's <s> … </s> around each document), as
    `simpy report --tokenizer-file codet5=DIR` reads it; here trained with `tokenizers`."""
    own = Tokenizer(models.BPE())
    own.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    own.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=2000, show_progress=False, special_tokens=["<s>", "<pad>", "</s>", "<unk>"]
    )
    own.train_from_iterator(simpy_texts, trainer)
    folder = tmp_path / "codet5-like"
    folder.mkdir()
    own.model.save(str(folder))
    tokenizer = Tokenizer.from_file(str(exported(str(folder), "codet5-like") / "tokenizer.json"))
    vocabulary = sg.Vocabulary(str(folder))
    check_added_tokens(tokenizer, vocabulary)
    for text in simpy_texts:
        with_document = tokenizer.encode(text)
        assert with_document.tokens[0] == "<s>" and with_document.tokens[-1] == "</s>"
        assert len(with_document.ids) == sg.count_tokens(text, str(folder))  # as report counts
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        assert ids == vocabulary.encode(text)
        assert tokenizer.decode(ids) == text


@pytest.fixture(scope="session")
def trained_dialect(tmp_path_factory, simpy_cli):
    """A dialect with 30 idioms learnt by `simpy dialect train` from two stdlib packages."""
    stdlib = pathlib.Path(sysconfig.get_paths()["stdlib"])
    path = tmp_path_factory.mktemp("dialect") / "gpt4.dialect.json"
    simpy_cli("dialect", "train", stdlib / "json", stdlib / "email", "--tokenizer", "gpt4",
              "--idioms", "30", "--min-uses", "2", "-o", path, "--quiet")
    return path


@pytest.mark.parametrize("base", ["gpt4", "starcoder2"])
def test_a_dialects_idioms_are_added_tokens_of_the_export(base, trained_dialect, simpy_cli, tmp_path, stdlib_sample):
    out = tmp_path / base
    simpy_cli("tokenizer", "export", "--base", base, "--dialect", trained_dialect, "-o", out, "--quiet")
    tokenizer = Tokenizer.from_file(str(out / "tokenizer.json"))
    vocabulary = sg.Vocabulary(base, dialect=str(trained_dialect))
    assert len(vocabulary) == len(sg.Vocabulary(base)) + 30
    assert vocabulary.token_id("<@29>") == len(vocabulary) - 1
    check_added_tokens(tokenizer, vocabulary)
    assert len(vocabulary.simpy_token_ids()) == len(sg.Vocabulary(base).simpy_token_ids()) + 30
    idioms = 0
    for _, data in stdlib_sample[:25]:
        text = sg.encode(data, dialect=str(trained_dialect))
        ids = tokenizer.encode(text, add_special_tokens=False).ids
        assert ids == vocabulary.encode(text)
        assert tokenizer.decode(ids, skip_special_tokens=True) == text
        idioms += sum(1 for i in ids if i >= len(vocabulary) - 30)
    assert idioms > 100  # the idioms are used, each as one id
    if base in TIKTOKEN_BASES:
        spec = json.loads((out / "tiktoken.json").read_text())
        assert spec["special_tokens"]["<@29>"] == len(vocabulary) - 1
