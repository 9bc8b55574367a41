"""Curated data: loading a folder of TOML records and articles, and validating it.

    result = check_folder(folder)      # every problem, never raises for bad data
    curated = load_curated(folder)     # the valid data, or CurationError with every problem

`check_folder` streams the folder (two passes, one file at a time) and keeps only counts;
`load_curated` keeps every valid record in memory, for small folders and tests. The builder
streams too (casekb/build/builder.py drives `validate.FolderValidator` itself).

The pieces: `files` (which files a folder holds, its hash), `loader` (TOML to raw records),
`tomlparse` (the TOML parser), `spec` (the record kinds as data), `index` (what the first
pass keeps), `articles` (article texts, cached a little while), `quotes` (verbatim quote
matching), `validate`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from casekb.errors import CurationError, Problem

if TYPE_CHECKING:
    from casekb.curation.validate import Article, Curated, EvidenceItem, Record

# The validator's classes are imported on first use: the default store only needs
# `casekb.curation.files` on every start, and importing this package must stay cheap.
_LAZY = {"Article", "Curated", "EvidenceItem", "Record"}

# Told progress(stage, done, total) as work goes on: the files of a pass over a folder, the
# articles coverage measured, the rows of a table a build loaded.
Progress = Callable[[str, int, int], None]


def __getattr__(name: str):
    if name in _LAZY:
        from casekb.curation import validate

        return getattr(validate, name)
    raise AttributeError(f"module 'casekb.curation' has no attribute {name!r}")

__all__ = ["Article", "CheckResult", "Curated", "EvidenceItem", "Progress", "Record",
           "check_folder", "load_curated"]


@dataclass
class CheckResult:
    """The outcome of checking a folder: how many valid records of each kind, every problem,
    the files read, notes on what was not read (links out of the folder, FIFOs... that no
    record refers to), and (only when asked for) the valid data themselves."""

    folder: Path
    counts: dict[str, int]  # valid records per kind, and "evidence": their evidence quotes
    problems: list[Problem]
    files: list[str]
    curated: Curated | None = None
    notes: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        """One line: what the folder holds."""
        counts = self.counts
        parts = [f"{n} {kind if n == 1 else plural(kind)}"
                 for kind, n in counts.items() if n and kind != "evidence"]
        return (f"OK: {self.folder}: {len(self.files)} file{'s' if len(self.files) != 1 else ''}, "
                + ", ".join(parts) + f"; {counts['evidence']} evidence quotes, all found")

    def to_dict(self) -> dict:
        """The result as data (for `casekb check --format json`)."""
        return {"ok": self.ok, "folder": str(self.folder), "files": self.files,
                "counts": self.counts, "problems": [vars(p) for p in self.problems],
                "notes": [vars(note) for note in self.notes]}


def plural(kind: str) -> str:
    """The plural of a record kind's name ("person" -> "people", "alias" -> "aliases")."""
    if kind == "person":
        return "people"
    if kind.endswith("y"):
        return kind[:-1] + "ies"
    return kind + ("es" if kind.endswith("s") else "s")


def check_folder(folder: Path | str, *, keep_records: bool = False,
                 progress: Progress | None = None) -> CheckResult:
    """Validate a curated folder; every problem is reported, sorted by file and line.

    Memory does not grow with the folder, unless `keep_records` asks for every valid record
    (`result.curated`). `progress(stage, files_done, files)` is told after each file.
    """
    from casekb.curation.loader import FolderReader
    from casekb.curation.validate import FolderValidator, collect

    validator = FolderValidator(FolderReader(folder), progress)
    curated = None
    if keep_records:
        curated = collect(validator)
    else:
        try:
            validator.run()
        finally:
            validator.close()
    return CheckResult(validator.folder, dict(validator.counts), validator.problems(),
                       validator.files, curated, validator.notes())


def load_curated(folder: Path | str) -> Curated:
    """The validated data of a folder, all in memory; raises CurationError listing every
    problem. For small folders: checks and builds stream instead."""
    result = check_folder(folder, keep_records=True)
    if result.problems:
        raise CurationError(result.problems)
    assert result.curated is not None
    return result.curated
