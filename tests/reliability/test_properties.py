"""Property tests (hypothesis): scoring, the couple consent rule, tallies and the importer."""

from __future__ import annotations

import math
import uuid

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop_kit import tally
from workshop_kit.content import load_checkin
from workshop_kit.couple import couple_scores
from workshop_kit.errors import ImportRejected
from workshop_kit.importers import import_file
from workshop_kit.scoring import subscale_scores
from workshop_kit.session import Session

CHECKIN = load_checkin().instrument("checkin")
ITEMS = CHECKIN.items
SUBSCALES = {sub.id: sub for sub in CHECKIN.subscales}

PROPS = settings(
    max_examples=40,
    deadline=None,
    derandomize=True,  # the same examples every run: RELIABILITY.md stays the same
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def answers_frame(values: dict[str, float | None], code="AB12", partner="A", phase="before"):
    return pd.DataFrame(
        {
            "couple_code": code,
            "partner": partner,
            "phase": phase,
            "instrument": "checkin",
            "item_id": list(values),
            "value": [np.nan if v is None else float(v) for v in values.values()],
        }
    )


@st.composite
def item_answers(draw, skipped=True):
    """Random answers (None = skipped) to a random subset of the check-in items."""
    chosen = draw(st.lists(st.sampled_from(ITEMS), unique_by=lambda i: i.id, max_size=len(ITEMS)))
    out = {}
    for item in chosen:
        value = st.integers(item.min, item.max)
        out[item.id] = draw(st.one_of(st.none(), value) if skipped else value)
    return out


@PROPS
@given(item_answers())
def test_a_theme_score_stays_within_its_items_range(ledger, values):
    ledger.add("Properties", "scoring: theme score within item range (examples)")
    scores = subscale_scores(answers_frame(values), CHECKIN)
    for row in scores.dropna(subset=["score"]).itertuples():
        items = SUBSCALES[row.subscale].items
        assert min(i.min for i in items) <= row.score <= max(i.max for i in items)


@PROPS
@given(item_answers(skipped=False), st.data())
def test_skipping_an_item_scores_exactly_as_not_answering_it(ledger, values, data):
    ledger.add("Properties", "scoring: skipped equals not answered (examples)")
    unanswered = [i.id for i in ITEMS if i.id not in values]
    skipped = data.draw(
        st.lists(st.sampled_from(unanswered), unique=True) if unanswered else st.just([])
    )
    without = subscale_scores(answers_frame(values), CHECKIN)
    with_skips = subscale_scores(answers_frame({**values, **dict.fromkeys(skipped)}), CHECKIN)
    merged = without.merge(with_skips, on=["subscale"], how="outer", suffixes=("", "_skip"))
    for row in merged.itertuples():  # a theme only skipped may be listed, without a score
        if math.isnan(row.score):
            assert math.isnan(row.score_skip), row  # a skip never makes a score appear
        else:
            assert row.score_skip == row.score  # a skip is never a zero


@PROPS
@given(st.sampled_from(ITEMS), st.data())
def test_reversing_twice_is_the_identity(ledger, item, data):
    ledger.add("Properties", "scoring: reversed twice is identity (examples)")
    value = data.draw(st.integers(item.min, item.max))
    assert item.score(item.score(value)) == value
    reversed_item = type(item)(item.id, item.text, item.min, item.max, not item.reversed)
    assert item.min <= reversed_item.score(value) <= item.max


score = st.one_of(st.none(), st.floats(1, 5, allow_nan=False))


@st.composite
def couple_score_rows(draw):
    rows = []
    for phase in ("before", "after"):
        for subscale in ("trust", "gratitude"):
            for partner in ("A", "B"):
                value = draw(score)
                if value is not None:
                    rows.append(("X1", partner, phase, subscale, value))
    # another couple's scores must never leak into this one
    rows.append(("Y2", "A", "before", "trust", draw(st.floats(1, 5))))
    return pd.DataFrame(rows, columns=["couple_code", "partner", "phase", "subscale", "score"])


@PROPS
@given(couple_score_rows(), st.booleans(), st.booleans())
def test_couple_scores_follow_the_consent_rule(ledger, scores, consent_a, consent_b):
    ledger.add("Properties", "couple_scores consent rule (examples)")
    table = couple_scores(scores, "X1", consent_a, consent_b)
    mine = scores[scores["couple_code"] == "X1"]
    if not (consent_a and consent_b):
        assert table["partner_a"].isna().all() and table["partner_b"].isna().all()
    for row in table.itertuples():
        given_ = mine[(mine["phase"] == row.phase) & (mine["subscale"] == row.subscale)]
        partners = set(given_["partner"])
        if (partners == {"A"} and not consent_a) or (partners == {"B"} and not consent_b):
            assert math.isnan(row.couple_mean)  # a lone partner's score, not agreed to
        if not math.isnan(row.couple_mean):
            assert row.couple_mean == given_["score"].mean()


@st.composite
def contributions(draw):
    n = draw(st.integers(0, 40))
    return pd.DataFrame(
        {
            "contributor": draw(st.lists(st.integers(1, 12), min_size=n, max_size=n)),
            "label": draw(st.lists(st.sampled_from("abcdefg"), min_size=n, max_size=n)),
            "group": draw(st.lists(st.sampled_from(["before", "after"]), min_size=n, max_size=n)),
            "value": draw(st.lists(st.floats(1, 5), min_size=n, max_size=n)),
            "weight": draw(st.lists(st.integers(1, 5), min_size=n, max_size=n)),
        }
    )


@PROPS
@given(contributions(), st.integers(1, 5))
def test_tallies_never_output_a_group_under_k(ledger, rows, k):
    ledger.add("Properties", "tally room_means / suppress_counts / fold_small under k (examples)")
    per_person = rows.drop_duplicates(["contributor", "group"])
    means = tally.room_means(per_person, ["group"], "value", k)
    for row in means.itertuples():
        assert row.suppressed == (row.n < k)
        if row.suppressed:
            assert math.isnan(row.mean) and math.isnan(row.sd) and math.isnan(row.ci_low)
        else:
            assert row.n >= k
    counts = rows.groupby("label")["contributor"].nunique().rename("n").reset_index()
    for row in tally.suppress_counts(counts, k).itertuples():
        assert (not math.isnan(row.n) and row.n >= k) or row.suppressed
    folded = tally.fold_small(rows, "label", k, weight="weight")
    for row in folded.itertuples():
        assert row.contributors >= k
        assert (
            row.label == tally.OTHER
            or rows.loc[rows["label"] == row.label, "contributor"].nunique() >= k
        )


@st.composite
def wide_files(draw):
    """Rows of a wide CSV: (partner, phase) -> {item: value or None} for 3 couples."""
    items = draw(st.lists(st.sampled_from(ITEMS), unique_by=lambda i: i.id, min_size=1, max_size=6))
    rows = {}
    for couple in range(3):
        for partner in "AB":
            for phase in ("before", "after"):
                if draw(st.booleans()):
                    rows[(couple, partner, phase)] = {
                        i.id: draw(st.one_of(st.none(), st.integers(i.min, i.max))) for i in items
                    }
    delimiter = draw(st.sampled_from([",", ";"]))
    return [i.id for i in items], rows, delimiter


@PROPS
@given(wide_files())
def test_random_valid_wide_csv_files_round_trip(ledger, tmp_path_factory, spec):
    ledger.add("Properties", "importer round trip of random wide CSV files (examples)")
    items, rows, delimiter = spec
    folder = tmp_path_factory.mktemp("roundtrip")
    with Session.create(
        folder / f"{uuid.uuid4().hex}.sqlite", "Round trip", couples=3, seed=1
    ) as session:
        codes = session.couple_codes()
        lines = [delimiter.join(["couple_code", "partner", "phase", *items])]
        for (couple, partner, phase), values in rows.items():
            cells = ["" if values[i] is None else str(values[i]) for i in items]
            lines.append(delimiter.join([codes[couple], partner, phase, *cells]))
        path = folder / "wide.csv"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        expected = {
            (codes[c], p, ph, item): float(v)
            for (c, p, ph), values in rows.items()
            for item, v in values.items()
            if v is not None
        }
        if not rows:
            return
        try:
            import_file(session, path)
        except ImportRejected as exc:  # rows but no answer at all: refused, clearly
            assert not expected, exc
            return
        got = {
            (r.couple_code, r.partner, r.phase, r.item_id): r.value
            for r in session.answers().itertuples()
        }
        assert got == expected
