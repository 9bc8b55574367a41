"""The command line builds only the parsers of the command that runs: the map of commands to
the modules that add them (casekb.cli.COMMAND_MODULES) must say what the modules really add,
and a command parsed alone must parse as it does among all the others."""

from __future__ import annotations

import argparse
import importlib

import pytest

from casekb.cli import COMMAND_MODULES, build_parser

ALL_COMMANDS = [command for commands in COMMAND_MODULES.values() for command in commands]


def _commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [subparsers] = [action for action in parser._actions
                    if isinstance(action, argparse._SubParsersAction)]
    return dict(subparsers.choices)


@pytest.mark.parametrize("module", COMMAND_MODULES)
def test_each_module_adds_exactly_the_commands_the_map_names(module):
    parser = argparse.ArgumentParser()
    subparsers = parser.add_subparsers()
    importlib.import_module(module).register(subparsers)
    assert sorted(_commands(parser)) == sorted(COMMAND_MODULES[module])


def test_the_full_parser_has_every_command_once():
    assert len(ALL_COMMANDS) == len(set(ALL_COMMANDS))
    assert sorted(_commands(build_parser())) == sorted(ALL_COMMANDS)


@pytest.mark.parametrize("command", ALL_COMMANDS)
def test_a_command_parsed_alone_parses_as_among_all(command):
    alone = _commands(build_parser(command))
    assert list(alone) == [name for name in ALL_COMMANDS
                           if name in COMMAND_MODULES[_module_of(command)]]
    everything = _commands(build_parser())
    assert alone[command].format_help() == everything[command].format_help()


def test_an_unknown_command_lists_every_command(capsys):
    with pytest.raises(SystemExit):
        build_parser("qurey").parse_args(["qurey"])
    error = capsys.readouterr().err
    assert "invalid choice: 'qurey'" in error
    assert all(command in error for command in ALL_COMMANDS)


def _module_of(command: str) -> str:
    return next(name for name, commands in COMMAND_MODULES.items() if command in commands)


def test_an_unknown_argument_is_said_with_the_commands_own_usage(run_cli):
    result = run_cli("describe", "charges", "extra")
    assert result.code == 2
    assert result.err.startswith("usage: casekb describe ")
    assert "casekb describe: error: unrecognized arguments: extra" in result.err
    result = run_cli("--bogus")
    assert result.code == 2 and "casekb: error: unrecognized arguments: --bogus" in result.err
