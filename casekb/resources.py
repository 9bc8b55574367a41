"""Where the run-time data lives: inside the wheel, or beside the package in a source checkout.

In a wheel, `grammar/`, `seeds/`, `schema/` and `reports/` are copied into `casekb/_data/` (see
pyproject.toml) and read through importlib.resources. In an editable install or a plain
checkout they are the top-level folders of the repository.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path


@cache
def data_dir(name: str) -> Path:
    """The folder `name` ("grammar", "seeds", "schema" or "reports") as a real path on disk."""
    packaged = resources.files("casekb") / "_data" / name
    if packaged.is_dir():
        return Path(str(packaged))
    checkout = Path(__file__).resolve().parent.parent / name
    if checkout.is_dir():
        return checkout
    raise FileNotFoundError(f"casekb's bundled {name}/ folder is missing from the installation")


def grammar_path() -> Path:
    """The query language's grammar file."""
    return data_dir("grammar") / "casekb.lark"


def bundled_seeds() -> Path:
    """The curated data folder shipped with casekb (the Rust case)."""
    return data_dir("seeds")


def bundled_reports() -> Path:
    """The example reports shipped with casekb (`casekb report NAME` finds them)."""
    return data_dir("reports")
