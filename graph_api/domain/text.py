"""Free text as it enters the graph: what a text field may hold.

A text field ends up in e-mail headers, CSV cells, TAXII objects and log lines, where a line
break or another control character changes what the reader sees (a second header, a forged log
line). So control characters are refused where text enters, on every write path: a single-line
field (a title, a name, an id) may hold a tab and nothing else of them; multi-line text (a
summary, a note) may also hold line breaks (LF, or CR LF). Unicode line and paragraph separators
count as line breaks. Pure rules, no I/O.
"""

from __future__ import annotations

import unicodedata

CONTROL_CHARACTER = "CONTROL_CHARACTER"
# Unicode categories refused: control characters, and the line and paragraph separators.
_REFUSED_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
_NAMES = {"\n": "a line feed", "\r": "a carriage return", "\x00": "a NUL", "\x1b": "an escape"}


def _allowed(text: str, position: int, multiline: bool) -> bool:
    char = text[position]
    if char == "\t":
        return True
    if not multiline:
        return False
    if char == "\n":
        return True
    # A carriage return counts as part of a line break only right before a line feed.
    return char == "\r" and text[position + 1 : position + 2] == "\n"


def control_character_problem(text: str, *, multiline: bool = False) -> str | None:
    """Why `text` may not enter the graph, naming the first refused character; None when it may."""
    for position, char in enumerate(text):
        if unicodedata.category(char) not in _REFUSED_CATEGORIES or _allowed(text, position, multiline):
            continue
        name = _NAMES.get(char, "a control character")
        allowed = "tab and line breaks" if multiline else "tab"
        return (
            f"contains {name} (U+{ord(char):04X}) at character {position + 1}; "
            f"of the control characters only {allowed} may be used here"
        )
    return None
