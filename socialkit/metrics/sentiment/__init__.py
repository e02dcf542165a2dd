"""Comment sentiment: a model trained here on labelled tweets, or VADER for comparison.

One entry point, :func:`classify`, labels texts ``negative``, ``neutral``,
``positive`` or ``unscored`` and gives each its ``p_negative``:

- ``method="model"`` (default): the shipped model ``sentiment_en.npz``, a
  logistic regression over word and character n-grams, VADER-lexicon
  features and VADER's score (its rules over the whole batch at once),
  trained on TweetEval's sentiment texts (Rosenthal, Farra & Nakov 2017;
  Barbieri et al. 2020) and VADER's rated tweets (Hutto & Gilbert 2014;
  see :mod:`socialkit.metrics.sentiment.train` and the figures in
  ``sentiment_en.json``). A text is negative when its ``p_negative`` reaches
  the cut-off chosen for the best negative-class F1 in cross-validation
  (written in the model file), or, for a batch with more negatives than the
  training tweets, the cut-off for that batch's share
  (:mod:`socialkit.metrics.sentiment._prior`);
- ``method="vader"``: VADER's compound score (Hutto & Gilbert 2014), negative
  at ≤ :data:`NEGATIVE`, positive at ≥ 0.05.

Before scoring, texts are cut at ``MAX_TEXT_CHARS`` (:func:`socialkit.limits.limit`;
counted), and links, user mentions and the brand's own names and handles are
masked (a brand's name such as "United" or "Help" otherwise reads as a positive
word). Both methods read English only: a text marked as another language
(``language``, or more marks of another language than common English words)
is ``unscored`` and counted, never called neutral.

In the canonical ``sentiment`` column (a score in [-1, 1]) an export's own
score wins; the others are filled by :func:`sentiment_table` with the model's
polarity ``p_positive - p_negative``, placed at or below :data:`NEGATIVE`
exactly when the model calls the comment negative, so the catalogue's
``negative`` threshold (-0.3) keeps its meaning.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from socialkit.limits import limit
from socialkit.metrics._arrow import arrow_strings, regex_counts
from socialkit.metrics.sentiment._features import featurize, mask, prepare
from socialkit.metrics.sentiment._model import CLASSES, decide, load, load_meta
from socialkit.metrics.sentiment._prior import MIN_TEXTS, read_batch
from socialkit.metrics.sentiment._vader import NEGATIVE, vader_compound

__all__ = [
    "NEGATIVE",
    "LABELS",
    "brand_terms",
    "classify",
    "model_info",
    "readable",
    "sentiment_filled",
    "sentiment_table",
    "vader_compound",
]

#: Labels :func:`classify` gives.
LABELS = (*CLASSES, "unscored")
#: VADER's lower bound of a positive text (its authors' boundary).
_VADER_POSITIVE = 0.05


@lru_cache(maxsize=1)
def _english_patterns() -> tuple[str, str]:
    """(English common words, marks of another language) as RE2 patterns, built once."""
    from socialkit.metrics.text import _OTHER_RE, COMMON_WORDS, _whole

    english = set(COMMON_WORDS["en"])
    others = sorted({w for k, ws in COMMON_WORDS.items() if k != "en" for w in ws} - english)
    return _whole(sorted(english)), _whole(others) + "|" + _OTHER_RE


def readable(texts, language=None) -> np.ndarray:
    """True for each text the model (English) can read.

    Parameters
    ----------
    texts : sequence of str
    language : str or sequence of str, optional
        Language code for all texts or one per text (``en``, ``en-GB`` … are
        English); where missing, the text decides: it is read unless it has more
        marks of another language (Portuguese and Spanish common words, French,
        German, Italian, Dutch function words, Vietnamese letters, non-Latin
        scripts) than common English words. A text with neither (a short reply,
        emoji) is read.

    Examples
    --------
    >>> readable(["thanks!", "Obrigado pela ajuda, muito bom", "still waiting", "😡"]).tolist()
    [True, False, True, True]
    >>> readable(["hola"], language="es").tolist()
    [False]
    """
    n = len(texts)
    english_re, other_re = _english_patterns()
    detected = regex_counts(texts, english_re) >= regex_counts(texts, other_re)
    if language is None:
        return detected
    lang = pd.Series([language] * n if isinstance(language, str) else list(language))
    if len(lang) != n:
        raise ValueError(f"language: {len(lang)} codes for {n} texts; give one, or one per text.")
    code = lang.astype("string").str.strip().str.lower()
    given = code.notna() & (code != "")
    english = code.str.match(r"^en(?:[-_]|$)").fillna(False).to_numpy(dtype=bool)
    return np.where(given.to_numpy(dtype=bool), english, detected)


def brand_terms(profile, name: str | None = None) -> tuple[str, ...]:
    """The brand's own names and handles from a client profile, to mask before scoring.

    ``profile.name`` (or ``name``) and every handle of ``profile.brand_accounts``
    (a mapping platform -> handles, or absent).

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> brand_terms(SimpleNamespace(name="Acme", brand_accounts={"x": ("@AcmeHelp", "115858")}))
    ('Acme', '@AcmeHelp', '115858')
    """
    terms = [getattr(profile, "name", None) or name]
    accounts = getattr(profile, "brand_accounts", {}) or {}
    if isinstance(accounts, dict):
        for handles in accounts.values():
            terms.extend(handles if isinstance(handles, list | tuple) else [handles])
    elif isinstance(accounts, list | tuple):
        terms.extend(accounts)
    return tuple(dict.fromkeys(str(t) for t in terms if t))


def model_info() -> dict:
    """The shipped model's description: name, version, cut-off, citation, metrics."""
    return dict(load().meta)


