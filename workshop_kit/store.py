"""The session store: one SQLite file per workshop session, the single source of truth.

Answers and entries are append-only rows with a timestamp and a source; the latest row
for a key wins. Every write is its own committed transaction (or one transaction for a
whole import), so killing the process never loses an answer already given. WAL mode and
a busy timeout let two notebooks, the dashboard and the CLI share one file.

Threads. A :class:`Store` keeps ONE connection (``check_same_thread=False``) behind one
re-entrant lock: every statement, and every transaction as a whole, runs while holding
it, so the store may be used from any thread (JupyterLab runs widget callbacks on kernel
subshell threads; a phone server writes from its own). See docs/ARCHITECTURE.md.

Failures. SQLite errors while writing become the kit's own :class:`StoreError`
subclasses with plain words (:class:`StoreBusy`, :class:`StoreFull`,
:class:`StoreReadOnly`, :class:`StoreGone`); a transaction that fails writes nothing.
Inside :func:`click_wait` (every widget callback) the kit waits at most
:data:`CLICK_WAIT_MS` for a busy file instead of :data:`BUSY_TIMEOUT_MS`, so a click hears
back within two seconds.
"""

from __future__ import annotations

import atexit
import contextlib
import contextvars
import os
import signal
import sqlite3
import stat
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

from .errors import StoreBusy, StoreError, StoreFull, StoreGone, StoreReadOnly

SCHEMA_VERSION = 2
BUSY_TIMEOUT_MS = 30_000
#: How long a click waits for a session file another program is writing, in milliseconds.
CLICK_WAIT_MS = 1_500
#: How long closing a store (or the process stopping) waits to fold the WAL into the file.
CHECKPOINT_WAIT_MS = 1_000
SOURCES = ("widget", "paper", "import", "demo", "phone")
CREATING_PREFIX = ".creating-"

# Each migration takes the store from version N-1 to N; index 0 creates version 1.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE meta (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    CREATE TABLE couples (
        code TEXT PRIMARY KEY,
        created_at TEXT NOT NULL
    );
    CREATE TABLE answers (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        couple_code TEXT NOT NULL REFERENCES couples(code),
        partner TEXT NOT NULL CHECK (partner IN ('A', 'B')),
        phase TEXT NOT NULL CHECK (phase IN ('before', 'after')),
        instrument TEXT NOT NULL,
        item_id TEXT NOT NULL,
        value REAL,                -- NULL means skipped: skipped is never zero
        source TEXT NOT NULL,
        answered_at TEXT NOT NULL
    );
    CREATE INDEX answers_key ON answers (couple_code, partner, phase, instrument, item_id);
    -- Everything that is not a numeric answer: value sorts, notes, words, plans...
    -- value_json holds the entry; the latest row per (kind, couple, partner, key) wins.
    CREATE TABLE entries (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        couple_code TEXT,
        partner TEXT,
        key TEXT NOT NULL,
        value_json TEXT,           -- NULL means withdrawn
        source TEXT NOT NULL,
        created_at TEXT NOT NULL
    );
    CREATE INDEX entries_key ON entries (kind, couple_code, partner, key);
    -- Files already imported (by content hash), so importing twice adds nothing.
    CREATE TABLE imports (
        sha256 TEXT PRIMARY KEY,
        file_name TEXT NOT NULL,
        rows INTEGER NOT NULL,
        imported_at TEXT NOT NULL
    );
    """,
    # 2: each imported row by its content, so a row is recognised in any file it comes in
    # (downloaded again, saved with other line ends) and the phase is part of what it is.
    """
    CREATE TABLE import_rows (
        fingerprint TEXT PRIMARY KEY,
        couple_code TEXT NOT NULL,
        partner TEXT NOT NULL,
        phase TEXT,
        file_sha256 TEXT NOT NULL,
        imported_at TEXT NOT NULL
    );
    """,
]


def now() -> str:
    """The current UTC time as an ISO 8601 string with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


# -- how long to wait for a busy file ----------------------------------------------
_wait_ms: contextvars.ContextVar[int | None] = contextvars.ContextVar("wk_wait_ms", default=None)


