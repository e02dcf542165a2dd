"""Customer-care threads in the layout of the "Customer Support on Twitter" corpus.

Source of the layout: the public corpus by Thought Vector (Axelbrooke, 2017,
distributed as ``twcs.csv``, about 2.8 million tweets between 108 brands'
support accounts and their customers), whose published description gives the
seven columns ``tweet_id, author_id, inbound, created_at, text,
response_tweet_id, in_response_to_tweet_id``. No real sample is in
``shared/data/real``; the test fixture is written to that description.

Mapping to the canonical ``comments`` table (platform ``x``):

* ``comment_id`` = tweet_id; ``parent_id`` = in_response_to_tweet_id;
* ``is_brand`` = not ``inbound`` (inbound tweets are the customers'; the
  brand is the non-inbound author). The corpus holds many brands: a file
  with several non-inbound accounts needs ``brand_accounts:`` in client.yaml,
  which keeps the client's threads and sets the others aside
  (:mod:`socialkit.brands`); without it the file is an error listing the
  accounts and their comment counts;
* ``author`` = author_id (customers' ids are pseudonymised on load, the
  brand's handle is kept, see :mod:`socialkit.privacy`);
* ``created_at`` from ``Tue Oct 31 22:10:47 +0000 2017`` (the offset is in
  the text, so no time zone is assumed);
* ``post_id`` = the id of the thread's first tweet: a care conversation has no
  brand post, the thread is the unit (a tweet whose parent is not in the file
  starts its own thread);
* ``response_tweet_id`` (a comma-separated list of the replies) says the same
  as the parents and is not used.

Ids: pandas writes an id column that has gaps as floats (``119238.0``); the
``.0`` is removed, and an id in scientific notation (digits already lost) is
quarantined rather than guessed. Text: bare carriage returns inside a quoted
text do not split rows (the CSV reader only splits outside quotes).

Unknown: how the corpus treats deleted tweets (replies to them become
orphans here, counted by the conversation metrics).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from socialkit._graph import roots
from socialkit.loaders._mapping import finish, map_columns, norm
from socialkit.loaders._read import read_delimited
from socialkit.loaders._registry import register_loader

__all__ = ["read_twcs", "COLUMNS", "TIME_FORMAT"]

COLUMNS = (
    "tweet_id",
    "author_id",
    "inbound",
    "created_at",
    "text",
    "response_tweet_id",
    "in_response_to_tweet_id",
)
TIME_FORMAT = "%a %b %d %H:%M:%S %z %Y"
_ALIASES = {c: (c,) for c in COLUMNS}
_INBOUND = {"true": "false", "false": "true", "1": "false", "0": "true"}


def detect(path: Path, header) -> bool:
    return set(COLUMNS) <= {norm(h) for h in header}


def _clean_ids(s: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Ids as exact text: ``123.0`` → ``123``; returns (ids, lost) where ``lost``
    marks ids written in scientific notation."""
    s = s.astype("string").str.strip()
    s = s.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)
    lost = s.str.fullmatch(r"\d(?:\.\d+)?[eE][+]?\d+", na=False)
    return s, lost


def _thread_roots(ids: pd.Series, parents: pd.Series) -> np.ndarray:
    """Position of each tweet's thread root (following parents inside the file)."""
    n = len(ids)
    keep = ~ids.duplicated(keep="last").to_numpy()
    where = pd.Series(np.arange(n)[keep], index=ids[keep].to_numpy())
    pos = where.reindex(parents.to_numpy()).to_numpy()
    return roots(np.where(np.isnan(pos), -1, pos).astype(np.int64))


def read_twcs(path) -> list:
    """Load a twcs-layout CSV into the canonical ``comments`` table."""
    path = Path(path)
    raw = read_delimited(path)
    frame, ignored = map_columns(raw.frame, _ALIASES, path.name)
    ids, lost_id = _clean_ids(frame["tweet_id"])
    parents, lost_parent = _clean_ids(frame["in_response_to_tweet_id"])
    root = _thread_roots(ids, parents.fillna(""))
    inbound = frame["inbound"].astype("string").str.strip()
    is_brand = inbound.str.lower().map(_INBOUND).astype("string").fillna(inbound)
    comments = pd.DataFrame(
        {
            "platform": "x",
            "comment_id": ids,
            "post_id": ids.to_numpy()[root],
            "parent_id": parents,
            "author": frame["author_id"],
            "is_brand": is_brand,
            "created_at": frame["created_at"],
            "text": frame["text"],
            "source_row": frame["source_row"],
        },
        index=frame.index,
    )
    lost = lost_id | lost_parent
    rejected = [
        {
            "source_row": int(r.source_row),
            "column": "tweet_id" if lid else "in_response_to_tweet_id",
            "value": str(r.comment_id if lid else r.parent_id),
            "rule": "id",
            "reason": "the id is written in scientific notation, so its last digits are lost; "
            "export ids as text",
        }
        for r, lid in zip(comments[lost].itertuples(), lost_id[lost], strict=True)
    ]
    comments = comments[~lost]
    brands = sorted(comments.loc[is_brand[~lost].eq("true"), "author"].dropna().unique())
    notes = list(raw.notes)
    if len(brands) == 1:
        notes.append(f"{path.name}: the brand's replies are those of {brands[0]} (not inbound).")
    result = finish(
        comments,
        "comments",
        path.name,
        "twcs",
        ignored=ignored,
        rejected=raw.rejected + rejected,
        notes=notes,
        time_formats=(TIME_FORMAT, "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%d %H:%M:%S%z"),
    )
    return [result]


register_loader(
    "twcs",
    detect,
    read_twcs,
    "customer-care threads in the 'Customer Support on Twitter' (twcs) layout",
    headers=COLUMNS,
)
