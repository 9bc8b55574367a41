"""A new text of a shape asked before, answered without parsing it (casekb/plan/masked.py).

The property that matters: whatever a text of a known mask is, the answer (its rows, or the
error it gets) is what the full path gives with the cache off; and when every value of the
text converts and every name names someone, the parser is not used. Texts are generated from
the store's own values (tests/test_metamorphic.py's conditions), then given other values of
the same mask: other strings (quotes, backslashes, `--`, digits inside), other digits.
"""

from __future__ import annotations

import os
import re
from contextlib import contextmanager
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_metamorphic import EXAMPLES, Store, _entities, _values_held, conditions
from test_plan_cache import _asked_in_a_new_process

import casekb
from casekb.errors import CaseKBError
from casekb.lang import parser as parser_module
from casekb.lang.literals import STRING
from casekb.plan import masked

REPO = Path(__file__).resolve().parent.parent
SETTINGS = settings(max_examples=EXAMPLES, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow, HealthCheck.data_too_large])


@pytest.fixture(scope="module")
def rust(rust_db):
    with casekb.open(str(rust_db)) as kb:
        yield Store(kb, _values_held(kb))


@contextmanager
def _cache_off():
    saved = os.environ.get("CASEKB_QUERY_CACHE")
    os.environ["CASEKB_QUERY_CACHE"] = "0"
    try:
        yield
    finally:
        if saved is None:
            del os.environ["CASEKB_QUERY_CACHE"]
        else:
            os.environ["CASEKB_QUERY_CACHE"] = saved


def _outcome(kb, text):
    try:
        result = kb.query(text)
    except CaseKBError as error:
        return ("error", type(error).__name__, error.message, getattr(error, "span", None))
    return ("rows", result.rows, result.evidence, result.marks, result.truncated,
            result.matched)


def _parses(kb, text, monkeypatch) -> tuple[tuple, bool]:
    """The outcome of asking `text`, and whether the parser was used."""
    used = []
    real = parser_module.parse

    def counting(*args, **kwargs):
        used.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(parser_module, "parse", counting)
    try:
        return _outcome(kb, text), bool(used)
    finally:
        monkeypatch.setattr(parser_module, "parse", real)


# What a string may hold in a generated text: letters, spaces, digits, `--`, and the two
# escapes (\" and \\); never a bare quote, which would end the string and change the mask.
_STRING_PART = st.sampled_from(["a", "B", " ", "é", "7", "--", "\\\"", "\\\\", "'", "%", "_",
                                "\\n", "x"])


@st.composite
def _same_mask(draw, text: str, names: list[str]) -> str:
    """Another text of `text`'s mask: each string's contents and each digit redrawn."""
    pieces, last = [], 0
    for found in STRING.finditer(text):
        pieces.append(re.sub("[0-9]", lambda _: str(draw(st.integers(0, 9))),
                             text[last:found.start()]))
        if draw(st.booleans()) and names:  # a name the store has, or anything
            inner = draw(st.sampled_from(names)).replace("\\", "\\\\").replace('"', '\\"')
        else:
            inner = "".join(draw(st.lists(_STRING_PART, max_size=6)))
        pieces.append(f'"{inner}"')
        last = found.end()
    pieces.append(re.sub("[0-9]", lambda _: str(draw(st.integers(0, 9))), text[last:]))
    return "".join(pieces)


def _resolved(text):
    from casekb.lang.resolve import resolve

    return resolve(parser_module.parse(text), text)


def _recipe(text):
    return masked.recipe(text, _resolved(text), masked.mask(text))


@SETTINGS
@given(data=st.data())
def test_a_new_text_of_a_known_mask_answers_as_the_full_path(rust, data, monkeypatch):
    kb = rust.kb
    entity = data.draw(_entities())
    condition, field = data.draw(conditions(rust, entity))
    tail = data.draw(st.sampled_from(["", " limit 3", f" order by {field.name} desc",
                                      " as of 2023-06" if entity.as_of else ""]))
    first = f"{entity.name} where {condition}{tail}"
    names = rust.held.get(("people", "name"), []) + rust.held.get(("cases", "title"), [])
    other = data.draw(_same_mask(first, names))
    assert masked.mask(other).key == masked.mask(first).key

    with _cache_off():
        expected = _outcome(kb, other)
    if _outcome(kb, first)[0] != "rows":
        return  # only an answered text records its mask
    got, parsed = _parses(kb, other, monkeypatch)
    assert got == expected, (first, other)
    recipe = _recipe(first)
    if recipe is not None:  # read back from its own text, the recipe gives the text's values
        assert masked.values_of(first, masked.mask(first), recipe) == _resolved(first).given
    fast = (recipe is not None and got[0] == "rows"
            and masked.values_of(other, masked.mask(other), recipe) is not None)
    assert parsed is not fast, (first, other, recipe)


def test_the_mask_hides_strings_and_digits_only():
    text = 'charges where defendant = "Alec \\"B\\" 2" and filed >= 2023-01 limit 15'
    found = masked.mask(text)
    assert found.key == 'charges where defendant = "" and filed >= 0000-00 limit 00'
    assert found.strings == [(26, 40)] and text[26:40] == '"Alec \\"B\\" 2"'
    offset = found.key.index("0000-00")
    assert text[found.text_offset(offset):found.text_offset(offset + 7)] == "2023-01"
    assert found.text_offset(found.key.index('""')) == 26  # where the string starts
    assert found.mask_offset(text.index("2023-01")) == offset
    assert masked.mask("charges where id = \x00") is None  # no query: the full path says why


