"""The wheel: what it holds, and that an installed ``ikg`` finds its data outside the checkout.

How (offline and fast, about half a minute):

1. copy the sources pyproject.toml names (graph/, api/, ontology/, shapes/, seeds/ and the
   readme) to a temporary folder, so the build never writes into the shared checkout;
2. ``pip wheel --no-deps --no-build-isolation --no-index`` with this virtualenv's
   setuptools (nothing downloaded);
3. check that the wheel holds only ``inclusion_kg/…`` and the ``*.dist-info`` folder, and
   the package data (ontology, schemes, QC queries, shapes, seeds);
4. create a fresh virtualenv without pip and install the wheel into it with this pip
   (``pip --python``, ``--no-deps --no-index``). The dependencies come from this
   virtualenv: a ``.pth`` file puts its site-packages on the fresh one's path. Paths in a
   ``.pth`` file are appended but not scanned for ``.pth`` files themselves, so the
   editable install of the checkout (a ``.pth`` in this virtualenv) stays invisible, and
   the test asserts that ``inclusion_kg`` really comes from the fresh virtualenv;
5. from a temporary working folder, run the installed ``ikg``: ``ontology-docs`` must give
   the committed docs/ontology.md, and ``validate`` and ``reason`` must read the shipped
   seeds, ontology and shapes through importlib.resources.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("pyproject.toml", "README.md", "graph", "api", "ontology", "shapes", "seeds")
IGNORE = shutil.ignore_patterns("__pycache__", "*.pyc")


def _run(command: list[str], cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith("PYTHON")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    for name in SOURCES:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, source / name, ignore=IGNORE)
        else:
            shutil.copy2(path, source / name)
    dist = tmp_path_factory.mktemp("dist")
    done = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--no-index",
            "--wheel-dir",
            str(dist),
            str(source),
        ],
        cwd=source,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (built,) = dist.glob("inclusion_kg-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    venv = tmp_path_factory.mktemp("venv")
    done = _run([sys.executable, "-m", "venv", "--without-pip", str(venv)], cwd=venv)
    assert done.returncode == 0, done.stderr
    python = venv / "bin" / "python"
    done = _run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        cwd=venv,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    site = _run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"], venv
    )
    ours = sysconfig.get_paths()["purelib"]
    (Path(site.stdout.strip()) / "_inclusion_kg_test_deps.pth").write_text(ours + "\n")
    return venv


def test_wheel_holds_only_the_package(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    top = {name.split("/", 1)[0] for name in names}
    dist_info = {t for t in top if t.endswith(".dist-info")}
    assert top - dist_info == {"inclusion_kg"}
    assert len(dist_info) == 1
    for forbidden in ("tests/", "bench/", "graph/", "api/", "docs/"):
        assert not any(name.startswith(forbidden) for name in names), forbidden


@pytest.mark.parametrize(
    "path",
    [
        "inclusion_kg/ontology/ikg.ttl",
        "inclusion_kg/ontology/imports/external.ttl",
        "inclusion_kg/ontology/schemes/policy-areas.ttl",
        "inclusion_kg/ontology/qc/label-violation.rq",
        "inclusion_kg/graph/py.typed",
        "inclusion_kg/graph/reason.py",
        "inclusion_kg/graph/ontology_docs.py",
        "inclusion_kg/api/cli/reason.py",
    ],
)
def test_wheel_holds_the_package_data(wheel: Path, path: str) -> None:
    assert path in zipfile.ZipFile(wheel).namelist()


def test_wheel_holds_shapes_and_seeds(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped_shapes = sorted(p.name for p in (ROOT / "shapes").glob("*.ttl"))
    shipped_seeds = sorted(p.name for p in (ROOT / "seeds").glob("*.trig"))
    assert [n for n in shipped_shapes if f"inclusion_kg/shapes/{n}" not in names] == []
    assert [n for n in shipped_seeds if f"inclusion_kg/seeds/{n}" not in names] == []


def test_installed_package_is_the_wheel(installed: Path, tmp_path: Path) -> None:
    code = (
        "import importlib.resources as r, inclusion_kg.graph as g; "
        "print(g.__file__); print(r.files('inclusion_kg.ontology') / 'ikg.ttl')"
    )
    done = _run([str(installed / "bin" / "python"), "-c", code], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    module_file, ontology_file = done.stdout.split()
    assert module_file.startswith(str(installed))
    assert ontology_file.startswith(str(installed))
    assert not module_file.startswith(str(ROOT))


def test_installed_ikg_generates_the_ontology_reference(installed: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.md"
    done = _run([str(installed / "bin" / "ikg"), "ontology-docs", "-o", str(out)], cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert out.read_text(encoding="utf-8") == (ROOT / "docs" / "ontology.md").read_text(
        encoding="utf-8"
    )


def test_installed_ikg_validates_the_shipped_seeds(installed: Path, tmp_path: Path) -> None:
    done = _run([str(installed / "bin" / "ikg"), "validate", "--format", "json"], cwd=tmp_path)
    assert done.returncode in (0, 1), done.stdout + done.stderr  # 1: the seeds have a Violation
    assert '"results"' in done.stdout or '"conforms"' in done.stdout


def test_installed_ikg_reasons_over_the_shipped_seeds(installed: Path, tmp_path: Path) -> None:
    done = _run([str(installed / "bin" / "ikg"), "reason", "--format", "json"], cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert '"consistent": true' in done.stdout
