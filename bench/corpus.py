"""A synthetic curated corpus: N invented criminal cases in casekb's curated format.

    python bench/corpus.py OUT --cases 10000 [--seed 0]

writes a curated data folder (schema/curation.md) that `casekb check` accepts and `casekb build`
loads: generated news articles under `articles/`, and the facts curated from them in TOML, with
every evidence quote (and every statement's words) really present in its article, so the full
validator runs as it does on real data.

Shapes follow what real cases look like: 1-5 defendants a case (most have one), 1-6 charges
each with counts, a status history, pleas, verdicts, sentences of several penalty components
(custody, probation, fines, service hours, restitution, suspended terms), statutory bounds on
offenses, enhancements, events, statements, aliases and the odd dispute between articles.
Dates come as days, months or years; names include accented letters and apostrophes; some
articles use curly quotes and dashes where the curated quotes have straight ones.

Values are skewed as in real records, so that look-ups meet the repetition real stores have:
names have a head of common surnames (Smith, Johnson...; a sixth of people) drawn by a
Zipf-like frequency and a long tail of rare ones, so "State v. Smith" is the title of about one
case in a hundred while most titles belong to one case or a few, and namesakes exist; offenses
are charged at very different rates (drug possession, driving while intoxicated and assault
far more often than murder or perjury); the style of a title follows the state ("People v." in
California, "Commonwealth v." in Pennsylvania...), and cases not named after a defendant are
named after their town and incident ("Ashford crash"); about one case in six charges someone
who was a defendant in an earlier case (a repeat defendant: one person, one record, roles in
several cases).

Same seed, same corpus, byte for byte. Each case draws from its own random stream (seeded by
the corpus seed and the case number), so the first 10,000 cases of a 100,000-case corpus are
the 10,000-case corpus: a larger corpus only adds files.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

CASES_PER_FILE = 100
ARTICLES_PER_FOLDER = 1000

# -- vocabularies of the invented world ---------------------------------------------------------

JURISDICTIONS = (
    "Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut",
    "Delaware", "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas",
    "Kentucky", "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota",
    "Mississippi", "Missouri", "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey",
    "New Mexico", "New York", "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon",
    "Pennsylvania", "Rhode Island", "South Carolina", "South Dakota", "Tennessee", "Texas",
    "Utah", "Vermont", "Virginia", "Washington", "West Virginia", "Wisconsin", "Wyoming",
)

# (name, class, maximum custody kind, maximum custody, maximum fine)
OFFENSES = (
    ("involuntary manslaughter", "felony", "prison", "18 months", "$5,000"),
    ("voluntary manslaughter", "felony", "prison", "6 years", "$10,000"),
    ("second-degree murder", "felony", "prison", "15 years", "$15,000"),
    ("aggravated assault", "felony", "prison", "3 years", "$5,000"),
    ("simple assault", "misdemeanor", "jail", "six months", "$1,000"),
    ("battery", "misdemeanor", "jail", "six months", "$1,000"),
    ("armed robbery", "felony", "prison", "9 years", "$10,000"),
    ("burglary", "felony", "prison", "3 years", "$5,000"),
    ("grand theft", "felony", "prison", "3 years", "$5,000"),
    ("petty theft", "misdemeanor", "jail", "six months", "$500"),
    ("fraud", "felony", "prison", "5 years", "$250,000"),
    ("embezzlement", "felony", "prison", "4 years", "$100,000"),
    ("money laundering", "felony", "prison", "10 years", "$500,000"),
    ("negligent use of a deadly weapon", "misdemeanor", "jail", "six months", "$500"),
    ("reckless driving", "misdemeanor", "jail", "90 days", "$1,000"),
    ("driving while intoxicated", "misdemeanor", "jail", "1 year", "$1,000"),
    ("vehicular homicide", "felony", "prison", "6 years", "$5,000"),
    ("arson", "felony", "prison", "9 years", "$10,000"),
    ("tampering with evidence", "felony", "prison", "3 years", "$5,000"),
    ("perjury", "felony", "prison", "3 years", "$5,000"),
    ("criminal trespass", "petty misdemeanor", "jail", "30 days", "$500"),
    ("disorderly conduct", "petty misdemeanor", "jail", "30 days", "$500"),
    ("possession of a controlled substance", "felony", "prison", "18 months", "$5,000"),
    ("trafficking a controlled substance", "felony", "prison", "9 years", "$10,000"),
    ("littering", "infraction", None, None, "$300"),
)

FIRST_NAMES = (
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David",
    "Elizabeth", "William", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas",
    "Sarah", "Charles", "Karen", "Christopher", "Lisa", "Daniel", "Nancy", "Matthew", "Betty",
    "Anthony", "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul",
    "Emily", "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda",
    "Brian", "Dorothy", "George", "Melissa", "Timothy", "Deborah", "José", "María", "Zoë",
    "Renée", "Chloé", "Łukasz", "Søren", "Dagný", "Nguyễn", "Siobhán", "Björn", "Anaïs",
    "Halyna", "Oleksandr", "Aiyana", "Kwame", "Ngozi", "Hiroshi", "Mei", "Rajesh", "Priya",
)
LAST_NAMES = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "O'Brien", "O'Connor", "D'Angelo",
    "Núñez", "Müller", "Gutierrez-Reed", "Carmack-Altwies", "Kowalski", "Björnsson", "Dubois",
    "Okafor", "Tanaka", "Patel", "Singh", "Kim", "Chen", "Ivanova", "Haddad", "Mensah", "Lindqvist",
    "Fitzgerald", "MacDonald", "Van der Berg", "St. John", "Castillo", "Vargas", "Mendoza",
)
MIDDLE_INITIALS = "ABCDEFGHJKLMNPRSTW"

OCCUPATIONS = (
    "nurse", "truck driver", "accountant", "armorer", "teacher", "contractor", "bank teller",
    "police officer", "chef", "pharmacist", "city councillor", "mechanic", "realtor",
    "first assistant director", "security guard", "student", "pastor", "nightclub owner",
)
OUTLETS = (
    "The Daily Ledger", "Courthouse News Wire", "The Evening Standard-Tribune", "Metro Herald",
    "The Valley Sentinel", "Capitol Dispatch", "The Harbour Gazette", "Ridge County Courier",
    "KXLR News", "The Lakeside Observer", "Bang Showbiz", "Independent Press Service",
)
INCIDENTS = (
    "shooting", "stabbing", "crash", "fire", "robbery", "overdose death", "bank fraud scheme",
    "warehouse break-in", "bar fight", "hit-and-run",
)
PLACES = (
    "Main Street", "Riverside", "Oak Hill", "Harbor Point", "Elm Park", "Cedar Creek",
    "Union Station", "Mill Road", "Pine Ridge", "Lakeview Mall", "Eastgate", "Old Town",
)
COUNTIES = (
    "Santa Fe", "Bernalillo", "Cook", "Harris", "Maricopa", "King", "Orange", "Dade",
    "Travis", "Fulton", "Wayne", "Suffolk", "Essex", "Franklin", "Jefferson", "Monroe",
)
ENHANCEMENTS = ("firearm", "repeat offender", "gang", "hate crime", "vulnerable victim")
FILLER = (
    "The courtroom was packed with relatives and reporters.",
    "Neither side responded to requests for further comment on Friday.",
    "Court records show the case has drawn wide attention in the community.",
    "Local officials urged residents to let the legal process run its course.",
    "A spokesperson for the court declined to discuss the schedule.",
    "The hearing lasted a little more than two hours.",
    "Several witnesses are expected to testify, according to court filings.",
    "The neighbourhood has seen a string of similar incidents in recent years.",
    "Legal experts say cases like this one often end in plea agreements.",
    "Supporters gathered outside the courthouse holding signs.",
    "This story has been updated with additional details.",
    "Sign up for our newsletter to get the latest court news every morning.",
)
PROSECUTION_REMARKS = (
    "The evidence shows a clear pattern of reckless disregard for human life.",
    "No one is above the law, and we will hold {name} accountable.",
    "We are confident that a jury will see the facts for what they are.",
    "This was a preventable tragedy, and the community deserves answers.",
)
DEFENCE_REMARKS = (
    "{name} is innocent and we look forward to proving it in court.",
    "These charges are a terrible miscarriage of justice.",
    "My client has cooperated fully from the very first day.",
    "We will fight these charges, and we will win.",
)
VICTIM_REMARKS = (
    "We just want the truth to come out.",
    "Nothing will bring back what we lost, but today matters.",
    "I am glad this is finally over.",
)

# How often each offense is charged, relative to the others (same order as OFFENSES): drug
# possession, driving while intoxicated, assaults and thefts lead; homicides, perjury and
# littering are rare. Charges draw their offenses by these weights.
OFFENSE_WEIGHTS = (2, 1, 1, 8, 12, 8, 3, 6, 5, 10, 4, 2, 1, 1, 6, 14, 1, 1, 2, 0.5, 6, 8, 16, 4,
                   0.5)
# Names are drawn with weights 1 / (rank + k): the first names of each list are the common ones
# (Smith, Johnson... James, Mary...), the last ones rarer. A sixth of surnames come from that
# head; the others are made of parts (some thousands of them, so each is rare), with the
# apostrophes, particles and accents real surnames have.
SURNAME_WEIGHTS = tuple(1 / (rank + 2) for rank in range(len(LAST_NAMES)))
FIRST_NAME_WEIGHTS = tuple(1 / (rank + 5) for rank in range(len(FIRST_NAMES)))
COMMON_SURNAMES = 0.16
SURNAME_PARTICLES = ("", "", "", "", "", "", "", "O'", "D'", "Mac", "Van ", "De ", "St. ")
SURNAME_STEMS = ("Bren", "Cal", "Dor", "Esk", "Far", "Gal", "Hal", "Ivr", "Jor", "Kel", "Lor",
                 "Mar", "Nor", "Orl", "Pel", "Quin", "Ros", "Sel", "Tor", "Ul", "Val", "Wes",
                 "Yar", "Zel", "Añ", "Bé", "Çel", "Dü", "Ñor", "Ørs")
SURNAME_MIDDLES = ("", "a", "e", "i", "o", "er", "in", "an")
SURNAME_ENDINGS = ("ton", "ley", "man", "son", "sen", "ski", "ová", "ez", "ini", "elli", "ard",
                   "ić", "ane", "ey", "berg", "stein", "ura", "ak", "ou", "wood")
# Towns that name incidents ("Ashford crash"): 375 of them.
TOWN_STARTS = ("Ash", "Oak", "Elm", "Cedar", "Pine", "Maple", "Willow", "Stone", "Clear", "Red",
               "Green", "Fair", "Spring", "Rock", "Silver", "North", "South", "East", "West",
               "Lake", "River", "Mill", "Glen", "High", "Brook")
TOWN_ENDS = ("field", "ford", "ton", "ville", "wood", "dale", "port", "view", "side", "bury",
             "ridge", "haven", "crest", "gate", "mont")
# The prosecuting party a title names, by state ("State v." elsewhere).
TITLE_STYLES = {
    **dict.fromkeys(("California", "New York", "Illinois", "Michigan", "Colorado"), "People"),
    **dict.fromkeys(("Massachusetts", "Pennsylvania", "Virginia", "Kentucky"), "Commonwealth"),
}
TITLED_BY_DEFENDANT = 0.7  # the other cases are titled by their incident ("Oak Hill crash")
REPEAT_DEFENDANTS = 0.16  # share of cases whose first defendant was one in an earlier case
REPEAT_WINDOW = 3000  # ... in one of the 3,000 cases before it

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
DAY_WEIGHTS = (70, 22, 8)  # day, month, year precision of the dates articles give


# -- TOML writing --------------------------------------------------------------------------------

def toml_string(text: str) -> str:
    """A TOML basic string holding `text` exactly."""
    out = ['"']
    for char in text:
        if char == '"':
            out.append('\\"')
        elif char == "\\":
            out.append("\\\\")
        elif char == "\n":
            out.append("\\n")
        elif char == "\t":
            out.append("\\t")
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    out.append('"')
    return "".join(out)


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    return toml_string(str(value))


@dataclass
class Rec:
    """One curated record as it will be written: kind, fields in order, evidence pairs."""

    kind: str
    fields: dict
    evidence: list[tuple[str, str]] = field(default_factory=list)

    def toml(self) -> str:
        lines = [f"[[{self.kind}]]"]
        for name, value in self.fields.items():
            if value is not None:
                lines.append(f"{name} = {toml_value(value)}")
        if self.evidence:
            lines.append("evidence = [")
            for source, quote in self.evidence:
                lines.append(f"  {{ source = {toml_string(source)}, quote = {toml_string(quote)} }},")
            lines.append("]")
        return "\n".join(lines) + "\n"


# -- articles ---------------------------------------------------------------------------------

@dataclass
class Article:
    """A generated article: its source id, where it is filed, its date and its sentences."""

    source: str
    file: str
    published: date
    outlet: str
    headline: str
    curly: bool  # typeset with curly quotes and dashes, as many sites are
    sentences: list[str] = field(default_factory=list)

    def text(self, rng: random.Random) -> str:
        body = list(self.sentences)
        # Filler between facts, placed by the case's own stream so the text is reproducible.
        for _ in range(rng.randint(1, 3)):
            body.insert(rng.randint(0, len(body)), rng.choice(FILLER))
        paragraphs = [" ".join(body[i:i + 3]) for i in range(0, len(body), 3)]
        dateline = f"{self.outlet} | {_long_date(self.published)}"
        text = "\n\n".join([self.headline, dateline, *paragraphs]) + "\n"
        if self.curly:
            text = _typeset(text)
        return text


def _typeset(text: str) -> str:
    """Straight quotes to curly ones and ' - ' to an em dash, as web pages print them."""
    out, open_double = [], True
    for index, char in enumerate(text):
        if char == '"':
            out.append("\u201c" if open_double else "\u201d")
            open_double = not open_double
        elif char == "'":
            out.append("\u2019")
        else:
            out.append(char)
    return "".join(out).replace(" - ", " \u2014 ")


def _long_date(day: date) -> str:
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


# -- one case ---------------------------------------------------------------------------------

@dataclass
class PartialDay:
    """A date as an article states it: the day, and how much of it the article says."""

    day: date
    precision: str  # "day" | "month" | "year"

    @property
    def curated(self) -> str:
        if self.precision == "year":
            return f"{self.day.year:04d}"
        if self.precision == "month":
            return f"{self.day.year:04d}-{self.day.month:02d}"
        return self.day.isoformat()

    @property
    def words(self) -> str:
        if self.precision == "year":
            return f"in {self.day.year}"
        if self.precision == "month":
            return f"in {MONTHS[self.day.month - 1]} {self.day.year}"
        return f"on {_long_date(self.day)}"


class CaseWriter:
    """Generates the records and articles of one case from its own random stream."""

    def __init__(self, seed: int, number: int):
        self.rng = random.Random(f"casekb-corpus:{seed}:{number}")
        self.seed = seed
        self.number = number
        self.prefix = f"c{number:06d}"
        self.records: list[Rec] = []
        self.articles: list[Article] = []
        self.used_names: set[str] = set()

    # -- helpers -----------------------------------------------------------------------------

    def when(self, day: date) -> PartialDay:
        precision = self.rng.choices(("day", "month", "year"), DAY_WEIGHTS)[0]
        return PartialDay(day, precision)

    def cite(self, sentence: str, second: str | None = None, *,
             after: date | None = None) -> list[tuple[str, str]]:
        """File `sentence` in one of the case's articles (and `second`, a retelling, in
        another) and return the evidence pairs quoting them.

        A fact of day `after` is reported only by articles published on or after it: if no
        article is that late, the latest one is moved to shortly after it (the validator
        rejects news of what had not happened yet).
        """
        first = self.article_after(after)
        first.sentences.append(sentence)
        evidence = [(first.source, self.quotable(sentence))]
        others = [a for a in self.articles if a is not first
                  and (after is None or a.published >= after)]
        if second and others and self.rng.random() < 0.25:
            other = self.rng.choice(others)
            other.sentences.append(second)
            evidence.append((other.source, self.quotable(second)))
        return evidence

    def article_after(self, day: date | None) -> Article:
        """One of the case's articles published on or after `day` (any, when `day` is None)."""
        fitting = [a for a in self.articles if day is None or a.published >= day]
        if fitting:
            return self.rng.choice(fitting)
        latest = max(self.articles, key=lambda a: (a.published, a.source))
        latest.published = day + timedelta(days=self.rng.randint(0, 20))
        return latest

    def quotable(self, sentence: str) -> str:
        """What a curator copies: usually the whole sentence, sometimes its first clause."""
        head, comma, _ = sentence.rpartition(", ")
        if comma and len(head) > 20 and self.rng.random() < 0.3:
            return head
        return sentence

    def person_name(self) -> str:
        for _ in range(50):
            name = _person_name(self.rng)
            if name not in self.used_names:
                self.used_names.add(name)
                return name
        raise RuntimeError("ran out of names")  # pragma: no cover - 50 tries never all collide

    def add(self, kind: str, fields: dict, evidence=()) -> str:
        self.records.append(Rec(kind, fields, list(evidence)))
        return fields["id"]

    # -- the case ----------------------------------------------------------------------------

    def generate(self, offense_ids: dict[tuple[str, str], str],
                 jurisdictions: tuple[str, ...] = JURISDICTIONS) -> None:
        rng, p = self.rng, self.prefix
        jurisdiction = rng.choice(jurisdictions)
        county = rng.choice(COUNTIES)
        incident_day = date(2000, 1, 1) + timedelta(days=rng.randrange(365 * 24))
        incident_kind, place = rng.choice(INCIDENTS), rng.choice(PLACES)
        for n in range(rng.choice((2, 2, 3, 3, 3, 4))):
            published = incident_day + timedelta(days=rng.randrange(30, 900))
            outlet = rng.choice(OUTLETS)
            self.articles.append(Article(
                f"{p}-a{n + 1}", _article_file(self.number, n + 1), published, outlet,
                f"{place} {incident_kind}: {rng.choice(('charges', 'new details', 'court update', 'verdict'))}",
                curly=rng.random() < 0.3))

        n_defendants = rng.choices((1, 2, 3, 4, 5), (60, 22, 10, 5, 3))[0]
        # The first defendant is drawn from a stream of its own (first_defendant): a later
        # case can name the same person without generating this one.
        first_id, first_name = first_defendant(self.seed, self.number)
        self.used_names.add(first_name)
        defendants = [first_name] + [self.person_name() for _ in range(n_defendants - 1)]
        surname = _surname(defendants[0])
        party = TITLE_STYLES.get(jurisdiction, "State")
        titled_by_defendant = rng.random() < TITLED_BY_DEFENDANT
        town = rng.choice(TOWN_STARTS) + rng.choice(TOWN_ENDS)
        title = f"{party} v. {surname}" if titled_by_defendant else f"{town} {incident_kind}"
        incident = self.when(incident_day)
        case_id = self.add("case", {
            "id": p, "title": title, "jurisdiction": jurisdiction,
            "venue": f"{county} County, {jurisdiction}", "incident": incident.curated,
            "summary": f"{', '.join(defendants)} charged over the {place} {incident_kind}.",
        }, self.cite(f"The {place} {incident_kind} happened {incident.words} in {county} County.",
                     f"Investigators say the {incident_kind} at {place} took place {incident.words}.",
                     after=incident_day))
        if rng.random() < 0.5:
            alias = f"the {town} {incident_kind} case" if titled_by_defendant \
                else f"{party} v. {surname}"
            self.add("alias", {"id": f"{p}-alias", "case": case_id, "name": alias},
                     self.cite(f"Prosecutors refer to it as {alias}."))

        people: dict[str, str] = {}  # name -> person id
        for index, name in enumerate(defendants, 1):
            if index == 1 and first_id != f"{p}-d1":
                # A repeat defendant: the person recorded by an earlier case.
                people[name] = first_id
                self.add("role", {"id": f"{p}-d1-role", "case": case_id, "person": first_id,
                                  "role": "defendant", "title": rng.choice(OCCUPATIONS)},
                         self.cite(f"{name}, who was a defendant in an earlier case, is accused "
                                   f"in the {incident_kind}."))
                continue
            person = self.add("person", {"id": f"{p}-d{index}", "name": name},
                              self.cite(f"{name}, {rng.randint(19, 78)}, was named in court papers."))
            people[name] = person
            occupation = rng.choice(OCCUPATIONS)
            self.add("role", {"id": f"{p}-d{index}-role", "case": case_id, "person": person,
                              "role": "defendant", "title": occupation},
                     self.cite(f"{name}, a local {occupation}, is accused in the {incident_kind}."))
            if rng.random() < 0.3:
                alias = _misspelling(rng, name)
                if alias.casefold() != name.casefold():
                    self.add("alias", {"id": f"{p}-d{index}-alias", "person": person,
                                       "name": alias},
                             self.cite(f"An earlier report spelled the name as {alias}."))
        staff = []
        for role, label, chance in (("victim", "v", 0.7), ("prosecutor", "pr", 1.0),
                                    ("defence counsel", "dc", 0.9), ("judge", "j", 0.6)):
            if rng.random() >= chance:
                continue
            name = self.person_name()
            person = self.add("person", {"id": f"{p}-{label}", "name": name},
                              self.cite(f"{name} spoke to reporters."))
            words = {"victim": "the victim", "prosecutor": "the prosecutor",
                     "defence counsel": "the defence attorney", "judge": "the presiding judge"}
            self.add("role", {"id": f"{p}-{label}-role", "case": case_id, "person": person,
                              "role": role},
                     self.cite(f"{name} is {words[role]} in the case."))
            staff.append((role, name, person))

        filed_day = incident_day + timedelta(days=rng.randint(1, 120))
        events = [("incident", incident, f"The {place} {incident_kind}.")]
        filed = self.when(filed_day)
        events.append(("charges filed", filed, f"Charges are filed against {defendants[0]}."))
        convicted_any = False
        for index, name in enumerate(defendants, 1):
            convicted_any |= self.charges(index, name, people[name], case_id, jurisdiction,
                                          filed_day, offense_ids)
        if rng.random() < 0.7:
            day = self.when(filed_day + timedelta(days=rng.randint(10, 60)))
            events.append(("arraignment", day, f"{defendants[0]} is arraigned."))
        if convicted_any:
            day = self.when(filed_day + timedelta(days=rng.randint(200, 600)))
            events.append(("verdict", day, "A verdict is reached."))
            if rng.random() < 0.7:
                day = self.when(day.day + timedelta(days=rng.randint(30, 120)))
                events.append(("sentencing", day, "Sentences are handed down."))
        for number, (kind, day, description) in enumerate(events, 1):
            self.add("event", {"id": f"{p}-e{number}", "case": case_id, "date": day.curated,
                               "kind": kind, "description": description},
                     self.cite(f"{description[:-1]} {day.words}, court records show.",
                               after=day.day))
        if rng.random() < 0.05 and len(self.articles) >= 2:
            self.dispute(case_id, incident_day, place, incident_kind)

        for number, (role, name, person) in enumerate(staff, 1):
            if role == "judge" or rng.random() < 0.3:
                continue
            about_name = defendants[0]
            remarks = {"prosecutor": PROSECUTION_REMARKS, "defence counsel": DEFENCE_REMARKS,
                       "victim": VICTIM_REMARKS}[role]
            words = rng.choice(remarks).format(name=about_name)
            stance = {"prosecutor": "critical", "defence counsel": "supportive",
                      "victim": "critical"}[role]
            said = self.when(filed_day + timedelta(days=rng.randint(0, 300)))
            self.add("statement", {
                "id": f"{p}-s{number}", "case": case_id, "speaker": person,
                "about": people[about_name], "date": said.curated, "stance": stance,
                "medium": rng.choice(("statement", "press conference", "Instagram", "TMZ")),
                "quote": words,
            }, self.cite(f'"{words}" {name} said {said.words}.', after=said.day))

        # The sources last, first in the file: citing may have moved an article's date.
        self.records[:0] = [Rec("source", {
            "id": article.source, "file": article.file, "outlet": article.outlet,
            "headline": article.headline, "url": f"https://news.example/{article.source}",
            "published": article.published.isoformat(),
            "basis": "stated in the article's date line",
        }) for article in self.articles]

    def charges(self, index: int, name: str, person: str, case_id: str, jurisdiction: str,
                filed_day: date, offense_ids) -> bool:
        """One defendant's charges and what became of them; True if one ended in conviction."""
        rng, p = self.rng, f"{self.prefix}-d{index}"
        count = rng.choices((1, 2, 3, 4, 5, 6), (40, 25, 15, 10, 6, 4))[0]
        offenses = _weighted_sample(rng, OFFENSES, OFFENSE_WEIGHTS, count)
        convicted_any = False
        by_plea = rng.random() < 0.4
        for number, offense in enumerate(offenses, 1):
            offense_name = offense[0]
            charge = f"{p}-ch{number}"
            counts = rng.choices((None, 1, 2, 3, 4), (30, 45, 15, 6, 4))[0]
            filed = self.when(filed_day)
            counted = f"{_count_words(counts)} of {offense_name}" if counts else offense_name
            self.add("charge", {
                "id": charge, "case": case_id, "defendant": person,
                "offense": offense_ids[(jurisdiction, offense_name)], "counts": counts,
                "filed": filed.curated,
            }, self.cite(f"{name} was charged with {counted} {filed.words}.",
                         f"Prosecutors accuse {name} of {offense_name}.", after=filed_day))
            if rng.random() < 0.08:
                enhancement = rng.choice(ENHANCEMENTS)
                self.add("enhancement", {"id": f"{charge}-enh", "charge": charge,
                                         "enhancement": enhancement},
                         self.cite(f"Prosecutors added a {enhancement} enhancement to the "
                                   f"{offense_name} charge against {name}.", after=filed_day))
                if offense[2] and rng.random() < 0.7:
                    minimum = rng.choice(("three years", "five years", "2 years"))
                    self.add("penalty", {"id": f"{charge}-min", "charge": charge,
                                         "kind": "imprisonment", "bound": "minimum",
                                         "amount": minimum},
                             self.cite(f"The enhancement carries a mandatory minimum of "
                                       f"{minimum} for {name}.", after=filed_day))
            self.add("status", {"id": f"{charge}-st1", "charge": charge, "status": "pending",
                                "date": filed.curated},
                     self.cite(f"The {offense_name} charge against {name} has been pending "
                               f"since {filed.words[3:]}.", after=filed_day))
            if rng.random() < 0.8:
                arraigned = filed_day + timedelta(days=rng.randint(5, 40))
                when = self.when(arraigned)
                self.add("plea", {"id": f"{charge}-p1", "charge": charge, "plea": "not guilty",
                                  "entered": when.curated},
                         self.cite(f"{name} pleaded not guilty to {offense_name} {when.words}.",
                                   after=arraigned))
            roll = rng.random()
            if roll < 0.25:
                continue  # still pending
            decided_day = filed_day + timedelta(days=rng.randint(150, 700))
            decided = self.when(decided_day)
            if by_plea and roll < 0.75:
                plea = rng.choice(("guilty", "no contest"))
                self.add("plea", {"id": f"{charge}-p2", "charge": charge, "plea": plea,
                                  "entered": decided.curated, "agreement": True},
                         self.cite(f"Under a plea agreement, {name} pleaded {plea} to "
                                   f"{offense_name} {decided.words}.", after=decided_day))
                outcome, by, status = "convicted", "plea", "convicted"
            else:
                outcome, by, status = rng.choices(
                    (("guilty", "jury", "convicted"), ("not guilty", "jury", "acquitted"),
                     ("guilty", "judge", "convicted"), ("dismissed", "judge", "dismissed"),
                     ("mistrial", "judge", "mistrial")), (45, 20, 10, 15, 10))[0]
            self.add("verdict", {"id": f"{charge}-v", "charge": charge, "outcome": outcome,
                                 "decided": decided.curated, "by": by},
                     self.cite(f"The {offense_name} charge against {name} ended {decided.words}: "
                               f"{outcome}, decided by {'a ' if by != 'plea' else ''}{by}.",
                               after=decided_day))
            self.add("status", {"id": f"{charge}-st2", "charge": charge, "status": status,
                                "date": decided.curated},
                     self.cite(f"{name}: {offense_name}, {status} {decided.words}.",
                               after=decided_day))
            if status != "convicted":
                continue
            convicted_any = True
            if rng.random() < 0.15:
                continue  # not yet sentenced
            imposed = self.when(decided_day + timedelta(days=rng.randint(20, 120)))
            parts = self.sentence_parts(offense)
            summary = " and ".join(text for _, text, _ in parts)
            sentence = self.add("sentence", {"id": f"{charge}-sen", "charge": charge,
                                             "imposed": imposed.curated, "summary": summary},
                                self.cite(f"{name} was sentenced {imposed.words} to {summary}.",
                                          after=imposed.day))
            for k, (kind, text, flags) in enumerate(parts, 1):
                self.add("penalty", {"id": f"{charge}-sen-{k}", "sentence": sentence,
                                     "kind": kind, "bound": "imposed",
                                     "amount": _amount_of(text), **flags},
                         self.cite(f"For {offense_name}, {name} received {text}.",
                                   after=imposed.day))
        return convicted_any

    def sentence_parts(self, offense) -> list[tuple[str, str, dict]]:
        """Several penalty components: (kind, words, flags)."""
        rng = self.rng
        parts = []
        custody = offense[2]
        if custody and rng.random() < 0.7:
            amount = rng.choice(("90 days", "six months", "18 months", "2 years", "5 years",
                                 "30 days", "12 months"))
            suspended = rng.random() < 0.2
            parts.append((custody, f"{amount} in {custody}{' suspended' if suspended else ''}",
                          {"suspended": True} if suspended else {}))
        if rng.random() < 0.5:
            amount = rng.choice(("12 months", "2 years", "3 years", "six months"))
            unsupervised = rng.random() < 0.2
            parts.append(("probation", f"{amount} of {'unsupervised ' if unsupervised else ''}probation",
                          {"unsupervised": True} if unsupervised else {}))
        if rng.random() < 0.5:
            parts.append(("fine", f"a ${rng.choice((250, 500, 1000, 2500, 5000, 10000)):,} fine", {}))
        if rng.random() < 0.25:
            parts.append(("community service",
                          f"{rng.choice((24, 40, 100, 200, 240))} hours of community service", {}))
        if rng.random() < 0.1:
            parts.append(("restitution", f"${rng.randint(1, 90) * 1000:,} in restitution", {}))
        if not parts:
            parts.append(("fine", f"a ${rng.choice((100, 300, 500)):,} fine", {}))
        return parts

    def dispute(self, case_id: str, incident_day: date, place: str, incident_kind: str) -> None:
        """Two articles give different incident dates: both kept, and a dispute lists them."""
        first, second = self.articles[0], self.articles[1]
        other_day = incident_day + timedelta(days=self.rng.randint(1, 10))
        ids = []
        for n, (article, day) in enumerate(((first, incident_day), (second, other_day)), 1):
            sentence = f"According to this report, the {incident_kind} at {place} was on {_long_date(day)}."
            article.sentences.append(sentence)
            ids.append(self.add("event", {
                "id": f"{self.prefix}-disputed-{n}", "case": case_id, "date": day.isoformat(),
                "kind": "incident", "description": f"The {place} {incident_kind} (as {article.source} dates it)."},
                [(article.source, sentence)]))
        self.add("dispute", {"id": f"{self.prefix}-incident-date", "case": case_id,
                             "subject": "the date of the incident",
                             "claims": [f"event:{i}" for i in ids]})

    # -- output ------------------------------------------------------------------------------

    def toml(self) -> str:
        parts = [f"# Case {self.number}: generated by bench/corpus.py\n"]
        parts.extend(rec.toml() for rec in self.records)
        return "\n".join(parts)




