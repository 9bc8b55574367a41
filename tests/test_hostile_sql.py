"""Hostile input to `casekb sql`, on both engines: parameters hidden in quoted text, bytes that
are not UTF-8, results too large or too slow to fetch and write.

Every test that concerns both engines runs on SQLite always and on PostgreSQL when
CASEKB_TEST_POSTGRES_URL is set (`store` fixture). What PostgreSQL alone needs (the reader
role, the functions that act outside a statement, a cancelled statement) is in
tests/test_hostile_sql_pg.py; two builds at once in tests/test_hostile_sql_builds.py, and
malformed URLs in tests/test_hostile_sql_urls.py.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from casekb.sql.access import MAX_RESULT_BYTES, SQLError, SQLParameterError, run_sql


@pytest.fixture(scope="module")
def rust_pg(pg_server, seeds_dir):
    from casekb.build.builder import build_store

    url = pg_server.store_url("hostile")
    build_store(seeds_dir, url)
    yield url
    pg_server.drop(url.rsplit("schema=", 1)[1])


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, rust_db) -> str:
    """The bundled store on each engine: a path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(rust_db)
    return request.getfixturevalue("rust_pg")


def on_postgresql(store: str) -> bool:
    return store.startswith("postgresql")


# -- Parameters: only real ones are bound (issue 13, item 1) ----------------------------------

BOTH_ENGINES = [
    # (SQL, the row it gives with who = "x")
    ("SELECT ' :who ', :who", (" :who ", "x")),
    ("SELECT ':who' || :who", (":whox",)),
    ("SELECT 'it''s :who', :who", ("it's :who", "x")),
    ("SELECT :who -- and :who again\n", ("x",)),
    ("SELECT /* :who */ :who", ("x",)),
    ("SELECT :who AS \":who\"", ("x",)),
    ("SELECT ' $who ', $who", (" $who ", "x")),
    ("SELECT '100%', :who", ("100%", "x")),
    ("SELECT '%(who)s', :who", ("%(who)s", "x")),
    ("SELECT '%s', :who", ("%s", "x")),
]
POSTGRESQL_ONLY = [
    ("SELECT $$ :who $$, :who", (" :who ", "x")),
    ("SELECT $tag$ ' :who $tag$, :who", (" ' :who ", "x")),
    ("SELECT E'\\' :who ', :who", ("' :who ", "x")),
    ("SELECT /* nested /* */ :who */ :who", ("x",)),
    ("SELECT :who::text, '1'::int", ("x", 1)),
    ("SELECT CAST(:who AS text) || ' :who'::text", ("x :who",)),
]


@pytest.mark.parametrize("sql, row", BOTH_ENGINES)
def test_a_name_inside_quotes_or_comments_is_no_parameter(store, sql, row):
    result = run_sql(sql, store, params={"who": "x"})
    assert result.rows == [row]


@pytest.mark.parametrize("sql, row", POSTGRESQL_ONLY)
def test_postgresql_quoting_hides_no_parameter(rust_pg, sql, row):
    assert run_sql(sql, rust_pg, params={"who": "x"}).rows == [row]


def test_the_command_keeps_the_literal(run_cli, store):
    result = run_cli("sql", "--db", store, "-f", "json", "SELECT ' :who ' AS a, :who AS b",
                     "--param", "who=x")
    assert result.code == 0, result.err
    assert json.loads(result.out) == [{"a": " :who ", "b": "x"}]


def test_a_parameter_the_sql_hides_in_quotes_is_not_used(store):
    with pytest.raises(SQLParameterError, match="has no parameter who"):
        run_sql("SELECT ':who'", store, params={"who": "x"})


# -- Bytes that are not UTF-8, and NUL (issue 12) ---------------------------------------------

def test_sql_with_a_byte_that_is_not_utf8_is_pointed_at(run_cli, store):
    # Python passes the byte 0xff of an argument on as the lone surrogate U+DCFF.
    for given in ({"argv": ["SELECT '\udcff'"]}, {"argv": [], "input": "SELECT '\udcff'"}):
        result = run_cli("sql", "--db", store, *given["argv"], input=given.get("input"))
        assert result.code == 1, result.err
        assert "Traceback" not in result.err
        assert "line 1, column 9: the SQL holds the byte 0xff, which is not UTF-8 text" \
            in result.err
        assert "  SELECT '\ufffd'\n          ^" in result.err


def test_a_parameter_with_a_byte_that_is_not_utf8_is_a_usage_error(run_cli, store):
    result = run_cli("sql", "--db", store, "SELECT :who", "--param", "who=a\udcff")
    assert result.code == 2 and result.out == ""
    assert "the value of the parameter who, 'a\ufffd', holds the byte 0xff" in result.err


def test_a_nul_in_the_sql_is_pointed_at(store):
    with pytest.raises(SQLError, match="a NUL character") as caught:
        run_sql("SELECT 'a\x00b'", store)
    assert caught.value.span.column == 10


