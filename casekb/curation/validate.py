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

import difflib
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache, cached_property
from pathlib import Path

from casekb import vocab
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
    is_curated,
    regular_files,
)
from casekb.curation.index import OWN_NAME, FolderIndex, folded_name, parse_date
from casekb.curation.loader import FolderReader, LineFinder, LoadedFolder, RawRecord
from casekb.curation.quotes import (
    MIN_QUOTE_LETTERS,
    MIN_QUOTE_WORDS,
    closest_passage,
    occurs_in,
    says_too_little,
)
from casekb.dates import PartialDate
from casekb.errors import Problem
from casekb.inputs import InputError
from casekb.quantities import Quantity

_MAX_INT = 2**31 - 1  # the store's INTEGER columns must fit PostgreSQL's integer too
_SHOWN = 60  # characters of a bad value echoed in a message

# When a problem is found, in a single pass over the folder: reading files, then ids, then
# articles, then each record (kind by kind), then duplicate aliases. Problems on one line
# are listed in this order.
_READING, _IDS, _ARTICLES, _RECORDS, _ALIASES = range(5)
_KIND_NUMBER = S.KIND_NUMBER

# What is known of a case or charge in the second pass (rules of later records ask).
_UNSEEN, _VALID, _INVALID, _PENDING = range(4)

__all__ = ["Article", "Curated", "EvidenceItem", "FolderValidator", "Record", "collect",
           "validate"]


@dataclass(frozen=True)
class EvidenceItem:
    """A (source, verbatim quote) pair backing a record."""

    source: str
    quote: str
    note: str | None = None


@dataclass
class Record:
    """A valid curated record with normalised values, ready to load."""

    kind: str
    key: str
    file: str
    line: int | None
    values: dict[str, object]  # field name -> str | int | bool | PartialDate | Quantity | None
    evidence: list[EvidenceItem] = field(default_factory=list)
    claims: list[tuple[str, str]] = field(default_factory=list)  # disputes: (kind, id)


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


