"""What one couple may see of their check-in: consent covers everything derived from a partner.

Pure logic over :class:`~workshop_kit.results.CheckinResults` tables. A figure is shown
only when every partner whose answers it is computed from agreed to share them:

- each partner's own scores appear only when BOTH partners agreed (the pack is read by
  both of them, and the kit's consent question asks for both);
- a couple figure (a mean of the two partners, and anything else computed from both)
  appears only when both agreed: with one consent alone the mean would give the other
  partner's score away (b = 2 x mean - a, for a partner who knows their own answers);
- a couple figure resting on one partner's answers alone (the other did not answer that
  phase) is that partner's own score, shown only with that partner's consent.

What the couple shares by design (the values comparison, shared notes, plans) is not a
score and is not gated here; :mod:`workshop_kit.pack_data` puts a pack together.
"""

from __future__ import annotations

import pandas as pd

from .scoring import couple_view


def show_individual(consent_a: bool, consent_b: bool) -> bool:
    r"""Whether the pack may show each partner's own scores.

    Parameters
    ----------
    consent_a, consent_b : bool
        Each partner's answer to the consent question (False when not answered).

    Returns
    -------
    bool
        True only when both agreed: the pack is read by both partners.

    Notes
    -----
    :math:`\text{show} = c_A \wedge c_B`.

    Examples
    --------
    >>> show_individual(True, True), show_individual(True, False)
    (True, False)
    """
    return bool(consent_a and consent_b)


def couple_scores(
    scores: pd.DataFrame, couple_code: str, consent_a: bool, consent_b: bool
) -> pd.DataFrame:
    r"""One couple's scores per phase and subscale, with what each reader may see.

    Parameters
    ----------
    scores : pandas.DataFrame
        Per-person scores, shape ``(n_rows, ...)``: ``couple_code``, ``partner``
        (``"A"``/``"B"``), ``phase``, ``score`` in the scale's units and optionally
        ``subscale`` (``"score"`` when absent). Other couples' rows are ignored.
    couple_code : str
        The couple whose pack this is.
    consent_a, consent_b : bool
        Each partner's consent to share their answers.

    Returns
    -------
    pandas.DataFrame
        ``phase, subscale, partner_a, partner_b, couple_mean, n_partners``, one row per
        phase and subscale (empty with these columns when the couple has no score).
        ``partner_a``/``partner_b`` are NaN unless both consented; ``couple_mean`` is
        NaN unless every partner who answered that phase consented.

    Notes
    -----
    ``couple_mean`` is :math:`(a + b)/2`, or the one score given; it is hidden when it
    rests on a partner without consent, since :math:`b = 2\bar m - a` would give that
    partner's score away to the other.

    Examples
    --------
    >>> scores = pd.DataFrame({"couple_code": "X1", "partner": ["A", "B", "A"],
    ...     "phase": ["before", "before", "after"], "subscale": "trust",
    ...     "score": [4.0, 3.0, 5.0]})
    >>> table = couple_scores(scores, "X1", consent_a=True, consent_b=False)
    >>> for row in table[["phase", "couple_mean", "n_partners"]].to_dict("records"):
    ...     print(row)
    {'phase': 'after', 'couple_mean': 5.0, 'n_partners': 1}
    {'phase': 'before', 'couple_mean': nan, 'n_partners': 2}
    """
    mine = scores[scores["couple_code"] == couple_code]
    if "subscale" not in mine.columns:
        mine = mine.assign(subscale="score")
    columns = ["phase", "subscale", "partner_a", "partner_b", "couple_mean", "n_partners"]
    if mine.empty:
        return pd.DataFrame(columns=columns)
    view = couple_view(mine)
    view["n_partners"] = view[["partner_a", "partner_b"]].notna().sum(axis=1)
    # a figure is hidden when any partner it rests on did not consent
    hide = (view["partner_a"].notna() & (not consent_a)) | (
        view["partner_b"].notna() & (not consent_b)
    )
    view.loc[hide, "couple_mean"] = float("nan")
    if not show_individual(consent_a, consent_b):
        view["partner_a"] = float("nan")
        view["partner_b"] = float("nan")
    return view[columns].reset_index(drop=True)
