"""The live room dashboard for the projector, and a separate facilitator-only panel.

The room view shows how many check-ins have arrived and the room's theme averages,
k-suppressed, and redraws itself when the store changes: answers typed on the laptop in
another notebook, paper forms, imports. It polls the store's newest answer and entry ids
twice a second from an asyncio task, so the kernel is never blocked waiting; a poll that
finds nothing new costs three one-row queries. When answers arrived it reads only those
(:class:`workshop_kit.live.LiveRoom`) and moves the chart's bars and figures.

The follow-up panel names individual participants. It is hidden by default, built only
while shown (so nothing individual sits in the page while it is hidden), and framed as
"Facilitator only — not for the projector".
"""

from __future__ import annotations

import asyncio
import html
import logging
from datetime import datetime

import ipywidgets as w
from matplotlib.figure import Figure

from ..charts.live import LiveRoomChart, dashboard_figure
from ..disclosure import load_ledger, publishing, save_ledger
from ..live import LiveRoom, release_theme_means
from ..published import CHECKIN_LEDGER
from ..results import checkins_received, follow_up_list
from ..scoring import subscale_scores
from ..session import Session
from . import common

log = logging.getLogger(__name__)
POLL_SECONDS = 0.5
LEDGER_VIEW = CHECKIN_LEDGER  # one ledger with the reports, kept in the session file
PRIVATE_TITLE = "Facilitator only — not for the projector"


def store_version(session: Session) -> tuple:
    """Changes whenever an answer, an entry or a couple is added to the store."""
    return session.version()


def room_dashboard_figure(session: Session) -> Figure:
    """Check-ins received and the room's theme averages, projector style, k-suppressed.

    The averages are those the dashboard may show now: released in batches of at least
    ``k`` people (:func:`workshop_kit.live.release_theme_means`), from the same ledger the
    live dashboard keeps in the session file.
    """
    from ..tally import room_means

    answers = session.answers(instrument="checkin")
    scores = subscale_scores(answers, session.content.instrument("checkin"))
    means = room_means(scores, ["subscale", "phase"], "score", session.k)
    with publishing(session.store):
        ledger = load_ledger(session.store, LEDGER_VIEW, session.k)
        released, _waiting = release_theme_means(scores, means, ledger)
        save_ledger(session.store, LEDGER_VIEW, ledger)
    return dashboard_figure(checkins_received(session), released, theme_names(session), session.k)


def waiting_text(waiting: int, k: int) -> str:
    """The status line's word on the batches: "next update after 2 more people".

    >>> waiting_text(2, 3)
    'Averages move in steps of 3 people: next update after 2 more people.'
    >>> waiting_text(1, 3)
    'Averages move in steps of 3 people: next update after 1 more person.'
    >>> waiting_text(0, 3)
    'Averages move in steps of 3 people: up to date.'
    """
    head = f"Averages move in steps of {k} people"
    if waiting <= 0:
        return f"{head}: up to date."
    return f"{head}: next update after {waiting} more {'person' if waiting == 1 else 'people'}."


def theme_names(session: Session) -> dict[str, str]:
    """Theme id -> name, in the check-in's order."""
    return {sub.id: sub.name for sub in session.content.instrument("checkin").subscales}


