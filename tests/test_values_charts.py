"""The room values chart and the couple's page, read through their artists."""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from workshop_kit.charts.style import PROJECTOR_FIGSIZE
from workshop_kit.charts.values import (
    couple_values_figure,
    couple_values_page,
    room_values_chart,
    room_values_figure,
)
from workshop_kit.values import compare_sorts, load_deck, make_sort, room_points, sort_frames
from workshop_kit.values_session import place_card, read_all_sorts


@pytest.fixture(scope="module")
def deck():
    return load_deck()


def bars(ax):
    """(label, width) of every bar, top to bottom."""
    labels = {round(t.get_position()[1]): t.get_text() for t in ax.get_yticklabels()}
    middle = [(round(p.get_y() + p.get_height() / 2), p.get_width()) for p in ax.patches]
    return [(labels[y], width) for y, width in sorted(middle, reverse=True)]


def texts(fig):
    return [t.get_text() for t in fig.texts]


def test_room_chart_bars_are_points_with_other_last_and_a_note(deck):
    sorts = {
        f"p{i}": make_sort(deck, {"trust": "very", "fun": "very"}, ["trust", "fun"])
        for i in range(3)
    }
    for i, value_id in enumerate(["order", "faith", "nature"]):
        sorts[f"q{i}"] = make_sort(deck, {value_id: "very"}, [value_id])
    ax = room_values_chart(room_points(sorts, deck, 3), k=3)
    assert bars(ax) == [("Trust", 15), ("Fun and laughter", 12), ("Other (smaller groups)", 15)]
    notes = " ".join(t.get_text() for t in ax.texts)
    assert "fewer than 3 people are folded into “Other”" in notes
    assert "15  (3 people)" in notes


def test_room_chart_never_labels_a_value_with_fewer_than_k_people(demo_session, deck):
    k = demo_session.k
    _piles, ranks = sort_frames(read_all_sorts(demo_session, deck))
    people = ranks.groupby("value_id")["contributor"].nunique()
    few = {deck.name(v) for v, n in people.items() if n < k}
    assert few  # the demo room has values ranked by one or two people only
    fig = room_values_figure(demo_session)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels and not few & set(labels)
    assert "Other (smaller groups)" in labels
    assert fig.get_size_inches().tolist() == list(PROJECTOR_FIGSIZE)


def test_room_chart_caps_the_number_of_bars(deck):
    points = pd.DataFrame(
        {
            "value": [c.name for c in deck.cards[:14]],
            "contributors": 3,
            "points": list(range(40, 26, -1)),
        }
    )
    ax = room_values_chart(points, k=3, top=10)
    assert len(ax.patches) == 10
    assert any("4 more values not shown" in t.get_text() for t in ax.texts)


def test_room_chart_with_nothing_to_show_says_so():
    ax = room_values_chart(pd.DataFrame(columns=["value", "contributors", "points"]), k=3)
    assert "at least 3 people" in ax.texts[0].get_text() and not ax.patches


def test_couple_page_shows_shared_differences_agreement_and_prompts(deck):
    a = make_sort(
        deck,
        {"trust": "very", "honesty": "very", "faith": "very", "fun": "very"},
        ["trust", "honesty"],
    )
    b = make_sort(
        deck, {"trust": "very", "honesty": "very", "faith": "not", "fun": "important"}, ["trust"]
    )
    fig = couple_values_page(compare_sorts(deck, a, b), deck, "K7P3", "Spring, 2026-11-21")
    assert isinstance(fig, Figure)
    assert [round(x, 2) for x in fig.get_size_inches()] == [8.27, 11.69]
    lines = texts(fig)
    assert "Couple K7P3  ·  Spring, 2026-11-21" in lines
    assert "•  Trust   ★ in both your top fives" in lines
    assert "•  Honesty" in lines
    assert "•  Faith: very important to A, not important to B" in lines
    assert "•  Fun and laughter: very important to A, important to B" in lines
    assert any("2 of the 4 cards you both sorted in the same pile (50%)" in t for t in lines)
    assert any(t.startswith('1.  You both hold "Trust" close') for t in lines)
    assert sum(t[:1].isdigit() and t[1:4] == ".  " and "top" not in t for t in lines) >= 3


def test_couple_figure_from_the_session_is_kind_when_a_partner_skipped(session, deck):
    code = session.couple_codes()[0]
    place_card(session, code, "A", "trust", "very", deck)
    lines = " ".join(texts(couple_values_figure(session, code, paper="Letter")))
    assert "Partner B did not sort the cards this time, and that is completely fine" in lines
    assert "Trust" in lines
    assert "same pile" not in lines
    other = session.couple_codes()[1]
    lines = " ".join(texts(couple_values_figure(session, other)))
    assert "You did not sort the value cards in the workshop, and that is" in lines
    # one couple's data only
    assert code not in lines


def test_couple_page_rejects_unknown_paper(deck):
    from workshop_kit.errors import InputError

    with pytest.raises(InputError, match=r"paper must be one of \['A4', 'Letter'\]; not 'A5'"):
        couple_values_page(compare_sorts(deck, None, None), deck, "K7P3", paper="A5")
