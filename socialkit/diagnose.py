"""``diagnose(client) -> Diagnosis``: run the check registry and rank the findings."""

from __future__ import annotations

import datetime as dt
import gc
import json
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from socialkit.batch import Batch
from socialkit.checks import AREAS, run_batch
from socialkit.findings import STATUSES, Finding
from socialkit.paths import client_folders

__all__ = [
    "Diagnosis",
    "diagnose",
    "diagnose_batch",
    "diagnose_all",
    "client_folders",
    "summary_table",
]

_RANK = {s: i for i, s in enumerate(STATUSES)}
STATUS_LABEL = {"fail": "FAIL", "warn": "WARN", "ok": "OK", "not_assessable": "N/A"}


@dataclass
class Diagnosis:
    """Ranked findings for one client.

    Attributes
    ----------
    client : str
        Display name.
    as_of : datetime.date or None
        Last day of data the findings rest on (None when there is no data).
    findings : list of Finding
        Most severe first (severity, then fail > warn > ok > not_assessable).
    data : dict
        ``rows_loaded``, ``rows_quarantined``, ``platforms``, ``files``,
        ``warnings``; ``windows`` (one per platform, table and source file),
        ``data_until`` (the last timestamp, never today), ``notes`` (the
        loaders' notes, exports that do not overlap), ``quarantine``
        (``rows``, ``reasons``), ``usable`` and, when not usable,
        ``no_data_reason`` (see :mod:`socialkit.windows`).
    """

    client: str
    as_of: dt.date | None
    findings: list[Finding]
    data: dict = field(default_factory=dict)

    def __post_init__(self):
        self.findings = sorted(self.findings, key=lambda f: (-f.severity, _RANK[f.status], f.check))

    def __getitem__(self, check_id: str) -> Finding:
        for f in self.findings:
            if f.check == check_id:
                return f
        raise KeyError(f"No finding for {check_id!r}; ids: {', '.join(self.ids)}.")

    @property
    def usable(self) -> bool:
        """False when the client has no usable row (its diagnosis is "no data")."""
        return bool(self.data.get("usable", True))

    @property
    def data_until_text(self) -> str:
        """``'2022-04-09'``, or ``'no data (<reason>)'``."""
        if self.as_of is not None:
            return self.as_of.isoformat()
        return f"no data ({self.data.get('no_data_reason') or 'no usable row'})"

    @property
    def ids(self) -> list[str]:
        return [f.check for f in self.findings]

    def counts(self) -> dict[str, int]:
        """Number of findings per status."""
        return {s: sum(f.status == s for f in self.findings) for s in STATUSES}

    def top(self, n: int = 3) -> list[Finding]:
        """The ``n`` most severe warn/fail findings."""
        return [f for f in self.findings if f.status in ("fail", "warn")][:n]

    def to_frame(self) -> pd.DataFrame:
        """One row per finding: check, area, status, severity, title, message, recommendation."""
        return pd.DataFrame(
            [
                {
                    "check": f.check,
                    "area": f.area,
                    "status": f.status,
                    "severity": f.severity,
                    "title": f.title,
                    "message": f.message,
                    "recommendation": f.recommendation,
                }
                for f in self.findings
            ]
        )

    def to_dict(self) -> dict:
        return {
            "client": self.client,
            "as_of": None if self.as_of is None else self.as_of.isoformat(),
            "findings": [f.to_dict() for f in self.findings],
            "data": self.data,
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_markdown(self) -> str:
        """A readable Markdown summary (used by ``socialkit diagnose --format markdown``)."""
        c = self.counts()
        lines = [
            f"# Diagnosis: {self.client}",
            "",
            f"Data up to {self.data_until_text} · {c['fail']} fail · {c['warn']} warn · "
            f"{c['ok']} ok · {c['not_assessable']} not assessable",
            "",
            "| status | check | finding | what to do |",
            "|---|---|---|---|",
        ]

        def cell(s):
            return str(s).replace("|", "\\|").replace("\n", " ")

        for f in self.findings:
            text = f.message + (f" Needs: {f.needs}." if f.needs else "")
            lines.append(
                f"| {STATUS_LABEL[f.status]} | `{f.check}` | {cell(text)} | "
                f"{cell(f.recommendation)} |"
            )
        return "\n".join(lines) + "\n"

    def _repr_html_(self) -> str:
        from socialkit.html import findings_table

        c = self.counts()
        head = (
            f"<p><strong>{escape(self.client)}</strong> — data up to "
            f"{escape(self.data_until_text)}: {c['fail']} fail, {c['warn']} warn, {c['ok']} ok, "
            f"{c['not_assessable']} not assessable.</p>"
        )
        return head + findings_table(self.findings)

    def by_area(self) -> dict[str, list[Finding]]:
        """Findings grouped by area, in the order of :data:`socialkit.checks.AREAS`."""
        return {a: [f for f in self.findings if f.area == a] for a in AREAS}


def diagnose(client, checks=None, *, raise_errors: bool = False) -> Diagnosis:
    """Run the diagnostic checks on a client.

    Parameters
    ----------
    client : Client
        From :func:`socialkit.load_client` or :meth:`Client.from_frames`.
    checks : list of str, optional
        Check ids to run (default: the whole catalogue).
    raise_errors : bool, default False
        Re-raise a check's internal error instead of reporting it as
        ``not_assessable`` (use in tests).

    Returns
    -------
    Diagnosis
    """
    return diagnose_batch(Batch.from_clients([client]), checks, raise_errors=raise_errors)[0]


def diagnose_batch(batch: Batch, checks=None, *, raise_errors: bool = False) -> list[Diagnosis]:
    """Diagnose every client of a :class:`~socialkit.batch.Batch` in one pass per check."""
    found = run_batch(batch, checks, raise_errors=raise_errors)
    return [
        Diagnosis(m.name, m.as_of, f, dict(m.data)) for m, f in zip(batch.meta, found, strict=True)
    ]


def diagnose_all(root, checks=None, *, raise_errors: bool = False) -> dict:
    """Diagnose every client folder under ``root`` in one vectorised pass.

    Every folder is loaded; the loaded clients are concatenated into one
    :class:`~socialkit.batch.Batch` and each check runs once over all of them.
    A folder that cannot be loaded (invalid client.yaml, unreadable table) is
    reported in ``errors`` and does not stop the others.

    Returns
    -------
    dict
        ``diagnoses``: {folder name: Diagnosis}; ``errors``: {folder name:
        one-line error}; ``summary``: DataFrame with one row per client
        (counts per status and the top three findings).
    """
    clients, names, errors = _load_all(client_folders(root))
    batch = Batch.from_clients(clients)
    # the clients' tables are views of the batch's joined read, and sit in reference
    # cycles: free them all before the checks (80 MiB of 200 folders' peak)
    del clients
    gc.collect()
    diagnoses = dict(
        zip(names, diagnose_batch(batch, checks, raise_errors=raise_errors), strict=True)
    )
    return {"diagnoses": diagnoses, "errors": errors, "summary": summary_table(diagnoses, errors)}


def _load_all(folders) -> tuple[list, list[str], dict]:
    """The loaded clients, their folder names, and {folder name: one-line error}."""
    from socialkit.clients import load_clients

    clients, names, errors = [], [], {}
    for folder, loaded in zip(folders, load_clients(folders), strict=True):
        if isinstance(loaded, Exception):
            errors[folder.name] = (str(loaded) or type(loaded).__name__).splitlines()[0]
        else:
            clients.append(loaded)
            names.append(folder.name)
    return clients, names, errors


def summary_table(diagnoses: dict, errors: dict | None = None) -> pd.DataFrame:
    """One row per client: status counts, top three findings, or the load error."""
    rows = []
    for key, d in diagnoses.items():
        c = d.counts()
        rows.append(
            {
                "folder": key,
                "client": d.client,
                "as_of": "" if d.as_of is None else d.as_of.isoformat(),
                **c,
                "top_findings": "; ".join(f"{f.status} {f.check}" for f in d.top(3)),
                "error": "" if d.usable else f"no data: {d.data.get('no_data_reason', '')}",
            }
        )
    for key, err in (errors or {}).items():
        rows.append({"folder": key, "client": "", "as_of": "", "error": err})
    cols = ["folder", "client", "as_of", *STATUSES, "top_findings", "error"]
    return pd.DataFrame(rows, columns=cols)
