"""Query text -> syntax tree (`casekb.lang.ast`), or a QueryError that says what went wrong.

The LALR parser is lark's stand-alone parser generated from `grammar/casekb.lark` into
`casekb/lang/_standalone_parser.py` (`python -m casekb.lang.generate_parser`; a test fails
while the two disagree). Importing and loading it takes ~20 ms and imports no lark, where
importing lark and reading lark's cache of the analysed grammar took ~40 ms, on every query not
answered from the compiled-query cache. It is built once per process, lazily. The Transformer runs inside the
parser as it reduces, so no recursion over the tree is needed and deeply nested conditions
cannot overflow the stack here.

The parser's exceptions never leave this module: `parse` turns them into QueryError through
`casekb.lang.syntax`, which speaks the user's words.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from casekb.errors import QueryError, Span
from casekb.lang import ast
from casekb.lang.literals import check_text, unescape

if TYPE_CHECKING:
    from casekb.lang._standalone_parser import Lark, Token


def parse(text: str) -> ast.Statement:
    """Parse one statement (a query, `explain QUERY` or `describe ENTITY`).

    Raises QueryError with the line, column and span of the problem.
    """
    from casekb.lang._standalone_parser import UnexpectedInput

    check_text(text)
    parser = lark_parser()
    try:
        return parser.parse(text)
    except UnexpectedInput as error:
        from casekb.lang.syntax import syntax_error

        raise syntax_error(text, error, parser) from None
    except QueryError as error:  # raised by the transformer, which does not know the text
        error.query = text
        raise


@cache
def lark_parser() -> Lark:
    """The query language's parser (a lark `Lark`, from the generated stand-alone module),
    built on first use and kept for the process."""
    from casekb.lang._standalone_parser import Lark_StandAlone

    # The grammar's options (LALR, contextual lexer, placeholders for missing optionals) were
    # fixed when the module was generated: see casekb/lang/generate_parser.py.
    return Lark_StandAlone(transformer=_builder())


def span_of(token: Token) -> Span:
    """The span of one token."""
    return Span(token.line or 1, token.column or 1, max(1, len(token)))


def _joined(first: Span, last: Span) -> Span:
    """From the start of `first` to the end of `last` (clipped to first's line)."""
    if last.line != first.line:
        return Span(first.line, first.column, 10_000)
    return Span(first.line, first.column, max(1, last.column + last.length - first.column))


_LITERAL_KINDS = {"STRING": "string", "NUMBER": "number", "DATE": "date",
                  "QUANTITY": "quantity", "MONEY": "money", "TRUE": "boolean",
                  "FALSE": "boolean"}


def _literal(token: Token) -> ast.Literal:
    kind = _LITERAL_KINDS[token.type]
    text = unescape(str(token)) if kind == "string" else str(token)
    if kind == "boolean":
        text = "true" if token.type == "TRUE" else "false"
    return ast.Literal(kind, text, span_of(token))


def _name(token: Token) -> ast.Name:
    return ast.Name(str(token), span_of(token))


def _condition_span(node: ast.Condition) -> Span:
    span = getattr(node, "span", None)
    if span is not None:
        return span
    return _condition_span(node.items[0])  # And / Or: point at the first part


@cache
def _builder():
    """The Transformer, created on first use so that importing this module stays cheap."""
    from casekb.lang._standalone_parser import Transformer, v_args

    @v_args(inline=True)
    class AstBuilder(Transformer):
        """Builds `casekb.lang.ast` nodes as the parser reduces each rule."""

        def start(self, statement, _semicolon=None):
            return statement

        def explain(self, query):
            return ast.Explain(query)

        def describe(self, name=None):
            return ast.Describe(_name(name) if name is not None else None)

        def plain_query(self, entity, where, as_of, projection, order, limit, sources):
            kind, fields = projection or (None, ())
            as_of, possibly = as_of or (None, False)
            return ast.Query(
                entity=_name(entity), where=where, as_of=as_of, as_of_possibly=possibly,
                count=kind == "count",
                group_by=fields if kind == "count" else (),
                show=fields if kind == "show" else (), order_by=order or (), limit=limit,
                with_sources=sources is not None, with_sources_span=sources)

        def count_query(self, entity, group_by, where, as_of, order, limit, sources):
            as_of, possibly = as_of or (None, False)
            return ast.Query(
                entity=_name(entity), where=where, as_of=as_of, as_of_possibly=possibly,
                count=True,
                group_by=group_by or (), order_by=order or (), limit=limit,
                with_sources=sources is not None, with_sources_span=sources)

        def count_query_where_by(self, entity, where, as_of, group_by, order, limit, sources):
            return self.count_query(entity, group_by, where, as_of, order, limit, sources)

        def count_query_as_of_by(self, entity, as_of, group_by, order, limit, sources):
            return self.count_query(entity, group_by, None, as_of, order, limit, sources)

        def where(self, condition):
            return condition

        def as_of(self, possibly, token):
            return _literal(token), possibly is not None

        def count(self, group_by=None):
            return ("count", group_by or ())

        def show(self, *fields):
            return ("show", tuple(fields))

        def group_by(self, *fields):
            return tuple(fields)

        def order(self, *keys):
            return tuple(keys)

        def order_key(self, field, direction=None):
            return ast.OrderKey(field, direction is not None and direction.type == "DESC")

        def limit(self, token):
            return _literal(token)

        def sources(self, keyword):
            # Kept so that `with sources` can be pointed at when it does not apply.
            return Span(keyword.line, keyword.column, len("with sources"))

        def field(self, token):
            return _name(token)

        def disjunction(self, *items):
            return ast.Or(tuple(items))

        def conjunction(self, *items):
            return ast.And(tuple(items))

        def negation(self, item):
            return ast.Not(item, _condition_span(item))

        def possibly(self, keyword, item):
            return ast.Possibly(item, _joined(span_of(keyword), _condition_span(item)))

        def compare(self, field, operator, value):
            literal = _literal(value)
            return ast.Compare(field, str(operator), literal, _joined(field.span, literal.span))

        def in_list(self, field, *values):
            literals = tuple(_literal(value) for value in values)
            return ast.InList(field, literals, False, _joined(field.span, literals[-1].span))

        def not_in_list(self, field, *values):
            literals = tuple(_literal(value) for value in values)
            return ast.InList(field, literals, True, _joined(field.span, literals[-1].span))

        def is_empty(self, field):
            return ast.IsEmpty(field, False, field.span)

        def is_not_empty(self, field):
            return ast.IsEmpty(field, True, field.span)

    return AstBuilder()
