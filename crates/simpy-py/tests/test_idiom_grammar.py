"""Issue #16: a model that writes a dialect's idioms, served under the grammar of the dialect's
spellings (`simpy grammar --dialect FILE`) with a tokenizer that spells its idioms out
(`simpy tokenizer export --dialect FILE --spell-out-idioms`). Checked with llguidance and with
llama.cpp's own grammar sampler on the ids a model trained on the dialect writes (`simpy encode
--dialect FILE`, each idiom one id): an idiom whose text holds no SimPy token is taken where the
encoder put it, every other idiom is refused where it stood, and the text the tokenizer decodes
reads back as the dialect."""

import json
import subprocess

import pytest
from tokenizers import Tokenizer

import simpy_grammar as sg
from conftest import REPO, gbnf_tool, gguf_vocabulary, stdlib_files
from grammar_engines import IDIOM, SIMPY_TOKEN, Engines, idiom_texts, model_ids

# compact's spellings and 40 idioms learnt on the stdlib (cl100k); 18 of them hold no SimPy token.
DIALECT = REPO / "crates" / "simpy-fuzz" / "src" / "fuzz.dialect.json"


@pytest.fixture(scope="module")
def served(tmp_path_factory, simpy_cli):
    out = tmp_path_factory.mktemp("served")
    simpy_cli("tokenizer", "export", "--base", "gpt4", "--dialect", DIALECT,
              "--spell-out-idioms", "-o", out, "--quiet")
    simpy_cli("grammar", "--format", "llguidance", "--dialect", DIALECT, "-o", out / "grammar.lark")
    return out


def test_the_export_spells_out_the_idioms_without_simpy_tokens_and_keeps_every_id(served, simpy_cli, tmp_path):
    simpy_cli("tokenizer", "export", "--base", "gpt4", "--dialect", DIALECT, "-o", tmp_path, "--quiet")
    plain = {t["id"]: t["content"] for t in json.loads((tmp_path / "tokenizer.json").read_text())["added_tokens"]}
    spelled = {t["id"]: t["content"] for t in json.loads((served / "tokenizer.json").read_text())["added_tokens"]}
    assert plain.keys() == spelled.keys()
    texts = idiom_texts(json.loads(DIALECT.read_text()))
    vocabulary = sg.Vocabulary("gpt4", dialect=str(DIALECT))
    out = 0
    for n, text in enumerate(texts):
        id_ = vocabulary.token_id(f"<@{n}>")
        assert plain[id_] == f"<@{n}>"
        holds_simpy_token = SIMPY_TOKEN.search(text) is not None
        assert spelled[id_] == (f"<@{n}>" if holds_simpy_token else text), n
        out += not holds_simpy_token
    assert out == 18
    # Everything else as the export without the flag writes it.
    assert {i: c for i, c in spelled.items() if not c.startswith("<@") and c not in texts} == \
        {i: c for i, c in plain.items() if not c.startswith("<@")}


@pytest.mark.parametrize("base", ["gpt4", "starcoder2"])
def test_a_spelled_out_export_decodes_the_encoders_ids_as_the_dialects_text(base, simpy_cli, tmp_path, stdlib_sample):
    """A byte-level decoder (a tiktoken base's, a Hugging Face one's) writes a spelled-out
    idiom as its text; what it decodes reads back as the dialect."""
    simpy_cli("tokenizer", "export", "--base", base, "--dialect", DIALECT, "--spell-out-idioms",
              "-o", tmp_path, "--quiet")
    tokenizer = Tokenizer.from_file(str(tmp_path / "tokenizer.json"))
    vocabulary = sg.Vocabulary(base, dialect=str(DIALECT))
    texts = idiom_texts(json.loads(DIALECT.read_text()))
    spelled = {f"<@{n}>": t for n, t in enumerate(texts) if not SIMPY_TOKEN.search(t)}
    written_out = 0
    for _, data in stdlib_sample:
        try:
            text = sg.encode(data, dialect=str(DIALECT))
        except sg.SimpyError:
            continue  # not Python 3
        decoded = tokenizer.decode(vocabulary.encode(text), skip_special_tokens=True)
        assert decoded == IDIOM.sub(lambda m: spelled.get(m[0], m[0]), text)
        assert sg.decode(decoded, dialect=str(DIALECT)) == sg.decode(text, dialect=str(DIALECT))
        written_out += sum(text.count(token) for token in spelled)
    assert written_out > 100


def test_the_grammar_of_a_dialect_with_idioms_is_that_of_its_spellings(served, simpy_cli):
    compact = json.loads(simpy_cli("dialect", "show", "compact").stdout)
    assert json.loads(DIALECT.read_text())["choices"] == compact["choices"]
    rules = lambda text: [line for line in text.splitlines() if not line.startswith("//")]
    grammar = (served / "grammar.lark").read_text()
    assert "with its 40 idioms written out" in grammar
    assert rules(grammar) == rules(simpy_cli("grammar", "--format", "llguidance", "--dialect", "compact").stdout)


