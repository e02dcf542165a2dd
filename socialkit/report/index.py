"""``index.html``: every client of a batch in one sortable table (no network needed).

The index keeps the clients of earlier runs into the same output folder
(``index.json``): a run adds or updates its clients, and a client whose
folder no longer exists is listed as such, never silently dropped.
"""

from __future__ import annotations

import datetime as dt
import json
from html import escape
from pathlib import Path
from urllib.parse import quote

from socialkit.html import page, status_badge

__all__ = ["write_index", "index_html", "merge_runs"]

_STATUS_TEXT = {
    "ok": "ok",
    "failed": "failed",
    "skipped-unchanged": "ok (unchanged, skipped)",
    "timed-out": "timed out",
    "no-data": "no data",
    "gone": "no longer present",
}

# Click a column header to sort by it (numbers numerically). Allowed by hash in the CSP.
_SORT_JS = (
    "document.querySelectorAll('table.sk-sort th').forEach(function(th,i){"
    "th.style.cursor='pointer';th.title='sort';th.addEventListener('click',function(){"
    "var tb=th.closest('table').tBodies[0],rows=Array.from(tb.rows),"
    "asc=th.dataset.asc!=='1';th.dataset.asc=asc?'1':'0';"
    "rows.sort(function(a,b){var x=a.cells[i].dataset.v||a.cells[i].textContent,"
    "y=b.cells[i].dataset.v||b.cells[i].textContent,nx=parseFloat(x),ny=parseFloat(y);"
    "var c=(!isNaN(nx)&&!isNaN(ny))?nx-ny:x.localeCompare(y);return asc?c:-c;});"
    "rows.forEach(function(r){tb.appendChild(r);});});});"
)


def merge_runs(out, results: list[dict]) -> list[dict]:
    """This run's results merged into the clients listed by earlier runs (``index.json``).

    A client of an earlier run keeps its last result; one whose folder is gone
    is marked ``gone``. The merged list is written back to ``index.json``.
    """
    from socialkit.report.build import atomic_write

    path = Path(out) / "index.json"
    try:
        earlier = json.loads(path.read_text("utf-8")).get("clients", [])
    except (OSError, ValueError, AttributeError):
        earlier = []
    now = {r.get("slug"): r for r in results}
    merged = list(results)
    for r in earlier:
        if not isinstance(r, dict) or r.get("slug") in now:
            continue
        r = dict(r)
        folder = r.get("client_dir")
        if folder and not Path(folder).is_dir():
            r["status"] = "gone"
        r["earlier_run"] = True
        merged.append(r)
    keep = ("client", "slug", "client_dir", "status", "error", "counts", "top", "as_of",
            "data_window", "period", "statuses", "changes", "started_at", "earlier_run")  # fmt: skip
    slim = [{k: r.get(k) for k in keep if k in r} for r in merged]
    atomic_write(path, json.dumps({"clients": slim}, indent=1, ensure_ascii=False))
    return merged


def _totals(results) -> str:
    ok = sum(r.get("status") in ("ok", "skipped-unchanged") for r in results)
    failed = sum(r.get("status") in ("failed", "timed-out") for r in results)
    gone = sum(r.get("status") == "gone" for r in results)
    no_data = sum(r.get("status") == "no-data" for r in results)
    areas: dict[str, list[int]] = {}
    for r in results:
        for check, status in (r.get("statuses") or {}).items():
            if status in ("fail", "warn"):
                a = areas.setdefault(check.split(".", 1)[0], [0, 0])
                a[status == "warn"] += 1
    rows = "".join(
        f"<tr><td>{escape(area)}</td><td>{f}</td><td>{w}</td></tr>"
        for area, (f, w) in sorted(areas.items(), key=lambda kv: (-kv[1][0], -kv[1][1]))
    )
    table = (
        '<div class="sk-scroll"><table class="sk-totals"><thead><tr><th>area</th><th>fail</th>'
        f"<th>warn</th></tr></thead><tbody>{rows}</tbody></table></div>"
        if rows
        else ""
    )
    return (
        f"<p><strong>{len(results)}</strong> client(s): {ok} report(s) available, {failed} failed"
        + (f", {no_data} with no data" if no_data else "")
        + (f", {gone} no longer present" if gone else "")
        + ". Click a column header to sort.</p>"
        + table
    )


def _changes(r) -> tuple[str, str]:
    ch = r.get("changes")
    if not ch:
        return '<span class="sk-muted">first report</span>', ""
    text = f"{len(ch['new'])} new · {len(ch['resolved'])} resolved · {len(ch['open'])} still open"
    return escape(text), str(len(ch["new"]))


def index_html(results: list[dict]) -> str:
    """The index page for a list of ``run.json`` dicts."""
    rows = []
    for r in results:
        status = r.get("status", "failed")
        ok = status in ("ok", "skipped-unchanged")
        has_page = ok or (status == "no-data" and r.get("report_html"))  # a page to open
        link = f"{quote(r.get('slug', ''))}/report.html"
        name = escape(str(r.get("client", r.get("slug", "?"))))
        name_cell = f'<a href="{link}">{name}</a>' if has_page else name
        state = escape(_STATUS_TEXT.get(status, status))
        if r.get("error"):
            state += f'<br><span class="sk-muted">{escape(str(r["error"]))}</span>'
        counts = r.get("counts") or {}
        top = (
            "".join(
                f"<div>{status_badge(t['status'])} {escape(t['title'])}</div>"
                for t in (r.get("top") or [])[:3]
            )
            or '<span class="sk-muted">—</span>'
        )
        window = escape(str(r.get("data_window") or "—"))
        period = (r.get("period") or {}).get("label")
        if period:
            window = f"{escape(period)}<br>{window}"
        changes, changes_v = _changes(r)
        rows.append(
            f'<tr><td>{name_cell}</td><td data-v="{0 if ok else 1}">{state}</td>'
            f'<td data-v="{counts.get("fail", "")}">{counts.get("fail", "—")}</td>'
            f'<td data-v="{counts.get("warn", "")}">{counts.get("warn", "—")}</td>'
            f'<td data-v="{changes_v}">{changes}</td>'
            f"<td>{top}</td><td>{window}</td></tr>"
        )
    today = dt.date.today()
    periods = sorted({(r.get("period") or {}).get("label") for r in results} - {None})
    title = f"socialkit reports, {today:%-d %B %Y}" + (
        f" ({', '.join(periods)})" if len(periods) == 1 else ""
    )
    body = (
        f"<h1>{escape(title)}</h1>"
        + _totals(results)
        + '<div class="sk-scroll"><table class="sk-sort sk-index"><thead><tr><th>client</th>'
        "<th>status</th><th>fail</th><th>warn</th><th>since last report</th><th>top findings</th>"
        "<th>period and data</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )
    return page(title, body, scripts=(_SORT_JS,))


def write_index(out, results: list[dict]) -> Path:
    """Write ``<out>/index.html`` atomically and return its path."""
    from socialkit.report.build import atomic_write

    path = Path(out) / "index.html"
    atomic_write(path, index_html(results))
    return path
