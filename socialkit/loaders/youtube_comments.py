"""YouTube comment threads as saved from the YouTube Data API v3 (``commentThreads.list``).

Source of the layout: the API reference of the ``commentThread`` and
``comment`` resources (developers.google.com/youtube/v3/docs/commentThreads
and …/comments). Tools that archive a channel's comments save these
responses as JSON; the loader reads a single response
(``{"kind": "youtube#commentThreadListResponse", "items": […]}``), a JSON
list of responses or of threads, or JSON Lines with one response or thread
per line. No real sample is in ``shared/data/real``; the fixture is written
to the reference.

Mapping to the canonical ``comments`` table (platform ``youtube``):

* the thread's ``topLevelComment`` and each comment in ``replies.comments``
  become rows; ``comment_id`` = the comment's ``id``; ``parent_id`` = the
  reply's ``snippet.parentId`` (else the top-level comment's id);
* ``post_id`` = the thread's ``snippet.videoId`` (a channel discussion
  without a video gets ``channel:<channelId>``);
* ``is_brand`` = the author's ``authorChannelId.value`` equals the thread's
  ``snippet.channelId`` (the channel that owns the video); ``author`` = the
  author's channel id (else display name), pseudonymised on load for
  everyone but the brand;
* ``created_at`` = ``publishedAt`` (RFC 3339 with offset); ``text`` =
  ``textOriginal``, else ``textDisplay`` (which may hold HTML).

``source_row`` is the comment's position in the file (JSON has no rows): 1 for
the first comment read, and so on; a thread that is not an object or lacks
its top-level comment is quarantined at its position. In JSON Lines, a line
that is not valid JSON is quarantined with its line number.

Known limit: a ``commentThread`` carries at most a few of its replies (the
API says it "does not necessarily contain all replies"); where
``totalReplyCount`` is larger than the replies present the loader says so in
a note, because brand replies may be missing and reply rates understated —
fetch the rest with ``comments.list`` and add them to the file.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from socialkit.loaders._mapping import finish
from socialkit.loaders._read import decode
from socialkit.loaders._registry import ExportError, register_loader
from socialkit.schema import TABLES

__all__ = ["read_youtube_comments"]

_MARK = b'"youtube#commentThread'


def detect(path: Path, header) -> bool:
    with Path(path).open("rb") as fh:
        head = fh.read(65536).lstrip(b"\xef\xbb\xbf \t\r\n")
    return head[:1] in (b"{", b"[") and _MARK in head


def _documents(text: str, name: str) -> tuple[list, list[dict]]:
    """Parsed JSON values: the whole file, else one per line (JSON Lines)."""
    try:
        return [json.loads(text)], []
    except json.JSONDecodeError as whole:
        docs, bad = [], []
        lines = text.splitlines()
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                docs.append(json.loads(line))
            except json.JSONDecodeError as exc:
                bad.append((number, exc.msg))
        if not docs:
            raise ExportError(
                f"{name}: not valid JSON (line {whole.lineno}, column {whole.colno}: "
                f"{whole.msg}); expected a commentThreads.list response."
            ) from whole
        rejected = [
            {
                "source_row": number,
                "column": "*",
                "value": lines[number - 1][:60],
                "rule": "json",
                "reason": f"line {number} is not valid JSON ({msg}); the line was set aside",
            }
            for number, msg in bad
        ]
        return docs, rejected


def _threads(doc) -> list:
    if isinstance(doc, list):
        return [t for d in doc for t in _threads(d)]
    if isinstance(doc, dict) and "items" in doc:
        return list(doc["items"]) if isinstance(doc["items"], list) else [doc["items"]]
    return [doc]


def _row(comment: dict, thread: dict, parent) -> dict:
    s = comment.get("snippet") or {}
    author = (s.get("authorChannelId") or {}).get("value")
    owner = thread.get("channelId")
    video = thread.get("videoId") or (f"channel:{owner}" if owner else None)
    return {
        "platform": "youtube",
        "comment_id": comment.get("id"),
        "post_id": video,
        "parent_id": s.get("parentId") or parent,
        "author": author or s.get("authorDisplayName"),
        "is_brand": None if not (author and owner) else str(author == owner).lower(),
        "created_at": s.get("publishedAt"),
        "text": s.get("textOriginal") or s.get("textDisplay"),
    }


def read_youtube_comments(path) -> list:
    """Load saved ``commentThreads.list`` responses into the canonical ``comments`` table."""
    path = Path(path)
    text, notes = decode(path.read_bytes(), path.name)
    docs, rejected = _documents(text.lstrip("\ufeff"), path.name)
    rows, numbers, partial, pos = [], [], 0, 0
    for thread in (t for d in docs for t in _threads(d)):
        snippet = thread.get("snippet") if isinstance(thread, dict) else None
        top = (snippet or {}).get("topLevelComment")
        if not isinstance(top, dict):
            pos += 1
            rejected.append(
                {
                    "source_row": pos,
                    "column": "snippet.topLevelComment",
                    "value": str(thread)[:60],
                    "rule": "thread",
                    "reason": "a comment thread without its top-level comment; expected a "
                    "youtube#commentThread resource",
                }
            )
            continue
        replies = (thread.get("replies") or {}).get("comments") or []
        for comment in [top, *(r for r in replies if isinstance(r, dict))]:
            pos += 1
            rows.append(_row(comment, snippet, None if comment is top else top.get("id")))
            numbers.append(pos)
        if int(snippet.get("totalReplyCount") or 0) > len(replies):
            partial += 1
    columns = [c.name for c in TABLES["comments"] if c.name != "sentiment"]
    frame = pd.DataFrame(rows, columns=columns, dtype="string")
    frame["source_row"] = pd.array(numbers, dtype="Int64")
    if partial:
        notes.append(
            f"{path.name}: {partial} thread(s) have more replies (totalReplyCount) than the file "
            "holds; brand replies may be missing, so reply rates can be understated. Fetch "
            "them with comments.list (parentId) and add them."
        )
    return [
        finish(frame, "comments", path.name, "youtube_comments", rejected=rejected, notes=notes)
    ]


register_loader(
    "youtube_comments",
    detect,
    read_youtube_comments,
    "YouTube Data API v3 commentThreads.list responses saved as JSON or JSON Lines",
)
