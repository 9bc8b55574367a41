"""The curated Rust case, as it lands in a built store.

These tests read the store with plain SQL through the standard library's sqlite3, as a user of
the SQLite file with other tools would, and assert the facts the five articles state, at the
precision and the stage they state them: who was charged with what, the pleas, the verdict,
the sentence terms, statutory bounds, names and aliases, evidence on every fact and the
recorded disagreements; and that what no article states is marked as inferred.
"""

from __future__ import annotations

import sqlite3

import pytest

from casekb.schema.declaration import fact_tables

DAYS_PER_MONTH = 365.25 / 12


@pytest.fixture(scope="module")
def db(rust_db) -> sqlite3.Connection:
    """A read-only connection to the shared store built from the bundled seeds."""
    connection = sqlite3.connect(f"file:{rust_db}?mode=ro", uri=True)
    yield connection
    connection.close()


def rows(db: sqlite3.Connection, sql: str, *params) -> list[tuple]:
    return db.execute(sql, params).fetchall()


def charges_of(db, person_key: str) -> dict[str, tuple]:
    """charge key -> (offense key, counts, stage, filed, filed end, status, when reported)."""
    return {key: tuple(rest) for key, *rest in rows(db, """
        SELECT c.key, o.key, c.counts, c.stage, c.filed, c.filed_end, c.status,
               c.status_reported
        FROM charges c JOIN people p ON p.id = c.defendant_id
                       JOIN offenses o ON o.id = c.offense_id
        WHERE p.key = ?""", person_key)}


def inferred(db, table: str, key: str) -> set[str]:
    """The fields of a fact the curator marked inferred."""
    (marks,) = rows(db, f"SELECT inferred FROM {table} WHERE key = ?", key)[0]
    return set(marks.split(", ")) if marks else set()


# --- who was charged with what ------------------------------------------------------------

def test_the_three_defendants_and_no_one_else_were_charged(db):
    charged = {key for (key,) in rows(db, """
        SELECT DISTINCT p.key FROM charges c JOIN people p ON p.id = c.defendant_id""")}
    assert charged == {"alec-baldwin", "hannah-gutierrez-reed", "dave-halls"}
    defendants = {key for (key,) in rows(db, """
        SELECT p.key FROM roles r JOIN people p ON p.id = r.person_id
        WHERE r.role = 'defendant'""")}
    assert defendants == charged


def test_baldwin_two_counts_announced_in_january_2023_and_one_count_in_2024(db):
    assert charges_of(db, "alec-baldwin") == {
        # "a statement announcing the charges": announced, not known to be filed; pending as
        # last reported by the article of 30 January 2023.
        "baldwin-manslaughter-2023": ("nm-involuntary-manslaughter", 2, "announced",
                                      "2023-01-19", "2023-01-19", "pending", "2023-01-30"),
        # "earlier this year", in an article of March 2024: January 2024, inferred.
        "baldwin-manslaughter-2024": ("nm-involuntary-manslaughter", 1, "filed",
                                      "2024-01-01", "2024-01-31", "pending", "2024-03-09"),
    }
    assert "filed" in inferred(db, "charges", "baldwin-manslaughter-2024")
    # No article says what became of the two counts: the link to the one count of 2024 is
    # an inference, with its basis.
    assert rows(db, """
        SELECT r.key FROM charges c JOIN charges r ON r.id = c.replaces_id
        WHERE c.key = 'baldwin-manslaughter-2024'""") == [("baldwin-manslaughter-2023",)]
    assert "replaces" in inferred(db, "charges", "baldwin-manslaughter-2024")


def test_the_evidence_of_a_charge_states_the_charge(db):
    # Neither a line about an Instagram post nor "He wrote in January 2023" is evidence of
    # Baldwin's 2023 charge or of its counts.
    quotes = [quote for (quote,) in rows(db, """
        SELECT e.quote FROM evidence e JOIN charges c ON e.fact_table = 'charges'
        AND e.fact_id = c.id WHERE c.key = 'baldwin-manslaughter-2023'""")]
    assert quotes and not any("He wrote" in q or "Instagram" in q for q in quotes)
    assert any("charged with two counts of involuntary manslaughter" in q for q in quotes)


