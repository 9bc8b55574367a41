"""The `disputes` entity: where the sources disagree, listed by the query language."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from casekb.errors import QueryError, UnknownNameError

SEEDS = Path(__file__).resolve().parent.parent / "seeds" / "rust" / "disputes.toml"


@pytest.fixture(scope="module")
def rust_engine(rust_db):
    import casekb

    engine = casekb.open(str(rust_db))
    yield engine
    engine.close()


def _rows(engine, query: str) -> list[tuple]:
    return [tuple(row) for row in engine.run(query, cap=None).rows]


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
    with pytest.raises(UnknownNameError):  # a case nobody knows is not "no disputes"
        _rows(rust_engine, 'disputes where case = "nothing like it"')
    assert _rows(rust_engine, 'dispute where subject ~ "PLEA" show id') == [("halls-plea",)]
    assert _rows(rust_engine, 'disputes where claims = "plea:halls-plea-guilty" show id') == [
        ("halls-plea",)]


def test_disputes_with_sources_gives_each_claims_evidence(rust_engine):
    result = rust_engine.run('disputes where id = "halls-plea" with sources', cap=None)
    assert len(result.rows) == 1
    evidence = result.evidence[0]
    # The guilty plea's article first (claims in curated order), then the no-contest one,
    # each quote with the claim it backs.
    assert [item.claim for item in evidence] == ["plea:halls-plea-guilty",
                                                 "plea:halls-plea-no-contest"]
    assert "agreed to plead guilty" in evidence[0].quote
    assert "plea of no contest" in evidence[1].quote


def test_disputes_have_no_as_of(rust_engine):
    with pytest.raises(QueryError):
        rust_engine.run("disputes as of 2024", cap=None)


def test_claims_are_named_by_their_curated_kind_whatever_their_table():
    from casekb.curation import spec
    from casekb.schema.declaration import fact_tables, kind_of_table

    assert {kind_of_table(name) for name in fact_tables()} == set(spec.CLAIMABLE_KINDS)
    # An alias is stored in one of two tables, and claimed as "alias:..." from either.
    assert kind_of_table("person_aliases") == kind_of_table("case_aliases") == "alias"


def test_a_claim_is_shown_as_it_was_curated(curated_folder, tmp_path):
    """An alias claimed by a dispute is `alias:ID`, as curated, whichever table holds it."""
    import casekb
    from casekb.build.builder import build_store

    (curated_folder / "alias-dispute.toml").write_text(
        '[[dispute]]\nid = "sample-spelling"\nsubject = "the defendant\'s name"\n'
        'claims = ["alias:jon-sample", "person:john-sample"]\n', encoding="utf-8")
    db = tmp_path / "store.sqlite"
    build_store(curated_folder, str(db))
    with casekb.open(str(db)) as kb:
        [(claims,)] = _rows(kb, 'disputes where id = "sample-spelling" show claims')
    assert sorted(claims) == ["alias:jon-sample", "person:john-sample"]
