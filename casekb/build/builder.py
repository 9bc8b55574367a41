"""`casekb build`: validate a curated folder while writing the store, atomically.

The pipeline streams the folder, so memory does not grow with it (casekb/curation/validate.py):
a first pass reads every file and registers the ids (and the few values rules across records
need); the store is then created beside the target under a temporary name, and a second pass
validates the folder file by file, each file's valid records becoming rows at once, inserted
as tuples through the database driver (no ORM object, no parameter dict per row). A problem
anywhere stops the writing, the pass goes on to find every other problem, and CurationError
lists them all; the temporary file is removed. Otherwise the meta facts are recorded, the file
made durable and `os.replace`d over the old store. A failed or interrupted build therefore
leaves the old store as it was, and a reader never sees a partial store: it has either the
old file open or the new one.

Rows refer to rows of other files, which may come later: SQLite checks no foreign keys while
the store is loaded (the validator has resolved every reference; the schema still declares
them), and PostgreSQL gets its foreign keys once the rows are in.

On PostgreSQL (`--db postgresql+psycopg://...`) the same tables, views and rows are loaded
into a fresh schema inside one transaction and swapped in for the old one when complete; see
casekb/postgres.py.

Ids are assigned in the order records are read (files sorted by path, records in file order),
kind by kind, so loading the same data twice gives the same rows; evidence rows are numbered
kind by kind too.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import sys
import time
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from casekb import SCHEMA_VERSION, __version__
from casekb.build.ddl import schema_hash
from casekb.curation import Progress
from casekb.curation.files import folder_hash
from casekb.errors import CurationError, Problem, StoreError, UsageError
from casekb.resources import is_bundled_seeds
from casekb.store.location import StoreLocation, locate
from casekb.store.sqlite import (
    APPLICATION_ID,
    LOCK_TIMEOUT_SECONDS,
    holds_text,
    sqlite_file_kind,
)

TEMP_SUFFIX = ".building"


@dataclass
class BuildReport:
    """What a build wrote: where, how many rows per table, the input hash, how long it took
    (and where the time went: `phases` "hash", "index", "check", "write", in seconds)."""

    store: str
    path: Path | None  # the SQLite file; None for a PostgreSQL store
    rows: dict[str, int] = field(default_factory=dict)
    input_hash: str = ""
    seconds: float = 0.0
    phases: dict[str, float] = field(default_factory=dict)
    notes: list[Problem] = field(default_factory=list)  # what the folder has and was not read

    def summary(self) -> str:
        facts = sum(n for table, n in self.rows.items() if table not in ("meta", "evidence"))
        return (f"built {self.store}: {facts} rows of facts, {self.rows.get('evidence', 0)} "
                f"evidence quotes, in {self.seconds:.2f} s")


def build_store(folder: Path | str, db: str | None = None, *, progress: Progress | None = None,
                force: bool = False) -> BuildReport:
    """Validate `folder` and build the store chosen by `db` (or CASEKB_DB, or the default).

    Raises CurationError (every problem) when the data are invalid, and StoreError when the
    target cannot be written: read-only, locked, or some other file that `force` must confirm.
    Invalid data are reported first, as if the whole folder were validated before the target
    is looked at; but a target that is one of the folder's own inputs is refused at once
    (UsageError, whatever `force` says: see _refuse_an_input).
    """
    started = time.perf_counter()
    folder = Path(folder)
    location = locate(db)
    phases = dict.fromkeys(("hash", "index", "check", "write"), 0.0)
    if not location.is_sqlite:
        return _build_on_server(folder, location, progress=progress, force=force,
                                started=started, phases=phases)
    _refuse_an_input(folder, location.path)
    input_hash = _hash(folder, phases, leave_out=location.path)
    validator = _first_pass(folder, phases, progress)
    with closing(validator):  # its index of keys goes, however the build ends
        if not validator.ok:
            _check_the_rest(validator, phases)  # raises, before the target is touched
        target = location.path
        try:
            _check_target(location, force=force)
        except StoreError:
            _check_the_rest(validator, phases)  # problems in the data are named first
            raise
        _remove_stale_temp_files(target)
        temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}"
                                f"{TEMP_SUFFIX}")
        meta = _meta(folder, input_hash)
        try:
            rows = _write_store(temp, validator, meta, progress, phases)
            _fsync(temp)
            os.replace(temp, target)
            _fsync_folder(target.parent)
        except BaseException as error:
            _unlink_quietly(temp)
            from sqlalchemy.exc import DBAPIError

            if isinstance(error, DBAPIError) and isinstance(error.orig, sqlite3.Error):
                error = error.orig  # SQLAlchemy's wrapper adds only a link to its documentation
            if isinstance(error, OSError):
                raise StoreError(f"cannot write the store {target}: "
                                 f"{error.strerror or error}") from None
            if isinstance(error, sqlite3.Error) and "unable to open" in str(error):
                raise StoreError(f"cannot write the store {target}: cannot create a file in "
                                 f"{target.parent}",
                                 hints=["choose a writable place with --db PATH"]) from None
            if isinstance(error, sqlite3.Error):
                raise StoreError(f"building the store {target} failed: {error}") from None
            raise
    seconds = time.perf_counter() - started
    phases["write"] = seconds - phases["hash"] - phases["index"] - phases["check"]
    return BuildReport(str(target), target, rows, input_hash, seconds, phases,
                       validator.notes())


def _build_on_server(folder: Path, location: StoreLocation, *, progress: Progress | None,
                     force: bool, started: float, phases: dict[str, float]) -> BuildReport:
    """Build into a PostgreSQL schema; casekb/postgres.py makes it atomic (build schema, swap)."""
    from casekb.build import postgres as server_build
    from casekb.build.writer import ServerTarget
    from casekb.store.reader import grant_reader

    # Reach the server before validating what may be a large folder.
    server_build.check_build_target(location, force=force)
    input_hash = _hash(folder, phases)
    validator = _first_pass(folder, phases, progress)
    with closing(validator):
        if not validator.ok:
            _check_the_rest(validator, phases)  # raises, before the server is written to
        meta = _meta(folder, input_hash)

        def fill(connection, metadata):
            counts = _fill_store(ServerTarget(connection, metadata), validator, meta, progress,
                                 phases)
            grant_reader(connection, location.schema)  # the role casekb sql runs SQL as
            return counts

        rows = server_build.write_store(location, fill, force=force)
    seconds = time.perf_counter() - started
    phases["write"] = seconds - phases["hash"] - phases["index"] - phases["check"]
    return BuildReport(location.display, None, rows, input_hash, seconds, phases,
                       validator.notes())


def _hash(folder: Path, phases: dict[str, float], leave_out: Path | None = None) -> str:
    started = time.perf_counter()
    value = folder_hash(folder, leave_out=leave_out) if folder.is_dir() else ""
    phases["hash"] += time.perf_counter() - started
    return value


def _first_pass(folder: Path, phases: dict[str, float], progress: Progress | None = None):
    """Read the folder once: ids and what rules across records need (nothing is written)."""
    from casekb.curation.loader import FolderReader
    from casekb.curation.validate import FolderValidator

    started = time.perf_counter()
    validator = FolderValidator(FolderReader(folder), progress)
    try:
        validator.index_files()
    except BaseException:
        validator.close()  # its index of keys: the disk space it holds goes back now
        raise
    phases["index"] += time.perf_counter() - started
    return validator


def _check_the_rest(validator, phases: dict[str, float]) -> None:
    """The second pass without writing, to report every problem; raises CurationError when
    there is one."""
    started = time.perf_counter()
    validator.check_files()
    phases["check"] += time.perf_counter() - started
    if not validator.ok:
        raise CurationError(validator.problems())


def _meta(folder: Path, input_hash: str) -> dict[str, str]:
    """The facts every store records about itself in its meta table."""
    return {
        "schema_version": str(SCHEMA_VERSION),
        "schema_hash": schema_hash(),
        "input_hash": input_hash,
        "built_at": _build_time(),
        "casekb_version": __version__,
        "source_folder": str(folder.resolve()),
        "source_bundled": "true" if is_bundled_seeds(folder) else "false",
    }


# -- the target --------------------------------------------------------------------------------

def _refuse_an_input(folder: Path, target: Path) -> None:
    """A build never writes its store over what it reads, not even with `force`.

    Inside the curated folder (real paths compared: links and `..` count) the store may be a
    casekb store or a new file beside the data (`DIR/casekb.sqlite`, which the build does not
    read: it is left out of the input hash too). Refused: the folder itself; a curated file
    (*.toml: a store there would be read as one by the next check) or anything in articles/;
    any other file of the folder that is not a casekb store (an article needs no `[[source]]`
    citing it yet to be data). UsageError (exit 2), as every output over an input is."""
    from casekb.curation.files import ARTICLES_DIR, CURATED_SUFFIX, relative_inside
    from casekb.store.location import shell_quote

    rel = relative_inside(target, folder)
    if rel is None:
        return
    exists = target.exists()
    if rel == ".":
        what = "the curated folder being built"
    elif rel == ARTICLES_DIR:
        what = f"the {ARTICLES_DIR}/ folder of the curated folder being built"
    elif rel.startswith(ARTICLES_DIR + "/"):
        what = ("an article of the curated folder being built" if exists else
                f"in the {ARTICLES_DIR}/ folder of the curated folder being built")
    elif rel.endswith(CURATED_SUFFIX):
        what = ("a curated file of the folder being built" if exists else
                f"a name the build reads as a curated file (*{CURATED_SUFFIX}) of the folder")
    elif not target.is_dir() and \
            sqlite_file_kind(target) in ("not-sqlite", "other-sqlite", "unreadable"):
        what = "a file of the curated folder being built, and not a casekb store"
    else:
        return  # a casekb store, a new file, an empty one, a subfolder: not data it reads
    root = Path(os.path.realpath(folder))
    name = f"{root.name or 'store'}.sqlite"
    beside = folder.parent / name
    if relative_inside(beside, root) is not None:  # the folder was given as "." or so
        beside = root.parent / name
    where = "" if rel == "." else f" ({os.path.join(folder, rel)})"
    raise UsageError(f"cannot build the store at {target}: that is {what}{where}; a build "
                     f"never writes its store over its own input, not even with --force",
                     hints=[f"give the store a path outside the folder, for example: --db "
                            f"{shell_quote(str(beside))}"])


def _check_target(location: StoreLocation, *, force: bool) -> None:
    """Refuse to replace a file that is not a casekb store, is read-only or is locked."""
    target = location.path
    assert target is not None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        # mkdir's "File exists" would hide which part of the path is a file.
        blocking = next(p for p in (target.parent, *target.parent.parents) if p.exists())
        raise StoreError(f"cannot create the store {target}: {blocking} is a file, not a "
                         f"folder") from None
    except OSError as error:
        raise StoreError(f"cannot create the folder {target.parent}: "
                         f"{error.strerror or error}") from None
    if target.is_dir():
        raise StoreError(f"{target} is a folder; give the path of the store file",
                         hints=[f"for example: --db {target / 'casekb.sqlite'}"])
    if not os.access(target.parent, os.W_OK | os.X_OK):
        raise StoreError(f"cannot write the store {target}: the folder {target.parent} is "
                         f"read-only", hints=["choose a writable place with --db PATH"])
    kind = sqlite_file_kind(target)
    if kind == "missing":
        return
    if kind == "special":
        # Not even with --force: renaming over /dev/null would replace the device itself.
        raise StoreError(f"{target} is a device, pipe or socket; casekb never replaces it",
                         hints=["give the path of a store file with --db PATH"])
    if not os.access(target, os.W_OK):
        raise StoreError(f"the store {target} is read-only; not replacing it",
                         hints=["make it writable, or choose another path with --db PATH"])
    if kind in ("not-sqlite", "other-sqlite", "unreadable") and not force:
        what = "a SQLite database of another application" if kind == "other-sqlite" else \
            "not a casekb store"
        hint = "choose another path, or pass --force to replace the file"
        if kind == "not-sqlite" and holds_text(target):
            # It may be a curated file or an article (of another folder than this build's):
            # not a file to suggest replacing.
            hint = ("choose another path: the file holds text, as a curated file or an "
                    "article does")
        raise StoreError(f"{target} exists and is {what}; not replacing it", hints=[hint])
    if kind == "casekb":
        _check_not_locked(target)


def _check_not_locked(target: Path) -> None:
    """A writer holding the old store would lose its work; readers do not block a build."""
    try:
        connection = sqlite3.connect(target, timeout=min(LOCK_TIMEOUT_SECONDS, 1.0),
                                     isolation_level=None)
    except sqlite3.Error:
        return
    try:
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        if "locked" in str(error).lower() or "busy" in str(error).lower():
            raise StoreError(f"the store {target} is locked by another process",
                             hints=["wait for the other writer to finish, then build again"]
                             ) from None
    except sqlite3.Error:
        pass  # a damaged old store is about to be replaced anyway
    finally:
        connection.close()


def _remove_stale_temp_files(target: Path) -> None:
    """Delete temporary files left by builds that were killed (their process is gone)."""
    prefix = f".{target.name}."
    try:
        candidates = [p for p in target.parent.iterdir()
                      if p.name.startswith(prefix) and p.name.endswith(TEMP_SUFFIX)]
    except OSError:
        return
    for path in candidates:
        pid_text = path.name[len(prefix):].split(".", 1)[0]
        if pid_text.isdigit() and not _process_alive(int(pid_text)):
            _unlink_quietly(path)


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True
    return True


# -- writing -----------------------------------------------------------------------------------

def _write_store(path: Path, validator, meta: dict[str, str], progress: Progress | None,
                 phases: dict[str, float]) -> dict[str, int]:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from casekb.build.writer import SQLiteTarget
    from casekb.schema.tables import metadata

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(path)
        # The file is private until it is renamed into place, and deleted if anything fails:
        # nothing ever needs rolling back, so no journal at all (journal_mode MEMORY kept
        # statement journals in memory too: copying the staged evidence held the evidence
        # pages it touched, +13 MB at 40k cases, growing with the store). It is synced
        # once, whole, before the rename. Foreign keys are not checked while loading: a row
        # may refer to one of a later file.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        return connection

    engine = create_engine("sqlite:///" + str(path), creator=connect, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            counts = _fill_store(SQLiteTarget(connection, metadata()), validator, meta,
                                 progress, phases)
        with engine.connect() as connection:
            # Statistics for the query planner; deterministic for the same data.
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    finally:
        engine.dispose()
    return counts


def _fill_store(target, validator, meta: dict[str, str], progress: Progress | None,
                phases: dict[str, float]) -> dict[str, int]:
    """Create the tables and the views in `target` (casekb/build/writer.py), then run the
    second pass of `validator`, writing each file's valid records as soon as it is checked,
    and the meta facts, all inside the caller's transaction. Raises CurationError, with
    every problem, when the data are invalid."""
    from sqlalchemy import insert

    from casekb.build.views import create_views
    from casekb.build.writer import StoreWriter

    target.create_tables()
    create_views(target.connection)  # casekb/build/views.py: the documented v_* views
    writer = StoreWriter(validator, target, progress)
    for rel in validator.files:
        started = time.perf_counter()
        records = validator.check_file(rel)
        phases["check"] += time.perf_counter() - started
        if validator.ok:  # after a problem, only look for more
            writer.write(records)
        del records  # before the next file's records are made
    started = time.perf_counter()
    validator.finish()
    phases["check"] += time.perf_counter() - started
    if not validator.ok:
        raise CurationError(validator.problems())
    counts = writer.close()
    target.connection.execute(insert(target.metadata.tables["meta"]),
                              [{"key": k, "value": v} for k, v in sorted(meta.items())])
    counts["meta"] = len(meta)
    return counts


# -- durability --------------------------------------------------------------------------------

def _build_time() -> str:
    # SOURCE_DATE_EPOCH makes builds reproducible byte for byte when a packager wants that.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), UTC) if epoch and epoch.isdigit()
              else datetime.now(UTC))
    return moment.replace(microsecond=0).isoformat()


def _fsync(path: Path) -> None:
    with open(path, "rb") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    if sys.platform.startswith("win"):
        return  # Windows cannot open a folder for syncing; os.replace is durable enough there
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
