"""Where the store is, and opening it safely.

The store is chosen by `--db PATH_OR_URL`, else the environment variable `CASEKB_DB`, else
the default store file in the user's data directory (`CASEKB_HOME` overrides that directory,
for tests). A plain path means a SQLite file; a `postgresql+psycopg://...?schema=NAME` URL a
store in a schema of a PostgreSQL database (casekb/pg.py). The default store is built from the bundled
seeds on first use and rebuilt whenever the bundled data, the schema version or the casekb
version change, so the first query after installing just works.

`open_store` checks that what it opens really is a casekb store of this schema version and
turns every way that can fail into one `StoreError` (exit status 3) that says how to fix it.
This module is on the path of every query, so it imports SQLAlchemy only inside functions
and never imports the ORM.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casekb import SCHEMA_VERSION, __version__
from casekb.errors import CurationError, StoreError, UsageError

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

# Written to the SQLite header (PRAGMA application_id) so that a casekb store is recognised
# from its first 100 bytes, and a build never overwrites some other file by mistake.
APPLICATION_ID = 0x636B6231  # "ckb1"
SQLITE_MAGIC = b"SQLite format 3\x00"
DEFAULT_STORE_NAME = "casekb.sqlite"
ENV_DB = "CASEKB_DB"
ENV_HOME = "CASEKB_HOME"
# How long a reader waits for another process's write lock before reporting it.
LOCK_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class StoreLocation:
    """A resolved store: its SQLAlchemy URL, its file when it is SQLite (its schema when it
    is on a PostgreSQL server), and who chose it."""

    url: str
    path: Path | None  # the SQLite file; None for a server database
    origin: str  # "--db", "CASEKB_DB" or "default"
    schema: str | None = None  # the PostgreSQL schema holding the store

    @property
    def is_default(self) -> bool:
        return self.origin == "default"

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def display(self) -> str:
        """How to name the store in a message (a path, or a URL without its password)."""
        if self.path is not None:
            return str(self.path)
        return _hide_password(self.url)

    def build_hint(self) -> str:
        """The command that (re)builds this store."""
        if self.is_default:
            return "casekb build"
        return f"casekb build --db {_shell_quote(self.display)}"


def default_home() -> Path:
    """The folder holding the default store: `CASEKB_HOME`, else the user's data directory."""
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser()
    import platformdirs  # only needed when the default store is used

    return Path(platformdirs.user_data_dir("casekb", appauthor=False))


def default_store_path() -> Path:
    """The default store file."""
    return default_home() / DEFAULT_STORE_NAME


def locate(db: str | None = None) -> StoreLocation:
    """Resolve `--db` (or `CASEKB_DB`, or the default) to a store location."""
    origin = "--db"
    if not db:
        db, origin = os.environ.get(ENV_DB) or None, ENV_DB
    if not db:
        path = default_store_path().resolve()
        return StoreLocation(_sqlite_url(path), path, "default")
    if "://" not in db:
        path = Path(db).expanduser().resolve()
        return StoreLocation(_sqlite_url(path), path, origin)
    scheme = db.split("://", 1)[0].lower()
    if scheme.split("+", 1)[0] == "sqlite":
        from sqlalchemy.engine import make_url

        try:
            database = make_url(db).database
        except ValueError:  # a host and port SQLAlchemy cannot split (`sqlite://[::1:5/x`)
            raise StoreError(f"cannot read the database URL {db!r}",
                             hints=["give the path of the store file, or "
                                    "sqlite:////absolute/path.sqlite"]) from None
        if not database or database == ":memory:":
            raise StoreError(f"{db!r} names no file; give the path of the store file")
        path = Path(database).expanduser().resolve()
        return StoreLocation(_sqlite_url(path), path, origin)
    if scheme.split("+", 1)[0] in ("postgresql", "postgres"):
        from casekb import pg

        url, schema = pg.parse_url(db)
        return StoreLocation(url, None, origin, schema)
    raise StoreError(f"unsupported database URL scheme {scheme!r}",
                     hints=["give a file path (SQLite) or a postgresql+psycopg:// URL"])


