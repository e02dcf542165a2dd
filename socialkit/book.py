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

from pathlib import Path

__all__ = ["execute"]

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
