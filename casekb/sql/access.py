"""Raw SQL on the store, read-only in depth, for `casekb sql`, the REPL's `.sql` and reports.

`run_sql(sql, store)` answers one SQL statement with the same QueryResult the query language
gives (casekb/execute.py), so every output format works; its columns are untyped and its
values are SQL's own (text, numbers, NULL; a blob as x'hex' text).

Nothing a statement says can change the store. Each fence alone would stop a write; together
they also give a clear message naming what was refused:
1. the text (casekb/sql/text.py): one statement only, beginning with SELECT, WITH, EXPLAIN or
   VALUES, of characters a database accepts, with exactly the parameters given;
2. the connection: SQLite is opened with `mode=ro`, and `PRAGMA query_only = 1` is set;
3. SQLite's authorizer, consulted for every table, column, function and pragma when the
   statement is prepared: only reading is allowed (a CTE that writes, `load_extension()`,
   ATTACH, pragmas that set something are refused however they are spelled).
On PostgreSQL the text fence is followed by a check of the functions the statement names, the
store's reader role and a read-only transaction that is always rolled back:
casekb/sql/postgres.py.

Limits (casekb/sql/limits.py): one deadline for the whole run (SQLite's progress handler
checks the clock while the statement runs, and every fetched row checks it too), a row cap
and a cap on the bytes of all values, each saying so when it cut the result. Rows are
fetched as they come, so memory stays flat.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casekb.arguments import row_cap, text_of
from casekb.errors import StoreError
from casekb.store.location import StoreLocation, locate
from casekb.store.sqlite import says_damaged
from casekb.sql.limits import (
    MAX_RESULT_BYTES,
    Deadline,
    Rows,
    SQLCancelled,
    SQLInterrupted,
    SQLResult,
    SQLTimeout,
)
from casekb.sql.text import (
    POSTGRESQL,
    READ_PRAGMAS,
    SQLITE,
    WRITE_HINT,
    SQLError,
    SQLParameterError,
    check_parameters,
    check_statement,
    check_text,
    sql_parameters,
    sql_tokens,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# What callers of raw SQL use, in one place (the text checks and the limits have modules of
# their own).
__all__ = [
    "DEFAULT_CAP", "DEFAULT_TIMEOUT", "MAX_RESULT_BYTES", "Deadline", "SQLCancelled", "SQLError",
    "SQLInterrupted", "SQLParameterError", "SQLResult", "SQLTimeout", "check_parameters", "check_statement",
    "run_sql", "sql_parameters", "sql_tokens",
]

DEFAULT_CAP = 1000
DEFAULT_TIMEOUT = 10.0  # seconds
# How many SQLite virtual-machine steps run between two looks at the clock: often enough to
# stop within milliseconds, rarely enough to cost nothing measurable.
PROGRESS_STEPS = 2000
# Functions a read-only statement has no business calling.
DENIED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer", "readfile", "writefile",
                              "edit"})
# The largest text or blob one value may have (SQLite allows a billion bytes): a statement
# like `SELECT zeroblob(1e9)` fails with "string or blob too big" instead of eating memory.
# A value longer than a whole result may be could never be shown anyway.
MAX_VALUE_BYTES = MAX_RESULT_BYTES


def run_sql(sql: str, store: Engine | StoreLocation | str | None, *,
            cap: int | None = DEFAULT_CAP, timeout: float | None = DEFAULT_TIMEOUT,
            params: Mapping[str, Any] | None = None,
            deadline: Deadline | None = None) -> SQLResult:
    """Run one read-only SQL statement and return its rows (at most `cap`; None: all; and
    at most MAX_RESULT_BYTES of values).

    `store` is an Engine, a store already located, or a `--db` string (a path or URL; None:
    $CASEKB_DB or the default store). `timeout` is in seconds (None or 0: no limit), counted
    from now unless `deadline` gives the run's own (the command's, which began earlier).
    `params` binds named parameters (`:name` or `$name` in the SQL, on SQLite `@name` too),
    exactly those the SQL uses (SQLParameterError otherwise). Raises SQLError for SQL that
    is refused or fails, SQLTimeout when the limit is passed (SQLCancelled when the server
    stopped it first), SQLInterrupted when `deadline.interrupt()` was called (`KB.interrupt`),
    StoreError when the store cannot be read. A KeyboardInterrupt during the statement stops
    it and is re-raised. A `cap` or `timeout` of another type or a negative one is a
    TypeError or ValueError (casekb/arguments.py).
    """
    sql, cap = text_of(sql, "the SQL"), row_cap(cap)
    deadline = deadline or Deadline(timeout)
    check_text(sql)
    store = _located(store)
    dialect = _dialect(store)
    statement = check_statement(sql, dialect)
    # On PostgreSQL `@` and `?` are operators, not parameters.
    check_parameters(statement, params or {}, marks=":$@?" if dialect == SQLITE else ":$",
                     dialect=dialect)
    engine, owned = _engine(store)
    try:
        if engine.dialect.name == SQLITE:
            return _run_on_sqlite(statement, engine, cap=cap, deadline=deadline, params=params)
        if engine.dialect.name == POSTGRESQL:
            from casekb.sql.postgres import run_on_postgresql

            return run_on_postgresql(statement, engine, cap=cap, deadline=deadline,
                                     params=params or {})
        raise StoreError(f"casekb sql does not support {engine.dialect.name} databases")
    finally:
        if owned:
            engine.dispose()


# -- Running on SQLite: fences 2 and 3, the time limit and the cap ------------------------

_ACTION_WORDS = {
    sqlite3.SQLITE_INSERT: "inserting into {0}",
    sqlite3.SQLITE_UPDATE: "updating {0}",
    sqlite3.SQLITE_DELETE: "deleting from {0}",
    sqlite3.SQLITE_ATTACH: "attaching a database",
    sqlite3.SQLITE_DETACH: "detaching a database",
    sqlite3.SQLITE_PRAGMA: "the pragma {0}",
    sqlite3.SQLITE_TRANSACTION: "transaction control",
    sqlite3.SQLITE_SAVEPOINT: "savepoints",
    sqlite3.SQLITE_ANALYZE: "ANALYZE",
    sqlite3.SQLITE_REINDEX: "REINDEX",
    sqlite3.SQLITE_ALTER_TABLE: "altering a table",
}


class _Guard:
    """The authorizer and progress handler of one statement, and what they stopped."""

    def __init__(self, deadline: Deadline):
        self.deadline = deadline
        self.refused: str | None = None
        self.timed_out = False

    def authorize(self, action: int, arg1: str | None, arg2: str | None, _db: str | None,
                  _trigger: str | None) -> int:
        if action in (sqlite3.SQLITE_SELECT, sqlite3.SQLITE_READ, sqlite3.SQLITE_RECURSIVE):
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_FUNCTION:
            if (arg2 or "").lower() in DENIED_FUNCTIONS:
                self.refused = f"the function {arg2}()"
                return sqlite3.SQLITE_DENY
            return sqlite3.SQLITE_OK
        if action == sqlite3.SQLITE_PRAGMA and (arg1 or "").lower() in READ_PRAGMAS:
            return sqlite3.SQLITE_OK
        if (arg1 or "").lower() in ("sqlite_master", "sqlite_schema", "sqlite_temp_master"):
            self.refused = "changing the schema"
        else:
            words = _ACTION_WORDS.get(action, "changing the schema ({0})")
            self.refused = words.format(arg1 or "")
        return sqlite3.SQLITE_DENY

    def tick(self) -> int:
        """Called by SQLite as the statement runs; a non-zero return stops it.

        Ctrl-C while SQLite is busy raises KeyboardInterrupt inside this callback (Python
        runs signal handlers when it next runs Python code); sqlite3 then stops the statement
        with "interrupted" and drops the exception, so `error` turns it back into one.
        `KB.interrupt()` from another thread is seen here too, on the deadline.
        """
        if self.deadline.interrupted:
            return 1
        if self.deadline.passed():
            self.timed_out = True
            return 1
        return 0

    def error(self, error: sqlite3.Error, sql: str) -> BaseException:
        """The error to raise for what SQLite reported."""
        if self.timed_out:
            return SQLTimeout(self.deadline.seconds or 0, query=sql)
        if self.deadline.interrupted:
            return SQLInterrupted(self.deadline.elapsed(), query=sql)
        if isinstance(error, sqlite3.OperationalError) and str(error) == "interrupted":
            return KeyboardInterrupt()
        if self.refused is not None:
            return SQLError(f"casekb sql only reads: {self.refused} is not allowed", query=sql,
                            hints=[WRITE_HINT])
        message = str(error)
        if "readonly" in message.lower() or "read-only" in message.lower():
            return SQLError(f"casekb sql only reads: {message}", query=sql, hints=[WRITE_HINT])
        if says_damaged(message):  # the store's bytes, not the SQL: say so, as every command does
            return StoreError(f"the store is damaged ({message})",
                              hints=["rebuild it: casekb build (with the --db it was built "
                                     "with)"])
        hints = []
        if message.startswith("no such table"):
            hints = ["casekb schema lists the tables and the views (v_charges, v_evidence, "
                     "...); a store built before the views existed needs a rebuild: "
                     "casekb build"]
        elif message == "string or blob too big":
            hints = [f"casekb sql allows values of at most {MAX_VALUE_BYTES // 2**20} MiB; "
                     f"ask for part of a value, e.g. substr(quote, 1, 1000)"]
        return SQLError(f"SQLite: {message}", query=sql, hints=hints)


def _run_on_sqlite(sql: str, engine: Engine, *, cap: int | None, deadline: Deadline,
                   params: Mapping[str, Any] | None) -> SQLResult:
    path = _sqlite_file(engine)
    if path is not None:
        from casekb.store.sqlite import sqlite_connect

        try:
            connection = sqlite_connect(path, readonly=True)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the store {path}: {error}") from None
        try:
            return _run_guarded(connection, sql, cap=cap, deadline=deadline, params=params)
        finally:
            connection.close()
    # An in-memory store (tests, a REPL on a scratch database): borrow the engine's own
    # connection, and give it back as it was.
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        (was,) = connection.execute("PRAGMA query_only").fetchone()
        try:
            return _run_guarded(connection, sql, cap=cap, deadline=deadline, params=params)
        finally:
            connection.execute(f"PRAGMA query_only = {int(bool(was))}")
    finally:
        raw.close()


def _run_guarded(connection: sqlite3.Connection, sql: str, *, cap: int | None,
                 deadline: Deadline, params: Mapping[str, Any] | None) -> SQLResult:
    guard = _Guard(deadline)
    connection.execute("PRAGMA query_only = 1")
    if "pragma_" in sql.lower():
        _declare_pragma_tables(connection)
    connection.set_authorizer(guard.authorize)
    connection.set_progress_handler(guard.tick, PROGRESS_STEPS)
    length_limit = connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    rows = Rows(cap, deadline, _plain, query=sql)
    try:
        cursor = connection.execute(sql, dict(params) if params else ())
        names = [column[0] for column in cursor.description or ()]
        # Row by row, as SQLite makes them: the guard stays on while they are fetched.
        for row in iter(cursor.fetchone, None):
            if not rows.add(row):
                break
        cursor.close()
    except sqlite3.Error as error:
        raise guard.error(error, sql) from None
    finally:
        connection.set_progress_handler(None, 0)
        connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, length_limit)
        connection.set_authorizer(None)
    return rows.result(names)


def _declare_pragma_tables(connection: sqlite3.Connection) -> None:
    """Set up the read-only pragma tables before the authorizer is installed: SQLite declares
    such a table on its first use in a connection with what the authorizer sees as an
    update of sqlite_master, which must stay refused for everything else."""
    for name in sorted(READ_PRAGMAS):  # our own constants, never user text
        try:
            connection.execute(f"SELECT * FROM pragma_{name} WHERE 0").fetchall()
        except sqlite3.Error:
            pass  # a pragma this SQLite lacks is simply not available


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return "x'" + value.hex() + "'"
    return value


# -- The store ----------------------------------------------------------------------------

def _located(store: Engine | StoreLocation | str | None) -> Engine | StoreLocation:
    """The engine, or where the store is (located once, here, when `store` is a `--db`)."""
    if store is None or isinstance(store, str):
        return locate(store)
    return store


def _dialect(store: Engine | StoreLocation) -> str:
    """The dialect of the store, to read the SQL's text by its rules before opening it."""
    if isinstance(store, StoreLocation):
        return SQLITE if store.is_sqlite else POSTGRESQL
    return store.dialect.name


def _engine(store: Engine | StoreLocation) -> tuple[Engine, bool]:
    """(engine, whether this module opened it and must dispose of it)."""
    if isinstance(store, StoreLocation):
        from casekb.store.open import open_location

        return open_location(store), True
    return store, False


def _sqlite_file(engine: Engine) -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)
