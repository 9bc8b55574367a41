"""`casekb check`: every kind of problem in curated data is found and named precisely.

Each test adds a small bad file to a valid folder (the `casekb init` example) and asserts
the problem names the file and line, the record, the field, and gives the hint.
"""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casekb.curation import check_folder, load_curated
from casekb.errors import CurationError

SOURCE = "gazette-2024-03-01"
EVIDENCE = f'evidence = [{{ source = "{SOURCE}", quote = "John Q. Sample, 42" }}]'


def add(folder: Path, text: str, name: str = "bad.toml") -> list:
    """Write `text` into the folder and return the rendered problems of a check."""
    (folder / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return [p.render() for p in check_folder(folder).problems]


def only(problems: list[str]) -> str:
    assert len(problems) == 1, "\n".join(problems)
    return problems[0]


def test_the_example_folder_is_valid(curated_folder):
    result = check_folder(curated_folder)
    assert result.problems == []
    assert result.counts["charge"] == 2


def test_the_bundled_seeds_pass(run_cli):
    result = run_cli("check")
    assert result.code == 0, result.out
    assert result.out.startswith("OK: ")


def test_toml_syntax_error_names_line_and_column(curated_folder):
    problem = only(add(curated_folder, '[[person]]\nid = "x"\nname = \n'))
    assert problem.startswith("bad.toml:3:8: not valid TOML: Invalid value")
    assert "the line is: name =" in problem


def test_a_file_nested_too_deeply_says_so(curated_folder):
    (curated_folder / "deep.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    problem = only([p.render() for p in check_folder(curated_folder).problems])
    assert problem == ("deep.toml: cannot read the file as TOML: its arrays or tables are "
                       "nested too deeply")


def test_a_quote_too_long_to_compare_gets_no_false_hint(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[person]]
        id = "p1"
        name = "P"
        evidence = [{{ source = "{SOURCE}", quote = "{'a' * 6000}" }}]
        """))
    assert "quote not found in the article" in problem
    assert "no long stretch" not in problem and "closest passage" not in problem


def test_file_that_is_not_utf8(curated_folder):
    (curated_folder / "bad.toml").write_bytes(b'[[person]]\nid = "caf\xe9"\n')
    problem = only([p.render() for p in check_folder(curated_folder).problems])
    assert problem.startswith("bad.toml:2:")
    assert "not UTF-8" in problem and "0xe9" in problem


def test_unknown_reference_suggests_the_nearest_id(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[role]]
        id = "sample-witness"
        case = "sample-crsh"
        person = "john-sample"
        role = "witness"
        {EVIDENCE}
        """))
    assert problem.startswith("bad.toml:3: role 'sample-witness', field 'case': "
                              "unknown case 'sample-crsh'")
    assert "hint: did you mean 'sample-crash'?" in problem


def test_duplicate_id_points_at_the_first(curated_folder):
    # Files are read in path order, so the record in example/ comes first.
    problem = only(add(curated_folder, f"""\
        [[person]]
        id = "john-sample"
        name = "Another John"
        {EVIDENCE}
        """, name="later.toml"))
    assert "later.toml:2: person 'john-sample', field 'id': duplicate id 'john-sample': " \
           "another person has it (example/case.toml:23)" in problem


def test_same_id_in_different_kinds_is_fine(curated_folder):
    assert add(curated_folder, f"""\
        [[event]]
        id = "sample-crash"
        case = "sample-crash"
        kind = "other"
        description = "an event sharing the case's id"
        {EVIDENCE}
        """) == []


def test_unknown_field_suggests_the_nearest(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[person]]
        id = "p1"
        name = "P One"
        nmae = "typo"
        {EVIDENCE}
        """))
    assert "bad.toml:4: person 'p1', field 'nmae': unknown field 'nmae'" in problem
    assert "did you mean 'name'?" in problem


@pytest.mark.parametrize("field, value, expected", [
    ("counts", '"2"', "must be an integer, not a string"),
    ("counts", "true", "must be an integer, not a boolean"),
    ("counts", "0", "must be at least 1"),
    ("counts", "99999999999999999999", "must be at least 1"),
    ("note", "42", "must be a string, not an integer"),
    ("filed", "[2023]", "must be a date string"),
    ("offense", "{ id = 'x' }", "must be an id string, not a table"),
])
def test_wrong_types(curated_folder, field, value, expected):
    lines = {"case": '"sample-crash"', "defendant": '"john-sample"',
             "offense": '"ex-reckless-driving"'}
    lines[field] = value
    body = "\n".join(f"{k} = {v}" for k, v in lines.items())
    problem = only(add(curated_folder, f'[[charge]]\nid = "c9"\n{body}\n{EVIDENCE}\n'))
    assert f"charge 'c9', field '{field}': {expected}" in problem


def test_boolean_flag_must_be_a_boolean(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[plea]]
        id = "p9"
        charge = "sample-reckless-driving"
        plea = "guilty"
        agreement = "yes"
        {EVIDENCE}
        """))
    assert "bad.toml:5: plea 'p9', field 'agreement': must be true or false, not a string" in problem


