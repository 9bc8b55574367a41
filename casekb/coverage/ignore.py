"""The ignore file: sentences a curator has looked at and leaves uncited, each with why.

    # coverage-ignore.toml, at the top of the curated folder
    [[ignore]]
    source = "independent-2023-01-20"
    text = "Halyna Hutchins photographed in 2018 (Getty Images)"
    reason = "A picture caption: the year dates the photograph, not a fact of the case."

`text` is a verbatim part of the article (normalised as quotes are: curly quotes, dashes
and white space); the entry covers every sentence that the text is part of or overlaps,
wherever it occurs in the article. It is checked like curated data: every problem names the
file, the line and the field, and an entry with a problem covers nothing. An entry whose
text is no longer in its article (the article or the text changed) is a problem too: a stale
entry could hide a sentence it was never written for.
"""

from __future__ import annotations

import os
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from casekb.curation.files import COVERAGE_IGNORE

# The loader's own reading of a TOML file (problems with line and column), its finding of
# `[[table]]` blocks and its wording of suggestions and types, so that the ignore file is
# read and judged as the curated files are.
from casekb.curation.loader import LineFinder, RawRecord, header_lines, parse_file
from casekb.curation.quotes import MIN_QUOTE_LETTERS, MIN_QUOTE_WORDS, says_too_little
from casekb.curation.wording import suggest, type_name
from casekb.errors import Problem

KIND = "ignore"
FIELDS = ("source", "text", "reason")


@dataclass(frozen=True)
class Entry:
    """One valid [[ignore]] entry, with the record it was read from (for its lines)."""

    source: str
    text: str
    reason: str
    record: RawRecord

    @property
    def label(self) -> str:
        return self.record.label()


def read_entries(folder: Path, sources: Collection[str],
                 lines: LineFinder) -> tuple[list[Entry], list[Problem]]:
    """The valid entries of the folder's ignore file (none when there is no file), and the
    problems of the others. Whether each text is in its article is for `stale`."""
    path = folder / COVERAGE_IGNORE
    if not path.exists() and not path.is_symlink():
        return [], []
    real = os.path.realpath(folder)
    if not os.path.realpath(path).startswith(os.path.join(real, "")):
        return [], [Problem(COVERAGE_IGNORE, "", "", "not read: a link out of the folder",
                            ["the ignore file must be a regular file inside the folder"])]
    problems: list[Problem] = []
    parsed = parse_file(COVERAGE_IGNORE, path, problems)
    if parsed is None:
        return [], problems
    data, text = parsed
    for key in data:
        if key != KIND:
            problems.append(Problem(COVERAGE_IGNORE, "", "", f"unknown key {_shorten(key)}",
                                    suggest(key, (KIND,)) + ["write each entry as a "
                                                             "[[ignore]] table"],
                                    line=lines.key_line(COVERAGE_IGNORE, key)))
    tables = data.get(KIND, [])
    if not isinstance(tables, list) or not all(isinstance(item, dict) for item in tables):
        problems.append(Problem(COVERAGE_IGNORE, KIND, "", "entries must be an array of tables "
                                                          "([[ignore]])",
                                line=lines.key_line(COVERAGE_IGNORE, KIND)))
        return [], problems
    blocks = header_lines(text.splitlines()).get(KIND, [])
    located = len(blocks) == len(tables)
    entries = []
    for number, table in enumerate(tables, 1):
        start, end = blocks[number - 1] if located else (None, None)
        record = RawRecord(KIND, COVERAGE_IGNORE, number, table, start, end)
        entry = _entry(record, sources, lines, problems)
        if entry is not None:
            entries.append(entry)
    return entries, problems


def _entry(record: RawRecord, sources: Collection[str], lines: LineFinder,
           problems: list[Problem]) -> Entry | None:
    found = len(problems)

    def problem(name: str, message: str, hints: list[str] = (), *, missing=False) -> None:
        line = record.line if missing else lines.field_line(record, name)
        problems.append(Problem(record.file, record.label(), name, message, list(hints),
                                line=line))

    data = record.data
    for name in data:
        if name not in FIELDS:
            problem(name, f"unknown field {_shorten(name)}",
                    suggest(name, FIELDS) + ["the fields are: " + ", ".join(FIELDS)])
    for name in FIELDS:
        value = data.get(name)
        if name not in data:
            problem(name, f"missing required field {name!r}", missing=True)
        elif not isinstance(value, str):
            problem(name, f"must be a string, not {type_name(value)}")
        elif not value.strip():
            problem(name, "must not be empty" if name != "reason" else
                    "must not be empty: say why the sentence is left uncited")
    if len(problems) > found:
        return None
    if data["source"] not in sources:
        problem("source", f"unknown source {_shorten(data['source'])}",
                suggest(data["source"], sources))
        return None
    short = says_too_little(data["text"])
    if short is not None:
        problem("text", f"the text {_shorten(data['text'])} is too short to single out a "
                        f"sentence: it {short}; give at least {MIN_QUOTE_WORDS} words and "
                        f"{MIN_QUOTE_LETTERS} letters of it")
        return None
    return Entry(data["source"], data["text"], data["reason"], record)


def stale(entry: Entry, file: str, lines: LineFinder, hint: str | None) -> Problem:
    """The problem of an entry whose text is not in its article (`hint`: the closest
    passage, when there is one)."""
    hints = [f"the closest passage of the article reads {hint!r}"] if hint else []
    hints.append("the text must be verbatim; only curly quotes, dashes and white space are "
                 "normalised")
    return Problem(entry.record.file, entry.label, "text",
                   f"not found in the article of source {entry.source!r} ({file}): "
                   f"{_shorten(entry.text)}", hints,
                   line=lines.field_line(entry.record, "text"))


def unused(entry: Entry, lines: LineFinder) -> Problem:
    """The note on an entry that covers no flagged sentence (each is cited, or shows no
    cue): it can go."""
    return Problem(entry.record.file, entry.label, "text",
                   "covers no flagged sentence (each sentence it covers is cited, or shows no "
                   "legal fact): the entry is not needed",
                   line=lines.field_line(entry.record, "text"))


def _shorten(text: str, limit: int = 100) -> str:
    text = " ".join(text.split())
    return repr(text if len(text) <= limit else text[:limit - 1] + "…")
