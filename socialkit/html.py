"""HTML fragments and pages for notebooks and reports.

Every piece of text that can come from data (post text, names, messages) goes
through :func:`html.escape`; pages carry a Content-Security-Policy that allows
no scripts except those whose hash the page itself declares, and no network
resource, so a hostile post text is shown, never run.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

__all__ = [
    "STATUS_COLOURS",
    "status_badge",
    "findings_table",
    "finding_cards",
    "page",
    "report_header",
    "executive_summary",
    "top_posts_table",
    "data_quality",
    "drivers_section",
    "CSS",
    "OPEN_FOR_PRINT",
    "evidence_text",
]

#: Okabe–Ito based, colour-blind-safe status colours (background, text).
STATUS_COLOURS = {
    "fail": ("#d55e00", "#fff"),
    "warn": ("#e69f00", "#000"),
    "ok": ("#009e73", "#fff"),
    "not_assessable": ("#bbbbbb", "#000"),
}
_LABEL = {"fail": "fail", "warn": "warn", "ok": "ok", "not_assessable": "n/a"}

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1b1b1b;
 background:#fafafa;line-height:1.45}
main{max-width:1100px;margin:0 auto;padding:16px 24px 48px;background:#fff}
h1{font-size:1.7rem;margin:.4em 0}h2{font-size:1.3rem;margin-top:1.6em;border-bottom:1px solid
 #ddd;padding-bottom:.2em}h3{font-size:1.05rem}
table{border-collapse:collapse;width:100%;font-size:.9rem;margin:.6em 0}
th,td{border-bottom:1px solid #e3e3e3;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#f2f2f2}
.sk-badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:.8rem;
 font-weight:600;text-transform:uppercase;white-space:nowrap}
.sk-card{border:1px solid #ddd;border-left:6px solid #bbb;border-radius:4px;padding:8px 12px;
 margin:10px 0}
.sk-card p{margin:.3em 0}.sk-card .sk-ev{font-size:.85rem;color:#333}
.sk-muted{color:#666;font-size:.85rem}
.sk-scroll{overflow-x:auto}.sk-nowrap{white-space:nowrap}.sk-sort td:nth-child(5){min-width:15em}
img{max-width:100%;height:auto}
pre{white-space:pre-wrap;word-break:break-word}
.jp-OutputPrompt,.jp-InputPrompt,.prompt{display:none}
@media (max-width:600px){main{padding:8px}td,th{padding:4px}table{font-size:.8rem}}
.sk-cover{border-bottom:4px solid var(--sk-brand,#1b1b1b);margin-bottom:1em;padding-bottom:.6em}
.sk-cover h1{margin:.2em 0}.sk-sub{color:#444;margin:.2em 0}.sk-agency{font-weight:600;margin:0}
.sk-logo{max-height:56px;max-width:220px;display:block;margin-bottom:6px}
.sk-tiles{display:grid;grid-template-columns:repeat(auto-fill,minmax(190px,1fr));gap:10px;
 margin:.8em 0}
.sk-tile{border:1px solid #ddd;border-top:4px solid var(--sk-brand,#0072b2);border-radius:6px;
 padding:8px 10px;background:#fff}
.sk-tile.sk-missing{border-top-color:#bbb;background:#fafafa}
.sk-tl{font-size:.85rem;color:#444;font-weight:600}.sk-tv{font-size:1.6rem;font-weight:700;
 margin:.1em 0}
.sk-chg{font-size:.9rem;font-weight:600;margin-left:.3em;white-space:nowrap;display:inline-block}.sk-up{color:#00734f}.sk-down{color:#b04600}
.sk-flat{color:#555}.sk-tile details{font-size:.85rem}.sk-tile table{font-size:.8rem;margin:.3em 0}
.sk-list{padding-left:1.3em}.sk-item{margin:.5em 0}.sk-area{color:#555;font-size:.85rem}
.sk-check{list-style:none;padding-left:.2em}.sk-check li{margin:.25em 0}
.sk-fig{max-width:760px;margin:.6em 0}.sk-fig img{width:100%;height:auto;display:block}
.sk-note{color:#555;font-style:italic}
details.sk-appendix{margin-top:2em;border-top:2px solid #ddd}
details.sk-appendix>summary{cursor:pointer;list-style:none}
details.sk-appendix>summary h2{display:inline-block;border:0;margin:0 .5em 0 0}
.sk-methods td:nth-child(3){min-width:18em}
@media (max-width:600px){.sk-tiles{grid-template-columns:repeat(2,minmax(0,1fr));gap:8px}
 .sk-tv{font-size:1.25rem;white-space:normal}.sk-tile{padding:6px 8px}
 .sk-fig{overflow-x:auto}.sk-fig img{min-width:480px}}
@media (max-width:600px){table.sk-index thead{display:none}
 table.sk-index tr{display:block;border-bottom:2px solid #ddd;padding:6px 0}
 table.sk-index td{display:block;border:0;padding:2px 4px}
 table.sk-index td:nth-child(3)::before{content:"fail: "}
 table.sk-index td:nth-child(4)::before{content:"warn: "}}
@media print{
 body{background:#fff}main{max-width:none;padding:0}
 .sk-cover{min-height:80vh;break-after:page;display:flex;flex-direction:column;
  justify-content:center}
 .sk-cover h1{font-size:2.2rem}
 h1,h2,h3,h4{break-after:avoid;page-break-after:avoid}
 .sk-tile,.sk-item,.sk-fig,.sk-card,li,tr,img,figure,.jp-OutputArea-output{break-inside:avoid;
  page-break-inside:avoid}
 .sk-scroll{overflow:visible}details>summary .sk-muted{display:none}
 details.sk-appendix{break-before:page}
 a{color:inherit}
}
"""

