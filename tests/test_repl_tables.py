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
    """Every word the table may show: each value's words, and their pieces after a hyphen
    between letters (`Gutierrez-` / `Reed`), where wrapping may break them."""
    from casekb.render import cell_text

    words = set(result.column_names)
    for row in result.rows:
        for value in row:
            for word in cell_text(value).split():
                words.add(word)
                words.update(re.split(r"(?<=[^\W\d_]{2}-)(?=[^\W\d_])", word))
    return words


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("entity", ENTITIES)
def test_the_usual_entities_are_tables_that_fit(engine, entity, width):
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
            if set(token) <= set("+-=|"):
                continue  # a rule
            assert token in allowed, f"{entity} at {width}: {token!r} is a broken word"


def test_the_widest_text_column_gives_way_first(engine):
    text, _, _ = _shown(engine, "charges", 110)
    assert "| Alec Baldwin " in text  # the defendant keeps its whole name on one line
    natural, _, _ = _shown(engine, "charges", 140)
    assert "involuntary manslaughter" in natural  # room enough: nothing wraps


def test_a_table_that_cannot_fit_is_shown_as_records(engine):
    text, note, _ = _shown(engine, "charges", 40)
    assert text.startswith("-[ row 1 ]")
    assert "as records" in note
