"""SQL functions that SQLite and PostgreSQL spell differently, as SQLAlchemy functions whose
SQL each dialect writes its own way (SQLAlchemy's compiler extension, `@compiles`).
`{0}`, `{1}`... in a template are the function's arguments.
"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import GenericFunction


def _function(name: str, doc: str, *, default: str, **dialects: str) -> type:
    """A text-valued SQL function `name`, written as `default` unless a dialect has its own
    template (sqlite=..., postgresql=...)."""
    function = type(name, (GenericFunction,), {
        "__doc__": doc, "type": String(), "inherit_cache": True, "identifier": name})
    for dialect, template in {"": default, **dialects}.items():
        def write(element, compiler, template=template, **kw) -> str:
            return template.format(*(compiler.process(argument, **kw)
                                     for argument in element.clauses.clauses))
        compiles(function, *([dialect] if dialect else []))(write)
    return function


sorted_strings = _function(
    "sorted_strings",
    """`sorted_strings(value, separator)`: the values of a group joined in ascending order.

    The values come from a sub-query that is already DISTINCT ... ORDER BY value. SQLite's
    group_concat keeps the order of the rows it is given (SQLite before 3.44 has no ORDER BY
    inside an aggregate), but PostgreSQL promises no order for string_agg unless it is asked
    for, so there the order is written into the aggregate.""",
    default="group_concat({0}, {1})",
    postgresql="string_agg({0}, {1} ORDER BY {0})",
)

iso_date_text = _function(
    "iso_date_text",
    """`iso_date_text(date)`: a date as YYYY-MM-DD text on every engine.

    PostgreSQL's CAST(date AS VARCHAR) follows the reader's DateStyle ("19/01/2023" under
    `SQL, DMY`), and the views are read by other tools in sessions of their own, so there it
    is `to_char(date, 'YYYY-MM-DD')`; SQLite keeps dates as ISO text already.""",
    default="CAST({0} AS VARCHAR)",
    postgresql="to_char({0}, 'YYYY-MM-DD')",
)

caseless = _function(
    "caseless",
    """`caseless(text)`: text to sort by, ignoring the case of the letters A-Z (and only of
    them), the same on SQLite and PostgreSQL: SQLite's built-in NOCASE collation, and on
    PostgreSQL lower() of the text as "C" text (the C locale folds only A-Z; the store's text
    columns are "C" already).""",
    default='lower({0} COLLATE "C")',
    sqlite="{0} COLLATE NOCASE",
)

unicode_lower = _function(
    "unicode_lower",
    """`unicode_lower(text)`: text in lower case, every letter of it, on both engines.

    Text without a casefolded twin (descriptions, quotes, summaries) is matched by lower() on
    both sides. SQLite's own lower() folds only A-Z, so casekb.store registers Python's in its
    place; PostgreSQL's follows the collation, and the store's text is "C", which folds only
    A-Z too (`lower('ÉLAN' COLLATE "C")` is 'Élan'), so there the text is lowered under ICU's
    root collation ("und-x-icu", in every PostgreSQL built with ICU, as the usual packages are).""",
    default="lower({0})",
    postgresql='lower({0} COLLATE "und-x-icu")',
)
