"""The record kinds of the curated format, described as data.

One table drives the validator (which fields exist, which are required, their types, what
they refer to, which vocabulary they take), the builder (which column each field fills) and
the documentation and `casekb init` example. The format itself is explained for people in
schema/curation.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from casekb import vocab

# Field types.
ID = "id"  # the record's own key
TEXT = "text"
INT = "int"
BOOL = "bool"
DATE = "date"  # "YYYY", "YYYY-MM" or "YYYY-MM-DD", stored as a partial date
QUANTITY = "quantity"  # "18 months", "$5,000", "24 hours"
REF = "ref"  # the id of another record
VOCAB = "vocab"  # a value of a closed vocabulary
EVIDENCE = "evidence"  # [{source, quote, note}]
CLAIMS = "claims"  # ["kind:id", ...]

TYPE_NAMES = {
    ID: "an id string", TEXT: "a string", INT: "an integer", BOOL: "true or false",
    DATE: 'a date string ("2023-01-19", "2023-01" or "2023")',
    QUANTITY: 'a quantity string ("18 months", "$5,000", "24 hours")',
    REF: "an id string", VOCAB: "a string", EVIDENCE: "an array of {source, quote} tables",
    CLAIMS: 'an array of "kind:id" strings',
}


@dataclass(frozen=True)
class FieldSpec:
    """One field of a record kind."""

    name: str
    type: str
    required: bool = False
    ref: str | None = None  # the kind a REF points to
    vocabulary: tuple[str, ...] | None = None
    column: str | None = None  # the store column it fills, when not the same name
    doc: str = ""

    @property
    def target_column(self) -> str:
        return self.column or self.name


@dataclass(frozen=True)
class KindSpec:
    """One record kind: its fields, the table it loads into, and cross-field rules."""

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


def _id() -> FieldSpec:
    return FieldSpec("id", ID, required=True,
                     doc="a stable key, lower case: letters, digits, '.', '_' and '-'")


def _note() -> FieldSpec:
    return FieldSpec("note", TEXT, doc="the curator's remarks: garbled text, contradictions, "
                                      "how a date was inferred")


def _evidence() -> FieldSpec:
    return FieldSpec("evidence", EVIDENCE, required=True,
                     doc="one or more {source, quote} pairs; each quote occurs verbatim "
                         "in the source's article")


def _ref(name: str, kind: str, required: bool = True, column: str | None = None,
         doc: str = "") -> FieldSpec:
    return FieldSpec(name, REF, required=required, ref=kind, column=column or f"{name}_id",
                     doc=doc or f"the id of a {kind}")


KINDS: tuple[KindSpec, ...] = (
    KindSpec("source", "sources", (
        _id(),
        FieldSpec("file", TEXT, required=True,
                  doc="the article's path under the folder, e.g. articles/000.txt"),
        FieldSpec("outlet", TEXT, doc="the publication"),
        FieldSpec("headline", TEXT),
        FieldSpec("url", TEXT),
        FieldSpec("published", DATE, doc="publication date, as precise as known"),
        FieldSpec("basis", TEXT, doc="how outlet, headline and date were established"),
        _note(),
    ), "a news article", has_evidence=False),
    KindSpec("case", "cases", (
        _id(),
        FieldSpec("title", TEXT, required=True),
        FieldSpec("jurisdiction", TEXT, doc='e.g. "New Mexico"'),
        FieldSpec("venue", TEXT, doc="the court or county"),
        FieldSpec("incident", DATE, doc="when the incident happened"),
        FieldSpec("summary", TEXT),
        _note(), _evidence(),
    ), "a criminal case"),
    KindSpec("person", "people", (
        _id(),
        FieldSpec("name", TEXT, required=True, doc="the fullest correct spelling the sources use"),
        _note(), _evidence(),
    ), "a person named in the sources"),
    KindSpec("alias", "person_aliases", (
        _id(),
        _ref("person", "person", required=False, doc="the person this is a name of"),
        _ref("case", "case", required=False, doc="the case this is a name of"),
        FieldSpec("name", TEXT, required=True, column="alias",
                  doc="another spelling a source uses"),
        _note(), _evidence(),
    ), "another name of a person or a case (stored in person_aliases or case_aliases)",
        exactly_one_of=("person", "case")),
    KindSpec("role", "roles", (
        _id(),
        _ref("case", "case"),
        _ref("person", "person"),
        FieldSpec("role", VOCAB, required=True, vocabulary=vocab.ROLES),
        FieldSpec("title", TEXT, doc='e.g. "armorer", "first assistant director"'),
        _note(), _evidence(),
    ), "a person's part in a case"),
    KindSpec("offense", "offenses", (
        _id(),
        FieldSpec("name", TEXT, required=True, doc='e.g. "involuntary manslaughter"'),
        FieldSpec("jurisdiction", TEXT),
        FieldSpec("class", VOCAB, vocabulary=vocab.OFFENSE_CLASSES, column="offense_class"),
        FieldSpec("statute", TEXT),
        _note(), _evidence(),
    ), "a crime as defined in a jurisdiction"),
    KindSpec("charge", "charges", (
        _id(),
        _ref("case", "case"),
        _ref("defendant", "person", doc="the id of the charged person"),
        _ref("offense", "offense"),
        FieldSpec("counts", INT, doc="the number of counts, at least 1"),
        FieldSpec("filed", DATE),
        FieldSpec("closed", DATE),
        _note(), _evidence(),
    ), "a charge against a defendant"),
    KindSpec("enhancement", "charge_enhancements", (
        _id(),
        _ref("charge", "charge"),
        FieldSpec("enhancement", TEXT, required=True, doc='e.g. "firearm"'),
        _note(), _evidence(),
    ), "a sentencing enhancement of a charge"),
    KindSpec("status", "charge_statuses", (
        _id(),
        _ref("charge", "charge"),
        FieldSpec("status", VOCAB, required=True, vocabulary=vocab.CHARGE_STATUSES),
        FieldSpec("date", DATE, doc="from when the charge had this status"),
        _note(), _evidence(),
    ), "a charge's status from a date on"),
    KindSpec("plea", "pleas", (
        _id(),
        _ref("charge", "charge"),
        FieldSpec("plea", VOCAB, required=True, vocabulary=vocab.PLEAS),
        FieldSpec("entered", DATE),
        FieldSpec("agreement", BOOL, doc="true when part of a plea agreement"),
        _note(), _evidence(),
    ), "a plea to a charge"),
    KindSpec("verdict", "verdicts", (
        _id(),
        _ref("charge", "charge"),
        FieldSpec("outcome", VOCAB, required=True, vocabulary=vocab.OUTCOMES),
        FieldSpec("decided", DATE),
        FieldSpec("by", VOCAB, vocabulary=vocab.DECIDED_BY, column="decided_by"),
        _note(), _evidence(),
    ), "how a charge was disposed of"),
    KindSpec("sentence", "sentences", (
        _id(),
        _ref("charge", "charge"),
        FieldSpec("imposed", DATE),
        FieldSpec("summary", TEXT),
        _note(), _evidence(),
    ), "a sentence imposed on a charge"),
    KindSpec("penalty", "penalties", (
        _id(),
        _ref("offense", "offense", required=False, doc="for a statutory bound of an offense"),
        _ref("charge", "charge", required=False, doc="for a statutory bound of a charge"),
        _ref("sentence", "sentence", required=False, doc="for a component of a sentence"),
        FieldSpec("kind", VOCAB, required=True, vocabulary=vocab.PENALTY_KINDS),
        FieldSpec("bound", VOCAB, required=True, vocabulary=vocab.BOUNDS),
        FieldSpec("amount", QUANTITY),
        FieldSpec("suspended", BOOL),
        FieldSpec("unsupervised", BOOL),
        _note(), _evidence(),
    ), "one component of a punishment", exactly_one_of=("offense", "charge", "sentence")),
    KindSpec("event", "events", (
        _id(),
        _ref("case", "case"),
        FieldSpec("date", DATE),
        FieldSpec("kind", VOCAB, required=True, vocabulary=vocab.EVENT_KINDS),
        FieldSpec("description", TEXT, required=True),
        _note(), _evidence(),
    ), "a dated step in a case's timeline"),
    KindSpec("statement", "statements", (
        _id(),
        _ref("case", "case"),
        _ref("speaker", "person", doc="the id of the person speaking"),
        _ref("about", "person", required=False, doc="the id of the person spoken about"),
        FieldSpec("date", DATE, column="said"),
        FieldSpec("stance", VOCAB, vocabulary=vocab.STANCES),
        FieldSpec("medium", TEXT, doc='"Instagram", "TMZ", "ABC interview"'),
        FieldSpec("quote", TEXT, required=True,
                  doc="the words said; must occur in one of the evidence articles"),
        _note(), _evidence(),
    ), "an on-record quote"),
    KindSpec("dispute", "disputes", (
        _id(),
        _ref("case", "case", required=False),
        FieldSpec("subject", TEXT, required=True, doc="what the sources disagree on"),
        FieldSpec("claims", CLAIMS, required=True,
                  doc='two or more "kind:id" references to the conflicting records'),
        _note(),
    ), "a disagreement between sources", has_evidence=False),
)

# Record kinds in the order references need them (each kind refers only to earlier ones).
KIND_ORDER: tuple[str, ...] = tuple(spec.kind for spec in KINDS)
# A kind's position in KIND_ORDER (records are checked, and their problems sorted, by it).
KIND_NUMBER: dict[str, int] = {kind: number for number, kind in enumerate(KIND_ORDER)}
BY_KIND: dict[str, KindSpec] = {spec.kind: spec for spec in KINDS}

# Kinds a dispute may list as claims: every fact kind.
CLAIMABLE_KINDS: tuple[str, ...] = tuple(k for k in KIND_ORDER if k not in ("source", "dispute"))

# Evidence entries: {source, quote, note}.
EVIDENCE_FIELDS: dict[str, bool] = {"source": True, "quote": True, "note": False}

MAX_ID_LENGTH = 200
_ID_FORMAT = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")


def is_valid_id(key: str) -> bool:
    """Whether `key` is a valid record id: lower-case letters, digits, '.', '_' and '-',
    starting with a letter or digit, at most MAX_ID_LENGTH characters. The validator reports
    any other; the index of keys registers only these."""
    return len(key) <= MAX_ID_LENGTH and _ID_FORMAT.match(key) is not None
