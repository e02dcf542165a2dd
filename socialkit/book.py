"""Run the teaching notebooks unattended, and build them into a static HTML book.

:func:`execute` runs a notebook top to bottom on a fresh kernel with its parameters
replaced (as papermill does) but through nbclient, which lets a cell tagged
``raises-exception`` stop with an error and goes on: the workshop's explore cells
keep their blank ``____`` until a participant fills it in (:mod:`socialkit.workshop`).

``python -m socialkit.book OUT`` (``make book``) executes every chapter and workshop
notebook on its own default client and writes ``OUT/index.html`` and one page per
notebook, with previous/next links: readable in any browser, with no network.
"""

from __future__ import annotations

import html
import re
import sys
from pathlib import Path

__all__ = ["build", "execute", "main"]

ROOT = Path(__file__).resolve().parents[1] / "notebooks"


def _with_parameters(nb, parameters: dict):
    """``nb`` with a cell assigning ``parameters`` after its ``parameters`` cell."""
    import nbformat

    if not parameters:
        return nb
    source = "\n".join(f"{k} = {v!r}" for k, v in parameters.items())
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": ["injected-parameters"]})
    at = next(
        (i + 1 for i, c in enumerate(nb.cells) if "parameters" in c.metadata.get("tags", [])), 0
    )
    nb.cells.insert(at, cell)
    return nb


def execute(path, parameters: dict | None = None, *, timeout: float = 300, cwd=None):
    """Run the notebook at ``path`` and return it executed (not written anywhere).

    Parameters
    ----------
    path : path
        The notebook.
    parameters : dict, optional
        Values assigned just after the cell tagged ``parameters``.
    timeout : float
        Seconds one cell may take.
    cwd : path, optional
        The kernel's working directory (default: the notebook's folder).

    Returns
    -------
    nbformat.NotebookNode
        Raises ``nbclient.exceptions.CellExecutionError`` when a cell not tagged
        ``raises-exception`` fails.
    """
    import nbformat
    from nbclient import NotebookClient

    from socialkit.report.build import _kernel_name

    nb = _with_parameters(nbformat.read(str(path), as_version=4), parameters or {})
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name=_kernel_name(),
        startup_timeout=180,
        resources={"metadata": {"path": str(cwd or Path(path).parent)}},
    )
    client.execute()
    return nb


_HIDDEN = ("record", "injected-parameters")  # cells a reader needs not see
_CSS = """<style>
nav.book{font:14px system-ui,sans-serif;padding:8px 16px;background:#f3f5f8;
 border-bottom:1px solid #dde;display:flex;gap:16px;align-items:center}
nav.book.bottom{border-top:1px solid #dde;border-bottom:none;margin-top:24px}
nav.book a{color:#0b5fa5;text-decoration:none} nav.book .home{font-weight:600}
nav.book .next{margin-left:auto}
</style>"""


def _pages(root: Path) -> list[tuple[Path, str]]:
    """(notebook, page name) of the book, in reading order: chapters, then the workshop."""
    from socialkit.chapters import chapters

    out = [(p, p.stem + ".html") for p in chapters(root)]
    workshop = root / "workshop"
    if workshop.is_dir():
        out += [(p, f"workshop-{p.stem}.html") for p in chapters(workshop)]
    return out


def _links(html_text: str, names: dict[str, str]) -> str:
    """Links between notebooks (and to the index and glossary) pointed at the pages."""

    def repl(m):
        target = m.group(2)
        base = target.split("/")[-1]
        if base == "README.md":
            return f'{m.group(1)}index.html"'
        if base == "GLOSSARY.md":
            return f'{m.group(1)}glossary.html"'
        return f'{m.group(1)}{names.get(base, target)}"'

    return re.sub(r'(href=")([^"#:]+\.(?:ipynb|md))"', repl, html_text)


def _nav(pages, i, titles, where="top") -> str:
    prev = f'<a href="{pages[i - 1][1]}">← {html.escape(titles[i - 1])}</a>' if i > 0 else ""
    nxt = (f'<a class="next" href="{pages[i + 1][1]}">{html.escape(titles[i + 1])} →</a>'
           if i + 1 < len(pages) else "")  # fmt: skip
    return (f'<nav class="book {where}"><a class="home" href="index.html">socialkit notebooks</a>'
            f'<a href="glossary.html">glossary</a>{prev}{nxt}</nav>')  # fmt: skip


