"""`casekb report`: the report format, safe parameters, failures, the three outputs, and the
example reports against golden files (tests/golden/reports/; regenerate them with
CASEKB_UPDATE_GOLDEN=1 and review the difference against the articles)."""

from __future__ import annotations

import io
import itertools
import json
import os
import re
import urllib.parse
from pathlib import Path

import pytest

from casekb.lang.parser import parse as parse_query
from casekb.lang.registry import ENTITIES, entity
from casekb.report import (
    ParameterError,
    ReportError,
    load_report,
    parse_report,
    render_report,
    run_report,
)
from casekb.report.markdown import inline, to_html
from casekb.report.params import bind_query, parameters_of
from casekb.resources import bundled_reports
from casekb.schema.declaration import fact_tables

REPO = Path(__file__).resolve().parent.parent
GOLDEN = REPO / "tests" / "golden" / "reports"
LINK_BASE = "../seeds"  # stable links in the HTML goldens, whatever the machine

EXAMPLES = [
    ("case-summary", {}),
    ("defendant-sheet", {"defendant": "Alec Baldwin"}),
    ("sources-audit", {}),
]


@pytest.fixture(scope="module")
def engine(rust_db):
    import casekb

    engine = casekb.open(str(rust_db))
    yield engine
    engine.close()


def _render(run, fmt: str) -> str:
    out = io.StringIO()
    render_report(run, fmt, out, link_base=LINK_BASE)
    return out.getvalue()


def _run(text: str, engine, params=None, **options):
    return run_report(parse_report(text, "test.md"), engine, params or {}, **options)


# -- Golden files of the example reports ----------------------------------------------------

