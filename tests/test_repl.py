"""The interactive shell (casekb/repl/): a real `python -m casekb repl` in a pseudo-terminal,
driven with pexpect, plus the pieces that decide what a line means (statements, fitting
tables, cancelling) tested directly, and the shell reading a script from standard input.
"""

from __future__ import annotations

import os
import re
import signal
import sys
import threading
import time

import pytest

import casekb

from casekb.repl.statements import (
    Statement,
    StatementReader,
    Status,
    query_status,
    view_parts,
)

PROMPT = "casekb> "
CONTINUATION = r"\.\.\.> "
TIMEOUT = 8  # seconds; every exchange below takes well under one


# -- A shell in a pseudo-terminal ---------------------------------------------------------

@pytest.fixture
def home(tmp_path):
    """A fresh CASEKB_HOME (where the history lives) for each test."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


def spawn(rust_db, home, *, columns: int = 120, extra: tuple[str, ...] = ()):
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "CASEKB_HOME": str(home), "TERM": "dumb", "INPUTRC": os.devnull,
           "PYTHONUTF8": "1"}
    env.pop("CASEKB_DB", None)
    env.pop("COLUMNS", None)
    child = pexpect.spawn(sys.executable, ["-m", "casekb", "repl", "--db", str(rust_db), *extra],
                          env=env, encoding="utf-8", dimensions=(40, columns), timeout=TIMEOUT)
    child.expect_exact(PROMPT)
    return child


def ask(child, line: str) -> str:
    """Send a line and return what the shell printed before its next prompt."""
    child.sendline(line)
    child.expect_exact(PROMPT)
    return child.before.replace("\r\n", "\n")


@pytest.fixture
def needs_readline():
    pytest.importorskip("readline")


def test_a_query_and_its_table(rust_db, home):
    child = spawn(rust_db, home, columns=160)  # wide enough not to wrap (fitting: below)
    assert "casekb 0.1.0 on" in child.before and ".help" in child.before
    shown = ask(child, 'pleas where plea = "guilty"')
    assert re.search(r"\| defendant +\| offense +\| plea +\| stage +\| entered +\| agreement +\|",
                     shown)
    assert re.search(r"\| David Halls +\| negligent use of a deadly weapon +\| guilty +\|", shown)
    shown = ask(child, "count charges by status")
    assert re.search(r"\| pending +\| +3 \|", shown)
    child.sendeof()
    child.expect(pytest.importorskip("pexpect").EOF)
    child.wait()
    assert child.exitstatus == 0


def test_a_bad_query_prints_its_error_and_the_session_goes_on(rust_db, home):
    child = spawn(rust_db, home)
    shown = ask(child, "charges wher")
    assert "line 1, column 9: unexpected `wher`" in shown
    assert "  charges wher\n          ^^^^" in shown
    assert "hint: did you mean `where`?" in shown
    shown = ask(child, 'charges where defendant ~ "Nobody"')
    assert "(no rows)" in shown
    shown = ask(child, 'verdicts where by = "jury"')
    assert "Hannah Gutierrez-Reed" in shown


def test_multi_line_queries(rust_db, home):
    child = spawn(rust_db, home, columns=180)  # wide enough for whole names
    child.sendline("charges where")
    child.expect(CONTINUATION)
    child.sendline('  status = "convicted"')  # complete: it runs
    child.expect_exact(PROMPT)
    shown = child.before
    assert "David Halls" in shown and "Hannah Gutierrez-Reed" in shown
    assert "Alec Baldwin" not in shown
    child.sendline("count charges by")
    child.expect(CONTINUATION)
    child.sendline("defendant;")
    child.expect_exact(PROMPT)
    assert re.search(r"\| Alec Baldwin +\| +2 \|", child.before)
    # An empty line ends an unfinished query, so that its error says what is missing.
    child.sendline("pleas where")
    child.expect(CONTINUATION)
    shown = ask(child, "")
    assert "query ended after `where`" in shown


def test_tab_completes_keywords_entities_fields_and_names(rust_db, home, needs_readline):
    child = spawn(rust_db, home)
    child.send("cha\t")
    child.expect_exact("charges ")
    child.send("wh\t")
    child.expect_exact("where ")
    child.send("def\t")
    child.expect_exact("defendant ")
    child.send('= "Alec B\t')
    child.expect_exact('Baldwin" ')
    child.send("\r")
    child.expect_exact(PROMPT)
    rows = re.findall(r"\| Alec Baldwin +\| involuntary", child.before)
    assert len(rows) == 2  # the query ran with the completed text
    child.send(".fo\t")
    child.expect_exact(".format ")
    child.send("cs\t\r")  # .format csv
    child.expect_exact(PROMPT)
    shown = ask(child, "pleas show plea")
    assert "plea\nguilty\nnot guilty\n" in shown  # CSV, in the order pleas were entered


def test_tab_completes_a_name_begun_right_after_its_quote(rust_db, home, needs_readline):
    """GNU readline closes a quote itself when the word it completes follows a quote mark
    that ends a word; the completion must come out with one closing quote, not two."""
    child = spawn(rust_db, home)
    child.send('pleas where defendant = "Dave\t')
    child.expect_exact('Halls" ')
    child.send("show plea\r")
    child.expect_exact(PROMPT)
    shown = child.before.replace("\r\n", "\n")
    assert "unexpected" not in shown
    assert re.search(r"\| no contest +\|", shown)
    child.send('profile "Halyn\t')
    child.expect_exact('Hutchins" ')
    shown = ask(child, "")
    assert "Halyna Hutchins\n" in shown and "no person called" not in shown


def test_dot_commands(rust_db, home, tmp_path):
    child = spawn(rust_db, home)
    shown = ask(child, ".help")
    for command in (".format", ".sql", ".explain", ".read", ".output", ".timer", ".quit"):
        assert command in shown
    shown = ask(child, ".entities")
    assert "charges" in shown and "statements" in shown
    shown = ask(child, ".describe pleas")
    assert "agreement" in shown and "no contest" in shown
    shown = ask(child, ".fromat csv")
    assert "unknown command .fromat" in shown and "did you mean .format?" in shown
    ask(child, ".format csv")
    assert ask(child, "count charges").split("\n")[1:3] == ["count", "5"]
    ask(child, ".explain on")
    shown = ask(child, "count charges")
    assert shown.index("SELECT") < shown.index("count\n5")
    ask(child, ".explain off")
    ask(child, ".timer on")
    assert re.search(r"run time: \d+\.\d{3} s", ask(child, "count pleas"))
    ask(child, ".timer off")
    shown = ask(child, ".sql SELECT count(*) AS n FROM v_charges")
    assert shown.split("\n")[1:3] == ["n", "5"]


def test_output_and_read(rust_db, home, tmp_path):
    child = spawn(rust_db, home)
    target = tmp_path / "out.csv"
    ask(child, ".format csv")
    ask(child, f".output {target}")
    shown = ask(child, "count charges")
    assert "5" not in shown  # it went to the file
    ask(child, ".output stdout")
    assert target.read_text(encoding="utf-8") == "count\n5\n"
    script = tmp_path / "script.ckb"
    script.write_text('count pleas\ncharges wher\n.format json\nverdicts where by = "plea"\n',
                      encoding="utf-8")
    shown = ask(child, f".read {script}")
    assert "count\n4" in shown
    assert f"{script}:2:9: unexpected `wher`" in shown
    assert '"outcome": "convicted"' in shown
    shown = ask(child, ".read /nonexistent/file.ckb")
    assert "cannot read /nonexistent/file.ckb" in shown
    child.sendline(".quit")
    child.expect(pytest.importorskip("pexpect").EOF)
    child.wait()
    assert child.exitstatus == 0


def test_profile_and_timeline_views(rust_db, home):
    child = spawn(rust_db, home)
    shown = ask(child, 'profile "David Halls"')
    assert shown.split("\n")[1] == "David Halls"
    assert "plea: guilty, agreed, 2021-10-22/2023-01-20 [inferred, latest derived], in a plea" \
           in " ".join(shown.split())
    shown = ask(child, "timeline Rust")
    assert re.search(r"2021-10-21 +incident", shown)
    shown = ask(child, "profile Alec Baldwn")
    assert "did you mean “Alec Baldwin”?" in shown


def test_history_is_kept_across_sessions(rust_db, home, needs_readline):
    child = spawn(rust_db, home)
    ask(child, "count charges by status")
    child.sendline("charges where")
    child.expect(CONTINUATION)
    ask(child, '  defendant = "Dave Halls"')
    child.sendeof()
    child.expect(pytest.importorskip("pexpect").EOF)
    history = (home / "repl_history").read_text(encoding="utf-8")
    assert "count charges by status" in history
    assert 'charges where defendant = "Dave Halls"' in history  # one entry for two lines

    child = spawn(rust_db, home)
    child.send("\x10\x10")  # Ctrl-P twice: two statements back
    child.expect_exact("count charges by status")
    child.send("\r")
    child.expect_exact(PROMPT)
    assert re.search(r"\| convicted +\| +2 \|", child.before)


def test_ctrl_c_cancels_a_running_statement(rust_db, home):
    child = spawn(rust_db, home)
    ask(child, ".timeout off")
    child.sendline(".sql WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
                   "SELECT count(*) FROM c")
    time.sleep(0.5)  # it is running: it never ends on its own
    started = time.monotonic()
    child.sendintr()
    child.expect_exact("cancelled")
    child.expect_exact(PROMPT)
    assert time.monotonic() - started < 3
    shown = ask(child, "count charges")
    assert re.search(r"\| +5 \|", shown)


def test_ctrl_c_at_the_prompt_clears_the_line_and_ctrl_d_leaves(rust_db, home):
    pexpect = pytest.importorskip("pexpect")
    child = spawn(rust_db, home)
    child.send("charges wh")
    # Ctrl-C once the line is shown: CPython's readline misses a SIGINT that arrives while
    # it is still taking in typed characters (no person types and interrupts that fast).
    child.expect_exact("charges wh")
    child.sendintr()
    child.expect_exact(PROMPT)
    child.sendline("charges where")
    child.expect(CONTINUATION)
    child.sendintr()  # drops the unfinished query too
    child.expect_exact(PROMPT)
    shown = ask(child, "count pleas")
    assert re.search(r"\| +4 \|", shown)
    assert "error" not in shown and "unexpected" not in shown
    child.sendeof()
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0


def test_wide_results_fit_the_terminal_and_long_ones_stop_at_the_limit(rust_db, home):
    child = spawn(rust_db, home, columns=120)
    # Too wide by a little: the widest column (the quote) is wrapped, nothing is cut.
    shown = ask(child, 'statements where speaker = "Alec Baldwin"')
    table = [line for line in shown.split("\n") if line.startswith(("|", "+"))]
    assert table and max(len(line) for line in table) <= 120
    assert max(len(line) for line in table) > 100  # the room is used
    assert "…" not in shown and "note:" not in shown
    assert "| Alec Baldwin | Halyna Hutchins |" in shown
    quote_column = " ".join(line.split("|")[5].strip() for line in table if line.startswith("|"))
    assert "I mean, honest to God, if I felt that I was responsible" in quote_column
    assert "And I don't say that lightly," in quote_column
    ask(child, ".limit 2")
    shown = ask(child, "statements")
    assert len(re.findall(r"^\| (?!speaker)\S", shown, re.MULTILINE)) == 2
    assert re.search(r"note: showing the first 2 of (\d+) rows", shown)
    with casekb.open(str(rust_db)) as kb:
        statements = len(kb.query("statements", cap=None).rows)
    assert int(re.search(r"first 2 of (\d+) rows", shown).group(1)) == statements


def test_results_too_wide_for_a_table_are_shown_as_records(rust_db, home):
    child = spawn(rust_db, home, columns=70)
    shown = ask(child, 'pleas where defendant = "Dave Halls" with sources')
    assert max(len(line) for line in shown.split("\n")) <= 70
    assert "-[ row 1 ]" in shown and "-[ row 2 ]" in shown and "-[ row 3 ]" not in shown
    assert "\noffense   | negligent use of a deadly weapon\n" in shown
    assert "sources   | independent-2023-01-20 · The Independent · 2023-01-20\n" in shown
    assert "note: shown as records: too wide for a table in 70 columns" in shown
    # .describe fits its table and the text around it too.
    shown = ask(child, ".describe pleas")
    assert max(len(line) for line in shown.split("\n")) <= 70
    assert "| agreement |" in shown and "How values compare:" in shown


def test_without_readline_the_shell_still_works(rust_db, home):
    """Some Pythons are built without readline: lines are then read plainly."""
    pexpect = pytest.importorskip("pexpect")
    env = {**os.environ, "CASEKB_HOME": str(home), "TERM": "dumb", "PYTHONUTF8": "1"}
    code = ("import sys; sys.modules['readline'] = None; from casekb.cli import main; "
            f"sys.exit(main(['repl', '--db', {str(rust_db)!r}]))")
    child = pexpect.spawn(sys.executable, ["-c", code], env=env, encoding="utf-8",
                          timeout=TIMEOUT)
    child.expect_exact(PROMPT)
    child.sendline("count charges by")
    child.expect(CONTINUATION)
    shown = ask(child, "  status")
    assert re.search(r"\| pending +\| +3 \|", shown)
    child.sendeof()
    child.expect(pexpect.EOF)
    child.wait()
    assert child.exitstatus == 0
    assert not (home / "repl_history").exists()


# -- Pieces tested directly ---------------------------------------------------------------

def feed_all(reader: StatementReader, lines: list[str], **options) -> list[Statement]:
    done = []
    for line in lines:
        done += reader.feed(line, **options)
    return done


def test_query_status():
    assert query_status("") is Status.EMPTY
    assert query_status("-- just a note") is Status.EMPTY
    assert query_status("charges") is Status.COMPLETE
    assert query_status("charges where") is Status.INCOMPLETE
    assert query_status('charges where defendant = "x" and') is Status.INCOMPLETE
    assert query_status("charges wher") is Status.WRONG
    assert query_status('charges where defendant = "open') is Status.WRONG


def test_reader_at_the_prompt():
    reader = StatementReader()
    assert reader.feed("charges where") == []
    assert reader.pending and reader.pending_text == "charges where"
    (done,) = reader.feed('  status = "pending"')
    assert done == Statement('charges where\n  status = "pending"', 1, "query")
    assert not reader.pending
    assert [s.kind for s in feed_all(reader, [".format csv", 'profile "X"', "timeline"])] == \
        ["dot", "view", "view"]
    assert reader.feed("   ") == [] and reader.feed("-- a note") == []
    assert reader.feed("count charges by") == []
    assert [s.text for s in reader.feed("status;")] == ["count charges by\nstatus;"]
    assert [s.text for s in reader.feed("charges wher")] == ["charges wher"]  # wrong: at once


def test_reader_takes_a_pasted_chunk_whole():
    reader = StatementReader()
    done = reader.feed("charges\n  where status = \"pending\"\ncount pleas")
    assert [s.text for s in done] == ['charges\n  where status = "pending"', "count pleas"]


def test_reader_of_a_script_waits_for_the_next_line():
    reader = StatementReader()
    lines = ["count charges", "  by status", "", "defendants", "people", "  show name",
             ".format csv", "pleas", "-- note", "  where plea = \"guilty\""]
    done = feed_all(reader, lines, more_may_follow=True) + reader.finish()
    assert [(s.text, s.line) for s in done] == [
        ("count charges\n  by status", 1), ("defendants", 4), ("people\n  show name", 5),
        (".format csv", 7), ('pleas\n-- note\n  where plea = "guilty"', 8)]


def test_view_parts():
    assert view_parts('profile "Alec Baldwin"') == ("profile", "Alec Baldwin")
    assert view_parts("PROFILE Alec Baldwin;") == ("profile", "Alec Baldwin")
    assert view_parts("timeline") == ("timeline", None)
    assert view_parts("profiles") is None
    # A quote left open is closed, not taken as part of the name.
    assert view_parts('profile "Dave Halls') == ("profile", "Dave Halls")
    assert view_parts('timeline "Rust;') == ("timeline", "Rust")
    assert view_parts('profile "') == ("profile", None)


def test_fitting_a_table_to_a_width():
    from casekb.repl.display import column_widths, fill, least_widths, natural_widths

    headers = ["name", "text"]
    rows = [["Alec Baldwin", "word " * 16], ["Dave Halls", "short"]]
    natural = natural_widths(headers, rows)
    assert natural == [len("Alec Baldwin"), 60]  # long text counts as wrapped at 60
    least = least_widths(headers, rows, natural)
    assert least == [len("Baldwin"), 20]  # the longest word; long text 20
    assert column_widths(natural, least, 80) == natural  # it fits: as it is
    widths = column_widths(natural, least, 33)
    assert sum(widths) == 33  # it fits exactly, using the room
    assert widths[0] == len("Alec Baldwin")  # the narrow column keeps its width
    assert column_widths(natural, least, 26) is None  # text would be under 20: records
    assert fill("a few words to wrap", 8) == "a few\nwords to\nwrap"
    assert fill("one\ntwo three", 20) == "one\ntwo three"  # its own line breaks are kept
    assert fill("x" * 12, 5) == "xxxxx\nxxxxx\nxx"  # nothing is cut


def test_records_wrap_their_values_to_the_width():
    import io

    from casekb.repl.display import write_records

    out = io.StringIO()
    write_records(["name", "quote"], [["Dave Halls", "word " * 20]], out, 40)
    lines = out.getvalue().split("\n")
    assert lines[0] == "-[ row 1 ]" + "-" * 29
    assert lines[1] == "name  | Dave Halls"
    assert lines[2].startswith("quote | word word") and lines[3].startswith("      | word")
    assert max(len(line) for line in lines) <= 40
    assert out.getvalue().count("word") == 20


def test_a_running_statement_is_interrupted_by_ctrl_c(rust_db):
    """The query language's statements run in a worker thread; Ctrl-C (SIGINT, delivered to
    the main thread) interrupts the store's connection the worker is using."""
    import casekb
    from casekb.repl.cancel import Cancelled, run_interruptibly

    kb = casekb.open(str(rust_db))
    timers = []

    def endless():
        # Ctrl-C comes once the statement runs, so it always finds the shell waiting for it.
        timers.append(threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)))
        timers[0].start()
        return kb.connection().execute(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
            "SELECT count(*) FROM c").fetchall()

    started = time.monotonic()
    with pytest.raises(Cancelled):
        run_interruptibly(endless, kb.interrupt)
    assert time.monotonic() - started < 3
    time.sleep(0.1)
    assert not [t for t in threading.enumerate() if t.name == "casekb-statement"]
    assert run_interruptibly(lambda: 42, kb.interrupt) == 42
    assert kb.query("count charges").rows == [(5,)]  # the store answers again
    kb.close()


