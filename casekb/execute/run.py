"""Running a plan on a store's connection: check its names, bind its values, fetch, decode.

`answer(plan, query, connection, cap=...)` is the one way a question of the language is
answered, whatever asked it: the command line, the shell, a report, a profile or a program.
The connection is the driver's own (sqlite3 or psycopg): the plan's SQL was written for it by
SQLAlchemy (casekb/plan/planner.py) and runs as it is. The row cap is applied in SQL (the plan
fetches at most cap + 1 rows, so a cut is known without reading everything); with sources the
cap counts facts, not quotes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casekb.errors import StoreError, UnknownNameError
from casekb.execute.decode import decoded_result
from casekb.execute.results import QueryResult

if TYPE_CHECKING:
    from casekb.lang.resolve import ResolvedQuery
    from casekb.plan.plan import Plan

REBUILD_HINT = "if the store is damaged or old, rebuild it: casekb build"


def answer(plan: Plan, query: ResolvedQuery, connection: Any, *,
           cap: int | None) -> QueryResult:
    """The rows of `query` (of the plan's shape), at most `cap` of them (None: all), after
    checking that every name it tests names someone. Raises UnknownNameError or StoreError."""
    check_names(plan, query, connection)
    keys, rows = fetch(connection, plan.query.sql,
                       plan.query.bind(query.values, plan.dialect, cap))
    return decoded_result(plan.columns, keys, rows, cap, with_sources=plan.with_sources)


def check_names(plan: Plan, query: ResolvedQuery, connection: Any) -> None:
    """UnknownNameError, with the nearest names, when a name the query tests names nobody."""
    if plan.names is None:
        return
    _, rows = fetch(connection, plan.names.sql,
                    plan.names.bind(query.values, plan.dialect, None))
    unknown = [(query.values[slot], kind)
               for (slot, kind), known in zip(plan.name_slots, rows[0]) if not known]
    if not unknown:
        return
    from casekb.plan import names

    value, kind = unknown[0]
    hints = [names.suggestion(lambda statement: statement_rows(connection, plan.dialect,
                                                               statement), kind, value.value)]
    others = [f"“{other.value}”" for other, _ in unknown[1:]]
    if others:
        hints.append("nobody is called " + ", ".join(others) + " either")
    raise UnknownNameError(f"no {kind} called “{value.value}” in the store", span=value.span,
                           hints=hints)


def fetch(connection: Any, sql: str, parameters: dict[str, Any]) -> tuple[list[str], list[Any]]:
    """The labels and rows of one statement on a driver's connection; the driver's errors
    become StoreError (the SQL is casekb's own: a failure is the store's, not the query's)."""
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(sql, parameters)
            keys = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        finally:
            cursor.close()
    except UnicodeDecodeError as error:  # text that is not UTF-8: the file was damaged
        raise StoreError(f"the store could not answer the query: it holds text that is not "
                         f"UTF-8 ({error.reason})", hints=[REBUILD_HINT]) from None
    except Exception as error:
        if not _is_driver_error(error):
            raise
        raise StoreError(f"the store could not answer the query: {_first_line(error)}",
                         hints=[REBUILD_HINT]) from None
    return keys, rows


def statement_rows(connection: Any, dialect: str, statement: Any) -> list[Any]:
    """The rows of a SQLAlchemy Core statement that is not a query of the language (the
    suggestions for a misspelt name, `describe`'s examples), written by SQLAlchemy too."""
    from casekb.plan.planner import sql_of

    sql, parameters = sql_of(statement, dialect)
    return fetch(connection, sql, parameters)[1]


def _is_driver_error(error: Exception) -> bool:
    import sqlite3

    if isinstance(error, sqlite3.Error):
        return True
    module = type(error).__module__ or ""
    return module.startswith("psycopg")


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
