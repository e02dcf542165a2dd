"""The analyst's appendix, "Methods and data": everything behind the client's plain page.

Per check: its id, status, the full message, evidence with intervals and
sample sizes, the thresholds it was judged against; the checks that could
not be decided and what they need; how each KPI tile is computed; the
reporting period; the data each finding read (the diagnosis ``data``
contract: windows, data_until, notes, quarantine — when present), the files
loaded, loader warnings, and the engagement-drivers model. Collapsed on
screen, opened in full when printed.
"""

from __future__ import annotations

from html import escape

from socialkit.html import data_appendix, data_quality, evidence_text, status_badge

__all__ = ["appendix", "evidence_text"]


def _finding_rows(findings) -> str:
    rows = []
    for f in findings:
        metrics = [e for e in f.evidence if e.kind != "threshold"]
        limits = [e for e in f.evidence if e.kind == "threshold"]
        detail = escape(f.message)
        if metrics:
            detail += f'<br><span class="sk-ev">Evidence: {escape(evidence_text(metrics))}</span>'
        if limits:
            detail += f'<br><span class="sk-ev">Thresholds: {escape(evidence_text(limits))}</span>'
        if f.needs:
            detail += f"<br><em>Needs:</em> {escape(f.needs)}"
        rows.append(
            f"<tr><td>{status_badge(f.status)}</td><td><code>{escape(f.check)}</code><br>"
            f"{escape(f.title)}</td><td>{detail}</td></tr>"
        )
    return (
        '<div class="sk-scroll"><table class="sk-methods"><thead><tr><th>status</th>'
        "<th>check</th><th>finding, evidence and thresholds</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></div>"
    )


def _exact(value, kind: str) -> str:
    """A tile's figure for the analyst: more digits than the tile shows, never a float's
    repr; a figure the data lacks is a dash."""
    if value is None:
        return "—"
    if kind == "share":
        return f"{value:.2%}"
    if kind == "hours":
        return f"{value:,.1f} h"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"


def _tile_rows(tiles) -> str:
    rows = "".join(
        f"<tr><td>{escape(t.label)}</td><td><code>{escape(t.key)}</code></td>"
        f"<td>{escape(t.definition or '—')}</td><td>{escape(_exact(t.current, t.kind))}</td>"
        f"<td>{escape(_exact(t.previous, t.kind))}</td></tr>"
        for t in tiles
    )
    return (
        '<div class="sk-scroll"><table><thead><tr><th>tile</th><th>key</th><th>definition</th>'
        "<th>this period</th><th>previous</th></tr></thead><tbody>"
        + rows
        + "</tbody></table></div>"
    )


def appendix(client, diagnosis, period, tiles, drivers=None) -> str:
    """The "Methods and data" appendix (a ``<details>`` block, opened for print)."""
    from socialkit.html import drivers_section

    assessed = [f for f in diagnosis.findings if f.status != "not_assessable"]
    pending = [f for f in diagnosis.findings if f.status == "not_assessable"]
    parts = [
        "<p>For the analyst: how each figure and verdict was reached. A verdict passes a "
        "threshold only when the whole 95% interval is past it; otherwise it is not claimed. "
        "The checks read the whole history of the data; the KPI tiles read the reporting "
        "period.</p>",
        f"<h3>Reporting period</h3><p>{escape(period.label)} ({period.start} to {period.end}, "
        f"UTC), compared with {escape(period.previous_label)} ({period.previous_start} to "
        f"{period.previous_end}). Post figures count the posts published in the period, with "
        "the totals the export gives each post.</p>",
        "<h3>KPI tiles</h3>" + _tile_rows(tiles),
        "<h3>Every check</h3>" + _finding_rows(assessed),
    ]
    if pending:
        parts.append("<h3>Checks this data could not decide</h3>" + _finding_rows(pending))
    if drivers is not None:
        parts.append("<h3>What went with higher engagement (model)</h3>" + drivers_section(drivers))
    parts.append(
        "<h3>Data</h3>"
        + data_appendix(diagnosis.data)
        + data_quality(client, with_data=False, data=diagnosis.data)
    )
    return (
        '<details class="sk-appendix" id="methods"><summary><h2>Methods and data</h2>'
        '<span class="sk-muted">for your analyst — click to open</span></summary>'
        + "".join(parts)
        + "</details>"
    )
