"""The check-in taken by clicking in Chromium, through the present-mode server."""

from __future__ import annotations

import re

import pytest

from workshop_kit.session import Session
from workshop_kit.widgets.checkin import checkin_steps

from .conftest import (
    LARGE,
    SMALL,
    add_couple,
    give_secret,
    no_horizontal_scroll,
    open_notebook,
    screenshot,
)

pytestmark = pytest.mark.browser


def steps_count(store_path) -> int:
    with Session.open(store_path) as session:
        return len(checkin_steps(session))


def choose_person(page, code: str, partner: str) -> None:
    root = page.locator(".wk-root").first
    root.locator("select").select_option(label=code)
    root.get_by_role("button", name=f"Partner {partner}", exact=True).click()
    root.get_by_role("button", name="Start", exact=True).click()


def progress(page):
    return page.locator(".wk-progress")


def click_answer(page, label: str, total: int, now: int) -> None:
    """Click the choice starting with ``label`` on question ``now`` and wait for the next."""
    from playwright.sync_api import expect

    expect_question(page, now, total)
    # the widget clears the last answer after it shows the new question: wait for that, or
    # the click could land on the previous question's state and change nothing
    expect(page.locator(".wk-choice button.wk-chosen")).to_have_count(0)
    page.locator(".wk-choice").get_by_role(
        "button", name=re.compile(rf"^{re.escape(label)}\b")
    ).click()
    if now < total:
        expect_question(page, now + 1, total)


def expect_question(page, number: int, total: int) -> None:
    from playwright.sync_api import expect

    expect(progress(page)).to_contain_text(f"question {number} of {total}")


def test_checkin_by_clicking_is_saved_and_survives_a_reload(page, server, store_path, fresh_codes):
    from playwright.sync_api import expect

    code, total = fresh_codes[0], steps_count(store_path)
    open_notebook(page, server, "10_checkin_before.ipynb")
    screenshot(page, "10_checkin_before-who")
    choose_person(page, code, "A")
    page.locator(".wk-secret input[type=password]").first.wait_for(state="visible")
    screenshot(page, "10_checkin_before-secret")
    give_secret(page, "tulip7", first_time=True)
    clicked = ["4", "5", "2"]
    for number, label in enumerate(clicked, start=1):
        click_answer(page, label, total, number)
    screenshot(page, "10_checkin_before-question")

    with Session.open(store_path) as session:
        mine = session.answers(phase="before")
        mine = mine[(mine["couple_code"] == code) & (mine["partner"] == "A")]
        first = [step.key for step in checkin_steps(session)[:3]]
    assert [(r.instrument, r.item_id) for r in mine.itertuples()] == first
    assert mine["value"].tolist() == [4.0, 5.0, 2.0]
    assert set(mine["source"]) == {"widget"}

    # A reload (a new kernel, a new widget) asks for the secret, then resumes at the first
    # unanswered question; a wrong secret shows a kind message and no question.
    page.reload(wait_until="domcontentloaded")
    page.wait_for_selector(".wk-root select", state="visible", timeout=90_000)
    choose_person(page, code, "A")
    give_secret(page, "guess1", first_time=False)
    expect(page.locator(".wk-secret .wk-error")).to_contain_text("That secret does not match")
    screenshot(page, "10_checkin_before-wrong-secret")
    expect(progress(page)).to_have_count(0)
    give_secret(page, "Tulip7", first_time=False)
    expect_question(page, 4, total)
    page.get_by_role("button", name="◀ Back").click()
    expect_question(page, 3, total)
    # a resumed sitting shows no earlier answer, even going back
    expect(page.locator(".wk-choice button.wk-chosen")).to_have_count(0)

    with Session.open(store_path) as session:
        again = session.answers(phase="before")
        again = again[(again["couple_code"] == code) & (again["partner"] == "A")]
    assert again["value"].tolist() == [4.0, 5.0, 2.0]


def test_projector_sizes_on_the_checkin_page(page, server, store_path):
    code = add_couple(store_path)  # a partner with no secret yet
    open_notebook(page, server, "10_checkin_before.ipynb")
    choose_person(page, code, "B")
    give_secret(page, "rose42", first_time=True)
    expect_question(page, 1, steps_count(store_path))
    sizes = page.evaluate(
        """() => {
        const px = (el) => parseFloat(getComputedStyle(el).fontSize);
        const texts = [...document.querySelectorAll(
            '.jp-RenderedMarkdown p, .wk-root .wk-help, .wk-root .wk-progress, '
            + '.wk-root .wk-question')]
            .filter((el) => el.offsetParent !== null && el.textContent.trim());
        const buttons = [...document.querySelectorAll('.wk-root button')]
            .filter((el) => el.offsetParent !== null);
        return {
            text: texts.map((el) => [el.className, px(el)]),
            buttons: buttons.map(
                (el) => [el.textContent.trim(), el.getBoundingClientRect().height]),
        };
    }"""
    )
    assert len(sizes["text"]) >= 4, sizes
    small_text = [t for t in sizes["text"] if t[1] < 24]
    assert not small_text, f"text under 24 px: {small_text}"
    assert len(sizes["buttons"]) >= 5, sizes
    low_buttons = [b for b in sizes["buttons"] if b[1] < 44]
    assert not low_buttons, f"buttons under 44 px high: {low_buttons}"


@pytest.mark.parametrize(
    "notebook", ["00_start_here.ipynb", "10_checkin_before.ipynb", "40_checkin_after.ipynb"]
)
def test_no_horizontal_scrolling(page, server, notebook):
    open_notebook(page, server, notebook)
    for viewport in (SMALL, LARGE):  # one page load, both projector sizes
        page.set_viewport_size(viewport)
        assert no_horizontal_scroll(page), (
            viewport,
            page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]"),
        )
        if viewport == SMALL:
            screenshot(page, notebook.removesuffix(".ipynb"))
