"""The store's SQL views: one per language entity (`v_charges`, ...), plus `v_evidence` and
`v_disputes`, for people who query the store with other tools.

An entity's view is the language query "ENTITY show <every field>" compiled by the language's
own compiler (casekb/plan/compiler.py) from the registry (casekb/lang/registry.py), so the
views and the language cannot drift: a field added to the registry is a column of its view.
Only the output columns are reshaped into plain SQL values that any tool understands:

- a date is four columns: `<field>` its text ("2024-01-19", "2024-01" or "2024"; bounds as
  "2021-10-22/2023-01-20", "../2023-01-20", "2024-03-09/.."), `<field>_from` and `<field>_to`
  the first and last day it may be (ISO days, which every tool reads as dates: Datasette's
  date facets, pandas' to_datetime; NULL when that bound is not known), and
  `<field>_precision` (day, month, year or range);
- a value as last reported (a charge's status) is `<field>` and `<field>_reported`, the
  text of the date it was last reported;
- an amount is three columns: `<field>` the text the source wrote ("18 months"),
  `<field>_value` the normalised number and `<field>_unit` its unit (days, cents, hours);
- a field of several values (a charge's enhancements) is text, the values sorted and
  joined with ", ";
- everything else as stored (booleans 0/1 in SQLite).

Every entity that is a fact with evidence has an `id` field, the row's curator id, which
`v_evidence.fact_key` and `v_disputes.fact_key` name (with `fact_table` = the entity's table),
so that a fact and its sources can be joined from the views alone, as people with only the
CSV export must.

The `disputes` entity has no generated view: `v_disputes` is its SQL form, made by hand
with one row per conflicting fact (dispute, case, subject, note and the fact's table and key),
which is what a join to `v_evidence` or to an entity's view needs; the language's `claims`
field joins those same facts into one text per dispute instead.

Rows come in the entity's default order, as `casekb query ENTITY` lists them. The internal
constants of a query (the list separator, `role = 'defendant'`) are written into the view as
literals; no user text ever reaches this SQL. schema/README.md documents every view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Select

    from casekb.lang.registry import Entity, Field

VIEW_PREFIX = "v_"
# How the values of a several-valued field are joined in a view (the language uses a control
# character internally and splits again; a view is read by people and other tools).
VIEW_LIST_SEPARATOR = ", "
# Views beyond the entities, in the order they are created and documented.
EXTRA_VIEWS = ("v_evidence", "v_disputes")


@dataclass(frozen=True)
class View:
    """One view: its name, its columns in order, its SELECT statement as SQL text, what a row
    is, and what each column (or group of columns) holds."""

    name: str
    columns: tuple[str, ...]
    select_sql: str
    description: str
    column_docs: tuple[tuple[tuple[str, ...], str], ...] = ()

    def create_sql(self) -> str:
        """CREATE VIEW for this view."""
        return f"CREATE VIEW {self.name} AS\n{self.select_sql};"


def view_name(entity: Entity) -> str:
    """The view of an entity: `v_` and its plural name."""
    return VIEW_PREFIX + entity.name


def field_columns(field: Field) -> tuple[str, ...]:
    """The columns a field has in its entity's view (a date has four, an amount three,
    others one)."""
    from casekb.lang.registry import FieldType

    name = field.name
    if field.type is FieldType.QUANTITY:
        return (name, f"{name}_value", f"{name}_unit")
    if field.type is FieldType.DATE:
        return (name, f"{name}_from", f"{name}_to", f"{name}_precision")
    if _reported(field):
        return (name, f"{name}_reported")
    return (name,)


def _reported(field: Field) -> bool:
    from casekb.lang.fields import Reported

    return isinstance(field.access, Reported)


def field_doc(entity: Entity, field: Field) -> str:
    """What a field's columns hold, for schema/README.md."""
    from casekb.lang.registry import FieldType

    doc = field.meaning
    if field.type is FieldType.ENUM:
        doc += " (" + ", ".join(field.values) + ")"
    if field.type is FieldType.DATE:
        doc += ("; its text (`2024-01-19`, `2024-01`, `2024`, or bounds: "
                "`2021-10-22/2023-01-20`, `../2023-01-20` on or before, `2024-03-09/..` on or "
                "after), then the first and last day it may be (ISO days; NULL when not "
                "known), and its precision (day, month, year or range)")
    elif _reported(field):
        doc += "; then the date it was last reported (as text, like a date's)"
    elif field.type is FieldType.QUANTITY:
        doc += ("; as the source wrote it (\"18 months\"), then normalised, and the unit of "
                "that number (days, cents or hours)")
    elif field.type is FieldType.BOOLEAN:
        doc += " (1 or 0)"
    if field.several:
        doc += "; several values, sorted and joined with \", \""
    if field.name == "id" and entity.evidence_table:
        doc += (f"; its sources are the `v_evidence` rows with `fact_table = "
                f"'{entity.evidence_table}'` and `fact_key = id`")
    return doc


