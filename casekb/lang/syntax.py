"""lark's syntax errors -> QueryError in the user's words.

A lark error knows the position and the grammar's terminal names (`_WHERE`, `$END`, `STRING`).
This module says instead what the user could have written there ("a field of charges:
defendant, offense, ..."), says when the query ended too early ("query ended after `where`"),
and recognises habits from SQL (SELECT, FROM, GROUP BY, ==, <>, LIKE, IS NULL, 'single
quotes', chained statements) with what to write instead.

The words for each terminal are in TERMINAL_WORDS; grammar/casekb.lark names its terminals
with this table in mind, and tests/test_errors.py checks that every terminal has words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

from casekb.errors import QueryError, Span, span_at
from casekb.lang.registry import entity as find_entity
from casekb.lang.registry import nearest
from casekb.lang.resolve import entities_words, fields_words

# The words for a grammar terminal, in the order they are listed when several are expected.
TERMINAL_WORDS: dict[str, str] = {
    "NAME": "a name",  # replaced by "an entity ..." or "a field of ..." from the context
    "_COUNT": "`count`",
    "_EXPLAIN": "`explain`",
    "_DESCRIBE": "`describe`",
    "_NOT": "`not`",
    "POSSIBLY": "`possibly`",
    "_LPAR": "`(`",
    "OPERATOR": "an operator (= != < <= > >= ~, in (...), is empty)",
    "_IN": "`in`",
    "_IS": "`is`",
    "_EMPTY": "`empty`",
    "STRING": "a value",
    "NUMBER": "a number",
    "DATE": "a date",
    "QUANTITY": "an amount",
    "MONEY": "an amount of money",
    "TRUE": "true",
    "FALSE": "false",
    "COMMA": "`,`",
    "_RPAR": "`)`",
    "_AND": "`and`",
    "_OR": "`or`",
    "_WHERE": "`where`",
    "_AS": "`as of`",
    "_OF": "`of`",
    "_SHOW": "`show`",
    "_BY": "`by`",
    "ASC": "`asc`",
    "DESC": "`desc`",
    "_ORDER": "`order by`",
    "_LIMIT": "`limit`",
    "WITH": "`with sources`",
    "_SOURCES": "`sources`",
    "_SEMICOLON": "`;`",
    "$END": "the end of the query",
}
_VALUE_TERMINALS = {"STRING", "NUMBER", "DATE", "QUANTITY", "MONEY", "TRUE", "FALSE"}
# The keywords' own text ("order by" for _ORDER): their words without the backquotes.
_KEYWORD_TEXT = {terminal: words.strip("`") for terminal, words in TERMINAL_WORDS.items()
                 if words[:1] == "`" and words[1:2].isalpha()}
# Clauses in the order a query takes them, for "clauses go in this order".
CLAUSE_ORDER = "where, as of, count/show, order by, limit, with sources"

_BEFORE_ENTITY = {None, "_COUNT", "_EXPLAIN", "_DESCRIBE"}
# Words that begin a clause (`where ...`), never a query (the shell continues a query with a
# line that starts with one).
CLAUSE_STARTS = frozenset({"where", "and", "or", "as", "show", "order", "limit", "with", "by"})
_VALUE_WRITING = ('a value: "text", a number, a date (2024-01-19, 2024-01 or 2024), '
                  'an amount (18 months, $500), true or false')


@dataclass(frozen=True)
class _Found:
    """Where the parse failed and what was there."""

    position: int  # offset in the text
    line: int
    column: int
    text: str  # the unexpected token or character ("" at the end)
    type: str | None  # the token's terminal, None for a character lark could not lex
    expected: frozenset[str]


def syntax_error(text: str, error: Any, parser: Any) -> QueryError:
    """The QueryError for lark's `error` on `text`."""
    found = _locate(text, error)
    before, accepted = _tokens_before(parser, text, found.position)
    if accepted is not None:
        found = replace(found, expected=accepted)
    builder = _Explainer(text, found, before)
    return builder.build()


