"""Client reports: papermill runs the report notebook once per client.

Per client, under ``<out>/<client-slug>/``: the executed notebook
(``report.ipynb``), ``report.html`` (no code, figures embedded, one
self-contained file), ``findings.json``, figures as PNG and ``run.json``
(versions, input hash, timings, status). ``<out>/index.html`` lists every client.

A client whose inputs, template and kit are unchanged since its last successful
run is skipped (``force=True`` redoes it; :mod:`socialkit.report.inputs`). One client's failure is
recorded and shown; it never stops the batch. Files are written atomically.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from html import escape as html_escape
from pathlib import Path

from socialkit.paths import safe_child
from socialkit.report.inputs import (
    TEMPLATE,
    check_options,
    input_hash,
    skip_result,
)

__all__ = [
    "TEMPLATE",
    "build_report",
    "skip_result",
    "clean_partial",
    "record",
    "read_records",
    "record_chapter",
    "save_findings",
    "save_figure",
    "atomic_write",
    "notebook_to_html",
    "RECORD_MIME",
    "execute_notebook",
    "record_diagnosis",
]

RECORD_MIME = "application/vnd.socialkit.record+json"


def atomic_write(path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` via a temporary file and a rename."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        os.fchmod(fd, 0o644)  # a report is read by others (mkstemp creates 0600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


# --- used inside the report notebook -------------------------------------------------------


def record(**values) -> None:
    """Record named values in a notebook's output so a batch or test can read them back."""
    from IPython.display import display

    display({RECORD_MIME: values, "text/plain": ""}, raw=True)


def record_chapter(client, diagnosis, findings, **extra) -> None:
    """Record what the chapter tests check: client, counts, top three, this chapter's verdicts."""
    record(
        client=client.name,
        counts=diagnosis.counts(),
        top=[f.check for f in diagnosis.top(3)],
        chapter={f.check: f.status for f in findings},
        **extra,
    )


def read_records(nb) -> dict:
    """Values recorded with :func:`record` in an executed notebook (later ones win)."""
    out = {}
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if RECORD_MIME in data:
                out.update(data[RECORD_MIME])
    return out


def save_findings(diagnosis, output_dir) -> Path:
    """Write ``findings.json`` (the diagnose JSON contract) into ``output_dir``."""
    path = Path(output_dir) / "findings.json"
    atomic_write(path, diagnosis.to_json())
    return path


def save_drivers(result, output_dir) -> Path:
    """Write ``drivers.json`` (the engagement-drivers model's result) into ``output_dir``."""
    path = Path(output_dir) / "drivers.json"
    atomic_write(path, json.dumps(result.to_dict(), indent=2, ensure_ascii=False))
    return path


#: Figures of the report: sized and lettered to stay readable from a phone to A4.
_FIGURE_STYLE = {
    "font.size": 11,
    "axes.titlesize": 12,
    "legend.fontsize": 10,
    "svg.fonttype": "none",
}


@contextlib.contextmanager
def figure(output_dir, name: str, figsize=(7.0, 3.2), alt: str = ""):
    """A house-style Axes for a report figure: on exit saved as ``<name>.svg`` and shown.

    The figure is shown as an ``<img>`` of its SVG (a ``data:`` URI: sharp on
    any screen and in print, and no markup of its own in the page). When the
    plot had nothing to draw, a one-line note is shown instead of an empty canvas.

    Examples
    --------
    ``with report.figure(output_dir, "format_mix") as ax: plot.format_mix(posts, ax=ax)``
    """
    import matplotlib.pyplot as plt
    from IPython.display import HTML, display

    from socialkit import plot

    with plot.figure(figsize, show=False) as ax, plt.rc_context(_FIGURE_STYLE):
        yield ax
        empty = getattr(ax, "sk_empty", None)
        if empty:
            display(HTML(f'<p class="sk-note">{html_escape(empty.capitalize())}.</p>'))
            return
        path = save_figure(ax.figure, output_dir, name)
        uri = "data:image/svg+xml;base64," + base64.b64encode(path.read_bytes()).decode()
        display(
            HTML(f'<div class="sk-fig"><img src="{uri}" alt="{html_escape(alt or name)}"></div>')
        )


