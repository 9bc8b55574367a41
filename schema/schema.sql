-- The casekb store, SQLite dialect. Generated from casekb/schema/declaration.py by
-- `casekb schema`; do not edit by hand (tests/test_schema.py fails when this file
-- drifts).
-- Schema version 2; every store records it in meta.schema_version.
PRAGMA application_id = 1667981873;

CREATE TABLE cases (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	title TEXT NOT NULL, 
	title_folded TEXT NOT NULL, 
	jurisdiction VARCHAR(200), 
	venue VARCHAR(200), 
	incident DATE, 
	incident_end DATE, 
	incident_precision VARCHAR(8), 
	summary TEXT, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_incident_precision_vocab CHECK (incident_precision IS NULL OR incident_precision IN ('day', 'month', 'year', 'range')), 
	UNIQUE ("key")
);
CREATE INDEX ix_cases_jurisdiction ON cases (jurisdiction);
CREATE INDEX ix_cases_title_folded ON cases (title_folded);

CREATE TABLE inferences (
	id INTEGER NOT NULL, 
	fact_table VARCHAR(40) NOT NULL, 
	fact_id INTEGER NOT NULL, 
	field VARCHAR(60) NOT NULL, 
	basis TEXT NOT NULL, 
	derived BOOLEAN NOT NULL, 
	PRIMARY KEY (id)
);
CREATE INDEX ix_inferences_fact ON inferences (fact_table, fact_id);

CREATE TABLE meta (
	"key" VARCHAR(64) NOT NULL, 
	value TEXT NOT NULL, 
	PRIMARY KEY ("key")
);

CREATE TABLE offenses (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	name TEXT NOT NULL, 
	name_folded TEXT NOT NULL, 
	jurisdiction VARCHAR(200), 
	offense_class VARCHAR(40), 
	statute VARCHAR(200), 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_offense_class_vocab CHECK (offense_class IS NULL OR offense_class IN ('felony', 'misdemeanor', 'petty misdemeanor', 'infraction')), 
	UNIQUE ("key")
);
CREATE INDEX ix_offenses_name_folded ON offenses (name_folded);

CREATE TABLE people (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	name TEXT NOT NULL, 
	name_folded TEXT NOT NULL, 
	kind VARCHAR(20) NOT NULL, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_kind_vocab CHECK (kind IN ('person', 'group', 'unnamed')), 
	UNIQUE ("key")
);
CREATE INDEX ix_people_name_folded ON people (name_folded);

CREATE TABLE sources (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	file VARCHAR(500) NOT NULL, 
	outlet VARCHAR(200), 
	headline TEXT, 
	url TEXT, 
	published DATE, 
	published_end DATE, 
	published_precision VARCHAR(8), 
	basis TEXT, 
	sha256 VARCHAR(64) NOT NULL, 
	text TEXT NOT NULL, 
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_published_precision_vocab CHECK (published_precision IS NULL OR published_precision IN ('day', 'month', 'year', 'range')), 
	UNIQUE ("key")
);

