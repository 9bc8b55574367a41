"""Syntax tree -> resolved query: names bound to the registry, values typed and checked.

This is where a query that parses can still be wrong: an entity or field that does not exist
(with the nearest name suggested), an enum value outside its vocabulary, an operator that
means nothing for the field's type (`~` on a date, `<` on a name), or a value of the wrong
type (money for a date, text for a number, a duration where money is meant...). Every such
problem is a QueryError pointing at the words at fault.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from typing import Any

from casekb import vocab
from casekb.dates import PartialDate
from casekb.errors import QueryError, Span
from casekb.lang import ast
from casekb.lang.literals import convert
from casekb.lang.registry import (
    Entity,
    Field,
    FieldType,
    entity_names,
    nearest,
    nearest_entity,
)
from casekb.lang.registry import (
    entity as find_entity,
)

# Conditions nested deeper than this are refused (no honest query comes close), so that the
# recursive steps after parsing can never exhaust the stack, and the SQL is never nested
# deeper than SQLite's parser takes: at 30 levels some queries already ended in its "parser
# stack overflow" (tests/test_hostile_errors.py runs every field at this depth).
MAX_DEPTH = 24
# Tests in one condition, counting each value of a list (each is a parameter, and for dates and
# amounts a test of its own, in SQL). SQLite refuses expressions nested 1000 deep, which a chain
# of `or`s is; this keeps well below that, bounds the cost of planning a query, and no honest
# question comes close.
MAX_TESTS = 500

ORDERING_OPERATORS = ("<", "<=", ">", ">=")
ORDERED_TYPES = (FieldType.INTEGER, FieldType.DATE, FieldType.QUANTITY)
CONTAINS_TYPES = (FieldType.TEXT, FieldType.NAME, FieldType.ENUM)


@dataclass(frozen=True, eq=False)
class Value:
    """A value the query gives (a name, a date, an amount, a limit...): the typed value (str,
    int, bool, PartialDate or Quantity) and its `slot`, its place among the query's values.

    The planner binds every value as a parameter, through its slot, and never writes a value
    into the SQL; so a query's SQL is the SQL of every query of its *shape* (the query with
    its values taken out, casekb/plan/shape.py).
    """

    slot: int
    value: Any
    span: Span | None = field(default=None, compare=False, repr=False)  # where the query says it
    # How the literal's text became `value`: a name of casekb.lang.literals.CONVERSIONS and
    # its arguments (the answer to another text of the same mask replays it).
    conversion: tuple = field(default=(), repr=False)


@dataclass(frozen=True, eq=False)
class Test:
    """One test of a field. `op` is = != < <= > >= ~, "in", "not in", "empty" or "not empty".
    A test of a date holds when it holds for every day the date may be, or with `possibly`
    for some day (casekb/plan/conditions.py)."""

    field: Field
    op: str
    values: tuple[Value, ...] = ()
    possibly: bool = False


@dataclass(frozen=True, eq=False)
class AllOf:
    items: tuple[ResolvedCondition, ...]


@dataclass(frozen=True, eq=False)
class AnyOf:
    items: tuple[ResolvedCondition, ...]


@dataclass(frozen=True, eq=False)
class Negated:
    item: ResolvedCondition


ResolvedCondition = Test | AllOf | AnyOf | Negated


@dataclass(frozen=True, eq=False)
class OrderTerm:
    """One order key: a field, or the count of a count query (`field` None)."""

    field: Field | None
    descending: bool = False


@dataclass(frozen=True, eq=False)
class ResolvedQuery:
    """A query whose every name and value has been checked against the registry."""

    entity: Entity
    condition: ResolvedCondition | None
    as_of: Value | None  # of a PartialDate
    count: bool
    group_by: tuple[Field, ...]
    columns: tuple[Field, ...]  # the fields shown by a plain query
    order: tuple[OrderTerm, ...]
    limit: Value | None  # of an int
    with_sources: bool
    values: tuple[Value, ...] = ()  # every value of the query, by slot
    as_of_possibly: bool = False  # `as of possibly DATE`

    @property
    def given(self) -> tuple[Any, ...]:
        """The query's values by slot, as its plan binds them."""
        return tuple(value.value for value in self.values)

    @staticmethod
    def listing(entity: Entity, columns: tuple[Field, ...]) -> ResolvedQuery:
        """The query `ENTITY show COLUMNS`: every row, no values (for the SQL views)."""
        return ResolvedQuery(entity, None, None, False, (), columns, (), None, False)


