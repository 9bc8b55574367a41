"""A run report as Markdown, HTML or JSON.

- markdown: the prose as written (parameters filled in), each query's rows as a Markdown
  table (or a list for a timeline), notes for no rows and cut results, errors (with
  --keep-going) as quoted blocks in place;
- html: one self-contained page (inline CSS, no scripts, nothing fetched): the prose,
  tables, timelines, each row's sources with their quotes, each query under a "query"
  disclosure, and a list of the cited sources linking to their article files;
- json: the title, the parameters, and for each query its line, heading, text, columns and
  rows (values typed as `casekb query --format json` gives them), or its error.

Links to article files are `link_base` + the source's file (its path in the curated folder);
by default they point at the folder the store was built from, as file: URLs.
"""

from __future__ import annotations

import html
import io
import json
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from casekb.render import (
    RIGHT_ALIGNED,
    cell_text,
    escape_markdown,
    marked_text,
    write_result,
)
from casekb.report.markdown import anchor, inline, plain, safe_url, to_html
from casekb.report.params import bind_prose
from casekb.report.parse import Prose

if TYPE_CHECKING:
    from casekb.execute.results import QueryResult
    from casekb.report.run import Answer, ReportRun

FORMATS = ("markdown", "html", "json")


def render_report(run: ReportRun, fmt: str, out: TextIO, *,
                  link_base: str | None = None) -> None:
    """Write the run report `run` to `out` as markdown, html or json."""
    if fmt == "markdown":
        write_markdown(run, out)
    elif fmt == "html":
        write_html(run, out, link_base=link_base)
    elif fmt == "json":
        write_json(run, out)
    else:
        raise ValueError(f"unknown report format {fmt!r}")


# -- Markdown ----------------------------------------------------------------------------

def write_markdown(run: ReportRun, out: TextIO) -> None:
    """The report as Markdown."""
    parts = []
    if not _has_title_heading(run):
        parts.append(f"# {run.report.title}")
    for part in run.parts:
        if isinstance(part, Prose):
            text = part.text.strip("\n")
            if text.strip():
                parts.append(text)
        else:
            parts.append(_markdown_answer(part))
    out.write("\n\n".join(parts) + "\n")


def _has_title_heading(run: ReportRun) -> bool:
    for part in run.parts:
        if isinstance(part, Prose):
            if any(line.startswith("# ") for line in part.text.splitlines()):
                return True
    return False


def _markdown_answer(answer: Answer) -> str:
    if answer.error is not None:
        text = answer.error.render()
        return "> **Error:** this query failed.\n>\n" + \
            "\n".join(">     " + line for line in text.splitlines())
    result = answer.result
    assert result is not None
    if not result.rows:
        return "_No rows._"
    buffer = io.StringIO()
    if answer.block.style == "timeline":
        for date, mark, rest, evidence in _timeline_rows(result):
            line = f"- **{escape_markdown(marked_text(date or 'date unknown', mark))}**"
            if rest:
                line += " " + escape_markdown(" — ".join(rest))
            if evidence:
                keys = list(dict.fromkeys(item.source for item in evidence))  # each once
                line += " (" + "; ".join(escape_markdown(key) for key in keys) + ")"
            buffer.write(line + "\n")
    else:
        # Cells escaped, so that a value (`f**king`, `<b>`) shows as written wherever the
        # Markdown is rendered; several lines in a cell are joined by <br>.
        write_result(result, "markdown", buffer)
    text = buffer.getvalue().rstrip("\n")
    if result.truncated:
        text += f"\n\n_{_capitalised(result.cap_note())}._"
    return text


def _mark(result: QueryResult, index: int, column: str) -> str | None:
    """What no source states of a shown value (casekb/plan/marks.py), if anything."""
    return result.marks[index].get(column) if result.marks is not None else None


def _timeline_rows(result: QueryResult):
    """(date text, its mark, the other values as text, evidence) per row: the date is the
    first date column (for raw SQL, the first column)."""
    columns = list(result.columns)
    dated = next((i for i, c in enumerate(columns) if c.type == "date"), 0)
    names = result.column_names
    for index, row in enumerate(result.rows):
        date = cell_text(row[dated]) if row[dated] is not None else ""
        rest = [marked_text(cell_text(value), _mark(result, index, names[i]))
                for i, value in enumerate(row) if i != dated and value not in (None, "", ())]
        evidence = result.evidence[index] if result.evidence is not None else []
        yield date, _mark(result, index, names[dated]), rest, evidence


# -- JSON --------------------------------------------------------------------------------

