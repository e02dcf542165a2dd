"""The workshop run as a student runs it: every right answer passes, typed as a person types
it; every slip named in notebooks/workshop/FACILITATOR.md is possible on the workshop brand
and gets the hint that names it (the slip's code written as a beginner writes it, run on
the brand's data); no answer passes by copying the table above the question; no hint gives
the answer away."""

import json
import re
from pathlib import Path

import pytest

from socialkit import diagnose, load_client, workshop

WORKSHOP = Path(__file__).resolve().parents[1] / "notebooks" / "workshop"


@pytest.fixture(scope="module")
def brand_dir(demo_dir):
    return demo_dir / "brightline-electronics"


@pytest.fixture(scope="module")
def brand(brand_dir):
    return load_client(brand_dir)


@pytest.fixture(autouse=True)
def fresh_score():
    workshop.reset()
    yield
    workshop.reset()


def _cells(notebook):
    return json.loads((WORKSHOP / notebook).read_text(encoding="utf-8"))["cells"]


def student(notebook, exercise, client_dir, fill=None, then=None):
    """Run a workshop notebook as a student does, up to ``exercise``'s explore cell with its
    blank replaced by ``fill`` (the cell's last line is the value returned); or, with
    ``fill=None``, the setup only and then the student's own code ``then``."""
    ns = _setup(notebook, str(client_dir), exercise if fill is not None else None)
    for cell in _cells(notebook):
        src = "".join(cell["source"])
        meta = cell.get("metadata", {})
        if cell["cell_type"] != "code" or "parameters" in meta.get("tags", []):
            continue
        if meta.get("workshop", {}).get("exercise") == exercise and fill is not None:
            assert "____" in src, "an explore cell has a blank to fill in"
            *body, last = src.replace("____", fill).rstrip().splitlines()
            exec("\n".join(body), ns)  # noqa: S102 - the notebook's own code
            return eval(last.split("#")[0], ns)  # noqa: S307
    assert fill is None, f"no explore cell for {exercise} in {notebook}"
    return eval(then, ns)  # noqa: S307


_SETUP = {}


def _setup(notebook, client_dir, until):
    """The namespace after the notebook's set-up cells (run once per notebook and brand; a
    copy each time, so one student's changes to a table don't reach the next)."""
    import pandas as pd

    key = (notebook, client_dir, until)
    if key not in _SETUP:
        ns = {"client_dir": client_dir}
        for cell in _cells(notebook):
            src = "".join(cell["source"])
            meta = cell.get("metadata", {})
            if meta.get("workshop", {}).get("exercise") == until and until is not None:
                break
            if cell["cell_type"] != "code" or meta.get("tags"):
                continue
            if not re.search(r"plot\.|workshop\.check|display\(|^answer_", src, re.M):
                exec(src, ns)  # noqa: S102 - the notebook's own code
        _SETUP[key] = ns
    return {k: v.copy() if isinstance(v, pd.DataFrame) else v for k, v in _SETUP[key].items()}


def hint(exercise, answer, client):
    r = workshop.check(exercise, answer, client)
    assert r.ok is False, f"{answer!r} should not pass {exercise}"
    return " ".join(r.hints)


# --- every right answer passes, typed as people type it ----------------------------------------


@pytest.mark.parametrize("slug", ["brightline-electronics", "meridian-insurance"])
def test_the_explore_cells_filled_in_give_answers_the_checks_accept(slug, demo_dir):
    d = demo_dir / slug
    client = load_client(d)
    shares = student("01_first_look.ipynb", "dominant_format", d, "True")
    assert workshop.check("dominant_format", (shares.index[0], shares.iloc[0]), client)
    promo = student("01_first_look.ipynb", "promotional_share", d, "has_text")
    assert workshop.check("promotional_share", promo, client)
    kpis = student(
        "02_kpis_and_platforms.ipynb",
        "vanity_kpis",
        d,
        '{"followers", "likes", "impressions", "reach", "views"}',
    )
    assert workshop.check("vanity_kpis", kpis, client)
    ranked = student("02_kpis_and_platforms.ipynb", "weakest_platform", d, '"benchmark"')
    assert workshop.check("weakest_platform", ranked.iloc[0]["platform"], client)
    n = student("03_conversation.ipynb", "unanswered_negative", d, "~too_new")
    assert workshop.check("unanswered_negative", n, client)
    median = student("03_conversation.ipynb", "median_reply_hours", d, '"median"')
    assert workshop.check("median_reply_hours", median, client)
    top = student("04_the_diagnosis.ipynb", "top_problems", d, '"severity"')
    assert workshop.check("top_problems", list(top["check"]), client)
    assert all(workshop.score().values()) and len(workshop.score()) == 7


