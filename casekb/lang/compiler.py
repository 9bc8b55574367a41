"""Resolved query -> one `select()`, for SQLite and PostgreSQL alike.

The statement is built from casekb.lang.sqlexpr, which follows SQLAlchemy Core without
importing it: casekb.lang.sqlite_sql writes its SQLite SQL (a query never asked before is
answered without SQLAlchemy), casekb.lang.to_core turns it into SQLAlchemy Core for the rest
(PostgreSQL, `explain`, the views).

One statement per query: the fields a query touches decide which tables are joined (many-to-one
joins only, so a row of the entity stays one row); fields with several values (a charge's
enhancements) are correlated sub-queries, except as groups of a count, where they are joined. Every value from the user is a bound parameter,
named after its field so that `explain` reads well. Nothing SQLite-only is generated:
`sorted_strings` (casekb/lang/sqlfunctions.py) rather than group_concat, `lower()` and LIKE ... ESCAPE for case-insensitive
text, NULLS LAST written out.

The semantics (see also casekb/lang/registry.py, which documents them for users):
- text compares case-insensitively; `~` is "contains", with % and _ matched literally;
- a person or case matches its name/title or any alias (through the indexed *_folded columns);
- a stored partial date X against a date Q: X = Q when X lies within Q; X >= Q when X starts
  on or after Q starts; X > Q when X starts after Q ends; X <= Q when X ends by the end of Q;
  X < Q when X ends before Q starts; != is the negation of =; an unknown date never matches;
- an amount only matches amounts of its own dimension (duration, money, hours).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casekb.dates import PartialDate
from casekb.lang import tables as t
from casekb.lang.patterns import LIKE_ESCAPE, contains_pattern
from casekb.lang.sqlfunctions import Caseless, sorted_strings, unicode_lower
from casekb.lang.registry import (
    Amount, Dated, Entity, Field, FieldType, Join, NamedRef, Plain, Related,
)
from casekb.lang.sqlexpr import (
    Select, and_, bindparam, distinct, exists, func, literal_column, not_, or_, select, union,
)
from casekb.lang.resolve import AllOf, AnyOf, Negated, ResolvedCondition, ResolvedQuery, Test
from casekb.quantities import Quantity

# Joins the several values of a field inside SQL; execute splits on it again. A control
# character, so that no value can contain it.
LIST_SEPARATOR = "\x1f"
# Labels of the hidden columns a query with sources carries.
FACT_ID = "_fact_id"
ROW_NUMBER = "_row"
EVIDENCE_LABELS = ("_source", "_outlet", "_published", "_published_precision", "_quote")


class Scope:
    """The tables of one query level: the base table and the joins its fields asked for.

    `scope["alias"]` returns the table (or alias) and marks its join as needed; `from_clause`
    joins exactly the needed tables, in the order the registry declares them.
    """

    def __init__(self, base: Any, joins: tuple[Join, ...] = (), base_name: str | None = None):
        self.base_name = base_name or base.name
        self.base = base
        self.joins = {join.alias: join for join in joins}
        self.tables: dict[str, Any] = {}
        self.needed: list[str] = []
        # The aliases the WHERE clause reads (see `filtering`): joined inner, not outer.
        self.filtered: set[str] | None = None
        self.inner: set[str] = set()

    def filtering(self, build: Callable[[], Any]) -> Any:
        """`build()`, noting the tables it reads as tables to join inner.

        A join over a required key (registry.Join, not `outer`) gives the same rows inner or
        outer; the choice steers the planner. SQLite never moves the table of a LEFT JOIN
        ahead of the base table, so an index of the base table can serve an `order by ...
        limit` (`charges order by filed limit 20` on 100k cases: 3 s driven from `offenses`,
        sorting every charge, against 5 ms). But a table the WHERE clause tests should be free
        to lead, and SQLite does not always turn such a LEFT JOIN into an inner one itself
        (`x IN (sub-query)` on the joined table: pleas of a defendant, 1 ms against 54 ms).
        """
        self.filtered = set()
        try:
            return build()
        finally:
            self.inner |= self.filtered
            self.filtered = None

    def __getitem__(self, alias: str):
        if self.filtered is not None:
            self.filtered.add(alias)
        if alias == self.base_name:
            return self.base
        if alias not in self.tables:
            join = self.joins.get(alias)
            if join is None:
                raise KeyError(f"no table {alias!r} in this scope")  # a registry bug
            table = join.table
            self.tables[alias] = table if table.name == alias else table.alias(alias)
            self.needed.append(alias)
        return self.tables[alias]

    def _with_what_they_join_on(self, aliases: set[str]) -> set[str]:
        """`aliases`, with every joined table their ON clauses name, and theirs, and so on."""
        closed = {alias for alias in aliases if alias in self.joins}
        pending = list(closed)
        while pending:
            alias = pending.pop()
            self.filtered = set()
            try:
                self.joins[alias].on(self)
                named = self.filtered
            finally:
                self.filtered = None
            fresh = {name for name in named if name in self.joins} - closed
            closed |= fresh
            pending.extend(fresh)
        return closed

    def objects(self) -> list[Any]:
        """Every table object of this scope (for correlating sub-queries)."""
        return [self.base, *self.tables.values()]

    def from_clause(self):
        # A join's ON clause may name earlier joins: ask for them until nothing new appears.
        done: set[str] = set()
        while set(self.needed) - done:
            for alias in list(self.needed):
                if alias not in done:
                    done.add(alias)
                    self.joins[alias].on(self)
        inner = self._with_what_they_join_on(self.inner)
        clause = self.base
        for alias, join in self.joins.items():
            if alias in self.tables:
                # A join over a required key (not join.outer) is outer all the same, unless
                # the WHERE clause reads it: see `filtering`.
                clause = clause.join(self.tables[alias], join.on(self),
                                     isouter=join.outer or alias not in inner)
        return clause


@dataclass(frozen=True)
class OutputColumn:
    """A column of the result as a user sees it, and the SQL labels it is read from.

    `type` is a FieldType value, or "count"; `many` marks a field of several values.
    Dates come from (start, end, precision), amounts from (value, dimension, text).
    """

    name: str
    type: str
    labels: tuple[str, ...]
    many: bool = False


@dataclass(frozen=True)
class CompiledQuery:
    """A compiled query: its SQL (through `statement`) and how to read its rows."""

    resolved: ResolvedQuery
    columns: tuple[OutputColumn, ...]
    core: Select  # the statement without the user's limit or a row cap
    order: tuple[Any, ...]  # the ORDER BY of `core` (sources queries number rows with it)

    @property
    def with_sources(self) -> bool:
        return self.resolved.with_sources

    def statement(self, max_rows: int | None = None) -> Select:
        """The statement to run: the query's own `limit`, lowered to `max_rows` if given."""
        limit = self.resolved.limit
        if max_rows is not None:
            limit = max_rows if limit is None else min(limit, max_rows)
        if not self.with_sources:
            return self.core if limit is None else self.core.limit(limit)
        return self._with_evidence(limit)

    def _with_evidence(self, limit: int | None) -> Select:
        # Number the facts in the query's order, cut them at the limit, then join each fact's
        # evidence: one statement, and the limit counts facts rather than quotes.
        numbered = self.core.add_columns(
            func.row_number().over(order_by=self.order).label(ROW_NUMBER))
        if limit is not None:
            numbered = numbered.limit(limit)
        facts = numbered.subquery("facts")
        evidence, source = t.evidence, t.sources
        entity = self.resolved.entity
        order = [facts.c[ROW_NUMBER]]
        if entity.evidence_through is not None:
            # Rows without evidence of their own (disputes): the evidence of each fact they
            # name, fact by fact in the order they were curated.
            through = entity.evidence_through
            owner = through.c[f"{entity.singular}_id"]
            joined = facts.outerjoin(through, owner == facts.c[FACT_ID]).outerjoin(evidence, and_(
                evidence.c.fact_table == through.c.fact_table,
                evidence.c.fact_id == through.c.fact_id,
            ))
            order.append(through.c.id)
        else:
            joined = facts.outerjoin(evidence, and_(
                evidence.c.fact_table == bindparam("evidence_table", entity.evidence_table),
                evidence.c.fact_id == facts.c[FACT_ID],
            ))
        joined = joined.outerjoin(source, source.c.id == evidence.c.source_id)
        labels = [label for column in self.columns for label in column.labels]
        return (select(*(facts.c[label] for label in labels), facts.c[ROW_NUMBER],
                       source.c.key.label("_source"), source.c.outlet.label("_outlet"),
                       source.c.published.label("_published"),
                       source.c.published_precision.label("_published_precision"),
                       evidence.c.quote.label("_quote"))
                .select_from(joined).order_by(*order, evidence.c.id))


