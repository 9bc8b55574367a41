"""`casekb init DIR`: a new curated folder with a documented example that passes check."""

from __future__ import annotations

import tomllib
from pathlib import Path

from casekb.curation import check_folder
from casekb.curation.spec import KIND_ORDER


def test_init_creates_a_folder_that_passes_check(tmp_path, run_cli):
    folder = tmp_path / "new-case"
    result = run_cli("init", folder)
    assert result.code == 0
    assert f"created {folder}" in result.err
    # Where the format is documented, also for an installed wheel (no checkout at hand).
    documented = result.err.rsplit("the format of every record: ", 1)[1].strip()
    assert Path(documented).read_text(encoding="utf-8").startswith("# The curated data format")
    assert sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()) == [
        "articles/example-gazette-2024-03-01.txt", "example/case.toml", "sources.toml"]
    check = run_cli("check", folder)
    assert check.code == 0, check.out
    assert check.out.startswith(f"OK: {folder}")


def test_the_example_shows_every_record_kind(tmp_path, run_cli):
    folder = tmp_path / "new-case"
    run_cli("init", folder)
    text = (folder / "example" / "case.toml").read_text(encoding="utf-8")
    lines = text.splitlines()
    for kind in KIND_ORDER:
        if kind == "source":
            continue
        header = f"[[{kind}]]"
        first = lines.index(header)
        assert lines[first - 1].startswith("#"), f"no comment explains the {kind} record"
    counts = check_folder(folder).counts
    assert all(counts[kind] >= 1 for kind in KIND_ORDER)
    assert tomllib.loads(text)  # plain TOML


def test_the_example_builds_into_a_store(tmp_path, run_cli):
    folder, store = tmp_path / "new-case", tmp_path / "store.sqlite"
    run_cli("init", folder)
    assert run_cli("build", folder, "--db", store).code == 0
    assert run_cli("info", "--db", store).code == 0


def test_init_fills_an_existing_empty_folder(tmp_path, run_cli):
    assert run_cli("init", tmp_path).code == 0
    assert (tmp_path / "sources.toml").exists()


def test_init_refuses_a_non_empty_folder(tmp_path, run_cli):
    (tmp_path / "mine.txt").write_text("keep me")
    result = run_cli("init", tmp_path)
    assert result.code == 1
    assert result.err == (f"{tmp_path} is not empty; `casekb init` only fills a new or empty "
                          f"folder\nhint: choose a new folder name\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_init_refuses_a_file(tmp_path, run_cli):
    target = tmp_path / "file"
    target.write_text("x")
    result = run_cli("init", target)
    assert result.code == 1
    assert result.err == f"{target} exists and is not a folder\n"
