"""Chapter figures drawn from a check's own measure and thresholds, so that a figure never
contradicts the verdict beside it.

Each function takes the client and its diagnosis, draws what the check measured, marks the
threshold it judged against, says the verdict in the title — and says **no verdict**
(drawing no trend or bar it did not use) when the check was not assessable. The numbers
drawn are left in ``ax.drawn`` (a dict), so a reader or a test can compare them with the
finding's evidence. Re-exported by :mod:`socialkit.plot`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialkit.metrics.concentration import concentration as _concentration
from socialkit.metrics.stats import theil_sen
from socialkit.plot import PALETTE, PLATFORM_COLOURS, _ax, _log_x

__all__ = ["platform_verdict", "trend_verdict", "virality"]

_WORD = {"fail": "fail", "warn": "warn", "ok": "ok", "not_assessable": "no verdict"}


def _thresholds(finding) -> dict:
    from socialkit.explore import thresholds

    return thresholds(finding)


def _no_verdict(ax, finding, drawn=None):
    ax.set_title(f"No verdict: {finding.message}", loc="left", fontsize=9, wrap=True)
    ax.drawn = {"status": finding.status, **(drawn or {})}
    return ax


def _batch(client):
    from socialkit.batch import Batch

    return Batch.from_clients([client])


def virality(client, diagnosis, ax=None):
    """Lorenz curve of relative engagement (interactions ÷ the platform's median, the measure
    of ``kpi.virality_dependence``), its top-5 % share and the warn and fail lines.

    ``ax.drawn``: ``share`` (top 5 %), ``gini``, ``n``, ``status``.
    """
    ax = _ax(ax)
    f = diagnosis["kpi.virality_dependence"]
    t = _thresholds(f)
    v = _batch(client).rel
    v = np.sort(v[~np.isnan(v)])
    if not v.size or v.sum() <= 0:
        ax.set_axis_off()
        return _no_verdict(ax, f, {"n": int(v.size)})
    c = _concentration(v, np.zeros(v.size, int))
    share, gini = float(c["share"][0]), float(c["gini"][0])
    cum = np.r_[0, np.cumsum(v)] / v.sum()
    frac = np.arange(v.size + 1) / v.size
    ax.plot(frac, cum, color=PALETTE[0], lw=2, label=f"posts (Gini {gini:.2f})")
    ax.plot([0, 1], [0, 1], color=PALETTE[7], lw=1, ls=":", label="every post equal")
    x = 1 - int(c["k"][0]) / v.size
    ax.scatter([x], [1 - share], color=PALETTE[0], zorder=4)
    ax.annotate(f"top 5 % hold {share:.0%}", (x, 1 - share), xytext=(-110, 10),
                textcoords="offset points", fontsize=8)  # fmt: skip
    for name, colour in (("warn", PALETTE[1]), ("fail", PALETTE[5])):
        if name in t:
            ax.hlines(1 - t[name], x - 0.08, 1, colors=colour, lw=2,
                      label=f"{name}: top 5 % hold more than {t[name]:.0%}")  # fmt: skip
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.set_xlabel("share of posts, least engaging first")
    ax.set_ylabel("share of relative engagement")
    ax.legend(loc="upper left", fontsize=8)
    ax.drawn = {"share": share, "gini": gini, "n": int(v.size), "status": f.status}
    if f.status == "not_assessable":
        return _no_verdict(ax, f, ax.drawn)
    ax.set_title(f"{_WORD[f.status]}: the top 5 % of posts hold {share:.0%} of engagement")
    return ax


def trend_verdict(client, diagnosis, ax=None):
    """Weekly mean relative engagement per post (the series ``patience.long_run_trend``
    tests) with its Theil–Sen line and 95 % band — no line when the check did not test a
    trend (too few weeks); an inconclusive check (a fall the test cannot confirm) has its
    line, titled *inconclusive*.

    ``ax.drawn``: ``weeks`` (weeks with posts), ``slope``, ``low``, ``high`` (None
    without a verdict), ``status``.
    """
    from socialkit.checks.patience import TREND_WEEKS

    ax = _ax(ax)
    f = diagnosis["patience.long_run_trend"]
    b = _batch(client)
    ok = ~np.isnan(b.rel) & (b.week < TREND_WEEKS)
    s, c = (x[0, ::-1] for x in b.tables(b.week, TREND_WEEKS, b.rel, None, mask=ok))  # oldest first
    with np.errstate(invalid="ignore", divide="ignore"):
        y = np.where(c > 0, s / c, np.nan)
    has = np.flatnonzero(c > 0)
    drawn = {"weeks": int(has.size), "slope": None, "low": None, "high": None, "status": f.status}
    if not has.size:
        ax.set_axis_off()
        return _no_verdict(ax, f, drawn)
    y = y[has[0] :]
    end = pd.Timestamp(client.window_end)
    starts = end - pd.to_timedelta(7 * np.arange(y.size, 0, -1), unit="D")
    ax.plot(starts, y, marker="o", ms=3, lw=1, color=PALETTE[0], label="mean per post, by week")
    ax.axhline(1, color=PALETTE[7], lw=0.8, ls="--", label="the platform's typical post (1×)")
    ax.set_xlabel("week starting")
    ax.set_ylabel("engagement ÷ platform median")
    ax.tick_params(axis="x", labelrotation=30)
    p = next((e.value for e in f.evidence if e.name.startswith("Mann–Kendall")), None)
    if p is None:  # not tested (too few weeks, exports that end long ago): no line
        ax.legend(loc="upper left", fontsize=8)
        return _no_verdict(ax, f, drawn)
    ts = theil_sen(y[None, :])
    slope, low, high = (float(ts[k][0]) for k in ("slope", "low", "high"))
    x = np.arange(y.size, dtype=float)
    keep = ~np.isnan(y)
    cx, cy = np.median(x[keep]), np.median(y[keep])
    ax.plot(starts, cy + slope * (x - cx), color=PALETTE[5], lw=1.5,
            label=f"Theil–Sen trend {slope:+.3f}×/week")  # fmt: skip
    ax.fill_between(starts, cy + low * (x - cx), cy + high * (x - cx), color=PALETTE[5],
                    alpha=0.12, label="95 % band (includes flat: no trend shown)")  # fmt: skip
    alpha = _thresholds(f).get("alpha", 0.05)
    ax.legend(loc="upper left", fontsize=8)
    # tested but undecided: a line that falls by more than material_fall, not confirmed
    word = "inconclusive" if f.status == "not_assessable" else _WORD[f.status]
    ax.set_title(f"{word}: Mann–Kendall p = {p:.2g} (a trend needs p < {alpha:g})")
    ax.drawn = {**drawn, "slope": slope, "low": low, "high": high}
    return ax


def platform_verdict(client, diagnosis, ax=None):
    """Each platform's median engagement rate (95 % interval) against its benchmark and the
    bar ``platform.underperforming`` judges against (``warn`` × the benchmark, a vertical
    tick); a platform the check leaves out is labelled *no verdict*.

    ``ax.drawn``: the table of :func:`socialkit.explore.platform_vs_benchmark`.
    """
    from socialkit.explore import platform_vs_benchmark

    ax = _ax(ax)
    f = diagnosis["platform.underperforming"]
    table = platform_vs_benchmark(client, diagnosis)
    ax.drawn = {"table": table, "status": f.status}
    if table.empty:
        ax.set_axis_off()
        return _no_verdict(ax, f, ax.drawn)
    warn = _thresholds(f).get("warn", 0.5)
    for i, r in enumerate(table.itertuples()):
        colour = PLATFORM_COLOURS.get(r.platform, PALETTE[7])
        ax.scatter(r.median_rate, i, color=colour, s=40, zorder=3)
        if not np.isnan(r.low):
            ax.plot([r.low, r.high], [i, i], color=colour, lw=2)
        if not np.isnan(r.benchmark):
            ax.scatter(
                r.benchmark, i, marker="D", s=50, facecolor="none", edgecolor=PALETTE[7], zorder=4
            )
            ax.scatter(r.warn_bar, i, marker="|", s=400, color=PALETTE[5], zorder=4)
    ax.scatter([], [], marker="D", facecolor="none", edgecolor=PALETTE[7], label="benchmark")
    ax.scatter([], [], marker="|", s=200, color=PALETTE[5], label=f"bar: {warn:g} × benchmark")
    labels = [f"{r.platform} ({r.posts} posts)" + ("" if r.judged else " — no verdict")
              for r in table.itertuples()]  # fmt: skip
    ax.set_yticks(np.arange(len(table)), labels)
    _log_x(ax, lambda v: f"{v * 100:g}%")
    ax.set_xlabel("median engagement rate (interactions ÷ followers, last 26 weeks, log)")
    ax.legend(loc="best", fontsize=8)
    below = table.loc[table["verdict"].str.startswith("below"), "platform"].tolist()
    ax.set_title(
        f"{_WORD[f.status]}: " + (f"{', '.join(below)} below the bar" if below
                                  else "no platform's interval is wholly below its bar")
    )  # fmt: skip
    return ax
