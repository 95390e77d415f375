"""A search box means words, never Lucene operators."""

from __future__ import annotations

import pytest

from graph_api.errors import InvalidInput
from graph_api.rules.search import MAX_TERMS, lucene_query


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("grid", "grid*"),
        ("Silver  Telecom", "silver AND telecom*"),
        # Upper-case AND / OR / NOT would be operators: lower case makes them words.
        ("Grid AND power", "grid AND and AND power*"),
        ('(power) "x" a+b c:d', '\\(power\\) AND \\"x\\" AND a\\+b AND c\\:d*'),
        ("a/b ~c ^d [e] {f} !g ?h *i \\j -k &l |m", None),
    ],
)
def test_words_are_escaped_and_the_last_is_a_prefix(text: str, query: str | None) -> None:
    built = lucene_query(text)
    if query is not None:
        assert built == query
    # Every special character arrives escaped: none stands unescaped between words.
    for word in built.removesuffix("*").split(" AND "):
        unescaped = word.replace("\\\\", "").replace("\\", "")
        assert all(ch.isalnum() or f"\\{ch}" in word for ch in unescaped), word


@pytest.mark.parametrize("text", ["", "   ", "\t\n"])
def test_empty_search_text_is_refused(text: str) -> None:
    with pytest.raises(InvalidInput, match="at least one word"):
        lucene_query(text)


def test_too_many_words_are_refused() -> None:
    lucene_query(" ".join(["w"] * MAX_TERMS))
    with pytest.raises(InvalidInput, match=f"at most {MAX_TERMS} words"):
        lucene_query(" ".join(["w"] * (MAX_TERMS + 1)))