def resolve_url(db: str | None = None) -> str:
    """The SQLAlchemy URL of the store chosen by `db`, `CASEKB_DB` or the default."""
    return locate(db).url


def open_store(db: str | None = None, *, readonly: bool = True) -> "Engine":
    """Open the chosen store and check it is a casekb store of the current schema version.

    The default store is built (or rebuilt) from the bundled seeds first when needed. A SQLite
    store is opened read-only unless `readonly` is false; a PostgreSQL store gives read-only
    sessions with a statement timeout (casekb/pg.py). Raises StoreError (exit 3) with the fix
    when the store is missing, not a SQLite file, damaged, not a casekb store, of another schema
    version or locked, or the server cannot be reached or refuses the user.
    """
    return open_location(locate(db), readonly=readonly)


def open_location(location: StoreLocation, *, readonly: bool = True) -> "Engine":
    """`open_store` for a store already located."""
    if location.is_default:
        ensure_default_store(location.path)
    if location.is_sqlite:
        check_sqlite_file(location)
        engine = _sqlite_engine(location.path, readonly=readonly)
    else:
        engine = _server_engine(location, readonly=readonly)
    try:
        meta = read_meta(engine, location)
        check_meta(meta, location)
    except BaseException:
        engine.dispose()
        raise
    return engine


def open_sqlite(location: StoreLocation) -> tuple[sqlite3.Connection, dict[str, str]]:
    """A read-only sqlite3 connection to the SQLite store at `location`, checked as
    `open_store` checks it, and the store's meta facts; no SQLAlchemy is loaded. The default
    store is built first when it is missing or out of date."""
    if location.is_default:
        ensure_default_store(location.path)
    check_sqlite_file(location)
    try:
        connection = sqlite_connect(location.path, readonly=True)
    except sqlite3.Error as error:
        raise _store_error_from(error, location) from None
    try:
        meta = {str(key): str(value) for key, value in
                connection.execute("SELECT key, value FROM meta").fetchall()}
        check_meta(meta, location)
    except sqlite3.Error as error:
        connection.close()
        raise _store_error_from(error, location) from None
    except BaseException:
        connection.close()
        raise
    return connection, meta


def sqlite_engine(path: Path, *, readonly: bool = True) -> "Engine":
    """A SQLAlchemy engine on the SQLite store `path` (read-only unless told otherwise)."""
    return _sqlite_engine(path, readonly=readonly)


