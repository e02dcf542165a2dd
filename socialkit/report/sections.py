"""The client's part of the report as HTML: cover, KPI tiles, summary, what's going well, plan.

Everything here speaks to the client (:mod:`socialkit.report.plain`); the
analyst's detail is in :mod:`socialkit.report.methods`. Every text that can
come from data goes through :func:`html.escape`.
"""

from __future__ import annotations

from datetime import date
from html import escape

from socialkit import fmt
from socialkit.checks._judge import INCONCLUSIVE, is_inconclusive
from socialkit.html import status_badge
from socialkit.report.plain import AREA_NAMES, data_to_add, going_well, plain

__all__ = [
    "cover",
    "kpi_tiles",
    "executive_summary",
    "going_well_list",
    "action_plan",
    "not_assessed_note",
    "tile_value",
]

_STATUS_WORDS = {"fail": "Fix first", "warn": "Worth improving"}
# for these a fall is good news
_LOWER_IS_BETTER = {"response_time"}


def cover(client, diagnosis, period, brand=None) -> str:
    """Title block: client, period, the period compared with, platforms and data date."""
    brand = brand or {}
    logo = (
        f'<img class="sk-logo" src="{brand["logo_uri"]}" alt="{escape(brand.get("name", ""))}">'
        if brand.get("logo_uri")
        else ""
    )
    agency = f'<p class="sk-agency">{escape(brand["name"])}</p>' if brand.get("name") else ""
    contact = f'<p class="sk-muted">{escape(brand["contact"])}</p>' if brand.get("contact") else ""
    plats = fmt.platforms(diagnosis.data.get("platforms", [])) or "no platform yet"
    c = diagnosis.counts()
    return (
        f'<header class="sk-cover">{logo}{agency}'
        f"<h1>{escape(client.name)}: social media report, {escape(period.label)}</h1>"
        f'<p class="sk-sub">Compared with {escape(period.previous_label)} · '
        f"{escape(plats)} · data up to {diagnosis.as_of:%-d %B %Y}</p>"
        f'<p class="sk-counts">{status_badge("fail")} {fmt.count(c["fail"])} to fix first '
        f"&nbsp; {status_badge('warn')} {fmt.count(c['warn'])} worth improving &nbsp; "
        f"{status_badge('ok')} {fmt.count(c['ok'])} going well</p>{contact}</header>"
    )


def tile_value(value, kind: str) -> str:
    """A tile's figure: a count with separators, a share as a percentage, hours as a duration."""
    if value is None:
        return "—"
    if kind == "share":
        return fmt.pct(value, 1 if abs(value) < 0.1 else 0)
    if kind == "hours":
        return fmt.duration(value)
    return fmt.count(value)


def _change(tile) -> str:
    arrow, text = fmt.change(tile.current, tile.previous)
    if not text:
        return ""
    if tile.kind == "share":  # a rate changes by points, not by a percentage of itself
        points = 100 * (tile.current - tile.previous)
        text = f"{points:+.1f} pts" if abs(points) < 10 else f"{points:+.0f} pts"
    good = arrow == "▲"
    if tile.key in _LOWER_IS_BETTER:
        good = arrow == "▼"
    cls = "sk-up" if good else "sk-down" if arrow in "▲▼" and arrow else "sk-flat"
    return f'<span class="sk-chg {cls}">{arrow} {escape(text)}</span>'


def _platform_rows(tile) -> str:
    rows = "".join(
        f"<tr><td>{escape(fmt.platform_name(p))}</td><td>{tile_value(c, tile.kind)}</td>"
        f"<td>{tile_value(pv, tile.kind)}</td></tr>"
        for p, (c, pv) in tile.per_platform.items()
    )
    return (
        "<details><summary>By platform</summary><table><thead><tr><th>platform</th>"
        f"<th>this period</th><th>before</th></tr></thead><tbody>{rows}</tbody></table></details>"
    )


