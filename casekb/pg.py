"""PostgreSQL as the shared server engine: addressing a store, reading it safely, building it
atomically.

Addressing. A store on a server is one *schema* of a database, named by the URL's `schema`
option (default `casekb`):

    postgresql+psycopg://USER:PASSWORD@HOST:PORT/DATABASE?schema=NAME

so several stores can share a database (tests and benchmarks use unique names). Schema names
are lower-case letters, digits and `_`, at most 48 characters (PostgreSQL allows 63 and a build
appends `_build_xxxxxxxx`). `postgresql://` and `postgres://` mean the psycopg 3 driver, the one
casekb supports (`pip install 'casekb[postgres]'`). Every connection gets `search_path` set to
the store's schema only, so plain SQL (`SELECT * FROM charges`, `v_charges`) finds the store's
tables and views, the same names as in a SQLite store.

Reading. `server_engine(..., readonly=True)` makes every session read-only
(`default_transaction_read_only`) with a `statement_timeout`, so nothing run through it can
change the store or run for ever. A server shared by several people should still give readers a
role that holds only USAGE and SELECT grants; read-only sessions guard casekb's own connections.

Building. `write_store` builds the whole new store inside ONE transaction: it creates a
private schema `<name>_build_<random>`, lets the caller create the tables and views and load
the rows into it (with COPY: `copy_rows`; the foreign keys come once the rows are in:
`create_tables_keys_later`, `add_foreign_keys`), then renames the live schema to
`<name>_old_<random>` and the new one to `<name>`, and commits. Until that commit no other
session can see any of it, so readers never see a half-built store, and a build that fails
or is killed (its connection drops, the server rolls back) leaves the previous store exactly
as it was, with no debris. Renaming a schema does not wait for its readers. The old schema is dropped just after
the commit, in a transaction of its own: sessions still reading the old tables finish
undisturbed while new ones already read the new store; if one keeps a transaction open past
DROP_WAIT_SECONDS, the old schema is left for the next build to drop (as it is when the
process dies in that instant). Two builds of the same store are serialised by an advisory
lock; the second is refused with a clear message.

Privileges granted on the old schema and its tables and views (e.g. USAGE and SELECT to a
readers' role) are granted again on the new ones, so a rebuild does not lock readers out.

Tables are created with `COLLATE "C"` on every text column so that text sorts and compares
byte by byte, exactly as in SQLite, whatever the database's locale: the query language gives
the same rows, in the same order, on both engines.

Every failure becomes a StoreError that names the fix: server unreachable, authentication
refused, database missing, schema missing or not a store, no permission, another build running,
statement timeout. This module imports SQLAlchemy only inside functions.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casekb.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy import MetaData
    from sqlalchemy.engine import URL, Connection, Engine

    from casekb.store import StoreLocation

DEFAULT_SCHEMA = "casekb"
SCHEMA_OPTION = "schema"
# Reads through casekb stop after this long; a store query that takes longer is a bug or an
# accident (a cross join typed into `casekb sql`), not something to wait for.
READ_TIMEOUT_SECONDS = 30.0
# How long to wait for a server that does not answer, unless the URL sets connect_timeout.
CONNECT_TIMEOUT_SECONDS = 10
# How long dropping the replaced store may wait for readers still in a transaction on it.
DROP_WAIT_SECONDS = 5.0
BUILD_MARK = "_build_"
OLD_MARK = "_old_"
_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,47}")
# Schemas that belong to PostgreSQL or to everyone; a build would rename and drop them.
_RESERVED = ("public", "information_schema")
DRIVER = "postgresql+psycopg"
INSTALL_HINT = "install the PostgreSQL driver: pip install 'casekb[postgres]'"


# -- addressing --------------------------------------------------------------------------------

def parse_url(db: str) -> tuple[str, str]:
    """(the URL as casekb shows it, the schema): the driver made explicit, the schema checked.

    Raises StoreError for a URL that cannot be parsed or an unusable schema name.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    scheme, rest = db.split("://", 1)
    if scheme.lower() in ("postgresql", "postgres"):
        scheme = DRIVER  # the only driver casekb installs and tests
    try:
        url = make_url(f"{scheme}://{rest}")
    except (ArgumentError, ValueError) as error:
        # SQLAlchemy says ValueError for a host and port it cannot split (`[::1:5432`).
        what = (f"{error}" if isinstance(error, ArgumentError) else
                "its host and port cannot be read (a port is a number; an IPv6 address goes "
                "in brackets: [::1]:5432)")
        raise StoreError(f"cannot read the database URL {_redact(db)}: {what}",
                         hints=["write it as postgresql+psycopg://USER@HOST:PORT/DATABASE"
                                "?schema=NAME"]) from None
    schemas = url.query.get(SCHEMA_OPTION, DEFAULT_SCHEMA)
    if isinstance(schemas, tuple):
        raise StoreError(f"the database URL {_redact(db)} names the schema more than once")
    check_schema_name(schemas)
    if not url.database:
        raise StoreError(f"the database URL {_redact(db)} names no database",
                         hints=["write it as postgresql+psycopg://USER@HOST:PORT/DATABASE"
                                "?schema=NAME"])
    return url.render_as_string(hide_password=False), schemas


