"""Report parameters: which ones a report needs, their values, and binding them safely.

`$name` in a ```casekb query becomes one literal token of the language, never raw text: a
text value becomes a quoted string with `"` and `\\` escaped (the compiler then binds it as a
SQL parameter like any string in a query); a date or a number is checked against its type
first and written as that token. In a ```sql block `$name` is SQLite's own named-parameter
syntax, so the value is bound by SQLite. `$name` inside a string literal or a comment is left
alone, and `$500` is money, not a parameter (a name starts with a letter or `_`).
In prose, `$name` of a known parameter is replaced by its value, escaped for Markdown.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Mapping

from casekb.errors import EXIT_USAGE
from casekb.report.parse import (
    PARAMETER_NAME,
    Parameter,
    QueryBlock,
    Report,
    ReportError,
)

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
# The query language's tokens that may hold a `$`: strings and comments (grammar/casekb.lark).
_LANGUAGE_SKIPPED = re.compile(r'"(?:[^"\\\n]|\\.)*"|--[^\n]*')
_LANGUAGE_PARAMETER = re.compile(r"\$(" + _NAME + r")")
_PROSE_PARAMETER = re.compile(r"\$(" + _NAME + r")\b")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")
_NUMBER = re.compile(r"[0-9]+\Z")  # ASCII digits: \d would take "٣" for 3


class ParameterError(ReportError):
    """Parameters missing, unknown, or of the wrong type, as given on the command line."""

    exit_code = EXIT_USAGE


def used_in(block: QueryBlock) -> list[str]:
    """The names of the parameters a query block uses, in order of first use."""
    names: list[str] = []
    for name, _start, _end in parameter_spans(block):
        if name not in names:
            names.append(name)
    return names


def parameters_of(report: Report) -> dict[str, Parameter]:
    """The report's parameters: those declared in its front matter, and any other `$name`
    its queries use (required, as text)."""
    parameters = dict(report.parameters)
    for block in report.queries:
        for name in used_in(block):
            parameters.setdefault(name, Parameter(name))
    return parameters


def parse_assignment(text: str) -> tuple[str, str]:
    """`name=value` from `--param`; ParameterError when it is not one."""
    name, sep, value = text.partition("=")
    name = name.strip().lstrip("$")
    if not sep or not PARAMETER_NAME.match(name):
        raise ParameterError(f"--param {text!r}: write --param NAME=VALUE, e.g. "
                             f"--param defendant=\"Alec Baldwin\"")
    return name, value


def parse_assignments(items: list[str]) -> dict[str, str]:
    """Every `--param NAME=VALUE` of a command line, by name. ParameterError when one is not
    NAME=VALUE, or when a name is given twice: keeping one of the two values without a word
    would answer a question the user did not ask."""
    values: dict[str, str] = {}
    for item in items:
        name, value = parse_assignment(item)
        if name in values:
            raise ParameterError(f"--param {name} is given twice ({values[name]!r} and "
                                 f"{value!r})", hints=["give each parameter once"])
        values[name] = value
    return values


def resolve_values(report: Report, given: Mapping[str, str]) -> dict[str, str]:
    """Every parameter's value: given, else its default. ParameterError names every missing
    parameter, an unknown one (with the nearest known name) and a value of the wrong type."""
    parameters = parameters_of(report)
    for name in given:
        if name not in parameters:
            known = sorted(parameters)
            close = difflib.get_close_matches(name, known, n=1)
            hints = [f"did you mean {close[0]}?"] if close else []
            hints.append("this report's parameters: " + (", ".join(known) if known else "none"))
            raise ParameterError(f"{report.path} has no parameter {name!r}", hints=hints)
    missing = [p for p in parameters.values() if p.name not in given and p.required]
    if missing:
        names = ", ".join(p.name for p in missing)
        hints = [f"--param {p.name}=VALUE" + (f": {p.description}" if p.description else "")
                 for p in missing]
        raise ParameterError(
            f"{report.path} needs the parameter{'s' if len(missing) > 1 else ''} {names}",
            hints=[f"give {hint}" for hint in hints])
    values = {}
    for name, parameter in parameters.items():
        value = given[name] if name in given else parameter.default
        assert value is not None
        values[name] = check_value(parameter, value, report.path)
    return values


def check_value(parameter: Parameter, value: str, path: str = "") -> str:
    """The value, checked against the parameter's type (a date as YYYY-MM-DD, YYYY-MM or
    YYYY; a number as digits)."""
    where = f"--param {parameter.name}"
    if "\n" in value or "\r" in value:
        raise ParameterError(f"{where}: a value cannot hold a line break", path=path)
    if parameter.type == "date":
        from casekb.dates import PartialDate

        try:
            return str(PartialDate.parse(value))
        except ValueError as error:
            raise ParameterError(f"{where}: {error}", path=path) from None
    if parameter.type == "number" and not _NUMBER.match(value.strip()):
        raise ParameterError(f"{where}: {value!r} is not a whole number", path=path)
    return value.strip() if parameter.type == "number" else value


def bind_query(block: QueryBlock, values: Mapping[str, str],
               parameters: Mapping[str, Parameter]) -> str:
    """The text of a ```casekb query with every `$name` replaced by one literal token."""
    if block.language != "casekb":
        return block.text
    pieces, last = [], 0
    for name, start, end in parameter_spans(block):
        pieces += [block.text[last:start], literal_token(values[name], parameters[name])]
        last = end
    pieces.append(block.text[last:])
    return "".join(pieces)


def sql_values(block: QueryBlock, values: Mapping[str, str],
               parameters: Mapping[str, Parameter]) -> dict[str, object]:
    """The SQLite parameters of a ```sql block: the values of the names it uses."""
    return {name: int(values[name]) if parameters[name].type == "number" else values[name]
            for name in used_in(block)}


def literal_token(value: str, parameter: Parameter) -> str:
    """One token of the query language standing for `value` (already checked)."""
    if parameter.type in ("date", "number"):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def bind_prose(text: str, values: Mapping[str, str]) -> str:
    """Prose with `$name` of each known parameter replaced by its value, Markdown-escaped."""
    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name not in values:
            return match.group(0)
        return _MARKDOWN_SPECIAL.sub(r"\\\1", values[name])

    return _PROSE_PARAMETER.sub(replace, text)


def parameter_spans(block: QueryBlock) -> Iterator[tuple[str, int, int]]:
    """(name, start, end) of each `$name` in a query block, outside strings and comments
    (also for casekb/export/datasette.py, which writes the blocks for another tool)."""
    text = block.text
    if block.language == "sql":
        from casekb.sql.access import sql_tokens

        tokens = list(sql_tokens(text))
        for (kind, mark, start), following in zip(tokens, tokens[1:]):
            if kind == "punctuation" and mark == "$" and following[2] == start + 1 \
                    and PARAMETER_NAME.match(following[1]):
                yield following[1], start, start + 1 + len(following[1])
        return
    skipped = [(m.start(), m.end()) for m in _LANGUAGE_SKIPPED.finditer(text)]
    for match in _LANGUAGE_PARAMETER.finditer(text):
        if not any(start <= match.start() < end for start, end in skipped):
            yield match.group(1), match.start(), match.end()
