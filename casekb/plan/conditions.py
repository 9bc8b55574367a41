"""The SQL of a query's condition: each test of a field, by the field's type and accessor.

The semantics (casekb/lang/fields.py TYPE_RULES says them to users):
- text compares case-insensitively; `~` is "contains", with % and _ matched literally;
- a person or case matches its name/title, any alias or its curated id (through the indexed
  *_folded columns and the key);
- a stored date X (the days start..end it may be) against a date Q: a test holds when it
  holds certainly, for every day X may be: X = Q when X lies within Q; X != Q when X lies
  wholly outside Q; X >= Q when X starts on or after Q starts; X > Q when X starts after Q
  ends; X <= Q when X ends by the end of Q; X < Q when X ends before Q starts. `possibly`
  asks whether it holds for some day X may be: = when X overlaps Q, != when X is not within
  Q, >= when X ends on or after Q starts, > when X ends after Q ends, <= when X starts by
  the end of Q, < when X starts before Q starts. An unknown date never matches;
- an amount only matches amounts of its own dimension (duration, money, hours);
- a field of several values matches when some value does (`!=`, `not in`: when none does).

Every value is a bound parameter made by the Binder (casekb/plan/binding.py) from its slot.
"""

from __future__ import annotations

from typing import Any

from casekb.lang.fields import (
    Amount,
    Computed,
    Dated,
    Field,
    FieldType,
    NamedRef,
    Plain,
    Related,
    Reported,
)
from casekb.lang.patterns import LIKE_ESCAPE
from casekb.lang.resolve import (
    AllOf,
    AnyOf,
    Negated,
    ResolvedCondition,
    Test,
    Value,
    tests_of,
)
from casekb.plan import names
from casekb.plan.accessors import stored_column, value_of
from casekb.plan.binding import Binder
from casekb.plan.scope import Scope


def condition(node: ResolvedCondition, scope: Scope, accessor, binder: Binder, *,
              negated: bool = False) -> Any:
    """The SQL of a resolved condition; `accessor(field)` picks how each field is read.
    `negated` says the condition sits under an odd number of `not`s (see _Tests.named)."""
    from sqlalchemy import and_, not_, or_

    if isinstance(node, AllOf):
        return and_(*(condition(item, scope, accessor, binder, negated=negated)
                      for item in node.items))
    if isinstance(node, AnyOf):
        return or_(*(condition(item, scope, accessor, binder, negated=negated)
                     for item in node.items))
    if isinstance(node, Negated):
        return not_(condition(node.item, scope, accessor, binder, negated=not negated))
    return _Tests(binder).test(node, accessor(node.field), scope, negated)


