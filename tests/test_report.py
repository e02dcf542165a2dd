"""End to end: papermill report per client, index page, XSS, fault isolation, skip-unchanged."""

import json
import os
import re
import shutil
import subprocess
import tempfile

import nbformat
import pytest

from socialkit.checks import CATALOGUE
from socialkit.html import OPEN_FOR_PRINT
from socialkit.report import read_records
from socialkit.report.batch import build_reports
from socialkit.report.plain import JARGON

HOSTILE = (
    '<script>alert("xss");document.body.dataset.pwned="script"</script><img src=x onerror=alert(1)>'
)
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="module")
def batch(demo_dir, tmp_path_factory):
    root = tmp_path_factory.mktemp("batch")
    clients = root / "clients"
    for name in ("harbour-bakery", "nimbus-outdoor"):
        shutil.copytree(demo_dir / name, clients / name)
    evil = clients / 'evil"..client'
    shutil.copytree(
        demo_dir / "hard-sell"
        if (demo_dir / "hard-sell").exists()
        else demo_dir / "brightline-electronics",
        evil,
    )
    yaml_text = (evil / "client.yaml").read_text()
    (evil / "client.yaml").write_text(
        yaml_text.replace(
            "name: Brightline Electronics",
            """name: '"><svg onload=alert(1)><script>alert(1)</script> Ltd'""",
        )
    )
    posts = (evil / "posts.csv").read_text().splitlines()
    head, last = posts[0], posts[-1].split(",")
    last[4] = HOSTILE.replace(",", " ")  # the text column
    last[7] = "999999"  # make it the period's best post so the report shows it
    last[14] = "javascript:alert(1)"  # the url column: never a link
    (evil / "posts.csv").write_text("\n".join([head, *posts[1:-1], ",".join(last)]) + "\n")
    agency = root / "agency.yaml"
    (root / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" onload="alert(1)">'
        '<rect width="10" height="10" fill="#0072b2"/></svg>'
    )
    agency.write_text(
        "name: '<script>alert(\"agency\")</script> Agency'\n"
        "contact: '\"><img src=x onerror=alert(2)> hello@agency.test'\n"
        "primary_colour: '#cc79a7'\nlogo: logo.svg\n"
    )
    broken = clients / "broken"
    broken.mkdir()
    (broken / "client.yaml").write_text("name: Broken Co\n")
    (broken / "posts.csv").write_text("platform,id\nx,1\n")
    out = root / "reports"
    dirs = sorted(p for p in clients.iterdir())
    options = {"brand": str(agency)}
    results = build_reports(dirs, out, jobs=2, options=options)
    return {"root": root, "out": out, "dirs": dirs, "results": results, "options": options}


def test_one_broken_client_does_not_stop_the_batch(batch):
    status = {r["client_dir"].rsplit("/", 1)[-1]: r["status"] for r in batch["results"]}
    assert status == {
        "broken": "failed",
        'evil"..client': "ok",
        "harbour-bakery": "ok",
        "nimbus-outdoor": "ok",
    }
    broken = next(r for r in batch["results"] if r["status"] == "failed")
    assert "post_id" in broken["error"]  # the schema error's first line reaches the index
    index = (batch["out"] / "index.html").read_text()
    assert "failed" in index and "post_id" in index


def test_each_report_has_its_files_and_every_finding(batch):
    for r in batch["results"]:
        if r["status"] != "ok":
            continue
        d = batch["out"] / r["slug"]
        assert d.parent == batch["out"]  # the slug never escapes the output folder
        for name in (
            "report.html",
            "report.ipynb",
            "findings.json",
            "run.json",
            "format-mix.svg",
            "posting-calendar.svg",
            "hour-of-week.svg",
            "trend-followers.svg",
            "trend-engagement-rate.svg",
        ):
            assert (d / name).is_file(), name
        doc = json.loads((d / "findings.json").read_text())
        assert sorted(f["check"] for f in doc["findings"]) == sorted(CATALOGUE)
        html = (d / "report.html").read_text()
        assert "import socialkit" not in html  # no code cells
        assert html.count("data:image/svg+xml;base64") >= 5  # figures embedded, as vectors
        for f in doc["findings"]:
            if f["status"] != "not_assessable":
                assert f["title"] in html.replace("&amp;", "&")
        records = read_records(nbformat.read(d / "report.ipynb", as_version=4))
        assert records["counts"] == {
            s: sum(f["status"] == s for f in doc["findings"])
            for s in ("fail", "warn", "ok", "not_assessable")
        }


