"""The arguments a program passes to the library, checked here, once for every entry point.

A wrong type or value a program passes (`cap=2.5`, `timeout=float("nan")`, `kb.query(None)`)
is a programming error: a TypeError or ValueError that says what is accepted, raised before
anything is asked of the store, never a failure deep inside the driver or a silent change of
meaning (a NaN time limit that turns the limit off, a negative cap that shows no rows).
The command line, the shell and reports read their options into these same values and check
them by the same rules (`row_cap`, `time_limit`).
"""

from __future__ import annotations

import math
from typing import Any


def row_cap(cap: Any, what: str = "cap") -> int | None:
    """`cap` when it is a row cap the library takes: None (every row) or a whole number of
    rows, 0 or more; TypeError or ValueError otherwise."""
    if cap is None:
        return None
    if not isinstance(cap, int) or isinstance(cap, bool):
        raise TypeError(f"{what} is None (every row) or a whole number of rows, 0 or more, "
                        f"not {_kind(cap)}")
    if cap < 0:
        raise ValueError(f"{what} is None (every row) or a whole number of rows, 0 or more, "
                         f"not {cap}")
    return cap


def time_limit(seconds: Any, what: str = "timeout") -> float | None:
    """`seconds` when it is a time limit the library takes: None (no limit) or a finite
    number of seconds, 0 or more (0, as on the command line, is no limit too);
    TypeError or ValueError otherwise."""
    if seconds is None:
        return None
    if not isinstance(seconds, (int, float)) or isinstance(seconds, bool):
        raise TypeError(f"{what} is None (no limit) or a number of seconds, not "
                        f"{_kind(seconds)}")
    if not math.isfinite(seconds) or seconds < 0:
        raise ValueError(f"{what} is None (no limit) or a finite number of seconds, 0 or "
                         f"more (0: no limit), not {seconds!r}")
    return seconds


def text_of(value: Any, what: str) -> str:
    """`value` when it is text (str); TypeError naming `what` it should be otherwise (bytes
    are refused too: decode them first, knowing their encoding)."""
    if not isinstance(value, str):
        hint = "; decode the bytes first" if isinstance(value, (bytes, bytearray)) else ""
        raise TypeError(f"{what} is text (str), not {_kind(value)}{hint}")
    return value


def _kind(value: Any) -> str:
    if value is None:
        return "None"
    if isinstance(value, (int, float, bool)):
        return f"{type(value).__name__} {value!r}"
    if isinstance(value, str):
        return f"str {value[:40]!r}" + ("..." if len(value) > 40 else "")
    return type(value).__name__
