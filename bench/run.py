"""Run every casekb benchmark and print one table of figures.

    python bench/run.py                      # everything: 10k and 100k cases (slow the first time)
    python bench/run.py --quick              # 1k and 10k cases, fewer repeats (a few minutes)
    python bench/run.py --only query,startup # some of: build, query, startup, render
    python bench/run.py --markdown           # the tables as Markdown, for bench/README.md

Every figure is a ratio to a baseline measured in the same run on the same data:

- build: casekb's `build_store` (validate + write, in a fresh process) against raw `sqlite3`
  `executemany` of exactly the rows casekb wrote (read back from its store), into the same
  schema with the same pragmas; rows per second and peak memory (the process's maximum
  resident set);
- query: a fixed set of language queries against hand-written SQL run through raw `sqlite3`
  (medians of runs alternating the two; the same number of rows, and the first column in
  the same order, checked), the language's own overhead (parse +
  compile + render to JSON) for point look-ups, and EXPLAIN QUERY PLAN of each compiled query;
- startup: `casekb query` as a whole process against `python -c "import sqlite3"` and
  `sqlite-utils query` on the same store (the sqlite-utils column is skipped, with a note,
  when it is not installed);
- render: a 10,000-row result written as table, CSV and JSON against plain writers of the
  raw rows.

Generated corpora and built stores are cached under `.bench/` (git-ignored): the first full
run generates and builds 100,000 cases, which takes a while; later runs reuse them.
"""

from __future__ import annotations

import argparse
import io
import itertools
import json
import os
import platform
import resource
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
CACHE = REPO / ".bench"
SEED = 0
PYTHON = sys.executable

sys.path.insert(0, str(HERE))
import corpus as corpus_module

# -- helpers ----------------------------------------------------------------------------------

