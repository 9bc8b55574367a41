"""SQL functions that SQLAlchemy does not write the same way on every engine (for the compiler
and the views)."""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement, GenericFunction


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


class Caseless(FunctionElement):
    """Text to sort by, ignoring the case of the letters A-Z (and only of them), the same on
    SQLite and PostgreSQL: SQLite's built-in NOCASE collation, and on PostgreSQL lower() of the
    text as "C" text (the C locale folds only A-Z; the store's text columns are "C" already)."""

    name = "caseless"
    inherit_cache = True


@compiles(Caseless)
def _caseless_lower(element, compiler, **kw) -> str:
    return f'lower({compiler.process(element.clauses, **kw)} COLLATE "C")'


@compiles(Caseless, "sqlite")
def _caseless_nocase(element, compiler, **kw) -> str:
    return f"{compiler.process(element.clauses, **kw)} COLLATE NOCASE"


class unicode_lower(GenericFunction):
    """`unicode_lower(text)`: text in lower case, every letter of it, on both engines.

    Text without a casefolded twin (descriptions, quotes, summaries) is matched by lower() on
    both sides. SQLite's own lower() folds only A-Z, so casekb.store registers Python's in its
    place; PostgreSQL's follows the collation, and the store's text is "C", which folds only
    A-Z too (`lower('ÉLAN' COLLATE "C")` is 'Élan'), so there the text is lowered under ICU's
    root collation ("und-x-icu", in every PostgreSQL built with ICU, as the usual packages are).
    """

    type = String()
    inherit_cache = True


@compiles(unicode_lower)
def _lower(element, compiler, **kw):
    return f"lower({compiler.process(element.clauses, **kw)})"


@compiles(unicode_lower, "postgresql")
def _lower_icu(element, compiler, **kw):
    return f'lower({compiler.process(element.clauses, **kw)} COLLATE "und-x-icu")'
