"""Run casekb's benchmarks and print their figures, each beside a baseline measured in the
same run on the same data.

    python bench/run.py                       # everything: build 10k and 100k, queries on both
    python bench/run.py --quick               # 1k and 10k cases, fewer repeats
    python bench/run.py --only query,startup --sizes 1000,10000
    python bench/run.py --only query --sizes 10000 --postgres [URL]
    python bench/run.py --markdown            # the tables as Markdown, for bench/README.md
    python bench/run.py --report --markdown   # the figures kept in .bench/results.json

Sections (`--only`, comma-separated):

- build: casekb's `build_store` (validate + write, in a fresh process) against raw `sqlite3`
  `executemany` of exactly the rows casekb wrote, into the same schema with the same pragmas;
- query: a fixed set of questions (bench/questions.py), each against hand-written SQL giving
  the same rows through the raw driver (sqlite3; psycopg with --postgres), on every size of
  --sizes: asked again in the process (the cache of plans in memory), without the check of
  the names a query tests, rendered to JSON on both sides, asked first in the process (plan
  compiled every run) and asked in a fresh process (plan from the disk cache, every other
  cache cold); casekb's SQL alone against the raw SQL, and the time of each step of an ask.
  The rows are checked: the same number, the first column in the same order, as many columns;
- startup: `casekb query` as a whole process (asked before; a new text of a known shape; a
  shape never seen; the cache off) against `python -c "import sqlite3"` and `sqlite-utils
  query` on the same store; what a shape never seen costs once (importing SQLAlchemy and the
  compiler, compiling); and `python -X importtime` of a cached `casekb query`;
- render: a 10,000-row result written as table, CSV and JSON against plain writers.

The machine may be shared: every ratio is the median of ratios of runs made side by side
(the two sides alternate), with the spread of those ratios (25th-75th percentile) and the
load average during the section, so a reader can tell how noisy a run was.

Generated corpora and built stores are cached under `.bench/` (git-ignored) and made again
when bench/corpus.py changes; PostgreSQL stores go into a schema of this checkout's own
(`bench_<size>_<checkout>`), reused while they hold the same corpus, dropped with
`--drop-postgres`.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
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
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
# Corpora, stores and figures; CASEKB_BENCH_DIR puts them elsewhere (tests/test_bench.py).
CACHE = Path(os.environ.get("CASEKB_BENCH_DIR") or REPO / ".bench")
SEED = 0
PYTHON = sys.executable
# The bench's own home: the cache of plans it fills (CASEKB_HOME/query-cache) is not the user's.
HOME = CACHE / "home"

sys.path.insert(0, str(HERE))
import corpus as corpus_module  # noqa: E402  (bench/corpus.py, beside this file)
from questions import BenchQuery, bench_queries, postgres_sql  # noqa: E402  (bench/questions.py)


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


@dataclass
class Paired:
    """Two functions timed side by side: median seconds of each, and the median ratio
    first / second of the runs made together, with the 25th and 75th percentiles of those
    ratios (how much the moment moved them)."""

    first: float
    second: float
    ratio: float
    low: float
    high: float

    @property
    def difference_ms(self) -> float:
        return (self.first - self.second) * 1000


def paired(first, second, repeat: int, *, warmup: int = 1) -> Paired:
    """Run `first()` and `second()` alternately, `repeat` times each (after `warmup` untimed
    runs of both), the one or the other first by turns. On a shared machine the speed changes
    from one moment to the next (the same query's time moved by 1.5x between runs of 25): a
    run and its neighbour share the moment, so their ratio is steadier than a ratio of two
    medians taken from separate blocks of runs."""
    for _ in range(warmup):
        first()
        second()
    times: tuple[list[float], list[float]] = ([], [])
    for turn in range(repeat):
        order = ((first, times[0]), (second, times[1]))
        for function, kept in (order if turn % 2 == 0 else order[::-1]):
            started = time.perf_counter()
            function()
            kept.append(time.perf_counter() - started)
    return summarise(times[0], times[1])


def summarise(firsts: list[float], seconds: list[float]) -> Paired:
    ratios = sorted(a / b for a, b in zip(firsts, seconds) if b > 0)
    if not ratios:
        nan = float("nan")
        return Paired(statistics.median(firsts), statistics.median(seconds), nan, nan, nan)
    return Paired(statistics.median(firsts), statistics.median(seconds),
                  statistics.median(ratios), percentile(ratios, 25), percentile(ratios, 75))


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def same_order(rows: list[tuple], raw_rows: list[tuple]) -> bool | None:
    """Whether casekb's rows list the raw rows' first column in the same order (None when
    that column is not plain text on casekb's side, so cannot be compared as is)."""
    if any(row[0] is not None and not isinstance(row[0], str) for row in rows):
        return None
    return [row[0] for row in rows] == [row[0] for row in raw_rows]


def load_average() -> float:
    try:
        return os.getloadavg()[0]
    except OSError:
        return float("nan")


class Load:
    """The load average seen during a section (sampled at its start, its end and when asked)."""

    def __init__(self):
        self.samples = [load_average()]

    def sample(self) -> None:
        self.samples.append(load_average())

    def figures(self) -> dict:
        self.sample()
        return {"load_min": min(self.samples), "load_max": max(self.samples)}


@contextlib.contextmanager
def environment(**values: str):
    """Environment variables set for the time of a block (read by casekb at each call)."""
    saved = {name: os.environ.get(name) for name in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


@contextlib.contextmanager
def names_unchecked():
    """casekb answering without checking first that the names a query tests exist (the one
    statement casekb/execute/run.py runs before the query), to measure what the check costs."""
    import dataclasses

    from casekb.execute import run

    run_plan = run.run_plan
    run.run_plan = lambda plan, *rest: run_plan(dataclasses.replace(plan, names=None), *rest)
    try:
        yield
    finally:
        run.run_plan = run_plan


def corpus_folder(cases: int) -> Path:
    """The cached corpus of `cases` cases, generated on first use and again whenever
    bench/corpus.py has changed since (its hash is kept beside the corpus)."""
    folder = CACHE / f"corpus-{cases}"
    done = folder / ".complete"
    stamp = f"{cases} cases, seed {SEED}, generator {generator_hash()}\n"
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


def generator_hash() -> str:
    return hashlib.sha256((HERE / "corpus.py").read_bytes()).hexdigest()[:16]


def store_path(cases: int) -> Path:
    return CACHE / f"store-{cases}.sqlite"


def ensure_store(cases: int) -> Path:
    """The cached store built from the cached corpus (built by the build benchmark, or here)."""
    path = store_path(cases)
    folder = corpus_folder(cases)
    if not path.exists():
        print(f"  building {path} ...", file=sys.stderr, flush=True)
        subprocess.run([PYTHON, "-m", "casekb", "build", str(folder), "--db", str(path),
                        "--force"], check=True, stdout=subprocess.DEVNULL)
    return path


def store_size(db: Path) -> dict:
    """What a store holds: cases, rows of every table (meta aside), and its size on disk."""
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        tables = [name for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'meta'")]
        rows = sum(connection.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0]
                   for name in tables)
        cases, = connection.execute("SELECT count(*) FROM cases").fetchone()
    finally:
        connection.close()
    return {"cases": cases, "rows": rows, "mb": db.stat().st_size / 2**20}


def size_words(size: dict) -> str:
    cases = "1 case" if size["cases"] == 1 else f"{size['cases']:,} cases"
    on_disk = f"{size['mb']:.0f} MB" if size["mb"] >= 1 else f"{size['mb'] * 1024:.0f} KB"
    return f"{cases}, {size['rows']:,} rows, {on_disk}"


def child(kind: str, *args: str) -> dict:
    """Run this script's `--child KIND ARGS` in a fresh process; its JSON answer."""
    output = subprocess.run([PYTHON, str(Path(__file__).resolve()), "--child", kind, *args],
                            check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def compile_bytecode() -> None:
    """Bytecode for every module of casekb, as `pip install` writes it for an installed
    casekb: with PYTHONDONTWRITEBYTECODE set (as on some machines) an editable checkout
    would otherwise compile its modules on every run of a fresh process."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(REPO / "casekb")], check=True,
                   stdout=subprocess.DEVNULL)


# -- build --------------------------------------------------------------------------------------

def child_build(folder: str, db: str) -> dict:
    """In a fresh process: casekb's build, then raw executemany of the same rows."""
    from casekb.build.builder import build_store
    from casekb.curation import tomlparse
    from casekb.schema.tables import metadata

    started = time.perf_counter()
    report = build_store(folder, db, force=True)
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


def query_plan(connection: sqlite3.Connection, sql: str, parameters) -> list[str]:
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


# -- queries ----------------------------------------------------------------------------------

RATIO_TARGET = {"sqlite": 1.2, "postgresql": 1.5}  # for queries whose raw SQL takes >= 1 ms
POINT_TARGET_MS = 1.0  # otherwise: at most this much slower than the raw SQL


def meets(raw_ms: float, ratio: float, difference_ms: float, engine: str) -> tuple[str, bool]:
    """The target a query is held to (issue 11), and whether it is met."""
    if raw_ms >= 1.0:
        return f"<= {RATIO_TARGET[engine]}x", ratio <= RATIO_TARGET[engine]
    return f"<= raw + {POINT_TARGET_MS:g} ms", difference_ms <= POINT_TARGET_MS


def rows_found(result) -> int:
    """The rows of a result as raw SQL counts them: with sources, a row per quote."""
    if result.evidence is None:
        return len(result.rows)
    return sum(max(1, len(quotes)) for quotes in result.evidence)


def raw_json(cursor) -> str:
    """What a program writes with the driver alone: its rows as JSON objects."""
    names = [column[0] for column in cursor.description]
    out = io.StringIO()
    json.dump([dict(zip(names, row)) for row in cursor.fetchall()], out, ensure_ascii=False,
              default=str)
    return out.getvalue()


def measure_query(kb, query: BenchQuery, baseline, baseline_json, repeat: int, *,
                  first_ask: bool) -> dict:
    """The figures of one question against its baseline (`baseline()` gives the raw rows)."""
    from casekb.render import render

    text = query.text
    result = kb.query(text, cap=None)
    expected = baseline()
    explanation = kb.explain(text, cap=None)
    connection = kb.connection()
    columns = []

    def casekb_sql():
        # casekb's own SQL and parameters on casekb's own connection, nothing around them.
        cursor = connection.cursor()
        try:
            cursor.execute(explanation.sql, explanation.parameters)
            columns[:] = cursor.description
            return cursor.fetchall()
        finally:
            cursor.close()

    ask = lambda: kb.query(text, cap=None)  # noqa: E731
    again = paired(ask, baseline, repeat)
    with names_unchecked():
        unchecked = paired(ask, baseline, repeat)
    sql_alone = paired(casekb_sql, baseline, repeat)
    as_json = paired(lambda: render(ask(), "json", io.StringIO()), baseline_json, repeat)
    target, met = meets(again.second * 1000, again.ratio, again.difference_ms, kb.dialect)
    figures = {
        "label": query.label, "query": text, "rows": rows_found(result),
        "raw_rows": len(expected),
        "same_order": None if result.evidence is not None else same_order(result.rows, expected),
        # (with sources, the row number casekb sorts the quotes of a fact by is not shown)
        "columns": sum(1 for column in columns if column[0] != "_row"),
        "raw_columns": len(expected[0]) if expected else None,
        "casekb_ms": again.first * 1000, "raw_ms": again.second * 1000, "ratio": again.ratio,
        "ratio_low": again.low, "ratio_high": again.high, "difference_ms": again.difference_ms,
        "unchecked_ratio": unchecked.ratio, "sql_ratio": sql_alone.ratio,
        "sql_ms": sql_alone.first * 1000, "json_ratio": as_json.ratio,
        "json_ms": as_json.first * 1000, "raw_json_ms": as_json.second * 1000,
        "target": target, "met": met, "steps_ms": in_process_steps(kb, text, repeat),
    }
    if first_ask:
        # Asked first: no plan kept (the cache off), so parsed, compiled and written by
        # SQLAlchemy every run.
        with environment(CASEKB_QUERY_CACHE="0"):
            first = paired(ask, baseline, repeat)
        figures.update(first_ms=first.first * 1000, first_ratio=first.ratio)
    return figures


def in_process_steps(kb, text: str, repeat: int) -> dict:
    """Median ms of each step of a question asked again, as `kb.query` takes them: parse,
    resolve, the plan (from memory), the check of the names it tests, the SQL run (its
    parameters bound, its rows fetched) and the rows decoded into typed values."""
    from casekb.execute.decode import decoded_result
    from casekb.execute.run import check_names, fetch
    from casekb.lang.parser import parse
    from casekb.lang.resolve import resolve

    connection = kb.connection()
    steps: dict[str, list[float]] = {name: [] for name in (
        "parse", "resolve", "plan", "check names", "run SQL", "decode")}
    for turn in range(repeat + 1):
        clock = [time.perf_counter()]
        statement = parse(text)
        clock.append(time.perf_counter())
        resolved = resolve(statement, text)
        clock.append(time.perf_counter())
        plan = kb.plan(resolved, capped=resolved.limit is not None)
        clock.append(time.perf_counter())
        check_names(plan, resolved, connection)
        clock.append(time.perf_counter())
        keys, rows = fetch(connection, plan.query.sql,
                           plan.query.bind(resolved.given, plan.dialect, None))
        clock.append(time.perf_counter())
        decoded_result(plan.columns, keys, rows, None, with_sources=plan.with_sources)
        clock.append(time.perf_counter())
        if turn:  # the first is a warm-up
            for name, begun, ended in zip(steps, clock, clock[1:]):
                steps[name].append(ended - begun)
    return {name: statistics.median(values) * 1000 for name, values in steps.items()}


def bench_query(cases: int, repeat: int, fresh_repeat: int) -> dict:
    """The question set on the SQLite store of `cases` cases, against sqlite3."""
    import casekb

    db = ensure_store(cases)
    load = Load()
    kb = casekb.open(str(db))
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    queries = bench_queries(db)
    rows = []
    try:
        for query in queries:
            def baseline(query=query):
                return raw.execute(query.sql, query.parameters).fetchall()

            def baseline_json(query=query):
                return raw_json(raw.execute(query.sql, query.parameters))

            figures = measure_query(kb, query, baseline, baseline_json, repeat, first_ask=True)
            explanation = kb.explain(query.text, cap=None)
            plan = query_plan(raw, explanation.sql, explanation.parameters)
            figures.update(plan=plan, scans=full_scans(plan, explanation.sql))
            rows.append(figures)
            load.sample()
            print(f"    {query.label}: {figures['ratio']:.2f}x", file=sys.stderr, flush=True)
    finally:
        raw.close()
        kb.close()
    if fresh_repeat:
        compile_bytecode()
        for figures, fresh in zip(rows, fresh_process_times(db, len(queries), fresh_repeat)):
            figures.update(fresh)
    return {"cases": cases, "size": store_size(db), "queries": rows, **load.figures()}


def fresh_process_times(db: Path, count: int, repeat: int) -> list[dict]:
    """Each question asked once in a new process, `repeat` processes each: casekb's first ask
    (its plan from the disk cache, every in-process cache cold: the parser's lexer states,
    the row decoders, the decoded dates) against the baseline's first run on a new
    connection. The modules are imported, the parser built and both connections opened (each
    has read the store's schema) before the clock starts: the start-up section counts those
    (the parser's build is reported beside)."""
    figures = []
    for index in range(count):
        runs = [child("fresh", str(db), str(index), "casekb" if turn % 2 else "raw")
                for turn in range(repeat)]
        summary = summarise([sum(run["casekb"].values()) for run in runs],
                            [run["raw"] for run in runs])
        figures.append({"fresh_ms": summary.first * 1000, "fresh_raw_ms": summary.second * 1000,
                        "fresh_ratio": summary.ratio,
                        "fresh_steps_ms": {step: statistics.median(run["casekb"][step]
                                                                   for run in runs) * 1000
                                           for step in runs[0]["casekb"]},
                        "parser_built_ms": statistics.median(run["parser_built"]
                                                             for run in runs) * 1000})
    return figures


def child_fresh(db: str, index: str, first: str) -> dict:
    """In a new process: one question's first ask by casekb, step by step (what `kb.query`
    does), and by sqlite3; `first` goes first."""
    import casekb
    from casekb.execute.run import answer
    from casekb.lang.parser import lark_parser, parse
    from casekb.lang.resolve import resolve

    query = bench_queries(Path(db))[int(index)]
    kb = casekb.open(db)
    raw = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    raw.execute("SELECT key FROM meta").fetchall()  # reads the schema, as casekb.open did
    # The parser is built once a process, like an import (reported apart, not counted).
    started = time.perf_counter()
    lark_parser()
    parser_built = time.perf_counter() - started

    def casekb_steps() -> dict:
        steps = {}
        started = time.perf_counter()
        statement = parse(query.text)
        steps["parse"], started = time.perf_counter() - started, time.perf_counter()
        resolved = resolve(statement, query.text)
        steps["resolve"], started = time.perf_counter() - started, time.perf_counter()
        plan = kb.plan(resolved, capped=resolved.limit is not None)
        steps["plan"], started = time.perf_counter() - started, time.perf_counter()
        answer(plan, resolved, kb.connection(), cap=None)
        steps["answer"] = time.perf_counter() - started
        return steps

    def raw_run() -> float:
        started = time.perf_counter()
        raw.execute(query.sql, query.parameters).fetchall()
        return time.perf_counter() - started

    seconds = {}
    for side in (first, "raw" if first == "casekb" else "casekb"):
        seconds[side] = casekb_steps() if side == "casekb" else raw_run()
    kb.close()
    raw.close()
    return {**seconds, "parser_built": parser_built}


def bench_query_postgres(cases: int, repeat: int, url: str) -> dict:
    """The question set on PostgreSQL: casekb (`casekb.open(url)`) against the same
    hand-written SQL through psycopg (`casekb.store.postgres.connect`, autocommit as casekb's own
    connection). The corpus is built into the schema of `url` unless that schema already
    holds a store built from it."""
    import casekb
    from casekb.build.builder import build_store
    from casekb.errors import StoreError
    from casekb.store.postgres import connect

    folder = corpus_folder(cases)
    try:
        with casekb.open(url) as kb:
            built_for = kb.meta.get("source_folder", "") + kb.meta.get("input_hash", "")
    except StoreError:
        built_for = ""
    stamp_file = CACHE / f"postgres-{cases}.stamp"
    stamp = f"{url} {generator_hash()}"
    if not built_for or not stamp_file.exists() or stamp_file.read_text() != stamp:
        print(f"  building {cases:,} cases into {url} ...", file=sys.stderr, flush=True)
        build_store(folder, url, force=True)
        stamp_file.write_text(stamp)
    db = ensure_store(cases)
    load = Load()
    kb = casekb.open(url)
    raw = connect(url, statement_timeout=None)
    rows = []
    try:
        for query in bench_queries(db):
            sql = postgres_sql(query)

            def baseline(sql=sql, query=query):
                with raw.cursor() as cursor:
                    cursor.execute(sql, query.parameters or None)
                    return cursor.fetchall()

            def baseline_json(sql=sql, query=query):
                with raw.cursor() as cursor:
                    cursor.execute(sql, query.parameters or None)
                    return raw_json(cursor)

            try:
                baseline()
            except Exception as error:  # noqa: BLE001 - a figure we cannot take is reported
                rows.append({"label": query.label, "query": query.text,
                             "error": str(error).splitlines()[0]})
                continue
            figures = measure_query(kb, query, baseline, baseline_json, repeat, first_ask=False)
            rows.append(figures)
            load.sample()
            print(f"    {query.label}: {figures['ratio']:.2f}x", file=sys.stderr, flush=True)
    finally:
        raw.close()
        kb.close()
    return {"cases": cases, "size": store_size(db), "engine": "postgresql", "queries": rows,
            **load.figures()}


def postgres_url(base: str, cases: int) -> str:
    """The URL of this checkout's PostgreSQL store of `cases` cases: a schema of its own, so
    that benches run from other checkouts on the same server do not meet."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    checkout = hashlib.sha256(str(REPO).encode()).hexdigest()[:8]
    parts = urlsplit(base)
    query = dict(parse_qsl(parts.query))
    query["schema"] = f"bench_{cases}_{checkout}"
    return urlunsplit(parts._replace(query=urlencode(query)))


# -- start-up ---------------------------------------------------------------------------------

def process_times(commands: dict[str, tuple], repeat: int, *, warmup: int = 2) -> dict:
    """Median wall time of each command run as a process: {name: (command, env)}, a command
    being argv or a function giving a new argv for each run. The commands take turns, run
    after run, so that the load of a shared machine (which moves the figures by 2x from one
    minute to the next) weighs on them alike, and their ratios hold; the ratio of each to the
    last command (`sqlite-utils query`, when there) is the median of the ratios turn by turn."""
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
    reference = times[list(commands)[-1]]
    return {name: {"seconds": statistics.median(values),
                   "ratio": summarise(values, reference).ratio,
                   "ratio_low": summarise(values, reference).low,
                   "ratio_high": summarise(values, reference).high}
            for name, values in times.items()}


def sqlite_utils_command() -> str | None:
    beside = Path(PYTHON).parent / "sqlite-utils"
    if beside.exists():
        return str(beside)
    return shutil.which("sqlite-utils")


def casekb_command() -> list[str]:
    beside = Path(PYTHON).parent / "casekb"
    return [str(beside)] if beside.exists() else [PYTHON, "-m", "casekb"]


STARTUP_QUERY = 'charges where defendant = "Alec Baldwin"'


def rust_store() -> Path:
    db = CACHE / "rust.sqlite"
    subprocess.run([PYTHON, "-m", "casekb", "build", str(REPO / "seeds"), "--db", str(db),
                    "--force"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return db


def bench_startup(repeat: int) -> dict:
    db = rust_store()
    compile_bytecode()
    load = Load()
    # As a user runs it: no CASEKB_HOME, so the cache of plans is in the user's data folder
    # (platformdirs: XDG_DATA_HOME, pointed into .bench/ so that the user's own is untouched).
    user = {name: value for name, value in os.environ.items() if name != "CASEKB_HOME"}
    env = dict(user, XDG_DATA_HOME=str(CACHE / "xdg"))
    # A shape never seen: the same question, with a cache of plans emptied before every run
    # (a limit or a new name no longer makes a new shape: values are bound).
    unseen_home = CACHE / "xdg-unseen"
    unseen = dict(user, XDG_DATA_HOME=str(unseen_home))
    cold = dict(env, CASEKB_QUERY_CACHE="0")
    casekb = casekb_command()
    command = [*casekb, "query", STARTUP_QUERY, "--db", str(db), "--format", "json"]
    # Another text of the shape asked before, each run: the first N charges of another person
    # of the store (a name must name someone: the planner checks it), N never the same twice,
    # in this run or an earlier one (the cache of plans outlives a run; a text asked before
    # is answered without parsing, and would be timed as such).
    connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    people = [name for (name,) in connection.execute("SELECT name FROM people ORDER BY id")]
    connection.close()
    first = time.time_ns() // 1000
    names = (f'charges where defendant = "{name}" limit {first + turn}'
             for turn, name in enumerate(itertools.cycle(people)))

    def new_text_known_shape() -> list[str]:
        return [*casekb, "query", next(names), "--db", str(db), "--format", "json"]

    def never_seen() -> list[str]:
        shutil.rmtree(unseen_home / "casekb" / "query-cache", ignore_errors=True)
        return command

    commands = {
        "python -c 'import sqlite3'": ([PYTHON, "-c", "import sqlite3"], None),
        "casekb --version": ([*casekb, "--version"], env),
        "casekb query (asked before: plan on disk)": (command, env),
        "casekb query (new text of a shape asked before)": (new_text_known_shape, env),
        "casekb query (shape never seen: SQLAlchemy + compile, plan written)": (never_seen,
                                                                                 unseen),
        "casekb query (cache off)": (command, cold),
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
    unseen_costs = [child("unseen", str(db)) for _ in range(max(5, repeat // 2))]
    costs = {name: statistics.median(run[name] for run in unseen_costs) * 1000
             for name in unseen_costs[0]}
    return {"commands": results, "note": note, "query": STARTUP_QUERY,
            "size": store_size(db), "unseen_ms": costs,
            "imports": import_times(command, env, max(9, repeat)), **load.figures()}


def child_unseen(db: str) -> dict:
    """In a new process: what planning a shape never seen costs, step by step."""
    timings = {}
    started = time.perf_counter()
    import casekb
    from casekb.lang.parser import parse
    from casekb.lang.resolve import resolve

    kb = casekb.open(db)
    resolved = resolve(parse(STARTUP_QUERY), STARTUP_QUERY)
    timings["casekb, parse and resolve (as when cached)"] = time.perf_counter() - started
    started = time.perf_counter()
    import sqlalchemy  # noqa: F401
    from sqlalchemy.dialects import sqlite  # noqa: F401  (what the planner's dialect needs)
    timings["import SQLAlchemy (core, SQLite dialect)"] = time.perf_counter() - started
    started = time.perf_counter()
    from casekb.plan.planner import make_plan
    timings["import casekb's compiler"] = time.perf_counter() - started
    started = time.perf_counter()
    make_plan(resolved, kb.dialect, capped=True)
    timings["first plan (compile, SQLAlchemy writes the SQL)"] = time.perf_counter() - started
    started = time.perf_counter()
    make_plan(resolved, kb.dialect, capped=True)
    timings["the same plan again"] = time.perf_counter() - started
    kb.close()
    return timings


def import_times(command: list[str], env: dict, repeat: int) -> dict:
    """`python -X importtime` of `command` (a cached `casekb query`), `repeat` times: the
    median self and cumulative microseconds of each module imported."""
    argv = [PYTHON, "-X", "importtime", "-m", "casekb", *command[command.index("query"):]]
    runs: list[dict[str, tuple[int, int, int]]] = []
    for _ in range(repeat):
        stderr = subprocess.run(argv, check=True, stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, text=True, env=env).stderr
        modules = {}
        for line in stderr.splitlines():
            if not line.startswith("import time:") or "self [us]" in line:
                continue
            own, total, name = line.split(":", 1)[1].split("|")
            depth = (len(name) - len(name.lstrip())) // 2
            modules[name.strip()] = (int(own), int(total), depth)
        runs.append(modules)
    names = set.intersection(*(set(run) for run in runs))
    return {name: {"self_us": statistics.median(run[name][0] for run in runs),
                   "total_us": statistics.median(run[name][1] for run in runs),
                   "depth": runs[0][name][2]} for name in names}


# -- rendering --------------------------------------------------------------------------------

def bench_render(cases: int, repeat: int) -> dict:
    import csv

    import casekb
    from casekb.render import render

    db = ensure_store(cases)
    with casekb.open(str(db)) as kb:
        result = kb.query("charges show defendant, offense, counts, filed, status limit 10000",
                          cap=None)
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
    return {"cases": cases, "size": store_size(db), "formats": figures}


# -- report -----------------------------------------------------------------------------------

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


def ms(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value:.2f}" if value < 100 else f"{value:.0f}"


def ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}x"


def load_words(section: dict) -> str:
    if "load_min" not in section:
        return ""
    return f"; load average {section['load_min']:.1f}-{section['load_max']:.1f} (2 cores)"


def report_queries(q: dict, markdown: bool, engine: str) -> list[str]:
    out = []
    sqlite = engine == "sqlite"
    driver = "sqlite3" if sqlite else "psycopg"
    rows, steps = [], []
    for item in q["queries"]:
        if "error" in item:
            rows.append([item["label"], f"baseline failed: {item['error']}"] + [""] * 7)
            continue
        found = str(item["rows"])
        if item["rows"] != item["raw_rows"]:
            found += f" (raw {item['raw_rows']})"
        if item.get("same_order") is False:
            found += " (order differs)"
        if item.get("raw_columns") is not None and item["columns"] != item["raw_columns"]:
            found += f" ({item['columns']} columns, raw {item['raw_columns']})"
        row = [item["label"], found, ms(item["casekb_ms"]), ms(item["raw_ms"]),
               f"{ratio(item['ratio'])} ({item['ratio_low']:.2f}-{item['ratio_high']:.2f})",
               f"{item['difference_ms']:+.2f}",
               f"{item['target']}: {'met' if item['met'] else 'MISSED'}",
               ratio(item["json_ratio"])]
        if sqlite:
            row += [ratio(item.get("first_ratio")),
                    f"{ratio(item.get('fresh_ratio'))} ({ms(item.get('fresh_ms'))} / "
                    f"{ms(item.get('fresh_raw_ms'))})",
                    ", ".join(item.get("scans", [])) or "none"]
        rows.append(row)
        step = item["steps_ms"]
        steps.append([item["label"], *(ms(step[name]) for name in step), ms(item["raw_ms"]),
                      ratio(item["sql_ratio"]), ratio(item["unchecked_ratio"])])
    headers = ["query", "rows", "casekb ms", "raw ms", "ratio (p25-p75)", "casekb - raw ms",
               "target", "ratio, both rendering JSON"]
    if sqlite:
        headers += ["first ask ratio", "fresh process ratio (casekb / raw ms)", "full scans"]
    out.append(f"\nQueries on {'SQLite' if sqlite else 'PostgreSQL'}: "
               f"{size_words(q['size'])} (median ms; raw = hand-written SQL through {driver}; "
               f"ratio = median of casekb / raw over runs side by side, the question asked "
               f"again in the process{load_words(q)})")
    out.append(table(headers, rows, markdown))
    if steps:
        names = list(q["queries"][0]["steps_ms"]) if "steps_ms" in q["queries"][0] else []
        out.append(f"\nWhere casekb's time goes, the question asked again ({engine}, "
                   f"{q['size']['cases']:,} cases; median ms of each step; SQL alone = "
                   f"casekb's SQL on its connection against the raw SQL, side by side)")
        out.append(table(["query", *names, "raw ms", "SQL alone ratio",
                          "ratio without the name check"], steps, markdown))
    fresh = [(item["label"], item["fresh_steps_ms"]) for item in q["queries"]
             if "fresh_steps_ms" in item]
    if fresh:
        names = list(fresh[0][1])
        built = statistics.median(item["parser_built_ms"] for item in q["queries"]
                                  if "parser_built_ms" in item)
        out.append(f"\nWhere casekb's first ask in a fresh process goes ({q['size']['cases']:,} "
                   f"cases; median ms; parse = the first parse, the lexer's states compiled "
                   f"as met; plan = from the disk cache; answer = name check, run, decode). "
                   f"Not counted: building the parser, {built:.1f} ms once a process.")
        out.append(table(["query", *names], [[label, *(ms(values[name]) for name in names)]
                                             for label, values in fresh], markdown))
    return out


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
    for key, q in sorted(results.get("query", {}).items(), key=lambda item: int(item[0])):
        out += report_queries(q, markdown, "sqlite")
    for key, q in sorted(results.get("query_postgres", {}).items(),
                         key=lambda item: int(item[0])):
        out += report_queries(q, markdown, "postgresql")
    if "startup" in results:
        s = results["startup"]
        commands = s["commands"]
        base = commands["python -c 'import sqlite3'"]["seconds"]
        reference = list(commands)[-1]
        rows = [[name, f"{c['seconds'] * 1000:.0f}", f"{c['seconds'] / base:.1f}x",
                 f"{c['ratio']:.2f}x ({c['ratio_low']:.2f}-{c['ratio_high']:.2f})"]
                for name, c in commands.items()]
        out.append(f"\nStart-up, whole process: `{s['query']}` on the Rust store "
                   f"({size_words(s['size'])}), --format json (median ms{load_words(s)})")
        out.append(table(["command", "ms", "vs bare python", f"vs {reference.split(' (')[0]} "
                          "(p25-p75)"], rows, markdown))
        if s["note"]:
            out.append("note: " + s["note"])
        out.append("\nA shape never seen, step by step in a new process (median ms)")
        out.append(table(["step", "ms"], [[name, f"{value:.1f}"]
                                          for name, value in s["unseen_ms"].items()], markdown))
        out += report_imports(s["imports"], markdown)
    if "render" in results:
        r = results["render"]
        rows = [[fmt, str(f["rows"]), f"{f['casekb_ms']:.0f}", f"{f['baseline_ms']:.0f}",
                 f["baseline"], f"{f['casekb_ms'] / f['baseline_ms']:.2f}x"]
                for fmt, f in r["formats"].items()]
        out.append(f"\nRendering a 10,000-row result (from the store of "
                   f"{size_words(r['size'])}; median ms)")
        out.append(table(["format", "rows", "casekb ms", "baseline ms", "baseline", "ratio"],
                         rows, markdown))
    return "\n".join(out)


def report_imports(imports: dict, markdown: bool, top: int = 20) -> list[str]:
    """The modules a cached `casekb query` imports: the total, by package, and the costliest
    by their own time."""
    total = sum(item["total_us"] for item in imports.values() if item["depth"] == 0)
    groups: dict[str, float] = {}
    for name, item in imports.items():
        if item["depth"] == 0:
            group = name.split(".")[0] if not name.startswith("casekb") else name
            groups[group] = groups.get(group, 0) + item["total_us"]
    rows = [[name, f"{us / 1000:.1f}"] for name, us in
            sorted(groups.items(), key=lambda item: -item[1])[:top]]
    out = [f"\nImports of a cached `casekb query` (python -X importtime, medians): "
           f"{total / 1000:.0f} ms in all; imported at the top level, with what they import"]
    out.append(table(["module", "ms"], rows, markdown))
    rows = [[name, f"{item['self_us'] / 1000:.1f}", f"{item['total_us'] / 1000:.1f}"]
            for name, item in sorted(imports.items(), key=lambda kv: -kv[1]["self_us"])[:top]]
    out.append("\nThe costliest modules by their own import time")
    out.append(table(["module", "self ms", "with its imports ms"], rows, markdown))
    return out


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
            "when": time.strftime("%Y-%m-%d %H:%M")}


def print_plans(results: dict) -> None:
    for key, q in sorted(results.get("query", {}).items(), key=lambda item: int(item[0])):
        print(f"\nQuery plans on {int(key):,} cases (EXPLAIN QUERY PLAN of the SQL casekb runs):")
        for item in q["queries"]:
            print(f"  {item['label']}: " + " | ".join(item.get("plan", [])))


def drop_postgres(base: str, sizes: list[int]) -> None:
    from casekb.build.postgres import drop_store

    for cases in sizes:
        url = postgres_url(base, cases)
        print(f"  {'dropped' if drop_store(url) else 'nothing to drop in'} {url}",
              file=sys.stderr)
        (CACHE / f"postgres-{cases}.stamp").unlink(missing_ok=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="1k and 10k cases, fewer repeats")
    parser.add_argument("--sizes", help="comma-separated corpus sizes (default 10000,100000)")
    parser.add_argument("--only", help="comma-separated: build, query, startup, render")
    parser.add_argument("--repeat", type=int, help="timed runs per figure (median taken)")
    parser.add_argument("--fresh-repeat", type=int,
                        help="new processes per question for the fresh-process column")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    parser.add_argument("--report", action="store_true",
                        help="only print the figures kept in .bench/results.json")
    parser.add_argument("--postgres", metavar="URL", nargs="?",
                        const=os.environ.get("CASEKB_TEST_POSTGRES_URL", ""),
                        help="also run the questions on PostgreSQL (default URL: "
                             "$CASEKB_TEST_POSTGRES_URL); each corpus goes into a schema of "
                             "this checkout's own, kept for the next run")
    parser.add_argument("--drop-postgres", action="store_true",
                        help="drop this checkout's PostgreSQL stores of --sizes (with "
                             "--postgres URL) and stop")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ["CASEKB_HOME"] = str(HOME)  # children inherit it
    if args.child:
        kind, *rest = args.child
        work = {"build": child_build, "fresh": child_fresh, "unseen": child_unseen}[kind]
        print(json.dumps(work(*rest)))
        return 0

    CACHE.mkdir(parents=True, exist_ok=True)
    saved = CACHE / "results.json"
    if args.report:
        results = json.loads(saved.read_text())
        print(report(results, args.markdown))
        print_plans(results)
        return 0
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else \
        ([1000, 10000] if args.quick else [10000, 100000])
    if args.drop_postgres:
        if not args.postgres:
            parser.error("--drop-postgres needs --postgres URL")
        drop_postgres(args.postgres, sizes)
        return 0
    repeat = args.repeat or (9 if args.quick else 25)
    fresh_repeat = args.fresh_repeat or (5 if args.quick else 11)
    wanted = set(args.only.split(",")) if args.only else {"build", "query", "startup", "render"}
    # Sections not run this time keep their latest figures (each records its own sizes).
    results: dict = json.loads(saved.read_text()) if saved.exists() else {}
    results["machine"] = machine()
    ran: dict = {"machine": results["machine"]}
    if "build" in wanted:
        results["build"] = ran["build"] = bench_build(sizes)
    if "query" in wanted:
        ran["query"] = {}
        for cases in sizes:
            print(f"  queries on {cases:,} cases ...", file=sys.stderr, flush=True)
            ran["query"][str(cases)] = bench_query(cases, repeat, fresh_repeat)
        results.setdefault("query", {}).update(ran["query"])
    if args.postgres is not None:
        if not args.postgres:
            parser.error("--postgres needs a URL (or CASEKB_TEST_POSTGRES_URL set)")
        ran["query_postgres"] = {}
        for cases in sizes:
            print(f"  queries on {cases:,} cases, PostgreSQL ...", file=sys.stderr, flush=True)
            ran["query_postgres"][str(cases)] = bench_query_postgres(
                cases, repeat, postgres_url(args.postgres, cases))
        results.setdefault("query_postgres", {}).update(ran["query_postgres"])
    if "startup" in wanted:
        print("  start-up ...", file=sys.stderr, flush=True)
        results["startup"] = ran["startup"] = bench_startup(max(15, repeat))
    if "render" in wanted:
        print("  rendering ...", file=sys.stderr, flush=True)
        results["render"] = ran["render"] = bench_render(max(sizes), max(3, repeat // 3))
    saved.write_text(json.dumps(results, indent=1, default=str))
    print(report(ran, args.markdown))
    print_plans(ran)
    return 0


if __name__ == "__main__":
    sys.exit(main())