def median_time(function, repeat: int, *, warmup: int = 1) -> float:
    """Median wall time of `function()` over `repeat` runs, after `warmup` untimed runs."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def paired_median_times(first, second, repeat: int, *,
                        warmup: int = 1) -> tuple[float, float, float]:
    """Run `first()` and `second()` alternately, `repeat` times each (after `warmup` untimed
    runs of both); their median wall times, and the median of the ratios first / second of
    the runs made side by side. On a machine shared with other work the speed changes from
    one moment to the next (the same query's time moved by 1.5x between runs of 25): a run
    and its neighbour share the moment, so their ratio is steadier than a ratio of medians
    taken from two separate blocks of runs."""
    for _ in range(warmup):
        first()
        second()
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeat):
        for function, kept in ((first, times[0]), (second, times[1])):
            started = time.perf_counter()
            function()
            kept.append(time.perf_counter() - started)
    ratios = [a / b for a, b in zip(*times) if b > 0]
    return (statistics.median(times[0]), statistics.median(times[1]),
            statistics.median(ratios) if ratios else float("nan"))


def same_order(rows: list[tuple], raw_rows: list[tuple]) -> bool | None:
    """Whether casekb's rows list the raw rows' first column in the same order (None when
    that column is not plain text on casekb's side, so cannot be compared as is)."""
    if any(row[0] is not None and not isinstance(row[0], str) for row in rows):
        return None
    return [row[0] for row in rows] == [row[0] for row in raw_rows]


def corpus_folder(cases: int) -> Path:
    """The cached corpus of `cases` cases, generated on first use and again whenever
    bench/corpus.py has changed since (its hash is kept beside the corpus)."""
    import hashlib

    folder = CACHE / f"corpus-{cases}"
    done = folder / ".complete"
    generator = hashlib.sha256((HERE / "corpus.py").read_bytes()).hexdigest()[:16]
    stamp = f"{cases} cases, seed {SEED}, generator {generator}\n"
    if not done.exists() or done.read_text() != stamp:
        if folder.exists():
            shutil.rmtree(folder)
        store_path(cases).unlink(missing_ok=True)  # built from the old corpus
        print(f"  generating {cases:,} cases into {folder} ...", file=sys.stderr, flush=True)
        started = time.perf_counter()
        corpus_module.generate(folder, cases, SEED)
        done.write_text(stamp)
        print(f"  ... {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
    return folder


def _schema_url(url: str, schema: str) -> str:
    """`url` with its `schema` query option set (a store is one schema of a database)."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["schema"] = schema
    return urlunsplit(parts._replace(query=urlencode(query)))


def store_path(cases: int) -> Path:
    return CACHE / f"store-{cases}.sqlite"


def ensure_store(cases: int) -> Path:
    """The cached store built from the cached corpus (built by the build benchmark, or here)."""
    path = store_path(cases)
    if not path.exists():
        folder = corpus_folder(cases)
        print(f"  building {path} ...", file=sys.stderr, flush=True)
        subprocess.run([PYTHON, "-m", "casekb", "build", str(folder), "--db", str(path),
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    return path


def child(kind: str, *args: str) -> dict:
    """Run this script's `--child KIND ARGS` in a fresh process; its JSON answer."""
    output = subprocess.run([PYTHON, str(Path(__file__).resolve()), "--child", kind, *args],
                            check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


# -- build --------------------------------------------------------------------------------------

def child_build(folder: str, db: str) -> dict:
    """In a fresh process: casekb's build, then raw executemany of the same rows."""
    from casekb import build
    from casekb.curation import tomlparse
    from casekb.schema.tables import metadata

    started = time.perf_counter()
    report = build.build_store(folder, db, force=True)
    total = time.perf_counter() - started
    build_peak = peak_rss_mb()
    rows = sum(n for table, n in report.rows.items() if table != "meta")
    phases = report.phases

    # The baseline: exactly the rows casekb wrote, as tuples, inserted by raw sqlite3 into
    # the same schema with the same pragmas (foreign keys unchecked while loading, as the
    # build does), in one transaction. The rows are read back from the store casekb built,
    # a batch at a time; only executemany and the commit are timed.
    from casekb.build.ddl import ddl

    tables = metadata().tables
    with tempfile.TemporaryDirectory(dir=Path(db).parent) as scratch:
        raw_path = Path(scratch) / "raw.sqlite"
        source = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        started = time.perf_counter()
        connection = sqlite3.connect(raw_path)
        connection.execute("PRAGMA journal_mode = MEMORY")
        connection.execute("PRAGMA synchronous = OFF")
        connection.executescript(ddl())
        connection.execute("BEGIN")
        raw = time.perf_counter() - started
        for table_name, table in tables.items():
            if table_name == "meta":
                continue
            columns = list(table.c.keys())
            marks = ", ".join("?" * len(columns))
            statement = f'INSERT INTO {table_name} ({", ".join(columns)}) VALUES ({marks})'
            cursor = source.execute(
                f'SELECT {", ".join(columns)} FROM {table_name} ORDER BY id')
            while batch := cursor.fetchmany(50_000):
                started = time.perf_counter()
                connection.executemany(statement, batch)
                raw += time.perf_counter() - started
        started = time.perf_counter()
        connection.execute("COMMIT")
        connection.close()
        raw += time.perf_counter() - started
        source.close()
    return {"rows": rows, "total": total, "validate": phases["index"] + phases["check"],
            "index": phases["index"], "check": phases["check"], "hash": phases["hash"],
            "write": phases["write"], "raw": raw, "toml": tomlparse.parser_name(),
            "peak_mb": build_peak, "store_mb": Path(db).stat().st_size / 2**20}


def bench_build(sizes: list[int]) -> list[dict]:
    results = []
    for cases in sizes:
        folder = corpus_folder(cases)
        db = store_path(cases)
        print(f"  build: {cases:,} cases ...", file=sys.stderr, flush=True)
        figures = child("build", str(folder), str(db))
        figures["cases"] = cases
        print(f"  ... {json.dumps(figures)}", file=sys.stderr, flush=True)
        results.append(figures)
    return results


# -- queries ------------------------------------------------------------------------------------

def query_set(db: Path) -> list[tuple[str, str, str, tuple]]:
    """(label, language query, hand-written SQL, parameters): the same rows, the same order.

    Names and values are picked from the store so every query finds something.
    """
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        name, = connection.execute(
            "SELECT name FROM people WHERE id = (SELECT about_id FROM statements "
            "WHERE about_id IS NOT NULL ORDER BY id LIMIT 1 OFFSET "
            "(SELECT count(*) / 2 FROM statements))").fetchone()
        alias, = connection.execute(
            "SELECT alias FROM person_aliases ORDER BY id LIMIT 1 OFFSET "
            "(SELECT count(*) / 3 FROM person_aliases)").fetchone()
        title, = connection.execute(
            "SELECT title FROM cases WHERE title LIKE 'State v.%' ORDER BY id LIMIT 1 OFFSET 777"
        ).fetchone()
    finally:
        connection.close()

    charge_columns = (
        "SELECT d.name, o.name, o.offense_class, c.counts, "
        "(SELECT group_concat(e, char(31)) FROM (SELECT DISTINCT enhancement AS e FROM "
        "charge_enhancements WHERE charge_id = c.id ORDER BY e)), "
        "c.filed, c.filed_end, c.filed_precision, c.closed, c.closed_end, c.closed_precision, "
        "c.status FROM charges c JOIN people d ON d.id = c.defendant_id "
        "JOIN offenses o ON o.id = c.offense_id ")
    charge_order = (" ORDER BY d.name_folded, c.filed, c.filed_end, o.name_folded, c.id")
    person_ids = ("(SELECT id FROM people WHERE name_folded = ? UNION "
                  "SELECT person_id FROM person_aliases WHERE alias_folded = ?)")
    return [
        ("charges of a defendant (name)", f'charges where defendant = "{name}"',
         charge_columns + f"WHERE c.defendant_id IN {person_ids}" + charge_order,
         (name.casefold(), name.casefold())),
        ("charges of a defendant (alias)", f'charges where defendant = "{alias}"',
         charge_columns + f"WHERE c.defendant_id IN {person_ids}" + charge_order,
         (alias.casefold(), alias.casefold())),
        ("a case by title", f'cases where title = "{title}" show title, jurisdiction, incident',
         "SELECT title, jurisdiction, incident, incident_end, incident_precision FROM cases "
         "WHERE id IN (SELECT id FROM cases WHERE title_folded = ? UNION SELECT case_id FROM "
         "case_aliases WHERE alias_folded = ?) "
         "ORDER BY incident, incident_end, title_folded, id",
         (title.casefold(), title.casefold())),
        ("pleas of a defendant", f'pleas where defendant = "{name}" show plea, entered',
         "SELECT p.plea, p.entered, p.entered_end, p.entered_precision FROM pleas p "
         "JOIN charges c ON c.id = p.charge_id JOIN people d ON d.id = c.defendant_id "
         f"WHERE c.defendant_id IN {person_ids} "
         "ORDER BY p.entered, p.entered_end, d.name_folded, p.id",
         (name.casefold(), name.casefold())),
        ("charges filed in a month", "charges where filed = 2015-03 show defendant, offense, filed",
         "SELECT d.name, o.name, c.filed, c.filed_end, c.filed_precision FROM charges c "
         "JOIN people d ON d.id = c.defendant_id JOIN offenses o ON o.id = c.offense_id "
         "WHERE c.filed >= '2015-03-01' AND c.filed <= '2015-03-31' AND c.filed_end <= '2015-03-31' "
         "ORDER BY d.name_folded, c.filed, c.filed_end, o.name_folded, c.id", ()),
        ("prison terms over 5 years",
         "penalties where kind = \"prison\" and amount > 5 years show defendant, amount, bound",
         "SELECT d.name, p.amount_value, p.amount_dimension, p.amount_text, p.bound "
         "FROM penalties p LEFT JOIN sentences s ON s.id = p.sentence_id "
         "LEFT JOIN charges c ON c.id = coalesce(p.charge_id, s.charge_id) "
         "LEFT JOIN people d ON d.id = c.defendant_id "
         "LEFT JOIN offenses o ON o.id = coalesce(p.offense_id, c.offense_id) "
         "WHERE p.kind = 'prison' AND p.amount_dimension = 'duration' AND p.amount_value > ? "
         "ORDER BY d.name_folded NULLS LAST, o.name_folded NULLS LAST, p.bound, p.kind, p.id",
         (5 * 365.25,)),
        ("fines of $10,000 or more", "penalties where amount >= $10,000 show offense, amount",
         "SELECT o.name, p.amount_value, p.amount_dimension, p.amount_text FROM penalties p "
         "LEFT JOIN sentences s ON s.id = p.sentence_id "
         "LEFT JOIN charges c ON c.id = coalesce(p.charge_id, s.charge_id) "
         "LEFT JOIN offenses o ON o.id = coalesce(p.offense_id, c.offense_id) "
         "LEFT JOIN people d ON d.id = c.defendant_id "
         "WHERE p.amount_dimension = 'money' AND p.amount_value >= 1000000 "
         "ORDER BY d.name_folded NULLS LAST, o.name_folded NULLS LAST, p.bound, p.kind, p.id", ()),
        ("statuses as of a date", f'charges where defendant = "{name}" as of 2025-06-01 show offense, status',
         "SELECT o.name, (SELECT s.status FROM charge_statuses s WHERE s.charge_id = c.id AND "
         "s.date <= '2025-06-01' ORDER BY s.date DESC, s.id DESC LIMIT 1) FROM charges c "
         "JOIN offenses o ON o.id = c.offense_id JOIN people d ON d.id = c.defendant_id "
         f"WHERE c.defendant_id IN {person_ids} AND c.filed <= '2025-06-01' "
         "AND (c.closed IS NULL OR c.closed_end >= '2025-06-01') "
         "ORDER BY d.name_folded, c.filed, c.filed_end, o.name_folded, c.id",
         (name.casefold(), name.casefold())),
        ("count charges by status", "count charges by status",
         "SELECT status, count(*) FROM charges GROUP BY status ORDER BY count(*) DESC, status", ()),
        ("count verdicts by outcome and who decided", "count verdicts by outcome, by",
         "SELECT outcome, decided_by, count(*) FROM verdicts GROUP BY outcome, decided_by "
         "ORDER BY count(*) DESC, outcome, decided_by", ()),
        ("count convictions by offense",
         'count charges where status = "convicted" by offense',
         "SELECT o.name, count(*) FROM charges c JOIN offenses o ON o.id = c.offense_id "
         "WHERE c.status = 'convicted' GROUP BY o.name ORDER BY count(*) DESC, o.name", ()),
        ("latest 20 sentences", "sentences order by imposed desc limit 20",
         "SELECT d.name, o.name, s.imposed, s.imposed_end, s.imposed_precision, s.summary "
         "FROM sentences s JOIN charges c ON c.id = s.charge_id JOIN people d ON "
         "d.id = c.defendant_id JOIN offenses o ON o.id = c.offense_id "
         "ORDER BY s.imposed DESC, s.imposed_end DESC, s.id LIMIT 20", ()),
        # The first charges filed: the natural SQL (inner joins) lets SQLite's planner lead
        # with offenses and sort every charge; casekb's LEFT JOINs keep charges first, so the
        # date index serves the order (casekb/lang/compiler.py, Scope.filtering).
        ("earliest 20 charges", "charges order by filed limit 20",
         "SELECT d.name, o.name, c.filed, c.filed_end, c.filed_precision, c.status "
         "FROM charges c JOIN people d ON d.id = c.defendant_id "
         "JOIN offenses o ON o.id = c.offense_id "
         "ORDER BY c.filed IS NULL, c.filed, c.filed_end, c.id LIMIT 20", ()),
        ("statements with sources", f'statements where about = "{name}" with sources',
         "SELECT sp.name, st.quote, src.key, src.outlet, src.published, e.quote "
         "FROM statements st JOIN people sp ON sp.id = st.speaker_id "
         "LEFT JOIN evidence e ON e.fact_table = 'statements' AND e.fact_id = st.id "
         "LEFT JOIN sources src ON src.id = e.source_id "
         f"WHERE st.about_id IN {person_ids} "
         "ORDER BY st.said, st.said_end, sp.name_folded, st.id, e.id",
         (name.casefold(), name.casefold())),
        ("events of a case", f'events where case = "{title}"',
         "SELECT c.title, e.date, e.date_end, e.date_precision, e.kind, e.description "
         "FROM events e JOIN cases c ON c.id = e.case_id WHERE e.case_id IN (SELECT id FROM "
         "cases WHERE title_folded = ? UNION SELECT case_id FROM case_aliases WHERE "
         "alias_folded = ?) ORDER BY e.date, e.date_end, e.id",
         (title.casefold(), title.casefold())),
        ("defendants whose name contains text", 'defendants where name ~ "núñez" limit 50',
         "SELECT d.name, c.title, r.title FROM roles r JOIN people d ON d.id = r.person_id "
         "JOIN cases c ON c.id = r.case_id WHERE r.role = 'defendant' AND r.person_id IN "
         "(SELECT id FROM people WHERE name_folded LIKE '%núñez%' UNION SELECT person_id FROM "
         "person_aliases WHERE alias_folded LIKE '%núñez%') "
         "ORDER BY d.name_folded, c.title_folded, r.id LIMIT 50", ()),
    ]


POINT_LOOKUPS = {"charges of a defendant (name)", "charges of a defendant (alias)",
                 "a case by title", "pleas of a defendant"}


def compiled_sql(text: str):
    """The SQL (SQLite, positional) and parameters of a language query, as casekb runs it."""
    from casekb.lang.compiler import compile_query
    from sqlalchemy.dialects import sqlite

    from casekb.lang.parser import parse
    from casekb.lang.resolve import resolve

    compiled = compile_query(resolve(parse(text), text))
    statement = compiled.statement(1001).compile(
        dialect=sqlite.dialect(), compile_kwargs={"render_postcompile": True})
    names = statement.positiontup or []
    return str(statement), tuple(statement.params[name] for name in names)


def query_plan(connection: sqlite3.Connection, sql: str, parameters: tuple) -> list[str]:
    return [row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, parameters)]


def full_scans(plan: list[str], sql: str) -> list[str]:
    """Plan steps that read a whole stored table: not an index search, not an index scan, and
    not the scan of a sub-query's own result (`(SELECT ...) AS facts`)."""
    import re

    derived = set(re.findall(r"\)\s+AS\s+(\w+)", sql))
    scans = []
    for step in plan:
        if not step.startswith("SCAN ") or "USING" in step or "CONSTANT ROW" in step:
            continue
        name = step.split()[1]
        if name.startswith("(subquery") or name in derived:
            continue
        scans.append(step)
    return scans


def bench_query(cases: int, repeat: int) -> dict:
    from casekb.lang.compiler import compile_query
    from casekb.querycache import _sqlite_sql

    from casekb import statementcache
    from casekb.execute import run_statement
    from casekb.lang.parser import parse
    from casekb.lang.resolve import resolve
    from casekb.render import render
    from casekb.store.open import open_store

    db = ensure_store(cases)
    engine = open_store(str(db))
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = []
    try:
        for label, text, sql, parameters in query_set(db):
            answer = run_statement(text, engine, cap=None)
            expected = raw.execute(sql, parameters).fetchall()
            found = len(answer.rows)
            if answer.evidence is not None:  # with sources: raw SQL has a row per quote
                found = sum(max(1, len(quotes)) for quotes in answer.evidence)
            # Asked again: the process keeps the SQL it compiled (casekb.statementcache), as
            # sqlite3 keeps the baseline's prepared statement. First ask: compiled every run.
            language, baseline, ratio = paired_median_times(
                lambda: run_statement(text, engine, cap=None),
                lambda: raw.execute(sql, parameters).fetchall(), repeat)

            def first_ask():
                statementcache.clear()
                return run_statement(text, engine, cap=None)
            first, _, first_ratio = paired_median_times(
                first_ask, lambda: raw.execute(sql, parameters).fetchall(), repeat)
            overhead = None
            if label in POINT_LOOKUPS:
                def front_and_back():
                    _sqlite_sql(compile_query(resolve(parse(text), text)), None)
                    render(answer, "json", io.StringIO())
                overhead = median_time(front_and_back, repeat * 3)
            compiled, compiled_parameters = compiled_sql(text)
            plan = query_plan(raw, compiled, compiled_parameters)
            rows.append({
                "label": label, "query": text, "rows": found,
                "raw_rows": len(expected), "language_ms": language * 1000,
                "same_order": None if answer.evidence is not None
                else same_order(answer.rows, expected),
                "raw_ms": baseline * 1000, "ratio": ratio,
                "first_ms": first * 1000, "first_ratio": first_ratio,
                "overhead_ms": overhead * 1000 if overhead is not None else None,
                "plan": plan, "scans": full_scans(plan, compiled),
            })
    finally:
        raw.close()
        engine.dispose()
    return {"cases": cases, "queries": rows}


def bench_query_postgres(cases: int, repeat: int, url: str) -> dict:
    """The same query set on PostgreSQL: casekb through `open_store(url)` against the same
    hand-written SQL through psycopg (`casekb.store.postgres.connect`). The corpus is built into the schema
    of `url` (e.g. `...?schema=bench_1000`) unless a store of that size is already there."""
    from casekb.build.builder import build_store
    from casekb.errors import StoreError
    from casekb.execute import run_statement
    from casekb.store.open import open_store, read_meta
    from casekb.store.postgres import connect

    try:
        engine = open_store(url)
        built_for = read_meta(engine).get("source_folder", "")
    except StoreError:
        engine, built_for = None, ""
    folder = corpus_folder(cases)
    if engine is None or built_for != str(folder):
        if engine is not None:
            engine.dispose()
        print(f"  building {cases:,} cases into {url} ...", file=sys.stderr, flush=True)
        build_store(folder, url, force=True)
        engine = open_store(url)
    raw = connect(url, statement_timeout=None)
    rows = []
    try:
        for label, text, sql, parameters in query_set(ensure_store(cases)):
            # The baseline SQL is written for sqlite3 (`?` placeholders); psycopg takes %s.
            driver_sql = sql.replace("%", "%%").replace("?", "%s") if parameters else sql

            def baseline_run():
                with raw.cursor() as cursor:
                    cursor.execute(driver_sql, parameters or None)
                    return cursor.fetchall()
            try:
                expected = baseline_run()
            except Exception as error:  # noqa: BLE001 - a figure we cannot take is reported
                rows.append({"label": label, "query": text, "error": str(error).splitlines()[0]})
                raw.rollback() if not raw.autocommit else None
                continue
            answer = run_statement(text, engine, cap=None)
            language, baseline, ratio = paired_median_times(
                lambda: run_statement(text, engine, cap=None), baseline_run, repeat)
            rows.append({"label": label, "query": text, "rows": len(answer.rows),
                         "raw_rows": len(expected), "language_ms": language * 1000,
                         "same_order": None if answer.evidence is not None
                         else same_order(answer.rows, expected),
                         "raw_ms": baseline * 1000,
                         "ratio": ratio})
    finally:
        raw.close()
        engine.dispose()
    return {"cases": cases, "engine": "postgresql", "queries": rows}


# -- start-up ---------------------------------------------------------------------------------

def process_times(commands: dict[str, tuple], repeat: int, *, warmup: int = 2) -> dict:
    """Median wall time of each command run as a process: {name: (command, env)}, a command
    being argv or a function giving a new argv for each run. The commands take turns, run
    after run, so that the load of a shared machine (which moves the figures by 2x from one
    minute to the next) weighs on them alike, and their ratios hold."""
    def run(command, env):
        argv = command() if callable(command) else command
        started = time.perf_counter()
        subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       env=env)
        return time.perf_counter() - started

    times: dict[str, list[float]] = {name: [] for name in commands}
    for turn in range(warmup + repeat):
        for name, (command, env) in commands.items():
            elapsed = run(command, env)
            if turn >= warmup:
                times[name].append(elapsed)
    return {name: statistics.median(values) for name, values in times.items()}


def sqlite_utils_command() -> str | None:
    beside = Path(PYTHON).parent / "sqlite-utils"
    if beside.exists():
        return str(beside)
    return shutil.which("sqlite-utils")


def bench_startup(repeat: int) -> dict:
    db = CACHE / "rust.sqlite"
    # A home of its own: the query cache the runs fill is not the user's.
    env = dict(os.environ, CASEKB_HOME=str(CACHE / "home"))
    cold = dict(env, CASEKB_QUERY_CACHE="0")
    subprocess.run([PYTHON, "-m", "casekb", "build", str(REPO / "seeds"), "--db", str(db),
                    "--force"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=env)
    # Bytecode for every module, as `pip install` writes it for an installed casekb: with
    # PYTHONDONTWRITEBYTECODE set (as on some machines) an editable checkout would otherwise
    # compile its changed modules (the generated parser: ~40 ms) on every run.
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "casekb")], check=True,
                   stdout=subprocess.DEVNULL)
    query = 'charges where defendant = "Alec Baldwin"'
    casekb = [str(Path(PYTHON).parent / "casekb")]
    if not Path(casekb[0]).exists():
        casekb = [PYTHON, "-m", "casekb"]
    command = [*casekb, "query", query, "--db", str(db), "--format", "json"]
    # A text never asked before, each run, of a shape asked before (another defendant); the
    # run's own token keeps texts of earlier bench runs (still in the cache) out.
    token = os.urandom(4).hex()
    names = (f'charges where defendant = "Defendant {token}-{n}"' for n in itertools.count())

    def new_text_known_shape() -> list[str]:
        return [*casekb, "query", next(names), "--db", str(db), "--format", "json"]

    # A shape never asked before, each run: `limit` is part of a shape (casekb.queryshape),
    # and a limit above Alec Baldwin's charges keeps the rows those of `query`.
    limits = itertools.count(1_000_000 + int(token, 16) % 1_000_000 * 1000)

    def new_shape() -> list[str]:
        return [*casekb, "query", f"{query} limit {next(limits)}", "--db", str(db),
                "--format", "json"]

    commands = {
        "python -c 'import sqlite3'": ([PYTHON, "-c", "import sqlite3"], None),
        "casekb --version": ([*casekb, "--version"], env),
        "casekb query (asked before: compiled SQL cached)": (command, env),
        "casekb query (new text, shape asked before)": (new_text_known_shape, env),
        "casekb query (shape never asked before: parse + compile)": (new_shape, env),
        "casekb query (cache off: parse + compile + SQLAlchemy)": (command, cold),
    }
    note = None
    sqlite_utils = sqlite_utils_command()
    if sqlite_utils:
        sql = ("SELECT c.* FROM charges c JOIN people p ON p.id = c.defendant_id "
               "WHERE p.name_folded = 'alec baldwin'")
        commands["sqlite-utils query (same rows)"] = ([sqlite_utils, "query", str(db), sql], None)
    else:
        note = "sqlite-utils is not installed: its column is skipped (pip install sqlite-utils)"
    results = process_times(commands, repeat)
    return {"seconds": results, "note": note, "query": query}


