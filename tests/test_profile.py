"""Person profiles and case timelines (casekb/profiles/, `casekb profile`, `casekb timeline`).

The curated Rust case is the ground truth: Alec Baldwin has two involuntary manslaughter
charges (2 counts filed 2023-01-19; 1 count filed 2024-01 with a not-guilty plea), Dave Halls
("David Halls" in some articles) pleaded guilty in a plea agreement and was sentenced.
"""

from __future__ import annotations

import json
import re

import pytest

from casekb.errors import EXIT_UNKNOWN_NAME, QueryError
from casekb.profiles import build_profile, build_timeline
from casekb.profiles.text import write_profile_text, write_timeline_text


@pytest.fixture(scope="module")
def engine(rust_db):
    """The Rust store, open (a KB; the name is the one tests/test_postgres.py overrides)."""
    import casekb

    with casekb.open(str(rust_db)) as kb:
        yield kb


# -- profile: the data -----------------------------------------------------------------

def test_profile_gathers_roles_charges_pleas_and_penalties(engine):
    profile = build_profile(engine, "Alec Baldwin")
    assert profile.name == "Alec Baldwin"
    assert profile.aliases == ["Alec", "Baldwin", "Balwin"]
    assert {(r.role, r.title) for r in profile.roles} == {("defendant", "actor"),
                                                           ("other", "producer")}
    assert [(c.offense, c.counts, str(c.filed)) for c in profile.charges] == [
        ("involuntary manslaughter", 2, "2023-01-19"),
        ("involuntary manslaughter", 1, "2024-01")]
    first, second = profile.charges
    assert first.enhancements == ["firearm"]
    assert first.pleas == []
    assert [(p.plea, p.stage, str(p.entered)) for p in second.pleas] == [
        ("not guilty", "entered", "2024-01")]
    # "earlier this year", in March 2024; the jurisdiction, from the prosecutors' state.
    assert second.marks == {"filed": "inferred", "jurisdiction": "inferred"}
    # The firearm enhancement's mandatory minimum, and the law's maxima for the offense.
    minimum = [p for p in first.penalties if p.level == "enhancement"]
    assert [(p.bound, p.kind, p.amount.text, p.mandatory) for p in minimum] == [
        ("minimum", "imprisonment", "five years", True)]
    law = {(p.bound, p.kind, p.amount.text) for p in second.penalties if p.level == "offense"}
    assert ("maximum", "jail", "18 months") in law
    assert all(p.level not in ("charge", "enhancement") for p in second.penalties)
    assert (first.stage, first.replaced_by, second.replaces) == (
        "announced", ("baldwin-manslaughter-2024",), "baldwin-manslaughter-2023")


def test_profile_of_a_convicted_defendant_has_verdict_and_sentence_terms(engine):
    profile = build_profile(engine, "Dave Halls")
    (charge,) = profile.charges
    assert charge.status.value == "convicted"
    assert str(charge.status.reported) == "2024-03-07/2024-03-31"  # article 000
    assert {(p.plea, p.agreement) for p in charge.pleas} == {("guilty", True),
                                                             ("no contest", None)}
    assert [(v.outcome, v.decided_by) for v in charge.verdicts] == [("convicted", "plea")]
    terms = {(p.kind, p.amount.text if p.amount else None)
             for s in charge.sentences for p in s.penalties}
    assert ("fine", "$500") in terms and ("community service", "24 hours") in terms


def test_statements_by_and_about_are_kept_apart(engine):
    profile = build_profile(engine, "Alec Baldwin")
    assert profile.statements_by and all(s.speaker == "Alec Baldwin"
                                         for s in profile.statements_by)
    assert profile.statements_about
    assert all("Alec Baldwin" in s.about and s.speaker != "Alec Baldwin"
               for s in profile.statements_about)
    assert any(s.speaker == "Mickey Rourke" for s in profile.statements_about)
    said = [s.said.start for s in profile.statements_about if s.said]
    assert said == sorted(said)


def test_every_citation_points_at_a_listed_source(engine):
    profile = build_profile(engine, "Alec Baldwin")
    keys = {source.key for source in profile.sources}
    assert [s.number for s in profile.sources] == list(range(1, len(profile.sources) + 1))
    cited = [c for charge in profile.charges for c in charge.cited]
    cited += [c for s in profile.statements_by + profile.statements_about for c in s.cited]
    cited += [c for role in profile.roles for c in role.cited]
    assert cited and {c.source for c in cited} <= keys
    assert all(c.quote for c in cited)


