"""Tables sized for the terminal.

On the screen the shell (and `casekb query` writing a table to a terminal) fits every table
to the terminal's width, losing nothing:
- a table that fits is written as it is (long text wrapped at casekb.render's
  TABLE_TEXT_WIDTH, as `casekb query` writes it);
- a wider one gives way from its widest text columns first: the widest is narrowed down to
  the next widest, then both, and so on, their text wrapped at word boundaries. No column
  gets narrower than its header or its longest word (a word longer than WORD_MAX, a URL say,
  may be broken), nor long text (prose: descriptions, quotes, summaries) than PROSE_MIN,
  nor a row's sources than SOURCES_MIN; a date or a status, however long with its marks,
  may go down to its longest word;
- when the boxed table cannot fit so, the same table without the box: columns one space
  apart and a rule under the header (a box costs three characters a column), and then
  without the columns that are empty in every row (the caller prints the note this returns,
  naming them); rows with their sources skip this step, their quotes read better as records;
- when even that cannot fit, each row is written as a record, one `field | value` line per
  column, as psql's expanded display does (with a note too).

`write_fitted_table` takes a query's result, `write_fitted` any headers and rows (the
shell's `.describe` uses it too).
"""

from __future__ import annotations

import re
import textwrap
from typing import TYPE_CHECKING, TextIO

from casekb.render import TABLE_TEXT_WIDTH, display_width, pad

if TYPE_CHECKING:
    from casekb.execute.results import Evidence, QueryResult

WORD_MAX = 20  # a column keeps its longest word whole up to this; longer words are broken
PROSE_MIN = 20  # a column of long text may be narrowed to this
PROSE = 2 * PROSE_MIN  # a column whose text runs this wide is long text
SOURCES_MIN = 30  # ... and a row's sources to this: a quote needs room to be read
RECORD_LABEL_MAX = 16  # labels of records are cut beyond this
# The columns that hold prose (words to read, not values to scan): given PROSE_MIN at least.
_PROSE_TYPES = ("text", "name")
# Where a word may be broken: after a hyphen that follows letters ("Gutierrez-" / "Reed",
# "manslaughter-" / "2024") and after the slash between a date's bounds ("2021-10-22/" /
# "2023-01-20"), never inside a date ("2023-01-19").
_HYPHEN_BREAK = re.compile(r"(?<=[^\W\d_]{2}-)(?=\w)|(?<=\d/)(?=\d|\.)|(?<=\./)(?=\d)")


def write_result(result: QueryResult, fmt: str, out: TextIO, *, header: bool = True,
                 width: int | None = None) -> str | None:
    """Write a query's result in `fmt`: a table on a screen `width` columns wide (None: not
    a screen) fitted to it by write_fitted_table, anything else by casekb.render. The note
    to show, or None."""
    if fmt == "table" and width is not None:
        return write_fitted_table(result, out, width, header=header)
    from casekb.render import render

    render(result, fmt, out, header=header)
    return None


def write_fitted_table(result: QueryResult, out: TextIO, width: int, *,
                       header: bool = True) -> str | None:
    """Write `result` as a table at most `width` columns wide; return the note to show when
    columns were left out or the rows written as records, else None."""
    from casekb.render import column_aligns, row_texts

    headers = result.column_names
    aligns = column_aligns(result)
    rows = [[text.replace("\t", " ") for text in row_texts(result, index)]
            for index in range(len(result.rows))]
    prose = [column.type in _PROSE_TYPES for column in result.columns]
    if result.evidence is not None:
        headers = headers + ["sources"]
        prose.append(False)
        rows = [row + [_Sources(evidence)] for row, evidence in zip(rows, result.evidence)]
    return write_fitted(headers, rows, aligns, out, width, header=header, prose=prose)


def write_fitted(headers: list[str], rows: list[list], aligns: list[str], out: TextIO,
                 width: int, *, header: bool = True,
                 prose: list[bool] | None = None) -> str | None:
    """Write a table of text cells (a cell may hold line breaks, kept; a row's sources are
    given as `_Sources`) at most `width` columns wide: boxed, else without the box, else
    without its empty columns, else as records. Returns the note to show, if any."""
    from casekb.render import write_table

    natural = natural_widths(headers, rows)
    least = least_widths(headers, rows, natural, prose)
    widths = column_widths(natural, least, width - (3 * len(headers) + 1))
    if widths is not None:
        write_table(headers, _filled(rows, widths), aligns, out, header=header)
        return None
    # Quotes read better as records than squeezed into a column without a box.
    if not any(isinstance(cell, _Sources) for row in rows[:1] for cell in row):
        for kept in _column_choices(headers, rows):
            widths = column_widths([natural[i] for i in kept], [least[i] for i in kept],
                                   width - (len(kept) - 1))
            if widths is None:
                continue
            shown = [[row[i] for i in kept] for row in rows]
            out.write(compact_table([headers[i] for i in kept], _filled(shown, widths),
                                    widths, [aligns[i] for i in kept], header=header))
            left_out = [name for i, name in enumerate(headers) if i not in kept]
            return (f"note: empty in every row, so left out to fit in {width} columns: "
                    + ", ".join(left_out)) if left_out else None
    write_records(headers, rows, out, width)
    return f"note: shown as records: too wide for a table in {width} columns"


