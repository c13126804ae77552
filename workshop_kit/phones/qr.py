"""QR codes for the projector: one to join the Wi-Fi, one to open the join address.

Drawn by segno as SVG text (no files, no network).
"""

from __future__ import annotations

import segno
import segno.helpers

from ..errors import InputError

SECURITY = ("WPA", "WEP", "nopass")


def qr_svg(text: str, scale: int = 8) -> str:
    """``text`` as a QR code in an inline SVG (dark on white, a quiet zone around it).

    >>> qr_svg("http://192.168.8.10:8877/j/K7P3QA").startswith("<svg")
    True
    """
    code = segno.make(text, error="m", micro=False)
    return code.svg_inline(scale=scale, dark="#000", light="#fff", border=4)


def wifi_text(ssid: str, password: str = "", security: str = "WPA") -> str:
    """The text of a Wi-Fi QR code (the ``WIFI:`` format phones' cameras understand).

    Raises
    ------
    InputError
        When the network name is empty, or a password is missing for a secured network.

    >>> wifi_text("Workshop", "calm-tuesday")
    'WIFI:T:WPA;S:Workshop;P:calm-tuesday;;'
    """
    ssid = str(ssid or "").strip()
    if not ssid:
        raise InputError("Wi-Fi: the network name (SSID) must not be empty")
    if security not in SECURITY:
        raise InputError(f"Wi-Fi security must be one of {list(SECURITY)}; not {security!r}")
    if security != "nopass" and not password:
        raise InputError("Wi-Fi: a WPA or WEP network needs its password")
    return segno.helpers.make_wifi_data(
        ssid=ssid,
        password=password if security != "nopass" else None,
        security=security if security != "nopass" else None,
    )


def wifi_svg(ssid: str, password: str = "", security: str = "WPA", scale: int = 8) -> str:
    """The Wi-Fi QR code as an inline SVG."""
    return qr_svg(wifi_text(ssid, password, security), scale=scale)
