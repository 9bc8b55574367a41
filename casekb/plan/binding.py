"""How the values of a query become bound parameters: by slot and transform, never as text.

The compiler binds every value the query text gives through a `Binder`: `binder.value(value,
"casefold", "defendant")` is the parameter `:defendant_1` whose value is the query's value in
that slot, casefolded. The binder writes down the recipe of each parameter as it makes it (its
slot and its transform), so a plan's parameters for *another* query of the same shape are made
from that query's values alone, without compiling (casekb/plan/plan.py). The transforms are
the small pure functions below, the only place they are written.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from casekb.lang.patterns import contains_pattern

# What a parameter is made from a value of the query: the name of one of these.
TRANSFORMS: dict[str, Callable[[Any], Any]] = {
    "value": lambda value: value,
    "lower": lambda text: text.lower(),
    "casefold": lambda text: text.casefold(),
    "contains_lower": lambda text: contains_pattern(text.lower()),
    "contains_casefold": lambda text: contains_pattern(text.casefold()),
    "start": lambda day: day.start,  # a PartialDate's first day
    "end": lambda day: day.end,  # and its last
    "amount": lambda quantity: quantity.value,  # a Quantity's normalised number
    "dimension": lambda quantity: quantity.dimension,
}


class Binder:
    """Makes the bound parameters of one statement and keeps their recipes.

    `recipes[name]` is ("slot", slot, transform) for a parameter made from the query's values;
    parameters made by `constant` (and any SQLAlchemy adds itself, such as OFFSET 0) are
    constants of the shape, their values read from the compiled statement.
    """

    def __init__(self) -> None:
        self.recipes: dict[str, tuple[str, int, str]] = {}
        self._used: dict[str, int] = {}

    def value(self, value: Any, transform: str, name: str):
        """The parameter holding `transform` of a query value (a casekb.lang.resolve.Value)."""
        from sqlalchemy import bindparam

        key = self._name(name)
        self.recipes[key] = ("slot", value.slot, transform)
        return bindparam(key, TRANSFORMS[transform](value.value))

    def limit(self, name: str, slot: int, shown: int | None):
        """A LIMIT parameter, named `name` as it is: made from the query's limit in `slot`
        (-1: it has none) and the row cap when the plan runs (`shown`: what explain shows)."""
        from sqlalchemy import Integer, bindparam

        self.recipes[name] = ("limit", slot, "value")
        return bindparam(name, shown, type_=Integer)

    def constant(self, value: Any, name: str):
        """A parameter of the statement's own (a separator, a vocabulary value)."""
        from sqlalchemy import bindparam

        return bindparam(self._name(name), value)

    def _name(self, name: str) -> str:
        # `defendant_1`, `defendant_2`...: readable in `explain`, and unique in the statement.
        number = self._used.get(name, 0) + 1
        self._used[name] = number
        return f"{name}_{number}"


def encode(value: Any, dialect: str) -> Any:
    """A parameter as the driver of `dialect` takes it: SQLite keeps dates as ISO text (as
    the store was written), psycopg adapts Python's types itself."""
    if dialect == "sqlite" and isinstance(value, date):
        return value.isoformat()
    return value
