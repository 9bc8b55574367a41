"""Faults, as a user meets them on the command line: each gives one clear message naming the
fix, exit status 3, no traceback, and leaves the store file exactly as it was.

tests/test_store.py checks `open_store` on each kind of bad file and tests/test_build.py the
build's atomicity through its Python API; here the same faults go through the commands people
type (`query`, `sql`, `describe`, `info`), a read-only folder is really read-only (the build
runs as an unprivileged user when the tests run as root), and whole `casekb build` processes
are killed or interrupted at a random moment.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

# (`describe` is left out on purpose: it lists the fields without a store, noting why it
# shows no example values.)
COMMANDS = [
    ("query", "charges"),
    ("sql", "SELECT count(*) FROM charges"),
    ("info",),
]


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _make_missing(store: Path) -> None:
    store.unlink()


def _make_truncated(store: Path) -> None:
    data = store.read_bytes()
    store.write_bytes(data[:len(data) // 2])


def _make_garbage(store: Path) -> None:
    store.write_bytes(b"this is a shopping list, not a database\n" * 100)


def _make_empty(store: Path) -> None:
    store.write_bytes(b"")


def _make_older_schema(store: Path) -> None:
    connection = sqlite3.connect(store)
    connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    connection.commit()
    connection.close()


def _make_damaged_pages(store: Path) -> None:
    data = bytearray(store.read_bytes())
    page = int.from_bytes(data[16:18], "big")
    for offset in range(page, len(data), page):  # every page after the first: its header
        data[offset:offset + 16] = b"\xff" * 16
    store.write_bytes(bytes(data))


FAULTS = {
    "missing": (_make_missing, "no casekb store at"),
    "truncated": (_make_truncated, "truncated or damaged"),
    "not sqlite": (_make_garbage, "is not a SQLite database"),
    "empty": (_make_empty, "is an empty file"),
    "older schema version": (_make_older_schema, "has schema version 0"),
    "damaged pages": (_make_damaged_pages, "damaged"),
}


@pytest.fixture
def faulty(tmp_path, rust_db):
    def make(fault: str) -> Path:
        store = tmp_path / "store.sqlite"
        shutil.copyfile(rust_db, store)
        FAULTS[fault][0](store)
        return store
    return make


@pytest.mark.parametrize("command", COMMANDS, ids=[c[0] for c in COMMANDS])
@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_a_faulty_store_gives_one_message_with_the_fix(faulty, run_cli, fault, command):
    store = faulty(fault)
    before = _digest(store)
    result = run_cli(*command, "--db", store)
    assert result.code == 3, result.err
    assert result.out == ""
    assert "Traceback" not in result.err
    lines = result.err.strip().splitlines()
    assert FAULTS[fault][1] in lines[0]
    assert str(store) in lines[0]
    assert all(line.startswith("hint: ") for line in lines[1:]), result.err
    assert "casekb build" in result.err  # the fix
    assert _digest(store) == before  # reading never repairs, replaces or creates the file


# -- a read-only folder ------------------------------------------------------------------------

def _as_unprivileged_user() -> dict:
    """subprocess arguments that run a child as an ordinary user, since root ignores
    permissions; the test is skipped when such a user cannot run this Python."""
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        return {}
    nobody = {"user": 65534, "group": 65534, "extra_groups": []}
    try:
        subprocess.run([sys.executable, "-c", "import casekb"], check=True, cwd="/",
                       capture_output=True, timeout=60, **nobody)
    except (OSError, subprocess.SubprocessError):
        pytest.skip("running as root, and an unprivileged user cannot run this Python")
    return nobody


def _casekb(*args: str, **kwargs) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    return subprocess.run([sys.executable, "-m", "casekb", *args], capture_output=True,
                          text=True, timeout=120, env=env, **kwargs)


@pytest.fixture
def read_only_folder(tmp_path, rust_db):
    folder = tmp_path / "locked-away"
    folder.mkdir()
    store = folder / "store.sqlite"
    shutil.copyfile(rust_db, store)
    store.chmod(0o444)
    folder.chmod(0o555)
    tmp_path.chmod(0o755)
    yield store
    folder.chmod(0o755)
    store.chmod(0o644)


def test_a_store_in_a_read_only_folder_answers_queries(read_only_folder):
    # Even run by root, who could write there, reading creates nothing beside the store.
    result = _casekb("query", "count charges", "--db", str(read_only_folder), "-f", "json",
                     cwd="/")
    assert result.returncode == 0, result.stderr
    assert '"count"' in result.stdout
    assert os.listdir(read_only_folder.parent) == ["store.sqlite"]  # no journal, no lock file


def test_building_into_a_read_only_folder_is_refused_and_the_store_kept(read_only_folder,
                                                                        seeds_dir):
    before = _digest(read_only_folder)
    result = _casekb("build", str(seeds_dir), "--db", str(read_only_folder), cwd="/",
                     **_as_unprivileged_user())
    assert result.returncode == 3, result.stderr
    assert "read-only" in result.stderr and "Traceback" not in result.stderr
    assert result.stderr.count("\n") <= 3
    assert _digest(read_only_folder) == before
    assert os.listdir(read_only_folder.parent) == ["store.sqlite"]


# -- builds killed or interrupted while writing ----------------------------------------------

@pytest.fixture(scope="module")
def big_folder(tmp_path_factory) -> Path:
    """A synthetic corpus whose build takes long enough to be caught half-way."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(
        "bench_corpus_faults", Path(__file__).resolve().parent.parent / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = corpus  # its dataclasses look their module up
    spec.loader.exec_module(corpus)
    folder = tmp_path_factory.mktemp("big") / "corpus"
    corpus.generate(folder, 150, seed=3, jurisdictions=2)
    return folder


