"""A query's shape: the query with its values taken out, and the recipe that puts them back.

`charges where defendant = "Alec Baldwin"` and `charges where defendant = "Hannah Gutierrez"`
compile to the same SQL with different parameters. casekb.querycache keeps the SQL of each
shape it has compiled, so that a query of a known shape is answered without SQLAlchemy (the
slow import): parse, resolve (both cheap), then fill the cached SQL's parameters from the new
query's values.

What the parameters are made of is not written down twice (here and in the compiler): it is
found out. The query is compiled a second time with every value replaced by a *marker*, a value
of the same type that nothing else can produce (text with private-use characters, dates in
the 11th century, numbers in the billions), and each parameter of that SQL is matched to the
marker it was made from and the step that made it (`lower`, `casefold`, a LIKE pattern, a
date's first or last day). The recipe is kept only if it is unambiguous and, applied to the
real values, gives exactly the parameters the real compilation gave, and the two SQL texts are
the same; otherwise the shape is simply not cached.

A shape keeps everything but the values: entity, fields, operators, the number of values in a
list, amounts' dimensions, `limit`, and the yes/no values (a `true` and a `false` test may
compile differently).
"""

from __future__ import annotations

import dataclasses
from typing import Any, Callable

from casekb.dates import PartialDate
from casekb.lang.patterns import contains_pattern
from casekb.lang.resolve import AllOf, AnyOf, Negated, OrderTerm, ResolvedQuery, Test
from casekb.quantities import Quantity


class NotShaped(Exception):
    """The query holds a value of a kind shapes do not cover (it is compiled as usual)."""


# How a parameter can be made from the value of a slot, by the value's type.
_TEXT_STEPS: dict[str, Callable[[str], Any]] = {
    "text": lambda text: text,
    "lower": str.lower,
    "casefold": str.casefold,
    "contains": contains_pattern,
    "contains_lower": lambda text: contains_pattern(text.lower()),
    "contains_casefold": lambda text: contains_pattern(text.casefold()),
}
_DATE_STEPS: dict[str, Callable[[PartialDate], Any]] = {
    "start": lambda day: day.start,
    "end": lambda day: day.end,
}
_AMOUNT_STEPS: dict[str, Callable[[Quantity], Any]] = {"amount": lambda amount: amount.value}
_NUMBER_STEPS: dict[str, Callable[[int], Any]] = {"number": lambda number: number}


def _steps(value: Any) -> dict[str, Callable[[Any], Any]]:
    if isinstance(value, str):
        return _TEXT_STEPS
    if isinstance(value, PartialDate):
        return _DATE_STEPS
    if isinstance(value, Quantity):
        return _AMOUNT_STEPS
    return _NUMBER_STEPS


def shape_of(query: ResolvedQuery) -> tuple[list, list]:
    """(shape, values): the query without its values (JSON-able), and the values in order.

    Raises NotShaped for a query shapes do not cover.
    """
    values: list[Any] = []

    def take(value: Any):
        values.append(value)
        return value

    _, shape = _rebuild(query, take)
    return shape, values


def with_values(query: ResolvedQuery, values: list[Any]) -> ResolvedQuery:
    """The query with its values (in `shape_of` order) replaced by `values`."""
    replacements = iter(values)
    rebuilt, _ = _rebuild(query, lambda value: next(replacements))
    return rebuilt


def markers(values: list[Any]) -> list[Any]:
    """For each value, a value of the same type that no query and no other slot holds."""
    made = []
    for slot, value in enumerate(values):
        if isinstance(value, str):
            # Private-use characters mark it; "Aß" tells lower ("aß") from casefold ("ass").
            made.append(f"\ue000{slot}Aß\ue001")
        elif isinstance(value, PartialDate):
            # A month, so that its first and last days differ.
            made.append(PartialDate.parse(f"{1001 + slot:04d}-02"))
        elif isinstance(value, Quantity):
            made.append(Quantity(value.dimension, 7_300_000_000.5 + slot, value.text))
        else:
            made.append(7_100_000_000 + slot)
    return made


def find_recipe(marked_parameters: list[Any], marker_values: list[Any]) -> list | None:
    """For each parameter compiled from the markers, ["slot", k, step] when it was made from
    marker k by `step`, or ["constant"] when no marker made it; None when one is ambiguous."""
    recipe: list = []
    for parameter in marked_parameters:
        found = [(slot, name) for slot, marker in enumerate(marker_values)
                 for name, step in _steps(marker).items() if _same(step(marker), parameter)]
        if len(found) > 1:
            return None
        recipe.append(["slot", *found[0]] if found else ["constant"])
    return recipe


def fill(recipe: list, constants: list[Any], values: list[Any],
         adapt: Callable[[Any], Any]) -> list[Any]:
    """The parameters of a shape's SQL for `values`; `adapt` turns each made value into what
    the driver receives (dates as ISO text)."""
    filled = []
    for item, constant in zip(recipe, constants):
        if item[0] == "slot":
            _, slot, name = item
            value = values[slot]
            filled.append(adapt(_steps(value)[name](value)))
        else:
            filled.append(constant)
    return filled


def _same(a: Any, b: Any) -> bool:
    # Strict: True == 1, 1 == 1.0 and a datetime can equal a date in Python, but parameters of
    # another type are another thing.
    return type(a) is type(b) and a == b


# -- the walk -------------------------------------------------------------------------------------

def _rebuild(query: ResolvedQuery, on_value: Callable[[Any], Any]) -> tuple[ResolvedQuery, list]:
    """Walk the query in a fixed order; each value goes through `on_value` (whose answer
    replaces it); returns the rebuilt query and its shape."""

    def value(item: Any) -> tuple[Any, Any]:
        if isinstance(item, bool):
            return item, ["yes/no", item]
        if isinstance(item, str):
            return on_value(item), "text"
        if isinstance(item, int):
            return on_value(item), "number"
        if isinstance(item, PartialDate):
            return on_value(item), "date"
        if isinstance(item, Quantity):
            return on_value(item), ["amount", item.dimension]
        raise NotShaped(type(item).__name__)

    def condition(node: Any) -> tuple[Any, Any]:
        if node is None:
            return None, None
        if isinstance(node, (AllOf, AnyOf)):
            items = [condition(item) for item in node.items]
            word = "all" if isinstance(node, AllOf) else "any"
            return type(node)(tuple(item for item, _ in items)), [word, [s for _, s in items]]
        if isinstance(node, Negated):
            item, shape = condition(node.item)
            return Negated(item), ["not", shape]
        if isinstance(node, Test):
            tested = [value(item) for item in node.values]
            return (Test(node.field, node.op, tuple(item for item, _ in tested)),
                    ["test", node.field.name, node.op, [s for _, s in tested]])
        raise NotShaped(type(node).__name__)

    where, where_shape = condition(query.condition)
    as_of, as_of_shape = value(query.as_of) if query.as_of is not None else (None, None)
    rebuilt = dataclasses.replace(query, condition=where, as_of=as_of)
    shape = [
        "query", query.entity.name, where_shape, as_of_shape, query.count,
        [field.name for field in query.group_by], [field.name for field in query.columns],
        [[_order_name(term), term.descending] for term in query.order],
        query.limit, query.with_sources,
    ]
    return rebuilt, shape


def _order_name(term: OrderTerm) -> str | None:
    return None if term.field is None else term.field.name
