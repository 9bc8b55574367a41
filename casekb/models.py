"""The store's tables, as SQLAlchemy 2.0 typed ORM models.

Conventions, so that other tools can query the file without reading this code:
- every table has an integer `id` and, for curated records, the curator's stable `key`;
- a partial date is three columns: `<name>` (first day), `<name>_end` (last day) and
  `<name>_precision` ('day' | 'month' | 'year');
- names that people search by have a `*_folded` twin (Python's str.casefold) with an index,
  so case-insensitive look-ups work the same on SQLite and PostgreSQL;
- every fact row is tied to its sources through `evidence` (fact_table, fact_id).

`schema/schema.sql` is generated from these models (`casekb schema`); a test fails when they
drift. `schema/README.md` explains every table and column.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    Boolean, CheckConstraint, Date, Float, ForeignKey, Index, Integer, String, Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from casekb import vocab


def _one_of(column: str, values: tuple[str, ...], nullable: bool = False) -> CheckConstraint:
    # Vocabulary values are our own constants, never user text, so inlining them is safe.
    listed = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    test = f"{column} IN ({listed})"
    if nullable:
        test = f"{column} IS NULL OR {test}"
    return CheckConstraint(test, name=f"ck_{column}_vocab")


def _precision(column: str) -> CheckConstraint:
    return _one_of(f"{column}_precision", vocab.DATE_PRECISIONS, nullable=True)


class Base(DeclarativeBase):
    """Declarative base of every casekb table."""


class Meta(Base):
    """Key/value facts about the store itself: schema version, input hash, build time."""

    __tablename__ = "meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Source(Base):
    """A news article: the file it came from, its outlet, headline and publication date."""

    __tablename__ = "sources"
    __table_args__ = (_precision("published"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    file: Mapped[str] = mapped_column(String(500))
    outlet: Mapped[str | None] = mapped_column(String(200))
    headline: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    published_end: Mapped[date | None] = mapped_column(Date)
    published_precision: Mapped[str | None] = mapped_column(String(8))
    basis: Mapped[str | None] = mapped_column(Text)  # how outlet, headline, date were established
    sha256: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Case(Base):
    """A criminal case (or a group of related prosecutions from one incident)."""

    __tablename__ = "cases"
    __table_args__ = (_precision("incident"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    title_folded: Mapped[str] = mapped_column(Text, index=True)
    jurisdiction: Mapped[str | None] = mapped_column(String(200), index=True)
    venue: Mapped[str | None] = mapped_column(String(200))
    incident: Mapped[date | None] = mapped_column(Date)
    incident_end: Mapped[date | None] = mapped_column(Date)
    incident_precision: Mapped[str | None] = mapped_column(String(8))
    summary: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class CaseAlias(Base):
    """Another name a case goes by ("Rust" for the Rust set shooting)."""

    __tablename__ = "case_aliases"
    __table_args__ = (UniqueConstraint("case_id", "alias_folded"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text)
    alias_folded: Mapped[str] = mapped_column(Text, index=True)
    note: Mapped[str | None] = mapped_column(Text)


class Person(Base):
    """A person named in the sources."""

    __tablename__ = "people"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    name_folded: Mapped[str] = mapped_column(Text, index=True)
    note: Mapped[str | None] = mapped_column(Text)


class PersonAlias(Base):
    """A spelling variant of a person's name used by a source ("David Halls", "Balwin")."""

    __tablename__ = "person_aliases"
    __table_args__ = (UniqueConstraint("person_id", "alias_folded"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(Text)
    alias_folded: Mapped[str] = mapped_column(Text, index=True)
    note: Mapped[str | None] = mapped_column(Text)


class Role(Base):
    """A person's part in a case (defendant, victim, prosecutor...), with a title ("armorer")."""

    __tablename__ = "roles"
    __table_args__ = (_one_of("role", vocab.ROLES), Index("ix_roles_case_role", "case_id", "role"))
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    title: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class Offense(Base):
    """A crime as defined in a jurisdiction ("involuntary manslaughter", New Mexico)."""

    __tablename__ = "offenses"
    __table_args__ = (_one_of("offense_class", vocab.OFFENSE_CLASSES, nullable=True),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    name_folded: Mapped[str] = mapped_column(Text, index=True)
    jurisdiction: Mapped[str | None] = mapped_column(String(200))
    offense_class: Mapped[str | None] = mapped_column(String(40))
    statute: Mapped[str | None] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class Charge(Base):
    """A charge against a defendant in a case: an offense, a number of counts, dates, status.

    `status` is the latest entry of the charge's status history (`charge_statuses`), kept
    here so that the common question needs no sub-query; `as of` queries read the history.
    """

    __tablename__ = "charges"
    __table_args__ = (
        _one_of("status", vocab.CHARGE_STATUSES, nullable=True),
        _precision("filed"), _precision("closed"),
        CheckConstraint("counts IS NULL OR counts >= 1", name="ck_counts_positive"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    defendant_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    offense_id: Mapped[int] = mapped_column(ForeignKey("offenses.id"), index=True)
    counts: Mapped[int | None] = mapped_column(Integer)
    filed: Mapped[date | None] = mapped_column(Date, index=True)
    filed_end: Mapped[date | None] = mapped_column(Date)
    filed_precision: Mapped[str | None] = mapped_column(String(8))
    closed: Mapped[date | None] = mapped_column(Date)
    closed_end: Mapped[date | None] = mapped_column(Date)
    closed_precision: Mapped[str | None] = mapped_column(String(8))
    status: Mapped[str | None] = mapped_column(String(40), index=True)
    note: Mapped[str | None] = mapped_column(Text)


class ChargeEnhancement(Base):
    """A sentencing enhancement added to a charge ("firearm")."""

    __tablename__ = "charge_enhancements"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charges.id", ondelete="CASCADE"), index=True)
    enhancement: Mapped[str] = mapped_column(String(200))
    note: Mapped[str | None] = mapped_column(Text)


class ChargeStatus(Base):
    """One dated entry of a charge's status history (pending from..., convicted on...)."""

    __tablename__ = "charge_statuses"
    __table_args__ = (
        _one_of("status", vocab.CHARGE_STATUSES), _precision("date"),
        Index("ix_charge_statuses_charge_date", "charge_id", "date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charges.id", ondelete="CASCADE"))
    status: Mapped[str] = mapped_column(String(40))
    date: Mapped[date | None] = mapped_column(Date)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(8))
    note: Mapped[str | None] = mapped_column(Text)


class Plea(Base):
    """A plea entered (or agreed) to a charge."""

    __tablename__ = "pleas"
    __table_args__ = (
        _one_of("plea", vocab.PLEAS), _precision("entered"),
        Index("ix_pleas_charge_entered", "charge_id", "entered"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charges.id", ondelete="CASCADE"))
    plea: Mapped[str] = mapped_column(String(40), index=True)
    entered: Mapped[date | None] = mapped_column(Date)
    entered_end: Mapped[date | None] = mapped_column(Date)
    entered_precision: Mapped[str | None] = mapped_column(String(8))
    agreement: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)


class Verdict(Base):
    """How a charge was disposed of: outcome, date, and who decided (jury, judge, plea)."""

    __tablename__ = "verdicts"
    __table_args__ = (
        _one_of("outcome", vocab.OUTCOMES), _one_of("decided_by", vocab.DECIDED_BY, nullable=True),
        _precision("decided"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charges.id", ondelete="CASCADE"), index=True)
    outcome: Mapped[str] = mapped_column(String(40), index=True)
    decided: Mapped[date | None] = mapped_column(Date, index=True)  # "the latest verdicts"
    decided_end: Mapped[date | None] = mapped_column(Date)
    decided_precision: Mapped[str | None] = mapped_column(String(8))
    decided_by: Mapped[str | None] = mapped_column(String(20))
    note: Mapped[str | None] = mapped_column(Text)


class Sentence(Base):
    """A sentence imposed on a charge; its components are `penalties` with bound 'imposed'."""

    __tablename__ = "sentences"
    __table_args__ = (_precision("imposed"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    charge_id: Mapped[int] = mapped_column(ForeignKey("charges.id", ondelete="CASCADE"), index=True)
    # Indexed: "the latest sentences" sorts by it (10.5 ms -> 0.06 ms on 10k cases).
    imposed: Mapped[date | None] = mapped_column(Date, index=True)
    imposed_end: Mapped[date | None] = mapped_column(Date)
    imposed_precision: Mapped[str | None] = mapped_column(String(8))
    summary: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Penalty(Base):
    """One component of a punishment: kind, bound, a normalised quantity and flags.

    Statutory bounds (maximum, minimum) attach to an offense or a charge; imposed components
    to a sentence. Exactly one of offense_id, charge_id, sentence_id is set.
    """

    __tablename__ = "penalties"
    __table_args__ = (
        _one_of("kind", vocab.PENALTY_KINDS), _one_of("bound", vocab.BOUNDS),
        _one_of("amount_dimension", vocab.QUANTITY_DIMENSIONS, nullable=True),
        CheckConstraint(
            "(CASE WHEN offense_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN charge_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN sentence_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="ck_penalty_one_owner"),
        Index("ix_penalties_dimension_value", "amount_dimension", "amount_value"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    offense_id: Mapped[int | None] = mapped_column(ForeignKey("offenses.id", ondelete="CASCADE"), index=True)
    charge_id: Mapped[int | None] = mapped_column(ForeignKey("charges.id", ondelete="CASCADE"), index=True)
    sentence_id: Mapped[int | None] = mapped_column(ForeignKey("sentences.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(40), index=True)
    bound: Mapped[str] = mapped_column(String(20))
    amount_value: Mapped[float | None] = mapped_column(Float)  # days, cents or hours
    amount_unit: Mapped[str | None] = mapped_column(String(10))  # 'days' | 'cents' | 'hours'
    amount_dimension: Mapped[str | None] = mapped_column(String(10))
    amount_text: Mapped[str | None] = mapped_column(String(100))  # as the source wrote it
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    unsupervised: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str | None] = mapped_column(Text)


class Event(Base):
    """A dated step in a case's timeline."""

    __tablename__ = "events"
    __table_args__ = (
        _one_of("kind", vocab.EVENT_KINDS), _precision("date"),
        Index("ix_events_case_date", "case_id", "date"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    # Its own index too: "events where date >= 2024-03" spans every case.
    date: Mapped[date | None] = mapped_column(Date, index=True)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str | None] = mapped_column(String(8))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    description: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Statement(Base):
    """An on-record quote by a person about a case or a person."""

    __tablename__ = "statements"
    __table_args__ = (_one_of("stance", vocab.STANCES, nullable=True), _precision("said"))
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    speaker_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    about_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    said: Mapped[date | None] = mapped_column(Date)
    said_end: Mapped[date | None] = mapped_column(Date)
    said_precision: Mapped[str | None] = mapped_column(String(8))
    stance: Mapped[str | None] = mapped_column(String(20))
    medium: Mapped[str | None] = mapped_column(String(200))  # "Instagram", "TMZ", "ABC interview"
    quote: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Evidence(Base):
    """A (source, verbatim quote) pair supporting one fact row.

    `fact_table` names the table of the fact ('charges', 'pleas', ...) and `fact_id` its id.
    """

    __tablename__ = "evidence"
    __table_args__ = (Index("ix_evidence_fact", "fact_table", "fact_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    source_id: Mapped[int] = mapped_column(ForeignKey("sources.id", ondelete="CASCADE"), index=True)
    fact_table: Mapped[str] = mapped_column(String(40))
    fact_id: Mapped[int] = mapped_column(Integer)
    quote: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class Dispute(Base):
    """Sources disagree: the conflicting claims are each kept as facts and listed here."""

    __tablename__ = "disputes"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    subject: Mapped[str] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)


class DisputeClaim(Base):
    """One of the conflicting facts of a dispute (a row of `fact_table`)."""

    __tablename__ = "dispute_claims"
    __table_args__ = (Index("ix_dispute_claims_fact", "fact_table", "fact_id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    dispute_id: Mapped[int] = mapped_column(ForeignKey("disputes.id", ondelete="CASCADE"), index=True)
    fact_table: Mapped[str] = mapped_column(String(40))
    fact_id: Mapped[int] = mapped_column(Integer)


# The tables whose rows are facts with evidence, keyed by the curated record kind.
FACT_MODELS: dict[str, type[Base]] = {
    "source": Source, "case": Case, "case_alias": CaseAlias, "person": Person,
    "person_alias": PersonAlias, "role": Role, "offense": Offense, "charge": Charge,
    "enhancement": ChargeEnhancement, "status": ChargeStatus, "plea": Plea, "verdict": Verdict,
    "sentence": Sentence, "penalty": Penalty, "event": Event, "statement": Statement,
}


# -- PostgreSQL-only indexes ---------------------------------------------------------------

def _descending_on_postgresql(column: Any) -> Index:
    """A PostgreSQL-only companion of a column's index, in the order of `order by FIELD desc`.

    The language puts empty values last in both directions. PostgreSQL's btree index keeps
    NULLs last in ascending order, so read backwards it gives DESC NULLS FIRST, and the
    compiled `ORDER BY x DESC NULLS LAST` sorted the whole table instead ("latest 20
    sentences", 10k cases: 42x the raw SQL). An index (x DESC NULLS LAST) serves it. SQLite
    needs none: its NULLs sort first, so its index read backwards is DESC NULLS LAST.
    """
    name = f"ix_{column.table.name}_{column.name}_desc"
    return Index(name, column.desc().nulls_last()).ddl_if(dialect="postgresql")


# The date columns indexed for sorting ("the latest sentences", "the latest verdicts").
POSTGRESQL_ONLY_INDEXES = tuple(_descending_on_postgresql(column) for column in (
    Charge.__table__.c.filed, Verdict.__table__.c.decided, Sentence.__table__.c.imposed,
    Event.__table__.c.date,
))


def indexes_for(table: Any, dialect: str) -> list[Index]:
    """The indexes of `table` that a store on `dialect` ("sqlite", "postgresql") has, by name
    (`metadata.create_all` makes the same choice from each index's `ddl_if`)."""
    def made(index: Index) -> bool:
        condition = index._ddl_if  # set by Index.ddl_if(); no public accessor
        if condition is None or condition.dialect is None:
            return True
        wanted = condition.dialect
        return dialect == wanted if isinstance(wanted, str) else dialect in wanted
    return sorted((index for index in table.indexes if made(index)),
                  key=lambda index: index.name or "")
