"""The SQLite SQL of a statement of casekb.lang.sqlexpr, without SQLAlchemy.

`sqlite_sql(statement)` gives what SQLAlchemy's SQLite dialect gives for the same statement
(`compile(dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True})`): the same
text with `?` for each parameter, and the parameters in order, as given and as the driver
receives them (SQLAlchemy's bind processing: a date as YYYY-MM-DD, a bool as 0 or 1, but not
inside an expanding IN list). tests/test_sqlite_generator.py holds the two side by side for
every golden query, every report query and generated queries.

Anything it was not written for raises sqlexpr.Unsupported, and the caller compiles with
SQLAlchemy instead: a new construct in the compiler costs speed, never a wrong SQL text.
"""

from __future__ import annotations

import re
from typing import Any

from casekb.lang import sqlexpr as x

# sqlalchemy.dialects.sqlite.base.SQLiteIdentifierPreparer.reserved_words (a test checks the
# copy): names among these are quoted.
RESERVED_WORDS = frozenset("""
add after all alter analyze and as asc attach autoincrement before begin between by cascade
case cast check collate column commit conflict constraint create cross current_date
current_time current_timestamp database default deferrable deferred delete desc detach
distinct drop each else end escape except exclusive exists explain fail false for foreign from
full glob group having if ignore immediate in index indexed initially inner insert instead
intersect into is isnull join key left like limit match natural not notnull null of offset on
or order outer plan pragma primary query raise references reindex rename replace restrict
right rollback row select set table temp temporary then to transaction trigger true union
unique update using vacuum values view virtual when where
""".split())
_LEGAL = re.compile(r"^[A-Z0-9_$]+$", re.I)
_ILLEGAL_INITIAL = set("0123456789$")

_BINARY = {"eq": " = ", "ne": " != ", "lt": " < ", "le": " <= ", "gt": " > ", "ge": " >= ",
           "is": " IS ", "is_not": " IS NOT ", "concat": " || ", "in": " IN ",
           "not_in": " NOT IN ", "like": " LIKE ", "not_like": " NOT LIKE "}
_UNARY = {"inv": "NOT ", "exists": "EXISTS ", "distinct": "DISTINCT "}
_MODIFIER = {"asc": " ASC", "desc": " DESC", "nulls_last": " NULLS LAST"}


def quote(name: str) -> str:
    """An identifier as SQLAlchemy's SQLite dialect writes it."""
    lowered = name.lower()
    if (lowered in RESERVED_WORDS or name[0] in _ILLEGAL_INITIAL or not _LEGAL.match(name)
            or lowered != name):
        return '"' + name.replace('"', '""') + '"'
    return name


def sqlite_sql(statement: x.Select) -> tuple[str, list, list]:
    """(SQL, parameters as given, parameters as sqlite3 receives them) of a statement."""
    writer = _Writer()
    return writer.select(statement), writer.raw, writer.parameters


def as_sqlite(value: Any) -> Any:
    """A parameter as sqlite3 receives it: dates as ISO text (as its default adapters make
    them, and as the store holds them); other values as they are."""
    from datetime import date, datetime

    if isinstance(value, datetime):
        return value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _processed(type_: str | None, value: Any) -> Any:
    """A parameter after SQLAlchemy's SQLite bind processor of its type."""
    if value is None:
        return None
    if type_ == "Date":
        return "%04d-%02d-%02d" % (value.year, value.month, value.day)
    if type_ == "Boolean":
        return int(value)
    if type_ == "DateTime":
        raise x.Unsupported("a DateTime parameter")
    return value


