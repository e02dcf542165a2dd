"""``diagnose(client) -> Diagnosis``: run the check registry and rank the findings."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from html import escape

import pandas as pd

from socialkit.checks import AREAS, run_checks
from socialkit.findings import STATUSES, Finding

__all__ = ["Diagnosis", "diagnose"]

_RANK = {s: i for i, s in enumerate(STATUSES)}
STATUS_LABEL = {"fail": "FAIL", "warn": "WARN", "ok": "OK", "not_assessable": "N/A"}


@dataclass
class Diagnosis:
    """Ranked findings for one client.

    Attributes
    ----------
    client : str
        Display name.
    as_of : datetime.date
        Last day of data the findings rest on.
    findings : list of Finding
        Most severe first (severity, then fail > warn > ok > not_assessable).
    data : dict
        ``rows_loaded``, ``rows_quarantined``, ``platforms``, ``files``,
        ``warnings``.
    """

    client: str
    as_of: dt.date
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
            "as_of": self.as_of.isoformat(),
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
            f"Data up to {self.as_of.isoformat()} · {c['fail']} fail · {c['warn']} warn · "
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
            f"{self.as_of.isoformat()}: {c['fail']} fail, {c['warn']} warn, {c['ok']} ok, "
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
    findings = run_checks(client, checks, raise_errors=raise_errors)
    platforms = sorted(
        set(client.posts["platform"].dropna())
        | set(client.followers["platform"].dropna())
        | set(client.comments["platform"].dropna())
    )
    data = {
        "rows_loaded": client.rows_loaded,
        "rows_quarantined": len(client.quarantine),
        "platforms": platforms,
        "files": client.files,
        "warnings": client.warnings,
    }
    return Diagnosis(client.name, client.as_of, findings, data)
