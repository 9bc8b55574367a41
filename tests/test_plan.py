"""The planner: resolved query -> the SQL that runs, with its parameters.

Golden file tests/golden/sql.txt: each `### QUERY` block is the SQLite plan of the query, as
`explain` prints it (the SQL that runs, then its parameters). It freezes what the planner
wrote, and reading a diff of it is how a change of the SQL gets reviewed; it is not the truth:
tests/test_metamorphic.py holds the answers to properties. To change a golden on purpose, run
`CASEKB_UPDATE_GOLDEN=1 pytest tests/test_plan.py` and review the diff before committing; to
add a query, add a `### QUERY` line with an empty body and regenerate.

The properties here are those of plans as such: a plan is the plan of the query's whole shape
(another query of the shape gets the same SQL, and its own values bound by the recipes, which
give what planning it afresh gives); user text never reaches the SQL; only the tables a query
needs are joined.
"""

from __future__ import annotations

import re

import pytest
from asking import check
from goldenfiles import FOLDER, UPDATE, read_golden, write_golden
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lang_properties import queries

from casekb.dates import PartialDate
from casekb.execute.results import Explanation
from casekb.lang import registry
from casekb.lang.patterns import contains_pattern
from casekb.lang.resolve import AllOf, AnyOf, Negated, Value
from casekb.lang.resolve import Test as FieldTest
from casekb.plan.planner import make_plan
from casekb.plan.shape import shape_of
from casekb.quantities import Quantity

GOLDEN = FOLDER / "sql.txt"
QUERIES = list(read_golden(GOLDEN))


def planned(text: str, dialect: str = "sqlite", *, cap: int | None = None):
    query = check(text)
    plan = make_plan(query, dialect, capped=cap is not None or query.limit is not None)
    return plan, plan.query.bind(query.given, dialect, cap)


def shown(text: str, dialect: str = "sqlite") -> str:
    plan, parameters = planned(text, dialect)
    return Explanation(plan.query.sql, parameters, dialect).text


@pytest.fixture(scope="module")
def updated():
    """Regenerates the golden file when CASEKB_UPDATE_GOLDEN=1 (review the diff!)."""
    if UPDATE:
        write_golden(GOLDEN, {q: shown(q) for q in QUERIES})
    return read_golden(GOLDEN)


@pytest.mark.parametrize("query", QUERIES)
def test_golden_sql(query, updated):
    assert shown(query) == updated[query]


def test_golden_file_covers_every_example_of_the_issue():
    examples = [
        'defendants',
        'charges where defendant = "Alec Baldwin"',
        'charges where defendant = "Dave Halls"',
        'charges where defendant ~ "baldwin" and filed >= 2024',
        'pleas where plea = "no contest"',
        'verdicts where outcome = "guilty" show defendant, offense, decided',
        'penalties where offense = "involuntary manslaughter" and bound = "maximum"',
        'penalties where kind = "fine" and amount >= $500 order by amount desc',
        'penalties where amount >= 12 months',
        'count charges by defendant',
        'count charges by defendant, status order by count desc',
        'charges where defendant = "Alec Baldwin" as of 2023-06-01',
        'events where case = "Rust" order by date',
        'statements where speaker = "Mickey Rourke" with sources',
        'charges where status in ("pending", "convicted") and not (counts > 1)',
        'charges where closed is empty',
    ]
    assert [q for q in examples if q not in QUERIES] == []


@pytest.mark.parametrize("query", QUERIES)
def test_every_golden_query_plans_for_postgresql(query):
    sql = shown(query, "postgresql")
    assert "group_concat" not in sql  # SQLite's name for the aggregate
    # psycopg's style of parameters, never sqlite3's
    assert not re.search(r"(?<!:):\w", re.sub(r"::\w+|'[^']*'", "", sql.split("-- parameters")[0]))


def test_user_text_never_reaches_the_sql():
    hostile = "x'; DROP TABLE charges; --"
    plan, parameters = planned(f'charges where offense = "{hostile}" or defendant ~ "{hostile}"')
    assert "DROP" not in plan.query.sql
    assert hostile.casefold() in parameters.values()
    assert contains_pattern(hostile.casefold()) in parameters.values()


def test_contains_matches_percent_and_underscore_literally():
    assert contains_pattern("100%_a/b") == "%100/%/_a//b%"


def test_names_match_through_aliases_and_ids_with_folded_values():
    plan, parameters = planned('charges where defendant = "DAVID Halls"')
    assert "person_aliases.alias_folded = :defendant_1" in plan.query.sql
    assert "people.name_folded = :defendant_1" in plan.query.sql
    assert 'people."key" = :defendant_1' in plan.query.sql
    assert parameters["defendant_1"] == "david halls"


def test_only_the_tables_a_query_needs_are_joined():
    assert "JOIN" not in planned("count charges")[0].query.sql
    sql = planned("charges show counts, offense order by counts")[0].query.sql
    assert "JOIN offenses AS offense" in sql and "people" not in sql
    # the default order (by defendant) needs the defendant's name
    assert "JOIN people AS defendant" in planned("charges show counts")[0].query.sql


