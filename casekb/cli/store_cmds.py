"""Commands that make and inspect stores: init, check, build, info, schema.

Only argument parsing and output here; the work is in casekb.curation, casekb.build,
casekb.curation.scaffold and casekb.store. Results go to stdout, messages to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from casekb.cli.query_cmds import given_path
from casekb.errors import EXIT_BAD_INPUT, EXIT_OK, CurationError, Problem


def register(subparsers) -> None:
    """Add this module's commands to the `casekb` parser."""
    check = subparsers.add_parser(
        "check", help="validate a curated data folder and list every problem",
        description="Validate curated data: every problem is listed with its file, record and "
                    "field. Exit status 1 when there is any.")
    check.add_argument("folder", nargs="?", metavar="DIR",
                       help="the curated data folder (default: the bundled seeds)")
    check.add_argument("--format", choices=("text", "json"), default="text",
                       help="json prints the problems and counts as data")
    check.set_defaults(handler=run_check)

    build = subparsers.add_parser(
        "build", help="validate a curated folder and build the store from it",
        description="Validate, then write the store atomically: the old store is replaced "
                    "only when the new one is complete.")
    build.add_argument("folder", nargs="?", metavar="DIR",
                       help="the curated data folder (default: the bundled seeds)")
    build.add_argument("--db", metavar="PATH_OR_URL", type=given_path,
                       help="the store to write (default: $CASEKB_DB, else the default store)")
    build.add_argument("--force", action="store_true",
                       help="replace the file at --db even if it is not a casekb store "
                            "(but never DIR itself or one of its files)")
    build.add_argument("--replace-default", action="store_true",
                       help="build DIR into the default store (which holds the bundled case "
                            "and answers every command without --db); without it, DIR needs "
                            "--db")
    build.set_defaults(handler=run_build)

    init = subparsers.add_parser(
        "init", help="create a new curated data folder with a documented example",
        description="Create DIR with an example article, sources.toml and a commented case "
                    "file that passes `casekb check DIR`. DIR must be new or empty.")
    init.add_argument("folder", metavar="DIR")
    init.set_defaults(handler=run_init)

    info = subparsers.add_parser(
        "info", help="show which store is used and what it holds",
        description="Open the store (building the default store if needed) and print where it "
                    "is, its schema version, when and from what it was built, and its row counts.")
    info.add_argument("--db", metavar="PATH_OR_URL", type=given_path,
                      help="the store (default: $CASEKB_DB, else the default store)")
    info.add_argument("--format", choices=("text", "json"), default="text")
    info.set_defaults(handler=run_info)

    schema = subparsers.add_parser(
        "schema", help="print the store's SQL schema (DDL)",
        description="Print the SQL DDL of the store (SQLite dialect), generated from the schema "
                    "declaration.")
    schema.set_defaults(handler=run_schema)


def curated_folder_of(args: argparse.Namespace):
    if args.folder:
        return args.folder
    from casekb.resources import bundled_seeds

    return bundled_seeds()


def run_check(args: argparse.Namespace) -> int:
    from casekb.curation import check_folder

    with terminal_progress("check") as progress:
        result = check_folder(curated_folder_of(args), progress=progress)
    shown = named_from_here(result.problems, args.folder)
    if args.format == "json":
        data = result.to_dict()
        for problem, seen in zip(data["problems"], shown):
            problem["path"] = seen.file  # beside "file", its path inside the folder
        print(json.dumps(data, indent=2, ensure_ascii=False))
        return EXIT_OK if result.ok else EXIT_BAD_INPUT
    _print_notes(result.notes, args.folder)
    if result.ok:
        print(result.summary())
    else:
        for problem in shown:
            print(problem.render())
        count = len(result.problems)
        print(f"{count} problem{'s' if count != 1 else ''} in {result.folder}")
    return EXIT_OK if result.ok else EXIT_BAD_INPUT


def run_build(args: argparse.Namespace) -> int:
    import shlex

    from casekb.build.builder import build_store
    from casekb.build.default import build_destination

    location = build_destination(args.db, args.folder, replace_default=args.replace_default)
    with terminal_progress() as progress:
        try:
            report = build_store(curated_folder_of(args), args.db, progress=progress,
                                 force=args.force)
        except CurationError as error:
            raise CurationError(named_from_here(error.problems, args.folder)) from None
    _print_notes(report.notes, args.folder)
    summary = report.summary()
    if location.is_default:  # "built the default store PATH: ..."
        summary = summary.replace("built ", "built the default store ", 1)
    print(summary, file=sys.stderr)
    if location.origin == "--db":
        print(f"ask it with: casekb query --db {shlex.quote(location.display)} 'defendants'",
              file=sys.stderr)
    return EXIT_OK


def named_from_here(problems: list[Problem], folder: str | None) -> list[Problem]:
    """The problems with each file named by a path to paste from where the command ran
    (`smith-bad/example/case.toml`), where the validator names it inside the data folder
    (`example/case.toml`). Problems about the folder itself already name it."""
    import dataclasses
    import os

    from casekb.resources import bundled_seeds

    base = folder if folder is not None else str(bundled_seeds())
    named = {base, str(Path(base))}
    return [problem if problem.file in named else
            dataclasses.replace(problem, file=os.path.join(base, problem.file))
            for problem in problems]


def _print_notes(notes: list[Problem], folder: str | None) -> None:
    """What a check or build did not read, and why (a link out of the folder, a FIFO),
    each file named from here as problems are."""
    for note in named_from_here(notes, folder):
        print(f"note: {note.render()}", file=sys.stderr)


def run_init(args: argparse.Namespace) -> int:
    from casekb.curation.scaffold import init_folder
    from casekb.resources import data_dir

    written = init_folder(args.folder)
    print(f"created {args.folder} with an example case:", file=sys.stderr)
    for path in written:
        print(f"  {path}", file=sys.stderr)
    print(f"next: edit it, then `casekb check {args.folder}` and "
          f"`casekb build {args.folder} --db STORE`", file=sys.stderr)
    print(f"the format of every record: {data_dir('schema') / 'curation.md'}", file=sys.stderr)
    return EXIT_OK


def run_info(args: argparse.Namespace) -> int:
    from casekb.build.default import prepare_store
    from casekb.store.open import describe_store

    info = describe_store(prepare_store(args.db))
    if args.format == "json":
        print(json.dumps(info, indent=2))
        return EXIT_OK
    print(f"store: {info['store']}")
    for key, value in info["meta"].items():
        print(f"{key}: {value}")
    print("rows: " + ", ".join(f"{table} {count}" for table, count in info["rows"].items()))
    return EXIT_OK


def run_schema(args: argparse.Namespace) -> int:
    from casekb.build.ddl import ddl

    sys.stdout.write(ddl())
    return EXIT_OK


@contextlib.contextmanager
def terminal_progress(doing: str = "building") -> Iterator[Callable[[str, int, int], None] | None]:
    """A progress line on standard error when it is a terminal (None otherwise): "building:
    charges 1200/3000" ("reading" and "checking" count files), cleared when the block ends,
    however it ends."""
    if not sys.stderr.isatty():
        yield None
        return

    def show(stage: str, done: int, total: int) -> None:
        unit = " files" if stage in ("reading", "checking") else ""
        print(f"\r\033[K{doing}: {stage} {done}/{total}{unit}", end="", file=sys.stderr,
              flush=True)

    try:
        yield show
    finally:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
