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


def test_a_damaged_or_foreign_file_is_planned_again(tmp_path):
    calls: list = []
    plans = PlanCache(tmp_path)
    plans.plan("shape", "sqlite", True, "1:x", _made(calls))
    [entry] = tmp_path.glob("*.json")
    for text in ("{", json.dumps({"format": "other"}), json.dumps({"format": 4, "plan": 3})):
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
    env = {**os.environ, "CASEKB_HOME": str(tmp_path)}
    probe = ("import sys, json, casekb.cli; code = casekb.cli.main(sys.argv[1:]); "
             "print(json.dumps([m in sys.modules for m in "
             "('sqlalchemy', 'casekb.plan.compiler')]), file=sys.stderr); sys.exit(code)")

    def ask(text, **extra):
        result = subprocess.run([sys.executable, "-c", probe, "query", text, "--db",
                                 str(rust_db), "-f", "json"], capture_output=True, text=True,
                                env={**env, **extra}, timeout=120)
        assert result.returncode == 0, result.stderr
        return json.loads(result.stdout), \
            json.loads(result.stderr.splitlines()[-1])

    first, loaded = ask('charges where defendant = "Alec Baldwin" with sources')
    assert loaded == [True, True] and list(Path(tmp_path, "query-cache").glob("*.json"))
    known, loaded = ask('charges where defendant = "Dave Halls" with sources')
    assert loaded == [False, False]
    off, _ = ask('charges where defendant = "Dave Halls" with sources', CASEKB_QUERY_CACHE="0")
    assert known == off and known != first
