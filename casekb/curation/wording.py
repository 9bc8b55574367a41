"""How the validator words values in its messages: a value shown shortened, "did you mean",
a noun with its article, the name of a value's type."""

from __future__ import annotations

import difflib
from datetime import date, datetime, time

SHOWN = 60  # characters of a bad value echoed in a message


def suggest(value, choices) -> list[str]:
    """'did you mean X?' for the closest choice, if any is close."""
    if not isinstance(value, str) or not value or len(value) > 200:
        return []
    options = list(choices)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if not close:
        lowered = {option.lower(): option for option in options}
        close = [lowered[c] for c in difflib.get_close_matches(value.lower(), list(lowered),
                                                                n=1, cutoff=0.6)]
    return [f"did you mean {close[0]!r}?"] if close else []


def a_noun(noun: str) -> str:
    """The noun with its indefinite article: "an offense", "a charge"."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def show(value, limit: int = SHOWN) -> str:
    """A value for a message: repr, shortened."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def type_name(value) -> str:
    """What a TOML value is, in words: "a string", "an array", "a TOML date"..."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (date, datetime, time)):
        return "a TOML date"
    return "a " + type(value).__name__
