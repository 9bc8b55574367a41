"""Results as text: table, csv, tsv, json, jsonl and markdown.

Values arrive typed (casekb/execute.py). Each kind of value has one form in every text
format (README "Output"): dates at their precision ("2024-01"), amounts as the source wrote
them ("18 months"), booleans true/false (as the language writes them), several values
joined with ", ", unknown as nothing.
- table and markdown are for people: evidence as a readable block per row;
- csv is for spreadsheets: the same text, with a single quote before text a spreadsheet
  would run as a formula (=, +, -, @, tab or carriage return first; see csv_text);
- tsv is for shell tools (grep, cut, awk): the same text, raw, tab, newline and backslash
  escaped as \\t, \\n and \\\\;
- json (an array of objects) and jsonl (one object a line) keep real types: numbers as
  numbers, dates as ISO text at their precision, amounts as the number and unit written
  ({"value": 6, "unit": "months", "text": "six months", "days": 182.625}, see
  casekb/quantities.py), booleans, lists, null; evidence as a list of {"source", "outlet",
  "published", "quote"}.

Tables use prettytable for modest results and a plain writer of the same look beyond that,
because prettytable takes tens of microseconds a row.
"""

from __future__ import annotations

import csv
import json
import textwrap
import unicodedata
from typing import TYPE_CHECKING, Any, TextIO

from casekb.quantities import Quantity

if TYPE_CHECKING:
    from collections.abc import Callable

    from casekb.execute.results import Evidence, Explanation, QueryResult
    from casekb.lang.describe import Description

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
PRETTYTABLE_MAX_ROWS = 500
QUOTE_WIDTH = 72
TABLE_TEXT_WIDTH = 60  # longer text is wrapped in tables, so that quotes do not run off
LONG_TEXT = 100_000  # longer text is cut into lines of the width, not wrapped at its words
EXAMPLE_WIDTH = 40
RULES_WIDTH = 96  # the text around describe's table
RIGHT_ALIGNED = ("integer", "count")  # column types set flush right in tables


def render(outcome: Any, fmt: str, out: TextIO, *, header: bool = True,
           check: Callable[[], None] | None = None) -> None:
    """Write a QueryResult, Explanation or Description to `out` in format `fmt`. `check`,
    when given, is called before each row of a result is written (it may raise to stop:
    `casekb sql`'s time limit covers writing too)."""
    from casekb.execute.results import Explanation, QueryResult

    if isinstance(outcome, QueryResult):
        write_result(outcome, fmt, out, header=header, check=check)
    elif isinstance(outcome, Explanation):
        write_explanation(outcome, fmt, out)
    else:
        write_description(outcome, fmt, out, header=header)


# -- Values -------------------------------------------------------------------------------

def cell_text(value: Any) -> str:
    """A value as text for a table or CSV cell ("" for unknown), the same in every format."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, tuple):
        return ", ".join(cell_text(item) for item in value)
    if isinstance(value, Quantity):
        return value.text
    return str(value)


def marked_text(text: str, words: str | None) -> str:
    """A cell's text with what no source states beside it: "2023-01-19 [inferred]"."""
    return f"{text} [{words}]" if words else text


def row_texts(result: QueryResult, index: int) -> list[str]:
    """The cells of row `index` of a result as text, each value with what no source states
    beside it (the same in every text format: tables, CSV, TSV, the shell, reports)."""
    marks = result.marks[index] if result.marks is not None else None
    return [marked_text(cell_text(value), marks.get(column.name) if marks else None)
            for value, column in zip(result.rows[index], result.columns)]


def evidence_text(evidence: list[Evidence]) -> str:
    """A row's evidence as a block for a table cell: where from, then the quote, wrapped; a
    dispute's evidence under the claim each quote backs."""
    blocks, claim = [], None
    for item in evidence:
        if item.claim is not None and item.claim != claim:
            claim = item.claim
            blocks.append(f"{claim}:")
        where = " · ".join(part for part in (item.source, item.outlet,
                                             str(item.published) if item.published else None)
                           if part)
        quote = textwrap.fill(f"“{item.quote}”", QUOTE_WIDTH, initial_indent="  ",
                              subsequent_indent="   ")
        blocks.append(f"{where}\n{quote}")
    return "\n".join(blocks)


