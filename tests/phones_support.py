"""Shared pieces of the phone tests: a running server on 127.0.0.1, a session to use."""

from __future__ import annotations

import hashlib
import socket

from workshop_kit.session import Session


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def ensure_partner_secrets() -> None:
    """Until the per-partner secret of issue 16 is on main: the same four methods, kept
    in the store so the server thread and the test see the same secrets."""
    if hasattr(Session, "partner_secret_is_set"):
        return

    def digest(secret):
        return hashlib.sha256(("test|" + str(secret)).encode()).hexdigest()

    def is_set(self, code, partner):
        return bool(self.entries("partner_secret", code, partner, key="secret"))

    def set_secret(self, code, partner, secret):
        from workshop_kit.errors import InputError

        if len(str(secret)) < 4:
            raise InputError("a secret needs at least 4 characters")
        self.put_entry("partner_secret", "secret", digest(secret), code, partner)

    def check(self, code, partner, secret):
        found = self.entries("partner_secret", code, partner, key="secret")
        return bool(found) and found[0].value == digest(secret)

    def reset(self, code, partner):
        self.put_entry("partner_secret", "secret", None, code, partner)

    Session.partner_secret_is_set = is_set
    Session.set_partner_secret = set_secret
    Session.check_partner_secret = check
    Session.reset_partner_secret = reset
