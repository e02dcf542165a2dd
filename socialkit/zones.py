"""The client's local time zone, for advice given in wall-clock time.

Timestamps are stored in UTC. Advice about *when* to post (``content.timing``)
and office hours (the business-hours view of response times) reads better, and
is more faithful across daylight-saving changes, in the client's own clock. The
zone is, in this order:

1. ``timezone:`` in client.yaml (an IANA name such as ``Europe/London``);
2. the one zone of the audience's regions (``audience.regions``), when every
   listed country lies in the same single zone (GB → Europe/London); a country
   with several zones (US, BR, PT…) does not decide;
3. UTC, and the finding says so.

The country → zone table is ``zone1970.tab`` of the IANA time zone database,
read from the ``tzdata`` package (no network, no system files needed).
"""

from __future__ import annotations

import functools
from importlib import resources
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = ["local_zone", "valid_zone", "country_zones"]


@functools.cache
def country_zones() -> dict[str, frozenset[str]]:
    """ISO 3166 country code → the IANA zones in it (``zone1970.tab``)."""
    text = resources.files("tzdata").joinpath("zoneinfo", "zone1970.tab").read_text("utf-8")
    out: dict[str, set[str]] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        codes, _, zone = line.split("\t")[:3]
        for code in codes.split(","):
            out.setdefault(code, set()).add(zone)
    return {k: frozenset(v) for k, v in out.items()}


def valid_zone(name: str) -> bool:
    """Whether ``name`` is an IANA time zone known to the bundled database."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def local_zone(profile) -> tuple[str, str]:
    """The client's time zone and where it came from.

    Parameters
    ----------
    profile : socialkit.profile.Profile

    Returns
    -------
    (zone, source) : tuple of str
        An IANA zone name, and a phrase for the evidence: ``"client.yaml"``,
        ``"audience region GB"`` or ``"no timezone in client.yaml"`` (UTC).

    Examples
    --------
    >>> from socialkit.profile import parse_profile
    >>> local_zone(parse_profile({"name": "A", "audience": {"regions": ["GB"]}}))
    ('Europe/London', 'audience region GB')
    >>> local_zone(parse_profile({"name": "A", "audience": {"regions": ["US"]}}))
    ('UTC', 'no timezone in client.yaml')
    """
    if getattr(profile, "timezone", None):
        return profile.timezone, "client.yaml"
    regions = profile.audience_regions or []
    zones: set[str] = set()
    for region in regions:
        zones |= country_zones().get(region, {"?", "unknown region"})
    if len(zones) == 1:
        plural = "s" if len(regions) > 1 else ""
        return next(iter(zones)), f"audience region{plural} {', '.join(regions)}"
    return "UTC", "no timezone in client.yaml"