def evidence_line(evidence: list[Evidence]) -> str:
    """A row's evidence on lines for CSV: `source (outlet, date): "quote"`, one a line; for a
    dispute, `claim: source (outlet, date): "quote"`."""
    lines = []
    for item in evidence:
        about = ", ".join(part for part in (item.outlet, str(item.published) if item.published
                                            else None) if part)
        claim = f"{item.claim}: " if item.claim is not None else ""
        lines.append(f"{claim}{item.source}{f' ({about})' if about else ''}: \"{item.quote}\"")
    return "\n".join(lines)


# -- Query results ------------------------------------------------------------------------

def write_result(result: QueryResult, fmt: str, out: TextIO, *, header: bool = True,
                 check: Callable[[], None] | None = None) -> None:
    """Write a query's rows (calling `check` before each, when given)."""
    names = result.column_names
    evidence = result.evidence
    indices = range(len(result.rows)) if check is None else _checked(len(result.rows), check)
    if fmt in ("json", "jsonl"):
        objects = (result.row_json(index) for index in indices)
        if fmt == "jsonl":
            out.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in objects)
        else:
            _write_json_array(objects, out)
        return
    # What no source states goes beside the value (row_texts), in every text format: a
    # reader of a table or a spreadsheet sees it where the value is, and the columns stay.
    headers = names + (["sources"] if evidence is not None else [])

    def cells(index: int) -> list[str]:
        texts = row_texts(result, index)
        if fmt == "table":
            texts = [text.replace("\t", " ") for text in texts]
            texts = [wrap_text(text, TABLE_TEXT_WIDTH) if len(text) > TABLE_TEXT_WIDTH else text
                     for text in texts]
        if evidence is not None:
            texts.append(evidence_text(evidence[index]) if fmt == "table"
                         else evidence_line(evidence[index]))
        return texts

    rows = (cells(index) for index in indices)
    if fmt == "csv":
        rows = ([csv_text(value, text) for value, text in zip(result.rows[index], texts)]
                + [csv_text(text) for text in texts[len(result.rows[index]):]]
                for index, texts in ((index, cells(index)) for index in indices))
    if fmt == "table":
        write_table(headers, list(rows), column_aligns(result), out, header=header)
    elif fmt == "markdown":
        write_markdown(headers, rows, out, header=header)
    elif fmt == "csv":
        write_csv(headers, rows, out, header=header)
    elif fmt == "tsv":
        if header:
            out.write("\t".join(_tsv(h) for h in headers) + "\n")
        out.writelines("\t".join(_tsv(cell) for cell in row) + "\n" for row in rows)
    else:
        raise ValueError(f"unknown format {fmt!r}")


def column_aligns(result: QueryResult) -> list[str]:
    """How a table sets each column of `result` ("r" or "l"), its sources column included."""
    aligns = ["r" if column.type in RIGHT_ALIGNED else "l" for column in result.columns]
    return aligns + (["l"] if result.evidence is not None else [])


def _checked(count: int, check: Callable[[], None]):
    for index in range(count):
        check()
        yield index


# Text that a spreadsheet runs as a formula begins with one of these (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: Any, text: str | None = None) -> str:
    """A value as a CSV cell: its text (`text`, else cell_text(value)), with a single quote
    before text that a spreadsheet would run as a formula (`=HYPERLINK(...)`, `-2+3`); a
    number is written as it is. Carriage returns become line breaks: the csv module quotes
    a cell holding a line break, not one holding a lone carriage return."""
    if text is None:
        text = cell_text(value)
    if text.startswith(FORMULA_STARTS) and (
            isinstance(value, bool) or not isinstance(value, (int, float))):
        text = "'" + text
    return text.replace("\r\n", "\n").replace("\r", "\n")


def write_csv(headers: list[str], rows, out: TextIO, *, header: bool = True) -> None:
    """CSV for spreadsheets: `rows` already made of csv_text cells; the header is guarded
    the same way (an SQL alias may be anything)."""
    writer = csv.writer(out, lineterminator="\n")
    if header:
        writer.writerow([csv_text(name) for name in headers])
    writer.writerows(rows)


def _write_json_array(objects, out: TextIO) -> None:
    # Written object by object, so a large result never sits in memory twice.
    first = True
    out.write("[")
    for item in objects:
        out.write("\n  " if first else ",\n  ")
        out.write(json.dumps(item, ensure_ascii=False))
        first = False
    out.write("\n]\n" if not first else "]\n")