def check_schema_name(name: str) -> None:
    """Refuse a schema name casekb cannot use safely (StoreError says which names are fine)."""
    if not _SCHEMA_NAME.fullmatch(name) or name in _RESERVED or name.startswith("pg_"):
        raise StoreError(
            f"cannot use {name!r} as the store's schema",
            hints=["choose a name of lower-case letters, digits and _ (at most 48), not "
                   "public or pg_*, e.g. ?schema=casekb"])


def engine_url(location: "StoreLocation") -> "URL":
    """The URL to connect with: the store's URL without casekb's own `schema` option."""
    from sqlalchemy.engine import make_url

    return make_url(location.url).difference_update_query([SCHEMA_OPTION])


def location_of(engine: "Engine") -> "StoreLocation":
    """A location naming the server and database of `engine` (for messages)."""
    from casekb.store import StoreLocation

    return StoreLocation(engine.url.render_as_string(hide_password=False), None, "--db")


def _schema(location: "StoreLocation") -> str:
    return location.schema or DEFAULT_SCHEMA


# -- connecting --------------------------------------------------------------------------------

def server_engine(location: "StoreLocation", *, readonly: bool = True,
                  statement_timeout: float | None = READ_TIMEOUT_SECONDS) -> "Engine":
    """An engine whose sessions use the store's schema; read-only with a statement timeout
    unless `readonly` is false (`statement_timeout` None or 0: no limit)."""
    from sqlalchemy import create_engine, event
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    url = engine_url(location)
    connect_args: dict[str, Any] = {}
    if "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
    try:
        engine = create_engine(url, connect_args=connect_args)
    except (ArgumentError, NoSuchModuleError, ImportError) as error:
        raise StoreError(f"cannot use the database URL {location.display}: {error}",
                         hints=[INSTALL_HINT]) from None
    settings = _session_settings(location, readonly, statement_timeout)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        try:
            _apply_settings(dbapi_connection, settings)
        finally:
            dbapi_connection.autocommit = autocommit

    return engine


def driver_arguments(location: "StoreLocation") -> dict[str, Any]:
    """psycopg.connect() keyword arguments for the store's server and database (libpq options
    of the URL included; casekb's `schema` left out)."""
    url = engine_url(location)
    arguments: dict[str, Any] = url.translate_connect_args(username="user", database="dbname")
    arguments.update(url.query)
    arguments.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    return arguments


def _session_settings(location: "StoreLocation", readonly: bool,
                      statement_timeout: float | None) -> dict[str, str]:
    # DateStyle ISO: the views turn dates into text with CAST, which follows the session's
    # DateStyle; ISO gives "2024-01-19" as in SQLite whatever the server's default.
    settings = {"search_path": _quote(_schema(location)), "DateStyle": "ISO, YMD"}
    if readonly:
        settings["default_transaction_read_only"] = "on"
        milliseconds = int((statement_timeout or 0) * 1000)
        settings["statement_timeout"] = str(max(milliseconds, 1) if statement_timeout else 0)
    return settings


def _apply_settings(dbapi_connection: Any, settings: dict[str, str]) -> None:
    # Made once per new connection, in one round trip; the values are bound parameters (the
    # schema name, checked by check_schema_name, is quoted as an identifier).
    assignments = ", ".join("set_config(%s, %s, false)" for _ in settings)
    with dbapi_connection.cursor() as cursor:
        cursor.execute(f"SELECT {assignments}",
                       [item for pair in settings.items() for item in pair])


