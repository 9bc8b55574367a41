"""What the first pass over a curated folder keeps: the little that rules across records need.

Validation and building stream a folder file by file (casekb/curation/validate.py); a record
may refer to one in a later file, and a few rules compare a record with another. The first
pass reads every file once and keeps, per record, only:

- its id (the key's position among the records of its kind, in reading order: the row id
  the store gives it), and where the key was first seen, for duplicate messages;
- per source: whether it is valid, its publication date and its article's path;
- per case its incident date, per charge its filed date and latest status;
- per alias the owner table and the row id there; counts of evidence quotes and claims.

Dates are kept as day ordinals in arrays, not as objects: a 100,000-case folder holds
4.4 million records, and what the index keeps per record decides the memory of a build.
"""

from __future__ import annotations

from array import array
from datetime import date
from functools import lru_cache

from casekb import vocab
from casekb.curation import spec as S
from casekb.dates import PartialDate, Precision

# Precision codes kept in arrays; 0 means "no date".
_PRECISIONS = (None, Precision.DAY, Precision.MONTH, Precision.YEAR)
_PRECISION_CODE = {precision: code for code, precision in enumerate(_PRECISIONS) if precision}
_NO_STATUS = -1


# PartialDate.parse, remembering the latest dates: a folder repeats the same few thousand
# dates hundreds of thousands of times. (A ValueError is not remembered; it is raised again.)
parse_date = lru_cache(maxsize=4096)(PartialDate.parse)


def raw_date(value) -> PartialDate | None:
    """The partial date a raw field holds, or None when it holds none (or a bad one: the
    validator reports that when it checks the record)."""
    if not isinstance(value, str) or "\x00" in value:
        return None
    try:
        return parse_date(value)
    except ValueError:
        return None


class DateColumn:
    """Partial dates by row id, as ordinals: three small arrays instead of a list of objects."""

    def __init__(self):
        self.start = array("i")
        self.end = array("i")
        self.precision = array("b")

    def append(self, when: PartialDate | None) -> None:
        if when is None:
            self.start.append(0), self.end.append(0), self.precision.append(0)
        else:
            self.start.append(when.start.toordinal())
            self.end.append(when.end.toordinal())
            self.precision.append(_PRECISION_CODE[when.precision])

    def set(self, row: int, when: PartialDate | None) -> None:
        position = row - 1
        if when is None:
            self.start[position] = self.end[position] = self.precision[position] = 0
        else:
            self.start[position] = when.start.toordinal()
            self.end[position] = when.end.toordinal()
            self.precision[position] = _PRECISION_CODE[when.precision]

    def get(self, row: int) -> PartialDate | None:
        position = row - 1
        code = self.precision[position]
        if not code:
            return None
        return PartialDate(date.fromordinal(self.start[position]),
                           date.fromordinal(self.end[position]), _PRECISIONS[code])


