"""Progress of long work: `check` and `build` tell a callback about each file of each pass and
each table written; the command line draws it only on a terminal."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

from casekb.build.builder import build_store
from casekb.curation import check_folder
from casekb.curation.files import curated_files


def _recorder():
    calls: list[tuple[str, int, int]] = []
    return calls, lambda stage, done, total: calls.append((stage, done, total))


def test_check_reports_every_file_of_both_passes(seeds_dir):
    calls, progress = _recorder()
    check_folder(seeds_dir, progress=progress)
    files = len(curated_files(seeds_dir))
    assert [c for c in calls if c[0] == "reading"] == [("reading", n, files)
                                                       for n in range(1, files + 1)]
    assert [c for c in calls if c[0] == "checking"] == [("checking", n, files)
                                                        for n in range(1, files + 1)]


def test_build_reports_the_first_pass_and_every_table(seeds_dir, tmp_path):
    calls, progress = _recorder()
    report = build_store(seeds_dir, str(tmp_path / "store.sqlite"), progress=progress)
    stages = [stage for stage, _, _ in calls]
    assert stages[0] == "reading" and calls[stages.index("charges") - 1][0] != "charges"
    written = {stage: done for stage, done, _ in calls if stage not in ("reading", "checking")}
    assert written["charges"] == report.rows["charges"]
    assert written["evidence"] == report.rows["evidence"]


def _cli(*argv: str, tty: bool, tmp_path) -> str:
    """What `casekb ARGV` writes on stderr, a terminal or a pipe."""
    env = {**os.environ, "CASEKB_HOME": str(tmp_path / "home")}
    command = [sys.executable, "-m", "casekb", *argv]
    if not tty:
        return subprocess.run(command, capture_output=True, text=True, env=env,
                              timeout=120).stderr
    leader, follower = pty.openpty()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the terminal closes with the process
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=120)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_progress_is_drawn_on_a_terminal_only(seeds_dir, tmp_path):
    store = str(tmp_path / "store.sqlite")
    on_terminal = _cli("build", str(seeds_dir), "--db", store, "--force", tty=True,
                       tmp_path=tmp_path)
    assert "building: reading 1/" in on_terminal and "building: charges" in on_terminal
    piped = _cli("build", str(seeds_dir), "--db", store, "--force", tty=False,
                 tmp_path=tmp_path)
    assert "\r" not in piped and "reading" not in piped and piped.startswith("built ")
    checked = _cli("check", str(seeds_dir), tty=True, tmp_path=tmp_path)
    assert "check: reading 1/" in checked and "check: checking 1/" in checked
