"""Building a store from a curated folder: validate it while writing, atomically.

- `builder.build_store(folder, db)`: the build, SQLite or PostgreSQL;
- `writer`: the store's rows made from the valid records, written through the driver;
- `postgres`: a server store built in a private schema and swapped in with one commit;
- `views`: the SQL views, one per entity of the query language;
- `ddl`: the store's DDL (tables and views) as `casekb schema` prints it;
- `default`: the default store, built from the bundled seeds on first use.

Nothing is imported here, so that importing a submodule stays cheap.
"""
