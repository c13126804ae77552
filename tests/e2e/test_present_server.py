"""The present-mode server: localhost only, and nothing without its token."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from workshop_kit.present import HOST

pytestmark = pytest.mark.browser


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def status(url: str) -> int:
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(url, timeout=10) as reply:
            return reply.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_pages_need_the_token(server):
    assert server.base_url.startswith(f"http://{HOST}:")
    page = "/voila/render/10_checkin_before.ipynb"
    assert status(server.base_url + page) in (302, 403)  # to the login page
    assert status(server.base_url + page + "?token=wrong") in (302, 403)
    assert status(server.base_url + "/voila/api/contents") == 403
    assert status(server.url()) == 200


def test_server_listens_on_localhost_only(server):
    import socket

    # another address of this machine (if it has one) gets no answer
    try:
        other = socket.gethostbyname(socket.gethostname())
    except OSError:
        pytest.skip("this machine has no other address")
    if other.startswith("127."):
        pytest.skip("this machine has no other address")
    with socket.socket() as sock, pytest.raises(OSError):
        sock.settimeout(3)
        sock.connect((other, server.port))
