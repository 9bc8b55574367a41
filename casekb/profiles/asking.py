"""Asking the language's questions from code: a resolved query built by hand, answered by
the planner like any other (so names are matched and values decoded as queries do).

No text is made, so no value a user gave is ever pasted into a query: each is a Value in its
own slot, bound as a parameter.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casekb.lang.registry import entity
from casekb.lang.resolve import AllOf, AnyOf, OrderTerm, ResolvedQuery, Test, Value

if TYPE_CHECKING:
    from casekb.execute.results import QueryResult
    from casekb.kb import KB


def ask(kb: KB, entity_name: str, show: tuple[str, ...], *,
        where: tuple[tuple[str, str, tuple[Any, ...]], ...] = (), any_of: bool = False,
        order: tuple[str, ...] = (), sources: bool = False) -> QueryResult:
    """Every row of `entity_name where TESTS show FIELDS order by ORDER [with sources]`; each
    test is (field, operator, values), all of them holding (or, with `any_of`, one)."""
    found = entity(entity_name)
    values: list[Value] = []
    tests = []
    for name, op, given in where:
        slots = []
        for item in given:
            values.append(Value(len(values), item))
            slots.append(values[-1])
        tests.append(Test(found.field(name), op, tuple(slots)))
    condition = None
    if tests:
        condition = tests[0] if len(tests) == 1 else (AnyOf if any_of else AllOf)(tuple(tests))
    query = ResolvedQuery(found, condition, None, False, (),
                          tuple(found.field(name) for name in show),
                          tuple(OrderTerm(found.field(name)) for name in order), None, sources,
                          tuple(values))
    return kb.answer(query, cap=None)
