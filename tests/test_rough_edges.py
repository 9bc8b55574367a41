"""Rough edges a new user hits: `explain --format`, Markdown escaping in query results, a
query continued on the next line in the shell, sqlite3's `.schema`, and the test run's
summary of skipped tests. (The query hints are in tests/golden/errors.txt.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from casekb.errors import EXIT_USAGE
from casekb.repl.statements import StatementReader

REPO = Path(__file__).resolve().parent.parent


# -- explain --format ------------------------------------------------------------------------

def test_explain_refuses_formats_it_cannot_write(run_cli):
    result = run_cli("explain", "charges", "--format", "csv")
    assert result.code == EXIT_USAGE
    assert "invalid choice: 'csv'" in result.err


@pytest.mark.parametrize("fmt", ["text", "json", "jsonl"])
def test_explain_writes_the_formats_it_offers(run_cli, fmt):
    result = run_cli("explain", "charges", "--format", fmt)
    assert result.code == 0 and "SELECT" in result.out


# -- Markdown ----------------------------------------------------------------------------------

def test_query_markdown_escapes_markup_as_reports_do(run_cli, rust_db):
    result = run_cli("sql", "SELECT '**bold** _it_ <b> [x](y) `c`' AS quote", "--db", rust_db,
                     "-f", "markdown")
    row = result.out.splitlines()[2]
    assert row == r"| \*\*bold\*\* \_it\_ \<b\> \[x\](y) \`c\` |"


def test_one_markdown_escape_for_queries_and_reports():
    from casekb import render
    from casekb.report import render as report_render

    assert not hasattr(report_render, "_escape_markdown")
    assert render.markdown_cell("a|b\nc*") == r"a\|b<br>c\*"


# -- A query continued on the next line in the shell ------------------------------------------

def test_a_clause_on_the_next_line_continues_the_query_just_run():
    reader = StatementReader()
    (first,) = reader.feed("charges")
    assert first.text == "charges" and not first.continues
    (second,) = reader.feed('where defendant = "Dave Halls"')
    assert second.text == 'charges\nwhere defendant = "Dave Halls"' and second.continues
    (third,) = reader.feed("show offense, status")
    assert third.text == 'charges\nwhere defendant = "Dave Halls"\nshow offense, status'


def test_a_line_that_cannot_continue_it_starts_anew():
    reader = StatementReader()
    reader.feed("charges show offense")
    (done,) = reader.feed("where status = \"pending\"")  # where cannot follow show
    assert done.text == 'where status = "pending"' and not done.continues
    reader = StatementReader()
    reader.feed(".format csv")
    (done,) = reader.feed("where x = 1")  # nothing to continue
    assert not done.continues


def _shell(rust_db, lines: list[str]) -> tuple[list[bool], str, str]:
    """Lines typed at the shell's prompt: whether each statement worked, stdout, stderr."""
    from io import StringIO

    from casekb.repl.session import Session

    out, err = StringIO(), StringIO()
    session = Session(str(rust_db), out=out, err=err, interactive=True)
    reader = StatementReader()
    try:
        worked = [session.execute(statement) for line in lines
                  for statement in reader.feed(line)]
    finally:
        session.close()
    return worked, out.getvalue(), err.getvalue()


def test_the_shell_says_it_continued_the_query(rust_db):
    worked, out, err = _shell(rust_db, ["pleas", 'where plea = "no contest"'])
    assert worked == [True, True]
    assert err == 'note: continuing the previous query: pleas\n  where plea = "no contest"\n'
    assert out.count("no contest") == 2  # once among all the pleas, once alone


def test_a_clause_that_cannot_continue_is_an_error_as_before(rust_db):
    worked, _, err = _shell(rust_db, ["pleas show plea", 'where plea = "no contest"'])
    assert worked == [True, False]
    assert "continuing" not in err
    assert "`where` begins a clause of a query" in err
    # Not "put the entity first, e.g. charges ...": the clause was meant for the query before.
    assert ("hint: it does not continue the previous query (`pleas show plea`): that query "
            "has this clause already, or the two make no query") in err
    # A second `where`: the same.
    worked, _, err = _shell(rust_db, ['charges where defendant = "Gutierrez Reed"',
                                      'where stage = "filed"'])
    assert worked == [True, False]
    assert "does not continue the previous query (`charges where defendant" in err
    # Alone, with no query before it, the clause gets the usual hint.
    worked, _, err = _shell(rust_db, ['where plea = "no contest"'])
    assert 'hint: put the entity first, e.g. charges where plea = "no contest"' in err


# -- sqlite3's habits in the shell ------------------------------------------------------------

@pytest.mark.parametrize("command, meant", [
    (".schema", ".describe ENTITY"), (".tables", ".entities"), (".mode csv", ".format"),
])
def test_sqlite3_commands_get_what_they_mean(run_cli, rust_db, command, meant):
    result = run_cli("repl", "--db", rust_db, input=command + "\n")
    assert result.code == 1
    assert meant in result.err
    assert ".headers" not in result.err


# -- The test run -------------------------------------------------------------------------------

def test_skipped_postgres_tests_are_one_summary_line():
    env = {key: value for key, value in os.environ.items()
           if key != "CASEKB_TEST_POSTGRES_URL"}
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "tests/test_postgres_indexes.py"], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=300)
    skipped = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1, done.stdout
    assert "PostgreSQL tests need a server" in skipped[0]