def test_missing_required_fields(curated_folder):
    problems = add(curated_folder, f'[[charge]]\nid = "c9"\ncase = "sample-crash"\n{EVIDENCE}\n')
    assert len(problems) == 2
    assert "charge 'c9', field 'defendant': missing required field 'defendant'" in problems[0]
    assert "charge 'c9', field 'offense': missing required field 'offense'" in problems[1]


def test_record_without_id_is_named_by_position(curated_folder):
    problems = add(curated_folder, '[[person]]\nname = "A"\n[[person]]\nname = "B"\n')
    assert problems[0].startswith("bad.toml:1: person #1, field 'id': missing required field")
    assert any(p.startswith("bad.toml:3: person #2, field 'id'") for p in problems)


def test_invalid_id_format(curated_folder):
    problem = add(curated_folder, f'[[person]]\nid = "John Sample"\nname = "X"\n{EVIDENCE}\n')[0]
    assert "field 'id': 'John Sample' is not a valid id" in problem
    assert "for example 'john-sample'" in problem


def test_bad_vocabulary_value_suggests_the_nearest(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[plea]]
        id = "p9"
        charge = "sample-reckless-driving"
        plea = "not guilt"
        {EVIDENCE}
        """))
    assert "bad.toml:4: plea 'p9', field 'plea': 'not guilt' is not a valid plea" in problem
    assert "did you mean 'not guilty'?" in problem
    assert "one of: guilty, not guilty, no contest" in problem


def test_synonyms_and_capitals_are_accepted_and_stored_canonically(curated_folder):
    assert add(curated_folder, f"""\
        [[plea]]
        id = "p9"
        charge = "sample-reckless-driving"
        plea = "Nolo Contendere"
        {EVIDENCE}

        [[offense]]
        id = "o9"
        name = "something"
        class = "misdemeanour"
        {EVIDENCE}
        """) == []
    curated = load_curated(curated_folder)
    plea = next(r for r in curated.records["plea"] if r.key == "p9")
    offense = next(r for r in curated.records["offense"] if r.key == "o9")
    assert plea.values["plea"] == "no contest"
    assert offense.values["class"] == "misdemeanor"


@pytest.mark.parametrize("value, expected", [
    ('"2023-02-30"', "'2023-02-30': February 2023 has 28 days"),
    ('"2023-13"', "there is no month 13"),
    ('"Jan 2023"', "'Jan 2023' is not a date"),
    ('"19/01/2023"', "is not a date"),
    ("2023-01-19", "must be a date string, not a TOML date"),
])
def test_impossible_or_badly_written_dates(curated_folder, value, expected):
    problem = only(add(curated_folder, f"""\
        [[event]]
        id = "e9"
        case = "sample-crash"
        kind = "other"
        description = "x"
        date = {value}
        {EVIDENCE}
        """))
    assert "bad.toml:6: event 'e9', field 'date': " in problem and expected in problem
    assert "hint:" in problem


def test_charge_closed_before_it_was_filed(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[charge]]
        id = "c9"
        case = "sample-crash"
        defendant = "john-sample"
        offense = "ex-reckless-driving"
        filed = "2023-08"
        closed = "2023-07-31"
        {EVIDENCE}
        """))
    assert "bad.toml:7: charge 'c9', field 'closed': the charge is closed (2023-07-31) " \
           "before it was filed (2023-08)" in problem


def test_closed_in_the_month_it_was_filed_is_possible(curated_folder):
    assert add(curated_folder, f"""\
        [[charge]]
        id = "c9"
        case = "sample-crash"
        defendant = "john-sample"
        offense = "ex-reckless-driving"
        filed = "2023-08"
        closed = "2023-08-02"
        {EVIDENCE}
        """) == []


