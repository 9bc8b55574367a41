"""Rendering results: table, csv, tsv, json, jsonl and markdown."""

from __future__ import annotations

import csv
import io
import json

import pytest

from casekb import render
from casekb.dates import PartialDate
from casekb.execute.results import Evidence, Explanation, QueryResult
from casekb.plan.plan import Column as OutputColumn
from casekb.quantities import Quantity

COLUMNS = (
    OutputColumn("defendant", "name", ("defendant",)),
    OutputColumn("counts", "integer", ("counts",)),
    OutputColumn("filed", "date", ("filed", "filed_end", "filed_precision")),
    OutputColumn("amount", "quantity", ("amount", "amount_dimension", "amount_text")),
    OutputColumn("suspended", "boolean", ("suspended",)),
    OutputColumn("enhancement", "text", ("enhancement",), many=True),
)
ROWS = [
    ("Alec Baldwin", 2, PartialDate.parse("2024-01"), Quantity("duration", 547.875, "18 months"),
     False, ("firearm",)),
    ("Dave | Halls\tjr", None, None, Quantity("money", 50000.0, "$500"), True, ()),
]
EVIDENCE = [
    [Evidence("independent-2023-01-20", "The Independent", PartialDate.parse("2023-01-20"),
              "Baldwin was charged with two counts"),
     Evidence("bang-2024-03", None, None, 'said "no"')],
    [],
]


def out(result, fmt, **options) -> str:
    stream = io.StringIO()
    render.render(result, fmt, stream, **options)
    return stream.getvalue()


def result(evidence=None, rows=ROWS) -> QueryResult:
    return QueryResult(COLUMNS, list(rows), evidence=evidence)


def test_json_is_an_array_of_objects_with_real_types():
    data = json.loads(out(result(), "json"))
    assert data == [
        {"defendant": "Alec Baldwin", "counts": 2, "filed": "2024-01",
         "amount": {"value": 18, "unit": "months", "text": "18 months", "days": 547.875},
         "suspended": False, "enhancement": ["firearm"]},
        {"defendant": "Dave | Halls\tjr", "counts": None, "filed": None,
         "amount": {"value": 500, "unit": "dollars", "text": "$500"},
         "suspended": True, "enhancement": []},
    ]


def test_json_carries_evidence_as_a_list_of_objects():
    data = json.loads(out(result(EVIDENCE), "json"))
    assert data[0]["sources"] == [
        {"source": "independent-2023-01-20", "outlet": "The Independent",
         "published": "2023-01-20", "quote": "Baldwin was charged with two counts"},
        {"source": "bang-2024-03", "outlet": None, "published": None, "quote": 'said "no"'},
    ]
    assert data[1]["sources"] == []


def test_jsonl_is_one_object_a_line():
    lines = out(result(), "jsonl").splitlines()
    assert [json.loads(line)["defendant"] for line in lines] == ["Alec Baldwin", "Dave | Halls\tjr"]


def test_zero_rows():
    empty = result(rows=[])
    assert json.loads(out(empty, "json")) == []
    assert out(empty, "jsonl") == ""
    assert out(empty, "csv") == "defendant,counts,filed,amount,suspended,enhancement\n"
    table = out(empty, "table")
    assert "| defendant | counts |" in table and table.count("\n") == 4


def test_csv_is_text_for_spreadsheets():
    rows = list(csv.reader(io.StringIO(out(result(EVIDENCE), "csv"))))
    assert rows[0] == ["defendant", "counts", "filed", "amount", "suspended", "enhancement",
                       "sources"]
    assert rows[1][:6] == ["Alec Baldwin", "2", "2024-01", "18 months", "false", "firearm"]
    assert rows[1][6].splitlines() == [
        'independent-2023-01-20 (The Independent, 2023-01-20): "Baldwin was charged with two counts"',
        'bang-2024-03: "said "no""']
    assert rows[2][:6] == ["Dave | Halls\tjr", "", "", "$500", "true", ""]