def test_answers_typed_as_a_person_types_them_pass(brand, brand_dir):
    shares = student("01_first_look.ipynb", "dominant_format", brand_dir, "True")
    fmt, share = shares.index[0], shares.iloc[0]
    for typed in [
        (f"{fmt} ", round(share, 3)),
        (fmt.title(), f"{share:.1%}"),
        f"{fmt}, {share:.1%}",
        [fmt, share],
    ]:
        assert workshop.check("dominant_format", typed, brand), typed
    promo = student("01_first_look.ipynb", "promotional_share", brand_dir, "has_text")
    for typed in [round(promo, 3), f"{promo:.1%}", f" {promo * 100:.1f} % ", str(round(promo, 2))]:
        assert workshop.check("promotional_share", typed, brand), typed
    for typed in ["followers", ["Followers "], ("followers",), "followers"]:
        assert workshop.check("vanity_kpis", typed, brand), typed
    assert workshop.check("weakest_platform", " Instagram", brand)
    n = student("03_conversation.ipynb", "unanswered_negative", brand_dir, "~too_new")
    for typed in [str(n), float(n), f"{n} comments"]:
        assert workshop.check("unanswered_negative", typed, brand), typed
    median = student("03_conversation.ipynb", "median_reply_hours", brand_dir, '"median"')
    for typed in [
        round(median, 1),
        f"{median:.1f} h",
        f"{median:.1f} hours",
        f"{median * 60:.0f} minutes",
    ]:
        assert workshop.check("median_reply_hours", typed, brand), typed
    top = [f.check for f in diagnose(brand).top(3)]
    assert workshop.check("top_problems", ", ".join(t.upper() for t in top), brand)


def test_platform_nicknames_are_read(demo_dir):
    meridian = load_client(demo_dir / "meridian-insurance")
    right = workshop.EXERCISES["weakest_platform"].expected(workshop.Case(meridian))
    if right == "x":
        assert workshop.check("weakest_platform", "Twitter", meridian)
    assert not workshop.check("weakest_platform", "myspace", meridian)


# --- every slip of FACILITATOR.md is possible on the brand and named by its hint ---------------


def test_1_1_a_percent_and_posts_of_unknown_format(brand, brand_dir):
    shares = student("01_first_look.ipynb", "dominant_format", brand_dir, "True")
    assert "not a percent" in hint(
        "dominant_format", (shares.index[0], shares.iloc[0] * 100), brand
    )
    every = student("01_first_look.ipynb", "dominant_format", brand_dir, "True, dropna=False")
    assert "unknown" in hint("dominant_format", (every.index[0], every.iloc[0]), brand)
    by_len = student(
        "01_first_look.ipynb", None, brand_dir, then='posts["format"].value_counts() / len(posts)'
    )
    assert "unknown" in hint("dominant_format", (by_len.index[0], by_len.iloc[0]), brand)


def test_1_2_a_percent_and_every_post_in_the_denominator(brand, brand_dir):
    promo = student("01_first_look.ipynb", "promotional_share", brand_dir, "has_text")
    assert "percentage" in hint("promotional_share", promo * 100, brand)
    naive = student(
        "01_first_look.ipynb",
        None,
        brand_dir,
        then='is_promotional(posts["text"].fillna("")).mean()',
    )
    assert "without any text" in hint("promotional_share", naive, brand)
    all_rows = student("01_first_look.ipynb", "promotional_share", brand_dir, ":")
    assert "without any text" in hint("promotional_share", all_rows, brand)