def first_defendant(seed: int, number: int) -> tuple[str, str]:
    """The person id and name of case `number`'s first defendant. Each case draws it from a
    stream of its own: most cases charge someone new (recorded by the case, `cNNNNNN-d1`); a
    share of them (REPEAT_DEFENDANTS) charge the first defendant of an earlier case, found the
    same way, so any case can name its repeat defendant without generating the case that
    recorded them."""
    while True:
        rng = random.Random(f"casekb-corpus-defendant:{seed}:{number}")
        if number == 0 or rng.random() >= REPEAT_DEFENDANTS:
            return f"c{number:06d}-d1", _person_name(rng)
        number = rng.randrange(max(0, number - REPEAT_WINDOW), number)


def _person_name(rng: random.Random) -> str:
    """A name: common first names and surnames far more often than rare ones."""
    if rng.random() < COMMON_SURNAMES:
        surname = rng.choices(LAST_NAMES, SURNAME_WEIGHTS)[0]
    else:
        surname = (rng.choice(SURNAME_PARTICLES) + rng.choice(SURNAME_STEMS)
                   + rng.choice(SURNAME_MIDDLES) + rng.choice(SURNAME_ENDINGS))
    return (f"{rng.choices(FIRST_NAMES, FIRST_NAME_WEIGHTS)[0]} {rng.choice(MIDDLE_INITIALS)}. "
            f"{surname}")


