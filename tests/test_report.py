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
from socialkit.report import read_records
from socialkit.report.batch import build_reports

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
    head, first = posts[0], posts[1].split(",")
    first[4] = HOSTILE.replace(",", " ")  # the text column
    first[7] = "999999"  # make it the top post so the report shows it
    (evil / "posts.csv").write_text("\n".join([head, ",".join(first), *posts[2:]]) + "\n")
    broken = clients / "broken"
    broken.mkdir()
    (broken / "client.yaml").write_text("name: Broken Co\n")
    (broken / "posts.csv").write_text("platform,id\nx,1\n")
    out = root / "reports"
    dirs = sorted(p for p in clients.iterdir())
    results = build_reports(dirs, out, jobs=2)
    return {"root": root, "out": out, "dirs": dirs, "results": results}


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
            "findings-summary.png",
            "format-mix.png",
            "posting-calendar.png",
            "platform-benchmark.png",
            "format-lift.png",
        ):
            assert (d / name).is_file(), name
        doc = json.loads((d / "findings.json").read_text())
        assert sorted(f["check"] for f in doc["findings"]) == sorted(CATALOGUE)
        html = (d / "report.html").read_text()
        assert "import socialkit" not in html  # no code cells
        assert html.count("data:image/png;base64") >= 3  # figures embedded
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
    assert "<script" not in html and "<img src=x" not in html
    assert "script-src 'none'" in html  # CSP: nothing runs even if something slipped through
    assert not re.search(r"""(src|href)=["']?https?://""", html)  # no network resources
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
    results = build_reports([nimbus, harbour], batch["out"])
    assert [r["status"] for r in results] == ["skipped-unchanged", "ok"]
    doc = json.loads((batch["out"] / "harbour-bakery" / "findings.json").read_text())
    window = next(f for f in doc["findings"] if f["check"] == "patience.window_too_short")
    assert window["status"] == "fail"
    forced = build_reports([nimbus], batch["out"], force=True)
    assert forced[0]["status"] == "ok"


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
        assert "socialkit reports" in dom or "<h1>Social media diagnosis" in dom  # it rendered
        assert "data-pwned" not in dom  # no injected script or handler ran
        assert "<svg" not in dom.split("<body", 1)[-1]
        assert requested == [], requested  # no network request from the page
