"""`casekb report FILE`: run a report file (Markdown with query blocks) and write it out.

Only argument handling lives here; the work is in casekb.report. Without FILE the command
lists the example reports shipped with casekb, which can be run by name.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from casekb.cli.query_cmds import DEFAULT_CAP, given_path, report_error, row_cap, store_option
from casekb.errors import EXIT_OK, CaseKBError

REPORT_FORMATS = ("markdown", "html", "json")  # the same as casekb.report.FORMATS


def register(subparsers) -> None:
    """Add this module's commands to the `casekb` parser."""
    report = subparsers.add_parser(
        "report", help="run a report: Markdown with query blocks, to Markdown, HTML or JSON",
        description="Run a report file: Markdown prose with ```casekb query blocks (and "
                    "```sql blocks), parameters given with --param. Without FILE, list the "
                    "example reports shipped with casekb; run one by its name, e.g.\n"
                    "  casekb report defendant-sheet --param defendant=\"Alec Baldwin\" "
                    "--format html -o sheet.html\n"
                    "The format is documented in reports/README.md.",
        formatter_class=argparse.RawDescriptionHelpFormatter)
    report.add_argument("file", nargs="?", metavar="FILE",
                        help="the report file, or the name of an example report")
    report.add_argument("--param", "-p", action="append", default=[], metavar="NAME=VALUE",
                        help="a parameter's value (repeat for several)")
    report.add_argument("--format", "-f", choices=REPORT_FORMATS, default="markdown",
                        help="markdown (default), html (one self-contained page) or json")
    report.add_argument("--output", "-o", metavar="OUT", type=given_path,
                        help="write to this file instead of standard output")
    report.add_argument("--keep-going", action="store_true",
                        help="render every block even when a query fails, with the error in "
                             "its place (the exit status is still 1)")
    store_option(report)
    report.add_argument("--limit", type=row_cap, default=DEFAULT_CAP, metavar="N",
                        help=f"at most N rows per query, with a note when more matched "
                             f"(default {DEFAULT_CAP}; 0: no cap)")
    report.add_argument("--link-base", metavar="URL",
                        help="where links to article files point: URL + the file's path in "
                             "the curated folder (default: the folder the store was built "
                             "from)")
    report.set_defaults(handler=run_report_command)


def run_report_command(args) -> int:
    """`casekb report`."""
    from casekb.kb import KB
    from casekb.outputs import check_target, write_text
    from casekb.report import load_report, parse_assignments, render_report, run_report
    from casekb.store.location import locate

    if args.file is None:
        return _list_examples()
    try:
        path = _find(args.file)
        # Checked before the report runs: the output may be neither the store nor the report.
        target = check_target(args.output, inputs=[("the store", locate(args.db).path),
                                                   ("the report", path)]) \
            if args.output else None
        report = load_report(path)
        given = parse_assignments(args.param)
        with KB(args.db) as kb:
            run = run_report(report, kb, given, keep_going=args.keep_going,
                             cap=args.limit or None)
    except CaseKBError as error:
        return report_error(error, args.format)  # as JSON on stderr when JSON was asked for
    if target is not None:
        write_text(target, lambda out: render_report(run, args.format, out,
                                                     link_base=args.link_base))
    else:
        render_report(run, args.format, sys.stdout, link_base=args.link_base)
    for error in run.errors:
        print(error.render(), file=sys.stderr)
    return run.errors[0].exit_code if run.errors else EXIT_OK


def _find(name: str) -> Path:
    """The report file: `name` as a path, else an example report of that name; ReportError
    naming the examples (the nearest first) when it is neither."""
    path = Path(name)
    if path.exists() or os.sep in name or "/" in name:
        return path
    from casekb.report import ReportError
    from casekb.resources import bundled_reports

    for candidate in (bundled_reports() / name, bundled_reports() / f"{name}.md"):
        if candidate.is_file():
            return candidate
    examples = _example_names()
    import difflib

    close = difflib.get_close_matches(name.removesuffix(".md"), examples, n=1, cutoff=0.5)
    hints = [f"did you mean {close[0]}?"] if close else []
    hints.append("the example reports: " + ", ".join(examples) + " (casekb report lists them)")
    raise ReportError(f"no report file {name}, and no example report of that name", hints=hints)


def _example_names() -> list[str]:
    from casekb.resources import bundled_reports

    return sorted(path.stem for path in bundled_reports().glob("*.md")
                  if path.name.lower() != "readme.md")


def _list_examples() -> int:
    from casekb.report import load_report
    from casekb.report.params import parameters_of
    from casekb.resources import bundled_reports

    folder = bundled_reports()
    print(f"Example reports ({folder}); run one with `casekb report NAME`:")
    for path in (folder / f"{name}.md" for name in _example_names()):
        try:
            report = load_report(path)
        except CaseKBError:
            continue
        parameters = parameters_of(report).values()
        needs = " ".join(f"--param {p.name}=..." if p.required else f"[--param {p.name}=...]"
                         for p in parameters)
        print(f"  {path.stem:<18} {report.title}" + (f"  {needs}" if needs else ""))
    return EXIT_OK
