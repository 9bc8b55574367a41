"""`casekb coverage`: each article's sentences with the records that cite them, and the
sentences that look like legal facts no record cites (flagged), unless the ignore file says
why they are left out.

The folders here are written by hand, small, and need not pass `casekb check`: coverage reads
a folder without validating it.
"""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casekb.coverage import measure
from casekb.coverage.measuring import normalised_with_offsets
from casekb.coverage.sentences import split
from casekb.curation import check_folder
from casekb.curation.quotes import normalise

IGNORE = "coverage-ignore.toml"


def folder_with(tmp_path: Path, articles: dict[str, str], records: str = "",
                ignore: str | None = None) -> Path:
    """A curated folder: one source per article (id -> text), the records of rust.toml, and
    the ignore file when given."""
    folder = tmp_path / "curated"
    (folder / "articles").mkdir(parents=True)
    sources = []
    for number, (source, text) in enumerate(articles.items()):
        (folder / "articles" / f"{number:03d}.txt").write_text(text, encoding="utf-8")
        sources.append(f'[[source]]\nid = "{source}"\nfile = "articles/{number:03d}.txt"\n')
    (folder / "sources.toml").write_text("\n".join(sources), encoding="utf-8")
    (folder / "rust.toml").write_text(textwrap.dedent(records), encoding="utf-8")
    if ignore is not None:
        (folder / IGNORE).write_text(textwrap.dedent(ignore), encoding="utf-8")
    return folder


def evidence(kind: str, key: str, source: str, *quotes: str) -> str:
    items = ", ".join(f"{{ source = {json.dumps(source)}, quote = {json.dumps(q)} }}"
                      for q in quotes)
    return f'[[{kind}]]\nid = "{key}"\nevidence = [{items}]\n'


def sentences_of(coverage, source: str = "a") -> dict[str, object]:
    article = next(a for a in coverage.articles if a.source == source)
    return {s.text: s for s in article.sentences}


# -- the ignore file is not a file of records ---------------------------------------------

def test_the_ignore_file_is_not_read_as_records(curated_folder):
    (curated_folder / IGNORE).write_text(
        '[[ignore]]\nsource = "gazette-2024-03-01"\ntext = "By Gazette staff"\n'
        'reason = "the by-line"\n', encoding="utf-8")
    assert check_folder(curated_folder).problems == []


# -- sentences ----------------------------------------------------------------------------

def test_sentences_are_split_as_documented():
    text = ("Mickey Rourke offers to testify\n"
            "\n"
            "  Rourke posted on Jan. 19. Mr. Baldwin met Dr. J. Smith at No. 5 in the U.S. "
            "Capitol. \"Is it?\" he asked. \"Yes.\" She left! As per OK! Magazine, he was "
            "\u201cnervous.\u201d Then it ended\u2026 Later it did not.\r\n"
            "Still on trial for murder? \u2014 XDex9 (@XDex91) March 9, 2024\n"
            " date 2023-01-20 Get our free weekly email\n")
    found = [(text[s.start:s.end], s.line, s.column) for s in split(text)]
    assert found == [
        ("Mickey Rourke offers to testify", 1, 1),
        ("Rourke posted on Jan. 19.", 3, 3),
        ("Mr. Baldwin met Dr. J. Smith at No. 5 in the U.S. Capitol.", 3, 29),
        ('"Is it?" he asked.', 3, 88),
        ('"Yes."', 3, 107),
        ("She left!", 3, 114),
        ("As per OK! Magazine, he was \u201cnervous.\u201d", 3, 124),
        ("Then it ended\u2026", 3, 163),
        ("Later it did not.", 3, 178),
        ("Still on trial for murder? \u2014 XDex9 (@XDex91) March 9, 2024", 4, 1),
        ("date 2023-01-20 Get our free weekly email", 5, 2),
    ]


TEXTS = st.text(alphabet=st.sampled_from(list("ab .!?\n\r\t\u00a0\u2028\x1c\"\u201c\u201d'\u2019"
                                              "\u2014\u2013-AJ5\u2026")), max_size=60)