@pytest.mark.parametrize("spelling", ["David Halls", "dave halls", "  Dave   Halls ", "HALLS",
                                      "dave-halls"])
def test_names_match_other_spellings_and_any_case(engine, spelling):
    assert build_profile(engine, spelling).name == "David Halls"


def test_unknown_name_suggests_the_nearest(engine):
    with pytest.raises(QueryError) as caught:
        build_profile(engine, "Alec Baldwn")
    assert "no person called “Alec Baldwn”" in caught.value.message
    assert caught.value.hints == ["did you mean “Alec Baldwin”?"]
    with pytest.raises(QueryError) as caught:
        build_profile(engine, "Davd Halls")
    assert caught.value.hints == ["did you mean “David Halls”?"]
    with pytest.raises(QueryError) as caught:
        build_profile(engine, "Reed")
    assert "“Andrea Reed”" in caught.value.hints[0]
    assert "“Hannah Gutierrez-Reed”" in caught.value.hints[0]


def test_a_name_shared_by_two_people_asks_for_the_id(empty_store):
    empty_store.insert({
        "people": [{"id": 1, "key": "a", "name": "Ann Lee", "name_folded": "ann lee"},
                   {"id": 2, "key": "b", "name": "Bo Lee", "name_folded": "bo lee"}],
        "person_aliases": [
            {"id": 1, "key": "a1", "person_id": 1, "alias": "Lee", "alias_folded": "lee"},
            {"id": 2, "key": "b1", "person_id": 2, "alias": "Lee", "alias_folded": "lee"}]})
    with empty_store.open() as kb:
        with pytest.raises(QueryError) as caught:
            build_profile(kb, "lee")
        assert caught.value.message == "“lee” could be several people: a (“Ann Lee”), b (“Bo Lee”)"
        assert caught.value.hints == ["give the id of the one you mean instead, e.g. a"]
        assert build_profile(kb, "Bo Lee").charges == []
        assert build_profile(kb, "b").name == "Bo Lee"  # by its curated id


def test_a_profile_takes_the_same_few_queries_however_many_facts(engine):
    if engine.dialect != "sqlite":
        pytest.skip("counts the statements SQLite is given")
    statements = []
    engine.connection().set_trace_callback(statements.append)
    try:
        facts = build_profile(engine, "Alec Baldwin")
        busy = len(statements)
        statements.clear()
        build_profile(engine, "Debra Messing")
        quiet = len(statements)
    finally:
        engine.connection().set_trace_callback(None)
    rows = len(facts.statements_about) + len(facts.statements_by) + len(facts.charges)
    assert rows > busy / 2  # more facts than questions
    assert busy <= 25
    assert quiet <= busy


# -- profile: the text and the command ----------------------------------------------------

def test_profile_text_reads_as_sections_with_references(engine):
    import io

    out = io.StringIO()
    write_profile_text(build_profile(engine, "Alec Baldwin"), out, width=80)
    text = out.getvalue()
    assert text.startswith("Alec Baldwin\n  also written: Alec, Baldwin, Balwin\n")
    for heading in ("\nRoles\n", "\nCharges (2)\n", "\nStatements by Alec Baldwin (",
                    "\nStatements about Alec Baldwin by others (", "\nSources\n"):
        assert heading in text
    assert "plea: not guilty, entered, 2024-01 [inferred] [" in text
    assert "penalty: maximum jail 18 months, by law" in text
    assert "penalty: minimum imprisonment [inferred] five years (mandatory), for its enhancement" \
        in " ".join(text.split())
    assert "announced 2023-01-19 · status pending, as last reported 2023-01-30 · replaced by " \
           "baldwin-manslaughter-2024" in " ".join(text.split())
    assert max(len(line) for line in text.splitlines()) <= 80
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    listed = {int(n) for n in re.findall(r"^  \[(\d+)\] ", text, re.MULTILINE)}
    assert numbers == listed


