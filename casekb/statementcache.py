"""Compiled SQL kept in memory for the life of a process, for SQLite stores.

The REPL, a report and a program using casekb as a library ask the same questions again: the
same text, or the same shape with other values (a report's `$params`, the next defendant).
Parsing, checking and compiling a query costs about a millisecond, as much as answering many
queries on an indexed store; the SQL it compiles to depends only on the text (and the row
cap), never on the data. So, as sqlite3 keeps prepared statements and SQLAlchemy compiled
forms, casekb keeps here, per text, the SQLite SQL with its parameters and how to read its
columns, and per shape (casekb.queryshape) the SQL with the recipe of its parameters.

These are the entries casekb.querycache writes to disk for the command line (whose process
ends after one query), made by the same functions and answered by the same decoding, so an
answer from here is the answer the full path gives. A shape is recorded only the second time
it is seen (recording compiles the query once more), so a one-off query pays nothing extra.
CASEKB_QUERY_CACHE=0 turns this cache off too.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

# Entries kept per kind; the oldest used goes first.
MAX_ENTRIES = 256


@dataclass(frozen=True)
class Remembered:
    """The SQLite SQL of a query, its parameters, and how to read its rows."""

    sql: str
    parameters: tuple[Any, ...]
    columns: tuple[Any, ...]  # compiler.OutputColumn
    with_sources: bool


class _Recent:
    """A small thread-safe LRU mapping."""

    def __init__(self, size: int):
        self.size = size
        self.items: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            value = self.items.get(key)
            if value is not None:
                self.items.move_to_end(key)
            return value

    def put(self, key, value) -> None:
        with self.lock:
            self.items[key] = value
            self.items.move_to_end(key)
            while len(self.items) > self.size:
                self.items.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.items.clear()


_TEXTS = _Recent(MAX_ENTRIES)
_SHAPES = _Recent(MAX_ENTRIES)
# Shapes seen once, not yet recorded (value True); recorded when seen again.
_SEEN_SHAPES = _Recent(4 * MAX_ENTRIES)


def enabled() -> bool:
    """Whether compiled queries are cached (CASEKB_QUERY_CACHE, as for the disk cache)."""
    from casekb.querycache import _enabled

    return _enabled()


def clear() -> None:
    """Forget every compiled query of this process."""
    for recent in (_TEXTS, _SHAPES, _SEEN_SHAPES):
        recent.clear()


def remembered(text: str, cap: int | None) -> Remembered | None:
    """The compiled SQL of a query text asked before in this process, or None (also when the
    cache is off)."""
    return _TEXTS.get((text, cap)) if enabled() else None


def compiled(resolved, text: str, cap: int | None) -> Remembered:
    """The SQLite SQL of a resolved query (not asked before as `text`): filled in from its
    shape when the shape was recorded, else compiled; remembered under its text either way,
    and its shape recorded when seen for the second time with a certain recipe. With the
    cache off (`enabled`), simply compiled."""
    from casekb import queryshape

    if not enabled():
        return _compile(resolved, cap, None, None)
    try:
        shape, values = queryshape.shape_of(resolved)
        shape_key = (_frozen(shape), cap)
    except queryshape.NotShaped:
        shape_key = values = None
    answer = _from_shape(shape_key, values) if shape_key is not None else None
    if answer is None:
        answer = _compile(resolved, cap, shape_key, values)
    _TEXTS.put((text, cap), answer)
    return answer


def _from_shape(shape_key, values: list) -> Remembered | None:
    from casekb.querycache import shape_parameters

    known = _SHAPES.get(shape_key)
    if known is None:
        return None
    entry, columns = known
    parameters = shape_parameters(entry, values)
    if parameters is None:
        return None
    return Remembered(entry["sql"], tuple(parameters), columns, entry["with_sources"])


def _compile(resolved, cap: int | None, shape_key, values: list | None) -> Remembered:
    from casekb.lang.compiler import compile_query
    from casekb.querycache import _sqlite_sql, shape_entry

    query = compile_query(resolved)
    compiled_sql = _sqlite_sql(query, cap)
    sql, _, parameters = compiled_sql
    if shape_key is not None:
        if _SEEN_SHAPES.get(shape_key) is None:
            _SEEN_SHAPES.put(shape_key, True)
        else:
            entry = shape_entry(query, values, cap, compiled_sql=compiled_sql)
            if entry is not None:
                # The disk cache's entry, with the compiled columns (the entry's are plain
                # dicts, for JSON).
                _SHAPES.put(shape_key, (entry, query.columns))
    return Remembered(sql, tuple(parameters), query.columns, query.with_sources)


def _frozen(value: Any) -> Any:
    """A shape (nested lists) as a hashable key."""
    if isinstance(value, list):
        return tuple(_frozen(item) for item in value)
    if isinstance(value, dict):
        return tuple(sorted((key, _frozen(item)) for key, item in value.items()))
    return value