def _check_offsets(text: str, normalise) -> None:
    normalised, offsets = normalised_with_offsets(text)
    assert normalised == normalise(text)
    for index, char in enumerate(normalised):
        origin = text[offsets.original(index)]
        assert char in normalise(origin) or (char == " " and origin.isspace())


@settings(max_examples=200, deadline=None)
@given(TEXTS)
def test_normalised_offsets_agree_with_the_quote_check(text):
    _check_offsets(text, normalise)
    # ... from a point where each run of white space is made one space, and no others
    assert len(normalised_with_offsets(text)[1].points) == \
        1 + len(re.findall(r"\s{2,}", text.strip()))
    spans = split(text)
    assert all(a.end <= b.start for a, b in zip(spans, spans[1:]))
    assert all(text[s.start:s.end].strip() == text[s.start:s.end] != "" for s in spans)


@settings(max_examples=100, deadline=None)
@given(TEXTS)
def test_offsets_hold_for_a_normalisation_that_changes_lengths(text):
    """Should the quote check ever write '…' as '...', the offsets still find their way."""
    from unittest import mock

    def longer(value: str) -> str:
        return normalise(value).replace("\u2026", "...")

    with mock.patch("casekb.coverage.measuring.normalise", longer):
        _check_offsets(text, longer)


# -- citations ----------------------------------------------------------------------------

ARTICLE = ("Baldwin was charged on Thursday. He denied it. The jury met.\n"
           "Photo via Getty\n"
           "Halls took a plea deal and was sentenced to 18 months in jail.\n")


def test_a_quote_cites_every_sentence_it_overlaps_and_only_those(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE}, evidence(
        "charge", "c1", "a", "on Thursday. He denied"))
    found = sentences_of(measure(folder))
    assert found["Baldwin was charged on Thursday."].cited_by == ("charge:c1",)
    assert found["He denied it."].cited_by == ("charge:c1",)
    assert found["The jury met."].cited_by == ()


def test_quotes_match_as_the_validator_matches_them(tmp_path):
    article = "\u201cWe will fight these charges \u2014 and  we\u2019ll win,\u201d he said.\n"
    folder = folder_with(tmp_path, {"a": article}, evidence(
        "statement", "s1", "a", "\"We will fight these charges \u2013 and\nwe'll win,\" he"))
    assert sentences_of(measure(folder))[article.strip()].cited_by == ("statement:s1",)


def test_a_statements_words_cite_where_its_evidence_articles_hold_them(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE, "b": "He said: \u201cI never did.\u201d\n"},
                         '[[statement]]\nid = "s1"\nquote = "He denied it. The jury met."\n'
                         'evidence = [{ source = "b", quote = "He said" }, '
                         '{ source = "a", quote = "Photo via Getty" }]\n')
    found = sentences_of(measure(folder))
    assert found["He denied it."].cited_by == ("statement:s1",)
    assert found["The jury met."].cited_by == ("statement:s1",)
    assert found["Baldwin was charged on Thursday."].cited_by == ()


def test_a_quote_found_nowhere_is_a_note(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE}, evidence(
        "charge", "c1", "a", "Baldwin was charged on Friday") + evidence(
        "plea", "p1", "nowhere", "Halls took a plea deal"))
    coverage = measure(folder)
    notes = [note.render() for note in coverage.notes]
    assert notes == [
        "rust.toml:3: charge 'c1', field 'evidence[0].quote': cites no sentence: it is not "
        "in the article of 'a' (casekb check says more)",
        "rust.toml:6: plea 'p1', field 'evidence[0].quote': cites no sentence: its source is "
        "unknown (casekb check says more)"]
    assert coverage.problems == ()


# -- flags --------------------------------------------------------------------------------

def test_an_uncited_sentence_with_cues_is_flagged_with_them(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE}, evidence("charge", "c1", "a", "He denied it."))
    found = sentences_of(measure(folder))
    plea = found["Halls took a plea deal and was sentenced to 18 months in jail."]
    assert plea.flagged and plea.unresolved
    assert [str(hit) for hit in plea.cues] == [
        "plea: plea deal", "sentence: sentenced", "amount: 18 months", "sentence: jail"]
    assert [str(hit) for hit in found["Baldwin was charged on Thursday."].cues] == [
        "charge: charged", "date: Thursday"]
    assert not found["Photo via Getty"].flagged  # no cue
    assert not found["He denied it."].flagged  # cited, though it has a cue
    assert found["He denied it."].cues


