"""What one couple's take-home pack may contain: the one place that decides it.

:func:`couple_pack_data` gathers a couple's check-in figures with consent applied
(:func:`workshop_kit.couple.couple_scores`: a figure appears only when every partner it is
computed from agreed), the lowest themes for the next-steps page (from the shown figures
only) and a kind sentence for what was left out. The drawing code (matplotlib pages today,
Typst templates later) draws what it is given and decides nothing about consent.

What the couple shares by design (their values comparison, the notes a writer marked
shared, their plans) is not a score computed from a partner's check-in and is gathered by
its own page module.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from .content import Instrument
from .couple import couple_scores, show_individual
from .results import IOS_ID, CheckinResults, checkin_results
from .session import Session

WITHHELD_NOTE = (
    "Some of your check-in results are not in this pack. Showing them needs a yes from "
    "both of you, and one of you chose to keep their answers private. That is completely "
    "fine: you can still talk about the questions together."
)


@dataclass(frozen=True)
class CouplePackData:
    """One couple's check-in figures as the pack may show them.

    Every table is :func:`workshop_kit.couple.couple_scores` (``phase, subscale,
    partner_a, partner_b, couple_mean, n_partners``) with consent already applied: a NaN
    is a figure that must not be shown.
    """

    couple_code: str
    session_title: str
    session_date: str
    consent_a: bool
    consent_b: bool
    themes: pd.DataFrame
    theme_names: dict[str, str]
    ios: pd.DataFrame
    totals: list[tuple[Instrument, pd.DataFrame]] = field(default_factory=list)

    @property
    def show_individual(self) -> bool:
        """Whether each partner's own scores are shown (both agreed)."""
        return show_individual(self.consent_a, self.consent_b)

    def tables(self) -> list[pd.DataFrame]:
        return [self.themes, self.ios, *(table for _inst, table in self.totals)]

    @property
    def withheld(self) -> bool:
        """Whether any check-in figure was left out because a partner did not agree."""
        return any(_withheld(table) for table in self.tables())

    @property
    def withheld_note(self) -> str:
        """A kind sentence for the pack when something was left out; empty otherwise."""
        return WITHHELD_NOTE if self.withheld else ""

    def shown_values(self) -> list[float]:
        """Every check-in number the pack may show (for checks: nothing else is drawn)."""
        values: list[float] = []
        for table in self.tables():
            for column in ("partner_a", "partner_b", "couple_mean"):
                if column in table:
                    values.extend(float(v) for v in table[column].dropna())
        return values


def _withheld(table: pd.DataFrame) -> bool:
    if table.empty:
        return False
    answered = table["n_partners"] > 0
    return bool((answered & table["couple_mean"].isna()).any())


def couple_pack_data(
    session: Session, couple_code: str, results: CheckinResults | None = None
) -> CouplePackData:
    """Gather one couple's check-in figures for their pack, consent applied.

    Parameters
    ----------
    session
        The workshop session.
    couple_code
        The couple (checked).
    results
        :func:`workshop_kit.results.checkin_results` of the session, when already computed
        (building many packs computes it once).

    Returns
    -------
    CouplePackData
        Theme, circles and total tables in which every figure that rests on a partner who
        did not agree is NaN.

    Notes
    -----
    The rule (:mod:`workshop_kit.couple`): a figure is shown only when every partner whose
    answers it is computed from agreed; each partner's own scores only when both agreed.
    So when one partner refused, no couple mean, gap or partner figure that includes that
    partner's answers is in the pack, and ``2 x mean - own`` has no mean to start from.
    """
    code, _ = session.check_participant(couple_code, "A")
    results = results if results is not None else checkin_results(session)
    consent_a, consent_b = session.consents(code, "A"), session.consents(code, "B")
    checkin = session.content.instrument("checkin")
    return CouplePackData(
        couple_code=code,
        session_title=session.title,
        session_date=session.date,
        consent_a=consent_a,
        consent_b=consent_b,
        themes=couple_scores(results.theme_scores, code, consent_a, consent_b),
        theme_names={s.id: s.name for s in checkin.subscales},
        ios=couple_scores(results.scores_for(IOS_ID), code, consent_a, consent_b),
        totals=[
            (
                session.content.instrument(inst_id),
                couple_scores(results.scores_for(inst_id), code, consent_a, consent_b),
            )
            for inst_id in results.totals
        ],
    )
