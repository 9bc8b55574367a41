"""Which files make up a curated data folder, the hash that identifies its contents, and how
its files are opened.

Only regular files inside the folder are read. A folder may hold anything, and curators copy
folders around: a link to `/dev/zero` or out of the folder, a FIFO (reading one waits for a
writer for ever), a socket, a device. Those are skipped by the walk and named (`Entry.skipped`),
and every file is opened with `open_regular`, which refuses what is not a regular file
without waiting on it, and read with a size limit.

Kept free of heavy imports: the default store compares this hash on every start.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import BinaryIO, NamedTuple

ARTICLES_DIR = "articles"
CURATED_SUFFIX = ".toml"
# The list of sentences `casekb coverage` is told to leave alone (casekb/coverage): a TOML
# file at the top of the folder that holds no records.
COVERAGE_IGNORE = "coverage-ignore.toml"
# The most casekb reads of one curated file or article: far above any real one (a TOML file
# of 100 generated cases is about 1 MB, a long article 100 KB), and small enough that one
# file can never fill memory.
CURATED_FILE_LIMIT = 16 * 2**20
ARTICLE_LIMIT = 16 * 2**20
_CHUNK = 2**20


class Entry(NamedTuple):
    """One entry of the folder: its path relative to the folder (with '/'), its path, and
    why it is skipped ("" for a regular file inside the folder, which is read)."""

    rel: str
    path: Path
    skipped: str = ""


class NotRegularFile(OSError):
    """A path that is not a regular file inside the folder; the message says what it is."""


def regular_files(folder: Path):
    """Every regular file under `folder` as (relative posix path, path), in the order of the
    relative paths, skipping hidden files and folders and Python caches (see walk_entries)."""
    for entry in walk_entries(folder):
        if not entry.skipped:
            yield entry.rel, entry.path


def walk_entries(folder: Path):
    """Every entry under `folder` that is not a folder: regular files, and what is skipped
    (with the reason), as `Entry`s in the order of their relative paths. Hidden files and
    folders and Python caches are left out without a word.

    Streamed, folder by folder: a folder's entries are taken in the order of the paths
    below them (a subfolder sorts as its name and '/'), so no list of every file is held
    (it was the peak of a build: 283,000 articles at 100k cases, some 150 MB of paths).
    """
    folder = Path(folder)
    yield from _walk_below(folder, "", os.path.realpath(folder))


def _walk_below(directory: Path, prefix: str, root: str):
    entries = []
    try:
        with os.scandir(directory) as scan:
            for entry in scan:
                if entry.name.startswith("."):
                    continue
                try:
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    is_dir = False
                if is_dir:
                    if entry.name != "__pycache__":
                        entries.append((entry.name + "/", True, False))
                    continue
                try:  # from the folder's listing: no system call for most entries
                    regular = entry.is_file(follow_symlinks=False)
                except OSError:
                    regular = False
                entries.append((entry.name, False, regular))
    except OSError:
        return  # an unreadable folder is skipped, as os.walk skips it
    entries.sort()
    for name, is_dir, regular in entries:
        if is_dir:
            yield from _walk_below(directory / name[:-1], prefix + name, root)
        else:
            path = directory / name
            yield Entry(prefix + name, path, "" if regular else _why_skipped(path, root))


def _why_skipped(path: Path, root: str) -> str:
    """"" when `path` is a regular file inside the folder whose real path is `root` (a link
    to one counts), else what it is instead."""
    try:
        mode = os.lstat(path).st_mode
    except OSError as error:
        return f"cannot be read ({error.strerror or error})"
    if stat.S_ISREG(mode):
        return ""
    if not stat.S_ISLNK(mode):
        return _kind(mode)
    target = os.path.realpath(path)
    if not inside(target, root):
        return f"a link out of the folder (to {target})"
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return "a link to nothing"
    if stat.S_ISDIR(mode):
        return "a link to a folder (links to folders are not followed)"
    return "" if stat.S_ISREG(mode) else f"a link to {_kind(mode)}"


def _kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a FIFO (a named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a regular file"


def inside(path: str, root: str) -> bool:
    """Whether the real path `path` is the folder whose real path is `root`, or below it."""
    return path == root or path.startswith(os.path.join(root, ""))


def relative_inside(path: str | os.PathLike, folder: str | os.PathLike) -> str | None:
    """The path of `path` relative to `folder` (with '/', "." for the folder itself) when
    its real path is the folder's or lies below it, links and `..` resolved; else None."""
    real, root = os.path.realpath(path), os.path.realpath(folder)
    if not inside(real, root):
        return None
    return Path(os.path.relpath(real, root)).as_posix()


def open_regular(path: str | Path) -> BinaryIO:
    """Open a file for reading only if it is a regular file: NotRegularFile saying what it
    is otherwise (opening a FIFO does not wait for a writer). Links are followed; the
    caller checks where they lead."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except ValueError:  # a NUL in the path
        raise NotRegularFile("a name holding a NUL character") from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(_kind(mode))
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def curated_files(folder: Path) -> list[tuple[str, Path]]:
    """The curated (*.toml) files of a folder, outside `articles/`, in a stable order."""
    return [(rel, path) for rel, path in regular_files(folder) if is_curated(rel)]


def is_curated(rel: str) -> bool:
    """Whether the path `rel` (relative to the folder) names a curated file: *.toml,
    outside `articles/`, other than the coverage ignore file at the top."""
    return (rel.endswith(CURATED_SUFFIX) and not rel.startswith(ARTICLES_DIR + "/")
            and rel != COVERAGE_IGNORE)


def folder_hash(folder: Path, *, leave_out: str | os.PathLike | None = None) -> str:
    """A SHA-256 over the relative path and bytes of every regular file in the folder.

    Any change to a curated file or an article changes it, whichever file it is in; the
    store records it so the default store is rebuilt when the bundled data change. Files
    are read in pieces: a large file costs time, never memory. `leave_out` is a file that is
    not data: the store a build writes inside the folder, so that the store it replaces does
    not count as input (two builds of the same data record the same hash).
    """
    skip = relative_inside(leave_out, folder) if leave_out is not None else None
    digest = hashlib.sha256()
    for rel, path in regular_files(Path(folder)):
        if rel == skip:
            continue
        encoded = rel.encode("utf-8", "surrogateescape")
        digest.update(len(encoded).to_bytes(8, "big") + encoded)
        try:
            with open_regular(path) as handle:
                size = os.fstat(handle.fileno()).st_size
                digest.update(size.to_bytes(8, "big"))
                while chunk := handle.read(_CHUNK):
                    digest.update(chunk)
        except OSError:
            data = b"<unreadable>"
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
