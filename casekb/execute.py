"""Run statements of the query language on a store and return typed results.

`run_statement(text, store)` parses one statement and answers it: a query gives a
`QueryResult` (columns with their types, rows of Python values, whether the row cap cut it,
and each row's evidence for `with sources`), `explain` an `Explanation` (the SQL and its
parameters), `describe` a `Description`. Values come back typed: str, int, bool, PartialDate,
Quantity, or a tuple for a field of several values. Nothing here formats output; see
casekb/render.py.

The row cap is applied in SQL (the statement fetches at most cap + 1 rows, so a cut is
known without reading everything); with sources the cap counts facts, not quotes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from casekb.dates import PartialDate
from casekb.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from casekb.lang.compiler import CompiledQuery, OutputColumn
    from casekb.lang.describe import Description
    from casekb.quantities import Quantity
    from casekb.statementcache import Remembered

DEFAULT_CAP = 1000


@dataclass(frozen=True)
class Evidence:
    """One (article, quote) pair behind a fact."""

    source: str
    outlet: str | None
    published: PartialDate | None
    quote: str

    def to_json(self) -> dict:
        return {"source": self.source, "outlet": self.outlet,
                "published": str(self.published) if self.published else None,
                "quote": self.quote}


@dataclass
class QueryResult:
    """The answer to a query. `evidence[i]` holds the evidence of `rows[i]` (with sources)."""

    columns: tuple["OutputColumn", ...]
    rows: list[tuple[Any, ...]]
    truncated: bool = False
    cap: int | None = None
    evidence: list[list[Evidence]] | None = None

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]


@dataclass(frozen=True)
class Explanation:
    """The SQL a query compiles to, with its parameters."""

    sql: str
    parameters: dict[str, Any] = field(default_factory=dict)


Outcome = "QueryResult | Explanation | Description"
StoreOpener = Callable[[], "Engine"]


def run_statement(text: str, store: "Engine | StoreOpener | None", *, cap: int | None = DEFAULT_CAP,
                  dialect: Any = None) -> "QueryResult | Explanation | Description":
    """Parse and answer one statement.

    `store` is an Engine, or a function opening one (called only when the statement needs the
    store: `explain` never does). `cap` bounds the rows returned (None: no bound). `dialect`
    is the SQL dialect `explain` shows, or a function returning it (None: SQLite).
    Raises QueryError for a bad statement and StoreError when the store cannot be read.
    """
    from casekb import statementcache

    known = statementcache.remembered(text, cap)
    if known is not None:
        engine = _engine(store)
        if engine.dialect.name == "sqlite":
            return run_remembered(engine, known, cap)
        store = engine  # opened once
    from casekb.lang import ast
    from casekb.lang.parser import parse
    from casekb.lang.resolve import resolve

    statement = parse(text)
    if isinstance(statement, ast.Describe):
        from casekb.lang.describe import describe

        return describe(statement.entity, _opener(store), text=text)
    if isinstance(statement, ast.Explain):
        from casekb.lang.compiler import compile_query

        compiled = compile_query(resolve(statement.query, text))
        return explain(compiled, dialect() if callable(dialect) else dialect)
    resolved = resolve(statement, text)
    engine = _engine(store)
    if engine.dialect.name != "sqlite":
        from casekb.lang.compiler import compile_query

        return run_query(engine, compile_query(resolved), cap=cap)
    # On SQLite the SQL is written once, without SQLAlchemy (and kept while the cache is on:
    # casekb.statementcache), then run on the driver as it is.
    return run_remembered(engine, statementcache.compiled(resolved, text, cap), cap)


def explain(compiled: "CompiledQuery", dialect: Any = None) -> Explanation:
    """The SQL of a compiled query (as the user wrote it: no row cap), for `dialect`."""
    from casekb.lang.compiler import sql_text_and_parameters

    return Explanation(*sql_text_and_parameters(compiled.statement(), dialect))


def run_query(engine: "Engine", compiled: "CompiledQuery", *,
              cap: int | None = DEFAULT_CAP) -> QueryResult:
    """Run a compiled query; at most `cap` rows (None: all), `truncated` when more matched."""
    from casekb.lang.to_core import to_core

    statement = to_core(compiled.statement(None if cap is None else cap + 1))

    def execute() -> tuple[list[str], list[Any]]:
        with engine.connect() as connection:
            result = connection.execute(statement)
            keys = list(result.keys())
            # The driver's plain tuples: the decoders do every conversion themselves, so
            # building SQLAlchemy Row objects first would be work done twice.
            rows = result.cursor.fetchall()
            result.close()
        return keys, rows
    keys, rows = _fetch(engine, execute)
    return decoded_result(compiled.columns, keys, rows, cap, with_sources=compiled.with_sources)


def run_remembered(engine: "Engine", known: "Remembered", cap: int | None) -> QueryResult:
    """Run the SQLite SQL of a query compiled before (casekb.statementcache)."""
    def execute() -> tuple[list[str], list[Any]]:
        # Straight to the driver: SQLAlchemy's execution context costs more than a point
        # query (the pool's checkout and checkin events still fire, for the shell's Ctrl-C).
        connection = engine.raw_connection()
        try:
            cursor = connection.cursor()
            cursor.execute(known.sql, known.parameters)
            keys = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
            cursor.close()
        finally:
            connection.close()
        return keys, rows
    keys, rows = _fetch(engine, execute)
    return decoded_result(known.columns, keys, rows, cap, with_sources=known.with_sources)


def _fetch(engine: "Engine", execute: Callable[[], tuple[list[str], list[Any]]]
           ) -> tuple[list[str], list[Any]]:
    """`execute()` (the labels and rows of a query), store errors turned into StoreError."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    try:
        return execute()
    except engine.dialect.loaded_dbapi.Error as error:  # raised while fetching
        raise StoreError(f"the store could not answer the query: {error}",
                         hints=["if the store is damaged or old, rebuild it: casekb build"]) from None
    except DBAPIError as error:
        raise StoreError(f"the store could not answer the query: {error.orig}",
                         hints=["if the store is damaged or old, rebuild it: casekb build"]) from None
    except SQLAlchemyError as error:
        raise StoreError(f"the store could not answer the query: {error}") from None


