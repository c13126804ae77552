"""A curious participant with linear algebra: random small rooms must give away nothing.

Hypothesis builds a room (3-8 couples, k = 3 or 4), lets people arrive one by one with
partial answers (some themes skipped, some items skipped, some answers changed later),
and after every arrival collects what the live dashboard publishes, through the same
pure functions the dashboard uses (:meth:`LiveRoom.released_theme_means` with the ledger
kept in the session file). At the end it adds what the reports publish (the theme means
and the change table of ``summary --json``).

Every published mean over ``n`` people is a linear equation: ``n · mean`` is the sum of
their scores. The unknowns are every person's score per theme and phase, one unknown
per version (a changed answer is a new unknown). For every participant ``q``, who knows
their own scores, and every other person ``p``, the test asks whether any combination of
``p``'s unknowns (a score, or the change of a score) is fixed by the published equations
plus ``q``'s own: that is, whether the row space of the published coefficients, with
``q``'s unit vectors added, meets the span of ``p``'s unit vectors. With ``N`` a basis of
the null space of that matrix, it does exactly when the rows of ``N`` at ``p``'s
unknowns have rank below their number.

The equations of one theme and phase involve only that theme and phase's unknowns, so the
test runs block by block. Spreads (SD, intervals) are nonlinear and not attacked here;
they are published only for ``2k`` people or more (tests in ``test_attacks.py``).

500 rooms take about 5 minutes of CPU; ``WORKSHOP_KIT_ADVERSARY_ROOMS=50`` runs fewer while
working on the code (the full 500 before a merge).
"""

from __future__ import annotations

import os

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from workshop_kit.disclosure import load_ledger, save_ledger
from workshop_kit.live import LiveRoom
from workshop_kit.published import publish_checkin
from workshop_kit.scoring import subscale_scores
from workshop_kit.session import Answer, Session
from workshop_kit.widgets.dashboard import LEDGER_VIEW

