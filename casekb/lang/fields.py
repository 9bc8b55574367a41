"""The building blocks of the language's registry: field types, how a field's value is
reached (its *accessor*), fields, joins and entities.

These are declarations, read by the resolver (names, types, vocabularies), by `describe` and
completion (words), and by the planner (casekb/plan/compiler.py), which turns accessors into
SQL. Tables are named, not imported: the planner looks them up (casekb/schema/tables.py),
so importing the registry imports no SQLAlchemy. Where a field or an entity needs SQL that is
more than a column (a penalty's level, a charge's status on a date, the facts in force on a
date), it names a *rule*, which the planner implements (casekb/plan/rules.py).

Columns are reached through a *scope* (`scope["defendant"]`): the planner joins a table only
when some field of the query needs it, in the order the joins are declared.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from typing import Any

Scope = Any  # casekb.plan.scope.Scope: scope["alias"] -> a table or alias, joined on demand
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
    FieldType.NAME: "matches the full name, any other spelling the sources use, or the id "
                    "in the curated data (\"alec-baldwin\"); a name that matches nobody in "
                    "the store is an error that names the nearest ones; ~ finds text in any "
                    "spelling (and may match nobody); letter case is ignored; `order by` "
                    "sorts by the name with the case of every letter folded (ß as ss), "
                    "character by character: accented letters after z",
    FieldType.DATE: "a day 2024-01-19, a month 2024-01 or a year 2024. A stored date may be "
                    "known only to the month or the year, or only by bounds (shown "
                    "`2021-10-22/2023-01-20`; `../2023-01-20` is on or before, `2024-03-09/..` on "
                    "or after), so a test of it has three answers: certainly, possibly, "
                    "certainly not. A test keeps the rows where it holds certainly: `= 2024-01` "
                    "a date lying wholly within January 2024; `!= 2024-01` one lying wholly "
                    "outside it; `< 2024` one ending before 2024; `<= 2024-01` one ending by 31 "
                    "January 2024; `> 2024` one starting after 2024; `>= 2024` one starting on or "
                    "after 1 January 2024. `possibly` before a test keeps the rows where it may "
                    "hold (`possibly filed = 2023-01`: a date that may fall in January 2023); "
                    "`not` keeps exactly the rows its test does not, so `not possibly` is "
                    "certainly not. `as of DATE` keeps the facts certainly dated by it, `as of "
                    "possibly DATE` those possibly. `order by` sorts by the first possible day, "
                    "then the last (2024, 2024-03-01, 2024-03), so a date known to come after "
                    "another always sorts after it; unknown dates come last",
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

# Shown by `describe` for entities of facts (those with an `inferred` field).
MARKS_RULE = ("a value no source states is shown with its mark: [inferred] when the curator "
              "inferred it ([earliest inferred] or [latest inferred] for one bound of a date), "
              "[latest derived] for a date's last day taken from the publication of the first "
              "article reporting the fact; the fields `inferred` and `derived` list them "
              "(`inferred is empty` keeps the facts whose every value is stated), and the "
              "`inferences` entity gives each basis")

# Shown by `describe` for fields of several values (see Related).
SEVERAL_RULE = ("a field of several values (a charge's enhancements, a person's roles) matches "
                "when any of its values does; `!=` and `not in` when none does; it is shown as "
                "the values joined with commas; `count ... by` it counts each row once under "
                "each of its values")


# -- Accessors: how a field's value is reached -------------------------------------------

@dataclass(frozen=True, eq=False)
class Plain:
    """One column holding the value. `folded`, when given, is an indexed casefolded twin used
    for case-insensitive matching instead of lower(column), and to sort; `names`, the kind of
    record the value is the name of."""

    column: Expr
    folded: Expr | None = None
    # The kind of record the value names ("offense", see casekb/plan/names.py): a value a
    # test gives by `=`, `!=`, `in` or `not in` that nothing has is an error, as for a person.
    names: str | None = None


@dataclass(frozen=True, eq=False)
class Computed:
    """A value SQL computes from several columns, by a rule the planner implements
    (casekb/plan/rules.py: COMPUTED)."""

    rule: str


@dataclass(frozen=True, eq=False)
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


@dataclass(frozen=True, eq=False)
class Reported:
    """A value as last reported (a charge's status): `value` is the value tests and sorts
    read (NULL when it is not known on the date asked), `last` the value last reported, and
    `start`, `end`, `precision` the date of that report."""

    value: Expr
    last: Expr
    start: Expr
    end: Expr
    precision: Expr

    @classmethod
    def columns(cls, alias: str, column: str, prefix: str) -> Reported:
        """The value of a column, reported on the date of the columns `<prefix>*`."""
        def col(name: str) -> Expr:
            return lambda scope: scope[alias].c[name]

        return cls(col(column), col(column), col(prefix), col(f"{prefix}_end"),
                   col(f"{prefix}_precision"))


@dataclass(frozen=True, eq=False)
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


@dataclass(frozen=True, eq=False)
class NamedRef:
    """A reference to a person or a case: `ref` is the id column, `display` the name shown.
    Matching goes through the person's name, aliases and curated id (or the case's title,
    aliases and id). `folded` is the display's indexed casefolded twin: rows sort by it."""

    ref: Expr
    display: Expr
    kind: str  # "person" | "case"
    folded: Expr | None = None


