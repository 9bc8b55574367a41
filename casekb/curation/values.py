"""Checking the fields of one record: each value against its declared type (a date, an
amount, a reference, a vocabulary value, evidence...), normalised for the builder.

`FieldChecks` is a part of the folder validator (casekb/curation/validate.py): it reports
through the validator's `problem` and reads its index of keys and its articles.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from functools import cache

from casekb import vocab
from casekb.curation import spec as S
from casekb.curation.index import DATE_BOUNDS, read_date
from casekb.curation.loader import RawRecord
from casekb.curation.quotes import (
    MIN_QUOTE_LETTERS,
    MIN_QUOTE_WORDS,
    closest_passage,
    occurs_in,
    says_too_little,
)
from casekb.curation.records import EvidenceItem, Record
from casekb.curation.wording import a_noun, clip, show, suggest, type_name
from casekb.quantities import Quantity

MAX_INT = 2**31 - 1  # the store's INTEGER columns must fit PostgreSQL's integer too
# Fields no `inferred` mark can name: what the record is, and what it rests on.
_NOT_INFERABLE = (S.ID, S.EVIDENCE, S.CLAIMS, S.INFERRED)


_BOUNDS_HINT = ('a date known only by its bounds is a table: {name} = {{ earliest = '
                '"2021-10-21", latest = "2023-01" }} (either may be left out)')
_INFERRED_HINT = ('write the reasoning behind the value: inferred.FIELD = "basis" (one bound '
                  'of a date: inferred.FIELD.latest = "basis")')


class Invalid(Exception):
    """A field was reported as bad; stop checking it."""


@cache
def column_length(table: str, column: str) -> int | None:
    """The declared length of a VARCHAR column, so PostgreSQL will accept the value too."""
    from casekb.schema.declaration import table_named

    try:
        return table_named(table).column(column).length
    except KeyError:
        return None


class FieldChecks:
    """The checks of a record's fields (see the module docstring)."""

    def check_record(self, raw: RawRecord) -> Record | None:
        kind = S.BY_KIND[raw.kind]
        ok = True
        for name in raw.data:
            if name not in kind.by_name:
                ok = False
                hints = suggest(name, kind.by_name) if isinstance(name, str) else []
                if name == "evidence" and not kind.has_evidence:
                    hints = [f"{raw.kind} records take no evidence"]
                hints.append(f"{raw.kind} fields are: " + ", ".join(kind.by_name))
                self.problem(raw, str(name), f"unknown field {show(name)}", hints,
                             line_field=str(name))
        values: dict[str, object] = {}
        record = Record(raw.kind, str(raw.data.get("id")), raw.file, raw.line, values)
        for field_spec in kind.fields:
            if field_spec.type in (S.ID, S.INFERRED):
                continue
            if field_spec.name not in raw.data:
                if field_spec.required:
                    ok = False
                    self.problem(raw, field_spec.name, f"missing required field "
                                                       f"'{field_spec.name}'",
                                 [field_spec.doc] if field_spec.doc else [])
                elif field_spec.default is not None:
                    values[field_spec.name] = field_spec.default
                continue
            value = raw.data[field_spec.name]
            try:
                checked = self.check_value(raw, field_spec, value, record)
            except Invalid:
                ok = False
                continue
            values[field_spec.name] = checked
        if "inferred" in raw.data and "inferred" in kind.by_name:
            try:
                record.inferred = self.check_inferred(raw, kind, raw.data["inferred"], values)
            except Invalid:
                ok = False
        ok &= self.check_owner(raw, kind)
        ok &= self.check_rules(raw, values)
        if ok:
            ok &= self.check_dates(raw, record)
        if ok:
            self.derive_dates(raw, record)
        return record if ok else None

    # -- field values ------------------------------------------------------------------------

    def check_value(self, raw: RawRecord, fs: S.FieldSpec, value, record: Record):
        """The normalised value of one field; reports and raises Invalid when it is bad."""
        kind = fs.type
        if kind == S.EVIDENCE:
            record.evidence = self.check_evidence(raw, value)
            return None
        if kind == S.CLAIMS:
            record.claims = self.check_claims(raw, value)
            return None
        if kind == S.BOOL:
            if type(value) is not bool:
                self.fail(raw, fs, f"must be true or false, not {type_name(value)}")
            return value
        if kind == S.INT:
            if type(value) is not int:
                hints = ["write a number without quotes: counts = 2"] if isinstance(value, str) else []
                self.fail(raw, fs, f"must be an integer, not {type_name(value)}", hints)
            if not 1 <= value <= MAX_INT:
                self.fail(raw, fs, f"must be at least 1 (and at most {MAX_INT}), not {show(value)}")
            return value
        if kind == S.DATE:
            return self.check_date(raw, fs, value)
        if kind == S.REFS:
            return self.check_refs(raw, fs, value)
        if not isinstance(value, str):
            self.fail(raw, fs, f"must be {S.TYPE_NAMES[kind]}, not {type_name(value)}")
        if "\x00" in value:
            self.fail(raw, fs, "contains a NUL character")
        if kind == S.TEXT:
            return self.check_text(raw, fs, value)
        if kind == S.QUANTITY:
            try:
                quantity = Quantity.parse(value) if len(value) <= 100 else None
            except ValueError as error:
                self.fail(raw, fs, clip(str(error), 200))
            if quantity is None or not math.isfinite(quantity.value):
                self.fail(raw, fs, f"{show(value)} is not a usable quantity",
                          ["write e.g. '18 months', '5 years', '24 hours' or '$5,000'"])
            return quantity
        if kind == S.REF:
            return self.check_ref(raw, fs.name, fs.ref, value)
        if kind == S.VOCAB:
            return self.check_vocab(raw, fs, value)
        raise AssertionError(f"unhandled field type {kind}")  # pragma: no cover - spec bug

    def check_date(self, raw: RawRecord, fs: S.FieldSpec, value):
        """A day, month or year string, or a table of bounds {earliest, latest}."""
        if isinstance(value, (date, datetime, time)):
            self.fail(raw, fs, "must be a date string, not a TOML date",
                      [f'put the date in quotes: {fs.name} = "{value}"'])
        try:
            return read_date(value)
        except TypeError as error:
            bad = error.args[0] if error.args else value
            what = (f"a bound must be {S.TYPE_NAMES[S.DATE]}, not {type_name(bad)}"
                    if isinstance(value, dict) else
                    f"must be {S.TYPE_NAMES[S.DATE]}, not {type_name(value)}")
            self.fail(raw, fs, what, [_BOUNDS_HINT.format(name=fs.name)])
        except ValueError as error:
            self.fail(raw, fs, clip(str(error), 200),
                      ['write "YYYY-MM-DD", "YYYY-MM" or "YYYY", only as precise as the source; '
                       + _BOUNDS_HINT.format(name=fs.name)])

    def check_refs(self, raw: RawRecord, fs: S.FieldSpec, value) -> tuple[str, ...] | None:
        """One id or an array of ids of records of `fs.ref`, each once; None for []."""
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            self.fail(raw, fs, f"must be {S.TYPE_NAMES[S.REFS]}, not {type_name(value)}")
        keys: list[str] = []
        for item in items:
            key = self.check_ref(raw, fs.name, fs.ref, item)
            if key in keys:
                self.fail(raw, fs, f"{show(key)} is listed twice")
            keys.append(key)
        return tuple(keys) or None

    def check_inferred(self, raw: RawRecord, kind: S.KindSpec, value,
                       values: dict) -> list[tuple[str, str]]:
        """The (field, basis) of each mark of `inferred = {FIELD = "basis", ...}`; a date's
        bound is marked as {earliest = "basis"} or {latest = "basis"}."""
        if not isinstance(value, dict):
            self.problem(raw, "inferred", f"must be {S.TYPE_NAMES[S.INFERRED]}, not "
                                          f"{type_name(value)}", [_INFERRED_HINT])
            raise Invalid
        marks, ok = [], True
        for name, basis in value.items():
            where = f"inferred.{name}"
            fs = kind.by_name.get(name)
            if fs is None or fs.type in _NOT_INFERABLE or name == "note":
                ok = False
                choices = [f.name for f in kind.fields
                           if f.type not in _NOT_INFERABLE and f.name != "note"]
                self.problem(raw, where, f"{show(name)} is not a field of {a_noun(raw.kind)} "
                                         f"that can be inferred",
                             suggest(name, choices) + ["fields: " + ", ".join(choices)],
                             line_field=where)
                continue
            if name not in raw.data:
                ok = False
                self.problem(raw, where, f"marks '{name}' as inferred, but the record gives "
                                         f"no '{name}'",
                             ["mark a value the record gives; leave out a value nobody "
                              "states or infers"], line_field=where)
                continue
            bounds = {"": basis}
            if isinstance(basis, dict) and fs.type == S.DATE:
                bounds = {f".{bound}": text for bound, text in basis.items()}
            for suffix, text in bounds.items():
                mark = name + suffix
                if suffix and suffix[1:] not in DATE_BOUNDS:
                    ok = False
                    self.problem(raw, f"inferred.{mark}", f"a date's bounds are 'earliest' and "
                                 f"'latest', not {show(suffix[1:])}", line_field=where)
                elif suffix and self._open_bound(values.get(name), suffix[1:]):
                    ok = False
                    self.problem(raw, f"inferred.{mark}", f"marks the {suffix[1:]} bound of "
                                 f"'{name}' as inferred, but the date has none",
                                 line_field=where)
                elif not isinstance(text, str) or not text.strip() or "\x00" in text:
                    ok = False
                    self.problem(raw, f"inferred.{mark}", "must be the basis of the inference, "
                                 "a non-empty string" + ("" if isinstance(text, str)
                                                         else f", not {type_name(text)}"),
                                 [_INFERRED_HINT], line_field=where)
                else:
                    marks.append((mark, text))
        if not ok:
            raise Invalid
        return marks

    @staticmethod
    def _open_bound(when, bound: str) -> bool:
        """Whether the date `when` (None when invalid) has no such bound."""
        if when is None:
            return False  # reported as a bad date already
        return when.open_start if bound == "earliest" else when.open_end

    def check_text(self, raw: RawRecord, fs: S.FieldSpec, value: str) -> str | None:
        if not value.strip():
            if fs.required:
                self.fail(raw, fs, "must not be empty")
            return None  # an empty optional field means "not stated"
        limit = column_length(S.BY_KIND[raw.kind].table, fs.target_column)
        if limit is not None and len(value) > limit:
            self.fail(raw, fs, f"is {len(value)} characters long; at most {limit} fit")
        return value

    def check_ref(self, raw: RawRecord, field_name: str, target: str, value: str) -> str:
        if value in self.ids[target]:
            return value
        hints = suggest(value, self.ids[target])
        other = next((kind for kind in S.KIND_ORDER if value in self.ids[kind]), None)
        if other is not None:
            hints.insert(0, f"{show(value)} is the id of {a_noun(other)}, but '{field_name}' "
                            f"names {a_noun(target)}")
        if not self.ids[target]:
            hints.append(f"there are no {target} records")
        self.problem(raw, field_name, f"unknown {target} {show(value)}", hints, unknown=value)
        raise Invalid

    def check_vocab(self, raw: RawRecord, fs: S.FieldSpec, value: str) -> str:
        canonical = vocab.canonical(value)
        if canonical in fs.vocabulary:
            return canonical
        hints = suggest(canonical, fs.vocabulary)
        hints.append("one of: " + ", ".join(fs.vocabulary))
        self.fail(raw, fs, f"{show(value)} is not a valid {fs.name}", hints)

    def fail(self, raw: RawRecord, fs: S.FieldSpec, message: str, hints: list[str] = ()):
        self.problem(raw, fs.name, message, hints)
        raise Invalid

    # -- evidence and claims -----------------------------------------------------------------

    def check_evidence(self, raw: RawRecord, value) -> list[EvidenceItem]:
        if not isinstance(value, list):
            self.problem(raw, "evidence", f"must be {S.TYPE_NAMES[S.EVIDENCE]}, "
                                          f"not {type_name(value)}")
            raise Invalid
        if not value:
            self.problem(raw, "evidence", "is empty; every fact needs at least one "
                                          "{source, quote} pair")
            raise Invalid
        items, ok = [], True
        for index, entry in enumerate(value):
            item = self.check_evidence_entry(raw, index, entry)
            if item is None:
                ok = False
            else:
                items.append(item)
        if not ok:
            raise Invalid
        return items

    def check_evidence_entry(self, raw: RawRecord, index: int, entry) -> EvidenceItem | None:
        where = f"evidence[{index}]"
        if not isinstance(entry, dict):
            self.problem(raw, where, f"must be a {{source, quote}} table, not {type_name(entry)}",
                         line_field="evidence")
            return None
        ok = True
        for name in entry:
            if name not in S.EVIDENCE_FIELDS:
                ok = False
                self.problem(raw, f"{where}.{name}", f"unknown field {show(name)}",
                             suggest(name, S.EVIDENCE_FIELDS) + ["evidence fields are: source, "
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
                        else f"must be a string, not {type_name(value)}")
                self.problem(raw, f"{where}.{name}", what, line_field="evidence")
        if not ok:
            return None
        source, quote = entry["source"], entry["quote"]
        if source not in self.ids["source"]:
            hints = suggest(source, self.ids["source"])
            if not self.ids["source"]:
                hints.append("there are no source records (list the articles in sources.toml)")
            self.problem(raw, f"{where}.source", f"unknown source {show(source)}", hints,
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
                         f"{source!r} ({self._article_file(source)}): {show(quote, 100)}",
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
        self.problem(raw, where, f"the quote {show(quote)} is too short to state a fact: it "
                                 f"{short}; a quote needs at least {MIN_QUOTE_WORDS} words "
                                 f"and {MIN_QUOTE_LETTERS} letters",
                     ["quote the words of the article that state the fact, e.g. 'a $500 fine'"],
                     line_field=line_field, contains=quote if line_field else None)
        return True

    def check_claims(self, raw: RawRecord, value) -> list[tuple[str, str]]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.problem(raw, "claims", f"must be {S.TYPE_NAMES[S.CLAIMS]}")
            raise Invalid
        claims, ok = [], True
        for index, text in enumerate(value):
            kind, sep, key = text.partition(":")
            kind, key = kind.strip(), key.strip()
            if not sep or kind not in S.CLAIMABLE_KINDS:
                ok = False
                hints = suggest(kind, S.CLAIMABLE_KINDS) if sep else []
                hints.append('write "kind:id", kind one of: ' + ", ".join(S.CLAIMABLE_KINDS))
                self.problem(raw, f"claims[{index}]", f"{show(text)} is not a reference to a "
                                                      f"record", hints, line_field="claims")
                continue
            if key not in self.ids[kind]:
                ok = False
                self.problem(raw, f"claims[{index}]", f"unknown {kind} {show(key)}",
                             suggest(key, self.ids[kind]), line_field="claims", unknown=key)
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
            raise Invalid
        return claims
