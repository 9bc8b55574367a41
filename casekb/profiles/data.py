"""What a profile and a timeline hold, as plain data: facts with their citations.

Built by casekb/profiles/profile.py and timeline.py, written for people by text.py, and as JSON
by `to_json()`. Each fact's `marks` says which of its values no source states, as a query's
result does ({"filed": "latest derived"}).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from casekb.dates import PartialDate
from casekb.execute.results import LastReported, json_value
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
                "headline": self.headline, "published": json_value(self.published),
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
    marks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"case": self.case, "role": self.role, "title": self.title,
                "marks": self.marks, "sources": _cited_json(self.cited)}


@dataclass
class PenaltyFact:
    """A penalty: a statutory bound of the offense (level "offense"), of the charge
    ("charge") or of one of its enhancements ("enhancement"), or a term of a sentence
    ("sentence")."""

    kind: str
    bound: str
    amount: Quantity | None
    suspended: bool
    unsupervised: bool
    level: str
    mandatory: bool | None = None
    cited: list[Citation] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"kind": self.kind, "bound": self.bound,
                "amount": self.amount.to_json() if self.amount else None,
                "suspended": self.suspended, "unsupervised": self.unsupervised,
                "mandatory": self.mandatory, "level": self.level, "marks": self.marks,
                "sources": _cited_json(self.cited)}


@dataclass
class StatusFact:
    status: LastReported
    date: PartialDate | None
    cited: list[Citation] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"status": self.status.value,
                "reported": json_value(self.status.reported),
                "date": json_value(self.date), "marks": self.marks,
                "sources": _cited_json(self.cited)}


@dataclass
class PleaFact:
    plea: str
    stage: str
    entered: PartialDate | None
    agreement: bool | None
    cited: list[Citation] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"plea": self.plea, "stage": self.stage, "entered": json_value(self.entered),
                "agreement": self.agreement, "marks": self.marks,
                "sources": _cited_json(self.cited)}


@dataclass
class VerdictFact:
    outcome: str
    decided: PartialDate | None
    decided_by: str | None
    findings: str | None = None
    cited: list[Citation] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"outcome": self.outcome, "decided": json_value(self.decided),
                "by": self.decided_by, "findings": self.findings, "marks": self.marks,
                "sources": _cited_json(self.cited)}


@dataclass
class SentenceFact:
    stage: str
    imposed: PartialDate | None
    summary: str | None
    penalties: list[PenaltyFact] = field(default_factory=list)
    cited: list[Citation] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"stage": self.stage, "imposed": json_value(self.imposed),
                "summary": self.summary, "penalties": [p.to_json() for p in self.penalties],
                "marks": self.marks, "sources": _cited_json(self.cited)}


@dataclass
class ChargeFact:
    """A charge with everything that happened to it."""

    case: str
    offense: str
    jurisdiction: str | None
    offense_class: str | None
    statute: str | None
    counts: int | None
    stage: str
    filed: PartialDate | None
    closed: PartialDate | None
    status: LastReported | None
    key: str = ""
    replaces: str | None = None
    replaced_by: tuple[str, ...] = ()
    enhancements: list[str] = field(default_factory=list)
    statuses: list[StatusFact] = field(default_factory=list)
    pleas: list[PleaFact] = field(default_factory=list)
    verdicts: list[VerdictFact] = field(default_factory=list)
    sentences: list[SentenceFact] = field(default_factory=list)
    penalties: list[PenaltyFact] = field(default_factory=list)  # the charge's and the law's
    cited: list[Citation] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"id": self.key, "case": self.case, "offense": self.offense,
                "jurisdiction": self.jurisdiction, "class": self.offense_class,
                "statute": self.statute, "counts": self.counts, "stage": self.stage,
                "filed": json_value(self.filed), "closed": json_value(self.closed),
                "status": None if self.status is None else self.status.to_json(),
                "replaces": self.replaces, "replaced_by": list(self.replaced_by),
                "enhancements": self.enhancements, "marks": self.marks,
                "status_history": [s.to_json() for s in self.statuses],
                "pleas": [p.to_json() for p in self.pleas],
                "verdicts": [v.to_json() for v in self.verdicts],
                "sentences": [s.to_json() for s in self.sentences],
                "penalties": [p.to_json() for p in self.penalties],
                "sources": _cited_json(self.cited)}


@dataclass
class StatementFact:
    speaker: str
    about: tuple[str, ...]
    said: PartialDate | None
    stance: str | None
    medium: str | None
    quote: str
    case: str
    cited: list[Citation] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"speaker": self.speaker, "about": list(self.about),
                "date": json_value(self.said), "stance": self.stance, "medium": self.medium,
                "quote": self.quote, "case": self.case, "marks": self.marks,
                "sources": _cited_json(self.cited)}


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
    stage: str
    description: str
    cited: list[Citation] = field(default_factory=list)
    marks: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict:
        return {"date": json_value(self.date), "kind": self.kind, "stage": self.stage,
                "description": self.description, "marks": self.marks,
                "sources": _cited_json(self.cited)}


@dataclass
class Timeline:
    """A case's events in date order: by the first day each may be, then the last (so an
    event known to follow another comes after it); undated events last."""

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


def _cited_json(cited: list[Citation]) -> list[dict]:
    return [c.to_json() for c in cited]
