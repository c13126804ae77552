"""Room-level counts of the practice exercises, for the notebooks and ``workshop-kit summary``
(k-suppressed; no couple code, partner or free text).
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd

from .. import tally
from ..disclosure import release_view
from ..session import Session
from .content import CALM_DOWN_KIND, RITUALS_KIND
from .listening import listening_totals
from .rituals import room_ritual_counts


def plans_made(session: Session, k: int | None = None) -> dict[str, int | None]:
    """How many couples made a rituals plan and how many partners a calm-down plan.

    Parameters
    ----------
    session : Session
        The session to read.
    k : int, optional
        The threshold; the session's own when None.

    Returns
    -------
    dict
        ``{"rituals_plans": n, "calm_down_plans": n}``; a count under ``k`` is None (too
        few to show).

    Raises
    ------
    InputError
        ``k`` is not a whole number of at least 1.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
    >>> plans_made(s, k=1)
    {'rituals_plans': None, 'calm_down_plans': None}
    """
    k = session.k if k is None else k
    counts = pd.DataFrame(
        {
            "what": ["rituals_plans", "calm_down_plans"],
            "n": [len(session.entries(RITUALS_KIND)), len(session.entries(CALM_DOWN_KIND))],
        }
    )
    shown = tally.suppress_counts(counts, k)
    return {row.what: None if row.suppressed else int(row.n) for row in shown.itertuples()}


EXERCISES_VIEW = "room_exercises"


def published_room_plans(session: Session) -> tuple[pd.DataFrame, dict[str, int | None], int]:
    """Rituals chosen and plans made, as the room may see them now.

    :func:`room_ritual_counts` and :func:`plans_made`, released in batches
    (:func:`workshop_kit.disclosure.release_view`): they move only once at least ``k``
    couples or partners made, changed or withdrew a plan since every state shown before,
    so two successive counts never show which rituals one couple chose.

    Parameters
    ----------
    session : Session
        The session to read (its release ledger is updated).

    Returns
    -------
    rituals : pandas.DataFrame
        ``ritual, name, couples`` as last released (empty before the first release).
    plans : dict
        As :func:`plans_made`, as last released (values None before the first).
    waiting : int
        How many more people must make, change or withdraw a plan before the next update.

    References
    ----------
    Hundepool, A. et al. (2012). *Statistical Disclosure Control*. Wiley, ch. 4.6 and 5
    (disclosure by differencing: why successive counts move in batches of k).
    """
    counts = room_ritual_counts(session)
    made = plans_made(session)
    contributions = {
        f"{e.couple_code}/{e.partner}/{e.kind}": json.dumps(e.value, sort_keys=True, default=str)
        for kind in (RITUALS_KIND, CALM_DOWN_KIND)
        for e in session.entries(kind)
    }
    figures = {
        "rituals": [
            {"ritual": str(r.ritual), "name": str(r.name), "couples": int(r.couples)}
            for r in counts.itertuples()
        ],
        "plans": made,
    }
    shown, waiting = release_view(session.store, EXERCISES_VIEW, session.k, contributions, figures)
    if shown is None:
        none = {key: None for key in made}
        return counts.iloc[0:0], none, waiting
    return pd.DataFrame(shown["rituals"], columns=counts.columns), shown["plans"], waiting


# -- summary ---------------------------------------------------------------------------
def summary_section(session: Session) -> dict[str, Any]:
    """Room aggregates for ``workshop-kit summary``: k-suppressed counts, no free text.

    Own rituals are counted under "own", never by their words; no couple code or
    partner appears.

    Parameters
    ----------
    session : Session
        The session to read.

    Returns
    -------
    dict
        ``rituals_chosen`` (list of ``{ritual, name, couples}``), ``rituals_plans``,
        ``calm_down_plans`` (None under k), ``next_update_after`` and ``listening``
        (see :func:`workshop_kit.exercises.listening.listening_totals`).
    """
    counts, made, waiting = published_room_plans(session)
    return {
        "rituals_chosen": [
            {"ritual": row.ritual, "name": row.name, "couples": int(row.couples)}
            for row in counts.itertuples()
        ],
        **made,
        "next_update_after": waiting,
        "listening": listening_totals(session),
    }
