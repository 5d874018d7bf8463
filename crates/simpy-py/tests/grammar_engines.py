"""The exported grammars (`grammar/`, `simpy grammar`) run by the engines themselves: `lark`
(LALR, contextual lexer) on SimPy text, llguidance on token ids of a tokenizer that carries
SimPy's tokens (`simpy tokenizer export --base gpt4`), for canonical SimPy or a built-in
dialect. Used by test_grammar.py, test_dialect_grammar.py and bench/grammar_mask.py."""

import json
import logging
import pathlib
import re

REPO = pathlib.Path(__file__).resolve().parents[3]
GRAMMARS = REPO / "grammar"


def grammar_file(kind, dialect="simpy"):
    """grammar/'s file of `kind` (lark, llguidance or gbnf) for `dialect`."""
    stem = "simpy" if dialect == "simpy" else f"simpy.{dialect}"
    return GRAMMARS / {"lark": f"{stem}.lark", "llguidance": f"{stem}.llguidance.lark",
                       "gbnf": f"{stem}.gbnf"}[kind]


LARK = grammar_file("lark")
LLGUIDANCE = grammar_file("llguidance")


def is_simpy_token(text):
    return text.startswith("<") and text.endswith(">") and not text.startswith("<|")


def lark_parser(conflicts=None, dialect="simpy"):
    """The LALR(1) parser of grammar/simpy.lark (or the dialect's); `conflicts` collects the
    shift/reduce conflicts lark resolves (it raises on reduce/reduce)."""
    import lark

    handler = None
    if conflicts is not None:

        class Collect(logging.Handler):
            def emit(self, record):
                message = record.getMessage()
                if "Shift/Reduce conflict" in message:
                    conflicts.append(message)

        handler = Collect()
        lark.logger.addHandler(handler)
        lark.logger.setLevel(logging.DEBUG)
    try:
        return lark.Lark(grammar_file("lark", dialect).read_text(), parser="lalr",
                         lexer="contextual")
    finally:
        if handler is not None:
            lark.logger.removeHandler(handler)
            lark.logger.setLevel(logging.WARNING)


class Engines:
    """Both engines, built once per process (llguidance's tokenizer takes about a second).
    `grammar`: llguidance's grammar text, if not grammar/'s file of `dialect`."""

    def __init__(self, tokenizer_json, dialect="simpy", grammar=None):
        self.dialect = dialect
        import llguidance
        from tokenizers import Tokenizer

        spec = json.loads(tokenizer_json)
        added = spec["added_tokens"]
        self.simpy_ids = {a["content"]: a["id"] for a in added if is_simpy_token(a["content"])}
        # The model's vocabulary size: every id, not the count of entries.
        self.n_vocab = max(a["id"] for a in added) + 1
        self.llg_tokenizer = llguidance.LLTokenizer(tokenizer_json, n_vocab=self.n_vocab)
        self.with_specials = Tokenizer.from_str(tokenizer_json)
        plain = dict(spec, added_tokens=[a for a in added if not is_simpy_token(a["content"])])
        self.plain = Tokenizer.from_str(json.dumps(plain))
        self.parser = lark_parser(dialect=dialect)
        self.grammar = grammar or grammar_file("llguidance", dialect).read_text()
        self.special_terminals = {
            t.name for t in self.parser.terminals if re.search(r"<[a-z_]+>", t.pattern.value)
        }

    def lark(self, text):
        """None if lark accepts `text`, else its error; and where SimPy's tokens are (outside
        strings and comments), as lark's lexer found them."""
        import lark

        spans = []
        try:
            interactive = self.parser.parse_interactive(text)
            for token in interactive.iter_parse():
                # A dialect may spell the token as text (`<line_sep>` as a line break).
                special = token.type in self.special_terminals and special_in(token.value)
                if special:
                    start, end = special
                    spans.append((token.start_pos + start, token.start_pos + end))
            interactive.feed_eof()
        except lark.exceptions.LarkError as error:
            return str(error).splitlines()[0], spans
        return None, spans

    def ids(self, text, spans=None):
        """Token ids of SimPy text: with `spans`, SimPy's tokens there are single ids and the
        text between is plain (what a model under the grammar emits: inside a string `<lambda>`
        is text); without, the tokenizer's own split (special tokens wherever they appear)."""
        if spans is None:
            return self.with_specials.encode(text, add_special_tokens=False).ids
        ids, at = [], 0
        for start, end in spans:
            ids += self.plain.encode(text[at:start], add_special_tokens=False).ids
            ids.append(self.simpy_ids[text[start:end]])
            at = end
        return ids + self.plain.encode(text[at:], add_special_tokens=False).ids

    def stdlib_sample(self, every, count):
        """(file name, token ids) of the first `count` of every `every`-th stdlib files that
        are Python 3 and not empty, as a model under the grammar emits them."""
        import simpy_grammar as sg
        from conftest import stdlib_files

        sample = []
        for path in stdlib_files(every=every):
            if len(sample) == count:
                break
            try:
                text = sg.encode(path.read_bytes(), dialect=self.dialect)
            except sg.SimpyError:
                continue  # not Python 3
            error, spans = self.lark(text)
            if text and error is None:
                sample.append((path.name, self.ids(text, spans)))
        return sample

    def matcher(self, limits=None):
        import llguidance

        return llguidance.LLMatcher(self.llg_tokenizer, self.grammar, log_level=0, limits=limits)

    def llguidance(self, ids):
        """None if llguidance accepts the ids as a whole SimPy text, else its error."""
        matcher = self.matcher()
        consumed = matcher.consume_tokens(ids)
        if consumed and not matcher.is_error() and matcher.is_accepting():
            return None
        error = matcher.get_error() or "not accepting at the end"
        return error.splitlines()[0]


