"""The store's schema: the one declaration of its tables (and of the curated record kinds that
fill them), and what is derived from it: SQLAlchemy tables, schema/schema.sql, the docs' tables.

Nothing is imported here, so that importing a submodule stays cheap.
"""