ROOMS = settings(
    max_examples=int(os.environ.get("WORKSHOP_KIT_ADVERSARY_ROOMS", 500)),
    deadline=None,
    derandomize=True,  # the same rooms every run
    phases=[Phase.explicit, Phase.generate],  # a failing room is reported as drawn
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


@st.composite
def rooms(draw):
    couples = draw(st.integers(3, 8))
    k = draw(st.sampled_from([3, 3, 4]))
    people = 2 * couples
    # one event: a person (by number) answers a phase; seed decides which themes and
    # items and the values. A person answering the same phase again changes answers.
    events = draw(
        st.lists(
            st.tuples(
                st.integers(0, people - 1),
                st.sampled_from(["before", "before", "after"]),
                st.integers(0, 2**31 - 1),
            ),
            min_size=3,
            max_size=3 * people,
        )
    )
    return couples, k, events


def block_leaks(rows: list[set], variables: dict[tuple, list[int]], size: int) -> list[tuple]:
    """Pairs (q, p) where q, knowing their own unknowns, fixes something of p's."""
    if not rows:
        return []
    matrix = np.zeros((len(rows), size))
    for i, row in enumerate(rows):
        matrix[i, sorted(row)] = 1.0
    leaks = []
    owners = list(variables)
    for q in [None, *owners]:
        known = variables.get(q, []) if q is not None else []
        system = matrix
        if known:
            unit = np.zeros((len(known), size))
            unit[np.arange(len(known)), known] = 1.0
            system = np.vstack([matrix, unit])
        _u, s, vt = np.linalg.svd(system)
        rank = int((s > 1e-9).sum())
        null = vt[rank:].T  # size x (size - rank): every x with system @ x = 0
        for p in owners:
            if p == q:
                continue
            mine = variables[p]
            block = null[mine]
            inner = np.linalg.matrix_rank(block, tol=1e-9) if block.size else 0
            if inner < len(mine):
                leaks.append((q, p))
    return leaks


class Unknowns:
    """Numbers the unknowns: (person, theme, phase, version) -> column, per block."""

    def __init__(self):
        self.version: dict[tuple, int] = {}
        self.value: dict[tuple, float] = {}
        self.columns: dict[tuple, dict[tuple, int]] = {}

    def current(self, person, theme, phase, score) -> int:
        key = (person, theme, phase)
        if key not in self.version or self.value[key] != score:
            self.version[key] = self.version.get(key, -1) + 1
            self.value[key] = score
        block = self.columns.setdefault((theme, phase), {})
        return block.setdefault((person, self.version[key]), len(block))

    def owners(self, theme, phase) -> dict:
        out: dict = {}
        for (person, _v), column in self.columns.get((theme, phase), {}).items():
            out.setdefault(person, []).append(column)
        return out


def scores_now(session, scores=None) -> dict:
    """(theme, phase) -> {person: score} of everyone with a score now."""
    if scores is None:
        answers = session.answers(instrument="checkin")
        scores = subscale_scores(answers, session.content.instrument("checkin"))
    scores = scores.dropna(subset=["score"])
    out: dict = {}
    for row in scores.itertuples():
        out.setdefault((row.subscale, row.phase), {})[f"{row.couple_code}/{row.partner}"] = round(
            float(row.score), 9
        )
    return out


def answer(session, code, partner, phase, seed, items_by_theme):
    rng = np.random.default_rng(seed)
    answers = []
    for items in items_by_theme.values():
        if rng.random() < 0.3:
            continue  # this theme skipped
        for item in items:
            if rng.random() < 0.2:
                continue  # this item skipped
            answers.append(Answer(code, partner, phase, "checkin", item, int(rng.integers(1, 6))))
    if answers:
        session.record_answers(answers, source="widget")


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return tmp_path_factory.mktemp("rooms")


@ROOMS
@given(room=rooms())
def test_no_published_view_gives_away_one_persons_score(room, folder):
    couples, k, events = room
    path = folder / "room.sqlite"
    for stale in folder.glob("room.sqlite*"):
        stale.unlink()
    session = Session.create(path, "Adversary", couples=couples, seed=1, k=k)
    try:
        checkin = session.content.instrument("checkin")
        items_by_theme = {sub.id: [i.id for i in sub.items] for sub in checkin.subscales}
        who = [(code, partner) for code in session.couple_codes() for partner in "AB"]
        unknowns = Unknowns()
        equations: dict[tuple, list[set]] = {}
        live = LiveRoom(session)
        released_before: dict[str, int] = {}
        for person, phase, seed in events:
            answer(session, *who[person], phase, seed, items_by_theme)
            live.update()
            ledger = load_ledger(session.store, LEDGER_VIEW, session.k)
            live.released_theme_means(ledger)  # what the dashboard shows now
            save_ledger(session.store, LEDGER_VIEW, ledger)
            now = None
            for quantity, history in ledger.history.items():
                if len(history) == released_before.get(quantity, 0):
                    continue
                released_before[quantity] = len(history)
                if ledger.shown.get(quantity) is None:
                    continue  # released as "fewer than k": no figure shown
                now = scores_now(session, live.theme_scores()) if now is None else now
                _checkin, theme, ph = quantity.split("/")
                contributors = now.get((theme, ph), {})
                row = {unknowns.current(p, theme, ph, v) for p, v in contributors.items()}
                if row:
                    equations.setdefault((theme, ph), []).append(row)
        # the reports at the end (summary, results page, room summary: one ledger)
        now = scores_now(session)
        shown = publish_checkin(session)
        for quantity, people in shown.people.items():
            measure, theme, ph = quantity.split("/")
            if measure != "checkin":
                continue
            everyone = now[(theme, ph)]
            columns = {unknowns.current(p, theme, ph, everyone[p]) for p in people}
            equations.setdefault((theme, ph), []).append(columns)
        for row in shown.theme_means.itertuples():
            if not row.suppressed and row.over != "as shown before":
                assert len(shown.people[f"checkin/{row.subscale}/{row.phase}"]) == row.n
        for block, rows in equations.items():
            owners = unknowns.owners(*block)
            size = len(unknowns.columns[block])
            leaks = block_leaks(rows, owners, size)
            assert not leaks, f"{block}: {leaks[:3]} from {len(rows)} published figures"
    finally:
        session.close()
