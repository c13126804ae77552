"""Value sorts in a session: every move saved at once, read back as a ``values.Sort``.

Storage (through :meth:`Session.put_entries`, one participant per entry):

- kind ``values_pile``, key = the card id, value = ``"very"``, ``"important"`` or ``"not"``;
  ``None`` withdraws the card (moved back to the unsorted cards);
- kind ``values_top5``, key ``"ranking"``, value = the ranked card ids, best first.

A move that takes a ranked card out of the very-important pile rewrites the ranking in the
same transaction, so the store never holds a top 5 that its piles contradict.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from .disclosure import release_view
from .errors import one_of
from .records import records
from .session import PARTNERS, Session
from .values import (
    PILES,
    CoupleComparison,
    Deck,
    Sort,
    compare_sorts,
    load_deck,
    make_sort,
    parse_paper_sort,
    room_piles,
    room_points,
)

PILE_KIND = "values_pile"
TOP5_KIND = "values_top5"
RANKING_KEY = "ranking"


def read_sort(session: Session, couple_code: str, partner: str, deck: Deck | None = None) -> Sort:
    """The partner's sort as stored (an empty sort when they have not sorted a card).

    Cards no longer in the deck are left out, and so is any ranked card that is no
    longer in the very-important pile.

    Parameters
    ----------
    session : Session
        The session.
    couple_code : str
        The couple.
    partner : str
        ``"A"`` or ``"B"``.
    deck : Deck, optional
        The values deck; the kit's own (:func:`~workshop_kit.values.load_deck`) when None.

    Returns
    -------
    Sort
        The latest pile per card and the top 5 (best first).

    Raises
    ------
    InputError
        Unknown couple code or partner.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> s = Session.create(pathlib.Path(tempfile.mkdtemp()) / "s.sqlite", "T", couples=1)
    >>> code = s.couple_codes()[0]
    >>> read_sort(s, code, "A").is_empty
    True
    >>> _ = place_card(s, code, "A", "trust", "very")
    >>> _ = set_top5(s, code, "A", ["trust"])
    >>> read_sort(s, code, "A").top5
    ('trust',)
    """
    deck = deck or load_deck()
    code, partner = session.check_participant(couple_code, partner)
    known = set(deck.ids)
    piles = {
        e.key: e.value
        for e in session.entries(PILE_KIND, code, partner)
        if e.key in known and e.value in PILES
    }
    found = session.entries(TOP5_KIND, code, partner, key=RANKING_KEY)
    ranking = found[0].value if found else []
    top5 = [i for i in ranking if piles.get(i) == "very"]
    return make_sort(deck, piles, list(dict.fromkeys(top5))[:5])


def read_all_sorts(session: Session, deck: Deck | None = None) -> dict[tuple[str, str], Sort]:
    """Every participant who sorted at least one card: ``(couple_code, partner) -> Sort``.

    Parameters
    ----------
    session : Session
        The session.
    deck : Deck, optional
        The values deck; the kit's own when None.

    Returns
    -------
    dict
        ``(couple_code, partner) -> Sort``, in the session's couple order, then partner.
    """
    deck = deck or load_deck()
    people = {(e.couple_code, e.partner) for e in session.entries(PILE_KIND)}
    order = {code: i for i, code in enumerate(session.couple_codes())}
    sorts = {}
    for code, partner in sorted(people, key=lambda p: (order.get(p[0], len(order)), p[1])):
        sort = read_sort(session, code, partner, deck)
        if not sort.is_empty:
            sorts[(code, partner)] = sort
    return sorts


def place_card(
    session: Session,
    couple_code: str,
    partner: str,
    value_id: str,
    pile: str | None,
    deck: Deck | None = None,
    source: str = "widget",
) -> Sort:
    """Put one card in a pile (``None`` = back to the unsorted cards), saved at once.

    A card leaving the very-important pile leaves the top 5 too (in the same write).

    Parameters
    ----------
    session : Session
        The session.
    couple_code : str
        The couple.
    partner : str
        ``"A"`` or ``"B"``.
    deck : Deck, optional
        The values deck; the kit's own (:func:`~workshop_kit.values.load_deck`) when None.
    value_id : str
        The card's id.
    pile : str or None
        One of :data:`~workshop_kit.values.PILES`, or None.
    source : str, default "widget"
        Where the move came from.

    Returns
    -------
    Sort
        The partner's sort after the move.

    Raises
    ------
    InputError
        An unknown pile, card, couple code or partner; nothing is saved.
    """
    deck = deck or load_deck()
    if pile is not None and pile not in PILES:
        raise one_of("pile", pile, PILES)
    deck.card(value_id)
    code, partner = session.check_participant(couple_code, partner)
    before = read_sort(session, code, partner, deck)
    entries = [(PILE_KIND, value_id, pile, code, partner)]
    if value_id in before.top5 and pile != "very":
        entries.append(
            (TOP5_KIND, RANKING_KEY, [i for i in before.top5 if i != value_id], code, partner)
        )
    session.put_entries(entries, source=source)
    return read_sort(session, code, partner, deck)


def set_top5(
    session: Session,
    couple_code: str,
    partner: str,
    ranking: Iterable[str],
    deck: Deck | None = None,
    source: str = "widget",
) -> Sort:
    """Save the partner's ranked top 5 (best first); checked against their piles first.

    Parameters
    ----------
    session : Session
        The session.
    couple_code : str
        The couple.
    partner : str
        ``"A"`` or ``"B"``.
    deck : Deck, optional
        The values deck; the kit's own (:func:`~workshop_kit.values.load_deck`) when None.
    ranking : iterable of str
        Up to five card ids from their very-important pile, best first.
    source : str, default "widget"
        Where it came from.

    Returns
    -------
    Sort
        The partner's sort with the new top 5.

    Raises
    ------
    InputError
        See :func:`~workshop_kit.values.make_sort`; nothing is saved.
    """
    deck = deck or load_deck()
    code, partner = session.check_participant(couple_code, partner)
    current = read_sort(session, code, partner, deck)
    sort = make_sort(deck, current.piles, list(ranking))
    session.put_entry(TOP5_KIND, RANKING_KEY, list(sort.top5), code, partner, source=source)
    return sort


def save_sort(
    session: Session,
    couple_code: str,
    partner: str,
    sort: Sort,
    deck: Deck | None = None,
    source: str = "paper",
) -> None:
    """Replace the partner's whole sort in one transaction (cards not in ``sort`` are
    withdrawn). Used for paper entry and imports.

    Parameters
    ----------
    session : Session
        The session.
    couple_code : str
        The couple.
    partner : str
        ``"A"`` or ``"B"``.
    deck : Deck, optional
        The values deck; the kit's own (:func:`~workshop_kit.values.load_deck`) when None.
    sort : Sort
        The whole sort; checked again against ``deck``.
    source : str, default "paper"
        Where it came from (``paper``, ``import``, ``demo``).

    Raises
    ------
    InputError
        The sort does not fit the deck, or the participant is unknown; nothing is saved.
    """
    deck = deck or load_deck()
    sort = make_sort(deck, sort.piles, sort.top5)
    code, partner = session.check_participant(couple_code, partner)
    before = read_sort(session, code, partner, deck)
    entries = [
        (PILE_KIND, value_id, sort.piles[value_id], code, partner)
        for value_id in deck.ids
        if value_id in sort.piles
    ]
    entries += [
        (PILE_KIND, value_id, None, code, partner)
        for value_id in before.piles
        if value_id not in sort.piles
    ]
    entries.append((TOP5_KIND, RANKING_KEY, list(sort.top5), code, partner))
    session.put_entries(entries, source=source)


def save_paper_sort(
    session: Session, couple_code: str, partner: str, text: str, deck: Deck | None = None
) -> Sort:
    """Check a quick paper entry (see :func:`~workshop_kit.values.parse_paper_sort`) and
    save it as the partner's sort, source ``paper``. Nothing is saved on any error."""
    deck = deck or load_deck()
    session.check_participant(couple_code, partner)
    sort = parse_paper_sort(text, deck)
    save_sort(session, couple_code, partner, sort, deck, source="paper")
    return sort


