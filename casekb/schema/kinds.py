"""Which record kind fills which table of facts: the kind -> table map, once.

An `alias` record goes to `person_aliases` or `case_aliases` by its owner; every other kind
has one table. A dispute names its claims "kind:id", as the curated data does, whichever
table holds them.
"""

from __future__ import annotations

from functools import cache


@cache
def fact_tables() -> tuple[tuple[str, str], ...]:
    """(kind, table) of every table whose rows are facts with evidence, in the kinds' order."""
    from casekb.curation import spec

    pairs = []
    for kind in spec.KINDS:
        if not kind.has_evidence:
            continue
        if kind.kind == "alias":
            pairs += [("alias", "person_aliases"), ("alias", "case_aliases")]
        else:
            pairs.append((kind.kind, kind.table))
    return tuple(pairs)


def kind_of_table(table: str) -> str | None:
    """The record kind whose records fill `table`, or None."""
    return next((kind for kind, name in fact_tables() if name == table), None)
