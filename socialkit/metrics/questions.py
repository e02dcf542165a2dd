"""Questions in comments and invitations to respond in posts.

A comment *asks something* when it has a question mark (also the Spanish
opening ``¿``) or starts a sentence with an interrogative or an auxiliary
verb that opens a question (:data:`QUESTION_STARTS`: en what, how, when,
where, why, who, which, can, could, do, does, did, is, are, will, would,
should; pt o que, como, quando, onde, por que, quem, qual, quais, pode,
tem; es qué, cómo, cuándo, dónde, por qué, quién, cuál, puedo, pueden,
tienen). People write questions without the mark ("how do I return this"),
so the opening words count too; "Is" and "Do" openers make a few
exclamations count as questions ("Do love this"), an error we accept because
a question missed costs more (it deserves a reply first).

A post *invites a response* when it asks a question, or has a call to
comment, vote, tag or share an opinion (:data:`INVITE_PATTERNS`, en/pt/es:
"tell us", "comment below", "let us know", "which one", "vote", "poll",
"tag a friend", "conta pra gente", "comenta", "cuéntanos", "comenta", …).
"""

from __future__ import annotations

import re

import numpy as np

from socialkit.metrics._arrow import regex_matches

__all__ = ["QUESTION_STARTS", "INVITE_PATTERNS", "is_question", "invites_response"]

QUESTION_STARTS = {
    "en": [
        "what", "how", "when", "where", "why", "who", "whom", "whose", "which", "can",
        "could", "do", "does", "did", "is", "are", "will", "would", "should",
        "any idea", "anyone know",
    ],
    "pt": [
        "o que", "como", "quando", "onde", "por que", "quem", "qual", "quais",
        "pode", "podem", "tem", "vocês têm", "alguém sabe",
    ],
    "es": [
        "qué", "cómo", "cuándo", "dónde", "por qué", "quién", "cuál", "cuáles",
        "puedo", "pueden", "tienen", "alguien sabe",
    ],
}  # fmt: skip

INVITE_PATTERNS = [
    # en
    r"tell us",
    r"let us know",
    r"comment (?:below|your|with)",
    r"(?:in|drop it in|share in) the comments",
    r"which (?:one|is your)",
    r"what(?:'s| is| are) your",
    r"vote",
    r"poll",
    r"tag (?:a|your|someone)",
    r"share your",
    r"ask (?:us|me) anything",
    r"caption this",
    # pt
    r"conta(?:m)? pra gente",
    r"conte(?:m)?(?:-nos| pra gente)",
    r"comenta(?:m)?(?: aqui| aí)?",
    r"deixe (?:seu|sua|nos) coment",
    r"marque (?:um|uma|seu|sua|alguém)",
    r"qual (?:é )?(?:o seu|a sua|seu|sua)",
    r"vote",
    r"enquete",
    # es
    r"cu[eé]nta(?:nos|nos en)",
    r"d[eé]janos",
    r"coment(?:a|en)(?: abajo| aquí)?",
    r"etiqueta a",
    r"cu[aá]l es (?:tu|su)",
    r"encuesta",
]

_STARTS = sorted({w for ws in QUESTION_STARTS.values() for w in ws}, key=len, reverse=True)
# RE2 syntax (pyarrow.compute, much faster than Python's re on millions of comments): no
# look-arounds, so a word ends at a non-word character or the end of the text; \pL and \pN
# make "word" Unicode-aware. A typographic apostrophe (’) counts as a typed one (').
_APOSTROPHE = "['’]"
_END = r"(?:[^\pL\pN_'’]|$)"
_WORDS = "|".join(re.escape(w) for w in _STARTS).replace("'", _APOSTROPHE)
_QUESTION_RE = r"[?¿？]|(?:^|[.!\n]\s*)(?:" + _WORDS + ")" + _END
_INVITE_RE = (
    r"[?¿？]|(?:^|[^\pL\pN_])(?:" + "|".join(INVITE_PATTERNS).replace("'", _APOSTROPHE) + ")" + _END
)


def _matches(texts, pattern: str) -> np.ndarray:
    """Case-insensitive RE2 search of ``pattern`` in each text (False where missing)."""
    return regex_matches(texts, pattern, ignore_case=True)


def is_question(texts) -> np.ndarray:
    """True for each text that asks something (see the module docstring).

    Examples
    --------
    >>> is_question(["Where is my order?", "how do I return this", "Love it!", ""]).tolist()
    [True, True, False, False]
    """
    return _matches(texts, _QUESTION_RE)


def invites_response(texts) -> np.ndarray:
    """True for each post text that asks the audience something or calls for a comment.

    Examples
    --------
    >>> invites_response(["Which one is your favourite?", "New in store", "Tag a friend"]).tolist()
    [True, False, True]
    """
    return _matches(texts, _INVITE_RE)
