"""SQL functions the compiler needs that SQLAlchemy does not write the same way on every engine."""

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