def classify(
    texts, *, brand_terms=(), language=None, method: str = "model", adapt: bool | None = None
) -> pd.DataFrame:
    """Label each text negative, neutral, positive or unscored.

    The texts are read as one batch (one brand's comments): with ``method="model"``
    and at least :data:`~socialkit.metrics.sentiment._prior.MIN_TEXTS` scored texts,
    the batch's own share of negatives is estimated; when it is above the training
    texts' share, the probabilities are re-weighted to it and the negative cut-off
    set for the best expected F1 at that share
    (:mod:`socialkit.metrics.sentiment._prior`). Otherwise, and for a smaller
    batch, the model's training shares and cross-validated cut-off apply. Pass ``adapt=False`` so that a text's label does not
    depend on the texts beside it.

    Parameters
    ----------
    texts : sequence of str or Series
    brand_terms : sequence of str
        The brand's own names and handles (:func:`brand_terms`), masked before scoring.
    language : str or sequence of str, optional
        See :func:`readable`; a text the method cannot read is ``unscored``.
    method : {"model", "vader"}
    adapt : bool, optional
        Estimate the batch's share of negatives, and adjust to it when above the
        training share (default: when the batch has enough scored texts; True:
        whatever its size; model only).

    Returns
    -------
    DataFrame
        One row per text (the Series' index if given): ``label``, ``p_negative``
        (at the batch's estimated shares when adapted; NaN for VADER and unscored
        texts), ``score`` in [-1, 1] (the model's ``p_positive - p_negative``,
        VADER's compound) and ``cut`` (scored on its first ``MAX_TEXT_CHARS``
        characters). ``attrs`` holds ``method``, ``model``, ``cutoff`` (the one
        used), ``negative_share`` (the estimated share of negatives, None when not
        estimated), ``adapted`` (probabilities and cut-off adjusted to it) and the counts ``scored``, ``unscored_language``,
        ``empty`` and ``cut`` (texts longer than ``MAX_TEXT_CHARS``).

    Examples
    --------
    >>> out = classify(["@Acme lost my bag again, still waiting", "Love it, thank you!",
    ...                 "Obrigado pela ajuda, muito bom", ""], brand_terms=["Acme"])
    >>> out["label"].tolist()
    ['negative', 'positive', 'unscored', 'unscored']
    >>> out.attrs["unscored_language"], out.attrs["empty"]
    (1, 1)
    """
    if method not in ("model", "vader"):
        raise ValueError(f"method must be 'model' or 'vader'. Got {method!r} instead.")
    index = texts.index if isinstance(texts, pd.Series) else pd.RangeIndex(len(texts))
    arr = arrow_strings(texts)
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.combine_chunks()
    n = len(arr)
    empty = ~pc.fill_null(pc.match_substring_regex(arr, r"[^\s]"), False).to_numpy(
        zero_copy_only=False
    )
    read = readable(arr, language) & ~empty
    long = pc.fill_null(pc.greater(pc.utf8_length(arr), limit("MAX_TEXT_CHARS")), False)
    label = np.full(n, "unscored", dtype=object)
    p_neg = np.full(n, np.nan)
    score = np.full(n, np.nan)
    rows = np.flatnonzero(read)
    attrs = {
        "method": method,
        "model": None,
        "cutoff": None,
        "adapted": False,
        "negative_share": None,
        "cut": 0,
    }
    if rows.size:
        part = arr.take(pa.array(rows))
        if method == "model":
            model = load()
            prep = prepare(part, brand_terms)
            p = model.proba(featurize(prep))
            cutoff = model.cutoff
            if adapt or (adapt is None and rows.size >= MIN_TEXTS):
                share, p, cutoff, adjusted = read_batch(p, model.prior, cutoff)
                attrs.update(adapted=adjusted, negative_share=round(share, 4))
            k = decide(p, cutoff, model.prior)
            label[rows] = np.asarray(CLASSES, dtype=object)[k]
            p_neg[rows] = p[:, 0]
            score[rows] = p[:, 2] - p[:, 0]
            attrs.update(model=model.name, cutoff=cutoff, cut=prep.cut)
        else:
            cleaned, cut = mask(part, brand_terms)
            c = vader_compound(cleaned.to_pylist(), jobs=1)
            label[rows] = np.where(
                c <= NEGATIVE, "negative", np.where(c >= _VADER_POSITIVE, "positive", "neutral")
            )
            score[rows] = c
            attrs.update(model="VADER 3.3.2 (Hutto & Gilbert 2014)", cutoff=NEGATIVE, cut=cut)
    out = pd.DataFrame(
        {
            "label": label,
            "p_negative": p_neg,
            "score": score,
            "cut": long.to_numpy(zero_copy_only=False) & read,
        },
        index=index,
    )
    out.attrs.update(
        attrs,
        scored=int(rows.size),
        unscored_language=int((~read & ~empty).sum()),
        empty=int(empty.sum()),
    )
    return out