def write_json(run: ReportRun, out: TextIO) -> None:
    """The report as JSON: its parameters and each query's rows."""
    queries = []
    for answer in run.answers:
        heading = plain(bind_prose(answer.block.heading, run.values))
        item: dict[str, Any] = {"line": answer.block.line, "heading": heading,
                                "language": answer.block.language, "query": answer.query}
        if answer.error is not None:
            item["error"] = answer.error.to_dict()
        else:
            result = answer.result
            assert result is not None
            item["columns"] = result.column_names
            item["rows"] = [result.row_json(index) for index in range(len(result.rows))]
            item["truncated"] = result.truncated
        queries.append(item)
    data = {"title": run.report.title, "report": Path(run.report.path).name,
            "parameters": run.values, "queries": queries}
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


# -- HTML --------------------------------------------------------------------------------

_CSS = """
:root { color-scheme: light; --ink: #1d1d1f; --muted: #5f6368; --rule: #d9dce1;
        --band: #f5f6f8; --accent: #0b57d0; --bad: #b3261e; }
body { margin: 0; color: var(--ink); background: #fff;
       font: 15px/1.5 -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; }
main { max-width: 72rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.8rem; margin: 0 0 .5rem; } h2 { margin-top: 2.2rem; }
h2, h3 { border-bottom: 1px solid var(--rule); padding-bottom: .2rem; }
a { color: var(--accent); }
.description { color: var(--muted); margin-top: 0; }
.parameters { color: var(--muted); font-size: .9rem; }
table { border-collapse: collapse; width: 100%; margin: .8rem 0; font-size: .92rem; }
th, td { border: 1px solid var(--rule); padding: .35rem .55rem; text-align: left;
         vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
tbody tr:nth-child(even) { background: #fbfbfc; }
.empty { color: var(--muted); font-style: italic; }
.note { color: var(--muted); font-size: .9rem; }
ul.evidence { list-style: none; margin: 0; padding: 0; }
ul.evidence li + li { margin-top: .4rem; }
ul.evidence blockquote { margin: .1rem 0 0; padding-left: .6rem;
                         border-left: 3px solid var(--rule); color: var(--muted); }
ol.timeline { list-style: none; margin: 1rem 0; padding: 0 0 0 1.2rem;
              border-left: 3px solid var(--rule); }
ol.timeline > li { position: relative; margin: 0 0 1rem; }
ol.timeline > li::before { content: ""; position: absolute; left: -1.62rem; top: .45rem;
                           width: .7rem; height: .7rem; border-radius: 50%;
                           background: var(--accent); }
ol.timeline time { font-weight: 600; display: block; }
details.query { margin: .2rem 0 1rem; font-size: .85rem; color: var(--muted); }
details.query pre, pre { background: var(--band); padding: .6rem .8rem; overflow-x: auto; }
.error { border: 1px solid var(--bad); border-left-width: 4px; padding: .4rem .8rem;
         margin: .8rem 0; }
.error strong { color: var(--bad); }
section.sources ol li { margin-bottom: .3rem; }
@media print { main { max-width: none; } details.query { display: none; } }
.mark { color: var(--muted); font-size: .9em; white-space: nowrap; }
""".strip()


def write_html(run: ReportRun, out: TextIO, *, link_base: str | None = None) -> None:
    """The report as one self-contained HTML page."""
    links = _Links(run, link_base)
    # The description and the parameters go right under the title: the report's own first
    # heading, or one made from the title.
    about = []
    if run.report.description:
        about.append(f'<p class="description">{inline(run.report.description)}</p>')
    if run.values:
        shown = ", ".join(f"{html.escape(name)} = “{html.escape(value)}”"
                          for name, value in run.values.items())
        about.append(f'<p class="parameters">Parameters: {shown}</p>')
    body: list[str] = []
    if not _has_title_heading(run):
        body += [f"<h1>{html.escape(run.report.title)}</h1>", *about]
        about = []
    for part in run.parts:
        if isinstance(part, Prose):
            text = to_html(part.text)
            if about and "</h1>" in text:
                text = text.replace("</h1>", "</h1>\n" + "\n".join(about), 1)
                about = []
            body.append(text)
        else:
            body.append(_html_answer(part, links))
    cited = run.cited
    if cited:
        body.append('<section class="sources"><h2 id="sources">Sources</h2><ol>')
        for source in cited:
            body.append(f'<li id="{links.item_id(source.key)}">{links.describe(source)}</li>')
        body.append("</ol></section>")
    out.write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
              "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
              f"<title>{html.escape(plain(run.report.title))}</title>\n"
              f"<style>\n{_CSS}\n</style>\n</head>\n<body>\n<main>\n"
              + "\n".join(body) + "\n</main>\n</body>\n</html>\n")


