"""`casekb sql` and casekb.sql.access.run_sql: read-only in depth, time limit, row cap."""

from __future__ import annotations

import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from casekb.errors import StoreError
from casekb.sql.access import SQLError, SQLTimeout, check_statement, run_sql

FOREVER = ("WITH RECURSIVE forever(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM forever) "
           "SELECT count(*) FROM forever")


def _digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_a_select_returns_rows_with_sqls_own_values(rust_db):
    result = run_sql("SELECT defendant, counts, filed FROM v_charges "
                     "WHERE enhancement = 'firearm'", str(rust_db))
    assert result.column_names == ["defendant", "counts", "filed"]
    assert result.rows == [("Alec Baldwin", 2, "2023-01-19")]
    assert not result.truncated


@pytest.mark.parametrize("sql", [
    "WITH q AS (SELECT count(*) AS n FROM pleas) SELECT n FROM q",
    "EXPLAIN QUERY PLAN SELECT * FROM charges",
    "VALUES (1, 'a'), (2, 'b')",
    "  -- a comment first\n  select 1;  ",
    "SELECT name FROM pragma_table_info('charges')",
    "SELECT 'a;b' AS text, \"key\" FROM people LIMIT 1",
])
def test_reading_statements_are_accepted(rust_db, sql):
    assert run_sql(sql, str(rust_db)).rows


@pytest.mark.parametrize("sql, words", [
    ("INSERT INTO meta (key, value) VALUES ('x', 'y')", "beginning with INSERT"),
    ("delete from pleas", "beginning with DELETE"),
    ("DROP TABLE pleas", "beginning with DROP"),
    ("PRAGMA query_only = 0", "beginning with PRAGMA"),
    ("ATTACH DATABASE '/tmp/other.sqlite' AS other", "beginning with ATTACH"),
    ("SELECT 1; DELETE FROM pleas", "only one SQL statement"),
    ("SELECT 1; SELECT 2", "only one SQL statement"),
    # These pass the text check; the authorizer refuses them when SQLite prepares them.
    ("WITH doomed AS (SELECT id FROM pleas) DELETE FROM pleas WHERE id IN doomed",
     "deleting from pleas"),
    ("WITH x AS (SELECT 1) INSERT INTO meta (key, value) SELECT 'k', 'v' FROM x",
     "inserting into meta"),
    ("EXPLAIN UPDATE charges SET status = 'dropped'", "updating charges"),
    ("SELECT load_extension('/tmp/evil')", "load_extension()"),
    ("SELECT * FROM pragma_writable_schema(1)", "the pragma writable_schema"),
])
def test_anything_but_reading_is_refused_and_the_store_is_untouched(rust_db, sql, words):
    before = _digest(rust_db)
    with pytest.raises(SQLError) as caught:
        run_sql(sql, str(rust_db))
    assert words in caught.value.message
    assert _digest(rust_db) == before


def test_the_authorizer_refuses_writes_even_on_a_writable_connection(tmp_path, rust_db):
    # The second fence on its own: a connection that could write, and SQL that got past the
    # text check.
    from casekb.sql.access import Deadline, _run_guarded

    copy = tmp_path / "copy.sqlite"
    copy.write_bytes(rust_db.read_bytes())
    connection = sqlite3.connect(copy)
    try:
        with pytest.raises(SQLError, match="deleting from pleas"):
            _run_guarded(connection, "WITH x AS (SELECT 1) DELETE FROM pleas", cap=None,
                         deadline=Deadline(None), params=None)
        assert connection.execute("SELECT count(*) FROM pleas").fetchone()[0] == 4
        # The guards are removed afterwards: the owner of the connection may write again.
        connection.execute("PRAGMA query_only = 0")
        connection.execute("DELETE FROM pleas")
    finally:
        connection.close()


def test_an_in_memory_engine_is_borrowed_and_given_back_as_it_was(memory_engine):
    from sqlalchemy import text

    assert run_sql("SELECT count(*) FROM charges", memory_engine).rows == [(0,)]
    with pytest.raises(SQLError):
        run_sql("WITH x AS (SELECT 1) DELETE FROM charges", memory_engine)
    with memory_engine.begin() as connection:  # still writable by its owner
        connection.execute(text("INSERT INTO meta (key, value) VALUES ('k', 'v')"))
        assert connection.execute(text("PRAGMA query_only")).scalar() == 0


@pytest.mark.parametrize("sql, words", [
    ("", "no SQL was given"),
    ("  -- only a comment", "no SQL was given"),
    ("SELEC 1", "did you mean SELECT?"),
])
def test_text_problems_are_named(sql, words):
    with pytest.raises(SQLError) as caught:
        check_statement(sql)
    assert words in caught.value.render()


