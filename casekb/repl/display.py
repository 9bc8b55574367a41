"""Tables sized for the terminal.

On the screen the shell fits every table to the terminal's width, losing nothing:
- a table that fits is written as it is (long text wrapped at casekb.render's
  TABLE_TEXT_WIDTH, as `casekb query` writes it);
- a wider one has its widest columns narrowed, each no narrower than its header (nor a
  row's sources than SOURCES_MIN, nor long text than PROSE_MIN), and their text wrapped
  at word boundaries; columns that are narrow already stay whole;
- when even that cannot fit, each row is written as a record, one `field | value` line per
  column, as psql's expanded display does; the caller prints the note this returns.

`write_fitted_table` takes a query's result, `write_fitted` any headers and rows (the
shell's `.describe` uses it too).
"""

from __future__ import annotations

import textwrap
from typing import TYPE_CHECKING, TextIO

from casekb.render import TABLE_TEXT_WIDTH, display_width

if TYPE_CHECKING:
    from casekb.execute.results import Evidence, QueryResult

MIN_COLUMN = 8  # a column may be narrowed to this (or to its header, when that is wider)
PROSE_MIN = 20  # ... a column of long text to this
PROSE = 2 * PROSE_MIN  # a column whose text runs this wide is long text
SOURCES_MIN = 30  # ... and a row's sources to this: a quote needs room to be read
RECORD_LABEL_MAX = 16  # labels of records are cut beyond this
_RIGHT_ALIGNED = ("integer", "count")


def write_fitted_table(result: "QueryResult", out: TextIO, width: int, *,
                       header: bool = True) -> str | None:
    """Write `result` as a table at most `width` columns wide; return a note when its rows
    had to be written as records instead, else None."""
    from casekb.render import cell_text

    headers = result.column_names
    aligns = ["r" if column.type in _RIGHT_ALIGNED else "l" for column in result.columns]
    rows = [[cell_text(value, column).replace("\t", " ")
             for value, column in zip(row, result.columns)] for row in result.rows]
    if result.evidence is not None:
        headers = headers + ["sources"]
        aligns.append("l")
        rows = [row + [_Sources(evidence)] for row, evidence in zip(rows, result.evidence)]
    return write_fitted(headers, rows, aligns, out, width, header=header)


def write_fitted(headers: list[str], rows: list[list], aligns: list[str], out: TextIO,
                 width: int, *, header: bool = True) -> str | None:
    """Write a table of text cells (a cell may hold line breaks, kept; a row's sources are
    given as `_Sources`) at most `width` columns wide, or as records when it cannot be.
    Returns the note to show for records, else None."""
    from casekb.render import write_table

    natural = natural_widths(headers, rows)
    widths = column_widths(headers, natural, width, sources=_sources_columns(rows))
    if widths is None:
        write_records(headers, rows, out, width)
        return f"note: shown as records: too wide for a table in {width} columns"
    cells = [[fill(cell, w) for cell, w in zip(row, widths)] for row in rows]
    write_table(headers, cells, aligns, out, header=header)
    return None


def natural_widths(headers: list[str], rows: list[list]) -> list[int]:
    """How wide each column would be with long text wrapped as `casekb query` wraps it."""
    natural = [display_width(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index], _natural(cell))
    return natural


def column_widths(headers: list[str], natural: list[int], width: int, *,
                  sources: frozenset[int] = frozenset()) -> list[int] | None:
    """Widths that make the table fit in `width` columns: `natural` itself when it fits,
    None when the columns cannot all keep their least width (the rows are then shown as
    records). `sources` are the indexes of columns holding a row's sources."""
    room = width - (3 * len(headers) + 1)  # "| " + " | " between + " |"
    if sum(natural) <= room:
        return natural
    floor = [min(n, _least(display_width(h), n, index in sources))
             for index, (h, n) in enumerate(zip(headers, natural))]
    if sum(floor) > room:
        return None
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


def _least(header: int, natural: int, sources: bool) -> int:
    if sources:
        return SOURCES_MIN
    return max(header, MIN_COLUMN, PROSE_MIN if natural >= PROSE else 0)


def fill(cell, width: int) -> str:
    """A cell's text wrapped to `width` columns at word boundaries (a word longer than the
    column is broken); its own line breaks are kept."""
    if isinstance(cell, _Sources):
        return cell.block(width)
    lines = []
    for line in cell.split("\n"):
        if display_width(line) <= width:
            lines.append(line)
        else:
            lines += textwrap.wrap(line, width) or [line]
    return "\n".join(lines)


def write_records(headers: list[str], rows: list[list], out: TextIO, width: int) -> None:
    """Each row as a record: a rule naming the row, then one `field | value` line per
    column, values wrapped to the width left."""
    labels = [header[:RECORD_LABEL_MAX] for header in headers]
    label_width = max((display_width(label) for label in labels), default=0)
    value_width = max(SOURCES_MIN, width - label_width - 3)
    for number, row in enumerate(rows, 1):
        title = f"-[ row {number} ]"
        # One column short of the width: a line as wide as the terminal wraps in some.
        rule = min(width - 1, label_width + 3 + value_width)
        out.write(title + "-" * max(0, rule - len(title)) + "\n")
        for label, cell in zip(labels, row):
            lines = fill(cell, value_width).split("\n")
            pad = " " * (label_width - display_width(label))
            out.write(f"{label}{pad} | {lines[0]}".rstrip() + "\n")
            for line in lines[1:]:
                out.write(f"{' ' * label_width} | {line}".rstrip() + "\n")


# -- A row's sources ----------------------------------------------------------------------

class _Sources:
    """A row's sources in a table cell: each article, then its quote, wrapped to the cell."""

    def __init__(self, evidence: list["Evidence"]):
        self.evidence = evidence

    def natural(self) -> int:
        from casekb.render import evidence_text

        return max((display_width(line) for line in evidence_text(self.evidence).split("\n")),
                   default=0)

    def block(self, width: int) -> str:
        blocks = []
        for item in self.evidence:
            where = " · ".join(part for part in (item.source, item.outlet,
                                                 str(item.published) if item.published
                                                 else None) if part)
            lines = textwrap.wrap(where, width, break_on_hyphens=False) or [""]
            lines += textwrap.wrap(f"“{item.quote}”", width, initial_indent="  ",
                                   subsequent_indent="   ")
            blocks.append("\n".join(lines))
        return "\n".join(blocks)


def _sources_columns(rows: list[list]) -> frozenset[int]:
    if not rows:
        return frozenset()
    return frozenset(i for i, cell in enumerate(rows[0]) if isinstance(cell, _Sources))


def _natural(cell) -> int:
    if isinstance(cell, _Sources):
        return cell.natural()
    return max(min(display_width(line), TABLE_TEXT_WIDTH) for line in cell.split("\n"))
