"""``Batch``: many clients' canonical tables in one set of frames.

Checks run on a batch, not on one client at a time: the posts of every client
are concatenated (sorted by client, then time) with an integer ``client`` code,
so a metric over 1,000 clients is one numpy/pandas pass. A single client is a
batch of one, so ``socialkit diagnose CLIENT`` and ``diagnose --all`` give the
same findings for that client.

Derived per-post arrays (interactions, followers when posted, relative
engagement, week index, …) are computed once per batch and cached.
"""

from __future__ import annotations

import datetime as dt
import zlib
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from socialkit._slices import joined
from socialkit.metrics._arrow import arrow_strings
from socialkit.metrics.conversation import conversation_summary, reply_threads
from socialkit.metrics.engagement import (
    _f,
    followers_at_post,
    interactions,
    relative_to_group_median,
)
from socialkit.metrics.questions import invites_response
from socialkit.metrics.sentiment import brand_terms, sentiment_table
from socialkit.metrics.text import has_word
from socialkit.profile import Profile
from socialkit.schema import FORMATS, PLATFORMS
from socialkit.windows import _NAT, TIME_COLUMN, _ns, data_summary, observed, window_end
from socialkit.zones import local_zone

__all__ = ["Batch", "ClientMeta"]

_NS_DAY = 86400 * 10**9


@dataclass
class ClientMeta:
    """What a check may know about a client besides its tables.

    Attributes
    ----------
    name : str
    profile : Profile
    as_of : datetime.date or None
        Last day of data (None without data).
    window_end : pandas.Timestamp
        Exclusive end of the analysis window (midnight UTC after ``as_of``).
    data : dict
        Load summary (rows loaded/quarantined, platforms, files, warnings).
    slug : str
    """

    name: str
    profile: Profile
    as_of: dt.date | None
    window_end: pd.Timestamp
    data: dict = field(default_factory=dict)
    slug: str = ""

    @cached_property
    def observed(self) -> dict:
        """Per platform, the stretches of time its files cover
        (:func:`socialkit.windows.observed` of ``data["windows"]``; read by several checks)."""
        return observed(self.data.get("windows") or [])


def _platforms(client) -> list[str]:
    found = set()
    for frame in (client.posts, client.followers, client.comments):
        found.update(str(p) for p in frame["platform"].unique() if not pd.isna(p))
    return sorted(found)


def meta_of(client, platforms: list[str] | None = None, until=False) -> ClientMeta:
    """The :class:`ClientMeta` of a loaded :class:`~socialkit.client.Client`
    (``platforms``: those of its tables, and ``until``: its
    :attr:`~socialkit.client.Client.data_until`, when the caller has them)."""
    if until is False:
        until = client.data_until
    as_of = None if until is None else until.date()
    return ClientMeta(
        name=client.name,
        profile=client.profile,
        as_of=as_of,
        window_end=window_end(as_of),
        data={
            "rows_loaded": client.rows_loaded,
            "rows_quarantined": len(client.quarantine),
            "platforms": _platforms(client) if platforms is None else platforms,
            "files": client.files,
            "warnings": client.warnings,
            # windows, data_until, notes, quarantine, usable (socialkit.windows.data_summary)
            **data_summary(client, until),
        },
        slug=client.slug,
    )


