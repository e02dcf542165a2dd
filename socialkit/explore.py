"""A client and platform picker for notebooks.

In JupyterLab (ipywidgets and its frontend installed, as ``make install``
does) :func:`client_picker` shows two drop-downs — client folder and platform
— and redraws the chosen client's verdict, top findings and posting calendar.
Where widgets cannot be shown (no ipywidgets, an HTML export, a notebook
viewer) the same view of the first choice is shown as static HTML and an
image, so the notebook still reads top to bottom.
"""

from __future__ import annotations

import base64
import io
from functools import cache
from pathlib import Path

from socialkit.paths import client_folders

__all__ = ["client_picker", "conversation_table", "glance", "platform_vs_benchmark", "thresholds"]

ALL = "all platforms"


def _load(folder):
    """The client and its diagnosis, cached until a file in its folder changes."""
    path = Path(folder).resolve()
    stamp = max((f.stat().st_mtime_ns for f in path.rglob("*") if f.is_file()), default=0)
    return _load_cached(str(path), stamp)


@cache
def _load_cached(folder: str, stamp: int):
    from socialkit import diagnose, load_client

    client = load_client(folder)
    return client, diagnose(client)


def glance(client_dir, platform: str = ALL, weeks: int = 26) -> str:
    """One client at a glance, as self-contained HTML.

    The verdict counts, the top three findings and the posting calendar of
    ``platform`` (or of all platforms). A folder that cannot be loaded gives
    its one-line error instead.

    Parameters
    ----------
    client_dir : path
        A client folder.
    platform : str
        A platform name from the client's posts, or ``"all platforms"``.
    weeks : int
        Weeks of posting calendar shown.
    """
    from html import escape

    from socialkit import html as skhtml
    from socialkit import plot

    try:
        client, diagnosis = _load(client_dir)
    except Exception as exc:  # noqa: BLE001 - a broken folder is shown, never raised
        why = (str(exc).splitlines() or [type(exc).__name__])[0]
        return f"<p><b>{escape(Path(client_dir).name)}</b> could not be loaded: {escape(why)}</p>"
    posts = client.posts if platform == ALL else client.posts[client.posts["platform"] == platform]
    with plot.figure((8, 2.6), show=False) as ax:
        plot.calendar(posts, client.window_end, weeks, ax=ax)
        ax.set_title(f"{ax.get_title(loc='left')} — {platform}", loc="left")
        buf = io.BytesIO()
        ax.figure.savefig(buf, format="png")
    img = base64.b64encode(buf.getvalue()).decode()
    return (
        skhtml.report_header(client, diagnosis, level=3)
        + skhtml.executive_summary(diagnosis)
        + f'<img alt="posting calendar: {escape(platform)}" style="max-width:100%" '
        f'src="data:image/png;base64,{img}">'
    )


def client_picker(root, start=None, weeks: int = 26) -> None:
    """Show a client and platform picker over the client folders under ``root``.

    Displays two drop-downs (client folder, platform) and below them
    :func:`glance` of the choice, redrawn in place when a drop-down changes.
    The view is an ordinary HTML output (updated through its display id), so
    a frontend without widgets — an HTML export, a notebook viewer — still
    shows the first client; without ipywidgets only that view is shown.

    Parameters
    ----------
    root : path
        A folder of client folders (each with a client.yaml), e.g. the demo.
    start : path, optional
        The client folder shown first (default: the first under ``root``).
    weeks : int
        Weeks of posting calendar shown.
    """
    from IPython.display import HTML, display

    folders = client_folders(root)
    if not folders:
        display(HTML(f"<p>No client folders (with a client.yaml) under {Path(root).name}.</p>"))
        return
    first = next((f for f in folders if start and f.resolve() == Path(start).resolve()), folders[0])
    try:
        import ipywidgets as w
    except ImportError:
        w = None
        display(HTML("<p><i>Install ipywidgets (part of <code>make install</code>) to pick "
                     "another client here.</i></p>"))  # fmt: skip
    if w is not None:
        pick_client = w.Dropdown(
            options=[(f.name, f) for f in folders], value=first, description="client"
        )
        pick_platform = w.Dropdown(options=_platforms(first), description="platform")
        display(w.HBox([pick_client, pick_platform]))
    view = display(HTML(glance(first, ALL, weeks)), display_id=True)
    if w is None:
        return

    def redraw(_=None):
        view.update(HTML(glance(pick_client.value, pick_platform.value, weeks)))

    def on_client(_=None):
        pick_platform.unobserve(redraw, "value")
        pick_platform.options = _platforms(pick_client.value)
        pick_platform.value = ALL
        pick_platform.observe(redraw, "value")
        redraw()

    pick_client.observe(on_client, "value")
    pick_platform.observe(redraw, "value")


def _platforms(folder) -> list[str]:
    try:
        client, _ = _load(folder)
    except Exception:  # noqa: BLE001 - glance() shows the error
        return [ALL]
    return [ALL, *sorted(client.posts["platform"].astype(str).unique())]


def thresholds(finding) -> dict[str, float]:
    """The thresholds ``finding`` was judged against: the catalogue's defaults for its check,
    overridden by the values in its evidence (a client's ``thresholds:`` in client.yaml)."""
    from socialkit.checks.catalogue import threshold_keys

    prefix = finding.check + "."
    out = {k.removeprefix(prefix): v for k, v in threshold_keys().items() if k.startswith(prefix)}
    for e in finding.evidence:
        if e.kind == "threshold" and e.name.startswith("threshold "):
            out[e.name.removeprefix("threshold ")] = e.value
    return out


