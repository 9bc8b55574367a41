"""The stage of a fact, statuses as last reported, charges replaced, and what the schema
could not say before: groups and unnamed speakers, statements about several people,
penalties of unstated kind or bound, bounds an enhancement carries, a verdict's findings."""

from __future__ import annotations

import json
import textwrap

import pytest

from casekb.curation import check_folder

SOURCE = "gazette-2024-03-01"
LATER = "gazette-2024-06-01"


def add(folder, text: str) -> list[str]:
    (folder / "more.toml").write_text(textwrap.dedent(text).replace("SOURCE", SOURCE),
                                      encoding="utf-8")
    return [problem.render() for problem in check_folder(folder).problems]


def with_later_article(folder) -> None:
    """A second article, of June 2024, saying the reckless driving charge was refiled."""
    (folder / "articles" / "later.txt").write_text(
        "June 1, 2024. Prosecutors refiled the reckless driving charge against John Q. Sample "
        "on Monday, a new count replacing the old one. Sample's lawyers said they would fight "
        "it. One reader wrote that the case was a waste of money.\n", encoding="utf-8")
    with (folder / "sources.toml").open("a", encoding="utf-8") as sources:
        sources.write(f'\n[[source]]\nid = "{LATER}"\nfile = "articles/later.txt"\n'
                      'published = "2024-06-01"\n')


@pytest.fixture
def store(curated_folder, tmp_path, run_cli):
    with_later_article(curated_folder)
    assert add(curated_folder, f"""\
        [[charge]]
        id = "refiled"
        case = "sample-crash"
        defendant = "john-sample"
        offense = "ex-reckless-driving"
        replaces = "sample-reckless-driving"
        filed = "2024-05"
        inferred.filed = "'on Monday' before the article of Saturday 1 June 2024"
        evidence = [{{ source = "{LATER}", quote = "Prosecutors refiled the reckless driving charge against John Q. Sample" }}]

        [[status]]
        id = "refiled-pending"
        charge = "refiled"
        status = "pending"
        evidence = [{{ source = "{LATER}", quote = "a new count replacing the old one" }}]

        [[person]]
        id = "sample-lawyers"
        name = "Sample's lawyers"
        kind = "group"
        evidence = [{{ source = "{LATER}", quote = "Sample's lawyers said they would fight it" }}]

        [[person]]
        id = "a-reader"
        name = "one reader"
        kind = "unnamed"
        evidence = [{{ source = "{LATER}", quote = "One reader wrote that the case was a waste" }}]

        [[statement]]
        id = "lawyers-fight"
        case = "sample-crash"
        speaker = "sample-lawyers"
        about = ["john-sample", "maria-example"]
        stance = "supportive"
        quote = "they would fight it"
        evidence = [{{ source = "{LATER}", quote = "Sample's lawyers said they would fight it" }}]
        """) == []
    path = tmp_path / "s.sqlite"
    assert run_cli("build", curated_folder, "--db", path).code == 0
    return path


def rows(run_cli, store, query: str) -> list[dict]:
    result = run_cli("query", "--db", store, "--format", "json", query)
    assert result.code == 0, result.err
    return json.loads(result.out)


def test_a_status_says_when_it_was_last_reported(store, run_cli):
    found = {row["id"]: row["status"] for row in rows(run_cli, store,
                                                      "charges show id, status")}
    assert found["sample-reckless-driving"] == {"value": "convicted", "last": "convicted",
                                                "reported": "2024-03-01"}
    assert found["refiled"] == {"value": "pending", "last": "pending", "reported": "2024-06-01"}
    table = run_cli("query", "--db", store, "--format", "csv", "--no-header",
                    'charges where id = "refiled" show status').out
    assert table == '"pending, as last reported 2024-06-01"\n'


