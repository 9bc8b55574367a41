"""Compiled queries kept on disk, so that a query asked again starts in a few milliseconds.

Parsing, checking and compiling a query costs tens of milliseconds in a new process (the
generated parser, casekb.lang._standalone_parser, alone takes about 20 ms to load); yet a given
query text always compiles to the same SQL. So `casekb query` stores what it compiled (the SQL for
SQLite, its positional parameters and how to read each column) in a small file under
`CASEKB_HOME/query-cache/` (the default store's folder), and when the same text is asked again
of a SQLite store it runs that SQL through the standard library's sqlite3 alone, with the same
checks of the store and the same decoding of values (casekb.execute.row_decoder), so the
answer is the same object the slow path gives.

A query compiled for the first time on a SQLite store needs no SQLAlchemy either (its import
alone takes about a quarter of a second): casekb.lang.sqlite_sql writes the SQL SQLAlchemy's
SQLite dialect would write, and it runs through sqlite3 as a cached query does.

The key covers everything the SQL depends on: the query text, the row cap, casekb's version
and the size and modification time of every module and grammar file that takes part in
compiling; an upgrade or an edited grammar is never served stale SQL. Only queries are cached
(with or without sources), not `explain` or `describe`. Anything unexpected on the fast path
(a damaged store, an unreadable cache file) falls back to the full path, which reports the
problem in its usual words. Set CASEKB_QUERY_CACHE=0 to turn the cache off.

A second kind of entry is kept per query *shape* (casekb.queryshape): the query with its
values taken out. A new text of a known shape (the same question about another defendant) is
parsed and checked as usual, and answered from the shape's SQL with its own values filled in,
without compiling.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from casekb import __version__
from casekb.errors import StoreError

ENV_SWITCH = "CASEKB_QUERY_CACHE"
CACHE_FOLDER = "query-cache"
MAX_ENTRIES = 1000
ENTRY_FORMAT = 3


@dataclass(frozen=True)
class CachedColumn:
    """An output column read back from the cache (the fields of compiler.OutputColumn)."""

    name: str
    type: str
    labels: tuple[str, ...]
    many: bool = False


def run_statement_cached(text: str, db: str | None, *, cap: int | None,
                         open_store: Callable[[], Any], dialect: Callable[[], Any] | None = None):
    """`casekb.execute.run_statement(text, open_store, cap=cap, dialect=dialect)`, served from
    the cache when this query, or one of its shape, was compiled before for a SQLite store, and
    remembered when not.
    """
    from casekb.execute import run_statement

    if not _enabled():
        return run_statement(text, open_store, cap=cap, dialect=dialect)
    key = _key(text, cap)
    hit = cached_answer(key, db, cap)
    if hit is not None:
        return hit
    from casekb.lang import ast
    from casekb.lang.parser import parse

    statement = parse(text)
    location = _sqlite_location(db)
    if not isinstance(statement, ast.Query) or location is None:
        return run_statement(text, open_store, cap=cap, dialect=dialect)
    from casekb import queryshape
    from casekb.lang.resolve import resolve

    resolved = resolve(statement, text)
    try:
        shape, values = queryshape.shape_of(resolved)
        shape_key = _key(shape, cap, kind="shape")
    except queryshape.NotShaped:
        shape_key = None
    if shape_key is not None:
        hit = shaped_answer(shape_key, key, values, db, cap)
        if hit is not None:
            return hit
    from casekb.lang.compiler import compile_query

    compiled = compile_query(resolved)
    compiled_sql = _sqlite_sql(compiled, cap)
    sql, _, parameters = compiled_sql
    # Run the SQL just written as a cached query runs (sqlite3 alone, no SQLAlchemy); the
    # engine only when that fails, to report the problem in its usual words.
    result = _answer(_entry(compiled, sql, parameters=parameters), parameters, db, cap)
    if result is None:
        from casekb.execute import run_query

        result = run_query(open_store(), compiled, cap=cap)
    remember(key, compiled, cap, shape_key=shape_key, values=values if shape_key else None,
             compiled_sql=compiled_sql)
    return result


def cached_answer(key: str, db: str | None, cap: int | None):
    """The QueryResult of a cached query, or None (not cached, or not on this fast path)."""
    entry = _read_entry(key)
    if entry is None:
        return None
    return _answer(entry, entry["parameters"], db, cap)


def shaped_answer(shape_key: str, key: str, values: list, db: str | None, cap: int | None):
    """The QueryResult of a query whose shape is cached, its values filled in (and the query
    remembered under its own text too), or None."""
    entry = _read_entry(shape_key)
    parameters = None if entry is None else shape_parameters(entry, values)
    if parameters is None:
        return None
    answer = _answer(entry, parameters, db, cap)
    if answer is not None:
        own = {name: entry[name]
               for name in ("format", "sql", "separator", "with_sources", "columns")}
        _write_entry(key, {**own, "parameters": parameters})
    return answer


def shape_parameters(entry: dict, values: list) -> list | None:
    """The parameters of a query of the shape `entry` (see `shape_entry`) whose values are
    `values`; None when the entry does not fit them (the query is then compiled as usual)."""
    from casekb import queryshape

    try:
        return queryshape.fill(entry["recipe"], entry["constants"], values, _as_sqlite)
    except (KeyError, IndexError, TypeError, ValueError):
        return None


def _answer(entry: dict, parameters: list, db: str | None, cap: int | None):
    """Run a cache entry's SQL with `parameters` on the SQLite store `db`; None if that is not
    possible here (the full path then says why)."""
    location = _sqlite_location(db)
    if location is None:
        return None
    from casekb.execute import decoded_result
    from casekb.store import check_meta, check_sqlite_file, ensure_default_store, sqlite_connect

    try:
        if location.is_default:
            ensure_default_store(location.path)
        check_sqlite_file(location)
        connection = sqlite_connect(location.path, readonly=True)
        try:
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            check_meta(meta, location)
            cursor = connection.execute(entry["sql"], parameters)
            keys = [description[0] for description in cursor.description]
            rows = cursor.fetchall()
        finally:
            connection.close()
    except (sqlite3.Error, StoreError, OSError):
        return None  # the full path opens the store again and says what is wrong
    columns = tuple(CachedColumn(c["name"], c["type"], tuple(c["labels"]), c["many"])
                    for c in entry["columns"])
    return decoded_result(columns, keys, rows, cap, with_sources=entry["with_sources"],
                          separator=entry["separator"])


def remember(key: str, compiled, cap: int | None, *, shape_key: str | None = None,
             values: list | None = None,
             compiled_sql: tuple[str, list, list] | None = None) -> None:
    """Store the SQLite SQL of a compiled query under `key` (`compiled_sql` when already
    written), and under `shape_key` its shape with the recipe of its parameters (see
    casekb.queryshape) when that recipe is certain; quietly skipped where impossible."""
    compiled_sql = compiled_sql or _sqlite_sql(compiled, cap)
    sql, _, parameters = compiled_sql
    _write_entry(key, _entry(compiled, sql, parameters=parameters))
    if shape_key is not None and values is not None:
        entry = shape_entry(compiled, values, cap, compiled_sql=compiled_sql)
        if entry is not None:
            _write_entry(shape_key, entry)


def shape_entry(compiled, values: list, cap: int | None, *,
                compiled_sql: tuple[str, list, list] | None = None) -> dict | None:
    """The cache entry of `compiled`'s shape (`values` are its values in casekb.queryshape
    order): its SQL, how each parameter is made, and the parameters that are constant; None
    when the recipe is not certain."""
    from casekb import queryshape
    from casekb.lang.compiler import compile_query

    sql, _, parameters = compiled_sql or _sqlite_sql(compiled, cap)
    marker_values = queryshape.markers(values)
    marked = compile_query(queryshape.with_values(compiled.resolved, marker_values))
    marked_sql, marked_raw, marked_parameters = _sqlite_sql(marked, cap)
    recipe = queryshape.find_recipe(marked_raw, marker_values)
    if recipe is None or marked_sql != sql or len(recipe) != len(parameters):
        return None
    constants = [value if item[0] == "constant" else None
                 for item, value in zip(recipe, parameters)]
    # The recipe must give back exactly this query's parameters, and what it calls constant
    # must not have moved with the markers.
    try:
        refilled = queryshape.fill(recipe, constants, values, _as_sqlite)
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    moved = any(item[0] == "constant" and marked_value != value
                for item, marked_value, value in zip(recipe, marked_parameters, parameters))
    if refilled != parameters or moved:
        return None
    return _entry(compiled, sql, recipe=recipe, constants=constants)


def _sqlite_sql(compiled, cap: int | None) -> tuple[str, list, list]:
    """The SQLite SQL of a compiled query (with the row cap), its positional parameters as
    compiled, and as the driver receives them: written by casekb.lang.sqlite_sql, without
    SQLAlchemy; by SQLAlchemy's SQLite dialect for a statement that writer does not know."""
    from casekb.lang.sqlexpr import Unsupported
    from casekb.lang.sqlite_sql import sqlite_sql

    statement = compiled.statement(None if cap is None else cap + 1)
    try:
        return sqlite_sql(statement)
    except Unsupported:
        return sqlalchemy_sqlite_sql(statement)


