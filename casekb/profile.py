"""Person profiles and case timelines: views that read better than tables.

`build_profile(engine, "Alec Baldwin")` gathers what the store holds about one person: the
other spellings of the name, their roles, each charge against them with its status history,
pleas, verdicts, sentences and penalties, the statements they made and those made about them,
and the articles all of it comes from. `build_timeline(engine, "Rust")` gathers a case's
events in date order with the articles behind each. Both come back as plain data
(`to_json()`) and are written for people by `write_profile_text` / `write_timeline_text`:
every fact carries numbered references ([1], [2]) into a source list at the end.

Names are matched like the query language matches them: the full name or any other spelling
the sources use, ignoring letter case ("dave halls" finds Dave Halls through "David Halls").
An unknown name is a QueryError that suggests the nearest known one.

Each view is read with a fixed handful of set-based queries (one per kind of fact, keyed by
the person's or case's id through sub-queries), never one query per row, so a person with a
thousand facts costs as many round trips as one with three.
"""

from __future__ import annotations

import difflib
import json
import textwrap
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from casekb.dates import PartialDate
from casekb.errors import QueryError, StoreError
from casekb.quantities import DIMENSION_UNIT, Quantity

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

TEXT_WIDTH = 100  # the widest line the text views write, even on a wider terminal
SUGGESTIONS = 5


# -- The data ------------------------------------------------------------------------------

@dataclass(frozen=True)
class SourceInfo:
    """An article cited by a view; `number` is its reference number in the text ([1])."""

    key: str
    outlet: str | None
    headline: str | None
    published: PartialDate | None
    file: str
    url: str | None
    number: int = 0

    def to_json(self) -> dict:
        return {"number": self.number, "source": self.key, "outlet": self.outlet,
                "headline": self.headline, "published": _date_json(self.published),
                "file": self.file, "url": self.url}


@dataclass(frozen=True)
class Citation:
    """One (article, verbatim quote) pair behind a fact."""

    source: str
    quote: str

    def to_json(self) -> dict:
        return {"source": self.source, "quote": self.quote}


@dataclass
class RoleFact:
    case: str
    role: str
    title: str | None
    cited: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"case": self.case, "role": self.role, "title": self.title,
                "sources": _cited_json(self.cited)}


@dataclass
class PenaltyFact:
    """A penalty: a statutory bound of the offense (level "offense") or of the charge
    ("charge"), or a term of a sentence ("sentence")."""

    kind: str
    bound: str
    amount: Quantity | None
    suspended: bool
    unsupervised: bool
    level: str
    cited: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"kind": self.kind, "bound": self.bound,
                "amount": self.amount.to_json() if self.amount else None,
                "suspended": self.suspended, "unsupervised": self.unsupervised,
                "level": self.level, "sources": _cited_json(self.cited)}


@dataclass
class StatusFact:
    status: str
    date: PartialDate | None
    cited: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"status": self.status, "date": _date_json(self.date),
                "sources": _cited_json(self.cited)}


@dataclass
class PleaFact:
    plea: str
    entered: PartialDate | None
    agreement: bool | None
    cited: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"plea": self.plea, "entered": _date_json(self.entered),
                "agreement": self.agreement, "sources": _cited_json(self.cited)}


@dataclass
class VerdictFact:
    outcome: str
    decided: PartialDate | None
    decided_by: str | None
    cited: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"outcome": self.outcome, "decided": _date_json(self.decided),
                "by": self.decided_by, "sources": _cited_json(self.cited)}


@dataclass
class SentenceFact:
    imposed: PartialDate | None
    summary: str | None
    penalties: list[PenaltyFact] = field(default_factory=list)
    cited: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"imposed": _date_json(self.imposed), "summary": self.summary,
                "penalties": [p.to_json() for p in self.penalties],
                "sources": _cited_json(self.cited)}