@pytest.mark.parametrize("text", [
    'charges where defendant = "Alec Baldwin" -- asked on 2024-03-01',  # a digit in a comment
    'charges where defendant = "Alec Baldwin" -- "a string in a comment"',
])
def test_a_mask_that_hides_more_than_values_is_not_kept(rust_db, text):
    with casekb.open(str(rust_db)) as kb:
        assert kb.query(text).rows
    assert _recipe(text) is None
    plain = 'charges where defendant = "Alec Baldwin"'
    assert _recipe(plain) == [["string", 0, "text"]]


def test_a_string_value_is_unescaped_as_the_parser_does():
    first = 'people where name = "Alec Baldwin"'
    recipe = _recipe(first)
    other = 'people where name = "a \\"b\\" \\\\ c\\d"'
    assert masked.values_of(other, masked.mask(other), recipe) == \
        _resolved(other).given == ('a "b" \\ c\\d',)


def test_booleans_and_vocabularies_are_replayed(rust_db, monkeypatch):
    first = 'charges where in_force = true and status in ("pending", "dismissed")'
    recipe = _recipe(first)
    assert recipe[0] == ["same", True]
    assert recipe[1][:3] == ["string", 0, "enum"] and "convicted" in recipe[1][3]
    with casekb.open(str(rust_db)) as kb:
        kb.query(first)
        got, parsed = _parses(kb, 'charges where in_force = true and status in '
                                  '("convicted", "pending")', monkeypatch)
        assert not parsed and got[0] == "rows"
        # A word outside the vocabulary: the full path, and its error with a suggestion.
        got, parsed = _parses(kb, 'charges where in_force = true and status in '
                                  '("convicted", "pendin")', monkeypatch)
        assert parsed and got[:2] == ("error", "QueryError")
        assert "not a status value" in got[2]


@pytest.mark.parametrize("other, converts, words", [
    ('pleas where entered = 2023-13 and defendant = "Alec Baldwin"', False, "no month 13"),
    ('pleas where entered = 2023-02 and defendant = "Alec Bladwin"', True, "no person called"),
])
def test_a_value_that_does_not_convert_or_names_nobody_gets_the_full_paths_error(
        rust_db, monkeypatch, other, converts, words):
    first = 'pleas where entered = 2024-01 and defendant = "David Halls"'
    assert masked.mask(other).key == masked.mask(first).key  # the mask path is tried
    values = masked.values_of(other, masked.mask(other), _recipe(first))
    assert (values is not None) is converts
    with casekb.open(str(rust_db)) as kb:
        kb.query(first)
        got, parsed = _parses(kb, other, monkeypatch)
        with _cache_off():
            expected = _outcome(kb, other)
    assert parsed and got == expected and got[0] == "error" and words in got[2]


def test_a_new_process_answers_a_new_text_of_a_known_mask_without_the_language(rust_db,
                                                                               tmp_path):
    def ask(text, **extra):
        return _asked_in_a_new_process(rust_db, tmp_path, text, (
            "casekb.lang.parser", "casekb.lang.resolve", "sqlalchemy"), **extra)

    first, loaded = ask('charges where defendant = "Alec Baldwin" and filed >= 2023 limit 5')
    assert loaded == [True, True, True] and first
    other = 'charges where defendant = "Hannah Gutierrez-Reed" and filed >= 2022 limit 9'
    fast, loaded = ask(other)
    assert loaded == [False, False, False]
    off, _ = ask(other, CASEKB_QUERY_CACHE="0")
    assert fast == off and fast != first


def test_the_string_pattern_is_the_grammars():
    grammar = (REPO / "grammar" / "casekb.lark").read_text(encoding="utf-8")
    declared = re.search(r"^STRING: /(.*)/$", grammar, re.MULTILINE).group(1)
    assert STRING.pattern == declared


@pytest.mark.postgres
def test_on_postgresql_a_new_text_of_a_known_mask_answers_as_the_full_path(
        pg_server, seeds_dir, monkeypatch):
    from casekb.build.builder import build_store

    url = pg_server.store_url("masked")
    build_store(seeds_dir, url)
    pairs = [('charges where defendant = "Alec Baldwin" and filed >= 2023 limit 5',
              'charges where defendant = "Hannah Gutierrez-Reed" and filed >= 2022 limit 9'),
             ('penalties where amount >= 6 months', 'penalties where amount >= 1 months'),
             ('count charges where status = "pending" by defendant',
              'count charges where status = "dismissed" by defendant')]
    with casekb.open(url) as kb:
        for first, other in pairs:
            kb.query(first)
            with _cache_off():
                expected = _outcome(kb, other)
            got, parsed = _parses(kb, other, monkeypatch)
            assert got == expected and got[0] == "rows" and not parsed, other


def test_a_recipe_is_the_same_read_back_from_its_file():
    import json

    from casekb.plan.cache import Shaped

    first = 'charges where status in ("pending", "dismissed") and counts >= 2 and in_force = yes'
    kept = Shaped("plan", "schema", _recipe(first))
    assert Shaped.from_json(json.loads(json.dumps(kept.to_json()))) == kept


def test_numbers_of_many_digits_are_read_by_their_value(rust_db):
    with casekb.open(str(rust_db)) as kb:
        assert kb.query("charges where counts = " + "0" * 5000 + "2").rows == \
            kb.query("charges where counts = 2").rows
        with pytest.raises(casekb.errors.QueryError, match="too large a number"):
            kb.query("charges where counts = " + "9" * 5000)


def test_values_are_found_on_any_line():
    from casekb.errors import offset_of, span_at

    text = 'charges\n  where defendant = "Alec Baldwin"\r\n\tand filed >= 2023 -- a note\n limit 4'
    for offset in range(len(text)):
        assert offset_of(text, span_at(text, offset)) == offset
    recipe = _recipe(text)
    assert [slot[0] for slot in recipe] == ["string", "text", "text"]
    assert masked.values_of(text, masked.mask(text), recipe) == _resolved(text).given
