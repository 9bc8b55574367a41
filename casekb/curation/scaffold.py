"""`casekb init DIR`: a new curated data folder with a small, documented example.

The example is an invented case in an invented newspaper article. Every record kind appears
once, with comments explaining it, and the folder passes `casekb check` as created, so a
curator can copy and adapt records from it. The format is described in full in the
schema/curation.md document that ships with casekb.
"""

from __future__ import annotations

from pathlib import Path

from casekb.errors import CaseKBError

ARTICLE_FILE = "articles/example-gazette-2024-03-01.txt"

ARTICLE = """\
Exampleton man pleads guilty to reckless driving

By Gazette staff | The Example Gazette | March 1, 2024

EXAMPLETON \u2014 John Q. Sample, 42, pleaded guilty on Thursday to one count of reckless \
driving over a crash on Main Street in June 2023 that injured a cyclist.

Prosecutors charged Sample in August 2023 with reckless driving, a misdemeanor that carries \
a maximum penalty of 90 days in jail, and with leaving the scene of an accident. The second \
charge was dismissed as part of a plea agreement. The reckless driving charge carried a \
repeat-offender enhancement.

Judge Maria Example sentenced Sample to 12 months of probation, a $500 fine and 40 hours of \
community service.

\u201cI am sorry for what happened,\u201d Sample told the court.

The cyclist, Alex Rider, said after the hearing: \u201cI am glad this is over.\u201d

An earlier Gazette report, which spelled the defendant's name Jon Sample, gave the date of \
the crash as July 2, 2023; court papers say the crash happened on June 2, 2023.
"""

SOURCES_TOML = f"""\
# One [[source]] per article in articles/. Articles are kept byte for byte as published;
# every quote in the evidence of a record must occur verbatim in its source's article.

[[source]]
id = "gazette-2024-03-01"              # how evidence refers to this article
file = "{ARTICLE_FILE}"
outlet = "The Example Gazette"
headline = "Exampleton man pleads guilty to reckless driving"
published = "2024-03-01"               # a day; write "2024-03" or "2024" when less is known
basis = "outlet, headline and date stated in the article's by-line"
note = "An invented article, part of the example made by `casekb init`."
"""

