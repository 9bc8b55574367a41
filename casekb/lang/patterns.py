"""LIKE patterns for `~` (contains): the planner's parameters and the suggestions for a
misspelt name make them the same way, without importing SQLAlchemy."""

from __future__ import annotations

# The escape character of every LIKE the compiler writes (`LIKE :p ESCAPE '/'`).
LIKE_ESCAPE = "/"


def contains_pattern(text: str) -> str:
    """A LIKE pattern finding `text` anywhere, with % and _ (and the escape) matched literally."""
    escaped = (text.replace(LIKE_ESCAPE, LIKE_ESCAPE * 2).replace("%", LIKE_ESCAPE + "%")
               .replace("_", LIKE_ESCAPE + "_"))
    return f"%{escaped}%"
