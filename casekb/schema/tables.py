"""The store's tables as SQLAlchemy Core `Table` objects, by name.

`table("charges")` is the table; `metadata()` holds them all. Built on first use, so that
importing this module costs nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def metadata() -> Any:
    """The MetaData holding every table of the store."""
    from casekb.models import Base

    return Base.metadata


def table(name: str) -> Any:
    """The SQLAlchemy table called `name` (KeyError for an unknown name)."""
    return metadata().tables[name]
