"""The single source of truth of the query language: its entities and their fields.

For each entity: its plural and singular names, what a row is, the tables it reads (a base
table and the joins its fields need), its fields, the columns shown and the order used when a
query says nothing, what `as of DATE` does to it, and the table its evidence is filed under.

For each field: its name, its type (see FieldType), what it means, and how to reach its value
(an *accessor*: a plain column, a partial date, an amount, a reference to a named person or
case, or several values from a related table). The compiler (casekb/lang/compiler.py) turns
accessors into SQL; `describe`, the error messages, REPL completion and the SQL views are all
generated from this module, so a field added here is a field everywhere.

Columns are reached through a *scope* (`scope["defendant"]`): the compiler joins a table only
when some field of the query needs it, in the order the joins are declared here.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING, Any

from casekb import vocab
from casekb.lang import tables as t
from casekb.lang.sqlexpr import and_, bindparam, case, exists, func, literal, or_, select

if TYPE_CHECKING:
    from casekb.dates import PartialDate

Scope = Any  # casekb.lang.compiler.Scope: scope["alias"] -> a table or alias, joined on demand
Expr = Callable[[Scope], Any]


class FieldType(str, Enum):
    """What a field holds, which decides the operators and values it accepts."""

    TEXT = "text"
    NAME = "name"
    DATE = "date"
    INTEGER = "integer"
    QUANTITY = "quantity"
    ENUM = "enum"
    BOOLEAN = "boolean"


# How each type is named in `describe` and in error messages.
TYPE_WORDS = {
    FieldType.TEXT: "text",
    FieldType.NAME: "a name",
    FieldType.DATE: "a date",
    FieldType.INTEGER: "a whole number",
    FieldType.QUANTITY: "an amount",
    FieldType.ENUM: "one of a fixed list",
    FieldType.BOOLEAN: "true or false",
}

# What each type means for the operators; shown by `describe`.
TYPE_RULES = {
    FieldType.TEXT: "= and != ignore letter case; ~ finds text anywhere in it, ignoring case "
                    "(% and _ are ordinary characters); `order by` ignores the case of A-Z "
                    "(of every letter for offenses and aliases, which sort like names) and "
                    "otherwise goes character by character: accented letters after z",
    FieldType.NAME: "matches the full name or any other spelling the sources use; ~ finds text "
                    "in any of them; letter case is ignored; `order by` sorts by the name with "
                    "the case of every letter folded (ß as ss), character by character: "
                    "accented letters after z",
    FieldType.DATE: "a day 2024-01-19, a month 2024-01 or a year 2024; a month or a year stands "
                    "for all its days, and dates stored as a month or a year are ranges too: "
                    "`= 2024-01` matches a date lying within January 2024; `>= 2024` one starting "
                    "on or after 1 January 2024; `> 2024` one starting after 31 December 2024; "
                    "`<= 2024-01` one ending by 31 January 2024; `< 2024` one ending before "
                    "1 January 2024; `!=` is the opposite of `=`; `as of` keeps the facts dated on or before its date "
                    "by the rule of `<=`; `order by` sorts by the first day, then the last "
                    "(2024, 2024-03-01, 2024-03)",
    FieldType.INTEGER: "compare with a number: = != < <= > >=",
    FieldType.QUANTITY: "a duration (30 days, 18 months, 5 years), money ($500, $5,000) or hours "
                        "of service (24 hours); durations compare across units, and a row only "
                        "matches an amount of its own kind",
    FieldType.ENUM: "compare with one of the listed values (case is ignored)",
    FieldType.BOOLEAN: "compare with true or false (yes and no work too)",
}

# Shown by `describe` for every entity: what a comparison does with a value nobody recorded.
EMPTY_RULE = ("a single value that is not known (shown empty) matches no comparison, `!=` and "
              "`not in` included; `is empty` finds it")

# Shown by `describe` for fields of several values (see Related).
SEVERAL_RULE = ("a field of several values (a charge's enhancements, a person's roles) matches "
                "when any of its values does; `!=` and `not in` when none does; it is shown as "
                "the values joined with commas; `count ... by` it counts each row once under "
                "each of its values")


# -- Accessors: how a field's value is reached -------------------------------------------

@dataclass(frozen=True)
class Plain:
    """One column (or SQL expression) holding the value. `folded`, when given, is an indexed
    casefolded twin used for case-insensitive matching instead of lower(column), and to sort."""

    column: Expr
    folded: Expr | None = None


@dataclass(frozen=True)
class Dated:
    """A partial date: its first day, last day and precision (see casekb/dates.py)."""

    alias: str
    prefix: str

    def start(self, scope: Scope):
        return scope[self.alias].c[self.prefix]

    def end(self, scope: Scope):
        return scope[self.alias].c[f"{self.prefix}_end"]

    def precision(self, scope: Scope):
        return scope[self.alias].c[f"{self.prefix}_precision"]


@dataclass(frozen=True)
class Amount:
    """A normalised quantity: amount_value (days, cents or hours), amount_dimension and
    amount_text (as the source wrote it)."""

    alias: str

    def value(self, scope: Scope):
        return scope[self.alias].c.amount_value

    def dimension(self, scope: Scope):
        return scope[self.alias].c.amount_dimension

    def text(self, scope: Scope):
        return scope[self.alias].c.amount_text


@dataclass(frozen=True)
class NamedRef:
    """A reference to a person or a case: `ref` is the id column, `display` the name shown.
    Matching goes through the person's name and aliases (or the case's title and aliases).
    `folded` is the display's indexed casefolded twin: rows sort by it (see compiler.sort_keys)."""

    ref: Expr
    display: Expr
    kind: str  # "person" | "case"
    folded: Expr | None = None