def test_a_semicolon_inside_quotes_or_comments_does_not_end_the_statement():
    sql = "SELECT 'a;b', \"c;d\", [e;f] /* ; */ -- ;\n FROM x ;  -- done"
    assert check_statement(sql) == sql[:sql.rindex(";")]


def test_sqlite_errors_carry_sqlites_message(rust_db):
    with pytest.raises(SQLError) as caught:
        run_sql("SELECT nonsense FROM v_charges", str(rust_db))
    assert "no such column: nonsense" in caught.value.message


def test_the_row_cap_keeps_cap_rows_and_says_more_matched(rust_db):
    result = run_sql("SELECT * FROM v_evidence", str(rust_db), cap=5)
    assert len(result.rows) == 5 and result.truncated and result.cap == 5
    everything = run_sql("SELECT * FROM v_evidence", str(rust_db), cap=None)
    assert len(everything.rows) > 5 and not everything.truncated


def test_a_runaway_query_stops_at_the_time_limit(rust_db):
    started = time.monotonic()
    with pytest.raises(SQLTimeout) as caught:
        run_sql(FOREVER, str(rust_db), timeout=0.3)
    assert time.monotonic() - started < 5
    assert "0.3 s" in caught.value.message and "--timeout" in caught.value.render()


# Datasette, imported by the export tests, turns on sqlite3's callback tracebacks for the
# whole process, so sqlite3 hands the KeyboardInterrupt it drops to sys.unraisablehook too; in
# `casekb sql` (tracebacks off) Ctrl-C prints only "interrupted" (tests/test_faults.py).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_ctrl_c_stops_a_running_statement(rust_db):
    def interrupt(*_):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    started = time.monotonic()
    try:
        with pytest.raises(KeyboardInterrupt):
            run_sql(FOREVER, str(rust_db), timeout=None)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 5


def interrupt_until_done(kb, run, running=lambda: True) -> BaseException | None:
    """Run `run()` in a thread and, once `running()` says its statement runs, call
    `kb.interrupt()` until it ends (it may not have begun its statement at the first call);
    what it raised, or None."""
    import threading

    outcome: dict = {}

    def work() -> None:
        try:
            run()
        except BaseException as error:
            outcome["error"] = error

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    for _ in range(600):  # a minute at most
        if not running():
            worker.join(0.1)
            continue
        kb.interrupt()
        worker.join(0.1)
        if not worker.is_alive():
            break
    assert not worker.is_alive(), "kb.interrupt() did not stop the statement"
    return outcome.get("error")


def test_interrupt_stops_raw_sql_and_says_so(rust_db):
    # kb.sql runs on a connection of its own, which interrupt() did not reach: the statement
    # went on until its end (here, its time limit of two minutes).
    import casekb
    from casekb.sql.access import SQLInterrupted

    with casekb.open(rust_db) as kb:
        error = interrupt_until_done(kb, lambda: kb.sql(FOREVER, timeout=120))
        assert isinstance(error, SQLInterrupted), error
        assert "interrupted" in error.message and "KB.interrupt()" in error.message
        assert kb.sql("SELECT count(*) FROM v_charges").rows[0][0] > 0  # the KB goes on


def test_an_interrupted_question_is_said_so_not_blamed_on_the_store(rust_db):
    # What a question of the language meets when interrupt() stops its statement (no query
    # of the language runs long on a small store, so the driver's own statement stands in).
    import casekb
    from casekb.errors import EXIT_INTERRUPTED, QuestionInterrupted
    from casekb.execute.run import fetch

    with casekb.open(rust_db) as kb:
        error = interrupt_until_done(kb, lambda: fetch(kb.connection(), FOREVER, {}))
        assert isinstance(error, QuestionInterrupted), error
        assert error.exit_code == EXIT_INTERRUPTED and error.hints == []  # no "rebuild it"
        assert kb.query("count charges").rows[0][0] > 0  # the KB goes on


