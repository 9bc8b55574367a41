"""The tables of one level of a query: its base table and the joins its fields ask for.

`scope["alias"]` returns the table (or alias) and marks its join as needed; `from_clause`
joins exactly the needed tables, in the order the registry declares them. Tables are looked
up by name in casekb/schema/tables.py.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from casekb.lang.fields import Join, Related
from casekb.schema.tables import table


class Scope:
    """The tables of one query level: the base table and the joins its fields asked for.

    `scope["alias"]` returns the table (or alias) and marks its join as needed; `from_clause`
    joins exactly the needed tables, in the order the registry declares them.
    """

    def __init__(self, base: Any, joins: tuple[Join, ...] = (), base_name: str | None = None):
        if isinstance(base, str):
            base = table(base)
        self.base_name = base_name or base.name
        self.base = base
        self.joins = {join.alias: join for join in joins}
        self.tables: dict[str, Any] = {}
        self.needed: list[str] = []
        # The aliases the WHERE clause reads (see `filtering`): joined inner, not outer.
        self.filtered: set[str] | None = None
        self.inner: set[str] = set()

    def filtering(self, build: Callable[[], Any]) -> Any:
        """`build()`, noting the tables it reads as tables to join inner.

        A join over a required key (registry.Join, not `outer`) gives the same rows inner or
        outer; the choice steers the planner. SQLite never moves the table of a LEFT JOIN
        ahead of the base table, so an index of the base table can serve an `order by ...
        limit` (`charges order by filed limit 20` on 100k cases: 3 s driven from `offenses`,
        sorting every charge, against 5 ms). But a table the WHERE clause tests should be free
        to lead, and SQLite does not always turn such a LEFT JOIN into an inner one itself
        (`x IN (sub-query)` on the joined table: pleas of a defendant, 1 ms against 54 ms).
        """
        built, read = self._noting(build)
        self.inner |= read
        return built

    def _noting(self, build: Callable[[], Any]) -> tuple[Any, set[str]]:
        """`build()`, and the aliases it read."""
        self.filtered = set()
        try:
            return build(), self.filtered
        finally:
            self.filtered = None

    def __getitem__(self, alias: str):
        if self.filtered is not None:
            self.filtered.add(alias)
        if alias == self.base_name:
            return self.base
        if alias not in self.tables:
            join = self.joins.get(alias)
            if join is None:
                raise KeyError(f"no table {alias!r} in this scope")  # a registry bug
            joined = table(join.table)
            self.tables[alias] = joined if join.table == alias else joined.alias(alias)
            self.needed.append(alias)
        return self.tables[alias]

    def _with_what_they_join_on(self, aliases: set[str]) -> set[str]:
        """`aliases`, with every joined table their ON clauses name, and theirs, and so on."""
        closed = {alias for alias in aliases if alias in self.joins}
        pending = list(closed)
        while pending:
            alias = pending.pop()
            _, named = self._noting(partial(self.joins[alias].on, self))
            fresh = {name for name in named if name in self.joins} - closed
            closed |= fresh
            pending.extend(fresh)
        return closed

    @classmethod
    def related(cls, access: Related) -> Scope:
        """The scope of a sub-query reading the related rows of a field of several values."""
        return cls(table(access.table).alias(access.alias), access.joins, access.alias)

    def objects(self) -> list[Any]:
        """Every table object of this scope (for correlating sub-queries)."""
        return [self.base, *self.tables.values()]

    def from_clause(self):
        # A join's ON clause may name earlier joins: ask for them until nothing new appears.
        done: set[str] = set()
        while set(self.needed) - done:
            for alias in list(self.needed):
                if alias not in done:
                    done.add(alias)
                    self.joins[alias].on(self)
        inner = self._with_what_they_join_on(self.inner)
        clause = self.base
        for alias, join in self.joins.items():
            if alias in self.tables:
                # A join over a required key (not join.outer) is outer all the same, unless
                # the WHERE clause reads it: see `filtering`.
                clause = clause.join(self.tables[alias], join.on(self),
                                     isouter=join.outer or alias not in inner)
        return clause