# -- rendering --------------------------------------------------------------------------------

def bench_render(cases: int, repeat: int) -> dict:
    import csv

    from casekb.execute import run_statement
    from casekb.render import render
    from casekb.store.open import open_store

    db = ensure_store(cases)
    engine = open_store(str(db))
    try:
        text = "charges show defendant, offense, counts, filed, status limit 10000"
        result = run_statement(text, engine, cap=None)
    finally:
        engine.dispose()
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        raw_rows = raw.execute(
            "SELECT d.name, o.name, c.counts, c.filed, c.status FROM charges c JOIN people d "
            "ON d.id = c.defendant_id JOIN offenses o ON o.id = c.offense_id LIMIT 10000"
        ).fetchall()
    finally:
        raw.close()
    headers = ["defendant", "offense", "counts", "filed", "status"]

    def plain_csv():
        writer = csv.writer(io.StringIO())
        writer.writerow(headers)
        writer.writerows(raw_rows)

    def plain_json():
        json.dumps([dict(zip(headers, row)) for row in raw_rows], ensure_ascii=False)

    def prettytable_table():
        from prettytable import PrettyTable

        table = PrettyTable(headers)
        table.add_rows(raw_rows)
        table.get_string()

    figures = {}
    for fmt, baseline, baseline_name in (("table", prettytable_table, "prettytable"),
                                         ("csv", plain_csv, "csv.writer"),
                                         ("json", plain_json, "json.dumps")):
        ours = median_time(lambda: render(result, fmt, io.StringIO()), repeat)
        theirs = median_time(baseline, max(1, repeat // 2) if fmt == "table" else repeat)
        figures[fmt] = {"casekb_ms": ours * 1000, "baseline_ms": theirs * 1000,
                        "baseline": baseline_name, "rows": len(result.rows)}
    return {"cases": cases, "formats": figures}


# -- report ------------------------------------------------------------------------------------

def table(headers: list[str], rows: list[list[str]], markdown: bool) -> str:
    if markdown:
        lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
        lines += ["| " + " | ".join(row) + " |" for row in rows]
        return "\n".join(lines)
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h)
              for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths))
    body = ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in rows]
    return "\n".join([line, "  ".join("-" * w for w in widths), *body])


