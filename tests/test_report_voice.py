"""The report's two voices: the client's part is plain and complete; the appendix has the rest."""

import copy
import re

import pandas as pd
import pytest

import socialkit as sk
from socialkit.checks import CATALOGUE
from socialkit.report import methods, period_view, sections
from socialkit.report.plain import GOING_WELL, JARGON, plain

DEMOS = (
    "harbour-bakery",
    "nimbus-outdoor",
    "pixel-pop-games",
    "brightline-electronics",
    "fern-fig-studio",
    "meridian-insurance",
)
# a path: something/with/slashes, or a file name with an extension the kit reads
_PATH = re.compile(r"(?:[\w.-]+/){2,}[\w.-]+|\b[\w-]+\.(?:csv|yaml|yml|json|parquet|xlsx)\b")


def _text(html: str) -> str:
    """Visible text of an HTML fragment (tags and data-URIs removed, entities decoded)."""
    from html import unescape

    return unescape(re.sub(r"<[^>]+>", " ", html))


@pytest.fixture(scope="module")
def diagnosed(demo_dir):
    out = {}
    for name in DEMOS:
        client = sk.load_client(demo_dir / name)
        out[name] = (client, sk.diagnose(client))
    return out


def _client_part(client, diagnosis) -> str:
    view = period_view(client)
    return "".join(
        [
            sections.cover(client, diagnosis, view.period),
            sections.kpi_tiles(view.tiles, view.period, view.silent),
            sections.executive_summary(diagnosis),
            sections.not_assessed_note(diagnosis),
            sections.going_well_list(diagnosis),
            sections.action_plan(diagnosis),
            sections.top_posts(client.posts, view.period),
        ]
    )


@pytest.mark.parametrize("name", DEMOS)
def test_client_part_has_no_jargon_no_check_id_and_no_file_path(diagnosed, name):
    client, diagnosis = diagnosed[name]
    text = _text(_client_part(client, diagnosis))
    found = [term for term in JARGON if term.lower() in text.lower()]
    assert not found, found
    assert not [cid for cid in CATALOGUE if cid in text]
    assert not _PATH.findall(text), _PATH.findall(text)
    assert "_" not in re.sub(r"https?://\S+", "", text)  # no names in code style
    assert not re.findall(r"\b\d{4}-\d\d-\d\d\b", text)  # dates in words, as she reads them


@pytest.mark.parametrize(
    "text, words",
    [
        (
            "read in its own window (x 2022-03-12 – 2022-04-05; youtube 2020-04-11 – 2021-06-18).",
            "read in its own window (X 12 March – 5 April 2022; YouTube 11 April 2020 – 18 June 2021).",
        ),
        ("data up to 2024-01-05.", "data up to 5 January 2024."),
        (
            "not a day: 2021-02-30, a name: 2022-03-12_posts",
            "not a day: 2021-02-30, a name: 2022-03-12_posts",
        ),
    ],
)
def test_the_client_reads_dates_in_words(text, words):
    assert plain(text) == words


@pytest.mark.parametrize("name", DEMOS)
def test_every_fail_and_warn_is_in_the_executive_summary_most_severe_first(diagnosed, name):
    _, diagnosis = diagnosed[name]
    summary = _text(sections.executive_summary(diagnosis))
    problems = [f for f in diagnosis.findings if f.status in ("fail", "warn")]
    positions = [summary.find(plain(f.message)) for f in problems]
    assert all(p >= 0 for p in positions), [
        f.check for f, p in zip(problems, positions, strict=True) if p < 0
    ]
    fails = [p for f, p in zip(problems, positions, strict=True) if f.status == "fail"]
    warns = [p for f, p in zip(problems, positions, strict=True) if f.status == "warn"]
    assert not fails or not warns or max(fails) < min(warns)  # fails first
    assert fails == sorted(fails) and warns == sorted(warns)  # by severity within each


def test_nimbus_summary_names_all_four_fails(diagnosed):
    # the old summary stopped at three; Nimbus Outdoor has four planted fails
    _, diagnosis = diagnosed["nimbus-outdoor"]
    fails = [f for f in diagnosis.findings if f.status == "fail"]
    assert len(fails) >= 4
    summary = sections.executive_summary(diagnosis)
    assert summary.count('class="sk-item"') == sum(
        f.status in ("fail", "warn") for f in diagnosis.findings
    )


def test_the_summary_says_the_findings_read_more_than_the_month_in_the_tiles(diagnosed):
    # the tiles are one month (Meridian's median reply: 42 hours in October), the checks
    # read every row (4.2 days over six months): the client is told which is which
    client, d = diagnosed["meridian-insurance"]
    text = _text(sections.executive_summary(d))
    first = min(w["start"] for w in d.data["windows"] if w["table"] == "posts")
    start = pd.Timestamp(first).strftime("%-d %B %Y")
    assert f"reads all the data we have, {start} to {d.as_of:%-d %B %Y}" in text
    assert text.index("reads all the data") < text.index("Fix first")
    one_month = copy.copy(d)  # the fixture's diagnosis is shared: change a copy
    one_month.data = {**d.data, "windows": [{**w, "start": f"{d.as_of:%Y-%m}-01T00:00:00+00:00"}
                                            for w in d.data["windows"]]}  # fmt: skip
    assert "reads all the data" not in _text(sections.executive_summary(one_month))


