"""casekb/curation/tomlparse.py: tomli when usable, with tomllib's acceptance and messages."""

from __future__ import annotations

import sys
import tomllib
import types

import pytest

from casekb.curation import check_folder, tomlparse

BROKEN = ['x = [1, 2', 'a = "unterminated', "[[charge]]\nid = = 1", 'x = 1\nx = 2', "x = 0x",
          '"a" = \n', "[[a]]\nb = 1979-05-27T", "x = {"]
# TOML 1.1 (tomli 2.4 and later reads it; tomllib up to Python 3.13 does not).
TOML_1_1 = ['a = {x = 1,\n y = 2}', 'a = "\\e"', 't = 07:32', 'a = {x=1,}', 'b = "\\xff"']


def test_tomli_is_used_when_installed():
    tomli = pytest.importorskip("tomli")
    if not (2, 2) <= tuple(int(p) for p in tomli.__version__.split(".")[:2]) < (2, 4):
        pytest.skip(f"tomli {tomli.__version__} is outside the versions casekb uses")
    assert tomlparse.parser_name() == f"tomli {tomli.__version__}"


def test_valid_documents_parse_as_with_tomllib():
    text = '[[case]]\nid = "c1"\ntitle = "State v. Núñez"\nevidence = [\n  { source = "s", ' \
           'quote = "“q”" },\n]\n[[charge]]\ncounts = 2\nfiled = "2023-01"\n'
    assert tomlparse.loads(text) == tomllib.loads(text)


@pytest.mark.parametrize("text", BROKEN + TOML_1_1)
def test_errors_are_tomllibs(text):
    with pytest.raises(tomllib.TOMLDecodeError) as expected:
        tomllib.loads(text)
    with pytest.raises(tomllib.TOMLDecodeError) as raised:
        tomlparse.loads(text)
    assert str(raised.value) == str(expected.value)


def test_a_toml_1_1_file_is_a_problem_as_before(tmp_path):
    (tmp_path / "a.toml").write_text('[[person]]\nid = "p"\nname = "P"\nnote = "\\e"\n')
    [problem] = check_folder(tmp_path).problems
    assert problem.render().startswith("a.toml:4:") and "not valid TOML" in problem.message


def test_a_broken_fast_parser_costs_only_speed(monkeypatch):
    def broken(text):
        raise SystemError("a wheel built for another machine")

    monkeypatch.setattr(tomlparse, "_FAST", types.SimpleNamespace(loads=broken,
                                                                  __version__="2.3.0"))
    assert tomlparse.loads("x = 1") == {"x": 1}
    with pytest.raises(tomllib.TOMLDecodeError, match="at end of document"):
        tomlparse.loads("x = [1")


@pytest.mark.parametrize("version, used", [("2.2.1", True), ("2.3.0", True), ("2.4.0", False),
                                           ("2.0.1", False), ("x", False)])
def test_only_tomli_versions_that_read_toml_1_0_are_used(monkeypatch, version, used):
    monkeypatch.setitem(sys.modules, "tomli", types.SimpleNamespace(__version__=version,
                                                                    loads=tomllib.loads))
    assert (tomlparse._fast_parser() is not None) is used


def test_without_tomli_tomllib_parses(monkeypatch):
    monkeypatch.setitem(sys.modules, "tomli", None)  # `import tomli` raises ImportError
    assert tomlparse._fast_parser() is None
    monkeypatch.setattr(tomlparse, "_FAST", None)
    assert tomlparse.parser_name() == "tomllib"
    assert tomlparse.loads("x = 1") == {"x": 1}
