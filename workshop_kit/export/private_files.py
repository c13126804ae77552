"""Files that hold a couple's data are the owner's alone: 0600 files in 0700 folders.

Every file the kit writes with participant data (take-home packs and their PNGs, saved
charts, the room summary, paper forms with couple codes, data exports) goes through
:func:`private_file`, and every folder it makes for them through :func:`private_folder`,
so the permissions hold whatever the process's umask is. Files are written whole: to a
temporary name beside the target (created 0600 by :func:`tempfile.mkstemp`), then moved
into place, so a reader never sees half a file and a failed write leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from ..errors import InputError

FILE_MODE = stat.S_IRUSR | stat.S_IWUSR  # 0600
FOLDER_MODE = stat.S_IRWXU  # 0700


def private_folder(path: Path | str, own: bool = True) -> Path:
    """Create ``path`` (and any missing parents) readable by its owner only; return it.

    Parameters
    ----------
    path : path
        The folder.
    own : bool
        True for a folder the kit names itself (``<out>/<couple code>/``, a session's
        exports folder): it is made owner-only even when it already exists. False for a
        folder the facilitator chose (``--out``): only the folders created here are made
        owner-only, and an existing one is left as it is (the files in it are 0600).

    Returns
    -------
    Path
        ``path``.

    Raises
    ------
    InputError
        ``path`` or a folder above it is a file, or the folder cannot be made.
    """
    path = Path(path)
    created = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        created.append(probe)
        probe = probe.parent
    try:
        path.mkdir(parents=True, exist_ok=True, mode=FOLDER_MODE)
    except (FileExistsError, NotADirectoryError):
        raise InputError(
            f"cannot write into {str(path)!r}: it, or a folder above it, is a file; choose a folder"
        ) from None
    except OSError as exc:
        raise InputError(
            f"cannot make the folder {str(path)!r} ({exc.strerror or exc}); choose another place"
        ) from None
    for folder in created if not own else {*created, path}:
        with contextlib.suppress(PermissionError):
            os.chmod(folder, FOLDER_MODE)
    return path


@contextlib.contextmanager
def private_file(path: Path | str) -> Iterator[Path]:
    """Yield a temporary path to write ``path``'s content to; it lands 0600 and whole.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = private_folder(pathlib.Path(tempfile.mkdtemp()) / "out")
    >>> with private_file(folder / "a.txt") as tmp:
    ...     _ = tmp.write_text("hello")
    >>> oct((folder / "a.txt").stat().st_mode & 0o777), oct(folder.stat().st_mode & 0o777)
    ('0o600', '0o700')
    """
    path = Path(path)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}-", suffix=path.suffix)
    os.close(handle)
    tmp = Path(name)
    try:
        yield tmp
        os.chmod(tmp, FILE_MODE)  # a writer that made the file anew gets the mode back
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)  # only there when writing failed


def make_private(path: Path | str) -> None:
    """Set an existing file to 0600 (for a file written by a library that names it)."""
    with contextlib.suppress(FileNotFoundError, PermissionError):
        os.chmod(path, FILE_MODE)
