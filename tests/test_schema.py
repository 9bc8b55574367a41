"""The schema: schema/schema.sql matches the declaration, and schema/README.md explains it
all."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from casekb.build.ddl import ddl
from casekb.schema.tables import indexes_for, metadata
from casekb.store.sqlite import APPLICATION_ID

REPO = Path(__file__).resolve().parent.parent


def test_schema_sql_is_generated_from_the_declaration():
    committed = (REPO / "schema" / "schema.sql").read_text(encoding="utf-8")
    assert committed == ddl(), "schema/schema.sql is stale: run `casekb schema > schema/schema.sql`"


def test_the_ddl_creates_every_table_and_index(tmp_path):
    connection = sqlite3.connect(tmp_path / "empty.sqlite")
    connection.executescript(ddl())
    tables = {name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    indexes = {name for (name,) in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE 'ix_%'")}
    assert tables == set(metadata().tables)
    assert indexes == {index.name for table in metadata().tables.values()
                       for index in indexes_for(table, "sqlite")}
    assert connection.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID


def test_the_schema_command_prints_the_ddl(run_cli):
    result = run_cli("schema")
    assert result.code == 0 and result.out == ddl()


def test_every_table_and_column_is_documented():
    readme = (REPO / "schema" / "README.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### (\w+)\n(.*?)(?=^### |^## |\Z)", readme, re.DOTALL | re.MULTILINE))
    for name, table in metadata().tables.items():
        assert name in sections, f"schema/README.md has no section for table {name}"
        for column in table.columns:
            assert f"`{column.name}`" in sections[name], \
                f"schema/README.md does not explain {name}.{column.name}"