@pytest.mark.parametrize("amount, expected", [
    ('"lots"', "'lots' is not a quantity"),
    ('"5 parsecs"', "unknown unit 'parsecs'"),
    ('"inf years"', "is not a usable quantity"),
    ("5", "must be a quantity string"),
])
def test_bad_quantities(curated_folder, amount, expected):
    problem = only(add(curated_folder, f"""\
        [[penalty]]
        id = "x9"
        offense = "ex-reckless-driving"
        kind = "fine"
        bound = "maximum"
        amount = {amount}
        {EVIDENCE}
        """))
    assert "bad.toml:6: penalty 'x9', field 'amount': " in problem and expected in problem


def test_missing_and_empty_evidence(curated_folder):
    problems = add(curated_folder, """\
        [[person]]
        id = "p1"
        name = "No Evidence"

        [[person]]
        id = "p2"
        name = "Empty Evidence"
        evidence = []
        """)
    assert len(problems) == 2
    assert "person 'p1', field 'evidence': missing required field 'evidence'" in problems[0]
    assert "bad.toml:8: person 'p2', field 'evidence': is empty" in problems[1]


def test_malformed_evidence_entries(curated_folder):
    problems = add(curated_folder, f"""\
        [[person]]
        id = "p1"
        name = "P"
        evidence = ["just a string", {{ source = "{SOURCE}" }}, {{ source = "{SOURCE}", quote = "Sample", page = 3 }}]
        """)
    assert any("field 'evidence[0]': must be a {source, quote} table, not a string" in p
               for p in problems)
    assert any("field 'evidence[1].quote': missing required field 'quote'" in p for p in problems)
    assert any("field 'evidence[2].page': unknown field 'page'" in p for p in problems)


def test_evidence_source_that_does_not_exist(curated_folder):
    problem = only(add(curated_folder, """\
        [[person]]
        id = "p1"
        name = "P"
        evidence = [
          { source = "gazette-2024-03-02", quote = "Sample" },
        ]
        """))
    assert problem.startswith("bad.toml:5: person 'p1', field 'evidence[0].source': "
                              "unknown source 'gazette-2024-03-02'")
    assert "did you mean 'gazette-2024-03-01'?" in problem


def test_quote_not_in_the_article(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[person]]
        id = "p1"
        name = "P"
        evidence = [
          {{ source = "{SOURCE}", quote = "John Q. Sample" }},
          {{ source = "{SOURCE}", quote = "pleaded guilty on Friday to one count" }},
        ]
        """))
    assert problem.startswith("bad.toml:6: person 'p1', field 'evidence[1].quote': quote not "
                              "found in the article of source 'gazette-2024-03-01'")
    # The hint shows the article's own words where the quote departs from them.
    assert "hint: the closest passage of the article reads 'pleaded guilty on Thursday to one " \
           "count'" in problem


def test_a_long_misquote_is_shown_where_it_departs_from_the_article(curated_folder):
    quote = ("Prosecutors charged Sample in August 2023 with reckless driving, a misdemeanor "
             "that carries a maximum penalty of 60 days in jail, and with leaving the scene")
    problem = only(add(curated_folder, f"""\
        [[person]]
        id = "p1"
        name = "P"
        evidence = [{{ source = "{SOURCE}", quote = "{quote}" }}]
        """))
    hint = next(line for line in problem.splitlines() if "closest passage" in line)
    assert "maximum penalty of 90 days in jail" in hint and hint.count("…") >= 1
    assert len(hint) < 170


def test_a_quote_with_nothing_in_common_says_so(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[person]]
        id = "p1"
        name = "P"
        evidence = [{{ source = "{SOURCE}", quote = "Nothing of the sort was ever printed here" }}]
        """))
    assert "hint: no long stretch of it occurs in the article: is it the right source?" in problem


@pytest.mark.parametrize("quote", [
    "EXAMPLETON - John Q. Sample",  # the article has an em dash
    "EXAMPLETON \u2013 John Q. Sample",  # an en dash
    '"I am sorry for what happened," Sample',  # the article has curly quotes
    "said after the hearing:\n   \u201cI am glad",  # white space runs
])
def test_quote_matching_forgives_quotes_dashes_and_white_space(curated_folder, quote):
    escaped = quote.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    assert add(curated_folder, f"""\
        [[person]]
        id = "p1"
        name = "P"
        evidence = [{{ source = "{SOURCE}", quote = "{escaped}" }}]
        """) == []


