"""The building blocks of the schema declaration (casekb/schema/declaration.py): columns,
curated fields, tables and record kinds as plain frozen data, and the helpers that write each
convention of the store once.

Conventions, so that other tools can query the store without reading this code:
- a fact table (one filled by a curated record kind) starts with an integer `id` and the
  curator's `key`, and ends with the curator's `note`; its rows are tied to their sources
  through `evidence` (fact_table, fact_id) unless the kind takes no evidence;
- a date is three columns: `<name>` (its first possible day), `<name>_end` (its last) and
  `<name>_precision` ('day' | 'month' | 'year' | 'range'); a bound that is not known is
  the first or last day a date can have, 0001-01-01 or 9999-12-31 (casekb/dates.py), so
  that dates compare and sort with plain comparisons (the views show it as NULL);
- a fact table ends with `inferred` (the curated fields whose value is inferred rather than
  stated; the bases are in `inferences`) and `derived` (the dates whose upper bound the
  build derived from the publication of the articles reporting them);
- a name people search by has a `<name>_folded` twin (Python's str.casefold) with an index,
  so that case-insensitive look-ups work the same on SQLite and PostgreSQL;
- an amount is four columns: `amount_value` (normalised), `amount_unit`, `amount_dimension`
  and `amount_text` (as the source wrote it);
- a reference to another record is `<name>_id`, holding the `id` of the referenced kind's row.

Nothing here imports SQLAlchemy: casekb/schema/tables.py builds the tables from this data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casekb import vocab

# Curated field types: what a curator writes (casekb/curation/spec.py names them for the
# validator).
ID = "id"  # the record's own key
TEXT = "text"
INT = "int"
BOOL = "bool"
DATE = "date"  # "YYYY", "YYYY-MM", "YYYY-MM-DD" or a {earliest, latest} table of bounds
QUANTITY = "quantity"  # "18 months", "$5,000", "24 hours"
REF = "ref"  # the id of another record
REFS = "refs"  # the id of another record, or an array of them (stored in a link table)
VOCAB = "vocab"  # a value of a closed vocabulary
EVIDENCE = "evidence"  # [{source, quote, note}]
CLAIMS = "claims"  # ["kind:id", ...]
INFERRED = "inferred"  # {FIELD = "basis", DATE-FIELD = {earliest = "basis", latest = "basis"}}

# The longest record id; the `key` columns hold it.
MAX_ID_LENGTH = 200

# The docs of the fields every kind shares (`casekb check` shows them as hints).
ID_DOC = "a stable key, lower case: letters, digits, '.', '_' and '-'"
NOTE_DOC = "the curator's remarks: garbled text, contradictions, how a date was inferred"
EVIDENCE_DOC = ("one or more {source, quote} pairs; each quote occurs verbatim in the source's "
                "article")
INFERRED_DOC = 'inferred.FIELD = "basis" for each value no source states (see Inferred values)'


# -- the data ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Column:
    """One column of a table.

    `type` is written as SQL: "integer", "text", "float", "boolean", "date" or "varchar(N)".
    `doc` explains it in schema/README.md ("{values}" stands for its vocabulary); a column
    without one is explained with the column before it (`filed_end` with `filed`).
    """

    name: str
    type: str
    doc: str | None = None
    required: bool = False  # NOT NULL
    primary_key: bool = False
    unique: bool = False
    index: bool = False
    # Also indexed in descending order with empty values last, on PostgreSQL only (see
    # partial_date).
    latest_first: bool = False
    refers_to: str | None = None  # a record kind: the column holds the id of its row
    on_delete: str | None = None  # of that reference: "CASCADE" or None
    vocabulary: tuple[str, ...] | None = None  # the values a CHECK constraint allows
    default: bool | str | None = None  # the value of a row that gives none

    @property
    def length(self) -> int | None:
        """The N of "varchar(N)"; None for other types."""
        found = re.fullmatch(r"varchar\((\d+)\)", self.type)
        return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Field:
    """One field of a curated record kind, and the columns of the table it fills.

    (casekb/curation/spec.py calls it FieldSpec.) `doc` is for curators: schema/curation.md
    shows it, and `casekb check` gives it as a hint when a required field is missing.
    """

    name: str
    type: str
    required: bool = False
    ref: str | None = None  # the kind a REF points to
    vocabulary: tuple[str, ...] | None = None
    column: str | None = None  # the store column it fills, when not the same name
    doc: str = ""
    columns: tuple[Column, ...] = ()
    default: str | None = None  # the value of a record that gives none (stored as such)
    link: str | None = None  # REFS: the link table holding (record, referred record) rows
    verbatim: bool = False  # TEXT: words of a source, which must occur in an evidence article

    @property
    def target_column(self) -> str:
        return self.column or self.name


@dataclass(frozen=True)
class Index:
    """An index over several columns (one-column indexes are `Column.index`)."""

    name: str
    columns: tuple[str, ...]
    descending: bool = False  # (column DESC NULLS LAST)
    postgresql_only: bool = False


@dataclass(frozen=True)
class Unique:
    """A UNIQUE constraint over several columns."""

    columns: tuple[str, ...]


@dataclass(frozen=True)
class Check:
    """A CHECK constraint: its name and its SQL condition."""

    name: str
    sql: str


@dataclass(frozen=True)
class Kind:
    """A curated record kind ([[charge]], [[alias]]...): its doc, and its groups of fields of
    which exactly one must be given (the record's owner). Its fields are those of the
    table(s) it fills."""

    name: str
    doc: str
    exactly_one_of: tuple[str, ...] = ()


@dataclass(frozen=True)
class Table:
    """One table of the store: its doc, its parts in column order (fields, which fill columns,
    plain columns, and multi-column indexes and constraints), and the kind that fills it."""

    name: str
    doc: str
    parts: tuple[Field | Column | Index | Unique | Check, ...]
    kind: Kind | None = None

    @property
    def fields(self) -> tuple[Field, ...]:
        return tuple(part for part in self.parts if isinstance(part, Field))

    @property
    def columns(self) -> tuple[Column, ...]:
        return tuple(column for part in self.parts for column in _columns_of(part))

    def column(self, name: str) -> Column:
        """The column called `name` (KeyError for an unknown name)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(f"{self.name}.{name}")

    @property
    def uniques(self) -> tuple[Unique, ...]:
        return tuple(part for part in self.parts if isinstance(part, Unique))

    @property
    def indexes(self) -> tuple[Index, ...]:
        """Every index, by name: one per indexed column (`ix_<table>_<column>`), its
        PostgreSQL-only descending twin (`..._desc`), and the multi-column ones."""
        found = [part for part in self.parts if isinstance(part, Index)]
        for column in self.columns:
            if column.index:
                found.append(Index(f"ix_{self.name}_{column.name}", (column.name,)))
            if column.latest_first:
                found.append(Index(f"ix_{self.name}_{column.name}_desc", (column.name,),
                                   descending=True, postgresql_only=True))
        return tuple(sorted(found, key=lambda index: index.name))

    @property
    def checks(self) -> tuple[Check, ...]:
        """Every CHECK constraint, in column order (each vocabulary column's values, and the
        custom ones), then "exactly one of" a kind's owners where the table holds them all."""
        found: list[Check] = []
        for part in self.parts:
            found += [_vocabulary_check(column) for column in _columns_of(part)
                      if column.vocabulary is not None]
            if isinstance(part, Check):
                found.append(part)
        owners = self.kind.exactly_one_of if self.kind else ()
        fields = {field.name: field for field in self.fields}
        if owners and all(owner in fields for owner in owners):
            columns = [fields[owner].target_column for owner in owners]
            found.append(_exactly_one_check(self.kind.name, columns))
        return tuple(found)


def _columns_of(part: Field | Column | Index | Unique | Check) -> tuple[Column, ...]:
    if isinstance(part, Field):
        return part.columns
    return (part,) if isinstance(part, Column) else ()


def _vocabulary_check(column: Column) -> Check:
    # Vocabulary values are our own constants, never user text, so inlining them is safe.
    listed = ", ".join("'" + value.replace("'", "''") + "'" for value in column.vocabulary)
    test = f"{column.name} IN ({listed})"
    if not column.required:
        test = f"{column.name} IS NULL OR {test}"
    return Check(f"ck_{column.name}_vocab", test)


def _exactly_one_check(kind: str, columns: list[str]) -> Check:
    given = " + ".join(f"(CASE WHEN {name} IS NULL THEN 0 ELSE 1 END)" for name in columns)
    return Check(f"ck_{kind}_one_owner", f"{given} = 1")


# -- helpers: the conventions ----------------------------------------------------------------

def fact_table(name: str, kind: Kind, doc: str, *parts: Field | Column | Index | Unique | Check,
               key_doc: str = "row id and curator's id.", note_doc: str = "curator's remarks.",
               evidence: bool = True) -> Table:
    """A table filled by a record kind: `id` and `key` first, then `parts`, then `note`, and
    (unless the kind takes none) the record's evidence, which goes to the evidence table."""
    record_id = Field("id", ID, required=True, doc=ID_DOC, columns=(
        Column("id", "integer", key_doc, primary_key=True),
        Column("key", f"varchar({MAX_ID_LENGTH})", required=True, unique=True),
    ))
    note = Field("note", TEXT, doc=NOTE_DOC, columns=(Column("note", "text", note_doc),))
    facts = ()
    if evidence:
        facts = (
            Field("inferred", INFERRED, doc=INFERRED_DOC, columns=(
                Column("inferred", "text",
                       "the curated fields whose value is inferred, not stated (\"counts, "
                       "filed.latest\": a date's one bound is FIELD.earliest or "
                       "FIELD.latest), joined with \", \"; NULL when none. Each basis is a row "
                       "of `inferences`."),
                Column("derived", "text",
                       "the dates whose latest day the build derived from the publication of "
                       "the articles reporting the fact (no source states it), joined with "
                       "\", \"; NULL when none. Each is a row of `inferences` too."),
            )),
            Field("evidence", EVIDENCE, required=True, doc=EVIDENCE_DOC),
        )
    return Table(name, doc, (record_id, *parts, note, *facts), kind)


def text(name: str, type: str = "text", *, doc: str, field_doc: str = "",
         required: bool = False, column: str | None = None, index: bool = False,
         searchable: bool = False, verbatim: bool = False) -> Field:
    """A text field; `searchable` adds the indexed case-folded twin people search by;
    `verbatim` words must occur in an article of the record's evidence."""
    stored = column or name
    columns = [Column(stored, type, doc, required=required, index=index)]
    if searchable:
        columns.append(Column(f"{stored}_folded", "text", "its case-folded twin.",
                              required=required, index=True))
    return Field(name, TEXT, required, column=column, doc=field_doc, columns=tuple(columns),
                 verbatim=verbatim)


def vocabulary(name: str, values: tuple[str, ...], type: str, *, doc: str,
               field_doc: str = "", required: bool = False, column: str | None = None,
               index: bool = False, default: str | None = None) -> Field:
    """A field taking a value of a closed vocabulary (casekb/vocab.py), checked by the
    store too. With a `default`, a record that gives none has it (and the column is NOT
    NULL)."""
    stored = Column(column or name, type, doc, required=required or default is not None,
                    index=index, vocabulary=values, default=default)
    return Field(name, VOCAB, required, vocabulary=values, column=column, doc=field_doc,
                 columns=(stored,), default=default)


def stage(values: tuple[str, ...], *, doc: str) -> Field:
    """The stage of a fact (a plea agreed or entered...): the last value is the default."""
    return vocabulary("stage", values, "varchar(20)", default=values[-1],
                      doc=doc + " ({values}; a record without one is " + values[-1] + ").",
                      field_doc=f"{', '.join(values)} (default {values[-1]})")


def references(name: str, kind: str, *, link: str, doc: str) -> Field:
    """Several references to records of `kind` (one id or an array of ids), kept as rows
    of the link table `link` (declared with `link_table`)."""
    return Field(name, REFS, ref=kind, doc=doc, link=link)


def link_table(name: str, doc: str, owner: str, target: str, target_kind: str) -> Table:
    """The rows of a several-valued reference: (`<owner>_id`, `<target>_id`), one per
    value, in the order curated (`id`)."""
    return Table(name, doc, (
        Column("id", "integer", "row id (the order the values were curated in).",
               primary_key=True),
        Column(f"{owner}_id", "integer", f"the {owner} ({owner}s.id).", required=True,
               index=True, refers_to=owner, on_delete="CASCADE"),
        Column(f"{target}_id", "integer", f"the {target_kind} referred to.", required=True,
               index=True, refers_to=target_kind),
    ))


def reference(name: str, kind: str | None = None, *, doc: str, field_doc: str = "",
              required: bool = True, on_delete: str | None = "CASCADE",
              index: bool = True) -> Field:
    """A reference to a record of `kind` (by default the kind called `name`): the column
    `<name>_id` holds the id of its row. Indexed, unless a multi-column index starts with
    it; rows go with the record they belong to (ON DELETE CASCADE) unless `on_delete`."""
    kind = kind or name
    stored = Column(f"{name}_id", "integer", doc, required=required, index=index,
                    refers_to=kind, on_delete=on_delete)
    return Field(name, REF, required, ref=kind, column=stored.name,
                 doc=field_doc or reference_doc(kind), columns=(stored,))


def reference_doc(kind: str) -> str:
    """The doc of a reference that says no more than what it refers to."""
    return f"the id of {'an' if kind[0] in 'aeiou' else 'a'} {kind}"


def partial_date(name: str, *, doc: str, field_doc: str = "", column: str | None = None,
                 index: bool = False, latest_first: bool = False) -> Field:
    """A date as precise as the source: `<name>` (the first possible day), `<name>_end`
    (the last) and `<name>_precision` (day, month, year or range).

    `latest_first` adds a PostgreSQL-only index in the order of `order by DATE desc`: the
    language puts empty values last in both directions. PostgreSQL's btree index keeps NULLs
    last in ascending order, so read backwards it gives DESC NULLS FIRST, and the compiled
    `ORDER BY x DESC NULLS LAST` sorted the whole table instead ("latest 20 sentences", 10k
    cases: 42x the raw SQL). An index (x DESC NULLS LAST) serves it. SQLite needs none: its
    NULLs sort first, so its index read backwards is DESC NULLS LAST.
    """
    return Field(name, DATE, column=column, doc=field_doc,
                 columns=date_columns(column or name, doc, index=index,
                                      latest_first=latest_first))


def date_columns(name: str, doc: str, *, index: bool = False,
                 latest_first: bool = False) -> tuple[Column, ...]:
    """The three columns of a date (see partial_date); alone, for a date the build computes."""
    return (
        Column(name, "date", doc, index=index, latest_first=latest_first),
        Column(f"{name}_end", "date"),
        Column(f"{name}_precision", "varchar(8)", vocabulary=vocab.DATE_PRECISIONS),
    )


def amount(name: str = "amount", *, field_doc: str = "") -> Field:
    """A quantity ("18 months", "$5,000", "24 hours"), normalised so that amounts compare
    across units: durations in days, money in cents, community service in hours."""
    return Field(name, QUANTITY, doc=field_doc, columns=(
        Column(f"{name}_value", "float",
               "the normalised amount (days, cents or hours), NULL when not stated."),
        Column(f"{name}_unit", "varchar(10)", "`days`, `cents` or `hours`."),
        Column(f"{name}_dimension", "varchar(10)", "{values}.",
               vocabulary=vocab.QUANTITY_DIMENSIONS),
        Column(f"{name}_text", "varchar(100)", 'the amount as the source wrote it ("18 months").'),
    ))


def integer(name: str, *, doc: str, field_doc: str = "") -> Field:
    """A whole number (the validator takes 1 or more)."""
    return Field(name, INT, doc=field_doc, columns=(Column(name, "integer", doc),))


def boolean(name: str, *, doc: str, field_doc: str = "") -> Field:
    """true, false, or not stated (NULL)."""
    return Field(name, BOOL, doc=field_doc, columns=(Column(name, "boolean", doc),))


def flag(name: str, *, doc: str, field_doc: str = "") -> Field:
    """true or false; left out means false."""
    return Field(name, BOOL, doc=field_doc, columns=(
        Column(name, "boolean", doc, required=True, default=False),))
