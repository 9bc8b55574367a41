"""The curated record kinds the validator, the index of keys and the writer work from
(casekb/curation/spec.py KINDS) are the same as they were when they were written by hand: the
same kinds in the same order, the same fields in the same order, each with its type, whether
it is required, what it refers to, its vocabulary, the column it fills and the doc shown as a
hint by `casekb check`.

The expectation below was written once from the hand-written spec.py; spec.py now derives the
kinds from the schema declaration (casekb/schema/declaration.py), and this test holds the
derivation to them. Change it only with a change of the curated format (or of its docs: the
docs of source.file and basis, alias.name, penalty.bound, statement.stance and
dispute.claims say what schema/curation.md said by hand, now that it is generated from them;
"the id of a offense" became "an offense"). The format's second version (issue 15) added:
`stage` to charges, pleas, sentences and events; `inferred` to every kind with evidence;
`replaces` to charges; `kind` to people; `about` of several people; `findings` to verdicts;
`enhancement` as a penalty's owner and `mandatory` to penalties; dates given by bounds.
"""

from __future__ import annotations

from casekb import vocab
from casekb.curation import spec as S
from casekb.curation.spec import (
    BOOL,
    CLAIMS,
    DATE,
    EVIDENCE,
    ID,
    INFERRED,
    INT,
    QUANTITY,
    REF,
    REFS,
    TEXT,
    VOCAB,
)

ID_DOC = "a stable key, lower case: letters, digits, '.', '_' and '-'"
NOTE_DOC = "the curator's remarks: garbled text, contradictions, how a date was inferred"
EVIDENCE_DOC = ("one or more {source, quote} pairs; each quote occurs verbatim in the source's "
                "article")
INFERRED_DOC = 'inferred.FIELD = "basis" for each value no source states (see Inferred values)'

