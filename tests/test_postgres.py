"""casekb on PostgreSQL: addressing, the atomic build, read-only sessions, clear errors, and the
query language giving the same rows as on SQLite.

These tests need a server: `CASEKB_TEST_POSTGRES_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test`
(`.ci/run` sets it). Without it they are skipped, saying so; only the address checks run. Each
run works in schemas of its own (see `pg_server` in conftest.py) and drops them at the end.
"""

from __future__ import annotations

import inspect
import io
import os
import shlex
import signal
import subprocess
import sys
import textwrap
import time
import urllib.parse
from contextlib import contextmanager

import pytest
import test_query_rows as rows_tests
from sqlalchemy import create_engine, event, select, text
from sqlalchemy.exc import DBAPIError

import casekb
from casekb import SCHEMA_VERSION
from casekb.build import postgres as server_build
from casekb.build.builder import build_store
from casekb.curation.files import folder_hash
from casekb.errors import CurationError, StoreError
from casekb.schema.tables import metadata
from casekb.store import postgres
from casekb.store.location import locate
from casekb.store.open import open_store

pytestmark = pytest.mark.postgres


def schema_of(url: str) -> str:
    return locate(url).schema


@contextmanager
def tamper(url: str):
    """A connection that may change the store (the tests' own doing), committed at the end."""
    engine = postgres.server_engine(locate(url), readonly=False)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def answer(url: str, query: str) -> list[tuple]:
    with casekb.open(url) as kb:
        return kb.query(query).rows