def _weighted_sample(rng: random.Random, items: tuple, weights: tuple, count: int) -> list:
    """`count` different items, each drawn by its weight among those not drawn yet."""
    pool, pool_weights, drawn = list(items), list(weights), []
    for _ in range(count):
        index = rng.choices(range(len(pool)), pool_weights)[0]
        drawn.append(pool.pop(index))
        pool_weights.pop(index)
    return drawn


def _surname(name: str) -> str:
    return name.split(". ", 1)[1] if ". " in name else name.rsplit(" ", 1)[-1]


def _misspelling(rng: random.Random, name: str) -> str:
    """Another spelling a careless article might use: no middle initial, or a letter dropped."""
    first, rest = name.split(" ", 1)
    surname = _surname(name)
    if rng.random() < 0.5:
        return f"{first} {surname}"
    letters = [i for i, c in enumerate(surname) if c.isalpha()][1:]
    if not letters:
        return f"{first} {surname}"
    drop = rng.choice(letters)
    return f"{first} {surname[:drop] + surname[drop + 1:]}"


def _count_words(counts: int) -> str:
    words = {1: "one count", 2: "two counts", 3: "three counts", 4: "four counts"}
    return words[counts]


def _amount_of(text: str) -> str:
    """The quantity inside a penalty's words ("18 months in prison" -> "18 months")."""
    words = text.split()
    if text.startswith("a $"):
        return words[1]
    if words[0].startswith("$"):
        return words[0]
    return f"{words[0]} {words[1]}"


