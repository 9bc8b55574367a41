"""The curated Rust case, as it lands in a built store.

These tests read the store with plain SQL through the standard library's sqlite3, as a user of
the SQLite file with other tools would, and assert the facts the five articles state: who was
charged with what, the pleas, the verdict, the sentence terms, statutory bounds, names and
aliases, evidence on every fact and the recorded disagreements.
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
    """charge key -> (offense key, counts, filed, filed precision, status) for one defendant."""
    return {key: tuple(rest) for key, *rest in rows(db, """
        SELECT c.key, o.key, c.counts, c.filed, c.filed_precision, c.status
        FROM charges c JOIN people p ON p.id = c.defendant_id
                       JOIN offenses o ON o.id = c.offense_id
        WHERE p.key = ?""", person_key)}


# --- who was charged with what ------------------------------------------------------------

def test_the_three_defendants_and_no_one_else_were_charged(db):
    charged = {key for (key,) in rows(db, """
        SELECT DISTINCT p.key FROM charges c JOIN people p ON p.id = c.defendant_id""")}
    assert charged == {"alec-baldwin", "hannah-gutierrez-reed", "dave-halls"}
    defendants = {key for (key,) in rows(db, """
        SELECT p.key FROM roles r JOIN people p ON p.id = r.person_id
        WHERE r.role = 'defendant'""")}
    assert defendants == charged


def test_baldwin_two_counts_in_january_2023_and_one_count_in_2024(db):
    assert charges_of(db, "alec-baldwin") == {
        "baldwin-manslaughter-2023":
            ("nm-involuntary-manslaughter", 2, "2023-01-19", "day", "pending"),
        "baldwin-manslaughter-2024":
            ("nm-involuntary-manslaughter", 1, "2024-01-01", "month", "pending"),
    }


def test_only_baldwins_2023_charge_carries_the_firearm_enhancement(db):
    assert rows(db, """
        SELECT c.key, e.enhancement FROM charge_enhancements e
        JOIN charges c ON c.id = e.charge_id""") == [("baldwin-manslaughter-2023", "firearm")]


def test_gutierrez_reed_the_same_charges_in_2023_and_one_charge_in_2024(db):
    assert charges_of(db, "hannah-gutierrez-reed") == {
        "gutierrez-reed-manslaughter-2023":
            ("nm-involuntary-manslaughter", 2, "2023-01-01", "month", "pending"),
        "gutierrez-reed-manslaughter-2024":
            ("nm-involuntary-manslaughter", 1, None, None, "convicted"),
    }


def test_halls_one_misdemeanour_count_of_negligent_use_of_a_deadly_weapon(db):
    assert charges_of(db, "dave-halls") == {
        "halls-negligent-use":
            ("nm-negligent-use-of-deadly-weapon", 1, "2023-01-01", "month", "convicted"),
    }
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

def test_both_reports_of_halls_plea_are_kept(db):
    pleas = rows(db, """
        SELECT pl.key, pl.plea, pl.agreement, pl.entered FROM pleas pl
        JOIN charges c ON c.id = pl.charge_id WHERE c.key = 'halls-negligent-use'
        ORDER BY pl.key""")
    assert pleas == [
        ("halls-plea-guilty", "guilty", 1, None),
        ("halls-plea-no-contest", "no contest", None, None),
    ]


def test_baldwin_and_gutierrez_reed_pleaded_not_guilty(db):
    pleas = rows(db, """
        SELECT c.key, pl.plea, pl.entered, pl.entered_end, pl.entered_precision
        FROM pleas pl JOIN charges c ON c.id = pl.charge_id
        WHERE pl.plea = 'not guilty' ORDER BY c.key""")
    assert pleas == [
        ("baldwin-manslaughter-2024", "not guilty", "2024-01-01", "2024-01-31", "month"),
        ("gutierrez-reed-manslaughter-2024", "not guilty", None, None, None),
    ]


def test_a_jury_found_gutierrez_reed_guilty_in_march_2024(db):
    verdicts = rows(db, """
        SELECT v.outcome, v.decided_by, v.decided, v.decided_end, v.decided_precision
        FROM verdicts v JOIN charges c ON c.id = v.charge_id
        JOIN people p ON p.id = c.defendant_id WHERE p.key = 'hannah-gutierrez-reed'""")
    # Month only: the articles say "on Wednesday" and "this week", never the date.
    assert verdicts == [("guilty", "jury", "2024-03-01", "2024-03-31", "month")]
    history = rows(db, """
        SELECT s.status, s.date_precision FROM charge_statuses s
        JOIN charges c ON c.id = s.charge_id
        WHERE c.key = 'gutierrez-reed-manslaughter-2024'""")
    assert history == [("convicted", "month")]


def test_halls_was_convicted_on_his_plea_and_baldwin_has_no_verdict(db):
    verdicts = rows(db, """
        SELECT p.key, v.outcome, v.decided_by FROM verdicts v
        JOIN charges c ON c.id = v.charge_id JOIN people p ON p.id = c.defendant_id
        ORDER BY p.key""")
    assert verdicts == [("dave-halls", "convicted", "plea"),
                        ("hannah-gutierrez-reed", "guilty", "jury")]


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


def test_halls_plea_deal_as_reported_in_2023_was_six_months_of_probation(db):
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
        ("fine", "maximum", "cents"), ("jail", "maximum", "days"), ("prison", "maximum", "days")]
    fine, jail, prison = (value for *_, value, _ in bounds)
    assert fine == 500000  # $5,000
    assert jail == prison == pytest.approx(18 * DAYS_PER_MONTH)


def test_firearm_enhancement_minimum_of_five_years_on_baldwins_2023_charge(db):
    assert rows(db, """
        SELECT c.key, pe.kind, pe.bound, pe.amount_value, pe.amount_unit FROM penalties pe
        JOIN charges c ON c.id = pe.charge_id""") == [
        ("baldwin-manslaughter-2023", "imprisonment", "minimum", pytest.approx(5 * 365.25),
         "days")]


def test_gutierrez_reed_has_not_been_sentenced(db):
    assert rows(db, """
        SELECT DISTINCT p.key FROM sentences s JOIN charges c ON c.id = s.charge_id
        JOIN people p ON p.id = c.defendant_id""") == [("dave-halls",)]


# --- people, names and aliases ------------------------------------------------------------

@pytest.mark.parametrize("alias, person", [
    ("David Halls", "dave-halls"),
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
    assert names["dave-halls"] == "Dave Halls"
    assert names["halyna-hutchins"] == "Halyna Hutchins"
    assert names["mickey-rourke"] == "Mickey Rourke"


def test_case_and_its_alias(db):
    assert rows(db, """
        SELECT key, title, jurisdiction, incident, incident_precision FROM cases""") == [
        ("rust", "Rust film set shooting", "New Mexico", "2021-10-21", "day")]
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
        JOIN people sp ON sp.id = s.speaker_id JOIN people ab ON ab.id = s.about_id
        WHERE sp.key = 'mickey-rourke' AND ab.key = 'alec-baldwin' AND s.medium = 'Instagram'""")
    assert len(said) >= 3
    assert set(said) == {("2023-01-19", "day", "supportive")}


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
    "luke-nikas": ["terrible miscarriage of justice", "We will fight these charges"],
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