@dataclass(frozen=True)
class Related:
    """Several values from rows of a related table (a charge's enhancements, a person's roles).

    A test holds when *some* related row matches (`!=` and `not in` when none does); the value
    shown is the distinct values, sorted, joined with ", "; a count by it counts each row under
    each of its values. Fields reading the same `alias` share one join in a count.
    """

    alias: str  # the related table's alias inside the sub-query
    table: Any
    link: Callable[[Scope, Scope], Any]  # (inner scope, outer scope) -> correlation condition
    value: "Plain | NamedRef"  # reached through the inner scope
    joins: tuple["Join", ...] = ()


Accessor = Plain | Dated | Amount | NamedRef | Related


@dataclass(frozen=True)
class Field:
    """One field of an entity."""

    name: str
    type: FieldType
    meaning: str
    access: Accessor
    values: tuple[str, ...] = ()  # the vocabulary of an enum field
    # When set, `as of DATE` reads the field through this accessor instead (e.g. the status
    # a charge had on that date).
    as_of_access: Callable[["PartialDate"], Accessor] | None = None

    @property
    def several(self) -> bool:
        """True for a field of several values (from a related table)."""
        return isinstance(self.access, Related)

    @property
    def type_words(self) -> str:
        words = TYPE_WORDS[self.type]
        if self.type is FieldType.ENUM:
            words = "one of: " + ", ".join(self.values)
        return f"{words} (several)" if self.several else words


@dataclass(frozen=True)
class Join:
    """A table joined under `alias` when a field needs it; `on` may use earlier aliases.

    Every join is many-to-one. `outer` marks a join over a key that may be empty (a penalty's
    sentence): it is always a LEFT JOIN. A join over a required key (a charge's defendant)
    gives the same rows inner or outer, so the compiler picks what serves the planner
    (casekb.lang.compiler.Scope.filtering): outer unless the WHERE clause tests the table.
    """

    alias: str
    table: Any
    on: Callable[[Scope], Any]
    outer: bool = False


