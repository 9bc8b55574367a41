"""Commands for other tools: `sql` (read-only SQL) and `export` (a standalone copy).

Only argument handling lives here; the work is in casekb.sql.access and casekb.export.
"""

from __future__ import annotations

import argparse
import sys

from casekb.cli.query_cmds import (
    DEFAULT_CAP,
    default_format,
    format_options,
    print_notes,
    report_error,
    row_cap,
    store_option,
)
from casekb.errors import EXIT_OK, CaseKBError, UsageError

DEFAULT_TIMEOUT = 10.0  # the same as casekb.sql.access.DEFAULT_TIMEOUT, kept here for start-up


def register(subparsers) -> None:
    """Add this module's commands to the `casekb` parser."""
    sql = subparsers.add_parser(
        "sql", help="run read-only SQL on the store (SELECT, WITH, EXPLAIN, VALUES)",
        description="Run one read-only SQL statement on the store, e.g.\n"
                    "  casekb sql 'SELECT defendant, offense, status FROM v_charges'\n"
                    "  casekb sql 'SELECT * FROM v_pleas WHERE defendant = :who' "
                    "--param who=\"Dave Halls\"\n"
                    "The SQL may also come on standard input. The views v_<entity> (v_charges, "
                    "v_pleas, ...), v_evidence and v_disputes are documented in the schema "
                    "README; `casekb schema` prints every table and view. Nothing can be "
                    "written: the store is opened read-only and only reading is authorised.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    sql.add_argument("text", nargs="?", metavar="SQL",
                     help="the SQL statement; omit it (or give -) to read it from standard input")
    sql.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                     help="the value of the parameter :NAME (or $NAME, @NAME) in the SQL, "
                          "bound by SQLite, never pasted into the SQL (repeat for several)")
    store_option(sql)
    format_options(sql)
    sql.add_argument("--limit", type=row_cap, default=DEFAULT_CAP, metavar="N",
                     help=f"show at most N rows, with a note when more matched "
                          f"(default {DEFAULT_CAP}; 0: no cap)")
    sql.add_argument("--timeout", type=_seconds, default=DEFAULT_TIMEOUT, metavar="SECONDS",
                     help=f"stop the statement after this many seconds "
                          f"(default {DEFAULT_TIMEOUT:g}; 0: no limit)")
    sql.set_defaults(handler=run_sql_command)

    export = subparsers.add_parser(
        "export", help="write a standalone copy of the store (SQLite, CSV files, Datasette)",
        description="Write the store for people who never install casekb: a standalone SQLite "
                    "file with every table and view (--format sqlite, the default), a folder "
                    "with one CSV file per view (--format csv), or a folder that Datasette "
                    "serves with its metadata: titles, descriptions of every view and column, "
                    "sorts, facets and canned queries (--datasette, then datasette PATH).")
    export.add_argument("path", metavar="PATH",
                        help="the SQLite file to write, or the folder for the CSV files or "
                             "for Datasette")
    store_option(export)
    export.add_argument("--format", "-f", choices=("sqlite", "csv", "datasette"),
                        default="sqlite",
                        help="sqlite (default): one file; csv: a folder of v_*.csv files; "
                             "datasette: a folder of casekb.sqlite and metadata.json")
    export.add_argument("--datasette", dest="format", action="store_const", const="datasette",
                        help="the same as --format datasette")
    export.add_argument("--force", action="store_true",
                        help="replace an existing file, or write into a folder that is not empty")
    export.set_defaults(handler=run_export_command)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds") from None
    if value < 0 or value != value or value == float("inf"):
        raise argparse.ArgumentTypeError("the time limit must be a number of seconds, 0 or more")
    return value


def _sql_text(args) -> str:
    if args.text is not None and args.text != "-":
        return args.text
    if sys.stdin is None or sys.stdin.isatty():
        raise UsageError("give a SQL statement, e.g. casekb sql 'SELECT * FROM v_charges', "
                         "or pipe one in")
    from casekb.inputs import read_stdin

    # Bytes that are not UTF-8 are kept (as Python keeps them in arguments), for the message
    # that points at them.
    return read_stdin("the SQL on standard input", strict=False)


def run_sql_command(args) -> int:
    """`casekb sql`: its time limit covers reading the SQL, running it and writing the rows."""
    from casekb.build.default import prepare_store
    from casekb.render import render
    from casekb.sql.access import Deadline, SQLTimeout, check_text, run_sql

    deadline = Deadline(args.timeout or None)
    fmt = args.format or default_format()
    try:
        text = _sql_text(args)
        params = _parameters(args.param)
        check_text(text)  # a bad statement is said before the store is looked at
        location = prepare_store(args.db)
        result = run_sql(text, location, cap=args.limit or None, params=params,
                         deadline=deadline)
    except CaseKBError as error:
        return report_error(error, fmt)

    def check() -> None:
        if deadline.passed():
            raise SQLTimeout(deadline.seconds or 0, writing=True)

    try:
        render(result, fmt, sys.stdout, header=not args.no_header, check=check)
    except CaseKBError as error:
        return report_error(error, fmt)
    note = result.size_note()
    if note:
        print(note, file=sys.stderr)
    else:
        print_notes(result, fmt)
    return EXIT_OK


def _parameters(assignments: list[str]) -> dict[str, str]:
    """--param NAME=VALUE, as for reports."""
    if not assignments:
        return {}
    from casekb.report.params import parse_assignments

    return parse_assignments(assignments)  # a name given twice is refused


def run_export_command(args) -> int:
    """`casekb export`."""
    from casekb.cli.store_cmds import terminal_progress
    from casekb.export.copy import export_csv, export_datasette, export_sqlite

    export = {"csv": export_csv, "datasette": export_datasette}.get(args.format, export_sqlite)
    # The steps are "copying pages" and view names, never a count of files.
    with terminal_progress("exporting") as progress:
        report = export(args.db, args.path, force=args.force, progress=progress)
    print(report.summary(), file=sys.stderr)
    return EXIT_OK
