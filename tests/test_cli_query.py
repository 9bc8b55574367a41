"""`casekb query`, `casekb explain` and `casekb describe` on the command line."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest


@pytest.fixture
def db(rust_db) -> str:
    return str(rust_db)


def test_query_prints_rows_as_tsv_when_not_on_a_terminal(run_cli, db):
    result = run_cli("query", "defendants", "--db", db)
    assert result.code == 0
    lines = result.out.splitlines()
    assert lines[0] == "name\tcase\ttitle"
    assert "Alec Baldwin\tRust film set shooting\tactor" in lines
    assert result.err == ""


def test_table_on_request(run_cli, db):
    result = run_cli("query", "defendants", "--db", db, "--format", "table")
    assert result.out.startswith("+") and "| Alec Baldwin " in result.out


def test_json_has_real_types(run_cli, db):
    result = run_cli("query", 'charges where defendant = "Dave Halls" show counts, filed, status',
                     "--db", db, "--format", "json")
    assert result.code == 0
    assert json.loads(result.out) == [{
        "counts": 1, "filed": "2023-01-19/2024-03-31",
        "status": {"value": "convicted", "last": "convicted", "reported": "2024-03-07/2024-03-31"},
        "marks": {"filed": "inferred"}}]


@pytest.mark.parametrize("fmt, first", [
    ("csv", "name,case,title"), ("tsv", "name\tcase\ttitle"), ("markdown", "| name | case | title |"),
    ("jsonl", '{"name": "Alec Baldwin", "case": "Rust film set shooting", "title": "actor", '
              '"marks": {}}'),
])
def test_every_format(run_cli, db, fmt, first):
    result = run_cli("query", "defendants", "--db", db, "-f", fmt)
    assert result.code == 0 and result.out.splitlines()[0] == first


def test_no_header(run_cli, db):
    result = run_cli("query", "defendants", "--db", db, "--no-header")
    assert result.out.splitlines()[0] == "Alec Baldwin\tRust film set shooting\tactor"


def test_the_query_may_come_on_standard_input(run_cli, db):
    result = run_cli("query", "--db", db, input='count charges by defendant\n')
    assert result.code == 0 and result.out.splitlines()[1] == "Alec Baldwin\t2"
    result = run_cli("query", "-", "--db", db, input="-- a comment\ndefendants;\n")
    assert result.code == 0 and len(result.out.splitlines()) == 4


def test_no_query_on_a_terminal_is_a_usage_error(run_cli, db, monkeypatch):
    class Terminal:
        def isatty(self):
            return True

    monkeypatch.setattr(sys, "stdin", Terminal())
    result = run_cli("query", "--db", db)
    assert result.code == 2 and "give a query" in result.err


def test_a_bad_query_is_one_message_on_stderr_with_exit_1(run_cli, db):
    result = run_cli("query", 'charges where defendent = "x"', "--db", db)
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines()[:3] == [
        "line 1, column 15: charges has no field `defendent`",
        '  charges where defendent = "x"',
        "                ^^^^^^^^^"]
    assert "hint: did you mean `defendant`?" in result.err
    assert "Traceback" not in result.err


def test_errors_are_json_when_json_is_asked_for(run_cli, db):
    result = run_cli("query", "charges where", "--db", db, "--format", "json")
    assert result.code == 1 and result.out == ""
    error = json.loads(result.err)
    assert error["error"] == "QueryError" and error["code"] == 1
    assert (error["line"], error["column"]) == (1, 14)
    assert error["message"] == "query ended after `where`"
    assert error["expected"][0].startswith("a field of charges (defendant")
    assert "span" in error and "hints" in error


def test_a_missing_store_exits_3(run_cli, tmp_path):
    missing = str(tmp_path / "none.sqlite")
    result = run_cli("query", "defendants", "--db", missing)
    assert result.code == 3 and "no casekb store" in result.err and "casekb build" in result.err
    result = run_cli("query", "defendants", "--db", missing, "--format", "json")
    assert result.code == 3 and json.loads(result.err)["error"] == "StoreError"


def test_a_bad_query_is_reported_before_the_store_is_opened(run_cli, tmp_path):
    result = run_cli("query", "chargs", "--db", str(tmp_path / "none.sqlite"))
    assert result.code == 1 and "did you mean `charges`?" in result.err


def test_zero_rows_is_success(run_cli, db):
    result = run_cli("query", 'defendants where name ~ "Nobody"', "--db", db)
    assert result.code == 0 and result.out == "name\tcase\ttitle\n"
    result = run_cli("query", 'defendants where name ~ "Nobody"', "--db", db, "-f", "table")
    assert result.code == 0 and "(no rows)" in result.err


def test_a_name_nobody_has_is_not_zero_rows(run_cli, db):
    # A script looping over names must tell "unknown name" from "no rows".
    from casekb.errors import EXIT_UNKNOWN_NAME

    result = run_cli("query", 'charges where defendant = "Alec Bladwin"', "--db", db)
    assert result.code == EXIT_UNKNOWN_NAME and result.out == ""
    assert "no person called “Alec Bladwin” in the store" in result.err
    assert "did you mean “Alec Baldwin”?" in result.err
    result = run_cli("query", 'charges where defendant in ("Alec Baldwin", "Nobody At All")',
                     "--db", db, "-f", "json")
    error = json.loads(result.err)
    assert (error["code"], error["error"], error["column"]) == (
        EXIT_UNKNOWN_NAME, "UnknownNameError", 45)
    for text in ('disputes where case = "Rsut"', 'statements where about != "Nobody"',
                 'people where case = "nowhere"'):
        assert run_cli("query", text, "--db", db).code == EXIT_UNKNOWN_NAME, text
    # `~` looks for a part of a name, which may match nobody
    assert run_cli("query", 'charges where defendant ~ "Bladwin"', "--db", db).code == 0
    result = run_cli("explain", 'charges where defendant = "Alec Bladwin"', "--db", db)
    assert result.code == EXIT_UNKNOWN_NAME and "did you mean “Alec Baldwin”?" in result.err


def test_the_row_cap_cuts_with_a_note_saying_how_many_matched(run_cli, db):
    result = run_cli("query", "people", "--db", db, "--limit", "0")
    everyone = len(result.out.splitlines()) - 1
    assert everyone > 3 and result.err == ""
    for _ in range(2):  # asked first, then again (a text asked before)
        result = run_cli("query", "people", "--db", db, "--limit", "2")
        assert result.code == 0 and len(result.out.splitlines()) == 3
        assert f"note: showing the first 2 of {everyone} rows (raise the cap" in result.err
    result = run_cli("query", "people limit 2", "--db", db, "--limit", "2")
    assert result.err == ""  # the query asked for two: nothing was cut
    # The query's own limit bounds what it matches; with sources the cap counts facts.
    result = run_cli("query", "people limit 3", "--db", db, "--limit", "2")
    assert "showing the first 2 of 3 rows" in result.err
    result = run_cli("query", "charges with sources", "--db", db, "--limit", "0", "-f", "json")
    charges = len(json.loads(result.out))
    result = run_cli("query", "charges with sources", "--db", db, "--limit", "2")
    assert f"showing the first 2 of {charges} facts" in result.err
    # One row is "row": here and in `casekb sql`, whose note does not count what matched.
    assert "note: showing the first 1 of 3 rows" in run_cli(
        "query", "people limit 3", "--db", db, "--limit", "1").err
    assert "note: showing the first 1 row; more matched" in run_cli(
        "sql", "SELECT * FROM v_people", "--db", db, "--limit", "1").err


@pytest.mark.parametrize("arguments", [
    ("query", "people", "--db", ""), ("info", "--db", " "), ("build", "--db", ""),
    ("report", "defendant-sheet", "-p", "defendant=Dave Halls", "-o", ""),
])
def test_an_empty_path_is_a_usage_error_not_the_default(run_cli, arguments):
    # `--db "$DB"` with DB unset must not quietly mean the default store (or stdout).
    result = run_cli(*arguments)
    assert result.code == 2 and result.out == ""
    assert "it is empty" in result.err


def test_a_bad_limit_is_a_usage_error(run_cli, db):
    result = run_cli("query", "people", "--db", db, "--limit", "-1")
    assert result.code == 2
    result = run_cli("query", "people", "--db", db, "--format", "xml")
    assert result.code == 2


def test_with_sources_on_the_command_line(run_cli, db):
    result = run_cli("query", 'verdicts where outcome = "guilty" show defendant with sources',
                     "--db", db, "--format", "json")
    rows = json.loads(result.out)
    assert rows[0]["defendant"] == "Hannah Gutierrez-Reed"
    assert {item["source"] for item in rows[0]["sources"]} >= {"baldwin-allies-2024-03"}
    assert all(item["quote"] for item in rows[0]["sources"])


def test_explain_prints_sql_without_opening_the_store(run_cli, tmp_path):
    result = run_cli("explain", 'charges where defendant = "Alec Baldwin"',
                     "--db", str(tmp_path / "none.sqlite"))
    assert result.code == 0
    assert result.out.startswith("SELECT defendant.name AS defendant")
    assert "--   :defendant_1 = 'alec baldwin'" in result.out


def test_explain_speaks_the_dialect_of_the_store(run_cli):
    result = run_cli("explain", "people", "--db", "postgresql+psycopg://u@localhost/db")
    assert result.code == 0 and "string_agg" in result.out and "group_concat" not in result.out


def test_explain_as_json(run_cli):
    result = run_cli("explain", "charges where counts > 1", "--format", "json")
    data = json.loads(result.out)
    assert "charges.counts > :counts_1" in data["sql"] and data["parameters"]["counts_1"] == 1


def test_explain_refuses_describe_pointing_at_it(run_cli):
    result = run_cli("explain", "-- describe\n  DESCRIBE charges", "-f", "json")
    assert result.code == 1
    error = json.loads(result.err)
    assert (error["line"], error["column"], error["span"]) == (2, 3, [3, 11])
    assert "only a query can be explained" in error["message"]


def test_explain_and_describe_inside_the_language(run_cli, db):
    result = run_cli("query", "explain defendants", "--db", db)
    assert result.code == 0 and result.out.startswith("SELECT")
    result = run_cli("query", "describe defendants", "--db", db, "-f", "json")
    assert json.loads(result.out)["entity"] == "defendants"


def test_describe_lists_fields_with_examples_from_the_store(run_cli, db):
    result = run_cli("describe", "penalties", "--db", db, "--format", "json")
    assert result.code == 0
    fields = {f["field"]: f for f in json.loads(result.out)["fields"]}
    assert fields["amount"]["type"] == "quantity"
    assert "18 months" in fields["amount"]["examples"]
    assert fields["kind"]["values"][0] == "prison"
    assert "`is empty` finds it" in json.loads(result.out)["empty"]
    table = run_cli("describe", "penalties", "--db", db, "--format", "table").out
    assert "(empty): a single value that is not known" in table


def test_describe_without_a_store_still_describes(run_cli, tmp_path):
    result = run_cli("describe", "charges", "--db", str(tmp_path / "none.sqlite"), "-f", "table")
    assert result.code == 0 and "| defendant " in result.out
    assert "no example values" in result.err


def test_describe_alone_lists_the_entities(run_cli, db):
    result = run_cli("describe", "--db", db, "-f", "tsv")
    lines = result.out.splitlines()
    assert lines[0] == "entity\tdescription" and lines[1].startswith("cases\t")


def test_describe_takes_the_entity_in_any_case_and_spacing(run_cli, db):
    result = run_cli("describe", " Penalty ", "--db", db, "-f", "json")
    assert result.code == 0 and json.loads(result.out)["entity"] == "penalties"


def test_describe_an_unknown_entity(run_cli, db):
    result = run_cli("describe", "chargs", "--db", db)
    assert result.code == 1 and "did you mean `charges`?" in result.err


def test_help_says_which_format_is_the_default(run_cli):
    result = run_cli("query", "--help")
    assert result.code == 0 and "tsv otherwise" in " ".join(result.out.split())


def test_a_real_process_never_shows_a_traceback(db):
    process = subprocess.run(
        [sys.executable, "-m", "casekb", "query", "select * from charges", "--db", db],
        capture_output=True, text=True, timeout=60)
    assert process.returncode == 1 and process.stdout == ""
    assert "starts an SQL statement" in process.stderr and "Traceback" not in process.stderr


def test_bytes_that_are_not_utf8_are_a_bad_query_not_a_traceback(db):
    # Python reads them as lone surrogates, which no database driver can send.
    process = subprocess.run(
        [sys.executable, "-m", "casekb", "query", "--db", db],
        input=b'charges where defendant = "\xff\xfe"', capture_output=True, timeout=60,
        env={**os.environ, "PYTHONIOENCODING": "utf-8:surrogateescape",
             "CASEKB_QUERY_CACHE": "0"})
    err = process.stderr.decode("utf-8", "replace")
    assert process.returncode == 1 and process.stdout == b"", err
    assert err.startswith("line 1, column 28: the query holds bytes that are not UTF-8 text")
    assert "Traceback" not in err


def test_text_compares_ignoring_case_beyond_ascii(run_cli, db, tmp_path):
    # SQLite's own lower() folds only A-Z, so stores are opened with a lower() that folds
    # every letter (PostgreSQL: tests/test_postgres.py, the same test there).
    import shutil
    import sqlite3

    copy = tmp_path / "accented.sqlite"
    shutil.copy(db, copy)
    with sqlite3.connect(copy) as connection:
        connection.execute("UPDATE events SET description = 'ÉLAN vital' "
                           "WHERE id = (SELECT min(id) FROM events)")
    for _ in range(2):  # the second answer comes from the query cache
        result = run_cli("query", 'events where description ~ "élan" show description',
                         "--db", copy)
        assert result.code == 0 and result.out.splitlines()[1:] == ["ÉLAN vital"], result.err


@pytest.mark.parametrize("columns", [80, 60])
def test_a_table_on_a_terminal_fits_its_width(rust_db, tmp_path, columns):
    # As the shell does: an 80-column terminal got lines of 190 columns, wrapped by the
    # terminal into a mess. Piped, the table (or TSV) is written as it is.
    import os
    import sys

    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "CASEKB_HOME": str(tmp_path), "TERM": "dumb"}
    env.pop("COLUMNS", None)
    child = pexpect.spawn(sys.executable, ["-m", "casekb", "query", "charges", "--db",
                                           str(rust_db)], env=env, encoding="utf-8",
                          dimensions=(40, columns), timeout=60)
    child.expect(pexpect.EOF)
    child.wait()
    lines = child.before.replace("\r\n", "\n").splitlines()
    table = [line for line in lines if not line.startswith("note: ")]  # notes: stderr
    assert child.exitstatus == 0
    assert table and max(len(line) for line in table) <= columns
    # Nothing was lost: both of Baldwin's charges, each name wrapped or not.
    assert sum("Baldwin" in line for line in table) == 2
    piped = subprocess.run([sys.executable, "-m", "casekb", "query", "charges", "--db",
                            str(rust_db), "--format", "table"], env=env, capture_output=True,
                           text=True, timeout=60)
    assert max(len(line) for line in piped.stdout.splitlines()) > columns