def compile_query(query: ResolvedQuery) -> CompiledQuery:
    """Compile a resolved query into one SELECT statement."""
    return _Compiler(query).compile()


class _Compiler:
    def __init__(self, query: ResolvedQuery):
        self.query = query
        self.entity: Entity = query.entity
        self.scope = Scope(self.entity.base, self.entity.joins)

    def accessor(self, field: Field):
        if self.query.as_of is not None and field.as_of_access is not None:
            return field.as_of_access(self.query.as_of)
        return field.access

    def filters(self) -> list[Any]:
        return self.scope.filtering(self._filters)

    def _filters(self) -> list[Any]:
        parts = []
        if self.entity.base_filter is not None:
            parts.append(self.entity.base_filter(self.scope))
        if self.query.as_of is not None:
            parts.append(self.entity.as_of(self.scope, self.query.as_of))
        if self.query.condition is not None:
            parts.append(condition(self.query.condition, self.scope, self.accessor))
        return parts

    def compile(self) -> CompiledQuery:
        if self.query.count:
            return self.compile_count()
        columns, selected = [], []
        for field in _unique(self.query.columns):
            labelled = output_columns(field, self.accessor(field), self.scope)
            columns.append(OutputColumn(field.name, field.type.value, tuple(labelled),
                                        isinstance(field.access, Related)))
            selected += [expr.label(label) for label, expr in labelled.items()]
        base_id = self.scope.base.c.id
        if self.query.with_sources:
            selected.append(base_id.label(FACT_ID))
        where = self.filters()
        terms = self.query.order or [_default_term(self.entity, name, desc)
                                     for name, desc in self.entity.default_order]
        order = []
        for term in terms:
            keys = sort_keys(term.field, self.accessor(term.field), self.scope)
            order += _directions(keys, term.field, term.descending)
        order.append(base_id.asc())  # a stable order whatever the other keys
        statement = select(*selected).select_from(self.scope.from_clause())
        if where:
            statement = statement.where(*where)
        statement = statement.order_by(*order)
        return CompiledQuery(self.query, tuple(columns), statement, tuple(order))

    def compile_count(self) -> CompiledQuery:
        where = self.filters()
        count = func.count().label("count")
        if not self.query.group_by:
            statement = select(count).select_from(self.scope.from_clause())
            if where:
                statement = statement.where(*where)
            return CompiledQuery(self.query, (OutputColumn("count", "count", ("count",)),),
                                 statement, ())
        # Group the rows of a sub-query. A field of several values (a person's roles) is
        # joined, so that each row counts once under each of its values ("count people by
        # role": how many people have each role); fields of one related table share its join.
        columns, selected, group_fields = [], [], _unique(self.query.group_by)
        related: dict[str, tuple[Scope, Related]] = {}
        for field in group_fields:
            access = self.accessor(field)
            scope = self.scope
            if isinstance(access, Related):
                if access.alias not in related:
                    related[access.alias] = (Scope(access.table.alias(access.alias), (),
                                                   access.alias), access)
                scope = related[access.alias][0]
                scope.joins.update((join.alias, join) for join in access.joins)
                field, access = _one_value(field, access), access.value
            labelled = output_columns(field, access, scope)
            columns.append(OutputColumn(field.name, field.type.value, tuple(labelled)))
            selected += [expr.label(label) for label, expr in labelled.items()]
            folded = folded_key(access)
            if folded is not None and field.type in _CASELESS_SORT:
                # To sort the groups as a list of rows sorts (_label_sort_keys).
                selected.append(folded(scope).label(_FOLDED_LABEL.format(field.name)))
        links = [(inner, access.link(inner, self.scope)) for inner, access in related.values()]
        source = self.scope.from_clause()
        for inner, link in links:
            source = source.outerjoin(inner.from_clause(), link)
        if related:
            selected.append(self.scope.base.c.id.label(FACT_ID))
        rows = select(*selected).select_from(source)
        if where:
            rows = rows.where(*where)
        rows = rows.subquery("counted")
        if related:  # a row joined to several values is still one row
            count = func.count(distinct(rows.c[FACT_ID])).label("count")
        group = [rows.c[label] for column in columns for label in column.labels]
        order = []
        terms = self.query.order or []
        for term in terms:
            if term.field is None:
                order.append(count.desc() if term.descending else count.asc())
            else:
                keys = _label_sort_keys(term.field, rows)
                order += _directions(keys, term.field, term.descending)
        if not terms:
            order.append(count.desc())
        for field in group_fields:  # then by the groups, for a stable order
            order += _directions(_label_sort_keys(field, rows), field, False)
        statement = select(*group, count).group_by(*group).order_by(*order)
        return CompiledQuery(self.query, (*columns, OutputColumn("count", "count", ("count",))),
                             statement, tuple(order))