def _platform_sets(n: int, tables) -> list[list[str]] | None:
    """The platforms of each of ``n`` clients' rows in the batch ``tables`` (sorted by
    name, as :func:`_platforms` lists them), from the platform codes; None when some
    table's platform column is not coded (then each client's tables are read)."""
    pairs = []
    for frame in tables:
        if not len(frame):
            continue
        if not isinstance(frame["platform"].dtype, pd.CategoricalDtype):
            return None
        codes = frame["platform"].cat.codes.to_numpy()
        known = codes >= 0
        pairs.append(
            frame["client"].to_numpy()[known].astype(np.int64) * len(PLATFORMS) + codes[known]
        )
    found: list[list[str]] = [[] for _ in range(n)]
    for pair in np.unique(np.concatenate(pairs)) if pairs else []:
        found[pair // len(PLATFORMS)].append(PLATFORMS[pair % len(PLATFORMS)])
    return [sorted(f) for f in found]


def _data_until(n: int, tables) -> list[pd.Timestamp | None]:
    """Each of ``n`` clients' :func:`~socialkit.windows.data_until`, from the batch
    ``tables`` (posts, followers, comments: sorted by client)."""
    last = np.full(n, _NAT, dtype=np.int64)
    for frame, table in zip(tables, ("posts", "followers", "comments"), strict=True):
        if not len(frame):
            continue
        ns = _ns(frame[TIME_COLUMN[table]])
        c = frame["client"].to_numpy()
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
        np.maximum.at(last, c[starts], np.maximum.reduceat(ns, starts))
    return [None if t == _NAT else pd.Timestamp(int(t), tz="UTC") for t in last]


_BOOKKEEPING = ["source_file", "source_row"]


def _concat(frames: list[pd.DataFrame], time_col: str) -> pd.DataFrame:
    """Frames one after the other with their position as ``client``, sorted by client, then
    time; platform and format as categoricals in one fixed order across clients. When the
    frames are still the slices the loader cut from one joined read, they are joined as a
    view of it, not copied (:mod:`socialkit._slices`)."""
    sizes = [len(f) for f in frames]
    parts = [f for f in frames if len(f)]
    if not parts:
        out = frames[0].iloc[:0] if frames else pd.DataFrame()
        out = out.drop(columns=_BOOKKEEPING, errors="ignore")
        return out.assign(client=np.int32(0)).reset_index(drop=True)
    out = joined(parts)  # the loader's joined read, when the parts are its slices
    if out is None:
        out = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0].copy(deep=False)
    # which file and row a record came from is the loaders' bookkeeping (quarantine,
    # windows): no check reads it, and it is a tenth of the posts table's memory
    for col in _BOOKKEEPING:
        if col in out.columns:
            del out[col]
    out["client"] = np.repeat(np.arange(len(frames), dtype=np.int32), sizes)
    for col in ("platform", "format"):  # codes by lookup, not through Python objects
        if col in out.columns:
            cats = pd.Index(PLATFORMS if col == "platform" else FORMATS)
            codes, found = pd.factorize(out[col])  # few distinct values: look those up
            codes = np.r_[cats.get_indexer(found.astype(object)), -1][codes]
            out[col] = pd.Categorical.from_codes(codes, categories=cats)
    # times as int64 ns (to_numpy() of a tz-aware column makes a Timestamp object per row)
    t = pd.DatetimeIndex(out[time_col]).asi8
    c = out["client"].to_numpy()
    # already in order (a client's file sorted by time) is one pass, not a sort
    dc = np.diff(c)
    if not ((dc > 0) | ((dc == 0) & (np.diff(t) >= 0))).all():
        order = np.lexsort((t, c))
        if not (order[1:] > order[:-1]).all():
            out = out.iloc[order]
    return out.reset_index(drop=True)


