"""Making plans: a resolved query compiled, and its SQL written by SQLAlchemy for a dialect.

`make_plan(query, dialect)` compiles a resolved query (casekb/plan/compiler.py) and has
SQLAlchemy's compiler write its SQL for the store's dialect, in the driver's own style of
parameters (`:name` for sqlite3, `%(name)s` for psycopg): the text `explain` shows is the text
that runs. SQLAlchemy's compiler is the only code that writes casekb's SQL; `sql_of` serves
the few statements that are not queries of the language (`describe`'s examples, the
suggestions for a misspelt name) the same way.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from casekb.lang.resolve import ResolvedQuery
from casekb.plan.binding import encode
from casekb.plan.compiler import compile_query
from casekb.plan.plan import Plan, Statement


def make_plan(query: ResolvedQuery, dialect: str, *, capped: bool) -> Plan:
    """Compile `query` for `dialect` ("sqlite" or "postgresql"); `capped` gives it a row
    limit parameter (the row cap is then set when it runs)."""
    compiled = compile_query(query, capped=capped)
    names = None
    if compiled.names is not None:
        names = _written(compiled.names, compiled.name_recipes, dialect)
    matched = None
    if compiled.matched is not None:
        matched = _written(compiled.matched, compiled.recipes, dialect)
    return Plan(dialect, _written(compiled.statement, compiled.recipes, dialect),
                compiled.columns, compiled.with_sources, names, compiled.name_slots, matched)


def sql_of(statement: Any, dialect: str) -> tuple[str, dict[str, Any]]:
    """The SQL SQLAlchemy writes for a Core statement on `dialect`, in the driver's style of
    parameters, with its parameters as the driver takes them."""
    compiled = statement.compile(dialect=_dialect(dialect))
    return _tidy(str(compiled)), {name: encode(value, dialect)
                                  for name, value in compiled.params.items()}


def _written(statement: Any, recipes: dict[str, tuple], dialect: str) -> Statement:
    sql, values = sql_of(statement, dialect)
    # A parameter no recipe makes is a constant of the shape (a separator, OFFSET 0).
    parameters = tuple((name, recipes.get(name) or ("constant", value))
                       for name, value in values.items())
    return Statement(sql, parameters)


def _tidy(sql: str) -> str:
    # SQLAlchemy leaves a space before its line breaks; the SQL that runs is the SQL shown.
    return "\n".join(line.rstrip() for line in sql.strip().splitlines())


@cache
def _dialect(name: str) -> Any:
    if name == "sqlite":
        from sqlalchemy.dialects import sqlite

        return sqlite.dialect(paramstyle="named")  # sqlite3 binds :name from a dict
    if name == "postgresql":
        from sqlalchemy.dialects.postgresql.psycopg import PGDialect_psycopg

        return PGDialect_psycopg()  # psycopg binds %(name)s from a dict
    raise ValueError(f"no SQL dialect {name!r}")
