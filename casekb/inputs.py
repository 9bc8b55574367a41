"""Reading what a user gives casekb, never more than a limit: files, standard input, lines.

A report named `/dev/zero`, a script piped from a program that never stops, or a file of many
gigabytes must end in one clear message, not in a process that fills memory until the kernel
kills it. Every input a user gives is read through here: at most `limit` bytes (one more is
asked for, to know that there was more), and when there is more the message names the input
and the limit. Text must be UTF-8; the message for bytes that are not names where they are.

    text = read_text("my-report.md", "the report file my-report.md")
    query = read_stdin("the query on standard input")
    for line in read_lines(sys.stdin, "standard input"): ...   # a script, line by line

Words from the command line (a name, a path) are checked by `text_argument` and
`path_argument`: bytes that are not UTF-8 reach Python as lone surrogates, which no database
and no UTF-8 output accepts, and a NUL cannot be part of a path.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from casekb.errors import EXIT_BAD_INPUT, CaseKBError, UsageError

# Report files, scripts, queries and SQL on standard input: far above anything written by
# hand, and small enough that reading that much is quick and costs little memory.
TEXT_LIMIT = 16 * 2**20
# One line of a script read as it comes (`casekb repl < FILE`); a query is at most 20,000
# characters, and a line of SQL for `.sql` as long as this is no longer a line anyone wrote.
LINE_LIMIT = 2**20

_SURROGATE = re.compile("[\ud800-\udfff]")


class InputError(CaseKBError):
    """An input that cannot be used: larger than its limit, not UTF-8 text, or unreadable.

    `name` is how the message named the input, `line` the line of a script it is about;
    `os_error` is the OSError behind "cannot read", for callers that word a missing file
    their own way.
    """

    exit_code = EXIT_BAD_INPUT

    def __init__(self, message: str, *, name: str, hints: list[str] | None = None,
                 line: int | None = None, os_error: OSError | None = None):
        super().__init__(message, hints=hints)
        self.name = name
        self.line = line
        self.os_error = os_error


def size_text(limit: int) -> str:
    """A byte count for a message: "16 MiB", "512 KiB", "100 bytes"."""
    for unit, size in (("GiB", 2**30), ("MiB", 2**20), ("KiB", 2**10)):
        if limit >= size and limit % size == 0:
            return f"{limit // size:,} {unit}"
    return f"{limit:,} bytes"


def too_large(name: str, limit: int) -> InputError:
    """The error for an input that holds more than `limit` bytes."""
    return InputError(f"{name} is larger than {size_text(limit)}, the most casekb reads; "
                      f"it was not read", name=name,
                      hints=["is it the right file? (a device or a stream that never ends "
                             "is refused the same way)"])


def read_stream(stream: BinaryIO | TextIO, name: str, limit: int = TEXT_LIMIT) -> bytes:
    """At most `limit` bytes of an open stream, to its end; InputError when it holds more.
    A text stream (a test's StringIO) is read as its UTF-8 bytes."""
    try:
        data = stream.read(limit + 1)
    except OSError as error:
        raise _unreadable(name, error) from None
    except MemoryError:  # a stream that cannot say how much it holds; be safe anyway
        raise too_large(name, limit) from None
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogateescape")
    if len(data) > limit:
        raise too_large(name, limit)
    return data


def read_file(path: str | Path, name: str | None = None, limit: int = TEXT_LIMIT) -> bytes:
    """The bytes of the file at `path` (which may be a FIFO or a device: at most `limit`
    bytes are read); InputError when it holds more or cannot be read."""
    name = name or str(path)
    try:
        handle = open(path, "rb")
    except ValueError:  # a NUL in the path
        raise InputError(f"{name}: a file name cannot hold a NUL character", name=name) \
            from None
    except OSError as error:
        raise _unreadable(name, error) from None
    with handle:
        return read_stream(handle, name, limit)


def decode(data: bytes, name: str) -> str:
    """`data` as UTF-8 text; InputError naming the first byte that is not (offset and line)."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise not_text(name, data, error.start) from None


def not_text(name: str, data: bytes, offset: int) -> InputError:
    """The error for bytes that are not UTF-8, at byte `offset` of `data`."""
    line = data.count(b"\n", 0, offset) + 1
    column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
    return InputError(f"{name} is not UTF-8 text: byte 0x{data[offset]:02x} at line {line}, "
                      f"column {column} (byte offset {offset})", name=name,
                      hints=["save it as UTF-8"])


def read_text(path: str | Path, name: str | None = None, limit: int = TEXT_LIMIT) -> str:
    """The UTF-8 text of the file at `path`, at most `limit` bytes of it."""
    name = name or str(path)
    return decode(read_file(path, name, limit), name)


def read_stdin(name: str = "standard input", limit: int = TEXT_LIMIT, *,
               strict: bool = True) -> str:
    """All of standard input as UTF-8 text, at most `limit` bytes of it. Unless `strict`,
    bytes that are not UTF-8 come as lone surrogates, as Python passes them in command-line
    arguments, for a caller that points at them itself (the query language underlines them)."""
    stream = getattr(sys.stdin, "buffer", sys.stdin)
    data = read_stream(stream, name, limit)
    return decode(data, name) if strict else data.decode("utf-8", "surrogateescape")


def read_lines(stream: BinaryIO | TextIO, name: str,
               limit: int = LINE_LIMIT) -> Iterator[str | InputError]:
    """The lines of a stream as they come (without their line ends), for a script.

    A line that is not UTF-8 text comes as an InputError instead (its `line` is the line's
    number), so that the caller can say so and go on with the next line. A line longer than `limit` bytes
    (`/dev/zero` has no line ends at all) raises InputError: nothing after it is read.
    """
    stream = getattr(stream, "buffer", stream)
    number = 0
    while True:
        try:
            line = stream.readline(limit + 1)
        except OSError as error:
            raise _unreadable(name, error) from None
        if not line:
            return
        number += 1
        if isinstance(line, str):
            line = line.encode("utf-8", "surrogateescape")
        if len(line) > limit and not (len(line) == limit + 1 and line.endswith(b"\n")):
            raise InputError(f"line {number} of {name} is longer than {size_text(limit)}, the "
                             f"most casekb reads as one line; the rest was not read",
                             name=name, line=number,
                             hints=["is it the right input? (a device or a stream without "
                                    "line ends is refused the same way)"])
        line = line.rstrip(b"\n").removesuffix(b"\r")
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as error:
            yield InputError(f"the line is not UTF-8 text (byte 0x{line[error.start]:02x} at "
                             f"column {error.start + 1}); it was skipped", name=name,
                             line=number, hints=["save or pipe the script as UTF-8"])


def text_argument(value: str, what: str) -> str:
    """A word from the command line or the shell (a name), refused when it holds bytes that
    are not UTF-8 (surrogates, as Python passes them on) or a NUL."""
    found = _SURROGATE.search(value)
    if found is not None:
        shown = _SURROGATE.sub("\ufffd", value)
        raise UsageError(f"{what} {shown!r} holds bytes that are not UTF-8 text "
                         f"(at character {found.start() + 1})",
                         hints=["give it as UTF-8 text"])
    if "\x00" in value:
        raise UsageError(f"{what} cannot hold a NUL character")
    return value


def path_argument(value: str, what: str) -> Path:
    """A file name from the command line or the shell, `~` expanded; UsageError for a NUL,
    which no file name can hold. (Bytes that are not UTF-8 are allowed: file names may have
    them.)"""
    if "\x00" in value:
        raise UsageError(f"{what}: a file name cannot hold a NUL character")
    return Path(value).expanduser()


def _unreadable(name: str, error: OSError) -> InputError:
    return InputError(f"cannot read {name}: {error.strerror or error}", name=name,
                      os_error=error)
