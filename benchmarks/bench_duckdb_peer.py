"""Benchmark: the numeric catalogue against a DuckDB peer computing the same statistics.

A data engineer asked for "per-client engagement statistics over 10 M posts" would
write a handful of SQL queries. This script times, in the same run and on the same
Parquet file (the seeded multi-client posts table of ``bench_diagnose_all.make_posts``):

* **socialkit**: every numeric check of the catalogue (all but the three text checks)
  via :func:`socialkit.checks.run_batch` on an in-memory :class:`~socialkit.batch.Batch`
  — the numeric case of ``bench_diagnose_all.py``, timed after the frame is read;
* **the DuckDB peer**: seven queries on an in-memory table (the Parquet file loaded
  into DuckDB first, not timed), computing per client what the numeric catalogue needs:

  1. the median interactions per client and platform (the normaliser);
  2. relative engagement per post (interactions ÷ that median; materialised);
  3. top-5 % share and Gini of relative engagement per client;
  4. median engagement rate by followers per client and platform (last 26 weeks);
  5. median engagement rate per client, platform and format;
  6. weekly post counts per client (whole 7-day bins back from the window end to the
     first post) and their coefficient of variation (sd/mean);
  7. follower growth per client (summed last ÷ summed first count of each platform).

  DuckDB runs with its default threads (all cores) and, as a second figure, with one
  thread (``run_batch`` computes on one core);
* as a breakdown (not the goal): the numeric checks without ``market.peer_position``,
  whose bootstrap of every client's mean rate was most of the time until its interval was
  computed where the resampling law is near-normal
  (:func:`socialkit.metrics.stats.mean_ci`; 400 resamples remain where a few posts rule it).

Each side runs ``BENCH_REPEAT`` (default 1) fresh interpreters, alternating, and the
fastest run counts. Then the two are checked against each other on the first
``BENCH_AGREE`` clients (default 3): the median engagement rate per platform, the
top-5 % share, the Gini, the coefficient of variation of weekly posts and the follower
growth that the catalogue's findings report (their evidence, rounded as printed) must
equal DuckDB's, rounded the same way.

Sizes: ``BENCH_CLIENTS`` (default 200) and ``BENCH_POSTS`` (default 400,000): about ten
seconds on the 2-core machine (catalogue 0.47 s, DuckDB 0.37 s, 2026-12-03). The issue's
case, ``BENCH_CLIENTS=1000 BENCH_POSTS=10000000 BENCH_REPEAT=2``, took under three minutes
there (catalogue 5.46 s, DuckDB 6.40 s: 0.85x), and needs several GiB in the catalogue's
process (a ~1.3 GiB frame, pyarrow's reader peaking at about 3x it), a little less in
DuckDB's.

Needs DuckDB (``pip install -e '.[bench]'``); without it the script says so and exits 0.
"""

from __future__ import annotations

import os
import sys
import tempfile
from math import nan
from pathlib import Path

try:
    import duckdb
except ImportError:  # a benchmark-only dependency: skip, don't fail
    duckdb = None

from _common import run_json
from bench_diagnose_all import _CHECKS, END, NUMERIC_CHECKS, make_posts

CLIENTS = int(os.environ.get("BENCH_CLIENTS", 200))
POSTS = int(os.environ.get("BENCH_POSTS", 400_000))
REPEAT = int(os.environ.get("BENCH_REPEAT", 1))
AGREE = int(os.environ.get("BENCH_AGREE", 3))
#: The check that dominated the catalogue's time while it drew 400 resamples of every client
#: (about 37 of 46 s on 400,000 posts, each check timed alone; 0.06-0.08 s since its interval
#: is computed where it can be): printed apart as a breakdown, the goal is on the whole catalogue.
BOOTSTRAP_ALL = "market.peer_position"

# Per post, as the catalogue defines them (socialkit.batch.Batch): interactions are the
# known parts of reactions + comments + shares (NULL when none is known); the rate is by
# followers when posted; the week is the whole 7-day bin counted back from the window end.
PREPARE = """
CREATE VIEW p AS SELECT
    client, platform, format, published_at,
    CASE WHEN reactions IS NULL AND comments IS NULL AND shares IS NULL THEN NULL
         ELSE coalesce(reactions, 0) + coalesce(comments, 0) + coalesce(shares, 0) END AS inter,
    followers AS fol,
    (epoch_us(TIMESTAMPTZ '{end}') - epoch_us(published_at)) / 86400e6 AS age_days,
    CAST(ceil((epoch_us(TIMESTAMPTZ '{end}') - epoch_us(published_at)) / 86400e6 / 7) AS BIGINT)
        - 1 AS week
FROM posts;
"""

