"""Choosing and opening the store: resolution order, the default store, and every way opening
can fail (each a StoreError, exit status 3, with the fix)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError

from casekb import SCHEMA_VERSION
from casekb.build.builder import build_store
from casekb.errors import EXIT_STORE, StoreError
from casekb.store import sqlite as store
from casekb.store.location import resolve_url
from casekb.store.open import open_store


@pytest.fixture
def built(tmp_path, curated_folder) -> Path:
    """A store built from the example folder."""
    path = tmp_path / "store.sqlite"
    build_store(curated_folder, str(path))
    return path


def open_default():
    """The default store, built first when it is missing or out of date (as casekb.open
    and every command do)."""
    from casekb.build.default import prepare_store

    prepare_store(None)
    return open_store()


def store_error(db) -> StoreError:
    with pytest.raises(StoreError) as raised:
        open_store(str(db)).dispose()
    assert raised.value.exit_code == EXIT_STORE
    return raised.value


# -- resolution --------------------------------------------------------------------------------

def test_db_option_beats_environment_beats_default(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEKB_HOME", str(tmp_path / "home"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'home' / 'casekb.sqlite'}"
    monkeypatch.setenv("CASEKB_DB", str(tmp_path / "env.sqlite"))
    assert resolve_url(None) == f"sqlite:///{tmp_path / 'env.sqlite'}"
    assert resolve_url(str(tmp_path / "opt.sqlite")) == f"sqlite:///{tmp_path / 'opt.sqlite'}"


def test_relative_paths_and_sqlite_urls_become_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert resolve_url("rel.sqlite") == f"sqlite:///{tmp_path / 'rel.sqlite'}"
    assert resolve_url("sqlite:///rel.sqlite") == f"sqlite:///{tmp_path / 'rel.sqlite'}"


def test_server_urls_pass_through_and_unknown_schemes_are_refused():
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert resolve_url(url) == url
    with pytest.raises(StoreError, match="unsupported database URL scheme 'mysql'"):
        resolve_url("mysql://localhost/x")


def test_a_path_object_is_a_path_and_anything_else_is_refused(built):
    import casekb

    with casekb.open(built) as kb:  # a pathlib.Path, as casekb.open(str(path))
        assert kb.location.path == built.resolve()
        assert kb.query("count charges").rows == [(2,)]
    assert resolve_url(built) == resolve_url(str(built))
    with pytest.raises(TypeError, match="a path, a URL or None, not int"):
        casekb.open(3)


# -- opening -----------------------------------------------------------------------------------

def test_open_store_reads_a_built_store(built):
    engine = open_store(str(built))
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM charges").scalar_one() == 2
    engine.dispose()


def test_open_store_is_read_only(built):
    before = built.read_bytes()
    engine = open_store(str(built))
    with pytest.raises(DBAPIError, match="readonly"):
        with engine.connect() as connection:
            connection.exec_driver_sql("DELETE FROM charges")
    engine.dispose()
    assert built.read_bytes() == before


def test_missing_store(tmp_path):
    error = store_error(tmp_path / "nope.sqlite")
    assert error.message == f"no casekb store at {tmp_path / 'nope.sqlite'}"
    assert error.hints == [f"build it: casekb build --db {tmp_path / 'nope.sqlite'}"]


def test_garbage_file(tmp_path):
    # Binary: a store whose header was damaged, say; rebuilding over it is the fix.
    path = tmp_path / "garbage.sqlite"
    path.write_bytes(bytes(range(256)) * 10)
    error = store_error(path)
    assert "is not a SQLite database, so not a casekb store" in error.message
    assert error.hints == [f"if it should be one, rebuild it: casekb build --db {path} --force "
                           f"(this replaces the file)"]


@pytest.mark.parametrize("name", ["sources.toml", "articles/example-gazette-2024-03-01.txt",
                                  "notes.md"])
def test_a_text_file_is_never_offered_for_replacing(curated_folder, name):
    # A curated file or an article given as --db by mistake: `casekb build --db FILE --force`
    # (which builds the bundled seeds, not this folder) would have replaced it.
    path = curated_folder / name
    if not path.exists():
        path.write_text("# notes\nnothing here is a database\n")
    error = store_error(path)
    assert error.message == f"{path} is not a SQLite database, so not a casekb store"
    assert error.hints == ["it holds text, as a curated file or an article does: give the "
                           "path of a store made by `casekb build`"]


def test_empty_file(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    assert "is an empty file, not a casekb store" in store_error(path).message


def test_another_applications_sqlite_database(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as connection:
        connection.execute("CREATE TABLE t (x)")
    assert "is a SQLite database but not a casekb store" in store_error(path).message


def test_truncated_store(built):
    data = built.read_bytes()
    built.write_bytes(data[: len(data) // 2])
    error = store_error(built)
    assert "is truncated or damaged" in error.message
    assert error.hints == [f"rebuild it: casekb build --db {built}"]


def test_damaged_store(built):
    data = bytearray(built.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    data[page_size:] = b"\xff" * (len(data) - page_size)  # keep the header, wreck every page
    built.write_bytes(bytes(data))
    error = store_error(built)
    assert error.message == f"the store {built} is damaged (database disk image is malformed)"
    assert error.hints == [f"rebuild it: casekb build --db {built}"]


def test_store_of_another_schema_version(built, curated_folder):
    with sqlite3.connect(built) as connection:
        connection.execute("UPDATE meta SET value = '0' WHERE key = 'schema_version'")
    error = store_error(built)
    assert error.message.startswith(f"the store {built} has schema version 0, but this casekb")
    assert f"reads schema version {SCHEMA_VERSION}" in error.message
    assert error.hints == [f"rebuild it: casekb build {curated_folder} --db {built}"]


def test_store_without_meta(built):
    with sqlite3.connect(built) as connection:
        connection.execute("DROP TABLE meta")
    assert "is not a casekb store (it has no meta table)" in store_error(built).message


def test_locked_store(built, monkeypatch):
    monkeypatch.setattr(store, "LOCK_TIMEOUT_SECONDS", 0.05)
    holder = sqlite3.connect(built, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        error = store_error(built)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert error.message == f"the store {built} is locked by another process"


def test_a_folder_is_not_a_store(tmp_path):
    assert "is a directory, not a casekb store file" in store_error(tmp_path).message


def test_cli_reports_store_errors_with_exit_3(tmp_path, run_cli):
    result = run_cli("info", "--db", tmp_path / "nope.sqlite")
    assert result.code == 3
    assert result.out == ""
    assert result.err == (f"no casekb store at {tmp_path / 'nope.sqlite'}\n"
                          f"hint: build it: casekb build --db {tmp_path / 'nope.sqlite'}\n")


def test_cli_info_shows_the_store(built, run_cli):
    result = run_cli("info", "--db", built)
    assert result.code == 0
    assert f"store: {built}\n" in result.out
    assert f"schema_version: {SCHEMA_VERSION}\n" in result.out
    assert "charges 2" in result.out


# -- the default store -------------------------------------------------------------------------

@pytest.fixture
def default_home(tmp_path, monkeypatch, curated_folder):
    """An empty default home whose 'bundled seeds' are a copy of the example folder."""
    home = tmp_path / "home"
    monkeypatch.setenv("CASEKB_HOME", str(home))
    monkeypatch.delenv("CASEKB_DB", raising=False)
    monkeypatch.setattr("casekb.resources.bundled_seeds", lambda: curated_folder)
    return home


def test_default_store_is_built_on_first_use(default_home):
    assert not (default_home / "casekb.sqlite").exists()
    engine = open_default()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT count(*) FROM cases").scalar_one() == 1
        bundled = connection.exec_driver_sql(
            "SELECT value FROM meta WHERE key = 'source_bundled'").scalar_one()
    engine.dispose()
    assert bundled == "true"


def test_default_store_is_rebuilt_only_when_the_bundled_data_change(default_home, curated_folder):
    open_default().dispose()
    path = default_home / "casekb.sqlite"
    first = path.stat().st_ino, path.read_bytes()
    open_default().dispose()
    assert (path.stat().st_ino, path.read_bytes()) == first  # untouched
    article = curated_folder / "sources.toml"
    article.write_text(article.read_text().replace("The Example Gazette", "The Example Times"))
    engine = open_default()
    with engine.connect() as connection:
        outlet = connection.exec_driver_sql("SELECT outlet FROM sources").scalar_one()
    engine.dispose()
    assert outlet == "The Example Times"


def test_default_store_is_rebuilt_when_its_tables_or_views_change(default_home, monkeypatch):
    # A new casekb whose DDL differs (schema/schema.sql), though nobody bumped SCHEMA_VERSION.
    from casekb.build import builder, default

    open_default().dispose()
    path = default_home / "casekb.sqlite"
    before = path.read_bytes()
    open_default().dispose()
    assert path.read_bytes() == before  # the same casekb: untouched
    for module in (builder, default):
        monkeypatch.setattr(module, "schema_hash", lambda: "a-later-schema")
    engine = open_default()
    with engine.connect() as connection:
        recorded = connection.exec_driver_sql(
            "SELECT value FROM meta WHERE key = 'schema_hash'").scalar_one()
    engine.dispose()
    assert recorded == "a-later-schema"


def test_default_store_is_rebuilt_when_damaged(default_home):
    default_home.mkdir()
    (default_home / "casekb.sqlite").write_bytes(b"junk")
    open_default().dispose()
    assert store.sqlite_file_kind(default_home / "casekb.sqlite") == "casekb"


def test_users_own_data_in_the_default_store_is_kept(default_home, tmp_path):
    from casekb.curation.scaffold import init_folder

    own = tmp_path / "own"
    init_folder(own)
    (own / "sources.toml").write_text((own / "sources.toml").read_text()
                                      .replace("The Example Gazette", "Our Paper"))
    build_store(own)  # no --db: into the default store
    engine = open_default()
    with engine.connect() as connection:
        assert connection.exec_driver_sql("SELECT outlet FROM sources").scalar_one() == "Our Paper"
    engine.dispose()


def test_bundled_data_that_fail_validation_give_a_store_error(default_home, curated_folder):
    (curated_folder / "bad.toml").write_text('[[person]]\nid = "x"\n')
    error = store_error_default()
    assert error.message == ("cannot build the default store: the bundled curated data has "
                             "2 problem(s)")
    assert error.hints == ["list them with: casekb check"]


def store_error_default() -> StoreError:
    with pytest.raises(StoreError) as raised:
        open_default()
    return raised.value