def decoded_result(columns: tuple["OutputColumn", ...], keys: list[str], rows: list[Any],
                   cap: int | None, *, with_sources: bool,
                   separator: str | None = None) -> QueryResult:
    """The QueryResult of a query's rows as the driver gave them (labels `keys`): typed
    values, the evidence of each fact for a query with sources, cut at `cap`.

    Shared by `run_query` and casekb.querycache (which runs cached SQL through sqlite3
    alone), so that both give the same answer.
    """
    if with_sources:
        values, evidence = group_evidence(rows, columns, keys, separator=separator)
    else:
        values, evidence = rows_decoder(columns, keys, separator=separator)(rows), None
    truncated = cap is not None and len(values) > cap
    if truncated:
        values = values[:cap]
        evidence = evidence[:cap] if evidence is not None else None
    return QueryResult(columns, values, truncated, cap, evidence)


def row_decoder(columns: tuple["OutputColumn", ...], keys: list[str], *,
                separator: str | None = None) -> Callable[[Any], tuple[Any, ...]]:
    """A function turning one result row (whose labels are `keys`, in order) into typed values.

    Finding each column's labels and choosing its conversion is done here, once per result,
    not once per value: decoding is most of the time a large result takes. `separator` joins
    the values of a field of several values (default: the compiler's LIST_SEPARATOR; given
    by casekb.querycache, which must not import the compiler). See also `rows_decoder`.
    """
    return _decoders(columns, keys, separator)[0]


def rows_decoder(columns: tuple["OutputColumn", ...], keys: list[str], *,
                 separator: str | None = None) -> Callable[[list[Any]], list[tuple[Any, ...]]]:
    """Like `row_decoder`, but a function decoding a whole list of rows in one loop."""
    return _decoders(columns, keys, separator)[1]


