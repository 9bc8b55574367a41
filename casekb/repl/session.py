"""The shell's session: its settings, the input loop, and answering each statement.

`run_session(db, ...)` is the whole shell. On a terminal it reads lines with readline
(casekb.repl.terminal), shows a prompt (`casekb> `, then `   ...> ` while a query continues)
and keeps going after any error; Ctrl-C stops a running statement or clears the line, and
Ctrl-D leaves. When input is not a terminal (`casekb repl < script`) the same statements are
read without prompts, errors name the script's line, and the exit status says whether all
of them worked.

What a session holds: the store (opened once, when first needed), the settings the dot
commands change (format, row limit, explain, timer, headers, output), and the names of the
store's people and cases for completion (read once, when first completed).
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from casekb import __version__
from casekb.errors import (
    EXIT_BAD_INPUT,
    EXIT_OK,
    CaseKBError,
    QueryError,
    UsageError,
    underline,
)
from casekb.repl.cancel import Cancelled, run_interruptibly
from casekb.repl.statements import Statement, StatementReader, view_parts

if TYPE_CHECKING:
    from casekb.kb import KB
    from casekb.repl.terminal import LineEditor

PROMPT = "casekb> "
CONTINUATION = "   ...> "
INTERACTIVE_CAP = 100  # rows shown before the note; `.limit` changes it
SCRIPT_CAP = 1000  # the same as `casekb query`
SQL_TIMEOUT = 10.0  # seconds, the same as `casekb sql`
MAX_READ_DEPTH = 16  # .read inside .read inside ...: enough for anyone, and no endless loop


@dataclass
class Settings:
    """What the dot commands change."""

    format: str = "table"
    header: bool = True
    explain: bool = False
    timer: bool = False
    cap: int | None = INTERACTIVE_CAP
    sql_timeout: float | None = SQL_TIMEOUT


class Session:
    """One shell session on one store. `out` receives results, `err` messages."""

    def __init__(self, db: str | None, settings: Settings | None = None, *,
                 out: TextIO | None = None, err: TextIO | None = None,
                 interactive: bool = False):
        self.db = db
        self.settings = settings or Settings()
        self.screen = out or sys.stdout
        self.err = err or sys.stderr
        self.interactive = interactive
        self.done = False
        self.failures = 0
        self._kb: KB | None = None
        self._output: TextIO | None = None
        self._names: dict[str, list[str]] = {}
        self._reading: list[Path] = []

    # -- the store ------------------------------------------------------------------------

    def kb(self) -> KB:
        """The store, opened on first use."""
        if self._kb is None:
            from casekb.kb import KB

            self._kb = KB(self.db)
        return self._kb

    def names(self, kind: str) -> list[str]:
        """The names of the store's people ("person") or cases ("case"), every spelling;
        read once per session, for completion. Empty when the store cannot be read."""
        if kind not in self._names:
            self._names[kind] = self._read_names(kind)
        return self._names[kind]

    def _read_names(self, kind: str) -> list[str]:
        entity, name = ("people", "name") if kind == "person" else ("cases", "title")
        try:
            result = self.kb().query(f"{entity} show {name}, aliases", cap=None)
        except CaseKBError:
            return []
        spellings = {spelling for shown, aliases in result.rows for spelling in (shown, *aliases)}
        return sorted(spellings, key=str.casefold)

    def close(self) -> None:
        """Close the output file and the store."""
        self.set_output(None)
        if self._kb is not None:
            self._kb.close()
            self._kb = None

    # -- output ---------------------------------------------------------------------------

    @property
    def out(self) -> TextIO:
        """Where results go: the screen, or the file `.output` named."""
        return self._output or self.screen

    def say(self, text: str) -> None:
        """A message for the user (not a result): always on the screen's error stream."""
        print(text, file=self.err, flush=True)

    def set_output(self, path: str | None) -> None:
        """Send results to the file `path` (replacing it), or back to the screen (None)."""
        if path is not None:
            from casekb.outputs import open_in_place
            from casekb.store.location import locate

            # Never the open store, nor a script being read (casekb/outputs.py).
            inputs = [("the store", locate(self.db).path)]
            inputs += [("the script", script) for script in self._reading]
            handle = open_in_place(path, inputs=inputs)
        if self._output is not None:
            self._output.close()
            self._output = None
        if path is not None:
            self._output = handle

    def _on_screen(self) -> bool:
        from casekb.repl.terminal import is_terminal

        return self._output is None and is_terminal(self.screen)

    def _width(self) -> int:
        from casekb.repl.terminal import terminal_width

        return terminal_width()

    # -- statements -----------------------------------------------------------------------

    def execute(self, statement: Statement, source: str | None = None) -> bool:
        """Answer one statement; print its error instead of raising. `source` names the
        script it came from (None: typed at the prompt). Returns whether it worked."""
        started = time.perf_counter()
        try:
            if statement.kind == "dot":
                from casekb.repl.commands import run_dot_command

                run_dot_command(self, statement.text)
            elif statement.kind == "view":
                self.show_view(statement.text)
            else:
                if statement.continues:
                    self.say("note: continuing the previous query: "
                             + statement.text.replace("\n", "\n  "))
                self.answer(statement.text)
        except (Cancelled, KeyboardInterrupt):
            self.say("cancelled")
            self.failures += 1
            return False
        except CaseKBError as error:
            if statement.not_continued and isinstance(error, QueryError):
                first = statement.not_continued.strip().split("\n", 1)[0]
                error.hints = [f"it does not continue the previous query (`{first}`): that "
                               f"query has this clause already, or the two make no query; "
                               f"type the whole query, e.g. with `and` to add a test"]
            self.say(self._located(error, statement, source))
            self.failures += 1
            return False
        finally:
            if self.settings.timer and statement.kind != "dot":
                self.say(f"run time: {time.perf_counter() - started:.3f} s")
            self.out.flush()
        return True

    def answer(self, text: str) -> None:
        """Answer a statement of the query language."""
        kb = self.kb()
        if self.settings.explain:
            self._show_sql(text)
        cap = self.settings.cap
        self.show(run_interruptibly(lambda: kb.run(text, cap=cap), kb.interrupt))

    def run_sql(self, sql: str) -> None:
        """`.sql`: read-only SQL on the store. It runs in this thread: casekb.sql.access
        stops the statement on Ctrl-C itself, from its own progress handler."""
        from casekb.sql.access import SQLParameterError, SQLTimeout

        try:
            result = self.kb().sql(sql, cap=self.settings.cap, timeout=self.settings.sql_timeout)
        except SQLTimeout as error:  # name the shell's own setting in the hint
            raise SQLTimeout(error.seconds, query=error.query, setting=".timeout") from None
        except SQLParameterError as error:  # .sql has no --param
            raise SQLParameterError(error.message, query=error.query, hints=[
                "in the shell, write the value into the SQL: 'Dave Halls'"]) from None
        self.show(result)
        note = result.size_note()
        if note:
            self.say(note)

    def describe(self, entity: str | None) -> None:
        """`.describe ENTITY` (or `.entities` with None)."""
        kb = self.kb()
        self.show(run_interruptibly(lambda: kb.describe(entity), kb.interrupt))

    def show_view(self, text: str) -> None:
        """`profile NAME` or `timeline [CASE]`."""
        from casekb.profiles.text import (
            TEXT_WIDTH,
            write_json,
            write_profile_text,
            write_timeline_text,
        )

        # A name of bytes that are not UTF-8 is refused by the library (kb.profile).
        word, name = view_parts(text) or ("", None)
        if word == "profile":
            if name is None:
                raise UsageError("whose profile? give a name",
                                 hints=['e.g. profile "Alec Baldwin"'])
            kb = self.kb()
            view = run_interruptibly(lambda: kb.profile(name), kb.interrupt)
            writer = write_profile_text
        else:
            kb = self.kb()
            view = run_interruptibly(lambda: kb.timeline(name), kb.interrupt)
            writer = write_timeline_text
        if self.settings.format in ("json", "jsonl"):
            write_json(view, self.out)
        else:
            writer(view, self.out, width=self._width() if self._on_screen() else TEXT_WIDTH)

    def show(self, outcome: Any) -> None:
        """Write a result (fitted to the terminal when it is a table on the screen) and its
        notes."""
        from casekb.execute.results import QueryResult
        from casekb.lang.describe import Description
        from casekb.render import render

        fmt, header = self.settings.format, self.settings.header
        if isinstance(outcome, QueryResult):
            from casekb.repl.display import write_result

            note = write_result(outcome, fmt, self.out, header=header,
                                width=self._width() if self._on_screen() else None)
            # Raw SQL's rows cut by size get their own note (run_sql), not the cap's.
            if getattr(outcome, "cut_by_cap", outcome.truncated):
                self.say(f"note: {outcome.cap_note()} (`.limit N` raises the limit, "
                         f"`.limit off` shows every row)")
            elif not outcome.rows and fmt in ("table", "markdown"):
                self.say("(no rows)")
            if note:
                self.say(note)
            return
        if isinstance(outcome, Description) and fmt == "table" and self._on_screen():
            from functools import partial

            from casekb.render import write_description
            from casekb.repl.display import write_fitted

            width = self._width()
            write_description(outcome, fmt, self.out, header=header, width=width - 1,
                              fit=partial(write_fitted, width=width))
        else:
            render(outcome, fmt, self.out, header=header)
        examples_note = getattr(outcome, "examples_note", None)
        if examples_note:
            self.say(f"note: {examples_note}")

    def _show_sql(self, text: str) -> None:
        """With `.explain on`: the SQL a query runs, before its results."""
        from casekb.lang import ast
        from casekb.lang.parser import parse

        if isinstance(parse(text), ast.Query):  # explain and describe run no query
            explanation = self.kb().explain(text, cap=self.settings.cap)
            self.out.write(explanation.text + "\n\n")

    def _located(self, error: CaseKBError, statement: Statement, source: str | None) -> str:
        """The error's text; from a script, with the script's name and line."""
        if source is None:
            return error.render()
        if (statement.kind == "query" and isinstance(error, QueryError)
                and error.span is not None and error.query):
            span = error.span
            lines = [f"{source}:{statement.line + span.line - 1}:{span.column}: {error.message}",
                     underline(error.query, span)]
            if error.expected:
                lines.append("expected " + ", ".join(error.expected))
            lines += [f"hint: {hint}" for hint in error.hints]
            return "\n".join(lines)
        return f"{source}:{statement.line}: {error.render()}"

    # -- input ----------------------------------------------------------------------------

    def read_file(self, path: str) -> None:
        """`.read FILE`: run the statements and commands in a file, reporting each error
        with the file's name and line and going on."""
        from casekb.inputs import path_argument, read_lines

        target = path_argument(path, ".read")
        if len(self._reading) >= MAX_READ_DEPTH:
            raise UsageError(f".read is nested more than {MAX_READ_DEPTH} deep (does a file "
                             f"read itself?)")
        try:
            handle = open(target, "rb")
        except OSError as error:
            raise UsageError(f"cannot read {target}: {error.strerror or error}") from None
        self._reading.append(target)
        try:
            # As standard input: line by line, a line that is not UTF-8 skipped with a
            # message, a line longer than inputs.LINE_LIMIT (/dev/zero) stopping the file.
            self.run_lines(read_lines(handle, str(target)), str(path))
        finally:
            self._reading.pop()
            handle.close()

    def run_lines(self, lines, source: str) -> None:
        """Run statements from lines of a script (no prompts), until `.quit` or the end.

        A line may be an InputError instead (casekb.inputs.read_lines: bytes that are not
        UTF-8): it is reported and skipped, as an empty line, and the script goes on."""
        from casekb.inputs import InputError

        reader = StatementReader()
        for line in lines:
            if isinstance(line, InputError):
                self.say(f"{source}:{line.line}: {line.render()}")
                self.failures += 1
                line = ""
            for statement in reader.feed(line.rstrip("\n"), more_may_follow=True):
                self.execute(statement, source)
                if self.done:
                    return
        for statement in reader.finish():
            self.execute(statement, source)

    def interact(self, editor: LineEditor) -> None:
        """The prompt loop, until `.quit` or Ctrl-D."""
        reader = StatementReader()
        editor.context = lambda: reader.pending_text
        while not self.done:
            try:
                line = editor.read(CONTINUATION if reader.pending else PROMPT)
            except EOFError:
                self.screen.write("\n")
                break
            except KeyboardInterrupt:
                # Ctrl-C at the prompt: drop what was typed, and the unfinished query.
                self.screen.write("\n")
                reader.clear()
                continue
            except UnicodeDecodeError as error:  # a terminal that sent bytes not UTF-8
                self.say(f"the line is not UTF-8 text (byte 0x{error.object[error.start]:02x}); "
                         f"it was skipped")
                continue
            try:
                for statement in reader.feed(line):
                    editor.remember(statement.text)
                    self.execute(statement)
                    if self.done:
                        break
            except KeyboardInterrupt:  # between statements: the rest of a paste is dropped
                self.say("cancelled")
                reader.clear()
            self.screen.flush()


