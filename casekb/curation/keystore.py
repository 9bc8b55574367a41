"""The keys of a curated folder's records, kept on disk while the folder is checked or built.

A 100,000-case folder holds 4.4 million records. Held in dicts, what the first pass keeps of
them (curation/index.py) took some 160 bytes a record: 788 MB at 100k cases, 7 GB at a
million. Here it lives in a private temporary SQLite database instead, whose page cache is
bounded (CACHE_KIB), so the memory of a check or a build is the same whatever the folder's
size; the operating system's file cache, not the process, holds what is read often.

The database has no name: SQLite creates its file in the temporary folder (SQLITE_TMPDIR,
TMPDIR, /var/tmp or /tmp) only when its cache overflows, and on POSIX systems unlinks the
file as soon as it has opened it. Nothing is left behind, however the process ends (even
killed), and nothing is written beside the store. The database is thrown away whole, so it
keeps no journal and never syncs: one transaction, never committed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from casekb.errors import StoreError

# The page cache of the database: it bounds the memory the index takes. The first pass adds
# keys in reading order and the second looks up a file's keys together, which are near one
# another, so a small cache serves them (first pass of 10k cases: 20 s with 4 MB as with
# 16 MB, 26 s with 1 MB).
CACHE_KIB = 4096

# How many keys one statement looks up: a few fixed sizes, the last of the chunk padded
# with NULL, so that few statements are ever prepared. (Every length of IN list is a
# statement of its own, and SQLite keeps the prepared ones: a file's odd remainders made
# RSS grow by 0.7 MB a file, to 13 MB.) SQLite before 3.32 takes at most 999 parameters.
CHUNK_SIZES = (8, 32, 128, 512)

_SCHEMA = """
CREATE TABLE keys (
    kind INTEGER NOT NULL,       -- the record kind's position in spec.KIND_ORDER
    key TEXT NOT NULL,
    position INTEGER NOT NULL,   -- the record's position among its kind: its row id
    seen_file INTEGER NOT NULL,  -- where it was read: a number FolderIndex gives a file,
    seen_line INTEGER NOT NULL,  -- and the line (0: not known)
    day_start INTEGER NOT NULL,  -- its date as day ordinals (precision 0: no date)
    day_end INTEGER NOT NULL,
    precision INTEGER NOT NULL,
    article TEXT,                -- a source's article path (NULL: not usable)
    valid INTEGER NOT NULL,      -- a source: whether it is valid
    alias_row INTEGER NOT NULL,  -- an alias: its row in its owner's table (< 0: a person's)
    PRIMARY KEY (kind, key)
) WITHOUT ROWID;
-- The first alias of an owner with a name (owner, owner's key and folded name, as bytes).
CREATE TABLE alias_names (slot BLOB PRIMARY KEY, alias TEXT NOT NULL) WITHOUT ROWID;
"""

# The columns of an entry, as FolderIndex's Entry holds them.
ENTRY_COLUMNS = ("position, seen_file, seen_line, day_start, day_end, precision, article, "
                 "valid, alias_row")


@contextmanager
def _reported():
    """SQLite's failures (the temporary folder is full, or cannot be written) as one clear
    casekb error."""
    try:
        yield
    except sqlite3.Error as error:
        raise StoreError(f"cannot keep the index of the folder's keys in the temporary "
                         f"folder: {error}",
                         hints=["free some space there, or point SQLITE_TMPDIR (or TMPDIR) "
                                "at a folder with room"]) from None


class KeyStore:
    """The temporary database of keys; see the module docstring. Close it when done (it is
    closed when collected too, and its file is gone already on POSIX systems)."""

    def __init__(self):
        with _reported():
            self._db = sqlite3.connect("", isolation_level=None)
            try:
                for pragma in ("journal_mode = OFF", "synchronous = OFF",
                               f"cache_size = -{CACHE_KIB}", "temp_store = FILE"):
                    self._db.execute(f"PRAGMA {pragma}")
                self._db.executescript(_SCHEMA)
                self._db.execute("BEGIN")
            except BaseException:
                self._db.close()
                raise
        marks = ", ".join("?" * (2 + len(ENTRY_COLUMNS.split(","))))
        self._insert_entry = f"INSERT INTO keys VALUES ({marks})"

    def close(self) -> None:
        """Throw the database away."""
        self._db.close()

    def add_entries(self, rows: Iterable[tuple]) -> None:
        """Add (kind, key, *entry) rows; a key is never added twice."""
        with _reported():
            self._db.executemany(self._insert_entry, rows)

    def find(self, kind: int, keys: list[str]) -> Iterator[tuple]:
        """(key, *entry) for each of `keys` of `kind` that is held."""
        largest = CHUNK_SIZES[-1]
        for start in range(0, len(keys), largest):
            chunk = keys[start:start + largest]
            size = next(size for size in CHUNK_SIZES if size >= len(chunk))
            marks = ", ".join("?" * size)
            with _reported():
                found = self._db.execute(
                    f"SELECT key, {ENTRY_COLUMNS} FROM keys WHERE kind = ? AND key IN ({marks})",
                    (kind, *chunk, *[None] * (size - len(chunk)))).fetchall()
            yield from found

    def keys(self, kind: int) -> Iterator[str]:
        """Every key of `kind`, in key order, read a batch at a time."""
        with _reported():
            cursor = self._db.execute("SELECT key FROM keys WHERE kind = ?", (kind,))
        while True:
            with _reported():
                batch = cursor.fetchmany(10_000)
            if not batch:
                return
            for (key,) in batch:
                yield key

    def articles(self, kind: int) -> list[tuple[str, str | None]]:
        """(key, article) of every record of `kind` (sources), in reading order."""
        with _reported():
            return self._db.execute("SELECT key, article FROM keys WHERE kind = ? "
                                    "ORDER BY position", (kind,)).fetchall()

    # -- alias names -------------------------------------------------------------------------

    def first_alias(self, slot: bytes) -> str | None:
        """The alias that took `slot` first, if any did."""
        with _reported():
            found = self._db.execute("SELECT alias FROM alias_names WHERE slot = ?",
                                     (slot,)).fetchone()
        return found[0] if found else None

    def add_alias_names(self, rows: Iterable[tuple[bytes, str]]) -> None:
        """Add (slot, alias key) rows."""
        with _reported():
            self._db.executemany("INSERT INTO alias_names VALUES (?, ?)", rows)
