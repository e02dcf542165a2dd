"""An unchanged client is skipped without the heavy stack; any change of its inputs is not.

A previous ok run is written by hand (``run.json`` with the input hash, a
``report.html``), so these tests start no kernel.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from socialkit.report import inputs
from socialkit.report.batch import build_reports
from socialkit.report.inputs import TEMPLATE, input_hash, skip_result

HEAVY = (
    "pandas",
    "numpy",
    "matplotlib",
    "papermill",
    "nbclient",
    "nbconvert",
    "jupyter_client",
    "scipy",
    "sklearn",
)

_PROBE = """
import json, sys
import socialkit.cli
code = socialkit.cli.main(sys.argv[1:])
heavy = {heavy!r}
print(json.dumps([code, sorted(m for m in sys.modules if m.split(".")[0] in heavy)]))
"""


def _ok_run(client: Path, out: Path, template: Path = TEMPLATE) -> None:
    """Record a successful run of ``client`` on its current inputs."""
    dest = out / client.name
    dest.mkdir(parents=True, exist_ok=True)
    (dest / "report.html").write_text("<p>report</p>", encoding="utf-8")
    run = {
        "client": client.name,
        "slug": client.name,
        "client_dir": str(client.resolve()),
        "status": "ok",
        "input_hash": input_hash(client.resolve(), template),
        "seconds": 12.0,
    }
    (dest / "run.json").write_text(json.dumps(run), encoding="utf-8")


@pytest.fixture
def client(demo_dir, tmp_path, monkeypatch):
    for name in ("SOCIALKIT_FOLLOW_SYMLINKS", "SOCIALKIT_MAX_ROWS"):
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "clients" / "harbour-bakery"
    shutil.copytree(demo_dir / "harbour-bakery", folder)
    _ok_run(folder, tmp_path / "out")
    return folder


def test_an_unchanged_rerun_imports_nothing_heavy(client, tmp_path):
    out = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY), "report", "--all"]
        + [str(client.parent), "--out", str(tmp_path / "out"), "--jobs", "1"],
        capture_output=True,
        text=True,
        check=True,
    )
    code, heavy = json.loads(out.stdout.strip().splitlines()[-1])
    assert "harbour-bakery skipped-unchanged" in out.stderr
    assert (code, heavy) == (0, [])
    index = json.loads((tmp_path / "out" / "index.json").read_text("utf-8"))
    assert [c["status"] for c in index["clients"]] == ["skipped-unchanged"]


def _edit_export(client: Path) -> None:
    export = sorted((client / "exports").glob("*.csv"))[0]
    export.write_text(export.read_text("utf-8") + "\n", encoding="utf-8")


def _edit_profile(client: Path) -> None:
    profile = client / "client.yaml"
    profile.write_text(profile.read_text("utf-8") + "# reviewed\n", encoding="utf-8")


def _add_file(client: Path) -> None:
    (client / "notes.txt").write_text("new", encoding="utf-8")


@pytest.mark.parametrize("change", [_edit_export, _edit_profile, _add_file])
def test_a_changed_client_file_is_rebuilt(client, tmp_path, change):
    assert skip_result(client, tmp_path / "out")["status"] == "skipped-unchanged"
    change(client)
    assert skip_result(client, tmp_path / "out") is None


def test_another_template_kit_or_reading_setting_is_rebuilt(client, tmp_path, monkeypatch):
    out = tmp_path / "out"
    template = tmp_path / "client_report.ipynb"
    template.write_bytes(TEMPLATE.read_bytes() + b"\n")
    assert skip_result(client, out, template) is None
    monkeypatch.setenv("SOCIALKIT_FOLLOW_SYMLINKS", "1")  # links would now be read
    assert skip_result(client, out) is None
    monkeypatch.delenv("SOCIALKIT_FOLLOW_SYMLINKS")
    monkeypatch.setenv("SOCIALKIT_MAX_ROWS", "1000")  # a file might now be refused
    assert skip_result(client, out) is None
    monkeypatch.delenv("SOCIALKIT_MAX_ROWS")
    monkeypatch.setattr(inputs, "kit_digest", lambda: "another version of the kit")
    assert skip_result(client, out) is None


def test_the_kit_digest_covers_data_files_not_compiled_ones(tmp_path):
    kit = tmp_path / "socialkit"
    (kit / "benchmarks").mkdir(parents=True)
    (kit / "__init__.py").write_text("__version__ = '0.1.0'\n")
    (kit / "benchmarks" / "engagement.csv").write_text("platform,median\nx,0.01\n")
    first = inputs._tree_digest(kit)
    (kit / "__pycache__").mkdir()
    (kit / "__pycache__" / "__init__.cpython-311.pyc").write_bytes(os.urandom(16))
    assert inputs._tree_digest(kit) == first
    (kit / "benchmarks" / "engagement.csv").write_text("platform,median\nx,0.02\n")
    assert inputs._tree_digest(kit) != first
    assert inputs.kit_digest() == inputs.kit_digest()  # once per process


def test_a_profile_broken_since_an_ok_run_fails_the_client(client, tmp_path):
    (client / "client.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    (result,) = build_reports([client], tmp_path / "out", jobs=1)
    assert result["status"] == "failed" and "client.yaml" in result["error"]
