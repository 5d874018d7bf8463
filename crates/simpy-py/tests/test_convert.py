"""encode, decode, normalize and SimpyError, against CPython's own ast."""

import ast
import pickle

import pytest

import simpy_grammar as sg


def same_ast(a, b):
    return ast.dump(ast.parse(a)) == ast.dump(ast.parse(b))


def python_files(stdlib_sample):
    """The sample's files that are UTF-8 Python 3, as (path, bytes, text): not lib2to3's
    Python 2 test data, nor the non-UTF-8 ones."""
    for path, data in stdlib_sample:
        try:
            text = data.decode()
            ast.parse(text)
        except (UnicodeDecodeError, SyntaxError):
            continue
        yield path, data, text


def test_round_trip_keeps_the_ast_of_stdlib_files(stdlib_sample):
    checked = 0
    for path, data, text in python_files(stdlib_sample):
        simpy = sg.encode(text)
        python = sg.decode(simpy)
        assert same_ast(text, python), path
        assert same_ast(text, sg.normalize(text)), path
        # Bytes in, the same as text in.
        assert sg.encode(data) == simpy, path
        checked += 1
    assert checked > 100


def test_bytes_follow_pep_263():
    source = "# -*- coding: latin-1 -*-\nname = 'café'\n"
    assert sg.decode(sg.encode(source.encode("latin-1"))).endswith("name = 'café'\n")


def test_strip_comments_drops_comments_both_ways():
    source = "x = 1  # one\n"
    assert "one" in sg.encode(source)
    assert "one" not in sg.encode(source, strip_comments=True)
    assert "one" not in sg.decode(sg.encode(source), strip_comments=True)
    assert sg.normalize(source, strip_comments=True) == "x = 1\n"


def test_invalid_python_is_a_located_simpy_error():
    with pytest.raises(sg.SimpyError) as caught:
        sg.encode("x = 1\ndef f(:\n    pass\n")
    e = caught.value
    assert isinstance(e, ValueError)
    assert (e.kind, e.line, e.col) == ("invalid_python", 2, 6)
    assert e.message and str(e).startswith("2:6: ")


def test_invalid_simpy_is_a_located_simpy_error_with_a_hint():
    with pytest.raises(sg.SimpyError) as caught:
        sg.decode("x==1")
    e = caught.value
    assert e.kind == "invalid_simpy"
    assert (e.line, e.col) == (1, 3)
    assert "<eq>" in e.hint


def test_python_2_is_invalid_python():
    with pytest.raises(sg.SimpyError, match="print"):
        sg.encode("print 'hello'\n")


def test_errors_pickle_with_their_fields():
    try:
        sg.decode("<block_end>")
    except sg.SimpyError as e:
        again = pickle.loads(pickle.dumps(e))
        assert type(again) is sg.SimpyError
        assert (again.kind, again.line, again.col, again.message) == (e.kind, e.line, e.col, e.message)
    else:
        pytest.fail("a lone <block_end> decoded")


def test_wrong_argument_types_are_type_errors():
    with pytest.raises(TypeError):
        sg.encode(1)
    with pytest.raises(TypeError):
        sg.encode("x = 1\n", True)  # strip_comments is keyword-only


def test_the_package_is_typed():
    import importlib.resources

    files = importlib.resources.files("simpy_grammar")
    assert files.joinpath("py.typed").is_file()
    assert files.joinpath("_native.pyi").is_file()


def test_a_dialect_round_trips_in_fewer_bytes_and_a_file_names_one(stdlib_sample, tmp_path):
    checked, compact_bytes, simpy_bytes = 0, 0, 0
    for path, _, text in python_files(stdlib_sample):
        simpy, compact = sg.encode(text), sg.encode(text, dialect="compact")
        assert sg.decode(compact, dialect="compact") == sg.decode(simpy), path
        checked, compact_bytes, simpy_bytes = checked + 1, compact_bytes + len(compact), simpy_bytes + len(simpy)
    assert checked > 100 and compact_bytes < simpy_bytes
    source = "class A:\n    def f(self, x):\n        return self.x is not x\n"
    compact = sg.encode(source, dialect="compact")
    assert compact.startswith("<class_stmt>A:\n<def_stmt>.f x:\n<return>.x<isnot>x")
    assert sg.encode_batch([source, None], dialect="compact") == [compact, None]
    assert sg.decode_batch([compact], dialect="compact") == [sg.decode(sg.encode(source))]
    mine = tmp_path / "mine.json"
    mine.write_text('{"simpy_dialect": 1, "name": "mine", "choices": {"implicit_self": true}}')
    spelt = sg.encode(source, dialect=str(mine))
    assert "<return>.x<is><not>x" in spelt and "<block_start>" in spelt
    with pytest.raises(ValueError, match="no dialect named `nope`"):
        sg.encode(source, dialect="nope")
    with pytest.raises(sg.SimpyError) as raised:
        sg.decode("<def_stmt>f x:\n<return>.y+)", dialect="compact")
    assert (raised.value.line, raised.value.col) == (2, 12)