def test_2_1_every_kpi_or_clicks_as_vanity(brand):
    assert "Not every KPI" in hint("vanity_kpis", list(brand.profile.kpis), brand)
    assert "clicks: someone acted" in hint("vanity_kpis", ["clicks", "followers"], brand)
    assert "left out" in hint("vanity_kpis", [], brand)


def test_2_2_the_lowest_raw_rate_and_the_table_as_printed(brand, brand_dir):
    raw = student(
        "02_kpis_and_platforms.ipynb",
        None,
        brand_dir,
        then='table.sort_values("median_rate").iloc[0]["platform"]',
    )
    assert "own benchmark" in hint("weakest_platform", raw, brand)
    first_row = student(
        "02_kpis_and_platforms.ipynb", None, brand_dir, then='table.iloc[0]["platform"]'
    )
    assert not workshop.check("weakest_platform", first_row, brand)


SLIPS_3_1 = {
    "brand's own comments": '((score <= -0.3) & ~threads["answered"]).sum()',  # and too new
    "too new to judge": '(threads["audience"] & (score <= -0.3) & ~threads["answered"]).sum()',
    "threads['audience']": '((score <= -0.3) & ~threads["answered"] & ~too_new).sum()',
    "every judged negative": '(threads["audience"] & (score <= -0.3) & ~too_new).sum()',
    "every unanswered": '(threads["audience"] & ~threads["answered"] & ~too_new).sum()',
}


def test_3_1_each_slip_is_a_different_number_and_gets_its_hint(brand, brand_dir):
    right = student("03_conversation.ipynb", "unanswered_negative", brand_dir, "~too_new")
    seen = {right}
    for words, code in SLIPS_3_1.items():
        n = int(student("03_conversation.ipynb", None, brand_dir, then=code))
        assert n not in seen, f"the slip {code} gives a number already seen: the hint can't tell"
        seen.add(n)
        assert words in hint("unanswered_negative", n, brand), code
    naive = int(
        student("03_conversation.ipynb", None, brand_dir, then=SLIPS_3_1["brand's own comments"])
    )
    assert "72 hours" in hint("unanswered_negative", naive, brand)  # both slips named


def test_3_2_the_mean_the_newest_comments_minutes_and_days(brand, brand_dir):
    right = student("03_conversation.ipynb", "median_reply_hours", brand_dir, '"median"')
    mean = student("03_conversation.ipynb", "median_reply_hours", brand_dir, '"mean"')
    assert "mean" in hint("median_reply_hours", mean, brand)
    naive = student(
        "03_conversation.ipynb", None, brand_dir, then='threads["response_hours"].median()'
    )
    assert abs(naive - right) > 0.5
    assert "last 72 hours" in hint("median_reply_hours", naive, brand)
    assert "minutes" in hint("median_reply_hours", right * 60, brand)
    assert "days" in hint("median_reply_hours", right / 24, brand)


def test_4_1_the_table_as_printed_fails_and_no_hint_names_a_missing_id(brand, brand_dir):
    printed = student(
        "04_the_diagnosis.ipynb", None, brand_dir, then='list(table["check"].head(3))'
    )
    assert "alphabetical" in hint("top_problems", printed, brand)
    top = [f.check for f in diagnose(brand).top(3)]
    for answer in (top[:2], [top[0], "kpi.vanity_only", "platform.dilution"], []):
        text = hint("top_problems", answer, brand)
        assert not any(t in text for t in top if t not in answer), text


# --- the recommendation ------------------------------------------------------------------------


def test_a_recommendation_must_cite_the_brands_own_numbers(brand):
    top = diagnose(brand).top(3)
    share = next(e.value for e in top[1].evidence if e.kind == "metric")
    assert workshop.recommendation("Post less hard sell and more help.", brand).ok is False
    r = workshop.recommendation(f"{share:.0%} of posts sell: cut that to one in five.", brand)
    assert r and f"{share * 100:.0f}%" in r.message
    assert workshop.recommendation("  ", brand).ok is None
    assert workshop.recommendation("\n____\n", brand).ok is None  # the blank, unfilled