CASE_TOML = """\
# An example case. Every record has an `id` (lower case, unique among records of its kind)
# and, except sources and disputes, `evidence`: one or more {source, quote} pairs whose quote
# occurs verbatim in the article (curly quotes, dashes and white space are normalised,
# nothing else). `note` is free text for the curator. Dates are "YYYY-MM-DD", "YYYY-MM" or
# "YYYY": only as precise as the article; or bounds, { earliest = "...", latest = "..." },
# for a date the article places without giving it. A value the article does not state in
# words is marked, with the reasoning: inferred.FIELD = "basis". A fact without a date gets
# its latest day from the article's publication when the store is built. See
# schema/curation.md for every field.

# A case: one prosecution, or a group of prosecutions from one incident.
[[case]]
id = "sample-crash"
title = "Main Street crash"
jurisdiction = "Example State"
incident = "2023-06-02"
summary = "A driver is prosecuted for a crash that injured a cyclist."
evidence = [
  { source = "gazette-2024-03-01", quote = "court papers say the crash happened on June 2, 2023" },
]

# People named in the articles, under the fullest correct spelling.
[[person]]
id = "john-sample"
name = "John Q. Sample"
evidence = [{ source = "gazette-2024-03-01", quote = "John Q. Sample, 42" }]

[[person]]
id = "alex-rider"
name = "Alex Rider"
evidence = [{ source = "gazette-2024-03-01", quote = "The cyclist, Alex Rider" }]

[[person]]
id = "maria-example"
name = "Maria Example"
evidence = [{ source = "gazette-2024-03-01", quote = "Judge Maria Example" }]

# Other spellings an article uses, so that searches by any of them find the person.
# An alias belongs to exactly one person or one case.
[[alias]]
id = "jon-sample"
person = "john-sample"
name = "Jon Sample"
note = "A misspelling in an earlier report."
evidence = [{ source = "gazette-2024-03-01", quote = "spelled the defendant's name Jon Sample" }]

# Roles: a person's part in a case (see the ROLES vocabulary), with an optional title.
[[role]]
id = "sample-defendant"
case = "sample-crash"
person = "john-sample"
role = "defendant"
evidence = [{ source = "gazette-2024-03-01", quote = "John Q. Sample, 42, pleaded guilty" }]

[[role]]
id = "rider-victim"
case = "sample-crash"
person = "alex-rider"
role = "victim"
title = "cyclist"
evidence = [{ source = "gazette-2024-03-01", quote = "The cyclist, Alex Rider" }]

[[role]]
id = "example-judge"
case = "sample-crash"
person = "maria-example"
role = "judge"
evidence = [{ source = "gazette-2024-03-01", quote = "Judge Maria Example sentenced Sample" }]

# Offenses: crimes as a jurisdiction defines them; class is felony, misdemeanor, ...
[[offense]]
id = "ex-reckless-driving"
name = "reckless driving"
jurisdiction = "Example State"
class = "misdemeanor"
evidence = [{ source = "gazette-2024-03-01", quote = "reckless driving, a misdemeanor" }]

[[offense]]
id = "ex-leaving-the-scene"
name = "leaving the scene of an accident"
jurisdiction = "Example State"
evidence = [{ source = "gazette-2024-03-01", quote = "leaving the scene of an accident" }]

# Penalties: statutory bounds (maximum, minimum) belong to an offense or a charge; the
# components of a sentence are penalties with bound "imposed" (see sentence below).
[[penalty]]
id = "ex-reckless-driving-max-jail"
offense = "ex-reckless-driving"
kind = "jail"
bound = "maximum"
amount = "90 days"
evidence = [{ source = "gazette-2024-03-01", quote = "a maximum penalty of 90 days in jail" }]

# Charges: a defendant, an offense, the number of counts, when filed and closed.
[[charge]]
id = "sample-reckless-driving"
case = "sample-crash"
defendant = "john-sample"
offense = "ex-reckless-driving"
counts = 1
filed = "2023-08"
evidence = [
  { source = "gazette-2024-03-01", quote = "Prosecutors charged Sample in August 2023 with reckless driving" },
  { source = "gazette-2024-03-01", quote = "one count of reckless driving" },
]

[[charge]]
id = "sample-leaving-the-scene"
case = "sample-crash"
defendant = "john-sample"
offense = "ex-leaving-the-scene"
filed = "2023-08"
closed = "2024-02-29"
inferred.closed = "Dismissed 'as part of a plea agreement': on the day of the plea, the article's Thursday before March 1, 2024."
evidence = [
  { source = "gazette-2024-03-01", quote = "and with leaving the scene of an accident" },
]

# Enhancements: additions to a charge that raise the possible sentence ("firearm").
[[enhancement]]
id = "sample-reckless-driving-repeat-offender"
charge = "sample-reckless-driving"
enhancement = "repeat offender"
evidence = [{ source = "gazette-2024-03-01", quote = "The reckless driving charge carried a repeat-offender enhancement." }]

# Status history: a charge's status from a date on; its current status is the latest.
[[status]]
id = "sample-leaving-the-scene-dismissed"
charge = "sample-leaving-the-scene"
status = "dismissed"
date = "2024-02-29"
inferred.date = "On the day of the plea: the article's Thursday before March 1, 2024."
evidence = [{ source = "gazette-2024-03-01", quote = "The second charge was dismissed as part of a plea agreement." }]

[[status]]
id = "sample-reckless-driving-convicted"
charge = "sample-reckless-driving"
status = "convicted"
date = "2024-02-29"
inferred.date = "On the day of the plea: the article's Thursday before March 1, 2024."
evidence = [{ source = "gazette-2024-03-01", quote = "pleaded guilty on Thursday to one count of reckless driving" }]

# Pleas: guilty, not guilty or no contest; `agreement` when part of a plea agreement;
# `stage` is "entered" (in court, the default) or "agreed" (in a deal, not yet in court).
[[plea]]
id = "sample-plea-guilty"
charge = "sample-reckless-driving"
plea = "guilty"
entered = "2024-02-29"
agreement = true
inferred.entered = "The article, dated Friday March 1, 2024, says the plea came on Thursday."
evidence = [
  { source = "gazette-2024-03-01", quote = "pleaded guilty on Thursday to one count of reckless driving" },
  { source = "gazette-2024-03-01", quote = "as part of a plea agreement" },
]

# Verdicts (dispositions): the outcome, when, and who decided (jury, judge, plea).
[[verdict]]
id = "sample-convicted"
charge = "sample-reckless-driving"
outcome = "convicted"
decided = "2024-02-29"
inferred.decided = "On the day of the plea: the article's Thursday before March 1, 2024."
by = "plea"
evidence = [{ source = "gazette-2024-03-01", quote = "pleaded guilty on Thursday" }]

# A sentence on a charge, and its components as penalties with bound "imposed".
[[sentence]]
id = "sample-sentence"
charge = "sample-reckless-driving"
summary = "12 months of probation, a $500 fine and 40 hours of community service"
evidence = [{ source = "gazette-2024-03-01", quote = "Judge Maria Example sentenced Sample to 12 months of probation" }]

[[penalty]]
id = "sample-sentence-probation"
sentence = "sample-sentence"
kind = "probation"
bound = "imposed"
amount = "12 months"
evidence = [{ source = "gazette-2024-03-01", quote = "12 months of probation" }]

[[penalty]]
id = "sample-sentence-fine"
sentence = "sample-sentence"
kind = "fine"
bound = "imposed"
amount = "$500"
evidence = [{ source = "gazette-2024-03-01", quote = "a $500 fine" }]

[[penalty]]
id = "sample-sentence-service"
sentence = "sample-sentence"
kind = "community service"
bound = "imposed"
amount = "40 hours"
evidence = [{ source = "gazette-2024-03-01", quote = "40 hours of community service" }]

# Events: the case's timeline (see EVENT_KINDS). Where two reports disagree, keep both
# claims as records, each with its evidence, and list them in a dispute (below).
[[event]]
id = "sample-crash-june"
case = "sample-crash"
date = "2023-06-02"
kind = "incident"
description = "The crash on Main Street, as dated by court papers."
evidence = [{ source = "gazette-2024-03-01", quote = "court papers say the crash happened on June 2, 2023" }]

[[event]]
id = "sample-crash-july"
case = "sample-crash"
date = "2023-07-02"
kind = "incident"
description = "The crash on Main Street, as dated by an earlier report."
evidence = [{ source = "gazette-2024-03-01", quote = "gave the date of the crash as July 2, 2023" }]

[[event]]
id = "sample-plea-hearing"
case = "sample-crash"
date = "2024-02-29"
inferred.date = "On the day of the plea: the article's Thursday before March 1, 2024."
kind = "plea"
description = "Sample pleads guilty to reckless driving."
evidence = [{ source = "gazette-2024-03-01", quote = "pleaded guilty on Thursday" }]

# Statements: on-record words of a person (the quote must occur in an evidence article),
# with a stance toward `about` (or toward the prosecution when `about` is empty).
[[statement]]
id = "sample-apology"
case = "sample-crash"
speaker = "john-sample"
about = "alex-rider"
date = "2024-02-29"
inferred.date = "On the day of the plea: the article's Thursday before March 1, 2024."
medium = "in court"
quote = "I am sorry for what happened"
evidence = [{ source = "gazette-2024-03-01", quote = "\u201cI am sorry for what happened,\u201d Sample told the court." }]

[[statement]]
id = "rider-relief"
case = "sample-crash"
speaker = "alex-rider"
date = "2024-02-29"
inferred.date = "On the day of the plea: the article's Thursday before March 1, 2024."
stance = "neutral"
quote = "I am glad this is over."
evidence = [{ source = "gazette-2024-03-01", quote = "said after the hearing: \\"I am glad this is over.\\"" }]

# Disputes: the sources disagree; each claim stays a record with its own evidence.
[[dispute]]
id = "sample-crash-date"
case = "sample-crash"
subject = "the date of the crash"
claims = ["event:sample-crash-june", "event:sample-crash-july"]
"""


def init_folder(folder: Path | str) -> list[Path]:
    """Create a curated data folder with the example; refuse a folder that is not empty.

    Returns the files written.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise CaseKBError(f"{folder} exists and is not a folder")
    if folder.is_dir() and any(folder.iterdir()):
        raise CaseKBError(f"{folder} is not empty; `casekb init` only fills a new or empty folder",
                          hints=["choose a new folder name"])
    files = {
        ARTICLE_FILE: ARTICLE,
        "sources.toml": SOURCES_TOML,
        "example/case.toml": CASE_TOML,
    }
    written = []
    try:
        for rel, text in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    except OSError as error:
        raise CaseKBError(f"cannot create {folder}: {error.strerror or error}") from None
    return written
