"""A build's memory does not grow with the corpus.

The build streams the curated folder (casekb/curation/validate.py): it holds the records of
one file at a time and a bounded number of articles, and keeps its index of keys on disk
(casekb/curation/keystore.py), behind a bounded page cache. Measured two ways: the peak
resident memory of whole builds of a corpus and of one four times larger, in fresh
processes; and, inside one build, how many records and articles are alive at once.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from casekb.build.builder import build_store

REPO = Path(__file__).resolve().parent.parent

# The probe builds a folder and reports its resident memory before and after the first pass,
# and its peak (Linux: /proc and ru_maxrss in kilobytes).
PROBE = """
import json, resource, sys
import casekb.build.builder as build

def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 2**20

seen = {}
first_pass = build._first_pass

def measured_first_pass(folder, phases, progress=None):
    validator = first_pass(folder, phases, progress)
    seen["indexed_mb"] = resident_mb()
    seen["records"] = sum(validator.index.count(kind) for kind in validator.index.ids)
    return validator

build._first_pass = measured_first_pass
build.build_store(sys.argv[1], sys.argv[2], force=True)
seen["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(seen))
"""


def _corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus_memory",
                                                  REPO / "bench" / "corpus.py")
    corpus = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = corpus  # its dataclasses look their module up
    spec.loader.exec_module(corpus)
    return corpus


# 44,000 records against 177,000. Both fill the article cache (2,800 and 11,000 articles)
# and the index's page cache nearly, so what differs is the size of the corpus alone.
SMALL, LARGE = 1000, 4000
FEW = 250  # counting records and articles: 700 articles, more than the cache holds


@pytest.fixture(scope="module")
def corpora(tmp_path_factory) -> dict[int, Path]:
    corpus = _corpus_module()
    folders = {}
    for cases in (FEW, SMALL, LARGE):
        folders[cases] = tmp_path_factory.mktemp("memory") / f"c{cases}"
        corpus.generate(folders[cases], cases, seed=11, jurisdictions=2)
    return folders


def _probe(folder: Path, store: Path) -> dict:
    output = subprocess.run([sys.executable, "-c", PROBE, str(folder), str(store)], check=True,
                            stdout=subprocess.PIPE, text=True).stdout
    return json.loads(output.strip().splitlines()[-1])


@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc (Linux)")
def test_peak_memory_does_not_grow_with_the_corpus(corpora, tmp_path):
    small, large = (_probe(corpora[n], tmp_path / f"{n}.sqlite") for n in (SMALL, LARGE))
    assert large["records"] > 3.5 * small["records"], (small, large)
    # Held in memory, the index made the larger build take 21 MB more after the first pass
    # and 22 MB more at its peak (some 160 bytes a record). On disk it takes its page cache
    # (at most 4 MB) whatever the size: measured 5 and 4 MB more, as that cache and the
    # allocator's fill up; they stop growing (after the first pass of 10,000 cases: 2 MB
    # more than for 4,000).
    assert large["indexed_mb"] < small["indexed_mb"] + 10, (small, large)
    assert large["peak_mb"] < small["peak_mb"] + 10, (small, large)


def test_records_and_articles_are_held_a_file_at_a_time(corpora, tmp_path, monkeypatch):
    from casekb.curation import articles, records, values

    class CountedRecord(records.Record):
        alive = peak = made = 0

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            CountedRecord.made += 1
            CountedRecord.alive += 1
            CountedRecord.peak = max(CountedRecord.peak, CountedRecord.alive)

        def __del__(self):
            CountedRecord.alive -= 1

    cached = []
    real_entry = articles.ArticleCache._entry

    def counted_entry(cache, source, file):
        entry = real_entry(cache, source, file)
        cached.append(len(cache))
        return entry

    monkeypatch.setattr(values, "Record", CountedRecord)  # where the validator makes them
    monkeypatch.setattr(articles.ArticleCache, "_entry", counted_entry)
    folder = corpora[FEW]
    build_store(folder, str(tmp_path / "store.sqlite"))
    largest_file = max(
        sum(len(records) for records in tomllib.loads(path.read_text("utf-8")).values())
        for path in folder.rglob("*.toml") if "articles" not in path.parts)
    assert CountedRecord.made > 2 * largest_file  # every record was made...
    assert CountedRecord.peak <= largest_file + 1  # ...but no more than a file's at once
    assert max(cached) <= articles.ArticleCache(folder).capacity < 700  # of 700 articles