@pytest.mark.parametrize(
    "text",
    [
        "We are 95% sure this will work.",
        "Cut sales posts to 1 in 5 and post more video.",
        "Aim for the 30% threshold within 3 months.",
        "With 95% confidence, 1 out of 5 posts should sell.",
    ],
)
def test_confidence_levels_targets_thresholds_and_time_frames_are_not_the_brands_numbers(
    text, brand
):
    r = workshop.recommendation(text, brand)
    assert r.ok is False, r.message


def test_the_brands_counts_and_ratios_count(brand):
    f = diagnose(brand).top(3)[1]  # "N of M posts (P%) are sales pitches"
    n, m = re.search(r"(\d+) of (\d+)", f.message).groups()
    assert workshop.recommendation(f"{n} of {m} posts are sales pitches; cut to 1 in 5.", brand)


def test_no_hint_shows_a_model_answer(brand):
    facts = set()
    for f in diagnose(brand).top(3):
        facts |= set(re.findall(r"\d+(?:\.\d+)?", f.message))
    for text in ["Post less hard sell.", "We are 95% sure this will work.", "Cut to 1 in 5."]:
        r = workshop.recommendation(text, brand)
        shown = set(re.findall(r"\d+(?:\.\d+)?", " ".join(r.hints))) - set(re.findall(r"\d+", text))
        assert not shown & facts, r.hints


# --- the machinery -------------------------------------------------------------------------------


def test_unanswered_is_neither_right_nor_wrong_and_is_not_scored(brand):
    r = workshop.check("promotional_share", None, brand)
    assert r.ok is None and not r and "not answered yet" in r.message
    assert workshop.score() == {}


def test_unknown_exercise_lists_the_known_ones(brand):
    with pytest.raises(KeyError, match="dominant_format"):
        workshop.check("no_such_exercise", 1, brand)


def test_an_unreadable_answer_gets_the_general_hint(brand):
    r = workshop.check("unanswered_negative", "lots", brand)
    assert not r and r.hints == [workshop.EXERCISES["unanswered_negative"].hint]


def test_the_blank_stops_a_cell_with_a_short_note():
    import pandas as pd

    with pytest.raises(workshop.BlankNotFilled, match="Replace ____"):
        pd.Series([1, 2]).value_counts(normalize=workshop.____)
    assert workshop.BlankNotFilled("x")._render_traceback_() == ["✎ x"]


def test_the_result_shows_itself_as_html_with_its_hints(brand):
    html = workshop.check("vanity_kpis", ["sales", "clicks", "followers"], brand)._repr_html_()
    assert "not quite" in html and "<li>Not every KPI is a vanity metric" in html


def test_every_question_has_an_explore_cell_with_a_blank_and_unfolding_hints():
    for path in sorted(WORKSHOP.glob("0*.ipynb")):
        cells = _cells(path.name)
        checks = [
            c
            for c in cells
            if re.search(r"workshop\.(check|recommendation)\(", "".join(c["source"]))
        ]
        explores = {
            c["metadata"]["workshop"]["exercise"]: c
            for c in cells
            if "workshop" in c.get("metadata", {})
        }
        assert checks and len(explores) == len(checks), path.name
        for c in explores.values():
            assert "____" in "".join(c["source"]) and "raises-exception" in c["metadata"]["tags"]
        text = "".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        assert text.count("<summary>Hint 1</summary>") == len(checks), path.name
        assert "By the end of this part you can" in text and "## Takeaways" in text
        assert text.count("<summary>Answer</summary>") >= 2  # check yourself


def test_the_solutions_are_not_in_the_participants_folder_and_are_generated(tmp_path, brand_dir):
    import nbformat

    from socialkit.cli import main

    assert not list(WORKSHOP.rglob("*solution*"))
    assert main(["workshop", "solutions", "--out", str(tmp_path), "--client", str(brand_dir)]) == 0
    nb = nbformat.read(tmp_path / "solutions.ipynb", as_version=4)
    src = "".join(c.source for c in nb.cells)
    assert all(f'workshop.check("{e}"' in src for e in workshop.EXERCISES)
    assert main(["workshop", "solutions", "--out", str(tmp_path), "--client", str(tmp_path)]) == 2
