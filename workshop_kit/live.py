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

import pandas as pd

from . import scoring, tally
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
            self.latest, self._means = latest, None
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
            theme = scoring.subscale_scores(self.latest, self.session.content.instrument(CHECKIN))
            self._means = tally.room_means(theme, ["subscale", "phase"], "score", self.session.k)
        return self._means.copy()
