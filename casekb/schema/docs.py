"""Writes the parts of the documentation made from the schema declaration.

    python -m casekb.schema.docs           # after editing casekb/schema/declaration.py
    python -m casekb.schema.docs --check   # exit 1 when a generated part is out of date

Generated, each between a pair of marker comments: the tables and their columns, and the
views and theirs (from the query language's registry, as the views are), in
schema/README.md; the record kinds and their fields, and the vocabularies, in
schema/curation.md. The text around them is written by hand. schema/schema.sql is written
too (as `casekb schema` prints it). tests/test_schema_docs.py fails while any is stale.
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

from casekb import vocab
from casekb.schema import declaration
from casekb.schema.parts import (
    BOOL,
    DATE,
    EVIDENCE_DOC,
    ID_DOC,
    INT,
    NOTE_DOC,
    QUANTITY,
    REF,
    VOCAB,
    Column,
    Field,
    reference_doc,
)

COMMAND = "python -m casekb.schema.docs"
WIDTH = 95  # the documents' line length


# -- schema/README.md: the tables -------------------------------------------------------------

def tables_text() -> str:
    """A section per table: its doc, then a line per column (or group of columns)."""
    sections = []
    for table in declaration.TABLES:
        lines = [f"### {table.name}", _wrap(table.doc)]
        for names, doc in _column_groups(table.columns):
            described = ", ".join(f"`{name}`" for name in names) + ": " + doc
            lines.append(_wrap("- " + described, indent="  "))
        sections.append("\n".join(lines))
    return "\n\n".join(sections)


def _column_groups(columns: tuple[Column, ...]) -> list[tuple[list[str], str]]:
    """Columns with their doc; a column without one goes with the column before it."""
    groups: list[tuple[list[str], str]] = []
    for column in columns:
        if column.doc is None:
            groups[-1][0].append(column.name)
        else:
            doc = column.doc
            if column.vocabulary is not None:
                doc = doc.replace("{values}", _values(column.vocabulary, last="or"))
            groups.append(([column.name], doc))
    return groups


# -- schema/curation.md: the record kinds and the vocabularies ----------------------------------

def kinds_text() -> str:
    """The table of record kinds: each kind's fields, required ones starred."""
    rows = ["| kind | fields |", "|---|---|"]
    for kind in declaration.KIND_ORDER:
        group = declaration.declared_kind(kind).exactly_one_of
        described: list[str] = []
        for field in declaration.fields_of_kind(kind):
            if field.name not in group:
                described.append(_field_text(field, field.required))
            elif field.name == group[0]:
                owners = " / ".join(_field_text(field)
                                    for field in declaration.fields_of_kind(kind)
                                    if field.name in group)
                described.append(f"exactly one of {owners}*")
        rows.append(f"| `{kind}` | {', '.join(described)} |")
    return "\n".join(rows)


_TYPE_WORDS = {DATE: "date", QUANTITY: "quantity", INT: "integer", BOOL: "true or false"}


def _field_text(field: Field, required: bool = False) -> str:
    """`name` (starred when required), then what it takes and means, in parentheses, where
    there is more to say."""
    said = []
    if field.type == REF:
        # Its doc, or else what it refers to where its name does not say.
        if field.doc != reference_doc(field.ref):
            said.append(field.doc)
        elif field.name != field.ref:
            said.append(f"{field.ref} id")
    else:
        if field.type == VOCAB:
            said.append(f"see {_vocabulary_name(field.vocabulary)}")
        elif field.type in _TYPE_WORDS:
            said.append(_TYPE_WORDS[field.type])
        if field.doc not in (ID_DOC, NOTE_DOC, EVIDENCE_DOC):  # explained above the table
            said.append(field.doc)
    said = [part for part in said if part]
    name = f"`{field.name}`" + ("*" if required else "")
    return name + (f" ({': '.join(said)})" if said else "")


def vocabularies_text() -> str:
    """Each vocabulary a curated field takes, with its values, in the order kinds use them."""
    lines = []
    for kind in declaration.KIND_ORDER:
        for field in declaration.fields_of_kind(kind):
            if field.vocabulary is not None:
                line = (f"- {_vocabulary_name(field.vocabulary)}: "
                        f"{_values(field.vocabulary, last=',')}")
                if line not in lines:
                    lines.append(line)
    return "\n".join(lines)


def _vocabulary_name(values: tuple[str, ...]) -> str:
    """The name casekb/vocab.py gives a vocabulary ("ROLES")."""
    for name, declared in vars(vocab).items():
        if name.isupper() and declared is values:
            return name
    raise KeyError(f"a vocabulary that is not in casekb/vocab.py: {values}")


def _values(values: tuple[str, ...], *, last: str) -> str:
    """The values, each with its meaning where vocab.MEANINGS gives one: "a, b or c" (last
    "or") or "a, b, c" (last ",")."""
    meanings = vocab.MEANINGS.get(_vocabulary_name(values), {})
    shown = [f"{value} ({meanings[value]})" if value in meanings else value
             for value in values]
    if last == "," or len(shown) < 2:
        return ", ".join(shown)
    return ", ".join(shown[:-1]) + f" {last} " + shown[-1]


def _wrap(text: str, indent: str = "") -> str:
    return textwrap.fill(text, WIDTH, subsequent_indent=indent, break_long_words=False,
                         break_on_hyphens=False)


# -- the files ---------------------------------------------------------------------------------

# Each generated part: the file, the name in its markers, and what writes it.
def views_text() -> str:
    """The views and their columns (from the query language's registry)."""
    from casekb.build.views import docs_text

    return docs_text()


PARTS = (
    ("README.md", "tables", tables_text),
    ("README.md", "views", views_text),
    ("curation.md", "record kinds", kinds_text),
    ("curation.md", "vocabularies", vocabularies_text),
)


def schema_dir() -> Path:
    from casekb.resources import data_dir

    return data_dir("schema")


def markers(name: str) -> tuple[str, str]:
    return (f"<!-- BEGIN generated {name}: written by `{COMMAND}`, do not edit -->",
            f"<!-- END generated {name} -->")


def updated(document: str, name: str, content: str) -> str:
    """`document` with the text between the markers of part `name` replaced by `content`."""
    begin, end = markers(name)
    pattern = re.compile(re.escape(begin) + r"\n.*?" + re.escape(end), re.DOTALL)
    if len(pattern.findall(document)) != 1:
        raise ValueError(f"the document needs the markers of '{name}' once each: {begin} "
                         f"... {end}")
    return pattern.sub(lambda _: f"{begin}\n{content}\n{end}", document)


def generated_files() -> dict[Path, str]:
    """Every generated file, as it should read."""
    from casekb.build.ddl import ddl

    folder = schema_dir()
    texts: dict[Path, str] = {}
    for file, name, write in PARTS:
        path = folder / file
        document = texts.get(path) or path.read_text(encoding="utf-8")
        texts[path] = updated(document, name, write())
    texts[folder / "schema.sql"] = ddl()
    return texts


def stale_files() -> list[Path]:
    """The generated files that do not read as they should."""
    return [path for path, text in generated_files().items()
            if not path.exists() or path.read_text(encoding="utf-8") != text]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        if "--check" in argv:
            stale = stale_files()
            if stale:
                print(f"out of date: {', '.join(str(path) for path in stale)}; run {COMMAND}",
                      file=sys.stderr)
                return 1
            print("the schema's generated files match the declaration")
            return 0
        for path, text in generated_files().items():
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8", newline="\n")
                print(f"wrote {path}")
    except (OSError, ValueError) as error:
        print(f"{COMMAND}: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