def _one_value(field: Field, access: Related) -> Field:
    """A field of several values as each of its values alone."""
    return Field(field.name, field.type, field.meaning, access.value, field.values)


def _unique(fields) -> list[Field]:
    seen, out = set(), []
    for field in fields:
        if field.name not in seen:
            seen.add(field.name)
            out.append(field)
    return out


def _default_term(entity: Entity, name: str, descending: bool):
    from casekb.lang.resolve import OrderTerm

    return OrderTerm(entity.field(name), descending)


def _direction(key, descending: bool, nulls_last: bool = True):
    ordered = key.desc() if descending else key.asc()
    return ordered.nulls_last() if nulls_last else ordered


def _directions(keys: list[Any], field: Field, descending: bool) -> list[Any]:
    """The ORDER BY terms of a field's sort keys, undated and unknown values last.

    A date sorts by (start, end), and a stored date has both or neither, so rows whose start
    ties have an end or all have none: `NULLS LAST` on the end would change no order, and
    costs SQLite's sorter (events of a case, 4,449 rows: about 4%)."""
    dated = field.type is FieldType.DATE
    return [_direction(key, descending, nulls_last=not (dated and index > 0))
            for index, key in enumerate(keys)]


# -- Values shown -------------------------------------------------------------------------

def output_columns(field: Field, access, scope: Scope) -> dict[str, Any]:
    """The SQL expressions of a field's value, by label."""
    name = field.name
    if isinstance(access, Dated):
        return {name: access.start(scope), f"{name}_end": access.end(scope),
                f"{name}_precision": access.precision(scope)}
    if isinstance(access, Amount):
        return {name: access.value(scope), f"{name}_dimension": access.dimension(scope),
                f"{name}_text": access.text(scope)}
    if isinstance(access, NamedRef):
        return {name: access.display(scope)}
    if isinstance(access, Related):
        return {name: related_list(field, access, scope)}
    return {name: access.column(scope)}


