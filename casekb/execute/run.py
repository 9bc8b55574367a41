"""Running a plan on a store's connection: check its names, bind its values, fetch, decode.

`answer(plan, query, connection, cap=...)` is the one way a question of the language is
answered, whatever asked it: the command line, the shell, a report, a profile or a program.
The connection is the driver's own (sqlite3 or psycopg): the plan's SQL was written for it by
SQLAlchemy (casekb/plan/planner.py) and runs as it is. The row cap is applied in SQL (the plan
fetches at most cap + 1 rows, so a cut is known without reading everything); with sources the
cap counts facts, not quotes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, NamedTuple

from casekb.errors import QuestionInterrupted, StoreError, UnknownNameError
from casekb.execute.decode import decoded_result
from casekb.execute.results import QueryResult

if TYPE_CHECKING:
    from casekb.lang.resolve import ResolvedQuery
    from casekb.plan.plan import Plan, Statement

REBUILD_HINT = "if the store is damaged or old, rebuild it: casekb build"


def answer(plan: Plan, query: ResolvedQuery, connection: Any, *,
           cap: int | None) -> QueryResult:
    """The rows of `query` (of the plan's shape), at most `cap` of them (None: all), after
    checking that every name it tests names someone. Raises UnknownNameError or StoreError."""
    known, result = run_plan(plan, bound_parameters(plan, query.given, cap), connection, cap)
    if result is None:
        raise unknown_name_error(plan, query, known, connection)
    return result


class Bound(NamedTuple):
    """The parameters of a plan's statements for one query (casekb.plan.cache.Asked has the
    same fields)."""

    parameters: dict[str, Any]
    names_parameters: dict[str, Any] | None
    matched_parameters: dict[str, Any] | None


def bound_parameters(plan: Plan, values: tuple, cap: int | None) -> Bound:
    """The parameters of the plan's query, of the check of its names and of the count of
    its rows, for a query whose values, by slot, are `values`."""
    def bound(statement: Statement | None) -> dict[str, Any] | None:
        return None if statement is None else statement.bind(values, plan.dialect, None)

    return Bound(plan.query.bind(values, plan.dialect, cap), bound(plan.names),
                 bound(plan.matched))


def run_plan(plan: Plan, bound: Any, connection: Any, cap: int | None
             ) -> tuple[list[bool], QueryResult | None]:
    """The check of the plan's names and its query, with the parameters `bound` gives
    (`parameters`, `names_parameters`, `matched_parameters`: a Bound or an Asked): for each
    (slot, kind) of `plan.name_slots` whether its name names someone, and the rows (None
    when a name names nobody). On PostgreSQL the two statements go in one round trip. When
    the cap cut the rows, the rows matched are counted."""
    check = plan.names
    known: list[bool] = []
    if check is None:
        keys, rows = fetch(connection, plan.query.sql, bound.parameters)
    elif can_pipeline(connection):
        (_, flags), (keys, rows) = fetch_pipelined(
            connection, [(check.sql, bound.names_parameters),
                         (plan.query.sql, bound.parameters)])
        known = [bool(found) for found in flags[0]]
    else:  # the check first: the query runs only when every name names someone
        _, flags = fetch(connection, check.sql, bound.names_parameters)
        known = [bool(found) for found in flags[0]]
        if all(known):
            keys, rows = fetch(connection, plan.query.sql, bound.parameters)
    if not all(known):
        return known, None
    result = decoded_result(plan.columns, keys, rows, cap, with_sources=plan.with_sources)
    if result.truncated and plan.matched is not None:
        _, counted = fetch(connection, plan.matched.sql, bound.matched_parameters)
        result.matched = int(counted[0][0])
    return known, result


def check_names(plan: Plan, query: ResolvedQuery, connection: Any) -> None:
    """UnknownNameError, with the nearest names, when a name the query tests names nobody."""
    check = plan.names
    if check is None:
        return
    _, rows = fetch(connection, check.sql, check.bind(query.given, plan.dialect, None))
    known = [bool(found) for found in rows[0]]
    if not all(known):
        raise unknown_name_error(plan, query, known, connection)


def unknown_name_error(plan: Plan, query: ResolvedQuery, known: list[bool],
                       connection: Any) -> UnknownNameError:
    """The error for the names found unknown (`known` as `run_plan` gives it), with the
    nearest names to the first."""
    from casekb.plan import names

    unknown = [(query.values[slot], kind)
               for (slot, kind), found in zip(plan.name_slots, known) if not found]
    value, kind = unknown[0]
    hints = [names.suggestion(lambda statement: statement_rows(connection, plan.dialect,
                                                               statement), kind, value.value)]
    others = [f"“{other.value}”" for other, _ in unknown[1:]]
    if others:
        hints.append("nobody is called " + ", ".join(others) + " either")
    return UnknownNameError(f"no {kind} called “{value.value}” in the store", span=value.span,
                            hints=hints)


def can_pipeline(connection: Any) -> bool:
    """Whether the connection can send several statements in one round trip: psycopg's
    pipeline mode, which needs libpq 14 or later (a build against an older libpq has it
    not)."""
    if not hasattr(connection, "pipeline"):
        return False
    import psycopg

    return psycopg.Pipeline.is_supported()


def fetch_pipelined(connection: Any, statements: list[tuple[str, dict[str, Any]]]
                    ) -> list[tuple[list[str], list[Any]]]:
    """The labels and rows of each statement, sent together in one round trip (psycopg's
    pipeline mode; see `can_pipeline`), then read in turn."""
    with _driver_errors():
        cursors = []
        try:
            with connection.pipeline():
                for sql, parameters in statements:
                    cursor = connection.cursor()
                    cursors.append(cursor)
                    cursor.execute(sql, parameters)
            return [([column[0] for column in cursor.description], cursor.fetchall())
                    for cursor in cursors]
        finally:
            for cursor in cursors:
                cursor.close()


def fetch(connection: Any, sql: str, parameters: dict[str, Any]) -> tuple[list[str], list[Any]]:
    """The labels and rows of one statement on a driver's connection; the driver's errors
    become StoreError (the SQL is casekb's own: a failure is the store's, not the query's)."""
    with _driver_errors():
        cursor = connection.cursor()
        try:
            cursor.execute(sql, parameters)
            keys = [column[0] for column in cursor.description]
            rows = cursor.fetchall()
        finally:
            cursor.close()
    return keys, rows


@contextmanager
def _driver_errors() -> Iterator[None]:
    try:
        yield
    except UnicodeDecodeError as error:  # text that is not UTF-8: the file was damaged
        raise StoreError(f"the store could not answer the query: it holds text that is not "
                         f"UTF-8 ({error.reason})", hints=[REBUILD_HINT]) from None
    except Exception as error:
        if not _is_driver_error(error):
            raise
        stopped = _interruption(error)
        if stopped is not None:  # KB.interrupt(), not the store's failure
            raise QuestionInterrupted(f"the query was {stopped}") from None
        raise StoreError(f"the store could not answer the query: {_first_line(error)}",
                         hints=[REBUILD_HINT]) from None


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


def _interruption(error: Exception) -> str | None:
    """How the statement was stopped, when it was: sqlite3's error for a statement that
    `Connection.interrupt()` stopped (only casekb calls it), PostgreSQL's for one cancelled
    (casekb's `cancel()`, or someone on the server); None for any other error."""
    import sqlite3

    if isinstance(error, sqlite3.OperationalError) and str(error) == "interrupted":
        return "interrupted (KB.interrupt() stopped it)"
    if type(error).__name__ == "QueryCanceled":
        return "cancelled (by KB.interrupt(), or on the database server)"
    return None


def _first_line(error: Exception) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
