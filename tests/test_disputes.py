"""The `disputes` entity: where the sources disagree, listed by the query language."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from casekb.errors import QueryError
from casekb.execute import run_statement
from casekb.lang import registry

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "rust" / "disputes.toml"


@pytest.fixture(scope="module")
def rust_engine(rust_db):
    engine = create_engine(f"sqlite:///{rust_db}")
    yield engine
    engine.dispose()


def _rows(engine, query: str) -> list[tuple]:
    return [tuple(row) for row in run_statement(query, engine, cap=None).rows]


def test_disputes_lists_the_curated_disputes_with_their_claims(rust_engine):
    curated = tomllib.loads(SEEDS.read_text(encoding="utf-8"))["dispute"]
    assert len(curated) == 5
    rows = _rows(rust_engine, "disputes show id, subject, claims")
    assert [(key, subject) for key, subject, _ in rows] == [
        (d["id"], d["subject"]) for d in sorted(curated, key=lambda d: d["id"])]
    for (key, _, claims), dispute in zip(rows, sorted(curated, key=lambda d: d["id"])):
        assert sorted(claims) == sorted(dispute["claims"]), key
    assert _rows(rust_engine, "count disputes") == [(5,)]


def test_disputes_filter_by_case_subject_and_claims(rust_engine):
    assert len(_rows(rust_engine, 'disputes where case = "Rust"')) == 5
    assert _rows(rust_engine, 'disputes where case = "nothing like it"') == []
    assert _rows(rust_engine, 'dispute where subject ~ "PLEA" show id') == [("halls-plea",)]
    assert _rows(rust_engine, 'disputes where claims = "plea:halls-plea-guilty" show id') == [
        ("halls-plea",)]


def test_disputes_with_sources_gives_each_claims_evidence(rust_engine):
    result = run_statement('disputes where id = "halls-plea" with sources', rust_engine, cap=None)
    assert len(result.rows) == 1
    quotes = [repr(item) for item in result.evidence[0]]
    # The guilty plea's two articles first (claims in curated order), then the no-contest one.
    assert len(quotes) == 3
    assert "agreed to plead guilty" in quotes[0] and "plea of no contest" in quotes[2]


def test_disputes_have_no_as_of(rust_engine):
    with pytest.raises(QueryError):
        run_statement("disputes as of 2024", rust_engine, cap=None)


def test_every_fact_table_has_a_claim_kind():
    from casekb.schema.declaration import fact_tables

    assert {table.name for _, table in registry._FACT_KINDS} >= set(fact_tables())


@pytest.mark.xfail(strict=True, reason="the language names a claim's kind after its table "
                   "(casekb/lang/registry.py _FACT_KINDS) instead of "
                   "casekb.schema.declaration.kind_of_table; the query pipeline's rewrite "
                   "switches it")
def test_a_claim_is_shown_as_it_was_curated(curated_folder, tmp_path):
    """An alias claimed by a dispute is `alias:ID`, as curated, whichever table holds it."""
    from casekb.build import build_store

    (curated_folder / "alias-dispute.toml").write_text(
        '[[dispute]]\nid = "sample-spelling"\nsubject = "the defendant\'s name"\n'
        'claims = ["alias:jon-sample", "person:john-sample"]\n', encoding="utf-8")
    db = tmp_path / "store.sqlite"
    build_store(curated_folder, str(db))
    engine = create_engine(f"sqlite:///{db}")
    try:
        [(claims,)] = _rows(engine, 'disputes where id = "sample-spelling" show claims')
        assert sorted(claims) == ["alias:jon-sample", "person:john-sample"]
    finally:
        engine.dispose()
