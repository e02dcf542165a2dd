"""Content checks: variety and the balance of the content mix."""

from __future__ import annotations

import numpy as np

from socialkit.checks._registry import not_assessable, register_check, verdict
from socialkit.findings import Evidence
from socialkit.metrics import normalized_entropy
from socialkit.schema import FORMATS

__all__ = ["low_variety"]

#: Formats worth suggesting, most broadly useful first.
_SUGGEST = ("video", "carousel", "image", "text", "link", "live")


@register_check("content.low_variety")
def low_variety(batch, t):
    """One format dominates the posts.

    Notes
    -----
    Over all posts with a known format: fail when the top format's share >
    ``fail`` (0.95) or the normalised format entropy < ``entropy`` (0.3); warn
    when the share > ``warn`` (0.8). Entropy is normalised by the log of the
    number of formats used, so 1 is an even mix. Needs ``min_posts`` (20)
    posts with a known format. The shares describe every post in the data,
    not a sample, so no interval is needed.
    """
    counts = batch.table(batch.format, len(FORMATS))
    known = counts.sum(axis=1)
    entropy = normalized_entropy(counts)
    return [
        _judge_variety(counts[i], int(batch.n_posts[i] - known[i]), float(entropy[i]), t)
        for i in range(batch.n)
    ]


def _judge_variety(counts, unknown, entropy, t):
    known = int(counts.sum())
    if known < t["min_posts"]:
        return not_assessable(
            f"Only {known} posts with a known format; variety needs {t['min_posts']:g}.",
            f"at least {t['min_posts']:g} posts with their format",
            [Evidence("posts with a known format", known, "posts")],
        )
    order = np.argsort(-counts, kind="stable")
    shares = {FORMATS[j]: counts[j] / known for j in order if counts[j] > 0}
    top, top_share = next(iter(shares.items()))
    ev = [
        Evidence(f"share of posts that are {top}", round(top_share, 3), "share of posts", n=known),
        Evidence("formats used", len(shares), "formats", n=known),
        Evidence(
            "normalised format entropy", round(entropy, 3), "0 = one format, 1 = even", n=known
        ),
    ]
    if unknown:
        ev.append(
            Evidence("posts with unknown format (left out)", unknown, "posts", kind="context")
        )
    unused = [f for f in _SUGGEST if f not in shares][:2]
    mix = ", ".join(f"{f} {s:.0%}" for f, s in shares.items())
    advice = (
        f"Bring {' and '.join(unused) or 'the other formats'} into the mix: aim for no "
        f"format above {t['warn']:.0%} of posts and test which one your audience "
        "engages with most."
    )
    if top_share > t["fail"] or entropy < t["entropy"]:
        return verdict(
            "fail",
            f"{top_share:.0%} of your {known} posts are {top} (mix: {mix}).",
            advice,
            ev,
            excess=(top_share - t["warn"]) / (1 - t["warn"]),
        )
    if top_share > t["warn"]:
        return verdict(
            "warn",
            f"{top_share:.0%} of your {known} posts are {top} (mix: {mix}).",
            advice,
            ev,
            excess=(top_share - t["warn"]) / (t["fail"] - t["warn"]),
        )
    return verdict("ok", f"A varied mix across {len(shares)} formats ({mix}).", "", ev)
