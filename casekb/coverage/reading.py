"""What coverage needs from a curated folder, read without validating it: the sources (id and
article file), and every quote a record cites with the record that cites it.

The folder need not pass `casekb check`: a folder being curated, or written in a newer form
of the format, still has sources and quotes. Only what coverage cannot do without is judged:
a file that cannot be read or parsed, and an article that cannot be read, are problems (file,
line and column, as `check` words them); everything else in a file is read as it is.

The quotes of a record: each `evidence` entry's {source, quote}, and a statement's `quote`
(the words said), which is attributed to every source of the record's evidence: it cites
wherever it occurs in their articles, as the validator looks for it there.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from casekb.curation import Progress
from casekb.curation.articles import read_article_bytes
from casekb.curation.files import ARTICLE_LIMIT, NotRegularFile
from casekb.curation.loader import FolderReader, LineFinder, RawRecord
from casekb.errors import CurationError, Problem
from casekb.inputs import InputError

SOURCE_KIND = "source"
WORDS_FIELD = "quote"  # a statement's words said, beside its evidence


@dataclass(frozen=True)
class Citation:
    """A quote a record cites from a source's article. `key` names the quote (the record and
    the field), the same for each source a statement's words are looked for in."""

    source: str
    quote: str
    cited_by: str  # "kind:id"
    key: tuple[str, int, str]  # (file, record number in the file's order, field)
    record: RawRecord = field(compare=False, repr=False)
    field: str = ""


@dataclass
class CuratedQuotes:
    """The sources and the cited quotes of a folder, and the problems found reading it."""

    folder: Path
    sources: dict[str, RawRecord]  # the first [[source]] of each id
    citations: dict[str, list[Citation]]  # by source id
    problems: list[Problem]
    lines: LineFinder


def read_quotes(folder: Path | str,
                progress: Progress | None = None) -> CuratedQuotes:
    """The sources and cited quotes of every curated file; CurationError when the folder
    itself cannot be used (missing, not a folder, no curated files), as `check` says it.
    `progress("reading", files_done, files)` is told after each file."""
    reader = FolderReader(folder)
    if not reader.files:
        raise CurationError(reader.problems)
    found = CuratedQuotes(reader.folder, {}, {}, list(reader.problems), reader.lines)
    for done, rel in enumerate(reader.files, 1):
        records, problems = reader.read(rel)
        found.problems.extend(problems)
        for position, raw in enumerate(records):
            if raw.kind == SOURCE_KIND:
                key = raw.data.get("id")
                if isinstance(key, str):
                    found.sources.setdefault(key, raw)
            for citation in _citations(raw, position):
                found.citations.setdefault(citation.source, []).append(citation)
        if progress is not None:
            progress("reading", done, len(reader.files))
    return found


def cited_by(raw: RawRecord) -> str:
    """How coverage names a record: "kind:id" (by its place in its file when it has no id)."""
    key = raw.data.get("id")
    if isinstance(key, str) and key.strip():
        return f"{raw.kind}:{key}"
    return f"{raw.kind}:{raw.file}#{raw.number}"


def evidence_quotes(raw: RawRecord) -> list[tuple[int, str, str]]:
    """(index, source, quote) of each of the record's `evidence` entries that names a source
    and a quote (strings both)."""
    evidence = raw.data.get("evidence")
    entries = evidence if isinstance(evidence, list) else []
    return [(index, entry["source"], entry["quote"]) for index, entry in enumerate(entries)
            if isinstance(entry, dict) and isinstance(entry.get("source"), str)
            and isinstance(entry.get("quote"), str)]


def _citations(raw: RawRecord, position: int) -> list[Citation]:
    who = cited_by(raw)
    found = [Citation(source, quote, who, (raw.file, position, f"evidence[{index}].quote"), raw,
                      "evidence") for index, source, quote in evidence_quotes(raw)]
    words = raw.data.get(WORDS_FIELD)
    if isinstance(words, str):
        sources = dict.fromkeys(citation.source for citation in found)
        found += [Citation(source, words, who, (raw.file, position, WORDS_FIELD), raw,
                           WORDS_FIELD) for source in sources]
    return found


def read_article(real: str, raw: RawRecord, lines: LineFinder) -> tuple[str | None,
                                                                         Problem | None]:
    """The text of a source's article, or the problem that keeps it from being read (the
    path is outside the folder, whose real path is `real`, missing, not a regular file, too
    large, not UTF-8 text, or holds a NUL), on the line of the source's `file` field."""
    file = raw.data.get("file")

    def problem(message: str, hints: list[str] = ()) -> tuple[None, Problem]:
        return None, Problem(raw.file, raw.label(), "file", message, list(hints),
                             line=lines.field_line(raw, "file"))

    if not isinstance(file, str) or not file.strip():
        return problem("the source names no article file (file = \"articles/...\")")
    try:
        path = os.path.realpath(os.path.join(real, file))
        inside = path.startswith(os.path.join(real, "")) and not os.path.isabs(file)
    except (OSError, ValueError):
        inside = False
    if not inside:
        return problem(f"{file!r} is not a path inside the curated folder",
                       ["give the article's path relative to the folder"])
    try:
        data = read_article_bytes(path, file)
    except (FileNotFoundError, NotADirectoryError):
        return problem(f"the article {file!r} does not exist")
    except NotRegularFile as error:
        return problem(f"the article {file!r} is not a regular file: it is {error}")
    except OSError as error:
        return problem(f"cannot read the article {file!r}: "
                       f"{error.strerror or type(error).__name__}")
    except InputError:
        return problem(f"the article {file!r} is larger than {ARTICLE_LIMIT // 2**20} MiB, "
                       f"the most casekb reads of an article; it was not read")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        return problem(f"the article {file!r} is not UTF-8 text (byte "
                       f"0x{data[error.start]:02x} on its line {line})",
                       ["convert the article to UTF-8"])
    if "\x00" in text:
        return problem(f"the article {file!r} holds a NUL character",
                       ["an article is plain text: remove the NUL bytes"])
    return text, None
