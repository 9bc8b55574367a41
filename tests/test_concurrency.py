"""Concurrency: readers querying in a loop while the store is rebuilt again and again never
see an error or a partial store; threads sharing one KB take turns on its connection.

Two versions of the curated data differ by one person. Reader processes run `casekb query`
(the command's own `main`, in a loop, with a fresh store opening each time as a new command
would have) and a long-lived engine, while this process rebuilds the store from one version,
then the other. Every answer must be exactly one version's: the right number of people, and
the charges unchanged. Any error, exit status or other count fails the test.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

READER = textwrap.dedent("""\
    import contextlib, io, json, sys, time, traceback
    from pathlib import Path
    from casekb.cli import main
    import casekb

    db, stop = sys.argv[1], Path(sys.argv[2])
    seen, errors, iterations = {}, [], 0
    long_lived = casekb.open(db)
    while not stop.exists() or iterations < 3:
        iterations += 1
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(["query", "people", "--db", db, "-f", "json", "--limit", "0"])
            if code != 0:
                errors.append(f"exit {code}: {err.getvalue()}")
                continue
            people = len(json.loads(out.getvalue()))
            charges = long_lived.run("count charges").rows[0][0]
            fresh = casekb.open(db)
            try:
                both = (len(fresh.run("people", cap=None).rows),
                        fresh.run("count charges").rows[0][0])
            finally:
                fresh.close()
            key = f"{people}/{charges}/{both[0]}/{both[1]}"
            seen[key] = seen.get(key, 0) + 1
        except BaseException:
            errors.append(traceback.format_exc())
    long_lived.close()
    print(json.dumps({"iterations": iterations, "seen": seen, "errors": errors[:3]}))
    """)

EXTRA_PERSON = textwrap.dedent("""\
    [[person]]
    id = "extra-person"
    name = "Extra Person"
    evidence = [
      { source = "independent-2023-01-20", quote = "Baldwin was charged with two counts of involuntary manslaughter" },
    ]
    """)


@pytest.fixture
def two_versions(tmp_path, seeds_dir) -> tuple[Path, Path]:
    first = tmp_path / "first"
    shutil.copytree(seeds_dir, first)
    second = tmp_path / "second"
    shutil.copytree(seeds_dir, second)
    (second / "extra.toml").write_text(EXTRA_PERSON, encoding="utf-8")
    return first, second


def _counts(db: Path) -> tuple[int, int]:
    import casekb

    engine = casekb.open(str(db))
    try:
        return (len(engine.run("people", cap=None).rows),
                engine.run("count charges").rows[0][0])
    finally:
        engine.close()


def test_readers_never_see_an_error_or_a_partial_store_during_rebuilds(tmp_path, two_versions):
    from casekb.build.builder import build_store

    first, second = two_versions
    db = tmp_path / "store.sqlite"
    build_store(second, str(db))
    people_second, charges = _counts(db)
    build_store(first, str(db))
    people_first, same_charges = _counts(db)
    assert people_second == people_first + 1 and same_charges == charges

    stop = tmp_path / "stop"
    readers = [subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for _ in range(2)]
    try:
        time.sleep(1.0)  # let the readers start querying
        builds = 0
        deadline = time.monotonic() + 8
        while builds < 6 or time.monotonic() < deadline - 6:
            build_store(second if builds % 2 == 0 else first, str(db))
            builds += 1
            if time.monotonic() > deadline:
                break
        stop.touch()
        reports = []
        for reader in readers:
            out, err = reader.communicate(timeout=150)
            assert reader.returncode == 0, err
            reports.append(json.loads(out.strip().splitlines()[-1]))
    finally:
        stop.touch()
        for reader in readers:
            if reader.poll() is None:
                reader.kill()
    assert builds >= 4
    whole = {f"{a}/{charges}/{b}/{charges}" for a in (people_first, people_second)
             for b in (people_first, people_second)}
    for report in reports:
        assert report["errors"] == [], report["errors"][0]
        assert report["iterations"] >= 5
        assert set(report["seen"]) <= whole, report["seen"]
    # The readers really ran across the rebuilds: between them they met both versions.
    people_seen = {key.split("/")[0] for report in reports for key in report["seen"]}
    assert people_seen == {str(people_first), str(people_second)}


# -- One KB shared by threads -------------------------------------------------------------------
# Every way of asking that runs statements on the KB's own driver connection: queries (lower()
# is a Python function on SQLite), the suggestions for an unknown name, explain's check of
# names, describe's examples, profiles and timelines; and raw SQL, on connections of its own.
SHARED_KB = textwrap.dedent("""\
    import json, sys, threading, time
    import casekb
    from casekb.errors import UnknownNameError

    kb = casekb.open(sys.argv[1])

    def ask():
        answers = [len(kb.query('statements where quote ~ "trigger"').rows),
                   len(kb.query('charges where defendant = "Alec Baldwin"', cap=None).rows),
                   len(kb.describe("charges").fields),
                   len(kb.profile("Dave Halls").charges),
                   len(kb.timeline().events),
                   kb.sql("SELECT count(*) FROM v_charges").rows[0][0]]
        try:
            kb.query('charges where defendant = "Alec Baldwinn"')
        except UnknownNameError as error:
            answers.append(error.hints[0])
        kb.explain('charges where defendant = "Dave Halls"')
        return answers

    expected = json.dumps(ask())  # one thread first: what every answer must be
    errors, wrong = [], []

    def work():
        try:
            for _ in range(int(sys.argv[2])):
                answers = json.dumps(ask())
                if answers != expected:
                    wrong.append(answers)
        except BaseException as error:
            errors.append(repr(error))

    threads = [threading.Thread(target=work, daemon=True) for _ in range(int(sys.argv[3]))]
    for thread in threads:
        thread.start()
    end = time.monotonic() + 90
    for thread in threads:
        thread.join(max(0, end - time.monotonic()))
    alive = sum(thread.is_alive() for thread in threads)
    print(json.dumps({"alive": alive, "errors": errors[:3], "wrong": wrong[:3],
                      "after": json.dumps(ask()) == expected if not alive else None}))
    """)


def _share_one_kb(db: str, rounds: int, threads: int) -> dict:
    from hostile_run import run_python

    # In a child process: a deadlock holds the GIL, so that no thread of this process (not
    # even a join with a timeout) would run again; the child's time limit ends it.
    result = run_python(SHARED_KB, db, str(rounds), str(threads), timeout=150)
    assert result.code == 0, f"stopped at the time limit (a deadlock?): {result.err[-2000:]}" \
        if result.code is None else result.err[-2000:]
    return json.loads(result.out.strip().splitlines()[-1])


def test_threads_sharing_one_kb_take_turns_on_sqlite(rust_db):
    # Two threads each asking the same query on one sqlite3 connection deadlocked for good
    # within a few hundred rounds: one held SQLite's mutex waiting for the GIL (to run
    # lower()), the other the GIL waiting for the mutex.
    report = _share_one_kb(str(rust_db), rounds=25, threads=4)
    assert report == {"alive": 0, "errors": [], "wrong": [], "after": True}