def charges_snapshot(url: str) -> list[tuple]:
    engine = open_store(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT * FROM charges ORDER BY id")).all()
    finally:
        engine.dispose()


def store_rows(engine) -> dict[str, list[tuple]]:
    """Every row of every table (typed by the declared tables), in id order; meta without build facts."""
    dumped = {}
    with engine.connect() as connection:
        for name, table in metadata().tables.items():
            order = table.c.key if name == "meta" else table.c.id
            rows = connection.execute(select(table).order_by(order)).all()
            if name == "meta":
                rows = [row for row in rows if row.key not in ("built_at", "source_folder")]
            dumped[name] = [tuple(row) for row in rows]
    return dumped


# -- addressing: no server needed ------------------------------------------------------------

def test_a_url_names_a_schema_default_casekb():
    location = locate("postgresql+psycopg://someone@db.example:5433/cases")
    assert (location.schema, location.path, location.is_sqlite) == ("casekb", None, False)
    location = locate("postgresql+psycopg://someone@db.example/cases?schema=newsroom_2024")
    assert location.schema == "newsroom_2024"
    assert postgres.engine_url(location).query == {}  # casekb's option is not passed to the driver


def test_plain_postgresql_urls_mean_the_psycopg_driver():
    assert locate("postgresql://u@h/d").url.startswith("postgresql+psycopg://")
    assert locate("postgres://u@h/d?schema=x").url.startswith("postgresql+psycopg://")


def test_the_password_never_appears_in_messages():
    location = locate("postgresql+psycopg://reader:s3cret@db.example/cases")
    assert "s3cret" not in location.display and "s3cret" not in location.build_hint()


@pytest.mark.parametrize("schema", ["Casekb", "public", "pg_stuff", "my-store", "a" * 49,
                                    "1st", "x;drop"])
def test_unusable_schema_names_are_refused(schema):
    with pytest.raises(StoreError, match="cannot use .* as the store's schema") as caught:
        locate(f"postgresql+psycopg://u@h/d?schema={schema}")
    assert "lower-case letters" in caught.value.render()


def test_a_url_without_a_database_is_refused():
    with pytest.raises(StoreError, match="names no database"):
        locate("postgresql+psycopg://u@h")


# -- the Rust store, built once on the server ---------------------------------------------------

@pytest.fixture(scope="module")
def rust_pg(pg_server, seeds_dir) -> str:
    """The URL of a PostgreSQL store built from the bundled seeds (treat as read-only)."""
    url = pg_server.store_url("rust")
    build_store(seeds_dir, url)
    yield url
    pg_server.drop(schema_of(url))


@pytest.fixture(scope="module")
def rust_pg_engine(rust_pg):
    engine = open_store(rust_pg)
    engine.casekb_url = rust_pg
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def rust_pg_kb(rust_pg):
    with casekb.open(rust_pg) as kb:
        yield kb


def test_the_store_holds_the_same_rows_on_both_engines(rust_db, rust_pg_engine):
    sqlite_engine = create_engine(f"sqlite:///{rust_db}")
    try:
        expected = store_rows(sqlite_engine)
    finally:
        sqlite_engine.dispose()
    assert store_rows(rust_pg_engine) == expected


def test_the_views_give_the_same_rows_on_both_engines(rust_db, rust_pg_engine):
    from casekb.build.views import views

    sqlite_engine = create_engine(f"sqlite:///{rust_db}")
    try:
        for view in views():
            sql = f"SELECT * FROM {view.name}"
            with sqlite_engine.connect() as connection:
                expected = [tuple(row) for row in connection.exec_driver_sql(sql)]
            with rust_pg_engine.connect() as connection:
                got = [tuple(row) for row in connection.exec_driver_sql(sql)]
            assert got == expected, view.name
    finally:
        sqlite_engine.dispose()


def test_meta_records_the_schema_version_and_input(rust_pg, seeds_dir):
    from casekb.store.open import read_meta

    engine = open_store(rust_pg)
    try:
        meta = read_meta(engine, locate(rust_pg))
        assert read_meta(engine) == meta  # the engine knows its own schema
    finally:
        engine.dispose()
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["input_hash"] == folder_hash(seeds_dir)
    assert meta["source_bundled"] == "true"


def test_text_columns_sort_bytewise_whatever_the_database_locale(rust_pg_engine):
    with rust_pg_engine.connect() as connection:
        collations = connection.execute(text(
            "SELECT DISTINCT collation_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN ('text', 'character varying') "
            "AND table_name IN (SELECT tablename FROM pg_tables "
            "                   WHERE schemaname = current_schema())")).scalars().all()
    assert collations == ["C"]


# -- read-only sessions ----------------------------------------------------------------------

def test_store_sessions_are_read_only(rust_pg_engine):
    with rust_pg_engine.connect() as connection:
        with pytest.raises(DBAPIError, match="read-only transaction"):
            connection.exec_driver_sql("DELETE FROM charges")
    with casekb.open(rust_pg_engine.casekb_url) as kb:
        assert kb.query("count charges").rows == [(5,)]


def test_store_sessions_have_a_statement_timeout(rust_pg_engine, rust_pg):
    with rust_pg_engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW statement_timeout").scalar_one() == "30s"
    quick = postgres.server_engine(locate(rust_pg), statement_timeout=0.2)
    try:
        with quick.connect() as connection, pytest.raises(DBAPIError) as caught:
            connection.exec_driver_sql("SELECT pg_sleep(5)")
        message = postgres.server_error(caught.value, locate(rust_pg)).render()
        assert "took too long" in message and "statement timeout" in message
    finally:
        quick.dispose()


# -- the atomic build --------------------------------------------------------------------------

def test_a_rebuild_replaces_the_store_and_leaves_nothing_behind(pg_server, pg_url,
                                                                curated_folder, seeds_dir):
    build_store(curated_folder, pg_url)
    assert answer(pg_url, "count charges") == [(2,)]
    report = build_store(seeds_dir, pg_url)
    assert report.path is None and report.rows["charges"] == 5
    assert answer(pg_url, "count charges") == [(5,)]
    assert pg_server.schemas(schema_of(pg_url)) == [schema_of(pg_url)]


def test_a_failing_build_leaves_the_old_store_intact(pg_server, pg_url, curated_folder,
                                                     seeds_dir):
    build_store(seeds_dir, pg_url)
    before = charges_snapshot(pg_url)

    def fail_half_way(table, done, total):
        if table == "charges":
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        build_store(curated_folder, pg_url, progress=fail_half_way)
    (curated_folder / "broken.toml").write_text("[[charge]]\nid = 'x'\n", encoding="utf-8")
    with pytest.raises(CurationError):
        build_store(curated_folder, pg_url)
    assert charges_snapshot(pg_url) == before
    assert pg_server.schemas(schema_of(pg_url)) == [schema_of(pg_url)]


KILLED_BUILD = textwrap.dedent("""
    import sys, time
    from casekb.build.builder import build_store

    def pause(table, done, total):
        if table == "evidence":
            print("loading", flush=True)
            time.sleep(60)

    build_store(sys.argv[1], sys.argv[2], progress=pause)
""")


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGINT], ids=["SIGKILL", "Ctrl-C"])
def test_a_killed_build_leaves_the_old_store_intact(pg_server, pg_url, curated_folder,
                                                    seeds_dir, how):
    build_store(seeds_dir, pg_url)
    before = charges_snapshot(pg_url)
    # Ctrl-C is SIGINT as a terminal sends it: a test run started in the background by a
    # shell inherits SIGINT ignored, and Python then never raises KeyboardInterrupt.
    process = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(curated_folder), pg_url],
                               stdout=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert process.stdout.readline().strip() == "loading"
        # Mid-build, readers see the old store, and not even the new schema exists for them.
        assert charges_snapshot(pg_url) == before
        assert pg_server.schemas(schema_of(pg_url)) == [schema_of(pg_url)]
        os.kill(process.pid, how)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
        process.stdout.close()
    assert charges_snapshot(pg_url) == before
    # The server rolls the dead build back as soon as it notices; then building works again.
    deadline = time.monotonic() + 10
    while True:
        try:
            build_store(curated_folder, pg_url)
            break
        except StoreError as error:
            if "another build" not in error.message or time.monotonic() > deadline:
                raise
            time.sleep(0.1)
    assert answer(pg_url, "count charges") == [(2,)]
    assert pg_server.schemas(schema_of(pg_url)) == [schema_of(pg_url)]


