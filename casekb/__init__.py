"""casekb: a legal case knowledge base with a query language.

Facts about criminal cases (charges, pleas, verdicts, sentences, penalties, events and
statements) are hand-curated from news articles; every fact carries the article and the
verbatim quote that states it. The store is a plain SQLite file (or a PostgreSQL schema).
"""

__version__ = "0.1.0"

# Bumped whenever the store's tables or views change shape; a store of another version is
# refused with a message that says to rebuild it.
SCHEMA_VERSION = 1