@dataclass
class ChargeFact:
    """A charge with everything that happened to it."""

    case: str
    offense: str
    jurisdiction: str | None
    offense_class: str | None
    statute: str | None
    counts: int | None
    filed: PartialDate | None
    closed: PartialDate | None
    status: str | None
    enhancements: list[str] = field(default_factory=list)
    statuses: list[StatusFact] = field(default_factory=list)
    pleas: list[PleaFact] = field(default_factory=list)
    verdicts: list[VerdictFact] = field(default_factory=list)
    sentences: list[SentenceFact] = field(default_factory=list)
    penalties: list[PenaltyFact] = field(default_factory=list)  # the charge's and the law's
    cited: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"case": self.case, "offense": self.offense, "jurisdiction": self.jurisdiction,
                "class": self.offense_class, "statute": self.statute, "counts": self.counts,
                "filed": _date_json(self.filed), "closed": _date_json(self.closed),
                "status": self.status, "enhancements": self.enhancements,
                "status_history": [s.to_json() for s in self.statuses],
                "pleas": [p.to_json() for p in self.pleas],
                "verdicts": [v.to_json() for v in self.verdicts],
                "sentences": [s.to_json() for s in self.sentences],
                "penalties": [p.to_json() for p in self.penalties],
                "sources": _cited_json(self.cited)}


@dataclass
class StatementFact:
    speaker: str
    about: str | None
    said: PartialDate | None
    stance: str | None
    medium: str | None
    quote: str
    case: str
    cited: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"speaker": self.speaker, "about": self.about, "date": _date_json(self.said),
                "stance": self.stance, "medium": self.medium, "quote": self.quote,
                "case": self.case, "sources": _cited_json(self.cited)}


@dataclass
class Profile:
    """Everything the store holds about one person."""

    name: str
    aliases: list[str]
    roles: list[RoleFact]
    charges: list[ChargeFact]
    statements_by: list[StatementFact]
    statements_about: list[StatementFact]  # by other people
    sources: list[SourceInfo]

    def to_json(self) -> dict:
        return {"name": self.name, "aliases": self.aliases,
                "roles": [r.to_json() for r in self.roles],
                "charges": [c.to_json() for c in self.charges],
                "statements_by": [s.to_json() for s in self.statements_by],
                "statements_about": [s.to_json() for s in self.statements_about],
                "sources": [s.to_json() for s in self.sources]}


@dataclass
class EventFact:
    date: PartialDate | None
    kind: str
    description: str
    cited: list[Citation] = field(default_factory=list)

    def to_json(self) -> dict:
        return {"date": _date_json(self.date), "kind": self.kind,
                "description": self.description, "sources": _cited_json(self.cited)}


@dataclass
class Timeline:
    """A case's events in date order (undated events last)."""

    case: str
    aliases: list[str]
    jurisdiction: str | None
    venue: str | None
    events: list[EventFact]
    sources: list[SourceInfo]

    def to_json(self) -> dict:
        return {"case": self.case, "aliases": self.aliases, "jurisdiction": self.jurisdiction,
                "venue": self.venue, "events": [e.to_json() for e in self.events],
                "sources": [s.to_json() for s in self.sources]}


def _date_json(value: PartialDate | None) -> str | None:
    return str(value) if value is not None else None


def _cited_json(cited: list[Citation]) -> list[dict]:
    return [c.to_json() for c in cited]


# -- Finding a person or a case by name ------------------------------------------------------

def find_person(connection: "Connection", name: str) -> tuple[int, str]:
    """The (id, name) of the one person called `name`, known by it, or whose curated id it is
    ("alec-baldwin"); QueryError otherwise."""
    from casekb.lang.tables import core as t

    return _find_named(connection, name, "person", t.people, t.people.c.name,
                       t.people.c.name_folded, t.person_aliases, t.person_aliases.c.person_id)


def find_case(connection: "Connection", name: str) -> tuple[int, str]:
    """The (id, title) of the one case called `name`, known by it, or whose curated id it is;
    QueryError otherwise."""
    from casekb.lang.tables import core as t

    return _find_named(connection, name, "case", t.cases, t.cases.c.title,
                       t.cases.c.title_folded, t.case_aliases, t.case_aliases.c.case_id)


_PLURAL = {"person": "people", "case": "cases"}


