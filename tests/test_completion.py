"""Tab completion (casekb/repl/completion.py): what the parser says can come next.

The TAB key itself, in a real terminal, is tested in tests/test_repl.py; here the completer
is asked directly, with the names of the bundled Rust store.
"""

from __future__ import annotations

import pytest

from casekb import vocab
from casekb.lang.registry import entity, entity_names
from casekb.repl.commands import FORMATS, completion_table
from casekb.repl.completion import Completer, keywords, word_start


@pytest.fixture(scope="module")
def completer(rust_db):
    from casekb.repl.session import Session

    session = Session(str(rust_db))
    yield Completer(session.names, completion_table())
    session.close()


def candidates(completer, buffer: str) -> tuple[str, ...]:
    return completer.complete(buffer).candidates


def test_a_statement_starts_with_an_entity_a_keyword_or_a_view(completer):
    offered = candidates(completer, "")
    assert set(entity_names()) <= set(offered)
    assert {"count", "explain", "describe", "profile", "timeline"} <= set(offered)
    assert "where" not in offered


def test_partial_words_and_letter_case(completer):
    assert candidates(completer, "cha") == ("charges",)
    assert candidates(completer, "  pe") == ("penalties", "people")
    assert candidates(completer, "charges WH") == ("WHERE",)
    assert completer.complete("charges wh").start == len("charges ")


def test_clauses_after_the_entity_come_from_the_grammar(completer):
    offered = candidates(completer, "charges ")
    assert set(offered) == {"where", "as of", "count", "show", "order by", "limit",
                            "with sources"}
    assert candidates(completer, "charges as ") == ("of",)
    assert candidates(completer, "count charges ") == (
        "as of", "by", "limit", "order by", "where", "with sources")


def test_fields_of_the_entity_being_asked_about(completer):
    assert candidates(completer, "charges where ") == tuple(
        sorted([*entity("charges").field_names, "not", "possibly"]))
    assert candidates(completer, "pleas where plea = \"guilty\" and ent") == ("entered",)
    assert candidates(completer, "count verdicts by ") == tuple(
        sorted(entity("verdicts").field_names))
    assert candidates(completer, "charges show offense, st") == ("stage", "status", "statute")
    assert candidates(completer, "explain sentences order by ") == tuple(
        sorted(entity("sentences").field_names))


def test_operators_words_after_a_field(completer):
    assert candidates(completer, "charges where status ") == ("in", "is", "not in")
    assert candidates(completer, "charges where closed is ") == ("empty", "not empty")
    offered = candidates(completer, 'charges where status = "pending" ')
    assert {"and", "or", "order by", "show"} <= set(offered)


def test_enum_values_from_the_vocabulary(completer):
    assert candidates(completer, "charges where status = ") == tuple(
        sorted(f'"{v}"' for v in vocab.CHARGE_STATUSES))
    assert candidates(completer, 'pleas where plea = "n') == ('"no contest"', '"not guilty"')
    assert candidates(completer, 'charges where status in ("pending", "con') == ('"convicted"',)
    assert candidates(completer, "charges where status not in (") == tuple(
        sorted(f'"{v}"' for v in vocab.CHARGE_STATUSES))
    assert candidates(completer, "penalties where kind = pro") == ('"probation"',)


def test_boolean_values(completer):
    assert candidates(completer, "pleas where agreement = ") == ("false", "true")
    assert candidates(completer, "penalties where suspended != t") == ("true",)


def test_names_of_people_and_cases_from_the_store(completer):
    offered = candidates(completer, "charges where defendant = ")
    assert {'"Alec Baldwin"', '"Baldwin"', '"David Halls"', '"Hannah Gutierrez Reed"'} <= \
        set(offered)
    assert candidates(completer, 'statements where speaker = "mickey r') == ('"Mickey Rourke"',)
    completion = completer.complete('charges where defendant = "Alec B')
    assert completion.start == len("charges where defendant = ")
    assert completion.candidates == ('"Alec Baldwin"',)
    assert candidates(completer, "events where case = ") == (
        '"Rust film set shooting"', '"Rust shooting"', '"Rust"')