CREATE TABLE case_aliases (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	case_id INTEGER NOT NULL, 
	alias TEXT NOT NULL, 
	alias_folded TEXT NOT NULL, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	UNIQUE (case_id, alias_folded), 
	UNIQUE ("key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
CREATE INDEX ix_case_aliases_alias_folded ON case_aliases (alias_folded);
CREATE INDEX ix_case_aliases_case_id ON case_aliases (case_id);

CREATE TABLE charges (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	case_id INTEGER NOT NULL, 
	defendant_id INTEGER NOT NULL, 
	offense_id INTEGER NOT NULL, 
	counts INTEGER, 
	stage VARCHAR(20) NOT NULL, 
	filed DATE, 
	filed_end DATE, 
	filed_precision VARCHAR(8), 
	closed DATE, 
	closed_end DATE, 
	closed_precision VARCHAR(8), 
	replaces_id INTEGER, 
	status VARCHAR(40), 
	status_reported DATE, 
	status_reported_end DATE, 
	status_reported_precision VARCHAR(8), 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_counts_positive CHECK (counts IS NULL OR counts >= 1), 
	CONSTRAINT ck_stage_vocab CHECK (stage IN ('announced', 'filed')), 
	CONSTRAINT ck_filed_precision_vocab CHECK (filed_precision IS NULL OR filed_precision IN ('day', 'month', 'year', 'range')), 
	CONSTRAINT ck_closed_precision_vocab CHECK (closed_precision IS NULL OR closed_precision IN ('day', 'month', 'year', 'range')), 
	CONSTRAINT ck_status_vocab CHECK (status IS NULL OR status IN ('pending', 'convicted', 'acquitted', 'dismissed', 'dropped', 'superseded', 'mistrial')), 
	CONSTRAINT ck_status_reported_precision_vocab CHECK (status_reported_precision IS NULL OR status_reported_precision IN ('day', 'month', 'year', 'range')), 
	UNIQUE ("key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	FOREIGN KEY(defendant_id) REFERENCES people (id), 
	FOREIGN KEY(offense_id) REFERENCES offenses (id), 
	FOREIGN KEY(replaces_id) REFERENCES charges (id)
);
CREATE INDEX ix_charges_case_id ON charges (case_id);
CREATE INDEX ix_charges_defendant_id ON charges (defendant_id);
CREATE INDEX ix_charges_filed ON charges (filed);
CREATE INDEX ix_charges_offense_id ON charges (offense_id);
CREATE INDEX ix_charges_replaces_id ON charges (replaces_id);
CREATE INDEX ix_charges_status ON charges (status);
-- PostgreSQL only: CREATE INDEX ix_charges_filed_desc ON charges (filed DESC NULLS LAST);

CREATE TABLE disputes (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	case_id INTEGER, 
	subject TEXT NOT NULL, 
	note TEXT, 
	PRIMARY KEY (id), 
	UNIQUE ("key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
CREATE INDEX ix_disputes_case_id ON disputes (case_id);

CREATE TABLE events (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	case_id INTEGER NOT NULL, 
	stage VARCHAR(20) NOT NULL, 
	date DATE, 
	date_end DATE, 
	date_precision VARCHAR(8), 
	kind VARCHAR(40) NOT NULL, 
	description TEXT NOT NULL, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_stage_vocab CHECK (stage IN ('expected', 'scheduled', 'held')), 
	CONSTRAINT ck_date_precision_vocab CHECK (date_precision IS NULL OR date_precision IN ('day', 'month', 'year', 'range')), 
	CONSTRAINT ck_kind_vocab CHECK (kind IN ('incident', 'investigation', 'interview', 'charges announced', 'charges filed', 'arraignment', 'plea', 'plea agreement', 'hearing', 'trial date set', 'trial', 'verdict', 'sentencing', 'charges dropped', 'statement', 'lawsuit', 'other')), 
	UNIQUE ("key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
CREATE INDEX ix_events_case_date ON events (case_id, date);
CREATE INDEX ix_events_date ON events (date);
CREATE INDEX ix_events_kind ON events (kind);
-- PostgreSQL only: CREATE INDEX ix_events_date_desc ON events (date DESC NULLS LAST);

CREATE TABLE evidence (
	id INTEGER NOT NULL, 
	source_id INTEGER NOT NULL, 
	fact_table VARCHAR(40) NOT NULL, 
	fact_id INTEGER NOT NULL, 
	quote TEXT NOT NULL, 
	note TEXT, 
	PRIMARY KEY (id), 
	FOREIGN KEY(source_id) REFERENCES sources (id) ON DELETE CASCADE
);
CREATE INDEX ix_evidence_fact ON evidence (fact_table, fact_id);
CREATE INDEX ix_evidence_source_id ON evidence (source_id);

CREATE TABLE person_aliases (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	person_id INTEGER NOT NULL, 
	alias TEXT NOT NULL, 
	alias_folded TEXT NOT NULL, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	UNIQUE (person_id, alias_folded), 
	UNIQUE ("key"), 
	FOREIGN KEY(person_id) REFERENCES people (id) ON DELETE CASCADE
);
CREATE INDEX ix_person_aliases_alias_folded ON person_aliases (alias_folded);
CREATE INDEX ix_person_aliases_person_id ON person_aliases (person_id);

CREATE TABLE roles (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	case_id INTEGER NOT NULL, 
	person_id INTEGER NOT NULL, 
	role VARCHAR(40) NOT NULL, 
	title VARCHAR(200), 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_role_vocab CHECK (role IN ('defendant', 'victim', 'prosecutor', 'defence counsel', 'judge', 'juror', 'witness', 'possible witness', 'interviewer', 'investigator', 'family', 'other')), 
	UNIQUE ("key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	FOREIGN KEY(person_id) REFERENCES people (id) ON DELETE CASCADE
);
CREATE INDEX ix_roles_case_role ON roles (case_id, role);
CREATE INDEX ix_roles_person_id ON roles (person_id);

CREATE TABLE statements (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	case_id INTEGER NOT NULL, 
	speaker_id INTEGER NOT NULL, 
	said DATE, 
	said_end DATE, 
	said_precision VARCHAR(8), 
	stance VARCHAR(20), 
	medium VARCHAR(200), 
	quote TEXT NOT NULL, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_said_precision_vocab CHECK (said_precision IS NULL OR said_precision IN ('day', 'month', 'year', 'range')), 
	CONSTRAINT ck_stance_vocab CHECK (stance IS NULL OR stance IN ('supportive', 'critical', 'neutral')), 
	UNIQUE ("key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	FOREIGN KEY(speaker_id) REFERENCES people (id)
);
CREATE INDEX ix_statements_case_id ON statements (case_id);
CREATE INDEX ix_statements_speaker_id ON statements (speaker_id);

CREATE TABLE charge_enhancements (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	charge_id INTEGER NOT NULL, 
	enhancement VARCHAR(200) NOT NULL, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	UNIQUE ("key"), 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE
);
CREATE INDEX ix_charge_enhancements_charge_id ON charge_enhancements (charge_id);

CREATE TABLE charge_statuses (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	charge_id INTEGER NOT NULL, 
	status VARCHAR(40) NOT NULL, 
	date DATE, 
	date_end DATE, 
	date_precision VARCHAR(8), 
	reported DATE, 
	reported_end DATE, 
	reported_precision VARCHAR(8), 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_status_vocab CHECK (status IN ('pending', 'convicted', 'acquitted', 'dismissed', 'dropped', 'superseded', 'mistrial')), 
	CONSTRAINT ck_date_precision_vocab CHECK (date_precision IS NULL OR date_precision IN ('day', 'month', 'year', 'range')), 
	CONSTRAINT ck_reported_precision_vocab CHECK (reported_precision IS NULL OR reported_precision IN ('day', 'month', 'year', 'range')), 
	UNIQUE ("key"), 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE
);
CREATE INDEX ix_charge_statuses_charge_date ON charge_statuses (charge_id, date);

CREATE TABLE dispute_claims (
	id INTEGER NOT NULL, 
	dispute_id INTEGER NOT NULL, 
	fact_table VARCHAR(40) NOT NULL, 
	fact_id INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(dispute_id) REFERENCES disputes (id) ON DELETE CASCADE
);
CREATE INDEX ix_dispute_claims_dispute_id ON dispute_claims (dispute_id);
CREATE INDEX ix_dispute_claims_fact ON dispute_claims (fact_table, fact_id);

CREATE TABLE pleas (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	charge_id INTEGER NOT NULL, 
	plea VARCHAR(40) NOT NULL, 
	stage VARCHAR(20) NOT NULL, 
	entered DATE, 
	entered_end DATE, 
	entered_precision VARCHAR(8), 
	agreement BOOLEAN, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_plea_vocab CHECK (plea IN ('guilty', 'not guilty', 'no contest')), 
	CONSTRAINT ck_stage_vocab CHECK (stage IN ('agreed', 'entered')), 
	CONSTRAINT ck_entered_precision_vocab CHECK (entered_precision IS NULL OR entered_precision IN ('day', 'month', 'year', 'range')), 
	UNIQUE ("key"), 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE
);
CREATE INDEX ix_pleas_charge_entered ON pleas (charge_id, entered);
CREATE INDEX ix_pleas_plea ON pleas (plea);

CREATE TABLE sentences (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	charge_id INTEGER NOT NULL, 
	stage VARCHAR(20) NOT NULL, 
	imposed DATE, 
	imposed_end DATE, 
	imposed_precision VARCHAR(8), 
	summary TEXT, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_stage_vocab CHECK (stage IN ('agreed', 'imposed')), 
	CONSTRAINT ck_imposed_precision_vocab CHECK (imposed_precision IS NULL OR imposed_precision IN ('day', 'month', 'year', 'range')), 
	UNIQUE ("key"), 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE
);
CREATE INDEX ix_sentences_charge_id ON sentences (charge_id);
CREATE INDEX ix_sentences_imposed ON sentences (imposed);
-- PostgreSQL only: CREATE INDEX ix_sentences_imposed_desc ON sentences (imposed DESC NULLS LAST);

CREATE TABLE statement_subjects (
	id INTEGER NOT NULL, 
	statement_id INTEGER NOT NULL, 
	person_id INTEGER NOT NULL, 
	PRIMARY KEY (id), 
	FOREIGN KEY(statement_id) REFERENCES statements (id) ON DELETE CASCADE, 
	FOREIGN KEY(person_id) REFERENCES people (id)
);
CREATE INDEX ix_statement_subjects_person_id ON statement_subjects (person_id);
CREATE INDEX ix_statement_subjects_statement_id ON statement_subjects (statement_id);

CREATE TABLE verdicts (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	charge_id INTEGER NOT NULL, 
	outcome VARCHAR(40) NOT NULL, 
	decided DATE, 
	decided_end DATE, 
	decided_precision VARCHAR(8), 
	decided_by VARCHAR(20), 
	findings TEXT, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_outcome_vocab CHECK (outcome IN ('guilty', 'not guilty', 'convicted', 'dismissed', 'mistrial')), 
	CONSTRAINT ck_decided_precision_vocab CHECK (decided_precision IS NULL OR decided_precision IN ('day', 'month', 'year', 'range')), 
	CONSTRAINT ck_decided_by_vocab CHECK (decided_by IS NULL OR decided_by IN ('jury', 'judge', 'plea')), 
	UNIQUE ("key"), 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE
);
CREATE INDEX ix_verdicts_charge_id ON verdicts (charge_id);
CREATE INDEX ix_verdicts_decided ON verdicts (decided);
CREATE INDEX ix_verdicts_outcome ON verdicts (outcome);
-- PostgreSQL only: CREATE INDEX ix_verdicts_decided_desc ON verdicts (decided DESC NULLS LAST);

CREATE TABLE penalties (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	offense_id INTEGER, 
	charge_id INTEGER, 
	enhancement_id INTEGER, 
	sentence_id INTEGER, 
	kind VARCHAR(40) NOT NULL, 
	bound VARCHAR(20) NOT NULL, 
	amount_value FLOAT, 
	amount_unit VARCHAR(10), 
	amount_dimension VARCHAR(10), 
	amount_text VARCHAR(100), 
	suspended BOOLEAN NOT NULL, 
	unsupervised BOOLEAN NOT NULL, 
	mandatory BOOLEAN, 
	note TEXT, 
	inferred TEXT, 
	derived TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_kind_vocab CHECK (kind IN ('prison', 'jail', 'imprisonment', 'probation', 'fine', 'community service', 'suspended sentence', 'class', 'restitution', 'other', 'unstated')), 
	CONSTRAINT ck_bound_vocab CHECK (bound IN ('maximum', 'minimum', 'imposed', 'unstated')), 
	CONSTRAINT ck_amount_dimension_vocab CHECK (amount_dimension IS NULL OR amount_dimension IN ('duration', 'money', 'hours')), 
	CONSTRAINT ck_penalty_one_owner CHECK ((CASE WHEN offense_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN charge_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN enhancement_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN sentence_id IS NULL THEN 0 ELSE 1 END) = 1), 
	UNIQUE ("key"), 
	FOREIGN KEY(offense_id) REFERENCES offenses (id) ON DELETE CASCADE, 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE, 
	FOREIGN KEY(enhancement_id) REFERENCES charge_enhancements (id) ON DELETE CASCADE, 
	FOREIGN KEY(sentence_id) REFERENCES sentences (id) ON DELETE CASCADE
);
CREATE INDEX ix_penalties_charge_id ON penalties (charge_id);
CREATE INDEX ix_penalties_dimension_value ON penalties (amount_dimension, amount_value);
CREATE INDEX ix_penalties_enhancement_id ON penalties (enhancement_id);
CREATE INDEX ix_penalties_kind ON penalties (kind);
CREATE INDEX ix_penalties_offense_id ON penalties (offense_id);
CREATE INDEX ix_penalties_sentence_id ON penalties (sentence_id);

-- Views: one per query-language entity, plus v_evidence and v_disputes.
-- Generated from casekb/lang/registry.py by casekb/build/views.py; see schema/README.md.

CREATE VIEW v_cases AS
SELECT cases.title AS title, (SELECT group_concat(aliases_values.value, ', ') AS sorted_strings_1
FROM (SELECT DISTINCT case_alias.alias AS value
FROM case_aliases AS case_alias
WHERE case_alias.case_id = cases.id AND case_alias.alias IS NOT NULL ORDER BY case_alias.alias) AS aliases_values) AS aliases, cases.jurisdiction AS jurisdiction, cases.venue AS venue, CASE WHEN (cases.incident_precision = 'year') THEN substr(CAST(cases.incident AS VARCHAR), 1, 4) WHEN (cases.incident_precision = 'month') THEN substr(CAST(cases.incident AS VARCHAR), 1, 7) WHEN (cases.incident_precision = 'range') THEN coalesce(CAST(nullif(cases.incident, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(cases.incident_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(cases.incident AS VARCHAR) END AS incident, CAST(nullif(cases.incident, '0001-01-01') AS VARCHAR) AS incident_from, CAST(nullif(cases.incident_end, '9999-12-31') AS VARCHAR) AS incident_to, cases.incident_precision AS incident_precision, cases.summary AS summary, cases."key" AS id, cases.inferred AS inferred, cases.derived AS derived
FROM cases ORDER BY cases.incident ASC NULLS LAST, cases.incident_end ASC, cases.title_folded ASC NULLS LAST, cases.id ASC;

CREATE VIEW v_people AS
SELECT people.name AS name, people.kind AS kind, (SELECT group_concat(aliases_values.value, ', ') AS sorted_strings_1
FROM (SELECT DISTINCT person_alias.alias AS value
FROM person_aliases AS person_alias
WHERE person_alias.person_id = people.id AND person_alias.alias IS NOT NULL ORDER BY person_alias.alias) AS aliases_values) AS aliases, (SELECT group_concat(role_values.value, ', ') AS sorted_strings_2
FROM (SELECT DISTINCT role.role AS value
FROM roles AS role
WHERE role.person_id = people.id AND role.role IS NOT NULL ORDER BY role.role) AS role_values) AS role, (SELECT group_concat(title_values.value, ', ') AS sorted_strings_3
FROM (SELECT DISTINCT role.title AS value
FROM roles AS role
WHERE role.person_id = people.id AND role.title IS NOT NULL ORDER BY role.title) AS title_values) AS title, (SELECT group_concat(case_values.value, ', ') AS sorted_strings_4
FROM (SELECT DISTINCT role_case.title AS value
FROM roles AS role LEFT OUTER JOIN cases AS role_case ON role_case.id = role.case_id
WHERE role.person_id = people.id AND role_case.title IS NOT NULL ORDER BY role_case.title) AS case_values) AS "case", people."key" AS id, people.inferred AS inferred, people.derived AS derived
FROM people ORDER BY people.name_folded ASC NULLS LAST, people.id ASC;

CREATE VIEW v_roles AS
SELECT person.name AS person, cases.title AS "case", roles.role AS role, roles.title AS title, person.kind AS kind, roles."key" AS id, roles.inferred AS inferred, roles.derived AS derived
FROM roles LEFT OUTER JOIN people AS person ON person.id = roles.person_id LEFT OUTER JOIN cases ON cases.id = roles.case_id ORDER BY cases.title_folded ASC NULLS LAST, roles.role ASC NULLS LAST, person.name_folded ASC NULLS LAST, roles.id ASC;

CREATE VIEW v_defendants AS
SELECT defendant.name AS name, cases.title AS "case", roles.title AS title, roles."key" AS id, roles.inferred AS inferred, roles.derived AS derived
FROM roles LEFT OUTER JOIN people AS defendant ON defendant.id = roles.person_id LEFT OUTER JOIN cases ON cases.id = roles.case_id
WHERE roles.role = 'defendant' ORDER BY defendant.name_folded ASC NULLS LAST, cases.title_folded ASC NULLS LAST, roles.id ASC;

CREATE VIEW v_charges AS
SELECT defendant.name AS defendant, offense.name AS offense, charges.counts AS counts, charges.stage AS stage, CASE WHEN (charges.filed_precision = 'year') THEN substr(CAST(charges.filed AS VARCHAR), 1, 4) WHEN (charges.filed_precision = 'month') THEN substr(CAST(charges.filed AS VARCHAR), 1, 7) WHEN (charges.filed_precision = 'range') THEN coalesce(CAST(nullif(charges.filed, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(charges.filed_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(charges.filed AS VARCHAR) END AS filed, CAST(nullif(charges.filed, '0001-01-01') AS VARCHAR) AS filed_from, CAST(nullif(charges.filed_end, '9999-12-31') AS VARCHAR) AS filed_to, charges.filed_precision AS filed_precision, charges.status AS status, CASE WHEN (charges.status_reported_precision = 'year') THEN substr(CAST(charges.status_reported AS VARCHAR), 1, 4) WHEN (charges.status_reported_precision = 'month') THEN substr(CAST(charges.status_reported AS VARCHAR), 1, 7) WHEN (charges.status_reported_precision = 'range') THEN coalesce(CAST(nullif(charges.status_reported, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(charges.status_reported_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(charges.status_reported AS VARCHAR) END AS status_reported, charges.closed IS NULL AND (charges.status IS NULL OR charges.status IN ('pending', 'mistrial')) AND NOT (EXISTS (SELECT successor_charge.id
FROM charges AS successor_charge
WHERE successor_charge.replaces_id = charges.id)) AS in_force, (SELECT group_concat(replaced_by_values.value, ', ') AS sorted_strings_1
FROM (SELECT DISTINCT successor."key" AS value
FROM charges AS successor
WHERE successor.replaces_id = charges.id AND successor."key" IS NOT NULL ORDER BY successor."key") AS replaced_by_values) AS replaced_by, (SELECT group_concat(enhancement_values.value, ', ') AS sorted_strings_2
FROM (SELECT DISTINCT enhancement.enhancement AS value
FROM charge_enhancements AS enhancement
WHERE enhancement.charge_id = charges.id AND enhancement.enhancement IS NOT NULL ORDER BY enhancement.enhancement) AS enhancement_values) AS enhancement, CASE WHEN (charges.closed_precision = 'year') THEN substr(CAST(charges.closed AS VARCHAR), 1, 4) WHEN (charges.closed_precision = 'month') THEN substr(CAST(charges.closed AS VARCHAR), 1, 7) WHEN (charges.closed_precision = 'range') THEN coalesce(CAST(nullif(charges.closed, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(charges.closed_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(charges.closed AS VARCHAR) END AS closed, CAST(nullif(charges.closed, '0001-01-01') AS VARCHAR) AS closed_from, CAST(nullif(charges.closed_end, '9999-12-31') AS VARCHAR) AS closed_to, charges.closed_precision AS closed_precision, offense.offense_class AS class, replaced."key" AS replaces, cases.title AS "case", offense.jurisdiction AS jurisdiction, offense.statute AS statute, charges."key" AS id, charges.inferred AS inferred, charges.derived AS derived
FROM charges LEFT OUTER JOIN people AS defendant ON defendant.id = charges.defendant_id LEFT OUTER JOIN offenses AS offense ON offense.id = charges.offense_id LEFT OUTER JOIN cases ON cases.id = charges.case_id LEFT OUTER JOIN charges AS replaced ON replaced.id = charges.replaces_id ORDER BY defendant.name_folded ASC NULLS LAST, charges.filed ASC NULLS LAST, charges.filed_end ASC, offense.name_folded ASC NULLS LAST, charges.id ASC;

CREATE VIEW v_statuses AS
SELECT defendant.name AS defendant, offense.name AS offense, charge_statuses.status AS status, CASE WHEN (charge_statuses.reported_precision = 'year') THEN substr(CAST(charge_statuses.reported AS VARCHAR), 1, 4) WHEN (charge_statuses.reported_precision = 'month') THEN substr(CAST(charge_statuses.reported AS VARCHAR), 1, 7) WHEN (charge_statuses.reported_precision = 'range') THEN coalesce(CAST(nullif(charge_statuses.reported, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(charge_statuses.reported_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(charge_statuses.reported AS VARCHAR) END AS status_reported, CASE WHEN (charge_statuses.date_precision = 'year') THEN substr(CAST(charge_statuses.date AS VARCHAR), 1, 4) WHEN (charge_statuses.date_precision = 'month') THEN substr(CAST(charge_statuses.date AS VARCHAR), 1, 7) WHEN (charge_statuses.date_precision = 'range') THEN coalesce(CAST(nullif(charge_statuses.date, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(charge_statuses.date_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(charge_statuses.date AS VARCHAR) END AS date, CAST(nullif(charge_statuses.date, '0001-01-01') AS VARCHAR) AS date_from, CAST(nullif(charge_statuses.date_end, '9999-12-31') AS VARCHAR) AS date_to, charge_statuses.date_precision AS date_precision, CASE WHEN (charge_statuses.reported_precision = 'year') THEN substr(CAST(charge_statuses.reported AS VARCHAR), 1, 4) WHEN (charge_statuses.reported_precision = 'month') THEN substr(CAST(charge_statuses.reported AS VARCHAR), 1, 7) WHEN (charge_statuses.reported_precision = 'range') THEN coalesce(CAST(nullif(charge_statuses.reported, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(charge_statuses.reported_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(charge_statuses.reported AS VARCHAR) END AS reported, CAST(nullif(charge_statuses.reported, '0001-01-01') AS VARCHAR) AS reported_from, CAST(nullif(charge_statuses.reported_end, '9999-12-31') AS VARCHAR) AS reported_to, charge_statuses.reported_precision AS reported_precision, cases.title AS "case", charge."key" AS charge, charge_statuses."key" AS id, charge_statuses.inferred AS inferred, charge_statuses.derived AS derived
FROM charge_statuses LEFT OUTER JOIN charges AS charge ON charge.id = charge_statuses.charge_id LEFT OUTER JOIN people AS defendant ON defendant.id = charge.defendant_id LEFT OUTER JOIN offenses AS offense ON offense.id = charge.offense_id LEFT OUTER JOIN cases ON cases.id = charge.case_id ORDER BY defendant.name_folded ASC NULLS LAST, charge_statuses.date ASC NULLS LAST, charge_statuses.date_end ASC, offense.name_folded ASC NULLS LAST, charge_statuses.id ASC;

CREATE VIEW v_pleas AS
SELECT defendant.name AS defendant, offense.name AS offense, pleas.plea AS plea, pleas.stage AS stage, CASE WHEN (pleas.entered_precision = 'year') THEN substr(CAST(pleas.entered AS VARCHAR), 1, 4) WHEN (pleas.entered_precision = 'month') THEN substr(CAST(pleas.entered AS VARCHAR), 1, 7) WHEN (pleas.entered_precision = 'range') THEN coalesce(CAST(nullif(pleas.entered, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(pleas.entered_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(pleas.entered AS VARCHAR) END AS entered, CAST(nullif(pleas.entered, '0001-01-01') AS VARCHAR) AS entered_from, CAST(nullif(pleas.entered_end, '9999-12-31') AS VARCHAR) AS entered_to, pleas.entered_precision AS entered_precision, pleas.agreement AS agreement, cases.title AS "case", charge."key" AS charge, pleas."key" AS id, pleas.inferred AS inferred, pleas.derived AS derived
FROM pleas LEFT OUTER JOIN charges AS charge ON charge.id = pleas.charge_id LEFT OUTER JOIN people AS defendant ON defendant.id = charge.defendant_id LEFT OUTER JOIN offenses AS offense ON offense.id = charge.offense_id LEFT OUTER JOIN cases ON cases.id = charge.case_id ORDER BY pleas.entered ASC NULLS LAST, pleas.entered_end ASC, defendant.name_folded ASC NULLS LAST, pleas.id ASC;

CREATE VIEW v_verdicts AS
SELECT defendant.name AS defendant, offense.name AS offense, verdicts.outcome AS outcome, CASE WHEN (verdicts.decided_precision = 'year') THEN substr(CAST(verdicts.decided AS VARCHAR), 1, 4) WHEN (verdicts.decided_precision = 'month') THEN substr(CAST(verdicts.decided AS VARCHAR), 1, 7) WHEN (verdicts.decided_precision = 'range') THEN coalesce(CAST(nullif(verdicts.decided, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(verdicts.decided_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(verdicts.decided AS VARCHAR) END AS decided, CAST(nullif(verdicts.decided, '0001-01-01') AS VARCHAR) AS decided_from, CAST(nullif(verdicts.decided_end, '9999-12-31') AS VARCHAR) AS decided_to, verdicts.decided_precision AS decided_precision, verdicts.decided_by AS "by", verdicts.findings AS findings, cases.title AS "case", charge."key" AS charge, verdicts."key" AS id, verdicts.inferred AS inferred, verdicts.derived AS derived
FROM verdicts LEFT OUTER JOIN charges AS charge ON charge.id = verdicts.charge_id LEFT OUTER JOIN people AS defendant ON defendant.id = charge.defendant_id LEFT OUTER JOIN offenses AS offense ON offense.id = charge.offense_id LEFT OUTER JOIN cases ON cases.id = charge.case_id ORDER BY verdicts.decided ASC NULLS LAST, verdicts.decided_end ASC, defendant.name_folded ASC NULLS LAST, verdicts.id ASC;

CREATE VIEW v_sentences AS
SELECT defendant.name AS defendant, offense.name AS offense, sentences.stage AS stage, CASE WHEN (sentences.imposed_precision = 'year') THEN substr(CAST(sentences.imposed AS VARCHAR), 1, 4) WHEN (sentences.imposed_precision = 'month') THEN substr(CAST(sentences.imposed AS VARCHAR), 1, 7) WHEN (sentences.imposed_precision = 'range') THEN coalesce(CAST(nullif(sentences.imposed, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(sentences.imposed_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(sentences.imposed AS VARCHAR) END AS imposed, CAST(nullif(sentences.imposed, '0001-01-01') AS VARCHAR) AS imposed_from, CAST(nullif(sentences.imposed_end, '9999-12-31') AS VARCHAR) AS imposed_to, sentences.imposed_precision AS imposed_precision, sentences.summary AS summary, cases.title AS "case", charge."key" AS charge, sentences."key" AS id, sentences.inferred AS inferred, sentences.derived AS derived
FROM sentences LEFT OUTER JOIN charges AS charge ON charge.id = sentences.charge_id LEFT OUTER JOIN people AS defendant ON defendant.id = charge.defendant_id LEFT OUTER JOIN offenses AS offense ON offense.id = charge.offense_id LEFT OUTER JOIN cases ON cases.id = charge.case_id ORDER BY sentences.imposed ASC NULLS LAST, sentences.imposed_end ASC, defendant.name_folded ASC NULLS LAST, sentences.id ASC;

CREATE VIEW v_penalties AS
SELECT defendant.name AS defendant, offense.name AS offense, penalties.kind AS kind, penalties.bound AS bound, sentence.stage AS stage, penalties.amount_text AS amount, penalties.amount_value AS amount_value, CASE WHEN (penalties.amount_dimension = 'duration') THEN 'days' WHEN (penalties.amount_dimension = 'money') THEN 'cents' WHEN (penalties.amount_dimension = 'hours') THEN 'hours' END AS amount_unit, penalties.suspended AS suspended, penalties.unsupervised AS unsupervised, penalties.mandatory AS mandatory, CASE WHEN (penalties.sentence_id IS NOT NULL) THEN 'sentence' WHEN (penalties.charge_id IS NOT NULL) THEN 'charge' WHEN (penalties.enhancement_id IS NOT NULL) THEN 'enhancement' ELSE 'offense' END AS level, cases.title AS "case", offense.jurisdiction AS jurisdiction, charge."key" AS charge, sentence."key" AS sentence, enhancement."key" AS enhancement, penalties."key" AS id, penalties.inferred AS inferred, penalties.derived AS derived
FROM penalties LEFT OUTER JOIN sentences AS sentence ON sentence.id = penalties.sentence_id LEFT OUTER JOIN charge_enhancements AS enhancement ON enhancement.id = penalties.enhancement_id LEFT OUTER JOIN charges AS charge ON charge.id = coalesce(penalties.charge_id, enhancement.charge_id, sentence.charge_id) LEFT OUTER JOIN people AS defendant ON defendant.id = charge.defendant_id LEFT OUTER JOIN offenses AS offense ON offense.id = coalesce(penalties.offense_id, charge.offense_id) LEFT OUTER JOIN cases ON cases.id = charge.case_id ORDER BY defendant.name_folded ASC NULLS LAST, offense.name_folded ASC NULLS LAST, penalties.bound ASC NULLS LAST, penalties.kind ASC NULLS LAST, penalties.id ASC;

CREATE VIEW v_events AS
SELECT cases.title AS "case", CASE WHEN (events.date_precision = 'year') THEN substr(CAST(events.date AS VARCHAR), 1, 4) WHEN (events.date_precision = 'month') THEN substr(CAST(events.date AS VARCHAR), 1, 7) WHEN (events.date_precision = 'range') THEN coalesce(CAST(nullif(events.date, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(events.date_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(events.date AS VARCHAR) END AS date, CAST(nullif(events.date, '0001-01-01') AS VARCHAR) AS date_from, CAST(nullif(events.date_end, '9999-12-31') AS VARCHAR) AS date_to, events.date_precision AS date_precision, events.kind AS kind, events.stage AS stage, events.description AS description, events."key" AS id, events.inferred AS inferred, events.derived AS derived
FROM events LEFT OUTER JOIN cases ON cases.id = events.case_id ORDER BY events.date ASC NULLS LAST, events.date_end ASC, events.id ASC;

CREATE VIEW v_statements AS
SELECT speaker.name AS speaker, (SELECT group_concat(about_values.value, ', ') AS sorted_strings_1
FROM (SELECT DISTINCT subject_person.name AS value
FROM statement_subjects AS subject LEFT OUTER JOIN people AS subject_person ON subject_person.id = subject.person_id
WHERE subject.statement_id = statements.id AND subject_person.name IS NOT NULL ORDER BY subject_person.name) AS about_values) AS about, CASE WHEN (statements.said_precision = 'year') THEN substr(CAST(statements.said AS VARCHAR), 1, 4) WHEN (statements.said_precision = 'month') THEN substr(CAST(statements.said AS VARCHAR), 1, 7) WHEN (statements.said_precision = 'range') THEN coalesce(CAST(nullif(statements.said, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(statements.said_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(statements.said AS VARCHAR) END AS date, CAST(nullif(statements.said, '0001-01-01') AS VARCHAR) AS date_from, CAST(nullif(statements.said_end, '9999-12-31') AS VARCHAR) AS date_to, statements.said_precision AS date_precision, statements.stance AS stance, statements.quote AS quote, statements.medium AS medium, cases.title AS "case", statements."key" AS id, statements.inferred AS inferred, statements.derived AS derived
FROM statements LEFT OUTER JOIN people AS speaker ON speaker.id = statements.speaker_id LEFT OUTER JOIN cases ON cases.id = statements.case_id ORDER BY statements.said ASC NULLS LAST, statements.said_end ASC, speaker.name_folded ASC NULLS LAST, statements.id ASC;

CREATE VIEW v_inferences AS
SELECT CASE WHEN (inferences.fact_table = 'cases') THEN 'case:' || (SELECT claimed_cases."key"
FROM cases AS claimed_cases
WHERE claimed_cases.id = inferences.fact_id) WHEN (inferences.fact_table = 'people') THEN 'person:' || (SELECT claimed_people."key"
FROM people AS claimed_people
WHERE claimed_people.id = inferences.fact_id) WHEN (inferences.fact_table = 'person_aliases') THEN 'alias:' || (SELECT claimed_person_aliases."key"
FROM person_aliases AS claimed_person_aliases
WHERE claimed_person_aliases.id = inferences.fact_id) WHEN (inferences.fact_table = 'case_aliases') THEN 'alias:' || (SELECT claimed_case_aliases."key"
FROM case_aliases AS claimed_case_aliases
WHERE claimed_case_aliases.id = inferences.fact_id) WHEN (inferences.fact_table = 'roles') THEN 'role:' || (SELECT claimed_roles."key"
FROM roles AS claimed_roles
WHERE claimed_roles.id = inferences.fact_id) WHEN (inferences.fact_table = 'offenses') THEN 'offense:' || (SELECT claimed_offenses."key"
FROM offenses AS claimed_offenses
WHERE claimed_offenses.id = inferences.fact_id) WHEN (inferences.fact_table = 'charges') THEN 'charge:' || (SELECT claimed_charges."key"
FROM charges AS claimed_charges
WHERE claimed_charges.id = inferences.fact_id) WHEN (inferences.fact_table = 'charge_enhancements') THEN 'enhancement:' || (SELECT claimed_charge_enhancements."key"
FROM charge_enhancements AS claimed_charge_enhancements
WHERE claimed_charge_enhancements.id = inferences.fact_id) WHEN (inferences.fact_table = 'charge_statuses') THEN 'status:' || (SELECT claimed_charge_statuses."key"
FROM charge_statuses AS claimed_charge_statuses
WHERE claimed_charge_statuses.id = inferences.fact_id) WHEN (inferences.fact_table = 'pleas') THEN 'plea:' || (SELECT claimed_pleas."key"
FROM pleas AS claimed_pleas
WHERE claimed_pleas.id = inferences.fact_id) WHEN (inferences.fact_table = 'verdicts') THEN 'verdict:' || (SELECT claimed_verdicts."key"
FROM verdicts AS claimed_verdicts
WHERE claimed_verdicts.id = inferences.fact_id) WHEN (inferences.fact_table = 'sentences') THEN 'sentence:' || (SELECT claimed_sentences."key"
FROM sentences AS claimed_sentences
WHERE claimed_sentences.id = inferences.fact_id) WHEN (inferences.fact_table = 'penalties') THEN 'penalty:' || (SELECT claimed_penalties."key"
FROM penalties AS claimed_penalties
WHERE claimed_penalties.id = inferences.fact_id) WHEN (inferences.fact_table = 'events') THEN 'event:' || (SELECT claimed_events."key"
FROM events AS claimed_events
WHERE claimed_events.id = inferences.fact_id) WHEN (inferences.fact_table = 'statements') THEN 'statement:' || (SELECT claimed_statements."key"
FROM statements AS claimed_statements
WHERE claimed_statements.id = inferences.fact_id) END AS fact, inferences.field AS field, inferences.derived AS derived, inferences.basis AS basis
FROM inferences ORDER BY CASE WHEN (inferences.fact_table = 'cases') THEN 'case:' || (SELECT claimed_cases."key"
FROM cases AS claimed_cases
WHERE claimed_cases.id = inferences.fact_id) WHEN (inferences.fact_table = 'people') THEN 'person:' || (SELECT claimed_people."key"
FROM people AS claimed_people
WHERE claimed_people.id = inferences.fact_id) WHEN (inferences.fact_table = 'person_aliases') THEN 'alias:' || (SELECT claimed_person_aliases."key"
FROM person_aliases AS claimed_person_aliases
WHERE claimed_person_aliases.id = inferences.fact_id) WHEN (inferences.fact_table = 'case_aliases') THEN 'alias:' || (SELECT claimed_case_aliases."key"
FROM case_aliases AS claimed_case_aliases
WHERE claimed_case_aliases.id = inferences.fact_id) WHEN (inferences.fact_table = 'roles') THEN 'role:' || (SELECT claimed_roles."key"
FROM roles AS claimed_roles
WHERE claimed_roles.id = inferences.fact_id) WHEN (inferences.fact_table = 'offenses') THEN 'offense:' || (SELECT claimed_offenses."key"
FROM offenses AS claimed_offenses
WHERE claimed_offenses.id = inferences.fact_id) WHEN (inferences.fact_table = 'charges') THEN 'charge:' || (SELECT claimed_charges."key"
FROM charges AS claimed_charges
WHERE claimed_charges.id = inferences.fact_id) WHEN (inferences.fact_table = 'charge_enhancements') THEN 'enhancement:' || (SELECT claimed_charge_enhancements."key"
FROM charge_enhancements AS claimed_charge_enhancements
WHERE claimed_charge_enhancements.id = inferences.fact_id) WHEN (inferences.fact_table = 'charge_statuses') THEN 'status:' || (SELECT claimed_charge_statuses."key"
FROM charge_statuses AS claimed_charge_statuses
WHERE claimed_charge_statuses.id = inferences.fact_id) WHEN (inferences.fact_table = 'pleas') THEN 'plea:' || (SELECT claimed_pleas."key"
FROM pleas AS claimed_pleas
WHERE claimed_pleas.id = inferences.fact_id) WHEN (inferences.fact_table = 'verdicts') THEN 'verdict:' || (SELECT claimed_verdicts."key"
FROM verdicts AS claimed_verdicts
WHERE claimed_verdicts.id = inferences.fact_id) WHEN (inferences.fact_table = 'sentences') THEN 'sentence:' || (SELECT claimed_sentences."key"
FROM sentences AS claimed_sentences
WHERE claimed_sentences.id = inferences.fact_id) WHEN (inferences.fact_table = 'penalties') THEN 'penalty:' || (SELECT claimed_penalties."key"
FROM penalties AS claimed_penalties
WHERE claimed_penalties.id = inferences.fact_id) WHEN (inferences.fact_table = 'events') THEN 'event:' || (SELECT claimed_events."key"
FROM events AS claimed_events
WHERE claimed_events.id = inferences.fact_id) WHEN (inferences.fact_table = 'statements') THEN 'statement:' || (SELECT claimed_statements."key"
FROM statements AS claimed_statements
WHERE claimed_statements.id = inferences.fact_id) END COLLATE NOCASE ASC NULLS LAST, inferences.field COLLATE NOCASE ASC NULLS LAST, inferences.id ASC;

CREATE VIEW v_sources AS
SELECT sources."key" AS id, sources.outlet AS outlet, sources.headline AS headline, CASE WHEN (sources.published_precision = 'year') THEN substr(CAST(sources.published AS VARCHAR), 1, 4) WHEN (sources.published_precision = 'month') THEN substr(CAST(sources.published AS VARCHAR), 1, 7) WHEN (sources.published_precision = 'range') THEN coalesce(CAST(nullif(sources.published, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(sources.published_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(sources.published AS VARCHAR) END AS published, CAST(nullif(sources.published, '0001-01-01') AS VARCHAR) AS published_from, CAST(nullif(sources.published_end, '9999-12-31') AS VARCHAR) AS published_to, sources.published_precision AS published_precision, sources.file AS file, sources.url AS url
FROM sources ORDER BY sources.published ASC NULLS LAST, sources.published_end ASC, sources."key" COLLATE NOCASE ASC NULLS LAST, sources.id ASC;

CREATE VIEW v_evidence AS
SELECT evidence.fact_table AS fact_table, CASE WHEN (evidence.fact_table = 'case_aliases') THEN (SELECT fact."key"
FROM case_aliases AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'cases') THEN (SELECT fact."key"
FROM cases AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'charge_enhancements') THEN (SELECT fact."key"
FROM charge_enhancements AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'charge_statuses') THEN (SELECT fact."key"
FROM charge_statuses AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'charges') THEN (SELECT fact."key"
FROM charges AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'events') THEN (SELECT fact."key"
FROM events AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'offenses') THEN (SELECT fact."key"
FROM offenses AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'penalties') THEN (SELECT fact."key"
FROM penalties AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'people') THEN (SELECT fact."key"
FROM people AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'person_aliases') THEN (SELECT fact."key"
FROM person_aliases AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'pleas') THEN (SELECT fact."key"
FROM pleas AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'roles') THEN (SELECT fact."key"
FROM roles AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'sentences') THEN (SELECT fact."key"
FROM sentences AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'statements') THEN (SELECT fact."key"
FROM statements AS fact
WHERE fact.id = evidence.fact_id) WHEN (evidence.fact_table = 'verdicts') THEN (SELECT fact."key"
FROM verdicts AS fact
WHERE fact.id = evidence.fact_id) END AS fact_key, sources."key" AS source, sources.outlet AS outlet, CASE WHEN (sources.published_precision = 'year') THEN substr(CAST(sources.published AS VARCHAR), 1, 4) WHEN (sources.published_precision = 'month') THEN substr(CAST(sources.published AS VARCHAR), 1, 7) WHEN (sources.published_precision = 'range') THEN coalesce(CAST(nullif(sources.published, '0001-01-01') AS VARCHAR), '..') || '/' || coalesce(CAST(nullif(sources.published_end, '9999-12-31') AS VARCHAR), '..') ELSE CAST(sources.published AS VARCHAR) END AS published, sources.headline AS headline, sources.file AS file, evidence.quote AS quote, evidence.note AS note
FROM evidence JOIN sources ON sources.id = evidence.source_id ORDER BY evidence.id;

CREATE VIEW v_disputes AS
SELECT disputes."key" AS dispute, cases.title AS "case", disputes.subject AS subject, dispute_claims.fact_table AS fact_table, CASE WHEN (dispute_claims.fact_table = 'case_aliases') THEN (SELECT fact."key"
FROM case_aliases AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'cases') THEN (SELECT fact."key"
FROM cases AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'charge_enhancements') THEN (SELECT fact."key"
FROM charge_enhancements AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'charge_statuses') THEN (SELECT fact."key"
FROM charge_statuses AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'charges') THEN (SELECT fact."key"
FROM charges AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'events') THEN (SELECT fact."key"
FROM events AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'offenses') THEN (SELECT fact."key"
FROM offenses AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'penalties') THEN (SELECT fact."key"
FROM penalties AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'people') THEN (SELECT fact."key"
FROM people AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'person_aliases') THEN (SELECT fact."key"
FROM person_aliases AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'pleas') THEN (SELECT fact."key"
FROM pleas AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'roles') THEN (SELECT fact."key"
FROM roles AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'sentences') THEN (SELECT fact."key"
FROM sentences AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'statements') THEN (SELECT fact."key"
FROM statements AS fact
WHERE fact.id = dispute_claims.fact_id) WHEN (dispute_claims.fact_table = 'verdicts') THEN (SELECT fact."key"
FROM verdicts AS fact
WHERE fact.id = dispute_claims.fact_id) END AS fact_key, disputes.note AS note
FROM disputes JOIN dispute_claims ON dispute_claims.dispute_id = disputes.id LEFT OUTER JOIN cases ON cases.id = disputes.case_id ORDER BY disputes.id, dispute_claims.id;