def test_ctrl_c_in_casekb_sql_says_interrupted_and_nothing_else(rust_db):
    process = subprocess.Popen(
        [sys.executable, "-m", "casekb", "sql", FOREVER, "--db", str(rust_db), "--timeout", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # A child of a background job inherits SIGINT ignored; a user's terminal does not.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        time.sleep(2)  # well past start-up (0.1-0.3 s): the statement is running
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
    assert process.returncode in (130, -signal.SIGINT)
    assert err.strip() == "interrupted" and out == ""


def test_parameters_are_bound_not_pasted(rust_db):
    evil = "x' OR '1'='1"
    result = run_sql("SELECT count(*) FROM v_people WHERE name = $name", str(rust_db),
                     params={"name": evil})
    assert result.rows == [(0,)]
    named = run_sql("SELECT name FROM v_people WHERE name = :name", str(rust_db),
                    params={"name": "David Halls"})
    assert named.rows == [("David Halls",)]


def test_parameters_must_be_given_exactly(rust_db):
    from casekb.sql.access import SQLParameterError, sql_parameters

    assert sql_parameters("SELECT :a, $b, @c, :a, ':no', x::text, $1, $t$ $t$ -- :no") == \
        {"a": ":a", "b": "$b", "c": "@c"}
    with pytest.raises(SQLParameterError, match=r"uses the parameter \$who but no value"):
        run_sql("SELECT * FROM v_pleas WHERE defendant = $who", str(rust_db))
    with pytest.raises(SQLParameterError, match="has no parameter whom") as raised:
        run_sql("SELECT :who", str(rust_db), params={"who": "x", "whom": "y"})
    assert raised.value.hints[0] == "did you mean who?"
    with pytest.raises(SQLParameterError, match="by position"):
        run_sql("SELECT * FROM v_pleas WHERE defendant = ?", str(rust_db))


def test_a_missing_store_is_a_store_error(tmp_path):
    with pytest.raises(StoreError):
        run_sql("SELECT 1", str(tmp_path / "missing.sqlite"))


# -- The command ----------------------------------------------------------------------------

def test_the_command_prints_rows_in_the_chosen_format(run_cli, rust_db):
    result = run_cli("sql", "SELECT defendant, plea FROM v_pleas WHERE plea = 'guilty'",
                     "--db", rust_db, "--format", "csv")
    assert result.code == 0
    assert result.out == "defendant,plea\nDavid Halls,guilty\n"
    table = run_cli("sql", "SELECT count(*) AS n FROM v_pleas", "--db", rust_db, "-f", "table")
    assert "| n |" in table.out and "| 4 |" in table.out


def test_the_command_binds_parameters(run_cli, rust_db):
    result = run_cli("sql", "SELECT plea FROM v_pleas WHERE defendant = :who ORDER BY plea",
                     "--db", rust_db, "--param", "who=David Halls", "-f", "csv")
    assert (result.code, result.out) == (0, "plea\nguilty\nno contest\n")
    missing = run_cli("sql", "SELECT * FROM v_pleas WHERE defendant = $who", "--db", rust_db)
    assert missing.code == 2 and missing.out == ""
    assert missing.err == ("the SQL uses the parameter $who but no value was given\n"
                           "hint: give it with --param who=VALUE\n")


def test_the_command_reads_sql_from_standard_input(run_cli, rust_db):
    result = run_cli("sql", "--db", rust_db, "--format", "json", "--no-header",
                     input="SELECT id FROM v_sources WHERE outlet = 'The Independent'\n")
    assert result.code == 0
    assert json.loads(result.out) == [{"id": "independent-2023-01-20"}]


def test_the_command_notes_a_cut_on_stderr(run_cli, rust_db):
    result = run_cli("sql", "SELECT quote FROM v_evidence", "--db", rust_db, "--limit", "3",
                     "-f", "tsv")
    assert result.code == 0 and len(result.out.splitlines()) == 4
    assert "first 3 rows" in result.err


def test_the_command_refuses_writes_with_exit_1(run_cli, rust_db):
    result = run_cli("sql", "DELETE FROM pleas", "--db", rust_db)
    assert result.code == 1 and result.out == ""
    assert "only reads" in result.err and "Traceback" not in result.err
    as_json = run_cli("sql", "SELECT * FROM nowhere", "--db", rust_db, "-f", "json")
    assert as_json.code == 1
    assert json.loads(as_json.err)["message"] == "SQLite: no such table: nowhere"


def test_the_command_names_the_timeout_setting(run_cli, rust_db):
    result = run_cli("sql", FOREVER, "--db", rust_db, "--timeout", "0.2")
    assert result.code == 1 and "--timeout" in result.err


def test_a_bad_timeout_is_a_usage_error(run_cli, rust_db):
    result = run_cli("sql", "SELECT 1", "--db", rust_db, "--timeout", "soon")
    assert result.code == 2 and "not a number of seconds" in result.err


def test_a_huge_value_is_refused_rather_than_built(rust_db, memory_engine):
    with pytest.raises(SQLError, match="too big"):
        run_sql("SELECT zeroblob(500000000)", str(rust_db))
    # A borrowed connection gets its own limit back afterwards.
    with pytest.raises(SQLError, match="too big"):
        run_sql("SELECT zeroblob(500000000)", memory_engine)
    raw = memory_engine.raw_connection()
    try:
        assert raw.driver_connection.getlimit(sqlite3.SQLITE_LIMIT_LENGTH) > 500_000_000
    finally:
        raw.close()