class Batch:
    """Clients' metadata plus their concatenated canonical tables.

    Parameters
    ----------
    meta : list of ClientMeta
        One entry per client; the client code is the position in this list.
    posts, followers, comments : DataFrame
        Canonical tables with an extra int ``client`` column, sorted by client
        then time; :meth:`from_clients` leaves out ``source_file`` and
        ``source_row`` (the clients' tables keep them).

    Notes
    -----
    Build one with :meth:`from_clients`. Per-post derived arrays are cached
    properties, computed on first use.
    """

    def __init__(self, meta, posts, followers, comments):
        self.meta = list(meta)
        self.posts = posts
        self.followers = followers
        self.comments = comments
        self._conversation: dict[float, pd.DataFrame] = {}

    @classmethod
    def from_clients(cls, clients) -> Batch:
        """A batch of loaded :class:`~socialkit.client.Client` objects."""
        clients = list(clients)
        tables = (
            _concat([c.posts for c in clients], "published_at"),
            _concat([c.followers for c in clients], "date"),
            _concat([c.comments for c in clients], "created_at"),
        )
        # validation admits only the known platforms, which the batch codes
        found = _platform_sets(len(clients), tables) or [None] * len(clients)
        until = _data_until(len(clients), tables)
        return cls(
            [meta_of(c, p, u) for c, p, u in zip(clients, found, until, strict=True)], *tables
        )

    def __len__(self) -> int:
        return len(self.meta)

    @property
    def n(self) -> int:
        """Number of clients."""
        return len(self.meta)

    def subset(self, codes) -> Batch:
        """A batch of the clients ``codes`` (renumbered 0…len-1 in that order)."""
        codes = np.asarray(codes, dtype=np.int64)
        remap = np.full(self.n, -1, dtype=np.int64)
        remap[codes] = np.arange(codes.size)

        def take(frame):
            if frame.empty:
                return frame
            new = remap[frame["client"].to_numpy()]
            out = frame[new >= 0].assign(client=new[new >= 0].astype(np.int32))
            order = np.argsort(out["client"].to_numpy(), kind="stable")
            return out.iloc[order].reset_index(drop=True)

        return Batch(
            [self.meta[i] for i in codes],
            take(self.posts),
            take(self.followers),
            take(self.comments),
        )

    # -- per-client arrays -------------------------------------------------
    @cached_property
    def keys(self) -> np.ndarray:
        """A stable random-number key per client (CRC-32 of its name and slug), so that
        resampling gives the same answer alone or in any batch."""
        return np.array(
            [zlib.crc32(f"{m.name}\x00{m.slug}".encode()) for m in self.meta], dtype=np.uint64
        )

    @cached_property
    def end_ns(self) -> np.ndarray:
        """Window end per client, ns since the epoch (UTC)."""
        return np.array([m.window_end.value for m in self.meta], dtype=np.int64)

    # -- per-post arrays ---------------------------------------------------
    @cached_property
    def pc(self) -> np.ndarray:
        """Client code of each post."""
        if self.posts.empty:
            return np.zeros(0, dtype=np.int64)
        return self.posts["client"].to_numpy(dtype=np.int64)

    @cached_property
    def p_starts(self) -> np.ndarray:
        """Offset of each client's first post (length n + 1; empty clients repeat)."""
        return np.searchsorted(self.pc, np.arange(self.n + 1))

    @cached_property
    def n_posts(self) -> np.ndarray:
        """Posts per client."""
        return np.diff(self.p_starts)

    @cached_property
    def t_ns(self) -> np.ndarray:
        """Publication time of each post, ns since the epoch (UTC)."""
        if self.posts.empty:
            return np.zeros(0, dtype=np.int64)
        return pd.DatetimeIndex(self.posts["published_at"]).as_unit("ns").asi8

    @cached_property
    def zones(self) -> list[tuple[str, str]]:
        """Per client: its time zone and where it came from (:func:`socialkit.zones.local_zone`)."""
        return [local_zone(m.profile) for m in self.meta]

    @cached_property
    def local_ns(self) -> np.ndarray:
        """Publication time on the client's wall clock (its :attr:`zones`), ns since the epoch."""
        out = self.t_ns.copy()
        names = np.array([z for z, _ in self.zones], dtype=object)
        for zone in sorted(set(names) - {"UTC"}):  # one conversion per zone, not per client
            mine = (names == zone)[self.pc]
            wall = pd.DatetimeIndex(self.t_ns[mine]).tz_localize("UTC").tz_convert(zone)
            out[mine] = wall.tz_localize(None).as_unit("ns").asi8
        return out

    @cached_property
    def age_days(self) -> np.ndarray:
        """Days from each post to its client's window end (> 0)."""
        return (self.end_ns[self.pc] - self.t_ns) / _NS_DAY

    @cached_property
    def week(self) -> np.ndarray:
        """Whole 7-day bin counted back from the window end (0 = the last 7 days)."""
        return (np.ceil(self.age_days / 7) - 1).astype(np.int64)

    @cached_property
    def span_days(self) -> np.ndarray:
        """Days from each client's first post to its window end (0 without posts)."""
        out = np.zeros(self.n)
        has = self.n_posts > 0
        first = self.t_ns[self.p_starts[:-1][has]]
        out[has] = (self.end_ns[has] - first) / _NS_DAY
        return out

    @cached_property
    def platform(self) -> np.ndarray:
        """Platform code per post (index into :data:`socialkit.schema.PLATFORMS`)."""
        return self._codes("platform")

    @cached_property
    def format(self) -> np.ndarray:
        """Format code per post (index into :data:`socialkit.schema.FORMATS`; -1 unknown)."""
        return self._codes("format")

    def _codes(self, col) -> np.ndarray:
        if self.posts.empty:
            return np.zeros(0, dtype=np.int64)
        cats = PLATFORMS if col == "platform" else FORMATS
        s = self.posts[col]
        if not (isinstance(s.dtype, pd.CategoricalDtype) and tuple(s.cat.categories) == cats):
            s = pd.Series(pd.Categorical(s.astype("object"), categories=cats))
        return np.asarray(s.cat.codes, dtype=np.int64)

    @cached_property
    def platform_codes(self) -> list[np.ndarray]:
        """Per client: the platform codes it posts on, ascending (-1, unknown, first when
        any); counted for all clients in one pass, read by several checks per client."""
        width = len(PLATFORMS) + 1
        cells = self.pc * width + (self.platform + 1)
        counts = np.bincount(cells, minlength=self.n * width).reshape(self.n, width)
        return [np.flatnonzero(row) - 1 for row in counts]

    @cached_property
    def cp(self) -> np.ndarray:
        """Client × platform group code per post (``client * len(PLATFORMS) + platform``)."""
        return self.pc * len(PLATFORMS) + self.platform

    def counts(self, col: str) -> np.ndarray:
        """Count column ``col`` per post as floats (NaN unknown; all NaN without the column)."""
        if col not in self.posts:
            return np.full(len(self.posts), np.nan)
        return _f(self.posts[col])

    @cached_property
    def inter(self) -> np.ndarray:
        """Interactions per post (reactions + comments + shares; NaN when unknown)."""
        if self.posts.empty:
            return np.zeros(0)
        return interactions(self.posts)

    @cached_property
    def fol(self) -> np.ndarray:
        """Followers of the post's account when it was published (NaN unknown)."""
        if self.posts.empty:
            return np.zeros(0)
        return followers_at_post(self.posts, self.followers, by=("client", "platform"))

    @cached_property
    def er_followers(self) -> np.ndarray:
        """Engagement rate by followers per post (interactions ÷ followers)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.fol > 0, self.inter / self.fol, np.nan)

    @cached_property
    def rel(self) -> np.ndarray:
        """Relative engagement: interactions ÷ the median of the same client and platform."""
        if self.posts.empty:
            return np.zeros(0)
        return relative_to_group_median(self.inter, self.cp)

    @cached_property
    def text_arrow(self):
        """Post text as an Arrow string array, empty string where missing (read from the
        column as it is: an Arrow-backed column is not copied through Python strings)."""
        if self.posts.empty or "text" not in self.posts:
            return pa.array([], type=pa.string())
        return pc.fill_null(arrow_strings(self.posts["text"]), "")

    @cached_property
    def has_text(self) -> np.ndarray:
        """Posts whose text has at least one letter or digit."""
        if self.posts.empty:
            return np.zeros(0, dtype=bool)
        return has_word(self.text_arrow)

    def invites(self, clients=None) -> np.ndarray:
        """Posts whose text asks the audience something or calls for a comment.

        Parameters
        ----------
        clients : array of bool, optional
            Per client: search only their posts (the others come out False), so a
            check searches the texts of the clients it can assess, not all.
        """
        out = np.zeros(len(self.posts), dtype=bool)
        need = self.has_text if clients is None else self.has_text & clients[self.pc]
        if not need.any():
            return out
        if need.all():
            return invites_response(self.text_arrow)
        idx = np.flatnonzero(need)
        out[idx] = invites_response(self.text_arrow.take(idx))
        return out

    # -- per-comment arrays ------------------------------------------------
    @cached_property
    def threads(self) -> pd.DataFrame:
        """Thread root and brand first reply of each comment (:func:`reply_threads`)."""
        return reply_threads(self.comments)

    @cached_property
    def sentiment_table(self) -> pd.DataFrame:
        """Per comment: ``score``, ``label``, ``p_negative``, ``source`` (the export's
        score, else the sentiment model's with each client's names and handles masked;
        :func:`~socialkit.metrics.sentiment.sentiment_table`)."""
        terms = {i: brand_terms(m.profile, m.name) for i, m in enumerate(self.meta)}
        return sentiment_table(self.comments, brand_terms=terms)

    @cached_property
    def sentiment(self) -> tuple[np.ndarray, int]:
        """Sentiment per comment (the export's, else the model's) and how many the model scored."""
        t = self.sentiment_table
        return t["score"].to_numpy(dtype=float), int((t["source"] == "model").sum())

    @cached_property
    def comments_end_ns(self) -> np.ndarray:
        """Per client, the time of its last comment, ns (its window end without comments):
        the 72-hour rule counts back from the last timestamp in the data, not from midnight."""
        out = self.end_ns.copy()
        if len(self.comments):
            t = pd.DatetimeIndex(self.comments["created_at"]).as_unit("ns").asi8
            last = np.full(self.n, np.iinfo(np.int64).min)
            np.maximum.at(last, self.comments["client"].to_numpy(), t)
            out = np.where(last > np.iinfo(np.int64).min, last, out)
        return out

    def conversation(self, negative: float) -> pd.DataFrame:
        """Per-client conversation summary (:func:`conversation_summary`), by cut-off."""
        if negative not in self._conversation:
            self._conversation[negative] = conversation_summary(
                self.comments,
                self.sentiment[0],
                negative=negative,
                end=self.comments_end_ns.view("M8[ns]"),
                n_groups=self.n,
                threads=self.threads,
            )
        return self._conversation[negative]

    # -- helpers for checks --------------------------------------------------
    def per_client(self, values, mask=None, how: str = "sum") -> np.ndarray:
        """Sum (or count, mean) of a per-post array by client; length ``n``."""
        v = np.asarray(values, dtype=float)
        keep = ~np.isnan(v) if mask is None else (mask & ~np.isnan(v))
        # a left-out post counts in an extra bin (n): branch-free, no compressed copies
        pc = np.where(keep, self.pc, self.n)
        if how != "count":
            s = np.bincount(pc, weights=np.where(keep, v, 0.0), minlength=self.n + 1)[:-1]
        if how == "sum":
            return s
        c = np.bincount(pc, minlength=self.n + 1)[:-1].astype(float)
        if how == "count":
            return c
        with np.errstate(invalid="ignore", divide="ignore"):
            return s / c

    def table(self, key: np.ndarray, size: int, values=None, mask=None) -> np.ndarray:
        """Counts (or sums of ``values``) by client × ``key`` code: shape (n, size).

        Posts whose key is negative (unknown), that are masked out or (for sums) whose
        value is NaN are left out.
        """
        return self.tables(key, size, values, mask=mask)[0]

    def tables(self, key: np.ndarray, size: int, *values, mask=None) -> list[np.ndarray]:
        """:meth:`table` of each of ``values`` (None: the counts) by the same key and mask,
        whose cells are worked out once (a count and a sum usually go together)."""
        flat = self._cells(key, size)
        if mask is not None:  # a left-out post counts in the cell past the table
            flat = np.where(mask, flat, self.n * size)
        out = []
        for v in values:
            # a NaN stays in its cell with weight 0: the sum is the same
            w = None if v is None else _zeroed(np.asarray(v, dtype=float), mask)
            out.append(
                np.bincount(flat, weights=w, minlength=self.n * size + 1)[:-1].reshape(self.n, size)
            )
        return out

    def _cells(self, key: np.ndarray, size: int) -> np.ndarray:
        """Cell of each post in a client × ``key`` table of width ``size``
        (``client * size + key``); ``n * size``, one past the table, where the key is
        negative or ``size`` and over (a post older than the weeks a table holds is left
        out, not counted in the next client's row). By platform, the batch's :attr:`cp`
        when every platform is known."""
        if (
            key is self.__dict__.get("platform")
            and size == len(PLATFORMS)
            and self._known_platforms
        ):
            return self.cp
        flat = self.pc * size
        flat += key
        unknown = (key < 0) | (key >= size)
        if unknown.any():
            flat[unknown] = self.n * size
        return flat

    @cached_property
    def _known_platforms(self) -> bool:
        return not (self.platform < 0).any()


def _zeroed(v: np.ndarray, keep=None) -> np.ndarray:
    """``v`` with 0 where ``keep`` is False or ``v`` is NaN (``v`` itself when neither)."""
    if keep is None:
        nan = np.isnan(v)
        return np.where(nan, 0.0, v) if nan.any() else v
    return np.where(keep & ~np.isnan(v), v, 0.0)
