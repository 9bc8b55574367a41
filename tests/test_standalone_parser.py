"""The generated parser (casekb/lang/_standalone_parser.py) and the grammar it comes from.

The module must say what grammar/casekb.lark says: it was generated from this text of the
grammar, and its terminals, rules and options are those lark reads from the grammar now. When
the grammar is edited, these tests fail until `python -m casekb.lang.generate_parser` is run.
At run time nothing imports lark itself: parsing, syntax errors and the REPL's completion all
go through the generated module.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from casekb.lang import generate_parser
from casekb.lang.parser import lark_parser

pytest.importorskip("lark", reason="checking the generated parser needs lark")

REGENERATE = "run: python -m casekb.lang.generate_parser"


@pytest.fixture(scope="module")
def grammar() -> str:
    return generate_parser.grammar_text()


@pytest.fixture(scope="module")
def module():
    return generate_parser.load_module()


def test_the_module_was_generated_from_this_grammar(grammar, module):
    assert module.GRAMMAR_SHA256 == generate_parser.grammar_digest(grammar), REGENERATE


def test_the_module_reads_text_as_the_grammar_says(grammar, module):
    fresh = generate_parser.signature(generate_parser.lark_from_grammar(grammar))
    generated = generate_parser.signature(module.Lark_StandAlone())
    for part in fresh:
        assert generated[part] == fresh[part], f"the generated {part} differ; {REGENERATE}"


def test_the_parser_in_use_is_the_generated_one(module):
    assert generate_parser.signature(lark_parser()) == \
        generate_parser.signature(module.Lark_StandAlone())
    assert type(lark_parser()).__module__ == "casekb.lang._standalone_parser"


@pytest.mark.parametrize("edit", [
    ("_LIMIT.2: /limit(?!\\w)/i", "_LIMIT.2: /limits?(?!\\w)/i"),  # a terminal's pattern
    ("where: _WHERE condition", "where: _WHERE condition+"),  # a rule
])
def test_an_edited_grammar_is_told_apart(grammar, module, edit):
    old, new = edit
    assert old in grammar
    edited = grammar.replace(old, new)
    problems = generate_parser.disagreements(edited, module)
    assert "it was generated from another text of the grammar" in problems
    assert any(problem.startswith("its ") for problem in problems)  # by meaning, not bytes
    assert generate_parser.disagreements(grammar, module) == []


def test_the_digest_ignores_line_endings(grammar):
    assert generate_parser.grammar_digest(grammar.replace("\n", "\r\n")) == \
        generate_parser.grammar_digest(grammar)


def test_check_command_agrees():
    result = subprocess.run([sys.executable, "-m", "casekb.lang.generate_parser", "--check"],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "matches the grammar" in result.stdout


def test_parsing_errors_and_completion_do_not_import_lark():
    script = (
        "import sys\n"
        "from casekb.errors import QueryError\n"
        "from casekb.lang.parser import parse\n"
        "from casekb.repl.completion import Completer\n"
        "from casekb.repl.statements import query_status\n"
        "parse('charges where defendant = \"Alec Baldwin\" show offense')\n"
        "try:\n"
        "    parse('charges wher status = \"pending\"')\n"
        "except QueryError as error:\n"
        "    print('error:', error.expected[:1])\n"
        "print(query_status('charges where'))\n"
        "print(Completer().complete('charges wh').candidates)\n"
        "print(sorted(m for m in sys.modules if m == 'lark' or m.startswith('lark.')))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    error, status, completed, imported = result.stdout.splitlines()
    assert error.startswith("error: [")
    assert status == "Status.INCOMPLETE"
    assert completed == "('where',)"
    assert imported == "[]"


def test_plans_are_keyed_on_the_generated_module():
    from casekb.plan.cache import code_stamp

    stamped = {stamp[0] for stamp in code_stamp()}
    assert {"_standalone_parser.py", "casekb.lark"} <= stamped


def test_the_module_does_not_import_logging():
    """Its logger is a silent stand-in (importing `logging` cost ~4 ms of start-up)."""
    result = subprocess.run(
        [sys.executable, "-c", "import sys, casekb.lang._standalone_parser as m; "
         "m.logger.warning('not shown %s', 1); print('logging' in sys.modules)"],
        capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("False\n", "")
