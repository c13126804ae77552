"""The exercise charts: the room's rituals (projector) and the "next steps" page."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Text

from workshop_kit import exercises as ex
from workshop_kit.charts.exercises import next_steps_figure, room_rituals
from workshop_kit.charts.style import PAPER_SIZES, chart_style
from workshop_kit.errors import InputError


def _texts(fig) -> str:
    return "\n".join(t.get_text() for t in fig.findobj(Text))


def _plan(session, code, own_text="Pancakes on Sunday"):
    ex.save_rituals_plan(
        session,
        code,
        [
            {"ritual": "weekly_date", "day": "Friday", "time": "19:30"},
            {"ritual": "walk", "day": "Every day", "time": "07:15"},
            {"ritual": "own", "day": "Sunday", "time": "09:00", "text": own_text},
        ],
    )


# -- room chart -------------------------------------------------------------------------
def test_room_rituals_draws_one_bar_per_shown_ritual(demo_session) -> None:
    counts = ex.room_ritual_counts(demo_session)
    with chart_style("projector"):
        ax = room_rituals(counts, demo_session.k, plans=10)
    heights = [bar.get_width() for bar in ax.patches]
    assert heights == list(counts["couples"][::-1])
    assert [t.get_text() for t in ax.get_yticklabels()] == list(counts["name"][::-1])
    assert min(heights) >= demo_session.k
    text = _texts(ax.figure)
    assert "10 couples made a plan" in text and "fewer than 3 couples" in text
    assert "Other rituals" in text


def test_room_rituals_hides_everything_under_k(session) -> None:
    codes = session.couple_codes()
    for code in codes[:2]:
        _plan(session, code)
    counts = ex.room_ritual_counts(session)
    ax = room_rituals(counts, session.k, plans=ex.plans_made(session)["rituals_plans"])
    assert counts.empty and len(ax.patches) == 0
    assert "at least 3 couples" in _texts(ax.figure)
    assert "Pancakes" not in _texts(ax.figure)


def test_room_rituals_says_when_plans_are_too_few_to_count() -> None:
    counts = pd.DataFrame({"ritual": ["walk"], "name": ["A walk together"], "couples": [3]})
    fig, ax = plt.subplots()
    assert room_rituals(counts, 3, plans=None, ax=ax) is ax
    assert "Fewer than 3 couples have made a plan" in _texts(fig)


# -- next steps page --------------------------------------------------------------------
def test_next_steps_shows_the_plan_with_days_and_times(session) -> None:
    code, other = session.couple_codes()[:2]
    _plan(session, code)
    _plan(session, other, own_text="Another couple's secret")
    ex.save_calm_down_plan(
        session,
        code,
        "A",
        ex.check_calm_down_plan("own", 30, "same_place", signal_text='I say "penguin"'),
    )
    fig = next_steps_figure(session, code, lowest_themes=["conflict"])
    text = _texts(fig)
    assert tuple(fig.get_size_inches()) == pytest.approx(PAPER_SIZES["A4"])
    for expected in (
        "Our next steps",
        f"couple {code}",
        "A weekly date: on Fridays at 19:30",
        "A walk together: every day at 07:15",
        "Pancakes on Sunday: on Sundays at 09:00",
        'My signal: I say "penguin"',
        "My break: 30 minutes",
        "Coming back: We meet at an agreed spot",
    ):
        assert expected in text.replace("\n", " "), expected
    # the week strip marks Friday, Sunday and (for the daily walk) every day
    assert text.count("2 · 07:15") == 7 and "1 · 19:30" in text and "3 · 09:00" in text
    # a plan means no ideas from the themes; nothing of the other couple
    assert "Try this" not in text
    assert "Another couple's secret" not in text and other not in text
    assert "No calm-down plan was made today" in text  # partner B made none


def test_next_steps_without_a_plan_offers_ideas_from_the_lowest_themes(session) -> None:
    code = session.couple_codes()[0]
    content = ex.load_exercises()
    fig = next_steps_figure(
        session, code, lowest_themes=["gratitude", "quality_time"], paper="letter"
    )
    text = _texts(fig).replace("\n", " ")
    assert tuple(fig.get_size_inches()) == pytest.approx(PAPER_SIZES["Letter"])
    assert "You did not make a rituals plan today, and that is fine" in text
    assert "Gratitude and appreciation" in text and "Quality time" in text
    assert content.suggestions["gratitude"].try_text in text
    assert "A gratitude journal" in text
    assert text.count("No calm-down plan was made today") == 2


def test_next_steps_with_no_themes_gives_general_ideas(session) -> None:
    text = _texts(next_steps_figure(session, session.couple_codes()[0])).replace("\n", " ")
    assert "a few ideas to start with" in text
    assert ex.load_exercises().suggestions[ex.GENERAL].try_text in text


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"paper": "A5"}, "paper must be one of"),
        ({"lowest_themes": ["horoscopes"]}, "theme must be one of"),
        ({"couple_code": "ZZZZ"}, "not in this session"),
    ],
)
def test_next_steps_refuses_bad_arguments(session, kwargs, message) -> None:
    kwargs = {"couple_code": session.couple_codes()[0], **kwargs}
    with pytest.raises(InputError, match=message):
        next_steps_figure(session, **kwargs)