def test_a_second_build_at_the_same_time_is_refused(pg_url, seeds_dir):
    with tamper(pg_url) as connection:
        connection.execute(text("SELECT pg_advisory_xact_lock(hashtext(:key))"),
                           {"key": f"casekb build {schema_of(pg_url)}"})
        with pytest.raises(StoreError, match="another build of .* is running"):
            build_store(seeds_dir, pg_url)


def test_old_leftovers_are_dropped_by_the_next_build(pg_server, pg_url, seeds_dir):
    build_store(seeds_dir, pg_url)
    leftover = f"{schema_of(pg_url)}_old_0123abcd"
    with tamper(pg_url) as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{leftover}"')
    build_store(seeds_dir, pg_url)
    assert pg_server.schemas(schema_of(pg_url)) == [schema_of(pg_url)]


def test_a_schema_holding_other_things_is_not_replaced_without_force(pg_url, seeds_dir,
                                                                      run_cli):
    schema = schema_of(pg_url)
    with tamper(pg_url) as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        connection.exec_driver_sql(f'CREATE TABLE "{schema}".precious (x int)')
    result = run_cli("build", seeds_dir, "--db", pg_url)
    assert result.code == 3
    assert "exists and is not a casekb store; not replacing it" in result.err
    assert "--force" in result.err
    with tamper(pg_url) as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM precious").scalar_one() == 0
    assert run_cli("build", seeds_dir, "--db", pg_url, "--force").code == 0
    assert answer(pg_url, "count charges") == [(5,)]


def test_grants_on_the_store_survive_a_rebuild(pg_server, pg_url, seeds_dir):
    role = f"{pg_server.prefix}_reader"
    schema = schema_of(pg_url)
    admin = postgres.server_engine(locate(pg_url), readonly=False)
    try:
        build_store(seeds_dir, pg_url)
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE ROLE "{role}" NOLOGIN')
            connection.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
            connection.exec_driver_sql(f'GRANT SELECT ON "{schema}".charges, '
                                       f'"{schema}".v_charges TO "{role}"')
        build_store(seeds_dir, pg_url)
        with admin.connect() as connection:
            granted = connection.execute(text(
                "SELECT has_schema_privilege(:r, :s, 'USAGE'), "
                "has_table_privilege(:r, :s || '.charges', 'SELECT'), "
                "has_table_privilege(:r, :s || '.v_charges', 'SELECT'), "
                "has_table_privilege(:r, :s || '.people', 'SELECT')"),
                {"r": role, "s": schema}).one()
        assert tuple(granted) == (True, True, True, False)
    finally:
        with admin.begin() as connection:
            exists = connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                        {"r": role}).first()
            if exists:
                connection.exec_driver_sql(f'DROP OWNED BY "{role}"')
                connection.exec_driver_sql(f'DROP ROLE "{role}"')
        admin.dispose()


def _role_exists(url: str, role: str) -> bool:
    engine = postgres.server_engine(locate(url), readonly=True)
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"),
                                      {"r": role}).first() is not None
    finally:
        engine.dispose()


