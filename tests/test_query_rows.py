"""Queries answered from a store: the rows they return.

Two kinds of tests:
- golden rows on the Rust store built from seeds/ (tests/golden/rows.txt, each block the TSV
  a query prints). The expected rows were checked by hand against seeds/articles/; to change
  them on purpose run `CASEKB_UPDATE_GOLDEN=1 pytest tests/test_query_rows.py` and review
  the diff against the articles before committing.
- the language's semantics (partial dates, amounts, aliases, `as of`, literal matching) on a
  small store made here, where every edge case is present on purpose.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from goldenfiles import FOLDER, UPDATE, read_golden, write_golden
from sqlalchemy import select

from casekb.errors import UnknownNameError
from casekb.render import write_result
from casekb.schema.tables import table

GOLDEN = FOLDER / "rows.txt"


def tsv(kb, query: str) -> str:
    out = io.StringIO()
    write_result(kb.query(query, cap=None), "tsv", out)
    return out.getvalue().rstrip("\n")


QUERIES = list(read_golden(GOLDEN))


@pytest.fixture(scope="module")
def golden_rows(rust_kb):
    if UPDATE:
        write_golden(GOLDEN, {q: tsv(rust_kb, q) for q in QUERIES})
    return read_golden(GOLDEN)


@pytest.mark.parametrize("query", QUERIES)
def test_golden_rows_on_the_rust_store(query, rust_kb, golden_rows):
    assert tsv(rust_kb, query) == golden_rows[query]


def test_golden_rows_cover_every_golden_sql_query():
    # tests/golden/sql.txt starts with the examples (tests/test_compile.py checks it).
    sql_queries = read_golden(GOLDEN.parent / "sql.txt")
    assert [q for q in sql_queries if q not in QUERIES] == []


# -- A small store with every edge case ---------------------------------------------------

def _day(text: str) -> dict:
    from casekb.dates import PartialDate

    parsed = PartialDate.parse(text)
    return {"start": parsed.start, "end": parsed.end, "precision": parsed.precision.value}


def _dated(prefix: str, text: str | None) -> dict:
    if text is None:
        return {prefix: None, f"{prefix}_end": None, f"{prefix}_precision": None}
    parts = _day(text)
    return {prefix: parts["start"], f"{prefix}_end": parts["end"],
            f"{prefix}_precision": parts["precision"]}


def _amount(text: str) -> dict:
    from casekb.quantities import Quantity

    quantity = Quantity.parse(text)
    return {"amount_value": quantity.value, "amount_unit": quantity.unit,
            "amount_dimension": quantity.dimension, "amount_text": quantity.text}


@pytest.fixture
def small(empty_store):
    """A store holding three defendants and charges filed at every precision."""
    rows = {
        "cases": [dict(id=1, key="example", title="State v. Example",
                      title_folded="state v. example", **_dated("incident", "2023-06"))],
        "case_aliases": [dict(id=1, key="example-alias", case_id=1, alias="Example",
                           alias_folded="example")],
        "people": [dict(id=1, key="ann", name="Ann Smith", name_folded="ann smith"),
                   dict(id=2, key="bob", name="Bob O'Neil", name_folded="bob o'neil"),
                   dict(id=3, key="cat", name="Cat_100%", name_folded="cat_100%")],
        "person_aliases": [dict(id=1, key="annie", person_id=1, alias="Annie Smith",
                             alias_folded="annie smith")],
        "roles": [dict(id=i, key=f"role-{i}", case_id=1, person_id=i, role="defendant")
                 for i in (1, 2, 3)],
        "offenses": [dict(id=1, key="theft", name="Theft", name_folded="theft"),
                    dict(id=2, key="fraud", name="Fraud", name_folded="fraud"),
                    # An offense nobody is charged with: a known name that matches no charge.
                    dict(id=3, key="arson", name="Arson", name_folded="arson")],
        "charges": [
            dict(id=1, key="c1", case_id=1, defendant_id=1, offense_id=1, counts=1,
                 status="pending", **_dated("filed", "2024-01-19"), **_dated("closed", None)),
            dict(id=2, key="c2", case_id=1, defendant_id=1, offense_id=2, counts=3,
                 status="dismissed", **_dated("filed", "2024-01"), **_dated("closed", "2024-06-10")),
            dict(id=3, key="c3", case_id=1, defendant_id=2, offense_id=1, counts=None,
                 status="convicted", **_dated("filed", "2023"), **_dated("closed", None)),
            dict(id=4, key="c4", case_id=1, defendant_id=2, offense_id=2, counts=2,
                 status=None, **_dated("filed", None), **_dated("closed", None)),
            dict(id=5, key="c5", case_id=1, defendant_id=3, offense_id=1, counts=1,
                 status="pending", **_dated("filed", "2023-12-31"), **_dated("closed", None)),
        ],
        "charge_statuses": [
            dict(id=1, key="s1", charge_id=2, status="pending", **_dated("date", "2024-01")),
            dict(id=2, key="s2", charge_id=2, status="dismissed", **_dated("date", "2024-06-10")),
            dict(id=3, key="s3", charge_id=3, status="pending", **_dated("date", "2023")),
            dict(id=4, key="s4", charge_id=3, status="convicted", **_dated("date", "2024-02-01")),
        ],
        "pleas": [
            dict(id=1, key="p1", charge_id=1, plea="not guilty", agreement=False,
                 **_dated("entered", "2024-02-01")),
            dict(id=2, key="p2", charge_id=1, plea="guilty", agreement=True,
                 **_dated("entered", "2024-05-01")),
            dict(id=3, key="p3", charge_id=3, plea="guilty", agreement=None,
                 **_dated("entered", None)),
        ],
        "sentences": [dict(id=1, key="sentence", charge_id=3, summary="probation",
                          **_dated("imposed", "2024-03"))],
        "penalties": [
            dict(id=1, key="max-jail", offense_id=1, kind="jail", bound="maximum",
                 suspended=False, unsupervised=False, **_amount("1 year")),
            dict(id=2, key="max-fine", offense_id=1, kind="fine", bound="maximum",
                 suspended=False, unsupervised=False, **_amount("$1,000")),
            dict(id=3, key="probation", sentence_id=1, kind="probation", bound="imposed",
                 suspended=False, unsupervised=True, **_amount("18 months")),
            dict(id=4, key="service", sentence_id=1, kind="community service",
                 bound="imposed", suspended=False, unsupervised=False, **_amount("40 hours")),
            dict(id=5, key="charge-min", charge_id=2, kind="prison", bound="minimum",
                 suspended=False, unsupervised=False, **_amount("2 years")),
        ],
        "events": [dict(id=1, key="e1", case_id=1, kind="incident", description="It happened",
                       **_dated("date", "2023-06"))],
        "sources": [dict(id=1, key="article", file="articles/a.txt", outlet="Gazette",
                        sha256="0" * 64, text="Ann Smith was charged.",
                        **_dated("published", "2024-01-20"))],
        "evidence": [dict(id=1, source_id=1, fact_table="charges", fact_id=1,
                          quote="Ann Smith was charged."),
                     dict(id=2, source_id=1, fact_table="charges", fact_id=1,
                          quote="charged")],
    }
    empty_store.insert(rows)
    with empty_store.open() as kb:
        yield kb


def answer(engine, query: str, column: str | None = None) -> list:
    result = engine.run(query, cap=None)
    if column is None:
        return result.rows
    index = result.column_names.index(column)
    return [row[index] for row in result.rows]


def charge_ids(engine, condition: str) -> list[int]:
    # The default order is by defendant, filed date, offense: stable for these charges.
    result = engine.run(f"charges where {condition} show counts, offense, filed", cap=None)
    keys = {(r[1], str(r[2]) if r[2] else None) for r in result.rows}
    known = {("Theft", "2024-01-19"): 1, ("Fraud", "2024-01"): 2, ("Theft", "2023"): 3,
             ("Fraud", None): 4, ("Theft", "2023-12-31"): 5}
    return sorted(known[key] for key in keys)


@pytest.mark.parametrize("condition, expected", [
    ("filed = 2024-01", [1, 2]),  # both lie within January
    ("filed = 2024", [1, 2]),
    ("filed = 2024-01-19", [1]),  # the month 2024-01 does not lie within the day
    ("filed >= 2024-01-10", [1]),  # starts on or after: the month starts on the 1st
    ("filed >= 2024", [1, 2]),
    ("filed > 2023", [1, 2]),  # starts after the end of 2023
    ("filed > 2023-12", [1, 2]),
    ("filed <= 2023-12", [3, 5]),  # ends by the end of December 2023
    ("filed < 2024-01-19", [3, 5]),  # the month 2024-01 ends after the 19th
    ("filed < 2024", [3, 5]),
    ("filed != 2024-01", [3, 5]),  # the unknown date (charge 4) never matches
    ("not (filed = 2024-01)", [3, 5]),
    ("filed is empty", [4]),
    ("filed is not empty", [1, 2, 3, 5]),
    ("filed in (2023, 2024-01-19)", [1, 3, 5]),
    ("closed is empty", [1, 3, 4, 5]),
])
def test_partial_dates_compare_as_ranges(small, condition, expected):
    assert charge_ids(small, condition) == expected


@pytest.mark.parametrize("condition, kinds", [
    ("amount >= 1 year", ["jail", "prison", "probation"]),
    ("amount = 12 months", ["jail"]),  # durations compare across units
    ("amount = 12months", ["jail"]),
    ("amount = 52 weeks", []),  # 364 days is not a year
    ("amount > 500 days", ["prison", "probation"]),
    ("amount > $500", ["fine"]),  # money only matches money
    ("amount = $1,000", ["fine"]),
    ("amount < 2 days", []),  # hours of service are not a duration
    ("amount = 40 hours", ["community service"]),
    ("amount != 1 year", ["prison", "probation"]),  # same dimension, other value
    ("amount is empty", []),
])
def test_amounts_match_their_own_dimension(small, condition, kinds):
    assert sorted(answer(small, f"penalties where {condition}", "kind")) == kinds


def test_an_unknown_value_matches_no_comparison(small):
    # What `describe` says (registry.EMPTY_RULE): != and not in leave unknown values out too.
    assert answer(small, "pleas where agreement != true", "plea") == ["not guilty"]
    assert answer(small, "pleas where agreement is empty", "plea") == ["guilty"]
    assert charge_ids(small, "counts != 1") == [2, 4]  # charge 3 has no count
    assert charge_ids(small, "counts not in (1, 2)") == [2]
    assert charge_ids(small, "not (counts = 1)") == [2, 4]


def test_names_match_any_alias_ignoring_case(small):
    assert answer(small, 'charges where defendant = "ANNIE smith" show defendant') == \
        [("Ann Smith",), ("Ann Smith",)]
    assert answer(small, 'defendants where name ~ "smi"', "name") == ["Ann Smith"]
    assert answer(small, 'events where case = "example"', "kind") == ["incident"]


def test_contains_takes_percent_and_underscore_literally(small):
    assert answer(small, 'defendants where name ~ "%"', "name") == ["Cat_100%"]
    assert answer(small, 'defendants where name ~ "_1"', "name") == ["Cat_100%"]
    assert answer(small, 'defendants where name ~ "t_1"', "name") == ["Cat_100%"]
    assert answer(small, 'charges where offense ~ "_"') == []


def test_hostile_text_is_only_ever_a_value(small, empty_store):
    hostile = "x'; DROP TABLE charges; --"
    assert answer(small, f'charges where offense ~ "{hostile}" or defendant ~ "{hostile}"') == []
    with pytest.raises(UnknownNameError, match="no offense called “x'; DROP TABLE"):
        answer(small, f'charges where offense = "{hostile}"')
    assert answer(small, 'defendants where name = "Bob O\'Neil"', "name") == ["Bob O'Neil"]
    with empty_store.engine.connect() as connection:
        assert len(connection.execute(select(table("charges").c.id)).all()) == 5


def test_long_lists_and_long_conditions_run(small):
    # SQLite refuses expressions nested 1000 deep: lists of plain values are one IN (...), and
    # a condition stops at MAX_TESTS tests (each value of a list counts), well short of that.
    from casekb.errors import QueryError
    from casekb.lang.resolve import MAX_TESTS

    numbers = ", ".join(["7"] * (MAX_TESTS - 1) + ["3"])
    assert answer(small, f"charges where counts in ({numbers}) show counts", "counts") == [3]
    with pytest.raises(QueryError, match=f"more than {MAX_TESTS} tests"):
        answer(small, f"charges where counts in ({numbers}, 1) show counts")
    offenses = ", ".join(['"arson"'] * (MAX_TESTS - 1) + ['"FRAUD"'])
    assert answer(small, f"charges where offense in ({offenses}) show counts", "counts") == \
        [3, 2]
    chain = " or ".join(['offense = "arson"'] * (MAX_TESTS - 1) + ["counts = 3"])
    assert answer(small, f"charges where {chain} show counts", "counts") == [3]
    dates = ", ".join(["1999"] * (MAX_TESTS - 1) + ["2024-01-19"])
    assert charge_ids(small, f"filed in ({dates})") == [1]


def test_an_offense_nobody_has_is_an_error_not_no_rows(small):
    # As for a person or a case: a misspelt offense is said, with the nearest name.
    with pytest.raises(UnknownNameError, match="no offense called “thfet”") as raised:
        answer(small, 'charges where offense = "thfet"')
    assert raised.value.hints == ["did you mean “Theft”?"]
    for text in ('charges where offense in ("fraud", "frud")', 'charges where offense != "x"',
                 'penalties where not (offense in ("x"))'):
        with pytest.raises(UnknownNameError):
            answer(small, text)
    # A known offense that no row has gives no rows; `~` may match nothing, as for names.
    assert answer(small, 'charges where offense = "ARSON"') == []
    assert answer(small, 'charges where offense ~ "zzz"') == []
    assert answer(small, 'charges where offense in ("arson", "Fraud") show counts',
                  "counts") == [3, 2]


def test_text_compares_ignoring_case(small):
    assert answer(small, 'charges where offense = "THEFT" show counts', "counts") == [1, None, 1]


def test_as_of_keeps_charges_in_force_with_their_status_then(small):
    rows = answer(small, "charges as of 2024-03-01 show offense, filed, status")
    # A status comes with when it was last reported (none here: no entry cites a dated article).
    assert [(offense, str(filed), status and status.value) for offense, filed, status in rows] == [
        ("Fraud", "2024-01", "pending"),  # dismissed only in June
        ("Theft", "2024-01-19", None),  # no status entries: no status then
        ("Theft", "2023", "convicted"),  # convicted on 2024-02-01
        ("Theft", "2023-12-31", None),
    ]  # charge 4 has no filing date: excluded


def test_as_of_counts_a_partial_date_once_all_of_it_has_passed(small):
    # The rule of `<=`: a charge filed "2024-01" may have been filed after 10 January, so it is
    # not shown as in force then; nor is a status or an event dated by month or year.
    def filed_as_of(day: str) -> list[str]:
        return sorted(str(filed) for filed in answer(small, f"charges as of {day}", "filed"))

    assert filed_as_of("2024-01-10") == ["2023", "2023-12-31"]
    assert filed_as_of("2024-01") == ["2023", "2023-12-31", "2024-01", "2024-01-19"]
    assert answer(small, "charges as of 2023-06 show filed") == []  # "2023" not yet over
    assert [status.value for status in answer(
        small, "charges where counts is empty as of 2023-12-31 show status", "status")] == [
        "pending"]  # filed and pending "2023"
    assert answer(small, "events as of 2023-06-15") == []
    assert answer(small, "events as of 2023-06", "kind") == ["incident"]
    assert answer(small, "defendants as of 2023-06", "name") == []
    assert answer(small, "defendants as of 2023", "name") == ["Bob O'Neil", "Cat_100%"]


def test_as_of_drops_charges_closed_before_the_date(small):
    assert answer(small, "charges as of 2024-07 show offense", "offense") == \
        ["Theft", "Theft", "Theft"]
    assert answer(small, "charges as of 2022 show offense") == []


def test_as_of_gives_the_latest_plea_then(small):
    assert answer(small, "pleas as of 2024-03", "plea") == ["not guilty"]
    assert answer(small, "pleas as of 2024-06", "plea") == ["guilty"]
    assert answer(small, "pleas", "plea") == ["not guilty", "guilty", "guilty"]


def test_as_of_penalties(small):
    # Offense maxima always; the charge's minimum while charge 2 is in force; the sentence's
    # terms once imposed (2024-03).
    assert sorted(answer(small, "penalties as of 2023-06", "kind")) == ["fine", "jail"]
    assert sorted(answer(small, "penalties as of 2024-02", "kind")) == ["fine", "jail", "prison"]
    assert sorted(answer(small, "penalties as of 2024-12", "kind")) == \
        ["community service", "fine", "jail", "probation"]


def test_count_by_a_field_and_order_by_count(small):
    assert answer(small, "count charges by defendant order by count desc, defendant") == [
        ("Ann Smith", 2), ("Bob O'Neil", 2), ("Cat_100%", 1)]
    assert answer(small, "count charges as of 2024-03-01 by status order by status") == [
        ("convicted", 1), ("pending", 1), (None, 2)]
    assert answer(small, "count charges") == [(5,)]


def test_count_by_a_field_of_several_values_counts_each_row_under_each_value(small,
                                                                             empty_store):
    empty_store.insert({
        "roles": [dict(id=4, key="role-4", case_id=1, person_id=1, role="victim")],
        "charge_enhancements": [dict(id=1, key="e1", charge_id=1, enhancement="firearm"),
                                dict(id=2, key="e2", charge_id=1, enhancement="gang"),
                                dict(id=3, key="e3", charge_id=2, enhancement="firearm")]})
    # Ann is a defendant and a victim: she counts under both, once each.
    assert answer(small, "count people by role") == [("defendant", 3), ("victim", 1)]
    assert answer(small, "count people by role, case order by role") == [
        ("defendant", "State v. Example", 3), ("victim", "State v. Example", 1)]
    assert answer(small, "count charges by enhancement") == [(None, 3), ("firearm", 2),
                                                             ("gang", 1)]
    assert answer(small, 'count charges where enhancement = "gang" by enhancement, defendant '
                         'order by enhancement') == [("firearm", "Ann Smith", 1),
                                                     ("gang", "Ann Smith", 1)]


def test_order_and_limit(small):
    assert answer(small, "charges show counts order by counts desc limit 2", "counts") == [3, 2]
    assert answer(small, "charges show counts order by counts", "counts") == [1, 1, 2, 3, None]
    # Dates by their first day, then their last; unknown dates last, whatever the direction.
    filed = [str(d) if d else None for d in answer(small, "charges order by filed", "filed")]
    assert filed == ["2023", "2023-12-31", "2024-01", "2024-01-19", None]
    filed = [str(d) if d else None for d in answer(small, "charges order by filed desc", "filed")]
    assert filed == ["2024-01-19", "2024-01", "2023-12-31", "2023", None]


def test_with_sources_carries_every_quote_of_each_row(small):
    result = small.query('charges where defendant = "Ann Smith" show offense with sources',
                         cap=None)
    assert result.rows == [("Fraud",), ("Theft",)]
    fraud, theft = result.evidence
    assert fraud == []
    assert [e.quote for e in theft] == ["Ann Smith was charged.", "charged"]
    assert theft[0].source == "article" and theft[0].outlet == "Gazette"
    assert str(theft[0].published) == "2024-01-20"


def test_the_row_cap_counts_facts_and_says_when_it_cut(small):
    result = small.query("charges with sources", cap=2)
    assert len(result.rows) == 2 and result.truncated and len(result.evidence) == 2
    result = small.query("charges", cap=5)
    assert len(result.rows) == 5 and not result.truncated
    result = small.query("charges limit 3", cap=3)
    assert not result.truncated


def test_values_come_back_typed(small):
    from casekb.dates import PartialDate
    from casekb.quantities import Quantity

    row = answer(small, 'penalties where kind = "probation" show amount, suspended, level')[0]
    assert row == (Quantity("duration", 547.875, "18 months"), False, "sentence")
    filed = answer(small, 'charges where counts = 3 show filed, counts')[0]
    assert filed == (PartialDate.parse("2024-01"), 3)
    assert answer(small, "cases show aliases, incident")[0] == (("Example",),
                                                               PartialDate.parse("2023-06"))


def test_describe_gives_examples_from_the_store(small):
    description = small.run("describe charges")
    examples = {f.name: f.examples for f in description.fields}
    assert examples["defendant"][:2] == ("Ann Smith", "Bob O'Neil")
    assert examples["status"][0] == "pending"
    assert examples["filed"] == ("2023", "2023-12-31", "2024-01")  # all once: in date order
    assert examples["offense"] == ("Theft", "Fraud")  # the most frequent first


def test_explain_does_not_need_a_store(tmp_path):
    from casekb.kb import KB

    explanation = KB(str(tmp_path / "none.sqlite")).explain("charges where counts > 1")
    assert "charges.counts > :counts_1" in explanation.sql
    assert explanation.parameters["counts_1"] == 1
    assert any(note.startswith("names not checked: no casekb store at ")
               for note in explanation.notes)


def test_the_day_helper_agrees_with_partial_dates():
    assert _day("2024-02")["end"] == date(2024, 2, 29)