def test_standard_input_that_is_not_utf8_bytes(tmp_path, rust_db):
    # The real thing: bytes on a real standard input, in a child process.
    done = subprocess.run([sys.executable, "-m", "casekb", "sql", "--db", str(rust_db)],
                          input=b"SELECT 'caf\xe9'", capture_output=True, timeout=60)
    assert done.returncode == 1
    assert b"the SQL holds the byte 0xe9, which is not UTF-8 text" in done.stderr
    assert b"Traceback" not in done.stderr


def test_text_made_of_bytes_that_are_not_utf8_on_postgresql(rust_pg, run_cli):
    for sql in ("SELECT convert_from('\\xff'::bytea, 'UTF8')", "SELECT E'\\xff'"):
        result = run_cli("sql", "--db", rust_pg, sql)
        assert result.code == 1 and "Traceback" not in result.err
        assert 'invalid byte sequence for encoding "UTF8": 0xff' in result.err
        assert "encode(value, 'hex')" in result.err


# -- Limits that hold end to end (issue 12) ---------------------------------------------------

# A child runs the command with its standard output in a file, and reports its exit status,
# its peak memory (Linux) and how long it took. Its address space is capped, so that code that reads
# everything fails here quickly instead of taking gigabytes from the machine.
CHILD = """
import json, os, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, (3 * 2**30, 3 * 2**30))
started = time.monotonic()
from casekb.cli import main
if os.environ.get("SLOW_CELLS"):  # writing each cell takes this long
    import casekb.execute.results as results
    import casekb.render as render

    def slow(write):
        return lambda *args, **kwargs: (
            time.sleep(float(os.environ["SLOW_CELLS"])), write(*args, **kwargs))[1]

    render.cell_text, results.json_value = slow(render.cell_text), slow(results.json_value)
try:
    code = main(sys.argv[1:])
except MemoryError:
    code = "MemoryError"
# The peak of this program's own memory (ru_maxrss would count the parent's at the fork).
with open("/proc/self/status") as status:
    peak_kb = next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
print(json.dumps({"code": code, "seconds": time.monotonic() - started,
                  "peak_mb": peak_kb / 1024}), file=sys.stderr)
"""


def run_child(tmp_path, *argv: str, slow_cells: float | None = None) -> tuple[dict, int, str]:
    """(what the child reported, the bytes it wrote on stdout, its messages)."""
    import os

    out = tmp_path / "out"
    env = {**os.environ, "SLOW_CELLS": str(slow_cells or "")}
    with open(out, "wb") as stdout:
        done = subprocess.run([sys.executable, "-c", CHILD, *argv], stdout=stdout,
                              stderr=subprocess.PIPE, text=True, timeout=120, env=env)
    report = json.loads(done.stderr.strip().splitlines()[-1])
    return report, out.stat().st_size, done.stderr


HUGE = {  # 2,000 rows of a megabyte each: gigabytes if read whole
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) "
              "SELECT x, zeroblob(1000000) FROM c",
    "postgresql": "SELECT g, repeat('x', 1000000) FROM generate_series(1, 2000) g",
}


@pytest.mark.parametrize("fmt", ["tsv", "table"])
def test_a_huge_result_is_cut_with_a_note_in_flat_memory_and_time(tmp_path, store, fmt):
    engine = "postgresql" if on_postgresql(store) else "sqlite"
    report, written, messages = run_child(tmp_path, "sql", "--db", store, HUGE[engine],
                                          "--limit", "0", "-f", fmt)
    assert report["code"] == 0, messages
    # Before: 3 GB and 21-24 s, 2 GB written.
    assert report["peak_mb"] < 300, report
    assert report["seconds"] < 8, report
    assert written < MAX_RESULT_BYTES * 1.2
    assert "more matched, but the values shown reached 8 MiB, the most casekb sql shows" \
        in messages


def test_rows_that_grow_large_late_never_come_by_the_batch(tmp_path, rust_pg):
    # 900 empty rows (batches grow to a thousand rows meanwhile), then rows of 2 MB: without
    # the server counting the bytes it sends, one batch would hold 2 GB. The server still
    # makes every row of the batch before it leaves their values out, which may take longer
    # than the limit: then the time limit says so.
    sql = ("SELECT g, CASE WHEN g > 900 THEN repeat('x', 2000000) ELSE '' END "
           "FROM generate_series(1, 2000) g")
    report, written, messages = run_child(tmp_path, "sql", "--db", rust_pg, sql, "--limit", "0",
                                          "-f", "tsv", "--timeout", "4")
    assert report["peak_mb"] < 300, report
    assert report["seconds"] < 4 + 1.5, report
    if report["code"] == 0:
        assert "the values shown reached 8 MiB" in messages
        assert written < MAX_RESULT_BYTES * 1.2
    else:
        assert report["code"] == 1 and "time limit of 4 s" in messages, messages


