"""`casekb build`: what lands in the store, determinism, and atomic replacement."""

from __future__ import annotations

import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from casekb import SCHEMA_VERSION, __version__
from casekb.build import builder as build_module
from casekb.build.builder import build_store
from casekb.curation.files import folder_hash
from casekb.errors import CurationError, StoreError, UsageError
from casekb.schema.tables import metadata
from casekb.store.open import open_store

REPO = Path(__file__).resolve().parent.parent


def query(path: Path, sql: str, *params) -> list[tuple]:
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as connection:
        return connection.execute(sql, params).fetchall()


def dump(path: Path) -> dict[str, list[tuple]]:
    """Every row of every table, in id order (meta without its build time)."""
    tables = {}
    for name in metadata().tables:
        order = "key" if name == "meta" else "id"
        rows = query(path, f"SELECT * FROM {name} ORDER BY {order}")
        if name == "meta":
            rows = [row for row in rows if row[0] != "built_at"]
        tables[name] = rows
    return tables


@pytest.fixture
def store(tmp_path, curated_folder) -> Path:
    path = tmp_path / "store.sqlite"
    build_store(curated_folder, str(path))
    return path


# -- what is stored ----------------------------------------------------------------------------

def test_rows_of_every_kind(store):
    counts = {name: query(store, f"SELECT count(*) FROM {name}")[0][0]
              for name in metadata().tables}
    assert counts == {
        "meta": 7, "sources": 1, "cases": 1, "case_aliases": 0, "people": 3,
        "person_aliases": 1, "roles": 3, "offenses": 2, "charges": 2, "charge_enhancements": 1,
        "charge_statuses": 2, "pleas": 1, "verdicts": 1, "sentences": 1, "penalties": 4,
        "events": 3, "statements": 2, "disputes": 1, "dispute_claims": 2, "evidence": 29,
        # the apology is about the cyclist; 8 values inferred ("on Thursday") and the
        # sentence's date derived from the article
        "statement_subjects": 1, "inferences": 9,
    }


def test_references_resolve_and_foreign_keys_hold(store):
    assert query(store, "PRAGMA foreign_key_check") == []
    assert query(store, """
        SELECT p.name, o.name, o.offense_class, c.counts FROM charges c
        JOIN people p ON p.id = c.defendant_id JOIN offenses o ON o.id = c.offense_id
        WHERE c.key = 'sample-reckless-driving'""") == [
        ("John Q. Sample", "reckless driving", "misdemeanor", 1)]


def test_partial_dates_are_ranges_with_a_precision(store):
    assert query(store, "SELECT filed, filed_end, filed_precision, closed, closed_precision "
                        "FROM charges ORDER BY id") == [
        ("2023-08-01", "2023-08-31", "month", None, None),
        ("2023-08-01", "2023-08-31", "month", "2024-02-29", "day"),
    ]
    assert query(store, "SELECT published, published_end, published_precision FROM sources") == [
        ("2024-03-01", "2024-03-01", "day")]


def test_quantities_are_normalised(store):
    assert query(store, "SELECT key, kind, bound, amount_value, amount_unit, amount_dimension, "
                        "amount_text, suspended FROM penalties ORDER BY id") == [
        ("ex-reckless-driving-max-jail", "jail", "maximum", 90.0, "days", "duration", "90 days", 0),
        ("sample-sentence-probation", "probation", "imposed", 365.25, "days", "duration",
         "12 months", 0),
        ("sample-sentence-fine", "fine", "imposed", 50000.0, "cents", "money", "$500", 0),
        ("sample-sentence-service", "community service", "imposed", 40.0, "hours", "hours",
         "40 hours", 0),
    ]


def test_folded_columns(store):
    assert query(store, "SELECT name_folded FROM people ORDER BY id") == [
        ("john q. sample",), ("alex rider",), ("maria example",)]
    assert query(store, "SELECT alias, alias_folded FROM person_aliases") == [
        ("Jon Sample", "jon sample")]
    assert query(store, "SELECT title_folded FROM cases") == [("main street crash",)]
    assert query(store, "SELECT name_folded FROM offenses WHERE key = 'ex-reckless-driving'") == [
        ("reckless driving",)]


