"""Report files: Markdown with fenced query blocks, and optional TOML front matter.

    +++
    title = "Defendant sheet"
    description = "What the sources say about one defendant."

    [params.defendant]
    description = "the defendant, by any spelling the sources use"
    +++

    # Defendant sheet: $defendant

    ```casekb
    charges where defendant = $defendant with sources
    ```

A block fenced as ```casekb holds one query of the language; ```sql one read-only SQL
statement (casekb sql); the word `timeline` after the language shows the rows as a timeline.
Everything else (headings, prose, other code blocks) is kept as written. reports/README.md
documents the format for report writers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from casekb.errors import CaseKBError
from casekb.inputs import InputError, read_text

FRONT_MATTER_FENCE = "+++"
QUERY_LANGUAGES = ("casekb", "sql")
BLOCK_STYLES = ("table", "timeline")
PARAMETER_TYPES = ("text", "date", "number")
PARAMETER_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})\s*([^`]*?)\s*$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})\s+(.*?)\s*#*\s*$")


class ReportError(CaseKBError):
    """A report that cannot be read or run: where (file and line), what, and the query."""

    def __init__(self, message: str, *, path: str = "", line: int | None = None,
                 column: int | None = None, query: str = "", detail: str = "",
                 hints: list[str] | None = None):
        super().__init__(message, hints=hints)
        self.path = path
        self.line = line
        self.column = column
        self.query = query
        self.detail = detail  # the underlying error, rendered (e.g. a query's underline)

    @property
    def where(self) -> str:
        """`file, line N[, column C]`, or as much of it as is known."""
        where = self.path
        if self.path and self.line:
            where += f", line {self.line}"
            if self.column:
                where += f", column {self.column}"
        return where

    def render(self) -> str:
        lines = [f"{self.where}: {self.message}" if self.where else self.message]
        if self.detail:
            lines.append(self.detail)
        lines += [f"hint: {hint}" for hint in self.hints]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        data = super().to_dict()
        data.update(file=self.path, line=self.line, column=self.column, query=self.query,
                    detail=self.detail)
        return data


@dataclass(frozen=True)
class Parameter:
    """A parameter the report declares: `$name` in its queries and prose."""

    name: str
    default: str | None = None
    description: str = ""
    type: str = "text"  # text, date or number

    @property
    def required(self) -> bool:
        return self.default is None


@dataclass(frozen=True)
class Prose:
    """Markdown kept as written: headings, paragraphs, lists, other code blocks."""

    text: str
    line: int


@dataclass(frozen=True)
class QueryBlock:
    """A fenced query: its language (casekb or sql), its text, the file line of its first
    line, the style it is shown in, and the heading it sits under."""

    language: str
    text: str
    line: int
    style: str = "table"
    heading: str = ""


Block = Prose | QueryBlock


@dataclass
class Report:
    """A parsed report file."""

    path: str
    title: str
    description: str
    parameters: dict[str, Parameter] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)

    @property
    def queries(self) -> list[QueryBlock]:
        return [block for block in self.blocks if isinstance(block, QueryBlock)]


def load_report(path: str | Path) -> Report:
    """Read and parse the report file at `path`; ReportError when it cannot be."""
    shown = str(path)
    try:
        text = read_text(path, shown)  # at most inputs.TEXT_LIMIT: /dev/zero is refused
    except InputError as error:
        if isinstance(error.os_error, FileNotFoundError):
            raise ReportError(f"no report file {shown}", hints=[
                "the example reports are in the reports/ folder of casekb"]) from None
        if isinstance(error.os_error, IsADirectoryError):
            raise ReportError(f"{shown} is a folder; give a report file (.md)") from None
        raise ReportError(error.message, hints=error.hints) from None
    return parse_report(text, shown)


def parse_report(text: str, path: str = "<report>") -> Report:
    """Parse the text of a report file (`path` names it in messages)."""
    lines = text.splitlines()
    settings, body_start = _front_matter(lines, path)
    report = Report(path, str(settings.get("title") or ""), str(settings.get("description") or ""),
                    _parameters(settings.get("params", {}), path))
    report.blocks, first_heading = _blocks(lines, body_start, path)
    report.title = report.title or first_heading or Path(path).stem
    return report


def _front_matter(lines: list[str], path: str) -> tuple[dict, int]:
    """The TOML between `+++` lines at the top (or nothing), and where the body starts."""
    if not lines or lines[0].strip() != FRONT_MATTER_FENCE:
        return {}, 0
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == FRONT_MATTER_FENCE)
    except StopIteration:
        raise ReportError("the front matter opened by `+++` on line 1 is never closed",
                          path=path, line=1, hints=["end it with a line holding only +++"]
                          ) from None
    import tomllib

    try:
        settings = tomllib.loads("\n".join(lines[1:end]))
    except tomllib.TOMLDecodeError as error:
        # tomllib says "(at line L, column C)" counting from the first line after `+++`, or
        # "(at end of document)".
        found = re.search(r"\(at line (\d+), column (\d+)\)", str(error))
        line = int(found.group(1)) + 1 if found else end
        message = re.sub(r"\s*\(at (line \d+, column \d+|end of document)\)", "", str(error))
        raise ReportError(f"the front matter is not valid TOML: {message}", path=path,
                          line=line) from None
    unknown = sorted(set(settings) - {"title", "description", "params"})
    if unknown:
        raise ReportError(f"unknown front matter setting {unknown[0]!r}", path=path, line=1,
                          hints=["the settings are title, description and [params.NAME]"])
    for key in ("title", "description"):
        if key in settings and not isinstance(settings[key], str):
            raise ReportError(f"the front matter's {key} must be text in quotes", path=path,
                              line=1)
    return settings, end + 1


def _parameters(table: object, path: str) -> dict[str, Parameter]:
    if not isinstance(table, dict):
        raise ReportError("`params` in the front matter must be a table: [params.NAME]",
                          path=path, line=1)
    parameters = {}
    for name, spec in table.items():
        if not PARAMETER_NAME.match(name):
            raise ReportError(f"{name!r} cannot be a parameter name (use letters, digits and _)",
                              path=path, line=1)
        if isinstance(spec, str):  # `name = "default"`, the short form
            spec = {"default": spec}
        if not isinstance(spec, dict):
            raise ReportError(f"parameter {name}: give its default in quotes, or a table "
                              f"[params.{name}] with default, description and type",
                              path=path, line=1)
        unknown = sorted(set(spec) - {"default", "description", "type"})
        if unknown:
            raise ReportError(f"parameter {name}: unknown setting {unknown[0]!r}", path=path,
                              line=1, hints=["a parameter has default, description and type"])
        kind = spec.get("type", "text")
        if kind not in PARAMETER_TYPES:
            raise ReportError(f"parameter {name}: type must be one of "
                              f"{', '.join(PARAMETER_TYPES)}, not {kind!r}", path=path, line=1)
        default = spec.get("default")
        if default is not None and not isinstance(default, (str, int)):
            raise ReportError(f"parameter {name}: the default must be text in quotes",
                              path=path, line=1)
        parameters[name] = Parameter(name, None if default is None else str(default),
                                     str(spec.get("description", "")), kind)
    return parameters


def _blocks(lines: list[str], start: int, path: str) -> tuple[list[Block], str]:
    """Split the body into prose and query blocks (other fenced blocks stay in the prose);
    also return the first top-level heading."""
    blocks: list[Block] = []
    prose: list[str] = []
    prose_line = start + 1
    heading = title = ""
    index = start
    while index < len(lines):
        line = lines[index]
        fence = _FENCE.match(line)
        if fence is None:
            found = _HEADING.match(line)
            if found:
                heading = found.group(2)
                if len(found.group(1)) == 1 and not title:
                    title = heading
            prose.append(line)
            index += 1
            continue
        marker, info = fence.group(1), fence.group(2)
        close = _closing_fence(lines, index + 1, marker)
        words = info.split()
        language = words[0].lower() if words else ""
        if language not in QUERY_LANGUAGES:
            # Another code block: prose, kept whole so that its lines are never read as
            # headings or fences.
            end = len(lines) if close is None else close + 1
            prose.extend(lines[index:end])
            index = end
            continue
        if close is None:
            raise ReportError(f"the ```{language} block opened here is never closed",
                              path=path, line=index + 1,
                              hints=[f"end it with a line holding only {marker}"])
        style = _style(words[1:], path, index + 1)
        query = "\n".join(lines[index + 1:close])
        if not query.strip():
            raise ReportError(f"the ```{language} block is empty", path=path, line=index + 1)
        if prose:
            blocks.append(Prose("\n".join(prose), prose_line))
        blocks.append(QueryBlock(language, query, index + 2, style, heading))
        prose, prose_line = [], close + 2
        index = close + 1
    if prose:
        blocks.append(Prose("\n".join(prose), prose_line))
    return blocks, title


def _closing_fence(lines: list[str], start: int, marker: str) -> int | None:
    for index in range(start, len(lines)):
        stripped = lines[index].strip()
        if stripped.startswith(marker[0] * len(marker)) and set(stripped) == {marker[0]}:
            return index
    return None


def _style(words: list[str], path: str, line: int) -> str:
    if not words:
        return "table"
    if len(words) > 1 or words[0].lower() not in BLOCK_STYLES:
        raise ReportError(f"unknown block option {' '.join(words)!r}", path=path, line=line,
                          hints=["after the language, a block may say: " +
                                 " or ".join(BLOCK_STYLES)])
    return words[0].lower()