def test_no_values_for_free_text_and_nothing_after_a_mistake(completer):
    assert candidates(completer, "charges where offense = ") == ()
    assert candidates(completer, "charges where nonsense = ") == ()
    assert candidates(completer, "select ") == ()  # not an entity: nothing follows
    assert candidates(completer, "charge ") != ()  # the singular is an entity too
    assert candidates(completer, "charges wher ") == ()


def test_views_complete_names(completer):
    assert candidates(completer, 'profile "Dave') == ('"Dave Halls"',)
    assert candidates(completer, "profile Davi") == ('"David Halls"',)
    assert candidates(completer, "timeline R") == (
        '"Rust film set shooting"', '"Rust shooting"', '"Rust"')


def test_dot_commands_and_their_arguments(completer, tmp_path):
    assert candidates(completer, ".fo") == (".format",)
    assert {".help", ".quit", ".sql", ".read", ".output", ".timer", ".explain"} <= \
        set(candidates(completer, "."))
    assert candidates(completer, ".format ") == tuple(sorted(FORMATS))
    assert candidates(completer, ".format js") == ("json", "jsonl")
    assert candidates(completer, ".describe pe") == ("penalties", "people")
    assert candidates(completer, ".timer o") == ("off", "on")
    assert candidates(completer, ".help fo") == ("format",)
    (tmp_path / "queries.ckb").write_text("charges\n")
    (tmp_path / "reports").mkdir()
    assert candidates(completer, f".read {tmp_path}/q") == (f"{tmp_path}/queries.ckb",)
    assert candidates(completer, f".output {tmp_path}/r") == (f"{tmp_path}/reports/",)
    assert candidates(completer, ".sql SEL") == ()


def test_keywords_are_read_from_the_grammar():
    words = keywords()
    assert words["_WHERE"] == "where" and words["WITH"] == "with" and words["DESC"] == "desc"
    assert not {"NAME", "TRUE", "FALSE", "STRING", "OPERATOR", "_LPAR"} & set(words)


@pytest.mark.parametrize("buffer, start", [
    ("", 0),
    ("charges wh", 8),
    ('charges where defendant = "Alec B', 26),
    ('charges where defendant = "Alec" and offense ~ "inv', 47),
    ('charges where defendant = "x" -- "note\ncou', 39),
    (".form", 0),
    ("filed >= 2023-0", 9),
])
def test_word_start(buffer, start):
    assert word_start(buffer) == start


def test_readline_glue_completes_inside_a_quoted_name(completer):
    """readline splits words at spaces; a quoted name with a space is still completed, and a
    completed word ends with a space (Python's readline adds none)."""
    from casekb.repl.terminal import LineEditor

    class FakeReadline:
        def __init__(self, line: str):
            self.line = line

        def get_line_buffer(self):
            return self.line

        def get_begidx(self):
            return max(self.line.rfind(c) for c in ' "') + 1

        def get_endidx(self):
            return len(self.line)

    editor = LineEditor.__new__(LineEditor)
    editor.completer, editor.context = completer, lambda: ""
    editor.readline = FakeReadline('charges where defendant = "Alec Ba')
    assert editor._compute_matches() == ['Baldwin" ']
    editor.readline = FakeReadline("charges wh")
    assert editor._compute_matches() == ["where "]
    # On a continuation line, the earlier lines say which entity the fields belong to.
    editor.context = lambda: "pleas where"
    editor.readline = FakeReadline("  agr")
    assert editor._compute_matches() == ["agreement "]


def test_the_store_names_are_read_once_per_session(rust_db):
    from casekb.repl.session import Session

    session = Session(str(rust_db))
    executed = []
    session.kb().connection().set_trace_callback(lambda sql: executed.append(1))
    completer = Completer(session.names, completion_table())
    assert executed == []  # nothing is read until a name can come next
    candidates(completer, "charges where status = ")
    assert executed == []  # a vocabulary needs no store
    first = candidates(completer, "charges where defendant = ")
    candidates(completer, 'pleas where defendant = "A')
    candidates(completer, "profile ")
    assert len(executed) == 1 and '"Dave Halls"' in first
    candidates(completer, "timeline ")
    assert len(executed) == 2  # the cases' names, once
    session.close()
