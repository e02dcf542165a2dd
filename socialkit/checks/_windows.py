"""Where each client's posts were observed: the scopes that cadence and trend checks read.

Exports of different platforms seldom cover the same dates (see
:mod:`socialkit.windows`). A check that counts weeks or follows a trend reads
the client's posts over the *common window* of its posting platforms when that
window is long enough; otherwise each platform inside its own window; and it
says which. Weeks that no file of a platform covers (the gap between a 2021
export and a 2022 export) are not counted as silence. A scope whose export ended
long before the rest of the data (:func:`ended_long_before`) is described, not
judged (:func:`stale_note`): how that platform is run now is not in it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from socialkit.fmt import platform_name
from socialkit.schema import PLATFORMS
from socialkit.windows import common_window

__all__ = [
    "Scope",
    "post_scopes",
    "observed_ns",
    "describe",
    "ended_long_before",
    "stale_note",
    "ended_before",
    "shared_days",
    "covered_weeks",
    "client_platforms",
    "rebuilt_days",
    "rebuilt_note",
]

_DAY = 86400 * 10**9
_WEEK = 7 * _DAY


@dataclass
class Scope:
    """A stretch of a client's posting history that one verdict reads.

    Attributes
    ----------
    label : str
        ``"all platforms"`` or the platform name.
    platform : int
        Platform code (index into PLATFORMS), -1 for all.
    start, end : int
        ns since the epoch; posts in ``[start, end)`` are read; bins count back from ``end``.
    stretches : list of (int, int)
        The observed stretches inside the scope (ns); weeks outside them are not counted.
    joined : bool
        True when several platforms are read together over their common window.
    """

    label: str
    platform: int
    start: int
    end: int
    stretches: list = field(default_factory=list)
    joined: bool = False

    def rows(self, batch, i: int) -> np.ndarray:
        """The posts of client ``i`` inside this scope (their rows in the batch, in order).

        Only the client's own run of posts is scanned: a mask over the whole batch
        per client would cost clients × posts.
        """
        lo, hi = batch.p_starts[i], batch.p_starts[i + 1]
        t = batch.t_ns[lo:hi]
        m = (t >= self.start) & (t < self.end)
        if self.platform >= 0:
            m &= batch.platform[lo:hi] == self.platform
        return lo + np.flatnonzero(m)

    def weeks(self) -> np.ndarray:
        """Bin numbers (0 = the last 7 days before ``end``) whose days are mostly observed."""
        n = int((self.end - self.start) // _WEEK)
        ends = self.end - np.arange(n, dtype=np.int64) * _WEEK
        starts = ends - _WEEK
        cover = np.zeros(n, dtype=np.int64)
        for s, e in self.stretches:
            cover += np.clip(np.minimum(ends, e) - np.maximum(starts, s), 0, None)
        return np.flatnonzero(cover * 2 >= _WEEK)

    @property
    def name(self) -> str:
        """The label as the client reads it: ``"YouTube"``, ``"all platforms"``."""
        return self.label if self.platform < 0 else platform_name(self.label)

    def text(self) -> str:
        s = pd.Timestamp(self.start, tz="UTC").date().isoformat()
        e = pd.Timestamp(self.end - 1, tz="UTC").date().isoformat()
        return f"{self.name} {s} – {e}"


def observed_ns(meta) -> dict[str, list[tuple[int, int]]]:
    """Per platform, the observed stretches of a client (ns), from its data windows."""
    obs = meta.observed
    return {p: [(s.value, e.value) for s, e in v] for p, v in obs.items()}


def _clip(stretches, start, end):
    return [(max(s, start), min(e, end)) for s, e in stretches if min(e, end) > max(s, start)]


def post_scopes(batch, i: int, min_days: float) -> tuple[list[Scope], str]:
    """The scopes a cadence or trend check reads for client ``i``.

    Returns
    -------
    scopes : list of Scope
        One scope (all posting platforms over their common window) when the
        client posts on one platform, or when the common window is at least
        ``min_days`` long and ends no more than ``min_days`` before the end of
        the data (:func:`ended_long_before`); else one per platform, each in its
        own window, so that a platform whose export runs on to the recent weeks
        is read there.
    how : str
        A sentence for the finding when the scope is not simply "all the data"
        (empty otherwise).
    """
    lo, hi = batch.p_starts[i], batch.p_starts[i + 1]
    if hi == lo:
        return [], ""
    end_data = int(batch.end_ns[i])
    codes = client_platforms(batch, i)
    names = [PLATFORMS[c] for c in codes if c >= 0]
    windows = batch.meta[i].data.get("windows")
    obs = observed_ns(batch.meta[i]) if windows else {}
    if not obs:  # no windows known (a batch built by hand): all the data, as before
        obs = {p: [(int(batch.t_ns[lo]), end_data)] for p in names}
    first, last_data = int(batch.t_ns[lo]), end_data

    def end_of(e):  # a stretch that reaches the last data day runs to the window end
        return last_data if e >= last_data - _DAY else e + 1

    spans = {p: [(s, end_of(e)) for s, e in obs.get(p, [(first, last_data)])] for p in names}
    if len(names) <= 1:
        p = names[0] if names else "all platforms"
        st = spans.get(p, [(first, last_data)])
        start, end = max(first, st[0][0]), st[-1][1]
        return [Scope(p, -1, start, end, _clip(st, start, end))], ""
    common = common_window(spans)  # of the ns bounds: it only compares them
    why = f"The platforms' exports do not share {min_days / 7:.0f} weeks"
    if common is not None:
        cs, ce = common
        start = max(cs, first)
        if (ce - start) / _DAY >= min_days:
            # every platform's inner gaps are unobserved for the joined count
            stretches = [(start, ce)]
            for v in spans.values():
                stretches = _intersect(stretches, v)
            joined = Scope("all platforms", -1, start, ce, stretches, joined=True)
            if not ended_long_before(batch, i, joined, min_days / 7):
                how = ""
                if start > first + _WEEK or ce < last_data - _WEEK:
                    how = (
                        "Read over the common window of the platforms' exports "
                        f"({pd.Timestamp(start, tz='UTC').date()} – "
                        f"{pd.Timestamp(ce - 1, tz='UTC').date()}), where every platform has "
                        "data."
                    )
                return [joined], how
            # shared weeks that ended long ago: a platform whose export runs on is read alone
            why = (
                "The platforms' exports share weeks only until "
                f"{pd.Timestamp(ce - 1, tz='UTC').date()}, over {min_days / 7:.0f} weeks "
                "before the end of the data"
            )
    scopes = []
    for c in codes:
        p = PLATFORMS[c]
        own = batch.t_ns[lo:hi][batch.platform[lo:hi] == c]
        st = spans[p]
        start, end = max(int(own[0]), st[0][0]), st[-1][1]
        scopes.append(Scope(p, int(c), start, end, _clip(st, start, end)))
    how = why + ", so each platform is read in its own window (" + describe(scopes) + ")."
    return scopes, how


def _intersect(a, b):
    out = []
    for s1, e1 in a:
        for s2, e2 in b:
            lo, hi = max(s1, s2), min(e1, e2)
            if hi > lo:
                out.append((lo, hi))
    return sorted(out)


def describe(scopes: list[Scope]) -> str:
    """``"X 2022-03-12 – 2022-04-09; YouTube 2020-04-11 – 2021-06-18"``."""
    return "; ".join(s.text() for s in scopes)


def ended_long_before(batch, i: int, sc: Scope, weeks: float) -> bool:
    """Whether scope ``sc`` of client ``i`` ends more than ``weeks`` weeks before the end
    of the client's data: an export that stopped long before the rest, so how that
    platform is run now is not in it. A check describes such a scope, it does not judge
    it (:func:`stale_note`)."""
    return batch.end_ns[i] - sc.end > weeks * _WEEK


def stale_note(stale: list[Scope], weeks: float) -> str:
    """The sentence that names the scopes not judged by :func:`ended_long_before`
    (``""`` when there are none), with a leading space:
    ``" Not judged (its export ended over 8 weeks before the rest of the data): YouTube
    2020-04-11 – 2021-06-18."``"""
    if not stale:
        return ""
    return (
        f" Not judged (its export ended over {weeks:g} weeks before the rest of the data): "
        f"{describe(stale)}."
    )


