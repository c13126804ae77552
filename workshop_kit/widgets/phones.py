"""The phones panel: start and stop the phone server, show the join codes on the projector.

What the projector shows: the Wi-Fi QR code (when the facilitator typed the network in),
the join QR code with its address, and how many phones joined (the number only when it is
at least k). What it never shows: couple codes, secrets, who joined. Stopping a partner's
phones and resetting a secret are in a facilitator-only part, closed by default.
"""

from __future__ import annotations

import asyncio
import html
import logging

import ipywidgets as w

from ..errors import WorkshopKitError
from ..phones import devices as dev
from ..phones.network import ALL_INTERFACES, DEFAULT_PORT, LOOPBACK, join_url, local_addresses
from ..phones.qr import qr_svg, wifi_svg
from ..phones.server import PhoneServer
from ..session import Session
from . import common

log = logging.getLogger(__name__)
EVERY_NETWORK = "0.0.0.0"


def address_options() -> list[tuple[str, str]]:
    """The addresses the server may listen on: the LAN ones first, then this laptop only,
    then every network (only when picked by name)."""
    options = [(f"{a} (the workshop network)", a) for a in local_addresses()]
    options.append((f"{LOOPBACK} (this laptop only: for a rehearsal)", LOOPBACK))
    options.append((f"{EVERY_NETWORK} (every network of this laptop: avoid)", EVERY_NETWORK))
    return options


