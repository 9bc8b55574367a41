"""The store's tables, and the curated record kinds that fill them: the one declaration.

Everything else is derived from it: the SQLAlchemy tables (casekb/schema/tables.py),
schema/schema.sql (`casekb schema`), the record kinds the validator and the writer work from
(casekb/curation/spec.py), and the tables of schema/README.md and schema/curation.md
(`python -m casekb.schema.docs`). The building blocks and the store's conventions (a partial
date is three columns, a searchable name has a folded twin...) are in casekb/schema/parts.py.

Tables are declared in the order the record kinds may refer to each other: a kind refers
only to kinds declared before it (or to itself), which is the order records are checked and
written in (spec.KIND_ORDER). A fact table's `id`, `key` and `note` columns, and its
evidence, are added by `fact_table`.

Plain data: importing it costs no SQLAlchemy.
"""

from __future__ import annotations

from dataclasses import replace

from casekb import vocab
from casekb.schema.parts import (
    CLAIMS,
    EVIDENCE,
    Check,
    Column,
    Field,
    Index,
    Kind,
    Table,
    Unique,
    amount,
    boolean,
    date_columns,
    fact_table,
    flag,
    integer,
    link_table,
    partial_date,
    reference,
    references,
    stage,
    text,
    vocabulary,
)

# An alias is stored in the table of its owner's aliases: each holds the same fields but the
# owner's reference, which is required there.
ALIAS = Kind("alias", "another name of a person or a case", exactly_one_of=("person", "case"))
ALIAS_NAME_DOC = 'another spelling a source uses: "David Halls", "Gutierrez Reed", "Balwin"'


