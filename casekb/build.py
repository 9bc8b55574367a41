"""`casekb build`: validate a curated folder, then write the store atomically.

The pipeline: validate everything (CurationError lists every problem; nothing is written),
then write a fresh SQLite file beside the target under a temporary name, loading the records
in reference order inside one transaction with Core `insert()` executemany in batches (no ORM
object per row, so it scales), record the meta facts, make the file durable, and `os.replace`
it over the old store. A failed or interrupted build therefore leaves the old store as it was,
and a reader never sees a partial store: it has either the old file open or the new one.

On PostgreSQL (`--db postgresql+psycopg://...`) the same tables, views and rows are loaded
into a fresh schema inside one transaction and swapped in for the old one when complete; see
casekb/pg.py.

Ids are assigned in the order records are read (files sorted by path, records in file order),
so loading the same data twice gives the same rows.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from casekb import SCHEMA_VERSION, __version__
from casekb.curation import Curated, Record, load_curated
from casekb.curation import spec as S
from casekb.curation.files import folder_hash
from casekb.dates import PartialDate, Precision
from casekb.errors import StoreError
from casekb.store import (
    APPLICATION_ID, LOCK_TIMEOUT_SECONDS, StoreLocation, locate, schema_hash, sqlite_file_kind,
)

# Called as progress(table, rows_done, rows_total) while a table loads.
Progress = Callable[[str, int, int], None]
# Writes a batch of rows (dicts) into a table: write_rows(connection, table, rows).
RowWriter = Callable[[object, object, list[dict]], None]

BATCH_ROWS = 5000
TEMP_SUFFIX = ".building"


@dataclass
class BuildReport:
    """What a build wrote: where, how many rows per table, the input hash, how long it took."""

    store: str
    path: Path | None  # the SQLite file; None for a PostgreSQL store
    rows: dict[str, int] = field(default_factory=dict)
    input_hash: str = ""
    seconds: float = 0.0

    def summary(self) -> str:
        facts = sum(n for table, n in self.rows.items() if table not in ("meta", "evidence"))
        return (f"built {self.store}: {facts} rows of facts, {self.rows.get('evidence', 0)} "
                f"evidence quotes, in {self.seconds:.2f} s")


def build_store(folder: Path | str, db: str | None = None, *, progress: Progress | None = None,
                force: bool = False) -> BuildReport:
    """Validate `folder` and build the store chosen by `db` (or CASEKB_DB, or the default).

    Raises CurationError (every problem) when the data are invalid, and StoreError when the
    target cannot be written: read-only, locked, or some other file that `force` must confirm.
    """
    started = time.perf_counter()
    folder = Path(folder)
    location = locate(db)
    if not location.is_sqlite:
        return _build_on_server(folder, location, progress=progress, force=force,
                                started=started)
    input_hash = folder_hash(folder) if folder.is_dir() else ""
    curated = load_curated(folder)
    target = location.path
    _check_target(location, force=force)
    _remove_stale_temp_files(target)
    temp = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}{TEMP_SUFFIX}")
    meta = _meta(folder, input_hash)
    try:
        rows = _write_store(temp, curated, meta, progress)
        _fsync(temp)
        os.replace(temp, target)
        _fsync_folder(target.parent)
    except BaseException as error:
        _unlink_quietly(temp)
        from sqlalchemy.exc import DBAPIError

        if isinstance(error, DBAPIError) and isinstance(error.orig, sqlite3.Error):
            error = error.orig  # SQLAlchemy's wrapper adds only a link to its documentation
        if isinstance(error, OSError):
            raise StoreError(f"cannot write the store {target}: {error.strerror or error}") from None
        if isinstance(error, sqlite3.Error) and "unable to open" in str(error):
            raise StoreError(f"cannot write the store {target}: cannot create a file in "
                             f"{target.parent}",
                             hints=["choose a writable place with --db PATH"]) from None
        if isinstance(error, sqlite3.Error):
            raise StoreError(f"building the store {target} failed: {error}") from None
        raise
    return BuildReport(str(target), target, rows, input_hash, time.perf_counter() - started)


def _build_on_server(folder: Path, location: StoreLocation, *, progress: Progress | None,
                     force: bool, started: float) -> BuildReport:
    """Build into a PostgreSQL schema; casekb/pg.py makes it atomic (build schema, swap)."""
    from casekb import pg

    # Reach the server before validating what may be a large folder.
    pg.check_build_target(location, force=force)
    input_hash = folder_hash(folder) if folder.is_dir() else ""
    curated = load_curated(folder)
    meta = _meta(folder, input_hash)
    rows = pg.write_store(
        location, lambda connection, metadata: _fill_store(
            connection, metadata, curated, meta, progress, write_rows=pg.copy_rows),
        force=force)
    return BuildReport(location.display, None, rows, input_hash, time.perf_counter() - started)


def _meta(folder: Path, input_hash: str) -> dict[str, str]:
    """The facts every store records about itself in its meta table."""
    return {
        "schema_version": str(SCHEMA_VERSION),
        "schema_hash": schema_hash(),
        "input_hash": input_hash,
        "built_at": _build_time(),
        "casekb_version": __version__,
        "source_folder": str(folder.resolve()),
        "source_bundled": "true" if _is_bundled(folder) else "false",
    }


def _is_bundled(folder: Path) -> bool:
    """Whether `folder` is the curated data shipped with casekb (the default store's input)."""
    from casekb.resources import bundled_seeds

    try:
        return folder.resolve() == bundled_seeds().resolve()
    except (OSError, FileNotFoundError):
        return False


# -- the target --------------------------------------------------------------------------------

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
        raise StoreError(f"{target} exists and is {what}; not replacing it",
                         hints=["choose another path, or pass --force to replace the file"])
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

def _write_store(path: Path, curated: Curated, meta: dict[str, str],
                 progress: Progress | None) -> dict[str, int]:
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    from casekb.models import Base

    def connect() -> sqlite3.Connection:
        connection = sqlite3.connect(path)
        # The file is private until it is renamed into place: no need to journal to disk or
        # to sync each step; it is synced once, whole, before the rename.
        connection.execute("PRAGMA journal_mode = MEMORY")
        connection.execute("PRAGMA synchronous = OFF")
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        return connection

    engine = create_engine("sqlite:///" + str(path), creator=connect, poolclass=NullPool)
    try:
        with engine.begin() as connection:
            counts = _fill_store(connection, Base.metadata, curated, meta, progress)
        with engine.connect() as connection:
            # Statistics for the query planner; deterministic for the same data.
            connection.exec_driver_sql("ANALYZE")
            connection.commit()
    finally:
        engine.dispose()
    return counts


def _fill_store(connection, metadata, curated: Curated, meta: dict[str, str],
                progress: Progress | None, write_rows: RowWriter | None = None
                ) -> dict[str, int]:
    """Create the tables of `metadata` and the views, then load every row and the meta facts,
    through `connection` (SQLite or PostgreSQL), inside the caller's transaction.

    `write_rows(connection, table, rows)` writes a batch (default: Core insert executemany).
    """
    from sqlalchemy import insert

    from casekb.views import create_views

    if write_rows is None:
        def write_rows(connection, table, rows):
            connection.execute(insert(table), rows)

    tables = metadata.tables
    counts: dict[str, int] = {}
    metadata.create_all(connection, checkfirst=False)  # a new, empty database
    create_views(connection)  # casekb/views.py: the documented v_* views
    for table_name, rows, total in _table_rows(curated, tables):
        table = tables[table_name]
        done = 0
        for batch in _batches(rows, BATCH_ROWS):
            write_rows(connection, table, batch)
            done += len(batch)
            if progress is not None:
                progress(table_name, done, total)
        counts[table_name] = counts.get(table_name, 0) + done
    connection.execute(insert(tables["meta"]),
                       [{"key": k, "value": v} for k, v in sorted(meta.items())])
    counts["meta"] = len(meta)
    return counts


def _table_rows(curated: Curated, tables) -> Iterator[tuple[str, Iterable[dict], int]]:
    """(table, rows, row count) in reference order: every row refers only to earlier ones."""
    ids = _assign_ids(curated)
    records = curated.records
    alias_owners = {r.key: _alias_owner(r) for r in records["alias"]}

    def fact_table(kind: str, key: str) -> str:
        if kind == "alias":
            return f"{alias_owners[key]}_aliases"
        return S.BY_KIND[kind].table

    for kind in S.KIND_ORDER:
        if kind in ("alias", "dispute"):
            continue
        kind_spec = S.BY_KIND[kind]
        make_row = _RowMaker(kind_spec, tables[kind_spec.table], ids)
        if kind == "source":
            rows = (_source_row(make_row(record), record, curated) for record in records[kind])
        elif kind == "charge":
            latest = _latest_statuses(records["status"])
            rows = (dict(make_row(record), status=latest.get(record.key))
                    for record in records[kind])
        else:
            rows = map(make_row, records[kind])
        yield kind_spec.table, rows, len(records[kind])
        if kind == "person":
            # Aliases right after their owners: case aliases need cases, person aliases people.
            for owner in ("case", "person"):
                owned = [r for r in records["alias"] if alias_owners[r.key] == owner]
                yield f"{owner}_aliases", (_alias_row(r, owner, ids) for r in owned), len(owned)
    disputes = records["dispute"]
    make_row = _RowMaker(S.BY_KIND["dispute"], tables["disputes"], ids)
    yield "disputes", map(make_row, disputes), len(disputes)
    claims = [(r, kind, key) for r in disputes for kind, key in r.claims]
    yield "dispute_claims", ({"id": n, "dispute_id": ids["dispute"][r.key],
                              "fact_table": fact_table(kind, key), "fact_id": ids[kind][key]}
                             for n, (r, kind, key) in enumerate(claims, 1)), len(claims)
    evidence = [(record, item) for kind in S.KIND_ORDER for record in records[kind]
                for item in record.evidence]
    yield "evidence", ({"id": n, "source_id": ids["source"][item.source],
                        "fact_table": fact_table(record.kind, record.key),
                        "fact_id": ids[record.kind][record.key], "quote": item.quote,
                        "note": item.note}
                       for n, (record, item) in enumerate(evidence, 1)), len(evidence)


def _alias_owner(record: Record) -> str:
    return "person" if record.values.get("person") else "case"


def _assign_ids(curated: Curated) -> dict[str, dict[str, int]]:
    """Row ids per kind, 1, 2, 3... in reading order (aliases numbered per owner table)."""
    ids: dict[str, dict[str, int]] = {}
    for kind in S.KIND_ORDER:
        if kind == "alias":
            numbered: dict[str, int] = {}
            for owner in ("case", "person"):
                owned = [r for r in curated.records[kind] if _alias_owner(r) == owner]
                numbered.update({r.key: n for n, r in enumerate(owned, 1)})
            ids[kind] = numbered
        else:
            ids[kind] = {r.key: n for n, r in enumerate(curated.records[kind], 1)}
    return ids


class _RowMaker:
    """Turns the records of one kind into rows of its table.

    What each field needs (a reference looked up, a date split into three columns, a folded
    twin) is worked out once per kind, not once per row: builds must scale to large corpora.
    """

    def __init__(self, kind_spec: S.KindSpec, table, ids: dict[str, dict[str, int]]):
        self.own_ids = ids[kind_spec.kind]
        self.steps = []
        columns = set(table.c.keys())
        for fs in kind_spec.fields:
            if fs.type in (S.ID, S.EVIDENCE, S.CLAIMS):
                continue
            column = fs.target_column
            if fs.type == S.DATE:
                targets = (column, f"{column}_end", f"{column}_precision")
            elif fs.type == S.QUANTITY:
                targets = tuple(f"{column}_{part}" for part in ("value", "unit", "dimension",
                                                                "text"))
            else:
                targets = (column,)
            folded = f"{column}_folded" if f"{column}_folded" in columns else None
            # A flag left out means "no" (not suspended, not unsupervised) in NOT NULL columns.
            default = False if fs.type == S.BOOL and not table.c[column].nullable else None
            self.steps.append((fs.name, fs.type, targets, ids.get(fs.ref or ""), folded, default))

    def __call__(self, record: Record) -> dict:
        values = record.values
        row: dict[str, object] = {"id": self.own_ids[record.key], "key": record.key}
        for name, kind, targets, ref_ids, folded, default in self.steps:
            value = values.get(name)
            if kind == S.DATE:
                if value is None:
                    row.update(dict.fromkeys(targets))
                else:
                    row[targets[0]], row[targets[1]] = value.start, value.end
                    row[targets[2]] = _PRECISION_TEXT[value.precision]
            elif kind == S.QUANTITY:
                if value is None:
                    row.update(dict.fromkeys(targets))
                else:
                    row[targets[0]], row[targets[1]] = value.value, value.unit
                    row[targets[2]], row[targets[3]] = value.dimension, value.text
            elif kind == S.REF:
                row[targets[0]] = ref_ids[value] if value is not None else None
            else:
                row[targets[0]] = default if value is None else value
            if folded:
                row[folded] = value.casefold() if isinstance(value, str) else None
        return row


_PRECISION_TEXT = {precision: precision.value for precision in Precision}


def _source_row(row: dict, record: Record, curated: Curated) -> dict:
    article = curated.articles[record.key]
    row.update(file=article.file, sha256=article.sha256, text=article.text)
    return row


def _alias_row(record: Record, owner: str, ids) -> dict:
    name = str(record.values["name"])
    return {"id": ids["alias"][record.key], "key": record.key,
            f"{owner}_id": ids[owner][record.values[owner]],
            "alias": name, "alias_folded": name.casefold(), "note": record.values.get("note")}


def _latest_statuses(statuses: list[Record]) -> dict[str, str]:
    """Each charge's current status: its latest dated status record (undated ones count as
    earliest; among equals, the one read last)."""
    latest: dict[str, tuple[date, int, str]] = {}
    for position, record in enumerate(statuses):
        when = record.values.get("date")
        start = when.start if isinstance(when, PartialDate) else date.min
        charge = str(record.values["charge"])
        candidate = (start, position, str(record.values["status"]))
        if charge not in latest or candidate > latest[charge]:
            latest[charge] = candidate
    return {charge: status for charge, (_, _, status) in latest.items()}


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- durability --------------------------------------------------------------------------------

def _build_time() -> str:
    # SOURCE_DATE_EPOCH makes builds reproducible byte for byte when a packager wants that.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = (datetime.fromtimestamp(int(epoch), timezone.utc) if epoch and epoch.isdigit()
              else datetime.now(timezone.utc))
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
