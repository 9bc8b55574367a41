"""Which store a command uses: `--db PATH_OR_URL`, else `CASEKB_DB`, else the default store.

A plain path means a SQLite file; a `postgresql+psycopg://...?schema=NAME` URL a store in a
schema of a PostgreSQL database (casekb/store/postgres.py). The default store is a file in the
user's data folder (`CASEKB_HOME` overrides the folder, for tests), built from the bundled seeds
on first use (casekb/build/default.py). Nothing here opens anything.

Addressing a server store: it is one *schema* of a database, named by the URL's `schema`
option (default `casekb`), so several stores can share a database. Schema names are lower-case
letters, digits and `_`, at most 48 characters (PostgreSQL allows 63 and a build appends
`_build_xxxxxxxx`). `postgresql://` and `postgres://` mean the psycopg 3 driver, the one casekb
supports (`pip install 'casekb[postgres]'`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from casekb.errors import StoreError

DEFAULT_STORE_NAME = "casekb.sqlite"

ENV_DB = "CASEKB_DB"

ENV_HOME = "CASEKB_HOME"

DEFAULT_SCHEMA = "casekb"

SCHEMA_OPTION = "schema"

_SCHEMA_NAME = re.compile(r"[a-z_][a-z0-9_]{0,47}")

# Schemas that belong to PostgreSQL or to everyone; a build would rename and drop them.
_RESERVED = ("public", "information_schema")

DRIVER = "postgresql+psycopg"


@dataclass(frozen=True)
class StoreLocation:
    """A resolved store: its SQLAlchemy URL, its file when it is SQLite (its schema when it
    is on a PostgreSQL server), and who chose it."""

    url: str
    path: Path | None  # the SQLite file; None for a server database
    origin: str  # "--db", "CASEKB_DB" or "default"
    schema: str | None = None  # the PostgreSQL schema holding the store

    @property
    def is_default(self) -> bool:
        return self.origin == "default"

    @property
    def is_sqlite(self) -> bool:
        return self.path is not None

    @property
    def display(self) -> str:
        """How to name the store in a message (a path, or a URL without its password)."""
        if self.path is not None:
            return str(self.path)
        return _hide_password(self.url)

    def build_hint(self) -> str:
        """The command that (re)builds this store."""
        if self.is_default:
            return "casekb build"
        return f"casekb build --db {shell_quote(self.display)}"


# The variables default_home depends on: CASEKB_HOME, else those platformdirs finds the
# user's data folder from (XDG_DATA_HOME, HOME; on Windows APPDATA, LOCALAPPDATA).
HOME_VARIABLES = (ENV_HOME, "XDG_DATA_HOME", "HOME", "APPDATA", "LOCALAPPDATA")


def default_home() -> Path:
    """The folder holding the default store: `CASEKB_HOME`, else the user's data directory."""
    home = os.environ.get(ENV_HOME)
    if home:
        return Path(home).expanduser()
    import platformdirs  # only needed when the default store is used

    return Path(platformdirs.user_data_dir("casekb", appauthor=False))


def default_store_path() -> Path:
    """The default store file."""
    return default_home() / DEFAULT_STORE_NAME


def locate(db: str | os.PathLike | None = None) -> StoreLocation:
    """Resolve `--db` (a path, a URL; or `CASEKB_DB`, or the default) to a store location."""
    origin = "--db"
    if isinstance(db, (os.PathLike, bytes)):  # casekb.open(Path("rust.sqlite"))
        db = os.fsdecode(db)
    elif db is not None and not isinstance(db, str):
        raise TypeError(f"a store is a path, a URL or None, not {type(db).__name__}")
    if not db:
        db, origin = os.environ.get(ENV_DB) or None, ENV_DB
    if not db:
        path = default_store_path().resolve()
        return StoreLocation(sqlite_url(path), path, "default")
    if "://" not in db:
        path = Path(db).expanduser().resolve()
        return StoreLocation(sqlite_url(path), path, origin)
    scheme = db.split("://", 1)[0].lower()
    if scheme.split("+", 1)[0] == "sqlite":
        from sqlalchemy.engine import make_url

        try:
            database = make_url(db).database
        except ValueError:  # a host and port SQLAlchemy cannot split (`sqlite://[::1:5/x`)
            raise StoreError(f"cannot read the database URL {db!r}",
                             hints=["give the path of the store file, or "
                                    "sqlite:////absolute/path.sqlite"]) from None
        if not database or database == ":memory:":
            raise StoreError(f"{db!r} names no file; give the path of the store file")
        path = Path(database).expanduser().resolve()
        return StoreLocation(sqlite_url(path), path, origin)
    if scheme.split("+", 1)[0] in ("postgresql", "postgres"):
        url, schema = parse_url(db)
        return StoreLocation(url, None, origin, schema)
    raise StoreError(f"unsupported database URL scheme {scheme!r}",
                     hints=["give a file path (SQLite) or a postgresql+psycopg:// URL"])


def resolve_url(db: str | None = None) -> str:
    """The SQLAlchemy URL of the store chosen by `db`, `CASEKB_DB` or the default."""
    return locate(db).url


def parse_url(db: str) -> tuple[str, str]:
    """(the URL as casekb shows it, the schema): the driver made explicit, the schema checked.

    Raises StoreError for a URL that cannot be parsed or an unusable schema name.
    """
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    scheme, rest = db.split("://", 1)
    if scheme.lower() in ("postgresql", "postgres"):
        scheme = DRIVER  # the only driver casekb installs and tests
    try:
        url = make_url(f"{scheme}://{rest}")
    except (ArgumentError, ValueError) as error:
        # SQLAlchemy says ValueError for a host and port it cannot split (`[::1:5432`).
        what = (f"{error}" if isinstance(error, ArgumentError) else
                "its host and port cannot be read (a port is a number; an IPv6 address goes "
                "in brackets: [::1]:5432)")
        raise StoreError(f"cannot read the database URL {redact(db)}: {what}",
                         hints=["write it as postgresql+psycopg://USER@HOST:PORT/DATABASE"
                                "?schema=NAME"]) from None
    schemas = url.query.get(SCHEMA_OPTION, DEFAULT_SCHEMA)
    if isinstance(schemas, tuple):
        raise StoreError(f"the database URL {redact(db)} names the schema more than once")
    check_schema_name(schemas)
    if not url.database:
        raise StoreError(f"the database URL {redact(db)} names no database",
                         hints=["write it as postgresql+psycopg://USER@HOST:PORT/DATABASE"
                                "?schema=NAME"])
    return url.render_as_string(hide_password=False), schemas


def check_schema_name(name: str) -> None:
    """Refuse a schema name casekb cannot use safely (StoreError says which names are fine)."""
    if not _SCHEMA_NAME.fullmatch(name) or name in _RESERVED or name.startswith("pg_"):
        raise StoreError(
            f"cannot use {name!r} as the store's schema",
            hints=["choose a name of lower-case letters, digits and _ (at most 48), not "
                   "public or pg_*, e.g. ?schema=casekb"])


def redact(db: str) -> str:
    """A URL for a message, its password (if any) replaced."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", db)


def sqlite_url(path: Path) -> str:
    return "sqlite:///" + str(path)


def _hide_password(url: str) -> str:
    try:
        from sqlalchemy.engine import make_url

        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # a URL too broken to parse is shown as given, minus nothing secret
        return url.split("@", 1)[-1]


def shell_quote(text: str) -> str:
    import shlex

    return shlex.quote(text)
