"""The phone server on 127.0.0.1: what phones can do, and everything it refuses.

Each refusal is checked with the store unchanged (the same rows before and after). Every
test's phone has an address of its own (127.0.0.x), as phones on a workshop network do.
"""

from __future__ import annotations

import itertools
import logging
import re
import sqlite3
import time

import pytest
from phones_support import free_port

from workshop_kit.appreciation import notes, save_note
from workshop_kit.phones import devices as dev
from workshop_kit.phones.app import DEVICE_RECHECK
from workshop_kit.phones.client import Phone
from workshop_kit.phones.limits import Limits
from workshop_kit.phones.server import BackgroundPhoneServer
from workshop_kit.session import Session

_addresses = (f"127.0.0.{n}" for n in itertools.count(10))
JUPYTER_PATHS = [
    "/api/kernels",
    "/api/contents",
    "/api/sessions",
    "/lab",
    "/lab/tree/notebooks",
    "/tree",
    "/voila/render/00_start_here.ipynb",
    "/kernels",
    "/notebooks/00_start_here.ipynb",
    "/static/lab/index.html",
    "/login",
    "/api/kernels/../../etc/passwd",
]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    path = tmp_path_factory.mktemp("phones") / "phones.sqlite"
    Session.create(path, "Phones", couples=60, seed=5).close()
    return path


@pytest.fixture(scope="module")
def server(store):
    # Limits a little above the defaults, so the scripted phones (faster than people) rarely
    # wait; the burst tests send far more than these.
    limits = Limits(device_rate=40.0, device_burst=60, address_rate=40.0, address_burst=100)
    with BackgroundPhoneServer(store, free_port(), limits=limits) as running:
        yield running


@pytest.fixture(scope="module")
def codes(store):
    with Session.open(store) as session:
        return session.couple_codes()


@pytest.fixture
def phone(server):
    made = []

    def new(**kwargs) -> Phone:
        p = Phone(server.url(""), source=next(_addresses), **kwargs)
        made.append(p)
        return p

    yield new
    for p in made:
        p.close()


def rows(store) -> tuple:
    """Everything the store holds, to compare before and after a refused request."""
    with sqlite3.connect(store) as conn:
        return tuple(
            conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("answers", "entries", "couples", "meta")
        )


_taken = itertools.count()


@pytest.fixture
def joined(phone, server, codes):
    """A phone joined as partner A of a couple no other test uses."""
    code = codes[next(_taken)]
    p = phone()
    reply = p.join(server.join_code, code, "A", "tulip7")
    assert reply.status == 200 and "Hello, partner A" in reply.body, reply.body[:400]
    p.couple_code = code
    return p


def answer_all(number, body):
    if 'value="yes"' in body:
        return "yes"
    return "4" if 'value="4"' in body else None


# -- what works ------------------------------------------------------------------------
def test_a_phone_joins_and_takes_the_whole_checkin(joined, store):
    assert joined.checkin("before", answer_all) == 33
    with Session.open(store) as session:
        mine = session.answers("before")
        mine = mine[mine["couple_code"] == joined.couple_code]
        assert len(mine) == 31 and set(mine["partner"]) == {"A"}
        assert set(mine["source"]) == {"phone"} and (mine["value"] == 4).all()
        assert session.consents(joined.couple_code, "A") is True
        assert session.flag(joined.couple_code, "A", "wants_to_talk") is True
    assert "Thank you" in joined.get("/c/before").body
    # the check-in after asks the yes/no questions again, and keeps them per phase
    assert "Question 1 of" in joined.get("/c/after").body
    assert joined.checkin("after", answer_all) == 33
    with Session.open(store) as session:
        kept = {e.key for e in session.entries("flag_phase", joined.couple_code, "A")}
    assert {"before:wants_to_talk", "after:wants_to_talk", "after:consent"} <= kept


