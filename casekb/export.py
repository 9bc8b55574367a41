"""`casekb export`: the store for people who never install casekb.

- `export_sqlite(db, path)`: a standalone SQLite file, copied page by page with SQLite's
  backup API (a consistent snapshot even while others read), with every table and the
  current views (casekb/views.py) re-created in the copy, so that a store built by an older
  casekb still exports with today's views. Written under a temporary name and renamed into
  place, so PATH is never left half-written.
- `export_csv(db, folder)`: one CSV file per view (`v_charges.csv`, ...), UTF-8, with a
  header row; NULL is an empty cell.

Both read the store through a read-only connection; `progress(step, done, total)` is called
as they go (the command line shows it on a terminal only).
"""

from __future__ import annotations

import csv
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from casekb.errors import StoreError, UsageError

Progress = Callable[[str, int, int], None]
BACKUP_PAGES_PER_STEP = 1024
TEMP_SUFFIX = ".exporting"


@dataclass
class ExportReport:
    """What an export wrote: where, in which format, and the rows of each view."""

    store: str
    path: Path
    format: str
    tables: list[str] = field(default_factory=list)
    views: dict[str, int] = field(default_factory=dict)  # view -> rows (CSV only)

    def summary(self) -> str:
        if self.format == "csv":
            rows = sum(self.views.values())
            return (f"exported {self.store} to {self.path}: {len(self.views)} CSV files, "
                    f"one per view, {rows} rows")
        return (f"exported {self.store} to {self.path}: {len(self.tables)} tables and "
                f"{len(self.views)} views")


def export_sqlite(db: str | None, path: str | Path, *, force: bool = False,
                  progress: Progress | None = None) -> ExportReport:
    """Copy the store chosen by `db` to the SQLite file `path` (tables and views).

    Refuses to replace an existing file unless `force`, and never the store itself.
    Raises StoreError when the store cannot be read or copied, UsageError when PATH cannot
    be written (or is refused).
    """
    source = _source(db)
    target = Path(path).expanduser().resolve()
    if target == source:
        raise UsageError(f"{target} is the store itself; export to another path")
    _check_file_target(target, force=force)
    temp = target.with_name(f".{target.name}.{os.getpid()}{TEMP_SUFFIX}")
    from casekb.store import sqlite_connect

    try:
        reader = sqlite_connect(source, readonly=True)
        try:
            writer = sqlite3.connect(temp)
            try:
                def step(_status: int, remaining: int, total: int) -> None:
                    if progress is not None:
                        progress("copying pages", total - remaining, total)

                reader.backup(writer, pages=BACKUP_PAGES_PER_STEP, progress=step)
                _recreate_views(writer)
                tables, views = _catalogue(writer)
            finally:
                writer.close()
        finally:
            reader.close()
        os.replace(temp, target)
    except BaseException as error:
        _unlink_quietly(temp)
        if isinstance(error, OSError):
            raise UsageError(f"cannot write {target}: {error.strerror or error}") from None
        if isinstance(error, sqlite3.Error):
            raise StoreError(f"exporting to {target} failed: {error}") from None
        raise
    return ExportReport(str(source), target, "sqlite", tables, {name: 0 for name in views})


def export_csv(db: str | None, folder: str | Path, *, force: bool = False,
               progress: Progress | None = None) -> ExportReport:
    """Write one CSV file per view of the store chosen by `db` into `folder`.

    The folder is created if needed; an existing one must be empty unless `force` (then
    only the v_*.csv files are replaced). Raises StoreError when the store cannot be read,
    UsageError when the folder cannot be written (or is refused).
    """
    from casekb.store import sqlite_connect
    from casekb.views import views

    source = _source(db)
    target = Path(folder).expanduser().resolve()
    _check_folder_target(target, force=force)
    report = ExportReport(str(source), target, "csv")
    every = views()
    try:
        reader = sqlite_connect(source, readonly=True)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the store {source}: {error}") from None
    try:
        for number, view in enumerate(every, 1):
            if progress is not None:
                progress(view.name, number, len(every))
            report.views[view.name] = _write_csv(reader, view, target / f"{view.name}.csv")
    except sqlite3.Error as error:
        raise StoreError(f"cannot read the store {source}: {error}",
                         hints=["if it is damaged or old, rebuild it: casekb build"]) from None
    finally:
        reader.close()
    return report


def _write_csv(reader: sqlite3.Connection, view, path: Path) -> int:
    """Write one view's rows to `path` (through a temporary file); return the row count."""
    temp = path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")
    count = 0
    try:
        cursor = reader.execute(view.select_sql)
        with open(temp, "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(view.columns)
            while True:
                rows = cursor.fetchmany(1000)
                if not rows:
                    break
                writer.writerows(rows)
                count += len(rows)
        os.replace(temp, path)
    except OSError as error:
        _unlink_quietly(temp)
        raise UsageError(f"cannot write {path}: {error.strerror or error}") from None
    except BaseException:
        _unlink_quietly(temp)
        raise
    return count


def _source(db: str | None) -> Path:
    """The store's SQLite file, checked to be a readable casekb store of this version."""
    from casekb.store import locate, open_store

    location = locate(db)
    if not location.is_sqlite:
        raise StoreError(f"exporting from {location.display} is not supported yet: only "
                         f"SQLite stores can be exported for now")
    open_store(db).dispose()  # the checks: exists, is a casekb store, schema version
    assert location.path is not None
    return location.path


def _check_file_target(target: Path, *, force: bool) -> None:
    if target.is_dir():
        raise UsageError(f"{target} is a folder; give the path of the file to write",
                         hints=["for CSV files in a folder use --format csv"])
    if not target.parent.is_dir():
        raise UsageError(f"cannot write {target}: the folder {target.parent} does not exist")
    if target.exists() and not force:
        raise UsageError(f"{target} already exists; not replacing it",
                         hints=["choose another path, or pass --force to replace it"])
    if target.exists() and not target.is_file():
        # Not even with --force: renaming over /dev/null would replace the device itself.
        raise UsageError(f"{target} is a device, pipe or socket; casekb never replaces it")


def _check_folder_target(target: Path, *, force: bool) -> None:
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; CSV export writes a folder",
                         hints=["give a folder path, or use --format sqlite for one file"])
    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageError(f"cannot create the folder {target}: {error.strerror or error}") \
            from None
    if any(target.iterdir()) and not force:
        raise UsageError(f"the folder {target} is not empty; not writing into it",
                         hints=["choose a new folder, or pass --force to replace its v_*.csv "
                                "files"])


def _recreate_views(connection: sqlite3.Connection) -> None:
    from casekb.views import views

    with connection:
        for view in views():
            connection.execute(f"DROP VIEW IF EXISTS {view.name}")  # our own constant names
            connection.execute(view.create_sql())


def _catalogue(connection: sqlite3.Connection) -> tuple[list[str], list[str]]:
    rows = connection.execute("SELECT type, name FROM sqlite_master WHERE type IN "
                              "('table', 'view') AND name NOT LIKE 'sqlite_%' ORDER BY name")
    tables, views = [], []
    for kind, name in rows:
        (tables if kind == "table" else views).append(name)
    return tables, views


def _unlink_quietly(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass
