"""The files of a curated folder come in the order of their paths, streamed
(casekb/curation/files.py): the folder hash a store records must not change with the way
the folder is walked."""

from __future__ import annotations

import os
from pathlib import Path

from casekb.curation import files


def _every_file_sorted(folder: Path) -> list[tuple[str, Path]]:
    """The walk as it was: every file listed, then sorted by relative path."""
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in names:
            if not name.startswith("."):
                path = Path(root) / name
                found.append((path.relative_to(folder).as_posix(), path))
    return sorted(found)


def test_the_walk_gives_every_file_in_the_order_of_their_paths(tmp_path):
    # Names that sort around '/': 'a-b/x' < 'a.txt' < 'a/x' < 'ab' as whole paths.
    for rel in ("a/x", "a/y/z", "a-b/x", "a.txt", "a b/c", "ab", "B/c", "é/f", "a/.hidden",
                ".git/config", "a/__pycache__/m.pyc", "z/a-b/c", "z/a/c", "z/a.txt"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(rel)
    (tmp_path / "linked").symlink_to(tmp_path / "a", target_is_directory=True)
    walked = list(files.regular_files(tmp_path))
    assert walked == _every_file_sorted(tmp_path)
    assert [rel for rel, _ in walked][:4] == ["B/c", "a b/c", "a-b/x", "a.txt"]
    assert "linked/x" not in dict(walked) and "a/.hidden" not in dict(walked)
