"""The cache of plans: one interface, two back ends (memory within a process, files under
`CASEKB_HOME/query-cache/` across processes), for SQLite and PostgreSQL alike.

A plan depends on nothing but the query's shape, the dialect, whether the query is capped,
the code that plans it and the shape of the store's tables; so that is the key:

    (shape, dialect, capped, casekb's version, a stamp of the planning code, the store's schema)

The code stamp is the size and modification time of every module and data file that takes
part in planning (the language, the planner, the schema, the grammar): an upgrade or an edited
module never answers from a plan it did not make. The store's schema is the `schema_hash` the
store recorded when it was built: a store rebuilt with other tables gets other plans. A plan
asked for again is taken from memory; in a new process, from its file (JSON), so `casekb
query` answers a shape it has seen without loading the compiler or SQLAlchemy. Set
CASEKB_QUERY_CACHE=0 to turn both off.

The same cache keeps, for a query *text* asked before, what its values were bound to (an
`Asked` entry: the key of its plan, the parameters of its statements and the store's schema
they were made for), keyed by the text, the row cap, the dialect and the code: asked again,
even in a new process, the text is answered without parsing or resolving it (without
importing the language at all). The entry is found without opening the store (a text never
asked is parsed first, so that a bad question is said before a missing store), and used only
for a store of the schema it names. Parameters depend on the text, the code and the store's
schema only, never on the store's rows: the names a query tests are still checked against
the store on every ask.

Beside it, a `Shaped` entry keyed by the text's *mask* (the text with its strings' contents
and its digits taken out, casekb/plan/masked.py) keeps how to find and convert the values
of another text of that mask: a new text written like one asked before is answered
without the language too.
"""

from __future__ import annotations

import hashlib
import json
import os
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from casekb import __version__
from casekb.plan.plan import Plan

ENV_SWITCH = "CASEKB_QUERY_CACHE"
FOLDER = "query-cache"
ENTRY_FORMAT = 7
MEMORY_ENTRIES = 256
DISK_ENTRIES = 1000


def enabled() -> bool:
    """Whether plans are cached (CASEKB_QUERY_CACHE, on unless 0/no/false/off)."""
    return os.environ.get(ENV_SWITCH, "1").strip().lower() not in ("0", "no", "false", "off")


@dataclass(frozen=True)
class Asked:
    """A query text asked before: the key of its plan, its statements' parameters as they
    were bound (the query's, the check of its names', the count of its rows'), and the
    schema of the store they were made for."""

    plan_key: str
    store_schema: str
    parameters: dict[str, Any]
    names_parameters: dict[str, Any] | None
    matched_parameters: dict[str, Any] | None = None

    def to_json(self) -> dict:
        return {"plan": self.plan_key, "store_schema": self.store_schema,
                "parameters": _tagged(self.parameters),
                **{key: None if value is None else _tagged(value)
                   for key, value in (("names", self.names_parameters),
                                      ("matched", self.matched_parameters))}}

    @classmethod
    def from_json(cls, data: dict) -> Asked:
        names, matched = data["names"], data["matched"]
        return cls(str(data["plan"]), str(data["store_schema"]), _untagged(data["parameters"]),
                   None if names is None else _untagged(names),
                   None if matched is None else _untagged(matched))


@dataclass(frozen=True)
class Shaped:
    """A query text's mask asked before (casekb/plan/masked.py): the key of its plan, how
    to find and convert each value in another text of the mask, and the schema of the store
    the plan was made for."""

    plan_key: str
    store_schema: str
    slots: list

    def to_json(self) -> dict:
        return {"plan": self.plan_key, "store_schema": self.store_schema, "slots": self.slots}

    @classmethod
    def from_json(cls, data: dict) -> Shaped:
        return cls(str(data["plan"]), str(data["store_schema"]), list(data["slots"]))


