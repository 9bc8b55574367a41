"""Compiled queries kept on disk, so that a query asked again starts in a few milliseconds.

Compiling a query needs lark and SQLAlchemy, and importing those takes about 300 ms: more than
the whole run of `sqlite-utils query`. Yet a given query text always compiles to the same SQL.
So `casekb query` stores what it compiled (the SQL for SQLite, its positional parameters and
how to read each column) in a small file under `CASEKB_HOME/query-cache/` (the default store's
folder), and when the same text is asked again of a SQLite store it runs that SQL through the
standard library's sqlite3 alone, with the same checks of the store and the same decoding of
values (casekb.execute.row_decoder), so the answer is the same object the slow path gives.

The key covers everything the SQL depends on: the query text, the row cap, casekb's version
and the size and modification time of every module and grammar file that takes part in
compiling; an upgrade or an edited grammar is never served stale SQL. Only queries are cached,
not `with sources` (their rows are regrouped by SQLAlchemy row objects), `explain` or
`describe`. Anything unexpected on the fast path (a damaged store, an unreadable cache file)
falls back to the full path, which reports the problem in its usual words. Set
CASEKB_QUERY_CACHE=0 to turn the cache off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from casekb import __version__
from casekb.errors import StoreError

ENV_SWITCH = "CASEKB_QUERY_CACHE"
CACHE_FOLDER = "query-cache"
MAX_ENTRIES = 1000
ENTRY_FORMAT = 1


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
    the cache when this query was compiled before for a SQLite store, and remembered when not.
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
    from casekb.execute import run_query
    from casekb.lang.compiler import compile_query
    from casekb.lang.resolve import resolve

    compiled = compile_query(resolve(statement, text))
    result = run_query(open_store(), compiled, cap=cap)
    if not compiled.with_sources:
        remember(key, compiled, cap)
    return result


def cached_answer(key: str, db: str | None, cap: int | None):
    """The QueryResult of a cached query, or None (not cached, or not on this fast path)."""
    entry = _read_entry(key)
    if entry is None:
        return None
    location = _sqlite_location(db)
    if location is None:
        return None
    from casekb.execute import QueryResult, row_decoder
    from casekb.store import check_meta, check_sqlite_file, ensure_default_store, sqlite_connect

    try:
        if location.is_default:
            ensure_default_store(location.path)
        check_sqlite_file(location)
        connection = sqlite_connect(location.path, readonly=True)
        try:
            meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
            check_meta(meta, location)
            cursor = connection.execute(entry["sql"], entry["parameters"])
            keys = [description[0] for description in cursor.description]
            rows = cursor.fetchall()
        finally:
            connection.close()
    except (sqlite3.Error, StoreError, OSError):
        return None  # the full path opens the store again and says what is wrong
    columns = tuple(CachedColumn(c["name"], c["type"], tuple(c["labels"]), c["many"])
                    for c in entry["columns"])
    decode = row_decoder(columns, keys, separator=entry["separator"])
    values = [decode(row) for row in rows]
    truncated = cap is not None and len(values) > cap
    if truncated:
        values = values[:cap]
    return QueryResult(columns, values, truncated, cap, None)


def remember(key: str, compiled, cap: int | None) -> None:
    """Store the SQLite SQL of a compiled query under `key` (quietly skipped if impossible)."""
    from sqlalchemy.dialects import sqlite

    from casekb.lang.compiler import LIST_SEPARATOR

    dialect = sqlite.dialect()
    statement = compiled.statement(None if cap is None else cap + 1)
    sql = statement.compile(dialect=dialect, compile_kwargs={"render_postcompile": True})
    parameters = []
    for name in sql.positiontup or ():
        value = sql.params[name]
        process = sql.binds[name].type.bind_processor(dialect) if name in sql.binds else None
        parameters.append(_as_sqlite(process(value) if process else value))
    entry = {
        "format": ENTRY_FORMAT, "sql": str(sql), "parameters": parameters,
        "separator": LIST_SEPARATOR,
        "columns": [{"name": c.name, "type": str(c.type), "labels": list(c.labels),
                     "many": bool(c.many)} for c in compiled.columns],
    }
    try:
        data = json.dumps(entry, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # a parameter JSON cannot hold: not worth caching
    _write_entry(key, data)


def _as_sqlite(value):
    """A parameter as sqlite3 receives it: dates as ISO text, as its default adapters make
    them (and as the store holds them); other values as they are."""
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


# -- the key ---------------------------------------------------------------------------------

def _key(text: str, cap: int | None) -> str:
    material = json.dumps([ENTRY_FORMAT, __version__, _fingerprint(), text, cap])
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


def _fingerprint() -> list:
    """Size and modification time of the files that decide what a query compiles to."""
    package = Path(__file__).resolve().parent
    files = [package / "execute.py", package / "vocab.py", package / "models.py",
             package / "dates.py", package / "quantities.py"]
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


def _write_entry(key: str, data: str) -> None:
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