@contextlib.contextmanager
def click_wait(ms: int = CLICK_WAIT_MS) -> Iterator[None]:
    """Inside this block, reads and writes wait at most ``ms`` for a busy session file.

    Every widget callback runs inside it (``widgets.common.guard``), so a click that
    meets a file locked by another program hears "busy, try again" within two seconds
    instead of hanging for :data:`BUSY_TIMEOUT_MS`.

    Parameters
    ----------
    ms : int
        The longest wait, in milliseconds (at least 0).
    """
    token = _wait_ms.set(max(0, int(ms)))
    try:
        yield
    finally:
        _wait_ms.reset(token)


def _current_wait_ms() -> int:
    chosen = _wait_ms.get()
    return BUSY_TIMEOUT_MS if chosen is None else chosen


# -- SQLite errors in plain words ----------------------------------------------------
_BUSY_CODES = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED
_FULL_CODE = 13  # SQLITE_FULL
_READONLY_CODE = 8  # SQLITE_READONLY


def _error_code(exc: BaseException) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def _cannot_write_here(path: Path) -> bool:
    """Whether the file or its folder refuses writing (always False for root)."""
    try:
        return not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK))
    except OSError:
        return False


def busy_error(path: Path | str) -> StoreBusy:
    return StoreBusy(
        "the session file is busy (another window or program is saving to it), so this "
        f"was not saved. Please try again in a moment. ({path})"
    )


def full_error(path: Path | str) -> StoreFull:
    return StoreFull(
        "the laptop's disk is full, so this was not saved. Ask the facilitator to free some "
        f"space (empty the bin, delete old exports), then try again. ({path})"
    )


def read_only_error(path: Path | str) -> StoreReadOnly:
    return StoreReadOnly(
        "the session file can be read here but not changed (a read-only folder or USB "
        "stick), so this was not saved. Ask the facilitator to copy it onto the laptop and "
        f"open the copy in 00 Start here. ({path})"
    )


def gone_error(path: Path | str) -> StoreGone:
    return StoreGone(
        "the session file was moved, renamed or deleted while it was open, so this was not "
        "saved. Ask the facilitator to put it back, or open it again in 00 Start here, "
        f"then try again. ({path})"
    )


def explain(exc: BaseException, path: Path | str | None, doing: str = "save to") -> StoreError:
    """The kit's own error for an SQLite (or OS) error met while using the file ``path``.

    Parameters
    ----------
    exc : BaseException
        The error raised by :mod:`sqlite3` (or an ``OSError``).
    path : Path or str or None
        The session file (None when not known: the file is then not looked at).
    doing : str
        What was being done, for the generic message ("save to", "read", ...).

    Returns
    -------
    StoreError
        :class:`StoreBusy`, :class:`StoreFull`, :class:`StoreReadOnly`, :class:`StoreGone`
        or a plain :class:`StoreError` naming the file and SQLite's words.
    """
    if isinstance(exc, StoreError):
        return exc
    path = Path(path) if path is not None else Path("the session file")
    known = path.name != "the session file"
    code = _error_code(exc)
    words = str(exc).lower()
    if isinstance(exc, FileNotFoundError):
        return gone_error(path)
    if isinstance(exc, OSError) and getattr(exc, "errno", None) in (28, 122):  # ENOSPC, EDQUOT
        return full_error(path)
    if isinstance(exc, OSError) and getattr(exc, "errno", None) == 30:  # EROFS
        return read_only_error(path)
    if code in _BUSY_CODES or "database is locked" in words or "is busy" in words:
        return busy_error(path)
    if code == _FULL_CODE or "disk is full" in words or "database or disk is full" in words:
        return full_error(path)
    if code == _READONLY_CODE or "readonly database" in words or "read-only" in words:
        return read_only_error(path)
    if known and not path.exists():
        return gone_error(path)
    if known and _cannot_write_here(path):
        return read_only_error(path)
    return StoreError(f"could not {doing} the session file {str(path)!r}: {exc}")


# -- connections -------------------------------------------------------------------
def _raw_connect(path: Path | str) -> sqlite3.Connection:
    """A connection that has not written anything yet (no journal-mode switch)."""
    conn = sqlite3.connect(
        path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
    )
    conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    # Deleted rows (an erased note, a reset secret) are overwritten with zeros, not left
    # in free pages where a copy of the file would still show them.
    conn.execute("PRAGMA secure_delete = ON")
    return conn