def test_drop_store_removes_the_schema_and_its_reader_role(pg_server, pg_url, curated_folder):
    role = f"{schema_of(pg_url)}_reader"
    build_store(curated_folder, pg_url)
    assert _role_exists(pg_url, role)
    assert server_build.drop_store(pg_url) is True
    assert pg_server.schemas(schema_of(pg_url)) == []
    assert not _role_exists(pg_url, role)  # it was left on the server
    assert server_build.drop_store(pg_url) is False


def test_drop_store_keeps_a_reader_role_with_rights_elsewhere(pg_server, pg_url,
                                                              curated_folder):
    schema = schema_of(pg_url)
    role, other = f"{schema}_reader", f"{schema}_other"  # both dropped after the test
    build_store(curated_folder, pg_url)
    admin = postgres.server_engine(locate(pg_url), readonly=False)
    try:
        with admin.begin() as connection:
            connection.exec_driver_sql(f'CREATE SCHEMA "{other}"')
            connection.exec_driver_sql(f'GRANT USAGE ON SCHEMA "{other}" TO "{role}"')
    finally:
        admin.dispose()
    assert server_build.drop_store(pg_url) is True
    assert pg_server.schemas(schema) == [other]
    assert _role_exists(pg_url, role)


# -- clear errors ------------------------------------------------------------------------------

def _with(url: str, **parts) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(**parts).render_as_string(hide_password=False)


def test_an_unreachable_server_is_named(pg_server, run_cli):
    url = _with(pg_server.url, host="127.0.0.1", port=1)
    for argv in (("query", "--db", url, "defendants"), ("build", "--db", url)):
        result = run_cli(*argv)
        assert result.code == 3, result.err
        assert "cannot reach the PostgreSQL server 127.0.0.1:1" in result.err
        assert "check that the server is running" in result.err
        assert "Traceback" not in result.err


def test_an_unknown_user_is_refused_with_the_fix(pg_server, run_cli):
    url = _with(pg_server.url, username=f"{pg_server.prefix}_nobody")
    result = run_cli("query", "--db", url, "defendants")
    assert result.code == 3
    assert f"refused user {pg_server.prefix}_nobody" in result.err
    assert "check the user name and password" in result.err


def test_a_missing_database_is_named_with_the_fix(pg_server, run_cli):
    url = _with(pg_server.url, database=f"{pg_server.prefix}_nodb")
    result = run_cli("query", "--db", url, "defendants")
    assert result.code == 3
    assert f"the database '{pg_server.prefix}_nodb' does not exist" in result.err
    assert "createdb" in result.err


def test_a_missing_schema_says_how_to_build_it(pg_url, run_cli):
    result = run_cli("query", "--db", pg_url, "defendants")
    assert result.code == 3
    assert f"the database has no schema '{schema_of(pg_url)}'" in result.err
    assert f"hint: build one: casekb build --db {shlex.quote(pg_url)}" in result.err


def test_a_store_of_another_schema_version_is_refused(pg_url, seeds_dir, run_cli):
    build_store(seeds_dir, pg_url)
    with tamper(pg_url) as connection:
        connection.exec_driver_sql("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    result = run_cli("query", "--db", pg_url, "defendants")
    assert result.code == 3
    assert "has schema version 0, but this casekb" in result.err
    assert f"--db {shlex.quote(pg_url)}" in result.err  # the rebuild command names the store


def test_a_schema_that_is_not_a_store_is_named(pg_url, run_cli):
    schema = schema_of(pg_url)
    with tamper(pg_url) as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    result = run_cli("query", "--db", pg_url, "defendants")
    assert result.code == 3
    assert f"the schema '{schema}'" in result.err and "not a casekb store" in result.err


# -- the command line ------------------------------------------------------------------------

def test_query_info_and_casekb_db_on_postgresql(rust_pg, run_cli, monkeypatch):
    result = run_cli("query", "--db", rust_pg, "--format", "tsv", "count charges by defendant")
    assert result.code == 0, result.err
    assert result.out.splitlines()[1:] == ["Alec Baldwin\t2", "Hannah Gutierrez-Reed\t2",
                                           "David Halls\t1"]
    monkeypatch.setenv("CASEKB_DB", rust_pg)
    result = run_cli("info", "--format", "json")
    assert result.code == 0, result.err
    import json

    info = json.loads(result.out)
    assert info["store"] == rust_pg and info["rows"]["charges"] == 5
    assert info["meta"]["schema_version"] == str(SCHEMA_VERSION)


# -- the query language: the same rows on both engines -------------------------------------

GOLDEN = rows_tests.read_golden(rows_tests.GOLDEN)


@pytest.mark.parametrize("query", list(GOLDEN))
def test_golden_rows_on_postgresql(query, rust_pg_kb):
    out = io.StringIO()
    from casekb.render import write_result

    write_result(rust_pg_kb.query(query, cap=None), "tsv", out)
    assert out.getvalue().rstrip("\n") == GOLDEN[query]


@pytest.fixture(scope="module")
def _empty_pg_store(pg_server):
    """A schema with the store's tables and no rows, for the small-store semantics tests."""
    url = pg_server.store_url("small")
    engine = postgres.server_engine(locate(url), readonly=False)

    @event.listens_for(engine, "connect")
    def _no_waiting_for_the_disk(dbapi_connection, _record):
        # Throw-away rows: a commit need not wait for its write-ahead log to reach the disk.
        dbapi_connection.execute("SET synchronous_commit = off")
        dbapi_connection.commit()

    with engine.begin() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema_of(url)}"')
        server_build.server_metadata().create_all(connection)
    yield engine, url
    engine.dispose()
    pg_server.drop(schema_of(url))


