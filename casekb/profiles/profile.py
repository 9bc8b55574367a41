"""A person's profile: everything the store holds about them, with the sources of each fact.

`build_profile(kb, "Alec Baldwin")` asks the language (casekb/profiles/asking.py) a fixed
handful of questions, one per kind of fact, each keyed by the person's curated id: their
roles, each charge against them with its status history, pleas, verdicts, sentences and
penalties, the statements they made and those made about them, and the articles all of it
comes from. The person is found as a query finds them (their name, any other spelling, or
their id); a name nobody has is an UnknownNameError naming the nearest ones, and a name two
people share asks for the id of the one meant.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

from casekb.errors import QueryError
from casekb.plan.names import NAMED, SUGGESTIONS
from casekb.profiles.asking import ask
from casekb.profiles.data import (
    ChargeFact,
    Citation,
    PenaltyFact,
    PleaFact,
    Profile,
    RoleFact,
    SentenceFact,
    SourceInfo,
    StatementFact,
    StatusFact,
    VerdictFact,
)

if TYPE_CHECKING:
    from casekb.execute.results import QueryResult
    from casekb.kb import KB


def build_profile(kb: KB, name: str) -> Profile:
    """Everything about the person called `name` (or known by it, or whose id it is)."""
    key, shown = find_one(kb, "people", "name", name, "person")
    person = ("defendant", "=", (key,))
    aliases = ask(kb, "people", ("aliases",), where=(("name", "=", (key,)),)).rows[0][0]
    cited: list[list[Citation]] = []  # every citation list, to number the sources after

    def facts(result: QueryResult) -> list[tuple[dict, list[Citation], dict[str, str]]]:
        rows = []
        marks = result.marks or [{} for _ in result.rows]
        for row, evidence, marked in zip(result.dicts(), result.evidence, marks):
            citations = [Citation(item.source, item.quote) for item in evidence]
            cited.append(citations)
            rows.append((row, citations, marked))
        return rows

    roles = [RoleFact(row["case"], row["role"], row["title"], citations, marks)
             for row, citations, marks in facts(ask(kb, "roles", ("case", "role", "title"),
                                                    where=(("person", "=", (key,)),),
                                                    order=("case",), sources=True))]
    charges = _charges(kb, person, facts)
    statements = facts(ask(kb, "statements", ("speaker", "about", "date", "stance", "medium",
                                              "quote", "case", "id"),
                           where=(("speaker", "=", (key,)), ("about", "=", (key,))),
                           any_of=True, sources=True))
    by, about = [], []
    for row, citations, marks in statements:
        fact = StatementFact(row["speaker"], row["about"], row["date"], row["stance"],
                             row["medium"], row["quote"], row["case"], citations, marks)
        (by if row["speaker"] == shown else about).append(fact)
    return Profile(name=shown, aliases=list(aliases), roles=roles, charges=charges,
                   statements_by=by, statements_about=about, sources=sources_of(kb, cited))


def _charges(kb: KB, person: tuple, facts) -> list[ChargeFact]:
    charges: dict[str, ChargeFact] = {}
    offense_of: dict[str, tuple] = {}
    for row, citations, marks in facts(ask(
            kb, "charges", ("id", "case", "offense", "jurisdiction", "class", "statute",
                            "counts", "enhancement", "stage", "filed", "closed", "status",
                            "replaces", "replaced_by"),
            where=(person,), order=("case", "filed", "offense"), sources=True)):
        charges[row["id"]] = ChargeFact(
            case=row["case"], offense=row["offense"], jurisdiction=row["jurisdiction"],
            offense_class=row["class"], statute=row["statute"], counts=row["counts"],
            stage=row["stage"], filed=row["filed"], closed=row["closed"], status=row["status"],
            key=row["id"], replaces=row["replaces"], replaced_by=row["replaced_by"],
            enhancements=list(row["enhancement"]), cited=citations, marks=marks)
        offense_of[row["id"]] = (row["offense"], row["jurisdiction"])
    if not charges:
        return []
    for row, citations, marks in facts(ask(kb, "statuses", ("charge", "status", "date"),
                                           where=(person,), order=("date",), sources=True)):
        charges[row["charge"]].statuses.append(
            StatusFact(row["status"], row["date"], citations, marks))
    for row, citations, marks in facts(ask(kb, "pleas", ("charge", "plea", "stage", "entered",
                                                         "agreement"),
                                           where=(person,), sources=True)):
        charges[row["charge"]].pleas.append(
            PleaFact(row["plea"], row["stage"], row["entered"], row["agreement"], citations,
                     marks))
    for row, citations, marks in facts(ask(kb, "verdicts", ("charge", "outcome", "decided",
                                                            "by", "findings"),
                                           where=(person,), sources=True)):
        charges[row["charge"]].verdicts.append(
            VerdictFact(row["outcome"], row["decided"], row["by"], row["findings"], citations,
                        marks))
    sentences: dict[str, SentenceFact] = {}
    for row, citations, marks in facts(ask(kb, "sentences", ("id", "charge", "stage",
                                                             "imposed", "summary"),
                                           where=(person,), sources=True)):
        sentences[row["id"]] = SentenceFact(row["stage"], row["imposed"], row["summary"],
                                            cited=citations, marks=marks)
        charges[row["charge"]].sentences.append(sentences[row["id"]])
    # The penalties of the charges, their enhancements and sentences, and the statutory
    # bounds of their offenses (which belong to no defendant).
    shown = ("charge", "sentence", "offense", "jurisdiction", "kind", "bound", "amount",
             "suspended", "unsupervised", "mandatory", "level")
    of_person = ask(kb, "penalties", shown, where=(person,),
                    order=("bound", "kind", "id"), sources=True)
    of_law = ask(kb, "penalties", shown,
                 where=(("level", "=", ("offense",)),
                        ("offense", "in", tuple({name for name, _ in offense_of.values()}))),
                 order=("bound", "kind", "id"), sources=True)
    by_offense: dict[tuple, list[PenaltyFact]] = defaultdict(list)
    for row, citations, marks in facts(of_person) + facts(of_law):
        penalty = PenaltyFact(row["kind"], row["bound"], row["amount"], bool(row["suspended"]),
                              bool(row["unsupervised"]), row["level"], row["mandatory"],
                              citations, marks)
        if row["level"] == "sentence":
            sentences[row["sentence"]].penalties.append(penalty)
        elif row["level"] in ("charge", "enhancement"):
            charges[row["charge"]].penalties.append(penalty)
        else:
            by_offense[row["offense"], row["jurisdiction"]].append(penalty)
    for key, charge in charges.items():
        charge.penalties.extend(by_offense.get(offense_of[key], ()))
    return list(charges.values())


def find_one(kb: KB, entity: str, field: str, name: str, kind: str) -> tuple[str, str]:
    """The (id, name) of the one person (or case) called `name`, known by it, or whose id it
    is. UnknownNameError (from the language's check of names) when nobody is; QueryError
    naming them when several are, since their ids tell them apart. A name that is not text
    is a TypeError; one holding bytes that are not UTF-8 (a command-line argument's lone
    surrogates) or a NUL, which no store holds, is refused as the command line refuses it."""
    from casekb.arguments import text_of
    from casekb.inputs import text_argument

    text_of(name, f"the name of a {kind}")
    text_argument(name, "the name" if kind == "person" else "the case")
    wanted = " ".join(name.split())
    if not wanted:
        raise QueryError(f"give the name of a {kind}")
    shown = ("id", field) + (("role", "case") if kind == "person" else ())
    found = ask(kb, entity, shown, where=((field, "=", (wanted,)),), order=(field, "id"))
    if len(found.rows) == 1:
        return found.rows[0][0], found.rows[0][1]
    exact = [row for row in found.rows if row[0] == wanted]  # its id, though a namesake's
    if len(exact) == 1:  # name is that id too
        return exact[0][0], exact[0][1]
    listed = []
    for row in found.rows[:SUGGESTIONS]:
        known = f", {row[2][0]} in {row[3][0]}" if kind == "person" and row[2] and row[3] else ""
        listed.append(f"{row[0]} (“{row[1]}”{known})")
    more = ", ..." if len(found.rows) > SUGGESTIONS else ""
    raise QueryError(f"“{wanted}” could be several {NAMED[kind].plural}: "
                     + ", ".join(listed) + more,
                     hints=[f"give the id of the one you mean instead, e.g. {found.rows[0][0]}"])


def sources_of(kb: KB, cited: list[list[Citation]]) -> list[SourceInfo]:
    """The articles cited, numbered in order of publication (undated last)."""
    keys = sorted({citation.source for citations in cited for citation in citations})
    if not keys:
        return []
    result = ask(kb, "sources", ("id", "outlet", "headline", "published", "file", "url"),
                 where=(("id", "in", tuple(keys)),), order=("published", "id"))
    return [SourceInfo(key, outlet, headline, published, file, url, number)
            for number, (key, outlet, headline, published, file, url)
            in enumerate(result.rows, 1)]