@dataclass(frozen=True)
class Entity:
    """One kind of row the language can ask for."""

    name: str  # plural, as written in queries
    singular: str
    description: str
    base: Any  # the table one row of the entity comes from
    fields: tuple[Field, ...]
    default_show: tuple[str, ...]
    default_order: tuple[tuple[str, bool], ...]  # (field, descending)
    joins: tuple[Join, ...] = ()
    base_filter: Expr | None = None  # rows of `base` that belong to the entity
    as_of: Callable[[Scope, "PartialDate"], Any] | None = None
    as_of_meaning: str = ""
    evidence_table: str | None = None  # `evidence.fact_table` of this entity's rows
    # For rows with no evidence of their own (disputes): a table of (`<entity>_id`,
    # fact_table, fact_id) rows naming the facts whose evidence `with sources` shows instead.
    evidence_through: Any = None
    sources_meaning: str = "each row's articles and quotes"  # what `with sources` shows

    @property
    def has_evidence(self) -> bool:
        """True when `with sources` applies: the rows' own evidence, or their facts'."""
        return self.evidence_table is not None or self.evidence_through is not None

    @property
    def base_alias(self) -> str:
        return self.base.name

    def field(self, name: str) -> Field | None:
        """The field called `name` (any letter case), or None."""
        wanted = name.lower()
        return next((f for f in self.fields if f.name == wanted), None)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]


# -- Helpers that keep the entity table below readable ------------------------------------

def _col(alias: str, name: str) -> Expr:
    return lambda scope: scope[alias].c[name]


def _text(name: str, alias: str, column: str, meaning: str, folded: str | None = None) -> Field:
    return Field(name, FieldType.TEXT, meaning,
                 Plain(_col(alias, column), _col(alias, folded) if folded else None))


def _enum(name: str, alias: str, column: str, values: tuple[str, ...], meaning: str) -> Field:
    return Field(name, FieldType.ENUM, meaning, Plain(_col(alias, column)), values=values)


def _date(name: str, alias: str, prefix: str, meaning: str) -> Field:
    return Field(name, FieldType.DATE, meaning, Dated(alias, prefix))


def _person(name: str, alias: str, ref_alias: str, ref_column: str, meaning: str) -> Field:
    return Field(name, FieldType.NAME, meaning,
                 NamedRef(_col(ref_alias, ref_column), _col(alias, "name"), "person",
                          _col(alias, "name_folded")))


def _case(ref_alias: str, ref_column: str = "case_id") -> Field:
    return Field("case", FieldType.NAME, "the case, by its title or another name it goes by "
                 "(\"Rust\")", NamedRef(_col(ref_alias, ref_column), _col("cases", "title"), "case",
                                  _col("cases", "title_folded")))


def _by(dated: Dated, scope: Scope, day: "PartialDate"):
    """The stored date is on or before `day` by the rule of `<=`: it ends by the end of `day`
    (a date stored as a month or a year counts once all of it has passed, so that `as of`
    never shows a fact that may not have happened yet; unknown dates are excluded)."""

    return dated.end(scope) <= bindparam("as_of_end", day.end, unique=True)


def _not_closed_before(scope: Scope, alias: str, day: "PartialDate"):
    closed = Dated(alias, "closed")
    return or_(closed.start(scope).is_(None),
               closed.end(scope) >= bindparam("as_of_start", day.start, unique=True))


def _charge_in_force(scope: Scope, alias: str, day: "PartialDate"):
    return and_(_by(Dated(alias, "filed"), scope, day),
                _not_closed_before(scope, alias, day))


def _status_on(day: "PartialDate") -> Plain:
    """A charge's status on `day`: its latest status entry dated on or before it (see _by)."""

    def latest(scope: Scope):
        entry = t.charge_statuses.alias("status_entry")
        return (select(entry.c.status)
                .where(entry.c.charge_id == scope["charges"].c.id,
                       _by(Dated("status_entry", "date"), {"status_entry": entry}, day))
                .order_by(entry.c.date.desc(), entry.c.date_end.desc(), entry.c.id.desc())
                .limit(1).scalar_subquery())

    return Plain(latest)


def _latest_plea_by(scope: Scope, day: "PartialDate"):
    """The plea is the latest of its charge entered on or before `day` (see _by)."""

    plea = scope["pleas"]
    later = t.pleas.alias("later_plea")
    newer = select(later.c.id).where(
        later.c.charge_id == plea.c.charge_id,
        _by(Dated("later_plea", "entered"), {"later_plea": later}, day),
        or_(later.c.entered > plea.c.entered,
            and_(later.c.entered == plea.c.entered, later.c.id > plea.c.id)))
    return and_(_by(Dated("pleas", "entered"), scope, day), ~exists(newer))


