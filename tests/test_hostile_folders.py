"""Hostile curated folders: links out of the folder, FIFOs, devices, huge files, NUL bytes.

`check` and `build` read only regular files inside the folder. What is not one is skipped
with a note when nothing refers to it, and is a problem when it is an article a source
names or a curated (*.toml) file. Nothing may hang (a FIFO waits for a writer for ever),
fill memory (a link to /dev/zero) or end in a traceback: the commands run in a child
process with a time limit and a memory cap (tests/hostile_run.py).
"""

from __future__ import annotations

import os
import socket

import pytest
from hostile_run import run_casekb, run_python

ARTICLE = "articles/example-gazette-2024-03-01.txt"
SHORT = 30.0  # seconds: every command here takes about one; a hang is a failure, not CI's


def _unreferenced_oddities(folder) -> dict[str, str]:
    """Files no record refers to, of every kind a walk must not read; name -> what."""
    (folder / "notes.txt").symlink_to("/dev/zero")
    os.mkfifo(folder / "scratch.fifo")
    (folder / "outside.txt").symlink_to("/etc/hostname")
    (folder / "nowhere.txt").symlink_to(folder / "missing")
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "parent").symlink_to(folder.parent, target_is_directory=True)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "articles" / "a.sock"))
    server.close()
    return {"notes.txt": "a link out of the folder (to /dev/zero)",
            "scratch.fifo": "a FIFO",
            "outside.txt": "a link out of the folder",
            "nowhere.txt": "a link to nothing",
            "parent": "a link out of the folder",
            "articles/a.sock": "a socket"}


@pytest.mark.parametrize("command", ["check", "build"])
def test_unreferenced_links_fifos_and_sockets_are_skipped_with_a_note(command, curated_folder,
                                                                     tmp_path):
    expected = _unreferenced_oddities(curated_folder)
    args = [command, curated_folder]
    if command == "build":
        args += ["--db", tmp_path / "store.sqlite"]
    result = run_casekb(*args, timeout=SHORT)
    assert result.clean, (result.code, result.err[-2000:])
    assert result.code == 0, result.out + result.err
    for name, what in expected.items():
        named = f"note: {curated_folder / name}: not read: "  # named from where it ran
        note = next((line for line in result.err.splitlines() if line.startswith(named)), None)
        assert note is not None and what in note, (name, result.err)
    if command == "build":
        assert (tmp_path / "store.sqlite").exists()


def test_the_notes_are_in_the_json_of_check(curated_folder, run_cli):
    import json

    os.mkfifo(curated_folder / "scratch.fifo")
    result = run_cli("check", curated_folder, "--format", "json")
    data = json.loads(result.out)
    assert result.code == 0 and data["ok"]
    assert any(note["file"] == "scratch.fifo" and "FIFO" in note["message"]
               for note in data["notes"])


def test_the_folder_hash_skips_what_it_cannot_read_and_never_waits(curated_folder):
    def folder_hash() -> str:
        result = run_python("import sys; from casekb.curation.files import folder_hash; "
                            "print(folder_hash(sys.argv[1]))", curated_folder, timeout=SHORT)
        assert result.clean and result.code == 0, result.err[-2000:]
        return result.out.strip()

    before = folder_hash()
    os.mkfifo(curated_folder / "scratch.fifo")
    (curated_folder / "notes.txt").symlink_to("/dev/zero")
    assert folder_hash() == before  # neither is read (nor waited on)
    (curated_folder / "articles" / "more.txt").write_text("more")
    assert folder_hash() != before


def _replace_article(folder, make) -> None:
    path = folder / ARTICLE
    path.unlink()
    make(path)


