"""Ctrl-C stops the running statement and returns to the prompt.

A statement runs in a worker thread while the main thread waits for it. Python delivers
Ctrl-C to the main thread only, and only between bytecodes, so a long SQLite query in the
main thread could not be stopped; waiting in the main thread keeps Ctrl-C responsive. On
Ctrl-C the database connections checked out of the store's pool at that moment are
interrupted (`sqlite3.Connection.interrupt()`, psycopg's `cancel()`), which makes the query
fail promptly; the worker's result is then thrown away and `Cancelled` is raised.

The connections are followed with SQLAlchemy's pool events, so whatever runs the query (the
query language, `.sql`, a profile) needs no hook of its own.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

T = TypeVar("T")
# How long to wait for an interrupted statement to give up before leaving it behind.
STOP_WAIT_SECONDS = 5.0


class Cancelled(Exception):
    """The user pressed Ctrl-C while a statement ran."""


class Canceller:
    """Runs functions so that Ctrl-C interrupts the database work they do."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._in_use: dict[int, Any] = {}

    def watch(self, engine: "Engine") -> None:
        """Follow the connections `engine` hands out, to interrupt them on Ctrl-C."""
        from sqlalchemy import event

        event.listen(engine, "checkout", self._checked_out)
        event.listen(engine, "checkin", self._checked_in)

    def run(self, function: Callable[[], T]) -> T:
        """`function()`, in a worker thread; Cancelled when Ctrl-C comes first."""
        outcome: dict[str, Any] = {}

        def work() -> None:
            try:
                outcome["value"] = function()
            except BaseException as error:  # handed to the main thread as it is
                outcome["error"] = error

        worker = threading.Thread(target=work, name="casekb-statement", daemon=True)
        worker.start()
        try:
            while worker.is_alive():
                worker.join(0.05)
        except KeyboardInterrupt:
            self.interrupt()
            try:
                worker.join(STOP_WAIT_SECONDS)
            except KeyboardInterrupt:
                pass  # asked twice: stop waiting
            raise Cancelled() from None
        if "error" in outcome:
            raise outcome["error"]
        return outcome["value"]

    def interrupt(self) -> None:
        """Interrupt every connection in use now."""
        with self._lock:
            connections = list(self._in_use.values())
        for connection in connections:
            stop = getattr(connection, "interrupt", None) or getattr(connection, "cancel", None)
            if stop is None:
                continue
            try:
                stop()
            except Exception:  # a connection that is already closed needs no stopping
                pass

    def _checked_out(self, dbapi_connection, record, proxy) -> None:
        with self._lock:
            self._in_use[id(dbapi_connection)] = dbapi_connection

    def _checked_in(self, dbapi_connection, record) -> None:
        with self._lock:
            self._in_use.pop(id(dbapi_connection), None)
