"""The limits of raw SQL, the same on both engines: time, rows and bytes.

A statement can ask for more than anyone can read (`SELECT zeroblob(1000000)` two thousand
times is 4 GB of hex) or take longer than anyone waits. So, for `casekb sql`, the REPL's `.sql`
and report SQL blocks:
- one `Deadline` covers the whole run: the statement, fetching its rows, turning them into
  values and, for the command, writing them out;
- rows are fetched a few at a time, never all at once, and `Rows` keeps at most `cap` of them
  and at most MAX_RESULT_BYTES of values in all: memory stays flat whatever the statement
  asks for, and a result cut short says so (`SQLResult.size_limit`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casekb.arguments import time_limit
from casekb.errors import EXIT_INTERRUPTED
from casekb.execute.results import QueryResult, counted
from casekb.plan.plan import Column
from casekb.sql.text import SQLError

if TYPE_CHECKING:
    from collections.abc import Callable

# The most text a result may hold, counted as its values' lengths (a blob counts as its hex):
# far more than anyone reads on a screen, little enough to hold and write in a moment.
# `casekb export` writes whole tables without it.
MAX_RESULT_BYTES = 8 * 2**20
SETTING_NAME = "--timeout"


class SQLTimeout(SQLError):
    """A statement ran past its time limit and was stopped; `seconds` is the limit."""

    def __init__(self, seconds: float, *, query: str = "", setting: str = SETTING_NAME,
                 writing: bool = False):
        shown = f"{seconds:g} s"
        super().__init__(
            f"the time limit of {shown} ran out while the rows were written: the output "
            f"is incomplete" if writing else
            f"the SQL ran longer than the time limit of {shown} and was stopped",
            query=query,
            hints=[f"raise the limit with {setting} SECONDS ({setting} 0 for no limit), or "
                   f"ask for less (a WHERE clause, a LIMIT)"])
        self.seconds = seconds


class SQLCancelled(SQLError):
    """The database server stopped the statement before the time limit: a cancel request
    from an administrator (pg_cancel_backend), or the server shutting down."""

    def __init__(self, elapsed: float, *, query: str = "", detail: str = ""):
        super().__init__(
            f"the SQL was cancelled by the database server after {elapsed:.1f} s, before "
            f"any time limit of casekb" + (f" ({detail})" if detail else ""),
            query=query,
            hints=["an administrator (pg_cancel_backend) or the server stopped it; run it "
                   "again, or ask them why"])
        self.elapsed = elapsed


class SQLInterrupted(SQLError):
    """The statement was stopped by casekb itself, before its time limit: `KB.interrupt()`
    was called (from another thread)."""

    exit_code = EXIT_INTERRUPTED

    def __init__(self, elapsed: float, *, query: str = ""):
        super().__init__(f"the SQL was interrupted after {elapsed:.1f} s (KB.interrupt() "
                         f"stopped it)", query=query)
        self.elapsed = elapsed


class Deadline:
    """When a run must end: `seconds` from now (None or 0: never), or as soon as `interrupt`
    is called (from another thread: `KB.interrupt`). TypeError or ValueError for a time
    limit that is not None or a finite number of seconds, 0 or more."""

    def __init__(self, seconds: float | None):
        seconds = time_limit(seconds)
        self.seconds = seconds or None
        self.started = time.monotonic()
        self.at = self.started + seconds if seconds else None
        self.interrupted = False

    def interrupt(self) -> None:
        """Stop the run now: the statement stops at its next look at the clock, and the
        run raises SQLInterrupted."""
        self.interrupted = True

    def remaining(self) -> float | None:
        """Seconds left (never below 0), or None without a limit."""
        return None if self.at is None else max(0.0, self.at - time.monotonic())

    def passed(self) -> bool:
        return self.at is not None and time.monotonic() >= self.at

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check(self, query: str = "", setting: str = SETTING_NAME) -> None:
        """SQLInterrupted when the run was interrupted; SQLTimeout when the time is up."""
        if self.interrupted:
            raise SQLInterrupted(self.elapsed(), query=query)
        if self.passed():
            raise SQLTimeout(self.seconds or 0, query=query, setting=setting)


@dataclass
class SQLResult(QueryResult):
    """A QueryResult of raw SQL. `size_limit` is set (to MAX_RESULT_BYTES) when the rows
    were cut because their values passed it; `truncated` and `cap` then say how many rows
    were kept, as for a cut by the row cap."""

    size_limit: int | None = None

    @property
    def cut_by_cap(self) -> bool:
        """Whether the row cap cut the rows, so that the cap's note is the one to give; rows
        cut by size (`truncated` too) are said by `size_note` instead."""
        return self.truncated and self.size_limit is None

    def size_note(self) -> str | None:
        """The note for a cut by size, or None."""
        if self.size_limit is None:
            return None
        return (f"note: showing the first {counted(len(self.rows), 'row')}; more matched, but the "
                f"values shown reached {self.size_limit // 2**20} MiB, the most casekb "
                f"sql shows (ask for fewer rows, fewer columns or shorter values, e.g. "
                f"substr(); casekb export writes whole tables)")


class Rows:
    """The rows of a result as they are fetched: each turned into plain values by `plain`,
    kept until `cap` rows (None: no cap) or `max_bytes` of values; `add` says whether to go
    on. The deadline is checked as rows come."""

    def __init__(self, cap: int | None, deadline: Deadline, plain: Callable[[Any], Any], *,
                 query: str = "", max_bytes: int = MAX_RESULT_BYTES):
        self.cap, self.deadline, self.plain = cap, deadline, plain
        self.query, self.max_bytes = query, max_bytes
        self.rows: list[tuple] = []
        self.size = 0
        self.more = False  # rows were left out
        self.cut_by_size = False

    def add(self, row: tuple, size: int | None = None) -> bool:
        """Keep `row` if there is room; False once nothing more is wanted. `size` is the
        bytes of all rows so far, this one included, when the server counted them."""
        if len(self.rows) % 256 == 0:
            self.deadline.check(self.query)
        if self.cap is not None and len(self.rows) >= self.cap:
            self.more = True
            return False
        values = tuple([self.plain(value) for value in row])
        if size is None:
            size = self.size + sum([len(value) if value.__class__ is str else 8
                                    for value in values])
        if size > self.max_bytes:
            self.over_size()
            return False
        self.size = size
        self.rows.append(values)
        return True

    def over_size(self) -> None:
        """The next row would pass the size limit (the server may know it first)."""
        self.more = self.cut_by_size = True

    def result(self, names: list[str]) -> SQLResult:
        # Named as SQL named them, untyped (shown as text).
        columns = tuple(Column(name, "text", (name,)) for name in names)
        cap = len(self.rows) if self.cut_by_size else self.cap
        return SQLResult(columns, self.rows, self.more, cap,
                         size_limit=self.max_bytes if self.cut_by_size else None)
