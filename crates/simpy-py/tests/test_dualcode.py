"""DualCode from Python: encode_prompt, complete and CompletionStream on HumanEval."""

import ast
import pickle

import pytest

import simpy_grammar as sg

PROMPT = 'def add(a, b):\n    """Add."""\n'
CONTINUATION = "<return>a+b<block_end><def_stmt>g<block_start><pass><block_end>"


def test_humaneval_prompts_complete_to_the_solution(humaneval):
    for problem in humaneval:
        prompt, solution = problem["prompt"], problem["canonical_solution"]
        encoded = sg.encode_prompt(prompt)
        whole = sg.encode(prompt + solution)
        assert whole.startswith(encoded.simpy), problem["task_id"]
        # What models append after the function: another def.
        continuation = whole[len(encoded.simpy):] + "<def_stmt>check<block_start><pass><block_end>"
        completion = sg.complete(prompt, continuation)
        assert ast.dump(ast.parse(prompt + completion.python)) == ast.dump(
            ast.parse(prompt + solution)
        ), problem["task_id"]
        # Byte by byte, the stream gives the same text.
        stream = sg.CompletionStream(prompt)
        data = continuation.encode()
        streamed = "".join(stream.push(data[i : i + 1]) for i in range(len(data)))
        last, whole_completion = stream.finish()
        assert streamed + last == completion.python, problem["task_id"]
        assert whole_completion == completion


def test_the_prompt_keeps_the_body_open_and_says_what_it_left_out():
    assert sg.encode_prompt(PROMPT) == sg.Prompt('<def_stmt>add a b<block_start>"""Add."""', False)
    cut = sg.encode_prompt(PROMPT + "    return a +")
    assert cut.inside_line
    with pytest.raises(sg.SimpyError) as caught:
        sg.encode_prompt("def f(:")
    assert caught.value.kind == "invalid_python"


def test_stop_rules_and_budgets():
    assert sg.complete(PROMPT, CONTINUATION).python == "    return a + b\n"
    whole = sg.complete(PROMPT, CONTINUATION, stop="none").python
    assert "def g():" in whole
    cut = sg.complete(PROMPT, "<return>a+b<block_end><def_stmt>g<block_start><return>(", stop="none")
    assert cut.dropped is not None and cut.dropped.bytes > 0
    budget = sg.complete(PROMPT, CONTINUATION, max_bytes=5)
    assert budget.python == "" and budget.dropped is not None
    with pytest.raises(ValueError, match="stop rule"):
        sg.complete(PROMPT, CONTINUATION, stop="never")


def test_a_continuation_that_cannot_follow_keeps_what_decoded():
    with pytest.raises(sg.CompletionError) as caught:
        sg.complete(PROMPT, "<return>a<line_sep>)<line_sep><pass>", stop="none")
    e = caught.value
    assert isinstance(e, sg.SimpyError) and e.kind == "invalid_simpy"
    assert e.kept is not None and e.kept.python == "    return a\n"
    again = pickle.loads(pickle.dumps(e))
    assert again.kept == e.kept


def test_a_stream_takes_token_ids_and_pickles_midway():
    vocabulary = sg.Vocabulary("gpt4")
    ids = vocabulary.encode(CONTINUATION)
    assert vocabulary.decode(ids) == CONTINUATION
    assert vocabulary.token_id("<block_end>") in ids
    stream = sg.CompletionStream(PROMPT, tokenizer=vocabulary)
    first = "".join(stream.push_ids([i]) for i in ids[:4])
    resumed = pickle.loads(pickle.dumps(stream))
    assert resumed.python == first
    rest = "".join(resumed.push_ids([i]) for i in ids[4:])
    last, completion = resumed.finish()
    assert first + rest + last == completion.python == "    return a + b\n"
    assert resumed.done
    with pytest.raises(RuntimeError, match="finished"):
        resumed.push("x")


def test_a_stream_without_a_tokenizer_refuses_ids():
    with pytest.raises(ValueError, match="tokenizer"):
        sg.CompletionStream(PROMPT).push_ids([1])
