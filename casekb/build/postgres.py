"""Building a PostgreSQL store atomically: a private schema, swapped in with one commit.

`write_store` builds the whole new store inside ONE transaction: it creates a private schema
`<name>_build_<random>`, lets the caller create the tables and views and load the rows into it
(with COPY: `copy_rows`; the foreign keys come once the rows are in:
`create_tables_keys_later`, `add_foreign_keys`), then renames the live schema to
`<name>_old_<random>` and the new one to `<name>`, and commits. Until that commit no other
session can see any of it, so readers never see a half-built store, and a build that fails
or is killed (its connection drops, the server rolls back) leaves the previous store exactly
as it was, with no debris. Renaming a schema does not wait for its readers. The old schema is
dropped just after the commit, in a transaction of its own: sessions still reading the old
tables finish undisturbed while new ones already read the new store; if one keeps a
transaction open past DROP_WAIT_SECONDS, the old schema is left for the next build to drop (as
it is when the process dies in that instant). Two builds of the same store are serialised by
an advisory lock; the second is refused with a clear message.

Privileges granted on the old schema and its tables and views (e.g. USAGE and SELECT to a
readers' role) are granted again on the new ones, so a rebuild does not lock readers out.

Tables are created with `COLLATE "C"` on every text column so that text sorts and compares
byte by byte, exactly as in SQLite, whatever the database's locale: the query language gives
the same rows, in the same order, on both engines.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casekb.errors import StoreError
from casekb.store.location import StoreLocation
from casekb.store.postgres import (
    quote_identifier,
    schema_kind,
    schema_of,
    server_engine,
    server_error,
)

if TYPE_CHECKING:
    from sqlalchemy import MetaData
    from sqlalchemy.engine import Connection

# How long dropping the replaced store may wait for readers still in a transaction on it.
DROP_WAIT_SECONDS = 5.0

BUILD_MARK = "_build_"

OLD_MARK = "_old_"


# fill(connection, metadata): create the tables (and views) of `metadata` in the current schema
# and load the rows; returns the row counts by table.
Fill = Callable[["Connection", "MetaData"], dict[str, int]]


@dataclass
class _Build:
    schema: str
    token: str

    @property
    def build_schema(self) -> str:
        return f"{self.schema}{BUILD_MARK}{self.token}"

    @property
    def old_schema(self) -> str:
        return f"{self.schema}{OLD_MARK}{self.token}"


def check_build_target(location: StoreLocation, *, force: bool) -> None:
    """Before validating a large folder: can we reach the server and replace the schema?"""
    from sqlalchemy.exc import DBAPIError

    engine = server_engine(location, readonly=True)
    try:
        with engine.connect() as connection:
            _check_replaceable(connection, location, force=force)
    except DBAPIError as error:
        raise server_error(error, location) from None
    finally:
        engine.dispose()


def write_store(location: StoreLocation, fill: Fill, *, force: bool = False) -> dict[str, int]:
    """Build a new store with `fill` and swap it in atomically; see the module docstring."""
    from sqlalchemy.exc import DBAPIError

    build = _Build(schema_of(location), secrets.token_hex(4))
    engine = server_engine(location, readonly=False)
    try:
        with engine.connect() as connection:
            try:
                counts = _build_and_swap(connection, location, build, fill, force=force)
            except BaseException:
                _rollback_quietly(connection)
                raise
            for name in _leftovers(connection, build.schema):
                _drop_quietly(connection, name)
            return counts
    except DBAPIError as error:
        raise server_error(error, location, building=True) from None
    finally:
        engine.dispose()


def _build_and_swap(connection: Connection, location: StoreLocation, build: _Build,
                    fill: Fill, *, force: bool) -> dict[str, int]:
    from sqlalchemy import text

    # One transaction from here to the commit below: nothing is visible to others before it.
    locked = connection.execute(text("SELECT pg_try_advisory_xact_lock(hashtext(:key))"),
                                {"key": f"casekb build {build.schema}"}).scalar_one()
    if not locked:
        raise StoreError(f"another build of {location.display} is running",
                         hints=["wait for it to finish, then build again"])
    existing = _check_replaceable(connection, location, force=force)
    connection.exec_driver_sql(f"CREATE SCHEMA {quote_identifier(build.build_schema)}")
    connection.execute(text("SELECT set_config('search_path', :path, true)"),
                       {"path": quote_identifier(build.build_schema)})
    counts = fill(connection, server_metadata())
    for (name,) in connection.execute(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :schema AND c.relkind = 'r' ORDER BY c.relname"),
            {"schema": build.build_schema}):
        # Planner statistics for exactly the new tables (a bare ANALYZE would scan the
        # whole database).
        connection.exec_driver_sql(f"ANALYZE {quote_identifier(build.build_schema)}.{quote_identifier(name)}")
    if existing != "missing":
        _copy_grants(connection, build.schema, build.build_schema)
        connection.exec_driver_sql(
            f"ALTER SCHEMA {quote_identifier(build.schema)} RENAME TO {quote_identifier(build.old_schema)}")
    connection.exec_driver_sql(
        f"ALTER SCHEMA {quote_identifier(build.build_schema)} RENAME TO {quote_identifier(build.schema)}")
    connection.commit()
    return counts


def create_tables_keys_later(connection: Connection, metadata: MetaData) -> None:
    """Create the tables and indexes of `metadata` without their foreign keys, which
    `add_foreign_keys` adds once the rows are in.

    A build streams the curated folder file by file, so a row may refer to one that comes
    later; and checking each key once, in bulk, is quicker than checking it row by row.
    """
    from sqlalchemy.schema import CreateIndex, CreateTable

    for table in metadata.sorted_tables:
        connection.execute(CreateTable(table, include_foreign_key_constraints=[]))
    for table in metadata.sorted_tables:
        for index in sorted(table.indexes, key=lambda index: index.name or ""):
            connection.execute(CreateIndex(index))


def add_foreign_keys(connection: Connection, metadata: MetaData) -> None:
    """Add the foreign keys `create_tables_keys_later` left out; PostgreSQL checks every
    row as it adds each one (and names them as it would have: <table>_<column>_fkey)."""
    from sqlalchemy.schema import AddConstraint

    for table in metadata.sorted_tables:
        for constraint in sorted(table.foreign_key_constraints,
                                 key=lambda constraint: constraint.column_keys):
            connection.execute(AddConstraint(constraint))


def copy_rows(connection: Connection, table: Any, columns: list, rows: list[tuple]) -> None:
    """Write rows (tuples of `columns`' values) into `table` with COPY, inside the
    connection's transaction.

    COPY streams the rows in one command: several times faster than INSERT, even batched or
    pipelined, which matters for corpora of many thousand cases. Values are adapted by the
    driver as for any parameter.
    """
    names = ", ".join(quote_identifier(column.name) for column in columns)
    driver_connection = connection.connection.driver_connection
    with driver_connection.cursor() as cursor:
        # Table and column names come from the schema declaration, quoted as identifiers.
        with cursor.copy(f"COPY {quote_identifier(table.name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _check_replaceable(connection: Connection, location: StoreLocation, *,
                       force: bool) -> str:
    """The kind of the schema a build will replace; StoreError when it must not be replaced."""
    schema = schema_of(location)
    kind = schema_kind(connection, schema)
    if kind == "other" and not force:
        raise StoreError(
            f"the schema {schema!r} of {location.display} exists and is not a casekb store; "
            f"not replacing it",
            hints=["choose another schema with ?schema=NAME, or pass --force to replace it "
                   "(this drops everything in it)"])
    return kind


def _leftovers(connection: Connection, schema: str) -> list[str]:
    """Replaced stores not dropped yet (a reader held them, or the build died after its
    commit). Build schemas never outlive their transaction, so there are none to find."""
    from sqlalchemy import text

    pattern = re.compile(re.escape(schema + OLD_MARK) + r"[0-9a-f]{8}")
    found = connection.execute(text(
        "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :prefix)"),
        {"prefix": schema + OLD_MARK}).scalars().all()
    return sorted(name for name in found if pattern.fullmatch(name))


def _rollback_quietly(connection: Connection) -> None:
    # After a lost connection or an interrupted COPY the rollback itself may fail; the server
    # rolls back anyway when the connection closes, and the first error is the one to report.
    try:
        connection.rollback()
    except Exception:
        pass


def _drop_quietly(connection: Connection, schema: str) -> None:
    """Drop a replaced store after the swap, in a transaction of its own.

    DROP waits for sessions still reading the old tables in an open transaction; rather than
    wait for an idle one for ever, give up after DROP_WAIT_SECONDS and leave the schema to the
    next build, which tries again.
    """
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    try:
        connection.execute(text("SELECT set_config('lock_timeout', :wait, true)"),
                           {"wait": f"{int(DROP_WAIT_SECONDS * 1000)}"})
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {quote_identifier(schema)} CASCADE")
        connection.commit()
    except DBAPIError:
        connection.rollback()


def _copy_grants(connection: Connection, old: str, new: str) -> None:
    """Grant on the new schema, and on its tables and views, what was granted on the old ones
    to other roles (the builder owns the new objects and has every privilege already)."""
    from sqlalchemy import text

    grants = connection.execute(text(
        "SELECT 'SCHEMA', NULL, a.privilege_type, a.grantee, a.is_grantable "
        "FROM pg_namespace n, aclexplode(n.nspacl) a "
        "WHERE n.nspname = :old AND a.grantee <> n.nspowner "
        "UNION ALL "
        "SELECT 'TABLE', c.relname, a.privilege_type, a.grantee, a.is_grantable "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace, aclexplode(c.relacl) a "
        "WHERE n.nspname = :old AND c.relkind IN ('r', 'v', 'p') AND a.grantee <> c.relowner "
        "AND EXISTS (SELECT 1 FROM pg_class d JOIN pg_namespace m ON m.oid = d.relnamespace "
        "            WHERE m.nspname = :new AND d.relname = c.relname)"),
        {"old": old, "new": new}).all()
    roles = dict(connection.execute(text("SELECT oid, rolname FROM pg_roles")).all())
    for kind, name, privilege, grantee, grantable in grants:
        # Privilege names come from PostgreSQL's own catalogue; names are quoted identifiers.
        target = quote_identifier(new) if kind == "SCHEMA" else f"{quote_identifier(new)}.{quote_identifier(name)}"
        who = "PUBLIC" if grantee == 0 else quote_identifier(roles[grantee])
        option = " WITH GRANT OPTION" if grantable else ""
        connection.exec_driver_sql(f"GRANT {privilege} ON {kind} {target} TO {who}{option}")


def server_metadata() -> MetaData:
    """The store's tables for PostgreSQL: the declared tables, every text column COLLATE "C"
    so that text sorts and compares byte by byte as in SQLite."""
    from sqlalchemy import MetaData, String

    from casekb.schema.tables import metadata as store_metadata

    metadata = MetaData()
    for table in store_metadata().sorted_tables:
        copy = table.to_metadata(metadata)
        for column in copy.columns:
            if isinstance(column.type, String):
                column.type = column.type.copy()
                column.type.collation = "C"
    return metadata


def drop_store(db: str) -> bool:
    """Drop the store named by the URL `db`: its schema, any leftovers of builds, and its
    reader role (`<schema>_reader`, casekb/store/reader.py) unless the role still has rights
    on something else (a schema of the same name in another database of the server, anything
    an administrator granted it), or this user may not drop roles.

    For tests and benchmarks that make throw-away stores; returns whether anything was
    dropped. Refuses a schema that holds something other than a casekb store.
    """
    from sqlalchemy.exc import DBAPIError

    from casekb.store.location import locate

    location = locate(db)
    schema = schema_of(location)
    engine = server_engine(location, readonly=False)
    try:
        with engine.connect() as connection:
            kind = schema_kind(connection, schema)
            if kind == "other":
                raise StoreError(f"the schema {schema!r} is not a casekb store; not dropping it")
            dropped = [] if kind == "missing" else [schema]
            dropped += _leftovers(connection, schema)
            for name in dropped:
                connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {quote_identifier(name)} CASCADE")
            role_dropped = _drop_reader_quietly(connection, schema)
            connection.commit()
    except DBAPIError as error:
        raise server_error(error, location) from None
    finally:
        engine.dispose()
    return bool(dropped) or role_dropped


def _drop_reader_quietly(connection: Connection, schema: str) -> bool:
    """Drop the reader role of the store in `schema`, once its schema is gone, in a savepoint
    of the caller's transaction; whether it was dropped. The server refuses while the role
    holds rights on anything else, in this database or another (so a role other stores or
    an administrator use stays), and to a user who may not drop roles: it is then left."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from casekb.store.reader import reader_role

    role = reader_role(schema)
    exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :role"),
                                {"role": role}).first()
    if exists is None:
        return False
    savepoint = connection.begin_nested()
    try:
        connection.exec_driver_sql(f"DROP ROLE {quote_identifier(role)}")
    except DBAPIError:
        savepoint.rollback()
        return False
    savepoint.commit()
    return True
