"""The shell's dot commands, in the tradition of `sqlite3`'s: `.help`, `.format csv`, ...

Each command is a `DotCommand`: its name, what its argument is (for the help and for
completion), one line of help, and a function `(session, argument)` that does it through the
session's public methods and settings. A wrong argument raises UsageError, which the session
prints before going on. `run_dot_command` finds the command, suggesting the nearest name for
an unknown one.
"""

from __future__ import annotations

import math
import shlex
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from casekb.errors import UsageError
from casekb.repl.completion import DotArgument

if TYPE_CHECKING:
    from casekb.repl.session import Session

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
ON_OFF = ("on", "off")


@dataclass(frozen=True)
class DotCommand:
    """One dot command."""

    name: str
    usage: str  # how the argument is written, for .help ("" for none)
    help: str
    argument: DotArgument
    run: Callable[[Session, str], None]


def _on_off(argument: str, command: str, current: bool) -> bool:
    word = argument.strip().lower()
    if not word:
        return not current  # `.timer` alone toggles
    if word in ("on", "yes", "true", "1"):
        return True
    if word in ("off", "no", "false", "0"):
        return False
    raise UsageError(f"{command} takes on or off, not {argument.strip()!r}")


def _one_word(argument: str, command: str, what: str) -> str:
    """The single argument of a command (quotes allowed, for paths with spaces)."""
    try:
        words = shlex.split(argument)
    except ValueError as error:
        raise UsageError(f"{command}: {error}") from None
    if len(words) != 1:
        raise UsageError(f"{command} takes {what}", hints=[f"e.g. {COMMANDS[command].usage}"])
    return words[0]


# -- The commands ------------------------------------------------------------------------

def _help(session: Session, argument: str) -> None:
    wanted = argument.strip()
    if wanted:
        name = wanted if wanted.startswith(".") else "." + wanted
        command = find_command(name)
        session.say(f"{command.usage}\n  {command.help}")
        return
    lines = ["Ask questions in casekb's query language, for example:",
             '  charges where defendant = "Alec Baldwin" show offense, status',
             "  count charges by status",
             "A query may run over several lines: it ends when it is complete, or with `;`.",
             'TAB completes keywords, entities, fields, values and names; profile "NAME" and',
             'timeline ["CASE"] show a person or a case as text. Ctrl-C stops a running query',
             "or clears the line; Ctrl-D leaves.", "", "Commands:"]
    width = max(len(c.usage) for c in COMMANDS.values())
    for command in _distinct_commands():
        lines.append(f"  {command.usage:<{width}}  {command.help}")
    session.say("\n".join(lines))


def _entities(session: Session, argument: str) -> None:
    if argument.strip():
        raise UsageError(".entities takes no argument", hints=["use .describe ENTITY"])
    session.describe(None)


def _describe(session: Session, argument: str) -> None:
    session.describe(argument.strip() or None)


def _format(session: Session, argument: str) -> None:
    word = argument.strip().lower()
    if not word:
        session.say(f"format: {session.settings.format}")
        return
    if word not in FORMATS:
        from casekb.lang.registry import nearest

        guess = nearest(word, FORMATS)
        raise UsageError(f"unknown format {argument.strip()!r}; the formats are "
                         + ", ".join(FORMATS),
                         hints=[f"did you mean {guess}?"] if guess else [])
    session.settings.format = word


def _sql(session: Session, argument: str) -> None:
    if not argument.strip():
        raise UsageError(".sql takes an SQL statement", hints=["e.g. .sql SELECT * FROM v_charges"])
    session.run_sql(argument.strip())


def _switch(setting: str, command: str, label: str) -> Callable[[Session, str], None]:
    """The handler of an on/off command (`.timer on`) for one of the session's settings."""
    def handle(session: Session, argument: str) -> None:
        value = _on_off(argument, command, getattr(session.settings, setting))
        setattr(session.settings, setting, value)
        session.say(f"{label}: {'on' if value else 'off'}")
    return handle


def _limit(session: Session, argument: str) -> None:
    word = argument.strip().lower()
    if not word:
        cap = session.settings.cap
        session.say(f"limit: {cap:,} rows" if cap else "limit: off (every row is shown)")
        return
    if word in ("off", "0", "none"):
        session.settings.cap = None
        return
    try:
        cap = int(word.replace(",", ""))
    except ValueError:
        raise UsageError(f".limit takes a number of rows or off, not {argument.strip()!r}") \
            from None
    if cap < 0:
        raise UsageError("the row limit cannot be negative")
    session.settings.cap = cap


def _timeout(session: Session, argument: str) -> None:
    word = argument.strip().lower().removesuffix("s").strip()
    if not word:
        limit = session.settings.sql_timeout
        session.say(f"timeout: {limit:g} s" if limit else "timeout: off")
        return
    if word in ("off", "0", "none"):
        session.settings.sql_timeout = None
        return
    try:
        seconds = float(word)
    except ValueError:
        seconds = math.nan
    # nan and inf are floats too, and either would turn the limit off without a word.
    if not math.isfinite(seconds) or seconds < 0:
        raise UsageError(f".timeout takes a number of seconds, or off, not "
                         f"{argument.strip()!r}")
    session.settings.sql_timeout = seconds or None  # 0.0 is off, as 0 is


