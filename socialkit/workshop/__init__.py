"""Self-check cells for the workshop notebooks (``notebooks/workshop/``).

Each exercise has an id, a question and a reference answer that is computed
from the client by the package itself — the checks' own numbers — never
written down. :func:`check` reads a learner's answer the way it was meant
(``"Image "``, ``"74%"``, ``"8 h"``, ``"Twitter"``: :mod:`socialkit.workshop._answers`),
compares it with the reference and, when it is wrong, says why in the terms of
the most likely slip: a percent where a share was asked, a mean for a median,
comments too new to judge, a raw rate where a ratio to the benchmark was
needed. No hint shows the right answer. :func:`recommendation` judges the
written recommendation; the facilitators' solutions notebook is built on demand
by :mod:`socialkit.workshop.solutions` (``socialkit workshop solutions``).

Examples
--------
>>> import socialkit as sk
>>> from socialkit import workshop
>>> workshop.check("dominant_format", None, client)  # doctest: +SKIP
not answered yet: Which format makes up most of the posts, and what share?
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from socialkit.workshop._exercises import EXERCISES, Case, near

__all__ = [
    "EXERCISES",
    "BlankNotFilled",
    "Result",
    "____",
    "check",
    "recommendation",
    "reset",
    "score",
]


@dataclass
class Result:
    """The verdict on one answer: truthy when correct; shows itself in a notebook."""

    exercise: str
    ok: bool | None  # None = not answered yet
    message: str
    hints: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.ok)

    def __str__(self) -> str:
        return "\n".join([self.message, *(f"  hint: {h}" for h in self.hints)])

    __repr__ = __str__

    def _repr_html_(self) -> str:
        colour = {True: "#009E73", False: "#D55E00", None: "#777777"}[self.ok]
        hints = "".join(f"<li>{escape(h)}</li>" for h in self.hints)
        return (
            f'<div style="border-left:4px solid {colour};padding:4px 10px">'
            f"<b>{escape(self.message)}</b>" + (f"<ul>{hints}</ul>" if hints else "") + "</div>"
        )


_SCORE: dict[str, bool] = {}
_CASES: list[Case] = []  # the last few clients checked: a notebook checks one client many times


def case_of(client) -> Case:
    """The :class:`Case` (batch and diagnosis) of ``client``, reused while it is the same object."""
    for case in _CASES:
        if case.client is client:
            return case
    _CASES[:] = [Case(client), *_CASES[:3]]
    return _CASES[0]


def check(exercise: str, answer, client) -> Result:
    """Judge ``answer`` to ``exercise`` for ``client``, with hints when it is wrong.

    Parameters
    ----------
    exercise : str
        An id of :data:`EXERCISES`.
    answer : object
        The learner's answer, as typed; ``None`` or ``...`` means not answered yet.
    client : socialkit.Client
        The brand the workshop diagnoses.

    Returns
    -------
    Result
        Truthy when correct. The verdict is also kept for :func:`score`.
    """
    if exercise not in EXERCISES:
        raise KeyError(f"unknown exercise {exercise!r}; exercises: {', '.join(EXERCISES)}.")
    ex = EXERCISES[exercise]
    if answer is None or answer is Ellipsis:
        return Result(exercise, None, f"not answered yet: {ex.question} (give {ex.shape})")
    case = case_of(client)
    expected = ex.expected(case)
    if expected is None:
        return Result(exercise, None, f"this client has no data for: {ex.question}")
    given = ex.read(answer)
    ok = given is not None and bool(ex.compare(given, expected))
    _SCORE[exercise] = ok
    if ok:
        return Result(exercise, True, f"correct: {_show(expected)}")
    if given is None:
        return Result(exercise, False, f"can't read that as {ex.shape}", [ex.hint])
    hints = list(dict.fromkeys(h for decoy, h in ex.decoys(case) if near(given, decoy)))
    if not hints and ex.feedback is not None:
        hints = ex.feedback(given, expected, case)
    return Result(exercise, False, f"not quite ({ex.question})", hints or [ex.hint])


def _show(value) -> str:
    if isinstance(value, float):
        return f"{value:.3g}"
    if isinstance(value, tuple):
        return "(" + ", ".join(_show(v) for v in value) + ")"
    if isinstance(value, (set, frozenset)):
        return ", ".join(sorted(value)) or "none"
    return str(value)


def score() -> dict[str, bool]:
    """Every exercise checked so far in this kernel and whether its last answer was right."""
    return dict(_SCORE)


def reset() -> None:
    """Forget the answers checked so far."""
    _SCORE.clear()


def recommendation(text: str, client) -> Result:
    """Does a written recommendation cite the brand's own numbers from its top findings?

    See :func:`socialkit.workshop.recommend.judge`.
    """
    from socialkit.workshop.recommend import judge

    result = judge(text, client)
    if result.ok is not None:
        _SCORE["recommendation"] = result.ok
    return result


class BlankNotFilled(Exception):
    """Raised when a cell still has its blank ``____``; IPython shows only the message."""

    def _render_traceback_(self) -> list[str]:
        return [f"✎ {self}"]


class _Blank:
    """The ``____`` of a fill-in-the-blank line: any use stops the cell with a short note.

    Explore cells are tagged ``raises-exception`` so that a notebook still runs top to
    bottom unattended (nbclient, ``make book``, the tests) with its blanks unfilled.
    """

    def _stop(self, *args, **kwargs):
        raise BlankNotFilled("Replace ____ in this cell with your code, then run the cell again.")

    def __repr__(self) -> str:
        return "____"

    def __getattr__(self, name: str):
        if name.startswith("_"):  # introspection (doctest, inspect, IPython's _repr_*_ probes)
            raise AttributeError(name)
        self._stop()

    __bool__ = __call__ = __getitem__ = __iter__ = __len__ = _stop
    __index__ = __int__ = __float__ = __hash__ = __eq__ = __ne__ = __lt__ = __gt__ = _stop
    __le__ = __ge__ = __and__ = __rand__ = __or__ = __ror__ = __invert__ = __neg__ = _stop
    __add__ = __radd__ = __sub__ = __rsub__ = __mul__ = __rmul__ = __truediv__ = _stop
    __rtruediv__ = __array__ = __contains__ = _stop


#: The blank of fill-in-the-blank lines (``from socialkit.workshop import ____``).
____ = _Blank()
