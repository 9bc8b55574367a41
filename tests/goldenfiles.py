"""Reading and writing the golden files of tests/golden/ (sql.txt, rows.txt, errors.txt).

Each file is a header of comments, then blocks: a `### QUERY` line (a query's line breaks are
written as \\n) and the expected text below it. CASEKB_UPDATE_GOLDEN=1 makes the tests write
what the code gives instead of comparing, for a person to review in the diff.
"""

from __future__ import annotations

import os
from pathlib import Path

FOLDER = Path(__file__).parent / "golden"
UPDATE = os.environ.get("CASEKB_UPDATE_GOLDEN") == "1"


def read_golden(path: Path) -> dict[str, str]:
    """The blocks of a golden file: query -> expected text."""
    blocks: dict[str, str] = {}
    query = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("### "):
            query = line[4:].replace("\\n", "\n")
            blocks[query] = ""
        elif query is not None:
            blocks[query] += line + "\n"
    return {q: body.strip("\n") for q, body in blocks.items()}


def write_golden(path: Path, blocks: dict[str, str]) -> None:
    """Write `blocks` to a golden file, keeping its header."""
    header = path.read_text(encoding="utf-8").split("\n### ", 1)[0].rstrip("\n") + "\n"
    parts = [header]
    for query, body in blocks.items():
        title = query.replace("\n", "\\n")
        parts.append(f"### {title}\n{body}\n")
    path.write_text("\n".join(parts), encoding="utf-8")
