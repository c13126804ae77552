"""The session store: one SQLite file per workshop session, the single source of truth.

Answers and entries are append-only rows with a timestamp and a source; the latest row
for a key wins. Every write is its own committed transaction (or one transaction for a
whole import), so killing the process never loses an answer already given. WAL mode and
a busy timeout let two notebooks, the dashboard and the CLI share one file.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from .errors import StoreError

SCHEMA_VERSION = 1
BUSY_TIMEOUT_MS = 30_000
SOURCES = ("widget", "paper", "import", "demo")

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
]


def now() -> str:
    """The current UTC time as an ISO 8601 string with microseconds."""
    return datetime.now(UTC).isoformat(timespec="microseconds")


def _raw_connect(path: Path) -> sqlite3.Connection:
    """A connection that has not written anything yet (no journal-mode switch)."""
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None)
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


class Store:
    """A connection to one session file.

    Use :meth:`create` for a new session and :meth:`open` for an existing one.
    """

    def __init__(self, path: Path, conn: sqlite3.Connection):
        self.path = path
        self.conn = conn

    # -- opening ------------------------------------------------------------------
    @classmethod
    def create(cls, path: Path | str, meta: dict[str, str]) -> Store:
        """Create a new, empty session file (mode 0600) and write its metadata."""
        path = Path(path)
        if not path.parent.is_dir():
            raise StoreError(
                f"cannot create the session store {str(path)!r}: the folder "
                f"{str(path.parent)!r} does not exist; create it first or choose another path"
            )
        if path.exists():
            raise StoreError(f"a session store already exists at {str(path)!r}; open it instead")
        old_umask = os.umask(0o077)
        try:
            conn = _connect(path)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot create the session store {str(path)!r}: {exc}") from exc
        finally:
            os.umask(old_umask)
        store = cls(path, conn)
        with store.transaction():
            for statement in _statements(MIGRATIONS[0]):
                conn.execute(statement)
            conn.execute("INSERT INTO meta VALUES ('schema_version', '1')")
            for key, value in meta.items():
                conn.execute("INSERT INTO meta VALUES (?, ?)", (key, str(value)))
        store._migrate()
        _owner_only(path)
        return store

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
            _configure(conn)
        except BaseException:
            conn.close()
            raise
        store = cls(path, conn)
        store._migrate()
        _owner_only(path)
        return store

    def close(self) -> None:
        self.conn.close()

    def schema_version(self) -> int:
        row = self.conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            raise StoreError(f"{str(self.path)!r} is not a session store (no schema version)")
        return int(row[0])

    def _migrate(self) -> None:
        version = self.schema_version()
        while version < len(MIGRATIONS):
            with self.transaction():
                for statement in _statements(MIGRATIONS[version]):
                    self.conn.execute(statement)
                version += 1
                self.conn.execute(
                    "UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(version),)
                )

    # -- writing ------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One committed transaction: all of it lands, or none of it (BEGIN IMMEDIATE)."""
        self.conn.execute("BEGIN IMMEDIATE")
        try:
            yield self.conn
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            self.conn.execute("COMMIT")

    def checkpoint(self) -> bool:
        """Copy the write-ahead log into the file and empty it, when no reader holds it.

        Old versions of changed pages live in the ``-wal`` file until a checkpoint; after
        an erase this removes them. Returns False when another connection kept it busy
        (SQLite then checkpoints later on its own).
        """
        busy, _, _ = self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        return busy == 0

    # -- metadata -----------------------------------------------------------------
    def meta(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT key, value FROM meta").fetchall())

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction():
            self.conn.execute(
                "INSERT INTO meta VALUES (?, ?)"
                " ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, value),
            )


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
