"""Which shown values no source states: the marks a result carries beside its values.

A fact's row says which of its curated fields are inferred (`inferred`: "counts,
filed.latest") and which dates got their latest day from the publication of the articles
(`derived`). A shown field read from a column of a fact's row (its own, or a joined row's: a
charge's `class` is its offense's) carries that row's marks for that field; the query reads
the two columns of each such row as hidden columns, and decoding turns them into words
beside the value ("latest inferred"). Fields computed or gathered from several rows carry
none.

Decoding a result needs only `mark_words`: the language's fields are imported by the
compile-time half alone, so answering a text asked before does not load the language.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casekb.plan.scope import Scope

# The hidden columns of one marked row: `_inferred_<n>`, `_derived_<n>`.
MARK_LABELS = ("_inferred_{}", "_derived_{}")


def marked_source(access: Any, scope: Scope) -> tuple[Any, str] | None:
    """(the table or alias a field's value is read from, the curated field it shows) when
    that table records marks; None for a value no single row's marks speak for."""
    from sqlalchemy.sql.elements import ColumnClause

    from casekb.plan.accessors import stored_column

    expression = stored_column(access, scope)
    if not isinstance(expression, ColumnClause) or expression.table is None:
        return None
    holder = expression.table
    if "inferred" not in holder.c:
        return None
    field = curated_field(getattr(holder, "original", holder).name, expression.name)
    return None if field is None else (holder, field)


def curated_field(table_name: str, column: str) -> str | None:
    """The curated field that fills `column` of a table (its first column, for a date or an
    amount); None for a column no field fills."""
    from casekb.schema.declaration import table_named

    for field in table_named(table_name).fields:
        if field.columns and field.columns[0].name == column:
            return field.name
    return None


def mark_words(field: str, inferred: str | None, derived: str | None) -> str | None:
    """What the marks of a row say of one of its fields: "inferred", "latest inferred",
    "earliest inferred, latest derived"...; None when the field is stated."""
    said = []
    for marks, word in ((inferred, "inferred"), (derived, "derived")):
        if not marks:
            continue
        for mark in marks.split(", "):
            if mark == field:
                said.append(word)
            elif mark.startswith(field + "."):
                said.append(f"{mark[len(field) + 1:]} {word}")
    return ", ".join(said) or None