def run_session(db: str | None, *, fmt: str | None = None, cap: int | None = -1,
                interactive: bool | None = None) -> int:
    """The shell on the store `db` (None: $CASEKB_DB or the default store). Prompts and
    line editing when input and output are a terminal; otherwise a script is read from
    standard input. `cap` -1 means the mode's default. Returns the exit status."""
    from casekb.repl.terminal import is_interactive

    interactive = is_interactive() if interactive is None else interactive
    if fmt is None:
        from casekb.cli.query_cmds import default_format

        fmt = "table" if interactive else default_format()
    if cap == -1:
        cap = INTERACTIVE_CAP if interactive else SCRIPT_CAP
    session = Session(db, Settings(format=fmt, cap=cap), interactive=interactive)
    try:
        session.kb().connection()  # a store that cannot be opened is said at once
        if not interactive:
            from casekb.inputs import InputError, read_lines

            if sys.stdin is None:  # closed before casekb started (`casekb repl <&-`)
                raise InputError("cannot read the script on standard input: it is closed",
                                 name="standard input")
            # Line by line as it comes, each line at most inputs.LINE_LIMIT bytes.
            session.run_lines(read_lines(sys.stdin, "standard input"), "<stdin>")
            return EXIT_BAD_INPUT if session.failures else EXIT_OK
        _interactive_loop(session)
        return EXIT_OK
    finally:
        session.close()


def _interactive_loop(session: Session) -> None:
    from casekb.repl.commands import completion_table
    from casekb.repl.completion import Completer
    from casekb.repl.terminal import LineEditor, history_path

    completer = Completer(session.names, completion_table())
    editor = LineEditor(completer, history=history_path(), errors=session.err)
    from casekb.store.location import locate

    session.say(f"casekb {__version__} on {locate(session.db).display}\n"
                f"Enter a query (it ends when complete, or with `;`), .help for help, "
                f"Ctrl-D to leave.")
    session.interact(editor)
