"""Resolved query -> one SQLAlchemy Core `select()`, for SQLite and PostgreSQL alike.

One statement per query: the fields a query touches decide which tables are joined (many-to-one
joins only, so a row of the entity stays one row); fields with several values (a charge's
enhancements) are correlated sub-queries, except as groups of a count, where they are joined.
Every value of the query is a bound parameter made by a Binder (casekb/plan/binding.py), named
after its field so that `explain` reads well, and the statement never depends on the values
themselves: it is the statement of the query's whole shape. Nothing SQLite-only is written:
`sorted_strings` rather than group_concat, `unicode_lower()` and LIKE ... ESCAPE for
case-insensitive text, NULLS LAST written out (casekb/plan/sqlfunctions.py).

`capped` asks for a LIMIT parameter (`:row_limit`): the query's own `limit`, or the row cap
plus one row, whichever is lower, set when the plan is run (casekb/plan/plan.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from casekb.lang.fields import (
    Entity,
    Field,
    FieldType,
    NamedRef,
    Related,
    Reported,
)
from casekb.lang.resolve import (
    OrderTerm,
    ResolvedQuery,
    Value,
    tests_of,
)
from casekb.plan import names
from casekb.plan.accessors import (
    CASELESS_SORT,
    directions,
    folded_key,
    one_value,
    output_columns,
    sort_keys,
)
from casekb.plan.binding import Binder
from casekb.plan.conditions import condition
from casekb.plan.marks import MARK_LABELS, marked_source
from casekb.plan.plan import Column
from casekb.plan.rules import AS_OF_VALUES, AsOf, as_of_condition
from casekb.plan.scope import Scope

# Labels of the hidden columns a query with sources carries.
FACT_ID = "_fact_id"
ROW_NUMBER = "_row"
CLAIM = "_claim"
# The LIMIT parameter, and its recipe: the query's limit (by slot, or none) and the row cap.
ROW_LIMIT = "row_limit"
# The LIMIT of the count of the rows a capped query matches: the query's own limit, if any.
MATCHED_LIMIT = "matched_limit"
# The label of the hidden casefolded twin of a group in a count (see compile_count).
_FOLDED_LABEL = "_{}_folded"


@dataclass(frozen=True)
class Compiled:
    """A query compiled to SQLAlchemy Core: the statement, how to read its rows, how each of
    its parameters is made (`recipes`, see Binder), and the names it must check exist."""

    statement: Any
    columns: tuple[Column, ...]
    with_sources: bool
    recipes: dict[str, tuple]
    names: Any  # a statement of one row telling which names exist (casekb.plan.names.known)
    name_slots: tuple[tuple[int, str], ...]  # (slot, kind) of each name it checks, in order
    name_recipes: dict[str, tuple]
    # For a capped query: the count of the rows (facts) it matches, to say how many the cap
    # left out; its parameters are the query's (recipes included).
    matched: Any = None


def compile_query(query: ResolvedQuery, *, capped: bool = False) -> Compiled:
    """Compile a resolved query into one SELECT statement (with `:row_limit` when `capped`
    or when the query has a limit)."""
    return _Compiler(query).compile(capped)


class _Compiler:
    def __init__(self, query: ResolvedQuery):
        self.query = query
        self.entity: Entity = query.entity
        self.scope = Scope(self.entity.base, self.entity.joins)
        self.binder = Binder()
        self.as_of = (None if query.as_of is None
                      else AsOf(query.as_of, query.as_of_possibly))

    def accessor(self, field: Field):
        if self.as_of is not None and field.as_of_rule is not None:
            return AS_OF_VALUES[field.as_of_rule](self.as_of, self.binder)
        return field.access

    def filters(self) -> list[Any]:
        return self.scope.filtering(self._filters)

    def _filters(self) -> list[Any]:
        parts = []
        if self.entity.base_filter is not None:
            parts.append(self.entity.base_filter(self.scope))
        if self.as_of is not None:
            parts.append(as_of_condition(self.entity.as_of, self.scope, self.as_of,
                                         self.binder))
        if self.query.condition is not None:
            parts.append(condition(self.query.condition, self.scope, self.accessor,
                                   self.binder))
        return parts

    def compile(self, capped: bool) -> Compiled:
        columns, statement, order = (self.compile_count() if self.query.count
                                     else self.compile_rows())
        limit = None
        if capped or self.query.limit is not None:
            slot = -1 if self.query.limit is None else self.query.limit.slot
            limit = self.binder.limit(ROW_LIMIT, slot, _shown_limit(self.query))
        matched = self.matched(statement) if capped else None
        if self.query.with_sources:
            statement = self.with_evidence(statement, columns, order, limit)
        elif limit is not None:
            statement = statement.limit(limit)
        checks, slots, recipes = self.names()
        return Compiled(statement, columns, self.query.with_sources, self.binder.recipes,
                        checks, slots, recipes, matched)

    def matched(self, rows):
        """The count of the rows (of a query with sources: the facts) the query matches, up
        to its own limit: how many a row cap left out."""
        from sqlalchemy import func, select

        if self.query.limit is not None:
            rows = rows.limit(self.binder.limit(MATCHED_LIMIT, self.query.limit.slot,
                                                _shown_limit(self.query)))
        return select(func.count().label("matched")).select_from(rows.subquery("matched"))

    def compile_rows(self):
        from sqlalchemy import select

        columns, selected, hidden = [], [], []
        marked: dict[Any, tuple[str, str]] = {}  # a marked row's table -> its mark labels
        for field in _unique(self.query.columns):
            access = self.accessor(field)
            labelled = output_columns(field, access, self.scope, self.binder)
            kind = "reported" if isinstance(access, Reported) else field.type.value
            marks: tuple[str, ...] = ()
            source = marked_source(access, self.scope)
            if source is not None:
                holder, curated = source
                if holder not in marked:
                    labels = tuple(label.format(len(marked)) for label in MARK_LABELS)
                    marked[holder] = labels
                    hidden += [holder.c.inferred.label(labels[0]),
                               holder.c.derived.label(labels[1])]
                marks = (*marked[holder], curated)
            columns.append(Column(field.name, kind, tuple(labelled),
                                  isinstance(field.access, Related), marks))
            selected += [expr.label(label) for label, expr in labelled.items()]
        selected += hidden  # after the values, so that `explain` reads them first
        base_id = self.scope.base.c.id
        if self.query.with_sources:
            selected.append(base_id.label(FACT_ID))
        where = self.filters()
        terms = self.query.order or [OrderTerm(self.entity.field(name), descending)
                                     for name, descending in self.entity.default_order]
        order = []
        for term in terms:
            keys = sort_keys(term.field, self.accessor(term.field), self.scope, self.binder)
            order += directions(keys, term.field, term.descending)
        order.append(base_id.asc())  # a stable order whatever the other keys
        statement = select(*selected).select_from(self.scope.from_clause())
        if where:
            statement = statement.where(*where)
        return tuple(columns), statement.order_by(*order), tuple(order)

    def compile_count(self):
        from sqlalchemy import distinct, func, select

        where = self.filters()
        count = func.count().label("count")
        if not self.query.group_by:
            statement = select(count).select_from(self.scope.from_clause())
            if where:
                statement = statement.where(*where)
            return (Column("count", "count", ("count",)),), statement, ()
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
                    related[access.alias] = (Scope.related(access), access)
                scope = related[access.alias][0]
                # Fields of one related table share its join, and what each needs joined.
                scope.joins.update((join.alias, join) for join in access.joins)
                field, access = one_value(field, access)
            if isinstance(access, Reported):  # counted by the value, not by each report
                field, access = one_value(field, access)
            labelled = output_columns(field, access, scope, self.binder)
            columns.append(Column(field.name, field.type.value, tuple(labelled)))
            selected += [expr.label(label) for label, expr in labelled.items()]
            folded = folded_key(access)
            if folded is not None and field.type in CASELESS_SORT:
                # To sort the groups as a list of rows sorts (_group_sort_keys).
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
                order += directions(_group_sort_keys(term.field, rows), term.field,
                                    term.descending)
        if not terms:
            order.append(count.desc())
        for field in group_fields:  # then by the groups, for a stable order
            order += directions(_group_sort_keys(field, rows), field, False)
        statement = select(*group, count).group_by(*group).order_by(*order)
        return (*columns, Column("count", "count", ("count",))), statement, tuple(order)

    def with_evidence(self, rows, columns, order, limit):
        """The query's facts with the evidence of each, one row per (fact, quote).

        The facts are numbered in the query's order and cut at the limit, then each fact's
        evidence is joined: one statement, and the limit counts facts rather than quotes."""
        from sqlalchemy import and_, func, select

        from casekb.schema.tables import table

        numbered = rows.add_columns(func.row_number().over(order_by=order).label(ROW_NUMBER))
        if limit is not None:
            numbered = numbered.limit(limit)
        facts = numbered.subquery("facts")
        evidence, source = table("evidence"), table("sources")
        entity = self.entity
        ordering = [facts.c[ROW_NUMBER]]
        extra = []
        if entity.evidence_through is not None:
            # Rows without evidence of their own (disputes): the evidence of each fact they
            # name, claim by claim in the order they were curated, each quote with its claim.
            from casekb.plan.rules import COMPUTED

            through = Scope(table(entity.evidence_through).alias("claim"), (), "claim")
            claims = through.base
            owner = claims.c[f"{entity.singular}_id"]
            joined = facts.outerjoin(claims, owner == facts.c[FACT_ID]).outerjoin(evidence, and_(
                evidence.c.fact_table == claims.c.fact_table,
                evidence.c.fact_id == claims.c.fact_id,
            ))
            ordering.append(claims.c.id)
            extra.append(COMPUTED["claim_reference"](through, self.binder).label(CLAIM))
        else:
            joined = facts.outerjoin(evidence, and_(
                evidence.c.fact_table == self.binder.constant(entity.evidence_table,
                                                              "evidence_table"),
                evidence.c.fact_id == facts.c[FACT_ID],
            ))
        joined = joined.outerjoin(source, source.c.id == evidence.c.source_id)
        labels = list(dict.fromkeys(label for column in columns for label in column.all_labels))
        return (select(*(facts.c[label] for label in labels), facts.c[ROW_NUMBER], *extra,
                       source.c.key.label("_source"), source.c.outlet.label("_outlet"),
                       source.c.published.label("_published"),
                       source.c.published_end.label("_published_end"),
                       source.c.published_precision.label("_published_precision"),
                       evidence.c.quote.label("_quote"))
                .select_from(joined).order_by(*ordering, evidence.c.id))

    def names(self):
        """The statement checking that every name the query tests by `=`, `!=`, `in` or
        `not in` names someone (`~` may match nobody): None when it tests none."""
        found: list[tuple[Value, str, str]] = []
        for node in tests_of(self.query.condition):
            if node.op in ("=", "!=", "in", "not in"):
                access = node.field.access
                named = access.value if isinstance(access, Related) else access
                kind = (named.kind if isinstance(named, NamedRef)
                        else getattr(named, "names", None))  # a Plain naming an offense
                if kind is not None:
                    found.extend((value, kind, node.field.name) for value in node.values)
        if not found:
            return None, (), {}
        binder = Binder()
        checks = [(kind, binder.value(value, "casefold", name)) for value, kind, name in found]
        return (names.known(checks), tuple((value.slot, kind) for value, kind, _ in found),
                binder.recipes)


def _shown_limit(query: ResolvedQuery) -> int | None:
    """The LIMIT parameter's value as `explain` shows it before a cap is known."""
    return None if query.limit is None else query.limit.value


def _unique(fields) -> list[Field]:
    seen, out = set(), []
    for field in fields:
        if field.name not in seen:
            seen.add(field.name)
            out.append(field)
    return out


def _group_sort_keys(field: Field, rows) -> list[Any]:
    from sqlalchemy import func

    from casekb.plan.sqlfunctions import caseless

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
    if field.type in CASELESS_SORT:
        return [caseless(rows.c[name])]
    return [rows.c[name]]
