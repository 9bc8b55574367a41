"""SQL expressions as the compiler and the registry build them, without SQLAlchemy.

Importing SQLAlchemy takes about a quarter of a second, longer than the whole run of
`sqlite-utils query`; yet the SQLite SQL of a query never asked before needs none of it. So
the language builds its statements from the small classes here, which follow SQLAlchemy Core's
own rules (the same grouping by operator precedence, the same negations: `not_(a = b)` is
`a != b`, `not_(a IN ...)` is `(a NOT IN ...)`, the same auto-correlation of sub-queries), and
two writers read them:

- casekb.lang.sqlite_sql writes the SQLite SQL and positional parameters, byte for byte what
  SQLAlchemy's SQLite dialect writes (tests/test_sqlite_generator.py compares the two);
- casekb.lang.to_core replays the same construction with SQLAlchemy Core, for everything else
  (PostgreSQL, `explain`, the views), so there is one compiler.

Each object keeps `origin`: the call that made it, as (kind, arguments...), which is what
to_core replays; the other attributes are the shape SQLAlchemy gives it (operands already
grouped, negations already applied), which is what sqlite_sql writes.
"""

from __future__ import annotations

import datetime
from typing import Any


class Unsupported(Exception):
    """An expression the SQLite writer does not write exactly as SQLAlchemy would; the caller
    compiles it with SQLAlchemy instead."""


# -- operators ------------------------------------------------------------------------------

# SQLAlchemy's precedence of the operators used here (sqlalchemy.sql.operators._PRECEDENCE).
PRECEDENCE = {
    "eq": 5, "ne": 5, "lt": 5, "le": 5, "gt": 5, "ge": 5, "in": 5, "not_in": 5, "like": 5,
    "not_like": 5, "is": 5, "is_not": 5, "concat": 5, "inv": 5, "distinct": 5,
    "and": 3, "or": 2, "exists": 0, "comma": -1, "as": -1, "asbool": -10,
}
# Operators that group with themselves without parentheses (a AND b AND c).
_SELF_PRECEDENT = {"and", "or", "concat"}
_NEGATION = {"eq": "ne", "ne": "eq", "lt": "ge", "ge": "lt", "le": "gt", "gt": "le",
             "in": "not_in", "not_in": "in", "like": "not_like", "not_like": "like",
             "is": "is_not", "is_not": "is"}
_BOOLEAN_OPERATORS = {"eq", "ne", "lt", "le", "gt", "ge", "in", "not_in", "like", "not_like",
                      "is", "is_not", "and", "or", "inv", "exists"}


def is_precedent(operator: str, against: str | None) -> bool:
    """True when an expression of `operator` needs parentheses inside one of `against`."""
    if operator == against and operator in _SELF_PRECEDENT:
        return False
    if against is None:
        return True
    return PRECEDENCE[operator] <= PRECEDENCE[against]


def type_of_value(value: Any) -> str | None:
    """The SQLAlchemy type a Python value is bound as (by its class, as SQLAlchemy does)."""
    if isinstance(value, bool):
        return "Boolean"
    if isinstance(value, datetime.datetime):
        return "DateTime"
    if isinstance(value, datetime.date):
        return "Date"
    if isinstance(value, int):
        return "Integer"
    if isinstance(value, float):
        return "Float"
    if isinstance(value, str):
        return "String"
    return None


# -- column expressions -----------------------------------------------------------------------

