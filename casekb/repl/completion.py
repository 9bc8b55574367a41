"""Tab completion, driven by the query parser itself.

`Completer.complete(buffer)` answers "what can come at the end of this text?" with a
`Completion`: where the word being completed starts, and the texts that may replace it.

For a query, the text before that word is fed to lark's interactive parser; the terminals it
accepts next decide what is offered:
- keywords, spelled as the grammar spells them; when a keyword can only be followed by one
  other (`as` -> `of`, `order` -> `by`, `with` -> `sources`, `not` -> `in`), both are offered
  as one phrase;
- a NAME: the entities until one is named, then that entity's fields (from the registry);
- a value: for the field being compared, its vocabulary (an enum), true and false (a
  boolean), or the names of people or cases known to the store, quoted.
Dot commands and their arguments, and the `profile` / `timeline` views, are completed here
too. Nothing is offered after text the parser refuses.
"""

from __future__ import annotations

import glob
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from typing import Any

VALUE_TERMINALS = frozenset({"STRING", "NUMBER", "DATE", "QUANTITY", "MONEY", "TRUE", "FALSE"})
# Tokens that may stand between a field and the value being completed (`status not in ("a", `).
_BETWEEN_FIELD_AND_VALUE = (frozenset({"OPERATOR", "_IN", "_NOT", "_LPAR", "COMMA"})
                            | VALUE_TERMINALS)
_BEFORE_ENTITY = frozenset({"_COUNT", "_EXPLAIN", "_DESCRIBE"})
_WORD = re.compile(r"[\w.$-]*\Z")

NameSource = Callable[[str], list[str]]  # "person" | "case" -> the names known to the store


@dataclass(frozen=True)
class Completion:
    """`buffer[start:]` may be replaced by any of `candidates`."""

    start: int
    candidates: tuple[str, ...]


@dataclass(frozen=True)
class DotArgument:
    """What a dot command's argument is, for completion: a fixed list, entities, or files."""

    kind: str  # "choices" | "entities" | "files" | "none"
    choices: tuple[str, ...] = ()


class Completer:
    """Completion for the shell. `names(kind)` gives the known names of people ("person")
    or cases ("case"); it is called only when a name can come next."""

    def __init__(self, names: NameSource | None = None,
                 dot_commands: dict[str, DotArgument] | None = None):
        self.names = names or (lambda kind: [])
        self.dot_commands = dot_commands or {}

    def complete(self, buffer: str) -> Completion:
        """The completions at the end of `buffer` (the statement so far, lines joined)."""
        if buffer.lstrip().startswith("."):
            return self._dot(buffer)
        start = word_start(buffer)
        before, word = buffer[:start], buffer[start:]
        view = re.match(r"\s*(profile|timeline)\s+", before, re.IGNORECASE)
        if view:
            kind = "person" if view.group(1).lower() == "profile" else "case"
            return Completion(start, _matching(word, [quoted(n) for n in self.names(kind)]))
        candidates = self._query(before)
        if not before.strip():
            candidates += ["profile", "timeline"]
        return Completion(start, _matching(word, candidates))

    # -- queries ------------------------------------------------------------------------

    def _query(self, before: str) -> list[str]:
        parsed = _parse_prefix(before)
        if parsed is None:
            return []
        tokens, interactive = parsed
        entity_name = next((str(t) for t in tokens if t.type == "NAME"), None)
        if entity_name is not None:
            from casekb.lang.registry import entity

            if entity(entity_name) is None:
                return []  # `select ...`: no use offering what follows an unknown entity
        accepted = _accepts(interactive)
        candidates: list[str] = []
        for terminal in sorted(accepted):
            word = keywords().get(terminal)
            if word is not None:
                candidates.append(_phrase(interactive, terminal, word))
        if "NAME" in accepted:
            candidates += self._names_here(tokens, entity_name)
        if accepted & VALUE_TERMINALS:
            candidates += self._values_here(tokens, entity_name, accepted)
        return candidates

    @staticmethod
    def _names_here(tokens: list[Any], entity_name: str | None) -> list[str]:
        from casekb.lang.registry import entity, entity_names

        if entity_name is None:
            return entity_names()
        return list(entity(entity_name).field_names)

    def _values_here(self, tokens: list[Any], entity_name: str | None,
                     accepted: frozenset[str]) -> list[str]:
        from casekb.lang.registry import FieldType, NamedRef, entity

        found = entity(entity_name) if entity_name else None
        field = compared_field(tokens, found)
        if field is None:
            return []
        if field.type is FieldType.ENUM:
            return [quoted(value) for value in field.values]
        if field.type is FieldType.BOOLEAN and accepted & {"TRUE", "FALSE"}:
            return ["true", "false"]
        if field.type is FieldType.NAME and isinstance(field.access, NamedRef):
            return [quoted(name) for name in self.names(field.access.kind)]
        return []

    # -- dot commands -------------------------------------------------------------------

    def _dot(self, buffer: str) -> Completion:
        match = re.match(r"(\s*)(\.\S*)(\s+)?", buffer)
        assert match is not None  # the buffer starts with a dot
        if match.group(3) is None:  # still writing the command's name
            start = len(match.group(1))
            return Completion(start, _matching(buffer[start:], list(self.dot_commands)))
        argument = self.dot_commands.get(match.group(2).lower())
        start = match.end()
        typed = buffer[start:]
        if argument is None or argument.kind == "none":
            return Completion(start, ())
        if argument.kind == "files":
            return Completion(start, tuple(_files(typed)) + _matching(typed, argument.choices))
        if " " in typed:
            return Completion(start, ())
        if argument.kind == "entities":
            from casekb.lang.registry import entity_names

            return Completion(start, _matching(typed, entity_names()))
        return Completion(start, _matching(typed, argument.choices))


