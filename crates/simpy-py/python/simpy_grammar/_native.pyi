"""Type stubs of the extension module; ``simpy_grammar`` re-exports all of it."""

from typing import List, Literal, Optional, Sequence, Tuple, Union, overload

from ._types import Completion, Prompt, SimpyError

Source = Union[str, bytes]
StopRule = Literal["block", "top-level", "none", "paper"]

__version__: str

def encode(src: Source, *, strip_comments: bool = False) -> str:
    """Python to canonical SimPy. Bytes may be in any PEP 263 encoding. Raises SimpyError."""

def decode(simpy: Union[str, bytes], *, strip_comments: bool = False) -> str:
    """SimPy to clean Python. Raises SimpyError."""

def normalize(src: Source, *, strip_comments: bool = False) -> str:
    """Python as the Python printer writes it (same AST, same comments, blank lines kept)."""

@overload
def encode_batch(
    sources: Sequence[Optional[Source]],
    *,
    strip_comments: bool = False,
    threads: Optional[int] = None,
    errors: Literal["none", "raise"] = "none",
) -> List[Optional[str]]: ...
@overload
def encode_batch(
    sources: Sequence[Optional[Source]],
    *,
    strip_comments: bool = False,
    threads: Optional[int] = None,
    errors: Literal["return"],
) -> List[Union[str, SimpyError, None]]: ...
@overload
def decode_batch(
    texts: Sequence[Optional[Union[str, bytes]]],
    *,
    strip_comments: bool = False,
    threads: Optional[int] = None,
    errors: Literal["none", "raise"] = "none",
) -> List[Optional[str]]: ...
@overload
def decode_batch(
    texts: Sequence[Optional[Union[str, bytes]]],
    *,
    strip_comments: bool = False,
    threads: Optional[int] = None,
    errors: Literal["return"],
) -> List[Union[str, SimpyError, None]]: ...
def default_threads() -> int:
    """Threads a batch with threads=None uses here (1 in a child forked after a parallel batch)."""

def count_tokens(text: str, tokenizer: str = "gpt4") -> int:
    """Tokens of text for a tokenizer (name or tokenizer.json path), SimPy's tokens one each."""

def encode_prompt(src: str) -> Prompt:
    """The SimPy a model continues for Python cut at the cursor; blocks open there stay open."""

def complete(
    prompt: str,
    continuation: str,
    *,
    stop: StopRule = "block",
    max_bytes: Optional[int] = None,
) -> Completion:
    """The Python to insert at the end of prompt for a model's SimPy continuation of it."""

class Vocabulary:
    """A tokenizer with SimPy's 78 tokens as single ids after its own (picklable)."""

    def __init__(self, tokenizer: str = "gpt4") -> None: ...
    @property
    def name(self) -> str: ...
    def __len__(self) -> int: ...
    def encode(self, text: str) -> List[int]: ...
    def decode(self, ids: Sequence[int]) -> str: ...
    def count(self, text: str) -> int: ...
    def token_id(self, token: str) -> int: ...
    def simpy_token_ids(self) -> List[Tuple[str, int]]: ...

class Stream:
    """The native stream behind simpy_grammar.CompletionStream."""

    def __init__(
        self,
        prompt: str,
        stop: StopRule,
        max_bytes: Optional[int],
        vocabulary: Optional[Vocabulary],
    ) -> None: ...
    def push(self, chunk: Source) -> str: ...
    def push_ids(self, ids: Sequence[int]) -> str: ...
    def finish(self) -> Tuple[str, Completion]: ...
    @property
    def python(self) -> str: ...
    @property
    def done(self) -> bool: ...
