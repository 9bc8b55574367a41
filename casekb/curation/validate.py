"""Validating curated records: every problem, each naming file, record and field.

Validation is total: whatever a file holds (wrong types, huge values, odd Unicode), it yields
problems, never an exception. Valid records come out normalised (vocabulary values in their
canonical spelling, dates as PartialDate, quantities as Quantity) for the builder.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache, cached_property
from pathlib import Path

from casekb import vocab
from casekb.curation import spec as S
from casekb.curation.loader import LoadedFolder, RawRecord
from casekb.curation.quotes import closest_passage, normalise, occurs_in
from casekb.dates import PartialDate
from casekb.errors import Problem
from casekb.quantities import Quantity

_ID_FORMAT = re.compile(r"[a-z0-9][a-z0-9._-]*\Z")
_MAX_INT = 2**31 - 1  # the store's INTEGER columns must fit PostgreSQL's integer too
_SHOWN = 60  # characters of a bad value echoed in a message


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


@dataclass(frozen=True)
class Article:
    """The text of a source's article file."""

    source: str
    file: str
    text: str
    sha256: str


@dataclass
class Curated:
    """A validated folder: its records by kind (in reference order) and its articles."""

    folder: Path
    records: dict[str, list[Record]]
    articles: dict[str, Article]

    def counts(self) -> dict[str, int]:
        """How many records of each kind, plus the number of evidence quotes."""
        counts = {kind: len(self.records.get(kind, ())) for kind in S.KIND_ORDER}
        counts["evidence"] = sum(len(r.evidence) for rs in self.records.values() for r in rs)
        return counts


def validate(loaded: LoadedFolder) -> tuple[Curated, list[Problem]]:
    """Validate the raw records of a folder; return the valid data and every problem found."""
    return _Validator(loaded).run()