def sqlalchemy_sqlite_sql(statement) -> tuple[str, list, list]:
    """`casekb.lang.sqlite_sql.sqlite_sql(statement)`, by SQLAlchemy's SQLite dialect."""
    from sqlalchemy.dialects import sqlite

    from casekb.lang.to_core import to_core

    dialect = sqlite.dialect()
    sql = to_core(statement).compile(dialect=dialect,
                                     compile_kwargs={"render_postcompile": True})
    raw, parameters = [], []
    for name in sql.positiontup or ():
        value = sql.params[name]
        process = sql.binds[name].type.bind_processor(dialect) if name in sql.binds else None
        raw.append(value)
        parameters.append(_as_sqlite(process(value) if process else value))
    return str(sql), raw, parameters


def _entry(compiled, sql: str, **fields: Any) -> dict:
    """A cache entry: the SQL and how to read its rows, with `fields` (parameters, or a
    shape's recipe and constants)."""
    from casekb.lang.compiler import LIST_SEPARATOR

    return {
        "format": ENTRY_FORMAT, "sql": sql, "separator": LIST_SEPARATOR,
        "with_sources": compiled.with_sources,
        "columns": [{"name": c.name, "type": str(c.type), "labels": list(c.labels),
                     "many": bool(c.many)} for c in compiled.columns],
        **fields,
    }