TABLES: tuple[Table, ...] = (
    Table("meta", "Facts about the store itself, as key/value text.", (
        Column("key", "varchar(64)", "the name of the fact (primary key).", primary_key=True),
        Column("value", "text", required=True, doc=(
            "its value. Keys: `schema_version` (the shape of the tables; casekb refuses a "
            "store of another version and tells you to rebuild), `schema_hash` (SHA-256 of "
            "the DDL in `schema.sql` that built it: the default store is rebuilt when it "
            "changes), `input_hash` (SHA-256 over every file of the curated folder), "
            "`built_at` (UTC, ISO 8601), `casekb_version` (the program that built it), "
            "`source_folder` (the curated folder it was built from), `source_bundled` (`true` "
            "when that folder is the curated data shipped with casekb: only such a default "
            "store is rebuilt automatically when casekb's bundled data change).")),
    )),

    fact_table(
        "sources", Kind("source", "a news article"),
        "The news articles facts are taken from.",
        text("file", "varchar(500)", required=True,
             doc="the article's path inside the curated folder "
                 "(`articles/000_97fe48ecf7fe45b9.txt`).",
             field_doc="the article's path under the folder, e.g. "
                       "articles/000_97fe48ecf7fe45b9.txt"),
        text("outlet", "varchar(200)", doc="the publication, where known.",
             field_doc="the publication"),
        text("headline", doc="the headline, where known."),
        text("url", doc="where it was published, where known."),
        partial_date("published", doc="publication date (partial date).",
                     field_doc="publication date, as precise as known"),
        text("basis", doc="how outlet, headline and date were established (stated in the "
                          "article, or inferred and how).",
             field_doc="how outlet, headline and date were established: \"stated in the "
                       "article's date line\", \"inferred: the article says the verdict came "
                       "'earlier this week'\", ..."),
        # Not curated: the build reads the article.
        Column("sha256", "varchar(64)", "SHA-256 of the article file's bytes.", required=True),
        Column("text", "text", "the article's full text, exactly as in the file.",
               required=True),
        key_doc="row id and the curator's id for the article.", evidence=False),

    fact_table(
        "cases", Kind("case", "a criminal case"),
        "A criminal case, or a group of prosecutions from one incident.",
        text("title", required=True, searchable=True, doc="a short title."),
        text("jurisdiction", "varchar(200)", index=True,
             doc='where it is prosecuted ("New Mexico").', field_doc='e.g. "New Mexico"'),
        text("venue", "varchar(200)", doc="the court or county, where stated.",
             field_doc="the court or county"),
        partial_date("incident", doc="when the incident happened (partial date).",
                     field_doc="when the incident happened"),
        text("summary", doc="a short description."),
        key_doc="row id and the curator's id (`\"rust\"`)."),

    fact_table(
        "people", Kind("person", "a person named in the sources"),
        "People named in the sources.",
        text("name", required=True, searchable=True,
             doc="the fullest correct spelling the sources use; for a group or an unnamed "
                 "person, the words the source uses (\"Baldwin's lawyers\", \"a Twitter "
                 "user\").",
             field_doc="the fullest correct spelling the sources use; for a group or an "
                       "unnamed person, the source's words for them"),
        vocabulary("kind", vocab.PERSON_KINDS, "varchar(20)", default="person",
                   doc="{values}: a named person, several people spoken of as one, or a "
                       "person the source does not name.",
                   field_doc="person (default), group (\"Baldwin's lawyers\") or unnamed "
                             "(\"one user wrote\")"),
        key_doc="row id and the curator's id (`\"alec-baldwin\"`)."),

    fact_table(
        "person_aliases", ALIAS,
        "Spelling variants of a person's name used by a source (\"David Halls\", \"Gutierrez "
        "Reed\", the misprint \"Balwin\"), so that a search by any of them finds the person.",
        reference("person", doc="the person (people.id).",
                  field_doc="the person this is a name of"),
        text("name", column="alias", required=True, searchable=True, doc="the variant.",
             field_doc=ALIAS_NAME_DOC),
        Unique(("person_id", "alias_folded")),
        key_doc="row id and the curator's id of the alias record.",
        note_doc="curator's remarks (e.g. that the spelling is a misprint)."),

    fact_table(
        "case_aliases", ALIAS,
        "Other names of a case (\"Rust shooting\").",
        reference("case", doc="the case (cases.id).", field_doc="the case this is a name of"),
        text("name", column="alias", required=True, searchable=True, doc="the other name.",
             field_doc=ALIAS_NAME_DOC),
        Unique(("case_id", "alias_folded")),
        key_doc="row id and the curator's id of the alias record."),

    fact_table(
        "roles", Kind("role", "a person's part in a case"),
        "A person's part in a case.",
        reference("case", doc="the case (cases.id).", index=False),
        reference("person", doc="the person (people.id)."),
        vocabulary("role", vocab.ROLES, "varchar(40)", required=True, doc="{values}."),
        text("title", "varchar(200)",
             doc='the person\'s job or position in the story ("armorer", "first assistant '
                 'director"), where stated.',
             field_doc='e.g. "armorer", "first assistant director"'),
        Index("ix_roles_case_role", ("case_id", "role"))),

    fact_table(
        "offenses", Kind("offense", "a crime as defined in a jurisdiction"),
        "A crime as defined in a jurisdiction.",
        text("name", required=True, searchable=True,
             doc='the offense ("involuntary manslaughter").',
             field_doc='e.g. "involuntary manslaughter"'),
        text("jurisdiction", "varchar(200)", doc="whose law defines it."),
        vocabulary("class", vocab.OFFENSE_CLASSES, "varchar(40)", column="offense_class",
                   doc="{values}, where stated."),
        text("statute", "varchar(200)", doc="the statute cited, where stated.")),

    fact_table(
        "charges", Kind("charge", "a charge against a defendant"),
        "A charge against a defendant in a case.",
        reference("case", doc="the case (cases.id)."),
        reference("defendant", "person", on_delete=None, doc="the charged person (people.id).",
                  field_doc="the id of the charged person"),
        reference("offense", on_delete=None, doc="the offense charged (offenses.id)."),
        integer("counts", doc="the number of counts, where stated.",
                field_doc="the number of counts, at least 1"),
        Check("ck_counts_positive", "counts IS NULL OR counts >= 1"),
        stage(vocab.CHARGE_STAGES, doc="announced (announced or reported as coming) or filed"),
        partial_date("filed", index=True, latest_first=True,
                     doc="the date of its stage: when the charge was filed, or announced."),
        partial_date("closed", doc="when it ended (dismissed, dropped, decided)."),
        reference("replaces", "charge", required=False, on_delete=None,
                  doc="the charge this one replaced (superseded, refiled), or NULL.",
                  field_doc="the id of the charge this one replaced (superseded, refiled)"),
        # Not curated: the latest entry of the charge's status history (charge_statuses),
        # kept here so that the common question needs no sub-query; `as of` reads the history.
        Column("status", "varchar(40)", index=True, vocabulary=vocab.CHARGE_STATUSES,
               doc="the charge's status as last reported: the latest entry of its history "
                   "in `charge_statuses` ({values}); NULL when no source states one. For the "
                   "status at an earlier date, read `charge_statuses`."),
        *date_columns("status_reported",
                      "when that status was last reported: the publication date of the "
                      "latest article its entry cites.")),

    fact_table(
        "charge_enhancements", Kind("enhancement", "a sentencing enhancement of a charge"),
        "A sentencing enhancement added to a charge (e.g. a firearm enhancement).",
        reference("charge", doc="the charge (charges.id)."),
        text("enhancement", "varchar(200)", required=True, doc='what it is ("firearm").',
             field_doc='e.g. "firearm"')),

    fact_table(
        "charge_statuses", Kind("status", "a charge's status from a date on"),
        "A charge's status history: each row is the status from a date on.",
        reference("charge", doc="the charge (charges.id).", index=False),
        vocabulary("status", vocab.CHARGE_STATUSES, "varchar(40)", required=True,
                   doc="{values}."),
        partial_date("date", doc="from when (NULL when not stated).",
                     field_doc="from when the charge had this status"),
        # Not curated: the publication date of the latest article the entry cites. Cite on a
        # status only the articles that report it as the charge's current status.
        *date_columns("reported", "when the status was last reported: the publication date "
                                  "of the latest article its evidence cites."),
        Index("ix_charge_statuses_charge_date", ("charge_id", "date"))),

    fact_table(
        "pleas", Kind("plea", "a plea to a charge"),
        "A plea entered to a charge.",
        reference("charge", doc="the charge (charges.id).", index=False),
        vocabulary("plea", vocab.PLEAS, "varchar(40)", required=True, index=True,
                   doc="{values}."),
        stage(vocab.PLEA_STAGES, doc="agreed (in a plea deal, not yet in court) or entered "
                                     "(in court)"),
        partial_date("entered", doc="the date of its stage: when the plea was entered, or "
                                    "agreed."),
        boolean("agreement", doc="1 when the plea was part of a plea agreement, 0 when a "
                                 "source says it was not, NULL when not stated.",
                field_doc="true when part of a plea agreement"),
        Index("ix_pleas_charge_entered", ("charge_id", "entered"))),

    fact_table(
        "verdicts", Kind("verdict", "how a charge was disposed of"),
        "How a charge was disposed of.",
        reference("charge", doc="the charge (charges.id)."),
        vocabulary("outcome", vocab.OUTCOMES, "varchar(40)", required=True, index=True,
                   doc="{values}."),
        # Indexed: "the latest verdicts".
        partial_date("decided", index=True, latest_first=True, doc="when (partial date)."),
        vocabulary("by", vocab.DECIDED_BY, "varchar(20)", column="decided_by",
                   doc="{values}, where stated."),
        text("findings", verbatim=True,
             doc="what the jury or judge found, in the article's words (they occur verbatim "
                 "in an article of the verdict's evidence).",
             field_doc="what the jury or judge found, in the article's words; must occur in "
                       "one of the evidence articles")),

    fact_table(
        "sentences", Kind("sentence", "a sentence imposed on a charge"),
        "A sentence imposed on a charge. Its components are rows of `penalties` with "
        "`bound = 'imposed'` and this `sentence_id`.",
        reference("charge", doc="the charge (charges.id)."),
        stage(vocab.SENTENCE_STAGES, doc="agreed (terms agreed in a deal) or imposed (by a "
                                         "court)"),
        # Indexed: "the latest sentences" sorts by it (10.5 ms -> 0.06 ms on 10k cases).
        partial_date("imposed", index=True, latest_first=True,
                     doc="the date of its stage: when it was imposed, or agreed."),
        text("summary", doc="the sentence in words.")),

    fact_table(
        "penalties", Kind("penalty", "one component of a punishment",
                          exactly_one_of=("offense", "charge", "enhancement", "sentence")),
        "One component of a punishment: a statutory bound of an offense, a charge or an "
        "enhancement, or a term of a sentence. Exactly one of `offense_id`, `charge_id`, "
        "`enhancement_id`, `sentence_id` is set.",
        reference("offense", required=False,
                  doc="the offense whose statutory bound this is (offenses.id), or NULL.",
                  field_doc="for a statutory bound of an offense"),
        reference("charge", required=False,
                  doc="the charge whose statutory bound this is (charges.id), or NULL.",
                  field_doc="for a statutory bound of a charge"),
        reference("enhancement", required=False,
                  doc="the enhancement whose bound this is (charge_enhancements.id), or NULL.",
                  field_doc="for a bound an enhancement carries (a mandatory minimum)"),
        reference("sentence", required=False,
                  doc="the sentence this is a component of (sentences.id), or NULL.",
                  field_doc="for a component of a sentence"),
        vocabulary("kind", vocab.PENALTY_KINDS, "varchar(40)", required=True, index=True,
                   doc="{values}."),
        vocabulary("bound", vocab.BOUNDS, "varchar(20)", required=True,
                   doc="maximum or minimum (statutory, on an offense, charge or enhancement), "
                       "imposed (on a sentence), or unstated (the source does not say which).",
                   field_doc="maximum or minimum on an offense, charge or enhancement; imposed "
                             "on a sentence; unstated when the source does not say"),
        amount(),
        flag("suspended", doc="1 when the component is suspended."),
        flag("unsupervised", doc="1 when (probation) is unsupervised."),
        boolean("mandatory", doc="1 when the source calls the bound mandatory, NULL when it "
                                 "does not say.",
                field_doc="true when the source calls it mandatory"),
        Index("ix_penalties_dimension_value", ("amount_dimension", "amount_value"))),

    fact_table(
        "events", Kind("event", "a dated step in a case's timeline"),
        "A case's timeline.",
        reference("case", doc="the case (cases.id).", index=False),
        stage(vocab.EVENT_STAGES, doc="expected (anticipated), scheduled (set for a date) or "
                                      "held (it happened)"),
        # Its own index too: "events where date >= 2024-03" spans every case.
        partial_date("date", index=True, latest_first=True,
                     doc="when it happened, or is set or expected to happen."),
        vocabulary("kind", vocab.EVENT_KINDS, "varchar(40)", required=True, index=True,
                   doc="{values}."),
        text("description", required=True, doc="what happened."),
        Index("ix_events_case_date", ("case_id", "date"))),

    fact_table(
        "statements", Kind("statement", "an on-record quote"),
        "On-record words of a person about a case or a person.",
        reference("case", doc="the case (cases.id)."),
        reference("speaker", "person", on_delete=None, doc="who spoke (people.id).",
                  field_doc="the id of the person speaking"),
        references("about", "person", link="statement_subjects",
                   doc="the id of the person spoken about, or an array of them"),
        partial_date("date", column="said", doc="when it was said."),
        vocabulary("stance", vocab.STANCES, "varchar(20)",
                   doc="{values}: the speaker's stance toward the people it is about "
                       "(`statement_subjects`), or toward the prosecution when it is about "
                       "no one; NULL when unclear.",
                   field_doc="the speaker's stance toward each person it is `about`, or toward "
                             "the prosecution when `about` is empty"),
        text("medium", "varchar(200)", doc='where it was said ("Instagram", "TMZ", "ABC '
                                           'interview").',
             field_doc='"Instagram", "TMZ", "ABC interview"'),
        text("quote", required=True, verbatim=True,
             doc="the words said (they occur verbatim in an article of the statement's "
                 "evidence).",
             field_doc="the words said; must occur in one of the evidence articles")),

    link_table("statement_subjects", "The people a statement is about, one row each "
               "(a statement's `about`).", "statement", "person", "person"),

    # The basis of every inferred value, and of every bound the build derived.
    Table("inferences", "Why a value no source states is what it is: one row per inferred "
                        "field of a fact (the curator's basis) and per date bound the build "
                        "derived (from the publication of the articles reporting the fact).", (
        Column("id", "integer", "row id.", primary_key=True),
        Column("fact_table", "varchar(40)", "the table of the fact ('charges', 'pleas', ...).",
               required=True),
        Column("fact_id", "integer", "the `id` of that fact in `fact_table`.", required=True),
        Column("field", "varchar(60)", required=True,
               doc="the curated field (\"counts\"), or one bound of a date (\"filed.earliest\", "
                   "\"filed.latest\")."),
        Column("basis", "text", "the reasoning, or where a derived bound comes from.",
               required=True),
        Column("derived", "boolean", "1 for a bound the build derived, 0 for the curator's "
                                     "inference.", required=True, default=False),
        Index("ix_inferences_fact", ("fact_table", "fact_id")),
    )),

    # The evidence of every record: its entries are the curated {source, quote, note}.
    Table("evidence", "The (source, quote) pairs behind every fact row.", (
        Column("id", "integer", "row id.", primary_key=True),
        reference("source", doc="the article (sources.id)."),
        Column("fact_table", "varchar(40)", required=True,
               doc="the table of the fact this supports ('charges', 'pleas', "
                   "'person_aliases', ...)."),
        Column("fact_id", "integer", "the `id` of that fact in `fact_table`.", required=True),
        text("quote", required=True,
             doc="the verbatim quote from the article (as curated; the match with the "
                 "article ignores only curly-versus-straight quotes, dash variants and runs "
                 "of white space)."),
        text("note", doc="curator's remarks on this piece of evidence."),
        Index("ix_evidence_fact", ("fact_table", "fact_id")),
    )),

    fact_table(
        "disputes", Kind("dispute", "a disagreement between sources"),
        "A disagreement between sources.",
        reference("case", required=False, doc="the case it concerns (cases.id), or NULL."),
        text("subject", required=True, doc="what the sources disagree on.",
             field_doc="what the sources disagree on"),
        # The claims go to dispute_claims.
        Field("claims", CLAIMS, required=True,
              doc='two or more "kind:id" references to the conflicting records, e.g. '
                  '"plea:halls-plea-guilty"'),
        evidence=False),

    Table("dispute_claims", "The conflicting facts of a dispute, one row each.", (
        Column("id", "integer", "row id.", primary_key=True),
        Column("dispute_id", "integer", "the dispute (disputes.id).", required=True, index=True,
               refers_to="dispute", on_delete="CASCADE"),
        Column("fact_table", "varchar(40)", "the table of the claimed fact.", required=True),
        Column("fact_id", "integer", "its `id` in that table.", required=True),
        Index("ix_dispute_claims_fact", ("fact_table", "fact_id")),
    )),
)


