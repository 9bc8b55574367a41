"""How rows sort by text, on SQLite and on PostgreSQL alike (casekb/lang/compiler.py sort_keys).

Names, case titles, offenses and aliases sort by their casefolded twin (str.casefold, stored
and indexed in the *_folded columns: "ß" as "ss"); other text ignores the case of A-Z only.
Both compare code point by code point. No Python function is called per row on SQLite.
"""

from __future__ import annotations

import shutil
import sqlite3

import pytest

import casekb
from casekb.build.builder import build_store
from casekb.store import location as store
from casekb.store import sqlite as store_sqlite

# Defendants 1-3 and three other people of the Rust store, renamed so that each rule shows:
# "straße" sorts as "strasse" (before "strasz"; lower() would put it after), and "élodie"
# before "Émile" (folding É; A-Z-only folding would put "Émile" first), ties by id.
NAMES = {1: "Émile Blanc", 2: "anna Straße", 3: "Anna Strasz", 4: "élodie Roy", 5: "bOB",
         6: "Bob"}
# Event descriptions (text without a folded twin): "Éclair" before "écho" (only A-Z fold),
# where a Unicode lower() would put "écho" first.
DESCRIPTIONS = {1: "écho", 2: "Alpha", 3: "zeta", 4: "Éclair", 5: "ALPHA", 6: "beta"}


def _rename(connection, placeholder: str) -> None:
    for person, name in NAMES.items():
        connection.execute(f"UPDATE people SET name = {placeholder}, name_folded = {placeholder} "
                           f"WHERE id = {placeholder}", (name, name.casefold(), person))
    for event, text in DESCRIPTIONS.items():
        connection.execute(f"UPDATE events SET description = {placeholder} "
                           f"WHERE id = {placeholder}", (text, event))


@pytest.fixture
def sqlite_store(rust_db, tmp_path):
    path = tmp_path / "renamed.sqlite"
    shutil.copy(rust_db, path)
    with sqlite3.connect(path) as connection:
        _rename(connection, "?")
    connection.close()
    return path


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request, tmp_path):
    if request.param == "sqlite":
        engine = casekb.open(str(request.getfixturevalue("sqlite_store")))
    else:
        url = request.getfixturevalue("pg_url")
        build_store(request.getfixturevalue("seeds_dir"), url)
        from casekb.store import postgres

        writer = postgres.server_engine(store.locate(url), readonly=False)
        with writer.begin() as connection:
            _rename(connection.connection.driver_connection, "%s")
        writer.dispose()
        engine = casekb.open(url)
    yield engine
    engine.close()


def shown(engine, query: str) -> list:
    return [row[0] for row in engine.run(query, cap=None).rows]


def _ascii_caseless(text: str) -> str:
    return text.translate(str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ",
                                        "abcdefghijklmnopqrstuvwxyz"))


def test_names_sort_by_their_casefolded_form(engine):
    names = shown(engine, "people show name order by name")
    ids = {name: person for person, name in NAMES.items()}
    mine = [name for name in names if name in ids]
    assert mine == ["anna Straße", "Anna Strasz", "bOB", "Bob", "élodie Roy", "Émile Blanc"]
    assert names == sorted(names, key=str.casefold)  # the seeds' own names too
    assert shown(engine, "people show name order by name desc")[:2] == ["Émile Blanc",
                                                                       "élodie Roy"]


def test_a_default_order_by_name_sorts_the_same_way(engine):
    # charges: by defendant, then filed, then offense.
    defendants = shown(engine, "charges show defendant")
    assert list(dict.fromkeys(defendants)) == ["anna Straße", "Anna Strasz", "Émile Blanc"]


def test_a_count_sorts_its_groups_as_a_list_does(engine):
    rows = engine.run("count charges by defendant order by defendant", cap=None).rows
    assert [row[0] for row in rows] == ["anna Straße", "Anna Strasz", "Émile Blanc"]
    assert sum(row[1] for row in rows) == len(shown(engine, "charges show defendant"))


def test_other_text_ignores_the_case_of_a_to_z_only(engine):
    descriptions = shown(engine, "events show description order by description")
    mine = [text for text in descriptions if text in DESCRIPTIONS.values()]
    assert mine == ["Alpha", "ALPHA", "beta", "zeta", "Éclair", "écho"]
    assert descriptions == sorted(descriptions, key=_ascii_caseless)


def test_sorting_calls_no_python_function_per_row(sqlite_store, monkeypatch):
    # The store registers a Python lower() (for Unicode matching); an ORDER BY through it
    # called it once per row (173,000 times in "fines of $10,000 or more", 100k cases).
    calls = []

    def counted_lower(value):
        calls.append(value)
        return value.lower() if isinstance(value, str) else value

    monkeypatch.setattr(store_sqlite, "_lower", counted_lower)
    engine = casekb.open(str(sqlite_store))
    try:
        for query in ("charges", "penalties", "people", "defendants", "sources order by id desc",
                      "events order by description", "count charges by defendant",
                      "people order by aliases", "statements with sources"):
            assert engine.run(query, cap=None).rows, query
        assert calls == []
        engine.run('events where description ~ "ÉCHO"', cap=None)
        assert calls, "the counter sees the store's lower() when it is used"
    finally:
        engine.close()


def test_views_sort_as_queries_do_without_casekb(sqlite_store):
    # The views order rows without the store's Python lower(), so plain sqlite3 (or Datasette)
    # lists them in the language's order.
    engine = casekb.open(str(sqlite_store))
    try:
        people = shown(engine, "people show name")
        charges = shown(engine, "charges show defendant")
    finally:
        engine.close()
    plain = sqlite3.connect(f"file:{sqlite_store}?mode=ro", uri=True)
    try:
        assert [name for (name,) in plain.execute("SELECT name FROM v_people")] == people
        assert [name for (name,) in plain.execute("SELECT defendant FROM v_charges")] == charges
    finally:
        plain.close()