def test_only_baldwins_2023_charge_carries_the_firearm_enhancement(db):
    assert rows(db, """
        SELECT c.key, e.enhancement FROM charge_enhancements e
        JOIN charges c ON c.id = e.charge_id""") == [("baldwin-manslaughter-2023", "firearm")]


def test_gutierrez_reed_the_same_charges_in_2023_and_one_charge_in_2024(db):
    found = charges_of(db, "hannah-gutierrez-reed")
    assert found["gutierrez-reed-manslaughter-2023"] == (
        "nm-involuntary-manslaughter", 2, "announced", "2023-01-19", "2023-01-19", "pending",
        "2023-01-30")
    # "the same charges": two counts, inferred from Baldwin's.
    assert {"counts", "filed"} <= inferred(db, "charges", "gutierrez-reed-manslaughter-2023")
    offense, counts, stage, filed, filed_end, status, reported = \
        found["gutierrez-reed-manslaughter-2024"]
    assert (offense, counts, stage, status) == ("nm-involuntary-manslaughter", 1, "filed",
                                                 "convicted")
    # Not dated by any article: after the January 2023 announcement, and no later than her
    # plea of not guilty (itself on or before 5 March 2024), not the end of March that the
    # first article reporting it would give: the charge is not placed after her plea.
    assert (filed, filed_end) == ("2023-01-19", "2024-03-05")
    (plea_end,) = rows(db, "SELECT entered_end FROM pleas WHERE key = ?",
                       "gutierrez-reed-plea-not-guilty")[0]
    assert filed_end <= plea_end
    assert {"filed", "replaces"} <= inferred(db, "charges", "gutierrez-reed-manslaughter-2024")
    # As Baldwin's: the 2024 charge took the place of the 2023 ones (an inference), so the
    # 2023 charges are not shown in force beside her conviction.
    assert rows(db, """
        SELECT r.key FROM charges c JOIN charges r ON r.id = c.replaces_id
        WHERE c.key = 'gutierrez-reed-manslaughter-2024'""") == [
        ("gutierrez-reed-manslaughter-2023",)]


def test_halls_one_misdemeanour_count_of_negligent_use_of_a_deadly_weapon(db):
    # Article 003 (20 January 2023) reports him "facing charges", not a charge filed: the
    # filing is placed by his plea and sentence, which article 000 (March 2024) reports.
    assert charges_of(db, "dave-halls") == {
        "halls-negligent-use": ("nm-negligent-use-of-deadly-weapon", 1, "filed", "2023-01-19",
                                "2024-03-31", "convicted", "2024-03-07"),
    }
    assert {"stage", "filed"} <= inferred(db, "charges", "halls-negligent-use")
    assert rows(db, """
        SELECT name, jurisdiction, offense_class FROM offenses
        WHERE key = 'nm-negligent-use-of-deadly-weapon'""") == [
        ("negligent use of a deadly weapon", "New Mexico", "misdemeanor")]


def test_involuntary_manslaughter_has_no_stated_class(db):
    assert rows(db, """
        SELECT name, jurisdiction, offense_class FROM offenses
        WHERE key = 'nm-involuntary-manslaughter'""") == [
        ("involuntary manslaughter", "New Mexico", None)]


# --- pleas and verdicts -------------------------------------------------------------------

def test_both_reports_of_halls_plea_are_kept_at_their_stage(db):
    pleas = rows(db, """
        SELECT pl.key, pl.plea, pl.stage, pl.agreement FROM pleas pl
        JOIN charges c ON c.id = pl.charge_id WHERE c.key = 'halls-negligent-use'
        ORDER BY pl.key""")
    # "Halls has agreed to plead guilty" (2023) is a plea agreed, not entered; "previously
    # entered a plea of no contest" (2024) one entered in court.
    assert pleas == [
        ("halls-plea-guilty", "guilty", "agreed", 1),
        ("halls-plea-no-contest", "no contest", "entered", None),
    ]


