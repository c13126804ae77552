"""A short secret per partner that guards that partner's own data on a shared laptop or phone.

Each partner sets a short secret (at least four letters or digits) the first time they use
the kit; it is asked again to resume a check-in, to see earlier answers, and to read or
share their private notes and plans. Only a salted scrypt hash is stored, as an entry of
kind ``partner_secret`` written through :class:`~workshop_kit.session.Session`. The
facilitator can reset a forgotten secret; the partner then sets a new one.

A secret is compared without regard to case or surrounding spaces ("Rose7" and " rose7 "
are the same secret), because phones capitalise the first letter on their own.

The secret is a lock against a curious partner at the same laptop, not against someone who
holds the store file: four digits are found by trying them all against the hash. The store
itself is readable by its owner only.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import unicodedata
from typing import TYPE_CHECKING

from .errors import InputError

if TYPE_CHECKING:  # pragma: no cover - typing only
    from .session import Session

KIND = "partner_secret"
KEY = "secret"
MIN_LENGTH = 4
MAX_LENGTH = 40
# scrypt cost: 2**14 x 8 x 1 needs 16 MiB and about 50 ms on a laptop; the stored record
# carries its own parameters, so a later change of these leaves old secrets readable.
SCRYPT_N = 2**14
SCRYPT_R = 8
SCRYPT_P = 1
SALT_BYTES = 16
HASH_BYTES = 32
ALGORITHM = "scrypt"


def normalise_secret(secret: str) -> str:
    """The secret as compared: NFKC, surrounding spaces dropped, case folded.

    Parameters
    ----------
    secret : str
        What the partner typed.

    Returns
    -------
    str
        The normalised secret.

    Raises
    ------
    InputError
        When it is not text, is shorter than 4 or longer than 40 characters, or holds
        anything but letters and digits.

    Examples
    --------
    >>> normalise_secret("  Rose7 ")
    'rose7'
    >>> normalise_secret("12")
    Traceback (most recent call last):
    ...
    workshop_kit.errors.InputError: a secret must be 4 to 40 letters or digits; not 2 characters
    """
    if not isinstance(secret, str):
        raise InputError(f"a secret must be text (letters or digits); not {type(secret).__name__}")
    clean = unicodedata.normalize("NFKC", secret).strip().casefold()
    if not MIN_LENGTH <= len(clean) <= MAX_LENGTH:
        raise InputError(
            f"a secret must be {MIN_LENGTH} to {MAX_LENGTH} letters or digits; "
            f"not {len(clean)} characters"
        )
    if not clean.isalnum():
        raise InputError(
            f"a secret must be {MIN_LENGTH} to {MAX_LENGTH} letters or digits, with no "
            "spaces or signs"
        )
    return clean


def hash_secret(secret: str, salt: bytes | None = None, n: int = SCRYPT_N) -> dict:
    """A storable record of a secret: algorithm, cost parameters, salt and hash (hex).

    Parameters
    ----------
    secret : str
        What the partner typed (normalised here with :func:`normalise_secret`).
    salt : bytes, optional
        16 random bytes by default; given only in tests.
    n : int
        scrypt's CPU/memory cost (a power of two).

    Returns
    -------
    dict
        ``{"algorithm": "scrypt", "n", "r", "p", "salt", "hash"}``, JSON-able.

    Notes
    -----
    ``hash = scrypt(password=NFKC(secret).strip().casefold(), salt, n, r=8, p=1, dklen=32)``
    (Percival & Josefsson 2016). The secret itself is never stored.

    References
    ----------
    .. [1] C. Percival and S. Josefsson, "The scrypt Password-Based Key Derivation
       Function", RFC 7914, 2016.
    """
    clean = normalise_secret(secret)
    salt = os.urandom(SALT_BYTES) if salt is None else salt
    digest = _scrypt(clean, salt, n, SCRYPT_R, SCRYPT_P)
    return {
        "algorithm": ALGORITHM,
        "n": n,
        "r": SCRYPT_R,
        "p": SCRYPT_P,
        "salt": salt.hex(),
        "hash": digest.hex(),
    }


def secret_matches(record: dict, secret: object) -> bool:
    """Whether ``secret`` is the one ``record`` was made from (constant-time comparison).

    Anything that could not be a secret (too short, not text) simply does not match.
    """
    try:
        clean = normalise_secret(secret)  # type: ignore[arg-type]
    except InputError:
        return False
    try:
        if record.get("algorithm") != ALGORITHM:
            return False
        salt = bytes.fromhex(record["salt"])
        expected = bytes.fromhex(record["hash"])
        digest = _scrypt(clean, salt, int(record["n"]), int(record["r"]), int(record["p"]))
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    return hmac.compare_digest(digest, expected)


def _scrypt(clean: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(
        clean.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=0, dklen=HASH_BYTES
    )


# -- over a session -------------------------------------------------------------------
def _record(session: Session, couple_code: str, partner: str) -> dict | None:
    code, partner = session.check_participant(couple_code, partner)
    found = session.entries(KIND, code, partner, key=KEY)
    return found[0].value if found else None


def is_set(session: Session, couple_code: str, partner: str) -> bool:
    """Whether this partner has set a secret (and it was not reset since)."""
    return _record(session, couple_code, partner) is not None


def set_secret(session: Session, couple_code: str, partner: str, secret: str) -> None:
    """Set this partner's secret; refused when it is too short or one is already set.

    Raises
    ------
    InputError
        Unknown couple code or partner; a secret that is not 4-40 letters or digits; a
        secret already set (the facilitator resets it first).
    """
    code, partner = session.check_participant(couple_code, partner)
    record = hash_secret(secret)
    if not session.put_entry_if_unset(KIND, KEY, record, code, partner):
        raise InputError(
            f"partner {partner} of couple {code} already has a secret; the facilitator can "
            "reset it if it was forgotten"
        )


def check_secret(session: Session, couple_code: str, partner: str, secret: str) -> bool:
    """Whether ``secret`` is this partner's secret; False when none is set."""
    record = _record(session, couple_code, partner)
    return record is not None and secret_matches(record, secret)


def reset_secret(session: Session, couple_code: str, partner: str) -> None:
    """Forget this partner's secret (facilitator): its stored hashes are deleted."""
    code, partner = session.check_participant(couple_code, partner)
    session.erase_entry(KIND, KEY, code, partner)
