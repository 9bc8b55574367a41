"""bench/run.py runs on the library as it is, and its questions are fair: each gives the rows
its hand-written SQL gives (as many, in the same order, with as many columns)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_query_bench_runs_and_its_baselines_give_the_same_rows(tmp_path):
    # A small corpus, one timed run of each figure: a check that the script works, not a
    # measurement.
    env = dict(os.environ, CASEKB_BENCH_DIR=str(tmp_path))
    env.pop("CASEKB_HOME", None)
    result = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--only", "query", "--sizes", "60",
         "--repeat", "1", "--fresh-repeat", "1"],
        env=env, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-3000:]
    figures = json.loads((tmp_path / "results.json").read_text())["query"]["60"]
    assert figures["size"]["cases"] == 60
    questions = figures["queries"]
    assert len(questions) >= 15
    for item in questions:
        label = item["label"]
        assert item["rows"] == item["raw_rows"], label
        assert item["same_order"] is not False, label
        assert item["columns"] == item["raw_columns"], label
        assert item["rows"] > 0, f"{label} found nothing: a weak comparison"
        assert item["casekb_ms"] > 0 and item["raw_ms"] > 0 and "fresh_ms" in item, label
    assert "Queries on SQLite: 60 cases" in result.stdout