def describe_store(db: str | None = None) -> dict:
    """Where the store is, its meta facts and the row count of each table (for `casekb info`)."""
    location = locate(db)
    engine = open_store(db)
    try:
        meta = read_meta(engine, location)
        with engine.connect() as connection:
            names = [name for (name,) in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name")] if location.is_sqlite else []
            # Table names come from the store's own catalogue, quoted as identifiers.
            rows = {name: connection.exec_driver_sql(
                'SELECT count(*) FROM "' + name.replace('"', '""') + '"').scalar_one()
                for name in names if name != "meta"}
        if not location.is_sqlite:
            from casekb import pg

            rows = pg.table_counts(engine, location)
    finally:
        engine.dispose()
    return {"store": location.display, "origin": location.origin, "meta": meta, "rows": rows}


def read_meta(engine: "Engine", location: StoreLocation | None = None) -> dict[str, str]:
    """The store's `meta` table as a dict; StoreError when it cannot be read."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    where = location or StoreLocation(str(engine.url), None, "--db")
    if engine.dialect.name == "postgresql":
        from casekb import pg

        return pg.read_meta(engine, location)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT key, value FROM meta").all()
    except DBAPIError as error:
        raise _store_error_from(error.orig, where) from None
    except SQLAlchemyError as error:
        raise StoreError(f"cannot read the store {where.display}: {error}",
                         hints=[f"rebuild it: {where.build_hint()}"]) from None
    return {str(key): str(value) for key, value in rows}


def check_meta(meta: dict[str, str], location: StoreLocation) -> None:
    """Refuse a store of another schema version (or one without a version)."""
    version = meta.get("schema_version")
    if version is None:
        raise StoreError(f"{location.display} is not a casekb store (it records no schema version)",
                         hints=[f"build one: {location.build_hint()}"])
    if version != str(SCHEMA_VERSION):
        raise StoreError(
            f"the store {location.display} has schema version {version}, but this casekb "
            f"(version {__version__}) reads schema version {SCHEMA_VERSION}",
            hints=[f"rebuild it: {_rebuild_command(meta, location)}"])


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
        raise StoreError(f"{path} is not a SQLite database, so not a casekb store",
                         hints=[f"if it should be one, rebuild it: {location.build_hint()} --force "
                                f"(this replaces the file)"])
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


def build_destination(db: str | None, folder: Path | str | None, *,
                      replace_default: bool = False) -> StoreLocation:
    """Where `casekb build [FOLDER] [--db DB]` writes, checked.

    The default store holds the bundled data and answers every command given no --db, so a
    build of another folder goes there only when asked for exactly that (`replace_default`);
    otherwise UsageError says how to give the store a place of its own.
    """
    from casekb.resources import is_bundled_seeds

    location = locate(db)
    if replace_default and not location.is_default:
        raise UsageError("--replace-default is for the default store; "
                         f"{location.origin} names another ({location.display})",
                         hints=["leave out one of them"])
    if not location.is_default or folder is None or is_bundled_seeds(folder) \
            or replace_default:
        return location
    name = Path(folder).resolve().name or "store"
    given = _shell_quote(str(folder))
    raise UsageError(
        f"casekb build {given} writes a store of its own, not into the default store "
        f"({location.display}), which holds the bundled case and answers every command "
        f"given no --db",
        hints=[f"build it into a file of its own: casekb build {given} --db {name}.sqlite "
               f"(then ask it with --db {name}.sqlite, or set CASEKB_DB)",
               f"or make it the default store's data, for every command without --db: "
               f"casekb build {given} --replace-default"])


def ensure_default_store(path: Path | None = None) -> Path:
    """Build the default store from the bundled seeds if it is missing or out of date."""
    from casekb.curation.files import folder_hash
    from casekb.resources import bundled_seeds

    path = path or default_store_path()
    seeds = bundled_seeds()
    if sqlite_file_kind(path) == "casekb":
        meta = _quiet_meta(path)
        if meta is not None and meta.get("source_bundled") != "true":
            # The user built their own data into the default store: never replace it with
            # the bundled case; open_store reports it if its schema version is stale.
            return path
        # The folder too: after casekb is installed again elsewhere, `info` and the reports'
        # links to the articles must name the data of this installation, not a removed one.
        wanted = {"schema_version": str(SCHEMA_VERSION), "casekb_version": __version__,
                  "schema_hash": schema_hash(), "input_hash": folder_hash(seeds),
                  "source_folder": str(seeds.resolve())}
        if meta is not None and all(meta.get(k) == v for k, v in wanted.items()):
            return path
    from casekb.build import build_store

    if sys.stderr.isatty():
        print(f"casekb: building the default store {path} from the bundled seeds",
              file=sys.stderr)
    try:
        build_store(seeds, str(path), force=True)
    except CurationError as error:
        raise StoreError(
            f"cannot build the default store: the bundled curated data has "
            f"{len(error.problems)} problem(s)",
            hints=["list them with: casekb check"]) from None
    return path


def schema_hash() -> str:
    """A SHA-256 of the store's DDL as shipped (schema/schema.sql, tables and views).

    Recorded in every store, so that the default store is rebuilt when the tables or views
    change shape even if nobody bumped SCHEMA_VERSION. Reading the shipped file (kept equal
    to the declaration by tests/test_schema.py) spares every start importing SQLAlchemy.
    """
    import hashlib

    from casekb.resources import data_dir

    try:
        return hashlib.sha256((data_dir("schema") / "schema.sql").read_bytes()).hexdigest()
    except OSError:
        return ""


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


def ddl() -> str:
    """The store's SQL DDL (SQLite dialect), generated from the schema declaration; see
    schema/schema.sql."""
    from sqlalchemy.dialects import postgresql, sqlite
    from sqlalchemy.schema import CreateIndex, CreateTable

    from casekb.schema.tables import indexes_for, metadata

    dialect = sqlite.dialect()
    parts = [
        "-- The casekb store, SQLite dialect. Generated from casekb/schema/declaration.py by",
        "-- `casekb schema`; do not edit by hand (tests/test_schema.py fails when this file",
        "-- drifts).",
        f"-- Schema version {SCHEMA_VERSION}; every store records it in meta.schema_version.",
        f"PRAGMA application_id = {APPLICATION_ID};",
        "",
    ]
    for table in metadata().sorted_tables:
        parts.append(str(CreateTable(table).compile(dialect=dialect)).strip() + ";")
        made = indexes_for(table, "sqlite")
        for index in made:
            parts.append(str(CreateIndex(index).compile(dialect=dialect)).strip() + ";")
        for index in indexes_for(table, "postgresql"):
            if index not in made:  # shown, so that the file tells the whole schema
                sql = str(CreateIndex(index).compile(dialect=postgresql.dialect())).strip()
                parts.append(f"-- PostgreSQL only: {sql};")
        parts.append("")
    from casekb.views import ddl as views_ddl

    parts.append(views_ddl(dialect))
    return "\n".join(parts)


def _sqlite_engine(path: Path, *, readonly: bool) -> "Engine":
    from sqlalchemy import create_engine
    from sqlalchemy.pool import QueuePool

    # A creator, not URL parameters, so that any character in the path is passed safely.
    return create_engine(_sqlite_url(path), creator=lambda: sqlite_connect(path, readonly=readonly),
                         poolclass=QueuePool)


def _server_engine(location: StoreLocation, *, readonly: bool) -> "Engine":
    from casekb import pg

    return pg.server_engine(location, readonly=readonly)


def _store_error_from(error: BaseException | None, location: StoreLocation) -> StoreError:
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
    if "malformed" in lowered or "not a database" in lowered or "corrupt" in lowered \
            or lowered.startswith("could not decode to utf-8"):
        return StoreError(f"the store {location.display} is damaged ({text})",
                          hints=[f"rebuild it: {location.build_hint()}"])
    if "unable to open" in lowered or "permission" in lowered or "readonly" in lowered:
        return StoreError(f"cannot open the store {location.display}: {text}")
    return StoreError(f"cannot read the store {location.display}: {text}",
                      hints=[f"if it is damaged, rebuild it: {location.build_hint()}"])


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


def _quiet_meta(path: Path) -> dict[str, str] | None:
    """The meta of a SQLite store, or None when it cannot be read for any reason."""
    try:
        connection = sqlite_connect(path, readonly=True)
        try:
            return dict(connection.execute("SELECT key, value FROM meta").fetchall())
        finally:
            connection.close()
    except sqlite3.Error:
        return None


def _rebuild_command(meta: dict[str, str], location: StoreLocation) -> str:
    folder = meta.get("source_folder")
    if location.is_default or not folder:
        return location.build_hint()
    return f"casekb build {_shell_quote(folder)} --db {_shell_quote(location.display)}"


def _sqlite_url(path: Path) -> str:
    return "sqlite:///" + str(path)


def _hide_password(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL too broken to parse is shown as given, minus nothing secret
        return url.split("@", 1)[-1]


def _shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)
