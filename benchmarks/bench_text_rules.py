"""Benchmark: precision and recall of the promotional-text scorer and the near-duplicate rule.

Both rules were written before these labels were made, and no pattern or
threshold was changed after seeing them. The labels are not the rules'
development examples: those were the demo generator's texts and the lexicon
authors' own phrases.

**Promotional scorer** (:func:`socialkit.metrics.text.is_promotional`).
The labelled set is the 4,200 tweets of Hutto & Gilbert (2014), as in
``bench_sentiment.py`` (MIT licence; downloaded from PyPI into
``benchmarks/.cache/``, never committed). ``labels/promotional_tweets.csv``
keeps tweet ids and labels only, no text.

* Labelling rule. A tweet is *promotional* (hard sell) when it pushes a
  commercial transaction or offer: a price or discount, a sale or deal, a
  buy, order, pre-order or booking call, a free trial or free-with-purchase
  offer, a coupon, or a giveaway or contest entry promoted by the account or
  its sponsor. These are *not* promotional: personal talk about shopping or
  prices, news, and free content (a new video, song or blog post).
* How it was labelled. Positives are rare in general tweets, so the tweets
  were split into three strata:
  * every tweet the scorer flagged (39), all read;
  * every other tweet matching a broad screen of sales words (301), all read
    (the screen regex is ``SCREEN`` below);
  * a random sample (seed 2026) of 250 of the remaining 3,860, all read.

  Each labelled tweet is weighted by its stratum's size ÷ the number
  labelled in it (1, 1 and 15.44), so precision and recall estimate the
  whole set, whatever the scorer flags today. The 95 % intervals come from
  a stratified bootstrap over the labelled tweets.
* Labelled by one person (the session that ran this script), not blind to
  the scorer's output in the first stratum.

Also reported: the real exports under ``../shared/data/real`` (a Portuguese
personal account, a Vietnamese education page, English YouTube titles).
The page posts and titles were read in full: none is promotional except one
Vietnamese contest post, in a language the lexicon does not cover. The
tweets were screened for Portuguese sales words (6 hits, all personal
remarks, none promotional).

**Near-duplicate rule** (TF-IDF cosine ≥ 0.9 within a client,
:func:`socialkit.metrics.text.near_duplicate_flags`, without its platform and
48-hour conditions). Every pair of the 4,200 tweets is judged against a
mechanical truth: two texts are *copies* when they are equal after
lower-casing, removing URLs, @mentions, ``#``, "RT", punctuation and the
intensifiers Hutto & Gilbert inserted to make variants ("very", "really",
…), and collapsing repeated words. Texts left with fewer than 3 words are
copies only when their raw texts are equal up to case and spaces. The
dataset holds many deliberate variants of the same tweet ("UGH!! I HATE HATE
HATE…"), which makes it a hard test of this rule. A second, small set: the 47
distinct texts of the Vietnamese Facebook page export, whose pairs were read
by hand (2 reposts of the same text; several pairs that promote the same
video with rewritten copy, which are *not* copies).
"""

from __future__ import annotations

import csv
import re
from functools import cache
from itertools import combinations
from pathlib import Path

import numpy as np
import pandas as pd

from socialkit.metrics.sentiment.train import read_vader_tweets
from socialkit.metrics.text import is_promotional, tfidf_by_group

HERE = Path(__file__).parent
SHARED = HERE.parents[1] / "shared" / "data" / "real"
SIMILARITY = 0.9
SCREEN = re.compile(
    r"\b(sale|sales|buy|buying|price|prices|free|win|offer|offers|deal|deals|discount|shop|"
    r"order|coupon|save|cheap|\$|%|promo|subscribe|available|launch|new|check out|visit|"
    r"store|ticket|tickets)\b",
    re.I,
)
STRATUM_SIZE = {"flagged": 39, "screened": 301, "random": 3860}  # when labelled
INTENSIFIERS = {
    "very", "really", "extremely", "absolutely", "major", "uber", "super", "fucking",
    "seriously", "totally", "so", "especially", "most", "quite",
}  # fmt: skip
# Reposts of the same text in the LOK page export (post ids), read by hand.
LOK_COPIES = {
    frozenset({"1553363564876294_1934459823433331", "1553363564876294_1934455970100383"}),
    frozenset({"1553363564876294_1958383411040972", "1553363564876294_1953480078197972"}),
}


