"""The interactive shell and the views for people: `repl` (also `casekb` alone), `profile`
and `timeline`.

Only argument handling lives here; the shell is casekb.repl and the views casekb.profiles.
"""

from __future__ import annotations

import argparse
import sys

from casekb.errors import EXIT_OK, CaseKBError

VIEW_FORMATS = ("text", "json")


def register(subparsers) -> dict:
    """Add this module's commands to the `casekb` parser. Returns the defaults of the
    top-level parser: `casekb` with no command starts the shell."""
    from casekb.cli.query_cmds import FORMATS, row_cap, store_option

    repl = subparsers.add_parser(
        "repl", help="the interactive shell (also: casekb with no command)",
        description="Ask questions interactively: line editing, history, TAB completion, "
                    "queries over several lines (ending when complete or with `;`), dot "
                    "commands (.help lists them), and the views profile \"NAME\" and timeline "
                    "[\"CASE\"]. With input that is not a terminal (casekb repl < FILE) the "
                    "statements are read as a script, without prompts.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    store_option(repl)
    repl.add_argument("--format", "-f", choices=FORMATS, default=None,
                      help="how results are written (default: table on a terminal, tsv "
                           "otherwise; .format changes it)")
    repl.add_argument("--limit", type=row_cap, default=None, metavar="N",
                      help="show at most N rows of a result (default: 100 at the prompt, "
                           "1000 in a script; 0: no limit; .limit changes it)")
    repl.set_defaults(handler=run_repl_command)

    profile = subparsers.add_parser(
        "profile", help="everything about a person: roles, charges, pleas, verdicts, "
                        "sentences, statements, sources",
        description="A person's profile as readable text (or JSON): their roles; each "
                    "charge with its status history, pleas, verdicts, sentences and penalties; "
                    "what they said and what others said about them; and the articles all of "
                    "it comes from, as numbered references. Other spellings of the name work "
                    "too (\"David Halls\").")
    profile.add_argument("name", metavar="NAME", help="the person's name, or another spelling")
    store_option(profile)
    _view_format(profile)
    profile.set_defaults(handler=run_profile_command)

    timeline = subparsers.add_parser(
        "timeline", help="a case's events in date order, with their sources",
        description="A case's events in date order (dates shown as precisely as they are "
                    "known: 2021, 2023-01, 2023-01-19; undated events last), each with "
                    "references to the articles it comes from.")
    timeline.add_argument("case", nargs="?", metavar="CASE",
                          help="the case's title or another name it goes by (default: the "
                               "store's only case)")
    store_option(timeline)
    _view_format(timeline)
    timeline.set_defaults(handler=run_timeline_command)
    return {"default_handler": run_repl_command}


def _view_format(parser) -> None:
    parser.add_argument("--format", "-f", choices=VIEW_FORMATS, default="text",
                        help="text (default) or json")


def run_repl_command(args) -> int:
    """`casekb repl`, and `casekb` alone."""
    from casekb.repl.session import run_session

    # `casekb` alone has none of the options: the defaults apply.
    limit = getattr(args, "limit", None)
    return run_session(getattr(args, "db", None), fmt=getattr(args, "format", None),
                       cap=-1 if limit is None else (limit or None))


def run_profile_command(args) -> int:
    """`casekb profile NAME`."""
    from casekb.profiles.text import write_profile_text

    return _view(args, lambda kb: kb.profile(args.name), write_profile_text)


def run_timeline_command(args) -> int:
    """`casekb timeline [CASE]`."""
    from casekb.profiles.text import write_timeline_text

    return _view(args, lambda kb: kb.timeline(args.case), write_timeline_text)


def _view(args, build, write_text) -> int:
    """The view `build(kb)`, written as text or JSON."""
    from casekb.cli.query_cmds import report_error
    from casekb.kb import KB
    from casekb.profiles.text import write_json

    fmt = "json" if args.format == "json" else "table"  # report_error speaks JSON only for json
    try:
        # A name of bytes that are not UTF-8 (`$'\xff'`) is refused by the library, before
        # the store is opened.
        with KB(args.db) as kb:
            view = build(kb)
    except CaseKBError as error:
        return report_error(error, fmt)
    if args.format == "json":
        write_json(view, sys.stdout)
    else:
        write_text(view, sys.stdout, width=_width())
    return EXIT_OK


def _width() -> int:
    """The terminal's width on a terminal; the views' widest otherwise."""
    from casekb.profiles.text import TEXT_WIDTH

    if sys.stdout.isatty():
        import shutil

        return shutil.get_terminal_size((TEXT_WIDTH, 24)).columns
    return TEXT_WIDTH