class Expr:
    """A column expression: a value of each row (a column, a parameter, a comparison...)."""

    type: str | None = None
    origin: tuple = ()

    __hash__ = object.__hash__

    # Grouping and negation, as SQLAlchemy's ColumnElement does them.
    def self_group(self, against: str | None = None) -> "Expr":
        if against in ("and", "or", "asbool") and self.type == "Boolean":
            return AsBoolean(self)
        return self

    def negated(self) -> "Expr":
        if self.type == "Boolean":
            return AsBoolean(self)
        return Unary(self.self_group("inv"), operator="inv")

    def from_objects(self) -> list:
        return []

    # Operators
    def _compare(self, op: str, other: Any, **modifiers) -> "Binary":
        right = other if isinstance(other, Expr) else Bind.coerced(other, self)
        return Binary(self, right, op, type_="Boolean", negate=_NEGATION.get(op),
                      modifiers=modifiers, origin=("binop", op, self, other, modifiers))

    def __eq__(self, other):  # type: ignore[override]
        return self._compare("eq", other)

    def __ne__(self, other):  # type: ignore[override]
        return self._compare("ne", other)

    def __lt__(self, other):
        return self._compare("lt", other)

    def __le__(self, other):
        return self._compare("le", other)

    def __gt__(self, other):
        return self._compare("gt", other)

    def __ge__(self, other):
        return self._compare("ge", other)

    def __add__(self, other):
        right = other if isinstance(other, Expr) else Bind.coerced(other, self)
        if self.type not in ("String", "Text"):
            raise TypeError("+ of anything but text: the compiler never builds it")
        return Binary(self, right, "concat", type_="String",
                      origin=("binop", "add", self, other, {}))

    def __invert__(self):
        return not_(self)

    def in_(self, other: "Bind | list[Expr] | Select | CompoundSelect") -> "Binary":
        """IN an expanding parameter, a list of expressions, or a sub-query."""
        if isinstance(other, (Select, CompoundSelect)):
            right = other.self_group("in")
        elif isinstance(other, list):
            right = Grouping(ExprList([_as_expr(item) for item in other]))
        else:
            return self._compare("in", other)
        return Binary(self, right, "in", type_="Boolean", negate="not_in",
                      origin=("binop", "in", self, other, {}))

    def like(self, pattern: Any, escape: str | None = None) -> "Binary":
        return self._compare("like", pattern, **({"escape": escape} if escape else {}))

    def is_(self, none: None) -> "Binary":
        assert none is None
        return Binary(self, NULL, "is", type_="Boolean", negate="is_not",
                      origin=("binop", "is", self, None, {}))

    def is_not(self, none: None) -> "Binary":
        assert none is None
        return Binary(self, NULL, "is_not", type_="Boolean", negate="is",
                      origin=("binop", "is_not", self, None, {}))

    def asc(self) -> "Unary":
        return Unary(self, modifier="asc", type_=self.type, origin=("asc", self))

    def desc(self) -> "Unary":
        return Unary(self, modifier="desc", type_=self.type, origin=("desc", self))

    def nulls_last(self) -> "Unary":
        return Unary(self, modifier="nulls_last", type_=self.type, origin=("nulls_last", self))

    def label(self, name: str) -> "Label":
        return Label(name, self)

    def over(self, order_by) -> "Over":
        return Over(self, list(order_by))


class Null(Expr):
    def __init__(self):
        self.origin = ("null",)


NULL = Null()


class ColumnRef(Expr):
    """A column of a table, an alias or a sub-query."""

    def __init__(self, table: "FromClause", name: str, type_: str | None):
        self.table, self.name, self.type = table, name, type_
        self.origin = ("column", table, name)

    def from_objects(self) -> list:
        return [self.table]

    def __repr__(self) -> str:
        return f"ColumnRef({self.table.name}.{self.name})"


class Bind(Expr):
    """A bound parameter: written `?`; `expanding` takes a list, written `?, ?, ...`."""

    def __init__(self, key: str | None, value: Any, *, type_: str | None = None,
                 unique: bool = False, expanding: bool = False, origin: tuple | None = None):
        self.key, self.value, self.unique, self.expanding = key, value, unique, expanding
        if type_ is None:
            type_ = type_of_value(value[0] if expanding and value else value)
        self.type = type_
        self.origin = origin or ("bindparam", key, value, unique, expanding)

    @classmethod
    def coerced(cls, value: Any, compared_to: Expr) -> "Bind":
        """A Python value on the other side of an operator: bound with that side's type."""
        if value is None or isinstance(value, bool):
            raise TypeError("a comparison with None or a bool: use is_(None) or bindparam()")
        type_ = compared_to.type or type_of_value(value)
        return cls(None, value, type_=type_, origin=("value", value))


