"""The cues that a sentence states a legal fact: one declaration, `CUES`.

`casekb coverage` flags a sentence that no record cites when any cue fires in it. A cue is a
kind of fact (the kinds the curated format records: charges, pleas, verdicts, sentences,
amounts, dates, trials, statements) and what fires it: words and phrases (matched whole,
in any letter case, with an optional plural 's', hyphens and spaces alike), or a pattern.
The closed vocabularies of the store (casekb/vocab.py) supply the values a curator would
record; the lists add the verbs and nouns news articles state them with. A word listed under
two kinds counts for the first.

Cues are deliberately eager: a flag asks a curator to look, and the ignore file
(coverage-ignore.toml) records why a sentence is left out. Dates and amounts are patterns:
month names and weekdays (capitalised), years 1900-2099, "yesterday", "last week"...;
money ("$5,000") and durations that casekb reads as quantities ("18 months", "six-month",
"24 hours"; not ages such as "64-year-old"). A statement is also cued by words inside
double quotation marks (straight or curly; single quote marks are left out, as articles use
them for titles: 'Rust', '30 Rock').
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from casekb import vocab
from casekb.quantities import Quantity


@dataclass(frozen=True)
class Cue:
    """One kind of legal fact and what fires it: `words` (phrases) or a regular `pattern`."""

    kind: str
    words: tuple[str, ...] = ()
    pattern: str = ""


@dataclass(frozen=True)
class Hit:
    """A cue that fired in a sentence: its kind and the words that fired it."""

    kind: str
    text: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}"


def _values(*vocabularies: tuple[str, ...], leave_out: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The values of the store's vocabularies, with their synonyms, as cue words."""
    values = [value for vocabulary in vocabularies for value in vocabulary
              if value not in leave_out]
    synonyms = [word for word, value in vocab.SYNONYMS.items() if value in values]
    return tuple(values + synonyms)


_MONTHS = ("January|February|March|April|May|June|July|August|September|October|November|"
           "December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.")
_WEEKDAYS = "Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
# A duration worth asking Quantity about: a number (in digits or a word) and a unit.
_DURATION = (r"(?<![\w-])(?:[0-9]+(?:\.[0-9]+)?|[A-Za-z]+(?:-[A-Za-z]+)?)[\s-]+"
             r"(?:day|week|month|year|hour)s?(?![\w-])")
_MONEY = r"\$\s?[0-9][0-9,]*(?:\.[0-9]+)?(?:\s+(?:thousand|million|billion))?"

CUES: tuple[Cue, ...] = (
    # charges, accusations and what becomes of a charge
    Cue("charge",
        words=("charge", "charged", "charging", "indict", "indicted", "indictment", "accused",
               "alleged", "allegedly", "allegation", "arrest", "arrested", "count of",
               "counts of", "felony", "felonies", "misdemeanor", "misdemeanour", "offense",
               "offence", "enhancement", "manslaughter", "murder", "homicide", "prosecute",
               "prosecuted", "prosecution", "prosecutor", "district attorney",
               "investigation", "investigated")
        + _values(vocab.CHARGE_STATUSES, leave_out=vocab.OUTCOMES + ("acquitted",))),
    # pleas and plea deals
    Cue("plea",
        words=("plea", "plead", "pleaded", "pleading", "pled", "plea deal", "plea bargain")
        + _values(vocab.PLEAS)),
    # verdicts, convictions and acquittals
    Cue("verdict",
        words=("verdict", "found guilty", "conviction", "acquitted", "acquittal", "juror",
               "jurors") + _values(vocab.OUTCOMES)),
    # sentences and penalties
    Cue("sentence",
        words=("sentence", "sentenced", "sentencing", "penalty", "penalties", "punishment",
               "jailed", "imprisoned", "fined", "mandatory minimum")
        + _values(vocab.PENALTY_KINDS, leave_out=("class", "other"))),
    # money and durations (read as casekb reads quantities)
    Cue("amount", pattern=f"{_MONEY}|{_DURATION}"),
    # dates: months, weekdays, years, and days named relative to the article
    Cue("date",
        pattern=(rf"\b(?:{_MONTHS})(?:\s+[0-9]{{1,2}}(?:st|nd|rd|th)?(?![0-9]))?"
                 r"(?:,?\s+[0-9]{4})?"
                 rf"|\b(?:{_WEEKDAYS})\b"
                 r"|(?<![\w$.,])(?:19|20)[0-9]{2}(?![\w]|[.,][0-9])"
                 r"|(?i:\b(?:yesterday|tomorrow|(?:last|this|next)\s+"
                 r"(?:week|weekend|month|year))\b)")),
    # trials, hearings, courts and the people of a court
    Cue("trial",
        words=("trial", "court", "courtroom", "hearing", "judge", "jury", "testify",
               "testified", "testimony", "witness", "witnesses", "take the stand",
               "take to the stand", "arraigned", "sued", "litigation", "litigated",
               "attorney", "lawyer", "defense team", "defence team")
        + _values(("arraignment", "lawsuit"), vocab.ROLES,
                  leave_out=("defendant", "victim", "family", "other", "interviewer",
                             "investigator", "possible witness"))),
    # on-record words: verbs of saying, and words in double quotation marks
    Cue("statement",
        words=("said", "say", "says", "told", "tell", "tells", "wrote", "write", "writes",
               "stated", "statement", "added", "continued", "replied", "recalled",
               "claimed", "claim", "insisted", "denied", "confirmed", "according to",
               "described", "spoke out", "spoken out", "interview", "tweeted", "posted")),
)

