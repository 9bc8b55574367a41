"""The in-process cache of compiled queries (casekb/statementcache.py): a text or a shape asked
again in the same process (REPL, reports, library use) is answered from the SQL compiled the
first time, with the same answer the full path gives."""

from __future__ import annotations

import pytest
from test_querycache import QUERIES, _rendered

from casekb import querycache, statementcache
from casekb.errors import QueryError
from casekb.execute import run_statement
from casekb.lang import compiler
from casekb.store import open_store


@pytest.fixture
def engine(rust_db):
    engine = open_store(str(rust_db))
    yield engine
    engine.dispose()


@pytest.fixture
def compiles(monkeypatch):
    """Counts the queries compiled (casekb.lang.compiler.compile_query calls)."""
    calls = []
    original = compiler.compile_query

    def counted(query):
        calls.append(query)
        return original(query)

    monkeypatch.setattr(compiler, "compile_query", counted)
    return calls


def _fresh(text, engine, cap, monkeypatch):
    with monkeypatch.context() as patch:
        patch.setenv(querycache.ENV_SWITCH, "0")
        return run_statement(text, engine, cap=cap)


@pytest.mark.parametrize("cap", [None, 3])
def test_answers_asked_again_are_the_full_paths_answers(engine, monkeypatch, compiles, cap):
    assert len(QUERIES) >= 20
    for text in QUERIES:
        first = run_statement(text, engine, cap=cap)
        again = run_statement(text, engine, cap=cap)
        fresh = _fresh(text, engine, cap, monkeypatch)
        assert again == first == fresh, text
        assert _rendered(again) == _rendered(fresh), text
    # Each text compiled once with the cache on (and once more on the full path), plus
    # the marker compilations of shapes seen twice among the golden queries.
    with_cache = len(compiles) - len(QUERIES) * 2
    assert 0 <= with_cache < len(QUERIES), "a text asked again was compiled again"


def test_a_text_asked_again_is_not_compiled_again(engine, compiles):
    text = 'charges where defendant = "Alec Baldwin" with sources'
    first = run_statement(text, engine)
    assert len(compiles) == 1
    assert run_statement(text, engine) == first
    assert len(compiles) == 1


def test_a_shape_seen_twice_answers_new_values_without_compiling(engine, monkeypatch,
                                                                 compiles):
    names = ["Alec Baldwin", "Hannah Gutierrez-Reed", "David Halls", "Baldwin"]
    for name in names[:2]:
        run_statement(f'charges where defendant = "{name}" show offense, status', engine)
    compiled_before = len(compiles)
    for name in names[2:]:
        text = f'charges where defendant = "{name}" show offense, status'
        answer = run_statement(text, engine)
        assert answer == _fresh(text, engine, 1000, monkeypatch), name
    # The two fresh answers compiled; the cached ones did not.
    assert len(compiles) == compiled_before + 2
    assert any(row for row in run_statement(
        'charges where defendant = "Baldwin" show offense, status', engine).rows)


def test_the_cache_is_off_with_the_switch(engine, monkeypatch, compiles):
    monkeypatch.setenv(querycache.ENV_SWITCH, "0")
    for _ in range(2):
        run_statement("people show name", engine)
    assert len(compiles) == 2


def test_bad_queries_still_fail_with_their_error(engine):
    run_statement("charges show offense", engine)
    with pytest.raises(QueryError):
        run_statement("charges show ofense", engine)
    with pytest.raises(QueryError):
        run_statement("charges show ofense", engine)


def test_a_remembered_query_reports_a_damaged_store(tmp_path, rust_db):
    from casekb.errors import StoreError

    copy = tmp_path / "store.sqlite"
    copy.write_bytes(rust_db.read_bytes())
    engine = open_store(str(copy))
    run_statement("charges show offense", engine)
    import sqlite3

    with sqlite3.connect(copy) as connection:
        connection.execute("DROP TABLE offenses")
    engine.dispose()
    with pytest.raises(StoreError, match="could not answer"):
        run_statement("charges show offense", engine)


def test_postgres_stores_are_compiled_by_sqlalchemy(pg_url, seeds_dir, compiles):
    from casekb.build import build_store

    build_store(seeds_dir, pg_url)  # compiles the views' queries
    compiles.clear()
    engine = open_store(pg_url)
    try:
        first = run_statement("charges show offense", engine)
        assert run_statement("charges show offense", engine) == first
    finally:
        engine.dispose()
    assert len(compiles) == 2
    assert statementcache.remembered("charges show offense", 1000) is None
