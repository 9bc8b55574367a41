"""`describe`'s example values: the most frequent values of each field of an entity.

Each field's examples come from one grouped statement built from the same accessors as a
query's columns (casekb/plan/accessors.py), written by SQLAlchemy and decoded as any answer is
(casekb/execute/decode.py), then shown as table cells are.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casekb.lang.describe import EXAMPLES_PER_FIELD
from casekb.lang.fields import Entity, Field, Related, Reported
from casekb.plan.accessors import one_value, output_columns
from casekb.plan.binding import Binder
from casekb.plan.plan import Column
from casekb.plan.scope import Scope

if TYPE_CHECKING:
    from casekb.kb import KB


def example_values(kb: KB, entity: Entity,
                   per_field: int = EXAMPLES_PER_FIELD) -> dict[str, tuple[str, ...]]:
    """The most frequent values of each field of `entity` in the store (as text)."""
    from casekb.execute.decode import decoded_result
    from casekb.execute.run import fetch
    from casekb.plan.planner import sql_of
    from casekb.render import cell_text

    found: dict[str, tuple[str, ...]] = {}
    for field in entity.fields:
        statement, column = _examples_statement(entity, field, per_field)
        sql, parameters = sql_of(statement, kb.dialect)
        keys, rows = fetch(kb.connection(), sql, parameters)
        result = decoded_result((column,), keys, rows, None, with_sources=False)
        found[field.name] = tuple(cell_text(row[0])
                                  for row in result.rows)
    return found


def _examples_statement(entity: Entity, field: Field, limit: int) -> tuple[Any, Column]:
    from sqlalchemy import func, select

    binder = Binder()
    outer = Scope(entity.base, entity.joins)
    where = [entity.base_filter(outer)] if entity.base_filter is not None else []
    if isinstance(field.access, Related):
        # The single values, not the lists: every related row of a row of the entity.
        related = field.access
        scope = Scope.related(related)
        labelled = output_columns(*one_value(field, related), scope, binder)
        source = scope.from_clause().join(outer.from_clause(), related.link(scope, outer))
    else:
        access = field.access
        if isinstance(access, Reported):
            field, access = one_value(field, access)
        labelled = output_columns(field, access, outer, binder)
        source = outer.from_clause()
    first = next(iter(labelled.values()))
    columns = [expression.label(label) for label, expression in labelled.items()]
    frequency = func.count().label("_frequency")
    statement = (select(*columns, frequency).select_from(source)
                 .where(first.is_not(None), *where)
                 .group_by(*labelled.values())
                 .order_by(frequency.desc(), *labelled.values()).limit(limit))
    return statement, Column(field.name, field.type.value, tuple(labelled))
