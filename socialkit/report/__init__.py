"""Client reports: build one HTML report per client and an index of a batch.

* :mod:`socialkit.report.build` runs the report notebook for one client
  (papermill), exports it to HTML and records its findings and figures;
* :mod:`socialkit.report.batch` runs many clients on a pool of workers or a
  Dask cluster, skips unchanged ones and keeps one failure from stopping the rest;
* :mod:`socialkit.report.inputs` hashes what a report is made of (client files,
  template, kit, options) and finds the clients whose report is still current;
* :mod:`socialkit.report.index` writes the batch's ``index.html``;
* :mod:`socialkit.report.view`, :mod:`~socialkit.report.sections`,
  :mod:`~socialkit.report.plain` and :mod:`~socialkit.report.methods` make the
  page: the period and its KPI tiles, the client's plain part, the analyst's appendix;
* :mod:`socialkit.report.brand` reads ``agency.yaml``; :mod:`socialkit.report.pdf`
  prints ``report.pdf``.

The names below are re-exported so that ``from socialkit.report import …`` keeps
working for notebooks and scripts written against the single ``report`` module.
They are imported on first use (PEP 562): a batch whose clients are all
unchanged never loads papermill or pandas.
"""

from socialkit._lazy import lazy_attributes

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
    "figure",
    "save_drivers",
    "period_view",
    "PeriodView",
]

#: Public name -> the module that defines it (every name not in view.py is in build.py).
_LAZY = {
    name: "socialkit.report.view"
    if name in ("period_view", "PeriodView")
    else "socialkit.report.build"
    for name in __all__
}

__getattr__, __dir__ = lazy_attributes(globals(), _LAZY, __all__)