class _Writer:
    def __init__(self):
        self.raw: list = []
        self.parameters: list = []
        self.stack: list[dict] = []
        self.anonymous: dict[int, str] = {}
        self.anonymous_counts: dict[str, int] = {}
        self.label_only: x.Label | None = None

    def _bind(self, value: Any, type_: str | None = None, processed: bool = True) -> str:
        self.raw.append(value)
        self.parameters.append(as_sqlite(_processed(type_, value) if processed else value))
        return "?"

    # -- statements -----------------------------------------------------------------------

    def select(self, select: x.Select, asfrom: bool = False) -> str:
        froms = self._push(select, asfrom)
        names = [column.name for column in select.columns
                 if isinstance(column, (x.Label, x.ColumnRef))]
        if len(names) != len(set(names)):
            raise x.Unsupported("two columns of one name")  # SQLAlchemy renames one
        text = "SELECT " + ("DISTINCT " if select.is_distinct else "")
        text += ", ".join(self._column(column, asfrom) for column in select.columns)
        if froms:
            text += " \nFROM " + ", ".join(self._from(item) for item in froms)
        criteria = select.where_criteria
        if criteria:
            against = "and" if len(criteria) > 1 else "asbool"
            text += " \nWHERE " + " AND ".join(
                self.expr(criterion.self_group(against)) for criterion in criteria)
        if select.group_by_clauses:
            text += " GROUP BY " + ", ".join(self._by(item, select)
                                             for item in select.group_by_clauses)
        if select.order_by_clauses:
            text += " ORDER BY " + ", ".join(self._by(item, select)
                                             for item in select.order_by_clauses)
        if select.limit_value is not None:
            text += "\n LIMIT " + self._bind(select.limit_value, "Integer")
            text += " OFFSET " + self._bind(0, "Integer")
        self.stack.pop()
        return text

    def _push(self, select: x.Select, asfrom: bool) -> list:
        """The select's FROM list after correlation, as SQLAlchemy's SelectState works it
        out; pushes what its own sub-queries may correlate to."""
        entry = self.stack[-1] if self.stack else {"correlate": set(), "asfrom": set()}
        if asfrom:
            explicit, implicit = entry["correlate"] - entry["asfrom"], set()
        else:
            explicit, implicit = entry["correlate"], entry["asfrom"]
        froms = select.froms()
        if select.correlate_to:
            targets = {id(item) for item in select.correlate_to}
            froms = [item for item in froms if not (id(item) in explicit and id(item) in targets)]
        if select.auto_correlate and implicit and len(froms) > 1:
            froms = [item for item in froms if id(item) not in implicit]
            if not froms:
                raise x.Unsupported("every FROM correlated away")
        own = {id(item) for clause in froms for item in clause.from_objects()}
        self.stack.append({"correlate": own | entry["correlate"], "asfrom": own})
        return froms

    def compound(self, compound: x.CompoundSelect) -> str:
        entry = self.stack[-1] if self.stack else {"correlate": set(), "asfrom": set()}
        self.stack.append(dict(entry))
        text = " UNION ".join(self.select(item) for item in compound.selects)
        self.stack.pop()
        return text

    def _column(self, column: x.Expr, asfrom: bool) -> str:
        if isinstance(column, x.Label):
            return self.expr(column.element) + " AS " + quote(column.name)
        if isinstance(column, x.ColumnRef):
            text = self.expr(column)
            return text + " AS " + quote(column.name) if asfrom else text
        if isinstance(column, x.LiteralColumn):
            return column.text
        if isinstance(column, x.Function):
            return self.expr(column) + " AS " + quote(self._anonymous_name(column))
        raise x.Unsupported(f"a column {type(column).__name__} without a label")

    def _anonymous_name(self, function: x.Function) -> str:
        """`name_N`, numbered per name in the order written, as SQLAlchemy's anon labels."""
        if id(function) not in self.anonymous:
            count = self.anonymous_counts.get(function.name, 0) + 1
            self.anonymous_counts[function.name] = count
            self.anonymous[id(function)] = f"{function.name}_{count}"
        return self.anonymous[id(function)]

    def _by(self, item: x.Expr, select: x.Select) -> str:
        """An ORDER BY (or GROUP BY) term: a label of the select's own columns is written as
        its name."""
        element = item
        while isinstance(element, x.Unary) and element.modifier:
            element = element.element
        if isinstance(element, x.Label) and any(element is c for c in select.columns):
            self.label_only = element
        try:
            return self.expr(item)
        finally:
            self.label_only = None

    def _from(self, item: x.FromClause) -> str:
        if isinstance(item, x.Table):
            return quote(item.name)
        if isinstance(item, x.Alias):
            return quote(item.element.name) + " AS " + quote(item.name)
        if isinstance(item, x.Subquery):
            return "(" + self.select(item.element, asfrom=True) + ") AS " + quote(item.name)
        if isinstance(item, x.Join):
            kind = " LEFT OUTER JOIN " if item.isouter else " JOIN "
            return self._from(item.left) + kind + self._from(item.right) + " ON " + \
                self.expr(item.on)
        if isinstance(item, x.FromGrouping):
            return "(" + self._from(item.element) + ")"
        raise x.Unsupported(f"a FROM {type(item).__name__}")

    # -- expressions ----------------------------------------------------------------------

    def expr(self, node: x.Expr) -> str:
        method = getattr(self, "_" + type(node).__name__, None)
        if method is None:
            raise x.Unsupported(f"an expression {type(node).__name__}")
        return method(node)

    def _ColumnRef(self, node: x.ColumnRef) -> str:
        return quote(node.table.name) + "." + quote(node.name)

    def _Bind(self, node: x.Bind) -> str:
        if node.expanding:
            if not node.value:
                raise x.Unsupported("an empty IN list")
            # SQLAlchemy binds an expanded list's values without processing them.
            return "(" + ", ".join(self._bind(value, processed=False)
                                   for value in node.value) + ")"
        return self._bind(node.value, node.type)

    def _LiteralColumn(self, node: x.LiteralColumn) -> str:
        return node.text

    def _Null(self, node: x.Null) -> str:
        return "NULL"

    def _Binary(self, node: x.Binary) -> str:
        text = self.expr(node.left) + _BINARY[node.operator] + self.expr(node.right)
        escape = node.modifiers.get("escape")
        if escape is not None:
            text += " ESCAPE '" + escape.replace("'", "''") + "'"
        return "(" + text + ")" if node.operator == "not_in" else text

    def _BoolList(self, node: x.BoolList) -> str:
        separator = " AND " if node.operator == "and" else " OR "
        return separator.join(text for text in map(self.expr, node.clauses) if text)

    def _Unary(self, node: x.Unary) -> str:
        if node.operator:
            return _UNARY[node.operator] + self.expr(node.element)
        return self.expr(node.element) + _MODIFIER[node.modifier]

    def _ExprList(self, node: x.ExprList) -> str:
        return ", ".join(self.expr(item) for item in node.items)

    def _Grouping(self, node: x.Grouping) -> str:
        return "(" + self.expr(node.element) + ")"

    def _Label(self, node: x.Label) -> str:
        if node is self.label_only:
            return quote(node.name)
        return self.expr(node.element)

    def _Function(self, node: x.Function) -> str:
        arguments = [self.expr(argument) for argument in node.args]
        if node.template is not None:
            return node.template.format(*arguments)
        if node.star:
            return node.name + "(*)"
        return node.name + "(" + ", ".join(arguments) + ")"

    def _Over(self, node: x.Over) -> str:
        text = self.expr(node.element) + " OVER ("
        if node.order_by:
            text += "ORDER BY " + ", ".join(self.expr(key) for key in node.order_by)
        return text + ")"

    def _Case(self, node: x.Case) -> str:
        text = "CASE "
        for condition, result in node.whens:
            text += "WHEN " + self.expr(condition) + " THEN " + self.expr(result) + " "
        if node.else_ is not None:
            text += "ELSE " + self.expr(node.else_) + " "
        return text + "END"

    def _ScalarSelect(self, node: x.ScalarSelect) -> str:
        return "(" + self.select(node.element) + ")"

    def _SelectGrouping(self, node: x.SelectGrouping) -> str:
        inner = node.element
        if isinstance(inner, x.CompoundSelect):
            return "(" + self.compound(inner) + ")"
        return "(" + self.select(inner) + ")"
