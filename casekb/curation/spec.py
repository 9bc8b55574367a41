"""The record kinds of the curated format, as the validator, the index of keys and the writer
use them.

They are derived from the schema declaration (casekb/schema/declaration.py), which declares
each kind with the table(s) it fills: which fields exist, which are required, their types,
what they refer to, which vocabulary they take, and which column each fills. The format
itself is explained for people in schema/curation.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casekb.schema import declaration

# The field types; the validator and the writer name them through this module.
from casekb.schema.parts import (
    BOOL,
    CLAIMS,
    DATE,
    EVIDENCE,
    ID,
    INFERRED,
    INT,
    MAX_ID_LENGTH,
    QUANTITY,
    REF,
    REFS,
    TEXT,
    VOCAB,
)
from casekb.schema.parts import (
    Field as FieldSpec,  # one field of a record kind, as declared
)

TYPE_NAMES = {
    ID: "an id string", TEXT: "a string", INT: "an integer", BOOL: "true or false",
    DATE: 'a date string ("2023-01-19", "2023-01" or "2023") or a table of bounds '
          '({ earliest = "2021-10-21", latest = "2023-01" })',
    QUANTITY: 'a quantity string ("18 months", "$5,000", "24 hours")',
    REF: "an id string", REFS: "an id string or an array of them", VOCAB: "a string",
    EVIDENCE: "an array of {source, quote} tables", CLAIMS: 'an array of "kind:id" strings',
    INFERRED: 'a table of bases: inferred.FIELD = "basis"',
}


@dataclass(frozen=True)
class KindSpec:
    """One record kind: its fields, the table it loads into (the first, for a kind stored by
    owner), and cross-field rules."""

    kind: str
    table: str
    fields: tuple[FieldSpec, ...]
    doc: str
    # Groups of fields of which exactly one must be given (an alias's owner, a penalty's owner).
    exactly_one_of: tuple[str, ...] = ()
    has_evidence: bool = True
    by_name: dict[str, FieldSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})


def _kind_spec(kind: str) -> KindSpec:
    declared = declaration.declared_kind(kind)
    tables = declaration.tables_of_kind(kind)
    fields = declaration.fields_of_kind(kind)
    doc = declared.doc if len(tables) == 1 else f"{declared.doc} (stored in {' or '.join(tables)})"
    return KindSpec(kind, tables[0], fields, doc, declared.exactly_one_of,
                    has_evidence=declaration.has_evidence(kind))


# Record kinds in the order references need them (each kind refers only to earlier ones, or
# to itself).
KIND_ORDER: tuple[str, ...] = declaration.KIND_ORDER
KINDS: tuple[KindSpec, ...] = tuple(_kind_spec(kind) for kind in KIND_ORDER)
# A kind's position in KIND_ORDER (records are checked, and their problems sorted, by it).
KIND_NUMBER: dict[str, int] = {kind: number for number, kind in enumerate(KIND_ORDER)}
BY_KIND: dict[str, KindSpec] = {spec.kind: spec for spec in KINDS}

# Kinds a dispute may list as claims: every fact kind (a kind whose records carry evidence).
CLAIMABLE_KINDS: tuple[str, ...] = tuple(spec.kind for spec in KINDS if spec.has_evidence)

# Evidence entries: {source, quote, note}, the curated fields of the evidence table.
EVIDENCE_FIELDS: dict[str, bool] = {
    f.name: f.required for f in declaration.table_named("evidence").fields}

_ID_FORMAT = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")


def is_valid_id(key: str) -> bool:
    """Whether `key` is a valid record id: lower-case letters, digits, '.', '_' and '-',
    starting with a letter or digit, at most MAX_ID_LENGTH characters. The validator reports
    any other; the index of keys registers only these."""
    return len(key) <= MAX_ID_LENGTH and _ID_FORMAT.match(key) is not None
