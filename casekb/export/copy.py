"""`casekb export`: the store for people who never install casekb.

- `export_sqlite(db, path)`: a standalone SQLite file, copied page by page with SQLite's
  backup API (a consistent snapshot even while others read), with every table and the
  current views (casekb/build/views.py) re-created in the copy, so that a store built by an older
  casekb still exports with today's views. Written under a temporary name and renamed into
  place (casekb/outputs.py: never over the store, written into a device or FIFO), so PATH
  is never left half-written.
- `export_csv(db, folder)`: one CSV file per view (`v_charges.csv`, ...), UTF-8, with a
  header row; NULL is an empty cell, booleans true/false and formulas quoted, as
  `casekb query --format csv` writes them (casekb/render.py csv_text). Written into a temporary folder and moved into place
  when complete, so a failed export leaves the folder as it was.

- `export_datasette(db, folder)`: the SQLite copy and the metadata Datasette reads
  (casekb/export/datasette.py) side by side, written as the CSV files are.

All read the store through a read-only connection; `progress(step, done, total)` is called
as they go (the command line shows it on a terminal only).
"""

from __future__ import annotations

import os
import shutil
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from casekb.errors import FileError, StoreError, UsageError
from casekb.outputs import check_target, file_error, staged

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
        if self.format == "datasette":
            return (f"exported {self.store} to {self.path} for Datasette (casekb.sqlite and "
                    f"metadata.json); serve it with: datasette {self.path}")
        if self.format == "csv":
            rows = sum(self.views.values())
            return (f"exported {self.store} to {self.path}: {len(self.views)} CSV files, "
                    f"one per view, {rows} rows")
        return (f"exported {self.store} to {self.path}: {len(self.tables)} tables and "
                f"{len(self.views)} views")


def export_sqlite(db: str | None, path: str | Path, *, force: bool = False,
                  progress: Progress | None = None) -> ExportReport:
    """Copy the store chosen by `db` to the SQLite file `path` (tables and views).

    Refuses to replace an existing file unless `force`, and never the store itself (nor a
    link to it). A device or FIFO is written into (casekb/outputs.py). Raises StoreError when
    the store cannot be read or copied, UsageError when PATH is refused, FileError when it
    cannot be written.
    """
    source = _source(db)
    target = check_target(path, inputs=[("the store", source)], what="export")
    if target.exists and not target.in_place and not force:
        raise UsageError(f"{target} already exists; not replacing it",
                         hints=["choose another path, or pass --force to replace it"])
    with staged(target) as temp:
        tables, views = _copy_store(source, temp, progress)
    return ExportReport(str(source), Path(os.path.abspath(target.given)), "sqlite", tables,
                        {name: 0 for name in views})


def _copy_store(source: Path, path: Path, progress: Progress | None) -> tuple[list, list]:
    """Copy the store to a new SQLite file `path`, with today's views; return its tables and
    views."""
    from casekb.store.sqlite import sqlite_connect

    try:
        reader = sqlite_connect(source, readonly=True)
        try:
            writer = sqlite3.connect(path)
            try:
                def step(_status: int, remaining: int, total: int) -> None:
                    if progress is not None:
                        progress("copying pages", total - remaining, total)

                reader.backup(writer, pages=BACKUP_PAGES_PER_STEP, progress=step)
                _recreate_views(writer)
                return _catalogue(writer)
            finally:
                writer.close()
        finally:
            reader.close()
    except sqlite3.Error as error:
        if _disk_full(error):
            raise FileError(f"cannot write {path}: {error}") from None
        raise StoreError(f"exporting the store {source} failed: {error}") from None


def export_datasette(db: str | None, folder: str | Path, *, force: bool = False,
                     progress: Progress | None = None) -> ExportReport:
    """Write the store for Datasette into `folder`: the SQLite copy (casekb.sqlite) and the
    metadata Datasette reads (metadata.json, casekb/export/datasette.py), so `datasette FOLDER`
    serves it. The folder is new or empty unless `force`; written as export_csv writes."""
    import json

    from casekb.export.datasette import DATABASE_FILE, METADATA_FILE, metadata

    source = _source(db)
    target = Path(folder).expanduser().resolve()
    _check_folder_target(target, source, force=force, names=[DATABASE_FILE, METADATA_FILE])
    report = ExportReport(str(source), target, "datasette")
    with _staging(target) as staging:
        report.tables, views = _copy_store(source, staging / DATABASE_FILE, progress)
        report.views = {name: 0 for name in views}
        data = metadata(staging / DATABASE_FILE, database=Path(DATABASE_FILE).stem)
        (staging / METADATA_FILE).write_text(json.dumps(data, indent=2, ensure_ascii=False)
                                             + "\n", encoding="utf-8")
    return report


