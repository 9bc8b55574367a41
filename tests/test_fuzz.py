"""Fuzzing: hostile query text and mutated curated files never crash casekb.

- Any text given to the language, and valid queries mutated token by token, either answer on
  the Rust store or raise casekb's own QueryError pointing at a line and column. Anything
  else (a lark exception, a TypeError, a StoreError from SQL that compiled but cannot run) is
  a bug.
- The bundled Rust seeds, mutated one field at a time (wrong types, missing keys, broken
  TOML, unknown references, huge values, odd Unicode), always give `check` problems that name
  the file and the field, never an exception.

The CI run uses a few hundred examples per test. For a long run set CASEKB_FUZZ=long (25
times as many), e.g. `CASEKB_FUZZ=long pytest tests/test_fuzz.py`.
"""

from __future__ import annotations

import datetime
import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from casekb.errors import QueryError

REPO = Path(__file__).resolve().parent.parent
SCALE = 25 if os.environ.get("CASEKB_FUZZ") == "long" else 1


def fuzz_settings(examples: int):
    return settings(max_examples=examples * SCALE, deadline=None, derandomize=SCALE == 1,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


# -- queries -----------------------------------------------------------------------------------

def _golden_queries() -> list[str]:
    text = (REPO / "tests" / "golden" / "sql.txt").read_text(encoding="utf-8")
    return [line[4:].replace("\\n", "\n") for line in text.splitlines() if line.startswith("### ")]


VALID_QUERIES = _golden_queries() or ['charges where defendant = "Alec Baldwin"']
TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\$[\d,.]+|\d[\d-]*|[A-Za-z_]\w*|!=|<=|>=|--[^\n]*|\S')
PIECES = [
    "where", "and", "or", "not", "in", "is", "empty", "as", "of", "count", "by", "show", "order",
    "limit", "with", "sources", "asc", "desc", "explain", "describe", "(", ")", ",", ";", "=",
    "!=", "<", "<=", ">", ">=", "~", "charges", "people", "penalties", "statements", "sources",
    "defendant", "amount", "filed", "status", "case", "kind", "quote", "date", "level", "counts",
    '"Alec Baldwin"', '""', '"%"', '"_"', '"\\\\"', '"\\""', "\"'; DROP TABLE charges; --\"",
    "2024", "2024-01", "2024-02-30", "0000-00-00", "9999-12-31", "99999999999999999999", "0",
    "-1", "1.5", "18 months", "0 days", "$5,000", "$0", "$99999999999999999999", "24 hours",
    "true", "false", "yes", "no", "null", "NULL", "*", "--", "\n", "\u202e", "\x00", "é", "𝔸",
]


@pytest.fixture(scope="module")
def rust_engine(rust_db):
    import casekb

    engine = casekb.open(str(rust_db))
    yield engine
    engine.close()


def answer_or_query_error(text: str, engine) -> None:
    """Run `text`; it must answer, or raise a QueryError with a position inside the text."""
    from casekb.render import render

    try:
        outcome = engine.run(text, cap=20)
    except QueryError as error:
        assert error.message.strip()
        rendered = error.render()  # never fails, whatever the span says
        assert rendered.strip()
        if len(text) <= 20_000:
            assert error.span is not None, f"no position for {text!r}: {error.message}"
            lines = text.splitlines() or [""]
            assert 1 <= error.span.line <= max(len(lines), text.count("\n") + 1)
            assert error.span.column >= 1 and error.span.length >= 1
        return
    import io

    for fmt in ("table", "json", "csv"):
        render(outcome, fmt, io.StringIO())


@fuzz_settings(300)
@given(text=st.text(max_size=120))
def test_any_text_answers_or_gives_a_positioned_query_error(text, rust_engine):
    answer_or_query_error(text, rust_engine)


@fuzz_settings(300)
@given(text=st.lists(st.sampled_from(PIECES), max_size=14).map(" ".join))
def test_any_sequence_of_words_answers_or_gives_a_positioned_query_error(text, rust_engine):
    answer_or_query_error(text, rust_engine)


def _mutate(query: str, data) -> str:
    tokens = TOKEN.findall(query)
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        operation = data.draw(st.sampled_from(["delete", "duplicate", "swap", "replace",
                                               "insert", "cut"]), label="operation")
        if not tokens:
            tokens = [data.draw(st.sampled_from(PIECES))]
        at = data.draw(st.integers(0, len(tokens) - 1), label="at")
        if operation == "delete":
            del tokens[at]
        elif operation == "duplicate":
            tokens.insert(at, tokens[at])
        elif operation == "swap" and at + 1 < len(tokens):
            tokens[at], tokens[at + 1] = tokens[at + 1], tokens[at]
        elif operation == "replace":
            tokens[at] = data.draw(st.sampled_from(PIECES) | st.text(max_size=6), label="new")
        elif operation == "insert":
            tokens.insert(at, data.draw(st.sampled_from(PIECES), label="new"))
        elif operation == "cut":
            joined = " ".join(tokens)
            return joined[:data.draw(st.integers(0, len(joined)), label="cut")]
    return " ".join(tokens)


@fuzz_settings(400)
@given(query=st.sampled_from(VALID_QUERIES), data=st.data())
def test_mutated_valid_queries_answer_or_give_a_positioned_query_error(query, data, rust_engine):
    answer_or_query_error(_mutate(query, data), rust_engine)


def test_every_valid_query_answers(rust_engine):
    # The mutation corpus itself must be valid, or the fuzzing above proves little.

    assert len(VALID_QUERIES) >= 20
    for query in VALID_QUERIES:
        rust_engine.run(query, cap=20)


def test_errors_point_inside_the_text(rust_engine):

    for text in ["charges where", "charges where defendant = ", "charges where counts > \"x\"",
                 "charges\n where\n  filed = 2024-13", "chargse", "count charges by nothing"]:
        with pytest.raises(QueryError) as caught:
            rust_engine.run(text)
        span = caught.value.span
        assert span is not None, text
        assert 1 <= span.line <= text.count("\n") + 1 and span.column >= 1


# -- curated files -----------------------------------------------------------------------------

def toml_text(data: dict) -> str:
    """A TOML document for `data`: a dict of arrays of tables, as the curated files are."""
    lines = []
    for kind, records in data.items():
        if not isinstance(records, list) or not all(isinstance(r, dict) for r in records):
            lines.append(f"{_key(kind)} = {_value(records)}")
            continue
        for record in records:
            lines.append(f"[[{_key(kind)}]]")
            lines += [f"{_key(name)} = {_value(value)}" for name, value in record.items()]
            lines.append("")
    return "\n".join(lines) + "\n"


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _string(name)


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in '"\\':
            out.append("\\" + char)
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        elif 0xD800 <= ord(char) <= 0xDFFF:
            out.append("?")  # a lone surrogate cannot be written as UTF-8
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if value == value and value not in (float("inf"), float("-inf")) \
            else ("nan" if value != value else ("inf" if value > 0 else "-inf"))
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    return _string(str(value))


SEED_FILES = ["rust/charges.toml", "rust/people.toml", "rust/events.toml",
              "rust/statements.toml", "rust/disputes.toml", "rust/case.toml", "sources.toml"]

ODD_VALUES = (
    st.none() | st.booleans() | st.integers(min_value=-2**70, max_value=2**70)
    | st.floats(allow_nan=True, allow_infinity=True) | st.dates()
    | st.text(alphabet="\x00\u202e\u200b\ufeff\u0301\U0001f600\u2028 é'\"\\-", max_size=12)
    | st.just("x" * 200_000) | st.just("2023-02-30") | st.just("18 parsecs")
    | st.just("no-such-record") | st.just("$-5") | st.just([]) | st.just([{}])
    | st.just({"source": "nope", "quote": "nope"}) | st.just([{"source": 1, "quote": None}])
)


@pytest.fixture(scope="module")
def seed_copy(tmp_path_factory, seeds_dir):
    import tomllib

    folder = tmp_path_factory.mktemp("seed-fuzz") / "seeds"
    shutil.copytree(seeds_dir, folder)
    originals = {name: (folder / name).read_bytes() for name in SEED_FILES}
    parsed = {name: tomllib.loads(data.decode("utf-8")) for name, data in originals.items()}
    return folder, originals, parsed


def _check(folder: Path):
    from casekb.curation import check_folder

    return check_folder(folder)


@fuzz_settings(100)
@given(data=st.data())
def test_mutated_seed_records_give_problems_naming_file_and_field(seed_copy, data):
    import copy

    folder, originals, parsed = seed_copy
    name = data.draw(st.sampled_from(SEED_FILES), label="file")
    document = copy.deepcopy(parsed[name])
    kind = data.draw(st.sampled_from(sorted(document)), label="kind")
    records = document[kind]
    index = data.draw(st.integers(0, len(records) - 1), label="record")
    record = records[index]
    field = data.draw(st.sampled_from(sorted(record) + ["zzz_unknown"]), label="field")
    operation = data.draw(st.sampled_from(["replace", "delete", "nest"]), label="operation")
    if operation == "delete":
        assume(field in record)
        del record[field]
    elif operation == "nest":
        record[field] = {"value": record.get(field)}
    else:
        record[field] = data.draw(ODD_VALUES, label="value")
        if record[field] is None:
            del record[field]
    if record == parsed[name][kind][index]:
        return  # the draw changed nothing
    try:
        (folder / name).write_text(toml_text(document), encoding="utf-8")
        result = _check(folder)
    finally:
        (folder / name).write_bytes(originals[name])
    files = set(result.files) | {str(folder)}
    for problem in result.problems:
        assert problem.file in files or (folder / problem.file).exists(), problem.file
        assert problem.render()
    from casekb.curation.spec import BY_KIND

    spec = BY_KIND[kind].by_name.get(field)
    named = any(problem.file == name and problem.field.split("[")[0].split(".")[0] == field
                for problem in result.problems)
    if field == "zzz_unknown" or (operation == "nest" and field != "note"):
        assert named, [p.render() for p in result.problems]
    if operation == "delete" and spec is not None and spec.required:
        assert named, [p.render() for p in result.problems]


@fuzz_settings(100)
@given(data=st.data())
def test_broken_toml_in_a_seed_file_gives_one_positioned_problem(seed_copy, data):
    folder, originals, _ = seed_copy
    name = data.draw(st.sampled_from(SEED_FILES), label="file")
    text = originals[name].decode("utf-8")
    at = data.draw(st.integers(0, len(text)), label="at")
    junk = data.draw(st.sampled_from(['"', "[[", "= =", "\x00", "]", "{", "\\u", "\ud800",
                                      "\u202e", "x = 1\nx = 2", "\xff"]), label="junk")
    mutated = text[:at] + junk + text[at:]
    try:
        (folder / name).write_bytes(mutated.encode("utf-8", "surrogatepass"))
        result = _check(folder)
    finally:
        (folder / name).write_bytes(originals[name])
    for problem in result.problems:
        assert problem.render()
    toml_problems = [p for p in result.problems if p.file == name and
                     ("TOML" in p.message or "UTF-8" in p.message)]
    if toml_problems:
        assert toml_problems[0].line is not None


def test_the_cli_reports_a_mutated_seed_without_a_traceback(seed_copy, run_cli):
    folder, originals, _ = seed_copy
    name = "rust/charges.toml"
    text = originals[name].decode("utf-8")
    try:
        (folder / name).write_text(text.replace('counts = 2', 'counts = "two"', 1)
                                   .replace('offense = "nm-involuntary-manslaughter"',
                                            'offense = "nm-manslaughter"', 1), encoding="utf-8")
        result = run_cli("check", folder)
    finally:
        (folder / name).write_bytes(originals[name])
    assert result.code == 1
    assert "Traceback" not in result.err + result.out
    output = result.out + result.err
    assert "rust/charges.toml" in output and "'counts'" in output and "'offense'" in output