def couple_comparison(
    session: Session, couple_code: str, deck: Deck | None = None
) -> CoupleComparison:
    """Compare the two partners' stored sorts (for the couple's eyes only).

    Parameters
    ----------
    session : Session
        The session.
    couple_code : str
        The couple.
    deck : Deck, optional
        The values deck; the kit's own when None.

    Returns
    -------
    CoupleComparison
        See :func:`~workshop_kit.values.compare_sorts` (its Notes give the agreement
        share).
    """
    deck = deck or load_deck()
    code, _ = session.check_participant(couple_code, "A")
    a, b = (read_sort(session, code, p, deck) for p in PARTNERS)
    return compare_sorts(deck, a, b)


def room_values(session: Session, deck: Deck | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The room's points tally and pile counts, k-folded with the session's ``k``.

    Parameters
    ----------
    session : Session
        The session.
    deck : Deck, optional
        The values deck; the kit's own when None.

    Returns
    -------
    points : pandas.DataFrame
        :func:`~workshop_kit.values.room_points` over everyone's sorts.
    piles : pandas.DataFrame
        :func:`~workshop_kit.values.room_piles` over everyone's sorts.
    """
    deck = deck or load_deck()
    sorts = read_all_sorts(session, deck)
    return room_points(sorts, deck, session.k), room_piles(sorts, deck, session.k)


VALUES_VIEW = "room_values"


def published_room_values(
    session: Session, deck: Deck | None = None
) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """The room's points tally and pile counts as the room may see them now.

    :func:`room_values`, released in batches (:func:`workshop_kit.disclosure.release_view`):
    the tallies move only once at least ``k`` people sorted, re-sorted or ranked since
    every state shown before, so two successive tallies never give one sorter's cards.
    Returns ``points, piles`` and how many more people the next update needs.
    """
    deck = deck or load_deck()
    sorts = read_all_sorts(session, deck)
    points, piles = room_points(sorts, deck, session.k), room_piles(sorts, deck, session.k)
    contributions = {
        f"{code}/{partner}": (tuple(sorted(sort.piles.items())), tuple(sort.top5))
        for (code, partner), sort in sorts.items()
    }
    figures = {"points": _records(points), "piles": _records(piles)}
    shown, waiting = release_view(session.store, VALUES_VIEW, session.k, contributions, figures)
    if shown is None:
        return points.iloc[0:0], piles.iloc[0:0], waiting
    return (
        pd.DataFrame(shown["points"], columns=points.columns),
        pd.DataFrame(shown["piles"], columns=piles.columns),
        waiting,
    )


def _records(frame: pd.DataFrame) -> list[dict]:
    """Rows as plain JSON-able dicts (numpy scalars made Python)."""
    return [
        {key: value.item() if hasattr(value, "item") else value for key, value in row.items()}
        for row in frame.to_dict("records")
    ]


def values_sorted_count(session: Session, deck: Deck | None = None) -> dict[str, int]:
    """How many participants sorted at least one card, sorted every card, and ranked."""
    deck = deck or load_deck()
    sorts = read_all_sorts(session, deck)
    return {
        "participants": 2 * len(session.couple_codes()),
        "started": len(sorts),
        "all_cards_sorted": sum(not s.unsorted(deck) for s in sorts.values()),
        "ranked_top5": sum(bool(s.top5) for s in sorts.values()),
    }


# Values many people hold close, so the demo room's tally looks like a real room's.
_DEMO_POPULAR = {
    "trust": 2.2, "honesty": 2.0, "family": 1.9, "respect": 1.7, "kindness": 1.5,
    "commitment": 1.5, "communication": 1.4, "support": 1.3, "quality_time": 1.2,
    "fun": 1.1, "safety": 1.0, "faith": 0.6, "health": 0.8, "loyalty": 0.9,
}  # fmt: skip


def populate_values(session: Session, rng) -> None:
    """Demo step: value sorts for every partner, most complete, a few skipped or unfinished.

    Each couple leans towards a handful of values of its own, so partners share some core
    values and differ on others. In the third couple partner B skipped the sort; in the
    sixth, partner A stopped after 30 cards without ranking.
    """
    deck = load_deck()
    entries = []
    for index, code in enumerate(session.couple_codes()):
        couple_lean = {v: rng.gauss(0, 0.7) for v in deck.ids}
        for favourite in rng.sample(deck.ids, 5):
            couple_lean[favourite] += 1.5
        for partner in PARTNERS:
            if index == 2 and partner == "B":
                continue  # skipped the sort: nothing recorded
            weight = {
                v: _DEMO_POPULAR.get(v, 0.0) + couple_lean[v] + rng.gauss(0, 0.8) for v in deck.ids
            }
            ranked = sorted(deck.ids, key=lambda v: (-weight[v], v))
            n_very = rng.randint(9, 15)
            n_important = rng.randint(16, 22)
            piles = {
                v: "very" if i < n_very else "important" if i < n_very + n_important else "not"
                for i, v in enumerate(ranked)
            }
            top5 = ranked[:5]
            if index == 5 and partner == "A":
                piles = {v: piles[v] for v in deck.ids[:30]}
                top5 = []
            sort = make_sort(deck, piles, top5)
            entries += [(PILE_KIND, v, p, code, partner) for v, p in sort.piles.items()]
            if sort.top5:
                entries.append((TOP5_KIND, RANKING_KEY, list(sort.top5), code, partner))
    session.put_entries(entries, source="demo")


def values_summary_section(session: Session) -> dict:
    """``summary --json`` section: the room's points tally and pile counts, k-folded.

    Aggregates only: value names, counts and points; no couple code or partner.
    """
    deck = load_deck()
    points, piles, waiting = published_room_values(session, deck)
    return {
        "k": session.k,
        "sorted": values_sorted_count(session, deck),
        "points": records(points),
        "piles": records(piles),
        "next_update_after": waiting,
    }
