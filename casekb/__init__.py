"""casekb: a legal case knowledge base with a query language.

    import casekb
    kb = casekb.open()            # the default store; or casekb.open("rust.sqlite"), or a URL
    kb.query('charges where defendant = "Alec Baldwin" with sources')

See casekb/kb.py for everything a KB answers.

Facts about criminal cases (charges, pleas, verdicts, sentences, penalties, events and
statements) are hand-curated from news articles; every fact carries the article and the
verbatim quote that states it. The store is a plain SQLite file (or a PostgreSQL schema).
"""

import os

__version__ = "0.1.0"

# Bumped whenever the store's tables or views change shape; a store of another version is
# refused with a message that says to rebuild it.
SCHEMA_VERSION = 2


# `open` shadows the built-in here only: `casekb.open`, like `sqlite3.connect`.
def open(db: str | os.PathLike | None = None):
    """The store `db` (a SQLite path, as text or a pathlib.Path; a postgresql+psycopg:// URL;
    or None: $CASEKB_DB or the default store), opened for questions: a casekb.kb.KB."""
    from casekb.kb import KB

    kb = KB(db)
    kb.connection()  # a store that cannot be used is said now, not at the first question
    return kb
