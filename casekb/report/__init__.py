"""Scripted reports: `casekb report FILE`.

A report is a Markdown file with fenced query blocks (```casekb, or ```sql for read-only
SQL) and optional TOML front matter declaring its title and parameters; reports/README.md
documents the format. The pipeline, one module each:

- parse.py: the file -> Report (front matter, prose, query blocks with their lines);
- params.py: the parameters' values from the command line, bound safely into the queries;
- run.py: each query answered on the store -> ReportRun (errors kept with --keep-going);
- render.py: a ReportRun as Markdown, HTML (markdown.py turns the prose into HTML) or JSON.

    report = load_report("reports/defendant-sheet.md")
    run = run_report(report, casekb.open(), {"defendant": "Alec Baldwin"})
    render_report(run, "html", sys.stdout)
"""

from __future__ import annotations

from casekb.report.params import ParameterError, parse_assignment, parse_assignments
from casekb.report.parse import (
    Parameter,
    Report,
    ReportError,
    load_report,
    parse_report,
)
from casekb.report.render import FORMATS, render_report
from casekb.report.run import ReportRun, run_report

__all__ = [
    "FORMATS", "Parameter", "ParameterError", "Report", "ReportError", "ReportRun",
    "load_report", "parse_assignment", "parse_assignments", "parse_report", "render_report",
    "run_report",
]
