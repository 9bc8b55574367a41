"""Running casekb in a child process for the hostile-input tests, fenced in.

A hostile input may make casekb hang or eat memory; in the test process that would stall or
kill the whole run. The child gets a cap on its address space (a runaway read ends in
MemoryError there, seen as a traceback) and a time limit (a hang ends the test, not CI).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

MEMORY_CAP = 1536 * 2**20  # far above what any casekb command needs on the test data
TIME_LIMIT = 60.0


@dataclass
class ChildResult:
    code: int | None  # None: it was stopped at the time limit
    out: str
    err: str

    @property
    def clean(self) -> bool:
        """Finished, and without a Python traceback."""
        return self.code is not None and "Traceback" not in self.err + self.out


def _cap_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def run_casekb(*args: str, stdin=subprocess.DEVNULL, input: bytes | None = None,
               timeout: float = TIME_LIMIT, env: dict | None = None) -> ChildResult:
    """`python -m casekb ARGS` with a memory cap and a time limit; `stdin` a file object
    or `input` bytes."""
    return _run(["-m", "casekb", *map(str, args)], stdin=stdin, input=input, timeout=timeout,
                env=env)


def run_python(code: str, *args: str, timeout: float = TIME_LIMIT) -> ChildResult:
    """`python -c CODE ARGS`, fenced in the same way."""
    return _run(["-c", code, *map(str, args)], timeout=timeout)


def _run(arguments: list[str], *, stdin=subprocess.DEVNULL, input: bytes | None = None,
         timeout: float, env: dict | None = None) -> ChildResult:
    environment = dict(os.environ, **(env or {}))
    environment.pop("CASEKB_DB", None)
    try:
        done = subprocess.run([sys.executable, *arguments],
                              stdin=None if input is not None else stdin, input=input,
                              capture_output=True, timeout=timeout, env=environment,
                              preexec_fn=_cap_memory)
    except subprocess.TimeoutExpired as expired:
        return ChildResult(None, _text(expired.stdout), _text(expired.stderr))
    return ChildResult(done.returncode, _text(done.stdout), _text(done.stderr))


def _text(data: bytes | None) -> str:
    return (data or b"").decode("utf-8", "replace")
