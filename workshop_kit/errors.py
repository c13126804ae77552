"""The project's exception tree: every error the kit raises on purpose is a WorkshopKitError."""

from __future__ import annotations


class WorkshopKitError(Exception):
    """Root of every error the kit raises on purpose."""


class ContentError(WorkshopKitError):
    """A content file (YAML) is malformed: names the file, the entry and the field."""


class StoreError(WorkshopKitError):
    """A session store cannot be created, opened or written."""


class StoreBusy(StoreError):
    """The session file stayed locked by another program for longer than the kit waits."""


class StoreFull(StoreError):
    """The disk (or the file's size limit) is full: nothing more can be written."""


class StoreReadOnly(StoreError):
    """The session file may be read but not changed here (a read-only folder or stick)."""


class StoreGone(StoreError):
    """The session file was deleted, moved or replaced while it was open."""


class InputError(WorkshopKitError, ValueError):
    """An answer, code or argument given to the kit is not allowed."""


class ImportRejected(InputError):
    """An import file was refused as a whole; nothing was written."""


def one_of(name: str, value: object, allowed) -> InputError:
    """Build the standard message for a value outside an allowed set.

    >>> str(one_of("phase", "during", ["before", "after"]))
    "phase must be one of ['before', 'after']; not 'during'"
    """
    return InputError(f"{name} must be one of {list(allowed)}; not {value!r}")
