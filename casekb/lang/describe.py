"""`describe ENTITY`: what an entity is, its fields (type, meaning, values) and examples.

The words come from the registry; the examples are the most frequent values in the store, so
that a reporter sees what a field really holds ("involuntary manslaughter", "2023-01"); they
are read by casekb/plan/examples.py. `describe` alone lists the entities.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from casekb.errors import StoreError
from casekb.lang import ast
from casekb.lang.registry import (
    EMPTY_RULE,
    ENTITIES,
    MARKS_RULE,
    SEVERAL_RULE,
    TYPE_RULES,
    Entity,
)

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
                "marks": MARKS_RULE if entity.field("inferred") else None,
                "with_sources": entity.has_evidence,
                "fields": [f.to_json() for f in self.fields]}


def describe(name: ast.Name | None,
             examples: Callable[[Entity], dict[str, tuple[str, ...]]] | None = None, *,
             text: str = "") -> Description:
    """Describe the entity `name` (None: list the entities).

    `examples(entity)` gives the most frequent values of each field in the store (as text);
    when it raises StoreError the description is given without them and `examples_note`
    says why.
    """
    if name is None:
        return Description(None)
    from casekb.lang.resolve import resolve_entity

    entity = resolve_entity(name, text)
    found: dict[str, tuple[str, ...]] = {}
    note = None
    if examples is not None:
        try:
            found = examples(entity)
        except StoreError as error:
            note = f"no example values: {error.message}"
    fields = tuple(
        FieldDescription(f.name, f.type.value, f.type_words, f.meaning,
                         TYPE_RULES[f.type] + ("; " + SEVERAL_RULE if f.several else ""),
                         f.values, found.get(f.name, ()), f.several)
        for f in entity.fields)
    return Description(entity, fields, note)