@pytest.mark.parametrize("quote", [
    "exampleton - john q. sample",  # letter case is not forgiven
    "John Q. Sample, 42, pleaded...",  # nor an ellipsis
    "John Q Sample",  # nor punctuation
])
def test_quote_matching_forgives_nothing_else(curated_folder, quote):
    problem = only(add(curated_folder, f"""\
        [[person]]
        id = "p1"
        name = "P"
        evidence = [{{ source = "{SOURCE}", quote = "{quote}" }}]
        """))
    assert "quote not found in the article" in problem


def test_statement_quote_must_be_in_an_evidence_article(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[statement]]
        id = "s9"
        case = "sample-crash"
        speaker = "alex-rider"
        quote = "I forgive him."
        {EVIDENCE}
        """))
    assert "bad.toml:5: statement 's9', field 'quote': the statement's quote is in none of " \
           "its evidence articles: 'I forgive him.'" in problem


@pytest.mark.parametrize("owners, expected_field, expected", [
    ("", "", "needs exactly one of offense / charge / enhancement / sentence; none is given"),
    ('offense = "ex-reckless-driving"\nsentence = "sample-sentence"', "sentence",
     "offense and sentence are given"),
])
def test_penalty_needs_exactly_one_owner(curated_folder, owners, expected_field, expected):
    problem = only(add(curated_folder,
                       f'[[penalty]]\nid = "x9"\n{owners}\nkind = "fine"\nbound = "maximum"\n'
                       f"{EVIDENCE}\n"))
    where = f", field '{expected_field}'" if expected_field else ""
    assert f"penalty 'x9'{where}: " in problem and expected in problem


@pytest.mark.parametrize("owner, bound, expected", [
    ('sentence = "sample-sentence"', "maximum", "a penalty of a sentence is 'imposed', not 'maximum'"),
    ('offense = "ex-reckless-driving"', "imposed", "a penalty of an offense is 'maximum' or "
                                                    "'minimum' or 'unstated', not 'imposed'"),
    ('charge = "sample-reckless-driving"', "imposed", "a penalty of a charge is 'maximum' or "
                                                      "'minimum' or 'unstated', not 'imposed'"),
])
def test_penalty_bound_must_fit_its_owner(curated_folder, owner, bound, expected):
    problem = only(add(curated_folder,
                       f'[[penalty]]\nid = "x9"\n{owner}\nkind = "fine"\nbound = "{bound}"\n'
                       f"{EVIDENCE}\n"))
    assert f"bad.toml:5: penalty 'x9', field 'bound': {expected}" in problem


def test_a_penalty_with_two_owners_is_not_also_judged_on_its_bound(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[penalty]]
        id = "x9"
        charge = "sample-reckless-driving"
        sentence = "sample-sentence"
        kind = "fine"
        bound = "maximum"
        {EVIDENCE}
        """))
    assert "needs exactly one of offense / charge / enhancement / sentence; charge and " \
           "sentence are given" \
        in problem


def test_a_reference_to_a_record_of_another_kind_says_which_kind_it_is(curated_folder):
    problem = only(add(curated_folder, f"""\
        [[charge]]
        id = "c9"
        case = "sample-crash"
        defendant = "sample-crash"
        offense = "ex-reckless-driving"
        {EVIDENCE}
        """))
    assert "bad.toml:4: charge 'c9', field 'defendant': unknown person 'sample-crash'" in problem
    assert "hint: 'sample-crash' is the id of a case, but 'defendant' names a person" in problem


@pytest.mark.parametrize("kind, body, field, expected", [
    ("plea", 'charge = "sample-reckless-driving"\nplea = "guilty"\nentered = "2024-04"',
     "entered", "2024-04 is after its evidence articles were published (the latest: 2024-03-01)"),
    ("statement", 'case = "sample-crash"\nspeaker = "john-sample"\nquote = "John Q. Sample, 42"'
     '\ndate = "2025"', "date", "2025 is after its evidence articles were published"),
    ("verdict", 'charge = "sample-reckless-driving"\noutcome = "guilty"\ndecided = "2023-07-31"',
     "decided", "2023-07-31 is before the filed date (2023-08) of its charge "
                "'sample-reckless-driving'"),
    ("status", 'charge = "sample-reckless-driving"\nstatus = "pending"\ndate = "2022"',
     "date", "2022 is before the filed date (2023-08)"),
    ("charge", 'case = "sample-crash"\ndefendant = "john-sample"\n'
               'offense = "ex-reckless-driving"\nfiled = "2023-05"',
     "filed", "2023-05 is before the incident date (2023-06-02) of its case 'sample-crash'"),
])
def test_dates_that_cannot_be_right(curated_folder, kind, body, field, expected):
    problem = only(add(curated_folder, f'[[{kind}]]\nid = "x9"\n{body}\n{EVIDENCE}\n'))
    assert f"{kind} 'x9', field '{field}': {expected}" in problem


