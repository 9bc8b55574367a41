"""A valid curated record, as validation hands it to the builder."""

from __future__ import annotations

from dataclasses import dataclass, field


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
    # (field, basis) of each value the curator marked inferred, and of each date bound the
    # validator derived from the publication of the evidence ("filed.latest").
    inferred: list[tuple[str, str]] = field(default_factory=list)
    derived: list[tuple[str, str]] = field(default_factory=list)