def _find_named(connection, name, kind, main, shown, folded_column, aliases, alias_ref):
    from sqlalchemy import bindparam, select, union

    wanted = " ".join(name.split())
    if not wanted:
        raise QueryError(f"give the name of a {kind}")
    by_key = connection.execute(select(main.c.id, shown)
                                .where(main.c.key == bindparam("key", wanted))).first()
    if by_key is not None:
        return by_key[0], by_key[1]
    folded = bindparam("folded", wanted.casefold())
    ids = union(select(main.c.id).where(folded_column == folded),
                select(alias_ref).where(aliases.c.alias_folded == folded))
    found = connection.execute(
        select(main.c.id, main.c.key, shown).where(main.c.id.in_(ids))
        .order_by(shown, main.c.key).limit(SUGGESTIONS + 1)).all()
    if len(found) == 1:
        return found[0][0], found[0][2]
    if found:
        # Namesakes: their curated ids tell them apart.
        listed = [f"{row[1]} (“{row[2]}”{_known_as(connection, kind, row[0])})"
                  for row in found[:SUGGESTIONS]]
        more = ", ..." if len(found) > SUGGESTIONS else ""
        raise QueryError(f"“{wanted}” could be several {_PLURAL[kind]}: "
                         + ", ".join(listed) + more,
                         hints=[f"give the id of the one you mean instead, e.g. {found[0][1]}"])
    raise QueryError(f"no {kind} called “{wanted}” in the store",
                     hints=[_suggestion(connection, wanted, kind, main, shown, folded_column,
                                        aliases, alias_ref)])


def _suggestion(connection, wanted, kind, main, shown, folded_column, aliases, alias_ref) -> str:
    """"did you mean ...?" for the closest spelling, else the names that contain `wanted`.

    Close spellings are looked for among those that begin like `wanted` (an index range, so
    a store of any size answers at once); a typo in the first two letters is not caught."""
    from sqlalchemy import bindparam, select, union

    from casekb.lang.patterns import LIKE_ESCAPE, contains_pattern

    folded = wanted.casefold()
    low = bindparam("low", folded[:2])
    high = bindparam("high", folded[:2] + "\U0010ffff")
    alike = connection.execute(union(
        select(shown.label("spelling"), shown.label("owner"))
        .where(folded_column >= low, folded_column < high),
        select(aliases.c.alias, shown).join_from(aliases, main, main.c.id == alias_ref)
        .where(aliases.c.alias_folded >= low, aliases.c.alias_folded < high))).all()
    owners = {spelling.casefold(): (spelling, owner) for spelling, owner in alike}
    close = difflib.get_close_matches(folded, list(owners), n=1, cutoff=0.6)
    if close:
        spelling, owner = owners[close[0]]
        if owner != spelling:
            return f"did you mean “{owner}” (also written “{spelling}”)?"
        return f"did you mean “{owner}”?"
    pattern = bindparam("pattern", contains_pattern(folded))
    containing = connection.execute(union(
        select(shown.label("owner")).where(folded_column.like(pattern, escape=LIKE_ESCAPE)),
        select(shown).join_from(aliases, main, main.c.id == alias_ref)
        .where(aliases.c.alias_folded.like(pattern, escape=LIKE_ESCAPE)))
        .order_by("owner").limit(SUGGESTIONS + 1)).scalars().all()
    if containing:
        more = ", ..." if len(containing) > SUGGESTIONS else ""
        return ("names containing it: " + ", ".join(f"“{n}”" for n in containing[:SUGGESTIONS])
                + more)
    listing = "casekb query people" if kind == "person" else "casekb query cases"
    return f"list the known names with: {listing}"


def _known_as(connection, kind: str, row_id: int) -> str:
    """", defendant in State v. Rodriguez": what sets a person apart (nothing for a case)."""
    if kind != "person":
        return ""
    from sqlalchemy import select

    from casekb.lang.tables import core as t

    role = connection.execute(
        select(t.roles.c.role, t.cases.c.title)
        .join_from(t.roles, t.cases, t.cases.c.id == t.roles.c.case_id)
        .where(t.roles.c.person_id == row_id).order_by(t.roles.c.id).limit(1)).first()
    return f", {role[0]} in {role[1]}" if role else ""


# -- Building a profile ----------------------------------------------------------------------