class _Links:
    """Anchors for cited sources and links to their article files."""

    def __init__(self, run: ReportRun, link_base: str | None):
        self.sources = run.sources
        if link_base is not None:
            self.base = link_base.rstrip("/") + "/" if link_base else ""
        elif run.source_folder:
            self.base = Path(run.source_folder).as_uri().rstrip("/") + "/"
        else:
            self.base = ""

    @staticmethod
    def item_id(key: str) -> str:
        """The id of a cited source's item in the list of sources."""
        return "source-" + urllib.parse.quote(key, safe="")

    def file_url(self, file: str) -> str:
        return self.base + urllib.parse.quote(file)

    def describe(self, source) -> str:
        """A cited source for the list of sources: headline (or key) linked to the article
        file, then outlet, date and file."""
        label = html.escape(source.headline or source.key)
        title = anchor(self.file_url(source.file), label) if source.file else label
        details = [html.escape(part) for part in (source.outlet, source.published) if part]
        if source.headline:
            details.insert(0, html.escape(source.key))
        if source.url and safe_url(source.url):  # never a javascript: link
            details.append(anchor(source.url, "online"))
        return title + (" — " + ", ".join(details) if details else "")

    def source_link(self, key: str) -> str:
        if key in self.sources:
            return anchor(f"#{self.item_id(key)}", html.escape(key))
        return html.escape(key)


def _html_answer(answer: Answer, links: _Links) -> str:
    query = f'<details class="query"><summary>query</summary><pre>' \
            f'{html.escape(answer.query)}</pre></details>'
    if answer.error is not None:
        return ('<div class="error"><strong>This query failed.</strong>'
                f"<pre>{html.escape(answer.error.render())}</pre></div>")
    result = answer.result
    assert result is not None
    if not result.rows:
        return f'<p class="empty">No rows.</p>\n{query}'
    if answer.block.style == "timeline":
        shown = _html_timeline(result, links)
    else:
        shown = _html_table(result, links)
    if result.truncated:
        shown += f'\n<p class="note">{_capitalised(result.cap_note())}.</p>'
    return f"{shown}\n{query}"


def _html_table(result: QueryResult, links: _Links) -> str:
    names = result.column_names + (["sources"] if result.evidence is not None else [])
    head = "".join(f"<th>{html.escape(name)}</th>" for name in names)
    rows = []
    for index, row in enumerate(result.rows):
        cells = []
        for value, column in zip(row, result.columns):
            number = column.type in RIGHT_ALIGNED or (
                column.type == "text" and isinstance(value, (int, float))
                and not isinstance(value, bool))
            css = ' class="number"' if number else ""
            shown = _html_value(value, column.name, links)
            mark = _mark(result, index, column.name)
            if mark:
                shown += f' <span class="mark">[{html.escape(mark)}]</span>'
            cells.append(f"<td{css}>{shown}</td>")
        if result.evidence is not None:
            cells.append(f"<td>{_html_evidence(result.evidence[index], links)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (f"<table>\n<thead><tr>{head}</tr></thead>\n<tbody>\n" + "\n".join(rows)
            + "\n</tbody>\n</table>")


def _html_value(value: Any, column: str, links: _Links) -> str:
    text = cell_text(value)
    if column == "file" and isinstance(value, str) and value:
        return anchor(links.file_url(value), html.escape(text))
    if column == "url" and isinstance(value, str) and value.startswith(("http://", "https://")):
        return anchor(value, html.escape(text))
    return html.escape(text)


def _html_evidence(evidence, links: _Links) -> str:
    if not evidence:
        return ""
    items = []
    for item in evidence:
        about = ", ".join(html.escape(part) for part in
                          (item.outlet, str(item.published) if item.published else None) if part)
        items.append(f"<li>{links.source_link(item.source)}"
                     + (f" · {about}" if about else "")
                     + f"<blockquote>“{html.escape(item.quote)}”</blockquote></li>")
    return '<ul class="evidence">' + "".join(items) + "</ul>"


def _html_timeline(result: QueryResult, links: _Links) -> str:
    items = []
    for date, mark, rest, evidence in _timeline_rows(result):
        # A date known by its bounds ("../2023-01-20") is no valid `datetime`: text alone.
        when = (f'<time datetime="{html.escape(date)}">{html.escape(date)}</time>'
                if date and "/" not in date else
                f"<time>{html.escape(date)}</time>" if date else "<time>date unknown</time>")
        if mark:
            when += f' <span class="mark">[{html.escape(mark)}]</span>'
        text = html.escape(" — ".join(rest))
        items.append(f"<li>{when}<div>{text}</div>{_html_evidence(evidence, links)}</li>")
    return '<ol class="timeline">\n' + "\n".join(items) + "\n</ol>"


def _capitalised(note: str) -> str:
    return note[:1].upper() + note[1:]
