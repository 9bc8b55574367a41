"""Curated data: loading a folder of TOML records and articles, and validating it.

    result = check_folder(folder)      # every problem, never raises for bad data
    curated = load_curated(folder)     # the valid data, or CurationError with every problem

The pieces: `files` (which files a folder holds, its hash), `loader` (TOML to raw records),
`spec` (the record kinds as data), `quotes` (verbatim quote matching), `validate`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casekb.errors import CurationError, Problem

if TYPE_CHECKING:
    from casekb.curation.validate import Article, Curated, EvidenceItem, Record

# The validator's classes are imported on first use: the default store only needs
# `casekb.curation.files` on every start, and importing this package must stay cheap.
_LAZY = {"Article", "Curated", "EvidenceItem", "Record"}


def __getattr__(name: str):
    if name in _LAZY:
        from casekb.curation import validate

        return getattr(validate, name)
    raise AttributeError(f"module 'casekb.curation' has no attribute {name!r}")

__all__ = ["Article", "CheckResult", "Curated", "EvidenceItem", "Record", "check_folder",
           "load_curated"]


@dataclass
class CheckResult:
    """The outcome of checking a folder: the valid data, every problem, the files read."""

    folder: Path
    curated: "Curated"
    problems: list[Problem]
    files: list[str]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: what the folder holds."""
        counts = self.curated.counts()
        parts = [f"{n} {kind if n == 1 else plural(kind)}"
                 for kind, n in counts.items() if n and kind != "evidence"]
        return (f"OK: {self.folder}: {len(self.files)} file{'s' if len(self.files) != 1 else ''}, "
                + ", ".join(parts) + f"; {counts['evidence']} evidence quotes, all found")

    def to_dict(self) -> dict:
        """The result as data (for `casekb check --format json`)."""
        return {"ok": self.ok, "folder": str(self.folder), "files": self.files,
                "counts": self.curated.counts(), "problems": [vars(p) for p in self.problems]}


def plural(kind: str) -> str:
    """The plural of a record kind's name ("person" -> "people", "alias" -> "aliases")."""
    if kind == "person":
        return "people"
    if kind.endswith("y"):
        return kind[:-1] + "ies"
    return kind + ("es" if kind.endswith("s") else "s")


def check_folder(folder: Path | str) -> CheckResult:
    """Load and validate a curated folder; every problem is reported, sorted by file and line."""
    from casekb.curation.loader import load_folder
    from casekb.curation.validate import validate

    loaded = load_folder(folder)
    curated, problems = validate(loaded)
    problems.sort(key=lambda p: (p.file, p.line or 0))
    return CheckResult(loaded.folder, curated, problems, loaded.files)


def load_curated(folder: Path | str) -> "Curated":
    """The validated data of a folder; raises CurationError listing every problem."""
    result = check_folder(folder)
    if result.problems:
        raise CurationError(result.problems)
    return result.curated