def test_profile_command_text_and_json(run_cli, rust_db):
    result = run_cli("profile", "David Halls", "--db", rust_db)
    assert result.code == 0, result.err
    assert result.out.startswith("David Halls\n")
    assert "plea: guilty, agreed, 2021-10-22/2023-01-20 [inferred, latest derived], in a plea " \
           "agreement" in " ".join(result.out.split())
    assert "term: fine $500" in result.out

    result = run_cli("profile", "Alec Baldwin", "--db", rust_db, "--format", "json")
    assert result.code == 0, result.err
    data = json.loads(result.out)
    assert data["name"] == "Alec Baldwin"
    assert [c["filed"] for c in data["charges"]] == ["2023-01-19", "2024-01"]
    assert data["charges"][1]["pleas"][0]["plea"] == "not guilty"
    assert {s["source"] for s in data["sources"]} >= {"independent-2023-01-20"}


def test_profile_command_unknown_name(run_cli, rust_db):
    result = run_cli("profile", "Mickey Rurke", "--db", rust_db)
    assert result.code == EXIT_UNKNOWN_NAME  # not 0, and not the status of a bad query
    assert result.out == ""
    assert "no person called “Mickey Rurke”" in result.err
    assert "did you mean “Mickey Rourke”?" in result.err
    result = run_cli("profile", "Mickey Rurke", "--db", rust_db, "--format", "json")
    assert json.loads(result.err)["error"] == "UnknownNameError"


# -- timeline ----------------------------------------------------------------------------

def test_timeline_in_date_order_at_each_date_precision(engine):
    timeline = build_timeline(engine, "Rust")
    assert timeline.case == "Rust film set shooting"
    assert timeline.aliases == ["Rust", "Rust shooting"]
    dated = [e.date for e in timeline.events]
    assert None not in dated  # every past event is at least "on or before" its article
    assert [(d.start, d.end) for d in dated] == sorted((d.start, d.end) for d in dated)
    assert [str(d) for d in dated][:3] == ["2021-10-21", "2021-10-22/2023-01-19",
                                           "2021-10-22/2023-01-19"]
    assert timeline.events[1].marks == {"date": "inferred, latest derived"}
    assert all(event.cited for event in timeline.events)


def test_timeline_without_a_name_is_the_only_case(engine):
    assert build_timeline(engine).case == "Rust film set shooting"


def test_timeline_needs_a_name_when_there_are_several_cases(empty_store):
    empty_store.insert({"cases": [{"id": 1, "key": "a", "title": "Alpha", "title_folded": "alpha"},
                                  {"id": 2, "key": "b", "title": "Beta", "title_folded": "beta"}]})
    with empty_store.open() as kb:
        with pytest.raises(QueryError) as caught:
            build_timeline(kb)
        assert caught.value.message == "the store holds 2 cases; name the one you want"
        assert "“Alpha”, “Beta”" in caught.value.hints[0]
        assert build_timeline(kb, "beta").events == []


def test_timeline_text(engine):
    import io

    out = io.StringIO()
    write_timeline_text(build_timeline(engine, "Rust shooting"), out, width=90)
    lines = out.getvalue().splitlines()
    assert lines[0] == "Rust film set shooting"
    events = [line for line in lines if re.match(r"  (\d{4}|undated)", line)]
    assert len(events) == 15
    assert re.match(r"  2021-10-21 +incident +Cinematographer", events[0])
    assert re.match(r"  2021-10-22/2023-01-19 \[inferred, latest derived\] +interview ", events[1])
    assert re.match(r"  2024-07-10 \[inferred\] +trial \(scheduled\) ", events[-1])
    assert any(re.search(r"sentencing \(expected\)", line) for line in events)
    assert max(len(line) for line in lines) <= 90


def test_timeline_command(run_cli, rust_db):
    result = run_cli("timeline", "--db", rust_db)
    assert result.code == 0, result.err
    assert re.search(r"2024-03-06 \[inferred\] +verdict", result.out)
    result = run_cli("timeline", "rust", "--db", rust_db, "-f", "json")
    data = json.loads(result.out)
    assert data["events"][0] == {**data["events"][0], "date": "2021-10-21", "kind": "incident",
                                 "stage": "held", "marks": {}}
    assert data["events"][-1]["marks"] == {"date": "inferred"}
    result = run_cli("timeline", "Rusty", "--db", rust_db)
    assert result.code == EXIT_UNKNOWN_NAME
    assert "did you mean “Rust film set shooting” (also written “Rust”)?" in result.err