def _penalty_in_force(scope: Scope, day: "PartialDate"):
    """Imposed penalties once their sentence is imposed; a charge's bounds while the charge is
    in force; an offense's statutory bounds always."""

    penalty = scope["penalties"]
    return or_(
        penalty.c.offense_id.is_not(None),
        and_(penalty.c.charge_id.is_not(None), _charge_in_force(scope, "charge", day)),
        and_(penalty.c.sentence_id.is_not(None),
             _by(Dated("sentence", "imposed"), scope, day)),
    )


def _defendant_charged_by(scope: Scope, day: "PartialDate"):
    role = scope["roles"]
    charge = t.charges.alias("charge_filed")
    return exists(select(charge.c.id).where(
        and_(charge.c.defendant_id == role.c.person_id, charge.c.case_id == role.c.case_id,
             _by(Dated("charge_filed", "filed"), {"charge_filed": charge}, day))))


def _level(scope: Scope):
    """Which record a penalty belongs to: 'offense', 'charge' or 'sentence'."""

    penalty = scope["penalties"]
    return case((penalty.c.sentence_id.is_not(None), "sentence"),
                (penalty.c.charge_id.is_not(None), "charge"), else_="offense")


# The joins from a fact about a charge (plea, verdict, sentence) to its charge's people.
def _charge_joins(owner: str) -> tuple[Join, ...]:
    return (
        Join("charge", t.charges, lambda s: s["charge"].c.id == s[owner].c.charge_id),
        Join("defendant", t.people, lambda s: s["defendant"].c.id == s["charge"].c.defendant_id),
        Join("offense", t.offenses, lambda s: s["offense"].c.id == s["charge"].c.offense_id),
        Join("cases", t.cases, lambda s: s["cases"].c.id == s["charge"].c.case_id),
    )


# The curated record kind of each fact table (casekb/models.py FACT_MODELS, checked by
# tests/test_disputes.py): a dispute names its claims "kind:id", as the curated data does.
_FACT_KINDS = (
    ("source", t.sources), ("case", t.cases), ("case_alias", t.case_aliases),
    ("person", t.people), ("person_alias", t.person_aliases), ("role", t.roles),
    ("offense", t.offenses), ("charge", t.charges), ("enhancement", t.charge_enhancements),
    ("status", t.charge_statuses), ("plea", t.pleas), ("verdict", t.verdicts),
    ("sentence", t.sentences), ("penalty", t.penalties), ("event", t.events),
    ("statement", t.statements),
)


def _claim_reference(scope: Scope):
    """A claim of a dispute as the curator wrote it: "kind:id" ("plea:halls-plea-guilty")."""

    claim = scope["claim"]
    looked_up = []
    for kind, table in _FACT_KINDS:
        row = table.alias(f"claimed_{kind}")  # never correlates with the outer query's tables
        key = select(row.c.key).where(row.c.id == claim.c.fact_id).scalar_subquery()
        looked_up.append((claim.c.fact_table == literal(table.name), literal(f"{kind}:") + key))
    return case(*looked_up, else_=None)


_DEFENDANT = "the person charged (their name or any other spelling the sources use)"
_OFFENSE = "the crime charged, as named in its jurisdiction (\"involuntary manslaughter\")"