QUERIES = {
    "platform medians": """
CREATE TEMP TABLE med AS
SELECT client, platform, median(inter) AS m FROM p WHERE inter IS NOT NULL GROUP BY ALL""",
    "relative engagement": """
CREATE TEMP TABLE rel AS
SELECT client, platform, format, inter / m AS rel
FROM p JOIN med USING (client, platform) WHERE m > 0 AND inter IS NOT NULL""",
    "top-5 % share, Gini": """
WITH s AS (
    SELECT client, rel,
           row_number() OVER (PARTITION BY client ORDER BY rel DESC) AS r,
           count(*) OVER (PARTITION BY client) AS n
    FROM rel)
SELECT client, any_value(n) AS n,
       sum(rel) FILTER (WHERE r <= greatest(ceil(0.05 * n), 1)) / sum(rel) AS top_share,
       2 * sum((n - r + 1) * rel) / (any_value(n) * sum(rel))
           - (any_value(n) + 1) / any_value(n) AS gini
FROM s GROUP BY client""",
    "rate median per platform": """
SELECT client, platform, count(*) AS n, median(inter / fol) AS er
FROM p WHERE fol > 0 AND inter IS NOT NULL AND age_days <= 7 * 26 GROUP BY ALL""",
    "rate median per platform, format": """
SELECT client, platform, format, count(*) AS n, median(inter / fol) AS er
FROM p WHERE fol > 0 AND inter IS NOT NULL GROUP BY ALL""",
    "weekly posts, CV": """
WITH w AS (SELECT client, week, count(*) AS c FROM p WHERE week >= 0 GROUP BY ALL),
grid AS (  -- the whole weeks from the first post to the window end
    SELECT client, unnest(range(CAST(floor(max(age_days) / 7) AS BIGINT))) AS week
    FROM p GROUP BY client)
SELECT client, count(*) AS weeks, avg(coalesce(c, 0)) AS mean,
       stddev_pop(coalesce(c, 0)) / avg(coalesce(c, 0)) AS cv
FROM grid LEFT JOIN w USING (client, week) GROUP BY client""",
    "follower growth": """
WITH f AS (
    SELECT client, platform, arg_min(fol, published_at) AS first,
           arg_max(fol, published_at) AS last
    FROM p WHERE fol > 0 GROUP BY ALL)
SELECT client, sum(last) / sum(first) - 1 AS growth FROM f GROUP BY client""",
}

_DUCK = """
import json, sys, time
import duckdb
threads, queries, prepare, agree = {threads}, {queries!r}, {prepare!r}, {agree}
con = duckdb.connect()
if threads:
    con.execute(f"SET threads = {{threads}}")
con.execute(  # microseconds: DuckDB's timestamp functions do not take TIMESTAMPTZ_NS
    "CREATE TABLE posts AS SELECT * REPLACE (CAST(published_at AS TIMESTAMPTZ) AS published_at)"
    " FROM read_parquet(?)", [sys.argv[1]])
con.execute(prepare)
t = time.perf_counter()
out = {{name: con.sql(q).fetchnumpy() if q.lstrip().startswith(("WITH", "SELECT"))
        else con.execute(q) for name, q in queries.items()}}
secs = time.perf_counter() - t
def rows(name, keys):
    r = out[name]
    return [[str(x) if k in ("platform", "format") else float(x) for k, x in zip(keys, vals)]
            for vals in zip(*(r[k] for k in keys)) if int(vals[0]) < agree]
sample = {{
    "er": rows("rate median per platform", ["client", "platform", "er"]),
    "conc": rows("top-5 % share, Gini", ["client", "top_share", "gini"]),
    "cv": rows("weekly posts, CV", ["client", "cv"]),
    "growth": rows("follower growth", ["client", "growth"]),
    "threads": con.execute("SELECT current_setting('threads')").fetchall()[0][0],
}}
print(json.dumps({{"seconds": secs, "sample": sample}}))
"""

# appended to bench_diagnose_all's catalogue script: the evidence the comparison needs
_SAMPLE = """
def evidence(i, check, prefix):
    f = next(f for f in found[i] if f.check == check)
    return [(e.name, e.value) for e in f.evidence if e.name.startswith(prefix)]
sample = {{"er": [], "conc": [], "cv": [], "growth": []}}
for i in range(min({agree}, len(found))):
    for name, v in evidence(i, "platform.underperforming", "median engagement rate on "):
        sample["er"].append([i, name.rsplit(" ", 1)[1], v])
    share = evidence(i, "kpi.virality_dependence", "share of engagement from the top")
    gini = evidence(i, "kpi.virality_dependence", "Gini of engagement")
    if share and gini:
        sample["conc"].append([i, share[0][1], gini[0][1]])
    for _, v in evidence(i, "strategy.irregular_cadence", "coefficient of variation"):
        sample["cv"].append([i, v])
    for _, v in evidence(i, "kpi.quantity_over_quality", "follower growth over"):
        sample["growth"].append([i, v])
print(json.dumps({{"seconds": secs, "errors": errors, "sample": sample}}))
"""


