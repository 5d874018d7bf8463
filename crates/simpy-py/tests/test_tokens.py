"""count_tokens and Vocabulary (checked against tiktoken and tokenizers in test_tokenizer_export)."""

import pickle

import pytest

import simpy_grammar as sg


def test_every_simpy_token_is_one_id_after_the_vocabulary():
    vocabulary = sg.Vocabulary("cl100k_base")  # an alias
    assert vocabulary.name == "gpt4"
    ids = dict(vocabulary.simpy_token_ids())
    # The paper's 78, and <type_stmt> for PEP 695's `type X = …`, which the paper predates.
    assert len(ids) == 79 and "<type_stmt>" in ids
    # cl100k's reserved range holds <|endofprompt|> at 100276: SimPy's come after it.
    assert min(ids.values()) == 100277 and max(ids.values()) == len(vocabulary) - 1
    for token, id_ in ids.items():
        assert vocabulary.encode(token) == [id_]
        assert vocabulary.decode([id_]) == token


def test_unknown_tokenizers_are_named():
    with pytest.raises(ValueError, match="unknown tokenizer `gpt5`"):
        sg.count_tokens("x", "gpt5")
    with pytest.raises(ValueError, match="not a SimPy token"):
        sg.Vocabulary().token_id("<nope>")


def test_a_vocabulary_pickles():
    vocabulary = pickle.loads(pickle.dumps(sg.Vocabulary("gpt4o")))
    assert vocabulary.name == "gpt4o"
    assert vocabulary.count("<pass>") == 1


def test_count_tokens_takes_every_built_in_tokenizer():
    text = sg.encode("def f(x):\n    return x + 1  # one\n")
    counts = {
        name: sg.count_tokens(text, name)
        for name in ["gpt4", "gpt35", "gpt4o", "codex", "gpt2", "codebert", "codellama",
                     "starcoder2", "deepseek-coder", "qwen2.5-coder"]
    }
    assert all(count > 0 for count in counts.values())
    assert counts["gpt35"] == counts["gpt4"]  # one vocabulary
    assert counts["codebert"] == counts["gpt2"] + 2  # GPT-2's BPE, and <s> </s>
