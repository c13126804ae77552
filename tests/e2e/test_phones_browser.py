"""Phones in a real Chromium: a phone-sized touch screen with JavaScript off joins by URL,
takes a whole check-in and a values sort; the answers are in the store and the live
dashboard counts them. And the facilitator's panel on the projector (notebook 15)."""

from __future__ import annotations

import itertools
import re
import socket

import pytest

from workshop_kit.phones import devices as dev
from workshop_kit.phones.network import join_url
from workshop_kit.phones.server import PhoneServer
from workshop_kit.session import Session
from workshop_kit.values import load_deck
from workshop_kit.values_session import read_sort
from workshop_kit.widgets.dashboard import RoomDashboard

from .conftest import add_couple, open_notebook, screenshot

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def phones(browser, store_path, e2e_dir):
    with PhoneServer(
        store_path, bind="127.0.0.1", port=_free_port(), log=e2e_dir / "phones.log"
    ) as running:
        yield running


@pytest.fixture
def phone_page(browser):
    context = browser.new_context(
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=False,  # the pages work without it
        locale="en-GB",
    )
    context.set_default_timeout(20_000)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.requests = requests
    yield page
    context.close()


def tap(page, locator) -> None:
    """Tap a button or link and wait for the next page (JavaScript is off: a real load)."""
    with page.expect_navigation():
        locator.tap()


def fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways: {width} px"


def test_a_phone_joins_takes_the_checkin_and_the_values_sort(phone_page, phones, store_path):
    code = add_couple(store_path)
    with Session.open(store_path) as session:
        board = RoomDashboard(session)
        received_before = int(board.received["received"].sum())
        url = phones.join_url()
    assert url is not None
    page = phone_page

    page.goto(url)
    fits_the_phone(page)
    screenshot(page, "phone-join")
    page.fill("#couple_code", code.lower())
    page.get_by_text("Partner A", exact=True).tap()
    tap(page, page.get_by_role("button", name="Next"))
    page.fill("#secret", "tulip7")
    page.fill("#secret_again", "tulip7")
    tap(page, page.get_by_role("button", name="Join"))
    page.get_by_text("Hello, partner A").wait_for()
    fits_the_phone(page)
    screenshot(page, "phone-home")

    tap(page, page.get_by_role("link", name=re.compile("start of the day")))
    total = int(re.search(r"of (\d+)", page.locator(".progress").inner_text()).group(1))
    for number in range(1, total + 1):
        assert f"Question {number} of {total}" in page.locator(".progress").inner_text()
        if number == 1:
            fits_the_phone(page)
            screenshot(page, "phone-checkin-question")
        yes = page.get_by_role("button", name="Yes", exact=True)
        if yes.count():
            tap(page, yes)
        elif page.locator(".pictures").count():
            fits_the_phone(page)
            screenshot(page, "phone-checkin-circles")
            tap(page, page.locator('button[value="5"]'))
        else:
            tap(page, page.locator('button[name="value"][value="4"]'))
    page.get_by_text("Your answers are saved").wait_for()

    page.goto(phones.url("/v"))
    piles = itertools.cycle(["very", "important", "not"])
    first = True
    while page.locator('input[name="card"]').count():
        if first:
            fits_the_phone(page)
            screenshot(page, "phone-values-card")
            first = False
        tap(page, page.locator(f'button[name="pile"][value="{next(piles)}"]'))
    for _place in range(5):
        tap(page, page.locator('button[name="pick"]').first)
    page.get_by_text("Your sort is saved").wait_for()
    fits_the_phone(page)
    screenshot(page, "phone-values-top5")

    # nothing but the phone server was asked for anything
    assert all(r.startswith(phones.url("")) for r in page.requests), page.requests

    with Session.open(store_path) as session:
        answers = session.answers("before")
        mine = answers[(answers["couple_code"] == code) & (answers["partner"] == "A")]
        assert len(mine) == total - len(session.content.flags)
        assert set(mine["source"]) == {"phone"}
        assert session.consents(code, "A") is True
        sort = read_sort(session, code, "A")
        assert sort.is_complete(load_deck())
    with Session.open(store_path) as session:
        board = RoomDashboard(session)
        assert int(board.received["received"].sum()) == received_before + 1


def test_the_phones_panel_on_the_projector(page, server, store_path):
    """Notebook 15 in present mode: start the phone page, show both QR codes and the
    count; the panel's phone server answers; stop it."""
    open_notebook(page, server, "15_phones.ipynb")
    address = page.locator(".widget-dropdown select").first
    # this laptop only: the option before "every network" (the last)
    address.select_option(index=address.locator("option").count() - 2)
    port = _free_port()
    port_box = page.locator(".widget-inline-hbox input[type=number]").first
    port_box.fill(str(port))
    port_box.press("Enter")
    page.get_by_role("button", name="Start the phone page").click()
    page.get_by_text("The phone page is running").wait_for(timeout=60_000)
    page.locator("input[placeholder='Network name (SSID)']").fill("Workshop")
    page.locator("input[type=password]").fill("calm-tuesday")
    page.get_by_role("button", name="Show the Wi-Fi code").click()
    page.get_by_text("1. Join the Wi-Fi").wait_for()
    page.get_by_text("2. Open the workshop page").wait_for()
    assert page.locator(".wk-root svg").count() == 2
    text = page.locator(".wk-root").inner_text()
    assert re.search(rf"http://127\.0\.0\.1:{port}/j/[A-Z0-9]{{6}}", text)
    assert re.search(r"Phones joined: (fewer than 3|\d+)", text)
    with Session.open(store_path) as session:
        assert not any(c in text for c in session.couple_codes())
        state = dev.joining(session)
    assert join_url("127.0.0.1", port, state.code) in text
    screenshot(page, "15_phones-panel")
    page.get_by_role("button", name="Stop it").click()
    page.get_by_text("The phone page is stopped").wait_for()