class _Tests:
    def __init__(self, binder: Binder):
        self.binder = binder

    def value_of(self, access, scope: Scope):
        return value_of(access, scope, self.binder)

    def test(self, node: Test, access, scope: Scope, negated: bool = False) -> Any:
        """The SQL of one test of a field (`negated`: under an odd number of `not`s)."""
        from sqlalchemy import and_, not_, or_

        field, op, values = node.field, node.op, node.values
        if isinstance(access, Related):
            return self.related(node, access, scope)
        if op == "empty":
            return self.emptiness(access, scope)
        if op == "not empty":
            return not_(self.emptiness(access, scope))
        if isinstance(access, Amount) and op in ("!=", "not in"):
            # An amount only ever matches amounts of its own dimension, negations included.
            kind = access.dimension(scope).in_(
                [self.binder.value(value, "dimension", f"{field.name}_dimension")
                 for value in values])
            positive = "=" if op == "!=" else "in"
            return and_(kind, not_(self.test(Test(field, positive, values), access, scope,
                                             not negated)))
        if op == "!=" and isinstance(access, Dated):
            return self.date(field.name, access, scope, op, values[0], node.possibly)
        if op == "!=":
            return not_(self.test(Test(field, "=", values), access, scope, not negated))
        if op == "not in" and isinstance(access, Dated):
            # Each value certainly (or possibly) not: a date outside every one of them.
            return and_(*(self.date(field.name, access, scope, "!=", value, node.possibly)
                          for value in values))
        if op == "not in":
            return not_(self.test(Test(field, "in", values), access, scope, not negated))
        if isinstance(access, NamedRef):
            return self.named(field, access, scope, op, values, negated)
        if op == "in" and isinstance(access, (Plain, Computed, Reported)):
            return self.plain_in(field, access, scope, values)
        if op == "in":  # dates and amounts: one range or dimension test a value
            return or_(*(self.test(Test(field, "=", (value,), node.possibly), access, scope)
                         for value in values))
        if isinstance(access, Dated):
            return self.date(field.name, access, scope, op, values[0], node.possibly)
        if isinstance(access, Amount):
            return self.amount(field.name, access, scope, op, values[0])
        return self.plain(field, access, scope, op, values[0])

    def named(self, field: Field, access: NamedRef, scope: Scope, op: str,
              values: tuple[Value, ...], negated: bool):
        """A person or case among those the values name (casekb/plan/names.py).

        `x IN (sub-query)` is false, not unknown, when x is NULL and the sub-query finds
        nobody (`case ~ "zz"` on a statute's penalty, which has no case), so its negation
        would hold for rows whose value nobody recorded. Under a `not`, an unknown value stays
        unknown; elsewhere false and unknown keep the same rows, and the plain IN keeps the
        index on the reference usable."""
        from sqlalchemy import case, null

        ref = access.ref(scope)
        if not negated:
            # The named table as tested by the WHERE clause (joined inner, see Scope.filtering):
            # the database may then start from the few rows it names.
            access.display(scope)
        found = ref.in_(names.named_ids(access.kind, op, [
            self.binder.value(value, "contains_casefold" if op == "~" else "casefold",
                              field.name) for value in values]))
        return case((ref.is_(None), null()), else_=found) if negated else found

    def emptiness(self, access, scope: Scope):
        column = stored_column(access, scope)
        return (self.value_of(access, scope) if column is None else column).is_(None)

    def _matched(self, access, scope: Scope) -> tuple[Any, str]:
        """The SQL a text test compares, and the transform its value goes through: the
        indexed casefolded twin and casefold(), or lower() of both sides (of every letter on
        both engines: casekb.plan.sqlfunctions.unicode_lower)."""
        from casekb.plan.sqlfunctions import unicode_lower

        if isinstance(access, Plain) and access.folded is not None:
            return access.folded(scope), "casefold"
        return unicode_lower(self.value_of(access, scope)), "lower"

    def plain(self, field: Field, access, scope: Scope, op: str, value: Value):
        column = self.value_of(access, scope)
        name = field.name
        if field.type in (FieldType.TEXT, FieldType.ENUM):
            matched, transform = self._matched(access, scope)
            if op == "~":
                return matched.like(self.binder.value(value, f"contains_{transform}", name),
                                    escape=LIKE_ESCAPE)
            if field.type is FieldType.ENUM:  # stored in its canonical spelling, as resolved
                return column == self.binder.value(value, "value", name)
            return matched == self.binder.value(value, transform, name)
        return _compare(column, op, self.binder.value(value, "value", name))

    def plain_in(self, field: Field, access, scope: Scope, values: tuple[Value, ...]):
        # One IN (...) rather than a chain of ORs: SQLite refuses expressions nested more than
        # 1000 deep, and a long OR chain is nested one level a value.
        column, transform = self.value_of(access, scope), "value"
        if field.type is FieldType.TEXT:
            column, transform = self._matched(access, scope)
        return column.in_([self.binder.value(value, transform, field.name) for value in values])

    def date(self, name: str, access: Dated, scope: Scope, op: str, day: Value,
             possibly: bool = False):
        from sqlalchemy import and_, or_

        start, end = access.start(scope), access.end(scope)
        bind = self.binder.value
        if possibly:
            return self.possible_date(name, start, end, op, day)
        # A stored range always has start <= end, so the extra bound on `start` in `=`, `<=`
        # and `<` changes no answer; it lets the index on the start column serve both ends of
        # the range (filed = 2015-03 on 100k cases: 283 ms -> 1.7 ms).
        if op == "!=":
            return or_(end < bind(day, "start", f"{name}_from"),
                       start > bind(day, "end", f"{name}_to"))
        if op == "=":
            upper = bind(day, "end", f"{name}_to")
            return and_(start >= bind(day, "start", f"{name}_from"), start <= upper,
                        end <= upper)
        if op == ">=":
            return start >= bind(day, "start", name)
        if op == ">":
            return start > bind(day, "end", name)
        if op == "<=":
            upper = bind(day, "end", name)
            return and_(start <= upper, end <= upper)
        if op == "<":
            lower = bind(day, "start", name)
            return and_(start < lower, end < lower)
        raise ValueError(f"operator {op!r} on a date")  # resolve.py prevents this

    def possible_date(self, name: str, start, end, op: str, day: Value):
        """The test holds for some day the stored date (start..end) may be."""
        from sqlalchemy import and_, or_

        bind = self.binder.value
        if op == "=":  # overlaps
            return and_(start <= bind(day, "end", f"{name}_to"),
                        end >= bind(day, "start", f"{name}_from"))
        if op == "!=":  # not within
            return or_(start < bind(day, "start", f"{name}_from"),
                       end > bind(day, "end", f"{name}_to"))
        if op == ">=":
            return end >= bind(day, "start", name)
        if op == ">":
            return end > bind(day, "end", name)
        if op == "<=":
            return start <= bind(day, "end", name)
        if op == "<":
            return start < bind(day, "start", name)
        raise ValueError(f"operator {op!r} on a date")  # resolve.py prevents this

    def amount(self, name: str, access: Amount, scope: Scope, op: str, amount: Value):
        from sqlalchemy import and_

        same_kind = access.dimension(scope) == self.binder.value(amount, "dimension",
                                                                 f"{name}_dimension")
        return and_(same_kind, _compare(access.value(scope), op,
                                        self.binder.value(amount, "amount", name)))

    def related(self, node: Test, access: Related, scope: Scope):
        from sqlalchemy import exists, literal_column, not_, select

        op = node.op
        negate = op in ("!=", "not in", "empty")
        inner = Scope.related(access)
        if op in ("empty", "not empty"):
            inner_test = not_(self.emptiness(access.value, inner))
        else:
            positive = {"!=": "=", "not in": "in"}.get(op, op)
            inner_test = self.test(Test(node.field, positive, node.values), access.value, inner)
        if not negate:
            # `outer id IN (SELECT inner key ... WHERE test)`: the database may start from the
            # related rows that pass the test (by an index on the tested value), where EXISTS
            # leads SQLite to probe the related rows once per outer row (statements about a
            # person: 6 ms instead of 0.2 on 10,000 cases). A negated test keeps NOT EXISTS,
            # an anti-join on both engines. Empty inner keys are left out, so that the test
            # stays two-valued under an enclosing `not (...)` (the outer id is never empty).
            inner_key, outer_id = access.keys(inner, scope)
            return outer_id.in_(select(inner_key).select_from(inner.from_clause())
                                .where(inner_test, inner_key.is_not(None)))
        found = exists(select(literal_column("1")).select_from(inner.from_clause())
                       .where(access.link(inner, scope), inner_test)
                       .correlate(*scope.objects()))
        return not_(found) if negate else found


