"""Cross-platform copies at scale: exact grouping, exact prefix-filter blocking, cut texts."""

from __future__ import annotations

import re
import time

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest

from socialkit.metrics import copies
from socialkit.metrics._tokens import tokens
from socialkit.metrics.copies import long_texts, near_duplicate_flags
from socialkit.metrics.text import centredness, is_promotional, pronoun_counts

H = 3600 * 10**9


def all_pairs(texts, groups, times, platforms, similarity=0.9, hours=48):
    """The rule by its definition: every pair of posts of a group, scikit-learn's
    TF-IDF (fitted on the group's posts) and its cosine, no blocking at all."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    texts = pd.Series(texts).fillna("").str.slice(0, 5000)
    flags = np.zeros(len(texts), dtype=bool)
    for g in np.unique(groups):
        idx = np.flatnonzero(groups == g)
        if not texts.iloc[idx].str.contains(r"\w").any():
            continue
        x = TfidfVectorizer(token_pattern=r"(?u)\b\w+\b").fit_transform(texts.iloc[idx])
        cos = (x @ x.T).toarray()
        close = np.abs(times[idx][:, None] - times[idx][None, :]) <= hours * H
        other = platforms[idx][:, None] != platforms[idx][None, :]
        has = np.asarray(x.getnnz(axis=1) > 0)
        pair = (cos >= similarity - 1e-6) & close & other & has[:, None] & has[None, :]
        flags[idx] = pair.any(axis=1)
    return flags


def seeded(seed, n=400, groups=5):
    """Posts of ``groups`` clients: a pool of texts repeated, lightly edited copies,
    case and punctuation variants, empty and symbol-only texts, Unicode."""
    rng = np.random.default_rng(seed)
    words = np.array(
        "spring menu latte pastry shoes sale team new today our we you café "
        "pão ação naïve 東京 ramen 🍜 x_y 42 ½".split()
    )
    pool = [" ".join(rng.choice(words, rng.integers(3, 12))) for _ in range(40)]
    texts = []
    for _ in range(n):
        t = pool[rng.integers(len(pool))]
        r = rng.random()
        if r < 0.15:
            t = t + " " + rng.choice(words)  # a near copy
        elif r < 0.2:
            t = t.upper() + "!!"
        elif r < 0.23:
            t = rng.choice(["", "!!!", "   ", "—"])
        elif r < 0.26:
            t = "e\u0301te\u0301 " + t  # combining marks split words, as Python's \w does
        texts.append(t)
    g = np.sort(rng.integers(0, groups, n))
    times = rng.integers(0, 20 * 24, n) * H
    times[:10] = np.arange(10) * 48 * H  # exactly at the window's edge
    return (
        pd.Series(texts),
        g,
        times,
        rng.integers(0, 3, n),
    )


@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_copies_agree_with_all_pairs_on_seeded_posts(seed):
    texts, groups, times, platforms = seeded(seed)
    expected = all_pairs(texts, groups, times, platforms)
    got = near_duplicate_flags(texts, groups, times, platforms)
    assert 0 < expected.sum() < len(texts)
    assert (got == expected).all(), np.flatnonzero(got != expected)
    # unsorted input, several runs: the same flags
    perm = np.random.default_rng(seed).permutation(len(texts))
    again = near_duplicate_flags(
        texts.iloc[perm].reset_index(drop=True), groups[perm], times[perm], platforms[perm],
        chunk=50,
    )  # fmt: skip
    assert (again == got[perm]).all()


def varied(seed, n=600):
    """Posts of 8 clients, one of them on a single platform and one with a single post;
    texts drawn from a pool of a size that depends on the seed (so texts repeat or are
    mostly distinct), with near copies, missing and empty texts."""
    texts, _, times, platforms = seeded(seed, n)
    rng = np.random.default_rng(seed + 100)
    if seed % 2:  # mostly distinct: each text gets its own words
        texts = texts + pd.Series([f" w{rng.integers(10**6)}" * rng.integers(0, 3) for _ in texts])
    texts = texts.astype(object)
    texts[rng.random(n) < 0.03] = None
    groups = np.sort(rng.integers(1, 8, n))
    groups[:40] = 0
    platforms[:40] = 2  # client 0 posts on one platform only
    groups[-1] = 8  # client 8 has one post
    return texts, groups, times, platforms


@pytest.mark.parametrize("seed", range(6))
def test_copies_agree_with_all_pairs_on_varied_batches(seed):
    texts, groups, times, platforms = varied(seed)
    expected = all_pairs(texts, groups, times, platforms)
    assert 0 < expected.sum() < len(texts)
    perm = np.random.default_rng(seed).permutation(len(texts))
    for chunk in (100_000, 120, 7):
        got = near_duplicate_flags(texts, groups, times, platforms, chunk=chunk)
        assert (got == expected).all(), (chunk, np.flatnonzero(got != expected))
        shuffled = near_duplicate_flags(
            texts.iloc[perm].reset_index(drop=True), groups[perm], times[perm], platforms[perm],
            chunk=chunk,
        )  # fmt: skip
        assert (shuffled == expected[perm]).all(), chunk


@pytest.mark.parametrize("seed", [0, 1])
def test_copies_on_two_threads_agree_with_all_pairs(seed):
    """Runs of clients computed on two threads (helpers: a check run alone on a large
    batch) flag the posts the definition flags."""
    from socialkit import _spare

    texts, groups, times, platforms = varied(seed)
    expected = all_pairs(texts, groups, times, platforms)
    with _spare.helpers(1):
        got = near_duplicate_flags(texts, groups, times, platforms, chunk=60)
    assert (got == expected).all(), np.flatnonzero(got != expected)


def test_word_counts_on_two_threads_equal_one(monkeypatch):
    from socialkit import _spare
    from socialkit.metrics import _arrow, text

    texts, *_ = varied(1)
    monkeypatch.setattr(text, "_STEP", 64)  # many slices
    we, you = pronoun_counts(texts)
    promo = is_promotional(texts)
    _arrow._LAST.clear()
    with _spare.helpers(1):
        assert _spare.threads() == 2
        we2, you2 = pronoun_counts(texts)
        assert (is_promotional(texts) == promo).all()
    assert (we2 == we).all() and (you2 == you).all() and we.sum() and you.sum()


def test_prefix_filter_misses_no_similar_pair():
    """The blocking's recall against all pairs of distinct texts is 1 (measured here on
    texts near the threshold, where hashing schemes miss pairs)."""
    rng = np.random.default_rng(7)
    vocab = [f"w{i}" for i in range(300)]
    base = [" ".join(rng.choice(vocab, 15)) for _ in range(60)]
    texts = base + [b + " " + " ".join(rng.choice(vocab, k)) for b in base for k in (1, 2, 3)]
    tf, _ = copies._term_counts(pa.array(texts))
    one_group = np.zeros(len(texts), dtype=np.int64)
    x, feature = copies._tfidf(tf, one_group, np.ones(len(texts)), np.array([len(texts)]))
    cos = (x @ x.T).toarray()
    for sim in (0.5, 0.7, 0.8, 0.9, 0.95):
        truth = {(i, j) for i, j in zip(*np.nonzero(np.triu(cos >= sim - 1e-6, 1)), strict=True)}
        i, j = copies._similar_pairs(x, feature, np.ones(len(texts), dtype=bool), sim)
        assert set(zip(i.tolist(), j.tolist(), strict=True)) == truth
        assert sim < 0.9 or truth  # the test has pairs at the threshold used


def test_a_text_posted_fifty_times_is_one_candidate(monkeypatch):
    """Repeats are grouped before any similarity work: no candidate pair is made of two
    copies of the same text."""
    seen = []
    real = copies._similar_pairs

    def spy(x, *rest):
        seen.append(x.shape[0])
        return real(x, *rest)

    monkeypatch.setattr(copies, "_similar_pairs", spy)
    texts = pd.Series(["Our new spring menu is here"] * 50 + ["Shoes on sale today"] * 50)
    times = np.arange(100) * H
    flags = near_duplicate_flags(texts, np.zeros(100, dtype=int), times, np.arange(100) % 2)
    assert flags.all() and seen == [2]


def test_a_huge_text_is_cut_and_counted_in_bounded_time():
    big = "Our spring menu is here with new pastries. " * 64_000  # 2.7 MB
    assert len(big) > 2_700_000
    texts = pd.Series([big, big[:5000] + " and a different ending " * 100, "short"])
    assert long_texts(texts).tolist() == [True, True, False]
    start = time.perf_counter()
    flags = near_duplicate_flags(texts, np.zeros(3, dtype=int), np.array([0, H, 2 * H]), [0, 1, 2])
    assert time.perf_counter() - start < 5
    assert flags.tolist() == [True, True, False]  # equal in their first 5,000 characters


def test_long_texts_counts_characters_not_bytes():
    # two bytes a character: over the limit in bytes, not in characters
    texts = ["é" * 5000, "é" * 5001, "a" * 5000, None, ""]
    assert long_texts(texts).tolist() == [False, True, False, False, False]
    assert long_texts(["a" * 5000, None]).tolist() == [False, False]
    assert long_texts(pa.chunked_array([["a" * 5001], ["b"]])).tolist() == [True, False]


def test_pronoun_word_table_is_re2s_character_class():
    """Each code point's entry is what RE2 says of ``[\\pL\\pN\\pM_']`` on it within a
    string (every 5th code point of the table's planes, and the edges of UTF-8's sizes)."""
    from socialkit.metrics._tokens import word_table

    table = word_table("pronoun")
    points = np.r_[
        np.arange(0, 0xD800, 5),
        np.arange(0xE000, 0x40000, 5),
        np.arange(0xE0000, 0xE1000, 5),
        [0x27, 0x5F, 0x7F, 0x80, 0x7FF, 0x800, 0xFFFF, 0x10000, 0x1F600],
    ].astype(np.uint32)
    points = points[points != 0]  # NUL is the marker below
    text = points.tobytes().decode("utf-32-le")
    marked = pc.replace_substring_regex(pa.array([text]), r"[^\pL\pN\pM_']", "\x00")[0].as_py()
    want = np.frombuffer(marked.encode("utf-32-le"), dtype=np.uint32) != 0
    assert np.array_equal(table[points], want)
    assert table[[ord("a"), ord("'"), ord("_"), 0x301, ord("7"), 0x4E2D]].all()
    assert not table[[ord(" "), ord("-"), 0x1F600]].any()


def test_tokens_are_the_regex_tokens():
    texts = pa.array(
        ["We're here, you’re there", "café NAÏVE e\u0301te\u0301", "東京🍜ramen_x 42½", None, "",
         "ـــ", "a\u200db", "Ünïcödé—dash's", "𝔘𝔫𝔦 𐍈x"]
    )  # fmt: skip
    owner, toks = tokens(texts, "w")
    lower = [(t or "").lower() for t in texts.to_pylist()]
    want = [(i, m) for i, t in enumerate(lower) for m in re.findall(r"(?u)\b\w+\b", t)]
    assert list(zip(owner.tolist(), toks.to_pylist(), strict=True)) == want
    owner, toks = tokens(texts, "pronoun")
    split = pc.split_pattern_regex(pc.utf8_lower(texts.fill_null("")), r"[^\pL\pN\pM_']+")
    want = [(i, w) for i, ws in enumerate(split.to_pylist()) for w in ws if w]
    assert list(zip(owner.tolist(), toks.to_pylist(), strict=True)) == want


def test_text_rules_are_the_same_on_repeated_texts():
    """Repeated texts are scored once and spread back: the same answer as text by text."""
    one = ["We love our team", "Your guide, for you", "20% off today", None, "Nossa loja"]
    many = pa.array(one * 40)
    assert pronoun_counts(many)[0].tolist() == pronoun_counts(one)[0].tolist() * 40
    assert pronoun_counts(many)[1].tolist() == pronoun_counts(one)[1].tolist() * 40
    assert centredness(many).tolist() == centredness(one).tolist() * 40
    assert is_promotional(many).tolist() == is_promotional(one).tolist() * 40


def test_text_rules_judge_long_arrays_on_a_sample_with_the_same_answers(monkeypatch):
    """A long array is first sampled to tell whether it repeats; the answers do not depend
    on what the sample says."""
    from socialkit.metrics import _arrow, text

    monkeypatch.setattr(_arrow, "_SAMPLE", 16)  # arrays of more than 64 texts are sampled
    one = ["We love our team", "Your guide, for you", "20% off today", None, "Les prix"]
    repeating = pa.array(one * 40)
    distinct = pa.array([f"{t} {i}" if t else t for i in range(40) for t in one])
    assert _arrow.distinct_texts(repeating) is not None
    assert _arrow.distinct_texts(distinct) is None
    for arr in (repeating, distinct):
        each = [pa.array([t], type=pa.string()) for t in arr.to_pylist()]
        for rule in (is_promotional, centredness, text.in_lexicon_languages):
            assert rule(arr).tolist() == [rule(t).tolist()[0] for t in each]


def test_distinct_texts_of_a_chunked_column_equal_those_of_one_array(monkeypatch):
    """The batch's text column comes in one chunk per client: its dictionary is built
    chunk by chunk, without joining the texts first, and means the same."""
    from socialkit.metrics import _arrow

    monkeypatch.setattr(_arrow, "_SAMPLE", 16)
    one = ["We love our team", None, "20% off today", "", "Les prix", "We love our team"]
    flat = pa.array(one * 30)
    chunked = pa.chunked_array([flat.slice(i, 7) for i in range(0, len(flat), 7)])
    d_flat, i_flat = _arrow.distinct_texts(flat)
    d_chunk, i_chunk = _arrow.distinct_texts(chunked)
    assert d_chunk.to_pylist() == d_flat.to_pylist() and i_chunk.tolist() == i_flat.tolist()
    assert [d_chunk[i].as_py() for i in i_chunk] == [t or "" for t in flat.to_pylist()]
    assert _arrow.distinct_texts(pa.chunked_array([], pa.string())) is None


def test_cross_post_copies_says_how_many_texts_it_cut(monkeypatch):
    from socialkit import Client
    from socialkit.diagnose import diagnose

    monkeypatch.setenv("SOCIALKIT_MAX_TEXT_CHARS", "40")
    end = pd.Timestamp("2026-06-29", tz="UTC")
    texts = [
        f"Post number {i} about topic {i * 7} with detail {i * 13} and more" for i in range(30)
    ]
    frames = [
        pd.DataFrame(
            {
                "platform": plat,
                "post_id": [f"{plat}-{i}" for i in range(30)],
                "published_at": [end - pd.Timedelta(days=30 - i, hours=h) for i in range(30)],
                "text": texts,
            }
        )
        for plat, h in (("instagram", 0), ("facebook", 1))
    ]
    client = Client.from_frames({"name": "T"}, posts=pd.concat(frames))
    f = diagnose(client, ["platform.cross_post_copies"], raise_errors=True)[
        "platform.cross_post_copies"
    ]
    cut = [e for e in f.evidence if "first 40 characters" in e.name]
    assert f.status == "fail" and len(cut) == 1 and cut[0].value == 60, f.evidence


def test_term_counts_read_words_as_the_checks_do():
    """A text is compared only when it has a token and a word character by RE2's
    ``[\\pL\\pN_]`` (the checks' has-a-word), even where Python's ``\\w`` knows letters
    that RE2 does not (U+A7CB); ASCII texts skip the regular expression."""
    from socialkit.metrics._arrow import regex_matches

    texts = pa.array(["Hi there", "!!", "", "\ua7cb", "\ua7cb x", "café", "—", "_", "½"])
    tf, has = copies._term_counts(texts)
    rows = np.diff(tf.indptr) > 0
    assert ((rows & has) == (rows & regex_matches(texts, r"[\pL\pN_]"))).all()
    assert rows[3] and not has[3]
