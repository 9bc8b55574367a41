"""Shared fixtures.

- `seeds_dir`: the project's bundled curated folder (seeds/), never ../shared.
- `rust_db`: path of a SQLite store built once per session from the bundled seeds.
- `run_cli`: run `casekb.cli.main(argv)` in-process; returns exit code, stdout and stderr.
- `memory_engine`: an in-memory SQLite engine with the store's (empty) tables.
- `empty_store`: a store file with the store's tables and no rows: put rows in through its
  `engine`, then `open()` it as a user would (casekb.open).
- `curated_folder`: a fresh copy of the `casekb init` example in tmp_path, valid as created.
- `pg_server`: the PostgreSQL server URL from CASEKB_TEST_POSTGRES_URL (tests using it are
  skipped, saying how to run them, when it is unset); `pg_url`: a store URL naming a schema of
  its own, new for each test and dropped afterwards. Every schema a run makes starts with the
  run's unique prefix and is dropped at the end of the session, so runs never collide.

A test skipped by a fixture is reported at the fixture, so the run's summary gives each
reason once (pytest_runtest_makereport below).

Before each test the process's cache of plans in memory (casekb/plan/cache.py) is emptied, so
no test is answered from a plan another test made in this process (plans on disk, under the
session's CASEKB_HOME, are kept: a new process asks them as a user's would).

For the whole session CASEKB_HOME points at a temporary folder and CASEKB_DB is unset, so no
test reads or writes the user's real default store.
"""

from __future__ import annotations

import io
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session", autouse=True)
def _isolated_home(tmp_path_factory):
    home = tmp_path_factory.mktemp("casekb-home")
    saved = {name: os.environ.get(name) for name in ("CASEKB_HOME", "CASEKB_DB")}
    os.environ["CASEKB_HOME"] = str(home)
    os.environ.pop("CASEKB_DB", None)
    yield home
    for name, value in saved.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """A fixture that skips (pg_server, without a server) is reported where it skipped, not
    at each test that uses it, so the summary folds the same reason into one line
    ("SKIPPED [89] tests/conftest.py:...") instead of burying the result under 89."""
    outcome = yield
    report = outcome.get_result()
    if report.skipped and call.when == "setup" and call.excinfo is not None \
            and isinstance(report.longrepr, tuple):
        ours = [entry for entry in call.excinfo.traceback
                if Path(entry.path).is_relative_to(REPO / "tests")]
        if ours:  # the line of the fixture that called pytest.skip
            where = os.path.relpath(str(ours[-1].path), str(item.config.rootpath))
            report.longrepr = (where, ours[-1].lineno + 1, report.longrepr[2])


@pytest.fixture(autouse=True)
def _fresh_plans_in_memory():
    from casekb.plan.cache import plans

    plans().clear()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The project's curated seeds folder."""
    return REPO / "seeds"


@pytest.fixture(scope="session")
def rust_db(tmp_path_factory, seeds_dir) -> Path:
    """A SQLite store built from the bundled seeds (session-scoped; treat it as read-only)."""
    from casekb.build.builder import build_store

    path = tmp_path_factory.mktemp("rust-store") / "rust.sqlite"
    build_store(seeds_dir, str(path))
    return path


@pytest.fixture(scope="session")
def rust_kb(rust_db):
    """The Rust store, open for questions (casekb.open); shared: treat it as read-only."""
    import casekb

    kb = casekb.open(str(rust_db))
    yield kb
    kb.close()


@dataclass
class CliResult:
    """What a command printed and returned."""

    code: int
    out: str
    err: str


@pytest.fixture
def run_cli(capsys, monkeypatch):
    """Run the command line in-process: run_cli("check", "DIR", input="...") -> CliResult."""
    from casekb.cli import main

    def run(*argv: str, input: str | None = None) -> CliResult:
        if input is not None:
            monkeypatch.setattr(sys, "stdin", io.StringIO(input))
        capsys.readouterr()  # drop anything printed before
        try:
            code = main([str(arg) for arg in argv])
        except SystemExit as exit:  # argparse's --help, --version and usage errors
            code = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 2)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return run


