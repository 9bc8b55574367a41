"""Reading a curated folder: every *.toml file (outside articles/) into raw records.

The loader turns unreadable files, bad UTF-8 and TOML syntax errors into problems with the
file, line and column, and splits each file into records of known kinds. It does not judge
the records' contents; that is the validator's job. Records are located by line with a cheap
scan for `[[kind]]` headers, since the TOML parser does not report positions.

`FolderReader` reads one file at a time, as often as asked: validation streams a folder in
two passes and never holds more than one file's records.
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

from casekb.curation import tomlparse
from casekb.curation.files import (
    CURATED_FILE_LIMIT,
    Entry,
    NotRegularFile,
    is_curated,
    open_regular,
    walk_entries,
)
from casekb.curation.spec import BY_KIND, KIND_ORDER
from casekb.curation.wording import clip, show, suggest, type_name
from casekb.errors import Problem
from casekb.inputs import InputError, read_stream

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)\s*$")
_TOML_AT_END = re.compile(r"\s*\(at end of document\)\s*$")
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*([A-Za-z0-9_-]+)[ \t]*\]\]")


@dataclass
class RawRecord:
    """One `[[kind]]` table as read from a file, before validation."""

    kind: str
    file: str  # path relative to the folder, with '/'
    number: int  # 1-based position among the records of this kind in this file
    data: dict
    line: int | None = None  # line of the `[[kind]]` header
    end_line: int | None = None  # last line of the record's block

    def label(self) -> str:
        """How problems name the record: "charge 'halls-1'" or "charge #3"."""
        key = self.data.get("id")
        if isinstance(key, str) and key.strip() and len(key) <= 80 and key.isprintable():
            return f"{self.kind} {key!r}"
        return f"{self.kind} #{self.number}"


@dataclass
class LoadedFolder:
    """The raw records of a folder, the problems found reading it, and its line finder."""

    folder: Path
    files: list[str]
    records: list[RawRecord]
    problems: list[Problem]
    lines: LineFinder = field(repr=False)
    unparsed: set[str] = field(default_factory=set)  # files that could not be read as TOML


class LineFinder:
    """Finds the line of a field inside a record, reading a file only when a problem needs it.

    It keeps the lines of the few files asked about last: problems come file by file.
    """

    KEEP_FILES = 4

    def __init__(self, folder: Path):
        self.folder = folder
        self._cache: OrderedDict[str, list[str]] = OrderedDict()

    def file_text(self, rel: str) -> str:
        """The text of a file as well as it can be read (bad bytes replaced), for messages."""
        return "\n".join(self.file_lines(rel))

    def file_lines(self, rel: str) -> list[str]:
        if rel in self._cache:
            self._cache.move_to_end(rel)
            return self._cache[rel]
        try:
            text = read_curated(self.folder / rel, rel).decode("utf-8-sig", "replace")
        except (OSError, InputError):
            text = ""
        lines = self._cache[rel] = text.splitlines()
        while len(self._cache) > self.KEEP_FILES:
            self._cache.popitem(last=False)
        return lines

    def field_line(self, record: RawRecord, name: str, contains: str | None = None) -> int | None:
        """The line of `name = ...` in the record's block (or of a line holding `contains`)."""
        if record.line is None:
            return None
        lines = self.file_lines(record.file)
        end = min(record.end_line or len(lines), len(lines))
        # `name = ...`, or a dotted key under it (`inferred.filed.latest = ...`).
        pattern = re.compile(r"^[ \t]*(?:" + re.escape(name) + r'|"' + re.escape(name)
                             + r'")(?:[ \t]*\.[^=\n]*)?[ \t]*=')
        found = next((n for n in range(record.line, end + 1) if pattern.match(lines[n - 1])),
                     None)
        if contains and found is not None:
            # Inside a multi-line value (an evidence array): the line holding the text.
            probe = contains.strip()[:40]
            for number in range(found, end + 1):
                if probe and probe in lines[number - 1]:
                    return number
        return found or record.line

    def key_line(self, rel: str, key: str) -> int | None:
        """The line where a top-level key first appears (as `[[key]]`, `[key]` or `key =`)."""
        pattern = re.compile(r"^[ \t]*(?:\[\[?[ \t]*" + re.escape(key) + r"[ \t]*\]\]?|"
                             + re.escape(key) + r"[ \t]*=)")
        for number, line in enumerate(self.file_lines(rel), 1):
            if pattern.match(line):
                return number
        return None