def test_a_limit_and_a_row_cap_take_the_smaller():
    assert planned("charges limit 5", cap=3)[1]["row_limit"] == 4  # the cap, plus one row
    assert planned("charges limit 5", cap=100)[1]["row_limit"] == 5
    assert planned("charges limit 5")[1]["row_limit"] == 5
    assert "LIMIT" not in planned("charges")[0].query.sql


def test_every_entity_and_field_plans_shown_ordered_tested_and_counted():
    for entity in registry.ENTITIES:
        for field in entity.fields:
            name = field.name
            for text in (f"{entity.name} show {name} order by {name} desc",
                         f"{entity.name} where {name} is empty",
                         f"count {entity.name} by {name}"):
                for dialect in ("sqlite", "postgresql"):
                    assert planned(text, dialect)[0].query.sql.startswith("SELECT"), text


def test_the_registry_has_at_least_the_issue_contract():
    contract = {
        "cases": "title jurisdiction venue incident",
        "people": "name aliases role case",
        "defendants": "name case title",
        "charges": "defendant offense class counts enhancement filed closed status case",
        "pleas": "defendant offense plea entered agreement",
        "verdicts": "defendant offense outcome decided by",
        "sentences": "defendant offense imposed summary",
        "penalties": "defendant offense kind bound amount suspended",
        "events": "case date kind description",
        "statements": "speaker about date stance quote",
        "sources": "id outlet headline published",
    }
    for name, fields in contract.items():
        entity = registry.entity(name)
        assert entity is not None and registry.entity(entity.singular) is entity
        assert set(fields.split()) <= set(entity.field_names), name


def test_explain_lists_parameters_in_the_order_they_appear():
    text = shown('charges where defendant = "x" and filed = 2024 show counts')
    assert re.findall(r"--   :(\w+) =", text) == ["defendant_1", "filed_from_1", "filed_to_1"]


def test_lists_are_joined_in_order_on_postgresql_too():
    # PostgreSQL promises no order for string_agg over an ordered sub-query: the order is
    # written into the aggregate there; SQLite's group_concat keeps its input's order.
    assert ("string_agg(role_values.value, %(list_separator_1)s::VARCHAR ORDER BY "
            "role_values.value)") in planned("people show name, role", "postgresql")[0].query.sql
    assert "group_concat(role_values.value, :list_separator_1)" in \
        planned("people show name, role")[0].query.sql


# -- a plan is the plan of its whole shape --------------------------------------------------

def _other_value(value, draw):
    """Another value of the same type (the slot keeps its place)."""
    if isinstance(value, bool):
        return draw(st.booleans())
    if isinstance(value, int):
        return draw(st.integers(0, 10**6))
    if isinstance(value, PartialDate):
        year = draw(st.integers(1990, 2030))
        month = draw(st.none() | st.integers(1, 12))
        return PartialDate.parse(f"{year}" if month is None else f"{year}-{month:02d}")
    if isinstance(value, Quantity):
        return Quantity.parse(draw(st.sampled_from(["3 days", "18 months", "$500", "24 hours",
                                                    "$5,000.50", "2 years"])))
    return draw(st.text(min_size=1, max_size=12).filter(lambda t: "\x00" not in t
                                                        and not ("\ud800" <= t[:1] <= "\udfff")))


def _with_values(query, values):
    def walk(node):
        if isinstance(node, (AllOf, AnyOf)):
            return type(node)(tuple(walk(item) for item in node.items))
        if isinstance(node, Negated):
            return Negated(walk(node.item))
        if isinstance(node, FieldTest):
            return FieldTest(node.field, node.op, tuple(values[v.slot] for v in node.values),
                             node.possibly)
        return node

    import dataclasses

    def swap(value):
        return None if value is None else values[value.slot]

    return dataclasses.replace(query, condition=walk(query.condition), as_of=swap(query.as_of),
                               limit=swap(query.limit), values=tuple(values))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), dialect=st.sampled_from(["sqlite", "postgresql"]),
       cap=st.none() | st.integers(0, 50))
def test_a_plan_serves_every_query_of_its_shape(data, dialect, cap):


    query = check(data.draw(queries()))
    others = [Value(v.slot, _other_value(v.value, data.draw)) for v in query.values]
    if any(type(a.value) is not type(b.value) for a, b in zip(query.values, others)):
        return
    if query.limit is not None and not isinstance(others[query.limit.slot].value, int):
        return
    other = _with_values(query, others)
    assert shape_of(other) == shape_of(query)
    capped = cap is not None or query.limit is not None
    plan = make_plan(query, dialect, capped=capped)
    fresh = make_plan(other, dialect, capped=capped)
    assert fresh == plan  # the same SQL, columns and recipes: values change nothing of it
    assert plan.query.bind(other.given, dialect, cap) == \
        fresh.query.bind(other.given, dialect, cap)
