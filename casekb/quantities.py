"""Quantities in sentences and penalties: durations, money and hours of service.

Each is normalised to one unit per dimension so that values compare across units:
durations to days (a month is 1/12 of a 365.25-day year), money to cents, service to hours.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

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
# ASCII digits only: \d and float() would read "$٥٠٠" as $500.
_MONEY = re.compile(r"^\$\s*([0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.([0-9]{2}))?$")
_AMOUNT = re.compile(r"^([0-9]+(?:\.[0-9]+)?|[a-z-]+)[\s-]+([a-z]+)$")


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
    def parse(cls, text: str) -> Quantity:
        """Parse "18 months", "six-month", "5 years", "24 hours", "$500", "$5,000.00"."""
        raw = text.strip()
        dimension, number, unit = _read(raw)
        return cls(dimension, float(number * _PER_UNIT[unit]), raw)

    @property
    def written(self) -> tuple[int | float, str]:
        """The number and the unit as the text writes them: (6, "months") for "six months",
        (500, "dollars") for "$500"; exact (an int when whole). A text that does not read
        as an amount gives the normalised value and unit."""
        try:
            _, number, unit = _read(self.text.strip())
        except ValueError:
            number, unit = self.value, self.unit
            if self.dimension == "money":
                number, unit = Decimal(repr(self.value)) / 100, "dollars"
        return _exact(number), unit

    def to_json(self) -> dict:
        """{"value", "unit"} as written ({"value": 6, "unit": "months"}), the text, and for
        a duration its length in days (a month is 1/12 of 365.25 days), by which durations
        compare."""
        number, unit = self.written
        data: dict = {"value": number, "unit": unit, "text": self.text}
        if self.dimension == "duration":
            data["days"] = _exact(self.value)
        return data


# The normalised value of one written unit: days for durations, cents for money, hours for
# service (exact decimals: $0.10 is 10 cents, not 10.000000000000002).
_PER_UNIT = {**{f"{unit}s": Decimal(repr(days)) for unit, days in DAYS_PER_UNIT.items()},
             "dollars": Decimal(100), "hours": Decimal(1)}


def _read(raw: str) -> tuple[str, Decimal, str]:
    """(dimension, number, unit) of an amount's text, the unit plural ("months",
    "dollars"); ValueError when it is not an amount."""
    money = _MONEY.match(raw)
    if money:
        return "money", Decimal(money.group(1).replace(",", "") + "." + (money.group(2) or "0")), \
            "dollars"
    match = _AMOUNT.match(raw.lower())
    if not match:
        raise ValueError(f"{raw!r} is not a quantity; write e.g. '18 months', "
                         f"'5 years', '30 days', '24 hours' or '$5,000'")
    number_text, unit_word = match.groups()
    number = _NUMBER_WORDS.get(number_text)
    if number is None:
        try:
            number = Decimal(number_text)
        except ArithmeticError:
            raise ValueError(f"{raw!r}: {number_text!r} is not a number") from None
    unit = _UNIT_WORDS.get(unit_word)
    if unit is None:
        raise ValueError(f"{raw!r}: unknown unit {unit_word!r}; use days, weeks, "
                         f"months, years, hours or a $ amount")
    return ("hours" if unit == "hour" else "duration"), Decimal(number), unit + "s"


def _exact(number: Decimal | float) -> int | float:
    """A number for JSON: an int when it is whole, else the float of its decimal text."""
    whole = int(number)
    return whole if whole == number else float(number)
