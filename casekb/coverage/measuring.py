"""Measuring coverage: each article's sentences with the records that cite them.

A quote cites every sentence it overlaps, wherever it occurs in its article: a quote that
runs over a sentence boundary cites both sentences, a quote of a few words cites the
sentence that holds them. Quotes are matched as the validator matches them
(casekb/curation/quotes.py: curly quotes straightened, dashes unified, runs of white space
made one); the normalised article keeps, for each of its characters, where it came from, so
that a match is placed back on the article's own sentences.

A sentence no record cites is flagged when a cue of a legal fact fires in it (cues.py), and
an entry of the ignore file (ignore.py) may excuse it with a reason.
"""

from __future__ import annotations

import bisect
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from casekb.coverage import cues, ignore, sentences
from casekb.coverage.reading import (
    WORDS_FIELD,
    Citation,
    CuratedQuotes,
    evidence_quotes,
    read_article,
    read_quotes,
)
from casekb.curation import Progress
from casekb.curation.quotes import closest_passage, normalise, says_too_little
from casekb.curation.wording import suggest
from casekb.errors import Problem, UsageError


@dataclass(frozen=True)
class Sentence:
    """A sentence of an article: its text as the article writes it, where it starts (line
    and column of the article file, 1-based), the records that cite it ("kind:id"), the cues
    of legal facts in it, and the reason it is left uncited when the ignore file gives one
    (only for a flagged sentence)."""

    text: str
    line: int
    column: int
    cited_by: tuple[str, ...]
    cues: tuple[cues.Hit, ...]
    ignored: str | None = None

    @property
    def flagged(self) -> bool:
        """No record cites it, and it shows a legal fact: possibly uncurated."""
        return not self.cited_by and bool(self.cues)

    @property
    def unresolved(self) -> bool:
        """Flagged, and not in the ignore file: a curator has to look at it."""
        return self.flagged and self.ignored is None

    def to_dict(self) -> dict:
        return {"text": self.text, "line": self.line, "column": self.column,
                "cited_by": list(self.cited_by),
                "cues": [{"cue": hit.kind, "text": hit.text} for hit in self.cues],
                "flagged": self.flagged, "ignored": self.ignored}


@dataclass(frozen=True)
class Summary:
    """Counts of sentences: all, cited, flagged (uncited, with a cue), and of the flagged,
    those the ignore file excuses and those left unresolved."""

    sentences: int = 0
    cited: int = 0
    flagged: int = 0
    ignored: int = 0

    @property
    def unresolved(self) -> int:
        return self.flagged - self.ignored

    @property
    def share(self) -> float | None:
        """The share of sentences cited (None for an article without sentences)."""
        return self.cited / self.sentences if self.sentences else None

    def __add__(self, other: Summary) -> Summary:
        return Summary(self.sentences + other.sentences, self.cited + other.cited,
                       self.flagged + other.flagged, self.ignored + other.ignored)

    @classmethod
    def of(cls, found: Iterable[Sentence]) -> Summary:
        found = list(found)
        return cls(len(found), sum(1 for s in found if s.cited_by),
                   sum(1 for s in found if s.flagged),
                   sum(1 for s in found if s.flagged and s.ignored is not None))

    def to_dict(self) -> dict:
        share = self.share
        return {"sentences": self.sentences, "cited": self.cited,
                "share": round(share, 4) if share is not None else None,
                "flagged": self.flagged, "ignored": self.ignored,
                "unresolved": self.unresolved}


@dataclass(frozen=True)
class ArticleCoverage:
    """One source's article and its sentences."""

    source: str
    file: str
    sentences: tuple[Sentence, ...]

    @property
    def summary(self) -> Summary:
        return Summary.of(self.sentences)


@dataclass(frozen=True)
class Coverage:
    """The coverage of a folder's articles. `problems` are what kept coverage from reading
    something (a file that is not TOML, an article that cannot be read, a bad entry of the
    ignore file): the counts may then be incomplete. `notes` say what is worth a look and
    changes nothing (a quote that cites no sentence, an ignore entry no longer needed)."""

    folder: Path
    articles: tuple[ArticleCoverage, ...]
    problems: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()

    @property
    def totals(self) -> Summary:
        return sum((article.summary for article in self.articles), Summary())

    @property
    def ok(self) -> bool:
        """Every flagged sentence is cited or ignored, and nothing kept coverage from reading
        the folder."""
        return not self.problems and self.totals.unresolved == 0