def test_an_article_published_in_the_future(curated_folder):
    from datetime import date

    next_year = date.today().year + 1
    problem = only(add(curated_folder, f"""\
        [[source]]
        id = "later"
        file = "articles/example-gazette-2024-03-01.txt"
        published = "{next_year}"
        """))
    assert f"bad.toml:4: source 'later', field 'published': {next_year} is in the future" \
        in problem


def test_partial_dates_that_may_overlap_are_possible(curated_folder):
    # A plea "in 2024" may fall on the day of the article; a status "in 2023" may be in August.
    assert add(curated_folder, f"""\
        [[plea]]
        id = "x9"
        charge = "sample-reckless-driving"
        plea = "guilty"
        entered = "2024"
        {EVIDENCE}

        [[status]]
        id = "x9"
        charge = "sample-reckless-driving"
        status = "pending"
        date = "2023-08"
        {EVIDENCE}
        """) == []


def test_alias_needs_exactly_one_owner_and_a_fresh_name(curated_folder):
    problems = add(curated_folder, f"""\
        [[alias]]
        id = "a1"
        name = "Johnny"
        {EVIDENCE}

        [[alias]]
        id = "a2"
        person = "john-sample"
        name = "JON SAMPLE"
        {EVIDENCE}
        """, name="later.toml")
    assert len(problems) == 2, problems
    assert "alias 'a1': needs exactly one of person / case; none is given" in problems[0]
    assert "alias 'a2', field 'name': person 'john-sample' already has the alias" in problems[1]


def test_dispute_claims_must_name_records(curated_folder):
    problems = add(curated_folder, """\
        [[dispute]]
        id = "d9"
        subject = "x"
        claims = ["event:sample-crash-june", "evnt:sample-crash-july", "plea:nope"]

        [[dispute]]
        id = "d10"
        subject = "y"
        claims = ["event:sample-crash-june"]
        """)
    assert len(problems) == 3, problems
    assert "bad.toml:4: dispute 'd9', field 'claims[1]': 'evnt:sample-crash-july' is not a " \
           "reference to a record" in problems[0]
    assert "did you mean 'event'?" in problems[0]
    assert "dispute 'd9', field 'claims[2]': unknown plea 'nope'" in problems[1]
    assert "dispute 'd10', field 'claims': a dispute lists at least two" in problems[2]


def test_source_articles_that_are_missing_unreadable_or_outside(curated_folder):
    (curated_folder / "articles" / "latin1.txt").write_bytes(b"caf\xe9 au lait\n")
    problems = add(curated_folder, """\
        [[source]]
        id = "gone"
        file = "articles/example-gazette-2024-03-02.txt"

        [[source]]
        id = "latin1"
        file = "articles/latin1.txt"

        [[source]]
        id = "outside"
        file = "../secrets.txt"

        [[person]]
        id = "p9"
        name = "P"
        evidence = [{ source = "gone", quote = "anything at all" }]
        """)
    assert len(problems) == 3, problems
    assert "bad.toml:3: source 'gone', field 'file': the article " \
           "'articles/example-gazette-2024-03-02.txt' does not exist" in problems[0]
    assert "did you mean 'articles/example-gazette-2024-03-01.txt'?" in problems[0]
    assert "source 'latin1', field 'file': the article 'articles/latin1.txt' is not UTF-8" \
        in problems[1]
    assert "source 'outside', field 'file': '../secrets.txt' is not a path inside" in problems[2]


def test_unknown_record_kind_and_non_table_values(curated_folder):
    problems = add(curated_folder, 'title = "loose"\n[[chrage]]\nid = "x"\n')
    assert len(problems) == 2
    assert problems[0].startswith("bad.toml:1: unknown record kind 'title'")
    assert problems[1].startswith("bad.toml:2: unknown record kind 'chrage'")
    assert "did you mean 'charge'?" in problems[1]
    problem = only(add(curated_folder, 'person = "x"\n'))
    assert "records must be an array of tables ([[person]]), not a string" in problem