def read_meta(engine: "Engine", location: "StoreLocation | None" = None) -> dict[str, str]:
    """The store's meta table; StoreError when the server, database or schema is not there,
    or the schema holds no casekb store. `location` defaults to the engine's own store."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from casekb.store import StoreLocation

    given = location
    if location is None:
        location = StoreLocation(engine.url.render_as_string(hide_password=False), None, "--db")
    try:
        with engine.connect() as connection:
            if given is None:
                # server_engine put exactly one quoted schema name in the search path.
                path = connection.execute(text("SELECT current_setting('search_path')"))
                schema = path.scalar_one().strip('"')
                url = engine.url.update_query_dict({SCHEMA_OPTION: schema})
                location = StoreLocation(url.render_as_string(hide_password=False), None,
                                         "--db", schema)
            schema = _schema(location)
            found = _schema_kind(connection, schema)
            if found == "missing":
                raise StoreError(
                    f"no casekb store in {location.display}: the database has no schema "
                    f"{schema!r}", hints=[f"build one: {location.build_hint()}"])
            if found != "casekb":
                raise StoreError(
                    f"the schema {schema!r} of {location.display} is not a casekb store "
                    f"(it has no meta table)",
                    hints=["give the schema of a store made by `casekb build` with ?schema=NAME"])
            rows = connection.execute(text("SELECT key, value FROM meta")).all()
    except DBAPIError as error:
        raise server_error(error, location) from None
    return {str(key): str(value) for key, value in rows}


def table_counts(engine: "Engine", location: "StoreLocation") -> dict[str, int]:
    """Row count of each table of the store (not meta), for `casekb info`."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    names_sql = text("SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                     "ON n.oid = c.relnamespace WHERE n.nspname = :schema "
                     "AND c.relkind IN ('r', 'p') ORDER BY c.relname")
    try:
        with engine.connect() as connection:
            names = connection.execute(names_sql, {"schema": _schema(location)}).scalars().all()
            # Table names come from the server's own catalogue and are quoted as identifiers.
            return {name: connection.exec_driver_sql(
                f"SELECT count(*) FROM {_quote(name)}").scalar_one()
                for name in names if name != "meta"}
    except DBAPIError as error:
        raise server_error(error, location) from None


def connect(db: str, *, readonly: bool = True,
            statement_timeout: float | None = READ_TIMEOUT_SECONDS) -> Any:
    """A plain psycopg connection (autocommit) to the store named by the URL `db`, its
    search_path set to the store's schema, read-only with a statement timeout by default.

    For hand-written SQL through the driver itself (the benchmarks' baseline); casekb's own
    code goes through `server_engine`.
    """
    from casekb.store import locate

    return driver_connection(locate(db), readonly=readonly,
                             statement_timeout=statement_timeout)


def driver_connection(location: "StoreLocation", *, readonly: bool = True,
                      statement_timeout: float | None = READ_TIMEOUT_SECONDS) -> Any:
    """A plain psycopg connection (autocommit: one round trip a statement) to the store at
    `location`, with the sessions' settings (`server_engine`). casekb answers queries through
    one of these (casekb/kb.py)."""
    try:
        import psycopg
    except ImportError:
        raise StoreError(f"cannot use the database {location.display}: the PostgreSQL "
                         f"driver is not installed", hints=[INSTALL_HINT]) from None
    try:
        connection = psycopg.connect(**driver_arguments(location), autocommit=True)
        _apply_settings(connection, _session_settings(location, readonly, statement_timeout))
    except psycopg.Error as error:
        raise server_error(error, location) from None
    return connection


def drop_store(db: str) -> bool:
    """Drop the store named by the URL `db` (its schema, and any leftovers of builds).

    For tests and benchmarks that make throw-away stores; returns whether anything was
    dropped. Refuses a schema that holds something other than a casekb store.
    """
    from sqlalchemy.exc import DBAPIError

    from casekb.store import locate

    location = locate(db)
    schema = _schema(location)
    engine = server_engine(location, readonly=False)
    try:
        with engine.connect() as connection:
            kind = _schema_kind(connection, schema)
            if kind == "other":
                raise StoreError(f"the schema {schema!r} is not a casekb store; not dropping it")
            dropped = [] if kind == "missing" else [schema]
            dropped += _leftovers(connection, schema)
            for name in dropped:
                connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_quote(name)} CASCADE")
            connection.commit()
    except DBAPIError as error:
        raise server_error(error, location) from None
    finally:
        engine.dispose()
    return bool(dropped)


# -- building ----------------------------------------------------------------------------------

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


def check_build_target(location: "StoreLocation", *, force: bool) -> None:
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


def write_store(location: "StoreLocation", fill: Fill, *, force: bool = False) -> dict[str, int]:
    """Build a new store with `fill` and swap it in atomically; see the module docstring."""
    from sqlalchemy.exc import DBAPIError

    build = _Build(_schema(location), secrets.token_hex(4))
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


