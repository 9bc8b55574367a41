"""Tests of uncertain dates held to their definition: a stored date is the set of days it may
be, and a test of it holds *certainly* when it holds for every one of those days, *possibly*
when for some. Each answer of the language is checked against that set, day by day, for
every operator, on dates of every precision and with open bounds; so are `not`, `as of` and
the order of `order by`. (test_postgres.py runs these on PostgreSQL too.)
"""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest

from casekb.dates import OPEN_END, OPEN_START, PartialDate, parse_interval

# Stored dates: days, months, years, and bounds (open at either end, or both given).
STORED = ["2023-01-19", "2023-01", "2023", "2022", "2022-12-20/2023-01-10", "../2023-01-31",
          "2023-01-15/..", "2023-01-01/2023-06-30", "2022-06/2023-02", "../2022-12-31",
          "2024-03-09/2024-12-31"]
ASKED = ["2023-01-19", "2023-01", "2023", "2022", "2024-02", "2023-01-31", "2023-01-01",
         "2022-12"]
OPERATORS = ["=", "!=", "<", "<=", ">", ">="]
# Open bounds stand for days far from every date asked: a window well around them does.
WINDOW = (date(2019, 1, 1), date(2027, 12, 31))


def days(when: PartialDate):
    start = WINDOW[0] if when.start == OPEN_START else when.start
    end = WINDOW[1] if when.end == OPEN_END else when.end
    return [start + timedelta(n) for n in range((end - start).days + 1)]


def holds(day: date, op: str, asked: PartialDate) -> bool:
    """A day against a date asked (a range): before it starts, within it, after it ends."""
    return {"=": asked.start <= day <= asked.end, "!=": not asked.start <= day <= asked.end,
            "<": day < asked.start, "<=": day <= asked.end, ">": day > asked.end,
            ">=": day >= asked.start}[op]


def expected(op: str, asked: str, *, possibly: bool) -> set[str]:
    value = PartialDate.parse(asked)
    found = set()
    for text in STORED:
        answers = [holds(day, op, value) for day in days(parse_interval(text))]
        if any(answers) if possibly else all(answers):
            found.add(text)
    return found


@pytest.fixture
def dated(empty_store):
    """A store whose events are dated STORED (ids are the dates' texts), and one undated."""
    rows = []
    for number, text in enumerate([*STORED, None], 1):
        when = parse_interval(text) if text else None
        rows.append({"id": number, "key": f"e{number}", "case_id": 1, "stage": "held",
                     "kind": "other", "description": text or "undated",
                     "date": when and when.start, "date_end": when and when.end,
                     "date_precision": when and when.precision.value})
    empty_store.insert({"cases": [{"id": 1, "key": "c", "title": "C", "title_folded": "c"}],
                        "events": rows})
    with empty_store.open() as kb:
        yield kb


def descriptions(kb, text: str) -> set[str]:
    return {row[0] for row in kb.query(text)}


@pytest.mark.parametrize("op", OPERATORS)
def test_each_operator_holds_certainly_or_possibly_as_the_days_say(dated, op):
    for asked in ASKED:
        certain = descriptions(dated, f"events where date {op} {asked} show description")
        assert certain == expected(op, asked, possibly=False), (op, asked)
        maybe = descriptions(dated, f"events where possibly date {op} {asked} show description")
        assert maybe == expected(op, asked, possibly=True), (op, asked)


def test_not_keeps_exactly_the_other_rows_and_unknown_dates_never_match(dated):
    every = descriptions(dated, "events show description")
    undated = descriptions(dated, "events where date is empty show description")
    assert undated == {"undated"}
    for op, asked, possibly in itertools.product(OPERATORS, ASKED, (False, True)):
        test = f"{'possibly ' if possibly else ''}date {op} {asked}"
        kept = descriptions(dated, f"events where {test} show description")
        left = descriptions(dated, f"events where not ({test}) show description")
        assert kept | left | undated == every and not kept & left, test
        assert "undated" not in kept | left


def test_certainly_not_is_not_possibly(dated):
    # "certainly not =" is "wholly outside", which `!=` asks; `not possibly =` says the same.
    for asked in ASKED:
        outside = descriptions(dated, f"events where date != {asked} show description")
        not_possibly = descriptions(dated, f"events where not possibly date = {asked} and date "
                                           f"is not empty show description")
        assert outside == not_possibly == expected("!=", asked, possibly=False)


def test_lists_are_one_test_a_value(dated):
    within = descriptions(dated, "events where date in (2022, 2024-02) show description")
    assert within == expected("=", "2022", possibly=False) | expected("=", "2024-02",
                                                                        possibly=False)
    outside = descriptions(dated, "events where date not in (2022, 2024-02) show description")
    assert outside == expected("!=", "2022", possibly=False) & expected("!=", "2024-02",
                                                                          possibly=False)


def test_as_of_keeps_facts_certainly_or_possibly_dated_by_then(dated):
    for asked in ASKED:
        last = PartialDate.parse(asked).end
        certain = {text for text in STORED if max(days(parse_interval(text))) <= last
                   and parse_interval(text).end != OPEN_END}
        maybe = {text for text in STORED if min(days(parse_interval(text))) <= last
                 or parse_interval(text).start == OPEN_START}
        assert descriptions(dated, f"events as of {asked} show description") == certain
        assert descriptions(dated, f"events as of possibly {asked} show description") == maybe


def test_order_by_date_never_lists_a_date_before_one_it_is_known_to_follow(dated):
    for direction in ("", " desc"):
        listed = [row[0] for row in dated.query(f"events show description order by "
                                                f"date{direction}")]
        assert listed[-1] == "undated"  # unknown dates last, either way
        # The documented rule: by the first possible day, then the last.
        by_rule = sorted(STORED, key=lambda text: (parse_interval(text).start,
                                                   parse_interval(text).end))
        assert listed[:-1] == (by_rule[::-1] if direction else by_rule)
        position = {text: listed.index(text) for text in STORED}
        for later, earlier in itertools.permutations(STORED, 2):
            if parse_interval(later).start > parse_interval(earlier).end:
                before = position[earlier] < position[later]
                assert before if not direction else not before, (earlier, later, listed)


def test_the_text_of_a_date_reads_back_as_the_same_date():
    for text in STORED:
        when = parse_interval(text)
        assert parse_interval(str(when)) == when
        assert PartialDate.from_stored(when.start, when.end, when.precision.value) == when


def test_bounds_that_make_a_whole_month_or_year_are_that_month_or_year():
    assert str(parse_interval("2023-01-01/2023-01-31")) == "2023-01"
    assert str(parse_interval("2023/2023")) == "2023"
    assert str(parse_interval("2023-01/2023-03")) == "2023-01-01/2023-03-31"
    with pytest.raises(ValueError, match="after its latest"):
        parse_interval("2023-02/2023-01")
