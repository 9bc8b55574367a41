"""Dates in curated files: bounds ({earliest, latest}) checked and stored; the latest day of a
past fact derived from the publication of the first article citing it, marked as derived;
the facts still to come (an expected or scheduled event) left alone."""

from __future__ import annotations

import textwrap

import pytest

from casekb.curation import check_folder

SOURCE = "gazette-2024-03-01"  # the `casekb init` example article, published 2024-03-01


def add(folder, text: str) -> list[str]:
    (folder / "more.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    return [problem.render() for problem in check_folder(folder).problems]


def event(date_line: str, extra: str = "") -> str:
    return f"""\
        [[event]]
        id = "later"
        case = "sample-crash"
        {date_line}
        kind = "hearing"
        description = "A hearing."
        {extra}
        evidence = [{{ source = "{SOURCE}", quote = "said after the hearing" }}]
        """


@pytest.mark.parametrize("date_line, message", [
    ('date = { earliest = "2024-02", latest = "2024-01" }',
     "its earliest day (2024-02) is after its latest (2024-01)"),
    ('date = { after = "2024-01" }', "a date's bounds are 'earliest' and 'latest', not 'after'"),
    ("date = { earliest = 2024-01-01 }", "a bound must be a date string"),
    ("date = {}", "a date with bounds needs at least one of them"),
    ('date = { latest = "2024-13" }', "there is no month 13"),
])
def test_bad_bounds_are_named_with_the_field_and_line(curated_folder, date_line, message):
    problems = add(curated_folder, event(date_line))
    assert len(problems) == 1, problems
    assert problems[0].startswith("more.toml:4: event 'later', field 'date': ")
    assert message in problems[0]


def test_bounds_after_every_article_are_reported_unless_the_event_is_to_come(curated_folder):
    problems = add(curated_folder, event('date = { earliest = "2024-03-02" }'))
    assert len(problems) == 1 and "is after its evidence articles were published" in problems[0]
    assert add(curated_folder, event('date = { earliest = "2024-03-02" }',
                                     'stage = "scheduled"')) == []


def test_bounds_are_stored_and_shown_as_the_days_they_allow(curated_folder, tmp_path, run_cli):
    add(curated_folder, event('date = { earliest = "2023-08", latest = "2024-02" }'))
    store = tmp_path / "s.sqlite"
    assert run_cli("build", curated_folder, "--db", store).code == 0
    result = run_cli("query", "--db", store, "--format", "json",
                     'events where id = "later" show date, derived')
    assert '"date": "2023-08-01/2024-02-29"' in result.out
    assert '"derived": null' in result.out  # its latest day is stated


def test_a_past_fact_without_a_latest_day_gets_the_publication_as_derived(
        curated_folder, tmp_path, run_cli):
    add(curated_folder, event('date = { earliest = "2023-08" }'))
    store = tmp_path / "s.sqlite"
    assert run_cli("build", curated_folder, "--db", store).code == 0
    shown = run_cli("query", "--db", store, "--format", "json",
                    'events where id = "later" show date, derived').out
    assert '"date": "2023-08-01/2024-03-01"' in shown
    assert '"derived": "date.latest"' in shown
    assert '"marks": {"date": "latest derived"}' in shown
    # The undated sentence of the example is "on or before" its article, derived too.
    sentence = run_cli("query", "--db", store, "--format", "json", "sentences show imposed").out
    assert '"imposed": "../2024-03-01"' in sentence
    basis = run_cli("query", "--db", store, "--format", "csv", "--no-header",
                    'inferences where fact = "sentence:sample-sentence" show field, derived, '
                    'basis').out
    assert basis.startswith('imposed.latest,true,"no later than the publication of '
                            f'{SOURCE} (2024-03-01)')


def test_an_expected_or_scheduled_event_gets_no_derived_bound(curated_folder, tmp_path,
                                                              run_cli):
    add(curated_folder, event('date = { earliest = "2024-03-02" }', 'stage = "expected"'))
    store = tmp_path / "s.sqlite"
    assert run_cli("build", curated_folder, "--db", store).code == 0
    shown = run_cli("query", "--db", store, "--format", "json",
                    'events where id = "later" show date, stage, derived').out
    assert '"date": "2024-03-02/.."' in shown and '"stage": "expected"' in shown
    assert '"derived": null' in shown


def test_a_charge_not_said_to_be_closed_gets_no_closing_date(curated_folder, tmp_path, run_cli):
    store = tmp_path / "s.sqlite"
    assert run_cli("build", curated_folder, "--db", store).code == 0
    shown = run_cli("query", "--db", store, "--format", "csv", "--no-header",
                    "charges show id, closed").out
    assert "sample-reckless-driving,\n" in shown  # no date, and no mark