def test_every_fact_has_evidence_pointing_back_at_it(store):
    for name, table in metadata().tables.items():
        if name in ("meta", "sources", "evidence", "disputes", "dispute_claims", "inferences",
                    "statement_subjects"):
            continue
        unsupported = query(store, f"""
            SELECT f.id FROM {name} f WHERE NOT EXISTS (
                SELECT 1 FROM evidence e WHERE e.fact_table = '{name}' AND e.fact_id = f.id)""")
        assert unsupported == [], f"{name} rows without evidence"
    assert query(store, """
        SELECT e.quote, s.key FROM evidence e JOIN pleas p ON e.fact_table = 'pleas'
        AND e.fact_id = p.id JOIN sources s ON s.id = e.source_id ORDER BY e.id""") == [
        ("pleaded guilty on Thursday to one count of reckless driving", "gazette-2024-03-01"),
        ("as part of a plea agreement", "gazette-2024-03-01"),
    ]


def test_disputes_list_their_claims(store):
    assert query(store, """
        SELECT d.key, c.fact_table, ev.key FROM dispute_claims c JOIN disputes d ON d.id = c.dispute_id
        JOIN events ev ON c.fact_table = 'events' AND ev.id = c.fact_id ORDER BY c.id""") == [
        ("sample-crash-date", "events", "sample-crash-june"),
        ("sample-crash-date", "events", "sample-crash-july"),
    ]


def test_source_text_and_hash(store, curated_folder):
    import hashlib

    article = curated_folder / "articles" / "example-gazette-2024-03-01.txt"
    assert query(store, "SELECT file, sha256, text FROM sources") == [
        ("articles/example-gazette-2024-03-01.txt",
         hashlib.sha256(article.read_bytes()).hexdigest(), article.read_text(encoding="utf-8"))]


def test_meta_records_version_hash_and_origin(store, curated_folder):
    meta = dict(query(store, "SELECT key, value FROM meta"))
    assert meta["schema_version"] == str(SCHEMA_VERSION)
    assert meta["schema_hash"] == hashlib.sha256(
        (REPO / "schema" / "schema.sql").read_bytes()).hexdigest()
    assert meta["casekb_version"] == __version__
    assert meta["input_hash"] == folder_hash(curated_folder)
    assert meta["source_folder"] == str(curated_folder.resolve())
    assert meta["source_bundled"] == "false"
    assert meta["built_at"].endswith("+00:00")


def test_status_is_the_latest_status_record(tmp_path, curated_folder):
    evidence = 'evidence = [{ source = "gazette-2024-03-01", quote = "one count" }]'
    (curated_folder / "statuses.toml").write_text(textwrap.dedent(f"""\
        [[status]]
        id = "late-superseded"
        charge = "sample-leaving-the-scene"
        status = "superseded"
        date = "2024-03"
        {evidence}

        [[status]]
        id = "undated-pending"
        charge = "sample-leaving-the-scene"
        status = "pending"
        {evidence}
        """))
    path = tmp_path / "s.sqlite"
    build_store(curated_folder, str(path))
    # 2024-03 (a month) starts after the dismissal on 2024-02-29; undated counts as earliest.
    assert query(path, "SELECT key, status FROM charges ORDER BY id") == [
        ("sample-reckless-driving", "convicted"), ("sample-leaving-the-scene", "superseded")]


def test_progress_reports_each_table(tmp_path, curated_folder):
    seen = []
    build_store(curated_folder, str(tmp_path / "p.sqlite"),
                progress=lambda table, done, total: seen.append((table, done, total)))
    assert ("charges", 2, 2) in seen and ("evidence", 29, 29) in seen


