"""The syntax tree of a query, as the parser builds it: frozen dataclasses, names unresolved.

Every node that a message may point at carries a `Span` (line, column, length) into the query
text. Spans are left out of equality, so two queries that differ only in layout compare equal.
Nothing here knows the registry; `casekb.lang.resolve` gives names and values their meaning.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casekb.errors import Span

_NOWHERE = Span(1, 1, 0)


def _span() -> Span:
    return field(default=_NOWHERE, compare=False, repr=False)


@dataclass(frozen=True)
class Name:
    """An entity or field name as written."""

    text: str
    span: Span = _span()


@dataclass(frozen=True)
class Literal:
    """A value as written. `kind` is the lexical kind: string, number, date, quantity, money or
    boolean; `text` is the source text (for strings, already unescaped)."""

    kind: str
    text: str
    span: Span = _span()


@dataclass(frozen=True)
class Compare:
    """`field OP value`, OP one of = != < <= > >= ~."""

    field: Name
    op: str
    value: Literal
    span: Span = _span()


@dataclass(frozen=True)
class InList:
    """`field in (v1, v2, ...)`, or `field not in (...)` when `negated`."""

    field: Name
    values: tuple[Literal, ...]
    negated: bool = False
    span: Span = _span()


@dataclass(frozen=True)
class IsEmpty:
    """`field is empty` (unknown or absent), or `field is not empty` when `negated`."""

    field: Name
    negated: bool = False
    span: Span = _span()


@dataclass(frozen=True)
class And:
    """All of the conditions hold."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Or:
    """At least one of the conditions holds."""

    items: tuple[Condition, ...]


@dataclass(frozen=True)
class Not:
    """The condition does not hold (unknown values still never match)."""

    item: Condition
    span: Span = _span()


@dataclass(frozen=True)
class Possibly:
    """`possibly TEST`: the test of a date holds for some day the date may be."""

    item: Compare | InList | IsEmpty
    span: Span = _span()


Condition = Compare | InList | IsEmpty | And | Or | Not | Possibly


@dataclass(frozen=True)
class OrderKey:
    """One `order by` key."""

    field: Name
    descending: bool = False


@dataclass(frozen=True)
class Query:
    """One question about one entity.

    `count` is true for `count ENTITY ...` and `ENTITY ... count`; `group_by` holds the `by`
    fields of a count, `show` the fields picked by `show` (empty: the entity's defaults).
    """

    entity: Name
    where: Condition | None = None
    as_of: Literal | None = None
    as_of_possibly: bool = False  # `as of possibly DATE`
    count: bool = False
    group_by: tuple[Name, ...] = ()
    show: tuple[Name, ...] = ()
    order_by: tuple[OrderKey, ...] = ()
    limit: Literal | None = None
    with_sources: bool = False
    with_sources_span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Explain:
    """`explain QUERY`: show the SQL instead of running it."""

    query: Query


@dataclass(frozen=True)
class Describe:
    """`describe ENTITY` (or `describe` alone: list the entities)."""

    entity: Name | None = None


Statement = Query | Explain | Describe
