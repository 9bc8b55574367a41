"""Raw SQL on the store, read-only in depth, for `casekb sql`, the REPL's `.sql` and reports.

`run_sql(sql, store)` answers one SQL statement with the same QueryResult the query language
gives (casekb/execute.py), so every output format works; its columns are untyped and its
values are SQL's own (text, numbers, NULL; a blob as x'hex' text).

Nothing a statement says can change the store. Each fence alone would stop a write; together
they also give a clear message naming what was refused:
1. the text: one statement only (a `;` may end it), and it must begin with SELECT, WITH,
   EXPLAIN or VALUES;
2. the connection: SQLite is opened with `mode=ro`, and `PRAGMA query_only = 1` is set;
3. SQLite's authorizer, consulted for every table, column, function and pragma when the
   statement is prepared: only reading is allowed (a CTE that writes, `load_extension()`,
   ATTACH, pragmas that set something are refused however they are spelled).

A time limit (SQLite's progress handler checks the clock while the statement runs) stops a
runaway query with a message naming `--timeout`; a row cap keeps at most `cap` rows and says
when more matched. On PostgreSQL the same contract is kept with fence 1, read-only sessions
(casekb/pg.py) and a `BEGIN READ ONLY` transaction per statement with a local
`statement_timeout`, always rolled back: see `_run_on_postgresql`.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casekb.errors import EXIT_USAGE, QueryError, StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from casekb.execute.results import QueryResult

DEFAULT_CAP = 1000
DEFAULT_TIMEOUT = 10.0  # seconds
ALLOWED_FIRST_WORDS = ("select", "with", "explain", "values")
# How many SQLite virtual-machine steps run between two looks at the clock: often enough to
# stop within milliseconds, rarely enough to cost nothing measurable.
PROGRESS_STEPS = 2000
# Functions a read-only statement has no business calling.
DENIED_FUNCTIONS = frozenset({"load_extension", "fts3_tokenizer", "readfile", "writefile",
                              "edit"})
# Pragmas that only report something (whatever their argument), allowed as table-valued
# functions: `SELECT * FROM pragma_table_info('charges')`.
READ_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "collation_list", "function_list", "module_list", "pragma_list",
    "compile_options", "database_list",
})
SETTING_NAME = "--timeout"
# The largest text or blob one value may have (SQLite allows a billion bytes): a statement
# like `SELECT zeroblob(1e9)` fails with "string or blob too big" instead of eating memory.
MAX_VALUE_BYTES = 50_000_000


class SQLError(QueryError):
    """Raw SQL that casekb refuses (a write, several statements) or that SQLite rejects.

    `message` says what is wrong in the user's words; SQLite's own message is kept in it.
    """


class SQLParameterError(SQLError):
    """A parameter the SQL uses was not given, or one given is not used (a usage error, as
    for reports). `hints` say how to give a value with `--param`; the shell puts its own."""

    exit_code = EXIT_USAGE


class SQLTimeout(SQLError):
    """A statement ran past its time limit and was stopped; `seconds` is the limit."""

    def __init__(self, seconds: float, *, query: str = "", setting: str = SETTING_NAME):
        shown = f"{seconds:g} s"
        super().__init__(
            f"the SQL ran longer than the time limit of {shown} and was stopped",
            query=query,
            hints=[f"raise the limit with {setting} SECONDS ({setting} 0 for no limit), or "
                   f"ask for less (a WHERE clause, a LIMIT)"])
        self.seconds = seconds


def run_sql(sql: str, store: "Engine | str | Callable[[], Engine] | None", *,
            cap: int | None = DEFAULT_CAP, timeout: float | None = DEFAULT_TIMEOUT,
            params: Mapping[str, Any] | None = None) -> "QueryResult":
    """Run one read-only SQL statement and return its rows (at most `cap`; None: all).

    `store` is an Engine, a function returning one, or a `--db` string (a path or URL; None:
    $CASEKB_DB or the default store). `timeout` is in seconds (None or 0: no limit).
    `params` binds named parameters (`:name` or `$name` in the SQL, on SQLite `@name` too),
    exactly those the SQL uses (SQLParameterError otherwise). Raises SQLError for SQL that
    is refused or fails, SQLTimeout when the limit is passed, StoreError when the store
    cannot be read. A KeyboardInterrupt during the statement stops it and is re-raised.
    """
    statement = check_statement(sql)
    engine, owned = _engine(store)
    try:
        # On PostgreSQL `@` and `?` are operators, not parameters.
        check_parameters(statement, params or {},
                         marks=":$@?" if engine.dialect.name == "sqlite" else ":$")
        if engine.dialect.name == "sqlite":
            return _run_on_sqlite(statement, engine, cap=cap, timeout=timeout, params=params)
        if engine.dialect.name == "postgresql":
            return _run_on_postgresql(statement, engine, cap=cap, timeout=timeout, params=params)
        raise StoreError(f"casekb sql does not support {engine.dialect.name} databases")
    finally:
        if owned:
            engine.dispose()


# -- Fence 1: the text --------------------------------------------------------------------

_WRITE_HINT = ("the store is never edited: change the curated files and rebuild it with "
               "casekb build")
_WRITE_WORDS = frozenset({"insert", "update", "delete", "replace", "upsert", "create", "drop",
                          "alter", "vacuum", "reindex", "analyze"})
_REFUSED_HINTS = {
    "pragma": "to read a table's columns: SELECT * FROM pragma_table_info('charges')",
    "attach": "casekb sql reads the store it was given; export a copy with casekb export",
    "begin": "each statement runs on its own, read-only; transactions are not needed",
}


def check_statement(sql: str) -> str:
    """The single statement in `sql` (without a final `;`), or SQLError saying why not.

    The text is read as SQL tokens, knowing its quoting ('text', "name", `name`, [name]) and
    comments (-- and /* */), so a `;` or a word inside them counts for nothing.
    """
    tokens = list(sql_tokens(sql))
    words = [(text, start) for kind, text, start in tokens if kind != "punctuation"]
    if not words:
        raise SQLError("no SQL was given", query=sql,
                       hints=["for example: casekb sql 'SELECT * FROM v_charges'"])
    ends = [start for kind, text, start in tokens if kind == "punctuation" and text == ";"]
    end = ends[0] if ends else None
    if end is not None and any(start > end for _, _, start in tokens):
        raise SQLError("only one SQL statement can be run at a time; remove everything after "
                       "the first `;`", query=sql)
    first_word = tokens[0][1]
    if first_word.lower() not in ALLOWED_FIRST_WORDS:
        hint = _REFUSED_HINTS.get(first_word.lower())
        if hint is None and first_word.lower() in _WRITE_WORDS:
            hint = _WRITE_HINT
        if hint is None:
            import difflib

            close = difflib.get_close_matches(first_word.lower(), ALLOWED_FIRST_WORDS, n=1)
            hint = f"did you mean {close[0].upper()}?" if close else None
        raise SQLError(f"casekb sql only reads: a statement beginning with {first_word.upper()} "
                       f"is not allowed; begin with SELECT, WITH, EXPLAIN or VALUES",
                       query=sql, hints=[hint] if hint else [])
    for kind, text, _ in tokens:
        name = text[len("pragma_"):].lower() if kind == "word" else ""
        if text.lower().startswith("pragma_") and name not in READ_PRAGMAS:
            raise SQLError(f"casekb sql only reads: the pragma {name} is not allowed",
                           query=sql, hints=["allowed: " + ", ".join(
                               f"pragma_{p}" for p in sorted(READ_PRAGMAS))])
    return sql[:end] if end is not None else sql


def sql_parameters(sql: str, marks: str = ":$@?") -> dict[str, str]:
    """The named parameters a statement uses, each with its spelling (`:name`, `$name` or
    `@name`), in order of first use; `?` (a parameter by position) is listed as "?". Only
    the `marks` given count. Quoted text and comments hold none, nor does PostgreSQL's
    `x::type` or `$tag$`."""
    tokens = list(sql_tokens(sql))
    found: dict[str, str] = {}
    for index, (kind, text, start) in enumerate(tokens):
        if kind != "punctuation" or text not in marks:
            continue
        if text == "?":
            found.setdefault("?", "?")
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is None or following[0] != "word" or following[2] != start + 1:
            continue
        before = tokens[index - 1] if index else None
        if text == ":" and before is not None and before[1] == ":" and before[2] == start - 1:
            continue  # x::text
        name = following[1]
        if text == "$" and (name[0].isdigit() or sql.startswith("$", start + 1 + len(name))):
            continue  # PostgreSQL's $1 and $tag$
        found.setdefault(name, text + name)
    return found


def check_parameters(sql: str, params: Mapping[str, Any], marks: str = ":$@?") -> None:
    """SQLParameterError unless `params` gives exactly the named parameters `sql` uses."""
    used = sql_parameters(sql, marks)
    if "?" in used:
        raise SQLParameterError("a parameter by position (`?`) cannot be given a value; name "
                                "it instead, e.g. :defendant", query=sql,
                                hints=["then give it with --param defendant=VALUE"])
    missing = [name for name in used if name not in params]
    if missing:
        words = ", ".join(used[name] for name in missing)
        raise SQLParameterError(
            f"the SQL uses the parameter{'s' if len(missing) > 1 else ''} {words} but no "
            f"value was given", query=sql,
            hints=["give " + ("them" if len(missing) > 1 else "it") + " with "
                   + " ".join(f"--param {name}=VALUE" for name in missing)])
    unused = [name for name in params if name not in used]
    if unused:
        import difflib

        close = difflib.get_close_matches(unused[0], list(used), n=1)
        hints = [f"did you mean {close[0]}?"] if close else []
        hints.append("the SQL's parameters: " + (", ".join(used.values()) if used
                                                 else "none (write :name where a value goes)"))
        raise SQLParameterError(f"the SQL has no parameter {unused[0]}", query=sql,
                                hints=hints)


def sql_tokens(sql: str):
    """The tokens of SQL text as (kind, text, offset): kind is "word", "quoted" or
    "punctuation"; white space and comments are skipped. Numbers count as words."""
    index, length = 0, len(sql)
    while index < length:
        char = sql[index]
        if char.isspace():
            index += 1
        elif sql.startswith("--", index):
            newline = sql.find("\n", index)
            index = length if newline < 0 else newline + 1
        elif sql.startswith("/*", index):
            close = sql.find("*/", index + 2)
            index = length if close < 0 else close + 2
        elif char in "'\"`[":
            start, closer = index, "]" if char == "[" else char
            index += 1
            while index < length:
                if sql[index] == closer:
                    # A doubled quote ('it''s') stands for itself and continues the text.
                    if closer != "]" and sql.startswith(closer * 2, index):
                        index += 2
                        continue
                    break
                index += 1
            index += 1
            yield "quoted", sql[start:index], start
        elif char.isalnum() or char == "_":
            start = index
            while index < length and (sql[index].isalnum() or sql[index] == "_"):
                index += 1
            yield "word", sql[start:index], start
        else:
            yield "punctuation", char, index
            index += 1


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

    def __init__(self, timeout: float | None):
        self.timeout = timeout or None
        self.deadline = time.monotonic() + timeout if timeout else None
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
        """
        if self.deadline is not None and time.monotonic() > self.deadline:
            self.timed_out = True
            return 1
        return 0

    def error(self, error: sqlite3.Error, sql: str) -> BaseException:
        """The error to raise for what SQLite reported."""
        if self.timed_out:
            return SQLTimeout(self.timeout or 0, query=sql)
        if isinstance(error, sqlite3.OperationalError) and str(error) == "interrupted":
            return KeyboardInterrupt()
        if self.refused is not None:
            return SQLError(f"casekb sql only reads: {self.refused} is not allowed", query=sql,
                            hints=[_WRITE_HINT])
        message = str(error)
        if "readonly" in message.lower() or "read-only" in message.lower():
            return SQLError(f"casekb sql only reads: {message}", query=sql, hints=[_WRITE_HINT])
        hints = []
        if message.startswith("no such table"):
            hints = ["casekb schema lists the tables and the views (v_charges, v_evidence, "
                     "...); a store built before the views existed needs a rebuild: "
                     "casekb build"]
        return SQLError(f"SQLite: {message}", query=sql, hints=hints)


