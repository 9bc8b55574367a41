"""`casekb coverage`: each article's sentences with the records that cite them, and the
sentences that look like legal facts no record cites.

Only argument parsing and output here; the work is in casekb.coverage. The coverage goes to
stdout; problems, notes and the verdict to stderr. The exit status is that of a linter, as
for `check`: 1 when a flagged sentence is neither cited nor ignored, or when something could
not be read.
"""

from __future__ import annotations

import argparse
import json
import sys

from casekb.errors import EXIT_BAD_INPUT, EXIT_OK, CurationError


def register(subparsers) -> None:
    """Add `coverage` to the `casekb` parser."""
    coverage = subparsers.add_parser(
        "coverage", help="list each article's sentences with the records citing them, and "
                         "flag uncited ones that state legal facts",
        description="For each article of a curated folder, every sentence with the records "
                    "whose quotes cite it. A sentence that no record cites and that shows a "
                    "legal fact (a charge, plea, verdict, sentence, amount, date, trial or "
                    "statement) is flagged as possibly uncurated, unless coverage-ignore.toml "
                    "gives the reason it is left out. Exit status 1 when a flagged sentence "
                    "is neither cited nor ignored, or when something could not be read.")
    coverage.add_argument("folder", nargs="?", metavar="DIR",
                          help="the curated data folder (default: the bundled seeds)")
    coverage.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    coverage.add_argument("--flagged", action="store_true",
                          help="list only the flagged sentences that are neither cited nor "
                               "ignored (the summaries still count every sentence)")
    coverage.add_argument("--source", action="append", metavar="ID",
                          help="only the article of this source (may be given again)")
    coverage.set_defaults(handler=run_coverage)


def run_coverage(args: argparse.Namespace) -> int:
    from casekb.cli.store_cmds import curated_folder_of, named_from_here, terminal_progress
    from casekb.coverage import measure, output
    from casekb.inputs import text_argument

    sources = [text_argument(s, "--source") for s in args.source] if args.source else None
    with terminal_progress("coverage") as progress:
        try:
            coverage = measure(curated_folder_of(args), sources=sources, progress=progress)
        except CurationError as error:
            raise CurationError(named_from_here(error.problems, args.folder)) from None
    problems = named_from_here(list(coverage.problems), args.folder)
    notes = named_from_here(list(coverage.notes), args.folder)
    if args.format == "json":
        data = output.to_dict(coverage, unresolved_only=args.flagged)
        for kind, seen in (("problems", problems), ("notes", notes)):
            for item, named in zip(data[kind], seen):
                item["path"] = named.file  # beside "file", its path inside the folder
        print(json.dumps(data, indent=2, ensure_ascii=False))
    else:
        output.write_text(coverage, args.format, sys.stdout, unresolved_only=args.flagged)
    for note in notes:
        print(f"note: {note.render()}", file=sys.stderr)
    for problem in problems:
        print(problem.render(), file=sys.stderr)
    if problems:
        count = len(problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {coverage.folder}: the coverage "
              f"may be incomplete", file=sys.stderr)
    unresolved = coverage.totals.unresolved
    if unresolved:
        print(f"{unresolved} flagged sentence{'s are' if unresolved != 1 else ' is'} neither "
              f"cited nor ignored", file=sys.stderr)
    return EXIT_OK if coverage.ok else EXIT_BAD_INPUT
