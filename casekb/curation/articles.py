"""The article texts of sources, read when a record cites them and kept only a little while.

A large folder holds hundreds of thousands of articles; validation and building read them one
file of records at a time, and the records of a file cite a few hundred sources at most,
mostly their own. A small cache of the latest articles serves them; an article asked for
again after it left is read again.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

from casekb.curation.files import ARTICLE_LIMIT, open_regular
from casekb.curation.quotes import normalise
from casekb.inputs import InputError, read_stream


@dataclass(frozen=True)
class Article:
    """The text of a source's article file."""

    source: str
    file: str
    text: str
    sha256: str


class ArticleCache:
    """The latest `capacity` articles read, with their normalised text (for quote matching)."""

    def __init__(self, folder: Path, capacity: int = 512):
        self.folder = folder
        self.capacity = capacity
        self._entries: OrderedDict[str, tuple[Article, list[str | None]]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def get(self, source: str, file: str) -> Article | None:
        """The article of `source` at `file` (relative to the folder); None when it can no
        longer be read as UTF-8 text (the first pass found it could)."""
        entry = self._entry(source, file)
        return entry[0] if entry is not None else None

    def normalised(self, source: str, file: str) -> str | None:
        """The article's text normalised for quote matching (see quotes.normalise)."""
        entry = self._entry(source, file)
        if entry is None:
            return None
        article, slot = entry
        if slot[0] is None:
            slot[0] = normalise(article.text)
        return slot[0]

    def _entry(self, source: str, file: str) -> tuple[Article, list[str | None]] | None:
        entry = self._entries.get(source)
        if entry is not None:
            self._entries.move_to_end(source)
            return entry
        article = read_article(self.folder, source, file)
        if article is None:
            return None
        entry = self._entries[source] = (article, [None])
        while len(self._entries) > self.capacity:
            self._entries.popitem(last=False)
        return entry


def read_article_bytes(path: str | Path, file: str) -> bytes:
    """The bytes of an article file: OSError (NotRegularFile for a FIFO, a device...) unless
    it is a regular file, InputError when it is larger than ARTICLE_LIMIT. `file` names it
    in messages."""
    with open_regular(path) as handle:
        return read_stream(handle, file, ARTICLE_LIMIT)


def read_article(folder: Path, source: str, file: str) -> Article | None:
    """Read an article known to be readable UTF-8 text without NUL; None if that changed
    since."""
    try:
        data = read_article_bytes(folder / file, file)
        text = data.decode("utf-8")
    except (OSError, InputError, UnicodeDecodeError):
        return None
    if "\x00" in text:
        return None
    return Article(source, file, text, hashlib.sha256(data).hexdigest())