def _run_on_sqlite(sql: str, engine: "Engine", *, cap: int | None, timeout: float | None,
                   params: Mapping[str, Any] | None) -> "QueryResult":
    path = _sqlite_file(engine)
    if path is not None:
        from casekb.store import sqlite_connect

        try:
            connection = sqlite_connect(path, readonly=True)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open the store {path}: {error}") from None
        try:
            return _run_guarded(connection, sql, cap=cap, timeout=timeout, params=params)
        finally:
            connection.close()
    # An in-memory store (tests, a REPL on a scratch database): borrow the engine's own
    # connection, and give it back as it was.
    raw = engine.raw_connection()
    try:
        connection = raw.driver_connection
        (was,) = connection.execute("PRAGMA query_only").fetchone()
        try:
            return _run_guarded(connection, sql, cap=cap, timeout=timeout, params=params)
        finally:
            connection.execute(f"PRAGMA query_only = {int(bool(was))}")
    finally:
        raw.close()


def _run_guarded(connection: sqlite3.Connection, sql: str, *, cap: int | None,
                 timeout: float | None, params: Mapping[str, Any] | None) -> "QueryResult":
    from casekb.execute.results import QueryResult

    guard = _Guard(timeout)
    connection.execute("PRAGMA query_only = 1")
    if "pragma_" in sql.lower():
        _declare_pragma_tables(connection)
    connection.set_authorizer(guard.authorize)
    connection.set_progress_handler(guard.tick, PROGRESS_STEPS)
    length_limit = connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, MAX_VALUE_BYTES)
    try:
        cursor = connection.execute(sql, dict(params) if params else ())
        names = [column[0] for column in cursor.description or ()]
        rows = cursor.fetchall() if cap is None else cursor.fetchmany(cap + 1)
        cursor.close()
    except sqlite3.Error as error:
        raise guard.error(error, sql) from None
    finally:
        connection.set_progress_handler(None, 0)
        connection.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, length_limit)
        connection.set_authorizer(None)
    truncated = cap is not None and len(rows) > cap
    if truncated:
        rows = rows[:cap]
    return QueryResult(sql_columns(names), [tuple(_plain(v) for v in row) for row in rows],
                       truncated, cap)


