"""The SQLite SQL written without SQLAlchemy (casekb.lang.sqlite_sql) is SQLAlchemy's, exactly.

casekb.querycache answers a query never asked before from the SQL that casekb.lang.sqlite_sql
writes, so that the first run of a query shape needs no SQLAlchemy. These tests hold that SQL
and its parameters next to what SQLAlchemy's SQLite dialect compiles from the same statement
(through casekb.lang.to_core), byte for byte: for every golden query, every query of the
example reports and queries generated from the registry, with and without a row cap. And a
run of `casekb query` of a new shape imports no SQLAlchemy and answers as the full path does.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given

from goldenfiles import FOLDER, read_golden
from test_lang_properties import SETTINGS, queries
from test_queryshape import query_in_a_fresh_process

from casekb.lang import sqlexpr, tables as t
from casekb.lang.compiler import compile_text
from casekb.lang.sqlite_sql import RESERVED_WORDS, quote, sqlite_sql
from casekb.querycache import _sqlite_sql, sqlalchemy_sqlite_sql

REPO = Path(__file__).resolve().parent.parent
GOLDEN_QUERIES = list(read_golden(FOLDER / "sql.txt"))
# Shapes the goldens do not show: lists of several values, a join inside a sub-query, every
# kind of `as of`, negations of negations, counts by a field of several values.
MORE_QUERIES = [
    "people show name, aliases, role, title, case order by case desc",
    'charges where status = "pending" as of 2023-06 with sources',
    "disputes with sources",
    "count disputes by claims",
    'penalties where level != "offense" and amount not in ($5,000, 3 months) as of 2024',
    'charges where enhancement not in ("firearm") order by enhancement desc limit 3',
    "pleas where not not (agreement = true) or entered is empty",
    "pleas where agreement in (true, false)",
    "count people by case, role order by count asc, role desc",
    'defendants where case ~ "rust" as of 2023-01-31',
    'statements where about is not empty and not (quote ~ "%_" or date != 2024-01)',
    'cases where aliases = "Rust shooting" or title in ("Rust", "State v. Baldwin")',
    "sources where published >= 2024-03-01 order by outlet desc, published limit 0",
]


def _report_queries() -> list[str]:
    """Every casekb query of the example reports, its parameters filled in (the default, or
    a value of the parameter's type)."""
    from casekb.report import load_report
    from casekb.report.params import bind_query

    sample = {"text": "Alec Baldwin", "date": "2024-01", "number": "3"}
    found = []
    for path in sorted((REPO / "reports").glob("*.md")):
        if path.name == "README.md":
            continue
        report = load_report(path)
        values = {name: parameter.default if parameter.default is not None
                  else sample[parameter.type] for name, parameter in report.parameters.items()}
        found += [bind_query(block, values, report.parameters) for block in report.queries
                  if block.language == "casekb"]
    return found


REPORT_QUERIES = _report_queries()


def assert_same_sql(query: str) -> None:
    compiled = compile_text(query)
    for cap in (None, 1001):
        statement = compiled.statement(cap)
        assert sqlite_sql(statement) == sqlalchemy_sqlite_sql(statement), (query, cap)


@pytest.mark.parametrize("query", GOLDEN_QUERIES + MORE_QUERIES)
def test_golden_queries_give_sqlalchemys_sqlite_sql(query):
    assert_same_sql(query)


@pytest.mark.parametrize("query", REPORT_QUERIES)
def test_report_queries_give_sqlalchemys_sqlite_sql(query):
    assert_same_sql(query)


def test_the_reports_have_queries():
    assert len(REPORT_QUERIES) >= 10


@SETTINGS
@given(query=queries())
def test_generated_queries_give_sqlalchemys_sqlite_sql(query):
    assert_same_sql(query)


def test_dates_and_booleans_are_bound_as_sqlalchemy_binds_them():
    sql, raw, parameters = sqlite_sql(compile_text(
        "pleas where entered = 2024-02 and agreement = true").statement())
    assert sql.count("?") == len(raw) == len(parameters) == 4
    assert [str(value) for value in raw[:3]] == ["2024-02-01", "2024-02-29", "2024-02-29"]
    assert parameters == ["2024-02-01", "2024-02-29", "2024-02-29", 1]


def test_the_reserved_words_are_sqlalchemys():
    from sqlalchemy.dialects.sqlite.base import SQLiteIdentifierPreparer

    assert RESERVED_WORDS == SQLiteIdentifierPreparer.reserved_words
    assert [quote(name) for name in ("case", "key", "Name", "_row", "1st", "status")] == \
        ['"case"', '"key"', '"Name"', "_row", '"1st"', "status"]


def test_a_construct_the_writer_does_not_know_falls_back_to_sqlalchemy():
    # A boolean column alone as a condition: SQLAlchemy writes `pleas.agreement = 1`; the
    # writer was never taught that, so it refuses, and the cache compiles with SQLAlchemy.
    statement = sqlexpr.select(t.pleas.c.id).where(t.pleas.c.agreement, t.pleas.c.id > 3)
    with pytest.raises(sqlexpr.Unsupported):
        sqlite_sql(statement)

    class Compiled:
        def statement(self, max_rows=None):
            return statement

    sql, raw, parameters = _sqlite_sql(Compiled(), None)
    assert sql.endswith("WHERE pleas.agreement = 1 AND pleas.id > ?")
    assert raw == parameters == [3]


def test_a_new_query_shape_runs_without_sqlalchemy(rust_db, tmp_path):
    def run(text: str, **extra) -> list[str]:
        return query_in_a_fresh_process(text, rust_db, tmp_path / "home", **extra)

    query = ('charges where defendant ~ "baldwin" and filed >= 2023 as of 2024-06 '
             'show defendant, offense, enhancement, status order by filed desc limit 5')
    first = run(query)
    fresh = run(query, CASEKB_QUERY_CACHE="0")
    assert first[:2] == ["0", "False"]  # compiled, and answered, without SQLAlchemy
    assert fresh[:2] == ["0", "True"]  # the full path, for the answer to compare with
    assert json.loads(first[2]) == json.loads(fresh[2])
    assert json.loads(first[2])  # Alec Baldwin's charges: not an empty answer
    assert len(list((tmp_path / "home" / "query-cache").glob("*.json"))) == 2  # text, shape


def test_the_precedences_are_sqlalchemys():
    from sqlalchemy.sql import operators as o

    theirs = {"eq": o.eq, "ne": o.ne, "lt": o.lt, "le": o.le, "gt": o.gt, "ge": o.ge,
              "in": o.in_op, "not_in": o.not_in_op, "like": o.like_op,
              "not_like": o.not_like_op, "is": o.is_, "is_not": o.is_not,
              "concat": o.concat_op, "inv": o.inv, "distinct": o.distinct_op, "and": o.and_,
              "or": o.or_, "exists": o.exists, "comma": o.comma_op, "as": o.as_,
              "asbool": o._asbool}
    assert {name: o._PRECEDENCE[op] for name, op in theirs.items()} == sqlexpr.PRECEDENCE
    assert {name for name, op in theirs.items() if o.is_natural_self_precedent(op)} \
        & set(sqlexpr.PRECEDENCE) == sqlexpr._SELF_PRECEDENT
