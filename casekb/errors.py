"""The error tree of casekb.

Every failure a user can cause is one of these; the command line turns them into one clear
message and an exit code, never a traceback. Errors that point into text (a query, a curated
file) carry a line, a column and the span to underline.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Exit codes, shared by every command.
EXIT_OK = 0
EXIT_BAD_INPUT = 1  # a bad query, or curated data that fails validation
EXIT_USAGE = 2  # bad command-line arguments (argparse uses 2 as well)
EXIT_STORE = 3  # the store is missing, unreadable, locked or of another schema version
EXIT_UNKNOWN_NAME = 4  # a query names a person or case the store does not know
EXIT_IO = 5  # a file or stream could not be written: a full disk, no permission... (an input
# that cannot be read is bad input, 1: casekb.inputs.InputError)
EXIT_INTERRUPTED = 130


class CaseKBError(Exception):
    """Base of every error casekb reports to a user."""

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, *, hints: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.hints = list(hints or [])

    def render(self) -> str:
        """The full text shown to a person."""
        lines = [self.message]
        lines += [f"hint: {hint}" for hint in self.hints]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """The error as data, for `--format json`."""
        return {"error": type(self).__name__, "code": self.exit_code,
                "message": self.message, "hints": self.hints}


class UsageError(CaseKBError):
    """The command line was used wrongly (unknown option, missing argument)."""

    exit_code = EXIT_USAGE


class StoreError(CaseKBError):
    """The store cannot be used: missing, not a database, locked, or of another schema version."""

    exit_code = EXIT_STORE


class QuestionInterrupted(CaseKBError):
    """A question of the language stopped by casekb itself (`KB.interrupt()`, from another
    thread): not the store's failure."""

    exit_code = EXIT_INTERRUPTED


class FileError(CaseKBError):
    """The system refused to write a file or a stream: a full disk, no permission, a missing
    folder, an I/O error. Not the user's query or data, nor the store."""

    exit_code = EXIT_IO


@dataclass(frozen=True)
class Span:
    """A stretch of source text: 1-based line and column, and its length in characters."""

    line: int
    column: int
    length: int = 1


def span_at(text: str, offset: int, length: int = 1) -> Span:
    """The span of `length` characters starting at character `offset` of `text`."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(line, column, length)


def offset_of(text: str, span: Span) -> int:
    """The character offset in `text` where `span` starts (the inverse of span_at)."""
    offset = 0
    for _ in range(span.line - 1):
        offset = text.index("\n", offset) + 1
    return offset + span.column - 1


# Lines longer than this are echoed as a window around the span, so that a message about a
# very long query stays readable.
ECHO_WIDTH = 100


def underline(text: str, span: Span) -> str:
    """Echo the line of `text` that holds `span`, with the span underlined by carets."""
    lines = text.splitlines() or [""]
    line = lines[min(span.line, len(lines)) - 1]
    column = span.column
    if len(line) > ECHO_WIDTH:
        start = max(0, min(column - 1 - ECHO_WIDTH // 3, len(line) - ECHO_WIDTH))
        end = start + ECHO_WIDTH
        before, after = ("…" if start else ""), ("…" if end < len(line) else "")
        line = before + line[start:end] + after
        column = column - start + len(before)
    width = max(1, min(span.length, max(1, len(line) - column + 1)))
    return f"  {line}\n  {' ' * (column - 1)}{'^' * width}"


class QueryError(CaseKBError):
    """A query that cannot be parsed, resolved against the registry, or type-checked."""

    def __init__(self, message: str, *, query: str = "", span: Span | None = None,
                 expected: list[str] | None = None, hints: list[str] | None = None):
        super().__init__(message, hints=hints)
        self.query = query
        self.span = span
        self.expected = list(expected or [])

    def render(self) -> str:
        head = self.message
        if self.span is not None:
            head = f"line {self.span.line}, column {self.span.column}: {self.message}"
        lines = [head]
        if self.span is not None and self.query:
            lines.append(underline(self.query, self.span))
        if self.expected:
            lines.append("expected " + ", ".join(self.expected))
        lines += [f"hint: {hint}" for hint in self.hints]
        return "\n".join(lines)

    def to_dict(self) -> dict:
        data = super().to_dict()
        if self.span is not None:
            data.update(line=self.span.line, column=self.span.column,
                        span=[self.span.column, self.span.column + self.span.length])
        data["expected"] = self.expected
        return data


class NotAQueryError(QueryError):
    """`explain` or `describe` where only a query will do. Its own type lets a caller tell it
    from other query errors without reading the message; `--format json` still names it a
    QueryError."""

    def to_dict(self) -> dict:
        data = super().to_dict()
        data["error"] = QueryError.__name__
        return data


class UnknownNameError(QueryError):
    """A name or case title in a query matches nobody in the store. Not "no rows": the
    question was about someone the store does not know, so it has its own exit status, and
    the hints name the nearest names."""

    exit_code = EXIT_UNKNOWN_NAME


@dataclass
class Problem:
    """One problem found in curated data: where it is, and what is wrong."""

    file: str
    record: str  # e.g. "charge 'baldwin-2023'" or "charge #3" when the id is missing
    field: str  # e.g. "evidence[0].quote"; "" for the record as a whole
    message: str
    hints: list[str] = field(default_factory=list)
    line: int | None = None
    column: int | None = None  # set for syntax errors, which point at a character

    def render(self) -> str:
        where = self.file + (f":{self.line}" if self.line else "")
        where += f":{self.column}" if self.line and self.column else ""
        what = self.record + (f", field '{self.field}'" if self.field else "")
        text = f"{where}: {what}: {self.message}" if what else f"{where}: {self.message}"
        return text + "".join(f"\n  hint: {hint}" for hint in self.hints)


class CurationError(CaseKBError):
    """Curated data failed validation; carries every problem found, not just the first."""

    def __init__(self, problems: list[Problem]):
        count = len(problems)
        super().__init__(f"{count} problem{'s' if count != 1 else ''} in the curated data")
        self.problems = problems

    def render(self) -> str:
        return "\n".join([p.render() for p in self.problems] + [self.message])

    def to_dict(self) -> dict:
        data = super().to_dict()
        data["problems"] = [vars(p) for p in self.problems]
        return data