@pytest.fixture
def empty_store(_empty_pg_store):
    """Overrides conftest's empty SQLite store: here the same empty tables on PostgreSQL, so
    test_query_rows's `small` store (and every test using it) runs on the server."""
    from conftest import EmptyStore

    engine, url = _empty_pg_store
    with engine.begin() as connection:
        # DELETE, not TRUNCATE: for a few rows it is many times faster.
        for table in reversed(metadata().sorted_tables):
            connection.execute(table.delete())
        connection.execute(metadata().tables["meta"].insert(), [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "schema_hash", "value": "test"}])
    return EmptyStore(engine, url)


@pytest.fixture(scope="module")
def engine(rust_pg):
    """Overrides the `engine` of the report and profile tests: the Rust store on the server."""
    with casekb.open(rust_pg) as kb:
        yield kb


# Tests that check SQLite's own words, which PostgreSQL says otherwise.
SQLITE_ONLY = {"test_a_sql_error_names_the_blocks_line"}


def _replay(module, fixtures: set[str]) -> None:
    """Collect here, to run on PostgreSQL, the tests of `module` that take their store from
    one of `fixtures` (which this file overrides) rather than from a SQLite file."""
    for name, test in vars(module).items():
        if not (name.startswith("test_") and inspect.isfunction(test)) or name in SQLITE_ONLY:
            continue
        wanted = set(inspect.signature(test).parameters)
        if wanted & fixtures and not wanted & {"rust_db", "run_cli", "tmp_path"}:
            globals()[f"{name}__on_postgresql"] = test


# The semantics tests of tests/test_query_rows.py (partial dates, amounts, aliases, `as of`,
# literal matching, order, typed values) on the small store, and the golden reports, profiles
# and timelines on the Rust store, run here again on PostgreSQL.
import test_date_semantics as date_tests
import test_profile as profile_tests
import test_report as report_tests

small = rows_tests.small
dated = date_tests.dated
_replay(rows_tests, {"small"})
_replay(report_tests, {"engine"})
_replay(profile_tests, {"engine", "empty_store"})
_replay(date_tests, {"dated"})


# -- casekb sql: read-only on PostgreSQL too -------------------------------------------------

def test_sql_reads_the_store(rust_pg, run_cli):
    from casekb.sql.access import run_sql

    result = run_sql("SELECT name, count(*) AS charges, min(filed) AS first FROM v_charges "
                     "JOIN people ON people.name = v_charges.defendant "
                     "GROUP BY name ORDER BY name", rust_pg)
    assert result.column_names == ["name", "charges", "first"]
    assert result.rows[0] == ("Alec Baldwin", 2, "2023-01-19")  # numbers and text, as SQLite
    assert run_sql("SELECT name FROM people WHERE name_folded = :n", rust_pg,
                   params={"n": "david halls"}).rows == [("David Halls",)]
    assert run_sql("SELECT '100%' LIKE '%\\%'", rust_pg).rows == [(True,)]
    cli = run_cli("sql", "--db", rust_pg, "--format", "tsv", "SELECT count(*) AS n FROM charges")
    assert (cli.code, cli.out) == (0, "n\n5\n"), cli.err


