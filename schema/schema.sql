-- The casekb store, SQLite dialect. Generated from casekb/models.py by `casekb schema`;
-- do not edit by hand (tests/test_schema.py fails when this file drifts).
-- Schema version 1; every store records it in meta.schema_version.
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
	PRIMARY KEY (id), 
	CONSTRAINT ck_incident_precision_vocab CHECK (incident_precision IS NULL OR incident_precision IN ('day', 'month', 'year')), 
	UNIQUE ("key")
);
CREATE INDEX ix_cases_jurisdiction ON cases (jurisdiction);
CREATE INDEX ix_cases_title_folded ON cases (title_folded);

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
	note TEXT, 
	PRIMARY KEY (id), 
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
	CONSTRAINT ck_published_precision_vocab CHECK (published_precision IS NULL OR published_precision IN ('day', 'month', 'year')), 
	UNIQUE ("key")
);

CREATE TABLE case_aliases (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	case_id INTEGER NOT NULL, 
	alias TEXT NOT NULL, 
	alias_folded TEXT NOT NULL, 
	note TEXT, 
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
	filed DATE, 
	filed_end DATE, 
	filed_precision VARCHAR(8), 
	closed DATE, 
	closed_end DATE, 
	closed_precision VARCHAR(8), 
	status VARCHAR(40), 
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_status_vocab CHECK (status IS NULL OR status IN ('pending', 'convicted', 'acquitted', 'dismissed', 'dropped', 'superseded', 'mistrial')), 
	CONSTRAINT ck_filed_precision_vocab CHECK (filed_precision IS NULL OR filed_precision IN ('day', 'month', 'year')), 
	CONSTRAINT ck_closed_precision_vocab CHECK (closed_precision IS NULL OR closed_precision IN ('day', 'month', 'year')), 
	CONSTRAINT ck_counts_positive CHECK (counts IS NULL OR counts >= 1), 
	UNIQUE ("key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	FOREIGN KEY(defendant_id) REFERENCES people (id), 
	FOREIGN KEY(offense_id) REFERENCES offenses (id)
);
CREATE INDEX ix_charges_case_id ON charges (case_id);
CREATE INDEX ix_charges_defendant_id ON charges (defendant_id);
CREATE INDEX ix_charges_filed ON charges (filed);
CREATE INDEX ix_charges_offense_id ON charges (offense_id);
CREATE INDEX ix_charges_status ON charges (status);

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
	date DATE, 
	date_end DATE, 
	date_precision VARCHAR(8), 
	kind VARCHAR(40) NOT NULL, 
	description TEXT NOT NULL, 
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_kind_vocab CHECK (kind IN ('incident', 'investigation', 'interview', 'charges announced', 'charges filed', 'arraignment', 'plea', 'plea agreement', 'hearing', 'trial date set', 'trial', 'verdict', 'sentencing', 'charges dropped', 'statement', 'lawsuit', 'other')), 
	CONSTRAINT ck_date_precision_vocab CHECK (date_precision IS NULL OR date_precision IN ('day', 'month', 'year')), 
	UNIQUE ("key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE
);
CREATE INDEX ix_events_case_date ON events (case_id, date);
CREATE INDEX ix_events_kind ON events (kind);

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
	about_id INTEGER, 
	said DATE, 
	said_end DATE, 
	said_precision VARCHAR(8), 
	stance VARCHAR(20), 
	medium VARCHAR(200), 
	quote TEXT NOT NULL, 
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_stance_vocab CHECK (stance IS NULL OR stance IN ('supportive', 'critical', 'neutral')), 
	CONSTRAINT ck_said_precision_vocab CHECK (said_precision IS NULL OR said_precision IN ('day', 'month', 'year')), 
	UNIQUE ("key"), 
	FOREIGN KEY(case_id) REFERENCES cases (id) ON DELETE CASCADE, 
	FOREIGN KEY(speaker_id) REFERENCES people (id), 
	FOREIGN KEY(about_id) REFERENCES people (id)
);
CREATE INDEX ix_statements_about_id ON statements (about_id);
CREATE INDEX ix_statements_case_id ON statements (case_id);
CREATE INDEX ix_statements_speaker_id ON statements (speaker_id);