ENTITIES: tuple[Entity, ...] = (
    Entity(
        name="cases", singular="case",
        description="Criminal cases: one row per case (or group of prosecutions from one "
                    "incident).",
        base=t.cases,
        fields=(
            Field("title", FieldType.NAME, "the case's title; also matches the other names it "
                  "goes by (\"Rust\")", NamedRef(_col("cases", "id"), _col("cases", "title"), "case",
                           _col("cases", "title_folded"))),
            Field("aliases", FieldType.TEXT, "other names the case goes by",
                  Related("case_alias", t.case_aliases,
                          lambda inner, outer: inner["case_alias"].c.case_id == outer["cases"].c.id,
                          Plain(_col("case_alias", "alias"), _col("case_alias", "alias_folded")))),
            _text("jurisdiction", "cases", "jurisdiction", "the state or court system (\"New Mexico\")"),
            _text("venue", "cases", "venue", "where it is tried (\"Santa Fe\")"),
            _date("incident", "cases", "incident", "when the incident happened"),
            _text("summary", "cases", "summary", "a one-paragraph summary"),
        ),
        default_show=("title", "aliases", "jurisdiction", "venue", "incident"),
        default_order=(("incident", False), ("title", False)),
        as_of=lambda s, day: _by(Dated("cases", "incident"), s, day),
        as_of_meaning="cases whose incident happened on or before the date",
        evidence_table="cases",
    ),
    Entity(
        name="people", singular="person",
        description="People named in the sources: one row per person, with every role they "
                    "have in a case.",
        base=t.people,
        fields=(
            Field("name", FieldType.NAME, "the person's name; also matches every other spelling "
                  "the sources use (\"David Halls\")",
                  NamedRef(_col("people", "id"), _col("people", "name"), "person",
                           _col("people", "name_folded"))),
            Field("aliases", FieldType.TEXT, "other spellings of the name used by the sources",
                  Related("person_alias", t.person_aliases,
                          lambda inner, outer: inner["person_alias"].c.person_id == outer["people"].c.id,
                          Plain(_col("person_alias", "alias"), _col("person_alias", "alias_folded")))),
            Field("role", FieldType.ENUM, "their part in a case (a person may have several)",
                  Related("role", t.roles,
                          lambda inner, outer: inner["role"].c.person_id == outer["people"].c.id,
                          Plain(_col("role", "role"))), values=vocab.ROLES),
            Field("title", FieldType.TEXT, "their job or title in a case (\"armorer\", "
                  "\"first assistant director\")",
                  Related("role", t.roles,
                          lambda inner, outer: inner["role"].c.person_id == outer["people"].c.id,
                          Plain(_col("role", "title")))),
            Field("case", FieldType.NAME, "the cases they have a role in, by title or other name",
                  Related("role", t.roles,
                          lambda inner, outer: inner["role"].c.person_id == outer["people"].c.id,
                          NamedRef(_col("role", "case_id"), _col("role_case", "title"), "case",
                                   _col("role_case", "title_folded")),
                          joins=(Join("role_case", t.cases,
                                      lambda s: s["role_case"].c.id == s["role"].c.case_id),))),
        ),
        default_show=("name", "aliases", "role", "title", "case"),
        default_order=(("name", False),),
        evidence_table="people",
    ),
    Entity(
        name="defendants", singular="defendant",
        description="People with the role of defendant: one row per defendant per case.",
        base=t.roles,
        base_filter=lambda s: s["roles"].c.role == "defendant",
        joins=(
            Join("defendant", t.people, lambda s: s["defendant"].c.id == s["roles"].c.person_id),
            Join("cases", t.cases, lambda s: s["cases"].c.id == s["roles"].c.case_id),
        ),
        fields=(
            _person("name", "defendant", "roles", "person_id", _DEFENDANT),
            _case("roles"),
            _text("role", "roles", "title", "their job or part, as the sources put it "
                  "(\"armorer\", \"first assistant director\")"),
        ),
        default_show=("name", "case", "role"),
        default_order=(("name", False), ("case", False)),
        as_of=_defendant_charged_by,
        as_of_meaning="defendants with a charge in the case filed on or before the date",
        evidence_table="roles",
    ),
    Entity(
        name="charges", singular="charge",
        description="Charges: one row per charge (an offense against a defendant in a case).",
        base=t.charges,
        joins=(
            Join("defendant", t.people, lambda s: s["defendant"].c.id == s["charges"].c.defendant_id),
            Join("offense", t.offenses, lambda s: s["offense"].c.id == s["charges"].c.offense_id),
            Join("cases", t.cases, lambda s: s["cases"].c.id == s["charges"].c.case_id),
        ),
        fields=(
            _person("defendant", "defendant", "charges", "defendant_id", _DEFENDANT),
            _text("offense", "offense", "name", _OFFENSE, folded="name_folded"),
            _enum("class", "offense", "offense_class", vocab.OFFENSE_CLASSES,
                  "the offense's class, where stated"),
            Field("counts", FieldType.INTEGER, "the number of counts, where stated",
                  Plain(_col("charges", "counts"))),
            Field("enhancement", FieldType.TEXT, "sentencing enhancements added to the charge "
                  "(\"firearm\")",
                  Related("enhancement", t.charge_enhancements,
                          lambda inner, outer: inner["enhancement"].c.charge_id == outer["charges"].c.id,
                          Plain(_col("enhancement", "enhancement")))),
            _date("filed", "charges", "filed", "when the charge was filed"),
            _date("closed", "charges", "closed", "when the charge was closed (empty while open "
                  "or not stated)"),
            Field("status", FieldType.ENUM, "the charge's latest status; with `as of DATE`, its "
                  "status on that date", Plain(_col("charges", "status")),
                  values=vocab.CHARGE_STATUSES, as_of_access=_status_on),
            _case("charges"),
        ),
        default_show=("defendant", "offense", "class", "counts", "enhancement", "filed",
                      "closed", "status"),
        default_order=(("defendant", False), ("filed", False), ("offense", False)),
        as_of=lambda s, day: _charge_in_force(s, "charges", day),
        as_of_meaning="charges filed on or before the date (an unknown filing date excludes "
                      "a charge; one known only to the month or year counts once all of it has "
                      "passed) and not closed before it; `status` is the latest status dated "
                      "on or before it",
        evidence_table="charges",
    ),
    Entity(
        name="pleas", singular="plea",
        description="Pleas: one row per plea entered (or agreed) to a charge.",
        base=t.pleas,
        joins=_charge_joins("pleas"),
        fields=(
            _person("defendant", "defendant", "charge", "defendant_id", _DEFENDANT),
            _text("offense", "offense", "name", _OFFENSE, folded="name_folded"),
            _enum("plea", "pleas", "plea", vocab.PLEAS, "the plea"),
            _date("entered", "pleas", "entered", "when the plea was entered"),
            Field("agreement", FieldType.BOOLEAN, "true when the plea is part of a plea agreement",
                  Plain(_col("pleas", "agreement"))),
            _case("charge"),
        ),
        default_show=("defendant", "offense", "plea", "entered", "agreement"),
        default_order=(("entered", False), ("defendant", False)),
        as_of=_latest_plea_by,
        as_of_meaning="for each charge, its latest plea entered on or before the date "
                      "(pleas of unknown date excluded)",
        evidence_table="pleas",
    ),
    Entity(
        name="verdicts", singular="verdict",
        description="Verdicts and other dispositions: one row per outcome of a charge.",
        base=t.verdicts,
        joins=_charge_joins("verdicts"),
        fields=(
            _person("defendant", "defendant", "charge", "defendant_id", _DEFENDANT),
            _text("offense", "offense", "name", _OFFENSE, folded="name_folded"),
            _enum("outcome", "verdicts", "outcome", vocab.OUTCOMES, "the outcome"),
            _date("decided", "verdicts", "decided", "when it was decided"),
            _enum("by", "verdicts", "decided_by", vocab.DECIDED_BY,
                  "who decided: a jury, a judge, or a plea"),
            _case("charge"),
        ),
        default_show=("defendant", "offense", "outcome", "decided", "by"),
        default_order=(("decided", False), ("defendant", False)),
        as_of=lambda s, day: _by(Dated("verdicts", "decided"), s, day),
        as_of_meaning="verdicts decided on or before the date",
        evidence_table="verdicts",
    ),
    Entity(
        name="sentences", singular="sentence",
        description="Sentences: one row per sentence imposed on a charge; its terms are the "
                    "penalties with bound \"imposed\".",
        base=t.sentences,
        joins=_charge_joins("sentences"),
        fields=(
            _person("defendant", "defendant", "charge", "defendant_id", _DEFENDANT),
            _text("offense", "offense", "name", _OFFENSE, folded="name_folded"),
            _date("imposed", "sentences", "imposed", "when the sentence was imposed"),
            _text("summary", "sentences", "summary", "the sentence in words"),
            _case("charge"),
        ),
        default_show=("defendant", "offense", "imposed", "summary"),
        default_order=(("imposed", False), ("defendant", False)),
        as_of=lambda s, day: _by(Dated("sentences", "imposed"), s, day),
        as_of_meaning="sentences imposed on or before the date",
        evidence_table="sentences",
    ),
    Entity(
        name="penalties", singular="penalty",
        description="Penalties: one row per component of a punishment: a statutory maximum or "
                    "minimum of an offense or a charge, or a term of an imposed sentence.",
        base=t.penalties,
        joins=(
            Join("sentence", t.sentences,
                 lambda s: s["sentence"].c.id == s["penalties"].c.sentence_id, outer=True),
            # The charge a penalty concerns: its own, or its sentence's.
            Join("charge", t.charges, lambda s: s["charge"].c.id == _coalesce(
                s["penalties"].c.charge_id, s["sentence"].c.charge_id), outer=True),
            Join("defendant", t.people,
                 lambda s: s["defendant"].c.id == s["charge"].c.defendant_id, outer=True),
            Join("offense", t.offenses, lambda s: s["offense"].c.id == _coalesce(
                s["penalties"].c.offense_id, s["charge"].c.offense_id), outer=True),
            Join("cases", t.cases, lambda s: s["cases"].c.id == s["charge"].c.case_id,
                 outer=True),
        ),
        fields=(
            _person("defendant", "defendant", "charge", "defendant_id",
                    _DEFENDANT + "; empty for an offense's statutory bounds"),
            _text("offense", "offense", "name", "the offense, directly or through the charge "
                  "or sentence the penalty belongs to", folded="name_folded"),
            _enum("kind", "penalties", "kind", vocab.PENALTY_KINDS, "what the penalty is"),
            _enum("bound", "penalties", "bound", vocab.BOUNDS,
                  "maximum or minimum (statutory), or imposed (by a sentence)"),
            Field("amount", FieldType.QUANTITY, "how much: a duration, money or hours of "
                  "service, as the source wrote it", Amount("penalties")),
            Field("suspended", FieldType.BOOLEAN, "true when suspended",
                  Plain(_col("penalties", "suspended"))),
            Field("unsupervised", FieldType.BOOLEAN, "true when unsupervised (probation)",
                  Plain(_col("penalties", "unsupervised"))),
            Field("level", FieldType.ENUM, "what the penalty belongs to: an offense (the law), "
                  "a charge, or a sentence", Plain(_level), values=("offense", "charge", "sentence")),
            _case("charge"),
        ),
        default_show=("defendant", "offense", "kind", "bound", "amount", "suspended"),
        default_order=(("defendant", False), ("offense", False), ("bound", False),
                       ("kind", False)),
        as_of=_penalty_in_force,
        as_of_meaning="an offense's statutory bounds always; a charge's bounds while the charge "
                      "is in force; a sentence's terms once it is imposed",
        evidence_table="penalties",
    ),
    Entity(
        name="events", singular="event",
        description="Events: the dated timeline of each case, one row per step.",
        base=t.events,
        joins=(Join("cases", t.cases, lambda s: s["cases"].c.id == s["events"].c.case_id),),
        fields=(
            _case("events"),
            _date("date", "events", "date", "when it happened"),
            _enum("kind", "events", "kind", vocab.EVENT_KINDS, "what happened"),
            _text("description", "events", "description", "what happened, in words"),
        ),
        default_show=("case", "date", "kind", "description"),
        default_order=(("date", False),),
        as_of=lambda s, day: _by(Dated("events", "date"), s, day),
        as_of_meaning="events dated on or before the date",
        evidence_table="events",
    ),
    Entity(
        name="statements", singular="statement",
        description="Statements: on-record quotes by people about a case or a person.",
        base=t.statements,
        joins=(
            Join("speaker", t.people, lambda s: s["speaker"].c.id == s["statements"].c.speaker_id),
            Join("about", t.people, lambda s: s["about"].c.id == s["statements"].c.about_id,
                 outer=True),
            Join("cases", t.cases, lambda s: s["cases"].c.id == s["statements"].c.case_id),
        ),
        fields=(
            _person("speaker", "speaker", "statements", "speaker_id", "who said it (their name "
                    "or any other spelling the sources use)"),
            _person("about", "about", "statements", "about_id", "the person it is about, if any"),
            _date("date", "statements", "said", "when it was said"),
            _enum("stance", "statements", "stance", vocab.STANCES, "the speaker's stance toward "
                  "the person it is about (or toward the prosecution)"),
            _text("quote", "statements", "quote", "the words said"),
            _text("medium", "statements", "medium", "where it was said (\"Instagram\", \"TMZ\")"),
            _case("statements"),
        ),
        default_show=("speaker", "about", "date", "stance", "quote"),
        default_order=(("date", False), ("speaker", False)),
        as_of=lambda s, day: _by(Dated("statements", "said"), s, day),
        as_of_meaning="statements made on or before the date",
        evidence_table="statements",
    ),
    Entity(
        name="disputes", singular="dispute",
        description="Disputes: where the sources disagree, one row per disagreement; its "
                    "claims are the conflicting facts, each kept with its own evidence.",
        base=t.disputes,
        joins=(Join("cases", t.cases, lambda s: s["cases"].c.id == s["disputes"].c.case_id,
                    outer=True),),
        fields=(
            _text("id", "disputes", "key", "the dispute's id in the curated data"),
            _case("disputes"),
            _text("subject", "disputes", "subject", "what the sources disagree on"),
            Field("claims", FieldType.TEXT, "the conflicting facts, as \"kind:id\" "
                  "(\"plea:halls-plea-guilty\"); list them with their own entity "
                  "(`pleas`, `charges`, ...)",
                  Related("claim", t.dispute_claims,
                          lambda inner, outer: inner["claim"].c.dispute_id == outer["disputes"].c.id,
                          Plain(_claim_reference))),
            _text("note", "disputes", "note", "what each source says, and what is unknown"),
        ),
        default_show=("id", "case", "subject", "claims"),
        default_order=(("id", False),),
        evidence_through=t.dispute_claims,
        sources_meaning="the articles and quotes of each claim, claim by claim (a dispute "
                        "has no evidence of its own: its claims do)",
    ),
    Entity(
        name="sources", singular="source",
        description="Sources: the news articles every fact is curated from.",
        base=t.sources,
        fields=(
            _text("id", "sources", "key", "the article's id, as facts cite it"),
            _text("outlet", "sources", "outlet", "who published it, where known"),
            _text("headline", "sources", "headline", "its headline, where known"),
            _date("published", "sources", "published", "when it was published, where known"),
            _text("file", "sources", "file", "its text file in the curated data folder"),
            _text("url", "sources", "url", "where it was published online, where known"),
        ),
        default_show=("id", "outlet", "headline", "published"),
        default_order=(("published", False), ("id", False)),
        as_of=lambda s, day: _by(Dated("sources", "published"), s, day),
        as_of_meaning="articles published on or before the date",
    ),
)


