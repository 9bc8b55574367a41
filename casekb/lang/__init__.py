"""The query language: text -> syntax tree -> resolved query -> one SQL statement.

The pipeline, one module a step:
- `parser.parse(text)`: the lark grammar (grammar/casekb.lark) to a syntax tree (`ast`);
  `syntax` words lark's errors for people;
- `resolve.resolve(query, text)`: names against `registry` (the entities and fields, the one
  source of truth), values typed and checked;
- `compiler.compile_query(resolved)`: one select, for SQLite and PostgreSQL, built from
  `sqlexpr` (SQLAlchemy Core's rules without its import); `sqlite_sql` writes its SQLite SQL,
  `to_core` makes it SQLAlchemy Core for the rest; `compiler.sql_text` shows it for `explain`;
- `describe.describe(name, open_store)`: an entity's fields with example values.

Running and showing results are casekb/execute.py (`run_statement`) and casekb/render.py.
Nothing is imported here, so that importing a submodule stays cheap.
"""