# (kind, table, doc, exactly one of, has evidence, fields); each field is
# (name, type, required, ref, vocabulary, column, doc).
KINDS = (
    ('source', 'sources', 'a news article', (), False, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('file', TEXT, True, None, None, None,
         "the article's path under the folder, e.g. articles/000_97fe48ecf7fe45b9.txt"),
        ('outlet', TEXT, False, None, None, None, 'the publication'),
        ('headline', TEXT, False, None, None, None, ''),
        ('url', TEXT, False, None, None, None, ''),
        ('published', DATE, False, None, None, None, 'publication date, as precise as known'),
        ('basis', TEXT, False, None, None, None,
         'how outlet, headline and date were established: "stated in the article\'s date line", "inferred: the article says the verdict came \'earlier this week\'", ...'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
    )),
    ('case', 'cases', 'a criminal case', (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('title', TEXT, True, None, None, None, ''),
        ('jurisdiction', TEXT, False, None, None, None, 'e.g. "New Mexico"'),
        ('venue', TEXT, False, None, None, None, 'the court or county'),
        ('incident', DATE, False, None, None, None, 'when the incident happened'),
        ('summary', TEXT, False, None, None, None, ''),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('person', 'people', 'a person named in the sources', (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('name', TEXT, True, None, None, None,
         "the fullest correct spelling the sources use; for a group or an unnamed person, the source's words for them"),
        ('kind', VOCAB, False, None, vocab.PERSON_KINDS, None,
         'person (default), group ("Baldwin\'s lawyers") or unnamed ("one user wrote")'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('alias', 'person_aliases', 'another name of a person or a case (stored in person_aliases or case_aliases)', ('person', 'case'), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('person', REF, False, 'person', None, 'person_id', 'the person this is a name of'),
        ('case', REF, False, 'case', None, 'case_id', 'the case this is a name of'),
        ('name', TEXT, True, None, None,
         'alias', 'another spelling a source uses: "David Halls", "Gutierrez Reed", "Balwin"'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('role', 'roles', "a person's part in a case", (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('case', REF, True, 'case', None, 'case_id', 'the id of a case'),
        ('person', REF, True, 'person', None, 'person_id', 'the id of a person'),
        ('role', VOCAB, True, None, vocab.ROLES, None, ''),
        ('title', TEXT, False, None, None, None, 'e.g. "armorer", "first assistant director"'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('offense', 'offenses', 'a crime as defined in a jurisdiction', (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('name', TEXT, True, None, None, None, 'e.g. "involuntary manslaughter"'),
        ('jurisdiction', TEXT, False, None, None, None, ''),
        ('class', VOCAB, False, None, vocab.OFFENSE_CLASSES, 'offense_class', ''),
        ('statute', TEXT, False, None, None, None, ''),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('charge', 'charges', 'a charge against a defendant', (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('case', REF, True, 'case', None, 'case_id', 'the id of a case'),
        ('defendant', REF, True, 'person', None, 'defendant_id', 'the id of the charged person'),
        ('offense', REF, True, 'offense', None, 'offense_id', 'the id of an offense'),
        ('counts', INT, False, None, None, None, 'the number of counts, at least 1'),
        ('stage', VOCAB, False, None, vocab.CHARGE_STAGES, None,
         'announced, filed (default filed)'),
        ('filed', DATE, False, None, None, None, ''),
        ('closed', DATE, False, None, None, None, ''),
        ('replaces', REF, False, 'charge', None,
         'replaces_id', 'the id of the charge this one replaced (superseded, refiled)'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('enhancement', 'charge_enhancements', 'a sentencing enhancement of a charge', (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('charge', REF, True, 'charge', None, 'charge_id', 'the id of a charge'),
        ('enhancement', TEXT, True, None, None, None, 'e.g. "firearm"'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('status', 'charge_statuses', "a charge's status from a date on", (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('charge', REF, True, 'charge', None, 'charge_id', 'the id of a charge'),
        ('status', VOCAB, True, None, vocab.CHARGE_STATUSES, None, ''),
        ('date', DATE, False, None, None, None, 'from when the charge had this status'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('plea', 'pleas', 'a plea to a charge', (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('charge', REF, True, 'charge', None, 'charge_id', 'the id of a charge'),
        ('plea', VOCAB, True, None, vocab.PLEAS, None, ''),
        ('stage', VOCAB, False, None, vocab.PLEA_STAGES, None,
         'agreed, entered (default entered)'),
        ('entered', DATE, False, None, None, None, ''),
        ('agreement', BOOL, False, None, None, None, 'true when part of a plea agreement'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('verdict', 'verdicts', 'how a charge was disposed of', (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('charge', REF, True, 'charge', None, 'charge_id', 'the id of a charge'),
        ('outcome', VOCAB, True, None, vocab.OUTCOMES, None, ''),
        ('decided', DATE, False, None, None, None, ''),
        ('by', VOCAB, False, None, vocab.DECIDED_BY, 'decided_by', ''),
        ('findings', TEXT, False, None, None, None,
         "what the jury or judge found, in the article's words; must occur in one of the evidence articles"),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('sentence', 'sentences', 'a sentence imposed on a charge', (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('charge', REF, True, 'charge', None, 'charge_id', 'the id of a charge'),
        ('stage', VOCAB, False, None, vocab.SENTENCE_STAGES, None,
         'agreed, imposed (default imposed)'),
        ('imposed', DATE, False, None, None, None, ''),
        ('summary', TEXT, False, None, None, None, ''),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('penalty', 'penalties', 'one component of a punishment', ('offense', 'charge', 'enhancement', 'sentence'), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('offense', REF, False, 'offense', None,
         'offense_id', 'for a statutory bound of an offense'),
        ('charge', REF, False, 'charge', None, 'charge_id', 'for a statutory bound of a charge'),
        ('enhancement', REF, False, 'enhancement', None,
         'enhancement_id', 'for a bound an enhancement carries (a mandatory minimum)'),
        ('sentence', REF, False, 'sentence', None, 'sentence_id', 'for a component of a sentence'),
        ('kind', VOCAB, True, None, vocab.PENALTY_KINDS, None, ''),
        ('bound', VOCAB, True, None, vocab.BOUNDS, None,
         'maximum or minimum on an offense, charge or enhancement; imposed on a sentence; unstated when the source does not say'),
        ('amount', QUANTITY, False, None, None, None, ''),
        ('suspended', BOOL, False, None, None, None, ''),
        ('unsupervised', BOOL, False, None, None, None, ''),
        ('mandatory', BOOL, False, None, None, None, 'true when the source calls it mandatory'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('event', 'events', "a dated step in a case's timeline", (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('case', REF, True, 'case', None, 'case_id', 'the id of a case'),
        ('stage', VOCAB, False, None, vocab.EVENT_STAGES, None,
         'expected, scheduled, held (default held)'),
        ('date', DATE, False, None, None, None, ''),
        ('kind', VOCAB, True, None, vocab.EVENT_KINDS, None, ''),
        ('description', TEXT, True, None, None, None, ''),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('statement', 'statements', 'an on-record quote', (), True, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('case', REF, True, 'case', None, 'case_id', 'the id of a case'),
        ('speaker', REF, True, 'person', None, 'speaker_id', 'the id of the person speaking'),
        ('about', REFS, False, 'person', None, None,
         'the id of the person spoken about, or an array of them'),
        ('date', DATE, False, None, None, 'said', ''),
        ('stance', VOCAB, False, None, vocab.STANCES, None,
         "the speaker's stance toward each person it is `about`, or toward the prosecution when `about` is empty"),
        ('medium', TEXT, False, None, None, None, '"Instagram", "TMZ", "ABC interview"'),
        ('quote', TEXT, True, None, None, None,
         'the words said; must occur in one of the evidence articles'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
        ('inferred', INFERRED, False, None, None, None, INFERRED_DOC),
        ('evidence', EVIDENCE, True, None, None, None, EVIDENCE_DOC),
    )),
    ('dispute', 'disputes', 'a disagreement between sources', (), False, (
        ('id', ID, True, None, None, None, ID_DOC),
        ('case', REF, False, 'case', None, 'case_id', 'the id of a case'),
        ('subject', TEXT, True, None, None, None, 'what the sources disagree on'),
        ('claims', CLAIMS, True, None, None, None,
         'two or more "kind:id" references to the conflicting records, e.g. "plea:halls-plea-guilty"'),
        ('note', TEXT, False, None, None, None, NOTE_DOC),
    )),
)


def _as_written(kind: S.KindSpec) -> tuple:
    fields = tuple((f.name, f.type, f.required, f.ref, f.vocabulary, f.column, f.doc)
                   for f in kind.fields)
    return (kind.kind, kind.table, kind.doc, kind.exactly_one_of, kind.has_evidence, fields)


def test_the_kinds_are_those_written_by_hand_in_order():
    assert S.KIND_ORDER == tuple(kind[0] for kind in KINDS)
    assert [kind.kind for kind in S.KINDS] == list(S.KIND_ORDER)
    assert S.KIND_NUMBER == {kind[0]: number for number, kind in enumerate(KINDS)}
    assert set(S.BY_KIND) == set(S.KIND_ORDER)


def test_each_kind_has_the_same_fields_types_and_rules():
    for expected in KINDS:
        assert _as_written(S.BY_KIND[expected[0]]) == expected


def test_field_lookups_and_target_columns():
    alias = S.BY_KIND["alias"]
    assert list(alias.by_name) == ["id", "person", "case", "name", "note", "inferred",
                                   "evidence"]
    assert alias.by_name["name"].target_column == "alias"
    assert S.BY_KIND["statement"].by_name["date"].target_column == "said"
    assert S.BY_KIND["charge"].by_name["filed"].target_column == "filed"


def test_the_rules_around_the_kinds():
    assert S.CLAIMABLE_KINDS == (
        "case", "person", "alias", "role", "offense", "charge", "enhancement", "status", "plea",
        "verdict", "sentence", "penalty", "event", "statement")
    assert S.EVIDENCE_FIELDS == {"source": True, "quote": True, "note": False}
    assert (ID, TEXT, INT, BOOL, DATE, QUANTITY, REF, REFS, VOCAB, EVIDENCE, CLAIMS,
            INFERRED) == ("id", "text", "int", "bool", "date", "quantity", "ref", "refs",
                          "vocab", "evidence", "claims", "inferred")
    assert set(S.TYPE_NAMES) == {ID, TEXT, INT, BOOL, DATE, QUANTITY, REF, REFS, VOCAB,
                                 EVIDENCE, CLAIMS, INFERRED}
    assert S.MAX_ID_LENGTH == 200
    assert S.is_valid_id("halls-plea.2_b") and not S.is_valid_id("Halls")
    assert not S.is_valid_id("-x") and not S.is_valid_id("a" * 201) and S.is_valid_id("a" * 200)


def test_a_text_longer_than_its_declared_column_is_reported(curated_folder):
    """The validator reads each text column's length from the declaration, so that a store
    built from a valid folder fits PostgreSQL's VARCHAR columns too."""
    from casekb.curation import check_folder

    (curated_folder / "long.toml").write_text(
        f'[[offense]]\nid = "long-statute"\nname = "theft"\nstatute = "{"s" * 201}"\n'
        f'evidence = [{{ source = "gazette-2024-03-01", quote = "John Q. Sample, 42" }}]\n',
        encoding="utf-8")
    [problem] = [p.render() for p in check_folder(curated_folder).problems]
    assert problem.endswith("field 'statute': is 201 characters long; at most 200 fit")
