"""Bad queries -> the messages users see (snapshot style).

tests/golden/errors.txt holds, for each `### QUERY`, the full message a person reads: the
position, the query with the bad span underlined, what was expected and the hints. The
messages were reviewed by a person; to change them on purpose run
`CASEKB_UPDATE_GOLDEN=1 pytest tests/test_errors.py` and review the diff. A query's line
breaks are written as \\n in its `###` line.
"""

from __future__ import annotations

import re

import pytest
from asking import check
from goldenfiles import FOLDER, UPDATE, read_golden, write_golden

from casekb.errors import QueryError

GOLDEN = FOLDER / "errors.txt"


def internal_names() -> re.Pattern:
    """lark's and the grammar's own names, which must never reach a user."""
    from casekb.lang.parser import lark_parser

    names = {t.name for t in lark_parser().terminals} | {"$END", "__ANON", "ESCAPED_STRING",
                                                        "Token", "UnexpectedToken"}
    return re.compile("|".join(rf"(?<![\w$]){re.escape(n)}(?!\w)" for n in sorted(names)))


def error_of(query: str) -> QueryError:
    """The error a query raises before it reaches any store."""
    with pytest.raises(QueryError) as caught:
        check(query)
    return caught.value


QUERIES = list(read_golden(GOLDEN))


@pytest.fixture(scope="module")
def golden_errors():
    if UPDATE:
        write_golden(GOLDEN, {q: error_of(q).render() for q in QUERIES})
    return read_golden(GOLDEN)


@pytest.mark.parametrize("query", QUERIES)
def test_golden_message(query, golden_errors):
    assert error_of(query).render() == golden_errors[query]


@pytest.mark.parametrize("query", QUERIES)
def test_every_message_points_into_the_query_in_the_users_words(query):
    error = error_of(query)
    assert error.span is not None, "every error says where"
    rendered = error.render()
    assert rendered.startswith(f"line {error.span.line}, column {error.span.column}: ")
    lines = rendered.splitlines()
    if query:  # an empty query has nothing to echo
        assert set(lines[2].strip()) == {"^"}, "the bad span is underlined"
    else:
        lines[1:1] = ["", ""]
    # What casekb wrote (not the echoed query, not quoted words) has no internal names.
    ours = "\n".join([lines[0].split(": ", 1)[1], *lines[3:]])
    ours = re.sub(r"`[^`]*`|\"[^\"]*\"", "", ours)
    assert internal_names().search(ours) is None, ours


def test_the_span_underlines_the_bad_words():
    error = error_of('charges where defendent = "x"')
    assert error.render().splitlines()[1:3] == ['  charges where defendent = "x"',
                                                "                ^^^^^^^^^"]


def test_errors_are_data_for_json():
    data = error_of("charges where status = \"convcted\"").to_dict()
    assert data["error"] == "QueryError" and data["code"] == 1
    assert (data["line"], data["column"], data["span"]) == (1, 24, [24, 34])
    assert data["expected"] and data["hints"] == ['did you mean "convicted"?']


# One rule each: that the golden file holds an example of every kind of error.
RULES = {
    "query ended early": "query ended after `where`",
    "unknown entity with a suggestion": "did you mean `charges`?",
    "unknown field with a suggestion": "did you mean `defendant`?",
    "enum value with a suggestion": 'did you mean "fine"?',
    "SELECT": "starts an SQL statement",
    "FROM": "there is no FROM",
    "GROUP BY": "instead of GROUP BY",
    "==": "write `=`",
    "<>": "write `!=`",
    "LIKE": "write `~` instead of LIKE",
    "single quotes": "not single quotes",
    "chained statements": "one statement at a time",
    "IS NULL": "there is no NULL",
    "date vs money": "`filed` is a date, so it cannot be compared with the amount of money",
    "text vs number": "`counts` is a whole number, so it cannot be compared with the text",
    "duration vs money": "`amount` is an amount, and 5 has no unit",
    "text vs date": "`date` is a date, so it cannot be compared with the text",
    "ordering a name": "`<` compares numbers, dates and amounts; `defendant` is a name",
    "contains on a date": "`~` (contains) works on text and names; `filed` is a date",
    "impossible date": "there is no month 13",
    "bare word value": "is not a value: text goes in double quotes",
    "bare word for a field of no text": "`maybe` is not a value of in_force",
    "as of on an undated entity": "`as of` does not apply to people",
    "sources with count": "`with sources` cannot go with `count`",
    "clause out of order": "clauses go in this order",
    "= empty": "write `closed is empty`",
    "not before an operator": "`not` goes before a condition",
    "describe with clauses": "`describe` takes one entity and nothing more",
    "a name in another alphabet": "charges has no field `défendant`",
    "as of a word": "`yesterday` is not a date: `as of` takes a day, a month or a year",
    "as of a quoted date": "dates are written without quotes",
    "sort by": "rows are sorted with `order by`",
    "in without a list": "`in` takes a list of values in parentheses",
    "a clause without its query": "`where` begins a clause of a query",
}


@pytest.mark.parametrize("rule, text", RULES.items())
def test_the_golden_file_covers_every_rule(rule, text, golden_errors):
    assert any(text in message for message in golden_errors.values()), rule


def test_a_deeply_nested_condition_is_refused_cleanly():
    query = "charges where " + "not " * 500 + "counts = 1"
    assert "nested more than" in error_of(query).message
    query = "charges where (" + "counts = 1 and (" * 100 + "counts = 1" + ")" * 101
    assert "nested more than" in error_of(query).message


def test_too_many_tests_are_refused_with_a_readable_echo():
    from casekb.lang.resolve import MAX_TESTS

    error = error_of("charges where " + "counts = 1 or " * MAX_TESTS + "counts = 2")
    assert error.message.startswith(f"the condition has more than {MAX_TESTS} tests")
    echo, carets = error.render().splitlines()[1:3]
    assert echo.startswith("  …") and len(echo) <= 110  # a window around the bad test
    assert echo[carets.index("^"):] == "counts = 2"
    dates = ", ".join(["2024"] * (MAX_TESTS + 1))
    assert "more than" in error_of(f"charges where filed in ({dates})").message


def test_parentheses_alone_do_not_nest():
    from casekb.lang.parser import parse

    deep = parse("charges where " + "(" * 300 + "counts = 1" + ")" * 300)
    assert deep == parse("charges where counts = 1")
