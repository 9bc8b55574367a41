"""The documentation generated from the schema declaration (`python -m casekb.schema.docs`):
the tables of schema/README.md, the record kinds and vocabularies of schema/curation.md, and
schema/schema.sql. When the declaration is edited, these tests fail until the command is
run; an edit by hand between the markers fails them too.
"""

from __future__ import annotations

import re
import subprocess
import sys
from dataclasses import replace

import pytest

from casekb import vocab
from casekb.schema import declaration, docs

REGENERATE = f"run: {docs.COMMAND}"


def test_the_generated_files_are_up_to_date():
    assert docs.stale_files() == [], REGENERATE


def test_the_check_command_agrees():
    result = subprocess.run([sys.executable, "-m", "casekb.schema.docs", "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "match the declaration" in result.stdout


def test_an_edited_declaration_makes_them_stale(monkeypatch):
    tables = list(declaration.TABLES)
    number = next(n for n, table in enumerate(tables) if table.name == "verdicts")
    tables[number] = replace(tables[number], doc="How a charge ended.")
    monkeypatch.setattr(declaration, "TABLES", tuple(tables))
    readme = docs.schema_dir() / "README.md"
    assert docs.stale_files() == [readme]
    assert "### verdicts\nHow a charge ended.\n" in docs.generated_files()[readme]


def test_an_edit_by_hand_between_the_markers_is_stale(tmp_path, monkeypatch):
    for name in ("README.md", "curation.md", "schema.sql"):
        (tmp_path / name).write_bytes((docs.schema_dir() / name).read_bytes())
    monkeypatch.setattr(docs, "schema_dir", lambda: tmp_path)
    assert docs.stale_files() == []
    curation = tmp_path / "curation.md"
    curation.write_text(curation.read_text(encoding="utf-8").replace(
        "- PLEAS: guilty, not guilty, no contest", "- PLEAS: guilty, not guilty"),
        encoding="utf-8")
    assert docs.stale_files() == [curation]
    assert docs.main([]) == 0  # writes it again
    assert docs.stale_files() == []


def test_missing_markers_are_named():
    with pytest.raises(ValueError, match="needs the markers of 'tables' once each"):
        docs.updated("# no markers here\n", "tables", "text")


def test_every_vocabulary_value_is_in_the_docs():
    readme = (docs.schema_dir() / "README.md").read_text(encoding="utf-8")
    curation = (docs.schema_dir() / "curation.md").read_text(encoding="utf-8")
    sections = dict(re.findall(r"^### (\w+)\n(.*?)(?=^### |^<!-- END|\Z)", readme, re.DOTALL | re.MULTILINE))
    for table in declaration.TABLES:
        for column in table.columns:
            if column.vocabulary is not None and column.vocabulary is not vocab.DATE_PRECISIONS:
                said = " ".join(sections[table.name].split())
                for value in column.vocabulary:
                    assert value in said, f"{table.name}.{column.name}: {value}"
    assert "- OUTCOMES: guilty, not guilty, convicted (a conviction without a trial verdict, " \
           "e.g. on a plea), dismissed, mistrial\n" in curation


def test_the_record_kinds_table_lists_every_kind_and_field():
    curation = (docs.schema_dir() / "curation.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| (.*) \|$", curation, re.MULTILINE))
    assert list(rows) == list(declaration.KIND_ORDER)
    for kind in declaration.KIND_ORDER:
        for field in declaration.fields_of_kind(kind):
            star = "*" if field.required else ""
            assert f"`{field.name}`{star}" in rows[kind], f"{kind}.{field.name}"
    assert "exactly one of `offense` (for a statutory bound of an offense) / `charge`" in \
        rows["penalty"]
