"""SQLite stores: recognising the file, connecting, and saying what is wrong with it.

A store file carries `PRAGMA application_id` "ckb1", so that a casekb store is recognised from
its first 100 bytes and a build never overwrites some other file by mistake. Readers connect
read-only (`mode=ro`); a reader waits once, LOCK_TIMEOUT_SECONDS, for another process's write
lock before saying who holds it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from casekb.errors import StoreError
from casekb.store.location import StoreLocation, sqlite_url

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# Written to the SQLite header (PRAGMA application_id) so that a casekb store is recognised
# from its first 100 bytes, and a build never overwrites some other file by mistake.
APPLICATION_ID = 0x636B6231  # "ckb1"

SQLITE_MAGIC = b"SQLite format 3\x00"

# How long a reader waits for another process's write lock before reporting it.
LOCK_TIMEOUT_SECONDS = 5.0


def sqlite_connect(path: Path, *, readonly: bool) -> sqlite3.Connection:
    """A sqlite3 connection to `path`; read-only connections cannot write by any means."""
    uri = "file:" + urllib.parse.quote(str(path)) + ("?mode=ro" if readonly else "?mode=rw")
    connection = sqlite3.connect(uri, uri=True, timeout=LOCK_TIMEOUT_SECONDS,
                                 check_same_thread=False)
    # SQLite's own lower() folds only A-Z, so `quote ~ "élan"` missed "Élan" where PostgreSQL
    # finds it; the query language compares text through lower() on both engines.
    connection.create_function("lower", 1, _lower, deterministic=True)
    return connection


def _lower(value):
    return value.lower() if isinstance(value, str) else value


def check_sqlite_file(location: StoreLocation) -> None:
    """Cheap checks of a SQLite store file before SQLite itself is asked to open it."""
    path = location.path
    assert path is not None
    fix = f"build it: {location.build_hint()}"
    if not path.exists():
        raise StoreError(f"no casekb store at {path}", hints=[fix])
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a casekb store file",
                         hints=["give the path of the store file, e.g. DIR/casekb.sqlite"])
    kind = sqlite_file_kind(path)
    if kind == "special":
        raise StoreError(f"{path} is a device, pipe or socket, not a casekb store file",
                         hints=["give the path of a store file, e.g. DIR/casekb.sqlite"])
    if kind == "unreadable":
        raise StoreError(f"cannot read the store {path}: permission denied")
    if kind == "empty":
        raise StoreError(f"{path} is an empty file, not a casekb store", hints=[fix])
    if kind == "not-sqlite":
        fix = (f"if it should be one, rebuild it: {location.build_hint()} --force (this "
               f"replaces the file)")
        if holds_text(path):  # a curated file or an article, say: never to be replaced
            fix = ("it holds text, as a curated file or an article does: give the path of a "
                   "store made by `casekb build`")
        raise StoreError(f"{path} is not a SQLite database, so not a casekb store", hints=[fix])
    if kind == "other-sqlite":
        raise StoreError(f"{path} is a SQLite database but not a casekb store",
                         hints=["give the path of a store made by `casekb build`"])
    if kind == "truncated":
        raise StoreError(f"the store {path} is truncated or damaged",
                         hints=[f"rebuild it: {location.build_hint()}"])


def sqlite_file_kind(path: Path) -> str:
    """Classify a file from its header: 'missing', 'unreadable', 'special' (a device, pipe or
    socket), 'empty', 'not-sqlite', 'other-sqlite', 'truncated' or 'casekb'."""
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"
    if not stat.S_ISREG(mode) and not stat.S_ISDIR(mode):
        # Never opened: reading a pipe would block, and /dev/null reads as an empty file.
        return "special"
    try:
        with open(path, "rb") as handle:
            header = handle.read(100)
            size = os.fstat(handle.fileno()).st_size
    except FileNotFoundError:
        return "missing"
    except IsADirectoryError:
        return "not-sqlite"
    except OSError:
        return "unreadable"
    if not header:
        return "empty"
    if len(header) < 100 or not header.startswith(SQLITE_MAGIC):
        return "not-sqlite"
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        return "other-sqlite"
    # The header records the page size and the number of pages; a shorter file was cut off.
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if pages and size < page_size * pages:
        return "truncated"
    return "casekb"


def holds_text(path: Path) -> bool:
    """Whether the file begins as UTF-8 text without a NUL byte, as every curated file and
    article must: data a build reads, not a damaged store (whose header holds NUL bytes)."""
    import codecs

    from casekb.curation.files import open_regular

    try:
        with open_regular(path) as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if not head or b"\0" in head:
        return False
    try:  # not final: the 4096 bytes may end inside a character
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def sqlite_engine(path: Path, *, readonly: bool = True) -> Engine:
    """A SQLAlchemy engine on the SQLite store `path` (read-only unless told otherwise)."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import QueuePool

    # A creator, not URL parameters, so that any character in the path is passed safely.
    return create_engine(sqlite_url(path), creator=lambda: sqlite_connect(path, readonly=readonly),
                         poolclass=QueuePool)


def store_error_from(error: BaseException | None, location: StoreLocation) -> StoreError:
    text = str(error)
    lowered = text.lower()
    if "locked" in lowered or "busy" in lowered:
        holders = _holders(location.path) if location.path is not None else []
        who = ("another process" if not holders else
               ", ".join(f"process {pid} ({name})" for pid, name in holders))
        return StoreError(f"the store {location.display} is locked by {who}",
                          hints=["wait for it (a build or a writer) to finish, then try again"])
    if "no such table" in lowered or "does not exist" in lowered:
        return StoreError(f"{location.display} is not a casekb store (it has no meta table)",
                          hints=[f"build one: {location.build_hint()}"])
    if says_damaged(text) or isinstance(error, UnicodeDecodeError):
        return StoreError(f"the store {location.display} is damaged ({text})",
                          hints=[f"rebuild it: {location.build_hint()}"])
    if "unable to open" in lowered or "permission" in lowered or "readonly" in lowered:
        return StoreError(f"cannot open the store {location.display}: {text}")
    return StoreError(f"cannot read the store {location.display}: {text}",
                      hints=[f"if it is damaged, rebuild it: {location.build_hint()}"])


def says_damaged(message: str) -> bool:
    """Whether SQLite's error `message` is about the store's bytes (damage), not the SQL."""
    lowered = message.lower()
    return ("malformed" in lowered or "not a database" in lowered or "corrupt" in lowered
            or lowered.startswith("could not decode to utf-8"))


def _holders(path: Path) -> list[tuple[int, str]]:
    """The processes that have `path` open (pid, command name), as far as this system lets
    us see (Linux's /proc; nothing elsewhere, or for other users' processes)."""
    found = []
    try:
        wanted = os.stat(path)
        processes = [entry for entry in os.listdir("/proc") if entry.isdigit()]
    except OSError:
        return []
    for pid in processes:
        if int(pid) == os.getpid():
            continue
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                status = os.stat(f"/proc/{pid}/fd/{fd}")
                if (status.st_dev, status.st_ino) == (wanted.st_dev, wanted.st_ino):
                    with open(f"/proc/{pid}/comm", encoding="utf-8", errors="replace") as comm:
                        found.append((int(pid), comm.read().strip()))
                    break
        except OSError:
            continue
    return found


def quiet_meta(path: Path) -> dict[str, str] | None:
    """The meta of a SQLite store, or None when it cannot be read for any reason."""
    try:
        connection = sqlite_connect(path, readonly=True)
        try:
            return dict(connection.execute("SELECT key, value FROM meta").fetchall())
        finally:
            connection.close()
    except sqlite3.Error:
        return None
