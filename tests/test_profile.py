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
    assert [(p.plea, str(p.entered)) for p in second.pleas] == [("not guilty", "2024-01")]
    # The charge's own minimum, and the law's maxima for the offense.
    assert ("minimum", "imprisonment", "charge") in {(p.bound, p.kind, p.level)
                                                     for p in first.penalties}
    law = {(p.bound, p.kind, p.amount.text) for p in second.penalties if p.level == "offense"}
    assert ("maximum", "fine", "$5,000") in law
    assert all(p.level != "charge" for p in second.penalties)


def test_profile_of_a_convicted_defendant_has_verdict_and_sentence_terms(engine):
    profile = build_profile(engine, "Dave Halls")
    (charge,) = profile.charges
    assert charge.status == "convicted"
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
    assert all(s.about == "Alec Baldwin" and s.speaker != "Alec Baldwin"
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
    assert build_profile(engine, spelling).name == "Dave Halls"


def test_unknown_name_suggests_the_nearest(engine):
    with pytest.raises(QueryError) as caught:
        build_profile(engine, "Alec Baldwn")
    assert "no person called “Alec Baldwn”" in caught.value.message
    assert caught.value.hints == ["did you mean “Alec Baldwin”?"]
    with pytest.raises(QueryError) as caught:
        build_profile(engine, "Davd Halls")
    assert caught.value.hints == ["did you mean “Dave Halls” (also written “David Halls”)?"]
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
    assert "plea: not guilty, 2024-01 [" in text
    assert "penalty: maximum fine $5,000, by law" in text
    assert max(len(line) for line in text.splitlines()) <= 80
    numbers = {int(n) for n in re.findall(r"\[(\d+)\]", text)}
    listed = {int(n) for n in re.findall(r"^  \[(\d+)\] ", text, re.MULTILINE)}
    assert numbers == listed


def test_profile_command_text_and_json(run_cli, rust_db):
    result = run_cli("profile", "David Halls", "--db", rust_db)
    assert result.code == 0, result.err
    assert result.out.startswith("Dave Halls\n")
    assert "plea: guilty, date unknown, in a plea agreement" in result.out
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
    dated = [e.date for e in timeline.events if e.date is not None]
    assert [d.start for d in dated] == sorted(d.start for d in dated)
    assert [str(d) for d in dated][:3] == ["2021", "2021", "2021-10-21"]
    undated = [e.kind for e in timeline.events if e.date is None]
    assert timeline.events[-len(undated):] == [e for e in timeline.events if e.date is None]
    assert "plea agreement" in undated  # undated last
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
    assert events[0].startswith("  2021        interview ")
    assert events[2].startswith("  2021-10-21  incident ")
    assert events[-1].startswith("  undated     ")
    assert any(line.startswith("  undated     plea agreement ") for line in events)
    assert max(len(line) for line in lines) <= 90


def test_timeline_command(run_cli, rust_db):
    result = run_cli("timeline", "--db", rust_db)
    assert result.code == 0, result.err
    assert "2024-03     verdict" in result.out
    result = run_cli("timeline", "rust", "--db", rust_db, "-f", "json")
    data = json.loads(result.out)
    assert data["events"][2] == {**data["events"][2], "date": "2021-10-21", "kind": "incident"}
    result = run_cli("timeline", "Rusty", "--db", rust_db)
    assert result.code == EXIT_UNKNOWN_NAME
    assert "did you mean “Rust film set shooting” (also written “Rust”)?" in result.err
