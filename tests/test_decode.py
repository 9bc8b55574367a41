"""Decoding result rows into typed values (casekb/execute/decode.py row_decoder, rows_decoder).

The generated decoders must give exactly what decoding each value alone by the rules below
gives (`reference`, written plainly here as the definition), whether the dates and amounts are
already in their caches or not, from SQLite's ISO text or PostgreSQL's date objects.
"""

from __future__ import annotations

from datetime import date

import pytest

from casekb.dates import PartialDate
from casekb.execute import decode as execute
from casekb.execute.decode import row_decoder, rows_decoder
from casekb.plan.plan import LIST_SEPARATOR
from casekb.plan.plan import Column as OutputColumn
from casekb.quantities import DIMENSION_UNIT, Quantity

COLUMNS = (
    OutputColumn("who", "name", ("who",)),
    OutputColumn("when", "date", ("when", "when_end", "when_precision")),
    OutputColumn("amount", "quantity", ("amount", "amount_dimension", "amount_text")),
    OutputColumn("counts", "integer", ("counts",)),
    OutputColumn("agreed", "boolean", ("agreed",)),
    OutputColumn("tags", "text", ("tags",), many=True),
    OutputColumn("count", "count", ("count",)),
)
# The labels in the order a statement returns them: not the order of the columns.
KEYS = ["count", "tags", "agreed", "counts", "amount_text", "amount_dimension", "amount",
        "when_precision", "when_end", "when", "who"]


def stored(who, when, end, precision, amount, dimension, text, counts, agreed, tags, count):
    values = {"who": who, "when": when, "when_end": end, "when_precision": precision,
              "amount": amount, "amount_dimension": dimension, "amount_text": text,
              "counts": counts, "agreed": agreed, "tags": tags, "count": count}
    return tuple(values[key] for key in KEYS)


ROWS = [
    stored("Ann Smith", "2024-01-19", "2024-01-19", "day", 547.875, "duration", "18 months",
           2, 1, "firearm" + LIST_SEPARATOR + "gang", 3),
    stored("Bob", "2024-01-01", "2024-01-31", "month", 500000, "money", None, None, 0, None, 1),
    stored(None, None, None, None, None, None, None, None, None, "", 0),
    stored("Cat", "2023-01-01", "2023-12-31", "year", 40.0, "hours", "40 hours", 1, None,
           "one", 7),
    stored("Dee", "2022-05-06", "2022-05-06", None, 3.0, "weight", "3 kg", 0, 1, None, 2),
    stored("Eve", date(2021, 3, 1), date(2021, 3, 31), "month", 365.25, "duration", None,
           5, 0, None, 4),  # PostgreSQL gives dates as date objects
    stored("Fay", "2024-01-19", "2024-01-19", "day", 547.875, "duration", "18 months",
           2, 1, "firearm", 3),  # the same date and amount again
]


def reference(column: OutputColumn, raw: list):
    """One output column's value from its SQL values, by the rules of the store."""
    value = raw[0]
    if column.many:
        return tuple(value.split(LIST_SEPARATOR)) if value else ()
    if value is None:
        return None
    if column.type == "date":  # from its first day and precision (a day when none is given)
        start = value if isinstance(value, date) else date.fromisoformat(value)
        text = {"year": start.strftime("%Y"), "month": start.strftime("%Y-%m")}.get(
            raw[2], start.isoformat())
        return PartialDate.parse(text)
    if column.type == "quantity":  # as the source wrote it, or as the unit says
        dimension, words = raw[1], raw[2]
        if dimension not in DIMENSION_UNIT:
            return None
        number = float(value)
        if not words:
            words = {"duration": f"{number:g} days", "money": f"${number / 100:,.2f}",
                     "hours": f"{number:g} hours"}[dimension]
        return Quantity(dimension, number, words)
    if column.type in ("integer", "count"):
        return int(value)
    if column.type == "boolean":
        return bool(value)
    return str(value)


def expected(row) -> tuple:
    by_label = dict(zip(KEYS, row))
    return tuple(reference(column, [by_label[label] for label in column.labels])
                 for column in COLUMNS)


@pytest.fixture(params=["cold", "warm"])
def caches(request, monkeypatch):
    """Empty caches, or caches already holding every value."""
    monkeypatch.setattr(execute, "_DATES", {(None, None, None): None})
    monkeypatch.setattr(execute, "_AMOUNTS", {})
    if request.param == "warm":
        rows_decoder(COLUMNS, KEYS)(ROWS)
    return request.param


def test_a_whole_result_decodes_as_each_value_alone(caches):
    assert rows_decoder(COLUMNS, KEYS)(ROWS) == [expected(row) for row in ROWS]


def test_one_row_at_a_time_decodes_the_same(caches):
    decode_one = row_decoder(COLUMNS, KEYS)
    assert [decode_one(row) for row in ROWS] == [expected(row) for row in ROWS]


def test_the_values_are_typed():
    first, month, empty, year, unknown_kind, from_postgres, _ = rows_decoder(COLUMNS, KEYS)(ROWS)
    assert first == ("Ann Smith", PartialDate.parse("2024-01-19"),
                     Quantity("duration", 547.875, "18 months"), 2, True, ("firearm", "gang"), 3)
    assert month[1] == PartialDate.parse("2024-01") and month[2].text == "$5,000.00"
    assert month[4] is False and month[5] == ()
    assert empty == (None, None, None, None, None, (), 0)
    assert year[1] == PartialDate.parse("2023")
    assert unknown_kind[1] == PartialDate.parse("2022-05-06")  # no precision: a day
    assert unknown_kind[2] is None  # an amount of a dimension casekb does not know
    assert from_postgres[1] == PartialDate.parse("2021-03")


def test_the_caches_stay_bounded(monkeypatch):
    monkeypatch.setattr(execute, "_CACHE_LIMIT", 3)
    monkeypatch.setattr(execute, "_DATES", {(None, None, None): None})
    monkeypatch.setattr(execute, "_AMOUNTS", {})
    for _ in range(3):
        assert rows_decoder(COLUMNS, KEYS)(ROWS) == [expected(row) for row in ROWS]
        assert len(execute._DATES) <= 7 and len(execute._AMOUNTS) <= 6
    rows_decoder(COLUMNS, KEYS)  # a new result empties caches past the limit
    assert execute._DATES == {(None, None, None): None} and execute._AMOUNTS == {}

