"""Which files make up a curated data folder, and the hash that identifies its contents.

Kept free of heavy imports: the default store compares this hash on every start.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

ARTICLES_DIR = "articles"
CURATED_SUFFIX = ".toml"


def _walk(folder: Path):
    """Every regular file under `folder` as (relative posix path, path), sorted, skipping
    hidden files and folders and Python caches."""
    found = []
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d != "__pycache__"]
        for name in files:
            if name.startswith("."):
                continue
            path = Path(root) / name
            found.append((path.relative_to(folder).as_posix(), path))
    found.sort()
    return found


def curated_files(folder: Path) -> list[tuple[str, Path]]:
    """The curated (*.toml) files of a folder, outside `articles/`, in a stable order."""
    return [(rel, path) for rel, path in _walk(folder)
            if rel.endswith(CURATED_SUFFIX) and not rel.startswith(ARTICLES_DIR + "/")]


def folder_hash(folder: Path) -> str:
    """A SHA-256 over the relative path and bytes of every file in the folder.

    Any change to a curated file or an article changes it, whichever file it is in; the
    store records it so the default store is rebuilt when the bundled data change.
    """
    digest = hashlib.sha256()
    for rel, path in _walk(Path(folder)):
        try:
            data = path.read_bytes()
        except OSError:
            data = b"<unreadable>"
        encoded = rel.encode("utf-8", "surrogateescape")
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
