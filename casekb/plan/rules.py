"""The SQL of the rules the registry names: what `as of DATE` keeps, a field's value on a
date, and values computed from several columns.

The registry (casekb/lang/registry.py) says *which* rule an entity or field follows, by name,
and `describe` says what it means in words; the SQL is here. Every date is bound through the
Binder, as any value of the query.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from casekb.lang.fields import Dated, Plain, Reported
from casekb.plan.binding import Binder

Scope = Any  # casekb.plan.scope.Scope


@dataclass(frozen=True)
class AsOf:
    """The date of `as of` (a casekb.lang.resolve.Value of a PartialDate), and whether a
    fact counts when it possibly happened by it (`as of possibly DATE`) rather than
    certainly."""

    day: Any
    possibly: bool = False


def _sql():
    import sqlalchemy

    return sqlalchemy


def _table(name: str):
    from casekb.schema.tables import table

    return table(name)


def by(dated: Dated, scope: Scope, when: AsOf, binder: Binder):
    """The stored date is on or before the date by the rule of `<=`: certainly, it ends by
    the end of the date (a date known only to a month, a year or by bounds counts once all
    of it has passed, so that `as of` never shows a fact that may not have happened yet);
    possibly, it starts by then. Unknown dates are excluded."""
    if when.possibly:
        return dated.start(scope) <= binder.value(when.day, "end", "as_of_end")
    return dated.end(scope) <= binder.value(when.day, "end", "as_of_end")


def _not_closed_before(scope: Scope, alias: str, when: AsOf, binder: Binder):
    closed = Dated(alias, "closed")
    return _sql().or_(closed.start(scope).is_(None),
                      closed.end(scope) >= binder.value(when.day, "start", "as_of_start"))


def _charge_in_force(scope: Scope, alias: str, when: AsOf, binder: Binder):
    """Filed by the date, not closed before it, and not replaced by a charge filed by it."""
    sa = _sql()
    charge = scope[alias]
    successor = _table("charges").alias(f"{alias}_successor")
    replaced = sa.exists(sa.select(successor.c.id).where(
        successor.c.replaces_id == charge.c.id,
        by(Dated(f"{alias}_successor", "filed"), {f"{alias}_successor": successor}, when,
           binder)))
    return sa.and_(by(Dated(alias, "filed"), scope, when, binder),
                   _not_closed_before(scope, alias, when, binder), ~replaced)


def _latest_plea_by(scope: Scope, when: AsOf, binder: Binder):
    """The plea is the latest of its charge entered on or before `day` (see `by`)."""
    sa = _sql()
    plea = scope["pleas"]
    later = _table("pleas").alias("later_plea")
    newer = sa.select(later.c.id).where(
        later.c.charge_id == plea.c.charge_id,
        by(Dated("later_plea", "entered"), {"later_plea": later}, when, binder),
        sa.or_(later.c.entered > plea.c.entered,
               sa.and_(later.c.entered == plea.c.entered, later.c.id > plea.c.id)))
    return sa.and_(by(Dated("pleas", "entered"), scope, when, binder), ~sa.exists(newer))


def _penalty_in_force(scope: Scope, when: AsOf, binder: Binder):
    """A sentence's terms once it is imposed (or agreed); a charge's or an enhancement's
    bounds while the charge is in force; an offense's statutory bounds always."""
    sa = _sql()
    penalty = scope["penalties"]
    return sa.or_(
        penalty.c.offense_id.is_not(None),
        sa.and_(sa.or_(penalty.c.charge_id.is_not(None), penalty.c.enhancement_id.is_not(None)),
                _charge_in_force(scope, "charge", when, binder)),
        sa.and_(penalty.c.sentence_id.is_not(None),
                by(Dated("sentence", "imposed"), scope, when, binder)),
    )


def _defendant_charged_by(scope: Scope, when: AsOf, binder: Binder):
    sa = _sql()
    role = scope["roles"]
    charge = _table("charges").alias("charge_filed")
    return sa.exists(sa.select(charge.c.id).where(
        sa.and_(charge.c.defendant_id == role.c.person_id, charge.c.case_id == role.c.case_id,
                by(Dated("charge_filed", "filed"), {"charge_filed": charge}, when, binder))))


def as_of_condition(rule: str, scope: Scope, when: AsOf, binder: Binder):
    """The condition `as of DATE` adds to a query of an entity following `rule`."""
    if rule.startswith("dated:"):  # "dated:ALIAS.PREFIX": the row's own date, by `by`
        alias, prefix = rule[len("dated:"):].split(".")
        return by(Dated(alias, prefix), scope, when, binder)
    return AS_OF[rule](scope, when, binder)


