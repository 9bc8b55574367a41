"""Validating curated records: every problem, each naming file, record and field.

Validation is total: whatever a file holds (wrong types, huge values, odd Unicode), it yields
problems, never an exception. Valid records come out normalised (vocabulary values in their
canonical spelling, dates as PartialDate, quantities as Quantity) for the builder.

A folder is validated in two passes, one file at a time, so that memory does not grow with
the folder:

1. *index*: every file is read; each record's id is registered (bad and duplicate ids are
   reported), sources are checked whole (is the article there, when was it published), and
   the few values that rules across records need are kept, on disk (curation/index.py);
2. *check*: every file is read again and each record checked against that index (the
   entries a file needs are read at once when it starts); the valid records of the file go
   to the caller (the builder writes them) and are dropped.

A rule that compares a record with one of a later file (a plea dated before its charge was
filed: reported only when that charge is valid itself) is settled when the pass ends.
Problems come sorted by file and line; on the same line, in the order one pass over the
whole folder, kind by kind, finds them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from functools import cached_property
from pathlib import Path

from casekb.curation import Progress
from casekb.curation import spec as S
from casekb.curation.articles import (
    Article,
    ArticleCache,
    read_article,
    read_article_bytes,
)
from casekb.curation.files import (
    ARTICLE_LIMIT,
    NotRegularFile,
    inside,
    is_curated,
    regular_files,
)
from casekb.curation.index import OWN_NAME, FolderIndex, folded_name
from casekb.curation.loader import FolderReader, LineFinder, LoadedFolder, RawRecord
from casekb.curation.records import EvidenceItem, Record
from casekb.curation.rules import REPORTED_DATES, RecordRules, to_come
from casekb.curation.values import FieldChecks
from casekb.curation.wording import show, suggest, type_name
from casekb.dates import PartialDate
from casekb.errors import Problem
from casekb.inputs import InputError

# When a problem is found, in a single pass over the folder: reading files, then ids, then
# articles, then each record (kind by kind), then duplicate aliases. Problems on one line
# are listed in this order.
_READING, _IDS, _ARTICLES, _RECORDS, _ALIASES = range(5)

# What is known of a case or charge in the second pass (rules of later records ask).
_UNSEEN, _VALID, _INVALID, _PENDING = range(4)

__all__ = ["Article", "Curated", "EvidenceItem", "FolderValidator", "Record", "collect",
           "validate"]


@dataclass
class Curated:
    """A validated folder held in memory: its records by kind (in reference order) and its
    articles. Only for small folders (tests, tools); checks and builds stream instead."""

    folder: Path
    records: dict[str, list[Record]]
    articles: dict[str, Article]

    def counts(self) -> dict[str, int]:
        """How many records of each kind, plus the number of evidence quotes."""
        counts = {kind: len(self.records.get(kind, ())) for kind in S.KIND_ORDER}
        counts["evidence"] = sum(len(r.evidence) for rs in self.records.values() for r in rs)
        return counts


def validate(loaded: LoadedFolder) -> tuple[Curated, list[Problem]]:
    """Validate raw records already in memory; return the valid data and every problem."""
    validator = FolderValidator(_LoadedReader(loaded))
    return collect(validator), validator.problems()


def collect(validator: FolderValidator) -> Curated:
    """Run `validator` over its folder keeping every valid record: the whole folder in memory."""
    records: dict[str, list[Record]] = {kind: [] for kind in S.KIND_ORDER}

    def keep(valid: list[Record]) -> None:
        for record in valid:
            records[record.kind].append(record)

    try:
        validator.run(keep)
        sources = validator.index.articles()
    finally:
        validator.close()
    if validator.revoked:
        for kind, found in records.items():
            records[kind] = [r for r in found if (kind, r.key) not in validator.revoked]
    articles = {}
    for key, file in sources:
        article = read_article(validator.folder, key, file) if file is not None else None
        if article is not None:
            articles[key] = article
    return Curated(validator.folder, records, articles)


class _LoadedReader:
    """Serves records already in memory (a LoadedFolder) as a FolderReader serves files."""

    def __init__(self, loaded: LoadedFolder):
        self.folder, self.lines, self.problems = loaded.folder, loaded.lines, loaded.problems
        self.unparsed = loaded.unparsed
        self._by_file: dict[str, list[RawRecord]] = {rel: [] for rel in loaded.files}
        for raw in loaded.records:
            self._by_file.setdefault(raw.file, []).append(raw)
        self.files = list(self._by_file)

    def read(self, rel: str) -> tuple[list[RawRecord], list[Problem]]:
        return self._by_file[rel], []


@dataclass
class _Pending:
    """A rule across records waiting for its other record: reported, and the record made
    invalid, only if that other record turns out valid."""

    kind: str
    key: str
    owner_kind: str
    owner_row: int
    order: tuple
    problem: Problem
    row: int | None = None  # the record's own row when it is otherwise valid and keyed
    evidence: int = 0


# valid records of one file, handed over as soon as the file is checked
RecordSink = Callable[[list[Record]], None]


class FolderValidator(FieldChecks, RecordRules):
    """Validates a folder in two passes, file by file; see the module docstring.

        validator = FolderValidator(FolderReader(folder))
        validator.run(sink)            # sink(records) for each file's valid records
        validator.problems()           # every problem, sorted
        validator.close()              # the index of keys is thrown away

    A caller that writes as it goes (the builder) drives the passes itself: `index_files()`,
    then `check_file(rel)` for each of `files`, then `finish()` (or `check_files()`, which
    does both); `ok` says whether any problem was found so far.
    """

    def __init__(self, reader: FolderReader,
                 progress: Progress | None = None):
        self.reader = reader
        # Told (stage, files done, files) after each file of each pass: "reading" is the first
        # pass, "checking" the second (a build's writer reports its tables itself).
        self.progress = progress
        self.folder: Path = reader.folder
        self.files: list[str] = list(reader.files)
        self.lines: LineFinder = reader.lines
        self.index = FolderIndex()
        self.ids = self.index.ids
        self.articles = ArticleCache(self.folder)
        self.counts: dict[str, int] = dict.fromkeys((*S.KIND_ORDER, "evidence"), 0)
        self.revoked: set[tuple[str, str]] = set()  # (kind, key) handed over, then found invalid
        self._found: list[tuple[tuple, Problem]] = []
        self._serial = 0
        self._where: tuple = (_READING, 0, 0)
        self._quiet = False
        self._states: dict[str, bytearray] = {}
        self._pending: list[_Pending] = []
        self._deferred: _Pending | None = None
        self._next_row = dict.fromkeys(S.KIND_ORDER, 1)
        self._changed_articles: set[str] = set()
        self._unknown: dict[int, str] = {}  # id of a problem -> the key it did not find
        self._refused_articles: set[str] = set()  # normalised paths
        self._unparsed_texts: dict[str, str] = {}
        for problem in reader.problems:
            self._add(problem)

    # -- reporting ---------------------------------------------------------------------------

    @property
    def ok(self) -> bool:
        """No problem found so far."""
        return not self._found

    def problems(self) -> list[Problem]:
        """Every problem found, sorted by file and line (see the module docstring).

        A file that could not be read comes first: the records it holds are unknown to the
        rest of the folder, and a problem that names a record the file mentions is counted
        under it ("N further problems in other files may come from it") instead of listed,
        so that the cause is not buried under what it causes.
        """
        unparsed = self.reader.unparsed
        found = sorted(self._found, key=lambda item: (item[1].file not in unparsed,
                                                      item[1].file, item[1].line or 0, item[0]))
        if not unparsed:
            return [problem for _, problem in found]
        caused: dict[str, list[Problem]] = {rel: [] for rel in unparsed}
        kept = []
        for _, problem in found:
            key = self._unknown.get(id(problem))
            blamed = None
            if key is not None and problem.file not in unparsed:
                blamed = next((rel for rel in sorted(unparsed) if self._mentions(rel, key)),
                              None)
            if blamed is None:
                kept.append(problem)
            else:
                caused[blamed].append(problem)
        for rel in sorted(unparsed, reverse=True):
            if caused[rel]:
                last = max((i for i, p in enumerate(kept) if p.file == rel), default=-1)
                kept.insert(last + 1, _caused_by(rel, caused[rel]))
        return kept

    def _mentions(self, rel: str, key: str) -> bool:
        """Whether the text of a file that could not be parsed holds `key` as a word."""
        texts = self._unparsed_texts
        if rel not in texts:
            texts[rel] = self.lines.file_text(rel)
        return re.search(r"(?<![\w.-])" + re.escape(key) + r"(?![\w.-])", texts[rel]) \
            is not None

    def _add(self, problem: Problem, order: tuple | None = None) -> None:
        if order is None:
            self._serial += 1
            order = (*self._where, self._serial)
        self._found.append((order, problem))

    def _make_problem(self, raw: RawRecord, field_name: str, message: str,
                      hints: list[str] = (), *, line_field: str | None = None,
                      contains: str | None = None) -> Problem:
        line = raw.line
        if field_name and raw.line is not None:
            line = self.lines.field_line(raw, line_field or field_name, contains)
        return Problem(raw.file, raw.label(), field_name, message, list(hints), line=line)

    def problem(self, raw: RawRecord, field_name: str, message: str, hints: list[str] = (),
                *, line_field: str | None = None, contains: str | None = None,
                unknown: str | None = None) -> None:
        """Report a problem with a record's field. `unknown` is the key of a record it
        refers to and that was not found, which a file that could not be read may hold."""
        if self._quiet:
            return
        problem = self._make_problem(raw, field_name, message, hints, line_field=line_field,
                                     contains=contains)
        if unknown is not None:
            self._unknown[id(problem)] = unknown
        self._add(problem)

    # -- the passes ---------------------------------------------------------------------------

    def close(self) -> None:
        """Throw away the index of keys (kept on disk while the folder is checked)."""
        self.index.discard()

    def run(self, sink: RecordSink | None = None) -> None:
        """Both passes over every file; `sink` gets each file's valid records. (The index
        stays open, for `collect`; `close` it when done.)"""
        self.index_files()
        self.check_files(sink)

    def check_files(self, sink: RecordSink | None = None) -> None:
        """The second pass over every file, then `finish`; `sink` gets each file's valid
        records."""
        for done, rel in enumerate(self.files, 1):
            valid = self.check_file(rel)
            if sink is not None:
                sink(valid)
            del valid  # before the next file's records are made
            self.report_progress("checking", done)
        self.finish()

    def index_files(self) -> None:
        """The first pass: register every id, check every source, keep what rules need."""
        for done, rel in enumerate(self.files, 1):
            records, problems = self.reader.read(rel)
            self._where = (_READING, 0, 0)
            for problem in problems:
                self._add(problem)
            self.index.load(records, references=False)
            for raw in _in_kind_order(records):
                self._index_record(raw)
            self.report_progress("reading", done)
        self.index.close()
        self._states = {kind: bytearray(self.index.count(kind)) for kind in ("case", "charge")}

    def report_progress(self, stage: str, done: int) -> None:
        """Tell `progress`, if any, that `done` files of this stage are finished."""
        if self.progress is not None:
            self.progress(stage, done, len(self.files))

    def _index_record(self, raw: RawRecord) -> None:
        number = S.KIND_NUMBER[raw.kind]
        self._where = (_IDS, number, raw.number)
        row = self.register_id(raw)
        if row is not None:
            self.index.note(raw.kind, raw.data["id"], raw.data)
        if raw.kind != "source":
            return
        # Sources are checked whole here: every other record's dates are judged by them.
        file = None
        if row is not None:
            self._where = (_ARTICLES, number, raw.number)
            file = self.load_article(raw)
        self._where = (_RECORDS, number, raw.number)
        record = self.check_record(raw)
        if row is not None:
            self.index.set_source(raw.data["id"], file=file, valid=record is not None,
                                  published=record.values.get("published") if record else None)
            if record is not None:
                self.counts["source"] += 1

    def check_file(self, rel: str) -> list[Record]:
        """The second pass over one file: check its records; the valid ones, in kind order."""
        records, problems = self.reader.read(rel)
        self._where = (_READING, 0, 0)
        for problem in problems:
            self._add(problem)
        self.index.load(records)
        valid: list[Record] = []
        for raw in _in_kind_order(records):
            row = self._own_row(raw)
            self._where = (_RECORDS, S.KIND_NUMBER[raw.kind], raw.number)
            if raw.kind == "source":
                # Checked (and reported) in the first pass; only its values are needed now.
                if row is not None and self.index.source_valid(raw.data["id"]):
                    self._quiet = True
                    try:
                        record = self.check_record(raw)
                    finally:
                        self._quiet = False
                    if record is not None:
                        valid.append(record)
                continue
            self._deferred = None
            record = self.check_record(raw)
            deferred, self._deferred = self._deferred, None
            if record is None or row is None:
                if record is None and row is not None and raw.kind in self._states:
                    self._states[raw.kind][row - 1] = _INVALID
                if deferred is not None:
                    self._pending.append(deferred)
                continue
            if raw.kind == "alias" and not self._alias_is_new(raw, record):
                continue
            state = _VALID
            if deferred is not None:
                deferred.row, deferred.evidence = row, len(record.evidence)
                self._pending.append(deferred)
                state = _PENDING
            if raw.kind in self._states:
                self._states[raw.kind][row - 1] = state
            self.counts[raw.kind] += 1
            self.counts["evidence"] += len(record.evidence)
            valid.append(record)
        return valid

    def finish(self) -> None:
        """Settle the rules that waited for records of later files."""
        # Charges wait for cases, which never wait; pleas and the like wait for charges.
        for entry in sorted(self._pending, key=lambda entry: entry.owner_kind != "case"):
            owner_valid = self._states[entry.owner_kind][entry.owner_row - 1] == _VALID
            if owner_valid:
                self._add(entry.problem, entry.order)
            if entry.row is None:
                continue
            if owner_valid:
                if entry.kind in self._states:
                    self._states[entry.kind][entry.row - 1] = _INVALID
                self.counts[entry.kind] -= 1
                self.counts["evidence"] -= entry.evidence
                self.revoked.add((entry.kind, entry.key))
            elif entry.kind in self._states:
                self._states[entry.kind][entry.row - 1] = _VALID
        self._pending = []

    def _own_row(self, raw: RawRecord) -> int | None:
        """The record's row when it holds its key (the first record with that key), else None.

        The second pass meets records in the order the first registered them, so the record
        holding a key is the one whose key maps to the next row of its kind.
        """
        key = raw.data.get("id")
        if not isinstance(key, str):
            return None
        row = self.ids[raw.kind].get(key)
        if row is None or row != self._next_row[raw.kind]:
            return None
        self._next_row[raw.kind] += 1
        return row

    def register_id(self, raw: RawRecord) -> int | None:
        """Check the record's id and register it; its row, or None when it cannot be
        referred to."""
        key = raw.data.get("id")
        if "id" not in raw.data:
            self.problem(raw, "id", "missing required field 'id'")
            return None
        if not isinstance(key, str):
            self.problem(raw, "id", f"must be {S.TYPE_NAMES[S.ID]}, not {type_name(key)}")
            return None
        if not S.is_valid_id(key):
            suggestion = re.sub(r"[^a-z0-9._-]+", "-", key.strip().lower()).strip("-._")
            hints = ["ids are lower case: letters, digits, '.', '_' and '-', at most "
                     f"{S.MAX_ID_LENGTH} characters, starting with a letter or digit"]
            if suggestion and S.is_valid_id(suggestion):
                hints.insert(0, f"for example {suggestion!r}")
            self.problem(raw, "id", f"{show(key)} is not a valid id", hints)
            return None
        row = self.index.register(raw.kind, key, raw.file, raw.line)
        if row is None:
            file, line = self.index.first_seen(raw.kind, key)
            where = file + (f":{line}" if line else "")
            self.problem(raw, "id", f"duplicate id {key!r}: another {raw.kind} has it ({where})",
                         ["give each record its own id"])
        return row

    def load_article(self, raw: RawRecord) -> str | None:
        """Check that a source's article is readable UTF-8 text: its path (relative, with
        '/'), or None when it is unusable (reported, unless the field itself is bad)."""
        file = raw.data.get("file")
        if not isinstance(file, str) or not file.strip():
            return None  # the missing or mistyped field is reported by check_record
        # os.path rather than pathlib: a large folder has hundreds of thousands of sources.
        folder = self._real_folder
        try:
            path = os.path.realpath(os.path.join(folder, file))
            within = inside(path, folder) and not os.path.isabs(file)
        except (OSError, ValueError):
            path, within = None, False
        if not within:
            self._refuse_article(raw, file, f"{show(file)} is not a path inside the curated "
                                            f"folder", ["give the article's path relative to "
                                                        "the folder, e.g. 'articles/000.txt'"])
            return None
        try:
            data = read_article_bytes(path, file)
        except (FileNotFoundError, NotADirectoryError):
            self.problem(raw, "file", f"the article {show(file)} does not exist",
                         suggest(file, self.article_files))
            return None
        except NotRegularFile as error:
            self._refuse_article(raw, file, f"the article {show(file)} is not a regular file: "
                                            f"it is {error}")
            return None
        except OSError as error:
            self.problem(raw, "file", f"cannot read the article {show(file)}: "
                                      f"{error.strerror or type(error).__name__}")
            return None
        except InputError:
            self.problem(raw, "file", f"the article {show(file)} is larger than "
                                      f"{ARTICLE_LIMIT // 2**20} MiB, the most casekb reads of "
                                      f"an article; it was not read")
            return None
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b"\n") + 1
            self.problem(raw, "file", f"the article {show(file)} is not UTF-8 text "
                                      f"(byte 0x{data[error.start]:02x} on its line {line})",
                         ["convert the article to UTF-8"])
            return None
        nul = data.find(b"\x00")
        if nul >= 0:
            # SQLite would store it; PostgreSQL refuses text holding NUL. Refused on both.
            line = data.count(b"\n", 0, nul) + 1
            self.problem(raw, "file", f"the article {show(file)} holds a NUL character "
                                      f"(byte offset {nul}, on its line {line})",
                         ["an article is plain text: remove the NUL bytes (e.g. tr -d '\\000')"])
            return None
        return Path(file).as_posix()

    def _refuse_article(self, raw: RawRecord, file: str, message: str,
                        hints: list[str] = ()) -> None:
        """Report an article that is not read (a FIFO, a link out of the folder...): a
        problem, and no note that the folder's walk skipped it as well."""
        self._refused_articles.add(os.path.normpath(file))
        self.problem(raw, "file", message, hints)

    def notes(self) -> list[Problem]:
        """What the folder holds that was not read and that no record refers to: links out
        of the folder, FIFOs, devices (a curated file or an article that is one is a
        problem instead). Notes, not problems: they are said, and change nothing."""
        return [Problem(entry.rel, "", "", f"not read: {entry.skipped}")
                for entry in getattr(self.reader, "skipped", ())
                if os.path.normpath(entry.rel) not in self._refused_articles]

    @cached_property
    def _real_folder(self) -> str:
        return os.path.realpath(self.folder)

    @cached_property
    def article_files(self) -> tuple[str, ...]:
        """The regular files of the folder that are not curated files, to suggest the
        article a source meant."""
        return tuple(rel for rel, _ in regular_files(self.folder) if not is_curated(rel))

    def article(self, source: str) -> Article | None:
        """The article of a valid source (for the builder's source rows)."""
        file = self._article_file(source)
        if file is None:
            return None
        article = self.articles.get(source, file)
        if article is None:
            self._article_changed(file)
        return article

    def article_text(self, source: str) -> str | None:
        """The normalised article of a source, or None when the source is unusable."""
        file = self._article_file(source)
        if file is None:
            return None
        text = self.articles.normalised(source, file)
        if text is None:
            self._article_changed(file)
        return text

    def _article_file(self, source: str) -> str | None:
        return self.index.article_file(source)

    def _article_changed(self, file: str) -> None:
        # Readable in the first pass, not now: report it (once) rather than judge by it.
        if file not in self._changed_articles:
            self._changed_articles.add(file)
            self._add(Problem(file, "", "", "the article changed or went away while the "
                                            "folder was being checked", ["check it again"]),
                      (_READING, 0, 0, 0))

    def check_dates(self, raw: RawRecord, record: Record) -> bool:
        """Dates that cannot be right, though each is a real date: an article published in
        the future; a fact dated after every article that reports it was published; a plea,
        verdict, sentence or status dated before its charge was filed; a charge filed before
        its case's incident."""
        ok, values = True, record.values
        published = values.get("published") if raw.kind == "source" else None
        if isinstance(published, PartialDate) and published.start > date.today():
            ok = False
            self.problem(raw, "published", f"{published} is in the future",
                         ["give the date the article was published, only as precise as known"])
        latest = unasked = object()  # when its evidence was published: asked once, if needed
        for name in () if to_come(raw.kind, values) else REPORTED_DATES.get(raw.kind, ()):
            when = values.get(name)
            if not isinstance(when, PartialDate):
                continue
            if latest is unasked:
                latest = self.index.latest_publication([item.source for item in record.evidence])
            if latest is not None and when.start > latest.end:
                ok = False
                self.problem(raw, name, f"{when} is after its evidence articles were "
                                        f"published (the latest: {latest})",
                             ["an article cannot report what had not happened yet: check the "
                              "date, and the evidence"])
        rule = _DATE_AFTER_OWNER.get(raw.kind)
        if rule is not None and values.get("stage") != "agreed":
            name, owner_kind, owner_field = rule
            when, owner = values.get(name), values.get(owner_kind)
            owner_row = self.ids[owner_kind].get(owner) if isinstance(owner, str) else None
            before = self.index.date_of(owner_kind, owner) if owner_row is not None else None
            if (isinstance(when, PartialDate) and isinstance(before, PartialDate)
                    and when.end < before.start):
                # The rule holds only against a valid owner, which may come in a later file.
                state = self._states[owner_kind][owner_row - 1]
                message = (f"{when} is before the {owner_field} date ({before}) of its "
                           f"{owner_kind} {owner!r}")
                if state == _VALID:
                    ok = False
                    self.problem(raw, name, message)
                elif state != _INVALID and not self._quiet:
                    self._serial += 1
                    self._deferred = _Pending(raw.kind, record.key, owner_kind, owner_row,
                                              (*self._where, self._serial),
                                              self._make_problem(raw, name, message))
        return ok

    def _alias_is_new(self, raw: RawRecord, record: Record) -> bool:
        """An alias names its owner anew: two aliases of one owner with the same name, or an
        alias that is the owner's own name, ignoring letter case and spacing, would collide
        (and say nothing). The later alias is reported."""
        owner = "person" if record.values.get("person") else "case"
        name = record.values.get("name")
        if not isinstance(name, str):
            return True
        owner_key, folded = record.values.get(owner), folded_name(name)
        first = self.index.alias_named(owner, owner_key, folded)
        if first is None:
            self.index.name_alias(owner, owner_key, folded, record.key)
            return True
        self._where = (_ALIASES, S.KIND_NUMBER["alias"], raw.number)
        if first.startswith(OWN_NAME):
            own = "name" if owner == "person" else "title"
            self.problem(raw, "name", f"the alias {name!r} is the {own} of {owner} "
                                      f"{owner_key!r}, {first[len(OWN_NAME):]!r}, differing "
                                      f"only in letter case or spacing",
                         ["an alias is another name a source uses (\"Dave Halls\" for "
                          "\"David Halls\"); one that differs only in letter case or spacing "
                          "adds nothing: remove it"])
            return False
        self.problem(raw, "name", f"{owner} {record.values.get(owner)!r} already has "
                                  f"the alias {name!r} (alias {first!r})",
                     ["merge the two records and list both pieces of evidence"])
        return False


