"""Evidence that states nothing, and values that only look right.

- `quote = "-"` passed `check`: a dash occurs in every article. A quote must hold at least
  two words and five letters (schema/curation.md); the shortest real quotes ("a $500 fine",
  "March 9, 2024") still pass, as every quote of the Rust seeds must (the words of a
  statement may be one, "nervous", when an evidence quote of the statement holds them).
- A date in Arabic-Indic digits ("٢٠٢٣") was taken as 2023: dates are ASCII digits only,
  in curated files, report parameters and queries.
- An alias that differs from its person's name (or its case's title) only in letter case
  or spacing was taken: it names nothing new.
"""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from asking import check

from casekb.errors import QueryError


@pytest.fixture
def seeds_copy(tmp_path, seeds_dir) -> Path:
    folder = tmp_path / "seeds"
    shutil.copytree(seeds_dir, folder)
    return folder


def _check(folder):
    from casekb.curation import check_folder

    return check_folder(folder)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _append(path: Path, text: str) -> None:
    with open(path, "a", encoding="utf-8") as out:
        out.write("\n" + text)


# -- Quotes that state nothing ----------------------------------------------------------------

# Each occurs in the article the quote cites (articles/000_...): found, and saying nothing.
@pytest.mark.parametrize("quote", ["-", "—", ".", "the", "of a", "$500", "Rust", "Alec",
                                   '\\"'])
def test_an_evidence_quote_that_states_nothing_is_a_problem(quote, seeds_copy):
    path = seeds_copy / "rust" / "charges.toml"
    _replace(path, 'quote = "24 hours of community service and a firearms safety class"',
             f'quote = "{quote}"')
    problems = _check(seeds_copy).problems
    named = [p for p in problems if p.file == "rust/charges.toml" and p.field.endswith(".quote")]
    assert len(named) == 1, [p.render() for p in problems]
    assert "at least 2 words and 5 letters" in named[0].message


def test_a_statement_quote_that_states_nothing_is_a_problem(seeds_copy):
    path = seeds_copy / "rust" / "statements.toml"
    _replace(path, 'quote = "I have no idea"', 'quote = "-"')
    problems = _check(seeds_copy).problems
    named = [p for p in problems if p.file == "rust/statements.toml" and p.field == "quote"]
    assert len(named) == 1 and "at least 2 words" in named[0].message, [p.render() for p in problems]


def test_every_quote_of_the_seeds_states_something(seeds_dir):
    from casekb.curation.quotes import says_too_little

    quotes, short_words = [], []
    for path in seeds_dir.rglob("*.toml"):
        if path.name == "coverage-ignore.toml":
            continue
        for records in tomllib.loads(path.read_text(encoding="utf-8")).values():
            for record in records:
                evidence = [item["quote"] for item in record.get("evidence", [])]
                quotes += evidence
                if "quote" in record and says_too_little(record["quote"]):
                    short_words.append((record["quote"], evidence))
    assert len(quotes) > 250
    assert [q for q in quotes if says_too_little(q)] == []
    # Words said that are too short to state a fact alone sit inside an evidence quote.
    assert short_words == [("nervous", [short_words[0][1][0]])]
    assert '"nervous"' in short_words[0][1][0]
    assert _check(seeds_dir).ok


@pytest.mark.parametrize("quote, ok", [
    ("a $500 fine", True), ("March 9, 2024", True), ("XDex9 (@XDex91)", True),
    ("I have no idea", True), ("Baldwin said", True), ("он сказал это", True),
    ("-", False), ("", False), ("a b", False), ("Baldwin", False), ("12 34 56 78", False),
    ("Al Bo", False),
])
def test_the_quote_rule(quote, ok):
    from casekb.curation.quotes import says_too_little

    assert (says_too_little(quote) is None) is ok


# -- Dates in other digits -------------------------------------------------------------------

OTHER_DIGITS = ["٢٠٢٣", "٢٠٢٣-٠١", "۲۰۲۳", "२०२३", "２０２３", "2023-０１-19", "２０２３-01"]


@pytest.mark.parametrize("text", OTHER_DIGITS)
def test_a_date_in_other_digits_is_not_a_date(text):
    from casekb.dates import PartialDate

    with pytest.raises(ValueError):
        PartialDate.parse(text)


def _problem_of_first(folder: Path, field: str, value: str, starts: str = ""):
    """Set the first `field = "starts...` of rust/charges.toml to `value`: the one problem
    naming that field."""
    path = folder / "rust" / "charges.toml"
    line = next(line for line in path.read_text(encoding="utf-8").splitlines()
                if line.startswith(f'{field} = "{starts}'))
    _replace(path, line, f'{field} = "{value}"')
    problems = _check(folder).problems
    named = [p for p in problems if p.file == "rust/charges.toml" and p.field == field]
    assert len(named) == 1, [p.render() for p in problems]
    return named[0]