def test_evidence_that_does_not_state_the_fact_is_not_cited_for_it(db):
    def quotes(table, key):
        return [quote for (quote,) in rows(db, f"""
            SELECT e.quote FROM evidence e JOIN {table} f ON e.fact_table = '{table}'
            AND e.fact_id = f.id WHERE f.key = ?""", key)]

    # "took a plea deal" (002) names no plea: not evidence of a plea of guilty, which rests
    # on "has agreed to plead guilty" alone, its agreement read from it (marked).
    assert not any("plea deal" in quote for quote in quotes("pleas", "halls-plea-guilty"))
    assert "agreement" in inferred(db, "pleas", "halls-plea-guilty")
    # Article 004 (2021) says no charges had been filed: no evidence of a defendant.
    assert not any("in charge of prop weapons" in quote
                   for quote in quotes("roles", "rust-defendant-hannah-gutierrez-reed"))
    # What 001 and 000 say of her alone is on her charge; the offense keeps what each count
    # "carries" (002), and 003's "Each charge" names no offense: marked.
    assert quotes("penalties", "nm-involuntary-manslaughter-max-jail") == [
        "two counts of involuntary manslaughter, which both carry a sentence of up to 18 "
        "months in jail"]
    assert "offense" in inferred(db, "penalties", "nm-involuntary-manslaughter-max-prison")


def test_baldwin_and_gutierrez_reed_pleaded_not_guilty(db):
    pleas = rows(db, """
        SELECT c.key, pl.plea, pl.entered, pl.entered_end, pl.entered_precision
        FROM pleas pl JOIN charges c ON c.id = pl.charge_id
        WHERE pl.plea = 'not guilty' ORDER BY c.key""")
    assert pleas == [
        ("baldwin-manslaughter-2024", "not guilty", "2024-01-01", "2024-01-31", "month"),
        # "despite having entered a not-guilty plea": before her verdict of 6 March 2024.
        ("gutierrez-reed-manslaughter-2024", "not guilty", "2023-01-19", "2024-03-05", "range"),
    ]


def test_a_jury_found_gutierrez_reed_guilty_on_wednesday_6_march_2024(db):
    verdicts = rows(db, """
        SELECT v.key, v.outcome, v.decided_by, v.decided, v.decided_precision, v.findings
        FROM verdicts v JOIN charges c ON c.id = v.charge_id
        JOIN people p ON p.id = c.defendant_id WHERE p.key = 'hannah-gutierrez-reed'""")
    (key, outcome, by, decided, precision, findings), = verdicts
    assert (outcome, by, decided, precision) == ("guilty", "jury", "2024-03-06", "day")
    # "On Wednesday", in the week of an article that embeds tweets of 9 March: inferred.
    assert "decided" in inferred(db, "verdicts", key)
    # The jury's findings, in the article's words (not a note).
    assert findings.startswith("Hutchins' sad death was a \"foreseeable\" result")
    # A tweet's date line is never evidence of a court event.
    quotes = [quote for (quote,) in rows(db, """
        SELECT quote FROM evidence WHERE fact_table = 'verdicts' AND fact_id = (
            SELECT id FROM verdicts WHERE key = ?)""", key)]
    assert "March 9, 2024" not in quotes and all(len(q.split()) > 4 for q in quotes)
    history = rows(db, """
        SELECT s.status, s.date, s.reported FROM charge_statuses s
        JOIN charges c ON c.id = s.charge_id
        WHERE c.key = 'gutierrez-reed-manslaughter-2024'""")
    assert history == [("convicted", "2024-03-06", "2024-03-09")]


def test_halls_was_convicted_on_his_plea_and_baldwin_has_no_verdict(db):
    verdicts = rows(db, """
        SELECT p.key, v.outcome, v.decided_by FROM verdicts v
        JOIN charges c ON c.id = v.charge_id JOIN people p ON p.id = c.defendant_id
        ORDER BY p.key""")
    assert verdicts == [("dave-halls", "convicted", "plea"),
                        ("hannah-gutierrez-reed", "guilty", "jury")]
    # No article says "convicted" of Halls: derived from his plea and sentence, and marked.
    assert "outcome" in inferred(db, "verdicts", "halls-verdict-convicted")


# --- sentences and penalties --------------------------------------------------------------

def components(db, sentence_key: str) -> dict[str, tuple]:
    """kind -> (bound, amount value, unit, text, suspended, unsupervised) of a sentence."""
    found = rows(db, """
        SELECT pe.kind, pe.bound, pe.amount_value, pe.amount_unit, pe.amount_text,
               pe.suspended, pe.unsupervised
        FROM penalties pe JOIN sentences s ON s.id = pe.sentence_id WHERE s.key = ?""",
                 sentence_key)
    by_kind = {kind: tuple(rest) for kind, *rest in found}
    assert len(by_kind) == len(found), "one component of each kind"
    return by_kind