class PhonesPanel:
    """Start/stop the phone server and show how to join (on the projector).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=2)
    >>> panel = PhonesPanel(s)
    >>> panel.show_wifi("Workshop", "calm-tuesday")
    >>> "<svg" in panel.wifi.value
    True
    >>> panel.count_text()
    'Phones joined: fewer than 3'
    """

    def __init__(self, session: Session, poll_seconds: float = 2.0):
        self.session = session
        self.poll_seconds = poll_seconds
        self.server: PhoneServer | None = None
        self.task: asyncio.Task | None = None

        self.address = w.Dropdown(options=address_options(), layout=w.Layout(width="620px"))
        self.port = w.BoundedIntText(
            value=DEFAULT_PORT, min=1024, max=65535, layout=w.Layout(width="160px")
        )
        self.start_button = common.button("Start the phone page", "primary")
        self.stop_button = common.button("Stop it")
        self.stop_button.disabled = True
        common.on_click(self.start_button, self.start, self, "status")
        common.on_click(self.stop_button, self.stop, self, "status")
        self.status = common.text("The phone page is not running.", "wk-progress")

        self.ssid = w.Text(placeholder="Network name (SSID)", layout=w.Layout(width="420px"))
        self.password = w.Password(placeholder="Password", layout=w.Layout(width="420px"))
        self.wifi_button = common.button("Show the Wi-Fi code")
        common.on_click(
            self.wifi_button,
            lambda: self.show_wifi(self.ssid.value, self.password.value),
            self,
            "status",
        )
        self.wifi = w.HTML("")

        self.join = w.HTML("")
        self.count = common.text("", "wk-question")
        self.close_button = common.button("Close joining", "warning")
        self.open_button = common.button("Open joining again (new code)")
        common.on_click(self.close_button, self.close_joining, self, "status")
        common.on_click(self.open_button, lambda: self.open_joining(new_code=True), self, "status")

        # facilitator only: stop a partner's phones, reset a secret
        self.private_toggle = w.ToggleButton(
            value=False,
            description="Show the facilitator-only part",
            icon="eye-slash",
            layout=w.Layout(min_height="52px", width="auto"),
        )
        common.on_change(
            self.private_toggle, lambda _c: self._toggle_private(), self, "private_message"
        )
        self.code_picker = common.code_picker(session)
        self.partner_picker = common.partner_picker()
        self.revoke_button = common.button("Stop this partner's phones", "danger")
        self.reset_button = common.button("Reset this partner's secret")
        common.on_click(self.revoke_button, self.revoke, self, "private_message")
        common.on_click(self.reset_button, self.reset_secret, self, "private_message")
        self.private_message = common.text("")
        self.partner_phones = common.text("")
        for picker in (self.code_picker, self.partner_picker):
            common.on_change(picker, lambda _c: self.show_partner_phones(), self, "private_message")
        self.private = w.VBox(
            [
                common.text(
                    "For you only. A stopped phone must join again (with the partner's "
                    "secret); a reset secret is chosen again at the next join."
                ),
                w.HBox(
                    [self.code_picker, self.partner_picker], layout=w.Layout(flex_flow="row wrap")
                ),
                self.partner_phones,
                w.HBox(
                    [self.revoke_button, self.reset_button], layout=w.Layout(flex_flow="row wrap")
                ),
                self.private_message,
            ],
            layout=w.Layout(display="none"),
        )
        self.private.add_class("wk-private")

        self.view = common.root(
            [
                common.text("Join with your phone", "wk-title"),
                w.HBox([self.address, self.port], layout=w.Layout(flex_flow="row wrap")),
                w.HBox(
                    [self.start_button, self.stop_button], layout=w.Layout(flex_flow="row wrap")
                ),
                self.status,
                common.text(
                    "Wi-Fi of the workshop network (leave empty if people are on it already):"
                ),
                w.HBox(
                    [self.ssid, self.password, self.wifi_button],
                    layout=w.Layout(flex_flow="row wrap", align_items="center"),
                ),
                w.HBox([self.wifi, self.join], layout=w.Layout(flex_flow="row wrap")),
                self.count,
                w.HBox(
                    [self.close_button, self.open_button], layout=w.Layout(flex_flow="row wrap")
                ),
                self.private_toggle,
                self.private,
            ]
        )
        self.refresh()

    # -- the server ------------------------------------------------------------------
    def start(self) -> None:
        """Start the phone server on the chosen address and port; show the join code."""
        try:
            self.server = PhoneServer(self.session.path, self.address.value, self.port.value)
            self.server.start().wait_ready()
        except WorkshopKitError as exc:
            self.server = None
            common.set_text(self.status, f"Could not start: {exc}", "wk-error")
            return
        where = "every network" if self.address.value in ALL_INTERFACES else self.server.address
        common.set_text(
            self.status,
            f"The phone page is running on {where}. Phones talk only to this laptop.",
            "wk-ok",
        )
        self.start_button.disabled, self.stop_button.disabled = True, False
        self.refresh()
        self.start_polling()

    def stop(self) -> None:
        """Stop the phone server (answers already given stay saved)."""
        if self.server is not None:
            self.server.stop()
        self.server = None
        self.stop_polling()
        self.start_button.disabled, self.stop_button.disabled = False, True
        common.set_text(self.status, "The phone page is stopped.", "wk-progress")
        self.refresh()

    # -- joining ---------------------------------------------------------------------
    def close_joining(self) -> None:
        dev.close_joining(self.session)
        self.refresh()

    def open_joining(self, new_code: bool = False) -> None:
        dev.open_joining(self.session, new_code=new_code)
        self.refresh()

    def show_wifi(self, ssid: str, password: str, security: str = "WPA") -> None:
        """Show the QR code that joins a phone to the workshop's Wi-Fi."""
        try:
            svg = wifi_svg(ssid, password, security, scale=11)
        except WorkshopKitError as exc:
            self.wifi.value = f'<div class="wk-error">{html.escape(str(exc))}</div>'
            return
        self.wifi.value = (
            f'<div class="wk-help"><b>1. Join the Wi-Fi</b><br>{svg}<br>{html.escape(ssid)}</div>'
        )

    def count_text(self) -> str:
        return dev.joined_text(self.session)

    def refresh(self) -> None:
        """Show the join code (while the server runs and joining is open) and the count."""
        state = dev.joining(self.session)
        running = self.server is not None and self.server.running
        if running and state.open and state.code:
            url = join_url(self.server.address, self.server.port, state.code)
            self.join.value = (
                '<div class="wk-help"><b>2. Open the workshop page</b><br>'
                f"{qr_svg(url, scale=11)}<br>"
                f'<span class="wk-question">{html.escape(url)}</span></div>'
            )
        elif running:
            self.join.value = '<div class="wk-progress">Joining is closed.</div>'
        else:
            self.join.value = ""
        self.close_button.disabled = not (running and state.open)
        self.open_button.disabled = not running
        common.set_text(self.count, self.count_text(), "wk-question")

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            try:
                self.refresh()
            except Exception as exc:  # a busy store must not end the updates
                log.warning("phones panel refresh failed: %s", exc)

    def start_polling(self) -> None:
        if self.task is None or self.task.done():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                return  # no event loop (a plain script or test): refresh by hand
            self.task = loop.create_task(self._poll())

    def stop_polling(self) -> None:
        if self.task is not None:
            self.task.cancel()
        self.task = None

    # -- facilitator only ------------------------------------------------------------
    def _toggle_private(self) -> None:
        shown = self.private_toggle.value
        self.private.layout.display = "flex" if shown else "none"
        self.private_toggle.description = (
            "Hide the facilitator-only part" if shown else "Show the facilitator-only part"
        )
        self.private_toggle.icon = "eye" if shown else "eye-slash"
        if not shown:  # nothing individual stays on the page
            common.clear_pickers(self.session, self.code_picker, self.partner_picker)
            common.set_text(self.private_message, "")
            common.set_text(self.partner_phones, "")

    def _who(self) -> tuple[str, str] | None:
        who = common.picked(self.code_picker, self.partner_picker)
        if who is None:
            common.set_text(self.private_message, common.ASK_WHO, "wk-error")
        return who

    def show_partner_phones(self) -> None:
        """List the chosen partner's phones: when each joined, and whether it is stopped."""
        who = common.picked(self.code_picker, self.partner_picker)
        if who is None:
            common.set_text(self.partner_phones, "")
            return
        code, partner = who
        found = [d for d in dev.devices(self.session) if (d.couple_code, d.partner) == who]
        if not found:
            common.set_text(self.partner_phones, f"Partner {partner} of {code}: no phone joined.")
            return
        listed = ", ".join(
            f"joined {d.joined_at[11:16]} UTC{' (stopped)' if d.revoked else ''}" for d in found
        )
        common.set_text(
            self.partner_phones,
            f"Partner {partner} of {code}: {len(found)} phone{'s' if len(found) != 1 else ''} "
            f"({listed}).",
        )

    def revoke(self) -> None:
        """Stop every phone of the chosen partner at once."""
        who = self._who()
        if who is None:
            return
        stopped = dev.revoke_devices(self.session, *who)
        common.set_text(
            self.private_message,
            f"Stopped {stopped} phone{'s' if stopped != 1 else ''} of partner {who[1]}.",
            "wk-ok",
        )
        self.show_partner_phones()
        self.refresh()

    def reset_secret(self) -> None:
        """Forget the chosen partner's secret (they choose a new one when they join)."""
        who = self._who()
        if who is None:
            return
        self.session.reset_partner_secret(*who)
        common.set_text(
            self.private_message,
            f"The secret of partner {who[1]} is reset; they choose a new one when they join.",
            "wk-ok",
        )

    def _ipython_display_(self):
        from IPython.display import display

        display(self.view)
