"""Where sessions live, and which session the notebooks are working on.

The sessions folder is ``$WORKSHOP_KIT_SESSIONS`` when set, else ``sessions/`` in the
kit's checkout (ignored by git). ``00_start_here`` marks the session it creates or
opens as current (a small pointer file), so every other notebook opens the same one;
``$WORKSHOP_KIT_STORE`` overrides the pointer (used by the tests and by scripts).
"""

from __future__ import annotations

import os
from pathlib import Path

from .errors import StoreError
from .session import Session

CURRENT_POINTER = ".current-session"


def sessions_dir() -> Path:
    """The folder holding session files (created when missing, owner-only)."""
    env = os.environ.get("WORKSHOP_KIT_SESSIONS")
    if env:
        folder = Path(env)
    else:
        checkout = Path(__file__).resolve().parents[1]
        folder = (
            checkout / "sessions"
            if (checkout / "pyproject.toml").exists()
            else Path.home() / "workshop-kit-sessions"
        )
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


#: Longest file name stem made from a title, in UTF-8 bytes: far below the 255 bytes most
#: file systems allow, leaving room for ".sqlite-wal" and a "-2" suffix.
MAX_NAME_BYTES = 120


def truncate_bytes(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, never inside a character.

    >>> truncate_bytes("春の講座", 7)
    '春の'
    """
    return text.encode("utf-8")[:limit].decode("utf-8", errors="ignore")


def session_path(name: str) -> Path:
    """The file for a session called ``name`` (letters, digits, '-' and '_' kept).

    A long name is cut to :data:`MAX_NAME_BYTES` bytes (a title of 90 Japanese characters
    is 270 bytes, more than a file name may hold).
    """
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name.strip()).strip("-")
    safe = truncate_bytes(safe.lower(), MAX_NAME_BYTES).strip("-")
    if not safe:
        raise StoreError(f"a session name needs at least one letter or digit; not {name!r}")
    return sessions_dir() / f"{safe}.sqlite"


def exports_dir() -> Path:
    """Where saved charts and packs go: ``$WORKSHOP_KIT_EXPORTS``, else ``exports/`` beside
    the sessions folder."""
    env = os.environ.get("WORKSHOP_KIT_EXPORTS")
    if env:
        return Path(env)
    return sessions_dir().parent / "exports"


def safe_folder_name(name: str) -> str:
    """A folder name made from ``name`` that stays inside its parent folder.

    Letters, digits, '-', '_' and inner dots are kept; anything else becomes '-'. Leading
    dots are dropped, so '.', '..' and hidden names never come out; an empty result
    becomes 'session'.

    >>> [safe_folder_name(n) for n in ["spring-2026", ".", "..", "a/b", ".hidden"]]
    ['spring-2026', 'session', 'session', 'a-b', 'hidden']
    """
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "-" for ch in name).lstrip(".")
    return safe or "session"


def session_exports_dir(store: Path | str) -> Path:
    """The usual exports folder of a session file: ``exports/<session file name>/``.

    A path only: :func:`workshop_kit.export.folders.claim_exports_folder` creates it with
    the owner file that ``purge`` checks.
    """
    return exports_dir() / safe_folder_name(Path(store).stem)


def set_current(path: Path | str) -> None:
    """Remember ``path`` as the session the notebooks work on."""
    (sessions_dir() / CURRENT_POINTER).write_text(str(Path(path).resolve()), encoding="utf-8")


def pinned_store_path() -> Path | None:
    """The session file ``$WORKSHOP_KIT_STORE`` fixes for every page, or None."""
    env = os.environ.get("WORKSHOP_KIT_STORE")
    return Path(env) if env else None


def current_store_path() -> Path:
    """The current session file: ``$WORKSHOP_KIT_STORE``, else the pointer of 00_start_here."""
    env = os.environ.get("WORKSHOP_KIT_STORE")
    if env:
        return Path(env)
    pointer = sessions_dir() / CURRENT_POINTER
    if not pointer.exists():
        raise StoreError(
            "no session is open yet: run notebooks/00_start_here.ipynb and create or open one"
        )
    return Path(pointer.read_text(encoding="utf-8").strip())


def current_session():
    """Open the current session (see :func:`current_store_path`).

    When it comes from 00_start_here's pointer (not ``$WORKSHOP_KIT_STORE``), every write
    checks that the pointer still names it (:func:`check_still_current`).
    """
    session = Session.open(current_store_path())
    if not os.environ.get("WORKSHOP_KIT_STORE"):
        session.before_write = check_still_current
    return session


def check_still_current(session: Session) -> None:
    """Raise :class:`StoreError` when 00_start_here now names another session file.

    Parameters
    ----------
    session : Session
        A session a notebook opened with :func:`current_session`.

    Raises
    ------
    StoreError
        The pointer names another file: nothing is saved, and the message says which
        session this page writes to and how to switch. A missing pointer is not an error.
    """
    pointer = sessions_dir() / CURRENT_POINTER
    try:
        current = Path(pointer.read_text(encoding="utf-8").strip())
    except (OSError, UnicodeDecodeError):
        return
    mine = Path(session.path).resolve()
    if current.resolve() == mine:
        return
    meta = session.store.meta()
    raise StoreError(
        f"This page works on the session “{meta.get('title', mine.stem)}” "
        f"({meta.get('date', '')}, file {mine.name}), but 00_start_here has switched to "
        f"{current.name}, so this page saves nothing more. Run this page again to use "
        "the new session (Kernel > Restart Kernel and Run All Cells, or reload the page "
        "in present mode), or open the old session again in 00_start_here."
    )