def _wait_for_temp_file(store: Path, process: subprocess.Popen, seconds: float = 60) -> None:
    """Until the build has begun writing its temporary store (so it is caught half-way)."""
    deadline = time.monotonic() + seconds
    while not any(p.name.endswith(".building") for p in store.parent.iterdir()):
        assert process.poll() is None, "the build ended before it could be stopped"
        assert time.monotonic() < deadline, "the build never started writing"
        time.sleep(0.01)


def _cases(store: Path) -> int:
    connection = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM cases").fetchone()[0]
    finally:
        connection.close()


@pytest.mark.parametrize("how", ["SIGKILL", "SIGINT", "SIGTERM"])
def test_a_build_process_stopped_half_way_leaves_a_whole_store(tmp_path, rust_db, big_folder,
                                                               how):
    store = tmp_path / "store.sqlite"
    shutil.copyfile(rust_db, store)
    before = _digest(store)
    process = subprocess.Popen([sys.executable, "-m", "casekb", "build", str(big_folder),
                                "--db", str(store)], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    try:
        _wait_for_temp_file(store, process)
        process.send_signal(getattr(signal, how))
        out, err = process.communicate(timeout=60)
    finally:
        if process.poll() is None:
            process.kill()
    assert "Traceback" not in err
    # Stopped before the new store was renamed into place (the usual case: writing takes
    # most of the time after the temporary file appears), the old store is byte-identical;
    # stopped after it, the new store is whole. Never anything in between.
    if _digest(store) != before:
        assert _cases(store) == 150  # stopped after the rename: the new store, whole
    elif how == "SIGINT" and "built " not in out:
        # casekb catches the interrupt and returns 130; now and then (about 1 run in 20 under
        # `python -m`) CPython still ends the process by SIGINT after that, which a shell
        # reports as the same 130.
        assert process.returncode in (130, -signal.SIGINT) and err.strip() == "interrupted"
    query = _casekb("query", "count cases", "--db", str(store), "-f", "json")
    assert query.returncode == 0, query.stderr
    if how == "SIGKILL":  # the next build replaces the store and clears the dead build's file
        rebuilt = _casekb("build", str(big_folder), "--db", str(store))
        assert rebuilt.returncode == 0, rebuilt.stderr
        assert [p.name for p in tmp_path.iterdir()] == ["store.sqlite"]
        assert _cases(store) == 150
    else:  # a build that could clean up after itself leaves no temporary file
        assert [p.name for p in tmp_path.iterdir()] == ["store.sqlite"]


# -- runaway work through `casekb sql` -----------------------------------------------------------

def test_a_cross_join_stops_at_the_time_limit_naming_the_setting(rust_db, run_cli):
    started = time.monotonic()
    result = run_cli("sql", "SELECT count(*) FROM evidence a, evidence b, evidence c, evidence d",
                     "--db", rust_db, "--timeout", "0.5")
    assert time.monotonic() - started < 10
    assert result.code == 1 and result.out == "" and "Traceback" not in result.err
    assert "time limit" in result.err and "--timeout" in result.err


def test_a_huge_result_stops_at_the_row_cap_with_a_note(rust_db, run_cli):
    started = time.monotonic()
    result = run_cli("sql", "SELECT a.id, b.id FROM evidence a, evidence b, evidence c",
                     "--db", rust_db, "-f", "tsv")
    assert time.monotonic() - started < 10  # the cap stops reading; the 14 million rows are not
    assert result.code == 0
    assert len(result.out.splitlines()) == 1 + 1000  # a header and the default cap
    assert "first 1,000 rows" in result.err and "--limit" in result.err