def test_halls_sentence_as_reported_in_2024(db):
    parts = components(db, "halls-sentence")
    assert set(parts) == {"suspended sentence", "probation", "fine", "community service", "class"}
    _, value, unit, text, suspended, unsupervised = parts["suspended sentence"]
    assert (unit, text, suspended, unsupervised) == ("days", "six months", 1, 0)
    assert value == pytest.approx(6 * DAYS_PER_MONTH)
    assert parts["probation"] == ("imposed", None, None, None, 0, 1)
    assert parts["fine"] == ("imposed", 50000, "cents", "$500", 0, 0)
    assert parts["community service"] == ("imposed", 24, "hours", "24 hours", 0, 0)
    assert parts["class"] == ("imposed", None, None, None, 0, 0)
    assert all(bound == "imposed" for bound, *_ in parts.values())


def test_halls_plea_deal_as_reported_in_2023_was_six_months_of_probation_agreed(db):
    # "took a plea deal ... He will serve six months of probation": terms agreed, not imposed.
    assert rows(db, "SELECT stage FROM sentences WHERE key = 'halls-sentence-plea-deal'") == [
        ("agreed",)]
    assert rows(db, "SELECT stage FROM sentences WHERE key = 'halls-sentence'") == [
        ("imposed",)]
    parts = components(db, "halls-sentence-plea-deal")
    assert list(parts) == ["probation"]
    bound, value, unit, text, suspended, unsupervised = parts["probation"]
    assert (bound, unit, text, suspended) == ("imposed", "days", "six months", 0)
    assert value == pytest.approx(6 * DAYS_PER_MONTH)
    assert unsupervised == 0  # not stated either way


def test_statutory_maximums_of_involuntary_manslaughter(db):
    bounds = rows(db, """
        SELECT pe.kind, pe.bound, pe.amount_value, pe.amount_unit FROM penalties pe
        JOIN offenses o ON o.id = pe.offense_id
        WHERE o.key = 'nm-involuntary-manslaughter' ORDER BY pe.kind""")
    assert [(kind, bound, unit) for kind, bound, _, unit in bounds] == [
        ("jail", "maximum", "days"), ("prison", "maximum", "days")]
    jail, prison = (value for *_, value, _ in bounds)
    assert jail == prison == pytest.approx(18 * DAYS_PER_MONTH)


def test_the_5000_punishment_she_is_subject_to_is_no_maximum_fine(db):
    # "She is subject to a $5,000 punishment": of unstated kind and bound, and hers alone;
    # the "maximum of 18 months in jail" of the same sentence, hers alone too.
    assert sorted(rows(db, """
        SELECT c.key, pe.kind, pe.bound, pe.amount_value FROM penalties pe
        JOIN charges c ON c.id = pe.charge_id""")) == [
        ("gutierrez-reed-manslaughter-2024", "jail", "maximum", pytest.approx(1.5 * 365.25)),
        ("gutierrez-reed-manslaughter-2024", "unstated", "unstated", 500000)]
    assert rows(db, "SELECT count(*) FROM penalties WHERE kind = 'fine' AND bound = 'maximum'"
                ) == [(0,)]


def test_firearm_enhancement_mandatory_minimum_of_five_years_belongs_to_the_enhancement(db):
    assert rows(db, """
        SELECT c.key, e.enhancement, pe.kind, pe.bound, pe.mandatory, pe.amount_value,
               pe.amount_unit
        FROM penalties pe JOIN charge_enhancements e ON e.id = pe.enhancement_id
        JOIN charges c ON c.id = e.charge_id""") == [
        ("baldwin-manslaughter-2023", "firearm", "imprisonment", "minimum", 1,
         pytest.approx(5 * 365.25), "days")]


def test_gutierrez_reed_has_not_been_sentenced(db):
    assert rows(db, """
        SELECT DISTINCT p.key FROM sentences s JOIN charges c ON c.id = s.charge_id
        JOIN people p ON p.id = c.defendant_id""") == [("dave-halls",)]


# --- people, names and aliases ------------------------------------------------------------

