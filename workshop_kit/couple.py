"""What one couple may see of their check-in: consent decides what is individual.

Pure logic over :class:`~workshop_kit.results.CheckinResults` tables. A partner's
individual scores are shown only when BOTH partners agreed: with one consent alone the
couple mean would give the other partner's score away (b = 2·mean − a). A couple-level
value resting on one partner's answers alone is that partner's individual score, so it
is shown only with that partner's consent.
"""

from __future__ import annotations

import pandas as pd

from .scoring import couple_view


def show_individual(consent_a: bool, consent_b: bool) -> bool:
    """Whether the pack may show each partner's own scores.

    >>> show_individual(True, True), show_individual(True, False)
    (True, False)
    """
    return bool(consent_a and consent_b)


def couple_scores(
    scores: pd.DataFrame, couple_code: str, consent_a: bool, consent_b: bool
) -> pd.DataFrame:
    """One couple's scores per phase and subscale, with what each reader may see.

    Returns ``phase, subscale, partner_a, partner_b, couple_mean, n_partners`` where
    ``partner_a``/``partner_b`` are NaN unless both consented, and ``couple_mean`` is NaN
    when only one partner answered and that partner did not consent.

    >>> scores = pd.DataFrame({"couple_code": "X1", "partner": ["A", "B", "A"],
    ...     "phase": ["before", "before", "after"], "subscale": "trust",
    ...     "score": [4.0, 3.0, 5.0]})
    >>> table = couple_scores(scores, "X1", consent_a=False, consent_b=True)
    >>> for row in table[["phase", "couple_mean", "n_partners"]].to_dict("records"):
    ...     print(row)
    {'phase': 'after', 'couple_mean': nan, 'n_partners': 1}
    {'phase': 'before', 'couple_mean': 3.5, 'n_partners': 2}
    """
    mine = scores[scores["couple_code"] == couple_code]
    if "subscale" not in mine.columns:
        mine = mine.assign(subscale="score")
    columns = ["phase", "subscale", "partner_a", "partner_b", "couple_mean", "n_partners"]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    view = couple_view(mine)
    view["n_partners"] = view[["partner_a", "partner_b"]].notna().sum(axis=1)
    lone_a = view["partner_b"].isna() & view["partner_a"].notna()
    lone_b = view["partner_a"].isna() & view["partner_b"].notna()
    hide = (lone_a & (not consent_a)) | (lone_b & (not consent_b))
    view.loc[hide, "couple_mean"] = float("nan")
    if not show_individual(consent_a, consent_b):
        view["partner_a"] = float("nan")
        view["partner_b"] = float("nan")
    return view[columns].reset_index(drop=True)