def test_skip_and_back_within_the_sitting(joined, store):
    joined.get("/c/before/1")
    joined.post("/c/before/1", {"value": "2"})
    joined.post("/c/before/2", {"action": "skip"})
    back = joined.post("/c/before/3", {"action": "back"})
    assert "Question 2 of" in back.body
    back = joined.post("/c/before/2", {"action": "back"})
    chosen = re.search(r'value="(\d)" class="answer chosen"', back.body)
    assert chosen and chosen.group(1) == "2"
    with Session.open(store) as session:
        given = session.answered_items(joined.couple_code, "A", "before")
    assert given[("checkin", "qt1")] == 2.0 and given[("checkin", "qt2")] is None


def test_back_never_shows_an_answer_from_another_sitting(phone, server, joined, store):
    joined.get("/c/after/1")
    joined.post("/c/after/1", {"value": "5"})
    again = phone()
    assert again.join(server.join_code, joined.couple_code, "A", "tulip7").status == 200
    page = again.get("/c/after/1").body
    assert "answer chosen" not in page
    # and it resumes where the partner stopped
    assert "Question 2 of" in again.get("/c/after").body


def test_values_sort_and_top_five(joined, store):
    reply = joined.get("/v")
    piles = itertools.cycle(["very", "important", "not"])
    for _ in range(200):
        card = re.search(r'name="card" value="([^"]+)"', reply.body)
        if card is None:
            break
        reply = joined.post("/v", {"card": card.group(1), "pile": next(piles)})
    assert "place 1" in reply.body
    for _ in range(5):
        pick = re.findall(r'name="pick" value="([^"]+)"', reply.body)
        reply = joined.post("/v/top", {"pick": pick[-1]})
    assert "Your sort is saved" in reply.body
    from workshop_kit.values_session import read_sort

    with Session.open(store) as session:
        sort = read_sort(session, joined.couple_code, "A")
    assert len(sort.top5) == 5 and len(sort.piles) >= 40


def test_words_notes_and_plan(joined, store):
    joined.get("/w")
    assert joined.post("/w", {"word0": "Patient", "word1": "kind"}).status == 200
    joined.get("/n")
    reply = joined.post("/n", {"action": "add", "text": "Thank you for the tea <b>x</b>"})
    assert "&lt;b&gt;" in reply.body and "<b>x" not in reply.body  # escaped
    note = re.search(r'name="note" value="([^"]+)"', reply.body).group(1)
    joined.post("/n", {"action": "share", "note": note})
    joined.get("/p")
    reply = joined.post(
        "/p", {"signal": "time_out", "break_minutes": "20", "come_back": "i_come_back"}
    )
    assert "Your plan is saved" in reply.body
    with Session.open(store) as session:
        from workshop_kit.appreciation import words_of
        from workshop_kit.exercises import calm_down_plan

        assert words_of(session, joined.couple_code, "A") == ["patient", "kind"]
        assert [n.shared for n in notes(session, joined.couple_code, "A")] == [True]
        assert calm_down_plan(session, joined.couple_code, "A").break_minutes == 20


def test_a_phone_never_shows_the_other_partners_notes_or_answers(joined, store):
    with Session.open(store) as session:
        save_note(session, joined.couple_code, "B", "A secret from B", shared=True)
        session.record_answer(joined.couple_code, "B", "after", "checkin", "qt1", 1)
    pages = [joined.get(p).body for p in ("/home", "/n", "/c/after/1", "/w", "/p", "/v")]
    assert not any("A secret from B" in page for page in pages)
    assert "answer chosen" not in pages[2]