def test_the_bundled_seeds_build(rust_db):
    meta = dict(query(rust_db, "SELECT key, value FROM meta"))
    assert meta["source_bundled"] == "true"
    assert query(rust_db, "PRAGMA foreign_key_check") == []
    assert query(rust_db, "SELECT count(*) FROM sources")[0][0] == 5


# -- determinism -------------------------------------------------------------------------------

def test_building_twice_gives_the_same_rows(tmp_path, curated_folder):
    first, second = tmp_path / "1.sqlite", tmp_path / "2.sqlite"
    build_store(curated_folder, str(first))
    build_store(curated_folder, str(second))
    assert dump(first) == dump(second)


def test_with_source_date_epoch_builds_are_byte_identical(tmp_path, curated_folder, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first, second = tmp_path / "1.sqlite", tmp_path / "2.sqlite"
    build_store(curated_folder, str(first))
    build_store(curated_folder, str(second))
    assert first.read_bytes() == second.read_bytes()
    assert dict(query(first, "SELECT key, value FROM meta"))["built_at"] == \
        "2023-11-14T22:13:20+00:00"


# -- atomicity ---------------------------------------------------------------------------------

def temp_files(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.endswith(".building"))


def test_invalid_data_leave_the_old_store_byte_identical(store, curated_folder):
    before = store.read_bytes()
    (curated_folder / "bad.toml").write_text('[[person]]\nid = "x"\n')
    with pytest.raises(CurationError):
        build_store(curated_folder, str(store))
    assert store.read_bytes() == before
    assert temp_files(store) == []


def test_a_build_failing_half_way_leaves_the_old_store_byte_identical(store, curated_folder,
                                                                      monkeypatch):
    before = store.read_bytes()
    from casekb.build.writer import SQLiteTarget

    real_insert = SQLiteTarget.insert
    inserts = []

    def failing_insert(target, table, columns, rows):
        if len(inserts) == 3:  # some tables hold rows already
            raise RuntimeError("disk on fire")
        inserts.append(table.name)
        real_insert(target, table, columns, rows)

    monkeypatch.setattr(SQLiteTarget, "insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk on fire"):
        build_store(curated_folder, str(store))
    assert store.read_bytes() == before
    assert temp_files(store) == []


def test_an_interrupted_build_leaves_the_old_store_intact(store, curated_folder, monkeypatch):
    before = store.read_bytes()

    def interrupt(table, done, total):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build_store(curated_folder, str(store), progress=interrupt)
    assert store.read_bytes() == before
    assert temp_files(store) == []


def test_a_build_killed_half_way_leaves_the_old_store_intact(store, curated_folder, tmp_path):
    before = store.read_bytes()
    marker = tmp_path / "half-way"
    script = textwrap.dedent(f"""\
        import time
        from casekb.build.builder import build_store

        def progress(table, done, total):
            if table == "charges":
                open({str(marker)!r}, "w").close()
                time.sleep(120)

        build_store({str(curated_folder)!r}, {str(store)!r}, progress=progress)
        """)
    process = subprocess.Popen([sys.executable, "-c", script], cwd=tmp_path)
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert process.poll() is None, "the build ended before it was killed"
            assert time.monotonic() < deadline, "the build never got half-way"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(10)
    finally:
        if process.poll() is None:
            process.kill()
    assert store.read_bytes() == before
    assert len(temp_files(store)) == 1  # the dead build's file, never renamed into place
    open_store(str(store)).dispose()
    build_store(curated_folder, str(store))  # the next build clears the leftover
    assert temp_files(store) == []


def test_a_reader_keeps_a_whole_store_while_it_is_replaced(store, curated_folder):
    reader = sqlite3.connect(f"file:{store}?mode=ro", uri=True)
    reader.execute("BEGIN")
    assert reader.execute("SELECT outlet FROM sources").fetchall() == [("The Example Gazette",)]
    sources = curated_folder / "sources.toml"
    sources.write_text(sources.read_text().replace("The Example Gazette", "The Example Times"))
    build_store(curated_folder, str(store))
    assert reader.execute("SELECT outlet FROM sources").fetchall() == [("The Example Gazette",)]
    reader.close()
    assert query(store, "SELECT outlet FROM sources") == [("The Example Times",)]


# -- targets that must not be replaced ---------------------------------------------------------

def test_a_locked_store_is_not_replaced(store, curated_folder, monkeypatch):
    monkeypatch.setattr(build_module, "LOCK_TIMEOUT_SECONDS", 0.05)
    writer = sqlite3.connect(store, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError, match="is locked by another process"):
            build_store(curated_folder, str(store))
    finally:
        writer.execute("ROLLBACK")
        writer.close()


@pytest.mark.skipif(hasattr(os, "geteuid") and os.geteuid() == 0,
                    reason="root may write read-only files and folders")
def test_read_only_store_and_folder_are_refused(store, curated_folder):
    store.chmod(0o444)
    with pytest.raises(StoreError, match="is read-only; not replacing it"):
        build_store(curated_folder, str(store))
    store.chmod(0o644)
    store.parent.chmod(0o555)
    try:
        with pytest.raises(StoreError, match="read-only"):
            build_store(curated_folder, str(store))
    finally:
        store.parent.chmod(0o755)


def test_unwritable_targets_are_refused_as_the_os_reports_them(store, curated_folder,
                                                               monkeypatch):
    # The same check as above, for runs as root: the OS is asked through os.access.
    real_access = os.access
    before = store.read_bytes()
    for unwritable, expected in ((store, "is read-only; not replacing it"),
                                 (store.parent, f"the folder {store.parent} is read-only")):
        monkeypatch.setattr(os, "access", lambda path, mode, unwritable=unwritable:
                            False if Path(path) == unwritable and mode & os.W_OK
                            else real_access(path, mode))
        with pytest.raises(StoreError, match=expected):
            build_store(curated_folder, str(store))
    assert store.read_bytes() == before


def test_other_files_are_replaced_only_with_force(tmp_path, curated_folder, run_cli):
    notes = tmp_path / "notes.txt"
    notes.write_text("precious\n")
    result = run_cli("build", curated_folder, "--db", notes)
    assert result.code == 3
    assert f"{notes} exists and is not a casekb store; not replacing it" in result.err
    assert notes.read_text() == "precious\n"
    result = run_cli("build", curated_folder, "--db", notes, "--force")
    assert result.code == 0
    open_store(str(notes)).dispose()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_device_or_pipe_is_never_replaced_even_with_force(tmp_path, curated_folder, run_cli):
    # /dev/null reads as an empty file: renaming a new store over it would replace the device.
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    for extra in ((), ("--force",)):
        result = run_cli("build", curated_folder, "--db", pipe, *extra)
        assert result.code == 3
        assert f"{pipe} is a device, pipe or socket; casekb never replaces it" in result.err
    assert pipe.is_fifo()
    # Opening it as a store must not block on the pipe either.
    result = run_cli("query", "--db", pipe, "charges")
    assert result.code == 3 and "is a device, pipe or socket" in result.err


# -- never over the folder's own inputs -------------------------------------------------------

ARTICLE = "articles/example-gazette-2024-03-01.txt"


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under `folder` (hidden ones too) with its bytes."""
    return {str(path.relative_to(folder)): path.read_bytes()
            for path in sorted(folder.rglob("*")) if path.is_file()}


def _link_outside_to_the_article(tmp_path: Path, folder: Path) -> Path:
    link = tmp_path / "link.sqlite"
    link.symlink_to(folder / ARTICLE)
    return link


def _link_inside_to_sources(tmp_path: Path, folder: Path) -> Path:
    link = folder / "store.sqlite"
    link.symlink_to(folder / "sources.toml")
    return link


def _notes_in_the_folder(tmp_path: Path, folder: Path) -> Path:
    notes = folder / "notes.md"
    notes.write_text("what the curator wants to remember\n")
    return notes


@pytest.mark.parametrize("force", [False, True], ids=["plain", "force"])
@pytest.mark.parametrize("target, expected", [
    (ARTICLE, "an article of the curated folder being built"),
    ("sources.toml", "a curated file of the folder being built"),
    ("example/case.toml", "a curated file of the folder being built"),
    ("example/../sources.toml", "a curated file of the folder being built"),
    (".", "the curated folder being built"),
    ("articles", "the articles/ folder of the curated folder being built"),
    ("articles/new.sqlite", "in the articles/ folder of the curated folder being built"),
    ("example/new.toml", "a name the build reads as a curated file (*.toml) of the folder"),
    (_link_outside_to_the_article, "an article of the curated folder being built"),
    (_link_inside_to_sources, "a curated file of the folder being built"),
    (_notes_in_the_folder, "a file of the curated folder being built, and not a casekb store"),
], ids=["article", "sources", "case-file", "dot-dot", "folder", "articles-folder",
        "new-in-articles", "new-toml", "link-from-outside", "link-inside", "other-file"])
def test_a_build_never_writes_over_its_own_input(tmp_path, curated_folder, run_cli, target,
                                                 expected, force):
    db = target(tmp_path, curated_folder) if callable(target) else curated_folder / target
    before = snapshot(curated_folder)
    result = run_cli("build", curated_folder, "--db", db, *(("--force",) if force else ()))
    assert result.code == 2, result.err
    real = Path(os.path.realpath(db))
    message, hint = result.err.splitlines()
    assert message.startswith(f"cannot build the store at {real}: that is {expected}")
    assert message.endswith("; a build never writes its store over its own input, not even "
                            "with --force")
    assert hint == f"hint: give the store a path outside the folder, for example: --db " \
                   f"{tmp_path / 'curated.sqlite'}"
    assert "Traceback" not in result.err and result.out == ""
    assert snapshot(curated_folder) == before  # nothing written, no temporary file left
    assert not (tmp_path / "curated.sqlite").exists()


def test_a_text_file_elsewhere_is_not_offered_for_replacing(tmp_path, curated_folder, run_cli):
    # The curated file of another folder than the one being built: not an input of this
    # build, so --force still replaces it, but the hint does not suggest it.
    other = tmp_path / "other"
    shutil.copytree(curated_folder, other)
    before = snapshot(other)
    result = run_cli("build", curated_folder, "--db", other / "sources.toml")
    assert result.code == 3
    assert result.err.splitlines() == [
        f"{other / 'sources.toml'} exists and is not a casekb store; not replacing it",
        "hint: choose another path: the file holds text, as a curated file or an article does"]
    assert snapshot(other) == before


def test_the_library_refuses_an_input_as_the_store_too(curated_folder):
    before = snapshot(curated_folder)
    with pytest.raises(UsageError, match="that is a curated file of the folder being built"):
        build_store(curated_folder, str(curated_folder / "sources.toml"), force=True)
    assert snapshot(curated_folder) == before


def test_the_suggested_store_is_outside_a_folder_given_as_dot(tmp_path, curated_folder,
                                                              run_cli, monkeypatch):
    monkeypatch.chdir(curated_folder)
    result = run_cli("build", ".", "--db", "example/case.toml", "--force")
    assert result.code == 2
    assert "(./example/case.toml)" in result.err
    assert result.err.splitlines()[1].endswith(f"--db {tmp_path / 'curated.sqlite'}")


def test_a_store_kept_in_the_folder_it_is_built_from(tmp_path, curated_folder, run_cli,
                                                     monkeypatch):
    # Not an input: the build reads *.toml files and the articles sources name, and a store
    # beside them is neither. So it is built, and built again without --force, and it is not
    # taken for data: its input hash (and so the whole store, with SOURCE_DATE_EPOCH) is the
    # same as that of a store built outside the folder (before the store was there).
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    before = snapshot(curated_folder)
    inside, outside = curated_folder / "curated.sqlite", tmp_path / "outside.sqlite"
    assert run_cli("build", curated_folder, "--db", outside).code == 0
    for _ in range(2):
        result = run_cli("build", curated_folder, "--db", inside)
        assert result.code == 0, result.err
        assert result.err.startswith(f"built {inside}: ")
    after = snapshot(curated_folder)
    assert after.pop("curated.sqlite") == outside.read_bytes()
    assert after == before  # the data untouched, no temporary file left
    meta = dict(query(inside, "SELECT key, value FROM meta"))
    assert meta["input_hash"] == folder_hash(curated_folder, leave_out=inside) != \
        folder_hash(curated_folder)
    result = run_cli("check", curated_folder)
    assert result.code == 0 and result.err == "", result.err


def test_a_folder_where_no_file_can_be_created_is_a_store_error(tmp_path, curated_folder,
                                                                  monkeypatch):
    connect = sqlite3.connect

    def refuse(database, *args, **kwargs):
        # Only in the store's folder: the index of keys lives in the temporary folder.
        if str(database).startswith(str(tmp_path)):
            raise sqlite3.OperationalError("unable to open database file")
        return connect(database, *args, **kwargs)

    monkeypatch.setattr(build_module.sqlite3, "connect", refuse)
    target = tmp_path / "store.sqlite"
    with pytest.raises(StoreError, match=f"cannot write the store {target}: cannot create a "
                                         f"file in {tmp_path}"):
        build_store(curated_folder, str(target))
    assert list(tmp_path.iterdir()) == [curated_folder]


def test_a_file_in_the_way_of_the_stores_folder_is_named(tmp_path, curated_folder):
    (tmp_path / "plain").write_text("a file\n")
    target = tmp_path / "plain" / "sub" / "store.sqlite"
    with pytest.raises(StoreError, match=f"cannot create the store {target}: "
                                         f"{tmp_path / 'plain'} is a file, not a folder"):
        build_store(curated_folder, str(target))


def test_a_folder_target_is_refused(tmp_path, curated_folder):
    with pytest.raises(StoreError, match="is a folder; give the path of the store file"):
        build_store(curated_folder, str(tmp_path))


# -- the command -------------------------------------------------------------------------------

def test_cli_build(tmp_path, curated_folder, run_cli):
    target = tmp_path / "deep" / "er" / "store.sqlite"
    result = run_cli("build", curated_folder, "--db", target)
    assert result.code == 0
    assert result.out == ""
    assert result.err.startswith(f"built {target}: ")
    assert query(target, "SELECT count(*) FROM charges") == [(2,)]


def test_cli_build_uses_casekb_db(tmp_path, curated_folder, run_cli, monkeypatch):
    target = tmp_path / "env.sqlite"
    monkeypatch.setenv("CASEKB_DB", str(target))
    assert run_cli("build", curated_folder).code == 0
    assert target.exists()


def test_cli_build_with_problems_exits_1_and_keeps_the_store(store, curated_folder, run_cli):
    before = store.read_bytes()
    (curated_folder / "bad.toml").write_text('[[person]]\nid = "x"\nname = "X"\n')
    result = run_cli("build", curated_folder, "--db", store)
    assert result.code == 1
    assert "bad.toml:1: person 'x', field 'evidence': missing required field" in result.err
    assert result.err.rstrip().endswith("1 problem in the curated data")
    assert store.read_bytes() == before


@pytest.mark.parametrize("bad", [
    '[[person]]\nid = "x"\nname = "X"\n',  # found by the second pass (no evidence)
    '[[person]]\nid = "john-sample"\n',  # found by the first pass already (a duplicate id)
])
def test_problems_in_the_data_are_named_before_problems_with_the_target(tmp_path,
                                                                        curated_folder, bad):
    (curated_folder / "bad.toml").write_text(bad)
    with pytest.raises(CurationError):
        build_store(curated_folder, str(tmp_path))  # a folder: no store can be written there
    target = tmp_path / "new" / "store.sqlite"
    with pytest.raises(CurationError):
        build_store(curated_folder, str(target))
    assert not target.exists()
    if target.parent.exists():  # the second pass ran with the temporary store open
        assert temp_files(target) == []