# What a test of a date keeps, by operator: certainly (every day the date may be), possibly.
DATE_RULES = {
    "=": ("lying wholly within it", "overlapping it"),
    "!=": ("lying wholly outside it", "not lying wholly within it"),
    "<": ("ending before it starts", "starting before it starts"),
    "<=": ("ending by its last day", "starting by its last day"),
    ">": ("starting after its last day", "ending after its last day"),
    ">=": ("starting on or after its first day", "ending on or after its first day"),
    "in": ("lying wholly within one of them", "overlapping one of them"),
    "not in": ("lying wholly outside every one of them", "not lying wholly within each"),
}


def date_notes(query) -> list[str]:
    """What each test of a date in a resolved query keeps, in words (for `explain`)."""
    notes = []
    for node in tests_of(query.condition):
        if node.field.type is FieldType.DATE and node.op in DATE_RULES:
            certainly, possibly = DATE_RULES[node.op]
            values = ", ".join(str(value.value) for value in node.values)
            mode = "possibly" if node.possibly else "certainly"
            notes.append(f"{node.field.name} {node.op} {values}: {mode}, dates "
                         f"{possibly if node.possibly else certainly}")
    if query.as_of is not None:
        how = "may have happened" if query.as_of_possibly else "had certainly happened"
        notes.append(f"as of {query.as_of.value}: facts that {how} by its last day")
    return notes


def _compare(column, op: str, param):
    if op == "=":
        return column == param
    if op == "<":
        return column < param
    if op == "<=":
        return column <= param
    if op == ">":
        return column > param
    if op == ">=":
        return column >= param
    raise ValueError(f"operator {op!r} on a plain column")  # resolve.py prevents this
