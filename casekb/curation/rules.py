"""Rules across the fields of one record, and the bounds a record's dates get from the
articles that report it.

`RecordRules` is a part of the folder validator (casekb/curation/validate.py): it reports
through the validator's `problem` and reads its index of keys and its articles. The rules
that compare a record with another (a plea dated before its charge was filed) are the
validator's own, since the other record may come in a later file.
"""

from __future__ import annotations

from casekb import vocab
from casekb.curation import spec as S
from casekb.curation.loader import RawRecord
from casekb.curation.quotes import normalise, occurs_in
from casekb.curation.records import Record
from casekb.curation.wording import a_noun, show
from casekb.dates import PartialDate

# The dates of facts that had happened when an article reported them, by kind: none can be
# after every article that reports it; each gets its latest day from the articles when no
# source states one (see derive_dates). Facts at a stage still to come (an expected or a
# scheduled event) are exempt.
REPORTED_DATES = {
    "case": ("incident",), "charge": ("filed", "closed"), "status": ("date",),
    "plea": ("entered",), "verdict": ("decided",), "sentence": ("imposed",),
    "event": ("date",), "statement": ("date",),
}
# Of those, the dates a fact has even when no source gives them (a charge closed is not
# known to have closed: it gets a bound only when it gives a date with no latest day).
_ALWAYS_DATED = {kind: dates[0] for kind, dates in REPORTED_DATES.items()}

# Who may own a penalty, and the bounds each may give it.
_PENALTY_OWNERS = S.BY_KIND["penalty"].exactly_one_of
_STATUTORY = ("maximum", "minimum", "unstated")
_BOUNDS_OF_OWNER = {"offense": _STATUTORY, "charge": _STATUTORY, "enhancement": _STATUTORY,
                    "sentence": ("imposed",)}


def to_come(kind: str, values: dict) -> bool:
    """Whether a record is of a fact still to come when reported (an expected or scheduled
    event): its date may follow the articles, and gets no bound from them."""
    return kind == "event" and values.get("stage") in vocab.FUTURE_STAGES


class RecordRules:
    """The rules across a record's fields (see the module docstring)."""

    def check_owner(self, raw: RawRecord, kind: S.KindSpec) -> bool:
        group = kind.exactly_one_of
        if not group:
            return True
        given = [name for name in group if name in raw.data]
        if len(given) == 1:
            return True
        choices = " / ".join(group)
        if not given:
            self.problem(raw, "", f"needs exactly one of {choices}; none is given")
        else:
            self.problem(raw, given[1], f"needs exactly one of {choices}; "
                                        f"{' and '.join(given)} are given")
        return False

    def check_rules(self, raw: RawRecord, values: dict) -> bool:
        ok = True
        owners = ([name for name in _PENALTY_OWNERS if name in raw.data]
                  if raw.kind == "penalty" and "bound" in values else [])
        if len(owners) == 1:
            # With no owner or several, check_owner has said so; the bound cannot be judged.
            owner, bound = owners[0], values["bound"]
            allowed = _BOUNDS_OF_OWNER[owner]
            if bound not in allowed:
                ok = False
                hints = (["statutory maximum and minimum bounds belong to an offense, a "
                          "charge or an enhancement"] if owner == "sentence" else
                         ["imposed penalties belong to a sentence; 'unstated' is for a "
                          "punishment the source does not call a maximum or a minimum"])
                self.problem(raw, "bound", f"a penalty of {a_noun(owner)} is "
                             f"{' or '.join(repr(b) for b in allowed)}, not {bound!r}", hints)
        if raw.kind == "charge":
            filed, closed = values.get("filed"), values.get("closed")
            if isinstance(filed, PartialDate) and isinstance(closed, PartialDate):
                if closed.end < filed.start:
                    ok = False
                    self.problem(raw, "closed", f"the charge is closed ({closed}) before it "
                                                f"was filed ({filed})")
            if values.get("replaces") is not None and values["replaces"] == raw.data.get("id"):
                ok = False
                self.problem(raw, "replaces", "a charge cannot replace itself")
        for fs in S.BY_KIND[raw.kind].fields:
            if fs.verbatim and isinstance(values.get(fs.name), str):
                ok &= self.check_verbatim(raw, fs.name, values[fs.name])
        return ok

    def check_verbatim(self, raw: RawRecord, name: str, words: str) -> bool:
        """Words of a source (a statement's quote, a verdict's findings) must occur in an
        article of the record's evidence, and say something."""
        record_evidence = raw.data.get("evidence")
        if not isinstance(record_evidence, list):
            record_evidence = []
        sources = [e.get("source") for e in record_evidence if isinstance(e, dict)]
        texts = [self.article_text(s) for s in sources if isinstance(s, str)]
        usable = [t for t in texts if t is not None]
        # Unusable sources are reported elsewhere; judge the words only against real text.
        if usable and not any(occurs_in(words, t) for t in usable):
            self.problem(raw, name, f"the {raw.kind}'s {name} is in none of its evidence "
                                    f"articles: {show(words, 100)}",
                         [f"the {name} must occur verbatim in an article the "
                          f"{raw.kind}'s evidence cites"])
            return False
        # Words said may be one ("described as 'nervous'"): enough when an evidence quote,
        # which must say something itself, holds them.
        quotes = [e.get("quote") for e in record_evidence or () if isinstance(e, dict)]
        if any(isinstance(q, str) and normalise(words) in normalise(q) for q in quotes):
            return True
        return not self.check_quote_says_something(raw, name, words)

    def derive_dates(self, raw: RawRecord, record: Record) -> None:
        """Give each date of a fact that had happened when reported, and whose latest day no
        source states, the latest day the articles reporting it allow: the publication of
        the first of them (by its latest day). Marked as derived, with the source. A status
        entry gets when it was last reported: the publication of the last article citing
        it (cite on a status only the articles that report it as current)."""
        values = record.values
        sources = [item.source for item in record.evidence]
        if raw.kind == "status":
            values["reported"] = self.index.last_publication(sources)
        if to_come(raw.kind, values):
            return
        found = unasked = object()  # the first article to report it: asked once, if needed
        for name in REPORTED_DATES.get(raw.kind, ()):
            when = values.get(name)
            if when is None and name != _ALWAYS_DATED[raw.kind]:
                continue
            if when is not None and not when.open_end:
                continue
            if found is unasked:
                found = self.index.first_publication_bound(sources)
            if found is None:
                continue
            source, published = found
            values[name] = (PartialDate.between(None, published) if when is None
                            else when.with_latest(published.end))
            record.derived.append((f"{name}.latest", f"no later than the publication of "
                                   f"{source} ({published}), the first article citing it"))
