"""The library object: one store, and every way of asking it something.

    import casekb

    with casekb.open() as kb:                      # the default store; or a path, or a URL
        result = kb.query('charges where defendant = "Alec Baldwin" with sources')
        for row in result:                         # typed values: str, int, PartialDate...
            print(row)
        result.dicts()                             # [{column: value}, ...]
        result.to_json()                           # what `casekb query --format json` writes
        kb.explain('charges where filed >= 2024')  # the SQL that runs, and its parameters
        kb.sql('SELECT * FROM v_pleas WHERE defendant = :who', who='Dave Halls')
        kb.profile('Alec Baldwin'), kb.timeline('Rust'), kb.describe('charges')

The command line, the shell and reports are written on this object. A question of the
language goes text -> parse -> resolve (casekb/lang) -> plan (casekb/plan, from the cache of
plans when its shape was planned before) -> answer (casekb/execute) on the store's own driver
connection, held open for the life of the object. A text asked before, and a new text of a
mask asked before (the same words, other quoted values and numbers: casekb/plan/masked.py),
skip parsing and resolving: the parameters kept for the text, or its values cut out of it
and converted, are bound into the shape's plan.
A KB may be shared by threads: the statements on its driver connection take turns (a lock is
held around each use of it), and raw SQL (`sql`) runs on connections of its own.
Arguments a program passes are checked by casekb/arguments.py: a wrong type or value is a
TypeError or ValueError saying what is accepted.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from casekb.arguments import row_cap, text_of
from casekb.errors import QueryError, StoreError

if TYPE_CHECKING:
    from collections.abc import Mapping

    from sqlalchemy.engine import Engine

    from casekb.execute.results import Explanation, QueryResult
    from casekb.lang.describe import Description
    from casekb.lang.resolve import ResolvedQuery
    from casekb.plan.plan import Plan
    from casekb.profiles import Profile, Timeline

DEFAULT_CAP = 1000  # rows a query returns unless told otherwise (None: all)
DEFAULT_SQL_TIMEOUT = 10.0  # seconds `sql` may run
# How long `close` waits for a statement another thread runs before interrupting it.
CLOSE_WAIT_SECONDS = 5.0


class KB:
    """A casekb store, open for questions."""

    def __init__(self, db: str | os.PathLike | None = None):
        from casekb.store.location import locate

        self.location = locate(db)
        self._engine: Engine | None = None
        self._in_use: dict[int, Any] = {}  # driver connections a statement may be using
        self._running: set[Any] = set()  # the deadlines of raw SQL running now
        self._lock = threading.Lock()  # guards _in_use and _running, never held for long
        # Held around every statement on the driver connection, and its opening: one thread
        # at a time may use it. (sqlite3 holds SQLite's mutex while it calls back into Python
        # for lower(), which needs the GIL: two threads on one connection deadlocked for
        # good. psycopg's pipeline mode cannot be entered twice.) Reentrant, for the calls
        # that nest (a property that opens the store, inside a statement's turn).
        self._use = threading.RLock()
        # Opened when first needed, so that a bad question is said before a missing store.
        self._connection: Any = None
        self._meta: dict[str, str] | None = None
        self._closed = False

    # -- the store -------------------------------------------------------------------------

    @property
    def dialect(self) -> str:
        """"sqlite" or "postgresql"."""
        return "sqlite" if self.location.is_sqlite else "postgresql"

    def _open(self) -> tuple[Any, dict[str, str]]:
        if self.location.is_default:
            from casekb.build.default import ensure_default_store

            ensure_default_store(self.location.path)
        if self.location.is_sqlite:
            from casekb.store.open import open_sqlite

            return open_sqlite(self.location)
        from casekb.store import postgres
        from casekb.store.open import open_location, read_meta

        self._engine = open_location(self.location)
        self._watch(self._engine)
        meta = read_meta(self._engine, self.location)
        return postgres.driver_connection(self.location), meta

    @property
    def engine(self) -> Engine:
        """A SQLAlchemy engine on the store (made on first use), for code that speaks
        SQLAlchemy: raw SQL (`sql`), exports, builds' tools."""
        self.connection()  # the store is checked first (on a server, this opens the engine)
        engine = self._engine
        if engine is None:
            with self._use:  # made once, whoever asks first
                if self._engine is None:
                    from casekb.store.sqlite import sqlite_engine

                    self._engine = sqlite_engine(self.location.path)
                    self._watch(self._engine)
                engine = self._engine
        if engine is None:  # closed meanwhile
            raise StoreError("the store is closed")
        return engine

    @property
    def meta(self) -> dict[str, str]:
        """The store's facts about itself (schema version, build time, source folder...)."""
        self.connection()
        return self._meta

    @property
    def store_schema(self) -> str:
        """What the store records of its tables' shape (a key of the plans made for it)."""
        return f"{self.meta.get('schema_version')}:{self.meta.get('schema_hash')}"

    def close(self) -> None:
        """Close the store's connections (after the statement another thread runs on it, which
        is interrupted if it has not ended in CLOSE_WAIT_SECONDS)."""
        self._closed = True
        turn = self._use.acquire(timeout=CLOSE_WAIT_SECONDS)
        if not turn:
            self.interrupt()
            turn = self._use.acquire(timeout=CLOSE_WAIT_SECONDS)
        try:
            if self._connection is not None:
                self._connection.close()
                self._connection = None
            if self._engine is not None:
                self._engine.dispose()
                self._engine = None
        finally:
            if turn:
                self._use.release()

    def __enter__(self) -> KB:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def interrupt(self) -> None:
        """Stop the statements running now, from another thread (Ctrl-C in the shell): a
        question of the language, and raw SQL (`sql`, which then raises SQLInterrupted)."""
        with self._lock:
            connections = [self._connection, *self._in_use.values()]
            running = list(self._running)
        for deadline in running:  # raw SQL on SQLite looks at it as it runs
            deadline.interrupt()
        for connection in connections:
            stop = getattr(connection, "interrupt", None) or getattr(connection, "cancel", None)
            if stop is None:
                continue
            try:
                stop()
            except Exception:  # a connection already closed needs no stopping
                pass

    def _watch(self, engine: Engine) -> None:
        # The connections SQLAlchemy hands out (raw SQL), so that `interrupt` reaches them.
        from sqlalchemy import event

        def checked_out(dbapi_connection, record, proxy) -> None:
            with self._lock:
                self._in_use[id(dbapi_connection)] = dbapi_connection

        def checked_in(dbapi_connection, record) -> None:
            with self._lock:
                self._in_use.pop(id(dbapi_connection), None)

        event.listen(engine, "checkout", checked_out)
        event.listen(engine, "checkin", checked_in)

    def connection(self) -> Any:
        """The store's driver connection (sqlite3 or psycopg) the plans run on, opened and
        checked on first use (StoreError when the store cannot be used). The KB's methods
        take turns on it (a lock); a program that runs statements on it itself does so
        while no other thread asks the KB anything."""
        if self._closed:
            raise StoreError("the store is closed")
        connection = self._connection
        if connection is None:
            with self._use:  # opened once, whoever asks first
                if self._closed:
                    raise StoreError("the store is closed")
                if self._connection is None:
                    self._connection, self._meta = self._open()
                connection = self._connection
        return connection

    @contextmanager
    def _turn(self) -> Iterator[Any]:
        """The driver connection, this thread's alone while the block runs (see _use)."""
        with self._use:
            yield self.connection()

    # -- the query language ----------------------------------------------------------------

    def run(self, text: str, *, cap: int | None = DEFAULT_CAP
            ) -> QueryResult | Explanation | Description:
        """Answer one statement of the language: a query (its rows, at most `cap`), `explain
        QUERY` (its SQL) or `describe [ENTITY]` (the entities, or an entity's fields)."""
        text, cap = text_of(text, "a statement"), row_cap(cap)
        asked = self._asked_before(text, cap)
        if asked is not None:
            return asked
        from casekb.lang import ast
        from casekb.lang.parser import parse

        statement = parse(text)
        if isinstance(statement, ast.Describe):
            return self.describe(statement.entity, text=text)
        if isinstance(statement, ast.Explain):
            return self._explain(self._resolve(statement.query, text), text, cap)
        return self._answer(self._resolve(statement, text), text, cap)

    def query(self, text: str, *, cap: int | None = DEFAULT_CAP) -> QueryResult:
        """The rows of a query (at most `cap`; None: all). QueryError for a bad query,
        UnknownNameError for a name nobody in the store has."""
        text, cap = text_of(text, "a query"), row_cap(cap)
        asked = self._asked_before(text, cap)
        if asked is not None:
            return asked
        from casekb.lang import ast
        from casekb.lang.parser import parse

        statement = parse(text)
        if not isinstance(statement, ast.Query):
            raise _not_a_query(text, "give a query here, not `{}`")
        return self._answer(self._resolve(statement, text), text, cap)

    def explain(self, text: str, *, cap: int | None = DEFAULT_CAP) -> Explanation:
        """The SQL a query (or `explain QUERY`) runs on this store, and its parameters."""
        text, cap = text_of(text, "a query"), row_cap(cap)
        from casekb.lang import ast
        from casekb.lang.parser import parse

        statement = parse(text)
        if isinstance(statement, ast.Explain):
            statement = statement.query
        if not isinstance(statement, ast.Query):
            raise _not_a_query(text, "only a query can be explained, not `{}`")
        return self._explain(self._resolve(statement, text), text, cap)

    def plan(self, query: ResolvedQuery, *, capped: bool) -> Plan:
        """The plan of a resolved query on this store (from the cache of plans when its shape
        was planned before)."""
        return self._planned(query, capped)[1]

    def _planned(self, query: ResolvedQuery, capped: bool) -> tuple[str, Plan]:
        """The key of the query's plan, and the plan."""
        from casekb.plan.cache import plan_key, plans
        from casekb.plan.shape import shape_of

        def make() -> Plan:
            from casekb.plan.planner import make_plan

            return make_plan(query, self.dialect, capped=capped)

        key = plan_key(shape_of(query), self.dialect, capped, self.store_schema)
        return key, plans().plan_for(key, make)

    def answer(self, query: ResolvedQuery, *, cap: int | None = DEFAULT_CAP
               ) -> QueryResult:
        """The rows of a resolved query (made by casekb.lang.resolve, or by hand as casekb's
        profile does)."""
        from casekb.execute.run import answer

        cap = row_cap(cap)
        plan = self.plan(query, capped=_capped(query, cap))
        with self._turn() as connection:
            return answer(plan, query, connection, cap=cap)

    def _resolve(self, statement, text: str) -> ResolvedQuery:
        from casekb.lang.resolve import resolve

        return resolve(statement, text)

    def _answer(self, query: ResolvedQuery, text: str, cap: int | None) -> QueryResult:
        from casekb.execute.run import bound_parameters, run_plan, unknown_name_error
        from casekb.plan.cache import Asked, plans

        key, plan = self._planned(query, _capped(query, cap))
        # What the text is bound to, kept so that asking it again skips parsing and resolving.
        asked = Asked(key, self.store_schema, *bound_parameters(plan, query.given, cap))
        with self._turn() as connection:
            known, result = run_plan(plan, asked, connection, cap)
            if result is None:
                error = unknown_name_error(plan, query, known, connection)
                error.query = text
                raise error
        plans().remember_asked(text, self.dialect, cap, asked)
        self._remember_shape(text, query, key, cap)
        return result

    def _remember_shape(self, text: str, query: ResolvedQuery, key: str, cap: int | None
                        ) -> None:
        """Keep how to find and convert the values of another text of this text's mask."""
        from casekb.plan import masked
        from casekb.plan.cache import Shaped, plans

        mask = masked.mask(text)
        slots = None if mask is None else masked.recipe(text, query, mask)
        if slots is not None:
            plans().remember_shaped(mask.key, self.dialect, cap,
                                    Shaped(key, self.store_schema, slots))

    def _asked_before(self, text: str, cap: int | None) -> QueryResult | None:
        """The answer to a query text asked before with the same cap, from the parameters it
        was bound to, or else to a new text of a mask asked before (None when neither, or
        when a name it tests names nobody now: the full path then says so in the user's
        words)."""
        from casekb.execute.run import run_plan
        from casekb.plan.cache import plans

        found = plans().asked(text, self.dialect, cap)  # the store is not opened to look
        if found is None:
            return self._shape_asked_before(text, cap)
        plan, asked = found
        # A valid question (it was answered before): the store's errors may be said now.
        if asked.store_schema != self.store_schema:
            return self._shape_asked_before(text, cap)
        with self._turn() as connection:
            _, result = run_plan(plan, asked, connection, cap)
        return result

    def _shape_asked_before(self, text: str, cap: int | None) -> QueryResult | None:
        """The answer to a new text of a mask asked before (casekb/plan/masked.py): its values
        converted as the recipe says and bound into the shape's plan (None when there is no
        such mask, when a value does not convert or a name names nobody: the full path then
        says what is wrong)."""
        from casekb.execute.run import bound_parameters, run_plan
        from casekb.plan import masked
        from casekb.plan.cache import Asked, plans

        mask = masked.mask(text)
        found = None if mask is None else plans().shaped(mask.key, self.dialect, cap)
        if found is None:
            return None
        plan, shaped = found
        values = masked.values_of(text, mask, shaped.slots)
        if values is None or shaped.store_schema != self.store_schema:
            return None
        asked = Asked(shaped.plan_key, shaped.store_schema, *bound_parameters(plan, values, cap))
        with self._turn() as connection:
            _, result = run_plan(plan, asked, connection, cap)
        if result is not None:
            plans().remember_asked(text, self.dialect, cap, asked)
        return result

    def _explain(self, query: ResolvedQuery, text: str, cap: int | None) -> Explanation:
        """The plan's SQL and parameters; its names checked when the store can be opened (the
        SQL is shown all the same when it cannot, with a note saying why)."""
        from casekb.execute.results import Explanation
        from casekb.execute.run import check_names
        from casekb.plan.planner import make_plan

        capped = _capped(query, cap)
        notes: tuple[str, ...] = ()
        try:
            self.connection()
        except StoreError as error:
            plan = make_plan(query, self.dialect, capped=capped)
            notes = (f"names not checked: {error.message}",)
        else:
            plan = self.plan(query, capped=capped)
            try:
                with self._turn() as connection:
                    check_names(plan, query, connection)
            except QueryError as error:
                error.query = error.query or text
                raise
        from casekb.plan.conditions import date_notes

        notes += tuple(date_notes(query))
        if any(recipe[0] == "limit" for _, recipe in plan.query.parameters):
            shown = "the query's limit" if query.limit is not None else "no limit"
            notes += (f"row_limit: {shown}" + ("" if cap is None else
                                               f", at most the row cap of {cap:,} plus one row "
                                               f"(to tell when more matched; then "
                                               f"the rows matched are counted, to say "
                                               f"how many)"),)
        return Explanation(plan.query.sql, plan.query.bind(query.given, plan.dialect, cap),
                           plan.dialect, notes)

    def describe(self, entity: Any = None, *, text: str = "") -> Description:
        """`describe`: the entities (None), or an entity's fields with example values from
        the store. `entity` is a name, or the parser's Name node."""
        from casekb.lang import ast
        from casekb.lang.describe import describe
        from casekb.plan.examples import example_values

        if isinstance(entity, str):
            from casekb.errors import Span

            text = text or entity
            entity = ast.Name(entity, Span(1, 1, len(entity))) if entity.strip() else None

        def examples(found):
            with self._use:
                return example_values(self, found)

        return describe(entity, examples, text=text)

    # -- raw SQL and the views of people and cases -----------------------------------------

    def sql(self, sql: str, /, params: Mapping[str, Any] | None = None, *,
            cap: int | None = DEFAULT_CAP, timeout: float | None = DEFAULT_SQL_TIMEOUT,
            **named: Any) -> QueryResult:
        """One read-only SQL statement on the store's tables and views (casekb/sql/access.py):
        at most `cap` rows, stopped after `timeout` seconds. Parameters (`:name`) are bound
        from keywords, `kb.sql("... WHERE defendant = :who", who="Dave Halls")`, or from the
        mapping `params` (for names such as `cap` or `timeout`). `interrupt()` from another
        thread stops it with SQLInterrupted."""
        from casekb.sql.access import Deadline, run_sql

        deadline = Deadline(timeout)  # checked here, before the store is opened
        engine = self.engine
        with self._lock:  # so that `interrupt` reaches it, whatever connection it runs on
            self._running.add(deadline)
        try:
            return run_sql(sql, engine, cap=cap, deadline=deadline,
                           params={**(params or {}), **named})
        finally:
            with self._lock:
                self._running.discard(deadline)

    def profile(self, name: str) -> Profile:
        """Everything the store holds about one person (by name, other spelling or id)."""
        from casekb.profiles import build_profile

        return build_profile(self, name)

    def timeline(self, case: str | None = None) -> Timeline:
        """A case's events in date order with their sources (None: the store's only case)."""
        from casekb.profiles import build_timeline

        return build_timeline(self, case)


def _capped(query: ResolvedQuery, cap: int | None) -> bool:
    """Whether the query's plan takes a row limit: a row cap, or the query's own limit."""
    return cap is not None or query.limit is not None


def _not_a_query(text: str, message: str) -> QueryError:
    """A NotAQueryError (a QueryError) pointing at the `explain` or `describe` that begins a
    statement which parsed, where a query was wanted."""
    import re

    from casekb.errors import NotAQueryError, span_at

    # It parsed, so the keyword is the first word after any blanks and comments.
    keyword = re.match(r"(?:\s|--[^\n]*)*(explain|describe)", text, re.IGNORECASE)
    word = keyword.group(1).lower()
    return NotAQueryError(message.format(word), query=text,
                          span=span_at(text, keyword.start(1), len(word)))