def _as_score(table: pd.DataFrame) -> np.ndarray:
    """Scores on the canonical scale: the model's negatives at or below :data:`NEGATIVE`."""
    s = table["score"].to_numpy(dtype=float)
    neg = (table["label"] == "negative").to_numpy()
    return np.where(neg, np.minimum(s, NEGATIVE), np.maximum(s, NEGATIVE + 1e-3))


def sentiment_table(
    comments: pd.DataFrame, *, brand_terms=None, method: str = "model", language=None
) -> pd.DataFrame:
    """Each comment's sentiment: the export's where it has one, else :func:`classify`'s.

    Parameters
    ----------
    comments : DataFrame
        Canonical comments (``text``, optionally ``sentiment`` and an int ``client``).
    brand_terms : sequence of str or dict, optional
        Terms to mask, or a mapping client code -> terms (with a ``client`` column).
    method : {"model", "vader"}
    language : see :func:`readable`.

    Returns
    -------
    DataFrame
        Per comment: ``score`` in [-1, 1] (NaN when unscored), ``label``,
        ``p_negative``, ``source`` (``export``, ``model``/``vader``,
        ``unscored`` — a language the method cannot read — or ``none``: no text),
        ``cut`` (scored on its first ``MAX_TEXT_CHARS`` characters), and for
        the texts the method scored ``cutoff`` (the negative cut-off used),
        ``negative_share`` (the share of negatives estimated among its client's
        audience comments, NaN when not estimated) and ``adapted`` (read at that
        share). Each client's audience comments are read as one batch
        (:func:`classify`); the brand's own comments (``is_brand``) are read at
        the training shares and take no part in the estimate. ``attrs``:
        ``model``, ``cutoff`` (the model's own) and ``cut``.
    """
    n = len(comments)
    given = (
        pd.to_numeric(comments["sentiment"], errors="coerce").to_numpy(float, na_value=np.nan)
        if "sentiment" in comments
        else np.full(n, np.nan)
    )
    out = pd.DataFrame(
        {
            "score": given,
            "label": np.where(
                np.isnan(given),
                None,
                np.where(given <= NEGATIVE, "negative", np.where(given > 0, "positive", "neutral")),
            ),
            "p_negative": np.nan,
            "source": np.where(np.isnan(given), "none", "export"),
            "cut": False,
            "cutoff": np.nan,
            "negative_share": np.nan,
            "adapted": False,
        }
    )
    info = load_meta() if method == "model" else {}
    out.attrs.update(
        model=f"{info['name']} {info['version']}" if info else "VADER",
        cutoff=info.get("negative_cutoff", NEGATIVE),
        cut=0,
    )
    missing = np.isnan(given)
    if "text" not in comments or not missing.any():
        return out
    if isinstance(brand_terms, dict) and "client" in comments:
        groups = comments["client"].to_numpy()
        parts = [
            (np.flatnonzero(missing & (groups == g)), terms) for g, terms in brand_terms.items()
        ]
        known = np.isin(groups, list(brand_terms))
        parts.append((np.flatnonzero(missing & ~known), ()))
    else:
        terms = () if isinstance(brand_terms, dict) else (brand_terms or ())
        parts = [(np.flatnonzero(missing), terms)]
    texts = comments["text"].reset_index(drop=True)
    brand = (
        comments["is_brand"].fillna(False).to_numpy(dtype=bool)
        if "is_brand" in comments
        else np.zeros(n, dtype=bool)
    )
    # a client's audience comments are one batch, its own replies another, read as is
    parts = [(rows[brand[rows] == own], terms, own) for rows, terms in parts for own in (0, 1)]
    for rows, terms, own in parts:
        if not rows.size:
            continue
        lang = language if isinstance(language, str) or language is None else language[rows]
        got = classify(
            texts.iloc[rows],
            brand_terms=terms,
            language=lang,
            method=method,
            adapt=False if own else None,
        )
        scored = got["label"].to_numpy() != "unscored"
        out.loc[rows, "score"] = np.where(scored, _as_score(got), np.nan)
        out.loc[rows, "label"] = got["label"].to_numpy()
        out.loc[rows, "p_negative"] = got["p_negative"].to_numpy()
        has_text = ~texts.iloc[rows].fillna("").astype(str).str.strip().eq("").to_numpy()
        out.loc[rows, "source"] = np.where(scored, method, np.where(has_text, "unscored", "none"))
        out.loc[rows, "cut"] = got["cut"].to_numpy()
        if method == "model":
            share = got.attrs["negative_share"]
            out.loc[rows[scored], "cutoff"] = got.attrs["cutoff"]
            out.loc[rows[scored], "negative_share"] = np.nan if share is None else share
            out.loc[rows[scored], "adapted"] = got.attrs["adapted"]
        out.attrs["cut"] += got.attrs["cut"]
    return out


def sentiment_filled(
    comments: pd.DataFrame, jobs: int | None = None, *, brand_terms=None, method: str = "model"
) -> tuple[np.ndarray, int]:
    """The comments' sentiment: the export's where it has one, the model's elsewhere.

    Parameters
    ----------
    comments : DataFrame
    jobs : int, optional
        Kept for compatibility (VADER's worker processes); the model needs none.
    brand_terms, method : see :func:`sentiment_table`.

    Returns
    -------
    (scores, n_computed) : ndarray of float, int
        One score per row in [-1, 1] (NaN where there is neither a score nor a
        text the method can read) and how many were computed.
    """
    if comments.empty:
        return np.zeros(0), 0
    t = sentiment_table(comments, brand_terms=brand_terms, method=method)
    return t["score"].to_numpy(dtype=float), int((t["source"] == method).sum())
