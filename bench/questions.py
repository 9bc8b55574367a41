"""The questions the query benchmark asks (bench/run.py), each with hand-written SQL that gives
the same rows in the same order, as an engineer who knows the schema would write it.

The names, titles and month they ask about are picked from the store, so that every question
finds something on a corpus of any size (bench/corpus.py): a repeat defendant whom statements
are about, an alias, the title most cases share and a title of one case only.
"""

from __future__ import annotations

import calendar
import sqlite3
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class BenchQuery:
    """A question of the language and hand-written SQL giving the same rows in the same
    order: `sql` for sqlite3 (`?` parameters), `postgres_sql` for psycopg when the SQLite
    text is not valid there (None: the same text, `?` made `%s`)."""

    label: str
    text: str
    sql: str
    parameters: tuple = ()
    postgres_sql: str | None = None
    point: bool = False  # a look-up of a few rows by an indexed value


def pick(connection: sqlite3.Connection, *candidates: str):
    """The first value found by one of `candidates` (queries tried in turn): the values the
    questions ask about are picked from the store, so that they find something on a corpus of
    any size (the previous set picked a title at OFFSET 777, which failed under 1,300 cases)."""
    for sql in candidates:
        row = connection.execute(sql).fetchone()
        if row is not None and row[0] is not None:
            return row[0]
    raise SystemExit(f"the store has nothing to ask about ({candidates[-1]})")


