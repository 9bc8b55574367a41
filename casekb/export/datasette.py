"""Datasette, as its users know it: the metadata Datasette reads, made from the language's
registry (casekb/lang/registry.py) and the views (casekb/build/views.py).

`casekb export --datasette DIR` writes the store's SQLite copy and this metadata side by
side (casekb/export/copy.py), so that `datasette DIR` serves the store with:
- a title and a description of the data and where it comes from;
- each view's description, a description of every column, its default sort (the first key
  of the entity's order) and its facets (vocabularies, booleans, people; a date facet on a
  date's first day where the view has one, `<field>_from`); the tables behind the views
  are hidden (Datasette's "hidden tables" still lists them);
- canned queries: `sources_of_a_fact`, the articles and quotes behind any row of a view
  (with the article's URL, which Datasette shows as a link), and the questions of the
  bundled reports (reports/*.md) where they can be written as SQL on the views.

Datasette's metadata format: https://docs.datasette.io/en/stable/metadata.html (title,
description, databases -> tables -> description, columns, sort/sort_desc, facets, hidden;
databases -> queries for canned queries, whose parameters are written `:name`).
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from casekb.lang.registry import Entity
    from casekb.report.parse import QueryBlock, Report

DATABASE_FILE = "casekb.sqlite"  # Datasette names the database after the file: "casekb"
METADATA_FILE = "metadata.json"
SOURCES_QUERY = "sources_of_a_fact"
MAX_FACETS = 5

def metadata(store: Path | str, *, database: str = "casekb") -> dict[str, Any]:
    """Datasette's metadata for the SQLite store `store`, served as `database`."""
    from casekb.build.views import view_name, viewed_entities, views

    facts = _store_facts(Path(store))
    tables: dict[str, Any] = {name: {"hidden": True} for name in facts["tables"]}
    entities = {view_name(entity): entity for entity in viewed_entities()}
    for view in views():
        entity = entities.get(view.name)
        # The words of schema/README.md, made from the same registry (casekb/build/views.py).
        described = {name: doc[0].upper() + doc[1:] for names, doc in view.column_docs
                     for name in names}
        table: dict[str, Any] = {
            "description": _view_description(view.description, entity),
            "columns": {column: described[column] for column in view.columns
                        if column in described},
        }
        if entity is not None:
            table.update(_sort(entity, view.columns))
            facets = _facets(entity, view.columns)
            if facets:
                table["facets"] = facets
        tables[view.name] = table
    cases = ", ".join(facts["cases"]) or "no case yet"
    description = (f"Criminal cases as the news reported them ({cases}): every fact is "
                   f"curated from an article (v_sources) and tied to a verbatim quote of it "
                   f"(v_evidence). Each view is one kind of fact as casekb's query language "
                   f"lists it; the tables behind them are hidden. Built by casekb "
                   f"{facts['meta'].get('casekb_version', '?')} on "
                   f"{facts['meta'].get('built_at', '?')}.")
    return {
        "title": f"casekb: {cases}",
        "description": description,
        "source": "news articles, quoted verbatim (v_sources, v_evidence)",
        "databases": {database: {"description": description, "tables": tables,
                                 "queries": canned_queries(facts["cases"])}},
    }


# -- Views and columns ----------------------------------------------------------------------

def _view_description(text: str, entity: Entity | None) -> str:
    if entity is None or not entity.evidence_table:
        return text
    return (f"{text} The articles and quotes behind a row: the canned query {SOURCES_QUERY} "
            f"with fact_table = {entity.evidence_table} and fact_key = the row's id.")


def _sort(entity: Entity, columns: tuple[str, ...]) -> dict[str, str]:
    """The first key of the entity's default order, as Datasette's sort or sort_desc."""
    for name, descending in entity.default_order:
        if name in columns:
            return {"sort_desc" if descending else "sort": name}
    return {}


