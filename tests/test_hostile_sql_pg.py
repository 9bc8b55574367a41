"""`casekb sql` on PostgreSQL is read-only in depth whatever role the URL names (issue 12).

The test server's user is a superuser, the common default on one's own server. Connected as
it, raw SQL (the command, the shell's `.sql`, report SQL blocks) once stopped other sessions,
reloaded the configuration, switched WAL files, took an advisory lock that outlived it (and
blocked every later build), read /etc/passwd and pg_authid. Each of those is tried here and
must be refused with a clear message, and have had no effect. Then each fence alone: the
reader role (casekb/store/reader.py) without the check of the functions a statement names
(casekb/sql/postgres.py), and the reader role's own conditions (missing, not granted, more rights
than reading), each refused with the statements that fix it. Last, a statement cancelled from
outside says so instead of blaming the time limit.
"""

from __future__ import annotations

import re
import secrets
import threading
import time
from contextlib import contextmanager

import pytest

from casekb.build.builder import build_store
from casekb.store.open import open_store

pytestmark = pytest.mark.postgres


@pytest.fixture(scope="module")
def rust_pg(pg_server, seeds_dir) -> str:
    url = pg_server.store_url("fence")
    build_store(seeds_dir, url)
    yield url
    pg_server.drop(schema_of(url))


def schema_of(url: str) -> str:
    return url.rsplit("schema=", 1)[1]


@contextmanager
def admin(pg_server):
    """A psycopg connection of the test server's own (superuser) user, autocommit."""
    import psycopg

    from casekb.store import postgres
    from casekb.store.location import locate

    connection = psycopg.connect(**postgres.driver_arguments(locate(pg_server.url)), autocommit=True)
    try:
        yield connection
    finally:
        connection.close()


@pytest.fixture
def victim(pg_server):
    """Another session on the server, to be left alone: its backend pid."""
    with admin(pg_server) as connection:
        pid = connection.execute("SELECT pg_backend_pid()").fetchone()[0]
        yield pid
        assert connection.execute("SELECT 1").fetchone() == (1,)  # it survived


def advisory_locks(pg_server, key: int) -> int:
    with admin(pg_server) as connection:
        return connection.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
            "AND ((classid::bigint << 32) | objid::bigint) = %s", (key,)).fetchone()[0]


def large_objects(pg_server) -> int:
    with admin(pg_server) as connection:
        return connection.execute("SELECT count(*) FROM pg_largeobject_metadata").fetchone()[0]


# -- Every call of the issue, as the superuser: refused, and no effect ------------------------

CALLS = [
    ("SELECT pg_terminate_backend({victim})", "pg_terminate_backend(): it signals other"),
    ("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid <> pg_backend_pid()",
     "pg_terminate_backend(): it signals other sessions"),
    ("SELECT pg_cancel_backend({victim})", "pg_cancel_backend(): it signals other sessions"),
    ("SELECT pg_reload_conf()", "pg_reload_conf(): it acts on the server"),
    ("SELECT pg_rotate_logfile()", "pg_rotate_logfile(): it acts on the server"),
    ("SELECT pg_switch_wal()", "pg_switch_wal(): it acts on the server"),
    ("SELECT pg_create_restore_point('x')", "pg_create_restore_point(): it acts on the server"),
    ("SELECT pg_advisory_lock({key})", "pg_advisory_lock(): it takes a lock that outlives"),
    ("SELECT pg_read_file('/etc/passwd')", "pg_read_file(): it acts on the server, its files"),
    ("SELECT pg_ls_dir('/')", "pg_ls_dir(): it acts on the server, its files"),
    ("SELECT lo_import('/etc/passwd')", "lo_import(): it acts on the server, its files"),
    ("SELECT rolname, rolpassword FROM pg_authid",
     "casekb sql only reads the store: permission denied for table pg_authid"),
    ("SELECT pg_cancel_backend(pg_backend_pid())", "pg_cancel_backend(): it signals"),
    # Said in the user's words: PostgreSQL's own names the cursor casekb declares.
    ("WITH gone AS (DELETE FROM charges RETURNING 1) SELECT count(*) FROM gone",
     "casekb sql only reads: a WITH that changes data (INSERT, UPDATE or DELETE inside WITH)"),
]