class PlanCache:
    """Plans by key, in memory (the most recently used MEMORY_ENTRIES) and, when `folder` is
    given, in files there (the newest DISK_ENTRIES); and query texts asked before, the same
    way."""

    def __init__(self, folder: Path | None):
        self.folder = folder
        self._memory: OrderedDict[str, Plan | Asked | Shaped] = OrderedDict()
        self._lock = threading.Lock()

    def plan(self, shape: str, dialect: str, capped: bool, store_schema: str,
             make: Callable[[], Plan]) -> Plan:
        """The plan of `shape`, made by `make()` unless a plan for the same key is kept."""
        return self.plan_for(plan_key(shape, dialect, capped, store_schema), make)

    def plan_for(self, key: str, make: Callable[[], Plan]) -> Plan:
        """The plan kept under `key` (from plan_key), else `make()`, then kept."""
        if not enabled():
            return make()
        found = self._kept(key, Plan)
        if found is None:
            found = make()
            self._write(key, found)
            self._remember(key, found)
        return found

    def asked(self, text: str, dialect: str, cap: int | None) -> tuple[Plan, Asked] | None:
        """The plan and bound parameters of `text` asked before with the same cap, or None
        (the caller checks the store's schema against `Asked.store_schema`)."""
        return self._with_plan(asked_key(text, dialect, cap), Asked)

    def remember_asked(self, text: str, dialect: str, cap: int | None, asked: Asked) -> None:
        """Keep what `text` was bound to (for a store of another schema, the entry is
        replaced)."""
        self._keep(asked_key(text, dialect, cap), asked)

    def shaped(self, mask: str, dialect: str, cap: int | None) -> tuple[Plan, Shaped] | None:
        """The plan and the recipe of values of a text of this mask asked before with the
        same cap, or None (the caller checks `Shaped.store_schema`)."""
        return self._with_plan(masked_key(mask, dialect, cap), Shaped)

    def remember_shaped(self, mask: str, dialect: str, cap: int | None, shaped: Shaped) -> None:
        """Keep the plan and the recipe of values of a text of this mask."""
        self._keep(masked_key(mask, dialect, cap), shaped)

    def _with_plan(self, key: str, kind: type[Asked] | type[Shaped]) -> tuple[Plan, Any] | None:
        if not enabled():
            return None
        found = self._kept(key, kind)
        plan = None if found is None else self._kept(found.plan_key, Plan)
        return None if plan is None else (plan, found)

    def _keep(self, key: str, entry: Asked | Shaped) -> None:
        if not enabled() or self._remembered(key) == entry:
            return
        self._write(key, entry)
        self._remember(key, entry)

    def clear(self) -> None:
        """Forget the plans kept in memory (the files stay)."""
        with self._lock:
            self._memory.clear()

    def _kept(self, key: str, kind: type[Plan] | type[Asked] | type[Shaped]) -> Any:
        """The entry of `kind` kept under `key`, from memory or else from its file (then
        remembered), or None."""
        found = self._remembered(key)
        if found is None:
            found = self._read(key, kind.from_json)
            if found is not None:
                self._remember(key, found)
        return found if isinstance(found, kind) else None

    # -- memory ----------------------------------------------------------------------------

    def _remembered(self, key: str) -> Plan | Asked | Shaped | None:
        with self._lock:
            found = self._memory.get(key)
            if found is not None:
                self._memory.move_to_end(key)
            return found

    def _remember(self, key: str, entry: Plan | Asked | Shaped) -> None:
        with self._lock:
            self._memory[key] = entry
            self._memory.move_to_end(key)
            while len(self._memory) > MEMORY_ENTRIES:
                self._memory.popitem(last=False)

    # -- files -----------------------------------------------------------------------------

    def _read(self, key: str, from_json: Callable[[dict], Any]) -> Any:
        if self.folder is None:
            return None
        try:
            data = json.loads((self.folder / f"{key}.json").read_text(encoding="utf-8"))
            if data.get("format") != ENTRY_FORMAT:
                return None
            return from_json(data["entry"])
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None  # missing or unreadable: planned again, and written anew

    def _write(self, key: str, entry: Plan | Asked | Shaped) -> None:
        if self.folder is None:
            return
        try:
            text = json.dumps({"format": ENTRY_FORMAT, "entry": entry.to_json()},
                              ensure_ascii=False)
        except (TypeError, ValueError):
            return  # a constant JSON cannot hold: kept in memory only
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary = self.folder / f".{key}.{os.getpid()}.{threading.get_ident()}.tmp"
            temporary.write_text(text, encoding="utf-8")
            os.replace(temporary, self.folder / f"{key}.json")  # readers see all or nothing
            self._prune()
        except OSError:
            pass  # a read-only home only costs speed

    def _prune(self) -> None:
        entries = [path for path in self.folder.iterdir() if path.suffix == ".json"]
        if len(entries) <= DISK_ENTRIES:
            return
        entries.sort(key=lambda path: path.stat().st_mtime_ns)
        for path in entries[:len(entries) - DISK_ENTRIES]:
            try:
                path.unlink()
            except OSError:
                pass


