"""Quote matching: is a curated quote verbatim in its article?

Normalisation is deliberately narrow. It forgives only what copying text between editors
changes without the curator noticing: curly quotes become straight, every dash becomes '-',
and runs of white space become one space. It does not fold letter case, spelling or '...'.
"""

from __future__ import annotations

import difflib
import re

_QUOTES_AND_DASHES = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",  # single curly quotes
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"',  # double curly quotes
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
})
_WHITESPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The text with curly quotes straightened, dashes unified and white space collapsed."""
    return _WHITESPACE.sub(" ", text.translate(_QUOTES_AND_DASHES)).strip()


def occurs_in(quote: str, normalised_article: str) -> bool:
    """Whether `quote` occurs in an article already passed through `normalise`."""
    needle = normalise(quote)
    return bool(needle) and needle in normalised_article


def longest_match(quote: str, normalised_article: str, limit: int = 5000) -> str:
    """The longest stretch of the quote that does occur in the article (for a hint), or ''.

    Skipped for very long quotes or articles, where the comparison would be slow.
    """
    needle = normalise(quote)
    if not needle or len(needle) > limit or len(normalised_article) > 200 * limit:
        return ""
    matcher = difflib.SequenceMatcher(None, normalised_article, needle, autojunk=False)
    match = matcher.find_longest_match(0, len(normalised_article), 0, len(needle))
    # A short common stretch ("the ") says nothing about where the quote went wrong.
    return needle[match.b:match.b + match.size] if match.size >= max(12, len(needle) // 3) else ""
