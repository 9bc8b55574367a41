"""The SQL views: one per language entity from the registry, v_evidence and v_disputes, and
the documented example SQL of schema/README.md run with the standard library's sqlite3 only."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

from casekb.lang.registry import ENTITIES, FieldType, Reported

REPO = Path(__file__).resolve().parent.parent
# Every entity has a generated view but disputes, whose view is the hand-made v_disputes
# (one row per conflicting fact).
VIEWED = [e for e in ENTITIES if e.name != "disputes"]


def _connect(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{path}?mode=ro", uri=True)


def _view_columns(connection: sqlite3.Connection, view: str) -> list[str]:
    return [row[1] for row in connection.execute(f"PRAGMA table_info({view})")]


def _expected_columns(entity) -> list[str]:
    # The documented rule, written out here rather than taken from casekb.views: a column per
    # field, named after it; an amount adds <field>_value and <field>_unit, a date
    # <field>_from, <field>_to and <field>_precision, a value as last reported (a status)
    # <field>_reported.
    columns = []
    for field in entity.fields:
        columns.append(field.name)
        if field.type is FieldType.QUANTITY:
            columns += [f"{field.name}_value", f"{field.name}_unit"]
        if field.type is FieldType.DATE:
            columns += [f"{field.name}_from", f"{field.name}_to", f"{field.name}_precision"]
        if isinstance(field.access, Reported):
            columns.append(f"{field.name}_reported")
    return columns


def test_the_store_has_a_view_per_entity_plus_evidence_and_disputes(rust_db):
    with _connect(rust_db) as connection:
        names = {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'view'")}
    assert names == {f"v_{e.name}" for e in ENTITIES} | {"v_evidence", "v_disputes"}


@pytest.mark.parametrize("entity", VIEWED, ids=lambda e: e.name)
def test_an_entity_view_has_its_registry_fields_as_columns(rust_db, entity):
    with _connect(rust_db) as connection:
        assert _view_columns(connection, f"v_{entity.name}") == _expected_columns(entity)


def _as_view_values(row, entity) -> list:
    """A language result row as the view shows it."""
    values = []
    for value, field in zip(row, entity.fields):
        if field.type is FieldType.QUANTITY:
            values += [value.text, value.value, value.unit] if value is not None else [None] * 3
        elif isinstance(value, tuple):
            values.append(", ".join(value) if value else None)
        elif field.type is FieldType.DATE:
            values += ([str(value), value.earliest, value.latest, value.precision.value]
                       if value is not None else [None] * 4)
        elif isinstance(field.access, Reported):
            values += ([value.value, str(value.reported) if value.reported else None]
                       if value is not None else [None] * 2)
        elif isinstance(value, bool):
            values.append(int(value))
        else:
            values.append(value)
    return values


@pytest.mark.parametrize("entity", VIEWED, ids=lambda e: e.name)
def test_an_entity_view_returns_the_rows_of_the_language_query(rust_db, entity):
    import casekb

    engine = casekb.open(str(rust_db))
    try:
        query = f"{entity.name} show " + ", ".join(entity.field_names)
        result = engine.run(query, cap=None)
    finally:
        engine.close()
    with _connect(rust_db) as connection:
        fields = ", ".join(f'"{column}"' for column in _expected_columns(entity))
        rows = [list(row) for row in connection.execute(f"SELECT {fields} FROM v_{entity.name}")]
    assert rows, f"v_{entity.name} is empty on the Rust data"
    assert rows == [_as_view_values(row, entity) for row in result.rows]


def test_view_values_are_plain_sql_values(rust_db):
    with _connect(rust_db) as connection:
        charge = connection.execute(
            "SELECT counts, enhancement, filed FROM v_charges WHERE enhancement IS NOT NULL"
        ).fetchone()
        assert charge == (2, "firearm", "2023-01-19")  # a date known to the day
        filed = {row for row in connection.execute(
            "SELECT filed, filed_from, filed_to, filed_precision FROM v_charges")}
        # "earlier this year" in a March 2024 article: a month, with days other tools can read
        assert ("2024-01", "2024-01-01", "2024-01-31", "month") in filed
        punishment = connection.execute(
            "SELECT amount, amount_value, amount_unit FROM v_penalties "
            "WHERE kind = 'unstated' AND bound = 'unstated'").fetchone()
        assert punishment == ("$5,000", 500000.0, "cents")
        aliases = connection.execute(
            "SELECT aliases FROM v_people WHERE name = 'David Halls'").fetchone()[0]
        assert aliases == "Dave Halls, Halls"
        # A bound not known is NULL, and the text says so with "..".
        said = connection.execute("SELECT date, date_from, date_to, date_precision FROM "
                                  "v_statements WHERE quote = 'cold gun'").fetchone()
        assert said == ("../2021-10-21", None, "2021-10-21", "range")
        status = connection.execute("SELECT status, status_reported FROM v_charges WHERE "
                                    "id = 'baldwin-manslaughter-2023'").fetchone()
        assert status == ("pending", "2023-01-30")


def test_v_evidence_names_every_fact_and_its_article(rust_db):
    with _connect(rust_db) as connection:
        total = connection.execute("SELECT count(*) FROM evidence").fetchone()[0]
        rows = connection.execute("SELECT * FROM v_evidence").fetchall()
        unresolved = connection.execute(
            "SELECT count(*) FROM v_evidence WHERE fact_key IS NULL").fetchone()[0]
        quotes = {row[0] for row in connection.execute(
            "SELECT quote FROM v_evidence WHERE fact_table = 'charges' "
            "AND fact_key = 'baldwin-manslaughter-2023' AND source = 'independent-2023-01-20'")}
    assert len(rows) == total and unresolved == 0
    assert "On Thursday (19 January), Baldwin was charged with two counts of involuntary " \
           "manslaughter over the fatal shooting of Hutchins" in quotes


def test_every_fact_of_an_entity_view_joins_its_evidence_by_key(rust_db):
    """From the views alone (all the CSV export has), each row finds its sources."""
    with _connect(rust_db) as connection:
        for entity in VIEWED:
            if entity.evidence_table is None:  # sources, inferences
                continue
            view = f"v_{entity.name}"
            keys = [key for (key,) in connection.execute(f"SELECT id FROM {view}")]
            assert keys and None not in keys and len(set(keys)) == len(keys), view
            unsourced = connection.execute(
                f"SELECT count(*) FROM {view} v WHERE NOT EXISTS (SELECT 1 FROM v_evidence e "
                f"WHERE e.fact_table = ? AND e.fact_key = v.id)",
                (entity.evidence_table,)).fetchone()[0]
            assert unsourced == 0, view
        quotes = [quote for (quote,) in connection.execute(
            "SELECT e.quote FROM v_pleas p JOIN v_evidence e "
            "ON e.fact_table = 'pleas' AND e.fact_key = p.id "
            "WHERE p.defendant = 'David Halls' AND p.plea = 'no contest'")]
        assert quotes == ["First assistant director Dave Halls previously entered a plea of "
                          "no contest to a misdemeanour charge of negligent use of a deadly "
                          "weapon"]
        disputed = connection.execute(
            "SELECT count(*) FROM v_disputes d JOIN v_pleas p "
            "ON d.fact_table = 'pleas' AND d.fact_key = p.id").fetchone()[0]
        assert disputed >= 2  # the guilty plea and the no-contest plea of Dave Halls


def test_v_disputes_lists_each_conflicting_fact(rust_db):
    with _connect(rust_db) as connection:
        claims = connection.execute("SELECT count(*) FROM dispute_claims").fetchone()[0]
        rows = connection.execute(
            "SELECT fact_table, fact_key FROM v_disputes WHERE dispute = 'halls-plea'").fetchall()
        unresolved = connection.execute(
            "SELECT count(*) FROM v_disputes WHERE fact_key IS NULL").fetchone()[0]
        total = connection.execute("SELECT count(*) FROM v_disputes").fetchone()[0]
    assert total == claims and unresolved == 0
    assert rows == [("pleas", "halls-plea-guilty"), ("pleas", "halls-plea-no-contest")]


def test_the_disputes_entity_keeps_the_hand_made_v_disputes(rust_db):
    with _connect(rust_db) as connection:
        assert _view_columns(connection, "v_disputes") == [
            "dispute", "case", "subject", "fact_table", "fact_key", "note"]
        per_dispute = connection.execute(
            "SELECT dispute, count(*) FROM v_disputes GROUP BY dispute ORDER BY dispute").fetchall()
    assert per_dispute == [("baldwin-counts", 2), ("gutierrez-reed-counts", 2), ("halls-plea", 2),
                           ("halls-sentence", 5), ("involuntary-manslaughter-custody", 3)]


def test_the_ddl_creates_the_views_on_an_empty_store(tmp_path):
    from casekb.build.ddl import ddl

    connection = sqlite3.connect(tmp_path / "empty.sqlite")
    connection.executescript(ddl())
    for entity in VIEWED:
        assert connection.execute(f"SELECT * FROM v_{entity.name}").fetchall() == []


def test_the_schema_command_prints_the_views(run_cli):
    result = run_cli("schema")
    assert result.code == 0
    for entity in VIEWED:
        assert f"CREATE VIEW v_{entity.name} AS" in result.out
    assert "CREATE VIEW v_evidence AS" in result.out and "CREATE VIEW v_disputes AS" in result.out


def test_views_compile_for_postgresql_too():
    from sqlalchemy.dialects import postgresql

    from casekb.build.views import views

    made = views(postgresql.dialect())
    charges = next(view for view in made if view.name == "v_charges")
    assert "string_agg" in charges.select_sql  # the several-valued field, PostgreSQL's way


# -- schema/README.md ---------------------------------------------------------------------

def _views_section() -> str:
    readme = (REPO / "schema" / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Views\n(.*?)(?=^## |\Z)", readme, re.DOTALL | re.MULTILINE)
    assert match, "schema/README.md has no '## Views' section"
    return match.group(1)


def _documented_examples() -> list[str]:
    blocks = re.findall(r"^```sql\n(.*?)^```", _views_section(), re.DOTALL | re.MULTILINE)
    statements = []
    for block in blocks:
        for part in re.split(r";\s*$", block, flags=re.MULTILINE):
            code = [line for line in part.splitlines()
                    if line.strip() and not line.strip().startswith("--")]
            if code:
                statements.append(part.strip())
    return statements


def test_every_view_and_column_is_documented():
    from casekb.build.views import views

    section = _views_section()
    documented = dict(re.findall(r"^### (v_\w+)\n(.*?)(?=^### |\Z)", section, re.DOTALL | re.MULTILINE))
    for view in views():
        assert view.name in documented, f"schema/README.md does not document {view.name}"
        for column in view.columns:
            assert f"`{column}`" in documented[view.name], \
                f"schema/README.md does not explain {view.name}.{column}"


def test_the_documented_examples_run_on_the_built_store_with_plain_sqlite3(rust_db):
    examples = _documented_examples()
    assert len(examples) >= 5
    # Only the standard library here: a reader of the README has sqlite3, not casekb.
    connection = sqlite3.connect(f"file:{rust_db}?mode=ro", uri=True)
    try:
        for sql in examples:
            rows = connection.execute(sql).fetchall()
            assert rows, f"the documented example returns nothing on the Rust data:\n{sql}"
    finally:
        connection.close()
