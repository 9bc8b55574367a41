"""Opening a store checked to be a casekb store of this schema version.

`open_store` (a SQLAlchemy engine, for tools that speak SQLAlchemy) and the library object
(casekb/kb.py, which answers queries on the driver's own connection) check that what they open
really is a casekb store of this schema version, and turn every way that can fail into one
`StoreError` (exit status 3) that says how to fix it. This module imports SQLAlchemy only
inside functions.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from casekb import SCHEMA_VERSION, __version__
from casekb.errors import StoreError
from casekb.store.location import StoreLocation, locate, shell_quote
from casekb.store.sqlite import (
    check_sqlite_file,
    sqlite_connect,
    sqlite_engine,
    store_error_from,
)

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine


def open_store(db: str | None = None, *, readonly: bool = True) -> Engine:
    """Open the chosen store and check it is a casekb store of the current schema version.

    A SQLite store is opened read-only unless `readonly` is false; a PostgreSQL store gives
    read-only sessions with a statement timeout (casekb/store/postgres.py). The default store
    is not built here: casekb.open (casekb/kb.py) builds it from the bundled seeds first when
    needed (casekb/build/default.py). Raises StoreError (exit 3) with the fix
    when the store is missing, not a SQLite file, damaged, not a casekb store, of another schema
    version or locked, or the server cannot be reached or refuses the user.
    """
    return open_location(locate(db), readonly=readonly)


def open_location(location: StoreLocation, *, readonly: bool = True) -> Engine:
    """`open_store` for a store already located."""
    return _open_checked(location, readonly=readonly)[0]


def _open_checked(location: StoreLocation, *, readonly: bool) -> tuple[Engine, dict[str, str]]:
    """`open_location`, and the meta facts it checked."""
    if location.is_sqlite:
        check_sqlite_file(location)
        engine = sqlite_engine(location.path, readonly=readonly)
    else:
        engine = _server_engine(location, readonly=readonly)
    try:
        meta = read_meta(engine, location)
        check_meta(meta, location)
    except BaseException:
        engine.dispose()
        raise
    return engine, meta


def _server_engine(location: StoreLocation, *, readonly: bool) -> Engine:
    from casekb.store import postgres

    return postgres.server_engine(location, readonly=readonly)


def describe_store(location: StoreLocation) -> dict:
    """Where the store is, its meta facts and the row count of each table (for `casekb info`)."""
    engine, meta = _open_checked(location, readonly=True)
    try:
        with engine.connect() as connection:
            names = [name for (name,) in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name")] if location.is_sqlite else []
            # Table names come from the store's own catalogue, quoted as identifiers.
            rows = {name: connection.exec_driver_sql(
                'SELECT count(*) FROM "' + name.replace('"', '""') + '"').scalar_one()
                for name in names if name != "meta"}
        if not location.is_sqlite:
            from casekb.store import postgres

            rows = postgres.table_counts(engine, location)
    finally:
        engine.dispose()
    return {"store": location.display, "origin": location.origin, "meta": meta, "rows": rows}


def read_meta(engine: Engine, location: StoreLocation | None = None) -> dict[str, str]:
    """The store's `meta` table as a dict; StoreError when it cannot be read."""
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError

    where = location or StoreLocation(str(engine.url), None, "--db")
    if engine.dialect.name == "postgresql":
        from casekb.store import postgres

        return postgres.read_meta(engine, location)
    try:
        with engine.connect() as connection:
            rows = connection.exec_driver_sql("SELECT key, value FROM meta").all()
    except DBAPIError as error:
        raise store_error_from(error.orig, where) from None
    except SQLAlchemyError as error:
        raise StoreError(f"cannot read the store {where.display}: {error}",
                         hints=[f"rebuild it: {where.build_hint()}"]) from None
    except UnicodeDecodeError:
        # SQLite hands back the bytes of a damaged page as text that is not UTF-8.
        raise StoreError(f"the store {where.display} is damaged: its meta table holds bytes "
                         f"that are not text", hints=[f"rebuild it: {where.build_hint()}"]
                         ) from None
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


def _rebuild_command(meta: dict[str, str], location: StoreLocation) -> str:
    folder = meta.get("source_folder")
    if location.is_default or not folder:
        return location.build_hint()
    return f"casekb build {shell_quote(folder)} --db {shell_quote(location.display)}"


def open_sqlite(location: StoreLocation) -> tuple[sqlite3.Connection, dict[str, str]]:
    """A read-only sqlite3 connection to the SQLite store at `location`, checked as
    `open_store` checks it, and the store's meta facts; no SQLAlchemy is loaded."""
    check_sqlite_file(location)
    try:
        connection = sqlite_connect(location.path, readonly=True)
    except sqlite3.Error as error:
        raise store_error_from(error, location) from None
    try:
        meta = {str(key): str(value) for key, value in
                connection.execute("SELECT key, value FROM meta").fetchall()}
        check_meta(meta, location)
    except (sqlite3.Error, UnicodeDecodeError) as error:  # text that is not UTF-8: damage
        connection.close()
        raise store_error_from(error, location) from None
    except BaseException:
        connection.close()
        raise
    return connection, meta
