"""`casekb coverage`: each article's sentences with the records that cite them, and the
sentences that look like legal facts no record cites (flagged), unless an ignore file says
why they are left out."""

from __future__ import annotations

from casekb.curation import check_folder

IGNORE = "coverage-ignore.toml"


def test_the_ignore_file_is_not_read_as_records(curated_folder):
    (curated_folder / IGNORE).write_text(
        '[[ignore]]\nsource = "gazette-2024-03-01"\ntext = "By Gazette staff"\n'
        'reason = "the by-line"\n', encoding="utf-8")
    assert check_folder(curated_folder).problems == []