@pytest.mark.parametrize("make, what", [
    (os.mkfifo, "a FIFO"),
    (lambda path: path.symlink_to("/dev/zero"), "not a path inside the curated folder"),
    (lambda path: os.symlink(path.with_name("fifo"), path) or os.mkfifo(path.with_name("fifo")),
     "a FIFO"),
])
@pytest.mark.parametrize("command", ["check", "build"])
def test_an_article_that_is_not_a_regular_file_is_a_problem(make, what, command,
                                                            curated_folder, tmp_path):
    _replace_article(curated_folder, make)
    args = [command, curated_folder]
    if command == "build":
        args += ["--db", tmp_path / "store.sqlite"]
    result = run_casekb(*args, timeout=SHORT)
    assert result.clean, (result.code, result.err[-2000:])
    assert result.code == 1
    output = result.out + result.err
    assert "sources.toml:" in output and "'file'" in output and what in output, output
    assert "note: " + ARTICLE not in output  # a problem, not a note as well
    assert not (tmp_path / "store.sqlite").exists()


def test_an_article_larger_than_the_limit_is_a_problem(curated_folder, run_cli):
    with open(curated_folder / ARTICLE, "r+b") as article:
        article.truncate(16 * 2**20 + 1)  # sparse: no disk used
    result = run_cli("check", curated_folder)
    assert result.code == 1
    assert "is larger than 16 MiB" in result.out and ARTICLE in result.out


def test_an_article_reached_through_a_link_inside_the_folder_is_read(curated_folder, run_cli):
    target = curated_folder / "articles" / "real.txt"
    (curated_folder / ARTICLE).rename(target)
    (curated_folder / ARTICLE).symlink_to(target)
    result = run_cli("check", curated_folder)
    assert result.code == 0, result.out + result.err


@pytest.mark.parametrize("make, what", [
    (os.mkfifo, "a FIFO"),
    (lambda path: path.symlink_to("/dev/zero"), "a link out of the folder"),
    (lambda path: path.symlink_to("/etc/hostname"), "a link out of the folder"),
])
def test_a_curated_file_that_is_not_a_regular_file_inside_is_a_problem(make, what,
                                                                       curated_folder):
    make(curated_folder / "extra.toml")
    result = run_casekb("check", curated_folder, timeout=SHORT)
    assert result.clean, (result.code, result.err[-2000:])
    assert result.code == 1
    assert "extra.toml: " in result.out and what in result.out, result.out


def test_a_curated_file_larger_than_the_limit_is_a_problem(curated_folder, run_cli):
    with open(curated_folder / "extra.toml", "wb") as big:
        big.truncate(16 * 2**20 + 1)
    result = run_cli("check", curated_folder)
    assert result.code == 1
    assert "extra.toml: " in result.out and "larger than 16 MiB" in result.out


# -- NUL bytes in an article ------------------------------------------------------------------
# SQLite stores them, PostgreSQL refuses them (a psycopg DataError): refused at check on both.

def _article_with_nul(folder) -> int:
    path = folder / ARTICLE
    data = path.read_bytes()
    at = data.index(b"\n") + 1
    path.write_bytes(data[:at] + b"\x00" + data[at:])
    return at


def test_an_article_with_a_nul_byte_is_a_problem_naming_the_offset(curated_folder, run_cli):
    offset = _article_with_nul(curated_folder)
    result = run_cli("check", curated_folder)
    assert result.code == 1
    assert ARTICLE in result.out and "NUL" in result.out and f"byte offset {offset}" in result.out


def test_an_article_with_a_nul_byte_is_refused_by_a_sqlite_build(curated_folder, tmp_path,
                                                                 run_cli):
    _article_with_nul(curated_folder)
    result = run_cli("build", curated_folder, "--db", tmp_path / "store.sqlite")
    assert result.code == 1 and "NUL" in result.err
    assert not (tmp_path / "store.sqlite").exists()


def test_an_article_with_a_nul_byte_is_refused_by_a_postgres_build(curated_folder, pg_url,
                                                                   run_cli):
    _article_with_nul(curated_folder)
    result = run_cli("build", curated_folder, "--db", pg_url)
    assert result.code == 1 and "NUL" in result.err and ARTICLE in result.err