def measure(folder: Path | str, *, sources: Iterable[str] | None = None,
            progress: Progress | None = None) -> Coverage:
    """The coverage of every article of a curated folder (or of the articles of `sources`).

    Never raises for bad curated data: what cannot be read is a problem of the result.
    Raises CurationError when the folder itself cannot be used (as `check` reports it) and
    UsageError for a source id the folder does not have. `progress(stage, done, total)` is
    told after each file ("reading") and each article ("articles").
    """
    curated = read_quotes(folder, progress)
    chosen = _chosen(curated, sources)
    entries, problems = ignore.read_entries(curated.folder, curated.sources, curated.lines)
    by_source: dict[str, list[ignore.Entry]] = {}
    for entry in entries:
        by_source.setdefault(entry.source, []).append(entry)
    problems = curated.problems + problems
    notes: list[Problem] = []
    articles, cited, unread = [], set(), set()
    real = os.path.realpath(curated.folder)
    for done, source in enumerate(chosen, 1):
        record = curated.sources[source]
        text, problem = read_article(real, record, curated.lines)
        if problem is not None:
            problems.append(problem)
            unread.add(source)
        else:
            article = _Article(source, str(record.data["file"]), text)
            for citation in curated.citations.get(source, ()):
                if article.cite(citation):
                    cited.add(citation.key)
            for entry in by_source.get(source, ()):
                covered = article.excuse(entry)
                if not covered:
                    problems.append(ignore.stale(entry, article.file, curated.lines,
                                                 closest_passage(entry.text, article.normalised)))
                elif not any(article.flagged(index) for index in covered):
                    notes.append(ignore.unused(entry, curated.lines))
            articles.append(article.result())
        if progress is not None:
            progress("articles", done, len(chosen))
    notes += _uncited_quotes(curated, set(chosen) - unread, cited)
    return Coverage(curated.folder, tuple(articles), _by_place(problems), _by_place(notes))


def _by_place(problems: list[Problem]) -> tuple[Problem, ...]:
    """Problems in the order of their files and lines, as `check` lists them."""
    return tuple(sorted(problems, key=lambda problem: (problem.file, problem.line or 0)))


def _chosen(curated: CuratedQuotes, sources: Iterable[str] | None) -> list[str]:
    """The sources to measure, by their article file: all, or those asked for."""
    if sources is None:
        chosen = list(curated.sources)
    else:
        chosen = list(dict.fromkeys(sources))
        for source in chosen:
            if source not in curated.sources:
                raise UsageError(f"no source {source!r} in {curated.folder}",
                                 hints=suggest(source, curated.sources))

    def order(source: str) -> tuple[str, str]:
        file = curated.sources[source].data.get("file")
        return (file if isinstance(file, str) else "", source)

    return sorted(chosen, key=order)


def _uncited_quotes(curated: CuratedQuotes, measured: set[str],
                    cited: set[tuple]) -> list[Problem]:
    """Notes on the quotes that cite no sentence of the articles they were looked for in:
    not there, too short to state a fact, or of an unknown source. A quote whose articles
    were not all measured (--source, or an article that cannot be read) gets none. (`check`
    says more; coverage only reads.)"""
    by_key: dict[tuple, list[Citation]] = {}
    for citations in curated.citations.values():
        for citation in citations:
            if citation.key not in cited:
                by_key.setdefault(citation.key, []).append(citation)
    notes = []
    for key, group in sorted(by_key.items(), key=lambda item: item[0]):
        sources = [c.source for c in group if c.source in curated.sources]
        if any(source not in measured for source in sources):
            continue
        first = group[0]
        if first.field == WORDS_FIELD and _within_evidence(first):
            continue  # words said that its evidence quotes hold, as `check` accepts
        why = ("its source is unknown" if not sources
               else "it is too short to state a fact" if says_too_little(first.quote)
               else "it is not in the article of " + ", ".join(map(repr, sources)))
        notes.append(Problem(first.record.file, first.record.label(), key[2],
                             f"cites no sentence: {why} (casekb check says more)",
                             line=curated.lines.field_line(first.record, first.field,
                                                           contains=first.quote)))
    return notes


def _within_evidence(words: Citation) -> bool:
    """Whether a statement's words (too short to cite a sentence themselves) occur in one
    of the statement's evidence quotes."""
    needle = normalise(words.quote)
    return any(needle in normalise(quote) for _, _, quote in evidence_quotes(words.record))


_LONG_SPACE = re.compile(r"\s{2,}")
_RUN = re.compile(r"\s+|\S+")


