"""The store's reader role on PostgreSQL: the rights raw SQL runs with, whatever the URL's user.

A user connected as a superuser (the usual default on one's own server) could otherwise read
server files, stop other sessions or reload the configuration from inside a read-only
transaction. So `casekb sql` (and the shell's `.sql`, and report SQL blocks) run each
statement as the store's reader role, switched to for that transaction only (`SET LOCAL
ROLE`). The role of the store in schema `NAME` is `NAME_reader`:

    CREATE ROLE "NAME_reader" NOLOGIN;
    GRANT USAGE ON SCHEMA "NAME" TO "NAME_reader";
    GRANT SELECT ON ALL TABLES IN SCHEMA "NAME" TO "NAME_reader";   -- tables and views
    GRANT "NAME_reader" TO "USER";   -- each user who runs casekb sql (not needed for a superuser)

It may read the store's tables and views and what PostgreSQL shows every user, nothing more.
`casekb build` makes it (`grant_reader`): it creates the role when the builder may create
roles, and grants it the new store's schema, tables and views. Before running a statement,
`enter_reader` switches to it and checks it still has no more rights than that: it must
exist, the connecting user must be allowed to act as it, and it must be no superuser, able to
create nothing, a member of no other role. Otherwise the statement is refused with the exact
statements an administrator runs (`setup_statements`).

Roles belong to the server, not to one database: stores of the same schema name in two
databases of a server share their reader role, which reads each only where it is granted.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from casekb.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

SUFFIX = "_reader"
# Rights beyond reading that the reader role must not have (pg_roles columns and the words
# that take them away).
_ATTRIBUTES = (("rolsuper", "SUPERUSER"), ("rolcreaterole", "CREATEROLE"),
               ("rolcreatedb", "CREATEDB"), ("rolreplication", "REPLICATION"),
               ("rolbypassrls", "BYPASSRLS"))


def reader_role(schema: str) -> str:
    """The name of the reader role of the store in `schema`."""
    return schema + SUFFIX


def setup_statements(schema: str, user: str | None = None) -> list[str]:
    """The statements that make the reader role of `schema` (and let `user` act as it)."""
    role, store = quote(reader_role(schema)), quote(schema)
    statements = [f"CREATE ROLE {role} NOLOGIN;",
                  f"GRANT USAGE ON SCHEMA {store} TO {role};",
                  f"GRANT SELECT ON ALL TABLES IN SCHEMA {store} TO {role};"]
    if user:
        statements.append(f"GRANT {role} TO {quote(user)};")
    return statements


def grant_reader(connection: Connection, schema: str) -> None:
    """At build time, inside the build's transaction, whose search path is the new store's
    schema: create the reader role of `schema` if it is missing and the builder may create
    roles, grant it the new schema, tables and views, and let the builder act as it.

    Each step runs in a savepoint: a builder who may not create roles still builds (the
    schema's reader role is then made by an administrator: `casekb sql` says how).
    """
    from sqlalchemy import text
    from sqlalchemy.exc import DBAPIError

    role = reader_role(schema)
    new_schema, exists, superuser = connection.execute(text(
        "SELECT current_schema(), EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :role), "
        "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"),
        {"role": role}).one()
    steps = [] if exists else [f"CREATE ROLE {quote(role)} NOLOGIN"]
    steps += [f"GRANT USAGE ON SCHEMA {quote(new_schema)} TO {quote(role)}",
              f"GRANT SELECT ON ALL TABLES IN SCHEMA {quote(new_schema)} TO {quote(role)}"]
    if not superuser:  # a superuser may act as any role already
        steps.append(f"GRANT {quote(role)} TO CURRENT_USER")
    for statement in steps:
        savepoint = connection.begin_nested()
        try:
            connection.exec_driver_sql(statement)  # names quoted as identifiers
        except DBAPIError:
            savepoint.rollback()
            if statement.startswith("CREATE ROLE"):
                return  # no role to grant anything to
        else:
            savepoint.commit()


def enter_reader(cursor: Any, schema: str, user: str) -> None:
    """Make the reader role of `schema` the current role of the cursor's transaction
    (psycopg), or raise StoreError, with the statements to run, when it cannot be used or
    has more rights than reading."""
    import psycopg

    role = reader_role(schema)
    try:
        cursor.execute("SELECT CASE WHEN EXISTS (SELECT 1 FROM pg_roles WHERE rolname = %s) "
                       "THEN set_config('role', %s, true) END", (role, role))
    except psycopg.errors.InsufficientPrivilege:
        raise StoreError(
            f"user {quote(user)} may not act as {quote(role)}, the store's reader role, which "
            f"casekb sql runs SQL as", hints=[
                "an administrator (or the role's creator) lets it with:\n  "
                + setup_statements(schema, user)[-1],
                "docs/postgres.md explains the reader role"]) from None
    if cursor.fetchone()[0] is None:
        raise StoreError(
            f"the store's reader role {quote(role)}, which casekb sql runs SQL as, does not "
            f"exist on this server", hints=[
                "casekb build creates it when the builder may create roles; or an "
                "administrator runs:\n  " + "\n  ".join(setup_statements(schema, user)),
                "docs/postgres.md explains the reader role"])
    cursor.execute(
        "SELECT " + ", ".join(f"r.{column}" for column, _ in _ATTRIBUTES) + ", "
        "ARRAY(SELECT g.rolname::text FROM pg_auth_members m JOIN pg_roles g "
        "      ON g.oid = m.roleid WHERE m.member = r.oid ORDER BY 1), "
        "has_schema_privilege(r.oid, %s, 'USAGE') "
        "FROM pg_roles r WHERE r.rolname = current_user", (schema,))
    *attributes, groups, usage = cursor.fetchone()
    extra = [word for (_, word), held in zip(_ATTRIBUTES, attributes) if held]
    if extra or groups:
        fixes = ([f"ALTER ROLE {quote(role)} " + " ".join(f"NO{word}" for word in extra) + ";"]
                 if extra else [])
        fixes += [f"REVOKE {quote(group)} FROM {quote(role)};" for group in groups]
        rights = [word for word in extra] + [f"member of {group}" for group in groups]
        raise StoreError(
            f"the store's reader role {quote(role)} has more rights than reading the store "
            f"({', '.join(rights)}); casekb sql will not run SQL as it",
            hints=["an administrator takes them away with:\n  " + "\n  ".join(fixes)])
    if not usage:
        raise StoreError(
            f"the store's reader role {quote(role)} may not read the store",
            hints=["rebuild the store (casekb build grants it), or an administrator runs:\n  "
                   + "\n  ".join(setup_statements(schema)[1:])])


def quote(identifier: str) -> str:
    """A PostgreSQL name, quoted (SQLAlchemy's own quoting, always applied)."""
    from sqlalchemy.dialects import postgresql

    return postgresql.dialect().identifier_preparer.quote_identifier(identifier)
