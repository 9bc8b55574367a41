"""What a query's text may hold, and what each literal value means: the checks of the whole
text, the unescaping of a string, and the conversions of a literal to the value a query binds.

The parser and the resolver use these, and so does the answer to a new text of a mask asked
before (casekb/plan/masked.py), which converts the text's values without parsing it: the
resolver picks a conversion for each value (by the field's type, the operator and the
literal's kind) and `convert` returns its name and arguments beside the value, which the
resolver records and the other path replays. A conversion takes the literal's text as the
parser gives it (a string unescaped, a boolean as "true" or "false") and raises ValueError
for a value it cannot take; the resolver words the error.

Nothing here imports the parser or the registry: this module is on the path that avoids them.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from casekb import vocab
from casekb.dates import PartialDate
from casekb.errors import QueryError, Span, span_at
from casekb.quantities import Quantity

# Longer text is refused before parsing: no honest query is this long, and the limit keeps
# every later step (and its error messages) cheap.
MAX_QUERY_CHARS = 20_000
# SQLite and PostgreSQL integers are 64-bit; larger numbers cannot be bound.
MAX_INTEGER = 2**62

# The grammar's STRING terminal (grammar/casekb.lark; a test holds the two equal).
STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"')

# Bytes that are not UTF-8 reach Python as lone surrogates (from a pipe or an argument); they
# cannot be sent to a database, so they are refused here rather than failing there.
_NOT_TEXT = re.compile("[\ud800-\udfff]")


def check_text(text: str) -> None:
    """Raise QueryError when `text` cannot be a query whatever it says: too long, bytes that
    are not UTF-8, a NUL."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is {len(text):,} characters long; the limit is "
                         f"{MAX_QUERY_CHARS:,}", query=text[:200], span=Span(1, 1, 1))
    undecodable = _NOT_TEXT.search(text)
    if undecodable is not None:
        shown = _NOT_TEXT.sub("\ufffd", text)  # same length, so the underline stays in place
        raise QueryError("the query holds bytes that are not UTF-8 text", query=shown,
                         span=span_at(text, undecodable.start()),
                         hints=["save or pipe the query as UTF-8"])
    if "\x00" in text:
        # No stored text holds one, and PostgreSQL cannot even receive one: refused the same
        # way on every engine.
        offset = text.index("\x00")
        raise QueryError("the query holds a NUL character", query=text.replace("\x00", " "),
                         span=span_at(text, offset),
                         hints=["remove it; a NUL is never part of a name or a quote"])


def unescape(quoted: str) -> str:
    """The text of a string literal as written ("..."). Only \\" and \\\\ are escapes; any
    other backslash stands for itself."""
    body, out, i = quoted[1:-1], [], 0
    while i < len(body):
        if body[i] == "\\" and i + 1 < len(body) and body[i + 1] in '"\\':
            out.append(body[i + 1])
            i += 2
        else:
            out.append(body[i])
            i += 1
    return "".join(out)


# -- conversions: a literal's text (strings unescaped) -> the value the query binds ---------

def as_enum(text: str, allowed: tuple[str, ...] | list[str]) -> str:
    """The vocabulary's own spelling of `text`; ValueError when it is not one of `allowed`."""
    value = vocab.canonical(text)
    if value not in allowed:
        raise ValueError(f"{text!r} is not one of the values")
    return value


def as_integer(text: str) -> int:
    # Leading zeros are dropped first: int() refuses more than 4,300 digits whatever they are
    # worth, with a message about Python's limits.
    digits = text.lstrip("0") or "0"
    if len(digits) > len(str(MAX_INTEGER)) or int(digits) > MAX_INTEGER:
        raise ValueError(f"{text} is too large a number")
    return int(digits)


def as_quantity(text: str) -> Quantity:
    # The grammar takes `18months` as well as `18 months`; Quantity wants the space.
    return Quantity.parse(re.sub(r"^(\d+(?:\.\d+)?)\s*(?=[^\d\s.,])", r"\1 ", text))


CONVERSIONS: dict[str, Callable[..., Any]] = {
    "text": str, "enum": as_enum, "integer": as_integer, "date": PartialDate.parse,
    "quantity": as_quantity, "money": Quantity.parse, "boolean": lambda text: text == "true",
}


def convert(name: str, text: str, *arguments: Any) -> tuple[Any, tuple]:
    """The value of a literal by the conversion `name` (of CONVERSIONS), and the conversion
    as it is recorded to be replayed: (name, *arguments)."""
    return CONVERSIONS[name](text, *arguments), (name, *arguments)
