"""The synthetic corpus generator (bench/corpus.py): valid, buildable, reproducible."""

from __future__ import annotations

import importlib.util
import sqlite3
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _load_corpus_module():
    # bench/ is not part of the installed package; load the script from the checkout.
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


corpus = _load_corpus_module()


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def small(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("corpus") / "c40"
    corpus.generate(folder, 40, seed=7, jurisdictions=3)
    return folder


def test_a_generated_corpus_passes_check(small):
    from casekb.curation import check_folder

    result = check_folder(small)
    assert result.problems == []
    counts = result.counts
    assert counts["case"] == 40
    # Every kind of record the issue lists shows up in a corpus of this size.
    for kind in ("person", "alias", "role", "offense", "charge", "status", "plea", "verdict",
                 "sentence", "penalty", "event", "statement", "enhancement"):
        assert counts[kind] > 0, kind


def test_the_cli_check_accepts_it(small, run_cli):
    result = run_cli("check", small)
    assert result.code == 0, result.err
    assert "all found" in result.out + result.err


def test_a_generated_corpus_builds(small, tmp_path):
    from casekb.build.builder import build_store

    report = build_store(small, str(tmp_path / "synth.sqlite"))
    connection = sqlite3.connect(tmp_path / "synth.sqlite")
    try:
        cases = connection.execute("SELECT count(*) FROM cases").fetchone()[0]
        defendants = connection.execute(
            "SELECT count(*) FROM roles WHERE role = 'defendant'").fetchone()[0]
        per_case = connection.execute(
            "SELECT max(n), min(n) FROM (SELECT count(*) AS n FROM roles WHERE role = "
            "'defendant' GROUP BY case_id)").fetchone()
        components = connection.execute(
            "SELECT max(n) FROM (SELECT count(*) AS n FROM penalties WHERE sentence_id IS NOT "
            "NULL GROUP BY sentence_id)").fetchone()[0]
        precisions = {p for (p,) in connection.execute(
            "SELECT DISTINCT filed_precision FROM charges")}
    finally:
        connection.close()
    assert cases == 40 and report.rows["cases"] == 40
    assert defendants >= 40
    assert per_case[1] >= 1 and per_case[0] <= 5
    assert components >= 2  # sentences with several penalty components
    assert precisions == {"day", "month", "year"}


def test_the_same_seed_gives_byte_identical_files(small, tmp_path):
    again = tmp_path / "again"
    corpus.generate(again, 40, seed=7, jurisdictions=3)
    assert _files(again) == _files(small)


def test_another_seed_gives_another_corpus(small, tmp_path):
    other = tmp_path / "other"
    corpus.generate(other, 40, seed=8, jurisdictions=3)
    assert _files(other) != _files(small)


def test_a_smaller_corpus_is_the_start_of_a_larger_one(small, tmp_path):
    fewer = tmp_path / "fewer"
    corpus.generate(fewer, 15, seed=7, jurisdictions=3)
    larger = _files(small)
    for name, data in _files(fewer).items():
        if name.startswith("articles/"):
            assert larger[name] == data, name
    # The first file holds cases 0-99; its first 15 cases are the smaller corpus's file.
    assert larger["cases/00000.toml"].startswith(_files(fewer)["cases/00000.toml"].rstrip(b"\n"))


def test_quotes_really_occur_in_the_generated_articles(small):
    # The corpus must exercise the full validator: spoil one quote and check must notice.
    from casekb.curation import check_folder

    case_file = small / "cases" / "00000.toml"
    original = case_file.read_bytes()
    try:
        spoiled = original.replace(b"was named in court papers", b"was named in court filings", 1)
        assert spoiled != original
        case_file.write_bytes(spoiled)
        problems = check_folder(small).problems
        assert len(problems) == 1
        assert problems[0].field.endswith(".quote") and problems[0].file == "cases/00000.toml"
    finally:
        case_file.write_bytes(original)


def test_toml_strings_round_trip_any_text():
    import tomllib

    text = 'a "quoted" \\ back\tslash\nnew line \x00 nul \x7f del \u2019 curly \U0001f600'
    assert tomllib.loads("v = " + corpus.toml_string(text))["v"] == text


def test_the_command_line_writes_a_corpus(tmp_path, capsys):
    assert corpus.main([str(tmp_path / "cli"), "--cases", "3", "--seed", "1"]) == 0
    assert "3 cases" in capsys.readouterr().err
    assert (tmp_path / "cli" / "cases" / "00000.toml").is_file()


def test_fewer_jurisdictions_keep_every_case_inside_them(tmp_path):
    from casekb.curation import check_folder

    corpus.generate(tmp_path / "two", 10, seed=1, jurisdictions=2)
    result = check_folder(tmp_path / "two", keep_records=True)
    assert result.problems == []
    states = {record.values["jurisdiction"] for record in result.curated.records["case"]}
    assert states <= set(corpus.JURISDICTIONS[:2])
    assert len(result.curated.records["offense"]) == 2 * len(corpus.OFFENSES)


def test_people_titles_and_offenses_repeat_as_in_real_records(tmp_path):
    # Look-ups on the bench's corpus must meet the repetition of real stores: one person
    # charged in several cases, a common title shared by many cases while most titles name
    # one case, some offenses far more often charged than others.
    import tomllib
    from collections import Counter

    corpus.generate(tmp_path / "c300", 300, seed=5, jurisdictions=3)
    records: dict[str, list[dict]] = {}
    for path in sorted((tmp_path / "c300" / "cases").glob("*.toml")):
        for kind, items in tomllib.loads(path.read_text(encoding="utf-8")).items():
            records.setdefault(kind, []).extend(items)
    people = {person["id"] for person in records["person"]}
    cases_of = Counter(role["person"] for role in records["role"] if role["role"] == "defendant")
    assert set(cases_of) <= people  # a repeat defendant is the person an earlier case recorded
    assert sum(1 for n in cases_of.values() if n > 1) >= 10
    titles = Counter(case["title"] for case in records["case"])
    assert titles.most_common(1)[0][1] >= 5  # "State v. Smith"
    assert sum(1 for n in titles.values() if n == 1) >= len(records["case"]) / 2
    offenses = Counter(charge["offense"].split("-", 1)[1] for charge in records["charge"])
    ranked = [n for _, n in offenses.most_common()]
    assert ranked[0] >= 3 * ranked[len(ranked) // 2]
