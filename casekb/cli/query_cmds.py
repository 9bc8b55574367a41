"""Commands that ask questions: `query`, `explain` and `describe`.

Only argument handling lives here; the questions are answered by the library object
(casekb/kb.py) and written by casekb.render. Heavy modules are imported inside the handlers so
that `casekb --help` stays fast.
"""

from __future__ import annotations

import argparse
import json
import sys

from casekb.errors import EXIT_OK, CaseKBError, UsageError

FORMATS = ("table", "csv", "tsv", "json", "jsonl", "markdown")
DEFAULT_CAP = 1000  # as casekb.kb.DEFAULT_CAP (not imported: `--help` stays fast)

_FORMAT_HELP = ("output format: table, csv, tsv, json, jsonl or markdown (default: table on a "
                "terminal, tsv otherwise)")


def register(subparsers) -> None:
    """Add this module's commands to the `casekb` parser."""
    query = subparsers.add_parser(
        "query", help="answer a question in the query language",
        description="Answer a question in casekb's query language, e.g.\n"
                    "  casekb query 'charges where defendant = \"Alec Baldwin\"'\n"
                    "The query may also come on standard input. `describe` lists the entities; "
                    "`describe ENTITY` their fields.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    query.add_argument("text", nargs="?", metavar="QUERY",
                       help="the query; omit it (or give -) to read it from standard input")
    store_option(query)
    format_options(query)
    query.add_argument("--limit", type=row_cap, default=DEFAULT_CAP, metavar="N",
                       help=f"show at most N rows, with a note when more matched "
                            f"(default {DEFAULT_CAP}; 0: no cap)")
    query.set_defaults(handler=run_query_command)

    explain = subparsers.add_parser(
        "explain", help="show the SQL a query runs, without running it",
        description="Print the SQL statement that a query runs, exactly as it runs, with its "
                    "parameters. The SQL is in the dialect of the store chosen by --db or "
                    "CASEKB_DB (SQLite by default); the store is opened to check the names "
                    "the query uses, but the query is not run.")
    explain.add_argument("text", nargs="?", metavar="QUERY",
                         help="the query; omit it (or give -) to read it from standard input")
    store_option(explain)
    explain.add_argument("--format", "-f", choices=("text", "json", "jsonl"), default=None,
                         help="text (default) or, with json/jsonl, {\"sql\", \"parameters\"}")
    explain.set_defaults(handler=run_explain_command)

    describe = subparsers.add_parser(
        "describe", help="list the entities, or an entity's fields with examples",
        description="Without ENTITY, list the entities the language knows. With one, list its "
                    "fields: type, meaning, and example values from the store.")
    describe.add_argument("entity", nargs="?", metavar="ENTITY")
    store_option(describe)
    format_options(describe)
    describe.set_defaults(handler=run_describe_command)


def given_path(text: str) -> str:
    """A path or URL given on the command line: not empty (`--db "$DB"` with DB unset would
    otherwise mean the default store, or standard output, without a word)."""
    if not text.strip():
        raise argparse.ArgumentTypeError("it is empty")
    return text


def store_option(parser) -> None:
    """Add `--db`, shared by every command that reads a store."""
    parser.add_argument("--db", metavar="PATH_OR_URL", type=given_path,
                        help="the store: a SQLite file or a postgresql+psycopg:// URL "
                             "(default: $CASEKB_DB, else the default store)")


def format_options(parser) -> None:
    """Add `--format` and `--no-header`, shared by query, describe and sql."""
    parser.add_argument("--format", "-f", choices=FORMATS, default=None, help=_FORMAT_HELP)
    parser.add_argument("--no-header", action="store_true",
                        help="leave out the header row (table, csv, tsv, markdown)")


