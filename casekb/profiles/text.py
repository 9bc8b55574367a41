"""Profiles and timelines written for people: sections, one fact a line, and numbered
references ([1], [2]) into the list of sources at the end; or as one JSON object. A value no
source states carries its mark in brackets, as in a query's table: "filed 2024-01 [inferred]".
"""

from __future__ import annotations

import json
import textwrap
from typing import TextIO

from casekb.dates import PartialDate
from casekb.profiles.data import (
    ChargeFact,
    Citation,
    PenaltyFact,
    Profile,
    SourceInfo,
    StatementFact,
    Timeline,
)

TEXT_WIDTH = 100  # the widest line the text views write, even on a wider terminal


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


def _marked(fact, field: str, text: str) -> str:
    """`text` (a value of `fact`) with the mark of `field` beside it, if it has one."""
    words = fact.marks.get(field)
    return f"{text} [{words}]" if words else text


def _when(value: PartialDate | None, fact=None, field: str = "date") -> str:
    text = str(value) if value is not None else "undated"
    return _marked(fact, field, text) if fact is not None else text


def _on(value: PartialDate | None, fact=None, field: str = "") -> str:
    """", 2024-01" or ", date unknown": the date part of a fact's line."""
    if value is None:
        return ", date unknown"
    return ", " + (_marked(fact, field, str(value)) if fact is not None else str(value))


def _penalty_text(penalty: PenaltyFact) -> str:
    # A sentence's terms are all "imposed": the word adds nothing there.
    words = ([_marked(penalty, "kind", penalty.kind)] if penalty.level == "sentence" else
             [_marked(penalty, "bound", penalty.bound), _marked(penalty, "kind", penalty.kind)])
    if penalty.amount is not None:
        words.append(_marked(penalty, "amount", penalty.amount.text))
    flags = [flag for flag, on in (("suspended", penalty.suspended),
                                   ("unsupervised", penalty.unsupervised),
                                   ("mandatory", penalty.mandatory)) if on]
    text = " ".join(words) + (f" ({', '.join(flags)})" if flags else "")
    origin = {"offense": "by law", "charge": "for this charge",
              "enhancement": "for its enhancement", "sentence": ""}[penalty.level]
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
        title = f" ({_marked(role, 'title', role.title)})" if role.title else ""
        w.fact(f"{role.case}: {_marked(role, 'role', role.role)}{title}", role.cited, indent=2,
               hanging=4)

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
        about = (f"about {', '.join(statement.about)}" if statement.about
                 else "about the case")
        _write_statement(w, [_when(statement.said, statement), about], statement)

    about = profile.statements_about
    w.heading(f"Statements about {profile.name} by others ({len(about)})")
    if not about:
        w.line("none recorded", indent=2)
    for statement in about:
        _write_statement(w, [_when(statement.said, statement), statement.speaker], statement)

    w.sources(profile.sources)


def _write_charge(w: _Writer, number: int, charge: ChargeFact) -> None:
    what = charge.offense
    if charge.counts:
        what += ", " + _marked(charge, "counts",
                               f"{charge.counts} count{'s' if charge.counts != 1 else ''}")
    if charge.offense_class:
        what += f" ({charge.offense_class})"
    if charge.enhancements:
        what += "; enhancement: " + ", ".join(charge.enhancements)
    w.fact(f"{number}. {what}", charge.cited, indent=2, hanging=5)
    state = [charge.case]
    state += [part for part in (charge.jurisdiction, charge.statute) if part]
    # The date of a charge is that of its stage: when it was filed, or announced.
    stage = _marked(charge, "stage", charge.stage)
    state.append(f"{stage} {_when(charge.filed, charge, 'filed')}")
    if charge.closed:
        state.append(f"closed {_when(charge.closed, charge, 'closed')}")
    state.append(f"status {charge.status or 'unknown'}")
    if charge.replaces:
        state.append(f"replaces {charge.replaces}")
    if charge.replaced_by:
        state.append("replaced by " + ", ".join(charge.replaced_by))
    w.line(" · ".join(state), indent=5, hanging=4)
    for status in charge.statuses:
        since = (f" from {_when(status.date, status)}" if status.date else " (date unknown)")
        w.fact(f"status: {_marked(status, 'status', str(status.status))}{since}", status.cited,
               indent=5, hanging=4)
    if not charge.pleas:
        w.line("plea: none recorded", indent=5)
    for plea in charge.pleas:
        text = (f"plea: {_marked(plea, 'plea', plea.plea)}, {_marked(plea, 'stage', plea.stage)}"
                f"{_on(plea.entered, plea, 'entered')}")
        if plea.agreement:
            text += ", in a plea agreement"
        w.fact(text, plea.cited, indent=5, hanging=4)
    if not charge.verdicts:
        w.line("verdict: none recorded", indent=5)
    for verdict in charge.verdicts:
        by = f" by {_marked(verdict, 'by', verdict.decided_by)}" if verdict.decided_by else ""
        found = f": “{verdict.findings}”" if verdict.findings else ""
        w.fact(f"verdict: {_marked(verdict, 'outcome', verdict.outcome)}{by}"
               f"{_on(verdict.decided, verdict, 'decided')}{found}", verdict.cited,
               indent=5, hanging=4)
    if not charge.sentences:
        w.line("sentence: none recorded", indent=5)
    for sentence in charge.sentences:
        w.fact(f"sentence ({_marked(sentence, 'stage', sentence.stage)}): "
               f"{sentence.summary or 'its terms follow'}"
               f"{_on(sentence.imposed, sentence, 'imposed')}",
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
    dates = [_when(e.date, e) for e in timeline.events]
    kinds = [e.kind if e.stage == "held" else f"{e.kind} ({e.stage})" for e in timeline.events]
    date_width = max(map(len, dates), default=0)
    kind_width = max(map(len, kinds), default=0)
    # A narrow terminal keeps the kind on the date's line and wraps the rest under it.
    hanging = date_width + kind_width + 4 if w.width - date_width - kind_width > 36 else 4
    for event, when, kind in zip(timeline.events, dates, kinds):
        w.fact(f"{when:<{date_width}}  {kind:<{kind_width}}  {event.description}",
               event.cited, indent=2, hanging=hanging)
    w.sources(timeline.sources)