def _article_file(case: int, n: int) -> str:
    return f"articles/{case // ARTICLES_PER_FOLDER:03d}/{case:06d}-{n}.txt"


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")


# -- the law: offenses of every jurisdiction ---------------------------------------------------

def law_records(jurisdictions: tuple[str, ...] = JURISDICTIONS
                ) -> tuple[str, dict[str, str], dict[tuple[str, str], str]]:
    """The offenses of every jurisdiction with their statutory bounds, cited from one digest
    article per jurisdiction: (TOML text, {article file: text}, {(jurisdiction, offense): id})."""
    records: list[Rec] = []
    articles: dict[str, str] = {}
    ids: dict[tuple[str, str], str] = {}
    for jurisdiction in jurisdictions:
        slug = _slug(jurisdiction)
        source = f"law-{slug}"
        file = f"articles/law/{slug}.txt"
        records.append(Rec("source", {"id": source, "file": file,
                                      "outlet": "Statute Digest",
                                      "headline": f"Criminal penalties in {jurisdiction}",
                                      "published": "2020",
                                      "basis": "year stated in the digest's title line"}))
        sentences = [f"Criminal penalties in {jurisdiction}", "Statute Digest | 2020"]
        for number, (name, offense_class, custody, maximum, fine) in enumerate(OFFENSES, 1):
            offense = f"{slug}-{_slug(name)}"
            ids[(jurisdiction, name)] = offense
            statute = f"{jurisdiction[:2].upper()} Stat. § {30 + number}-{number * 7 % 50 + 1}"
            line = f"In {jurisdiction}, {name} is a {offense_class} under {statute}."
            sentences.append(line)
            records.append(Rec("offense", {"id": offense, "name": name,
                                           "jurisdiction": jurisdiction, "class": offense_class,
                                           "statute": statute}, [(source, line)]))
            if custody:
                line = f"{name.capitalize()} carries up to {maximum} in {custody} in {jurisdiction}."
                sentences.append(line)
                records.append(Rec("penalty", {"id": f"{offense}-max-{custody}",
                                               "offense": offense, "kind": custody,
                                               "bound": "maximum", "amount": maximum},
                                   [(source, line)]))
            line = f"The maximum fine for {name} in {jurisdiction} is {fine}."
            sentences.append(line)
            records.append(Rec("penalty", {"id": f"{offense}-max-fine", "offense": offense,
                                           "kind": "fine", "bound": "maximum", "amount": fine},
                               [(source, line)]))
        articles[file] = "\n\n".join(sentences) + "\n"
    header = "# The offenses of every jurisdiction: generated by bench/corpus.py\n\n"
    return header + "\n".join(r.toml() for r in records), articles, ids