def build_profile(engine: "Engine", name: str) -> Profile:
    """Everything about the person called `name` (or known by it), read in a few queries."""
    from sqlalchemy import bindparam, or_, select

    from casekb.lang.tables import core as t

    with _reading(engine) as connection:
        person_id, shown = find_person(connection, name)
        pid = bindparam("person_id", person_id)
        aliases = connection.execute(select(t.person_aliases.c.alias)
                                     .where(t.person_aliases.c.person_id == pid)
                                     .order_by(t.person_aliases.c.alias)).scalars().all()
        charge_ids = select(t.charges.c.id).where(t.charges.c.defendant_id == pid)
        sentence_ids = select(t.sentences.c.id).where(t.sentences.c.charge_id.in_(charge_ids))
        offense_ids = select(t.charges.c.offense_id).where(t.charges.c.defendant_id == pid)
        role_ids = select(t.roles.c.id).where(t.roles.c.person_id == pid)
        statement_ids = select(t.statements.c.id).where(
            or_(t.statements.c.speaker_id == pid, t.statements.c.about_id == pid))
        penalty_ids = select(t.penalties.c.id).where(or_(
            t.penalties.c.charge_id.in_(charge_ids), t.penalties.c.sentence_id.in_(sentence_ids),
            t.penalties.c.offense_id.in_(offense_ids)))
        status_ids = select(t.charge_statuses.c.id).where(
            t.charge_statuses.c.charge_id.in_(charge_ids))
        plea_ids = select(t.pleas.c.id).where(t.pleas.c.charge_id.in_(charge_ids))
        verdict_ids = select(t.verdicts.c.id).where(t.verdicts.c.charge_id.in_(charge_ids))
        cited, sources = _citations(connection, {
            "roles": role_ids, "charges": charge_ids, "charge_statuses": status_ids,
            "pleas": plea_ids, "verdicts": verdict_ids, "sentences": sentence_ids,
            "penalties": penalty_ids, "statements": statement_ids})

        roles = [RoleFact(row.case, row.role, row.title, cited["roles"][row.id])
                 for row in connection.execute(
                     select(t.roles.c.id, t.roles.c.role, t.roles.c.title,
                            t.cases.c.title.label("case"))
                     .join_from(t.roles, t.cases, t.cases.c.id == t.roles.c.case_id)
                     .where(t.roles.c.person_id == pid)
                     .order_by(t.cases.c.title, t.roles.c.id))]
        charges = _charges(connection, pid, charge_ids, sentence_ids, offense_ids, cited)
        statements = _statements(connection, pid, cited)
    return Profile(
        name=shown, aliases=list(aliases), roles=roles, charges=charges,
        statements_by=[s for s, by in statements if by],
        statements_about=[s for s, by in statements if not by],
        sources=sources)


