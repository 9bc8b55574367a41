"""Cutting an article into sentences, each with where it stands in the article file.

The rules, in order (the README's "Coverage of the articles" says the same for curators):
- A line break ends a paragraph, and a paragraph ends a sentence: a headline, a caption or
  a title-case line without a full stop is a sentence of its own. Blank lines are skipped.
- Inside a paragraph a sentence ends after '.', '!', '?' or '…' (a run of them), with any
  closing quote marks or brackets that follow, when white space comes next and then an
  upper-case letter, a digit or an opening quote mark or bracket.
- Not after an abbreviation (ABBREVIATIONS: "Jan.", "Mr.", "Dr.", "St."...), a single
  letter ("J. Smith", and the last letter of "U.S." or "e.g."), "No." before a number, nor
  after the '!' or '?' of a name that holds one (MARKED_NAMES: "OK! Magazine").

So "Still on trial for murder? — XDex9 (@XDex91) March 9, 2024" (a tweet with its
signature) and "date 2023-01-20 Get our free weekly email ..." (a scraper's date line before
the text) are one sentence each: nothing there ends a sentence. A sentence that really ends
with an abbreviation ("... in the U.S. The next day") is not split: a curator sees the two as
one, which is safe (a citation of either covers both).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

# Words written with a full stop that rarely end a sentence (case matters: "No." vs "no.").
ABBREVIATIONS = frozenset({
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct", "Nov", "Dec",
    "Mon", "Tue", "Tues", "Wed", "Thu", "Thurs", "Fri", "Sat", "Sun",
    "Mr", "Mrs", "Ms", "Dr", "Prof", "Rev", "Hon", "Sen", "Rep", "Gov", "Gen", "Col", "Lt",
    "Capt", "Sgt", "Det", "Insp", "Supt", "St", "Mt", "Ft", "Jr", "Sr", "Inc", "Ltd", "Co",
    "Corp", "vs", "Ave", "Blvd",
})
# Abbreviations that stand only before a number ("No. 5"): "said no. Then" still ends.
ABBREVIATIONS_BEFORE_NUMBER = frozenset({"No", "Nos", "Art", "Vol", "p", "pp"})
# Names that hold a '!' or '?' which does not end the sentence.
MARKED_NAMES = frozenset({"OK!", "Yahoo!", "Jeopardy!", "Wham!"})

_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+(\S))")
_OPENERS = "\"'“‘«([„"
_WORD_BEFORE = re.compile(r"\S*\Z")
_LOOK_BACK = 24  # characters searched for the word before a full stop: abbreviations are short


@dataclass(frozen=True)
class Span:
    """A sentence of an article: characters start..end of the article's text (white space
    around it left out), and the line and column (1-based) where it starts."""

    start: int
    end: int
    line: int
    column: int


@dataclass(frozen=True)
class Paragraph:
    """A line of the article that holds text: its characters start..end, its line number."""

    start: int
    end: int
    line: int


def paragraphs(text: str) -> Iterator[Paragraph]:
    """The non-blank lines of `text` ("\\n" ends a line; a "\\r" before it is dropped)."""
    offset = 0
    for number, line in enumerate(text.split("\n"), 1):
        stripped = line.rstrip()
        if stripped.strip():
            yield Paragraph(offset, offset + len(stripped), number)
        offset += len(line) + 1


def sentences(text: str, paragraph: Paragraph) -> Iterator[Span]:
    """The sentences of one paragraph of `text`."""
    body = text[paragraph.start:paragraph.end]
    start = 0
    for match in _END.finditer(body):
        if _ends_sentence(body, match):
            yield from _span(body, start, match.end(), paragraph)
            start = match.end()
    yield from _span(body, start, len(body), paragraph)


def split(text: str) -> list[Span]:
    """Every sentence of an article, in order."""
    return [span for paragraph in paragraphs(text) for span in sentences(text, paragraph)]


def _ends_sentence(body: str, match: re.Match) -> bool:
    after = match.group(1)
    if not (after.isupper() or after.isdigit() or after in _OPENERS):
        return False
    mark = body[match.start()]
    word = _WORD_BEFORE.search(body, max(0, match.start() - _LOOK_BACK), match.start()).group()
    word = word.lstrip(_OPENERS)
    if mark in "!?":
        return word + mark not in MARKED_NAMES
    if mark != ".":
        return True
    if word in ABBREVIATIONS or all(len(part) == 1 and part.isalpha()
                                    for part in word.split(".")):
        return False  # an abbreviation, an initial ("J."), or initials ("U.S.", "e.g.")
    return not (word in ABBREVIATIONS_BEFORE_NUMBER and after.isdigit())


def _span(body: str, start: int, end: int, paragraph: Paragraph) -> Iterator[Span]:
    piece = body[start:end]
    lead = len(piece) - len(piece.lstrip())
    if lead == len(piece):
        return
    first = start + lead
    yield Span(paragraph.start + first, paragraph.start + len(piece.rstrip()) + start,
               paragraph.line, first + 1)
