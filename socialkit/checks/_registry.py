"""The check registry: ``register_check`` and ``run_checks``."""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, Iterable

from socialkit.checks.catalogue import CATALOGUE
from socialkit.findings import Evidence, Finding

__all__ = ["register_check", "registered", "run_checks", "verdict", "not_assessable", "severity"]

_CHECKS: dict[str, Callable] = {}

#: Base severity per status; a check may add up to 0.25 for how far past the
#: threshold it is (see :func:`severity`).
_BASE = {"fail": 0.75, "warn": 0.45, "ok": 0.0, "not_assessable": 0.0}


def register_check(check_id: str):
    """Decorator: register ``fn(client, thresholds) -> Finding`` for a catalogue id.

    ``thresholds`` is the check's default thresholds updated with the client's
    overrides. The returned finding's ``check``, ``title``, ``why`` and
    ``mode`` are filled in from the catalogue, and the thresholds are echoed
    in its evidence.
    """
    if check_id not in CATALOGUE:
        raise ValueError(
            f"Unknown check id {check_id!r}; declare it in socialkit/checks/catalogue.py first. "
            f"Known ids: {', '.join(sorted(CATALOGUE))}."
        )

    def decorate(fn):
        _CHECKS[check_id] = fn
        return fn

    return decorate


def registered() -> dict[str, Callable]:
    """Implemented checks by id."""
    return dict(_CHECKS)


def verdict(
    status: str,
    message: str,
    recommendation: str = "",
    evidence: Iterable[Evidence] = (),
    excess: float = 0.0,
) -> Finding:
    """A finding from inside a check (id and title are filled in by the runner).

    ``excess`` (0–1) says how far past the threshold the metric is and raises
    the severity within its status band.
    """
    return Finding(
        check="",
        title="",
        status=status,
        severity=severity(status, excess),
        evidence=list(evidence),
        message=message,
        recommendation=recommendation,
    )


def not_assessable(message: str, needs: str, evidence: Iterable[Evidence] = ()) -> Finding:
    """A finding that says the check cannot decide, and what data would fix that."""
    return Finding(
        check="",
        title="",
        status="not_assessable",
        message=message,
        needs=needs,
        evidence=list(evidence),
    )


def severity(status: str, excess: float = 0.0) -> float:
    """Severity for ``status`` plus up to 0.25 for ``excess`` in [0, 1]."""
    if status in ("ok", "not_assessable"):
        return 0.0
    return round(_BASE[status] + 0.25 * min(max(float(excess), 0.0), 1.0), 3)


def _thresholds(spec, overrides: dict) -> dict:
    values = dict(spec.thresholds)
    for key, value in overrides.items():
        cid, _, name = key.rpartition(".")
        if cid == spec.id:
            values[name] = value
    return values


def run_checks(
    client, ids: Iterable[str] | None = None, *, raise_errors: bool = False
) -> list[Finding]:
    """Run every catalogue check (or ``ids``) on ``client``; one finding per id.

    A check that raises becomes ``not_assessable`` with the error in its message,
    unless ``raise_errors`` is true (use that in tests).
    """
    ids = list(CATALOGUE) if ids is None else list(ids)
    unknown = [i for i in ids if i not in CATALOGUE]
    if unknown:
        raise ValueError(f"Unknown check ids {unknown}; known: {', '.join(sorted(CATALOGUE))}.")
    overrides = client.profile.thresholds
    findings = []
    for cid in ids:
        spec = CATALOGUE[cid]
        fn = _CHECKS.get(cid)
        t = _thresholds(spec, overrides)
        if fn is None:
            f = not_assessable(
                "Not implemented yet.",
                f"this check is not implemented yet; it will need {spec.data}",
            )
        else:
            try:
                f = fn(client, t)
            except Exception as exc:
                if raise_errors:
                    raise
                last = traceback.extract_tb(exc.__traceback__)[-1]
                f = not_assessable(
                    f"The check failed with an internal error ({type(exc).__name__}: {exc} at "
                    f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}); please report it.",
                    "a fix of the check",
                )
        if f.status != "not_assessable" and t:
            f.evidence += [
                Evidence(f"threshold {name}", value, spec.units.get(name, ""), kind="threshold")
                for name, value in t.items()
            ]
        findings.append(
            dataclasses.replace(f, check=cid, title=spec.title, why=spec.why, mode=spec.mode)
        )
    return findings
