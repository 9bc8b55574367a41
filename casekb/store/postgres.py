"""PostgreSQL stores: connecting to a store's schema, reading it safely, and every failure in
words that name the fix. (Addressing a store is casekb/store/location.py; building one
atomically, casekb/build/postgres.py.)

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

from typing import TYPE_CHECKING, Any

from casekb.errors import StoreError
from casekb.store.location import DEFAULT_SCHEMA, SCHEMA_OPTION, StoreLocation

if TYPE_CHECKING:
    from sqlalchemy.engine import URL, Connection, Engine

# Reads through casekb stop after this long; a store query that takes longer is a bug or an
# accident (a cross join typed into `casekb sql`), not something to wait for.
READ_TIMEOUT_SECONDS = 30.0

# How long to wait for a server that does not answer, unless the URL sets connect_timeout.
CONNECT_TIMEOUT_SECONDS = 10

INSTALL_HINT = "install the PostgreSQL driver: pip install 'casekb[postgres]'"


def engine_url(location: StoreLocation) -> URL:
    """The URL to connect with: the store's URL without casekb's own `schema` option."""
    from sqlalchemy.engine import make_url

    return make_url(location.url).difference_update_query([SCHEMA_OPTION])


def location_of(engine: Engine) -> StoreLocation:
    """A location naming the server and database of `engine` (for messages)."""
    from casekb.store.location import StoreLocation

    return StoreLocation(engine.url.render_as_string(hide_password=False), None, "--db")


def schema_of(location: StoreLocation) -> str:
    return location.schema or DEFAULT_SCHEMA


def server_engine(location: StoreLocation, *, readonly: bool = True,
                  statement_timeout: float | None = READ_TIMEOUT_SECONDS) -> Engine:
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


def driver_arguments(location: StoreLocation) -> dict[str, Any]:
    """psycopg.connect() keyword arguments for the store's server and database (libpq options
    of the URL included; casekb's `schema` left out)."""
    url = engine_url(location)
    arguments: dict[str, Any] = url.translate_connect_args(username="user", database="dbname")
    arguments.update(url.query)
    arguments.setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
    return arguments


def _session_settings(location: StoreLocation, readonly: bool,
                      statement_timeout: float | None) -> dict[str, str]:
    # DateStyle ISO: the views turn dates into text with CAST, which follows the session's
    # DateStyle; ISO gives "2024-01-19" as in SQLite whatever the server's default.
    settings = {"search_path": quote_identifier(schema_of(location)), "DateStyle": "ISO, YMD"}
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


def read_meta(engine: Engine, location: StoreLocation | None = None) -> dict[str, str]:
    """The store's meta table; StoreError when the server, database or schema is not there,
    or the schema holds no casekb store. `location` defaults to the engine's own store."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    from casekb.store.location import StoreLocation

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
            schema = schema_of(location)
            found = schema_kind(connection, schema)
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


def table_counts(engine: Engine, location: StoreLocation) -> dict[str, int]:
    """Row count of each table of the store (not meta), for `casekb info`."""
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    names_sql = text("SELECT c.relname FROM pg_class c JOIN pg_namespace n "
                     "ON n.oid = c.relnamespace WHERE n.nspname = :schema "
                     "AND c.relkind IN ('r', 'p') ORDER BY c.relname")
    try:
        with engine.connect() as connection:
            names = connection.execute(names_sql, {"schema": schema_of(location)}).scalars().all()
            # Table names come from the server's own catalogue and are quoted as identifiers.
            return {name: connection.exec_driver_sql(
                f"SELECT count(*) FROM {quote_identifier(name)}").scalar_one()
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
    from casekb.store.location import locate

    return driver_connection(locate(db), readonly=readonly,
                             statement_timeout=statement_timeout)


def driver_connection(location: StoreLocation, *, readonly: bool = True,
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


def schema_kind(connection: Connection, schema: str) -> str:
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


def server_error(error: BaseException, location: StoreLocation, *,
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
                   f"ask the store's owner to GRANT USAGE ON SCHEMA {schema_of(location)} and "
                   f"SELECT ON ALL TABLES IN SCHEMA {schema_of(location)} TO {user}"])
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


def quote_identifier(identifier: str) -> str:
    """A PostgreSQL identifier, quoted."""
    return '"' + identifier.replace('"', '""') + '"'
