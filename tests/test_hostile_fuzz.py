"""Fuzzing at CI scale: 10,000 generated queries and 1,000 mutated curated folders a run.

Queries come from a seeded generator (quicker than hypothesis at this scale): valid queries
built from the registry (any entity, field, operator, value of the field's type, clauses),
the same mutated token by token, hostile pieces (NUL, surrogates, bidi controls, deep
nesting, long lists, huge numbers, text near the length limit) and random characters. Each
is parsed, resolved and planned (the SQL `explain` shows): it compiles, or raises a
QueryError that says where; anything else fails the test. A sample runs on the Rust store (SQLite; PostgreSQL too when a
server is configured), where it must answer.

Curated folders are copies of the `casekb init` example (every record kind, one article;
the Rust seeds take six times as long to check) with one mutation each, at every level: the
bytes of a TOML file, a field of a record, an article (bytes, NUL, not UTF-8, a FIFO, a link
to /dev/zero or out of the folder, a folder, gone), the folder (FIFOs, links, huge sparse
files, a TOML file that is a FIFO). `check` must return (never raise, never wait: each check
runs under an alarm) with problems that render and name a file of the folder. The folders
are checked in a child process with a memory cap, so that a regression cannot take the
machine's memory with it.

The seed is fixed, so a failure is reproduced by running the test again; CASEKB_FUZZ_SEED
picks others, e.g. `CASEKB_FUZZ_SEED=7 pytest tests/test_hostile_fuzz.py`. CPU time
(2026-12, a shared machine): about 30 s for the queries, 15 s for the folders, 5 s for the
PostgreSQL part.
"""

from __future__ import annotations

import json
import os
import random
import re
import time
from pathlib import Path

from asking import check
from hostile_run import run_python

from casekb.errors import QueryError
from casekb.lang import registry
from casekb.lang.registry import FieldType

SEED = int(os.environ.get("CASEKB_FUZZ_SEED", "20261206"))
QUERIES = 10_000
FOLDERS = 1_000
RUN_EVERY = 20  # one generated query in 20 also runs on the store
TESTS_DIR = Path(__file__).resolve().parent


# -- Queries ----------------------------------------------------------------------------------

NAMES = ["Alec Baldwin", "dave halls", "Rust", "Gutierrez Reed", "nobody", "a%b_c", "O'Neil",
         "", "\\", '"', "é", "\u202e", "\U0001d538", "x" * 300]
UNITS = ["day", "days", "week", "weeks", "month", "months", "year", "years", "hour", "hours"]
HOSTILE = [
    "\x00", "\udcff", "\ud800", "\u202e", "\u200b", "\ufeff", "é", "𝔸", "\n", "\r", "\t",
    "--", ";", "(", ")", "((((", "))))", ",", "=", "!=", "<", "<=", ">", ">=", "~", "*", "%",
    "_", '"', '""', '"\\"', "'", "$", "$-1", "$0.001", "$99999999999999999999", "$1,00",
    "99999999999999999999", "-1", "1.5", "1e9", "0x10", "2024-02-30", "0000-00-00",
    "9999-12-31", "2024-13", "18 parsecs", "0 days", "1000000000 years", "true", "null",
    "NULL", "select", "from", "union", "drop", "\"'; DROP TABLE charges; --\"", "explain",
    "describe", "where", "and", "or", "not", "in", "is", "empty", "as", "of", "count", "by",
    "show", "order", "limit", "with", "sources", "asc", "desc",
]
TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\$[\d,.]+|\d[\d-]*|[A-Za-z_]\w*|!=|<=|>=|--[^\n]*|\S')


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _date(rng: random.Random) -> str:
    year = rng.randint(1000, 2030)
    shape = rng.randrange(3)
    if shape == 0:
        return str(year)
    month = rng.randint(1, 12)
    if shape == 1:
        return f"{year}-{month:02d}"
    return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"


def _value(rng: random.Random, field) -> str:
    kind = field.type
    if kind is FieldType.ENUM:
        return _quoted(rng.choice(field.values))
    if kind is FieldType.INTEGER:
        return str(rng.randint(0, 10**6))
    if kind is FieldType.DATE:
        return _date(rng)
    if kind is FieldType.QUANTITY:
        if rng.random() < 0.5:
            return f"${rng.randint(0, 10**7):,}"
        return f"{rng.randint(0, 500)} {rng.choice(UNITS)}"
    if kind is FieldType.BOOLEAN:
        return rng.choice(["true", "false", "yes", "no"])
    if rng.random() < 0.7:
        return _quoted(rng.choice(NAMES))
    return _quoted("".join(rng.choice("abc xyz'%_\\\"é\u202e") for _ in range(rng.randint(0, 8))))