QUOTATION = Hit("statement", "words in quotation marks")

_QUOTE_MARK = re.compile('[“„‟«”»"]')
_OPENING, _CLOSING = "“„‟«", "”»"  # '"' opens or closes


def _compile_words() -> re.Pattern:
    """One expression for the words of every cue: a group per kind, named by it; each word
    counts for the first kind that lists it. Words are matched whole, so the order of the
    alternatives matters only among phrases, longest first."""
    groups, seen, initials = [], set(), set()
    for cue in CUES:
        words = [tuple(re.split(r"[\s-]+", word.casefold())) for word in cue.words]
        words = sorted({word for word in words if word not in seen}, key=len, reverse=True)
        seen.update(words)
        initials.update(word[0][0] for word in words)
        if words:
            alternatives = "|".join(r"[\s-]+".join(map(re.escape, word)) for word in words)
            groups.append(f"(?P<{cue.kind}>{alternatives})")
    # The look-ahead for an initial lets the search pass over most places at once.
    first = re.escape("".join(sorted(initials)))
    return re.compile(rf"(?<!\w)(?=[{first}])(?:{'|'.join(groups)})s?(?!\w)", re.IGNORECASE)


_WORDS = _compile_words()
_PATTERNS = tuple((cue.kind, re.compile(cue.pattern)) for cue in CUES if cue.pattern)


def hits(text: str, quoted: bool = False) -> tuple[Hit, ...]:
    """The cues that fire in a sentence's text, each kind and wording once, in the order
    they stand; `quoted` when the sentence holds words in double quotation marks (see
    `quotations`)."""
    found: list[tuple[int, Hit]] = []
    for match in _WORDS.finditer(text):
        found.append((match.start(), Hit(match.lastgroup, " ".join(match.group().split()))))
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if kind == "amount" and not match.group().startswith("$") \
                    and not _is_quantity(match):
                continue
            found.append((match.start(), Hit(kind, " ".join(match.group().split()))))
    ordered = dict.fromkeys(hit for _, hit in sorted(found, key=lambda item: item[0]))
    if quoted:
        ordered[QUOTATION] = None
    return tuple(ordered)


def _is_quantity(match: re.Match) -> bool:
    try:
        Quantity.parse(match.group())
    except ValueError:
        return False
    return True


def quotations(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of text[start:end] (a paragraph) inside double quotation marks, as
    (start, end) offsets of `text`. A quotation left open runs to the paragraph's end (news
    style: a quotation that goes on into the next paragraph is not closed there); a closing
    mark without an opening one closes a quotation that began before the paragraph. The
    stretches are in order and do not overlap."""
    found, opened = [], None
    for mark in _QUOTE_MARK.finditer(text, start, end):
        char, offset = mark.group(), mark.start()
        if opened is None and char in _CLOSING:
            found = [(start, offset + 1)]  # it holds every quotation before it
        elif opened is None:
            opened = offset
        elif char not in _OPENING:
            found.append((opened, offset + 1))
            opened = None
    if opened is not None:
        found.append((opened, end))
    return found
