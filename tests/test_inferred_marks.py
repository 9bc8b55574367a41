"""Inferred values: `inferred.FIELD = "basis"` checked, stored with its basis, and marked in
every output (beside the value in tables and CSV, a `marks` object in JSON, the `inferred`
column of the views), including a value read from a joined row; a query can keep or leave
out inferred facts."""

from __future__ import annotations

import json
import sqlite3
import textwrap

import pytest

from casekb.curation import check_folder

SOURCE = "gazette-2024-03-01"


def add(folder, text: str) -> list[str]:
    (folder / "more.toml").write_text(textwrap.dedent(text), encoding="utf-8")
    return [problem.render() for problem in check_folder(folder).problems]


CHARGE = """\
    [[charge]]
    id = "extra"
    case = "sample-crash"
    defendant = "john-sample"
    offense = "ex-leaving-the-scene"
    counts = 2
    filed = { earliest = "2023-08" }
    MARKS
    evidence = [{ source = "SOURCE", quote = "and with leaving the scene of an accident" }]
    """


def charge(marks: str) -> str:
    return CHARGE.replace("SOURCE", SOURCE).replace("MARKS", marks)


@pytest.mark.parametrize("marks, field, message", [
    ('inferred.count = "x"', "inferred.count", "'count' is not a field of a charge that can be "
                                               "inferred"),
    ('inferred.closed = "x"', "inferred.closed", "marks 'closed' as inferred, but the record "
                                                 "gives no 'closed'"),
    ('inferred.counts = ""', "inferred.counts", "must be the basis of the inference"),
    ('inferred.filed.latest = "x"', "inferred.filed.latest", "marks the latest bound of "
                                                             "'filed' as inferred, but the date "
                                                             "has none"),
    ('inferred.filed.middle = "x"', "inferred.filed.middle", "a date's bounds are 'earliest' and "
                                                             "'latest'"),
    ('inferred.evidence = "x"', "inferred.evidence", "not a field of a charge that can be "
                                                     "inferred"),
    ('inferred = "all of it"', "inferred", "must be a table of bases"),
])
def test_bad_marks_name_the_line_of_the_mark(curated_folder, marks, field, message):
    problems = add(curated_folder, charge(marks))
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"more.toml:8: charge 'extra', field '{field}': "), problems
    assert message in problems[0]


def test_both_toml_spellings_are_the_same_marks(curated_folder):
    dotted = 'inferred.counts = "two, by the plural"\ninferred.filed.earliest = "after August"'
    inline = ('inferred = { counts = "two, by the plural", filed = { earliest = '
              '"after August" } }')
    assert add(curated_folder, charge(dotted)) == []
    assert add(curated_folder, charge(inline)) == []


@pytest.fixture
def marked(curated_folder, tmp_path, run_cli):
    add(curated_folder, charge('inferred.counts = "two: the article says charges"\n'
                               'inferred.filed.earliest = "after the crash of June 2023"'))
    # A value read from a joined row: the offense's class, shown on its charges.
    offenses = curated_folder / "example" / "case.toml"
    text = offenses.read_text().replace(
        'name = "leaving the scene of an accident"\njurisdiction = "Example State"\n',
        'name = "leaving the scene of an accident"\njurisdiction = "Example State"\n'
        'class = "misdemeanor"\ninferred.class = "as the other charge"\n')
    offenses.write_text(text)
    store = tmp_path / "s.sqlite"
    assert run_cli("build", curated_folder, "--db", store).code == 0
    return store


def test_marks_reach_tables_json_csv_and_views(marked, run_cli):
    query = 'charges where id = "extra" show counts, filed, class, offense'
    table = run_cli("query", "--db", marked, "--format", "markdown", query).out
    assert "| 2 \\[inferred\\] | 2023-08-01/2024-03-01 \\[earliest inferred, latest " \
           "derived\\] | misdemeanor \\[inferred\\] |" in table
    row = json.loads(run_cli("query", "--db", marked, "--format", "json", query).out)[0]
    assert row["counts"] == 2 and row["filed"] == "2023-08-01/2024-03-01"
    assert row["marks"] == {"counts": "inferred", "filed": "earliest inferred, latest derived",
                            "class": "inferred"}
    csv = run_cli("query", "--db", marked, "--format", "csv", query).out.splitlines()
    assert csv[0] == "counts,filed,class,offense"  # the same columns, marks beside values
    assert csv[1] == ('2 [inferred],"2023-08-01/2024-03-01 [earliest inferred, latest derived]",'
                      'misdemeanor [inferred],leaving the scene of an accident')
    with sqlite3.connect(marked) as connection:
        assert connection.execute("SELECT inferred, derived FROM v_charges WHERE id = 'extra'"
                                  ).fetchone() == ("counts, filed.earliest", "filed.latest")
        bases = connection.execute("SELECT field, derived, basis FROM v_inferences WHERE fact = "
                                   "'charge:extra' ORDER BY field").fetchall()
    assert bases == [("counts", 0, "two: the article says charges"),
                     ("filed.earliest", 0, "after the crash of June 2023"),
                     ("filed.latest", 1, "no later than the publication of "
                                         f"{SOURCE} (2024-03-01), the first article citing it")]


def test_a_query_can_leave_inferred_facts_out(marked, run_cli):
    every = run_cli("query", "--db", marked, "--format", "csv", "--no-header",
                    "charges show id").out.split()
    stated = run_cli("query", "--db", marked, "--format", "csv", "--no-header",
                     "charges where inferred is empty show id").out.split()
    inferred = run_cli("query", "--db", marked, "--format", "csv", "--no-header",
                       "charges where inferred is not empty show id").out.split()
    assert "extra" in inferred and "extra" not in stated
    assert sorted(stated + inferred) == sorted(every)


def test_a_mark_on_a_value_not_shown_is_not_listed(marked, run_cli):
    row = json.loads(run_cli("query", "--db", marked, "--format", "json",
                             'charges where id = "extra" show offense').out)[0]
    assert row["marks"] == {}


def test_aggregates_carry_no_marks(marked, run_cli):
    rows = json.loads(run_cli("query", "--db", marked, "--format", "json",
                              "count charges by counts").out)
    assert all("marks" not in row for row in rows)
