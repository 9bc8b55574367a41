"""Partial dates: a day, a month or a year, each standing for a range of days.

"In January 2023" is the month 2023-01, not 2023-01-01. A partial date is stored as its first
and last day plus a precision, and every comparison is made on that range (see `compare`).
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


# ASCII digits only: Python's \d and int() take any script's digits ("٢٠٢٣", "２０２３"), which
# no source writes in a date field and no reader expects to be read as 2023.
_PARTIAL_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")


@dataclass(frozen=True, order=True)
class PartialDate:
    """A date known to the day, the month or the year; `start`..`end` is the range it covers."""

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
        if month is None:
            return cls(date(year, 1, 1), date(year, 12, 31), Precision.YEAR)
        if not 1 <= month <= 12:
            raise ValueError(f"{text!r}: there is no month {month}")
        last = calendar.monthrange(year, month)[1]
        if day is None:
            return cls(date(year, month, 1), date(year, month, last), Precision.MONTH)
        if not 1 <= day <= last:
            raise ValueError(f"{text!r}: {calendar.month_name[month]} {year} has {last} days")
        return cls(date(year, month, day), date(year, month, day), Precision.DAY)

    @classmethod
    def from_stored(cls, start: date, precision: str) -> PartialDate:
        """Rebuild from the stored first day and precision."""
        text = {"day": "%Y-%m-%d", "month": "%Y-%m", "year": "%Y"}[precision]
        return cls.parse(start.strftime(text))

    def __str__(self) -> str:
        if self.precision is Precision.YEAR:
            return f"{self.start.year:04d}"
        if self.precision is Precision.MONTH:
            return f"{self.start.year:04d}-{self.start.month:02d}"
        return self.start.isoformat()


def format_partial(start: date | str | None, precision: str | None) -> str | None:
    """The ISO text of a stored partial date ("2024", "2024-01", "2024-01-19"), or None."""
    if start is None:
        return None
    if isinstance(start, str):
        start = date.fromisoformat(start[:10])
    return str(PartialDate.from_stored(start, precision or "day"))
