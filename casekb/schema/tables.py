"""The store's tables as SQLAlchemy Core `Table` objects, built from the schema declaration
(casekb/schema/declaration.py).

`table("charges")` is the table; `metadata()` holds them all; `indexes_for(table, dialect)`
the indexes a store on that dialect has. Built on first use, so that importing this module
costs nothing.
"""

from __future__ import annotations

from functools import cache
from typing import Any


@cache
def metadata() -> Any:
    """The MetaData holding every table of the store."""
    from sqlalchemy import MetaData

    from casekb.schema.declaration import TABLES

    built = MetaData()
    for declared in TABLES:
        _build(declared, built)
    return built


def table(name: str) -> Any:
    """The SQLAlchemy table called `name` (KeyError for an unknown name)."""
    return metadata().tables[name]


def indexes_for(table: Any, dialect: str) -> list[Any]:
    """The indexes of `table` that a store on `dialect` ("sqlite", "postgresql") has, by name
    (`metadata.create_all` makes the same choice from each index's `ddl_if`)."""
    def made(index: Any) -> bool:
        condition = index._ddl_if  # set by Index.ddl_if(); no public accessor
        if condition is None or condition.dialect is None:
            return True
        wanted = condition.dialect
        return dialect == wanted if isinstance(wanted, str) else dialect in wanted
    return sorted((index for index in table.indexes if made(index)),
                  key=lambda index: index.name or "")


def _build(declared: Any, metadata: Any) -> Any:
    from sqlalchemy import CheckConstraint, Index, Table, UniqueConstraint

    # Constraints are printed in the order they were made: checks, then the multi-column
    # UNIQUEs, then each column's own UNIQUE and FOREIGN KEY as the table takes the column.
    checks = [CheckConstraint(check.sql, name=check.name) for check in declared.checks]
    uniques = [UniqueConstraint(*unique.columns) for unique in declared.uniques]
    built = Table(declared.name, metadata, *map(_column, declared.columns), *checks, *uniques)
    for index in declared.indexes:
        columns = [built.c[name] for name in index.columns]
        if index.descending:
            columns = [column.desc().nulls_last() for column in columns]
        made = Index(index.name, *columns)
        if index.postgresql_only:
            made.ddl_if(dialect="postgresql")
    return built


_TYPES = {"integer": "Integer", "text": "Text", "float": "Float", "boolean": "Boolean",
          "date": "Date"}


def _column(declared: Any) -> Any:
    import sqlalchemy
    from sqlalchemy import Column, ForeignKey

    from casekb.schema.declaration import referenced_table

    if declared.length is not None:
        type_ = sqlalchemy.String(declared.length)
    else:
        type_ = getattr(sqlalchemy, _TYPES[declared.type])()
    references = ()
    if declared.refers_to is not None:
        references = (ForeignKey(f"{referenced_table(declared.refers_to)}.id",
                                 ondelete=declared.on_delete),)
    return Column(declared.name, type_, *references, primary_key=declared.primary_key,
                  nullable=not (declared.required or declared.primary_key),
                  unique=declared.unique or None, default=declared.default)
