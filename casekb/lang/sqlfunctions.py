"""SQL functions that SQLAlchemy does not write the same way on every engine (for the compiler
and the views)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


class sorted_strings(GenericFunction):
    """`sorted_strings(value, separator)`: the values of a group joined in ascending order.

    The values come from a sub-query that is already DISTINCT ... ORDER BY value. SQLite's
    group_concat keeps the order of the rows it is given (SQLite before 3.44 has no ORDER BY
    inside an aggregate), but PostgreSQL promises no order for string_agg unless it is asked
    for, so there the order is written into the aggregate.
    """

    type = String()
    inherit_cache = True


@compiles(sorted_strings)
def _group_concat(element, compiler, **kw):
    return f"group_concat({compiler.process(element.clauses, **kw)})"


@compiles(sorted_strings, "postgresql")
def _string_agg(element, compiler, **kw):
    value, separator = element.clauses.clauses
    return (f"string_agg({compiler.process(value, **kw)}, {compiler.process(separator, **kw)} "
            f"ORDER BY {compiler.process(value, **kw)})")


class iso_date_text(GenericFunction):
    """`iso_date_text(date)`: a date as YYYY-MM-DD text on every engine.

    PostgreSQL's CAST(date AS VARCHAR) follows the reader's DateStyle ("19/01/2023" under
    `SQL, DMY`), and the views are read by other tools in sessions of their own, so there it
    is `to_char(date, 'YYYY-MM-DD')`; SQLite keeps dates as ISO text already.
    """

    type = String()
    inherit_cache = True


@compiles(iso_date_text)
def _cast(element, compiler, **kw):
    return f"CAST({compiler.process(element.clauses, **kw)} AS VARCHAR)"


@compiles(iso_date_text, "postgresql")
def _to_char(element, compiler, **kw):
    return f"to_char({compiler.process(element.clauses, **kw)}, 'YYYY-MM-DD')"