def platform_vs_benchmark(client, diagnosis=None):
    """Each platform's median engagement rate beside its benchmark and the check's bars.

    The numbers of ``platform.underperforming``: the median engagement rate
    (interactions ÷ followers when posted, last 26 weeks) with its 95 % interval,
    the bundled benchmark of the client's industry, and the bars the check
    judges against (``warn`` and ``fail`` × the benchmark). ``judged`` is false
    for a platform the check leaves out (no benchmark, too few posts).

    Parameters
    ----------
    client : socialkit.Client
    diagnosis : socialkit.Diagnosis, optional
        The client's diagnosis (computed when not given), for its thresholds.

    Returns
    -------
    DataFrame
        One row per platform, in alphabetical order: ``platform``, ``posts``,
        ``median_rate``, ``low``, ``high``, ``benchmark``, ``warn_bar``,
        ``fail_bar``, ``judged``, ``verdict`` (below the fail bar, below the warn bar,
        not below the bar, not judged).
    """
    import pandas as pd

    from socialkit import diagnose
    from socialkit.batch import Batch
    from socialkit.benchmarks import engagement_benchmark
    from socialkit.checks.platform import MIN_PLATFORM_POSTS, RECENT_WEEKS
    from socialkit.metrics.engagement import platform_engagement

    diagnosis = diagnosis or diagnose(client)
    t = thresholds(diagnosis["platform.underperforming"])
    per = platform_engagement(Batch.from_clients([client]), RECENT_WEEKS)
    rows = []
    for r in per[per["n"] > 0].sort_values("platform").itertuples():
        b = engagement_benchmark(r.platform, client.profile.industry)
        bench = float(b["engagement_rate"]) if b is not None else float("nan")
        judged = b is not None and r.n >= MIN_PLATFORM_POSTS
        warn, fail = t["warn"] * bench, t["fail"] * bench
        verdict = (
            "not judged"
            if not judged
            else "below the fail bar"
            if r.high < fail
            else "below the warn bar"
            if r.high < warn
            else "not below the bar"
        )
        rows.append(
            (r.platform, int(r.n), r.median, r.low, r.high, bench, warn, fail, judged, verdict)
        )
    cols = ["platform", "posts", "median_rate", "low", "high", "benchmark", "warn_bar", "fail_bar"]
    return pd.DataFrame(rows, columns=[*cols, "judged", "verdict"])


#: The conversation summary's columns in plain words, with their unit (percent: a share).
CONVERSATION_LABELS = {
    "comments": ("comments and replies in the data", "comments"),
    "audience": ("written by the audience", "comments"),
    "brand": ("written by the brand", "comments"),
    "brand_replies": ("brand replies to a comment", "comments"),
    "censored": ("audience comments too new to judge (last 72 h)", "comments"),
    "eligible": ("audience comments judged", "comments"),
    "answered": ("… answered by the brand", "comments"),
    "rate_low": ("reply rate, 95 % interval, low end", "percent"),
    "rate_high": ("reply rate, 95 % interval, high end", "percent"),
    "questions": ("judged comments that ask a question", "comments"),
    "answered_questions": ("… answered", "comments"),
    "with_sentiment": ("judged comments with a sentiment score", "comments"),
    "negative": ("judged negative comments (sentiment ≤ −0.3)", "comments"),
    "answered_negative": ("… answered", "comments"),
    "rest": ("judged other comments", "comments"),
    "answered_rest": ("… answered", "comments"),
    "timed": ("answered comments with a reply time", "comments"),
    "median_hours": ("median time to the first reply", "hours"),
    "median_low": ("… 95 % interval, low end", "hours"),
    "median_high": ("… 95 % interval, high end", "hours"),
    "p90_hours": ("9 in 10 replies came within", "hours"),
    "commenters": ("people who commented", "people"),
    "returning": ("… who came back on another post", "people"),
    "top_commenter_share": ("share of comments by the most active person", "percent"),
    "orphans": ("replies whose parent is missing from the export", "comments"),
    "early_replies": ("replies stamped before their comment (clock errors)", "comments"),
}


def conversation_table(summary):
    """The conversation summary (one row of
    :func:`socialkit.metrics.conversation.conversation_summary`) as a labelled table:
    what each number is, its value and its unit, in reading order.

    Parameters
    ----------
    summary : Series

    Returns
    -------
    DataFrame
        Indexed by label, columns ``value`` (formatted) and ``unit``.
    """
    import pandas as pd

    rows = []
    for key, (label, unit) in CONVERSATION_LABELS.items():
        if key not in summary.index:
            continue
        v = float(summary[key])
        if v != v:
            text = "—"
        elif unit == "percent":
            text, unit = f"{v:.1%}", ""
        elif unit == "hours":
            text = f"{v:.1f}"
        else:
            text = f"{v:,.0f}"
        rows.append((label, text, unit))
        if key == "answered" and summary.get("eligible", 0):
            rate = float(summary["answered"]) / float(summary["eligible"])
            rows.append(("reply rate (answered ÷ judged)", f"{rate:.1%}", ""))
    return pd.DataFrame(rows, columns=["measure", "value", "unit"]).set_index("measure")
