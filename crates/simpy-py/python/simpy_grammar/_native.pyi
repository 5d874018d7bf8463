"""Type stubs of the extension module; ``simpy_grammar`` re-exports all of it."""

from typing import List, Literal, Optional, Sequence, Tuple, Union, final, overload

from ._types import Completion, Prompt, SimpyError, StopRule

_Source = Union[str, bytes]

__all__ = [
    "Stream",
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
__version__: str

def encode(src: _Source, *, strip_comments: bool = False, dialect: str = "simpy") -> str:
    """Python to canonical SimPy, or to the dialect named (a built-in name or a dialect
    file's path). Bytes may be in any PEP 263 encoding. Raises SimpyError."""

def decode(simpy: Union[str, bytes], *, strip_comments: bool = False, dialect: str = "simpy") -> str:
    """SimPy (in the dialect named) to clean Python. Raises SimpyError."""

def normalize(src: _Source, *, strip_comments: bool = False) -> str:
    """Python as the Python printer writes it (same AST, same comments, blank lines kept)."""

@overload
def encode_batch(
    sources: Sequence[Optional[_Source]],
    *,
    strip_comments: bool = False,
    threads: Optional[int] = None,
    errors: Literal["none", "raise"] = "none",
    dialect: str = "simpy",
) -> List[Optional[str]]: ...
@overload
def encode_batch(
    sources: Sequence[Optional[_Source]],
    *,
    strip_comments: bool = False,
    threads: Optional[int] = None,
    errors: Literal["return"],
    dialect: str = "simpy",
) -> List[Union[str, SimpyError, None]]: ...
@overload
def decode_batch(
    texts: Sequence[Optional[Union[str, bytes]]],
    *,
    strip_comments: bool = False,
    threads: Optional[int] = None,
    errors: Literal["none", "raise"] = "none",
    dialect: str = "simpy",
) -> List[Optional[str]]: ...
@overload
def decode_batch(
    texts: Sequence[Optional[Union[str, bytes]]],
    *,
    strip_comments: bool = False,
    threads: Optional[int] = None,
    errors: Literal["return"],
    dialect: str = "simpy",
) -> List[Union[str, SimpyError, None]]: ...
def default_threads() -> int:
    """Threads a batch with threads=None uses here (1 in a child forked after a parallel batch)."""

def count_tokens(text: str, tokenizer: str = "gpt4") -> int:
    """Tokens of text for a tokenizer (name or tokenizer.json path), SimPy's tokens one each."""

def encode_prompt(src: str, *, dialect: str = "simpy") -> Prompt:
    """The SimPy a model continues for Python cut at the cursor; blocks open there stay open."""

def complete(
    prompt: str,
    continuation: str,
    *,
    stop: StopRule = "block",
    max_bytes: Optional[int] = None,
    dialect: str = "simpy",
) -> Completion:
    """The Python to insert at the end of prompt for a model's SimPy continuation of it."""

@final
class Vocabulary:
    """A tokenizer with SimPy's tokens (and a dialect's idioms) as single ids after its own
    (picklable)."""

    def __new__(cls, tokenizer: str = "gpt4", dialect: Optional[str] = None) -> "Vocabulary": ...
    @property
    def name(self) -> str: ...
    def __len__(self) -> int: ...
    def encode(self, text: str) -> List[int]: ...
    def decode(self, ids: Sequence[int]) -> str: ...
    def count(self, text: str) -> int: ...
    def token_id(self, token: str) -> int: ...
    def simpy_token_ids(self) -> List[Tuple[str, int]]: ...

@final
class Stream:
    """The native stream behind simpy_grammar.CompletionStream."""

    def __new__(
        cls,
        prompt: str,
        stop: StopRule,
        max_bytes: Optional[int],
        vocabulary: Optional[Vocabulary],
        dialect: Optional[str],
    ) -> "Stream": ...
    def push(self, chunk: _Source) -> str: ...
    def push_ids(self, ids: Sequence[int]) -> str: ...
    def finish(self) -> Tuple[str, Completion]: ...
    @property
    def done(self) -> bool: ...
