"""The lists an index keeps: a list asked for again at the same graph version is the one worked out
first, a product record that changed is worked out anew, and what is kept stays bounded."""

from __future__ import annotations

from typing import Any

from graph_api.audience.index import KEPT_CANDIDATES, KeptLists


def _product(product_id: str, version: int = 1) -> dict[str, Any]:
    return {"id": product_id, "version": version, "sectors": ["energy"], "topics": [], "pcii": False}


def test_a_list_asked_for_again_is_not_worked_out_again() -> None:
    kept = KeptLists()
    worked: list[str] = []

    def work(name: str, size: int = 10) -> Any:
        def run() -> tuple[int, str]:
            worked.append(name)
            return size, name

        return run

    assert kept.get(_product("p"), work("first")) == "first"
    # An equal record (another dict, the same fields) is the same list.
    assert kept.get(_product("p"), work("second")) == "first"
    assert kept.peek(_product("p")) == "first"
    # Another version of the product, or another product, is another list.
    assert kept.get(_product("p", version=2), work("edited")) == "edited"
    assert kept.get(_product("q"), work("other")) == "other"
    assert worked == ["first", "edited", "other"]
    assert kept.peek(_product("never asked")) is None


def test_the_lists_kept_hold_a_bounded_number_of_candidates_the_most_recently_asked_first() -> None:
    kept = KeptLists()
    half = KEPT_CANDIDATES // 2
    kept.get(_product("a"), lambda: (half, "a"))
    kept.get(_product("b"), lambda: (half, "b"))
    kept.get(_product("a"), lambda: (0, "a again"))  # asked again: now the most recent
    kept.get(_product("c"), lambda: (half, "c"))
    assert kept.peek(_product("a")) == "a"
    assert kept.peek(_product("b")) is None  # the least recently asked, let go
    assert kept.peek(_product("c")) == "c"
    # A list larger than the bound is given to its caller but not kept.
    assert kept.get(_product("huge"), lambda: (KEPT_CANDIDATES + 1, "huge")) == "huge"
    assert kept.peek(_product("huge")) is None
    assert kept.peek(_product("a")) == "a"