def bench_queries(db: Path) -> list[BenchQuery]:
    """The question set, with names and titles picked from the store at `db`."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        # A repeat defendant (charged in two cases or more) whom statements are about, from
        # the middle of the store; else anyone statements are about.
        repeat = ("SELECT person_id FROM roles WHERE role = 'defendant' GROUP BY person_id "
                  "HAVING count(DISTINCT case_id) > 1")
        name = pick(connection,
                    f"SELECT name FROM people WHERE id IN (SELECT person_id FROM statement_subjects) "
                    f"AND id IN ({repeat}) ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 "
                    f"FROM people WHERE id IN (SELECT person_id FROM statement_subjects) "
                    f"AND id IN ({repeat}))",
                    "SELECT name FROM people WHERE id IN (SELECT person_id FROM statement_subjects) "
                    "ORDER BY id LIMIT 1")
        alias = pick(connection,
                     "SELECT alias FROM person_aliases ORDER BY id LIMIT 1 OFFSET "
                     "(SELECT count(*) / 3 FROM person_aliases)")
        # The title most cases share ("State v. Smith"), and a title of one case only (and no
        # other case's other name).
        common_title = pick(connection,
                            "SELECT min(title) FROM cases GROUP BY title_folded "
                            "ORDER BY count(*) DESC, title_folded LIMIT 1")
        unique = ("SELECT min(title) FROM cases GROUP BY title_folded HAVING count(*) = 1 "
                  "AND title_folded NOT IN (SELECT alias_folded FROM case_aliases)")
        one_title = pick(connection,
                         f"{unique} ORDER BY min(id) LIMIT 1 OFFSET "
                         f"(SELECT count(*) / 2 FROM ({unique}))")
        # A piece of a defendant's surname (its last four letters), for `~`: what a reader
        # remembering part of a name types.
        surname = pick(connection,
                       "SELECT name FROM people WHERE id IN (SELECT person_id FROM roles WHERE "
                       "role = 'defendant') ORDER BY id LIMIT 1 OFFSET (SELECT count(*) / 2 "
                       "FROM roles WHERE role = 'defendant')",
                       "SELECT name FROM people WHERE id IN (SELECT person_id FROM roles WHERE "
                       "role = 'defendant') ORDER BY id LIMIT 1")
        piece = surname.rsplit(" ", 1)[-1][-4:].casefold()
        month = pick(connection,
                     "SELECT substr(filed, 1, 7) FROM charges WHERE filed_precision = 'day' "
                     "ORDER BY filed LIMIT 1 OFFSET (SELECT count(*) / 2 FROM charges "
                     "WHERE filed_precision = 'day')")
    finally:
        connection.close()
    year, month_number = (int(part) for part in month.split("-"))
    month_end = f"{month}-{calendar.monthrange(year, month_number)[1]:02d}"

    def marks(*tables: str) -> str:
        """The marks of the rows of `tables` (inferred, derived) that casekb reads beside the
        values it shows, to mark the values the sources do not state."""
        return ", ".join(f"{table}.inferred, {table}.derived" for table in tables)

    def charge_columns(*, left: bool = False) -> str:
        """A charge's columns as `charges` shows them: its status as last reported (and
        when), and whether it is in force (not closed, not replaced, its status standing)."""
        join = "LEFT JOIN" if left else "JOIN"
        return ("SELECT d.name, o.name, c.counts, c.stage, c.filed, c.filed_end, "
                "c.filed_precision, c.status, c.status, c.status_reported, "
                "c.status_reported_end, c.status_reported_precision, "
                "c.closed IS NULL AND (c.status IS NULL OR c.status IN ('pending', 'mistrial')) "
                "AND NOT EXISTS (SELECT 1 FROM charges n WHERE n.replaces_id = c.id), "
                f"{marks('c', 'o')} FROM charges c {join} people d "
                f"ON d.id = c.defendant_id {join} offenses o ON o.id = c.offense_id ")

    earliest = "ORDER BY c.filed, c.filed_end, c.id LIMIT 20"

    charge_order = " ORDER BY d.name_folded, c.filed, c.filed_end, o.name_folded, c.id"
    person_ids = ("(SELECT id FROM people WHERE name_folded = ? UNION "
                  "SELECT person_id FROM person_aliases WHERE alias_folded = ?)")
    case_ids = ("(SELECT id FROM cases WHERE title_folded = ? UNION SELECT case_id FROM "
                "case_aliases WHERE alias_folded = ?)")
    by_name = (name.casefold(), name.casefold())
    by_alias = (alias.casefold(), alias.casefold())
    by_common_title = (common_title.casefold(), common_title.casefold())
    by_one_title = (one_title.casefold(), one_title.casefold())
    charges_of = f"WHERE c.defendant_id IN {person_ids}" + charge_order
    events = ("SELECT c.title, e.date, e.date_end, e.date_precision, e.kind, e.stage, "
              f"e.description, {marks('e')} "
              f"FROM events e JOIN cases c ON c.id = e.case_id WHERE e.case_id IN {case_ids} "
              "ORDER BY e.date, e.date_end, e.id")

    def statements_with_sources(postgres: bool) -> str:
        """Statements about a person, the names they are about listed in one text, each
        with its quotes and their sources."""
        listed = ("string_agg(name, chr(31) ORDER BY name)" if postgres
                  else "group_concat(name, char(31))")
        return ("SELECT sp.name, st.inferred, st.derived, "
                f"(SELECT {listed} FROM (SELECT DISTINCT p.name FROM statement_subjects ss "
                "JOIN people p ON p.id = ss.person_id WHERE ss.statement_id = st.id "
                "ORDER BY p.name) AS x), st.said, st.said_end, st.said_precision, st.stance, "
                "st.quote, src.key, src.outlet, src.published, src.published_end, "
                "src.published_precision, e.quote FROM statements st "
                "JOIN people sp ON sp.id = st.speaker_id "
                "LEFT JOIN evidence e ON e.fact_table = 'statements' AND e.fact_id = st.id "
                "LEFT JOIN sources src ON src.id = e.source_id "
                "WHERE st.id IN (SELECT statement_id FROM statement_subjects "
                f"WHERE person_id IN {person_ids}) "
                "ORDER BY st.said, st.said_end, sp.name_folded, st.id, e.id")

    return [
        BenchQuery("charges of a defendant (name)", f'charges where defendant = "{name}"',
                   charge_columns() + charges_of, by_name, point=True),
        BenchQuery("charges of a defendant (alias)", f'charges where defendant = "{alias}"',
                   charge_columns() + charges_of, by_alias, point=True),
        BenchQuery("cases of the commonest title",
                   f'cases where title = "{common_title}" show title, jurisdiction, incident',
                   "SELECT title, jurisdiction, incident, incident_end, incident_precision, "
                   f"{marks('cases')} FROM cases WHERE id IN {case_ids} "
                   "ORDER BY incident, incident_end, title_folded, id", by_common_title),
        BenchQuery("pleas of a defendant", f'pleas where defendant = "{name}" show plea, entered',
                   "SELECT p.plea, p.entered, p.entered_end, p.entered_precision, "
                   f"{marks('p')} FROM pleas p "
                   "JOIN charges c ON c.id = p.charge_id JOIN people d ON d.id = c.defendant_id "
                   f"WHERE c.defendant_id IN {person_ids} "
                   "ORDER BY p.entered, p.entered_end, d.name_folded, p.id", by_name,
                   point=True),
        BenchQuery("charges filed in a month",
                   f"charges where filed = {month} show defendant, offense, filed",
                   "SELECT d.name, o.name, c.filed, c.filed_end, c.filed_precision, "
                   f"{marks('c', 'o')} FROM charges c "
                   "JOIN people d ON d.id = c.defendant_id JOIN offenses o ON o.id = c.offense_id "
                   f"WHERE c.filed >= '{month}-01' AND c.filed <= '{month_end}' "
                   f"AND c.filed_end <= '{month_end}' "
                   "ORDER BY d.name_folded, c.filed, c.filed_end, o.name_folded, c.id"),
        BenchQuery("prison terms over 5 years",
                   'penalties where kind = "prison" and amount > 5 years show defendant, amount, bound',
                   "SELECT d.name, p.amount_value, p.amount_dimension, p.amount_text, p.bound, "
                   f"{marks('c', 'p')} FROM penalties p "
                   "LEFT JOIN sentences s ON s.id = p.sentence_id "
                   "LEFT JOIN charge_enhancements x ON x.id = p.enhancement_id "
                   "LEFT JOIN charges c ON c.id = coalesce(p.charge_id, x.charge_id, s.charge_id) "
                   "LEFT JOIN people d ON d.id = c.defendant_id "
                   "LEFT JOIN offenses o ON o.id = coalesce(p.offense_id, c.offense_id) "
                   "WHERE p.kind = 'prison' AND p.amount_dimension = 'duration' "
                   "AND p.amount_value > ? "
                   "ORDER BY d.name_folded NULLS LAST, o.name_folded NULLS LAST, p.bound, "
                   "p.kind, p.id", (5 * 365.25,)),
        BenchQuery("fines of $10,000 or more",
                   "penalties where amount >= $10,000 show offense, amount",
                   "SELECT o.name, p.amount_value, p.amount_dimension, p.amount_text, "
                   f"{marks('o', 'p')} FROM penalties p "
                   "LEFT JOIN sentences s ON s.id = p.sentence_id "
                   "LEFT JOIN charge_enhancements x ON x.id = p.enhancement_id "
                   "LEFT JOIN charges c ON c.id = coalesce(p.charge_id, x.charge_id, s.charge_id) "
                   "LEFT JOIN offenses o ON o.id = coalesce(p.offense_id, c.offense_id) "
                   "LEFT JOIN people d ON d.id = c.defendant_id "
                   "WHERE p.amount_dimension = 'money' AND p.amount_value >= 1000000 "
                   "ORDER BY d.name_folded NULLS LAST, o.name_folded NULLS LAST, p.bound, "
                   "p.kind, p.id"),
        BenchQuery("statuses as of a date",
                   f'charges where defendant = "{name}" as of 2025-06-01 show offense, status',
                   # The status last reported on or before the day (none when that report
                   # is older than the day: the sources do not say), and when it was reported.
                   "SELECT o.name, CASE WHEN s.reported_end < '2025-06-01' THEN NULL "
                   "ELSE s.status END, s.status, s.reported, s.reported_end, "
                   f"s.reported_precision, {marks('o')} FROM charges c "
                   "JOIN offenses o ON o.id = c.offense_id JOIN people d ON d.id = c.defendant_id "
                   "LEFT JOIN charge_statuses s ON s.id = (SELECT id FROM charge_statuses "
                   "WHERE charge_id = c.id AND date_end <= '2025-06-01' "
                   "ORDER BY date DESC, date_end DESC, id DESC LIMIT 1) "
                   f"WHERE c.defendant_id IN {person_ids} AND c.filed_end <= '2025-06-01' "
                   "AND (c.closed IS NULL OR c.closed_end >= '2025-06-01') "
                   "AND NOT EXISTS (SELECT 1 FROM charges n WHERE n.replaces_id = c.id "
                   "AND n.filed_end <= '2025-06-01') "
                   "ORDER BY d.name_folded, c.filed, c.filed_end, o.name_folded, c.id", by_name,
                   point=True),
        BenchQuery("count charges by status", "count charges by status",
                   "SELECT status, count(*) FROM charges GROUP BY status "
                   "ORDER BY count(*) DESC, status"),
        BenchQuery("count verdicts by outcome and who decided", "count verdicts by outcome, by",
                   "SELECT outcome, decided_by, count(*) FROM verdicts "
                   "GROUP BY outcome, decided_by ORDER BY count(*) DESC, outcome, decided_by"),
        BenchQuery("count convictions by offense",
                   'count charges where status = "convicted" by offense',
                   "SELECT o.name, count(*) FROM charges c JOIN offenses o ON o.id = c.offense_id "
                   "WHERE c.status = 'convicted' GROUP BY o.name ORDER BY count(*) DESC, o.name"),
        BenchQuery("latest 20 sentences", "sentences order by imposed desc limit 20",
                   "SELECT d.name, o.name, s.stage, s.imposed, s.imposed_end, "
                   f"s.imposed_precision, s.summary, {marks('c', 'o', 's')} FROM sentences s LEFT JOIN charges c ON c.id = s.charge_id "
                   "LEFT JOIN people d ON d.id = c.defendant_id "
                   "LEFT JOIN offenses o ON o.id = c.offense_id "
                   "ORDER BY s.imposed DESC, s.imposed_end DESC, s.id LIMIT 20", point=True),
        # As a competent engineer writes it: LEFT JOINs (every charge has its defendant and
        # offense), so the planner keeps charges first and reads them in the order of the
        # index on `filed`. (The previous baseline joined with inner joins and sorted on
        # `filed IS NULL` first: SQLite led with offenses and sorted every charge; it also
        # left out half the columns casekb shows.)
        BenchQuery("earliest 20 charges", "charges order by filed limit 20",
                   charge_columns(left=True) + earliest, (), point=True),
        BenchQuery("statements with sources", f'statements where about = "{name}" with sources',
                   statements_with_sources(False), by_name,
                   statements_with_sources(True), point=True),
        BenchQuery("events of the commonest title", f'events where case = "{common_title}"',
                   events, by_common_title),
        BenchQuery("events of a case", f'events where case = "{one_title}"', events,
                   by_one_title, point=True),
        BenchQuery("defendants whose name contains text",
                   f'defendants where name ~ "{piece}" limit 50',
                   f"SELECT d.name, c.title, r.title, {marks('r')} FROM roles r JOIN people d ON d.id = r.person_id "
                   "JOIN cases c ON c.id = r.case_id WHERE r.role = 'defendant' AND r.person_id IN "
                   "(SELECT id FROM people WHERE name_folded LIKE ? UNION SELECT person_id "
                   "FROM person_aliases WHERE alias_folded LIKE ?) "
                   "ORDER BY d.name_folded, c.title_folded, r.id LIMIT 50",
                   (f"%{piece}%", f"%{piece}%")),
    ]


def postgres_sql(query: BenchQuery) -> str:
    """The query's baseline as psycopg takes it (`%s` parameters, `%%` for a literal %)."""
    sql = query.postgres_sql or query.sql
    if not query.parameters:  # run without parameters, psycopg reads % as it is
        return sql
    return sql.replace("%", "%%").replace("?", "%s")