def export_csv(db: str | None, folder: str | Path, *, force: bool = False,
               progress: Progress | None = None) -> ExportReport:
    """Write one CSV file per view of the store chosen by `db` into `folder`.

    The folder is created if needed; an existing one must be empty unless `force` (then
    only the v_*.csv files are replaced). The files are written into a temporary folder
    beside it first, and moved in only when every one is complete, so an export stopped
    half-way (a full disk, Ctrl-C) leaves the folder as it was. Raises StoreError when the
    store cannot be read, UsageError when the folder is refused, FileError when it cannot be
    written.
    """
    from casekb.build.views import views
    from casekb.store.sqlite import sqlite_connect

    source = _source(db)
    target = Path(folder).expanduser().resolve()
    every = views()
    _check_folder_target(target, source, force=force,
                         names=[f"{view.name}.csv" for view in every])
    report = ExportReport(str(source), target, "csv")
    try:
        reader = sqlite_connect(source, readonly=True)
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the store {source}: {error}") from None
    try:
        with _staging(target) as staging:
            for number, view in enumerate(every, 1):
                if progress is not None:
                    progress(view.name, number, len(every))
                report.views[view.name] = _write_csv(reader, view,
                                                     staging / f"{view.name}.csv")
    except sqlite3.Error as error:
        raise StoreError(f"cannot read the store {source}: {error}",
                         hints=["if it is damaged or old, rebuild it: casekb build"]) from None
    finally:
        reader.close()
    return report


@contextmanager
def _staging(target: Path) -> Iterator[Path]:
    """A temporary folder beside `target` to write the files into; moved in when the block
    ends without error, removed however it ends."""
    staging = target.with_name(f".{target.name}.{os.getpid()}{TEMP_SUFFIX}")
    try:
        staging.mkdir()
        yield staging
        _move_in(staging, target)
    except OSError as error:
        raise file_error(error, target) from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _write_csv(reader: sqlite3.Connection, view, path: Path) -> int:
    """Write one view's rows to `path`, as `casekb query --format csv` writes values
    (booleans true/false where SQLite stores 1/0, formulas quoted); return the row count."""
    from casekb.render import csv_text, write_csv

    boolean_names = _boolean_columns().get(view.name, ())
    booleans = [index for index, column in enumerate(view.columns) if column in boolean_names]
    count = 0
    cursor = reader.execute(view.select_sql)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        write_csv(list(view.columns), [], handle)
        while True:
            rows = cursor.fetchmany(1000)
            if not rows:
                break
            if booleans:
                rows = [_with_booleans(row, booleans) for row in rows]
            write_csv([], ([csv_text(value) for value in row] for row in rows), handle,
                      header=False)
            count += len(rows)
    return count


def _boolean_columns() -> dict[str, set[str]]:
    """The boolean columns of each view, from the language's registry."""
    from casekb.build.views import view_name, viewed_entities
    from casekb.lang.registry import FieldType

    return {view_name(entity): {field.name for field in entity.fields
                                if field.type is FieldType.BOOLEAN}
            for entity in viewed_entities()}


def _with_booleans(row: tuple, booleans: list[int]) -> list:
    from casekb.render import cell_text

    values = list(row)
    for index in booleans:
        if values[index] is not None:
            values[index] = cell_text(bool(values[index]))
    return values


def _move_in(staging: Path, target: Path) -> None:
    """The complete files into place: the whole folder when it is new (one rename), else
    file by file (renames take no space, so a full disk cannot stop them half-way)."""
    if not target.exists():
        os.rename(staging, target)
        return
    for path in sorted(staging.iterdir()):
        os.replace(path, target / path.name)


def _source(db: str | None) -> Path:
    """The store's SQLite file, checked to be a readable casekb store of this version."""
    from casekb.build.default import prepare_store
    from casekb.store.open import open_location

    location = prepare_store(db)
    if not location.is_sqlite:
        raise StoreError(f"exporting from {location.display} is not supported yet: only "
                         f"SQLite stores can be exported for now")
    open_location(location).dispose()  # the checks: exists, is a casekb store, schema version
    assert location.path is not None
    return location.path


def _check_folder_target(target: Path, source: Path, *, force: bool, names: list[str]) -> None:
    """A folder to export the files `names` into: new, or empty unless `force` (then those
    files are replaced, none of them the store)."""
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} is a file; this export writes a folder",
                         hints=["give a folder path, or use --format sqlite for one file"])
    if not target.parent.is_dir():
        raise FileError(f"cannot write {target}: the folder {target.parent} does not exist")
    if target.is_dir():
        for name in names:  # the files a forced export replaces
            check_target(target / name, inputs=[("the store", source)], what="export")
        if any(target.iterdir()) and not force:
            raise UsageError(f"the folder {target} is not empty; not writing into it",
                             hints=["choose a new folder, or pass --force to replace its "
                                    + ", ".join(names[:2]) + (" ... files" if len(names) > 2
                                                              else " files")])


def _disk_full(error: sqlite3.Error) -> bool:
    return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or \
        "disk is full" in str(error) or "disk I/O error" in str(error)


def _recreate_views(connection: sqlite3.Connection) -> None:
    from casekb.build.views import views

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
