"""Room-level counts of the practice exercises, for the notebooks and ``workshop-kit summary``
(k-suppressed; no couple code, partner or free text).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from .. import tally
from ..session import Session
from .content import CALM_DOWN_KIND, RITUALS_KIND
from .listening import listening_totals
from .rituals import room_ritual_counts


def plans_made(session: Session, k: int | None = None) -> dict[str, int | None]:
    """How many couples made a rituals plan and how many partners a calm-down plan.

    A count under ``k`` is given as None (too few to show).
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


# -- summary ---------------------------------------------------------------------------
def summary_section(session: Session) -> dict[str, Any]:
    """Room aggregates for ``workshop-kit summary``: k-suppressed counts, no free text.

    Own rituals are counted under "own", never by their words; no couple code or
    partner appears.
    """
    counts = room_ritual_counts(session)
    return {
        "rituals_chosen": [
            {"ritual": row.ritual, "name": row.name, "couples": int(row.couples)}
            for row in counts.itertuples()
        ],
        **plans_made(session),
        "listening": listening_totals(session),
    }