def bindparam(key: str, value: Any, *, unique: bool = False, expanding: bool = False) -> Bind:
    """A named parameter (SQLAlchemy's `bindparam`)."""
    return Bind(key, value, unique=unique, expanding=expanding)


def literal(value: Any) -> Bind:
    """A value as a parameter of its own type (SQLAlchemy's `literal`)."""
    return Bind(None, value, origin=("literal", value))


class LiteralColumn(Expr):
    """SQL text written as it is (only constants of the compiler: `1`)."""

    def __init__(self, text: str):
        self.text = text
        self.origin = ("literal_column", text)


def literal_column(text: str) -> LiteralColumn:
    return LiteralColumn(text)


class Binary(Expr):
    """`left OPERATOR right`, its operands grouped against the operator."""

    def __init__(self, left: Expr, right: Expr, operator: str, *, type_: str | None,
                 negate: str | None = None, modifiers: dict | None = None, origin: tuple = ()):
        self.left = left.self_group(operator)
        self.right = right.self_group(operator)
        self.operator, self.type, self.negate = operator, type_, negate
        self.modifiers = modifiers or {}
        self.origin = origin

    def self_group(self, against=None):
        if is_precedent(self.operator, against) or (
                against == "inv" and self.operator not in _BOOLEAN_OPERATORS):
            return Grouping(self)
        return self

    def negated(self):
        if self.negate is None:
            return self.self_group().negated()
        return Binary(self.left, self.right, self.negate, type_=self.type,
                      negate=self.operator, modifiers=self.modifiers)

    def from_objects(self):
        return self.left.from_objects() + self.right.from_objects()


class BoolList(Expr):
    """`a AND b AND c` (or OR)."""

    def __init__(self, operator: str, clauses: list[Expr], origin: tuple):
        self.operator, self.clauses, self.type, self.origin = operator, clauses, "Boolean", origin

    def self_group(self, against=None):
        if self.clauses and is_precedent(self.operator, against):
            return Grouping(self)
        return self

    def negated(self):
        return Unary(self.self_group("inv"), operator="inv")

    def from_objects(self):
        return [item for clause in self.clauses for item in clause.from_objects()]


def _boolean(operator: str, clauses: tuple) -> Expr:
    if not clauses:
        raise TypeError(f"{operator}_() of nothing")
    items = list(clauses)
    against = operator if len(items) > 1 else "asbool"
    grouped = [item.self_group(against) for item in items]
    if len(grouped) == 1:
        # One condition is itself (SQLAlchemy's and_(x) is x, grouped against nothing).
        single = grouped[0]
        if single is not items[0]:
            single.origin = (operator, clauses)
        return single
    flat: list[Expr] = []
    for item in grouped:
        if isinstance(item, BoolList) and item.operator == operator:
            flat += item.clauses
        else:
            flat.append(item)
    return BoolList(operator, flat, (operator, clauses))


def and_(*clauses: Expr) -> Expr:
    """SQLAlchemy's and_(): flattened, each part grouped against AND."""
    return _boolean("and", clauses)


def or_(*clauses: Expr) -> Expr:
    """SQLAlchemy's or_()."""
    return _boolean("or", clauses)


def not_(clause: Expr) -> Expr:
    """SQLAlchemy's not_(): the negated operator where there is one (`!=`, `NOT IN`), else
    NOT (...)."""
    negated = clause.negated()
    negated.origin = ("not", clause)
    return negated


