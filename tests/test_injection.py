"""Injection: text that looks like SQL is only ever a value, and `casekb sql` never writes.

The query language binds every value as a parameter, so a string full of SQL, quotes, `%`,
`_`, backslashes or a NUL is matched literally and changes nothing; `~` finds the text as
typed, with `%` and `_` as ordinary characters. Property tests compare the language's answer
with a plain Python search over the same names. For raw SQL (`casekb sql`), every disguise of
a write is refused and the store file stays byte-identical, with no file created beside it.
(tests/test_sql.py covers the plain forms; here are the disguises and a fuzz.)
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casekb.errors import CaseKBError, QueryError

HOSTILE_NAMES = [
    "Robert'); DROP TABLE charges; --",
    "Ann \"Quote\" O'Hara",
    "Cat_100% Sure",
    "Back\\Slash Smith",
    "Per%cent Jones",
    "Under_score Lee",
    "Plain Person",
    "/* comment */ Kim",
    "UNION SELECT key FROM meta",
]


def _toml(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    """A store whose people, offenses and statements carry hostile text."""
    from casekb.build.builder import build_store

    folder = tmp_path_factory.mktemp("hostile") / "curated"
    (folder / "articles").mkdir(parents=True)
    lines = ["Court report", ""]
    records = ['[[source]]\nid = "report"\nfile = "articles/report.txt"\n',
               '[[case]]\nid = "case"\ntitle = "State v. Everyone"\n'
               'evidence = [{ source = "report", quote = "State v. Everyone" }]\n']
    lines.append("State v. Everyone")
    offense = "theft of 100% of the '; DELETE FROM pleas; -- funds"
    lines.append(f"The offense is {offense}.")
    records.append(f'[[offense]]\nid = "theft"\nname = {_toml(offense)}\n'
                   f'evidence = [{{ source = "report", quote = {_toml(offense)} }}]\n')
    for number, name in enumerate(HOSTILE_NAMES, 1):
        lines.append(f"Defendant {number} is {name}.")
        quote = f"Defendant {number} is {name}."
        records.append(
            f'[[person]]\nid = "p{number}"\nname = {_toml(name)}\n'
            f'evidence = [{{ source = "report", quote = {_toml(quote)} }}]\n'
            f'[[role]]\nid = "r{number}"\ncase = "case"\nperson = "p{number}"\n'
            f'role = "defendant"\nevidence = [{{ source = "report", quote = {_toml(quote)} }}]\n'
            f'[[charge]]\nid = "c{number}"\ncase = "case"\ndefendant = "p{number}"\n'
            f'offense = "theft"\nevidence = [{{ source = "report", quote = {_toml(quote)} }}]\n')
    (folder / "articles" / "report.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (folder / "facts.toml").write_text("\n".join(records), encoding="utf-8")
    path = tmp_path_factory.mktemp("hostile-store") / "hostile.sqlite"
    build_store(folder, str(path))
    return path


@pytest.fixture(scope="module")
def engine(hostile_store):
    import casekb

    engine = casekb.open(str(hostile_store))
    yield engine
    engine.close()


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _literal(text: str) -> str:
    """A string literal of the language holding `text` (only \\" and \\\\ are escapes)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _names(engine, condition: str) -> list[str]:

    result = engine.run(f"defendants where {condition} show name", cap=None)
    return sorted(row[0] for row in result.rows)


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_each_hostile_name_is_found_by_itself_and_nothing_else(engine, hostile_store, name):
    before = _digest(hostile_store)
    assert _names(engine, f"name = {_literal(name)}") == [name]
    assert _names(engine, f"name = {_literal(name.upper())}") == [name]
    assert _names(engine, f"name ~ {_literal(name[3:12])}") == \
        sorted(n for n in HOSTILE_NAMES if name[3:12].casefold() in n.casefold())
    assert _digest(hostile_store) == before


def test_the_store_keeps_every_row_after_hostile_queries(engine, hostile_store):
    import sqlite3


    before = _digest(hostile_store)
    for text in ["'; DROP TABLE charges; --", "\"; DELETE FROM people; --", "%", "_", "\\",
                 "' OR '1'='1", "1; ATTACH DATABASE 'x' AS y", "\u0000"]:
        for query in [f"charges where offense = {_literal(text)}",
                      f"charges where offense ~ {_literal(text)} or defendant ~ {_literal(text)}",
                      f"people where name in ({_literal(text)}, {_literal(text + text)})",
                      f"statements where quote ~ {_literal(text)} with sources"]:
            try:
                engine.run(query, cap=None)
            except QueryError as error:  # a NUL may be refused, but with a position
                assert error.span is not None
    connection = sqlite3.connect(f"file:{hostile_store}?mode=ro", uri=True)
    try:
        assert connection.execute("SELECT count(*) FROM charges").fetchone()[0] == len(HOSTILE_NAMES)
        assert connection.execute("SELECT count(*) FROM people").fetchone()[0] == len(HOSTILE_NAMES)
    finally:
        connection.close()
    assert _digest(hostile_store) == before


def test_percent_and_underscore_are_ordinary_characters_in_contains(engine):
    assert _names(engine, 'name ~ "%"') == sorted(["Cat_100% Sure", "Per%cent Jones"])
    assert _names(engine, 'name ~ "_"') == sorted(["Cat_100% Sure", "Under_score Lee"])
    assert _names(engine, 'name ~ "a_h"') == []  # "_" is not "any character" ("Slash")
    assert _names(engine, 'name ~ "r%s"') == []  # "%" is not "anything"
    assert _names(engine, 'name ~ "\\\\"') == ["Back\\Slash Smith"]
    assert _names(engine, 'name ~ "/"') == ["/* comment */ Kim"]  # the LIKE escape character


def test_an_offense_full_of_sql_is_matched_literally(engine):

    offense = "theft of 100% of the '; DELETE FROM pleas; -- funds"
    result = engine.run(f"charges where offense = {_literal(offense)} count")
    assert result.rows == [(len(HOSTILE_NAMES),)]
    assert engine.run('charges where offense ~ "\'; delete" count').rows == \
        [(len(HOSTILE_NAMES),)]


@settings(max_examples=200, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(needle=st.text(alphabet="%_\\'\";-/*()=aAeEnNrRsS 01", min_size=1, max_size=6))
def test_contains_and_equals_agree_with_a_plain_python_search(engine, needle):
    from casekb.errors import UnknownNameError

    folded = needle.casefold()
    assert _names(engine, f"name ~ {_literal(needle)}") == \
        sorted(n for n in HOSTILE_NAMES if folded in n.casefold())
    equal = sorted(n for n in HOSTILE_NAMES if folded == n.casefold())
    if equal:
        assert _names(engine, f"name = {_literal(needle)}") == equal
    else:  # a name nobody has is said, not answered with no rows
        with pytest.raises(UnknownNameError):
            _names(engine, f"name = {_literal(needle)}")


# -- casekb sql: writes in disguise --------------------------------------------------------------

DISGUISED_WRITES = [
    "/* harmless */ DELETE FROM pleas",
    "-- a comment\nDROP TABLE charges",
    "DeLeTe FrOm pleas",
    "REPLACE INTO meta (key, value) VALUES ('schema_version', '0')",
    "INSERT OR REPLACE INTO meta VALUES ('a', 'b')",
    "UPDATE meta SET value = '0' WHERE key = 'schema_version'",
    "VACUUM INTO 'copy.sqlite'",
    "VACUUM",
    "REINDEX",
    "ANALYZE",
    "PRAGMA writable_schema = 1",
    "PRAGMA writable_schema = ON",
    "pragma journal_mode = delete",
    "SELECT * FROM pragma_journal_mode('delete')",
    "SELECT * FROM pragma_query_only(0)",
    "ATTACH 'evil.sqlite' AS evil",
    "SELECT 1; ATTACH 'evil.sqlite' AS evil",
    "SELECT 1;\n-- and then\nDELETE FROM pleas",
    "SELECT 1 /* ; */ ; DELETE FROM pleas",
    "SELECT ';' ; DELETE FROM pleas",
    "WITH x AS (SELECT 1) DELETE FROM pleas",
    "WITH RECURSIVE x(n) AS (SELECT 1) UPDATE charges SET counts = 99",
    "WITH x AS (SELECT 1) REPLACE INTO meta VALUES ('k', 'v')",
    "EXPLAIN DELETE FROM pleas",
    "EXPLAIN QUERY PLAN DELETE FROM pleas",
    "SELECT load_extension('libevil')",
    "SELECT LOAD_EXTENSION('libevil', 'entry')",
    "SELECT writefile('evil.txt', 'x')",
    "SELECT readfile('/etc/passwd')",
    "BEGIN; DELETE FROM pleas; COMMIT",
    "SAVEPOINT s",
    "CREATE TEMP TABLE t AS SELECT * FROM charges",
    "CREATE TEMP VIEW v AS SELECT 1",
    "DETACH DATABASE main",
    "VALUES (1); DROP TABLE pleas",
]


@pytest.mark.parametrize("sql", DISGUISED_WRITES)
def test_casekb_sql_refuses_writes_in_every_disguise(hostile_store, sql, monkeypatch, tmp_path):
    from casekb.sql.access import run_sql

    monkeypatch.chdir(tmp_path)  # where a relative ATTACH or VACUUM INTO would create a file
    before = _digest(hostile_store)
    beside = sorted(os.listdir(hostile_store.parent))
    with pytest.raises(CaseKBError) as caught:
        run_sql(sql, str(hostile_store))
    assert caught.value.message.strip()
    assert _digest(hostile_store) == before
    assert sorted(os.listdir(hostile_store.parent)) == beside
    assert os.listdir(tmp_path) == []


def test_the_sql_command_refuses_a_disguised_write_without_a_traceback(hostile_store, run_cli):
    before = _digest(hostile_store)
    result = run_cli("sql", "/* x */ WITH y AS (SELECT 1) DELETE FROM pleas", "--db", hostile_store)
    assert result.code == 1 and result.out == "" and "Traceback" not in result.err
    assert _digest(hostile_store) == before


SQL_PIECES = ["SELECT", "DELETE", "FROM", "pleas", "charges", "meta", "WITH", "x", "AS", "(",
              ")", ";", "--", "/*", "*/", "'", '"', "`", "[", "]", "1", "*", "INSERT", "INTO",
              "VALUES", "PRAGMA", "writable_schema", "=", "ATTACH", "'evil'", "load_extension",
              "UPDATE", "SET", "counts", "EXPLAIN", "RECURSIVE", "UNION", "ALL", "\n", ",",
              "DROP", "TABLE", "REPLACE", "VACUUM", "\x00", "?", ":p", "$x"]


@settings(max_examples=300, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(words=st.lists(st.sampled_from(SQL_PIECES), min_size=1, max_size=12))
def test_any_sql_reads_or_is_refused_and_never_writes(hostile_store, words):
    from casekb.sql.access import run_sql

    before = os.stat(hostile_store).st_mtime_ns, os.stat(hostile_store).st_size
    try:
        run_sql(" ".join(words), str(hostile_store), cap=10, timeout=2)
    except CaseKBError as error:
        assert error.message.strip()
    assert (os.stat(hostile_store).st_mtime_ns, os.stat(hostile_store).st_size) == before
