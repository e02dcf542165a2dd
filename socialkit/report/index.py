"""``index.html``: every client of a batch in one sortable table (no network needed)."""

from __future__ import annotations

from html import escape
from pathlib import Path
from urllib.parse import quote

from socialkit.html import page, status_badge

__all__ = ["write_index", "index_html"]

_STATUS_TEXT = {
    "ok": "ok",
    "failed": "failed",
    "skipped-unchanged": "ok (unchanged, skipped)",
    "timed-out": "timed out",
    "no-data": "no data",
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


def index_html(results: list[dict]) -> str:
    """The index page for a list of ``run.json`` dicts."""
    rows = []
    for r in results:
        status = r.get("status", "failed")
        ok = status in ("ok", "skipped-unchanged")
        has_page = ok or status == "no-data"  # its report says why there is no data
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
        rows.append(
            f'<tr><td>{name_cell}</td><td data-v="{0 if ok else 1}">{state}</td>'
            f'<td data-v="{counts.get("fail", "")}">{counts.get("fail", "—")}</td>'
            f'<td data-v="{counts.get("warn", "")}">{counts.get("warn", "—")}</td>'
            f'<td>{top}</td><td class="sk-nowrap">{window}</td></tr>'
        )
    failed = sum(r.get("status") == "failed" for r in results)
    body = (
        "<h1>socialkit reports</h1>"
        f"<p>{len(results)} client(s); {len(results) - failed} report(s) available, "
        f"{failed} failed. Click a column header to sort.</p>"
        '<div class="sk-scroll"><table class="sk-sort"><thead><tr><th>client</th>'
        "<th>status</th><th>fail</th><th>warn</th><th>top findings</th><th>data window</th>"
        "</tr></thead><tbody>" + "".join(rows) + "</tbody></table></div>"
    )
    return page("socialkit reports", body, scripts=(_SORT_JS,))


def write_index(out, results: list[dict]) -> Path:
    """Write ``<out>/index.html`` atomically and return its path."""
    from socialkit.report.build import atomic_write

    path = Path(out) / "index.html"
    atomic_write(path, index_html(results))
    return path