def _column_choices(headers: list[str], rows: list[list]) -> list[list[int]]:
    """The columns a table without a box tries: all, then those with text in some row."""
    every = list(range(len(headers)))
    with_text = [i for i in every if any(_has_text(row[i]) for row in rows)]
    return [every] + ([with_text] if with_text and with_text != every else [])


def natural_widths(headers: list[str], rows: list[list]) -> list[int]:
    """How wide each column would be with long text wrapped as `casekb query` wraps it."""
    natural = [display_width(h) for h in headers]
    for row in rows:
        for index, cell in enumerate(row):
            natural[index] = max(natural[index], _natural(cell))
    return natural


def least_widths(headers: list[str], rows: list[list], natural: list[int],
                 prose: list[bool] | None = None) -> list[int]:
    """How narrow each column may get: its header and its longest word (up to WORD_MAX),
    long text PROSE_MIN, a row's sources SOURCES_MIN; never wider than it is."""
    least = []
    for index, (name, full) in enumerate(zip(headers, natural)):
        cells = [row[index] for row in rows]
        if any(isinstance(cell, _Sources) for cell in cells):
            floor = SOURCES_MIN
        elif full >= PROSE and (prose is None or prose[index]):
            floor = max(display_width(name), PROSE_MIN)
        else:
            word = max((_longest_word(cell) for cell in cells), default=0)
            floor = max(display_width(name), min(word, WORD_MAX))
        least.append(min(full, floor))
    return least


def column_widths(natural: list[int], least: list[int], room: int) -> list[int] | None:
    """Widths that fit `room` characters of cells: `natural` itself when it fits, None when
    the columns cannot all keep their `least` width. Otherwise the widest columns give way
    first: every column is cut to one cap (never below its least width), the largest cap
    that fits."""
    if sum(natural) <= room:
        return list(natural)
    if sum(least) > room:
        return None
    low, high = 1, max(natural)
    while low < high:  # the largest cap that fits
        cap = (low + high + 1) // 2
        if sum(max(floor, min(full, cap)) for full, floor in zip(natural, least)) <= room:
            low = cap
        else:
            high = cap - 1
    return [max(floor, min(full, low)) for full, floor in zip(natural, least)]


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
            lines += _wrapped(line, width) or [line]
    return "\n".join(lines)


def _wrapped(line: str, width: int) -> list[str]:
    """`line` in lines of at most `width` columns, broken at spaces, else where a word may
    be broken (_HYPHEN_BREAK), else (a piece wider than the column) anywhere."""
    lines: list[str] = []
    current = ""
    for word in line.split():
        for number, piece in enumerate(_HYPHEN_BREAK.split(word)):
            joined = current + ("" if number or not current else " ") + piece
            if display_width(joined) <= width:
                current = joined
                continue
            if current:
                lines.append(current)
            while display_width(piece) > width:  # a piece no column can hold whole
                lines.append(piece[:width])
                piece = piece[width:]
            current = piece
    if current:
        lines.append(current)
    return lines


def compact_table(headers: list[str], rows: list[list[str]], widths: list[int],
                  aligns: list[str], *, header: bool = True) -> str:
    """A table without a box: columns one space apart, a rule of dashes under the header,
    and a blank line between rows when some row takes several lines."""
    def line(cells: list[str]) -> str:
        return " ".join(pad(cell, w, a) for cell, w, a in zip(cells, widths, aligns)).rstrip()

    lines = [line(headers), " ".join("-" * w for w in widths)] if header else []
    split = [[cell.split("\n") for cell in row] for row in rows]
    tall = any(len(cell) > 1 for row in split for cell in row)
    for number, row in enumerate(split):
        if tall and number:
            lines.append("")
        for index in range(max((len(cell) for cell in row), default=1)):
            lines.append(line([cell[index] if index < len(cell) else "" for cell in row]))
    return "\n".join(lines) + "\n"


def _filled(rows: list[list], widths: list[int]) -> list[list[str]]:
    return [[fill(cell, w) for cell, w in zip(row, widths)] for row in rows]


def _has_text(cell) -> bool:
    return isinstance(cell, _Sources) or bool(cell.strip())


def _longest_word(cell) -> int:
    if isinstance(cell, _Sources):
        return 0
    return max((display_width(piece) for word in cell.split()
                for piece in _HYPHEN_BREAK.split(word)), default=0)


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
            out.writelines(f"{' ' * label_width} | {line}".rstrip() + "\n" for line in lines[1:])


# -- A row's sources ----------------------------------------------------------------------

class _Sources:
    """A row's sources in a table cell: each article, then its quote, wrapped to the cell."""

    def __init__(self, evidence: list[Evidence]):
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


def _natural(cell) -> int:
    if isinstance(cell, _Sources):
        return cell.natural()
    return max(min(display_width(line), TABLE_TEXT_WIDTH) for line in cell.split("\n"))
