"""CSV output cannot run as a spreadsheet formula (OWASP's CSV injection advice): a text value
that begins with =, +, -, @, a tab or a carriage return gets a leading single quote in
`query --format csv`, `sql --format csv`, the shell's CSV and `export --format csv`. JSON,
TSV (for shell tools) and SQL keep the raw values."""

from __future__ import annotations

import csv
import io
import json

import pytest

from casekb.build.builder import build_store
from casekb.export.copy import export_csv

FORMULA = '=HYPERLINK("http://x","click")'


@pytest.fixture(scope="module")
def formula_store(tmp_path_factory):
    """A store whose case summary is a formula."""
    from casekb.curation.scaffold import init_folder

    folder = tmp_path_factory.mktemp("formula") / "curated"
    init_folder(folder)
    case = folder / "example" / "case.toml"
    text = case.read_text()
    case.write_text(text.replace('summary = "A driver is prosecuted for a crash that injured '
                                 'a cyclist."', f"summary = '{FORMULA}'", 1))
    store = folder.parent / "store.sqlite"
    build_store(folder, str(store))
    return store


def _csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


@pytest.mark.parametrize("value", [FORMULA, "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_sql_csv_quotes_text_that_starts_a_formula(run_cli, rust_db, value):
    result = run_cli("sql", "SELECT :v AS v, -5 AS n", "--param", f"v={value}", "--db",
                     rust_db, "-f", "csv")
    assert result.code == 0, result.err
    # Numbers stay numbers; a carriage return is written as a line break.
    assert _csv(result.out)[1] == ["'" + value.replace("\r", "\n"), "-5"]


def test_query_csv_quotes_a_curated_formula(run_cli, formula_store):
    result = run_cli("query", "cases show title, summary", "--db", formula_store, "-f", "csv")
    assert _csv(result.out)[1][1] == "'" + FORMULA


def test_a_header_that_starts_a_formula_is_quoted_too(run_cli, rust_db):
    result = run_cli("sql", 'SELECT 1 AS "=cmd"', "--db", rust_db, "-f", "csv")
    assert _csv(result.out)[0] == ["'=cmd"]


def test_the_shell_csv_quotes_it(run_cli, formula_store):
    result = run_cli("repl", "--db", formula_store, "-f", "csv",
                     input="cases show summary\n")
    assert _csv(result.out)[1] == ["'" + FORMULA]


def test_the_csv_export_quotes_it(formula_store, tmp_path):
    export_csv(str(formula_store), tmp_path / "csv")
    with open(tmp_path / "csv" / "v_cases.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert rows[0]["summary"] == "'" + FORMULA


@pytest.mark.parametrize("fmt", ["json", "tsv"])
def test_json_and_tsv_keep_the_raw_value(run_cli, formula_store, fmt):
    result = run_cli("query", "cases show summary", "--db", formula_store, "-f", fmt)
    if fmt == "json":
        assert json.loads(result.out)[0]["summary"] == FORMULA
    else:
        assert result.out.splitlines()[1] == FORMULA


def test_ordinary_text_is_untouched(run_cli, rust_db):
    result = run_cli("query", 'penalties where kind in ("fine", "unstated") show amount',
                     "--db", rust_db,
                     "-f", "csv")
    assert _csv(result.out)[1:] == [["$500"], ["$5,000"]]