def test_llguidance_takes_the_spelled_out_idioms_where_the_encoder_put_them_and_refuses_the_others(served):
    tokenizer_json = (served / "tokenizer.json").read_text()
    engines = Engines(tokenizer_json, dialect="compact", grammar=(served / "grammar.lark").read_text())
    served_tokenizer = Tokenizer.from_str(tokenizer_json)
    texts = idiom_texts(json.loads(DIALECT.read_text()))
    vocabulary = sg.Vocabulary("gpt4", dialect=str(DIALECT))
    structural = {vocabulary.token_id(f"<@{n}>") for n, t in enumerate(texts) if SIMPY_TOKEN.search(t)}
    spelled_out = {vocabulary.token_id(f"<@{n}>") for n in range(len(texts))} - structural
    files = taken = refused_checked = 0
    for path in stdlib_files(every=20):
        try:
            text = sg.encode(path.read_bytes(), dialect=str(DIALECT))
        except sg.SimpyError:
            continue  # not Python 3
        compact = sg.encode(path.read_bytes(), dialect="compact")
        lark_error, spans = engines.lark(compact)
        if not text or lark_error or len(spans) != len(SIMPY_TOKEN.findall(compact)):
            continue  # a SimPy token's text inside a string: a model writes it as plain text
        ids, refused = model_ids(text, texts, vocabulary, structural)
        matcher = engines.matcher()
        refused_at = dict(refused)
        for k, token in enumerate(ids):
            if k in refused_at:
                assert matcher.validate_tokens([refused_at[k]]) == 0, (path, k)
                refused_checked += 1
            assert matcher.consume_token(token), f"{path} token {k}: {matcher.get_error()}"
        assert matcher.is_accepting(), path
        taken += sum(1 for i in ids if i in spelled_out)
        # What the served tokenizer decodes is the dialect's text with every idiom written out.
        decoded = served_tokenizer.decode(ids, skip_special_tokens=True)
        assert decoded == compact, path
        assert sg.decode(decoded, dialect=str(DIALECT)) == sg.decode(text, dialect=str(DIALECT))
        files += 1
    print(f"\n{files} stdlib files: {taken} spelled-out idioms taken, "
          f"{refused_checked} idioms with SimPy tokens refused where the encoder put them")
    assert files > 50 and taken > 1000 and refused_checked > 2000


def test_llama_cpp_takes_the_spelled_out_idioms_and_refuses_the_others_with_its_own_sampler(simpy_cli, tmp_path):
    """Served through llama.cpp: its GBNF grammar sampler (`llama_sampler_init_grammar`, what
    `llama-cli --grammar-file` uses) reads each token's piece as text. The vocabulary is Qwen2's
    GGUF with the export's added tokens appended as convert_hf_to_gguf.py appends them (SimPy's
    tokens and the `<@N>` idioms user-defined, a spelled-out idiom as its text)."""
    simpy_cli("tokenizer", "export", "--base", "qwen2.5-coder", "--dialect", DIALECT,
              "--spell-out-idioms", "-o", tmp_path, "--quiet")
    grammar = tmp_path / "grammar.gbnf"
    simpy_cli("grammar", "--format", "gbnf", "--dialect", DIALECT, "-o", grammar)
    spec = json.loads((tmp_path / "tokenizer.json").read_text())
    base_size = len(spec["model"]["vocab"])
    added = tmp_path / "added.txt"
    added.write_text("".join(
        f"{t['id']} {'control' if t['special'] else 'user'} {t['content'].encode().hex()}\n"
        for t in spec["added_tokens"] if t["id"] >= base_size))

    texts = idiom_texts(json.loads(DIALECT.read_text()))
    vocabulary = sg.Vocabulary("qwen2.5-coder", dialect=str(DIALECT))
    structural = {vocabulary.token_id(f"<@{n}>") for n, t in enumerate(texts) if SIMPY_TOKEN.search(t)}
    spelled_out = {vocabulary.token_id(f"<@{n}>") for n in range(len(texts))} - structural
    cases, taken, refusals, control = [], 0, 0, None
    for path in stdlib_files(every=30):
        source = path.read_bytes()
        # llama.cpp checks a token's characters one by one (about 2 ms a token): small files.
        if not 1000 < len(source) < 6000 or SIMPY_TOKEN.search(source.decode("utf-8", "replace")):
            continue  # a SimPy token's text in a string: a model writes it as plain text
        try:
            text = sg.encode(source, dialect=str(DIALECT))
        except sg.SimpyError:
            continue  # not Python 3
        ids, refused = model_ids(text, texts, vocabulary, structural, base="qwen2.5-coder")
        refused_at = dict(refused)
        lines = []
        for k, token in enumerate(ids):
            if k in refused_at:
                lines.append(f"!{refused_at[k]}")
            lines.append(str(token))
        cases.append(tmp_path / f"{len(cases)}-{path.stem}.ids")
        cases[-1].write_text("\n".join(lines) + "\n")
        taken += sum(1 for i in ids if i in spelled_out)
        refusals += len(refused)
        if refused and control is None:
            # The control: an idiom with a SimPy token, written as a token, is refused there.
            control_at, idiom = refused[0]
            control = tmp_path / "control.ids"
            control.write_text("\n".join(map(str, ids[:control_at] + [idiom])) + "\n")

    run = subprocess.run([gbnf_tool("gbnf_tokens"), gguf_vocabulary("qwen2"), added,
                          tmp_path / "vocab.gguf", grammar, *cases, control],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    verdicts = dict(line.split("\t") for line in run.stdout.splitlines())
    assert verdicts.pop(str(control)) == f"refused token {control_at}"
    assert verdicts == dict.fromkeys(map(str, cases), "ok")
    print(f"\n{len(cases)} stdlib files: {taken} spelled-out idioms taken, {refusals} idioms "
          f"with SimPy tokens refused where the encoder put them")
    assert len(cases) > 10 and taken > 100 and refusals > 200
