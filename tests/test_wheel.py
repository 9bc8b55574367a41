"""The wheel: built, installed into a fresh virtual environment, and run outside the checkout.

Everything casekb reads at run time (seeds, schema, grammar) must ship inside the wheel. The
fresh environment gets casekb only from the wheel; its third-party dependencies are borrowed
from the running interpreter through a .pth file, so the test needs no network (CI machines
may have none) while the checkout itself is never importable.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


def run(args, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([str(a) for a in args], capture_output=True, text=True, timeout=300,
                          **kwargs)


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("wheel")
    built = run([sys.executable, "-m", "build", "--wheel", "--no-isolation",
                 "--outdir", root / "dist", REPO], cwd=root)
    assert built.returncode == 0, built.stdout + built.stderr
    [wheel] = (root / "dist").glob("casekb-*.whl")

    env_dir = root / "env"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    installed = run([python, "-m", "pip", "install", "--no-deps", "--no-index", "--quiet", wheel])
    assert installed.returncode == 0, installed.stdout + installed.stderr
    site = run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"])
    (Path(site.stdout.strip()) / "borrowed_dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n")

    home = root / "home"
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "CASEKB_DB", "VIRTUAL_ENV")}
    env["CASEKB_HOME"] = str(home)
    return {"root": root, "python": python, "casekb": bin_dir / "casekb", "env": env,
            "home": home, "wheel": wheel}


def casekb(installed, *args) -> subprocess.CompletedProcess:
    return run([installed["casekb"], *args], cwd=installed["root"], env=installed["env"])


def test_the_wheel_ships_the_data(installed):
    import zipfile

    names = set(zipfile.ZipFile(installed["wheel"]).namelist())
    assert "casekb/_data/seeds/sources.toml" in names
    assert "casekb/_data/schema/schema.sql" in names
    assert any(n.startswith("casekb/_data/seeds/articles/") for n in names)
    assert "casekb/lang/_standalone_parser.py" in names  # the query parser, generated


def test_queries_parse_from_the_wheel(installed):
    explained = casekb(installed, "explain", 'charges where status = "pending"')
    assert explained.returncode == 0, explained.stderr
    assert "SELECT" in explained.stdout
    wrong = casekb(installed, "explain", "charges wher status = 1")
    assert wrong.returncode != 0
    assert "Traceback" not in wrong.stderr and "wher" in wrong.stderr


def test_casekb_comes_from_the_wheel_not_the_checkout(installed):
    where = run([installed["python"], "-c", "import casekb, casekb.resources as r; "
                 "print(casekb.__file__); print(r.bundled_seeds())"],
                cwd=installed["root"], env=installed["env"])
    module, seeds = where.stdout.split("\n")[:2]
    assert module.startswith(str(installed["root"] / "env"))
    assert seeds.startswith(str(installed["root"] / "env")) and seeds.endswith("_data/seeds")


def test_check_the_bundled_seeds(installed):
    result = casekb(installed, "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("OK: ")
    assert "5 sources" in result.stdout


def test_build_and_open_a_store(installed):
    store = installed["root"] / "rust.sqlite"
    result = casekb(installed, "build", "--db", store)
    assert result.returncode == 0, result.stderr
    info = casekb(installed, "info", "--db", store, "--format", "json")
    assert info.returncode == 0, info.stderr
    data = json.loads(info.stdout)
    assert data["meta"]["source_bundled"] == "true"
    assert data["rows"]["sources"] == 5


def test_the_default_store_is_built_on_first_use(installed):
    result = casekb(installed, "info")
    assert result.returncode == 0, result.stderr
    assert (installed["home"] / "casekb.sqlite").exists()


def test_init_check_and_schema(installed):
    folder = installed["root"] / "mine"
    init = casekb(installed, "init", folder)
    assert init.returncode == 0
    documented = Path(init.stderr.rsplit("the format of every record: ", 1)[1].strip())
    assert documented.is_relative_to(installed["root"] / "env") and documented.is_file()
    assert casekb(installed, "check", folder).returncode == 0
    schema = casekb(installed, "schema")
    assert schema.stdout == (REPO / "schema" / "schema.sql").read_text(encoding="utf-8")


def test_python_dash_m_casekb(installed):
    result = run([installed["python"], "-m", "casekb", "--version"], cwd=installed["root"],
                 env=installed["env"])
    assert result.returncode == 0 and result.stdout.startswith("casekb ")