def _caused_by(rel: str, problems: list[Problem]) -> Problem:
    """One problem standing for the `problems` of other files that name records the file
    `rel`, which could not be read, mentions: how many, and the commonest of them."""
    counts: dict[str, int] = {}
    for problem in problems:
        counts[problem.message] = counts.get(problem.message, 0) + 1
    common = sorted(counts.items(), key=lambda item: -item[1])[:3]
    shown = "; ".join(message + (f" ({count} times)" if count > 1 else "")
                      for message, count in common)
    more = " ..." if len(counts) > len(common) else ""
    count = len(problems)
    files = len({problem.file for problem in problems})
    return Problem(rel, "", "", f"{count} further problem{'s' if count != 1 else ''} in "
                   f"{files} other file{'s' if files != 1 else ''} may come from it: "
                   f"{'they name' if count != 1 else 'it names'} records this file mentions "
                   f"({shown}{more})",
                   hints=["fix this file first; `casekb check` then lists what remains"])


def _in_kind_order(records: list[RawRecord]) -> list[RawRecord]:
    """A file's records in reference order (stable: in file order within a kind)."""
    return sorted(records, key=lambda raw: S.KIND_NUMBER[raw.kind])


# (date field, owner, the owner's date field it cannot precede): a charge is filed after its
# case's incident; a plea, verdict, sentence or status comes after its charge was filed (a
# plea or sentence agreed in a deal may come before).
_DATE_AFTER_OWNER = {
    "charge": ("filed", "case", "incident"), "status": ("date", "charge", "filed"),
    "plea": ("entered", "charge", "filed"), "verdict": ("decided", "charge", "filed"),
    "sentence": ("imposed", "charge", "filed"),
}
