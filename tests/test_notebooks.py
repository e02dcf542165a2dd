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


def _default_client(path) -> str:
    """The demo client a chapter names in its parameters cell (its own default)."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    params = next(c for c in cells if "parameters" in c.get("metadata", {}).get("tags", []))
    return re.search(r'client_dir = "[./]*data/demo/([\w-]+)"', "".join(params["source"])).group(1)


def _runs():
    """Each chapter on its own default client and on one other (nimbus-outdoor, or
    meridian-insurance for the chapters whose default is nimbus-outdoor)."""
    for p in CHAPTERS:
        own = _default_client(p)
        other = "meridian-insurance" if own == "nimbus-outdoor" else "nimbus-outdoor"
        yield pytest.param(p, own, id=f"{p.stem}-own-{own}")
        yield pytest.param(p, other, id=f"{p.stem}-other-{other}")


@pytest.mark.parametrize(("path", "slug"), list(_runs()))
def test_chapter_runs_top_to_bottom_and_records_true_numbers(path, slug, demo_dir, tmp_path):
    from socialkit import diagnose, load_client
    from socialkit.report import execute_notebook, read_records

    client_dir = demo_dir / slug
    nb = execute_notebook(path, tmp_path / path.name, {"client_dir": str(client_dir)}, timeout=300)
    rec = read_records(nb)
    client = load_client(client_dir)
    d = diagnose(client)
    assert rec["client"] == client.name
    assert rec["counts"] == d.counts()
    assert rec["top"] == [f.check for f in d.top(3)]
    if "chapter" in rec:  # this chapter's verdicts are the checks'
        assert rec["chapter"] == {k: d[k].status for k in rec["chapter"]}
    if "eligible" in rec:  # 04_conversation: its reply counts are the checks' numbers
        from socialkit.batch import Batch

        summary = Batch.from_clients([client]).conversation(-0.3).iloc[0]
        assert (rec["answered"], rec["eligible"]) == (summary["answered"], summary["eligible"])
    if "drivers" in rec:  # 07: the recorded verdict is the model's own
        from socialkit.models import client_drivers

        assert rec["drivers"] == client_drivers(client).status
        assert 0 < rec["consumers_mape"] < 5
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o["output_type"] == "error"]
    assert not errors


def test_every_chapter_and_workshop_notebook_names_the_socialkit_kernel():
    for path in NOTEBOOKS:
        if "templates" in path.parts:
            continue
        spec = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kernelspec"]
        assert spec["name"] == "socialkit", path.name


TEACHING = [p for p in CHAPTERS if p.stem < "07"]


@pytest.mark.parametrize("path", TEACHING, ids=lambda p: p.name)
def test_chapter_teaches_objectives_takeaways_and_check_yourself(path):
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    assert "**In this chapter you will**" in "".join(cells[1]["source"])
    assert "## Takeaways" in text and "## Check yourself" in text
    assert 2 <= text.count("<summary>Answer</summary>") <= 3
    for c in cells:  # the cells that only record numbers for the tests say so and are tagged
        if c["cell_type"] == "code" and "report.record" in "".join(c["source"]):
            assert "record" in c["metadata"].get("tags", []) and "".join(c["source"]).startswith(
                "#"
            )


def test_the_glossary_explains_every_statistical_term_the_kit_prints():
    glossary = (NOTEBOOKS[0].parent / "GLOSSARY.md").read_text(encoding="utf-8").lower()
    kit = Path(__file__).resolve().parents[1] / "socialkit"
    printed = " ".join(p.read_text(encoding="utf-8") for p in kit.rglob("*.py")).lower()
    terms = ["wilson", "theil–sen", "mann–kendall", "bootstrap", "gini", "newcombe", "entropy",
             "lorenz", "median", "severity", "benchmark", "lift", "censor", "not assessable",
             "p-value", "permutation", "order-statistic", "vader", "mape"]  # fmt: skip
    for term in terms:
        assert term in printed, f"{term} is no longer printed: drop it from this list"
        assert term in glossary, f"GLOSSARY.md does not explain {term}"


# the numbers the chapters' text states, and the constants or thresholds they must match
def _claims():
    from socialkit.checks.catalogue import threshold_keys
    from socialkit.checks.platform import MIN_PLATFORM_POSTS, RECENT_WEEKS
    from socialkit.metrics import MIN_FORMAT_POSTS
    from socialkit.metrics.conversation import CENSOR_HOURS
    from socialkit.metrics.sentiment._model import load as load_model

    t = threshold_keys()
    return {
        "02_platform_fit": [
            (r"over the last (\d+) weeks", RECENT_WEEKS),
            (r"fewer than (\d+) recent posts", MIN_PLATFORM_POSTS),
            (r"bar, (half) the benchmark", t["platform.underperforming.warn"] * 2),
            (r"fails left of a (quarter)", t["platform.underperforming.fail"] * 4),
        ],
        "03_content_mix": [
            (r"at least (\d+) posts of its own", MIN_FORMAT_POSTS),
            (r"\*\*and\*\* (\d+) others", MIN_FORMAT_POSTS),
            (r"less than (\d+) % of posts", t["content.underused_format.share"] * 100),
        ],
        "04_conversation": [
            (r"probability of being negative reaches (0\.\d+)", load_model().cutoff),
            (r"younger than (\d+) hours", CENSOR_HOURS),
            (r"warn \((\d+) h\)", t["conversation.slow_response.warn"]),
            (r"fail \((\d+) h\)", t["conversation.slow_response.fail"]),
        ],
        "05_patience_and_trends": [
            (r"the check needs \((\d+)\)", t["patience.long_run_trend.min_weeks"])
        ],
    }


def test_the_numbers_the_chapters_state_are_the_kits():
    for stem, claims in _claims().items():
        path = next(p for p in CHAPTERS if p.stem == stem)
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        for pattern, value in claims:
            m = re.search(pattern, text)
            assert m, f"{stem}: the text no longer says {pattern!r}"
            said = {"half": 1, "quarter": 1}.get(m.group(1), None) or float(m.group(1))
            assert said == pytest.approx(value), (
                f"{stem}: says {m.group(0)!r}, the kit uses {value}"
            )


@pytest.mark.parametrize(
    "slug", ["pixel-pop-games", "fern-fig-studio", "nimbus-outdoor", "brightline-electronics"]
)
def test_chapter_figures_draw_the_checks_own_numbers(slug, demo_dir):
    """01's curve, 02's bars, 03's lifts and 05's trend are the evidence of the check beside
    them (the old figures: raw interactions, no bar, a lift against two posts, a trend line
    where the check had no verdict)."""
    from socialkit import diagnose, load_client, plot

    client = load_client(demo_dir / slug)
    d = diagnose(client)

    def ev(check, prefix):
        return next(e for e in d[check].evidence if e.name.startswith(prefix))

    with plot.figure(show=False) as ax:
        drawn = plot.virality(client, d, ax=ax).drawn
    if d["kpi.virality_dependence"].status != "not_assessable":
        assert drawn["share"] == pytest.approx(
            ev("kpi.virality_dependence", "share of").value, abs=6e-4
        )
        assert drawn["gini"] == pytest.approx(ev("kpi.virality_dependence", "Gini").value, abs=6e-4)
    with plot.figure(show=False) as ax:
        drawn = plot.trend_verdict(client, d, ax=ax).drawn
    f = d["patience.long_run_trend"]
    if not any(e.name.startswith("Mann–Kendall") for e in f.evidence):  # no trend tested
        assert drawn["slope"] is None and ax.get_title(loc="left").startswith("No verdict")
        assert not any(line.get_label().startswith("Theil") for line in ax.lines)
    else:
        e = ev("patience.long_run_trend", "trend of weekly")
        assert (round(drawn["slope"], 4), round(drawn["low"], 4), round(drawn["high"], 4)) == (
            e.value,
            *e.ci,
        )
    with plot.figure(show=False) as ax:
        table = plot.platform_verdict(client, d, ax=ax).drawn["table"]
    for r in table[table["judged"]].itertuples():
        e = ev("platform.underperforming", f"median engagement rate on {r.platform}")
        assert float(f"{r.median_rate:.3g}") == e.value
        assert r.warn_bar == pytest.approx(0.5 * r.benchmark)
    below = set(table.loc[table["verdict"].str.startswith("below"), "platform"])
    assert bool(below) == (d["platform.underperforming"].status in ("warn", "fail"))
    with plot.figure(show=False) as ax:
        lifts = plot.format_lift(client, ax=ax, diagnosis=d).drawn
    for fmt, (lift, _, _) in lifts.items():
        assert round(lift, 2) == ev("content.underused_format", f"engagement lift of {fmt}").value
    if slug == "brightline-electronics":  # 99 % images beside 2 link posts: nothing to compare
        assert lifts == {}


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


def test_the_book_is_static_html_with_an_index_and_prev_next_links(tmp_path):
    """`make book` on a small notebooks folder: every page executed, linked in reading order,
    notebook links pointed at pages, record cells left out, nothing fetched from the network."""
    import nbformat

    from socialkit import book

    v4 = nbformat.v4
    root = tmp_path / "notebooks"
    (root / "workshop").mkdir(parents=True)
    for i, folder in enumerate([root, root, root / "workshop"]):
        nb = v4.new_notebook(cells=[
            v4.new_markdown_cell(f"# Page {i}\n\nLead {i}. More. [next](01_b.ipynb) [all](README.md)"),
            v4.new_code_cell(f"print('ran {i}', 6 * 7)"),
            v4.new_code_cell("print('secret record')", metadata={"tags": ["record"]}),
        ])  # fmt: skip
        nbformat.write(nb, folder / f"0{i}_{'abc'[i]}.ipynb")
    (root / "GLOSSARY.md").write_text("# Glossary\n\n**Gini.** Inequality.\n", encoding="utf-8")
    index = book.build(tmp_path / "book", root, log=lambda _: None)
    pages = sorted(p.name for p in index.parent.glob("*.html"))
    assert pages == ["00_a.html", "01_b.html", "glossary.html", "index.html", "workshop-02_c.html"]
    home = index.read_text(encoding="utf-8")
    assert (
        home.index("Page 0") < home.index("Page 1") < home.index("Workshop") < home.index("Page 2")
    )
    middle = (index.parent / "01_b.html").read_text(encoding="utf-8")
    assert "ran 1 42" in middle and "secret record" not in middle
    assert 'href="00_a.html"' in middle and 'href="workshop-02_c.html"' in middle
    assert 'href="01_b.html"' in middle and 'href="index.html"' in middle and ".ipynb" not in middle
    for p in index.parent.glob("*.html"):
        assert not re.search(r'<script[^>]+src="https?://', p.read_text(encoding="utf-8")), p.name