@pytest.mark.parametrize("sql", [
    "WITH gone AS (DELETE FROM charges RETURNING id) SELECT count(*) FROM gone",
    "SELECT nextval(pg_get_serial_sequence('charges', 'id'))",
])
def test_sql_cannot_write_even_from_inside_a_select(rust_pg, sql):
    from casekb.sql.access import SQLError, run_sql

    with pytest.raises(SQLError, match="casekb sql only reads") as caught:
        run_sql(sql, rust_pg)
    assert "casekb build" in caught.value.render()
    assert answer(rust_pg, "count charges") == [(5,)]


def test_sql_settings_do_not_outlive_the_statement(rust_pg):
    from casekb.sql.access import SQLError, run_sql

    engine = open_store(rust_pg)
    try:
        with engine.connect() as connection:
            before = connection.exec_driver_sql(
                "SELECT current_user, current_setting('statement_timeout')").one()
        # A statement cannot change a setting (tests/test_hostile_sql_pg.py) ...
        with pytest.raises(SQLError, match="does not run set_config"):
            run_sql("SELECT set_config('default_transaction_read_only', 'off', false)", engine)
        # ... and those casekb sets for one (its role, its time limit) end with it.
        assert run_sql("SELECT current_user", engine, timeout=5).rows == [
            (f"{schema_of(rust_pg)}_reader",)]
        with engine.connect() as connection:
            assert connection.exec_driver_sql(
                "SHOW default_transaction_read_only").scalar_one() == "on"
            assert connection.exec_driver_sql(
                "SELECT current_user, current_setting('statement_timeout')").one() == before
    finally:
        engine.dispose()


def test_sql_stops_at_its_time_limit(rust_pg, run_cli):
    from casekb.sql.access import SQLTimeout, run_sql

    started = time.monotonic()
    with pytest.raises(SQLTimeout, match="time limit of 0.2 s"):
        run_sql("SELECT pg_sleep(5)", rust_pg, timeout=0.2)
    assert time.monotonic() - started < 3
    result = run_cli("sql", "--db", rust_pg, "--timeout", "0.2", "SELECT pg_sleep(5)")
    assert result.code == 1 and "--timeout" in result.err


def _interrupted_on_the_server(url: str, kb, run, running_like: str):
    """What `run()` raised when kb.interrupt() was called once the server ran a statement
    like `running_like` (a cancel request must reach a statement the server runs)."""
    from test_sql import interrupt_until_done

    watcher = postgres.connect(url)

    def running() -> bool:
        return watcher.execute("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' "
                               "AND query LIKE %s AND pid <> pg_backend_pid()",
                               (running_like,)).fetchone()[0] > 0

    try:
        return interrupt_until_done(kb, run, running)
    finally:
        watcher.close()


def test_interrupt_stops_raw_sql_and_says_it_was_interrupted(rust_pg):
    # The server reports casekb's own cancel request as any other: it was said to come from
    # an administrator (pg_cancel_backend) or the server.
    from casekb.sql.access import SQLInterrupted

    with casekb.open(rust_pg) as kb:
        # run_sql reads the rows through a cursor: FETCH runs the statement.
        error = _interrupted_on_the_server(
            rust_pg, kb, lambda: kb.sql("SELECT pg_sleep(60)", timeout=120),
            "%FETCH FORWARD % FROM casekb_rows%")
        assert isinstance(error, SQLInterrupted), error
        assert "interrupted" in error.message and "KB.interrupt()" in error.message
        assert "administrator" not in error.render()
        assert kb.sql("SELECT count(*) FROM v_charges").rows[0][0] > 0


def test_an_interrupted_question_is_said_so_on_postgresql(rust_pg):
    # The driver's statement stands in for a long question of the language (see test_sql).
    from casekb.errors import QuestionInterrupted
    from casekb.execute.run import fetch

    with casekb.open(rust_pg) as kb:
        error = _interrupted_on_the_server(
            rust_pg, kb, lambda: fetch(kb.connection(), "SELECT pg_sleep(60)", {}),
            "SELECT pg_sleep%")
        assert isinstance(error, QuestionInterrupted), error
        assert "cancelled" in error.message and "rebuild" not in error.render()
        assert kb.query("count charges").rows[0][0] > 0