def client_platforms(batch, i: int) -> np.ndarray:
    """The platform codes client ``i`` posts on, ascending (-1, unknown, first when any):
    ``np.unique`` of its posts' codes (:attr:`~socialkit.batch.Batch.platform_codes`)."""
    return batch.platform_codes[i]


def _posting(batch, i) -> list[str]:
    return [PLATFORMS[c] for c in client_platforms(batch, i) if c >= 0]


def ended_before(batch, i: int, start_ns: int) -> list[tuple[str, str]]:
    """Posting platforms of client ``i`` whose exports all end before ``start_ns``:
    ``(platform, last date observed)``; whether they are still active is unknown."""
    obs = observed_ns(batch.meta[i])
    out = []
    for p in _posting(batch, i):
        if p in obs and obs[p][-1][1] < start_ns:
            out.append((p, pd.Timestamp(obs[p][-1][1], tz="UTC").date().isoformat()))
    return out


def shared_days(batch, i: int, platforms=None) -> float | None:
    """Days that the exports of client ``i``'s posting platforms (or ``platforms``) all cover;
    None when no windows are known (a batch built by hand)."""
    obs = batch.meta[i].observed
    plats = [p for p in (platforms or _posting(batch, i)) if p in obs]
    if not obs or len(plats) < 2:
        return None
    common = common_window(obs, plats)
    return 0.0 if common is None else (common[1] - common[0]) / pd.Timedelta(days=1)