# -- Helpers -------------------------------------------------------------------------------

def word_start(buffer: str) -> int:
    """Where the word at the end of `buffer` starts: an unclosed "string" from its quote,
    otherwise the run of word characters (letters, digits, _ . $ -) before the end."""
    position, quote = 0, None
    while position < len(buffer):
        char = buffer[position]
        if quote is not None:
            if char == "\\":
                position += 1
            elif char in '"\n':
                quote = None
        elif char == '"':
            quote = position
        elif buffer.startswith("--", position):  # a comment runs to the end of its line
            end = buffer.find("\n", position)
            position = len(buffer) if end < 0 else end
            continue
        position += 1
    if quote is not None:
        return quote
    return _WORD.search(buffer).start()


def quoted(text: str) -> str:
    """`text` as a string of the query language."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def compared_field(tokens: list[Any], entity: Any):
    """The field a value is being written for: the NAME before the operator or `in (`."""
    if entity is None:
        return None
    for token in reversed(tokens):
        if token.type == "NAME":
            return entity.field(str(token))
        if token.type not in _BETWEEN_FIELD_AND_VALUE:
            return None
    return None


@cache
def keywords() -> dict[str, str]:
    """The grammar's keyword terminals and their words (`_WHERE` -> "where"), read from the
    parser so that a keyword added to the grammar is completed without a change here.

    A terminal is a keyword when its own name, as a word, is what its pattern matches."""
    from casekb.lang.parser import lark_parser

    found = {}
    for terminal in lark_parser().terminals:
        word = terminal.name.lstrip("_").lower()
        if terminal.name in VALUE_TERMINALS or terminal.name == "NAME" or not word.isalpha():
            continue
        flags = re.IGNORECASE if "i" in terminal.pattern.flags else 0
        if re.fullmatch(terminal.pattern.to_regexp(), word, flags):
            found[terminal.name] = word
    return found


def _parse_prefix(text: str):
    """The tokens of `text` and the parser state after them, or None when it does not parse."""
    from casekb.lang.parser import lark_parser

    interactive = lark_parser().parse_interactive(text)
    tokens: list[Any] = []
    try:
        for token in interactive.iter_parse():
            tokens.append(token)
    except Exception:  # lark's UnexpectedInput, or a check of the tree builder
        return None
    return tokens, interactive


def _accepts(interactive) -> frozenset[str]:
    try:
        return frozenset(interactive.accepts())
    except Exception:
        return frozenset()


def _phrase(interactive, terminal: str, word: str) -> str:
    """`word`, followed by the keywords that must come after it (at most two more)."""
    from casekb.lang._standalone_parser import Token

    words = [word]
    state = interactive
    for _ in range(2):
        try:
            state = state.copy()
            state.feed_token(Token(terminal, word))
            following = _accepts(state)
        except Exception:
            break
        if len(following) != 1:
            break
        terminal = next(iter(following))
        word = keywords().get(terminal)
        if word is None:
            break
        words.append(word)
    return " ".join(words)


def _matching(word: str, candidates: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """The candidates that begin with `word` (ignoring case; a value may be begun without its
    quote), once each, in the case the user is typing in for keywords."""
    folded = word.casefold()
    seen: dict[str, None] = {}
    for candidate in candidates:
        text = candidate.casefold()
        if text.startswith(folded) or not word.startswith('"') and candidate.startswith('"') and \
                text[1:].startswith(folded):
            pass
        else:
            continue
        if word and word.isupper() and candidate.replace(" ", "").isalpha():
            candidate = candidate.upper()
        seen.setdefault(candidate, None)
    return tuple(sorted(seen, key=str.casefold))


def _files(typed: str) -> list[str]:
    """Paths beginning with `typed` (folders end with /)."""
    pattern = os.path.expanduser(typed) + "*"
    found = []
    for path in sorted(glob.glob(pattern))[:200]:
        shown = typed + path[len(os.path.expanduser(typed)):]
        found.append(shown + ("/" if os.path.isdir(path) else ""))
    return found