def row_cap(text: str) -> int:
    """argparse type of `--limit`: a whole number, 0 meaning no cap."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError("the row cap cannot be negative")
    return value


def default_format(stream=None) -> str:
    """table on a terminal, tsv for pipes and files."""
    from casekb.repl.terminal import is_terminal

    return "table" if is_terminal(stream or sys.stdout) else "tsv"


def query_text(args) -> str:
    """The query from the command line, or from standard input."""
    if args.text is not None and args.text != "-":
        return args.text
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError("give a query, e.g. casekb query 'defendants', or pipe one in",
                         hints=["casekb describe lists what you can ask about"])
    from casekb.inputs import read_stdin

    # Bytes that are not UTF-8 are kept, for the language to underline where they are.
    return read_stdin("the query on standard input", strict=False)


def report_error(error: CaseKBError, fmt: str) -> int:
    """Print an error as JSON when JSON was asked for; otherwise let the dispatcher word it."""
    if fmt in ("json", "jsonl"):
        print(json.dumps(error.to_dict(), ensure_ascii=False), file=sys.stderr)
        return error.exit_code
    raise error


def run_query_command(args) -> int:
    """`casekb query`."""
    from casekb.execute.results import QueryResult
    from casekb.kb import KB
    from casekb.render import render

    fmt = args.format or default_format()
    try:
        text = query_text(args)
        with KB(args.db) as kb:
            outcome = kb.run(text, cap=args.limit or None)
    except CaseKBError as error:
        return report_error(error, fmt)
    if isinstance(outcome, QueryResult):
        # A table on a terminal is fitted to its width, as the shell's are.
        from casekb.repl.display import write_result
        from casekb.repl.terminal import is_terminal, terminal_width

        note = write_result(outcome, fmt, sys.stdout, header=not args.no_header,
                            width=terminal_width() if is_terminal(sys.stdout) else None)
        if note:
            print(f"note: {note}", file=sys.stderr)
    else:
        render(outcome, fmt, sys.stdout, header=not args.no_header)
    if isinstance(outcome, QueryResult):
        print_notes(outcome, fmt)
    else:
        _description_note(outcome)
    return EXIT_OK


def print_notes(result, fmt: str) -> None:
    """Tell on stderr when the row cap cut a result."""
    if result.truncated:
        print(f"note: {result.cap_note()} (raise the cap with --limit N, or --limit 0 for "
              f"all)", file=sys.stderr)
    elif not result.rows and fmt in ("table", "markdown"):
        print("(no rows)", file=sys.stderr)


def _description_note(outcome) -> None:
    note = getattr(outcome, "examples_note", None)
    if note:
        print(f"note: {note}", file=sys.stderr)


def run_explain_command(args) -> int:
    """`casekb explain`: the SQL a query runs on the chosen store, and its parameters."""
    from casekb.kb import KB
    from casekb.render import write_explanation

    fmt = args.format or "text"
    try:
        text = query_text(args)
        with KB(args.db) as kb:
            explanation = kb.explain(text)
    except CaseKBError as error:
        return report_error(error, fmt)
    write_explanation(explanation, fmt, sys.stdout)
    return EXIT_OK


def run_describe_command(args) -> int:
    """`casekb describe [ENTITY]`."""
    from casekb.kb import KB
    from casekb.lang.describe import describe
    from casekb.render import write_description

    fmt = args.format or default_format()
    text = (args.entity or "").strip()
    try:
        if not text:
            description = describe(None)  # the list of entities needs no store
        else:
            try:
                kb = KB(args.db)
            except CaseKBError as error:  # described all the same, without examples
                description = _without_store(text, error)
            else:
                with kb:
                    description = kb.describe(text)
    except CaseKBError as error:
        return report_error(error, fmt)
    write_description(description, fmt, sys.stdout, header=not args.no_header)
    _description_note(description)
    return EXIT_OK


def _without_store(text: str, error: CaseKBError):
    from casekb.errors import Span, StoreError
    from casekb.lang import ast
    from casekb.lang.describe import describe

    def no_examples(entity):
        raise StoreError(error.message)

    return describe(ast.Name(text, Span(1, 1, len(text))), no_examples, text=text)
