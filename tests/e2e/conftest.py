"""End-to-end set-up: one present-mode server and one Chromium for the whole run.

The server is the real ``workshop-kit present`` server (:class:`PresentServer`) on a free
127.0.0.1 port, working on a fresh 12-couple demo session in a temporary folder. Chromium is
Debian's (``/usr/bin/chromium``, or ``$WORKSHOP_KIT_CHROMIUM``); Playwright never downloads a
browser. Without Chromium the browser tests fail when ``CI`` is set (CI installs it) and are
skipped with the reason on a facilitator's laptop.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

from workshop_kit.demo import build_demo
from workshop_kit.present import PresentServer
from workshop_kit.session import Session

CHECKOUT = Path(__file__).resolve().parents[2]
SCREENSHOTS = CHECKOUT / "test-artifacts" / "screenshots"
SMALL = {"width": 1024, "height": 768}
LARGE = {"width": 1920, "height": 1080}
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _unavailable(reason: str) -> None:
    """Fail in CI (where the browser must be there); skip with the reason elsewhere."""
    if os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no"):
        pytest.fail(f"browser tests cannot run in CI: {reason}", pytrace=False)
    pytest.skip(f"browser tests skipped: {reason} (set CI=true to make this an error)")


def chromium_path() -> str:
    """Debian's Chromium, or the one named by ``$WORKSHOP_KIT_CHROMIUM``."""
    return os.environ.get("WORKSHOP_KIT_CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="package")
def browser():
    path = chromium_path()
    if not (os.path.isfile(path) and os.access(path, os.X_OK)) and not shutil.which(path):
        _unavailable(
            f"no Chromium at {path} (install Debian's `chromium` package or set "
            "WORKSHOP_KIT_CHROMIUM)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install -e '.[test]')")
    os.environ.setdefault("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="package")
def e2e_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("e2e")


@pytest.fixture(scope="package")
def store_path(e2e_dir) -> Path:
    """A fresh demo session, plus two couples who have not answered anything yet."""
    path = e2e_dir / "sessions" / "e2e-demo.sqlite"
    path.parent.mkdir(parents=True)
    session = build_demo(path, couples=12, seed=7)
    session.add_couples(2)
    session.close()
    return path


@pytest.fixture(scope="package")
def fresh_codes(store_path) -> list[str]:
    """Codes of the couples with no answers yet (the browser tests take them)."""
    with Session.open(store_path) as session:
        answered = set(session.answers()["couple_code"])
        return [c for c in session.couple_codes() if c not in answered]


@pytest.fixture(scope="package")
def server(browser, e2e_dir, store_path):
    """The present-mode server for this run (started after the browser is known to exist)."""
    env = {
        "WORKSHOP_KIT_SESSIONS": str(e2e_dir / "sessions"),
        "WORKSHOP_KIT_EXPORTS": str(e2e_dir / "exports"),
    }
    with PresentServer(store=store_path, env=env, log=e2e_dir / "voila.log") as running:
        yield running


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport=SMALL)
    context.set_default_timeout(30_000)
    tab = context.new_page()
    yield tab
    context.close()


def open_notebook(page, server, notebook: str, wait_for: str = ".wk-root"):
    """Open a notebook's page and wait until its cells ran and ``wait_for`` is shown."""
    page.goto(server.url(notebook), wait_until="domcontentloaded")
    page.wait_for_selector("#rendered_cells", state="visible", timeout=90_000)
    if wait_for:
        page.wait_for_selector(wait_for, state="visible", timeout=60_000)
    # every widget drawn (Voilà shows "Loading widget..." until it is)
    page.get_by_text("Loading widget...").first.wait_for(state="detached", timeout=60_000)
    return page


def screenshot(page, name: str) -> Path:
    """Save the whole page as ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_-]+', '-', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def add_couple(store_path) -> str:
    """A new couple with nothing stored yet, added through a connection of its own.

    Add it before opening a page whose widget lists the couple codes when it is built.
    """
    with Session.open(store_path) as session:
        return session.add_couple()


# Every visible piece of text on the page (an element with text of its own, or a form
# field), with its font size; and every visible button with its height. A button's label
# is measured by the button's height (the kit's labels are 22 px in 52 px buttons).
_SIZES_JS = """() => {
    const shown = (el) => el.getClientRects().length > 0
        && getComputedStyle(el).visibility !== 'hidden';
    const own = (el) => [...el.childNodes].some(
        (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    const px = (el) => parseFloat(getComputedStyle(el).fontSize);
    const cells = document.querySelector('#rendered_cells');
    const texts = [...cells.querySelectorAll('*')]
        .filter((el) => !['OPTION', 'STYLE', 'SCRIPT'].includes(el.tagName))
        .filter((el) => !el.closest('button'))
        .filter((el) => own(el) || ['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName))
        .filter(shown)
        .map((el) => [el.tagName.toLowerCase() + '.' + [...el.classList].join('.'),
                      (el.value || el.textContent).trim().slice(0, 40), px(el)]);
    const buttons = [...cells.querySelectorAll('button')].filter(shown).map(
        (el) => [el.textContent.trim().slice(0, 40), el.getBoundingClientRect().height]);
    return {texts, buttons};
}"""


def projector_sizes(page, min_text: float = 24, min_button: float = 44) -> dict:
    """What on the page is too small for the projector: text under ``min_text`` px, buttons
    under ``min_button`` px high; with how many texts and buttons were measured."""
    sizes = page.evaluate(_SIZES_JS)
    return {
        "texts": len(sizes["texts"]),
        "buttons": len(sizes["buttons"]),
        "small_text": [t for t in sizes["texts"] if t[2] < min_text],
        "low_buttons": [b for b in sizes["buttons"] if b[1] < min_button],
    }


def fits_both_projectors(page) -> list:
    """The projector sizes (1024×768, 1920×1080) at which the page scrolls sideways; the
    page is left at 1024×768."""
    wide = []
    for viewport in (LARGE, SMALL):
        page.set_viewport_size(viewport)
        if not no_horizontal_scroll(page):
            wide.append(
                (viewport, page.evaluate("[document.documentElement.scrollWidth, innerWidth]"))
            )
    return wide


def assert_fits_the_projector(page, texts: int, buttons: int) -> None:
    """No sideways scrolling at either projector size, no text under 24 px and no button
    under 44 px; and at least ``texts`` texts and ``buttons`` buttons were measured."""
    wide = fits_both_projectors(page)
    assert not wide, wide
    sizes = projector_sizes(page)
    assert sizes["texts"] >= texts and sizes["buttons"] >= buttons, sizes
    assert not sizes["small_text"], sizes["small_text"]
    assert not sizes["low_buttons"], sizes["low_buttons"]


def shown_option(select) -> str:
    """The label a drop-down (a ``<select>`` locator) shows; ipywidgets writes its spaces as
    no-break spaces."""
    return select.evaluate("el => el.options[el.selectedIndex].text").replace("\xa0", " ")


def give_secret(page, secret: str, first_time: bool | None = None, root=None) -> None:
    """Type the partner's secret on the secret screen (twice the first time) and go on.

    ``first_time`` None: whichever the screen asks (a partner who may have set a secret in
    another test). ``root``: the widget's locator when several are on the page.
    """
    root = root if root is not None else page.locator(".wk-root").first
    fields = root.locator(".wk-secret input[type=password]")
    fields.nth(0).wait_for(state="visible")
    if first_time is None:
        first_time = fields.nth(1).is_visible()
    fields.nth(0).fill(secret)
    if first_time:
        fields.nth(1).fill(secret)
    name = "Save my secret" if first_time else "Go on"
    root.get_by_role("button", name=name, exact=True).click()
