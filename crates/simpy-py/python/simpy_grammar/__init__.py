"""SimPy, the AI-oriented grammar of Python (ISSTA 2024), for Python.

Convert Python to SimPy and back, one file or a batch on every core::

    >>> import simpy_grammar as sg
    >>> sg.encode("def f(x):\n    return x + 1\n")
    '<def_stmt>f x<block_start><return>x+1<block_end>'
    >>> sg.decode(sg.encode("x = 1\n"))
    'x = 1\n'

Count tokens with SimPy's 78 tokens as one each (``count_tokens``, ``Vocabulary``), and work
in SimPy while a person works in Python (DualCode): ``encode_prompt`` gives the SimPy a model
continues for Python cut at the cursor, ``complete`` turns its continuation into the Python
to insert, and ``CompletionStream`` does that token by token as the model samples.

Errors raise ``SimpyError`` (a ``ValueError``) with ``kind``, ``line``, ``col`` and ``message``.
"""

from __future__ import annotations

from typing import List, Optional, Tuple, Union

from ._native import (
    Vocabulary,
    __version__,
    complete,
    count_tokens,
    decode,
    decode_batch,
    default_threads,
    encode,
    encode_batch,
    encode_prompt,
    normalize,
)
from ._native import Stream as _Stream
from ._types import (
    Completion,
    CompletionError,
    Dropped,
    LeftOut,
    Prompt,
    SimpyError,
    StopRule,
)

__all__ = [
    "Completion",
    "CompletionError",
    "CompletionStream",
    "Dropped",
    "LeftOut",
    "Prompt",
    "SimpyError",
    "StopRule",
    "Vocabulary",
    "__version__",
    "complete",
    "count_tokens",
    "decode",
    "decode_batch",
    "default_threads",
    "encode",
    "encode_batch",
    "encode_prompt",
    "normalize",
]


class CompletionStream:
    """A model's SimPy continuation in, the Python to insert at the cursor out, as it arrives.

    ``push`` takes a chunk of any size (text or UTF-8 bytes, down to one byte: a special token
    or a character split across chunks is fine) and returns the Python it makes final; with a
    ``tokenizer`` (a name, a ``tokenizer.json`` path or a ``Vocabulary``), ``push_ids`` takes
    token ids as sampled. Python once returned is never taken back; ``finish`` returns the rest
    and the whole ``Completion``, equal to ``complete(prompt, continuation)``.

    With ``dialect`` (a name or a dialect file), the continuation is in that dialect, as
    ``encode_prompt(prompt, dialect=...)`` spelt the prompt; a ``Vocabulary`` that carries a
    dialect streams in it. A stream pickles (its input so far is replayed when it is
    unpickled).
    """

    def __init__(
        self,
        prompt: str,
        *,
        stop: StopRule = "block",
        max_bytes: Optional[int] = None,
        tokenizer: Union[str, Vocabulary, None] = None,
        dialect: Optional[str] = None,
    ) -> None:
        native_dialect = dialect
        if tokenizer is not None and not isinstance(tokenizer, Vocabulary):
            tokenizer = Vocabulary(tokenizer, dialect=dialect)
            # The vocabulary carries the dialect: its file is read once.
            native_dialect = None
        self._args = (prompt, stop, max_bytes, tokenizer, dialect)
        self._stream = _Stream(prompt, stop, max_bytes, tokenizer, native_dialect)
        self._log: List[Tuple[str, Union[bytes, List[int]]]] = []
        self._python: List[str] = []
        self._finished = False

    def push(self, chunk: Union[str, bytes]) -> str:
        """The Python this chunk of SimPy makes final ("" if none yet)."""
        data = chunk.encode() if isinstance(chunk, str) else bytes(chunk)
        delta = self._stream.push(data)
        self._log.append(("bytes", data))
        self._python.append(delta)
        return delta

    def push_ids(self, ids: List[int]) -> str:
        """The Python these token ids make final (needs ``tokenizer``)."""
        ids = list(ids)
        delta = self._stream.push_ids(ids)
        self._log.append(("ids", ids))
        self._python.append(delta)
        return delta

    def finish(self) -> Tuple[str, Completion]:
        """Ends the stream: the Python still to emit, and the whole completion."""
        last, completion = self._stream.finish()
        self._finished = True
        self._python.append(last)
        return last, completion

    @property
    def python(self) -> str:
        """The Python emitted so far."""
        return "".join(self._python)

    @property
    def done(self) -> bool:
        """Whether the stop rule or the byte budget has ended the stream (more input is ignored)."""
        return self._stream.done

    def __reduce__(self):
        return (_restore_stream, (self._args, self._log, self._finished))

    def __repr__(self) -> str:
        prompt, stop, max_bytes, tokenizer, dialect = self._args
        return (
            f"CompletionStream(<{len(prompt)} bytes of prompt>, stop={stop!r}, "
            f"max_bytes={max_bytes!r}, tokenizer={tokenizer!r}, dialect={dialect!r}, "
            f"emitted={len(self.python)} bytes)"
        )


def _restore_stream(args, log, finished) -> CompletionStream:
    prompt, stop, max_bytes, tokenizer, dialect = args
    stream = CompletionStream(
        prompt, stop=stop, max_bytes=max_bytes, tokenizer=tokenizer, dialect=dialect
    )
    for kind, data in log:
        if kind == "bytes":
            stream.push(data)
        else:
            stream.push_ids(data)
    if finished:
        stream.finish()
    return stream