def related_list(field: Field, access: Related, scope: Scope):
    """The distinct values of a several-valued field, sorted, joined with LIST_SEPARATOR."""
    inner = Scope(access.table.alias(access.alias), access.joins, access.alias)
    shown = access.value.display if isinstance(access.value, NamedRef) else access.value.column
    value = shown(inner).label("value")
    link = access.link(inner, scope)
    values = (select(value).select_from(inner.from_clause())
              .where(link, value.element.is_not(None)).distinct().order_by(value.element)
              .correlate(*scope.objects()).subquery(f"{field.name}_values"))
    separator = bindparam("list_separator", LIST_SEPARATOR)
    return select(sorted_strings(values.c.value, separator)).scalar_subquery()


# Text sorts without regard to letter case ("Dave" before "DJ"), the same on every engine and
# without a function call per row (the store's lower() is Python on SQLite: 173,000 calls
# made "fines of $10,000 or more" 1.45x raw). A field with an indexed casefolded twin (names,
# titles, offenses, aliases) sorts by the twin: str.casefold(), so "ß" sorts as "ss". Other
# text sorts through `Caseless`: ignoring the case of A-Z only. Both then compare code point
# by code point (SQLite's BINARY, PostgreSQL's "C": accented letters come after z).
_CASELESS_SORT = (FieldType.TEXT, FieldType.NAME)
# The label of the hidden casefolded twin of a group in a count (see compile_count).
_FOLDED_LABEL = "_{}_folded"