#: Opens every ``<details>`` before printing, so the appendix prints in full (allowed by hash).
OPEN_FOR_PRINT = (
    "window.addEventListener('beforeprint',function(){"
    "document.querySelectorAll('details').forEach(function(d){d.open=true;});});"
)


def status_badge(status: str) -> str:
    bg, fg = STATUS_COLOURS[status]
    return f'<span class="sk-badge" style="background:{bg};color:{fg}">{_LABEL[status]}</span>'


def evidence_text(ev) -> str:
    """Evidence as the analyst reads it: value and unit in human numbers, interval, n."""
    from socialkit import fmt

    parts = []
    for e in ev:
        s = f"{e.name}: {fmt.evidence_value(e.value, e.unit)}"
        if e.ci is not None:
            lo, hi = (fmt.evidence_value(v, e.unit).split(" (")[0] for v in e.ci)
            s += f" (95% CI {lo}–{hi})"
        if e.n is not None:
            s += f", n={fmt.count(e.n)}"
        parts.append(s)
    return "; ".join(parts)


def findings_table(findings) -> str:
    """A table of findings: status, check, what we saw, what to do."""
    rows = []
    for f in findings:
        seen = escape(f.message) + (
            f'<br><span class="sk-muted">Needs: {escape(f.needs)}</span>' if f.needs else ""
        )
        rows.append(
            f"<tr><td>{status_badge(f.status)}</td><td><code>{escape(f.check)}</code>"
            f"<br>{escape(f.title)}</td><td>{seen}</td>"
            f"<td>{escape(f.recommendation)}</td></tr>"
        )
    return (
        '<table class="sk-findings"><thead><tr><th>status</th><th>check</th>'
        "<th>what we saw</th><th>what to do</th></tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table>"
    )


def finding_cards(findings) -> str:
    """One card per assessed finding (message, why, what to do, evidence, thresholds).

    Findings that are not assessable follow as a compact list with the data they need.
    """
    out = []
    pending = [f for f in findings if f.status == "not_assessable"]
    for f in (f for f in findings if f.status != "not_assessable"):
        colour = STATUS_COLOURS[f.status][0]
        metrics = [e for e in f.evidence if e.kind != "threshold"]
        limits = [e for e in f.evidence if e.kind == "threshold"]
        body = [
            f"<p>{status_badge(f.status)} <strong>{escape(f.title)}</strong> "
            f'<code class="sk-muted">{escape(f.check)}</code></p>',
            f"<p>{escape(f.message)}</p>",
        ]
        if f.status in ("warn", "fail"):
            body.append(f"<p><em>Why it matters:</em> {escape(f.why)}</p>")
        if f.recommendation:
            body.append(f"<p><em>What to do:</em> {escape(f.recommendation)}</p>")
        if metrics:
            body.append(f'<p class="sk-ev">Evidence: {escape(evidence_text(metrics))}</p>')
        if limits:
            body.append(
                f'<p class="sk-ev sk-muted">Thresholds: {escape(evidence_text(limits))}</p>'
            )
        out.append(
            f'<div class="sk-card" style="border-left-color:{colour}">' + "".join(body) + "</div>"
        )
    if pending:
        items = "".join(
            f"<li>{status_badge(f.status)} <strong>{escape(f.title)}</strong> "
            f"<code>{escape(f.check)}</code>: {escape(f.message)} "
            f"<em>Needs:</em> {escape(f.needs)}</li>"
            for f in pending
        )
        out.append(f'<p class="sk-muted">Not assessable here:</p><ul class="sk-muted">{items}</ul>')
    return "".join(out)


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode() + "'"