@pytest.mark.parametrize("alias, person", [
    ("Dave Halls", "dave-halls"),
    ("Halls", "dave-halls"),
    ("Hannah Gutierrez Reed", "hannah-gutierrez-reed"),
    ("Gutierrez-Reed", "hannah-gutierrez-reed"),
    ("gutierrez reed", "hannah-gutierrez-reed"),
    ("Balwin", "alec-baldwin"),
    ("BALDWIN", "alec-baldwin"),
    ("Rourke", "mickey-rourke"),
    ("Mickey", "mickey-rourke"),
    ("Alec", "alec-baldwin"),
    ("Hutchins", "halyna-hutchins"),
    ("Stephanopolous", "george-stephanopolous"),
])
def test_alias_resolves_to_one_person(db, alias, person):
    found = rows(db, """
        SELECT p.key FROM person_aliases a JOIN people p ON p.id = a.person_id
        WHERE a.alias_folded = ?""", alias.casefold())
    assert found == [(person,)]


def test_reed_alone_is_no_ones_alias(db):
    # "Reed" fits both Hannah Gutierrez-Reed and special prosecutor Andrea Reed.
    assert rows(db, "SELECT alias FROM person_aliases WHERE alias_folded = 'reed'") == []


def test_names_are_the_fullest_spellings_the_articles_use(db):
    names = dict(rows(db, "SELECT key, name FROM people"))
    assert names["hannah-gutierrez-reed"] == "Hannah Gutierrez-Reed"
    assert names["dave-halls"] == "David Halls"  # article 003; "Dave Halls" is an alias
    assert names["halyna-hutchins"] == "Halyna Hutchins"
    assert names["mickey-rourke"] == "Mickey Rourke"


def test_case_and_its_alias(db):
    assert rows(db, """
        SELECT key, title, jurisdiction, incident, incident_precision FROM cases""") == [
        ("rust", "Rust film set shooting", "New Mexico", "2021-10-21", "day")]
    # No article names the jurisdiction in words: inferred from the prosecutors and the set.
    assert "jurisdiction" in inferred(db, "cases", "rust")
    assert rows(db, """
        SELECT c.key FROM case_aliases a JOIN cases c ON c.id = a.case_id
        WHERE a.alias_folded = 'rust'""") == [("rust",)]


def test_roles_and_titles(db):
    roles = set(rows(db, """
        SELECT p.key, r.role, r.title FROM roles r JOIN people p ON p.id = r.person_id"""))
    assert {
        ("alec-baldwin", "defendant", "actor"),
        ("hannah-gutierrez-reed", "defendant", "armorer"),
        ("dave-halls", "defendant", "first assistant director"),
        ("halyna-hutchins", "victim", "cinematographer"),
        ("andrea-reed", "prosecutor", "special prosecutor"),
        ("luke-nikas", "defence counsel", "attorney"),
        ("george-stephanopolous", "interviewer", None),
        ("mickey-rourke", "possible witness", None),
    } <= roles
    witnesses = {person for person, role, _ in roles if role == "possible witness"}
    assert witnesses == {"mickey-rourke", "frances-fisher", "debra-messing", "dj-qualls"}


# --- statements and timeline --------------------------------------------------------------

def test_rourke_defended_baldwin_on_instagram_on_19_january_2023(db):
    said = rows(db, """
        SELECT s.said, s.said_precision, s.stance FROM statements s
        JOIN people sp ON sp.id = s.speaker_id
        JOIN statement_subjects ss ON ss.statement_id = s.id
        JOIN people ab ON ab.id = ss.person_id
        WHERE sp.key = 'mickey-rourke' AND ab.key = 'alec-baldwin' AND s.medium = 'Instagram'""")
    assert len(said) >= 3
    assert set(said) == {("2023-01-19", "day", "supportive")}


def test_words_of_a_group_or_an_unnamed_person_are_not_given_to_someone_named(db):
    # "Baldwin's lawyers told The Independent: ... We will fight these charges" (003).
    assert rows(db, """
        SELECT p.key, p.kind FROM statements s JOIN people p ON p.id = s.speaker_id
        WHERE instr(s.quote, 'We will fight these charges') > 0""") == [
        ("baldwins-lawyers", "group")]
    kinds = dict(rows(db, "SELECT key, kind FROM people"))
    assert kinds["hutchins-family"] == "group"
    assert kinds["twitter-user-single-action-revolver"] == "unnamed"
    # A statement about several people: the condolences to Hutchins and to her family.
    about = rows(db, """
        SELECT p.key FROM statements s JOIN statement_subjects ss ON ss.statement_id = s.id
        JOIN people p ON p.id = ss.person_id WHERE instr(s.quote, 'deepest condolences') > 0
        ORDER BY ss.id""")
    assert about == [("halyna-hutchins",), ("hutchins-family",)]