def wilson(k, n):
    from socialkit.metrics.stats import wilson_ci

    lo, hi = wilson_ci(np.array([k]), np.array([n]))
    return float(lo[0]), float(hi[0])


def promotional_on_tweets(reps: int = 2000) -> dict:
    texts = read_vader_tweets()[0]  # VADER's 4,200 rated tweets, in file order
    with (HERE / "labels" / "promotional_tweets.csv").open() as fh:
        rows = list(csv.DictReader(fh))
    idx = np.array([int(r["tweet_id"]) - 1 for r in rows])
    truth = np.array([r["promotional"] == "1" for r in rows])
    stratum = np.array([r["stratum"] for r in rows])
    weight = np.array([STRATUM_SIZE[s] / np.sum(stratum == s) for s in stratum])
    pred = np.asarray(is_promotional([texts[i] for i in idx]))
    unlabelled_flags = int(
        np.asarray(is_promotional(texts)).sum() - pred[stratum != "random"].sum()
    )

    def estimate(sel):
        w, t, p = weight[sel], truth[sel], pred[sel]
        tp, fp, fn = w[t & p].sum(), w[~t & p].sum(), w[t & ~p].sum()
        return tp / (tp + fp) if tp + fp else np.nan, tp / (tp + fn) if tp + fn else np.nan

    point = estimate(np.arange(len(rows)))
    rng = np.random.default_rng(0)
    groups = [np.flatnonzero(stratum == s) for s in STRATUM_SIZE]
    boot = np.array(
        [estimate(np.concatenate([rng.choice(g, g.size) for g in groups])) for _ in range(reps)]
    )
    lo, hi = np.nanpercentile(boot, [2.5, 97.5], axis=0)
    return {
        "labelled": len(rows),
        "positives_labelled": int(truth.sum()),
        "flagged_labelled": int(pred.sum()),
        "flagged_in_random_stratum": int(pred[stratum == "random"].sum()),
        "flags_outside_labels_since": unlabelled_flags,
        "precision": point[0],
        "precision_ci": (lo[0], hi[0]),
        "recall": point[1],
        "recall_ci": (lo[1], hi[1]),
    }


REAL_EXPORTS = {
    "X, Portuguese personal account (332 tweets)": (
        SHARED / "twitter_analytics_export_vayno_pt" / (
            "tweet_activity_metrics_vayno_20220312_20220409_pt.csv"),
    ),
    "Facebook page, Vietnamese (LOK)": tuple(
        sorted((SHARED / "facebook_insights_export_lok_2017").glob("*Post Level*.xlsx"))
    ),
    "YouTube titles, English": (SHARED / "youtube_studio_export_suuz" / "Table data.csv",),
}  # fmt: skip
LOK = "Facebook page, Vietnamese (LOK)"


@cache
def _post_texts(files: tuple[Path, ...]) -> dict[str, str]:
    """Post id → text of the posts with text in these exports (a later export wins)."""
    from socialkit.loaders import load_export

    texts = {}
    for f in files:
        for r in load_export(f):
            if r.table == "posts":
                texts.update(
                    (pid, t)
                    for pid, t in zip(r.data["post_id"], r.data["text"], strict=True)
                    if isinstance(t, str) and t.strip()
                )
    return texts


def promotional_on_real_exports() -> list[dict]:
    out = []
    for name, files in REAL_EXPORTS.items():
        texts = _post_texts(files)
        flagged = int(np.asarray(is_promotional(list(texts.values()))).sum())
        out.append({"set": name, "texts": len(texts), "flagged": flagged})
    return out


def _norm(text: str) -> str:
    t = re.sub(r"https?://\S+|@\w+|#|\brt\b", " ", text.lower())
    words = [w for w in re.sub(r"[^a-z0-9 ]", " ", t).split() if w not in INTENSIFIERS]
    words = [w for k, w in enumerate(words) if k == 0 or w != words[k - 1]]
    return " ".join(words) if len(words) >= 3 else "\x00" + " ".join(text.lower().split())


