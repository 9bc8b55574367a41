"""A query's plan: the SQL to run on one dialect, how to make its parameters, how to read its
rows.

casekb/plan/planner.py makes plans. A plan serves every query of its shape
(casekb/plan/shape.py): `plan.query.bind(values, dialect, cap)` makes the parameters of any of
them from its values, through the recipe each parameter was made by. A plan is plain data, so
casekb/plan/cache.py keeps it in memory and on disk as JSON; answering from it needs neither
the compiler nor SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from casekb.plan.binding import TRANSFORMS, encode

# Joins the several values of a field inside SQL; decoding splits on it again. A control
# character, so that no value can contain it.
LIST_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class Column:
    """A column of the result as a user sees it, and the SQL labels it is read from.

    `type` is a FieldType value, "count", or "reported" for a value as last reported (a
    charge's status); `many` marks a field of several values. Dates come from (start, end,
    precision), amounts from (value, dimension, text), a value as last reported from
    (value, last value, report start, end, precision). `marks` is empty, or the labels of
    the `inferred` and `derived` columns of the row the value is read from and the curated
    field it shows (casekb/plan/marks.py).
    """

    name: str
    type: str
    labels: tuple[str, ...]
    many: bool = False
    marks: tuple[str, ...] = ()

    @property
    def all_labels(self) -> tuple[str, ...]:
        """The labels the column's value and marks are read from."""
        return self.labels + self.marks[:2]


@dataclass(frozen=True)
class Statement:
    """One statement of a plan: its SQL and, in order, each parameter's name and recipe:
    ("slot", slot, transform), ("limit", slot or -1, "value") or ("constant", value)."""

    sql: str
    parameters: tuple[tuple[str, tuple], ...]

    def bind(self, values: tuple[Any, ...], dialect: str, cap: int | None) -> dict[str, Any]:
        """The parameters for a query of this plan's shape whose values, by slot, are
        `values` (a resolved query's `given`)."""
        bound = {}
        for name, recipe in self.parameters:
            kind = recipe[0]
            if kind == "slot":
                value = TRANSFORMS[recipe[2]](values[recipe[1]])
            elif kind == "limit":
                value = _row_limit(values[recipe[1]] if recipe[1] >= 0 else None, cap)
            else:
                value = recipe[1]
            bound[name] = encode(value, dialect)
        return bound


@dataclass(frozen=True)
class Plan:
    """How to answer every query of one shape on one dialect."""

    dialect: str
    query: Statement
    columns: tuple[Column, ...]
    with_sources: bool
    # The check that the query's names name someone: a statement of one row of booleans,
    # one per (slot, kind) in `name_slots`; None when the query tests no name.
    names: Statement | None = None
    name_slots: tuple[tuple[int, str], ...] = ()
    # For a capped query: a statement of one row, the number of rows (facts) it matches.
    matched: Statement | None = None

    def to_json(self) -> dict:
        return {"dialect": self.dialect, "query": _statement_json(self.query),
                "columns": [[c.name, c.type, list(c.labels), c.many, list(c.marks)]
                            for c in self.columns],
                "with_sources": self.with_sources,
                "names": None if self.names is None else _statement_json(self.names),
                "name_slots": [list(item) for item in self.name_slots],
                "matched": None if self.matched is None else _statement_json(self.matched)}

    @classmethod
    def from_json(cls, data: dict) -> Plan:
        """The plan `to_json` gave (KeyError, TypeError or ValueError when it is not one)."""
        names, matched = data["names"], data["matched"]
        return cls(str(data["dialect"]), _statement(data["query"]),
                   tuple(Column(str(name), str(kind), tuple(labels), bool(many),
                                tuple(str(mark) for mark in marks))
                         for name, kind, labels, many, marks in data["columns"]),
                   bool(data["with_sources"]), None if names is None else _statement(names),
                   tuple((int(slot), str(kind)) for slot, kind in data["name_slots"]),
                   None if matched is None else _statement(matched))


def _row_limit(limit: int | None, cap: int | None) -> int | None:
    """The LIMIT that runs: the query's own, or the cap plus one row (to tell that more
    matched), whichever is lower."""
    capped = None if cap is None else cap + 1
    if limit is None:
        return capped
    return limit if capped is None else min(limit, capped)


def _statement_json(statement: Statement) -> dict:
    return {"sql": statement.sql,
            "parameters": [[name, list(recipe)] for name, recipe in statement.parameters]}


def _statement(data: dict) -> Statement:
    return Statement(str(data["sql"]), tuple((str(name), tuple(recipe))
                                             for name, recipe in data["parameters"]))