def _offline(page: str) -> str:
    """No script or style fetched from the network when the page is read."""
    return re.sub(r'<script[^>]+src="https?://[^"]*"[^>]*>\s*</script>', "", page)


def _standalone(title: str, body: str) -> str:
    return (f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{html.escape(title)}'
            f"</title>{_CSS}<style>main{{max-width:52em;margin:24px auto;font:16px/1.5 system-ui,"
            f"sans-serif;padding:0 16px}} code{{background:#f3f5f8;padding:0 3px}}</style></head>"
            f"<body>{body}</body></html>")  # fmt: skip


def build(out, root=ROOT, timeout: float = 600, log=print) -> Path:
    """Execute every chapter and workshop notebook on its own default client and write the
    static book: ``out/index.html``, one page per notebook with previous/next links, and
    ``out/glossary.html``. Cells tagged ``record`` are left out of the pages.

    Parameters
    ----------
    out : path
        Output folder (created).
    root : path
        The notebooks folder (default: the repository's ``notebooks/``); the notebooks'
        default clients (``../data/demo/…``) must exist — ``make book`` makes the demo first.
    timeout : float
        Seconds one cell may take.
    log : callable
        Called with one line per page written.

    Returns
    -------
    Path
        The index page.
    """
    import mistune
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from socialkit.chapters import _title_and_lead

    root, out = Path(root), Path(out)
    out.mkdir(parents=True, exist_ok=True)
    pages = _pages(root)
    names = {p.name: page for p, page in pages}
    cfg = Config()
    cfg.TagRemovePreprocessor.enabled = True
    cfg.TagRemovePreprocessor.remove_cell_tags = _HIDDEN
    exporter = HTMLExporter(config=cfg, template_name="lab", embed_images=True)
    titles, leads = [], []
    executed = []
    for p, _ in pages:
        nb = execute(p, timeout=timeout)
        title, lead = _title_and_lead(nb)
        titles.append(title)
        leads.append(lead)
        executed.append(nb)
    for i, ((_, page), nb) in enumerate(zip(pages, executed, strict=True)):
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": titles[i]}})
        body = _offline(_links(body, names))
        body = body.replace("</head>", _CSS + "</head>", 1)
        top = _nav(pages, i, titles)
        body = re.sub(r"(<body[^>]*>)", lambda m, top=top: m.group(1) + top, body, count=1)
        body = body.replace("</body>", _nav(pages, i, titles, "bottom") + "</body>", 1)
        (out / page).write_text(body, encoding="utf-8")
        log(f"wrote {out / page}")
    items = []
    for i, (p, page) in enumerate(pages):
        if i == 0 or (pages[i - 1][0].parent != p.parent):
            items.append("<h2>Chapters</h2>" if p.parent == root else
                         "<h2>Workshop: diagnose this brand (half a day)</h2>")  # fmt: skip
        lead = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", html.escape(leads[i]))
        items.append(f'<p><a href="{page}"><b>{html.escape(titles[i])}</b></a><br>{lead}</p>')
    index = out / "index.html"
    index.write_text(_standalone("socialkit notebooks", (
        '<nav class="book"><a class="home" href="index.html">socialkit notebooks</a>'
        '<a href="glossary.html">glossary</a></nav><main><h1>socialkit notebooks</h1>'
        "<p>The chapters and the workshop, run on the demo clients, to read without running "
        "anything. To run them yourself: <code>make lab</code>.</p>" + "".join(items)
        + '<p><a href="glossary.html">Glossary</a>: every statistical term the kit prints.</p>'
        "</main>")), encoding="utf-8")  # fmt: skip
    glossary = root / "GLOSSARY.md"
    if glossary.is_file():
        text = mistune.html(glossary.read_text(encoding="utf-8"))
        (out / "glossary.html").write_text(_standalone("Glossary", (
            '<nav class="book"><a class="home" href="index.html">socialkit notebooks</a></nav>'
            f"<main>{text}</main>")), encoding="utf-8")  # fmt: skip
    log(f"wrote {index}")
    return index


def main(argv=None) -> int:
    """``python -m socialkit.book OUT`` — build the book into OUT (default: build/book)."""
    import argparse

    ap = argparse.ArgumentParser(
        prog="python -m socialkit.book", description=__doc__.split("\n")[0]
    )
    ap.add_argument("out", nargs="?", default="build/book")
    ap.add_argument("--notebooks", default=str(ROOT), help="the notebooks folder")
    args = ap.parse_args(argv)
    print(build(args.out, args.notebooks))
    return 0


if __name__ == "__main__":
    sys.exit(main())
