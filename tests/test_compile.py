"""The compiler: resolved query -> one SQL statement.

Golden file tests/golden/sql.txt: each `### QUERY` block holds the SQL (SQLite dialect,
parameters listed) the query compiles to. To change a golden on purpose, run
`CASEKB_UPDATE_GOLDEN=1 pytest tests/test_compile.py` and review the diff before committing;
to add a query, add a `### QUERY` line with an empty body and regenerate.
"""

from __future__ import annotations

import re

import pytest
from goldenfiles import FOLDER, UPDATE, read_golden, write_golden
from sqlalchemy.dialects import postgresql

from casekb.lang import registry, tables
from casekb.lang.compiler import compile_text, contains_pattern, sql_parameters, sql_text

GOLDEN = FOLDER / "sql.txt"


QUERIES = list(read_golden(GOLDEN))


@pytest.fixture(scope="module")
def updated():
    """Regenerates the golden file when CASEKB_UPDATE_GOLDEN=1 (review the diff!)."""
    if UPDATE:
        blocks = {q: sql_text(compile_text(q).statement()) for q in QUERIES}
        write_golden(GOLDEN, blocks)
    return read_golden(GOLDEN)


@pytest.mark.parametrize("query", QUERIES)
def test_golden_sql(query, updated):
    assert sql_text(compile_text(query).statement()) == updated[query]


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
def test_every_golden_query_compiles_for_postgresql(query):
    sql = sql_text(compile_text(query).statement(), postgresql.dialect())
    assert "group_concat" not in sql  # SQLite's name for aggregate_strings


def test_user_text_never_reaches_the_sql():
    hostile = "x'; DROP TABLE charges; --"
    compiled = compile_text(f'charges where offense = "{hostile}" or defendant ~ "{hostile}"')
    statement = compiled.statement()
    assert "DROP" not in sql_text(statement).split("-- parameters:")[0]
    values = sql_parameters(statement).values()
    assert hostile.casefold() in values and contains_pattern(hostile.casefold()) in values


def test_contains_matches_percent_and_underscore_literally():
    assert contains_pattern("100%_a/b") == "%100/%/_a//b%"


def test_names_match_through_aliases_with_folded_values():
    sql = sql_text(compile_text('charges where defendant = "DAVID Halls"').statement())
    assert "person_aliases.alias_folded = :defendant_1" in sql
    assert "people.name_folded = :defendant_1" in sql
    assert ":defendant_1 = 'david halls'" in sql


def test_only_the_tables_a_query_needs_are_joined():
    sql = sql_text(compile_text("count charges").statement())
    assert "JOIN" not in sql
    sql = sql_text(compile_text("charges show counts, offense order by counts").statement())
    assert "JOIN offenses AS offense" in sql and "people" not in sql
    # the default order (by defendant) needs the defendant's name
    assert "JOIN people AS defendant" in sql_text(compile_text("charges show counts").statement())


def test_a_limit_and_a_row_cap_take_the_smaller():
    compiled = compile_text("charges limit 5")
    assert sql_parameters(compiled.statement(3))["param_1"] == 3
    assert sql_parameters(compiled.statement(100))["param_1"] == 5
    assert "LIMIT" not in sql_text(compile_text("charges").statement())


def test_every_registry_column_exists_in_the_models_with_its_type():
    from casekb.models import Base

    for light in tables.ALL:
        model = Base.metadata.tables[light.name]
        for column in light.core.columns:
            assert column.name in model.c, f"{light.name}.{column.name} is not in the models"
            wanted = type(model.c[column.name].type)
            assert isinstance(column.type, wanted) or issubclass(wanted, type(column.type)), \
                f"{light.name}.{column.name}: {column.type!r} vs {wanted.__name__}"


def test_every_entity_and_field_compiles_shown_ordered_and_tested():
    for entity in registry.ENTITIES:
        for field in entity.fields:
            name = field.name
            compile_text(f"{entity.name} show {name} order by {name} desc").statement()
            compile_text(f"{entity.name} where {name} is empty").statement()
            compile_text(f"count {entity.name} by {name}").statement()


def test_the_registry_has_at_least_the_issue_contract():
    contract = {
        "cases": "title jurisdiction venue incident",
        "people": "name aliases role case",
        "defendants": "name case role",
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
    sql = sql_text(compile_text('charges where defendant = "x" and filed = 2024 '
                                'show counts').statement())
    params = re.findall(r"--   :(\w+) =", sql)
    assert params == ["defendant_1", "filed_from_1", "filed_to_1"]


def test_lists_are_joined_in_order_on_postgresql_too():
    # PostgreSQL promises no order for string_agg over an ordered sub-query: the order is
    # written into the aggregate there; SQLite's group_concat keeps its input's order.
    from sqlalchemy.dialects import postgresql

    statement = compile_text("people show name, role").statement()
    on_postgres = sql_text(statement, postgresql.dialect())
    assert "string_agg(role_values.value, :list_separator::VARCHAR ORDER BY role_values.value)" \
        in on_postgres
    assert "group_concat(role_values.value, :list_separator)" in sql_text(statement)