def _coalesce(*columns):
    return func.coalesce(*columns)


_BY_NAME: dict[str, Entity] = {}
for _entity in ENTITIES:
    _BY_NAME[_entity.name] = _entity
    _BY_NAME[_entity.singular] = _entity


def entity(name: str) -> Entity | None:
    """The entity called `name` (plural or singular, any letter case), or None."""
    return _BY_NAME.get(name.lower())


def entity_names() -> list[str]:
    """The entities' plural names, in the registry's order."""
    return [e.name for e in ENTITIES]


def nearest_entity(word: str) -> Entity | None:
    """The entity whose plural or singular name is closest to `word`, or None."""
    guess = nearest(word, list(_BY_NAME))
    return _BY_NAME[guess] if guess is not None else None


def nearest(word: str, choices: list[str] | tuple[str, ...], cutoff: float = 0.6) -> str | None:
    """The choice closest to `word` (for "did you mean ...?"), or None when none is close."""
    lowered = word.lower()
    matches = difflib.get_close_matches(lowered, [c.lower() for c in choices], n=1, cutoff=cutoff)
    if not matches:
        return None
    return next(c for c in choices if c.lower() == matches[0])


@dataclass(frozen=True)
class FieldInfo:
    """A field as data, for documentation, completion and the SQL views."""

    entity: str
    name: str
    type: str
    meaning: str
    values: tuple[str, ...] = field(default=())


def describe_fields(entity_: Entity) -> list[FieldInfo]:
    """The fields of an entity as plain data."""
    return [FieldInfo(entity_.name, f.name, f.type.value, f.meaning, f.values)
            for f in entity_.fields]