def page(
    title: str, body: str, scripts: tuple[str, ...] = (), *, paper: str = "A4", brand: str = ""
) -> str:
    """A complete, self-contained HTML page with the house CSS and a strict CSP.

    Parameters
    ----------
    title : str
        Page title (escaped here).
    body : str
        Trusted HTML (already escaped where it holds data).
    scripts : tuple of str
        Inline scripts of our own; each is allowed by its hash, nothing else runs.
    paper : {'A4', 'letter'}
        Page size when printed.
    brand : str
        Primary colour ``#rrggbb`` of an agency's brand (validated by the caller).
    """
    if paper.lower() not in ("a4", "letter"):
        raise ValueError(f"paper must be 'A4' or 'letter'; got {paper!r}.")
    extra = (
        f"@page{{size:{'A4' if paper.lower() == 'a4' else 'letter'};margin:16mm 14mm 18mm;"
        "@bottom-right{content:counter(page) ' / ' counter(pages);font-size:9pt;color:#666}}"
    )
    if brand:
        extra += f":root{{--sk-brand:{escape(brand)}}}"
    script_src = " ".join(_script_hash(s) for s in scripts) or "'none'"
    csp = (
        f"default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {script_src}; base-uri 'none'; form-action 'none'"
    )
    tags = "".join(f"<script>{s}</script>" for s in scripts)
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)}</title><style>{CSS}{extra}</style></head>"
        f"<body><main>{body}</main>{tags}</body></html>\n"
    )


def report_header(client, diagnosis, level: int = 1) -> str:
    """Title block: client, data window, platforms, counts of findings (``<h{level}>`` title)."""
    from socialkit.windows import window_text

    c = diagnosis.counts()
    window = window_text(diagnosis.data)  # per platform when the exports do not overlap
    window = window.replace(" – ", " to ") if window else f"up to {diagnosis.data_until_text}"
    plats = ", ".join(diagnosis.data.get("platforms", [])) or "none"
    return (
        f"<h{level}>Social media diagnosis: {escape(client.name)}</h{level}>"
        f'<p class="sk-muted">Data {escape(window)} · platforms: {escape(plats)} · '
        f"{len(client.posts)} posts, {len(client.comments)} comments</p>"
        f"<p>{status_badge('fail')} {c['fail']} &nbsp; {status_badge('warn')} {c['warn']}"
        f" &nbsp; {status_badge('ok')} {c['ok']} &nbsp; {status_badge('not_assessable')} "
        f"{c['not_assessable']}</p>"
    )


def executive_summary(diagnosis, n: int = 3) -> str:
    """The top problems in plain words, each with what to do; or a clean bill of health."""
    top = diagnosis.top(n)
    if not top:
        return (
            "<p>No check found a problem. Keep going, and see the sections below for the "
            "checks that could not be assessed and the data they need.</p>"
        )
    items = "".join(
        f"<li>{status_badge(f.status)} <strong>{escape(f.title)}.</strong> "
        f"{escape(f.message)} <em>What to do:</em> {escape(f.recommendation)}</li>"
        for f in top
    )
    return f"<ol>{items}</ol>"


def top_posts_table(posts, n: int = 5) -> str:
    """The ``n`` posts with the most interactions (reactions + comments + shares)."""
    if posts.empty:
        return '<p class="sk-muted">No posts.</p>'
    inter = posts[["reactions", "comments", "shares"]].fillna(0).sum(axis=1)
    top = posts.assign(interactions=inter).nlargest(n, "interactions")
    rows = "".join(
        f"<tr><td>{escape(str(r.published_at.date()))}</td><td>{escape(str(r.platform))}</td>"
        f"<td>{escape(str(r.format) if r.format == r.format else '')}</td>"
        f"<td>{escape(str(r.text) if r.text == r.text else '')}</td><td>{int(r.interactions)}</td></tr>"
        for r in top.itertuples()
    )
    return (
        "<table><thead><tr><th>date</th><th>platform</th><th>format</th><th>text</th>"
        "<th>interactions</th></tr></thead><tbody>" + rows + "</tbody></table>"
    )