def kpi_tiles(tiles, period, silent=()) -> str:
    """The KPI tiles: this period, the previous one, the change, per platform on expansion.

    Parameters
    ----------
    tiles : list of :class:`socialkit.metrics.kpis.Tile`
    period : :class:`socialkit.metrics.period.Period`
    silent : list of (platform, last date)
        Platforms with no data in the period, and when their data ends.
    """
    cards = []
    for t in tiles:
        star = ' <span class="sk-muted">(your KPI)</span>' if t.declared else ""
        if t.missing:
            why = (  # data of other months has it: the export is there, not these months
                f"No figure for {escape(period.label)} or {escape(period.previous_label)}: "
                f"your data has it {escape(t.elsewhere)}."
                if t.elsewhere
                else f"Not in this data. Add {escape(t.missing)} to see it."
            )
            cards.append(
                f'<div class="sk-tile sk-missing"><div class="sk-tl">{escape(t.label)}{star}</div>'
                f'<div class="sk-tv">—</div><div class="sk-muted">{why}</div></div>'
            )
            continue
        prev = (
            f"{escape(period.previous_label)}: {tile_value(t.previous, t.kind)}"
            if t.previous is not None
            else f"no figure for {escape(period.previous_label)}"
        )
        per = _platform_rows(t) if t.per_platform else ""
        cards.append(
            f'<div class="sk-tile"><div class="sk-tl">{escape(t.label)}{star}</div>'
            f'<div class="sk-tv">{tile_value(t.current, t.kind)} {_change(t)}</div>'
            f'<div class="sk-muted">{prev}</div>{per}</div>'
        )
    note = ""
    if silent:
        parts = [f"{fmt.platform_name(p)} (its data ends {d:%-d %B %Y})" for p, d in silent]
        note = (
            f'<p class="sk-muted">No data for {escape(period.label)} from '
            f"{escape(fmt.join(parts))}: its figures are not in the tiles.</p>"
        )
    return f'<div class="sk-tiles">{"".join(cards)}</div>{note}'


def _findings_span(diagnosis) -> str:
    """Which data the findings read, in words, when it reaches before the month shown
    in the figures (the tiles are one month; the checks read every row)."""
    starts = [w["start"] for w in diagnosis.data.get("windows") or [] if w["table"] == "posts"]
    if not starts or diagnosis.as_of is None:
        return ""
    start = date.fromisoformat(min(starts)[:10])
    end = diagnosis.as_of
    if (start.year, start.month) == (end.year, end.month):
        return ""
    return (
        f'<p class="sk-note">What we found reads all the data we have, {start:%-d %B %Y} to '
        f"{end:%-d %B %Y}, not only the month in the figures above.</p>"
    )


def executive_summary(diagnosis) -> str:
    """Every problem found (fails, then warnings; most severe first), in plain words,
    after the span of data the findings read (:func:`_findings_span`)."""
    groups = [_findings_span(diagnosis)]
    for status in ("fail", "warn"):
        items = [f for f in diagnosis.findings if f.status == status]
        if not items:
            continue
        lis = "".join(
            f'<li class="sk-item">{status_badge(f.status)} <strong>{escape(plain(f.title))}</strong>'
            f' <span class="sk-area">· {escape(AREA_NAMES.get(f.area, f.area))}</span>'
            f"<br>{escape(plain(f.message))}"
            + (f"<br><em>Why it matters:</em> {escape(plain(f.why))}" if f.why else "")
            + (
                f"<br><em>What to do:</em> {escape(plain(f.recommendation))}"
                if f.recommendation
                else ""
            )
            + "</li>"
            for f in items
        )
        groups.append(
            f"<h3>{_STATUS_WORDS[status]} ({len(items)})</h3><ol class='sk-list'>{lis}</ol>"
        )
    if len(groups) == 1:
        return groups[0] + (
            "<p>No problem found in the data we have. The appendix lists what we could not "
            "check and the data that would let us.</p>"
        )
    return "".join(groups)


def going_well_list(diagnosis) -> str:
    """One positive line per check that found nothing wrong."""
    ok = [f for f in diagnosis.findings if f.status == "ok"]
    if not ok:
        return "<p>Nothing to report here yet: every check found something to improve.</p>"
    return (
        '<ul class="sk-check">'
        + "".join(f"<li>✓ {escape(going_well(f))}</li>" for f in ok)
        + "</ul>"
    )


