"""The text of raw SQL for `casekb sql`: one reading statement, its parameters, its characters.

This is the first fence of casekb/sql/access.py, the same on both engines:
- `check_statement`: one statement only (a `;` may end it), beginning with SELECT, WITH,
  EXPLAIN or VALUES;
- `check_text`: text a database accepts (no byte that is not UTF-8, no NUL), or a message
  pointing at the character;
- `check_parameters`: exactly the named parameters the SQL uses are given, each a value a
  database accepts;
- `driver_text`: the SQL as psycopg wants it, with only the real parameters as placeholders.

All of them read the SQL as tokens of its dialect (`sql_tokens`), so that a `;`, a word or a
`:name` inside quoted text, a comment or a quoted name counts for nothing. SQLite quotes with
'text', "name", `name` and [name]; PostgreSQL with 'text', E'text\\'s', "name" and $tag$text$tag$,
and nests /* comments */. What the tokens get wrong can only make casekb refuse too much, or
bind too little (the database then reports a parameter it does not know), never paste a value
into the SQL.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from casekb.errors import EXIT_USAGE, QueryError, span_at

ALLOWED_FIRST_WORDS = ("select", "with", "explain", "values")
# Pragmas that only report something (whatever their argument), allowed as table-valued
# functions on SQLite: `SELECT * FROM pragma_table_info('charges')`.
READ_PRAGMAS = frozenset({
    "table_info", "table_xinfo", "table_list", "index_list", "index_info", "index_xinfo",
    "foreign_key_list", "collation_list", "function_list", "module_list", "pragma_list",
    "compile_options", "database_list",
})
SQLITE = "sqlite"
POSTGRESQL = "postgresql"

WRITE_HINT = ("the store is never edited: change the curated files and rebuild it with "
              "casekb build")
_WRITE_WORDS = frozenset({"insert", "update", "delete", "replace", "upsert", "create", "drop",
                          "alter", "vacuum", "reindex", "analyze"})
_REFUSED_HINTS = {
    "pragma": "to read a table's columns: SELECT * FROM pragma_table_info('charges')",
    "attach": "casekb sql reads the store it was given; export a copy with casekb export",
    "begin": "each statement runs on its own, read-only; transactions are not needed",
}
# Bytes that are not UTF-8 reach Python as lone surrogates (command-line arguments, or
# standard input read with surrogateescape); no database and no UTF-8 output takes them.
_NOT_TEXT = re.compile("[\ud800-\udfff\x00]")
# PostgreSQL: a dollar quote opens with $tag$, the tag a name without `$` (or empty); like
# any name it may hold every character beyond ASCII.
_DOLLAR_TAG = re.compile("\\$(?:[A-Za-z_\u0080-\U0010ffff][A-Za-z0-9_\u0080-\U0010ffff]*)?\\$")


class SQLError(QueryError):
    """Raw SQL that casekb refuses (a write, several statements) or that the database rejects.

    `message` says what is wrong in the user's words; the database's own message is kept in it.
    """


class SQLParameterError(SQLError):
    """A parameter the SQL uses was not given, or one given is not used (a usage error, as
    for reports). `hints` say how to give a value with `--param`; the shell puts its own."""

    exit_code = EXIT_USAGE


def check_statement(sql: str, dialect: str = SQLITE) -> str:
    """The single statement in `sql` (without a final `;`), or SQLError saying why not."""
    tokens = list(sql_tokens(sql, dialect))
    words = [(text, start) for kind, text, start in tokens if kind != "punctuation"]
    if not words:
        raise SQLError("no SQL was given", query=sql,
                       hints=["for example: casekb sql 'SELECT * FROM v_charges'"])
    ends = [start for kind, text, start in tokens if kind == "punctuation" and text == ";"]
    end = ends[0] if ends else None
    if end is not None and any(start > end for _, _, start in tokens):
        raise SQLError("only one SQL statement can be run at a time; remove everything after "
                       "the first `;`", query=sql)
    first = tokens[0][1].lower()
    if first not in ALLOWED_FIRST_WORDS:
        hint = _REFUSED_HINTS.get(first)
        if hint is None and first in _WRITE_WORDS:
            hint = WRITE_HINT
        if hint is None:
            import difflib

            close = difflib.get_close_matches(first, ALLOWED_FIRST_WORDS, n=1)
            hint = f"did you mean {close[0].upper()}?" if close else None
        raise SQLError(f"casekb sql only reads: a statement beginning with {first.upper()} "
                       f"is not allowed; begin with SELECT, WITH, EXPLAIN or VALUES",
                       query=sql, hints=[hint] if hint else [])
    if dialect == SQLITE:
        for kind, text, _ in tokens:
            name = text[len("pragma_"):].lower() if kind == "word" else ""
            if text.lower().startswith("pragma_") and name not in READ_PRAGMAS:
                raise SQLError(f"casekb sql only reads: the pragma {name} is not allowed",
                               query=sql, hints=["allowed: " + ", ".join(
                                   f"pragma_{p}" for p in sorted(READ_PRAGMAS))])
    return sql[:end] if end is not None else sql


def first_word(sql: str, dialect: str = SQLITE) -> str:
    """The first word of a statement (after comments), in lower case; "" when there is none."""
    return next((text.lower() for _, text, _ in sql_tokens(sql, dialect)), "")


def check_text(sql: str) -> None:
    """SQLError, pointing at the character, when `sql` holds one no database accepts: a byte
    that is not UTF-8 (a lone surrogate) or a NUL."""
    found = _NOT_TEXT.search(sql)
    if found is None:
        return
    # Echoed with the replacement character in its place (one for one: the caret still
    # points at it), as a terminal would show it.
    raise SQLError(f"the SQL holds {_character_words(found.group())}", query=_shown(sql),
                   span=span_at(sql, found.start()),
                   hints=["give the SQL as UTF-8 text (a value made of bytes can be written "
                          "as a blob literal: x'ff')"])


def sql_parameters(sql: str, marks: str = ":$@?", dialect: str = SQLITE) -> dict[str, str]:
    """The named parameters a statement uses, each with its spelling (`:name`, `$name` or
    `@name`), in order of first use; `?` (a parameter by position) is listed as "?". Only
    the `marks` given count. Quoted text and comments hold none, nor does PostgreSQL's
    `x::type`, `$1` or `$tag$`."""
    return {name: spelling for name, spelling, _ in _parameter_marks(sql, marks, dialect)}


def check_parameters(sql: str, params: Mapping[str, Any], marks: str = ":$@?",
                     dialect: str = SQLITE) -> None:
    """SQLParameterError unless `params` gives exactly the named parameters `sql` uses, each
    a value a database accepts."""
    used = sql_parameters(sql, marks, dialect)
    if "?" in used:
        raise SQLParameterError("a parameter by position (`?`) cannot be given a value; name "
                                "it instead, e.g. :defendant", query=sql,
                                hints=["then give it with --param defendant=VALUE"])
    missing = [name for name in used if name not in params]
    if missing:
        words = ", ".join(used[name] for name in missing)
        raise SQLParameterError(
            f"the SQL uses the parameter{'s' if len(missing) > 1 else ''} {words} but no "
            f"value was given", query=sql,
            hints=["give " + ("them" if len(missing) > 1 else "it") + " with "
                   + " ".join(f"--param {name}=VALUE" for name in missing)])
    unused = [name for name in params if name not in used]
    if unused:
        import difflib

        close = difflib.get_close_matches(unused[0], list(used), n=1)
        hints = [f"did you mean {close[0]}?"] if close else []
        hints.append("the SQL's parameters: " + (", ".join(used.values()) if used
                                                 else "none (write :name where a value goes)"))
        raise SQLParameterError(f"the SQL has no parameter {unused[0]}", query=sql,
                                hints=hints)
    for name, value in params.items():
        found = _NOT_TEXT.search(value) if isinstance(value, str) else None
        if found is not None:
            raise SQLParameterError(
                f"the value of the parameter {name}, {_shown(value)!r}, holds "
                f"{_character_words(found.group())} (at character {found.start() + 1})",
                query=sql, hints=["give the value as UTF-8 text"])


def driver_text(sql: str, marks: str = ":$", dialect: str = POSTGRESQL) -> str:
    """`sql` for psycopg with named parameters: each real `:name` or `$name` written
    `%(name)s`, and every other `%` doubled (psycopg reads `%` everywhere, quoted text
    included, and gives `%%` back as `%`)."""
    out, last = [], 0
    for name, spelling, start in _parameter_marks(sql, marks, dialect):
        out += [sql[last:start].replace("%", "%%"), f"%({name})s"]
        last = start + len(spelling)
    out.append(sql[last:].replace("%", "%%"))
    return "".join(out)


def _parameter_marks(sql: str, marks: str, dialect: str) -> Iterator[tuple[str, str, int]]:
    """(name, spelling, offset) of every parameter in `sql`, "?" for one by position."""
    tokens = list(sql_tokens(sql, dialect))
    for index, (kind, text, start) in enumerate(tokens):
        if kind != "punctuation" or text not in marks:
            continue
        if text == "?":
            yield "?", "?", start
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        if following is None or following[0] != "word" or following[2] != start + 1:
            continue
        before = tokens[index - 1] if index else None
        if text == ":" and before is not None and before[1] == ":" and before[2] == start - 1:
            continue  # x::text
        name = following[1]
        if text == "$" and (name[0].isdigit() or sql.startswith("$", start + 1 + len(name))):
            continue  # PostgreSQL's $1 and $tag$
        yield name, text + name, start


def sql_tokens(sql: str, dialect: str = SQLITE) -> Iterator[tuple[str, str, int]]:
    """The tokens of SQL text as (kind, text, offset): kind is "word", "quoted" or
    "punctuation"; white space and comments are skipped. Numbers count as words."""
    postgresql = dialect == POSTGRESQL
    quotes = "'\"" if postgresql else "'\"`["
    index, length = 0, len(sql)
    while index < length:
        char = sql[index]
        if char.isspace():
            index += 1
        elif sql.startswith("--", index):
            newline = sql.find("\n", index)
            index = length if newline < 0 else newline + 1
        elif sql.startswith("/*", index):
            index = _comment_end(sql, index, nested=postgresql)
        elif postgresql and char in "eE" and sql.startswith("'", index + 1):
            start, index = index, _quoted_end(sql, index + 1, "'", backslash=True)
            yield "quoted", sql[start:index], start
        elif postgresql and char == "$" and _DOLLAR_TAG.match(sql, index):
            tag = _DOLLAR_TAG.match(sql, index).group()
            close = sql.find(tag, index + len(tag))
            start, index = index, length if close < 0 else close + len(tag)
            yield "quoted", sql[start:index], start
        elif char in quotes:
            start, index = index, _quoted_end(sql, index, "]" if char == "[" else char)
            yield "quoted", sql[start:index], start
        elif _word_character(char, postgresql):
            start = index
            while index < length and (_word_character(sql[index], postgresql)
                                      or (postgresql and sql[index] == "$")):
                index += 1
            yield "word", sql[start:index], start
        else:
            yield "punctuation", char, index
            index += 1


def _word_character(char: str, postgresql: bool) -> bool:
    # PostgreSQL takes every character beyond ASCII as part of a name.
    return char.isalnum() or char == "_" or (postgresql and ord(char) > 127)


def _quoted_end(sql: str, index: int, closer: str, *, backslash: bool = False) -> int:
    """The offset just after the quoted text opening at `index` (the end of `sql` when it is
    never closed). A doubled closer ('it''s') continues the text, as does, with `backslash`,
    one escaped by a backslash (PostgreSQL's E'it\\'s')."""
    index += 1
    while index < len(sql):
        char = sql[index]
        if backslash and char == "\\":
            index += 2
            continue
        if char == closer:
            if closer != "]" and sql.startswith(closer * 2, index):
                index += 2
                continue
            return index + 1
        index += 1
    return len(sql)


def _comment_end(sql: str, index: int, *, nested: bool) -> int:
    """The offset just after the /* comment */ opening at `index`; PostgreSQL nests them."""
    depth, index = 0, index
    while index < len(sql):
        if sql.startswith("/*", index):
            depth += 1
            index += 2
        elif sql.startswith("*/", index):
            depth -= 1
            index += 2
            if depth == 0 or not nested:
                return index
        else:
            index += 1
    return len(sql)


def _character_words(char: str) -> str:
    if char == "\x00":
        return "a NUL character, which no database takes in text"
    code = ord(char)
    if 0xDC80 <= code <= 0xDCFF:  # surrogateescape's spelling of the byte code - 0xDC00
        return f"the byte 0x{code - 0xDC00:02x}, which is not UTF-8 text"
    return f"the character U+{code:04X}, which is not valid text"


def _shown(text: str) -> str:
    return _NOT_TEXT.sub("\ufffd", text)