@pytest.mark.parametrize("sql, words", CALLS)
def test_each_call_of_the_issue_is_refused_and_does_nothing(pg_server, rust_pg, run_cli,
                                                            victim, sql, words):
    key = secrets.randbits(62)
    objects = large_objects(pg_server)
    result = run_cli("sql", "--db", rust_pg, sql.format(victim=victim, key=key))
    assert result.code == 1, result.out
    assert words in result.err and "Traceback" not in result.err
    assert result.out == ""
    assert advisory_locks(pg_server, key) == 0
    assert large_objects(pg_server) == objects


SPELLINGS = [
    "SELECT pg_catalog.pg_advisory_lock({key})",
    'SELECT "pg_advisory_lock"({key})',
    'SELECT pg_catalog."pg_advisory_lock"({key})',
    "SELECT PG_Advisory_Lock({key})",
    "SELECT pg_advisory_lock/* a comment */({key})",
    "SELECT pg_advisory_lock\n({key})",
    "SELECT * FROM pg_advisory_lock({key})",
    "SELECT pg_try_advisory_lock({key})",
    "SELECT pg_advisory_lock_shared({key})",
    "WITH x AS (SELECT pg_try_advisory_lock({key})) SELECT * FROM x",
    "EXPLAIN ANALYZE SELECT pg_advisory_lock({key})",
    "VALUES (1), (pg_advisory_lock({key})::int)",
    "SELECT $$'$$, pg_advisory_lock({key}), $$'$$",
    "SELECT E'\\'', pg_advisory_lock({key}), ''''",
    "SELECT 'a', pg_advisory_lock({key}) /* /* nested */ still a comment */",
    'SELECT U&"\\0070g_advisory_lock"({key})',
    'SELECT U&"p!0067_advisory_lock" UESCAPE \'!\' ({key})',
    # Switching back to the superuser's own role, then acting as it.
    "SELECT set_config('role', 'none', true), pg_advisory_lock({key})",
    "SELECT set_config('session_authorization', 'postgres', true)",
    # SQL given as text runs without being read first.
    "SELECT query_to_xml('SELECT pg_advisory_lock({key})', true, false, '')",
    "SELECT * FROM ts_stat('SELECT pg_advisory_lock({key})::text::tsvector')",
]


@pytest.mark.parametrize("sql", SPELLINGS)
def test_no_spelling_gets_a_call_past_the_check(pg_server, rust_pg, sql):
    from casekb.sql.access import SQLError, run_sql

    key = secrets.randbits(62)
    with pytest.raises(SQLError, match="casekb sql does not") as caught:
        run_sql(sql.format(key=key), rust_pg)
    assert caught.value.span is not None  # the name is underlined
    assert advisory_locks(pg_server, key) == 0


def test_a_build_still_runs_after_every_attempt(rust_pg, seeds_dir):
    # A session advisory lock on the build's key once blocked every later build.
    build_store(seeds_dir, rust_pg)


def test_the_shells_sql_and_report_sql_blocks_are_fenced_too(rust_pg, run_cli, tmp_path):
    shell = run_cli("repl", "--db", rust_pg,
                    input=".sql SELECT pg_read_file('/etc/passwd')\n.sql SELECT 1 AS one\n")
    assert "casekb sql does not run pg_read_file()" in shell.err + shell.out
    assert "root:" not in shell.out and "one" in shell.out
    report = tmp_path / "r.md"
    report.write_text("# R\n\n```sql\nSELECT pg_ls_dir('/') AS f\n```\n", encoding="utf-8")
    result = run_cli("report", str(report), "--db", rust_pg)
    assert result.code == 1 and "casekb sql does not run pg_ls_dir()" in result.err