# -- the corpus -------------------------------------------------------------------------------

@dataclass
class CorpusStats:
    """What a generated corpus holds."""

    cases: int
    records: int = 0
    evidence: int = 0
    articles: int = 0
    files: int = 0


def generate(folder: Path | str, cases: int, seed: int = 0, *, start: int = 0,
             jurisdictions: int = len(JURISDICTIONS)) -> CorpusStats:
    """Write a curated folder of `cases` invented cases into `folder` (created if needed).

    Cases are numbered from `start`; with `start` > 0 only the files of cases from there on are
    written (the law file is always written), so a larger corpus can extend a smaller one.
    `jurisdictions` keeps the cases to the first N states: the offenses of all 50 are some
    3,700 records, a fixed cost that small corpora for tests can do without.
    """
    folder = Path(folder)
    (folder / "articles" / "law").mkdir(parents=True, exist_ok=True)
    states = JURISDICTIONS[:max(1, jurisdictions)]
    law, law_articles, offense_ids = law_records(states)
    _write(folder / "law.toml", law)
    for file, text in law_articles.items():
        _write(folder / file, text)
    stats = CorpusStats(cases, records=law.count("[["), evidence=law.count("{ source"),
                        articles=len(law_articles), files=1)
    first_chunk = start // CASES_PER_FILE
    for chunk in range(first_chunk, (cases + CASES_PER_FILE - 1) // CASES_PER_FILE):
        texts = []
        for number in range(chunk * CASES_PER_FILE, min(cases, (chunk + 1) * CASES_PER_FILE)):
            writer = CaseWriter(seed, number)
            writer.generate(offense_ids, states)
            texts.append(writer.toml())
            stats.records += len(writer.records)
            stats.evidence += sum(len(r.evidence) for r in writer.records)
            for article in writer.articles:
                path = folder / article.file
                path.parent.mkdir(parents=True, exist_ok=True)
                _write(path, article.text(writer.rng))
                stats.articles += 1
        _write(folder / "cases" / f"{chunk:05d}.toml", "\n".join(texts))
        stats.files += 1
    return stats


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # Bytes, with '\n' line ends on every platform: the same seed gives the same files.
    path.write_bytes(text.encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write a synthetic curated corpus.")
    parser.add_argument("folder", type=Path, help="where to write it (created if needed)")
    parser.add_argument("--cases", type=int, default=1000, help="number of cases (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--jurisdictions", type=int, default=len(JURISDICTIONS),
                        help=f"how many states the cases are spread over (default "
                             f"{len(JURISDICTIONS)}; fewer makes a small corpus cheaper)")
    args = parser.parse_args(argv)
    stats = generate(args.folder, args.cases, args.seed, jurisdictions=args.jurisdictions)
    print(f"{args.folder}: {stats.cases} cases, {stats.records} records, {stats.evidence} "
          f"evidence quotes, {stats.articles} articles, {stats.files} curated files",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
