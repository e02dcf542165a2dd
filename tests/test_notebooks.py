"""Notebook hygiene: no outputs, no definitions, no machine paths; one parameters cell."""

import json
import re
from pathlib import Path

import pytest

NOTEBOOKS = sorted(
    p
    for p in (Path(__file__).resolve().parents[1] / "notebooks").rglob("*.ipynb")
    if ".ipynb_checkpoints" not in p.parts  # JupyterLab's autosaves (`make lab`)
)


def test_there_are_notebooks():
    assert any(p.name == "client_report.ipynb" for p in NOTEBOOKS)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_clean(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        assert not cell.get("outputs") and cell.get("execution_count") is None
        assert not re.search(r"^\s*(def|class)\s", src, re.M), "logic belongs in socialkit/"
        assert not re.search(r"(/home/|/Users/|/tmp/|C:\\\\|!pip|%pip)", src)


def test_report_template_has_one_documented_parameters_cell():
    path = next(p for p in NOTEBOOKS if p.name == "client_report.ipynb")
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    params = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
    assert len(params) == 1
    for line in "".join(params[0]["source"]).splitlines():
        assert "=" in line and "#" in line, f"parameter without a help comment: {line}"


def test_no_duplicated_code_cells_across_notebooks():
    seen = {}
    for path in NOTEBOOKS:
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            src = "".join(cell["source"]).strip()
            if cell["cell_type"] == "code" and src.count("\n") >= 3:
                assert src not in seen, f"{path.name} repeats a cell of {seen.get(src)}"
                seen[src] = path.name


CHAPTERS = [p for p in NOTEBOOKS if "templates" not in p.parts and "workshop" not in p.parts]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_runs_top_to_bottom_and_records_true_numbers(path, demo_dir, tmp_path):
    from socialkit import diagnose, load_client
    from socialkit.report import execute_notebook, read_records

    client_dir = demo_dir / "nimbus-outdoor"
    nb = execute_notebook(path, tmp_path / path.name, {"client_dir": str(client_dir)}, timeout=300)
    rec = read_records(nb)
    d = diagnose(load_client(client_dir))
    assert rec["client"] == "Nimbus Outdoor"
    assert rec["counts"] == d.counts()
    assert rec["top"] == [f.check for f in d.top(3)]
    if "eligible" in rec:  # 04_conversation: its reply counts are the checks' numbers
        from socialkit.batch import Batch

        summary = Batch.from_clients([load_client(client_dir)]).conversation(-0.3).iloc[0]
        assert (rec["answered"], rec["eligible"]) == (summary["answered"], summary["eligible"])
    if "drivers" in rec:  # 07: the recorded verdict is the model's own
        from socialkit.models import client_drivers

        assert rec["drivers"] == client_drivers(load_client(client_dir)).status
        assert 0 < rec["consumers_mape"] < 5


def test_index_and_navigation_are_generated_and_current(tmp_path):
    import shutil

    from socialkit import chapters

    folder = Path(__file__).resolve().parents[1] / "notebooks"
    assert chapters.update(folder, check=True) == [], "run: python -m socialkit.chapters notebooks"
    # a new chapter makes the index and its neighbours' links stale, and update fixes them
    for p in chapters.chapters(folder):
        shutil.copy(p, tmp_path / p.name)
    shutil.copy(folder / "README.md", tmp_path / "README.md")
    shutil.copy(tmp_path / "07_what_drives_engagement.ipynb", tmp_path / "08_extra.ipynb")
    stale = {p.name for p in chapters.update(tmp_path, check=True)}
    assert {"README.md", "07_what_drives_engagement.ipynb", "08_extra.ipynb"} <= stale
    chapters.update(tmp_path)
    assert chapters.update(tmp_path, check=True) == []
    assert "08_extra.ipynb" in (tmp_path / "README.md").read_text(encoding="utf-8")


WORKSHOP = [p for p in NOTEBOOKS if "workshop" in p.parts]


@pytest.mark.parametrize("path", WORKSHOP, ids=lambda p: p.name)
def test_workshop_exercise_runs_unanswered_and_marks_nothing(path, demo_dir):
    """Unattended, with every blank unfilled: each explore cell stops with the short note (and
    nothing else), the notebook runs on to the end and nothing is scored."""
    from socialkit import book
    from socialkit.report import read_records

    nb = book.execute(path, {"client_dir": str(demo_dir / "brightline-electronics")})
    assert read_records(nb)["workshop"] == {}
    for cell in nb.cells:
        errors = [o for o in cell.get("outputs", []) if o["output_type"] == "error"]
        if "explore" in cell.metadata.get("tags", []) and "____" in cell.source:
            assert [e["ename"] for e in errors] in ([], ["BlankNotFilled"])
        else:
            assert not errors, cell.source


@pytest.mark.parametrize("slug", ["brightline-electronics", "meridian-insurance"])
def test_workshop_solutions_are_judged_right_on_the_brand_and_on_another(slug, demo_dir, tmp_path):
    """The solutions compute by hand what the self-checks take from the checks: they must agree."""
    from socialkit import book
    from socialkit.report import read_records
    from socialkit.workshop import EXERCISES
    from socialkit.workshop.solutions import write

    path = write(tmp_path, demo_dir / "brightline-electronics")
    nb = book.execute(path, {"client_dir": str(demo_dir / slug)})
    rec = read_records(nb)
    assert set(EXERCISES) <= set(rec["workshop"])
    assert all(rec["workshop"].values()), rec["workshop"]
    assert ("recommendation" in rec["workshop"]) == (rec["problems"] > 0)