def test_every_statement_has_a_speaker_and_a_known_stance(db):
    assert rows(db, """
        SELECT key FROM statements WHERE speaker_id IS NULL OR quote = ''
        OR (stance IS NOT NULL AND stance NOT IN ('supportive', 'critical', 'neutral'))""") == []
    speakers = {key for (key,) in rows(db, """
        SELECT DISTINCT p.key FROM statements s JOIN people p ON p.id = s.speaker_id""")}
    assert {"mickey-rourke", "alec-baldwin", "frances-fisher", "andrea-reed",
            "mary-carmack-altwies", "luke-nikas"} <= speakers


# Every passage the articles quote from a named speaker, by a phrase of it: each is a statement
# of that speaker, so "who said what" questions find all of them.
QUOTED_PASSAGES = {
    "mickey-rourke": [
        "Whatever Alec needs", "The armorer is 100% responsible", "never put my two cents in",
        "Most actors don't know anything about guns", "To have an expert around any type",
        "option of dry firing the gun", "should Alec Baldwin be blamed",
        "charging Baldwin with this responsibility", "already suffering enough",
        "deepest condolences", "handed a gun by somebody else", "dry fire the gun up to six",
        "do it 12 more times", "feel so bad for the girl", "not his fault at all",
        "gun should have been tested", "Why? That is bullsh**.",
    ],
    "frances-fisher": ["should STFU", "Who put a live round in the gun?", "NO investigation"],
    "mary-carmack-altwies": ["no one is above the law"],
    "andrea-reed": ["pattern of criminal disregard for safety"],
    "luke-nikas": ["terrible miscarriage of justice"],
    "baldwins-lawyers": ["We will fight these charges", "no reason to believe"],
    "alec-baldwin": [
        "The trigger wasn't pulled", "It wasn't in the script",
        "I would never point a gun at anyone", "handed an empty gun", "did she faint?",
        "was not ever reality", "I have no idea", "supposed to be on the property",
        "someone is responsible for what happened", "But I know it's not me.",
        "I might have killed myself",
    ],
    "george-stephanopolous": ["So you never pulled the trigger?"],
    "michael-rye": ["'Rust' armorer found guilty"],
    "xdex9": ["Still on trial for murder?"],
}


@pytest.mark.parametrize("speaker, phrase", [
    (speaker, phrase) for speaker, phrases in QUOTED_PASSAGES.items() for phrase in phrases])
def test_every_quoted_passage_is_a_statement_of_its_speaker(db, speaker, phrase):
    found = rows(db, """
        SELECT s.key FROM statements s JOIN people p ON p.id = s.speaker_id
        WHERE p.key = ? AND instr(s.quote, ?) > 0""", speaker, phrase)
    assert len(found) == 1, found


def test_undated_events_are_placed_by_what_the_articles_say(db):
    events = dict((key, rest) for key, *rest in rows(db, """
        SELECT key, kind, date, date_end, derived FROM events WHERE key IN (
            'halls-plea-deal', 'halls-pleads-no-contest', 'halls-sentenced',
            'gutierrez-reed-pleads-not-guilty', 'baldwin-first-interview')"""))
    # "In the weeks since Halyna Hutchins was killed": after the shooting, before article 004.
    assert events["baldwin-first-interview"] == ["interview", "2021-10-22", "2023-01-19",
                                                 "date.latest"]
    # The deal reported on 20 January 2023 comes before every 2024 event.
    assert events["halls-plea-deal"] == ["plea agreement", "2021-10-22", "2023-01-20",
                                         "date.latest"]
    # Her not-guilty plea came before her verdict of 6 March 2024.
    assert events["gutierrez-reed-pleads-not-guilty"][1:3] == ["2023-01-19", "2024-03-05"]