def report(results: dict, markdown: bool) -> str:
    out = []
    machine = results["machine"]
    out.append(f"Machine: {machine['cpu']}, {machine['cores']} cores, {machine['memory_gb']} GB; "
               f"{machine['python']}, SQLite {machine['sqlite']}; {machine['when']}")
    if "build" in results:
        rows = []
        for b in results["build"]:
            rows.append([f"{b['cases']:,}", f"{b['rows']:,}", f"{b['store_mb']:.0f} MB",
                         f"{b['total']:.1f} s", f"{b['validate']:.1f} s", f"{b['write']:.1f} s",
                         f"{b['raw']:.1f} s", f"{b['rows'] / b['total']:,.0f}",
                         f"{b['rows'] / b['write']:,.0f}", f"{b['rows'] / b['raw']:,.0f}",
                         f"{b['raw'] / b['write']:.2f}x", f"{b['peak_mb']:,.0f} MB"])
        parsers = sorted({b.get("toml", "tomllib") for b in results["build"]})
        out.append("\nBuild (rows = fact rows + evidence + dispute claims; raw = sqlite3 "
                   "executemany of the same rows into the same schema; validate = both "
                   f"passes; TOML parsed by {', '.join(parsers)})")
        out.append(table(["cases", "rows", "store", "build", "validate", "write", "raw",
                          "rows/s build", "rows/s write", "rows/s raw", "write vs raw",
                          "peak memory"], rows, markdown))
    if "query" in results:
        q = results["query"]
        rows = []
        for item in q["queries"]:
            same = "" if item["rows"] == item["raw_rows"] else f" (raw {item['raw_rows']})"
            same += " (order differs)" if item.get("same_order") is False else ""
            kind = "point" if item["label"] in POINT_LOOKUPS or item["raw_ms"] < 0.5 else "work"
            rows.append([item["label"], kind, f"{item['rows']}{same}", f"{item['language_ms']:.2f}",
                         f"{item['raw_ms']:.2f}", f"{item['ratio']:.2f}x",
                         f"{item['first_ms']:.2f}" if "first_ms" in item else "",
                         f"{item['first_ratio']:.2f}x" if "first_ratio" in item else "",
                         "" if item["overhead_ms"] is None else f"{item['overhead_ms']:.2f}",
                         ", ".join(item["scans"]) or "none"])
        out.append(f"\nQueries on the {q['cases']:,}-case store (median ms; ratio = median of "
                   f"casekb / raw over runs side by side, the query asked again in the process; "
                   f"first ask = parsed and compiled anew each run; overhead = parse + compile "
                   f"+ write SQL + render to JSON)")
        out.append(table(["query", "kind", "rows", "casekb ms", "raw ms", "ratio",
                          "first ask ms", "first ask ratio", "overhead ms", "full scans"],
                         rows, markdown))
    if "query_postgres" in results:
        q = results["query_postgres"]
        rows = []
        for item in q["queries"]:
            if "error" in item:
                rows.append([item["label"], "", "", "", f"baseline SQL not portable: {item['error']}"])
                continue
            same = "" if item["rows"] == item["raw_rows"] else f" (raw {item['raw_rows']})"
            same += " (order differs)" if item.get("same_order") is False else ""
            rows.append([item["label"], f"{item['rows']}{same}", f"{item['language_ms']:.2f}",
                         f"{item['raw_ms']:.2f}", f"{item['ratio']:.2f}x"])
        out.append(f"\nQueries on PostgreSQL, {q['cases']:,}-case store (median ms; raw = the "
                   f"same hand-written SQL through psycopg; ratio as above)")
        out.append(table(["query", "rows", "casekb ms", "raw ms", "ratio"], rows, markdown))
    if "startup" in results:
        s = results["startup"]
        base = s["seconds"]["python -c 'import sqlite3'"]
        rows = [[name, f"{seconds * 1000:.0f}", f"{seconds / base:.1f}x"]
                for name, seconds in s["seconds"].items()]
        out.append("\nStart-up, whole process on the Rust store (median ms)")
        out.append(table(["command", "ms", "vs bare python"], rows, markdown))
        if s["note"]:
            out.append("note: " + s["note"])
    if "render" in results:
        r = results["render"]
        rows = [[fmt, str(f["rows"]), f"{f['casekb_ms']:.0f}", f"{f['baseline_ms']:.0f}",
                 f["baseline"], f"{f['casekb_ms'] / f['baseline_ms']:.2f}x"]
                for fmt, f in r["formats"].items()]
        out.append(f"\nRendering a 10,000-row result (from the {r['cases']:,}-case store; median ms)")
        out.append(table(["format", "rows", "casekb ms", "baseline ms", "baseline", "ratio"],
                         rows, markdown))
    return "\n".join(out)


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    except (ValueError, OSError, AttributeError):
        memory = 0
    return {"cpu": cpu, "cores": os.cpu_count(), "memory_gb": round(memory),
            "python": f"Python {platform.python_version()}", "sqlite": sqlite3.sqlite_version,
            "when": time.strftime("%Y-%m-%d")}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="1k and 10k cases, fewer repeats")
    parser.add_argument("--sizes", help="comma-separated corpus sizes for the build "
                                        "(default 10000,100000)")
    parser.add_argument("--query-size", type=int, help="the store queries run on "
                                                       "(default: the largest size)")
    parser.add_argument("--only", help="comma-separated: build, query, startup, render")
    parser.add_argument("--repeat", type=int, help="timed runs per figure (median taken)")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--report", action="store_true",
                        help="only print the figures kept in .bench/results.json (every "
                             "section of the latest runs)")
    parser.add_argument("--postgres", metavar="URL", nargs="?",
                        const=os.environ.get("CASEKB_TEST_POSTGRES_URL", ""),
                        help="also run the query set on PostgreSQL (default URL: "
                             "$CASEKB_TEST_POSTGRES_URL); the corpus goes into the schema "
                             "bench_<size> of that database")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        kind, *rest = args.child
        if kind == "build":
            print(json.dumps(child_build(*rest)))
            return 0
        raise SystemExit(f"unknown child {kind}")

    CACHE.mkdir(exist_ok=True)
    saved = CACHE / "results.json"
    if args.report:
        results = json.loads(saved.read_text())
        print(report(results, args.markdown))
        print_plans(results)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else \
        ([1000, 10000] if args.quick else [10000, 100000])
    query_size = args.query_size or max(sizes)
    repeat = args.repeat or (5 if args.quick else 15)
    wanted = set(args.only.split(",")) if args.only else {"build", "query", "startup", "render"}
    # Sections not run this time keep their latest figures (each records its own sizes).
    results: dict = json.loads(saved.read_text()) if saved.exists() else {}
    results["machine"] = machine()
    if "build" in wanted:
        results["build"] = bench_build(sizes)
    if "query" in wanted:
        print(f"  queries on {query_size:,} cases ...", file=sys.stderr, flush=True)
        results["query"] = bench_query(query_size, repeat)
    if args.postgres is not None:
        if not args.postgres:
            parser.error("--postgres needs a URL (or CASEKB_TEST_POSTGRES_URL set)")
        url = _schema_url(args.postgres, f"bench_{query_size}")
        print(f"  queries on {query_size:,} cases, PostgreSQL ...", file=sys.stderr, flush=True)
        results["query_postgres"] = bench_query_postgres(query_size, repeat, url)
        wanted.add("query_postgres")
    if "startup" in wanted:
        print("  start-up ...", file=sys.stderr, flush=True)
        results["startup"] = bench_startup(max(10, repeat))
    if "render" in wanted:
        print("  rendering ...", file=sys.stderr, flush=True)
        results["render"] = bench_render(query_size, max(3, repeat // 3))
    saved.write_text(json.dumps(results, indent=1, default=str))
    print(report({"machine": results["machine"], **{k: results[k] for k in wanted}},
                 args.markdown))
    print_plans(results if "query" in wanted else {})
    return 0


def print_plans(results: dict) -> None:
    if "query" in results:
        print("\nQuery plans (EXPLAIN QUERY PLAN of the compiled SQL):")
        for item in results["query"]["queries"]:
            print(f"  {item['label']}: " + " | ".join(item["plan"]))


if __name__ == "__main__":
    sys.exit(main())