def entity_columns(entity: Entity) -> tuple[str, ...]:
    """The columns of an entity's view: its fields', in the order of the registry."""
    return tuple(column for field in entity.fields for column in field_columns(field))


def viewed_entities() -> list[Entity]:
    """The entities with a generated view: all but those whose view is one of EXTRA_VIEWS
    (disputes: `v_disputes`, one row per conflicting fact, is made by hand)."""
    from casekb.lang.registry import ENTITIES

    return [e for e in ENTITIES if view_name(e) not in EXTRA_VIEWS]


def views(dialect: Any = None) -> list[View]:
    """Every view, entities first (in the registry's order), then v_evidence and v_disputes.

    `dialect` is a SQLAlchemy dialect (default SQLite).
    """
    dialect = dialect or _sqlite()
    made = [View(view_name(e), entity_columns(e), _sql(entity_select(e), dialect), e.description,
                 tuple((field_columns(f), field_doc(e, f)) for f in e.fields))
            for e in viewed_entities()]
    made.append(View("v_evidence", tuple(name for names, _ in EVIDENCE_COLUMNS for name in names),
                     _sql(evidence_select(), dialect),
                     "Every (article, quote) pair behind a fact, one row each.",
                     EVIDENCE_COLUMNS))
    made.append(View("v_disputes", tuple(name for names, _ in DISPUTE_COLUMNS for name in names),
                     _sql(disputes_select(), dialect),
                     "Where sources disagree: one row per conflicting fact of each dispute. "
                     "It is the SQL form of the language's `disputes` entity, which shows a "
                     "dispute as one row with its `claims` (`kind:id`) joined; this view "
                     "gives one row per claim, so that each can be joined to `v_evidence`.",
                     DISPUTE_COLUMNS))
    return made


def docs_text() -> str:
    """A section per view for schema/README.md: what a row is, then each column."""
    import textwrap

    sections = []
    for view in views():
        lines = [f"### {view.name}", textwrap.fill(view.description, 95)]
        for names, doc in view.column_docs:
            named = ", ".join(f"`{name}`" for name in names)
            lines.append(textwrap.fill(f"- {named}: {doc}", 95, subsequent_indent="  "))
        sections.append("\n".join(lines))
    return "\n\n".join(sections)


def ddl(dialect: Any = None) -> str:
    """CREATE VIEW statements for every view, as one SQL script."""
    parts = ["-- Views: one per query-language entity, plus v_evidence and v_disputes.",
             "-- Generated from casekb/lang/registry.py by casekb/build/views.py; see schema/README.md.",
             ""]
    for view in views(dialect):
        parts += [view.create_sql(), ""]
    return "\n".join(parts)


def create_views(connection: Any) -> None:
    """Create every view through a SQLAlchemy Connection to a SQLite or PostgreSQL store, in
    the connection's dialect (replacing any view of the same name, so an older store gets the
    current definitions)."""
    for view in views(connection.dialect):
        connection.exec_driver_sql(f"DROP VIEW IF EXISTS {view.name}")
        connection.exec_driver_sql(view.create_sql())


# -- Entity views -------------------------------------------------------------------------

def entity_select(entity: Entity) -> Select:
    """The SELECT of an entity's view: the language's query for all its fields, with each
    field's value reshaped into plain SQL values."""
    from sqlalchemy import case, literal

    from casekb.dates import OPEN_END, OPEN_START
    from casekb.lang.registry import FieldType
    from casekb.lang.resolve import ResolvedQuery
    from casekb.plan.compiler import compile_query
    from casekb.plan.sqlfunctions import iso_date_text
    from casekb.quantities import DIMENSION_UNIT

    compiled = compile_query(ResolvedQuery.listing(entity, entity.fields))
    core = compiled.statement
    by_label = {column.name: column.element for column in core.selected_columns}
    shown = []
    for field, output in zip(entity.fields, compiled.columns):
        value = by_label[output.labels[0]]
        if field.type is FieldType.DATE:
            end, precision = by_label[output.labels[1]], by_label[output.labels[2]]
            shown += [_date_text(value, end, precision).label(field.name),
                      iso_date_text(_known(value, OPEN_START)).label(f"{field.name}_from"),
                      iso_date_text(_known(end, OPEN_END)).label(f"{field.name}_to"),
                      precision.label(f"{field.name}_precision")]
        elif output.type == "reported":
            start, end, precision = (by_label[label] for label in output.labels[2:])
            shown += [value.label(field.name),
                      _date_text(start, end, precision).label(f"{field.name}_reported")]
        elif field.type is FieldType.QUANTITY:
            dimension, words = by_label[output.labels[1]], by_label[output.labels[2]]
            unit = case(*((dimension == literal(name), literal(unit))
                          for name, unit in DIMENSION_UNIT.items()), else_=None)
            shown += [words.label(field.name), value.label(f"{field.name}_value"),
                      unit.label(f"{field.name}_unit")]
        else:
            shown.append(value.label(field.name))
    statement = core.with_only_columns(*shown, maintain_column_froms=False)
    separators = [name for name in statement.compile().params
                  if name.startswith("list_separator")]
    return statement.params({name: VIEW_LIST_SEPARATOR for name in separators})


