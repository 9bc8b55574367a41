"""Where casekb writes its outputs: one rule for `report -o`, `export`, the shell's `.output`
and every other file a command writes.

- An output never replaces an input: not the store, not the report or script being read. The
  comparison is by device and inode as well as by real path, so a symlink or a hard link to
  the store is the store.
- A regular file (or a new one) is written under a temporary name beside it and renamed into
  place when complete: a run that fails or is interrupted leaves the old file as it was. A
  symlink is followed, so the file it points at is replaced and the link stays.
- A character device, a FIFO or a socket (/dev/null, /dev/stdout, a named pipe) is written in
  place: renaming over it would replace the device node itself (as root, `-o /dev/full` did).
  So is anything reached through /dev/ or /proc/ (/dev/stdout, /dev/fd/3): those name a file
  that is already open, which only writing into it reaches.
- A folder is refused where a file is meant.

Refusals are UsageError (exit 2); a write the system refuses (a full disk, no permission, a
missing folder) is FileError (exit 5), naming the path.
"""

from __future__ import annotations

import errno
import os
import secrets
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from casekb.errors import FileError, UsageError

TEMP_SUFFIX = ".writing"
READER_WAIT = 10.0  # seconds a FIFO may take to find a reader
# What a command reads, each with what it is: [("the store", path), ("the report", path)];
# None paths (a store on a server) are skipped.
Inputs = Iterable[tuple[str, "str | os.PathLike | None"]]
# Paths under these name devices or files that are already open: written in place.
_IN_PLACE_ROOTS = ("/dev/", "/proc/")


@dataclass(frozen=True)
class Target:
    """A checked output path: where it goes and how it is written."""

    given: Path  # as the user wrote it, with ~ expanded
    real: Path  # symlinks resolved: the file that a completed write replaces
    in_place: bool  # a device, FIFO or socket (or reached through /dev/): written into
    exists: bool

    def __str__(self) -> str:
        return str(self.given)


def check_target(path: str | os.PathLike, *, inputs: Inputs = (),
                 what: str = "output") -> Target:
    """The output `path`, checked: UsageError when it is a folder or one of `inputs` (each
    with what it is: ("the store", path)), by real path or by device and inode."""
    if "\0" in os.fspath(path):
        raise UsageError(f"the name of the {what} holds a NUL character; no file can have it")
    given = Path(path).expanduser()
    if str(given) in ("", "."):
        raise UsageError(f"give a file name for the {what}")
    real = Path(os.path.realpath(given))
    try:
        status = os.stat(given)
    except (FileNotFoundError, NotADirectoryError):
        status = None
    except OSError as error:
        raise file_error(error, given) from None
    if status is not None and stat.S_ISDIR(status.st_mode):
        raise UsageError(f"{given} is a folder; give the name of a file for the {what}")
    _refuse_inputs(given, real, status, inputs, what)
    in_place = status is not None and not stat.S_ISREG(status.st_mode)
    in_place = in_place or os.path.abspath(given).startswith(_IN_PLACE_ROOTS)
    return Target(given, real, in_place, status is not None)


def _refuse_inputs(given: Path, real: Path, status: os.stat_result | None, inputs: Inputs,
                   what: str) -> None:
    for name, item in inputs:
        if item is None:
            continue
        source = Path(item).expanduser()
        same = Path(os.path.realpath(source)) == real
        if not same and status is not None:
            try:
                other = os.stat(source)
            except OSError:
                continue
            same = (other.st_dev, other.st_ino) == (status.st_dev, status.st_ino)
        if same:
            raise UsageError(f"the {what} {given} is {name} ({source}); casekb never writes "
                             f"over the store or an input", hints=["choose another file name"])


def write_text(path: str | os.PathLike | Target, write: Callable[[IO[str]], None], *,
               inputs: Inputs = (), what: str = "output") -> Target:
    """Write text to `path` through `write(stream)` by the rule above; return the target."""
    target = path if isinstance(path, Target) else check_target(path, inputs=inputs, what=what)
    with staged(target) as temp:
        with open(temp, "w", encoding="utf-8", newline="") as out:
            write(out)
    return target


@contextmanager
def staged(target: Target) -> Iterator[Path]:
    """A temporary path to create the output at; when the block ends without error it
    replaces the target (renamed beside a regular file, copied into a device or FIFO). The
    temporary file is removed however the block ends."""
    folder = target.real.parent
    if target.in_place:
        folder = Path(tempfile.gettempdir())
    elif not folder.is_dir():
        raise FileError(f"cannot write {target.given}: the folder {folder} does not exist")
    temp = folder / f".{target.real.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}"
    try:
        yield temp
        if target.in_place:
            with open(temp, "rb") as source, _open_in_place(target.given, "wb") as sink:
                shutil.copyfileobj(source, sink)
        else:
            os.replace(temp, target.real)
    except OSError as error:
        raise file_error(error, target.given) from None
    finally:
        try:
            temp.unlink()
        except OSError:
            pass


def open_in_place(path: str | os.PathLike, *, inputs: Inputs = (),
                  what: str = "output") -> IO[str]:
    """`path` opened for text written as it comes (the shell's `.output`), after the same
    checks: a file that streams cannot be renamed into place, so it is truncated."""
    target = check_target(path, inputs=inputs, what=what)
    try:
        if target.in_place:
            return _open_in_place(target.given, "w", encoding="utf-8", newline="")
        return open(target.given, "w", encoding="utf-8", newline="")
    except OSError as error:
        raise file_error(error, target.given) from None


def _open_in_place(path: Path, mode: str, **options) -> IO:
    """A device or FIFO opened for writing. A FIFO nobody reads would block the open for
    ever: it waits READER_WAIT seconds at most for a reader, then is refused."""
    if not stat.S_ISFIFO(os.stat(path).st_mode):
        return open(path, mode, **options)
    deadline = time.monotonic() + READER_WAIT
    while True:
        try:
            descriptor = os.open(path, os.O_WRONLY | os.O_NONBLOCK)
            break
        except OSError as error:
            if error.errno != errno.ENXIO:
                raise
            if time.monotonic() >= deadline:
                raise FileError(f"cannot write {path}: no program is reading from this pipe "
                                f"(waited {READER_WAIT:g} s)",
                                hints=["start the program that reads it first"]) from None
            time.sleep(0.05)
    os.set_blocking(descriptor, True)
    return open(descriptor, mode, **options)


def file_error(error: OSError, path: str | os.PathLike | None = None) -> FileError:
    """A FileError (exit 5) for an OSError met while writing `path`."""
    where = path if path is not None else error.filename
    reason = error.strerror or str(error)
    if where is None:
        return FileError(f"cannot write the output: {reason}")
    return FileError(f"cannot write {where}: {reason}")

