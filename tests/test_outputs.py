"""Outputs never overwrite inputs, devices and FIFOs are written in place, and a full disk is
one message with its own exit status (casekb/outputs.py, and `main` for standard output).

The rule is the same for `report -o`, `export` (a SQLite file, CSV files) and the shell's
`.output`. Devices are made with mknod in the test's folder (root only), never /dev itself:
before the fix, writing to a device node renamed a regular file over it.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from casekb.errors import EXIT_IO, EXIT_USAGE

REPORT = ("report", "case-summary")


@pytest.fixture
def store(rust_db, tmp_path) -> Path:
    """A store of its own, which a test may see overwritten."""
    path = tmp_path / "store.sqlite"
    shutil.copyfile(rust_db, path)
    return path


def _device(folder: Path, name: str, minor: int) -> Path:
    """A character device node like /dev/null (minor 3) or /dev/full (minor 7)."""
    path = folder / name
    try:
        os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, minor))
    except PermissionError:
        pytest.skip("making a device node needs root")
    return path


def _is_char_device(path: Path) -> bool:
    return stat.S_ISCHR(os.lstat(path).st_mode)


# -- never over an input ------------------------------------------------------------------

@pytest.mark.parametrize("link", ["same", "symlink", "hardlink"])
def test_a_report_never_replaces_the_store(store, tmp_path, run_cli, link):
    before = store.read_bytes()
    target = {"same": store, "symlink": tmp_path / "link.sqlite",
              "hardlink": tmp_path / "hard.sqlite"}[link]
    if link == "symlink":
        target.symlink_to(store)
    elif link == "hardlink":
        os.link(store, target)
    result = run_cli(*REPORT, "--db", store, "-o", target)
    assert result.code == EXIT_USAGE
    assert "is the store" in result.err and "never writes over the store" in result.err
    assert store.read_bytes() == before


def test_a_report_never_replaces_itself(tmp_path, run_cli, rust_db):
    from casekb.resources import bundled_reports

    report = tmp_path / "mine.md"
    shutil.copyfile(bundled_reports() / "sources-audit.md", report)
    before = report.read_bytes()
    result = run_cli("report", report, "--db", rust_db, "-o", report)
    assert result.code == EXIT_USAGE
    assert "is the report" in result.err
    assert report.read_bytes() == before


def test_the_shell_output_never_truncates_the_open_store(store, run_cli):
    before = store.read_bytes()
    result = run_cli("repl", "--db", store, input=f".output {store}\npleas show plea\n")
    assert result.code == 1
    assert "is the store" in result.err
    assert store.read_bytes() == before
    assert "no contest" in result.out  # the results stayed on the screen


def test_the_shell_output_never_overwrites_the_script_it_reads(store, tmp_path, run_cli):
    script = tmp_path / "script.casekb"
    script.write_text(f".output {script}\npleas show plea\n")
    before = script.read_bytes()
    result = run_cli("repl", "--db", store, input=f".read {script}\n")
    assert "is the script" in result.err
    assert script.read_bytes() == before


def test_an_export_never_replaces_the_store_through_a_link(store, tmp_path, run_cli):
    before = store.read_bytes()
    link = tmp_path / "alias.sqlite"
    os.link(store, link)
    result = run_cli("export", link, "--db", store, "--force")
    assert result.code == EXIT_USAGE and "is the store" in result.err
    assert store.read_bytes() == before


# -- devices and FIFOs are written in place ------------------------------------------------

def test_a_report_into_a_device_writes_into_it(store, tmp_path, run_cli):
    null = _device(tmp_path, "null", 3)
    result = run_cli(*REPORT, "--db", store, "-o", null)
    assert result.code == 0, result.err
    assert _is_char_device(null)


def test_a_full_device_is_an_io_error_and_stays_a_device(store, tmp_path, run_cli):
    full = _device(tmp_path, "full", 7)
    for argv in ((*REPORT, "--db", store, "-o", full), ("export", full, "--db", store, "--force")):
        result = run_cli(*argv)
        assert result.code == EXIT_IO, result.err
        assert result.err.strip() == f"cannot write {full}: No space left on device"
        assert _is_char_device(full)


def test_an_export_into_a_device_writes_into_it(store, tmp_path, run_cli):
    null = _device(tmp_path, "null", 3)
    result = run_cli("export", null, "--db", store, "--force")
    assert result.code == 0, result.err
    assert _is_char_device(null)


def test_a_report_into_a_fifo_reaches_its_reader(store, tmp_path, run_cli):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    # Opened for reading first (without waiting for a writer), so the report's writer finds
    # a reader; the report is smaller than the pipe's buffer.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run_cli("report", "sources-audit", "--db", store, "-o", fifo)
        received = b""
        while chunk := _read_available(reader):
            received += chunk
    finally:
        os.close(reader)
    assert result.code == 0, result.err
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert received.decode().startswith("# Sources audit")


def _read_available(fd: int) -> bytes:
    try:
        return os.read(fd, 65536)
    except BlockingIOError:
        return b""


# -- a full disk ------------------------------------------------------------------------------

def _casekb(*argv, stdout=None, limit: int | None = None, cwd=None) -> subprocess.CompletedProcess:
    def limited():
        if limit is not None:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # EFBIG instead of being killed
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run([sys.executable, "-m", "casekb", *map(str, argv)], stdout=stdout,
                          stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
                          preexec_fn=limited, cwd=cwd, timeout=120)


@pytest.mark.parametrize("argv", [
    ("query", "charges"), ("sql", "SELECT * FROM v_charges"), ("describe", "charges"),
    ("schema",), ("info",), ("profile", "Alec Baldwin"), ("report", "sources-audit"),
])
def test_a_full_disk_on_standard_output_is_one_message(argv, rust_db):
    extra = () if argv[0] == "schema" else ("--db", rust_db)
    with open("/dev/full", "w") as full:
        done = _casekb(*argv, *extra, stdout=full)
    assert done.returncode == EXIT_IO
    assert done.stderr == "casekb: cannot write to standard output: No space left on device\n"


# -- closed standard streams ----------------------------------------------------------------

def _closed(*argv, close: tuple[int, ...], stdin=subprocess.DEVNULL,
            cwd=None) -> subprocess.CompletedProcess:
    """casekb with the descriptors `close` closed before it starts (`>&-` in a shell: Python
    then has None for sys.stdout), standard error captured unless it is closed too."""
    def closing():
        for number in close:
            os.close(number)

    return subprocess.run([sys.executable, "-m", "casekb", *map(str, argv)],
                          stdout=subprocess.PIPE if 1 not in close else None,
                          stderr=subprocess.PIPE if 2 not in close else None, stdin=stdin,
                          text=True, preexec_fn=closing, cwd=cwd, timeout=120)


@pytest.mark.parametrize("argv", [
    ("query", "statements"), ("query", "charges", "--format", "json"),
    ("sql", "SELECT * FROM v_charges"), ("describe", "charges"), ("explain", "charges"),
    ("report", "sources-audit"), ("profile", "Alec Baldwin"), ("timeline", "rust"), ("info",),
    ("schema",), ("coverage",),
])
def test_a_closed_standard_output_is_one_message(argv, rust_db):
    # It was a traceback: 'NoneType' object has no attribute 'write' (or 'isatty', 'flush').
    extra = () if argv[0] in ("schema", "coverage") else ("--db", rust_db)
    done = _closed(*argv, *extra, close=(1,))
    assert done.stderr == "casekb: cannot write to standard output: it is closed\n"
    assert done.returncode == EXIT_IO


def test_a_command_that_writes_nothing_there_runs_with_standard_output_closed(tmp_path):
    # A build says what it did on standard error: nothing to refuse.
    store = tmp_path / "store.sqlite"
    done = _closed("build", "--db", store, close=(1,))
    assert done.returncode == 0, done.stderr
    assert done.stderr.startswith(f"built {store}: ")
    assert store.is_file()


def test_a_closed_standard_error_is_no_traceback_on_standard_output(rust_db):
    # Messages have nowhere to go: the exit status tells; results still go to stdout.
    done = _closed("query", "chargez", "--db", rust_db, close=(2,))
    assert (done.returncode, done.stdout) == (1, "")
    done = _closed("query", "pleas show plea", "--db", rust_db, close=(2,))
    assert done.returncode == 0 and "no contest" in done.stdout
    done = _closed("query", "pleas", "--db", rust_db, close=(1, 2))
    assert done.returncode == EXIT_IO


def test_a_closed_standard_input_is_one_message_for_the_shell(rust_db):
    # An input that cannot be read, as a missing script: exit 1 (5 is for what cannot be
    # written).
    done = _closed("repl", "--db", rust_db, close=(0,), stdin=None)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == "cannot read the script on standard input: it is closed\n"
    # A query given as an argument needs no standard input.
    done = _closed("query", "pleas show plea", "--db", rust_db, close=(0,), stdin=None)
    assert done.returncode == 0 and "no contest" in done.stdout


def test_a_csv_export_stopped_by_a_full_disk_leaves_nothing(rust_db, tmp_path):
    target = tmp_path / "csv"
    done = _casekb("export", target, "--format", "csv", "--db", rust_db, limit=20_000)
    assert done.returncode == EXIT_IO, done.stderr
    assert "File too large" in done.stderr and "Traceback" not in done.stderr
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []  # no temporary folder either


def test_a_csv_export_stopped_by_a_full_disk_keeps_the_old_files(rust_db, tmp_path):
    target = tmp_path / "csv"
    assert _casekb("export", target, "--format", "csv", "--db", rust_db).returncode == 0
    (target / "v_charges.csv").write_text("the previous export\n")
    before = {path.name: path.read_bytes() for path in target.iterdir()}
    done = _casekb("export", target, "--format", "csv", "--db", rust_db, "--force",
                   limit=20_000)
    assert done.returncode == EXIT_IO, done.stderr
    assert {path.name: path.read_bytes() for path in target.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["csv"]


def test_a_missing_folder_is_an_io_error(store, tmp_path, run_cli):
    result = run_cli(*REPORT, "--db", store, "-o", tmp_path / "no" / "such" / "out.md")
    assert result.code == EXIT_IO
    assert "does not exist" in result.err


def test_the_exit_statuses_are_documented():
    from casekb import errors

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    sentence = readme.split("Exit status, for every command:", 1)[1].split("\n\n", 1)[0]
    codes = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}
    for code in codes:
        assert f" {code} " in sentence.replace("\n", " "), code