def save_figure(fig, output_dir, name: str) -> Path:
    """Save a figure as ``<output_dir>/<name>.svg`` (atomically)."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="svg", metadata={"Date": None})
    path = safe_child(output_dir, name).with_suffix(".svg")
    atomic_write(path, buf.getvalue())
    return path


# --- the batch --------------------------------------------------------------------------------


def notebook_to_html(nb, title: str, *, paper: str = "A4", brand: str = "") -> str:
    """Render an executed notebook as one self-contained page without code or stderr.

    ``paper`` is the printed page size (A4 or letter) and ``brand`` an agency's
    primary colour (``#rrggbb``); the page opens its ``<details>`` when printed.
    """
    import copy

    from nbconvert import HTMLExporter

    from socialkit.html import OPEN_FOR_PRINT, page

    nb = copy.deepcopy(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = [
                o
                for o in cell.get("outputs", [])
                if not (o.get("output_type") == "stream" and o.get("name") == "stderr")
                and RECORD_MIME not in o.get("data", {})
            ]
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        anchor_link_text="",
    )
    body, _ = exporter.from_notebook_node(nb)
    return page(title, body, scripts=(OPEN_FOR_PRINT,), paper=paper, brand=brand)


def _kernel_name() -> str:
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        spec = KernelSpecManager().get_kernel_spec("socialkit")
    except NoSuchKernel:
        return "python3"
    return (
        "socialkit" if Path(spec.argv[0]).resolve() == Path(sys.executable).resolve() else "python3"
    )


def _local_kernel_manager():
    """A kernel manager that talks to its kernel over local IPC sockets, not TCP."""
    from jupyter_client.manager import AsyncKernelManager

    class LocalKernelManager(AsyncKernelManager):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.transport = "ipc"

    return LocalKernelManager


def execute_notebook(
    path, output_path, parameters: dict, *, timeout: float | None = 600, cwd=None, kernel=None
):
    """Run a notebook with papermill on a fresh kernel of this environment (or a warm one).

    Parameters
    ----------
    path, output_path : path
        The notebook and where to save the executed copy.
    parameters : dict
        Values injected after the ``parameters`` cell.
    timeout : float, optional
        Per-cell timeout in seconds.
    cwd : path, optional
        Working directory of the kernel (default: the notebook's folder).
    kernel : socialkit.report.warm.WarmKernel, optional
        A running kernel to reuse: it is cleared first (namespace, figures,
        options, working directory; :mod:`socialkit.report.warm`).

    Returns
    -------
    nbformat.NotebookNode
        The executed notebook (read :func:`read_records` from it).
    """
    import nbformat
    import papermill as pm

    cwd = str(cwd or Path(path).parent)
    if kernel is not None:
        from socialkit.report.warm import _engine

        kernel.prepare(cwd)
        engine = {"engine_name": _engine(), "warm_kernel": kernel}
    else:
        engine = {"kernel_manager_class": _local_kernel_manager()}
    pm.execute_notebook(
        str(path),
        str(output_path),
        parameters=parameters,
        kernel_name=_kernel_name(),
        progress_bar=False,
        execution_timeout=timeout,
        cwd=cwd,
        **engine,
    )
    return nbformat.read(output_path, as_version=4)


def clean_partial(dest) -> None:
    """Remove what a stopped run left in a client's output folder (temp files and folders).

    Finished files are only ever renamed into place, so this never touches a
    complete report.
    """
    import shutil

    dest = Path(dest)
    if not dest.is_dir():
        return
    for p in dest.iterdir():
        if p.name.startswith(".run-") and p.is_dir():
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(".") and p.name.endswith(".tmp"):
            p.unlink(missing_ok=True)


def build_report(
    client_dir,
    out,
    *,
    template=None,
    force: bool = False,
    timeout: float | None = 600,
    options: dict | None = None,
    kernel=None,
) -> dict:
    """Build one client's report; never raises for a client's own failure.

    ``options`` are the report options of
    :data:`~socialkit.report.inputs.REPORT_OPTIONS` (``period``, ``date_from``,
    ``date_to``, ``brand``, ``paper``, ``pdf``): all but ``pdf`` are passed to
    the notebook; ``pdf=True`` also prints ``report.pdf``.
    ``kernel`` is a warm kernel to run on (:mod:`socialkit.report.warm`;
    default: a fresh kernel for this client).

    Returns
    -------
    dict
        The ``run.json`` content: ``client``, ``slug``, ``status`` (ok /
        failed / skipped-unchanged), ``error``, ``seconds``, ``counts``,
        ``top`` findings, ``as_of``, paths.
    """
    client_dir = Path(client_dir).resolve()
    template = Path(template or TEMPLATE)
    dest = safe_child(out, client_dir.name)
    run_path = dest / "run.json"
    options = check_options(options)
    digest = input_hash(client_dir, template, options)
    skipped = None if force else skip_result(client_dir, out, template, digest, options)
    if skipped is not None:
        return skipped
    dest.mkdir(parents=True, exist_ok=True)
    clean_partial(dest)
    before = _statuses(dest / "findings.json")
    started = time.perf_counter()
    wall = time.time() - 1  # findings.json written by this run is newer
    result = {
        "client": client_dir.name,
        "slug": dest.name,
        "client_dir": str(client_dir),
        "input_hash": digest,
        "template": str(template),
        "status": "failed",
        "error": None,
        "versions": _versions(),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
    }
    try:
        with tempfile.TemporaryDirectory(dir=dest, prefix=".run-") as tmp:
            executed = Path(tmp) / "report.ipynb"
            nb = execute_notebook(
                template,
                executed,
                {
                    "client_dir": str(client_dir),
                    "output_dir": str(dest),
                    **{k: v for k, v in options.items() if k != "pdf"},
                },
                timeout=timeout,
                cwd=dest,
                kernel=kernel,
            )
            records = read_records(nb)
            period = records.get("period") or {}
            title = f"{records.get('client', client_dir.name)}: social media report"
            title += f", {period['label']}" if period.get("label") else ""
            html = notebook_to_html(
                nb,
                title,
                paper=records.get("paper") or "A4",
                brand=records.get("brand_colour") or "",
            )
            atomic_write(dest / "report.html", html)
            atomic_write(dest / "report.ipynb", executed.read_bytes())
            if options.get("pdf"):
                from socialkit.report.pdf import print_pdf

                print_pdf(dest / "report.html", dest / "report.pdf")
        usable = records.get("usable", True)
        result.update(
            status="ok" if usable else "no-data",
            report_html=True,
            error=None
            if usable
            else f"no data: {records.get('no_data_reason') or 'no usable row'}",
            client=records.get("client", client_dir.name),
            counts=records.get("counts"),
            top=records.get("top", []),
            as_of=records.get("as_of"),
            data_window=records.get("data_window"),
            period=records.get("period"),
            statuses=records.get("statuses"),
            changes=changes_since(before, records.get("statuses") or {}),
        )
    except Exception as exc:  # one client's failure must not stop the batch
        lines = [ln for ln in str(exc).strip().splitlines() if ln.strip()]
        result["error"] = (
            lines[-1]
            if "PapermillExecutionError" in type(exc).__name__ and lines
            else (lines[0] if lines else type(exc).__name__)
        )[:300]
        result["traceback"] = traceback.format_exc()[-4000:]
        reason = _no_data_reason(dest / "findings.json", wall)
        if reason is not None:  # the client has no usable row: that, not the crash, is news
            result.update(status="no-data", error=f"no data: {reason}"[:300])
    result["seconds"] = round(time.perf_counter() - started, 2)
    atomic_write(run_path, json.dumps(result, indent=2))
    return result


def _no_data_reason(path: Path, since: float) -> str | None:
    """The no-data reason in a ``findings.json`` written since ``since`` (None otherwise)."""
    try:
        if path.stat().st_mtime < since:
            return None
        data = json.loads(path.read_text("utf-8")).get("data") or {}
    except (OSError, ValueError):
        return None
    if data.get("usable", True):
        return None
    return str(data.get("no_data_reason") or "no usable row")


def _statuses(path: Path) -> dict | None:
    """``{check: status}`` of a previous ``findings.json`` (``None`` when there is none)."""
    try:
        doc = json.loads(path.read_text("utf-8"))
        return {"as_of": doc.get("as_of"), **{f["check"]: f["status"] for f in doc["findings"]}}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def changes_since(before: dict | None, now: dict) -> dict | None:
    """New, resolved and still-open problems (fail/warn) against the previous run's findings.

    Returns ``None`` when there was no previous run to compare with.
    """
    if before is None:
        return None
    bad = ("fail", "warn")
    was = {c for c, s in before.items() if s in bad}
    is_ = {c for c, s in now.items() if s in bad}
    return {
        "previous_as_of": before.get("as_of"),
        "new": sorted(is_ - was),
        "resolved": sorted(c for c in was - is_ if now.get(c) == "ok"),
        "open": sorted(is_ & was),
    }


def _versions() -> dict:
    """Versions of what made the report, read from the installed packages' metadata (a
    batch worker does not import pandas just for its version)."""
    from importlib.metadata import version

    from socialkit import __version__

    return {
        "socialkit": __version__,
        "python": platform.python_version(),
        "pandas": version("pandas"),
        "papermill": version("papermill"),
    }


def record_diagnosis(client, diagnosis) -> None:
    """Record the values a batch index needs (client, counts, top findings, window)."""
    from socialkit.windows import window_text

    window = window_text(diagnosis.data)  # per platform when the exports do not overlap
    record(
        client=client.name,
        as_of=None if diagnosis.as_of is None else diagnosis.as_of.isoformat(),
        usable=diagnosis.usable,
        no_data_reason=diagnosis.data.get("no_data_reason"),
        counts=diagnosis.counts(),
        top=[{"check": f.check, "status": f.status, "title": f.title} for f in diagnosis.top(3)],
        data_window=window,
        statuses={f.check: f.status for f in diagnosis.findings},
    )