def plan_key(shape: str, dialect: str, capped: bool, store_schema: str) -> str:
    """The key of a plan (a SHA-256, hex)."""
    return _digest(__version__, code_stamp(), store_schema, dialect, capped, shape)


def asked_key(text: str, dialect: str, cap: int | None) -> str:
    """The key of a query text asked before (a SHA-256, hex): the text, the cap, the dialect
    and the code (the store's schema is checked against the entry once it is found)."""
    return _digest("asked", __version__, code_stamp(), dialect, cap, text)


def masked_key(mask: str, dialect: str, cap: int | None) -> str:
    """The key of a text's mask asked before (casekb/plan/masked.py), made like `asked_key`."""
    return _digest("masked", __version__, code_stamp(), dialect, cap, mask)


def _digest(*parts: Any) -> str:
    material = json.dumps([ENTRY_FORMAT, *parts])
    return hashlib.sha256(material.encode("utf-8", "surrogatepass")).hexdigest()


def _tagged(parameters: dict[str, Any]) -> dict[str, Any]:
    # JSON has no dates: psycopg is given date objects (SQLite ISO text, a plain string).
    return {name: {"date": value.isoformat()} if isinstance(value, date) else value
            for name, value in parameters.items()}


def _untagged(parameters: dict) -> dict[str, Any]:
    return {str(name): date.fromisoformat(value["date"]) if isinstance(value, dict) else value
            for name, value in parameters.items()}


@cache
def code_stamp() -> tuple:
    """Size and modification time of every file that decides what a query is planned to."""
    package = Path(__file__).resolve().parent.parent
    files = [package / name for name in ("vocab.py", "dates.py", "quantities.py")]
    for folder in ("lang", "plan", "schema"):
        try:
            files += sorted(path for path in (package / folder).iterdir()
                            if path.suffix == ".py")
        except OSError:
            pass
    try:
        from casekb.resources import grammar_path

        files.append(grammar_path())
    except OSError:
        pass
    stamps = []
    for path in files:
        try:
            status = path.stat()
            stamps.append((path.name, status.st_size, status.st_mtime_ns))
        except OSError:
            stamps.append((path.name, None, None))
    return tuple(stamps)


_PLANS: PlanCache | None = None
# The values of the variables the folder of the cache was found from (HOME_VARIABLES).
# Finding it again costs 0.07 ms, a twentieth of a question asked again; looking at the
# variables, a microsecond.
_PLANS_FROM: tuple[str | None, ...] | None = None


def plans() -> PlanCache:
    """The process's cache of plans, with its files under CASEKB_HOME (found again when the
    variables it is found from change)."""
    global _PLANS, _PLANS_FROM
    from casekb.store.location import HOME_VARIABLES, default_home

    found_from = tuple(os.environ.get(name) for name in HOME_VARIABLES)
    if _PLANS is None or found_from != _PLANS_FROM:
        folder = default_home() / FOLDER
        if _PLANS is None or _PLANS.folder != folder:
            _PLANS = PlanCache(folder)
        _PLANS_FROM = found_from
    return _PLANS