def _declare_pragma_tables(connection: sqlite3.Connection) -> None:
    """Set up the read-only pragma tables before the authorizer is installed: SQLite declares
    such a table on its first use in a connection with what the authorizer sees as an
    update of sqlite_master, which must stay refused for everything else."""
    for name in sorted(READ_PRAGMAS):  # our own constants, never user text
        try:
            connection.execute(f"SELECT * FROM pragma_{name} WHERE 0").fetchall()
        except sqlite3.Error:
            pass  # a pragma this SQLite lacks is simply not available


def sql_columns(names: list[str]) -> tuple:
    """Output columns for raw SQL: named as SQL named them, untyped (shown as text)."""
    from casekb.plan.plan import Column

    return tuple(Column(name, "text", (name,)) for name in names)


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):
        return "x'" + value.hex() + "'"
    return value


# -- Running on PostgreSQL ----------------------------------------------------------------

def _run_on_postgresql(sql: str, engine: "Engine", *, cap: int | None, timeout: float | None,
                       params: Mapping[str, Any] | None) -> "QueryResult":
    """One statement in its own `BEGIN READ ONLY` transaction with `statement_timeout`, always
    rolled back (which also undoes any setting the statement made); casekb/pg.py's sessions
    are read-only by default besides. A cancelled statement becomes SQLTimeout, a write a
    refusal. The server's own privileges still apply: give readers a role that only reads."""
    from sqlalchemy.exc import DBAPIError

    from casekb import pg
    from casekb.execute.results import QueryResult

    if params:
        # `:name` and `$name` parameters, as on SQLite, become the driver's own through
        # SQLAlchemy.
        from sqlalchemy import text

        compiled = text(_colon_parameters(sql)).compile(dialect=engine.dialect)
        sql_text, values = str(compiled), compiled.construct_params(dict(params))
    else:
        sql_text, values = sql, None  # no parameters: `%` is only ever text
    try:
        raw = engine.raw_connection()
    except DBAPIError as error:
        raise pg.server_error(error, pg.location_of(engine)) from None
    try:
        connection = raw.driver_connection
        connection.rollback()  # start clean, whatever the pool handed over
        try:
            with connection.cursor() as cursor:
                cursor.execute("BEGIN READ ONLY")
                milliseconds = max(1, int(timeout * 1000)) if timeout else 0
                cursor.execute("SELECT set_config('statement_timeout', %s, true)",
                               (str(milliseconds),))
                cursor.execute(sql_text, values)
                names = [column.name for column in cursor.description or ()]
                if cursor.description is None:
                    rows = []
                else:
                    rows = cursor.fetchall() if cap is None else cursor.fetchmany(cap + 1)
        except Exception as error:
            raise _postgresql_error(error, sql, timeout) from None
        finally:
            connection.rollback()
    finally:
        raw.close()
    truncated = cap is not None and len(rows) > cap
    if truncated:
        rows = rows[:cap]
    return QueryResult(sql_columns(names), [tuple(_plain_pg(v) for v in row) for row in rows],
                       truncated, cap)


