"""The one shape of a page of any list, and the window that asks for it."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Generic, TypeVar

from graph_api.errors import InvalidInput
from graph_api.store.keyset import slice_of

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


def encode_cursor(offset: int) -> str:
    """The cursor of the row at `offset` of a list paged by offsets."""
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        kind, _, number = base64.urlsafe_b64decode(cursor.encode()).decode().partition(":")
        offset = int(number)
    except (ValueError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"'{cursor}' is not a cursor this API gave out.") from exc
    if kind != "offset" or offset < 0:
        raise InvalidInput(f"'{cursor}' is not a cursor this API gave out.")
    return offset


def window_of(
    first: int | None, after: str | None, last: int | None = None, before: str | None = None
) -> Window:
    """Relay arguments of an offset-paged list, checked, with cursors turned into offsets."""
    checked = slice_of(first, None, last, None)
    return Window(
        first=checked.first,
        after=None if after is None else decode_cursor(after),
        last=checked.last,
        before=None if before is None else decode_cursor(before),
    )
