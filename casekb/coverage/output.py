"""Coverage as text: a table per article (for people), Markdown (for a report or an issue),
JSON (for programs). Every format gives the same numbers: each article's summary line is
written by `summary_text`, and JSON holds the same counts as data.

With `unresolved_only`, only the flagged sentences that are neither cited nor ignored are
listed (a curator's work list); summaries still count every sentence.
"""

from __future__ import annotations

from typing import TextIO

from casekb.coverage.measuring import ArticleCoverage, Coverage, Sentence, Summary
from casekb.render import (
    TABLE_TEXT_WIDTH,
    escape_markdown,
    wrap_text,
    write_markdown,
    write_table,
)

FORMATS = ("table", "markdown", "json")
HEADERS = ["at", "sentence", "cited by", "flag"]
FLAG_WIDTH = 40


def summary_text(summary: Summary) -> str:
    """"27 sentences, 24 cited (89%); 2 flagged: 1 ignored, 1 unresolved"."""
    share = f" ({summary.share:.0%})" if summary.share is not None else ""
    return (f"{summary.sentences} sentence{'s' if summary.sentences != 1 else ''}, "
            f"{summary.cited} cited{share}; {summary.flagged} flagged: {summary.ignored} "
            f"ignored, {summary.unresolved} unresolved")


def totals_text(coverage: Coverage) -> str:
    count = len(coverage.articles)
    return f"{count} article{'s' if count != 1 else ''}: {summary_text(coverage.totals)}"


def shown(article: ArticleCoverage, unresolved_only: bool) -> list[Sentence]:
    """The sentences of an article to list."""
    return [s for s in article.sentences if s.unresolved or not unresolved_only]


def to_dict(coverage: Coverage, unresolved_only: bool = False) -> dict:
    """The coverage as data: {folder, articles: [{source, file, summary, sentences}],
    totals, problems, notes}."""
    return {
        "folder": str(coverage.folder),
        "articles": [{"source": article.source, "file": article.file,
                      "summary": article.summary.to_dict(),
                      "sentences": [s.to_dict() for s in shown(article, unresolved_only)]}
                     for article in coverage.articles],
        "totals": {"articles": len(coverage.articles), **coverage.totals.to_dict()},
        "problems": [vars(problem) for problem in coverage.problems],
        "notes": [vars(note) for note in coverage.notes],
    }


def write_text(coverage: Coverage, fmt: str, out: TextIO, *,
               unresolved_only: bool = False) -> None:
    """Write the coverage as a table or in Markdown: per article its summary, then its
    sentences; the totals last."""
    markdown = fmt == "markdown"
    if markdown:
        out.write(f"# Coverage of {escape_markdown(str(coverage.folder))}\n\n")
    for article in coverage.articles:
        heading = f"{article.source} ({article.file})"
        if markdown:
            out.write(f"## {escape_markdown(heading)}\n\n{summary_text(article.summary)}\n\n")
        else:
            out.write(f"{heading}: {summary_text(article.summary)}\n")
        rows = [_cells(sentence, wrap=not markdown)
                for sentence in shown(article, unresolved_only)]
        if rows and markdown:
            write_markdown(HEADERS, rows, out)
            out.write("\n")
        elif rows:
            write_table(HEADERS, rows, ["r", "l", "l", "l"], out)
        if not markdown:
            out.write("\n")
    out.write(f"**Totals**: {totals_text(coverage)}\n" if markdown
              else f"{totals_text(coverage)}\n")


def _cells(sentence: Sentence, wrap: bool) -> list[str]:
    if sentence.unresolved:
        flag = "\n".join(["flagged"] + [str(hit) for hit in sentence.cues])
    elif sentence.flagged:
        flag = f"ignored: {sentence.ignored}"
        if wrap:
            flag = wrap_text(" ".join(flag.split()), FLAG_WIDTH)
    else:
        flag = ""
    text = " ".join(sentence.text.split()) if wrap else sentence.text
    if wrap and len(text) > TABLE_TEXT_WIDTH:
        text = wrap_text(text, TABLE_TEXT_WIDTH)
    return [f"{sentence.line}:{sentence.column}", text, "\n".join(sentence.cited_by), flag]