def tests_of(condition: ResolvedCondition | None) -> Iterator[Test]:
    """The tests of a resolved condition, in the order they are written."""
    pending = [condition] if condition is not None else []
    while pending:
        node = pending.pop(0)
        if isinstance(node, (AllOf, AnyOf)):
            pending[:0] = node.items
        elif isinstance(node, Negated):
            pending.insert(0, node.item)
        else:
            yield node


def resolve(query: ast.Query, text: str = "") -> ResolvedQuery:
    """Resolve a parsed query; raise QueryError (pointing into `text`) when it is wrong."""
    return _Resolver(text).query(query)


def resolve_entity(name: ast.Name, text: str = "") -> Entity:
    """The entity `name` stands for, or a QueryError suggesting the nearest one."""
    return _Resolver(text).entity(name)


def entities_words() -> str:
    """ "an entity (cases, people, ...)" """
    return "an entity (" + ", ".join(entity_names()) + ")"


def fields_words(entity: Entity) -> str:
    """ "a field of charges (defendant, offense, ...)" """
    return f"a field of {entity.name} (" + ", ".join(entity.field_names) + ")"


def literal_words(literal: ast.Literal) -> str:
    """How a value is named in messages: "the text "x"", "the amount of money $500"..."""
    if literal.kind == "string":
        return f'the text "{literal.text}"'
    if literal.kind == "number":
        return f"the number {literal.text}"
    if literal.kind == "date":
        return f"the date {literal.text}"
    if literal.kind == "money":
        return f"the amount of money {literal.text}"
    if literal.kind == "quantity":
        unit = literal.text.rstrip().lower()
        if unit.endswith(("hour", "hours")):
            return f"the hours {literal.text}"
        return f"the duration {literal.text}"
    return f"the value {literal.text}"


def value_words(field: Field) -> str:
    """What a value of the field looks like, for "expected ..." ("a date (2024-01-19, ...)")."""
    kind = field.type
    if kind is FieldType.TEXT:
        return 'text in double quotes ("...")'
    if kind is FieldType.NAME:
        return 'a name in double quotes ("Alec Baldwin")'
    if kind is FieldType.ENUM:
        return "one of: " + ", ".join(f'"{v}"' for v in field.values)
    if kind is FieldType.INTEGER:
        return "a whole number"
    if kind is FieldType.DATE:
        return "a date (2024-01-19, 2024-01 or 2024)"
    if kind is FieldType.QUANTITY:
        return "an amount (18 months, 5 years, 24 hours, $500)"
    return "true or false"


def how_to_write(field: Field) -> str:
    """A hint showing values the field accepts."""
    name = field.name
    if field.type is FieldType.TEXT:
        return f'text goes in double quotes: {name} = "..." (or {name} ~ "part of it")'
    if field.type is FieldType.NAME:
        return f'names go in double quotes: {name} = "Alec Baldwin" (or {name} ~ "baldwin")'
    if field.type is FieldType.ENUM:
        return f"{name} is one of: " + ", ".join(f'"{v}"' for v in field.values)
    if field.type is FieldType.INTEGER:
        return f"compare {name} with a whole number, e.g. {name} > 1"
    if field.type is FieldType.DATE:
        return f"write a date as 2024-01-19, 2024-01 or 2024, e.g. {name} >= 2024-01"
    if field.type is FieldType.QUANTITY:
        return (f"write an amount with its unit: {name} >= 18 months, 5 years, 30 days, "
                f"24 hours, $500 or $5,000")
    return f"write {name} = true or {name} = false"