# -- what is derived from it, once -------------------------------------------------------------

BY_NAME: dict[str, Table] = {table.name: table for table in TABLES}

# The record kinds, in the order of their first table (see the module's doc).
KIND_ORDER: tuple[str, ...] = tuple(dict.fromkeys(t.kind.name for t in TABLES if t.kind))

_TABLES_OF_KIND: dict[str, tuple[str, ...]] = {
    kind: tuple(t.name for t in TABLES if t.kind and t.kind.name == kind) for kind in KIND_ORDER}


def table_named(name: str) -> Table:
    """The declared table called `name` (KeyError for an unknown name)."""
    return BY_NAME[name]


def kind_of_table(name: str) -> str | None:
    """The record kind whose records fill the table `name`; None for a table no kind fills
    (meta, evidence, dispute_claims). KeyError for an unknown table."""
    kind = BY_NAME[name].kind
    return kind.name if kind else None


def tables_of_kind(kind: str) -> tuple[str, ...]:
    """The table(s) a record kind fills: one, or one per owner (alias: person_aliases,
    case_aliases). KeyError for an unknown kind."""
    return _TABLES_OF_KIND[kind]


def declared_kind(kind: str) -> Kind:
    """The declaration of a record kind."""
    return BY_NAME[tables_of_kind(kind)[0]].kind