def test_going_well_lines_are_positive_and_never_name_the_problem(diagnosed):
    assert set(GOING_WELL) == set(CATALOGUE)  # one positive line per check, in one place
    for _client, diagnosis in diagnosed.values():
        lines = _text(sections.going_well_list(diagnosis))
        for f in diagnosis.findings:
            if f.status == "ok":
                assert GOING_WELL[f.check] in lines
                assert f.title not in lines


def test_the_appendix_keeps_what_the_analyst_needs(diagnosed):
    client, diagnosis = diagnosed["nimbus-outdoor"]
    view = period_view(client)
    html = methods.appendix(client, diagnosis, view.period, view.tiles)
    assert html.startswith('<details class="sk-appendix"')
    for f in diagnosis.findings:
        assert f.check in html
    assert "95% CI" in html and "n=" in html and "Thresholds:" in html
    assert "posts.csv" in html  # files loaded
    rate = next(t for t in view.tiles if t.key == "engagement_rate")
    assert f"{rate.current:.2%}" in html  # the tiles' figures, exact but readable
    assert "None" not in _text(html) and not re.search(r"\d\.\d{6,}", _text(html))


def test_the_appendix_renders_the_data_contract_when_present(diagnosed):
    client, diagnosis = diagnosed["harbour-bakery"]
    view = period_view(client)
    data = {
        **diagnosis.data,
        "data_until": "2026-10-31T00:00:00+00:00",
        "windows": [{"platform": "tiktok", "table": "posts", "source": "exports/t<b>.csv",
                     "start": "2026-01-01", "end": "2026-10-31", "rows": 1234}],
        "notes": [{"source": "posts.csv", "message": "3 rows set aside <script>"}],
        "quarantine": {"rows": 3, "reasons": {"published_at: future": 3}},
    }  # fmt: skip
    diagnosis.data = data
    html = methods.appendix(client, diagnosis, view.period, view.tiles)
    assert "TikTok" in html and "1,234" in html and "exports/t&lt;b&gt;.csv" in html
    assert "3 rows set aside &lt;script&gt;" in html and "published_at: future" in html


def test_an_empty_chart_becomes_a_one_line_note_and_a_chart_an_svg(tmp_path, monkeypatch):
    import IPython.display

    from socialkit import plot, report

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda obj, **_: shown.append(obj))
    posts = pd.DataFrame(
        {"platform": ["x"], "published_at": pd.to_datetime(["2026-10-01"], utc=True),
         "impressions": [10]}
    )  # fmt: skip
    with report.figure(tmp_path, "trend_followers") as ax:
        plot.weekly_trend(posts, posts.iloc[0:0], "followers", "2026-10-31", 26, ax=ax)
    assert not (tmp_path / "trend-followers.svg").exists()
    assert "sk-note" in shown[-1].data and "no followers" in shown[-1].data.lower()
    with report.figure(tmp_path, "trend_impressions", alt="Weekly <impressions>") as ax:
        plot.weekly_trend(posts, posts.iloc[0:0], "impressions", "2026-10-31", 26, ax=ax)
    assert (tmp_path / "trend-impressions.svg").read_text().startswith("<?xml")
    assert 'src="data:image/svg+xml;base64,' in shown[-1].data
    assert 'alt="Weekly &lt;impressions&gt;"' in shown[-1].data


def test_best_and_weakest_posts_are_ranked_by_what_their_numbers_vouch_for():
    """One like on seven impressions (14 %) is not the best post beside 3 % of 60,000, nor
    is 0 of 9 the weakest beside 0.2 % of 50,000; a post is never best and weakest at once."""
    from socialkit.metrics.period import resolve_period
    from socialkit.schema import validate

    rows = [  # (text, interactions, impressions)
        ("lucky reply", 1, 7),
        ("steady series", 1800, 60_000),
        ("good video", 900, 40_000),
        ("fine photo", 400, 30_000),
        ("flat ad", 100, 50_000),
        ("unseen note", 0, 9),
        ("ok link", 300, 20_000),
        ("dull repost", 50, 30_000),
    ]
    posts = validate(
        pd.DataFrame(
            {
                "platform": "x",
                "post_id": [str(i) for i in range(len(rows))],
                "published_at": [f"2026-10-{i + 1:02d}T10:00:00Z" for i in range(len(rows))],
                "text": [r[0] for r in rows],
                "reactions": [r[1] for r in rows],
                "impressions": [r[2] for r in rows],
            }
        ),
        "posts",
        now=pd.Timestamp("2026-11-01", tz="UTC"),
    ).data
    html = sections.top_posts(posts, resolve_period("2026-10"), n=3)
    best, weakest = html.split("Weakest posts")
    assert best.index("steady series") < best.index("good video") < best.index("ok link")
    assert "lucky reply" not in best and "unseen note" not in weakest
    assert weakest.index("dull repost") < weakest.index("flat ad")


