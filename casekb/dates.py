"""Dates as precise as the sources: a day, a month, a year, or bounds.

"In January 2023" is the month 2023-01, not 2023-01-01; "weeks after the shooting" is a date
on or after 2021-10-21, and an article of 2023-01-20 that reports it puts it on or before
that day. Every date is a range of days, `start`..`end`, with a precision: day, month or
year for a date written as such, `range` for one given by bounds ("on or after", "on or
before", "between"). A bound that is not known is open: `start` is OPEN_START or `end` is
OPEN_END, the first and last days a date can have, so that ranges compare and sort with
plain comparisons on both engines.

The text of a date is ISO 8601 ("2024-01-19", "2024-01", "2024"), and bounds an interval of
days in the form of ISO 8601-2 (EDTF): "2021-10-22/2023-01-20", "../2023-01-20" (on or
before), "2021-10-22/.." (on or after); bounds written as months or years are shown as their
first and last days ("2024-01-01/2024-03-31"), the same in every output and in the views.

Comparisons of uncertain dates have three answers (casekb/plan/conditions.py says how each
operator reads them): certainly, possibly, certainly not. Sorting is by `start`, then `end`:
a date known to come after another (its start after the other's end) always sorts after it.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from enum import Enum


class Precision(str, Enum):
    """How much of a date is known."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    RANGE = "range"  # bounds: on or after, on or before, between


# The open bounds: "not known to be after" is after the first possible day, "not known to be
# before" before the last.
OPEN_START = date.min  # 0001-01-01
OPEN_END = date.max  # 9999-12-31
OPEN = ".."

# ASCII digits only: Python's \d and int() take any script's digits ("٢٠٢٣", "２０２３"), which
# no source writes in a date field and no reader expects to be read as 2023.
_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
_WHOLE = (Precision.DAY, Precision.MONTH, Precision.YEAR)  # the precisions of one date


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or the year, or between bounds; `start`..`end` is
    the range of days it may be."""

    start: date
    end: date
    precision: Precision

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        """Parse `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (ASCII digits); raise ValueError saying
        what is wrong."""
        match = _PARTIAL_DATE.match(text.strip())
        if not match:
            raise ValueError(f"{text!r} is not a date; write YYYY-MM-DD, YYYY-MM or YYYY")
        year, month, day = (int(g) if g else None for g in match.groups())
        if not 1 <= year <= 9999:
            raise ValueError(f"{text!r}: year {year} is out of range")
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"{text!r}: there is no month {month}")
        if day is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(f"{text!r}: {calendar.month_name[month]} {year} has {last} days")
        return cls._whole(year, month, day)

    @classmethod
    def _whole(cls, year: int, month: int | None, day: int | None) -> PartialDate:
        """The whole year, the whole month (`day` None) or the day (all three given)."""
        if month is None:
            return cls(date(year, 1, 1), date(year, 12, 31), Precision.YEAR)
        if day is None:
            last = calendar.monthrange(year, month)[1]
            return cls(date(year, month, 1), date(year, month, last), Precision.MONTH)
        return cls(date(year, month, day), date(year, month, day), Precision.DAY)

    @classmethod
    def between(cls, earliest: PartialDate | None, latest: PartialDate | None) -> PartialDate:
        """The date on or after the first day of `earliest` and on or before the last day of
        `latest` (either may be None: not known). ValueError when neither is given or they
        are out of order. Bounds that make one day, month or year are that date."""
        if earliest is None and latest is None:
            raise ValueError("a date with bounds needs at least one of them")
        start = earliest.start if earliest is not None else OPEN_START
        end = latest.end if latest is not None else OPEN_END
        if end < start:
            raise ValueError(f"its earliest day ({earliest}) is after its latest ({latest})")
        return cls.of_days(start, end)

    @classmethod
    def of_days(cls, start: date, end: date) -> PartialDate:
        """The date whose days are `start`..`end`: a day, a month or a year when they make
        one exactly, else a range."""
        if start != OPEN_START and end != OPEN_END:
            for precision in _WHOLE:
                whole = cls.parse(_padded(start, precision))
                if whole.start == start and whole.end == end:
                    return whole
        return cls(start, end, Precision.RANGE)

    @classmethod
    def from_stored(cls, start: date, end: date | None, precision: str) -> PartialDate:
        """Rebuild from the stored first day, last day and precision."""
        if precision == Precision.RANGE.value:
            return cls(start, end or OPEN_END, Precision.RANGE)
        # The day, month or year of the first day, built directly: formatting it to parse it
        # back cost 1.6-2x as much, paid for every date of a result in a new process.
        kind = Precision(precision)
        return cls._whole(start.year, None if kind is Precision.YEAR else start.month,
                          start.day if kind is Precision.DAY else None)

    @property
    def open_start(self) -> bool:
        """True when no earliest day is known."""
        return self.start == OPEN_START

    @property
    def open_end(self) -> bool:
        """True when no latest day is known."""
        return self.end == OPEN_END

    @property
    def earliest(self) -> str | None:
        """The first day it may be, as ISO text; None when not known."""
        return None if self.open_start else _padded(self.start, Precision.DAY)

    @property
    def latest(self) -> str | None:
        """The last day it may be, as ISO text; None when not known."""
        return None if self.open_end else _padded(self.end, Precision.DAY)

    def with_latest(self, end: date) -> PartialDate:
        """This date, on or before `end` too (an upper bound that is not stated)."""
        if end >= self.end:
            return self
        return PartialDate.of_days(min(self.start, end), end)

    def __str__(self) -> str:
        if self.precision is Precision.RANGE:
            return f"{self.earliest or OPEN}/{self.latest or OPEN}"
        return _padded(self.start, self.precision)


def _padded(day: date, precision: Precision) -> str:
    # strftime does not pad years before 1000 on every platform.
    year = f"{day.year:04d}"
    if precision is Precision.YEAR:
        return year
    if precision is Precision.MONTH:
        return f"{year}-{day.month:02d}"
    return f"{year}-{day.month:02d}-{day.day:02d}"


def parse_interval(text: str) -> PartialDate:
    """A date written as text: a day, month or year, or bounds "A/B", "../B", "A/.."
    (ValueError saying what is wrong)."""
    if "/" not in text:
        return PartialDate.parse(text)
    low, _, high = text.strip().partition("/")
    earliest = None if low.strip() == OPEN else PartialDate.parse(low)
    latest = None if high.strip() == OPEN else PartialDate.parse(high)
    return PartialDate.between(earliest, latest)
