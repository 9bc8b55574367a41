"""The default store: built from the bundled seeds on first use, rebuilt when they change, and
never replaced with other data unless the user asks for exactly that.
"""

from __future__ import annotations

import sys
from pathlib import Path

from casekb import SCHEMA_VERSION, __version__
from casekb.build.ddl import schema_hash
from casekb.errors import CurationError, StoreError, UsageError
from casekb.store.location import StoreLocation, default_store_path, locate, shell_quote
from casekb.store.sqlite import quiet_meta, sqlite_file_kind


def build_destination(db: str | None, folder: Path | str | None, *,
                      replace_default: bool = False) -> StoreLocation:
    """Where `casekb build [FOLDER] [--db DB]` writes, checked.

    The default store holds the bundled data and answers every command given no --db, so a
    build of another folder goes there only when asked for exactly that (`replace_default`);
    otherwise UsageError says how to give the store a place of its own.
    """
    from casekb.resources import is_bundled_seeds

    location = locate(db)
    if replace_default and not location.is_default:
        raise UsageError("--replace-default is for the default store; "
                         f"{location.origin} names another ({location.display})",
                         hints=["leave out one of them"])
    if not location.is_default or folder is None or is_bundled_seeds(folder) \
            or replace_default:
        return location
    name = Path(folder).resolve().name or "store"
    given = shell_quote(str(folder))
    raise UsageError(
        f"casekb build {given} writes a store of its own, not into the default store "
        f"({location.display}), which holds the bundled case and answers every command "
        f"given no --db",
        hints=[f"build it into a file of its own: casekb build {given} --db {name}.sqlite "
               f"(then ask it with --db {name}.sqlite, or set CASEKB_DB)",
               f"or make it the default store's data, for every command without --db: "
               f"casekb build {given} --replace-default"])


def ensure_default_store(path: Path | None = None) -> Path:
    """Build the default store from the bundled seeds if it is missing or out of date."""
    from casekb.curation.files import folder_hash
    from casekb.resources import bundled_seeds

    path = path or default_store_path()
    seeds = bundled_seeds()
    if sqlite_file_kind(path) == "casekb":
        meta = quiet_meta(path)
        if meta is not None and meta.get("source_bundled") != "true":
            # The user built their own data into the default store: never replace it with
            # the bundled case; open_store reports it if its schema version is stale.
            return path
        # The folder too: after casekb is installed again elsewhere, `info` and the reports'
        # links to the articles must name the data of this installation, not a removed one.
        # The store itself is no input, should CASEKB_HOME lie inside the seeds (as a build
        # leaves it out).
        wanted = {"schema_version": str(SCHEMA_VERSION), "casekb_version": __version__,
                  "schema_hash": schema_hash(),
                  "input_hash": folder_hash(seeds, leave_out=path),
                  "source_folder": str(seeds.resolve())}
        if meta is not None and all(meta.get(k) == v for k, v in wanted.items()):
            return path
    from casekb.build.builder import build_store

    if sys.stderr.isatty():
        print(f"casekb: building the default store {path} from the bundled seeds",
              file=sys.stderr)
    try:
        build_store(seeds, str(path), force=True)
    except CurationError as error:
        raise StoreError(
            f"cannot build the default store: the bundled curated data has "
            f"{len(error.problems)} problem(s)",
            hints=["list them with: casekb check"]) from None
    return path


def prepare_store(db: str | None) -> StoreLocation:
    """Where the store `db` names is (see casekb.store.location.locate); when it is the
    default store, that store is built first if it is missing or out of date."""
    location = locate(db)
    if location.is_default:
        ensure_default_store(location.path)
    return location