class RoomDashboard:
    """Projector view of the room that follows the store, plus a hidden private panel.

    Call :meth:`start` in a notebook to poll the store every ``poll_seconds``; tests call
    :meth:`refresh` directly.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=3, seed=1)
    >>> board = RoomDashboard(s)
    >>> board.refresh()        # nothing changed since it was built
    False
    >>> s.record_answer(s.couple_codes()[0], "A", "before", "checkin", "qt1", 4)
    >>> board.refresh(), board.received["received"].tolist()
    (True, [1, 0])
    """

    def __init__(self, session: Session, poll_seconds: float = POLL_SECONDS):
        self.session = session
        self.poll_seconds = poll_seconds
        self.version: tuple | None = None
        self.live = LiveRoom(session)
        self.chart_stale = True  # answers or couples came in since the chart was drawn
        self.failing = False  # the status line shows a failed refresh
        self.task: asyncio.Task | None = None
        self.errors = 0
        self.painter = LiveRoomChart(theme_names(session), session.k)
        self.private_key: tuple | None = None  # what the private panel was computed from
        self.ledger = load_ledger(session.store, LEDGER_VIEW, session.k)
        self.waiting = 0  # more people before a held-back theme average moves

        self.chart = w.Image(format="png", layout=w.Layout(width="100%", max_width="1280px"))
        self.status = common.text("", "wk-progress")
        self.room = w.VBox(
            [
                common.text(f"{session.title}: the room right now", "wk-title"),
                self.chart,
                self.status,
            ]
        )

        self.private_toggle = w.ToggleButton(
            value=False,
            description="Show the facilitator-only panel",
            tooltip="Lists people by couple code: never show it on the projector",
            icon="eye-slash",
            layout=w.Layout(min_height="52px", width="auto"),
        )
        common.on_change(self.private_toggle, lambda _c: self._toggle_private(), self, "status")
        self.private_body = w.HTML("")
        self.private = w.VBox(
            [common.text(PRIVATE_TITLE, "wk-error"), self.private_body],
            layout=w.Layout(display="none"),
        )
        self.private.add_class("wk-private")
        self.view = common.root([self.room, self.private_toggle, self.private])
        self.refresh(force=True)

    # -- refreshing -------------------------------------------------------------------
    def refresh(self, force: bool = False) -> bool:
        """Bring the view up to date when the store changed since the last refresh.

        The chart is redrawn when answers or couples were added (or when ``force``); an
        entry (a note, a word, a flag) changes only the private panel, when it is shown.
        Returns True when the store had changed (or ``force``).
        """
        version = store_version(self.session)
        if version == self.version and not force:
            return False
        if self.live.update() or self.version is None or version[2] != self.version[2]:
            # Stays set until a drawing succeeds: a failed one is retried at the next poll.
            self.chart_stale = True
        if force or self.chart_stale:
            self.received = self.live.received()
            self.painter.k = self.session.k
            # read again each time: a report (results page, summary) may have shown more.
            # Read, decide and record under one lock (another kernel may be publishing);
            # drawn after, so clicks elsewhere never wait for a drawing. A drawing that
            # fails leaves a state recorded but not shown: never less safe.
            with publishing(self.session.store):
                self.ledger = load_ledger(self.session.store, LEDGER_VIEW, self.session.k)
                means, self.waiting = self.live.released_theme_means(self.ledger)
                save_ledger(self.session.store, LEDGER_VIEW, self.ledger)
            self.chart.value = self.painter.png(self.received, means)
            self.chart_stale = False
            self._show_updated()
        self.version = version
        if self.private_toggle.value:
            self._fill_private()
        return True

    def _show_updated(self) -> None:
        common.set_text(
            self.status,
            f"Updated {datetime.now().strftime('%H:%M:%S')}. Groups under "
            f"{self.session.k} people are never shown. "
            + waiting_text(self.waiting, self.session.k),
            "wk-progress",
        )
        self.failing = False

    async def _poll(self) -> None:
        while True:
            await asyncio.sleep(self.poll_seconds)
            self.poll_once()

    def poll_once(self) -> None:
        """One poll: refresh, and say so on the status line when it fails (then recovers)."""
        try:
            self.refresh()
        except Exception as exc:  # keep polling: a busy store or a bad moment must pass
            self.errors += 1
            self.failing = True
            log.warning("dashboard refresh failed: %s", exc)
            common.set_text(
                self.status, f"Could not refresh just now ({exc}); retrying.", "wk-error"
            )
            return
        if self.failing:  # the store may not have changed since: clear the old error
            self._show_updated()

    def start(self) -> asyncio.Task:
        """Poll the store in the background of the running event loop (the kernel's)."""
        if self.task is None or self.task.done():
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = asyncio.get_event_loop()
            self.task = loop.create_task(self._poll())
        return self.task

    def stop(self) -> None:
        """Stop polling."""
        if self.task is not None:
            self.task.cancel()
        self.task = None

    # -- the private panel -----------------------------------------------------------
    def _toggle_private(self) -> None:
        shown = self.private_toggle.value
        self.private.layout.display = "flex" if shown else "none"
        self.private_toggle.description = (
            "Hide the facilitator-only panel" if shown else "Show the facilitator-only panel"
        )
        self.private_toggle.icon = "eye" if shown else "eye-slash"
        if shown:
            self._fill_private(force=True)
        else:
            self.private_body.value = ""  # nothing individual stays in the page
            self.private_key = None

    def _private_inputs(self) -> tuple:
        """What the follow-up list is computed from: the answers and the yes/no flags."""
        return self.session.last_ids("flag")

    def _fill_private(self, force: bool = False) -> None:
        # Scoring every result takes a few hundred milliseconds: only when its inputs moved.
        key = self._private_inputs()
        if key == self.private_key and not force:
            return
        follow = follow_up_list(self.session)
        # the key is kept only once the panel is filled: a failed fill is tried again
        if follow.empty:
            self.private_body.value = (
                '<div class="wk-help">Nobody on the follow-up list right now.</div>'
            )
            self.private_key = key
            return
        rows = "".join(
            "<tr>"
            + "".join(f"<td style='padding: 4px 16px'>{html.escape(str(v))}</td>" for v in row)
            + "</tr>"
            for row in follow[["couple_code", "partner", "phase", "reason"]].itertuples(index=False)
        )
        head = "".join(
            f"<th style='text-align: left; padding: 4px 16px'>{h}</th>"
            for h in ("Couple", "Partner", "Check-in", "Why")
        )
        self.private_body.value = (
            '<div class="wk-help">A quiet word at the break, and the support page in their '
            "pack. This list is never shown to the room or to a partner.</div>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
        )
        self.private_key = key