def _locate(text: str, error: Any) -> _Found:
    from casekb.lang._standalone_parser import UnexpectedCharacters, UnexpectedToken

    if isinstance(error, UnexpectedToken):
        token = error.token
        expected = frozenset(error.expected or ())
        if token.type == "$END":
            end = span_at(text, len(text))
            return _Found(len(text), end.line, end.column, "", "$END", expected)
        return _Found(token.start_pos or 0, token.line or 1, token.column or 1, str(token),
                      token.type, expected)
    if isinstance(error, UnexpectedCharacters):
        return _Found(error.pos_in_stream, error.line, error.column, error.char, None,
                      frozenset(error.allowed or ()))
    position = getattr(error, "pos_in_stream", None) or len(text)
    at = span_at(text, position)
    return _Found(position, at.line, at.column, "", "$END", frozenset())


def _tokens_before(parser: Any, text: str,
                   position: int) -> tuple[list[Any], frozenset[str] | None]:
    """The tokens `parser` accepted before `position` (parsed again, interactively), and
    the terminals it would accept next (None when that cannot be known)."""
    from casekb.lang._standalone_parser import UnexpectedInput

    tokens = []
    parser = parser.parse_interactive(text)
    try:
        for token in parser.iter_parse():
            if (token.start_pos or 0) >= position:
                break  # iter_parse feeds a token after yielding it: this one was not fed
            tokens.append(token)
    except UnexpectedInput:
        pass  # the lexer stopped at the error; the parser state is that before it
    try:
        return tokens, frozenset(parser.accepts())
    except UnexpectedInput:
        return tokens, None