def folded_key(access) -> Any:
    """The indexed casefolded twin of a field's value (a function of the scope), or None."""
    if isinstance(access, (Plain, NamedRef)):
        return access.folded
    return None


def sort_keys(field: Field, access, scope: Scope) -> list[Any]:
    """The expressions that order rows by a field."""
    if isinstance(access, Dated):
        return [access.start(scope), access.end(scope)]
    if isinstance(access, Amount):
        return [access.dimension(scope), access.value(scope)]
    folded = folded_key(access)
    if folded is not None and field.type in _CASELESS_SORT:
        return [folded(scope)]
    shown = next(iter(output_columns(field, access, scope).values()))
    return [Caseless(shown)] if field.type in _CASELESS_SORT else [shown]


def _label_sort_keys(field: Field, rows) -> list[Any]:
    name = field.name
    if field.type is FieldType.DATE:
        return [rows.c[name], rows.c[f"{name}_end"]]
    if field.type is FieldType.QUANTITY:
        return [rows.c[f"{name}_dimension"], rows.c[name]]
    if _FOLDED_LABEL.format(name) in rows.c:
        # The same in every row of a group (a function of the name), so any aggregate gives
        # it; max() costs less than grouping by it too (count convictions by offense, 100k
        # cases: +12% against +25%).
        return [func.max(rows.c[_FOLDED_LABEL.format(name)])]
    if field.type in _CASELESS_SORT:
        return [Caseless(rows.c[name])]
    return [rows.c[name]]


# -- Conditions ---------------------------------------------------------------------------

def condition(node: ResolvedCondition, scope: Scope, accessor) -> Any:
    """The SQL of a resolved condition; `accessor(field)` picks how each field is read."""
    if isinstance(node, AllOf):
        return and_(*(condition(item, scope, accessor) for item in node.items))
    if isinstance(node, AnyOf):
        return or_(*(condition(item, scope, accessor) for item in node.items))
    if isinstance(node, Negated):
        return not_(condition(node.item, scope, accessor))
    return test(node, accessor(node.field), scope)


def test(node: Test, access, scope: Scope) -> Any:
    """The SQL of one test of a field."""
    field, op, values = node.field, node.op, node.values
    if isinstance(access, Related):
        return _related_test(node, access, scope)
    if op == "empty":
        return _emptiness(access, scope)
    if op == "not empty":
        return not_(_emptiness(access, scope))
    if isinstance(access, Amount) and op in ("!=", "not in"):
        # An amount only ever matches amounts of its own dimension, negations included.
        dimensions = sorted({value.dimension for value in values})
        kind = access.dimension(scope).in_(
            [_param(f"{field.name}_dimension", d) for d in dimensions])
        positive = "=" if op == "!=" else "in"
        return and_(kind, not_(test(Test(field, positive, values), access, scope)))
    if op == "!=":
        return not_(test(Test(field, "=", values), access, scope))
    if op == "not in":
        return not_(test(Test(field, "in", values), access, scope))
    if isinstance(access, NamedRef):
        return access.ref(scope).in_(_named_ids(field.name, access.kind, op, values))
    if op == "in" and isinstance(access, Plain):
        return _plain_in(field, access, scope, values)
    if op == "in":  # dates and amounts: one range or dimension test a value
        return or_(*(test(Test(field, "=", (value,)), access, scope) for value in values))
    if isinstance(access, Dated):
        return _date_test(field.name, access, scope, op, values[0])
    if isinstance(access, Amount):
        return _amount_test(field.name, access, scope, op, values[0])
    return _plain_test(field, access, scope, op, values[0])