def _charges(connection, pid, charge_ids, sentence_ids, offense_ids, cited) -> list[ChargeFact]:
    from sqlalchemy import select

    from casekb.lang.tables import core as t

    c, o = t.charges, t.offenses
    rows = connection.execute(
        select(c.c.id, c.c.offense_id, c.c.counts, c.c.filed, c.c.filed_precision, c.c.closed,
               c.c.closed_precision, c.c.status, o.c.name.label("offense"), o.c.jurisdiction,
               o.c.offense_class, o.c.statute, t.cases.c.title.label("case"))
        .join_from(c, o, o.c.id == c.c.offense_id)
        .join(t.cases, t.cases.c.id == c.c.case_id)
        .where(c.c.defendant_id == pid)
        .order_by(t.cases.c.title, *_dated_order(c.c.filed), o.c.name, c.c.id)).all()
    charges: dict[int, ChargeFact] = {}
    offense_of: dict[int, int] = {}
    for row in rows:
        charges[row.id] = ChargeFact(
            case=row.case, offense=row.offense, jurisdiction=row.jurisdiction,
            offense_class=row.offense_class, statute=row.statute, counts=row.counts,
            filed=_partial(row.filed, row.filed_precision),
            closed=_partial(row.closed, row.closed_precision), status=row.status,
            cited=cited["charges"][row.id])
        offense_of[row.id] = row.offense_id
    if not charges:
        return []

    e = t.charge_enhancements
    for row in connection.execute(select(e.c.charge_id, e.c.enhancement)
                                  .where(e.c.charge_id.in_(charge_ids)).order_by(e.c.id)):
        charges[row.charge_id].enhancements.append(row.enhancement)
    s = t.charge_statuses
    for row in connection.execute(select(s.c.id, s.c.charge_id, s.c.status, s.c.date,
                                         s.c.date_precision)
                                  .where(s.c.charge_id.in_(charge_ids))
                                  .order_by(*_dated_order(s.c.date), s.c.id)):
        charges[row.charge_id].statuses.append(StatusFact(
            row.status, _partial(row.date, row.date_precision), cited["charge_statuses"][row.id]))
    p = t.pleas
    for row in connection.execute(select(p.c.id, p.c.charge_id, p.c.plea, p.c.entered,
                                         p.c.entered_precision, p.c.agreement)
                                  .where(p.c.charge_id.in_(charge_ids))
                                  .order_by(*_dated_order(p.c.entered), p.c.id)):
        charges[row.charge_id].pleas.append(PleaFact(
            row.plea, _partial(row.entered, row.entered_precision), row.agreement,
            cited["pleas"][row.id]))
    v = t.verdicts
    for row in connection.execute(select(v.c.id, v.c.charge_id, v.c.outcome, v.c.decided,
                                         v.c.decided_precision, v.c.decided_by)
                                  .where(v.c.charge_id.in_(charge_ids))
                                  .order_by(*_dated_order(v.c.decided), v.c.id)):
        charges[row.charge_id].verdicts.append(VerdictFact(
            row.outcome, _partial(row.decided, row.decided_precision), row.decided_by,
            cited["verdicts"][row.id]))
    sentences: dict[int, SentenceFact] = {}
    n = t.sentences
    for row in connection.execute(select(n.c.id, n.c.charge_id, n.c.imposed,
                                         n.c.imposed_precision, n.c.summary)
                                  .where(n.c.charge_id.in_(charge_ids))
                                  .order_by(*_dated_order(n.c.imposed), n.c.id)):
        sentence = SentenceFact(_partial(row.imposed, row.imposed_precision), row.summary,
                                cited=cited["sentences"][row.id])
        sentences[row.id] = sentence
        charges[row.charge_id].sentences.append(sentence)

    from sqlalchemy import or_

    k = t.penalties
    by_offense: dict[int, list[PenaltyFact]] = defaultdict(list)
    for row in connection.execute(
            select(k.c.id, k.c.offense_id, k.c.charge_id, k.c.sentence_id, k.c.kind, k.c.bound,
                   k.c.amount_value, k.c.amount_dimension, k.c.amount_text, k.c.suspended,
                   k.c.unsupervised)
            .where(or_(k.c.charge_id.in_(charge_ids), k.c.sentence_id.in_(sentence_ids),
                       k.c.offense_id.in_(offense_ids)))
            .order_by(k.c.bound, k.c.kind, k.c.id)):
        level = ("sentence" if row.sentence_id is not None else
                 "charge" if row.charge_id is not None else "offense")
        penalty = PenaltyFact(row.kind, row.bound,
                              _quantity(row.amount_value, row.amount_dimension, row.amount_text),
                              bool(row.suspended), bool(row.unsupervised), level,
                              cited["penalties"][row.id])
        if level == "sentence":
            sentences[row.sentence_id].penalties.append(penalty)
        elif level == "charge":
            charges[row.charge_id].penalties.append(penalty)
        else:
            by_offense[row.offense_id].append(penalty)
    for charge_id, charge in charges.items():
        charge.penalties.extend(by_offense.get(offense_of[charge_id], ()))
    return list(charges.values())


def _statements(connection, pid, cited) -> list[tuple[StatementFact, bool]]:
    """The statements by the person (True) and those by others about them (False)."""
    from sqlalchemy import or_, select

    from casekb.lang.tables import core as t

    s = t.statements
    speaker, about = t.people.alias("speaker"), t.people.alias("about")
    rows = connection.execute(
        select(s.c.id, s.c.speaker_id, s.c.said, s.c.said_precision, s.c.stance, s.c.medium,
               s.c.quote, speaker.c.name.label("speaker"), about.c.name.label("about"),
               t.cases.c.title.label("case"))
        .join_from(s, speaker, speaker.c.id == s.c.speaker_id)
        .outerjoin(about, about.c.id == s.c.about_id)
        .join(t.cases, t.cases.c.id == s.c.case_id)
        .where(or_(s.c.speaker_id == pid, s.c.about_id == pid))
        .order_by(*_dated_order(s.c.said), speaker.c.name, s.c.id)).all()
    return [(StatementFact(row.speaker, row.about, _partial(row.said, row.said_precision),
                           row.stance, row.medium, row.quote, row.case,
                           cited["statements"][row.id]),
             row.speaker_id == pid.value)
            for row in rows]


# -- Building a timeline ---------------------------------------------------------------------

