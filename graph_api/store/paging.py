"""The one shape of a page of any list, and the window that asks for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Window:
    """Relay arguments with the cursors already turned into offsets (`after`/`before` are the
    offsets of the cursors' rows, so the window starts at `after + 1`)."""

    first: int | None = None
    after: int | None = None
    last: int | None = None
    before: int | None = None

    def forward(self) -> tuple[int, int | None]:
        """(offset, limit) for a list paged forward only: `first` rows after `after`."""
        return (0 if self.after is None else self.after + 1), self.first


@dataclass(frozen=True)
class Page(Generic[T]):
    """One window of a list: its items, the offset of the first one and the size of the list."""

    total: int
    start: int
    items: list[T]
