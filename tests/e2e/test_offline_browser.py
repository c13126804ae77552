"""A present-mode page asks nothing of the internet: the workshop runs offline."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from workshop_kit.present import HOST

from .conftest import open_notebook

pytestmark = pytest.mark.browser


def test_pages_request_only_the_local_server(page, server):
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    for notebook in ("00_start_here.ipynb", "10_checkin_before.ipynb"):
        open_notebook(page, server, notebook)
    assert requested
    elsewhere = sorted(
        {
            url
            for url in requested
            if urlsplit(url).scheme not in ("data", "blob")
            and urlsplit(url).hostname not in (HOST, "localhost")
        }
    )
    # Voilà's lab page links Font Awesome from a CDN; the projector theme leaves it out
    assert elsewhere == []
