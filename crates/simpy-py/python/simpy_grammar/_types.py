"""The results and the exception of simpy_grammar: plain Python, so they pickle and compare."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Optional

#: Where a completion stops (see `complete`).
StopRule = Literal["block", "top-level", "none", "paper"]


class SimpyError(ValueError):
    """A conversion failed: invalid Python or SimPy, or a limit of this tool.

    ``kind`` is ``"invalid_python"``, ``"invalid_simpy"``, ``"limit"`` (valid input this tool
    cannot take) or ``"internal"`` (a bug here: please report it). ``line`` and ``col`` are
    1-based (``col`` in characters) and point into the input; ``row`` is the row of a batch.
    """

    def __init__(
        self,
        kind: str,
        line: int,
        col: int,
        message: str,
        hint: Optional[str] = None,
        row: Optional[int] = None,
    ) -> None:
        super().__init__(kind, line, col, message, hint, row)
        self.kind = kind
        self.line = line
        self.col = col
        self.message = message
        self.hint = hint
        self.row = row

    def __str__(self) -> str:
        text = f"{self.line}:{self.col}: {self.message}"
        if self.row is not None:
            text = f"row {self.row}: {text}"
        if self.hint:
            text += f" ({self.hint})"
        return text


@dataclass(frozen=True)
class Dropped:
    """Where a cut-off continuation's last complete statement ends, and the bytes after it."""

    at: int
    bytes: int


@dataclass(frozen=True)
class Completion:
    """The Python to insert at the cursor, and how much of the continuation it used.

    ``stopped_at`` is where the stop rule ended the continuation (a byte offset in it);
    ``dropped`` says what a cut-off continuation lost after its last complete statement.
    """

    python: str
    used: int
    stopped_at: Optional[int] = None
    dropped: Optional[Dropped] = None


class CompletionError(SimpyError):
    """A continuation that cannot follow the prompt; ``kept`` is what decoded before the error."""

    def __init__(
        self,
        kind: str,
        line: int,
        col: int,
        message: str,
        hint: Optional[str] = None,
        row: Optional[int] = None,
        kept: Optional[Completion] = None,
    ) -> None:
        super().__init__(kind, line, col, message, hint, row)
        self.args = (kind, line, col, message, hint, row, kept)
        self.kept = kept


@dataclass(frozen=True)
class LeftOut:
    """The end of an unfinished last line that is not determined yet, so not in the prompt."""

    simpy: str
    python: str
    reason: str


@dataclass(frozen=True)
class Prompt:
    """The SimPy a model continues for Python cut at the cursor.

    Blocks open at the cursor stay open. ``inside_line`` is true when the cursor is inside a
    line; ``left_out`` is what of that line is not determined yet and so not encoded.
    """

    simpy: str
    inside_line: bool
    left_out: Optional[LeftOut] = None