def _emptiness(access, scope: Scope):
    if isinstance(access, Dated):
        return access.start(scope).is_(None)
    if isinstance(access, Amount):
        return access.value(scope).is_(None)
    if isinstance(access, NamedRef):
        return access.ref(scope).is_(None)
    return access.column(scope).is_(None)


def _param(name: str, value: Any):
    return bindparam(name, value, unique=True)


def _plain_test(field: Field, access: Plain, scope: Scope, op: str, value: Any):
    column = access.column(scope)
    name = field.name
    if field.type in (FieldType.TEXT, FieldType.ENUM):
        if access.folded is not None:
            matched, text = access.folded(scope), value.casefold()
        else:
            # lower() on both sides, of every letter on both engines (unicode_lower);
            # stored vocabulary values are already lower case.
            matched, text = unicode_lower(column), value.lower()
        if op == "~":
            return matched.like(_param(name, contains_pattern(text)), escape=LIKE_ESCAPE)
        if field.type is FieldType.ENUM:
            return column == _param(name, value)
        return matched == _param(name, text)
    return _compare(column, op, _param(name, value))


def _plain_in(field: Field, access: Plain, scope: Scope, values: tuple[Any, ...]):
    # One IN (...) rather than a chain of ORs: SQLite refuses expressions nested more than
    # 1000 deep, and a long OR chain is nested one level a value.
    column = access.column(scope)
    if field.type is FieldType.TEXT:
        if access.folded is not None:
            column, values = access.folded(scope), tuple(v.casefold() for v in values)
        else:
            column, values = unicode_lower(column), tuple(v.lower() for v in values)
    return column.in_(bindparam(field.name, list(values), expanding=True, unique=True))


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


def _date_test(name: str, access: Dated, scope: Scope, op: str, day: PartialDate):
    start, end = access.start(scope), access.end(scope)
    # A stored range always has start <= end, so the extra bound on `start` in `=`, `<=` and
    # `<` changes no answer; it lets the index on the start column serve both ends of the
    # range (filed = 2015-03 on 100k cases: 283 ms -> 1.7 ms).
    if op == "=":
        upper = _param(f"{name}_to", day.end)
        return and_(start >= _param(f"{name}_from", day.start), start <= upper, end <= upper)
    if op == ">=":
        return start >= _param(name, day.start)
    if op == ">":
        return start > _param(name, day.end)
    if op == "<=":
        upper = _param(name, day.end)
        return and_(start <= upper, end <= upper)
    if op == "<":
        lower = _param(name, day.start)
        return and_(start < lower, end < lower)
    raise ValueError(f"operator {op!r} on a date")


def _amount_test(name: str, access: Amount, scope: Scope, op: str, amount: Quantity):
    same_kind = access.dimension(scope) == _param(f"{name}_dimension", amount.dimension)
    return and_(same_kind, _compare(access.value(scope), op, _param(name, amount.value)))


_NAMED = {
    "person": (t.people, "name_folded", t.person_aliases, "person_id"),
    "case": (t.cases, "title_folded", t.case_aliases, "case_id"),
}