@pytest.mark.parametrize("name", ["\udcff", "Alec\x00Baldwin"])
def test_a_view_name_no_store_holds_is_refused_on_postgresql_too(name, rust_pg_kb):
    # A raw UnicodeEncodeError from the driver for the bytes; a NUL became a space.
    from casekb.errors import UsageError

    for view in (rust_pg_kb.profile, rust_pg_kb.timeline):
        with pytest.raises(UsageError, match="not UTF-8 text|cannot hold a NUL"):
            view(name)


def test_threads_sharing_one_kb_take_turns_on_postgresql(rust_pg):
    # Four threads on one psycopg connection failed with AssertionError, TypeError or "failed
    # to enter pipeline mode", and the KB's connection stayed broken for every query after.
    from test_concurrency import _share_one_kb

    report = _share_one_kb(rust_pg, rounds=10, threads=4)
    assert report == {"alive": 0, "errors": [], "wrong": [], "after": True}


def test_sql_errors_name_the_problem(rust_pg):
    from casekb.sql.access import SQLError, run_sql

    with pytest.raises(SQLError, match='PostgreSQL: relation "nonesuch" does not exist'):
        run_sql("SELECT * FROM nonesuch", rust_pg)


def test_a_plain_driver_connection_for_hand_written_sql(rust_pg):
    connection = postgres.connect(rust_pg)
    try:
        assert connection.execute("SELECT count(*) FROM v_defendants").fetchone() == (3,)
        with pytest.raises(Exception, match="read-only transaction"):
            connection.execute("DELETE FROM charges")
    finally:
        connection.close()


def test_a_reader_inside_a_transaction_neither_blocks_nor_breaks_a_rebuild(
        pg_server, pg_url, curated_folder, seeds_dir, monkeypatch):
    build_store(seeds_dir, pg_url)
    monkeypatch.setattr(server_build, "DROP_WAIT_SECONDS", 0.2)
    reader = open_store(pg_url)
    try:
        with reader.connect() as connection:
            assert connection.exec_driver_sql("SELECT count(*) FROM charges").scalar_one() == 5
            started = time.monotonic()
            build_store(curated_folder, pg_url)  # the reader's transaction is still open
            assert time.monotonic() - started < 5
            # The reader's next statement already reads the new store ...
            assert connection.exec_driver_sql("SELECT count(*) FROM charges").scalar_one() == 2
            # ... and the old schema it held is left for the next build.
            assert len(pg_server.schemas(schema_of(pg_url))) == 2
    finally:
        reader.dispose()
    build_store(curated_folder, pg_url)
    assert pg_server.schemas(schema_of(pg_url)) == [schema_of(pg_url)]


def test_text_compares_ignoring_case_beyond_ascii(rust_pg, rust_pg_kb):
    # The store's text is COLLATE "C", whose lower() folds only A-Z; matching must fold every
    # letter, as on SQLite (tests/test_cli_query.py).
    import psycopg

    plain = psycopg.connect(**postgres.driver_arguments(locate(rust_pg)), autocommit=True)
    table = f'"{schema_of(rust_pg)}".events'
    try:
        first, description = plain.execute(
            f"SELECT id, description FROM {table} ORDER BY id LIMIT 1").fetchone()
        plain.execute(f"UPDATE {table} SET description = 'ÉLAN vital' WHERE id = %s", (first,))
        for query in ('events where description ~ "élan" show description',
                      'events where description ~ "ÉLAN" show description',
                      'events where description = "élan VITAL" show description',
                      'events where description in ("x", "élan vital") show description'):
            result = rust_pg_kb.query(query)
            assert [row[0] for row in result.rows] == ["ÉLAN vital"], query
    finally:
        plain.execute(f"UPDATE {table} SET description = %s WHERE id = %s", (description, first))
        plain.close()


def test_views_give_iso_dates_whatever_the_servers_date_style(rust_pg):
    # libpq's `options` sets the session's defaults as a server configuration would.
    url = rust_pg + "&options=" + urllib.parse.quote("-c DateStyle=SQL,DMY")
    import psycopg

    plain = psycopg.connect(**postgres.driver_arguments(locate(url)))
    try:
        assert plain.execute("SELECT CAST(DATE '2023-01-19' AS VARCHAR)").fetchone() == \
            ("19/01/2023",)
        # Another tool's session, with its own DateStyle, reads the views as ISO text too.
        plain.execute(f"SET search_path TO {schema_of(url)}")
        assert [row[0] for row in plain.execute(
            "SELECT filed FROM v_charges WHERE defendant = 'Alec Baldwin' ORDER BY filed")] \
            == ["2023-01-19", "2024-01"]
    finally:
        plain.close()
    engine = open_store(url)
    try:
        with engine.connect() as connection:
            filed = connection.exec_driver_sql(
                "SELECT filed FROM v_charges WHERE defendant = 'Alec Baldwin' ORDER BY filed"
            ).scalars().all()
    finally:
        engine.dispose()
    assert filed == ["2023-01-19", "2024-01"]


