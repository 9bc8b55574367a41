"""A case's timeline: its events in date order, each with the articles behind it.

`build_timeline(kb, "Rust")` finds the case as a query does (its title, another name, or its
id) and asks the language for its events with their sources. Without a name it takes the
store's only case, and names some cases when the store holds several.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casekb.errors import QueryError
from casekb.plan.names import SUGGESTIONS
from casekb.profiles.asking import ask
from casekb.profiles.data import Citation, EventFact, Timeline
from casekb.profiles.profile import find_one, sources_of

if TYPE_CHECKING:
    from casekb.kb import KB


def build_timeline(kb: KB, case: str | None = None) -> Timeline:
    """The events of the case called `case` (or known by it) in date order. Without a name,
    the store's only case; QueryError naming some cases when it holds several."""
    if case is not None:
        key, _ = find_one(kb, "cases", "title", case, "case")
    else:
        cases = ask(kb, "cases", ("id", "title"), order=("title",))
        if len(cases.rows) != 1:
            if not cases.rows:
                raise QueryError("the store holds no cases")
            titles = [title for _, title in cases.rows[:SUGGESTIONS]]
            raise QueryError(f"the store holds {len(cases.rows)} cases; name the one you want",
                             hints=[f"e.g. timeline “{titles[0]}”; cases: "
                                    + ", ".join(f"“{title}”" for title in titles)
                                    + (", ..." if len(cases.rows) > len(titles) else "")])
        key = cases.rows[0][0]
    head = ask(kb, "cases", ("title", "aliases", "jurisdiction", "venue"),
               where=(("title", "=", (key,)),)).rows[0]
    events = ask(kb, "events", ("date", "kind", "stage", "description"),
                 where=(("case", "=", (key,)),), sources=True)
    cited = [[Citation(item.source, item.quote) for item in evidence]
             for evidence in events.evidence]
    facts = [EventFact(date, kind, stage, description, citations, marks)
             for (date, kind, stage, description), citations, marks
             in zip(events.rows, cited, events.marks)]
    title, aliases, jurisdiction, venue = head
    return Timeline(title, list(aliases), jurisdiction, venue, facts, sources_of(kb, cited))