def _decoders(columns: tuple["OutputColumn", ...], keys: list[str],
              separator: str | None) -> tuple[Callable, Callable]:
    if separator is None:
        from casekb.lang.compiler import LIST_SEPARATOR as separator
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
                               "_bool": bool, "_separator": separator, "_fill": _fill_caches}
    parts, dates, amounts = [], [], []
    for column in columns:
        at = [position[label] for label in column.labels]
        first = at[0]
        if column.many:
            parts.append(f"(tuple(row[{first}].split(_separator)) if row[{first}] else ())")
        elif column.type == "date":  # (start, end, precision)
            parts.append(f"_dates[row[{first}], row[{at[2]}]]")
            dates.append((first, at[2]))
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
# amounts, and PartialDate and Quantity are immutable. `_DATES[start, precision]` (the start
# as the driver gives it: ISO text from SQLite, a date from PostgreSQL) and
# `_AMOUNTS[value, dimension, text]`; emptied when they grow past _CACHE_LIMIT.
_DATES: dict[tuple[Any, Any], PartialDate | None] = {(None, None): None}
_AMOUNTS: dict[tuple[Any, Any, Any], "Quantity | None"] = {}
_CACHE_LIMIT = 200_000


def _bound_caches() -> None:
    for cache in (_DATES, _AMOUNTS):
        if len(cache) > _CACHE_LIMIT:
            cache.clear()
    _DATES[None, None] = None


def _fill_caches(rows, dates: tuple[tuple[int, int], ...],
                 amounts: tuple[tuple[int, int, int], ...]) -> None:
    """Decode into _DATES and _AMOUNTS the dates and amounts of `rows` not there yet."""
    from casekb.quantities import DIMENSION_UNIT, Quantity

    for row in rows:
        for start, precision in dates:
            key = (row[start], row[precision])
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


def decode_row(row: Any, columns: tuple["OutputColumn", ...]) -> tuple[Any, ...]:
    """A result row as typed values, one per output column."""
    mapping = row._mapping
    return tuple(decode(column, [mapping[label] for label in column.labels])
                 for column in columns)


def decode(column: "OutputColumn", raw: list[Any]) -> Any:
    """One output column's value from its SQL values."""
    from casekb.lang.compiler import LIST_SEPARATOR
    from casekb.quantities import DIMENSION_UNIT, Quantity

    value = raw[0]
    if column.many:
        return tuple(value.split(LIST_SEPARATOR)) if value else ()
    if value is None:
        return None
    if column.type == "date":
        return _partial_date(value, raw[2])
    if column.type == "quantity":
        dimension, text = raw[1], raw[2]
        if dimension not in DIMENSION_UNIT:
            return None
        return Quantity(dimension, float(value), text or _quantity_text(float(value), dimension))
    if column.type in ("integer", "count"):
        return int(value)
    if column.type == "boolean":
        return bool(value)
    return str(value)


@lru_cache(maxsize=8192)
def _partial_date(start: Any, precision: str | None) -> PartialDate:
    # Cached: results repeat the same few thousand dates, and PartialDate is immutable.
    from datetime import date

    if isinstance(start, str):
        start = date.fromisoformat(start[:10])
    return PartialDate.from_stored(start, precision or "day")


def _quantity_text(value: float, dimension: str) -> str:
    number = f"{value:g}"
    return {"duration": f"{number} days", "money": f"${value / 100:,.2f}",
            "hours": f"{number} hours"}[dimension]


def group_evidence(rows: list[Any], columns: tuple["OutputColumn", ...], keys: list[str], *,
                   separator: str | None = None) -> tuple[list[tuple], list[list[Evidence]]]:
    """Fold the (fact, evidence) rows of a query with sources back into one row per fact."""
    decode_fact = row_decoder(columns, keys, separator=separator)
    at = {key: index for index, key in enumerate(keys)}
    number_at, source_at, outlet_at = at["_row"], at["_source"], at["_outlet"]
    published_at, precision_at, quote_at = (at["_published"], at["_published_precision"],
                                            at["_quote"])
    values: list[tuple] = []
    evidence: list[list[Evidence]] = []
    current = None
    for row in rows:
        number = row[number_at]
        if number != current:
            current = number
            values.append(decode_fact(row))
            evidence.append([])
        if row[source_at] is not None:
            published = row[published_at]
            evidence[-1].append(Evidence(
                row[source_at], row[outlet_at],
                _partial_date(published, row[precision_at]) if published else None,
                row[quote_at] or ""))
    return values, evidence


def _opener(store: "Engine | StoreOpener | None") -> StoreOpener | None:
    if store is None or callable(store) and not hasattr(store, "connect"):
        return store
    return lambda: store


def _engine(store: "Engine | StoreOpener | None") -> "Engine":
    if store is None:
        raise StoreError("no store was given to answer the query")
    if hasattr(store, "connect"):
        return store
    return store()