def _build_and_swap(connection: "Connection", location: "StoreLocation", build: _Build,
                    fill: Fill, *, force: bool) -> dict[str, int]:
    from sqlalchemy import text

    # One transaction from here to the commit below: nothing is visible to others before it.
    locked = connection.execute(text("SELECT pg_try_advisory_xact_lock(hashtext(:key))"),
                                {"key": f"casekb build {build.schema}"}).scalar_one()
    if not locked:
        raise StoreError(f"another build of {location.display} is running",
                         hints=["wait for it to finish, then build again"])
    existing = _check_replaceable(connection, location, force=force)
    connection.exec_driver_sql(f"CREATE SCHEMA {_quote(build.build_schema)}")
    connection.execute(text("SELECT set_config('search_path', :path, true)"),
                       {"path": _quote(build.build_schema)})
    counts = fill(connection, server_metadata())
    for (name,) in connection.execute(text(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname = :schema AND c.relkind = 'r' ORDER BY c.relname"),
            {"schema": build.build_schema}):
        # Planner statistics for exactly the new tables (a bare ANALYZE would scan the
        # whole database).
        connection.exec_driver_sql(f"ANALYZE {_quote(build.build_schema)}.{_quote(name)}")
    if existing != "missing":
        _copy_grants(connection, build.schema, build.build_schema)
        connection.exec_driver_sql(
            f"ALTER SCHEMA {_quote(build.schema)} RENAME TO {_quote(build.old_schema)}")
    connection.exec_driver_sql(
        f"ALTER SCHEMA {_quote(build.build_schema)} RENAME TO {_quote(build.schema)}")
    connection.commit()
    return counts


def create_tables_keys_later(connection: "Connection", metadata: "MetaData") -> None:
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


def add_foreign_keys(connection: "Connection", metadata: "MetaData") -> None:
    """Add the foreign keys `create_tables_keys_later` left out; PostgreSQL checks every
    row as it adds each one (and names them as it would have: <table>_<column>_fkey)."""
    from sqlalchemy.schema import AddConstraint

    for table in metadata.sorted_tables:
        for constraint in sorted(table.foreign_key_constraints,
                                 key=lambda constraint: constraint.column_keys):
            connection.execute(AddConstraint(constraint))


def copy_rows(connection: "Connection", table: Any, columns: list, rows: list[tuple]) -> None:
    """Write rows (tuples of `columns`' values) into `table` with COPY, inside the
    connection's transaction.

    COPY streams the rows in one command: several times faster than INSERT, even batched or
    pipelined, which matters for corpora of many thousand cases. Values are adapted by the
    driver as for any parameter.
    """
    names = ", ".join(_quote(column.name) for column in columns)
    driver_connection = connection.connection.driver_connection
    with driver_connection.cursor() as cursor:
        # Table and column names come from the schema declaration, quoted as identifiers.
        with cursor.copy(f"COPY {_quote(table.name)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


def _check_replaceable(connection: "Connection", location: "StoreLocation", *,
                       force: bool) -> str:
    """The kind of the schema a build will replace; StoreError when it must not be replaced."""
    schema = _schema(location)
    kind = _schema_kind(connection, schema)
    if kind == "other" and not force:
        raise StoreError(
            f"the schema {schema!r} of {location.display} exists and is not a casekb store; "
            f"not replacing it",
            hints=["choose another schema with ?schema=NAME, or pass --force to replace it "
                   "(this drops everything in it)"])
    return kind


def _schema_kind(connection: "Connection", schema: str) -> str:
    """'missing', 'empty', 'casekb' (it has a meta table) or 'other'."""
    from sqlalchemy import text

    row = connection.execute(text(
        "SELECT n.oid, (SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid), "
        "(SELECT count(*) FROM pg_class c WHERE c.relnamespace = n.oid "
        " AND c.relname = 'meta' AND c.relkind = 'r') "
        "FROM pg_namespace n WHERE n.nspname = :schema"), {"schema": schema}).first()
    if row is None:
        return "missing"
    _, relations, meta = row
    if meta:
        return "casekb"
    return "empty" if relations == 0 else "other"


def _leftovers(connection: "Connection", schema: str) -> list[str]:
    """Replaced stores not dropped yet (a reader held them, or the build died after its
    commit). Build schemas never outlive their transaction, so there are none to find."""
    from sqlalchemy import text

    pattern = re.compile(re.escape(schema + OLD_MARK) + r"[0-9a-f]{8}")
    found = connection.execute(text(
        "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :prefix)"),
        {"prefix": schema + OLD_MARK}).scalars().all()
    return sorted(name for name in found if pattern.fullmatch(name))


def _rollback_quietly(connection: "Connection") -> None:
    # After a lost connection or an interrupted COPY the rollback itself may fail; the server
    # rolls back anyway when the connection closes, and the first error is the one to report.
    try:
        connection.rollback()
    except Exception:
        pass


def _drop_quietly(connection: "Connection", schema: str) -> None:
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
        connection.exec_driver_sql(f"DROP SCHEMA IF EXISTS {_quote(schema)} CASCADE")
        connection.commit()
    except DBAPIError:
        connection.rollback()


def _copy_grants(connection: "Connection", old: str, new: str) -> None:
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
        target = _quote(new) if kind == "SCHEMA" else f"{_quote(new)}.{_quote(name)}"
        who = "PUBLIC" if grantee == 0 else _quote(roles[grantee])
        option = " WITH GRANT OPTION" if grantable else ""
        connection.exec_driver_sql(f"GRANT {privilege} ON {kind} {target} TO {who}{option}")


def server_metadata() -> "MetaData":
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


# -- errors ------------------------------------------------------------------------------------

def server_error(error: BaseException, location: "StoreLocation", *,
                 building: bool = False) -> StoreError:
    """One StoreError, with the fix, for anything the server or the driver reported."""
    original = getattr(error, "orig", None) or error
    text = str(original).strip()
    lowered = text.lower()
    detail = _detail(text)
    url = engine_url(location)
    server = f"{url.host or 'localhost'}:{url.port or 5432}"
    user = url.username or "(default user)"
    if "does not exist" in lowered and "database" in lowered and "fatal" in lowered:
        return StoreError(
            f"the database {url.database!r} does not exist on the PostgreSQL server {server}",
            hints=[f"create it (createdb -h {url.host or 'localhost'} -p {url.port or 5432} "
                   f"{url.database}), or name an existing database in the URL"])
    if any(sign in lowered for sign in (
            "password authentication failed", "authentication failed", "no password supplied",
            "is not permitted to log in", "no pg_hba.conf entry", "role \"")) \
            and ("fatal" in lowered or "password" in lowered):
        return StoreError(
            f"the PostgreSQL server {server} refused user {user}: {detail}",
            hints=["check the user name and password in the URL (or PGPASSWORD / ~/.pgpass), "
                   "and that the server lets this user connect (pg_hba.conf)"])
    if any(sign in lowered for sign in (
            "connection refused", "could not connect", "failed to resolve host",
            "could not translate host name", "name or service not known", "timeout expired",
            "no route to host", "network is unreachable", "connection timed out",
            "server closed the connection", "consuming input failed", "connection failed")):
        return StoreError(
            f"cannot reach the PostgreSQL server {server}: {detail}",
            hints=["check that the server is running and that the host and port in the URL "
                   "are right"])
    if "statement timeout" in lowered:
        return StoreError(
            f"the store {location.display} took too long to answer (statement timeout): the "
            f"query was cancelled", hints=["narrow the query, e.g. with a where clause or limit"])
    if "read-only transaction" in lowered:
        return StoreError(f"the store {location.display} is read-only here: {detail}",
                          hints=["casekb only reads stores; change one with `casekb build`"])
    if "permission denied" in lowered:
        what = "build" if building else "read"
        return StoreError(
            f"user {user} may not {what} the store {location.display}: {detail}",
            hints=[f"ask the database owner to GRANT CREATE ON DATABASE {url.database} TO "
                   f"{user}" if building else
                   f"ask the store's owner to GRANT USAGE ON SCHEMA {_schema(location)} and "
                   f"SELECT ON ALL TABLES IN SCHEMA {_schema(location)} TO {user}"])
    if "must be owner" in lowered:
        return StoreError(f"user {user} cannot replace the store {location.display}: {detail}",
                          hints=["build as the role that owns the schema"])
    verb = "building" if building else "reading"
    return StoreError(f"{verb} the store {location.display} failed: {detail}")


def _detail(text: str) -> str:
    """The server's own words, without libpq's 'connection to server at ... failed:' prefix."""
    first = text.splitlines()[0] if text else text
    for marker in ("FATAL:", "ERROR:", "failed:"):
        if marker in first:
            first = first.rsplit(marker, 1)[1]
    return " ".join(first.split()) or text


def _quote(identifier: str) -> str:
    """A PostgreSQL identifier, quoted."""
    return '"' + identifier.replace('"', '""') + '"'


def _redact(db: str) -> str:
    """A URL for a message, its password (if any) replaced."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", db)
