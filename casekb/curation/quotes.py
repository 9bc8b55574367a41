"""Quotes: is a curated quote verbatim in its article, and does it say anything?

Normalisation is deliberately narrow. It forgives only what copying text between editors
changes without the curator noticing: curly quotes become straight, every dash becomes '-',
and runs of white space become one space. It does not fold letter case, spelling or '...'.

A quote is evidence only when it can state something: "-" or "the" occurs in every article
and proves nothing. The floor (`says_too_little`) is two words and five letters, in any
alphabet: the shortest real quotes of the Rust seeds, "a $500 fine" and "March 9, 2024",
pass it. It is a floor, not a judgement: "of the" passes too; the curator still chooses.
"""

from __future__ import annotations

import difflib
import itertools
import os
import re

_QUOTES_AND_DASHES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",  # single curly quotes
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',  # double curly quotes
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
})
_WHITESPACE = re.compile(r"\s+")
_WORD = re.compile(r"[^\W_]+")  # a run of letters or digits, in any script
_LETTER = re.compile(r"[^\W\d_]")  # a letter, in any script

MIN_QUOTE_WORDS = 2
MIN_QUOTE_LETTERS = 5


def says_too_little(quote: str) -> str | None:
    """Why `quote` is too short to state a fact ("has 1 word and 4 letters"), or None when
    it has at least MIN_QUOTE_WORDS words and MIN_QUOTE_LETTERS letters."""
    # Every quote of a folder comes here: count only as far as the rule needs.
    if _at_least(_WORD, quote, MIN_QUOTE_WORDS) and _at_least(_LETTER, quote, MIN_QUOTE_LETTERS):
        return None
    words, letters = len(_WORD.findall(quote)), len(_LETTER.findall(quote))
    return (f"has {words} word{'s' if words != 1 else ''} and {letters} "
            f"letter{'s' if letters != 1 else ''}")


def _at_least(pattern: re.Pattern, text: str, count: int) -> bool:
    return sum(1 for _ in itertools.islice(pattern.finditer(text), count)) >= count


def normalise(text: str) -> str:
    """The text with curly quotes straightened, dashes unified and white space collapsed."""
    return _WHITESPACE.sub(" ", text.translate(_QUOTES_AND_DASHES)).strip()


def occurs_in(quote: str, normalised_article: str) -> bool:
    """Whether `quote` occurs in an article already passed through `normalise`."""
    needle = normalise(quote)
    return bool(needle) and needle in normalised_article


def closest_passage(quote: str, normalised_article: str, width: int = 100,
                    limit: int = 5000) -> str | None:
    """The stretch of the article that lines up with the quote, for a hint; '' when no long
    stretch of the quote occurs in the article, None when the comparison was skipped.

    The longest stretch the two share anchors the alignment; the article's text is then shown
    over the quote's whole length, so the curator sees the article's wording where the quote
    departs from it ("... Andrea Reeb shared ..." for a quote with "Andrea Reed"). A passage
    longer than `width` is cut to the window where it first differs from the quote.
    Skipped for very long quotes or articles, where the comparison would be slow.
    """
    needle = normalise(quote)
    if not needle or len(needle) > limit or len(normalised_article) > 200 * limit:
        return None
    matcher = difflib.SequenceMatcher(None, normalised_article, needle, autojunk=False)
    match = matcher.find_longest_match(0, len(normalised_article), 0, len(needle))
    # A short common stretch ("the ") says nothing about where the quote went wrong.
    if match.size < max(12, len(needle) // 3):
        return ""
    # Line the quote up with the article around that stretch, so that words the quote drops
    # or changes still leave the article's passage whole at both ends.
    offset = max(0, match.a - match.b - 20)
    nearby = normalised_article[offset:match.a - match.b + len(needle) + 40]
    # Stray one- or two-letter matches past a changed word would stretch the passage.
    blocks = [b for b in difflib.SequenceMatcher(None, nearby, needle, autojunk=False)
              .get_matching_blocks() if b.size >= 3]
    first, last = blocks[0], blocks[-1]
    start = max(0, first.a - first.b)
    end = last.a + last.size + (len(needle) - last.b - last.size)
    passage = nearby[start:end]
    if len(passage) <= width:
        return passage
    # Show the window where the article first departs from the quote.
    differs = len(os.path.commonprefix([passage, needle]))
    first = max(0, min(differs - width // 3, len(passage) - width))
    return (("…" if first else "") + passage[first:first + width]
            + ("…" if first + width < len(passage) else ""))
