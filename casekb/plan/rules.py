"""The SQL of the rules the registry names: what `as of DATE` keeps, a field's value on a
date, and values computed from several columns.

The registry (casekb/lang/registry.py) says *which* rule an entity or field follows, by name,
and `describe` says what it means in words; the SQL is here. Every date is bound through the
Binder, as any value of the query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from casekb.lang.fields import Dated, Plain
from casekb.plan.binding import Binder

Scope = Any  # casekb.plan.compiler.Scope
AsOf = Any  # casekb.lang.resolve.Value of a PartialDate


def _sql():
    import sqlalchemy

    return sqlalchemy


def _table(name: str):
    from casekb.schema.tables import table

    return table(name)


def by(dated: Dated, scope: Scope, day: AsOf, binder: Binder):
    """The stored date is on or before `day` by the rule of `<=`: it ends by the end of `day`
    (a date stored as a month or a year counts once all of it has passed, so that `as of`
    never shows a fact that may not have happened yet; unknown dates are excluded)."""
    return dated.end(scope) <= binder.value(day, "end", "as_of_end")


def _not_closed_before(scope: Scope, alias: str, day: AsOf, binder: Binder):
    closed = Dated(alias, "closed")
    return _sql().or_(closed.start(scope).is_(None),
                      closed.end(scope) >= binder.value(day, "start", "as_of_start"))


def _charge_in_force(scope: Scope, alias: str, day: AsOf, binder: Binder):
    return _sql().and_(by(Dated(alias, "filed"), scope, day, binder),
                       _not_closed_before(scope, alias, day, binder))


def _latest_plea_by(scope: Scope, day: AsOf, binder: Binder):
    """The plea is the latest of its charge entered on or before `day` (see `by`)."""
    sa = _sql()
    plea = scope["pleas"]
    later = _table("pleas").alias("later_plea")
    newer = sa.select(later.c.id).where(
        later.c.charge_id == plea.c.charge_id,
        by(Dated("later_plea", "entered"), {"later_plea": later}, day, binder),
        sa.or_(later.c.entered > plea.c.entered,
               sa.and_(later.c.entered == plea.c.entered, later.c.id > plea.c.id)))
    return sa.and_(by(Dated("pleas", "entered"), scope, day, binder), ~sa.exists(newer))


def _penalty_in_force(scope: Scope, day: AsOf, binder: Binder):
    """Imposed penalties once their sentence is imposed; a charge's bounds while the charge is
    in force; an offense's statutory bounds always."""
    sa = _sql()
    penalty = scope["penalties"]
    return sa.or_(
        penalty.c.offense_id.is_not(None),
        sa.and_(penalty.c.charge_id.is_not(None),
                _charge_in_force(scope, "charge", day, binder)),
        sa.and_(penalty.c.sentence_id.is_not(None),
                by(Dated("sentence", "imposed"), scope, day, binder)),
    )


def _defendant_charged_by(scope: Scope, day: AsOf, binder: Binder):
    sa = _sql()
    role = scope["roles"]
    charge = _table("charges").alias("charge_filed")
    return sa.exists(sa.select(charge.c.id).where(
        sa.and_(charge.c.defendant_id == role.c.person_id, charge.c.case_id == role.c.case_id,
                by(Dated("charge_filed", "filed"), {"charge_filed": charge}, day, binder))))


def as_of_condition(rule: str, scope: Scope, day: AsOf, binder: Binder):
    """The condition `as of DATE` adds to a query of an entity following `rule`."""
    if rule.startswith("dated:"):  # "dated:ALIAS.PREFIX": the row's own date, by `by`
        alias, prefix = rule[len("dated:"):].split(".")
        return by(Dated(alias, prefix), scope, day, binder)
    return AS_OF[rule](scope, day, binder)


AS_OF: dict[str, Callable[[Scope, AsOf, Binder], Any]] = {
    "charge_in_force": lambda scope, day, binder: _charge_in_force(scope, "charges", day, binder),
    "latest_plea_by": _latest_plea_by,
    "penalty_in_force": _penalty_in_force,
    "defendant_charged_by": _defendant_charged_by,
}


# -- a field's value on a date ------------------------------------------------------------

def _status_on(day: AsOf, binder: Binder) -> Plain:
    """A charge's status on `day`: its latest status entry dated on or before it (see `by`)."""

    def latest(scope: Scope):
        sa = _sql()
        entry = _table("charge_statuses").alias("status_entry")
        return (sa.select(entry.c.status)
                .where(entry.c.charge_id == scope["charges"].c.id,
                       by(Dated("status_entry", "date"), {"status_entry": entry}, day, binder))
                .order_by(entry.c.date.desc(), entry.c.date_end.desc(), entry.c.id.desc())
                .limit(1).scalar_subquery())

    return Plain(latest)


AS_OF_VALUES: dict[str, Callable[[AsOf, Binder], Plain]] = {"status_on": _status_on}


# -- values computed from several columns -------------------------------------------------

def _penalty_level(scope: Scope, binder: Binder):
    """Which record a penalty belongs to: 'offense', 'charge' or 'sentence'."""
    penalty = scope["penalties"]
    return _sql().case((penalty.c.sentence_id.is_not(None), binder.constant("sentence", "level")),
                       (penalty.c.charge_id.is_not(None), binder.constant("charge", "level")),
                       else_=binder.constant("offense", "level"))


def _claim_reference(scope: Scope, binder: Binder):
    """A claim of a dispute as the curator wrote it: "kind:id" ("plea:halls-plea-guilty")."""
    from casekb.schema.declaration import fact_tables, kind_of_table

    sa = _sql()
    claim = scope["claim"]
    looked_up = []
    for name in fact_tables():
        kind = kind_of_table(name)
        row = _table(name).alias(f"claimed_{name}")  # never correlates with the outer query
        key = sa.select(row.c.key).where(row.c.id == claim.c.fact_id).scalar_subquery()
        looked_up.append((claim.c.fact_table == binder.constant(name, "fact_table"),
                          binder.constant(f"{kind}:", "kind") + key))
    return sa.case(*looked_up, else_=None)


COMPUTED: dict[str, Callable[[Scope, Binder], Any]] = {
    "penalty_level": _penalty_level,
    "claim_reference": _claim_reference,
}
