"""Each session's exports folder, tied to that session by a small owner file.

Charts and take-home packs saved from the notebooks go to ``exports/<session file
name>/``. The folder holds an owner file (:data:`OWNER_FILE`) naming the session id and the
session file that made it, so ``workshop-kit purge`` deletes a folder only when it belongs
to the very file being purged: purging a USB backup copy (same session id, another file)
leaves the live session's exports alone, and a store called ``..sqlite`` can never point
at the exports root or above it.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from ..locations import exports_dir, safe_folder_name
from .private_files import private_folder

OWNER_FILE = ".workshop-kit-session.json"


@dataclass(frozen=True)
class ExportsOwner:
    """Who an exports folder belongs to: a session id and the file it was saved from."""

    session_id: str
    store: Path


def read_owner(folder: Path) -> ExportsOwner | None:
    """The owner recorded in ``folder``, or None (no owner file, or an unreadable one)."""
    try:
        data = json.loads((folder / OWNER_FILE).read_text(encoding="utf-8"))
        return ExportsOwner(str(data["session_id"]), Path(data["store"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _owned_by(folder: Path, session_id: str, store: Path) -> bool:
    owner = read_owner(folder)
    return owner is not None and owner.session_id == session_id and owner.store == store


def session_exports_folder(session) -> Path:
    """The folder where this session's charts and packs go (nothing is written).

    Parameters
    ----------
    session : Session
        The open session.

    Returns
    -------
    Path
        ``exports/<session file name>/``; when another session already owns that name,
        ``exports/<session file name>-<first 8 characters of the session id>/``.
    """
    store = Path(session.path).resolve()
    session_id = session.session_id
    root = exports_dir()
    plain = root / safe_folder_name(store.stem)
    if not plain.exists() or _owned_by(plain, session_id, store):
        return plain
    return root / f"{plain.name}-{safe_folder_name(session_id)[:8]}"


def claim_exports_folder(session) -> Path:
    """Create this session's exports folder (owner-only) with its owner file; return it."""
    folder = private_folder(session_exports_folder(session))
    owner = folder / OWNER_FILE
    if not owner.exists():
        fd = os.open(owner, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(
                {"session_id": session.session_id, "store": str(Path(session.path).resolve())},
                fh,
            )
    return folder


@dataclass(frozen=True)
class ExportsFound:
    """The exports folders of one session file: those purge deletes and those it keeps."""

    mine: list[Path]
    kept: list[tuple[Path, str]]  # (folder, why it is kept)


def find_session_exports(session_id: str, store: Path | str) -> ExportsFound:
    """The exports folders that belong to the session file ``store``.

    Only folders directly inside the exports root are looked at; links, ``.``, ``..``
    and the root itself never are. A folder belongs to ``store`` when its owner file
    names the same session id and either the same file or a file that no longer exists
    (the session was moved). A folder of the same session saved from another file that
    still exists (the live session, when ``store`` is a backup copy) is kept, and so is
    an old folder with no owner file that has this file's name.
    """
    store = Path(store).resolve()
    root = exports_dir()
    mine: list[Path] = []
    kept: list[tuple[Path, str]] = []
    if not root.is_dir():
        return ExportsFound(mine, kept)
    for folder in sorted(root.iterdir()):
        if folder.name in ("", ".", "..") or folder.is_symlink() or not folder.is_dir():
            continue
        owner = read_owner(folder)
        if owner is None:
            if folder.name == safe_folder_name(store.stem):
                kept.append((folder, "it does not say which session it belongs to"))
            continue
        if owner.session_id != session_id:
            continue
        if owner.store == store or not owner.store.exists():
            mine.append(folder)
        else:
            kept.append((folder, f"it belongs to the same session saved in {owner.store}"))
    return ExportsFound(mine, kept)
