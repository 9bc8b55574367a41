"""Transitional: the names casekb/views.py and tests/test_compile.py still import, until they
use casekb/schema/tables.py. The tables are declared in casekb/schema/declaration.py.
"""

from __future__ import annotations

from types import SimpleNamespace

from casekb.schema.declaration import KIND_ORDER, tables_of_kind
from casekb.schema.tables import metadata, table

Base = SimpleNamespace(metadata=metadata())

# The tables of every record kind but disputes, as views.py reads them (`.__table__`).
FACT_MODELS = {name: SimpleNamespace(__table__=table(name), __tablename__=name)
               for kind in KIND_ORDER if kind != "dispute" for name in tables_of_kind(kind)}
