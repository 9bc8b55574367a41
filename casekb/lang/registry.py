"""The single source of truth of the query language: its entities and their fields.

For each entity: its plural and singular names, what a row is, the table it reads (a base
table and the joins its fields need), its fields, the columns shown and the order used when a
query says nothing, what `as of DATE` does to it, and the table its evidence is filed under.
For each field: its name, type, meaning and how to reach its value (casekb/lang/fields.py).

The planner (casekb/plan/) turns this into SQL; `describe`, the error messages, REPL
completion, the SQL views and the profile are all generated from it, so a field added here is
a field everywhere. Nothing here imports SQLAlchemy: tables are named, and the rules that need
more SQL than a column are named too (casekb/plan/rules.py implements them).
"""

from __future__ import annotations

from casekb import vocab
from casekb.lang.fields import (
    EMPTY_RULE,
    MARKS_RULE,
    SEVERAL_RULE,
    TYPE_RULES,
    TYPE_WORDS,
    Accessor,
    Amount,
    Computed,
    Dated,
    Entity,
    Expr,
    Field,
    FieldType,
    Join,
    NamedRef,
    Plain,
    Related,
    Reported,
)

__all__ = ["EMPTY_RULE", "ENTITIES", "MARKS_RULE", "SEVERAL_RULE", "TYPE_RULES", "TYPE_WORDS", "Accessor",
           "Amount", "Computed", "Dated", "Entity", "Field", "FieldType", "Join",
           "NamedRef", "Plain", "Related", "entity", "entity_names",
           "nearest", "nearest_entity"]


# -- Helpers that keep the entity table below readable ------------------------------------

def _col(alias: str, name: str) -> Expr:
    return lambda scope: scope[alias].c[name]


def _text(name: str, alias: str, column: str, meaning: str, folded: str | None = None,
          names: str | None = None) -> Field:
    return Field(name, FieldType.TEXT, meaning,
                 Plain(_col(alias, column), _col(alias, folded) if folded else None, names))


def _enum(name: str, alias: str, column: str, values: tuple[str, ...], meaning: str) -> Field:
    return Field(name, FieldType.ENUM, meaning, Plain(_col(alias, column)), values=values)


def _date(name: str, alias: str, prefix: str, meaning: str) -> Field:
    return Field(name, FieldType.DATE, meaning, Dated(alias, prefix))


def _person(name: str, alias: str, ref_alias: str, ref_column: str, meaning: str) -> Field:
    return Field(name, FieldType.NAME, meaning,
                 NamedRef(_col(ref_alias, ref_column), _col(alias, "name"), "person",
                          _col(alias, "name_folded")))


def _case(ref_alias: str, ref_column: str = "case_id") -> Field:
    return Field("case", FieldType.NAME, "the case, by its title, another name it goes by "
                 "(\"Rust\") or its id", NamedRef(_col(ref_alias, ref_column),
                                                  _col("cases", "title"), "case",
                                                  _col("cases", "title_folded")))


def _id(alias: str, what: str) -> Field:
    """The row's id in the curated data (the `key` column)."""
    return _text("id", alias, "key", f"the {what}'s id in the curated data")


def _link(name: str, alias: str, what: str) -> Field:
    """The curated id of the record a row belongs to (a plea's charge, a penalty's sentence)."""
    return _text(name, alias, "key", f"the id of the {what} it belongs to")


def _stage(alias: str, values: tuple[str, ...], meaning: str) -> Field:
    return _enum("stage", alias, "stage", values, meaning)


def _marks(alias: str) -> tuple[Field, ...]:
    """The fields saying which of a fact's values no source states (see `inferences`)."""
    return (
        _text("inferred", alias, "inferred", "the fields whose value is inferred rather than "
              "stated (\"counts, filed.latest\"), empty when none; `inferences` gives the "
              "basis of each"),
        _text("derived", alias, "derived", "the dates whose latest day casekb derived from "
              "the publication of the articles reporting the fact (\"filed.latest\"), empty "
              "when none"),
    )


def _coalesce(*columns):
    from sqlalchemy import func

    return func.coalesce(*columns)