# -- A script on standard input ------------------------------------------------------------

def test_a_script_on_standard_input(run_cli, rust_db):
    script = ("count charges\n  by status\n.format csv\npleas where\n  plea = \"guilty\";\n"
              "charges wher\nprofile \"Dave Halls\"\n")
    result = run_cli("repl", "--db", rust_db, input=script)
    assert result.code == 1  # one statement failed
    assert result.out.startswith("status\tcount\npending\t3\nconvicted\t2\n")
    assert "defendant,offense,plea,stage,entered,agreement\nDavid Halls," in result.out
    assert "David Halls\n  also written: Dave Halls, Halls\n" in result.out
    assert "PROMPT" not in result.out and PROMPT not in result.out
    assert result.err.startswith("<stdin>:6:9: unexpected `wher`\n  charges wher\n")


def test_a_clean_script_succeeds_and_casekb_alone_runs_the_shell(run_cli, rust_db,
                                                                 monkeypatch):
    monkeypatch.setenv("CASEKB_DB", str(rust_db))
    result = run_cli(input="count pleas\n.quit\ncount charges\n")
    assert (result.code, result.out, result.err) == (0, "count\n4\n", "")


def test_sql_with_a_parameter_in_the_shell_says_to_write_the_value(run_cli, rust_db):
    result = run_cli("repl", "--db", rust_db, input=".sql SELECT * FROM v_pleas WHERE "
                                                    "defendant = :who\n")
    assert result.code == 1 and result.out == ""
    assert result.err == ("<stdin>:1: the SQL uses the parameter :who but no value was given\n"
                          "hint: in the shell, write the value into the SQL: 'Dave Halls'\n")


def test_a_store_that_cannot_be_opened_is_said_at_once(run_cli, tmp_path):
    result = run_cli("repl", "--db", tmp_path / "missing.sqlite", input="count charges\n")
    assert result.code == 3
    assert "no casekb store at" in result.err