def test_tsv_escapes_tabs_and_newlines():
    lines = out(result(EVIDENCE), "tsv").splitlines()
    assert len(lines) == 3
    assert lines[2].split("\t")[0] == "Dave | Halls\\tjr"
    assert "\\n" in lines[1].split("\t")[6]


def test_markdown_escapes_pipes():
    text = out(result(), "markdown")
    assert text.splitlines()[:2] == ["| defendant | counts | filed | amount | suspended | enhancement |",
                                     "|---|---|---|---|---|---|"]
    assert "| Dave \\| Halls\tjr |  |  | $500 | true |  |" in text


@pytest.mark.parametrize("fmt", ["table", "csv", "tsv", "markdown"])
def test_no_header(fmt):
    with_header = out(result(), fmt)
    without = out(result(), fmt, header=False)
    assert "defendant" in with_header and "defendant" not in without
    assert "Alec Baldwin" in without


def test_table_aligns_numbers_right_and_shows_values_for_people():
    table = out(result(), "table")
    assert "| Alec Baldwin    |      2 | 2024-01 | 18 months | false     | firearm     |" in table
    assert "| Dave | Halls jr |        |         | $500      | true      |             |" in table


def test_table_wraps_long_text_and_shows_evidence_blocks():
    long = ("x " * 50).strip()
    rows = [("Alec Baldwin", 1, None, None, None, (long,))]
    table = out(QueryResult(COLUMNS, rows, evidence=[EVIDENCE[0]]), "table")
    assert max(len(line) for line in table.splitlines()) < 200
    assert "independent-2023-01-20 · The Independent · 2023-01-20" in table
    assert "“Baldwin was charged with two counts”" in table


def test_the_plain_table_writer_draws_what_prettytable_draws(monkeypatch):
    expected = out(result(EVIDENCE), "table")
    monkeypatch.setattr(render, "PRETTYTABLE_MAX_ROWS", 0)
    assert out(result(EVIDENCE), "table") == expected
    expected = out(result(), "table", header=False)
    monkeypatch.setattr(render, "PRETTYTABLE_MAX_ROWS", 100)
    assert out(result(), "table", header=False) == expected


def test_explanation_as_text_and_as_json():
    explanation = Explanation("SELECT :x_1", {"x_1": "a"}, "sqlite", ("a note",))
    assert out(explanation, "table") == "SELECT :x_1\n-- parameters:\n--   :x_1 = 'a'\n-- a note\n"
    assert json.loads(out(explanation, "json")) == {
        "sql": "SELECT :x_1", "parameters": {"x_1": "a"}, "dialect": "sqlite",
        "notes": ["a note"]}
    on_postgresql = Explanation("SELECT %(x_1)s", {"x_1": "a"}, "postgresql")
    assert out(on_postgresql, "table") == "SELECT %(x_1)s\n-- parameters:\n--   %(x_1)s = 'a'\n"


def test_description_in_every_format():
    from casekb.lang.ast import Name
    from casekb.lang.describe import describe

    description = describe(Name("penalties"))
    table = out(description, "table")
    assert table.startswith("penalties (penalty): Penalties:")
    assert "| amount " in table and "How values compare:" in table
    data = json.loads(out(description, "json"))
    assert data["entity"] == "penalties" and data["with_sources"] is True
    fields = {f["field"]: f for f in data["fields"]}
    assert fields["kind"]["values"][:2] == ["prison", "jail"] and fields["amount"]["type"] == "quantity"
    rows = list(csv.reader(io.StringIO(out(description, "csv"))))
    assert rows[0] == ["field", "type", "meaning", "examples"] and len(rows) == 1 + len(fields)
    listing = json.loads(out(describe(None), "json"))
    assert [e["entity"] for e in listing["entities"]][:4] == ["cases", "people", "roles",
                                                              "defendants"]