def test_every_problem_is_reported_not_just_the_first(curated_folder):
    problems = add(curated_folder, """\
        [[plea]]
        id = "p1"
        charge = "nope"
        plea = "maybe"
        entered = "2024-02-30"
        evidence = [{ source = "nope", quote = "x" }]
        """)
    fields = [p.split(", field '")[1].split("'")[0] for p in problems]
    assert fields == ["charge", "plea", "entered", "evidence[0].source"]


def test_an_empty_folder_and_a_missing_folder(tmp_path):
    assert "no curated files (*.toml)" in check_folder(tmp_path).problems[0].message
    assert "does not exist" in check_folder(tmp_path / "nope").problems[0].message


def test_load_curated_raises_with_every_problem(curated_folder):
    add(curated_folder, '[[person]]\nid = "p1"\n[[person]]\nid = "p2"\n')
    with pytest.raises(CurationError) as raised:
        load_curated(curated_folder)
    assert len(raised.value.problems) == 4
    assert raised.value.exit_code == 1


def test_cli_lists_problems_and_exits_1(curated_folder, run_cli):
    add(curated_folder, '[[person]]\nid = "p1"\nname = "P"\n')
    result = run_cli("check", curated_folder)
    assert result.code == 1
    assert "bad.toml:1: person 'p1', field 'evidence': missing required field" in result.out
    assert result.out.rstrip().endswith(f"1 problem in {curated_folder}")


def test_cli_json_format(curated_folder, run_cli):
    result = run_cli("check", curated_folder, "--format", "json")
    assert result.code == 0
    data = json.loads(result.out)
    assert data["ok"] is True and data["counts"]["penalty"] == 4 and data["problems"] == []
    add(curated_folder, '[[person]]\nid = "p1"\nname = "P"\n')
    result = run_cli("check", curated_folder, "--format", "json")
    assert result.code == 1
    [problem] = json.loads(result.out)["problems"]
    assert problem["file"] == "bad.toml" and problem["record"] == "person 'p1'"
    assert problem["field"] == "evidence" and problem["line"] == 1


def test_cli_ok_summary(curated_folder, run_cli):
    result = run_cli("check", curated_folder)
    assert result.code == 0
    assert result.out.startswith(f"OK: {curated_folder}: 2 files, 1 source, 1 case, 3 people")
    assert "29 evidence quotes, all found" in result.out


# -- totality: whatever a field holds, validation reports problems and never raises ---------

toml_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True)
    | st.text(max_size=50) | st.text(alphabet="\x00\u202e\ud7ff\U0001f600 -'\"", max_size=20)
    | st.dates() | st.just("x" * 100_000),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=8),
                                                                      children, max_size=3),
    max_leaves=6)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["charge", "penalty", "statement", "dispute", "alias", "source"]),
       field=st.sampled_from(["id", "case", "counts", "filed", "amount", "evidence", "claims",
                              "quote", "bound", "person", "file", "zzz"]),
       value=toml_values)
def test_validation_is_total(tmp_path_factory, kind, field, value):
    import tomllib

    from casekb.curation.loader import LineFinder, LoadedFolder, RawRecord
    from casekb.curation.validate import validate

    folder = tmp_path_factory.mktemp("fuzz")
    base = {"id": "r1", "case": "c", "evidence": [{"source": "s", "quote": "q"}]}
    if value is not None:
        base[field] = value
    loaded = LoadedFolder(folder, ["f.toml"], [RawRecord(kind, "f.toml", 1, base)], [],
                          LineFinder(folder))
    _, problems = validate(loaded)
    for problem in problems:
        assert problem.file == "f.toml" and problem.render()
    assert tomllib  # the loader's own parse errors are covered above


toml_like = st.lists(st.sampled_from([
    "[[charge]]", "[[person]]", "[[chrage]]", 'id = "x"', "id = 1", 'name = "N"', "counts = -1",
    'filed = "2023-02-30"', "evidence = [", '{ source = "s", quote = "q" },', "]", "= =", '"',
    "[charge]", "x = 1979-05-27", 'claims = ["a:b"]', "\x00", "\u202e", "[[", "k = 'unterminated",
]), max_size=12).map("\n".join)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=toml_like | st.text(max_size=200), raw=st.binary(max_size=50))
def test_any_file_content_gives_problems_not_exceptions(tmp_path_factory, text, raw):
    folder = tmp_path_factory.mktemp("fuzz-files")
    (folder / "a.toml").write_text(text, encoding="utf-8", errors="surrogatepass")
    (folder / "b.toml").write_bytes(raw)
    result = check_folder(folder)
    for problem in result.problems:
        assert problem.file in ("a.toml", "b.toml") and problem.render()
