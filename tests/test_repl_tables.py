"""The shell's tables at common terminal widths (casekb/repl/display.py): the usual entities
stay tables at 80 columns, text wraps at word boundaries only, and the widest text columns
give way first."""

from __future__ import annotations

import io
import re

import pytest

from casekb.repl.display import write_fitted_table

WIDTHS = (80, 100, 110, 140)
ENTITIES = ("charges", "pleas", "penalties", "events")
# Every entity stays a table at every width; one here would need a reason.
NARROWEST: dict[str, int] = {}


@pytest.fixture(scope="module")
def engine(rust_db):
    import casekb

    with casekb.open(str(rust_db)) as kb:
        yield kb


def _shown(engine, query: str, width: int) -> tuple[str, str | None, object]:
    result = engine.query(query, cap=100)
    out = io.StringIO()
    note = write_fitted_table(result, out, width)
    return out.getvalue(), note, result


def _words(result) -> set[str]:
    """Every word the table may show: each value's words, and their pieces where wrapping
    may break them: after a hyphen that follows letters (`Gutierrez-` / `Reed`) and after
    the slash between a date's bounds (`2021-10-22/` / `2023-01-20`)."""
    from casekb.render import row_texts

    words = set(result.column_names)
    for index in range(len(result.rows)):
        for text in row_texts(result, index):  # values, with their marks ("[inferred]")
            for word in text.split():
                pieces = re.split(r"(?<=[^\W\d_]{2}-)(?=\w)|(?<=\d/)(?=\d|\.)|(?<=\./)(?=\d)",
                                  word)
                words.update("".join(pieces[i:j]) for i in range(len(pieces))
                             for j in range(i + 1, len(pieces) + 1))
    return words


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("entity", ENTITIES)
def test_the_usual_entities_are_tables_that_fit(engine, entity, width):
    if width < NARROWEST.get(entity, 0):
        pytest.skip(f"{entity} are records below {NARROWEST[entity]} columns")
    text, note, _ = _shown(engine, entity, width)
    assert not text.startswith("-[ row 1 ]"), f"{entity} at {width}: shown as records"
    assert note is None or "as records" not in note
    assert max(len(line) for line in text.splitlines()) <= width


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("entity", ENTITIES)
def test_words_are_never_broken(engine, entity, width):
    text, _, result = _shown(engine, entity, width)
    allowed = _words(result)
    for line in text.splitlines():
        for token in re.findall(r"[^\s|]+", line):
            if set(token) <= set("+-=|") or re.fullmatch(r"-\[|row|\d+|\]-+", token):
                continue  # a rule, or a record's ("-[ row 1 ]----")
            assert token in allowed, f"{entity} at {width}: {token!r} is a broken word"


def test_the_widest_text_column_gives_way_first(engine):
    text, _, _ = _shown(engine, "charges", 140)
    assert "| Alec Baldwin " in text  # the defendant keeps its whole name on one line
    assert "| convicted, as last" in text  # the status, widest, wraps
    natural, _, _ = _shown(engine, "charges", 240)
    assert "involuntary manslaughter" in natural  # room enough: nothing wraps
    assert "convicted, as last reported 2024-03-09/2024-03-31" in natural


def test_a_table_that_cannot_fit_is_shown_as_records(engine):
    text, note, _ = _shown(engine, "charges", 40)
    assert text.startswith("-[ row 1 ]")
    assert "as records" in note
