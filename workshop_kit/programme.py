"""A programme's sessions read together: pooled answers and the outcome report.

Reads many session files at once for outcome reporting: each file is opened read-only,
its answers fetched in one plain scan (no per-key query), and the latest answer per
participant, phase and item kept. Files are read in chunks, by two worker processes when
there are many, and the pooled table holds integer-coded (categorical) columns, so a
thousand 40-couple sessions (about five million answers) fit in a few hundred megabytes.
The report itself is :func:`workshop_kit.outcomes.outcome_report`.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np
import pandas as pd

from .content import CheckinContent, load_checkin
from .disclosure import effective_k
from .errors import InputError
from .outcomes import outcome_report
from .store import read_file_answers, read_file_languages

CHUNK = 20  # files per task: enough rows to amortise pandas, few enough to stay small
PARALLEL_FROM = 100  # fewer files read faster in one process than starting workers


def _read_chunk(paths: Sequence[str]) -> dict:
    """The latest answers of some session files, as integer codes and their values."""
    session_ids, ks, rows, session_of = [], [], [], []
    languages: set[str] = set()
    for index, name in enumerate(paths):
        meta, found = read_file_answers(Path(name))
        # the languages the check-in was shown in: the room's, and partners' own
        languages.update(read_file_languages(Path(name)))
        session_ids.append(meta["session_id"])
        ks.append(int(meta.get("k", 3)))
        rows.extend(found)
        session_of.append(np.full(len(found), index, np.int32))
    frame = pd.DataFrame(
        rows, columns=["couple_code", "partner", "phase", "instrument", "item_id", "value"]
    )
    out: dict = {
        "session_ids": session_ids,
        "k": max(ks, default=1),
        "languages": sorted(languages),
    }
    out["session"] = np.concatenate(session_of) if session_of else np.zeros(0, np.int32)
    for column in ("couple_code", "partner", "phase", "instrument", "item_id"):
        codes, uniques = pd.factorize(frame[column])
        out[column] = (codes.astype(np.int32), list(uniques))
    out["value"] = pd.to_numeric(frame["value"], errors="coerce").to_numpy(float)
    return out


def _recode(codes: np.ndarray, uniques: list, table: dict) -> np.ndarray:
    """Chunk-local codes -> codes in the pooled ``table`` (value -> code), extended."""
    mapping = np.array([table.setdefault(u, len(table)) for u in uniques] + [-1], np.int32)
    return mapping[codes]


def read_pooled_answers(paths: Sequence[Path | str], workers: int | None = None) -> pd.DataFrame:
    """The latest answers of every session file, pooled, with categorical columns.

    Parameters
    ----------
    paths : sequence of Path or str
        Session files (read-only; they may be open elsewhere), at least one.
    workers : int, optional
        Processes to read with; by default 1 below :data:`PARALLEL_FROM` files, else
        up to 2. Files are read :data:`CHUNK` at a time.

    Returns
    -------
    pandas.DataFrame
        ``session_id, couple_code, partner, phase, instrument, item_id, value``, shape
        ``(n_latest_answers, 7)``: the ``answers`` table of a data export for all the
        sessions, the latest answer per person, phase and item. ``attrs["k"]`` is the
        largest k any session used; ``attrs["languages"]`` the languages they ran in.

    Raises
    ------
    StoreError
        Naming a file that is not a session store (see :func:`workshop_kit.store.probe`)
        or one whose answers cannot be read.
    InputError
        No file given, or one session given twice.

    Notes
    -----
    "Latest" is the last row per (session, couple, partner, phase, instrument, item) in
    commit order: rows are never changed, a correction is a new row.

    Examples
    --------
    >>> import tempfile
    >>> from workshop_kit.session import Session
    >>> s = Session.create(Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
    >>> code = s.couple_codes()[0]
    >>> s.record_answer(code, "A", "before", "checkin", "qt1", 2)
    >>> s.record_answer(code, "A", "before", "checkin", "qt1", 4)
    >>> read_pooled_answers([s.path])["value"].tolist()
    [4.0]
    """
    names = [str(Path(p)) for p in paths]
    if not names:
        raise InputError("give at least one session file")
    chunks = [names[i : i + CHUNK] for i in range(0, len(names), CHUNK)]
    if workers is None:
        workers = min(2, os.cpu_count() or 1) if len(names) >= PARALLEL_FROM else 1
    if workers > 1 and len(chunks) > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(_read_chunk, chunks))
    else:
        parts = [_read_chunk(chunk) for chunk in chunks]

    seen: dict[str, str] = {}
    tables: dict[str, dict] = {
        c: {} for c in ("couple_code", "partner", "phase", "instrument", "item_id")
    }
    columns: dict[str, list[np.ndarray]] = {c: [] for c in (*tables, "session_id", "value")}
    for chunk, part in zip(chunks, parts):
        for name, session_id in zip(chunk, part["session_ids"]):
            if session_id in seen:
                raise InputError(
                    f"session {session_id} is given twice ({seen[session_id]} and {name}); "
                    "give each session file once"
                )
            seen[session_id] = name
        offset = len(seen) - len(chunk)
        columns["session_id"].append(part["session"] + offset)
        for column, table in tables.items():
            columns[column].append(_recode(*part[column], table))
        columns["value"].append(part["value"])

    def joined(column: str) -> np.ndarray:
        return np.concatenate(columns[column])

    session = joined("session_id")
    codes = {c: joined(c) for c in tables}
    # Latest answer per participant, phase and item: rows are in commit order per file.
    key = pd.DataFrame({"session": session, **{c: codes[c] for c in tables}})
    latest = ~key.duplicated(keep="last").to_numpy()
    frame = pd.DataFrame(
        {
            "session_id": pd.Categorical.from_codes(session[latest], list(seen)),
            **{c: pd.Categorical.from_codes(codes[c][latest], list(tables[c])) for c in tables},
            "value": joined("value")[latest],
        }
    )
    frame.attrs["k"] = max(part["k"] for part in parts)
    frame.attrs["languages"] = sorted({lang for part in parts for lang in part["languages"]})
    return frame


def programme_report(
    paths: Sequence[Path | str],
    k: int | None = None,
    content: CheckinContent | None = None,
    workers: int | None = None,
) -> pd.DataFrame:
    r"""The before/after outcome report of many session files (see :mod:`outcomes`).

    Parameters
    ----------
    paths : sequence of Path or str
        Session files, as for :func:`read_pooled_answers`.
    k : int, optional
        The threshold. Defaults to the largest k of the sessions, so no group a session
        hid from its room shows in the programme's report; a smaller ``k`` is refused
        (:func:`workshop_kit.disclosure.effective_k`).
    content : CheckinContent, optional
        The check-in content (scales, subscales); the kit's own when None.
    workers : int, optional
        As for :func:`read_pooled_answers`.

    Returns
    -------
    pandas.DataFrame
        :func:`workshop_kit.outcomes.outcome_report` over the pooled answers;
        ``attrs["not_validated_languages"]`` lists the languages other than English the
        sessions ran in (their wording is the kit's own translation, not validated).

    Raises
    ------
    StoreError
        A file is not a session store.
    InputError
        No file, a session given twice, or ``k`` below a session's own.

    Notes
    -----
    The effect sizes, intervals and suppression are those of
    :func:`workshop_kit.outcomes.outcome_report`, with :math:`k_{\text{report}} =
    \max(k_{\text{asked}}, \max_s k_s)`.
    """
    answers = read_pooled_answers(paths, workers=workers)
    k = effective_k([answers.attrs["k"]], k)
    report = outcome_report(answers, content or load_checkin(), k=k)
    # translated check-in wording is the kit's own, not validated in that language
    report.attrs["not_validated_languages"] = [
        lang for lang in answers.attrs["languages"] if lang != "en"
    ]
    return report