def test_timeline_milestones(db):
    events = rows(db, """
        SELECT e.kind, e.stage, e.date, e.date_precision FROM events e
        JOIN cases c ON c.id = e.case_id WHERE c.key = 'rust'""")
    assert ("incident", "held", "2021-10-21", "day") in events
    assert ("charges announced", "held", "2023-01-19", "day") in events
    assert ("verdict", "held", "2024-03-06", "day") in events
    assert ("plea", "held", "2024-01-01", "month") in events
    # "On July 10, his trial is set to begin in Santa Fe, New Mexico" (001): scheduled.
    assert ("trial", "scheduled", "2024-07-10", "day") in events
    # "Later this year, at a sentencing hearing" (001): expected, not held.
    assert ("sentencing", "expected", "2024-03-09", "range") in events


def test_sources_carry_only_the_metadata_that_was_established(db):
    sources = {key: tuple(rest) for key, *rest in rows(db, """
        SELECT key, outlet, headline, published, published_precision FROM sources""")}
    assert sources["independent-2023-01-20"] == (
        "The Independent", None, "2023-01-20", "day")
    assert sources["bang-showbiz-2024-03"] == (
        "Bang Showbiz", "Mickey Rourke offers to testify for Alec Baldwin", "2024-03-07", "range")
    # Article 001 embeds tweets of 9 March 2024: it was published no earlier.
    assert sources["baldwin-allies-2024-03"] == (None, None, "2024-03-09", "range")
    assert sources["baldwin-interview-2021"] == (None, None, "2021-10-22", "range")
    assert len(sources) == 5


# --- evidence and disputes ----------------------------------------------------------------

FACT_TABLES = sorted(fact_tables())


@pytest.mark.parametrize("table", FACT_TABLES)
def test_every_fact_row_has_evidence(db, table):
    unsupported = rows(db, f"""
        SELECT t.id FROM {table} t WHERE NOT EXISTS (
            SELECT 1 FROM evidence e WHERE e.fact_table = ? AND e.fact_id = t.id)""", table)
    assert unsupported == []
    assert rows(db, f"SELECT count(*) FROM {table}")[0][0] > 0


def test_evidence_quotes_are_non_empty_and_point_at_a_source(db):
    assert rows(db, """
        SELECT e.id FROM evidence e LEFT JOIN sources s ON s.id = e.source_id
        WHERE s.id IS NULL OR trim(e.quote) = ''""") == []


def test_facts_stated_by_several_articles_cite_each_of_them(db):
    cited = rows(db, """
        SELECT count(DISTINCT e.source_id) FROM evidence e JOIN events ev ON ev.id = e.fact_id
        WHERE e.fact_table = 'events' AND ev.kind = 'incident'""")
    assert cited == [(5,)]


def test_every_dispute_lists_at_least_two_existing_claims(db):
    disputes = rows(db, """
        SELECT d.key, count(dc.id) FROM disputes d
        LEFT JOIN dispute_claims dc ON dc.dispute_id = d.id GROUP BY d.id""")
    assert disputes and all(n >= 2 for _, n in disputes), disputes
    for table, fact_id in rows(db, "SELECT fact_table, fact_id FROM dispute_claims"):
        assert table in FACT_TABLES
        assert rows(db, f"SELECT count(*) FROM {table} WHERE id = ?", fact_id) == [(1,)]


def test_the_known_disagreements_are_recorded(db):
    def claimed(dispute_key):
        found = set()
        for table, fact_id in rows(db, """
                SELECT dc.fact_table, dc.fact_id FROM dispute_claims dc
                JOIN disputes d ON d.id = dc.dispute_id WHERE d.key = ?""", dispute_key):
            assert table in FACT_TABLES
            found |= {key for (key,) in rows(db, f"SELECT key FROM {table} WHERE id = ?",
                                            fact_id)}
        return found

    assert claimed("baldwin-counts") == {"baldwin-manslaughter-2023", "baldwin-manslaughter-2024"}
    assert claimed("gutierrez-reed-counts") == {
        "gutierrez-reed-manslaughter-2023", "gutierrez-reed-manslaughter-2024"}
    assert claimed("halls-plea") == {"halls-plea-guilty", "halls-plea-no-contest"}
    assert {"halls-sentence", "halls-sentence-plea-deal"} <= claimed("halls-sentence")
    assert claimed("involuntary-manslaughter-custody") == {
        "nm-involuntary-manslaughter-max-jail", "gutierrez-reed-manslaughter-2024-max-jail",
        "nm-involuntary-manslaughter-max-prison"}