# -- a generated corpus: accented names, apostrophes, every precision, many rows -------------

CORPUS_QUERIES = [
    "defendants", 'people where name ~ "é"', "people where name ~ \"o'\"", "people order by name",
    "cases order by title", "count charges by status", "charges where filed = 2020",
    "count charges by defendant order by count desc, defendant", "charges as of 2021-06-01",
    "pleas as of 2021", "penalties where amount >= 1 year", "penalties where amount > $1,000",
    'events where case ~ "state" order by date', "sentences", "verdicts order by decided desc",
    "count statements by speaker order by speaker", "statements limit 30 with sources",
]


def test_a_generated_corpus_answers_the_same_on_both_engines(pg_server, tmp_path):
    from casekb.render import write_result

    corpus = _bench_corpus()
    folder = tmp_path / "corpus"
    corpus.generate(folder, 60, seed=11, jurisdictions=4)
    sqlite_path = tmp_path / "corpus.sqlite"
    build_store(folder, str(sqlite_path))
    url = pg_server.store_url("corpus")
    build_store(folder, url)
    engines = [open_store(str(sqlite_path)), open_store(url)]
    stores = [casekb.open(str(sqlite_path)), casekb.open(url)]
    try:
        assert store_rows(engines[1]) == store_rows(engines[0])
        for query in CORPUS_QUERIES:
            answers = []
            for kb in stores:
                out = io.StringIO()
                write_result(kb.query(query, cap=None), "tsv", out)
                answers.append(out.getvalue())
            assert answers[1] == answers[0], query
            assert answers[0].count("\n") > 1, f"{query} found nothing: a weak test"
    finally:
        for engine in engines:
            engine.dispose()
        for kb in stores:
            kb.close()
        pg_server.drop(schema_of(url))


def _bench_corpus():
    import importlib.util

    path = rows_tests.GOLDEN.parent.parent.parent / "bench" / "corpus.py"
    spec = importlib.util.spec_from_file_location("bench_corpus_for_postgres", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_a_query_and_the_check_of_its_names_go_in_one_round_trip(rust_pg):
    from casekb.errors import UnknownNameError

    with casekb.open(rust_pg) as kb:
        connection = kb.connection()
        pipelines = []
        pipeline = connection.pipeline

        def counted():
            pipelines.append(1)
            return pipeline()

        connection.pipeline = counted
        text = 'charges where defendant = "Alec Baldwin"'
        first = kb.query(text).rows
        assert first and kb.query(text).rows == first  # asked again: the same, one trip
        assert pipelines == [1, 1]
        with pytest.raises(UnknownNameError, match="Alec Bladwin"):
            kb.query('charges where defendant = "Alec Bladwin"')
        # A name nobody has, in a text of a mask asked before: one trip answering from the
        # mask finds it unknown, one more on the full path says so in the user's words.
        assert pipelines == [1, 1, 1, 1]
        assert kb.query("count charges").rows == [(5,)]  # no name to check: one statement
        assert pipelines == [1, 1, 1, 1]


def test_without_pipeline_mode_names_are_checked_in_turn(rust_pg, monkeypatch):
    """psycopg built against libpq 13 or older has no pipeline mode: the check of the names
    and the query then go one after the other, with the same answers."""
    import psycopg

    from casekb.errors import UnknownNameError

    monkeypatch.setattr(psycopg.Pipeline, "is_supported", classmethod(lambda cls: False))
    with casekb.open(rust_pg) as kb:
        connection = kb.connection()
        connection.pipeline = lambda: pytest.fail("pipeline mode used without support")
        assert kb.query('charges where defendant = "Alec Baldwin"').rows
        with pytest.raises(UnknownNameError, match="Alec Bladwin"):
            kb.query('charges where defendant = "Alec Bladwin"')
