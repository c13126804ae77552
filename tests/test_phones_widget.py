"""The phones panel, driven without a browser: start, join codes, close, stop a phone."""

from __future__ import annotations

import re
import time

from phones_support import free_port

from workshop_kit.phones import devices as dev
from workshop_kit.phones.app import DEVICE_RECHECK
from workshop_kit.phones.client import Phone
from workshop_kit.widgets.phones import PhonesPanel, address_options


def test_addresses_offer_every_network_only_by_name():
    options = address_options()
    assert options[-1][1] == "0.0.0.0" and "avoid" in options[-1][0]
    assert "127.0.0.1" in [value for _label, value in options]


def test_the_panel_starts_shows_the_codes_closes_and_stops(session):
    panel = PhonesPanel(session)
    panel.address.value = "127.0.0.1"
    panel.port.value = free_port()
    panel.start()
    try:
        assert panel.server.running and "running" in panel.status.value
        url = re.search(r"http://127\.0\.0\.1:\d+/j/[A-Z0-9]+", panel.join.value).group(0)
        assert "<svg" in panel.join.value
        code = session.couple_codes()[0]
        phone = Phone(url.split("/j/")[0], source="127.0.0.3")
        assert phone.join(url.rsplit("/", 1)[1], code, "A", "tulip7").status == 200
        assert panel.count_text() == "Phones joined: fewer than 3"
        for i, other in enumerate(session.couple_codes()[1:3]):
            Phone(phone.base, source=f"127.0.0.{4 + i}").join(
                url.rsplit("/", 1)[1], other, "B", "rose42"
            )
        panel.refresh()
        assert "Phones joined: 3" in panel.count.value
        assert code not in panel.count.value + panel.join.value

        panel.close_joining()
        assert "Joining is closed" in panel.join.value
        late = Phone(phone.base, source="127.0.0.9")
        assert late.get(f"/j/{url.rsplit('/', 1)[1]}").status == 404

        panel.private_toggle.value = True
        panel.code_picker.value, panel.partner_picker.value = code, "A"
        assert f"Partner A of {code}: 1 phone (joined" in panel.partner_phones.value
        panel.revoke()
        assert "(stopped)" in panel.partner_phones.value
        assert "Stopped 1 phone of partner A" in panel.private_message.value
        time.sleep(DEVICE_RECHECK + 0.1)  # the server trusts a phone's entry that long
        assert phone.get("/home").status == 403
        panel.reset_secret()
        assert not session.partner_secret_is_set(code, "A")
        panel.private_toggle.value = False
        assert panel.partner_phones.value.count(code) == 0

        panel.open_joining(new_code=True)
        assert dev.joining(session).open and url.rsplit("/", 1)[1] not in panel.join.value
    finally:
        panel.stop()
    assert panel.server is None and panel.join.value == ""


def test_the_wifi_code_needs_a_name(session):
    panel = PhonesPanel(session)
    panel.show_wifi("", "x")
    assert "must not be empty" in panel.wifi.value and "<svg" not in panel.wifi.value


def test_nothing_individual_on_the_projector_part(session):
    panel = PhonesPanel(session)
    shown = " ".join(
        getattr(child, "value", "") or ""
        for child in panel.view.children
        if child is not panel.private
    )
    assert not any(code in shown for code in session.couple_codes())