def _configure(conn: sqlite3.Connection) -> sqlite3.Connection:
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def _connect(path: Path) -> sqlite3.Connection:
    return _configure(_raw_connect(path))


def _owner_only(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        if p.exists():
            with contextlib.suppress(PermissionError):
                os.chmod(p, stat.S_IRUSR | stat.S_IWUSR)


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return (info.st_dev, info.st_ino)


class Rows:
    """The rows of one statement, read at once while the store's lock was held.

    Behaves like the part of :class:`sqlite3.Cursor` the kit uses: ``fetchone``,
    ``fetchall``, iteration, ``rowcount``, ``lastrowid`` and ``description``.
    """

    def __init__(self, rows: list[tuple], cursor: sqlite3.Cursor):
        self._rows = rows
        self._next = 0
        self.rowcount = cursor.rowcount
        self.lastrowid = cursor.lastrowid
        self.description = cursor.description

    def fetchone(self) -> tuple | None:
        if self._next >= len(self._rows):
            return None
        row = self._rows[self._next]
        self._next += 1
        return row

    def fetchall(self) -> list[tuple]:
        rest = self._rows[self._next :]
        self._next = len(self._rows)
        return rest

    def __iter__(self) -> Iterator[tuple]:
        return iter(self.fetchall())


class LockedConnection:
    """``store.conn``: the store's one connection, each statement run under its lock.

    ``execute`` and ``executemany`` read every row before the lock is let go, so the
    result may be used from any thread. Anything else is passed to the connection.
    """

    def __init__(self, store: Store):
        self._store = store

    def execute(self, sql: str, parameters=()) -> Rows:
        with self._store.locked() as conn:
            cursor = conn.execute(sql, parameters)
            return Rows(cursor.fetchall(), cursor)

    def executemany(self, sql: str, seq_of_parameters) -> Rows:
        with self._store.locked() as conn:
            cursor = conn.executemany(sql, seq_of_parameters)
            return Rows(cursor.fetchall(), cursor)

    def __getattr__(self, name: str):
        return getattr(self._store.raw_connection, name)


# Every store open in this process, so a stopping process can fold each one's WAL into it.
_OPEN_STORES: weakref.WeakSet[Store] = weakref.WeakSet()
_HANDLED_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name)
)
_handlers_installed = False


