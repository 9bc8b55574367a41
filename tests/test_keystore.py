"""The index of keys lives in a temporary SQLite database that nothing outlives.

casekb/curation/keystore.py: its file is unlinked as soon as SQLite opens it, so neither a
failed nor a killed check or build leaves anything behind; a temporary folder that fills up
is one clear casekb error, and the old store stays as it was.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from casekb.build.builder import build_store
from casekb.curation import keystore
from casekb.curation.index import FolderIndex
from casekb.curation.loader import RawRecord
from casekb.errors import StoreError

# Checks a folder with a tiny page cache (so the database spills to a file at once), then
# says which files it holds open in the temporary folder and waits to be killed.
HOLDER = """
import os, sys, time
from casekb.curation import keystore
from casekb.curation.loader import FolderReader
from casekb.curation.validate import FolderValidator

keystore.CACHE_KIB = 16
validator = FolderValidator(FolderReader(sys.argv[1]))
validator.index_files()
for fd in os.listdir("/proc/self/fd"):
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        continue
    if target.startswith(sys.argv[2]):
        print(target, flush=True)
print("ready", flush=True)
time.sleep(60)
"""


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="reads /proc (Linux)")
def test_the_index_file_is_gone_while_in_use_and_after_a_kill(tmp_path, curated_folder):
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    environment = {**os.environ, "SQLITE_TMPDIR": str(temporary)}
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(curated_folder),
                                str(temporary)], stdout=subprocess.PIPE, text=True,
                               env=environment)
    try:
        held = []
        for line in process.stdout:
            if line.strip() == "ready":
                break
            held.append(line.strip())
        # The database did spill to a file there; it was unlinked when opened.
        assert held and all(target.endswith("(deleted)") for target in held), held
        assert list(temporary.iterdir()) == []
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait()
    assert list(temporary.iterdir()) == []


def test_a_full_temporary_folder_is_a_store_error_and_the_store_stays(
        tmp_path, curated_folder, monkeypatch):
    target = tmp_path / "store.sqlite"
    # Enough keys to need more pages than the index starts with.
    (curated_folder / "many.toml").write_text("".join(
        f'[[person]]\nid = "person-{n}"\nname = "Person {n}"\nevidence = [{{ source = '
        f'"gazette-2024-03-01", quote = "John Q. Sample, 42" }}]\n' for n in range(300)))
    build_store(curated_folder, str(target))
    before = target.read_bytes()
    opened = keystore.KeyStore.__init__

    def small(store):
        opened(store)
        # As if the temporary folder had no room for another page of the database.
        store._db.execute("PRAGMA max_page_count = 1")

    monkeypatch.setattr(keystore.KeyStore, "__init__", small)
    with pytest.raises(StoreError, match="cannot keep the index of the folder's keys in the "
                                         "temporary folder: database or disk is full"):
        build_store(curated_folder, str(target))
    assert target.read_bytes() == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["curated", "store.sqlite"]


def _raw(kind: str, key: str, file: str, **fields) -> RawRecord:
    return RawRecord(kind, file, 1, {"id": key, **fields}, line=3)


def test_entries_are_found_whichever_file_holds_them():
    index = FolderIndex()
    try:
        first = [_raw("case", "c1", "a.toml"), _raw("charge", "c1-x", "a.toml", case="c1"),
                 _raw("status", "c1-x-s", "b.toml", charge="c1-x", status="dismissed",
                      date="2020-05")]
        index.load(first[:2], references=False)
        assert index.register("case", "c1", "a.toml", 3) == 1
        assert index.register("charge", "c1-x", "a.toml", 3) == 1
        index.note("charge", "c1-x", {"filed": "2020-01-02"})
        index.load(first[2:], references=False)  # the next file: a.toml's keys are on disk
        assert index.register("case", "c1", "b.toml", 9) is None  # taken
        assert index.first_seen("case", "c1") == ("a.toml", 3)
        assert index.register("status", "c1-x-s", "b.toml", 3) == 1
        index.note("status", "c1-x-s", first[2].data)
        index.close()
        # A file that refers to neither: look-ups outside its keys go to disk.
        index.load([_raw("case", "c2", "c.toml")])
        assert "c1-x" in index.ids["charge"] and "c9" not in index.ids["case"]
        assert str(index.date_of("charge", "c1-x")) == "2020-01-02"
        assert sorted(index.ids["case"]) == ["c1"] and len(index.ids["charge"]) == 1
    finally:
        index.discard()