# -- v_evidence and v_disputes ------------------------------------------------------------

EVIDENCE_COLUMNS = (
    (("fact_table", "fact_key"), "the fact supported: its table, and its curated id (the `id` "
                                 "of its entity's view)"),
    (("source",), "the article's id (`v_sources.id`)"),
    (("outlet", "published", "headline", "file"), "about the article (`published` as ISO text "
                                                  "at its precision)"),
    (("quote",), "the verbatim quote"),
    (("note",), "the curator's remark on it"),
)
DISPUTE_COLUMNS = (
    (("dispute",), "the dispute's id"),
    (("case",), "the case"),
    (("subject",), "what is disputed"),
    (("fact_table", "fact_key"), "one of the conflicting facts (join `v_evidence` on both to "
                                 "read each side's sources)"),
    (("note",), "the curator's account of the disagreement"),
)


def _fact_key(fact_table: Any, fact_id: Any) -> Any:
    """The curator's key of the fact row (fact_table, fact_id), looked up in its own table."""
    from sqlalchemy import case, literal, select

    from casekb.schema.declaration import fact_tables
    from casekb.schema.tables import table

    # Each table under an alias, so that the look-up never correlates with the outer query's
    # own use of the table (v_evidence joins sources).
    looked_up = [(name, table(name).alias("fact")) for name in sorted(fact_tables())]
    return case(*((fact_table == literal(name),
                   select(row.c.key).where(row.c.id == fact_id).scalar_subquery())
                  for name, row in looked_up), else_=None)


def _date_text(start: Any, end: Any, precision: Any) -> Any:
    """A date's text (casekb/dates.py): ISO at its precision, or its bounds as days with
    ".." for a bound not known."""
    from sqlalchemy import case, func, literal

    from casekb.dates import OPEN, OPEN_END, OPEN_START
    from casekb.plan.sqlfunctions import iso_date_text

    text = iso_date_text(start)
    bounds = (func.coalesce(iso_date_text(_known(start, OPEN_START)), literal(OPEN))
              + literal("/") + func.coalesce(iso_date_text(_known(end, OPEN_END)), literal(OPEN)))
    return case((precision == literal("year"), func.substr(text, 1, 4)),
                (precision == literal("month"), func.substr(text, 1, 7)),
                (precision == literal("range"), bounds), else_=text)


def _known(day: Any, unknown: Any) -> Any:
    """The day, or NULL when it is the mark of a bound not known (OPEN_START, OPEN_END)."""
    from sqlalchemy import Date, func, literal

    return func.nullif(day, literal(unknown, Date))


def evidence_select() -> Select:
    """v_evidence: each piece of evidence with its fact, its article and the quote."""
    from sqlalchemy import select

    from casekb.schema.tables import table

    evidence, sources = table("evidence"), table("sources")
    return (select(evidence.c.fact_table.label("fact_table"),
                   _fact_key(evidence.c.fact_table, evidence.c.fact_id).label("fact_key"),
                   sources.c.key.label("source"), sources.c.outlet.label("outlet"),
                   _date_text(sources.c.published, sources.c.published_end,
                              sources.c.published_precision).label("published"),
                   sources.c.headline.label("headline"), sources.c.file.label("file"),
                   evidence.c.quote.label("quote"), evidence.c.note.label("note"))
            .select_from(evidence.join(sources, sources.c.id == evidence.c.source_id))
            .order_by(evidence.c.id))


def disputes_select() -> Select:
    """v_disputes: each dispute with one row per conflicting fact (its table and key)."""
    from sqlalchemy import select

    from casekb.schema.tables import table

    disputes, claims, cases = table("disputes"), table("dispute_claims"), table("cases")
    return (select(disputes.c.key.label("dispute"), cases.c.title.label("case"),
                   disputes.c.subject.label("subject"), claims.c.fact_table.label("fact_table"),
                   _fact_key(claims.c.fact_table, claims.c.fact_id).label("fact_key"),
                   disputes.c.note.label("note"))
            .select_from(disputes.join(claims, claims.c.dispute_id == disputes.c.id)
                         .outerjoin(cases, cases.c.id == disputes.c.case_id))
            .order_by(disputes.c.id, claims.c.id))


def _sql(statement: Select, dialect: Any) -> str:
    compiled = statement.compile(dialect=dialect, compile_kwargs={"literal_binds": True})
    return "\n".join(line.rstrip() for line in str(compiled).strip().splitlines())


def _sqlite():
    from sqlalchemy.dialects import sqlite

    return sqlite.dialect()
