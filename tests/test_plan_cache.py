"""The cache of plans (casekb/plan/cache.py): one interface, in memory and on disk.

A plan answers only from the same shape, dialect and cap, made by the same code for a store of
the same schema: a stale plan never answers. What a cached plan answers is what planning the
query afresh answers, in this process and in a new one.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import casekb
from casekb.plan import cache as plan_cache
from casekb.plan.cache import PlanCache, plan_key

REPO = Path(__file__).resolve().parent.parent

QUERIES = [
    'charges where defendant = "Alec Baldwin" with sources',
    'charges where defendant = "Dave Halls"',
    "penalties where amount >= 6 months order by amount desc",
    'pleas where entered = 2024-01 show defendant, plea',
    "count charges by defendant, status",
    'disputes where claims = "plea:halls-plea-guilty" with sources',
]


def _made(calls: list):
    def make():
        calls.append(1)
        from casekb.plan.plan import Plan, Statement

        return Plan("sqlite", Statement("SELECT 1", ()), (), False)
    return make


def test_a_plan_is_made_once_per_key_and_kept_in_memory_and_on_disk(tmp_path):
    calls: list = []
    plans = PlanCache(tmp_path)
    first = plans.plan("shape", "sqlite", True, "1:x", _made(calls))
    assert plans.plan("shape", "sqlite", True, "1:x", _made(calls)) is first
    assert calls == [1]
    assert len(list(tmp_path.glob("*.json"))) == 1
    fresh = PlanCache(tmp_path)  # a new process: the file answers
    assert fresh.plan("shape", "sqlite", True, "1:x", _made(calls)) == first
    assert calls == [1]


@pytest.mark.parametrize("other", [
    ("another shape", "sqlite", True, "1:x"),
    ("shape", "postgresql", True, "1:x"),
    ("shape", "sqlite", False, "1:x"),
    ("shape", "sqlite", True, "1:y"),  # a store rebuilt with another schema
    ("shape", "sqlite", True, "2:x"),  # or of another schema version
])
def test_a_plan_answers_only_its_own_key(tmp_path, other):
    calls: list = []
    plans = PlanCache(tmp_path)
    plans.plan("shape", "sqlite", True, "1:x", _made(calls))
    plans.plan(*other, _made(calls))
    assert calls == [1, 1]


def test_another_version_or_edited_code_gets_other_keys(monkeypatch):
    key = plan_key("shape", "sqlite", True, "1:x")
    monkeypatch.setattr(plan_cache, "__version__", "99.0")
    assert plan_key("shape", "sqlite", True, "1:x") != key
    monkeypatch.undo()
    stamp = plan_cache.code_stamp()
    names = {name for name, _, _ in stamp}
    assert {"compiler.py", "registry.py", "declaration.py", "binding.py", "casekb.lark",
            "_standalone_parser.py"} <= names
    edited = tuple((name, size, mtime + 1 if name == "compiler.py" else mtime)
                   for name, size, mtime in stamp)
    monkeypatch.setattr(plan_cache, "code_stamp", lambda: edited)
    assert plan_key("shape", "sqlite", True, "1:x") != key


def test_the_cache_follows_casekb_home_and_the_data_folder(tmp_path, monkeypatch):
    # Found again only when a variable it is found from changes, but then always.
    monkeypatch.setenv("CASEKB_HOME", str(tmp_path / "one"))
    first = plan_cache.plans()
    assert first.folder == tmp_path / "one" / plan_cache.FOLDER
    assert plan_cache.plans() is first
    monkeypatch.setenv("CASEKB_HOME", str(tmp_path / "two"))
    assert plan_cache.plans().folder == tmp_path / "two" / plan_cache.FOLDER
    monkeypatch.delenv("CASEKB_HOME")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    if sys.platform.startswith("linux"):
        assert plan_cache.plans().folder == tmp_path / "data" / "casekb" / plan_cache.FOLDER


def test_a_damaged_or_foreign_file_is_planned_again(tmp_path):
    calls: list = []
    plans = PlanCache(tmp_path)
    plans.plan("shape", "sqlite", True, "1:x", _made(calls))
    [entry] = tmp_path.glob("*.json")
    for text in ("{", json.dumps({"format": "other"}), json.dumps({"format": plan_cache.ENTRY_FORMAT, "entry": 3})):
        entry.write_text(text, encoding="utf-8")
        assert PlanCache(tmp_path).plan("shape", "sqlite", True, "1:x", _made(calls))
    assert len(calls) == 4


def test_switched_off_nothing_is_kept(tmp_path, monkeypatch):
    monkeypatch.setenv("CASEKB_QUERY_CACHE", "0")
    calls: list = []
    plans = PlanCache(tmp_path)
    for _ in range(2):
        plans.plan("shape", "sqlite", True, "1:x", _made(calls))
    assert calls == [1, 1] and not list(tmp_path.glob("*.json"))


def _answers(kb, texts):
    return [(result.rows, result.evidence) for result in (kb.query(text) for text in texts)]


def test_a_shape_asked_before_answers_as_a_first_ask(rust_db, monkeypatch):
    """Other values of a known shape, answered from its plan, give what planning them afresh
    gives (and a text asked again, what it gave)."""
    others = [q.replace("Alec Baldwin", "Hannah Gutierrez Reed").replace("Dave Halls", "halls")
              .replace("6 months", "$500").replace("2024-01", "2023") for q in QUERIES]
    with casekb.open(str(rust_db)) as kb:
        warm = _answers(kb, QUERIES + others + QUERIES)
    monkeypatch.setenv("CASEKB_QUERY_CACHE", "0")
    with casekb.open(str(rust_db)) as kb:
        cold = _answers(kb, QUERIES + others + QUERIES)
    assert warm == cold
    assert any(rows for rows, _ in cold[len(QUERIES):2 * len(QUERIES)])


def test_a_new_process_answers_a_known_shape_from_its_file_without_sqlalchemy(rust_db,
                                                                             tmp_path):
    """The command line: the first ask plans and writes the file; a new process asking the
    same shape with other values loads neither the compiler nor SQLAlchemy, and answers as a
    process with the cache off does."""
    def ask(text, **extra):
        return _asked_in_a_new_process(rust_db, tmp_path, text,
                                       ("sqlalchemy", "casekb.plan.compiler"), **extra)

    first, loaded = ask('charges where defendant = "Alec Baldwin" with sources')
    assert loaded == [True, True] and list(Path(tmp_path, "query-cache").glob("*.json"))
    known, loaded = ask('charges where defendant = "Dave Halls" with sources')
    assert loaded == [False, False]
    off, _ = ask('charges where defendant = "Dave Halls" with sources', CASEKB_QUERY_CACHE="0")
    assert known == off and known != first


# -- a query text asked before ---------------------------------------------------------------

def test_a_text_asked_again_is_answered_without_parsing_it(rust_db, monkeypatch):
    text = 'charges where defendant = "Alec Baldwin" with sources'
    with casekb.open(str(rust_db)) as kb:
        first = kb.query(text)
        from casekb.lang import parser

        def no_parsing(*args, **kwargs):
            raise AssertionError("parsed again")

        monkeypatch.setattr(parser, "parse", no_parsing)
        again = kb.query(text)
        assert (again.rows, again.evidence, again.marks) == (first.rows, first.evidence,
                                                             first.marks)
        # Another text (even one space more) is another entry: parsed.
        with pytest.raises(AssertionError, match="parsed again"):
            kb.query(text + " ")


def test_a_text_asked_before_with_another_cap_is_asked_anew(rust_db):
    with casekb.open(str(rust_db)) as kb:
        whole = kb.query("people")
        cut = kb.query("people", cap=2)
        assert len(whole.rows) > 2 and not whole.truncated
        assert cut.rows == whole.rows[:2] and cut.truncated
        assert kb.query("people").rows == whole.rows


def test_a_text_asked_before_still_says_a_name_is_unknown_on_another_store(rust_db, tmp_path,
                                                                           curated_folder):
    """Bound parameters do not depend on a store's rows; whether a name names someone does.
    Asked of a store of the same schema where nobody has the name, the text asked before says
    so, as a first ask does, instead of answering no rows."""
    from casekb.build.builder import build_store
    from casekb.errors import UnknownNameError

    other = tmp_path / "other.sqlite"
    build_store(curated_folder, str(other))
    text = 'charges where defendant = "Alec Baldwin"'
    with casekb.open(str(rust_db)) as kb:
        assert kb.query(text).rows and kb.store_schema
        schema = kb.store_schema
    with casekb.open(str(other)) as kb:
        assert kb.store_schema == schema  # the same key: the entry is found
        with pytest.raises(UnknownNameError, match="no person called “Alec Baldwin”"):
            kb.query(text)


def test_a_text_whose_plan_is_gone_is_planned_again(tmp_path, rust_db, monkeypatch):
    monkeypatch.setenv("CASEKB_HOME", str(tmp_path))
    monkeypatch.setattr(plan_cache, "_PLANS", None)
    text = 'pleas where defendant = "Dave Halls"'
    with casekb.open(str(rust_db)) as kb:
        first = kb.query(text).rows
    files = list((tmp_path / "query-cache").glob("*.json"))
    # the plan, what the text was bound to, and how to read the values of its mask
    assert len(files) == 3
    plan_files = [path for path in files if '"sql"' in path.read_text()]
    assert len(plan_files) == 1
    for path in plan_files:
        path.unlink()
    monkeypatch.setattr(plan_cache, "_PLANS", None)  # a new process
    with casekb.open(str(rust_db)) as kb:
        assert kb.query(text).rows == first


def test_a_new_process_answers_a_text_asked_before_without_the_language(rust_db, tmp_path):
    def ask(text, **extra):
        return _asked_in_a_new_process(rust_db, tmp_path, text, (
            "casekb.lang.parser", "casekb.lang.resolve", "sqlalchemy"), **extra)

    text = 'charges where defendant = "Hannah Gutierrez Reed" and filed >= 2023'
    first, loaded = ask(text)
    assert loaded == [True, True, True]
    again, loaded = ask(text)
    assert loaded == [False, False, False]
    off, _ = ask(text, CASEKB_QUERY_CACHE="0")
    assert again == first == off and first


def _asked_in_a_new_process(db, home, text: str, modules: tuple[str, ...], **environment):
    """`casekb query TEXT -f json` in a new process with CASEKB_HOME `home`: its rows, and
    for each of `modules` whether the process imported it."""
    probe = ("import sys, json, casekb.cli; code = casekb.cli.main(sys.argv[1:]); "
             f"print(json.dumps([m in sys.modules for m in {modules!r}]), file=sys.stderr); "
             "sys.exit(code)")
    result = subprocess.run([sys.executable, "-c", probe, "query", text, "--db", str(db),
                             "-f", "json"], capture_output=True, text=True, timeout=120,
                            env={**os.environ, "CASEKB_HOME": str(home), **environment})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout), json.loads(result.stderr.splitlines()[-1])


def test_looking_up_a_text_never_opens_the_store(tmp_path, monkeypatch):
    """A bad question is said before a missing store, and a store that could not be opened
    is tried again at the next question."""
    from casekb.build.builder import build_store
    from casekb.errors import QueryError, StoreError

    from casekb.kb import KB  # as the command line opens a store: when first needed

    monkeypatch.setenv("CASEKB_HOME", str(tmp_path / "home"))
    monkeypatch.setattr(plan_cache, "_PLANS", None)
    with KB() as kb:  # the default store: built on first use, not to say a typo
        with pytest.raises(QueryError):
            kb.query("people where (")
    assert not (tmp_path / "home" / "casekb.sqlite").exists()
    store = tmp_path / "later.sqlite"
    with KB(str(store)) as kb:
        with pytest.raises(QueryError):
            kb.query("people where (")
        build_store(REPO / "seeds", str(store))
        assert kb.query("people").rows  # the store is opened now, as it is
    with KB(str(tmp_path / "none.sqlite")) as kb:
        for _ in range(2):
            with pytest.raises(StoreError, match="no casekb store"):
                kb.query("people")


def test_an_unknown_name_stops_before_the_query_runs_on_sqlite(rust_db):
    text = 'charges where defendant = "Alec Bladwin"'
    with casekb.open(str(rust_db)) as kb:
        query_sql = kb.explain('charges where defendant = "Alec Baldwin"').sql
        ran: list[str] = []
        kb.connection().set_trace_callback(ran.append)
        from casekb.errors import UnknownNameError

        for _ in range(2):  # asked first, then again
            with pytest.raises(UnknownNameError):
                kb.query(text)
        kb.connection().set_trace_callback(None)
    assert ran and not any(statement.startswith(query_sql[:200]) for statement in ran)
