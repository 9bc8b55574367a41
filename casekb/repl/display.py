"""Query results sized for the terminal.

A table wider than the terminal is made to fit: the widest columns are narrowed until the
table fits, one-line cells that no longer fit are cut with "…", and text that casekb.render
already wraps (long text, a row's sources and quotes) is wrapped to the narrower column
instead, so no quote is lost. The
caller prints the returned note, which says what was cut and how to see it whole.
Narrower tables are left to casekb.render as they are.
"""

from __future__ import annotations

import textwrap
import unicodedata
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from casekb.execute import QueryResult

MIN_COLUMN = 6  # columns keep this width (or their header's, up to HEADER_KEEP) if they can
HEADER_KEEP = 12
TINY_COLUMN = 3  # ... and this at the very least
_RIGHT_ALIGNED = ("integer", "count")


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal (wide East Asian characters take two)."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else
               0 if unicodedata.combining(ch) else 1 for ch in text)


def table_cells(result: "QueryResult") -> tuple[list[str], list[list[str]], list[str]]:
    """The headers, the cells as text and the alignments of a result's table, as
    casekb.render writes them (long text wrapped, tabs as spaces)."""
    from casekb.render import TABLE_TEXT_WIDTH, cell_text, evidence_text

    headers = result.column_names + (["sources"] if result.evidence is not None else [])
    aligns = ["r" if column.type in _RIGHT_ALIGNED else "l" for column in result.columns]
    aligns += ["l"] if result.evidence is not None else []
    rows = []
    for index, row in enumerate(result.rows):
        cells = [cell_text(value, column).replace("\t", " ")
                 for value, column in zip(row, result.columns)]
        cells = [_wrap(cell, TABLE_TEXT_WIDTH) if len(cell) > TABLE_TEXT_WIDTH else cell
                 for cell in cells]
        if result.evidence is not None:
            cells.append(evidence_text(result.evidence[index]))
        rows.append(cells)
    return headers, rows, aligns


def write_fitted_table(result: "QueryResult", out: TextIO, width: int, *,
                       header: bool = True) -> str | None:
    """Write `result` as a table at most `width` columns wide when it can be; return a note
    saying what was cut, or None when nothing was."""
    from casekb.render import write_table

    headers, rows, aligns = table_cells(result)
    widths = column_widths(headers, rows, width)
    if widths is None:
        write_table(headers, rows, aligns, out, header=header)
        return None
    sources_column = len(result.columns) if result.evidence is not None else None
    cut: set[int] = set()
    fitted_rows = []
    for row_index, row in enumerate(rows):
        fitted = []
        for index, cell in enumerate(row):
            if index == sources_column:
                fitted.append(evidence_block(result.evidence[row_index], widths[index]))
                continue
            text, was_cut = fit_cell(cell, widths[index])
            fitted.append(text)
            if was_cut:
                cut.add(index)
        fitted_rows.append(fitted)
    fitted_headers = [fit_cell(h, w)[0] for h, w in zip(headers, widths)]
    write_table(fitted_headers, fitted_rows, aligns, out, header=header)
    if not cut:
        return None
    names = ", ".join(headers[index] for index in sorted(cut))
    return (f"note: cut to fit the terminal ({width} columns): {names}; "
            f"`.format csv`, `.output FILE` or a wider window show it in full")


def column_widths(headers: list[str], rows: list[list[str]], width: int) -> list[int] | None:
    """Widths that make the table fit in `width` columns, or None when it already fits."""
    natural = [display_width(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index],
                                 *(display_width(line) for line in cell.split("\n")))
    frame = 3 * len(headers) + 1  # "| " + " | " between + " |"
    if sum(natural) + frame <= width:
        return None
    room = width - frame
    # The narrowest each column may become: its header (up to HEADER_KEEP), else MIN_COLUMN,
    # else (many columns on a narrow screen) TINY_COLUMN; never wider than it needs.
    for least in (lambda h: max(MIN_COLUMN, min(display_width(h), HEADER_KEEP)),
                  lambda h: MIN_COLUMN, lambda h: TINY_COLUMN):
        floor = [min(n, least(h)) for n, h in zip(natural, headers)]
        if sum(floor) <= room:
            break
    else:
        return floor  # the best that can be done: the narrowest readable table
    # Keep the narrowest columns whole (dates, statuses, counts), as many as leave the others
    # their floor; the others share the rest, the widest narrowed first.
    whole: set[int] = set()
    for index in sorted(range(len(natural)), key=lambda i: natural[i]):
        trial = whole | {index}
        if sum(natural[i] if i in trial else floor[i] for i in range(len(natural))) > room:
            break
        whole = trial
    shared = [i for i in range(len(natural)) if i not in whole]
    left = room - sum(natural[i] for i in whole)
    low, high = 1, max(natural)
    while low < high:  # the largest cap that fits
        cap = (low + high + 1) // 2
        if sum(max(floor[i], min(natural[i], cap)) for i in shared) <= left:
            low = cap
        else:
            high = cap - 1
    return [natural[i] if i in whole else max(floor[i], min(natural[i], low))
            for i in range(len(natural))]


def fit_cell(text: str, width: int) -> tuple[str, bool]:
    """`text` within `width` columns: one line is cut with "…", text that was already wrapped
    is wrapped again, narrower. Returns the text and whether anything was cut."""
    lines = text.split("\n")
    if all(display_width(line) <= width for line in lines):
        return text, False
    if len(lines) == 1:
        return _clip(text, width), True
    return _wrap(" ".join(line.strip() for line in lines), width), False


def evidence_block(evidence: list, width: int) -> str:
    """A row's sources as casekb.render.evidence_text writes them, `width` columns wide."""
    blocks = []
    for item in evidence:
        where = " · ".join(part for part in (item.source, item.outlet,
                                             str(item.published) if item.published else None)
                           if part)
        quote = textwrap.wrap(f"“{item.quote}”", max(8, width), initial_indent="  ",
                              subsequent_indent="   ")
        blocks.append("\n".join([_wrap(where, width)] + quote))
    return "\n".join(blocks)


def _wrap(text: str, width: int) -> str:
    return "\n".join(textwrap.wrap(text, max(1, width), break_on_hyphens=False)) or text


def _clip(text: str, width: int) -> str:
    if display_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        size = display_width(char)
        if used + size > width - 1:
            break
        out.append(char)
        used += size
    return "".join(out) + "…"
