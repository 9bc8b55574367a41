"""Rows as the driver gives them -> typed values: dates, amounts, lists, evidence.

`decoded_result(columns, keys, rows, cap)` is the QueryResult of a plan's rows (whose labels
are `keys`): each output column's value from its SQL values (a date from its first day and
precision, an amount from its value, dimension and words, a list from its joined values), the
evidence of each fact for a query with sources, the rows cut at `cap`. Every answer of the
language comes through here, whatever asked it (a query, a profile, a timeline, `describe`'s
examples), so values are decoded in one place.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any

from casekb.dates import PartialDate
from casekb.execute.results import Evidence, LastReported, QueryResult
from casekb.plan.marks import mark_words
from casekb.plan.plan import LIST_SEPARATOR, Column
from casekb.quantities import DIMENSION_UNIT, Quantity


def decoded_result(columns: tuple[Column, ...], keys: list[str], rows: list[Any],
                   cap: int | None, *, with_sources: bool) -> QueryResult:
    """The QueryResult of a query's rows as the driver gave them (labels `keys`): typed
    values, the evidence of each fact for a query with sources, cut at `cap`."""
    if with_sources:
        values, evidence, marks = group_evidence(rows, columns, keys)
    else:
        values, evidence = rows_decoder(columns, keys)(rows), None
        marks = rows_marks(columns, keys, rows)
    truncated = cap is not None and len(values) > cap
    if truncated:
        values = values[:cap]
        evidence = evidence[:cap] if evidence is not None else None
        marks = marks[:cap] if marks is not None else None
    return QueryResult(columns, values, truncated, cap, evidence, marks)


def rows_marks(columns: tuple[Column, ...], keys: list[str],
               rows: list[Any]) -> list[dict[str, str]] | None:
    """For each row, the columns whose value no source states and what is not stated
    ({"filed": "latest derived"}); None when no column can carry marks."""
    at = {key: index for index, key in enumerate(keys)}
    # The columns by the flags they read: the columns of one table share its row's flags
    # (an event's case, date, kind, stage and description), so a row's flags are read once
    # a table, not once a column (590 events: 0.15 ms -> 0.065 ms).
    by_flags: dict[tuple[int, int], list[tuple[str, str]]] = {}
    for column in columns:
        if column.marks:
            inferred, derived, field = column.marks
            by_flags.setdefault((at[inferred], at[derived]), []).append((column.name, field))
    if not by_flags:
        return None
    groups = list(by_flags.items())
    found: list[dict[str, str]] = []
    for row in rows:
        marks = {}
        for (inferred_at, derived_at), named in groups:
            inferred, derived = row[inferred_at], row[derived_at]
            if inferred or derived:
                for name, field in named:
                    words = mark_words(field, inferred, derived)
                    if words:
                        marks[name] = words
        found.append(marks)
    return found


def row_decoder(columns: tuple[Column, ...], keys: list[str]) -> Callable[[Any], tuple[Any, ...]]:
    """A function turning one result row (whose labels are `keys`, in order) into typed values.

    Finding each column's labels and choosing its conversion is done here, once per result,
    not once per value: decoding is most of the time a large result takes. See also `rows_decoder`.
    """
    return _decoders(columns, keys)[0]


def rows_decoder(columns: tuple[Column, ...],
                 keys: list[str]) -> Callable[[list[Any]], list[tuple[Any, ...]]]:
    """Like `row_decoder`, but a function decoding a whole list of rows in one loop."""
    return _decoders(columns, keys)[1]


def _decoders(columns: tuple[Column, ...], keys: list[str]) -> tuple[Callable, Callable]:
    position = {key: index for index, key in enumerate(keys)}
    # The decoders are written out as Python source with the column positions inlined, one
    # expression a column, so that a row costs no call beyond the conversions themselves (a
    # call per value through a reader closure cost more than the values: 4,425 event rows,
    # 3.9 ms with closures, 1.5 ms inlined). Dates and amounts are looked up in plain dicts
    # of decoded values (a dict subclass with __missing__ is several times slower to index);
    # a value not there yet raises KeyError, and then the rows' values are decoded into the
    # dicts and the rows decoded again. Text comes from the driver as str already. Only
    # integer positions and the names of the helpers below go into the generated code, never
    # text from the query or the store.
    _bound_caches()
    helpers: dict[str, Any] = {"_dates": _DATES, "_amounts": _AMOUNTS, "_int": int,
                               "_bool": bool, "_separator": LIST_SEPARATOR, "_fill": _fill_caches,
                               "_reported": _last_reported}
    parts, dates, amounts = [], [], []
    for column in columns:
        at = [position[label] for label in column.labels]
        first = at[0]
        if column.many:
            parts.append(f"(tuple(row[{first}].split(_separator)) if row[{first}] else ())")
        elif column.type == "date":  # (start, end, precision)
            parts.append(f"_dates[row[{first}], row[{at[1]}], row[{at[2]}]]")
            dates.append((first, at[1], at[2]))
        elif column.type == "reported":  # (value, last, report start, end, precision)
            parts.append(f"_reported(row[{first}], row[{at[1]}], "
                         f"_dates[row[{at[2]}], row[{at[3]}], row[{at[4]}]])")
            dates.append((at[2], at[3], at[4]))
        elif column.type == "quantity":  # (value, dimension, text)
            parts.append(f"_amounts[row[{first}], row[{at[1]}], row[{at[2]}]]")
            amounts.append((first, at[1], at[2]))
        elif column.type in ("integer", "count", "boolean"):
            convert = "_bool" if column.type == "boolean" else "_int"
            parts.append(f"(None if row[{first}] is None else {convert}(row[{first}]))")
        else:  # text, names, enums: str (or None) as the driver gives them
            parts.append(f"row[{first}]")
    helpers["_where"] = (tuple(dates), tuple(amounts))
    values = "(" + "".join(part + ", " for part in parts) + ")"
    # A loop, not a second try: another thread may empty the caches in between (_bound_caches).
    source = f"""
