"""Quantities in sentences and penalties: durations, money and hours of service.

Each is normalised to one unit per dimension so that values compare across units:
durations to days (a month is 1/12 of a 365.25-day year), money to cents, service to hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

DAYS_PER_UNIT = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}

# The normalised unit stored for each dimension.
DIMENSION_UNIT = {"duration": "days", "money": "cents", "hours": "hours"}

_UNIT_WORDS = {
    "day": "day", "days": "day",
    "week": "week", "weeks": "week",
    "month": "month", "months": "month",
    "year": "year", "years": "year",
    "hour": "hour", "hours": "hour",
}
_NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "eighteen": 18, "twenty-four": 24,
}
_MONEY = re.compile(r"^\$\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{2}))?$")
_AMOUNT = re.compile(r"^(\d+(?:\.\d+)?|[a-z-]+)[\s-]+([a-z]+)$")


@dataclass(frozen=True)
class Quantity:
    """A normalised amount: `value` in the dimension's unit, and how it was written."""

    dimension: str  # "duration" | "money" | "hours"
    value: float  # days, cents or hours
    text: str  # as written: "18 months", "$5,000"

    @property
    def unit(self) -> str:
        return DIMENSION_UNIT[self.dimension]

    @classmethod
    def parse(cls, text: str) -> "Quantity":
        """Parse "18 months", "six-month", "5 years", "24 hours", "$500", "$5,000.00"."""
        raw = text.strip()
        money = _MONEY.match(raw)
        if money:
            dollars = int(money.group(1).replace(",", ""))
            cents = int(money.group(2) or 0)
            return cls("money", float(dollars * 100 + cents), raw)
        match = _AMOUNT.match(raw.lower())
        if not match:
            raise ValueError(f"{text!r} is not a quantity; write e.g. '18 months', "
                             f"'5 years', '30 days', '24 hours' or '$5,000'")
        number_text, unit_word = match.groups()
        number = _NUMBER_WORDS.get(number_text)
        if number is None:
            try:
                number = float(number_text)
            except ValueError:
                raise ValueError(f"{text!r}: {number_text!r} is not a number") from None
        unit = _UNIT_WORDS.get(unit_word)
        if unit is None:
            raise ValueError(f"{text!r}: unknown unit {unit_word!r}; use days, weeks, "
                             f"months, years, hours or a $ amount")
        if unit == "hour":
            return cls("hours", float(number), raw)
        return cls("duration", float(number) * DAYS_PER_UNIT[unit], raw)

    def to_json(self) -> dict:
        return {"value": self.value, "unit": self.unit, "text": self.text}
