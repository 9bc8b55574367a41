"""Statements of casekb.lang.sqlexpr as SQLAlchemy Core, for every use but the SQLite SQL of
casekb.querycache: running on PostgreSQL (or through an engine), `explain` in any dialect,
the SQL views.

Each object's `origin` (the call that made it) is replayed with SQLAlchemy's own function, so
the Core statement is the one the compiler would have built with SQLAlchemy directly: the same
parameter names, the same negations, the same SQL on every dialect. Objects are converted once
per statement (a parameter used twice stays one parameter), and a table always to the same
SQLAlchemy table.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from casekb.lang import sqlexpr as x


def to_core(node: Any) -> Any:
    """The SQLAlchemy Core object of a sqlexpr statement, expression or table."""
    return _Converter().convert(node)


class _Converter:
    def __init__(self):
        self.done: dict[int, Any] = {}
        self.keep: list = []  # keeps converted nodes alive, so that their ids stay theirs

    def convert(self, node: Any) -> Any:
        if isinstance(node, list):  # the values of an IN
            return [self.convert(item) for item in node]
        if not isinstance(node, (x.Expr, x.FromClause, x.Select, x.CompoundSelect)):
            return node  # a Python value: SQLAlchemy coerces it as before
        if isinstance(node, x.Table):
            return node.core
        key = id(node)
        if key not in self.done:
            self.keep.append(node)
            self.done[key] = self._make(node)
        return self.done[key]

    def _make(self, node: Any) -> Any:
        if isinstance(node, x.Select):
            return self._select(node)
        kind, *args = node.origin
        return getattr(self, "_" + kind)(*args)

    def _select(self, node: x.Select):
        c = self.convert
        statement = sa.select(*map(c, node.columns))
        if node.from_clauses:
            statement = statement.select_from(*map(c, node.from_clauses))
        if node.where_criteria:
            statement = statement.where(*map(c, node.where_criteria))
        if node.group_by_clauses:
            statement = statement.group_by(*map(c, node.group_by_clauses))
        if node.order_by_clauses:
            statement = statement.order_by(*map(c, node.order_by_clauses))
        if node.limit_value is not None:
            statement = statement.limit(node.limit_value)
        if node.is_distinct:
            statement = statement.distinct()
        if not node.auto_correlate:
            statement = (statement.correlate(*map(c, node.correlate_to)) if node.correlate_to
                         else statement.correlate(None))
        return statement

    # -- one method per kind of origin ----------------------------------------------------

    def _column(self, table, name):
        return self.convert(table).c[name]

    def _alias(self, table, name):
        return self.convert(table).alias(name)

    def _subquery(self, select, name):
        return self.convert(select).subquery(name)

    def _scalar_subquery(self, select):
        return self.convert(select).scalar_subquery()

    def _join(self, left, right, on, isouter):
        return self.convert(left).join(self.convert(right), self.convert(on), isouter=isouter)

    def _union(self, selects):
        return sa.union(*map(self.convert, selects))

    def _bindparam(self, key, value, unique, expanding):
        return sa.bindparam(key, value, unique=unique, expanding=expanding)

    def _literal(self, value):
        return sa.literal(value)

    def _value(self, value):
        return value

    def _null(self):
        return sa.null()

    def _literal_column(self, text):
        return sa.literal_column(text)

    def _binop(self, op, left, right, modifiers):
        left, right = self.convert(left), self.convert(right)
        if op == "in":
            return left.in_(right)
        if op == "like":
            return left.like(right, **modifiers)
        if op == "is":
            return left.is_(None)
        if op == "is_not":
            return left.is_not(None)
        return {
            "eq": lambda: left == right, "ne": lambda: left != right,
            "lt": lambda: left < right, "le": lambda: left <= right,
            "gt": lambda: left > right, "ge": lambda: left >= right,
            "add": lambda: left + right,
        }[op]()

    def _not(self, clause):
        return sa.not_(self.convert(clause))

    def _and(self, clauses):
        return sa.and_(*map(self.convert, clauses))

    def _or(self, clauses):
        return sa.or_(*map(self.convert, clauses))

    def _exists(self, select):
        return sa.exists(self.convert(select))

    def _distinct(self, expr):
        return sa.distinct(self.convert(expr))

    def _asc(self, expr):
        return self.convert(expr).asc()

    def _desc(self, expr):
        return self.convert(expr).desc()

    def _nulls_last(self, expr):
        return self.convert(expr).nulls_last()

    def _label(self, expr, name):
        return self.convert(expr).label(name)

    def _func(self, name, args):
        return getattr(sa.func, name)(*map(self.convert, args))

    def _sqlfunction(self, name, args):
        from casekb.lang.sqlfunctions import core_function

        return core_function(name)(*map(self.convert, args))

    def _over(self, function, order_by):
        return self.convert(function).over(order_by=list(map(self.convert, order_by)))

    def _case(self, whens, else_):
        return sa.case(*((self.convert(condition), self.convert(result))
                         for condition, result in whens), else_=self.convert(else_))