def action_plan(diagnosis) -> str:
    """A 30-day plan from the recommendations, most serious first, spread over four weeks."""
    steps, seen = [], set()
    for f in diagnosis.findings:
        if f.status in ("fail", "warn") and f.recommendation:
            text = plain(f.recommendation)
            if text not in seen:
                seen.add(text)
                steps.append((f, text))
    if not steps:
        undecided = diagnosis.counts()["not_assessable"]
        if not undecided:
            return (
                "<p>No changes needed this month: keep the current plan and check again next "
                "month.</p>"
            )
        # an all-clear from part of the checks is not one: say what would decide the rest
        adds = "".join(f"<li>{escape(a)}</li>" for a in data_to_add(diagnosis.findings))
        close = sum(is_inconclusive(f) for f in diagnosis.findings)
        total = len(diagnosis.findings)
        if close:
            head = (
                f"Nothing confirmed to fix, but {fmt.plural(close, 'finding')} "
                f"{'is' if close == 1 else 'are'} too close to call (above) and "
                f"{undecided - close} of {total} checks could not be made with this data. "
                "Keep the current plan, keep an eye on the close calls"
            )
        else:
            head = (
                f"Nothing to fix in what we could check, but {undecided} of {total} checks "
                "could not be made with this data. Keep the current plan"
            )
        return f"<p>{head}, and add what would let next month's report check the rest" + (
            f":</p><ul>{adds}</ul>" if adds else " (the appendix lists it).</p>"
        )
    slots = [("Week 1", steps[:2]), ("Week 2", steps[2:4]), ("Weeks 3–4", steps[4:])]
    out = []
    for label, items in slots:
        if not items:
            continue
        lis = "".join(
            f"<li>{escape(text)} <span class='sk-muted'>({escape(plain(f.title))})</span></li>"
            for f, text in items
        )
        out.append(f"<h3>{label}</h3><ul>{lis}</ul>")
    return "".join(out)


def not_assessed_note(diagnosis) -> str:
    """What the data could not settle: the findings too close to call, each in plain words
    (the data show something, not yet enough to say it), then one line on the checks this
    data could not make at all (details in the appendix)."""
    undecided = [f for f in diagnosis.findings if f.status == "not_assessable"]
    if not undecided:
        return ""
    close = [f for f in undecided if is_inconclusive(f)]
    out = ""
    if close:
        lis = "".join(
            f'<li class="sk-item"><strong>{escape(plain(f.title))}</strong>'
            f' <span class="sk-area">· {escape(AREA_NAMES.get(f.area, f.area))}</span>'
            f"<br>{escape(_close_call(f))}</li>"
            for f in close
        )
        out += f"<h3>Too close to call ({len(close)})</h3><ol class='sk-list'>{lis}</ol>"
    rest = len(undecided) - len(close)
    if rest:
        what = fmt.plural(rest, "other check" if close else "check")
        out += (
            f'<p class="sk-muted">{what} could not be made with this data; '
            "the appendix says what data would let us.</p>"
        )
    return out


def _close_call(finding) -> str:
    """An inconclusive finding's message in the client's words, without its label."""
    text = plain(finding.message.removeprefix(INCONCLUSIVE).strip())
    return text[:1].upper() + text[1:]


def _safe_url(url) -> str:
    import pandas as pd

    u = "" if url is None or pd.isna(url) else str(url).strip()
    return u if u.lower().startswith(("https://", "http://")) else ""


def _post_table(rows, title: str) -> str:
    trs = "".join(
        f"<tr><td class='sk-nowrap'>{escape(r['date'])}</td><td>{escape(r['platforms'])}</td>"
        f"<td>{escape(r['text'])}"
        + (f' <a href="{escape(r["url"])}" rel="noreferrer">open</a>' if r["url"] else "")
        + f"</td><td>{escape(fmt.pct(r['rate'], 1))}</td><td>{escape(fmt.count(r['reach']))}</td></tr>"
        for r in rows
    )
    return (
        f"<h3>{title}</h3><div class='sk-scroll'><table class='sk-posts'><thead><tr><th>date</th>"
        "<th>platform</th><th>post</th><th>engagement rate</th><th>reach</th></tr></thead>"
        f"<tbody>{trs}</tbody></table></div>"
    )


