"""`check` and `build` name each problem's file by a path that can be pasted from where the
command ran (`smith-bad/example/case.toml:12`), not by its path inside the data folder."""

from __future__ import annotations

import json
import shutil

import pytest


@pytest.fixture
def bad_folder(tmp_path, curated_folder, monkeypatch):
    """`smith-bad/`, a curated folder with a problem in example/case.toml, seen from its
    parent folder."""
    folder = tmp_path / "work" / "smith-bad"
    shutil.copytree(curated_folder, folder)
    case = folder / "example" / "case.toml"
    case.write_text(case.read_text() + '\n[[person]]\nid = "x"\nname = "X"\n')
    monkeypatch.chdir(tmp_path / "work")
    return folder


def test_check_prints_paths_from_where_it_ran(bad_folder, run_cli):
    result = run_cli("check", "smith-bad")
    assert result.code == 1
    first = result.out.splitlines()[0]
    path, line = first.split(":")[:2]
    assert path == "smith-bad/example/case.toml"
    assert (bad_folder.parent / path).is_file() and int(line) > 1


def test_check_json_gives_the_path_beside_the_file_in_the_folder(bad_folder, run_cli):
    result = run_cli("check", "smith-bad/", "--format", "json")
    [problem, *_] = json.loads(result.out)["problems"]
    assert problem["file"] == "example/case.toml"  # inside the data folder, as before
    assert problem["path"] == "smith-bad/example/case.toml"


def test_build_prints_paths_from_where_it_ran(bad_folder, run_cli, tmp_path):
    result = run_cli("build", "smith-bad", "--db", tmp_path / "store.sqlite")
    assert result.code == 1
    assert result.err.startswith("smith-bad/example/case.toml:")


def test_a_folder_that_is_missing_is_named_once(tmp_path, run_cli, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run_cli("check", "nope")
    assert result.out.startswith("nope: the curated data folder does not exist")