def test_the_time_limit_covers_fetching_and_writing(tmp_path, store):
    # Three million small rows: quick to make, long to fetch and to lay out as a table.
    sql = ("SELECT g FROM generate_series(1, 3000000) g" if on_postgresql(store) else
           "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c "
           "WHERE x < 3000000) SELECT x FROM c")
    report, _, messages = run_child(tmp_path, "sql", "--db", store, sql, "--limit", "0",
                                    "-f", "table", "--timeout", "1.5")
    assert report["code"] == 1, messages
    assert "time limit of 1.5 s" in messages
    assert report["seconds"] < 1.5 + 1.5, report


@pytest.mark.parametrize("fmt", ["table", "json"])
def test_the_time_limit_covers_writing_the_rows(tmp_path, store, fmt):
    # 2,000 rows quick to fetch, each taking 5 ms to write: 10 s, unless the limit stops it.
    sql = ("SELECT g FROM generate_series(1, 2000) g" if on_postgresql(store) else
           "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 2000) "
           "SELECT x FROM c")
    report, _, messages = run_child(tmp_path, "sql", "--db", store, sql, "--limit", "0",
                                    "-f", fmt, "--timeout", "2", slow_cells=0.005)
    assert report["code"] == 1, messages
    assert "the time limit of 2 s ran out while the rows were written: the output is " \
           "incomplete" in messages
    assert report["seconds"] < 2 + 1.5, report


def test_a_value_of_megabytes_is_laid_out_in_a_table_quickly(tmp_path, rust_db):
    # textwrap alone takes minutes to break a word of 6 million characters into lines.
    report, written, messages = run_child(tmp_path, "sql", "--db", str(rust_db), "-f", "table",
                                          "SELECT hex(zeroblob(3000000)) AS v")
    assert report["code"] == 0, messages
    assert report["seconds"] < 5, report
    assert written > 6_000_000


def test_values_past_the_limit_are_neither_fetched_nor_kept(store):
    # A few small rows, then rows far too large: the result stops before them, says so,
    # and the rows it keeps are whole.
    sql = ("SELECT g, CASE WHEN g > 3 THEN repeat('x', 3000000) ELSE 'small' END "
           "FROM generate_series(1, 50) g ORDER BY g" if on_postgresql(store) else
           "WITH RECURSIVE c(g) AS (SELECT 1 UNION ALL SELECT g + 1 FROM c WHERE g < 50) "
           "SELECT g, CASE WHEN g > 3 THEN hex(zeroblob(1500000)) ELSE 'small' END FROM c")
    result = run_sql(sql, store, cap=None)
    kept = [row[0] for row in result.rows]
    assert kept == list(range(1, len(kept) + 1)) and 3 <= len(kept) < 50
    assert result.truncated and result.size_limit == MAX_RESULT_BYTES
    assert result.cap == len(result.rows)
    assert all(len(value) in (5, 3_000_000) for _, value in result.rows)


def test_the_row_cap_still_counts_rows(store):
    result = run_sql("SELECT * FROM v_evidence ORDER BY 1", store, cap=7)
    assert len(result.rows) == 7 and result.truncated and result.size_limit is None
    whole = run_sql("SELECT * FROM v_evidence ORDER BY 1", store, cap=None)
    assert whole.rows[:7] == result.rows and not whole.truncated


def test_writing_stops_when_the_check_says_so():
    from casekb.execute import QueryResult
    from casekb.render import render
    from casekb.sql.access import SQLTimeout
    from casekb.sql.limits import Rows

    result = Rows(None, _never(), lambda value: value).result(["n"])
    result.rows = [(n,) for n in range(100)]
    assert isinstance(result, QueryResult)
    calls = []

    def check():
        calls.append(1)
        if len(calls) > 10:
            raise SQLTimeout(1, writing=True)

    out = io.StringIO()
    with pytest.raises(SQLTimeout, match="output is incomplete"):
        render(result, "tsv", out, check=check)
    assert out.getvalue().splitlines() == ["n"] + [str(n) for n in range(10)]


def _never():
    from casekb.sql.limits import Deadline

    return Deadline(None)


# -- Columns of the same name ------------------------------------------------------------------

def test_columns_of_the_same_name_are_all_kept_in_dicts_and_json(store, run_cli):
    # SQL may repeat a name; a dict (and a JSON object) would keep only the last value.
    result = run_sql("SELECT 1 AS a, 2 AS a, 3 AS b", store)
    assert result.column_names == ["a", "a", "b"]  # the table's header says what SQL said
    assert result.dicts() == [{"a": 1, "a_2": 2, "b": 3}]
    assert result.to_json() == [{"a": 1, "a_2": 2, "b": 3}]
    printed = run_cli("sql", "SELECT 1 AS a, 2 AS a", "--db", store, "--format", "json")
    assert json.loads(printed.out) == [{"a": 1, "a_2": 2}]