@dataclass(frozen=True, eq=False)
class Join:
    """The table `table` joined under `alias` when a field needs it; `on` may use earlier
    aliases.

    Every join is many-to-one. `outer` marks a join over a key that may be empty (a penalty's
    sentence): it is always a LEFT JOIN. A join over a required key (a charge's defendant)
    gives the same rows inner or outer, so the planner picks what serves the database's
    query planner (casekb.plan.compiler.Scope.filtering): outer unless the WHERE clause tests
    the table.
    """

    alias: str
    table: str
    on: Callable[[Scope], Any]
    outer: bool = False


@dataclass(frozen=True, eq=False)
class Related:
    """Several values from rows of a related table (a charge's enhancements, a person's roles).

    A test holds when *some* related row matches (`!=` and `not in` when none does); the value
    shown is the distinct values, sorted, joined with ", "; a count by it counts each row under
    each of its values. Fields reading the same `alias` share one join in a count.
    """

    alias: str  # the related table's alias inside the sub-query
    table: str
    key: str  # the related table's column holding the id of the entity's row
    value: Plain | NamedRef | Computed  # reached through the inner scope
    joins: tuple[Join, ...] = ()

    def keys(self, inner: Scope, outer: Scope) -> tuple[Any, Any]:
        """(the related rows' key column, the entity's id column)."""
        return inner[self.alias].c[self.key], outer.base.c.id

    def link(self, inner: Scope, outer: Scope) -> Any:
        """The correlation: the related row names the entity's row."""
        inner_key, outer_id = self.keys(inner, outer)
        return inner_key == outer_id


Accessor = Plain | Computed | Dated | Reported | Amount | NamedRef | Related


@dataclass(frozen=True, eq=False)
class Field:
    """One field of an entity."""

    name: str
    type: FieldType
    meaning: str
    access: Accessor
    values: tuple[str, ...] = ()  # the vocabulary of an enum field
    # When set, `as of DATE` reads the field through this rule instead (casekb/plan/rules.py:
    # AS_OF_VALUES; e.g. the status a charge had on that date).
    as_of_rule: str | None = None

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


@dataclass(frozen=True, eq=False)
class Entity:
    """One kind of row the language can ask for."""

    name: str  # plural, as written in queries
    singular: str
    description: str
    base: str  # the table one row of the entity comes from
    fields: tuple[Field, ...]
    default_show: tuple[str, ...]
    default_order: tuple[tuple[str, bool], ...]  # (field, descending)
    joins: tuple[Join, ...] = ()
    base_filter: Expr | None = None  # rows of `base` that belong to the entity
    as_of: str | None = None  # the rule of `as of DATE` (casekb/plan/rules.py: AS_OF)
    as_of_meaning: str = ""
    evidence_table: str | None = None  # `evidence.fact_table` of this entity's rows
    # For rows with no evidence of their own (disputes): a table of (`<entity>_id`,
    # fact_table, fact_id) rows naming the facts whose evidence `with sources` shows instead.
    evidence_through: str | None = None
    sources_meaning: str = "each row's articles and quotes"  # what `with sources` shows

    @property
    def has_evidence(self) -> bool:
        """True when `with sources` applies: the rows' own evidence, or their facts'."""
        return self.evidence_table is not None or self.evidence_through is not None

    def field(self, name: str) -> Field | None:
        """The field called `name` (any letter case), or None."""
        wanted = name.lower()
        return next((f for f in self.fields if f.name == wanted), None)

    @property
    def field_names(self) -> list[str]:
        return [f.name for f in self.fields]
