"""Checking streams a folder file by file (two passes): the outcome must not depend on which
file a record is in, rules against records of later files included, and files that change
while they are read are reported, not trusted."""

from __future__ import annotations

import json
import tomllib
from pathlib import Path

import pytest

from casekb.build.builder import build_store
from casekb.curation import check_folder
from casekb.curation.loader import FolderReader
from casekb.errors import CurationError

CASE_FILE = "example/case.toml"


def _toml(records_by_kind: dict[str, list[dict]]) -> str:
    """A curated file for these records (the example's values: strings, numbers, booleans,
    arrays of tables)."""
    lines = []
    for kind, records in records_by_kind.items():
        for record in records:
            lines.append(f"[[{kind}]]")
            for name, value in record.items():
                lines.append(f"{name} = {_value(value)}")
            lines.append("")
    return "\n".join(lines)


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{k} = {_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(value, ensure_ascii=False) if isinstance(value, str) else str(value)


def lay_out(folder: Path, changes: dict[str, dict[str, object]],
            files: dict[str, str]) -> None:
    """Rewrite the example's case file with `changes` ({record id: {field: value}}), each
    kind in the file `files` names for it (default: the case file)."""
    data = tomllib.loads((folder / CASE_FILE).read_text(encoding="utf-8"))
    by_file: dict[str, dict[str, list[dict]]] = {}
    for kind, records in data.items():
        for record in records:
            record.update(changes.get(record["id"], {}))
        by_file.setdefault(files.get(kind, CASE_FILE), {})[kind] = records
    (folder / CASE_FILE).unlink()
    for name, kinds in by_file.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(_toml(kinds), encoding="utf-8")


LAYOUTS = {
    "one file": {},
    # Pleas and statuses read before their charges; charges before their case.
    "owners last": {"plea": "a-first.toml", "status": "a-first.toml", "verdict": "a-first.toml",
                    "sentence": "a-first.toml", "charge": "m-middle.toml",
                    "case": "z-last.toml"},
    "owners first": {"case": "a-first.toml", "charge": "m-middle.toml", "plea": "z-last.toml"},
}

PLEA_EARLY = {"sample-plea-guilty": {"entered": "2023-01"}}
CHARGE_EARLY = {"sample-reckless-driving": {"filed": "2023-01"}}
CHARGE_BROKEN = {"sample-reckless-driving": {"zzz": 1}}
CASE_BROKEN = {"sample-crash": {"zzz": 1}}
PLEA_BEFORE_EARLY_CHARGE = {"sample-plea-guilty": {"entered": "2022-12"}}

PLEA_RULE = ("plea 'sample-plea-guilty'", "entered", "2023-01 is before the filed date (2023-08) "
             "of its charge 'sample-reckless-driving'")
CHARGE_RULE = ("charge 'sample-reckless-driving'", "filed", "2023-01 is before the incident "
               "date (2023-06-02) of its case 'sample-crash'")
CASCADE_RULE = ("plea 'sample-plea-guilty'", "entered", "2022-12 is before the filed date "
                "(2023-01) of its charge 'sample-reckless-driving'")


@pytest.mark.parametrize("changes, expected", [
    (PLEA_EARLY, {PLEA_RULE}),
    # Against an invalid charge the rule does not hold: only the charge's problem shows.
    ({**PLEA_EARLY, **CHARGE_BROKEN}, {"unknown field 'zzz'"}),
    # A charge filed before its case's incident is invalid, so its plea is not judged by it.
    ({**CHARGE_EARLY, "sample-plea-guilty": {"entered": "2022-12"}}, {CHARGE_RULE}),
    # ...unless the case is invalid: then the charge is valid, and judges its plea.
    ({**CHARGE_EARLY, **CASE_BROKEN, **PLEA_BEFORE_EARLY_CHARGE},
     {"unknown field 'zzz'", CASCADE_RULE}),
], ids=["plea before charge", "invalid charge", "charge before case", "invalid case"])
def test_rules_across_records_do_not_depend_on_the_files(tmp_path, curated_folder, changes,
                                                         expected):
    outcomes = {}
    for layout, files in LAYOUTS.items():
        folder = tmp_path / layout.replace(" ", "-")
        folder.parent.mkdir(exist_ok=True)
        import shutil

        shutil.copytree(curated_folder, folder)
        lay_out(folder, changes, files)
        result = check_folder(folder)
        found = {(p.record, p.field, p.message) for p in result.problems}
        outcomes[layout] = (found, result.counts)
        kept = check_folder(folder, keep_records=True)
        assert kept.curated.counts() == result.counts  # records revoked at the end are out
    first = outcomes["one file"]
    assert all(outcome == first for outcome in outcomes.values()), outcomes
    messages = {p[2] if p[2] == "unknown field 'zzz'" else p for p in first[0]}
    assert messages == expected


def test_a_file_that_changes_between_the_passes_is_reported(curated_folder, tmp_path,
                                                             monkeypatch):
    store = tmp_path / "store.sqlite"
    build_store(curated_folder, str(store))
    before = store.read_bytes()
    real_read = FolderReader.read

    def read_then_edit(reader, rel):
        found = real_read(reader, rel)
        if rel == CASE_FILE:  # an editor saves it just after it was read
            path = curated_folder / rel
            path.write_text(path.read_text().replace("2023-08", "2023-09"))
        return found

    monkeypatch.setattr(FolderReader, "read", read_then_edit)
    with pytest.raises(CurationError) as raised:
        build_store(curated_folder, str(store))
    [problem] = raised.value.problems
    assert problem.render() == (f"{CASE_FILE}: the file changed while the folder was being "
                                f"checked\n  hint: check it again")
    assert store.read_bytes() == before


def test_an_article_gone_after_the_first_pass_is_reported(curated_folder, tmp_path,
                                                          monkeypatch):
    from casekb.curation.validate import FolderValidator

    real_index = FolderValidator.index_files

    def index_then_delete(validator):
        real_index(validator)
        for article in (curated_folder / "articles").iterdir():
            article.unlink()

    monkeypatch.setattr(FolderValidator, "index_files", index_then_delete)
    result = check_folder(curated_folder)
    assert [p.message for p in result.problems] == [
        "the article changed or went away while the folder was being checked"]
    assert result.problems[0].file == "articles/example-gazette-2024-03-01.txt"
