"""``client.yaml``: the client's profile, parsed strictly.

Unknown keys, wrong types and bad enum values raise :class:`ProfileError` naming
the key, what was found and what is allowed.

``brand_accounts`` names the brand's own accounts: a mapping platform → list of
handles or ids (``{x: ["@AcmeHelp", "115858"], instagram: [acme]}``) or a plain
list for every platform. It is stored as ``Profile.brand_accounts``, a
``dict[str, tuple[str, ...]]`` (the plain list under ``"any"``; ``{}`` when
absent) and applied by :mod:`socialkit.brands`. Unknown KPI names are not an
error: they are kept and reported as warnings suggesting the closest known name.
"""

from __future__ import annotations

import datetime as dt
import difflib
import os
import reprlib
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from socialkit.limits import LimitError, check_size, limit
from socialkit.paths import UnsafeFileError, inside_file, printable
from socialkit.safeyaml import load_yaml
from socialkit.schema import PLATFORMS
from socialkit.zones import valid_zone

__all__ = [
    "Profile",
    "ProfileError",
    "parse_profile",
    "read_profile",
    "load_yaml",
    "KPIS",
    "OBJECTIVES",
    "AGE_BANDS",
    "FOUNDATION_ITEMS",
    "KPI_REVIEW",
]

OBJECTIVES = ("awareness", "engagement", "traffic", "leads", "sales", "loyalty", "support")
KPIS = (
    "followers",
    "follower_growth",
    "likes",
    "reactions",
    "impressions",
    "reach",
    "views",
    "video_views",
    "engagement_rate",
    "comments",
    "replies",
    "shares",
    "saves",
    "mentions",
    "share_of_voice",
    "clicks",
    "click_through_rate",
    "conversions",
    "leads",
    "sales",
    "revenue",
    "response_time",
    "response_rate",
    "sentiment",
    "repeat_commenters",
    "advocates",
)
#: Abbreviations analysts write, mapped to the vocabulary (used for suggestions).
KPI_ALIASES = {
    "ctr": "click_through_rate",
    "er": "engagement_rate",
    "engagement": "engagement_rate",
    "fans": "followers",
    "page_likes": "followers",
    "sov": "share_of_voice",
    "views_count": "views",
    "retweets": "shares",
    "reposts": "shares",
}
AGE_BANDS = ("13-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+")
KPI_REVIEW = ("none", "monthly", "weekly")
FOUNDATION_ITEMS = (
    "tone_of_voice",
    "content_calendar",
    "response_policy",
    "kpi_review",
    "trained_staff",
    "scheduling_tool",
)
COMPETITOR_KEYS = ("name", "platform", "followers", "posts_per_week", "engagement_rate")
TOP_KEYS = (
    "name",
    "industry",
    "objective",
    "kpis",
    "platforms",
    "audience",
    "strategy_start",
    "evaluation_weeks",
    "foundations",
    "competitors",
    "thresholds",
    "timezone",
    "brand_accounts",
)


class ProfileError(ValueError):
    """client.yaml is invalid; the message names the key and what is allowed."""


@dataclass
class Profile:
    """A client's profile as declared in client.yaml (see DESIGN.md)."""

    name: str
    industry: str | None = None
    objective: str | None = None
    kpis: list[str] | None = None
    platforms: list[str] | None = None
    audience_age: list[str] | None = None
    audience_regions: list[str] | None = None
    strategy_start: dt.date | None = None
    evaluation_weeks: float | None = None
    foundations: dict | None = None
    competitors: list[dict] = field(default_factory=list)
    thresholds: dict = field(default_factory=dict)
    timezone: str | None = None
    brand_accounts: dict[str, tuple[str, ...]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def unknown_kpis(self) -> list[str]:
        return [k for k in (self.kpis or []) if k not in KPIS]


def _show(value) -> str:
    """A short, one-line repr of a YAML value (never the whole of a crafted structure)."""
    return printable(_REPR.repr(value), 80)


_REPR = reprlib.Repr()
_REPR.maxlevel, _REPR.maxlist, _REPR.maxdict, _REPR.maxstring, _REPR.maxother = 2, 4, 4, 60, 60


def _err(src, key, found, allowed):
    return ProfileError(f"{src}, key {_show(key)}: found {_show(found)}; allowed: {allowed}.")


def _check_keys(src, where, mapping, allowed):
    if not isinstance(mapping, dict):
        raise _err(src, where, mapping, f"a mapping with keys {', '.join(allowed)}")
    unknown = [k for k in mapping if k not in allowed]
    if unknown:
        hint = difflib.get_close_matches(_show(unknown[0]), allowed, n=1)
        raise ProfileError(
            f"{src}: unknown key {where + '.' if where else ''}{_show(unknown[0])}"
            + (f" (did you mean {hint[0]!r}?)" if hint else "")
            + f"; allowed keys: {', '.join(allowed)}."
        )


def _enum(src, key, value, allowed):
    if not isinstance(value, str) or value.strip().lower() not in allowed:
        raise _err(src, key, value, ", ".join(allowed))
    return value.strip().lower()


def _str(src, key, value):
    if not isinstance(value, str) or not value.strip():
        raise _err(src, key, value, "a non-empty text")
    return value.strip()


def _number(src, key, value, lo=0.0, hi=None, integer=False):
    ok = isinstance(value, int | float) and not isinstance(value, bool)
    if ok and integer and value != int(value):
        ok = False
    if ok and (value < lo or (hi is not None and value > hi)):
        ok = False
    if not ok:
        what = "an integer" if integer else "a number"
        rng = f" between {lo} and {hi}" if hi is not None else f" ≥ {lo}"
        raise _err(src, key, value, what + rng)
    return value


def _bool(src, key, value):
    if not isinstance(value, bool):
        raise _err(src, key, value, "true or false")
    return value


def _list(src, key, value):
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        raise _err(src, key, value, "a list, e.g. [a, b]")
    return value


def _date(src, key, value):
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value if isinstance(value, str) else "")
    except ValueError:
        raise _err(src, key, value, "a date such as 2026-03-02") from None