class FolderIndex:
    """The first pass's findings about a folder; see the module docstring."""

    def __init__(self):
        self._files: list[str] = []  # the files keys were registered from, in reading order
        self.ids: dict[str, dict[str, int]] = {kind: {} for kind in S.KIND_ORDER}
        self._first_file: dict[str, array] = {kind: array("I") for kind in S.KIND_ORDER}
        self._first_line: dict[str, array] = {kind: array("I") for kind in S.KIND_ORDER}
        self.evidence_totals: dict[str, int] = dict.fromkeys(S.KIND_ORDER, 0)
        self.claims_total = 0
        # Aliases: the row id in the owner's table, negative for person aliases.
        self._alias_rows = array("i")
        self.alias_totals = {"case": 0, "person": 0}
        # Sources: the article's path (None: unusable), validity and publication date.
        self.source_files: list[str | None] = []
        self.source_valid = bytearray()
        self.published = DateColumn()
        self.incident = DateColumn()  # cases
        self.filed = DateColumn()  # charges
        # Charges: their latest status record as (start ordinal, status row, status).
        self._status_start = array("i")
        self._status_row = array("I")
        self._status_code = array("b")
        self._statuses_later: list[tuple[str, int, int, int]] = []

    # -- pass 1 ------------------------------------------------------------------------------

    def register(self, kind: str, key: str, file: str, line: int | None) -> int | None:
        """Give `key` the next id of its kind; None (and nothing stored) when it is taken."""
        ids = self.ids[kind]
        if key in ids:
            return None
        if not self._files or self._files[-1] != file:
            self._files.append(file)
        row = ids[key] = len(ids) + 1
        self._first_file[kind].append(len(self._files) - 1)
        self._first_line[kind].append(line or 0)
        return row

    def first_seen(self, kind: str, key: str) -> tuple[str, int | None]:
        """The file and line of the record that holds `key`."""
        position = self.ids[kind][key] - 1
        line = self._first_line[kind][position]
        return self._files[self._first_file[kind][position]], line or None

    def note(self, kind: str, row: int, data: dict) -> None:
        """Keep what later checks and the builder need of a record whose key was just
        registered (read from its raw fields; only valid records ever use it)."""
        evidence = data.get("evidence")
        if isinstance(evidence, list):
            self.evidence_totals[kind] += len(evidence)
        if kind == "alias":
            owner = "person" if "person" in data else "case"
            self.alias_totals[owner] += 1
            number = self.alias_totals[owner]
            self._alias_rows.append(-number if owner == "person" else number)
        elif kind == "source":
            self.source_files.append(None)
            self.source_valid.append(0)
            self.published.append(None)
        elif kind == "case":
            self.incident.append(raw_date(data.get("incident")))
        elif kind == "charge":
            self.filed.append(raw_date(data.get("filed")))
            self._status_start.append(_NO_STATUS)
            self._status_row.append(0)
            self._status_code.append(0)
        elif kind == "status":
            self._note_status(row, data)
        elif kind == "dispute":
            claims = data.get("claims")
            if isinstance(claims, list):
                self.claims_total += len(claims)

    def _note_status(self, row: int, data: dict) -> None:
        charge, status = data.get("charge"), data.get("status")
        if not isinstance(charge, str) or not isinstance(status, str):
            return
        status = vocab.canonical(status)
        if status not in vocab.CHARGE_STATUSES:
            return
        when = raw_date(data.get("date"))
        # Undated statuses count as the earliest; among equals the one read last wins.
        start = when.start.toordinal() if when else date.min.toordinal()
        code = vocab.CHARGE_STATUSES.index(status)
        charge_row = self.ids["charge"].get(charge)
        if charge_row is None:
            # Its charge is in a later file: settled when the first pass ends.
            self._statuses_later.append((charge, start, row, code))
        else:
            self._set_status(charge_row, start, row, code)

    def _set_status(self, charge_row: int, start: int, row: int, code: int) -> None:
        position = charge_row - 1
        if (start, row) > (self._status_start[position], self._status_row[position]):
            self._status_start[position] = start
            self._status_row[position] = row
            self._status_code[position] = code

    def set_source(self, row: int, *, file: str | None, valid: bool,
                   published: PartialDate | None) -> None:
        """What checking a source in the first pass found."""
        self.source_files[row - 1] = file
        self.source_valid[row - 1] = valid
        self.published.set(row, published if valid else None)

    def close(self) -> None:
        """The first pass is over: settle what waited for later files."""
        for charge, start, row, code in self._statuses_later:
            charge_row = self.ids["charge"].get(charge)
            if charge_row is not None:
                self._set_status(charge_row, start, row, code)
        self._statuses_later = []

    # -- lookups -----------------------------------------------------------------------------

    def row_id(self, kind: str, key: str) -> int:
        """The store row id of a record (aliases: in their owner's table)."""
        row = self.ids[kind][key]
        return abs(self._alias_rows[row - 1]) if kind == "alias" else row

    def table(self, kind: str, key: str) -> str:
        """The store table of a record (aliases go to case_aliases or person_aliases)."""
        if kind == "alias":
            return "person_aliases" if self._alias_rows[self.ids[kind][key] - 1] < 0 \
                else "case_aliases"
        return S.BY_KIND[kind].table

    def count(self, kind: str) -> int:
        """How many records of a kind hold a key of their own."""
        return len(self.ids[kind])

    def latest_status(self, charge_row: int) -> str | None:
        """A charge's current status: its latest dated status record."""
        position = charge_row - 1
        if self._status_start[position] == _NO_STATUS:
            return None
        return vocab.CHARGE_STATUSES[self._status_code[position]]

    def latest_publication(self, sources: list[str]) -> PartialDate | None:
        """When the last of these sources was published; None when one of them is not a
        valid source with a date (it may be later than anything known)."""
        if not sources:
            return None
        ids, valid = self.ids["source"], self.source_valid
        published = self.published
        latest = None
        for source in sources:
            row = ids.get(source)
            if row is None or not valid[row - 1] or not published.precision[row - 1]:
                return None
            # The first of equal ends wins, as max() picks it.
            if latest is None or published.end[row - 1] > published.end[latest - 1]:
                latest = row
        return published.get(latest)
