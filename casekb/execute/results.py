"""What answering a statement gives: a query's rows, `explain`'s SQL.

Values come back typed: str, int, bool, PartialDate, Quantity, LastReported (a charge's status
with the date it was last reported), or a tuple for a field of several values; `marks` says
which values no source states. Nothing here formats output; see casekb/render.py.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from casekb.dates import PartialDate
from casekb.plan.plan import Column
from casekb.quantities import Quantity


def counted(number: int, unit: str) -> str:
    """"1 row", "1,000 rows"."""
    return f"{number:,} {unit}" + ("" if number == 1 else "s")


@dataclass(frozen=True)
class Evidence:
    """One (article, quote) pair behind a fact; `claim` names the fact ("kind:id") when the
    row is not a fact itself but lists several (a dispute's claims)."""

    source: str
    outlet: str | None
    published: PartialDate | None
    quote: str
    claim: str | None = None

    def to_json(self) -> dict:
        data = {"source": self.source, "outlet": self.outlet,
                "published": str(self.published) if self.published else None,
                "quote": self.quote}
        if self.claim is not None:
            data = {"claim": self.claim, **data}
        return data


@dataclass(frozen=True)
class LastReported:
    """A value as last reported: `value` (None when the date asked is after the last
    report), the value `last` reported, and when (`reported`)."""

    value: str | None
    last: str | None
    reported: PartialDate | None

    def __str__(self) -> str:
        if self.reported is None:
            return self.value or ""
        if self.value is None:
            return f"not reported after {self.reported} (then {self.last})"
        return f"{self.value}, as last reported {self.reported}"

    def to_json(self) -> dict:
        return {"value": self.value, "last": self.last,
                "reported": None if self.reported is None else str(self.reported)}


@dataclass
class QueryResult:
    """The answer to a query: its columns, its rows of typed values, whether the row cap
    (`cap`) cut it, and, for a query `with sources`, `evidence[i]` for `rows[i]`.

    Iterating gives the rows; `dicts()` gives them as {column: value}; `to_json()` as JSON
    data (the form `--format json` writes). `marks[i]`, when the result can carry marks,
    maps the columns of `rows[i]` whose value no source states to what is not stated:
    {"counts": "inferred", "filed": "latest derived"} (casekb/plan/marks.py)."""

    columns: tuple[Column, ...]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    cap: int | None = None
    evidence: list[list[Evidence]] | None = None
    marks: list[dict[str, str]] | None = None
    matched: int | None = None  # when the cap cut the rows: how many the query matched

    def cap_note(self) -> str | None:
        """"showing the first 1,000 of 4,512 rows" when the row cap cut the result."""
        if not self.truncated:
            return None
        unit = "row" if self.evidence is None else "fact"
        if self.matched is None:
            return f"showing the first {counted(self.cap, unit)}; more matched"
        return f"showing the first {self.cap:,} of {counted(self.matched, unit)}"

    @property
    def marked(self) -> bool:
        """Whether the result's columns can carry marks (those of a listing of facts)."""
        return self.marks is not None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @cached_property
    def keys(self) -> list[str]:
        """The column names as the keys of a row's dict and JSON object: each unique, a name
        that comes again numbered (`SELECT 1 AS a, 2 AS a` gives a, a_2), so no value is lost."""
        keys: list[str] = []
        for name in self.column_names:
            key, number = name, 1
            while key in keys:
                number += 1
                key = f"{name}_{number}"
            keys.append(key)
        return keys

    def __iter__(self) -> Iterator[tuple[Any, ...]]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Any]]:
        """The rows as dicts of typed values, by column name (with "sources" when the query
        asked for them)."""
        rows = [dict(zip(self.keys, row)) for row in self.rows]
        if self.evidence is not None:
            for row, evidence in zip(rows, self.evidence):
                row["sources"] = evidence
        return rows

    def to_json(self) -> list[dict[str, Any]]:
        """The rows as JSON data: what `casekb query --format json` writes."""
        return [self.row_json(index) for index in range(len(self.rows))]

    def row_json(self, index: int) -> dict[str, Any]:
        """Row `index` as JSON data: {column: value}, and its sources when asked for."""
        item = {key: json_value(value) for key, value in zip(self.keys, self.rows[index])}
        if self.marks is not None:
            item["marks"] = self.marks[index]
        if self.evidence is not None:
            item["sources"] = [evidence.to_json() for evidence in self.evidence[index]]
        return item


@dataclass(frozen=True)
class Explanation:
    """The SQL a query runs, as it runs it, with its parameters and a note on any of them."""

    sql: str
    parameters: dict[str, Any] = field(default_factory=dict)
    dialect: str = "sqlite"
    notes: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        """The SQL with its parameters listed after it, as `casekb explain` prints it."""
        lines = [self.sql]
        if self.parameters:
            lines.append("-- parameters:")
            marker = ":{}" if self.dialect == "sqlite" else "%({})s"
            lines += [f"--   {marker.format(name)} = {_shown(value)}"
                      for name, value in self.parameters.items()]
        lines += [f"-- {note}" for note in self.notes]
        return "\n".join(lines)


def _shown(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_shown(item) for item in value) + ")"
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return repr(value.isoformat())
    return repr(value)


def json_value(value: Any) -> Any:
    """A value as JSON data with its real type."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, (Quantity, LastReported)):
        return value.to_json()
    if isinstance(value, tuple):
        return [json_value(item) for item in value]
    return str(value)