def _catalogue(path: Path, ids=NUMERIC_CHECKS) -> dict:
    script = _CHECKS.format(end=END.isoformat(), clients=CLIENTS, ids=repr(ids))
    return run_json(script + _SAMPLE.format(agree=AGREE), path)


def _duckdb(path: Path, threads: int = 0) -> dict:
    prepare = PREPARE.format(end=END.isoformat())
    return run_json(
        _DUCK.format(threads=threads, queries=QUERIES, prepare=prepare, agree=AGREE), path
    )


def _sig3(x: float) -> float:
    return float(f"{x:.3g}")


def agreement(ours: dict, peer: dict) -> list[str]:
    """Lines comparing the catalogue's evidence with DuckDB's figures, rounded as the
    evidence is (rates to 3 significant digits, shares, Gini, CV and growth to 3 decimals).
    A line starts with '!' when they differ."""
    lines = []

    def line(what, a, b):
        lines.append(f"  {'ok' if a == b else '! differ'}: {what}: socialkit {a}, DuckDB {b}")

    peer_er = {(int(c), p): er for c, p, er in peer["er"]}
    for c, plat, v in ours["er"]:
        line(f"client {c} median engagement rate on {plat}", v, _sig3(peer_er.get((c, plat), nan)))
    peer_conc = {int(c): (s, g) for c, s, g in peer["conc"]}
    for c, s, g in ours["conc"]:
        share, gini = peer_conc.get(c, (nan, nan))
        line(f"client {c} top-5 % share", s, round(share, 3))
        line(f"client {c} Gini", g, round(gini, 3))
    for key, what in (("cv", "CV of weekly posts"), ("growth", "follower growth")):
        peer_v = {int(c): v for c, v in peer[key]}
        for c, v in ours[key]:
            line(f"client {c} {what}", v, round(peer_v.get(c, nan), 3))
    return lines


def main() -> int:
    if duckdb is None:
        print(
            "bench_duckdb_peer: skipped, DuckDB is not installed "
            "(pip install -e '.[bench]' or pip install 'duckdb>=1.0')."
        )
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "posts.parquet"
        make_posts(path, CLIENTS, POSTS)
        runs = []
        for _ in range(REPEAT):  # alternating, so a slow spell of the machine hits both
            runs.append(
                (
                    _catalogue(path),
                    _duckdb(path),
                    _duckdb(path, threads=1),
                    _catalogue(path, [c for c in NUMERIC_CHECKS if c != BOOTSTRAP_ALL]),
                )
            )
        frame_mib = os.path.getsize(path) / 2**20
    ours = min((r[0] for r in runs), key=lambda r: r["seconds"])
    peer = min((r[1] for r in runs), key=lambda r: r["seconds"])
    peer1 = min((r[2] for r in runs), key=lambda r: r["seconds"])
    rest = min((r[3] for r in runs), key=lambda r: r["seconds"])
    ratio = ours["seconds"] / peer["seconds"]
    print(
        f"numeric catalogue vs a DuckDB peer: {CLIENTS:,} clients, {POSTS:,} posts "
        f"(Parquet {frame_mib:.0f} MiB), best of {REPEAT} fresh runs each"
    )
    print(f"  socialkit run_batch, {len(NUMERIC_CHECKS)} numeric checks : {ours['seconds']:7.2f} s")
    print(
        f"  DuckDB, {len(QUERIES)} queries, {peer['sample']['threads']} threads (default)  : "
        f"{peer['seconds']:7.2f} s   ratio socialkit/DuckDB {ratio:.2f}x "
        f"(goal <= 1.0x: {'met' if ratio <= 1.0 else 'missed'})"
    )
    print(
        f"  DuckDB, {len(QUERIES)} queries, 1 thread             : {peer1['seconds']:7.2f} s   "
        f"ratio socialkit/DuckDB {ours['seconds'] / peer1['seconds']:.2f}x"
    )
    print(  # where the gap is: not part of the goal, a breakdown of it
        f"  without {BOOTSTRAP_ALL} ({len(NUMERIC_CHECKS) - 1} checks)  : "
        f"{rest['seconds']:7.2f} s   ratio to DuckDB (default) {rest['seconds'] / peer['seconds']:.2f}x"
        f" (that check's interval of each client's mean rate on its competitors' platforms:"
        " computed where near-normal, else 400 resamples)"
    )
    if ours["errors"]:
        print(f"  ! {ours['errors']} findings were internal errors")
    lines = agreement(ours["sample"], peer["sample"])
    bad = sum(line.startswith("  !") for line in lines)
    print(
        f"  agreement on the first {AGREE} clients: {len(lines) - bad} of {len(lines)} "
        "figures equal as printed"
    )
    print("\n".join(lines))
    return 1 if bad else 0  # a peer that computes something else measures nothing


if __name__ == "__main__":
    sys.exit(main())