def test_halls_plea_and_sentence_are_on_the_timeline_undated(db):
    events = rows(db, """
        SELECT kind, date FROM events WHERE key IN ('halls-pleads-no-contest', 'halls-sentenced',
                                                    'gutierrez-reed-pleads-not-guilty')""")
    assert sorted(events) == [("plea", None), ("plea", None), ("sentencing", None)]


def test_timeline_milestones(db):
    events = rows(db, """
        SELECT e.kind, e.date, e.date_precision FROM events e
        JOIN cases c ON c.id = e.case_id WHERE c.key = 'rust'""")
    assert ("incident", "2021-10-21", "day") in events
    assert ("charges announced", "2023-01-19", "day") in events
    assert ("verdict", "2024-03-01", "month") in events
    assert ("plea", "2024-01-01", "month") in events


def test_sources_carry_only_the_metadata_that_was_established(db):
    sources = {key: tuple(rest) for key, *rest in rows(db, """
        SELECT key, outlet, headline, published, published_precision FROM sources""")}
    assert sources["independent-2023-01-20"] == (
        "The Independent", None, "2023-01-20", "day")
    assert sources["bang-showbiz-2024-03"] == (
        "Bang Showbiz", "Mickey Rourke offers to testify for Alec Baldwin", "2024-03-01", "month")
    assert sources["baldwin-interview-2021"] == (None, None, "2021-01-01", "year")
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
        "nm-involuntary-manslaughter-max-jail", "nm-involuntary-manslaughter-max-prison"}
