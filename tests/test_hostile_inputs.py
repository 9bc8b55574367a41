"""Hostile input given to commands and to the library: endless or huge inputs, bytes that are
not UTF-8, NUL characters, values that turn a limit off, parameters given twice, arguments of
the wrong type.

Every one ends in one clear message (naming the input, and the limit when there is one) and
an exit status; never a traceback, a hang or memory that grows without end. The endless
inputs run in a child process with a memory cap and a time limit (tests/hostile_run.py), so
that a regression fails the test instead of the machine.
"""

from __future__ import annotations

import pytest
from hostile_run import run_casekb

LIMIT_TEXT = "16 MiB"


# -- Endless inputs: /dev/zero as a file and as standard input --------------------------------

def test_a_report_file_that_never_ends_is_refused_naming_it_and_the_limit(rust_db):
    result = run_casekb("report", "/dev/zero", "--db", rust_db)
    assert result.clean, result.err[-2000:]
    assert result.code == 1
    assert "/dev/zero" in result.err and LIMIT_TEXT in result.err


@pytest.mark.parametrize("command", ["query", "explain"])
def test_a_query_on_standard_input_that_never_ends_is_refused(command, rust_db):
    with open("/dev/zero", "rb") as zero:
        result = run_casekb(command, "--db", rust_db, stdin=zero)
    assert result.clean, result.err[-2000:]
    assert result.code == 1
    assert "standard input" in result.err and LIMIT_TEXT in result.err


def test_a_script_on_standard_input_without_line_ends_is_refused(rust_db):
    with open("/dev/zero", "rb") as zero:
        result = run_casekb("repl", "--db", rust_db, stdin=zero)
    assert result.clean, result.err[-2000:]
    assert result.code == 1
    assert "line 1 of standard input" in result.err and "1 MiB" in result.err


def test_read_of_a_file_that_never_ends_is_refused_and_the_script_goes_on(rust_db):
    script = b".read /dev/zero\ndefendants show name order by name limit 1\n"
    result = run_casekb("repl", "--db", rust_db, "--format", "csv", input=script)
    assert result.clean, result.err[-2000:]
    assert "<stdin>:1:" in result.err and "line 1 of /dev/zero" in result.err
    assert "1 MiB" in result.err
    assert "Alec Baldwin" in result.out  # the line after it ran
    assert result.code == 1


def test_a_large_report_file_is_refused_before_it_is_parsed(tmp_path, run_cli, rust_db):
    report = tmp_path / "huge.md"
    with open(report, "wb") as out:
        out.truncate(16 * 2**20 + 1)  # a sparse file: no disk used
    result = run_cli("report", report, "--db", rust_db)
    assert result.code == 1
    assert str(report) in result.err and LIMIT_TEXT in result.err


def test_a_report_file_that_is_not_utf8_names_the_byte_and_line(tmp_path, run_cli, rust_db):
    report = tmp_path / "latin1.md"
    report.write_bytes(b"# Title\n\nCaf\xe9\n")
    result = run_cli("report", report, "--db", rust_db)
    assert result.code == 1
    assert "not UTF-8" in result.err and "0xe9" in result.err and "line 3" in result.err


# -- Bytes that are not UTF-8, and NUL characters ----------------------------------------------
# Python passes bytes that are not UTF-8 (`$'\xff'` on the command line) on as lone
# surrogates ("\udcff"); no database driver and no UTF-8 output accepts them.

@pytest.mark.parametrize("command", ["profile", "timeline"])
def test_a_view_name_that_is_not_utf8_is_a_message(command, run_cli, rust_db):
    result = run_cli(command, "Alec\udcffBaldwin", "--db", rust_db)
    assert result.code == 2
    assert "not UTF-8" in result.err and "Alec\ufffdBaldwin" in result.err


@pytest.mark.parametrize("command", ["profile", "timeline"])
def test_a_view_name_that_is_not_utf8_is_a_message_in_json_too(command, run_cli, rust_db):
    import json

    result = run_cli(command, "\udcff", "--db", rust_db, "--format", "json")
    assert result.code == 2
    assert "not UTF-8" in json.loads(result.err)["message"]


def test_a_script_line_that_is_not_utf8_is_reported_and_the_script_goes_on(rust_db):
    script = (b'profile "\xff"\n'
              b'.output \xfe\n'
              b'defendants show name order by name limit 1\n')
    result = run_casekb("repl", "--db", rust_db, "--format", "csv", input=script)
    assert result.clean, result.err[-2000:]
    assert "<stdin>:1: the line is not UTF-8 text (byte 0xff at column 10)" in result.err
    assert "<stdin>:2: the line is not UTF-8 text (byte 0xfe at column 9)" in result.err
    assert "Alec Baldwin" in result.out  # the third line ran, its output on the screen
    assert result.code == 1


def test_a_view_name_that_is_not_utf8_typed_at_the_prompt_is_a_message(rust_db):
    # At a terminal in the C locale, Python reads such bytes as surrogates, as in arguments.
    import io

    from casekb.repl.session import Session, Settings
    from casekb.repl.statements import Statement

    out, err = io.StringIO(), io.StringIO()
    session = Session(str(rust_db), Settings(format="csv"), out=out, err=err)
    try:
        assert not session.execute(Statement('profile "\udcff"', 1, "view"))
        assert "not UTF-8" in err.getvalue()
        assert session.execute(Statement("defendants show name limit 1", 2, "query"))
    finally:
        session.close()


