"""What was imported into a session so far, as aggregates for ``summary --json``.

Pure logic: no matplotlib, no ipywidgets.
"""

from __future__ import annotations

from typing import Any

from ..session import Session
from ..tally import suppress_counts


def imports_summary(session: Session) -> dict[str, Any]:
    """Files imported, and people imported per check-in (counts under k are blanked).

    Parameters
    ----------
    session : Session
        The session.

    Returns
    -------
    dict
        ``files`` (files with at least one row imported, or imported by an older kit),
        ``rows`` (rows imported, each once) and ``people`` (one record per check-in:
        ``phase``, ``n`` people, ``suppressed``; ``n`` is None under the session's k).
        Never a couple code or a partner.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
    >>> imports_summary(s)
    {'files': 0, 'rows': 0, 'people': []}
    """
    files, rows, people = session.import_counts()
    counted = suppress_counts(people, session.k)
    return {
        "files": int(files),
        "rows": int(rows),
        "people": [
            {
                "phase": r.phase,
                "n": None if r.suppressed else int(r.n),
                "suppressed": bool(r.suppressed),
            }
            for r in counted.itertuples()
        ],
    }
