"""The compiled-query cache (casekb/querycache.py): the same answers, without lark or
SQLAlchemy, never stale, and out of the way when anything is wrong."""

from __future__ import annotations

import io
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from casekb import querycache
from casekb.execute import DEFAULT_CAP, run_statement
from casekb.render import render

REPO = Path(__file__).resolve().parent.parent


def _golden_queries() -> list[str]:
    text = (REPO / "tests" / "golden" / "sql.txt").read_text(encoding="utf-8")
    return [line[4:].replace("\\n", "\n") for line in text.splitlines() if line.startswith("### ")]


QUERIES = _golden_queries()


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEKB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(querycache.ENV_SWITCH, raising=False)
    return tmp_path / "home" / querycache.CACHE_FOLDER


def _opener(db):
    from casekb.store import open_store

    return lambda: open_store(str(db))


def _rendered(outcome) -> list[str]:
    out = []
    for fmt in ("json", "csv", "table"):
        buffer = io.StringIO()
        render(outcome, fmt, buffer)
        out.append(buffer.getvalue())
    return out


@pytest.mark.parametrize("cap", [None, 3])
def test_cached_answers_are_the_same_as_fresh_ones(rust_db, cache_home, cap):
    assert len(QUERIES) >= 20
    for query in QUERIES:
        fresh = run_statement(query, _opener(rust_db)(), cap=cap)
        first = querycache.run_statement_cached(query, str(rust_db), cap=cap,
                                                open_store=_opener(rust_db))
        key = querycache._key(query, cap)
        cached = querycache.cached_answer(key, str(rust_db), cap)
        assert cached is not None, query
        for outcome in (first, cached):
            assert [c.name for c in outcome.columns] == [c.name for c in fresh.columns]
            assert outcome.rows == fresh.rows, query
            assert outcome.evidence == fresh.evidence, query
            assert outcome.truncated == fresh.truncated
            assert _rendered(outcome) == _rendered(fresh), query


def test_a_second_run_needs_neither_lark_nor_sqlalchemy(rust_db, tmp_path):
    script = (
        "import sys, io, contextlib\n"
        "from casekb.cli import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    code = main(['query', 'charges where defendant = \"Alec Baldwin\"', '--db', {str(rust_db)!r}, '-f', 'json'])\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'lark', 'casekb.lang._standalone_parser')\n"
        "               if m in sys.modules)\n"
        "print(code, heavy, len(out.getvalue()))\n")
    env = {"CASEKB_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}
    runs = [subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                           env=env, check=True).stdout.split(" ", 1) for _ in range(2)]
    assert runs[0][0] == runs[1][0] == "0"
    # The first run parses (the generated parser) and compiles (casekb.lang.sqlite_sql), with
    # neither lark nor SQLAlchemy.
    assert runs[0][1].startswith("['casekb.lang._standalone_parser']")
    assert runs[1][1].startswith("[]")  # the second does not
    assert runs[0][1].rsplit(" ", 1)[1] == runs[1][1].rsplit(" ", 1)[1]  # the same output


def test_a_change_to_the_language_files_misses(rust_db, cache_home, monkeypatch):
    query = "count charges by status"
    querycache.run_statement_cached(query, str(rust_db), cap=None, open_store=_opener(rust_db))
    assert querycache.cached_answer(querycache._key(query, None), str(rust_db), None)
    stamps = querycache._fingerprint()
    grammar = [stamp for stamp in stamps if stamp[0] == "casekb.lark"]
    assert grammar, "the grammar takes part in the key"
    edited = [[name, size, (mtime or 0) + 1] for name, size, mtime in stamps]
    monkeypatch.setattr(querycache, "_fingerprint", lambda: edited)
    assert querycache.cached_answer(querycache._key(query, None), str(rust_db), None) is None


def test_the_cap_and_the_text_are_part_of_the_key():
    assert querycache._key("cases", 5) != querycache._key("cases", 6)
    assert querycache._key("cases", None) != querycache._key("cases ", None)


def test_a_faulty_store_gives_the_usual_error_even_when_cached(rust_db, tmp_path, cache_home,
                                                               run_cli):
    store = tmp_path / "store.sqlite"
    shutil.copyfile(rust_db, store)
    assert run_cli("query", "count charges", "--db", store).code == 0
    assert run_cli("query", "count charges", "--db", store).code == 0  # from the cache
    store.write_bytes(b"not a database" * 100)
    result = run_cli("query", "count charges", "--db", store)
    assert result.code == 3 and "is not a SQLite database" in result.err
    store.unlink()
    result = run_cli("query", "count charges", "--db", store)
    assert result.code == 3 and result.err.startswith(f"no casekb store at {store}")


def test_explain_and_describe_are_not_cached(rust_db, cache_home, run_cli):
    for query in ("explain charges", "describe charges"):
        assert run_cli("query", query, "--db", rust_db).code == 0
    assert not cache_home.exists() or list(cache_home.iterdir()) == []


def test_a_query_with_sources_is_cached_with_its_evidence(rust_db, cache_home, run_cli):
    query = 'statements where speaker = "Mickey Rourke" with sources'
    first = run_cli("query", query, "--db", rust_db, "-f", "json")
    assert first.code == 0 and len(list(cache_home.iterdir())) == 2  # its text and its shape
    cached = querycache.cached_answer(querycache._key(query, DEFAULT_CAP), str(rust_db),
                                      DEFAULT_CAP)
    assert cached is not None and cached.evidence and all(cached.evidence)
    assert run_cli("query", query, "--db", rust_db, "-f", "json").out == first.out


def test_the_cache_can_be_turned_off(rust_db, cache_home, run_cli, monkeypatch):
    monkeypatch.setenv(querycache.ENV_SWITCH, "0")
    assert run_cli("query", "cases", "--db", rust_db).code == 0
    assert not cache_home.exists()


def test_an_unwritable_cache_only_costs_speed(rust_db, cache_home, run_cli):
    cache_home.parent.mkdir(parents=True)
    cache_home.write_text("a file where the folder should be")
    first = run_cli("query", "cases", "--db", rust_db, "-f", "json")
    second = run_cli("query", "cases", "--db", rust_db, "-f", "json")
    assert first.code == second.code == 0 and first.out == second.out
    assert json.loads(first.out)


def test_a_damaged_cache_entry_is_ignored(rust_db, cache_home, run_cli):
    assert run_cli("query", "people", "--db", rust_db, "-f", "json").code == 0
    for entry in cache_home.iterdir():
        entry.write_text("{not json")
    result = run_cli("query", "people", "--db", rust_db, "-f", "json")
    assert result.code == 0 and json.loads(result.out)


def test_the_cache_keeps_a_bounded_number_of_entries(rust_db, cache_home, monkeypatch):
    monkeypatch.setattr(querycache, "MAX_ENTRIES", 3)
    for n in range(6):
        querycache.run_statement_cached(f"charges limit {n + 1}", str(rust_db), cap=None,
                                        open_store=_opener(rust_db))
    assert len([p for p in cache_home.iterdir() if p.suffix == ".json"]) == 3
