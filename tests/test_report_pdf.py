"""report.pdf through headless Chromium: paper size, cover, page numbers, nothing split."""

import re
import shutil
import subprocess

import pytest

import socialkit as sk
from socialkit.html import OPEN_FOR_PRINT, page
from socialkit.report import methods, period_view, sections
from socialkit.report.pdf import find_chromium, print_pdf
from socialkit.report.plain import plain

pytestmark = pytest.mark.skipif(
    shutil.which("chromium") is None or shutil.which("pdftotext") is None,
    reason="needs chromium and poppler-utils (pdftotext)",
)


def _pages(pdf) -> list[str]:
    n = int(re.search(r"Pages:\s+(\d+)", subprocess.run(
        ["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout).group(1))  # fmt: skip
    return [
        " ".join(
            subprocess.run(
                ["pdftotext", "-f", str(i), "-l", str(i), "-layout", str(pdf), "-"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()
        )  # fmt: skip
        for i in range(1, n + 1)
    ]


@pytest.fixture(scope="module")
def report_html(demo_dir, tmp_path_factory):
    client = sk.load_client(demo_dir / "nimbus-outdoor")
    diagnosis = sk.diagnose(client)
    view = period_view(client)
    body = "".join(
        [
            sections.cover(client, diagnosis, view.period, {"name": "Acme Agency"}),
            sections.kpi_tiles(view.tiles, view.period, view.silent),
            "<h2>Summary</h2>",
            sections.executive_summary(diagnosis),
            "<h2>What's going well</h2>",
            sections.going_well_list(diagnosis),
            "<h2>Your plan</h2>",
            sections.action_plan(diagnosis),
            methods.appendix(client, diagnosis, view.period, view.tiles),
        ]
    )
    out = tmp_path_factory.mktemp("pdf")
    for paper in ("A4", "letter"):
        (out / f"{paper}.html").write_text(
            page("r", body, scripts=(OPEN_FOR_PRINT,), paper=paper), "utf-8"
        )
    return out, diagnosis


def test_pdf_has_a_cover_page_numbers_and_no_summary_item_split(report_html):
    out, diagnosis = report_html
    pdf = print_pdf(out / "A4.html", out / "A4.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "(A4)" in info
    pages = _pages(pdf)
    assert len(pages) >= 3
    assert "Nimbus Outdoor" in pages[0] and "Acme Agency" in pages[0]
    assert "Summary" not in pages[0]  # the cover is a page of its own
    assert f"2 / {len(pages)}" in pages[1]  # page numbers
    for f in diagnosis.findings:
        if f.status in ("fail", "warn"):
            words = plain(f.message).split()
            head, tail = " ".join(words[:4]), " ".join(words[-3:])
            on = [i for i, p in enumerate(pages) if head in p]
            assert on, head
            assert tail in pages[on[0]], f"{f.check} split across pages"
    # the appendix prints in full although it is collapsed on screen
    assert any("Every check" in p for p in pages)
    assert any("kpi.vanity_only" in p for p in pages)


def test_letter_paper(report_html):
    out, _ = report_html
    pdf = print_pdf(out / "letter.html", out / "letter.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True).stdout
    assert "612 x 792 pts (letter)" in info


def test_a_missing_browser_names_the_install_command(monkeypatch):
    monkeypatch.setenv("SOCIALKIT_CHROMIUM", "/nonexistent/chromium")
    with pytest.raises(RuntimeError, match="apt-get install chromium"):
        find_chromium()
    monkeypatch.delenv("SOCIALKIT_CHROMIUM")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(RuntimeError, match="apt-get install chromium"):
        find_chromium()