def build_timeline(engine: "Engine", case: str | None = None) -> Timeline:
    """The events of the case called `case` (or known by it) in date order. Without a name,
    the store's only case; QueryError naming some cases when it holds several."""
    from sqlalchemy import bindparam, func, select

    from casekb.lang.tables import core as t

    with _reading(engine) as connection:
        if case is not None:
            case_id, _ = find_case(connection, case)
        else:
            count = connection.execute(select(func.count()).select_from(t.cases)).scalar_one()
            if count != 1:
                titles = connection.execute(select(t.cases.c.title).distinct()
                                            .order_by(t.cases.c.title)
                                            .limit(SUGGESTIONS)).scalars().all()
                if not titles:
                    raise QueryError("the store holds no cases")
                raise QueryError(f"the store holds {count} cases; name the one you want",
                                 hints=[f"e.g. timeline “{titles[0]}”; cases: "
                                        + ", ".join(f"“{title}”" for title in titles)
                                        + (", ..." if count > len(titles) else "")])
            case_id = connection.execute(select(t.cases.c.id)).scalar_one()
        cid = bindparam("case_id", case_id)
        head = connection.execute(select(t.cases.c.title, t.cases.c.jurisdiction,
                                         t.cases.c.venue).where(t.cases.c.id == cid)).one()
        aliases = connection.execute(select(t.case_aliases.c.alias)
                                     .where(t.case_aliases.c.case_id == cid)
                                     .order_by(t.case_aliases.c.alias)).scalars().all()
        ev = t.events
        event_ids = select(ev.c.id).where(ev.c.case_id == cid)
        cited, sources = _citations(connection, {"events": event_ids})
        events = [EventFact(_partial(row.date, row.date_precision), row.kind, row.description,
                            cited["events"][row.id])
                  for row in connection.execute(
                      select(ev.c.id, ev.c.date, ev.c.date_precision, ev.c.kind, ev.c.description)
                      .where(ev.c.case_id == cid)
                      .order_by(*_dated_order(ev.c.date), ev.c.date_end, ev.c.id))]
    return Timeline(head.title, list(aliases), head.jurisdiction, head.venue, events, sources)


# -- Shared reading helpers -------------------------------------------------------------------

class _reading:
    """A connection for the view's queries; database failures become StoreError."""

    def __init__(self, engine: "Engine"):
        self.engine = engine

    def __enter__(self) -> "Connection":
        from sqlalchemy.exc import SQLAlchemyError

        try:
            self.connection = self.engine.connect()
        except SQLAlchemyError as error:
            raise StoreError(f"cannot read the store: {_reason(error)}") from None
        return self.connection

    def __exit__(self, kind, error, traceback) -> bool:
        from sqlalchemy.exc import SQLAlchemyError

        self.connection.close()
        if isinstance(error, SQLAlchemyError):
            raise StoreError(f"the store could not answer: {_reason(error)}",
                             hints=["if the store is damaged or old, rebuild it: casekb build"]
                             ) from None
        return False


def _reason(error: Exception) -> str:
    return str(getattr(error, "orig", None) or error)


def _citations(connection, fact_ids: dict[str, Any]):
    """The evidence of every fact selected by `fact_ids` (fact table -> sub-query of ids), in
    one query: {table: {id: [Citation]}}, and the articles cited, numbered by publication."""
    from sqlalchemy import and_, or_, select

    from casekb.lang.tables import core as t

    e, s = t.evidence, t.sources
    wanted = or_(*(and_(e.c.fact_table == table, e.c.fact_id.in_(ids))
                   for table, ids in fact_ids.items()))
    rows = connection.execute(
        select(e.c.fact_table, e.c.fact_id, e.c.quote, s.c.key, s.c.outlet, s.c.headline,
               s.c.published, s.c.published_precision, s.c.file, s.c.url)
        .join_from(e, s, s.c.id == e.c.source_id).where(wanted).order_by(e.c.id)).all()
    cited: dict[str, dict[int, list[Citation]]] = {table: defaultdict(list) for table in fact_ids}
    found: dict[str, SourceInfo] = {}
    for row in rows:
        cited[row.fact_table][row.fact_id].append(Citation(row.key, row.quote))
        if row.key not in found:
            found[row.key] = SourceInfo(row.key, row.outlet, row.headline,
                                        _partial(row.published, row.published_precision),
                                        row.file, row.url)
    ordered = sorted(found.values(), key=lambda info: (
        info.published is None, info.published.start if info.published else date.min, info.key))
    sources = [SourceInfo(info.key, info.outlet, info.headline, info.published, info.file,
                          info.url, number) for number, info in enumerate(ordered, 1)]
    return cited, sources


