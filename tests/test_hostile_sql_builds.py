"""Two builds into one store at once, on both engines (issue 12): the last complete build wins,
and no store is ever partial.

Each build writes a whole new store of its own (a temporary file on SQLite, a private schema
on PostgreSQL) and swaps it in when it is complete, so two builds started 0.3 s apart both
succeed and the one that finishes last is the store. On PostgreSQL the swap happens in one
transaction holding the store's advisory lock: a build that is ready to write while another
is writing is refused ("another build of ... is running") instead; it never half-writes. The
docs used to say that any two builds at once are refused; they now say what happens.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from casekb.curation.files import folder_hash

REPO = Path(__file__).resolve().parent.parent

BUILD = """
import json, sys, time
from casekb.build.builder import build_store
from casekb.errors import CaseKBError
try:
    build_store(sys.argv[1], sys.argv[2])
    outcome = {"ok": True}
except CaseKBError as error:
    outcome = {"ok": False, "error": error.message}
outcome["finished"] = time.monotonic()  # the same clock for every process of the machine
print(json.dumps(outcome))
"""

EXTRA_PERSON = """\
[[person]]
id = "extra-person"
name = "Extra Person"
evidence = [
  { source = "independent-2023-01-20", quote = "Baldwin was charged with two counts of involuntary manslaughter" },
]
"""


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request, tmp_path) -> str:
    if request.param == "sqlite":
        return str(tmp_path / "store.sqlite")
    return request.getfixturevalue("pg_url")


def _versions(tmp_path, seeds_dir) -> list[Path]:
    first, second = tmp_path / "first", tmp_path / "second"
    shutil.copytree(seeds_dir, first)
    shutil.copytree(seeds_dir, second)
    (second / "extra.toml").write_text(EXTRA_PERSON, encoding="utf-8")
    return [first, second]


def _store_facts(target: str) -> tuple[str, int]:
    """(the input hash the store records, its number of people), reading it whole."""
    from sqlalchemy import text

    from casekb.store.open import open_store

    engine = open_store(target)
    try:
        with engine.connect() as connection:
            input_hash = connection.execute(
                text("SELECT value FROM meta WHERE key = 'input_hash'")).scalar_one()
            people = connection.execute(text("SELECT count(*) FROM people")).scalar_one()
    finally:
        engine.dispose()
    return input_hash, people


def test_two_builds_at_once_leave_the_last_complete_one(tmp_path, seeds_dir, target):
    versions = _versions(tmp_path, seeds_dir)
    builds = []
    for folder in versions:
        builds.append(subprocess.Popen([sys.executable, "-c", BUILD, str(folder), target],
                                       stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                       text=True, cwd=REPO))
        time.sleep(0.3)
    outcomes = []
    for build in builds:
        out, err = build.communicate(timeout=120)
        assert build.returncode == 0, err
        outcomes.append(json.loads(out.strip().splitlines()[-1]))
    on_postgresql = target.startswith("postgresql")
    for outcome in outcomes:
        # A build either completes or, on PostgreSQL while the other writes, is refused.
        assert outcome["ok"] or (on_postgresql and "another build of" in outcome["error"]
                                 and "is running" in outcome["error"]), outcome
    done = [(outcome["finished"], index) for index, outcome in enumerate(outcomes)
            if outcome["ok"]]
    assert done
    input_hash, people = _store_facts(target)
    stored = [folder_hash(folder) for folder in versions].index(input_hash)
    _, last = max(done)
    close_call = len(done) == 2 and abs(done[0][0] - done[1][0]) < 0.05
    assert stored == last or (close_call and stored in (0, 1))
    # Complete: every row of the version it claims to be (the second has one more person).
    first_people = _store_facts_of(versions[0], tmp_path)
    assert people == first_people + stored
    _assert_whole(target)


def _store_facts_of(folder: Path, tmp_path) -> int:
    from casekb.build.builder import build_store

    reference = tmp_path / f"reference-{folder.name}.sqlite"
    build_store(folder, str(reference))
    return _store_facts(str(reference))[1]


def _assert_whole(target: str) -> None:
    """Nothing half-written is left: SQLite's file is sound, PostgreSQL has one schema."""
    if target.startswith("postgresql"):
        from casekb.store import postgres
        from casekb.store.location import locate

        connection = postgres.connect(target)
        try:
            schema = locate(target).schema
            names = connection.execute(
                "SELECT nspname FROM pg_namespace WHERE starts_with(nspname, %s)",
                (schema,)).fetchall()
        finally:
            connection.close()
        assert names == [(schema,)]
        return
    path = Path(target)
    with sqlite3.connect(path) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
    assert not list(path.parent.glob(f".{path.name}.*"))  # no temporary file left


def test_the_docs_say_what_two_builds_at_once_do():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    postgres = (REPO / "docs" / "postgres.md").read_text(encoding="utf-8")
    for text in (readme, postgres):
        flat = " ".join(text.split())
        assert "two builds of the same store at once are refused" not in flat
        assert "the last complete build wins" in flat.lower()