# The joins from a fact about a charge (plea, verdict, sentence) to its charge's people.
def _charge_joins(owner: str) -> tuple[Join, ...]:
    return (
        Join("charge", "charges", lambda s: s["charge"].c.id == s[owner].c.charge_id),
        Join("defendant", "people", lambda s: s["defendant"].c.id == s["charge"].c.defendant_id),
        Join("offense", "offenses", lambda s: s["offense"].c.id == s["charge"].c.offense_id),
        Join("cases", "cases", lambda s: s["cases"].c.id == s["charge"].c.case_id),
    )


_DEFENDANT = ("the person charged (their name, any other spelling the sources use, or their "
              "id)")
_OFFENSE = "the crime charged, as named in its jurisdiction (\"involuntary manslaughter\")"

ENTITIES: tuple[Entity, ...] = (
    Entity(
        name="cases", singular="case",
        description="Criminal cases: one row per case (or group of prosecutions from one "
                    "incident).",
        base="cases",
        fields=(
            Field("title", FieldType.NAME, "the case's title; also matches the other names it "
                  "goes by (\"Rust\") and its id", NamedRef(_col("cases", "id"),
                                                           _col("cases", "title"), "case",
                                                           _col("cases", "title_folded"))),
            Field("aliases", FieldType.TEXT, "other names the case goes by",
                  Related("case_alias", "case_aliases", "case_id",
                          Plain(_col("case_alias", "alias"), _col("case_alias", "alias_folded")))),
            _text("jurisdiction", "cases", "jurisdiction", "the state or court system (\"New Mexico\")"),
            _text("venue", "cases", "venue", "where it is tried (\"Santa Fe\")"),
            _date("incident", "cases", "incident", "when the incident happened"),
            _text("summary", "cases", "summary", "a one-paragraph summary"),
            _id("cases", "case"),
            *_marks("cases"),
        ),
        default_show=("title", "aliases", "jurisdiction", "venue", "incident"),
        default_order=(("incident", False), ("title", False)),
        as_of="dated:cases.incident",
        as_of_meaning="cases whose incident happened on or before the date",
        evidence_table="cases",
    ),
    Entity(
        name="people", singular="person",
        description="People named in the sources: one row per person, with every role they "
                    "have in a case.",
        base="people",
        fields=(
            Field("name", FieldType.NAME, "the person's name; also matches every other spelling "
                  "the sources use (\"David Halls\") and their id",
                  NamedRef(_col("people", "id"), _col("people", "name"), "person",
                           _col("people", "name_folded"))),
            _enum("kind", "people", "kind", vocab.PERSON_KINDS, "a named person, a group "
                  "(\"Baldwin's lawyers\") or a person the sources do not name"),
            Field("aliases", FieldType.TEXT, "other spellings of the name used by the sources",
                  Related("person_alias", "person_aliases", "person_id",
                          Plain(_col("person_alias", "alias"), _col("person_alias", "alias_folded")))),
            Field("role", FieldType.ENUM, "their part in a case (a person may have several)",
                  Related("role", "roles", "person_id",
                          Plain(_col("role", "role"))), values=vocab.ROLES),
            Field("title", FieldType.TEXT, "their job or title in a case (\"armorer\", "
                  "\"first assistant director\")",
                  Related("role", "roles", "person_id",
                          Plain(_col("role", "title")))),
            Field("case", FieldType.NAME, "the cases they have a role in, by title, other name "
                  "or id",
                  Related("role", "roles", "person_id",
                          NamedRef(_col("role", "case_id"), _col("role_case", "title"), "case",
                                   _col("role_case", "title_folded")),
                          joins=(Join("role_case", "cases",
                                      lambda s: s["role_case"].c.id == s["role"].c.case_id),))),
            _id("people", "person"),
            *_marks("people"),
        ),
        default_show=("name", "kind", "aliases", "role", "title", "case"),
        default_order=(("name", False),),
        evidence_table="people",
    ),
    Entity(
        name="roles", singular="role",
        description="Roles: one row per part a person has in a case (defendant, victim, "
                    "prosecutor, ...), with their job or title there.",
        base="roles",
        joins=(
            Join("person", "people", lambda s: s["person"].c.id == s["roles"].c.person_id),
            Join("cases", "cases", lambda s: s["cases"].c.id == s["roles"].c.case_id),
        ),
        fields=(
            _person("person", "person", "roles", "person_id", "the person (their name, any "
                    "other spelling the sources use, or their id)"),
            _case("roles"),
            _enum("role", "roles", "role", vocab.ROLES, "their part in the case"),
            _text("title", "roles", "title", "their job or title in the case (\"armorer\", "
                  "\"first assistant director\")"),
            _enum("kind", "person", "kind", vocab.PERSON_KINDS, "the person's kind: a named "
                  "person, a group, or a person the sources do not name"),
            _id("roles", "role"),
            *_marks("roles"),
        ),
        default_show=("person", "case", "role", "title"),
        default_order=(("case", False), ("role", False), ("person", False)),
        evidence_table="roles",
    ),
    Entity(
        name="defendants", singular="defendant",
        description="People with the role of defendant: one row per defendant per case.",
        base="roles",
        base_filter=lambda s: s["roles"].c.role == "defendant",
        joins=(
            Join("defendant", "people", lambda s: s["defendant"].c.id == s["roles"].c.person_id),
            Join("cases", "cases", lambda s: s["cases"].c.id == s["roles"].c.case_id),
        ),
        fields=(
            _person("name", "defendant", "roles", "person_id", _DEFENDANT),
            _case("roles"),
            _text("title", "roles", "title", "their job or title, as the sources put it "
                  "(\"armorer\", \"first assistant director\")"),
            _id("roles", "role"),
            *_marks("roles"),
        ),
        default_show=("name", "case", "title"),
        default_order=(("name", False), ("case", False)),
        as_of="defendant_charged_by",
        as_of_meaning="defendants with a charge in the case filed on or before the date",
        evidence_table="roles",
    ),
    Entity(
        name="charges", singular="charge",
        description="Charges: one row per charge (an offense against a defendant in a case).",
        base="charges",
        joins=(
            Join("defendant", "people", lambda s: s["defendant"].c.id == s["charges"].c.defendant_id),
            Join("offense", "offenses", lambda s: s["offense"].c.id == s["charges"].c.offense_id),
            Join("cases", "cases", lambda s: s["cases"].c.id == s["charges"].c.case_id),
            Join("replaced", "charges", lambda s: s["replaced"].c.id == s["charges"].c.replaces_id,
                 outer=True),
        ),
        fields=(
            _person("defendant", "defendant", "charges", "defendant_id", _DEFENDANT),
            _text("offense", "offense", "name", _OFFENSE, folded="name_folded",
                  names="offense"),
            Field("counts", FieldType.INTEGER, "the number of counts, where stated",
                  Plain(_col("charges", "counts"))),
            _stage("charges", vocab.CHARGE_STAGES, "announced (announced or reported as "
                   "coming) or filed"),
            _date("filed", "charges", "filed", "the date of its stage: when the charge was "
                  "filed, or announced"),
            Field("status", FieldType.ENUM, "the charge's status as last reported, with the "
                  "date of that report; with `as of DATE`, its status on that date (none when "
                  "the date is after the last report)",
                  Reported.columns("charges", "status", "status_reported"),
                  values=vocab.CHARGE_STATUSES, as_of_rule="status_on"),
            Field("in_force", FieldType.BOOLEAN, "true while the charge stands as far as the "
                  "sources report: not closed, not replaced by another charge, and its status "
                  "(as last reported) pending, a mistrial, or not stated; with `as of DATE`, "
                  "whether it stood on that date: filed by it, not closed before it, not "
                  "replaced by a charge filed by it, and its latest status dated by it pending, "
                  "a mistrial, or not stated",
                  Computed("charge_in_force"), as_of_rule="standing_on"),
            Field("replaced_by", FieldType.TEXT, "the ids of the charges that replaced it",
                  Related("successor", "charges", "replaces_id",
                          Plain(_col("successor", "key")))),
            Field("enhancement", FieldType.TEXT, "sentencing enhancements added to the charge "
                  "(\"firearm\")",
                  Related("enhancement", "charge_enhancements", "charge_id",
                          Plain(_col("enhancement", "enhancement")))),
            _date("closed", "charges", "closed", "when the charge was closed (empty while open "
                  "or not stated)"),
            _enum("class", "offense", "offense_class", vocab.OFFENSE_CLASSES,
                  "the offense's class, where stated"),
            _text("replaces", "replaced", "key", "the id of the charge it replaced "
                  "(superseded, refiled), where stated or inferred"),
            _case("charges"),
            _text("jurisdiction", "offense", "jurisdiction", "whose law defines the offense "
                  "(\"New Mexico\")"),
            _text("statute", "offense", "statute", "the statute cited, where stated"),
            _id("charges", "charge"),
            *_marks("charges"),
        ),
        default_show=("defendant", "offense", "counts", "stage", "filed", "status",
                      "in_force"),
        default_order=(("defendant", False), ("filed", False), ("offense", False)),
        as_of="charge_in_force",
        as_of_meaning="charges filed (or announced) by the date, by the rule of `<=` (an "
                      "unknown date excludes a charge; one known only to the month, the year or "
                      "by bounds counts once all of it has passed), not closed before it, and "
                      "not replaced by a charge filed by it; `status` is the latest status "
                      "dated by it, and none when the date is after the status was last "
                      "reported",
        evidence_table="charges",
    ),
    Entity(
        name="statuses", singular="status",
        description="The status history of charges: one row per status a charge had from a "
                    "date on (pending, convicted, dismissed, ...).",
        base="charge_statuses",
        joins=_charge_joins("charge_statuses"),
        fields=(
            _person("defendant", "defendant", "charge", "defendant_id", _DEFENDANT),
            _text("offense", "offense", "name", _OFFENSE, folded="name_folded",
                  names="offense"),
            Field("status", FieldType.ENUM, "the status the charge had from this date on, with "
                  "when it was last reported",
                  Reported.columns("charge_statuses", "status", "reported"),
                  values=vocab.CHARGE_STATUSES),
            _date("date", "charge_statuses", "date", "from when the charge had it"),
            _date("reported", "charge_statuses", "reported", "when it was last reported: the "
                  "publication date of the latest article citing it"),
            _case("charge"),
            _link("charge", "charge", "charge"),
            _id("charge_statuses", "status entry"),
            *_marks("charge_statuses"),
        ),
        default_show=("defendant", "offense", "status", "date"),
        default_order=(("defendant", False), ("date", False), ("offense", False)),
        as_of="dated:charge_statuses.date",
        as_of_meaning="status entries dated on or before the date",
        evidence_table="charge_statuses",
    ),
    Entity(
        name="pleas", singular="plea",
        description="Pleas: one row per plea entered (or agreed) to a charge.",
        base="pleas",
        joins=_charge_joins("pleas"),
        fields=(
            _person("defendant", "defendant", "charge", "defendant_id", _DEFENDANT),
            _text("offense", "offense", "name", _OFFENSE, folded="name_folded",
                  names="offense"),
            _enum("plea", "pleas", "plea", vocab.PLEAS, "the plea"),
            _stage("pleas", vocab.PLEA_STAGES, "agreed (in a plea deal, not yet in court) or "
                   "entered (in court)"),
            _date("entered", "pleas", "entered", "the date of its stage: when the plea was "
                  "entered, or agreed"),
            Field("agreement", FieldType.BOOLEAN, "true when the plea is part of a plea agreement",
                  Plain(_col("pleas", "agreement"))),
            _case("charge"),
            _link("charge", "charge", "charge"),
            _id("pleas", "plea"),
            *_marks("pleas"),
        ),
        default_show=("defendant", "offense", "plea", "stage", "entered", "agreement"),
        default_order=(("entered", False), ("defendant", False)),
        as_of="latest_plea_by",
        as_of_meaning="for each charge, its latest plea entered on or before the date "
                      "(pleas of unknown date excluded)",
        evidence_table="pleas",
    ),
    Entity(
        name="verdicts", singular="verdict",
        description="Verdicts and other dispositions: one row per outcome of a charge.",
        base="verdicts",
        joins=_charge_joins("verdicts"),
        fields=(
            _person("defendant", "defendant", "charge", "defendant_id", _DEFENDANT),
            _text("offense", "offense", "name", _OFFENSE, folded="name_folded",
                  names="offense"),
            _enum("outcome", "verdicts", "outcome", vocab.OUTCOMES,
                  "the outcome: \"guilty\" and \"not guilty\" are verdicts of a trial, "
                  "\"convicted\" a conviction without a trial verdict (on a plea)"),
            _date("decided", "verdicts", "decided", "when it was decided"),
            _enum("by", "verdicts", "decided_by", vocab.DECIDED_BY,
                  "who decided: a jury, a judge, or a plea"),
            _text("findings", "verdicts", "findings", "what the jury or judge found, in the "
                  "article's words"),
            _case("charge"),
            _link("charge", "charge", "charge"),
            _id("verdicts", "verdict"),
            *_marks("verdicts"),
        ),
        default_show=("defendant", "offense", "outcome", "decided", "by"),
        default_order=(("decided", False), ("defendant", False)),
        as_of="dated:verdicts.decided",
        as_of_meaning="verdicts decided on or before the date",
        evidence_table="verdicts",
    ),
    Entity(
        name="sentences", singular="sentence",
        description="Sentences: one row per sentence imposed on a charge; its terms are the "
                    "penalties with bound \"imposed\".",
        base="sentences",
        joins=_charge_joins("sentences"),
        fields=(
            _person("defendant", "defendant", "charge", "defendant_id", _DEFENDANT),
            _text("offense", "offense", "name", _OFFENSE, folded="name_folded",
                  names="offense"),
            _stage("sentences", vocab.SENTENCE_STAGES, "agreed (terms agreed in a deal) or "
                   "imposed (by a court)"),
            _date("imposed", "sentences", "imposed", "the date of its stage: when the sentence "
                  "was imposed, or its terms agreed"),
            _text("summary", "sentences", "summary", "the sentence in words"),
            _case("charge"),
            _link("charge", "charge", "charge"),
            _id("sentences", "sentence"),
            *_marks("sentences"),
        ),
        default_show=("defendant", "offense", "stage", "imposed", "summary"),
        default_order=(("imposed", False), ("defendant", False)),
        as_of="dated:sentences.imposed",
        as_of_meaning="sentences imposed on or before the date",
        evidence_table="sentences",
    ),
    Entity(
        name="penalties", singular="penalty",
        description="Penalties: one row per component of a punishment: a statutory maximum or "
                    "minimum of an offense, a charge or an enhancement, or a term of a "
                    "sentence.",
        base="penalties",
        joins=(
            Join("sentence", "sentences",
                 lambda s: s["sentence"].c.id == s["penalties"].c.sentence_id, outer=True),
            Join("enhancement", "charge_enhancements",
                 lambda s: s["enhancement"].c.id == s["penalties"].c.enhancement_id, outer=True),
            # The charge a penalty concerns: its own, its enhancement's or its sentence's.
            Join("charge", "charges", lambda s: s["charge"].c.id == _coalesce(
                s["penalties"].c.charge_id, s["enhancement"].c.charge_id,
                s["sentence"].c.charge_id), outer=True),
            Join("defendant", "people",
                 lambda s: s["defendant"].c.id == s["charge"].c.defendant_id, outer=True),
            Join("offense", "offenses", lambda s: s["offense"].c.id == _coalesce(
                s["penalties"].c.offense_id, s["charge"].c.offense_id), outer=True),
            Join("cases", "cases", lambda s: s["cases"].c.id == s["charge"].c.case_id,
                 outer=True),
        ),
        fields=(
            _person("defendant", "defendant", "charge", "defendant_id",
                    _DEFENDANT + "; empty for an offense's statutory bounds"),
            _text("offense", "offense", "name", "the offense, directly or through the charge "
                  "or sentence the penalty belongs to", folded="name_folded", names="offense"),
            _enum("kind", "penalties", "kind", vocab.PENALTY_KINDS, "what the penalty is"),
            _enum("bound", "penalties", "bound", vocab.BOUNDS,
                  "maximum or minimum (statutory), imposed (by a sentence), or unstated (the "
                  "source does not say)"),
            _enum("stage", "sentence", "stage", vocab.SENTENCE_STAGES, "for a term of a "
                  "sentence, the sentence's stage: agreed (in a deal) or imposed (by a court); "
                  "empty for statutory bounds"),
            Field("amount", FieldType.QUANTITY, "how much: a duration, money or hours of "
                  "service, as the source wrote it", Amount("penalties")),
            Field("suspended", FieldType.BOOLEAN, "true when suspended",
                  Plain(_col("penalties", "suspended"))),
            Field("unsupervised", FieldType.BOOLEAN, "true when unsupervised (probation)",
                  Plain(_col("penalties", "unsupervised"))),
            Field("mandatory", FieldType.BOOLEAN, "true when the source calls it mandatory "
                  "(empty when it does not say)", Plain(_col("penalties", "mandatory"))),
            Field("level", FieldType.ENUM, "what the penalty belongs to: an offense (the law), "
                  "a charge, an enhancement, or a sentence", Computed("penalty_level"),
                  values=("offense", "charge", "enhancement", "sentence")),
            _case("charge"),
            _text("jurisdiction", "offense", "jurisdiction", "whose law defines the offense "
                  "(\"New Mexico\")"),
            _link("charge", "charge", "charge (its own, or its sentence's)"),
            _link("sentence", "sentence", "sentence, for a term of a sentence"),
            _link("enhancement", "enhancement", "enhancement, for a bound an enhancement "
                  "carries"),
            _id("penalties", "penalty"),
            *_marks("penalties"),
        ),
        default_show=("defendant", "offense", "kind", "bound", "stage", "amount", "suspended"),
        default_order=(("defendant", False), ("offense", False), ("bound", False),
                       ("kind", False)),
        as_of="penalty_in_force",
        as_of_meaning="an offense's statutory bounds always; a charge's or an enhancement's "
                      "bounds while the charge is in force; a sentence's terms once it is "
                      "imposed (or agreed)",
        evidence_table="penalties",
    ),
    Entity(
        name="events", singular="event",
        description="Events: the dated timeline of each case, one row per step.",
        base="events",
        joins=(Join("cases", "cases", lambda s: s["cases"].c.id == s["events"].c.case_id),),
        fields=(
            _case("events"),
            _date("date", "events", "date", "when it happened, or is set or expected to "
                  "happen"),
            _enum("kind", "events", "kind", vocab.EVENT_KINDS, "what happened"),
            _stage("events", vocab.EVENT_STAGES, "held (it happened), scheduled (set for a "
                   "date) or expected (anticipated)"),
            _text("description", "events", "description", "what happened, in words"),
            _id("events", "event"),
            *_marks("events"),
        ),
        default_show=("case", "date", "kind", "stage", "description"),
        default_order=(("date", False),),
        as_of="dated:events.date",
        as_of_meaning="events dated on or before the date",
        evidence_table="events",
    ),
    Entity(
        name="statements", singular="statement",
        description="Statements: on-record quotes by people about a case or a person.",
        base="statements",
        joins=(
            Join("speaker", "people", lambda s: s["speaker"].c.id == s["statements"].c.speaker_id),
            Join("cases", "cases", lambda s: s["cases"].c.id == s["statements"].c.case_id),
        ),
        fields=(
            _person("speaker", "speaker", "statements", "speaker_id", "who said it (their name, "
                    "any other spelling the sources use, or their id)"),
            Field("about", FieldType.NAME, "the people it is about, if any (their names, any "
                  "other spelling the sources use, or their ids)",
                  Related("subject", "statement_subjects", "statement_id",
                          NamedRef(_col("subject", "person_id"), _col("subject_person", "name"),
                                   "person", _col("subject_person", "name_folded")),
                          joins=(Join("subject_person", "people",
                                      lambda s: s["subject_person"].c.id == s["subject"].c.person_id),))),
            _date("date", "statements", "said", "when it was said"),
            _enum("stance", "statements", "stance", vocab.STANCES, "the speaker's stance toward "
                  "the person it is about (or toward the prosecution)"),
            _text("quote", "statements", "quote", "the words said"),
            _text("medium", "statements", "medium", "where it was said (\"Instagram\", \"TMZ\")"),
            _case("statements"),
            _id("statements", "statement"),
            *_marks("statements"),
        ),
        default_show=("speaker", "about", "date", "stance", "quote"),
        default_order=(("date", False), ("speaker", False)),
        as_of="dated:statements.said",
        as_of_meaning="statements made on or before the date",
        evidence_table="statements",
    ),
    Entity(
        name="disputes", singular="dispute",
        description="Disputes: where the sources disagree, one row per disagreement; its "
                    "claims are the conflicting facts, each kept with its own evidence.",
        base="disputes",
        joins=(Join("cases", "cases", lambda s: s["cases"].c.id == s["disputes"].c.case_id,
                    outer=True),),
        fields=(
            _text("id", "disputes", "key", "the dispute's id in the curated data"),
            _case("disputes"),
            _text("subject", "disputes", "subject", "what the sources disagree on"),
            Field("claims", FieldType.TEXT, "the conflicting facts, as \"kind:id\" "
                  "(\"plea:halls-plea-guilty\"); list them with their own entity "
                  "(`pleas`, `charges`, ...)",
                  Related("claim", "dispute_claims", "dispute_id",
                          Computed("claim_reference"))),
            _text("note", "disputes", "note", "what each source says, and what is unknown"),
        ),
        default_show=("id", "case", "subject", "claims"),
        default_order=(("id", False),),
        evidence_through="dispute_claims",
        sources_meaning="the articles and quotes of each claim, claim by claim (a dispute "
                        "has no evidence of its own: its claims do)",
    ),
    Entity(
        name="inferences", singular="inference",
        description="Inferences: one row per value of a fact that no source states: a "
                    "value the curator inferred, with the reasoning, or the latest day of a "
                    "date that casekb derived from the publication of the articles reporting "
                    "the fact.",
        base="inferences",
        fields=(
            Field("fact", FieldType.TEXT, "the fact, as \"kind:id\" "
                  "(\"charge:baldwin-manslaughter-2023\"); list it with its own entity",
                  Computed("inference_fact")),
            _text("field", "inferences", "field", "the field inferred (\"counts\"), or one "
                  "bound of a date (\"filed.latest\")"),
            Field("derived", FieldType.BOOLEAN, "true for a bound casekb derived, false for "
                  "the curator's inference", Plain(_col("inferences", "derived"))),
            _text("basis", "inferences", "basis", "the reasoning, or where a derived bound "
                  "comes from"),
        ),
        default_show=("fact", "field", "derived", "basis"),
        default_order=(("fact", False), ("field", False)),
    ),
    Entity(
        name="sources", singular="source",
        description="Sources: the news articles every fact is curated from.",
        base="sources",
        fields=(
            _text("id", "sources", "key", "the article's id, as facts cite it"),
            _text("outlet", "sources", "outlet", "who published it, where known"),
            _text("headline", "sources", "headline", "its headline, where known"),
            _date("published", "sources", "published", "when it was published, where known"),
            _text("file", "sources", "file", "its text file in the curated data folder"),
            _text("url", "sources", "url", "where it was published online, where known"),
        ),
        default_show=("id", "outlet", "headline", "published"),
        default_order=(("published", False), ("id", False)),
        as_of="dated:sources.published",
        as_of_meaning="articles published on or before the date",
    ),
)


_BY_NAME: dict[str, Entity] = {}
for _entity in ENTITIES:
    _BY_NAME[_entity.name] = _entity
    _BY_NAME[_entity.singular] = _entity


def entity(name: str) -> Entity | None:
    """The entity called `name` (plural or singular, any letter case), or None."""
    return _BY_NAME.get(name.lower())


def entity_names() -> list[str]:
    """The entities' plural names, in the registry's order."""
    return [e.name for e in ENTITIES]


def nearest_entity(word: str) -> Entity | None:
    """The entity whose plural or singular name is closest to `word`, or None."""
    guess = nearest(word, list(_BY_NAME))
    return _BY_NAME[guess] if guess is not None else None


def nearest(word: str, choices: list[str] | tuple[str, ...], cutoff: float = 0.6) -> str | None:
    """The choice closest to `word` (for "did you mean ...?"), or None when none is close."""
    import difflib  # here: only a word nobody knows needs it, not every query

    lowered = word.lower()
    matches = difflib.get_close_matches(lowered, [c.lower() for c in choices], n=1, cutoff=cutoff)
    if not matches:
        return None
    return next(c for c in choices if c.lower() == matches[0])