def _dated_order(column) -> tuple:
    """Order by a date with unknown dates last, the same on SQLite and PostgreSQL."""
    return column.is_(None), column


def _partial(start: Any, precision: str | None) -> PartialDate | None:
    if start is None:
        return None
    if isinstance(start, str):
        start = date.fromisoformat(start[:10])
    return PartialDate.from_stored(start, precision or "day")


def _quantity(value: float | None, dimension: str | None, text: str | None) -> Quantity | None:
    if value is None or dimension not in DIMENSION_UNIT:
        return None
    return Quantity(dimension, float(value), text or f"{value:g} {DIMENSION_UNIT[dimension]}")


# -- Writing the views for people -------------------------------------------------------------

def write_json(view: Profile | Timeline, out: TextIO) -> None:
    """A profile or timeline as one JSON object."""
    out.write(json.dumps(view.to_json(), ensure_ascii=False, indent=2) + "\n")


class _Writer:
    """Lines of text wrapped to a width, with reference numbers for citations."""

    def __init__(self, out: TextIO, width: int, sources: list[SourceInfo]):
        self.out = out
        self.width = max(40, min(width, TEXT_WIDTH))
        self.numbers = {source.key: source.number for source in sources}

    def refs(self, cited: list[Citation]) -> str:
        numbers = sorted({self.numbers[c.source] for c in cited if c.source in self.numbers})
        return "".join(f"[{n}]" for n in numbers)

    def line(self, text: str, indent: int = 0, hanging: int = 2) -> None:
        wrapped = textwrap.wrap(text, self.width, initial_indent=" " * indent,
                                subsequent_indent=" " * (indent + hanging),
                                break_on_hyphens=False) or [""]
        self.out.write("\n".join(wrapped) + "\n")

    def fact(self, text: str, cited: list[Citation], indent: int = 0, hanging: int = 2) -> None:
        refs = self.refs(cited)
        self.line(f"{text} {refs}" if refs else text, indent, hanging)

    def heading(self, text: str) -> None:
        self.out.write(f"\n{text}\n")

    def sources(self, sources: list[SourceInfo]) -> None:
        if not sources:
            return
        self.heading("Sources")
        for source in sources:
            about = ", ".join(part for part in (
                source.outlet, str(source.published) if source.published else None,
                f"“{source.headline}”" if source.headline else None) if part)
            where = source.url or source.file
            self.line(f"[{source.number}] {source.key}" + (f": {about}" if about else "")
                      + f" ({where})", indent=2, hanging=4)


def _when(value: PartialDate | None) -> str:
    return str(value) if value is not None else "undated"


def _on(value: PartialDate | None) -> str:
    """", 2024-01" or ", date unknown": the date part of a fact's line."""
    return f", {value}" if value is not None else ", date unknown"


def _penalty_text(penalty: PenaltyFact) -> str:
    # A sentence's terms are all "imposed": the word adds nothing there.
    words = [penalty.kind] if penalty.level == "sentence" else [penalty.bound, penalty.kind]
    if penalty.amount is not None:
        words.append(penalty.amount.text)
    flags = [flag for flag, on in (("suspended", penalty.suspended),
                                   ("unsupervised", penalty.unsupervised)) if on]
    text = " ".join(words) + (f" ({', '.join(flags)})" if flags else "")
    origin = {"offense": "by law", "charge": "for this charge", "sentence": ""}[penalty.level]
    return f"{text}, {origin}" if origin else text


def write_profile_text(profile: Profile, out: TextIO, width: int = 80) -> None:
    """A person's profile as readable text: sections, one fact a line, [n] references."""
    w = _Writer(out, width, profile.sources)
    out.write(profile.name + "\n")
    if profile.aliases:
        w.line("also written: " + ", ".join(profile.aliases), indent=2)

    w.heading("Roles")
    if not profile.roles:
        w.line("none recorded", indent=2)
    for role in profile.roles:
        w.fact(f"{role.case}: {role.role}" + (f" ({role.title})" if role.title else ""),
               role.cited, indent=2, hanging=4)

    w.heading(f"Charges ({len(profile.charges)})" if profile.charges else "Charges")
    if not profile.charges:
        w.line("none recorded", indent=2)
    for number, charge in enumerate(profile.charges, 1):
        _write_charge(w, number, charge)

    by = profile.statements_by
    w.heading(f"Statements by {profile.name} ({len(by)})")
    if not by:
        w.line("none recorded", indent=2)
    for statement in by:
        about = f"about {statement.about}" if statement.about else "about the case"
        _write_statement(w, [_when(statement.said), about], statement)

    about = profile.statements_about
    w.heading(f"Statements about {profile.name} by others ({len(about)})")
    if not about:
        w.line("none recorded", indent=2)
    for statement in about:
        _write_statement(w, [_when(statement.said), statement.speaker], statement)

    w.sources(profile.sources)


