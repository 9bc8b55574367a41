"""What a profile and a timeline hold, as plain data: facts with their citations.

Built by casekb/profiles/profile.py and timeline.py, written for people by text.py, and as JSON
by `to_json()`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casekb.dates import PartialDate
from casekb.quantities import Quantity


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
