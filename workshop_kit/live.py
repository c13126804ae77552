"""The room's check-in figures kept up to date from the answers that arrive, for live views.

The answers table only grows: a changed answer is a new row, and the latest row for a
key wins. :class:`LiveRoom` reads every row once, keeps the latest check-in answer per
key and the people who have answered each phase, and afterwards reads only the rows
newer than the last id it has seen (:meth:`Session.answers_since`). Its figures are
those of :func:`workshop_kit.results.checkins_received` and
:func:`workshop_kit.results.session_theme_means`, which read the whole table each time.

Pure logic (pandas only): no matplotlib, no ipywidgets.
"""

from __future__ import annotations

import math

import pandas as pd

from . import results, scoring, tally
from .disclosure import ReleaseLedger
from .session import PHASES, Session

CHECKIN = "checkin"
ANSWER_KEY = ["couple_code", "partner", "phase", "instrument", "item_id"]


class LiveRoom:
    """Check-ins received and the room's theme means, following a session's new answers.

    Call :meth:`update` to take in what was written since (by this or any other
    connection or process); the figures then describe the store as of that call.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=3, seed=1)
    >>> room = LiveRoom(s)
    >>> for code in s.couple_codes():
    ...     s.record_answer(code, "A", "before", "checkin", "qt1", 4)
    >>> room.update(), room.update()      # three new rows, then nothing new
    (True, False)
    >>> room.received()["received"].tolist()
    [3, 0]
    >>> s.record_answer(s.couple_codes()[0], "A", "before", "checkin", "qt1", 1)
    >>> room.update(), round(float(room.theme_means().iloc[0]["mean"]), 2)  # latest wins
    (True, 3.0)
    """

    def __init__(self, session: Session):
        self.session = session
        self.last_id = 0
        self.latest = pd.DataFrame(columns=[*ANSWER_KEY, "value"]).astype({"value": float})
        self.answered: dict[str, set[tuple[str, str]]] = {phase: set() for phase in PHASES}
        self._means: pd.DataFrame | None = None
        self._scores: pd.DataFrame | None = None

    def update(self) -> bool:
        """Read the answers written since the last update; True when there were any."""
        new = self.session.answers_since(self.last_id)
        if new.empty:
            return False
        checkin = new.loc[new["instrument"] == CHECKIN, [*ANSWER_KEY, "value"]]
        if not checkin.empty:
            # New rows come after the old ones and in id order, so "last" is the latest.
            merged = pd.concat([self.latest, checkin], ignore_index=True)
            latest = merged.drop_duplicates(ANSWER_KEY, keep="last", ignore_index=True)
        else:
            latest = self.latest
        given = new[new["value"].notna()]
        # Nothing is kept until everything is computed: a failure leaves the rows unread.
        for phase, code, partner in zip(given["phase"], given["couple_code"], given["partner"]):
            self.answered.setdefault(phase, set()).add((code, partner))
        if latest is not self.latest:
            self.latest, self._means, self._scores = latest, None, None
        self.last_id = int(new["id"].iloc[-1])
        return True

    def received(self) -> pd.DataFrame:
        """How many participants have given at least one answer, per phase.

        The same frame as :func:`workshop_kit.results.checkins_received`; the number of
        couples is read from the store each time (couples join without answering).
        """
        couples = len(self.session.couple_codes())
        return pd.DataFrame(
            [(phase, len(self.answered.get(phase, ())), 2 * couples) for phase in PHASES],
            columns=["phase", "received", "participants"],
        )

    def theme_means(self) -> pd.DataFrame:
        """Room mean per theme and phase, k-suppressed, as of the last :meth:`update`.

        The same frame as :func:`workshop_kit.results.session_theme_means`.
        """
        if self._means is None:
            self._means = tally.room_means(
                self.theme_scores(),
                ["subscale", "phase"],
                "score",
                self.session.k,
                cluster="couple_code",
                bounds=results.THEME_BOUNDS,
            )
        return self._means.copy()

    def theme_scores(self) -> pd.DataFrame:
        """Every participant's theme scores as of the last :meth:`update` (individual)."""
        if self._scores is None:
            self._scores = scoring.subscale_scores(
                self.latest, self.session.content.instrument(CHECKIN)
            )
        return self._scores

    def released_theme_means(self, ledger: ReleaseLedger) -> tuple[pd.DataFrame, int]:
        """The theme means the room may see now, and how many more people the next move needs.

        See :func:`release_theme_means`.
        """
        return release_theme_means(self.theme_scores(), self.theme_means(), ledger)


def release_theme_means(
    scores: pd.DataFrame, means: pd.DataFrame, ledger: ReleaseLedger
) -> tuple[pd.DataFrame, int]:
    """Room theme means released in batches of at least ``k`` people (differencing rule).

    Parameters
    ----------
    scores
        Individual theme scores (:func:`workshop_kit.scoring.subscale_scores`).
    means
        Their room means (:func:`workshop_kit.tally.room_means` by subscale and phase).
    ledger
        What was published before (:class:`workshop_kit.disclosure.ReleaseLedger`); it
        records what this call releases.

    Returns
    -------
    (pandas.DataFrame, int)
        ``means`` with each theme and phase at its last released state (``n`` and
        ``mean`` as released; ``sd`` and the interval blank, the live view shows no
        spread; ``suppressed`` while nothing was released), and the fewest more people
        after whom some theme now held back will move (0 when every theme is up to date).

    Notes
    -----
    A theme's mean moves only when at least ``k`` people joined, left or changed their
    score since *every* state shown before, so no two pictures differ by fewer than ``k``
    people (Hundepool et al. 2012, ch. 4 on differencing).
    """
    given = scores.dropna(subset=["score"])
    people = {
        key: dict(zip(group["couple_code"] + "/" + group["partner"], group["score"]))
        for key, group in given.groupby(["subscale", "phase"], sort=False)
    }
    out = means.copy()
    for column in ("sd", "ci_low", "ci_high"):
        if column in out.columns:
            out[column] = math.nan
    waiting, n, mean, suppressed = [], [], [], []
    for row in means.itertuples(index=False):
        contributions = people.get((row.subscale, row.phase), {})
        figures = None if row.suppressed else {"n": int(row.n), "mean": float(row.mean)}
        released = ledger.offer(f"checkin/{row.subscale}/{row.phase}", contributions, figures)
        if released.waiting_for:
            waiting.append(released.waiting_for)
        shown = released.figures
        n.append(row.n if shown is None else shown["n"])
        mean.append(math.nan if shown is None else shown["mean"])
        suppressed.append(shown is None)
    if len(means):
        out["n"], out["mean"], out["suppressed"] = n, mean, suppressed
    return out, min(waiting, default=0)
