"""Bundled benchmark tables, each row with its ``source``.

* ``engagement.csv`` — engagement rate and posts per week per platform and
  industry from Rival IQ's Social Media Industry Benchmark Reports (2023,
  2024, 2025 editions). Their engagement rate is (likes/reactions + comments
  (+ shares on Facebook, TikTok and X)) per post ÷ followers, the median
  across the companies in the report. Only figures we could read in a
  published source are included; LinkedIn and YouTube have no row, so checks
  needing them say ``not_assessable``.
* ``platform_age.csv`` — share of US adults who use each platform by age band,
  Pew Research Center, "Americans' Social Media Use" (31 January 2024;
  survey of 5,733 adults, 19 May – 5 September 2023). Cells we could not read
  in a published source are left out.
* ``shares.csv`` — shares per post per 1,000 followers by platform: no
  citable published figure was found, so the table has a header and no rows.

Never add a row without a source a reader can check.
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files

import pandas as pd

__all__ = [
    "PEW_BANDS",
    "engagement_table",
    "engagement_benchmark",
    "platform_age_table",
    "age_reach",
    "shares_table",
]

#: Pew's age bands as inclusive (low, high) ages.
PEW_BANDS = {"18-29": (18, 29), "30-49": (30, 49), "50-64": (50, 64), "65+": (65, 99)}


@cache
def _read(name: str) -> pd.DataFrame:
    with files(__name__).joinpath(name).open("r", encoding="utf-8") as fh:
        table = pd.read_csv(fh, keep_default_na=True)
    if "source" not in table.columns or table["source"].isna().any():
        raise ValueError(f"benchmark table {name}: every row needs a source.")
    return table


def engagement_table() -> pd.DataFrame:
    """The engagement-rate benchmark table (copy)."""
    return _read("engagement.csv").copy()


def shares_table() -> pd.DataFrame:
    """The shares-per-follower benchmark table (copy; currently empty)."""
    return _read("shares.csv").copy()


def platform_age_table() -> pd.DataFrame:
    """The platform-use-by-age table (copy)."""
    return _read("platform_age.csv").copy()


def engagement_benchmark(platform: str, industry: str | None) -> dict | None:
    """The benchmark row for a platform: the client's industry if the table has it,
    else all industries; the latest report year. None when there is no row."""
    row = _engagement_row(platform, industry or "")
    return None if row is None else dict(row)


@cache
def _records(name: str) -> tuple[dict, ...]:
    """The rows of a benchmark table as dicts of Python values (a handful of rows: looked
    up in Python, not through a DataFrame mask per question)."""
    return tuple(_read(name).to_dict("records"))


@cache  # checks ask once per client and platform: a thousand clients, a dozen answers
def _engagement_row(platform: str, industry: str) -> dict | None:
    rows = [r for r in _records("engagement.csv") if r["platform"] == platform]
    pick = [r for r in rows if r["industry"] == industry] or [
        r for r in rows if r["industry"] == "all_industries"
    ]
    if not pick:
        return None
    latest = max(r["year"] for r in pick)  # the last row of the latest year, in table order
    return dict([r for r in pick if r["year"] == latest][-1])


def _band_range(band: str) -> tuple[int, int]:
    if band.endswith("+"):
        return int(band[:-1]), 99
    lo, hi = band.split("-")
    return int(lo), int(hi)


def age_reach(platform: str, bands) -> tuple[float | None, list[str]]:
    """Share of people in the target age ``bands`` who use ``platform``.

    Each client band (e.g. ``25-34``) is split over the Pew bands it overlaps
    in proportion to the years in common; the bands are weighted equally.

    Returns
    -------
    (share, sources) : share is None when a needed Pew cell is not in the
    table, or when a band lies outside the survey (under 18).
    """
    share, used = _age_reach(platform, tuple(bands))
    return share, list(used)


@cache  # checks ask once per client and platform: a thousand clients, a dozen answers
def _age_reach(platform: str, bands: tuple) -> tuple[float | None, tuple[str, ...]]:
    cells = _age_cells(platform)
    total, used = 0.0, set()
    for band in bands:
        lo, hi = _band_range(band)
        years = hi - lo + 1
        part = 0.0
        for pew, (plo, phi) in PEW_BANDS.items():
            common = min(hi, phi) - max(lo, plo) + 1
            if common <= 0:
                continue
            if pew not in cells:
                return None, ()
            part += cells[pew][0] * common
            used.add(cells[pew][1])
        covered = sum(max(0, min(hi, phi) - max(lo, plo) + 1) for plo, phi in PEW_BANDS.values())
        if covered < years:
            return None, ()
        total += part / years
    return total / len(bands), tuple(sorted(used))


@cache
def _age_cells(platform: str) -> dict:
    return {
        r["age_band"]: (r["share_using"], r["source"])
        for r in _records("platform_age.csv")
        if r["platform"] == platform
    }