CREATE TABLE charge_enhancements (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	charge_id INTEGER NOT NULL, 
	enhancement VARCHAR(200) NOT NULL, 
	note TEXT, 
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
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_status_vocab CHECK (status IN ('pending', 'convicted', 'acquitted', 'dismissed', 'dropped', 'superseded', 'mistrial')), 
	CONSTRAINT ck_date_precision_vocab CHECK (date_precision IS NULL OR date_precision IN ('day', 'month', 'year')), 
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
	entered DATE, 
	entered_end DATE, 
	entered_precision VARCHAR(8), 
	agreement BOOLEAN, 
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_plea_vocab CHECK (plea IN ('guilty', 'not guilty', 'no contest')), 
	CONSTRAINT ck_entered_precision_vocab CHECK (entered_precision IS NULL OR entered_precision IN ('day', 'month', 'year')), 
	UNIQUE ("key"), 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE
);
CREATE INDEX ix_pleas_charge_entered ON pleas (charge_id, entered);
CREATE INDEX ix_pleas_plea ON pleas (plea);

CREATE TABLE sentences (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	charge_id INTEGER NOT NULL, 
	imposed DATE, 
	imposed_end DATE, 
	imposed_precision VARCHAR(8), 
	summary TEXT, 
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_imposed_precision_vocab CHECK (imposed_precision IS NULL OR imposed_precision IN ('day', 'month', 'year')), 
	UNIQUE ("key"), 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE
);
CREATE INDEX ix_sentences_charge_id ON sentences (charge_id);

CREATE TABLE verdicts (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	charge_id INTEGER NOT NULL, 
	outcome VARCHAR(40) NOT NULL, 
	decided DATE, 
	decided_end DATE, 
	decided_precision VARCHAR(8), 
	decided_by VARCHAR(20), 
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_outcome_vocab CHECK (outcome IN ('guilty', 'not guilty', 'convicted', 'dismissed', 'mistrial')), 
	CONSTRAINT ck_decided_by_vocab CHECK (decided_by IS NULL OR decided_by IN ('jury', 'judge', 'plea')), 
	CONSTRAINT ck_decided_precision_vocab CHECK (decided_precision IS NULL OR decided_precision IN ('day', 'month', 'year')), 
	UNIQUE ("key"), 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE
);
CREATE INDEX ix_verdicts_charge_id ON verdicts (charge_id);
CREATE INDEX ix_verdicts_outcome ON verdicts (outcome);

CREATE TABLE penalties (
	id INTEGER NOT NULL, 
	"key" VARCHAR(200) NOT NULL, 
	offense_id INTEGER, 
	charge_id INTEGER, 
	sentence_id INTEGER, 
	kind VARCHAR(40) NOT NULL, 
	bound VARCHAR(20) NOT NULL, 
	amount_value FLOAT, 
	amount_unit VARCHAR(10), 
	amount_dimension VARCHAR(10), 
	amount_text VARCHAR(100), 
	suspended BOOLEAN NOT NULL, 
	unsupervised BOOLEAN NOT NULL, 
	note TEXT, 
	PRIMARY KEY (id), 
	CONSTRAINT ck_kind_vocab CHECK (kind IN ('prison', 'jail', 'imprisonment', 'probation', 'fine', 'community service', 'suspended sentence', 'class', 'restitution', 'other')), 
	CONSTRAINT ck_bound_vocab CHECK (bound IN ('maximum', 'minimum', 'imposed')), 
	CONSTRAINT ck_amount_dimension_vocab CHECK (amount_dimension IS NULL OR amount_dimension IN ('duration', 'money', 'hours')), 
	CONSTRAINT ck_penalty_one_owner CHECK ((CASE WHEN offense_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN charge_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN sentence_id IS NULL THEN 0 ELSE 1 END) = 1), 
	UNIQUE ("key"), 
	FOREIGN KEY(offense_id) REFERENCES offenses (id) ON DELETE CASCADE, 
	FOREIGN KEY(charge_id) REFERENCES charges (id) ON DELETE CASCADE, 
	FOREIGN KEY(sentence_id) REFERENCES sentences (id) ON DELETE CASCADE
);
CREATE INDEX ix_penalties_charge_id ON penalties (charge_id);
CREATE INDEX ix_penalties_dimension_value ON penalties (amount_dimension, amount_value);
CREATE INDEX ix_penalties_kind ON penalties (kind);
CREATE INDEX ix_penalties_offense_id ON penalties (offense_id);
CREATE INDEX ix_penalties_sentence_id ON penalties (sentence_id);