class FolderValidator:
    """Validates a folder in two passes, file by file; see the module docstring.

        validator = FolderValidator(FolderReader(folder))
        validator.run(sink)            # sink(records) for each file's valid records
        validator.problems()           # every problem, sorted
        validator.close()              # the index of keys is thrown away

    A caller that writes as it goes (the builder) drives the passes itself: `index_files()`,
    then `check_file(rel)` for each of `files`, then `finish()`; `ok` says whether any
    problem was found so far.
    """

    def __init__(self, reader: FolderReader,
                 progress: Callable[[str, int, int], None] | None = None):
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

    def run(self, sink: RecordSink | None = None) -> list[Problem]:
        """Both passes over every file; `sink` gets each file's valid records. Every problem.
        (The index stays open, for `collect`; `close` it when done.)"""
        self.index_files()
        for done, rel in enumerate(self.files, 1):
            valid = self.check_file(rel)
            if sink is not None:
                sink(valid)
            del valid  # before the next file's records are made
            self.report_progress("checking", done)
        self.finish()
        return self.problems()

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
        number = _KIND_NUMBER[raw.kind]
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
            self._where = (_RECORDS, _KIND_NUMBER[raw.kind], raw.number)
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
            self.problem(raw, "id", f"must be {S.TYPE_NAMES[S.ID]}, not {_type_name(key)}")
            return None
        if not S.is_valid_id(key):
            suggestion = re.sub(r"[^a-z0-9._-]+", "-", key.strip().lower()).strip("-._")
            hints = ["ids are lower case: letters, digits, '.', '_' and '-', at most "
                     f"{S.MAX_ID_LENGTH} characters, starting with a letter or digit"]
            if suggestion and S.is_valid_id(suggestion):
                hints.insert(0, f"for example {suggestion!r}")
            self.problem(raw, "id", f"{_show(key)} is not a valid id", hints)
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
            inside = (path == folder or path.startswith(os.path.join(folder, ""))) \
                and not os.path.isabs(file)
        except (OSError, ValueError):
            path, inside = None, False
        if not inside:
            self._refuse_article(raw, file, f"{_show(file)} is not a path inside the curated "
                                            f"folder", ["give the article's path relative to "
                                                        "the folder, e.g. 'articles/000.txt'"])
            return None
        try:
            data = read_article_bytes(path, file)
        except (FileNotFoundError, NotADirectoryError):
            self.problem(raw, "file", f"the article {_show(file)} does not exist",
                         _suggest(file, self.article_files))
            return None
        except NotRegularFile as error:
            self._refuse_article(raw, file, f"the article {_show(file)} is not a regular file: "
                                            f"it is {error}")
            return None
        except OSError as error:
            self.problem(raw, "file", f"cannot read the article {_show(file)}: "
                                      f"{error.strerror or type(error).__name__}")
            return None
        except InputError:
            self.problem(raw, "file", f"the article {_show(file)} is larger than "
                                      f"{ARTICLE_LIMIT // 2**20} MiB, the most casekb reads of "
                                      f"an article; it was not read")
            return None
        try:
            data.decode("utf-8")
        except UnicodeDecodeError as error:
            line = data[:error.start].count(b"\n") + 1
            self.problem(raw, "file", f"the article {_show(file)} is not UTF-8 text "
                                      f"(byte 0x{data[error.start]:02x} on its line {line})",
                         ["convert the article to UTF-8"])
            return None
        nul = data.find(b"\x00")
        if nul >= 0:
            # SQLite would store it; PostgreSQL refuses text holding NUL. Refused on both.
            line = data.count(b"\n", 0, nul) + 1
            self.problem(raw, "file", f"the article {_show(file)} holds a NUL character "
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

    def check_record(self, raw: RawRecord) -> Record | None:
        kind = S.BY_KIND[raw.kind]
        ok = True
        for name in raw.data:
            if name not in kind.by_name:
                ok = False
                hints = _suggest(name, kind.by_name) if isinstance(name, str) else []
                if name == "evidence" and not kind.has_evidence:
                    hints = [f"{raw.kind} records take no evidence"]
                hints.append(f"{raw.kind} fields are: " + ", ".join(kind.by_name))
                self.problem(raw, str(name), f"unknown field {_show(name)}", hints,
                             line_field=str(name))
        values: dict[str, object] = {}
        record = Record(raw.kind, str(raw.data.get("id")), raw.file, raw.line, values)
        for field_spec in kind.fields:
            if field_spec.type == S.ID:
                continue
            if field_spec.name not in raw.data:
                if field_spec.required:
                    ok = False
                    self.problem(raw, field_spec.name, f"missing required field "
                                                       f"'{field_spec.name}'",
                                 [field_spec.doc] if field_spec.doc else [])
                continue
            value = raw.data[field_spec.name]
            try:
                checked = self.check_value(raw, field_spec, value, record)
            except _Invalid:
                ok = False
                continue
            values[field_spec.name] = checked
        ok &= self.check_owner(raw, kind)
        ok &= self.check_rules(raw, values)
        if ok:
            ok &= self.check_dates(raw, record)
        return record if ok else None

    # -- field values ------------------------------------------------------------------------

    def check_value(self, raw: RawRecord, fs: S.FieldSpec, value, record: Record):
        """The normalised value of one field; reports and raises _Invalid when it is bad."""
        kind = fs.type
        if kind == S.EVIDENCE:
            record.evidence = self.check_evidence(raw, value)
            return None
        if kind == S.CLAIMS:
            record.claims = self.check_claims(raw, value)
            return None
        if kind == S.BOOL:
            if type(value) is not bool:
                self.fail(raw, fs, f"must be true or false, not {_type_name(value)}")
            return value
        if kind == S.INT:
            if type(value) is not int:
                hints = ["write a number without quotes: counts = 2"] if isinstance(value, str) else []
                self.fail(raw, fs, f"must be an integer, not {_type_name(value)}", hints)
            if not 1 <= value <= _MAX_INT:
                self.fail(raw, fs, f"must be at least 1 (and at most {_MAX_INT}), not {_show(value)}")
            return value
        if kind == S.DATE and isinstance(value, (date, datetime, time)):
            self.fail(raw, fs, "must be a date string, not a TOML date",
                      [f'put the date in quotes: {fs.name} = "{value}"'])
        if not isinstance(value, str):
            self.fail(raw, fs, f"must be {S.TYPE_NAMES[kind]}, not {_type_name(value)}")
        if "\x00" in value:
            self.fail(raw, fs, "contains a NUL character")
        if kind == S.TEXT:
            return self.check_text(raw, fs, value)
        if kind == S.DATE:
            try:
                return parse_date(value)
            except ValueError as error:
                self.fail(raw, fs, _clip(str(error), 200),
                          ['write "YYYY-MM-DD", "YYYY-MM" or "YYYY", only as precise as the '
                           'source'])
        if kind == S.QUANTITY:
            try:
                quantity = Quantity.parse(value) if len(value) <= 100 else None
            except ValueError as error:
                self.fail(raw, fs, _clip(str(error), 200))
            if quantity is None or not math.isfinite(quantity.value):
                self.fail(raw, fs, f"{_show(value)} is not a usable quantity",
                          ["write e.g. '18 months', '5 years', '24 hours' or '$5,000'"])
            return quantity
        if kind == S.REF:
            return self.check_ref(raw, fs.name, fs.ref, value)
        if kind == S.VOCAB:
            return self.check_vocab(raw, fs, value)
        raise AssertionError(f"unhandled field type {kind}")  # pragma: no cover - spec bug

    def check_text(self, raw: RawRecord, fs: S.FieldSpec, value: str) -> str | None:
        if not value.strip():
            if fs.required:
                self.fail(raw, fs, "must not be empty")
            return None  # an empty optional field means "not stated"
        limit = _column_length(S.BY_KIND[raw.kind].table, fs.target_column)
        if limit is not None and len(value) > limit:
            self.fail(raw, fs, f"is {len(value)} characters long; at most {limit} fit")
        return value

    def check_ref(self, raw: RawRecord, field_name: str, target: str, value: str) -> str:
        if value in self.ids[target]:
            return value
        hints = _suggest(value, self.ids[target])
        other = next((kind for kind in S.KIND_ORDER if value in self.ids[kind]), None)
        if other is not None:
            hints.insert(0, f"{_show(value)} is the id of {_a(other)}, but '{field_name}' "
                            f"names {_a(target)}")
        if not self.ids[target]:
            hints.append(f"there are no {target} records")
        self.problem(raw, field_name, f"unknown {target} {_show(value)}", hints, unknown=value)
        raise _Invalid

    def check_vocab(self, raw: RawRecord, fs: S.FieldSpec, value: str) -> str:
        canonical = vocab.canonical(value)
        if canonical in fs.vocabulary:
            return canonical
        hints = _suggest(canonical, fs.vocabulary)
        hints.append("one of: " + ", ".join(fs.vocabulary))
        self.fail(raw, fs, f"{_show(value)} is not a valid {fs.name}", hints)

    def fail(self, raw: RawRecord, fs: S.FieldSpec, message: str, hints: list[str] = ()):
        self.problem(raw, fs.name, message, hints)
        raise _Invalid

    # -- evidence and claims -----------------------------------------------------------------

    def check_evidence(self, raw: RawRecord, value) -> list[EvidenceItem]:
        if not isinstance(value, list):
            self.problem(raw, "evidence", f"must be {S.TYPE_NAMES[S.EVIDENCE]}, "
                                          f"not {_type_name(value)}")
            raise _Invalid
        if not value:
            self.problem(raw, "evidence", "is empty; every fact needs at least one "
                                          "{source, quote} pair")
            raise _Invalid
        items, ok = [], True
        for index, entry in enumerate(value):
            item = self.check_evidence_entry(raw, index, entry)
            if item is None:
                ok = False
            else:
                items.append(item)
        if not ok:
            raise _Invalid
        return items

    def check_evidence_entry(self, raw: RawRecord, index: int, entry) -> EvidenceItem | None:
        where = f"evidence[{index}]"
        if not isinstance(entry, dict):
            self.problem(raw, where, f"must be a {{source, quote}} table, not {_type_name(entry)}",
                         line_field="evidence")
            return None
        ok = True
        for name in entry:
            if name not in S.EVIDENCE_FIELDS:
                ok = False
                self.problem(raw, f"{where}.{name}", f"unknown field {_show(name)}",
                             _suggest(name, S.EVIDENCE_FIELDS) + ["evidence fields are: source, "
                                                                   "quote, note"],
                             line_field="evidence")
        for name, required in S.EVIDENCE_FIELDS.items():
            value = entry.get(name)
            if name not in entry:
                if required:
                    ok = False
                    self.problem(raw, f"{where}.{name}", f"missing required field '{name}'",
                                 line_field="evidence")
            elif not isinstance(value, str) or not value.strip() or "\x00" in value:
                ok = False
                what = ("must not be empty" if isinstance(value, str) and not value.strip()
                        else "contains a NUL character" if isinstance(value, str)
                        else f"must be a string, not {_type_name(value)}")
                self.problem(raw, f"{where}.{name}", what, line_field="evidence")
        if not ok:
            return None
        source, quote = entry["source"], entry["quote"]
        if source not in self.ids["source"]:
            hints = _suggest(source, self.ids["source"])
            if not self.ids["source"]:
                hints.append("there are no source records (list the articles in sources.toml)")
            self.problem(raw, f"{where}.source", f"unknown source {_show(source)}", hints,
                         line_field="evidence", contains=source, unknown=source)
            return None
        article = self.article_text(source)
        if article is not None and not occurs_in(quote, article):
            found = closest_passage(quote, article)
            hints = ([f"the closest passage of the article reads {found!r}"] if found
                     else ["no long stretch of it occurs in the article: is it the right "
                           "source?"] if found == "" else [])
            hints.append("quotes must be verbatim; only curly quotes, dashes and white space "
                         "are normalised")
            self.problem(raw, f"{where}.quote", f"quote not found in the article of source "
                         f"{source!r} ({self._article_file(source)}): {_show(quote, 100)}",
                         hints, line_field="evidence", contains=quote)
            return None
        # Found (or its article is unusable): but "-" is found in every article.
        if self.check_quote_says_something(raw, f"{where}.quote", quote, line_field="evidence"):
            return None
        return EvidenceItem(source, quote, entry.get("note"))

    def check_quote_says_something(self, raw: RawRecord, where: str, quote: str,
                                   line_field: str | None = None) -> bool:
        """Report a quote too short to state a fact ("-" occurs in every article); True
        when it is one."""
        short = says_too_little(quote)
        if short is None:
            return False
        self.problem(raw, where, f"the quote {_show(quote)} is too short to state a fact: it "
                                 f"{short}; a quote needs at least {MIN_QUOTE_WORDS} words "
                                 f"and {MIN_QUOTE_LETTERS} letters",
                     ["quote the words of the article that state the fact, e.g. 'a $500 fine'"],
                     line_field=line_field, contains=quote if line_field else None)
        return True

    def check_claims(self, raw: RawRecord, value) -> list[tuple[str, str]]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(raw, "claims", f"must be {S.TYPE_NAMES[S.CLAIMS]}")
            raise _Invalid
        claims, ok = [], True
        for index, text in enumerate(value):
            kind, sep, key = text.partition(":")
            kind, key = kind.strip(), key.strip()
            if not sep or kind not in S.CLAIMABLE_KINDS:
                ok = False
                hints = _suggest(kind, S.CLAIMABLE_KINDS) if sep else []
                hints.append('write "kind:id", kind one of: ' + ", ".join(S.CLAIMABLE_KINDS))
                self.problem(raw, f"claims[{index}]", f"{_show(text)} is not a reference to a "
                                                      f"record", hints, line_field="claims")
                continue
            if key not in self.ids[kind]:
                ok = False
                self.problem(raw, f"claims[{index}]", f"unknown {kind} {_show(key)}",
                             _suggest(key, self.ids[kind]), line_field="claims", unknown=key)
                continue
            if (kind, key) in claims:
                ok = False
                self.problem(raw, f"claims[{index}]", f"{kind}:{key} is listed twice",
                             line_field="claims")
                continue
            claims.append((kind, key))
        if ok and len(claims) < 2:
            self.problem(raw, "claims", "a dispute lists at least two conflicting records")
            ok = False
        if not ok:
            raise _Invalid
        return claims

    # -- rules across fields -----------------------------------------------------------------

    def check_owner(self, raw: RawRecord, kind: S.KindSpec) -> bool:
        group = kind.exactly_one_of
        if not group:
            return True
        given = [name for name in group if name in raw.data]
        if len(given) == 1:
            return True
        choices = " / ".join(group)
        if not given:
            self.problem(raw, "", f"needs exactly one of {choices}; none is given")
        else:
            self.problem(raw, given[1], f"needs exactly one of {choices}; "
                                        f"{' and '.join(given)} are given")
        return False

    def check_rules(self, raw: RawRecord, values: dict) -> bool:
        ok = True
        owners = [n for n in ("offense", "charge", "sentence") if n in raw.data]
        if raw.kind == "penalty" and "bound" in values and len(owners) == 1:
            # With no owner or several, check_owner has said so; the bound cannot be judged.
            owner, bound = owners[0], values["bound"]
            if owner == "sentence" and bound != "imposed":
                ok = False
                self.problem(raw, "bound", f"a penalty of a sentence is 'imposed', not {bound!r}",
                             ["statutory maximum and minimum bounds belong to an offense "
                              "or a charge"])
            elif owner in ("offense", "charge") and bound == "imposed":
                ok = False
                self.problem(raw, "bound", f"a penalty of {_a(owner)} is a statutory 'maximum' "
                             f"or 'minimum', not 'imposed'",
                             ["imposed penalties belong to a sentence"])
        if raw.kind == "charge":
            filed, closed = values.get("filed"), values.get("closed")
            if isinstance(filed, PartialDate) and isinstance(closed, PartialDate):
                if closed.end < filed.start:
                    ok = False
                    self.problem(raw, "closed", f"the charge is closed ({closed}) before it "
                                                f"was filed ({filed})")
        if raw.kind == "statement" and isinstance(values.get("quote"), str):
            record_evidence = raw.data.get("evidence")
            sources = ([e.get("source") for e in record_evidence if isinstance(e, dict)]
                       if isinstance(record_evidence, list) else [])
            texts = [self.article_text(s) for s in sources if isinstance(s, str)]
            usable = [t for t in texts if t is not None]
            # Unusable sources are reported elsewhere; judge the quote only against real text.
            if usable and not any(occurs_in(values["quote"], t) for t in usable):
                ok = False
                self.problem(raw, "quote", f"the statement's quote is in none of its evidence "
                                           f"articles: {_show(values['quote'], 100)}",
                             ["the words said must occur verbatim in an article the "
                              "statement's evidence cites"])
            elif self.check_quote_says_something(raw, "quote", values["quote"]):
                ok = False
        return ok


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
        for name in _REPORTED_DATES.get(raw.kind, ()):
            when = values.get(name)
            if not isinstance(when, PartialDate):
                continue
            latest = self.index.latest_publication([item.source for item in record.evidence])
            if latest is not None and when.start > latest.end:
                ok = False
                self.problem(raw, name, f"{when} is after its evidence articles were "
                                        f"published (the latest: {latest})",
                             ["an article cannot report what had not happened yet: check the "
                              "date, and the evidence"])
        rule = _DATE_AFTER_OWNER.get(raw.kind)
        if rule is not None:
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
        self._where = (_ALIASES, _KIND_NUMBER["alias"], raw.number)
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
    return sorted(records, key=lambda raw: _KIND_NUMBER[raw.kind])


_REPORTED_DATES = {
    "case": ("incident",), "charge": ("filed", "closed"), "status": ("date",),
    "plea": ("entered",), "verdict": ("decided",), "sentence": ("imposed",),
    "statement": ("date",),
}
# (date field, owner, the owner's date field it cannot precede): a charge is filed after its
# case's incident; a plea, verdict, sentence or status comes after its charge was filed.
_DATE_AFTER_OWNER = {
    "charge": ("filed", "case", "incident"), "status": ("date", "charge", "filed"),
    "plea": ("entered", "charge", "filed"), "verdict": ("decided", "charge", "filed"),
    "sentence": ("imposed", "charge", "filed"),
}


class _Invalid(Exception):
    """A field was reported as bad; stop checking it."""


@cache
def _column_length(table: str, column: str) -> int | None:
    """The declared length of a VARCHAR column, so PostgreSQL will accept the value too."""
    from casekb.schema.declaration import table_named

    try:
        return table_named(table).column(column).length
    except KeyError:
        return None


def _suggest(value, choices) -> list[str]:
    """'did you mean X?' for the closest choice, if any is close."""
    if not isinstance(value, str) or not value or len(value) > 200:
        return []
    options = list(choices)
    close = difflib.get_close_matches(value, options, n=1, cutoff=0.6)
    if not close:
        lowered = {option.lower(): option for option in options}
        close = [lowered[c] for c in difflib.get_close_matches(value.lower(), list(lowered),
                                                                n=1, cutoff=0.6)]
    return [f"did you mean {close[0]!r}?"] if close else []


def _a(noun: str) -> str:
    """The noun with its indefinite article: "an offense", "a charge"."""
    return ("an " if noun[:1] in "aeiou" else "a ") + noun


def _show(value, limit: int = _SHOWN) -> str:
    """A value for a message: repr, shortened."""
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, (date, datetime, time)):
        return "a TOML date"
    return "a " + type(value).__name__
