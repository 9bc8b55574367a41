"""`casekb export`: a standalone SQLite copy (tables and views), or one CSV file per view."""

from __future__ import annotations

import csv
import os
import sqlite3

import pytest

from casekb.build.views import views
from casekb.errors import FileError, UsageError
from casekb.export.copy import export_csv, export_sqlite

VIEWS = [view.name for view in views()]


def _objects(path, kind: str) -> set[str]:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return {name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = ? AND name NOT LIKE 'sqlite_%'", (kind,))}
    finally:
        connection.close()


def _rows(path, sql: str) -> list:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_the_copy_has_every_table_view_and_row(rust_db, tmp_path):
    target = tmp_path / "copy.sqlite"
    report = export_sqlite(str(rust_db), target)
    assert _objects(target, "table") == _objects(rust_db, "table")
    assert _objects(target, "view") == set(VIEWS)
    for table in _objects(rust_db, "table"):
        assert _rows(target, f"SELECT * FROM {table}") == _rows(rust_db, f"SELECT * FROM {table}")
    assert _rows(target, "SELECT * FROM v_charges") == _rows(rust_db, "SELECT * FROM v_charges")
    assert report.path == target and len(report.views) == len(VIEWS)


def test_the_copy_is_a_casekb_store_too(rust_db, tmp_path, run_cli):
    target = tmp_path / "copy.sqlite"
    export_sqlite(str(rust_db), target)
    result = run_cli("query", "pleas where plea = \"no contest\" show defendant", "--db", target,
                     "-f", "csv")
    assert result.code == 0 and result.out == "defendant\nDavid Halls\n"


def test_the_copy_gets_todays_views_even_from_an_older_store(rust_db, tmp_path):
    old = tmp_path / "old.sqlite"
    old.write_bytes(rust_db.read_bytes())
    connection = sqlite3.connect(old)
    connection.execute("DROP VIEW v_charges")
    connection.execute("DROP VIEW v_evidence")
    connection.commit()
    connection.close()
    target = tmp_path / "copy.sqlite"
    export_sqlite(str(old), target)
    assert _objects(target, "view") == set(VIEWS)


def test_an_existing_file_is_replaced_only_with_force(rust_db, tmp_path):
    target = tmp_path / "copy.sqlite"
    target.write_text("precious")
    with pytest.raises(UsageError, match="already exists"):
        export_sqlite(str(rust_db), target)
    assert target.read_text() == "precious"
    export_sqlite(str(rust_db), target, force=True)
    assert "v_pleas" in _objects(target, "view")
    assert not list(tmp_path.glob(".*.exporting"))  # no temporary file left behind


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_pipe_is_written_into_never_replaced(rust_db, tmp_path, monkeypatch):
    import threading

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    monkeypatch.setattr("casekb.outputs.READER_WAIT", 0.3)
    with pytest.raises(FileError, match="no program is reading from this pipe"):
        export_sqlite(str(rust_db), pipe)
    received = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    try:
        export_sqlite(str(rust_db), pipe)
    finally:
        reader.join(timeout=30)
    assert pipe.is_fifo()
    copy = tmp_path / "received.sqlite"
    copy.write_bytes(received[0])
    assert _rows(copy, "SELECT count(*) FROM v_charges") == [(5,)]


def test_the_store_itself_is_never_the_target(rust_db):
    with pytest.raises(UsageError, match="is the store"):
        export_sqlite(str(rust_db), rust_db, force=True)


def test_csv_writes_one_file_per_view_with_its_rows(rust_db, tmp_path):
    from casekb.build.views import views

    folder = tmp_path / "csv"
    report = export_csv(str(rust_db), folder)
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{v}.csv" for v in VIEWS)
    for view in views():
        with open(folder / f"{view.name}.csv", encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        assert header == list(view.columns)
        expected = _rows(rust_db, f"SELECT * FROM {view.name}")
        assert rows == [[_csv_text(value, column) for value, column in zip(row, header)]
                        for row in expected]
        assert report.views[view.name] == len(expected)


def _csv_text(value, column: str) -> str:
    """A view's value as the CSV export writes it: booleans (1/0 in SQLite) as true/false,
    text that a spreadsheet would run as a formula after a single quote."""
    if value is None:
        return ""
    if column in ("agreement", "suspended", "unsupervised", "mandatory", "in_force", "derived") \
            and value in (0, 1):
        return {1: "true", 0: "false"}[value]
    if isinstance(value, str) and value.startswith(("=", "+", "-", "@")):
        return "'" + value  # a spreadsheet formula, quoted (the alias @SilvrDrgn)
    return str(value)


def test_csv_cells_keep_commas_quotes_and_newlines(rust_db, tmp_path):
    folder = tmp_path / "csv"
    export_csv(str(rust_db), folder)
    with open(folder / "v_disputes.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    notes = {row["dispute"]: row["note"] for row in rows}
    assert "'Up to 18 months in jail' (article 002), 'a maximum of 18 months in jail'" \
        in notes["involuntary-manslaughter-custody"]


def test_csv_refuses_a_folder_that_is_not_empty_unless_forced(rust_db, tmp_path):
    folder = tmp_path / "csv"
    folder.mkdir()
    (folder / "mine.txt").write_text("keep me")
    with pytest.raises(UsageError, match="not empty"):
        export_csv(str(rust_db), folder)
    export_csv(str(rust_db), folder, force=True)
    assert (folder / "mine.txt").read_text() == "keep me"
    assert (folder / "v_charges.csv").exists()


def test_the_command_is_quiet_off_a_terminal(run_cli, rust_db, tmp_path):
    result = run_cli("export", tmp_path / "copy.sqlite", "--db", rust_db)
    assert result.code == 0 and result.out == ""
    assert result.err.count("\n") == 1 and "\r" not in result.err  # the summary line only
    from casekb.build.views import views

    assert f"{len(views())} views" in result.err


def test_the_command_shows_progress_on_a_terminal(run_cli, rust_db, tmp_path, monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    result = run_cli("export", tmp_path / "csv", "--db", rust_db, "--format", "csv")
    assert result.code == 0 and result.out == ""
    from casekb.build.views import views

    count = len(views())
    assert f"exporting: v_disputes {count}/{count}" in result.err


def test_the_command_reports_a_refused_target_as_a_usage_error(run_cli, rust_db, tmp_path):
    target = tmp_path / "copy.sqlite"
    target.write_text("x")
    result = run_cli("export", target, "--db", rust_db)
    assert result.code == 2 and "already exists" in result.err and "--force" in result.err
    missing = run_cli("export", tmp_path / "copy.sqlite", "--db", tmp_path / "none.sqlite")
    assert missing.code == 3  # the store itself is what is missing