def covered_weeks(batch, i: int, start_ns: int, end_ns: int) -> dict[str, float]:
    """Per posting platform of client ``i``: weeks of ``[start_ns, end_ns)`` from the start
    of its exports (a platform whose export begins inside the window is rated over the
    weeks it was observed; a quiet end is the account's own, as ever)."""
    obs = observed_ns(batch.meta[i])
    return {
        p: max(0, end_ns - max(start_ns, obs[p][0][0])) / _WEEK
        for p in _posting(batch, i)
        if p in obs
    }


def rebuilt_days(batch, i: int) -> dict[str, list[str]]:
    """Per platform of client ``i``, the posts files whose loader rebuilt the publication
    days (:attr:`~socialkit.loaders.LoaderSpec.rebuilt_days`: the export has no dates,
    e.g. the UCI dataset's month, weekday and hour). Their weekly counts and the
    silences between their posts are the reconstruction's, not facts of the data."""
    files = [
        f
        for f in batch.meta[i].data.get("files") or []
        if f.get("table") == "posts" and f.get("rows_loaded")
    ]
    if not files:  # a batch of frames: no loader to ask (nor to import)
        return {}
    from socialkit.loaders._registry import loaders

    rebuilt = {spec.name for spec in loaders() if spec.rebuilt_days}
    out: dict[str, list[str]] = {}
    for f in files:
        if f.get("format") in rebuilt:
            for p in f.get("platforms") or []:
                out.setdefault(p, []).append(str(f["file"]).rsplit("/", 1)[-1])
    return out


def touches(sc: Scope, batch, i: int, platforms) -> bool:
    """Whether scope ``sc`` of client ``i`` reads posts of any of ``platforms`` (names)."""
    if sc.platform >= 0:
        return PLATFORMS[sc.platform] in platforms
    return any(p in platforms for p in _posting(batch, i))


def rebuilt_note(scopes: list[Scope], files: dict[str, list[str]]) -> str:
    """The sentence that names the files whose posts were not judged because their days
    were rebuilt (``""`` when ``scopes`` is empty), with a leading space."""
    if not scopes:
        return ""
    names = sorted({f for v in files.values() for f in v})
    return (
        f" Not judged: {', '.join(names)} gives no publication dates (its days were rebuilt "
        "from month, weekday and row order), so its weekly counts and the silences between "
        "its posts are not in the data."
    )