def _operator(rng: random.Random, field) -> str:
    if field.type in (FieldType.INTEGER, FieldType.DATE, FieldType.QUANTITY):
        return rng.choice(["=", "!=", "<", "<=", ">", ">="])
    if field.type is FieldType.BOOLEAN:
        return rng.choice(["=", "!="])
    return rng.choice(["=", "!=", "~"])


def _test(rng: random.Random, entity) -> str:
    field = rng.choice(entity.fields)
    shape = rng.randrange(5)
    if shape == 0:
        return f"{field.name} is empty"
    if shape == 1:
        return f"{field.name} is not empty"
    if shape in (2, 3):
        values = ", ".join(_value(rng, field) for _ in range(rng.randint(1, 4)))
        return f"{field.name} {'in' if shape == 2 else 'not in'} ({values})"
    return f"{field.name} {_operator(rng, field)} {_value(rng, field)}"


def _condition(rng: random.Random, entity, depth: int = 0) -> str:
    if depth >= 3 or rng.random() < 0.5:
        return _test(rng, entity)
    joined = (f"{_condition(rng, entity, depth + 1)} {rng.choice(['and', 'or'])} "
              f"{_condition(rng, entity, depth + 1)}")
    return f"not ({joined})" if rng.random() < 0.3 else f"({joined})"


def generated_query(rng: random.Random) -> str:
    """A valid query built from the registry."""
    entity = rng.choice(registry.ENTITIES)
    names = entity.field_names
    counting = rng.random() < 0.3
    parts = [f"count {entity.name}" if counting else entity.name]
    if rng.random() < 0.7:
        parts.append("where " + _condition(rng, entity))
    if entity.as_of is not None and rng.random() < 0.2:
        parts.append("as of " + _date(rng))
    groups: list[str] = []
    if counting and rng.random() < 0.6:
        groups = rng.sample(names, rng.randint(1, min(2, len(names))))
        parts.insert(1, "by " + ", ".join(groups))
    elif not counting and rng.random() < 0.5:
        parts.append("show " + ", ".join(rng.choice(names) for _ in range(rng.randint(1, 4))))
    keys = (groups + ["count"]) if counting else names
    if (not counting or groups) and rng.random() < 0.4:
        parts.append("order by " + ", ".join(
            f"{rng.choice(keys)} {rng.choice(['', 'asc', 'desc'])}".strip()
            for _ in range(rng.randint(1, 2))))
    if rng.random() < 0.3:
        parts.append(f"limit {rng.randint(0, 20)}")
    if not counting and entity.evidence_table and rng.random() < 0.3:
        parts.append("with sources")
    text = " ".join(parts)
    return f"explain {text}" if rng.random() < 0.05 else text


def mutated(rng: random.Random, query: str) -> str:
    """`query` with one to three token edits, or cut short."""
    tokens = TOKEN.findall(query)
    for _ in range(rng.randint(1, 3)):
        if not tokens:
            tokens = [rng.choice(HOSTILE)]
        at = rng.randrange(len(tokens))
        operation = rng.randrange(6)
        if operation == 0:
            del tokens[at]
        elif operation == 1:
            tokens.insert(at, tokens[at])
        elif operation == 2 and at + 1 < len(tokens):
            tokens[at], tokens[at + 1] = tokens[at + 1], tokens[at]
        elif operation == 3:
            tokens[at] = rng.choice(HOSTILE)
        elif operation == 4:
            tokens.insert(at, rng.choice(HOSTILE))
        else:
            joined = " ".join(tokens)
            return joined[:rng.randint(0, len(joined))]
    return " ".join(tokens)


