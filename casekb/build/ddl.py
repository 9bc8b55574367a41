"""The store's DDL, tables and views, as `casekb schema` prints it and schema/schema.sql holds
it (python -m casekb.schema.docs writes that file; a test fails when it is stale)."""

from __future__ import annotations

from casekb import SCHEMA_VERSION
from casekb.store.sqlite import APPLICATION_ID


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
    from casekb.build.views import ddl as views_ddl

    parts.append(views_ddl(dialect))
    return "\n".join(parts)


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