def _tsv(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def escape_markdown(text: str) -> str:
    """Text that shows as written wherever Markdown is rendered (`f**king`, `<b>`, `a|b`)."""
    return "".join("\\" + char if char in "\\`*_[]<>|" else char for char in text)


def markdown_cell(text: str) -> str:
    """A table cell's text in Markdown: escaped, its lines joined by <br>."""
    return "<br>".join(escape_markdown(line) for line in text.splitlines())


def write_markdown(headers: list[str], rows, out: TextIO, *, header: bool = True) -> None:
    """A GitHub-flavoured Markdown table (a table needs its header row, so it is always given
    unless `header` is false, in which case only the body rows are written)."""
    if header:
        out.write("| " + " | ".join(markdown_cell(h) for h in headers) + " |\n")
        out.write("|" + "|".join("---" for _ in headers) + "|\n")
    out.writelines("| " + " | ".join(markdown_cell(cell) for cell in row) + " |\n" for row in rows)


def write_table(headers: list[str], rows: list[list[str]], aligns: list[str], out: TextIO, *,
                header: bool = True) -> None:
    """A boxed text table; prettytable for modest sizes, the same look written directly
    beyond PRETTYTABLE_MAX_ROWS rows."""
    if len(rows) <= PRETTYTABLE_MAX_ROWS:
        from prettytable import PrettyTable

        table = PrettyTable(headers)
        for name, align in zip(headers, aligns):
            table.align[name] = align
        table.add_rows(rows)
        out.write(table.get_string(header=header) + "\n")
        return
    out.write(plain_table(headers, rows, aligns, header=header) + "\n")


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal (wide East Asian characters take two)."""
    if text.isascii():  # every ASCII character is one column wide: skip the per-character look-up
        return len(text)
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else
               0 if unicodedata.combining(ch) else 1 for ch in text)


def pad(text: str, width: int, align: str) -> str:
    space = " " * (width - display_width(text))
    return space + text if align == "r" else text + space


def plain_table(headers: list[str], rows: list[list[str]], aligns: list[str], *,
                header: bool = True) -> str:
    """The same table prettytable draws (borders, padding, alignment), written directly."""
    split = [[cell.split("\n") for cell in row] for row in rows]
    widths = [display_width(h) if header else 0 for h in headers]
    for row in split:
        for index, lines in enumerate(row):
            widths[index] = max(widths[index], *(display_width(line) for line in lines))
    rule = "+" + "+".join("-" * (w + 2) for w in widths) + "+"
    lines = [rule]
    if header:
        lines.append("| " + " | ".join(pad(h, w, a) for h, w, a in zip(headers, widths, aligns))
                     + " |")
        lines.append(rule)
    for row in split:
        height = max((len(cell) for cell in row), default=1)
        for line in range(height):
            parts = [pad(cell[line] if line < len(cell) else "", w, a)
                     for cell, w, a in zip(row, widths, aligns)]
            lines.append("| " + " | ".join(parts) + " |")
    if rows or header:
        lines.append(rule)
    return "\n".join(lines)


# -- explain and describe -----------------------------------------------------------------

def write_explanation(explanation: Explanation, fmt: str, out: TextIO) -> None:
    """The SQL of `explain`: as text, or as {"sql", "parameters", "dialect", "notes"} in JSON
    formats."""
    if fmt in ("json", "jsonl"):
        data = {"sql": explanation.sql,
                "parameters": {key: _json_parameter(value)
                               for key, value in explanation.parameters.items()},
                "dialect": explanation.dialect, "notes": list(explanation.notes)}
        out.write(json.dumps(data, ensure_ascii=False, indent=None if fmt == "jsonl" else 2) + "\n")
        return
    out.write(explanation.text + "\n")


def _json_parameter(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return [_json_parameter(item) for item in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def write_description(description: Description, fmt: str, out: TextIO, *,
                      header: bool = True, fit: Callable[..., None] | None = None,
                      width: int | None = None) -> None:
    """`describe`: the entity's fields (or the list of entities).

    `fit(headers, rows, aligns, out, header=...)`, when given, writes the table instead of
    write_table, from cells that are not wrapped yet, and the text around the table is
    wrapped at `width` (the shell fits both to the screen)."""
    from casekb.lang.registry import ENTITIES

    data = description.to_json()
    if fmt == "json":
        out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
        return
    if fmt == "jsonl":
        items = data["entities"] if description.entity is None else data["fields"]
        out.writelines(json.dumps(item, ensure_ascii=False) + "\n" for item in items)
        return
    if description.entity is None:
        headers = ["entity", "description"]
        rows = [[e.name, e.description] for e in ENTITIES]
        if fmt == "table":
            out.write("Entities (singular names work too; `describe ENTITY` for its fields):\n")
    else:
        headers = ["field", "type", "meaning", "examples"]
        wrap = fmt == "table" and fit is None
        rows = [[f.name, wrap_text(f.type_words, 30) if wrap else f.type_words,
                 wrap_text(f.meaning, 50) if wrap else f.meaning,
                 "; ".join(_clip(e) for e in f.examples) if fmt != "table"
                 else "\n".join(_clip(e) for e in f.examples)]
                for f in description.fields]
        if fmt == "table":
            out.write(_entity_heading(description, width) + "\n")
    if fmt == "table":
        (fit or write_table)(headers, rows, ["l"] * len(headers), out, header=header)
        if description.entity is not None:
            out.write(_rules_text(description, width) + "\n")
    elif fmt == "markdown":
        write_markdown(headers, rows, out, header=header)
    elif fmt == "csv":
        write_csv(headers, ([csv_text(cell) for cell in row] for row in rows), out,
                  header=header)
    else:
        if header:
            out.write("\t".join(headers) + "\n")
        out.writelines("\t".join(_tsv(cell) for cell in row) + "\n" for row in rows)


def wrap_text(text: str, width: int) -> str:
    """Text wrapped to `width` columns at its words (a very long value cut into lines)."""
    if len(text) > LONG_TEXT:
        # textwrap breaks a long word by copying what is left of it for every line, which
        # takes minutes for a value of megabytes (raw SQL can make one): cut it into lines.
        return "\n".join(line[start:start + width] for line in text.splitlines()
                         for start in range(0, max(len(line), 1), width))
    return "\n".join(textwrap.wrap(text, width, break_on_hyphens=False)) or text


def _clip(text: str) -> str:
    return text if len(text) <= EXAMPLE_WIDTH else text[:EXAMPLE_WIDTH - 1] + "…"


def _entity_heading(description: Description, width: int | None) -> str:
    entity = description.entity
    lines = [f"{entity.name} ({entity.singular}): {entity.description}",
             "shown by default: " + ", ".join(entity.default_show),
             "default order: " + ", ".join(f"{n} desc" if d else n
                                           for n, d in entity.default_order)]
    lines.append(f"as of DATE: {entity.as_of_meaning}" if entity.as_of_meaning
                 else "as of DATE: does not apply")
    lines.append("with sources: " + (entity.sources_meaning if entity.has_evidence
                                     else "does not apply (these are the sources)"))
    if width is None:
        return "\n".join(lines)
    return "\n".join(textwrap.fill(line, width, subsequent_indent="  ") for line in lines)


def _rules_text(description: Description, width: int | None) -> str:
    from casekb.lang.registry import (
        EMPTY_RULE,
        MARKS_RULE,
        SEVERAL_RULE,
        TYPE_RULES,
        FieldType,
    )

    used = []
    for field in description.fields:
        kind = FieldType(field.type)
        if kind not in used:
            used.append(kind)
    width = width or RULES_WIDTH
    lines = ["How values compare:"]
    for kind in used:
        lines.append(textwrap.fill(f"{kind.value}: {TYPE_RULES[kind]}", width,
                                   initial_indent="  ", subsequent_indent="    "))
    if any(field.several for field in description.fields):
        lines.append(textwrap.fill(f"(several): {SEVERAL_RULE}", width, initial_indent="  ",
                                   subsequent_indent="    "))
    lines.append(textwrap.fill(f"(empty): {EMPTY_RULE}", width, initial_indent="  ",
                               subsequent_indent="    "))
    if any(field.name == "inferred" for field in description.fields):
        lines.append(textwrap.fill(f"[marks]: {MARKS_RULE}", width, initial_indent="  ",
                                   subsequent_indent="    "))
    return "\n".join(lines)