def _facets(entity: Entity, columns: tuple[str, ...]) -> list[Any]:
    """Facets that help: a date facet on the first day of the entity's first date, then
    vocabularies, names of people or cases, and booleans."""
    from casekb.lang.registry import FieldType

    # One date facet: the entity's first date (a charge's filing, not its closing).
    facets: list[Any] = [{"date": f"{field.name}_from"} for field in entity.fields
                         if field.type is FieldType.DATE and f"{field.name}_from" in columns][:1]
    for kind in (FieldType.ENUM, FieldType.NAME, FieldType.BOOLEAN):
        facets += [field.name for field in entity.fields
                   if field.type is kind and not field.several and field.name in columns
                   and field.name not in _OWN_NAMES]
    return facets[:MAX_FACETS]


# A row's own name: a facet on it would count each row once.
_OWN_NAMES = ("name", "title")


# -- Canned queries -------------------------------------------------------------------------

def canned_queries(case_titles: list[str] | None = None) -> dict[str, dict[str, Any]]:
    """`sources_of_a_fact`, then the bundled reports' questions that SQL on the views can
    ask (a casekb block whose condition compares fields with `=` or `!=`; every SQL block)."""
    from casekb.report import load_report
    from casekb.resources import bundled_reports

    queries = {SOURCES_QUERY: {
        "title": "The articles and quotes behind a fact",
        "description": "Give the fact's table (charges, pleas, ...) and its key (the id "
                       "column of its row in that view).",
        "sql": "SELECT e.source, e.outlet, e.published, e.headline, s.url, e.file, e.quote,\n"
               "       e.note\n"
               "FROM v_evidence AS e LEFT JOIN v_sources AS s ON s.id = e.source\n"
               "WHERE e.fact_table = :fact_table AND e.fact_key = :fact_key",
    }}
    examples = f" (in this store: {', '.join(case_titles)})" if case_titles else ""
    for path in sorted(bundled_reports().glob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        report = load_report(path)
        for number, block in enumerate(report.queries, 1):
            sql = report_block_sql(report, block)
            if sql is None:
                continue
            heading = re.sub(r"\$(\w+)", r"[\1]", block.heading or f"query {number}")
            queries[f"{path.stem}-{number}"] = {
                "title": heading if heading.startswith(report.title)
                else f"{report.title}: {heading}",
                "description": _block_description(report, block, examples),
                "sql": sql,
            }
    return queries


def _block_description(report: Report, block: QueryBlock, examples: str) -> str:
    from casekb.report.params import used_in

    text = report.description
    names = used_in(block)
    if names:
        text += " Parameters: " + "; ".join(
            f"{name}: {report.parameters[name].description or name}"
            if name in report.parameters else name for name in names) + "."
        text += (" Names match the store's spellings and their other spellings, in any "
                 f"letter case{examples}.")
    if block.language == "casekb":
        text += f" In casekb: {block.text.strip()}"
    return text


def report_block_sql(report: Report, block: QueryBlock) -> str | None:
    """The SQL of a report's query block for Datasette (parameters as `:name`), or None when
    the block cannot be written as SQL on the views."""
    from casekb.report.params import parameter_spans

    spans = list(parameter_spans(block))
    if block.language == "sql":
        text, last = [], 0
        for name, start, end in spans:
            text += [block.text[last:start], f":{name}"]
            last = end
        return ("".join(text) + block.text[last:]).strip()
    return _language_sql(report, block, spans)


# A stand-in for a parameter inside a query of the language: letters only, so that folding
# it (casefold, lower) leaves it as it is.
_STAND_IN = "casekbparameter{}casekb"


def _language_sql(report: Report, block: QueryBlock, spans) -> str | None:
    from casekb.build.views import field_columns, view_name, viewed_entities
    from casekb.errors import CaseKBError
    from casekb.lang import ast
    from casekb.lang.parser import parse
    from casekb.lang.resolve import resolve

    names = {}
    pieces, last = [], 0
    for name, start, end in spans:
        parameter = report.parameters.get(name)
        if parameter is not None and parameter.type != "text":
            return None  # a date or number would have to be a literal of its own kind
        stand_in = _STAND_IN.format(len(names))
        names[stand_in] = name
        pieces += [block.text[last:start], f'"{stand_in}"']
        last = end
    text = "".join(pieces) + block.text[last:]
    try:
        statement = parse(text)
        if not isinstance(statement, ast.Query):
            return None
        query = resolve(statement, text)
    except CaseKBError:
        return None
    if query.entity not in viewed_entities() or query.count or query.group_by \
            or query.as_of is not None or query.order or query.limit is not None:
        return None
    condition = _condition_sql(query.condition, names)
    if condition is False:
        return None
    columns = [column for field in query.columns for column in field_columns(field)]
    if query.with_sources and query.entity.evidence_table:
        columns.append("id")  # to ask sources_of_a_fact
    sql = "SELECT " + ", ".join(_quoted(c) for c in columns) + \
        f"\nFROM {view_name(query.entity)}"
    return sql + (f"\nWHERE {condition}" if condition else "")


def _condition_sql(condition, names: dict[str, str]) -> str | bool:
    """SQL for a condition of `=`/`!=` tests joined by `and`, text compared in any letter
    case and names through their other spellings; False when it has anything else."""
    from casekb.lang.registry import FieldType
    from casekb.lang.resolve import AllOf, Test

    if condition is None:
        return ""
    tests = condition.items if isinstance(condition, AllOf) else (condition,)
    parts = []
    for test in tests:
        if not isinstance(test, Test) or test.op not in ("=", "!=") or len(test.values) != 1 \
                or test.field.several or not isinstance(test.values[0].value, str) \
                or test.field.type not in (FieldType.TEXT, FieldType.NAME, FieldType.ENUM):
            return False
        value = test.values[0].value
        given = f":{names[value]}" if value in names else _literal(value)
        column = _quoted(test.field.name)
        if test.field.type is FieldType.NAME:
            kind = getattr(test.field.access, "kind", None)
            matched = _NAME_MATCH.get(kind)
            if matched is None:
                return False
            test_sql = f"lower({column}) IN ({matched.format(value=given)})"
        else:
            test_sql = f"lower({column}) = lower({given})"
        parts.append(test_sql if test.op == "=" else f"NOT ({test_sql})")
    return " AND ".join(parts)


# The main spelling (lower case) of a person or a case named by any of its spellings, as the
# language matches names (through the alias tables documented in schema/README.md).
_NAME_MATCH = {
    "person": "SELECT lower(name) FROM people WHERE lower(name) = lower({value}) OR id IN "
              "(SELECT person_id FROM person_aliases WHERE lower(alias) = lower({value}))",
    "case": "SELECT lower(title) FROM cases WHERE lower(title) = lower({value}) OR id IN "
            "(SELECT case_id FROM case_aliases WHERE lower(alias) = lower({value}))",
}


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(value: str) -> str:
    """A constant of a bundled report as an SQL string literal."""
    return "'" + value.replace("'", "''") + "'"


# -- The store ------------------------------------------------------------------------------

def _store_facts(store: Path) -> dict[str, Any]:
    """The store's tables, case titles and meta facts, read through a read-only connection."""
    from casekb.store.sqlite import sqlite_connect

    connection = sqlite_connect(store, readonly=True)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "ORDER BY name")]
        cases = [title for (title,) in connection.execute("SELECT title FROM cases ORDER BY title")]
        meta = dict(connection.execute("SELECT key, value FROM meta").fetchall())
    except sqlite3.Error as error:
        from casekb.errors import StoreError

        raise StoreError(f"cannot read the store {store}: {error}") from None
    finally:
        connection.close()
    return {"tables": tables, "cases": cases, "meta": meta}
