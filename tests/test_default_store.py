"""The default store holds the bundled case unless the user asks for exactly something else,
a build always says where it went, and the default store follows the installation.

(tests/test_store.py covers building the default store on first use and rebuilding it when
the bundled data change.)
"""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from casekb.errors import EXIT_USAGE


@pytest.fixture
def home(tmp_path, monkeypatch, curated_folder) -> Path:
    """An empty default home whose "bundled seeds" are a copy of the example folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("CASEKB_HOME", str(home))
    monkeypatch.delenv("CASEKB_DB", raising=False)
    bundled = tmp_path / "installed" / "seeds"
    shutil.copytree(curated_folder, bundled)
    monkeypatch.setattr("casekb.resources.bundled_seeds", lambda: bundled)
    return home


@pytest.fixture
def other_case(tmp_path) -> Path:
    """A curated folder that is not the bundled data."""
    from casekb.curation.scaffold import init_folder

    folder = tmp_path / "smith"
    init_folder(folder)
    sources = folder / "sources.toml"
    sources.write_text(sources.read_text().replace("The Example Gazette", "The Smith Times"))
    return folder


def _meta(store: Path, key: str) -> str:
    connection = sqlite3.connect(store)
    try:
        return connection.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()[0]
    finally:
        connection.close()


def test_build_of_another_folder_never_replaces_the_default_store(home, other_case, run_cli):
    assert run_cli("info").code == 0  # the default store, built from the bundled data
    store = home / "casekb.sqlite"
    before = store.read_bytes()
    result = run_cli("build", other_case)
    assert result.code == EXIT_USAGE
    assert "not into the default store" in result.err
    assert f"--db {other_case.name}.sqlite" in result.err
    assert "--replace-default" in result.err
    assert store.read_bytes() == before
    assert _meta(store, "source_bundled") == "true"


def test_replace_default_puts_another_folder_into_the_default_store(home, other_case, run_cli):
    result = run_cli("build", other_case, "--replace-default")
    store = home / "casekb.sqlite"
    assert result.code == 0, result.err
    assert result.err.startswith(f"built the default store {store}: ")
    assert _meta(store, "source_folder") == str(other_case.resolve())
    assert "The Smith Times" in run_cli("query", "sources show outlet", "-f", "csv").out


def test_the_bundled_data_may_always_be_built_into_the_default_store(home, run_cli):
    result = run_cli("build")
    assert result.code == 0, result.err
    assert result.err.startswith(f"built the default store {home / 'casekb.sqlite'}: ")


def test_a_build_elsewhere_says_where_and_how_to_ask_it(home, other_case, tmp_path, run_cli):
    target = tmp_path / "smith.sqlite"
    result = run_cli("build", other_case, "--db", target)
    assert result.code == 0, result.err
    lines = result.err.splitlines()
    assert lines[0].startswith(f"built {target}: ")
    assert lines[1] == f"ask it with: casekb query --db {target} 'defendants'"
    assert not (home / "casekb.sqlite").exists()


def test_casekb_db_is_an_explicit_choice(home, other_case, tmp_path, run_cli, monkeypatch):
    target = tmp_path / "env.sqlite"
    monkeypatch.setenv("CASEKB_DB", str(target))
    result = run_cli("build", other_case)
    assert result.code == 0, result.err
    assert _meta(target, "source_bundled") == "false"


def test_after_a_reinstall_the_default_store_names_the_new_data_folder(home, tmp_path,
                                                                        monkeypatch, run_cli):
    from casekb import resources

    first = resources.bundled_seeds()
    assert run_cli("info").code == 0
    assert _meta(home / "casekb.sqlite", "source_folder") == str(first.resolve())
    # The same casekb installed again elsewhere: the same data in a new folder, the old one
    # gone.
    moved = tmp_path / "reinstalled" / "seeds"
    shutil.copytree(first, moved)
    shutil.rmtree(first)
    monkeypatch.setattr("casekb.resources.bundled_seeds", lambda: moved)
    result = run_cli("info")
    assert f"source_folder: {moved.resolve()}\n" in result.out
