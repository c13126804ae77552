"""A partner's secret: set once, checked in constant time, only a salted hash stored."""

from __future__ import annotations

import json
import string
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workshop_kit import partner_secret
from workshop_kit.errors import InputError
from workshop_kit.session import Session

SECRETS = st.text(alphabet=string.ascii_letters + string.digits, min_size=4, max_size=12)


def raw_bytes(session: Session) -> bytes:
    data = session.path.read_bytes()
    wal = session.path.with_name(session.path.name + "-wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_a_secret_is_set_then_checked(session):
    code = session.couple_codes()[0]
    assert not session.partner_secret_is_set(code, "A")
    assert not session.check_partner_secret(code, "A", "1234")
    session.set_partner_secret(code, "A", "Rose7")
    assert session.partner_secret_is_set(code, "A")
    assert not session.partner_secret_is_set(code, "B")
    assert session.check_partner_secret(code, "A", "Rose7")
    assert session.check_partner_secret(code.lower(), "a", " rose7 ")  # case and spaces
    assert not session.check_partner_secret(code, "A", "Rose8")
    assert not session.check_partner_secret(code, "B", "Rose7")  # the other partner's lock


def test_only_a_salted_hash_is_stored(session):
    code, other = session.couple_codes()[:2]
    session.set_partner_secret(code, "A", "tulip42")
    session.set_partner_secret(other, "A", "tulip42")
    records = [e.value for e in session.entries("partner_secret")]
    assert len(records) == 2
    assert {r["algorithm"] for r in records} == {"scrypt"}
    assert records[0]["salt"] != records[1]["salt"]  # same secret, different hashes
    assert records[0]["hash"] != records[1]["hash"]
    assert b"tulip42" not in raw_bytes(session)
    assert "tulip42" not in json.dumps(records)


@pytest.mark.parametrize(
    ("secret", "message"),
    [
        ("123", "4 to 40 letters or digits; not 3 characters"),
        ("  ab ", "not 2 characters"),
        ("", "not 0 characters"),
        ("12 34", "no spaces or signs"),
        ("pass-word", "no spaces or signs"),
        ("x" * 41, "not 41 characters"),
        (1234, "must be text"),
        (None, "must be text"),
    ],
)
def test_a_bad_secret_is_refused_and_nothing_is_stored(session, secret, message):
    code = session.couple_codes()[0]
    with pytest.raises(InputError, match=message):
        session.set_partner_secret(code, "A", secret)
    assert not session.partner_secret_is_set(code, "A")
    assert session.entries("partner_secret") == []


def test_a_second_secret_is_refused_until_the_facilitator_resets(session):
    code = session.couple_codes()[0]
    session.set_partner_secret(code, "B", "first1")
    with pytest.raises(InputError, match=f"partner B of couple {code} already has a secret"):
        session.set_partner_secret(code, "B", "second2")
    assert session.check_partner_secret(code, "B", "first1")
    session.reset_partner_secret(code, "B")
    assert not session.partner_secret_is_set(code, "B")
    assert not session.check_partner_secret(code, "B", "first1")
    session.set_partner_secret(code, "B", "second2")
    assert session.check_partner_secret(code, "B", "second2")
    assert not session.check_partner_secret(code, "B", "first1")


def test_reset_deletes_the_old_hash_from_the_file(session):
    code = session.couple_codes()[0]
    session.set_partner_secret(code, "A", "first1")
    old_hash = session.entries("partner_secret")[0].value["hash"].encode()
    assert old_hash in raw_bytes(session)
    session.reset_partner_secret(code, "A")
    assert old_hash not in raw_bytes(session)
    rows = session.store.conn.execute(
        "SELECT value_json FROM entries WHERE kind = 'partner_secret'"
    ).fetchall()
    assert rows == [(None,)]


def test_unknown_couple_or_partner_is_an_input_error(session):
    with pytest.raises(InputError, match="not in this session"):
        session.set_partner_secret("ZZZZ", "A", "1234")
    with pytest.raises(InputError, match="partner must be one of"):
        session.check_partner_secret(session.couple_codes()[0], "C", "1234")
    with pytest.raises(InputError, match="not in this session"):
        session.reset_partner_secret("ZZZZ", "A")


def test_two_devices_setting_at_once_give_one_secret(session):
    code = session.couple_codes()[0]
    outcomes: list[str] = []
    start = threading.Barrier(2)

    def attempt(secret: str) -> None:
        with Session.open(session.path) as device:  # each device its own connection
            start.wait()
            try:
                device.set_partner_secret(code, "A", secret)
                outcomes.append(secret)
            except InputError:
                outcomes.append("refused")

    threads = [threading.Thread(target=attempt, args=(s,)) for s in ("aaaa1", "bbbb2")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes).count("refused") == 1
    winner = next(o for o in outcomes if o != "refused")
    assert session.check_partner_secret(code, "A", winner)
    rows = session.store.conn.execute(
        "SELECT COUNT(*) FROM entries WHERE kind = 'partner_secret'"
    ).fetchone()[0]
    assert rows == 1


def test_a_damaged_record_matches_nothing():
    assert not partner_secret.secret_matches({}, "1234")
    assert not partner_secret.secret_matches({"algorithm": "md5"}, "1234")
    bad = partner_secret.hash_secret("1234", n=2**4)
    assert not partner_secret.secret_matches({**bad, "salt": "zz"}, "1234")
    assert not partner_secret.secret_matches(bad, None)


@settings(max_examples=60, deadline=None)
@given(secret=SECRETS, other=SECRETS)
def test_hash_round_trip_property(secret, other):
    record = partner_secret.hash_secret(secret, n=2**4)
    assert partner_secret.secret_matches(record, secret)
    assert partner_secret.secret_matches(record, f" {secret.upper()} ")
    assert partner_secret.secret_matches(record, other) == (secret.lower() == other.lower())


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(secret=SECRETS, guess=st.text(alphabet=string.printable, max_size=12))
def test_session_round_trip_property(session, secret, guess):
    code = session.couple_codes()[1]
    session.reset_partner_secret(code, "B")
    session.set_partner_secret(code, "B", secret)
    assert session.check_partner_secret(code, "B", secret)
    expected = guess.strip().casefold() == secret.casefold()
    assert session.check_partner_secret(code, "B", guess) == expected
