"""A field's value in SQL: the columns it is shown from, and the keys it sorts by.

An accessor (casekb/lang/fields.py) says where a field's value is; here it becomes SQL
expressions over a Scope: one labelled expression per column of the result (a date is three:
start, end, precision; an amount three: value, dimension, text), and the sort keys of
`order by`.
"""

from __future__ import annotations

from typing import Any

from casekb.lang.fields import (
    Amount,
    Computed,
    Dated,
    Field,
    FieldType,
    NamedRef,
    Plain,
    Related,
    Reported,
)
from casekb.plan.binding import Binder
from casekb.plan.plan import LIST_SEPARATOR
from casekb.plan.scope import Scope


def one_value(field: Field, access: Related | Reported) -> tuple[Field, Any]:
    """A field of several values (a related table's, or a value over its reports) as each of
    its values alone: the field and its accessor."""
    value = access.value
    if isinstance(access, Reported):  # the values, whenever they were reported
        value = Plain(value)
    return Field(field.name, field.type, field.meaning, value, field.values), value


def value_of(access: Plain | Computed | Reported, scope: Scope, binder: Binder) -> Any:
    """The SQL of a one-column value (of a value as last reported: the value tests read)."""
    if isinstance(access, Computed):
        from casekb.plan.rules import COMPUTED

        return COMPUTED[access.rule](scope, binder)
    if isinstance(access, Reported):
        return access.value(scope)
    return access.column(scope)


def stored_column(access: Any, scope: Scope) -> Any | None:
    """The column a value of one row is stored in: its own, a date's first day, an amount's
    number, a reference's id; None for a value computed or gathered from several rows."""
    if isinstance(access, Plain):
        return access.column(scope)
    if isinstance(access, Dated):
        return access.start(scope)
    if isinstance(access, Amount):
        return access.value(scope)
    if isinstance(access, NamedRef):
        return access.ref(scope)
    return None


def output_columns(field: Field, access, scope: Scope, binder: Binder) -> dict[str, Any]:
    """The SQL expressions of a field's value, by label."""
    name = field.name
    if isinstance(access, Dated):
        return {name: access.start(scope), f"{name}_end": access.end(scope),
                f"{name}_precision": access.precision(scope)}
    if isinstance(access, Amount):
        return {name: access.value(scope), f"{name}_dimension": access.dimension(scope),
                f"{name}_text": access.text(scope)}
    if isinstance(access, NamedRef):
        return {name: access.display(scope)}
    if isinstance(access, Reported):
        return {name: access.value(scope), f"{name}_last": access.last(scope),
                f"{name}_reported": access.start(scope),
                f"{name}_reported_end": access.end(scope),
                f"{name}_reported_precision": access.precision(scope)}
    if isinstance(access, Related):
        return {name: related_list(field, access, scope, binder)}
    return {name: value_of(access, scope, binder)}


def related_list(field: Field, access: Related, scope: Scope, binder: Binder) -> Any:
    """The distinct values of a several-valued field, sorted, joined with LIST_SEPARATOR."""
    from sqlalchemy import select

    from casekb.plan.sqlfunctions import sorted_strings

    inner = Scope.related(access)
    shown = (access.value.display(inner) if isinstance(access.value, NamedRef)
             else value_of(access.value, inner, binder))
    value = shown.label("value")
    link = access.link(inner, scope)
    values = (select(value).select_from(inner.from_clause())
              .where(link, shown.is_not(None)).distinct().order_by(shown)
              .correlate(*scope.objects()).subquery(f"{field.name}_values"))
    separator = binder.constant(LIST_SEPARATOR, "list_separator")
    return select(sorted_strings(values.c.value, separator)).scalar_subquery()


# Text sorts without regard to letter case ("Dave" before "DJ"), the same on every engine and
# without a function call per row (the store's lower() is Python on SQLite: 173,000 calls
# made "fines of $10,000 or more" 1.45x raw). A field with an indexed casefolded twin (names,
# titles, offenses, aliases) sorts by the twin: str.casefold(), so "ß" sorts as "ss". Other
# text sorts through `caseless`: ignoring the case of A-Z only. Both then compare code point
# by code point (SQLite's BINARY, PostgreSQL's "C": accented letters come after z).
CASELESS_SORT = (FieldType.TEXT, FieldType.NAME)


def folded_key(access) -> Any:
    """The indexed casefolded twin of a field's value (a function of the scope), or None."""
    if isinstance(access, (Plain, NamedRef)):
        return access.folded
    return None


def sort_keys(field: Field, access, scope: Scope, binder: Binder) -> list[Any]:
    """The expressions that order rows by a field."""
    from casekb.plan.sqlfunctions import caseless

    if isinstance(access, Dated):
        return [access.start(scope), access.end(scope)]
    if isinstance(access, Amount):
        return [access.dimension(scope), access.value(scope)]
    if isinstance(access, Reported):
        return [access.value(scope)]
    folded = folded_key(access)
    if folded is not None and field.type in CASELESS_SORT:
        return [folded(scope)]
    shown = next(iter(output_columns(field, access, scope, binder).values()))
    return [caseless(shown)] if field.type in CASELESS_SORT else [shown]


def directions(keys: list[Any], field: Field | None, descending: bool) -> list[Any]:
    """The ORDER BY terms of a field's sort keys, undated and unknown values last.

    A date sorts by (start, end), and a stored date has both or neither, so rows whose start
    ties have an end or all have none: `NULLS LAST` on the end would change no order, and
    costs SQLite's sorter (events of a case, 4,449 rows: about 4%)."""
    dated = field is not None and field.type is FieldType.DATE
    terms = []
    for index, key in enumerate(keys):
        ordered = key.desc() if descending else key.asc()
        terms.append(ordered if dated and index > 0 else ordered.nulls_last())
    return terms