def duplicates_on_tweets() -> dict:
    texts = pd.Series(read_vader_tweets()[0])
    x = tfidf_by_group(texts, np.zeros(len(texts), dtype=int))
    sim = (x @ x.T).tocoo()
    pred = {(i, j) for i, j, v in zip(sim.row, sim.col, sim.data, strict=True)
            if i < j and v >= SIMILARITY - 1e-9}  # fmt: skip
    truth, norm = set(), texts.map(_norm)
    for members in norm.groupby(norm).indices.values():
        truth.update(combinations(sorted(members), 2))
    tp = len(pred & truth)
    fps = sorted(pred - truth)
    return {
        "pairs": len(texts) * (len(texts) - 1) // 2,
        "copies": len(truth),
        "flagged": len(pred),
        "tp": tp,
        "precision": tp / len(pred),
        "precision_ci": wilson(tp, len(pred)),
        "recall": tp / len(truth),
        "recall_ci": wilson(tp, len(truth)),
        "fp_examples": [(texts[i][:50], texts[j][:50]) for i, j in fps[:3]],
        "fn_examples": [(texts[i][:50], texts[j][:50]) for i, j in sorted(truth - pred)[:3]],
    }


def duplicates_on_lok() -> dict:
    texts = _post_texts(REAL_EXPORTS[LOK])
    ids = list(texts)
    x = tfidf_by_group(pd.Series([texts[i] for i in ids]), np.zeros(len(ids), dtype=int))
    sim = (x @ x.T).toarray()
    pred = {frozenset({ids[i], ids[j]}) for i, j in combinations(range(len(ids)), 2)
            if sim[i, j] >= SIMILARITY - 1e-9}  # fmt: skip
    tp = len(pred & LOK_COPIES)
    return {"texts": len(ids), "pairs": len(ids) * (len(ids) - 1) // 2, "copies": len(LOK_COPIES),
            "flagged": len(pred), "tp": tp, "recall_ci": wilson(tp, len(LOK_COPIES))}  # fmt: skip


def main() -> None:
    p = promotional_on_tweets()
    print("Promotional scorer on 4,200 general tweets (Hutto & Gilbert 2014), stratified labels")
    print(f"  labelled {p['labelled']} tweets, {p['positives_labelled']} promotional")
    print(f"  precision {p['precision']:.2f} (95% CI {p['precision_ci'][0]:.2f}–"
          f"{p['precision_ci'][1]:.2f})   recall {p['recall']:.2f} (95% CI "
          f"{p['recall_ci'][0]:.2f}–{p['recall_ci'][1]:.2f})")  # fmt: skip
    if p["flags_outside_labels_since"] > 0:
        print(
            f"  warning: {p['flags_outside_labels_since']} flagged tweets outside the labelled"
            " strata (the lexicon changed since labelling); label them for exact figures"
        )
    for r in promotional_on_real_exports():
        print(f"  real export — {r['set']}: {r['flagged']} of {r['texts']} texts flagged")
    d = duplicates_on_tweets()
    print(f"Near-duplicate rule (TF-IDF cosine ≥ {SIMILARITY}) on all {d['pairs']:,} tweet pairs")
    print(f"  copies by the mechanical truth {d['copies']}, flagged {d['flagged']}, both {d['tp']}")
    print(f"  precision {d['precision']:.2f} (Wilson 95% CI {d['precision_ci'][0]:.2f}–"
          f"{d['precision_ci'][1]:.2f})   recall {d['recall']:.2f} ({d['recall_ci'][0]:.2f}–"
          f"{d['recall_ci'][1]:.2f})")  # fmt: skip
    print(f"  e.g. false copies: {d['fp_examples']}")
    print(f"  e.g. missed copies: {d['fn_examples']}")
    lok = duplicates_on_lok()
    print(f"  LOK page export: {lok['texts']} texts, {lok['pairs']} pairs, {lok['copies']} reposts; "
          f"flagged {lok['flagged']}, of which reposts {lok['tp']} (recall CI "
          f"{lok['recall_ci'][0]:.2f}–{lok['recall_ci'][1]:.2f})")  # fmt: skip


if __name__ == "__main__":
    main()
