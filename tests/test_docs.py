"""Every command of the CLI, and every entity of the language, is documented in the README."""

import argparse
import re
from pathlib import Path

from casekb.cli import build_parser
from casekb.lang import registry

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return sorted(actions[0].choices)


def test_there_are_commands_to_document():
    assert {"query", "build", "check", "sql", "report", "repl"} <= set(_commands())


def test_every_command_is_in_the_readme_command_table():
    table = README.split("## Commands", 1)[1].split("\n## ", 1)[0]
    missing = [name for name in _commands() if f"`casekb {name}" not in table]
    assert not missing, f"commands missing from README's command table: {missing}"


def test_every_command_has_help_text():
    parser = build_parser()
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)][0]
    helps = {choice.dest: choice.help for choice in actions._choices_actions}
    assert all(helps.get(name) for name in _commands()), helps


def test_every_entity_and_field_is_in_the_readme_table():
    rows = dict(re.findall(r"^\| (\w+) \| ([\w, ]+) \|$", README, flags=re.MULTILINE))
    entities = list(registry.ENTITIES.values() if isinstance(registry.ENTITIES, dict) else registry.ENTITIES)
    assert len(entities) >= 11
    for entity in entities:
        assert entity.name in rows, f"entity {entity.name} is not in the README's table"
        listed = [f.strip() for f in rows[entity.name].split(",")]
        assert listed == entity.field_names, f"the README's fields of {entity.name}"
        # The README says a query without `show` lists "the first ones".
        shown = list(entity.default_show)
        assert shown == entity.field_names[:len(shown)], entity.name


def test_readme_set_up_commands_match_ci():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    test_command = ci.strip().splitlines()[-1]
    assert test_command in README, "the README's test command and .ci/run have drifted"


def _python_block(starting: str) -> str:
    """The README's ```python block that begins with `starting`."""
    blocks = re.findall(r"^```python\n(.*?)^```$", README, flags=re.MULTILINE | re.DOTALL)
    matching = [block for block in blocks if block.startswith(starting)]
    assert len(matching) == 1, starting
    return matching[0]


def test_the_readme_python_example_shows_the_real_columns_and_rows(rust_kb):
    block = _python_block("import casekb\n")
    query = re.search(r"result = kb\.query\('(.*)'\)", block).group(1)
    shown = re.search(r"result\.column_names\s+# (\[.*?\])", block, flags=re.DOTALL).group(1)
    assert eval(shown.replace("#", "")) == rust_kb.query(query).column_names
    # The raw SQL example names the person as the views hold the name, so it finds rows.
    call = re.search(r'^kb\.sql\((".*?"), who=(".*?")\)$', block, flags=re.MULTILINE)
    assert call, "the README's kb.sql example"
    assert len(rust_kb.sql(eval(call.group(1)), who=eval(call.group(2)))) == 2


def test_the_readme_alias_sql_matches_another_spelling(rust_kb):
    block = _python_block("kb.sql(")
    sql, who = re.search(r'kb\.sql\("""(.*?)""",\s*who="(.*?)"\)', block, flags=re.DOTALL).groups()
    assert who == "Dave Halls"
    assert len(rust_kb.sql(sql, who=who)) == 2
    assert len(rust_kb.sql("SELECT plea FROM v_pleas WHERE defendant = :who", who=who)) == 0


def test_the_readme_sql_command_example_finds_rows(rust_db, run_cli):
    line = next(line for line in README.splitlines()
                if line.startswith("casekb sql ") and "--param who=" in line)
    sql = re.search(r"casekb sql '(.*?)'", line).group(1)
    who = re.search(r'--param who="(.*?)"', line).group(1)
    result = run_cli("sql", sql, "--param", f"who={who}", "--db", rust_db, "-f", "csv")
    assert result.code == 0, result.err
    assert len(result.out.splitlines()) == 3, result.out  # the header and two pleas