def hostile_query(rng: random.Random) -> str:
    """Text made to strain the language: nesting, many tests, long lists, long text, random
    characters. The shapes that cost most to explain (a query of 500 tests takes half a
    second) are the rarest."""
    from casekb.lang.resolve import MAX_DEPTH, MAX_TESTS

    entity = rng.choice(registry.ENTITIES)
    test = _test(rng, entity)
    shape = rng.choices(range(6), weights=[15, 1, 8, 6, 35, 35])[0]
    if shape == 0:  # nesting around its limit
        text = test
        for level in range(rng.randint(MAX_DEPTH // 2 - 3, MAX_DEPTH // 2 + 3)):
            text = f"({test} {'and' if level % 2 else 'or'} {text})"
        return f"{entity.name} where {'not ' * rng.randint(0, 3)}{text}"
    if shape == 1:  # tests around their limit
        count = rng.randint(MAX_TESTS - 10, MAX_TESTS + 10)
        return f"{entity.name} where " + " or ".join(test for _ in range(count))
    if shape == 2:  # a long list (each date or amount of one counts as a test)
        field = rng.choice(entity.fields)
        values = ", ".join(_value(rng, field) for _ in range(rng.randint(20, 300)))
        return f"{entity.name} where {field.name} in ({values})"
    if shape == 3:  # text near the length limit of 20,000 characters
        return f'{entity.name} where {entity.fields[0].name} = "{"x" * rng.randint(19_900, 20_100)}"'
    if shape == 4:  # random characters
        alphabet = 'abcdefghij ()",=<>!~$-:;\n\\\x00\udcff\u202e0123456789'
        return "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 80)))
    return " ".join(rng.choice(HOSTILE) for _ in range(rng.randint(1, 12)))


def query_corpus(seed: int, count: int) -> list[str]:
    """`count` queries: a third valid, half mutated, the rest hostile. (A valid query costs
    some 5 ms to explain, a wrong one 1 ms to refuse: this mix keeps 10,000 to half a
    minute.)"""
    rng = random.Random(seed)
    queries = []
    while len(queries) < count:
        roll = rng.random()
        if roll < 0.33:
            queries.append(generated_query(rng))
        elif roll < 0.83:
            queries.append(mutated(rng, generated_query(rng)))
        else:
            queries.append(hostile_query(rng))
    return queries


def compiled_or_query_error(text: str, dialect: str):
    """Parse, resolve and plan `text` (what `explain` shows: the SQL written for `dialect`):
    the resolved statement, or None after a QueryError that says where (the only exception
    allowed)."""
    from casekb.lang import ast
    from casekb.plan.planner import make_plan

    try:
        resolved = check(text)
    except QueryError as error:
        assert error.message.strip() and error.render().strip()
        if len(text) <= 20_000:
            assert error.span is not None, f"no position for {text[:200]!r}: {error.message}"
            assert 1 <= error.span.line <= text.count("\n") + 1 and error.span.column >= 1
        return None
    if isinstance(resolved, ast.Describe):
        return resolved  # nothing to explain
    sql = make_plan(resolved, dialect, capped=True).query.sql
    assert sql.lstrip().upper().startswith(("SELECT", "WITH")), sql
    return resolved


def _fuzz_queries(db: str, dialect: str, *, count: int, run_every: int) -> dict[str, int]:
    import casekb

    seen = {"compiled": 0, "query errors": 0, "ran": 0}
    with casekb.open(db) as kb:
        for number, text in enumerate(query_corpus(SEED, count)):
            where = f"query {number} of seed {SEED}: {text[:300]!r}"
            try:
                compiled = compiled_or_query_error(text, dialect)
                seen["compiled" if compiled is not None else "query errors"] += 1
                if compiled is not None and number % run_every == 0:
                    try:
                        result = kb.run(text, cap=20)
                    except QueryError:  # a name nobody in the store has: said as such
                        pass
                    else:
                        assert len(getattr(result, "rows", ())) <= 20
                    seen["ran"] += 1
            except AssertionError as failure:
                raise AssertionError(f"{where}: {failure}") from None
            except Exception as error:
                raise AssertionError(f"{where}: {type(error).__name__}: {error}") from error
    return seen


def test_ten_thousand_generated_queries_compile_or_say_where_they_are_wrong(rust_db):
    started = time.perf_counter()
    seen = _fuzz_queries(str(rust_db), "sqlite", count=QUERIES, run_every=RUN_EVERY)
    # The corpus must be worth its time: many valid, many wrong, a sample run.
    assert sum(seen.values()) - seen["ran"] == QUERIES
    assert seen["compiled"] > QUERIES * 0.3 and seen["query errors"] > QUERIES * 0.3, seen
    assert seen["ran"] >= 200, seen
    print(f"{QUERIES} queries in {time.perf_counter() - started:.1f} s: {seen}")


def test_generated_queries_on_postgresql(pg_url, seeds_dir):
    from casekb.build.builder import build_store

    build_store(seeds_dir, pg_url)
    # A tenth of the corpus, planned in PostgreSQL's dialect; one in five runs there.
    seen = _fuzz_queries(pg_url, "postgresql", count=QUERIES // 10, run_every=5)
    assert seen["ran"] >= 50, seen


def test_the_generator_is_deterministic_and_varied():
    first, again = query_corpus(1, 300), query_corpus(1, 300)
    assert first == again and len(set(first)) > 250
    assert any("\x00" in q for q in query_corpus(1, 3000))


# -- Curated folders --------------------------------------------------------------------------

ODD_VALUES = [None, True, False, 0, -1, 2**31, 2**70, 1.5, float("nan"), float("inf"), "",
              " ", "\x00", "\u202e", "\ufeff", "é" * 3, "x" * 100_000, "2023-02-30", "٢٠٢٣",
              "18 parsecs", "$-5", "$٥٠٠", "no-such-record", "-", "a", [], [{}], {},
              {"source": "nope", "quote": "nope"}, [{"source": 1, "quote": None}],
              [{"source": "independent-2023-01-20", "quote": "-"}]]
JUNK = ['"', "[[", "= =", "\x00", "]", "{", "\\u", "\ud800", "\u202e", "x = 1\nx = 2", "\xff",
        "[" * 2000, "[[person]]\nid = \"p\"\n", '"""', "'''", "\n[[charge]]\n", "a.b.c = 1\n"]


def _toml_files(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.toml"))


def _article_files(folder: Path) -> list[Path]:
    return sorted((folder / "articles").iterdir())


def mutate_folder(rng: random.Random, folder: Path) -> str:
    """Apply one random mutation to the curated folder; say what it was."""
    kind = rng.randrange(4)
    if kind == 0:
        return _mutate_toml_bytes(rng, rng.choice(_toml_files(folder)))
    if kind == 1:
        return _mutate_record(rng, rng.choice(_toml_files(folder)))
    if kind == 2:
        return _mutate_article(rng, rng.choice(_article_files(folder)))
    return _mutate_folder_entries(rng, folder)


def _mutate_toml_bytes(rng: random.Random, path: Path) -> str:
    data = path.read_bytes()
    at = rng.randint(0, len(data))
    operation = rng.randrange(5)
    if operation == 0:
        junk = rng.choice(JUNK)
        raw = junk.encode("latin-1") if junk == "\xff" else junk.encode("utf-8", "surrogatepass")
        data = data[:at] + raw + data[at:]
    elif operation == 1:
        data = data[:at] + data[at + rng.randint(1, 200):]
    elif operation == 2:
        lines = data.split(b"\n")
        line = rng.randrange(len(lines))
        lines.insert(line, lines[line])
        data = b"\n".join(lines)
    elif operation == 3:
        lines = data.split(b"\n")
        a, b = rng.randrange(len(lines)), rng.randrange(len(lines))
        lines[a], lines[b] = lines[b], lines[a]
        data = b"\n".join(lines)
    else:
        data = data[:at]
    path.write_bytes(data)
    return f"bytes of {path.name}: operation {operation} at {at}"


def _mutate_record(rng: random.Random, path: Path) -> str:
    import tomllib

    from test_fuzz import toml_text

    document = tomllib.loads(path.read_text(encoding="utf-8"))
    kind = rng.choice(sorted(document))
    records = document[kind]
    record = rng.choice(records)
    field = rng.choice(sorted(record) + ["zzz_unknown"])
    operation = rng.randrange(5)
    if operation == 0:
        record.pop(field, None)
    elif operation == 1:
        record[field] = rng.choice(ODD_VALUES)
        if record[field] is None:
            del record[field]
    elif operation == 2:
        records.append(dict(record))  # a duplicate id
    elif operation == 3:
        record[field] = {"nested": record.get(field)}
    else:
        other = rng.choice(records)
        record["id"] = other.get("id")
    path.write_text(toml_text(document), encoding="utf-8")
    return f"record of {path.name}: {kind}.{field} operation {operation}"


def _mutate_article(rng: random.Random, path: Path) -> str:
    operation = rng.randrange(10)
    data = path.read_bytes()
    path.unlink()
    if operation == 0:
        path.write_bytes(data[:len(data) // 2])
    elif operation == 1:
        path.write_bytes(data[:100] + b"\x00" + data[100:])
    elif operation == 2:
        path.write_bytes(data[:100] + b"\xff\xfe" + data[100:])
    elif operation == 3:
        os.mkfifo(path)
    elif operation == 4:
        path.symlink_to("/dev/zero")
    elif operation == 5:
        path.symlink_to("/etc/hostname")
    elif operation == 6:
        path.mkdir()
    elif operation == 7:
        with open(path, "wb") as huge:
            huge.truncate(16 * 2**20 + rng.randint(1, 10))
    elif operation == 8:
        path.write_bytes(b"")
    # 9: the article is gone
    return f"article {path.name}: operation {operation}"


def _mutate_folder_entries(rng: random.Random, folder: Path) -> str:
    operation = rng.randrange(7)
    place = rng.choice([folder, folder / "articles", rng.choice(_toml_files(folder)).parent])
    path = place / rng.choice(["notes.txt", "extra.toml"])
    name = path.relative_to(folder).as_posix()
    if operation == 0:
        os.mkfifo(path)
    elif operation == 1:
        path.symlink_to("/dev/zero")
    elif operation == 2:
        path.symlink_to(folder.parent)
    elif operation == 3:
        with open(path, "wb") as huge:
            huge.truncate(16 * 2**20 + 1)
    elif operation == 4:
        path.write_text("x = [" * 5000 + "]" * 5000, encoding="utf-8")
    elif operation == 5:
        path.symlink_to(path)  # a loop
    else:
        path.write_bytes(os.urandom(rng.randint(0, 2000)))
    return f"folder: {name} operation {operation}"


class _Hang(Exception):
    pass


def fuzz_folders(seeds: str, work: str, count: int, seed: int) -> dict:
    """Check `count` mutated copies of the folder `seeds` under `work`; what was found."""
    import shutil
    import signal

    from casekb.curation import check_folder

    def alarm(signum, frame):
        raise _Hang()

    signal.signal(signal.SIGALRM, alarm)
    rng = random.Random(seed)
    failures, problems, started = [], 0, time.perf_counter()
    for number in range(count):
        folder = Path(work) / f"f{number}"
        shutil.copytree(seeds, folder, symlinks=True)
        what = mutate_folder(rng, folder)
        signal.alarm(10)
        try:
            result = check_folder(folder)
            for problem in result.problems:
                assert problem.render()
                assert problem.file == str(folder) or (folder / problem.file).exists() or \
                    (folder / problem.file).is_symlink(), problem.file
            problems += len(result.problems)
        except _Hang:
            failures.append(f"{number} ({what}): check did not finish in 10 s")
        except Exception as error:  # noqa: BLE001 - every failure is collected and reported
            failures.append(f"{number} ({what}): {type(error).__name__}: {error}"[:500])
        finally:
            signal.alarm(0)
        shutil.rmtree(folder)
    return {"checked": count, "failures": failures, "problems": problems,
            "seconds": round(time.perf_counter() - started, 1)}


def test_a_thousand_mutated_curated_folders_are_checked_without_an_exception(curated_folder,
                                                                            tmp_path):
    work = tmp_path / "mutated"
    work.mkdir()
    result = run_python(
        "import json, sys; sys.path.insert(0, sys.argv[1]); import test_hostile_fuzz as f; "
        "print(json.dumps(f.fuzz_folders(sys.argv[2], sys.argv[3], int(sys.argv[4]), "
        "int(sys.argv[5]))))",
        TESTS_DIR, curated_folder, work, FOLDERS, SEED, timeout=600)
    assert result.clean and result.code == 0, result.err[-3000:]
    found = json.loads(result.out.splitlines()[-1])
    assert found["checked"] == FOLDERS
    assert found["failures"] == [], "\n".join(found["failures"][:20])
    assert found["problems"] > FOLDERS // 2  # the mutations do break things
    print(f"{FOLDERS} folders in {found['seconds']} s, {found['problems']} problems")
