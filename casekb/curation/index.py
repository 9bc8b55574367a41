"""What the first pass over a curated folder keeps: the little that rules across records need.

Validation and building stream a folder file by file (casekb/curation/validate.py); a record
may refer to one in a later file, and a few rules compare a record with another. The first
pass reads every file once and keeps, per record that holds a key, only an `Entry`:

- its row id (the key's position among the records of its kind, in reading order), and
  where the key was first seen, for duplicate messages;
- per source: whether it is valid, its publication date and its article's path;
- per case its incident date, per charge its filed date;
- per alias the row id in its owner's table.

Entries are kept on disk (curation/keystore.py), not in memory: a 100,000-case folder holds
4.4 million records, and in dicts they took 788 MB. Each pass asks for the entries of a file
at once, when it starts the file (`load`): one query per kind, rather than one per look-up;
the rules and the builder then find them in memory. What stays in memory is a file's entries,
the names of the files, and a few totals.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from functools import lru_cache
from itertools import chain
from typing import NamedTuple

from casekb.curation import spec as S
from casekb.curation.keystore import KeyStore
from casekb.dates import PartialDate, Precision
from casekb.schema.declaration import table_for

# Precision codes of entries; 0 means "no date".
_PRECISIONS = (None, Precision.DAY, Precision.MONTH, Precision.YEAR, Precision.RANGE)
_PRECISION_CODE = {precision: code for code, precision in enumerate(_PRECISIONS) if precision}
# The keys of a date given by its bounds.
DATE_BOUNDS = ("earliest", "latest")

# The references a record of each kind may hold: (field, kind referred to).
_REFERENCES = {kind.kind: tuple((fs.name, fs.ref) for fs in kind.fields if fs.type == S.REF)
               for kind in S.KINDS}


# PartialDate.parse, remembering the latest dates: a folder repeats the same few thousand
# dates hundreds of thousands of times. (A ValueError is not remembered; it is raised again.)
parse_date = lru_cache(maxsize=4096)(PartialDate.parse)


def read_date(value) -> PartialDate:
    """The date a curated field holds: a day, month or year string, or a table of bounds
    {earliest, latest} (each such a string). ValueError saying what is wrong; TypeError
    when it is neither a string nor a table of strings."""
    if isinstance(value, str):
        if "\x00" in value:
            raise ValueError("contains a NUL character")
        return parse_date(value)
    if not isinstance(value, dict):
        raise TypeError(value)
    unknown = [name for name in value if name not in DATE_BOUNDS]
    if unknown:
        raise ValueError(f"a date's bounds are 'earliest' and 'latest', not {unknown[0]!r}")
    bounds = []
    for name in DATE_BOUNDS:
        bound = value.get(name)
        if bound is not None and not isinstance(bound, str):
            raise TypeError(bound)
        bounds.append(None if bound is None else parse_date(bound))
    return PartialDate.between(*bounds)


def raw_date(value) -> PartialDate | None:
    """The date a raw field holds, or None when it holds none (or a bad one: the validator
    reports that when it checks the record)."""
    try:
        return read_date(value)
    except (ValueError, TypeError):
        return None


class Entry(NamedTuple):
    """What the index keeps of a record that holds a key (the columns of keystore's table)."""

    position: int  # among the records of its kind, in reading order: its row id
    seen_file: int  # the number of the file it was read from (FolderIndex.files)
    seen_line: int  # its line there; 0 when not known
    day_start: int = 0  # its date (see date_of) as day ordinals...
    day_end: int = 0
    precision: int = 0  # ... and its precision code; 0: no date
    article: str | None = None  # a source: its article's path; None when unusable
    valid: int = 0  # a source: 1 when it is valid
    alias_row: int = 0  # an alias: its row in its owner's table, negative for a person's

    def date(self) -> PartialDate | None:
        if not self.precision:
            return None
        return PartialDate(date.fromordinal(self.day_start), date.fromordinal(self.day_end),
                           _PRECISIONS[self.precision])


def _dated(entry: Entry, when: PartialDate | None) -> Entry:
    if when is None:
        return entry._replace(day_start=0, day_end=0, precision=0)
    return entry._replace(day_start=when.start.toordinal(), day_end=when.end.toordinal(),
                          precision=_PRECISION_CODE[when.precision])


_UNKNOWN = object()  # not loaded yet (None in the loaded entries means "no such key")


class FolderIndex:
    """The first pass's findings about a folder; see the module docstring.

    First pass, per file: `load(records, references=False)`, then `register` each record's
    key, `note` what it holds (and `set_source`); `close()` when every file is read. Second
    pass, per file: `load(records)`, then the look-ups. `discard()` throws the entries away.
    """

    def __init__(self):
        self._store = KeyStore()
        self.files: list[str] = []  # the files keys were registered from, in reading order
        self.ids: dict[str, KindKeys] = {kind: KindKeys(self, kind) for kind in S.KIND_ORDER}
        self._counts: dict[str, int] = dict.fromkeys(S.KIND_ORDER, 0)
        self.evidence_totals: dict[str, int] = dict.fromkeys(S.KIND_ORDER, 0)
        self.claims_total = 0
        self.alias_totals = {"case": 0, "person": 0}
        # The entries the current file needs, by kind and key (None: no such key), and what
        # this file added that is not on disk yet.
        self._near: dict[str, dict[str, Entry | None]] = {kind: {} for kind in S.KIND_ORDER}
        self._unsaved: list[tuple[str, str]] = []
        self._alias_names: dict[bytes, str | None] = {}
        self._unsaved_alias_names: list[tuple[bytes, str]] = []

    # -- loading a file's entries ------------------------------------------------------------

    def load(self, records: list, *, references: bool = True) -> None:
        """Bring into memory the entries that `records` (one file's raw records) will ask
        for: their own keys and, with `references`, the keys they refer to. Entries of the
        previous file are dropped (those it added are saved first)."""
        self._save()
        wanted: dict[str, set[str]] = {kind: set() for kind in S.KIND_ORDER}
        for raw in records:
            data = raw.data
            key = data.get("id")
            if isinstance(key, str):
                wanted[raw.kind].add(key)
            if references:
                _add_references(raw.kind, data, wanted)
        for kind, keys in wanted.items():
            near = self._near[kind] = dict.fromkeys(keys)
            asked = [key for key in keys if S.is_valid_id(key)]
            for key, *columns in self._store.find(S.KIND_NUMBER[kind], asked):
                near[key] = Entry(*columns)
        self._alias_names = {}

    def _save(self) -> None:
        """Write to disk what the current file added."""
        if self._unsaved:
            near = self._near
            self._store.add_entries((S.KIND_NUMBER[kind], key, *near[kind][key])
                                    for kind, key in self._unsaved)
            self._unsaved = []
        if self._unsaved_alias_names:
            self._store.add_alias_names(self._unsaved_alias_names)
            self._unsaved_alias_names = []

    def entry(self, kind: str, key: str) -> Entry | None:
        """The entry of a record, or None when no record of `kind` holds `key`."""
        near = self._near[kind]
        found = near.get(key, _UNKNOWN)
        if found is _UNKNOWN:
            # Not among the file's own keys and references: a hint's or a rule's look-up.
            found = None
            if S.is_valid_id(key):
                for _, *columns in self._store.find(S.KIND_NUMBER[kind], [key]):
                    found = Entry(*columns)
            near[key] = found
        return found

    # -- pass 1 ------------------------------------------------------------------------------

    def register(self, kind: str, key: str, file: str, line: int | None) -> int | None:
        """Give `key` the next id of its kind; None (and nothing stored) when it is taken."""
        if self.entry(kind, key) is not None:
            return None
        if not self.files or self.files[-1] != file:
            self.files.append(file)
        row = self._counts[kind] = self._counts[kind] + 1
        self._near[kind][key] = Entry(row, len(self.files) - 1, line or 0)
        self._unsaved.append((kind, key))
        return row

    def first_seen(self, kind: str, key: str) -> tuple[str, int | None]:
        """The file and line of the record that holds `key`."""
        entry = self.entry(kind, key)
        return self.files[entry.seen_file], entry.seen_line or None

    def note(self, kind: str, key: str, data: dict) -> None:
        """Keep what later checks and the builder need of a record whose key was just
        registered (read from its raw fields; only valid records ever use it)."""
        evidence = data.get("evidence")
        if isinstance(evidence, list):
            self.evidence_totals[kind] += len(evidence)
        near = self._near[kind]
        if kind == "alias":
            owner = "person" if "person" in data else "case"
            self.alias_totals[owner] += 1
            number = self.alias_totals[owner]
            near[key] = near[key]._replace(alias_row=-number if owner == "person" else number)
        elif kind == "case":
            near[key] = _dated(near[key], raw_date(data.get("incident")))
            self._note_own_name(kind, key, data.get("title"))
        elif kind == "charge":
            near[key] = _dated(near[key], raw_date(data.get("filed")))
        elif kind == "dispute":
            claims = data.get("claims")
            if isinstance(claims, list):
                self.claims_total += len(claims)
        elif kind == "person":
            self._note_own_name(kind, key, data.get("name"))

    def _note_own_name(self, owner: str, key: str, name) -> None:
        # A person's name (a case's title) takes the first slot among its names, so that an
        # alias that is the same name in other letter case or spacing finds it (alias_named).
        if isinstance(name, str) and name.strip():
            self.name_alias(owner, key, folded_name(name), OWN_NAME + name)

    def set_source(self, key: str, *, file: str | None, valid: bool,
                   published: PartialDate | None) -> None:
        """What checking a source in the first pass found."""
        near = self._near["source"]
        near[key] = _dated(near[key]._replace(article=file, valid=int(valid)),
                           published if valid else None)

    def close(self) -> None:
        """The first pass is over: settle what waited for later files."""
        self._save()
        self._near = {kind: {} for kind in S.KIND_ORDER}

    def discard(self) -> None:
        """Throw the entries away (the index cannot be used any more)."""
        self._store.close()

    # -- lookups -----------------------------------------------------------------------------

    def row_id(self, kind: str, key: str) -> int:
        """The store row id of a record (aliases: in their owner's table)."""
        entry = self.entry(kind, key)
        return abs(entry.alias_row) if kind == "alias" else entry.position

    def table(self, kind: str, key: str) -> str:
        """The store table of a record (aliases go to case_aliases or person_aliases)."""
        if kind == "alias":
            return table_for(kind, "person" if self.entry(kind, key).alias_row < 0 else "case")
        return S.BY_KIND[kind].table

    def count(self, kind: str) -> int:
        """How many records of a kind hold a key of their own."""
        return self._counts[kind]

    def keys(self, kind: str) -> Iterator[str]:
        """Every key of a kind (from disk; for hints naming the closest key)."""
        # The current file's new keys are not saved yet: an entry may still change.
        unsaved = [key for unsaved_kind, key in self._unsaved if unsaved_kind == kind]
        return chain(self._store.keys(S.KIND_NUMBER[kind]), unsaved)

    def date_of(self, kind: str, key: str) -> PartialDate | None:
        """A case's incident date, a charge's filed date, a valid source's publication."""
        entry = self.entry(kind, key)
        return entry.date() if entry is not None else None

    def source_valid(self, key: str) -> bool:
        """Whether the source holding `key` was found valid in the first pass."""
        entry = self.entry("source", key)
        return entry is not None and bool(entry.valid)

    def article_file(self, source: str) -> str | None:
        """The path of a source's article; None when there is no such source or it has no
        usable article."""
        entry = self.entry("source", source)
        return entry.article if entry is not None else None

    def articles(self) -> list[tuple[str, str | None]]:
        """(key, article path) of every source, in reading order (once the first pass is
        over; for small folders)."""
        return self._store.articles(S.KIND_NUMBER["source"])

    def latest_publication(self, sources: list[str]) -> PartialDate | None:
        """When the last of these sources was published; None when one of them is not a
        valid source with a date (it may be later than anything known)."""
        if not sources:
            return None
        latest = None
        for source in sources:
            entry = self.entry("source", source)
            if entry is None or not entry.valid or not entry.precision:
                return None
            # The first of equal ends wins, as max() picks it.
            if latest is None or entry.day_end > latest.day_end:
                latest = entry
        return latest.date()

    def first_publication_bound(self, sources: list[str]) -> tuple[str, PartialDate] | None:
        """(source, its publication date) of the source among these whose publication ends
        first: the fact they report happened by that day. None when no source has a date."""
        first = None
        for source in dict.fromkeys(sources):
            entry = self.entry("source", source)
            if entry is None or not entry.valid or not entry.precision:
                continue
            if first is None or entry.day_end < first[1].day_end:
                first = (source, entry)
        return None if first is None else (first[0], first[1].date())

    def last_publication(self, sources: list[str]) -> PartialDate | None:
        """The publication date of the source among these published last (by its last
        possible day, then its first); None when none has a date."""
        last = None
        for source in sources:
            entry = self.entry("source", source)
            if entry is None or not entry.valid or not entry.precision:
                continue
            if last is None or (entry.day_end, entry.day_start) > (last.day_end, last.day_start):
                last = entry
        return None if last is None else last.date()

    # -- alias names -------------------------------------------------------------------------

    def alias_named(self, owner: str, owner_key: str, folded_name: str) -> str | None:
        """The alias that gave this owner this name (folded_name) first, if one did; for the
        owner's own name, OWN_NAME followed by it."""
        slot = _alias_slot(owner, owner_key, folded_name)
        found = self._alias_names.get(slot, _UNKNOWN)
        if found is _UNKNOWN:
            found = self._alias_names[slot] = self._store.first_alias(slot)
        return found

    def name_alias(self, owner: str, owner_key: str, folded_name: str, alias: str) -> None:
        """Record that `alias` gives this owner this name (it had none before)."""
        slot = _alias_slot(owner, owner_key, folded_name)
        self._alias_names[slot] = alias
        self._unsaved_alias_names.append((slot, alias))


class KindKeys(Mapping):
    """The keys of one kind as a read-only mapping, key -> row id (its position); backed by
    the index, so reading a key of the file being checked costs no query."""

    def __init__(self, index: FolderIndex, kind: str):
        self._index = index
        self._kind = kind

    def __getitem__(self, key: str) -> int:
        entry = self._index.entry(self._kind, key)
        if entry is None:
            raise KeyError(key)
        return entry.position

    def get(self, key: str, default=None):
        entry = self._index.entry(self._kind, key)
        return default if entry is None else entry.position

    def __contains__(self, key) -> bool:
        return isinstance(key, str) and self._index.entry(self._kind, key) is not None

    def __len__(self) -> int:
        return self._index.count(self._kind)

    def __iter__(self) -> Iterator[str]:
        return self._index.keys(self._kind)


# Marks the owner's own name among its aliases' names: no alias id starts with "=".
OWN_NAME = "="


def folded_name(name: str) -> str:
    """A name as compared with the other names of its owner: letter case and spacing do not
    count ("ALEC  BALDWIN" is "Alec Baldwin")."""
    return " ".join(name.casefold().split())


def _alias_slot(owner: str, owner_key: str, folded_name: str) -> bytes:
    # NUL cannot occur in a valid value, so it separates the parts unambiguously; a name
    # read from memory (not from a file) may hold any code point.
    return f"{owner}\x00{owner_key}\x00{folded_name}".encode("utf-8", "surrogatepass")


def _add_references(kind: str, data: dict, wanted: dict[str, set[str]]) -> None:
    """Add to `wanted` the keys a raw record refers to: fields, evidence, claims."""
    for name, target in _REFERENCES[kind]:
        value = data.get(name)
        if isinstance(value, str):
            wanted[target].add(value)
    evidence = data.get("evidence")
    if isinstance(evidence, list):
        sources = wanted["source"]
        for item in evidence:
            if isinstance(item, dict):
                source = item.get("source")
                if isinstance(source, str):
                    sources.add(source)
    claims = data.get("claims")
    if isinstance(claims, list):
        for claim in claims:
            if isinstance(claim, str):
                claimed, _, key = claim.partition(":")
                claimed = claimed.strip()
                if claimed in wanted:
                    wanted[claimed].add(key.strip())
