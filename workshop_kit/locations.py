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


def session_path(name: str) -> Path:
    """The file for a session called ``name`` (letters, digits, '-' and '_' kept)."""
    safe = "".join(ch if ch.isalnum() or ch in "-_" else "-" for ch in name.strip()).strip("-")
    if not safe:
        raise StoreError(f"a session name needs at least one letter or digit; not {name!r}")
    return sessions_dir() / f"{safe.lower()}.sqlite"


def exports_dir() -> Path:
    """Where saved charts and packs go: ``$WORKSHOP_KIT_EXPORTS``, else ``exports/`` beside
    the sessions folder."""
    env = os.environ.get("WORKSHOP_KIT_EXPORTS")
    if env:
        return Path(env)
    return sessions_dir().parent / "exports"


def session_exports_dir(store: Path | str) -> Path:
    """The exports of one session: ``exports/<session file stem>/`` (what purge deletes)."""
    return exports_dir() / Path(store).stem


def set_current(path: Path | str) -> None:
    """Remember ``path`` as the session the notebooks work on."""
    (sessions_dir() / CURRENT_POINTER).write_text(str(Path(path).resolve()), encoding="utf-8")


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
    """Open the current session (see :func:`current_store_path`)."""
    from .session import Session

    return Session.open(current_store_path())
