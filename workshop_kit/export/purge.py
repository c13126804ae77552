"""Purge a session: its store file (with ``-wal`` and ``-shm``) and its exports folders.

The exports of a session are the folders under the exports root whose owner file names
this session id and this very file (:mod:`workshop_kit.export.folders`); nothing is
derived from the file name, so a backup copy, or a file called ``..sqlite``, never
reaches another session's exports, the exports root or anything above it. Files written
with ``--out`` to a folder of the facilitator's choice are not known to the kit and must
be deleted by hand; the command says so.

A store that is open elsewhere (a notebook's kernel, the present server) is reported by
:func:`workshop_kit.store.in_use`: deleting it then would let the open notebook keep
"saving" answers into a file that no longer exists.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import StoreError
from ..locations import CURRENT_POINTER, sessions_dir
from ..store import in_use, probe
from .folders import find_session_exports


@dataclass(frozen=True)
class PurgePlan:
    """What purging one session deletes."""

    store: Path
    title: str
    files: list[Path] = field(default_factory=list)  # the store, -wal, -shm (those present)
    exports: list[Path] = field(default_factory=list)  # this file's exports folders
    kept: list[tuple[Path, str]] = field(default_factory=list)  # same session, not deleted
    open_elsewhere: bool = False  # a kernel or the present server has the file open

    @property
    def targets(self) -> list[Path]:
        return [*self.files, *self.exports]


def check_session_store(path: Path | str) -> dict[str, str]:
    """Return the session's metadata, or raise :class:`StoreError` when ``path`` is not one.

    Reads only: an SQLite file whose ``meta`` table holds a
    ``session_id``. A damaged store whose ``meta`` table still reads can be purged.
    """
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"no session store at {str(path)!r}; nothing to purge")
    return probe(path, read_only=False, why="purge deletes only session files made by the kit")


def purge_plan(store: Path | str) -> PurgePlan:
    """What :func:`purge` would delete, after checking that ``store`` is a session store.

    Raises
    ------
    StoreError
        ``store`` is missing or is not a session file made by the kit.
    """
    store = Path(store)
    meta = check_session_store(store)
    files = [p for p in (store, *_companions(store)) if p.exists()]
    found = find_session_exports(meta["session_id"], store)
    return PurgePlan(
        store,
        meta.get("title", ""),
        files,
        found.mine,
        found.kept,
        open_elsewhere=in_use(store),
    )


def purge(plan: PurgePlan) -> list[Path]:
    """Delete everything in ``plan``; return what was deleted.

    The exports go first and the store last, so an interrupted purge can be run again
    (the store is still there to be recognised).
    """
    deleted = []
    for folder in plan.exports:
        if folder.is_dir() and not folder.is_symlink():
            shutil.rmtree(folder)
            deleted.append(folder)
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
