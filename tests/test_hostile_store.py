"""A damaged or locked store: every command says so, with the fix, and never a traceback.

A store whose bytes were damaged (a disk error, a copy cut short, a hand edit) answers what it
still can; anything it cannot answer is "damaged, rebuild it", exit 3, from every command. A
store locked by another process is said at once, after one short wait, naming the process
when it can be known.
"""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import subprocess
import sys
import time

import pytest

from casekb.errors import EXIT_OK, EXIT_STORE

COMMANDS = [
    ("query", 'charges where defendant = "Alec Baldwin" with sources'),
    ("query", "count statements by speaker"),
    ("query", "people"),
    ("query", "disputes with sources"),
    ("explain", 'charges where defendant = "Dave Halls"'),
    ("describe", "charges"),
    ("profile", "Alec Baldwin"),
    ("timeline", "Rust"),
    ("sql", "SELECT * FROM v_evidence"),
    ("info",),
    ("report", "case-summary"),
]


def _damaged_copies(rust_db, folder, count: int, seed: int = 3):
    """Copies of the store with a few bytes changed at spread-out places (never in the first
    100 bytes, whose damage is told apart from the start: "not a SQLite database")."""
    data = rust_db.read_bytes()
    rng = random.Random(seed)
    for number in range(count):
        damaged = bytearray(data)
        start = rng.randrange(100, len(data) - 16)
        for offset in range(start, start + rng.randrange(1, 16)):
            damaged[offset] = rng.randrange(256)
        path = folder / f"damaged-{number}.sqlite"
        path.write_bytes(bytes(damaged))
        yield path


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c)[:40])
def test_every_command_answers_a_damaged_store_or_says_it_is_damaged(rust_db, tmp_path,
                                                                     run_cli, command):
    said_damaged = 0
    for path in _damaged_copies(rust_db, tmp_path, 40):
        args = [*command[:1], "--db", str(path), *command[1:]]
        if command[0] == "sql":
            args += ["--timeout", "20"]
        result = run_cli(*args)
        assert result.code in (EXIT_OK, EXIT_STORE), (path, args, result.err)
        assert "Traceback" not in result.err
        if result.code == EXIT_STORE:
            said_damaged += 1
            assert "rebuild it" in result.err or "damaged" in result.err, result.err
        path.unlink()
    # Damage somewhere in the pages a command reads is common enough to be tried here.
    # (describe says it in a note, and answers with the words it needs no store for)
    assert said_damaged or command[0] in ("explain", "info", "describe"), command


def test_a_damaged_page_of_facts_is_said_damaged(rust_db, tmp_path, run_cli):
    """Overwrite the middle of the file with noise: whatever is read there is damaged."""
    path = tmp_path / "noise.sqlite"
    data = bytearray(rust_db.read_bytes())
    for offset in range(len(data) // 3, 2 * len(data) // 3):
        data[offset] = (offset * 7919) % 256
    path.write_bytes(bytes(data))
    result = run_cli("query", "--db", str(path), "statements with sources")
    assert result.code == EXIT_STORE, result.err
    assert "damaged" in result.err and "casekb build" in result.err


def test_a_locked_store_is_said_after_one_short_wait_naming_who_holds_it(rust_db, tmp_path):
    store = tmp_path / "locked.sqlite"
    shutil.copyfile(rust_db, store)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sqlite3, sys, time\n"
         f"c = sqlite3.connect({str(store)!r}, isolation_level=None)\n"
         "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        started = time.monotonic()
        result = subprocess.run([sys.executable, "-m", "casekb", "query", "--db", str(store),
                                 "count charges"], capture_output=True, text=True, timeout=60,
                                env={**os.environ, "CASEKB_QUERY_CACHE": "0"})
        waited = time.monotonic() - started
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == EXIT_STORE, result.stderr
    assert "locked" in result.stderr and "Traceback" not in result.stderr
    assert f"process {holder.pid}" in result.stderr  # who holds it, read from /proc
    assert waited < 10  # one wait of a few seconds, not one per statement


def test_the_same_store_answers_once_the_lock_is_gone(rust_db, tmp_path):
    store = tmp_path / "was-locked.sqlite"
    shutil.copyfile(rust_db, store)
    connection = sqlite3.connect(store, isolation_level=None)
    connection.execute("BEGIN EXCLUSIVE")
    connection.execute("COMMIT")
    connection.close()
    result = subprocess.run([sys.executable, "-m", "casekb", "query", "--db", str(store),
                             "count charges"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.split() == ["count", "5"]
