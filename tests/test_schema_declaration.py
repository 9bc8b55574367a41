"""The schema declaration (casekb/schema/declaration.py) is what the store has, and it holds
together.

A store built from the bundled seeds, read back with SQLAlchemy's inspector, has exactly the
declared tables; each has exactly the declared columns in order (type, length, nullability,
primary key), UNIQUE constraints, indexes (one-column, multi-column and, on PostgreSQL only,
the descending ones), foreign keys with their ON DELETE, and CHECK constraints. The
expectation is worked out from the declaration's plain data, not from the SQLAlchemy tables
built from it, so that a fault in building them shows. The PostgreSQL part needs
CASEKB_TEST_POSTGRES_URL (see tests/test_postgres.py).
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy import create_engine, inspect, types

from casekb.build.builder import build_store
from casekb.schema import declaration
from casekb.schema.declaration import (
    ALIAS,
    KIND_ORDER,
    TABLES,
    fields_of_kind,
    kind_of_table,
    referenced_table,
    table_for,
    table_named,
    tables_of_kind,
)
from casekb.schema.parts import REF, Table
from casekb.store.location import locate
from casekb.store.open import open_store

# -- what the declaration says -------------------------------------------------------------


def declared(table: Table, dialect: str) -> dict:
    """The shape of `table` in a store on `dialect`, from the declaration alone."""
    columns = table.columns
    return {
        "columns": [(c.name, c.type, not (c.required or c.primary_key)) for c in columns],
        "primary key": [c.name for c in columns if c.primary_key],
        "unique": sorted([(c.name,) for c in columns if c.unique]
                         + [tuple(u.columns) for u in table.uniques]),
        "indexes": sorted((index.name, tuple(index.columns), index.descending)
                          for index in table.indexes
                          if dialect == "postgresql" or not index.postgresql_only),
        "foreign keys": sorted((c.name, referenced_table(c.refers_to), c.on_delete)
                               for c in columns if c.refers_to),
        "checks": sorted(check.name for check in table.checks),
    }


# -- what the store has ----------------------------------------------------------------------

def _type(reflected: types.TypeEngine) -> str:
    """A reflected column type, written as the declaration writes types."""
    if isinstance(reflected, types.Text):  # before String: TEXT is a String too
        return "text"
    if isinstance(reflected, types.String):
        return f"varchar({reflected.length})"
    for name, kind in (("integer", types.Integer), ("float", types.Float),
                       ("boolean", types.Boolean), ("date", types.Date)):
        if isinstance(reflected, kind):
            return name
    raise AssertionError(f"unexpected column type {reflected!r}")


def reflected(inspector, name: str, schema: str | None) -> dict:
    """The shape of the table `name` as the store has it."""
    indexes = [index for index in inspector.get_indexes(name, schema=schema)
               if "duplicates_constraint" not in index]  # PostgreSQL's UNIQUE indexes
    return {
        "columns": [(c["name"], _type(c["type"]), c["nullable"])
                    for c in inspector.get_columns(name, schema=schema)],
        "primary key": inspector.get_pk_constraint(name, schema=schema)["constrained_columns"],
        "unique": sorted(tuple(u["column_names"])
                         for u in inspector.get_unique_constraints(name, schema=schema)),
        "indexes": sorted(
            (index["name"], tuple(index["column_names"]),
             "desc" in index.get("column_sorting", {}).get(index["column_names"][0], ()))
            for index in indexes),
        "foreign keys": sorted(
            (key["constrained_columns"][0], key["referred_table"],
             key["options"].get("ondelete"))
            for key in inspector.get_foreign_keys(name, schema=schema)),
        "checks": sorted(check["name"]
                         for check in inspector.get_check_constraints(name, schema=schema)),
    }


def assert_store_is_declared(engine, dialect: str, schema: str | None = None) -> None:
    inspector = inspect(engine)
    assert sorted(inspector.get_table_names(schema=schema)) == sorted(BY_NAME)
    for table in TABLES:
        assert reflected(inspector, table.name, schema) == declared(table, dialect), table.name
    # The CHECKs allow exactly the declared vocabularies.
    for table in TABLES:
        texts = {check["name"]: check["sqltext"]
                 for check in inspector.get_check_constraints(table.name, schema=schema)}
        for column in table.columns:
            if column.vocabulary is not None:
                text = texts[f"ck_{column.name}_vocab"]
                assert all(f"'{value}'" in text for value in column.vocabulary), text


BY_NAME = {table.name: table for table in TABLES}


def test_a_sqlite_store_has_exactly_the_declared_tables(rust_db):
    engine = create_engine(f"sqlite:///{rust_db}")
    try:
        assert_store_is_declared(engine, "sqlite")
        # SQLite keeps a CHECK as written: the declared SQL, word for word.
        inspector = inspect(engine)
        for table in TABLES:
            assert sorted((check["name"], check["sqltext"])
                          for check in inspector.get_check_constraints(table.name)) == \
                sorted((check.name, check.sql) for check in table.checks), table.name
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_store_has_exactly_the_declared_tables(pg_server, seeds_dir):
    url = pg_server.store_url("declared")
    build_store(seeds_dir, url)
    engine = open_store(url)
    try:
        assert_store_is_declared(engine, "postgresql", schema=locate(url).schema)
    finally:
        engine.dispose()
        pg_server.drop(locate(url).schema)


# -- the declaration holds together ----------------------------------------------------------

def test_the_kind_and_table_maps_are_each_others_inverse():
    assert tables_of_kind("alias") == ("person_aliases", "case_aliases")
    assert kind_of_table("person_aliases") == kind_of_table("case_aliases") == "alias"
    assert (table_for("alias", "person"), table_for("alias", "case")) == (
        "person_aliases", "case_aliases")
    assert (table_for("charge"), kind_of_table("charges")) == ("charges", "charge")
    for name in ("meta", "evidence", "dispute_claims"):
        assert kind_of_table(name) is None
    for kind in KIND_ORDER:
        assert all(kind_of_table(name) == kind for name in tables_of_kind(kind))
    assert {name for kind in KIND_ORDER for name in tables_of_kind(kind)} == {
        table.name for table in TABLES if table.kind}
    assert declaration.fact_tables() == tuple(
        name for kind in KIND_ORDER if kind not in ("source", "dispute")
        for name in tables_of_kind(kind))


def test_a_kind_refers_only_to_kinds_declared_before_it():
    for number, kind in enumerate(KIND_ORDER):
        for field in fields_of_kind(kind):
            if field.type == REF:
                assert field.ref in KIND_ORDER[:number + 1], f"{kind}.{field.name}"


def test_the_tables_of_a_kind_stored_by_owner_agree_on_its_other_fields():
    person, case = (table_named(name) for name in tables_of_kind("alias"))
    owners = set(ALIAS.exactly_one_of)

    def stored(table: Table) -> list:
        # The columns' docs may differ ("the variant", "the other name"); nothing else.
        return [replace(f, columns=tuple(replace(c, doc=None) for c in f.columns))
                for f in table.fields if f.name not in owners]
    assert stored(person) == stored(case)
    assert [f.name for f in fields_of_kind("alias")] == [
        "id", "person", "case", "name", "note", "inferred", "evidence"]
    # Each table requires its own owner; the kind, exactly one of them.
    assert person.column("person_id").required and case.column("case_id").required
    assert not any(f.required for f in fields_of_kind("alias") if f.name in owners)


def test_every_value_fits_its_column():
    longest_table = max(len(name) for name in BY_NAME)
    assert longest_table <= table_named("evidence").column("fact_table").length
    for table in TABLES:
        for column in table.columns:
            if column.vocabulary is not None:
                assert max(map(len, column.vocabulary)) <= column.length, column.name


def test_every_table_and_column_has_a_doc():
    for table in TABLES:
        assert table.doc, table.name
        # A column without a doc of its own is explained with the one before it.
        assert table.columns[0].doc, f"{table.name}.{table.columns[0].name}"
