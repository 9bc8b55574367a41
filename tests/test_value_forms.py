"""One form per kind of value, in every output (README "Output", schema/README.md):
booleans are true/false in every text format and in JSON; amounts in JSON are the number
and unit a person writes ("$500" is 500 dollars, "six months" 6 months), exact, with the text
as written and, for durations, the days the language compares by."""

from __future__ import annotations

import csv
import io
import json

import pytest

from casekb.quantities import Quantity

PLEAS = 'pleas where defendant = "Dave Halls" show plea, agreement'


@pytest.mark.parametrize("fmt", ["table", "markdown", "csv", "tsv"])
def test_booleans_read_true_or_false_in_every_text_format(run_cli, rust_db, fmt):
    result = run_cli("query", PLEAS, "--db", rust_db, "-f", fmt)
    assert result.code == 0
    assert "true" in result.out  # the plea agreement
    for other in ("yes", "no\n", " no ", "\tno", ",no", "1\n", "0\n"):
        assert other not in result.out.replace("no contest", "")


def test_booleans_are_json_booleans(run_cli, rust_db):
    rows = json.loads(run_cli("query", PLEAS, "--db", rust_db, "-f", "json").out)
    assert [row["agreement"] for row in rows] == [True, None]


def test_the_csv_export_writes_booleans_as_query_does(rust_db, tmp_path):
    from casekb.export.copy import export_csv

    export_csv(str(rust_db), tmp_path / "csv")
    with open(tmp_path / "csv" / "v_penalties.csv", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert {row["suspended"] for row in rows} == {"true", "false"}


@pytest.mark.parametrize(("text", "expected"), [
    ("$500", {"value": 500, "unit": "dollars", "text": "$500"}),
    ("$5,000.50", {"value": 5000.5, "unit": "dollars", "text": "$5,000.50"}),
    ("six months", {"value": 6, "unit": "months", "text": "six months", "days": 182.625}),
    ("18 months", {"value": 18, "unit": "months", "text": "18 months", "days": 547.875}),
    ("1 year", {"value": 1, "unit": "years", "text": "1 year", "days": 365.25}),
    ("1.5 years", {"value": 1.5, "unit": "years", "text": "1.5 years", "days": 547.875}),
    ("30 days", {"value": 30, "unit": "days", "text": "30 days", "days": 30}),
    ("24 hours", {"value": 24, "unit": "hours", "text": "24 hours"}),
])
def test_json_amounts_are_as_a_person_writes_them(text, expected):
    written = Quantity.parse(text).to_json()
    assert written == expected
    assert type(written["value"]) is type(expected["value"])  # 6, not 6.0


def test_json_amounts_in_query_results(run_cli, rust_db):
    query = 'penalties where defendant = "Dave Halls" and amount is not empty show kind, amount'
    rows = json.loads(run_cli("query", query, "--db", rust_db, "-f", "json").out)
    amounts = {row["kind"]: row["amount"] for row in rows}
    assert amounts["fine"] == {"value": 500, "unit": "dollars", "text": "$500"}
    assert amounts["probation"]["value"] == 6 and amounts["probation"]["unit"] == "months"


def test_a_text_that_is_not_an_amount_gives_the_normal_unit():
    assert Quantity("money", 50010.0, "some money").to_json() == {
        "value": 500.1, "unit": "dollars", "text": "some money"}
    assert Quantity("duration", 182.625, "half a year").to_json() == {
        "value": 182.625, "unit": "days", "text": "half a year", "days": 182.625}


def test_normalised_values_are_exact():
    assert Quantity.parse("$0.10").value == 10.0
    assert Quantity.parse("$5,000.50").value == 500050.0
    assert Quantity.parse("six months").value == 182.625


def test_table_and_csv_show_the_amount_as_written(run_cli, rust_db):
    out = run_cli("query", 'penalties where kind in ("fine", "unstated") show amount',
                  "--db", rust_db, "-f", "csv").out
    assert list(csv.reader(io.StringIO(out)))[1:] == [["$500"], ["$5,000"]]
