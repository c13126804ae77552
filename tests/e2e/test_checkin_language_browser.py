"""A Spanish check-in in Chromium: the language choice, Spanish screens, answers saved."""

from __future__ import annotations

import re

import pytest

from workshop_kit.demo import build_demo
from workshop_kit.present import PresentServer
from workshop_kit.session import Session

from .conftest import open_notebook, screenshot

pytestmark = pytest.mark.browser

ENGLISH = re.compile(
    r"\b(the|your|you|please|partner|couple|question|answer|next|back|skip|saved|thank|"
    r"start|secret|choose)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def spanish_server(browser, tmp_path_factory):
    folder = tmp_path_factory.mktemp("es-e2e")
    store = folder / "sessions" / "es-demo.sqlite"
    store.parent.mkdir()
    session = build_demo(store, couples=4, seed=7, language="es")
    session.add_couples(1)
    code = session.couple_codes()[-1]
    session.close()
    env = {
        "WORKSHOP_KIT_SESSIONS": str(folder / "sessions"),
        "WORKSHOP_KIT_EXPORTS": str(folder / "exports"),
    }
    with PresentServer(store=store, env=env, log=folder / "voila.log") as running:
        yield running, store, code


def test_a_spanish_checkin_in_the_browser(page, spanish_server):
    from playwright.sync_api import expect

    server, store, code = spanish_server
    open_notebook(page, server, "10_checkin_before.ipynb")
    root = page.locator(".wk-root").first
    expect(root).to_contain_text("Chequeo de la relación: al empezar")
    expect(root.get_by_role("button", name="Español", exact=True)).to_be_visible()
    root.locator("select").select_option(label=code)
    root.get_by_role("button", name="Persona B", exact=True).click()
    root.get_by_role("button", name="Empezar", exact=True).click()
    fields = root.locator(".wk-secret input[type=password]")
    fields.nth(0).fill("tulipan")
    fields.nth(1).fill("tulipan")
    root.get_by_role("button", name="Guardar mi clave", exact=True).click()
    expect(page.locator(".wk-progress")).to_contain_text("pregunta 1 de")
    expect(root).to_contain_text("Hacemos tiempo para estar juntos")
    screenshot(page, "checkin-spanish-question")
    shown = root.inner_text()
    assert not ENGLISH.search(shown.replace("English", "")), shown
    page.locator(".wk-choice").get_by_role("button", name=re.compile(r"^4\b")).click()
    expect(page.locator(".wk-progress")).to_contain_text("pregunta 2 de")
    with Session.open(store) as session:
        saved = session.answers().query("couple_code == @code")
        assert saved[["partner", "item_id", "value"]].values.tolist() == [["B", "qt1", 4.0]]
        assert session.partner_language(code, "B") == "es"