@pytest.fixture
def memory_engine():
    """An in-memory SQLite engine holding the store's tables, empty."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import StaticPool

    from casekb.schema.tables import metadata

    engine = create_engine("sqlite://", poolclass=StaticPool,
                           connect_args={"check_same_thread": False})
    metadata().create_all(engine)
    yield engine
    engine.dispose()


@dataclass
class EmptyStore:
    """A store with its tables and no rows: `engine` writes rows, `open()` reads it (a KB)."""

    engine: object
    db: str

    def insert(self, rows: dict[str, list[dict]]) -> None:
        """Rows by table name, each a dict of columns (missing columns are NULL)."""
        from sqlalchemy import insert

        from casekb.schema.tables import table

        with self.engine.begin() as connection:
            for name, values in rows.items():
                keys = {key for value in values for key in value}
                connection.execute(insert(table(name)),
                                   [{key: value.get(key) for key in keys} for value in values])

    def open(self):
        import casekb

        return casekb.open(self.db)


@pytest.fixture
def empty_store(tmp_path):
    """An empty store file of the current schema (see EmptyStore)."""
    from sqlalchemy import create_engine, insert

    from casekb import SCHEMA_VERSION
    from casekb.schema.tables import metadata, table
    from casekb.store.sqlite import APPLICATION_ID

    path = tmp_path / "empty.sqlite"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as connection:
        connection.exec_driver_sql(f"PRAGMA application_id = {APPLICATION_ID}")
        metadata().create_all(connection)
        connection.execute(insert(table("meta")), [
            {"key": "schema_version", "value": str(SCHEMA_VERSION)},
            {"key": "schema_hash", "value": "test"}])
    yield EmptyStore(engine, str(path))
    engine.dispose()


@pytest.fixture
def curated_folder(tmp_path) -> Path:
    """A new curated folder holding the `casekb init` example (valid as created)."""
    from casekb.curation.scaffold import init_folder

    folder = tmp_path / "curated"
    init_folder(folder)
    return folder


# -- PostgreSQL ---------------------------------------------------------------------------

PG_ENV = "CASEKB_TEST_POSTGRES_URL"
PG_HOW = (f"PostgreSQL tests need a server: set {PG_ENV}, e.g. "
          f"{PG_ENV}=postgresql+psycopg://postgres@127.0.0.1:5432/test (as .ci/run does)")


@dataclass
class PgServer:
    """A PostgreSQL server for this test run: its URL and the prefix of this run's schemas."""

    url: str
    prefix: str
    made: int = 0

    def store_url(self, name: str | None = None) -> str:
        """The URL of a store in a new schema of this run (`name` makes it readable)."""
        self.made += 1
        schema = f"{self.prefix}_{name or 's'}{self.made}"
        separator = "&" if "?" in self.url else "?"
        return f"{self.url}{separator}schema={schema}"

    def schemas(self, prefix: str | None = None) -> list[str]:
        """This run's schemas (or those starting with `prefix`), build and old ones included."""
        from sqlalchemy import create_engine, text

        engine = create_engine(self.url)
        try:
            with engine.connect() as connection:
                return sorted(connection.execute(
                    text("SELECT nspname FROM pg_namespace WHERE starts_with(nspname, :p)"),
                    {"p": prefix or self.prefix}).scalars())
        finally:
            engine.dispose()

    def drop(self, schema: str | None = None) -> None:
        """Drop this run's schemas, or one store's schema and its build leftovers, and the
        reader roles builds made for them (roles belong to the server: they outlive a schema)."""
        from sqlalchemy import create_engine, text

        names = [name for name in self.schemas(schema)
                 if schema is None or name == schema or name.startswith(schema + "_")]
        engine = create_engine(self.url)
        try:
            with engine.begin() as connection:
                for name in names:
                    connection.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{name}" CASCADE')
                roles = connection.execute(
                    text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :p)"),
                    {"p": schema or self.prefix}).scalars().all()
                for role in roles:
                    if schema is None or role == f"{schema}_reader":
                        connection.exec_driver_sql(f'DROP OWNED BY "{role}"')
                        connection.exec_driver_sql(f'DROP ROLE "{role}"')
        finally:
            engine.dispose()


@pytest.fixture(scope="session")
def pg_server() -> PgServer:
    """The test PostgreSQL server; skips (saying how to run) when none is configured."""
    import secrets

    url = os.environ.get(PG_ENV)
    if not url:
        pytest.skip(PG_HOW)
    # Lower case: schema names in casekb are lower-case identifiers.
    server = PgServer(url, f"t{os.getpid()}_{secrets.token_hex(3)}")
    yield server
    server.drop()


@pytest.fixture
def pg_url(pg_server) -> str:
    """A store URL naming a schema of its own (not created yet); dropped after the test."""
    url = pg_server.store_url()
    schema = url.rsplit("schema=", 1)[1]
    yield url
    pg_server.drop(schema)