class Unary(Expr):
    """`OPERATOR element` (NOT, EXISTS, DISTINCT) or `element MODIFIER` (ASC, DESC, NULLS
    LAST)."""

    def __init__(self, element: Expr, *, operator: str | None = None, modifier: str | None = None,
                 type_: str | None = None, origin: tuple = ()):
        self.element, self.operator, self.modifier = element, operator, modifier
        self.type, self.origin = type_, origin

    def self_group(self, against=None):
        if self.operator and is_precedent(self.operator, against):
            return Grouping(self)
        return self

    def negated(self):
        if self.type == "Boolean":
            return Unary(self.self_group("inv"), operator="inv", type_="Boolean")
        return Unary(self.self_group("inv"), operator="inv")

    def from_objects(self):
        return self.element.from_objects()


class Grouping(Expr):
    """Parentheses."""

    def __init__(self, element: Expr):
        self.element, self.type = element, element.type
        self.origin = element.origin

    def self_group(self, against=None):
        return self

    def from_objects(self):
        return self.element.from_objects()


class AsBoolean(Expr):
    """A boolean value standing alone as a condition: SQLAlchemy writes `x = 1` on SQLite.
    The compiler never makes one; the SQLite writer refuses it."""

    def __init__(self, element: Expr):
        self.element, self.type, self.origin = element, "Boolean", element.origin

    def self_group(self, against=None):
        return self


def exists(select: "Select") -> Unary:
    """`EXISTS (SELECT ...)`."""
    return Unary(ScalarSelect(select), operator="exists", type_="Boolean",
                 origin=("exists", select))


def distinct(expr: Expr) -> Unary:
    return Unary(expr, operator="distinct", type_=expr.type, origin=("distinct", expr))


class ExprList(Expr):
    """`a, b, c` (the inside of an IN list)."""

    def __init__(self, items: list[Expr]):
        self.items = [item.self_group("comma") for item in items]

    def from_objects(self):
        return [found for item in self.items for found in item.from_objects()]


class Label(Expr):
    """`expr AS name` in a columns clause; the name alone in an ORDER BY of that select."""

    def __init__(self, name: str, element: Expr):
        self.name = name
        self.element = element.self_group("as")
        self.type = element.type
        self.origin = ("label", element, name)

    def self_group(self, against=None):
        return self

    def from_objects(self):
        return self.element.from_objects()


class Function(Expr):
    """`name(arguments)`, or `name(*)` with `star`; `template` (a SQLite template of
    casekb.lang.sqlfunctions) writes it otherwise."""

    def __init__(self, name: str, args: tuple, *, type_: str | None, template: str | None = None,
                 star: bool = False, origin: tuple = ()):
        self.name = name
        self.args = [arg.self_group("comma") for arg in args]
        self.type, self.template, self.star = type_, template, star
        self.origin = origin or ("func", name, args)

    def from_objects(self):
        return [item for arg in self.args for item in arg.from_objects()]


class _Functions:
    """`func.count()`, `func.max(x)`, ... as SQLAlchemy's `func` makes them."""

    def count(self, expr: Expr | None = None) -> Function:
        args = () if expr is None else (expr,)
        return Function("count", args, type_="Integer", star=expr is None)

    def max(self, expr: Expr) -> Function:
        return Function("max", (expr,), type_=expr.type)

    def coalesce(self, *exprs: Expr) -> Function:
        return Function("coalesce", exprs, type_=exprs[0].type)

    def row_number(self) -> Function:
        return Function("row_number", (), type_="Integer")


func = _Functions()


class Over(Expr):
    """`function OVER (ORDER BY ...)`."""

    def __init__(self, element: Function, order_by: list[Expr]):
        self.element, self.order_by = element, [key.self_group("comma") for key in order_by]
        self.type = element.type
        self.origin = ("over", element, tuple(order_by))

    def from_objects(self):
        return self.element.from_objects() + [
            item for key in self.order_by for item in key.from_objects()]