class _Resolver:
    def __init__(self, text: str):
        self.text = text
        self.tests = 0  # tests of the condition resolved so far (see MAX_TESTS)
        self.values: list[Value] = []  # the query's values, by slot

    def slot(self, converted: tuple[Any, tuple], span: Span | None) -> Value:
        """A value and its conversion (written at `span`), given the next slot."""
        value, conversion = converted
        slotted = Value(len(self.values), value, span, conversion)
        self.values.append(slotted)
        return slotted

    def error(self, message: str, span: Span | None, *, expected: list[str] | None = None,
              hints: list[str] | None = None) -> QueryError:
        return QueryError(message, query=self.text, span=span, expected=expected, hints=hints)

    # -- names ------------------------------------------------------------------------

    def entity(self, name: ast.Name) -> Entity:
        found = find_entity(name.text)
        if found is not None:
            return found
        guess = nearest_entity(name.text)
        hints = [f"did you mean `{guess.name}`?"] if guess else []
        lowered = name.text.lower()
        if lowered == "select":
            hints.append("casekb is not SQL: start with what you want, e.g. "
                         "charges where defendant = \"Alec Baldwin\" show offense, status")
        if lowered in ("where", "show", "order", "limit", "count", "with", "as"):
            hints.append("a query starts with what you want to list, e.g. "
                         "charges where defendant = \"Alec Baldwin\"")
        if lowered in ("explain", "describe"):
            hints.append("`explain` and `describe` come first, once: explain charges, "
                         "describe charges")
        raise self.error(f"there is no entity `{name.text}`", name.span,
                          expected=[entities_words()], hints=hints)

    def field(self, entity: Entity, name: ast.Name) -> Field:
        found = entity.field(name.text)
        if found is not None:
            return found
        guess = nearest(name.text, entity.field_names)
        hints = [f"did you mean `{guess}`?"] if guess else []
        if name.text.lower() == "count":
            hints.append(f"`count` is not a field; to count rows write: count {entity.name} "
                         f"[by FIELD]")
        raise self.error(f"{entity.name} has no field `{name.text}`", name.span,
                          expected=[fields_words(entity)],
                          hints=hints)

    # -- the query --------------------------------------------------------------------

    def query(self, query: ast.Query) -> ResolvedQuery:
        entity = self.entity(query.entity)
        condition = None
        if query.where is not None:
            self.check_depth(query.where)
            condition = self.condition(entity, query.where)
        as_of = self.slot(self.as_of(entity, query), query.as_of.span) if query.as_of is not None else None
        group_by = tuple(self.field(entity, name) for name in query.group_by)
        columns: tuple[Field, ...] = ()
        if not query.count:
            names = query.show or ()
            columns = (tuple(self.field(entity, name) for name in names) if names
                       else tuple(entity.field(name) for name in entity.default_show))
        order = tuple(self.order_term(entity, query, key) for key in query.order_by)
        limit = self.slot(self.limit(query.limit), query.limit.span) if query.limit is not None else None
        if query.with_sources:
            self.check_sources(entity, query)
        return ResolvedQuery(entity, condition, as_of, query.count, group_by, columns, order,
                             limit, query.with_sources, tuple(self.values),
                             query.as_of_possibly)

    def as_of(self, entity: Entity, query: ast.Query) -> tuple[PartialDate, tuple]:
        literal = query.as_of
        if entity.as_of is None:
            dated = ", ".join(e for e in entity_names() if find_entity(e).as_of is not None)
            raise self.error(f"`as of` does not apply to {entity.name}: they are not dated",
                             literal.span, hints=[f"`as of` works on {dated}"])
        return self.date(literal, "`as of`")

    def order_term(self, entity: Entity, query: ast.Query, key: ast.OrderKey) -> OrderTerm:
        name = key.field
        if name.text.lower() == "count":
            if not query.count:
                raise self.error("`count` can be ordered by only in a count", name.span,
                                 hints=[f"e.g. count {entity.name} by "
                                        f"{entity.default_show[0]} order by count desc"])
            return OrderTerm(None, key.descending)
        if not query.count:
            return OrderTerm(self.field(entity, name), key.descending)
        groups = [self.field(entity, g) for g in query.group_by]
        field = entity.field(name.text)
        if field is None or field not in groups:
            choices = [g.name for g in groups] + ["count"]
            guess = nearest(name.text, choices)
            raise self.error(f"a count can be ordered by its groups or `count`, not "
                             f"`{name.text}`", name.span,
                             expected=["one of: " + ", ".join(choices)],
                             hints=[f"did you mean `{guess}`?"] if guess else [])
        return OrderTerm(field, key.descending)

    def limit(self, literal: ast.Literal) -> tuple[int, tuple]:
        try:
            return convert("integer", literal.text)
        except ValueError:
            raise self.error(f"`limit {literal.text}` is too large", literal.span) from None

    def check_sources(self, entity: Entity, query: ast.Query) -> None:
        span = query.with_sources_span
        if query.count:
            raise self.error("`with sources` cannot go with `count`: evidence belongs to single "
                             "facts, not to a count", span,
                             hints=[f"list the rows instead: {entity.name} where ... with sources"])
        if not entity.has_evidence:
            raise self.error(f"{entity.name} are the evidence themselves; `with sources` "
                             f"applies to facts", span)

    def check_depth(self, condition: ast.Condition) -> None:
        # Iterative, so that the check itself cannot overflow the stack; leftmost first, so
        # that the message points at the first place that is too deep.
        pending = [(condition, 1)]
        while pending:
            node, depth = pending.pop()
            if depth > MAX_DEPTH:
                raise self.error(f"the condition is nested more than {MAX_DEPTH} levels deep",
                                 _first_span(node),
                                 hints=["fewer parentheses or `not`s would do; or ask in parts"])
            if isinstance(node, (ast.And, ast.Or)):
                pending.extend((item, depth + 1) for item in reversed(node.items))
            elif isinstance(node, (ast.Not, ast.Possibly)):
                pending.append((node.item, depth + 1))

    # -- conditions -------------------------------------------------------------------

    def condition(self, entity: Entity, node: ast.Condition) -> ResolvedCondition:
        if isinstance(node, ast.And):
            return AllOf(tuple(self.condition(entity, item) for item in node.items))
        if isinstance(node, ast.Or):
            return AnyOf(tuple(self.condition(entity, item) for item in node.items))
        if isinstance(node, ast.Not):
            return Negated(self.condition(entity, node.item))
        if isinstance(node, ast.Possibly):
            return self.possibly(entity, node)
        field = self.field(entity, node.field)
        self.count_tests(node, field)
        if isinstance(node, ast.IsEmpty):
            return Test(field, "not empty" if node.negated else "empty")
        if isinstance(node, ast.InList):
            values = tuple(self.slot(self.value(field, "=", literal), literal.span) for literal in node.values)
            return Test(field, "not in" if node.negated else "in", values)
        self.check_operator(field, node)
        return Test(field, node.op, (self.slot(self.value(field, node.op, node.value), node.value.span),))

    def possibly(self, entity: Entity, node: ast.Possibly) -> Test:
        """`possibly TEST`: a test of a date that may hold."""
        test = self.condition(entity, node.item)
        if test.field.type is not FieldType.DATE or test.op in ("empty", "not empty"):
            what = ("`is empty` has no degrees" if test.op in ("empty", "not empty") else
                    f"`{test.field.name}` is {test.field.type_words}, known exactly")
            raise self.error(f"`possibly` qualifies a comparison of a date; {what}", node.span,
                             hints=["e.g. possibly filed = 2023-01: filed on a day that may "
                                    "be in January 2023"])
        return replace(test, possibly=True)

    def count_tests(self, node: ast.Compare | ast.InList | ast.IsEmpty, field: Field) -> None:
        self.tests += len(node.values) if isinstance(node, ast.InList) else 1
        if self.tests > MAX_TESTS:
            raise self.error(f"the condition has more than {MAX_TESTS} tests (each value of a "
                             f"list counts as one)", node.span,
                             hints=["ask in smaller parts, or use `~` to match part of a name"])

    def check_operator(self, field: Field, node: ast.Compare) -> None:
        if node.op == "~" and field.type not in CONTAINS_TYPES:
            raise self.error(
                f"`~` (contains) works on text and names; `{field.name}` is "
                f"{field.type_words}", node.span,
                hints=[f"use = != < <= > >= with {field.name}; " + how_to_write(field)])
        if node.op in ORDERING_OPERATORS and field.type not in ORDERED_TYPES:
            raise self.error(
                f"`{node.op}` compares numbers, dates and amounts; `{field.name}` is "
                f"{field.type_words}", node.span,
                hints=[f"use = or != (or ~ for part of the text) with {field.name}"
                       if field.type in CONTAINS_TYPES else f"use = or != with {field.name}"])

    # -- values -----------------------------------------------------------------------

    def mismatch(self, field: Field, literal: ast.Literal) -> QueryError:
        return self.error(f"`{field.name}` is {field.type_words}, so it cannot be compared "
                          f"with {literal_words(literal)}", literal.span,
                          hints=[how_to_write(field)])

    def value(self, field: Field, op: str, literal: ast.Literal) -> tuple[Any, tuple]:
        """The value of `literal` in a test of `field`, and the conversion that made it."""
        kind = field.type
        if kind in (FieldType.TEXT, FieldType.NAME):
            if literal.kind != "string":
                raise self.mismatch(field, literal)
            return convert("text", literal.text)
        if kind is FieldType.ENUM:
            if literal.kind != "string":
                raise self.mismatch(field, literal)
            if op == "~":
                return convert("text", literal.text)
            return self.enum_value(field, literal)
        if kind is FieldType.INTEGER:
            if literal.kind != "number":
                raise self.mismatch(field, literal)
            try:
                return convert("integer", literal.text)
            except ValueError as problem:
                raise self.error(str(problem), literal.span) from None
        if kind is FieldType.DATE:
            return self.date(literal, f"`{field.name}`", field)
        if kind is FieldType.QUANTITY:
            if literal.kind not in ("quantity", "money"):
                if literal.kind == "number":
                    raise self.error(
                        f"`{field.name}` is an amount, and {literal.text} has no unit",
                        literal.span, hints=[f"say which: {literal.text} months, "
                                             f"{literal.text} years, {literal.text} days, "
                                             f"{literal.text} hours or ${literal.text}"])
                raise self.mismatch(field, literal)
            try:
                return convert(literal.kind, literal.text)  # "quantity" or "money"
            except ValueError as problem:
                raise self.error(str(problem), literal.span) from None
        if literal.kind != "boolean":
            raise self.mismatch(field, literal)
        return convert("boolean", literal.text)

    def enum_value(self, field: Field, literal: ast.Literal) -> tuple[str, tuple]:
        try:
            return convert("enum", literal.text, field.values)
        except ValueError:
            value = vocab.canonical(literal.text)
        guess = nearest(value, field.values)
        hints = [f'did you mean "{guess}"?'] if guess else []
        return_values = ", ".join(f'"{v}"' for v in field.values)
        raise self.error(f'"{literal.text}" is not a {field.name} value', literal.span,
                         expected=[f"one of: {return_values}"], hints=hints)

    def date(self, literal: ast.Literal, what: str, field: Field | None = None
             ) -> tuple[PartialDate, tuple]:
        if literal.kind == "date" or (literal.kind == "number" and len(literal.text) == 4):
            try:
                return convert("date", literal.text)
            except ValueError as problem:
                message = _date_problem(str(problem))
                hints = [] if "write" in message else ["write a date as 2024-01-19, 2024-01 or 2024"]
                raise self.error(message, literal.span, hints=hints) from None
        if field is not None:
            raise self.mismatch(field, literal)
        raise self.error(f"{what} needs a date, not {literal_words(literal)}", literal.span,
                         hints=["write a date as 2024-01-19, 2024-01 or 2024"])


def _date_problem(message: str) -> str:
    # PartialDate's messages quote the text with Python's repr; keep them but drop the quotes.
    return message.replace("'", "")


def _first_span(node: ast.Condition) -> Span:
    """Where a condition starts: `and` and `or` have no span of their own, so their first
    test's (or `not`'s)."""
    while isinstance(node, (ast.And, ast.Or)):
        node = node.items[0]
    return node.span