class FolderReader:
    """The curated files of a folder, each read into raw records when asked.

    `problems` holds what is wrong with the folder itself (missing, no curated files). The
    first `read` of a file reports its problems; a later one reports none again, but notices
    when the file changed in between (the passes of a check must see the same data).
    `unparsed` names the files that could not be read as TOML: the records of other files
    that refer to theirs will not find them. `skipped` holds the entries of the folder that
    are not read (not regular files inside the folder; see casekb/curation/files.py) and are
    not curated files, which are problems.
    """

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.lines = LineFinder(self.folder)
        self.problems: list[Problem] = []
        self.unparsed: set[str] = set()
        self.skipped: list[Entry] = []
        self._paths: dict[str, Path] = {}
        self._digests: dict[str, bytes] = {}
        if not self.folder.is_dir():
            what = "is not a folder" if self.folder.exists() else "does not exist"
            self.problems.append(Problem(str(self.folder), "", "",
                                         f"the curated data folder {what}"))
            return
        for entry in walk_entries(self.folder):
            if not is_curated(entry.rel):
                if entry.skipped:
                    self.skipped.append(entry)
            elif entry.skipped:
                self.problems.append(Problem(entry.rel, "", "", f"not read: {entry.skipped}",
                                             hints=["a curated file must be a regular file "
                                                    "inside the folder"]))
            else:
                self._paths[entry.rel] = entry.path
        if not self._paths and not self.problems:
            self.problems.append(Problem(str(self.folder), "", "",
                                         "no curated files (*.toml) in this folder",
                                         hints=["create one with: casekb init DIR"]))

    @property
    def files(self) -> list[str]:
        """The curated files, as paths relative to the folder, in reading order."""
        return list(self._paths)

    def read(self, rel: str) -> tuple[list[RawRecord], list[Problem]]:
        """The records of one file, and the problems found reading it (first read only)."""
        problems: list[Problem] = []
        again = rel in self._digests
        parsed = parse_file(rel, self._paths[rel], problems)
        digest = hashlib.sha256(parsed[1].encode("utf-8", "surrogatepass")).digest() \
            if parsed is not None else b""
        if again:
            if digest != self._digests[rel]:
                return [], [Problem(rel, "", "", "the file changed while the folder was being "
                                                 "checked", hints=["check it again"])]
            problems = []
        self._digests[rel] = digest
        if parsed is None:
            self.unparsed.add(rel)
            return [], problems
        data, text = parsed
        records = _split_records(rel, data, text, problems, self.lines)
        return records, ([] if again else problems)


def read_curated(path: Path, rel: str) -> bytes:
    """The bytes of a curated file: OSError (NotRegularFile) unless it is a regular file,
    InputError when it is larger than CURATED_FILE_LIMIT."""
    with open_regular(path) as handle:
        return read_stream(handle, rel, CURATED_FILE_LIMIT)


def parse_file(rel: str, path: Path, problems: list[Problem]) -> tuple[dict, str] | None:
    try:
        raw = read_curated(path, rel)
    except NotRegularFile as error:  # it changed since the folder was listed
        problems.append(Problem(rel, "", "", f"not read: {error}",
                                hints=["a curated file must be a regular file inside the "
                                       "folder"]))
        return None
    except OSError as error:
        problems.append(Problem(rel, "", "", f"cannot read the file: {error.strerror or error}"))
        return None
    except InputError:
        problems.append(Problem(rel, "", "", f"the file is larger than "
                                             f"{CURATED_FILE_LIMIT // 2**20} MiB, the most "
                                             f"casekb reads of a curated file; it was not read",
                                hints=["split it into several files"]))
        return None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[:error.start].count(b"\n") + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        problems.append(Problem(rel, "", "", f"the file is not UTF-8 text (byte 0x{raw[error.start]:02x})",
                                hints=["save the file as UTF-8"], line=line, column=column))
        return None
    try:
        return tomlparse.loads(text), text
    except tomlparse.TOMLDecodeError as error:
        message = str(error)
        line = column = None
        position = _TOML_POSITION.search(message)
        if position:
            line, column = int(position.group(1)), int(position.group(2))
            message = message[:position.start()]
        elif _TOML_AT_END.search(message):
            line = text.count("\n") + 1
            message = _TOML_AT_END.sub("", message) + " at the end of the file"
        hints = []
        if line is not None:
            source_lines = text.splitlines()
            if 1 <= line <= len(source_lines):
                hints.append("the line is: " + clip(source_lines[line - 1].strip(), 120))
        problems.append(Problem(rel, "", "", f"not valid TOML: {message}", hints=hints,
                                line=line, column=column))
        return None
    except RecursionError:
        problems.append(Problem(rel, "", "", "cannot read the file as TOML: its arrays or "
                                             "tables are nested too deeply"))
        return None
    except (MemoryError, ValueError) as error:
        problems.append(Problem(rel, "", "", f"cannot read the file as TOML: {type(error).__name__}"))
        return None


def _split_records(rel: str, data: dict, text: str, problems: list[Problem],
                   lines: LineFinder) -> list[RawRecord]:
    headers = header_lines(text.splitlines())
    records: list[RawRecord] = []
    for key, value in data.items():
        if key not in BY_KIND:
            hints = suggest(key, KIND_ORDER)
            hints.append("record kinds are: " + ", ".join(KIND_ORDER))
            problems.append(Problem(rel, "", "", f"unknown record kind {show(key)}",
                                    hints=hints, line=lines.key_line(rel, key)))
            continue
        if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
            problems.append(Problem(
                rel, key, "", f"records must be an array of tables ([[{key}]]), "
                f"not {type_name(value)}", line=lines.key_line(rel, key)))
            continue
        positions = headers.get(key, [])
        located = len(positions) == len(value)
        for number, item in enumerate(value, 1):
            start = end = None
            if located:
                start, end = positions[number - 1]
            records.append(RawRecord(key, rel, number, item, start, end))
    return records


def header_lines(file_lines: list[str]) -> dict[str, list[tuple[int, int]]]:
    """For each kind, the (first, last) lines of the blocks opened by its `[[kind]]` headers."""
    starts: list[tuple[str, int]] = []
    for number, line in enumerate(file_lines, 1):
        match = _HEADER.match(line)
        if match:
            starts.append((match.group(1), number))
    found: dict[str, list[tuple[int, int]]] = {}
    for index, (kind, start) in enumerate(starts):
        end = starts[index + 1][1] - 1 if index + 1 < len(starts) else len(file_lines)
        found.setdefault(kind, []).append((start, end))
    return found