class Store:
    """A connection to one session file, safe to use from any thread.

    Use :meth:`create` for a new session and :meth:`open` for an existing one.
    ``store.conn`` runs one statement at a time under the store's lock;
    :meth:`transaction` holds the lock for a whole transaction.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.raw_connection = conn
        self.conn = LockedConnection(self)
        self._lock = threading.RLock()
        self._pid = os.getpid()
        self._identity = _identity(path)
        self._busy_ms = BUSY_TIMEOUT_MS
        self._closed = False
        self._depth = 0  # transactions open in the thread holding the lock
        _OPEN_STORES.add(self)
        _install_stop_handlers()

    # -- opening ------------------------------------------------------------------
    @classmethod
    def create(
        cls,
        path: Path | str,
        meta: dict[str, str],
        populate: Callable[[sqlite3.Connection], None] | None = None,
    ) -> Store:
        """Create a new, complete session file (mode 0600) and open it.

        The file is built under a temporary name in the same folder, with its metadata
        and whatever ``populate`` adds, and renamed into place only when complete: a
        crash part-way leaves no half-made session file behind.

        Parameters
        ----------
        path : Path or str
            The new session file; its folder must exist and the file must not.
        meta : dict of str to str
            The session's metadata rows.
        populate : callable, optional
            ``populate(conn)`` adds rows (couples) in the same creating transaction.

        Raises
        ------
        StoreError
            The folder is missing, the file exists, or it cannot be written (with the
            :class:`StoreFull` / :class:`StoreReadOnly` subclasses where they fit).
        """
        path = Path(path)
        if not path.parent.is_dir():
            raise StoreError(
                f"cannot create the session store {str(path)!r}: the folder "
                f"{str(path.parent)!r} does not exist; create it first or choose another path"
            )
        if path.exists():
            raise StoreError(f"a session store already exists at {str(path)!r}; open it instead")
        _remove_stale_creations(path.parent)
        tmp = path.parent / f"{CREATING_PREFIX}{uuid.uuid4().hex[:12]}.tmp"
        old_umask = os.umask(0o077)
        try:
            conn = sqlite3.connect(tmp, isolation_level=None)
            try:
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute("BEGIN IMMEDIATE")
                for statement in _statements(MIGRATIONS[0]):
                    conn.execute(statement)
                conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
                for key, value in meta.items():
                    conn.execute("INSERT INTO meta VALUES (?, ?)", (key, str(value)))
                if populate is not None:
                    populate(conn)
                conn.execute("COMMIT")
            finally:
                conn.close()
            os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
            _fsync_file(tmp)
            _place_new(tmp, path)
            _fsync_dir(path.parent)
        except (sqlite3.Error, OSError) as exc:
            if isinstance(exc, FileExistsError):
                raise StoreError(
                    f"a session store already exists at {str(path)!r}; open it instead"
                ) from None
            raise _creating_error(exc, path) from exc
        finally:
            os.umask(old_umask)
            for leftover in (tmp, Path(f"{tmp}-journal")):
                with contextlib.suppress(OSError):
                    leftover.unlink()
        return cls.open(path)

    @classmethod
    def open(cls, path: Path | str) -> Store:
        """Open an existing session file, migrating an older one and refusing a newer one."""
        path = Path(path)
        if not path.is_file():
            raise StoreError(f"no session store at {str(path)!r}; create one first")
        try:
            with path.open("rb") as fh:
                header = fh.read(16)
        except OSError as exc:
            raise StoreError(
                f"cannot read the session store {str(path)!r}: {exc.strerror}"
            ) from exc
        if header != b"SQLite format 3\x00":
            raise StoreError(f"{str(path)!r} is not a session store (not an SQLite file)")
        try:
            conn = _raw_connect(path)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the session store {str(path)!r}: {exc}") from exc
        # The checks run on the one connection the store keeps, before it writes anything:
        # a second, short-lived connection closing beside other processes' would tear down
        # the shared WAL index they rely on.
        try:
            version = _check_readable(conn, path)
            if version > SCHEMA_VERSION:
                raise StoreError(
                    f"the session store {str(path)!r} was written by a newer version of the "
                    f"kit (schema {version}; this kit reads up to {SCHEMA_VERSION}). "
                    "Update the kit to open it; the file was not changed."
                )
            try:
                _configure(conn)
            except sqlite3.Error as exc:
                raise explain(exc, path, "open") from exc
        except BaseException:
            conn.close()
            raise
        store = cls(path, conn)
        store._migrate()
        _owner_only(path)
        return store

    def close(self) -> None:
        """Fold the write-ahead log into the file (as far as others allow) and close."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
            _OPEN_STORES.discard(self)
            if self._pid == os.getpid():
                with contextlib.suppress(sqlite3.Error):
                    self._checkpoint()
            self.raw_connection.close()

    def _checkpoint(self) -> tuple[int, int, int] | None:
        """``PRAGMA wal_checkpoint(TRUNCATE)``, waiting at most :data:`CHECKPOINT_WAIT_MS`."""
        self._set_busy(CHECKPOINT_WAIT_MS)
        try:
            return self.raw_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        finally:
            self._set_busy(BUSY_TIMEOUT_MS)

    def checkpoint(self) -> bool:
        """Fold every committed answer from the ``-wal`` file into the session file and
        empty it (old versions of erased pages go with it).

        Returns
        -------
        bool
            True when the whole log was copied and emptied; False when another program
            was reading at that moment (what was copied stays copied).
        """
        with self.locked():
            row = self._checkpoint()
        return row is not None and row[0] == 0

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            raise StoreError(f"{str(self.path)!r} is not a session store (no schema version)")
        return int(row[0])

    def _migrate(self) -> None:
        version = self.schema_version()
        while version < len(MIGRATIONS):
            with self.transaction() as conn:
                for statement in _statements(MIGRATIONS[version]):
                    conn.execute(statement)
                version += 1
                conn.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),)
                )

    # -- the lock -----------------------------------------------------------------
    def _set_busy(self, ms: int) -> None:
        if ms != self._busy_ms:
            self.raw_connection.execute(f"PRAGMA busy_timeout = {int(ms)}")
            self._busy_ms = ms

    @contextlib.contextmanager
    def locked(self) -> Iterator[sqlite3.Connection]:
        """Hold the store's lock (waiting as long as a busy file would) for some statements.

        Raises
        ------
        StoreBusy
            Another thread of this process kept the store longer than the wait allowed.
        """
        wait_ms = _current_wait_ms()
        if not self._lock.acquire(timeout=wait_ms / 1000):
            raise busy_error(self.path)
        try:
            if self._closed:
                raise StoreError(f"the session store {str(self.path)!r} was closed; open it again")
            self._set_busy(wait_ms)
            yield self.raw_connection
        finally:
            self._lock.release()

    def check_in_place(self) -> None:
        """Raise :class:`StoreGone` when the file at ``path`` is no longer the one open."""
        if self._identity is not None and _identity(self.path) != self._identity:
            raise gone_error(self.path)

    # -- writing ------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction: all of it lands, or none of it (BEGIN IMMEDIATE).

        The store's lock is held from BEGIN to COMMIT, so threads never interleave.
        A transaction opened inside one already open (in the same thread: the lock is
        re-entrant) is part of the outer one: it commits or rolls back with it.

        Raises
        ------
        StoreError
            With plain words (busy, full, read-only, gone) when SQLite refuses; nothing
            of the transaction is written. Errors of the kit raised inside pass unchanged.
        """
        with self.locked() as conn:
            if self._depth:  # inside this thread's own transaction: part of it
                self._depth += 1
                try:
                    yield conn
                finally:
                    self._depth -= 1
                return
            self.check_in_place()
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise explain(exc, self.path) from exc
            self._depth = 1
            try:
                yield conn
            except BaseException as exc:
                self._depth = 0
                with contextlib.suppress(sqlite3.Error):
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError):
                    raise explain(exc, self.path) from exc
                raise
            self._depth = 0
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                raise explain(exc, self.path) from exc

    # -- metadata -----------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO meta VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


def _creating_error(exc: BaseException, path: Path) -> StoreError:
    found = explain(exc, path, "create")
    if type(found) is StoreError or isinstance(found, StoreGone):
        return StoreError(f"cannot create the session store {str(path)!r}: {exc}")
    return found


def _remove_stale_creations(folder: Path, older_than_s: float = 3600.0) -> None:
    """Delete temporary files of creations that crashed more than an hour ago."""
    cutoff = time.time() - older_than_s
    with contextlib.suppress(OSError):
        for leftover in folder.glob(f"{CREATING_PREFIX}*.tmp*"):
            with contextlib.suppress(OSError):
                if leftover.stat().st_mtime < cutoff:
                    leftover.unlink()


def _place_new(tmp: Path, path: Path) -> None:
    """Move the finished file ``tmp`` to ``path`` in one step, never over an existing file."""
    try:
        os.link(tmp, path)  # fails with FileExistsError rather than replace a file
    except FileExistsError:
        raise
    except OSError:
        # file systems without hard links (FAT sticks): rename, after checking again
        if path.exists():
            raise FileExistsError(str(path)) from None
        os.rename(tmp, path)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


# -- stopping: fold the WAL into the file ----------------------------------------------
def checkpoint_open_stores() -> None:
    """Checkpoint (and close) every store this process opened, so each ``.sqlite`` file
    alone holds every answer. Run at exit and on SIGTERM / SIGHUP."""
    for store in list(_OPEN_STORES):
        if store._pid != os.getpid():
            continue  # a forked child must not touch its parent's connection
        if not store._lock.acquire(timeout=CHECKPOINT_WAIT_MS / 1000):
            continue
        try:
            if not store._closed:
                with contextlib.suppress(sqlite3.Error):
                    store._checkpoint()
        finally:
            store._lock.release()


atexit.register(checkpoint_open_stores)


def _on_stop_signal(signum, _frame) -> None:
    checkpoint_open_stores()
    signal.signal(signum, signal.SIG_DFL)
    os.kill(os.getpid(), signum)


def _install_stop_handlers() -> None:
    """On SIGTERM and SIGHUP, checkpoint first, then stop as the signal would have.

    Only where nobody else handles the signal (its handler is the default) and only from
    the main thread (Python allows signal handlers nowhere else): a program that owns
    the signal, such as the present server, calls :func:`checkpoint_open_stores` itself
    or exits normally (``atexit`` does it).
    """
    global _handlers_installed
    if _handlers_installed or threading.current_thread() is not threading.main_thread():
        return
    _handlers_installed = True
    for signum in _HANDLED_SIGNALS:
        with contextlib.suppress(ValueError, OSError):
            if signal.getsignal(signum) == signal.SIG_DFL:
                signal.signal(signum, _on_stop_signal)


def _reset_after_fork() -> None:
    global _handlers_installed
    _handlers_installed = False


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_reset_after_fork)


# -- backup ------------------------------------------------------------------------
def backup(source: Path | str, dest: Path | str) -> Path:
    """Copy a session file, complete and consistent, even while others write to it.

    Uses SQLite's online backup (one step, so the copy is one moment's snapshot, with
    every answer committed by then, the ones still in the ``-wal`` file included). The
    copy is a single self-contained file (no ``-wal``), owner-only, checked with
    ``PRAGMA integrity_check``, written under a temporary name and renamed into place.

    Parameters
    ----------
    source : Path or str
        The session file.
    dest : Path or str
        The copy to write (must not exist), or an existing folder: the copy is then
        ``<folder>/<session file stem>-backup-<UTC time>.sqlite``. A name ending in a
        path separator always means a folder (refused when it does not exist, rather
        than written as a file of that name).

    Returns
    -------
    Path
        The copy.

    Raises
    ------
    StoreError
        The source is not a session store, the copy exists already, or writing failed
        (nothing is left at ``dest`` then).
    """
    meant_folder = str(dest).endswith(("/", os.sep))
    source, dest = Path(source), Path(dest)
    if meant_folder and not dest.is_dir():
        raise StoreError(
            f"cannot write the copy into {str(dest)!r}: that folder does not exist; "
            "create it first or choose another place"
        )
    if dest.is_dir():
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        dest = dest / f"{source.stem}-backup-{stamp}.sqlite"
    if dest.exists():
        raise StoreError(
            f"{str(dest)!r} exists already; choose a new file name or a folder for the copy"
        )
    if not dest.parent.is_dir():
        raise StoreError(
            f"cannot write the copy {str(dest)!r}: the folder {str(dest.parent)!r} does not "
            "exist; create it first or choose another place"
        )
    if source.resolve() == dest.resolve():
        raise StoreError("the copy must be a different file from the session file")
    store = Store.open(source)
    tmp = dest.parent / f"{CREATING_PREFIX}{uuid.uuid4().hex[:12]}.tmp"
    old_umask = os.umask(0o077)
    try:
        target = sqlite3.connect(tmp, isolation_level=None)
        try:
            with store.locked() as conn:
                conn.backup(target)  # pages=-1: the whole file in one step
            target.execute("PRAGMA journal_mode = DELETE")
            check = target.execute("PRAGMA integrity_check").fetchall()
            if check != [("ok",)]:
                raise StoreError(
                    f"the copy of {str(source)!r} failed its integrity check "
                    f"({'; '.join(str(r[0]) for r in check)}); nothing was written"
                )
        finally:
            target.close()
        os.chmod(tmp, stat.S_IRUSR | stat.S_IWUSR)
        _fsync_file(tmp)
        _place_new(tmp, dest)
        _fsync_dir(dest.parent)
    except FileExistsError:
        raise StoreError(
            f"{str(dest)!r} exists already; choose a new file name or a folder for the copy"
        ) from None
    except (sqlite3.Error, OSError) as exc:
        raise explain(exc, dest, "write the copy") from exc
    finally:
        os.umask(old_umask)
        store.close()
        for leftover in (tmp, Path(f"{tmp}-journal")):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return dest


def _check_readable(probe: sqlite3.Connection, path: Path) -> int:
    """The schema version of a session file, checked (reading only) before anything writes.

    A file of another program (no ``meta`` table) or with a damaged page is refused here,
    before switching it to WAL mode could change it, and before a damaged page could
    surface mid-workshop as a raw SQLite error.
    """
    try:
        has_meta = probe.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'"
        ).fetchone()
        if not has_meta:
            raise StoreError(
                f"{str(path)!r} is not a session store (an SQLite file without the kit's "
                "tables); open a file made by the kit"
            )
        row = probe.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None or not str(row[0]).isdigit():
            raise StoreError(f"{str(path)!r} is not a session store (no schema version)")
        check = probe.execute("PRAGMA quick_check(3)").fetchall()
        if check != [("ok",)]:
            raise sqlite3.DatabaseError("; ".join(str(r[0]) for r in check))
        return int(row[0])
    except sqlite3.DatabaseError as exc:
        # a read-only folder (no room for the -shm file) is not damage: say what it is
        if _error_code(exc) in (_READONLY_CODE, 14) and _cannot_write_here(path):
            raise read_only_error(path) from exc
        if _error_code(exc) in _BUSY_CODES:
            raise busy_error(path) from exc
        raise StoreError(
            f"the session store {str(path)!r} is damaged or unreadable ({exc}); restore it "
            "from a backup copy. The file was not changed."
        ) from exc


def _statements(script: str) -> list[str]:
    lines = [line.split("--")[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def in_use(path: Path | str) -> bool:
    """Whether another connection (any process, this one included) has ``path`` open.

    Parameters
    ----------
    path : Path or str
        A session file.

    Returns
    -------
    bool
        True when an open kernel, the present server or any other connection holds the
        file; False when nobody does (left-over ``-wal``/``-shm`` files of a process that
        died do not count).

    Notes
    -----
    Every open kit connection works in WAL mode and keeps a shared lock on the WAL
    index while it is open, even when idle. A fresh connection in ``EXCLUSIVE`` locking
    mode asks for the exclusive lock without waiting: SQLite refuses it ("database is
    locked") exactly while another connection is open, across processes and within
    this one. A lock file or heartbeat written by the kit would need clean-up after a
    crash; this test needs none. Other errors (a read-only file, say) are not "in use".
    """
    if not Path(path).is_file():
        return False
    try:
        conn = sqlite3.connect(path, timeout=0, isolation_level=None)
    except sqlite3.Error:
        return False
    try:
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        conn.execute("COMMIT")
    except sqlite3.OperationalError as exc:
        return "locked" in str(exc) or "busy" in str(exc)
    except sqlite3.Error:
        return False
    finally:
        conn.close()
    return False


# -- reading a session file without opening it as a Store -----------------------------
SQLITE_HEADER = b"SQLite format 3\x00"

#: Every error SQLite raises; callers outside the store test for it with this name, so
#: that only the store layer imports :mod:`sqlite3`.
DatabaseError = sqlite3.Error


def _read_only_uri(path: Path) -> str:
    return f"{path.resolve().as_uri()}?mode=ro"


def _query_file(path: Path, sql: str, what: str) -> list[tuple]:
    """Every row ``sql`` gives on a session file opened read-only, or a StoreError."""
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            return conn.execute(sql).fetchall()
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(f"cannot read the {what} of {str(path)!r}: {exc}") from exc


def probe(path: Path | str, *, read_only: bool = True, why: str = "") -> dict[str, str]:
    """Whether ``path`` is a session store made by the kit: its ``meta`` table, or an error.

    The one "is this a session store?" check of the kit (purge, the programme report,
    backup). It opens the file with a plain connection, never as a :class:`Store`, so
    nothing is migrated or switched to WAL mode.

    Parameters
    ----------
    path : Path or str
        The file to look at.
    read_only : bool, default True
        Open with ``mode=ro`` (no ``-wal``/``-shm`` is created). ``False`` opens it for
        reading and writing, so that closing the last connection folds and removes a
        left-over ``-wal`` (purge, which then deletes the file anyway).
    why : str, default ""
        Words appended to each "is not a session store" message after a ``;``
        (e.g. ``"purge deletes only session files made by the kit"``).

    Returns
    -------
    dict of str to str
        The ``meta`` table (``session_id``, ``schema_version``, ``title``, ``k``, …).

    Raises
    ------
    StoreError
        The file cannot be read, is not an SQLite file, has no readable ``meta`` table,
        or its ``meta`` has no ``session_id``/``schema_version``.

    Notes
    -----
    A file is an SQLite file when its first 16 bytes are ``b"SQLite format 3\\x00"``
    (the SQLite file format, section 1.3.1).

    References
    ----------
    SQLite file format: https://www.sqlite.org/fileformat.html

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "notes.sqlite").write_text("hello")
    5
    >>> probe(folder / "notes.sqlite")
    Traceback (most recent call last):
    ...
    workshop_kit.errors.StoreError: '...notes.sqlite' is not a session store (not an SQLite file)
    """
    path = Path(path)
    tail = f"; {why}" if why else ""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise StoreError(f"cannot read {str(path)!r}: {exc.strerror}") from exc
    if header != SQLITE_HEADER:
        raise StoreError(f"{str(path)!r} is not a session store (not an SQLite file){tail}")
    try:
        if read_only:
            conn = sqlite3.connect(_read_only_uri(path), uri=True)
        else:
            conn = sqlite3.connect(path)
        try:
            meta = dict(conn.execute("SELECT key, value FROM meta").fetchall())
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise StoreError(
            f"{str(path)!r} is not a session store (no readable meta table: {exc}){tail}"
        ) from exc
    if "session_id" not in meta or "schema_version" not in meta:
        raise StoreError(
            f"{str(path)!r} is not a session store (its meta table has no session id){tail}"
        )
    return meta


def read_file_answers(path: Path | str) -> tuple[dict[str, str], list[tuple]]:
    """A session file's metadata and every answer row, read-only (the programme report).

    Parameters
    ----------
    path : Path or str
        A session file; it may be open elsewhere (nothing is written or locked).

    Returns
    -------
    meta : dict of str to str
        The ``meta`` table.
    rows : list of tuple
        ``(couple_code, partner, phase, instrument, item_id, value)`` per stored answer,
        oldest first (``ORDER BY id``), so the last one per key is the latest.

    Raises
    ------
    StoreError
        Not a session store (see :func:`probe`), a schema this kit does not read
        (outside ``1..SCHEMA_VERSION``), or the answers cannot be read.
    """
    path = Path(path)
    meta = probe(path)
    try:
        version = int(meta.get("schema_version", "0"))
    except ValueError as exc:
        raise StoreError(f"{str(path)!r} is not a readable session store ({exc})") from exc
    if not 1 <= version <= SCHEMA_VERSION:
        raise StoreError(
            f"{str(path)!r} is not a session store this kit reads (schema {version}; "
            f"this kit reads 1 to {SCHEMA_VERSION})"
        )
    rows = _query_file(
        path,
        "SELECT couple_code, partner, phase, instrument, item_id, value FROM answers ORDER BY id",
        "answers",
    )
    return meta, rows


def read_file_languages(path: Path | str) -> set[str]:
    """The languages a session file's check-in was shown in, read-only.

    Parameters
    ----------
    path : Path or str
        A session file; it may be open elsewhere (nothing is written or locked).

    Returns
    -------
    set of str
        The room's language (``meta`` ``language``, ``"en"`` when unset) and every
        language a partner chose (entries of kind ``language``).

    Raises
    ------
    StoreError
        Not a session store, or its entries cannot be read.
    """
    import json

    path = Path(path)
    meta = probe(path)
    languages = {meta.get("language", "en")}
    rows = _query_file(
        path,
        "SELECT DISTINCT value_json FROM entries WHERE kind = 'language'"
        " AND value_json IS NOT NULL",
        "entries",
    )
    languages.update(json.loads(value) for (value,) in rows)
    return languages


def count_file(path: Path | str) -> dict[str, object]:
    """What a session file holds, read-only: its title and how many couples and answers.

    Parameters
    ----------
    path : Path or str
        A session file (a backup copy, say); opened with ``mode=ro``, so it gains no
        ``-wal``/``-shm`` files.

    Returns
    -------
    dict
        ``{"title": str, "couples": int, "answers": int}`` (answer *rows*, every
        correction included).

    Raises
    ------
    StoreError
        Not a session store (see :func:`probe`).
    """
    path = Path(path)
    meta = probe(path)
    ((answers, couples),) = _query_file(
        path,
        "SELECT (SELECT COUNT(*) FROM answers), (SELECT COUNT(*) FROM couples)",
        "answers",
    )
    return {"title": meta.get("title", ""), "couples": int(couples), "answers": int(answers)}
