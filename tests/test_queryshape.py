"""Query shapes (casekb/queryshape.py) and the shape entries of the query cache: a query of a
known shape is answered from the shape's SQL with its own values, the same SQL and parameters
the compiler gives it, without SQLAlchemy."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_lang_properties import queries
from test_querycache import QUERIES, _opener, _rendered

from casekb import querycache, queryshape
from casekb.dates import PartialDate
from casekb.errors import QueryError
from casekb.execute import run_statement
from casekb.lang.compiler import compile_query
from casekb.lang.parser import parse
from casekb.lang.resolve import resolve
from casekb.quantities import Quantity

CAP = 1000


def _resolved(text: str):
    return resolve(parse(text), text)


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEKB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv(querycache.ENV_SWITCH, raising=False)
    return tmp_path / "home" / querycache.CACHE_FOLDER


def test_queries_that_differ_only_in_values_have_one_shape():
    a, values_a = queryshape.shape_of(_resolved('charges where defendant = "Alec Baldwin"'))
    b, values_b = queryshape.shape_of(_resolved('charges where defendant = "dave halls"'))
    assert a == b
    assert values_a == ["Alec Baldwin"] and values_b == ["dave halls"]


@pytest.mark.parametrize("first, second", [
    ('charges where defendant = "x"', 'charges where defendant ~ "x"'),
    ('charges where defendant = "x"', 'charges where defendant in ("x", "y")'),
    ("sentences order by imposed desc limit 5", "sentences order by imposed desc limit 6"),
    ("penalties where amount > 5 years", "penalties where amount > $5"),
    ("pleas where agreement = true", "pleas where agreement = false"),
    ("charges as of 2023", "charges"),
    ("charges show defendant", "charges show offense"),
])
def test_what_changes_the_sql_changes_the_shape(first, second):
    assert queryshape.shape_of(_resolved(first))[0] != queryshape.shape_of(_resolved(second))[0]


def test_every_golden_query_gets_a_certain_recipe():
    for text in QUERIES:
        resolved = _resolved(text)
        _, values = queryshape.shape_of(resolved)
        assert querycache.shape_entry(compile_query(resolved), values, CAP) is not None, text


def test_markers_are_of_the_values_types_and_unlike_each_other():
    values = ["a", "b", 3, PartialDate.parse("2021"), Quantity.parse("5 years")]
    made = queryshape.markers(values)
    assert [type(m) for m in made] == [type(v) for v in values]
    assert made[4].dimension == "duration"
    assert len({repr(m) for m in made}) == len(made)


# -- the recipe against the compiler, on generated queries ---------------------------------------

def _other_value(draw, value):
    """A value of the same kind as `value` (and the same dimension, for an amount)."""
    if isinstance(value, str):
        return draw(st.one_of(st.sampled_from(["Alec Baldwin", "RUST", "ß%_/x", "", "O'Neil"]),
                              st.text(max_size=8)))
    if isinstance(value, PartialDate):
        year = draw(st.integers(1000, 9999))
        return PartialDate.parse(draw(st.sampled_from([f"{year}", f"{year}-07", f"{year}-02-28"])))
    if isinstance(value, Quantity):
        return Quantity(value.dimension, float(draw(st.integers(0, 10**9))), "as written")
    return draw(st.integers(0, 2**40))


@settings(max_examples=150, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow])
@given(text=queries(), data=st.data())
def test_a_shape_recipe_gives_what_the_compiler_gives(text, data):
    try:
        resolved = _resolved(text)
        shape, values = queryshape.shape_of(resolved)
    except QueryError:
        return  # a generated text the language refuses: nothing to cache
    entry = querycache.shape_entry(compile_query(resolved), values, CAP)
    if entry is None:
        return  # not cached, so never served: always safe
    others = [_other_value(data.draw, value) for value in values]
    sibling = queryshape.with_values(resolved, others)
    assert queryshape.shape_of(sibling) == (shape, others)
    sql, _, parameters = querycache._sqlite_sql(compile_query(sibling), CAP)
    assert entry["sql"] == sql
    assert queryshape.fill(entry["recipe"], entry["constants"], others,
                           querycache._as_sqlite) == parameters


# -- through the cache ---------------------------------------------------------------------------

PAIRS = [
    ('charges where defendant = "Alec Baldwin"', 'charges where defendant = "HANNAH GUTIERREZ"'),
    ('people where name ~ "bald"', 'people where name ~ "gut"'),
    ('charges where defendant in ("Alec Baldwin", "x")', 'charges where defendant in ("dave halls", "Hannah Gutierrez-Reed")'),
    ("charges where filed = 2023-01", "charges where filed = 2024"),
    ("charges where filed < 2024 and status = \"pending\"", "charges where filed < 2023-02-01 and status = \"dismissed\""),
    ("penalties where amount >= 18 months", "penalties where amount >= 6 months"),
    ("penalties where amount != $5,000", "penalties where amount != $500"),
    ("charges as of 2023-06 show defendant, status", "charges as of 2024-04 show defendant, status"),
    ("count charges by status as of 2023", "count charges by status as of 2024-12-31"),
    ('charges where not (defendant = "Alec Baldwin") order by filed desc', 'charges where not (defendant = "Dave Halls") order by filed desc'),
    ('charges where defendant = "Alec Baldwin" with sources', 'charges where defendant = "dave halls" with sources'),
    ('statements where speaker ~ "rourke" limit 2 with sources', 'statements where speaker ~ "baldwin" limit 2 with sources'),
]


@pytest.mark.parametrize("first, second", PAIRS)
def test_a_new_text_of_a_known_shape_gets_the_fresh_answer(first, second, rust_db, cache_home,
                                                           monkeypatch):
    querycache.run_statement_cached(first, str(rust_db), cap=CAP, open_store=_opener(rust_db))
    fresh = run_statement(second, _opener(rust_db)(), cap=CAP)

    def no_compiling(*args, **kwargs):
        raise AssertionError("a query of a known shape was compiled")

    monkeypatch.setattr("casekb.lang.compiler.compile_query", no_compiling)
    served = querycache.run_statement_cached(second, str(rust_db), cap=CAP,
                                             open_store=_opener(rust_db))
    assert served.rows == fresh.rows
    assert served.evidence == fresh.evidence
    assert _rendered(served) == _rendered(fresh)
    # ... and it is remembered under its own text too.
    assert querycache.cached_answer(querycache._key(second, CAP), str(rust_db), CAP).rows \
        == fresh.rows


# `casekb query TEXT --db DB -f json` in a fresh process; prints the exit code, whether
# SQLAlchemy was imported, and the output, tab-separated.
_QUERY_IN_A_FRESH_PROCESS = (
    "import sys, io, contextlib\n"
    "from casekb.cli import main\n"
    "out = io.StringIO()\n"
    "with contextlib.redirect_stdout(out):\n"
    "    code = main(['query', sys.argv[1], '--db', sys.argv[2], '-f', 'json'])\n"
    "print(code, 'sqlalchemy' in sys.modules, out.getvalue(), sep='\\t')\n")


def query_in_a_fresh_process(text: str, db, home, **env: str) -> list[str]:
    """[exit code, "True"/"False" (SQLAlchemy imported), JSON output] of one `casekb query`
    in a new process whose CASEKB_HOME is `home`."""
    done = subprocess.run([sys.executable, "-c", _QUERY_IN_A_FRESH_PROCESS, text, str(db)],
                          capture_output=True, text=True, check=True,
                          env={"CASEKB_HOME": str(home), "PATH": "/usr/bin:/bin", **env})
    return done.stdout.rstrip("\n").split("\t")


def test_a_query_of_a_known_shape_runs_without_sqlalchemy(rust_db, tmp_path):
    def run(text: str, **extra) -> list[str]:
        return query_in_a_fresh_process(text, rust_db, tmp_path / "home", **extra)

    first = run('charges where defendant = "Alec Baldwin"')
    second = run('charges where defendant = "Hannah Gutierrez-Reed"')
    fresh = run('charges where defendant = "Hannah Gutierrez-Reed"', CASEKB_QUERY_CACHE="0")
    assert first[:2] == ["0", "False"]  # compiled (without SQLAlchemy: casekb.lang.sqlite_sql)
    assert second[:2] == ["0", "False"]  # filled in from the shape
    assert json.loads(second[2]) == json.loads(fresh[2])
    assert json.loads(second[2]) != json.loads(first[2])


def test_a_damaged_shape_entry_is_compiled_as_usual(rust_db, cache_home):
    first, second = PAIRS[0]
    querycache.run_statement_cached(first, str(rust_db), cap=CAP, open_store=_opener(rust_db))
    for path in cache_home.glob("*.json"):
        entry = json.loads(path.read_text(encoding="utf-8"))
        if "recipe" in entry:
            entry["recipe"] = [["slot", 7, "nonsense"]]
            path.write_text(json.dumps(entry), encoding="utf-8")
    served = querycache.run_statement_cached(second, str(rust_db), cap=CAP,
                                             open_store=_opener(rust_db))
    assert served.rows == run_statement(second, _opener(rust_db)(), cap=CAP).rows
