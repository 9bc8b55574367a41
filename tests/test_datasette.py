"""`casekb export --datasette DIR`, served by the real Datasette: its JSON API answers as
casekb does, and it reads the metadata casekb writes (casekb/export/datasette.py): descriptions of
every view and column, sorts, facets and canned queries."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casekb.build.views import views
from casekb.export.datasette import (
    DATABASE_FILE,
    METADATA_FILE,
    SOURCES_QUERY,
    metadata,
)

pytest.importorskip("datasette")
httpx = pytest.importorskip("httpx")


@pytest.fixture(scope="module")
def exported(rust_db, tmp_path_factory) -> Path:
    from casekb.export.copy import export_datasette

    folder = tmp_path_factory.mktemp("datasette") / "rust"
    export_datasette(str(rust_db), folder)
    return folder


@pytest.fixture(scope="module")
def datasette(exported, tmp_path_factory):
    """A Datasette serving the export folder (its configuration folder) on a Unix socket;
    returns a GET function for its paths."""
    socket = tmp_path_factory.mktemp("socket") / "datasette.sock"
    command = shutil.which("datasette", path=str(Path(sys.executable).parent)) or "datasette"
    process = subprocess.Popen([command, "serve", str(exported), "--uds", str(socket)],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    client = httpx.Client(transport=httpx.HTTPTransport(uds=str(socket)),
                          base_url="http://datasette", timeout=30)
    try:
        deadline = time.monotonic() + 60
        while not socket.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError("Datasette did not start:\n" + process.stdout.read())
            time.sleep(0.1)

        def get(path: str, **params):
            response = client.get(path, params=params)
            assert response.status_code == 200, (path, response.text[:500])
            return response.json()

        yield get
    finally:
        client.close()
        process.terminate()
        process.wait(timeout=30)


def _casekb_rows(run_cli, rust_db, query: str) -> list[dict]:
    return json.loads(run_cli("query", query, "--db", rust_db, "-f", "json").out)


def test_the_folder_holds_the_store_and_its_metadata(exported):
    assert sorted(path.name for path in exported.iterdir()) == [DATABASE_FILE, METADATA_FILE]


def test_datasette_reads_the_metadata_casekb_wrote(datasette, exported):
    written = json.loads((exported / METADATA_FILE).read_text())
    assert datasette("/-/metadata.json") == written
    assert written["title"] == "casekb: Rust film set shooting"


def test_the_json_api_answers_as_casekb_does(datasette, run_cli, rust_db):
    rows = datasette("/casekb/v_charges.json", _shape="array", _size="max")
    ours = _casekb_rows(run_cli, rust_db, "charges show defendant, offense, status")
    # The view has the status and when it was last reported in two columns; casekb's JSON
    # one object.
    assert sorted((r["defendant"], r["offense"], r["status"], r["status_reported"])
                  for r in rows) == \
        sorted((r["defendant"], r["offense"], r["status"]["value"], r["status"]["reported"])
               for r in ours)


def test_views_have_their_sort_and_facets(datasette):
    page = datasette("/casekb/v_charges.json")
    assert page["human_description_en"] == "sorted by defendant"
    facets = page["facet_results"]
    assert {"status", "defendant"} <= set(facets)
    counts = {item["value"]: item["count"] for item in facets["status"]["results"]}
    assert counts == {"pending": 3, "convicted": 2}


def test_every_column_of_every_view_is_described(exported):
    tables = json.loads((exported / METADATA_FILE).read_text())["databases"]["casekb"]["tables"]
    for view in views():
        described = tables[view.name]["columns"]
        assert set(described) == set(view.columns), view.name
        assert all(text.strip() for text in described.values())
        assert tables[view.name]["description"]


def test_the_tables_behind_the_views_are_hidden(exported, datasette):
    tables = json.loads((exported / METADATA_FILE).read_text())["databases"]["casekb"]["tables"]
    assert tables["charges"] == {"hidden": True}
    database = datasette("/casekb.json")
    listed = {table["name"]: table["hidden"] for table in database["tables"]}
    assert listed["charges"] is True
    assert "v_charges" in {view["name"] for view in database["views"]}


def test_each_fact_finds_its_sources(datasette, run_cli, rust_db):
    rows = datasette(f"/casekb/{SOURCES_QUERY}.json", _shape="array",
                     fact_table="pleas", fact_key="halls-plea-guilty")
    ours = _casekb_rows(run_cli, rust_db, 'pleas where defendant = "Dave Halls" and '
                                          'plea = "guilty" with sources')
    assert sorted(row["quote"] for row in rows) == \
        sorted(item["quote"] for item in ours[0]["sources"])
    # Where to read the article: its address (Datasette shows a link) and its file.
    assert all("url" in row and row["file"].startswith("articles/") for row in rows)


def test_every_canned_query_runs(datasette, exported):
    queries = json.loads((exported / METADATA_FILE).read_text())["databases"]["casekb"]["queries"]
    assert len(queries) > 10
    values = {"case": "Rust", "defendant": "Dave Halls", "fact_table": "charges",
              "fact_key": "halls-negligent-use"}
    for name in queries:
        datasette(f"/casekb/{name}.json", _shape="array", **values)


@pytest.mark.parametrize("name, given", [("Dave Halls", "David Halls"),
                                         ("Alec Baldwin", "alec baldwin")])
def test_a_report_question_matches_names_as_casekb_does(datasette, run_cli, rust_db, name,
                                                       given):
    queries = metadata(rust_db)["databases"]["casekb"]["queries"]
    charges = next(key for key, query in queries.items()
                   if query["title"] == "Defendant sheet: Charges")
    rows = datasette(f"/casekb/{charges}.json", _shape="array", defendant=given)
    ours = _casekb_rows(run_cli, rust_db, f'charges where defendant = "{name}" show offense, '
                                          f'status')
    assert [(r["offense"], r["status"]) for r in rows] == \
        [(r["offense"], r["status"]["value"]) for r in ours]


def test_the_date_facet_counts_every_dated_charge(datasette):
    facets = datasette("/casekb/v_charges.json")["facet_results"]
    dated = facets["filed_from"]["results"]
    # Every charge: each has a filing date, or one known only by bounds (the facet counts it
    # by its first known day).
    assert sum(item["count"] for item in dated) == 5


def test_an_export_never_replaces_the_store(rust_db, tmp_path, run_cli):
    store = tmp_path / "store.sqlite"
    shutil.copyfile(rust_db, store)
    folder = tmp_path / "out"
    folder.mkdir()
    os.link(store, folder / DATABASE_FILE)
    before = store.read_bytes()
    result = run_cli("export", "--datasette", folder, "--db", store, "--force")
    assert result.code == 2 and "is the store" in result.err
    assert store.read_bytes() == before