def _named_ids(name: str, kind: str, op: str, values: tuple[str, ...]):
    """The ids of the people (or cases) whose name or any alias matches."""
    main, main_folded, aliases, alias_ref = _NAMED[kind]
    if op == "~":
        param = _param(name, contains_pattern(values[0].casefold()))
        named = main.c[main_folded].like(param, escape=LIKE_ESCAPE)
        aliased = aliases.c.alias_folded.like(param, escape=LIKE_ESCAPE)
    else:
        folded = [value.casefold() for value in values]
        if len(folded) == 1:
            param = _param(name, folded[0])
            named, aliased = main.c[main_folded] == param, aliases.c.alias_folded == param
        else:
            param = bindparam(name, folded, expanding=True, unique=True)
            named, aliased = main.c[main_folded].in_(param), aliases.c.alias_folded.in_(param)
    return union(select(main.c.id).where(named).correlate(None),
                 select(aliases.c[alias_ref]).where(aliased).correlate(None))


def _related_test(node: Test, access: Related, scope: Scope):
    op = node.op
    negate = op in ("!=", "not in", "empty")
    inner = Scope(access.table.alias(access.alias), access.joins, access.alias)
    if op in ("empty", "not empty"):
        inner_test = not_(_emptiness(access.value, inner))
    else:
        positive = {"!=": "=", "not in": "in"}.get(op, op)
        inner_test = test(Test(node.field, positive, node.values), access.value, inner)
    link = access.link(inner, scope)
    found = exists(select(literal_column("1")).select_from(inner.from_clause()).where(link, inner_test)
                   .correlate(*scope.objects()))
    return not_(found) if negate else found


# -- Showing the SQL ----------------------------------------------------------------------

_POSTCOMPILE = re.compile(r"__\[POSTCOMPILE_(\w+)\]")


def _compiled(statement: Select, dialect: Any = None):
    from casekb.lang.to_core import to_core

    if dialect is None:
        from sqlalchemy.dialects import sqlite

        dialect = sqlite.dialect(paramstyle="named")
    else:
        dialect = type(dialect)(paramstyle="named")
    return to_core(statement).compile(dialect=dialect)


def sql_parameters(statement: Select, dialect: Any = None) -> dict[str, Any]:
    """The statement's parameters by name, as `sql_text` shows them."""
    return sql_text_and_parameters(statement, dialect)[1]


def sql_text(statement: Select, dialect: Any = None) -> str:
    """The SQL of a statement with its parameters listed after it, for `explain`.

    `dialect` defaults to SQLite; parameters are shown by name (`:defendant_1`).
    """
    return sql_text_and_parameters(statement, dialect)[0]


def sql_text_and_parameters(statement: Select, dialect: Any = None) -> tuple[str, dict[str, Any]]:
    """`sql_text` and `sql_parameters` of a statement, from one compilation."""
    compiled = _compiled(statement, dialect)
    sql = _POSTCOMPILE.sub(r":\1", str(compiled)).strip()
    lines = [line.rstrip() for line in sql.splitlines()]
    params = compiled.params
    if params:
        lines.append("-- parameters:")
        lines += [f"--   :{key} = {_show_value(value)}" for key, value in params.items()]
    return "\n".join(lines), dict(params)


def _show_value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return "(" + ", ".join(_show_value(item) for item in value) + ")"
    if isinstance(value, bool):
        return "true" if value else "false"
    if hasattr(value, "isoformat"):
        return repr(value.isoformat())
    return repr(value)


def compile_text(text: str) -> CompiledQuery:
    """Parse, resolve and compile one query, or the query of `explain QUERY` (what `casekb
    explain` shows); `describe` is a QueryError pointing at it."""
    import re

    from casekb.errors import QueryError, span_at
    from casekb.lang import ast
    from casekb.lang.parser import parse
    from casekb.lang.resolve import resolve

    statement = parse(text)
    if isinstance(statement, ast.Explain):
        statement = statement.query
    if not isinstance(statement, ast.Query):
        # It parsed, so `describe` is the first word after any blanks and comments.
        keyword = re.match(r"(?:\s|--[^\n]*)*(describe)", text, re.IGNORECASE)
        raise QueryError("only a query can be explained, not `describe`", query=text,
                         span=span_at(text, keyword.start(1), len("describe")))
    return compile_query(resolve(statement, text))