class _Explainer:
    def __init__(self, text: str, found: _Found, before: list[Any]):
        self.text = text
        self.found = found
        self.before = before
        self.previous = before[-1] if before else None
        self.entity = self._entity_name()

    # -- context ----------------------------------------------------------------------

    def _entity_name(self) -> str | None:
        for token in self.before:
            if token.type == "NAME":
                return str(token)
        return None

    def span(self) -> Span:
        found = self.found
        if found.type == "$END":
            if self.previous is not None:
                prev = self.previous
                return Span(prev.end_line or prev.line, (prev.end_column or prev.column), 1)
            return Span(found.line, found.column, 1)
        return Span(found.line, found.column, max(1, len(found.text)))

    def error(self, message: str, *, expected: list[str] | None = None,
              hints: list[str] | None = None, span: Span | None = None) -> QueryError:
        return QueryError(message, query=self.text, span=span or self.span(),
                          expected=expected, hints=hints)

    def expected_words(self) -> list[str]:
        """What could have come at the error, in the user's words."""
        expected = set(self.found.expected)
        words = []
        if "NAME" in expected:
            words.append(self.name_words())
        if "OPERATOR" in expected:
            expected -= {"_IN", "_IS", "_NOT"}
        values = expected & _VALUE_TERMINALS
        if values:
            words.append(self.value_words(values))
        for terminal in TERMINAL_WORDS:
            if terminal in expected and terminal != "NAME" and terminal not in _VALUE_TERMINALS:
                words.append(TERMINAL_WORDS[terminal])
        return words

    def name_words(self) -> str:
        previous = self.previous.type if self.previous is not None else None
        if previous in _BEFORE_ENTITY:
            return entities_words()
        found = find_entity(self.entity) if self.entity else None
        if found is None:
            return "a field"
        return fields_words(found)

    def value_words(self, values: set[str]) -> str:
        if values == {"NUMBER"}:
            return "a whole number"
        if values == {"DATE", "NUMBER"}:
            return "a date (2024-01-19, 2024-01 or 2024)"
        field = self.compared_field()
        if field is not None:
            from casekb.lang.resolve import value_words

            return value_words(field)
        return _VALUE_WRITING

    def compared_field_name(self) -> str | None:
        for token in reversed(self.before):
            if token.type == "NAME":
                return str(token)
        return None

    def compared_field(self):
        """The field a value is being given for (the NAME before the operator), if known."""
        entity = find_entity(self.entity) if self.entity else None
        if entity is None:
            return None
        for token in reversed(self.before):
            if token.type == "NAME":
                return entity.field(str(token))
            if token.type not in {"OPERATOR", "_IN", "_NOT", "_LPAR", "COMMA"} | _VALUE_TERMINALS:
                return None
        return None

    # -- the message ------------------------------------------------------------------

    def build(self) -> QueryError:
        for check in (self.sql_statement, self.bad_character, self.sql_operator,
                      self.sql_word, self.chained, self.clause_first, self.unknown_entity,
                      self.doubled_word,
                      self.describe_extra, self.equals_empty, self.negated_operator,
                      self.unopened_parenthesis, self.date_with_time, self.as_of_not_a_date,
                      self.in_without_list, self.sort_by,
                      self.bare_value, self.missing_value, self.unknown_unit, self.ended,
                      self.misplaced):
            error = check()
            if error is not None:
                return error
        return self.generic()

    def sql_statement(self) -> QueryError | None:
        first = re.match(r"\s*(\w+)", self.text)
        if not first or first.group(1).lower() not in ("select", "with", "insert", "update",
                                                       "delete", "drop", "create", "pragma"):
            return None
        word = first.group(1)
        return self.error(
            f"`{word}` starts an SQL statement; casekb queries start with what you want to list",
            span=Span(1, first.start(1) + 1, len(word)),
            expected=[entities_words()],
            hints=["e.g. charges where defendant = \"Alec Baldwin\" show offense, status",
                   "for raw SQL on the store use `casekb sql`"])

    def bad_character(self) -> QueryError | None:
        found = self.found
        if found.type is not None:
            return None
        char = found.text
        if char == "'":
            quoted = re.match(r"'([^'\n]*)'", self.text[found.position:])
            suggestion = f'"{quoted.group(1)}"' if quoted else '"..."'
            return self.error("text goes in double quotes, not single quotes",
                              hints=[f"write {suggestion}"])
        if char in "“”‘’":
            return self.error("text goes in plain double quotes (\"), not typographic quotes",
                              hints=['write "..." with the " key'])
        if char == '"':
            return self.error("this text has no closing `\"`",
                              span=Span(found.line, found.column,
                                        len(self.text[found.position:].split("\n")[0])),
                              hints=['end it with " on the same line; write \\" for a " inside'])
        if char in "&|":
            double = self.text[found.position:found.position + 2]
            written = double if double in ("&&", "||") else char
            word = "and" if char == "&" else "or"
            return self.error(f"`{written}` is not an operator here", hints=[f"write `{word}`"],
                              span=Span(found.line, found.column, len(written)))
        if char == "!":
            return self.error("`!` is not an operator here",
                              hints=["write `not` to negate a condition, or != for \"not equal\""])
        if char == "*":
            return self.error("`*` is not a field list",
                              hints=["leave `show` out for the usual columns, or name them: "
                                     "show defendant, offense"])
        if self.text.startswith(("/*", "//", "#"), found.position):
            return self.error("comments start with `--` and run to the end of the line",
                              span=Span(found.line, found.column, 1 if char == "#" else 2))
        if char in "[]{}":
            return self.error(f"`{char}` is not used in queries",
                              hints=['lists go in parentheses: status in ("pending", "convicted")'])
        if char == "/" and self.previous is not None and self.previous.type == "NUMBER":
            return self.error("dates are written year first with dashes",
                              hints=["write 2024-01-19, 2024-01 or 2024"])
        if char == "-" and self.previous is not None and self.previous.type == "NUMBER":
            return self.error("this is not a date or a number",
                              hints=["write dates as 2024-01-19, 2024-01 or 2024"])
        if char == "$":
            written = re.match(r"\$[\d,.]*", self.text[found.position:]).group(0)
            return self.error(f"`{written}` is not an amount of money",
                              span=Span(found.line, found.column, len(written)),
                              hints=["write dollars with digits, commas between thousands: "
                                     "$500, $5,000 or $5,000.50"])
        if char == "." and self.previous is not None and self.previous.type == "MONEY":
            previous = self.previous
            written = str(previous) + re.match(r"[\d,.]*", self.text[found.position:]).group(0)
            return self.error(f"`{written}` is not an amount of money",
                              span=Span(previous.line, previous.column, len(written)),
                              hints=["cents have two digits: $5.50, $5,000.50"])
        if char == "." and self.previous is not None and self.previous.type == "NUMBER":
            return self.error("only whole numbers go here",
                              hints=["decimals are for amounts with a unit, like 1.5 years"])
        if char in "=<>!~":
            return None
        shown = char if char.isprintable() and not char.isspace() else repr(char)
        return self.error(f"unexpected character `{shown}`", expected=self.expected_words())

    def sql_operator(self) -> QueryError | None:
        found, previous = self.found, self.previous
        if found.type != "OPERATOR" or previous is None or previous.type != "OPERATOR":
            return None
        pair = str(previous) + found.text
        instead = {"==": "=", "<>": "!=", "=<": "<=", "=>": ">=", "!==": "!=", "=!": "!=",
                   "~=": "~", "=~": "~"}.get(pair)
        span = Span(previous.line, previous.column, len(pair))
        if instead is None:
            return self.error(f"`{pair}` is not an operator", span=span,
                              expected=[TERMINAL_WORDS["OPERATOR"]])
        return self.error(f"`{pair}` is not an operator here; write `{instead}`", span=span,
                          hints=["casekb's operators: = != < <= > >= ~ (contains), "
                                 "in (...), is empty"])

    def sql_word(self) -> QueryError | None:
        found, previous = self.found, self.previous
        if found.type == "_LPAR" and previous is not None and str(previous).lower() == "count":
            entity, field = self._entity_or("charges"), self._first_field("defendant")
            ordering = any(token.type == "_ORDER" for token in self.before)
            return self.error("`count(...)` is SQL: casekb counts rows with `count ENTITY`",
                              hints=[f"e.g. count {entity} by {field} order by count desc"
                                     if ordering else
                                     f"e.g. count {entity}, or count {entity} by {field}"])
        if found.type == "_AS" and len(self.before) >= 2 and previous.type == "NAME" \
                and self.before[-2].type in ("_SHOW", "COMMA"):  # show defendant as name
            return self.error("fields cannot be renamed: they keep their names",
                              hints=["leave out `as ...`"])
        if previous is not None and previous.type == "NAME" \
                and str(previous).lower() == "distinct" and found.type == "NAME":
            return self.error("`distinct` is SQL, not casekb", span=_token_span(previous),
                              hints=["`count ENTITY by FIELD` lists each value once, with its "
                                     "count"])
        if found.type != "NAME":
            return None
        word = found.text.lower()
        if word == "nulls":
            return self.error("empty values always sort last: leave out NULLS FIRST/LAST")
        if word in ("like", "ilike"):
            return self.error(f"write `~` instead of {found.text.upper()}: it finds text "
                              f"anywhere, ignoring letter case",
                              hints=['e.g. defendant ~ "baldwin" (% and _ are ordinary '
                                     'characters; no wildcards needed)'])
        if word == "null":
            previous = self.previous
            negated = previous is not None and (previous.type == "_NOT" or str(previous) == "!=")
            test = "is not empty" if negated else "is empty"
            if previous is not None and previous.type in ("_IS", "_NOT", "OPERATOR"):
                test = f"{self.compared_field_name()} {test}"
            return self.error(f"write `{test}` to find {'known' if negated else 'unknown'} "
                              f"values; there is no NULL",
                              hints=["e.g. closed is empty, filed is not empty"])
        if word == "between":
            return self.error("write two comparisons instead of BETWEEN",
                              hints=["e.g. filed >= 2023-01 and filed <= 2023-06"])
        if word == "from":
            return self.error("there is no FROM: the entity comes first",
                              hints=["e.g. charges where defendant = \"Alec Baldwin\""])
        if word == "group" or (word == "by" and self.previous is not None
                               and str(self.previous).lower() == "group"):
            return self.error("write `count ENTITY by FIELD` instead of GROUP BY",
                              hints=[f"e.g. count {self._entity_or('charges')} by "
                                     f"{self._first_field('defendant')}"])
        if word == "having":
            return self.error("there is no HAVING; order a count instead",
                              hints=[f"e.g. count {self._entity_or('charges')} by "
                                     f"{self._first_field('defendant')} order by count desc"])
        if word in ("offset", "distinct", "join", "union", "select"):
            hint = {"distinct": "`count ENTITY by FIELD` lists each value once, with its count",
                    "offset": "use `limit N`; there is no offset",
                    "join": "fields already reach related tables: charges where "
                            "defendant = \"...\" show offense, status",
                    "union": "ask two queries, or combine conditions with `or`",
                    "select": "casekb is not SQL: start with the entity, then `show` fields"}[word]
            return self.error(f"`{found.text}` is SQL, not casekb", hints=[hint])
        return None

    def chained(self) -> QueryError | None:
        previous = self.previous
        if previous is None or previous.type != "_SEMICOLON" or self.found.type == "$END":
            return None
        return self.error("one statement at a time: `;` may only end the query",
                          hints=["run each query on its own"])

    def clause_first(self) -> QueryError | None:
        """`where plea = "guilty"` alone: a clause, without the query it belongs to."""
        if not self.before or self.before[0].type != "NAME" \
                or str(self.before[0]).lower() not in CLAUSE_STARTS:
            return None
        word = str(self.before[0])
        first_line = self.text.strip().split("\n", 1)[0]
        return self.error(f"`{word}` begins a clause of a query; a query begins with what you "
                          f"want to list", span=_token_span(self.before[0]),
                          expected=[entities_words()],
                          hints=[f"put the entity first, e.g. charges {first_line}"])

    def unknown_entity(self) -> QueryError | None:
        if self.entity is None or find_entity(self.entity) is not None:
            return None
        from casekb.lang import ast
        from casekb.lang.resolve import resolve_entity

        token = next(t for t in self.before if t.type == "NAME")
        try:
            resolve_entity(ast.Name(str(token), _token_span(token)), self.text)
        except QueryError as error:  # the same words as for a query that parses
            return error
        return None

    def doubled_word(self) -> QueryError | None:
        """`and and`: the second `and` was read as a field name."""
        before = self.before
        if len(before) < 2 or before[-1].type != "NAME":
            return None
        word = str(before[-1]).lower()
        if word not in ("and", "or", "not") or before[-2].type not in ("_AND", "_OR", "_NOT"):
            return None
        return self.error(f"`{before[-2]} {before[-1]}`: a condition must come between them",
                          span=Span(before[-2].line, before[-2].column,
                                    (before[-1].end_pos or 0) - (before[-2].start_pos or 0)),
                          expected=[self.name_words()])

    def describe_extra(self) -> QueryError | None:
        """`describe penalties where ...`: describe takes an entity and nothing more."""
        before = self.before
        if len(before) < 2 or before[0].type != "_DESCRIBE" or self.found.type == "$END":
            return None
        entity = str(before[1])
        return self.error("`describe` takes one entity and nothing more",
                          hints=[f"to ask a question, leave out `describe`: {entity} where ..."])

    def equals_empty(self) -> QueryError | None:
        """`closed = empty`: emptiness is tested with `is empty`."""
        found, previous = self.found, self.previous
        if found.type != "_EMPTY" or previous is None or previous.type != "OPERATOR":
            return None
        field = self.compared_field_name() or "FIELD"
        negated = str(previous) == "!="
        span = Span(previous.line, previous.column,
                    (found.position + len(found.text)) - (previous.start_pos or 0))
        return self.error(f"write `{field} {'is not empty' if negated else 'is empty'}` to find "
                          f"{'known' if negated else 'unknown'} values", span=span,
                          hints=["`empty` is not a value; `is empty` tests that there is none"])

    def negated_operator(self) -> QueryError | None:
        """`defendant not = "x"`: `not` goes before a condition (or in `not in`)."""
        found, previous = self.found, self.previous
        if found.type != "OPERATOR" or previous is None or previous.type != "_NOT" \
                or len(self.before) < 2 or self.before[-2].type != "NAME":
            return None
        field = str(self.before[-2])
        hints = [f"write `{field} != ...`"] if found.text == "=" else []
        hints.append(f"write `not {field} {found.text} ...` to negate the comparison")
        return self.error("`not` goes before a condition, or in `not in (...)`",
                          span=Span(previous.line, previous.column,
                                    found.position + len(found.text) - (previous.start_pos or 0)),
                          hints=hints)

    def unopened_parenthesis(self) -> QueryError | None:
        if self.found.type != "_RPAR":
            return None
        depth = sum({"_LPAR": 1, "_RPAR": -1}.get(token.type, 0) for token in self.before)
        if depth > 0:
            return None
        return self.error("this `)` closes no `(`", expected=self.expected_words())

    def date_with_time(self) -> QueryError | None:
        """`2024-01-19T10:00`: dates are days, months or years."""
        found, previous = self.found, self.previous
        if previous is None or previous.type != "DATE" or not re.match(r"[Tt]\d", found.text):
            return None
        written = re.match(r"[\w:.+-]*", self.text[found.position:]).group(0)
        return self.error("dates have no time of day", span=Span(found.line, found.column,
                                                                len(written)),
                          hints=[f"write the day alone: {previous}"])

    def as_of_not_a_date(self) -> QueryError | None:
        """`as of yesterday`, `as of "2024-01"`: `as of` takes a date as dates are written."""
        found, previous = self.found, self.previous
        if previous is None or previous.type != "_OF" or found.type not in ("NAME", "STRING"):
            return None
        if found.type == "STRING":
            inside = found.text[1:-1]
            if re.fullmatch(r"\d{4}(?:-\d\d?){0,2}", inside):
                return self.error("dates are written without quotes",
                                  hints=[f"write as of {inside}"])
            return self.error(f"`as of` takes a date, not the text {found.text}",
                              hints=["write as of 2024-01-19, as of 2024-01 or as of 2024"])
        return self.error(f"`{found.text}` is not a date: `as of` takes a day, a month or a "
                          f"year", expected=self.expected_words(),
                          hints=["write as of 2024-01-19, as of 2024-01 or as of 2024 (words "
                                 "such as today or yesterday are not dates)"])

    def in_without_list(self) -> QueryError | None:
        """`filed in 2023`: `in` takes a list in parentheses; a date range is `= 2023`."""
        found, previous = self.found, self.previous
        if previous is None or previous.type != "_IN" or found.type not in _VALUE_TERMINALS:
            return None
        from casekb.lang.registry import FieldType

        field = self.compared_field_name() or "FIELD"
        hints = [f"write {field} in ({found.text}, ...)"]
        known = self.compared_field()
        if found.type in ("DATE", "NUMBER") and known is not None \
                and known.type is FieldType.DATE:
            hints.append(f"for any date in a year or a month, write {field} = {found.text}")
        return self.error("`in` takes a list of values in parentheses", hints=hints)

    def sort_by(self) -> QueryError | None:
        """`sort by filed`, `sorted by`: the clause is `order by`."""
        found = self.found
        if found.type != "NAME" or found.text.lower() not in ("sort", "sorted", "orderby") \
                or "_ORDER" not in found.expected:
            return None
        rest = re.match(r"\w+(?:\s+by)?\s*(.*)", self.text[found.position:]).group(1)
        return self.error(f"`{found.text}` is not a clause: rows are sorted with `order by`",
                          expected=self.expected_words(),
                          hints=[f"write order by {rest.strip() or 'FIELD'}"])

    def unknown_unit(self) -> QueryError | None:
        """`12 monthz`: a number followed by a word that is not a unit."""
        found, previous = self.found, self.previous
        if found.type != "NAME" or previous is None or previous.type != "NUMBER":
            return None
        if re.fullmatch(r"(?:day|week|month|year|hour)s?", found.text, re.IGNORECASE):
            return None  # a real unit where no amount can go: the generic message says why
        return self.error(f"`{found.text}` is not a unit",
                          hints=["amounts are written 30 days, 6 weeks, 18 months, 5 years, "
                                 "24 hours or $500"])

    def bare_value(self) -> QueryError | None:
        found = self.found
        if found.type not in ("NAME", "_NOT", "_IN", "_IS", "_EMPTY", "_AND", "_OR") \
                or not (self.found.expected & _VALUE_TERMINALS):
            return None
        words = re.match(r"[A-Za-z][\w'.-]*(?:[ \t]+(?!(?:and|or|order|show|count|limit|with|"
                         r"as)\b)[A-Za-z][\w'.-]*)*", self.text[found.position:], re.IGNORECASE)
        bare = words.group(0) if words else found.text
        from casekb.lang.registry import FieldType

        field = self.compared_field()
        if field is not None and field.type in (FieldType.BOOLEAN, FieldType.INTEGER,
                                                FieldType.DATE, FieldType.QUANTITY):
            # Quoting it would not help: the field takes no text (`in_force = maybe`).
            return self.error(f"`{bare}` is not a value of {field.name}",
                              span=Span(found.line, found.column, len(bare)),
                              expected=self.expected_words())
        return self.error(f"`{bare}` is not a value: text goes in double quotes",
                          span=Span(found.line, found.column, len(bare)),
                          expected=self.expected_words(), hints=[f'write "{bare}"'])

    def missing_value(self) -> QueryError | None:
        """A keyword where the value of a comparison should be."""
        found = self.found
        if found.type in (None, "$END", *_VALUE_TERMINALS) \
                or not (found.expected & _VALUE_TERMINALS):
            return None  # a value of the wrong kind is not a missing one
        if self.previous is None:
            return None
        return self.error(f"missing a value after `{self.previous}`",
                          span=Span(found.line, found.column, max(1, len(found.text))),
                          expected=self.expected_words())

    def ended(self) -> QueryError | None:
        if self.found.type != "$END":
            return None
        if self.previous is None:
            return self.error("the query is empty",
                              expected=[entities_words(),
                                        "`count`", "`describe`", "`explain`"],
                              hints=["e.g. defendants, or charges where defendant = "
                                     "\"Alec Baldwin\""])
        return self.error(f"query ended after `{self.previous}`", expected=self.expected_words())

    def misplaced(self) -> QueryError | None:
        """A clause keyword or a field where it cannot go."""
        found = self.found
        expected = self.found.expected
        if found.type == "NAME" and "_WHERE" in expected:
            entity = find_entity(self.entity) if self.entity else None
            if entity is not None and entity.field(found.text) is not None:
                return self.error(f"unexpected field `{found.text}` after `{self.previous}`",
                                  expected=self.expected_words(),
                                  hints=[f"conditions follow `where`: {entity.name} where "
                                         f"{found.text} ..."])
        if found.type in _KEYWORD_TEXT and found.type not in ("_AND", "_OR", "_NOT", "_IN",
                                                              "_IS", "_EMPTY", "ASC", "DESC"):
            if expected & {"_WHERE", "_ORDER", "_LIMIT", "WITH", "$END"}:
                return self.error(f"`{found.text}` cannot come here",
                                  expected=self.expected_words(),
                                  hints=[f"clauses go in this order: {CLAUSE_ORDER}"])
        return None

    def generic(self) -> QueryError:
        found = self.found
        hints = []
        if found.type == "NAME" or (found.type is None and found.text.isalpha()):
            keywords = [_KEYWORD_TEXT[t] for t in self.found.expected if t in _KEYWORD_TEXT]
            word = found.text.lower()
            guess = nearest(word, keywords) or next(
                (k for k in keywords if len(k) >= 3 and word.startswith(k)), None)
            if guess:
                hints.append(f"did you mean `{guess}`?")
        if found.type in _VALUE_TERMINALS and self.previous is not None \
                and self.previous.type in ("_IS", "_NOT") and "_EMPTY" in self.found.expected:
            field = self.compared_field_name() or "field"
            hints.append(f"`is` only goes with `empty`; to compare write {field} = {found.text}")
        if found.type in _VALUE_TERMINALS and "NAME" in self.found.expected:
            field = self._first_field("defendant")
            hints.append(f"a condition names a field first: {field} = {found.text}")
        shown = found.text if found.text.strip() else repr(found.text)
        return self.error(f"unexpected `{shown}`", expected=self.expected_words(), hints=hints)

    # -- small helpers ----------------------------------------------------------------

    def _entity_or(self, default: str) -> str:
        found = find_entity(self.entity) if self.entity else None
        return found.name if found else default

    def _first_field(self, default: str) -> str:
        found = find_entity(self.entity) if self.entity else None
        return found.default_show[0] if found else default


def _token_span(token: Any) -> Span:
    return Span(token.line or 1, token.column or 1, max(1, len(token)))
