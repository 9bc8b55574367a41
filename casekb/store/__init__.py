"""The store: where it is, and opening it safely, on SQLite and PostgreSQL.

- `location`: which store `--db`, `CASEKB_DB` or the default names (a file, or a schema of a
  PostgreSQL database);
- `sqlite`, `postgres`: each engine's connections, checks and error messages;
- `open`: opening a store checked to be a casekb store of this schema version;
- `reader`: the PostgreSQL role that raw SQL runs as, which can only read the store.

Writing a store is casekb/build/. Nothing is imported here, so that importing a submodule
stays cheap.
"""