@pytest.mark.parametrize("sentence, cues", [
    ("Rourke wrote in January 2023 that it was wrong.",
     ["statement: wrote", "date: January 2023"]),
    ("The 64-year-old actor met his lawyers yesterday.", ["trial: lawyers", "date: yesterday"]),
    ("She could face a $5,000 fine and a six-month term.",
     ["amount: $5,000", "sentence: fine", "amount: six-month"]),
    ("Halls entered a plea of no contest.", ["plea: plea", "plea: no contest"]),
    ("It was \u201ca terrible miscarriage\u201d of the show.",
     ["statement: words in quotation marks"]),
    ("The 'Rust' set was quiet all day long.", []),
])
def test_cues(tmp_path, sentence, cues):
    folder = folder_with(tmp_path, {"a": sentence + "\n"})
    assert [str(hit) for hit in sentences_of(measure(folder))[sentence].cues] == cues


def test_an_ignore_entry_excuses_the_sentences_it_overlaps_with_its_reason(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE}, evidence("charge", "c1", "a", "He denied"),
                         ignore='''\
        [[ignore]]
        source = "a"
        text = "The jury met. Photo via Getty Halls took"
        reason = "Told better elsewhere."
        ''')
    coverage = measure(folder)
    found = sentences_of(coverage)
    assert found["The jury met."].ignored == "Told better elsewhere."
    assert found["The jury met."].flagged and not found["The jury met."].unresolved
    plea = found["Halls took a plea deal and was sentenced to 18 months in jail."]
    assert plea.ignored == "Told better elsewhere."
    assert found["Photo via Getty"].ignored is None  # not flagged: nothing to excuse
    assert found["Baldwin was charged on Thursday."].unresolved
    assert coverage.problems == () and coverage.notes == ()
    summary = coverage.articles[0].summary
    assert (summary.sentences, summary.cited, summary.flagged, summary.ignored,
            summary.unresolved) == (5, 1, 3, 2, 1)


def test_an_ignore_entry_that_excuses_nothing_is_a_note(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE}, evidence("charge", "c1", "a", "He denied"),
                         ignore='[[ignore]]\nsource = "a"\ntext = "Photo via Getty"\n'
                                'reason = "A caption."\n')
    assert [note.render() for note in measure(folder).notes] == [
        "coverage-ignore.toml:3: ignore #1, field 'text': covers no flagged sentence (each "
        "sentence it covers is cited, or shows no legal fact): the entry is not needed"]


@pytest.mark.parametrize("entry, expected", [
    ('source = "a"\ntext = "The jury sat."\nreason = "x"',
     "coverage-ignore.toml:3: ignore #1, field 'text': not found in the article of source 'a' "
     "(articles/000.txt): 'The jury sat.'"),
    ('source = "b"\ntext = "The jury met."\nreason = "x"',
     "coverage-ignore.toml:2: ignore #1, field 'source': unknown source 'b'"),
    ('source = "a"\ntext = "The jury met."\nreason = "  "',
     "coverage-ignore.toml:4: ignore #1, field 'reason': must not be empty: say why the "
     "sentence is left uncited"),
    ('source = "a"\ntext = "The jury met."\nreason = "x"\nreasn = "y"',
     "coverage-ignore.toml:5: ignore #1, field 'reasn': unknown field 'reasn'"),
    ('source = "a"\ntext = "The jury met."',
     "coverage-ignore.toml:1: ignore #1, field 'reason': missing required field 'reason'"),
    ('source = "a"\ntext = "jury"\nreason = "x"',
     "coverage-ignore.toml:3: ignore #1, field 'text': the text 'jury' is too short"),
    ('source = "a"\ntext = 5\nreason = "x"',
     "coverage-ignore.toml:3: ignore #1, field 'text': must be a string, not an integer"),
])
def test_a_bad_ignore_entry_is_a_problem_and_excuses_nothing(tmp_path, entry, expected):
    folder = folder_with(tmp_path, {"a": ARTICLE}, ignore=f"[[ignore]]\n{entry}\n")
    coverage = measure(folder)
    assert len(coverage.problems) == 1
    assert coverage.problems[0].render().startswith(expected)
    assert not coverage.ok
    assert all(s.ignored is None for s in coverage.articles[0].sentences)