@pytest.mark.parametrize("fmt, suffix", [("markdown", "md"), ("html", "html"), ("json", "json")])
@pytest.mark.parametrize("name, params", EXAMPLES, ids=[name for name, _ in EXAMPLES])
def test_example_reports_match_their_golden_files(engine, name, params, fmt, suffix):
    report = load_report(REPO / "reports" / f"{name}.md")
    output = _render(run_report(report, engine, params), fmt)
    golden = GOLDEN / f"{name}.{suffix}"
    if os.environ.get("CASEKB_UPDATE_GOLDEN"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(output, encoding="utf-8")
    assert golden.exists(), f"no golden file {golden}; run with CASEKB_UPDATE_GOLDEN=1"
    assert output == golden.read_text(encoding="utf-8")


def test_the_defendant_sheet_works_for_another_defendant_by_another_spelling(engine):
    report = load_report(REPO / "reports" / "defendant-sheet.md")
    output = _render(run_report(report, engine, {"defendant": "David Halls"}), "json")
    data = json.loads(output)
    rows = {item["query"].split()[0]: item["rows"] for item in data["queries"]}
    assert [row["summary"] for row in rows["sentences"]] == [
        "six months of probation",
        "six-month suspended sentence with unsupervised probation, a $500 fine, 24 hours of "
        "community service and a firearms safety class"]
    assert {row["plea"] for row in rows["pleas"]} == {"guilty", "no contest"}  # disputed


def test_the_examples_ship_with_casekb_and_run_by_name(run_cli, rust_db):
    from casekb.resources import bundled_reports

    assert {p.stem for p in bundled_reports().glob("*.md")} >= {n for n, _ in EXAMPLES}
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"reports" = "casekb/_data/reports"' in pyproject
    listing = run_cli("report")
    assert listing.code == 0 and "defendant-sheet" in listing.out
    assert "--param defendant=..." in listing.out
    result = run_cli("report", "sources-audit", "--db", rust_db)
    assert result.code == 0 and result.out.startswith("# Sources audit\n")
    misspelt = run_cli("report", "defendant-shet", "--db", rust_db)
    assert misspelt.code == 1 and misspelt.out == ""
    assert misspelt.err.startswith("no report file defendant-shet, and no example report of "
                                   "that name\nhint: did you mean defendant-sheet?\n")
    assert "case-summary, defendant-sheet, sources-audit" in misspelt.err


# -- Every fact shown with its sources -----------------------------------------------------
#
# The project's rule: every fact a report shows is tied to the article and the verbatim quote
# that state it, and the list of sources at the end of the HTML names every article the
# report cites. A golden file only freezes what a report prints; this checks the rule itself,
# for every bundled report (a new one included) and every value of its parameters.

BUNDLED = sorted(path.stem for path in bundled_reports().glob("*.md")
                 if path.name.lower() != "readme.md")
# The values to try for a parameter: every one the store has.
PARAMETER_VALUES = {"defendant": "defendants show name", "case": "cases show title"}
# The tables and views whose rows are facts with evidence: a sql block cannot show their
# evidence, so a report reads them through a `casekb` query `with sources`.
FACT_RELATIONS = frozenset(fact_tables()) | {
    f"v_{kind.name}" for kind in ENTITIES if kind.evidence_table is not None}


def _parameter_sets(report, engine) -> list[dict[str, str]]:
    choices = []
    for parameter in parameters_of(report).values():
        if parameter.name in PARAMETER_VALUES:
            rows = engine.query(PARAMETER_VALUES[parameter.name], cap=None).rows
            values = sorted({row[0] for row in rows})
        elif parameter.required:
            pytest.fail(f"{report.path}: say in PARAMETER_VALUES which values of "
                        f"${parameter.name} to try")
        else:
            values = [parameter.default]
        choices.append([(parameter.name, value) for value in values])
    return [dict(values) for values in itertools.product(*choices)]


def _fact_entity(query: str):
    """The entity of a casekb query whose rows are facts with evidence (a count is not)."""
    statement = parse_query(query)
    found = entity(statement.entity.text)
    return found if found is not None and found.has_evidence and not statement.count else None


def _sql_relations(query: str) -> set[str]:
    """The tables and views a SQL statement reads (the names after FROM and JOIN)."""
    return {name.lower() for name in re.findall(r'\b(?:from|join)\s+"?(\w+)', query, re.I)}


def _listed_sources(run) -> set[str]:
    """The articles the report lists: the HTML's closing list of sources, and the rows of a
    block listing the `sources` entity itself (the sources audit's "The articles")."""
    page = _render(run, "html")
    section = re.search(r'<section class="sources">.*?</section>', page, re.S)
    listed = {urllib.parse.unquote(key)
              for key in re.findall(r'<li id="source-([^"]+)"', section.group(0))} \
        if section else set()
    for answer in run.answers:
        if answer.block.language == "casekb" and \
                parse_query(answer.query).entity.text.lower() == "sources":
            listed |= {row[answer.result.column_names.index("id")]
                       for row in answer.result.rows}
    return listed


@pytest.mark.parametrize("name", BUNDLED)
def test_every_fact_a_bundled_report_shows_carries_its_sources_and_they_are_listed(
        engine, name):
    report = load_report(bundled_reports() / f"{name}.md")
    for params in _parameter_sets(report, engine):
        run = run_report(report, engine, params)
        queries = json.loads(_render(run, "json"))["queries"]
        cited: dict[str, set[str]] = {}  # source -> the blocks citing it
        for answer, item in zip(run.answers, queries, strict=True):
            where = f"{name} {params}, line {answer.block.line}: {answer.query!r}"
            if answer.block.language == "sql":
                # A sql block has no evidence to show: it may read the evidence and the
                # disputes, never the facts themselves.
                assert not _sql_relations(answer.query) & FACT_RELATIONS, \
                    f"{where} shows facts without their sources (ask it in casekb)"
                if "source" in item["columns"]:
                    for row in item["rows"]:
                        cited.setdefault(row["source"], set()).add(where)
                continue
            fact = _fact_entity(answer.query)
            if fact is not None:
                # Each row of facts carries its articles and quotes...
                for row in item["rows"]:
                    assert row.get("sources"), f"{where} shows {fact.name} without sources"
                # ... and the articles behind every fact shown are cited, whatever the block
                # asked: the same query with sources names them.
                shown = engine.query(answer.query + "\nwith sources") \
                    if not parse_query(answer.query).with_sources else answer.result
                for evidence in shown.evidence or []:
                    for quote in evidence:
                        cited.setdefault(quote.source, set()).add(where)
            for row in item["rows"]:
                for quote in row.get("sources", []):
                    cited.setdefault(quote["source"], set()).add(where)
        listed = _listed_sources(run)
        missing = {source: sorted(blocks) for source, blocks in cited.items()
                   if source not in listed}
        assert not missing, f"{name} {params}: articles cited but not in its list of " \
                            f"sources: {missing}"


# -- The format ---------------------------------------------------------------------------

REPORT = '''+++
title = "A test"
description = "For tests."

[params]
case = "Rust"

[params.who]
description = "someone"

[params.since]
type = "date"
default = "2021"
+++

# Heading one

Some prose about $who.

```text
# not a heading, and ```casekb inside another block is prose
```

## Charges

```casekb
charges where defendant = $who and filed >= $since
  show offense
```

```sql timeline
SELECT date, description FROM v_events WHERE "case" = 'Rust film set shooting' ORDER BY date
```
'''


def test_a_report_is_parsed_into_prose_and_query_blocks_with_their_lines():
    report = parse_report(REPORT, "test.md")
    assert report.title == "A test" and report.description == "For tests."
    assert {name: (p.default, p.type) for name, p in report.parameters.items()} == {
        "case": ("Rust", "text"), "who": (None, "text"), "since": ("2021", "date")}
    queries = report.queries
    assert [(q.language, q.line, q.style, q.heading) for q in queries] == [
        ("casekb", 27, "table", "Charges"), ("sql", 32, "timeline", "Charges")]
    assert queries[0].text == "charges where defendant = $who and filed >= $since\n  show offense"
    prose = "\n".join(block.text for block in report.blocks if block not in queries)
    assert "# not a heading" in prose and "Some prose about $who." in prose


def test_without_front_matter_the_first_heading_is_the_title():
    assert parse_report("intro\n\n# The title\n\n## More\n", "x.md").title == "The title"
    assert parse_report("no heading at all\n", "dir/my-report.md").title == "my-report"


@pytest.mark.parametrize("text, line, words", [
    ("+++\ntitle = \"x\"\n", 1, "never closed"),
    ("+++\ntitle = \n+++\n", 2, "not valid TOML"),
    ("+++\ntitel = \"x\"\n+++\n", 1, "unknown front matter setting 'titel'"),
    ("+++\n[params.x]\ntype = \"money\"\n+++\n", 1, "type must be one of"),
    ("# r\n\n```casekb\ncharges\n", 3, "never closed"),
    ("# r\n\n```casekb chart\ncharges\n```\n", 3, "unknown block option 'chart'"),
    ("# r\n\n```sql\n\n```\n", 3, "is empty"),
])
def test_a_malformed_report_is_refused_with_its_line(text, line, words):
    with pytest.raises(ReportError) as caught:
        parse_report(text, "bad.md")
    assert caught.value.line == line and words in caught.value.message
    assert caught.value.render().startswith(f"bad.md, line {line}")


def test_a_missing_report_file_is_a_clear_error(tmp_path):
    with pytest.raises(ReportError, match="no report file"):
        load_report(tmp_path / "nope.md")


# -- Parameters ---------------------------------------------------------------------------

def _block(text: str, language: str = "casekb"):
    return parse_report(f"```{language}\n{text}\n```\n", "t.md").queries[0]


def test_a_text_parameter_becomes_one_escaped_string_literal():
    block = _block('charges where defendant = $who -- $who stays\n'
                   '  and offense ~ "$who stays" and counts = 1 show defendant')
    params = parameters_of(parse_report("```casekb\n" + block.text + "\n```\n", "t.md"))
    bound = bind_query(block, {"who": 'Dave "the AD" Halls \\ x'}, params)
    assert bound == ('charges where defendant = "Dave \\"the AD\\" Halls \\\\ x" -- $who stays\n'
                     '  and offense ~ "$who stays" and counts = 1 show defendant')


def test_money_is_not_a_parameter():
    block = _block("penalties where amount >= $500 and defendant = $who")
    assert parameters_of(parse_report(f"```casekb\n{block.text}\n```\n", "t.md")).keys() \
        == {"who"}


def test_a_value_cannot_break_out_of_its_string(engine):
    text = "```casekb\ncharges where defendant = $who show defendant\n```\n"
    attack = 'nobody" or defendant ~ "a'
    with pytest.raises(ReportError) as caught:  # one name that matches nobody, not "or ..."
        _run(text, engine, {"who": attack})
    assert caught.value.message == f"no person called “{attack}” in the store"
    honest = _run(text, engine, {"who": "Hannah Gutierrez Reed"})  # an alias
    assert len(honest.answers[0].result.rows) == 2


def test_sql_blocks_bind_parameters_in_sqlite(engine):
    text = "```sql\nSELECT name FROM v_people WHERE name = $who ORDER BY name\n```\n"
    assert _run(text, engine, {"who": "x' OR '1'='1"}).answers[0].result.rows == []
    assert _run(text, engine, {"who": "David Halls"}).answers[0].result.rows == [("David Halls",)]


def test_date_and_number_parameters_are_checked_and_written_as_such(engine):
    text = ('+++\n[params.since]\ntype = "date"\n[params.n]\ntype = "number"\n+++\n'
            "```casekb\ncharges where filed >= $since and counts = $n show defendant\n```\n")
    run = _run(text, engine, {"since": "2024-01", "n": "1"})
    assert run.answers[0].query.startswith("charges where filed >= 2024-01 and counts = 1 ")
    assert run.answers[0].result.rows == [("Alec Baldwin",)]
    with pytest.raises(ParameterError, match="no month 13"):
        _run(text, engine, {"since": "2024-13", "n": "1"})
    with pytest.raises(ParameterError, match="not a whole number"):
        _run(text, engine, {"since": "2024", "n": "1 or 2"})


def test_missing_parameters_are_all_named(engine):
    text = "```casekb\ncharges where defendant = $who and offense = $what\n```\n"
    with pytest.raises(ParameterError) as caught:
        _run(text, engine, {})
    assert caught.value.message == "test.md needs the parameters who, what"
    assert caught.value.exit_code == 2


def test_an_unknown_parameter_is_refused_with_the_nearest_name(engine):
    with pytest.raises(ParameterError) as caught:
        _run("```casekb\ndefendants where name = $defendant\n```\n", engine,
             {"defendent": "x"})
    assert "no parameter 'defendent'" in caught.value.message
    assert "did you mean defendant?" in caught.value.hints


def test_a_line_break_in_a_value_is_refused(engine):
    with pytest.raises(ParameterError, match="line break"):
        _run("```casekb\ndefendants where name = $who\n```\n", engine, {"who": "a\nb"})


def test_prose_shows_the_value_escaped_for_markdown(engine):
    run = _run("# Sheet: $who\n\n```casekb\ndefendants where name ~ $who\n```\n", engine,
               {"who": "*Dave* <Halls>"})
    assert _render(run, "markdown").startswith("# Sheet: \\*Dave\\* \\<Halls\\>\n")
    assert "<h1 id=\"sheet-dave-halls\">Sheet: *Dave* &lt;Halls&gt;</h1>" in _render(run, "html")


# -- Failures -------------------------------------------------------------------------------

BROKEN = """# Broken

## First

```casekb
defendants
```

## Second

```casekb
charges where defendant = "Alec Baldwin"
  show ofense
```

## Third

```sql
SELECT count(*) AS n FROM v_pleas
```
"""


def test_a_bad_query_fails_the_report_naming_file_line_and_query(engine):
    with pytest.raises(ReportError) as caught:
        _run(BROKEN, engine)
    error = caught.value
    assert (error.path, error.line, error.column) == ("test.md", 13, 8)
    assert error.message == "charges has no field `ofense`"
    text = error.render()
    assert text.startswith("test.md, line 13, column 8: charges has no field `ofense`\n")
    assert "  show ofense\n" in text and "^^^^^^" in text
    assert 'charges where defendant = "Alec Baldwin"' in text  # the whole query


def test_keep_going_renders_the_rest_with_the_error_in_place(engine):
    run = _run(BROKEN, engine, keep_going=True)
    assert len(run.errors) == 1
    markdown = _render(run, "markdown")
    first, second, third = (markdown.index(h) for h in ("## First", "## Second", "## Third"))
    error_at = markdown.index("> **Error:** this query failed.")
    assert first < second < error_at < third
    assert "| n |\n|---|\n| 4 |" in markdown  # the block after the failure still ran
    assert '<div class="error"><strong>This query failed.</strong>' in _render(run, "html")
    queries = json.loads(_render(run, "json"))["queries"]
    assert queries[1]["error"]["line"] == 13 and "rows" in queries[2]


def test_a_sql_error_names_the_blocks_line(engine):
    with pytest.raises(ReportError) as caught:
        _run("# r\n\n```sql\nSELECT * FROM nowhere\n```\n", engine)
    assert caught.value.line == 4 and "no such table: nowhere" in caught.value.message
    with pytest.raises(ReportError, match="only reads"):
        _run("# r\n\n```sql\nDELETE FROM pleas\n```\n", engine)


def test_a_block_must_be_a_query(engine):
    with pytest.raises(ReportError, match="must be a query"):
        _run("```casekb\ndescribe charges\n```\n", engine)


# -- Output --------------------------------------------------------------------------------

def test_html_is_one_self_contained_page_with_everything_escaped(engine):
    text = ('+++\ntitle = "Cases <script>alert(1)</script>"\n+++\n'
            "Prose with <b>tags</b>, [a bad link](javascript:alert(1)) and "
            "[a good one](https://example.org/?a=1&b=2).\n\n"
            "```sql\nSELECT '<img src=x onerror=alert(1)>' AS value\n```\n")
    page = _render(_run(text, engine), "html")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script" not in page and "<img" not in page and "<b>" not in page
    assert "javascript:" not in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert '<a href="https://example.org/?a=1&amp;b=2">a good one</a>' in page
    # Nothing is fetched from elsewhere: no external style sheet, script or image.
    assert not re.search(r"<(link|script|img|iframe)\b", page)


def test_html_links_cited_sources_to_their_article_files(engine, rust_db):
    text = "```casekb\npleas where plea = \"no contest\" with sources\n```\n"
    run = _run(text, engine)
    page = _render(run, "html")
    assert '<a href="#source-bang-showbiz-2024-03">bang-showbiz-2024-03</a>' in page
    assert ('<li id="source-bang-showbiz-2024-03"><a href="../seeds/articles/'
            '000_97fe48ecf7fe45b9.txt">Mickey Rourke offers to testify for Alec Baldwin</a>'
            in page)
    # Without a link base the links go to the curated folder the store was built from.
    out = io.StringIO()
    render_report(run, "html", out)
    article = (REPO / "seeds" / "articles" / "000_97fe48ecf7fe45b9.txt").resolve().as_uri()
    assert f'href="{article}"' in out.getvalue()


def test_a_timeline_block_lists_dated_rows(engine):
    text = ('```casekb timeline\nevents where kind = "verdict" or kind = "incident" '
            "show date, kind, description with sources\n```\n")
    run = _run(text, engine)
    markdown = _render(run, "markdown")
    assert markdown.splitlines()[2].startswith(
        "- **2021-10-21** incident — Cinematographer Halyna Hutchins is fatally shot")
    page = _render(run, "html")
    assert '<ol class="timeline">' in page
    assert '<time datetime="2024-03-06">2024-03-06</time> <span class="mark">[inferred]</span>' \
        in page
    assert markdown.splitlines()[3].startswith("- **2024-03-06 \\[inferred\\]** verdict")


def test_empty_and_cut_results_say_so(engine):
    text = ("```casekb\ncharges where counts = 99\n```\n\n"
            "```casekb\nevents show date\n```\n")
    run = run_report(parse_report(text, "t.md"), engine, {}, cap=3)
    markdown = _render(run, "markdown")
    events = len(engine.query("events", cap=None).rows)
    assert "_No rows._" in markdown and f"_Showing the first 3 of {events} rows._" in markdown
    assert json.loads(_render(run, "json"))["queries"][1]["truncated"] is True


def test_the_markdown_subset_becomes_html():
    html = to_html("# T\n\nA *b* **c** `d<e>` [f](g.txt)\nsame paragraph\n\n- one\n- two\n"
                   "  more\n\n1. first\n\n> quoted\n\n---\n\n```\n<code>\n```\n")
    assert html.split("\n") == [
        '<h1 id="t">T</h1>',
        '<p>A <em>b</em> <strong>c</strong> <code>d&lt;e&gt;</code> <a href="g.txt">f</a> '
        "same paragraph</p>",
        "<ul><li>one</li><li>two more</li></ul>",
        "<ol><li>first</li></ol>",
        "<blockquote><p>quoted</p></blockquote>",
        "<hr>",
        "<pre><code>&lt;code&gt;</code></pre>",
    ]
    assert inline("snake_case_name and \\*not em\\*") == "snake_case_name and *not em*"


# -- The command ---------------------------------------------------------------------------

def test_the_command_writes_a_file_with_o(run_cli, rust_db, tmp_path):
    target = tmp_path / "sheet.html"
    result = run_cli("report", REPO / "reports" / "defendant-sheet.md", "--db", rust_db,
                     "--param", "defendant=Hannah Gutierrez-Reed", "--format", "html",
                     "-o", target)
    assert result.code == 0 and result.out == ""
    assert "<h1 id=\"defendant-sheet-hannah-gutierrez-reed\">" in target.read_text()


def test_the_command_names_a_missing_parameter(run_cli, rust_db):
    result = run_cli("report", "defendant-sheet", "--db", rust_db)
    assert result.code == 2 and result.out == ""
    assert "needs the parameter defendant" in result.err
    assert "--param defendant=VALUE" in result.err


def test_the_command_fails_a_bad_report_with_exit_1(run_cli, rust_db, tmp_path):
    report = tmp_path / "broken.md"
    report.write_text(BROKEN)
    target = tmp_path / "out.md"
    target.write_text("previous")
    result = run_cli("report", report, "--db", rust_db, "-o", target)
    assert result.code == 1 and f"{report}, line 13, column 8" in result.err
    assert target.read_text() == "previous"
    going = run_cli("report", report, "--db", rust_db, "--keep-going")
    assert going.code == 1 and "## Third" in going.out and "line 13" in going.err
    as_json = run_cli("report", report, "--db", rust_db, "--format", "json")
    assert as_json.code == 1 and as_json.out == ""
    assert json.loads(as_json.err)["line"] == 13


def test_a_malformed_param_option_is_explained(run_cli, rust_db):
    result = run_cli("report", "defendant-sheet", "--db", rust_db, "--param", "defendant")
    assert result.code == 2 and "--param NAME=VALUE" in result.err