def _kpi_warning(name: str) -> str | None:
    if name in KPIS:
        return None
    guess = KPI_ALIASES.get(name.lower().replace(" ", "_"))
    close = [guess] if guess else difflib.get_close_matches(name.lower(), KPIS, n=3, cutoff=0.5)
    hint = f"; did you mean {', '.join(close)}?" if close else ""
    return f"KPI {name!r} is not in the KPI vocabulary and is ignored by the checks{hint}"


def _brand_accounts(src, value) -> dict[str, tuple[str, ...]]:
    """``brand_accounts:`` as {platform: handles}; a plain list is stored under "any"."""
    if isinstance(value, str | list):
        items = {"any": value}
    elif isinstance(value, dict):
        items = {}
        for k, v in value.items():
            items[_enum(src, f"brand_accounts.{k}", k, PLATFORMS)] = v
    else:
        raise _err(
            src,
            "brand_accounts",
            value,
            "a list of handles or ids, or a mapping platform -> list, e.g. "
            '{x: ["@AcmeHelp", "115858"], instagram: [acme]}',
        )
    out = {}
    for plat, handles in items.items():
        where = "brand_accounts" if plat == "any" else f"brand_accounts.{plat}"
        handles = _list(src, where, handles)
        out[plat] = tuple(
            _str(src, f"{where}[{i}]", h if isinstance(h, str) else str(h))
            for i, h in enumerate(handles)
            if h is not None
        )
    return {k: v for k, v in out.items() if v}