class _Validator:
    def __init__(self, loaded: LoadedFolder):
        self.loaded = loaded
        self.problems: list[Problem] = list(loaded.problems)
        self.ids: dict[str, dict[str, RawRecord]] = {kind: {} for kind in S.KIND_ORDER}
        self.articles: dict[str, Article] = {}
        self.normalised_articles: dict[str, str] = {}
        self.broken_sources: set[str] = set()
        self.records: dict[str, list[Record]] = {kind: [] for kind in S.KIND_ORDER}
        self._known: dict[str, dict[str, dict]] = {}

    # -- reporting ---------------------------------------------------------------------------

    def problem(self, raw: RawRecord, field_name: str, message: str, hints: list[str] = (),
                *, line_field: str | None = None, contains: str | None = None) -> None:
        line = raw.line
        if field_name and raw.line is not None:
            line = self.loaded.lines.field_line(raw, line_field or field_name, contains)
        self.problems.append(Problem(raw.file, raw.label(), field_name, message, list(hints),
                                     line=line))

    # -- the passes ---------------------------------------------------------------------------

    def run(self) -> tuple[Curated, list[Problem]]:
        ordered = sorted(self.loaded.records, key=lambda r: S.KIND_ORDER.index(r.kind))
        registered = [self.register_id(raw) for raw in ordered]
        for raw, keyed in zip(ordered, registered):
            if keyed and raw.kind == "source":
                self.load_article(raw)
        # Records whose id is bad or taken are still checked, so every problem shows at once.
        for raw, keyed in zip(ordered, registered):
            record = self.check_record(raw)
            if record is not None and keyed:
                self.records[raw.kind].append(record)
        self.check_aliases_unique()
        curated = Curated(self.loaded.folder, self.records, self.articles)
        return curated, self.problems

    def register_id(self, raw: RawRecord) -> bool:
        """Check the record's id and remember it; False when it cannot be referred to."""
        key = raw.data.get("id")
        if "id" not in raw.data:
            self.problem(raw, "id", "missing required field 'id'")
            return False
        if not isinstance(key, str):
            self.problem(raw, "id", f"must be {S.TYPE_NAMES[S.ID]}, not {_type_name(key)}")
            return False
        if not _ID_FORMAT.match(key) or len(key) > S.MAX_ID_LENGTH:
            suggestion = re.sub(r"[^a-z0-9._-]+", "-", key.strip().lower()).strip("-._")
            hints = ["ids are lower case: letters, digits, '.', '_' and '-', at most "
                     f"{S.MAX_ID_LENGTH} characters, starting with a letter or digit"]
            if suggestion and len(suggestion) <= S.MAX_ID_LENGTH and _ID_FORMAT.match(suggestion):
                hints.insert(0, f"for example {suggestion!r}")
            self.problem(raw, "id", f"{_show(key)} is not a valid id", hints)
            return False
        first = self.ids[raw.kind].get(key)
        if first is not None:
            where = first.file + (f":{first.line}" if first.line else "")
            self.problem(raw, "id", f"duplicate id {key!r}: another {raw.kind} has it ({where})",
                         ["give each record its own id"])
            return False
        self.ids[raw.kind][key] = raw
        return True

    def load_article(self, raw: RawRecord) -> None:
        """Read a source's article; a source whose article is unusable is marked broken."""
        key = raw.data["id"]
        file = raw.data.get("file")
        if not isinstance(file, str) or not file.strip():
            self.broken_sources.add(key)
            return  # the missing or mistyped field is reported by check_record
        folder = self.loaded.folder.resolve()
        try:
            path = (folder / file).resolve()
            inside = path.is_relative_to(folder) and not Path(file).is_absolute()
        except (OSError, ValueError):
            path, inside = None, False
        if not inside:
            self.broken_sources.add(key)
            self.problem(raw, "file", f"{_show(file)} is not a path inside the curated folder",
                         ["give the article's path relative to the folder, e.g. "
                          "'articles/000.txt'"])
            return
        try:
            data = path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            self.broken_sources.add(key)
            self.problem(raw, "file", f"the article {_show(file)} does not exist",
                         _suggest(file, self.article_files))
            return
        except OSError as error:
            self.broken_sources.add(key)
            self.problem(raw, "file", f"cannot read the article {_show(file)}: "
                                      f"{error.strerror or type(error).__name__}")
            return
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            self.broken_sources.add(key)
            line = data[:error.start].count(b"\n") + 1
            self.problem(raw, "file", f"the article {_show(file)} is not UTF-8 text "
                                      f"(byte 0x{data[error.start]:02x} on its line {line})",
                         ["convert the article to UTF-8"])
            return
        self.articles[key] = Article(key, Path(file).as_posix(), text,
                                     hashlib.sha256(data).hexdigest())

    @cached_property
    def article_files(self) -> tuple[str, ...]:
        """The non-TOML files of the folder, to suggest the article a source meant."""
        folder = self.loaded.folder
        try:
            return tuple(p.relative_to(folder).as_posix() for p in folder.rglob("*")
                         if p.is_file() and not p.name.endswith(".toml"))
        except OSError:
            return ()

    def article_text(self, source: str) -> str | None:
        """The normalised article of a source, or None when the source is unusable."""
        if source not in self.normalised_articles:
            article = self.articles.get(source)
            if article is None:
                return None
            self.normalised_articles[source] = normalise(article.text)
        return self.normalised_articles[source]

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
                return PartialDate.parse(value)
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
        self.problem(raw, field_name, f"unknown {target} {_show(value)}", hints)
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
                         line_field="evidence", contains=source)
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
                         f"{source!r} ({self.articles[source].file}): {_show(quote, 100)}",
                         hints, line_field="evidence", contains=quote)
            return None
        return EvidenceItem(source, quote, entry.get("note"))

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
                             _suggest(key, self.ids[kind]), line_field="claims")
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
            latest = self.latest_publication(record)
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
            before = self.known(owner_kind).get(str(owner), {}).get(owner_field)
            if (isinstance(when, PartialDate) and isinstance(before, PartialDate)
                    and when.end < before.start):
                ok = False
                self.problem(raw, name, f"{when} is before the {owner_field} date ({before}) "
                                        f"of its {owner_kind} {owner!r}")
        return ok

    def latest_publication(self, record: Record) -> PartialDate | None:
        """When the last of a record's evidence articles was published; None when any of them
        has no publication date (it may be later than anything known)."""
        published = self.known("source")
        dates = [published.get(item.source, {}).get("published") for item in record.evidence]
        if not dates or not all(isinstance(d, PartialDate) for d in dates):
            return None
        return max(dates, key=lambda d: d.end)

    def known(self, kind: str) -> dict[str, dict]:
        """The values of the valid records of a kind so far, by id (complete for the kinds
        checked before the asking one: records are checked in reference order)."""
        table = self._known.get(kind)
        if table is None or len(table) != len(self.records[kind]):
            table = self._known[kind] = {r.key: r.values for r in self.records[kind]}
        return table

    def check_aliases_unique(self) -> None:
        """Two aliases of one owner with the same name (ignoring case) would collide."""
        seen: dict[tuple[str, str, str], Record] = {}
        for record in self.records["alias"]:
            owner = "person" if record.values.get("person") else "case"
            name = record.values.get("name")
            if not isinstance(name, str):
                continue
            slot = (owner, str(record.values.get(owner)), name.casefold())
            if slot in seen:
                raw = self.ids["alias"][record.key]
                self.problem(raw, "name", f"{owner} {record.values.get(owner)!r} already has "
                                          f"the alias {name!r} (alias {seen[slot].key!r})",
                             ["merge the two records and list both pieces of evidence"])
            else:
                seen[slot] = record
        self.records["alias"] = [r for r in self.records["alias"]
                                 if seen.get(self._alias_slot(r)) is r]

    @staticmethod
    def _alias_slot(record: Record) -> tuple[str, str, str]:
        owner = "person" if record.values.get("person") else "case"
        return owner, str(record.values.get(owner)), str(record.values.get("name")).casefold()


# Date fields of things that happened before they were reported (an event's date may be a
# scheduled trial, so events are left out).
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
    from casekb.models import Base

    try:
        return getattr(Base.metadata.tables[table].c[column].type, "length", None)
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
