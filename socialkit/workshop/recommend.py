"""Judging a written recommendation: does it cite the brand's own numbers?

A number counts as the brand's when it is one of the numbers of the three most
serious findings — their messages and their metric evidence — read the way a
person means it:

* a percent (``74%``, ``74 percent``, ``0.74``) is compared with the findings'
  shares and percents, a plain count (``202 posts``) with their counts;
* ``A of B`` / ``A out of B`` counts when the pair is the brand's (``202 of 272``)
  or its ratio is a share of the brand's; ``1 in 5`` is a target, not a number
  the brand has;
* a confidence level (``95% sure``, ``95% CI``), a check's threshold (``the 30%
  threshold``) and a time frame (``in 3 months``) are not the brand's numbers.

The hints say which of these a number was read as; they never quote a finding.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Number", "judge", "numbers_in"]

_NUM = r"\d+(?:[.,]\d+)?"
_CONFIDENCE = re.compile(
    r"\W*(?:%|percent)?\s*(?:\w+\s+){0,2}"
    r"(?:sure|confident|confidence|certain|ci\b|chance|likely|probab)",
    re.I,
)
_CONFIDENCE_BEFORE = re.compile(r"(?:confidence|\bCI)\s*(?:level\s*)?(?:of\s+)?$", re.I)
_THRESHOLD = re.compile(r"\W*(?:%|percent)?\s*(?:\w+\s+)?(?:threshold|bar\b|cut-?off)", re.I)
_THRESHOLD_BEFORE = re.compile(r"(?:threshold|target|goal|aim for|bar)\s+(?:of\s+)?$", re.I)
_TIME = re.compile(r"\s*(?:days?|weeks?|months?|years?|quarters?)\b", re.I)
_RATIO = re.compile(
    rf"({_NUM})\s+(?:[a-z]+\s+)?(?:of|out of|in)\s+(?:the\s+|your\s+|its\s+|every\s+)?({_NUM})",
    re.I,
)


@dataclass(frozen=True)
class Number:
    """One number of a text as a person means it: its value, whether it is a percent,
    the pair of a ratio ("202 of 272", "1 in 5"), and why it is no fact about the brand
    (``""`` when it may be one)."""

    value: float
    percent: bool
    pair: tuple[float, float] | None = None
    not_a_fact: str = ""


def _value(text: str) -> float:
    return float(text.replace(",", "."))


def numbers_in(text: str) -> list[Number]:
    """The numbers of ``text``: ratios, percents (``74%``, ``0.74``), counts; confidence
    levels, thresholds and time frames are kept but marked (:attr:`Number.not_a_fact`)."""
    out, taken = [], set()
    for m in _RATIO.finditer(text):
        a, b = _value(m.group(1)), _value(m.group(2))
        if b and not re.match(r"\s*(?:%|percent)", text[m.end() :]):
            out.append(Number(100 * a / b, True, (a, b)))
            taken.update((m.start(1), m.start(2)))
    for m in re.finditer(_NUM, text):
        if m.start() in taken or (m.start() > 0 and text[m.start() - 1].isalnum()):
            continue
        after, before = text[m.end() : m.end() + 40], text[max(0, m.start() - 30) : m.start()]
        value = _value(m.group(0))
        percent = bool(re.match(r"\s*(?:%|percent|per cent)", after, re.I))
        if not percent and "." in m.group(0) and value < 1:  # 0.74 is a share
            value, percent = value * 100, True
        why = ""
        if _CONFIDENCE.match(after) or _CONFIDENCE_BEFORE.search(before):
            why = "a confidence level"
        elif _THRESHOLD.match(after) or _THRESHOLD_BEFORE.search(before):
            why = "a threshold or target"
        elif _TIME.match(after):
            why = "a time frame"
        out.append(Number(value, percent, None, why))
    return out


def _facts(findings) -> tuple[set[float], set[float]]:
    """The brand's percents and counts in the top findings (messages and metric evidence)."""
    percents, counts = set(), set()
    for f in findings:
        for n in numbers_in(f.message):
            if n.pair:
                counts.update(n.pair)
            if not n.not_a_fact:
                (percents if n.percent else counts).add(round(n.value, 1))
        for e in f.evidence:
            if e.kind != "metric" or isinstance(e.value, (str, bool)) or e.value is None:
                continue
            v = float(e.value)
            if any(w in e.unit for w in ("share", "rate", "points")):
                percents.add(round(v * 100, 1))
            else:
                counts.add(round(v, 1))
            if e.n:
                counts.add(float(e.n))
    return percents, counts


def _cites(n: Number, percents, counts) -> bool:
    if n.not_a_fact:
        return False
    if n.pair and all(any(abs(x - k) <= 0.05 for k in counts) for x in n.pair):
        return True
    pool, tol = (percents, 0.5) if n.percent else (counts, 0.05)
    return any(abs(n.value - k) <= tol for k in pool)


def _show(n: Number) -> str:
    if n.pair:
        return f"{n.pair[0]:g} of {n.pair[1]:g}"
    return f"{n.value:g}{'%' if n.percent else ''}"


def judge(text: str, client):
    """Judge a recommendation: ``Result`` ok when it cites at least one of the brand's numbers.

    Parameters
    ----------
    text : str
        The learner's recommendation.
    client : socialkit.Client
        The brand.
    """
    from socialkit.workshop import Result, case_of

    if not text or not text.strip() or "____" in text:
        return Result("recommendation", None, "not answered yet: write your recommendation")
    top = case_of(client).diagnosis.top(3)
    if not top:
        return Result("recommendation", None, "this brand has no warn or fail finding to act on")
    percents, counts = _facts(top)
    found = numbers_in(text)
    cited = [n for n in found if _cites(n, percents, counts)]
    other = [f"{_show(n)} reads as {n.not_a_fact}" for n in found if n.not_a_fact]
    other += [f"{_show(n)} reads as a target" for n in found if n.pair and n not in cited]
    if cited:
        return Result(
            "recommendation",
            True,
            f"cites the brand's own numbers: {', '.join(dict.fromkeys(map(_show, cited)))}",
        )
    hints = [
        "Say where the brand is now, with a number from the evidence of its most serious "
        "findings (a share of posts, a count of comments, a reply time) — targets are welcome, "
        "but they don't show the problem."
    ]
    if other:
        hints.append("Not counted: " + "; ".join(dict.fromkeys(other)) + ".")
    return Result(
        "recommendation", False, "no number of the brand's own from its top findings", hints
    )
