"""The terminal side of the shell: readline and the terminal's size.

`LineEditor` reads lines with the standard library's readline when it is there: line
editing, the TAB key (casekb.repl.completion) and a history that outlives the session, kept in
the user's data directory (`casekb.store.default_home()`, so CASEKB_HOME moves it too). A
multi-line query is remembered as one entry. Without readline (some builds lack it, and it
is useless when input is not a terminal) lines are read plainly and nothing else changes.
"""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casekb.repl.completion import Completer

HISTORY_NAME = "repl_history"
HISTORY_LENGTH = 1000
# Characters that end a word for readline. The completer finds the real start of what is
# being completed itself (a "quoted name" may hold spaces); see LineEditor._complete. Quote
# marks are not among them: GNU readline takes a word that begins after a quote mark as
# quoted, and closes the quote itself after the completion ("Alec Baldwin" ").
WORD_DELIMITERS = " \t\n(),;=<>!~"


def history_path() -> Path:
    """The file holding the shell's history."""
    from casekb.store.location import default_home

    return default_home() / HISTORY_NAME


def is_terminal(stream) -> bool:
    """Whether `stream` is a terminal (False for None, a closed stream, a StringIO...)."""
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def terminal_width(default: int = 80) -> int:
    """The width of the terminal standard output is on (COLUMNS overrides it)."""
    return shutil.get_terminal_size((default, 24)).columns


class LineEditor:
    """Reads lines from the user, with readline when it is available.

    `context` returns the unfinished statement's earlier lines, so that completion on a
    continuation line knows the query it continues. Messages (history trouble) go to `errors`.
    """

    def __init__(self, completer: Completer | None = None, *, history: Path | None = None,
                 context: Callable[[], str] = lambda: "", errors=None):
        self.completer = completer
        self.history = history
        self.context = context
        self.errors = errors or sys.stderr
        self._matches: list[str] = []
        self.readline = self._setup()

    def read(self, prompt: str) -> str:
        """One line, without its newline; EOFError at the end, KeyboardInterrupt on Ctrl-C."""
        return input(prompt)

    def remember(self, entry: str) -> None:
        """Add a statement to the history (and to its file at once, so that a session that is
        killed keeps it, and two sessions do not overwrite each other's)."""
        readline = self.readline
        if readline is None or not entry.strip():
            return
        entry = " ".join(line.strip() for line in entry.splitlines() if line.strip())
        length = readline.get_current_history_length()
        if length and readline.get_history_item(length) == entry:
            return  # the same statement again: once is enough
        readline.add_history(entry)
        if self.history is None:
            return
        try:
            self.history.parent.mkdir(parents=True, exist_ok=True)
            if not self.history.exists():
                self.history.touch()
            readline.append_history_file(1, str(self.history))
        except OSError as error:
            self._history_trouble(error)

    # -- set-up ---------------------------------------------------------------------------

    def _setup(self):
        if not (sys.stdin.isatty() and sys.stdout.isatty()):
            return None
        try:
            import readline
        except ImportError:
            return None
        readline.set_auto_history(False)
        readline.set_history_length(HISTORY_LENGTH)
        if self.history is not None:
            self._load_history(readline)
        if self.completer is not None:
            readline.set_completer(self._complete)
            readline.set_completer_delims(WORD_DELIMITERS)
            if "libedit" in (readline.__doc__ or ""):  # macOS's readline stand-in
                readline.parse_and_bind("bind ^I rl_complete")
            else:
                readline.parse_and_bind("tab: complete")
                # Names and keywords match whatever the letter case.
                readline.parse_and_bind("set completion-ignore-case on")
        return readline

    def _load_history(self, readline) -> None:
        path = self.history
        try:
            if path.exists():
                readline.read_history_file(str(path))
                # Appending keeps the file growing: trim it now and then, keeping the newest.
                if readline.get_current_history_length() > 2 * HISTORY_LENGTH:
                    readline.write_history_file(str(path))
        except OSError as error:
            self._history_trouble(error)

    def _history_trouble(self, error: OSError) -> None:
        if self.history is not None:
            print(f"note: the history cannot be kept in {self.history}: "
                  f"{error.strerror or error}", file=self.errors)
        self.history = None  # say it once

    # -- completion ---------------------------------------------------------------------

    def _complete(self, text: str, state: int) -> str | None:
        """readline's completer: called with state 0, 1, 2... until it returns None."""
        if state == 0:
            try:
                self._matches = self._compute_matches()
            except Exception:  # a completion must never end the session
                self._matches = []
        return self._matches[state] if state < len(self._matches) else None

    def _compute_matches(self) -> list[str]:
        readline = self.readline
        line = readline.get_line_buffer()
        begin, end = readline.get_begidx(), readline.get_endidx()
        earlier = self.context()
        prefix = earlier + "\n" if earlier else ""
        completion = self.completer.complete(prefix + line[:end])
        start = max(0, completion.start - len(prefix))
        matches = []
        for candidate in completion.candidates:
            # Python's readline appends nothing to a completed word: a space ends it here
            # (not a folder, which is continued).
            candidate = candidate if candidate.endswith("/") else candidate + " "
            # readline replaces line[begin:end]; the completer may have started earlier (in
            # a quoted name with spaces) or later than readline's idea of the word.
            if start <= begin:
                typed = line[start:begin]
                if candidate[:len(typed)].casefold() != typed.casefold():
                    continue
                matches.append(candidate[len(typed):])
            else:
                matches.append(line[begin:start] + candidate)
        return matches


def is_interactive() -> bool:
    """True when both input and output are a terminal (prompts make sense)."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):
        return False

