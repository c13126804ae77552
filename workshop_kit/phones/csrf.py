"""Per-form CSRF tokens: each form carries a token bound to the phone and to that form.

A token is ``<issued>.<mac>`` with ``mac = HMAC-SHA256(key, binding | form | issued)``:
``binding`` is the phone's device-token digest (or, before joining, a random cookie of its
own), ``form`` the address the form posts to. A token made for one form, one phone or an
earlier run of the server (the key is new for every start) is refused, and so is one
older than :data:`MAX_AGE` seconds.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from collections.abc import Callable

MAX_AGE = 4 * 3600


class FormTokens:
    """Make and check per-form tokens with a key that lives as long as the server.

    Examples
    --------
    >>> tokens = FormTokens(clock=lambda: 1000.0)
    >>> t = tokens.make("phone-1", "/c/before/3")
    >>> tokens.check(t, "phone-1", "/c/before/3"), tokens.check(t, "phone-2", "/c/before/3")
    (True, False)
    >>> tokens.check(t, "phone-1", "/v"), tokens.check("", "phone-1", "/c/before/3")
    (False, False)
    """

    def __init__(self, key: bytes | None = None, clock: Callable[[], float] = time.time):
        self.key = key or secrets.token_bytes(32)
        self.clock = clock

    def _mac(self, binding: str, form: str, issued: str) -> str:
        message = f"{binding}|{form}|{issued}".encode()
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()[:32]

    def make(self, binding: str, form: str) -> str:
        """A token for one form of one phone."""
        issued = str(int(self.clock()))
        return f"{issued}.{self._mac(binding, form, issued)}"

    def check(self, token: str | None, binding: str, form: str) -> bool:
        """True when ``token`` was made here, for this phone and form, and is fresh."""
        if not token or len(token) > 64 or "." not in token:
            return False
        issued, mac = token.split(".", 1)
        if not issued.isdigit() or not 0 <= self.clock() - int(issued) <= MAX_AGE:
            return False
        return hmac.compare_digest(mac, self._mac(binding, form, issued))