@pytest.mark.parametrize("view", ["profile", "timeline"])
@pytest.mark.parametrize("name, words", [("Alec\udcffBaldwin", "not UTF-8 text"),
                                         ("\x00", "NUL"), ("Alec\x00Baldwin", "NUL")])
def test_a_view_name_no_store_holds_is_refused_by_the_library(view, name, words, rust_kb):
    # The library's own check (the command line had one before calling it): a raw
    # UnicodeEncodeError for the bytes; for a NUL, "no person called “ ”" with every name
    # holding a space as hints.
    from casekb.errors import UsageError

    with pytest.raises(UsageError) as caught:
        getattr(rust_kb, view)(name)
    message = caught.value.message
    assert words in message and ("the name" if view == "profile" else "the case") in message
    assert "\udcff" not in message and "\x00" not in message  # printable as it is


@pytest.mark.parametrize("command", [".output", ".read"])
def test_a_nul_in_a_shell_path_is_a_message_and_the_shell_goes_on(command, rust_db):
    script = f"{command} a\x00b\ndefendants show name order by name limit 1\n".encode()
    result = run_casekb("repl", "--db", rust_db, "--format", "csv", input=script)
    assert result.clean, result.err[-2000:]
    assert "<stdin>:1:" in result.err and "NUL" in result.err
    assert "Alec Baldwin" in result.out
    assert result.code == 1


def test_a_typed_line_that_is_not_utf8_is_skipped_and_the_shell_goes_on(rust_db):
    # In a UTF-8 locale Python decodes the terminal strictly: input() raises.
    import io

    from casekb.repl.session import Session, Settings

    class Editor:
        context = None

        def __init__(self):
            self.lines = [UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte"),
                          "defendants show name order by name limit 1", EOFError()]

        def read(self, prompt):
            line = self.lines.pop(0)
            if isinstance(line, BaseException):
                raise line
            return line

        def remember(self, entry):
            pass

    out, err = io.StringIO(), io.StringIO()
    session = Session(str(rust_db), Settings(format="csv"), out=out, err=err, interactive=True)
    try:
        session.interact(Editor())
    finally:
        session.close()
    assert "not UTF-8 text (byte 0xff)" in err.getvalue()
    assert "Alec Baldwin" in out.getvalue()


# -- Arguments of the wrong type or value, given by a program -----------------------------------
# One rule each (casekb/arguments.py), whichever method is given them, said before the store is
# asked: a float cap was "datatype mismatch ... rebuild it" on SQLite, a negative one showed
# "the first -1 of 15 rows", a negative time limit stopped the SQL at once as "longer than
# the time limit of -1 s", a NaN one turned the limit off without a word.

def _asking_with(kb, **argument):
    return {"query": lambda: kb.query("events", **argument),
            "run": lambda: kb.run("events", **argument),
            "explain": lambda: kb.explain("events", **argument),
            "sql": lambda: kb.sql("SELECT 1", **argument)}


@pytest.mark.parametrize("cap, error", [(2.5, TypeError), ("3", TypeError), (True, TypeError),
                                        (-1, ValueError)], ids=repr)
def test_a_row_cap_that_is_not_a_whole_number_of_rows_is_refused(cap, error, rust_kb):
    for how, ask in _asking_with(rust_kb, cap=cap).items():
        with pytest.raises(error, match=r"^cap is None \(every row\) or a whole number of "
                                        r"rows, 0 or more, not "):
            ask()
            pytest.fail(f"{how} took cap={cap!r}")
    assert len(rust_kb.query("events", cap=0).rows) == 0
    assert len(rust_kb.query("events", cap=None).rows) > 2
    assert len(rust_kb.sql("SELECT * FROM events", cap=2).rows) == 2


@pytest.mark.parametrize("timeout, error", [(-1, ValueError), (float("nan"), ValueError),
                                            (float("inf"), ValueError), ("1", TypeError),
                                            (True, TypeError)], ids=repr)
def test_a_time_limit_that_is_not_a_number_of_seconds_is_refused(timeout, error, rust_kb):
    with pytest.raises(error, match=r"^timeout is None \(no limit\) or a (finite )?number "
                                    r"of seconds"):
        rust_kb.sql("SELECT 1", timeout=timeout)
    for limit in (None, 0, 0.5, 5):
        assert rust_kb.sql("SELECT 1", timeout=limit).rows == [(1,)]


@pytest.mark.parametrize("ask, words", [
    (lambda kb: kb.query(b"charges"), "a query is text (str), not bytes"),
    (lambda kb: kb.query(None), "a query is text (str), not None"),
    (lambda kb: kb.run(None), "a statement is text (str), not None"),
    (lambda kb: kb.explain(42), "a query is text (str), not int"),
    (lambda kb: kb.sql(b"SELECT 1"), "the SQL is text (str), not bytes"),
    (lambda kb: kb.profile(None), "the name of a person is text (str), not None"),
    (lambda kb: kb.profile(42), "the name of a person is text (str), not int"),
    (lambda kb: kb.timeline(42), "the name of a case is text (str), not int"),
], ids=["query-bytes", "query-None", "run-None", "explain-int", "sql-bytes", "profile-None",
        "profile-int", "timeline-int"])
def test_a_question_that_is_not_text_is_a_type_error_saying_so(ask, words, rust_kb):
    with pytest.raises(TypeError) as caught:
        ask(rust_kb)
    assert str(caught.value).startswith(words)
