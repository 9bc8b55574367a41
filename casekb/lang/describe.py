"""`describe ENTITY`: what an entity is, its fields (type, meaning, values) and examples.

The words come from the registry; the examples are the most frequent values in the store, so
that a reporter sees what a field really holds ("involuntary manslaughter", "2023-01").
`describe` alone lists the entities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casekb.errors import StoreError
from casekb.lang import ast
from casekb.lang.registry import (
    EMPTY_RULE, ENTITIES, SEVERAL_RULE, TYPE_RULES, Entity, Field, Related,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

EXAMPLES_PER_FIELD = 3


@dataclass(frozen=True)
class FieldDescription:
    """One field as `describe` shows it."""

    name: str
    type: str  # the FieldType value
    type_words: str
    meaning: str
    rules: str
    values: tuple[str, ...]
    examples: tuple[str, ...]
    several: bool = False

    def to_json(self) -> dict:
        return {"field": self.name, "type": self.type, "several": self.several,
                "meaning": self.meaning, "rules": self.rules, "values": list(self.values),
                "examples": list(self.examples)}


@dataclass(frozen=True)
class Description:
    """An entity described (or, when `entity` is None, the list of entities)."""

    entity: Entity | None
    fields: tuple[FieldDescription, ...] = ()
    examples_note: str | None = None  # why there are no examples, when there are none

    def to_json(self) -> dict:
        if self.entity is None:
            return {"entities": [{"entity": e.name, "singular": e.singular,
                                  "description": e.description} for e in ENTITIES]}
        entity = self.entity
        return {"entity": entity.name, "singular": entity.singular,
                "description": entity.description,
                "default_columns": list(entity.default_show),
                "default_order": [f"{name} desc" if desc else name
                                  for name, desc in entity.default_order],
                "as_of": entity.as_of_meaning or None,
                "empty": EMPTY_RULE,
                "with_sources": entity.has_evidence,
                "fields": [f.to_json() for f in self.fields]}


def describe(name: ast.Name | None, open_store: Callable[[], "Engine"] | None = None, *,
             text: str = "") -> Description:
    """Describe the entity `name` (None: list the entities).

    Example values are read from the store `open_store()` opens; when it cannot be opened the
    description is given without them and `examples_note` says why.
    """
    if name is None:
        return Description(None)
    from casekb.lang.resolve import resolve_entity

    entity = resolve_entity(name, text)
    examples: dict[str, tuple[str, ...]] = {}
    note = None
    if open_store is not None:
        try:
            examples = example_values(open_store(), entity)
        except StoreError as error:
            note = f"no example values: {error.message}"
    fields = tuple(
        FieldDescription(f.name, f.type.value, f.type_words, f.meaning,
                         TYPE_RULES[f.type] + ("; " + SEVERAL_RULE if f.several else ""),
                         f.values, examples.get(f.name, ()), f.several)
        for f in entity.fields)
    return Description(entity, fields, note)


def example_values(engine: "Engine", entity: Entity,
                   per_field: int = EXAMPLES_PER_FIELD) -> dict[str, tuple[str, ...]]:
    """The most frequent values of each field of `entity` in the store (as text)."""
    from sqlalchemy.exc import SQLAlchemyError

    from casekb.lang.to_core import to_core

    statements = {f.name: _examples_statement(entity, f, per_field) for f in entity.fields}
    found: dict[str, tuple[str, ...]] = {}
    try:
        with engine.connect() as connection:
            for name, (statement, column) in statements.items():
                rows = connection.execute(to_core(statement)).all()
                found[name] = tuple(_example_text(column, row) for row in rows)
    except SQLAlchemyError as error:
        raise StoreError(f"cannot read example values: {error}") from None
    return found


def _examples_statement(entity: Entity, field: Field, limit: int):
    from casekb.lang.compiler import OutputColumn, Scope, output_columns
    from casekb.lang.sqlexpr import func, select

    if isinstance(field.access, Related):
        # The single values, not the lists: every related row, whoever it belongs to.
        related = field.access
        scope = Scope(related.table.alias(related.alias), related.joins, related.alias)
        plain = Field(field.name, field.type, field.meaning, related.value, field.values)
        labelled = output_columns(plain, related.value, scope)
        where = []
    else:
        scope = Scope(entity.base, entity.joins)
        labelled = output_columns(field, field.access, scope)
        where = [entity.base_filter(scope)] if entity.base_filter is not None else []
    first = next(iter(labelled.values()))
    columns = [expr.label(label) for label, expr in labelled.items()]
    frequency = func.count().label("_frequency")
    statement = (select(*columns, frequency).select_from(scope.from_clause())
                 .where(first.is_not(None), *where)
                 .group_by(*labelled.values())
                 .order_by(frequency.desc(), *labelled.values()).limit(limit))
    return statement, OutputColumn(field.name, field.type.value, tuple(labelled))


def _example_text(column: Any, row: Any) -> str:
    from casekb.execute import decode_row
    from casekb.render import cell_text

    value = decode_row(row, (column,))[0]
    return cell_text(value, column)