def test_a_stale_entry_gets_the_closest_passage_as_a_hint(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE}, ignore=(
        '[[ignore]]\nsource = "a"\ntext = "Halls took a plea bargain and was sentenced"\n'
        'reason = "x"\n'))
    rendered = measure(folder).problems[0].render()
    assert "hint: the closest passage of the article reads 'Halls took a plea deal and was " \
           "sentenced'" in rendered


def test_broken_toml_is_a_problem_with_its_position_and_the_rest_is_measured(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE}, evidence("charge", "c1", "a", "He denied"),
                         ignore='[[ignore]]\nsource = "a"\ntext = \n')
    (folder / "more.toml").write_text('[[plea]]\nid = "p1\n', encoding="utf-8")
    coverage = measure(folder)
    rendered = [problem.render() for problem in coverage.problems]
    assert rendered[0].startswith("coverage-ignore.toml:3:8: not valid TOML")
    assert rendered[1].startswith("more.toml:2:")
    assert "not valid TOML" in rendered[1]
    assert sentences_of(coverage)["He denied it."].cited_by == ("charge:c1",)


def test_an_article_that_cannot_be_read_is_a_problem(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE, "b": "x"})
    (folder / "articles" / "001.txt").write_bytes(b"caf\xe9\n")
    coverage = measure(folder)
    assert [p.render() for p in coverage.problems] == [
        "sources.toml:7: source 'b', field 'file': the article 'articles/001.txt' is not "
        "UTF-8 text (byte 0xe9 on its line 1)\n  hint: convert the article to UTF-8"]
    assert [a.source for a in coverage.articles] == ["a"]


def test_a_source_without_a_usable_file_is_a_problem(tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE})
    with open(folder / "sources.toml", "a", encoding="utf-8") as sources:
        sources.write('[[source]]\nid = "b"\nfile = 5\n[[source]]\nid = "c"\n'
                      'file = "../articles/000.txt"\n')
    coverage = measure(folder)
    assert [p.render() for p in coverage.problems] == [
        "sources.toml:6: source 'b', field 'file': the source names no article file "
        '(file = "articles/...")',
        "sources.toml:9: source 'c', field 'file': '../articles/000.txt' is not a path inside "
        "the curated folder\n  hint: give the article's path relative to the folder"]
    assert [a.source for a in coverage.articles] == ["a"]


# -- the command --------------------------------------------------------------------------

def _numbers(line: str) -> tuple[int, ...]:
    match = re.search(r"(\d+) sentences?, (\d+) cited(?: \(\d+%\))?; (\d+) flagged: (\d+) "
                      r"ignored, (\d+) unresolved", line)
    assert match, line
    return tuple(int(n) for n in match.groups())


POOL = ["The jury met.", "He said so.", "Photo via Getty", "Baldwin was charged in 2023.",
        "It rained.", "She got a $500 fine.", "Nothing happened."]


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.tuples(st.sampled_from(POOL), st.booleans(), st.booleans()),
                         min_size=1, max_size=5), min_size=1, max_size=3),
       st.booleans())
