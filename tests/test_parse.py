"""The grammar and the parser: query text -> syntax tree (casekb.lang.ast)."""

from __future__ import annotations

import re

import pytest

from casekb.errors import QueryError, Span
from casekb.lang import ast
from casekb.lang.literals import MAX_QUERY_CHARS
from casekb.lang.parser import lark_parser, parse
from casekb.resources import grammar_path

N = ast.Name


def lit(kind: str, text: str) -> ast.Literal:
    return ast.Literal(kind, text)


def test_an_entity_alone_is_a_query():
    assert parse("defendants") == ast.Query(N("defendants"))


def test_where_with_a_comparison():
    query = parse('charges where defendant = "Alec Baldwin"')
    assert query == ast.Query(N("charges"),
                              where=ast.Compare(N("defendant"), "=", lit("string", "Alec Baldwin")))


def test_keywords_ignore_letter_case_and_names_keep_theirs():
    upper = parse('CHARGES WHERE Defendant = "x" ORDER BY Filed DESC LIMIT 2')
    lower = parse('charges where Defendant = "x" order by Filed desc limit 2')
    assert upper.where == lower.where
    assert upper.order_by == (ast.OrderKey(N("Filed"), True),)
    assert upper.entity.text == "CHARGES"  # resolution ignores case; the parser keeps the text


def test_comments_and_line_breaks_are_layout():
    text = 'charges -- what was charged\n  where counts > 1 -- more than one\n  limit 3'
    assert parse(text) == parse("charges where counts > 1 limit 3")


def test_and_binds_tighter_than_or_and_not_tighter_than_and():
    query = parse('charges where a = 1 or b = 2 and not c = 3')
    assert query.where == ast.Or((
        ast.Compare(N("a"), "=", lit("number", "1")),
        ast.And((ast.Compare(N("b"), "=", lit("number", "2")),
                 ast.Not(ast.Compare(N("c"), "=", lit("number", "3"))))),
    ))


def test_parentheses_group():
    query = parse('charges where (a = 1 or b = 2) and c = 3')
    assert isinstance(query.where, ast.And)
    assert isinstance(query.where.items[0], ast.Or)


def test_every_operator():
    for op in ("=", "!=", "<", "<=", ">", ">=", "~"):
        assert parse(f"charges where counts {op} 1").where.op == op


def test_in_not_in_and_emptiness():
    query = parse('charges where status in ("pending", "convicted") and status not in ("x") '
                  'and closed is empty and filed is not empty')
    a, b, c, d = query.where.items
    assert a == ast.InList(N("status"), (lit("string", "pending"), lit("string", "convicted")))
    assert b == ast.InList(N("status"), (lit("string", "x"),), negated=True)
    assert c == ast.IsEmpty(N("closed"))
    assert d == ast.IsEmpty(N("filed"), negated=True)


@pytest.mark.parametrize("text, kind", [
    ('"no contest"', "string"), ("2", "number"), ("2024", "number"), ("2024-01", "date"),
    ("2024-01-19", "date"), ("12 months", "quantity"), ("18months", "quantity"),
    ("1.5 years", "quantity"), ("24 hours", "quantity"), ("30 DAYS", "quantity"),
    ("$500", "money"), ("$5,000", "money"), ("$5,000.50", "money"), ("true", "boolean"),
    ("No", "boolean"), ("yes", "boolean"),
])
def test_literal_kinds(text, kind):
    value = parse(f"penalties where amount = {text}").where.value
    assert value.kind == kind


def test_strings_unescape_only_quote_and_backslash():
    value = parse(r'charges where offense = "a \"b\" c\\d \n"').where.value
    assert value.text == 'a "b" c\\d \\n'


def test_money_lists_split_on_commas_between_amounts():
    values = parse("penalties where amount in ($5, $5,000,$6)").where.values
    assert [v.text for v in values] == ["$5", "$5,000", "$6"]