def test_as_of_after_the_last_report_does_not_assert_the_status(store, run_cli):
    found = {row["id"]: row["status"] for row in rows(
        run_cli, store, "charges as of 2024-04 show id, status")}
    assert found["sample-reckless-driving"] == {
        "value": None, "last": "convicted", "reported": "2024-03-01"}
    text = run_cli("query", "--db", store, "--format", "csv", "--no-header",
                   'charges where id = "sample-reckless-driving" as of 2024-04 show status').out
    assert text == "not reported after 2024-03-01 (then convicted)\n"
    # Not asserted, so not matched either: an unknown status matches no comparison.
    assert rows(run_cli, store, 'charges where status = "convicted" as of 2024-04 show id') == []
    within = rows(run_cli, store, 'charges where status = "convicted" as of 2024-03-01 show id')
    assert [row["id"] for row in within] == ["sample-reckless-driving"]


def test_a_replaced_charge_is_linked_and_no_longer_in_force(store, run_cli):
    found = {row["id"]: row for row in rows(
        run_cli, store, "charges show id, replaces, replaced_by, in_force")}
    assert found["refiled"]["replaces"] == "sample-reckless-driving"
    assert found["sample-reckless-driving"]["replaced_by"] == ["refiled"]
    assert found["refiled"]["in_force"] is True
    assert found["sample-reckless-driving"]["in_force"] is False
    assert found["sample-leaving-the-scene"]["in_force"] is False  # closed
    # In force on a date: filed by then, and not replaced by a charge filed by then.
    before = [row["id"] for row in rows(run_cli, store, "charges as of 2024-04 show id")]
    after = [row["id"] for row in rows(run_cli, store, "charges as of 2024-05 show id")]
    assert "sample-reckless-driving" in before and "refiled" not in before
    assert "sample-reckless-driving" not in after and "refiled" in after


def test_in_force_as_of_a_date_is_whether_the_charge_stood_then(store, run_cli):
    def in_force(when: str) -> dict[str, bool]:
        return {row["id"]: row["in_force"] for row in rows(
            run_cli, store, f"charges as of {when} show id, in_force")}

    # Filed in August 2023, convicted and dismissed on 29 February 2024: both stood in
    # December 2023, though neither stands as last reported.
    assert in_force("2023-12") == {"sample-leaving-the-scene": True,
                                   "sample-reckless-driving": True}
    # The day of the conviction and the dismissal (the dismissed charge closed that day is
    # still listed, as `as of` keeps a charge not closed before the date).
    assert in_force("2024-02-29") == {"sample-leaving-the-scene": False,
                                      "sample-reckless-driving": False}
    # After every report, as of a date is as last reported, for the charges it lists.
    latest = {row["id"]: row["in_force"] for row in rows(run_cli, store,
                                                         "charges show id, in_force")}
    assert in_force("2100") == {"refiled": True} == {
        key: value for key, value in latest.items() if key == "refiled"}
    # The field and the test agree on every date.
    for when in ("2023-07", "2023-08", "2023-12", "2024-02-29", "2024-03", "2024-05", "2100"):
        kept = [row["id"] for row in rows(run_cli, store,
                                          f"charges where in_force = true as of {when} show id")]
        assert sorted(kept) == sorted(key for key, value in in_force(when).items() if value)


def test_groups_unnamed_speakers_and_statements_about_several(store, run_cli):
    people = {row["name"]: row["kind"] for row in rows(run_cli, store, "people")}
    assert people["Sample's lawyers"] == "group" and people["one reader"] == "unnamed"
    assert people["John Q. Sample"] == "person"
    said = rows(run_cli, store, 'statements where speaker = "sample-lawyers"')
    assert said[0]["about"] == ["John Q. Sample", "Maria Example"]
    for about in ("John Q. Sample", "Maria Example"):
        found = rows(run_cli, store, f'statements where about = "{about}" show id')
        assert "lawyers-fight" in [row["id"] for row in found]