def test_a_dialect_file_that_normalizes_literals_keeps_the_ast(tmp_path):
    source = "T = (\n    '\\x00'  # NULL\n    \"\\x01\"\n)\nM = 0xFF\n\n\ndef f():\n    \"\"\"Doc.\"\"\"\n"
    mine = tmp_path / "normalized.json"
    mine.write_text('{"simpy_dialect": 1, "name": "n", "literals": "normalized"}')
    spelt = sg.encode(source, dialect=str(mine))
    assert "T='\\x00\\x01'" in spelt and "M=255" in spelt and '"""Doc."""' in spelt, spelt
    assert sg.encode(source.encode(), dialect=str(mine)) == spelt
    assert sg.encode_batch([source], dialect=str(mine)) == [spelt]
    decoded = sg.decode(spelt, dialect=str(mine))
    assert ast.dump(ast.parse(decoded)) == ast.dump(ast.parse(source))
    assert "# NULL" in decoded and sg.encode(decoded, dialect=str(mine)) == spelt
    assert "0xFF" in sg.encode(source)


def test_a_prompt_in_a_dialect_completes_to_the_file():
    source = "class A:\n    def f(self, x):\n        if x:\n            return self.y\n"
    cut = source.index("        if")
    prompt = sg.encode_prompt(source[:cut], dialect="compact")
    assert prompt.simpy == "<class_stmt>A:\n<def_stmt>.f x:\n"
    whole = sg.encode(source, dialect="compact")
    done = sg.complete(source[:cut], whole[len(prompt.simpy):], stop="none", dialect="compact")
    assert source[:cut] + done.python == source


def test_a_dialect_file_with_idioms_encodes_decodes_and_completes(tmp_path):
    source = "class A:\n    def f(self, x):\n        if x:\n            return self.y\n        return 'self.y'\n"
    mine = tmp_path / "idioms.json"
    mine.write_text(
        '{"simpy_dialect": 1, "name": "idioms", "choices": {},'
        ' "idioms": [["self", "."], ["<return>", "<@0>"]]}'
    )
    spelt = sg.encode(source, dialect=str(mine))
    assert "<@1>y" in spelt and "'self.y'" in spelt
    assert sg.decode(spelt, dialect=str(mine)) == sg.decode(sg.encode(source))
    cut = source.index("        if")
    prompt = sg.encode_prompt(source[:cut], dialect=str(mine))
    assert spelt.startswith(prompt.simpy)
    done = sg.complete(source[:cut], spelt[len(prompt.simpy):], stop="none", dialect=str(mine))
    assert source[:cut] + done.python == source
    with pytest.raises(sg.SimpyError, match="unknown idiom token `<@5>`"):
        sg.decode("x=<@5>", dialect=str(mine))


def test_a_stream_reads_a_dialect_from_its_tokenizer_or_by_name(tmp_path):
    source = "class A:\n    def f(self, x):\n        if x:\n            return self.y\n        return 'self.y'\n"
    mine = tmp_path / "idioms.json"
    mine.write_text(
        '{"simpy_dialect": 1, "name": "idioms", "choices": {"implicit_self": true},'
        ' "idioms": [["<return>", "."], ["<line_sep>", "<@0>"]]}'
    )
    cut = source.index("        if")
    prompt = sg.encode_prompt(source[:cut], dialect=str(mine))
    rest = sg.encode(source, dialect=str(mine))[len(prompt.simpy):]
    assert "<@" in rest
    whole = sg.complete(source[:cut], rest, stop="none", dialect=str(mine))
    assert source[:cut] + whole.python == source
    # Token ids of a tokenizer that carries the dialect: each idiom one id, pushed one by one.
    vocabulary = sg.Vocabulary("gpt4", dialect=str(mine))
    stream = sg.CompletionStream(source[:cut], stop="none", tokenizer=vocabulary)
    python = "".join(stream.push_ids([i]) for i in vocabulary.encode(rest))
    last, completion = stream.finish()
    assert python + last == whole.python and completion == whole
    # The dialect by name, its text byte by byte, and a stream pickled half way.
    stream = sg.CompletionStream(source[:cut], stop="none", dialect=str(mine))
    half = len(rest.encode()) // 2
    python = "".join(stream.push(bytes([b])) for b in rest.encode()[:half])
    stream = pickle.loads(pickle.dumps(stream))
    python += "".join(stream.push(bytes([b])) for b in rest.encode()[half:])
    assert python + stream.finish()[0] == whole.python
    # A dialect named beside a tokenizer that carries another is refused.
    with pytest.raises(ValueError, match="carries the dialect"):
        sg.CompletionStream(source[:cut], tokenizer=vocabulary, dialect="compact")
    # Canonical SimPy streams as before.
    stream = sg.CompletionStream("class A:\n    def f(self):\n", tokenizer=sg.Vocabulary("gpt4", dialect="simpy"))
    python = stream.push_ids(sg.Vocabulary("gpt4").encode("<return>self<block_end>"))
    assert python + stream.finish()[0] == "        return self\n"