def _read(session: Session, argument: str) -> None:
    session.read_file(_one_word(argument, ".read", "one file name"))


def _output(session: Session, argument: str) -> None:
    if not argument.strip():
        session.set_output(None)
        return
    target = _one_word(argument, ".output", "one file name, or stdout")
    session.set_output(None if target in ("stdout", "-") else target)


def _quit(session: Session, argument: str) -> None:
    session.done = True


_COMMAND_LIST = (
    DotCommand(".help", ".help [COMMAND]", "show this help, or a command's",
               DotArgument("choices", ()), _help),
    DotCommand(".entities", ".entities", "list the entities you can ask about",
               DotArgument("none"), _entities),
    DotCommand(".describe", ".describe ENTITY", "an entity's fields, with example values",
               DotArgument("entities"), _describe),
    DotCommand(".format", ".format FORMAT",
               "how results are written: " + ", ".join(FORMATS),
               DotArgument("choices", FORMATS), _format),
    DotCommand(".sql", ".sql SELECT ...", "run read-only SQL on the store (views v_<entity>)",
               DotArgument("none"), _sql),
    DotCommand(".explain", ".explain on|off", "show each query's SQL before its results",
               DotArgument("choices", ON_OFF), _switch("explain", ".explain", "explain")),
    DotCommand(".timer", ".timer on|off", "show how long each statement took",
               DotArgument("choices", ON_OFF), _switch("timer", ".timer", "timer")),
    DotCommand(".headers", ".headers on|off", "write the header row of tables",
               DotArgument("choices", ON_OFF), _switch("header", ".headers", "headers")),
    DotCommand(".limit", ".limit N|off", "show at most N rows of a result (with a note)",
               DotArgument("choices", ("off",)), _limit),
    DotCommand(".timeout", ".timeout SECONDS|off", "the time limit of .sql statements",
               DotArgument("choices", ("off",)), _timeout),
    DotCommand(".read", ".read FILE", "run the statements and commands in FILE",
               DotArgument("files"), _read),
    DotCommand(".output", ".output FILE|stdout", "write results to FILE, or back to the screen",
               DotArgument("files", ("stdout",)), _output),
    DotCommand(".quit", ".quit", "leave (so do .exit and Ctrl-D)", DotArgument("none"), _quit),
    DotCommand(".exit", ".exit", "leave", DotArgument("none"), _quit),
)
COMMANDS: dict[str, DotCommand] = {command.name: command for command in _COMMAND_LIST}


def _distinct_commands() -> list[DotCommand]:
    return [c for c in _COMMAND_LIST if c.name != ".exit"]


def completion_table() -> dict[str, DotArgument]:
    """Each command's argument kind, for casekb.repl.completion."""
    table = {name: command.argument for name, command in COMMANDS.items()}
    table[".help"] = DotArgument("choices", tuple(name[1:] for name in COMMANDS))
    return table


# sqlite3's commands that people type out of habit, and what casekb has for them (the
# nearest name by spelling would be wrong: `.schema` is not `.headers`).
SQLITE3_HABITS = {
    ".schema": ".describe ENTITY lists an entity's fields; `casekb schema` prints the SQL "
               "tables and views",
    ".tables": ".entities lists what you can ask about; .sql SELECT ... reads the views "
               "v_<entity>",
    ".mode": ".format table|csv|tsv|json|jsonl|markdown",
    ".open": "the store is chosen when the shell starts: casekb repl --db PATH",
    ".dump": "`casekb export PATH` writes a standalone copy of the store",
    ".indexes": "`casekb schema` prints the tables, indexes and views",
}


def find_command(name: str) -> DotCommand:
    """The command called `name` (any letter case); UsageError naming the nearest if none,
    or what casekb has for a sqlite3 habit."""
    command = COMMANDS.get(name.lower())
    if command is not None:
        return command
    habit = SQLITE3_HABITS.get(name.lower())
    if habit is not None:
        raise UsageError(f"unknown command {name} (a sqlite3 command)",
                         hints=[habit, ".help lists the commands"])
    from casekb.lang.registry import nearest

    guess = nearest(name.lower(), list(COMMANDS), cutoff=0.5)
    hints = [f"did you mean {guess}?"] if guess else []
    raise UsageError(f"unknown command {name}", hints=hints + [".help lists the commands"])


def run_dot_command(session: Session, line: str) -> None:
    """Run one line that starts with a dot."""
    name, *rest = line.strip().split(None, 1)
    argument = rest[0].strip() if rest else ""
    if name.lower() != ".sql":  # a habit from queries; SQL keeps its own `;`
        argument = argument.removesuffix(";").strip()
    find_command(name).run(session, argument)
