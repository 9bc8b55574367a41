"""Ctrl-C stops the running statement and returns to the prompt.

A statement runs in a worker thread while the main thread waits for it. Python delivers
Ctrl-C to the main thread only, and only between bytecodes, so a long SQLite query in the
main thread could not be stopped; waiting in the main thread keeps Ctrl-C responsive. On
Ctrl-C the statement is interrupted (`KB.interrupt`: `sqlite3.Connection.interrupt()`,
psycopg's `cancel()`), which makes it fail promptly; the worker's result is then thrown away
and `Cancelled` is raised.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")
# How long to wait for an interrupted statement to give up before leaving it behind.
STOP_WAIT_SECONDS = 5.0


class Cancelled(Exception):
    """The user pressed Ctrl-C while a statement ran."""


def run_interruptibly(function: Callable[[], T], interrupt: Callable[[], None]) -> T:
    """`function()`, in a worker thread; on Ctrl-C, `interrupt()` and Cancelled."""
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
        interrupt()
        try:
            worker.join(STOP_WAIT_SECONDS)
        except KeyboardInterrupt:
            pass  # asked twice: stop waiting
        raise Cancelled() from None
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