def _as_sqlite(value):
    """A parameter as sqlite3 receives it (casekb.lang.sqlite_sql.as_sqlite)."""
    from casekb.lang.sqlite_sql import as_sqlite

    return as_sqlite(value)


# -- the key ---------------------------------------------------------------------------------

def _key(query: str | list, cap: int | None, kind: str = "text") -> str:
    """The cache key of a query text (or, with kind "shape", of a query shape)."""
    material = json.dumps([ENTRY_FORMAT, kind, __version__, _fingerprint(), query, cap])
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


@cache
def _fingerprint() -> list:
    """Size and modification time of the files that decide what a query compiles to."""
    package = Path(__file__).resolve().parent
    files = [package / "execute.py", package / "vocab.py", package / "models.py",
             package / "dates.py", package / "quantities.py", package / "queryshape.py",
             package / "querycache.py"]
    try:
        files += sorted(p for p in (package / "lang").iterdir() if p.suffix == ".py")
        from casekb.resources import grammar_path

        files.append(grammar_path())
    except (OSError, FileNotFoundError):
        pass
    stamps = []
    for path in files:
        try:
            status = path.stat()
            stamps.append([path.name, status.st_size, status.st_mtime_ns])
        except OSError:
            stamps.append([path.name, None, None])
    return stamps


# -- the files -------------------------------------------------------------------------------

def _enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "no", "false", "off")


def cache_folder() -> Path:
    """Where compiled queries are kept."""
    from casekb.store import default_home

    return default_home() / CACHE_FOLDER


def _read_entry(key: str) -> dict | None:
    try:
        data = json.loads((cache_folder() / f"{key}.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("format") != ENTRY_FORMAT:
        return None
    return data


def _write_entry(key: str, entry: dict) -> None:
    try:
        data = json.dumps(entry, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # a parameter JSON cannot hold: not worth caching
    folder = cache_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f".{key}.{os.getpid()}.tmp"
        temporary.write_text(data, encoding="utf-8")
        os.replace(temporary, folder / f"{key}.json")  # readers see a whole file or none
        _prune(folder)
    except OSError:
        pass  # a read-only home only costs speed


def _prune(folder: Path) -> None:
    """Keep the newest MAX_ENTRIES entries."""
    entries = [p for p in folder.iterdir() if p.suffix == ".json"]
    if len(entries) <= MAX_ENTRIES:
        return
    entries.sort(key=lambda p: p.stat().st_mtime_ns)
    for path in entries[:len(entries) - MAX_ENTRIES]:
        try:
            path.unlink()
        except OSError:
            pass


def _sqlite_location(db: str | None):
    """The store's location when it is a SQLite file, else None."""
    from casekb.store import locate

    try:
        location = locate(db)
    except StoreError:
        return None
    return location if location.is_sqlite else None
