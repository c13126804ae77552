"""Joining by phone: the room's join code and the phones that joined, kept in the store.

Everything lives in the session file (through :class:`~workshop_kit.session.Session`), so
the facilitator's panel in a notebook and the phone server (another process) see the same
state at once: closing joining or revoking a phone in the panel takes effect on the next
request the phone makes.

Storage (entries, source ``phone``):

- kind ``phones_joining``, key ``state``, no couple: ``{"open": bool, "code": str}``;
- kind ``phone_device``, key = SHA-256 of the device token (the token itself is never
  stored), one participant: ``{"device": short id, "revoked": bool}``.

Pure logic: no web server, no widgets.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from ..errors import InputError
from ..session import CODE_ALPHABET, Session, normalise_code

JOINING_KIND = "phones_joining"
JOINING_KEY = "state"
DEVICE_KIND = "phone_device"
JOIN_CODE_LENGTH = 6
SOURCE = "phone"


@dataclass(frozen=True)
class Joining:
    """Whether phones may join now, and the code in the join address."""

    open: bool
    code: str | None


@dataclass(frozen=True)
class Device:
    """A phone that joined: it acts for one partner of one couple, until revoked."""

    device: str
    couple_code: str
    partner: str
    revoked: bool
    joined_at: str


def new_join_code() -> str:
    """A fresh random join code (six letters and digits that are hard to confuse).

    >>> code = new_join_code()
    >>> len(code), set(code) <= set(CODE_ALPHABET)
    (6, True)
    """
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def joining(session: Session) -> Joining:
    """The room's joining state (closed, with no code, before it was ever opened)."""
    found = session.entries(JOINING_KIND, key=JOINING_KEY)
    if not found:
        return Joining(False, None)
    value = found[0].value
    return Joining(bool(value.get("open")), value.get("code"))


def open_joining(session: Session, new_code: bool = False) -> Joining:
    """Let phones join; keeps the current code unless ``new_code`` (or there is none).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
    >>> state = open_joining(s)
    >>> state.open, join_code_matches(s, state.code), join_code_matches(s, "WRONG1")
    (True, True, False)
    >>> close_joining(s).open, join_code_matches(s, state.code)
    (False, False)
    """
    current = joining(session)
    code = current.code if current.code and not new_code else new_join_code()
    session.put_entry(JOINING_KIND, JOINING_KEY, {"open": True, "code": code}, source=SOURCE)
    return Joining(True, code)


def close_joining(session: Session) -> Joining:
    """Refuse new phones from now on; phones that joined keep working."""
    current = joining(session)
    session.put_entry(
        JOINING_KIND, JOINING_KEY, {"open": False, "code": current.code}, source=SOURCE
    )
    return Joining(False, current.code)


def join_code_matches(session: Session, code: str) -> bool:
    """True only while joining is open and ``code`` is its code (compared in constant time)."""
    state = joining(session)
    if not state.open or not state.code:
        return False
    return hmac.compare_digest(normalise_code(code).encode(), state.code.encode())


def token_digest(token: str) -> str:
    """The SHA-256 of a device token, as stored (hex).

    >>> len(token_digest("x"))
    64
    """
    return hashlib.sha256(str(token).encode("utf-8")).hexdigest()


def add_device(session: Session, couple_code: str, partner: str) -> tuple[str, Device]:
    """Register a phone for one partner; return its secret token (for the cookie only)
    and the device. Only the token's digest is stored."""
    code, partner = session.check_participant(couple_code, partner)
    token = secrets.token_urlsafe(32)
    device_id = secrets.token_hex(4)
    session.put_entry(
        DEVICE_KIND,
        token_digest(token),
        {"device": device_id, "revoked": False},
        code,
        partner,
        source=SOURCE,
    )
    found = session.entries(DEVICE_KIND, code, partner, key=token_digest(token))[0]
    return token, Device(device_id, code, partner, False, found.created_at)


def device_for_token(session: Session, token: str | None) -> Device | None:
    """The phone a token belongs to, or None (unknown, malformed or revoked)."""
    if not token or len(token) > 100:
        return None
    found = session.entries(DEVICE_KIND, key=token_digest(token))
    if not found:
        return None
    entry = found[0]
    device = Device(
        entry.value["device"],
        entry.couple_code,
        entry.partner,
        bool(entry.value.get("revoked")),
        entry.created_at,
    )
    return None if device.revoked else device


def devices(session: Session) -> list[Device]:
    """Every phone that joined, revoked ones included, oldest first."""
    return [
        Device(
            e.value["device"],
            e.couple_code,
            e.partner,
            bool(e.value.get("revoked")),
            e.created_at,
        )
        for e in session.entries(DEVICE_KIND)
    ]


def revoke_devices(session: Session, couple_code: str, partner: str) -> int:
    """Stop every phone of one partner at once; return how many were stopped.

    Raises
    ------
    InputError
        When the couple code or partner is not in the session.
    """
    code, partner = session.check_participant(couple_code, partner)
    stopped = [
        (DEVICE_KIND, e.key, {**e.value, "revoked": True}, code, partner)
        for e in session.entries(DEVICE_KIND, code, partner)
        if not e.value.get("revoked")
    ]
    if stopped:
        session.put_entries(stopped, source=SOURCE)
    return len(stopped)


def joined_people(session: Session) -> int:
    """How many different partners have a phone that is not revoked."""
    return len({(d.couple_code, d.partner) for d in devices(session) if not d.revoked})


def joined_text(session: Session) -> str:
    """The projector's line about phones: the number only when it is at least k.

    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=2)
    >>> joined_text(s)
    'Phones joined: fewer than 3'
    """
    n = joined_people(session)
    k = session.k
    return f"Phones joined: {n}" if n >= k else f"Phones joined: fewer than {k}"


def check_partner_letter(partner: str) -> str:
    """``A`` or ``B`` from a form field, else the kit's error."""
    letter = str(partner or "").strip().upper()
    if letter not in ("A", "B"):
        raise InputError(f"partner must be one of ['A', 'B']; not {partner!r}")
    return letter


def forget_device(session: Session, token: str | None) -> bool:
    """Sign one phone out (its owner's choice, e.g. a borrowed phone); True when it was
    signed in."""
    device = device_for_token(session, token)
    if device is None:
        return False
    session.put_entry(
        DEVICE_KIND,
        token_digest(token),
        {"device": device.device, "revoked": True},
        device.couple_code,
        device.partner,
        source=SOURCE,
    )
    return True


def phones_summary(session: Session) -> dict:
    """For ``summary --json``: joining open or not, and how many people joined and answered
    by phone, each only when at least k (None otherwise). Never a code or a partner.

    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=2)
    >>> phones_summary(s)
    {'joining_open': False, 'people_joined': None, 'people_answered_by_phone': None, 'k': 3}
    """
    k = session.k
    joined = joined_people(session)
    answers = session.answers()
    by_phone = answers[answers["source"] == SOURCE]
    answered = len(set(zip(by_phone["couple_code"], by_phone["partner"], strict=True)))
    return {
        "joining_open": joining(session).open,
        "people_joined": joined if joined >= k else None,
        "people_answered_by_phone": answered if answered >= k else None,
        "k": k,
    }
