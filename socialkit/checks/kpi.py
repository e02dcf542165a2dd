"""KPI checks: is success defined in a way social media can deliver and measure?"""

from __future__ import annotations

from socialkit.checks._registry import each_client, not_assessable, register_check, verdict
from socialkit.findings import Evidence

__all__ = ["VANITY_KPIS", "ACTION_KPIS", "vanity_only"]

#: Counts that grow without saying anything about relationship or business value.
VANITY_KPIS = frozenset({"followers", "likes", "impressions", "reach", "views"})
#: KPIs that measure an action taken towards traffic, leads or sales.
ACTION_KPIS = frozenset(
    {"clicks", "click_through_rate", "conversions", "leads", "sales", "revenue"}
)
#: KPI suggestions per objective, used in recommendations.
FITTING_KPIS = {
    "awareness": "reach growth among the target audience, share of voice, video completion",
    "engagement": "engagement rate, comments and replies, saves, shares",
    "traffic": "clicks and click-through rate",
    "leads": "clicks, leads and cost per lead",
    "sales": "clicks, conversions and revenue attributed to social",
    "loyalty": "repeat commenters, advocates, sentiment",
    "support": "response rate, response time, sentiment",
}


@register_check("kpi.vanity_only")
@each_client
def vanity_only(client, t):
    """Declared KPIs are vanity counts only, or miss the action the objective needs.

    Notes
    -----
    fail when every known declared KPI is one of followers, likes, impressions,
    reach, views; warn when the objective is traffic, leads or sales and no
    click or conversion KPI is declared. KPI names outside the vocabulary are
    listed but not counted either way.
    """
    prof = client.profile
    if not prof.kpis:
        return not_assessable(
            "No KPIs are declared, so we cannot tell how success is judged.",
            "`kpis:` in client.yaml (what the client reports as success)",
        )
    known = [k for k in prof.kpis if k not in prof.unknown_kpis]
    vanity = [k for k in known if k in VANITY_KPIS]
    ev = [
        Evidence("declared KPIs", ", ".join(prof.kpis), "names", n=len(prof.kpis)),
        Evidence("vanity KPIs among them", len(vanity), "KPIs", n=len(known)),
    ]
    if prof.unknown_kpis:
        ev.append(
            Evidence(
                "KPIs not in the vocabulary (ignored)",
                ", ".join(prof.unknown_kpis),
                "names",
                kind="context",
            )
        )
    objective = prof.objective
    fitting = FITTING_KPIS.get(objective or "engagement")
    if not known:
        return not_assessable(
            f"None of the declared KPIs ({', '.join(prof.kpis)}) is in the KPI vocabulary.",
            "KPI names from the vocabulary in DESIGN.md (e.g. click_through_rate for CTR)",
            ev,
        )
    if len(vanity) == len(known):
        return verdict(
            "fail",
            f"Every KPI you track ({', '.join(known)}) is a raw count that grows without "
            "telling whether anyone cares or acts.",
            f"Keep one reach figure for context but judge the strategy on {fitting}"
            + (f" (objective: {objective})." if objective else "; set an `objective:` first."),
            ev,
            excess=1.0,
        )
    if objective in {"traffic", "leads", "sales"} and not set(known) & ACTION_KPIS:
        return verdict(
            "warn",
            f"The objective is {objective}, but no KPI measures a click or a conversion "
            f"(tracked: {', '.join(known)}).",
            f"Add {fitting} to the KPIs and tag links (UTM) so social traffic can be counted.",
            ev,
            excess=0.5,
        )
    return verdict(
        "ok", f"The KPIs ({', '.join(known)}) include outcomes beyond raw counts.", "", ev
    )