def test_reading_the_store_and_the_catalogue_still_works(rust_pg):
    from casekb.sql.access import run_sql

    assert run_sql("SELECT count(*) FROM v_charges", rust_pg).rows == [(5,)]
    assert run_sql("SELECT current_user, session_user = current_user", rust_pg).rows == [
        (f"{schema_of(rust_pg)}_reader", False)]
    assert run_sql("SELECT count(*) > 0 FROM pg_class", rust_pg).rows == [(True,)]
    assert run_sql("SELECT length(pg_sleep(0)::text) >= 0", rust_pg).rows == [(True,)]


# -- The reader role alone stops what needs rights --------------------------------------------

ROLE_ALONE = [
    "SELECT pg_read_file('/etc/passwd')",
    "SELECT pg_ls_dir('/')",
    "SELECT lo_import('/etc/passwd')",
    "SELECT pg_reload_conf()",
    "SELECT pg_rotate_logfile()",
    "SELECT pg_switch_wal()",
    "SELECT pg_create_restore_point('x')",
    "SELECT pg_terminate_backend({victim})",
    "SELECT rolpassword FROM pg_authid",
    "SELECT * FROM pg_shadow",
]


@pytest.mark.parametrize("sql", ROLE_ALONE)
def test_the_reader_role_alone_refuses_what_needs_rights(rust_pg, victim, monkeypatch, sql):
    from casekb.sql import postgres as pgsql
    from casekb.sql.access import SQLError, run_sql

    monkeypatch.setattr(pgsql, "check_functions", lambda *args, **kwargs: None)
    with pytest.raises(SQLError, match="casekb sql only reads the store: (permission denied|"
                                       "must be a superuser|must be a member)"):
        run_sql(sql.format(victim=victim), rust_pg)


# -- The reader role: made by build, checked before every statement ---------------------------

def test_a_build_makes_the_reader_role_with_only_reading_rights(pg_server, rust_pg):
    schema = schema_of(rust_pg)
    with admin(pg_server) as connection:
        row = connection.execute(
            "SELECT r.rolcanlogin, r.rolsuper, has_schema_privilege(r.oid, %(s)s, 'USAGE'), "
            "has_table_privilege(r.oid, %(s)s || '.charges', 'SELECT'), "
            "has_table_privilege(r.oid, %(s)s || '.v_evidence', 'SELECT'), "
            "has_table_privilege(r.oid, %(s)s || '.charges', 'INSERT'), "
            "has_schema_privilege(r.oid, %(s)s, 'CREATE') "
            "FROM pg_roles r WHERE r.rolname = %(s)s || '_reader'", {"s": schema}).fetchone()
    assert row == (False, False, True, True, True, False, False)


def _statements(message: str) -> list[str]:
    return re.findall(r"^\s*((?:CREATE|GRANT|ALTER|REVOKE) .*;)$", message, re.MULTILINE)


def test_a_missing_reader_role_is_refused_with_the_statements_that_make_it(
        pg_server, pg_url, seeds_dir, run_cli):
    build_store(seeds_dir, pg_url)
    role = f"{schema_of(pg_url)}_reader"
    with admin(pg_server) as connection:
        connection.execute(f'DROP OWNED BY "{role}"')
        connection.execute(f'DROP ROLE "{role}"')
    result = run_cli("sql", "--db", pg_url, "SELECT count(*) FROM charges")
    assert result.code == 3, result.err
    assert f'the store\'s reader role "{role}", which casekb sql runs SQL as, does not exist' \
        in result.err
    statements = _statements(result.err)
    assert statements[0] == f'CREATE ROLE "{role}" NOLOGIN;' and len(statements) == 4
    with admin(pg_server) as connection:
        for statement in statements:
            connection.execute(statement)
    assert run_cli("sql", "--db", pg_url, "-f", "tsv",
                   "SELECT count(*) AS n FROM charges").out == "n\n5\n"


