"""Post text: promotional phrases, brand- vs audience-centred wording, near-duplicates.

All functions take many texts at once (a pandas Series of str) and are
vectorised: regular expressions run in Arrow's RE2 engine, TF-IDF
through scikit-learn's ``HashingVectorizer`` and sparse matrices.

Promotional lexicon
-------------------
A post is *promotional* when it contains a hard-sell phrase: a call to buy
(``buy now``, ``shop now``, ``order today``; pt ``compre já``, ``garanta o
seu``; es ``compra ya``, ``pide ya``), a price cut (``20% off``, ``sale``,
``discount``, ``promo code``; pt ``desconto``, ``promoção``, ``cupom``; es
``descuento``, ``rebajas``, ``cupón``), urgency tied to an offer (``limited
offer``, ``last chance``, ``while stocks last``; pt ``por tempo limitado``,
``últimas unidades``; es ``por tiempo limitado``, ``últimas unidades``),
free delivery or a price (``free shipping``, ``frete grátis``, ``envío
gratis``, ``$19.99``, ``R$ 49``, ``19,90 €``). The phrases are in
:data:`PROMO_PATTERNS`; they were written from the author's reading of retail
and e-commerce post copy in the three languages, not fitted to any data set.
Plain "offer" or "deal" alone are *not* promotional ("we offer advice").

Measured (``benchmarks/bench_text_rules.py``, labels made after the lexicon
and never used to change it): on 4,200 general tweets with 47 hand-labelled
promotional ones, precision 0.41 (95 % CI 0.26–0.56) and recall 0.21
(0.11–0.42). Two weaknesses show:

* a bare price in personal talk ("found $20 in my pocket") is flagged;
* giveaway and contest posts ("enter to win", "#giveaway") and launch posts
  ("now available") are missed.

So a brand's hard-sell *share* is a lower bound when it runs contests, and
noisy when its posts quote prices without selling. No text of the real
exports was flagged (332 Portuguese tweets, 47 Vietnamese page posts, 24 English
titles). The one promotional text found among them (the page posts and titles
were read in full, the tweets screened for sales words) is a Vietnamese
contest post, in a language the lexicon does not cover.
The near-duplicate rule (cosine ≥ 0.9) on all 8.8 million tweet pairs:
precision 0.97 (0.95–0.98), recall 0.90 (0.88–0.93). It misses copies with
inserted intensifiers ("extremely good"). Its false copies are texts made
only of @mentions or emoticons.

Brand- vs audience-centred
--------------------------
First-person-plural words (:data:`WE_WORDS`: we, our, us; pt nós, nosso,
nossa, conosco; es nosotros, nuestro, nuestra) against second-person words
(:data:`YOU_WORDS`: you, your; pt você, vocês, teu, tua; es tú, tu, usted,
vuestro). A post is brand-centred when it has more "we" words than "you"
words, audience-centred when it has more "you" words, and unclassified
otherwise (no pronouns or a tie). Portuguese ``seu/sua`` and Spanish ``su``
are left out: they also mean "his/her/their".

Language coverage
-----------------
Both lexicons cover English, Portuguese and Spanish only. A text in another
language (the Vietnamese page posts of a real export, say) matches no phrase,
so a share computed on such texts would read "0 % promotional" with false
confidence. :func:`in_lexicon_languages` marks the texts that have at least as
many common words of the three languages (:data:`COMMON_WORDS`) as marks of
another (:data:`OTHER_WORDS` of French, German, Italian and Dutch, Vietnamese
letters, non-Latin scripts); content.hard_sell judges only when most texts are
so marked.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from socialkit._spare import each, threads
from socialkit.metrics._arrow import (
    arrow_strings,
    distinct_texts,
    first_bytes,
    once,
    regex_counts,
    regex_matches,
)
from socialkit.metrics._tokens import tokens
from socialkit.metrics.copies import near_duplicate_flags

__all__ = [
    "PROMO_PATTERNS",
    "PROMO_MEASURED",
    "WE_WORDS",
    "YOU_WORDS",
    "is_promotional",
    "pronoun_counts",
    "centredness",
    "tfidf_by_group",
    "near_duplicate_flags",
    "has_word",
    "COMMON_WORDS",
    "OTHER_WORDS",
    "in_lexicon_languages",
]

#: Hard-sell phrases per language (regular expressions, matched case-insensitively
#: on word boundaries).
#: How well :data:`PROMO_PATTERNS` finds sales posts, as measured in the module notes
#: (``benchmarks/bench_text_rules.py``); shown beside every hard-sell share.
PROMO_MEASURED = (
    "precision 0.41 (95% CI 0.26–0.56), recall 0.21 (0.11–0.42) on 4,200 labelled tweets"
)

PROMO_PATTERNS = {
    "en": [
        r"(?:buy|shop|order|book|grab|get yours|subscribe) (?:it |yours |one )?(?:now|today)",
        r"get yours",
        r"\d+ ?% off",
        r"(?:on|for|big|flash|summer|winter|spring|black friday|clearance) sale",
        r"sale (?:now|ends|starts|today)",
        r"^sale\b",
        r"discount(?:s|ed)?",
        r"(?:promo|discount|coupon|voucher) codes?",
        r"use (?:the )?code",
        r"coupons?",
        r"free (?:shipping|delivery)",
        r"(?:limited|special|exclusive) (?:time )?offers?",
        r"offer (?:ends|valid)",
        r"while (?:stocks?|supplies) last",
        r"last chance",
        r"don'?t miss (?:out|it)",
        r"(?:deals?|prices?) end",
        r"link in (?:bio|profile)",
        r"now (?:only|just) [$£€]",
        r"save (?:up to )?[$£€]?\d+",
    ],
    "pt": [
        r"compre (?:já|ja|agora|hoje)",
        r"peça (?:já|ja|agora|o seu|a sua)",
        r"garanta (?:já|ja|o seu|a sua|agora)",
        r"aproveite",
        r"promoç(?:ão|ões|ao|oes)",
        r"descontos?",
        r"\d+ ?% (?:de desconto|off)",
        r"frete gr[aá]tis",
        r"cupom|cupons",
        r"(?:oferta|preço) (?:especial|imperdível|limitada)",
        r"por tempo limitado",
        r"[uú]ltimas unidades",
        r"[uú]ltima chance",
        r"liquidaç(?:ão|ao)",
        r"r\$ ?\d",
    ],
    "es": [
        r"compra (?:ya|ahora|hoy)",
        r"pide (?:ya|ahora|el tuyo|la tuya)",
        r"cons[ií]gue(?:lo|la)? (?:ya|ahora|hoy)",
        r"aprovecha",
        r"promoci[oó]n(?:es)?",
        r"descuentos?",
        r"\d+ ?% (?:de descuento|dto)",
        r"env[ií]o gratis",
        r"cup[oó]n(?:es)?",
        r"rebajas",
        r"oferta (?:especial|limitada|exclusiva)",
        r"por tiempo limitado",
        r"[uú]ltimas unidades",
        r"[uú]ltima oportunidad",
        r"no te (?:lo|la) pierdas",
    ],
    "prices": [
        r"[$£€] ?\d+(?:[.,]\d{2})?",
        r"\d+(?:[.,]\d{2})? ?(?:€|eur|usd|brl)",
    ],
}

#: First-person-plural words (brand-centred), by language.
WE_WORDS = {
    "en": ["we", "our", "ours", "us", "ourselves", "we're", "we've", "we'll", "we'd"],
    "pt": ["nós", "nos", "nosso", "nossa", "nossos", "nossas", "conosco"],
    "es": ["nosotros", "nosotras", "nuestro", "nuestra", "nuestros", "nuestras"],
}
#: Second-person words (audience-centred), by language.
YOU_WORDS = {
    "en": ["you", "your", "yours", "yourself", "yourselves", "you're", "you've", "you'll", "you'd"],
    "pt": ["você", "vocês", "voce", "voces", "teu", "tua", "teus", "tuas", "contigo"],
    "es": ["tú", "tu", "tus", "usted", "ustedes", "vosotros", "vuestro", "vuestra", "contigo"],
}


# Matched by Arrow's RE2 engine (much faster than Python's re on millions of posts). RE2
# has no look-arounds, so a phrase's edges are a non-word character (or the text's
# start/end) consumed by the match; \pL\pN\pM_ is Unicode "word". A typographic
# apostrophe (’) counts as a typed one (') in the pattern, so the texts are not rewritten.
_NOT_WORD = r"[^\pL\pN\pM_]"


def _whole(alternatives, flags: str = "(?i)") -> str:
    """An RE2 pattern matching any of ``alternatives`` as whole words."""
    return f"{flags}(?:^|{_NOT_WORD})(?:{'|'.join(alternatives)})(?:{_NOT_WORD}|$)"


_PROMO_RE = _whole(
    (p.replace("'", "['’]") for ps in PROMO_PATTERNS.values() for p in ps), flags="(?mi)"
)


#: Frequent words of the lexicons' languages that other languages rarely use.
COMMON_WORDS = {
    "en": ["the", "and", "you", "your", "with", "for", "this", "that", "our", "we", "is", "are",
           "of", "new", "now", "it", "what", "how", "today", "all", "more", "from", "here",
           "just", "get", "has", "have", "out", "my", "can", "will", "be", "at", "by", "about"],
    "pt": ["você", "vocês", "voce", "não", "nao", "com", "para", "uma", "nosso", "nossa", "são",
           "está", "também", "mais", "hoje", "agora", "obrigado", "obrigada", "muito", "pra",
           "isso", "esse", "essa", "como", "aqui", "seu", "sua", "dos", "das", "que"],
    "es": ["el", "los", "las", "nuestro", "nuestra", "está", "usted", "también", "más", "qué",
           "cómo", "ahora", "hoy", "gracias", "muy", "esto", "este", "esta", "aquí", "del",
           "pero", "tiene", "todo", "todos", "y"],
}  # fmt: skip
#: Frequent words of other languages (French, German, Italian, Dutch) that the three
#: rarely use.
OTHER_WORDS = [
    "les", "des", "et", "pour", "avec", "vous", "nous", "une", "sur", "dans", "qui", "aux",
    "cette", "notre", "votre", "pas", "très", "und", "der", "das", "mit", "für", "ist",
    "nicht", "wir", "sie", "auf", "ein", "eine", "zu", "den", "dem", "ich", "auch", "il",
    "che", "della", "delle", "sono", "gli", "anche", "questo", "questa", "nel", "alla",
    "het", "een", "voor", "zijn", "niet", "ook", "wij", "jij", "onze",
]  # fmt: skip
#: Letters only Vietnamese uses among Latin scripts.
_VIETNAMESE = "ơưạảấầẩẫậắằẳẵặđẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ"


# a Vietnamese word or a run of letters of a non-Latin script (in_lexicon_languages counts
# the other languages' words on tokens, as the common words: _word_counts)
_SCRIPT_RE = (
    "(?i)[\\pL\\pM]*["
    + _VIETNAMESE
    + "][\\pL\\pM]*"
    + "|[\\p{Cyrillic}\\p{Greek}\\p{Arabic}\\p{Hebrew}\\p{Thai}\\p{Devanagari}\\p{Han}"
    + "\\p{Hiragana}\\p{Katakana}\\p{Hangul}]+"
)
# every mark of another language as one pattern (the sentiment model's reading)
_OTHER_RE = _whole(sorted(set(OTHER_WORDS))) + "|" + _SCRIPT_RE


def in_lexicon_languages(texts, promotional=None) -> np.ndarray:
    """True for each text that reads as English, Portuguese or Spanish.

    A text counts unless it has more marks of another language (:data:`OTHER_WORDS`,
    Vietnamese words, runs of a non-Latin script) than common words of the three
    (:data:`COMMON_WORDS`); a text with a phrase of :data:`PROMO_PATTERNS` always
    counts. Short texts without either mark (a title, a hashtag) count.
    ``promotional`` may pass :func:`is_promotional` of the same texts, already computed.

    The words are whole runs of letters, digits, marks and underscores, lowercased as
    the pronouns are (:func:`pronoun_counts`): "İ" reads as "i" and the long s "ſ" is
    not an "s", and a word glued to a run of a non-Latin script ("中文les") is not a
    whole word. (The regular expressions these token counts replaced read "İ" as no
    "i", "ſ" as "s", and counted "les" in "中文les".)

    Examples
    --------
    >>> in_lexicon_languages(["Fresh bread is in", "Compre já!", "Chào mừng các bạn đến với LOK",
    ...                       "Découvrez la collection pour vous", "¿Qué opinas?", "SUUZ - Live"]).tolist()
    [True, True, False, False, True, True]
    """
    promo = is_promotional(texts) if promotional is None else promotional

    def reads(arr):
        _, _, common_minus_other = _word_counts(arr)
        return common_minus_other >= regex_counts(arr, _SCRIPT_RE)

    return promo | _per_distinct(texts, reads)


def _per_distinct(texts, fn):
    """``fn`` (of an Arrow string array, returning arrays per text) computed once per
    distinct text and spread back to every text: a text posted 50 times is read once."""
    arr = arrow_strings(texts)
    found = distinct_texts(arr) if len(arr) else None
    if found is None:
        return fn(arr)
    distinct, idx = found
    out = fn(distinct)
    return tuple(o[idx] for o in out) if isinstance(out, tuple) else out[idx]


def _arrow_texts(texts) -> pa.Array:
    return pc.replace_substring(arrow_strings(texts), "’", "'")


def _texts(texts) -> list[str]:
    """Texts as Python strings for scikit-learn ("" where missing, ’ read as ')."""
    return pc.fill_null(_arrow_texts(texts), "").to_pylist()


def is_promotional(texts) -> np.ndarray:
    """True for each text that contains a phrase of :data:`PROMO_PATTERNS`.

    Examples
    --------
    >>> is_promotional(["20% off today only", "We offer free advice", "Compre já!"]).tolist()
    [True, False, True]
    """
    return _per_distinct(texts, lambda arr: regex_matches(arr, _PROMO_RE))


#: Texts tokenised at once (the token lists of ten million posts take gigabytes).
_STEP = 1 << 18


def pronoun_counts(texts) -> tuple[np.ndarray, np.ndarray]:
    """Counts of "we" words and "you" words per text.

    Examples
    --------
    >>> we, you = pronoun_counts(["We love our team", "Your guide, for you", "Nossa loja"])
    >>> we.tolist(), you.tolist()
    ([2, 0, 1], [0, 2, 0])
    """
    we, you = _per_distinct(texts, lambda arr: _word_counts(arr)[:2])
    return we.astype(np.int64), you.astype(np.int64)


@cache
def _lexicon() -> tuple[pa.Array, np.ndarray]:
    """Every word of the four lists (lowercased) and, per word, 1 or 0: is it in
    :data:`WE_WORDS`, :data:`YOU_WORDS`, :data:`COMMON_WORDS`, :data:`OTHER_WORDS`?"""
    lists = [
        {w.lower() for ws in WE_WORDS.values() for w in ws},
        {w.lower() for ws in YOU_WORDS.values() for w in ws},
        {w.lower() for ws in COMMON_WORDS.values() for w in ws},
        {w.lower() for w in OTHER_WORDS},
    ]
    words = sorted(set().union(*lists))
    return pa.array(words), np.array([[w in ws for ws in lists] for w in words], dtype=np.int8)


def _tally(owner, code, lists, n: int) -> np.ndarray:
    """Per list of :func:`_lexicon` (``lists``: its columns) and text (``owner`` 0…n-1):
    the text's tokens that are words of that list (``code``: index in the lexicon, -1
    for none)."""
    hit = np.flatnonzero(code >= 0)
    owner, code = owner[hit], code[hit]
    kinds = _lexicon()[1]
    return np.array([np.bincount(owner[kinds[code, k] == 1], minlength=n) for k in lists])


def _word_counts(arr) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per text of the Arrow array ``arr``: "we" words, "you" words, and common words of
    the three languages minus other languages' words (int32; kept for the next call
    with the same array: :func:`~socialkit.metrics._arrow.once`).

    The four lists are looked up at once in the lowercased tokens of one split.
    Pronouns are whole tokens of word characters and apostrophes (:func:`tokens`, kind
    "pronoun"), so "we're" is one token and "o'we" is not "we"; the language words are
    whole runs of word characters, so "we're" reads as "we" and "re".
    """

    step = _STEP // threads()  # slices on parallel threads: the memory of one of _STEP

    def compute():
        words = _lexicon()[0]
        out = np.zeros((3, len(arr)), dtype=np.int32)

        def count(a):  # the texts a…a+step (a thread of their own may count them)
            part = _arrow_texts(arr.slice(a, step))
            n = len(part)
            owner, flat = tokens(part, "pronoun")  # lowercased runs of [\pL\pN\pM_']
            code = pc.index_in(flat, value_set=words).fill_null(-1).to_numpy()
            out[:2, a : a + n] = _tally(owner, code, (0, 1), n)
            plain, pieces = code, 0
            if pc.any(pc.match_substring(part, "'")).as_py():
                # the language words of a token with an apostrophe are its pieces
                apos = pc.match_substring(flat, "'")
                split = pc.split_pattern(flat.filter(apos), "'")
                apos = apos.to_numpy(zero_copy_only=False)
                plain = np.where(apos, -1, code)
                pieces = _tally(
                    owner[apos][pc.list_parent_indices(split).to_numpy()],
                    pc.index_in(pc.list_flatten(split), value_set=words).fill_null(-1).to_numpy(),
                    (2, 3),
                    n,
                )
            common, other = _tally(owner, plain, (2, 3), n) + pieces
            out[2, a : a + n] = common - other

        each(count, range(0, len(arr), step))
        return tuple(out)

    return once(arr, "words", compute)


def centredness(texts) -> np.ndarray:
    """+1 brand-centred, -1 audience-centred, 0 unclassified, per text."""
    we, you = pronoun_counts(texts)
    return np.sign(we - you).astype(np.int8)


def tfidf_by_group(texts, groups, n_features: int = 2**18):
    """TF-IDF rows (L2-normalised) with the IDF computed within each group.

    Parameters
    ----------
    texts : Series, sequence or Arrow array of str
    groups : array of int
        Group (client) of each text, sorted or not; each group gets its own
        document frequencies, so one client's vocabulary does not change
        another's weights.
    n_features : int
        Hashing space (``HashingVectorizer``; no vocabulary is stored).

    Returns
    -------
    scipy.sparse.csr_matrix
        Smoothed IDF as in scikit-learn: ``ln((1 + n) / (1 + df)) + 1``.
    """
    from sklearn.feature_extraction.text import HashingVectorizer
    from sklearn.preprocessing import normalize

    vec = HashingVectorizer(
        n_features=n_features,
        alternate_sign=False,
        norm=None,
        token_pattern=r"(?u)\b\w+\b",
        dtype=np.float32,
    )
    x = vec.transform(_texts(texts)).tocsr()
    x.sum_duplicates()
    groups = np.asarray(groups, dtype=np.int64)
    rows = np.repeat(np.arange(x.shape[0]), np.diff(x.indptr))
    key = groups[rows] * n_features + x.indices
    order = np.argsort(key, kind="stable")
    sk = key[order]
    bounds = np.flatnonzero(np.r_[True, sk[1:] != sk[:-1], True])
    df = np.empty(key.size, dtype=np.float64)
    df[order] = np.repeat(np.diff(bounds), np.diff(bounds))
    docs = np.bincount(groups, minlength=groups.max(initial=-1) + 1).astype(float)
    idf = np.log((1 + docs[groups[rows]]) / (1 + df)) + 1
    x.data = (x.data * idf).astype(np.float32)
    return normalize(x, norm="l2", copy=False)


#: First bytes that settle :func:`has_word` at once: an ASCII letter, digit or underscore.
_WORD_START = np.zeros(256, dtype=bool)
_WORD_START[
    np.frombuffer(b"_0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", np.uint8)
] = True


def has_word(texts) -> np.ndarray:
    """True for each text with a letter, digit or underscore (Unicode ``\\w``).

    A text that starts with an ASCII letter, digit or underscore has one (most posts);
    the others are searched with RE2.

    Examples
    --------
    >>> has_word(["Hi", "!!", None, "٣"]).tolist()
    [True, False, False, True]
    """
    arr = arrow_strings(texts)
    out = _WORD_START[first_bytes(arr)]
    rest = np.flatnonzero(~out)
    if rest.size:
        part = arr if rest.size == len(arr) else arr.take(rest)
        out[rest] = regex_matches(part, r"[\pL\pN_]")  # RE2, in C++
    return out