def test_hostile_text_is_shown_not_run(batch):
    evil = next(r for r in batch["results"] if r["client_dir"].endswith('evil"..client'))
    assert evil["slug"] == "evil-client"
    html = (batch["out"] / evil["slug"] / "report.html").read_text()
    text = html.replace("&quot;", '"')  # quotes in text nodes may be left unescaped
    assert '&lt;script&gt;alert("xss");document.body.dataset.pwned="script"&lt;/script&gt;' in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<img src=x" not in html and "javascript:" not in html.replace("javascript:alert(1)", "")
    assert 'href="javascript' not in html
    # the one script is ours (it opens the appendix for print), allowed by its hash only
    assert html.count("<script") == 1 and f"<script>{OPEN_FOR_PRINT}</script>" in html
    csp = re.search(r'Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "script-src 'sha256-" in csp and "unsafe-inline' " not in csp.split("script-src")[1]
    assert "default-src 'none'" in csp
    # the cover (client name and agency brand) and the best post are escaped
    assert '&lt;script&gt;alert("agency")&lt;/script&gt; Agency' in text
    assert '"&gt;&lt;img src=x onerror=alert(2)&gt; hello@agency.test' in text
    assert "--sk-brand:#cc79a7" in html and "data:image/svg+xml;base64" in html
    best = html.split("Best posts", 1)[1].split("Weakest posts", 1)[0]
    assert "&lt;img src=x onerror=alert(1)&gt;" in best
    # no network resources (a post's link is a link to click, not a resource the page loads)
    assert not re.search(r"""src=["']?https?://""", html)
    assert not re.search(r"""<(link|use|image|object|embed|iframe)\b[^>]*(href|data)=""", html)
    index = (batch["out"] / "index.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Ltd" in index
    assert "&lt;svg onload=alert(1)&gt;" in index and "<svg" not in index
    assert index.count("<script") == 1  # only the sort script, allowed by its hash


def test_rerun_skips_unchanged_and_redoes_changed(batch):
    nimbus = next(d for d in batch["dirs"] if d.name == "nimbus-outdoor")
    harbour = next(d for d in batch["dirs"] if d.name == "harbour-bakery")
    (harbour / "client.yaml").write_text(
        (harbour / "client.yaml").read_text().replace("evaluation_weeks: 26", "evaluation_weeks: 6")
    )
    results = build_reports([nimbus, harbour], batch["out"], options=batch["options"])
    assert [r["status"] for r in results] == ["skipped-unchanged", "ok"]
    doc = json.loads((batch["out"] / "harbour-bakery" / "findings.json").read_text())
    window = next(f for f in doc["findings"] if f["check"] == "patience.window_too_short")
    assert window["status"] == "fail"
    # compared with the previous run's findings.json: the new problem is named
    assert "patience.window_too_short" in results[1]["changes"]["new"]
    assert "patience.window_too_short" not in results[1]["changes"]["open"]
    forced = build_reports([nimbus], batch["out"], force=True, options=batch["options"])
    assert forced[0]["status"] == "ok"
    # another period is another report: not skipped
    other = build_reports([nimbus], batch["out"], options={**batch["options"], "period": "2026-09"})
    assert other[0]["status"] == "ok" and other[0]["period"]["label"] == "September 2026"


def _chromium(url: str, profile: str) -> tuple[str, list[str]]:
    """The page's DOM after load, and the URLs the page itself requested (net log)."""
    netlog = os.path.join(profile, "net.json")
    dom = subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={profile}",
            f"--log-net-log={netlog}",
            "--dump-dom",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    log = json.loads(open(netlog, encoding="utf-8").read())
    start = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
    # the browser's own service requests say "not an origin"; a page's carry its origin
    requested = [
        e["params"]["url"]
        for e in log["events"]
        if e["type"] == start
        and "url" in e.get("params", {})
        and e["params"].get("initiator") != "not an origin"
        and not e["params"]["url"].startswith("file:")
    ]
    return dom, requested


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("SOCIALKIT_REQUIRE_BROWSER"),
    reason="chromium not installed (apt-get install chromium)",
)
def test_hostile_text_does_not_run_in_a_real_browser_and_nothing_is_fetched(batch, tmp_path):
    assert CHROMIUM, "SOCIALKIT_REQUIRE_BROWSER is set but chromium is not on PATH"
    # the probe works: a page that loads an image is caught
    control = tmp_path / "control.html"
    control.write_text('<html><body><img src="http://127.0.0.1:9/x.png"></body></html>')
    with tempfile.TemporaryDirectory() as profile:
        _, requested = _chromium(control.as_uri(), profile)
    assert requested == ["http://127.0.0.1:9/x.png"]
    for page in (batch["out"] / "evil-client" / "report.html", batch["out"] / "index.html"):
        with tempfile.TemporaryDirectory() as profile:
            dom, requested = _chromium(page.as_uri(), profile)
        assert "socialkit reports" in dom or "social media report" in dom  # it rendered
        assert "data-pwned" not in dom  # no injected script or handler ran
        assert "<svg" not in dom.split("<body", 1)[-1]
        assert requested == [], requested  # no network request from the page


def test_the_client_part_of_a_built_report_is_plain(batch):
    from html import unescape

    for slug in ("nimbus-outdoor", "harbour-bakery"):
        html = (batch["out"] / slug / "report.html").read_text()
        body = html.split("<body>", 1)[1]
        client, appendix = body.split('<details class="sk-appendix"', 1)
        text = unescape(
            re.sub(
                r"<[^>]+>", " ", re.sub(r"<(style|script)[^>]*>.*?</\1>", "", client, flags=re.S)
            )
        )
        assert not [t for t in JARGON if t.lower() in text.lower()]
        assert not [cid for cid in CATALOGUE if cid in text]
        assert "/" + slug not in text and "client_dir" not in text
        doc = json.loads((batch["out"] / slug / "findings.json").read_text())
        for f in doc["findings"]:
            assert f["check"] in appendix  # the analyst finds every check in the appendix


def test_the_index_keeps_clients_across_runs_and_lists_the_gone(batch):
    broken = next(d for d in batch["dirs"] if d.name == "broken")
    nimbus = next(d for d in batch["dirs"] if d.name == "nimbus-outdoor")
    shutil.rmtree(broken)
    build_reports([nimbus], batch["out"], options=batch["options"])
    index = (batch["out"] / "index.html").read_text()
    for name in ("Nimbus Outdoor", "Harbour Bakery", "broken"):
        assert name in index, name
    assert "no longer present" in index
    assert re.search(r"<h1>socialkit reports, \d{1,2} \w+ \d{4}", index)  # dated
    summary = (batch["out"] / "summary.csv").read_text()
    assert "harbour-bakery" in summary and "broken" in summary


@pytest.mark.skipif(
    CHROMIUM is None and not os.environ.get("SOCIALKIT_REQUIRE_BROWSER"),
    reason="chromium not installed (apt-get install chromium)",
)
@pytest.mark.parametrize("width", [1280, 900, 390])
def test_kpi_tiles_hold_big_numbers_and_their_change_in_a_browser(tmp_path, width):
    """A seven-digit figure with its change fits its tile at desktop, tablet and phone
    widths (the change wraps under the figure rather than running out of the tile)."""
    from socialkit.html import CSS
    from socialkit.metrics.kpis import Tile
    from socialkit.metrics.period import resolve_period
    from socialkit.report import sections

    assert CHROMIUM, "SOCIALKIT_REQUIRE_BROWSER is set but chromium is not on PATH"
    tiles = [
        Tile(k, k.capitalize(), "count", 1_501_896.0 * m, 554_373.0, "")
        for k, m in (("impressions", 1), ("reach", 10), ("views", 100))
    ]
    probe = (  # the test's own page: marks each tile whose content is wider than the tile
        "<script>addEventListener('load',()=>{for(const t of document.querySelectorAll("
        "'.sk-tile'))if(t.scrollWidth>t.clientWidth+1)t.setAttribute('data-overflow','1')})"
        "</script>"
    )
    page = tmp_path / "tiles.html"
    page.write_text(
        f'<html><head><meta name="viewport" content="width=device-width"><style>{CSS}</style>'
        f"</head><body>{sections.kpi_tiles(tiles, resolve_period('2017-10'))}{probe}</body></html>",
        encoding="utf-8",
    )
    with tempfile.TemporaryDirectory() as profile:
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", f"--user-data-dir={profile}",
             f"--window-size={width},900", "--dump-dom", page.as_uri()],
            capture_output=True, text=True, timeout=120,
        ).stdout  # fmt: skip
    assert dom.count('<div class="sk-tile"') == 3 and "+171%" in dom  # it rendered
    assert 'data-overflow="1"' not in dom