def decode_positional(row):
    while True:
        try:
            return {values}
        except KeyError:
            _fill((row,), *_where)

def decode_all(rows):
    while True:
        try:
            return [{values} for row in rows]
        except KeyError:
            _fill(rows, *_where)
"""
    exec(_decoder_code(source), helpers)
    return helpers["decode_positional"], helpers["decode_all"]


@lru_cache(maxsize=256)
def _decoder_code(source: str) -> Any:
    # Compiling the source costs about 0.25 ms, a sixth of decoding 4,449 event rows; the
    # same query (the same columns at the same positions) gives the same source.
    return compile(source, "<casekb row decoder>", "exec")


# Decoded values shared by every result: results repeat the same few thousand dates and
# amounts, and PartialDate and Quantity are immutable. `_DATES[start, end, precision]` (the
# days as the driver gives them: ISO text from SQLite, dates from PostgreSQL) and
# `_AMOUNTS[value, dimension, text]`; emptied when they grow past _CACHE_LIMIT.
_DATES: dict[tuple[Any, Any, Any], PartialDate | None] = {(None, None, None): None}
_AMOUNTS: dict[tuple[Any, Any, Any], Quantity | None] = {}
_CACHE_LIMIT = 200_000


def _bound_caches() -> None:
    for cache in (_DATES, _AMOUNTS):
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
    _DATES[None, None, None] = None


def _fill_caches(rows, dates: tuple[tuple[int, int, int], ...],
                 amounts: tuple[tuple[int, int, int], ...]) -> None:
    """Decode into _DATES and _AMOUNTS the dates and amounts of `rows` not there yet."""

    for row in rows:
        for start, end, precision in dates:
            key = (row[start], row[end], row[precision])
            if key not in _DATES:
                _DATES[key] = None if key[0] is None else _partial_date(*key)
        for value, dimension, text in amounts:
            key = (row[value], row[dimension], row[text])
            if key not in _AMOUNTS:
                amount, kind, words = key
                decoded = None
                if amount is not None and kind in DIMENSION_UNIT:
                    number = float(amount)
                    decoded = Quantity(kind, number, words or _quantity_text(number, kind))
                _AMOUNTS[key] = decoded


@lru_cache(maxsize=8192)
def _partial_date(start: Any, end: Any, precision: str | None) -> PartialDate:
    # Cached: results repeat the same few thousand dates, and PartialDate is immutable.
    from datetime import date

    if isinstance(start, str):
        start = date.fromisoformat(start[:10])
    if isinstance(end, str):
        end = date.fromisoformat(end[:10])
    return PartialDate.from_stored(start, end, precision or "day")


def _last_reported(value: str | None, last: str | None,
                   reported: PartialDate | None) -> LastReported | None:
    """A value as last reported; None when no value was ever reported."""
    if value is None and last is None:
        return None
    return LastReported(value, last, reported)


def _quantity_text(value: float, dimension: str) -> str:
    number = f"{value:g}"
    return {"duration": f"{number} days", "money": f"${value / 100:,.2f}",
            "hours": f"{number} hours"}[dimension]


def group_evidence(rows: list[Any], columns: tuple[Column, ...],
                   keys: list[str]) -> tuple[list[tuple], list[list[Evidence]],
                                             list[dict[str, str]] | None]:
    """Fold the (fact, evidence) rows of a query with sources back into one row per fact:
    the facts' values, the evidence of each, and their marks (see rows_marks)."""
    decode_fact = row_decoder(columns, keys)
    at = {key: index for index, key in enumerate(keys)}
    number_at, source_at, outlet_at = at["_row"], at["_source"], at["_outlet"]
    published_at, end_at, precision_at, quote_at = (
        at["_published"], at["_published_end"], at["_published_precision"], at["_quote"])
    claim_at = at.get("_claim")  # a dispute's evidence comes claim by claim
    values: list[tuple] = []
    evidence: list[list[Evidence]] = []
    firsts = []
    current = None
    for row in rows:
        number = row[number_at]
        if number != current:
            current = number
            values.append(decode_fact(row))
            firsts.append(row)
            evidence.append([])
        if row[source_at] is not None:
            published = row[published_at]
            evidence[-1].append(Evidence(
                row[source_at], row[outlet_at],
                _partial_date(published, row[end_at], row[precision_at]) if published
                else None,
                row[quote_at] or "", None if claim_at is None else row[claim_at]))
    return values, evidence, rows_marks(columns, keys, firsts)