AS_OF: dict[str, Callable[[Scope, AsOf, Binder], Any]] = {
    "charge_in_force": lambda scope, when, binder: _charge_in_force(scope, "charges", when,
                                                                    binder),
    "latest_plea_by": _latest_plea_by,
    "penalty_in_force": _penalty_in_force,
    "defendant_charged_by": _defendant_charged_by,
}


# -- a field's value on a date ------------------------------------------------------------

def _latest_status_by(column: str, when: AsOf, binder: Binder):
    """A column of a charge's latest status entry dated by the date (see `by`), as SQL of
    a scope."""
    def read(scope: Scope):
        sa = _sql()
        entry = _table("charge_statuses").alias("status_entry")
        return (sa.select(entry.c[column])
                .where(entry.c.charge_id == scope["charges"].c.id,
                       by(Dated("status_entry", "date"), {"status_entry": entry}, when, binder))
                .order_by(entry.c.date.desc(), entry.c.date_end.desc(), entry.c.id.desc())
                .limit(1).scalar_subquery())
    return read


def _status_on(when: AsOf, binder: Binder) -> Reported:
    """A charge's status on the date: its latest status entry dated by it (see `by`), as
    last reported; none when the date is after that report (the status then is not known)."""

    def latest(column: str):
        return _latest_status_by(column, when, binder)

    def known(scope: Scope):
        sa = _sql()
        after_report = latest("reported_end")(scope) < binder.value(when.day, "start",
                                                                      "as_of_start")
        return sa.case((after_report, sa.null()), else_=latest("status")(scope))

    return Reported(known, latest("status"), latest("reported"), latest("reported_end"),
                    latest("reported_precision"))


def _standing_on(when: AsOf, binder: Binder) -> Plain:
    """Whether a charge stood on the date as far as the sources reported by then (`in_force`
    as of it; see _charge_standing): filed by it, not closed before it, not replaced by a
    charge filed by it, and its latest status dated by it pending, a mistrial, or none."""
    def standing(scope: Scope):
        sa = _sql()
        status = _latest_status_by("status", when, binder)(scope)
        return sa.and_(_charge_in_force(scope, "charges", when, binder),
                       status.is_(None) | status.in_(_standing_statuses(binder)))
    return Plain(standing)


AS_OF_VALUES: dict[str, Callable[[AsOf, Binder], Reported | Plain]] = {
    "status_on": _status_on, "standing_on": _standing_on}


# -- values computed from several columns -------------------------------------------------

def _penalty_level(scope: Scope, binder: Binder):
    """Which record a penalty belongs to: 'offense', 'charge', 'enhancement' or 'sentence'."""
    penalty = scope["penalties"]
    return _sql().case((penalty.c.sentence_id.is_not(None), binder.constant("sentence", "level")),
                       (penalty.c.charge_id.is_not(None), binder.constant("charge", "level")),
                       (penalty.c.enhancement_id.is_not(None),
                        binder.constant("enhancement", "level")),
                       else_=binder.constant("offense", "level"))


def _fact_reference(row, binder: Binder):
    """The fact a row of (fact_table, fact_id) names, as the curator writes it: "kind:id"
    ("plea:halls-plea-guilty")."""
    from casekb.schema.declaration import fact_tables, kind_of_table

    sa = _sql()
    claim = row
    looked_up = []
    for name in fact_tables():
        kind = kind_of_table(name)
        row = _table(name).alias(f"claimed_{name}")  # never correlates with the outer query
        key = sa.select(row.c.key).where(row.c.id == claim.c.fact_id).scalar_subquery()
        looked_up.append((claim.c.fact_table == binder.constant(name, "fact_table"),
                          binder.constant(f"{kind}:", "kind") + key))
    return sa.case(*looked_up, else_=None)


def _charge_standing(scope: Scope, binder: Binder):
    """Whether a charge stands as far as the sources report: not closed, not replaced, and
    its status as last reported pending, a mistrial, or not stated."""
    sa = _sql()
    charge = scope["charges"]
    successor = _table("charges").alias("successor_charge")
    return sa.and_(charge.c.closed.is_(None), charge.c.status.is_(None) | charge.c.status.in_(
        _standing_statuses(binder)), ~sa.exists(sa.select(successor.c.id).where(
            successor.c.replaces_id == charge.c.id)))


def _standing_statuses(binder: Binder) -> list[Any]:
    """The statuses of a charge that stands: pending, or after a mistrial."""
    return [binder.constant(status, "standing") for status in ("pending", "mistrial")]


COMPUTED: dict[str, Callable[[Scope, Binder], Any]] = {
    "penalty_level": _penalty_level,
    "claim_reference": lambda scope, binder: _fact_reference(scope["claim"], binder),
    "inference_fact": lambda scope, binder: _fact_reference(scope["inferences"], binder),
    "charge_in_force": _charge_standing,
}
