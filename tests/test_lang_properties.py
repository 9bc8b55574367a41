"""Properties of the language, checked with hypothesis.

- Any text at all either is a statement or gives a QueryError; a syntax error always says
  where. Nothing else escapes (no lark error, no RecursionError, no KeyError...).
- Every query generated from the registry (any entity, field, operator, value of the field's
  type, combination of clauses) compiles and runs on the Rust store.

CASEKB_HYPOTHESIS_EXAMPLES raises the number of examples for a longer run.
"""

from __future__ import annotations

import os

from asking import check
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casekb.errors import QueryError, UnknownNameError
from casekb.lang import registry
from casekb.lang.registry import FieldType

EXAMPLES = int(os.environ.get("CASEKB_HYPOTHESIS_EXAMPLES", "150"))
SETTINGS = settings(max_examples=EXAMPLES, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])

WORDS = sorted({
    "where", "as", "of", "count", "show", "by", "order", "limit", "with", "sources", "and",
    "or", "not", "in", "is", "empty", "asc", "desc", "explain", "describe", "select", "from",
    "like", "null", "group", "=", "!=", "<", "<=", ">", ">=", "~", "==", "<>", "(", ")", ",",
    ";", "'x'", '"Alec Baldwin"', '"', "2024", "2024-01", "2024-13-45", "12 months", "$500",
    "$5,000", "true", "no", "1", "0", "--", "\n", "*", "%", "_",
    *registry.entity_names(), *{f.name for e in registry.ENTITIES for f in e.fields},
})


def check_only_query_errors(text: str) -> None:
    try:
        check(text)
    except QueryError as error:
        assert error.message
        assert error.span is not None, f"no position for {text!r}: {error.message}"
        assert error.render()


@SETTINGS
@given(st.text(max_size=200))
def test_arbitrary_text_gives_only_query_errors(text):
    check_only_query_errors(text)


@SETTINGS
@given(st.lists(st.sampled_from(WORDS), max_size=25))
def test_arbitrary_word_salad_gives_only_query_errors(words):
    check_only_query_errors(" ".join(words))


# -- Valid queries from the registry -------------------------------------------------------

NAMES = ["Alec Baldwin", "dave halls", "Rust", "Gutierrez Reed", "nobody", "a%b_c", "O'Neil"]


def quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def date_text():
    return st.one_of(
        st.integers(1990, 2030).map(str),
        st.tuples(st.integers(1990, 2030), st.integers(1, 12)).map(lambda t: f"{t[0]}-{t[1]:02d}"),
        st.dates().filter(lambda d: d.year >= 1000).map(lambda d: d.isoformat()),
    )


def amount_text():
    return st.one_of(
        st.tuples(st.integers(0, 500), st.sampled_from(["days", "weeks", "months", "years",
                                                        "hours", "day", "year"]))
        .map(lambda t: f"{t[0]} {t[1]}"),
        st.integers(0, 10**7).map(lambda n: f"${n:,}"),
    )


def value_for(field) -> st.SearchStrategy[str]:
    kind = field.type
    if kind is FieldType.ENUM:
        return st.sampled_from(field.values).map(quoted)
    if kind is FieldType.INTEGER:
        return st.integers(0, 10**6).map(str)
    if kind is FieldType.DATE:
        return date_text()
    if kind is FieldType.QUANTITY:
        return amount_text()
    if kind is FieldType.BOOLEAN:
        return st.sampled_from(["true", "false", "yes", "no"])
    # strings are one line, and hold no NUL (a query with one is refused: tested elsewhere)
    text = st.text(max_size=12).filter(lambda t: "\n" not in t and "\x00" not in t)
    return st.one_of(st.sampled_from(NAMES), text).map(quoted)


def operators_for(field) -> list[str]:
    if field.type in (FieldType.INTEGER, FieldType.DATE, FieldType.QUANTITY):
        return ["=", "!=", "<", "<=", ">", ">="]
    if field.type is FieldType.BOOLEAN:
        return ["=", "!="]
    return ["=", "!=", "~"]


@st.composite
def field_tests(draw, entity) -> str:
    field = draw(st.sampled_from(entity.fields))
    shape = draw(st.sampled_from(["compare", "in", "not in", "empty", "not empty"]))
    if shape == "empty":
        return f"{field.name} is empty"
    if shape == "not empty":
        return f"{field.name} is not empty"
    if shape in ("in", "not in"):
        values = draw(st.lists(value_for(field), min_size=1, max_size=3))
        return f"{field.name} {shape} ({', '.join(values)})"
    op = draw(st.sampled_from(operators_for(field)))
    # A date may be asked about certainly (the default) or possibly.
    possibly = "possibly " if field.type is FieldType.DATE and draw(st.booleans()) else ""
    return f"{possibly}{field.name} {op} {draw(value_for(field))}"


@st.composite
def conditions_of(draw, entity, depth: int = 0) -> str:
    if depth >= 2 or draw(st.booleans()):
        return draw(field_tests(entity))
    left = draw(conditions_of(entity, depth + 1))
    right = draw(conditions_of(entity, depth + 1))
    joined = f"{left} {draw(st.sampled_from(['and', 'or']))} {right}"
    return f"not ({joined})" if draw(st.booleans()) else f"({joined})"


@st.composite
def queries(draw) -> str:
    entity = draw(st.sampled_from(registry.ENTITIES))
    names = entity.field_names
    counting = draw(st.booleans())
    parts = [entity.name if not counting else f"count {entity.name}"]
    if draw(st.booleans()):
        parts.append("where " + draw(conditions_of(entity)))
    if entity.as_of is not None and draw(st.booleans()):
        parts.append("as of " + draw(st.sampled_from(["", "possibly "])) + draw(date_text()))
    groups = []
    if counting and draw(st.booleans()):
        groups = draw(st.lists(st.sampled_from(names), min_size=1, max_size=2, unique=True))
        parts.insert(1, "by " + ", ".join(groups))
    elif not counting and draw(st.booleans()):
        parts.append("show " + ", ".join(
            draw(st.lists(st.sampled_from(names), min_size=1, max_size=4))))
    keys = (groups + ["count"]) if counting else names
    if (not counting or groups) and draw(st.booleans()):
        order = draw(st.lists(st.sampled_from(keys), min_size=1, max_size=2))
        parts.append("order by " + ", ".join(f"{k} {draw(st.sampled_from(['', 'asc', 'desc']))}"
                                              .strip() for k in order))
    if draw(st.booleans()):
        parts.append(f"limit {draw(st.integers(0, 20))}")
    if not counting and entity.evidence_table and draw(st.booleans()):
        parts.append("with sources")
    return " ".join(parts)


@SETTINGS
@given(query=queries())
def test_every_generated_query_compiles_and_runs(query, rust_kb):
    try:
        result = rust_kb.query(query, cap=50)
    except UnknownNameError:
        return  # a generated name nobody has: said, not answered
    assert len(result.rows) <= 50
    assert all(len(row) == len(result.columns) for row in result.rows)
    explained = rust_kb.run("explain " + query)
    assert explained.sql.startswith("SELECT")
