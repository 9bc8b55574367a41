"""The store's tables as the query language sees them: names, columns and column types.

casekb/models.py is the schema (typed ORM classes); importing it loads SQLAlchemy's ORM and
maps every class, which costs about a third of a second, on the path of every query. The
language only needs table and column names with their types (a Date column must come back as
a date, a Boolean as a bool), so it declares them here, as casekb.lang.sqlexpr tables: the
compiler builds its statements from them without importing SQLAlchemy at all. Each table's
`.core` is its SQLAlchemy table clause, made on first use; `core.NAME` gives the same for code
that builds SQLAlchemy statements itself (casekb.profile, the REPL).
tests/test_compile.py checks every column below against the models, so the two cannot drift.
"""

from __future__ import annotations

from casekb.lang.sqlexpr import Table

# Column types by the name used below (SQLAlchemy's type classes, looked up on first use).
_TYPE_NAMES = ("Boolean", "Date", "Float", "Integer", "String", "Text")


def table(name: str, *columns: tuple[str, str]) -> Table:
    return Table(name, *columns)


def column(name: str, kind: str) -> tuple[str, str]:
    assert kind in _TYPE_NAMES, kind
    return (name, kind)


Boolean, Date, Float, Integer, String, Text = _TYPE_NAMES


def _dated(name: str) -> list:
    """The three columns of a partial date (see casekb/dates.py)."""
    return [column(name, Date), column(f"{name}_end", Date), column(f"{name}_precision", String)]


sources = table(
    "sources", column("id", Integer), column("key", String), column("file", String),
    column("outlet", String), column("headline", Text), column("url", Text), *_dated("published"),
)
cases = table(
    "cases", column("id", Integer), column("key", String), column("title", Text),
    column("title_folded", Text), column("jurisdiction", String), column("venue", String),
    *_dated("incident"), column("summary", Text),
)
case_aliases = table(
    "case_aliases", column("id", Integer), column("key", String), column("case_id", Integer),
    column("alias", Text),
    column("alias_folded", Text),
)
people = table(
    "people", column("id", Integer), column("key", String), column("name", Text),
    column("name_folded", Text),
)
person_aliases = table(
    "person_aliases", column("id", Integer), column("key", String), column("person_id", Integer),
    column("alias", Text), column("alias_folded", Text),
)
roles = table(
    "roles", column("id", Integer), column("key", String), column("case_id", Integer),
    column("person_id", Integer), column("role", String), column("title", String),
)
offenses = table(
    "offenses", column("id", Integer), column("key", String), column("name", Text),
    column("name_folded", Text),
    column("jurisdiction", String), column("offense_class", String), column("statute", String),
)
charges = table(
    "charges", column("id", Integer), column("key", String), column("case_id", Integer),
    column("defendant_id", Integer), column("offense_id", Integer), column("counts", Integer),
    *_dated("filed"), *_dated("closed"), column("status", String),
)
charge_enhancements = table(
    "charge_enhancements", column("id", Integer), column("key", String),
    column("charge_id", Integer),
    column("enhancement", String),
)
charge_statuses = table(
    "charge_statuses", column("id", Integer), column("key", String), column("charge_id", Integer),
    column("status", String), *_dated("date"),
)
pleas = table(
    "pleas", column("id", Integer), column("key", String), column("charge_id", Integer),
    column("plea", String), *_dated("entered"), column("agreement", Boolean),
)
verdicts = table(
    "verdicts", column("id", Integer), column("key", String), column("charge_id", Integer),
    column("outcome", String), *_dated("decided"), column("decided_by", String),
)
sentences = table(
    "sentences", column("id", Integer), column("key", String), column("charge_id", Integer),
    *_dated("imposed"), column("summary", Text),
)
penalties = table(
    "penalties", column("id", Integer), column("key", String), column("offense_id", Integer),
    column("charge_id", Integer), column("sentence_id", Integer), column("kind", String),
    column("bound", String), column("amount_value", Float), column("amount_unit", String),
    column("amount_dimension", String), column("amount_text", String),
    column("suspended", Boolean), column("unsupervised", Boolean),
)
events = table(
    "events", column("id", Integer), column("key", String), column("case_id", Integer),
    *_dated("date"), column("kind", String), column("description", Text),
)
statements = table(
    "statements", column("id", Integer), column("key", String), column("case_id", Integer),
    column("speaker_id", Integer), column("about_id", Integer), *_dated("said"),
    column("stance", String), column("medium", String), column("quote", Text),
)
disputes = table(
    "disputes", column("id", Integer), column("key", String), column("case_id", Integer),
    column("subject", Text), column("note", Text),
)
dispute_claims = table(
    "dispute_claims", column("id", Integer), column("dispute_id", Integer),
    column("fact_table", String), column("fact_id", Integer),
)
evidence = table(
    "evidence", column("id", Integer), column("source_id", Integer),
    column("fact_table", String), column("fact_id", Integer), column("quote", Text),
)

ALL = (sources, cases, case_aliases, people, person_aliases, roles, offenses, charges,
       charge_enhancements, charge_statuses, pleas, verdicts, sentences, penalties, events,
       statements, disputes, dispute_claims, evidence)


class _CoreTables:
    """`core.cases`: the SQLAlchemy table clause of `cases` (SQLAlchemy imported on first use)."""

    def __getattr__(self, name: str):
        found = globals().get(name)
        if not isinstance(found, Table):
            raise AttributeError(name)
        return found.core


core = _CoreTables()
