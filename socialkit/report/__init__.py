"""Client reports: build one HTML report per client and an index of a batch.

* :mod:`socialkit.report.build` runs the report notebook for one client
  (papermill), exports it to HTML and records its findings and figures;
* :mod:`socialkit.report.batch` runs many clients on a pool of workers or a
  Dask cluster, skips unchanged ones and keeps one failure from stopping the rest;
* :mod:`socialkit.report.index` writes the batch's ``index.html``;
* :mod:`socialkit.report.view`, :mod:`~socialkit.report.sections`,
  :mod:`~socialkit.report.plain` and :mod:`~socialkit.report.methods` make the
  page: the period and its KPI tiles, the client's plain part, the analyst's appendix;
* :mod:`socialkit.report.brand` reads ``agency.yaml``; :mod:`socialkit.report.pdf`
  prints ``report.pdf``.

The names below are re-exported so that ``from socialkit.report import …`` keeps
working for notebooks and scripts written against the single ``report`` module.
"""

from socialkit.report.build import (
    RECORD_MIME,
    TEMPLATE,
    atomic_write,
    build_report,
    clean_partial,
    execute_notebook,
    figure,
    notebook_to_html,
    read_records,
    record,
    record_chapter,
    record_diagnosis,
    save_drivers,
    save_figure,
    save_findings,
    skip_result,
)
from socialkit.report.view import PeriodView, period_view

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
