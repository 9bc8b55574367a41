"""Input lines -> whole statements.

The shell reads a line at a time. When nothing is pending, a line starting with `.` is a dot
command, and a line starting with `profile` or `timeline` is one of the views; both are one
line long. Any other line starts a query, and lines collect into it until the query is
complete (the parser accepts it as it stands) or ends with `;`. A query that is wrong rather
than unfinished is handed on at once, so that its error is shown instead of a continuation
prompt that never ends; an empty line hands on whatever is pending, so that an unfinished
query can be ended to see what it is missing.

At the prompt, a line that starts with a clause (`where`, `and`, `show`, `order by`, ...) when
nothing is pending continues the query just run, if the two make a query together: `charges`
then `where defendant = "Dave Halls"` asks the narrower question (the shell says so), where it
used to run `charges` and then fail on `where`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum


class Status(Enum):
    """Where a query's text stands."""

    EMPTY = "empty"  # nothing but spaces and comments
    INCOMPLETE = "incomplete"  # a valid beginning: more is needed
    COMPLETE = "complete"  # a whole statement (more might still follow)
    WRONG = "wrong"  # cannot become a statement by adding text


def query_status(text: str) -> Status:
    """Ask the query parser whether `text` is empty, unfinished, complete or wrong."""
    from casekb.lang._standalone_parser import UnexpectedInput
    from casekb.lang.literals import MAX_QUERY_CHARS
    from casekb.lang.parser import lark_parser

    if len(text) > MAX_QUERY_CHARS:
        return Status.WRONG
    interactive = lark_parser().parse_interactive(text)
    tokens = 0
    try:
        for _ in interactive.iter_parse():
            tokens += 1
        accepted = interactive.accepts()
    except UnexpectedInput:
        return Status.WRONG
    except Exception:  # the tree builder's own checks (a QueryError, say): wrong
        return Status.WRONG
    if tokens == 0:
        return Status.EMPTY
    return Status.COMPLETE if "$END" in accepted else Status.INCOMPLETE


@dataclass(frozen=True)
class Statement:
    """One statement of input and the line it started on (1-based)."""

    text: str
    line: int
    kind: str  # "dot" | "view" | "query"
    continues: bool = False  # a query that continues the one run before it
    # A clause typed alone that could not continue the query run before it (which already
    # has that clause, or with which it makes no query): that query's text, for the hint.
    not_continued: str | None = None


_VIEW = re.compile(r"\s*(profile|timeline)\b(.*)\Z", re.IGNORECASE | re.DOTALL)


def view_parts(text: str) -> tuple[str, str | None] | None:
    """(`profile`|`timeline`, the name or None) for a view statement, else None.

    The name may be quoted ("Alec Baldwin") or written plainly (Alec Baldwin); a final `;`
    is allowed, and a quote left open ("Dave Halls) counts as closed.
    """
    match = _VIEW.match(text)
    if not match:
        return None
    rest = match.group(2).strip().rstrip(";").strip()
    if rest[:1] in ("\"", "'"):
        quote = rest[0]
        rest = rest[1:-1] if len(rest) >= 2 and rest.endswith(quote) else rest[1:]
        rest = rest.replace("\\" + quote, quote).strip()
    return match.group(1).lower(), rest or None


class StatementReader:
    """Collects lines into statements; `feed` returns the statements each chunk completes.

    A complete query is held back while more of the same chunk follows: the next line
    continues it when the two still make sense together (`count charges` then `by status`),
    and otherwise the held query is handed on and the line starts anew. A chunk is one line
    typed at the prompt, a paste of several, or (with `more_may_follow`) a line of a script.
    """

    def __init__(self) -> None:
        self._lines: list[str] = []
        self._complete = False  # the pending lines already make a whole query
        self._first_line = 0
        self._line_number = 0
        self._typed = True  # lines typed at the prompt (a script sets it false)
        self._last_query: list[str] = []  # the lines of the query handed on last
        self._continues = False  # the pending query continues the last one
        self._not_continued: list[str] | None = None  # see Statement.not_continued

    @property
    def pending(self) -> bool:
        """True while a query is unfinished (the shell shows its continuation prompt)."""
        return bool(self._lines)

    @property
    def pending_text(self) -> str:
        """The unfinished query's lines so far ("" when none)."""
        return "\n".join(self._lines)

    def clear(self) -> None:
        """Drop the unfinished query (Ctrl-C at a continuation prompt)."""
        self._lines = []
        self._complete = False
        self._continues = False

    def finish(self) -> list[Statement]:
        """Hand on whatever is pending (at the end of the input)."""
        return [self._take()] if self._lines else []

    def feed(self, chunk: str, *, more_may_follow: bool = False) -> list[Statement]:
        """Take a chunk of input: one line, or several pasted at once. With
        `more_may_follow` (a script), a complete query waits for the next line."""
        done: list[Statement] = []
        self._typed = not more_may_follow
        for line in chunk.split("\n"):
            self._line_number += 1
            done += self._feed_line(line.rstrip("\r"))
        if self._complete and not more_may_follow:
            done.append(self._take())
        return done

    def _feed_line(self, line: str) -> list[Statement]:
        stripped = line.strip()
        if not self._lines:
            return self._start(line, stripped)
        if not stripped:
            return [self._take()]
        if self._complete and (stripped.startswith(".") or view_parts(stripped) is not None):
            return [self._take()] + self._start(line, stripped)
        joined = self.pending_text + "\n" + line
        status = query_status(joined)
        if self._complete and status is Status.WRONG:
            # The line does not continue the query before it: it begins the next one.
            return [self._take()] + self._start(line, stripped)
        return self._add(line, stripped, status)

    def _start(self, line: str, stripped: str) -> list[Statement]:
        if not stripped:
            return []
        if stripped.startswith("."):
            return [Statement(stripped, self._line_number, "dot")]
        if view_parts(stripped) is not None:
            return [Statement(stripped, self._line_number, "view")]
        status = query_status(line)
        if status is Status.EMPTY:  # a comment on its own
            return []
        self._first_line = self._line_number
        if status is Status.WRONG and self._typed and self._continues_last(line, stripped):
            return self._add(line, stripped, query_status(self.pending_text + "\n" + line))
        self._not_continued = (self._last_query if status is Status.WRONG and self._typed
                               and _begins_with_clause(stripped) else None)
        return self._add(line, stripped, status)

    def _continues_last(self, line: str, stripped: str) -> bool:
        """Take up the last query again when `line` is a clause that continues it."""
        if not self._last_query or not _begins_with_clause(stripped):
            return False
        joined = "\n".join(self._last_query + [line])
        if query_status(joined) not in (Status.COMPLETE, Status.INCOMPLETE):
            return False
        self._lines = list(self._last_query)
        self._continues = True
        return True

    def _add(self, line: str, stripped: str, status: Status) -> list[Statement]:
        self._lines.append(line)
        self._complete = status is Status.COMPLETE
        if stripped.endswith(";") or status is Status.WRONG:
            return [self._take()]
        return []

    def _take(self) -> Statement:
        text = "\n".join(self._lines)
        statement = Statement(text, self._first_line, "query", self._continues,
                              "\n".join(self._not_continued) if self._not_continued else None)
        self._not_continued = None
        self._last_query = list(self._lines)
        self.clear()
        return statement


def _begins_with_clause(stripped: str) -> bool:
    """Whether a line begins with a clause of a query (`where`, `show`, `by`...)."""
    from casekb.lang.syntax import CLAUSE_STARTS

    words = stripped.split(None, 1)
    return bool(words) and words[0].lower() in CLAUSE_STARTS
