"""The rate limiter and the pieces of the phone server that are plain logic."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workshop_kit.errors import InputError
from workshop_kit.phones.csrf import MAX_AGE, FormTokens
from workshop_kit.phones.i18n import pick_language
from workshop_kit.phones.limits import Buckets
from workshop_kit.phones.network import check_bind, check_port


@settings(max_examples=300, deadline=None)
@given(
    rate=st.floats(0.1, 50),
    burst=st.integers(1, 50),
    gaps=st.lists(st.floats(0, 2), min_size=1, max_size=200),
)
def test_a_bucket_never_lets_more_through_than_burst_plus_refill(rate, burst, gaps):
    now = [0.0]
    bucket = Buckets(rate, burst, clock=lambda: now[0])
    allowed = 0
    for gap in gaps:
        now[0] += gap
        allowed += bucket.take("phone")
    assert allowed <= burst + math.floor(rate * now[0] + 1e-9)
    # and a quiet phone gets its whole burst back
    now[0] += burst / rate + 1
    assert all(bucket.take("phone") for _ in range(burst))


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10_000), st.text(max_size=20), st.text(max_size=20))
def test_a_form_token_works_only_for_its_own_phone_form_and_time(offset, phone, form):
    now = [1_000_000.0]
    tokens = FormTokens(clock=lambda: now[0])
    token = tokens.make(phone, form)
    now[0] += offset
    assert tokens.check(token, phone, form) is (offset <= MAX_AGE)
    assert not tokens.check(token, phone + "x", form)
    assert not tokens.check(token, phone, form + "x")
    assert not FormTokens(clock=lambda: now[0]).check(token, phone, form)  # another start


@given(st.text(max_size=60))
def test_any_accept_language_gives_a_known_language(header):
    assert pick_language(header, ("en", "es")) in ("en", "es")


@pytest.mark.parametrize("bad", ["", "localhost", "::1", "192.168.1", "256.1.1.1", "0.0.0.0 "])
def test_bind_needs_an_ipv4_address(bad):
    if bad.strip() == "0.0.0.0":
        assert check_bind(bad) == "0.0.0.0"  # only when written out
        return
    with pytest.raises(InputError, match="--bind must be an IPv4 address"):
        check_bind(bad)


@pytest.mark.parametrize("bad", [80, 0, 70000, True, "8877"])
def test_port_range(bad):
    with pytest.raises(InputError, match="--port must be a number from 1024 to 65535"):
        check_port(bad)


def test_the_command_refuses_a_missing_store_and_a_bad_address(tmp_path, capsys):
    from workshop_kit.cli import main

    assert main(["phones", str(tmp_path / "none.sqlite")]) == 2
    assert "no session file" in capsys.readouterr().err
    from workshop_kit.session import Session

    Session.create(tmp_path / "s.sqlite", "T", couples=1).close()
    assert main(["phones", str(tmp_path / "s.sqlite"), "--bind", "everywhere"]) == 2
    assert "--bind must be an IPv4 address" in capsys.readouterr().err
    assert main(["phones", str(tmp_path / "s.sqlite"), "--port", "80"]) == 2
    assert "--port must be a number" in capsys.readouterr().err