def _colon_parameters(sql: str) -> str:
    """`$name` parameters (SQLite's other spelling) written `:name`; quoted text and comments
    are left alone (PostgreSQL's own `$1` and `$tag$` are not names, so never parameters)."""
    if "$" not in sql:
        return sql
    tokens = list(sql_tokens(sql))
    out, last = [], 0
    for (kind, text, start), (next_kind, word, at) in zip(tokens, tokens[1:]):
        end = at + len(word)
        if (kind, text) == ("punctuation", "$") and next_kind == "word" and at == start + 1 \
                and not word[0].isdigit() and not sql.startswith("$", end):
            out += [sql[last:start], ":"]
            last = start + 1
    out.append(sql[last:])
    return "".join(out)


def _postgresql_error(error: Exception, sql: str, timeout: float | None) -> Exception:
    import psycopg

    if not isinstance(error, psycopg.Error):
        return error
    state = getattr(error, "sqlstate", None)
    message = (getattr(getattr(error, "diag", None), "message_primary", None)
               or str(error).splitlines()[0])
    if state == "57014":  # query_canceled: the statement timeout (or a cancel request)
        return SQLTimeout(timeout or 0, query=sql)
    if state == "25006":  # read_only_sql_transaction
        return SQLError(f"casekb sql only reads: {message}", query=sql, hints=[_WRITE_HINT])
    if isinstance(error, psycopg.OperationalError) and state is None:
        return StoreError(f"the PostgreSQL server stopped answering: {message}")
    hints = []
    if state == "42P01":  # undefined_table
        hints = ["casekb schema lists the tables and the views (v_charges, v_evidence, ...)"]
    return SQLError(f"PostgreSQL: {message}", query=sql, hints=hints)


def _plain_pg(value: Any) -> Any:
    """PostgreSQL's values as the plain values SQLite gives: numbers, text, NULL."""
    import datetime
    import decimal

    if isinstance(value, decimal.Decimal):
        return int(value) if value.is_finite() and value == value.to_integral_value() \
            else float(value)
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (bytes, memoryview)):
        return "x'" + bytes(value).hex() + "'"
    return value


# -- The store ----------------------------------------------------------------------------

def _engine(store: "Engine | str | Callable[[], Engine] | None") -> "tuple[Engine, bool]":
    """(engine, whether this module opened it and must dispose of it)."""
    if hasattr(store, "connect") and hasattr(store, "dialect"):
        return store, False  # type: ignore[return-value]
    if callable(store):
        return store(), False
    from casekb.store import open_store

    return open_store(store), True


def _sqlite_file(engine: "Engine") -> Path | None:
    database = engine.url.database
    if not database or database == ":memory:" or database.startswith("file::memory:"):
        return None
    return Path(database)