def top_posts(posts, period, n: int = 5) -> str:
    """The period's best and weakest posts by engagement rate; copies of one post merged.

    A copy is the same text (case and spacing ignored) on several platforms: it
    is shown once with its platforms, its interactions and audience summed.

    Posts are ranked by what their numbers can vouch for, each read beside the
    period's other posts (:func:`~socialkit.metrics.stats.shrunk_rates`): the best by
    the low end of where its rate may lie, the weakest by the high end, so that one
    like on seven impressions (14 %) does not top a post that 3 % of 60,000 people
    engaged with. The table shows each post's rate as measured.
    """
    import numpy as np
    import pandas as pd

    from socialkit.metrics.period import in_period
    from socialkit.metrics.stats import shrunk_rates

    if not len(posts):
        return '<p class="sk-note">No posts in this data.</p>'
    p = posts[in_period(posts["published_at"], period)]
    scope = escape(period.label)
    if len(p) < 2 * n:
        p, scope = posts, "all the data"
    cols = [c for c in ("reactions", "comments", "shares", "saves") if c in p]
    eng = p[cols].apply(pd.to_numeric, errors="coerce").sum(axis=1, min_count=1)
    den = pd.to_numeric(p["impressions"], errors="coerce")
    den = den.where(den > 0, pd.to_numeric(p["followers"], errors="coerce"))
    reach = pd.to_numeric(p["reach"], errors="coerce").fillna(
        pd.to_numeric(p["impressions"], errors="coerce")
    )
    key = p["text"].fillna("").str.lower().str.split().str.join(" ")
    key = key.where(key != "", p["platform"].astype(str) + ":" + p["post_id"].astype(str))
    d = pd.DataFrame(
        {"key": key, "eng": eng, "den": den.where(den > 0), "reach": reach,
         "platform": p["platform"].astype(str), "t": p["published_at"], "text": p["text"],
         "url": p["url"]}
    ).dropna(subset=["eng", "den"])  # fmt: skip
    if d.empty:
        return (
            '<p class="sk-note">No post has both interactions and impressions or followers, '
            "so posts can't be ranked by engagement rate.</p>"
        )
    rows = []
    for _, g in d.sort_values("t").groupby("key", sort=False):
        text = "(no text)" if pd.isna(g["text"].iloc[0]) else str(g["text"].iloc[0])
        eng, den = float(g["eng"].sum()), float(g["den"].sum())
        rows.append(
            {
                "date": f"{g['t'].iloc[0]:%-d %b %Y}",
                "platforms": fmt.platforms(dict.fromkeys(g["platform"])),
                "text": text if len(text) <= 140 else text[:137] + "…",
                "url": next((u for u in map(_safe_url, g["url"]) if u), ""),
                "rate": eng / den,
                "reach": float(g["reach"].sum()) if g["reach"].notna().any() else np.nan,
                "eng": eng,
                "den": den,
            }
        )
    den = np.array([r["den"] for r in rows])
    low, high = shrunk_rates([r["eng"] for r in rows], den)
    k = min(n, len(rows) // 2) or 1
    top = np.argsort(-low, kind="stable")[:k]
    best = [rows[i] for i in top]
    chosen = set(top.tolist())
    weakest = [rows[i] for i in np.argsort(high, kind="stable") if i not in chosen][:k]
    out = (
        f'<p class="sk-muted">From {scope}; engagement rate = interactions ÷ impressions (or '
        "followers). A post seen by few people counts for less in the ranking: its rate could "
        "be luck.</p>"
    )
    out += _post_table(best, "Best posts")
    if len(rows) > k:
        out += _post_table(weakest, "Weakest posts")
    return out