def _write_charge(w: _Writer, number: int, charge: ChargeFact) -> None:
    what = charge.offense
    if charge.counts:
        what += f", {charge.counts} count{'s' if charge.counts != 1 else ''}"
    if charge.offense_class:
        what += f" ({charge.offense_class})"
    if charge.enhancements:
        what += "; enhancement: " + ", ".join(charge.enhancements)
    w.fact(f"{number}. {what}", charge.cited, indent=2, hanging=5)
    state = [charge.case]
    state += [part for part in (charge.jurisdiction, charge.statute) if part]
    state.append(f"filed {_when(charge.filed)}")
    if charge.closed:
        state.append(f"closed {charge.closed}")
    state.append(f"status {charge.status or 'unknown'}")
    w.line(" · ".join(state), indent=5, hanging=4)
    for status in charge.statuses:
        since = f" from {status.date}" if status.date else " (date unknown)"
        w.fact(f"status: {status.status}{since}", status.cited, indent=5, hanging=4)
    if not charge.pleas:
        w.line("plea: none recorded", indent=5)
    for plea in charge.pleas:
        text = f"plea: {plea.plea}{_on(plea.entered)}"
        if plea.agreement:
            text += ", in a plea agreement"
        w.fact(text, plea.cited, indent=5, hanging=4)
    if not charge.verdicts:
        w.line("verdict: none recorded", indent=5)
    for verdict in charge.verdicts:
        by = f" by {verdict.decided_by}" if verdict.decided_by else ""
        w.fact(f"verdict: {verdict.outcome}{by}{_on(verdict.decided)}", verdict.cited,
               indent=5, hanging=4)
    if not charge.sentences:
        w.line("sentence: none recorded", indent=5)
    for sentence in charge.sentences:
        w.fact(f"sentence: {sentence.summary or 'its terms follow'}{_on(sentence.imposed)}",
               sentence.cited, indent=5, hanging=4)
        for penalty in sentence.penalties:
            w.fact(f"term: {_penalty_text(penalty)}", penalty.cited, indent=7, hanging=4)
    for penalty in charge.penalties:
        w.fact(f"penalty: {_penalty_text(penalty)}", penalty.cited, indent=5, hanging=4)


def _write_statement(w: _Writer, head: list[str], statement: StatementFact) -> None:
    parts = head + [p for p in (statement.stance, statement.medium) if p]
    w.line(" · ".join(parts), indent=2, hanging=4)
    w.fact(f"“{statement.quote}”", statement.cited, indent=4, hanging=1)


def write_timeline_text(timeline: Timeline, out: TextIO, width: int = 80) -> None:
    """A case's events as readable text: date, kind, description and [n] references."""
    w = _Writer(out, width, timeline.sources)
    out.write(timeline.case + "\n")
    details = []
    if timeline.aliases:
        details.append("also called " + ", ".join(timeline.aliases))
    details += [part for part in (timeline.jurisdiction, timeline.venue) if part]
    if details:
        w.line(" · ".join(details), indent=2)
    w.heading(f"Events ({len(timeline.events)})" if timeline.events else "Events")
    if not timeline.events:
        w.line("none recorded", indent=2)
    date_width = max((len(_when(e.date)) for e in timeline.events), default=0)
    kind_width = max((len(e.kind) for e in timeline.events), default=0)
    # A narrow terminal keeps the kind on the date's line and wraps the rest under it.
    hanging = date_width + kind_width + 4 if w.width - date_width - kind_width > 36 else 4
    for event in timeline.events:
        w.fact(f"{_when(event.date):<{date_width}}  {event.kind:<{kind_width}}  "
               f"{event.description}", event.cited, indent=2, hanging=hanging)
    w.sources(timeline.sources)