def test_the_formats_give_the_same_numbers(run_cli, tmp_path_factory, paragraphs, only):
    """Articles made of sentences of POOL, each cited or not and ignored or not: the table,
    Markdown and JSON give the same counts, and the exit status says whether any flagged
    sentence is unresolved."""
    tmp_path = tmp_path_factory.mktemp("formats")
    articles, records, ignores = {}, [], []
    for number, paragraph in enumerate(paragraphs):
        source = f"s{number}"
        articles[source] = " ".join(text for text, _, _ in paragraph) + "\n"
        for index, (text, cited, ignored) in enumerate(paragraph):
            if cited:
                records.append(evidence("event", f"e{number}-{index}", source, text))
            elif ignored:
                ignores.append(f'[[ignore]]\nsource = "{source}"\ntext = {json.dumps(text)}\n'
                               f'reason = "r"\n')
    folder = folder_with(tmp_path, articles, "\n".join(records), "\n".join(ignores))
    argv = ["coverage", folder] + (["--flagged"] if only else [])
    table = run_cli(*argv)
    markdown = run_cli(*argv, "--format", "markdown")
    data = json.loads(run_cli(*argv, "--format", "json").out)
    from_table = [_numbers(line) for line in table.out.splitlines()
                  if line.startswith("s") and "(articles/" in line.split(":")[0]]
    from_markdown = [_numbers(line) for line in markdown.out.splitlines()
                     if re.match(r"\d+ sentence", line)]
    from_json = [tuple(a["summary"][k] for k in ("sentences", "cited", "flagged", "ignored",
                                                 "unresolved")) for a in data["articles"]]
    assert from_table == from_markdown == from_json and len(from_json) == len(articles)
    totals = tuple(data["totals"][k] for k in ("sentences", "cited", "flagged", "ignored",
                                               "unresolved"))
    assert totals == tuple(map(sum, zip(*from_json)))
    assert _numbers(table.out.splitlines()[-1]) == totals
    assert _numbers(markdown.out.splitlines()[-1]) == totals
    for article in data["articles"]:  # the counts are those of the sentences listed
        listed = article["sentences"]
        if not only:
            assert article["summary"]["sentences"] == len(listed)
            assert article["summary"]["cited"] == sum(1 for s in listed if s["cited_by"])
        assert article["summary"]["unresolved"] == sum(
            1 for s in listed if s["flagged"] and s["ignored"] is None)
    expected = 1 if totals[4] else 0
    assert table.code == markdown.code == expected, table.err


def test_exit_status_and_messages(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE})
    flagged = run_cli("coverage", folder)
    assert flagged.code == 1
    assert flagged.err.strip().endswith("4 flagged sentences are neither cited nor ignored")
    (folder / IGNORE).write_text(
        '[[ignore]]\nsource = "a"\ntext = "Baldwin was charged on Thursday. He denied it. '
        'The jury met. Photo via Getty Halls took"\nreason = "a test"\n', encoding="utf-8")
    clean = run_cli("coverage", folder)
    assert clean.code == 0 and clean.err == ""
    assert run_cli("coverage", folder, "--format", "xml").code == 2
    unknown = run_cli("coverage", folder, "--source", "b")
    assert unknown.code == 2 and unknown.err.startswith(f"no source 'b' in {folder}")
    missing = run_cli("coverage", tmp_path / "nowhere")
    assert missing.code == 1
    assert f"{tmp_path / 'nowhere'}: the curated data folder does not exist" in missing.err
    assert "Traceback" not in missing.err + unknown.err


def test_a_broken_file_is_reported_not_raised(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE}, '[[charge]]\nid = "c1\n')
    result = run_cli("coverage", folder, "--format", "json")
    assert result.code == 1
    assert f"{folder}/rust.toml:2:" in result.err and "not valid TOML" in result.err
    assert "the coverage may be incomplete" in result.err
    data = json.loads(result.out)
    assert data["problems"][0]["file"] == "rust.toml"
    assert data["problems"][0]["path"] == f"{folder}/rust.toml"


def test_flagged_and_source_choose_what_is_listed(run_cli, tmp_path):
    folder = folder_with(tmp_path, {"a": ARTICLE, "b": "Nothing happened here.\n"},
                         evidence("charge", "c1", "a", "He denied"))
    data = json.loads(run_cli("coverage", folder, "--format", "json", "--flagged").out)
    assert [s["text"] for s in data["articles"][0]["sentences"]] == [
        "Baldwin was charged on Thursday.", "The jury met.",
        "Halls took a plea deal and was sentenced to 18 months in jail."]
    assert data["articles"][1]["sentences"] == []
    assert data["articles"][0]["summary"]["sentences"] == 5
    table = run_cli("coverage", folder, "--flagged").out
    assert "He denied it." not in table and "The jury met." in table
    only_b = run_cli("coverage", folder, "--source", "b")
    assert only_b.code == 0
    assert only_b.out.startswith("b (articles/001.txt): 1 sentence, 0 cited (0%)")
    assert "articles/000.txt" not in only_b.out


