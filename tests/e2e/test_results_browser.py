"""The room chart follows the store: "after" check-ins change it, in steps of k people.

k - 1 more people leave every theme already shown as it was (the difference would be
their answers); with the k-th, taken by clicking, and more, the chart moves.
"""

from __future__ import annotations

import pytest

from workshop_kit.results import checkin_results, room_change
from workshop_kit.session import Answer, Session
from workshop_kit.widgets.checkin import checkin_steps

from .conftest import give_secret, open_notebook, screenshot
from .test_checkin_browser import choose_person, click_answer, expect_question

pytestmark = pytest.mark.browser

ANSWER = {"item": "5", "picture": "6"}
FLAG_ANSWER = {"consent": "Yes", "wants_to_talk": "No"}


def room_n(store_path) -> int:
    """How many before/after pairs the room's theme chart counts (all themes together)."""
    with Session.open(store_path) as session:
        change = room_change(checkin_results(session), session.k)
    return int(change[change["measure"] == "checkin"]["n"].sum())


def shown_changes(store_path, tmp_path) -> dict[str, float]:
    """The theme changes the results page shows now, worked out on a backup copy.

    Publishing records what it shows, so it runs on a copy (the same ledger as the page's):
    the room's own ledger stays as the page left it.
    """
    import math

    from workshop_kit.published import publish_checkin
    from workshop_kit.store import backup

    copy = backup(store_path, tmp_path / f"copy-{len(list(tmp_path.glob('copy-*')))}.sqlite")
    with Session.open(copy) as session:
        change = publish_checkin(session).change
    rows = change[change["measure"] == "checkin"]
    return {
        sub: float(value)
        for sub, value in zip(rows["subscale"], rows["mean_change"], strict=True)
        if not math.isnan(float(value))
    }


def chart_sources(page) -> list[str]:
    page.wait_for_selector(".jp-RenderedImage img", state="visible", timeout=90_000)
    return page.locator(".jp-RenderedImage img").evaluate_all("imgs => imgs.map(i => i.src)")


def test_after_checkin_by_clicking_updates_the_room_chart(page, server, store_path, tmp_path):
    from playwright.sync_api import expect

    with Session.open(store_path) as session:
        steps = checkin_steps(session)
        after = session.answers(phase="after")
        before = session.answers(phase="before")
    done_after = set(zip(after["couple_code"], after["partner"], strict=True))
    waiting = list(
        dict.fromkeys(
            p
            for p in zip(before["couple_code"], before["partner"], strict=True)
            if p not in done_after
        )
    )
    code, partner = waiting[0]
    with Session.open(store_path) as session:
        k = session.k
    with Session.open(store_path) as session:
        given_flags = {
            s.flag.id: session.flag(code, partner, s.flag.id) for s in steps if s.kind == "flag"
        }
    n_before = room_n(store_path)

    open_notebook(page, server, "50_results.ipynb", wait_for=".jp-RenderedImage img")
    first = chart_sources(page)
    assert len(first) >= 2  # the themes chart and the circles chart
    screenshot(page, "50_results")
    shown = shown_changes(store_path, tmp_path)

    # the room's figures move in batches of k people: k - 1 others answer on paper first
    with Session.open(store_path) as session:
        session.record_answers(
            [
                Answer(c, p, "after", s.key[0], s.key[1], 4 if s.kind == "item" else 5)
                for c, p in waiting[1:k]
                for s in steps
                if s.kind != "flag"
            ],
            source="paper",
        )

    # k - 1 new people: every theme already shown keeps its figure (a theme shown for the
    # first time may appear: it rests on k people of its own)
    open_notebook(page, server, "50_results.ipynb", wait_for=".jp-RenderedImage img")
    now = shown_changes(store_path, tmp_path)
    assert shown and {sub: now.get(sub) for sub in shown} == shown

    open_notebook(page, server, "40_checkin_after.ipynb")
    choose_person(page, code, partner)
    give_secret(page, "tulip7")  # this demo partner chooses one now (or types it)
    for number, step in enumerate(steps, start=1):
        if step.kind == "flag" and given_flags[step.flag.id] is not None:
            # asked once per person (consent at the first check-in): it shows; move on
            expect_question(page, number, len(steps))
            page.get_by_role("button", name="Next ▶").click()
        else:
            label = FLAG_ANSWER[step.flag.id] if step.kind == "flag" else ANSWER[step.kind]
            click_answer(page, label, len(steps), number)
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    screenshot(page, "40_checkin_after-done")

    with Session.open(store_path) as session:
        mine = session.answers(phase="after")
        mine = mine[(mine["couple_code"] == code) & (mine["partner"] == partner)]
        assert len(mine) == sum(step.kind != "flag" for step in steps)
        assert session.consents(code, partner) is True
    assert room_n(store_path) > n_before

    open_notebook(page, server, "50_results.ipynb", wait_for=".jp-RenderedImage img")
    chart_sources(page)  # the page draws again after the k-th new person

    with Session.open(store_path) as session:
        items = [i.id for i in session.content.instrument("checkin").items]
        done = set(zip(*session.answers(phase="after")[["couple_code", "partner"]].T.values))
        waiting = [
            p
            for p in dict.fromkeys(zip(before["couple_code"], before["partner"], strict=True))
            if p not in done
        ]
        for other_code, other_partner in waiting[: session.k - 1]:
            session.record_answers(
                [Answer(other_code, other_partner, "after", "checkin", item, 4) for item in items],
                source="widget",
            )
    open_notebook(page, server, "50_results.ipynb", wait_for=".jp-RenderedImage img")
    assert chart_sources(page)[0] != first[0]  # k people since: the chart moves