class Offsets:
    """Where each character of a normalised article came from in the article.

    Normalising changes lengths only where it makes a run of white space one space, or drops
    it at either end; every other character keeps its place. So a few points say how far the
    normalised text has moved: after `points[i]` (an index of the normalised text), add
    `shifts[i]` to get the article's index.
    """

    def __init__(self, points: list[int], shifts: list[int]):
        self.points, self.shifts = points, shifts

    def original(self, index: int) -> int:
        """The index in the article of the normalised text's character `index`."""
        return index + self.shifts[bisect.bisect_right(self.points, index) - 1]


def normalised_with_offsets(text: str) -> tuple[str, Offsets]:
    """`quotes.normalise(text)`, and where each of its characters came from (a space made
    of a run of white space: the run's first character)."""
    normalised = normalise(text)
    start, end = len(text) - len(text.lstrip()), len(text.rstrip())
    points, shifts, removed = [0], [start], start
    for run in _LONG_SPACE.finditer(text, start, end):
        points.append(run.start() - removed + 1)
        removed += len(run.group()) - 1
        shifts.append(removed)
    if len(normalised) == max(0, end - removed):
        return normalised, Offsets(points, shifts)
    # A normalisation that changes the length of other characters too (none does today):
    # each character placed on its own.
    points, shifts = [], []
    for run in _RUN.finditer(text, start, end):
        pieces = ([(run.start(), " ")] if run.group().isspace() else
                  [(offset, normalise(char)) for offset, char in enumerate(run.group(),
                                                                            run.start())])
        for offset, piece in pieces:
            for _ in piece:
                shifts.append(offset - len(points))
                points.append(len(points))
    return normalised, Offsets(points or [0], shifts or [0])


class _Article:
    """The sentences of one article as they are being cited and excused."""

    def __init__(self, source: str, file: str, text: str):
        self.source, self.file, self.text = source, file, text
        self.spans: list[sentences.Span] = []
        self.quoted: list[bool] = []
        for paragraph in sentences.paragraphs(text):
            quotations = cues.quotations(text, paragraph.start, paragraph.end)
            at = 0  # both are in order: the first quotation that may overlap the sentence
            for span in sentences.sentences(text, paragraph):
                while at < len(quotations) and quotations[at][1] <= span.start:
                    at += 1
                self.spans.append(span)
                self.quoted.append(at < len(quotations) and quotations[at][0] < span.end)
        self.starts = [span.start for span in self.spans]
        self.normalised, self.offsets = normalised_with_offsets(text)
        self.cited_by: list[dict[str, None]] = [{} for _ in self.spans]
        self.cues = [cues.hits(text[span.start:span.end], quoted)
                     for span, quoted in zip(self.spans, self.quoted)]
        self._excuses: list[tuple[str, list[int]]] = []  # (reason, sentences covered)
        self._found: dict[str, list[int]] = {}  # normalised quote -> the sentences it cites

    def cite(self, citation: Citation) -> bool:
        """Mark the sentences the quote overlaps; whether it occurs in the article."""
        indices = self._sentences_of(citation.quote)
        for index in indices:
            self.cited_by[index][citation.cited_by] = None
        return bool(indices)

    def excuse(self, entry: ignore.Entry) -> list[int]:
        """Note the sentences an ignore entry covers (after every citation), and return them."""
        indices = self._sentences_of(entry.text)
        self._excuses.append((entry.reason, indices))
        return indices

    def flagged(self, index: int) -> bool:
        return not self.cited_by[index] and bool(self.cues[index])

    def result(self) -> ArticleCoverage:
        reasons: list[str | None] = [None] * len(self.spans)
        for reason, indices in self._excuses:  # the first entry to cover a sentence gives it
            for index in indices:
                if reasons[index] is None and self.flagged(index):
                    reasons[index] = reason
        found = tuple(Sentence(self.text[span.start:span.end], span.line, span.column,
                               tuple(cited), hits, reason)
                      for span, cited, hits, reason in zip(self.spans, self.cited_by,
                                                           self.cues, reasons))
        return ArticleCoverage(self.source, self.file, found)

    def _sentences_of(self, quote: str) -> list[int]:
        """The sentences that any occurrence of `quote` overlaps, in order."""
        needle = normalise(quote)
        if needle in self._found:  # records often cite the same words
            return self._found[needle]
        if not needle or says_too_little(quote):
            return []
        found: dict[int, None] = {}
        at = self.normalised.find(needle)
        while at >= 0:
            start = self.offsets.original(at)
            end = self.offsets.original(at + len(needle) - 1) + 1
            index = max(0, bisect.bisect_right(self.starts, start) - 1)
            while index < len(self.spans) and self.spans[index].start < end:
                if self.spans[index].end > start:
                    found[index] = None
                index += 1
            at = self.normalised.find(needle, at + 1)
        indices = self._found[needle] = sorted(found)
        return indices