def test_a_long_sentence_is_wrapped_in_the_table(run_cli, tmp_path):
    sentence = "Baldwin was charged " + "and charged again " * 10 + "on Thursday."
    folder = folder_with(tmp_path, {"a": sentence + "\n"})
    table = run_cli("coverage", folder).out
    assert max(len(line) for line in table.splitlines()) < 150
    assert "charged again" in table


def test_the_bundled_seeds_are_the_default(run_cli, seeds_dir):
    data = json.loads(run_cli("coverage", "--format", "json").out)
    assert data["folder"] == str(seeds_dir)
    assert len(data["articles"]) == 5


def test_a_source_that_is_not_text_is_a_usage_error(run_cli, tmp_path):
    result = run_cli("coverage", folder_with(tmp_path, {"a": ARTICLE}), "--source", "a\udce9")
    assert result.code == 2
    assert "holds bytes that are not UTF-8 text" in result.err


def test_progress_is_drawn_on_a_terminal_only(seeds_dir, tmp_path):
    from test_progress import _cli

    on_terminal = _cli("coverage", str(seeds_dir), tty=True, tmp_path=tmp_path)
    assert "coverage: reading 1/" in on_terminal and "coverage: articles 1/5" in on_terminal
    piped = _cli("coverage", str(seeds_dir), tty=False, tmp_path=tmp_path)
    assert "\r" not in piped and "reading" not in piped


def test_mutated_folders_are_measured_without_an_exception(curated_folder, tmp_path):
    """The mutations of the folder fuzzing (bytes of a TOML file, the ignore file's too, a
    field of a record, an article that is a FIFO or a link to /dev/zero, ...): coverage
    returns, or says the folder cannot be used, within seconds each."""
    import random
    import signal

    from test_hostile_fuzz import mutate_folder

    from casekb.errors import CurationError

    (curated_folder / IGNORE).write_text(
        '[[ignore]]\nsource = "gazette-2024-03-01"\ntext = "By Gazette staff"\n'
        'reason = "the by-line"\n', encoding="utf-8")
    rng, failures = random.Random(15), []

    def too_long(signum, frame):
        raise TimeoutError

    previous = signal.signal(signal.SIGALRM, too_long)
    try:
        for number in range(100):
            folder = shutil.copytree(curated_folder, tmp_path / f"f{number}", symlinks=True)
            what = mutate_folder(rng, folder)
            signal.alarm(10)
            try:
                coverage = measure(folder)
                assert all(p.render() for p in coverage.problems + coverage.notes)
            except CurationError as error:
                assert error.render()
            except Exception as error:  # noqa: BLE001 - every failure is collected
                failures.append(f"{number} ({what}): {type(error).__name__}: {error}")
            finally:
                signal.alarm(0)
            shutil.rmtree(folder)
    finally:
        signal.signal(signal.SIGALRM, previous)
    assert failures == []


# -- the Rust case ------------------------------------------------------------------------

def _unresolved(folder: Path) -> list[str]:
    coverage = measure(folder)
    assert coverage.problems == ()
    return [f"{a.source} {s.line}:{s.column} {s.text!r} ({', '.join(map(str, s.cues))})"
            for a in coverage.articles for s in a.sentences if s.unresolved]


def test_every_flagged_sentence_of_the_bundled_seeds_is_cited_or_ignored(seeds_dir):
    assert _unresolved(seeds_dir) == []
    coverage = measure(seeds_dir)
    # Every entry of the ignore file is needed, and every quote cites a sentence.
    assert coverage.notes == (), [note.render() for note in coverage.notes]
    ignored = [s for a in coverage.articles for s in a.sentences if s.ignored]
    assert ignored and all(s.flagged for s in ignored)
