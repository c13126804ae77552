"""Purge a session: its store file (with ``-wal`` and ``-shm``) and its exports folder.

The exports of a session are ``exports/<session file stem>/``
(:func:`workshop_kit.locations.session_exports_dir`), where the results notebook saves
couples' charts. Files written with ``--out`` to a folder of the facilitator's choice are
not known to the kit and must be deleted by hand; :func:`purge_plan` says so.
"""

from __future__ import annotations

import shutil
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StoreError
from ..locations import CURRENT_POINTER, session_exports_dir, sessions_dir

SQLITE_HEADER = b"SQLite format 3\x00"


@dataclass(frozen=True)
class PurgePlan:
    """What purging one session deletes."""

    store: Path
    title: str
    files: list[Path] = field(default_factory=list)  # the store, -wal, -shm (those present)
    exports: Path | None = None  # the session's exports folder, when it exists

    @property
    def targets(self) -> list[Path]:
        return [*self.files, *([self.exports] if self.exports else [])]


def check_session_store(path: Path | str) -> str:
    """Return the session's title, or raise :class:`StoreError` when ``path`` is not one.

    Reads only: an SQLite file whose ``meta`` table holds a
    ``session_id``. A damaged store whose ``meta`` table still reads can be purged.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"no session store at {str(path)!r}; nothing to purge")
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
    if header != SQLITE_HEADER:
        raise StoreError(
            f"{str(path)!r} is not a session store (not an SQLite file); purge deletes only "
            "session files made by the kit"
        )
    try:
        conn = sqlite3.connect(path)  # reads only; closing last removes its -wal/-shm
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{str(path)!r} is not a session store (no readable meta table: {exc}); purge "
            "deletes only session files made by the kit"
        ) from exc
    if "session_id" not in meta or "schema_version" not in meta:
        raise StoreError(
            f"{str(path)!r} is not a session store (its meta table has no session id); purge "
            "deletes only session files made by the kit"
        )
    return meta.get("title", "")


def purge_plan(store: Path | str) -> PurgePlan:
    """What :func:`purge` would delete, after checking that ``store`` is a session store."""
    store = Path(store)
    title = check_session_store(store)
    files = [p for p in (store, *_companions(store)) if p.exists()]
    exports = session_exports_dir(store)
    return PurgePlan(store, title, files, exports if exports.is_dir() else None)


def purge(plan: PurgePlan) -> list[Path]:
    """Delete everything in ``plan``; return what was deleted.

    The exports go first and the store last, so an interrupted purge can be run again
    (the store is still there to be recognised).
    """
    deleted = []
    if plan.exports is not None and plan.exports.is_dir():
        shutil.rmtree(plan.exports)
        deleted.append(plan.exports)
    for path in [*_companions(plan.store), plan.store]:
        if path.exists():
            path.unlink()
            deleted.append(path)
    _forget_current(plan.store)
    return deleted


def _companions(store: Path) -> list[Path]:
    return [Path(f"{store}-wal"), Path(f"{store}-shm"), Path(f"{store}-journal")]


def _forget_current(store: Path) -> None:
    pointer = sessions_dir() / CURRENT_POINTER
    if not pointer.is_file():
        return
    try:
        current = Path(pointer.read_text(encoding="utf-8").strip())
    except OSError:
        return
    if current.resolve() == store.resolve():
        pointer.unlink(missing_ok=True)