@pytest.mark.parametrize("text", ["٢٠٢٣", "２０２３-01"])
def test_a_curated_date_in_other_digits_is_a_problem(text, seeds_copy):
    assert "is not a date" in _problem_of_first(seeds_copy, "filed", text).message


@pytest.mark.parametrize("kind, given, message", [("date", "٢٠٢٣", "is not a date"),
                                                  ("number", "٣", "is not a whole number")])
def test_a_report_parameter_in_other_digits_is_refused(kind, given, message, tmp_path,
                                                       run_cli, rust_db):
    report = tmp_path / "typed.md"
    query = "charges limit $p" if kind == "number" else "charges where filed >= $p"
    report.write_text(f'+++\n[params.p]\ntype = "{kind}"\n+++\n\n# With $p\n\n'
                      f'```casekb\n{query}\n```\n', encoding="utf-8")
    result = run_cli("report", report, "--db", rust_db, "--param", f"p={given}")
    assert result.code == 2 and message in result.err
    ascii_value = "3" if kind == "number" else "2023"
    assert run_cli("report", report, "--db", rust_db, "--param", f"p={ascii_value}").code == 0


@pytest.mark.parametrize("query", ["charges where filed >= ٢٠٢٣", "charges as of ٢٠٢٣-٠١",
                                   "penalties where amount >= $٥٠٠",
                                   "penalties where amount >= ٥ years"])
def test_a_query_with_a_date_or_amount_in_other_digits_is_a_query_error(query):
    with pytest.raises(QueryError):
        check(query)


@pytest.mark.parametrize("amount", ["$٥٠٠", "٥ years", "$５00"])
def test_a_curated_amount_in_other_digits_is_a_problem(amount, seeds_copy):
    assert "not a quantity" in _problem_of_first(seeds_copy, "amount", amount, "$").message


# -- Aliases that are their owner's own name --------------------------------------------------

ALIAS = """[[alias]]
id = "{id}"
{owner} = "{key}"
name = "{name}"
evidence = [
  {{ source = "independent-2023-01-20", quote = "On Thursday (19 January), Baldwin was charged" }},
]
"""


@pytest.mark.parametrize("name", ["ALEC BALDWIN", "alec baldwin", "Alec  Baldwin",
                                  " Alec Baldwin ", "Alec\tBaldwin", "ALEC\u00a0BALDWIN"])
def test_an_alias_that_is_its_persons_name_in_other_case_or_spacing_is_a_problem(name,
                                                                                 seeds_copy):
    _append(seeds_copy / "rust" / "people.toml",
            ALIAS.format(id="baldwin-upper", owner="person", key="alec-baldwin",
                         name=name.replace("\t", "\\t")))
    problems = _check(seeds_copy).problems
    assert len(problems) == 1, [p.render() for p in problems]
    problem = problems[0]
    assert problem.file == "rust/people.toml" and problem.field == "name"
    assert "alias 'baldwin-upper'" in problem.record
    assert "'Alec Baldwin'" in problem.message and "letter case" in problem.message


def test_an_alias_that_is_its_cases_title_in_other_case_is_a_problem(seeds_copy):
    _append(seeds_copy / "rust" / "case.toml",
            ALIAS.format(id="rust-upper", owner="case", key="rust",
                         name="RUST FILM SET SHOOTING"))
    problems = _check(seeds_copy).problems
    assert len(problems) == 1 and problems[0].field == "name", [p.render() for p in problems]
    assert "'Rust film set shooting'" in problems[0].message


def test_an_alias_in_a_file_before_its_person_is_judged_the_same(seeds_copy):
    # The person's name is known from the first pass, whichever file comes first.
    (seeds_copy / "aaa.toml").write_text(
        ALIAS.format(id="baldwin-upper", owner="person", key="alec-baldwin",
                     name="ALEC BALDWIN"), encoding="utf-8")
    problems = _check(seeds_copy).problems
    assert [p.file for p in problems] == ["aaa.toml"], [p.render() for p in problems]


def test_a_real_other_name_is_still_an_alias(seeds_copy):
    _append(seeds_copy / "rust" / "people.toml",
            ALIAS.format(id="baldwin-a", owner="person", key="alec-baldwin",
                         name="A. Baldwin"))
    assert _check(seeds_copy).ok
