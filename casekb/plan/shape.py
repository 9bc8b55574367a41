"""A query's shape: the resolved query with its values taken out, as a string.

`charges where defendant = "Alec Baldwin"` and `charges where defendant = "Hannah Gutierrez"`
have one shape. The planner binds every value through its slot (casekb/plan/binding.py) and
never lets a value change the SQL it writes, so the plan of a shape serves every query of
that shape with the query's own values bound. The shape keeps everything but the values:
entity, fields, operators, the number of values in a list, each value's type, whether there
is an `as of` and a `limit`, the columns, groups and order, `with sources`.
"""

from __future__ import annotations

import json
from typing import Any

from casekb.lang.resolve import AllOf, AnyOf, Negated, ResolvedQuery, Test, Value


def shape_of(query: ResolvedQuery) -> str:
    """The shape of a resolved query, as a string (JSON)."""
    return json.dumps([
        query.entity.name, _condition(query.condition), _kind(query.as_of),
        query.as_of_possibly, query.count,
        [field.name for field in query.group_by], [field.name for field in query.columns],
        [[None if term.field is None else term.field.name, term.descending]
         for term in query.order],
        _kind(query.limit), query.with_sources,
    ], separators=(",", ":"))


def _kind(value: Value | None) -> str | None:
    return None if value is None else type(value.value).__name__


def _condition(node: Any) -> Any:
    if node is None:
        return None
    if isinstance(node, (AllOf, AnyOf)):
        return ["all" if isinstance(node, AllOf) else "any",
                [_condition(item) for item in node.items]]
    if isinstance(node, Negated):
        return ["not", _condition(node.item)]
    if isinstance(node, Test):
        return ["test", node.field.name, node.op, [_kind(value) for value in node.values],
                node.possibly]
    raise TypeError(f"not a condition: {node!r}")