IDIOM = re.compile(r"<@(\d+)>")
SIMPY_TOKEN = re.compile(r"<@\d+>|<[a-z_]+>")


def idiom_texts(dialect):
    """What each idiom of a dialect file (as JSON) stands for, from its pairs."""
    texts = []
    for pair in dialect["idioms"]:
        texts.append("".join(IDIOM.sub(lambda m: texts[int(m[1])], side) for side in pair))
    return texts


def model_ids(text, texts, vocabulary, structural, base="gpt4", merged=False):
    """The ids a model trained on a dialect writes for `text` (the dialect's, idioms as `<@N>`,
    `vocabulary` the dialect's), each idiom whose id is in `structural` written out as its
    pieces (SimPy's tokens in it single ids): (ids, [(index in ids, the idiom's id)] for those
    written out). `merged`: the pieces join the text around them as the base splits it (`):`
    and `\n` one token), and no index is given."""
    import simpy_grammar as sg

    ids, refused, at = [], [], 0
    plain = sg.Vocabulary(base)
    known = dict(vocabulary.simpy_token_ids())
    if merged:
        written_out = lambda m: (texts[int(IDIOM.fullmatch(m[0])[1])]
                                 if known.get(m[0]) in structural else m[0])
        text, structural = SIMPY_TOKEN.sub(written_out, text), set()
    for match in SIMPY_TOKEN.finditer(text):
        token = match[0]
        if token not in known:
            continue  # `<key>` in a string: text
        ids += plain.encode(text[at:match.start()])
        at = match.end()
        number = IDIOM.fullmatch(token)
        if number and known[token] in structural:
            refused.append((len(ids), known[token]))
            ids += plain.encode(texts[int(number[1])])
        else:
            ids.append(known[token])
    return ids + plain.encode(text[at:]), refused


def special_in(value):
    """Where the special token is in a terminal's text (around it: spaces and comments), or
    None if the text holds none."""
    i = 0
    while i < len(value):
        if value[i] == "#":
            newline = value.find("\n", i)
            i = len(value) if newline < 0 else newline
        elif value[i] == "<":
            return i, value.index(">", i) + 1
        else:
            i += 1
    return None


def mutants(text, rng, count):
    """Small edits of valid SimPy: a token or character deleted, duplicated or inserted."""
    import simpy_grammar as sg

    specials = [token for token, _ in sg.Vocabulary("gpt4").simpy_token_ids()]
    for _ in range(count):
        at = rng.randrange(len(text))
        kind = rng.randrange(4)
        if kind == 0:
            yield text[:at] + text[at + 1:]
        elif kind == 1:
            yield text[:at] + text[at] + text[at:]
        elif kind == 2:
            yield text[:at] + rng.choice(specials) + text[at:]
        else:
            start = text.find("<", at)
            end = text.find(">", start) + 1
            yield text[:start] + text[end:] if start >= 0 and end > start else text[:at]


def judged_mutants(files, rng, count, dialect="simpy"):
    """(mutant, decode's message or None if it accepts) for `count` mutants per file (in
    `dialect`), but those that are the file's own text."""
    import simpy_grammar as sg

    for path in files:
        text = sg.encode(path.read_bytes(), dialect=dialect)
        for mutant in mutants(text, rng, count):
            if mutant == text:
                continue
            try:
                sg.decode(mutant, dialect=dialect)
                yield mutant, None
            except sg.SimpyError as error:
                yield mutant, re.sub(r"`[^`]*`", "`…`", error.message)


def refused_mutants(files, rng, count, dialect="simpy"):
    """(mutant, decode's message) for each of `count` mutants per file that decode (in
    `dialect`) refuses."""
    return ((m, reason) for m, reason in judged_mutants(files, rng, count, dialect) if reason)


def report_missed(refused, caught, missed):
    """Prints how many each engine (`caught`: name → count) refuses, and the missed by reason."""
    engines = ", ".join(f"{name} {count}" for name, count in caught.items())
    print(f"\n{refused} mutants decode refuses; refused by {engines}; "
          "missed, by decode's message:")
    for reason, count in sorted(missed.items(), key=lambda kv: -kv[1]):
        print(f"  {count:4}  {reason}")


def refused_by_lark_and_llguidance(engines, files, rng, count, dialect="simpy"):
    """Mutants decode refuses, run through lark and llguidance: (how many decode refuses,
    {engine: how many it refuses}), the missed printed by decode's message."""
    refused = 0
    caught = {"lark": 0, "llguidance": 0}
    missed = {}
    for mutant, reason in refused_mutants(files, rng, count, dialect=dialect):
        refused += 1
        lark_error, _ = engines.lark(mutant)
        llg_error = engines.llguidance(engines.ids(mutant))
        caught["lark"] += lark_error is not None
        caught["llguidance"] += llg_error is not None
        if lark_error is None or llg_error is None:
            missed[reason] = missed.get(reason, 0) + 1
    report_missed(refused, caught, missed)
    return refused, caught
