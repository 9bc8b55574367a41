"""Where the run-time data lives: inside the wheel, or beside the package in a source checkout.

In a wheel, `grammar/`, `seeds/`, `schema/` and `reports/` are copied into `casekb/_data/` (see
pyproject.toml), beside this file. In an editable install or a plain checkout they are the
top-level folders of the repository. (Found from `__file__` rather than importlib.resources,
whose import alone costs ~9 ms on every query: the data must be real files on disk anyway, for
sqlite3 and lark to read.)
"""

from __future__ import annotations

from functools import cache
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    """The folder `name` ("grammar", "seeds", "schema" or "reports") as a real path on disk."""
    package = Path(__file__).resolve().parent
    packaged = package / "_data" / name
    if packaged.is_dir():
        return packaged
    checkout = package.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"casekb's bundled {name}/ folder is missing from the installation")


def grammar_path() -> Path:
    """The query language's grammar file."""
    return data_dir("grammar") / "casekb.lark"


def bundled_seeds() -> Path:
    """The curated data folder shipped with casekb (the Rust case)."""
    return data_dir("seeds")


def is_bundled_seeds(folder: Path | str) -> bool:
    """Whether `folder` is the curated data shipped with casekb (the default store's input)."""
    try:
        return Path(folder).resolve() == bundled_seeds().resolve()
    except OSError:
        return False


def bundled_reports() -> Path:
    """The example reports shipped with casekb (`casekb report NAME` finds them)."""
    return data_dir("reports")