def test_count_before_the_entity_with_groups():
    query = parse("count charges by defendant, status order by count desc")
    assert query == ast.Query(N("charges"), count=True, group_by=(N("defendant"), N("status")),
                              order_by=(ast.OrderKey(N("count"), True),))


def test_count_groups_may_follow_the_filters():
    early = parse('count charges by defendant where status = "pending" as of 2024')
    late = parse('count charges where status = "pending" as of 2024 by defendant')
    as_of_only = parse("count charges as of 2024 by defendant")
    assert early == late
    assert as_of_only.group_by == (N("defendant"),) and as_of_only.as_of == lit("number", "2024")


def test_count_after_the_filters_of_a_plain_query():
    assert parse("charges where counts > 1 count by status") == ast.Query(
        N("charges"), where=ast.Compare(N("counts"), ">", lit("number", "1")), count=True,
        group_by=(N("status"),))
    assert parse("charges count") == ast.Query(N("charges"), count=True)


def test_show_order_limit_and_sources():
    query = parse('statements where speaker = "Mickey Rourke" show speaker, quote '
                  'order by date desc, speaker limit 5 with sources')
    assert query.show == (N("speaker"), N("quote"))
    assert query.order_by == (ast.OrderKey(N("date"), True), ast.OrderKey(N("speaker")))
    assert query.limit == lit("number", "5")
    assert query.with_sources


def test_as_of_takes_a_date_or_a_year():
    assert parse("charges as of 2023-06-01").as_of == lit("date", "2023-06-01")
    assert parse("charges as of 2023").as_of == lit("number", "2023")


def test_keywords_are_field_names_where_a_field_is_expected():
    # `by` is a field of verdicts and a keyword; `count` orders a count.
    query = parse('verdicts where by = "jury" show defendant, by order by by')
    assert query.where.field == N("by")
    assert query.show == (N("defendant"), N("by"))
    assert query.order_by == (ast.OrderKey(N("by")),)


def test_a_keyword_inside_a_longer_word_is_a_name():
    assert parse("people where notes = 1").where.field == N("notes")


def test_explain_and_describe_statements():
    assert parse("explain defendants") == ast.Explain(ast.Query(N("defendants")))
    assert parse("describe penalties") == ast.Describe(N("penalties"))
    assert parse("describe") == ast.Describe(None)


def test_one_trailing_semicolon_is_allowed():
    assert parse("defendants;") == parse("defendants")


def test_spans_point_at_the_words():
    text = 'charges\n  where defendant = "Alec"'
    compare = parse(text).where
    assert compare.field.span == Span(2, 9, 9)
    assert compare.value.span == Span(2, 21, 6)
    assert compare.span == Span(2, 9, 18)


def test_spans_do_not_take_part_in_equality():
    assert parse("charges  where counts=1") == parse("charges where counts = 1")


def test_syntax_errors_are_query_errors_with_a_position():
    with pytest.raises(QueryError) as caught:
        parse("charges where")
    assert caught.value.span is not None and caught.value.query == "charges where"


def test_overlong_text_is_refused_before_parsing():
    with pytest.raises(QueryError, match="the limit is"):
        parse("charges " + " " * MAX_QUERY_CHARS)


def test_the_parser_is_built_once():
    assert lark_parser() is lark_parser()


def test_the_grammar_is_found_through_resources():
    text = grammar_path().read_text(encoding="utf-8")
    assert "plain_query" in text and "_WHERE" in text


def test_every_terminal_of_the_grammar_has_user_words():
    from casekb.lang.syntax import TERMINAL_WORDS

    terminals = {t.name for t in lark_parser().terminals} - {"WS", "COMMENT"}
    missing = {name for name in terminals if name not in TERMINAL_WORDS}
    assert not missing, f"terminals without words in casekb/lang/syntax.py: {missing}"
    assert not any(re.search(r"__ANON|\$END|_[A-Z]", words) for words in TERMINAL_WORDS.values())