def data_quality(client, with_data: bool = True, data: dict | None = None) -> str:
    """Files read (format, table, rows loaded and quarantined, error), and the loader notes
    and warnings that :func:`data_appendix` of ``data`` (default: the client's data summary;
    a diagnosis carries it already) does not show; with ``with_data``, then the windows,
    notes and quarantine of :func:`data_appendix`."""
    from socialkit import fmt

    rows = "".join(
        f"<tr><td>{escape(str(f['file']))}</td><td>{escape(str(f.get('format') or '—'))}</td>"
        f"<td>{escape(str(f['table'] or '—'))}</td><td>{fmt.count(f['rows_loaded'])}</td>"
        f"<td>{fmt.count(f['rows_quarantined'])}</td><td>{escape(str(f['error'] or ''))}</td></tr>"
        for f in client.files
    )
    summary = client.data_summary() if data is None else data
    shown = {str(n.get("message", "")) for n in summary.get("notes") or []}  # data_appendix's
    notes = [n for f in client.files for n in f.get("notes", [])]
    warns = "".join(
        f"<li>{escape(str(w))}</li>"
        for w in dict.fromkeys([*notes, *client.warnings])
        if str(w) not in shown
    )
    return (
        "<div class='sk-scroll'><table><thead><tr><th>file</th><th>format</th><th>table</th>"
        "<th>rows loaded</th><th>rows quarantined</th><th>error</th></tr></thead><tbody>"
        + rows
        + "</tbody></table></div>"
        + (f"<p>Other notes and warnings:</p><ul>{warns}</ul>" if warns else "")
        + (data_appendix(summary) if with_data else "")
    )


def _unprefixed(note: dict) -> str:
    """A note's message without the file name it starts with when its source names that
    file already ("exports/a.csv: a.csv: …" read twice)."""
    source, message = str(note.get("source", "")), str(note.get("message", ""))
    name = source.replace("\\", "/").rsplit("/", 1)[-1]
    return message[len(name) + 2 :] if name and message.startswith(name + ": ") else message


def data_appendix(data: dict) -> str:
    """Windows per platform and file, loader notes and quarantine reasons (the diagnosis
    JSON's ``data`` object); empty parts are left out, missing keys tolerated."""
    from socialkit.fmt import count, platform_name, plural

    out = []
    if data.get("usable") is False:
        out.append(f"<p><strong>No data:</strong> {escape(str(data.get('no_data_reason')))}</p>")
    wins = data.get("windows") or []
    if wins:
        rows = "".join(
            f"<tr><td>{escape(platform_name(w['platform']))}</td><td>{escape(w['table'])}</td>"
            f"<td>{escape(w['source'])}</td><td>{escape(w['start'][:10])}</td>"
            f"<td>{escape(w['end'][:10])}</td><td>{count(w['rows'])}</td></tr>"
            for w in wins
        )
        until = str(data.get("data_until") or "")[:16].replace("T", " ")
        out.append(
            f"<p>Data windows (the data end {escape(until)} UTC):</p>"
            "<table><thead><tr><th>platform</th><th>table</th><th>file</th><th>first</th>"
            "<th>last</th><th>rows</th></tr></thead><tbody>" + rows + "</tbody></table>"
        )
    notes = data.get("notes") or []
    if notes:
        items = "".join(
            f"<li>{escape(str(n.get('source', '')))}: {escape(_unprefixed(n))}</li>" for n in notes
        )
        out.append(f"<p>Notes from loading:</p><ul>{items}</ul>")
    reasons = (data.get("quarantine") or {}).get("reasons") or {}
    if reasons:
        items = "".join(
            f"<li>{escape(str(k))}: {plural(v, 'row')}</li>" for k, v in reasons.items()
        )
        out.append(f"<p>Rows set aside (quarantined), by column and rule:</p><ul>{items}</ul>")
    return "".join(out)


_DRIVER_STATUS = {
    "trusted": "The model predicts engagement better than the baseline.",
    "not_better_than_baseline": "The model does not beat the baseline: no driver claims.",
    "not_enough_data": "Not enough posts for a model.",
}


def drivers_section(result) -> str:
    """The "what drives your engagement" section for a :class:`~socialkit.models.DriversResult`.

    Always says whether the model could be trusted and why; lists the
    associations and the importance table only when it could.
    """
    head = (
        f"<p><strong>{escape(_DRIVER_STATUS.get(result.status, result.status))}</strong> "
        f"{escape(result.message)}</p>"
    )
    if not result.trusted:
        return head
    claims = "".join(f"<li>{escape(c)}.</li>" for c in result.drivers())
    claims = (
        f"<p>Associations in this brand's own history (not proven causes — test them):</p>"
        f"<ul>{claims}</ul>"
        if claims
        else "<p>No single feature stands out clearly enough to name.</p>"
    )
    rows = "".join(
        f"<tr><td>{escape(str(r.feature).replace('_', ' '))}</td><td>{r.mean:.3f}</td>"
        f"<td>{r.low:.3f} – {r.high:.3f}</td></tr>"
        for r in result.importance.head(6).itertuples()
    )
    table = (
        '<div class="sk-scroll"><table><thead><tr><th>feature</th>'
        "<th>importance (added error when shuffled)</th><th>95 % interval over time folds</th>"
        f"</tr></thead><tbody>{rows}</tbody></table></div>"
    )
    return head + claims + table
