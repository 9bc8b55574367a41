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
    """Every regular file under `folder` as (relative posix path, path), in the order of the
    relative paths, skipping hidden files and folders and Python caches.

    Streamed, folder by folder: a folder's entries are taken in the order of the paths
    below them (a subfolder sorts as its name and '/'), so no list of every file is held
    (it was the peak of a build: 283,000 articles at 100k cases, some 150 MB of paths).
    """
    yield from _walk_below(Path(folder), "")


def _walk_below(directory: Path, prefix: str):
    entries = []
    try:
        with os.scandir(directory) as scan:
            for entry in scan:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if not is_dir:
                    entries.append((entry.name, False))
                elif entry.name != "__pycache__" and not entry.is_symlink():
                    # As os.walk: a link to a folder is neither walked nor a file.
                    entries.append((entry.name + "/", True))
    except OSError:
        return  # an unreadable folder is skipped, as os.walk skips it
    entries.sort()
    for name, is_dir in entries:
        if is_dir:
            yield from _walk_below(directory / name[:-1], prefix + name)
        else:
            yield prefix + name, directory / name


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