def test_pages_have_no_script_and_the_security_headers(joined):
    for path in ("/home", "/c/before/1", "/v", "/v/top", "/w", "/n", "/p", "/done"):
        reply = joined.get(path)
        assert reply.status == 200, path
        assert "<script" not in reply.body.lower() and "http" not in reply.body, path
        assert len(reply.body) < 12_000, (path, len(reply.body))
        csp = reply.headers["Content-Security-Policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp
        assert reply.headers["X-Frame-Options"] == "DENY"
        assert reply.headers["Cache-Control"] == "no-store"
    device_cookie = [c for c in joined.set_cookies if c.startswith("wk_phone=")]
    assert device_cookie and all("HttpOnly" in c and "SameSite=Strict" in c for c in device_cookie)


def test_sign_out_ends_the_phone(joined, store):
    joined.get("/done")
    reply = joined.post("/done", {})
    assert "signed out" in reply.body
    assert joined.get("/home").status == 403


# -- refused, with the store unchanged ---------------------------------------------------
def test_wrong_join_code_is_refused(phone, store, codes):
    before = rows(store)
    p = phone()
    assert p.get("/j/WRONG7").status == 404
    reply = p.post("/j/WRONG7", {"couple_code": codes[0], "partner": "A", "secret": "x"})
    assert reply.status in (403, 404)  # no form was ever given for it, and no such link
    assert rows(store) == before


def test_closed_joining_is_refused_and_joined_phones_go_on(joined, phone, server, store, codes):
    with Session.open(store) as session:
        dev.close_joining(session)
    try:
        before = rows(store)
        p = phone()
        assert p.get(f"/j/{server.join_code}").status == 404
        reply = p.post(
            f"/j/{server.join_code}",
            {
                "couple_code": codes[-1],
                "partner": "B",
                "secret": "tulip7",
                "secret_again": "tulip7",
            },
            csrf="1.x",
        )
        assert reply.status in (403, 404)
        assert rows(store) == before
        assert joined.get("/home").status == 200
    finally:
        with Session.open(store) as session:
            dev.open_joining(session)


def test_a_wrong_secret_is_refused(phone, server, joined, store):
    before = rows(store)
    p = phone()
    reply = p.join(server.join_code, joined.couple_code, "A", "guess1")
    assert reply.status == 403 and "does not match" in reply.body
    assert rows(store) == before


def test_missing_or_forged_csrf_is_refused(joined, store):
    joined.get("/c/before/1")
    before = rows(store)
    assert joined.post("/c/before/1", {"value": "3"}, csrf=None).status == 403
    assert joined.post("/c/before/1", {"value": "3"}, csrf="1700000000.abcdef").status == 403
    # a real token of another form
    token = joined.forms["/c/before/1"]
    assert joined.post("/c/before/2", {"value": "3"}, csrf=token).status == 403
    assert rows(store) == before


def test_another_partners_token_is_refused(phone, server, joined, store):
    joined.get("/c/before/1")
    token_a = joined.forms["/c/before/1"]
    other = phone()
    assert other.join(server.join_code, joined.couple_code, "B", "rose42").status == 200
    before = rows(store)
    assert other.post("/c/before/1", {"value": "1"}, csrf=token_a).status == 403
    # a forged or made-up device cookie is not a phone that joined
    stranger = phone()
    stranger.cookies["wk_phone"] = "made-up"
    assert stranger.post("/c/before/1", {"value": "1"}, csrf=token_a).status == 403
    assert rows(store) == before


def test_a_revoked_phone_is_refused(joined, store):
    joined.get("/c/before/1")
    with Session.open(store) as session:
        assert dev.revoke_devices(session, joined.couple_code, "A") >= 1
    time.sleep(DEVICE_RECHECK + 0.1)  # the server trusts a phone's entry that long
    before = rows(store)
    assert joined.post("/c/before/1", {"value": "3"}).status == 403
    assert joined.get("/home").status == 403
    assert rows(store) == before


def test_an_oversized_body_is_refused(joined, store):
    joined.get("/n")
    before = rows(store)
    big = joined.post("/n", {"action": "add", "text": "x" * 20_000})
    assert big.status == 413
    try:
        huge = joined.request("POST", "/n", ("text=" + "x" * 200_000).encode())
        assert huge.status in (400, 413)
    except (ConnectionError, OSError):
        pass  # the server may cut a body far over its limit off: also a refusal
    assert rows(store) == before


def test_a_burst_over_the_rate_limit_is_refused(tmp_path):
    """A server of its own with slow refills, so a loaded machine cannot refill the bucket
    between the burst and the answer."""
    store = tmp_path / "burst.sqlite"
    with Session.create(store, "Burst", couples=1, seed=2) as session:
        code = session.couple_codes()[0]
    limits = Limits(device_rate=0.1, device_burst=5, address_rate=100.0, address_burst=100)
    with BackgroundPhoneServer(store, free_port(), limits=limits) as server:
        p = Phone(server.url(""), source="127.0.0.5", patient=False)
        assert p.join(server.join_code, code, "A", "tulip7").status == 200
        statuses = [p.request("GET", "/c/before/1").status for _ in range(10)]
        assert 429 in statuses
        before = rows(store)
        token = p.forms["/c/before/1"]  # a real token, from a page served before the burst
        reply = p.post("/c/before/1", {"value": "3"}, csrf=token, follow=False)
        assert reply.status == 429
        assert rows(store) == before
        p.close()


def test_join_attempts_are_limited_per_address(phone, server, codes, store):
    p = phone(patient=False)
    p.get(f"/j/{server.join_code}")
    statuses = [
        p.post(
            f"/j/{server.join_code}",
            {"couple_code": codes[0], "partner": "A", "secret": f"guess{i}"},
        ).status
        for i in range(25)
    ]
    assert 429 in statuses


@pytest.mark.parametrize("path", JUPYTER_PATHS)
def test_no_jupyter_path_is_served(joined, path, store):
    before = rows(store)
    assert joined.get(path, follow=False).status == 404
    assert joined.request("POST", path, b"x=1").status in (403, 404)
    assert rows(store) == before


def test_a_wrong_host_header_is_refused(phone, store):
    before = rows(store)
    p = phone(host_header="evil.example:80")
    assert p.get("/").status == 400
    assert p.get("/s/phone.css").status == 400
    assert rows(store) == before


def test_the_log_holds_no_codes_secrets_or_answers(phone, server, codes, caplog):
    code = codes[next(_taken)]
    with caplog.at_level(logging.INFO, logger="workshop_kit.phones"):
        p = phone()
        p.join(server.join_code, code, "B", "violet9")
        p.get("/c/before/1")
        p.post("/c/before/1", {"value": "5"})
        p.post("/w", {"word0": "gentle"}, csrf=None)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert caplog.records, "the server logs each request"
    for secret in (code, "violet9", server.join_code, "gentle", "127.0.0"):
        assert secret not in text


def test_the_count_on_the_projector_keeps_the_k_rule(store):
    with Session.open(store) as session:
        n = dev.joined_people(session)
        text = dev.joined_text(session)
    assert text == (f"Phones joined: {n}" if n >= 3 else "Phones joined: fewer than 3")


def test_limits_are_checked():
    from workshop_kit.errors import InputError

    with pytest.raises(InputError, match="device_burst"):
        Limits(device_burst=0)


def test_summary_json_counts_phones_only_from_k_and_names_no_one(store, codes):
    import json

    from workshop_kit.summary import build_summary

    with Session.open(store) as session:
        section = build_summary(session)["phones"]
        joined = dev.joined_people(session)
    assert section["joining_open"] is True and section["k"] == 3
    assert section["people_joined"] == (joined if joined >= 3 else None)
    text = json.dumps(section)
    assert not any(code in text for code in codes)


def test_a_busy_store_says_not_saved_and_saves_nothing(joined, store, monkeypatch):
    from workshop_kit.errors import StoreError
    from workshop_kit.session import Session as RealSession

    def busy(self, *args, **kwargs):
        raise StoreError("the session file is busy")

    joined.get("/c/before/1")
    before = rows(store)
    monkeypatch.setattr(RealSession, "record_form", busy)
    reply = joined.post("/c/before/1", {"value": "3"})
    assert reply.status == 503 and "was not saved" in reply.body
    assert "busy" in reply.body and "Traceback" not in reply.body
    assert rows(store) == before
