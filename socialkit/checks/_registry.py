"""The check registry: ``register_check`` and ``run_checks``."""

from __future__ import annotations

import gc
import threading
import traceback
from collections.abc import Callable, Iterable
from contextlib import contextmanager

from socialkit._memory import keep_freed_memory, settle_malloc
from socialkit._spare import helpers, join_in
from socialkit.checks.catalogue import CATALOGUE
from socialkit.findings import Evidence, Finding

__all__ = [
    "register_check",
    "registered",
    "run_checks",
    "run_batch",
    "each_client",
    "rows_of",
    "verdict",
    "not_assessable",
    "severity",
]

_CHECKS: dict[str, Callable] = {}

#: Base severity per status; a check may add up to 0.25 for how far past the
#: threshold it is (see :func:`severity`).
_BASE = {"fail": 0.75, "warn": 0.45, "ok": 0.0, "not_assessable": 0.0}


def register_check(check_id: str):
    """Decorator: register ``fn(batch, thresholds) -> list[Finding]`` for a catalogue id.

    The function gets a :class:`~socialkit.batch.Batch` of clients that share
    the same effective thresholds (the defaults updated with their client.yaml
    overrides) and returns one finding per client, in batch order; it computes
    its metric for all of them at once. Profile-only checks can be written per
    client and wrapped with :func:`each_client`. The returned finding's ``check``, ``title``, ``why`` and
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


def each_client(fn):
    """Adapt ``fn(meta, thresholds) -> Finding`` (profile-only checks) to a batch check.

    Only for checks that read client.yaml and nothing else: checks on the data
    tables are written once for the whole batch.
    """

    def run(batch, t):
        return [fn(m, t) for m in batch.meta]

    run.__doc__ = fn.__doc__
    run.__name__ = fn.__name__
    return run


def rows_of(frame):
    """``(label, row)`` for each row of ``frame``, as :meth:`pandas.DataFrame.iterrows` gives
    them (``row[column]`` of the frame's common dtype) but as a dict, not a Series per row.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.0]})
    >>> [(i, type(r["a"]).__name__, float(r["b"])) for i, r in rows_of(frame)]
    [(0, 'float64', 0.5), (1, 'float64', 1.0)]
    """
    columns = list(frame.columns)
    for label, values in zip(frame.index, frame.to_numpy(), strict=True):
        yield label, dict(zip(columns, values, strict=True))


def _internal_error(exc) -> Finding:
    last = traceback.extract_tb(exc.__traceback__)[-1]
    return not_assessable(
        f"The check failed with an internal error ({type(exc).__name__}: {exc} at "
        f"{last.filename.rsplit('/', 1)[-1]}:{last.lineno}); please report it.",
        "a fix of the check",
    )


def _run_one(fn, batch, t, raise_errors) -> list[Finding]:
    """Run one check on a batch; if it raises, retry client by client so that one
    broken client does not take the others' findings with it."""
    try:
        out = list(fn(batch, t))
    except Exception as exc:
        if raise_errors:
            raise
        if batch.n == 1:
            return [_internal_error(exc)]
        return [_run_one(fn, batch.subset([i]), t, False)[0] for i in range(batch.n)]
    if len(out) != batch.n:
        raise RuntimeError(f"{fn.__name__} returned {len(out)} findings for {batch.n} clients.")
    return out


def run_batch(batch, ids: Iterable[str] | None = None, *, raise_errors: bool = False):
    """Run every catalogue check (or ``ids``) on every client of a batch.

    Parameters
    ----------
    batch : Batch
    ids : list of str, optional
    raise_errors : bool, default False
        Re-raise a check's internal error (tests); otherwise the check becomes
        ``not_assessable`` with the error in its message, for the affected
        client(s) only.

    Returns
    -------
    list of list of Finding
        One list per client (batch order), one finding per check id.
    """
    ids = list(CATALOGUE) if ids is None else list(ids)
    unknown = [i for i in ids if i not in CATALOGUE]
    if unknown:
        raise ValueError(f"Unknown check ids {unknown}; known: {', '.join(sorted(CATALOGUE))}.")
    settle_malloc()  # the checks' per-post arrays reuse memory rather than fault it in anew
    behind = [c for c in ids if c in _BACKGROUND] if len(batch.posts) >= _BACKGROUND_POSTS else []
    found: dict[str, list[Finding]] = {}
    with _old_objects_frozen(), keep_freed_memory():
        if behind and len(ids) > len(behind):
            from concurrent.futures import ThreadPoolExecutor

            shared = dict.fromkeys(_SHARED)  # built once here, not by two threads at once
            for cid in behind:
                shared.update(dict.fromkeys(_BACKGROUND[cid]))
            for name in shared:
                getattr(batch, name)
            queue = _Queue(c for c in _BACKGROUND if c in behind)  # the longest first

            def run_behind(front: bool) -> None:
                while (cid := queue.take(front)) is not None:
                    found[cid] = _run_check(cid, batch, raise_errors)

            with ThreadPoolExecutor(1) as pool:
                second = pool.submit(run_behind, True)
                for cid in ids:
                    if cid not in behind:
                        found[cid] = _run_check(cid, batch, raise_errors)
                run_behind(False)  # done first: help from the back of the queue
                join_in()  # then with the pieces of the check still running there
                second.result()
        else:  # one check at a time: a check that works in pieces may take a second core
            with helpers(1 if len(batch.posts) >= _BACKGROUND_POSTS else 0):
                found = {cid: _run_check(cid, batch, raise_errors) for cid in ids}
    return [[found[cid][i] for cid in ids] for i in range(batch.n)]


class _Queue:
    """Check ids taken by two threads, one from each end."""

    def __init__(self, ids):
        self.ids = list(ids)
        self.lock = threading.Lock()

    def take(self, front: bool) -> str | None:
        with self.lock:
            if not self.ids:
                return None
            return self.ids.pop(0 if front else -1)


@contextmanager
def _old_objects_frozen():
    """Leave the objects that exist now out of the garbage collector's full collections
    while the block runs (:func:`gc.freeze`), and hand them back to it after.

    The checks keep tens of thousands of new objects (a finding per client and check, its
    evidence), which sets off full collections; each would walk every object of the
    process (the batch, the loaded clients, the imports) to find none of the new garbage.
    200 clients, 400,000 posts: one full collection of 30-40 ms out of 0.45 s. Nothing
    is frozen when the caller froze objects itself (its own use of :func:`gc.freeze`).
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


#: Checks run on a second thread while the others run, on a batch of at least
#: ``_BACKGROUND_POSTS`` posts, with the batch arrays each reads: their work is in Arrow,
#: NumPy and SciPy kernels that release the GIL (sorts, a grouped median, powers), the
#: others' mostly in Python. The whole catalogue on 200 clients / 1,000,000 posts, 2
#: cores: 2.8 -> 1.7 s with the copies behind; the numeric catalogue on 200 clients /
#: 400,000 posts 0.25-0.26 -> 0.22-0.23 s with the three numeric ones behind (while the
#: second core is free), 0.231-0.235 -> 0.221-0.228 s with ``rel`` built behind. The
#: second thread takes them in this order (the longest first), and the first thread,
#: once through the others, takes what is left from the end: on 1,000,000 posts the
#: copies kept the second thread busy 0.5 s after the first was done (checks 1.44 s;
#: 1.30-1.39 s with the first thread taking the numeric ones); the first thread then
#: takes runs of clients of the copies still going (:func:`socialkit._spare.join_in`).
#: When checks run one at a time on such a batch (a check asked for alone), a check that
#: works in pieces computes them on two threads (:func:`socialkit._spare.helpers`).
#: The findings are the same either way.
_BACKGROUND = {
    "platform.cross_post_copies": (
        "pc",
        "p_starts",
        "n_posts",
        "t_ns",
        "platform",
        "text_arrow",
        "has_text",
    ),
    # not ``rel``: built behind by this check when it runs first there (no copies
    # check), while the foreground starts on checks that do not read it (a later reader
    # waits for the build on Python 3.11; from 3.12 one that came first would build the
    # same array again)
    "kpi.virality_dependence": ("pc", "cp", "keys", "inter"),
    "platform.underperforming": ("pc", "cp", "inter", "er_followers", "age_days"),
    "market.peer_position": (
        *("pc", "cp", "keys", "inter", "er_followers", "age_days", "span_days"),
        "_known_platforms",
    ),
}
_BACKGROUND_POSTS = 100_000
#: Batch arrays built before the background checks start, besides those they read (so
#: that no two threads build one): ``end_ns``, and ``fol`` (followers when posted), whose
#: build would add its peak memory to theirs.
_SHARED = ("end_ns", "fol")


def _run_check(cid: str, batch, raise_errors: bool) -> list[Finding]:
    """One check's finding for each client of ``batch`` (see :func:`run_batch`)."""
    spec = CATALOGUE[cid]
    fn = _CHECKS.get(cid)
    # clients with the same effective thresholds are checked together
    groups: dict[tuple, list[int]] = {}
    per_t = {}
    plain = _thresholds(spec, {})  # a client without overrides (most): worked out once
    plain_key = tuple(sorted(plain.items()))
    for i, m in enumerate(batch.meta):
        if m.profile.thresholds:
            t = _thresholds(spec, m.profile.thresholds)
            key = tuple(sorted(t.items()))
        else:
            t, key = plain, plain_key
        groups.setdefault(key, []).append(i)
        per_t[key] = t
    out: list = [None] * batch.n
    for key, codes in groups.items():
        t = per_t[key]
        if fn is None:
            found = [
                not_assessable(
                    "Not implemented yet.",
                    f"this check is not implemented yet; it will need {spec.data}",
                )
                for _ in codes
            ]
        else:
            sub = batch if len(codes) == batch.n else batch.subset(codes)
            found = _run_one(fn, sub, t, raise_errors)
        echo = [(f"threshold {name}", value, spec.units.get(name, "")) for name, value in t.items()]
        for i, f in zip(codes, found, strict=True):
            if f.status != "not_assessable" and echo:
                f.evidence = list(f.evidence) + [
                    Evidence(name, value, unit, kind="threshold") for name, value, unit in echo
                ]
            # set in place (a check returns a new finding per client): a copy through
            # dataclasses.replace validated each of 4,400 findings a second time
            f.check, f.title, f.why, f.mode = cid, spec.title, spec.why, spec.mode
            out[i] = f
    return out


def run_checks(client, ids: Iterable[str] | None = None, *, raise_errors: bool = False):
    """Run every catalogue check (or ``ids``) on one client; one finding per id.

    The client is checked as a batch of one (:func:`run_batch`), so its
    findings are the same as in ``diagnose --all``.
    """
    from socialkit.batch import Batch

    return run_batch(Batch.from_clients([client]), ids, raise_errors=raise_errors)[0]