class Case(Expr):
    """`CASE WHEN ... THEN ... [ELSE ...] END`."""

    def __init__(self, whens: tuple, else_: Any):
        self.whens = [(condition.self_group(), _as_expr(result)) for condition, result in whens]
        self.else_ = None if else_ is None else _as_expr(else_)
        self.type = self.whens[0][1].type if self.whens else None
        self.origin = ("case", whens, else_)

    def from_objects(self):
        found = [item for condition, result in self.whens
                 for item in condition.from_objects() + result.from_objects()]
        return found + (self.else_.from_objects() if self.else_ is not None else [])


def case(*whens, else_=None) -> Case:
    return Case(whens, else_)


def _as_expr(value: Any) -> Expr:
    return value if isinstance(value, Expr) else Bind(None, value, origin=("value", value))


# -- tables and selects ---------------------------------------------------------------------

class Columns:
    """A from-clause's columns: `c.name`, `c["name"]`, `"name" in c`."""

    def __init__(self, columns: dict[str, ColumnRef]):
        self._columns = columns

    def __getattr__(self, name: str) -> ColumnRef:
        try:
            return self._columns[name]
        except KeyError:
            raise AttributeError(name) from None

    def __getitem__(self, name: str) -> ColumnRef:
        return self._columns[name]

    def __contains__(self, name: str) -> bool:
        return name in self._columns

    def __iter__(self):
        return iter(self._columns.values())


class FromClause:
    """Something to select from: a table, an alias, a sub-query, a join."""

    name: str = ""
    origin: tuple = ()

    def from_objects(self) -> list:
        return [self]

    def hidden(self) -> list:
        """The from-clauses this one stands for (a join's tables)."""
        return []

    def self_group(self, against=None):
        return self

    def alias(self, name: str) -> "Alias":
        return Alias(self, name)

    def join(self, right: "FromClause", on: Expr, isouter: bool = False) -> "Join":
        return Join(self, right, on, isouter)

    def outerjoin(self, right: "FromClause", on: Expr) -> "Join":
        return Join(self, right, on, True)


class Table(FromClause):
    """A table by name, with its columns and their types (see casekb.lang.tables)."""

    def __init__(self, name: str, *columns: tuple[str, str]):
        self.name = name
        self.column_types = columns
        self.c = Columns({column: ColumnRef(self, column, kind) for column, kind in columns})
        self.origin = ("table",)
        self._core = None

    @property
    def core(self):
        """This table as a SQLAlchemy table clause (made, and SQLAlchemy imported, on first
        use)."""
        if self._core is None:
            import sqlalchemy

            self._core = sqlalchemy.table(
                self.name, *(sqlalchemy.column(name, getattr(sqlalchemy, kind))
                             for name, kind in self.column_types))
        return self._core

    def __repr__(self) -> str:
        return f"Table({self.name!r})"


class Alias(FromClause):
    """`table AS name`."""

    def __init__(self, element: Table, name: str):
        self.element, self.name = element, name
        self.c = Columns({column.name: ColumnRef(self, column.name, column.type)
                          for column in element.c})
        self.origin = ("alias", element, name)


class Subquery(FromClause):
    """`(SELECT ...) AS name`."""

    def __init__(self, select: "Select", name: str):
        self.element, self.name = select, name
        # Only named columns can be read from outside (the compiler labels every other one).
        self.c = Columns({column.name: ColumnRef(self, column.name, column.type)
                          for column in select.columns if isinstance(column, (Label, ColumnRef))})
        self.origin = ("subquery", select, name)


class Join(FromClause):
    """`left [LEFT OUTER] JOIN right ON condition`."""

    def __init__(self, left: FromClause, right: FromClause, on: Expr, isouter: bool):
        self.left = left
        # A join on the right is written in parentheses (SQLAlchemy's FromGrouping).
        self.right = FromGrouping(right) if isinstance(right, Join) else right
        self.on = on.self_group("asbool")
        self.isouter = isouter
        self.origin = ("join", left, right, on, isouter)

    def from_objects(self):
        return [self, *self.left.from_objects(), *self.right.from_objects()]

    def hidden(self):
        return [*self.left.from_objects(), *self.right.from_objects()]