def parse_profile(data, src: str = "client.yaml") -> Profile:
    """Validate a client.yaml mapping and return a :class:`Profile`.

    Parameters
    ----------
    data : dict
        The parsed YAML document.
    src : str
        Name used in error messages.

    Raises
    ------
    ProfileError
    """
    if data is None:
        raise ProfileError(f"{src}: the file is empty; it needs at least `name: <client name>`.")
    _check_keys(src, "", data, TOP_KEYS)
    if "name" not in data:
        raise ProfileError(f"{src}: the key 'name' is required (the client's display name).")
    p = Profile(name=_str(src, "name", data["name"]))
    if data.get("industry") is not None:
        p.industry = _str(src, "industry", data["industry"]).lower()
    if data.get("objective") is not None:
        p.objective = _enum(src, "objective", data["objective"], OBJECTIVES)
    if data.get("kpis") is not None:
        p.kpis = [
            _str(src, f"kpis[{i}]", k) for i, k in enumerate(_list(src, "kpis", data["kpis"]))
        ]
        p.kpis = [k.lower() if k.lower() in KPIS else k for k in p.kpis]
        p.warnings += [w for w in map(_kpi_warning, p.kpis) if w]
    if data.get("platforms") is not None:
        p.platforms = [
            _enum(src, f"platforms[{i}]", v, PLATFORMS)
            for i, v in enumerate(_list(src, "platforms", data["platforms"]))
        ]
    if data.get("audience") is not None:
        aud = data["audience"]
        _check_keys(src, "audience", aud, ("age", "regions"))
        if aud.get("age") is not None:
            p.audience_age = [
                _enum(src, f"audience.age[{i}]", str(v) if isinstance(v, int) else v, AGE_BANDS)
                for i, v in enumerate(_list(src, "audience.age", aud["age"]))
            ]
        if aud.get("regions") is not None:
            p.audience_regions = [
                _str(src, f"audience.regions[{i}]", v).upper()
                for i, v in enumerate(_list(src, "audience.regions", aud["regions"]))
            ]
    if data.get("timezone") is not None:
        p.timezone = _str(src, "timezone", data["timezone"])
        if not valid_zone(p.timezone):
            raise _err(
                src,
                "timezone",
                p.timezone,
                "an IANA time zone such as Europe/London or America/Sao_Paulo",
            )
    if data.get("brand_accounts") is not None:
        p.brand_accounts = _brand_accounts(src, data["brand_accounts"])
    if data.get("strategy_start") is not None:
        p.strategy_start = _date(src, "strategy_start", data["strategy_start"])
    if data.get("evaluation_weeks") is not None:
        p.evaluation_weeks = _number(src, "evaluation_weeks", data["evaluation_weeks"], lo=0.1)
    if data.get("foundations") is not None:
        f = data["foundations"]
        _check_keys(src, "foundations", f, FOUNDATION_ITEMS)
        p.foundations = {}
        for k, v in f.items():
            p.foundations[k] = (
                _enum(src, "foundations.kpi_review", v, KPI_REVIEW)
                if k == "kpi_review"
                else _bool(src, f"foundations.{k}", v)
            )
    for i, c in enumerate(_list(src, "competitors", data.get("competitors") or [])):
        where = f"competitors[{i}]"
        _check_keys(src, where, c, COMPETITOR_KEYS)
        comp = {"name": _str(src, f"{where}.name", c.get("name"))}
        if c.get("platform") is not None:
            comp["platform"] = _enum(src, f"{where}.platform", c["platform"], PLATFORMS)
        if c.get("followers") is not None:
            comp["followers"] = _number(src, f"{where}.followers", c["followers"], integer=True)
        if c.get("posts_per_week") is not None:
            comp["posts_per_week"] = _number(src, f"{where}.posts_per_week", c["posts_per_week"])
        if c.get("engagement_rate") is not None:
            comp["engagement_rate"] = _number(
                src, f"{where}.engagement_rate", c["engagement_rate"], hi=1.0
            )
        p.competitors.append(comp)
    if data.get("thresholds") is not None:
        from socialkit.checks.catalogue import threshold_keys  # the checks load scipy: lazily

        known = threshold_keys()
        if not isinstance(data["thresholds"], dict):
            raise _err(
                src,
                "thresholds",
                data["thresholds"],
                "a mapping such as {content.hard_sell.warn: 0.25}",
            )
        for k in data["thresholds"]:
            if k not in known:
                cid = _show(k).strip("'").rpartition(".")[0]
                same = [x for x in known if x.startswith(cid + ".")]
                allowed = (
                    f"for {cid}: {', '.join(same)}"
                    if same
                    else "'<check id>.<name>' with a check id from the catalogue, e.g. "
                    "content.hard_sell.warn (see socialkit.checks.threshold_keys())"
                )
                raise ProfileError(f"{src}: unknown threshold {_show(k)}; allowed {allowed}.")
        p.thresholds = {
            k: _number(src, f"thresholds.{k}", v, lo=-1e9) for k, v in data["thresholds"].items()
        }
    return p


def read_profile(path, *, folder=None) -> Profile:
    """Read and validate a client.yaml file.

    Parameters
    ----------
    path : str or Path
    folder : str or Path, optional
        The client folder: the file must then be a regular file inside it
        (:func:`socialkit.paths.inside_file`), never a link to elsewhere.

    Raises
    ------
    ProfileError
        Missing, refused, too large, not valid YAML, over a YAML limit, or invalid.
    """
    path = Path(path)
    try:
        if folder is not None:
            inside_file(folder, path)
        with path.open("rb") as fh:
            check_size(path, os.fstat(fh.fileno()).st_size, "MAX_PROFILE_BYTES")
            raw = fh.read(limit("MAX_PROFILE_BYTES") + 1)
        check_size(path, len(raw), "MAX_PROFILE_BYTES")  # a pipe or a growing file
        data = load_yaml(raw.decode("utf-8"), str(path))
    except FileNotFoundError:
        raise ProfileError(
            f"{path}: not found; every client folder needs a client.yaml "
            "with at least `name: <client name>`."
        ) from None
    except (UnsafeFileError, LimitError) as exc:
        raise ProfileError(
            str(exc) if str(exc).startswith(str(path)) else f"{path}: {exc}"
        ) from None
    except UnicodeDecodeError as exc:
        raise ProfileError(
            f"{path}: not UTF-8 text (byte {exc.start}); save client.yaml as UTF-8."
        ) from None
    except RecursionError:
        raise ProfileError(f"{path}: nested too deeply to read.") from None
    except OSError as exc:
        raise ProfileError(f"{path}: cannot be read ({exc.strerror}).") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = printable(getattr(exc, "problem", None) or exc, 120)
        raise ProfileError(f"{path}: not valid YAML{where}: {problem}.") from None
    return parse_profile(data, str(path))