def table_for(kind: str, owner: str | None = None) -> str:
    """The table a record of `kind` goes to; for a kind stored by owner (alias), the table
    holding the reference to `owner`."""
    tables = tables_of_kind(kind)
    if owner is None and len(tables) == 1:
        return tables[0]
    for name in tables:
        if any(field.name == owner for field in BY_NAME[name].fields):
            return name
    raise KeyError(f"no table of {kind} records holds the field {owner!r}")


def referenced_table(kind: str) -> str:
    """The table whose `id` a reference to a `kind` record holds."""
    tables = tables_of_kind(kind)
    if len(tables) != 1:
        raise ValueError(f"a reference to {kind} records would not name one table")
    return tables[0]


def fields_of_kind(kind: str) -> tuple[Field, ...]:
    """The curated fields of a kind, in order: those of its first table; a kind stored by
    owner has each owner's reference. The members of an exactly-one-of group stand together,
    in the group's order, and none is required by itself."""
    tables = [BY_NAME[name] for name in tables_of_kind(kind)]
    every = {}
    for table in tables:
        for field in table.fields:
            every.setdefault(field.name, field)
    group = declared_kind(kind).exactly_one_of
    order: list[str] = []
    for field in tables[0].fields:
        for name in (group if field.name in group else (field.name,)):
            if name not in order:
                order.append(name)
    missing = set(every) - set(order)
    if missing:
        raise ValueError(f"{kind}: fields {sorted(missing)} are in only some of its tables")
    return tuple(replace(every[name], required=False) if name in group else every[name]
                 for name in order)


def has_evidence(kind: str) -> bool:
    """Whether records of `kind` are facts with evidence."""
    return any(field.type == EVIDENCE for field in fields_of_kind(kind))


def fact_tables() -> tuple[str, ...]:
    """The tables whose rows are facts with evidence (`evidence.fact_table` names them)."""
    return tuple(name for kind in KIND_ORDER if has_evidence(kind)
                 for name in tables_of_kind(kind))