def test_stages_have_defaults_and_agreed_deals_may_precede_the_filing(curated_folder, run_cli):
    assert add(curated_folder, """\
        [[plea]]
        id = "early-deal"
        charge = "sample-reckless-driving"
        plea = "guilty"
        stage = "agreed"
        entered = "2023-07"
        evidence = [{ source = "SOURCE", quote = "as part of a plea agreement" }]
        """) == []
    problems = add(curated_folder, """\
        [[plea]]
        id = "early-plea"
        charge = "sample-reckless-driving"
        plea = "guilty"
        entered = "2023-07"
        evidence = [{ source = "SOURCE", quote = "as part of a plea agreement" }]
        """)
    assert len(problems) == 1
    assert "2023-07 is before the filed date (2023-08) of its charge" in problems[0]
    bad = add(curated_folder, """\
        [[plea]]
        id = "odd"
        charge = "sample-reckless-driving"
        plea = "guilty"
        stage = "imposed"
        evidence = [{ source = "SOURCE", quote = "as part of a plea agreement" }]
        """)
    assert len(bad) == 1 and "'imposed' is not a valid stage" in bad[0]
    assert "one of: agreed, entered" in bad[0]


def test_every_fact_has_its_stage_in_the_store(curated_folder, tmp_path, run_cli):
    store = tmp_path / "s.sqlite"
    assert run_cli("build", curated_folder, "--db", store).code == 0
    for entity in ("charges", "pleas", "sentences", "events"):
        stages = {row["stage"] for row in rows(run_cli, store, f"{entity} show stage")}
        assert stages and None not in stages, entity


@pytest.mark.parametrize("owner, bound, message", [
    ('sentence = "sample-sentence"', "maximum", "a penalty of a sentence is 'imposed', not "
                                                "'maximum'"),
    ('offense = "ex-reckless-driving"', "imposed", "a penalty of an offense is 'maximum' or "
                                                    "'minimum' or 'unstated', not 'imposed'"),
    ('enhancement = "sample-reckless-driving-repeat-offender"', "imposed",
     "a penalty of an enhancement is 'maximum' or 'minimum' or 'unstated'"),
])
def test_a_penalty_bound_fits_its_owner(curated_folder, owner, bound, message):
    problems = add(curated_folder, f"""\
        [[penalty]]
        id = "p"
        {owner}
        kind = "jail"
        bound = "{bound}"
        evidence = [{{ source = "SOURCE", quote = "a maximum penalty of 90 days in jail" }}]
        """)
    assert len(problems) == 1 and message in problems[0], problems


def test_unstated_penalties_and_an_enhancements_mandatory_minimum(curated_folder, tmp_path,
                                                                  run_cli):
    assert add(curated_folder, """\
        [[penalty]]
        id = "subject-to"
        charge = "sample-reckless-driving"
        kind = "unstated"
        bound = "unstated"
        amount = "$500"
        evidence = [{ source = "SOURCE", quote = "a $500 fine" }]

        [[penalty]]
        id = "repeat-minimum"
        enhancement = "sample-reckless-driving-repeat-offender"
        kind = "jail"
        bound = "minimum"
        mandatory = true
        amount = "90 days"
        evidence = [{ source = "SOURCE", quote = "a maximum penalty of 90 days in jail" }]
        """) == []
    store = tmp_path / "s.sqlite"
    assert run_cli("build", curated_folder, "--db", store).code == 0
    found = {row["id"]: row for row in rows(
        run_cli, store, "penalties show id, kind, bound, level, mandatory, defendant, enhancement")}
    assert found["subject-to"]["kind"] == "unstated" == found["subject-to"]["bound"]
    minimum = found["repeat-minimum"]
    assert minimum["level"] == "enhancement" and minimum["mandatory"] is True
    assert minimum["defendant"] == "John Q. Sample"  # through the enhancement's charge
    assert minimum["enhancement"] == "sample-reckless-driving-repeat-offender"


def test_findings_are_the_articles_words(curated_folder):
    def verdict(findings: str) -> list[str]:
        return add(curated_folder, f"""\
            [[verdict]]
            id = "v"
            charge = "sample-leaving-the-scene"
            outcome = "dismissed"
            findings = "{findings}"
            evidence = [{{ source = "SOURCE", quote = "The second charge was dismissed" }}]
            """)

    assert verdict("dismissed as part of a plea agreement") == []
    problems = verdict("dismissed for lack of evidence")
    assert len(problems) == 1
    assert "field 'findings': the verdict's findings is in none of its evidence articles" \
        in problems[0]
