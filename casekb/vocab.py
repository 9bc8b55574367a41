"""The closed vocabularies of the store: one place for the validator, the query language,
`describe`, completion, the DDL's CHECK constraints and the documentation.

Values are lower case. SYNONYMS maps other spellings a user or curator may write to the
canonical value (British spellings, legal Latin).
"""

from __future__ import annotations

ROLES = (
    "defendant", "victim", "prosecutor", "defence counsel", "judge", "juror", "witness",
    "possible witness", "interviewer", "investigator", "family", "other",
)
OFFENSE_CLASSES = ("felony", "misdemeanor", "petty misdemeanor", "infraction")
CHARGE_STATUSES = (
    "pending", "convicted", "acquitted", "dismissed", "dropped", "superseded", "mistrial",
)
PLEAS = ("guilty", "not guilty", "no contest")
OUTCOMES = ("guilty", "not guilty", "convicted", "dismissed", "mistrial")
DECIDED_BY = ("jury", "judge", "plea")
PENALTY_KINDS = (
    "prison", "jail", "imprisonment", "probation", "fine", "community service",
    "suspended sentence", "class", "restitution", "other", "unstated",
)
BOUNDS = ("maximum", "minimum", "imposed", "unstated")
EVENT_KINDS = (
    "incident", "investigation", "interview", "charges announced", "charges filed",
    "arraignment", "plea", "plea agreement", "hearing", "trial date set", "trial", "verdict",
    "sentencing", "charges dropped", "statement", "lawsuit", "other",
)
STANCES = ("supportive", "critical", "neutral")
DATE_PRECISIONS = ("day", "month", "year", "range")
PERSON_KINDS = ("person", "group", "unnamed")

# The stage of a fact, per kind; the last is the default (what a record without `stage` is).
CHARGE_STAGES = ("announced", "filed")
PLEA_STAGES = ("agreed", "entered")
SENTENCE_STAGES = ("agreed", "imposed")
EVENT_STAGES = ("expected", "scheduled", "held")
# Stages of facts that have not happened yet: their dates may be after the articles that
# report them, and get no upper bound from them.
FUTURE_STAGES = ("expected", "scheduled")
QUANTITY_DIMENSIONS = ("duration", "money", "hours")

# What a value means where its name alone could mislead, by vocabulary (the documentation
# shows it beside the value).
MEANINGS = {
    "OUTCOMES": {"convicted": "a conviction without a trial verdict, e.g. on a plea"},
    "PENALTY_KINDS": {"imprisonment": "custody of unstated kind",
                      "unstated": "a punishment whose kind the source does not give"},
    "BOUNDS": {"unstated": "the source does not say whether it is a maximum, a minimum or "
                           "imposed (\"she is subject to a $5,000 punishment\")"},
    "PERSON_KINDS": {"group": "several people spoken of as one (\"Baldwin's lawyers\")",
                     "unnamed": "a person the source does not name (\"one user wrote\")"},
    "CHARGE_STAGES": {"announced": "announced or reported as coming, not known to be filed"},
    "PLEA_STAGES": {"agreed": "agreed in a plea deal, not yet entered in court"},
    "SENTENCE_STAGES": {"agreed": "terms agreed in a deal, not yet imposed by a court"},
    "EVENT_STAGES": {"expected": "anticipated, without a firm date",
                     "scheduled": "set for a date"},
}

SYNONYMS = {
    "misdemeanour": "misdemeanor",
    "petty misdemeanour": "petty misdemeanor",
    "defense counsel": "defence counsel",
    "defense attorney": "defence counsel",
    "nolo contendere": "no contest",
    "armourer": "armorer",
    "supporting": "supportive",
    "opposed": "critical",
}


def canonical(value: str) -> str:
    """The canonical spelling of a vocabulary value (lower case, synonyms resolved)."""
    folded = " ".join(value.strip().lower().replace("_", " ").split())
    return SYNONYMS.get(folded, folded)
