"""PostgreSQL-only indexes (`latest_first` in casekb/schema/declaration.py): `order by DATE desc`
reads an index in its own order (empty dates last) instead of sorting the table.

The PostgreSQL part needs CASEKB_TEST_POSTGRES_URL (see tests/test_postgres.py).
"""

from __future__ import annotations

import sqlite3

import pytest

from casekb.build.builder import build_store
from casekb.build.ddl import ddl
from casekb.schema.declaration import TABLES
from casekb.store.location import locate
from casekb.store.open import open_store

LATEST_FIRST = {
    "ix_charges_filed_desc": "charges order by filed desc limit 5",
    "ix_verdicts_decided_desc": "verdicts order by decided desc limit 5",
    "ix_sentences_imposed_desc": "sentences order by imposed desc limit 5",
    "ix_events_date_desc": "events order by date desc limit 5",
}


def test_every_postgresql_only_index_is_checked_here():
    assert {index.name for table in TABLES for index in table.indexes
            if index.postgresql_only} == set(LATEST_FIRST)


def test_a_sqlite_store_has_none_of_them(rust_db):
    connection = sqlite3.connect(f"file:{rust_db}?mode=ro", uri=True)
    try:
        names = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index'")}
    finally:
        connection.close()
    assert "ix_sentences_imposed" in names and not names & set(LATEST_FIRST)
    # schema.sql names them, as comments, so that it tells the whole schema.
    for name in LATEST_FIRST:
        assert f"-- PostgreSQL only: CREATE INDEX {name} ON " in ddl()


@pytest.fixture(scope="module")
def pg_store(pg_server, seeds_dir):
    url = pg_server.store_url("indexes")
    build_store(seeds_dir, url)
    engine = open_store(url)
    engine.casekb_schema = locate(url).schema
    yield engine
    engine.dispose()
    pg_server.drop(locate(url).schema)


@pytest.mark.postgres
def test_a_postgresql_store_has_them_in_descending_order_with_empty_last(pg_store):
    with pg_store.connect() as connection:
        definitions = dict(connection.exec_driver_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema()").all())
    for name in LATEST_FIRST:
        assert name in definitions, name
        assert definitions[name].endswith("DESC NULLS LAST)"), definitions[name]


@pytest.mark.postgres
@pytest.mark.parametrize("name", sorted(LATEST_FIRST))
def test_latest_first_reads_the_index_instead_of_sorting(pg_store, name):
    # The Rust store is too small for the planner to choose an index on its own; with
    # sorting and whole-table scans priced out, the plan shows which index gives the order.
    import casekb

    with casekb.open(pg_store.url.render_as_string(hide_password=False)
                     + f"?schema={pg_store.casekb_schema}") as kb:
        explained = kb.explain(LATEST_FIRST[name])  # the statement casekb runs, as it runs it
        connection = kb.connection()
        with connection.transaction(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("EXPLAIN " + explained.sql, explained.parameters)
            plan = "\n".join(row[0] for row in cursor.fetchall())
    assert f"Index Scan using {name} on " in plan, plan