def test_an_all_clear_from_part_of_the_checks_says_what_would_decide_the_rest(diagnosed):
    """No problem found is 'no changes needed' only when every check could decide; else
    the plan says how many could not, and which data (in her words) would let them."""
    _, d = diagnosed["harbour-bakery"]
    clear = copy.deepcopy(d)
    for f in clear.findings:
        f.status = "ok" if f.status in ("fail", "warn") else f.status
    undecided = [f for f in clear.findings if f.status == "not_assessable"]
    plan = _text(sections.action_plan(clear))
    if undecided:
        assert "No changes needed" not in plan
        assert f"{len(undecided)} of {len(clear.findings)} checks could not be made" in plan
    for f in clear.findings:
        f.status = "ok"
    assert "No changes needed this month" in _text(sections.action_plan(clear))
    for f in clear.findings[:4]:
        f.status, f.needs = "not_assessable", "`kpis:` in client.yaml; comment threads"
    plan = _text(sections.action_plan(clear))
    assert "4 of" in plan and "your brief" in plan and "comments export" in plan
    assert "client.yaml" not in plan and "kpis:" not in plan


def test_the_plan_names_the_data_each_undecided_check_asks_for_in_plain_words():
    from socialkit.checks import not_assessable
    from socialkit.report.plain import JARGON, data_to_add

    needs = [
        "exports of the platforms that cover the same period",
        "posts with their publication dates (an export that gives each post's date, not only "
        "its month and weekday)",
        "the format (image, video, …) of the posts the export leaves unnamed: set `format` in "
        "posts.csv",
    ]
    said = data_to_add([not_assessable("Not decided.", n) for n in needs])
    assert said == [
        "exports of all your platforms for the same months",
        "a posts export that gives each post's date",
        "the format of each post (image, video, link …)",
    ]
    assert not [w for w in JARGON if any(w.lower() in s.lower() for s in said)]


def test_findings_too_close_to_call_are_on_page_one_in_her_words(diagnosed):
    """An inconclusive finding (the data show something, not yet enough to say it) was
    counted with the checks that had no data at all, in one line pointing to the appendix.
    It is listed on page one under 'Too close to call', in plain words with the mark it
    is near, and the line counts the other checks only."""
    from socialkit.checks._judge import is_inconclusive

    seen = 0
    for name in DEMOS:
        _, d = diagnosed[name]
        close = [f for f in d.findings if is_inconclusive(f)]
        other = [f for f in d.findings if f.status == "not_assessable" and not is_inconclusive(f)]
        text = _text(sections.not_assessed_note(d))
        assert ("Too close to call" in text) == bool(close)
        if not close:
            continue
        seen += len(close)
        assert f"Too close to call ({len(close)})" in text
        for f in close:
            assert plain(f.title) in text and sections._close_call(f) in text
            if "still includes it" in f.message:  # an estimate near its mark, in her words
                assert "mark, but too close to it to call yet" in sections._close_call(f)
        assert "Inconclusive" not in text and "CI" not in text
        assert (f"{len(other)} other check" in text) == bool(other)
    assert seen  # the demo has close calls (Meridian's hard sell at the 30 % mark, …)


def test_an_interval_that_includes_1_reads_once_in_her_words():
    """The under-used format's inconclusive sentence ended '…, but the data can't confirm
    it yet, so the data do not show it yet.' once on page one: said once."""
    text = (
        "Inconclusive: Video looks better (1.8× the engagement of your other posts) and is only "
        "4% of posts, but its 95% CI (0.9–3.0) includes 1, so the data do not show it yet."
    )
    assert plain(text).endswith("is only 4% of posts, but the data can't confirm it yet.")


def test_an_all_clear_with_close_calls_is_not_called_nothing_to_fix(diagnosed):
    """With no fail or warning but a finding too close to call (listed above the plan),
    the plan said 'Nothing to fix in what we could check': it now says nothing is
    confirmed, names the close calls and counts the checks that could not be made."""
    from socialkit.checks._judge import is_inconclusive

    seen = False
    for name in DEMOS:
        _, d = diagnosed[name]
        clear = copy.deepcopy(d)
        for f in clear.findings:
            f.status = "ok" if f.status in ("fail", "warn") else f.status
        close = sum(is_inconclusive(f) for f in clear.findings)
        undecided = sum(f.status == "not_assessable" for f in clear.findings)
        plan = _text(sections.action_plan(clear))
        if not close:
            assert "Nothing to fix in what we could check" in plan or not undecided
            continue
        seen = True
        assert "Nothing to fix in" not in plan and plan.strip().startswith(
            "Nothing confirmed to fix"
        )
        assert f"too close to call (above) and {undecided - close} of" in plan
    assert seen
