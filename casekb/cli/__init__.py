"""The `casekb` command line.

The CLI only parses arguments and turns library errors into messages and exit codes; the work
is done by the library modules. Each group of commands lives in its own module with a
`register(subparsers)` function that adds its parsers and sets `handler` on each.
"""

from __future__ import annotations

import argparse
import errno
import io
import os
import sys

from casekb import __version__
from casekb.errors import EXIT_INTERRUPTED, EXIT_IO, EXIT_USAGE, CaseKBError

# The modules that contribute commands, and the commands each adds (a test holds the two in
# step): imported lazily, and only the one whose command runs builds its parsers, so start-up
# stays lean.
COMMAND_MODULES = {
    "casekb.cli.store_cmds": ("check", "build", "init", "info", "schema"),
    "casekb.cli.query_cmds": ("query", "explain", "describe"),
    "casekb.cli.sql_cmds": ("sql", "export"),
    "casekb.cli.report_cmds": ("report",),
    "casekb.cli.repl_cmds": ("repl", "profile", "timeline"),
    "casekb.cli.coverage_cmds": ("coverage",),
}


class _Parser(argparse.ArgumentParser):
    """argparse that reports usage errors with our exit code and without a traceback."""

    def error(self, message: str):
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser: with every command registered, or only the module of `command`
    when that names one (the others are not needed to parse its arguments)."""
    import importlib

    parser = _Parser(
        prog="casekb",
        description="A legal case knowledge base: facts from news articles, each with its source.",
    )
    parser.add_argument("--version", action="version", version=f"casekb {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    parser.set_defaults(commands=subparsers.choices)  # for the command's own usage, below
    modules = [name for name, commands in COMMAND_MODULES.items() if command in commands]
    for name in modules or COMMAND_MODULES:
        # A module may return defaults for the top level (`casekb` alone starts the shell).
        top_level = importlib.import_module(name).register(subparsers)
        if top_level:
            parser.set_defaults(**top_level)
    return parser


def _exit_on_terminate(signum, frame):
    # SIGTERM (kill, timeout, service managers) unwinds like an exception instead of ending
    # the process on the spot, so a build still removes its temporary file.
    raise SystemExit(128 + signum)


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    import signal
    import threading

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _exit_on_terminate)
    _stand_in_for_closed_streams()
    arguments = sys.argv[1:] if argv is None else argv
    parser = build_parser(arguments[0] if arguments else None)
    args, extra = parser.parse_known_args(arguments)
    if extra:  # said by the command's own parser, with its usage, not casekb's
        command_parser = getattr(args, "commands", {}).get(getattr(args, "command", None))
        (command_parser or parser).error(f"unrecognized arguments: {' '.join(extra)}")
    handler = getattr(args, "handler", None)
    if handler is None:
        default = getattr(args, "default_handler", None)
        if default is None:
            parser.print_help(sys.stderr)
            return EXIT_USAGE
        handler = default
    try:
        status = int(handler(args) or 0)
        sys.stdout.flush()  # here, so that a full disk is reported like any other error
        return status
    except CaseKBError as error:
        print(error.render(), file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`casekb query ... | head`): not an error worth a message.
        _drop_standard_output()
        return 0
    except OSError as error:
        # Writing the results failed: a full disk (`> /dev/full`), a quota, an I/O error.
        # Library errors about files are FileError already; what reaches here is stdout.
        reason = error.strerror or str(error)
        where = f"use {error.filename}" if error.filename else "write to standard output"
        print(f"casekb: cannot {where}: {reason}", file=sys.stderr)
        _drop_standard_output()
        return EXIT_IO


class _ClosedOutput(io.TextIOBase):
    """Standard output when it was closed before casekb started (`casekb query ... >&-`),
    where Python leaves sys.stdout None: writing to it fails as writing to a closed file
    descriptor does, so the failure is reported as any other output that cannot be written
    (exit 5), and a command that writes nothing there still runs."""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, "it is closed")

    def flush(self) -> None:
        pass  # nothing was written; Python's own flush at exit must not fail either


def _stand_in_for_closed_streams() -> None:
    """A standard stream closed before casekb started is None in Python, and every print,
    isatty or flush on it an AttributeError. Standard output becomes _ClosedOutput, and
    standard error a sink (nothing can be said there; the exit status still tells). Each
    closed descriptor is taken by /dev/null, read-only, so that no file casekb opens later
    lands on 0, 1 or 2 and receives what was meant for the stream (SQLite does the same).
    Standard input stays None: the commands that read it take None as nothing piped in."""
    for number, name in ((0, "stdin"), (1, "stdout"), (2, "stderr")):
        if getattr(sys, name) is not None:
            continue
        _occupy(number)
        if name == "stdout":
            sys.stdout = _ClosedOutput()
        elif name == "stderr":
            sys.stderr = open(os.devnull, "w", encoding="utf-8")


def _occupy(number: int) -> None:
    """Put /dev/null (read-only) on the descriptor `number` if it is closed."""
    try:
        os.fstat(number)
        return  # open after all (Python found it unusable for another reason)
    except OSError:
        pass
    try:
        descriptor = os.open(os.devnull, os.O_RDONLY)
        if descriptor != number:
            os.dup2(descriptor, number)
            os.close(descriptor)
    except OSError:
        pass


def _drop_standard_output() -> None:
    """Point standard output at /dev/null, so that Python's own flush at exit does not fail
    again with a traceback of its own."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real file behind sys.stdout (a test's capture)
        pass