class FromGrouping(FromClause):
    def __init__(self, element: Join):
        self.element, self.origin = element, element.origin

    def from_objects(self):
        return self.element.from_objects()

    def hidden(self):
        return self.element.hidden()


class Select:
    """SELECT, built step by step like SQLAlchemy's (each step returns a new select)."""

    def __init__(self, columns: tuple):
        self.columns = list(columns)
        self.from_clauses: list[FromClause] = []
        self.where_criteria: list[Expr] = []
        self.group_by_clauses: list[Expr] = []
        self.order_by_clauses: list[Expr] = []
        self.limit_value: int | None = None
        self.is_distinct = False
        self.auto_correlate = True
        self.correlate_to: tuple = ()
        self.type = columns[0].type if columns else None

    def _copy(self) -> "Select":
        copy = Select.__new__(Select)
        copy.__dict__ = {key: list(value) if isinstance(value, list) else value
                         for key, value in self.__dict__.items()}
        return copy

    def select_from(self, *froms: FromClause) -> "Select":
        copy = self._copy()
        copy.from_clauses += froms
        return copy

    def where(self, *criteria: Expr) -> "Select":
        copy = self._copy()
        copy.where_criteria += criteria
        return copy

    def group_by(self, *clauses: Expr) -> "Select":
        copy = self._copy()
        copy.group_by_clauses += clauses
        return copy

    def order_by(self, *clauses: Expr) -> "Select":
        copy = self._copy()
        copy.order_by_clauses += clauses
        return copy

    def limit(self, limit: int) -> "Select":
        copy = self._copy()
        copy.limit_value = limit
        return copy

    def distinct(self) -> "Select":
        copy = self._copy()
        copy.is_distinct = True
        return copy

    def correlate(self, *froms) -> "Select":
        copy = self._copy()
        copy.auto_correlate = False
        if froms == (None,):
            copy.correlate_to = ()
        else:
            copy.correlate_to = copy.correlate_to + froms
        return copy

    def add_columns(self, *columns: Expr) -> "Select":
        copy = self._copy()
        copy.columns += columns
        return copy

    def subquery(self, name: str) -> Subquery:
        return Subquery(self, name)

    def scalar_subquery(self) -> "ScalarSelect":
        return ScalarSelect(self)

    def self_group(self, against=None):
        return SelectGrouping(self)

    def froms(self) -> list[FromClause]:
        """The from-clauses before correlation: SQLAlchemy's order (select_from, then those
        of the columns, then of the WHERE clause), those a join stands for left out."""
        found: list[FromClause] = []
        for item in [*self.from_clauses,
                     *(item for column in self.columns for item in column.from_objects()),
                     *(item for criterion in self.where_criteria
                       for item in criterion.from_objects())]:
            if not any(item is seen for seen in found):
                found.append(item)
        hidden = [item for clause in found for item in clause.hidden()]
        return [item for item in found if not any(item is h for h in hidden)]

    def compile(self, *args, **kwargs):
        """The SQLAlchemy compilation of this statement (tests and tools that want one)."""
        from casekb.lang.to_core import to_core

        return to_core(self).compile(*args, **kwargs)


class ScalarSelect(Expr):
    """`(SELECT ...)` as a value."""

    def __init__(self, select: Select):
        self.element, self.type = select, select.type
        self.origin = ("scalar_subquery", select)


class SelectGrouping(Expr):
    """`(SELECT ...)` or `(SELECT ... UNION SELECT ...)` as the right side of IN."""

    def __init__(self, element):
        self.element = element


class CompoundSelect:
    """`SELECT ... UNION SELECT ...`."""

    def __init__(self, selects: tuple[Select, ...]):
        self.selects = list(selects)
        self.origin = ("union", selects)

    def self_group(self, against=None):
        return SelectGrouping(self)


def union(*selects: Select) -> CompoundSelect:
    return CompoundSelect(selects)


def select(*columns: Expr) -> Select:
    """SQLAlchemy's select()."""
    return Select(columns)