def test_a_user_not_granted_the_reader_role_is_told_how(pg_server, rust_pg, run_cli):
    from sqlalchemy.engine import make_url

    analyst = f"{pg_server.prefix}_analyst"
    schema = schema_of(rust_pg)
    url = make_url(rust_pg).set(username=analyst).render_as_string(hide_password=False)
    with admin(pg_server) as connection:
        # Rights to read the store, as readers were given before the reader role.
        connection.execute(f'CREATE ROLE "{analyst}" LOGIN')
        connection.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{analyst}"')
        connection.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{analyst}"')
    try:
        result = run_cli("sql", "--db", url, "SELECT count(*) FROM charges")
        assert result.code == 3, result.err
        assert f'user "{analyst}" may not act as "{schema}_reader"' in result.err
        assert _statements(result.err) == [f'GRANT "{schema}_reader" TO "{analyst}";']
        with admin(pg_server) as connection:
            connection.execute(_statements(result.err)[0])
        result = run_cli("sql", "--db", url, "-f", "tsv", "SELECT current_user AS u")
        assert result.out == f"u\n{schema}_reader\n", result.err
    finally:
        with admin(pg_server) as connection:
            connection.execute(f'DROP OWNED BY "{analyst}"')
            connection.execute(f'DROP ROLE "{analyst}"')


@pytest.mark.parametrize("grant, undo, words", [
    ('ALTER ROLE "{role}" CREATEDB', 'ALTER ROLE "{role}" NOCREATEDB', "CREATEDB"),
    ('ALTER ROLE "{role}" SUPERUSER', 'ALTER ROLE "{role}" NOSUPERUSER', "SUPERUSER"),
    ('GRANT pg_read_server_files TO "{role}"', 'REVOKE pg_read_server_files FROM "{role}"',
     "member of pg_read_server_files"),
])
def test_a_reader_role_with_more_rights_than_reading_is_refused(pg_server, rust_pg, run_cli,
                                                                grant, undo, words):
    role = f"{schema_of(rust_pg)}_reader"
    with admin(pg_server) as connection:
        connection.execute(grant.format(role=role))
    try:
        result = run_cli("sql", "--db", rust_pg, "SELECT 1")
        assert result.code == 3, result.out
        assert f'the store\'s reader role "{role}" has more rights than reading the store ' \
               f'({words}); casekb sql will not run SQL as it' in result.err
        fixes = _statements(result.err)
        assert fixes and all(role in fix for fix in fixes)
    finally:
        with admin(pg_server) as connection:
            connection.execute(undo.format(role=role))
    assert run_cli("sql", "--db", rust_pg, "SELECT 1").code == 0


# -- A cancelled statement says what happened -------------------------------------------------

def test_a_statement_cancelled_from_outside_is_not_called_a_timeout(pg_server, rust_pg):
    from sqlalchemy import event

    from casekb.sql.access import SQLCancelled, run_sql

    engine = open_store(rust_pg)
    pids = []
    event.listen(engine, "checkout", lambda dbapi, *_: pids.append(dbapi.info.backend_pid))
    outcome = {}

    def run():
        started = time.monotonic()
        try:
            run_sql("SELECT pg_sleep(20)", engine, timeout=10)
        except Exception as error:  # noqa: BLE001 - the test looks at it
            outcome["error"] = error
        outcome["seconds"] = time.monotonic() - started

    thread = threading.Thread(target=run)
    thread.start()
    try:
        with admin(pg_server) as connection:
            for _ in range(200):  # wait until it sleeps
                if pids and connection.execute(
                        "SELECT wait_event FROM pg_stat_activity WHERE pid = %s",
                        (pids[-1],)).fetchone() == ("PgSleep",):
                    break
                time.sleep(0.05)
            assert connection.execute("SELECT pg_cancel_backend(%s)", (pids[-1],)).fetchone()
        thread.join(15)
    finally:
        engine.dispose()
    error = outcome["error"]
    assert isinstance(error, SQLCancelled), error
    assert outcome["seconds"] < 9
    assert "the SQL was cancelled by the database server after" in error.message
    assert "before any time limit of casekb" in error.message
    assert "time limit of 10 s" not in error.render()
