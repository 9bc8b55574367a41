"""Names of people, cases and offenses: how a query matches them, and what it says of a name
that matches nobody.

A person matches by their name, any other spelling the sources use (an alias) or their id in
the curated data, ignoring letter case (through the indexed `*_folded` columns); a case by its
title, an alias or its id; an offense by its name (a text field compares it: the check of a
query's names says when no offense has it). This module is the one place that says so in SQL: queries use
`named_ids`, the check of a query's names `known`, and `profile` / `timeline` find their
person or case through a query of the language, which comes here too.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Any

from casekb.lang.patterns import LIKE_ESCAPE, contains_pattern

SUGGESTIONS = 5


@dataclass(frozen=True)
class NamedTables:
    """Where the names of one kind live."""

    main: str  # the table of the people (or cases)
    folded: str  # its casefolded name column
    shown: str  # its name column
    aliases: str | None  # the table of other spellings (None: matched by its name alone)
    owner: str | None  # the alias table's column naming its person (or case)
    plural: str
    listing: str | None = None  # the query that lists the names (None: the plural)


NAMED = {
    "person": NamedTables("people", "name_folded", "name", "person_aliases", "person_id",
                          "people"),
    "case": NamedTables("cases", "title_folded", "title", "case_aliases", "case_id", "cases"),
    "offense": NamedTables("offenses", "name_folded", "name", None, None, "offenses",
                           "count charges by offense"),
}


def _tables(kind: str):
    from casekb.schema.tables import table

    named = NAMED[kind]
    return named, table(named.main), None if named.aliases is None else table(named.aliases)


def named_ids(kind: str, op: str, params: list[Any]):
    """The ids of the people (or cases) one of `params` names: folded names (`=`, `in`), or a
    LIKE pattern of a folded name (`~`, one param). The curated id matches too, but not by
    `~`: ids are for pointing at one record. An id may come twice; every use (`IN`, `EXISTS`)
    is the same without the duplicates, and UNION ALL lets EXISTS stop at the first id found
    (UNION sorted out all 1,448 cases of the commonest title first: 0.18 ms, not 0.003, on
    SQLite at 100,000 cases)."""
    from sqlalchemy import select, union_all

    named, main, aliases = _tables(kind)
    folded = main.c[named.folded]
    if aliases is None:  # an offense: its name only, as the test that compares it
        return select(main.c.id).where(folded == params[0] if len(params) == 1
                                       else folded.in_(params)).correlate(None)
    alias_folded = aliases.c.alias_folded
    if op == "~":
        pattern = params[0]
        return union_all(select(main.c.id).where(folded.like(pattern, escape=LIKE_ESCAPE))
                     .correlate(None),
                     select(aliases.c[named.owner])
                     .where(alias_folded.like(pattern, escape=LIKE_ESCAPE)).correlate(None))

    def matching(column):
        return column == params[0] if len(params) == 1 else column.in_(params)

    return union_all(select(main.c.id).where(matching(folded)).correlate(None),
                 select(aliases.c[named.owner]).where(matching(alias_folded)).correlate(None),
                 select(main.c.id).where(matching(main.c.key)).correlate(None))


def known(checks: list[tuple[str, Any]]):
    """One row: for each (kind, param of a folded name), whether anyone has that name."""
    from sqlalchemy import exists, select

    return select(*(exists(named_ids(kind, "=", [param])).label(f"known_{number}")
                    for number, (kind, param) in enumerate(checks)))


# -- a name nobody has --------------------------------------------------------------------

def suggestion(rows, kind: str, wanted: str) -> str:
    """"did you mean ...?" for the closest spelling, else the names containing `wanted`, else
    how to list the names. `rows(statement)` runs a statement on the store, giving its rows.

    Close spellings are looked for among those that begin like `wanted` (an index range, so
    a store of any size answers at once); a typo in the first two letters is not caught."""
    from sqlalchemy import bindparam, select, union

    named, main, aliases = _tables(kind)
    shown, folded_column = main.c[named.shown], main.c[named.folded]
    folded = wanted.casefold()
    low = bindparam("low", folded[:2])
    high = bindparam("high", folded[:2] + "\U0010ffff")
    pattern = bindparam("pattern", contains_pattern(folded))
    spellings = [select(shown.label("spelling"), shown.label("owner"))
                 .where(folded_column >= low, folded_column < high)]
    containing = [select(shown.label("owner")).where(folded_column.like(pattern,
                                                                        escape=LIKE_ESCAPE))]
    if aliases is not None:
        owner = aliases.c[named.owner]
        spellings.append(select(aliases.c.alias, shown).join_from(aliases, main, main.c.id == owner)
                         .where(aliases.c.alias_folded >= low, aliases.c.alias_folded < high))
        containing.append(select(shown).join_from(aliases, main, main.c.id == owner)
                          .where(aliases.c.alias_folded.like(pattern, escape=LIKE_ESCAPE)))
    alike = rows(union(*spellings))
    owners = {spelling.casefold(): (spelling, name) for spelling, name in alike}
    close = difflib.get_close_matches(folded, list(owners), n=1, cutoff=0.6)
    if close:
        spelling, name = owners[close[0]]
        if name != spelling:
            return f"did you mean “{name}” (also written “{spelling}”)?"
        return f"did you mean “{name}”?"
    containing = [name for (name,) in rows(union(*containing).order_by("owner")
                                           .limit(SUGGESTIONS + 1))]
    if containing:
        more = ", ..." if len(containing) > SUGGESTIONS else ""
        return ("names containing it: " + ", ".join(f"“{n}”" for n in containing[:SUGGESTIONS])
                + more)
    return f"list the known names with: casekb query {named.listing or named.plural}"
