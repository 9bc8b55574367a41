"""Raw SQL on a PostgreSQL store, read-only in depth whatever role the URL names.

casekb/sql/access.py's `run_sql` checks the text first (casekb/sql/text.py); then, here:
1. functions: a statement that names a function acting outside the statement (a lock that
   outlives it, signalling other sessions, changing settings such as the role, running SQL
   given as text, the server's files and logs: DENIED), or a volatile function of an
   extension, is refused before it runs. The names are looked for in the whole text, quoted
   text and comments included, whatever their case, quoting or schema, so no spelling hides
   a call (only `U&"..."`, a name written with escapes, could; it is refused);
2. the role: the statement runs as the store's reader role, which may only read the store
   (casekb/store/reader.py); the server refuses the rest itself: reading files, signalling
   other sessions, pg_authid...;
3. the transaction: READ ONLY, with the time left as its `statement_timeout`, always rolled
   back, which also undoes the role and every setting.

Rows are read through a cursor on the server, a batch at a time, the statement wrapped so
that the server counts the bytes of the rows it sends and sends no values past
MAX_RESULT_BYTES: memory stays flat even for a row of a gigabyte. A cancelled statement is
SQLInterrupted when casekb itself cancelled it (`KB.interrupt`), a timeout when the time limit
was reached, otherwise SQLCancelled (an administrator or the server stopped it).
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from casekb.errors import StoreError, span_at
from casekb.sql.limits import (
    MAX_RESULT_BYTES,
    Deadline,
    Rows,
    SQLCancelled,
    SQLInterrupted,
    SQLResult,
    SQLTimeout,
)
from casekb.sql.text import POSTGRESQL, WRITE_HINT, SQLError, driver_text, first_word
from casekb.store.reader import enter_reader

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# Functions that act outside the statement, by what they do. Most need rights the reader
# role does not have anyway; the first four kinds do not, and a superuser's session could
# otherwise let a statement switch back to it (set_config('role', ...)).
DENIED = {
    "takes a lock that outlives the statement": r"pg_(?:try_)?advisory_\w+",
    "changes the session's settings, the role among them": r"set_config",
    "runs SQL written as text, which casekb cannot check":
        r"query_to_xml\w*|cursor_to_xml\w*|ts_stat|dblink\w*",
    "signals other sessions": r"pg_cancel_backend|pg_terminate_backend",
    "acts on the server, its files or its logs":
        r"pg_reload_conf|pg_rotate_logfile\w*|pg_switch_wal|pg_create_restore_point|"
        r"pg_promote|pg_wal_replay_\w+|pg_backup_\w+|pg_start_backup|pg_stop_backup|"
        r"pg_read_file\w*|pg_read_binary_file|pg_ls_\w+|pg_stat_file|pg_file_\w+|"
        r"pg_\w*replication_\w+|pg_logical_\w+|pg_stat_reset\w*|pg_log_backend_\w+|"
        r"pg_import_system_collations|lo_\w+|loread|lowrite",
}
# A name is a whole word: nothing that continues a name may touch it on either side.
# (Before it, digits and `$` are allowed: refusing `x1set_config` too is harmless.)
_BEFORE, _AFTER = r"(?<![A-Za-z_\u0080-\U0010ffff])", r"(?![A-Za-z0-9_$\u0080-\U0010ffff])"
_DENIED_WORDS = re.compile(
    _BEFORE + "(?:" + "|".join(f"(?P<k{index}>{pattern})"
                             for index, pattern in enumerate(DENIED.values())) + ")" + _AFTER,
    re.IGNORECASE)
_ESCAPED_NAME = re.compile(r'[uU]&"')
# Rows fetched from the server at a time: a few at first, more and more up to FETCH_ROWS.
# The server keeps their bytes in bounds, but makes every row of a batch, even those past the
# limit: large rows must not come by the hundred.
FIRST_FETCH_ROWS, FETCH_ROWS = 10, 1000
# The statement as the server runs it: each row with the running total of its text's bytes,
# values and total left out (NULL) past the limit.
_WRAPPED = ("SELECT {values}, CASE WHEN w.casekb_size <= {limit} THEN w.casekb_size END FROM ("
            "SELECT q.*, sum(octet_length(q::text)) OVER (ROWS UNBOUNDED PRECEDING) "
            "AS casekb_size FROM (\n{statement}\n) AS q({columns})) AS w")


def run_on_postgresql(sql: str, engine: Engine, *, cap: int | None, deadline: Deadline,
                      params: Mapping[str, Any]) -> SQLResult:
    """One statement (checked by casekb/sql/text.py), run as described in the module
    docstring; `params` are bound by the server."""
    import psycopg
    from sqlalchemy.exc import DBAPIError

    from casekb.store import postgres

    check_functions(sql)
    try:
        raw = engine.raw_connection()
    except DBAPIError as error:
        raise postgres.server_error(error, postgres.location_of(engine)) from None
    try:
        connection = raw.driver_connection
        connection.rollback()  # start clean, whatever the pool handed over
        try:
            with connection.cursor() as cursor:
                _begin(cursor, deadline)
                check_functions(sql, _extension_functions(cursor))
                return _fetch(cursor, sql, params, cap=cap, deadline=deadline)
        except (psycopg.Error, UnicodeDecodeError) as error:
            raise _error(error, sql, deadline) from None
        finally:
            try:
                connection.rollback()
            except psycopg.Error:
                raw.invalidate()  # the connection broke: the pool must not hand it out again
    finally:
        raw.close()


def check_functions(sql: str, extension_functions: Iterable[str] = ()) -> None:
    """SQLError, pointing at the name, when `sql` names a function casekb sql does not run
    (DENIED, or one of `extension_functions`) or a name written with escapes."""
    escaped = _ESCAPED_NAME.search(sql)
    if escaped is not None:
        raise SQLError("casekb sql does not accept names written with Unicode escapes "
                       "(U&\"...\")", query=sql, span=span_at(sql, escaped.start(), 3),
                       hints=["write the name itself"])
    found = _DENIED_WORDS.search(sql)
    reason = None
    if found is not None:
        reason = list(DENIED)[int(found.lastgroup[1:])]
    elif extension_functions:
        words = re.compile(_BEFORE + "(?:" + "|".join(
            re.escape(name) for name in sorted(extension_functions, key=len, reverse=True))
            + ")" + _AFTER, re.IGNORECASE)
        found = words.search(sql)
        reason = "is an extension's function that may change things"
    if found is None:
        return
    raise SQLError(f"casekb sql does not run {found.group()}(): it {reason}", query=sql,
                   span=span_at(sql, found.start(), len(found.group())),
                   hints=["casekb sql runs functions that only read (docs/postgres.md, "
                          "\"Reading safely\"); the name is refused even in quoted text"])


def _begin(cursor: Any, deadline: Deadline) -> None:
    """Open the statement's transaction: read-only, its time limit, strings whose backslashes
    are plain characters (as casekb/sql/text.py reads them), as the reader role."""
    cursor.execute(
        "SELECT set_config('transaction_read_only', 'on', true), "
        "set_config('standard_conforming_strings', 'on', true), "
        "set_config('statement_timeout', %s, true), current_schema(), current_user",
        (_milliseconds(deadline),))
    *_, schema, user = cursor.fetchone()
    if schema is None:
        raise StoreError("the store's schema is gone (dropped since it was opened)",
                         hints=["build it again: casekb build"])
    enter_reader(cursor, schema, user)


def _extension_functions(cursor: Any) -> list[str]:
    """Names of the volatile functions of extensions (not PostgreSQL's own, whose objects
    are numbered below 16384) that the reader role may run."""
    cursor.execute("SELECT coalesce(array_agg(DISTINCT p.proname::text), '{}') FROM pg_proc p "
                   "WHERE p.oid >= 16384 AND p.provolatile = 'v' "
                   "AND has_function_privilege(p.oid, 'EXECUTE')")
    return cursor.fetchone()[0]


def _fetch(cursor: Any, sql: str, params: Mapping[str, Any], *, cap: int | None,
           deadline: Deadline) -> SQLResult:
    """Run the statement and read its rows into a result, within the limits."""
    statement = driver_text(sql)
    rows = Rows(cap, deadline, _plain, query=sql)
    if first_word(sql, POSTGRESQL) == "explain":
        # A plan is a few lines, and EXPLAIN cannot be read through a cursor.
        cursor.execute(statement, params)
        names = [column.name for column in cursor.description or ()]
        for row in cursor.fetchall() if cursor.description else ():
            if not rows.add(row):
                break
        return rows.result(names)
    # Declaring a cursor plans the statement without running it: its columns, to wrap it.
    cursor.execute(f"DECLARE casekb_probe NO SCROLL CURSOR FOR\n{statement}", params)
    cursor.execute("FETCH FORWARD 0 FROM casekb_probe; CLOSE casekb_probe")
    names = [column.name for column in cursor.description]
    if names:
        columns = ", ".join(f"c{index}" for index in range(1, len(names) + 1))
        values = ", ".join(f"CASE WHEN w.casekb_size <= {MAX_RESULT_BYTES} THEN w.c{index} END"
                           for index in range(1, len(names) + 1))
        statement = _WRAPPED.format(values=values, limit=MAX_RESULT_BYTES, columns=columns,
                                    statement=statement)
    cursor.execute(f"DECLARE casekb_rows NO SCROLL CURSOR FOR\n{statement}", params)
    batch_size = FIRST_FETCH_ROWS
    while True:
        wanted = batch_size if cap is None else min(batch_size, cap + 1 - len(rows.rows))
        batch_size = min(batch_size * 4, FETCH_ROWS)
        # Each FETCH runs the statement further: it gets the time that is left.
        cursor.execute(f"SET LOCAL statement_timeout = {_milliseconds(deadline)}; "
                       f"FETCH FORWARD {wanted} FROM casekb_rows")
        cursor.nextset()
        batch = cursor.fetchall()
        for row in batch:
            if names and row[-1] is None:  # the server left the values out: past the limit
                rows.over_size()
                return rows.result(names)
            if not rows.add(row[:-1] if names else row, size=row[-1] if names else None):
                return rows.result(names)
        if len(batch) < wanted:
            return rows.result(names)


def _milliseconds(deadline: Deadline) -> str:
    """The time left as a statement_timeout ("0": no limit); SQLTimeout when none is left."""
    remaining = deadline.remaining()
    if remaining is None:
        return "0"
    deadline.check()
    return str(max(1, int(remaining * 1000)))


def _error(error: Exception, sql: str, deadline: Deadline) -> Exception:
    """The error to raise for what the server or the driver reported."""
    import psycopg

    if isinstance(error, UnicodeDecodeError):
        return SQLError("the result holds text that is not UTF-8 (the database's encoding "
                        "is not UTF-8?)", query=sql,
                        hints=["show such a value as bytes: convert_to(value, 'UTF8')"])
    state = getattr(error, "sqlstate", None)
    message = (getattr(getattr(error, "diag", None), "message_primary", None)
               or str(error).splitlines()[0])
    if state == "57014":  # query_canceled: our statement_timeout, or a cancel request
        if deadline.interrupted:  # casekb's own cancel request: KB.interrupt()
            return SQLInterrupted(deadline.elapsed(), query=sql)
        # The server's timer starts after the time left was measured, so a timeout always
        # comes at or after the deadline; anything earlier was someone else's doing.
        if deadline.at is not None and time.monotonic() >= deadline.at - 0.01:
            return SQLTimeout(deadline.seconds or 0, query=sql)
        return SQLCancelled(deadline.elapsed(), query=sql, detail=message)
    if state == "0A000" and "data-modifying" in message:
        # A WITH that writes cannot even be declared as a cursor: PostgreSQL's words name the
        # cursor casekb declares, which the user never wrote.
        return SQLError("casekb sql only reads: a WITH that changes data (INSERT, UPDATE or "
                        "DELETE inside WITH) is not allowed", query=sql, hints=[WRITE_HINT])
    if state == "25006":  # read_only_sql_transaction
        return SQLError(f"casekb sql only reads: {message}", query=sql, hints=[WRITE_HINT])
    if state == "42501":  # insufficient_privilege: the reader role may not
        return SQLError(f"casekb sql only reads the store: {message}", query=sql, hints=[
            f"casekb sql runs SQL as the store's reader role, which may read the store's "
            f"tables and views and what PostgreSQL shows every user; {WRITE_HINT}"])
    if isinstance(error, psycopg.OperationalError) and state is None:
        return StoreError(f"the PostgreSQL server stopped answering: {message}")
    hints = []
    if state == "42P01":  # undefined_table
        hints = ["casekb schema lists the tables and the views (v_charges, v_evidence, ...)"]
    elif state in ("22021", "22P05"):  # bytes that are not text in the database's encoding
        hints = ["the SQL made text of bytes that are not UTF-8; show them as bytes instead "
                 "(encode(value, 'hex'))"]
    return SQLError(f"PostgreSQL: {message}", query=sql, hints=hints)


def _plain(value: Any) -> Any:
    """PostgreSQL's values as the plain values SQLite gives: numbers, text, NULL."""
    if value is None or value.__class__ in (str, int, float, bool):
        return value
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
